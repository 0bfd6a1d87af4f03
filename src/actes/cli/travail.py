"""``actes travail``: the collector's worklist of a folder of cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from actes.cli._common import DATE, echo_json, today

__all__ = ["travail"]

_KINDS = ("promesse_rompue", "echeance_plan", "relance_preventive", "delai")


@click.command("travail")
@click.argument(
    "source",
    metavar="[DIR]",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--au",
    "au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date de la liste (défaut : aujourd'hui).",
)
@click.option(
    "--type",
    "kinds",
    type=click.Choice(_KINDS),
    multiple=True,
    help="Seulement ces tâches (option répétable).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Sortie CSV (« ; ») pour un tableur.")
def travail(
    source: Path | None, au: dt.date | None, kinds: tuple[str, ...], as_json: bool, as_csv: bool
) -> None:
    """Liste de travail du chargé de recouvrement pour les dossiers de DIR (défaut :
    l'espace de travail, sinon le dossier courant) : promesses de paiement rompues,
    échéances de plan impayées, relances préventives à envoyer, délais des 7 prochains jours,
    chacune avec l'action proposée ; les débiteurs au score le plus élevé d'abord (score
    expliqué par actes score).
    """
    from actes._paths import find_workspace
    from actes.errors import UsageProblem
    from actes.portfolio.report import gather_facts
    from actes.portfolio.worklist import worklist

    if as_json and as_csv:
        raise UsageProblem(
            "--json et --csv ne peuvent pas être demandés ensemble.",
            hint="choisissez une seule sortie standard",
        )
    target = source or find_workspace(Path.cwd()) or Path.cwd()
    day = au or today()
    facts, excluded = gather_facts(target, day, today=today())
    items = worklist(facts, kinds=kinds)
    for left in excluded:
        click.echo(
            f"Attention : {left.reference} ({left.file}) non examiné — {left.message}", err=True
        )
    if as_json:
        echo_json(
            {
                "au": day,
                "taches": [item.as_dict() for item in items],
                "dossiers_ecartes": [
                    {"fichier": e.file, "reference": e.reference, "raison": e.message}
                    for e in excluded
                ],
            }
        )
        return
    if as_csv:
        import io

        from actes.portfolio.csvsafe import SafeWriter

        buffer = io.StringIO()
        writer = SafeWriter(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(
            [
                "score",
                "niveau",
                "debiteur",
                "dossier",
                "type",
                "date",
                "libelle",
                "action",
                "commande",
            ]
        )
        for item in items:
            writer.writerow(
                [
                    item.score.total,
                    item.score.level,
                    item.debtor,
                    item.reference,
                    item.kind,
                    item.date.isoformat(),
                    item.label,
                    item.action,
                    item.command,
                ]
            )
        click.echo(buffer.getvalue(), nl=False)
        return
    count, seen = len(items), len(facts)
    plural = "s" if seen > 1 else ""
    click.echo(
        f"{count} tâche{'s' if count > 1 else ''} au {day:%d/%m/%Y} "
        f"({seen} dossier{plural} examiné{plural})"
    )
    for item in items:
        click.echo(
            f"\n[{item.score.total:>3}/100 risque {item.score.level}] {item.debtor} — "
            f"{item.reference}"
            f"\n  {item.kind_label} ({item.date:%d/%m/%Y}) : {item.label}"
            f"\n  → {item.action}"
            f"\n  $ {item.command}"
        )
