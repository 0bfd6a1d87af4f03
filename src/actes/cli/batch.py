"""``actes batch``: the documents of one procedure for every case of a portfolio."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from actes.cli._common import check_output, date_option, echo_json, outdir_option, today
from actes.errors import OutputProblem
from actes.portfolio.batch import ERRORS, MANIFEST, BatchReport, make_executor, run_batch

__all__ = ["batch"]

EXIT_REJECTED = 1
EXIT_INTERRUPTED = 130


@click.command("batch")
@click.argument("procedure")
@click.argument("portfolio", type=click.Path(exists=True, path_type=Path))
@outdir_option("Dossier des documents, de manifest.csv et d'errors.csv.")
@click.option(
    "--creancier",
    "creditor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER.yaml",
    help="Créancier, paramètres et mandataire communs à tous les dossiers (YAML ou JSON).",
)
@click.option("--pdf", is_flag=True, help="Convertit aussi les documents en PDF (LibreOffice).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processus de rendu (par défaut : le nombre de cœurs).",
)
@date_option("au", "Date des documents et des calculs (par défaut : aujourd'hui).")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local : cette machine ; dask : une grappe Dask (pip install 'actes[dask]').",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADRESSE",
    envvar="ACTES_DASK_SCHEDULER",
    help="Adresse du planificateur Dask (tcp://hôte:8786), avec --executor dask.",
)
@click.option(
    "--chunk",
    "chunk_size",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Dossiers par tâche (par défaut : 8, ou jusqu'à 64 avec --pdf).",
)
@click.option("--json", "as_json", is_flag=True, help="Bilan en JSON pour les programmes.")
def batch(
    procedure: str,
    portfolio: Path,
    outdir: Path,
    creditor_file: Path | None,
    pdf: bool,
    jobs: int | None,
    au: dt.date | None,
    executor: str,
    scheduler: str | None,
    chunk_size: int | None,
    as_json: bool,
) -> None:
    """Produit les documents de PROCEDURE pour chaque dossier de PORTFOLIO.

    PORTFOLIO est un CSV (une ligne par créance ; les lignes d'une même référence de
    débiteur forment un dossier ; colonnes : docs/portfolio-csv.md) ou un dossier de
    fichiers de dossier. Les dossiers rejetés vont dans OUTDIR/errors.csv avec chaque
    raison ; les fichiers produits et leur SHA-256 dans OUTDIR/manifest.csv. Relancée après
    une interruption, la commande reprend là où elle s'était arrêtée.

    Codes de sortie : 0 tout est produit ; 1 des dossiers sont rejetés ; 2 erreur
    d'utilisation ou sortie impossible (OUTDIR non accessible en écriture, disque plein) ;
    3 installation (LibreOffice, modèle) ; 130 interruption.
    """
    check_output(
        outdir,
        option="-o",
        case_folders=[portfolio] if portfolio.is_dir() else [],
        folder=True,
    )
    inputs = {p.resolve() for p in (portfolio, creditor_file) if p is not None}
    for name in (MANIFEST, ERRORS):
        if (outdir / name).resolve() in inputs:
            raise OutputProblem(
                f"-o {outdir} : {name} y serait écrit à la place du fichier lu "
                f"{outdir / name} ; rien n'a été écrit.",
                hint="choisissez un autre dossier de sortie",
            )
    runner = make_executor(executor, jobs=jobs, scheduler=scheduler)
    bar: Any = None
    show_bar = sys.stdout.isatty() and not as_json

    def start(total: int) -> None:
        nonlocal bar
        if show_bar:
            bar = click.progressbar(length=total, label="Dossiers", show_pos=True)
            bar.__enter__()

    def advance(count: int) -> None:
        if bar is not None:
            bar.update(count)

    try:
        with runner:
            report = run_batch(
                procedure,
                portfolio,
                outdir,
                au=au or today(),
                pdf=pdf,
                creditor_file=creditor_file,
                executor=runner,
                chunk_size=chunk_size,
                on_start=start,
                on_case=advance,
            )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(summary(report))
    if report.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if report.rejected:
        sys.exit(EXIT_REJECTED)


def summary(report: BatchReport) -> str:
    """The end-of-run account: every row read is either rendered or rejected."""
    unit = "fichiers de dossier lus" if report.from_folder else "lignes lues"
    lines = [
        f"{report.rows_read} {unit} = {report.rows_rendered} dans des dossiers produits "
        f"+ {report.rows_rejected} dans des dossiers rejetés"
        + (f" ({report.blank_rows} ligne(s) vide(s) ignorée(s))" if report.blank_rows else ""),
        f"Dossiers : {report.rendered + report.skipped} produits"
        + (
            f" (dont {report.skipped} déjà faits lors d'un passage précédent)"
            if report.skipped
            else ""
        )
        + f", {report.rejected} rejetés.",
        f"Documents : {report.documents} DOCX"
        + (f", {report.pdfs} PDF" if report.pdfs else "")
        + f" → {report.manifest}",
    ]
    if report.rejected:
        lines.append(f"Raisons des rejets (ligne, colonne, message) : {report.errors}")
    if report.interrupted:
        lines.append("Interrompu : relancez la même commande pour terminer (le fait est gardé).")
    return "\n".join(lines)
