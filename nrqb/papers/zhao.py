"""Zhao, Xie, Huang and Zhang, "Enhanced Charging in Multi-Battery Systems by Nonreciprocity".

Model builders (explicit non-Hermitian Aharonov-Bohm triangles, kept as modes of a
:class:`~nrqb.engine.LinearNetwork`) and the paper's closed forms, paper Eqs. (2)-(5), grouped by
equation with the form *as printed* beside the *corrected* or derived one:

* paper Eq. (2), reciprocal chain: :func:`energy_r1_cascaded_eq2` (as printed, with the
  coefficients :func:`a_coeff`, :func:`b_coeff` that the paper calls "constants" but which depend
  on ``N``) and :func:`energy_r1_cascaded` (the continuant, in a scaled form);
* paper Eq. (3), one-way chain: :func:`energy_nr_cascaded` (as printed, correct), the chain at any
  phase :func:`energy_cascaded_steady`, case II :func:`energy_r2_cascaded` (derived), and the
  one-way chain with unequal splits ``g_1 != g_2`` (:func:`energy_split_cascaded`,
  :func:`optimal_split_cascaded`), which stores more than the paper's ``g_1 = g_2`` for N >= 2;
* paper Eq. (4), reciprocal star: :func:`energy_r1_parallel_printed` (as printed, wrong) and
  :func:`energy_r1_parallel` (corrected);
* paper Eq. (5), one-way star: :func:`energy_nr_parallel` (as printed, correct), any phase
  :func:`energy_parallel_steady`, case II :func:`energy_r2_parallel` (derived); the window
  :func:`parallel_gain_window` where it stores less than case I, and the split that closes it
  (:func:`optimal_split_parallel`, :func:`energy_split_parallel`);
* gains: exact :func:`gain_cascaded`, :func:`gain_parallel` beside the paper's weak-coupling forms
  :func:`gain_weak_cascaded`, :func:`gain_weak_parallel` (as printed) and their range
  :func:`weak_form_validity`; the growth with ``N`` :func:`gain_growth_per_battery`; the crossing
  ``G_N1 = G_N2`` :func:`crossing_r1_r2` and its large-N limit :func:`crossing_r1_r2_limit`;
* Fig. 2(f): :func:`g_opt_nr`, :func:`max_energy_r1_cascaded`, :func:`max_energy_ratio`,
  :func:`log_slope_fit` and the large-N limit :func:`max_energy_ratio_limit`;
* charging power ``P = E/t``: :func:`charging_power`, :func:`max_power`, :func:`power_gains`, the
  weak-coupling limits :func:`power_gains_weak_limit` (engine, extrapolated) and
  :func:`power_gains_leading_order` (exact leading-order model).

Closed forms of long chains are evaluated in logarithms (and scaled continuants), so that they
neither underflow nor overflow wherever the answer is a representable float.

Conventions
-----------
The paper's Hamiltonian, paper Eq. (1), contains ``g_b e^{i theta} c b^dag + g_1 c a^dag +
g_2 a b^dag + xi c + H.c.``.  In the engine ``h[i, j]`` is the coefficient of ``a_i^dag a_j``, so

* ``g_b e^{i theta} b^dag c``  ->  ``h[b, c] = g_b e^{i theta}`` (``NetworkBuilder.hop(b, c, J)``),
* ``g_1 a^dag c``               ->  ``h[a, c] = g_1``,
* ``g_2 b^dag a``               ->  ``h[b, a] = g_2``,
* ``xi (c + c^dag)``            ->  drive ``F_c = xi`` (real, as in the paper).

Every "dissipation rate" of the paper (``gamma_c``, ``gamma_b``, ``Gamma_a``) is the rate of a
Lindblad channel ``gamma D[mode]``, i.e. amplitudes decay at half of it; the chapter checks that of
the four combinations (Lindblad rate or amplitude decay rate, for the system modes and for the
intermediate modes) only this one reproduces paper Eqs. (2), (3) and (5).  With this mapping the
paper's phase is used as printed: ``theta = -pi/2`` is the one-way direction charger -> battery.

The drift entries after eliminating the intermediate mode (exact in the steady state, because
``a`` couples only to its two neighbours) are, with ``G = 2 g_1 g_2 / Gamma``::

    A[b, c] = -(i g_b e^{ i theta} + G),   A[c, b] = -(i g_b e^{-i theta} + G),
    A[c, c] = -gamma_c/2 - 2 g_1^2/Gamma,  A[b, b] = -gamma_b/2 - 2 g_2^2/Gamma.

The backflow vanishes for ``G = g_b`` and ``theta = -pi/2``; then ``A[b, c] = -2 g_b``.

References
----------
H.-W. Zhao, Y. Xie, X. Huang, G.-F. Zhang, "Enhanced Charging in Multi-Battery Systems by
Nonreciprocity", paper Eqs. (1)-(5) and Figs. 1-4.
"""

from __future__ import annotations

from math import comb, log as _log
from typing import Any, Sequence

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from ..engine import validation as _v
from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork


__all__ = [
    "CASES",
    "optimal_uniform_split",
    # model
    "triangle",
    "cascaded_builder",
    "parallel_builder",
    "cascaded_network",
    "parallel_network",
    "shared_bath_cascaded_network",
    "shared_bath_parallel_network",
    "battery_index",
    # paper Eq. (2)
    "a_coeff",
    "b_coeff",
    "continuant",
    "energy_r1_cascaded_eq2",
    "energy_r1_cascaded",
    # paper Eq. (3), case II, any phase, unequal splits
    "energy_nr_cascaded",
    "energy_cascaded_steady",
    "energy_r2_cascaded",
    "split_couplings",
    "energy_split_cascaded",
    "optimal_split_cascaded",
    "max_energy_nr_split",
    "max_over_phases",
    # paper Eqs. (4), (5)
    "energy_r1_parallel_printed",
    "energy_r1_parallel",
    "energy_nr_parallel",
    "energy_parallel_steady",
    "energy_r2_parallel",
    "parallel_gain_window",
    "optimal_split_parallel",
    "energy_split_parallel",
    # gains
    "gain_cascaded",
    "gain_parallel",
    "gain_weak_cascaded",
    "gain_weak_parallel",
    "gain_growth_per_battery",
    "weak_form_validity",
    "crossing_r1_r2",
    "crossing_r1_r2_limit",
    # Fig. 2(f)
    "g_opt_nr",
    "max_energy_r1_cascaded",
    "max_energy_ratio",
    "log_slope_fit",
    "max_energy_ratio_limit",
    # charging power
    "charging_power",
    "small_time_power",
    "max_power",
    "power_gains",
    "power_gains_weak_limit",
    "power_gains_leading_order",
    # explorer
    "explore_chain",
]

#: the three cases compared in the paper: nonreciprocal, reciprocal I (no a_k), reciprocal II (theta = 0)
CASES = ("nr", "r1", "r2")


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def _xi(xi: Any) -> float:
    return _v.real(xi, "xi")


def _omega(omega: Any) -> float:
    return _v.positive(omega, "omega")


def _g(g_b: Any) -> np.ndarray:
    return _v.rates(g_b, "g_b")


def _per_link(x: Any, N: int, name: str, *, nonnegative: bool = False, positive: bool = False) -> np.ndarray:
    """A finite real scalar or N-vector (broadcast), optionally >= 0 or > 0."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be real numbers, got {x!r}") from exc
    if arr.ndim == 0:
        arr = np.full(N, float(arr))
    if arr.shape != (N,):
        raise ValueError(f"{name} must be a scalar or have {N} entries, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {x!r}")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {np.asarray(x).tolist()!r}")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {np.asarray(x).tolist()!r}")
    return arr


def _phases(theta: Any, N: int) -> np.ndarray:
    """Phases of shape (N,) or (..., N) (finite reals)."""
    try:
        arr = np.asarray(theta, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"theta must be real numbers, got {theta!r}") from exc
    if arr.ndim == 0:
        arr = np.full(N, float(arr))
    if arr.shape[-1:] != (N,):
        raise ValueError(f"theta must be a scalar or have {N} entries along its last axis, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("theta must be finite (no NaN or inf)")
    return arr


def _case(case: Any) -> str:
    if not isinstance(case, str) or case not in CASES:
        raise ValueError(f"case must be one of {CASES}, got {case!r}")
    return case


def _battery(k: Any, N: int) -> int:
    k = _v.count(k, "k")
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    return k


def _out(x):
    """A Python float for a 0-d result, the array otherwise."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


# --------------------------------------------------------------------------------------------
# model builders (explicit intermediate modes)
# --------------------------------------------------------------------------------------------
def _links(N, g_b, Gamma, theta, case, g1, g2):
    """Per-link parameters (g_b, Gamma, theta, g1, g2, case) of the three cases."""
    g_b = _v.rate(g_b, "g_b")
    Gamma = _v.rate(Gamma, "Gamma")
    case = _case(case)
    if case == "r1":
        if g1 is not None or g2 is not None:
            raise ValueError("g1 and g2 are couplings to the intermediate modes, which case 'r1' does not have")
        th = np.zeros(N) if theta is None else _per_link(theta, N, "theta")
    elif case == "r2":
        th = np.zeros(N) if theta is None else _per_link(theta, N, "theta")
    else:
        th = np.full(N, -np.pi / 2) if theta is None else _per_link(theta, N, "theta")
    default = np.sqrt(g_b * Gamma / 2)
    G1 = np.full(N, default) if g1 is None else _per_link(g1, N, "g1", nonnegative=True)
    G2 = np.full(N, default) if g2 is None else _per_link(g2, N, "g2", nonnegative=True)
    return g_b, Gamma, th, G1, G2, case


def _thermal(N, case, n_th):
    n_th = _v.rate(n_th, "n_th_intermediate")
    if n_th == 0:
        return {}
    if case == "r1":
        raise ValueError("n_th_intermediate needs intermediate modes (case 'nr' or 'r2')")
    return {"n_th": [0.0] * (N + 1) + [n_th] * N}


def _start(N, gamma, gamma_b, omega, xi, case, Gamma):
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    gb_rates = np.full(N, gamma) if gamma_b is None else _per_link(gamma_b, N, "gamma_b", nonnegative=True)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=float(gb_rates[k - 1]), omega=omega)
    if case != "r1":
        for k in range(1, N + 1):
            nb.mode(f"a{k}", loss=Gamma, omega=omega)
    nb.drive("c", xi)
    return nb


def cascaded_builder(N: int, g_b: float, gamma: float, Gamma: float, *, theta: Any = None,
                     xi: float = 1.0, case: str = "nr", g1: Any = None, g2: Any = None,
                     gamma_b: Any = None, omega: float = 1.0) -> NetworkBuilder:
    """The cascaded network of paper Eq. (1) as a :class:`~nrqb.engine.NetworkBuilder` (named modes).

    Parameters and conventions as in :func:`cascaded_network` (which is ``cascaded_builder(...).build()``);
    useful to draw the network (modes ``c``, ``b1..bN``, ``a1..aN``).

    Returns
    -------
    NetworkBuilder

    References
    ----------
    Zhao et al., paper Eq. (1) and Fig. 1(b).
    """
    N = _v.count(N)
    gamma = _v.rate(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    g_b, Gamma, th, G1, G2, case = _links(N, g_b, Gamma, theta, case, g1, g2)
    nb = _start(N, gamma, gamma_b, omega, xi, case, Gamma)
    prev = "c"
    for k in range(1, N + 1):
        cur = f"b{k}"
        nb.hop(cur, prev, g_b * np.exp(1j * th[k - 1]))          # g_b e^{i theta} prev cur^dag
        if case != "r1":
            nb.hop(f"a{k}", prev, G1[k - 1])                     # g_1 prev a^dag
            nb.hop(cur, f"a{k}", G2[k - 1])                      # g_2 a cur^dag
        prev = cur
    return nb


def parallel_builder(N: int, g_b: float, gamma: float, Gamma: float, *, theta: Any = None,
                     xi: float = 1.0, case: str = "nr", g1: Any = None, g2: Any = None,
                     gamma_b: Any = None, omega: float = 1.0) -> NetworkBuilder:
    """The parallel network ``H_p`` as a :class:`~nrqb.engine.NetworkBuilder` (named modes).

    Parameters and conventions as in :func:`parallel_network`.

    Returns
    -------
    NetworkBuilder

    References
    ----------
    Zhao et al., ``H_p`` (text before paper Eq. (4)) and Fig. 1(c).
    """
    N = _v.count(N)
    gamma = _v.rate(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    g_b, Gamma, th, G1, G2, case = _links(N, g_b, Gamma, theta, case, g1, g2)
    nb = _start(N, gamma, gamma_b, omega, xi, case, Gamma)
    for k in range(1, N + 1):
        nb.hop(f"b{k}", "c", g_b * np.exp(1j * th[k - 1]))
        if case != "r1":
            nb.hop(f"a{k}", "c", G1[k - 1])
            nb.hop(f"b{k}", f"a{k}", G2[k - 1])
    return nb


def cascaded_network(N: int, g_b: float, gamma: float, Gamma: float, *, theta: Any = None,
                     xi: float = 1.0, case: str = "nr", g1: Any = None, g2: Any = None,
                     gamma_b: Any = None, omega: float = 1.0,
                     n_th_intermediate: float = 0.0) -> LinearNetwork:
    """Cascaded charging, paper Eq. (1): ``c -> b_1 -> ... -> b_N`` with AB triangles on every link.

    Parameters
    ----------
    N : int
        Number of batteries (>= 1).
    g_b : float
        Direct coupling strength on every link (>= 0).
    gamma : float
        Dissipation rate of the charger ``gamma_c`` (and of the batteries unless ``gamma_b``).
    Gamma : float
        Dissipation rate ``Gamma_a^{(k)}`` of every intermediate mode (>= 0; unused for ``'r1'``).
    theta : float or sequence of N floats, optional
        Phases ``theta_k`` (paper's convention).  Default ``-pi/2`` for ``'nr'`` and ``0`` for
        ``'r1'`` and ``'r2'``.
    xi : float
        Real drive amplitude on the charger.
    case : {'nr', 'r1', 'r2'}
        Nonreciprocal; reciprocal case I (no intermediate modes); reciprocal case II
        (intermediate modes, ``theta_k = 0``).
    g1, g2 : float or sequence, optional
        ``g_1^{(k)}``, ``g_2^{(k)}`` (>= 0); default ``sqrt(g_b Gamma / 2)``.  Refused for ``'r1'``.
    gamma_b : float or sequence, optional
        Battery dissipation rates; default ``gamma``.
    omega : float
        Energy per quantum (> 0).
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
    Zhao et al., paper Eq. (1) and Fig. 1(b).
    """
    nb = cascaded_builder(N, g_b, gamma, Gamma, theta=theta, xi=xi, case=case, g1=g1, g2=g2,
                          gamma_b=gamma_b, omega=omega)
    return nb.build(**_thermal(int(N), case, n_th_intermediate))


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
    Zhao et al., the parallel Hamiltonian ``H_p`` (text before paper Eq. (4)) and Fig. 1(c).
    """
    nb = parallel_builder(N, g_b, gamma, Gamma, theta=theta, xi=xi, case=case, g1=g1, g2=g2,
                          gamma_b=gamma_b, omega=omega)
    return nb.build(**_thermal(int(N), case, n_th_intermediate))


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
        Real drive amplitude of ``xi (c + c^dag)``.
    g1, g2 : float, optional
        Couplings ``g1 c a^dag`` and ``g2 a b^dag``; default ``sqrt(g_b Gamma / 2)``.
    omega : float
        Energy per quantum.

    Returns
    -------
    LinearNetwork
        Modes in the order ``c, b1, a1``.

    References
    ----------
    Zhao et al., paper Eq. (1) with N = 1 and Fig. 1(a).
    """
    return cascaded_network(1, g_b, gamma_c, Gamma, theta=theta, xi=xi, g1=g1, g2=g2, omega=omega,
                            gamma_b=gamma_b)


def _shared_bath(N, g_b, gamma, xi, n_th, omega, star):
    N = _v.count(N)
    g_b, gamma, n_th = _v.rate(g_b, "g_b"), _v.rate(gamma, "gamma"), _v.rate(n_th, "n_th")
    xi, omega = _xi(xi), _omega(omega)
    nb = NetworkBuilder().mode("c", loss=gamma, omega=omega)
    for k in range(1, N + 1):
        nb.mode(f"b{k}", loss=gamma, omega=omega)
    nb.drive("c", xi)
    for k in range(1, N + 1):
        nb.nonreciprocal_link("c" if (star or k == 1) else f"b{k - 1}", f"b{k}", gamma=2 * g_b)
    return nb.build(n_th=[0.0] * (N + 1) + [n_th] * N)


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
    Zhao et al., paper Eq. (3) (same steady state); the shared-reservoir links follow Ahmadi et al.,
    Eq. (2), and Liu et al., Eqs. (1)-(2).
    """
    return _shared_bath(N, g_b, gamma, xi, n_th, omega, star=False)


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
    Zhao et al., paper Eq. (5) (same steady state); Liu et al., parallel topology.
    """
    return _shared_bath(N, g_b, gamma, xi, n_th, omega, star=True)


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
    Zhao et al., paper Eq. (1) (mode labels).
    """
    return _v.count(k, "k")


# --------------------------------------------------------------------------------------------
# scaled continuants (no overflow for long chains)
# --------------------------------------------------------------------------------------------
def _log_abs_continuant_rel(d: Sequence, p: Sequence, scale: float) -> np.ndarray:
    """``log |D| - len(d) log(scale)`` from the ratios ``R_k = D_k / (scale D_{k-1})``.

    ``D`` is the continuant of :func:`continuant`; the ratios never overflow.  Every leading
    block of the (stable, dissipative) drift matrices used here is non-singular, so no ratio
    vanishes.
    """
    R = np.asarray(d[0], dtype=complex) / scale
    out = np.log(np.abs(R))
    for k in range(1, len(d)):
        R = np.asarray(d[k], dtype=complex) / scale - (np.asarray(p[k - 1], dtype=complex) / scale ** 2) / R
        out = out + np.log(np.abs(R))
    return out


def _r1_logs(N: int, g: np.ndarray, gamma: float):
    """``(log(D_{N+1}/u^{N+1}), log(g^N/D_{N+1}))`` of the reciprocal chain, ``u = gamma/2``.

    ``D_n = (lam_+^{n+1} - lam_-^{n+1}) / (lam_+ - lam_-)`` with ``lam_pm = (u +- s)/2``,
    ``s = sqrt(u^2 + 4 g^2)``; with ``q = lam_-/lam_+ = -(2g/(u+s))^2``,
    ``D_n = lam_+^n (1 - q^{n+1}) / (1 - q)``.
    """
    u = gamma / 2
    s = np.hypot(u, 2 * g)
    with np.errstate(divide="ignore"):
        # L = log(2g/(u+s)) = log(g/lam_+) <= 0, written without cancellation: u + s - 2g = u + u^2/(s+2g)
        L = -np.log1p((u + u * u / (s + 2 * g)) / (2 * g))
        lam_rel = np.log1p(2 * g * g / (u * (s + u)))     # log(lam_+/u)
        e = 2 * (N + 2) * L                               # log |q|^{N+2}
        log_num = np.log1p(np.exp(e)) if N % 2 else np.log(-np.expm1(e))
        log_den = np.log1p(np.exp(2 * L))                 # log(1 - q)
    logD_rel = (N + 1) * lam_rel + log_num - log_den
    log_amp = N * L - (np.log(u) + lam_rel) - log_num + log_den
    return logD_rel, log_amp


def _log_amp_nr(N: int, g: np.ndarray, gamma: float) -> np.ndarray:
    """``log(|b_N|/|xi|)`` of paper Eq. (3): ``[2/(gamma+2g)] [4g/(gamma+2g)] [4g/(gamma+4g)]^{N-1}``."""
    with np.errstate(divide="ignore"):
        out = _log(2.0) - 2 * np.log(gamma + 2 * g) + np.log(4 * g)
        if N > 1:
            out = out - (N - 1) * np.log1p(gamma / (4 * g))
    return out


def _log_rel_nr_den(N: int, g: np.ndarray, gamma: float) -> np.ndarray:
    """``log[(gamma/(gamma+2g))^2 (gamma/(gamma+4g))^{N-1}]`` (0 at g = 0)."""
    return -2 * np.log1p(2 * g / gamma) - (N - 1) * np.log1p(4 * g / gamma)


def _r2_log_rel(N: int, g: np.ndarray, gamma: float) -> np.ndarray:
    """``log(|D^{II}_{N+1}|/u^{N+1})`` of the case-II chain (diagonal gamma/2 + g, + 2g, ..., + g; products 2 i g^2)."""
    u = gamma / 2
    d = [u + g] + [u + 2 * g] * (N - 1) + [u + g]
    return _log_abs_continuant_rel(d, [2j * g ** 2] * N, u)


def _energy(log_amp, xi, omega):
    with np.errstate(divide="ignore"):
        return _out(omega * np.exp(2 * (np.log(abs(xi)) + log_amp)))


# --------------------------------------------------------------------------------------------
# paper Eq. (2): the reciprocal chain (case I), as printed and in continuant form
# --------------------------------------------------------------------------------------------
def a_coeff(N: int, j: int) -> int:
    """Coefficient ``a(j)`` of paper Eq. (2) for odd ``N``, derived in the chapter.

    ``a(j) = 4^{(N+1)/2 - j} binom((N+1)/2 + j, 2 j)`` for ``j = 0 .. (N+1)/2``.  The paper calls
    ``a(j)`` "constants"; they depend on ``N`` as well as on ``j``.

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
    Zhao et al., paper Eq. (2) (odd N); the paper's supplement [60] is not available.
    """
    N = _v.count(N)
    if N % 2 != 1:
        raise ValueError(f"a(j) is defined for odd N, got N={N}")
    m = (N + 1) // 2
    if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j <= m:
        raise ValueError(f"j must be an integer in [0, {m}], got {j!r}")
    return 4 ** (m - int(j)) * comb(m + int(j), 2 * int(j))


def b_coeff(N: int, j: int) -> int:
    """Coefficient ``b(j)`` of paper Eq. (2) for even ``N``, derived in the chapter.

    ``b(j) = 4^{N/2 - j} binom(N/2 + 1 + j, 2 j + 1)`` for ``j = 0 .. N/2`` (depends on ``N``).

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
    Zhao et al., paper Eq. (2) (even N).
    """
    N = _v.count(N)
    if N % 2 != 0:
        raise ValueError(f"b(j) is defined for even N, got N={N}")
    m = N // 2
    if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j <= m:
        raise ValueError(f"j must be an integer in [0, {m}], got {j!r}")
    return 4 ** (m - int(j)) * comb(m + 1 + int(j), 2 * int(j) + 1)


def continuant(d: Sequence[complex], p: Sequence[complex]) -> complex:
    """Determinant of the tridiagonal matrix with diagonal ``d_0..d_N`` and off-diagonal products ``p_k``.

    ``D_{-1} = 1``, ``D_0 = d_0``, ``D_k = d_k D_{k-1} - p_k D_{k-2}`` with
    ``p_k = M[k, k-1] M[k-1, k]``.  The plain recurrence: for long chains its value can leave the
    floating-point range (the energy functions of this module use a scaled form).

    Parameters
    ----------
    d : sequence of complex (or of arrays that broadcast)
        Diagonal (length ``N + 1 >= 1``).
    p : sequence of complex (or arrays)
        Products of the off-diagonal pairs (length ``N``).

    Returns
    -------
    complex or ndarray
        The determinant.

    References
    ----------
    Zhao et al., paper Eq. (2): the denominators of ``E_N^{r1}`` are this continuant.
    """
    if isinstance(d, (str, bytes)) or not hasattr(d, "__len__") or len(d) == 0:
        raise ValueError(f"d must be a non-empty sequence, got {d!r}")
    if isinstance(p, (str, bytes)) or not hasattr(p, "__len__") or len(p) != len(d) - 1:
        raise ValueError(f"p must have len(d) - 1 = {len(d) - 1} entries, got {p!r}")
    d = [_v.finite_array(x, f"d[{i}]") for i, x in enumerate(d)]
    p = [_v.finite_array(x, f"p[{i}]") for i, x in enumerate(p)]
    Dm2, Dm1 = np.ones_like(d[0]), d[0]
    for k in range(1, len(d)):
        Dm2, Dm1 = Dm1, d[k] * Dm1 - p[k - 1] * Dm2
    return complex(Dm1) if np.ndim(Dm1) == 0 else Dm1


def energy_r1_cascaded_eq2(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Paper Eq. (2) as printed: the two parity branches with the coefficients ``a(j)``, ``b(j)``.

    ``N`` odd: ``[2^{N+1} g^N xi / sum_j a(j) g^{N+1-2j} gamma^{2j}]^2``;
    ``N`` even: ``[2^{N+1} g^{N-1} xi / sum_j b(j) g^{N-2j} gamma^{2j} * g/gamma]^2`` (times ``omega``).
    The sums are evaluated as log-sum-exp (no overflow for long chains).

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., paper Eq. (2).
    """
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    if N % 2:
        js = range((N + 1) // 2 + 1)
        coeff, pg = [a_coeff(N, j) for j in js], [N + 1 - 2 * j for j in js]
        log_pref = (N + 1) * _log(2.0)
    else:
        js = range(N // 2 + 1)
        coeff, pg = [b_coeff(N, j) for j in js], [N - 2 * j for j in js]
        log_pref = (N + 1) * _log(2.0) - _log(gamma)
    with np.errstate(divide="ignore"):
        lg = np.log(g)
        terms = [_log(c) + (k * lg if k else np.zeros_like(lg)) + 2 * j * _log(gamma) for j, c, k in zip(js, coeff, pg)]
        top = np.maximum.reduce(terms)
        log_sum = top + np.log(sum(np.exp(t - top) for t in terms))
        log_amp = log_pref + N * lg - log_sum
    return _energy(log_amp, xi, omega)


def energy_r1_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery, reciprocal case I (no intermediate modes), paper Eq. (2).

    ``E/omega = [xi g^N / D_{N+1}]^2`` with the continuant
    ``D_n = (gamma/2) D_{n-1} + g^2 D_{n-2}`` (``D_0 = 1``, ``D_1 = gamma/2``), evaluated in the
    closed form ``D_n = lam_+^n (1 - q^{n+1})/(1 - q)``, ``lam_+ = (gamma/2 + s)/2``,
    ``s = sqrt(gamma^2/4 + 4 g^2)``, ``q = -(2g/(gamma/2 + s))^2``, in logarithms (no underflow or
    overflow for long chains).  Equal to both parity branches of paper Eq. (2)
    (:func:`energy_r1_cascaded_eq2`).

    Parameters
    ----------
    N : int
        Number of batteries (>= 1).
    g_b : float or array
        Coupling strength(s) (>= 0).
    gamma : float
        Dissipation rate of charger and batteries (> 0).
    xi : float
        Real drive amplitude.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., paper Eq. (2).
    """
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    return _energy(_r1_logs(N, g, gamma)[1], xi, omega)


# --------------------------------------------------------------------------------------------
# paper Eq. (3): the one-way chain; any phase; case II; unequal splits
# --------------------------------------------------------------------------------------------
def energy_nr_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery with one-way links, paper Eq. (3) (as printed; correct).

    ``E/omega = [2^{2N+1} g^N xi / ((2g + gamma)^2 (4g + gamma)^{N-1})]^2`` for any ``Gamma``,
    evaluated as ``[2 xi/(gamma+2g)]^2 [4g/(gamma+2g)]^2 [4g/(gamma+4g)]^{2N-2}`` in logarithms.

    Parameters
    ----------
    N, g_b, gamma, xi, omega
        As in :func:`energy_r1_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., paper Eq. (3).
    """
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    return _energy(_log_amp_nr(N, g, gamma), xi, omega)


def _eff_link(g_b, theta, g1, g2, Gamma):
    """Forward f = -A[dst, src] and backward h = -A[src, dst] after eliminating a (exact in steady state)."""
    G = 2 * g1 * g2 / Gamma
    return 1j * g_b * np.exp(1j * theta) + G, 1j * g_b * np.exp(-1j * theta) + G


def energy_cascaded_steady(N: int, g_b: float, gamma: float, Gamma: float, theta: Any = None, xi: float = 1.0,
                           *, g1: Any = None, g2: Any = None, omega: float = 1.0):
    """Steady terminal energy of the explicit AB chain for any phases and couplings.

    The intermediate modes are eliminated exactly (in the steady state ``a_k`` is slaved to its
    two neighbours), leaving a tridiagonal system whose terminal component is
    ``|x_N| = |xi| prod_k |f_k| / |det|`` (scaled continuant).

    Parameters
    ----------
    N, g_b, gamma, Gamma, xi, g1, g2, omega
        As in :func:`cascaded_network` (``Gamma > 0``).
    theta : float, sequence of N floats, or array of shape (..., N), optional
        Phases (default ``-pi/2``); an array of phase vectors gives an array of energies.

    Returns
    -------
    float or ndarray
        ``omega |<b_N>|^2``.

    References
    ----------
    Zhao et al., paper Eq. (1); reduces to paper Eq. (3) at ``theta_k = -pi/2``,
    ``g1 = g2 = sqrt(g_b Gamma/2)``.
    """
    N = _v.count(N)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    g_b, Gamma, _, G1, G2, _ = _links(N, g_b, Gamma, None, "nr", g1, g2)
    if Gamma == 0:
        raise ValueError("Gamma must be > 0 for the intermediate modes")
    th = np.full(N, -np.pi / 2) if theta is None else _phases(theta, N)
    d = np.empty(N + 1)
    d[0] = gamma / 2 + 2 * G1[0] ** 2 / Gamma
    for k in range(1, N + 1):
        d[k] = gamma / 2 + 2 * G2[k - 1] ** 2 / Gamma + (2 * G1[k] ** 2 / Gamma if k < N else 0.0)
    f, h = _eff_link(g_b, th, G1, G2, Gamma)                       # shape (..., N)
    p = [f[..., k] * h[..., k] for k in range(N)]
    with np.errstate(divide="ignore"):
        log_amp = (np.sum(np.log(np.abs(f)), axis=-1) - (N + 1) * _log(gamma / 2)
                   - _log_abs_continuant_rel(list(d), p, gamma / 2))
    return _energy(log_amp, xi, omega)


def energy_r2_cascaded(N: int, g_b: Any, gamma: float, xi: float = 1.0, omega: float = 1.0):
    """Steady energy of the terminal battery, reciprocal case II (intermediate modes, ``theta = 0``).

    Not printed in the paper; derived in the chapter: ``E/omega = 2^N g^{2N} xi^2 / |D_{N+1}|^2``
    with the continuant of diagonal ``(gamma/2 + g, gamma/2 + 2g, ..., gamma/2 + 2g, gamma/2 + g)``
    and products ``2 i g^2`` (exact for any ``Gamma``), in scaled form.

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
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    u = gamma / 2
    with np.errstate(divide="ignore"):
        log_amp = 0.5 * N * _log(2.0) + N * (np.log(g) - _log(u)) - _log(u) - _r2_log_rel(N, g, gamma)
    return _energy(log_amp, xi, omega)


def split_couplings(g_b: float, Gamma: float, sigma: Any) -> tuple[np.ndarray, np.ndarray]:
    """Couplings ``(g_1^{(k)}, g_2^{(k)})`` of one-way links whose source damping is ``sigma_k``.

    On the one-way manifold ``2 g_1 g_2 / Gamma = g_b`` (with ``theta = -pi/2``) a link adds the
    damping ``sigma = 2 g_1^2 / Gamma`` to its source and ``g_b^2 / sigma = 2 g_2^2 / Gamma`` to its
    destination; ``sigma = g_b`` is the paper's ``g_1 = g_2 = sqrt(g_b Gamma / 2)``.

    Parameters
    ----------
    g_b : float
        Direct coupling (> 0).
    Gamma : float
        Dissipation rate of the intermediate modes (> 0).
    sigma : float or array
        Source dampings (> 0).

    Returns
    -------
    (g1, g2) : ndarrays
        ``g1 = sqrt(sigma Gamma / 2)``, ``g2 = g_b Gamma / (2 g1)``.

    References
    ----------
    Zhao et al., text before Fig. 2 (``g_1 = g_2 = sqrt(g_b Gamma/2)`` "optimises" E_N).
    """
    g_b, Gamma = _v.positive(g_b, "g_b"), _v.positive(Gamma, "Gamma")
    sigma = np.atleast_1d(_v.rates(sigma, "sigma"))
    if np.any(sigma <= 0):
        raise ValueError(f"sigma must be > 0, got {sigma.tolist()!r}")
    g1 = np.sqrt(sigma * Gamma / 2)
    return g1, g_b * Gamma / (2 * g1)


def _split_dampings(g, u, x):
    """d_0 = u + sigma_1, d_k = u + g^2/sigma_k + sigma_{k+1}, d_N = u + g^2/sigma_N."""
    y = g * g / x
    return np.concatenate([[u + x[0]], u + y[:-1] + x[1:], [u + y[-1]]])


def energy_split_cascaded(N: int, g_b: float, gamma: float, sigma: Any, xi: float = 1.0, omega: float = 1.0) -> float:
    """Terminal energy of the one-way chain whose link ``k`` adds damping ``sigma_k`` to its source.

    Every link is on the one-way manifold (``theta_k = -pi/2``, ``2 g_1^{(k)} g_2^{(k)}/Gamma = g_b``,
    forward coupling ``-2 g_b``); link ``k`` adds ``sigma_k`` to the damping of its source and
    ``g_b^2/sigma_k`` to that of its destination.  Then
    ``E/omega = xi^2 (2 g_b)^{2N} / prod_k d_k^2`` with ``d_0 = gamma/2 + sigma_1``,
    ``d_k = gamma/2 + g_b^2/sigma_k + sigma_{k+1}``, ``d_N = gamma/2 + g_b^2/sigma_N``.  ``sigma_k = g_b`` gives
    paper Eq. (3).

    Parameters
    ----------
    N : int
    g_b : float (> 0)
    gamma : float (> 0)
    sigma : float or sequence of N floats (> 0)
    xi, omega : float

    Returns
    -------
    float

    References
    ----------
    Zhao et al., paper Eq. (3) and the text before Fig. 2 (the choice ``g_1 = g_2``).
    """
    N = _v.count(N)
    g, gamma = _v.positive(g_b, "g_b"), _v.positive(gamma, "gamma")
    sigma = _per_link(sigma, N, "sigma", positive=True)
    xi, omega = _xi(xi), _omega(omega)
    d = _split_dampings(g, gamma / 2, sigma)
    return _energy(N * _log(2 * g) - np.sum(np.log(d)), xi, omega)


def optimal_split_cascaded(N: int, g_b: float, gamma: float, *, tol: float = 1e-14,
                           max_iter: int = 200) -> np.ndarray:
    """Source dampings ``sigma_k`` that maximise :func:`energy_split_cascaded` at fixed ``g_b``.

    ``sum_k log d_k`` is a convex function of ``s_k = log(sigma_k/g_b)`` (each ``d_k`` is a posynomial),
    so the maximum is unique; Newton's method with its exact (tridiagonal) Hessian finds it.  The
    optimum is mirror-symmetric, ``sigma_k sigma_{N+1-k} = g_b^2``; for ``N = 1`` it is ``sigma = g_b``
    (the paper's ``g_1 = g_2``), for ``N >= 2`` it is not.

    Parameters
    ----------
    N : int
    g_b : float (> 0)
    gamma : float (> 0)
    tol : float
        Stop when the largest gradient component is below ``tol`` (or when the Newton decrement or
        the line search reach round-off).
    max_iter : int

    Returns
    -------
    ndarray, shape (N,)
        ``sigma_k``; the couplings follow from :func:`split_couplings`.

    References
    ----------
    Zhao et al., text before Fig. 2: "``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)``" optimises E_N
    (true for N = 1 only).
    """
    N = _v.count(N)
    g, gamma = _v.positive(g_b, "g_b"), _v.positive(gamma, "gamma")
    tol = _v.positive(tol, "tol")
    max_iter = _v.count(max_iter, "max_iter")
    u = gamma / 2

    def parts(s):
        x = g * np.exp(s)
        y = g * np.exp(-s)
        d = np.concatenate([[u + x[0]], u + y[:-1] + x[1:], [u + y[-1]]])
        return x, y, d

    s = np.zeros(N)
    x, y, d = parts(s)
    F = np.sum(np.log(d))
    for _ in range(max_iter):
        grad = x / d[:-1] - y / d[1:]
        if np.max(np.abs(grad)) < tol:
            break
        H = np.diag(x * (d[:-1] - x) / d[:-1] ** 2 + y * (d[1:] - y) / d[1:] ** 2)
        off = y[:-1] * x[1:] / d[1:-1] ** 2
        H += np.diag(off, 1) + np.diag(off, -1)
        step = -np.linalg.solve(H, grad)
        dec = -grad @ step                       # Newton decrement squared
        if dec < 1e-28:                          # at round-off level: converged
            break
        t = 1.0
        while dec > 1e-10:                       # damped steps far from the optimum, full steps near it
            x_n, y_n, d_n = parts(s + t * step)
            F_n = np.sum(np.log(d_n))
            if F_n <= F + 1e-4 * t * grad @ step:
                break
            t /= 2
            if t < 1e-12:                        # no decrease left above round-off: converged
                return x
        else:
            x_n, y_n, d_n = parts(s + step)
            F_n = np.sum(np.log(d_n))
        s, x, y, d, F = s + t * step, x_n, y_n, d_n, F_n
    else:
        raise RuntimeError(f"optimal_split_cascaded did not converge in {max_iter} Newton steps")
    return x


def max_energy_nr_split(N: int, gamma: float, xi: float = 1.0, omega: float = 1.0) -> tuple[float, float, np.ndarray]:
    """Maximum over ``g_b`` and the splits ``sigma_k`` of the one-way chain's terminal energy.

    ``log E`` is jointly concave in ``(log g_b, log sigma_k)``, so the maximum over ``g_b`` of the
    split-optimised energy (:func:`optimal_split_cascaded`) is a one-dimensional concave search.

    Parameters
    ----------
    N : int
    gamma : float (> 0)
    xi, omega : float

    Returns
    -------
    (g_max, E_max, sigma) : float, float, ndarray
        The optimal coupling, the energy and the optimal splits there.

    References
    ----------
    Zhao et al., Fig. 2(f) (maxima of paper Eq. (3), at ``g_1 = g_2``, for comparison).
    """
    N = _v.count(N)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)

    def neg_log_e(t):
        g = gamma * np.exp(t)
        x = optimal_split_cascaded(N, g, gamma)
        return -(N * _log(2 * g) - np.sum(np.log(_split_dampings(g, gamma / 2, x))))

    res = minimize_scalar(neg_log_e, bounds=(_log(1e-3), _log(10.0 * (N + 1) ** 2)), method="bounded",
                          options={"xatol": 1e-10})
    g = gamma * float(np.exp(res.x))
    x = optimal_split_cascaded(N, g, gamma)
    return g, energy_split_cascaded(N, g, gamma, x, xi, omega), x


def max_over_phases(topology: str, N: int, g_b: float, gamma: float, Gamma: float, *, k: int | None = None,
                    starts: Any = 4, seed: int = 0) -> tuple[np.ndarray, float]:
    """Maximum over the link phases ``theta_1..theta_N`` of a battery's steady energy (explicit triangles).

    Nelder-Mead on ``log E`` (:func:`energy_cascaded_steady` or :func:`energy_parallel_steady`,
    ``g_1 = g_2 = sqrt(g_b Gamma/2)``, equal rates) from several starting phase vectors; the best
    result is returned with its phases wrapped to ``[-pi, pi)``.

    Parameters
    ----------
    topology : {'cascaded', 'parallel'}
    N : int
    g_b, gamma, Gamma : float (> 0)
    k : int, optional
        Battery (default: the terminal battery ``N`` of the chain, battery 1 of the star).
    starts : int or array of shape (m, N)
        Number of random starting vectors (uniform in ``[-pi, pi)``, seeded by ``seed``), or the
        starting vectors themselves.
    seed : int

    Returns
    -------
    (theta, E) : ndarray of shape (N,), float

    References
    ----------
    Zhao et al., Fig. 2(a) (maximum at ``theta_1 = theta_2 = -pi/2``, "verified when extending to
    ... N > 2") and Fig. 3(a) (maximum at ``theta_2 = -pi/2``, ``theta_1 = +-pi/2``).
    """
    from scipy.optimize import minimize

    if topology not in ("cascaded", "parallel"):
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    N = _v.count(N)
    g_b, gamma, Gamma = _v.positive(g_b, "g_b"), _v.positive(gamma, "gamma"), _v.positive(Gamma, "Gamma")
    seed = _v.count(seed, "seed", minimum=0)
    if topology == "cascaded":
        k = N if k is None else _battery(k, N)
        if k != N:
            raise ValueError(f"k must be the terminal battery N = {N} of the chain, got {k}")
        energy = lambda th: energy_cascaded_steady(N, g_b, gamma, Gamma, theta=th)
    else:
        k = 1 if k is None else _battery(k, N)
        energy = lambda th: energy_parallel_steady(N, g_b, gamma, Gamma, theta=th, k=k)
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        x0s = np.random.default_rng(seed).uniform(-np.pi, np.pi, (_v.count(starts, "starts"), N))
    else:
        x0s = _phases(starts, N)
        if x0s.ndim != 2:
            raise ValueError(f"starts must be an integer or an array of shape (m, {N}), got shape {x0s.shape}")
    best = None
    with np.errstate(divide="ignore"):
        for x0 in x0s:
            r = minimize(lambda th: -np.log(energy(th)), x0, method="Nelder-Mead",
                         options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000 * N})
            if best is None or r.fun < best.fun:
                best = r
    theta = np.mod(best.x + np.pi, 2 * np.pi) - np.pi
    return theta, float(energy(theta))


# --------------------------------------------------------------------------------------------
# paper Eq. (4): the reciprocal star, as printed and corrected
# --------------------------------------------------------------------------------------------
def _star_inputs(N, g_b, gamma_c, gamma_b, xi, k, omega):
    N = _v.count(N)
    g = _g(g_b)
    gc = _v.positive(gamma_c, "gamma_c")
    gb = _per_link(gamma_b, N, "gamma_b", positive=True)
    return N, g, gc, gb, _xi(xi), _battery(k, N), _omega(omega)


def energy_r1_parallel_printed(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                               omega: float = 1.0):
    """Paper Eq. (4) exactly as printed (dimensionally inconsistent; kept for the erratum).

    ``16 xi^2 g^2 ({g}/g_k)^2 / (4 g^2 sum_j {g}/g_j + {g})^2`` with ``{g} = gamma_c prod_j gamma_j``;
    dividing numerator and denominator by ``{g}^2`` (which never overflows) gives
    ``16 xi^2 g^2 / (gamma_k^2 (4 g^2 sum_j 1/gamma_j + 1)^2)``: the ``1`` should be ``gamma_c``.

    Parameters
    ----------
    N, g_b, gamma_c, gamma_b, xi, k, omega
        As in :func:`energy_r1_parallel`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., paper Eq. (4) as printed.
    """
    N, g, gc, gb, xi, k, omega = _star_inputs(N, g_b, gamma_c, gamma_b, xi, k, omega)
    amp = 4 * g * xi / (gb[k - 1] * (4 * g ** 2 * np.sum(1 / gb) + 1))
    return _out(omega * amp ** 2)


def energy_r1_parallel(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                       omega: float = 1.0):
    """Steady energy of battery ``b_k`` in the parallel setup, reciprocal case I, paper Eq. (4) corrected.

    ``E_k/omega = 16 xi^2 g^2 ({g}/g_k)^2 / (4 g^2 sum_j {g}/g_j + gamma_c {g})^2``
    with ``{g} = gamma_c prod_j gamma_j``; equivalently
    ``16 g^2 xi^2 / (gamma_k^2 (gamma_c + 4 g^2 sum_j 1/gamma_j)^2)``.  The printed paper Eq. (4)
    lacks the factor ``gamma_c`` in the last term (:func:`energy_r1_parallel_printed`).

    Parameters
    ----------
    N : int
        Number of batteries.
    g_b : float or array
        Coupling strength (>= 0).
    gamma_c : float
        Charger dissipation rate (> 0).
    gamma_b : float or sequence of N floats
        Battery dissipation rates (> 0).
    xi : float
        Real drive amplitude.
    k : int
        Battery (1..N).
    omega : float
        Energy per quantum.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., paper Eq. (4).
    """
    N, g, gc, gb, xi, k, omega = _star_inputs(N, g_b, gamma_c, gamma_b, xi, k, omega)
    amp = 4 * g * xi / (gb[k - 1] * (gc + 4 * g ** 2 * np.sum(1 / gb)))
    return _out(omega * amp ** 2)


# --------------------------------------------------------------------------------------------
# paper Eq. (5): the one-way star; any phase; case II
# --------------------------------------------------------------------------------------------
def energy_nr_parallel(N: int, g_b: Any, gamma_c: float, gamma_b: Any, xi: float = 1.0, k: int = 1,
                       omega: float = 1.0):
    """Steady energy of battery ``b_k``, nonreciprocal parallel charging, paper Eq. (5) (as printed; correct).

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
    Zhao et al., paper Eq. (5).
    """
    N, g, gc, gb, xi, k, omega = _star_inputs(N, g_b, gamma_c, gamma_b, xi, k, omega)
    amp = 8 * xi * g / ((2 * g + gb[k - 1]) * (2 * N * g + gc))
    return _out(omega * amp ** 2)


def energy_parallel_steady(N: int, g_b: float, gamma: float, Gamma: float, theta: Any = None, xi: float = 1.0,
                           *, k: int = 1, g1: Any = None, g2: Any = None, omega: float = 1.0):
    """Steady energy of battery ``b_k`` of the explicit parallel network, any phases.

    ``x_k = -f_k x_c / d_k``, ``x_c (d_c - sum_j f_j h_j / d_j) = -i xi`` after the exact
    elimination of the intermediate modes.

    Parameters
    ----------
    N, g_b, gamma, Gamma, xi, g1, g2, omega
        As in :func:`parallel_network` (equal rates ``gamma``; ``Gamma > 0``).
    theta : float, sequence of N floats, or array of shape (..., N), optional
        Phases (default ``-pi/2``).
    k : int
        Battery (1..N).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., ``H_p``; reduces to paper Eq. (5) at ``theta_k = -pi/2``.
    """
    N = _v.count(N)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    g_b, Gamma, _, G1, G2, _ = _links(N, g_b, Gamma, None, "nr", g1, g2)
    if Gamma == 0:
        raise ValueError("Gamma must be > 0 for the intermediate modes")
    k = _battery(k, N)
    th = np.full(N, -np.pi / 2) if theta is None else _phases(theta, N)
    dc = gamma / 2 + np.sum(2 * G1 ** 2 / Gamma)
    db = gamma / 2 + 2 * G2 ** 2 / Gamma
    f, h = _eff_link(g_b, th, G1, G2, Gamma)
    load = dc - np.sum(f * h / db, axis=-1)
    return _out(omega * (np.abs(f[..., k - 1]) * abs(xi) / (db[k - 1] * np.abs(load))) ** 2)


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
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    den = (gamma / 2 + N * g) * (gamma / 2 + g)
    return _out(omega * 2 * (g * xi / den) ** 2 / (1 + (2 * N * g ** 2 / den) ** 2))


def parallel_gain_window(N: int) -> tuple[float, float]:
    """The couplings where the one-way star stores *less* than the reciprocal star (case I).

    From paper Eq. (5) and the corrected paper Eq. (4) with equal rates,
    ``sqrt(G_N1) - 1 = (2x - 1)(2Nx - 1) / ((2x + 1)(2Nx + 1))`` with ``x = g_b/gamma``
    (:func:`nrqb.papers.zhao_sym.parallel_gain_sign`), so ``G_N1 < 1`` exactly for
    ``1/(2N) < x < 1/2``.  For ``N >= 6`` the window reaches into the paper's weak-interaction
    regime ``g_b/gamma <= 0.1``.  Physically: the ``N`` lossy intermediate modes load the charger with
    the damping ``N g_b`` (first order in ``g_b``), the reciprocal batteries only with ``4 N g_b^2/gamma``.

    Parameters
    ----------
    N : int
        Number of batteries of the star.

    Returns
    -------
    (x_lo, x_hi) : tuple of float
        ``(1/(2N), 1/2)``; empty (``x_lo = x_hi``) for ``N = 1``.

    References
    ----------
    Zhao et al., paper Eqs. (4), (5) and the text after Fig. 3 ("substantial improvement of stored
    energy ... in weak interaction regime"; "the same charging gain, regardless of the value of N").
    """
    N = _v.count(N)
    return 1.0 / (2 * N), 0.5


def optimal_uniform_split(topology: str, N: int, g_b: float, gamma: float) -> float:
    """Source damping ``sigma`` of the best one-way network with the **same** split on every link.

    On the one-way manifold (``theta_k = -pi/2``, ``2 g_1^{(k)} g_2^{(k)}/Gamma = g_b``) each link adds
    ``sigma = 2 g_1^2/Gamma`` to its source and ``g_b^2/sigma`` to its destination.  This function
    maximises the energy of the terminal battery (chain, :func:`energy_split_cascaded`) or of battery
    ``b_1`` (star, :func:`energy_split_parallel`) over a common ``sigma``, by a bounded
    one-dimensional search in ``log(sigma/g_b)`` on ``[-12, 12]``.  It knows no closed form: for the
    chain the optimum is ``sigma = g_b`` (the paper's ``g_1 = g_2``; the load
    ``(v + rho)(v + 1/rho)(v + rho + 1/rho)^{N-1}``, :func:`nrqb.papers.zhao_sym.uniform_split_load`, is
    invariant under ``rho -> 1/rho`` and log-convex), for the star it is ``g_b/sqrt(N)``
    (:func:`optimal_split_parallel`).

    Parameters
    ----------
    topology : {'cascaded', 'parallel'}
    N : int
        Number of batteries.
    g_b : float (> 0)
    gamma : float (> 0)
        Rate of the charger and of every battery.

    Returns
    -------
    float
        The optimal common ``sigma``.

    References
    ----------
    Zhao et al., text before Fig. 2: ``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)`` "to optimize the
    steady-state energy of the terminal battery".
    """
    if topology not in ("cascaded", "parallel"):
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    N = _v.count(N)
    g, gamma = _v.positive(g_b, "g_b"), _v.positive(gamma, "gamma")
    if topology == "cascaded":
        f = lambda s: -np.log(energy_split_cascaded(N, g, gamma, np.full(N, g * np.exp(s))))  # noqa: E731
    else:
        f = lambda s: -np.log(energy_split_parallel(N, g, gamma, np.full(N, g * np.exp(s))))  # noqa: E731
    res = minimize_scalar(f, bounds=(-12.0, 12.0), method="bounded", options={"xatol": 1e-11})
    return float(g * np.exp(res.x))


def optimal_split_parallel(N: int, g_b: float) -> float:
    """Source damping ``sigma = g_b/sqrt(N)`` of the best one-way star with the same split on every link.

    On the one-way manifold (``theta_k = -pi/2``, ``2 g_1 g_2/Gamma = g_b``) each link adds
    ``sigma = 2 g_1^2/Gamma`` to the charger and ``g_b^2/sigma`` to its battery; every battery's
    amplitude ``2 g_b xi / [(gamma/2 + N sigma)(gamma/2 + g_b^2/sigma)]`` is largest at
    ``sigma = g_b/sqrt(N)``, independently of ``gamma`` (:func:`nrqb.papers.zhao_sym.star_split_optimum`).
    The paper's ``g_1 = g_2`` is ``sigma = g_b``, the optimum for ``N = 1`` only.

    Parameters
    ----------
    N : int
    g_b : float (> 0)

    Returns
    -------
    float
        ``sigma``; the couplings follow from :func:`split_couplings`.

    References
    ----------
    Zhao et al., the choice ``g_1^{(k)} = g_2^{(k)} = sqrt(g_b Gamma/2)`` and paper Eq. (5).
    """
    N = _v.count(N)
    return _v.positive(g_b, "g_b") / np.sqrt(N)


def energy_split_parallel(N: int, g_b: float, gamma: float, sigma: Any, xi: float = 1.0, k: int = 1,
                          omega: float = 1.0) -> float:
    """Steady energy of battery ``b_k`` of a one-way star whose link ``j`` adds ``sigma_j`` to the charger.

    Every link on the one-way manifold (forward coupling ``-2 g_b``, no backflow) adds ``sigma_j`` to
    the damping of the charger and ``g_b^2/sigma_j`` to that of its battery (equal rates ``gamma``):
    ``E_k/omega = xi^2 (2 g_b)^2 / [(gamma/2 + sum_j sigma_j)^2 (gamma/2 + g_b^2/sigma_k)^2]``.
    ``sigma_j = g_b`` gives paper Eq. (5).

    Parameters
    ----------
    N : int
    g_b : float (> 0)
    gamma : float (> 0)
    sigma : float or sequence of N floats (> 0)
    xi : float
    k : int
        Battery (1..N).
    omega : float

    Returns
    -------
    float

    References
    ----------
    Zhao et al., paper Eq. (5) and the choice ``g_1 = g_2`` before it.
    """
    N = _v.count(N)
    g, gamma = _v.positive(g_b, "g_b"), _v.positive(gamma, "gamma")
    sigma = _per_link(sigma, N, "sigma", positive=True)
    xi, k, omega = _xi(xi), _battery(k, N), _omega(omega)
    amp = 2 * g * xi / ((gamma / 2 + np.sum(sigma)) * (gamma / 2 + g * g / sigma[k - 1]))
    return float(omega * amp ** 2)


# --------------------------------------------------------------------------------------------
# gains (exact at g -> 0, where E^nr and E^r vanish together), beside the printed weak forms
# --------------------------------------------------------------------------------------------
def gain_cascaded(N: int, g_b: Any, gamma: float, reference: str = "r1"):
    """Gains ``G_N1 = E_N^nr / E_N^r1`` or ``G_N2 = E_N^nr / E_N^r2`` of the cascaded setup.

    Written with the factor ``g^{2N}`` cancelled and the powers of two applied exactly, so the
    value at ``g_b = 0`` is the exact limit (``2^{2N}`` and ``2^N``):
    ``G_N1 = 4^N [D_{N+1}/u^{N+1}]^2 (gamma/(gamma+2g))^4 (gamma/(gamma+4g))^{2N-2}`` (``u = gamma/2``)
    and ``G_N2`` likewise with ``2^N`` and the case-II continuant.

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
    Zhao et al., text after paper Eq. (3): ``G_N1|_{g->0} = 2^{2N}``, ``G_N2 -> 2^N``.
    """
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    if reference == "r1":
        return _out(np.ldexp(np.exp(2 * (_r1_logs(N, g, gamma)[0] + _log_rel_nr_den(N, g, gamma))), 2 * N))
    if reference == "r2":
        return _out(np.ldexp(np.exp(2 * (_r2_log_rel(N, g, gamma) + _log_rel_nr_den(N, g, gamma))), N))
    raise ValueError(f"reference must be 'r1' or 'r2', got {reference!r}")


def gain_parallel(N: int, g_b: Any, gamma: float, reference: str = "r1"):
    """Gains ``G_N1``, ``G_N2`` of the parallel setup (equal rates), exact at ``g_b = 0``.

    ``G_N1 = [2 (4 N g^2 + gamma^2) / ((2g + gamma)(2Ng + gamma))]^2`` (from paper Eqs. (4),
    corrected, and (5)); ``G_N2 = 2 + 2 [2 N g^2 / ((gamma/2 + Ng)(gamma/2 + g))]^2``.

    Parameters
    ----------
    N, g_b, gamma, reference
        As in :func:`gain_cascaded`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., text after paper Eq. (5): ``G_N1 -> 4``, ``G_N2 -> 2``.
    """
    N = _v.count(N)
    g = _g(g_b)
    gamma = _v.positive(gamma, "gamma")
    if reference == "r1":
        return _out((2 * (4 * N * g ** 2 + gamma ** 2) / ((2 * g + gamma) * (2 * N * g + gamma))) ** 2)
    if reference == "r2":
        return _out(2 + 2 * (2 * N * g ** 2 / ((gamma / 2 + N * g) * (gamma / 2 + g))) ** 2)
    raise ValueError(f"reference must be 'r1' or 'r2', got {reference!r}")


def gain_weak_cascaded(N: int, x: Any):
    """The paper's weak-coupling form ``G_N1 ~ [2^N / (4 N x + 1)]^2`` with ``x = g_b/gamma`` (as printed).

    Evaluated as ``4^N / (4 N x + 1)^2`` with the power of two applied exactly.

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
    Zhao et al., text after Fig. 2 (``G_31 ~ [8/(12x+1)]^2``, ``G_41 ~ [16/(16x+1)]^2``,
    ``G_N1 ~ [2^N/(4Nx+1)]^2``).
    """
    N = _v.count(N)
    x = _v.rates(x, "x")
    return _out(np.ldexp(1 / (4 * N * x + 1) ** 2, 2 * N))


def gain_weak_parallel(N: int, x: Any):
    """The paper's weak-coupling form ``G_N1 ~ [2 / ((2N + 2) x + 1)]^2`` of the star (as printed).

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
    N = _v.count(N)
    x = _v.rates(x, "x")
    return _out((2 / ((2 * N + 2) * x + 1)) ** 2)


def gain_growth_per_battery(x: Any):
    """Factor by which the chain's gain ``G_N1`` grows per added battery, for large ``N`` at fixed ``x``.

    ``G_{N+1,1}/G_{N1} -> [(1 + sqrt(1 + 16 x^2))/(1 + 4 x)]^2`` with ``x = g_b/gamma``
    (:func:`nrqb.papers.zhao_sym.r1_growth`: the reciprocal continuant grows like
    ``lambda_+^N``, ``lambda_+ = gamma/4 + sqrt(gamma^2/16 + g_b^2)``, the one-way amplitude
    falls by ``4 g_b/(gamma + 4 g_b)`` per battery).  It exceeds 1 at every ``x > 0`` (4 at
    ``x -> 0``, 2.20 at ``x = 0.1``, 1.05 at ``x = 1``): the gain grows exponentially with ``N``
    at any fixed coupling, after an odd-even transient that decays like
    ``[(sqrt(1 + 16 x^2) - 1)/(sqrt(1 + 16 x^2) + 1)]^N``.

    Parameters
    ----------
    x : float or array
        ``g_b/gamma`` (>= 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Zhao et al., abstract: "an exponentially increasing gain in the battery energy as the charging
    distance lengthens"; paper Eqs. (2), (3).
    """
    x = _v.rates(x, "x")
    return _out(((1 + np.hypot(1, 4 * x)) / (1 + 4 * x)) ** 2)


def weak_form_validity(N: int, rel: float = 0.1, topology: str = "cascaded") -> float:
    """Largest ``x = g_b/gamma`` up to which the paper's weak-coupling form is within ``rel`` of the exact gain.

    The first ``x`` at which ``|G_weak/G_N1 - 1| = rel``, with ``G_weak`` = :func:`gain_weak_cascaded`
    or :func:`gain_weak_parallel` and ``G_N1`` = :func:`gain_cascaded` or :func:`gain_parallel`
    (both agree to first order in ``x``); found on a logarithmic grid of 400 points in
    ``[1e-6, 10]`` and refined by Brent's method.

    Parameters
    ----------
    N : int
    rel : float
        Relative tolerance, ``0 < rel``.
    topology : {'cascaded', 'parallel'}

    Returns
    -------
    float
        ``inf`` if the deviation stays below ``rel`` on the whole grid.

    References
    ----------
    Zhao et al., ``G_N1 ~ [2^N/(4 N x + 1)]^2`` (chain) and ``[2/((2N + 2) x + 1)]^2`` (star), stated
    "in the weak interaction limit".
    """
    N = _v.count(N)
    rel = _v.positive(rel, "rel")
    if topology == "cascaded":
        f = lambda x: np.abs(gain_weak_cascaded(N, x) / gain_cascaded(N, x, 1.0) - 1) - rel  # noqa: E731
    elif topology == "parallel":
        f = lambda x: np.abs(gain_weak_parallel(N, x) / gain_parallel(N, x, 1.0) - 1) - rel  # noqa: E731
    else:
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    grid = np.geomspace(1e-6, 10.0, 400)
    vals = f(grid)
    above = np.nonzero(vals > 0)[0]
    if above.size == 0:
        return float("inf")
    i = int(above[0])
    if i == 0:
        return float(grid[0])
    return float(brentq(lambda x: float(f(x)), grid[i - 1], grid[i], xtol=1e-14))


def crossing_r1_r2(N: int, lo: float = 0.02, hi: float = 0.5) -> float:
    """``g_b/gamma`` at which ``E_N^{r1} = E_N^{r2}`` in the chain, i.e. ``G_N1 = G_N2``.

    Below it the reciprocal chain without intermediate modes charges less than the one with them
    (``E^{r1} < E^{r2}``), so ``G_N1 > G_N2``.  Independent of ``gamma`` and ``Gamma``.

    Parameters
    ----------
    N : int
        Number of batteries.
    lo, hi : float
        Bracket in ``g_b/gamma`` (``0 < lo < hi``; the ratio must change sign in it).

    Returns
    -------
    float

    References
    ----------
    Zhao et al., text after Fig. 2: "``G_N1 > G_N2`` ... ``g_b/gamma < 0.12``" and
    "``E_N^{r1} < E_N^{r2}`` when ``g_b/gamma < 0.1``".
    """
    N = _v.count(N)
    lo, hi = _v.positive(lo, "lo"), _v.positive(hi, "hi")
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got lo={lo}, hi={hi}")

    def f(u):
        # log(E^r1/E^r2)/2 = log|D^II| - log D^I - (N/2) log 2 (both continuants relative to u^{N+1})
        return float(_r2_log_rel(N, np.asarray(u), 1.0) - _r1_logs(N, np.asarray(u), 1.0)[0] - 0.5 * N * _log(2.0))

    if f(lo) * f(hi) > 0:
        raise ValueError(f"E^r1/E^r2 - 1 does not change sign in [{lo}, {hi}] for N={N}")
    return float(brentq(f, lo, hi, xtol=1e-14))


def crossing_r1_r2_limit() -> float:
    """``lim_{N -> inf}`` of :func:`crossing_r1_r2`: where the two reciprocal chains decay equally fast.

    Far from the charger each battery of a long chain multiplies the amplitude by
    ``g_b/lambda_I`` (case I) or ``sqrt(2) g_b/|lambda_II|`` (case II), with ``lambda`` the dominant
    root of the continuant recurrence: ``lambda_I = (u + sqrt(u^2 + 4 g^2))/2`` and
    ``lambda_II^2 - (u + 2g) lambda_II + 2 i g^2 = 0`` (``u = gamma/2``; case-II links
    ``-(i g_b + g_b)``).  The crossing tends to the ``x = g_b/gamma`` where ``|lambda_II| = sqrt(2) lambda_I``.

    Returns
    -------
    float
        About 0.122.

    References
    ----------
    Zhao et al., text after Fig. 2: "``G_N1 > G_N2`` ... ``g_b/gamma < 0.12``".
    """
    def f(x):
        lam1 = (0.5 + np.hypot(0.5, 2 * x)) / 2
        d = 0.5 + 2 * x
        r = np.sqrt(complex(d * d, -8 * x * x))
        lam2 = max(abs((d + r) / 2), abs((d - r) / 2))
        return _log(lam2) - _log(np.sqrt(2) * lam1)

    return float(brentq(f, 0.02, 0.5, xtol=1e-15))


# --------------------------------------------------------------------------------------------
# Fig. 2(f): optimal coupling, maxima, fitted slope, and the large-N limit
# --------------------------------------------------------------------------------------------
def g_opt_nr(N: int, gamma: float) -> float:
    """Coupling that maximises paper Eq. (3): ``g_b^opt = [N + sqrt(N (8 + N))] gamma / 8``.

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
    N = _v.count(N)
    gamma = _v.positive(gamma, "gamma")
    return (N + np.sqrt(N * (8 + N))) * gamma / 8


def max_energy_r1_cascaded(N: int, gamma: float, xi: float = 1.0, omega: float = 1.0) -> tuple[float, float]:
    """Maximum over ``g_b`` of the reciprocal-I terminal energy (odd N only: even N saturates).

    Parameters
    ----------
    N : int
        Odd number of batteries.
    gamma : float (> 0)
    xi, omega : float

    Returns
    -------
    (g_max, E_max) : tuple of float

    References
    ----------
    Zhao et al., Fig. 2(f).
    """
    N = _v.count(N)
    if N % 2 == 0:
        raise ValueError(f"E_N^r1 has no maximum in g_b for even N (it saturates); got N={N}")
    gamma = _v.positive(gamma, "gamma")
    xi, omega = _xi(xi), _omega(omega)
    res = minimize_scalar(lambda t: -float(_r1_logs(N, np.exp(t), 1.0)[1]),
                          bounds=(_log(1e-3), _log(10 * N + 10)), method="bounded",
                          options={"xatol": 1e-11})
    g = gamma * float(np.exp(res.x))
    return g, float(energy_r1_cascaded(N, g, gamma, xi, omega))


def max_energy_ratio(N: int) -> float:
    """``E_max^nr / E_max^r1`` of the chain for odd ``N`` (maxima over ``g_b``; independent of ``gamma``).

    ``E_max^nr`` is paper Eq. (3) at :func:`g_opt_nr` (``g_1 = g_2``); ``E_max^r1`` is
    :func:`max_energy_r1_cascaded`.

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
    N = _v.count(N)
    return float(energy_nr_cascaded(N, g_opt_nr(N, 1.0), 1.0) / max_energy_r1_cascaded(N, 1.0)[1])


def log_slope_fit(N_max: int, N_min: int = 1) -> tuple[float, np.ndarray, np.ndarray]:
    """Least-squares slope ``s`` of ``E_max^nr/E_max^r1 = 1 + s ln N`` over odd ``N_min <= N <= N_max``.

    The intercept is fixed at 1 (the two maxima are equal at ``N = 1``), as in the paper's form
    ``1 + 0.062 ln N``: ``s = sum ln N (r - 1) / sum (ln N)^2``.  The result depends on the range.

    Parameters
    ----------
    N_max : int
        Largest odd ``N`` of the fit (>= 3).
    N_min : int
        Smallest odd ``N`` (default 1).

    Returns
    -------
    (s, N, ratio) : float, ndarray, ndarray

    References
    ----------
    Zhao et al., Fig. 2(f) and the text before it.
    """
    N_max = _v.count(N_max, "N_max", minimum=3)
    N_min = _v.count(N_min, "N_min")
    if N_min % 2 == 0 or N_max % 2 == 0:
        raise ValueError(f"N_min and N_max must be odd, got {N_min}, {N_max}")
    if N_max - N_min < 2:
        raise ValueError(f"N_max must exceed N_min by at least 2, got {N_min}, {N_max}")
    Ns = np.arange(N_min, N_max + 1, 2)
    r = np.array([max_energy_ratio(int(n)) for n in Ns])
    L = np.log(Ns)
    return float(np.sum(L * (r - 1)) / np.sum(L ** 2)), Ns, r


def max_energy_ratio_limit() -> float:
    """``lim_{N -> inf} E_max^nr / E_max^r1 = (2 sinh(y*) / e)^2``, where ``y* tanh y* = 1``.

    For large ``N`` the optimal couplings grow like ``N``; with ``g = N gamma s`` the one-way
    amplitude becomes ``(2 xi/(N gamma s)) e^{-1/(4s)}`` (maximum ``8 xi/(e N gamma)`` at
    ``s = 1/4``) and the reciprocal one ``xi / (N gamma s cosh(1/(4s)))`` (maximum
    ``4 xi/(N gamma sinh y*)`` at ``1/(4s) = y*``).  Their ratio tends to a constant: the ratio of
    maxima does not grow like ``ln N``.

    Returns
    -------
    float
        About 1.2325.

    References
    ----------
    Zhao et al., Fig. 2(f): "``E_max^nr/E_max^r1 ~ 1 + 0.062 ln N``".
    """
    y = brentq(lambda t: t * np.tanh(t) - 1.0, 0.5, 2.0, xtol=1e-15)
    return float((2 * np.sinh(y) / np.e) ** 2)


# --------------------------------------------------------------------------------------------
# charging power P(t) = E(t)/t
# --------------------------------------------------------------------------------------------
def _mode(net: Any, mode: Any) -> int:
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    if isinstance(mode, bool) or not isinstance(mode, (int, np.integer)) or not 0 <= mode < net.n_modes:
        raise ValueError(f"mode must be an integer in [0, {net.n_modes}), got {mode!r}")
    return int(mode)


def charging_power(net: LinearNetwork, mode: int, t: Any) -> np.ndarray:
    """Average charging power ``P(t) = E(t)/t`` of one mode, with its limit at ``t = 0``.

    This is the paper's definition (not the instantaneous ``dE/dt`` of
    :meth:`LinearNetwork.power`).  At ``t = 0`` the ratio is replaced by its limit: if the mode
    starts empty (``E(0) = 0``) the limit is ``dE/dt(0)``, taken from the engine's
    :meth:`LinearNetwork.power` (zero for a coherent drive from the vacuum, ``omega n_th kappa``
    for a mode in contact with a thermal bath); if ``E(0) > 0`` (``alpha0`` set) it is ``+inf``.

    Parameters
    ----------
    net : LinearNetwork
    mode : int
        Mode index (see :func:`battery_index`).
    t : array_like
        Times (finite, >= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Zhao et al., "Charging power" paragraph: ``P(t) = E(t)/t``.
    """
    mode = _mode(net, mode)
    t = _v.times(t, nonnegative=True, one_d=True)
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


def small_time_power(net: LinearNetwork, mode: int) -> tuple[int, float]:
    """Leading term ``P(t) ~ C t^{2m-1}`` of the average power of an empty mode at zero temperature.

    From the vacuum, ``d alpha/dt = A alpha - i F`` gives ``alpha(t) = sum_{k>=1} A^{k-1} (-i F) t^k / k!``
    (Taylor series of the drift matrix and the drive, no time propagation); the first ``k = m`` with
    ``(A^{m-1} F)_j != 0`` gives ``E_j(t) ~ omega_j |(A^{m-1} F)_j|^2 t^{2m} / (m!)^2``.  So
    ``P(t) = E/t -> 0`` as ``t -> 0`` for every driven empty mode: an independent route to
    :func:`charging_power` at ``t = 0``.  ``m - 1`` is the number of links between the drive and
    the mode.

    Parameters
    ----------
    net : LinearNetwork
        Without thermal or squeezed noise and starting from the vacuum.
    mode : int

    Returns
    -------
    (m, C) : int, float
        ``P(t) = C t^{2m-1} (1 + O(t))``.

    References
    ----------
    Zhao et al., "Charging power" paragraph: ``P(t) = E(t)/t``, maximised at short times.
    """
    mode = _mode(net, mode)
    if net.has_noise:
        raise ValueError("net must have no thermal or squeezed noise (then E(t) ~ t and P(0) > 0)")
    if np.any(net.amplitudes([0.0])[0] != 0):
        raise ValueError("net must start from the vacuum (alpha0 = 0)")
    A, v = net.drift, -1j * net.drive
    if not np.any(v != 0):
        raise ValueError("net has no drive: E(t) = 0 at all times")
    fact = 1.0
    for m in range(1, net.n_modes + 1):
        fact *= m
        if v[mode] != 0:                 # the first structurally non-zero coefficient
            return m, float(net.omega[mode] * abs(v[mode]) ** 2 / fact ** 2)
        v = A @ v
    raise ValueError(f"mode {mode} is not reached by the drive")


def max_power(net: LinearNetwork, mode: int, t_max: float, n_grid: int = 120) -> tuple[float, float]:
    """Largest ``P(t) = E(t)/t`` over ``t_lo <= t <= t_max``, compared with the limit ``t -> 0``.

    A logarithmic grid of ``n_grid`` times from ``t_lo = min(1e-4 t_max, 1e-3/||A||)`` (``||A||``
    the largest modulus of the drift's entries; below it ``E(t)/t`` is within about 0.1 % of its
    first Taylor terms) to ``t_max``, then a bounded refinement around the best grid point.  The
    limit ``P(0+)`` (:func:`charging_power` at ``t = 0``) is a candidate too: if it is the largest,
    the supremum is not attained and ``t_star = 0`` is returned.  A peak narrower than the grid
    spacing, or one below ``t_lo`` that exceeds both ``P(t_lo)`` and ``P(0+)``, would be missed.

    Parameters
    ----------
    net : LinearNetwork
    mode : int
    t_max : float (> 0)
        Upper end of the search.
    n_grid : int (>= 3)
        Points of the coarse logarithmic grid.

    Returns
    -------
    (t_star, P_max) : tuple of float

    References
    ----------
    Zhao et al., Figs. 4(c)-(d): ``P_max`` is obtained by optimising ``t``.
    """
    mode = _mode(net, mode)
    t_max = _v.positive(t_max, "t_max")
    n_grid = _v.count(n_grid, "n_grid", minimum=3)
    t_lo = min(1e-4 * t_max, 1e-3 / max(np.max(np.abs(net.drift)), 1e-300))
    grid = np.geomspace(t_lo, t_max, n_grid)
    P = charging_power(net, mode, grid)
    i = int(np.argmax(P))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, n_grid - 1)]
    res = minimize_scalar(lambda s: -charging_power(net, mode, [np.exp(s)])[0],
                          bounds=(np.log(lo), np.log(hi)), method="bounded", options={"xatol": 1e-9})
    ts, Ps = float(np.exp(res.x)), float(-res.fun)
    if Ps < P[i]:
        ts, Ps = float(grid[i]), float(P[i])
    P0 = float(charging_power(net, mode, [0.0])[0])
    if P0 > Ps:
        return 0.0, P0
    return ts, Ps


def power_gains(topology: str, N: int, g_b: float, gamma: float, Gamma: float, t_max: float,
                xi: float = 1.0) -> np.ndarray:
    """Gains of the maximal average power, ``(eta_N1, eta_N2) = P_max^nr / (P_max^r1, P_max^r2)``.

    Each ``P_max`` is :func:`max_power` of ``P(t) = E(t)/t`` for the terminal battery ``b_N`` of
    the chain, or for battery ``b_1`` of the star (all batteries of the star are equivalent, so the
    ratios are those of the total power too).  Engine with explicit intermediate modes.

    Parameters
    ----------
    topology : {'cascaded', 'parallel'}
    N : int
        Number of batteries.
    g_b, gamma, Gamma : float
        As in :func:`cascaded_network` (``g_b > 0``).
    t_max : float
        Upper end of the search in time (> 0).
    xi : float
        Drive amplitude (the ratios do not depend on it; nonzero).

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
    N = _v.count(N)
    _v.positive(g_b, "g_b")
    if _xi(xi) == 0:
        raise ValueError("xi must be nonzero (the powers vanish and their ratios are undefined)")
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
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"x must be three real numbers, got {x!r}") from exc
    if x.shape != (3,) or not np.all(np.isfinite(x)) or x[0] <= 0 or not np.allclose(x, x[0] * np.arange(1, 4)):
        raise ValueError(f"x must be three equally spaced positive values (h, 2h, 3h), got {x!r}")
    gamma = _v.positive(gamma, "gamma")
    e = [power_gains(topology, N, xk * gamma, gamma, Gamma, t_max) for xk in x]
    return 3 * e[0] - 3 * e[1] + e[2]


def _leading_order_drift(topology: str, N: int, case: str, gamma: float, Gamma: float):
    """Drift, drive and battery index of the ``g_b -> 0`` model: every backward entry dropped.

    Modes ``c, (a_1,) b_1, (a_2,) b_2, ...``; couplings at the scale ``g_b = gamma`` (each energy is
    then ``g_b^{2N}`` times a function of time, so the power ratios do not depend on the scale).
    To leading order in ``g_b`` a battery is driven by its source and nothing acts back: the
    damping added by the triangles (order ``g_b``) and every backward coupling (order ``g_b`` after
    a round trip) are dropped, which leaves a lower-triangular drift.
    """
    g = gamma
    n_per = 1 if case == "r1" else 2
    M = 1 + n_per * N
    A = np.zeros((M, M), complex)
    A[0, 0] = -gamma / 2
    phase = {"nr": -1j, "r1": 1.0, "r2": 1.0}[case]          # e^{i theta}: -pi/2, none, 0
    g12 = np.sqrt(g * Gamma / 2)
    b_index = {}
    for k in range(1, N + 1):
        b = n_per * k
        src = 0 if (topology == "parallel" or k == 1) else b_index[k - 1]
        A[b, b] = -gamma / 2
        A[b, src] += -1j * g * phase
        if case != "r1":
            a = b - 1
            A[a, a] = -Gamma / 2
            A[a, src] += -1j * g12
            A[b, a] += -1j * g12
        b_index[k] = b
    F = np.zeros(M, complex)
    F[0] = -1j
    return A, F, b_index[N if topology == "cascaded" else 1]


def power_gains_leading_order(topology: str, N: int, gamma: float, Gamma: float) -> np.ndarray:
    """``lim_{g_b -> 0}`` of :func:`power_gains`, exactly, from the leading-order one-way model.

    To leading order in ``g_b`` every battery is driven by its source with no back-action (the
    drift is lower triangular, with the intermediate modes explicit);
    the amplitudes scale as ``g_b^N`` and the ratio of the maximal powers ``|b(t)|^2/t`` is the
    limit.  The trajectories come from the matrix exponential of the augmented drift (SciPy's
    ``expm``, not the engine), the maxima from a grid in ``gamma t`` and a bounded refinement.
    Case I is ``b_N(t) = -i^{N+1} xi g_b^N (2/gamma)^{N+1} P(N+1, gamma t/2)`` (regularised
    incomplete gamma function); with ``Gamma -> inf`` the one-way amplitude is ``2^N`` times it, so
    ``eta_N1 -> 4^N``, ``eta_N2 -> 2^N``; at finite ``Gamma`` the intermediate modes filter the
    transfer and ``eta_N1`` is smaller by a relative ``O(gamma/Gamma)``, ``eta_N2`` by ``O((gamma/Gamma)^2)``.

    Parameters
    ----------
    topology : {'cascaded', 'parallel'}
    N : int
        Number of batteries (the star's limit does not depend on it).
    gamma, Gamma : float (> 0)
        Rates of the system modes and of the intermediate modes.

    Returns
    -------
    ndarray, shape (2,)
        ``[eta_N1, eta_N2]`` at ``g_b -> 0``.

    References
    ----------
    Zhao et al., text after Fig. 4: "the upper bound of ``eta_N1`` (``eta_N2``) is ``2^{2N}``
    (``2^N``), which is exactly the same as the maximum of ... ``G_N1`` (``G_N2``)".
    """
    from scipy.linalg import expm

    if topology not in ("cascaded", "parallel"):
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    N = _v.count(N)
    gamma, Gamma = _v.positive(gamma, "gamma"), _v.positive(Gamma, "Gamma")
    n_links = N if topology == "cascaded" else 1

    def p_max(case):
        A, F, m = _leading_order_drift(topology, N, case, gamma, Gamma)
        M = len(F)
        B = np.zeros((M + 1, M + 1), complex)
        B[:M, :M], B[:M, M] = A, F
        power = lambda gt: abs(expm(B * (gt / gamma))[m, M]) ** 2 / gt  # noqa: E731  (units of gamma)
        grid = np.geomspace(0.05, 20.0 * (n_links + 2), 160)
        P = np.array([power(v) for v in grid])
        i = int(np.argmax(P))
        res = minimize_scalar(lambda v: -power(v), bounds=(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]),
                              method="bounded", options={"xatol": 1e-10})
        return max(-res.fun, P[i])

    P = {c: p_max(c) for c in CASES}
    return np.array([P["nr"] / P["r1"], P["nr"] / P["r2"]])


# --------------------------------------------------------------------------------------------
# the explorer (Binder/Colab): charging curves of the three chains
# --------------------------------------------------------------------------------------------
def explore_chain(N: int = 3, g_over_gamma: float = 0.1, Gamma_over_gamma: float = 1.0, *,
                  gamma: float = 0.1, t_max: float = 600.0):
    """Plot ``E_N(t)`` of the terminal battery of the three chains (the chapter's explorer).

    Engine with explicit intermediate modes, ``xi = omega = 1``; the dotted line is paper Eq. (3).

    Parameters
    ----------
    N : int
    g_over_gamma, Gamma_over_gamma : float (> 0)
    gamma : float (> 0)
    t_max : float (> 0)
        Last time of the curves (units of 1/omega).

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    Zhao et al., Figs. 2(b)-(c) (steady values) and Fig. 3(d) (charging in time, for the star).
    """
    import matplotlib.pyplot as plt

    N = _v.count(N)
    gamma = _v.positive(gamma, "gamma")
    g = _v.positive(g_over_gamma, "g_over_gamma") * gamma
    Gam = _v.positive(Gamma_over_gamma, "Gamma_over_gamma") * gamma
    t = np.linspace(0, _v.positive(t_max, "t_max"), 151)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    styles = {"nr": ("nonreciprocal", "-"), "r1": (r"reciprocal I (no $a_k$)", "--"),
              "r2": (r"reciprocal II ($\theta_k = 0$)", "-.")}
    for c in CASES:
        ax.plot(t, cascaded_network(N, g, gamma, Gam, case=c).energies(t)[:, N], ls=styles[c][1], label=styles[c][0])
    ax.axhline(float(energy_nr_cascaded(N, g, gamma)), color="0.5", ls=":", label="paper Eq. (3)")
    ax.set_xlabel(r"$\omega t$")
    ax.set_ylabel(rf"$E_{{{N}}}(t)/\omega$")
    in_gamma = lambda v: r"\gamma" if v == 1 else rf"{v:.3g}\,\gamma"  # noqa: E731
    ax.set_title(rf"$N = {N}$, $g_b = {in_gamma(g / gamma)}$, $\Gamma = {in_gamma(Gam / gamma)}$, "
                 rf"$\gamma = {gamma:g}\,\omega$, $\xi = \omega$", fontsize=10)
    ax.legend(loc="center right")
    return fig
