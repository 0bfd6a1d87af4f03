"""Benchmark of the start-up of ``actes`` commands against a bare Python start.

Run from the repository root::

    python bench/startup.py              # 15 runs of each command
    python bench/startup.py --runs 31

Each command runs in a fresh interpreter (``python -c "from actes.cli import main; main()"``,
what the ``actes`` script does); the runs of all the commands are taken in turn and, as in
``bench/batch.py``, the best of each counts (on a shared machine the fastest run is the one
least disturbed by other work; the median is shown too). Compiled modules (``.pyc``) are
kept between runs, in a temporary folder (``PYTHONPYCACHEPREFIX``), as an installed package
has them. Measured in the same run:
``python -c pass`` (the interpreter and the site packages' own start), ``actes --help``,
``actes delai 2026-04-16 15j`` (its holidays check remembered, as from the second run on any
machine), the same with an empty check cache (the first deadline of a year on a machine, for
information) and ``actes decompte`` on an example (for information).

Targets: ``actes --help`` and ``actes delai`` under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTES = [sys.executable, "-c", "from actes.cli import main; main()"]
TARGET = 0.3


def run(command: list[str], environment: dict[str, str]) -> float:
    """Seconds for one run of ``command`` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=environment, cwd=ROOT)
    return time.perf_counter() - start


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
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (median)")
    args = parser.parse_args()

    print(f"Machine : {machine()}")
    with tempfile.TemporaryDirectory(prefix="actes-bench-startup-") as work:
        # Compiled modules kept, as an installed package has them (pip compiles on install),
        # in a folder of this run rather than in the checkout.
        base_environment = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(Path(work) / "pycache"),
        }
        warm = {**base_environment, "ACTES_CACHE_DIR": str(Path(work) / "cache")}
        example = str(ROOT / "examples/b2b-factures-impayees/dossier.yaml")
        commands: dict[str, tuple[list[str], bool]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], False),
            "actes --help": ([*ACTES, "--help"], False),
            "actes delai 2026-04-16 15j": ([*ACTES, "delai", "2026-04-16", "15j"], False),
            "actes delai, contrôle à faire": ([*ACTES, "delai", "2026-04-16", "15j"], True),
            "actes decompte (exemple b2b)": (
                [*ACTES, "decompte", example, "--au", "2026-11-24"],
                False,
            ),
        }
        for command, _ in commands.values():  # compiles, and remembers the 2026 check
            run(command, warm)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for number in range(args.runs):
            for name, (command, cold) in commands.items():
                environment = warm
                if cold:  # a cache folder never used: the holidays check runs
                    fresh = Path(work) / f"cold-{number}"
                    environment = {**base_environment, "ACTES_CACHE_DIR": str(fresh)}
                times[name].append(run(command, environment))
    base = min(times["python -c pass"])
    print(f"Meilleur de {args.runs} passages, chaque commande dans un nouvel interpréteur :")
    for name, values in times.items():
        best = min(values)
        target = ""
        if name in ("actes --help", "actes delai 2026-04-16 15j"):
            target = f"< {TARGET} s {'✓' if best < TARGET else '✗'}"
        print(
            f"  {name:<32} {best * 1000:7.0f} ms  {best / base:5.2f}× python -c pass"
            f"  (médiane {statistics.median(values) * 1000:.0f} ms)  {target}"
        )


if __name__ == "__main__":
    main()
