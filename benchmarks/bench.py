"""Speed of the exact engine, measured in one run: against N, against qutip, against an ODE solver.

Not a test: run it by hand and commit the JSON it writes, which the performance chapter of the
book reads and plots (the chapter re-measures only a small live check).

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/bench.py [--quick] [--out FILE]

Every time is the MEDIAN of ``--repeat`` runs (default 3), for every solver alike; the load
average of the machine before and after is stored, since a busy machine inflates all of them.
A network is built afresh for every repeat (a network caches its results), and its build, its
stability check and its solve are timed separately.

Sections (issue 12):
  scaling      Liu et al.'s cascade at J_op (kappa = 0.003, epsilon = 0.001): build, stability,
               steady state and a 200-point energy trace to t = 2e5, for N up to 1e5, at zero
               temperature and with n_th = 1 on every channel; fitted exponents of the cost.
  lattice      30 x 30 square lattice with per-channel temperatures and squeezing: steady state
               and the energies at 50 times (uniform losses: a normal drift; non-uniform ones).
  one_mode     ergotropy and covariance of the last mode of a thermal cascade (fixed J) at 50 times,
               against N.
  qutip_N1/N2  Liu et al. Fig. 5, thermal (n_th = 1): the battery energy at 40 times to t = 3000;
               qutip mesolve at every Fock cutoff from 5 until it agrees with the engine to 1e-3
               (or the time budget is spent), the engine, and solve_ivp (DOP853) on the same
               moment equations at rtol 1e-3 and 1e-8.
  closed_form  Ahmadi et al.'s nonreciprocal pair on 200 times: engine versus numpy closed form.
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


def median_of(fn, repeat=3):
    """Median and minimum wall time of ``repeat`` calls of ``fn`` (seconds), and the last result."""
    times, out = [], None
    for _ in range(repeat):
        tic = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - tic)
    return float(np.median(times)), float(np.min(times)), out


def best_of(fn, repeat=5):
    """Minimum wall time of ``repeat`` calls (seconds) and the last result (the live check)."""
    _, best, out = median_of(fn, repeat)
    return best, out


def j_op_cascaded(N: int, kappa: float = KAPPA) -> float:
    """Liu et al., Eq. (10): J_op^c = kappa (N + sqrt(N^2 + 8N)) / 8."""
    return kappa * (N + np.sqrt(N * N + 8 * N)) / 8


def cascaded_builder(N: int, J: float, *, kappa: float = KAPPA, eps: float = EPS) -> NetworkBuilder:
    """Liu et al. cascaded network, nonreciprocal (theta = pi/2, mu = 1, Gamma_i = 2 J)."""
    nb = NetworkBuilder().mode("a", loss=kappa).drive("a", eps)
    prev = "a"
    for i in range(1, N + 1):
        nb.mode(f"b{i}", loss=kappa).nonreciprocal_link(prev, f"b{i}", gamma=2 * J)
        prev = f"b{i}"
    return nb


def cascaded(N: int, J: float, *, kappa: float = KAPPA, eps: float = EPS, **kw):
    return cascaded_builder(N, J, kappa=kappa, eps=eps).build(**kw)


def lattice_builder(L: int, J: float = 0.1, kappa: float = 0.05, uniform: bool = True):
    """An L x L square lattice of hopping modes, driven at a corner, with the per-channel thermal
    occupations ``0.2 ... 1.0`` and squeezing ``r = 0.1 ... 0.3``, ``theta = 0 ... 1.8`` of the
    tests (``tests/engine/test_scale.py``); ``uniform=False``: losses ``kappa (1, 1.5, 2)`` and a
    hop phase on vertical links (a non-normal drift)."""
    nb = NetworkBuilder()
    for y in range(L):
        for x in range(L):
            nb.mode(f"{x},{y}", loss=kappa if uniform else kappa * (1 + 0.5 * ((x + 2 * y) % 3)))
    for y in range(L):
        for x in range(L):
            if x + 1 < L:
                nb.hop(f"{x},{y}", f"{x + 1},{y}", J)
            if y + 1 < L:
                nb.hop(f"{x},{y}", f"{x},{y + 1}", J * (1 if uniform else np.exp(0.3j)))
    nb.drive("0,0", 0.01)
    j = np.arange(L * L)
    nth = 0.2 + 0.8 * ((j % 5) / 4)
    sq = np.stack([0.1 + 0.2 * ((j % 3) / 2), 0.3 * (j % 7)], axis=1)
    return nb, nth, sq


def fit_exponent(N, y):
    """Least-squares slope of log(y) against log(N)."""
    return float(np.polyfit(np.log(np.asarray(N, float)), np.log(np.asarray(y, float)), 1)[0])


def local_slopes(N, y):
    """Slope of log(y) against log(N) between consecutive sizes: ``[(N_a, N_b, slope), ...]``."""
    N, y = np.asarray(N, float), np.asarray(y, float)
    return [(int(N[i]), int(N[i + 1]), float(np.log(y[i + 1] / y[i]) / np.log(N[i + 1] / N[i])))
            for i in range(len(N) - 1)]


def fits(rows, keys, lo):
    """Fit over ``N >= lo``, over the top decade, and the local slopes, for each ``key_seconds``."""
    big = [r for r in rows if r["N"] >= lo]
    top = [r for r in rows if r["N"] >= rows[-1]["N"] / 10]
    out = {"range": [big[0]["N"], big[-1]["N"]], "top_decade": [top[0]["N"], top[-1]["N"]]}
    for k in keys:
        out[k] = fit_exponent([r["N"] for r in big], [r[f"{k}_seconds"] for r in big])
        out[k + "_top_decade"] = fit_exponent([r["N"] for r in top], [r[f"{k}_seconds"] for r in top])
        out[k + "_local"] = local_slopes([r["N"] for r in rows], [r[f"{k}_seconds"] for r in rows])
    return out


def timed_parts(make, parts, repeat):
    """Median of each part over ``repeat`` fresh networks: ``make()`` builds, ``parts`` is a list of
    ``(name, fn(net))``; returns ``{name_seconds: median}`` plus ``build_seconds``."""
    acc = {"build": []}
    for name, _ in parts:
        acc[name] = []
    for _ in range(repeat):
        tic = time.perf_counter()
        net = make()
        acc["build"].append(time.perf_counter() - tic)
        for name, fn in parts:
            tic = time.perf_counter()
            fn(net)
            acc[name].append(time.perf_counter() - tic)
    out = {f"{k}_seconds": float(np.median(v)) for k, v in acc.items()}
    out["total_seconds"] = float(sum(out[f"{k}_seconds"] for k in acc))
    return out, net


def scaling(Ns, repeat=3, n_times=200, t_max=2e5, verbose=True):
    """The issue's table: cascade at J_op, build + stability + steady state + 200-point trace."""
    t = np.linspace(0, t_max, n_times)
    out = {"n_times": n_times, "t_max": t_max, "kappa": KAPPA, "epsilon": EPS}
    for label, nth in (("zero_temperature", 0.0), ("thermal", 1.0)):
        rows = []
        for N in Ns:
            J = j_op_cascaded(N)
            reps = max(repeat, 5) if N >= 30_000 else repeat
            row, net = timed_parts(lambda: cascaded(N, J, n_th=nth),
                                   [("stability", lambda x: x.is_stable()),
                                    ("steady", lambda x: x.steady_state()),
                                    ("trace", lambda x: x.energies(t))], reps)
            E, Ess = net.energies(t[:2])[1], net.steady_state()["energies"]
            lam = (KAPPA + 4 * J) / 2  # decay rate of a chain mode, Gamma = 2 J
            row.update(N=N, modes=N + 1, sparse=bool(net.is_sparse), repeat=reps,
                       output_megabytes=8 * n_times * (N + 1) / 1e6, transit_time=N / lam,
                       first_time=float(t[1]),
                       steady_at_first_time=float(np.max(np.abs(E - Ess)) / np.max(np.abs(Ess))))
            rows.append(row)
            if verbose:
                print(f"  {label} N={N}: build {row['build_seconds']:.3f} s, stability "
                      f"{row['stability_seconds']:.3f} s, steady {row['steady_seconds']:.3f} s, trace "
                      f"{row['trace_seconds']:.3f} s, total {row['total_seconds']:.3f} s", flush=True)
        fit = fits(rows, ("build", "steady", "trace", "total"), 1000)
        out[label] = rows
        out[label + "_fit"] = fit
        if verbose:
            print(f"  {label}: exponents (N >= 1000) {fit}", flush=True)
    return out


def transient(Ns, repeat=3, n_times=200, t_max=1500.0, verbose=True):
    """The same cascade at zero temperature on a grid that RESOLVES the charging: 200 times in
    ``[0, 1500]`` for every ``N`` (the signal reaches the last battery at ``N / lambda ~ 667``).
    The decay bound that turns late times into the steady state decides nothing here: every time
    is propagated (the cost a reader pays for a charging curve)."""
    t = np.linspace(0, t_max, n_times)
    rows = []
    for N in Ns:
        J = j_op_cascaded(N)
        reps = 1 if N >= 10_000 else repeat
        row, net = timed_parts(lambda: cascaded(N, J), [("steady", lambda x: x.steady_state()),
                                                        ("trace", lambda x: x.energies(t))], reps)
        E = net.energies(t)[:, -1]
        Ess = net.steady_state()["energies"][-1]
        row.update(N=N, repeat=reps, sparse=bool(net.is_sparse), transit_time=N / ((KAPPA + 4 * J) / 2),
                   last_battery_fraction_at=[[float(t[i]), float(E[i] / Ess)] for i in (40, 80, 100, 199)],
                   output_megabytes=8 * n_times * (N + 1) / 1e6)
        rows.append(row)
        if verbose:
            print(f"  transient N={N}: build {row['build_seconds']:.3f} s, steady {row['steady_seconds']:.3f} s, "
                  f"trace {row['trace_seconds']:.3f} s ({reps} runs)", flush=True)
    return {"n_times": n_times, "t_max": t_max, "n_th": 0.0, "rows": rows,
            "fit": fits(rows, ("build", "steady", "trace", "total"), 1000)}


def sparse_accuracy(N=300, N_big=5000, n_times=200, t_max=1500.0):
    """The sparse storage during the charging against the dense engine (``sparse=False``) at ``N``
    (both temperatures), and the sparse propagation proper (``N_big`` above ``DENSE_LIMIT``) at
    zero temperature against ``scipy.sparse.linalg.expm_multiply`` on the means (independent)."""
    import scipy.sparse as sps
    from scipy.sparse.linalg import expm_multiply, spsolve_triangular

    t = np.linspace(0, t_max, n_times)
    J = j_op_cascaded(N)
    out = {"N": N, "n_times": n_times, "t_max": t_max}
    for label, nth in (("zero_temperature", 0.0), ("thermal", 1.0)):
        Es = cascaded(N, J, n_th=nth, sparse=True).energies(t)
        Ed = cascaded(N, J, n_th=nth, sparse=False).energies(t)
        out[label + "_sparse_vs_dense"] = float(np.max(np.abs(Es - Ed)) / np.max(np.abs(Ed)))
        if nth == 0.0:
            Jb = j_op_cascaded(N_big)
            Es = cascaded(N_big, Jb, sparse=True).energies(t)
            out["N_big"] = N_big
            # the means from vacuum: alpha(t) = alpha_ss - e^{At} alpha_ss, A lower bidiagonal
            G, n = 2 * Jb, N_big + 1
            d = np.full(n, -(KAPPA + 2 * G) / 2 + 0j)
            d[0] = d[-1] = -(KAPPA + G) / 2
            A = sps.diags([d, np.full(n - 1, -G + 0j)], [0, -1], format="csr")
            F = np.zeros(n, complex)
            F[0] = EPS
            a_ss = spsolve_triangular(A, 1j * F, lower=True)
            tic = time.perf_counter()
            a = a_ss[None, :] - expm_multiply(A, a_ss, start=0, stop=t_max, num=n_times, endpoint=True)
            out["expm_multiply_seconds"] = time.perf_counter() - tic
            out["zero_temperature_vs_expm_multiply"] = float(np.max(np.abs(Es - np.abs(a) ** 2)) / np.max(np.abs(Es)))
    return out


def lattice(L=30, n_times=50, t_max=500.0, repeat=3, verbose=True):
    """30 x 30 lattice with per-channel temperatures and squeezing: steady state + 50 times."""
    t = np.linspace(0, t_max, n_times)
    out = {"L": L, "modes": L * L, "n_times": n_times, "t_max": t_max}
    for label, uniform in (("uniform_losses", True), ("nonuniform_losses", False)):
        nb, nth, sq = lattice_builder(L, uniform=uniform)
        row, net = timed_parts(lambda: nb.build(n_th=nth, squeezing=sq),
                               [("stability", lambda x: x.is_stable()),
                                ("steady", lambda x: x.steady_state()),
                                ("trace", lambda x: x.energies(t))], repeat)
        sp = net._spectral()
        row["route"] = "eigenbasis of h (unitary)" if sp is not None and sp.unitary else (
            "eigenbasis from the Schur form" if sp is not None else "full moments stepped")
        row.update(lattice_accuracy(net, t))
        out[label] = row
        if verbose:
            print(f"  lattice {label}: {row}", flush=True)
    return out


def lattice_accuracy(net, t):
    """The lattice against a dense route a careful user writes: ``solve_continuous_lyapunov`` for
    the steady fluctuations, ``expm(A dt)`` and two matrix products per time (uniform grid)."""
    from scipy.linalg import eig, expm, solve_continuous_lyapunov

    A, F, Q = np.asarray(net.drift), np.asarray(net.drive), np.asarray(net.noise[0])
    ss = net.steady_state()
    Nss_e = np.asarray(ss["N"].todense() if hasattr(ss["N"], "todense") else ss["N"])
    res = float(np.linalg.norm(A.conj() @ Nss_e + Nss_e @ A.T + Q) / np.linalg.norm(Q))
    V = eig(A)[1]
    tic = time.perf_counter()
    Nss = solve_continuous_lyapunov(A.conj(), -Q)
    a_ss = np.linalg.solve(A, 1j * F)
    P1 = expm(A * (t[1] - t[0]))
    P = np.eye(len(F), dtype=complex)
    E = np.empty((len(t), len(F)))
    for k in range(len(t)):
        a = a_ss - P @ a_ss
        E[k] = np.abs(a) ** 2 + np.real(np.diag(Nss) - ((P.conj() @ Nss) * P).sum(1))
        P = P1 @ P
    t_base = time.perf_counter() - tic
    Ee = net.energies(t)
    return {"lyapunov_residual": res, "eigenvector_condition": float(np.linalg.cond(V)),
            "dense_baseline_seconds": t_base,
            "max_rel_difference_dense_baseline": float(np.max(np.abs(Ee - E)) / np.max(np.abs(E)))}


def one_mode(Ns, J=0.02, n_times=50, t_max=3000.0, repeat=3, verbose=True):
    """Ergotropy and covariance of the last battery of a thermal cascade (n_th = 1) at 50 times.

    A fixed coupling ``J`` (the charger's signal travels the same distance in the same time
    whatever ``N``): the cost against ``N`` is that of the network, not of a faster transient
    (at ``J_op``, which grows as ``kappa N / 4``, the Taylor steps grow as ``N`` too).
    """
    t = np.linspace(0, t_max, n_times)
    rows = []
    for N in Ns:
        row, _ = timed_parts(lambda: cascaded(N, J, n_th=1.0),
                             [("ergotropy", lambda x: x.ergotropy(t, -1)),
                              ("covariance", lambda x: x.covariance(t, modes=[-1]))], repeat)
        row["N"] = N
        rows.append(row)
        if verbose:
            print(f"  one mode N={N}: ergotropy {row['ergotropy_seconds']:.3f} s, covariance "
                  f"{row['covariance_seconds']:.3f} s", flush=True)
    fit = fits(rows, ("ergotropy", "covariance"), rows[0]["N"])
    return {"J": J, "n_times": n_times, "t_max": t_max, "n_th": 1.0, "rows": rows, "fit": fit}


def moment_ode(net, times, rtol, atol):
    """The battery energy from the moment equations of the engine's module docstring,
    ``d alpha/dt = A alpha - i F``, ``dN/dt = conj(A) N + N A^T + Q``, integrated by
    ``scipy.integrate.solve_ivp`` (DOP853) from the vacuum: what a careful user writes first."""
    from scipy.integrate import solve_ivp

    A, F, Q = np.asarray(net.drift), np.asarray(net.drive), np.asarray(net.noise[0])
    n = len(F)
    Ac, AT = A.conj(), A.T

    def rhs(_, y):
        a, N = y[:n], y[n:].reshape(n, n)
        return np.concatenate([A @ a - 1j * F, (Ac @ N + N @ AT + Q).ravel()])

    sol = solve_ivp(rhs, (0.0, times[-1]), np.zeros(n + n * n, complex), method="DOP853", t_eval=times,
                    rtol=rtol, atol=atol)
    a, N = sol.y[n - 1], sol.y[n + (n - 1) * n + (n - 1)]
    return np.abs(a) ** 2 + N.real, int(sol.nfev)


def moment_expm(net, times):
    """The exact baseline of a careful user: the same moment equations as :func:`moment_ode`, written
    as one constant linear system ``y' = M y`` for ``y = (alpha, vec N, 1)`` (size ``n + n^2 + 1``),
    one ``scipy.linalg.expm(M dt)`` and one matrix-vector product per time (uniform grid from 0)."""
    from scipy.linalg import expm

    A, F, Q = np.asarray(net.drift), np.asarray(net.drive), np.asarray(net.noise[0])
    n = len(F)
    m = n + n * n + 1
    M = np.zeros((m, m), complex)
    M[:n, :n] = A
    M[:n, -1] = -1j * F
    I = np.eye(n)
    M[n:-1, n:-1] = np.kron(A.conj(), I) + np.kron(I, A)  # row-major vec of conj(A) N + N A^T
    M[n:-1, -1] = Q.ravel()
    P = expm(M * (times[1] - times[0]))
    y = np.zeros(m, complex)
    y[-1] = 1.0
    out = np.empty(len(times))
    for k in range(len(times)):
        out[k] = abs(y[n - 1]) ** 2 + y[n + (n - 1) * n + (n - 1)].real
        y = P @ y
    return out


def versus_qutip(N, times, repeat=3, tol=1e-3, first=5, budget=600.0, one_solve_max=300.0, verbose=True,
                 reuse=None, reuse_date=None, reuse_load=None):
    """Liu et al. Fig. 5, thermal: engine, solve_ivp (DOP853) and qutip on the battery energy."""
    import qutip as qt

    J = j_op_cascaded(N)
    kw = dict(n_th=1.0)
    eng, net = timed_parts(lambda: cascaded(N, J, **kw), [("stability", lambda x: x.is_stable()),
                                                           ("solve", lambda x: x.energies(times)[:, -1])], repeat)
    E = net.energies(times)[:, -1]
    scale = float(np.max(np.abs(E)))
    res = {"N": N, "n_th": 1.0, "epsilon": EPS, "J": J, "n_times": len(times), "t_max": float(times[-1]),
           "repeat": repeat, "statistic": "median", "engine": eng}
    ode = []
    for rtol in (1e-3, 1e-8):
        med, _, (Eo, nfev) = median_of(lambda: moment_ode(net, times, rtol, rtol * 1e-3), repeat)
        err = float(np.max(np.abs(Eo - E)) / scale)
        ode.append({"rtol": rtol, "atol": rtol * 1e-3, "solve_seconds": med, "nfev": nfev, "max_rel_error": err,
                    "ratio_solve": med / eng["solve_seconds"],
                    "ratio_total": (eng["build_seconds"] + med) / eng["total_seconds"]})
        if verbose:
            print(f"  N={N} DOP853 rtol {rtol:g}: {med * 1e3:.1f} ms, error {err:.1e}, "
                  f"{med / eng['solve_seconds']:.0f}x the engine's solve", flush=True)
    res["dop853"] = ode
    med, _, Ex = median_of(lambda: moment_expm(net, times), repeat)
    res["expm"] = {"solve_seconds": med, "max_rel_error": float(np.max(np.abs(Ex - E)) / scale),
                   "ratio_solve": med / eng["solve_seconds"], "augmented_dimension": len(net.drive) ** 2 + len(net.drive) + 1}
    if verbose:
        print(f"  N={N} expm of the moment system: {med * 1e3:.2f} ms, error {res['expm']['max_rel_error']:.1e}", flush=True)
    if reuse is not None:
        # qutip's rows from an earlier run of this script (named in the JSON), with the engine
        # times of THAT run, so qutip and engine ratios stay side by side
        res["qutip"] = reuse["qutip"]
        for k in ("matched", "ratio_solve", "ratio_total", "budget_seconds"):
            res[k] = reuse[k]
        res["qutip_run"] = {"date": reuse_date, "engine_then": reuse["engine"], "load_average": reuse_load}
        return res
    rows, spent, d = [], 0.0, first
    while True:
        tic = time.perf_counter()
        c = cascaded(N, J, **kw)
        H, c_ops = c.to_qutip(d)
        b = nrqb.engine.qutip_bridge.mode_operators(d, c.n_modes)[-1]
        e_op = b.dag() * b
        psi0 = qt.tensor([qt.basis(d, 0)] * c.n_modes)
        L = qt.liouvillian(H, c_ops)
        t_build = time.perf_counter() - tic

        def solve():
            return qt.mesolve(L, psi0, times, e_ops=[e_op], options={"atol": 1e-9, "rtol": 1e-7, "nsteps": 10**6})

        tic = time.perf_counter()
        out = solve()
        t_solve = time.perf_counter() - tic
        spent += t_build + t_solve
        err = float(np.max(np.abs(np.real(out.expect[0]) - E)) / scale)
        row = {"cutoff": d, "build_seconds": t_build, "solve_seconds": t_solve, "solve_repeats": 1,
               "max_rel_error": err, "liouvillian_dimension": int(L.shape[0])}
        if err < tol:
            # the matched cutoff: the same number of repeats and the same statistic as the engine
            times_solve = [t_solve]
            for _ in range(repeat - 1):
                tic = time.perf_counter()
                solve()
                times_solve.append(time.perf_counter() - tic)
            row.update(solve_seconds=float(np.median(times_solve)), solve_repeats=repeat)
        rows.append(row)
        if verbose:
            print(f"  N={N} qutip cutoff {d}: build {t_build:.2f} s, solve {row['solve_seconds']:.1f} s, "
                  f"error {err:.1e}", flush=True)
        if err < tol or spent > budget or t_solve > one_solve_max:
            break
        d += 1
    res["qutip"] = rows
    res["matched"] = rows[-1]["max_rel_error"] < tol
    last = rows[-1]
    res["ratio_solve"] = last["solve_seconds"] / eng["solve_seconds"]
    res["ratio_total"] = (last["build_seconds"] + last["solve_seconds"]) / eng["total_seconds"]
    res["budget_seconds"] = budget
    return res


def closed_form_ratio(repeat=200):
    """Ahmadi et al.'s nonreciprocal pair: numpy closed form against the engine (200 times)."""
    G, k, F = 0.04, 0.003, 0.1
    t = np.linspace(0, 600, 200)
    lam = G + k
    nb = NetworkBuilder().mode("a", loss=k).mode("b", loss=k).drive("a", F).nonreciprocal_link("a", "b", G)

    def closed():
        x = np.exp(-lam * t / 2)
        return 4 * F**2 * G**2 / lam**2 * (2 / lam * (1 - x) - t * x) ** 2

    t_closed, _, ref = median_of(closed, repeat)
    # a fresh network every call (a network caches the results of small grids)
    t_engine, _, eng = median_of(lambda: nb.build().energies(t)[:, 1], repeat)
    err = float(np.max(np.abs(eng - ref)) / np.max(ref))
    return {"closed_form_seconds": t_closed, "engine_seconds": t_engine, "ratio": t_engine / t_closed,
            "max_rel_difference": err, "statistic": "median", "repeat": repeat}


def machine():
    return {"platform": platform.platform(), "python": sys.version.split()[0], "cpus": os.cpu_count(),
            "numpy": np.__version__, "nrqb": nrqb.__version__,
            "threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"), "load_average": os.getloadavg()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the slow qutip runs")
    ap.add_argument("--repeat", type=int, default=3, help="repeats per measurement (median)")
    ap.add_argument("--qutip-from", default=None,
                    help="take qutip's rows (and that run's engine times) from this earlier JSON instead of re-running qutip")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    args = ap.parse_args(argv)
    R = args.repeat
    out = Path(args.out)
    old = json.loads(out.read_text()) if out.exists() else {}
    res = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    tic = time.perf_counter()
    print("closed form vs engine", flush=True)
    res["closed_form"] = closed_form_ratio()
    print("scaling with N", flush=True)
    res["scaling"] = scaling([100, 300, 1000, 3000, 10_000, 30_000, 100_000], repeat=R)
    print("transient (charging resolved)", flush=True)
    res["transient"] = transient([100, 300, 1000, 3000, 10_000], repeat=R)
    print("sparse path against the dense engine", flush=True)
    res["sparse_accuracy"] = sparse_accuracy()
    print("30 x 30 lattice", flush=True)
    res["lattice"] = lattice(repeat=R)
    print("one mode", flush=True)
    res["one_mode"] = one_mode([1000, 3000, 10_000, 30_000, 100_000], repeat=R)
    if not args.quick:
        times = np.linspace(0, 3000, 40)
        prev = json.loads(Path(args.qutip_from).read_text()) if args.qutip_from else None
        for N, kw in ((1, {}), (2, dict(budget=400.0, one_solve_max=150.0))):
            print(f"qutip vs engine, N = {N}", flush=True)
            if prev is not None:
                kw.update(reuse=prev[f"qutip_N{N}"], reuse_date=prev["date"],
                          reuse_load=[prev["machine"]["load_average"], prev["machine"].get("load_average_after")])
            res[f"qutip_N{N}"] = versus_qutip(N, times, repeat=R, **kw)
    if "book" in old:
        res["book"] = old["book"]  # the whole-book timing is the lead's (an earlier, quiet run)
        res["book"].setdefault("date", old.get("date"))
    res["machine"]["load_average_after"] = os.getloadavg()
    res["wall_seconds"] = time.perf_counter() - tic
    out.write_text(json.dumps(res, indent=1))
    print(json.dumps({k: v for k, v in res.items() if k != "book"}, indent=1))


if __name__ == "__main__":
    main()
