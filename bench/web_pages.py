"""Benchmark of the case and procedure pages of ``actes serve`` (issue 21).

Run from the repository root::

    python bench/web_pages.py              # every example, 5 rounds
    python bench/web_pages.py --rounds 9

The case page runs the render checks of every available procedure twice: once in the
assistant (« disponible » or not) and once for its « À faire » list. Under
``actes.documents.render.remembered_plans`` the second run reuses the first. Measured in one
run, through the Flask test client over a copy of ``examples/``, alternating the two settings
round after round (best of each counts):

(a) every case page and, for each case, the page of every available procedure, plans made
    again for the « À faire » list (the memo replaced by a no-op);
(b) the same with the memo (what ``actes serve`` does).

It prints the plans computed per page (``_plan_documents`` calls), the time of each setting
and the ratio (a)/(b), and fails unless both settings give the same pages and (b) makes fewer
plans (the time ratio is printed only: on a shared machine it moves between 1.1 and 1.3).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AU = dt.date(2026, 11, 24)
sys.path.insert(0, str(ROOT / "src"))

from actes.documents import render  # noqa: E402
from actes.law import assistant  # noqa: E402
from actes.web import create_app  # noqa: E402

_CALLS = [0]


def _counting(function: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        _CALLS[0] += 1
        return function(*args, **kwargs)

    return counted


@contextlib.contextmanager
def _no_memo() -> Iterator[None]:
    yield


def _urls(folder: Path) -> list[str]:
    urls = []
    for case in sorted(p.parent.name for p in folder.glob("*/dossier.yaml")):
        urls.append(f"/dossier/{case}")
        loaded = render.load_case(folder / case / "dossier.yaml", au=AU)
        for step in assistant.next_steps(loaded, AU).available:
            urls.append(f"/dossier/{case}/procedure/{step.procedure_id}")
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    remembered = render.remembered_plans
    render._plan_documents = _counting(render._plan_documents)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "affaires"
        shutil.copytree(ROOT / "examples", folder, ignore=shutil.ignore_patterns("imports"))
        app = create_app(folder, au=AU, secret_key="bench")
        urls = _urls(folder)
        best = {"a": float("inf"), "b": float("inf")}
        plans: dict[str, int] = {}
        pages: dict[str, list[str]] = {}
        with app.test_client() as client:
            for url in urls:
                client.get(url)  # warm the caches of both settings alike
            for _ in range(args.rounds):
                for setting, memo in (("a", _no_memo), ("b", remembered)):
                    render.remembered_plans = memo  # type: ignore[assignment]
                    _CALLS[0] = 0
                    shown = []
                    start = time.perf_counter()
                    for url in urls:
                        shown.append(client.get(url).get_data(as_text=True))
                    best[setting] = min(best[setting], time.perf_counter() - start)
                    plans[setting] = _CALLS[0]
                    pages[setting] = shown
        render.remembered_plans = remembered  # type: ignore[assignment]
    cases = sum(1 for u in urls if "/procedure/" not in u)
    print(f"{cases} case pages and {len(urls) - cases} procedure pages, {args.rounds} rounds")
    for setting, label in (("a", "plans made again"), ("b", "plans remembered")):
        print(
            f"({setting}) {label:17s} {best[setting] * 1000:7.0f} ms "
            f"({best[setting] / len(urls) * 1000:.0f} ms a page), "
            f"{plans[setting] / len(urls):.1f} plans a page"
        )
    ratio = best["a"] / best["b"]
    print(f"(a)/(b) = {ratio:.2f}")
    print("same pages:", "yes" if pages["a"] == pages["b"] else "NO")
    if pages["a"] != pages["b"] or plans["b"] >= plans["a"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
