"""``actes promesse``: record the promises to pay of a case and follow them (docs/promises.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from actes.cli._common import DATE, au_option, case_argument, case_file, echo_json, json_option
from actes.cli._common import today as _today

__all__ = ["promesse"]

# actes.amicable.promises.CHANNELS, not imported here: the command table loads this module
# for its options alone (tests/test_cli_lazy.py).
_CHANNELS = ("telephone", "courriel", "courrier", "visite", "sms", "autre")


def _fr(amount: Decimal) -> str:
    text = f"{amount:,.2f}"
    return text.replace(",", " ").replace(".", ",") + " €"


def _amount(ctx: click.Context, param: click.Parameter, value: str) -> Decimal:
    """« 500 », « 500,00 », « 1 250,50 » or « 1250.50 » → ``Decimal``; more than zero, at most
    two decimals."""
    from actes.web.frenchinput import read_amount

    text = read_amount(value) or value.strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise click.BadParameter(
            f"« {value} » n'est pas un montant (exemples : 500, 1 250,50)."
        ) from None
    if not amount.is_finite():  # NaN, Infinity: Decimal reads them, no amount is one
        raise click.BadParameter(f"« {value} » n'est pas un montant fini (exemple : 500,00).")
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise click.BadParameter(
            f"« {value} » : indiquez la somme promise, supérieure à zéro, d'au plus deux "
            "décimales."
        )
    return amount.quantize(Decimal("0.01"))


@click.group("promesse")
def promesse() -> None:
    """Promesses de paiement du débiteur : enregistrement et suivi (tenues, rompues)."""


@promesse.command("ajouter")
@case_argument
@click.option(
    "--montant",
    required=True,
    callback=_amount,
    metavar="MONTANT",
    help="Somme promise (500, 1 250,50…).",
)
@click.option(
    "--pour",
    "due",
    type=DATE,
    required=True,
    metavar="AAAA-MM-JJ",
    help="Date à laquelle le débiteur a promis d'avoir payé.",
)
@click.option(
    "--le",
    "taken",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Jour où la promesse a été recueillie (défaut : aujourd'hui).",
)
@click.option(
    "--canal",
    type=click.Choice(_CHANNELS),
    required=True,
    help="Comment la promesse a été obtenue.",
)
@click.option(
    "--par",
    "taken_by",
    default=None,
    metavar="NOM",
    help="Qui l'a recueillie (défaut : l'utilisateur du système, comme l'historique).",
)
@click.option(
    "--note", default=None, metavar="TEXTE", help="Note libre (circonstances, interlocuteur…)."
)
def ajouter(
    case: Path,
    montant: Decimal,
    due: dt.date,
    taken: dt.date | None,
    canal: str,
    taken_by: str | None,
    note: str | None,
) -> None:
    """Enregistre dans le dossier CASE la promesse du débiteur de payer --montant au plus tard
    le --pour, et la consigne dans l'historique. Rien n'est écrit si le dossier, avec cette
    promesse, n'est pas valide (code de sortie 1)."""
    from actes.amicable.promises import channel_phrase
    from actes.cases import journal
    from actes.cases.events import record_event
    from actes.cases.promise_rules import PROMISE_EVENT

    path = case_file(case)
    day = taken or _today()
    who = " ".join((taken_by if taken_by is not None else journal.current_actor()).split())
    extra: dict[str, str] = {"montant": str(montant), "date_promise": due.isoformat()}
    extra["canal"] = canal
    if who:
        extra["par"] = who
    if note:
        extra["note"] = note
    added = record_event(path, PROMISE_EVENT, day, extra=extra)
    # One sentence: the taker's name, which may hold parentheses of its own (« Léa (chargée
    # de recouvrement) »), comes last and outside any parenthesis.
    how = " ".join(part for part in ("prise", channel_phrase(canal)) if part)
    how += f" le {day:%d/%m/%Y}" + (f" par {who}" if who else "")
    what = f"Promesse de {_fr(montant)} pour le {due:%d/%m/%Y}"
    if added:
        click.echo(f"{what} enregistrée, {how}.")
    else:
        click.echo(f"{what} déjà enregistrée, {how} : rien n'a été modifié.")


@promesse.command("liste")
@case_argument
@au_option("Date du suivi (défaut : aujourd'hui).")
@json_option
def liste(case: Path, au: dt.date | None, as_json: bool) -> None:
    """Promesses de paiement du dossier CASE, dans l'ordre où elles ont été recueillies, et
    leur statut à la date --au : en cours, tenue (à temps ou en retard), rompue depuis le
    lendemain de la date promise, remplacée par une promesse plus récente.

    Une nouvelle promesse clôt les précédentes non payées : rompues si leur date était
    passée, remplacées sinon. Les paiements reçus à partir du jour où une promesse a été
    recueillie, et avant la promesse suivante, lui sont imputés."""
    from actes.amicable.promises import promise_statuses
    from actes.cases.case import load_case

    when = au or _today()
    loaded = load_case(case_file(case), au=when)
    found = promise_statuses(loaded, when)
    if as_json:
        echo_json(
            {
                "dossier": loaded.reference,
                "au": when,
                "promesses": [p.as_dict() for p in found],
            }
        )
        return
    click.echo(f"Promesses de paiement — dossier {loaded.reference}, au {when:%d/%m/%Y}")
    if not found:
        click.echo("Aucune promesse de paiement enregistrée.")
        return
    heads = ("Prise le", "Par", "Canal", "Montant", "Pour le", "Payé", "Statut")
    rows = [
        (
            f"{p.taken_on:%d/%m/%Y}",
            p.taken_by or "—",
            p.channel_label or "—",
            _fr(p.amount),
            f"{p.due:%d/%m/%Y}",
            _fr(p.paid),
            _status_text(p.status_label, p.kept_on, p.broken_since),
        )
        for p in found
    ]
    widths = [max(len(heads[i]), *(len(r[i]) for r in rows)) for i in range(len(heads))]
    right = {3, 5}
    for row in (heads, *rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        click.echo("  ".join(cells).rstrip())


def _status_text(label: str, kept_on: dt.date | None, broken_since: dt.date | None) -> str:
    if kept_on is not None:
        return f"{label} le {kept_on:%d/%m/%Y}"
    if broken_since is not None:
        return f"{label} depuis le {broken_since:%d/%m/%Y}"
    return label
