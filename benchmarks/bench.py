"""Speed of the exact engine, measured: against qutip, against a closed form, and against N.

Not a test: run it by hand on a quiet machine and commit the JSON it writes, which the
performance chapter of the book reads and plots (and partly re-measures live).

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench.py [--quick] [--out FILE]

Sections (issue 7, part 2):
  qutip_vs_engine   Liu et al. Fig. 5 thermal case: N = 1 (n_th = 1, epsilon = 0.001, J = J_op),
                    energy at 40 times up to t = 3000; qutip at the smallest cutoff that agrees with
                    the engine to 1e-3; and the cascaded N = 2 case.
  closed_form       Ahmadi et al. nonreciprocal pair on 200 times: engine versus numpy closed form.
  scaling           steady state and a 200-point trace for cascaded and parallel networks up to N = 1000.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

import nrqb
from nrqb import NetworkBuilder

KAPPA = 0.003
EPS = 0.001


def best_of(fn, repeat=5):
    """Minimum wall time of ``repeat`` calls (seconds) and the last result."""
    best, out = np.inf, None
    for _ in range(repeat):
        tic = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - tic)
    return best, out


def cascaded(N: int, J: float, *, kappa: float = KAPPA, eps: float = EPS, **kw):
    """Liu et al. cascaded network, nonreciprocal (theta = pi/2, mu = 1, Gamma_i = 2 J)."""
    nb = NetworkBuilder().mode("a", loss=kappa).drive("a", eps)
    prev = "a"
    for i in range(1, N + 1):
        nb.mode(f"b{i}", loss=kappa).nonreciprocal_link(prev, f"b{i}", gamma=2 * J)
        prev = f"b{i}"
    return nb.build(**kw)


def parallel(N: int, J: float, *, kappa: float = KAPPA, eps: float = EPS, **kw):
    """A charger feeding N batteries through one-way links (parallel topology)."""
    nb = NetworkBuilder().mode("a", loss=kappa).drive("a", eps)
    for i in range(1, N + 1):
        nb.mode(f"b{i}", loss=kappa).nonreciprocal_link("a", f"b{i}", gamma=2 * J)
    return nb.build(**kw)


def j_op_cascaded(N: int, kappa: float = KAPPA) -> float:
    """Liu et al., Eq. (10): J_op^c = kappa (N + sqrt(N^2 + 8N)) / 8."""
    return kappa * (N + np.sqrt(N * N + 8 * N)) / 8


def qutip_vs_engine(N: int, cutoffs, times, tol=1e-3, max_seconds=900):
    import qutip as qt

    net = cascaded(N, j_op_cascaded(N), n_th=1.0)
    t_engine, E = best_of(lambda: net.energies(times)[:, -1])
    rows = []
    for d in cutoffs:
        H, c_ops = net.to_qutip(d)
        ops = nrqb.engine.qutip_bridge.mode_operators(d, net.n_modes)
        psi0 = qt.tensor([qt.basis(d, 0)] * net.n_modes)
        tic = time.perf_counter()
        res = qt.mesolve(H, psi0, times, c_ops, e_ops=[ops[-1].dag() * ops[-1]],
                         options={"atol": 1e-9, "rtol": 1e-7, "nsteps": 100000})
        tq = time.perf_counter() - tic
        err = float(np.max(np.abs(res.expect[0] - E)) / np.max(np.abs(E)))
        rows.append({"cutoff": d, "seconds": tq, "max_rel_error": err})
        print(f"  N={N} cutoff {d}: {tq:.1f} s, max rel. error {err:.1e}", flush=True)
        if err < tol or tq > max_seconds:
            break
    return {"N": N, "n_th": 1.0, "epsilon": EPS, "J": j_op_cascaded(N), "n_times": len(times),
            "t_max": float(times[-1]), "engine_seconds": t_engine, "qutip": rows,
            "agreed": rows[-1]["max_rel_error"] < tol}


def closed_form_ratio(repeat=200):
    G, k, F = 0.04, 0.003, 0.1
    t = np.linspace(0, 600, 200)
    lam = G + k
    net = NetworkBuilder().mode("a", loss=k).mode("b", loss=k).drive("a", F).nonreciprocal_link("a", "b", G).build()

    def closed():
        x = np.exp(-lam * t / 2)
        return 4 * F**2 * G**2 / lam**2 * (2 / lam * (1 - x) - t * x) ** 2

    t_closed, ref = best_of(closed, repeat)
    t_engine, eng = best_of(lambda: net.energies(t)[:, 1], repeat)
    err = float(np.max(np.abs(eng - ref)) / np.max(ref))
    return {"closed_form_seconds": t_closed, "engine_seconds": t_engine, "ratio": t_engine / t_closed,
            "max_rel_difference": err}


def scaling(Ns, repeat=3, verbose=True):
    out = {}
    t = np.linspace(0, 3000, 200)
    for name, build in (("cascaded", cascaded), ("parallel", parallel)):
        rows = []
        for N in Ns:
            J = 0.5 * KAPPA  # fixed coupling: ratio 2 Gamma/Lambda stays below overflow at N = 1000
            t_build, net = best_of(lambda: build(N, J), 1)
            t_ss, _ = best_of(lambda: build(N, J).steady_state(), repeat)
            t_tr, _ = best_of(lambda: build(N, J).energies(t), repeat)
            rows.append({"N": N, "build_seconds": t_build, "steady_seconds": t_ss, "trace_seconds": t_tr})
            if verbose:
                print(f"  {name} N={N}: steady {t_ss:.3f} s, trace {t_tr:.3f} s", flush=True)
        Nf = np.array([r["N"] for r in rows], float)
        for key in ("steady_seconds", "trace_seconds"):
            y = np.array([r[key] for r in rows])
            big = Nf >= 100
            slope = float(np.polyfit(np.log(Nf[big]), np.log(y[big]), 1)[0]) if big.sum() >= 2 else float("nan")
            rows_key = key.replace("_seconds", "_exponent")
            out.setdefault(name + "_fit", {})[rows_key] = slope
        out[name] = rows
    return out


def book_times(root: Path):
    """Wall time to execute every notebook of the book once (nbclient, one kernel each)."""
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for nb_path in sorted((root / "book").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        tic = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}}).execute()
        rows.append({"notebook": nb_path.name, "seconds": time.perf_counter() - tic})
        print(f"  {nb_path.name}: {rows[-1]['seconds']:.1f} s", flush=True)
    return {"notebooks": rows, "total_seconds": sum(r["seconds"] for r in rows)}


def machine():
    return {"platform": platform.platform(), "python": sys.version.split()[0], "cpus": os.cpu_count(),
            "numpy": np.__version__, "nrqb": nrqb.__version__,
            "threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the slow qutip runs")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    ap.add_argument("--book", action="store_true", help="also time the execution of every notebook")
    ap.add_argument("--book-only", action="store_true",
                    help="only time the notebooks, updating the 'book' entry of an existing --out file")
    args = ap.parse_args(argv)
    if args.book_only:
        res = json.loads(Path(args.out).read_text())
        res["book"] = book_times(Path(__file__).resolve().parents[1])
        res["book"]["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        Path(args.out).write_text(json.dumps(res, indent=1))
        print(json.dumps(res["book"], indent=1))
        return
    res = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print("closed form vs engine", flush=True)
    res["closed_form"] = closed_form_ratio()
    print("scaling with N", flush=True)
    res["scaling"] = scaling([1, 3, 10, 30, 100, 300, 1000])
    if not args.quick:
        times = np.linspace(0, 3000, 40)
        print("qutip vs engine, N = 1", flush=True)
        res["qutip_N1"] = qutip_vs_engine(1, [8, 12, 16, 20, 24], times)
        print("qutip vs engine, N = 2", flush=True)
        res["qutip_N2"] = qutip_vs_engine(2, [5, 6, 8], times, max_seconds=600)
    if args.book:
        print("executing the whole book", flush=True)
        res["book"] = book_times(Path(__file__).resolve().parents[1])
    Path(args.out).write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
