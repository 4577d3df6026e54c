"""sympy derivations for Liu et al. (2026), the chapter on cascaded and parallel battery networks.

Every function returns sympy objects (often a dict of the intermediate steps, so that a notebook can
display the derivation step by step) and compares nothing itself: the chapter and the tests compare
the results with the paper's printed forms, which are transcribed here once, in functions named
``paper_*``.  The moment equations are derived from the master equation by operator algebra,
independently of the numerical engine: with :mod:`nrqb.engine.symbolic` (the adiabatic elimination)
or with the small normal-ordering algebra on words below (:func:`moment_equations`,
:func:`second_moment_equations`; tested against sympy's ``normal_ordered_form``).

References
----------
B.-B. Liu, R. Chen, J.-L. Wu, G. Chen and S.-L. Su (2026), Eqs. (1)-(16) and Appendices A-B.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic

__all__ = [
    "network_symbols",
    "moment_equations",
    "paper_drift",
    "adiabatic_elimination",
    "nonreciprocity_condition",
    "drift_at_condition",
    "laplace_amplitudes",
    "cascade_solution",
    "exponential_sum",
    "same_coefficients",
    "vandermonde_bracket",
    "vandermonde_eq3",
    "paper_A2_A4",
    "paper_A6",
    "bracket_identity",
    "paper_eq4",
    "steady_energy_cascade_uniform",
    "paper_eq5",
    "steady_energy_parallel_uniform",
    "paper_eq9",
    "optimal_couplings",
    "optimum_as_mean_arrival",
    "continuant",
    "odd_even_condition",
    "window_roots",
    "thermal_fluctuations",
    "anomalous_fluctuations",
    "second_moment_equations",
    "latex_moments",
]


def _check_N(N, max_N=6):
    if isinstance(N, bool) or not isinstance(N, int) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    if N > max_N:
        raise ValueError(f"N must be <= {max_N} for the symbolic route (it grows fast), got {N}")
    return N


def _check_topology(topology):
    if topology not in ("cascade", "parallel"):
        raise ValueError(f"topology must be 'cascade' or 'parallel', got {topology!r}")
    return topology


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
    _check_topology(topology)
    if topology == "cascade":
        return [(i - 1, i) for i in range(1, N + 1)]
    return [(0, i) for i in range(1, N + 1)]


def moment_equations(N: int, topology: str = "cascade") -> tuple[sp.Matrix, sp.Matrix, dict]:
    """``d<o>/dt = A <o> + c`` for ``o = (a, b_1..b_N)``, derived from the master equation Eq. (2).

    The Hamiltonian is Eq. (1) (cascade, nearest-neighbour links ``J_i e^{i theta_i}`` joining
    node ``i-1`` to node ``i``, as in Eqs. (A1), (A3)) or Eq. (6) (parallel) plus
    ``epsilon (a + a^dag)``; the channels are ``kappa_j D[o_j]`` and ``D[q_i]`` with
    ``q_i = sqrt(Gamma_i)(p_s o_s + p_d o_d)``.  No nonreciprocity condition is imposed.

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
    links = _links(N, topology)
    s = network_symbols(N)
    names = ["a"] + [f"b{i}" for i in range(1, N + 1)]
    ops = [_op(nm) for nm in names]
    H = _op_add((s["epsilon"], ops[0]), (s["epsilon"], _op_dagger(ops[0])))
    channels = [(s["kappa"][j], ops[j]) for j in range(N + 1)]
    for i, (src, dst) in enumerate(links):
        Jc = s["J"][i] * sp.exp(sp.I * s["theta"][i])
        H = _op_add((1, H), (Jc, _op_mul(_op_dagger(ops[src]), ops[dst])),
                    (sp.conjugate(Jc), _op_mul(_op_dagger(ops[dst]), ops[src])))
        channels.append((s["Gamma"][i], _op_add((s["p"][src], ops[src]), (s["p"][dst], ops[dst]))))
    # d<o>/dt = <i[H, o]> + sum_k rate_k <D^dag[L_k](o)>, normal-ordered (the word algebra above), then
    # read off as in nrqb.engine.symbolic.drift_matrix_from_master_equation.  The coefficients of the
    # expanded right-hand side are sums of monomials in the symbols, exp(+-i theta) and conjugates,
    # which sp.simplify leaves unchanged (all 196 + 136 entries of N = 1..6, both topologies, checked;
    # tests/papers/test_liu_sym.py keeps the check for N = 1..3): it is not called (0.3 s per call saved)
    syms = [_moment_symbol(((True, nm),)) for nm in names]
    A, c = sp.zeros(N + 1, N + 1), sp.zeros(N + 1, 1)
    for i, o in enumerate(ops):
        rhs = _expectation(_op_add((sp.I, _op_mul(H, o)), (-sp.I, _op_mul(o, H))))
        for rate, L in channels:
            rhs += rate * _expectation(_dissipator_adjoint(o, L))
        rhs = sp.expand(rhs)
        for j, m in enumerate(syms):
            A[i, j] = rhs.coeff(m)
        c[i] = sp.expand(rhs - sum(A[i, j] * syms[j] for j in range(N + 1)))
    return A, c, s


def paper_drift(N: int, topology: str = "cascade") -> sp.Matrix:
    """The drift matrix as printed in Eqs. (A1), (A3), (A5), (A7), extended to any N.

    Diagonal ``-Lambda_j/2``; entry ``(s, d)`` of link i is ``-(i J_i e^{i theta_i} + mu_i Gamma_i/2)``
    and entry ``(d, s)`` is ``-(i J_i e^{-i theta_i} + mu_i^* Gamma_i/2)``, with
    ``mu_i = p_s^* p_d`` (Appendix A; the misplaced brackets of Eqs. (A1), (A3) are read as
    multiplying the amplitude, and the ``J_1 e^{i theta_1}`` in the second term of Eq. (A5) as
    ``J_2 e^{i theta_2}``).

    Returns
    -------
    sympy.Matrix

    References
    ----------
    Liu et al., Eqs. (A1), (A3), (A5), (A7).
    """
    N = _check_N(N)
    links = _links(N, topology)
    s = network_symbols(N)
    p, G, k = s["p"], s["Gamma"], s["kappa"]
    A = sp.zeros(N + 1, N + 1)
    lam = [k[j] for j in range(N + 1)]
    for i, (src, dst) in enumerate(links):
        lam[src] += G[i] * p[src] * sp.conjugate(p[src])
        lam[dst] += G[i] * p[dst] * sp.conjugate(p[dst])
        mu = sp.conjugate(p[src]) * p[dst]
        A[src, dst] = -(sp.I * s["J"][i] * sp.exp(sp.I * s["theta"][i]) + mu * G[i] / 2)
        A[dst, src] = -(sp.I * s["J"][i] * sp.exp(-sp.I * s["theta"][i]) + sp.conjugate(mu) * G[i] / 2)
    for j in range(N + 1):
        A[j, j] = -lam[j] / 2
    return A


# --------------------------------------------------------------------------------------------
# the shared reservoir: adiabatic elimination of a damped auxiliary mode
# --------------------------------------------------------------------------------------------
def adiabatic_elimination() -> dict:
    """Eliminate a strongly damped auxiliary mode ``c`` coupled to ``a`` and ``b``: the shared reservoir.

    Model: ``H = g_a (a^dag c + c^dag a) + g_b (e^{i phi} b^dag c + e^{-i phi} c^dag b)``, channels
    ``kappa_a D[a]``, ``kappa_b D[b]``, ``kappa_c D[c]``.  Its drift (derived from the master
    equation) is solved for ``<c>`` at ``d<c>/dt = 0`` and substituted back; the resulting
    two-mode drift is compared with that of a collective jump ``Gamma D[p_a a + p_b b]`` (also
    derived from its master equation) with ``p_a = 1``, which fixes ``Gamma`` and ``p_b``.

    Returns
    -------
    dict
        ``A3`` (3 x 3 drift of ``a, b, c``), ``c_slaved`` (``<c>`` in terms of ``<a>, <b>``),
        ``A_eff`` (2 x 2 drift after elimination), ``A_jump`` (drift of the collective jump, with
        symbols ``Gamma, p_b``), ``solution`` (``{Gamma: ..., p_b: ...}``), ``residual``
        (``A_eff - A_jump`` at the solution, simplified), ``jump`` (the jump operator
        ``sqrt(Gamma)(a + p_b b)`` as an expression in the symbols ``a, b``) and the symbols.

    References
    ----------
    Liu et al., Sec. II ("after adiabatic elimination of the reservoir degrees of freedom") and
    Sec. V (strongly damped auxiliary cavities); Metelmann and Clerk, Phys. Rev. X 5, 021025 (2015).
    """
    ga, gb, kc, ka, kb, G = sp.symbols("g_a g_b kappa_c kappa_a kappa_b Gamma", positive=True)
    phi = sp.Symbol("phi", real=True)
    pb = sp.Symbol("p_b")
    a, b, c = symbolic.modes(["a", "b", "c"])
    H = ga * (Dagger(a) * c + Dagger(c) * a) + gb * (sp.exp(sp.I * phi) * Dagger(b) * c
                                                      + sp.exp(-sp.I * phi) * Dagger(c) * b)
    A3, _ = symbolic.drift_matrix_from_master_equation([a, b, c], H, [(ka, a), (kb, b), (kc, c)])
    al, be = sp.symbols("alpha beta")  # <a>, <b>
    c_slaved = sp.solve(A3[2, 0] * al + A3[2, 1] * be + A3[2, 2] * sp.Symbol("gamma_c"), sp.Symbol("gamma_c"))[0]
    A_eff = sp.simplify(A3[:2, :2] - A3[:2, 2] * A3[2, :2] / A3[2, 2])
    a2, b2 = symbolic.modes(["a", "b"])
    A_jump, _ = symbolic.drift_matrix_from_master_equation(
        [a2, b2], 0 * Dagger(a2) * a2, [(ka, a2), (kb, b2), (G, a2 + pb * b2)])
    sol = sp.solve([A_eff[0, 0] - A_jump[0, 0], A_eff[0, 1] - A_jump[0, 1]], [G, pb], dict=True)
    if len(sol) != 1:
        raise RuntimeError(f"expected one solution, got {sol}")
    sol = sol[0]
    residual = sp.simplify((A_eff - A_jump).subs(sol))
    asym, bsym = sp.symbols("a b")
    return {"A3": A3, "c_slaved": c_slaved, "A_eff": A_eff, "A_jump": A_jump, "solution": sol,
            "residual": residual, "jump": sp.sqrt(sol[G]) * (asym + sol[pb] * bsym),
            "symbols": dict(g_a=ga, g_b=gb, kappa_c=kc, kappa_a=ka, kappa_b=kb, Gamma=G, phi=phi, p_b=pb,
                            alpha=al, beta=be)}


# --------------------------------------------------------------------------------------------
# the nonreciprocity condition, solved
# --------------------------------------------------------------------------------------------
def nonreciprocity_condition(N: int = 1, topology: str = "cascade") -> dict:
    """Solve "backward drift entry = 0" for each link's complex hop ``X_i = J_i e^{i theta_i}``.

    The derived drift (:func:`moment_equations`) has entry ``(s, d)`` (``d``'s amplitude acting on
    ``s``, i.e. backflow) ``-(i X_i + Gamma_i p_s^* p_d / 2)``.  ``sympy.solve`` gives
    ``X_i = i Gamma_i p_s^* p_d / 2``; the forward entry ``(d, s)`` is then ``-Gamma_i p_s p_d^*``.

    Returns
    -------
    dict
        ``X`` (the complex-hop symbols), ``backward`` (the backward entries in terms of ``X``),
        ``solution`` (list of ``X_i`` solutions), ``forward`` (forward entries at the solution),
        and the symbols.

    References
    ----------
    Liu et al., text below Eq. (2), Appendix A (below Eqs. (A1), (A3), (A5), (A7)).
    """
    N = _check_N(N)
    A, _, s = moment_equations(N, topology)
    X = [sp.Symbol(f"X_{i + 1}") for i in range(N)]
    sub = {}
    for i in range(N):
        sub[s["J"][i] * sp.exp(sp.I * s["theta"][i])] = X[i]
        sub[s["J"][i] * sp.exp(-sp.I * s["theta"][i])] = sp.conjugate(X[i])
    backward, solution, forward = [], [], []
    for i, (src, dst) in enumerate(_links(N, topology)):
        bw = sp.expand(A[src, dst]).subs(sub)
        xs = sp.solve(bw, X[i])
        if len(xs) != 1:
            raise RuntimeError(f"expected one solution for X_{i + 1}, got {xs}")
        fw = sp.expand(A[dst, src]).subs(sub).subs(sp.conjugate(X[i]), sp.conjugate(xs[0]))
        backward.append(bw)
        solution.append(xs[0])
        forward.append(sp.simplify(fw))
    return {"X": X, "backward": backward, "solution": solution, "forward": forward, "symbols": s}


def drift_at_condition(N: int, topology: str = "cascade", polar: bool = False) -> tuple[sp.Matrix, sp.Matrix, dict]:
    """The derived drift with every link at the nonreciprocity condition ``J_i e^{i theta_i} = i Gamma_i p_s^* p_d / 2``.

    Parameters
    ----------
    N : int
    topology : {"cascade", "parallel"}
    polar : bool
        Write ``p_j = rho_j e^{i phi_j}`` (``rho_j > 0``, real ``phi_j``; symbols added to ``syms``
        as ``rho`` and ``phi``), which lets sympy simplify moduli quickly.

    Returns
    -------
    A : sympy.Matrix
        Lower triangular (cascade: bidiagonal; star: first column) with diagonal
        ``-Lambda_j / 2`` of the nodes.
    c : sympy.Matrix
    syms : dict

    References
    ----------
    Liu et al., Eqs. (A1), (A3), (A5), (A7) with the conditions below them.
    """
    N = _check_N(N)
    A, c, s = moment_equations(N, topology)
    sub = {}
    for i, (src, dst) in enumerate(_links(N, topology)):
        X = sp.I * s["Gamma"][i] * sp.conjugate(s["p"][src]) * s["p"][dst] / 2
        sub[sp.exp(sp.I * s["theta"][i])] = X / s["J"][i]
        sub[sp.exp(-sp.I * s["theta"][i])] = sp.conjugate(X) / s["J"][i]
    # xreplace: exact atoms only (subs would also rewrite exp(-i theta) as 1/exp(i theta))
    A = A.xreplace(sub)
    if polar:
        s["rho"] = [sp.Symbol(f"rho_{j}", positive=True) for j in range(N + 1)]
        s["phi"] = [sp.Symbol(f"phi_{j}", real=True) for j in range(N + 1)]
        A = A.subs({s["p"][j]: s["rho"][j] * sp.exp(sp.I * s["phi"][j]) for j in range(N + 1)})
    return A.applyfunc(lambda e: sp.simplify(sp.expand(e))), c, s


# --------------------------------------------------------------------------------------------
# time-dependent amplitudes: Laplace transform and residues
# --------------------------------------------------------------------------------------------
def laplace_amplitudes(A: sp.Matrix, c: sp.Matrix) -> tuple[list[dict], sp.Symbol]:
    """Solve ``d alpha/dt = A alpha + c`` from ``alpha(0) = 0`` for a **lower-triangular** ``A``.

    ``alpha(s) = (s - A)^{-1} c / s`` is solved by forward substitution and inverted by residues
    at ``s = 0`` and ``s = A_jj`` (the diagonal entries must be pairwise distinct symbols or
    expressions).

    Returns
    -------
    amplitudes : list of dict
        For each node ``{rate r: coefficient}`` with ``alpha_j(t) = sum_r coefficient e^{r t}``.
    s : sympy.Symbol
        The Laplace variable (for reference).

    References
    ----------
    Liu et al., Appendix A ("solving the above linear system").
    """
    n = A.shape[0]
    if A.shape != (n, n) or c.shape != (n, 1):
        raise ValueError("A must be square and c a matching column")
    if any(A[i, j] != 0 for i in range(n) for j in range(i + 1, n)):
        raise ValueError("A must be lower triangular (impose the nonreciprocity condition first)")
    s_ = sp.Symbol("s")
    X = []
    for j in range(n):
        rhs = c[j] / s_ + sum(A[j, k] * X[k] for k in range(j))
        X.append(sp.together(rhs / (s_ - A[j, j])))
    amps = []
    for j, Xj in enumerate(X):
        poles = [sp.Integer(0)] + sorted({A[k, k] for k in range(j + 1)}, key=sp.default_sort_key)
        amps.append({pl: sp.factor(_simple_pole_residue(Xj, s_, pl)) for pl in poles})
    return amps, s_


def _simple_pole_residue(X, s_, pole):
    """Residue of the rational function ``X(s)`` at ``pole``: ``N(pole) / D'(pole)`` for ``X = N/D`` when
    the pole is a simple zero of ``D`` (no polynomial gcd needed); otherwise ``cancel((s - pole) X)`` at
    ``s = pole`` (the general route, e.g. a factor common to ``N`` and ``D``)."""
    num, den = sp.fraction(sp.together(X))
    d_den = sp.diff(den, s_).subs(s_, pole)
    if sp.expand(den.subs(s_, pole)) == 0 and sp.expand(d_den) != 0:
        return num.subs(s_, pole) / d_den
    return sp.cancel(X * (s_ - pole)).subs(s_, pole)


def cascade_solution(N: int, with_mu: bool = False) -> tuple[list[dict], list[sp.Symbol], sp.Symbol]:
    """Amplitudes of the nonreciprocal cascade with pairwise distinct ``Lambda_0..Lambda_N``.

    Solves ``d alpha_0/dt = -Lambda_0 alpha_0/2 - i eps``,
    ``d alpha_m/dt = -Lambda_m alpha_m/2 - Gamma_m m_m alpha_{m-1}`` from the vacuum by
    :func:`laplace_amplitudes`.  ``m_m = |mu_m|`` (``with_mu=True``) or 1: in the drift at the
    condition (:func:`drift_at_condition`) the forward entry is ``-Gamma_m p_{m-1} p_m^*``, whose
    phase only rotates every downstream amplitude and drops out of the energies.

    Returns
    -------
    amplitudes : list of dict
        ``{rate: coefficient}`` for ``alpha_m(t)``, ``m = 0..N``; energies ``|alpha_m|^2`` (``omega = 1``).
    Lambdas : list of symbols
    t : symbol

    References
    ----------
    Liu et al., Eqs. (A1)-(A4).
    """
    N = _check_N(N, 5)
    t = sp.Symbol("t", positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    L = [sp.Symbol(f"Lambda_{m}", positive=True) for m in range(N + 1)]
    G = [sp.Symbol(f"Gamma_{m}", positive=True) for m in range(1, N + 1)]
    mu = [sp.Symbol(f"m_{m}", positive=True) if with_mu else sp.Integer(1) for m in range(1, N + 1)]
    A = sp.diag(*[-Lm / 2 for Lm in L])
    for m in range(1, N + 1):
        A[m, m - 1] = -G[m - 1] * mu[m - 1]
    c = sp.Matrix([-sp.I * eps] + [0] * N)
    amps, _ = laplace_amplitudes(A, c)
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
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > 5:
        raise ValueError(f"n must be an integer in 0..5, got {n!r}")
    if sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}")
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


def _paper_symbols(n):
    t = sp.Symbol("t", positive=True)
    eps, om = sp.symbols("epsilon omega", positive=True)
    L = [sp.Symbol(f"Lambda_{m}", positive=True) for m in range(n + 1)]
    G = [sp.Symbol(f"Gamma_{m}", positive=True) for m in range(1, n + 1)]
    m = [sp.Symbol(f"m_{k}", positive=True) for k in range(1, n + 1)]  # |mu_k|
    return t, eps, om, L, G, m


def paper_A2_A4() -> dict:
    """Eqs. (A2) and (A4) of Liu et al., transcribed as printed: ``E_a``, ``E_b1``, ``E_b2``, ``E_b3``.

    Each entry is a pair ``(prefactor, bracket)`` with ``E = prefactor * bracket**2``; ``m_k``
    stands for ``|mu_k|``.

    Returns
    -------
    dict
        ``E_a, E_b1, E_b2, E_b3`` (pairs), ``symbols`` (``t, epsilon, omega, Lambdas, Gammas, m``).

    References
    ----------
    Liu et al., Eqs. (A2), (A4).
    """
    t, eps, om, L, G, m = _paper_symbols(3)
    L0, L1, L2, L3 = L
    e = lambda x: sp.exp(-x * t / 2)  # noqa: E731
    out = {
        "E_a": (4 * om * eps**2 / L0**2, 1 - e(L0)),
        "E_b1": (16 * om * eps**2 * m[0] ** 2 * G[0] ** 2 / (L0**2 * L1**2 * (L0 - L1) ** 2),
                 (L0 - L1) - (L0 * e(L1) - L1 * e(L0))),
        "E_b2": (64 * om * eps**2 * m[0] ** 2 * m[1] ** 2 * G[0] ** 2 * G[1] ** 2
                 / (L0**2 * L1**2 * L2**2 * (L0 - L1) ** 2 * (L1 - L2) ** 2 * (L0 - L2) ** 2),
                 (L0 - L1) * (L1 - L2) * (L0 - L2) - L0 * L1 * (L0 - L1) * e(L2)
                 + L0 * L2 * (L0 - L2) * e(L1) - L1 * L2 * (L1 - L2) * e(L0)),
        "E_b3": (256 * om * eps**2 * m[0] ** 2 * m[1] ** 2 * m[2] ** 2 * G[0] ** 2 * G[1] ** 2 * G[2] ** 2
                 / (L0**2 * L1**2 * L2**2 * L3**2 * (L0 - L1) ** 2 * (L0 - L2) ** 2 * (L0 - L3) ** 2)
                 / ((L1 - L2) ** 2 * (L1 - L3) ** 2 * (L2 - L3) ** 2),
                 (L0 - L1) * (L0 - L2) * (L0 - L3) * (L1 - L2) * (L1 - L3) * (L2 - L3)
                 - L0 * L1 * L2 * (L0 - L1) * (L0 - L2) * (L1 - L2) * e(L3)
                 + L0 * L1 * L3 * (L0 - L1) * (L0 - L3) * (L1 - L3) * e(L2)
                 - L0 * L2 * L3 * (L0 - L2) * (L0 - L3) * (L2 - L3) * e(L1)
                 + L1 * L2 * L3 * (L1 - L2) * (L1 - L3) * (L2 - L3) * e(L0)),
        "symbols": dict(t=t, epsilon=eps, omega=om, Lambda=L, Gamma=G, m=m),
    }
    return out


def paper_A6() -> dict:
    """Eq. (A6) (= (A8)) of Liu et al. as printed: ``E_bn`` of the star, as ``(prefactor, bracket)``.

    Written for battery ``n`` with the symbols ``Lambda_0, Lambda_n, Gamma_n, m_n = |mu_n|``.

    References
    ----------
    Liu et al., Eqs. (A6), (A8); Eq. (7) is the same with the exponentials swapped.
    """
    t = sp.Symbol("t", positive=True)
    eps, om = sp.symbols("epsilon omega", positive=True)
    L0, Ln, Gn, mn = sp.symbols("Lambda_0 Lambda_n Gamma_n m_n", positive=True)
    e = lambda x: sp.exp(-x * t / 2)  # noqa: E731
    return {"E_bn": (16 * om * eps**2 * mn**2 * Gn**2 / (L0**2 * Ln**2 * (L0 - Ln) ** 2),
                     (L0 - Ln) - (L0 * e(Ln) - Ln * e(L0))),
            "E_bn_eq7": (16 * om * eps**2 * mn**2 * Gn**2 / (L0**2 * Ln**2 * (L0 - Ln) ** 2),
                         (L0 - Ln) - (L0 * e(L0) - Ln * e(Ln))),
            "symbols": dict(t=t, epsilon=eps, omega=om, Lambda_0=L0, Lambda_n=Ln, Gamma_n=Gn, m_n=mn)}


def _square_root(expr: sp.Expr) -> sp.Expr:
    """A square root of a product of powers, factor by factor (``(L_i - L_j)^2 -> L_i - L_j``):
    right up to a global sign."""
    out = sp.Integer(1)
    for f in sp.Mul.make_args(sp.factor(expr)):
        base, ex = f.as_base_exp()
        if ex.is_Integer and ex % 2 == 0:
            out *= base ** (ex // 2)
        else:
            out *= sp.sqrt(f)
    return out


def bracket_identity(amplitude: dict, paper: tuple, t: sp.Symbol, rates: list) -> int:
    """Compare a derived amplitude with a printed ``(prefactor, bracket)``: which sign makes them one.

    The exponentials ``exp(-Lambda t/2)`` are replaced by independent symbols, so the comparison is a
    polynomial identity in them with coefficients rational in the Lambdas (``sympy.cancel``).
    Returns ``+1`` or ``-1`` when ``i * amplitude = +- sqrt(prefactor) * bracket`` (with the positive
    square root; ``omega = 1``), and ``0`` when neither holds.

    Parameters
    ----------
    amplitude : dict
        ``{rate: coefficient}`` (:func:`laplace_amplitudes`).
    paper : (prefactor, bracket)
        As returned by :func:`paper_A2_A4` / :func:`paper_A6` (with ``omega`` set to 1 or kept).
    t : Symbol
    rates : list of expressions
        The rates ``r`` of the exponentials ``exp(r t)`` that occur.

    Returns
    -------
    int
    """
    ys = {r: sp.Symbol(f"y_{k}") for k, r in enumerate(rates)}
    pre, br = paper
    br = sp.expand(br).xreplace({sp.exp(r * t): ys[r] for r in rates if r != 0})
    # positive square root up to a global sign (tried both below): |L_i - L_j| -> (L_i - L_j)
    root = _square_root(pre)
    gens = [ys[r] for r in rates if r != 0]
    poly = sp.Poly(br, *gens)
    # the identity is linear in the exponentials: compare coefficient by coefficient
    paper_coeff = {}
    for r in rates:
        mono = tuple(1 if (r != 0 and g == ys[r]) else 0 for g in gens)
        paper_coeff[r] = poly.coeff_monomial(mono)
    if any(sum(m) > 1 for m in poly.monoms()):
        return 0
    for sign in (1, -1):
        if all(sp.cancel(sp.together(sp.I * amplitude.get(r, 0) - sign * root * paper_coeff[r])) == 0
               for r in rates):
            return sign
    return 0


# --------------------------------------------------------------------------------------------
# steady states: Eqs. (4), (5), (8), (9)
# --------------------------------------------------------------------------------------------
def paper_eq4(n: int, Lambdas, Gammas, mus, epsilon, omega=1) -> sp.Expr:
    """Liu et al., Eq. (4): ``4^{n+1} omega eps^2 prod_{m=1}^n |mu_m|^2 Gamma_m^2 / prod_{m=0}^n Lambda_m^2``.

    Parameters are sympy expressions (lists for ``Lambdas`` (n + 1), ``Gammas`` and ``mus`` (n,
    the moduli ``|mu_m|``)).

    References
    ----------
    Liu et al., Eq. (4).
    """
    num = 4 ** (n + 1) * omega * epsilon**2 * sp.Mul(*[mus[m] ** 2 * Gammas[m] ** 2 for m in range(n)])
    return num / sp.Mul(*[Lambdas[m] ** 2 for m in range(n + 1)])


def steady_energy_cascade_uniform() -> tuple[sp.Expr, dict]:
    """Eq. (5) **derived** from Eq. (4) with the uniform Lambdas, for symbolic ``N``.

    Eq. (4) with ``Gamma_m = Gamma``, ``|mu_m| = 1`` and the node rates of the uniform chain
    (``Lambda_0 = Lambda_N = Gamma + kappa``, ``Lambda_{1..N-1} = 2 Gamma + kappa``, as
    :func:`drift_at_condition` gives them) is written with ``sympy.Product`` over the links and the
    inner nodes and evaluated with ``doit()``.

    Returns
    -------
    E : sympy expression in ``N, Gamma, kappa, epsilon`` (``omega = 1``)
    syms : dict
        Also ``steps``: the unevaluated products.

    References
    ----------
    Liu et al., Eqs. (4), (5).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    numerator = 4 * e**2 * sp.Product(4 * G**2, (m, 1, N))             # 4^{N+1} eps^2 prod Gamma_m^2
    ends = (G + k) ** 2 * (G + k) ** 2                                   # Lambda_0^2 Lambda_N^2
    inner = sp.Product((2 * G + k) ** 2, (m, 1, N - 1))                  # prod_{m=1}^{N-1} Lambda_m^2
    E_unevaluated = numerator / (ends * inner)
    # (sp.simplify before powsimp leaves the result unchanged, srepr-identical; tests keep that check)
    E = sp.powsimp(E_unevaluated.doit(), force=True)
    return E, {"N": N, "Gamma": G, "kappa": k, "epsilon": e, "steps": E_unevaluated}


def paper_eq5() -> tuple[sp.Expr, dict]:
    """Liu et al., Eq. (5) as printed (``omega = 1``).

    References
    ----------
    Liu et al., Eq. (5).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    return 4 ** (N + 1) * e**2 * G ** (2 * N) / ((G + k) ** 4 * (2 * G + k) ** (2 * N - 2)), \
        {"N": N, "Gamma": G, "kappa": k, "epsilon": e}


def steady_energy_parallel_uniform() -> tuple[sp.Expr, dict]:
    """Eq. (9) derived: the corrected Eq. (8), ``16 eps^2 Gamma^2 / (Lambda_0^2 Lambda_n^2)``, with the
    uniform star's rates ``Lambda_0 = N Gamma + kappa`` (all ``N`` jumps touch the charger) and
    ``Lambda_n = Gamma + kappa``.

    Returns
    -------
    E : sympy expression, syms : dict

    References
    ----------
    Liu et al., Eqs. (8), (9).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    L0, Ln = sp.symbols("Lambda_0 Lambda_n", positive=True)
    eq8 = 16 * e**2 * G**2 / (L0**2 * Ln**2)
    return eq8.subs({L0: N * G + k, Ln: G + k}), {"N": N, "Gamma": G, "kappa": k, "epsilon": e, "eq8": eq8}


def paper_eq9() -> tuple[sp.Expr, dict]:
    """Liu et al., Eq. (9) as printed (``omega = 1``).

    References
    ----------
    Liu et al., Eq. (9).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    return 16 * e**2 * G**2 / ((N * G + k) ** 2 * (G + k) ** 2), {"N": N, "Gamma": G, "kappa": k, "epsilon": e}


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
    # powsimp (not simplify) merges the powers before factor: the same factored form, 5x cheaper
    dEc = sp.factor(sp.powsimp(sp.diff(Ec, G)))
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


def optimum_as_mean_arrival(couplings: dict | None = None) -> dict:
    """The optimal couplings of Eq. (10) as a condition on the mean arrival time ``sum_m 2/Lambda_m``.

    For both uniform networks ``E^ss`` is ``Gamma^{2N}`` (up to constants) over ``prod_m Lambda_m^2``
    with ``Lambda_m = c_m Gamma + kappa`` and ``sum_m c_m = 2N`` (each link enters two nodes), so
    ``d ln E / d ln Gamma = 2 (kappa sum_m 1/Lambda_m - 1)``: the steady energy is largest exactly when
    the mean arrival time ``T = sum_m 2/Lambda_m`` of Eq. (3)'s hypoexponential equals ``2/kappa``.

    Parameters
    ----------
    couplings : dict, optional
        The result of :func:`optimal_couplings` (recomputed if not given).

    Returns
    -------
    dict
        For ``"cascade"`` and ``"parallel"``: ``(dlnE_dlnGamma, 2 (kappa T/2 - 1))`` as a pair of
        expressions in ``N, Gamma, kappa`` (equal), and ``"roots"``: ``T`` at the roots of paper Eq. (10)
        (``Gamma = 2 J_op``), simplified.

    References
    ----------
    Liu et al., Eqs. (3), (5), (9), (10).
    """
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    Ec, _ = steady_energy_cascade_uniform()
    Ep, _ = steady_energy_parallel_uniform()
    Tc = 4 / (G + k) + 2 * (N - 1) / (2 * G + k)        # Lambda_0 = Lambda_N = Gamma + kappa, inner 2 Gamma + kappa
    Tp = 2 / (N * G + k) + 2 / (G + k)                  # Lambda_0 = N Gamma + kappa, Lambda_n = Gamma + kappa
    out = {}
    for name, E, T in (("cascade", Ec, Tc), ("parallel", Ep, Tp)):
        dlog = sp.simplify(G * sp.diff(sp.expand_log(sp.log(E), force=True), G))
        out[name] = (dlog, 2 * (k * T / 2 - 1))
    oc = optimal_couplings() if couplings is None else couplings
    Gc = 2 * oc["Jc"].subs({oc["N"]: N, oc["kappa"]: k})
    Gp = 2 * oc["Jp"].subs({oc["N"]: N, oc["kappa"]: k})
    out["roots"] = {"cascade": sp.simplify(Tc.subs(G, Gc)), "parallel": sp.simplify(Tp.subs(G, Gp))}
    out["symbols"] = {"N": N, "Gamma": G, "kappa": k}
    return out


# --------------------------------------------------------------------------------------------
# reciprocal chain: the continuant and the odd-even threshold
# --------------------------------------------------------------------------------------------
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
    if isinstance(L, bool) or not isinstance(L, int) or L < 1 or L > 12:
        raise ValueError(f"L must be an integer in 1..12, got {L!r}")
    J, k = sp.symbols("J kappa", positive=True)
    H0 = sp.zeros(L, L)
    for i in range(L - 1):
        H0[i, i + 1] = H0[i + 1, i] = J
    P = sp.expand((k * sp.eye(L) + 2 * sp.I * H0).det(method="berkowitz"))
    return P, J, k


def odd_even_condition() -> dict:
    """When does an even chain beat the odd one below it?  ``E_{N+1} > E_N`` in closed form.

    Steps (``kappa`` kept symbolic):

    1. ``P_L = kappa P_{L-1} + 4 J^2 P_{L-2}``, ``P_0 = 1``, ``P_1 = kappa``, solved by ``rsolve``;
    2. its Binet form ``P_L = (z_+^{L+1} - z_-^{L+1})/(z_+ - z_-)`` with
       ``z_+- = (kappa +- sqrt(kappa^2 + 16 J^2))/2``;
    3. ``E_N = omega [2^{N+1} J^N eps / P_{N+1}]^2``, so ``E_{N+1} > E_N`` iff ``2 J P_{N+1} > P_{N+2}``,
       and ``(z_+ - z_-)(2 J P_{N+1} - P_{N+2}) = z_+^{N+2}(2J - z_+) - z_-^{N+2}(2J - z_-)``;
    4. for odd ``N`` (``z_-^{N+2} < 0``), with ``x = J/kappa``, ``s = sqrt(1 + 16 x^2)``:
       ``E_{N+1} > E_N`` iff ``N + 2 < ln[(s - 1 + 4x)/(s + 1 - 4x)] / ln[(s + 1)/(s - 1)]``.

    Returns
    -------
    dict
        ``rsolve`` (step 1), ``binet`` (step 2), ``difference`` and ``factored`` (step 3: the two
        sides of the identity; ``compact`` is ``factored`` written with symbols ``z_+``, ``z_-``), ``N_star`` (the right-hand side of step 4 minus 2, in ``x``),
        ``large_x`` (its leading behaviour ``2 x ln(8x) - 2``) and the symbols.

    References
    ----------
    Liu et al., Eqs. (11), (12), (B16).
    """
    Ls = sp.Symbol("L", integer=True, nonnegative=True)
    Nn = sp.Symbol("N", integer=True, positive=True)
    J, k = sp.symbols("J kappa", positive=True)
    P = sp.Function("P")
    sol = sp.rsolve(P(Ls) - k * P(Ls - 1) - 4 * J**2 * P(Ls - 2), P(Ls), {P(0): 1, P(1): k})
    S = sp.sqrt(k**2 + 16 * J**2)
    zp, zm = (k + S) / 2, (k - S) / 2
    binet = lambda L_: (zp ** (L_ + 1) - zm ** (L_ + 1)) / (zp - zm)  # noqa: E731
    difference = sp.expand((zp - zm) * (2 * J * binet(Nn + 1) - binet(Nn + 2)))
    factored = zp ** (Nn + 2) * (2 * J - zp) - zm ** (Nn + 2) * (2 * J - zm)
    zP, zM = sp.symbols("z_+ z_-")
    compact = zP ** (Nn + 2) * (2 * J - zP) - zM ** (Nn + 2) * (2 * J - zM)
    x = sp.Symbol("x", positive=True)
    s = sp.sqrt(1 + 16 * x**2)
    N_star = sp.log((s - 1 + 4 * x) / (s + 1 - 4 * x)) / sp.log((s + 1) / (s - 1)) - 2
    return {"rsolve": sol, "binet": binet(Ls), "difference": difference, "factored": factored, "compact": compact,
            "N_star": N_star, "large_x": 2 * x * sp.log(8 * x) - 2, "L": Ls, "N": Nn, "J": J, "kappa": k,
            "x": x, "z_plus": zp, "z_minus": zm}


def window_roots() -> tuple[list[sp.Expr], sp.Expr]:
    """Where Eq. (13) (reciprocal star) equals Eq. (9) (nonreciprocal star) with ``Gamma = 2J``.

    Returns
    -------
    roots : list
        The positive roots in ``J`` (``kappa/(2N)`` and ``kappa/2``, Eq. (14)).
    condition : sympy expression
        ``sqrt(E_RC) - sqrt(E_NC)``, factored: its sign decides which wins.

    References
    ----------
    Liu et al., Eqs. (9), (13), (14).
    """
    N, J, k, e = sp.symbols("N J kappa epsilon", positive=True)
    E_rc = 4 * (2 * J) ** 2 * e**2 / (4 * N * J**2 + k**2) ** 2
    G = 2 * J
    E_nc = 16 * e**2 * G**2 / ((N * G + k) ** 2 * (G + k) ** 2)
    cond = sp.factor(sp.simplify(sp.sqrt(E_rc) - sp.sqrt(E_nc)))
    num = sp.numer(sp.together(sp.sqrt(E_rc) - sp.sqrt(E_nc)))
    roots = sorted(set(sp.solve(sp.factor(num), J)), key=lambda r: sp.limit(r.subs(k, 1), N, 3))
    return roots, cond


# --------------------------------------------------------------------------------------------
# reservoirs: the fluctuation equations of Eqs. (15)-(16)
# --------------------------------------------------------------------------------------------
def thermal_fluctuations(drift: sp.Matrix, noise: sp.Matrix) -> sp.Matrix:
    """Solve ``A^* C + C A^T + Sigma = 0`` symbolically for the steady normal fluctuations
    ``C_ij = <d o_i^dag d o_j>``.

    Parameters
    ----------
    drift : sympy.Matrix (n, n)
    noise : sympy.Matrix (n, n)
        ``Sigma = sum_k gamma_k n_k c_k c_k^dag`` (``Sigma_N`` of the conventions page).

    Returns
    -------
    sympy.Matrix (n, n)

    References
    ----------
    Liu et al., Eq. (15); the moment equations of :mod:`nrqb.engine.network`.
    """
    n = drift.shape[0]
    C = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"C_{i}{j}"))
    eqs = sp.Matrix(drift.conjugate() * C + C * drift.T + noise)
    sol = sp.solve(list(eqs), list(C), dict=True)[0]
    return C.subs(sol).applyfunc(sp.simplify)


def anomalous_fluctuations(drift: sp.Matrix, noise: sp.Matrix) -> sp.Matrix:
    """Solve ``A S + S A^T + Pi = 0`` for the steady anomalous fluctuations ``S_ij = <d o_i d o_j>``.

    Parameters
    ----------
    drift : sympy.Matrix (n, n)
    noise : sympy.Matrix (n, n)
        ``Pi = sum_k gamma_k M_k^* c_k^* c_k^dag`` (``Sigma_M`` of the conventions page), with
        ``M_k = sinh r cosh r e^{-i theta_r}`` on squeezed channels (Eq. (16)'s ``Q``).

    Returns
    -------
    sympy.Matrix (n, n)

    References
    ----------
    Liu et al., Eq. (16).
    """
    n = drift.shape[0]
    S = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"S_{min(i, j)}{max(i, j)}"))
    eqs = sp.Matrix(drift * S + S * drift.T + noise)
    unknowns = sorted(S.free_symbols, key=sp.default_sort_key)
    sol = sp.solve(list(eqs), unknowns, dict=True)[0]
    return S.subs(sol).applyfunc(sp.simplify)


# A small bosonic operator algebra for second_moment_equations.  sympy's generic
# ``normal_ordered_form`` on the expanded sum of all channels took ~10 s for N = 2; the same algebra on
# plain words is ~100 times faster.  A letter is ``(is_annihilation, name)``, a word a tuple of
# letters, an operator a dict {word: sympy number}.  The only rule used is the canonical commutator
# ``[o_i, o_j^dag] = delta_ij`` (operators of different modes commute); the normal order is sympy's
# (creators first, each group sorted by name), so the moment symbols are those of
# :func:`nrqb.engine.symbolic.moment`.  ``tests/papers/test_liu_sym.py`` compares it with sympy's
# ``normal_ordered_form``.
def _op(name, dagger=False):
    """The operator ``o`` (or ``o^dag``) of the mode ``name`` as a word dict."""
    return {((not dagger, name),): sp.Integer(1)}


def _op_mul(*factors):
    out = {(): sp.Integer(1)}
    for f in factors:
        new = {}
        for w1, c1 in out.items():
            for w2, c2 in f.items():
                w = w1 + w2
                new[w] = new.get(w, 0) + c1 * c2
        out = new
    return out


def _op_add(*terms):
    """Sum of ``(coefficient, operator)`` pairs."""
    out = {}
    for coeff, f in terms:
        for w, c in f.items():
            out[w] = out.get(w, 0) + coeff * c
    return out


def _op_dagger(f):
    return {tuple((not ann, name) for ann, name in reversed(w)): sp.conjugate(c) for w, c in f.items()}


@lru_cache(maxsize=None)
def _normal_order_word(word):
    """The normal-ordered form of one word: a tuple of ``(word, multiplicity)``."""
    for k in range(len(word) - 1):
        x, y = word[k], word[k + 1]
        if x > y:
            swapped = word[:k] + (y, x) + word[k + 2:]
            terms = list(_normal_order_word(swapped))
            if x[0] and not y[0] and x[1] == y[1]:  # o o^dag = o^dag o + 1
                terms += list(_normal_order_word(word[:k] + word[k + 2:]))
            out = {}
            for w, m in terms:
                out[w] = out.get(w, 0) + m
            return tuple((w, m) for w, m in out.items() if m != 0)
    return ((word, 1),)


def _moment_symbol(word):
    if not word:
        return sp.Integer(1)
    return sp.Symbol("<" + " ".join(name if ann else f"{name}^dag" for ann, name in word) + ">")


def _expectation(f):
    """``<f>`` with ``f`` normal-ordered, as a linear combination of moment symbols."""
    acc = {}
    for w, c in f.items():
        for wn, m in _normal_order_word(w):
            s = _moment_symbol(wn)
            acc[s] = acc.get(s, 0) + m * c
    return sp.Add(*[c * s for s, c in acc.items()])


def _dissipator_adjoint(X, L):
    """``L^dag X L - {L^dag L, X}/2``: the Heisenberg action of ``D[L]``."""
    Ld = _op_dagger(L)
    half = sp.Rational(-1, 2)
    return _op_add((1, _op_mul(Ld, X, L)), (half, _op_mul(Ld, L, X)), (half, _op_mul(X, Ld, L)))


def _squeezed_adjoint(X, L):
    """Heisenberg action of ``D'[L]``, ``D'[L] rho = L rho L - {L L, rho}/2``:
    ``L X L - {L L, X}/2`` (by cyclicity of the trace)."""
    half = sp.Rational(-1, 2)
    return _op_add((1, _op_mul(L, X, L)), (half, _op_mul(L, L, X)), (half, _op_mul(X, L, L)))


@lru_cache(maxsize=16)
def second_moment_equations(N: int, topology: str = "cascade", gauge: str = "pi/2",
                            coupling: str = "nonreciprocal") -> dict:
    """First- and second-moment equations of Liu et al.'s Eqs. (15)-(16), derived with operator algebra.

    The Hamiltonian of Eq. (1)/(6) with uniform ``J`` (``Gamma = 2 J`` for nonreciprocal links at
    the paper's condition in the given gauge), drive ``epsilon (a + a^dag)``, and for every channel
    ``gamma [(P+1) D[o] + P D[o^dag] - Q D'[o] - Qc D'[o^dag]]`` with separate symbols
    ``P_l, Q_l, Qc_l`` for the local baths (``kappa D[o_j]``) and ``P_s, Q_s, Qc_s`` for the shared
    reservoirs (``D[q_i]``).  ``d<X>/dt`` is computed for ``X = o_i, o_i^dag, o_i o_j, o_i^dag o_j^dag,
    o_i^dag o_j`` and normal-ordered with the canonical commutators; the system closes on these
    moments.  It is the paper's master equation term by term, independent of the engine's noise
    matrices.  Each term (one Hamiltonian piece or one channel's ``D``, ``D'``) is normal-ordered
    with numeric coefficients and then multiplied by its symbolic rate (the rates commute).

    Parameters
    ----------
    N : int (1..3)
    topology : {"cascade", "parallel"}
    gauge : {"pi/2", "0"}
    coupling : {"nonreciprocal", "reciprocal"}

    Returns
    -------
    dict
        ``rhs`` (list of right-hand sides), ``moments`` (the moment symbols, in the same order),
        ``ops`` (mode operators), ``params`` (symbols ``J, kappa, epsilon, P_l, Q_l, Qc_l, P_s,
        Q_s, Qc_s``).

    References
    ----------
    Liu et al., Eqs. (1), (2), (6), (15), (16).
    """
    N = _check_N(N, 3)
    links = _links(N, topology)
    if gauge not in ("pi/2", "0"):
        raise ValueError(f"gauge must be 'pi/2' or '0', got {gauge!r}")
    if coupling not in ("nonreciprocal", "reciprocal"):
        raise ValueError(f"coupling must be 'nonreciprocal' or 'reciprocal', got {coupling!r}")
    J, k, eps = sp.symbols("J kappa epsilon", positive=True)
    Pl, Ps = sp.symbols("P_l P_s", nonnegative=True)
    Ql, Qs = sp.symbols("Q_l Q_s")
    Qcl, Qcs = sp.Symbol(r"\bar{Q}_l"), sp.Symbol(r"\bar{Q}_s")  # the conjugates, as independent symbols
    names = ["a"] + [f"b{i}" for i in range(1, N + 1)]
    ops = [_op(nm) for nm in names]
    if gauge == "pi/2":
        p, phase = [sp.Integer(1)] * (N + 1), sp.I
    else:
        p = [sp.I] + ([(-sp.I) ** m for m in range(N)] if topology == "cascade" else [sp.Integer(1)] * N)
        phase = sp.Integer(1)
    H_terms = [(eps, _op_add((1, ops[0]), (1, _op_dagger(ops[0]))))]   # (symbolic coefficient, operator)
    channels = [(k, o, Pl, Ql, Qcl) for o in ops]
    for (src, dst) in links:
        ph = phase if coupling == "nonreciprocal" else sp.Integer(1)
        H_terms.append((J, _op_add((ph, _op_mul(_op_dagger(ops[src]), ops[dst])),
                                   (sp.conjugate(ph), _op_mul(_op_dagger(ops[dst]), ops[src])))))
        if coupling == "nonreciprocal":
            channels.append((2 * J, _op_add((p[src], ops[src]), (p[dst], ops[dst])), Ps, Qs, Qcs))
    n = len(ops)
    # derive d<X>/dt for X = o_i, o_i o_j (i <= j), o_i^dag o_j (i <= j); the adjoints follow by conjugation
    Xs = list(ops)
    for i in range(n):
        Xs += [_op_mul(ops[i], ops[j]) for j in range(i, n)] + [_op_mul(_op_dagger(ops[i]), ops[j]) for j in range(i, n)]

    conj_map = {}
    for X in Xs:
        conj_map[_expectation(X)] = _expectation(_op_dagger(X))
        conj_map[_expectation(_op_dagger(X))] = _expectation(X)
    conj_map.update({Ql: Qcl, Qcl: Ql, Qs: Qcs, Qcs: Qs})
    rhs, moments = [], []
    for X in Xs:
        r = sp.Integer(0)
        for coeff, h in H_terms:                          # i [H, X]
            r += coeff * _expectation(_op_add((sp.I, _op_mul(h, X)), (-sp.I, _op_mul(X, h))))
        for rate, L, P_, Q_, Qc_ in channels:
            Ld = _op_dagger(L)
            r += rate * (P_ + 1) * _expectation(_dissipator_adjoint(X, L)) + rate * P_ * _expectation(_dissipator_adjoint(X, Ld))
            r -= rate * Q_ * _expectation(_squeezed_adjoint(X, L)) + rate * Qc_ * _expectation(_squeezed_adjoint(X, Ld))
        r = sp.expand(r)
        m = _expectation(X)
        rhs.append(r)
        moments.append(m)
        if conj_map[m] != m:  # d<X^dag>/dt = conj(d<X>/dt)
            rhs.append(sp.expand(r.xreplace(conj_map).subs(sp.I, -sp.I)))
            moments.append(conj_map[m])
    return {"rhs": rhs, "moments": moments, "ops": symbolic.modes(names),
            "params": dict(J=J, kappa=k, epsilon=eps, P_l=Pl, Q_l=Ql, Qc_l=Qcl, P_s=Ps, Q_s=Qs, Qc_s=Qcs)}


def latex_moments(expr):
    """``expr`` with its moment symbols ``<a^dag b1>`` renamed ``\\langle a^\\dagger b_{1}\\rangle`` (for display).

    Parameters
    ----------
    expr : sympy expression

    Returns
    -------
    sympy expression
    """
    def tex(name):
        parts = []
        for tok in name.strip("<>").split():
            dag = tok.endswith("^dag")
            base = tok[:-4] if dag else tok
            base = base[0] + ("_{" + base[1:] + "}" if len(base) > 1 else "")
            parts.append(base + (r"^\dagger" if dag else ""))
        return r"\langle " + r"\,".join(parts) + r"\rangle"

    return expr.xreplace({s_: sp.Symbol(tex(s_.name)) for s_ in expr.free_symbols
                          if s_.name.startswith("<") and s_.name.endswith(">")})
