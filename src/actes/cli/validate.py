"""``actes validate``: check a case file against its schema and the business rules."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from actes.cases.case import load_case
from actes.cli._common import case_file, date_option, echo_json, today
from actes.errors import ActesError, CaseError
from actes.workspace import firm_for, firm_mandate_note


@click.command("validate")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@date_option("au", "Date de référence (par défaut : aujourd'hui).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def validate(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Vérifie un dossier : schéma, SIREN/SIRET, IBAN, dates, montants, pièces.

    Codes de sortie : 0 dossier valide ; 1 dossier invalide (tous les problèmes sont
    listés) ; 2 erreur d'utilisation.
    """
    case = case_file(case)
    try:
        loaded = load_case(case, au=au or today())
        note = firm_mandate_note(loaded, firm_for(case.parent))
    except CaseError as error:
        if as_json:
            echo_json(
                {
                    "valide": False,
                    "fichier": str(case),
                    "problemes": [i.as_dict() for i in error.issues],
                }
            )
            sys.exit(error.exit_code)
        raise
    except ActesError as error:
        if as_json:
            echo_json({"valide": False, "fichier": str(case), **error.as_dict()})
            sys.exit(error.exit_code)
        raise
    if as_json:
        echo_json(
            {
                "valide": True,
                "fichier": str(case),
                "reference": loaded.reference,
                "problemes": [],
                **({"mandataire_espace_de_travail": note} if note else {}),
            }
        )
    else:
        click.echo(
            f"Dossier valide : {case} (référence {loaded.reference}, "
            f"{len(loaded.creances)} créance(s), {len(loaded.pieces)} pièce(s))."
        )
        if note:
            click.echo(note)
