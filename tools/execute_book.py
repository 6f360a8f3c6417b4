#!/usr/bin/env python3
"""Execute the book's notebooks in parallel into the website build's execution cache.

    python tools/execute_book.py [--jobs N]

The website build (``jupyter-book build``, execution mode ``cache``) executes each notebook whose
code is not in ``_build/.jupyter_cache`` yet, one after another. This script fills that cache first,
``--jobs`` notebooks at a time (default: one per CPU core), with the same environment the build
gives its kernels (widgets in their static form), so that the build then only renders. A notebook
that fails here is executed once more, alone (a kernel can fail to start or die under load); if it
fails again it is not cached: the build executes it again and reports the failing cell.
The wall-clock time of the run, and each notebook's CPU time (the user + system seconds of its kernel
process, which the pool worker reaps), are written to ``_build/book_execution.json`` for
``tools/nbtime.py``. The CPU time is what a notebook costs a reader with one core to itself; unlike the
wall-clock time it does not grow when other work (the rest of ``make test``) shares the machine.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Where the wall-clock and CPU times of the last execution are kept for ``tools/nbtime.py``.
WALL_RECORD = ROOT / "_build" / "book_execution.json"


def toc_files() -> list[str]:
    """Every file the table of contents lists (without suffix), in its order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    return files


def book_notebooks() -> list[Path]:
    """The notebooks the table of contents lists, in its order."""
    return [p for f in toc_files() if (p := ROOT / f"{f}.ipynb").exists()]


def forced(path: Path) -> bool:
    """Notebooks that myst-nb executes on every build (execution_mode "force") bypass the cache."""
    import json

    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("mystnb", {}).get("execution_mode") == "force"


class _TimedWorker:
    """jupyter-cache's own worker, also measuring the CPU seconds of the kernel it starts and reaps."""

    def __init__(self) -> None:
        from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc

        self._worker = ExecutionWorkerLocalMProc()

    def __call__(self, data) -> tuple[int, str, float]:
        import resource

        def children_cpu() -> float:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # terminated and waited-for children
            return usage.ru_utime + usage.ru_stime

        before = children_cpu()
        code, uri = self._worker(data)
        return code, uri, children_cpu() - before


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks executed at once")
    ap.add_argument("--cache", type=Path, default=ROOT / "_build" / ".jupyter_cache")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell, as in _config.yml")
    args = ap.parse_args()

    import multiprocessing

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    # what _ext/bilingual.py gives the build's kernels
    os.environ["MLBOOK_WIDGETS"] = "static"
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # figures inline, never Agg

    cache = get_cache(str(args.cache))
    todo = []
    for path in book_notebooks():
        if forced(path):
            continue
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(str(path))
    if not todo:
        print("execute_book: every notebook is already in the cache")
        return 0
    for uri in todo:
        cache.add_nb_to_project(uri)

    from jupyter_cache.executors.basic import ProcessData

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    executor = load_executor("local-parallel", cache=cache, logger=logging.getLogger("execute_book"))
    records = executor.get_records(todo, None, clear_tracebacks=True)
    start = time.perf_counter()
    with multiprocessing.Pool(min(args.jobs, len(records))) as pool:  # the executor's own worker, n at a time
        results = pool.map(_TimedWorker(),
                         [ProcessData(r.pk, r.uri, cache, args.timeout, False) for r in records], chunksize=1)
    retry = [r for r, (code, _, _) in zip(records, results) if code != 0]
    if retry:  # once more, one at a time: a kernel that failed to start or died under load gets a second chance
        print("execute_book: executing again, one at a time: "
              + ", ".join(os.path.relpath(r.uri, ROOT) for r in retry), flush=True)
        with multiprocessing.Pool(1) as pool:
            again = pool.map(_TimedWorker(), [ProcessData(r.pk, r.uri, cache, args.timeout, False) for r in retry])
        by_uri = {uri: (code, uri, secs) for code, uri, secs in again}
        results = [by_uri.get(uri, (code, uri, secs)) for code, uri, secs in results]
    wall = time.perf_counter() - start
    codes = [(code, uri) for code, uri, _ in results]
    import json

    previous = json.loads(WALL_RECORD.read_text(encoding="utf-8")) if WALL_RECORD.exists() else {}
    cpu = {path: secs for path, secs in previous.get("cpu_seconds", {}).items()  # still cached, not re-run
           if (ROOT / path).exists() and os.path.join(ROOT, path) not in todo}
    cpu.update({os.path.relpath(uri, ROOT): round(secs, 1) for code, uri, secs in results if code == 0})
    succeeded = [uri for code, uri in codes if code == 0]
    failed = [uri for code, uri in codes if code != 0]
    complete = len(succeeded) == len([p for p in book_notebooks() if not forced(p)])
    WALL_RECORD.parent.mkdir(parents=True, exist_ok=True)
    WALL_RECORD.write_text(json.dumps({"wall_seconds": round(wall, 1), "jobs": args.jobs,
                                       "notebooks": len(succeeded), "complete": complete,
                                       "cpu_seconds": cpu}, indent=1) + "\n")
    print(f"execute_book: {len(succeeded)} notebooks executed in {wall:.0f} s "
          f"with {args.jobs} jobs" + (f"; {len(failed)} failed (the build will report them): "
                                      + ", ".join(os.path.relpath(f, ROOT) for f in failed) if failed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
