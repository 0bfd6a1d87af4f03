"""Benchmark of the « Tableau de bord » of ``actes serve`` (issue 23) on a large folder.

Run from the repository root::

    python bench/dashboard.py             # 10,000 cases
    python bench/dashboard.py --quick     # 1,000 cases, fewer rounds

The folder and its index are made as ``bench/index.py`` makes them (generated cases, index
rows derived per variant and checked on a sample). Measured in one run:

- baseline: the report computed from the case files (``compute_facts`` in this process, as
  ``actes rapport --au`` does for another date than today), timed on a sample and scaled to N;
- reading the index's rows (facts as JSON text) and parsing every row's facts (what happens
  once after the server starts);
- aggregation: the facts kept parsed, added up by ``build_report``: what the page does when
  a case file has changed (the changed rows only are parsed again);
- ``GET /tableau-de-bord`` just after the server started (nothing kept), after a change (the
  parsed facts kept, the report made again), with the report kept; each chart drawn once.

Prints each time (median of several rounds) and the ratio baseline / aggregation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _index_bench() -> Any:
    """``bench/index.py`` (its folder generator and index seeding)."""
    spec = importlib.util.spec_from_file_location("bench_index", ROOT / "bench" / "index.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _median(action: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1 000 cases, fewer rounds")
    parser.add_argument("--sample", type=int, default=60, help="cases timed for the baseline")
    args = parser.parse_args()
    count = 1000 if args.quick else args.cases
    rounds = 3 if args.quick else 7

    import actes.web.listing as listing_module
    from actes.portfolio.index import CaseIndex
    from actes.portfolio.report import (
        build_report,
        compute_facts,
        portfolio_items,
    )
    from actes.web import create_app
    from actes.web.dashboard import _ParsedFacts

    bench = _index_bench()
    au: dt.date = bench.AU
    print(f"Machine : {bench.machine()} ; {dt.date.today().isoformat()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "affaires"
        folder.mkdir()
        made = bench.generate(folder, count)
        seconds = bench.seed_index(folder, made)
        print(f"{count} dossiers générés ; index rempli (variantes calculées en {seconds:.1f} s)")

        items, _ = portfolio_items(folder)
        sample = items[:: max(1, len(items) // args.sample)][: args.sample]
        started = time.perf_counter()
        compute_facts(sample, au, today=au, workers=1)
        baseline = (time.perf_counter() - started) / len(sample) * count

        index = CaseIndex(folder)
        rows = index.report_rows()
        parsed = _ParsedFacts()

        def aggregate() -> None:
            facts, excluded = parsed.read(rows)
            report = build_report(facts, au, excluded=excluded)
            assert len(report.facts) + len(report.excluded) == count

        reading = _median(index.report_rows, rounds)
        parsing = _median(lambda: _ParsedFacts().read(rows), rounds)
        aggregate()
        aggregation = _median(aggregate, rounds)

        pages: dict[str, tuple[float, float, float]] = {}
        charts: dict[str, float] = {}
        for setting, config in (
            ("dossier parcouru dans la requête", {}),
            (
                "comme actes serve (parcours en arrière-plan)",
                {"ACTES_INDEX_BUDGET": 2.0, "ACTES_INDEX_WATCH": 1.0},
            ),
        ):
            app = create_app(folder, au=au, secret_key="bench")
            app.config.update(config)
            client = app.test_client()

            def page(*forget: str, app: Any = app, client: Any = client) -> None:
                for name in forget:
                    app.extensions.pop(name, None)
                assert client.get("/tableau-de-bord").status_code == 200

            page()  # the first request of a watched folder starts its watcher
            pages[setting] = (
                _median(
                    lambda page=page: page("actes.dashboard", "actes.dashboard.faits"), rounds
                ),
                _median(lambda page=page: page("actes.dashboard"), rounds),
                _median(page, rounds),
            )
            if config:
                # The watcher thread stops once requests stop: before the folder is removed.
                listing_module.IDLE = 0.0
                time.sleep(1.5)
            if not charts:
                for name in ("balance_agee", "encours"):
                    started = time.perf_counter()
                    response = client.get(f"/tableau-de-bord/graphique/{name}.svg")
                    charts[name] = time.perf_counter() - started
                    assert response.status_code == 200

    print(f"Référence : rapport calculé depuis les fichiers ({len(sample)} dossiers mesurés)")
    print(f"  {baseline:8.2f} s pour {count} dossiers (extrapolé)")
    print(f"Lecture des {count} lignes de l'index (faits en JSON) : {reading * 1000:8.0f} ms")
    print(f"Faits lus du JSON, la première fois : {parsing * 1000:8.0f} ms")
    print(f"Agrégation (faits gardés + build_report) : {aggregation * 1000:8.0f} ms")
    print(f"  rapport référence / agrégation : {baseline / aggregation:8.0f}")
    for setting, (cold, edited, again) in pages.items():
        print(f"GET /tableau-de-bord, {setting} :")
        print(f"  serveur démarré (rien en mémoire) : {cold * 1000:8.0f} ms")
        print(f"  après une modification (rapport refait) : {edited * 1000:8.0f} ms")
        print(f"  rapport gardé : {again * 1000:8.0f} ms")
    for name, spent in charts.items():
        print(f"Graphique {name}.svg (dessiné une fois) : {spent * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
