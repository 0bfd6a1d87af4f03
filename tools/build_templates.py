"""Build every DOCX template of actes with python-docx, reproducibly.

    python tools/build_templates.py            # writes templates/courriers/*.docx, templates/actes/*.docx
    python tools/build_templates.py --check    # exit 1 if a committed template differs

The layout lives here so that it can be reviewed in a diff; the .docx files written are the
source that legal assistants then edit in Word or LibreOffice (see docs/templates.md). Once a
template has been edited by hand, do not rebuild it with this script: the hand edits would be
lost (use ``--only NAME`` to rebuild a single template).

Layout of every document: A4, 2 cm margins; the sender's letterhead top left; the addressee
in the right-hand cell of a borderless table, 10 cm from the left margin and 4.7 cm from the
top edge of the page, so that it shows in the window of a DL (110 × 220 mm) envelope; place and
date, sending mode, « Objet », « Nos références », body, signature; « Page X / Y » footer built
from PAGE and NUMPAGES fields. The core property « comments » names the template and the
procedure versions that use it.

The layouts live in ``tools/layouts/``, one module per procedure family; the building blocks
(``Builder``, letterhead, tables, signature) in ``tools/layouts/base.py``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

from layouts.base import (  # noqa: E402
    DEBTOR_HEAD,
    ROOT,
    Builder,
    formal_closing,
    payment_details,
    salutation,
    write_or_check,
)
from layouts.collective import declaration_creance  # noqa: E402
from layouts.enforcement import (  # noqa: E402
    mandat_petites_creances,
    requete_saisie_conservatoire,
    requete_saisie_remunerations,
    requisition_saisie_attribution,
    requisition_saisie_conservatoire,
    requisition_saisie_remunerations,
)
from layouts.ipe import ipe  # noqa: E402
from layouts.letters import (  # noqa: E402
    mise_en_demeure_agence,
    mise_en_demeure_conso,
    mise_en_demeure_pro,
    relance,
    relance_agence,
)
from layouts.plan import plan_apurement  # noqa: E402
from layouts.preventive import relance_preventive  # noqa: E402
from layouts.requetes import bordereau, lettre_commissaire, requete  # noqa: E402
from layouts.surendettement import (  # noqa: E402
    surendettement_contestation,
    surendettement_declaration,
)
from layouts.titre import demande_formule_executoire, lettre_commissaire_titre  # noqa: E402

__all__ = [
    "DEBTOR_HEAD",
    "ROOT",
    "TEMPLATES",
    "Builder",
    "build",
    "formal_closing",
    "main",
    "payment_details",
    "salutation",
    "write_or_check",
]

TEMPLATES: dict[str, tuple[str, Callable[[Builder], None]]] = {
    "courriers/relance_amiable_1.docx": ("Relance amiable", lambda b: relance(b, second=False)),
    "courriers/relance_amiable_2.docx": ("Seconde relance", lambda b: relance(b, second=True)),
    "courriers/relance_agence_1.docx": (
        "Relance par une société de recouvrement",
        lambda b: relance_agence(b, second=False),
    ),
    "courriers/relance_agence_2.docx": (
        "Seconde relance par une société de recouvrement",
        lambda b: relance_agence(b, second=True),
    ),
    "courriers/relance_preventive.docx": (
        "Relance préventive avant l'échéance",
        relance_preventive,
    ),
    "courriers/mise_en_demeure_professionnel.docx": (
        "Mise en demeure entre professionnels",
        mise_en_demeure_pro,
    ),
    "courriers/mise_en_demeure_consommateur.docx": (
        "Mise en demeure à un consommateur",
        mise_en_demeure_conso,
    ),
    "courriers/mise_en_demeure_agence.docx": (
        "Mise en demeure par une société de recouvrement",
        mise_en_demeure_agence,
    ),
    "actes/requete_injonction_de_payer_tj.docx": (
        "Requête en injonction de payer (tribunal judiciaire)",
        lambda b: requete(b, tc=False),
    ),
    "actes/requete_injonction_de_payer_tc.docx": (
        "Requête en injonction de payer (tribunal de commerce)",
        lambda b: requete(b, tc=True),
    ),
    "actes/requete_injonction_de_payer_europeenne.docx": (
        "Demande d'injonction de payer européenne (formulaire A)",
        ipe,
    ),
    "actes/declaration_de_creance.docx": ("Déclaration de créance", declaration_creance),
    "courriers/declaration_creance_surendettement.docx": (
        "Justification de créance (surendettement)",
        surendettement_declaration,
    ),
    "courriers/contestation_surendettement.docx": (
        "Contestation (surendettement)",
        surendettement_contestation,
    ),
    "courriers/plan_apurement.docx": ("Plan d'apurement", plan_apurement),
    "courriers/lettre_commissaire_signification.docx": (
        "Lettre au commissaire de justice (signification)",
        lambda b: lettre_commissaire(b, execution=False),
    ),
    "courriers/lettre_commissaire_execution.docx": (
        "Lettre au commissaire de justice (exécution)",
        lambda b: lettre_commissaire(b, execution=True),
    ),
    "actes/bordereau_pieces.docx": ("Bordereau de pièces", bordereau),
    "courriers/lettre_commissaire_signification_titre.docx": (
        "Lettre au commissaire de justice (signification du titre)",
        lambda b: lettre_commissaire_titre(b, mode="signification"),
    ),
    "courriers/lettre_commissaire_seconde_signification.docx": (
        "Lettre au commissaire de justice (ordonnance revêtue de la formule exécutoire)",
        lambda b: lettre_commissaire_titre(b, mode="seconde_signification"),
    ),
    "courriers/lettre_commissaire_execution_titre.docx": (
        "Lettre au commissaire de justice (exécution du titre)",
        lambda b: lettre_commissaire_titre(b, mode="execution"),
    ),
    "courriers/demande_formule_executoire.docx": (
        "Demande d'apposition de la formule exécutoire (ancien art. 1423 CPC)",
        demande_formule_executoire,
    ),
    "courriers/requisition_saisie_attribution.docx": (
        "Demande de saisie-attribution au commissaire de justice",
        requisition_saisie_attribution,
    ),
    "courriers/requisition_saisie_remunerations.docx": (
        "Demande de saisie des rémunérations au commissaire de justice",
        requisition_saisie_remunerations,
    ),
    "courriers/requisition_saisie_conservatoire.docx": (
        "Demande de saisie conservatoire au commissaire de justice",
        requisition_saisie_conservatoire,
    ),
    "courriers/mandat_petites_creances.docx": (
        "Mandat au commissaire de justice (petites créances)",
        mandat_petites_creances,
    ),
    "actes/requete_saisie_conservatoire.docx": (
        "Requête aux fins d'autorisation de saisie conservatoire",
        requete_saisie_conservatoire,
    ),
    "actes/requete_saisie_remunerations.docx": (
        "Requête en saisie des rémunérations (régime antérieur au 1er juillet 2025)",
        requete_saisie_remunerations,
    ),
}


def build(name: str) -> bytes:
    title, fill = TEMPLATES[name]
    builder = Builder(name, title)
    fill(builder)
    return builder.save(ROOT / "templates" / name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--only", action="append", help="nom d'un modèle (répétable)")
    parser.add_argument("--check", action="store_true", help="compare sans écrire")
    args = parser.parse_args(argv)
    return write_or_check(args.only or list(TEMPLATES), build, args.out, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
