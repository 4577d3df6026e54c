"""sympy derivations for the chapter on Zhao et al. (non-Hermitian Aharonov-Bohm triangles).

Each function returns sympy expressions; the chapter shows them and compares them with the
paper's printed forms.  Conventions as in :mod:`nrqb.papers.zhao` (``h[i, j]`` is the coefficient of
``a_i^dag a_j``; every rate ``r`` is a channel ``r D[mode]``).

References
----------
H.-W. Zhao, Y. Xie, X. Huang, G.-F. Zhang, "Enhanced Charging in Multi-Battery Systems by
Nonreciprocity", Eqs. (1)-(5).
"""

from __future__ import annotations

from math import comb

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic

__all__ = [
    "symbols",
    "triangle_drift",
    "eliminate_intermediate",
    "link_moduli",
    "energy_single_link",
    "continuant_r1",
    "dimer_sum",
    "eq2_printed",
    "chain_terminal_energy",
    "eq3",
    "parallel_r1_energy",
    "eq4_corrected",
    "eq4_printed",
    "eq5",
    "gain_series",
    "g_opt_equation",
]


def symbols():
    """The chapter's positive symbols ``g_b, g_1, g_2, Gamma, gamma, gamma_c, gamma_b, xi`` and real ``theta``.

    Returns
    -------
    dict
        Name -> sympy Symbol.
    """
    names = "g_b g_1 g_2 Gamma gamma gamma_c gamma_b xi x"
    out = {n: sp.Symbol(n, positive=True) for n in names.split()}
    out["theta"] = sp.Symbol("theta", real=True)
    return out


def triangle_drift():
    """Drift matrix and constant of one AB triangle, derived from the master equation.

    ``H = g_b e^{i theta} b^dag c + g_1 a^dag c + g_2 b^dag a + H.c. + xi (c + c^dag)`` with
    channels ``gamma_c D[c]``, ``Gamma D[a]``, ``gamma_b D[b]`` (Eq. (1) with N = 1).

    Returns
    -------
    A : sympy.Matrix (3, 3)
        ``d<(c, a, b)>/dt = A <(c, a, b)> + const``.
    const : sympy.Matrix (3, 1)

    References
    ----------
    Zhao et al., Eq. (1) and Fig. 1(a).
    """
    s = symbols()
    c, a, b = symbolic.modes("c a b")
    J = s["g_b"] * sp.exp(sp.I * s["theta"])
    H = (J * Dagger(b) * c + sp.conjugate(J) * Dagger(c) * b
         + s["g_1"] * (Dagger(a) * c + Dagger(c) * a)
         + s["g_2"] * (Dagger(b) * a + Dagger(a) * b)
         + s["xi"] * (c + Dagger(c)))
    channels = [(s["gamma_c"], c), (s["Gamma"], a), (s["gamma_b"], b)]
    return symbolic.drift_matrix_from_master_equation([c, a, b], H, channels)


def eliminate_intermediate(A, const, index: int = 1):
    """Eliminate mode ``index`` from ``d x/dt = A x + const`` by setting its derivative to zero.

    Exact for steady states (the mode is slaved to its neighbours); for the dynamics it is the
    adiabatic elimination, valid when the mode's loss dominates.

    Parameters
    ----------
    A : sympy.Matrix (n, n)
    const : sympy.Matrix (n, 1)
    index : int
        Mode to eliminate.

    Returns
    -------
    A_eff : sympy.Matrix (n-1, n-1)
    const_eff : sympy.Matrix (n-1, 1)

    References
    ----------
    Zhao et al., Eq. (1): the effective forward and backward couplings between c and b.
    """
    n = A.shape[0]
    keep = [i for i in range(n) if i != index]
    piv = A[index, index]
    A_eff = sp.zeros(n - 1, n - 1)
    c_eff = sp.zeros(n - 1, 1)
    for r, i in enumerate(keep):
        for s_, j in enumerate(keep):
            A_eff[r, s_] = sp.simplify(A[i, j] - A[i, index] * A[index, j] / piv)
        c_eff[r] = sp.simplify(const[i] - A[i, index] * const[index] / piv)
    return A_eff, c_eff


def link_moduli():
    """``|forward|^2`` and ``|backward|^2`` of the eliminated link, in a form that shows their minima.

    With ``G = 2 g_1 g_2 / Gamma``: ``|A_bc|^2 = (G - g_b)^2 + 2 G g_b (1 - sin theta)`` and
    ``|A_cb|^2 = (G - g_b)^2 + 2 G g_b (1 + sin theta)``.  The backflow vanishes only for
    ``G = g_b`` and ``sin theta = -1``.

    Returns
    -------
    (forward, backward, forward_claimed, backward_claimed) : sympy expressions

    References
    ----------
    Zhao et al., Fig. 1(a) and the nonreciprocity condition ``theta in (-pi, 0)``.
    """
    s = symbols()
    A, const = triangle_drift()
    A_eff, _ = eliminate_intermediate(A, const)
    fwd, bwd = A_eff[1, 0], A_eff[0, 1]
    mod = lambda z: sp.simplify(sp.expand_complex(z * sp.conjugate(z)))
    G = 2 * s["g_1"] * s["g_2"] / s["Gamma"]
    g, th = s["g_b"], s["theta"]
    return (mod(fwd), mod(bwd),
            (G - g) ** 2 + 2 * G * g * (1 - sp.sin(th)),
            (G - g) ** 2 + 2 * G * g * (1 + sp.sin(th)))


def energy_single_link(theta=None, g1=None, g2=None):
    """Steady battery energy ``|<b>|^2`` of one AB triangle with equal rates ``gamma``.

    Parameters
    ----------
    theta, g1, g2 : sympy expressions, optional
        Substitutions (default: the symbols).

    Returns
    -------
    sympy.Expr
        ``|<b>|^2`` in the steady state, from the eliminated (exact in steady state) drift.

    References
    ----------
    Zhao et al., Eq. (3) with N = 1 at the optimum.
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
    A_eff, c_eff = eliminate_intermediate(A.subs(sub), const.subs(sub))
    x = A_eff.LUsolve(-c_eff)
    b = x[1]
    return sp.simplify(sp.expand_complex(b * sp.conjugate(b)))


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
    Zhao et al., Eq. (2).
    """
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
    Zhao et al., Eq. (2) (the origin of ``a(j)``, ``b(j)``).
    """
    s = symbols()
    u, g = s["gamma"] / 2, s["g_b"]
    return sp.expand(sum(comb(n - m, m) * u ** (n - 2 * m) * g ** (2 * m) for m in range(n // 2 + 1)))


def eq2_printed(N: int, a=None, b=None):
    """Eq. (2) as printed, with constants ``a(j)``/``b(j)`` given as callables (default: ours).

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
    Zhao et al., Eq. (2).
    """
    from .zhao import a_coeff, b_coeff

    s = symbols()
    g, gam, xi = s["g_b"], s["gamma"], s["xi"]
    a = a or (lambda j: a_coeff(N, j))
    b = b or (lambda j: b_coeff(N, j))
    if N % 2:
        den = sum(a(j) * g ** (N + 1 - 2 * j) * gam ** (2 * j) for j in range((N + 1) // 2 + 1))
        return (2 ** (N + 1) * g ** N * xi / den) ** 2
    den = sum(b(j) * g ** (N - 2 * j) * gam ** (2 * j) for j in range(N // 2 + 1))
    return (2 ** (N + 1) * g ** (N - 1) * xi / den * g / gam) ** 2


def chain_terminal_energy(N: int, case: str = "r1"):
    """``|<b_N>|^2`` of the cascaded chain, solved symbolically from its drift matrix.

    ``case='r1'``: direct hops only; ``case='nr'``: the eliminated AB links at the nonreciprocal
    point (forward ``-2 g_b``, backward 0, extra damping ``g_b`` per attached triangle).

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
    Zhao et al., Eqs. (2) and (3).
    """
    if case not in ("r1", "nr"):
        raise ValueError(f"case must be 'r1' or 'nr', got {case!r}")
    if isinstance(N, bool) or not isinstance(N, int) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    s = symbols()
    g, gam, xi = s["g_b"], s["gamma"], s["xi"]
    n = N + 1
    A = sp.zeros(n, n)
    for k in range(n):
        if case == "r1":
            A[k, k] = -gam / 2
        else:
            A[k, k] = -gam / 2 - (g if k in (0, N) else 2 * g)
    for k in range(1, n):
        if case == "r1":
            A[k, k - 1] = -sp.I * g
            A[k - 1, k] = -sp.I * g
        else:
            A[k, k - 1] = -2 * g
    F = sp.zeros(n, 1)
    F[0] = -sp.I * xi
    x = A.LUsolve(-F)
    return sp.factor(sp.simplify(sp.expand_complex(x[N] * sp.conjugate(x[N]))))


def eq3(N: int):
    """Eq. (3): ``[2^{2N+1} g^N xi / ((2g + gamma)^2 (4g + gamma)^{N-1})]^2``.

    Parameters
    ----------
    N : int
        Number of batteries.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., Eq. (3).
    """
    s = symbols()
    g, gam, xi = s["g_b"], s["gamma"], s["xi"]
    return (2 ** (2 * N + 1) * g ** N * xi / ((2 * g + gam) ** 2 * (4 * g + gam) ** (N - 1))) ** 2


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
    Zhao et al., Eq. (4).
    """
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


def eq4_corrected(gc, rates, k: int = 1):
    """Corrected Eq. (4): ``16 xi^2 g^2 ({g}/g_k)^2 / (4 g^2 sum {g}/g_j + gamma_c {g})^2``.

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
    Zhao et al., Eq. (4) with the missing factor ``gamma_c``.
    """
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    br = _braces(gc, rates)
    return 16 * xi ** 2 * g ** 2 * (br / rates[k - 1]) ** 2 / (4 * g ** 2 * sum(br / r for r in rates) + gc * br) ** 2


def eq4_printed(gc, rates, k: int = 1):
    """Eq. (4) exactly as printed (its last term lacks the factor ``gamma_c``).

    Parameters
    ----------
    gc, rates, k
        As in :func:`eq4_corrected`.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Zhao et al., Eq. (4).
    """
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    br = _braces(gc, rates)
    return 16 * xi ** 2 * g ** 2 * (br / rates[k - 1]) ** 2 / (4 * g ** 2 * sum(br / r for r in rates) + br) ** 2


def eq5(N, gamma_c, gamma_k):
    """Eq. (5): ``64 xi^2 g^2 / ((2g + gamma_k)^2 (2Ng + gamma_c)^2)``.

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
    Zhao et al., Eq. (5).
    """
    s = symbols()
    g, xi = s["g_b"], s["xi"]
    return 64 * xi ** 2 * g ** 2 / ((2 * g + gamma_k) ** 2 * (2 * N * g + gamma_c) ** 2)


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
    x = symbols()["x"]
    return sp.series(expr_sqrt_gain, x, 0, order).removeO()


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
