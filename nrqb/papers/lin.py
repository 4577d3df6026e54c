"""Lin et al., "Enhanced charging power in nonreciprocal quantum battery by reservoir engineering".

Model builders and closed forms for the chapters :doc:`lin` and :doc:`lin_beyond`.

The paper's model (its Eq. (1)) is a charger ``a`` and a battery ``b``, coupled coherently (``J``)
and both coupled to a strongly damped "bad cavity" ``c`` (damping ``gamma_m``, couplings
``g_a e^{i phi}`` and ``g_b``); the charger is driven with amplitude ``eps``.  Eliminating ``c``
leaves a shared reservoir for ``a`` and ``b``.

Convention of this module
-------------------------
``Gamma`` always means the rate that enters the paper's moment equations (5)-(6) and all its
figures (``Gamma = 0.04 omega``): the charger amplitude decays at ``Lambda_a / 2`` with
``Lambda_a = Gamma + kappa_a``, and the cross coupling is ``-(Gamma/2) e^{-i phi}``.  These
moment equations follow *exactly* from the Lindblad master equation

    drho/dt = -i[H_coh, rho] + Gamma D[a + e^{-i phi} b] rho + kappa_a D[a] rho + kappa_b D[b] rho,

with ``H_coh`` the Hermitian part of the paper's Eq. (2) (the paper's own ``H_C`` also holds the
non-Hermitian ``-i Gamma_j`` terms).  The elimination of ``c`` gives this form
with ``Gamma = gamma_m g_a g_b / (Delta_c^2 + gamma_m^2/4)``, twice the ``Gamma`` printed below
Eq. (2) (see :func:`elimination_parameters`).

Each equation of the paper that is wrong as printed has two functions side by side: the
corrected one (``name``) and the printed one (``name_as_printed``).

All quantities are in units of ``omega = omega_a = omega_b`` (set to 1), times in ``1/omega``.

Sections: the elimination of ``c`` (Eqs. (1), (2), (16)-(18)); the effective model (Eqs. (3)-(5));
the moment equations (Eqs. (5)-(6), (19)-(20)); the closed forms (Eqs. (7)-(12), (21)-(24));
the dynamical matrix and the exceptional point (Eqs. (13)-(15), Fig. 4); controls beyond the
paper (the best coupling, robustness); the numbers printed in Sec. 3 and readings of them.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.linalg as sla

from ..engine.network import LinearNetwork
from ..engine.validation import count as _count, rate as _rate, real as _real, times as _times


__all__ = [
    "FIG2",
    # the elimination of c
    "elimination_parameters",
    "full_network",
    "matched_full_network",
    "sec5_rates",
    "elimination_kappa_scan",
    "nonreciprocal_best_detuning",
    "memory_matrix",
    "elimination_first_order",
    "elimination_error",
    "elimination_scan",
    # the effective model
    "nonreciprocal_J",
    "effective_network",
    # moment equations
    "moment_equations",
    "moment_solution",
    "moment_steady",
    # closed forms, corrected beside as printed
    "charger_amplitude",
    "charger_amplitude_as_printed",
    "charger_occupation",
    "battery_amplitude",
    "battery_amplitude_as_printed",
    "battery_occupation",
    "battery_occupation_as_printed",
    "coherence_ab",
    "coherence_ab_as_printed",
    "A_coefficients",
    "steady_energies",
    "steady_energies_as_printed",
    "efficiency",
    "battery_power",
    "network_power",
    "resonant_power_peak",
    "time_to_energy",
    "time_to_efficiency",
    # dynamical matrix and exceptional point
    "dynamical_matrix",
    "dynamical_eigenvalues",
    "dynamical_eigenvalues_as_printed",
    "ep_discriminant",
    "ep_discriminant_as_printed",
    "ep_coupling",
    "ep_coupling_and_phase",
    "steady_battery_energy",
    "steady_efficiency",
    "ep_crossing",
    # controls beyond the paper
    "best_coupling",
    "best_coupling_and_phase",
    "retuning_scan",
    "robustness_samples",
    "spread_ratio_ci",
    # printed numbers and readings
    "printed_quantities",
    "paper_readings",
    "steady_offset_readings",
    "reading_checks",
    "explore",
]

#: Parameters of Fig. 2 of Lin et al. (units of omega): Delta'_a = 0, eps = 0.1, phi = pi/2,
#: Gamma = 0.04, kappa_a = kappa_b = 0.003, gamma = gamma_m / 2 = 10, J = Gamma / 2.
FIG2 = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, phi=np.pi / 2, gamma=10.0)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _phi1(x: np.ndarray) -> np.ndarray:
    """``(e^x - 1) / x`` with the value 1 at ``x = 0`` (exact at the removable singularity)."""
    x = np.asarray(x, dtype=float)
    out = np.ones_like(x)
    nz = np.abs(x) > 1e-8
    out[nz] = np.expm1(x[nz]) / x[nz]
    small = ~nz
    out[small] = 1 + x[small] / 2 + x[small] ** 2 / 6
    return out


def _t(t: Any) -> np.ndarray:
    """Times ``t >= 0`` (the charging starts from the vacuum at ``t = 0``)."""
    return _times(t, nonnegative=True)


def _check_lams(Gamma, kappa_a, kappa_b, eps):
    Gamma = _rate(Gamma, "Gamma")
    kappa_a = _rate(kappa_a, "kappa_a")
    kappa_b = _rate(kappa_b, "kappa_b")
    eps = _real(eps, "eps")
    La, Lb = Gamma + kappa_a, Gamma + kappa_b
    if La <= 0:
        raise ValueError(f"Lambda_a = Gamma + kappa_a must be > 0, got Gamma={Gamma!r}, kappa_a={kappa_a!r}")
    if Lb <= 0:
        raise ValueError(f"Lambda_b = Gamma + kappa_b must be > 0, got Gamma={Gamma!r}, kappa_b={kappa_b!r}")
    return Gamma, La, Lb, eps


# ============================================================================================
# 1. The elimination of the bad cavity c (paper Eqs. (1), (2), (16)-(18))
# ============================================================================================
def elimination_parameters(g_a: float, g_b: float, gamma_m: float, *, Delta_a: float = 0.0,
                           Delta_b: float = 0.0, Delta_c: float = 0.0) -> dict[str, float]:
    """Effective parameters after eliminating the bad cavity ``c``: as printed and corrected (Lin et al., Eqs. (2), (18)).

    Parameters
    ----------
    g_a, g_b : float
        Couplings of charger and battery to ``c`` (>= 0).
    gamma_m : float
        Energy damping rate of ``c`` (> 0); the paper's ``gamma = gamma_m / 2``.
    Delta_a, Delta_b, Delta_c : float
        Detunings from the drive.

    Returns
    -------
    dict
        ``gamma`` (= gamma_m / 2), ``D`` (= Delta_c^2 + gamma^2), ``Delta_a_p``, ``Delta_b_p``
        (``Delta'_j = Delta_j - g_j^2 Delta_c / D``), ``G`` (= g_a g_b Delta_c / D); the dissipative
        rates *as printed* below Eq. (2), ``Gamma_a_printed``, ``Gamma_b_printed``,
        ``Gamma_printed`` (``g^2 gamma / D``), and *corrected*, ``Gamma_a``, ``Gamma_b``, ``Gamma``:
        twice those, the rates that make the moment equations (5) (with ``Gamma/2``) follow from
        Eq. (1).

    Raises
    ------
    ValueError
        If a coupling is negative, ``gamma_m <= 0``, or a parameter is not finite and real.

    References
    ----------
    Lin et al., Eqs. (2), (17)-(18) and Appendix A.
    """
    g_a = _rate(g_a, "g_a")
    g_b = _rate(g_b, "g_b")
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    Delta_a = _real(Delta_a, "Delta_a")
    Delta_b = _real(Delta_b, "Delta_b")
    Delta_c = _real(Delta_c, "Delta_c")
    gamma = gamma_m / 2
    D = Delta_c**2 + gamma**2
    out = dict(
        gamma=gamma,
        D=D,
        Delta_a_p=Delta_a - g_a**2 * Delta_c / D,
        Delta_b_p=Delta_b - g_b**2 * Delta_c / D,
        G=g_a * g_b * Delta_c / D,
        Gamma_a_printed=g_a**2 * gamma / D,
        Gamma_b_printed=g_b**2 * gamma / D,
        Gamma_printed=g_a * g_b * gamma / D,
    )
    out["Gamma_a"] = 2 * out["Gamma_a_printed"]
    out["Gamma_b"] = 2 * out["Gamma_b_printed"]
    out["Gamma"] = 2 * out["Gamma_printed"]
    return out


def full_network(*, g_a: float, g_b: float, gamma_m: float, J: float, phi: float, kappa_a: float,
                 kappa_b: float, eps: float, Delta_a: float = 0.0, Delta_b: float = 0.0,
                 Delta_c: float = 0.0) -> LinearNetwork:
    """The three-mode model of Lin et al., Eq. (1), with the bad cavity ``c`` explicit.

    Modes in the order ``(a, b, c)``.  The non-Hermitian term ``-i (gamma_m/2) c^dag c`` of Eq. (1)
    is the no-jump part of the Lindblad channel ``gamma_m D[c]``, which is how it enters here.

    Parameters
    ----------
    g_a, g_b : float
        Couplings ``g_a e^{i phi} a c^dag + h.c.`` and ``g_b (b c^dag + h.c.)`` (>= 0).
    gamma_m : float
        Damping rate of ``c`` (> 0).
    J : float
        Real coherent coupling ``J (a b^dag + a^dag b)``.
    phi : float
        Phase of the charger-cavity coupling.
    kappa_a, kappa_b : float
        Local damping rates of charger and battery (>= 0).
    eps : float
        Real drive amplitude ``eps (a + a^dag)`` on the charger.
    Delta_a, Delta_b, Delta_c : float
        Detunings ``omega_j - omega_L``.

    Returns
    -------
    LinearNetwork
        Three modes, ``omega = 1``, vacuum initial state.

    Raises
    ------
    ValueError
        On a negative or non-finite rate, or a complex value where a real one is meant.

    References
    ----------
    Lin et al., Eq. (1) (and Eq. (16)).
    """
    g_a = _rate(g_a, "g_a")
    g_b = _rate(g_b, "g_b")
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    J = _real(J, "J")
    phi = _real(phi, "phi")
    kappa_a = _rate(kappa_a, "kappa_a")
    kappa_b = _rate(kappa_b, "kappa_b")
    eps = _real(eps, "eps")
    h = np.zeros((3, 3), complex)
    h[0, 0], h[1, 1], h[2, 2] = _real(Delta_a, "Delta_a"), _real(Delta_b, "Delta_b"), _real(Delta_c, "Delta_c")
    h[0, 1] = h[1, 0] = J
    h[2, 0] = g_a * np.exp(1j * phi)  # g_a e^{i phi} c^dag a
    h[0, 2] = g_a * np.exp(-1j * phi)  # g_a e^{-i phi} a^dag c
    h[2, 1] = h[1, 2] = g_b
    return LinearNetwork(h, loss=[kappa_a, kappa_b, gamma_m], drive=[eps, 0, 0])


def matched_full_network(*, Gamma: float, gamma_m: float, kappa_a: float, kappa_b: float, eps: float,
                         Delta_c: float = 0.0, Delta: float = 0.0) -> tuple[LinearNetwork, LinearNetwork, dict]:
    """A three-mode model (Eq. (1)) whose elimination is the nonreciprocal battery with rate ``Gamma``.

    Chooses ``g_a = g_b = g`` with ``gamma_m g^2 / (Delta_c^2 + gamma_m^2/4) = Gamma`` (the rate of
    Eq. (5); see :func:`elimination_parameters`), bare detunings ``Delta_a``, ``Delta_b`` that cancel
    the cavity-induced shift (``Delta'_a = 0``, ``Delta'_b = Delta``), the phase
    ``phi = arg(Delta_c + i gamma)`` (``pi/2`` on resonance) and ``J = g^2 / sqrt(Delta_c^2 + gamma^2)``
    (``Gamma/2`` on resonance), so that ``J_- = i (Gamma/2) e^{-i phi}`` with a real ``J`` at any
    ``Delta_c``.

    Parameters
    ----------
    Gamma : float
        Target shared-reservoir rate of Eq. (5) (> 0).
    gamma_m : float
        Damping of the bad cavity (> 0).
    kappa_a, kappa_b : float
        Local damping (>= 0).
    eps : float
        Drive amplitude.
    Delta_c : float
        Detuning of the bad cavity.
    Delta : float
        Battery detuning ``Delta'_b`` (``Delta'_a = 0``).

    Returns
    -------
    full : LinearNetwork
        Three modes ``(a, b, c)``, Eq. (1).
    effective : LinearNetwork
        Two modes, :func:`effective_network` with the same ``Gamma``, ``phi``, ``G``.
    params : dict
        ``g``, ``J``, ``phi``, ``Delta_a``, ``Delta_b`` and the output of :func:`elimination_parameters`.

    Raises
    ------
    ValueError
        On non-positive ``Gamma`` or ``gamma_m``, negative ``kappa``, or non-finite input.

    References
    ----------
    Lin et al., Eqs. (1), (2), (18) and the nonreciprocal condition below Eq. (6).
    """
    Gamma = _rate(Gamma, "Gamma", positive=True)
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    Delta_c = _real(Delta_c, "Delta_c")
    Delta = _real(Delta, "Delta")
    gamma = gamma_m / 2
    D = Delta_c**2 + gamma**2
    g = np.sqrt(Gamma * D / gamma_m)
    shift = g**2 * Delta_c / D
    el = elimination_parameters(g, g, gamma_m, Delta_a=shift, Delta_b=shift + Delta, Delta_c=Delta_c)
    phi = float(np.angle(Delta_c + 1j * gamma))
    J = g**2 / np.sqrt(D)
    full = full_network(g_a=g, g_b=g, gamma_m=gamma_m, J=J, phi=phi, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps,
                        Delta_a=shift, Delta_b=shift + Delta, Delta_c=Delta_c)
    eff = effective_network(Gamma=el["Gamma"], kappa_a=kappa_a, kappa_b=kappa_b, eps=eps, phi=phi, J=J,
                            Delta_a_p=el["Delta_a_p"], Delta_b_p=el["Delta_b_p"], G=el["G"])
    return full, eff, dict(g=g, J=J, phi=phi, Delta_a=shift, Delta_b=shift + Delta, **el)


def sec5_rates(*, g: float = 0.33, gamma_m: float = 5.0, kappa_a: float = 0.08, kappa_b: float = 0.06,
               J: float = 0.01) -> dict[str, float]:
    """The rates of the experimental proposal of Sec. 5, three ways (units of ``2 pi MHz``).

    ``Gamma_text``: the paper's "``Gamma = g^2 / gamma_m``" (Sec. 5); ``Gamma_def``: its own
    definition below Eq. (2) at ``Delta_c = 0`` (``g^2 / gamma = 2 g^2 / gamma_m``);
    ``Gamma_engine``: the rate that the elimination of ``c`` puts into Eq. (5), read off the
    engine's zero-frequency Schur complement of the three-mode model (:meth:`LinearNetwork.eliminated_drift`,
    independent of :func:`elimination_parameters`) as ``-2 Re A_aa - kappa_a``.

    Parameters
    ----------
    g : float
        ``g_a = g_b`` (> 0; Sec. 5: 0.33).
    gamma_m : float
        Damping of the shared mode (> 0; Sec. 5: 5).
    kappa_a, kappa_b : float
        Local damping of charger and battery (>= 0; Sec. 5: 0.08 and 0.06).
    J : float
        The coherent coupling of Sec. 5 (0.01).

    Returns
    -------
    dict
        ``Gamma_text``, ``Gamma_def``, ``Gamma_engine``, ``J_nr`` (``Gamma_engine/2``, the
        nonreciprocal coupling), ``J_nr_text`` (``Gamma_text/2``, the printed 0.01),
        ``backflow`` (``|M_ab|`` of the engine's eliminated drift at the given ``J``, relative to
        ``Gamma_engine/2``), ``ratio_EB_EA`` (``4 Gamma^2/Lambda_b^2`` with ``Gamma_engine``) and
        ``ratio_EB_EA_text`` (the same with ``Gamma_text``; both hold only at the nonreciprocal
        ``J``), ``ratio_EB_EA_printed_J`` (``E_B/E_A`` in the steady state of the three-mode model
        itself at the given ``J``, ``phi = pi/2``: the proposal as printed).

    Raises
    ------
    ValueError
        On non-positive ``g`` or ``gamma_m``, negative ``kappa``, or non-finite input.

    References
    ----------
    Lin et al., Sec. 5 and the definitions below Eq. (2).
    """
    g = _rate(g, "g", positive=True)
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    kappa_a = _rate(kappa_a, "kappa_a")
    kappa_b = _rate(kappa_b, "kappa_b")
    J = _real(J, "J")
    net = full_network(g_a=g, g_b=g, gamma_m=gamma_m, J=J, phi=np.pi / 2, kappa_a=kappa_a, kappa_b=kappa_b, eps=0.0)
    A2 = net.eliminated_drift([0, 1])
    G_eng = float(-2 * A2[0, 0].real - kappa_a)
    G_text = g**2 / gamma_m
    driven = full_network(g_a=g, g_b=g, gamma_m=gamma_m, J=J, phi=np.pi / 2, kappa_a=kappa_a, kappa_b=kappa_b,
                          eps=1.0).steady_state()["energies"]
    return dict(Gamma_text=G_text, Gamma_def=2 * g**2 / gamma_m, Gamma_engine=G_eng, J_nr=G_eng / 2,
                J_nr_text=G_text / 2, backflow=float(abs(A2[0, 1]) / (G_eng / 2)),
                ratio_EB_EA=4 * G_eng**2 / (G_eng + kappa_b) ** 2,
                ratio_EB_EA_text=4 * G_text**2 / (G_text + kappa_b) ** 2,
                ratio_EB_EA_printed_J=float(driven[1] / driven[0]))


def memory_matrix(*, Gamma: float, gamma_m: float, phi: float, Delta_c: float = 0.0) -> np.ndarray:
    """The first memory correction ``N`` of the elimination of ``c`` (beyond the paper).

    Keeping the first time derivative in ``c = -i X/z + i (dX/dt)/z^2`` (``z = gamma_m/2 + i Delta_c``)
    turns the effective equations into ``(1 - N) dv/dt = A v - i F`` with
    ``N = (Gamma/gamma_m) (z^*/z) [[1, e^{-i phi}], [e^{i phi}, 1]]`` at ``g_a = g_b`` and fixed
    ``Gamma`` (:func:`nrqb.papers.lin_sym.memory_correction`).

    Parameters
    ----------
    Gamma : float
        Rate of Eq. (5) (>= 0).
    gamma_m : float
        Damping of ``c`` (> 0).
    phi : float
        Coupling phase.
    Delta_c : float
        Detuning of ``c``.

    Returns
    -------
    ndarray, (2, 2) complex

    Raises
    ------
    ValueError
        On a negative ``Gamma``, non-positive ``gamma_m`` or non-finite input.

    References
    ----------
    Lin et al., Eqs. (1), (17); Gardiner and Zoller, *Quantum Noise* (adiabatic elimination).
    """
    Gamma = _rate(Gamma, "Gamma")
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    phi = _real(phi, "phi")
    Delta_c = _real(Delta_c, "Delta_c")
    z = gamma_m / 2 + 1j * Delta_c
    P = np.array([[1.0, np.exp(-1j * phi)], [np.exp(1j * phi), 1.0]])
    return Gamma / gamma_m * (np.conj(z) / z) * P


def elimination_first_order(t: Any, *, Gamma: float, gamma_m: float, kappa_a: float, kappa_b: float, eps: float,
                            Delta_c: float = 0.0, Delta: float = 0.0) -> np.ndarray:
    """First-order prediction of ``E_B^full(t) - E_B^eff(t)``, the transient error of the elimination (beyond the paper).

    For the matched pair of :func:`matched_full_network`, the correction ``N`` of
    :func:`memory_matrix` changes the amplitudes by ``delta v`` with
    ``d(delta v)/dt = A delta v + N (A v - i F)``, ``delta v(0) = 0`` (first order in ``1/gamma_m``);
    the energy changes by ``2 Re(conj(v_b) delta v_b)``.  Solved exactly with the augmented matrix
    exponential, stepped from one time to the next (one exponential per distinct step).  Since
    ``N ∝ (Gamma/gamma_m) z^*/z``, at ``Delta = 0`` (where the problem is
    real after the gauge ``b -> e^{i phi} b``) the prediction is
    ``(Gamma/gamma_m) (gamma^2 - Delta_c^2)/(gamma^2 + Delta_c^2) S(t)`` with ``S`` independent of ``Delta_c``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, gamma_m, kappa_a, kappa_b, eps, Delta_c, Delta : float
        As in :func:`matched_full_network`.

    Returns
    -------
    ndarray, real, shape of ``t`` (flattened to 1-D)

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eqs. (1), (5), (17).
    """
    t = np.atleast_1d(_t(t)).ravel()
    _, eff, par = matched_full_network(Gamma=Gamma, gamma_m=gamma_m, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps,
                                       Delta_c=Delta_c, Delta=Delta)
    A = eff.drift
    F = -1j * np.array([_real(eps, "eps"), 0.0])
    N = memory_matrix(Gamma=Gamma, gamma_m=gamma_m, phi=par["phi"], Delta_c=Delta_c)
    big = np.zeros((5, 5), complex)
    big[:2, :2] = A
    big[:2, 2:4] = N @ A
    big[:2, 4] = N @ F
    big[2:4, 2:4] = A
    big[2:4, 4] = F
    # x(t) = expm(big t) e_4, stepped through the sorted times: x(t') = expm(big (t' - t)) x(t), with one
    # matrix exponential per distinct step (a linspace has a handful), instead of one per time
    order = np.argsort(t, kind="stable")
    x = np.zeros(5, complex)
    x[4] = 1.0
    prev, steps = 0.0, {}
    out = np.empty(len(t))
    for k in order:
        dt = float(t[k]) - prev
        if dt not in steps:
            steps[dt] = sla.expm(big * dt)
        x = steps[dt] @ x
        prev = float(t[k])
        out[k] = 2 * np.real(np.conj(x[3]) * x[1])
    return out


def elimination_error(*, Gamma: float, gamma_m: float, kappa_a: float, kappa_b: float, eps: float,
                      Delta_c: float = 0.0, Delta: float = 0.0, t: Any = None) -> dict[str, float]:
    """How far the three-mode model is from its elimination, for one matched pair (beyond the paper).

    Parameters
    ----------
    Gamma, gamma_m, kappa_a, kappa_b, eps, Delta_c, Delta : float
        As in :func:`matched_full_network`.
    t : array_like, optional
        Time grid (>= 0) of the transient; default ``linspace(0, 1500, 301)``.

    Returns
    -------
    dict
        ``transient``: ``max_t |E_B^full - E_B^eff| / E_B^eff(inf)``; ``steady``: the relative
        difference of the steady battery energies; ``first_order``: ``max_t`` of
        :func:`elimination_first_order` relative to ``E_B^eff(inf)``; ``residual``:
        ``max_t |E_B^full - E_B^eff - first order| / E_B^eff(inf)`` (second order); ``g``: the
        coupling of the matched model.

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eqs. (1), (5), (17)-(18).
    """
    t = np.linspace(0.0, 1500.0, 301) if t is None else np.atleast_1d(_t(t)).ravel()
    full, eff, par = matched_full_network(Gamma=Gamma, gamma_m=gamma_m, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps,
                                          Delta_c=Delta_c, Delta=Delta)
    Ef, Ee = full.energies(t)[:, 1], eff.energies(t)[:, 1]
    Einf = float(eff.steady_state()["energies"][1])
    pred = elimination_first_order(t, Gamma=Gamma, gamma_m=gamma_m, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps,
                                   Delta_c=Delta_c, Delta=Delta)
    return dict(transient=float(np.max(np.abs(Ef - Ee)) / Einf),
                steady=float(abs(full.steady_state()["energies"][1] / Einf - 1)),
                first_order=float(np.max(np.abs(pred)) / Einf),
                residual=float(np.max(np.abs(Ef - Ee - pred)) / Einf), g=float(par["g"]))


def elimination_scan(gamma_m: Any, Delta_c_over_gamma: Any, *, Gamma: float = 0.04, kappa: float = 0.003,
                     eps: float = 0.1, Delta: float = 0.0, t: Any = None) -> dict[str, np.ndarray]:
    """:func:`elimination_error` over a grid of ``gamma_m`` and of ``Delta_c / gamma`` (``gamma = gamma_m/2``).

    Parameters
    ----------
    gamma_m : array_like
        Cavity damping rates (> 0).
    Delta_c_over_gamma : array_like
        Cavity detunings in units of ``gamma_m / 2``.
    Gamma, kappa, eps, Delta : float
        Rate of Eq. (5), ``kappa_a = kappa_b``, drive, battery detuning.
    t : array_like, optional
        Time grid (default of :func:`elimination_error`).

    Returns
    -------
    dict of ndarray, shape (len(Delta_c_over_gamma), len(gamma_m))
        ``transient``, ``steady``, ``first_order``, ``residual``, ``g``.

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eqs. (1), (17)-(18).
    """
    gms = np.atleast_1d(np.asarray(gamma_m, dtype=float))
    xs = np.atleast_1d(np.asarray(Delta_c_over_gamma, dtype=float))
    if gms.ndim != 1 or xs.ndim != 1 or not (np.all(np.isfinite(gms)) and np.all(np.isfinite(xs))):
        raise ValueError("gamma_m and Delta_c_over_gamma must be finite 1-D arrays")
    keys = ("transient", "steady", "first_order", "residual", "g")
    out = {k: np.empty((len(xs), len(gms))) for k in keys}
    for i, x in enumerate(xs):
        for j, gm in enumerate(gms):
            e = elimination_error(Gamma=Gamma, gamma_m=gm, kappa_a=kappa, kappa_b=kappa, eps=eps,
                                  Delta_c=x * gm / 2, Delta=Delta, t=t)
            for k in keys:
                out[k][i, j] = e[k]
    return out


def elimination_kappa_scan(kappa: Any, *, Gamma: float = 0.04, gamma_m: float = 20.0, eps: float = 0.1,
                           n_t: int = 1201) -> dict[str, np.ndarray]:
    """:func:`elimination_error` over local damping rates ``kappa_a = kappa_b = kappa`` (beyond the paper).

    Each ``kappa`` gets its own time grid, ``linspace(0, 60/Lambda, n_t)`` with ``Lambda = Gamma + kappa``
    (the charging time scale), so that the largest transient error is resolved whatever ``kappa``.
    On resonance (``Delta_c = Delta = 0``).

    Parameters
    ----------
    kappa : array_like
        Local damping rates (>= 0).
    Gamma : float
        Rate of paper Eq. (5) (> 0).
    gamma_m : float
        Damping of the bad cavity (> 0).
    eps : float
        Drive.
    n_t : int
        Points of each time grid (>= 11).

    Returns
    -------
    dict of ndarray, shape of ``kappa`` (1-D)
        ``transient``, ``steady``, ``first_order``, ``residual`` of :func:`elimination_error`, and
        ``xi = transient * gamma_m / Gamma`` (the prefactor of the law ``xi Gamma/gamma_m``).

    Raises
    ------
    ValueError
        On bad parameters (negative or non-finite ``kappa``, ``n_t`` not an integer >= 11).

    References
    ----------
    Lin et al., Eqs. (1), (5), (17)-(18); the adiabatic conditions of Sec. 2.
    """
    ks = np.atleast_1d(np.asarray(kappa, dtype=float))
    if ks.ndim != 1 or not np.all(np.isfinite(ks)) or np.any(ks < 0):
        raise ValueError("kappa must be a finite, non-negative 1-D array")
    Gamma = _rate(Gamma, "Gamma", positive=True)
    gamma_m = _rate(gamma_m, "gamma_m", positive=True)
    n_t = _count(n_t, "n_t", minimum=11)
    keys = ("transient", "steady", "first_order", "residual")
    out = {k: np.empty(len(ks)) for k in keys}
    for i, k in enumerate(ks):
        e = elimination_error(Gamma=Gamma, gamma_m=gamma_m, kappa_a=k, kappa_b=k, eps=eps,
                              t=np.linspace(0.0, 60.0 / (Gamma + k), n_t))
        for key in keys:
            out[key][i] = e[key]
    out["xi"] = out["transient"] * gamma_m / Gamma
    return out


# ============================================================================================
# 2. The effective model and the nonreciprocity condition (paper Eqs. (2)-(5))
# ============================================================================================
def nonreciprocal_J(Gamma: float, phi: float, G: float = 0.0) -> complex:
    """The coherent coupling that cancels the backflow ``b -> a``: ``J_- = i (Gamma/2) e^{-i phi}``.

    With ``J_- = J - G e^{-i phi}`` this is ``J = (G + i Gamma/2) e^{-i phi}``; it is real only when
    ``phi = arg(G + i Gamma / 2)`` (``phi = pi/2`` for ``G = 0``, giving ``J = Gamma/2``).

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate of Eq. (5) (>= 0).
    phi : float
        Coupling phase.
    G : float
        Coherent part of the cavity-mediated coupling (Eq. (2)).

    Returns
    -------
    complex
        ``J``; the caller must check that it is real before using it in Eq. (1).

    Raises
    ------
    ValueError
        On a negative ``Gamma`` or non-finite input.

    References
    ----------
    Lin et al., the condition below Eq. (6), ``J_- = i (Gamma/2) e^{-i phi}``.
    """
    Gamma = _rate(Gamma, "Gamma")
    phi = _real(phi, "phi")
    G = _real(G, "G")
    return (G + 0.5j * Gamma) * np.exp(-1j * phi)


def effective_network(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float, phi: float = np.pi / 2,
                      J: float | None = None, Delta_a_p: float = 0.0, Delta_b_p: float = 0.0,
                      G: float = 0.0, Gamma_a: float | None = None, Gamma_b: float | None = None) -> LinearNetwork:
    """The effective two-mode model whose moment equations are Lin et al.'s Eqs. (5)-(6) (and (19)-(20)).

    The master equation is ``-i[H_coh, rho] + D[sqrt(Gamma_a) a + sqrt(Gamma_b) e^{-i phi} b] rho
    + kappa_a D[a] rho + kappa_b D[b] rho`` with
    ``H_coh = Delta'_a a^dag a + Delta'_b b^dag b + J_- a^dag b + J_+ a b^dag + eps (a + a^dag)``,
    ``J_pm = J - G e^{pm i phi}``.  For ``Gamma_a = Gamma_b = Gamma`` the jump is
    ``Gamma D[a + e^{-i phi} b]``: a collective jump from the eliminated cavity.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate of Eq. (5) (>= 0).
    kappa_a, kappa_b : float
        Local damping (>= 0); ``Lambda_j = Gamma_j + kappa_j``.
    eps : float
        Drive amplitude on the charger.
    phi : float
        Coupling phase (default ``pi/2``).
    J : float, optional
        Real coherent coupling; default: the nonreciprocal value :func:`nonreciprocal_J`
        (``Gamma/2`` at ``phi = pi/2``, ``G = 0``), which must then be real.
    Delta_a_p, Delta_b_p : float
        Shifted detunings ``Delta'_a``, ``Delta'_b``.
    G : float
        Coherent cavity-mediated coupling.
    Gamma_a, Gamma_b : float, optional
        Individual rates (default ``Gamma``); the cross rate is ``sqrt(Gamma_a Gamma_b)``, which
        equals ``Gamma`` for the elimination of Eq. (2).

    Returns
    -------
    LinearNetwork
        Two modes ``(a, b)``, ``omega = 1``.

    Raises
    ------
    ValueError
        On negative or NaN rates, or if the default nonreciprocal ``J`` is not real.

    References
    ----------
    Lin et al., Eqs. (2)-(6), (19)-(20).
    """
    Gamma = _rate(Gamma, "Gamma")
    kappa_a = _rate(kappa_a, "kappa_a")
    kappa_b = _rate(kappa_b, "kappa_b")
    eps = _real(eps, "eps")
    phi = _real(phi, "phi")
    G = _real(G, "G")
    Gamma_a = Gamma if Gamma_a is None else _rate(Gamma_a, "Gamma_a")
    Gamma_b = Gamma if Gamma_b is None else _rate(Gamma_b, "Gamma_b")
    if J is None:
        Jc = nonreciprocal_J(Gamma, phi, G)
        if abs(Jc.imag) > 1e-12 * max(1.0, abs(Jc)):
            raise ValueError(
                f"the nonreciprocal coupling J = {Jc:.4g} is not real for phi = {phi!r}, G = {G!r}; "
                "pass J explicitly or choose phi = arg(G + i Gamma/2)")
        J = Jc.real
    J = _real(J, "J")
    J_minus = J - G * np.exp(-1j * phi)
    h = np.array([[_real(Delta_a_p, "Delta_a_p"), J_minus], [np.conj(J_minus), _real(Delta_b_p, "Delta_b_p")]])
    jump = (1.0, [np.sqrt(Gamma_a), np.sqrt(Gamma_b) * np.exp(-1j * phi)])
    return LinearNetwork(h, loss=[kappa_a, kappa_b], jumps=[jump], drive=[eps, 0])


# ============================================================================================
# 3. The moment equations (paper Eqs. (5)-(6)): corrected and as printed
# ============================================================================================
#: order of the variables of :func:`moment_equations`
MOMENTS = ("<a>", "<a>*", "<b>", "<b>*", "<a^dag a>", "<b^dag b>", "<a^dag b>", "<a^dag b>*")


def moment_equations(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float, J: float,
                     phi: float = np.pi / 2, Delta_a_p: float = 0.0, Delta_b_p: float = 0.0, G: float = 0.0,
                     as_printed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The linear system ``dy/dt = L y + f`` of Lin et al.'s Eqs. (5)-(6), corrected or as printed.

    ``y`` = (``<a>``, ``<a>^*``, ``<b>``, ``<b>^*``, ``<a^dag a>``, ``<b^dag b>``, ``<a^dag b>``,
    ``<a^dag b>^*``) (``MOMENTS``).  ``as_printed=True`` keeps the printed ``-2 Re{...}`` in the
    first line of Eq. (6); the default has ``+2 Re{...}``, as in the paper's own Eq. (20) and in the
    moments of the Lindblad equation.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps, J, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`effective_network` (``J`` real, required).
    as_printed : bool
        Use the printed sign of Eq. (6).

    Returns
    -------
    L : ndarray, (8, 8) complex
    f : ndarray, (8,) complex

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eqs. (5)-(6) (printed) and (19)-(20).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    J, phi, G = _real(J, "J"), _real(phi, "phi"), _real(G, "G")
    da, db = _real(Delta_a_p, "Delta_a_p"), _real(Delta_b_p, "Delta_b_p")
    if not isinstance(as_printed, (bool, np.bool_)):
        raise ValueError(f"as_printed must be a bool, got {as_printed!r}")
    e, ec = np.exp(1j * phi), np.exp(-1j * phi)
    Jm, Jp = J - G * ec, J - G * e
    A, D = -1j * da - La / 2, -1j * db - Lb / 2
    B, C = -1j * (Jm - 0.5j * Gamma * ec), -1j * (Jp - 0.5j * Gamma * e)
    x1 = -1j * (Jm - 0.5j * Gamma * ec)          # first line of Eq. (6)
    x2 = 1j * (Jm + 0.5j * Gamma * ec)           # second line
    sgn = -1.0 if as_printed else 1.0
    L = np.zeros((8, 8), complex)
    f = np.zeros(8, complex)
    L[0, 0], L[0, 2], f[0] = A, B, -1j * eps
    L[1, 1], L[1, 3], f[1] = np.conj(A), np.conj(B), 1j * eps
    L[2, 2], L[2, 0] = D, C
    L[3, 3], L[3, 1] = np.conj(D), np.conj(C)
    # -La n_a + sgn 2 Re{x1 <a^dag b>} - 2 Im{eps <a>},  Im{eps <a>} = eps (<a> - <a>*)/(2i)
    L[4, 4], L[4, 6], L[4, 7] = -La, sgn * x1, sgn * np.conj(x1)
    L[4, 0], L[4, 1] = 1j * eps, -1j * eps
    L[5, 5], L[5, 6], L[5, 7] = -Lb, x2, np.conj(x2)
    E6 = 1j * (da - db) - (La + Lb) / 2
    L[6, 6], L[6, 2] = E6, 1j * eps
    L[6, 4], L[6, 5] = -1j * (Jp - 0.5j * Gamma * e), 1j * (Jp + 0.5j * Gamma * e)
    L[7, 7], L[7, 3] = np.conj(E6), -1j * eps
    L[7, 4], L[7, 5] = np.conj(L[6, 4]), np.conj(L[6, 5])
    return L, f


def moment_solution(t: Any, **kwargs: Any) -> np.ndarray:
    """``(<a^dag a>, <b^dag b>)(t)`` from the vacuum, integrating :func:`moment_equations` exactly.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    **kwargs
        Passed to :func:`moment_equations` (``as_printed`` included).

    Returns
    -------
    ndarray, shape (len(t), 2), real
        The real parts of ``<a^dag a>`` and ``<b^dag b>`` (the system keeps them real).

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eqs. (5)-(6).
    """
    t = np.atleast_1d(_t(t)).ravel()
    L, f = moment_equations(**kwargs)
    big = np.zeros((9, 9), complex)
    big[:8, :8], big[:8, 8] = L, f
    out = np.empty((len(t), 2))
    for k, tk in enumerate(t):
        y = sla.expm(big * tk)[:8, 8]
        out[k] = y[4].real, y[5].real
    return out


def moment_steady(**kwargs: Any) -> tuple[float, float]:
    """Steady ``(<a^dag a>, <b^dag b>)`` of :func:`moment_equations`.

    Parameters
    ----------
    **kwargs
        Passed to :func:`moment_equations` (``as_printed`` included).

    Returns
    -------
    (float, float)

    Raises
    ------
    ValueError
        If the system is unstable (an eigenvalue with positive real part: no steady state), as the
        printed Eq. (6) is for large ``kappa_b / kappa_a`` at the EP coupling.

    References
    ----------
    Lin et al., Eqs. (5)-(6).
    """
    L, f = moment_equations(**kwargs)
    ev = np.linalg.eigvals(L)
    scale = max(1.0, float(np.max(np.abs(L))))
    if np.max(ev.real) >= -1e-13 * scale:
        raise ValueError(f"the moment equations are unstable (max Re eigenvalue {np.max(ev.real):.3e}): "
                         "no steady state")
    y = np.linalg.solve(L, -f)
    return float(y[4].real), float(y[5].real)


# ============================================================================================
# 4. Closed forms under the nonreciprocal condition (paper Eqs. (7)-(12), (21)-(24));
#    each corrected form beside the printed one
# ============================================================================================
def charger_amplitude(t: Any, *, Gamma: float, kappa_a: float, eps: float, Delta_a_p: float = 0.0) -> np.ndarray:
    """Charger amplitude ``<a>(t)`` from the vacuum under the nonreciprocal condition (Lin et al., Eq. (21), corrected).

    ``<a> = -i eps / z (1 - e^{-z t})`` with ``z = Lambda_a/2 + i Delta'_a``, i.e.
    ``-eps (Delta'_a + i Lambda_a/2) / (Delta'_a^2 + Lambda_a^2/4) (1 - e^{-(Lambda_a/2 + i Delta'_a) t})``.
    The printed second line of Eq. (21) has ``+Delta'_a`` in the numerator
    (:func:`charger_amplitude_as_printed`); the two agree only at ``Delta'_a = 0``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a : float
        Rates (>= 0), ``Lambda_a = Gamma + kappa_a > 0``.
    eps : float
        Drive amplitude.
    Delta_a_p : float
        Shifted charger detuning ``Delta'_a``.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eq. (21) (first line; the second line as corrected).
    """
    Gamma, La, _, eps = _check_lams(Gamma, kappa_a, 0.0, eps)
    d = _real(Delta_a_p, "Delta_a_p")
    t = _t(t)
    z = 0.5 * La + 1j * d
    return -1j * eps / z * (-np.expm1(-z * t))


def charger_amplitude_as_printed(t: Any, *, Gamma: float, kappa_a: float, eps: float,
                                 Delta_a_p: float = 0.0) -> np.ndarray:
    """The second line of Lin et al.'s Eq. (21) as printed.

    ``eps (Delta'_a - i Lambda_a/2) / (Delta'_a^2 + Lambda_a^2/4) (1 - e^{-Lambda_a t/2} e^{-i Delta'_a t})``:
    the sign of the real part is wrong for ``Delta'_a != 0`` (:func:`charger_amplitude`).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, eps, Delta_a_p : float
        As in :func:`charger_amplitude`.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eq. (21).
    """
    Gamma, La, _, eps = _check_lams(Gamma, kappa_a, 0.0, eps)
    d = _real(Delta_a_p, "Delta_a_p")
    t = _t(t)
    return eps * (d - 0.5j * La) / (d**2 + La**2 / 4) * (1 - np.exp(-La * t / 2) * np.exp(-1j * d * t))


def charger_occupation(t: Any, *, Gamma: float, kappa_a: float, eps: float, Delta_a_p: float = 0.0) -> np.ndarray:
    """Charger occupation ``<a^dag a>(t)`` (Lin et al., Eq. (7); with detuning, the equation after Eq. (22)).

    ``eps^2 / (Delta'_a^2 + Lambda_a^2/4) [1 + e^{-Lambda_a t} - 2 e^{-Lambda_a t/2} cos(Delta'_a t)]``,
    which for ``Delta'_a = 0`` is ``4 eps^2 / Lambda_a^2 (1 - e^{-Lambda_a t/2})^2`` (Eq. (7), where
    the printed ``Lambda`` means ``Lambda_a``).  Both printed forms are right (``|<a>|^2`` does not
    see the sign error of Eq. (21)).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, eps, Delta_a_p : float
        As in :func:`charger_amplitude`.

    Returns
    -------
    ndarray, real

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eq. (7) and the unnumbered equation after Eq. (22).
    """
    Gamma, La, _, eps = _check_lams(Gamma, kappa_a, 0.0, eps)
    d = _real(Delta_a_p, "Delta_a_p")
    t = _t(t)
    return eps**2 / (d**2 + La**2 / 4) * (1 + np.exp(-La * t) - 2 * np.exp(-La * t / 2) * np.cos(d * t))


def battery_amplitude(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                      phi: float = np.pi / 2) -> np.ndarray:
    """Battery amplitude ``<b>(t)`` under the nonreciprocal condition, ``Delta' = 0`` (Lin et al., Eq. (22)), exact at ``Lambda_a = Lambda_b``.

    ``<b> = 4 i eps Gamma e^{i phi} / Lambda_a [ (1 - e^{-Lambda_b t/2}) / Lambda_b
    + (e^{-Lambda_a t/2} - e^{-Lambda_b t/2}) / (Lambda_a - Lambda_b) ]``, evaluated with
    ``(e^{-Lambda_a t/2} - e^{-Lambda_b t/2}) / (Lambda_a - Lambda_b) = -(t/2) e^{-Lambda_b t/2}
    phi1(-(Lambda_a - Lambda_b) t / 2)``, ``phi1(x) = (e^x - 1)/x``, so it is exact at
    ``Lambda_a = Lambda_b`` (where the printed form is 0/0 and the limit is ``-(t/2) e^{-Lambda t/2}``).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b : float
        Rates (>= 0).
    eps : float
        Drive amplitude.
    phi : float
        Coupling phase.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eq. (22).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    phi = _real(phi, "phi")
    t = _t(t)
    eb = np.exp(-Lb * t / 2)
    diff = -(t / 2) * eb * _phi1(-(La - Lb) * t / 2)
    return 4j * eps * Gamma * np.exp(1j * phi) / La * (-np.expm1(-Lb * t / 2) / Lb + diff)


def battery_amplitude_as_printed(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                                 phi: float = np.pi / 2) -> np.ndarray:
    """Eq. (22) of Lin et al. exactly as printed; 0/0 at ``Lambda_a = Lambda_b``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps, phi : float
        As in :func:`battery_amplitude`, with ``kappa_a != kappa_b``.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        At ``Lambda_a == Lambda_b`` (0/0; use :func:`battery_amplitude`), or on bad parameters.

    References
    ----------
    Lin et al., Eq. (22).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    phi = _real(phi, "phi")
    if La == Lb:
        raise ValueError("Eq. (22) as printed is 0/0 at Lambda_a == Lambda_b; use battery_amplitude")
    t = _t(t)
    e = np.exp
    return 4j * eps * Gamma * e(1j * phi) / La * ((1 - e(-Lb * t / 2)) / Lb
                                                 + (e(-La * t / 2) - e(-Lb * t / 2)) / (La - Lb))


def battery_occupation(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float) -> np.ndarray:
    """Battery occupation ``<b^dag b>(t)`` (Lin et al., Eqs. (8), (24)), exact at ``Lambda_a = Lambda_b``.

    Computed as ``|<b>|^2`` from :func:`battery_amplitude`; this equals the printed Eq. (8) wherever
    the latter is defined (checked symbolically in the chapter) and is its continuous extension at
    ``Lambda_a = Lambda_b``.  ``E_B = omega <b^dag b>`` with ``omega = 1``.  It is symmetric under
    ``kappa_a <-> kappa_b``: ``<b>`` is the step response of two first-order filters in cascade
    (rates ``Lambda_a/2`` and ``Lambda_b/2``), whose order does not matter.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps : float
        As in :func:`battery_amplitude`.

    Returns
    -------
    ndarray, real

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eqs. (8) and (24).
    """
    return np.abs(battery_amplitude(t, Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps)) ** 2


def A_coefficients(Lambda_a: float, Lambda_b: float) -> tuple[float, float, float, float]:
    """The constants ``A_1 .. A_4`` below Eq. (9) of Lin et al.

    Parameters
    ----------
    Lambda_a, Lambda_b : float
        Effective decay rates (> 0), not equal (``A_2 .. A_4`` diverge at ``Lambda_a = Lambda_b``).

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError
        If a rate is not positive or ``Lambda_a == Lambda_b``.

    References
    ----------
    Lin et al., the definitions below Eq. (9) (and below Eq. (24)).
    """
    La = _rate(Lambda_a, "Lambda_a", positive=True)
    Lb = _rate(Lambda_b, "Lambda_b", positive=True)
    if La == Lb:
        raise ValueError("A_2, A_3, A_4 diverge at Lambda_a == Lambda_b (the printed form is 0/0); "
                         "use battery_occupation, which is exact there")
    A1 = 1 / (La + Lb) + La / (Lb * (La + Lb))
    A2 = -2 / Lb + La / (Lb * (La - Lb))
    A3 = -1 / (La - Lb)
    A4 = -La / (Lb * (La - Lb))
    return A1, A2, A3, A4


def battery_occupation_as_printed(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float) -> np.ndarray:
    """Eq. (8) of Lin et al. exactly as printed (with ``A_1 .. A_4``); undefined at ``Lambda_a = Lambda_b``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps : float
        Rates (>= 0) with ``kappa_a != kappa_b``, and the drive.

    Returns
    -------
    ndarray, real

    Raises
    ------
    ValueError
        At ``Lambda_a == Lambda_b`` (0/0); use :func:`battery_occupation`.

    References
    ----------
    Lin et al., Eq. (8) = Eq. (24).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    A1, A2, A3, A4 = A_coefficients(La, Lb)
    t = _t(t)
    e = np.exp
    bracket = (A1 / Lb * (1 - e(-Lb * t)) + A2 / (Lb - La / 2) * (e(-La * t / 2) - e(-Lb * t))
               + A3 / (Lb - La) * (e(-La * t) - e(-Lb * t)) + 2 * A4 / Lb * (e(-Lb * t / 2) - e(-Lb * t))
               - 2 * (A1 + A2 + A3 + A4) / (Lb - La) * (e(-(La + Lb) * t / 2) - e(-Lb * t)))
    return 16 * eps**2 * Gamma**2 / La**2 * bracket


def coherence_ab(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                 phi: float = np.pi / 2) -> np.ndarray:
    """``<a^dag b>(t)`` (Lin et al., Eqs. (9), (23)) as ``conj(<a>) <b>``, exact at ``Lambda_a = Lambda_b``.

    The state stays coherent (zero-temperature baths, vacuum start), so the normally ordered
    moment factorises.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps, phi : float
        As in :func:`battery_amplitude`.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eqs. (9) and (23).
    """
    a = charger_amplitude(t, Gamma=Gamma, kappa_a=kappa_a, eps=eps)
    b = battery_amplitude(t, Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps, phi=phi)
    return np.conj(a) * b


def coherence_ab_as_printed(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                            phi: float = np.pi / 2) -> np.ndarray:
    """Eq. (9) of Lin et al. exactly as printed; undefined at ``Lambda_a = Lambda_b``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps, phi : float
        As in :func:`battery_occupation_as_printed`, and the phase.

    Returns
    -------
    ndarray, complex

    Raises
    ------
    ValueError
        At ``Lambda_a == Lambda_b`` (0/0), or on bad parameters.

    References
    ----------
    Lin et al., Eq. (9) = Eq. (23).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    phi = _real(phi, "phi")
    A1, A2, A3, A4 = A_coefficients(La, Lb)
    t = _t(t)
    e = np.exp
    eab = e(-(La + Lb) * t / 2)
    bracket = A1 * (1 - eab) + A2 * (e(-La * t / 2) - eab) + A3 * (e(-La * t) - eab) + A4 * (e(-Lb * t / 2) - eab)
    return -8 * eps**2 * Gamma * np.exp(1j * phi) / La**2 * bracket


def steady_energies(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float) -> tuple[float, float]:
    """Steady energies ``(E_A, E_B)`` under the nonreciprocal condition, simplified (Lin et al., Eq. (10)).

    ``E_A = 4 eps^2 / Lambda_a^2`` and ``E_B = 16 eps^2 Gamma^2 / (Lambda_a^2 Lambda_b^2)`` (the two
    printed terms of Eq. (10) add up to this), in units of ``omega``.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps : float
        Rates (>= 0) and drive.

    Returns
    -------
    (float, float)

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (10).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    return 4 * eps**2 / La**2, 16 * eps**2 * Gamma**2 / (La**2 * Lb**2)


def steady_energies_as_printed(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float) -> tuple[float, float]:
    """Eq. (10) of Lin et al. term by term as printed (``omega_a = omega_b = 1``).

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps : float
        Rates (>= 0) and drive.

    Returns
    -------
    (float, float)

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (10).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    EB = (16 * eps**2 * Gamma**2 / (La**2 * Lb * (La + Lb)) + 16 * eps**2 * Gamma**2 / (La * Lb**2 * (La + Lb)))
    return 4 * eps**2 / La**2, EB


def efficiency(E_A: Any, E_B: Any) -> np.ndarray:
    """Charger-to-battery transfer efficiency ``eta = E_B / (E_A + E_B)`` (Lin et al., Eq. (11)).

    Parameters
    ----------
    E_A, E_B : array_like
        Energies (>= 0), broadcast together.  Where both vanish (``t = 0``) ``eta`` is set to 0.

    Returns
    -------
    ndarray

    Raises
    ------
    ValueError
        On non-finite, complex or negative energies, or shapes that do not broadcast.

    References
    ----------
    Lin et al., Eq. (11).
    """
    try:
        E_A = np.asarray(E_A, float)
        E_B = np.asarray(E_B, float)
        shape = np.broadcast(E_A, E_B).shape
    except (TypeError, ValueError) as exc:
        raise ValueError(f"E_A and E_B must be real arrays of broadcastable shapes: {exc}") from exc
    if np.any(~np.isfinite(E_A)) or np.any(~np.isfinite(E_B)):
        raise ValueError("E_A and E_B must be finite")
    if np.any(E_A < 0) or np.any(E_B < 0):
        raise ValueError("E_A and E_B must be >= 0")
    tot = E_A + E_B
    return np.divide(E_B, tot, out=np.zeros(shape), where=tot > 0)


def battery_power(t: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float) -> np.ndarray:
    """Instantaneous charging power ``P = dE_B/dt`` in closed form (Lin et al., Eq. (12)).

    ``P = 2 Re(conj(beta) dbeta/dt)`` with ``dbeta/dt = -Lambda_b beta/2 - Gamma e^{i phi} alpha``
    (the nonreciprocal Eq. (5)); exact, no finite differences.  Units ``omega^2``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, kappa_a, kappa_b, eps : float
        Rates (>= 0) and drive.

    Returns
    -------
    ndarray, real

    Raises
    ------
    ValueError
        On bad parameters or negative times.

    References
    ----------
    Lin et al., Eqs. (5), (12), (21), (22).
    """
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    alpha = charger_amplitude(t, Gamma=Gamma, kappa_a=kappa_a, eps=eps)
    beta = battery_amplitude(t, Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps, phi=0.0)
    dbeta = -Lb / 2 * beta - Gamma * alpha
    return 2 * np.real(np.conj(beta) * dbeta)


def network_power(net: LinearNetwork, t: Any, mode: int = 1) -> np.ndarray:
    """``P(t) = dE_j/dt`` of one mode of any :class:`LinearNetwork`, exactly (Lin et al., Eq. (12)).

    A thin selector around :meth:`nrqb.engine.LinearNetwork.power`, which evaluates
    ``d|alpha_j|^2/dt`` and ``dN_jj/dt`` from the moment equations at each time (no finite
    differences), and multiplies by ``omega_j``.

    Parameters
    ----------
    net : LinearNetwork
        The model.
    t : array_like
        1-D array of times (>= 0).
    mode : int
        The mode (default 1, the battery); negative indices count from the end.

    Returns
    -------
    ndarray, shape (len(t),)

    Raises
    ------
    ValueError
        If ``net`` is not a :class:`LinearNetwork`, ``mode`` is not a valid mode index, or a time
        is negative.

    References
    ----------
    Lin et al., Eq. (12); :meth:`nrqb.engine.LinearNetwork.power`.
    """
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    n = net.n_modes
    if isinstance(mode, bool) or not isinstance(mode, (int, np.integer)) or not -n <= mode < n:
        raise ValueError(f"mode must be an integer in [-{n}, {n}), got {mode!r}")
    return net.power(_times(t, one_d=True, nonnegative=True))[:, mode]


def resonant_power_peak(*, Gamma: float, kappa: float) -> dict[str, float]:
    """Where the resonant charging power peaks at ``kappa_a = kappa_b = kappa`` (Exercise 3 of the chapter).

    With ``s = Lambda t / 2`` the power is ``P ∝ f(s) f'(s)``, ``f = 1 - e^{-s} - s e^{-s}``, and its
    peak solves ``2 s^2 - s e^s + e^s - 1 = 0`` (:func:`nrqb.papers.lin_sym.resonant_power_peak`), an
    equation in ``s`` alone: ``Lambda t/2`` at the peak is a universal number, ``s* = 1.93...``.

    Parameters
    ----------
    Gamma : float
        Rate of Eq. (5) (> 0).
    kappa : float
        ``kappa_a = kappa_b`` (>= 0).

    Returns
    -------
    dict
        ``s`` (``Lambda t/2`` at the peak), ``t`` (the time) and ``Jt`` (on the paper's axis
        ``J = Gamma/2``: ``s Gamma / Lambda``).

    Raises
    ------
    ValueError
        On non-positive ``Gamma`` or negative ``kappa``.

    References
    ----------
    Lin et al., Eqs. (8), (12), (22) at ``kappa_a = kappa_b``; Sec. 3.1 (peak at ``Jt ≈ 2``).
    """
    from scipy.optimize import brentq

    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa")
    s = brentq(lambda x: 2 * x**2 * np.exp(-x) - x + 1 - np.exp(-x), 1.0, 3.0, xtol=1e-15, rtol=1e-15)
    La = Gamma + kappa
    return dict(s=float(s), t=float(2 * s / La), Jt=float(s * Gamma / La))


def _first_crossing(f: Callable[[np.ndarray], np.ndarray], target: float, t_max: float, n: int = 4001) -> float:
    """The first ``t`` in ``(0, t_max]`` with ``f(t) = target``, bracketed on a grid and refined by ``brentq``."""
    from scipy.optimize import brentq

    grid = np.linspace(0.0, t_max, n)
    vals = f(grid) - target
    idx = np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) <= 0)
    if len(idx) == 0:
        raise ValueError(f"the target {target!r} is not reached for 0 <= t <= {t_max!r}")
    i = int(idx[0])
    if vals[i] == 0:
        return float(grid[i])
    return float(brentq(lambda x: float(f(np.array([x]))[0]) - target, grid[i], grid[i + 1], xtol=1e-12, rtol=1e-14))


def time_to_energy(E_target: float, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                   t_max: float | None = None) -> float:
    """The first time at which the nonreciprocal battery (Eq. (8)) holds ``E_B = E_target``.

    Parameters
    ----------
    E_target : float
        Target battery energy (> 0, units of omega).
    Gamma, kappa_a, kappa_b, eps : float
        As in :func:`battery_occupation`.
    t_max : float, optional
        Search window ``(0, t_max]`` (default ``40 / min(Lambda_a, Lambda_b)``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On bad parameters, or if ``E_target`` is not reached in the window.

    References
    ----------
    Lin et al., Eq. (8); Sec. 3.2 (the numbers 14.8 and 87).
    """
    E_target = _rate(E_target, "E_target", positive=True)
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    t_max = 40 / min(La, Lb) if t_max is None else _rate(t_max, "t_max", positive=True)
    p = dict(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps)
    return _first_crossing(lambda t: battery_occupation(t, **p), E_target, t_max)


def time_to_efficiency(eta_target: float, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                       t_max: float | None = None) -> float:
    """The first time at which ``eta = E_B/(E_A + E_B)`` of the nonreciprocal battery reaches ``eta_target``.

    Parameters
    ----------
    eta_target : float
        Target efficiency, ``0 < eta_target < 1``.
    Gamma, kappa_a, kappa_b, eps : float
        As in :func:`battery_occupation`.
    t_max : float, optional
        Search window ``(0, t_max]`` (default ``40 / min(Lambda_a, Lambda_b)``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On bad parameters, or if ``eta_target`` is not reached in the window.

    References
    ----------
    Lin et al., Eq. (11); Sec. 3.1 ("eta simultaneously reaches 75 %").
    """
    eta_target = _real(eta_target, "eta_target")
    if not 0 < eta_target < 1:
        raise ValueError(f"eta_target must lie in (0, 1), got {eta_target!r}")
    Gamma, La, Lb, eps = _check_lams(Gamma, kappa_a, kappa_b, eps)
    t_max = 40 / min(La, Lb) if t_max is None else _rate(t_max, "t_max", positive=True)

    def eta(t):
        return efficiency(charger_occupation(t, Gamma=Gamma, kappa_a=kappa_a, eps=eps),
                          battery_occupation(t, Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, eps=eps))

    return _first_crossing(eta, eta_target, t_max)


# ============================================================================================
# 5. The dynamical matrix and the exceptional point (paper Eqs. (13)-(15), Sec. 4, Fig. 4)
# ============================================================================================
def dynamical_matrix(*, Gamma: float, kappa_a: float, kappa_b: float, J: float, phi: float = np.pi / 2,
                     Delta_a_p: float = 0.0, Delta_b_p: float = 0.0, G: float = 0.0) -> np.ndarray:
    """The dynamical matrix ``M`` of Lin et al., Eq. (13).

    ``M = [[-i Delta'_a - Lambda_a/2, -i J_- - (Gamma/2) e^{-i phi}],
    [-i J_+ - (Gamma/2) e^{i phi}, -i Delta'_b - Lambda_b/2]]`` with ``J_pm = J - G e^{pm i phi}``.
    It equals :attr:`LinearNetwork.drift` of :func:`effective_network`.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b : float
        Rates (>= 0).
    J, phi, Delta_a_p, Delta_b_p, G : float
        Coupling, phase, shifted detunings, coherent mediated coupling.

    Returns
    -------
    ndarray, (2, 2) complex

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (13).
    """
    Gamma = _rate(Gamma, "Gamma")
    La = Gamma + _rate(kappa_a, "kappa_a")
    Lb = Gamma + _rate(kappa_b, "kappa_b")
    J, phi, G = _real(J, "J"), _real(phi, "phi"), _real(G, "G")
    da, db = _real(Delta_a_p, "Delta_a_p"), _real(Delta_b_p, "Delta_b_p")
    Jm, Jp = J - G * np.exp(-1j * phi), J - G * np.exp(1j * phi)
    return np.array([[-1j * da - La / 2, -1j * Jm - Gamma / 2 * np.exp(-1j * phi)],
                     [-1j * Jp - Gamma / 2 * np.exp(1j * phi), -1j * db - Lb / 2]])


def _matrix2(M: Any) -> np.ndarray:
    try:
        M = np.asarray(M, complex)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"M must be a numeric 2x2 matrix, got {M!r}") from exc
    if M.shape != (2, 2) or not np.all(np.isfinite(M)):
        raise ValueError(f"M must be a finite 2x2 matrix, got shape {M.shape}")
    return M


def dynamical_eigenvalues(M: Any) -> np.ndarray:
    """Eigenvalues of a 2x2 dynamical matrix (Lin et al., Eq. (14), corrected).

    ``lambda_pm = (A + D)/2 pm sqrt((A - D)^2 + 4 B C) / 2``.  The printed Eq. (14) has the opposite
    sign of the first term and ``-J_+`` instead of ``-i J_+`` in the second factor
    (:func:`dynamical_eigenvalues_as_printed`).

    Parameters
    ----------
    M : (2, 2) array_like

    Returns
    -------
    ndarray, shape (2,), complex, ``(lambda_+, lambda_-)``

    Raises
    ------
    ValueError
        If ``M`` is not a finite 2x2 matrix.

    References
    ----------
    Lin et al., Eq. (14) (corrected).
    """
    M = _matrix2(M)
    A, B, C, D = M[0, 0], M[0, 1], M[1, 0], M[1, 1]
    s = np.sqrt((A - D) ** 2 + 4 * B * C)
    return np.array([(A + D) / 2 + s / 2, (A + D) / 2 - s / 2])


def dynamical_eigenvalues_as_printed(*, Gamma: float, kappa_a: float, kappa_b: float, J: float,
                                     phi: float = np.pi / 2, Delta_a_p: float = 0.0, Delta_b_p: float = 0.0,
                                     G: float = 0.0) -> np.ndarray:
    """Eq. (14) of Lin et al. as printed (the printed discriminant: :func:`ep_discriminant_as_printed`).

    ``i (Delta'_a + Delta'_b)/2 + (Lambda_a + Lambda_b)/4 pm sqrt(disc)/2``.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, J, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`dynamical_matrix`.

    Returns
    -------
    ndarray, shape (2,), complex

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (14).
    """
    Gamma = _rate(Gamma, "Gamma")
    La, Lb = Gamma + _rate(kappa_a, "kappa_a"), Gamma + _rate(kappa_b, "kappa_b")
    da, db = _real(Delta_a_p, "Delta_a_p"), _real(Delta_b_p, "Delta_b_p")
    disc = ep_discriminant_as_printed(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, J=J, phi=phi,
                                      Delta_a_p=da, Delta_b_p=db, G=G)
    first = 1j * (da + db) / 2 + (La + Lb) / 4
    s = np.sqrt(disc)
    return np.array([first + s / 2, first - s / 2])


def ep_discriminant(M: Any) -> complex:
    """The exceptional-point discriminant ``(A - D)^2 + 4 B C`` (Lin et al., Eq. (15), corrected).

    Parameters
    ----------
    M : (2, 2) array_like

    Returns
    -------
    complex

    Raises
    ------
    ValueError
        If ``M`` is not a finite 2x2 matrix.

    References
    ----------
    Lin et al., Eq. (15).
    """
    M = _matrix2(M)
    return complex((M[0, 0] - M[1, 1]) ** 2 + 4 * M[0, 1] * M[1, 0])


def ep_discriminant_as_printed(*, Gamma: float, kappa_a: float, kappa_b: float, J: float, phi: float = np.pi / 2,
                               Delta_a_p: float = 0.0, Delta_b_p: float = 0.0, G: float = 0.0) -> complex:
    """Eq. (15) of Lin et al. as printed: ``(A - D)^2 + 4 B (-J_+ - (Gamma/2) e^{i phi})``, an ``i`` missing.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, J, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`dynamical_matrix`.

    Returns
    -------
    complex

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (15).
    """
    M = dynamical_matrix(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, J=J, phi=phi, Delta_a_p=Delta_a_p,
                         Delta_b_p=Delta_b_p, G=G)
    Jp = _real(J, "J") - _real(G, "G") * np.exp(1j * _real(phi, "phi"))
    return complex((M[0, 0] - M[1, 1]) ** 2 + 4 * M[0, 1] * (-Jp - Gamma / 2 * np.exp(1j * phi)))


def ep_coupling(*, Gamma: float, kappa_a: float, kappa_b: float, Delta: float = 0.0, phi: float = np.pi / 2) -> float:
    """The real coherent coupling ``J_EP >= 0`` that puts ``M`` at an exceptional point (Lin et al., Eq. (15)).

    With ``G = 0``, ``Delta'_a = 0`` and ``Delta'_b = Delta``, Eq. (15) is the quadratic
    ``-4 J^2 + 4 i Gamma cos(phi) J + Gamma^2 + (A - D)^2 = 0`` with
    ``A - D = i Delta - (kappa_a - kappa_b)/2``, so
    ``J = [i Gamma cos(phi) + sqrt(Gamma^2 sin^2(phi) + (A - D)^2)] / 2``.  At ``phi = pi/2``:
    ``J_EP = sqrt(Gamma^2/4 + (kappa_a - kappa_b)^2/16)`` for ``Delta = 0`` and
    ``J_EP = sqrt(Gamma^2 - Delta^2)/2`` for ``kappa_a = kappa_b``.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b : float
        Rates (>= 0).
    Delta : float
        Battery detuning ``Delta'_b - Delta'_a``.
    phi : float
        Coupling phase.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If no real ``J >= 0`` satisfies Eq. (15) (e.g. ``Delta != 0`` with ``kappa_a != kappa_b``
        at ``phi = pi/2``, or ``|Delta| > Gamma``), or on bad parameters.

    References
    ----------
    Lin et al., Eq. (15) and Sec. 4.
    """
    Gamma = _rate(Gamma, "Gamma")
    ka, kb = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    Delta, phi = _real(Delta, "Delta"), _real(phi, "phi")
    AmD = 1j * Delta - (ka - kb) / 2
    root = np.sqrt(complex(Gamma**2 * np.sin(phi) ** 2 + AmD**2))
    cands = [(1j * Gamma * np.cos(phi) + s * root) / 2 for s in (1, -1)]
    tol = 1e-10 * max(Gamma, 1e-300)
    real = [c.real for c in cands if abs(c.imag) <= tol and c.real >= 0]
    if not real:
        raise ValueError(f"no real J >= 0 reaches the exceptional point for Gamma={Gamma}, "
                         f"kappa_a={ka}, kappa_b={kb}, Delta={Delta}, phi={phi}; candidates {cands}")
    return float(max(real))


def ep_coupling_and_phase(*, Gamma: float, kappa_a: float, kappa_b: float, Delta: float = 0.0,
                          guess: tuple[float, float] | None = None) -> tuple[float, float]:
    """Real ``(J, phi)`` that put ``M`` (Eq. (13), ``G = 0``, ``Delta'_a = 0``, ``Delta'_b = Delta``) at an EP.

    Eq. (15) is one complex equation; with ``phi = pi/2`` fixed a real ``J`` solves it only on the
    lines ``Delta = 0`` or ``kappa_a = kappa_b`` (:func:`ep_coupling`).  Tuning ``phi`` as well restores
    a solution for generic ``(Delta, kappa_b)``.

    Parameters
    ----------
    Gamma : float
        Rate (> 0).
    kappa_a, kappa_b : float
        Rates (>= 0).
    Delta : float
        Battery detuning.
    guess : (float, float), optional
        Starting point ``(J, phi)``; default ``(Gamma/2, pi/2)``.

    Returns
    -------
    (float, float)
        ``(J, phi)``.

    Raises
    ------
    ValueError
        If the root finder does not converge to ``|disc| < 1e-12 Gamma^2``, or on bad parameters.

    References
    ----------
    Lin et al., Eq. (15) (generalised to a tunable phase).
    """
    from scipy.optimize import fsolve

    Gamma = _rate(Gamma, "Gamma", positive=True)
    ka, kb = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    Delta = _real(Delta, "Delta")
    if guess is None:
        x0 = (Gamma / 2, np.pi / 2)
    else:
        try:
            x0 = (_real(guess[0], "guess[0]"), _real(guess[1], "guess[1]"))
        except (TypeError, IndexError) as exc:
            raise ValueError(f"guess must be a pair (J, phi), got {guess!r}") from exc

    def f(x):
        M = dynamical_matrix(Gamma=Gamma, kappa_a=ka, kappa_b=kb, J=x[0], phi=x[1], Delta_b_p=Delta)
        d = ep_discriminant(M) / Gamma**2
        return [d.real, d.imag]

    sol, info, ier, _ = fsolve(f, x0, full_output=True, xtol=1e-14)
    M = dynamical_matrix(Gamma=Gamma, kappa_a=ka, kappa_b=kb, J=sol[0], phi=sol[1], Delta_b_p=Delta)
    if abs(ep_discriminant(M)) > 1e-12 * Gamma**2:
        raise ValueError(f"no EP found near {x0} for Delta={Delta}, kappa_b={kb}")
    return float(sol[0]), float(sol[1])


def steady_battery_energy(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float, J: float,
                          phi: float = np.pi / 2, Delta_a_p: float = 0.0, Delta_b_p: float = 0.0,
                          G: float = 0.0) -> float:
    """Steady battery energy for any coupling: ``eps^2 |C|^2 / |A D - B C|^2`` from Eq. (13).

    For ``J`` the nonreciprocal value this is ``E^nor``; for ``J = J_EP`` it is Lin et al.'s ``E^EP``
    (Fig. 4).

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps, J, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`dynamical_matrix`, and the drive ``eps``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``M`` is singular (no unique steady state), or on bad parameters.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``; Fig. 4.
    """
    eps = _real(eps, "eps")
    M = dynamical_matrix(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, J=J, phi=phi,
                         Delta_a_p=Delta_a_p, Delta_b_p=Delta_b_p, G=G)
    det = M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
    if abs(det) == 0:
        raise ValueError("the dynamical matrix is singular: no unique steady state")
    return float(eps**2 * abs(M[1, 0]) ** 2 / abs(det) ** 2)


def steady_efficiency(*, Gamma: float, kappa_a: float, kappa_b: float, J: float, phi: float = np.pi / 2,
                      Delta_a_p: float = 0.0, Delta_b_p: float = 0.0, G: float = 0.0) -> float:
    """Steady efficiency ``eta(inf) = |C|^2 / (|C|^2 + |D|^2)`` for any coupling (Eqs. (11), (13)).

    From the steady state of Eq. (13): ``<a> = i eps D/det``, ``<b> = -i eps C/det``.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, J, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`dynamical_matrix` (the drive cancels).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On bad parameters, or if ``C = D = 0``.

    References
    ----------
    Lin et al., Eqs. (11), (13); Sec. 6 ("energy storage efficiency improves ... at the EP").
    """
    M = dynamical_matrix(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, J=J, phi=phi,
                         Delta_a_p=Delta_a_p, Delta_b_p=Delta_b_p, G=G)
    c2, d2 = abs(M[1, 0]) ** 2, abs(M[1, 1]) ** 2
    if c2 + d2 == 0:
        raise ValueError("C = D = 0: the efficiency is undefined")
    return float(c2 / (c2 + d2))


def ep_crossing(*, Gamma: float, kappa: float, eps: float = 0.1, retune: str = "J") -> float:
    """The detuning ``Delta_x > 0`` at which ``E^EP = E^nor`` again (Fig. 4(b), ``r = 1``; beyond the paper).

    ``E^EP(Delta) - E^nor(Delta)`` (:func:`steady_battery_energy` with :func:`ep_coupling` and with
    ``J = Gamma/2``) is bracketed on a grid of ``0 < Delta < Gamma`` and refined by ``brentq``; the first
    sign change from ``+`` to ``-`` is returned.  The paper reaches the EP by "adjusting the ratio
    ``J/Gamma``": ``retune="J"`` re-tunes ``J`` at fixed ``Gamma`` (``J_EP = sqrt(Gamma^2 - Delta^2)/2``);
    ``retune="Gamma"`` keeps ``J = Gamma/2`` and re-tunes the rate to ``Gamma_EP = sqrt(4 J^2 + Delta^2)``
    (the EP condition at ``r = 1`` solved for ``Gamma``).

    Parameters
    ----------
    Gamma : float
        Rate (> 0).
    kappa : float
        ``kappa_a = kappa_b`` (>= 0).
    eps : float
        Drive (cancels in the sign; default 0.1).
    retune : {"J", "Gamma"}
        Which parameter is re-tuned to reach the EP (default ``"J"``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On bad parameters, an unknown ``retune``, or if there is no crossing in ``(0, Gamma)``.

    References
    ----------
    Lin et al., Sec. 4, Fig. 4(b) ("under any finite detuning ... higher energy").
    """
    from scipy.optimize import brentq

    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa")
    eps = _real(eps, "eps")
    if eps == 0:
        raise ValueError("eps must be non-zero (E^EP and E^nor both vanish)")
    if retune not in ("J", "Gamma"):
        raise ValueError(f"retune must be 'J' or 'Gamma', got {retune!r}")

    def diff(D):
        p = dict(kappa_a=kappa, kappa_b=kappa, eps=eps, Delta_b_p=D)
        if retune == "J":
            E_ep = steady_battery_energy(Gamma=Gamma, J=ep_coupling(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa, Delta=D),
                                         **p)
        else:
            E_ep = steady_battery_energy(Gamma=float(np.hypot(Gamma, D)), J=Gamma / 2, **p)
        return (E_ep - steady_battery_energy(Gamma=Gamma, J=Gamma / 2, **p)) / eps**2

    grid = np.linspace(1e-3, 1 - 1e-9, 400) * Gamma
    vals = np.array([diff(D) for D in grid])
    idx = np.flatnonzero((vals[:-1] > 0) & (vals[1:] <= 0))
    if len(idx) == 0:
        raise ValueError("E^EP - E^nor has no sign change from + to - in 0 < Delta < Gamma")
    i = int(idx[0])
    return float(brentq(diff, grid[i], grid[i + 1], xtol=1e-15 * Gamma, rtol=1e-14))


# ============================================================================================
# 6. Controls beyond the paper: the best coupling, robustness
# ============================================================================================
def _energy_polys(Gamma, kappa_a, kappa_b, eps, phi, Delta_a_p, Delta_b_p, G):
    """``|C(J)|^2`` and ``|det(J)|^2`` of Eq. (13) as real polynomials in a real ``J`` (numpy coefficients)."""
    La, Lb = Gamma + kappa_a, Gamma + kappa_b
    e, ec = np.exp(1j * phi), np.exp(-1j * phi)
    A, D = -1j * Delta_a_p - La / 2, -1j * Delta_b_p - Lb / 2
    B = np.array([-1j, 1j * G * ec - Gamma / 2 * ec])   # B = -i J_- - (Gamma/2) e^{-i phi}, J_- = J - G e^{-i phi}
    C = np.array([-1j, 1j * G * e - Gamma / 2 * e])      # C = -i J_+ - (Gamma/2) e^{i phi}
    det = -np.convolve(B, C)
    det[-1] += A * D
    c2 = np.real(np.convolve(C, np.conj(C)))
    d2 = np.real(np.convolve(det, np.conj(det)))
    return c2, d2


def _polyder(p):
    n = len(p) - 1
    return p[:-1] * np.arange(n, 0, -1)


def best_coupling(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float, phi: float = np.pi / 2,
                  Delta_a_p: float = 0.0, Delta_b_p: float = 0.0, G: float = 0.0,
                  J_bounds: tuple[float, float] | None = None) -> tuple[float, float]:
    """The real coupling ``J`` that maximises the steady battery energy, all else fixed (a control; beyond the paper).

    ``E_B(J) = eps^2 |C(J)|^2 / |det M(J)|^2`` (:func:`steady_battery_energy`) is a ratio of real
    polynomials of degrees 2 and 4 in ``J``; its stationary points are the real roots of the quintic
    ``p' q - p q'``, and the global maximum over real ``J`` (or over ``J_bounds``, endpoints
    included) is the largest value among them.  Exact: no grid, no local optimiser.  The
    steady state exists for every real ``J`` (the damping matrix is positive definite when
    ``kappa_a, kappa_b > 0``).  At ``Delta' = 0``, ``phi = pi/2``, ``G = 0`` the answer is
    ``J* = (sqrt(Lambda_a Lambda_b) - Gamma)/2`` (``kappa/2`` for equal rates) with
    ``E* = eps^2/kappa^2`` (:func:`nrqb.papers.lin_sym.best_coupling_resonant`).

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps, phi, Delta_a_p, Delta_b_p, G : float
        As in :func:`steady_battery_energy`.
    J_bounds : (float, float), optional
        Restrict ``J`` to ``[J_min, J_max]``.

    Returns
    -------
    (float, float)
        ``(J*, E_B(J*))``.

    Raises
    ------
    ValueError
        On bad parameters or bounds.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``; Sec. 4 and Fig. 4 (the comparison it controls).
    """
    Gamma = _rate(Gamma, "Gamma")
    ka, kb = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    eps, phi, G = _real(eps, "eps"), _real(phi, "phi"), _real(G, "G")
    da, db = _real(Delta_a_p, "Delta_a_p"), _real(Delta_b_p, "Delta_b_p")
    c2, d2 = _energy_polys(Gamma, ka, kb, eps, phi, da, db, G)
    crit = np.polysub(np.convolve(_polyder(c2), d2), np.convolve(c2, _polyder(d2)))
    nz = np.flatnonzero(crit)
    roots = np.roots(crit[nz[0]:]) if len(nz) else np.array([])
    scale = max(Gamma, ka, kb, abs(da), abs(db), abs(G), 1e-300)
    cands = [r.real for r in roots if abs(r.imag) <= 1e-7 * max(scale, abs(r))]
    if J_bounds is not None:
        try:
            lo, hi = (_real(J_bounds[0], "J_bounds[0]"), _real(J_bounds[1], "J_bounds[1]"))
        except (TypeError, IndexError) as exc:
            raise ValueError(f"J_bounds must be a pair (J_min, J_max), got {J_bounds!r}") from exc
        if not lo <= hi:
            raise ValueError(f"J_bounds must satisfy J_min <= J_max, got {J_bounds!r}")
        cands = [c for c in cands if lo <= c <= hi] + [lo, hi]
    if not cands:
        cands = [0.0]
    x = np.array(cands, dtype=float)
    den = np.polyval(d2, x)
    ok = den > 0
    if not np.any(ok):
        raise ValueError("no coupling with a unique steady state")
    E = np.where(ok, eps**2 * np.polyval(c2, x) / np.where(ok, den, 1.0), -np.inf)
    J = float(x[int(np.argmax(E))])
    return J, steady_battery_energy(Gamma=Gamma, kappa_a=ka, kappa_b=kb, eps=eps, J=J, phi=phi, Delta_a_p=da,
                                    Delta_b_p=db, G=G)


def nonreciprocal_best_detuning(*, Gamma: float, kappa: float, eps: float = 0.1) -> float:
    """The detuning ``Delta > 0`` at which the best real coupling is the nonreciprocal ``Gamma/2`` (beyond the paper).

    ``J*(Delta)`` of :func:`best_coupling` (``r = 1``, ``phi = pi/2``) rises from ``kappa/2`` at
    ``Delta = 0``; where it crosses ``Gamma/2`` the nonreciprocal battery stores the most energy any
    real ``J`` can give, and beyond it ``J* > Gamma/2 > J_EP``.  Bracketed on a grid of
    ``0 < Delta <= 4 Gamma`` and refined by ``brentq``.

    Parameters
    ----------
    Gamma : float
        Rate (> 0).
    kappa : float
        ``kappa_a = kappa_b`` (>= 0).
    eps : float
        Drive (does not move ``J*``; default 0.1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        On bad parameters, or if ``J*`` does not cross ``Gamma/2`` in ``(0, 4 Gamma]``.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``; Sec. 4, Fig. 4(b) (the comparison it controls).
    """
    from scipy.optimize import brentq

    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa")
    eps = _real(eps, "eps")

    def f(D):
        return best_coupling(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa, eps=eps, Delta_b_p=D)[0] / Gamma - 0.5

    grid = np.linspace(1e-3, 4.0, 400) * Gamma
    vals = np.array([f(D) for D in grid])
    idx = np.flatnonzero((vals[:-1] < 0) & (vals[1:] >= 0))
    if len(idx) == 0:
        raise ValueError("the best coupling does not cross Gamma/2 for 0 < Delta <= 4 Gamma")
    i = int(idx[0])
    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-15 * Gamma, rtol=1e-14))


def best_coupling_and_phase(*, Gamma: float, kappa_a: float, kappa_b: float, eps: float, Delta_a_p: float = 0.0,
                            Delta_b_p: float = 0.0, n_phi: int = 181) -> tuple[float, float, float]:
    """The real ``(J, phi)`` that maximise the steady battery energy (a control; beyond the paper).

    At ``G = 0``, ``|C|^2 = J^2 + Gamma J sin(phi) + Gamma^2/4`` and
    ``det M = A D + J^2 - i Gamma J cos(phi) - Gamma^2/4``: the energy is evaluated on a grid of
    ``n_phi`` phases in ``[0, 2 pi)`` times 801 couplings, the best point is refined by a local
    search in ``(J, phi)``, and ``J`` is then made exact for that phase by :func:`best_coupling`.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, eps, Delta_a_p, Delta_b_p : float
        As in :func:`steady_battery_energy` (``G = 0``).
    n_phi : int
        Number of phases on the grid (>= 8).

    Returns
    -------
    (float, float, float)
        ``(J*, phi*, E_B*)`` with ``phi*`` in ``[0, 2 pi)``.

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``; Sec. 4.
    """
    from scipy.optimize import minimize

    n_phi = _count(n_phi, "n_phi", minimum=8)
    Gamma = _rate(Gamma, "Gamma")
    ka, kb = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    eps = _real(eps, "eps")
    da, db = _real(Delta_a_p, "Delta_a_p"), _real(Delta_b_p, "Delta_b_p")
    AD = (-1j * da - (Gamma + ka) / 2) * (-1j * db - (Gamma + kb) / 2)

    def energy(J, ph):
        c2 = J**2 + Gamma * J * np.sin(ph) + Gamma**2 / 4
        det = AD + J**2 - 1j * Gamma * J * np.cos(ph) - Gamma**2 / 4
        return eps**2 * c2 / np.abs(det) ** 2

    S = Gamma + ka + kb + abs(da) + abs(db)
    Jg = np.linspace(-2 * S, 2 * S, 801)
    phg = np.linspace(0.0, 2 * np.pi, n_phi, endpoint=False)
    E = energy(Jg[:, None], phg[None, :])
    i, j = np.unravel_index(int(np.argmax(E)), E.shape)
    res = minimize(lambda x: -energy(x[0] * S, x[1]) / E[i, j], x0=[Jg[i] / S, phg[j]], method="Nelder-Mead",
                   options=dict(xatol=1e-12, fatol=1e-15, maxiter=4000))
    ph = float(res.x[1]) if -res.fun >= 1 else float(phg[j])
    J, Eb = best_coupling(Gamma=Gamma, kappa_a=ka, kappa_b=kb, eps=eps, phi=ph, Delta_a_p=da, Delta_b_p=db)
    return J, ph % (2 * np.pi), Eb


def retuning_scan(Deltas: Any, *, Gamma: float, kappa_a: float, kappa_b: float, eps: float,
                  phi: float = np.pi / 2, n_J: int = 200) -> dict[str, np.ndarray]:
    """Does every coupling between the best ``J*`` and the nonreciprocal ``Gamma/2`` store more than ``Gamma/2``? (beyond the paper)

    For each battery detuning ``Delta`` (``Delta'_a = 0``, ``Delta'_b = Delta``, ``G = 0``):
    ``J*`` and ``E*`` from :func:`best_coupling`, ``E_nor = E_B(Gamma/2)``, and two answers.  Exact:
    ``E_B(J) = eps^2 |C|^2/|det M|^2`` is a ratio of polynomials in ``J`` whose stationary points are
    the real roots of ``p' q - p q'``; with none strictly between ``J*`` and ``Gamma/2``, ``E_B`` is
    monotone there, so every ``J`` in between beats ``Gamma/2``.  On a grid: the smallest
    ``E_B(J)/E_nor - 1`` over ``n_J`` couplings strictly between them.

    Parameters
    ----------
    Deltas : array_like
        Battery detunings (finite, 1-D).
    Gamma, kappa_a, kappa_b, eps, phi : float
        As in :func:`steady_battery_energy`.
    n_J : int
        Couplings on the grid strictly between ``J*`` and ``Gamma/2`` (>= 1).

    Returns
    -------
    dict of ndarray (one entry per ``Delta``)
        ``Delta``, ``J_star``, ``E_star``, ``E_nor``, ``n_stationary`` (stationary points of
        ``E_B(J)`` strictly between ``J*`` and ``Gamma/2``), ``min_gain`` (grid minimum of
        ``E_B(J)/E_nor - 1``).

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``; Sec. 4 and Fig. 4(b) (the control of the EP battery).
    """
    D = np.atleast_1d(np.asarray(Deltas, dtype=float)) if not np.iscomplexobj(Deltas) else None
    if D is None or D.ndim != 1 or D.size == 0 or not np.all(np.isfinite(D)):
        raise ValueError(f"Deltas must be a non-empty finite real 1-D array, got {Deltas!r}")
    n_J = _count(n_J, "n_J", minimum=1)
    Gamma = _rate(Gamma, "Gamma", positive=True)
    ka, kb = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    eps, phi = _real(eps, "eps"), _real(phi, "phi")
    keys = ("J_star", "E_star", "E_nor", "n_stationary", "min_gain")
    out = {k: np.empty(D.size) for k in keys}
    Jn = Gamma / 2
    for i, d in enumerate(D):
        kw = dict(Gamma=Gamma, kappa_a=ka, kappa_b=kb, eps=eps, phi=phi, Delta_b_p=float(d))
        Js, Es = best_coupling(**kw)
        En = steady_battery_energy(J=Jn, **kw)
        c2, d2 = _energy_polys(Gamma, ka, kb, eps, phi, 0.0, float(d), 0.0)
        crit = np.polysub(np.convolve(_polyder(c2), d2), np.convolve(c2, _polyder(d2)))
        nz = np.flatnonzero(crit)
        roots = np.roots(crit[nz[0]:]) if len(nz) else np.array([])
        lo, hi = min(Js, Jn), max(Js, Jn)
        tol = 1e-9 * Gamma
        real = [r.real for r in roots if abs(r.imag) <= 1e-7 * max(Gamma, abs(r))]
        out["n_stationary"][i] = sum(lo + tol < r < hi - tol for r in real)
        Jg = np.linspace(Js, Jn, n_J + 2)[1:-1]
        E = eps**2 * np.polyval(c2, Jg) / np.polyval(d2, Jg)
        out["J_star"][i], out["E_star"][i], out["E_nor"][i] = Js, Es, En
        out["min_gain"][i] = float(np.min(E) / En - 1)
    out["n_stationary"] = out["n_stationary"].astype(int)
    return dict(Delta=D, **out)


def robustness_samples(*, n: int, Gamma: float = 0.04, kappa_a: float = 0.003, r0: float = 1.0, eps: float = 0.1,
                       sigma_Delta: float = 0.005, sigma_log_r: float = 0.3, seed: int = 0,
                       controls: bool = True) -> dict[str, np.ndarray]:
    """Steady battery energies under random fluctuations of ``Delta`` and ``r``: nonreciprocal, EP and best coupling.

    For each sample ``Delta ~ N(0, sigma_Delta)`` and ``r = r0 exp(N(0, sigma_log_r))``.

    * ``E_nor`` keeps ``J = Gamma/2, phi = pi/2`` (the nonreciprocal condition does not depend on
      ``Delta`` or ``r``);
    * ``E_EP_J`` re-tunes ``J`` to the EP of the sample at ``phi = pi/2`` (possible only on
      ``Delta = 0`` or ``r = 1``, so ``r = r0 = 1`` is held for it, with ``E_nor_r0`` its
      nonreciprocal partner); ``E_EP_Jphi`` re-tunes ``J`` and ``phi`` (both fluctuating);
    * the controls (``controls=True``): ``E_best_J`` re-tunes ``J`` freely at ``phi = pi/2`` to the
      largest steady energy (:func:`best_coupling`; ``r = r0``), ``E_best_Jphi`` re-tunes ``J`` and
      ``phi`` freely (:func:`best_coupling_and_phase`; both fluctuating).

    Parameters
    ----------
    n : int
        Number of samples (>= 1).
    Gamma, kappa_a, r0, eps : float
        Nominal parameters (Fig. 2 of Lin et al. by default, ``r0 = 1``).
    sigma_Delta, sigma_log_r : float
        Standard deviations of ``Delta`` and of ``ln r`` (>= 0).
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    controls : bool
        Also compute the best-coupling controls.

    Returns
    -------
    dict of ndarray
        ``Delta``, ``r``, ``E_nor``, ``E_EP_Jphi`` (fluctuating ``Delta`` and ``r``), ``E_nor_r0``,
        ``E_EP_J`` (fluctuating ``Delta`` only), and with ``controls`` ``E_best_J`` (``Delta`` only) and
        ``E_best_Jphi`` (both).

    Raises
    ------
    ValueError
        On bad parameters (``n`` not a positive integer, negative rates or widths).

    References
    ----------
    Lin et al., Sec. 4 and the Conclusion (claim of greater robustness of the EP battery).
    """
    n = _count(n, "n", minimum=1)
    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa_a = _rate(kappa_a, "kappa_a")
    r0 = _rate(r0, "r0", positive=True)
    eps = _real(eps, "eps")
    sigma_Delta = _rate(sigma_Delta, "sigma_Delta")
    sigma_log_r = _rate(sigma_log_r, "sigma_log_r")
    seed = _count(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    Delta = rng.normal(0.0, sigma_Delta, n)
    r = r0 * np.exp(rng.normal(0.0, sigma_log_r, n))
    keys = ["E_nor", "E_EP_Jphi", "E_nor_r0", "E_EP_J"] + (["E_best_J", "E_best_Jphi"] if controls else [])
    out = {k: np.empty(n) for k in keys}
    kb0 = kappa_a * r0
    for i in range(n):
        kb = kappa_a * r[i]
        common = dict(Gamma=Gamma, kappa_a=kappa_a, eps=eps, Delta_b_p=Delta[i])
        out["E_nor"][i] = steady_battery_energy(kappa_b=kb, J=Gamma / 2, **common)
        J, phi = ep_coupling_and_phase(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kb, Delta=Delta[i])
        out["E_EP_Jphi"][i] = steady_battery_energy(kappa_b=kb, J=J, phi=phi, **common)
        out["E_nor_r0"][i] = steady_battery_energy(kappa_b=kb0, J=Gamma / 2, **common)
        try:
            J0 = ep_coupling(Gamma=Gamma, kappa_a=kappa_a, kappa_b=kb0, Delta=Delta[i])
            out["E_EP_J"][i] = steady_battery_energy(kappa_b=kb0, J=J0, **common)
        except ValueError:
            out["E_EP_J"][i] = np.nan
        if controls:
            out["E_best_J"][i] = best_coupling(kappa_b=kb0, **common)[1]
            out["E_best_Jphi"][i] = best_coupling_and_phase(kappa_b=kb, n_phi=72, **common)[2]
    return dict(Delta=Delta, r=r, **out)


def spread_ratio_ci(x: Any, y: Any, *, n_boot: int = 2000, seed: int = 0,
                    level: float = 0.95) -> tuple[float, float, float]:
    """Ratio of relative spreads ``cv(x)/cv(y)`` (``cv = std/mean``) with a paired bootstrap interval.

    ``x`` and ``y`` are paired samples (the same random realisations under two designs, as in
    :func:`robustness_samples`).  The interval is the percentile interval of the ratio over
    ``n_boot`` resamples of the pairs (indices drawn with :func:`numpy.random.default_rng` ``(seed)``,
    ``integers(0, n, (n_boot, n))``).

    Parameters
    ----------
    x, y : array_like
        Paired samples of the same length (>= 2), finite, with non-zero means.
    n_boot : int
        Bootstrap resamples (>= 10).
    seed : int
        Seed (>= 0).
    level : float
        Confidence level, ``0 < level < 1``.

    Returns
    -------
    (float, float, float)
        ``(ratio, low, high)``.

    Raises
    ------
    ValueError
        On samples of different or too short length, non-finite values, zero means, or bad
        ``n_boot``, ``seed``, ``level``.

    References
    ----------
    Efron and Tibshirani, *An Introduction to the Bootstrap* (1993), ch. 13 (percentile interval);
    Lin et al., Conclusion (robustness of the EP battery).
    """
    try:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"x and y must be real arrays: {exc}") from exc
    if x.ndim != 1 or y.ndim != 1 or x.size != y.size or x.size < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2, got shapes {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite")
    if np.mean(x) == 0 or np.mean(y) == 0:
        raise ValueError("x and y must have non-zero means")
    n_boot = _count(n_boot, "n_boot", minimum=10)
    seed = _count(seed, "seed", minimum=0)
    level = _real(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")

    def cv(v, axis=None):
        return np.std(v, axis=axis) / np.mean(v, axis=axis)

    ratio = float(cv(x) / cv(y))
    idx = np.random.default_rng(seed).integers(0, x.size, (n_boot, x.size))
    boots = cv(x[idx], axis=1) / cv(y[idx], axis=1)
    lo, hi = np.percentile(boots, [50 * (1 - level), 50 * (1 + level)])
    return ratio, float(lo), float(hi)


# ============================================================================================
# 7. The numbers printed in Sec. 3, and readings of the paper tested against them
# ============================================================================================
def printed_quantities(make: Any, *, J_axis: float, r_values: tuple[float, float] = (10.0, 0.01),
                       Jt_fig3: float = 4.0, Jt_eta: float = 2.0) -> dict[str, float]:
    """The quantities behind the numbers printed in Lin et al.'s Sec. 3, for one model and one time axis.

    Parameters
    ----------
    make : callable
        ``make(Delta, r) -> LinearNetwork`` with the charger as mode 0 and the battery as mode 1:
        the model at battery detuning ``Delta`` and damping ratio ``r = kappa_b/kappa_a``
        (``r = 1`` is Fig. 2).  How ``r`` is realised (which rate is held fixed) is up to ``make``.
    J_axis : float
        The ``J`` of the paper's time axis ``Jt`` (> 0): ``t = (Jt) / J_axis``.
    r_values : (float, float)
        The two damping ratios of the Fig. 3 statement (default ``(10, 0.01)``).
    Jt_fig3 : float
        The ``Jt`` of the Fig. 3 statement (default 4).
    Jt_eta : float
        The ``Jt`` at which the efficiency is read off the axis (default 2, the printed peak time).

    Returns
    -------
    dict
        ``EB_inf_0``, ``EB_inf_001``, ``EB_inf_01``: steady battery energy at ``Delta = 0, 0.01, 0.1``
        (paper: 75.9, 62.2, 3.3); ``eta_inf`` (0.78); ``P_peak`` (0.52), ``Jt_peak`` (2) and
        ``eta_at_peak`` (0.75): the largest ``P = dE_B/dt`` on ``0 <= Jt <= 5`` at ``Delta = 0``,
        its time on the axis and ``eta = E_B/(E_A + E_B)`` there; ``eta_at_Jt`` (the efficiency read
        at ``Jt = Jt_eta`` on the axis); ``EB_Jt_r0``, ``EB_Jt_r1``: ``E_B`` at ``Jt = Jt_fig3`` for the
        two ratios (14.8 and 87); ``EB_inf_r0``, ``EB_inf_r1``: their steady values.

    Raises
    ------
    ValueError
        If ``J_axis`` is not positive or ``make`` is not callable.

    References
    ----------
    Lin et al., Sec. 3.1 (Fig. 2 numbers) and Sec. 3.2 (Fig. 3 numbers); Eqs. (11), (12).
    """
    if not callable(make):
        raise ValueError(f"make must be callable (Delta, r) -> LinearNetwork, got {make!r}")
    J_axis = _rate(J_axis, "J_axis", positive=True)
    r0, r1 = (_rate(r, "r_values", positive=True) for r in r_values)
    Jt_fig3 = _rate(Jt_fig3, "Jt_fig3")
    Jt_eta = _rate(Jt_eta, "Jt_eta")
    out: dict[str, float] = {}
    for key, D in (("0", 0.0), ("001", 0.01), ("01", 0.1)):
        out[f"EB_inf_{key}"] = float(make(D, 1.0).steady_state()["energies"][1])
    net = make(0.0, 1.0)
    ss = net.steady_state()["energies"]
    out["eta_inf"] = float(ss[1] / (ss[0] + ss[1]))
    Jt = np.linspace(0.0, 5.0, 1001)
    P = net.power(Jt / J_axis)[:, 1]
    i = int(np.argmax(P))
    E = net.energies(np.array([Jt[i], Jt_eta]) / J_axis)
    out["P_peak"] = float(P[i])
    out["Jt_peak"] = float(Jt[i])
    out["eta_at_peak"] = float(E[0, 1] / (E[0, 0] + E[0, 1]))
    out["eta_at_Jt"] = float(E[1, 1] / (E[1, 0] + E[1, 1]))
    for k, r in enumerate((r0, r1)):
        netr = make(0.0, r)
        out[f"EB_Jt_r{k}"] = float(netr.energies(np.array([Jt_fig3 / J_axis]))[0, 1])
        out[f"EB_inf_r{k}"] = float(netr.steady_state()["energies"][1])
    return out


def paper_readings(*, Gamma: float = 0.04, kappa: float = 0.003, eps: float = 0.1,
                   gamma: float = 10.0) -> dict[str, dict[str, Any]]:
    """Readings of Lin et al.'s parameters to test against the printed numbers of Sec. 3.

    Each reading is a model factory ``make(Delta, r)`` and a time axis ``J_axis`` for
    :func:`printed_quantities`.  None of them changes a stated parameter value; they differ in
    how the paper's words could be read.

    Parameters
    ----------
    Gamma, kappa, eps : float
        The stated ``Gamma = 0.04``, ``kappa_a = kappa_b = 0.003``, ``eps = 0.1`` (units of omega).
    gamma : float
        The stated ``gamma = gamma_m / 2 = 10`` (> 0), used by the three-mode and ``E = omega`` readings.

    Returns
    -------
    dict
        Name -> ``dict(make=..., J_axis=..., note=...)``, in this order:

        ``ours``: Eq. (5) with ``Lambda = Gamma + kappa``, ``J = Gamma/2``, ``kappa_a`` fixed,
        ``kappa_b = r kappa_a``, axis ``J = Gamma/2``.
        ``kb_fixed``: ``kappa_b`` fixed and ``kappa_a = kappa_b / r``.
        ``axis_Gamma``: time axis ``Gamma t`` (``J = Gamma``).
        ``axis_Gamma4``: time axis ``Gamma t / 4`` (``J = Gamma/4``: every time twice ours).
        ``half_rate``: ``Gamma/2`` where Eq. (5) has ``Gamma`` (``Lambda = Gamma/2 + kappa``), with the
        nonreciprocal ``J = Gamma/4`` for that rate and axis ``J = Gamma/4``.
        ``double_rate``: the rate that the printed definition below Eq. (2) implies in Eq. (5)
        (``2 Gamma``, ``Lambda = 2 Gamma + kappa``), with the nonreciprocal ``J = Gamma`` and axis ``J = Gamma``.
        ``three_mode``: the three-mode model, Eq. (1), at ``gamma_m = 2 gamma``
        (:func:`matched_full_network`).
        ``E_omega``: the projection of Eq. (17) with ``E = omega`` instead of ``E = 0``:
        ``Gamma -> Gamma gamma^2 / (gamma^2 + omega^2)``, ``J`` nonreciprocal for that rate.

    Raises
    ------
    ValueError
        On negative or NaN rates.

    References
    ----------
    Lin et al., Eqs. (2), (5), (17), Sec. 3 and the captions of Figs. 2 and 3.
    """
    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa")
    eps = _real(eps, "eps")
    gamma = _rate(gamma, "gamma", positive=True)

    def eff(G_eff, J=None, kb_fixed=False):
        def make(Delta, r):
            ka, kb = (kappa / r, kappa) if kb_fixed else (kappa, kappa * r)
            return effective_network(Gamma=G_eff, kappa_a=ka, kappa_b=kb, eps=eps, J=J, Delta_b_p=Delta)
        return make

    def three_mode(Delta, r):
        return matched_full_network(Gamma=Gamma, gamma_m=2 * gamma, kappa_a=kappa, kappa_b=kappa * r, eps=eps,
                                    Delta=Delta)[0]

    G_E = Gamma * gamma**2 / (gamma**2 + 1.0)
    return {
        "ours": dict(make=eff(Gamma), J_axis=Gamma / 2,
                     note="ours: kappa_a fixed, axis J = Gamma/2"),
        "kb_fixed": dict(make=eff(Gamma, kb_fixed=True), J_axis=Gamma / 2,
                         note="kappa_b fixed, kappa_a = kappa_b/r"),
        "axis_Gamma": dict(make=eff(Gamma), J_axis=Gamma, note="time axis J = Gamma"),
        "axis_Gamma4": dict(make=eff(Gamma), J_axis=Gamma / 4, note="time axis J = Gamma/4 (t x 2)"),
        "half_rate": dict(make=eff(Gamma / 2), J_axis=Gamma / 4,
                          note="Lambda = Gamma/2 + kappa, J = Gamma/4"),
        "double_rate": dict(make=eff(2 * Gamma), J_axis=Gamma,
                            note="Lambda = 2 Gamma + kappa, J = Gamma"),
        "three_mode": dict(make=three_mode, J_axis=Gamma / 2, note=f"three modes, gamma = {gamma:g}"),
        "E_omega": dict(make=eff(G_E), J_axis=G_E / 2, note="paper Eq. (17) with E = omega"),
    }


def steady_offset_readings(target: float = 75.9, *, Gamma: float = 0.04, kappa: float = 0.003,
                           eps: float = 0.1) -> dict[str, dict[str, Any]]:
    """One-parameter offsets that make the resonant steady battery energy equal ``target`` (diagnostic).

    Not readings of the paper and not fixes: each entry moves *one* stated parameter (``Gamma``,
    ``kappa_a = kappa_b``, ``kappa_b`` alone, or ``J``) until ``E_B(inf) = target`` under Eq. (10) (or
    Eq. (13) for ``J``), to test whether the other printed numbers (62.2, 3.3, 0.52, 0.486) follow
    from the same offset, i.e. whether the printed values are consistent with one another.

    Parameters
    ----------
    target : float
        The printed ``E_B(inf)`` at ``Delta = 0`` (default 75.9).  It must lie slightly above the value
        at the stated parameters (74.88): each parameter is bracketed below its stated value, within
        3 % (``Gamma``), 15 % (``kappa``), 20 % (``kappa_b``) and 2 % (``J``).
    Gamma, kappa, eps : float
        The stated parameters (Fig. 2 of Lin et al.).

    Returns
    -------
    dict
        Name -> ``dict(make=..., J_axis=..., note=..., value=...)`` in the format of
        :func:`paper_readings`; ``value`` is the fitted parameter.  For ``fit_kappa_b`` the damping
        ratio ``r`` of ``make(Delta, r)`` multiplies the fitted ``kappa_b``.

    Raises
    ------
    ValueError
        On bad input, or if ``target`` cannot be reached within the brackets.

    References
    ----------
    Lin et al., Eq. (10), Eq. (13) and Sec. 3.1.
    """
    from scipy.optimize import brentq

    target = _rate(target, "target", positive=True)
    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa", positive=True)
    eps = _real(eps, "eps")

    def solve(f, lo, hi, name):
        try:
            return float(brentq(lambda x: f(x) - target, lo, hi, xtol=1e-14))
        except ValueError as exc:
            raise ValueError(f"E_B(inf) = {target} is not reached by varying {name} in [{lo:.4g}, {hi:.4g}]") from exc

    G_fit = solve(lambda G: steady_energies(Gamma=G, kappa_a=kappa, kappa_b=kappa, eps=eps)[1],
                  0.97 * Gamma, 1.0 * Gamma, "Gamma")
    k_fit = solve(lambda k: steady_energies(Gamma=Gamma, kappa_a=k, kappa_b=k, eps=eps)[1], 0.85 * kappa, kappa, "kappa")
    kb_fit = solve(lambda k: steady_energies(Gamma=Gamma, kappa_a=kappa, kappa_b=k, eps=eps)[1], 0.8 * kappa, kappa,
                   "kappa_b")
    J_fit = solve(lambda J: steady_battery_energy(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa, eps=eps, J=J),
                  0.49 * Gamma, 0.5 * Gamma, "J")

    def make_G(Delta, r):
        return effective_network(Gamma=G_fit, kappa_a=kappa, kappa_b=kappa * r, eps=eps, Delta_b_p=Delta)

    def make_k(Delta, r):
        return effective_network(Gamma=Gamma, kappa_a=k_fit, kappa_b=k_fit * r, eps=eps, Delta_b_p=Delta)

    def make_kb(Delta, r):
        return effective_network(Gamma=Gamma, kappa_a=kappa, kappa_b=kb_fit * r, eps=eps, Delta_b_p=Delta)

    def make_J(Delta, r):
        return effective_network(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa * r, eps=eps, J=J_fit, Delta_b_p=Delta)

    return {
        "fit_Gamma": dict(make=make_G, J_axis=G_fit / 2, value=G_fit, note=f"fit: Gamma = {G_fit:.5f}"),
        "fit_kappa": dict(make=make_k, J_axis=Gamma / 2, value=k_fit, note=f"fit: kappa = {k_fit:.5f}"),
        "fit_kappa_b": dict(make=make_kb, J_axis=Gamma / 2, value=kb_fit, note=f"fit: kappa_b = {kb_fit:.5f}"),
        "fit_J": dict(make=make_J, J_axis=Gamma / 2, value=J_fit, note=f"fit: J = {J_fit / Gamma:.4f} Gamma"),
    }


def reading_checks(*, Gamma: float = 0.04, kappa: float = 0.003, eps: float = 0.1,
                   r_pair: tuple[float, float] = (0.01, 10.0)) -> dict[str, Any]:
    """Side checks for the readings of the unmatched printed numbers (the chapter's appendix).

    Parameters
    ----------
    Gamma, kappa, eps : float
        The stated parameters of Fig. 2.
    r_pair : (float, float)
        The two damping ratios of the Fig. 3 statement, small first (default ``(0.01, 10)``).

    Returns
    -------
    dict
        ``ratio_t`` (``E_B(r_small)/E_B(r_large)`` on ``0 < Jt <= 50``, axis ``J = Gamma/2``),
        ``ratio_monotone`` (bool: it never decreases), ``ratio_max`` and ``ratio_inf`` (its largest
        value and its steady value), ``EB_phi_max`` (largest ``E_B(inf)`` at ``J = Gamma/2`` over a
        grid of ``phi`` in ``[0, pi]``), ``EB_common_max`` (largest ``E_B(inf)`` at ``J = Gamma/2``,
        ``phi = pi/2`` over a common detuning ``Delta'_a = Delta'_b`` in ``[-0.05, 0.05]``), and
        ``symmetry`` (``max_t |E_B(kappa_a, kappa_b) - E_B(kappa_b, kappa_a)|`` at ``r_large``).

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Sec. 3.2 (14.8 and 87) and Sec. 3.1 (75.9).
    """
    Gamma = _rate(Gamma, "Gamma", positive=True)
    kappa = _rate(kappa, "kappa", positive=True)
    eps = _real(eps, "eps")
    rs, rl = (_rate(r, "r_pair", positive=True) for r in r_pair)
    P0 = dict(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa, eps=eps)
    t = np.linspace(0, 50, 5001)[1:] / (Gamma / 2)
    ratio = (battery_occupation(t, **dict(P0, kappa_b=rs * kappa))
             / battery_occupation(t, **dict(P0, kappa_b=rl * kappa)))
    ratio_inf = (steady_energies(**dict(P0, kappa_b=rs * kappa))[1]
                 / steady_energies(**dict(P0, kappa_b=rl * kappa))[1])
    EB_phi = max(steady_battery_energy(**P0, J=Gamma / 2, phi=ph) for ph in np.linspace(0, np.pi, 181))
    EB_c = max(steady_battery_energy(**P0, J=Gamma / 2, Delta_a_p=d, Delta_b_p=d) for d in np.linspace(-0.05, 0.05, 201))
    sym = np.max(np.abs(battery_occupation(t, **dict(P0, kappa_b=rl * kappa))
                        - battery_occupation(t, Gamma=Gamma, kappa_a=rl * kappa, kappa_b=kappa, eps=eps)))
    return dict(ratio_t=ratio, ratio_monotone=bool(np.all(np.diff(ratio) >= -1e-12 * ratio[1:])),
                ratio_max=float(ratio.max()), ratio_inf=float(ratio_inf), EB_phi_max=float(EB_phi),
                EB_common_max=float(EB_c), symmetry=float(sym))


# ============================================================================================
# 8. The explorer (live in Binder/Colab; the book shows static figures)
# ============================================================================================
def explore(Delta: float = 0.0, r: float = 1.0, phi_over_pi: float = 0.5, J_over_Gamma: float = 0.5, *,
            Gamma: float = 0.04, kappa: float = 0.003, eps: float = 0.1, Jt_max: float = 10.0, axes: Any = None,
            return_network: bool = True):
    """Draw ``E_A``, ``E_B`` and ``P = dE_B/dt`` of the effective model against ``Jt`` (``J = Gamma/2`` axis).

    The callback of the chapter's interactive explorer (``ipywidgets.interact(lin.explore, ...)``);
    presentation only, the numbers come from the engine.

    Parameters
    ----------
    Delta : float
        Battery detuning ``Delta'_b``.
    r : float
        ``kappa_b / kappa_a`` (> 0).
    phi_over_pi : float
        The phase in units of ``pi``.
    J_over_Gamma : float
        The coherent coupling in units of ``Gamma``.
    Gamma, kappa, eps : float
        Fig. 2 of Lin et al. by default (``kappa_a = kappa``).
    Jt_max : float
        End of the time axis (> 0).
    axes : pair of matplotlib Axes, optional
        Where to draw; default a new figure with two panels.
    return_network : bool
        Return the model (default); ``False`` returns ``None``, so that an ``ipywidgets.interact``
        callback prints nothing.

    Returns
    -------
    LinearNetwork or None
        The model drawn.

    Raises
    ------
    ValueError
        On bad parameters.

    References
    ----------
    Lin et al., Figs. 2(a), 2(c), 2(d); Eqs. (5), (12).
    """
    import matplotlib.pyplot as plt

    r = _rate(r, "r", positive=True)
    Gamma = _rate(Gamma, "Gamma", positive=True)
    Jt_max = _rate(Jt_max, "Jt_max", positive=True)
    net = effective_network(Gamma=Gamma, kappa_a=kappa, kappa_b=kappa * r, eps=eps,
                            phi=np.pi * _real(phi_over_pi, "phi_over_pi"),
                            J=_real(J_over_Gamma, "J_over_Gamma") * Gamma, Delta_b_p=Delta)
    Jt = np.linspace(0, Jt_max, 301)
    tt = Jt / (Gamma / 2)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8, 3))
    E = net.energies(tt)
    axes[0].plot(Jt, E[:, 1], label="battery")
    axes[0].plot(Jt, E[:, 0], label="charger")
    axes[0].set(xlabel=r"$Jt$ ($J=\Gamma/2$)", ylabel=r"$E/\omega$")
    axes[0].legend()
    axes[1].plot(Jt, net.power(tt)[:, 1])
    axes[1].set(xlabel=r"$Jt$ ($J=\Gamma/2$)", ylabel=r"$P/\omega^2$")
    return net if return_network else None
