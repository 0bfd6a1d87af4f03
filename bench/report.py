"""Benchmark of ``actes rapport`` on a generated folder of cases (10,000 by default).

Run from the repository root::

    python bench/report.py            # 10,000 cases
    python bench/report.py --quick    # 1,000 cases

The folder is generated from the bundled examples as in ``bench/index.py`` (each case with its
own reference, debtor name and amounts; generation not timed). Measured in one run:

- baseline: what a report cannot do with less — each case read, validated and its décompte
  computed (``load_case`` + ``decompte_for_case``), in one process;
- the report computed directly (a past date, a CSV portfolio, no index): every case's facts
  (décompte, 12 month-end décomptes, stage, next step, deadlines) in worker processes, then
  the aggregation — as ``actes rapport DIR --au DATE`` runs it;
- the report read from the folder's index (today's date: ``actes rapport`` and the « Tableau
  de bord » page): the index filled as ``bench/index.py`` does (one row computed per variant,
  the others derived, 30 random rows computed in full and checked equal), then the facts read
  and aggregated;
- the outputs on the 10,000 cases: the XLSX workbook and the two charts (PNG + SVG).

The report's total is checked equal to the sum of the baseline's décomptes (to the cent).
Figures are printed as seconds and as ratios to the baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index import AU, generate, machine, seed_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 cases")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    count = args.cases or (1_000 if args.quick else 10_000)

    from actes.cases.case import case_from_data, load_case
    from actes.law.accounts import decompte_for_case
    from actes.portfolio.charts import CHARTS, chart
    from actes.portfolio.report import (
        as_known_at,
        build_report,
        compute_facts,
        facts_from_index,
        portfolio_items,
    )
    from actes.portfolio.report_files import report_xlsx
    from actes.portfolio.report_views import report_views

    print(f"Machine : {machine()}")
    with tempfile.TemporaryDirectory(prefix="actes-bench-rapport-") as work:
        folder = Path(work) / "dossiers"
        folder.mkdir()
        started = time.perf_counter()
        made = generate(folder, count)
        print(f"{count} dossiers générés en {time.perf_counter() - started:.1f} s (non compté)")

        started = time.perf_counter()
        expected = Decimal("0.00")
        for case in made:
            path = folder / case.key / "dossier.yaml"
            loaded = load_case(path, au=AU)
            # The report counts the claims issued by its date (an example holds one issued
            # later): the expected total is the décompte of each case as it stood that day.
            known = as_known_at(loaded.data, AU)
            assert known is not None
            if len(known["creances"]) != len(loaded.creances):
                loaded = case_from_data(known, path=path)
            expected += decompte_for_case(loaded, AU).total_due
        baseline = time.perf_counter() - started
        print(f"référence : lecture + décompte de chaque dossier : {baseline:.1f} s")

        started = time.perf_counter()
        items, unreadable = portfolio_items(folder)
        facts, excluded = compute_facts(items, AU, today=AU, workers=args.workers)
        direct = build_report(facts, AU, excluded=[*unreadable, *excluded], source=str(folder))
        report_views(direct)
        direct_time = time.perf_counter() - started
        if direct.excluded:
            raise SystemExit(f"dossiers écartés : {direct.excluded[:3]}")
        if direct.total_due != expected:
            raise SystemExit(f"total {direct.total_due} ≠ somme des décomptes {expected}")
        print(
            f"rapport calculé (sans index) : {direct_time:.1f} s "
            f"({count / direct_time:.0f} dossiers/s, {direct_time / baseline:.2f}× la référence)"
            f" — total {direct.total_due} € = somme des décomptes"
        )

        seeding = seed_index(folder, made)
        print(f"index rempli (variantes calculées en {seeding:.1f} s, 30 lignes vérifiées)")
        times = []
        for _ in range(3):
            started = time.perf_counter()
            facts, excluded = facts_from_index(folder, AU)
            indexed = build_report(facts, AU, excluded=excluded, source=str(folder))
            report_views(indexed)
            times.append(time.perf_counter() - started)
        best = min(times)
        if indexed.total_due != expected:
            raise SystemExit(f"total lu dans l'index {indexed.total_due} ≠ {expected}")
        print(
            f"rapport lu dans l'index : {best * 1000:.0f} ms (meilleur de 3 ; "
            f"{best / baseline:.3f}× la référence)"
        )

        started = time.perf_counter()
        workbook = report_xlsx(indexed)
        xlsx_time = time.perf_counter() - started
        started = time.perf_counter()
        for name in CHARTS:
            for fmt in ("png", "svg"):
                chart(name, indexed, fmt)  # type: ignore[arg-type]
        charts_time = time.perf_counter() - started
        print(
            f"classeur XLSX : {xlsx_time:.1f} s ({len(workbook) / 1e6:.1f} Mo) ; "
            f"graphiques PNG + SVG : {charts_time:.2f} s"
        )


if __name__ == "__main__":
    main()
