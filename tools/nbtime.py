#!/usr/bin/env python3
"""Print each notebook's execution time, in seconds, from the website build's execution cache.

    python tools/nbtime.py [--budget 60] [--cache _build/.jupyter_cache]

Prints the total and the five slowest. Exits 1 when a notebook went over its budget (60 s on two CPU
cores) or the whole book over its own (8 minutes), as the README states.
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
    print(f"{'total':{width}}  {total:7.1f}  ({len(times)} notebooks, budget {args.budget:g} s each, "
          f"{args.book_budget:g} s for the book)")
    print("slowest five:")
    for path, secs in sorted(times.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {path:{width}}  {secs:7.1f}")
    return 1 if any(s > args.budget for s in times.values()) or total > args.book_budget else 0


if __name__ == "__main__":
    sys.exit(main())
