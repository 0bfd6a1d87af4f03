"""``actes taux``: the rate tables, and recording an official rate in the firm's workspace.

``actes taux ajouter interet_legal 2026-S2 --particuliers 6.84 --autres 2.75 --arrete …
--source …`` and ``actes taux ajouter bce 2026-S2 2.40 --en-vigueur-depuis … --source …`` write the
workspace overlay (``parameters/taux/*.yaml`` under the folder holding ``actes.toml``, see
:mod:`actes.law.rates`): the installed package is never edited. ``actes init`` makes a folder a
workspace when it is not one yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from actes._io import atomic_write
from actes._paths import WORKSPACE_MARKER, find_workspace
from actes.cli._common import DATE, echo_json, json_option
from actes.errors import UsageProblem
from actes.law.rates import (
    RateKind,
    RateTables,
    format_percent,
    half_year_code,
    half_year_label,
    parse_half_year,
    record_rate,
)

__all__ = ["init", "taux"]

_KIND_NAMES = {"bce": "de la BCE", "interet_legal": "de l'intérêt légal"}
_ECB_REFERENCE = "taux de l'opération principale de refinancement de la BCE"


class _RateType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    name = "taux"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        try:
            rate = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            rate = Decimal(-1)
        if not rate.is_finite() or not Decimal(0) <= rate < Decimal(100):
            self.fail(f"« {value} » n'est pas un taux annuel en % (exemple : 2.75).", param, ctx)
        return rate


RATE = _RateType()

workspace_option = click.option(
    "--workspace",
    "workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Espace de travail du cabinet (défaut : le dossier le plus proche contenant "
    f"{WORKSPACE_MARKER}, ou ACTES_WORKSPACE).",
)


def _workspace(given: Path | None) -> Path:
    if given is not None:
        if not (given / WORKSPACE_MARKER).is_file():
            raise UsageProblem(
                f"{given} n'est pas un espace de travail ({WORKSPACE_MARKER} absent).",
                hint=f"créez-le avec « actes init {given} »",
            )
        return given.resolve()
    found = find_workspace()
    if found is None:
        raise UsageProblem(
            "Aucun espace de travail : les taux officiels s'enregistrent dans l'espace de "
            f"travail du cabinet (un dossier contenant {WORKSPACE_MARKER}), jamais dans le "
            "paquet installé.",
            hint="lancez la commande depuis cet espace, indiquez --workspace DOSSIER, ou créez-le "
            "avec « actes init DOSSIER »",
        )
    return found


# The [cabinet] keys, commented out: the firm fills them in (docs/workspace.md).
FIRM_TEMPLATE = """
# Identité du cabinet : en-tête des documents qu'il envoie, signataire par défaut et rôle
# (voir docs/workspace.md). Retirez les « # » des lignes à remplir.
# [cabinet]
# nom = "Cabinet Exemple"
# role = "creancier"  # creancier, societe_recouvrement, avocat ou commissaire_de_justice
# forme_juridique = "SAS"
# siren = "732829320"
# rcs = "Lyon"
# telephone = "04 72 00 00 00"
# email = "recouvrement@exemple.fr"
# logo = "logo.png"  # image PNG ou JPEG, chemin relatif à ce fichier
# barreau = "Lyon"  # avocat seulement (obligatoire pour lui), imprimé dans l'en-tête
# toque = "1234"  # avocat seulement, facultatif
#
# [cabinet.adresse]
# ligne1 = "10 rue de la République"
# code_postal = "69002"
# ville = "Lyon"
# pays = "FR"
#
# [cabinet.signataire]
# nom = "Claire Martin"
# qualite = "Responsable du recouvrement"
#
# Société de recouvrement seulement (CPCE R124-2) :
# [cabinet.compte_dedie]
# iban = "FR76 3000 6000 0112 3456 7890 189"
# bic = "AGRIFRPP"
"""


@click.command("init")
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False
)
def init(folder: Path) -> None:
    """Fait d'un dossier l'espace de travail du cabinet (actes.toml, parameters/taux/)."""
    marker = folder / WORKSPACE_MARKER
    if marker.exists():
        click.echo(f"Espace de travail déjà présent : {folder.resolve()}")
        return
    (folder / "parameters" / "taux").mkdir(parents=True, exist_ok=True)
    atomic_write(
        marker,
        "# Espace de travail actes du cabinet. Les taux officiels enregistrés par\n"
        "# « actes taux ajouter » sont dans parameters/taux/ (voir docs/rates.md).\n"
        + FIRM_TEMPLATE,
    )
    click.echo(f"Espace de travail créé : {folder.resolve()}")


@click.group("taux")
def taux() -> None:
    """Tables des taux (intérêt légal, BCE) et enregistrement des taux officiels."""


@taux.group("ajouter")
def ajouter() -> None:
    """Enregistre un taux officiel publié dans l'espace de travail du cabinet."""


def _report(
    kind: RateKind, start: dt.date, path: Path, before: tuple[Decimal, str] | None
) -> None:
    click.echo(
        f"Taux {_KIND_NAMES[kind]} du {half_year_label(start)} enregistré comme confirmé : {path}"
    )
    if before is not None:
        click.echo(
            f"Attention : il remplace une valeur déjà confirmée de la table livrée "
            f"({format_percent(before[0])}, {before[1]})."
        )


def record_options(function: Callable[..., None]) -> Callable[..., None]:
    """``--note``, ``--remplacer`` and ``--workspace`` shared by the ``ajouter`` commands."""
    for decorator in reversed(
        (
            click.option("--note", default="", help="Remarque libre."),
            click.option(
                "--remplacer",
                "replace",
                is_flag=True,
                help="Remplacer une valeur déjà confirmée de la table livrée "
                "(erreur de la table).",
            ),
            workspace_option,
        )
    ):
        function = decorator(function)
    return function


@ajouter.command("interet_legal")
@click.argument("semestre")
@click.option("--particuliers", type=RATE, required=True, help="Taux « créancier particulier ».")
@click.option("--autres", type=RATE, required=True, help="Taux « tous les autres cas ».")
@click.option("--arrete", required=True, help="Arrêté publié : date, JO, NOR.")
@click.option("--source", required=True, help="Où le taux a été lu (Légifrance, URL).")
@record_options
def ajouter_interet_legal(
    semestre: str,
    particuliers: Decimal,
    autres: Decimal,
    arrete: str,
    source: str,
    note: str,
    replace: bool,
    workspace: Path | None,
) -> None:
    """Taux de l'intérêt légal d'un semestre (2026-S2), lu dans l'arrêté (CMF L313-2)."""
    start = parse_half_year(semestre)
    folder = _workspace(workspace)
    before = _shipped(folder, "interet_legal", start, "autres_cas", replace=replace)
    path = record_rate(
        folder,
        "interet_legal",
        start,
        {"creancier_particulier": particuliers, "autres_cas": autres},
        reference=arrete,
        source=source,
        note=note,
    )
    _report("interet_legal", start, path, before)


@ajouter.command("bce")
@click.argument("semestre")
@click.argument("rate", metavar="TAUX", type=RATE)
@click.option(
    "--en-vigueur-depuis",
    "since",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date d'effet de la décision de la BCE qui fixait le taux au 1er janvier/1er juillet.",
)
@click.option("--reference", default=_ECB_REFERENCE, help="Ce que mesure le taux.")
@click.option("--source", required=True, help="Où le taux a été lu (ecb.europa.eu, URL).")
@record_options
def ajouter_bce(
    semestre: str,
    rate: Decimal,
    since: dt.date | None,
    reference: str,
    source: str,
    note: str,
    replace: bool,
    workspace: Path | None,
) -> None:
    """Taux BCE en vigueur le 1er janvier ou le 1er juillet d'un semestre (C. com. L441-10)."""
    start = parse_half_year(semestre)
    if since is not None and since > start:
        raise UsageProblem(
            f"--en-vigueur-depuis {since.isoformat()} est postérieur au début du semestre.",
            hint="seul compte le taux en vigueur le 1er janvier ou le 1er juillet",
        )
    folder = _workspace(workspace)
    before = _shipped(folder, "bce", start, "taux", replace=replace)
    path = record_rate(
        folder,
        "bce",
        start,
        {"taux": rate},
        reference=reference,
        source=source,
        in_force_since=since,
        note=note,
    )
    _report("bce", start, path, before)


def _shipped(
    folder: Path, kind: RateKind, start: dt.date, key: str, *, replace: bool
) -> tuple[Decimal, str] | None:
    """The confirmed shipped value of ``start`` the new record overrides (rate, reference);
    refused without ``replace``: the shipped tables were read in the published texts."""
    tables = RateTables.load(workspace=folder)
    table = tables.ecb if kind == "bce" else tables.legal
    for row in table.rows:
        if row.valid_from == start and row.confirmed and not _in_workspace(row.file, folder):
            if not replace:
                raise UsageProblem(
                    f"Le {half_year_label(start)} est déjà confirmé dans la table livrée "
                    f"({format_percent(row.rates[key])}, {row.reference}).",
                    hint="ajoutez --remplacer seulement si la table livrée est erronée",
                )
            return row.rates[key], row.reference
    return None


def _in_workspace(file: str, folder: Path | None) -> bool:
    return folder is not None and Path(file).resolve().is_relative_to(folder.resolve())


def _status(confirmed: bool | None, file: str | None, folder: Path | None) -> str:
    if confirmed is None or file is None:
        return "absent"
    where = "espace de travail" if _in_workspace(file, folder) else "table livrée"
    return f"{'confirmé' if confirmed else 'NON CONFIRMÉ'}, {where}"


@taux.command("liste")
@click.option(
    "--depuis",
    "since",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Premier semestre montré (défaut : les quatre derniers).",
)
@workspace_option
@json_option
def liste(since: dt.date | None, workspace: Path | None, as_json: bool) -> None:
    """Taux par semestre, leur origine (table livrée ou espace de travail) et leur statut."""
    folder = workspace.resolve() if workspace is not None else find_workspace()
    tables = RateTables.load(workspace=folder)
    rows: list[dict[str, Any]] = []
    ecb_rows = {row.valid_from: row for row in tables.ecb.rows}
    for row in tables.legal.rows:
        if since is not None and row.valid_from < since:
            continue
        ecb_row = ecb_rows.get(row.valid_from)
        rows.append(
            {
                "semestre": half_year_code(row.valid_from),
                "interet_legal_particuliers": f"{row.rates['creancier_particulier']}",
                "interet_legal_autres": f"{row.rates['autres_cas']}",
                "interet_legal_confirme": row.confirmed,
                "interet_legal_reference": row.reference,
                "interet_legal_fichier": row.file,
                "bce": f"{ecb_row.rates['taux']}" if ecb_row else None,
                "bce_confirme": ecb_row.confirmed if ecb_row else None,
                "bce_fichier": ecb_row.file if ecb_row else None,
            }
        )
    if since is None:
        rows = rows[-4:]
    if as_json:
        echo_json({"espace_de_travail": str(folder) if folder else None, "semestres": rows})
        return
    click.echo(f"Espace de travail : {folder if folder else 'aucun (table livrée seule)'}")
    for item in rows:
        legal = (
            f"intérêt légal {format_percent(Decimal(item['interet_legal_particuliers']))} / "
            f"{format_percent(Decimal(item['interet_legal_autres']))} "
            f"({_status(item['interet_legal_confirme'], item['interet_legal_fichier'], folder)})"
        )
        ecb = (
            f"BCE {format_percent(Decimal(item['bce']))} "
            f"({_status(item['bce_confirme'], item['bce_fichier'], folder)})"
            if item["bce"] is not None
            else "BCE absent"
        )
        click.echo(f"  {item['semestre']} : {legal} ; {ecb}")
    missing = [
        item["semestre"]
        for item in rows
        if not item["interet_legal_confirme"] or item["bce_confirme"] is False
    ]
    if missing:
        click.echo(
            f"À enregistrer dès publication : {', '.join(missing)} "
            "(actes taux ajouter interet_legal|bce …, voir docs/rates.md)."
        )
