"""Zhao, Xie, Huang and Zhang, "Enhanced Charging in Multi-Battery Systems by Nonreciprocity".

Model builders (explicit non-Hermitian Aharonov-Bohm triangles, kept as modes of a
:class:`~nrqb.engine.LinearNetwork`) and the paper's closed forms, Eqs. (2)-(5), with the
constants ``a(j)``, ``b(j)`` of Eq. (2) that the paper leaves to its (unavailable) supplement.

Conventions
-----------
The paper's Hamiltonian, Eq. (1), contains ``g_b e^{i theta} c b^dag + g_1 c a^dag + g_2 a b^dag
+ xi c + H.c.``.  In the engine ``h[i, j]`` is the coefficient of ``a_i^dag a_j``, so

* ``g_b e^{i theta} b^dag c``  ->  ``h[b, c] = g_b e^{i theta}`` (``NetworkBuilder.hop(b, c, J)``),
* ``g_1 a^dag c``               ->  ``h[a, c] = g_1``,
* ``g_2 b^dag a``               ->  ``h[b, a] = g_2``,
* ``xi (c + c^dag)``            ->  drive ``F_c = xi``.

Every "dissipation rate" of the paper (``gamma_c``, ``gamma_b``, ``Gamma_a``) is the rate of a
Lindblad channel ``gamma D[mode]``, i.e. amplitudes decay at half of it; this is the only reading
for which Eqs. (2), (3) and (5) hold.  With this mapping the paper's phase is used as printed:
``theta = -pi/2`` is the one-way direction charger -> battery (no sign flip).

The drift entries after eliminating the intermediate mode (exact in the steady state, because
``a`` couples only to its two neighbours) are, with ``G = 2 g_1 g_2 / Gamma``::

    A[b, c] = -(i g_b e^{ i theta} + G),   A[c, b] = -(i g_b e^{-i theta} + G),
    A[c, c] = -gamma_c/2 - 2 g_1^2/Gamma,  A[b, b] = -gamma_b/2 - 2 g_2^2/Gamma.

The backflow vanishes for ``G = g_b`` and ``theta = -pi/2``; then ``A[b, c] = -2 g_b``.

References
----------
H.-W. Zhao, Y. Xie, X. Huang, G.-F. Zhang, "Enhanced Charging in Multi-Battery Systems by
Nonreciprocity", Eqs. (1)-(5) and Figs. 1-4.
"""

from __future__ import annotations

from math import comb
from typing import Any, Sequence

import numpy as np
from scipy.optimize import minimize_scalar

from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork
from ..engine.validation import count as _count, positive as _positive, rate as _rate
from ..engine.validation import rates as _validated_rates


__all__ = [
    "CASES",
    "triangle",
    "cascaded_network",
    "parallel_network",
    "shared_bath_cascaded_network",
    "shared_bath_parallel_network",
    "battery_index",
    "a_coeff",
    "b_coeff",
    "continuant",
    "energy_r1_cascaded",
    "energy_r1_cascaded_eq2",
    "energy_nr_cascaded",
    "energy_r2_cascaded",
    "energy_cascaded_steady",
    "energy_r1_parallel",
    "energy_r1_parallel_printed",
    "energy_nr_parallel",
    "energy_r2_parallel",
    "energy_parallel_steady",
    "gain_cascaded",
    "gain_parallel",
    "gain_weak_cascaded",
    "gain_weak_parallel",
    "g_opt_nr",
    "max_energy_r1_cascaded",
    "charging_power",
    "max_power",
    "power_gains",
    "power_gains_weak_limit",
    "crossing_r1_r2",
    "max_energy_ratio",
    "log_slope_fit",
]

#: the three cases compared in the paper: nonreciprocal, reciprocal I (no a_k), reciprocal II (theta = 0)
CASES = ("nr", "r1", "r2")


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def _rates_array(x: Any, name: str) -> np.ndarray:
    return _validated_rates(x, name)


def _per_link(x: Any, N: int, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {x!r}")
    if arr.ndim == 0:
        arr = np.full(N, float(arr))
    if arr.shape != (N,):
        raise ValueError(f"{name} must be a scalar or have {N} entries, got shape {arr.shape}")
    return arr


def _case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, got {case!r}")
    return case


# --------------------------------------------------------------------------------------------
# model builders (explicit intermediate modes)
# --------------------------------------------------------------------------------------------
def _links(N, g_b, Gamma, theta, case, g1, g2):
    """Per-link parameters (g_b, theta, g1, g2) for the three cases."""
    g_b = _rate(g_b, "g_b")
    Gamma = _rate(Gamma, "Gamma")
    case = _case(case)
    if case == "r1":
        th = np.zeros(N)
    elif case == "r2":
        th = np.zeros(N) if theta is None else _per_link(theta, N, "theta")
    else:
        th = np.full(N, -np.pi / 2) if theta is None else _per_link(theta, N, "theta")
    default = np.sqrt(g_b * Gamma / 2)
    G1 = np.full(N, default) if g1 is None else _per_link(g1, N, "g1")
    G2 = np.full(N, default) if g2 is None else _per_link(g2, N, "g2")
    if np.any(G1 < 0):
        raise ValueError(f"g1 must be >= 0, got {g1!r}")
    if np.any(G2 < 0):
        raise ValueError(f"g2 must be >= 0, got {g2!r}")
    return g_b, Gamma, th, G1, G2, case


def _thermal(N, case, n_th):
    n_th = _rate(n_th, "n_th_intermediate")
    if n_th == 0:
        return {}
    if case == "r1":
        raise ValueError("n_th_intermediate needs intermediate modes (case 'nr' or 'r2')")
    return {"n_th": [0.0] * (N + 1) + [n_th] * N}


def triangle(g_b: float, gamma_c: float, gamma_b: float, Gamma: float, theta: float = -np.pi / 2,
             xi: float = 1.0, *, g1: float | None = None, g2: float | None = None,
             omega: float = 1.0) -> LinearNetwork:
    """One non-Hermitian Aharonov-Bohm triangle: charger ``c``, lossy mode ``a``, battery ``b``.

    Parameters
    ----------
    g_b : float
        Strength of the direct coupling ``g_b e^{i theta} c b^dag + H.c.`` (>= 0).
    gamma_c, gamma_b : float
        Dissipation rates of the charger and the battery (channels ``gamma D[c]``, ``gamma D[b]``).
    Gamma : float
        Dissipation rate of the intermediate mode ``a`` (>= 0).
    theta : float
        Phase of the direct coupling in the paper's convention (``-pi/2``: one-way ``c -> b``).
    xi : float
        Drive amplitude of ``xi (c + c^dag)``.
    g1, g2 : float, optional
        Couplings ``g1 c a^dag`` and ``g2 a b^dag``; default ``sqrt(g_b Gamma / 2)`` (the paper's
        optimum).
    omega : float
        Energy per quantum.

    Returns
    -------
    LinearNetwork
        Modes in the order ``c, b1, a1``.

    References
    ----------
    Zhao et al., Eq. (1) with N = 1 and Fig. 1(a).
    """
    return cascaded_network(1, g_b, gamma_c, Gamma, theta=theta, xi=xi, g1=g1, g2=g2, omega=omega,
                            gamma_b=gamma_b)


def cascaded_network(N: int, g_b: float, gamma: float, Gamma: float, *, theta: Any = None,
                     xi: float = 1.0, case: str = "nr", g1: Any = None, g2: Any = None,
                     gamma_b: Any = None, omega: float = 1.0,
                     n_th_intermediate: float = 0.0) -> LinearNetwork:
    """Cascaded charging, Eq. (1): ``c -> b_1 -> ... -> b_N`` with AB triangles on every link.

    Parameters
    ----------
    N : int
        Number of batteries (>= 1).
    g_b : float
        Direct coupling strength on every link (>= 0).
    gamma : float
        Dissipation rate of the charger ``gamma_c`` (and of the batteries unless ``gamma_b``).
    Gamma : float
        Dissipation rate ``Gamma_a^{(k)}`` of every intermediate mode (ignored for ``case='r1'``).
    theta : float or sequence of N floats, optional
        Phases ``theta_k`` (paper's convention).  Default ``-pi/2`` for ``'nr'`` and ``0`` for
        ``'r2'``; ignored for ``'r1'``.
    xi : float
        Drive amplitude on the charger.
    case : {'nr', 'r1', 'r2'}
        Nonreciprocal; reciprocal case I (no intermediate modes); reciprocal case II
        (intermediate modes, ``theta_k = 0``).
    g1, g2 : float or sequence, optional
        ``g_1^{(k)}``, ``g_2^{(k)}``; default ``sqrt(g_b Gamma / 2)``.
    gamma_b : float or sequence, optional
        Battery dissipation rates; default ``gamma``.
    omega : float
        Energy per quantum.
    n_th_intermediate : float
        Thermal occupation of the intermediate modes' baths (all other baths at zero
        temperature).  Default 0, as in the paper.

    Returns
    -------
    LinearNetwork
        Modes ``c, b1, ..., bN`` followed (unless ``'r1'``) by ``a1, ..., aN``; battery ``k``
        has index ``k`` (see :func:`battery_index`).

    References
    ----------
    Zhao et al., Eq. (1) and Fig. 1(b).
    """
    N = _count(N)
    gamma = _rate(gamma, "gamma")
    gb_rates = np.full(N, gamma) if gamma_b is None else _rates_array(np.broadcast_to(gamma_b, (N,)), "gamma_b")
    g_b, Gamma, th, G1, G2, case = _links(N, g_b, Gamma, theta, case, g1, g2)
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=float(gb_rates[k - 1]), omega=omega)
    if case != "r1":
        for k in range(1, N + 1):
            nb.mode(f"a{k}", loss=Gamma, omega=omega)
    nb.drive("c", xi)
    prev = "c"
    for k in range(1, N + 1):
        cur = f"b{k}"
        nb.hop(cur, prev, g_b * np.exp(1j * th[k - 1]))          # g_b e^{i theta} prev cur^dag
        if case != "r1":
            nb.hop(f"a{k}", prev, G1[k - 1])                     # g_1 prev a^dag
            nb.hop(cur, f"a{k}", G2[k - 1])                      # g_2 a cur^dag
        prev = cur
    return nb.build(**_thermal(N, case, n_th_intermediate))


def parallel_network(N: int, g_b: float, gamma: float, Gamma: float, *, theta: Any = None,
                     xi: float = 1.0, case: str = "nr", g1: Any = None, g2: Any = None,
                     gamma_b: Any = None, omega: float = 1.0,
                     n_th_intermediate: float = 0.0) -> LinearNetwork:
    """Parallel charging, ``H_p``: one charger ``c`` linked to each ``b_k`` through an AB triangle.

    Parameters
    ----------
    N, g_b, gamma, Gamma, theta, xi, case, g1, g2, gamma_b, omega, n_th_intermediate
        As in :func:`cascaded_network`; ``gamma`` is ``gamma_c``.

    Returns
    -------
    LinearNetwork
        Modes ``c, b1, ..., bN`` then (unless ``'r1'``) ``a1, ..., aN``.

    References
    ----------
    Zhao et al., the parallel Hamiltonian ``H_p`` (text before Eq. (4)) and Fig. 1(c).
    """
    N = _count(N)
    gamma = _rate(gamma, "gamma")
    gb_rates = np.full(N, gamma) if gamma_b is None else _rates_array(np.broadcast_to(gamma_b, (N,)), "gamma_b")
    g_b, Gamma, th, G1, G2, case = _links(N, g_b, Gamma, theta, case, g1, g2)
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=float(gb_rates[k - 1]), omega=omega)
    if case != "r1":
        for k in range(1, N + 1):
            nb.mode(f"a{k}", loss=Gamma, omega=omega)
    nb.drive("c", xi)
    for k in range(1, N + 1):
        nb.hop(f"b{k}", "c", g_b * np.exp(1j * th[k - 1]))
        if case != "r1":
            nb.hop(f"a{k}", "c", G1[k - 1])
            nb.hop(f"b{k}", f"a{k}", G2[k - 1])
    return nb.build(**_thermal(N, case, n_th_intermediate))


def shared_bath_cascaded_network(N: int, g_b: float, gamma: float, xi: float = 1.0, *,
                                 n_th: float = 0.0, omega: float = 1.0) -> LinearNetwork:
    """The collective-jump (shared-reservoir) realisation of the one-way chain.

    Each link ``src -> dst`` is :meth:`NetworkBuilder.nonreciprocal_link` with rate ``2 g_b``:
    a shared bath ``2 g_b D[a_src + a_dst]`` plus the hop ``i g_b a_src^dag a_dst + H.c.``.  Its
    drift equals that of the AB chain after eliminating the intermediate modes.

    Parameters
    ----------
    N : int
        Number of batteries.
    g_b, gamma, xi, omega : float
        As in :func:`cascaded_network`.
    n_th : float
        Thermal occupation of the shared baths only (local baths stay at zero temperature).

    Returns
    -------
    LinearNetwork
        Modes ``c, b1, ..., bN``.

    References
    ----------
    Zhao et al., Eq. (3) (same steady state); the shared-reservoir links follow Ahmadi et al.,
    Eq. (2), and Liu et al., Eqs. (1)-(2).
    """
    N = _count(N)
    g_b, gamma, n_th = _rate(g_b, "g_b"), _rate(gamma, "gamma"), _rate(n_th, "n_th")
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=gamma, omega=omega)
    nb.drive("c", xi)
    prev = "c"
    for k in range(1, N + 1):
        nb.nonreciprocal_link(prev, f"b{k}", gamma=2 * g_b)
        prev = f"b{k}"
    nth = [0.0] * (N + 1) + [n_th] * N
    return nb.build(n_th=nth)


def shared_bath_parallel_network(N: int, g_b: float, gamma: float, xi: float = 1.0, *,
                                 n_th: float = 0.0, omega: float = 1.0) -> LinearNetwork:
    """Collective-jump realisation of the one-way star ``c -> b_k`` (rate ``2 g_b`` per link).

    Parameters
    ----------
    N, g_b, gamma, xi, n_th, omega
        As in :func:`shared_bath_cascaded_network`.

    Returns
    -------
    LinearNetwork
        Modes ``c, b1, ..., bN``.

    References
    ----------
    Zhao et al., Eq. (5) (same steady state); Liu et al., parallel topology.
    """
    N = _count(N)
    g_b, gamma, n_th = _rate(g_b, "g_b"), _rate(gamma, "gamma"), _rate(n_th, "n_th")
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=gamma, omega=omega)
    nb.drive("c", xi)
    for k in range(1, N + 1):
        nb.nonreciprocal_link("c", f"b{k}", gamma=2 * g_b)
    nth = [0.0] * (N + 1) + [n_th] * N
    return nb.build(n_th=nth)


def battery_index(k: int) -> int:
    """Mode index of battery ``b_k`` (``k = 1..N``) in every network of this module.

    Parameters
    ----------
    k : int
        Battery label (>= 1).

    Returns
    -------
    int
        ``k`` (the charger is mode 0, the batteries follow, the intermediate modes come last).

    References
    ----------
    Zhao et al., Eq. (1) (mode labels).
    """
    return _count(k, "k")


# --------------------------------------------------------------------------------------------
# closed forms: cascaded
# --------------------------------------------------------------------------------------------
def a_coeff(N: int, j: int) -> int:
    """Constant ``a(j)`` of Eq. (2) for odd ``N``, derived in the chapter.

    ``a(j) = 4^{(N+1)/2 - j} * binom((N+1)/2 + j, 2 j)`` for ``j = 0 .. (N+1)/2``.

    Parameters
    ----------
    N : int
        Odd number of batteries.
    j : int
        Index ``0 <= j <= (N+1)/2``.

    Returns
    -------
    int

    References
    ----------
    Zhao et al., Eq. (2) (odd N); the paper's supplement [60] is not available.
    """
    N = _count(N)
    if N % 2 != 1:
        raise ValueError(f"a(j) is defined for odd N, got N={N}")
    m = (N + 1) // 2
    if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j <= m:
        raise ValueError(f"j must be an integer in [0, {m}], got {j!r}")
    return 4 ** (m - j) * comb(m + j, 2 * j)


def b_coeff(N: int, j: int) -> int:
    """Constant ``b(j)`` of Eq. (2) for even ``N``, derived in the chapter.

    ``b(j) = 4^{N/2 - j} * binom(N/2 + 1 + j, 2 j + 1)`` for ``j = 0 .. N/2``.

    Parameters
    ----------
    N : int
        Even number of batteries.
    j : int
        Index ``0 <= j <= N/2``.

    Returns
    -------
    int

    References
    ----------
    Zhao et al., Eq. (2) (even N).
    """
    N = _count(N)
    if N % 2 != 0:
        raise ValueError(f"b(j) is defined for even N, got N={N}")
    m = N // 2
    if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j <= m:
        raise ValueError(f"j must be an integer in [0, {m}], got {j!r}")
    return 4 ** (m - j) * comb(m + 1 + j, 2 * j + 1)


def continuant(d: Sequence[complex], p: Sequence[complex]) -> complex:
    """Determinant of the tridiagonal matrix with diagonal ``d_0..d_N`` and off-diagonal products ``p_k``.

    ``D_{-1} = 1``, ``D_0 = d_0``, ``D_k = d_k D_{k-1} - p_k D_{k-2}`` with ``p_k = M[k, k-1] M[k-1, k]``.

    Parameters
    ----------
    d : sequence
        Diagonal (length ``N + 1``).
    p : sequence
        Products of the off-diagonal pairs (length ``N``).

    Returns
    -------
    complex or array
        The determinant (broadcasts over array entries).

    References
    ----------
    Zhao et al., Eq. (2): the denominators of ``E_N^{r1}`` are this continuant.
    """
    if len(p) != len(d) - 1:
        raise ValueError(f"p must have len(d) - 1 = {len(d) - 1} entries, got {len(p)}")
    Dm2, Dm1 = 1.0, d[0]
    for k in range(1, len(d)):
        Dm2, Dm1 = Dm1, d[k] * Dm1 - p[k - 1] * Dm2
    return Dm1


def _chain_denominator_r1(N: int, g, gamma):
    """``2^{N+1} D_{N+1}`` of the reciprocal chain: sum_m 4^m binom(N+1-m, m) gamma^{N+1-2m} g^{2m}."""
    return sum(4 ** m * comb(N + 1 - m, m) * gamma ** (N + 1 - 2 * m) * g ** (2 * m)
               for m in range((N + 1) // 2 + 1))


def energy_r1_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery, reciprocal case I (no intermediate modes), Eq. (2).

    ``E/omega = [2^{N+1} g^N xi / P_{N+1}(g, gamma)]^2`` with
    ``P_{N+1} = sum_m 4^m binom(N+1-m, m) g^{2m} gamma^{N+1-2m}`` (the continuant of the chain);
    equal to both parity branches of Eq. (2) with :func:`a_coeff`, :func:`b_coeff`.

    Parameters
    ----------
    N : int
        Number of batteries.
    g_b : float or array
        Coupling strength(s) (>= 0).
    gamma : float
        Dissipation rate of charger and batteries (> 0).
    xi, omega : float
        Drive amplitude and energy per quantum.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (2).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    return omega * (2 ** (N + 1) * g ** N * xi / _chain_denominator_r1(N, g, gamma)) ** 2


def energy_r1_cascaded_eq2(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Eq. (2) written exactly as printed, with the two parity branches and ``a(j)``, ``b(j)``.

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (2).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    if N % 2:
        den = sum(a_coeff(N, j) * g ** (N + 1 - 2 * j) * gamma ** (2 * j) for j in range((N + 1) // 2 + 1))
        return omega * (2 ** (N + 1) * g ** N * xi / den) ** 2
    den = sum(b_coeff(N, j) * g ** (N - 2 * j) * gamma ** (2 * j) for j in range(N // 2 + 1))
    return omega * (2 ** (N + 1) * g ** (N - 1) * xi / den * g / gamma) ** 2


def energy_nr_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery with nonreciprocal links, Eq. (3).

    ``E/omega = [2^{2N+1} g^N xi / ((2g + gamma)^2 (4g + gamma)^{N-1})]^2`` (any ``Gamma``).

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (3).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    return omega * (2 ** (2 * N + 1) * g ** N * xi / ((2 * g + gamma) ** 2 * (4 * g + gamma) ** (N - 1))) ** 2


def _r2_cascaded_denominator(N, g, gamma):
    """|continuant| of the reciprocal case II chain (theta = 0, g1 = g2 = sqrt(g Gamma/2))."""
    g = np.asarray(g, float)
    d = [gamma / 2 + g] + [gamma / 2 + 2 * g] * (N - 1) + [gamma / 2 + g]
    p = [2j * g ** 2] * N
    return np.abs(continuant(d, p))


def energy_r2_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery, reciprocal case II (intermediate modes, ``theta = 0``).

    Not printed in the paper; derived in the chapter: ``E/omega = 2^N g^{2N} xi^2 / |D_{N+1}|^2``
    with the continuant of diagonal ``(gamma/2 + g, gamma/2 + 2g, ..., gamma/2 + 2g, gamma/2 + g)``
    and products ``2 i g^2`` (exact for any ``Gamma``).

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., reciprocal case II of Figs. 2(b)-(e).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    return omega * 2 ** N * g ** (2 * N) * xi ** 2 / _r2_cascaded_denominator(N, g, gamma) ** 2


def _eff_link(g_b, theta, g1, g2, Gamma):
    """Forward f = -A[dst, src] and backward h = -A[src, dst] after eliminating a (exact in steady state)."""
    G = 2 * g1 * g2 / Gamma if Gamma > 0 else 0.0
    return 1j * g_b * np.exp(1j * theta) + G, 1j * g_b * np.exp(-1j * theta) + G


def energy_cascaded_steady(N: int, g_b: float, gamma: float, Gamma: float, theta: Any = None, xi: float = 1.0,
                           *, g1: Any = None, g2: Any = None, omega: float = 1.0) -> float:
    """Steady terminal energy of the explicit AB chain for any phases, by the continuant.

    The intermediate modes are eliminated exactly (in the steady state ``a_k`` is slaved to its
    two neighbours), leaving a tridiagonal system whose terminal component is
    ``x_N = -i xi prod(-f_k) / det``.

    Parameters
    ----------
    N, g_b, gamma, Gamma, theta, xi, g1, g2, omega
        As in :func:`cascaded_network` (``theta`` default ``-pi/2``).

    Returns
    -------
    float
        ``omega |<b_N>|^2``.

    References
    ----------
    Zhao et al., Eq. (1); reduces to Eq. (3) at ``theta_k = -pi/2``, ``g1 = g2 = sqrt(g_b Gamma/2)``.
    """
    N = _count(N)
    gamma = _positive(gamma, "gamma")
    g_b, Gamma, th, G1, G2, _ = _links(N, g_b, Gamma, theta, "nr", g1, g2)
    if Gamma == 0:
        raise ValueError("Gamma must be > 0 for the intermediate modes")
    d = np.empty(N + 1)
    d[0] = gamma / 2 + 2 * G1[0] ** 2 / Gamma
    for k in range(1, N + 1):
        d[k] = gamma / 2 + 2 * G2[k - 1] ** 2 / Gamma + (2 * G1[k] ** 2 / Gamma if k < N else 0.0)
    f, h = zip(*[_eff_link(g_b, th[k], G1[k], G2[k], Gamma) for k in range(N)])
    D = continuant(list(d.astype(complex)), [fk * hk for fk, hk in zip(f, h)])
    return float(omega * xi ** 2 * np.prod(np.abs(f)) ** 2 / abs(D) ** 2)


# --------------------------------------------------------------------------------------------
# closed forms: parallel
# --------------------------------------------------------------------------------------------
def energy_r1_parallel(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                       omega: float = 1.0):
    """Steady energy of battery ``b_k`` in the parallel setup, reciprocal case I, Eq. (4) corrected.

    ``E_k/omega = 16 xi^2 g^2 ({gamma}/gamma_k)^2 / (4 g^2 sum_j {gamma}/gamma_j + gamma_c {gamma})^2``
    with ``{gamma} = gamma_c prod_j gamma_j``; equivalently
    ``4 g^2 xi^2 / (gamma_k^2 (gamma_c/2 + sum_j 2 g^2/gamma_j)^2)``.  The printed Eq. (4) lacks
    the factor ``gamma_c`` in the last term (see :func:`energy_r1_parallel_printed`).

    Parameters
    ----------
    N : int
        Number of batteries.
    g_b : float or array
        Coupling strength.
    gamma_c : float
        Charger dissipation rate (> 0).
    gamma_b : float or sequence of N floats
        Battery dissipation rates (> 0).
    xi, omega : float
        Drive and energy per quantum.
    k : int
        Battery (1..N).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (4).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gc = _positive(gamma_c, "gamma_c")
    gb = _per_link(gamma_b, N, "gamma_b")
    if np.any(gb <= 0):
        raise ValueError(f"gamma_b must be > 0, got {gamma_b!r}")
    k = _count(k, "k")
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    load = gc / 2 + np.sum(2 * np.multiply.outer(g ** 2, 1 / gb), axis=-1)
    return omega * 4 * g ** 2 * xi ** 2 / (gb[k - 1] ** 2 * load ** 2)


def energy_r1_parallel_printed(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                               omega: float = 1.0):
    """Eq. (4) exactly as printed (dimensionally inconsistent; kept for the erratum).

    Parameters
    ----------
    N, g_b, gamma_c, gamma_b, xi, k, omega
        As in :func:`energy_r1_parallel`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (4) as printed.
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gc = _positive(gamma_c, "gamma_c")
    gb = _per_link(gamma_b, N, "gamma_b")
    k = _count(k, "k")
    br = gc * np.prod(gb)
    return omega * 16 * xi ** 2 * g ** 2 * (br / gb[k - 1]) ** 2 / (4 * g ** 2 * np.sum(br / gb) + br) ** 2


def energy_nr_parallel(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                       omega: float = 1.0):
    """Steady energy of battery ``b_k``, nonreciprocal parallel charging, Eq. (5).

    ``E_k/omega = 64 xi^2 g^2 / ((2 g + gamma_k)^2 (2 N g + gamma_c)^2)``.

    Parameters
    ----------
    N, g_b, gamma_c, gamma_b, xi, k, omega
        As in :func:`energy_r1_parallel`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., Eq. (5).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gc = _positive(gamma_c, "gamma_c")
    gb = _rates_array(_per_link(gamma_b, N, "gamma_b"), "gamma_b")
    k = _count(k, "k")
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    return omega * 64 * xi ** 2 * g ** 2 / ((2 * g + gb[k - 1]) ** 2 * (2 * N * g + gc) ** 2)


def energy_r2_parallel(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of every battery, parallel reciprocal case II (derived in the chapter).

    ``E/omega = 2 g^2 xi^2 / [((gamma/2 + N g)(gamma/2 + g))^2 + 4 N^2 g^4]``.

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded` (equal rates).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., reciprocal case II of Figs. 3(b)-(c).
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    return omega * 2 * g ** 2 * xi ** 2 / (((gamma / 2 + N * g) * (gamma / 2 + g)) ** 2 + 4 * N ** 2 * g ** 4)


def energy_parallel_steady(N: int, g_b: float, gamma: float, Gamma: float, theta: Any = None, xi: float = 1.0,
                           *, k: int = 1, g1: Any = None, g2: Any = None, omega: float = 1.0) -> float:
    """Steady energy of battery ``b_k`` of the explicit parallel network, any phases.

    ``x_k = -f_k x_c / d_k``, ``x_c (d_c - sum_j f_j h_j / d_j) = -i xi`` after the exact
    elimination of the intermediate modes.

    Parameters
    ----------
    N, g_b, gamma, Gamma, theta, xi, g1, g2, omega
        As in :func:`parallel_network` (equal rates ``gamma``).
    k : int
        Battery.

    Returns
    -------
    float

    References
    ----------
    Zhao et al., ``H_p``; reduces to Eq. (5) at ``theta_k = -pi/2``.
    """
    N = _count(N)
    gamma = _positive(gamma, "gamma")
    g_b, Gamma, th, G1, G2, _ = _links(N, g_b, Gamma, theta, "nr", g1, g2)
    if Gamma == 0:
        raise ValueError("Gamma must be > 0 for the intermediate modes")
    k = _count(k, "k")
    dc = gamma / 2 + np.sum(2 * G1 ** 2 / Gamma)
    db = gamma / 2 + 2 * G2 ** 2 / Gamma
    fh = [_eff_link(g_b, th[j], G1[j], G2[j], Gamma) for j in range(N)]
    load = dc - sum(f * h / db[j] for j, (f, h) in enumerate(fh))
    return float(omega * abs(fh[k - 1][0]) ** 2 * xi ** 2 / (db[k - 1] ** 2 * abs(load) ** 2))


# --------------------------------------------------------------------------------------------
# gains (exact at g -> 0, where E^nr and E^r vanish together)
# --------------------------------------------------------------------------------------------
def gain_cascaded(N: int, g_b: Any, gamma: float, reference: str = "r1"):
    """Gains ``G_N1 = E_N^nr / E_N^r1`` or ``G_N2 = E_N^nr / E_N^r2`` of the cascaded setup.

    Written with the factor ``g^{2N}`` cancelled, so the value at ``g_b = 0`` is the exact limit
    (``2^{2N}`` and ``2^N``).

    Parameters
    ----------
    N : int
    g_b : float or array (>= 0)
    gamma : float (> 0)
    reference : {'r1', 'r2'}

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., text after Eq. (3): ``G_N1|_{g->0} = 2^{2N}``, ``G_N2 -> 2^N``.
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    nr_amp = 2 ** (2 * N + 1) / ((2 * g + gamma) ** 2 * (4 * g + gamma) ** (N - 1))   # / (g^N xi)
    if reference == "r1":
        return (nr_amp * _chain_denominator_r1(N, g, gamma) / 2 ** (N + 1)) ** 2
    if reference == "r2":
        return (nr_amp * _r2_cascaded_denominator(N, g, gamma)) ** 2 / 2 ** N
    raise ValueError(f"reference must be 'r1' or 'r2', got {reference!r}")


def gain_parallel(N: int, g_b: Any, gamma: float, reference: str = "r1"):
    """Gains ``G_N1``, ``G_N2`` of the parallel setup (equal rates), exact at ``g_b = 0``.

    ``G_N1 = [2 (4 N g^2 + gamma^2) / ((2g + gamma)(2Ng + gamma))]^2`` (from Eqs. (4) corrected
    and (5)); ``G_N2 = 2 [((gamma/2 + Ng)(gamma/2 + g))^2 + 4 N^2 g^4] / ((g + gamma/2)^2 (Ng + gamma/2)^2)``.

    Parameters
    ----------
    N, g_b, gamma, reference
        As in :func:`gain_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., text after Eq. (5): ``G_N1 -> 4``, ``G_N2 -> 2``.
    """
    N = _count(N)
    g = _rates_array(g_b, "g_b")
    gamma = _positive(gamma, "gamma")
    if reference == "r1":
        return (2 * (4 * N * g ** 2 + gamma ** 2) / ((2 * g + gamma) * (2 * N * g + gamma))) ** 2
    if reference == "r2":
        den = ((gamma / 2 + N * g) * (gamma / 2 + g)) ** 2
        return 2 * (den + 4 * N ** 2 * g ** 4) / den
    raise ValueError(f"reference must be 'r1' or 'r2', got {reference!r}")


def gain_weak_cascaded(N: int, x: Any):
    """Weak-coupling approximation ``G_N1 ~ [2^N / (4 N x + 1)]^2`` with ``x = g_b/gamma``.

    Parameters
    ----------
    N : int
    x : float or array
        ``g_b / gamma`` (>= 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., text after Fig. 2 (``G_31 ~ [8/(12x+1)]^2``, ``G_41 ~ [16/(16x+1)]^2``).
    """
    N = _count(N)
    x = _rates_array(x, "x")
    return (2 ** N / (4 * N * x + 1)) ** 2


def gain_weak_parallel(N: int, x: Any):
    """Weak-coupling approximation ``G_N1 ~ [2 / ((2N + 2) x + 1)]^2`` (parallel).

    Parameters
    ----------
    N : int
    x : float or array
        ``g_b / gamma`` (>= 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., text after Fig. 3.
    """
    N = _count(N)
    x = _rates_array(x, "x")
    return (2 / ((2 * N + 2) * x + 1)) ** 2


def g_opt_nr(N: int, gamma: float) -> float:
    """Coupling that maximises Eq. (3): ``g_b^opt = [N + sqrt(N (8 + N))] gamma / 8``.

    Parameters
    ----------
    N : int
    gamma : float (> 0)

    Returns
    -------
    float

    References
    ----------
    Zhao et al., text before Fig. 2(f) (stated there for odd N; it holds for every N).
    """
    N = _count(N)
    gamma = _positive(gamma, "gamma")
    return (N + np.sqrt(N * (8 + N))) * gamma / 8


def max_energy_r1_cascaded(N: int, gamma: float, xi: float = 1.0) -> tuple[float, float]:
    """Maximum over ``g_b`` of the reciprocal-I terminal energy (odd N only: even N saturates).

    Parameters
    ----------
    N : int
        Odd number of batteries.
    gamma, xi : float

    Returns
    -------
    (g_max, E_max) : tuple of float

    References
    ----------
    Zhao et al., Fig. 2(f).
    """
    N = _count(N)
    if N % 2 == 0:
        raise ValueError(f"E_N^r1 has no maximum in g_b for even N (it saturates); got N={N}")
    gamma = _positive(gamma, "gamma")
    res = minimize_scalar(lambda u: -energy_r1_cascaded(N, gamma * np.exp(u), gamma, xi),
                          bounds=(np.log(1e-3), np.log(10 * N + 10)), method="bounded",
                          options={"xatol": 1e-11})
    g = gamma * float(np.exp(res.x))
    return g, float(energy_r1_cascaded(N, g, gamma, xi))


# --------------------------------------------------------------------------------------------
# charging power P(t) = E(t)/t
# --------------------------------------------------------------------------------------------
def charging_power(net: LinearNetwork, mode: int, t: Any) -> np.ndarray:
    """Average charging power ``P(t) = E(t)/t`` of one mode, with its limit at ``t = 0``.

    This is the paper's definition (not the instantaneous ``dE/dt`` of
    :meth:`LinearNetwork.power`).  At ``t = 0`` the ratio is replaced by its limit: if the mode
    starts empty (``E(0) = 0``) the limit is ``dE/dt(0)``, taken from the engine's exact
    :meth:`LinearNetwork.power` (zero for a coherent drive from the vacuum, ``omega n_th kappa``
    for a mode in contact with a thermal bath); if ``E(0) > 0`` (``alpha0`` set) it is ``+inf``.

    Parameters
    ----------
    net : LinearNetwork
    mode : int
        Mode index (see :func:`battery_index`).
    t : array_like
        Times (>= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Zhao et al., "Charging power" paragraph: ``P(t) = E(t)/t``.
    """
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    t = np.atleast_1d(np.asarray(t, dtype=float))
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"t must be a 1-D array of finite times >= 0, got {t!r}")
    if isinstance(mode, bool) or not isinstance(mode, (int, np.integer)) or not 0 <= mode < net.n_modes:
        raise ValueError(f"mode must be an integer in [0, {net.n_modes}), got {mode!r}")
    out = np.empty_like(t)
    pos = t > 0
    if np.any(pos):
        out[pos] = net.energies(t[pos])[:, mode] / t[pos]
    if not np.all(pos):
        # E(0) = omega |alpha_j(0)|^2 (the fluctuations start in the vacuum); compare the initial
        # amplitude with the natural scale |F| / |A| so that round-off does not count as energy
        a0 = net.amplitudes([0.0])[0]
        scale = max(np.max(np.abs(a0)), np.max(np.abs(net.drive)) / max(np.max(np.abs(net.drift)), 1e-300))
        empty = abs(a0[mode]) <= 1e-8 * scale
        out[~pos] = float(net.power([0.0])[0, mode]) if empty else np.inf
    return out


def max_power(net: LinearNetwork, mode: int, t_max: float, n_grid: int = 120) -> tuple[float, float]:
    """Maximum of ``P(t) = E(t)/t`` over ``0 < t <= t_max``: a log grid, then a bounded refinement.

    Parameters
    ----------
    net : LinearNetwork
    mode : int
    t_max : float (> 0)
        Upper end of the search.
    n_grid : int
        Points of the coarse logarithmic grid.

    Returns
    -------
    (t_star, P_max) : tuple of float

    References
    ----------
    Zhao et al., Figs. 4(c)-(d): ``P_max`` is obtained by optimising ``t``.
    """
    t_max = _positive(t_max, "t_max")
    grid = np.geomspace(t_max * 1e-4, t_max, n_grid)
    P = charging_power(net, mode, grid)
    i = int(np.argmax(P))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, n_grid - 1)]
    res = minimize_scalar(lambda s: -charging_power(net, mode, [np.exp(s)])[0],
                          bounds=(np.log(lo), np.log(hi)), method="bounded", options={"xatol": 1e-9})
    ts = float(np.exp(res.x))
    Ps = float(-res.fun)
    if Ps < P[i]:
        ts, Ps = float(grid[i]), float(P[i])
    return ts, Ps


def power_gains(topology: str, N: int, g_b: float, gamma: float, Gamma: float, t_max: float,
                xi: float = 1.0) -> np.ndarray:
    """Gains of the maximal average power, ``(eta_N1, eta_N2) = P_max^nr / (P_max^r1, P_max^r2)``.

    Each ``P_max`` is the maximum over ``0 < t <= t_max`` of ``P(t) = E(t)/t`` (:func:`max_power`)
    for the terminal battery ``b_N`` of the chain, or for battery ``b_1`` of the star (all
    batteries of the star are equivalent).  Engine with explicit intermediate modes.

    Parameters
    ----------
    topology : {'cascaded', 'parallel'}
    N : int
        Number of batteries.
    g_b, gamma, Gamma : float
        As in :func:`cascaded_network`.
    t_max : float
        Upper end of the search in time (> 0).
    xi : float
        Drive amplitude (the ratios do not depend on it).

    Returns
    -------
    ndarray, shape (2,)
        ``[eta_N1, eta_N2]``.

    References
    ----------
    Zhao et al., Figs. 4(c)-(d) and the paragraph after Fig. 4.
    """
    if topology not in ("cascaded", "parallel"):
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    N = _count(N)
    build, mode = (cascaded_network, N) if topology == "cascaded" else (parallel_network, 1)
    P = {c: max_power(build(N, g_b, gamma, Gamma, case=c, xi=xi), mode, t_max)[1] for c in CASES}
    return np.array([P["nr"] / P["r1"], P["nr"] / P["r2"]])


def power_gains_weak_limit(topology: str, N: int, gamma: float, Gamma: float, t_max: float,
                           x: Sequence[float] = (1e-3, 2e-3, 3e-3)) -> np.ndarray:
    """``lim_{g_b -> 0}`` of :func:`power_gains`, by three-point Richardson extrapolation.

    At ``g_b -> 0`` both powers vanish as ``g_b^{2N}`` (the ratio is finite but not computable
    at ``g_b = 0``; below ``g_b ~ 10^{-3} gamma`` the terminal amplitude of long chains drowns
    in the round-off of the charger's).  The gains are evaluated at ``g_b = x_i gamma`` for
    three equally spaced ``x_i = i h`` and the quadratic through them is evaluated at 0:
    ``3 eta(h) - 3 eta(2h) + eta(3h)``, exact up to ``O(h^3)``.

    Parameters
    ----------
    topology, N, gamma, Gamma, t_max
        As in :func:`power_gains`.
    x : sequence of three floats
        ``(h, 2h, 3h)`` in units of ``gamma``.

    Returns
    -------
    ndarray, shape (2,)
        Extrapolated ``[eta_N1, eta_N2]`` at ``g_b = 0``.

    References
    ----------
    Zhao et al., text after Fig. 4: ``eta_N1 -> 2^{2N}``, ``eta_N2 -> 2^N`` (cascaded), 4 and 2
    (parallel).
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (3,) or not np.all(np.isfinite(x)) or x[0] <= 0 or not np.allclose(x, x[0] * np.arange(1, 4)):
        raise ValueError(f"x must be three equally spaced positive values (h, 2h, 3h), got {x!r}")
    e = [power_gains(topology, N, xk * gamma, gamma, Gamma, t_max) for xk in x]
    return 3 * e[0] - 3 * e[1] + e[2]


def crossing_r1_r2(N: int, lo: float = 0.02, hi: float = 0.5) -> float:
    """``g_b/gamma`` at which ``E_N^{r1} = E_N^{r2}`` in the chain, i.e. ``G_N1 = G_N2``.

    Below it the reciprocal chain without intermediate modes charges less than the one with them
    (``E^{r1} < E^{r2}``), so ``G_N1 > G_N2``.  Independent of ``gamma`` and ``Gamma``.

    Parameters
    ----------
    N : int
        Number of batteries.
    lo, hi : float
        Bracket in ``g_b/gamma`` (the ratio must change sign in it).

    Returns
    -------
    float

    References
    ----------
    Zhao et al., text after Fig. 2: "``G_N1 > G_N2`` ... ``g_b/gamma < 0.12``" and
    "``E_N^{r1} < E_N^{r2}`` when ``g_b/gamma < 0.1``".
    """
    from scipy.optimize import brentq

    N = _count(N)
    lo, hi = _positive(lo, "lo"), _positive(hi, "hi")
    f = lambda u: float(np.log(energy_r1_cascaded(N, u, 1.0) / energy_r2_cascaded(N, u, 1.0)))
    if f(lo) * f(hi) > 0:
        raise ValueError(f"E^r1/E^r2 - 1 does not change sign in [{lo}, {hi}] for N={N}")
    return float(brentq(f, lo, hi, xtol=1e-13))


def max_energy_ratio(N: int) -> float:
    """``E_max^nr / E_max^r1`` of the chain for odd ``N`` (maxima over ``g_b``; independent of ``gamma``).

    ``E_max^nr`` is Eq. (3) at :func:`g_opt_nr`; ``E_max^r1`` is :func:`max_energy_r1_cascaded`.

    Parameters
    ----------
    N : int
        Odd number of batteries.

    Returns
    -------
    float

    References
    ----------
    Zhao et al., Fig. 2(f).
    """
    N = _count(N)
    return float(energy_nr_cascaded(N, g_opt_nr(N, 1.0), 1.0) / max_energy_r1_cascaded(N, 1.0)[1])


def log_slope_fit(N_max: int) -> tuple[float, np.ndarray, np.ndarray]:
    """Least-squares slope ``s`` of ``E_max^nr/E_max^r1 = 1 + s ln N`` over odd ``N = 1, 3, ..., N_max``.

    The intercept is fixed at 1 (the two maxima are equal at ``N = 1``), as in the paper's form
    ``1 + 0.062 ln N``; the result depends on the range ``N_max``, which the paper does not state.

    Parameters
    ----------
    N_max : int
        Largest odd ``N`` of the fit (>= 3).

    Returns
    -------
    (s, N, ratio) : float, ndarray, ndarray

    References
    ----------
    Zhao et al., Fig. 2(f) and the text before it.
    """
    N_max = _count(N_max, "N_max", minimum=3)
    Ns = np.arange(1, N_max + 1, 2)
    r = np.array([max_energy_ratio(int(n)) for n in Ns])
    L = np.log(Ns)
    return float(np.sum(L * (r - 1)) / np.sum(L ** 2)), Ns, r
