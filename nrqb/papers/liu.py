"""Liu et al. (2026): cascaded and parallel quantum-battery networks, reciprocal and nonreciprocal.

B.-B. Liu, R. Chen, J.-L. Wu, G. Chen and S.-L. Su, "Connection-topology-dependent energy transport
and ergotropy in quantum battery networks with reciprocal and nonreciprocal couplings" (2026).

This module holds

* model builders that map the paper's master equation, Eq. (2) with the Hamiltonians Eq. (1)
  (cascaded) and Eq. (6) (parallel), and its thermal/squeezed versions Eqs. (15)-(16), onto
  :class:`nrqb.LinearNetwork` for any battery number ``N``;
* the paper's closed forms, transcribed once, with their equation numbers: the time-dependent
  cascaded energy Eq. (3) (with its sign corrected, see :func:`cascade_energy`), the steady
  energies Eqs. (4), (5), (8), (9), the parallel dynamics Eq. (7) (= Eq. (A6)), the optimal
  couplings Eq. (10), the reciprocal chain Eqs. (11)-(12) with the constants ``a(j)``, ``b(j)``
  derived here, the Green's-function sum Eq. (B14), the reciprocal star Eq. (13) and the window
  Eq. (14);
* small helpers for the chapter (settling times, the steady thermal shift).

Conventions
-----------
Energies are returned in units of ``omega`` (the common mode frequency) unless ``omega`` is given.
Nodes are numbered ``0`` (charger ``a``) to ``N`` (battery ``b_N``).  In the cascade, link ``i``
(``i = 1..N``) joins node ``i-1`` to node ``i`` with coherent amplitude ``J_i e^{i theta_i}`` and
collective jump ``q_i = sqrt(Gamma_i)(p_{i-1} o_{i-1} + p_i o_i)``; in the parallel network link
``i`` joins the charger to battery ``i``.  The nonreciprocity condition used by the builders is
``J_i e^{i theta_i} = i Gamma_i conj(p_src) p_dst / 2``, i.e. the paper's
``theta_i = pi/2, p = 1`` (``gauge="pi/2"``) or ``theta_i = 0`` with the paper's complex ``p``
(``gauge="0"``), both with ``J_i = Gamma_i / 2``.  ``mu_i = conj(p_src) p_dst`` as in the
paper's Appendix A (the main text writes ``mu_1 = p_a p_b1``; see the chapter).
"""

from __future__ import annotations

from math import comb
from typing import Any, Sequence

import numpy as np
import scipy.linalg as sla

from ..engine.network import LinearNetwork
from ..engine.validation import count as _count, positive as _pos, rate as _nonneg, real as _real
from ..engine.validation import rates as _validated_rates, times as _validated_times


def _times(t):
    return _validated_times(t, one_d=True)


__all__ = [
    "cascade_network",
    "parallel_network",
    "cascade_lambdas",
    "parallel_lambdas",
    "cascade_energy",
    "cascade_energy_paper_eq3",
    "cascade_energy_ss",
    "cascade_terminal_energy_ss",
    "parallel_energy",
    "parallel_energy_paper_eq7",
    "parallel_energy_ss",
    "J_op_cascade",
    "J_op_parallel",
    "reciprocal_constants",
    "reciprocal_cascade_energy_ss",
    "reciprocal_cascade_energy_ss_sum",
    "reciprocal_cascade_green",
    "reciprocal_parallel_energy_ss",
    "reciprocal_cascade_amplitudes",
    "reciprocal_parallel_amplitude",
    "reciprocal_window",
    "settling_time",
    "terminal_energy_trace",
    "terminal_settling_time",
    "gauge_coefficients",
]


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def _rates(values: Any, n: int, name: str) -> np.ndarray:
    return _validated_rates(values, name, n)


# --------------------------------------------------------------------------------------------
# model builders
# --------------------------------------------------------------------------------------------
def gauge_coefficients(N: int, topology: str = "cascade", gauge: str = "pi/2") -> tuple[np.ndarray, float]:
    """The paper's jump coefficients ``p`` (charger first) and coupling phase ``theta``.

    Parameters
    ----------
    N : int
        Number of batteries.
    topology : {"cascade", "parallel"}
    gauge : {"pi/2", "0"}
        ``"pi/2"``: ``theta_i = pi/2`` and every ``p = 1``.  ``"0"``: ``theta_i = 0``, ``p_a = i``
        and, in the cascade, ``p_{b_k} = (-i)^{k-1}`` (``1, -i, -1, i, ...``), in the parallel
        network ``p_{b_k} = 1`` (Liu et al., Appendix A, below Eqs. (A1), (A3), (A5), (A7)).

    Returns
    -------
    p : ndarray, shape (N + 1,), complex
    theta : float

    References
    ----------
    Liu et al., text below Eq. (2) and Appendix A.
    """
    N = _count(N)
    if topology not in ("cascade", "parallel"):
        raise ValueError(f"topology must be 'cascade' or 'parallel', got {topology!r}")
    if gauge == "pi/2":
        return np.ones(N + 1, complex), np.pi / 2
    if gauge == "0":
        p = np.ones(N + 1, complex)
        p[0] = 1j
        if topology == "cascade":
            p[1:] = (-1j) ** np.arange(N)
        return p, 0.0
    raise ValueError(f"gauge must be 'pi/2' or '0', got {gauge!r}")


def _links(N: int, topology: str) -> list[tuple[int, int]]:
    if topology == "cascade":
        return [(i - 1, i) for i in range(1, N + 1)]
    return [(0, i) for i in range(1, N + 1)]


def _network(N, topology, *, J, kappa, epsilon, coupling, gauge, kappa_a, n_th, squeezing, omega,
             Gammas, kappas) -> LinearNetwork:
    N = _count(N)
    kappa = _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    kappa_a = kappa if kappa_a is None else _nonneg(kappa_a, "kappa_a")
    if coupling not in ("nonreciprocal", "reciprocal"):
        raise ValueError(f"coupling must be 'nonreciprocal' or 'reciprocal', got {coupling!r}")
    if Gammas is None:
        if J is None:
            raise ValueError("give J (or Gammas)")
        Js = _rates(J, N, "J")
        Gam = 2 * Js
    else:
        if J is not None:
            raise ValueError("give J or Gammas, not both")
        Gam = _rates(Gammas, N, "Gammas")
        Js = Gam / 2
    kb = _rates(kappa if kappas is None else kappas, N, "kappas")
    n = N + 1
    h = np.zeros((n, n), complex)
    jumps = []
    links = _links(N, topology)
    if coupling == "nonreciprocal":
        p, theta = gauge_coefficients(N, topology, gauge)
        for (s, d), Jl, G in zip(links, Js, Gam):
            # J e^{i theta} a_s^dag a_d + h.c.  and  q = sqrt(Gamma)(p_s a_s + p_d a_d)
            h[s, d] += Jl * np.exp(1j * theta)
            h[d, s] += Jl * np.exp(-1j * theta)
            c = np.zeros(n, complex)  # one O(n) vector per link (not an n x n identity)
            c[s] += p[s]
            c[d] += p[d]
            jumps.append((G, c))
    else:
        for (s, d), Jl in zip(links, Js):
            h[s, d] += Jl
            h[d, s] += Jl
    F = np.zeros(n, complex)
    F[0] = epsilon
    return LinearNetwork(h, loss=np.concatenate([[kappa_a], kb]), jumps=jumps, drive=F,
                         n_th=n_th, squeezing=squeezing, omega=omega)


def cascade_network(N: int, *, J: Any = None, kappa: float, epsilon: float,
                    coupling: str = "nonreciprocal", gauge: str = "pi/2", kappa_a: float | None = None,
                    kappas: Any = None, Gammas: Any = None, n_th: Any = 0.0, squeezing: Any = None,
                    omega: Any = 1.0) -> LinearNetwork:
    """The cascaded network of Liu et al., Eqs. (1)-(2) (and (15)-(16) with ``n_th``/``squeezing``).

    Parameters
    ----------
    N : int
        Number of batteries; the network has ``N + 1`` modes ``(a, b_1, ..., b_N)``.
    J : float or sequence of float, optional
        Coherent coupling ``J_i`` of each link (one value for all, or ``N`` values).  For
        ``coupling="nonreciprocal"`` the collective rates are ``Gamma_i = 2 J_i``.
    kappa : float
        Local loss of every battery ``kappa_i`` (and of the charger unless ``kappa_a`` is given).
    epsilon : float
        Drive ``epsilon (a + a^dag)`` on the charger.
    coupling : {"nonreciprocal", "reciprocal"}
        ``"nonreciprocal"``: hop ``J_i e^{i theta_i}`` plus collective jump ``q_i`` at the
        nonreciprocity condition.  ``"reciprocal"``: the chain of Appendix B, Eq. (B1): real hops
        ``J`` and no collective jumps.
    gauge : {"pi/2", "0"}
        The two nonreciprocal choices of the paper (:func:`gauge_coefficients`).  They give the same
        energies for thermal baths but different ones for squeezed baths.
    kappa_a : float, optional
        Charger loss (default ``kappa``).
    kappas : sequence of float, optional
        Per-battery losses (overrides ``kappa`` for the batteries).
    Gammas : sequence of float, optional
        Per-link collective rates ``Gamma_i`` (instead of ``J``; then ``J_i = Gamma_i / 2``).
    n_th, squeezing, omega
        Passed to :class:`~nrqb.engine.LinearNetwork` (channels: local losses of
        ``a, b_1..b_N``, then ``q_1..q_N``).

    Returns
    -------
    LinearNetwork

    Raises
    ------
    ValueError
        Negative or NaN rates, bad ``N``, unknown ``coupling``/``gauge``.

    References
    ----------
    Liu et al., Eqs. (1), (2), (15), (16), (A1), (A3), (B1).
    """
    return _network(N, "cascade", J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge,
                    kappa_a=kappa_a, n_th=n_th, squeezing=squeezing, omega=omega, Gammas=Gammas,
                    kappas=kappas)


def parallel_network(N: int, *, J: Any = None, kappa: float, epsilon: float,
                     coupling: str = "nonreciprocal", gauge: str = "pi/2", kappa_a: float | None = None,
                     kappas: Any = None, Gammas: Any = None, n_th: Any = 0.0, squeezing: Any = None,
                     omega: Any = 1.0) -> LinearNetwork:
    """The parallel (star) network of Liu et al., Eq. (6) with jumps ``q_i = sqrt(Gamma_i)(p_a a + p_i b_i)``.

    Parameters are those of :func:`cascade_network`; link ``i`` joins the charger to battery ``i``.
    ``coupling="reciprocal"`` gives real hops ``J`` and no collective jumps (the model of Eq. (13)).

    Returns
    -------
    LinearNetwork

    References
    ----------
    Liu et al., Eqs. (6), (13), (15), (16), (A5), (A7).
    """
    return _network(N, "parallel", J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge,
                    kappa_a=kappa_a, n_th=n_th, squeezing=squeezing, omega=omega, Gammas=Gammas,
                    kappas=kappas)


# --------------------------------------------------------------------------------------------
# nonreciprocal closed forms
# --------------------------------------------------------------------------------------------
def cascade_lambdas(Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                    p: Sequence[complex] | None = None) -> np.ndarray:
    """The decay rates ``Lambda_0..Lambda_N`` of the cascade, Liu et al., below Eq. (3).

    ``Lambda_0 = Gamma_1 |p_a|^2 + kappa_a``, ``Lambda_i = (Gamma_i + Gamma_{i+1}) |p_i|^2 + kappa_i``,
    ``Lambda_N = Gamma_N |p_N|^2 + kappa_N``.

    Parameters
    ----------
    Gammas : sequence of float, length N
    kappa_a : float
    kappas : sequence of float, length N
    p : sequence of complex, length N + 1, optional (default all ones)

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Eq. (3) and Eqs. (A1), (A3).
    """
    G = np.atleast_1d(np.asarray(Gammas, float))
    N = len(G)
    G = _rates(G, N, "Gammas")
    kb = _rates(kappas, N, "kappas")
    ka = _nonneg(kappa_a, "kappa_a")
    p = np.ones(N + 1) if p is None else np.asarray(p, complex)
    w = np.abs(p) ** 2
    Gpad = np.concatenate([[0.0], G, [0.0]])  # Gpad[i] = Gamma_i, Gpad[N+1] = 0
    lam = np.empty(N + 1)
    lam[0] = G[0] * w[0] + ka
    for i in range(1, N + 1):
        lam[i] = (Gpad[i] + Gpad[i + 1]) * w[i] + kb[i - 1]
    return lam


def parallel_lambdas(Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                     p: Sequence[complex] | None = None) -> np.ndarray:
    """Decay rates of the parallel network: ``Lambda_0 = sum_{i=1}^N Gamma_i |p_a|^2 + kappa_a``,
    ``Lambda_i = Gamma_i |p_i|^2 + kappa_i``.

    The sum in ``Lambda_0`` runs over **all** N batteries (Eq. (A5)); the text below Eq. (7) has
    ``sum_{i=1}^n``, a typo.

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Eq. (7) and Eqs. (A5), (A7).
    """
    G = np.atleast_1d(np.asarray(Gammas, float))
    N = len(G)
    G = _rates(G, N, "Gammas")
    kb = _rates(kappas, N, "kappas")
    ka = _nonneg(kappa_a, "kappa_a")
    p = np.ones(N + 1) if p is None else np.asarray(p, complex)
    w = np.abs(p) ** 2
    return np.concatenate([[G.sum() * w[0] + ka], G * w[1:] + kb])


def _step_response(t: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``F(t) = 1 - sum_p prod_{m != p} lam_m / (lam_m - lam_p) e^{-lam_p t}`` for rates ``lam``.

    The CDF of a sum of independent exponential times of rates ``lam_m`` (a hypoexponential
    distribution).  Distinct, well-separated rates: the Vandermonde sum.  Coincident or close
    rates (a removable singularity of the sum): the phase-type form
    ``1 - [exp(-M t) 1]_n`` with ``M`` lower bidiagonal (diagonal ``lam``, subdiagonal ``-lam``),
    which is the same function, exact at confluent rates.
    """
    n = len(lam)
    if np.any(lam <= 0):
        raise ValueError(f"all Lambda must be > 0 for a steady state, got {lam.tolist()}")
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.array([np.prod(np.delete(lam, p_) / (np.delete(lam, p_) - lam[p_])) for p_ in range(n)])
    if np.all(np.isfinite(coef)) and np.max(np.abs(coef)) < 1e4:
        # well-separated rates: the Vandermonde sum loses at most ~1e4 * 1e-16 to cancellation
        return 1.0 - np.exp(-np.outer(t, lam)) @ coef
    M = np.diag(lam) - np.diag(lam[1:], -1)
    ones = np.ones(n)
    even = len(t) > 2 and np.allclose(np.diff(t), t[1] - t[0], rtol=1e-12, atol=0)
    if n <= 200 and even:
        # evenly spaced times: one step propagator, applied repeatedly
        step = sla.expm(-M * (t[1] - t[0]))
        v = sla.expm(-M * t[0]) @ ones
        out = np.empty(len(t))
        for k in range(len(t)):
            out[k] = 1.0 - v[-1]
            v = step @ v
        return out
    if n <= 200:
        return np.array([1.0 - (sla.expm(-M * tk) @ ones)[-1] for tk in t])
    # long chains: sparse Krylov action of the exponential, one time at a time
    from scipy.sparse import diags
    from scipy.sparse.linalg import expm_multiply

    Ms = diags([lam, -lam[1:]], [0, -1], format="csr")
    if even:
        # evenly spaced times: one stepping call
        Y = expm_multiply(-Ms, ones, start=t[0], stop=t[-1], num=len(t), endpoint=True)
        return 1.0 - np.asarray(Y)[:, -1]
    return np.array([1.0 - expm_multiply(-Ms * tk, ones)[-1] for tk in t])


def cascade_energy(t: Any, n: int, Lambdas: Sequence[float], Gammas: Sequence[float], epsilon: float,
                   mu: Sequence[complex] | None = None, omega: float = 1.0) -> np.ndarray:
    """Energy of node ``n`` of the nonreciprocal cascade, Liu et al., Eq. (3), sign corrected.

    .. math::

        E_n(t) = E_n^{ss}\\Big[1 - \\sum_{p=0}^n \\prod_{m\\ne p}\\frac{\\Lambda_m}{\\Lambda_m-\\Lambda_p}
                 e^{-\\Lambda_p t/2}\\Big]^2
               = \\frac{\\mathcal A_n}{\\mathcal V_n^2}\\Big[\\mathcal V_n - \\sum_{p=0}^n (-1)^{n+p}
                 \\Big(\\prod_{m\\ne p}\\Lambda_m\\Big)\\mathcal V_n^{(p)} e^{-\\Lambda_p t/2}\\Big]^2 ,

    i.e. Eq. (3) with ``-`` instead of ``+`` in front of the sum (the printed ``+`` gives
    ``E_n(0) = 4 E_n^ss`` instead of 0; Eqs. (A2), (A4) have the correct sign).  The bracket is
    the CDF of a sum of exponential dwell times of rates ``Lambda_m / 2``; it is evaluated so
    that it stays exact when Lambdas coincide (e.g. ``Lambda_0 = Lambda_N`` in the uniform chain).

    Parameters
    ----------
    t : array_like
        Times (units of 1/omega if the rates are in units of omega).
    n : int
        Node index, 0 (charger) to N.
    Lambdas : sequence of float
        ``Lambda_0..Lambda_N`` (at least ``n + 1`` of them), :func:`cascade_lambdas`.
    Gammas : sequence of float
        ``Gamma_1..Gamma_N``.
    epsilon : float
        Drive amplitude.
    mu : sequence of complex, optional
        ``mu_1..mu_N`` (default all of modulus 1).
    omega : float
        Energy per quantum.

    Returns
    -------
    ndarray, shape (len(t),)

    References
    ----------
    Liu et al., Eqs. (3), (A2), (A4).
    """
    t = _times(t)
    n = int(n)
    lam = np.asarray(Lambdas, float)[: n + 1]
    if len(lam) != n + 1:
        raise ValueError(f"need Lambda_0..Lambda_{n}, got {len(lam)} values")
    return cascade_energy_ss(n, lam, Gammas, epsilon, mu, omega) * _step_response(t, lam / 2) ** 2


def cascade_energy_paper_eq3(t: Any, n: int, Lambdas: Sequence[float], Gammas: Sequence[float],
                             epsilon: float, mu: Sequence[complex] | None = None, omega: float = 1.0,
                             sign: int = +1) -> np.ndarray:
    """Liu et al., Eq. (3) **literally**, with the Vandermonde products ``V_n`` and ``V_n^(p)``.

    ``sign=+1`` is the printed equation; ``sign=-1`` the corrected one (equal to
    :func:`cascade_energy`).  Needs pairwise distinct Lambdas (0/0 otherwise).

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eq. (3).
    """
    t = _times(t)
    lam = np.asarray(Lambdas, float)[: n + 1]
    if len(set(lam.tolist())) != n + 1:
        raise ValueError("Eq. (3) as printed needs pairwise distinct Lambdas (it is 0/0 otherwise)")

    def vdm(idx):
        v = 1.0
        for a_ in range(len(idx)):
            for b_ in range(a_ + 1, len(idx)):
                v *= lam[idx[a_]] - lam[idx[b_]]
        return v

    Vn = vdm(list(range(n + 1)))
    S = np.zeros_like(t)
    for p_ in range(n + 1):
        others = [m for m in range(n + 1) if m != p_]
        S += (-1) ** (n + p_) * np.prod(lam[others]) * vdm(others) * np.exp(-lam[p_] * t / 2)
    An = cascade_energy_ss(n, lam, Gammas, epsilon, mu, omega)
    return An / Vn**2 * (Vn + sign * S) ** 2


def cascade_energy_ss(n: int, Lambdas: Sequence[float], Gammas: Sequence[float], epsilon: float,
                      mu: Sequence[complex] | None = None, omega: float = 1.0) -> float:
    """Steady energy of node ``n`` of the nonreciprocal cascade, Liu et al., Eq. (4).

    ``E_n^ss = 4^{n+1} omega eps^2 prod_{m=1}^n |mu_m|^2 Gamma_m^2 / prod_{m=0}^n Lambda_m^2``,
    evaluated as a product of ratios (no overflow at ``n = 1000``).

    Parameters
    ----------
    n : int
        Node (0 = charger).
    Lambdas, Gammas, epsilon, mu, omega
        As in :func:`cascade_energy`.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (4) (= the ``t -> infinity`` limit of Eq. (3) and of Eqs. (A2), (A4)).
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    lam = np.asarray(Lambdas, float)
    if len(lam) < n + 1 or np.any(lam[: n + 1] <= 0) or not np.all(np.isfinite(lam)):
        raise ValueError(f"Lambdas must hold n + 1 = {n + 1} positive values, got {lam.tolist()}")
    G = np.atleast_1d(np.asarray(Gammas, float))
    if n > 0:
        G = _rates(G[:n], n, "Gammas")
    epsilon = _real(epsilon, "epsilon")
    m2 = np.ones(n) if mu is None else np.abs(np.asarray(mu, complex)[:n]) ** 2
    val = 4 * omega * epsilon**2 / lam[0] ** 2
    for m in range(1, n + 1):
        val *= 4 * m2[m - 1] * G[m - 1] ** 2 / lam[m] ** 2
    return float(val)


def cascade_terminal_energy_ss(N: int, Gamma: float, kappa: float, epsilon: float,
                               omega: float = 1.0) -> float:
    """Terminal-battery steady energy of the uniform cascade, Liu et al., Eq. (5).

    ``E_c^ss(N) = 4^{N+1} omega eps^2 Gamma^{2N} / ((Gamma + kappa)^4 (2 Gamma + kappa)^{2N-2})``,
    evaluated in logarithms (valid up to ``N ~ 10^6``).

    Parameters
    ----------
    N : int
    Gamma, kappa : float
        ``Gamma_i = Gamma`` (``= 2 J``) and ``kappa_a = kappa_i = kappa``.
    epsilon, omega : float

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (5) (Eq. (4) with ``Lambda_0 = Lambda_N = Gamma + kappa``,
    ``Lambda_{1..N-1} = 2 Gamma + kappa``).
    """
    N = _count(N)
    Gamma, kappa = _nonneg(Gamma, "Gamma"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    if Gamma == 0 or epsilon == 0:
        return 0.0
    if Gamma + kappa == 0:
        raise ValueError("Gamma + kappa must be > 0")
    logE = ((N + 1) * np.log(4.0) + 2 * np.log(abs(epsilon)) + 2 * N * np.log(Gamma)
            - 4 * np.log(Gamma + kappa) - (2 * N - 2) * np.log(2 * Gamma + kappa))
    return float(omega * np.exp(logE))


def parallel_energy(t: Any, Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                    mu_n: complex = 1.0, omega: float = 1.0) -> np.ndarray:
    """Battery ``n`` of the nonreciprocal parallel network, Liu et al., Eq. (7) in its correct form (A6).

    .. math::

        E_n(t) = \\frac{16\\,\\omega\\epsilon^2|\\mu_n|^2\\Gamma_n^2}{\\Lambda_0^2\\Lambda_n^2(\\Lambda_0-\\Lambda_n)^2}
                 \\Big[(\\Lambda_0-\\Lambda_n) - \\big(\\Lambda_0 e^{-\\Lambda_n t/2} - \\Lambda_n e^{-\\Lambda_0 t/2}\\big)\\Big]^2 .

    Eq. (7) as printed swaps the two exponents (``Lambda_0 e^{-Lambda_0 t/2}``); its bracket grows
    linearly at ``t = 0`` (energy ``~ t^2``), whereas the two-stage filter starts as ``t^4``.  Exact at ``Lambda_0 = Lambda_n`` (removable singularity).

    Parameters
    ----------
    t : array_like
    Lambda0 : float
        ``sum_i Gamma_i |p_a|^2 + kappa_a`` (all N batteries).
    Lambda_n, Gamma_n : float
    epsilon : float
    mu_n : complex
    omega : float

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eqs. (7), (A6), (A8).
    """
    t = _times(t)
    L0, Ln = _pos(Lambda0, "Lambda0"), _pos(Lambda_n, "Lambda_n")
    Gn = _nonneg(Gamma_n, "Gamma_n")
    ss = parallel_energy_ss(L0, Ln, Gn, epsilon, mu_n, omega)
    return ss * _step_response(t, np.array([L0, Ln]) / 2) ** 2


def parallel_energy_paper_eq7(t: Any, Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                              mu_n: complex = 1.0, omega: float = 1.0) -> np.ndarray:
    """Liu et al., Eq. (7) exactly as printed (exponents swapped; for the erratum only).

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eq. (7).
    """
    t = _times(t)
    L0, Ln = _pos(Lambda0, "Lambda0"), _pos(Lambda_n, "Lambda_n")
    pre = 16 * omega * epsilon**2 * abs(mu_n) ** 2 * Gamma_n**2 / (L0**2 * Ln**2 * (L0 - Ln) ** 2)
    return pre * ((L0 - Ln) - (L0 * np.exp(-L0 * t / 2) - Ln * np.exp(-Ln * t / 2))) ** 2


def parallel_energy_ss(Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                       mu_n: complex = 1.0, omega: float = 1.0) -> float:
    """Steady energy of battery ``n`` of the parallel network, Liu et al., Eq. (8) corrected.

    ``E_n^ss = 16 omega eps^2 |mu_n|^2 Gamma_n^2 / (Lambda_0^2 Lambda_n^2)``; the printed Eq. (8) has
    ``Lambda_1^2`` in place of ``Lambda_0^2`` (the ``t -> infinity`` limit of Eq. (7)/(A6) has
    ``Lambda_0``).  With ``Gamma_i = Gamma``, ``kappa_i = kappa`` it is Eq. (9).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (8), (9), (A6).
    """
    L0, Ln = _pos(Lambda0, "Lambda0"), _pos(Lambda_n, "Lambda_n")
    Gn = _nonneg(Gamma_n, "Gamma_n")
    epsilon = _real(epsilon, "epsilon")
    return float(16 * omega * epsilon**2 * abs(mu_n) ** 2 * Gn**2 / (L0**2 * Ln**2))


def parallel_energy_ss_uniform(N: int, Gamma: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Liu et al., Eq. (9): ``E_p^ss(N) = 16 omega eps^2 Gamma^2 / ((N Gamma + kappa)^2 (Gamma + kappa)^2)``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (9).
    """
    N = _count(N)
    Gamma, kappa = _nonneg(Gamma, "Gamma"), _nonneg(kappa, "kappa")
    return parallel_energy_ss(N * Gamma + kappa, Gamma + kappa, Gamma, epsilon, 1.0, omega)


__all__.append("parallel_energy_ss_uniform")


def J_op_cascade(N: Any, kappa: float) -> Any:
    """Optimal nonreciprocal coupling of the cascade, Liu et al., Eq. (10): ``kappa (N + sqrt(N^2 + 8N)) / 8``.

    Root of Eq. (A9), ``2 Gamma^2 - N Gamma kappa - N kappa^2 = 0`` with ``Gamma = 2 J``.

    Parameters
    ----------
    N : int or array of int (>= 1)
    kappa : float

    Returns
    -------
    float or ndarray

    References
    ----------
    Liu et al., Eqs. (10), (A9).
    """
    kappa = _nonneg(kappa, "kappa")
    Na = np.asarray(N, float)
    if np.any(Na < 1) or not np.all(np.isfinite(Na)):
        raise ValueError(f"N must be >= 1, got {N!r}")
    out = kappa * (Na + np.sqrt(Na**2 + 8 * Na)) / 8
    return float(out) if out.ndim == 0 else out


def J_op_parallel(N: Any, kappa: float) -> Any:
    """Optimal nonreciprocal coupling of the parallel network, Liu et al., Eq. (10): ``kappa / (2 sqrt N)``.

    Root of Eq. (A10), ``kappa^2 - N Gamma^2 = 0`` with ``Gamma = 2 J``.

    Returns
    -------
    float or ndarray

    References
    ----------
    Liu et al., Eqs. (10), (A10).
    """
    kappa = _nonneg(kappa, "kappa")
    Na = np.asarray(N, float)
    if np.any(Na < 1) or not np.all(np.isfinite(Na)):
        raise ValueError(f"N must be >= 1, got {N!r}")
    out = kappa / (2 * np.sqrt(Na))
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------
# reciprocal chain and star
# --------------------------------------------------------------------------------------------
def reciprocal_constants(N: int) -> list[int]:
    """The integer constants ``a(j)`` (N odd, Eq. (11)) or ``b(j)`` (N even, Eq. (12)).

    The denominator of Eqs. (11)-(12) is the continuant ``P_{N+1}`` of the tridiagonal matrix
    ``kappa + 2 i H_0`` (Appendix B), ``P_L = kappa P_{L-1} + 4 J^2 P_{L-2}``, ``P_0 = 1``,
    ``P_1 = kappa``, whose closed form is ``P_L = sum_i C(L - i, i) (4 J^2)^i kappa^{L - 2i}``.
    Reading off the coefficients:

    * N odd:  ``a(j) = C((N+1)/2 + j, 2j) 4^{(N+1)/2 - j}``, ``j = 0..(N+1)/2``;
    * N even: ``b(j) = C(N/2 + 1 + j, 2j + 1) 4^{N/2 - j}``, ``j = 0..N/2``.

    Parameters
    ----------
    N : int

    Returns
    -------
    list of int
        ``[a(0), a(1), ...]`` or ``[b(0), b(1), ...]``.

    References
    ----------
    Liu et al., Eqs. (11), (12), (B2)-(B3); the constants are said to be those of Zhao et al.,
    Phys. Rev. A 112, 022214 (2025), Eq. (2), which maps onto Eqs. (11)-(12) with
    ``g_b -> J``, ``gamma -> kappa``, ``xi -> epsilon``.
    """
    N = _count(N)
    L = N + 1
    if N % 2 == 1:
        return [comb(L - i, i) * 4**i for i in [(N + 1) // 2 - j for j in range((N + 1) // 2 + 1)]]
    return [comb(L - i, i) * 4**i for i in [N // 2 - j for j in range(N // 2 + 1)]]


def reciprocal_cascade_energy_ss_sum(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Liu et al., Eqs. (11)-(12) literally: ``omega [2^{N+1} J^N eps / sum_j a(j) ...]^2``.

    For moderate N only (powers overflow beyond ``N ~ 150``); use
    :func:`reciprocal_cascade_energy_ss` in general.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (11), (12).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _nonneg(kappa, "kappa")
    c = reciprocal_constants(N)
    if N % 2 == 1:
        den = sum(c[j] * J ** (N + 1 - 2 * j) * kappa ** (2 * j) for j in range(len(c)))
    else:
        den = sum(c[j] * J ** (N - 2 * j) * kappa ** (2 * j + 1) for j in range(len(c)))
    return float(omega * (2 ** (N + 1) * J**N * epsilon / den) ** 2)


def reciprocal_cascade_energy_ss(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0,
                                 n: int | None = None) -> float:
    """Steady energy of node ``n`` (default the terminal battery ``N``) of the reciprocal chain.

    Solves the continuant recursion of Eqs. (11)-(12) in logarithms (no overflow at N = 1000):
    ``|<o_n>| = eps J^n Q_{N-n} / Q_{N+1}`` with ``Q_L = det(kappa/2 + i H_0)`` over L sites
    (``Q_L = (kappa/2) Q_{L-1} + J^2 Q_{L-2}``, ``Q_L = P_L / 2^L`` with ``P_L`` of
    :func:`reciprocal_constants`).  For ``n = N`` this is ``omega [2^{N+1} J^N eps / P_{N+1}]^2``.

    Parameters
    ----------
    N : int
    J, kappa, epsilon : float
        Uniform hop, uniform loss on all N + 1 modes, drive.
    omega : float
    n : int, optional
        Node (0 = charger).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (11), (12), (B2)-(B4).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    n = N if n is None else int(n)
    if not 0 <= n <= N:
        raise ValueError(f"n must be in [0, N], got {n}")
    if kappa == 0:
        raise ValueError("kappa must be > 0 for a steady state of the reciprocal chain")
    # |b_n| = eps * J^n * Q_{N-n} / Q_{N+1} with Q_L = det(kappa/2 + i H_0) of L sites:
    # Q_L = (kappa/2) Q_{L-1} + J^2 Q_{L-2}.  Work with logs to avoid overflow.
    logQ = np.empty(N + 2)
    q_prev, q = 1.0, kappa / 2  # Q_0, Q_1
    logs = 0.0
    logQ[0], logQ[1] = 0.0, np.log(q)
    for L in range(2, N + 2):
        q_prev, q = q, (kappa / 2) * q + J**2 * q_prev
        s = abs(q)
        if s > 1e100 or s < 1e-100:
            q_prev, q = q_prev / s, q / s
            logs += np.log(s)
        logQ[L] = logs + np.log(q)
    if J == 0:
        return float(omega * epsilon**2 / (kappa / 2) ** 2) if n == 0 else 0.0
    logb = np.log(abs(epsilon)) + n * np.log(J) + logQ[N - n] - logQ[N + 1] if epsilon else -np.inf
    return float(omega * np.exp(2 * logb))


def reciprocal_cascade_green(N: int, J: float, kappa: float, epsilon: float) -> complex:
    """Terminal amplitude of the reciprocal chain from the Green's-function sum, Liu et al., Eq. (B14).

    ``b_N = 2 eps/(L+1) sum_{k=1}^L (-1)^{k+1} sin^2(pi k/(L+1)) / (-E_k + i kappa/2)``,
    ``E_k = 2 J cos(pi k/(L+1))``, ``L = N + 1`` sites.

    Returns
    -------
    complex
        ``b_N`` in the steady state of ``(-H_0 + i kappa/2) a = eps e_1`` (Eq. (B2)).

    References
    ----------
    Liu et al., Eqs. (B5)-(B14).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    L = N + 1
    k = np.arange(1, L + 1)
    Ek = 2 * J * np.cos(np.pi * k / (L + 1))
    terms = (-1.0) ** (k + 1) * np.sin(np.pi * k / (L + 1)) ** 2 / (-Ek + 0.5j * kappa)
    return complex(2 * epsilon / (L + 1) * terms.sum())


def reciprocal_cascade_amplitudes(t: Any, N: int, J: float, kappa: float, epsilon: float) -> np.ndarray:
    r"""All amplitudes of the reciprocal chain at times ``t``, from its sine eigenmodes (Eq. (B8)-(B9)).

    The time-dependent version of the Green's-function expansion Eq. (B7):

    .. math::

        \langle o_n\rangle(t) = \epsilon\sum_{k=1}^{L}\frac{\psi_k(n)\psi_k(0)}{-E_k + i\kappa/2}
        \Big(1 - e^{-(iE_k + \kappa/2)t}\Big),\qquad
        \psi_k(n) = \sqrt{\tfrac{2}{L+1}}\sin\tfrac{\pi k (n+1)}{L+1},\ E_k = 2J\cos\tfrac{\pi k}{L+1},

    ``L = N + 1`` sites, uniform loss ``kappa`` on every mode, starting from the vacuum.

    Parameters
    ----------
    t : array_like
    N : int
    J, kappa, epsilon : float

    Returns
    -------
    ndarray, shape (len(t), N + 1), complex

    References
    ----------
    Liu et al., Eqs. (B1)-(B9).
    """
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    L = N + 1
    k = np.arange(1, L + 1)
    Ek = 2 * J * np.cos(np.pi * k / (L + 1))
    psi = np.sqrt(2 / (L + 1)) * np.sin(np.pi * np.outer(np.arange(L) + 1, k) / (L + 1))  # (site, k)
    w = psi[0] / (-Ek + 0.5j * kappa)  # psi_k(0) / (-E_k + i kappa/2)
    phase = 1 - np.exp(-np.outer(t, 1j * Ek + kappa / 2))  # (time, k)
    return epsilon * (phase * w) @ psi.T


def reciprocal_parallel_amplitude(t: Any, N: int, J: float, kappa: float, epsilon: float) -> np.ndarray:
    """Amplitude of each battery of the reciprocal star at times ``t`` (from the vacuum).

    Only the bright mode ``B = sum_i b_i / sqrt(N)`` couples to the charger, with strength
    ``g = sqrt(N) J``; both decay at ``kappa/2``, so

    ``b_i(t) = b_ss [1 - e^{-kappa t/2}(cos g t + (kappa/(2g)) sin g t)]`` with
    ``b_ss = -4 J epsilon / (4 N J^2 + kappa^2)`` (whose square is Eq. (13)).

    Returns
    -------
    ndarray, complex

    References
    ----------
    Liu et al., Eqs. (6), (13).
    """
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    g = np.sqrt(N) * J
    b_ss = -4 * J * epsilon / (4 * N * J**2 + kappa**2)
    # sin(g t)/g -> t at g = 0 (removable): np.sinc(x) = sin(pi x)/(pi x)
    sin_over_g = t * np.sinc(g * t / np.pi)
    return b_ss * (1 - np.exp(-kappa * t / 2) * (np.cos(g * t) + 0.5 * kappa * sin_over_g))


def reciprocal_parallel_energy_ss(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Steady energy of each battery of the reciprocal star, Liu et al., Eq. (13).

    ``E_N^ss = 4 Gamma^2 omega eps^2 / (4 N J^2 + kappa^2)^2`` with ``Gamma = 2 J`` (the paper keeps
    the symbol Gamma; the reciprocal model has no collective jump), i.e. ``16 J^2 omega eps^2 /
    (4 N J^2 + kappa^2)^2``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (13).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    Gamma = 2 * J
    return float(4 * Gamma**2 * omega * epsilon**2 / (4 * N * J**2 + kappa**2) ** 2)


def reciprocal_window(N: int, kappa: float) -> tuple[float, float]:
    """The window of Liu et al., Eq. (14): reciprocal beats nonreciprocal parallel charging for
    ``kappa/(2N) < J < kappa/2``.

    Returns
    -------
    (float, float)
        The two roots of ``4 N J^2 - 2 (N + 1) kappa J + kappa^2 = 0``, where Eq. (13) equals
        Eq. (9) with ``Gamma = 2 J``.

    References
    ----------
    Liu et al., Eqs. (9), (13), (14).
    """
    N = _count(N)
    kappa = _nonneg(kappa, "kappa")
    return kappa / (2 * N), kappa / 2


# --------------------------------------------------------------------------------------------
# helpers for the chapter
# --------------------------------------------------------------------------------------------
def settling_time(t: Any, y: Any, y_ss: float, tol: float = 0.02) -> float:
    """First time after which ``|y/y_ss - 1| <= tol`` for the rest of the trace.

    Parameters
    ----------
    t, y : array_like
        A sampled trace (``t`` increasing).
    y_ss : float
        Its limit.
    tol : float
        Relative tolerance (default 2 %).

    Returns
    -------
    float
        ``nan`` if the trace never settles within ``t``.
    """
    t = _times(t)
    y = np.asarray(y, float)
    tol = _pos(tol, "tol")
    if y.shape != t.shape:
        raise ValueError("t and y must have the same shape")
    bad = np.abs(y / y_ss - 1) > tol
    if bad[-1]:
        return float("nan")
    if not bad.any():
        return float(t[0])
    last = np.nonzero(bad)[0][-1]
    return float(t[last + 1])


def terminal_energy_trace(t: Any, N: int, topology: str, coupling: str, J: float, kappa: float,
                          epsilon: float, omega: float = 1.0) -> tuple[np.ndarray, float]:
    """Charging curve of the last battery of a uniform network, from the paper's closed forms.

    The battery is ``b_N`` for the cascade and ``b_1`` (all are equal) for the star; every mode has
    loss ``kappa``, every link the coupling ``J`` (``Gamma = 2 J`` for nonreciprocal links), and the
    network starts in the vacuum.  The four cases use four different closed forms:

    * nonreciprocal cascade: corrected Eq. (3) (:func:`cascade_energy`), steady value Eq. (5);
    * reciprocal cascade: the sine-mode solution of Eqs. (B7)-(B9)
      (:func:`reciprocal_cascade_amplitudes`), steady value Eqs. (11)-(12);
    * nonreciprocal star: Eq. (7) in its correct form (A6) (:func:`parallel_energy`), steady Eq. (9);
    * reciprocal star: the bright-mode solution (:func:`reciprocal_parallel_amplitude`), steady Eq. (13).

    Parameters
    ----------
    t : array_like
        Times (1/omega units if the rates are in units of omega).
    N : int
        Number of batteries.
    topology : {"cascade", "parallel"}
    coupling : {"nonreciprocal", "reciprocal"}
    J, kappa : float
        Uniform coupling and loss (``kappa > 0``).
    epsilon : float
        Drive on the charger.
    omega : float
        Energy per quantum.

    Returns
    -------
    E : ndarray, shape (len(t),)
        The battery's energy ``E(t)``.
    E_ss : float
        Its steady value.

    Raises
    ------
    ValueError
        Unknown ``topology``/``coupling``, negative or NaN rates, bad ``N``.

    References
    ----------
    Liu et al., Eqs. (3), (5), (7), (9), (11)-(13), (A6), (B7)-(B9); used for the relaxation
    claims of Sec. III (Fig. 4).
    """
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    if topology not in ("cascade", "parallel"):
        raise ValueError(f"topology must be 'cascade' or 'parallel', got {topology!r}")
    if coupling not in ("nonreciprocal", "reciprocal"):
        raise ValueError(f"coupling must be 'nonreciprocal' or 'reciprocal', got {coupling!r}")
    G = 2 * J
    if topology == "cascade" and coupling == "nonreciprocal":
        lam = cascade_lambdas([G] * N, kappa, [kappa] * N)
        return (cascade_energy(t, N, lam, [G] * N, epsilon, omega=omega),
                cascade_terminal_energy_ss(N, G, kappa, epsilon, omega))
    if topology == "cascade":
        amp = reciprocal_cascade_amplitudes(t, N, J, kappa, epsilon)[:, -1]
        return omega * np.abs(amp) ** 2, reciprocal_cascade_energy_ss(N, J, kappa, epsilon, omega)
    if coupling == "nonreciprocal":
        return (parallel_energy(t, N * G + kappa, G + kappa, G, epsilon, omega=omega),
                parallel_energy_ss_uniform(N, G, kappa, epsilon, omega))
    amp = reciprocal_parallel_amplitude(t, N, J, kappa, epsilon)
    return omega * np.abs(amp) ** 2, reciprocal_parallel_energy_ss(N, J, kappa, epsilon, omega)


def terminal_settling_time(t: Any, N: int, topology: str, coupling: str, J: float, kappa: float,
                           epsilon: float, tol: float = 0.02) -> float:
    """Settling time of the last battery: :func:`settling_time` of :func:`terminal_energy_trace`.

    The last time on the grid ``t`` at which ``E(t)`` is outside ``E_ss (1 +- tol)`` (then the
    next grid time), i.e. the paper's "relaxation time" of Sec. III made precise.

    Parameters
    ----------
    t : array_like
        Increasing time grid, long enough for the trace to settle.
    N, topology, coupling, J, kappa, epsilon
        As in :func:`terminal_energy_trace`.
    tol : float
        Relative band (default 2 %).

    Returns
    -------
    float
        The settling time in the units of ``t`` (``nan`` if it does not settle within ``t``).

    References
    ----------
    Liu et al., Sec. III and Fig. 4 (relaxation of reciprocal and nonreciprocal networks).
    """
    E, E_ss = terminal_energy_trace(t, N, topology, coupling, J, kappa, epsilon)
    return settling_time(t, E, E_ss, tol)
