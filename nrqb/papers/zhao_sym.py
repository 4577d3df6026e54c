"""sympy derivations for the chapter on Zhao et al. (non-Hermitian Aharonov-Bohm triangles).

Each function returns sympy expressions; the chapter displays them step by step and compares them
with the paper's printed forms.  Conventions as in :mod:`nrqb.papers.zhao` (``h[i, j]`` is the
coefficient of ``a_i^dag a_j``; every rate ``r`` is a channel ``r D[mode]``).  The moment
equations come from the master equation through :mod:`nrqb.engine.symbolic` (operator algebra),
never from the engine's drift matrix.

Grouped by equation:

* the triangle and its elimination: :func:`triangle_drift`, :func:`slaved_intermediate`,
  :func:`eliminate_modes`, :func:`link_moduli`, :func:`backflow_condition`,
  :func:`energy_single_link`;
* the splits ``g_1 != g_2`` of one-way links: :func:`split_load`, :func:`split_stationarity`,
  :func:`split_fixed_point`, :func:`split_optimum`;
* paper Eq. (2): :func:`continuant_r1`, :func:`dimer_sum`, :func:`eq2_printed`;
* paper Eq. (3): :func:`chain_drift`, :func:`effective_chain`, :func:`chain_terminal_energy`,
  :func:`eq3`;
* paper Eqs. (4), (5): :func:`parallel_r1_energy`, :func:`eq4_printed`, :func:`eq4_corrected`,
  :func:`star_drift`, :func:`star_energy_nr`, :func:`eq5`;
* gains: :func:`sqrt_gain_cascaded`, :func:`sqrt_gain_parallel`, :func:`gain_series`,
  :func:`gain_r2_rise`, :func:`g_opt_equation`; the growth of the chain's gain with ``N``,
  :func:`r1_growth`; the star's window where the one-way gain is below 1,
  :func:`parallel_gain_sign`, and the split that closes it, :func:`star_split_optimum`.

References
----------
H.-W. Zhao, Y. Xie, X. Huang, G.-F. Zhang, "Enhanced Charging in Multi-Battery Systems by
Nonreciprocity", paper Eqs. (1)-(5).
"""

from __future__ import annotations

from functools import lru_cache
from math import comb
from typing import Any, NamedTuple

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic
from ..engine.validation import count as _count

__all__ = [
    "symbols",
    "uniform_split_load",
    "continuant_r2",
    "triangle_drift",
    "slaved_intermediate",
    "eliminate_modes",
    "eliminate_intermediate",
    "link_moduli",
    "backflow_condition",
    "energy_single_link",
    "split_load",
    "split_stationarity",
    "split_fixed_point",
    "split_optimum",
    "continuant_r1",
    "dimer_sum",
    "eq2_printed",
    "chain_drift",
    "effective_chain",
    "chain_terminal_energy",
    "eq3",
    "parallel_r1_energy",
    "eq4_printed",
    "eq4_corrected",
    "star_drift",
    "star_energy_nr",
    "eq5",
    "sqrt_gain_cascaded",
    "sqrt_gain_parallel",
    "gain_series",
    "gain_r2_rise",
    "R2Rise",
    "g_opt_equation",
    "parallel_gain_sign",
    "star_split_optimum",
    "r1_growth",
]


class R2Rise(NamedTuple):
    """Result of :func:`gain_r2_rise`: ``G_N2(x)``, the numerator of its derivative, the number of
    positive roots of that numerator and its sign at ``x = 1``."""

    G: Any
    numerator: Any
    n_positive_roots: int
    sign_at_1: int


def symbols():
    """The chapter's positive symbols ``g_b, g_1, g_2, Gamma, gamma, gamma_c, gamma_b, xi, x, v, kappa`` and real ``theta``.

    Returns
    -------
    dict
        Name -> sympy Symbol (``x = g_b/gamma``; ``v = gamma/(2 g_b)``; ``kappa = 2 g_1 g_2/Gamma``, the
        strength of the indirect path).

    References
    ----------
    Zhao et al., paper Eq. (1) (symbols).
    """
    names = "g_b g_1 g_2 Gamma gamma gamma_c gamma_b xi x v kappa"
    out = {n: sp.Symbol(n, positive=True) for n in names.split()}
    out["theta"] = sp.Symbol("theta", real=True)
    return out


# --------------------------------------------------------------------------------------------
# one triangle: moment equations, elimination of the intermediate mode, nonreciprocity
# --------------------------------------------------------------------------------------------
def triangle_drift():
    """Drift matrix and constant of one AB triangle, derived from the master equation.

    ``H = g_b e^{i theta} b^dag c + g_1 a^dag c + g_2 b^dag a + H.c. + xi (c + c^dag)`` with
    channels ``gamma_c D[c]``, ``Gamma D[a]``, ``gamma_b D[b]`` (paper Eq. (1) with N = 1).

    Returns
    -------
    A : sympy.Matrix (3, 3)
        ``d<(c, a, b)>/dt = A <(c, a, b)> + const``.
    const : sympy.Matrix (3, 1)

    References
    ----------
    Zhao et al., paper Eq. (1) and Fig. 1(a).
    """
    return _triangle_drift()


@lru_cache(maxsize=None)
def _triangle_drift():
    s = symbols()
    c, a, b = symbolic.modes("c a b")
    J = s["g_b"] * sp.exp(sp.I * s["theta"])
    H = (J * Dagger(b) * c + sp.conjugate(J) * Dagger(c) * b
         + s["g_1"] * (Dagger(a) * c + Dagger(c) * a)
         + s["g_2"] * (Dagger(b) * a + Dagger(a) * b)
         + s["xi"] * (c + Dagger(c)))
    channels = [(s["gamma_c"], c), (s["Gamma"], a), (s["gamma_b"], b)]
    return symbolic.drift_matrix_from_master_equation([c, a, b], H, channels)


def slaved_intermediate(A, const, index: int = 1):
    """The steady value of mode ``index`` in terms of the others: solve ``d<a>/dt = 0`` for ``<a>``.

    Parameters
    ----------
    A : sympy.Matrix (n, n)
    const : sympy.Matrix (n, 1)
    index : int

    Returns
    -------
    sympy.Expr
        ``<a> = -(sum_{j != index} A[index, j] <m_j> + const[index]) / A[index, index]`` in terms of
        the moment symbols ``<m_j>`` of :func:`nrqb.engine.symbolic.moment`.

    References
    ----------
    Zhao et al., paper Eq. (1): the lossy intermediate modes ``a_k``.
    """
    n = A.shape[0]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
        raise ValueError(f"index must be an integer in [0, {n}), got {index!r}")
    m = sp.symbols(f"m0:{n}")
    rhs = sum(A[index, j] * m[j] for j in range(n)) + const[index]
    sol = sp.solve(sp.Eq(rhs, 0), m[index])[0]
    return sp.expand(sol), m


def eliminate_modes(A, const, indices):
    """Eliminate the modes ``indices`` from ``d x/dt = A x + const`` by setting their derivatives to zero.

    The Schur complement ``A_kk - A_ke A_ee^{-1} A_ek`` (and the same for ``const``).  Exact for
    steady states (the eliminated modes are slaved to their neighbours); for the dynamics it is the
    adiabatic elimination, valid when the eliminated modes' losses dominate.

    Parameters
    ----------
    A : sympy.Matrix (n, n)
    const : sympy.Matrix (n, 1)
    indices : sequence of int
        Modes to eliminate (distinct).

    Returns
    -------
    A_eff : sympy.Matrix
    const_eff : sympy.Matrix

    References
    ----------
    Zhao et al., paper Eq. (1): the effective forward and backward couplings.
    """
    n = A.shape[0]
    e = [int(i) for i in indices]
    if len(set(e)) != len(e) or any(not 0 <= i < n for i in e) or not e:
        raise ValueError(f"indices must be distinct integers in [0, {n}), got {indices!r}")
    k = [i for i in range(n) if i not in e]
    Aee = A.extract(e, e)
    X = Aee.LUsolve(A.extract(e, k))
    y = Aee.LUsolve(const.extract(e, [0]))
    A_eff = (A.extract(k, k) - A.extract(k, e) * X).applyfunc(sp.cancel)
    c_eff = (const.extract(k, [0]) - A.extract(k, e) * y).applyfunc(sp.cancel)
    return A_eff, c_eff


def eliminate_intermediate(A, const, index: int = 1):
    """:func:`eliminate_modes` for one mode (the triangle's ``a``), entries simplified.

    Parameters
    ----------
    A, const : sympy.Matrix
    index : int

    Returns
    -------
    A_eff, const_eff : sympy.Matrix

    References
    ----------
    Zhao et al., paper Eq. (1).
    """
    A_eff, c_eff = eliminate_modes(A, const, [index])
    return A_eff.applyfunc(sp.simplify), c_eff.applyfunc(sp.simplify)


def link_moduli():
    """``|forward|^2`` and ``|backward|^2`` of the eliminated link, and the forms that show their minima.

    With ``kappa = 2 g_1 g_2 / Gamma``: ``|A_bc|^2 = (kappa - g_b)^2 + 2 kappa g_b (1 - sin theta)`` and
    ``|A_cb|^2 = (kappa - g_b)^2 + 2 kappa g_b (1 + sin theta)``.

    Returns
    -------
    (forward, backward, forward_claimed, backward_claimed) : sympy expressions

    References
    ----------
    Zhao et al., Fig. 1(a) and the nonreciprocity window ``theta in (-pi, 0)``.
    """
    s = symbols()
    A, const = triangle_drift()
    A_eff, _ = eliminate_modes(A, const, [1])
    fwd, bwd = A_eff[1, 0], A_eff[0, 1]
    th = s["theta"]
    # |z|^2 expanded, with cos^2 theta = 1 - sin^2 theta (the only trigonometric identity it needs):
    # the same expression as simplify gives, ~30x cheaper
    mod = lambda z: sp.expand(sp.expand(sp.expand_complex(z * sp.conjugate(z))).subs(sp.cos(th) ** 2, 1 - sp.sin(th) ** 2))
    kap = 2 * s["g_1"] * s["g_2"] / s["Gamma"]
    g = s["g_b"]
    return (mod(fwd), mod(bwd),
            (kap - g) ** 2 + 2 * kap * g * (1 - sp.sin(th)),
            (kap - g) ** 2 + 2 * kap * g * (1 + sp.sin(th)))


def backflow_condition():
    """Solve ``A_cb = 0`` (no backflow from battery to charger) for ``theta`` and ``kappa = 2 g_1 g_2/Gamma``.

    The backward entry is ``-(kappa + g_b sin theta + i g_b cos theta)``; its real and imaginary parts
    vanish together only at ``cos theta = 0``, ``kappa = -g_b sin theta`` with ``kappa > 0``.

    Returns
    -------
    (real_part, imag_part, solutions) : two sympy expressions and a list of dicts
        ``solutions`` holds ``{theta: -pi/2, kappa: g_b}`` (the solution with ``kappa > 0``).

    References
    ----------
    Zhao et al., Fig. 1(a): nonreciprocal charging at ``theta`` in ``(-pi, 0)``.
    """
    s = symbols()
    A, const = triangle_drift()
    A_eff, _ = eliminate_modes(A, const, [1])
    G = s["kappa"]
    bwd = sp.expand_complex(A_eff[0, 1].subs(s["g_1"], G * s["Gamma"] / (2 * s["g_2"])))
    re, im = sp.simplify(sp.re(bwd)), sp.simplify(sp.im(bwd))
    th = sp.Symbol("theta")                    # solve over the reals of (-pi, pi]
    sols = sp.solve([re.subs(s["theta"], th), im.subs(s["theta"], th)], [th, G], dict=True)
    sols = [{s["theta"]: sp.Mod(d[th] + sp.pi, 2 * sp.pi) - sp.pi, G: d[G]} for d in sols
            if sp.N(d[G].subs(s["g_b"], 1)) > 0]                  # theta in [-pi, pi), kappa > 0
    return re, im, sols


def energy_single_link(theta=None, g1=None, g2=None):
    """Steady battery energy ``|<b>|^2`` of one AB triangle with equal rates ``gamma``.

    Parameters
    ----------
    theta, g1, g2 : sympy expressions, optional
        Substitutions (default: the symbols).

    Returns
    -------
    sympy.Expr
        ``|<b>|^2`` in the steady state, from the eliminated (exact in steady state) drift, as
        ``|numerator|^2 / |denominator|^2`` with ``cos^2 theta`` replaced by ``1 - sin^2 theta``.

    References
    ----------
    Zhao et al., paper Eq. (3) with N = 1 at the optimum.
    """
    s = symbols()
    A, const = triangle_drift()
    sub = {s["gamma_c"]: s["gamma"], s["gamma_b"]: s["gamma"]}
    if theta is not None:
        sub[s["theta"]] = theta
    if g1 is not None:
        sub[s["g_1"]] = g1
    if g2 is not None:
        sub[s["g_2"]] = g2
    A_eff, c_eff = eliminate_modes(A.subs(sub), const.subs(sub), [1])
    x = A_eff.LUsolve(-c_eff)
    n, d = sp.fraction(sp.together(x[1]))
    th = s["theta"]
    sn, cs = sp.Dummy("s"), sp.Dummy("c")

    def mod2(z):   # |z|^2 as a polynomial in sin(theta), cos(theta), reduced with cos^2 = 1 - sin^2
        z = sp.expand_complex(z)
        p = sp.expand((sp.re(z) ** 2 + sp.im(z) ** 2).subs({sp.sin(th): sn, sp.cos(th): cs}))
        return sp.rem(sp.Poly(p, cs), sp.Poly(cs ** 2 + sn ** 2 - 1, cs)).as_expr().subs({sn: sp.sin(th), cs: sp.cos(th)})

    return sp.factor(sp.cancel(mod2(n) / mod2(d)))


# --------------------------------------------------------------------------------------------
# splits g_1 != g_2 on the one-way manifold
# --------------------------------------------------------------------------------------------
def split_load(N: int):
    """``prod_k d_k`` of the one-way chain with source dampings ``sigma_1..sigma_N`` (to be minimised).

    On the one-way manifold link ``k`` adds ``sigma_k = 2 (g_1^{(k)})^2/Gamma`` to its source and
    ``g_b^2/sigma_k`` to its destination; the terminal amplitude is ``xi (2 g_b)^N / prod_k d_k`` with
    ``d_0 = gamma/2 + sigma_1``, ``d_k = gamma/2 + g_b^2/sigma_k + sigma_{k+1}``, ``d_N = gamma/2 + g_b^2/sigma_N``.

    Parameters
    ----------
    N : int

    Returns
    -------
    (load, xs) : sympy.Expr and the tuple of symbols ``sigma_1..sigma_N``

    References
    ----------
    Zhao et al., text before Fig. 2 (``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)``).
    """
    N = _count(N)
    s = symbols()
    u, g = s["gamma"] / 2, s["g_b"]
    xs = sp.symbols(f"sigma_1:{N + 1}", positive=True)
    d = [u + xs[0]] + [u + g ** 2 / xs[k - 1] + xs[k] for k in range(1, N)] + [u + g ** 2 / xs[N - 1]]
    return sp.Mul(*d), xs


def uniform_split_load(N: int):
    """Load of the one-way chain with the same split on every link, in ``rho = sigma/g_b``, ``v = gamma/(2 g_b)``.

    :func:`split_load` with ``sigma_k = rho g_b`` for every ``k``, divided by ``g_b^{N+1}``:
    ``(v + rho)(v + 1/rho)(v + rho + 1/rho)^{N-1}``.  It is invariant under ``rho -> 1/rho`` and its
    logarithm is convex in ``log rho`` (a product of posynomials), so its only minimum is ``rho = 1``:
    among link-uniform splits the paper's ``g_1 = g_2`` is optimal for every ``N`` and ``g_b``.

    Parameters
    ----------
    N : int

    Returns
    -------
    (load, rho) : sympy.Expr and the symbol ``rho``

    References
    ----------
    Zhao et al., text before Fig. 2 (``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)`` for all ``k``).
    """
    N = _count(N)
    s = symbols()
    g, v = s["g_b"], s["v"]
    rho = sp.Symbol("rho", positive=True)
    load, xs = split_load(N)
    e = (load / g ** (N + 1)).subs({x: rho * g for x in xs}).subs(s["gamma"], 2 * v * g)
    return sp.factor(sp.simplify(e)), rho


def split_stationarity(N: int):
    """Stationarity of ``log prod d_k`` in ``sigma_k``, in ``rho_k = sigma_k/g_b`` and ``v = gamma/(2 g_b)``.

    ``d/dsigma_k log prod d = 0`` is ``sigma_k^2 d_k = g_b^2 d_{k-1}``; divided by ``g_b^3`` it reads
    ``rho_k^2 (v + rho_{k+1}) = v + 1/rho_{k-1}`` (with ``1/rho_0 = rho_{N+1} = 0``).

    Parameters
    ----------
    N : int

    Returns
    -------
    (equations, rs) : list of sympy.Expr (each = 0 at the optimum) and the symbols ``rho_1..rho_N``

    References
    ----------
    Zhao et al., text before Fig. 2.
    """
    N = _count(N)
    s = symbols()
    g, v = s["g_b"], s["v"]
    load, xs = split_load(N)
    rs = sp.symbols(f"rho_1:{N + 1}", positive=True)
    eqs = []
    for k in range(N):
        e = sp.numer(sp.together(sp.diff(sp.log(load), xs[k])))
        e = sp.expand(e.subs({x: g * r for x, r in zip(xs, rs)}).subs(s["gamma"], 2 * v * g))
        eqs.append(sp.factor(sp.cancel(e / g ** sp.Poly(e, g).degree())))
    return eqs, rs


def split_fixed_point():
    """The interior fixed point of the stationarity recurrence: ``rho^2 (v + rho) = v + 1/rho``.

    ``rho^4 + v rho^3 - v rho - 1 = (rho^2 - 1)(rho^2 + v rho + 1)``: the only positive fixed point is
    ``rho = 1`` (``g_1 = g_2``), so deep inside a long chain the optimal split is the paper's;
    deviations come from the two ends.

    Returns
    -------
    (polynomial, factored) : sympy expressions in ``rho`` and ``v``

    References
    ----------
    Zhao et al., text before Fig. 2.
    """
    s = symbols()
    r, v = sp.Symbol("rho", positive=True), s["v"]
    poly = sp.expand(r * (r ** 2 * (v + r)) - r * (v + 1 / r))
    return poly, sp.factor(poly)


def split_optimum(N: int):
    """Closed-form optimal splits ``rho_k = sigma_k/g_b`` for ``N = 1, 2, 3`` (mirror-symmetric ``rho_k rho_{N+1-k} = 1``).

    ``N = 1``: ``rho = 1``.  ``N = 2``: ``rho_1 = 1/rho_2 = (sqrt(1 + 4 v^2) - 1)/(2 v)``.
    ``N = 3``: ``rho_1 = 1/rho_3 = sqrt(v/(v + 1))``, ``rho_2 = 1``.  Found by solving
    :func:`split_stationarity` with the mirror ansatz.

    Parameters
    ----------
    N : {1, 2, 3}

    Returns
    -------
    list of sympy.Expr
        ``[rho_1, ..., rho_N]`` in terms of ``v = gamma/(2 g_b)``.

    References
    ----------
    Zhao et al., text before Fig. 2.
    """
    N = _count(N)
    if N > 3:
        raise ValueError(f"closed forms are derived for N <= 3 only, got N={N}")
    v = symbols()["v"]
    eqs, rs = split_stationarity(N)
    if N == 1:
        sol = sp.solve(eqs[0], rs[0])
        return [r for r in sol if r.is_positive is not False]
    if N == 2:
        e = eqs[0].subs(rs[1], 1 / rs[0])
    else:
        e = eqs[0].subs({rs[1]: 1, rs[2]: 1 / rs[0]})
    roots = [r for r in sp.solve(sp.numer(sp.together(e)), rs[0]) if sp.N(r.subs(v, 1)).is_positive]
    r1 = sp.simplify(roots[0])
    return [r1, 1 / r1] if N == 2 else [r1, sp.Integer(1), sp.simplify(1 / r1)]


# --------------------------------------------------------------------------------------------
# paper Eq. (2): the reciprocal chain
# --------------------------------------------------------------------------------------------
def continuant_r1(N: int):
    """``det(-A)`` of the reciprocal chain (charger + N batteries, diagonal ``gamma/2``, hops ``g_b``).

    Built from the recurrence ``D_k = (gamma/2) D_{k-1} + g_b^2 D_{k-2}``.

    Parameters
    ----------
    N : int
        Number of batteries (the determinant is ``D_{N+1}``).

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (2).
    """
    N = _count(N)
    s = symbols()
    u, g = s["gamma"] / 2, s["g_b"]
    Dm2, Dm1 = sp.Integer(1), u
    for _ in range(N):
        Dm2, Dm1 = Dm1, sp.expand(u * Dm1 + g ** 2 * Dm2)
    return Dm1


def dimer_sum(n: int):
    """``sum_m binom(n - m, m) (gamma/2)^{n-2m} g_b^{2m}``: monomer-dimer tilings of a path of n sites.

    Parameters
    ----------
    n : int
        Number of sites.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (2) (the origin of ``a(j)``, ``b(j)``).
    """
    n = _count(n, "n")
    s = symbols()
    u, g = s["gamma"] / 2, s["g_b"]
    return sp.expand(sum(comb(n - m, m) * u ** (n - 2 * m) * g ** (2 * m) for m in range(n // 2 + 1)))


def eq2_printed(N: int, a=None, b=None):
    """Paper Eq. (2) as printed, with coefficients ``a(j)``/``b(j)`` given as callables (default: ours).

    Parameters
    ----------
    N : int
        Number of batteries (the parity selects the branch).
    a, b : callable, optional
        ``j -> a(j)`` (odd N) or ``j -> b(j)`` (even N); default :func:`nrqb.papers.zhao.a_coeff`,
        :func:`nrqb.papers.zhao.b_coeff`.

    Returns
    -------
    sympy.Expr
        ``E_N^{r1}/omega``.

    References
    ----------
    Zhao et al., paper Eq. (2).
    """
    from .zhao import a_coeff, b_coeff

    N = _count(N)
    s = symbols()
    g, gam, xi = s["g_b"], s["gamma"], s["xi"]
    a = a or (lambda j: a_coeff(N, j))
    b = b or (lambda j: b_coeff(N, j))
    if N % 2:
        den = sum(a(j) * g ** (N + 1 - 2 * j) * gam ** (2 * j) for j in range((N + 1) // 2 + 1))
        return (2 ** (N + 1) * g ** N * xi / den) ** 2
    den = sum(b(j) * g ** (N - 2 * j) * gam ** (2 * j) for j in range(N // 2 + 1))
    return (2 ** (N + 1) * g ** (N - 1) * xi / den * g / gam) ** 2


# --------------------------------------------------------------------------------------------
# paper Eq. (3): the chain of triangles, eliminated
# --------------------------------------------------------------------------------------------
def chain_drift(N: int, intermediate: bool = True):
    """Moment equations of the cascaded chain of paper Eq. (1), from the master equation.

    Modes ``c, b_1..b_N`` then (if ``intermediate``) ``a_1..a_N``; every link ``k`` has its own
    symbols ``theta_k``, ``g_1^{(k)}``, ``g_2^{(k)}``; rates ``gamma`` (charger, batteries) and
    ``Gamma`` (intermediate modes).

    Parameters
    ----------
    N : int
    intermediate : bool
        Include the intermediate modes (``False``: reciprocal case I, no ``g_1``, ``g_2``).

    Returns
    -------
    (A, const, link_symbols) : sympy.Matrix, sympy.Matrix, dict
        ``link_symbols`` maps ``'theta'``, ``'g1'``, ``'g2'`` to tuples of the per-link symbols.

    References
    ----------
    Zhao et al., paper Eq. (1).
    """
    return _chain_drift(_count(N), bool(intermediate))


@lru_cache(maxsize=None)
def _chain_drift(N, intermediate):
    s = symbols()
    g, Gam, gam, xi = s["g_b"], s["Gamma"], s["gamma"], s["xi"]
    th = sp.symbols(f"theta_1:{N + 1}", real=True)
    g1 = sp.symbols(f"g_1^{{(1:{N + 1})}}", positive=True)
    g2 = sp.symbols(f"g_2^{{(1:{N + 1})}}", positive=True)
    names = ["c"] + [f"b{k}" for k in range(1, N + 1)] + ([f"a{k}" for k in range(1, N + 1)] if intermediate else [])
    ops = symbolic.modes(names)
    c, b, a = ops[0], ops[1:N + 1], ops[N + 1:]
    H = xi * (c + Dagger(c))
    prev = c
    for k in range(N):
        J = g * sp.exp(sp.I * th[k])
        H += J * Dagger(b[k]) * prev + sp.conjugate(J) * Dagger(prev) * b[k]
        if intermediate:
            H += g1[k] * (Dagger(a[k]) * prev + Dagger(prev) * a[k]) + g2[k] * (Dagger(b[k]) * a[k] + Dagger(a[k]) * b[k])
        prev = b[k]
    channels = [(gam, o) for o in (c, *b)] + [(Gam, o) for o in a]
    A, const = symbolic.drift_matrix_from_master_equation(list(ops), H, channels)
    return A, const, {"theta": th, "g1": g1, "g2": g2}


def effective_chain(N: int, split: bool = False):
    """Drift of ``c, b_1..b_N`` after eliminating every ``a_k``, at the one-way point ``theta_k = -pi/2``.

    Default: the paper's ``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)``; with ``split=True`` the
    one-way manifold ``g_1^{(k)} = sqrt(sigma_k Gamma/2)``, ``g_2^{(k)} = g_b Gamma/(2 g_1^{(k)})``
    (source damping ``sigma_k``).

    Parameters
    ----------
    N : int
    split : bool

    Returns
    -------
    (A_eff, const_eff) : sympy.Matrix
        Lower bidiagonal: forward ``-2 g_b``, no backflow.

    References
    ----------
    Zhao et al., paper Eq. (3) and the choice of ``g_1``, ``g_2`` before it.
    """
    N = _count(N)
    s = symbols()
    A, const, ls = chain_drift(N)
    g, Gam = s["g_b"], s["Gamma"]
    sub = {th: -sp.pi / 2 for th in ls["theta"]}
    if split:
        xs = sp.symbols(f"sigma_1:{N + 1}", positive=True)
        for k in range(N):
            sub[ls["g1"][k]] = sp.sqrt(xs[k] * Gam / 2)
            sub[ls["g2"][k]] = g * Gam / (2 * sp.sqrt(xs[k] * Gam / 2))
    else:
        for k in range(N):
            sub[ls["g1"][k]] = sub[ls["g2"][k]] = sp.sqrt(g * Gam / 2)
    A_eff, c_eff = eliminate_modes(A.subs(sub), const.subs(sub), range(N + 1, 2 * N + 1))
    return A_eff.applyfunc(sp.simplify), c_eff


def chain_terminal_energy(N: int, case: str = "r1"):
    """``|<b_N>|^2`` of the cascaded chain, solved symbolically from its derived drift matrix.

    ``case='r1'``: :func:`chain_drift` without intermediate modes; ``case='nr'``:
    :func:`effective_chain` (the intermediate modes eliminated at the one-way point).

    Parameters
    ----------
    N : int
        Number of batteries.
    case : {'r1', 'nr'}

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eqs. (2) and (3).
    """
    if case not in ("r1", "nr"):
        raise ValueError(f"case must be 'r1' or 'nr', got {case!r}")
    N = _count(N)
    s = symbols()
    if case == "r1":
        A, const, ls = chain_drift(N, intermediate=False)
        A = A.subs({th: 0 for th in ls["theta"]})
    else:
        A, const = effective_chain(N)
    x = A.LUsolve(-const)
    bN = x[N]
    # a rational function of the rates: cancel + factor give it in canonical factored form
    # (the same expression as factor(simplify(...)), checked for N = 1..4 in both cases, ~3x cheaper)
    return sp.factor(sp.cancel(sp.expand_complex(bN * sp.conjugate(bN))))


def eq3(N: int):
    """Paper Eq. (3): ``[2^{2N+1} g^N xi / ((2g + gamma)^2 (4g + gamma)^{N-1})]^2``.

    Parameters
    ----------
    N : int
        Number of batteries.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (3).
    """
    N = _count(N)
    s = symbols()
    g, gam, xi = s["g_b"], s["gamma"], s["xi"]
    return (2 ** (2 * N + 1) * g ** N * xi / ((2 * g + gam) ** 2 * (4 * g + gam) ** (N - 1))) ** 2


# --------------------------------------------------------------------------------------------
# paper Eqs. (4) and (5): the star
# --------------------------------------------------------------------------------------------
def parallel_r1_energy(N: int = 2):
    """``|<b_1>|^2`` of the reciprocal star with rates ``gamma_c``, ``gamma_1..gamma_N``, solved symbolically.

    Parameters
    ----------
    N : int
        Number of batteries.

    Returns
    -------
    (energy, rates) : sympy.Expr and the tuple of battery-rate symbols

    References
    ----------
    Zhao et al., paper Eq. (4).
    """
    N = _count(N)
    s = symbols()
    g, gc, xi = s["g_b"], s["gamma_c"], s["xi"]
    rates = sp.symbols(f"gamma_1:{N + 1}", positive=True)
    n = N + 1
    A = sp.zeros(n, n)
    A[0, 0] = -gc / 2
    for k in range(1, n):
        A[k, k] = -rates[k - 1] / 2
        A[k, 0] = -sp.I * g
        A[0, k] = -sp.I * g
    F = sp.zeros(n, 1)
    F[0] = -sp.I * xi
    x = A.LUsolve(-F)
    return sp.factor(sp.simplify(sp.expand_complex(x[1] * sp.conjugate(x[1])))), rates


def _braces(gc, rates):
    return gc * sp.Mul(*rates)


def eq4_printed(gc, rates, k: int = 1):
    """Paper Eq. (4) exactly as printed (its last term lacks the factor ``gamma_c``).

    Parameters
    ----------
    gc : sympy.Expr
        Charger rate ``gamma_c``.
    rates : sequence of sympy.Expr
        Battery rates ``gamma_b^{(j)}``.
    k : int
        Battery (1-based).

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (4).
    """
    k = _count(k, "k")
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    br = _braces(gc, rates)
    return 16 * xi ** 2 * g ** 2 * (br / rates[k - 1]) ** 2 / (4 * g ** 2 * sum(br / r for r in rates) + br) ** 2


def eq4_corrected(gc, rates, k: int = 1):
    """Corrected paper Eq. (4): ``16 xi^2 g^2 ({g}/g_k)^2 / (4 g^2 sum {g}/g_j + gamma_c {g})^2``.

    Parameters
    ----------
    gc, rates, k
        As in :func:`eq4_printed`.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (4) with the missing factor ``gamma_c``.
    """
    k = _count(k, "k")
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    br = _braces(gc, rates)
    return 16 * xi ** 2 * g ** 2 * (br / rates[k - 1]) ** 2 / (4 * g ** 2 * sum(br / r for r in rates) + gc * br) ** 2


def star_drift(N: int = 2):
    """Moment equations of the parallel network ``H_p`` (triangles, per-battery rates), from the master equation.

    Modes ``c, b_1..b_N, a_1..a_N``; per-link ``theta_k``; the paper's operating point
    ``g_1 = g_2 = sqrt(g_b Gamma/2)`` is substituted; rates ``gamma_c``, ``gamma_1..gamma_N``, ``Gamma``.

    Parameters
    ----------
    N : int

    Returns
    -------
    (A, const, thetas, rates) : sympy.Matrix, sympy.Matrix, tuple, tuple

    References
    ----------
    Zhao et al., ``H_p`` (text before paper Eq. (4)).
    """
    return _star_drift(_count(N))


@lru_cache(maxsize=None)
def _star_drift(N):
    s = symbols()
    g, Gam, gc, xi = s["g_b"], s["Gamma"], s["gamma_c"], s["xi"]
    th = sp.symbols(f"theta_1:{N + 1}", real=True)
    rates = sp.symbols(f"gamma_1:{N + 1}", positive=True)
    g12 = sp.sqrt(g * Gam / 2)
    ops = symbolic.modes(["c"] + [f"b{k}" for k in range(1, N + 1)] + [f"a{k}" for k in range(1, N + 1)])
    c, b, a = ops[0], ops[1:N + 1], ops[N + 1:]
    H = xi * (c + Dagger(c))
    for k in range(N):
        J = g * sp.exp(sp.I * th[k])
        H += J * Dagger(b[k]) * c + sp.conjugate(J) * Dagger(c) * b[k]
        H += g12 * (Dagger(a[k]) * c + Dagger(c) * a[k] + Dagger(b[k]) * a[k] + Dagger(a[k]) * b[k])
    channels = [(gc, c)] + [(r, o) for r, o in zip(rates, b)] + [(Gam, o) for o in a]
    A, const = symbolic.drift_matrix_from_master_equation(list(ops), H, channels)
    return A, const, th, rates


def star_energy_nr(N: int = 2, k: int = 1):
    """``|<b_k>|^2`` of the star at ``theta_j = -pi/2``, from :func:`star_drift` with the ``a_j`` eliminated.

    Parameters
    ----------
    N : int
    k : int
        Battery (1..N).

    Returns
    -------
    (energy, rates) : sympy.Expr and the battery-rate symbols

    References
    ----------
    Zhao et al., paper Eq. (5).
    """
    N = _count(N)
    k = _count(k, "k")
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    A, const, th, rates = star_drift(N)
    sub = {t: -sp.pi / 2 for t in th}
    A_eff, c_eff = eliminate_modes(A.subs(sub), const.subs(sub), range(N + 1, 2 * N + 1))
    x = A_eff.LUsolve(-c_eff)
    bk = sp.simplify(x[k])
    return sp.factor(sp.expand_complex(bk * sp.conjugate(bk))), rates


def eq5(N, gamma_c, gamma_k):
    """Paper Eq. (5): ``64 xi^2 g^2 / ((2g + gamma_k)^2 (2Ng + gamma_c)^2)``.

    Parameters
    ----------
    N : int or sympy.Expr
        Number of batteries.
    gamma_c, gamma_k : sympy.Expr
        Charger and battery dissipation rates.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., paper Eq. (5).
    """
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    return 64 * xi ** 2 * g ** 2 / ((2 * g + gamma_k) ** 2 * (2 * N * g + gamma_c) ** 2)


# --------------------------------------------------------------------------------------------
# gains
# --------------------------------------------------------------------------------------------
def sqrt_gain_cascaded(N: int):
    """``sqrt(G_N1)`` of the chain in ``x = g_b/gamma``: the square root of paper Eq. (3) over paper Eq. (2).

    Parameters
    ----------
    N : int

    Returns
    -------
    sympy.Expr
        A rational function of ``x``.

    References
    ----------
    Zhao et al., text after Fig. 2: ``G_N1 ~ [2^N/(4 N x + 1)]^2``.
    """
    N = _count(N)
    s = symbols()
    ratio = sp.factor(sp.cancel((eq3(N) / eq2_printed(N)).subs(s["g_b"], s["x"] * s["gamma"])))
    return sp.factor(sp.sqrt(ratio))


def sqrt_gain_parallel():
    """``sqrt(G_N1)`` of the star with equal rates and ``N`` symbolic, from paper Eq. (5) over the corrected Eq. (4).

    Returns
    -------
    sympy.Expr
        ``2 (4 N x^2 + 1) / ((2x + 1)(2 N x + 1))`` with ``x = g_b/gamma`` (equal rates, ``N`` a symbol).

    References
    ----------
    Zhao et al., text after Fig. 3: ``G_N1 ~ [2/((2N + 2) x + 1)]^2``.
    """
    s = symbols()
    N, B = sp.Symbol("N", positive=True), sp.Symbol("B", positive=True)    # B = {gamma} = gamma^{N+1}
    gam, g, x = s["gamma"], s["g_b"], s["x"]
    # equal rates gamma_b^{(j)} = gamma_c = gamma in the corrected Eq. (4): {gamma}/gamma_j = B/gamma, N terms
    e4 = 16 * s["xi"] ** 2 * g ** 2 * (B / gam) ** 2 / (4 * g ** 2 * N * B / gam + gam * B) ** 2
    ratio = sp.factor(sp.cancel((eq5(N, gam, gam) / e4).subs(g, x * gam)))
    return sp.factor(sp.sqrt(ratio))


def gain_series(expr_sqrt_gain, order: int = 2):
    """Series in ``x = g_b/gamma`` of a square-root gain, to ``order``.

    Parameters
    ----------
    expr_sqrt_gain : sympy.Expr
        Expression in the symbol ``x`` of :func:`symbols`.
    order : int
        Truncation order (terms up to ``x^{order-1}``).

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., weak-coupling gains ``G_N1 ~ [2^N/(4 N x + 1)]^2`` and ``[2/((2N+2)x + 1)]^2``.
    """
    order = _count(order, "order")
    x = symbols()["x"]
    return sp.expand(sp.series(expr_sqrt_gain, x, 0, order).removeO())


def gain_r2_rise(N: int, topology: str = "cascaded"):
    """``G_N2(x)`` in ``x = g_b/gamma`` and the number of positive roots of its derivative's numerator.

    If the numerator of ``dG_N2/dx`` has no root on ``x > 0`` and is positive somewhere there,
    ``G_N2`` rises strictly on ``x > 0``, so its value at ``x = 0`` (``2^N`` for the chain, 2 for
    the star) is its infimum: a lower bound.  Roots are counted exactly (Sturm sequences).

    Parameters
    ----------
    N : int
    topology : {'cascaded', 'parallel'}

    Returns
    -------
    R2Rise
        Named fields ``G`` (``G_N2(x)``, sympy), ``numerator`` (the numerator of ``dG_N2/dx``, a
        sympy Poly whose sign is that of the derivative on ``x > 0``), ``n_positive_roots`` (its
        number of roots on ``x > 0``, exact) and ``sign_at_1`` (its sign at ``x = 1``).

    References
    ----------
    Zhao et al., "``G_N1 > G_N2 >= 2^N``" (chain) and "``G_N2|_{g_b->0} = 2``" called an upper bound.
    """
    N = _count(N)
    x = symbols()["x"]
    P = lambda e: sp.Poly(e, x, domain="QQ")
    if topology == "cascaded":
        # the case-II continuant D = R + i Q (diagonal 1/2 + x, 1/2 + 2x, ..., 1/2 + x; products 2 i x^2),
        # with real polynomials R, Q; G_N2 = paper Eq. (3) / (2^N x^{2N} / |D|^2) at gamma = 1
        half = sp.Rational(1, 2)
        d = [P(half + x)] + [P(half + 2 * x)] * (N - 1) + [P(half + x)]
        p = P(2 * x ** 2)
        R2, Q2, R1, Q1 = P(1), P(0), d[0], P(0)
        for k in range(1, N + 1):
            R2, Q2, R1, Q1 = R1, Q1, d[k] * R1 + p * Q2, d[k] * Q1 - p * R2
        D2 = R1 ** 2 + Q1 ** 2
        den = P(2 * x + 1) ** 4 * P(4 * x + 1) ** (2 * N - 2)
        G = sp.Integer(2) ** (3 * N + 2) * D2.as_expr() / den.as_expr()
        # d log G / dx = D2'/D2 - 8/(2x+1) - 8(N-1)/(4x+1), over the common denominator
        num = D2.diff(x) * P((2 * x + 1) * (4 * x + 1)) - D2 * P(8 * (4 * x + 1) + 8 * (N - 1) * (2 * x + 1))
    elif topology == "parallel":
        den = ((sp.Rational(1, 2) + N * x) * (sp.Rational(1, 2) + x)) ** 2
        G = 2 * (den + 4 * N ** 2 * x ** 4) / den
        num = P(sp.numer(sp.together(sp.diff(G, x))))
    else:
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    n_pos = num.count_roots(0, None) - (1 if num.eval(0) == 0 else 0)
    return R2Rise(G, num, int(n_pos), int(sp.sign(num.eval(1))))


def g_opt_equation():
    """Stationarity of ``ln E_N^nr`` in ``g_b`` and its positive root (N symbolic).

    Returns
    -------
    (equation, root) : sympy expressions; ``root = [N + sqrt(N(N+8))] gamma / 8``

    References
    ----------
    Zhao et al., ``g_b^opt`` before Fig. 2(f).
    """
    s = symbols()
    g, gam = s["g_b"], s["gamma"]
    N = sp.Symbol("N", positive=True, integer=True)
    logE = 2 * (N * sp.log(g) - 2 * sp.log(2 * g + gam) - (N - 1) * sp.log(4 * g + gam))
    eq = sp.numer(sp.together(sp.diff(logE, g)))
    roots = [r for r in sp.solve(sp.Eq(eq, 0), g) if r.is_positive is not False]
    roots = [r for r in roots if sp.N(r.subs({N: 3, gam: 1})) > 0]
    return sp.factor(eq), sp.simplify(roots[0])


def parallel_gain_sign():
    """Where the one-way star loses to the reciprocal star: the sign of ``sqrt(G_N1) - 1``.

    From paper Eq. (5) and the corrected paper Eq. (4) with equal rates (:func:`sqrt_gain_parallel`),
    ``sqrt(G_N1) - 1 = (2x - 1)(2Nx - 1) / ((2x + 1)(2Nx + 1))`` with ``x = g_b/gamma``: ``G_N1 < 1``
    exactly for ``1/(2N) < x < 1/2`` (an empty window for ``N = 1``).

    Returns
    -------
    (difference, numerator_factored, denominator) : sympy expressions
        ``difference = sqrt(G_N1) - 1`` as one fraction, its factored numerator and its (positive)
        denominator; ``N`` is a positive symbol.

    References
    ----------
    Zhao et al., paper Eqs. (4), (5) and the text after Fig. 3 ("substantial improvement ... in
    weak interaction regime"; "the same charging gain, regardless of the value of N").
    """
    diff = sp.together(sqrt_gain_parallel() - 1)
    num, den = sp.fraction(diff)
    return diff, sp.factor(num), sp.factor(den)


def star_split_optimum():
    """The best one-way split of a star with the same split on every link, and its gain over case I.

    On the one-way manifold each link adds ``sigma = 2 g_1^2/Gamma`` to the charger and
    ``g_b^2/sigma`` to its battery (as in :func:`split_load`), so a battery's amplitude is
    ``2 g_b xi / [(gamma/2 + N sigma)(gamma/2 + g_b^2/sigma)]``.  The load is smallest at
    ``sigma = g_b/sqrt(N)`` (the paper's ``g_1 = g_2`` is ``sigma = g_b``), and then
    ``sqrt(G_N1) - 1 = (sqrt(N) x - 1/2)^2 / (1/2 + sqrt(N) x)^2 >= 0``: the window where the
    one-way star loses (:func:`parallel_gain_sign`) closes.

    Returns
    -------
    (load, sigma_opt, sqrt_gain, gain_excess) : sympy expressions
        The load ``(gamma/2 + N sigma)(gamma/2 + g_b^2/sigma)``, its positive stationary point, the
        square root of the gain over the corrected paper Eq. (4) at that point in ``x = g_b/gamma``,
        and ``sqrt_gain - 1`` factored.

    References
    ----------
    Zhao et al., the choice ``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)`` and paper Eqs. (4), (5).
    """
    s = symbols()
    g, gam, xi, x = s["g_b"], s["gamma"], s["xi"], s["x"]
    N = sp.Symbol("N", positive=True)
    sig = sp.Symbol("sigma", positive=True)
    load = (gam / 2 + N * sig) * (gam / 2 + g ** 2 / sig)
    roots = sp.solve(sp.numer(sp.together(sp.diff(load, sig))), sig)
    sig_opt = [r for r in roots if r.is_positive is not False][0]
    amp_nr = 2 * g * xi / load.subs(sig, sig_opt)
    amp_r1 = g * xi / (gam ** 2 / 4 + N * g ** 2)          # sqrt of the corrected Eq. (4), equal rates
    sqrt_gain = sp.simplify((amp_nr / amp_r1).subs(g, x * gam))
    n = sp.Symbol("n", positive=True)                      # n = sqrt(N), so that sympy sees the square
    excess = sp.factor(sp.together(sqrt_gain - 1).subs(N, n ** 2)).subs(n, sp.sqrt(N))
    return load, sig_opt, sqrt_gain, excess


def continuant_r2(N: int):
    """``det(-A)`` of the reciprocal case-II chain (triangles at ``theta_k = 0``, the ``a_k`` eliminated).

    At ``theta = 0`` and ``2 g_1 g_2/Gamma = g_b`` every eliminated link is ``-(1 + i) g_b`` both
    ways, and each triangle adds ``g_b`` to the damping of both its ends: the drift is tridiagonal
    with diagonal ``-(gamma/2 + g_b)`` at the two ends and ``-(gamma/2 + 2 g_b)`` inside.  Its
    determinant follows from ``D_k = d_k D_{k-1} - 2 i g_b^2 D_{k-2}`` (``(1 + i)^2 = 2i``), and
    ``|<b_N>| = 2^{N/2} g_b^N xi / |D_{N+1}|``.  Far from the ends ``D_k ~ lambda_II^k`` with
    ``lambda_II^2 - (gamma/2 + 2 g_b) lambda_II + 2 i g_b^2 = 0``.

    Parameters
    ----------
    N : int
        Number of batteries (the determinant is ``D_{N+1}``).

    Returns
    -------
    (D, char, lam) : sympy.Expr, the characteristic polynomial of the recurrence and its symbol

    References
    ----------
    Zhao et al., reciprocal case II of Figs. 2(b)-(e) and the threshold ``g_b/gamma < 0.12``.
    """
    N = _count(N)
    s = symbols()
    u, g = s["gamma"] / 2, s["g_b"]
    d = [u + g] + [u + 2 * g] * (N - 1) + [u + g]
    p = 2 * sp.I * g ** 2
    Dm2, Dm1 = sp.Integer(1), d[0]
    for k in range(1, N + 1):
        Dm2, Dm1 = Dm1, sp.expand(d[k] * Dm1 - p * Dm2)
    lam = sp.Symbol("lambda")
    return Dm1, lam ** 2 - (u + 2 * g) * lam + p, lam


def r1_growth():
    """How the chain's gain ``G_N1`` grows with ``N`` at fixed coupling: the roots of the continuant.

    The reciprocal continuant obeys ``K_n = (gamma/2) K_{n-1} + g_b^2 K_{n-2}``; its characteristic
    roots are ``lambda_pm = gamma/4 +- sqrt(gamma^2/16 + g_b^2)``, so ``K_{N+1} ~ lambda_+^{N+1}`` and
    the reciprocal amplitude falls by ``g_b/lambda_+`` per battery, while the one-way amplitude of
    paper Eq. (3) falls by ``4 g_b/(gamma + 4 g_b)``.  Hence ``sqrt(G_{N+1,1}/G_{N1})`` tends to
    ``4 lambda_+/(gamma + 4 g_b) = (1 + sqrt(1 + 16 x^2))/(1 + 4x)`` (``x = g_b/gamma``), which
    exceeds 1 for every ``x > 0``; ``lambda_-/lambda_+ < 0`` gives the odd-even oscillation, which
    decays with ``N``.

    Returns
    -------
    (characteristic, roots, factor) : sympy expressions
        The characteristic polynomial in ``lambda``, its two roots ``[lambda_+, lambda_-]`` and the
        asymptotic factor of ``sqrt(G_N1)`` per battery, in ``x``.

    References
    ----------
    Zhao et al., abstract ("an exponentially increasing gain ... as the charging distance lengthens")
    and paper Eqs. (2), (3).
    """
    s = symbols()
    g, gam, x = s["g_b"], s["gamma"], s["x"]
    lam = sp.Symbol("lambda")
    char = lam ** 2 - gam / 2 * lam - g ** 2
    roots = sorted(sp.solve(char, lam), key=lambda r: -sp.N(r.subs({g: 1, gam: 1})))
    factor = sp.simplify((4 * roots[0] / (gam + 4 * g)).subs(g, x * gam))
    return char, roots, factor
