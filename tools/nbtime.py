#!/usr/bin/env python3
"""Print each notebook's execution time, in seconds, from the website build's execution cache.

    python tools/nbtime.py [--budget 60] [--cache _build/.jupyter_cache]

Prints the total and the five slowest. Exits 1 when a notebook went over its budget (60 s on two CPU
cores) or the whole book over its own (8 minutes), as the README states. The book's budget is for the
wall-clock time of executing every notebook the way ``make book`` does, two at a time on two cores
(``tools/execute_book.py`` records it); when the last build executed only some notebooks, the sum of
all notebooks' seconds divided by the number of jobs stands in for it.
The cache is filled by ``make book`` (or the site test), which executes every notebook once.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def execution_times(cache: Path) -> dict[str, float]:
    """Notebook path (relative to the project) -> seconds of its last cached execution."""
    from jupyter_cache import get_cache

    times: dict[str, float] = {}
    for record in get_cache(str(cache)).list_cache_records():
        path = Path(record.uri)
        try:
            rel = str(path.resolve().relative_to(ROOT))
        except ValueError:
            rel = str(path)
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            times[rel] = float(seconds)  # newer records overwrite older ones
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=60.0, help="seconds allowed per notebook")
    ap.add_argument("--book-budget", type=float, default=480.0, help="seconds allowed for all notebooks together")
    ap.add_argument("--cache", type=Path, default=ROOT / "_build" / ".jupyter_cache")
    args = ap.parse_args()
    if not args.cache.exists():
        print(f"no execution cache at {args.cache}: run `make book` first")
        return 1
    times = execution_times(args.cache)
    width = max((len(p) for p in times), default=10)
    print(f"{'notebook':{width}}  seconds")
    for path, secs in sorted(times.items()):
        flag = "  OVER BUDGET" if secs > args.budget else ""
        print(f"{path:{width}}  {secs:7.1f}{flag}")
    total = sum(times.values())
    print(f"{'total':{width}}  {total:7.1f}  ({len(times)} notebooks, budget {args.budget:g} s each)")
    print("slowest five:")
    for path, secs in sorted(times.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {path:{width}}  {secs:7.1f}")
    wall, how = book_wall_seconds(total)
    print(f"whole book: {wall:.0f} s of execution {how} (budget {args.book_budget:g} s)")
    return 1 if any(s > args.budget for s in times.values()) or wall > args.book_budget else 0


def book_wall_seconds(total: float) -> tuple[float, str]:
    """The wall-clock seconds of executing the whole book, and how they were obtained."""
    import json

    record = ROOT / "_build" / "book_execution.json"
    data = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    jobs = int(data.get("jobs", 2))
    if data.get("complete"):
        return float(data["wall_seconds"]), f"measured, {data['notebooks']} notebooks {jobs} at a time"
    return total / jobs, f"estimated as the total over {jobs} jobs (the last build ran only some notebooks)"


if __name__ == "__main__":
    sys.exit(main())
