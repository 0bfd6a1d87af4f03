"""``actes render`` (documents of a procedure for a case) and ``actes templates check``."""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import click

from actes._paths import active_workspace, data_file, origin
from actes.cli._common import (
    DATE,
    case_file,
    check_output,
    date_option,
    echo_json,
    outdir_option,
    today,
)
from actes.documents.render import CONTEXT_KEYS, jinja_environment, render_documents
from actes.errors import RenderError
from actes.law.procedures import load_registry

__all__ = ["render", "template_origins", "template_problems", "templates"]

_MENTION = re.compile(r"mentions\.([A-Za-z0-9_]+)")


@click.command("render")
@click.argument("procedure")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@outdir_option("Dossier où écrire les documents.")
@click.option("--pdf", is_flag=True, help="Convertit aussi chaque document en PDF (LibreOffice).")
@date_option("au", "Date des documents et des calculs (par défaut : aujourd'hui).")
@click.option(
    "--enregistrer",
    is_flag=True,
    help="Enregistre aussi dans le dossier l'événement qui suit l'envoi (mise en demeure "
    "envoyée, requête déposée...), consigné dans l'historique.",
)
@click.option(
    "--le",
    "sent_on",
    type=DATE,
    default=None,
    metavar="AAAA-MM-JJ",
    help="Date de cet événement (par défaut : celle des documents).",
)
def render(
    procedure: str,
    case: Path,
    outdir: Path,
    pdf: bool,
    au: dt.date | None,
    enregistrer: bool,
    sent_on: dt.date | None,
) -> None:
    """Produit les documents de PROCEDURE pour le dossier CASE (fichier ou dossier).

    Les conditions de la procédure sont vérifiées d'abord : si l'une manque, rien n'est
    écrit et la raison juridique est affichée (code de sortie 1). Code 3 : modèle cassé ou
    LibreOffice absent. Code 2 : sortie impossible (dossier non accessible en écriture, disque
    plein, OUTDIR dans pieces/) ; rien n'est écrit à moitié. Les documents produits et leur
    empreinte SHA-256 sont consignés dans l'historique (actes history).
    """
    check_output(outdir, option="-o", cases=[case_file(case)], folder=True)
    written = render_documents(
        procedure,
        case_file(case),
        outdir,
        au or today(),
        pdf=pdf,
        on_warning=lambda message: click.echo(f"Attention : {message}", err=True),
    )
    if not written:
        click.echo("Aucun document de cette procédure ne s'applique au dossier à cette date.")
        return
    for path in written:
        click.echo(str(path))
    _follow_up(procedure, case_file(case), au or today(), written, enregistrer, sent_on)


def _follow_up(
    procedure: str,
    path: Path,
    au: dt.date,
    written: list[Path],
    enregistrer: bool,
    sent_on: dt.date | None,
) -> None:
    """Record the event the documents call for, or print the command that records it."""
    from actes.cases.events import follow_ups, record_command, record_event

    for follow_up in follow_ups(procedure, path, au, written, on=sent_on):
        if not enregistrer:
            click.echo(f"Pour enregistrer l'envoi : {record_command(path, follow_up)}")
            continue
        record_event(
            path, follow_up.type, follow_up.date, reference=follow_up.reference or None, au=au
        )
        about = f" ({follow_up.reference})" if follow_up.reference else ""
        click.echo(f"Événement enregistré : {follow_up.type}{about} le {follow_up.date_fr}.")


@click.group("templates")
def templates() -> None:
    """Modèles DOCX des procédures."""


def _template_text(path: Path) -> str:
    """Document, headers and footers XML: where a tag can sit."""
    with zipfile.ZipFile(path) as archive:
        names = [
            n
            for n in archive.namelist()
            if n == "word/document.xml" or re.match(r"word/(header|footer)\d*\.xml$", n)
        ]
        xml = "".join(archive.read(n).decode("utf-8") for n in names)
    # Word may split a name across runs: drop the markup to read the tags whole.
    return re.sub(r"<[^>]+>", "", xml)


def template_origins() -> dict[str, Path | None]:
    """Each template a procedure version uses, and each template of the workspace's
    ``templates/`` overlay: the workspace it comes from, or None for actes' own."""
    names = {spec.template for p in load_registry() for v in p.versions for spec in v.documents}
    workspace = active_workspace()
    if workspace is not None and (workspace / "templates").is_dir():
        names.update(
            path.relative_to(workspace / "templates").as_posix()
            for path in (workspace / "templates").rglob("*.docx")
            if not path.name.startswith(("~$", "."))  # Word's lock files
        )
    return {name: origin(data_file("templates", name)) for name in sorted(names)}


def _variable_problems(path: Path, env: Any, found: list[str]) -> set[str] | None:
    """Append the template's syntax or unknown-variable problems to ``found``; return the
    mentions it prints, or None when it could not be read."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    try:
        variables = DocxTemplate(str(path)).get_undeclared_template_variables(env)
    except TemplateSyntaxError as exc:
        found.append(f"erreur de syntaxe ligne {exc.lineno} : {exc.message}")
        return None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        found.append(f"fichier DOCX illisible : {exc}")
        return None
    found.extend(f"variable inconnue : {name}" for name in sorted(variables - CONTEXT_KEYS))
    return set(_MENTION.findall(_template_text(path)))


def template_problems() -> dict[str, list[str]]:
    """For each template used by a procedure version (and each template of the workspace's
    overlay), what the context would not provide. The workspace's copy of a template is the
    one checked: it is the one rendered."""
    env = jinja_environment()
    problems: dict[str, list[str]] = {}
    checked: dict[str, set[str]] = {}
    for procedure in load_registry():
        for version in procedure.versions:
            for spec in version.documents:
                path = data_file("templates", spec.template)
                found = problems.setdefault(spec.template, [])
                if not path.is_file():
                    message = "modèle introuvable"
                    if message not in found:
                        found.append(message)
                    continue
                if spec.template not in checked:
                    mentions = _variable_problems(path, env, found)
                    checked[spec.template] = mentions or set()
                    if mentions is None:
                        continue
                missing = sorted(checked[spec.template] - set(version.mentions))
                guarded = {
                    name
                    for name in missing
                    if f"mentions.{name} is defined" in _template_text(path)
                }
                for name in missing:
                    if name in guarded:
                        continue
                    message = (
                        f"mention « {name} » absente de {procedure.id} v{version.version} "
                        f"({version.file.name})"
                    )
                    if message not in found:
                        found.append(message)
    for name, source in template_origins().items():
        if name not in problems and source is not None:
            # A firm's template no procedure uses yet: its variables are still checked.
            _variable_problems(data_file("templates", name), env, problems.setdefault(name, []))
    return problems


@templates.command("check")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def check(as_json: bool) -> None:
    """Vérifie que chaque modèle n'utilise que des variables fournies par le contexte.

    Chaque modèle est celui de l'espace de travail du cabinet s'il en a une copie
    (templates/ à côté de actes.toml), sinon celui d'actes ; la provenance est affichée.
    Code de sortie 1 si un modèle utilise une variable ou une mention inconnue.
    """
    try:
        problems = template_problems()
        origins = template_origins()
    except RenderError as error:
        click.echo(f"Erreur : {error.format()}", err=True)
        sys.exit(error.exit_code)
    failed = any(problems.values())
    if as_json:
        echo_json(
            {
                "modeles": [
                    {
                        "modele": template,
                        "provenance": "espace de travail" if origins.get(template) else "actes",
                        "fichier": str(data_file("templates", template)),
                        "problemes": found,
                    }
                    for template, found in sorted(problems.items())
                ]
            }
        )
        if failed:
            sys.exit(1)
        return
    for template, found in sorted(problems.items()):
        where = origins.get(template)
        source = (
            f"  [espace de travail : {data_file('templates', template)}]"
            if where is not None
            else "  [actes]"
        )
        click.echo(f"{'✗' if found else '✓'} {template}{source}")
        for message in found:
            click.echo(f"    {message}")
    if failed:
        sys.exit(1)
