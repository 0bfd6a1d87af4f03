"""Throughput of the morning worklist (``actes plan status DIR``).

    python bench/worklist.py [--sizes 100 2000]

Generates N synthetic format-2 cases with a plan in a temporary folder (a third of them with
a missed instalment, some with a partial payment, one in fifty invalid), then measures, in the
same process:

- baseline: merely parsing the same files with PyYAML (``yaml.safe_load``);
- worklist: :func:`actes.amicable.plan.worklist` (read, schema and business-rule validation, plan
  status of every case).

and prints cases per second and the ratio worklist / baseline. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from actes._io import load_document
from actes.amicable.plan import instalment_dates, worklist

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "b2c-travaux-consommateur" / "dossier.yaml"
AU = dt.date(2026, 11, 24)


def synthetic(index: int, rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(load_document(EXAMPLE))
    data.pop("pieces")
    data["reference"] = f"BENCH-{index:05d}"
    count = rng.randint(6, 24)
    amount = Decimal(rng.randint(40, 400))
    first = dt.date(2026, rng.randint(1, 9), rng.randint(1, 28))
    dates = instalment_dates(first, count)
    data["plan"] = {
        "reference": f"P-{index:05d}",
        "date_signature": (first - dt.timedelta(days=7)).isoformat(),
        "montant_total": str(amount * count),
        "echeances": [{"date": d.isoformat(), "montant": str(amount)} for d in dates],
    }
    due = [d for d in dates if d <= AU]
    paid = len(due) - (1 if index % 3 == 0 and due else 0)
    payments = [{"date": d.isoformat(), "montant": str(amount)} for d in due[:paid]]
    if index % 7 == 0 and payments:
        payments[-1]["montant"] = str(amount / 2)
    data["paiements"] = payments
    data["evenements"] = [
        e for e in data["evenements"] if e["date"] < data["plan"]["date_signature"]
    ]
    if index % 50 == 49:
        data["plan"]["montant_total"] = "pas un montant"
    return data


def generate(folder: Path, count: int) -> None:
    rng = random.Random(count)
    for index in range(count):
        target = folder / f"c{index:05d}" / "dossier.yaml"
        target.parent.mkdir(parents=True)
        target.write_text(yaml.safe_dump(synthetic(index, rng), allow_unicode=True), "utf-8")


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, count)
        files = sorted(folder.glob("*/dossier.yaml"))
        start = time.perf_counter()
        for file in files:
            yaml.safe_load(file.read_text("utf-8"))
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        rows, errors = worklist(folder, AU)
        elapsed = time.perf_counter() - start
    print(
        f"{count:>6} dossiers : yaml seul {count / baseline:8.0f} dossiers/s ; "
        f"liste du matin {count / elapsed:8.0f} dossiers/s ({elapsed:.2f} s) ; "
        f"rapport {elapsed / baseline:5.1f} × ; {len(rows)} plans en retard, "
        f"{len(errors)} erreurs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2000])
    args = parser.parse_args()
    for size in args.sizes:
        measure(size)


if __name__ == "__main__":
    main()
