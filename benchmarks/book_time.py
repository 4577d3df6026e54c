"""Time the execution of every notebook of the book, as the book build executes them.

Not a test: run it by hand on a quiet machine and commit the JSON it updates; the performance
chapter prints the table.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/book_time.py [--out FILE] [notebooks...]

Each notebook runs once, in order, in a fresh ``python3`` kernel started by ``nbclient`` (what
myst-nb uses when ``jupyter-book build`` executes a notebook), from ``book/`` as working
directory. Two times per notebook: ``seconds`` (wall time from starting the kernel to shutting it
down: what the build pays) and ``cells`` (the sum of the cells' own execution times). Cells tagged
``skip-execution`` are skipped, as the build skips them. The load average before and after is
stored (a busy machine inflates every time). The result replaces the ``"book"`` entry of
``benchmarks/results.json``; the other entries (written by ``bench.py``) are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def time_notebook(path: Path) -> dict:
    """Execute one notebook in a fresh kernel; wall time and summed cell time, in seconds."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "skip-execution" not in c.get("metadata", {}).get("tags", [])]
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cells = 0.0
    t0 = time.perf_counter()
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tc = time.perf_counter()
            client.execute_cell(cell, i)
            cells += time.perf_counter() - tc
    return {"notebook": path.name, "seconds": round(time.perf_counter() - t0, 2), "cells": round(cells, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", help="default: every book/*.ipynb")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = ap.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "book").glob("*.ipynb"))
    load_before = os.getloadavg()
    rows = []
    for p in paths:
        rows.append(time_notebook(p))
        print(f"{rows[-1]['notebook']:<24} {rows[-1]['seconds']:6.1f} s  (cells {rows[-1]['cells']:.1f} s)", flush=True)
    book = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": list(load_before), "load_average_after": list(os.getloadavg()),
            "notebooks": rows, "total_seconds": round(sum(r["seconds"] for r in rows), 1),
            "total_cells": round(sum(r["cells"] for r in rows), 1)}
    print(f"{'total':<24} {book['total_seconds']:6.1f} s  (cells {book['total_cells']:.1f} s)")
    res = json.loads(args.out.read_text()) if args.out.exists() else {}
    res["book"] = book
    args.out.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
