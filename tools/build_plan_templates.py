"""Build the three follow-up letters of a payment plan with python-docx, reproducibly.

    python tools/build_plan_templates.py            # writes templates/courriers/<letter>.docx
    python tools/build_plan_templates.py --check    # exit 1 if a committed template differs

Same layout as every letter of actes (``tools/build_templates.py``, whose ``Builder`` is reused):
letterhead, addressee in the window of a DL envelope, place and date, object, references, body,
signature, « Page X / Y » footer. The letters are chosen by ``actes plan lettre`` from the
plan's status (``actes.amicable.plan``); they receive the usual context plus ``plan``
(:func:`actes.amicable.plan.plan_context`) and ``suivi`` (arrears, balance, dates of the follow-up).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

from build_templates import (  # noqa: E402
    DEBTOR_HEAD,
    ROOT,
    Builder,
    formal_closing,
    payment_details,
    salutation,
    write_or_check,
)
from layouts.plan import orientation_block  # noqa: E402


def references(b: Builder) -> None:
    """Object is written by the caller; this recalls the case and the plan."""
    b.p(("b", "Nos références : "), "{{ dossier.reference }}", space_after=2)
    b.p(
        ("b", "Plan d'apurement : "),
        "n° {{ plan.reference }}{% if plan.date_signature %}, signé le "
        "{{ plan.date_signature }}{% endif %}",
        space_after=12,
    )


def unpaid_table(b: Builder) -> None:
    b.table(
        ["N°", "Échéance du", "Montant", "Réglé", "Reste dû"],
        ["{{ e.numero }}", "{{ e.date }}", "{{ e.montant }}", "{{ e.paye }}", "{{ e.reste }}"],
        "e in suivi.echeances_impayees",
        # The label sits in the wide date column: the N° column is too narrow for it.
        totals=[["", "Total de l'arriéré", "", "", "{{ suivi.arriere }}"]],
        widths=[1.4, 5.0, 3.4, 3.4, 3.4],
        numeric=[2, 3, 4],
    )


def closing(b: Builder) -> None:
    # Kept with the closing formula: never a page holding only the closing and the signature.
    b.tag("if debiteur.est_consommateur")
    b.text(
        "Aucuns frais de recouvrement ne sont mis à votre charge (code des procédures civiles "
        "d'exécution, art. L111-8 ; code de la consommation, art. L121-21).",
        keep_next=True,
    )
    b.tag("endif")
    b.signature(closing=formal_closing())


def relance_echeance_plan(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi=None)
    b.p(("b", "Objet : "), "Rappel – échéance impayée de votre plan d'apurement", space_after=2)
    references(b)
    b.text(salutation() + ",")
    b.text(
        "Par le plan d'apurement signé le {{ plan.date_signature }}, vous vous êtes engagé"
        "{% if debiteur.civilite == 'Mme' %}e{% endif %} à régler la somme de {{ plan.total }} "
        "en {{ plan.nombre_echeances }} échéances. Sauf erreur de notre part, "
        "{% if suivi.echeances_impayees|length > 1 %}les échéances suivantes n'ont pas été "
        "réglées à leur date{% else %}l'échéance suivante n'a pas été réglée à sa date"
        "{% endif %} :"
    )
    unpaid_table(b)
    b.text(
        "Nous vous remercions de bien vouloir régler l'arriéré de ",
        ("b", "{{ suivi.arriere }}"),
        " au plus tard le {{ suivi.date_limite_relance }}. Si votre paiement a croisé ce "
        "courrier, nous vous prions de ne pas en tenir compte.",
    )
    # An instalment falling due before that date is due as well, at its own date.
    b.tag("if suivi.echeances_a_venir_avant_limite")
    b.text(
        "{% if suivi.echeances_a_venir_avant_limite|length > 1 %}Restent en outre dues à leur "
        "date{% else %}Reste en outre due à sa date{% endif %}, en plus de cet arriéré"
        "\u00a0: {% for e in suivi.echeances_a_venir_avant_limite %}échéance n° "
        "{{ e.numero }} du {{ e.date }} ({{ e.montant }}){% if not loop.last %}, "
        "{% endif %}{% endfor %}. Au {{ suivi.date_limite_relance }}, vous devrez donc avoir "
        "réglé au total ",
        ("b", "{{ suivi.total_avant_limite }}"),
        ".",
    )
    b.tag("endif")
    b.tag("if plan.clause_decheance")
    b.text(
        "Le plan se poursuit normalement dès que l'arriéré est réglé. Nous attirons toutefois "
        "votre attention sur la clause de déchéance du terme que stipule le plan"
        "\u00a0:"
    )
    b.p(("i", "«\u00a0{{ plan.clause_decheance_texte }}\u00a0»"), align="justify")
    b.tag("else")
    b.text("Le plan se poursuit normalement dès que l'arriéré est réglé.")
    b.tag("endif")
    payment_details(b)
    b.text(
        "Si vous rencontrez une difficulté{% if not orientation %} passagère{% endif %}, "
        "contactez-nous"
        "{% if expediteur.contact %} ({{ expediteur.contact }}){% endif %} avant cette date : "
        "nous pourrons examiner ensemble un aménagement de l'échéancier."
    )
    orientation_block(b)
    closing(b)


def mise_en_demeure_decheance(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.p(
        ("b", "Objet : "),
        "Mise en demeure avant déchéance du terme – plan d'apurement",
        space_after=2,
    )
    references(b)
    b.text(salutation() + ",")
    b.text(
        "Par le plan d'apurement signé le {{ plan.date_signature }}, vous vous êtes engagé"
        "{% if debiteur.civilite == 'Mme' %}e{% endif %} à régler la somme de {{ plan.total }} "
        "en {{ plan.nombre_echeances }} échéances. "
        "{% if suivi.relance_date %}Malgré notre rappel du {{ suivi.relance_date }}, "
        "{% if suivi.echeances_impayees|length > 1 %}les échéances suivantes restent "
        "impayées{% else %}l'échéance suivante reste impayée{% endif %}{% else %}"
        "{% if suivi.echeances_impayees|length > 1 %}Les échéances suivantes restent "
        "impayées{% else %}L'échéance suivante reste impayée{% endif %}{% endif %} :"
    )
    unpaid_table(b)
    b.text("Le plan stipule la clause de déchéance du terme suivante\u00a0:")
    b.p(("i", "«\u00a0{{ plan.clause_decheance_texte }}\u00a0»"), align="justify")
    b.text(
        ("b", "La présente mise en demeure vise expressément cette clause"),
        " (code civil, art. 1225). Nous vous mettons en demeure de régler l'arriéré de ",
        ("b", "{{ suivi.arriere }}"),
        " ({{ suivi.arriere_lettres }}) dans un délai de ",
        (
            "b",
            "{{ plan.preavis_jours }} jours ({{ plan.preavis_lettres }} jours) à compter de "
            "la réception de la présente lettre",
        ),
        ". Si le dernier jour de ce délai est un samedi, un dimanche ou un jour férié ou "
        "chômé, il est prorogé jusqu'au premier jour ouvrable suivant.",
    )
    b.text(
        "À défaut de paiement intégral de cet arriéré dans ce délai, la déchéance du terme "
        "sera acquise sans autre formalité à son expiration : la totalité du solde restant dû "
        "au titre du plan, soit ",
        ("b", "{{ suivi.solde }}"),
        " ({{ suivi.solde_lettres }}) à ce jour, deviendra immédiatement exigible, et nous "
        "pourrons en poursuivre le recouvrement en justice.",
    )
    b.text(
        "Si le paiement intervient dans le délai, le plan se poursuit aux conditions convenues."
    )
    payment_details(b)
    orientation_block(b)
    closing(b)


def notification_decheance(b: Builder) -> None:
    b.head(**DEBTOR_HEAD)  # type: ignore[arg-type]
    b.dateline(envoi="Lettre recommandée avec demande d'avis de réception")
    b.p(
        ("b", "Objet : "),
        "Notification de la déchéance du terme – plan d'apurement",
        space_after=2,
    )
    references(b)
    b.text(salutation() + ",")
    b.text(
        "Par lettre recommandée du {{ suivi.mise_en_demeure_date }}"
        "{% if suivi.mise_en_demeure_reception %}, reçue le "
        "{{ suivi.mise_en_demeure_reception }}{% endif %}, visant expressément la "
        "clause de déchéance du terme du plan d'apurement signé le {{ plan.date_signature }} "
        "(code civil, art. 1225), nous vous avons mis"
        "{% if debiteur.civilite == 'Mme' %}e{% endif %} en demeure de régler l'arriéré du "
        "plan dans un délai de {{ plan.preavis_jours }} jours à compter de sa réception. "
        "{% if suivi.fin_preavis_connue %}Ce délai a expiré le {{ suivi.fin_preavis }} sans "
        "que l'arriéré soit réglé\u00a0:{% else %}Ce délai a expiré sans que l'arriéré soit "
        "réglé\u00a0:{% endif %}"
    )
    b.text("La clause du plan stipule\u00a0:")
    b.p(("i", "«\u00a0{{ plan.clause_decheance_texte }}\u00a0»"), align="justify")
    unpaid_table(b)
    b.text(
        "En application de cette clause, nous vous notifions que la déchéance du terme est "
        "acquise. La totalité du solde restant dû au titre du plan est immédiatement "
        "exigible, soit ",
        ("b", "{{ suivi.solde }}"),
        " ({{ suivi.solde_lettres }}), déduction faite des règlements reçus ({{ suivi.paye }}).",
    )
    b.text(
        "Nous vous demandons de régler cette somme sans délai. À défaut, nous saisirons la "
        "juridiction compétente pour obtenir un titre exécutoire. La présente lettre vaut "
        "mise en demeure de payer cette somme au sens de l'article 1344-1 du code civil."
    )
    payment_details(b)
    orientation_block(b)
    closing(b)


TEMPLATES: dict[str, tuple[str, Callable[[Builder], None]]] = {
    "courriers/relance_echeance_plan.docx": (
        "Rappel d'échéance impayée (plan d'apurement)",
        relance_echeance_plan,
    ),
    "courriers/mise_en_demeure_decheance.docx": (
        "Mise en demeure avant déchéance du terme (plan d'apurement)",
        mise_en_demeure_decheance,
    ),
    "courriers/notification_decheance.docx": (
        "Notification de la déchéance du terme (plan d'apurement)",
        notification_decheance,
    ),
}


def build(name: str) -> bytes:
    title, fill = TEMPLATES[name]
    builder = Builder(name, title)
    # French typography of the values (no-break space after « n° », in grouped numbers,
    # before « : ») as in the other letters: the letterhead's « RCS … n° 402 111 330 » no
    # longer breaks after « n° ».
    builder.data_typography = True
    builder.doc.core_properties.comments = (
        f"actes: modèle {name} — choisi par « actes plan lettre » (suivi du plan d'apurement)"
    )
    fill(builder)
    return builder.save(ROOT / "templates" / name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--check", action="store_true", help="compare sans écrire")
    args = parser.parse_args(argv)
    return write_or_check(list(TEMPLATES), build, args.out, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
