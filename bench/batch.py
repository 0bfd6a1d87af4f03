"""Benchmark of ``actes batch`` against plain docxtpl and one LibreOffice start per document.

Run from the repository root::

    python bench/batch.py                 # 1 000 cases, memory at 1 000 and 10 000
    python bench/batch.py --cases 300 --memory 1000,3000

Measures, in one run, on the bundled mise en demeure template and a generated portfolio:

(a)  the plain loop ``DocxTemplate(path)`` / ``render`` / ``save`` per case, contexts built
     beforehand (a' : the same loop with validation and context building counted);
(b1) ``actes batch`` with one worker, (b2) with two (whole pipeline: CSV, validation,
     context, rendering, atomic writes, journal and manifest);
     (a), (b1) and (b2) are run ``--rounds`` times in turn and the best of each counts;
(c)  PDF with one LibreOffice start per document, (d) one LibreOffice call for many;
peak memory (maxrss) of the batch worker processes and of the parent for two portfolio sizes.

It prints the ratios and the targets: (b1)/(a) >= 8, (b2)/(b1) >= 1.7, (d)/(c) >= 10,
mem(big)/mem(small) <= 1.2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROCEDURE = "mise_en_demeure_professionnel"
AU = dt.date(2026, 11, 24)
HEADER = [
    "debiteur_reference",
    "debiteur_qualite",
    "debiteur_denomination",
    "debiteur_forme_juridique",
    "debiteur_siren",
    "debiteur_representant_nom",
    "debiteur_representant_qualite",
    "debiteur_adresse_ligne1",
    "debiteur_code_postal",
    "debiteur_ville",
    "creance_reference",
    "creance_libelle",
    "creance_date_emission",
    "creance_date_echeance",
    "creance_montant",
    "paiement_date",
    "paiement_montant",
]
CITIES = [("69002", "Lyon"), ("75011", "Paris"), ("33000", "Bordeaux"), ("59000", "Lille")]
FORMS = ["SARL", "SAS", "SA", "EURL"]


def write_creditor(path: Path) -> Path:
    example = yaml.safe_load(
        (ROOT / "examples/b2b-factures-impayees/dossier.yaml").read_text(encoding="utf-8")
    )
    data = {"creancier": example["creancier"], "parametres": example["parametres"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def write_portfolio(path: Path, cases: int, seed: int = 7) -> Path:
    """A ``;`` CSV with decimal commas, as a French spreadsheet exports it."""
    rng = random.Random(seed)
    lines = [";".join(HEADER)]
    for number in range(1, cases + 1):
        postcode, city = rng.choice(CITIES)
        form = rng.choice(FORMS)
        street = f"{rng.randint(1, 200)} rue de la République"
        for claim in range(1, rng.choice((1, 1, 2, 3)) + 1):
            month = rng.randint(3, 8)
            amount = rng.randint(20000, 900000)
            paid = rng.random() < 0.3 and claim == 1
            row = [
                f"CLI-{number:06d}",
                "professionnel",
                f"Société Cliente {number}",
                form,
                "",
                f"M. Gérant {number}",
                "gérant",
                street,
                postcode,
                city,
                f"FA-{number:06d}-{claim}",
                "Fourniture et pose",
                f"02/{month:02d}/2026",
                f"{rng.randint(1, 28):02d}/{month + 1:02d}/2026",
                f"{amount // 100:,}".replace(",", " ") + f",{amount % 100:02d}",
                "20/09/2026" if paid else "",
                "100,00" if paid else "",
            ]
            lines.append(";".join(row))
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- measures


def contexts(portfolio: Path, creditor: Path, limit: int) -> tuple[list[dict[str, Any]], float]:
    """Contexts of the first ``limit`` cases, and the seconds spent per case building them."""
    from actes.cases.case import case_from_data, issues_of
    from actes.documents.render import build_context
    from actes.law.procedures import load_registry
    from actes.portfolio.sources import load_creditor_file, open_portfolio

    procedure = load_registry().get(PROCEDURE)
    found: list[dict[str, Any]] = []
    start = time.perf_counter()
    for case in open_portfolio(portfolio, load_creditor_file(creditor)):
        if len(found) == limit:
            break
        assert case.data is not None, case.reasons
        assert not issues_of(case.data, au=AU)
        model = case_from_data(case.data)
        version = procedure.for_case(model, AU)
        context = build_context(version, model, AU)
        found.append({**context, "document": {"titre": "Mise en demeure"}})
    return found, (time.perf_counter() - start) / max(1, len(found))


def plain_loop(items: list[dict[str, Any]], outdir: Path) -> float:
    """(a) documents per second of DocxTemplate(path) / render / save for each case."""
    from docxtpl import DocxTemplate

    from actes._paths import templates_dir
    from actes.documents.render import jinja_environment

    template = templates_dir() / "courriers/mise_en_demeure_professionnel.docx"
    outdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for number, context in enumerate(items):
        document = DocxTemplate(template)
        document.render(context, jinja_environment(), autoescape=True)
        document.save(outdir / f"{number}.docx")
    return len(items) / (time.perf_counter() - start)


def fast_render(items: list[dict[str, Any]]) -> float:
    """Documents per second of the prepared template alone (no validation, no context)."""
    from actes._paths import templates_dir
    from actes.portfolio.batch import FastTemplate

    template = FastTemplate(templates_dir() / "courriers/mise_en_demeure_professionnel.docx")
    start = time.perf_counter()
    for context in items:
        template.render(context)
    return len(items) / (time.perf_counter() - start)


def batch(portfolio: Path, creditor: Path, outdir: Path, jobs: int, *, pdf: bool = False) -> float:
    """(b) documents per second of the whole ``actes batch`` pipeline."""
    from actes.portfolio.batch import LocalExecutor, run_batch

    shutil.rmtree(outdir, ignore_errors=True)
    start = time.perf_counter()
    with LocalExecutor(jobs) as executor:
        report = run_batch(
            PROCEDURE,
            portfolio,
            outdir,
            au=AU,
            pdf=pdf,
            creditor_file=creditor,
            executor=executor,
        )
    elapsed = time.perf_counter() - start
    assert report.rejected == 0, report
    return report.documents / elapsed


def pdf_each(sources: list[Path], outdir: Path) -> float:
    """(c) seconds per document with one LibreOffice start per document."""
    from actes.documents.pdf import docx_to_pdf

    start = time.perf_counter()
    for source in sources:
        docx_to_pdf([source], outdir)
    return (time.perf_counter() - start) / len(sources)


def pdf_batched(sources: list[Path], outdir: Path) -> float:
    """(d) seconds per document with one LibreOffice call for all of them."""
    from actes.documents.pdf import docx_to_pdf

    start = time.perf_counter()
    docx_to_pdf(sources, outdir)
    return (time.perf_counter() - start) / len(sources)


def memory_run(cases: int, jobs: int) -> dict[str, float]:
    """In a fresh interpreter: maxrss (MiB) of the parent and of the worker processes."""
    with tempfile.TemporaryDirectory(prefix="actes-bench-mem-") as work:
        folder = Path(work)
        portfolio = write_portfolio(folder / "portefeuille.csv", cases)
        creditor = write_creditor(folder / "creancier.yaml")
        code = (
            "import json, resource, sys, datetime as dt\n"
            "from pathlib import Path\n"
            "from actes.portfolio.batch import LocalExecutor, run_batch\n"
            f"with LocalExecutor({jobs}) as ex:\n"
            f"    r = run_batch({PROCEDURE!r}, Path({str(portfolio)!r}), Path({work!r}) / 'out',"
            f" au=dt.date({AU.year}, {AU.month}, {AU.day}),"
            f" creditor_file=Path({str(creditor)!r}), executor=ex)\n"
            "assert r.rejected == 0\n"
            "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
            "print(json.dumps({'parent': me, 'worker': kids, 'documents': r.documents}))\n"
        )
        start = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
        result["seconds"] = time.perf_counter() - start
        return result


def machine() -> str:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {nproc}, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases for (b1) and (b2)")
    parser.add_argument("--plain", type=int, default=200, help="cases for (a), the slow loop")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of (a), (b1), (b2), in turn; the best counts"
    )
    parser.add_argument("--pdf-each", type=int, default=10, help="documents for (c)")
    parser.add_argument("--pdf-batched", type=int, default=60, help="documents for (d)")
    parser.add_argument(
        "--memory", default="1000,10000", help="two portfolio sizes for the memory ratio"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--no-pdf", action="store_true", help="skip (c) and (d)")
    args = parser.parse_args()

    print(f"Machine : {machine()}")
    with tempfile.TemporaryDirectory(prefix="actes-bench-") as work:
        folder = Path(work)
        creditor = write_creditor(folder / "creancier.yaml")
        portfolio = write_portfolio(folder / "portefeuille.csv", args.cases)
        items, context_seconds = contexts(portfolio, creditor, min(args.plain, args.cases))
        # Each speed is the best of ``--rounds`` runs taken in turn (a, b1, b2, a, b1, b2...):
        # on a shared machine the fastest run is the one least disturbed by other work.
        runs: dict[str, list[float]] = {"a": [], "b1": [], "b2": []}
        for _ in range(args.rounds):
            runs["a"].append(plain_loop(items, folder / "plain"))
            runs["b1"].append(batch(portfolio, creditor, folder / "b1", 1))
            runs["b2"].append(batch(portfolio, creditor, folder / "b2", 2))
        a, b1, b2 = (max(runs[name]) for name in ("a", "b1", "b2"))
        a_full = 1 / (1 / a + context_seconds)
        fast = fast_render(items)

        def shown(name: str) -> str:
            return " / ".join(f"{value:.1f}" for value in runs[name])

        print(f"contexte (validation + build_context) : {context_seconds * 1000:.1f} ms/dossier")
        print(
            f"(a)  docxtpl, boucle simple       : {a:8.1f} documents/s ({len(items)} cas ;"
            f" passages {shown('a')})"
        )
        print(f"(a') idem, contexte compris       : {a_full:8.1f} documents/s")
        print(f"     FastTemplate seul            : {fast:8.1f} documents/s")
        print(
            f"(b1) actes batch, 1 processus     : {b1:8.1f} documents/s ({args.cases} cas ;"
            f" passages {shown('b1')})"
        )
        print(
            f"(b2) actes batch, 2 processus     : {b2:8.1f} documents/s (passages {shown('b2')})"
        )
        ratios = [
            ("(b1)/(a)", b1 / a, ">= 8"),
            ("(b1)/(a')", b1 / a_full, "(même travail des deux côtés)"),
            ("FastTemplate/(a)", fast / a, "(rendu seul)"),
            ("(b2)/(b1)", b2 / b1, ">= 1.7"),
        ]
        if not args.no_pdf:
            docs = sorted((folder / "b1").glob("*.docx"))
            each = pdf_each(docs[: args.pdf_each], folder / "pdf-each")
            batched = pdf_batched(docs[: args.pdf_batched], folder / "pdf-batched")
            print(f"(c)  PDF, un LibreOffice par doc  : {each:8.3f} s/document ({args.pdf_each})")
            print(
                f"(d)  PDF, un appel pour tous      : {batched:8.3f} s/document "
                f"({args.pdf_batched})"
            )
            with_pdf = batch(portfolio, creditor, folder / "b2pdf", 2, pdf=True)
            print(f"     actes batch --pdf -j 2       : {with_pdf:8.1f} documents/s")
            ratios.append(("(d)/(c)", each / batched, ">= 10"))
        if not args.no_memory:
            small, big = (int(n) for n in args.memory.split(","))
            low = memory_run(small, 2)
            high = memory_run(big, 2)
            for size, run in ((small, low), (big, high)):
                print(
                    f"mémoire {size:>6} cas, -j 2 : worker {run['worker']:.1f} Mio, parent "
                    f"{run['parent']:.1f} Mio, {run['seconds']:.0f} s"
                )
            ratios.append(
                (f"mem({big})/mem({small}) worker", high["worker"] / low["worker"], "<= 1.2")
            )
            ratios.append((f"mem({big})/mem({small}) parent", high["parent"] / low["parent"], ""))
    print("Ratios :")
    for name, value, target in ratios:
        print(f"  {name:<28} {value:7.2f}  {target}")


if __name__ == "__main__":
    main()
