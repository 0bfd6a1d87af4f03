"""The relance préventive: a courteous reminder sent before the due date.

The creditor's own letter (actes.documents.authorship: every letter other than the agency's
and the represented mises en demeure), laid out like the relances: letterhead, addressee in
the DL window, place and date, object and references, signature. Its sentences come from the
``preventive`` block (actes.documents.contexts.preventive), which the e-mail version prints as
well, so the letter and the e-mail say the same thing. Nothing is owed yet: the letter states
no interest, demands nothing and never speaks of a mise en demeure; between professionals
only, it recalls the invoice's payment terms (``preventive.conditions``, empty for a
consumer).
"""

from __future__ import annotations

from layouts.base import Builder, formal_closing
from layouts.letters import SALUTATION, letter_start, no_break_hyphens


def relance_preventive(b: Builder) -> None:
    letter_start(b, envoi=None, objet="{{ preventive.objet }}")
    b.text(SALUTATION + ",")
    b.text("{{ preventive.introduction }}")
    b.table(
        ["Référence", "Objet", "Émise le", "Échéance", "Montant", "À payer"],
        [
            "{{ f.reference }}",
            "{{ f.libelle }}",
            "{{ f.date_emission }}",
            "{{ f.date_echeance }}",
            "{{ f.montant }}",
            "{{ f.reste_a_payer }}",
        ],
        "f in preventive.factures",
        totals=[["Total", "", "", "", "", "{{ preventive.total }}"]],
        # Long dates (« 30 septembre 2026 », « 31 décembre 2026 ») and amounts up to
        # « 99 999,99 € » on one line: 17 cm in all.
        widths=[2.5, 3.3, 3.2, 3.2, 2.4, 2.4],
        numeric=[4, 5],
    )
    b.tag("if preventive.paiements_recus")
    b.text("{{ preventive.paiements_recus }}")
    b.tag("endif")
    b.text(("b", "{{ preventive.montant_a_regler }}"))
    b.text("{{ preventive.paiement }}")
    b.text("{{ preventive.deja_regle }}")
    # The terms recalled in the body's size: a condition the debtor must be able to read.
    b.tag("if preventive.conditions")
    b.text("{{ preventive.conditions }}")
    b.tag("endif")
    b.text("{{ preventive.contact }}")
    b.signature(closing=formal_closing(SALUTATION))
    no_break_hyphens(b)
