#!/usr/bin/env python3
"""Print each notebook's execution time, in seconds, from the website build's execution cache.

    python tools/nbtime.py [--budget 60] [--cache _build/.jupyter_cache]

Two columns: the wall-clock seconds of the notebook's last cached execution, and the CPU seconds of its
kernel (user + system, recorded by ``tools/execute_book.py``; the kernels run single-threaded, with
``OMP_NUM_THREADS=1``). The budget (60 s a notebook) applies to the CPU seconds where they were recorded,
because they measure the notebook and not the machine's other load: during ``make test`` the book is
executed two notebooks at a time while the other test worker runs, so wall-clock times there are
stretched by the contention, by a factor that varies from machine to machine. Without a CPU record (a
notebook the build itself had to execute) the wall-clock seconds stand in.
Prints the totals and the five slowest. Exits 1 when a notebook went over its budget or the whole book
over its own (8 minutes), as the README states. The book's budget is for the wall-clock time of
executing every notebook the way ``make book`` does, two at a time on two cores (``tools/execute_book.py``
records it); when the last build executed only some notebooks, the sum of all notebooks' seconds divided
by the number of jobs stands in for it.
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


def execution_record() -> dict:
    """What ``tools/execute_book.py`` recorded of the last execution (empty if nothing was)."""
    import json

    record = ROOT / "_build" / "book_execution.json"
    return json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}


def cpu_times() -> dict[str, float]:
    """Notebook path (relative to the project) -> CPU seconds of its kernel in the last parallel execution."""
    return {str(k): float(v) for k, v in execution_record().get("cpu_seconds", {}).items()}


def budgeted_times(cache: Path) -> dict[str, float]:
    """The seconds the budget applies to: the kernel's CPU seconds where recorded, else wall-clock seconds."""
    return {**execution_times(cache), **cpu_times()}


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
    cpu = cpu_times()
    budgeted = {p: cpu.get(p, secs) for p, secs in times.items()}
    width = max((len(p) for p in times), default=10)
    print(f"{'notebook':{width}}     wall      cpu")
    for path, secs in sorted(times.items()):
        flag = "  OVER BUDGET" if budgeted[path] > args.budget else ""
        cpu_s = f"{cpu[path]:8.1f}" if path in cpu else "       -"
        print(f"{path:{width}}  {secs:7.1f}  {cpu_s}{flag}")
    total = sum(times.values())
    print(f"{'total':{width}}  {total:7.1f}  {sum(cpu.values()):8.1f}  "
          f"({len(times)} notebooks, budget {args.budget:g} s each, on the CPU seconds where recorded)")
    print("slowest five (budgeted seconds):")
    for path, secs in sorted(budgeted.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {path:{width}}  {secs:7.1f}")
    wall, how = book_wall_seconds(total)
    print(f"whole book: {wall:.0f} s of execution {how} (budget {args.book_budget:g} s)")
    return 1 if any(s > args.budget for s in budgeted.values()) or wall > args.book_budget else 0


def book_wall_seconds(total: float) -> tuple[float, str]:
    """The wall-clock seconds of executing the whole book, and how they were obtained."""
    data = execution_record()
    jobs = int(data.get("jobs", 2))
    if data.get("complete"):
        return float(data["wall_seconds"]), f"measured, {data['notebooks']} notebooks {jobs} at a time"
    return total / jobs, f"estimated as the total over {jobs} jobs (the last build ran only some notebooks)"


if __name__ == "__main__":
    sys.exit(main())
