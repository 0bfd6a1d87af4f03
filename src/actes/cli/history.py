"""``actes history`` (the journal of a case, or a check of a journal's chain) and
``actes evenement ajouter`` (record an event in a case)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from actes._paths import find_workspace
from actes.cli._common import DATE, case_file, echo_json
from actes.errors import UsageProblem

__all__ = ["evenement", "history"]


def _journal_of(target: Path | None) -> Path:
    """The journal to check: of the workspace (or case folder) ``target``, a journal file
    given as such, else of the current folder's workspace."""
    from actes.cases.journal import JOURNAL_FILE, JOURNAL_FOLDER

    if target is not None and target.is_file():
        if target.name == JOURNAL_FILE:
            return target
        return target.resolve().parent / JOURNAL_FOLDER / JOURNAL_FILE
    folder = target.resolve() if target is not None else find_workspace()
    if folder is None:
        raise UsageProblem(
            "Aucun espace de travail trouvé (pas de fichier actes.toml dans ce dossier ni "
            "au-dessus) : indiquez le dossier dont vérifier le journal.",
            hint="actes history --verifier DOSSIER",
        )
    return folder / JOURNAL_FOLDER / JOURNAL_FILE


@click.command("history")
@click.argument("target", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--verifier",
    is_flag=True,
    help="Vérifie la chaîne d'empreintes du journal de l'espace de travail TARGET (par "
    "défaut : celui du dossier courant).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON pour les programmes.")
def history(target: Path | None, verifier: bool, as_json: bool) -> None:
    """Historique du dossier TARGET : qui, quand, quoi (modifications, documents produits avec
    leur empreinte SHA-256, événements, pièces), du plus ancien au plus récent.

    Avec --verifier : vérifie que le journal n'a été ni modifié ni amputé d'une ligne
    (code de sortie 1 et première ligne en défaut sinon).
    """
    from actes.cases import journal

    if verifier:
        result = journal.verify(_journal_of(target))
        if as_json:
            echo_json(result.as_dict())
        elif result.ok:
            click.echo(
                f"Journal intact : {result.journal} ({result.lines} ligne(s)). Dernière "
                f"empreinte : {result.last_sha256}"
            )
        else:
            click.echo(f"Journal altéré : {result.journal}", err=True)
            click.echo(f"  ✗ ligne {result.bad_line} : {result.reason}", err=True)
        if not result.ok:
            sys.exit(1)
        return
    if target is None:
        raise UsageProblem(
            "Indiquez le dossier dont afficher l'historique.", hint="actes history DOSSIER"
        )
    path = case_file(target)
    entries = journal.case_entries(path)
    if as_json:
        echo_json(
            {
                "journal": str(journal.journal_for(path)),
                "dossier": journal.case_location(path),
                "entrees": entries,
            }
        )
        return
    if not entries:
        click.echo(
            f"Aucune entrée pour {journal.case_location(path)} dans {journal.journal_for(path)}."
        )
        return
    _print_table(entries)


def _when(entry: dict[str, Any]) -> str:
    stamp = str(entry.get("horodatage", ""))
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.strftime("%d/%m/%Y %H:%M:%S UTC")


def _print_table(entries: list[dict[str, Any]]) -> None:
    from actes.cases.journal import ACTION_LABELS, entry_files, summary

    rows = [
        (
            _when(e),
            str(e.get("qui", "")),
            ACTION_LABELS.get(str(e.get("action")), str(e.get("action"))),
            summary(e),
            entry_files(e),
        )
        for e in entries
    ]
    heads = ("Quand", "Qui", "Action", "Détail")
    widths = [max(len(heads[i]), *(len(r[i]) for r in rows)) for i in range(3)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(heads, [*widths, 0], strict=True)).rstrip())
    for when, who, action, detail, files in rows:
        cells = (when.ljust(widths[0]), who.ljust(widths[1]), action.ljust(widths[2]), detail)
        click.echo("  ".join(cells).rstrip())
        indent = " " * (sum(widths) + 6)
        for name, digest in files:
            click.echo(f"{indent}{name}  SHA-256 {digest}")


@click.group("evenement")
def evenement() -> None:
    """Événements du dossier (envoi d'une mise en demeure, dépôt d'une requête...)."""


@evenement.command("ajouter")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@click.argument("type_")
@click.option(
    "--le", "day", type=DATE, required=True, metavar="AAAA-MM-JJ", help="Date de l'événement."
)
@click.option("--reference", default=None, help="Référence (n° de recommandé, de RG...).")
def ajouter(case: Path, type_: str, day: dt.date, reference: str | None) -> None:
    """Ajoute au dossier CASE l'événement TYPE_ (par exemple mise_en_demeure_envoyee) daté
    --le, et le consigne dans l'historique. Rien n'est écrit si le dossier, avec cet
    événement, n'est pas valide (code de sortie 1)."""
    from actes.cases.events import record_event

    path = case_file(case)
    if record_event(path, type_, day, reference=reference):
        click.echo(f"Événement enregistré : {type_} le {day.strftime('%d/%m/%Y')} ({path}).")
    else:
        click.echo(
            f"Déjà enregistré : {type_} le {day.strftime('%d/%m/%Y')} ({path}) ; rien n'a "
            "été modifié."
        )
