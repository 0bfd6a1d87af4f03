"""Benchmark of the case list read from the folder's SQLite index (actes.portfolio.index).

Run from the repository root::

    python bench/index.py             # 10,000 cases
    python bench/index.py --quick     # 1,000 cases, fewer rounds

Generates a folder of N cases from the bundled examples (each with its own reference, debtor
name and amounts; pièces hard-linked; generation not timed), then measures, in one run:

- baseline: the list as it was before the index — every case read and computed on every
  request (``load_view(full=False)`` per case), timed on a sample of cases and scaled to N
  (that list is linear in the number of cases);
- first start: the full build of the index (``CaseIndex.refresh``, worker processes), timed
  on a separate folder of ``--build-sample`` cases (default 500) and scaled to N — with
  ``--full-build``, on the N cases themselves. Otherwise the index of the N cases is filled
  by :func:`seed_index`: cases of one variant (example × amount factor) differ only by their
  reference and debtor name, so one row per variant is computed and the others derived from
  it, a random sample of them computed in full and checked equal. The list and search are
  measured on that index exactly as on a built one (same rows, same files);
- warm list: ``GET /`` with the Flask test client, nothing changed (folder scan included);
- filtered search: ``GET /?q=…&statut=…&tri=…&min=…`` (folder scan included);
- the same two as ``actes serve`` runs them: the folder scanned every second by a background
  thread, requests reading the index only;
- refresh after 10 hand-edited files: ``GET /`` after editing 10 case files.

Times are medians of several requests. Targets: warm list < 300 ms, filtered search
< 100 ms, both against the baseline as a ratio.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from actes.portfolio.index import fold

ROOT = Path(__file__).resolve().parents[1]
AU = dt.date(2026, 11, 24)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lefèvre"]
TRADES = ["Boulangerie", "Menuiserie", "Librairie", "Garage", "Atelier", "Café", "Éditions"]


def templates() -> list[tuple[Path, dict[str, Any]]]:
    """The bundled examples that are valid at :data:`AU` (folder, data)."""
    from actes.cases.case import load_case

    found = []
    for folder in sorted((ROOT / "examples").iterdir()):
        path = folder / "dossier.yaml"
        if not path.is_file():
            continue
        try:
            load_case(path, au=AU)
        except Exception:  # an example of another era or a work in progress: not used
            continue
        found.append((folder, yaml.safe_load(path.read_text(encoding="utf-8"))))
    return found


FACTORS = [Decimal(f) for f in ("0.50", "0.80", "1.00", "1.25", "1.60", "2.00", "2.50", "3.00")]
"""Amount factors: each case is one of the valid examples × one factor (its *variant*)."""


class Generated(NamedTuple):
    """A generated case: its folder (key), variant, reference and debtor name (the token
    that differs between cases of one variant)."""

    key: str
    variant: tuple[int, int]
    reference: str
    token: str


def _rename(party: dict[str, Any], number: int, rng: random.Random) -> str:
    if party.get("type") == "personne_morale":
        party["denomination"] = f"{rng.choice(TRADES)} {rng.choice(NAMES)} {number:05d}"
        return str(party["denomination"])
    party["nom"] = f"{rng.choice(NAMES).upper()}-{number:05d}"
    return str(party["nom"])


def generate(folder: Path, count: int, seed: int = 19) -> list[Generated]:
    """``count`` cases in ``folder``: the valid examples in turn, each with its own
    reference and debtor name and one of :data:`FACTORS` applied to its amounts."""
    rng = random.Random(seed)
    models = templates()
    made = []
    for number in range(count):
        source, model = models[number % len(models)]
        target = folder / f"d{number:05d}"
        target.mkdir()
        for piece in source.rglob("*"):
            if piece.is_file() and piece.name != "dossier.yaml":
                linked = target / piece.relative_to(source)
                linked.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(piece, linked)
                except OSError:
                    shutil.copy(piece, linked)
        data = copy.deepcopy(model)
        data["reference"] = f"{str(model['reference'])[:50]}-{number:05d}"
        token = _rename(data["debiteur"], number, rng)
        factor_index = rng.randrange(len(FACTORS))
        for claim in data.get("creances", []):
            claim["montant"] = str(
                (Decimal(str(claim["montant"])) * FACTORS[factor_index]).quantize(Decimal("0.01"))
            )
        text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        (target / "dossier.yaml").write_text(text, encoding="utf-8")
        made.append(
            Generated(target.name, (number % len(models), factor_index), data["reference"], token)
        )
    return made


def _key_form(token: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(token)).split())


def _derived(model: dict[str, Any], base: Generated, case: Generated) -> dict[str, Any]:
    """The row of ``case`` from the computed row of ``base`` (same variant): the base's
    reference and debtor name replaced by the case's, in every text column."""
    pairs = [
        (base.key, case.key),
        (base.reference, case.reference),
        (base.token, case.token),
        (fold(base.reference), fold(case.reference)),
        (fold(base.token), fold(case.token)),
        # The report's debtor key (actes.portfolio.score.debtor_key): folded, punctuation
        # as spaces.
        (_key_form(base.token), _key_form(case.token)),
    ]
    row = dict(model)
    for column, value in row.items():
        if isinstance(value, str):
            for old, new in pairs:
                value = value.replace(old, new)
            row[column] = value
    return row


def seed_index(folder: Path, made: list[Generated], check: int = 30) -> float:
    """Fill the index of ``folder`` without computing every case: one row is computed per
    variant, the others derived from it (:func:`_derived`) with their own file state, and
    ``check`` cases drawn at random are computed in full and must give the derived row
    exactly. Returns the seconds spent computing the variants' rows."""
    from actes.portfolio.index import CaseIndex, _store, compute_row, context_fingerprint

    root = folder.resolve()
    started = time.perf_counter()
    models: dict[tuple[int, int], tuple[Generated, dict[str, Any]]] = {}
    for case in made:
        if case.variant not in models:
            relative = f"{case.key}/dossier.yaml"
            models[case.variant] = (case, compute_row(root, case.key, relative, AU))
    computing = time.perf_counter() - started
    rows = []
    for case in made:
        base, model = models[case.variant]
        row = _derived(model, base, case)
        path = root / case.key / "dossier.yaml"
        raw = path.read_bytes()
        info = path.stat()
        row.update(
            mtime_ns=info.st_mtime_ns, size=info.st_size, sha256=hashlib.sha256(raw).hexdigest()
        )
        rows.append(row)
    for row in random.Random(7).sample(rows, min(check, len(rows))):
        real = compute_row(root, row["key"], row["relative"], AU)
        differ = sorted(k for k in real if real[k] != row[k])
        if differ:
            raise SystemExit(f"ligne dérivée fausse pour {row['key']} : colonnes {differ}")
    index = CaseIndex(root)
    # The bench's own shortcut: rows written as a refresh would, then the context recorded.
    with index._connection() as connection:
        for start in range(0, len(rows), 500):
            _store(connection, rows[start : start + 500])
        connection.execute(
            "INSERT OR REPLACE INTO meta VALUES ('context', ?)", (context_fingerprint(root),)
        )
    return computing


def median_ms(action: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True, check=False
        ).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cœurs, {model}, Python {platform.python_version()}, {platform.system()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1 000 cases, fewer rounds")
    parser.add_argument("--sample", type=int, default=100, help="cases timed for the baseline")
    parser.add_argument(
        "--build-sample", type=int, default=500, help="cases of the timed first start"
    )
    parser.add_argument(
        "--full-build", action="store_true", help="time the first start on all the cases"
    )
    args = parser.parse_args()
    count = 1000 if args.quick else args.cases
    rounds = 5 if args.quick else 15

    from actes.portfolio.index import CaseIndex
    from actes.web import create_app
    from actes.web.app import discover_cases, load_view

    print(f"Machine : {machine()} ; {dt.date.today().isoformat()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "affaires"
        folder.mkdir()
        started = time.perf_counter()
        made = generate(folder, count)
        print(f"{count} dossiers générés en {time.perf_counter() - started:.0f} s (non compté)")

        files = discover_cases(folder.resolve())
        sample = random.Random(3).sample(files, min(args.sample, len(files)))
        load_view(sample[0], AU, full=False)  # definitions loaded once, as in a server
        start = time.perf_counter()
        for case_file in sample:
            load_view(case_file, AU, full=False)
        per_case = (time.perf_counter() - start) / len(sample)
        baseline_ms = per_case * count * 1000

        built = count if args.full_build else min(args.build_sample, count)
        if args.full_build:
            start = time.perf_counter()
            report = CaseIndex(folder).refresh(AU)
        else:
            seeded = time.perf_counter()
            seed_index(folder, made)
            print(f"index de {count} dossiers rempli en {time.perf_counter() - seeded:.0f} s")
            other = Path(tmp) / "echantillon"
            other.mkdir()
            generate(other, built)
            start = time.perf_counter()
            report = CaseIndex(other).refresh(AU)
        first = time.perf_counter() - start
        assert report.pending == 0 and report.computed == built, report
        assert CaseIndex(folder).refresh(AU).computed == 0  # the seeded index is up to date

        client = create_app(folder, au=AU, secret_key="bench").test_client()
        client.get("/")
        warm = median_ms(lambda: client.get("/"), rounds)
        page = client.get("/").get_data(as_text=True)
        assert f"({count} dossiers)" in page
        query = "/?q=martin&statut=valide&tri=-montant&min=1000"
        searched = client.get(query).get_data(as_text=True)
        assert "correspond" in searched
        search = median_ms(lambda: client.get(query), rounds)
        scan = median_ms(lambda: CaseIndex(folder).refresh(AU), rounds)

        served = create_app(folder, au=AU, secret_key="bench")
        served.config.update(ACTES_INDEX_BUDGET=2.0, ACTES_INDEX_WATCH=1.0)  # as actes serve
        watched = served.test_client()
        watched.get("/")
        warm_served = median_ms(lambda: watched.get("/"), rounds)
        search_served = median_ms(lambda: watched.get(query), rounds)

        edits = []
        names = [c.path for c in files]
        rng = random.Random(5)
        for round_ in range(3):
            chosen = rng.sample(names, 10)
            for path in chosen:
                text = path.read_text(encoding="utf-8")
                path.write_text(
                    text.replace("reference: ", f"# retouche {round_}\nreference: ", 1),
                    encoding="utf-8",
                )
            start = time.perf_counter()
            html = client.get("/").get_data(as_text=True)
            edits.append(time.perf_counter() - start)
            assert "Mise à jour de la liste en cours" not in html
        edited = statistics.median(edits) * 1000

    rows = [
        (
            "avant l'index : liste recalculée (extrapolée)",
            f"{baseline_ms / 1000:.1f} s",
            f"{per_case * 1000:.1f} ms/dossier × {count}",
            "",
        ),
        (
            "premier démarrage : construction complète"
            + ("" if built == count else " (extrapolée)"),
            f"{first * count / built:.0f} s",
            f"{built / first:.1f} dossiers/s, mesuré sur {built}",
            "",
        ),
        (
            "liste, à chaud (GET /)",
            f"{warm:.0f} ms",
            f"{baseline_ms / warm:.0f}× plus rapide",
            "< 300 ms " + ("✓" if warm < 300 else "✗"),
        ),
        (
            "recherche filtrée",
            f"{search:.0f} ms",
            f"{baseline_ms / search:.0f}× plus rapide",
            "< 100 ms " + ("✓" if search < 100 else "✗"),
        ),
        ("  dont parcours du dossier (refresh sans changement)", f"{scan:.0f} ms", "", ""),
        (
            "liste, comme actes serve (parcours en arrière-plan)",
            f"{warm_served:.0f} ms",
            f"{baseline_ms / warm_served:.0f}× plus rapide",
            "< 300 ms " + ("✓" if warm_served < 300 else "✗"),
        ),
        (
            "recherche filtrée, comme actes serve",
            f"{search_served:.0f} ms",
            f"{baseline_ms / search_served:.0f}× plus rapide",
            "< 100 ms " + ("✓" if search_served < 100 else "✗"),
        ),
        ("liste après 10 fichiers modifiés à la main", f"{edited:.0f} ms", "", ""),
    ]
    print(f"\n{count} dossiers, au {AU.isoformat()} (médianes de {rounds} requêtes) :")
    print(f"| {'mesure':<52} | {'résultat':>9} | {'rapport':<28} | objectif |")
    print(f"|{'-' * 54}|{'-' * 11}|{'-' * 30}|----------|")
    for name, value, ratio, target in rows:
        print(f"| {name:<52} | {value:>9} | {ratio:<28} | {target} |")


if __name__ == "__main__":
    main()
