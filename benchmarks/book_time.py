"""Time the execution of every notebook of the book, as the book build executes them.

Not a test: run it by hand on a quiet machine and commit the JSON it updates; the performance
chapter prints the table.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/book_time.py [--out FILE] [notebooks...]

Each notebook runs once, in order, in a fresh ``python3`` kernel started by ``nbclient`` (what
myst-nb uses when ``jupyter-book build`` executes a notebook), from ``book/`` as working
directory. Three times per notebook: ``seconds`` (wall time from starting the kernel to shutting it
down: what the build pays), ``cells`` (the sum of the cells' own execution times) and
``figures`` (the part of the cells spent turning figures into the PNGs the book shows,
:func:`nrqb.book.plotting.figure_png`: layout, rasterising at 192 dpi, encoding; measured by
wrapping that function in the kernel before the first cell); also ``kernel_start`` (starting the
kernel until it answers) and ``kernel_shutdown`` (nbclient's graceful shutdown, as the build does
it). The commit timed is stored as ``code`` (``git describe --dirty``). Cells tagged
``skip-execution`` are skipped, as the build skips them. The load average before and after is
stored (a busy machine inflates every time).  The kernels get ``NRQB_FAST_EXIT=1``, as in the
build (:func:`kernel_env`). The result replaces the ``"book"`` entry of
``benchmarks/results.json``; the other entries (written by ``bench.py``, and ``"book_history"``:
earlier runs of this script kept by hand, which the performance chapter quotes) are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def kernel_env() -> dict:
    """The environment of the kernels: this process's, with ``NRQB_FAST_EXIT=1`` unless it is set
    (as the book build sets it, ``tools/nrqb_sphinx.py``)."""
    return {**os.environ, "NRQB_FAST_EXIT": os.environ.get("NRQB_FAST_EXIT", "1")}


def time_notebook(path: Path) -> dict:
    """Execute one notebook in a fresh kernel; wall time and summed cell time, in seconds."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "skip-execution" not in c.get("metadata", {}).get("tags", [])]
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cells = 0.0
    probe = nbformat.v4.new_code_cell("print(_nrqb_plotting._figure_seconds)")
    nb.cells = [nbformat.v4.new_code_cell(_TIMER), *nb.cells, probe]
    t0 = time.perf_counter()
    with client.setup_kernel(env=kernel_env()):
        t_ready = time.perf_counter()
        client.execute_cell(nb.cells[0], 0, store_history=False)
        for i, cell in enumerate(nb.cells[1:-1], start=1):
            if cell.cell_type != "code":
                continue
            tc = time.perf_counter()
            client.execute_cell(cell, i)
            cells += time.perf_counter() - tc
        client.execute_cell(probe, len(nb.cells) - 1, store_history=False)
        figures = float("".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream"))
        t_done = time.perf_counter()
    t_end = time.perf_counter()
    return {"notebook": path.name, "seconds": round(t_end - t0, 2), "cells": round(cells, 2),
            "figures": round(figures, 2), "kernel_start": round(t_ready - t0, 2),
            "kernel_shutdown": round(t_end - t_done, 2)}


#: run in the kernel before the notebook: time every call of figure_png (the inline PNG formatter
#: that nrqb.book.plotting.use_style registers looks the function up at each call)
_TIMER = """\
import time as _nrqb_time
import nrqb.book.plotting as _nrqb_plotting
_nrqb_plotting._figure_seconds = 0.0
def _nrqb_timed(*args, _f=_nrqb_plotting.figure_png, **kwargs):
    t = _nrqb_time.perf_counter()
    try:
        return _f(*args, **kwargs)
    finally:
        _nrqb_plotting._figure_seconds += _nrqb_time.perf_counter() - t
_nrqb_plotting.figure_png = _nrqb_timed
"""


def permutation_p(old, new) -> float:
    """One-sided exact permutation p-value of ``mean(old) - mean(new)``.

    The fraction of the ways of relabelling the pooled runs into groups of the same sizes whose
    difference of means is at least the observed one (the observed labelling counts, so the
    value is at least one over the number of relabellings).  Differences within a relative
    ``1e-12`` of the data's largest magnitude count as ties.  With three runs each, complete
    separation (every new run below every old one) gives 1/20 = 0.05, the smallest p-value such
    a design can give; the meaning holds if the runs are exchangeable.  Raises ValueError for an
    empty group or a value that is not finite.
    """
    import math
    from itertools import combinations

    old, new = [float(x) for x in old], [float(x) for x in new]
    if not old or not new:
        raise ValueError("old and new must each hold at least one run")
    if not all(math.isfinite(x) for x in old + new):
        raise ValueError("old and new must hold finite numbers")
    pooled, n = old + new, len(new)
    # the group sizes are fixed, so mean(old) - mean(new) grows as the sum of the new group falls
    observed = sum(new)
    tol = 1e-12 * max(abs(x) for x in pooled) * len(pooled)
    hits = count = 0
    for chosen in combinations(range(len(pooled)), n):
        s_new = sum(pooled[k] for k in chosen)
        count += 1
        hits += s_new <= observed + tol
    return hits / count


def ab_summary(book_ab: dict, notebook: str = "liu_reservoirs.ipynb") -> dict:
    """Summary of runs of this script on two versions of the code (``results.json["book_ab"]``).

    ``book_ab["runs"]`` holds one entry per run, each with ``code`` ("old" or "new"),
    ``total_seconds``, ``total_cells``, ``total_figures`` and ``seconds`` per notebook.  Returns,
    for ``"old"`` and ``"new"``, the lists of whole-book totals (``total``), of the time in the
    cells (``cells``), of the figures' share of the time in the cells (``share``, a ratio from
    which a drift of the machine's speed largely cancels) and of the seconds of ``notebook``
    (``nb``); and ``gain`` (1 - ratio of the mean totals), ``spread_old`` (largest over smallest
    old total, minus 1), ``share_gain`` (1 - ratio of the mean shares), ``p_total``
    (:func:`permutation_p` of the totals).  Runs that store ``kernel_shutdown`` (the seconds of
    the kernels' shutdowns summed over the notebooks) give also ``shutdown``, the list of those,
    and ``rest`` (total minus shutdown), for each version; both are None for a version with a run
    that does not store it.  Raises ValueError if either version has no run.
    """
    out: dict = {}
    codes = {r["code"] for r in book_ab["runs"]}
    if not codes <= {"old", "new"}:
        raise ValueError(f"book_ab: run codes must be 'old' or 'new', got {sorted(codes - {'old', 'new'})}")
    for code in ("old", "new"):
        runs = [r for r in book_ab["runs"] if r["code"] == code]
        if not runs:
            raise ValueError(f"book_ab: no run with code {code!r}")
        stored = all("kernel_shutdown" in r for r in runs)
        out[code] = {"total": [r["total_seconds"] for r in runs],
                     "cells": [r["total_cells"] for r in runs],
                     "share": [r["total_figures"] / r["total_cells"] for r in runs],
                     "nb": [r["seconds"][notebook] for r in runs],
                     "shutdown": [r["kernel_shutdown"] for r in runs] if stored else None,
                     "rest": [r["total_seconds"] - r["kernel_shutdown"] for r in runs] if stored else None}
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    out["gain"] = 1 - mean(out["new"]["total"]) / mean(out["old"]["total"])
    out["spread_old"] = max(out["old"]["total"]) / min(out["old"]["total"]) - 1
    out["share_gain"] = 1 - mean(out["new"]["share"]) / mean(out["old"]["share"])
    out["p_total"] = permutation_p(out["old"]["total"], out["new"]["total"])
    return out


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
        print(f"{rows[-1]['notebook']:<24} {rows[-1]['seconds']:6.1f} s  (cells {rows[-1]['cells']:.1f} s, "
              f"figures {rows[-1]['figures']:.1f} s)", flush=True)
    code = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                          text=True).stdout.strip() or "unknown"
    book = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "code": code,
            "load_average": list(load_before), "load_average_after": list(os.getloadavg()),
            "notebooks": rows, "total_seconds": round(sum(r["seconds"] for r in rows), 1),
            "total_cells": round(sum(r["cells"] for r in rows), 1),
            "total_figures": round(sum(r["figures"] for r in rows), 1),
            "total_kernel": round(sum(r["kernel_start"] + r["kernel_shutdown"] for r in rows), 1)}
    print(f"{'total':<24} {book['total_seconds']:6.1f} s  (cells {book['total_cells']:.1f} s, "
          f"figures {book['total_figures']:.1f} s; kernel start and shutdown {book['total_kernel']:.1f} s)")
    res = json.loads(args.out.read_text()) if args.out.exists() else {}
    res["book"] = book
    args.out.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
