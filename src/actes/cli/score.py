"""``actes score``: the explained internal score of a case's debtor, factor by factor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from actes._paths import workspace_scope
from actes.cases.case import load_case
from actes.cli._common import au_option, case_argument, case_file, echo_json, json_option, today
from actes.errors import UsageProblem
from actes.law.accounts import decompte_for_case
from actes.portfolio.score import (
    broken_promise_count,
    debtor_key,
    inputs_for_case,
    score,
    score_parameters,
)
from actes.portfolio.stage import STAGE_LABELS, assess_stage

__all__ = ["score_command"]


@click.command("score")
@case_argument
@au_option("Date du score (par défaut : aujourd'hui).")
@json_option
def score_command(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Score interne du débiteur du dossier CASE : chaque facteur, sa valeur, ses points.

    Le score va de 0 à 100 ; plus il est élevé, plus le dossier demande d'attention en premier.
    Il est la somme des points des facteurs (retard, paiements tardifs, promesses non tenues,
    échéances de plan manquées, montant dû, ancienneté, étape du recouvrement), chacun plafonné.
    Poids et seuils : parameters/score.yaml, politique du cabinet et non règle de droit
    (docs/score.md).

    Codes de sortie : 0 succès ; 1 dossier invalide ; 2 erreur d'utilisation ; 3 paramètres
    du score invalides.
    """
    day = au or today()
    path = case_file(case)
    with workspace_scope(path.parent):
        loaded = load_case(path, au=day)
        first = min(claim.date_emission for claim in loaded.creances)
        if day < first:
            raise UsageProblem(
                f"Le {day.strftime('%d/%m/%Y')} est antérieur à la première créance du dossier "
                f"{loaded.reference} (émise le {first.strftime('%d/%m/%Y')}) : il n'y a rien "
                "à noter à cette date.",
                hint=f"choisissez une date à partir du {first.strftime('%d/%m/%Y')} (--au)",
            )
        decompte = decompte_for_case(loaded, day)
        stage = assess_stage(loaded, day, decompte.total_due)
        params = score_parameters()
        inputs = inputs_for_case(
            loaded,
            day,
            decompte=decompte,
            broken_promises=broken_promise_count(loaded, day),
        )
        result = score(inputs, params)
    if as_json:
        echo_json(
            {
                "dossier": loaded.reference,
                "au": day,
                "debiteur": loaded.debiteur.name,
                "cle_debiteur": debtor_key(loaded),
                "etape": {
                    "code": stage.stage,
                    "libelle": STAGE_LABELS[stage.stage],
                    "raison": stage.reason,
                },
                "niveaux": {"moyen": params.medium, "eleve": params.high},
                **result.as_dict(),
            }
        )
        return
    click.echo(
        f"Score du débiteur {loaded.debiteur.name} — dossier {loaded.reference}, au "
        f"{day.strftime('%d/%m/%Y')}"
    )
    click.echo(f"Étape : {STAGE_LABELS[stage.stage]} — {stage.reason}")
    click.echo("")
    click.echo(f"  {'Facteur':<28} {'Valeur':<44} {'Points':>8}")
    for factor in result.factors:
        points = f"{factor.points} / {factor.max_points}"
        click.echo(f"  {factor.label:<28} {factor.value:<44} {points:>8}")
        click.echo(f"      {factor.explanation}")
    click.echo(f"  {'Total':<73} {f'{result.total} / 100':>8}")
    click.echo("")
    click.echo(
        f"Niveau : risque {result.level} (risque moyen à partir de {params.medium}, élevé à "
        f"partir de {params.high})."
    )
    click.echo(f"Poids et seuils : {params.file} (politique du cabinet, pas une règle de droit).")
