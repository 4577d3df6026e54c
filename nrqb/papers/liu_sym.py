"""sympy derivations for Liu et al. (2026), the chapter on cascaded and parallel battery networks.

Every function returns sympy objects, so the notebook can display them and compare them with the
paper's printed forms (``sympy.simplify(ours - paper) == 0``).  The moment equations are derived
from the master equation with :mod:`nrqb.engine.symbolic` (operator algebra), independently of the
numerical engine.

References
----------
B.-B. Liu, R. Chen, J.-L. Wu, G. Chen and S.-L. Su (2026), Eqs. (1)-(14) and Appendices A-B.
"""

from __future__ import annotations

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic

__all__ = [
    "network_symbols",
    "moment_equations",
    "paper_drift",
    "cascade_solution",
    "vandermonde_eq3",
    "vandermonde_bracket",
    "same_coefficients",
    "exponential_sum",
    "steady_energy_cascade_uniform",
    "steady_energy_parallel_uniform",
    "optimal_couplings",
    "continuant",
    "window_roots",
    "thermal_fluctuations",
]


def _check_N(N, max_N=6):
    if isinstance(N, bool) or not isinstance(N, int) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    if N > max_N:
        raise ValueError(f"N must be <= {max_N} for the symbolic route (it grows fast), got {N}")
    return N


def network_symbols(N: int) -> dict:
    """Symbols of the paper for N batteries: ``J_i, theta_i, Gamma_i`` (i = 1..N), ``kappa_0..kappa_N``
    (``kappa_0`` is ``kappa_a``), ``p_0..p_N`` (complex; ``p_0`` is ``p_a``), ``epsilon``.

    Returns
    -------
    dict of lists of sympy symbols
    """
    N = _check_N(N)
    pos = dict(positive=True)
    return {
        "J": [sp.Symbol(f"J_{i}", **pos) for i in range(1, N + 1)],
        "theta": [sp.Symbol(f"theta_{i}", real=True) for i in range(1, N + 1)],
        "Gamma": [sp.Symbol(f"Gamma_{i}", **pos) for i in range(1, N + 1)],
        "kappa": [sp.Symbol(f"kappa_{i}", **pos) for i in range(N + 1)],
        "p": [sp.Symbol(f"p_{i}") for i in range(N + 1)],
        "epsilon": sp.Symbol("epsilon", positive=True),
    }


def _links(N, topology):
    if topology == "cascade":
        return [(i - 1, i) for i in range(1, N + 1)]
    if topology == "parallel":
        return [(0, i) for i in range(1, N + 1)]
    raise ValueError(f"topology must be 'cascade' or 'parallel', got {topology!r}")


def moment_equations(N: int, topology: str = "cascade") -> tuple[sp.Matrix, sp.Matrix, dict]:
    """``d<o>/dt = A <o> + c`` for ``o = (a, b_1..b_N)``, derived from the master equation Eq. (2).

    The Hamiltonian is Eq. (1) (cascade) or Eq. (6) (parallel) plus ``epsilon (a + a^dag)``; the
    channels are ``kappa_j D[o_j]`` and ``D[q_i]`` with ``q_i = sqrt(Gamma_i)(p_s o_s + p_d o_d)``.
    No nonreciprocity condition is imposed.

    Parameters
    ----------
    N : int (1..6)
    topology : {"cascade", "parallel"}

    Returns
    -------
    A : sympy.Matrix (N+1, N+1)
    c : sympy.Matrix (N+1, 1)
    syms : dict
        The symbols (:func:`network_symbols`).

    References
    ----------
    Liu et al., Eqs. (1), (2), (6), (A1), (A3), (A5), (A7).
    """
    N = _check_N(N)
    s = network_symbols(N)
    ops = symbolic.modes(["a"] + [f"b{i}" for i in range(1, N + 1)])
    H = s["epsilon"] * (ops[0] + Dagger(ops[0]))
    channels = [(s["kappa"][j], ops[j]) for j in range(N + 1)]
    for i, (src, dst) in enumerate(_links(N, topology)):
        Jc = s["J"][i] * sp.exp(sp.I * s["theta"][i])
        H += Jc * Dagger(ops[src]) * ops[dst] + sp.conjugate(Jc) * Dagger(ops[dst]) * ops[src]
        channels.append((s["Gamma"][i], s["p"][src] * ops[src] + s["p"][dst] * ops[dst]))
    A, c = symbolic.drift_matrix_from_master_equation(ops, H, channels)
    return A, c, s


def paper_drift(N: int, topology: str = "cascade") -> sp.Matrix:
    """The drift matrix as printed in Eqs. (A1), (A3), (A5), (A7), extended to any N.

    Diagonal ``-Lambda_j/2``; entry ``(s, d)`` of link i is ``-(i J_i e^{i theta_i} + mu_i Gamma_i/2)``
    and entry ``(d, s)`` is ``-(i J_i e^{-i theta_i} + mu_i^* Gamma_i/2)``, with
    ``mu_i = p_s^* p_d`` (Appendix A; the typo ``J_1 e^{i theta_1}`` in the second line of Eq. (A5)
    is read as ``J_2 e^{i theta_2}``).

    Returns
    -------
    sympy.Matrix

    References
    ----------
    Liu et al., Eqs. (A1), (A3), (A5), (A7).
    """
    N = _check_N(N)
    s = network_symbols(N)
    p, G, k = s["p"], s["Gamma"], s["kappa"]
    A = sp.zeros(N + 1, N + 1)
    lam = [k[j] for j in range(N + 1)]
    for i, (src, dst) in enumerate(_links(N, topology)):
        lam[src] += G[i] * p[src] * sp.conjugate(p[src])
        lam[dst] += G[i] * p[dst] * sp.conjugate(p[dst])
        mu = sp.conjugate(p[src]) * p[dst]
        A[src, dst] = -(sp.I * s["J"][i] * sp.exp(sp.I * s["theta"][i]) + mu * G[i] / 2)
        A[dst, src] = -(sp.I * s["J"][i] * sp.exp(-sp.I * s["theta"][i]) + sp.conjugate(mu) * G[i] / 2)
    for j in range(N + 1):
        A[j, j] = -lam[j] / 2
    return A


def cascade_solution(N: int) -> tuple[list[sp.Expr], list[sp.Symbol], sp.Symbol]:
    """Amplitudes of the nonreciprocal cascade with pairwise distinct ``Lambda_0..Lambda_N``.

    Solves ``d alpha_0/dt = -Lambda_0 alpha_0/2 - i eps``,
    ``d alpha_m/dt = -Lambda_m alpha_m/2 - Gamma_m alpha_{m-1}`` (the gauge ``theta = pi/2``,
    ``p = 1``, in which the forward drift entry is ``-Gamma_m``) from the vacuum, by the Laplace
    transform and its residues.

    Returns
    -------
    amplitudes : list of sympy expressions
        ``alpha_m(t)`` for ``m = 0..N``; the energies are ``|alpha_m|^2`` (``omega = 1``).
    Lambdas : list of symbols
    t : symbol

    References
    ----------
    Liu et al., Eqs. (A1)-(A4).
    """
    N = _check_N(N, 5)
    t, s_ = sp.symbols("t s", positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    L = [sp.Symbol(f"Lambda_{m}", positive=True) for m in range(N + 1)]
    G = [sp.Symbol(f"Gamma_{m}", positive=True) for m in range(1, N + 1)]
    X = [-sp.I * eps / (s_ * (s_ + L[0] / 2))]
    for m in range(1, N + 1):
        X.append(-G[m - 1] * X[-1] / (s_ + L[m] / 2))
    amps = []
    for m, Xm in enumerate(X):
        poles = [sp.Integer(0)] + [-L[j] / 2 for j in range(m + 1)]
        amps.append({pl: sp.factor(sp.cancel(Xm * (s_ - pl)).subs(s_, pl)) for pl in poles})
    return amps, L, t


def exponential_sum(coefficients: dict, t: sp.Symbol) -> sp.Expr:
    """``sum_r c_r exp(r t)`` from a dict ``{r: c_r}`` (as returned by :func:`cascade_solution`)."""
    return sum(c * sp.exp(r * t) for r, c in coefficients.items())


def same_coefficients(x: dict, y: dict) -> bool:
    """True if two ``{rate: coefficient}`` dicts agree (``sympy.cancel`` of every difference is 0)."""
    keys = set(x) | set(y)
    return all(sp.cancel(sp.together(x.get(k, 0) - y.get(k, 0))) == 0 for k in keys)


def vandermonde_bracket(n: int, sign: int = +1) -> tuple[dict, list[sp.Symbol], sp.Symbol]:
    """The amplitude whose square is Eq. (3), ``sqrt(A_n)/V_n [V_n + sign sum_p ...]``, as a dict
    ``{rate: coefficient}`` of its exponentials ``exp(rate t)`` (``sign=+1`` as printed).

    Returns
    -------
    coefficients : dict
    Lambdas : list of symbols
    t : symbol

    References
    ----------
    Liu et al., Eq. (3).
    """
    if n < 0 or n > 5:
        raise ValueError(f"n must be in 0..5, got {n}")
    t = sp.Symbol("t", positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    L = [sp.Symbol(f"Lambda_{m}", positive=True) for m in range(n + 1)]
    G = [sp.Symbol(f"Gamma_{m}", positive=True) for m in range(1, n + 1)]

    def V(idx):
        return sp.Mul(*[L[a] - L[b] for ai, a in enumerate(idx) for b in idx[ai + 1:]])

    Vn = V(list(range(n + 1)))
    pref = 2 ** (n + 1) * eps * sp.Mul(*G) / sp.Mul(*L) / Vn
    coeffs = {sp.Integer(0): pref * Vn}
    for p in range(n + 1):
        coeffs[-L[p] / 2] = pref * sign * (-1) ** (n + p) * sp.Mul(*[L[m] for m in range(n + 1) if m != p]) \
            * V([m for m in range(n + 1) if m != p])
    return coeffs, L, t


def vandermonde_eq3(n: int, sign: int = +1) -> tuple[sp.Expr, list[sp.Symbol], sp.Symbol]:
    """Liu et al., Eq. (3) as one sympy expression (``sign=+1`` as printed, ``-1`` corrected).

    Returns
    -------
    E_n : sympy expression (``omega = 1``, ``|mu_m| = 1``)
    Lambdas : list of symbols
    t : symbol

    References
    ----------
    Liu et al., Eq. (3).
    """
    coeffs, L, t = vandermonde_bracket(n, sign)
    amp = exponential_sum(coeffs, t)
    return amp**2, L, t


def steady_energy_cascade_uniform() -> tuple[sp.Expr, dict]:
    """Eq. (5) from Eq. (4): ``Lambda_0 = Lambda_N = Gamma + kappa``, ``Lambda_{1..N-1} = 2 Gamma + kappa``.

    Returns
    -------
    E : sympy expression in ``N, Gamma, kappa, epsilon`` (``omega = 1``)
    syms : dict

    References
    ----------
    Liu et al., Eqs. (4), (5).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    E = 4 ** (N + 1) * e**2 * G ** (2 * N) / ((G + k) ** 2 * (2 * G + k) ** (2 * (N - 1)) * (G + k) ** 2)
    return E, {"N": N, "Gamma": G, "kappa": k, "epsilon": e}


def steady_energy_parallel_uniform() -> tuple[sp.Expr, dict]:
    """Eq. (9) from Eq. (8) (with ``Lambda_0`` in place of the printed ``Lambda_1``).

    Returns
    -------
    E : sympy expression, syms : dict

    References
    ----------
    Liu et al., Eqs. (8), (9).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    L0, Ln = N * G + k, G + k
    return 16 * e**2 * G**2 / (L0**2 * Ln**2), {"N": N, "Gamma": G, "kappa": k, "epsilon": e}


def optimal_couplings() -> dict:
    """Eqs. (A9), (A10) and (10): derivatives of Eqs. (5), (9) and their positive roots in ``J = Gamma/2``.

    Returns
    -------
    dict
        ``dEc_dGamma``, ``dEp_dGamma`` (factored), ``A9``, ``A10`` (the printed right-hand sides),
        ``Jc``, ``Jp`` (the roots, as ``J``), ``Jc_large_N`` (asymptotic series of ``Jc`` in 1/N),
        and the symbols.

    References
    ----------
    Liu et al., Eqs. (10), (A9), (A10).
    """
    Ec, s = steady_energy_cascade_uniform()
    Ep, _ = steady_energy_parallel_uniform()
    N, G, k, e = s["N"], s["Gamma"], s["kappa"], s["epsilon"]
    J = sp.Symbol("J", positive=True)
    dEc = sp.factor(sp.simplify(sp.diff(Ec, G)))
    dEp = sp.factor(sp.diff(Ep, G))
    A9 = -(2 ** (3 + 2 * N) * G ** (-1 + 2 * N) * e**2 / (G + k) ** 5 * (2 * G + k) ** (1 - 2 * N)
           * (2 * G**2 - N * G * k - N * k**2))
    A10 = 32 * G * e**2 * (-N * G**2 + k**2) / ((G + k) ** 3 * (N * G + k) ** 3)
    def positive_root(eq):
        roots = sp.solve(eq, G)
        return [r for r in roots if all(r.subs({N: n_, k: 1}) > 0 for n_ in (1, 2, 10))]

    rc = positive_root(2 * G**2 - N * G * k - N * k**2)
    rp = positive_root(k**2 - N * G**2)
    if len(rc) != 1 or len(rp) != 1:
        raise RuntimeError("expected one positive root each")
    Jc = sp.simplify(rc[0] / 2)
    Jp = sp.simplify(rp[0] / 2)
    x = sp.Symbol("x", positive=True)  # x = 1/N
    Jc_series = sp.series(Jc.subs(N, 1 / x), x, 0, 2).removeO().subs(x, 1 / N)
    return {"dEc_dGamma": dEc, "dEp_dGamma": dEp, "A9": A9, "A10": A10, "Jc": Jc, "Jp": Jp,
            "Jc_large_N": sp.expand(Jc_series), "Ec": Ec, "Ep": Ep, "N": N, "Gamma": G, "kappa": k,
            "epsilon": e, "J": J}


def continuant(L: int) -> tuple[sp.Expr, sp.Symbol, sp.Symbol]:
    """``P_L = det(kappa + 2 i H_0)`` for an open chain of L sites with hop J (Appendix B).

    Computed as a determinant (not by the recursion), so it checks
    :func:`nrqb.papers.liu.reciprocal_constants`.

    Returns
    -------
    P_L : sympy polynomial in J, kappa
    J, kappa : symbols

    References
    ----------
    Liu et al., Eqs. (11), (12), (B3).
    """
    if L < 1 or L > 12:
        raise ValueError(f"L must be in 1..12, got {L}")
    J, k = sp.symbols("J kappa", positive=True)
    H0 = sp.zeros(L, L)
    for i in range(L - 1):
        H0[i, i + 1] = H0[i + 1, i] = J
    P = sp.expand((k * sp.eye(L) + 2 * sp.I * H0).det(method="berkowitz"))
    return P, J, k


def window_roots() -> tuple[list[sp.Expr], sp.Expr]:
    """Where Eq. (13) (reciprocal star) equals Eq. (9) (nonreciprocal star) with ``Gamma = 2J``.

    Returns
    -------
    roots : list
        The positive roots in ``J`` (``kappa/(2N)`` and ``kappa/2``, Eq. (14)).
    condition : sympy expression
        The polynomial whose sign decides which wins.

    References
    ----------
    Liu et al., Eqs. (9), (13), (14).
    """
    N, J, k, e = sp.symbols("N J kappa epsilon", positive=True)
    E_rc = 4 * (2 * J) ** 2 * e**2 / (4 * N * J**2 + k**2) ** 2
    G = 2 * J
    E_nc = 16 * e**2 * G**2 / ((N * G + k) ** 2 * (G + k) ** 2)
    # both positive: compare square roots
    cond = sp.factor(sp.simplify(sp.sqrt(E_rc) - sp.sqrt(E_nc)))
    num = sp.numer(sp.together(sp.sqrt(E_rc) - sp.sqrt(E_nc)))
    roots = sorted(set(sp.solve(sp.factor(num), J)), key=lambda r: sp.limit(r.subs(k, 1), N, 3))
    return roots, cond


def thermal_fluctuations(drift: sp.Matrix, noise: sp.Matrix) -> sp.Matrix:
    """Solve ``A^* N + N A^T + Q = 0`` symbolically for the steady normal fluctuations.

    Parameters
    ----------
    drift : sympy.Matrix (n, n)
    noise : sympy.Matrix (n, n), the ``Q`` of the engine (``sum_k gamma_k N_k c_k c_k^dag``)

    Returns
    -------
    sympy.Matrix (n, n)

    References
    ----------
    Liu et al., Eq. (15); the moment equations of :mod:`nrqb.engine.network`.
    """
    n = drift.shape[0]
    Nm = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"N_{i}{j}"))
    eqs = sp.Matrix(drift.conjugate() * Nm + Nm * drift.T + noise)
    sol = sp.solve(list(eqs), list(Nm), dict=True)[0]
    return Nm.subs(sol).applyfunc(sp.simplify)
