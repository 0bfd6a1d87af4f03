"""``actes plan propose|status|lettre``: payment plans and their follow-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, get_args

import click
import yaml

from actes._io import atomic_write
from actes.amicable.plan import (
    InterestMode,
    Plan,
    PlanStatus,
    plan_status,
    propose_plan,
    render_plan_letter,
    worklist,
    worklist_csv,
)
from actes.cases.case import load_case
from actes.cli._common import (
    DATE,
    case_file,
    check_output,
    date_option,
    echo_json,
    outdir_option,
    to_jsonable,
    today,
)

__all__ = ["plan"]

_STATUS = {
    "payee": "payée",
    "payee_en_retard": "payée en retard",
    "partielle": "partiellement payée, en retard",
    "impayee": "impayée",
    "a_venir": "à venir",
}


def _fr(amount: Decimal) -> str:
    text = f"{amount:,.2f}"
    return text.replace(",", " ").replace(".", ",") + " €"


def _amount(ctx: click.Context, param: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"« {value} » n'est pas un montant (exemple : 150.00).") from None
    if not amount.is_finite():  # NaN, Infinity: Decimal reads them, no amount is one
        raise click.BadParameter(f"« {value} » n'est pas un montant fini (exemple : 150.00).")
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise click.BadParameter("Indiquez un montant positif d'au plus deux décimales.")
    return amount


@click.group("plan")
def plan() -> None:
    """Plans d'apurement amiables : proposition, suivi des échéances, courriers."""


@plan.command("propose")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--mensualite",
    callback=_amount,
    metavar="MONTANT",
    help="Montant de chaque échéance (la dernière prend le reste).",
)
@click.option(
    "--duree", type=click.IntRange(1, 1200), metavar="MOIS", help="Nombre d'échéances mensuelles."
)
@click.option(
    "--premiere-echeance",
    "first",
    type=DATE,
    metavar="AAAA-MM-JJ",
    help="Date de la première échéance (par défaut : dans un mois).",
)
@click.option(
    "--jour",
    type=click.IntRange(1, 31),
    metavar="N",
    help="Jour du mois des échéances (dernier jour des mois plus courts).",
)
@click.option(
    "--interets",
    type=click.Choice(get_args(InterestMode)),
    default="aucun",
    show_default=True,
    help="Sort des intérêts pendant le plan.",
)
@click.option(
    "--au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date de la proposition (par défaut : aujourd'hui).",
)
@click.option(
    "--yaml",
    "as_yaml",
    is_flag=True,
    help="Affiche le bloc « plan: » à recopier dans le dossier une fois signé.",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def propose(
    case: Path,
    mensualite: Decimal | None,
    duree: int | None,
    first: dt.date | None,
    jour: int | None,
    interets: InterestMode,
    au: dt.date | None,
    as_yaml: bool,
    as_json: bool,
) -> None:
    """Propose un échéancier compatible avec la capacité du débiteur et les durées légales.

    Sans --mensualite ni --duree : toute la capacité disponible (arrondie à l'euro).
    Une mensualité supérieure à la capacité, ou un plan de plus de 84 mois (C. conso. L732-3,
    L733-3), est refusé (code de sortie 1).
    """
    when = au or today()
    loaded = load_case(case_file(case), au=when)
    result = propose_plan(
        loaded, when, instalment=mensualite, months=duree, first=first, day=jour, interest=interets
    )
    if as_json:
        echo_json(result.as_dict())
        return
    if as_yaml:
        # Signed, at the earliest, on the day of the proposal (--au), not the machine's date.
        block = {"plan": to_jsonable(result.as_case_block(signed_on=when))}
        # Warnings as YAML comments: seen by whoever copies the block, ignored by a parser.
        for warning in result.warnings:
            click.echo("# Attention : " + " ".join(warning.split()))
        click.echo(yaml.safe_dump(block, allow_unicode=True, sort_keys=False), nl=False)
        return
    _print_plan(result)


def _print_plan(result: Plan) -> None:
    click.echo(
        f"Échéancier proposé : {result.months} échéance(s), total {_fr(result.total)} "
        f"(capital {_fr(result.capital)}, intérêts {_fr(result.total_interest)})"
    )
    for row in result.instalments:
        extra = (
            f"  (capital {_fr(row.capital)}, intérêts {_fr(row.interets)})" if row.interets else ""
        )
        click.echo(f"  {row.numero:>3}. {row.date:%d/%m/%Y}  {_fr(row.montant):>12}{extra}")
    click.echo(f"Intérêts : {result.interest_text()}")
    click.echo(
        f"Préavis avant déchéance du terme : {result.notice_days} jours ; "
        f"tolérance avant relance : {result.grace_days} jours."
    )
    for warning in result.warnings:
        click.echo(f"Attention : {warning}")


@plan.command("status")
@click.argument("target", metavar="CASE|DIR", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--au",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date du point (par défaut : aujourd'hui).",
)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER",
    help="Dossier de dossiers : écrit aussi la liste au format CSV (;).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def status(target: Path, au: dt.date | None, csv_file: Path | None, as_json: bool) -> None:
    """Suivi d'un plan (échéances, arriéré, solde, prochaine action), ou liste du matin.

    CASE : un dossier (fichier ou dossier contenant dossier.yaml). DIR : un dossier de
    dossiers (*/dossier.yaml et *.yaml) ; liste les plans ayant une échéance impayée, par
    arriéré décroissant ; les dossiers invalides sont listés comme erreurs.
    """
    when = au or today()
    single = target.is_file() or any(
        (target / n).is_file() for n in ("dossier.yaml", "dossier.yml", "dossier.json")
    )
    if csv_file is not None:
        if single:
            check_output(csv_file, option="--csv", cases=[case_file(target)])
        else:
            check_output(csv_file, option="--csv", case_folders=[target])
    if single:
        result = plan_status(load_case(case_file(target), au=when), when)
        if as_json:
            echo_json(result.as_dict())
        else:
            _print_status(result)
        return
    if when == today():
        # Today's list comes from the folder's index: only changed cases are read again.
        from actes.portfolio.index import CaseIndex, indexed_worklist

        rows, errors = indexed_worklist(target, when, CaseIndex(target))
    else:
        rows, errors = worklist(target, when)
    if csv_file is not None:
        atomic_write(csv_file, worklist_csv(rows, errors))
    if as_json:
        echo_json(
            {
                "au": when,
                "plans": [r.as_dict() for r in rows],
                "erreurs": [e.as_dict() for e in errors],
            }
        )
        return
    click.echo(f"Plans avec une échéance impayée au {when:%d/%m/%Y} : {len(rows)}")
    for row in rows:
        assert row.action is not None
        click.echo(
            f"  {row.reference:<20} arriéré {_fr(row.arrears):>12}  solde "
            f"{_fr(row.balance):>12}  {row.action.code} — {row.action.libelle}"
        )
    for error in errors:
        click.echo(f"  ERREUR {error.file} : {error.error.splitlines()[0]}")


def _print_status(result: PlanStatus) -> None:
    plan_ = result.plan
    click.echo(
        f"Plan {plan_.reference} (dossier {result.reference}), point au {result.au:%d/%m/%Y}"
    )
    for row in result.rows:
        detail: list[Any] = [_STATUS[row.status]]
        if row.paid and row.status != "payee":
            detail.append(f"payé {_fr(row.paid)}")
        if row.days_late:
            detail.append(f"{row.days_late} j de retard")
        click.echo(
            f"  {row.instalment.numero:>3}. {row.instalment.date:%d/%m/%Y}  "
            f"{_fr(row.instalment.montant):>12}  {', '.join(map(str, detail))}"
        )
    click.echo(
        f"Payé {_fr(result.paid)} ; arriéré {_fr(result.arrears)} ; solde "
        f"{_fr(result.balance)}"
        + (f" ; trop-perçu {_fr(result.surplus)}" if result.surplus else "")
    )
    click.echo(f"Prochaine action : {result.action.libelle}")
    if result.action.fondement:
        click.echo(f"  Fondement : {result.action.fondement}")
    for warning in result.warnings:
        click.echo(f"Attention : {warning}")


@plan.command("lettre")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@outdir_option("Dossier de sortie.")
@date_option("au", "Date du courrier (par défaut : aujourd'hui).")
def lettre(case: Path, outdir: Path, au: dt.date | None) -> None:
    """Rédige le courrier qu'appelle le suivi du plan : relance, mise en demeure avant
    déchéance du terme ou notification de la déchéance (C. civ. 1225)."""
    when = au or today()
    check_output(outdir, option="-o", cases=[case_file(case)], folder=True)
    path, result = render_plan_letter(load_case(case_file(case), au=when), when, outdir)
    click.echo(f"{path}  ({result.action.libelle})")
