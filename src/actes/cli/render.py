"""``actes render`` (documents of a procedure for a case) and ``actes templates check``."""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

import click

from actes._paths import templates_dir
from actes.cli._common import case_file, check_output, date_option, outdir_option, today
from actes.documents.render import CONTEXT_KEYS, jinja_environment, render_documents
from actes.errors import RenderError
from actes.law.procedures import load_registry

__all__ = ["render", "template_problems", "templates"]

_MENTION = re.compile(r"mentions\.([A-Za-z0-9_]+)")


@click.command("render")
@click.argument("procedure")
@click.argument("case", type=click.Path(exists=True, path_type=Path))
@outdir_option("Dossier où écrire les documents.")
@click.option("--pdf", is_flag=True, help="Convertit aussi chaque document en PDF (LibreOffice).")
@date_option("au", "Date des documents et des calculs (par défaut : aujourd'hui).")
def render(procedure: str, case: Path, outdir: Path, pdf: bool, au: dt.date | None) -> None:
    """Produit les documents de PROCEDURE pour le dossier CASE (fichier ou dossier).

    Les conditions de la procédure sont vérifiées d'abord : si l'une manque, rien n'est
    écrit et la raison juridique est affichée (code de sortie 1). Code 3 : modèle cassé ou
    LibreOffice absent. Code 2 : sortie impossible (dossier non accessible en écriture, disque
    plein, OUTDIR dans pieces/) ; rien n'est écrit à moitié.
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


def template_problems() -> dict[str, list[str]]:
    """For each template used by a procedure version, what the context would not provide."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    env = jinja_environment()
    problems: dict[str, list[str]] = {}
    checked: dict[str, set[str]] = {}
    for procedure in load_registry():
        for version in procedure.versions:
            for spec in version.documents:
                path = templates_dir() / spec.template
                found = problems.setdefault(spec.template, [])
                if not path.is_file():
                    message = "modèle introuvable"
                    if message not in found:
                        found.append(message)
                    continue
                if spec.template not in checked:
                    try:
                        variables = DocxTemplate(str(path)).get_undeclared_template_variables(env)
                    except TemplateSyntaxError as exc:
                        found.append(f"erreur de syntaxe ligne {exc.lineno} : {exc.message}")
                        checked[spec.template] = set()
                        continue
                    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
                        found.append(f"fichier DOCX illisible : {exc}")
                        checked[spec.template] = set()
                        continue
                    checked[spec.template] = set(_MENTION.findall(_template_text(path)))
                    found.extend(
                        f"variable inconnue : {name}" for name in sorted(variables - CONTEXT_KEYS)
                    )
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
    return problems


@templates.command("check")
def check() -> None:
    """Vérifie que chaque modèle n'utilise que des variables fournies par le contexte.

    Code de sortie 1 si un modèle utilise une variable ou une mention inconnue.
    """
    try:
        problems = template_problems()
    except RenderError as error:
        click.echo(f"Erreur : {error.format()}", err=True)
        sys.exit(error.exit_code)
    failed = False
    for template, found in sorted(problems.items()):
        if found:
            failed = True
            click.echo(f"✗ {template}")
            for message in found:
                click.echo(f"    {message}")
        else:
            click.echo(f"✓ {template}")
    if failed:
        sys.exit(1)
