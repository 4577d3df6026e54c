"""Fuzzing campaign of the exact engine (issue 11): hundreds of bad and extreme inputs.

Not a pytest module (its name does not start with ``test_``); run it by hand::

    OPENBLAS_NUM_THREADS=1 python tests/engine/fuzz_engine.py [--verbose] [--json FILE]

Two kinds of cases, generated systematically:

``bad``
    an invalid argument (NaN, inf, a string, a boolean, ``None``, a complex number where a real
    is meant, a float where an integer is meant, a wrong shape, a wrong sign, an index out of
    range, ``t < 0``) for every parameter of every public function and method of the engine.
    Passes if a ``ValueError`` names the parameter.  Fails as *silent* (a value came back), as
    *unnamed* (a ValueError that does not name the parameter) or as *wrong error* (another
    exception type).
``extreme``
    a valid but extreme input with a known answer: a single detuned, driven, damped mode in a
    squeezed thermal bath (closed forms evaluated in 50-digit mpmath) with rates, detunings,
    drives, occupations, squeezing and times spanning 1e-300 .. 1e300 (subnormals included); a
    dark-mode pair at extreme times; one-way pairs with merging decay rates.  Passes if the
    result agrees to 1e-9 (relative to the largest entry), or if a ``ValueError`` refuses a result
    that double precision cannot hold.  Fails as *wrong* (a silent wrong answer), *refused* (a
    representable answer refused) or *wrong error*.

The summary counts inputs tried and the failures of each kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings

import mpmath as mp
import numpy as np

BAD_SCALARS = [np.nan, np.inf, -np.inf, "1", None, True, [1.0, 2.0], object()]


def _other(exc):
    """A non-ValueError outcome: "n/a" when the function or keyword does not exist (a baseline
    run against an older engine), "wrong error" otherwise."""
    text = f"{type(exc).__name__}: {str(exc)[:140]}"
    missing = (isinstance(exc, AttributeError) and "has no attribute" in str(exc)) or (
        isinstance(exc, (TypeError, ImportError)) and ("unexpected keyword" in str(exc) or "cannot import" in str(exc)))
    return ("n/a" if missing else "wrong error"), text


class Campaign:
    def __init__(self, verbose=False, skip=None):
        self.verbose = verbose
        self.skip = re.compile(skip) if skip else None
        self.rows = []

    # ---------------------------------------------------------------- running one case
    def bad(self, label, call, name):
        if self.skip and self.skip.search(label):
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = call()
        except ValueError as exc:
            msg = str(exc)
            status = "ok" if re.search(name, msg) else "unnamed"
            detail = msg[:160]
        except Exception as exc:  # noqa: BLE001 - the campaign classifies every outcome
            status, detail = _other(exc)
        else:
            status, detail = "silent", f"returned {str(out)[:100]!r}"
        self.rows.append({"kind": "bad", "label": label, "status": status, "detail": detail})

    def extreme(self, label, call, ref, rtol=1e-9):
        """``ref``: a callable giving the exact answer, or the string "overflow"."""
        if self.skip and self.skip.search(label):
            return
        try:
            expected = ref() if callable(ref) else ref
        except Exception as exc:  # noqa: BLE001 - a reference the engine under test cannot give
            self.rows.append({"kind": "extreme", "label": label, "status": "n/a", "detail": f"reference: {exc}"[:160]})
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = np.asarray(call())
        except ValueError as exc:
            status = "ok" if expected == "overflow" else "refused"
            detail = str(exc)[:160]
        except Exception as exc:  # noqa: BLE001
            status, detail = _other(exc)
        else:
            if isinstance(expected, str):
                status, detail = "wrong", f"returned {out.ravel()[:4]} where the result overflows"
            else:
                expected = np.asarray(expected)
                scale = np.max(np.abs(expected)) if expected.size else 0.0
                ok = out.shape == expected.shape and np.all(np.isfinite(out)) and (
                    np.max(np.abs(out - expected), initial=0.0) <= rtol * scale
                    or (scale == 0 and np.max(np.abs(out), initial=0.0) == 0))
                status = "ok" if ok else "wrong"
                detail = "" if ok else f"got {out.ravel()[:3]} expected {expected.ravel()[:3]}"
        self.rows.append({"kind": "extreme", "label": label, "status": status, "detail": detail})

    # ---------------------------------------------------------------- summary
    def summary(self):
        kinds = {}
        for r in self.rows:
            k = kinds.setdefault(r["kind"], {})
            k[r["status"]] = k.get(r["status"], 0) + 1
        return {"inputs": len(self.rows), "by_kind": kinds,
                "failures": [r for r in self.rows if r["status"] != "ok"]}


# ------------------------------------------------------------------------------------------------
# closed forms of one mode, in 50-digit arithmetic
# ------------------------------------------------------------------------------------------------
def one_mode_exact(t, D, k, F, nth, r, th, omega=1.0):
    """Energy omega (|alpha|^2 + N) of one mode from vacuum (mpmath, 50 digits), or "overflow"."""
    with mp.workdps(50):
        D, k, nth, r, th, t = (mp.mpf(float(x)) for x in (D, k, nth, r, th, t))
        F = mp.mpc(complex(F).real, complex(F).imag)
        A = -1j * D - k / 2
        Nb = nth * mp.cosh(2 * r) + mp.sinh(r) ** 2
        if t == mp.inf:
            alpha = 1j * F / A if A != 0 else (mp.inf if F != 0 else 0)
            N = Nb if k > 0 else 0
        else:
            e = mp.exp(A * t)
            alpha = (1j * F / A) * (1 - e) if A != 0 else -1j * F * t
            N = Nb * -mp.expm1(-k * t) if k > 0 else 0
        E = mp.mpf(float(omega)) * (abs(alpha) ** 2 + N)
        if not mp.isfinite(E) or E > 1.7e308:
            return "overflow"
        return np.array([[float(E)]])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--skip", help="regex of case labels to skip (e.g. memory-hungry cases on an old engine)")
    args = ap.parse_args(argv)

    import sympy as sp

    from nrqb import GaussianState, LinearNetwork, NetworkBuilder, gaussian_ergotropy
    from nrqb.engine import builder, gaussian, propagation, qutip_bridge, steady, symbolic, validation

    C = Campaign(args.verbose, args.skip)
    good = dict(hamiltonian=[[0.0, 0.1], [0.1, 0.0]], loss=[0.1, 0.2], jumps=[(0.1, [1, 1])],
                drive=[0.1, 0], n_th=0.2, squeezing=(0.1, 0.3), omega=1.0, alpha0=[0.1, 0])

    def LN(**kw):
        base = dict(good)
        base.update(kw)
        h = base.pop("hamiltonian")
        return LinearNetwork(h, **base)

    net = LN(alpha0=None)
    dark = LinearNetwork(np.zeros((2, 2)), jumps=[(1, [1, 1])], n_th=1)

    # ------------------------------------------------------------ bad: constructor parameters
    arrays = {
        "hamiltonian": ["x", [[np.nan, 0], [0, 0]], [[np.inf, 0], [0, 0]], np.zeros((2, 3)), np.zeros((0, 0)),
                        [[0, 1], [2, 0]], [[0, 1], [1]], [[True, False], [False, True]], None, np.zeros(4),
                        [[0, 1j], [1j, 0]]],
        "loss": [[-0.1, 0.1], [np.nan, 0.1], [0.1j, 0.1], [0.1] * 3, "0.1", [None, 0.1], [True, 0.1], -1.0, np.inf],
        "drive": [[1.0], [np.nan, 0], [np.inf, 0], ["1", "0"], np.zeros((2, 2)), [None, 0], [True, False]],
        "n_th": [-1.0, np.nan, np.inf, 0.1j, [0.1, 0.2], "0.1", 1e301, True, [-0.1, 0, 0]],
        "squeezing": [(-0.1, 0.0), (1000.0, 0.0), (np.nan, 0.0), (0.1, np.inf), (0.1j, 0.0), [(0.1, 0.0)] * 2,
                      (0.1,), "r", (400.0, 0.0)],
        "omega": [-1.0, np.nan, np.inf, 1j, [1.0, 2.0, 3.0], "1", [-1.0, 1.0], True],
        "alpha0": [[1.0], [np.nan, 0], [np.inf, 0], "0", np.zeros((2, 2))],
        "jumps": [5, "ab", [0.1], [(0.1, [1, 1], 3)], [(-0.1, [1, 1])], [(np.nan, [1, 1])], [(0.1j, [1, 1])],
                  [(0.1, [1, 1, 1])], [(0.1, [np.inf, 1])], [(1e300, [1e10, 1])], [("0.1", [1, 1])], [(0.1, "11")]],
    }
    for param, values in arrays.items():
        for v in values:
            C.bad(f"LinearNetwork({param}={v!r:.40})", lambda v=v, p=param: LN(**{p: v}), rf"\b{param}\b|jumps\[0\]|n_th or squeezing")

    # ------------------------------------------------------------ bad: methods
    bad_times = [[-1.0], [0.0, -1e-300], [np.nan], [-np.inf], [1j], np.zeros((2, 2)), "1", [None], [True], -5.0,
                 [1.0, "a"], object()]
    methods = ["moments", "amplitudes", "fluctuations", "occupations", "energies", "power", "covariance"]
    for m in methods:
        for t in bad_times:
            C.bad(f"{m}(t={t!r:.30})", lambda m=m, t=t: getattr(net, m)(t), r"\bt\b")
        for init in [GaussianState.vacuum(3), 3, "vacuum", [0, 0], {}, object()]:
            C.bad(f"{m}(initial={init!r:.30})", lambda m=m, i=init: getattr(net, m)([1.0], initial=i), r"initial")
        C.bad(f"{m}(t=inf) of a marginal network", lambda m=m: getattr(dark, m)([1.0, np.inf]), r"t = inf")
    for t in bad_times:
        C.bad(f"ergotropy(t={t!r:.30})", lambda t=t: net.ergotropy(t, 0), r"\bt\b")
    for mode in [2, -3, 1.0, True, "0", None, np.nan, 10**20]:
        C.bad(f"ergotropy(mode={mode!r})", lambda mode=mode: net.ergotropy([1.0], mode), r"\bmode\b")
    C.bad("ergotropy(None) of a marginal network", lambda: dark.ergotropy(None, 0), r"no steady state")
    C.bad("steady_state of a marginal network", lambda: dark.steady_state(), r"no steady state")
    for keep in [[0, 5], [0, 0], [], [0.0], "0", None, [True], [np.nan], [-3]]:
        C.bad(f"eliminated_drift(keep={keep!r})", lambda k=keep: net.eliminated_drift(k), r"\bkeep\b")
    for cutoff in [np.inf, 1, 0, -3, 3.0, [3], [3, 3, 3], "3", None, np.nan, 10**4, True]:
        C.bad(f"to_qutip(cutoff={cutoff!r})", lambda c=cutoff: net.to_qutip(c), r"cutoff")
    # ------------------------------------------------------------ bad: builder
    def nb():
        return NetworkBuilder().mode("a", loss=0.1).mode("b", loss=0.1)

    for v in BAD_SCALARS + [1j]:
        # real parameters: a complex value is bad too
        C.bad(f"mode(detuning={v!r:.20})", lambda v=v: NetworkBuilder().mode("x", detuning=v), r"detuning")
        C.bad(f"mode(loss={v!r:.20})", lambda v=v: NetworkBuilder().mode("x", loss=v), r"\bloss\b")
        C.bad(f"mode(omega={v!r:.20})", lambda v=v: NetworkBuilder().mode("x", omega=v), r"\bomega\b")
        C.bad(f"shared_bath(rate={v!r:.20})", lambda v=v: nb().shared_bath(v, {"a": 1}), r"\brate\b")
        C.bad(f"nonreciprocal_link(gamma={v!r:.20})", lambda v=v: nb().nonreciprocal_link("a", "b", v), r"\bgamma\b")
        C.bad(f"nonreciprocal_link(phase={v!r:.20})", lambda v=v: nb().nonreciprocal_link("a", "b", 0.1, phase=v), r"\bphase\b")
        C.bad(f"nonreciprocal_hopping(gamma={v!r:.20})", lambda v=v: builder.nonreciprocal_hopping(v), r"\bgamma\b")
    for v in BAD_SCALARS:
        # complex parameters
        C.bad(f"hop(J={v!r:.20})", lambda v=v: nb().hop("a", "b", v), r"\bJ\b")
        C.bad(f"drive(amplitude={v!r:.20})", lambda v=v: nb().drive("a", v), r"amplitude")
        C.bad(f"nonreciprocal_hopping(c_dst={v!r:.20})", lambda v=v: builder.nonreciprocal_hopping(1.0, 1.0, v), r"c_dst")
    for v in [-1.0, -1e-300]:
        C.bad(f"mode(loss={v})", lambda v=v: NetworkBuilder().mode("x", loss=v), r"\bloss\b")
        C.bad(f"mode(omega={v})", lambda v=v: NetworkBuilder().mode("x", omega=v), r"\bomega\b")
        C.bad(f"nonreciprocal_link(gamma={v})", lambda v=v: nb().nonreciprocal_link("a", "b", v), r"\bgamma\b")
    for name in [3, "", None, ["a"]]:
        C.bad(f"mode(name={name!r})", lambda n=name: NetworkBuilder().mode(n), r"mode name")
    for a, b in [("z", "b"), ("a", "z"), ("a", "a"), (1, "b")]:
        C.bad(f"hop({a!r}, {b!r})", lambda a=a, b=b: nb().hop(a, b, 1.0), r"\ba\b|\bb\b")
        C.bad(f"nonreciprocal_link({a!r}, {b!r})", lambda a=a, b=b: nb().nonreciprocal_link(a, b, 0.1), r"src|dst")
    for coeffs in [{}, [1, 1], {"z": 1}, {"a": np.nan}, {"a": 0}, "a", None]:
        C.bad(f"shared_bath(coefficients={coeffs!r})", lambda c=coeffs: nb().shared_bath(0.1, c), r"coefficients")
    for kw in [dict(foo=1), dict(n_th=-1), dict(squeezing=(1000, 0)), dict(alpha0=[1])]:
        C.bad(f"build({kw})", lambda kw=kw: nb().build(**kw), "|".join(rf"\b{k}\b" for k in kw))
    C.bad("build() with no modes", lambda: NetworkBuilder().build(), r"no modes")
    # ------------------------------------------------------------ bad: gaussian, steady, propagation
    for V in [np.eye(3), 0.1 * np.eye(2), [[1, 0.2], [0, 1]], [[np.nan, 0], [0, 1]], "V", None, [[1j, 0], [0, 1]]]:
        C.bad(f"gaussian_ergotropy(V={V!r:.30})", lambda V=V: gaussian_ergotropy(0.0, V), r"\bV\b")
    for al in [np.inf, np.nan, "a", None, [1, 2]]:
        C.bad(f"gaussian_ergotropy(alpha={al!r})", lambda al=al: gaussian_ergotropy(al, 0.5 * np.eye(2)), r"alpha")
    for n_, m_ in [(-1.0, 0), (0.1, 1.0), (np.nan, 0), ("x", 0), (0.1, np.inf)]:
        C.bad(f"ergotropy_from_moments(n={n_!r}, m={m_!r})", lambda n_=n_, m_=m_: gaussian.ergotropy_from_moments(0, n_, m_), r"\bn\b|\bm\b")
    A2 = net.drift
    Q2, P2 = net.noise
    for X, nm in [(np.zeros((2, 3)), "A"), (np.full((2, 2), np.nan), "A"), ("A", "A")]:
        C.bad(f"solve_alpha_ss({nm} bad)", lambda X=X: steady.solve_alpha_ss(X, [0, 0]), r"\bA\b")
        C.bad(f"fluctuations_ss({nm} bad)", lambda X=X: steady.fluctuations_ss(X, Q2, P2), r"\bA\b")
    C.bad("solve_alpha_ss(F shape)", lambda: steady.solve_alpha_ss(A2, [1, 2, 3]), r"\bF\b")
    C.bad("fluctuations_ss(Q shape)", lambda: steady.fluctuations_ss(A2, np.eye(3), P2), r"\bQ\b")
    C.bad("fluctuations_ss(P NaN)", lambda: steady.fluctuations_ss(A2, Q2, np.full((2, 2), np.nan)), r"\bP\b")
    for steps in [[-1.0], [np.nan], [np.inf], "1", np.zeros((2, 2))]:
        C.bad(f"step_propagators(steps={steps!r:.20})", lambda s=steps: propagation.step_propagators(A2, s), r"steps")
    C.bad("step_propagators(A growing)", lambda: propagation.step_propagators(np.eye(2), [1.0]), r"\bA\b")
    C.bad("step_propagators(b shape)", lambda: propagation.step_propagators(A2, [1.0], b=[1.0]), r"\bb\b")
    C.bad("evolve(ts unsorted)", lambda: propagation.evolve(A2, [2.0, 1.0]), r"\bts\b")
    C.bad("evolve(ts repeated)", lambda: propagation.evolve(A2, [1.0, 1.0]), r"\bts\b")
    C.bad("evolve(N0 shape)", lambda: propagation.evolve(A2, [1.0], N0=np.eye(3)), r"\bN0\b")
    C.bad("dark_split(h non-Hermitian)", lambda: propagation.dark_split([[0, 1], [2, 0]], np.eye(2), 0.0), r"\bh\b")
    C.bad("dark_split(K negative)", lambda: propagation.dark_split(np.zeros((2, 2)), -np.eye(2), 0.0), r"\bK\b")
    C.bad("dark_split(tol_K)", lambda: propagation.dark_split(np.zeros((2, 2)), np.eye(2), np.nan), r"\btol_K\b")
    C.bad("dark_split(tol_h)", lambda: propagation.dark_split(np.zeros((2, 2)), np.eye(2), 0.0, -1.0), r"\btol_h\b")
    C.bad("decay_bound(K shape)", lambda: propagation.decay_bound(np.zeros(3)), r"\bK\b")
    C.bad("sparse_amplitudes(d0)", lambda: propagation.sparse_amplitudes(A2, [1.0], [1.0], 0.1), r"d0")
    # ------------------------------------------------------------ bad: validation helpers
    def lazy(mod, name):
        def call(*a, **k):
            return getattr(mod, name)(*a, **k)
        call.__name__ = name
        return call

    V = {name: lazy(validation, name) for name in ("real", "rate", "positive", "count", "index", "finite_complex",
                                                   "finite_array", "rates", "times", "times_1d", "real_array")}
    for f, args_, nm in [(V["real"], (1j, "xx"), "xx"), (V["real"], ("1", "xx"), "xx"),
                         (V["rate"], (-1, "xx"), "xx"), (V["positive"], (0, "xx"), "xx"),
                         (V["count"], (2.0, "xx"), "xx"), (V["count"], (True, "xx"), "xx"),
                         (V["index"], (3, "xx", 3), "xx"), (V["index"], (1.0, "xx", 3), "xx"),
                         (V["finite_complex"], ([1, 2], "xx"), "xx"), (V["finite_array"], ("a", "xx"), "xx"),
                         (V["rates"], ([1, -2], "xx"), "xx"), (V["times"], ([np.nan],), r"\bt\b"),
                         (V["times_1d"], ([[1.0]],), r"\bt\b"), (V["real_array"], ([1], "xx"), "xx")]:
        kw = {"shape": (2,)} if f is V["real_array"] else {}
        C.bad(f"{f.__name__}{args_!r:.30}", lambda f=f, a=args_, kw=kw: f(*a, **kw), nm)
    # ------------------------------------------------------------ bad: qutip bridge, symbolic
    import qutip as qt

    rho = qt.ket2dm(qt.tensor(qt.basis(3, 1), qt.basis(3, 0)))
    for bad_rho in [np.eye(2), None, "rho"]:
        C.bad(f"reduced_ergotropy(rho={bad_rho!r:.20})", lambda r=bad_rho: qutip_bridge.reduced_ergotropy(r, 0), r"\brho\b")
    for mode in [2, 1.0, "0"]:
        C.bad(f"reduced_ergotropy(mode={mode!r})", lambda m=mode: qutip_bridge.reduced_ergotropy(rho, m), r"\bmode\b")
    C.bad("reduced_ergotropy(omega=-1)", lambda: qutip_bridge.reduced_ergotropy(rho, 0, -1.0), r"\bomega\b")
    C.bad("mode_operators(n=0)", lambda: qutip_bridge.mode_operators(3, 0), r"\bn\b")
    C.bad("network_to_qutip(net='x')", lambda: qutip_bridge.network_to_qutip("x", 3), r"\bnet\b")
    a_op, b_op = symbolic.modes("a b")
    for names in [3, "", "a a", ["a", 1], None]:
        C.bad(f"modes({names!r})", lambda n=names: symbolic.modes(n), r"names")
    C.bad("moment(symbol)", lambda: symbolic.moment(sp.Symbol("x")), r"\bops\b")
    C.bad("heisenberg(channels=[(1,)])", lambda: symbolic.heisenberg(a_op, 0, [(1,)]), r"channels")
    C.bad("dissipator_adjoint(L=3)", lambda: symbolic.dissipator_adjoint(a_op, 3), r"\bL\b")
    C.bad("drift_matrix_from_master_equation([])", lambda: symbolic.drift_matrix_from_master_equation([], 0), r"\bops\b")

    # ------------------------------------------------------------ extreme but valid: one mode
    rates = [1e-300, 1e-150, 1e-13, 1e-3, 1.0, 1e13, 1e150]
    detunings = [0.0, 5e-324, 1e-310, 1.0, 1e10]
    for k in rates:
        for D in detunings:
            for t_scale in [0.0, 1e-3, 1.0, 30.0, 1e100, np.inf]:
                t = t_scale / k if np.isfinite(t_scale) else np.inf
                if not np.isfinite(t) and t_scale != np.inf:
                    continue
                F, nth = 0.3, 0.5
                C.extreme(f"one mode k={k:g} D={D:g} t={t:g}",
                          lambda k=k, D=D, t=t: LinearNetwork([[D]], loss=[k], drive=[F], n_th=nth).energies([t]),
                          lambda k=k, D=D, t=t: one_mode_exact(t, D, k, F, nth, 0.0, 0.0))
    for nth in [0.0, 1e-300, 1e-10, 1.0, 1e100, 1e200, 1e300]:
        for r in [0.0, 1e-10, 0.5, 5.0, 50.0, 300.0]:
            for t in [0.5, 20.0, np.inf]:
                C.extreme(f"one mode n_th={nth:g} r={r:g} t={t:g}",
                          lambda nth=nth, r=r, t=t: LinearNetwork([[0.2]], loss=[1.0], n_th=nth, squeezing=(r, 0.3)).energies([t]),
                          (lambda nth=nth, r=r, t=t: one_mode_exact(t, 0.2, 1.0, 0.0, nth, r, 0.3))
                          if np.log(nth + 0.5) + 2 * r - np.log(2) <= np.log(1e300) else "overflow")
    for F in [1e-300, 1e-150, 1.0, 1e100, 1e154, 1e160, 1e200]:
        for t in [1e-3, 1.0, np.inf]:
            C.extreme(f"one mode drive={F:g} t={t:g}",
                      lambda F=F, t=t: LinearNetwork([[0.0]], loss=[1.0], drive=[F]).energies([t]),
                      lambda F=F, t=t: one_mode_exact(t, 0.0, 1.0, F, 0.0, 0.0, 0.0))
    for t in [0.0, 5e-324, 1e-300, 1e-10, 1.0, 1e10, 1e100, 1e300, 1.7e308]:
        C.extreme(f"one mode times t={t:g}",
                  lambda t=t: LinearNetwork([[0.7]], loss=[0.1], drive=[0.2 + 0.1j], n_th=0.3).energies([t]),
                  lambda t=t: one_mode_exact(t, 0.7, 0.1, 0.2 + 0.1j, 0.3, 0.0, 0.0))
    # undamped, driven mode: linear growth, then overflow
    for t in [1.0, 1e100, 1e150, 1e160, 1e300]:
        C.extreme(f"free driven mode t={t:g}",
                  lambda t=t: LinearNetwork([[0.0]], drive=[1.0]).energies([t]),
                  lambda t=t: one_mode_exact(t, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0))
    # dark pair: 0.5 (1 - e^{-2t}) per mode at any t
    for t in [0.0, 1e-300, 1e-8, 1.0, 30.0, 35.0, 40.0, 1e6, 1e15, 1e100, 1e300]:
        C.extreme(f"dark pair t={t:g}", lambda t=t: dark.energies([t]),
                  np.full((1, 2), 0.5 * -np.expm1(-2 * t)))
    # backward and shuffled grids: each time alone against the grid
    grid_net = LinearNetwork([[0, 0.1], [0.1, 0]], loss=[2, 0.01], n_th=1)
    for grid in [np.linspace(60, 0, 5), np.array([5.0, 0.0, 5.0, 1e-9, 1e3]), np.geomspace(1e3, 1e-6, 30)]:
        C.extreme(f"grid {grid[:3]}...", lambda g=grid: grid_net.energies(g),
                  lambda g=grid: np.array([[float(x) for x in _two_mode_energy(grid_net, tk)] for tk in g]), rtol=1e-10)
    # one-way pairs with merging rates: 40-digit reference
    from nrqb.papers import ahmadi

    for gap in [1e-4, 1e-8, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 0.0, -1e-13]:
        b = ahmadi.nonreciprocal_battery(0.04, 0.003, 0.003 * (1 + gap), 0.1)
        for t in [100.0, 800.0, 5000.0]:
            C.extreme(f"one-way pair gap={gap:g} t={t:g}", lambda b=b, t=t: b.energies([t]),
                      lambda b=b, t=t: np.array([[float(x) for x in _two_mode_energy(b, t)]]), rtol=1e-11)
    # stability relative to scale
    for s in [1e-300, 1e-100, 1e-13, 1.0, 1e13, 1e100]:
        C.extreme(f"scaled pair rates x {s:g}",
                  lambda s=s: LinearNetwork([[0, 0.2 * s], [0.2 * s, 0]], loss=[s, s], drive=[s, 0], n_th=0.5).energies([0.5 / s, 3 / s, np.inf]),
                  lambda: LinearNetwork([[0, 0.2], [0.2, 0]], loss=[1.0, 1.0], drive=[1.0, 0], n_th=0.5).energies([0.5, 3.0, np.inf]),
                  rtol=1e-11)

    out = C.summary()
    print(f"inputs tried: {out['inputs']}")
    for kind, counts in out["by_kind"].items():
        print(f"  {kind:8s}", ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for r in out["failures"]:
        print(f"  FAIL [{r['kind']}/{r['status']}] {r['label']}: {r['detail']}")
    if args.verbose:
        for r in C.rows:
            print(f"  [{r['kind']}/{r['status']}] {r['label']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, default=str)
    return 0 if not out["failures"] else 1


def _two_mode_energy(net, t):
    """Energies from the 40-digit augmented exponentials (engine_refs.mp_moments)."""
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from engine_refs import mp_moments

    a, N, _ = mp_moments(net, t)
    return (np.abs(a) ** 2 + np.real(np.diag(N))) * net.omega


if __name__ == "__main__":
    sys.exit(main())
