"""``actes deadlines``: every deadline of a case, with its article and trace; ``.ics`` export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from actes._io import atomic_write
from actes.cases.case import load_case
from actes.cli._common import DATE, case_file, check_output, echo_json, today
from actes.documents.ics import IcsDeadline, deadlines_to_ics
from actes.law.calendar import long_date
from actes.law.timeline import case_deadlines

_STATUS = {
    "a_venir": "à venir",
    "aujourd_hui": "AUJOURD'HUI",
    "depasse": "DÉPASSÉ",
    "accompli": "accompli",
}


@click.command("deadlines")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--procedure",
    "procedure_id",
    default=None,
    metavar="ID",
    help="Limiter aux délais d'une procédure.",
)
@click.option(
    "--au",
    "au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date de référence pour les jours restants (défaut : aujourd'hui).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option(
    "--ics",
    "ics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrit aussi un calendrier .ics (rappel 7 jours avant chaque échéance).",
)
@click.option(
    "--trace", "show_trace", is_flag=True, help="Affiche le raisonnement de chaque délai."
)
def deadlines(
    case: Path,
    procedure_id: str | None,
    au: dt.date | None,
    as_json: bool,
    ics: Path | None,
    show_trace: bool,
) -> None:
    """Délais du dossier : libellé, date limite, jours restants, fondement, statut.

    Chaque procédure est prise dans la version que fixent les dates du dossier (par exemple
    la date de l'ordonnance d'injonction de payer), pas la date du jour.
    """
    day = au or today()
    if ics is not None:
        check_output(ics, option="--ics", cases=[case_file(case)])
    loaded = load_case(case_file(case), au=day)
    found = case_deadlines(loaded, day, procedure_id=procedure_id)
    if ics is not None:
        events = [
            IcsDeadline(
                uid_seed=f"{loaded.reference}/{d.procedure_id}/{d.id}/{d.date_limite}",
                label=f"{loaded.reference} — {d.label}",
                date=d.date_limite,
                description="\n".join(
                    [f"Fondement : {'; '.join(d.result.fondement)}", d.consequence, "", *d.trace]
                ),
            )
            for d in found
            if d.status != "accompli"
        ]
        stamp = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
        atomic_write(ics, deadlines_to_ics(events, f"actes — {loaded.reference}", dtstamp=stamp))
    if as_json:
        echo_json(
            {
                "dossier": loaded.reference,
                "au": day,
                "delais": [d.as_dict() for d in found],
                "ics": str(ics) if ics else None,
            }
        )
        return
    click.echo(f"Délais du dossier {loaded.reference} au {long_date(day)} :")
    if not found:
        click.echo("  aucun délai en cours (aucun événement du dossier ne fait courir de délai).")
    for d in found:
        mark = "!!" if d.status in ("depasse", "aujourd_hui") and d.party == "creancier" else "  "
        left = f"J{d.days_left:+d}" if d.status not in ("accompli",) else ""
        click.echo(
            f"{mark} {d.date_limite.isoformat()}  {_STATUS.get(d.status, d.status):<11} "
            f"{left:>6}  {d.label}"
        )
        click.echo(f"      {d.procedure_id} v{d.procedure_version} — {'; '.join(d.legal_basis)}")
        for warning in d.warnings:
            click.echo(f"      ⚠ {warning}")
        if show_trace:
            for line in d.trace:
                click.echo(f"        · {line}")
    if ics is not None:
        click.echo(f"Calendrier écrit : {ics}")
