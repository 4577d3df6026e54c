"""Ahmadi, Mazurek, Horodecki and Barzanjeh, "Nonreciprocal Quantum Batteries".

Closed forms and model builders for the charger-battery pair of Ahmadi et al.
(Phys. Rev. Lett. 132, 210402 (2024) and its arXiv version with Appendices A-C).

The model (paper Eq. (1) and the master equation below it): a charger ``a`` driven at amplitude
``E`` (the paper's script E, called ``F`` in the appendices), a battery ``b``, a coherent hop
``J a^dag b + J^* b^dag a``, local losses ``kappa_a``, ``kappa_b`` and a shared reservoir
``Gamma L_z`` with ``z = p_a a + p_b b``.  Paper symbols:

================  =====================================================
``mu``            ``-p_b conj(p_a)``
``Gamma_i``       ``Gamma |p_i|^2``
``Lambda_i``      ``Gamma_i + kappa_i``
``C``             ``4 |J|^2 / (kappa_a kappa_b)`` (coherent cooperativity)
``C_d``           ``4 Gamma^2 / Lambda^2`` (dissipative cooperativity)
``xi``            ``sqrt(kappa_a / kappa_b)``
``Delta``         ``sqrt((kappa_a - kappa_b)^2 - 16 |J|^2)`` (real or imaginary)
``zeta``          ``E_B(inf)`` of the reciprocal pair
``r, y``          ``kappa_a / |J|`` and ``kappa_b / kappa_a`` (Appendix C)
``N``             ``8 F^2 / |J|^2``, the unit of ``D_t`` and ``chi`` (Appendix C)
================  =====================================================

The nonreciprocal condition is ``J = -i mu Gamma / 2``.  Only the ratio ``J / mu`` is invariant
under the phase changes ``a -> e^{i phi} a``, ``b -> e^{i theta} b``; its phase matters
(:func:`steady_energies`).

The module is organised by the paper's equations.  For each equation that the paper prints
wrongly, or in a form that is 0/0 somewhere, the exact form and the form *as printed* sit side by
side (the latter named ``*_printed``):

========================  =====================================  ===========================================
paper equation            exact / corrected                      as printed
========================  =====================================  ===========================================
Eq. (5)                   :func:`energy_battery_nr`              :func:`energy_battery_nr_printed`
Eq. (6), equal rates      :func:`energy_battery_nr`              :func:`energy_battery_nr_symmetric_printed`
Eq. (7)                   :func:`energy_charger_nr`              (printed form is right)
Eqs. (8)-(9)              :func:`energy_battery_reciprocal`      :func:`energy_battery_reciprocal_printed`
Eq. (A1)                  :func:`energy_battery_nr_detuned`      :func:`energy_battery_nr_detuned_printed`
Eqs. (10)-(12)            :func:`eta_bb_steady` and others       (printed forms are right)
Eqs. (B4)-(B6)            :func:`steady_energy_nr_rescaled`,     (printed forms are right)
                          :func:`steady_energy_nr_opt`
Eq. (C3)                  :func:`gap_all_times`                  :func:`gap_all_times_printed`
Eq. (C6)                  :func:`chi`                            :func:`chi_printed`
========================  =====================================  ===========================================

Numerics.  Every energy depends only on ratios (drive / rate) and on products (rate x time), so
each closed form first divides all rates and the drive by the largest rate: nothing underflows
or overflows where the answer is representable.  The exact forms stay exact at the removable
singularities of the printed ones (equal decay rates ``Lambda_a = Lambda_b``, critical damping
``Delta = 0``) and at early times (where the energies grow as ``t^4``): both the nonreciprocal and
the reciprocal battery amplitudes are ``t^2`` times a divided difference of ``exp``, which
``_phi2`` evaluates by its Taylor series for small times and by ``expm1`` and
``psi(x) = (1 - e^{-x})/x`` otherwise.  The printed forms are evaluated literally; where that
loses more than about six digits (rates closer than ``1e-6`` relatively) they raise.

Energies are in units of ``omega`` (``omega = 1`` by default) and all rates in the same units.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from ..engine.network import LinearNetwork
from ..engine.validation import finite_array as _finite_array
from ..engine.validation import finite_complex as _finite_complex
from ..engine.validation import positive as _pos
from ..engine.validation import rate as _nonneg
from ..engine.validation import real as _real
from ..engine.validation import times as _validated_times

__all__ = [
    # parameters
    "mu", "decay_rates", "cooperativity", "dissipative_cooperativity", "damping_ratio",
    "reciprocal_delta", "nonreciprocal_J", "optimal_couplings", "appendix_c_rates",
    # models
    "charger_battery", "nonreciprocal_battery", "reciprocal_battery",
    "auxiliary_mode_network", "eliminated_reservoir", "elimination_error",
    # steady states
    "steady_amplitudes", "steady_energies", "steady_energy_battery_nr", "steady_energy_charger_nr",
    "steady_energy_battery_reciprocal",
    # Eqs. (5)-(7)
    "energy_charger_nr", "energy_battery_nr", "energy_battery_nr_printed",
    "energy_battery_nr_symmetric_printed",
    # Eqs. (8)-(9)
    "energy_battery_reciprocal", "energy_battery_reciprocal_printed",
    # Eq. (A1)
    "energy_battery_nr_detuned", "energy_battery_nr_detuned_printed",
    # Eqs. (10)-(12)
    "eta_bb_steady", "eta_bb_steady_rates", "eta_bb_opt_steady", "eta_bb_opt_steady_C",
    "cooperativity_for_eta_opt",
    # Appendix B
    "steady_energy_nr_rescaled", "steady_energy_nr_opt",
    # Appendix C
    "gap_all_times", "gap_all_times_printed", "first_peak_times", "chi", "chi_printed", "chi_zero_y",
    # the paper's claims, tested beyond its formulas
    "eta_ab_crossing", "eta_bb_peak", "max_energy_battery_reciprocal", "reciprocal_peak_factor",
    "steady_fractions_of_bound", "high_energy_windows", "dissipated_energy",
    "storage_per_power_ratio", "charging_cost", "dissipation_vs_damping", "eta_bb_steady_engine",
    "eta_bb_min_engine", "appendix_c_gap_engine",
    # the quantum check and the explorer
    "qutip_energies", "qutip_coherent_check", "explorer_curves", "plot_explorer",
]

#: printed forms raise when two rates are closer than this (relatively): the literal formula
#: would lose more than about six of its sixteen digits
PRINTED_MIN_GAP = 1e-6


# ============================================================================================
# validation and numerically safe helpers (private)
# ============================================================================================
def _times(t: Any) -> np.ndarray:
    return _validated_times(t, nonnegative=True)


def _real_array(value: Any, name: str, *, lower: float | None = None, strict: bool = False) -> np.ndarray:
    """A finite real array (complex with a non-zero imaginary part refused), ``>= lower``."""
    arr = _finite_array(value, name, dtype=complex)
    if np.any(arr.imag != 0):
        raise ValueError(f"{name} must be real, got {value!r}")
    arr = arr.real.astype(float)
    if lower is not None and (np.any(arr <= lower) if strict else np.any(arr < lower)):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {lower:g}, got {value!r}")
    return arr


def _index_array(value: Any, name: str) -> np.ndarray:
    """Integers ``>= 0`` (no floats, no booleans)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" or arr.dtype == bool:
        raise ValueError(f"{name} must be an integer (or integers) >= 0, got {value!r}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return arr.astype(float)


def _unit(*rates: float) -> float:
    """The largest of the rates (1 if all vanish): every closed form is computed in this unit."""
    s = max(abs(float(r)) for r in rates)
    return s if s > 0 else 1.0


def _psi(x: np.ndarray) -> np.ndarray:
    """``psi(x) = (1 - e^{-x}) / x`` for ``x >= 0``, with ``psi(0) = 1`` (no 0/0)."""
    x = np.asarray(x, dtype=float)
    out = np.ones_like(x)
    nz = x > 0
    out[nz] = -np.expm1(-x[nz]) / x[nz]
    return out


def _sinc(x: np.ndarray) -> np.ndarray:
    """``sin(x) / x`` with the value 1 at 0."""
    return np.sinc(np.asarray(x, dtype=float) / np.pi)


#: Taylor terms of :func:`_phi2` (enough for |lambda| t <= 1/2 to double precision)
_N_TAYLOR = 28


def _phi2(l_sum: complex, l_prod: complex, t: np.ndarray) -> np.ndarray:
    """``sum_{m >= 0} h_m t^{m+2} / (m+2)!``, the inverse Laplace transform of ``1/(s (s-l1)(s-l2))``.

    ``h_m`` is the complete homogeneous polynomial of degree ``m`` in the two roots, built from
    their sum and product only (``h_m = l_sum h_{m-1} - l_prod h_{m-2}``), so equal or complex
    conjugate roots need no special case.  Used where ``max|l| t <= 1/2``.
    """
    t = np.asarray(t, dtype=float)
    out = np.zeros(t.shape, dtype=complex)
    h_prev, h = 0.0, 1.0  # h_{-1}, h_0
    term = t ** 2 / 2.0  # t^{m+2}/(m+2)! at m = 0
    for m in range(_N_TAYLOR):
        out = out + h * term
        h_prev, h = h, l_sum * h - l_prod * h_prev
        term = term * t / (m + 3)
    return out


def _nr_profile(t: np.ndarray, La: float, Lb: float, delta: float = 0.0) -> np.ndarray:
    """``F(t) = int_0^t e^{b(t-s)} (1 - e^{a s}) ds`` with ``a = -La/2 + i delta``, ``b = -Lb/2 + i delta``.

    The battery amplitude at the nonreciprocal point is ``beta = mu^* Gamma alpha_inf F(t)`` with
    ``alpha_inf = i E / a``.  Closed form ``expm1(b t)/b - t e^{c t} psi(|La - Lb| t/2)`` (``c`` the
    root with the larger real part), Taylor series ``-a phi2(a, b, t)`` at early times.
    """
    a, b = -La / 2 + 1j * delta, -Lb / 2 + 1j * delta
    t = np.asarray(t, dtype=float)
    out = np.empty(t.shape, dtype=complex)
    small = max(abs(a), abs(b)) * t <= 0.5
    if np.any(small):
        out[small] = -a * _phi2(a + b, a * b, t[small])
    big = ~small
    if np.any(big):
        tb = t[big]
        c = (-min(La, Lb) / 2 + 1j * delta)
        out[big] = np.expm1(b * tb) / b - tb * np.exp(c * tb) * _psi(abs(La - Lb) * tb / 2)
    return out


def _rec_one_minus_g(t: np.ndarray, ka: float, kb: float, Jm: float) -> np.ndarray:
    """``1 - g(t)`` of the reciprocal pair, exact at ``Delta = 0`` and at early times.

    ``g(t) = e^{-k t/4} [cosh(Delta t/4) + k sinh(Delta t/4) / Delta]`` (``k = kappa_a + kappa_b``)
    is the relaxation function of the battery amplitude, ``beta = beta_inf (1 - g)``.  Its
    eigenvalues ``lambda_pm = (-k pm Delta)/4`` have sum ``-k/2`` and product
    ``(kappa_a kappa_b + 4 |J|^2)/4``; at early times ``1 - g = lambda_+ lambda_- phi2``.
    """
    t = np.asarray(t, dtype=float)
    k = ka + kb
    z = (ka - kb) ** 2 - 16 * Jm ** 2
    P = (ka * kb + 4 * Jm ** 2) / 4
    L = (k + np.sqrt(abs(z))) / 4  # >= |lambda_pm|
    out = np.empty(t.shape, dtype=float)
    small = L * t <= 0.5
    if np.any(small):
        out[small] = np.real(P * _phi2(-k / 2, P, t[small]))
    big = ~small
    if np.any(big):
        tb = t[big]
        if z >= 0:
            D = np.sqrt(z)
            y = D * tb / 4
            # e^{-kt/4} cosh y = e^{y - kt/4} (1 + e^{-2y})/2 ;  sinh(y)/D = (t/4) e^{y} psi(2y)
            g = np.exp(y - k * tb / 4) * ((1 + np.exp(-2 * y)) / 2 + (k * tb / 4) * _psi(2 * y))
        else:
            y = np.sqrt(-z) * tb / 4
            g = np.exp(-k * tb / 4) * (np.cos(y) + (k * tb / 4) * _sinc(y))
        out[big] = 1 - g
    return out


def _check_ry(r: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    r = _real_array(r, "r", lower=0.0)
    y = _real_array(y, "y", lower=0.0)
    if np.any(r * np.abs(1 - y) >= 4):
        raise ValueError("r and y: Appendix C needs the underdamped regime r |1 - y| < 4, "
                         f"got r = {r!r}, y = {y!r}")
    return r, y


def _printed_gap(x: float, y: float, what: str, name: str) -> None:
    if abs(x - y) < PRINTED_MIN_GAP * max(abs(x), abs(y)):
        raise ValueError(f"{name}: the printed {what} is 0/0 at equality and loses digits within a "
                         f"relative {PRINTED_MIN_GAP:g} of it; use the exact form")


# ============================================================================================
# parameters
# ============================================================================================
def mu(p_a: complex = 1.0, p_b: complex = 1.0) -> complex:
    """``mu = -p_b conj(p_a)``, the phase factor of the dissipative coupling.

    Parameters
    ----------
    p_a, p_b : complex
        Coefficients of the jump operator ``z = p_a a + p_b b`` of the shared reservoir.

    Returns
    -------
    complex

    References
    ----------
    Ahmadi et al., text below paper Eq. (4).
    """
    p_a = _finite_complex(p_a, "p_a")
    p_b = _finite_complex(p_b, "p_b")
    return -p_b * np.conj(p_a)


def decay_rates(Gamma: float, kappa_a: float, kappa_b: float, p_a: complex = 1.0,
                p_b: complex = 1.0) -> tuple[float, float]:
    """Total amplitude-decay rates ``Lambda_i = Gamma |p_i|^2 + kappa_i``.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate (>= 0).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    p_a, p_b : complex
        Reservoir coefficients of ``z = p_a a + p_b b``.

    Returns
    -------
    (Lambda_a, Lambda_b) : tuple of float

    References
    ----------
    Ahmadi et al., text below paper Eq. (4).
    """
    Gamma = _nonneg(Gamma, "Gamma")
    kappa_a = _nonneg(kappa_a, "kappa_a")
    kappa_b = _nonneg(kappa_b, "kappa_b")
    p_a = _finite_complex(p_a, "p_a")
    p_b = _finite_complex(p_b, "p_b")
    return Gamma * abs(p_a) ** 2 + kappa_a, Gamma * abs(p_b) ** 2 + kappa_b


def cooperativity(J: complex, kappa_a: float, kappa_b: float) -> float:
    """Coherent cooperativity ``C = 4 |J|^2 / (kappa_a kappa_b)``.

    The paper prints ``C = 4 J^2 / (kappa_a kappa_b)``; for the complex ``J`` of the
    nonreciprocal condition the modulus is meant (only ``|J|`` enters the reciprocal solution).

    Parameters
    ----------
    J : complex
        Coherent coupling.
    kappa_a, kappa_b : float
        Local damping rates (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., text below paper Eq. (9).
    """
    Jm = abs(_finite_complex(J, "J"))
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    return 4 * (Jm / ka) * (Jm / kb)


def dissipative_cooperativity(Gamma: float, Lambda: float) -> float:
    """Dissipative cooperativity ``C_d = 4 Gamma^2 / Lambda^2``.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate (>= 0).
    Lambda : float
        Battery decay rate ``Lambda_b`` (> 0); the paper's symmetric ``Lambda``.

    Returns
    -------
    float
        The steady ratio ``E_B^nr / E_A^nr`` (in general ``4 Gamma^2 |mu|^2 / Lambda_b^2``).

    References
    ----------
    Ahmadi et al., text below paper Eq. (7) and Fig. 2(b).
    """
    G = _nonneg(Gamma, "Gamma")
    L = _pos(Lambda, "Lambda")
    return 4 * (G / L) ** 2


def damping_ratio(kappa_a: float, kappa_b: float) -> float:
    """``xi = sqrt(kappa_a / kappa_b)``.

    Parameters
    ----------
    kappa_a, kappa_b : float
        Local damping rates (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eq. (B1) (arXiv) and the text below paper Eq. (10) (PRL).
    """
    return float(np.sqrt(_pos(kappa_a, "kappa_a") / _pos(kappa_b, "kappa_b")))


def reciprocal_delta(J: complex, kappa_a: float, kappa_b: float) -> complex:
    """``Delta = sqrt((kappa_a - kappa_b)^2 - 16 |J|^2)``, real (overdamped) or ``i Delta_+``.

    The eigenvalues of the reciprocal drift are ``(-(kappa_a + kappa_b) pm Delta)/4``.

    Parameters
    ----------
    J : complex
        Coherent coupling.
    kappa_a, kappa_b : float
        Local damping rates (>= 0).

    Returns
    -------
    complex
        ``Delta >= 0`` (overdamped), or ``i Delta_+`` with ``Delta_+ = sqrt(16 |J|^2 - (kappa_a -
        kappa_b)^2) > 0`` (underdamped).

    References
    ----------
    Ahmadi et al., text below paper Eq. (9); ``Delta_+`` below paper Eq. (C2).
    """
    Jm = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    s = _unit(ka, kb, 4 * Jm)
    z = ((ka - kb) / s) ** 2 - (4 * Jm / s) ** 2
    return complex(s * np.sqrt(z)) if z >= 0 else 1j * float(s * np.sqrt(-z))


def nonreciprocal_J(Gamma: float, p_a: complex = 1.0, p_b: complex = 1.0) -> complex:
    """The hop that cancels the backflow: ``J = -i mu Gamma / 2``.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate (>= 0).
    p_a, p_b : complex
        Reservoir coefficients.

    Returns
    -------
    complex

    References
    ----------
    Ahmadi et al., text above paper Eq. (5).
    """
    return -0.5j * mu(p_a, p_b) * _nonneg(Gamma, "Gamma")


def optimal_couplings(kappa_a: float, kappa_b: float) -> tuple[float, float]:
    """The optimal reservoir coefficients ``p_a = xi^{1/2}``, ``p_b = xi^{-1/2}``.

    They give ``Gamma_a = xi Gamma`` and ``Gamma_b = Gamma / xi`` at fixed ``|mu| = 1``.

    Parameters
    ----------
    kappa_a, kappa_b : float
        Local damping rates (> 0).

    Returns
    -------
    (p_a, p_b) : tuple of float

    References
    ----------
    Ahmadi et al., paper Eqs. (B2), (B5) and the caption of Fig. 5 (arXiv).  The main text of
    the arXiv version prints ``p_a = xi kappa_b, p_b = 1/xi``, which is not this (see the chapter).
    """
    x = damping_ratio(kappa_a, kappa_b)
    return float(np.sqrt(x)), float(1 / np.sqrt(x))


def appendix_c_rates(r: float, y: float, J: float = 1.0) -> tuple[float, float]:
    """``kappa_a = r |J|`` and ``kappa_b = r y |J|``, paper Eqs. (C1)-(C2).

    Parameters
    ----------
    r : float
        ``kappa_a / |J|`` (>= 0).
    y : float
        ``1/xi^2 = kappa_b / kappa_a`` (>= 0).
    J : float
        ``|J|`` (> 0).

    Returns
    -------
    (kappa_a, kappa_b) : tuple of float

    References
    ----------
    Ahmadi et al., paper Eqs. (C1)-(C2) (arXiv).
    """
    r = float(_real_array(r, "r", lower=0.0))
    y = float(_real_array(y, "y", lower=0.0))
    J = _pos(J, "J")
    return r * J, r * y * J


# ============================================================================================
# models
# ============================================================================================
def charger_battery(J: complex, Gamma: float, kappa_a: float, kappa_b: float, drive: complex,
                    *, p_a: complex = 1.0, p_b: complex = 1.0, detuning: float = 0.0,
                    omega: float = 1.0) -> LinearNetwork:
    """The charger-battery pair of paper Eq. (1) with the shared reservoir, as a ``LinearNetwork``.

    Mode 0 is the charger ``a``, mode 1 the battery ``b``.  In the frame rotating at the drive
    frequency the Hamiltonian matrix is ``h = [[-delta, J], [J^*, -delta]]`` with
    ``delta = omega_L - omega``; the channels are ``kappa_a D[a]``, ``kappa_b D[b]`` and
    ``Gamma D[p_a a + p_b b]``; the drive is ``E (a + a^dag)`` on the charger.

    Parameters
    ----------
    J : complex
        Coherent coupling.
    Gamma : float
        Shared-reservoir rate (>= 0).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    drive : complex
        Drive amplitude ``E`` (the paper's script E, or F in the appendices).
    p_a, p_b : complex
        Reservoir coefficients of ``z = p_a a + p_b b``.
    detuning : float
        ``delta = omega_L - omega`` (Appendix A).  Default 0 (resonance).
    omega : float
        Mode frequency (energy per quantum), default 1: energies in units of omega.

    Returns
    -------
    LinearNetwork

    References
    ----------
    Ahmadi et al., paper Eq. (1) and the master equation below Fig. 1; paper Eqs. (2)-(4).
    """
    J = _finite_complex(J, "J")
    Gamma = _nonneg(Gamma, "Gamma")
    kappa_a = _nonneg(kappa_a, "kappa_a")
    kappa_b = _nonneg(kappa_b, "kappa_b")
    drive = _finite_complex(drive, "drive")
    p_a = _finite_complex(p_a, "p_a")
    p_b = _finite_complex(p_b, "p_b")
    delta = _real(detuning, "detuning")
    omega = _pos(omega, "omega")
    h = np.array([[-delta, J], [np.conj(J), -delta]], complex)
    jumps = [(Gamma, [p_a, p_b])] if Gamma > 0 else []
    return LinearNetwork(h, loss=[kappa_a, kappa_b], jumps=jumps, drive=[drive, 0.0], omega=omega)


def nonreciprocal_battery(Gamma: float, kappa_a: float, kappa_b: float, drive: complex, *,
                          p_a: complex = 1.0, p_b: complex = 1.0, detuning: float = 0.0,
                          omega: float = 1.0) -> LinearNetwork:
    """The pair at the nonreciprocal point ``J = -i mu Gamma / 2``.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b, drive, p_a, p_b, detuning, omega
        As in :func:`charger_battery`.

    Returns
    -------
    LinearNetwork

    References
    ----------
    Ahmadi et al., text above paper Eq. (5); Figs. 2-5.
    """
    return charger_battery(nonreciprocal_J(Gamma, p_a, p_b), Gamma, kappa_a, kappa_b, drive,
                           p_a=p_a, p_b=p_b, detuning=detuning, omega=omega)


def reciprocal_battery(J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                       detuning: float = 0.0, omega: float = 1.0) -> LinearNetwork:
    """The conventional charger-battery pair: no shared reservoir (``Gamma = 0``).

    Parameters
    ----------
    J, kappa_a, kappa_b, drive, detuning, omega
        As in :func:`charger_battery`.

    Returns
    -------
    LinearNetwork

    References
    ----------
    Ahmadi et al., paper Eqs. (8)-(9) ("setting Gamma_i = Gamma = 0 in Eqs. (2)-(4)").
    """
    return charger_battery(J, 0.0, kappa_a, kappa_b, drive, detuning=detuning, omega=omega)


def auxiliary_mode_network(nu_a: complex, nu_b: complex, gamma_c: float, kappa_a: float,
                           kappa_b: float, drive: complex, *, J: complex = 0.0,
                           omega: float = 1.0) -> LinearNetwork:
    """The shared reservoir modelled as a strongly damped auxiliary mode ``c`` (three modes).

    ``H = J a^dag b + h.c. + c^dag (nu_a a + nu_b b) + h.c. + E (a + a^dag)``, channels
    ``kappa_a D[a]``, ``kappa_b D[b]``, ``gamma_c D[c]``; all modes resonant with the drive.
    For ``gamma_c >> |nu_a|, |nu_b|`` it reduces to :func:`charger_battery` with the rates of
    :func:`eliminated_reservoir`.

    Parameters
    ----------
    nu_a, nu_b : complex
        Couplings of the charger and battery to the auxiliary mode.
    gamma_c : float
        Decay rate of the auxiliary mode (> 0).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    drive : complex
        Drive amplitude on the charger.
    J : complex
        Direct coherent coupling.
    omega : float
        Mode frequency.

    Returns
    -------
    LinearNetwork
        Modes ordered ``(a, b, c)``.

    References
    ----------
    Ahmadi et al., the reservoir "treated as a damped cavity" below paper Eq. (1); Metelmann and
    Clerk, PRX 5, 021025 (2015).
    """
    nu_a = _finite_complex(nu_a, "nu_a")
    nu_b = _finite_complex(nu_b, "nu_b")
    gamma_c = _pos(gamma_c, "gamma_c")
    J = _finite_complex(J, "J")
    h = np.zeros((3, 3), complex)
    h[0, 1], h[1, 0] = J, np.conj(J)
    h[2, 0], h[0, 2] = nu_a, np.conj(nu_a)
    h[2, 1], h[1, 2] = nu_b, np.conj(nu_b)
    return LinearNetwork(h, loss=[_nonneg(kappa_a, "kappa_a"), _nonneg(kappa_b, "kappa_b"), gamma_c],
                         drive=[_finite_complex(drive, "drive"), 0, 0], omega=_pos(omega, "omega"))


def eliminated_reservoir(nu_a: complex, nu_b: complex, gamma_c: float) -> tuple[float, complex, complex]:
    """Shared-reservoir parameters left by adiabatically eliminating the auxiliary mode.

    ``Gamma = 4 |nu_a nu_b| / gamma_c``, ``p_i = nu_i / sqrt|nu_a nu_b|`` (so that ``|mu| = 1``),
    i.e. ``Gamma z^dag z = (4/gamma_c) (nu_a a + nu_b b)^dag (nu_a a + nu_b b)``.

    Parameters
    ----------
    nu_a, nu_b : complex
        Couplings to the auxiliary mode (both nonzero).
    gamma_c : float
        Its decay rate (> 0).

    Returns
    -------
    (Gamma, p_a, p_b)

    References
    ----------
    Ahmadi et al., "By adiabatically eliminating the reservoir" (text above the Fig. 1 caption);
    derived in :func:`nrqb.papers.ahmadi_sym.adiabatic_elimination`.
    """
    nu_a = _finite_complex(nu_a, "nu_a")
    nu_b = _finite_complex(nu_b, "nu_b")
    gamma_c = _pos(gamma_c, "gamma_c")
    if nu_a == 0:
        raise ValueError("nu_a must be nonzero (no shared reservoir otherwise)")
    if nu_b == 0:
        raise ValueError("nu_b must be nonzero (no shared reservoir otherwise)")
    s = np.sqrt(abs(nu_a)) * np.sqrt(abs(nu_b))
    return 4 * (abs(nu_a) / gamma_c) * abs(nu_b), nu_a / s, nu_b / s


def elimination_error(gamma_c: float, *, nu: float = 0.05, Gamma: float | None = None, kappa: float = 0.003,
                      drive: float = 0.01, t_max: float = 2000.0, n_t: int = 81) -> float:
    """Largest relative deviation of the battery energy, three-mode model against ``Gamma L_z``.

    The auxiliary mode couples as ``nu_a = nu``, ``nu_b = i nu`` (``nu_b = |nu_b| e^{i phi}`` with
    ``phi = pi/2``); both networks sit at the nonreciprocal hop of the eliminated reservoir
    (:func:`eliminated_reservoir`).  Returns
    ``max_t |E_B^{3 modes}(t) - E_B^{eff}(t)| / max_t E_B^{eff}(t)`` on ``n_t`` times in
    ``[0, t_max]``.  At fixed ``Gamma`` (``nu = sqrt(Gamma gamma_c)/2``) it vanishes as
    ``1/gamma_c``, the next order of the elimination; at fixed ``nu`` the reservoir rate
    ``Gamma = 4 nu^2/gamma_c`` falls too.

    Parameters
    ----------
    gamma_c : float
        Decay rate of the auxiliary mode (> 0).
    nu : float
        Coupling strength to the auxiliary mode (> 0); ignored when ``Gamma`` is given.
    Gamma : float, optional
        Hold the eliminated reservoir rate fixed instead (> 0): ``nu = sqrt(Gamma gamma_c) / 2``.
    kappa : float
        Local damping of charger and battery (>= 0).
    drive : float
        Drive amplitude (nonzero).
    t_max : float
        Last time (> 0).
    n_t : int
        Number of times (>= 2).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., "By adiabatically eliminating the reservoir" (text above the Fig. 1 caption).
    """
    gamma_c = _pos(gamma_c, "gamma_c")
    nu = _pos(nu, "nu")
    if Gamma is not None:
        nu = float(np.sqrt(_pos(Gamma, "Gamma") * gamma_c) / 2)
    kappa = _nonneg(kappa, "kappa")
    drive = _real(drive, "drive")
    if drive == 0:
        raise ValueError("drive must be nonzero (the error is relative)")
    t_max = _pos(t_max, "t_max")
    if isinstance(n_t, bool) or not isinstance(n_t, (int, np.integer)) or n_t < 2:
        raise ValueError(f"n_t must be an integer >= 2, got {n_t!r}")
    G, pa, pb = eliminated_reservoir(nu, 1j * nu, gamma_c)
    J = nonreciprocal_J(G, pa, pb)
    full = auxiliary_mode_network(nu, 1j * nu, gamma_c, kappa, kappa, drive, J=J)
    eff = charger_battery(J, G, kappa, kappa, drive, p_a=pa, p_b=pb)
    t = np.linspace(0.0, t_max, int(n_t))
    e_eff = eff.energies(t)[:, 1]
    return float(np.max(np.abs(full.energies(t)[:, 1] - e_eff)) / e_eff.max())


# ============================================================================================
# steady states (any coupling)
# ============================================================================================
def steady_amplitudes(J: Any, Gamma: float, kappa_a: float, kappa_b: float, drive: complex, *,
                      p_a: complex = 1.0, p_b: complex = 1.0,
                      detuning: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Steady amplitudes ``(<a>, <b>)`` of the pair for any complex hop ``J`` (Cramer's rule).

    With the drift of paper Eq. (2) in the frame of the drive,
    ``A = [[i delta - Lambda_a/2, -i J + mu Gamma/2], [-i J^* + mu^* Gamma/2, i delta - Lambda_b/2]]``,
    the steady state of ``d x/dt = A x - i (E, 0)`` is ``<a> = i E A_bb / det A`` and
    ``<b> = -i E A_ba / det A``.  At ``J = -i mu Gamma/2`` the backflow entry ``A_ab`` vanishes; at
    ``J = +i mu^* ...`` (the mirror point) the forward entry ``A_ba`` vanishes and ``<b> = 0``.

    Parameters
    ----------
    J : complex or array_like
        Coherent hop(s).
    Gamma, kappa_a, kappa_b, drive, p_a, p_b, detuning
        As in :func:`charger_battery`.

    Returns
    -------
    (alpha, beta) : tuple of complex ndarray
        Same shape as ``J``.

    References
    ----------
    Ahmadi et al., paper Eq. (2) at ``d/dt = 0``.
    """
    J = _finite_array(J, "J", dtype=complex)
    G = _nonneg(Gamma, "Gamma")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    E = _finite_complex(drive, "drive")
    p_a = _finite_complex(p_a, "p_a")
    p_b = _finite_complex(p_b, "p_b")
    d = _real(detuning, "detuning")
    m = mu(p_a, p_b)
    La, Lb = G * abs(p_a) ** 2 + ka, G * abs(p_b) ** 2 + kb
    s = _unit(La, Lb, d, G * abs(m), float(np.max(np.abs(J), initial=0.0)))
    J, G, La, Lb, d, E = J / s, G / s, La / s, Lb / s, d / s, E / s
    A11, A22 = 1j * d - La / 2, 1j * d - Lb / 2
    A12 = -1j * J + m * G / 2
    A21 = -1j * np.conj(J) + np.conj(m) * G / 2
    det = A11 * A22 - A12 * A21
    # eigenvalues (tr/2 +- sqrt(tr^2/4 - det)): the steady state is the long-time limit only if both decay
    tr = A11 + A22
    root = np.sqrt(tr ** 2 / 4 - det + 0j)
    if np.any(np.maximum((tr / 2 + root).real, (tr / 2 - root).real) >= -1e-14):
        raise ValueError("J, Gamma, kappa_a, kappa_b: the pair is not damped, it has no steady state")
    return 1j * E * A22 / det, -1j * E * A21 / det


def steady_energies(J: Any, Gamma: float, kappa_a: float, kappa_b: float, drive: complex, *,
                    p_a: complex = 1.0, p_b: complex = 1.0, detuning: float = 0.0,
                    omega: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Steady energies ``(E_A, E_B) = omega (|<a>|^2, |<b>|^2)`` for any complex hop ``J``.

    They depend on ``J`` and ``mu`` only through ``|J|``, ``|mu|`` and the relative phase of
    ``J / mu``: the paper's captions ("``J = Gamma/2``", real) and its condition
    ``J = -i mu Gamma/2`` (``= i Gamma/2`` at ``p_a = p_b = 1``) give different batteries.

    Parameters
    ----------
    J, Gamma, kappa_a, kappa_b, drive, p_a, p_b, detuning
        As in :func:`steady_amplitudes`.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    (E_A, E_B) : tuple of ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (2) at ``d/dt = 0``; the captions of Figs. 2-4.
    """
    omega = _pos(omega, "omega")
    a, b = steady_amplitudes(J, Gamma, kappa_a, kappa_b, drive, p_a=p_a, p_b=p_b, detuning=detuning)
    return omega * np.abs(a) ** 2, omega * np.abs(b) ** 2


def steady_energy_battery_nr(Gamma: float, Lambda_a: float, Lambda_b: float, drive: complex, *,
                             delta: float = 0.0, delta_b: float | None = None, abs_mu: float = 1.0,
                             omega: float = 1.0) -> float:
    """``E_B^nr(inf) = 16 |mu|^2 Gamma^2 E^2 / (Phi_a Phi_b)``, ``Phi_i = Lambda_i^2 + 4 delta_i^2``.

    ``delta_i`` is the detuning of mode ``i`` from the drive (``omega_L - omega_i``); the paper's
    Appendix A has ``delta_a = delta_b = delta``.  A mode mismatch ``omega_a != omega_b`` enters only
    the diagonal of the drift, so the nonreciprocal ``J = -i mu Gamma/2`` is unchanged and the
    battery's steady amplitude is ``mu^* Gamma <a>_inf / (Lambda_b/2 - i delta_b)``.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate (>= 0).
    Lambda_a, Lambda_b : float
        Decay rates (> 0).
    drive : complex
        Drive amplitude ``E``.
    delta : float
        Detuning (Appendix A); the maximum over delta is at delta = 0, paper Eq. (A2).
    delta_b : float, optional
        Detuning of the battery from the drive if it differs from the charger's (mode mismatch);
        default ``delta``.
    abs_mu : float
        ``|mu|`` (>= 0).
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., text below paper Eq. (6); first term of paper Eq. (A1); paper Eq. (A2); the
    assumption ``omega_a = omega_b`` below paper Eq. (1).
    """
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    db = d if delta_b is None else _real(delta_b, "delta_b")
    m = _nonneg(abs_mu, "abs_mu")
    omega = _pos(omega, "omega")
    s = _unit(La, Lb, d, db, G)
    G, La, Lb, d, db, E = G / s, La / s, Lb / s, d / s, db / s, E / s
    return omega * (4 * m * (G / np.hypot(La, 2 * d)) * (E / np.hypot(Lb, 2 * db))) ** 2


def steady_energy_charger_nr(Lambda_a: float, drive: complex, *, delta: float = 0.0,
                             omega: float = 1.0) -> float:
    """``E_A^nr(inf) = 4 E^2 / (Lambda_a^2 + 4 delta^2)`` (text below paper Eq. (7)).

    Parameters
    ----------
    Lambda_a : float
        Charger decay rate (> 0).
    drive : complex
        Drive amplitude.
    delta : float
        Detuning (Appendix A).
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., text below paper Eq. (7).
    """
    La = _pos(Lambda_a, "Lambda_a")
    E = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    omega = _pos(omega, "omega")
    return omega * 4 * (E / np.hypot(La, 2 * d)) ** 2


def steady_energy_battery_reciprocal(J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                                     omega: float = 1.0) -> float:
    """``zeta = 16 |J|^2 E^2 / (kappa_a kappa_b + 4 |J|^2)^2 = 4 E^2 C / (kappa_a kappa_b (1 + C)^2)``.

    Parameters
    ----------
    J : complex
        Coherent coupling.
    kappa_a, kappa_b : float
        Local damping rates (>= 0, not both zero with ``J = 0``).
    drive : complex
        Drive amplitude.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., ``zeta`` below paper Eq. (8).
    """
    Jm = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    E = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    s = _unit(ka, kb, Jm)
    Jm, ka, kb, E = Jm / s, ka / s, kb / s, E / s
    den = ka * kb + 4 * Jm ** 2
    if den == 0:
        raise ValueError("J, kappa_a, kappa_b: no steady state, kappa_a * kappa_b + 4 |J|^2 must be > 0")
    return omega * (4 * Jm * E / den) ** 2


# ============================================================================================
# paper Eqs. (5)-(7): the nonreciprocal charger and battery
# ============================================================================================
def energy_charger_nr(t: Any, Lambda_a: float, drive: complex, *, omega: float = 1.0) -> np.ndarray:
    """Charger energy at the nonreciprocal point, paper Eq. (7): ``4 E^2 (1 - e^{-Lambda_a t/2})^2 / Lambda_a^2``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Lambda_a : float
        Charger decay rate ``Gamma_a + kappa_a`` (> 0).
    drive : complex
        Drive amplitude ``E``.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (7) (printed with ``Lambda = Lambda_a = Lambda_b``; it holds for any
    ``Lambda_b`` because the charger does not feel the battery).
    """
    t = _times(t)
    La = _pos(Lambda_a, "Lambda_a")
    E = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    return omega * 4 * (E / La) ** 2 * np.expm1(-La * t / 2) ** 2


def energy_battery_nr(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float, drive: complex, *,
                      abs_mu: float = 1.0, omega: float = 1.0) -> np.ndarray:
    """Battery energy at the nonreciprocal point, exact for all ``Lambda_a, Lambda_b`` (corrects paper Eq. (6)).

    .. math::

        E_B^{nr}(t) = \\frac{4 |\\mu|^2 \\Gamma^2 E^2}{\\Lambda_a^2}
            \\Big[\\frac{2}{\\Lambda_b}(1 - e^{-\\Lambda_b t/2})
                  - t\\, e^{-\\Lambda_< t/2}\\, \\psi\\big(|\\Lambda_a - \\Lambda_b| t/2\\big)\\Big]^2,
        \\qquad \\psi(x) = \\frac{1 - e^{-x}}{x},

    with ``Lambda_< = min(Lambda_a, Lambda_b)``.  This equals the PRL's Eq. (5) for
    ``Lambda_a != Lambda_b`` and has the secular term ``t e^{-Lambda t/2}`` at
    ``Lambda_a = Lambda_b`` that the printed Eq. (6) lacks.  Exact near equal rates (no 0/0, no
    loss of digits) and at early times (``E_B ~ t^4``, from the Taylor series of the bracket).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma : float
        Shared-reservoir rate (>= 0).
    Lambda_a, Lambda_b : float
        Decay rates (> 0).
    drive : complex
        Drive amplitude ``E``.
    abs_mu : float
        ``|mu| = |p_a p_b|`` (the paper rescales to 1).
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (5) (PRL bracketing) and paper Eq. (6) (corrected at ``Lambda_a = Lambda_b``).
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    m = _nonneg(abs_mu, "abs_mu")
    omega = _pos(omega, "omega")
    s = _unit(La, Lb, G)
    F = np.real(_nr_profile(t * s, La / s, Lb / s))
    return omega * (2 * m * (G / La) * (E / s) * F) ** 2


def energy_battery_nr_printed(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                              drive: complex, *, version: str = "prl",
                              omega: float = 1.0) -> np.ndarray:
    """Paper Eq. (5) exactly as printed (0/0 at ``Lambda_a = Lambda_b``).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, Lambda_a, Lambda_b, drive, omega
        As in :func:`energy_battery_nr`; ``|Lambda_a - Lambda_b| >= 1e-6 max(Lambda_a, Lambda_b)``
        (closer rates raise: the literal formula would lose more than six digits).
    version : {"prl", "arxiv"}
        ``"prl"``: ``P (1 + [X/(La-Lb)^2] [X - 2(La-Lb)])``, with
        ``X = La e^{-Lb t/2} - Lb e^{-La t/2}`` and ``P = 16 E^2 Gamma^2 / (La^2 Lb^2)``.
        ``"arxiv"``: the bracket placement of the arXiv text as converted,
        ``P (1 + X/(La-Lb)^2) [X - 2(La-Lb)]``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (5) of the PRL and of the arXiv version.
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    if version not in ("prl", "arxiv"):
        raise ValueError(f"version must be 'prl' or 'arxiv', got {version!r}")
    _printed_gap(La, Lb, "paper Eq. (5)", "Lambda_a, Lambda_b")
    P = 16 * omega * G ** 2 * E ** 2 / (La ** 2 * Lb ** 2)
    X = La * np.exp(-Lb * t / 2) - Lb * np.exp(-La * t / 2)
    if version == "prl":
        return P * (1 + X / (La - Lb) ** 2 * (X - 2 * (La - Lb)))
    return P * (1 + X / (La - Lb) ** 2) * (X - 2 * (La - Lb))


def energy_battery_nr_symmetric_printed(t: Any, Gamma: float, Lambda: float, drive: complex, *,
                                        omega: float = 1.0) -> np.ndarray:
    """Paper Eq. (6) as printed: ``16 E^2 Gamma^2 / Lambda^4 [1 + e^{-Lambda t/2}(e^{-Lambda t/2} - 2)]``.

    It lacks the secular term: the exact symmetric result is :func:`energy_battery_nr` with
    ``Lambda_a = Lambda_b``, ``16 E^2 Gamma^2 / Lambda^4 [1 - (1 + Lambda t/2) e^{-Lambda t/2}]^2``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma : float
        Shared-reservoir rate (>= 0).
    Lambda : float
        The common decay rate (> 0).
    drive : complex
        Drive amplitude.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (6).
    """
    t = _times(t)
    L = _pos(Lambda, "Lambda")
    G = _nonneg(Gamma, "Gamma")
    E = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    e = np.exp(-L * t / 2)
    return omega * 16 * (G / L) ** 2 * (E / L) ** 2 * (1 + e * (e - 2))


# ============================================================================================
# paper Eqs. (8)-(9): the reciprocal pair
# ============================================================================================
def energy_battery_reciprocal(t: Any, J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                              omega: float = 1.0) -> np.ndarray:
    """Battery energy of the reciprocal pair (``Gamma = 0``), exact also at ``Delta = 0`` (corrects paper Eq. (9)).

    ``E_B(t) = zeta (1 - g(t))^2`` with
    ``g(t) = e^{-kappa_ab t/4} [cosh(Delta t/4) + kappa_ab sinh(Delta t/4) / Delta]``: the
    battery amplitude relaxes as ``beta_inf (1 - g)`` with ``g(0) = 1``, ``g'(0) = 0``.
    Expanded, ``(1 - g)^2 = 1 - alpha(t) e^{-kappa_ab t/4} + [beta(t) - 2 kappa_a kappa_b (C+1)/Delta^2]
    e^{-kappa_ab t/2}`` with the paper's ``alpha(t)`` and with ``beta(t)`` of paper Eq. (9) up to
    the sign of its ``sinh`` term (see :func:`energy_battery_reciprocal_printed`).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    J : complex
        Coherent coupling.
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    drive : complex
        Drive amplitude.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eqs. (8)-(9) (corrected sign; exact at Delta = 0).
    """
    t = _times(t)
    Jm = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    E = _finite_complex(drive, "drive")
    omega = _pos(omega, "omega")
    if Jm == 0:
        return np.zeros_like(t, dtype=float)
    zeta = steady_energy_battery_reciprocal(Jm, ka, kb, E, omega=omega)
    s = _unit(ka, kb, Jm)
    return zeta * _rec_one_minus_g(t * s, ka / s, kb / s, Jm / s) ** 2


def energy_battery_reciprocal_printed(t: Any, J: complex, kappa_a: float, kappa_b: float,
                                      drive: complex, *, omega: float = 1.0) -> np.ndarray:
    """Paper Eqs. (8)-(9) exactly as printed (complex ``Delta``; 0/0 at ``Delta = 0``).

    Parameters
    ----------
    t, J, kappa_a, kappa_b, drive, omega
        As in :func:`energy_battery_reciprocal`; ``kappa_a, kappa_b > 0`` and
        ``|Delta| >= 1e-6 (kappa_a + kappa_b)`` (closer to critical damping the literal formula
        loses its digits, and at ``Delta = 0`` it is 0/0).

    Returns
    -------
    ndarray
        Real part (the imaginary part vanishes).

    References
    ----------
    Ahmadi et al., paper Eqs. (8)-(9).
    """
    t = _times(t)
    J = _finite_complex(J, "J")
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    F = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    D = reciprocal_delta(J, ka, kb)
    k = ka + kb
    if abs(D) < PRINTED_MIN_GAP * k:
        raise ValueError("J, kappa_a, kappa_b: the printed paper Eqs. (8)-(9) are 0/0 at Delta = 0 and "
                         "lose digits near it; use energy_battery_reciprocal")
    C = cooperativity(J, ka, kb)
    zeta = omega * 4 * F ** 2 * C / (ka * kb * (C + 1) ** 2)
    al = 2 / D * (D * np.cosh(D * t / 4) + k * np.sinh(D * t / 4))
    be = ((D ** 2 + k ** 2) * np.cosh(D * t / 2) - 2 * k * D * np.sinh(D * t / 2)) / (2 * D ** 2)
    out = zeta * (1 - al * np.exp(-k * t / 4) + (be - 2 * ka * kb * (C + 1) / D ** 2) * np.exp(-k * t / 2))
    return np.real(out)


# ============================================================================================
# paper Eq. (A1): a detuned drive
# ============================================================================================
def energy_battery_nr_detuned(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                              drive: complex, delta: float, *, abs_mu: float = 1.0,
                              omega: float = 1.0) -> np.ndarray:
    """Battery energy at the nonreciprocal point with a detuned drive, exact (Appendix A).

    ``beta = mu^* Gamma alpha_inf F(t)`` with ``alpha_inf = -2 i E / (Lambda_a - 2 i delta)`` and
    ``F = int_0^t e^{b(t-s)} (1 - e^{a s}) ds``, ``a = -Lambda_a/2 + i delta``,
    ``b = -Lambda_b/2 + i delta``:
    ``F = (1 - e^{i delta t} e^{-Lambda_b t/2}) / (Lambda_b/2 - i delta)
    - t e^{i delta t} e^{-Lambda_< t/2} psi(|Lambda_a - Lambda_b| t/2)``.  Exact at equal rates.

    Parameters
    ----------
    t, Gamma, Lambda_a, Lambda_b, drive, abs_mu, omega
        As in :func:`energy_battery_nr`.
    delta : float
        Detuning ``omega_L - omega``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (A1) (arXiv).
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    m = _nonneg(abs_mu, "abs_mu")
    omega = _pos(omega, "omega")
    s = _unit(La, Lb, G, d)
    F = _nr_profile(t * s, La / s, Lb / s, d / s)
    return omega * (2 * m * (G / s) * (E / s) / np.hypot(La / s, 2 * d / s)) ** 2 * np.abs(F) ** 2


def energy_battery_nr_detuned_printed(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                                      drive: complex, delta: float, *,
                                      omega: float = 1.0) -> np.ndarray:
    """Paper Eq. (A1) exactly as printed (0/0 at ``Lambda_a = Lambda_b``).

    Parameters
    ----------
    t, Gamma, Lambda_a, Lambda_b, drive, omega
        As in :func:`energy_battery_nr_printed` (rates at least ``1e-6`` apart, relatively).
    delta : float
        Detuning ``omega_L - omega``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (A1) (arXiv), with ``Phi_i = Lambda_i^2 + 4 delta^2``.
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    F = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    omega = _pos(omega, "omega")
    _printed_gap(La, Lb, "paper Eq. (A1)", "Lambda_a, Lambda_b")
    Pa, Pb = La ** 2 + 4 * d ** 2, Lb ** 2 + 4 * d ** 2
    ea, eb = np.exp(-La * t / 2), np.exp(-Lb * t / 2)
    X = La * eb - Lb * ea
    K = omega * G ** 2 * F ** 2 / (Pa * Pb)
    return (16 * K + 64 * d ** 2 * K / (La - Lb) ** 2 * (ea - eb) ** 2 + 16 * K / (La - Lb) ** 2 * X ** 2
            - np.cos(d * t) * 32 * K / (La - Lb) * X + d * np.sin(d * t) * 64 * K / (La - Lb) * (ea - eb))


# ============================================================================================
# paper Eqs. (10)-(12): steady-state ratios
# ============================================================================================
def eta_bb_steady(C: Any, xi: Any) -> np.ndarray:
    """Paper Eq. (10): ``eta_BB(inf) = 4 [(1 + C) / ((sqrt C + xi)(sqrt C + 1/xi))]^2``.

    Valid for ``p_a = p_b = 1`` (``Gamma_a = Gamma_b = Gamma``) at ``Gamma = 2 |J|``.

    Parameters
    ----------
    C : array_like
        Cooperativity ``4 |J|^2 / (kappa_a kappa_b)`` (>= 0).
    xi : array_like
        ``sqrt(kappa_a / kappa_b)`` (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (10).
    """
    C = _real_array(C, "C", lower=0.0)
    xi = _real_array(xi, "xi", lower=0.0, strict=True)
    s = np.sqrt(C)
    return 4 * ((1 + C) / ((s + xi) * (s + 1 / xi))) ** 2


def eta_bb_steady_rates(J: complex, Gamma: float, kappa_a: float, kappa_b: float, *,
                        p_a: complex = 1.0, p_b: complex = 1.0) -> float:
    """``E_B^nr(inf) / E_B(inf)`` from the rates, with no assumption on ``Gamma`` and ``J``.

    The nonreciprocal pair has reservoir rate ``Gamma`` and coefficients ``p_a, p_b``; the
    reciprocal pair has the hop ``|J|`` and no reservoir.

    Parameters
    ----------
    J : complex
        Hop of the reciprocal pair (nonzero).
    Gamma : float
        Reservoir rate of the nonreciprocal pair (>= 0).
    kappa_a, kappa_b : float
        Local damping rates (> 0).
    p_a, p_b : complex
        Reservoir coefficients of the nonreciprocal pair.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eqs. (10)-(11) before setting ``Gamma = 2 |J|``.
    """
    if _finite_complex(J, "J") == 0:
        raise ValueError("J must be nonzero: the reciprocal battery stores nothing at J = 0")
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    La, Lb = decay_rates(Gamma, ka, kb, p_a, p_b)
    nr = steady_energy_battery_nr(Gamma, La, Lb, 1.0, abs_mu=abs(mu(p_a, p_b)))
    return nr / steady_energy_battery_reciprocal(J, ka, kb, 1.0)


def eta_bb_opt_steady(Gamma: float, J: complex, kappa_a: float, kappa_b: float) -> float:
    """Paper Eq. (11): ``Gamma^2 (4 J^2 + kappa_a kappa_b)^2 / (J^2 (Gamma + sqrt(kappa_a kappa_b))^4)``.

    Parameters
    ----------
    Gamma : float
        Reservoir rate (>= 0; ``Gamma + sqrt(kappa_a kappa_b) > 0``).
    J : complex
        Coherent coupling (nonzero; ``J^2`` read as ``|J|^2``).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eq. (11).
    """
    G = _nonneg(Gamma, "Gamma")
    Jm = abs(_finite_complex(J, "J"))
    if Jm == 0:
        raise ValueError("J must be nonzero (paper Eq. (11) divides by J^2)")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    s = _unit(G, Jm, ka, kb)
    G, Jm, ka, kb = G / s, Jm / s, ka / s, kb / s
    k = np.sqrt(ka) * np.sqrt(kb)
    if G + k == 0:
        raise ValueError("Gamma, kappa_a, kappa_b: Gamma + sqrt(kappa_a kappa_b) must be > 0 "
                         "(no steady state otherwise)")
    return float((G * (4 * Jm ** 2 + k ** 2) / (Jm * (G + k) ** 2)) ** 2)


def eta_bb_opt_steady_C(C: Any) -> np.ndarray:
    """Paper Eq. (12): ``eta_BB^opt(inf) = 4 [(1 + C) / (sqrt C + 1)^2]^2`` (paper Eq. (10) at ``xi = 1``).

    Parameters
    ----------
    C : array_like
        Cooperativity (>= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (12).
    """
    C = _real_array(C, "C", lower=0.0)
    return 4 * ((1 + C) / (np.sqrt(C) + 1) ** 2) ** 2


def cooperativity_for_eta_opt(eta: float) -> tuple[float, float]:
    """The two cooperativities at which paper Eq. (12) equals ``eta`` (``1 <= eta < 4``).

    With ``u = sqrt C`` and ``s = sqrt(eta)/2``, paper Eq. (12) ``= eta`` reads
    ``1 + u^2 = s (1 + u)^2``, i.e. ``(1 - s) u^2 - 2 s u + (1 - s) = 0``, whose roots are
    ``u = (s -+ sqrt(2 s - 1)) / (1 - s)`` with product 1.  The smaller root is evaluated as
    ``(1 - s) / (s + sqrt(2 s - 1))`` (no cancellation as ``eta -> 4``).  Paper Eq. (12) exceeds
    ``eta`` exactly for ``C < C_low`` or ``C > C_high``: the "fourfold" gain needs extreme
    cooperativities.

    Parameters
    ----------
    eta : float
        Target ratio, ``1 <= eta < 4``.

    Returns
    -------
    (C_low, C_high) : tuple of float
        ``C_low = 1 / C_high <= 1``.

    References
    ----------
    Ahmadi et al., paper Eq. (12) and the "fourfold increase" of the abstract.
    """
    eta = _real(eta, "eta")
    if not 1 <= eta < 4:
        raise ValueError(f"eta must satisfy 1 <= eta < 4 (paper Eq. (12) ranges over [1, 4)), got {eta!r}")
    s = np.sqrt(eta) / 2
    u_low = (1 - s) / (s + np.sqrt(2 * s - 1))
    return float(u_low ** 2), float(1 / u_low ** 2)


# ============================================================================================
# Appendix B: the optimal reservoir couplings
# ============================================================================================
def steady_energy_nr_rescaled(x: Any, Gamma: float, kappa_a: float, kappa_b: float,
                              drive: complex, *, omega: float = 1.0) -> np.ndarray:
    """Paper Eq. (B4): ``16 Gamma^2 F^2 / ((x Gamma + kappa_a)^2 (Gamma/x + kappa_a/xi^2)^2)``.

    Parameters
    ----------
    x : array_like
        Rescaling of paper Eq. (B2) (> 0): ``Gamma_a = x Gamma``, ``Gamma_b = Gamma / x``.
    Gamma : float
        Reservoir rate (>= 0).
    kappa_a, kappa_b : float
        Local damping rates (> 0); ``kappa_a / xi^2 = kappa_b``.
    drive : complex
        Drive amplitude ``F``.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (B4) (arXiv).
    """
    x = _real_array(x, "x", lower=0.0, strict=True)
    G = _nonneg(Gamma, "Gamma")
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    F = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    s = _unit(G, ka, kb)
    G, ka, kb, F = G / s, ka / s, kb / s, F / s
    xi2 = ka / kb
    return omega * (4 * G * F / ((x * G + ka) * (G / x + ka / xi2))) ** 2


def steady_energy_nr_opt(J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                         omega: float = 1.0) -> float:
    """Paper Eq. (B6): ``64 |J|^2 F^2 / (2 |J| + sqrt(kappa_a kappa_b))^4`` (``Gamma = 2|J|``, ``x = xi``).

    Parameters
    ----------
    J : complex
        Coupling (``Gamma = 2 |J|``); ``J = 0`` gives 0 (no link).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    drive : complex
        Drive amplitude ``F``.
    omega : float
        Energy per quantum (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eq. (B6) (arXiv).
    """
    Jm = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    F = abs(_finite_complex(drive, "drive"))
    omega = _pos(omega, "omega")
    if Jm == 0:
        return 0.0
    s = _unit(Jm, ka, kb)
    Jm, ka, kb, F = Jm / s, ka / s, kb / s, F / s
    return float(omega * (8 * Jm * F / (2 * Jm + np.sqrt(ka) * np.sqrt(kb)) ** 2) ** 2)


# ============================================================================================
# Appendix C: an advantage at all times
# ============================================================================================
def gap_all_times(t: Any, r: float, y: float, J: float = 1.0, drive: complex = 1.0) -> np.ndarray:
    """``D_t = E_{B,opt}^nr(inf) - E_B(t)`` in units of ``N = 8 F^2 / |J|^2``, exact (corrects paper Eq. (C3)).

    With ``kappa_a = r |J|`` and ``kappa_b = r y |J|`` (paper Eqs. (C1)-(C2)),
    ``D_t / N = 8 / (r sqrt(y) + 2)^4 - 2 (1 - g(t))^2 / (r^2 y + 4)^2`` where ``g`` is the
    relaxation function of :func:`energy_battery_reciprocal`.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    r, y : float
        ``kappa_a / |J|`` and ``kappa_b / kappa_a`` (>= 0, underdamped ``r |1 - y| < 4``).
    J : float
        ``|J|`` (> 0), sets the time unit.
    drive : complex
        Drive amplitude ``F`` (nonzero; it cancels in units of ``N``).

    Returns
    -------
    ndarray
        ``D_t / N``.

    References
    ----------
    Ahmadi et al., paper Eq. (C3) (arXiv), in a corrected form (see :func:`gap_all_times_printed`).
    """
    t = _times(t)
    r, y = _check_ry(r, y)
    J = _pos(J, "J")
    F = _finite_complex(drive, "drive")
    if F == 0:
        raise ValueError("drive must be nonzero: D_t is returned in units of N = 8 |F|^2 / |J|^2")
    ka, kb = appendix_c_rates(float(r), float(y), J)
    E_opt = steady_energy_nr_opt(J, ka, kb, F)
    E_rec = energy_battery_reciprocal(t, J, ka, kb, F)
    N = 8 * (abs(F) / J) ** 2
    return (E_opt - E_rec) / N


def gap_all_times_printed(t: Any, r: float, y: float, J: float = 1.0) -> np.ndarray:
    """Paper Eq. (C3) exactly as printed, in units of ``N``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    r, y : float
        As in :func:`gap_all_times`.
    J : float
        ``|J|`` (> 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (C3) (arXiv).
    """
    t = _times(t)
    r, y = _check_ry(r, y)
    r, y = float(r), float(y)
    J = _pos(J, "J")
    Dp = np.sqrt(16 * J ** 2 - (r * J - r * y * J) ** 2)
    e2 = np.exp(-0.5 * r * t * (y + 1) * J)
    e4 = np.exp(-0.25 * r * t * (y + 1) * J)
    return (8 / (r * np.sqrt(y) + 2) ** 4
            - 2 * e2 * (J ** 2 * (8 - r ** 2 * (y ** 2 + 1)) * np.cos(Dp * t / 2)
                        + Dp * r * (y + 1) * J * np.sin(Dp * t / 2)) / Dp ** 2
            + 4 * J ** 2 * (r ** 2 * y + 4) * e2 / Dp ** 2
            - (2 - 4 * e4 * (r * (y + 1) * J * np.sin(Dp * t / 4) / Dp + np.cos(Dp * t / 4)))
            / (r ** 2 * y + 4) ** 2)


def first_peak_times(r: float, y: float, J: float = 1.0, k: Any = 0) -> np.ndarray:
    """Paper Eq. (C4): ``t* = 4 pi (2k + 1) / Delta_+`` with ``Delta_+ = sqrt(16 |J|^2 - (kappa_a - kappa_b)^2)``.

    Parameters
    ----------
    r, y : float
        As in :func:`gap_all_times`.
    J : float
        ``|J|`` (> 0).
    k : int or array_like of int
        Peak index (>= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., paper Eq. (C4) (arXiv).
    """
    r, y = _check_ry(r, y)
    J = _pos(J, "J")
    k = _index_array(k, "k")
    Dp = J * np.sqrt(16 - (r * (1 - y)) ** 2)
    return 4 * np.pi * (2 * k + 1) / Dp


def chi(r: Any, y: Any, k: Any = 0) -> np.ndarray:
    """The gap at the ``k``-th reciprocal peak, ``D_{t*} / N``, exact (corrects paper Eq. (C6)).

    ``chi/N = 8 / (r sqrt(y) + 2)^4 - 2 (1 + exp(-pi (2k+1) r (1+y) / sqrt(16 - r^2 (1-y)^2)))^2 / (r^2 y + 4)^2``.

    Parameters
    ----------
    r, y : array_like
        As in :func:`gap_all_times`.
    k : int or array_like of int
        Peak index (>= 0).

    Returns
    -------
    ndarray
        ``chi / N``.

    References
    ----------
    Ahmadi et al., paper Eq. (C6) (arXiv), with the square root that the printed exponent lacks.
    """
    r, y = _check_ry(r, y)
    k = _index_array(k, "k")
    ex = np.exp(-np.pi * (2 * k + 1) * r * (1 + y) / np.sqrt(16 - r ** 2 * (1 - y) ** 2))
    return 8 / (r * np.sqrt(y) + 2) ** 4 - 2 * (1 + ex) ** 2 / (r ** 2 * y + 4) ** 2


def chi_printed(r: Any, y: Any, k: Any = 0) -> np.ndarray:
    """Paper Eq. (C6) exactly as printed (exponent ``-pi (2k+1) r (y+1) / (16 - r^2 (1-y)^2)``).

    Parameters
    ----------
    r, y : array_like
        As in :func:`gap_all_times`.
    k : int or array_like of int
        Peak index (>= 0).

    Returns
    -------
    ndarray
        ``chi / N``.

    References
    ----------
    Ahmadi et al., paper Eq. (C6) (arXiv).
    """
    r, y = _check_ry(r, y)
    k = _index_array(k, "k")
    ex = np.exp(-np.pi * (2 * k + 1) * r * (y + 1) / (16 - r ** 2 * (1 - y) ** 2))
    return 8 / (r * np.sqrt(y) + 2) ** 4 - 2 * (ex + 1) ** 2 / (r ** 2 * y + 4) ** 2


def chi_zero_y(r: Any, k: int = 0) -> np.ndarray:
    """The boundary ``y*(r)`` of the region ``chi(r, y) > 0``: the root of :func:`chi` in ``0 < y < 1``.

    ``chi(r, 0) > 0`` for ``r > 0`` and ``chi(r, 1) < 0`` for ``0 < r <= 2``; the root is found by
    Brent's method to ``1e-14``.  Appendix C claims ``y* >= 0.22`` for ``0 < r <= 1``.

    Parameters
    ----------
    r : array_like
        ``kappa_a / |J|`` (``0 < r <= 2``).
    k : int
        Peak index (>= 0).

    Returns
    -------
    ndarray
        ``y*`` for each ``r``.

    References
    ----------
    Ahmadi et al., paper Eqs. (C5)-(C6) and Fig. 6 (arXiv), with the corrected :func:`chi`.
    """
    r = _real_array(r, "r", lower=0.0, strict=True)
    if np.any(r > 2):
        raise ValueError(f"r must be <= 2 (chi(r, 1) < 0 is guaranteed there), got {r!r}")
    k = int(_index_array(k, "k"))
    f = lambda yy, rr: float(chi(rr, yy, k))  # noqa: E731
    out = [brentq(f, 0.0, 1.0, args=(float(ri),), xtol=1e-15, rtol=1e-14) for ri in np.ravel(r)]
    return np.reshape(out, r.shape)


# ============================================================================================
# the paper's claims, tested beyond its formulas
# ============================================================================================
def eta_ab_crossing(Gamma: float, Lambda_a: float, Lambda_b: float, *, abs_mu: float = 1.0) -> float:
    """The time at which ``eta_AB^nr(t) = E_B^nr(t) / E_A^nr(t)`` crosses 1 (a root, to 1e-13).

    ``eta_AB = (|mu| Gamma F(t) / (1 - e^{-Lambda_a t/2}))^2`` with ``F`` the bracket of
    :func:`energy_battery_nr`; it starts at 0 (``E_B ~ t^4``, ``E_A ~ t^2``) and tends to
    ``4 |mu|^2 Gamma^2 / Lambda_b^2`` (``C_d``).  The crossing exists iff that limit exceeds 1.

    Parameters
    ----------
    Gamma : float
        Shared-reservoir rate (> 0).
    Lambda_a, Lambda_b : float
        Decay rates (> 0).
    abs_mu : float
        ``|mu|`` (> 0).

    Returns
    -------
    float
        The first time ``t > 0`` with ``eta_AB(t) = 1``.

    References
    ----------
    Ahmadi et al., text above paper Eq. (8) and Fig. 2(b) ("surpasses 1 immediately after the
    interaction is turned on").
    """
    G = _pos(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    m = _pos(abs_mu, "abs_mu")
    if 2 * m * G <= Lb:
        raise ValueError("Gamma, Lambda_b: eta_AB never reaches 1 when C_d = 4 |mu|^2 Gamma^2 / Lambda_b^2 <= 1")
    s = _unit(G, La, Lb)
    G, La, Lb = G / s, La / s, Lb / s

    def root(t):
        F = np.real(_nr_profile(np.array([t]), La, Lb))[0]
        return m * G * F + np.expm1(-La * t / 2)  # sqrt(eta_AB) - 1, times (1 - e^{-La t/2})

    hi = 1.0 / max(La, Lb)
    while root(hi) <= 0:
        hi *= 2
        if hi > 1e6 / min(La, Lb):  # pragma: no cover - excluded by the C_d test above
            raise ValueError("no crossing found")
    lo = hi / 2
    while root(lo) > 0:
        lo /= 2
    return float(brentq(root, lo, hi, xtol=1e-15, rtol=1e-14)) / s


def eta_bb_peak(J: complex, Gamma: float, kappa_a: float, kappa_b: float, *, p_a: complex = 1.0,
                p_b: complex = 1.0, t_max: float | None = None, n_grid: int = 4001) -> tuple[float, float]:
    """The largest value of ``eta_BB(t) = E_B^nr(t) / E_B(t)`` on ``(0, t_max]`` and where it is.

    A grid locates the maximum and a bounded scalar search refines it (relative accuracy ~1e-10).
    ``eta_BB`` is finite for ``t > 0`` (the reciprocal battery never empties again) and tends to
    ``(Gamma |mu| / |J|)^2`` as ``t -> 0``.

    Parameters
    ----------
    J : complex
        Hop of the reciprocal pair (nonzero).
    Gamma, kappa_a, kappa_b, p_a, p_b
        The nonreciprocal pair (:func:`nonreciprocal_battery`); ``Gamma > 0``.
    t_max : float, optional
        End of the search window (> 0); default ``40 / |J|``.
    n_grid : int
        Grid points (>= 16).

    Returns
    -------
    (t_peak, eta_peak) : tuple of float

    References
    ----------
    Ahmadi et al., Fig. 3(b) ("this function oscillates and eventually reaches its steady state").
    """
    Jm = abs(_finite_complex(J, "J"))
    if Jm == 0:
        raise ValueError("J must be nonzero")
    G = _pos(Gamma, "Gamma")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    La, Lb = decay_rates(G, ka, kb, p_a, p_b)
    m = abs(mu(p_a, p_b))
    t_max = 40.0 / Jm if t_max is None else _pos(t_max, "t_max")
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 16:
        raise ValueError(f"n_grid must be an integer >= 16, got {n_grid!r}")

    def eta(t):
        t = np.atleast_1d(t)
        return energy_battery_nr(t, G, La, Lb, 1.0, abs_mu=m) / energy_battery_reciprocal(t, Jm, ka, kb, 1.0)

    tg = np.linspace(t_max / n_grid, t_max, int(n_grid))
    i = int(np.argmax(eta(tg)))
    lo, hi = tg[max(i - 1, 0)], tg[min(i + 1, len(tg) - 1)]
    res = minimize_scalar(lambda t: -eta(t)[0], bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-12 * t_max})
    t_pk = float(res.x) if -res.fun >= eta(tg[i])[0] else float(tg[i])
    return t_pk, float(eta(t_pk)[0])


def max_energy_battery_reciprocal(J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                                  omega: float = 1.0) -> float:
    """``max_t E_B(t)`` of the reciprocal pair, in closed form.

    Underdamped (``16 |J|^2 > (kappa_a - kappa_b)^2``): the first peak, at
    ``t* = 4 pi / Delta_+``, where ``g = -exp(-pi kappa_ab / Delta_+)``, so
    ``max E_B = zeta (1 + exp(-pi kappa_ab / Delta_+))^2``.  Otherwise ``g`` decreases
    monotonically to 0 and the maximum is the steady value ``zeta``.

    Parameters
    ----------
    J, kappa_a, kappa_b, drive, omega
        As in :func:`energy_battery_reciprocal`.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eqs. (C4)-(C6) (arXiv), generalised to any ``kappa_a, kappa_b``.
    """
    Jm = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    E = _finite_complex(drive, "drive")
    omega = _pos(omega, "omega")
    if Jm == 0:
        return 0.0
    zeta = steady_energy_battery_reciprocal(Jm, ka, kb, E, omega=omega)
    D = reciprocal_delta(Jm, ka, kb)
    if D.imag == 0:
        return zeta
    return zeta * (1 + np.exp(-np.pi * (ka + kb) / D.imag)) ** 2


def reciprocal_peak_factor(C: Any, xi: Any) -> np.ndarray:
    """``max_t E_B(t) / E_B(inf)`` of the reciprocal pair as a function of ``C`` and ``xi``.

    With ``kappa_a = s xi``, ``kappa_b = s / xi`` and ``|J| = s sqrt(C) / 2`` the scale ``s``
    drops out: the pair is underdamped when ``4 C > (xi - 1/xi)^2``, and then
    ``max_t E_B / zeta = (1 + exp(-pi (xi + 1/xi) / sqrt(4 C - (xi - 1/xi)^2)))^2``
    (first peak, :func:`max_energy_battery_reciprocal`); otherwise 1.

    Parameters
    ----------
    C : array_like
        Cooperativity ``4 |J|^2 / (kappa_a kappa_b)`` (>= 0).
    xi : array_like
        ``sqrt(kappa_a / kappa_b)`` (> 0).

    Returns
    -------
    ndarray
        Between 1 and 4.

    References
    ----------
    Ahmadi et al., paper Eqs. (8)-(9) and (C4)-(C6) (arXiv), written in the variables of paper Eq. (10).
    """
    C = _real_array(C, "C", lower=0.0)
    xi = _real_array(xi, "xi", lower=0.0, strict=True)
    z = 4 * C - (xi - 1 / xi) ** 2
    pf = (1 + np.exp(-np.pi * (xi + 1 / xi) / np.sqrt(np.where(z > 0, z, 1.0)))) ** 2
    return np.where(z > 0, pf, 1.0)


def steady_fractions_of_bound(C: Any, xi: Any) -> dict[str, np.ndarray]:
    """Steady battery energies as fractions of the bound ``omega E^2 / (kappa_a kappa_b)``.

    At fixed ``C = 4|J|^2/(kappa_a kappa_b)`` and ``xi = sqrt(kappa_a/kappa_b)``, with
    ``Gamma = 2|J|`` as in paper Eqs. (10)-(12):

    * ``reciprocal``: ``zeta / bound = 4 C / (1 + C)^2`` (maximal, 1, at ``C = 1``);
    * ``nonreciprocal`` (``p_a = p_b = 1``): ``16 C / ((sqrt C + xi)^2 (sqrt C + 1/xi)^2)``;
    * ``nonreciprocal_opt`` (``Gamma_a = xi Gamma``, ``Gamma_b = Gamma/xi``): ``16 C / (sqrt C + 1)^4``.

    Their ratios are paper Eqs. (10) and (12).  The bound holds for any linear network
    (:func:`nrqb.beyond.optimize.energy_bound`); "fourfold" (``eta_BB -> 4``) happens where
    both energies are a vanishing fraction of it.

    Parameters
    ----------
    C : array_like
        Cooperativity (>= 0).
    xi : array_like
        Damping ratio (> 0).

    Returns
    -------
    dict of ndarray
        Keys ``"reciprocal"``, ``"nonreciprocal"``, ``"nonreciprocal_opt"``.

    References
    ----------
    Ahmadi et al., paper Eqs. (8), (10)-(12), (B6); the energy bound of the book's chapter on
    optimal couplings.
    """
    C = _real_array(C, "C", lower=0.0)
    xi = _real_array(xi, "xi", lower=0.0, strict=True)
    C, xi = np.broadcast_arrays(C, xi)
    s = np.sqrt(C)
    return {"reciprocal": 4 * C / (1 + C) ** 2,
            "nonreciprocal": 16 * C / ((s + xi) * (s + 1 / xi)) ** 2,
            "nonreciprocal_opt": 16 * C / (s + 1) ** 4}


def _windows(f, breaks: np.ndarray, level: float) -> list[tuple[float, float]]:
    """Intervals of ``[breaks[0], breaks[-1]]`` where ``f >= level``, ``f`` monotone between breaks."""
    vals = f(breaks) - level
    cuts = [float(breaks[0])]
    for a, b, fa, fb in zip(breaks[:-1], breaks[1:], vals[:-1], vals[1:]):
        if fa * fb < 0:
            cuts.append(float(brentq(lambda x: f(np.array([x]))[0] - level, a, b, xtol=1e-14 * b, rtol=1e-14)))
    cuts.append(float(breaks[-1]))
    cuts = np.array(cuts)
    mids = f(0.5 * (cuts[:-1] + cuts[1:])) - level
    return [(float(a), float(b)) for a, b, m in zip(cuts[:-1], cuts[1:], mids) if m >= 0 and b > a]


def high_energy_windows(J: complex, Gamma: float, kappa_a: float, kappa_b: float, level: float, *,
                        t_max: float, drive: complex = 1.0, p_a: complex = 1.0,
                        p_b: complex = 1.0) -> dict[str, list[tuple[float, float]]]:
    """The time intervals in ``[0, t_max]`` in which each battery holds at least ``level``.

    Reciprocal pair: hop ``J``, no reservoir (:func:`energy_battery_reciprocal`).  Its energy
    ``zeta (1 - g)^2`` is monotone between the extrema of ``g``, which lie at
    ``Delta_+ t / 4 = n pi`` when it is underdamped; when it is overdamped or critical ``g``
    decreases monotonically (``dg/dt = -(kappa_ab^2 - Delta^2) e^{-kappa_ab t/4} sinh(Delta t/4)/(4 Delta)``,
    :func:`nrqb.papers.ahmadi_sym.battery_energy_reciprocal`).  Nonreciprocal pair: reservoir
    ``(Gamma, p_a, p_b)`` at ``J = -i mu Gamma/2`` (:func:`energy_battery_nr`), monotone.  On each
    monotone piece the crossing with ``level`` is a root (``brentq``, relative 1e-14).

    Parameters
    ----------
    J : complex
        Hop of the reciprocal pair.
    Gamma, kappa_a, kappa_b, p_a, p_b
        The nonreciprocal pair (``Gamma > 0``); ``kappa_a, kappa_b`` are shared by both pairs.
    level : float
        Energy threshold in units of ``omega`` (> 0).
    t_max : float
        End of the window (> 0).
    drive : complex
        Drive amplitude ``E``.

    Returns
    -------
    dict
        ``"reciprocal"`` and ``"nonreciprocal"``: lists of ``(t_start, t_end)``; an interval that
        reaches ``t_max`` ends there.

    References
    ----------
    Ahmadi et al., abstract ("eliminating the need for precise temporal control over evolution
    parameters"); paper Eqs. (5) and (8)-(9).
    """
    Jm = abs(_finite_complex(J, "J"))
    G = _pos(Gamma, "Gamma")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    level = _pos(level, "level")
    t_max = _pos(t_max, "t_max")
    E = _finite_complex(drive, "drive")
    La, Lb = decay_rates(G, ka, kb, p_a, p_b)
    m = abs(mu(p_a, p_b))
    D = reciprocal_delta(Jm, ka, kb)
    ends = [0.0, t_max]
    rec_breaks = np.array(ends)
    if D.imag > 0:
        n = np.arange(1, int(np.floor(t_max * D.imag / (4 * np.pi))) + 1)
        rec_breaks = np.unique(np.concatenate([ends, 4 * np.pi * n / D.imag]))
        rec_breaks = rec_breaks[rec_breaks <= t_max]
    return {"reciprocal": _windows(lambda t: energy_battery_reciprocal(t, Jm, ka, kb, E), rec_breaks, level),
            "nonreciprocal": _windows(lambda t: energy_battery_nr(t, G, La, Lb, E, abs_mu=m), np.array(ends), level)}


def dissipated_energy(net: LinearNetwork, t: Any) -> dict[str, np.ndarray]:
    """Work done by the drive and energy lost to every channel from ``t = 0``, cumulatively.

    Powers from the engine's moments (``<a_i^dag a_j> = conj(alpha_i) alpha_j + N_ij``): the drive
    does work at ``sum_j omega_j 2 Im(conj(alpha_j) F_j)``, a channel ``gamma D[L]`` with
    ``L = sum c_j a_j`` removes ``omega gamma <L^dag L>`` (``omega_j`` for a local loss, the mean
    ``omega`` for a shared reservoir).  Each power is integrated by the cumulative Simpson rule
    on the given grid, which must resolve the dynamics.  By energy balance
    ``input = sum(local) + sum(shared) + E_total(t) - E_total(0)``.

    Parameters
    ----------
    net : LinearNetwork
        A network at zero temperature without squeezing (its baths only remove energy).
    t : array_like
        Increasing times starting at 0, at least 3.

    Returns
    -------
    dict of ndarray
        ``input`` (len(t),), ``local`` (len(t), n): each mode's own loss channel(s),
        ``shared`` (len(t), k): the shared reservoirs in the order of ``net.channels``.

    References
    ----------
    Ahmadi et al., conclusion ("reducing energy dissipation into the surroundings during the
    charging process"); the master equation below paper Eq. (1).
    """
    from scipy.integrate import cumulative_simpson

    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    if net.has_noise:
        raise ValueError("net: dissipated_energy needs zero temperature and no squeezing (the baths then only "
                         "remove energy)")
    tt = _validated_times(t, nonnegative=True, one_d=True)
    if len(tt) < 3 or tt[0] != 0 or np.any(np.diff(tt) <= 0):
        raise ValueError("t must increase, start at 0 and hold at least 3 times")
    alpha, N, _ = net.moments(tt)
    n = net.n_modes
    om = net.omega
    corr = np.conj(alpha)[:, :, None] * alpha[:, None, :] + N      # <a_i^dag a_j>
    p_in = 2 * np.imag(np.conj(alpha) * net.drive) @ om
    local = np.zeros((len(tt), n))
    shared = []
    for rate, c, *_ in net.channels:
        c = np.asarray(c, dtype=complex)
        p = rate * np.real(np.einsum("i,tij,j->t", np.conj(c), corr, c))
        nz = np.flatnonzero(np.abs(c) > 0)
        if nz.size == 1:
            local[:, nz[0]] += p * om[nz[0]]
        else:
            shared.append(p * float(np.mean(om)))
    cum = lambda y: cumulative_simpson(y, x=tt, initial=0.0)  # noqa: E731
    return {"input": cum(p_in), "local": cum(local.T).T,
            "shared": np.stack([cum(p) for p in shared], axis=1) if shared else np.zeros((len(tt), 0))}


def storage_per_power_ratio(C: Any) -> np.ndarray:
    """Steady battery energy per input power, nonreciprocal over reciprocal, symmetric damping.

    Both pairs with ``kappa_a = kappa_b = kappa``, ``p_a = p_b = 1``; the reciprocal pair has
    hop ``|J|``, the nonreciprocal one ``Gamma = 2|J|`` (as in paper Eqs. (10)-(12)).  In the
    steady state all input power ``P_in`` is dissipated.  The nonreciprocal pair has
    ``E_B / P_in = 4 Gamma^2 / Lambda^3`` (``Lambda = Gamma + kappa``), the reciprocal one
    ``C / (kappa (1 + C))``; with ``u = sqrt(C) = 2|J| / kappa`` their ratio is
    ``4 (1 + C) / (1 + u)^3``, which exceeds 1 exactly when ``C < 1``, since
    ``4 (1 + u^2) - (1 + u)^3 = (1 - u)(3 + u^2)``.

    Parameters
    ----------
    C : array_like
        Coherent cooperativity ``4|J|^2 / kappa^2`` (> 0).

    Returns
    -------
    ndarray
        ``(E_B/P_in)_nr / (E_B/P_in)_rec``.

    References
    ----------
    Ahmadi et al., conclusion ("reducing energy dissipation"; "particularly advantageous for
    higher dissipation rates"); steady states of paper Eq. (2).
    """
    C = _real_array(C, "C", lower=0.0, strict=True)
    return 4 * (1 + C) / (1 + np.sqrt(C)) ** 3


def charging_cost(net: LinearNetwork, level: float, t_hit: float, *, n: int = 2001) -> dict[str, float]:
    """Work and losses from the vacuum until the battery (mode 1) first holds ``level``.

    ``t_hit`` is the first time at which the battery energy reaches ``level`` (e.g. from
    :func:`high_energy_windows`); it is checked against the engine (relative 1e-9).  The powers
    are integrated by :func:`dissipated_energy` on ``n`` equally spaced times in ``[0, t_hit]``.

    Parameters
    ----------
    net : LinearNetwork
        Charger (mode 0) and battery (mode 1), zero temperature, no squeezing.
    level : float
        Battery energy to reach, units of ``omega`` (> 0).
    t_hit : float
        First time at which ``E_B = level`` (> 0).
    n : int
        Number of integration times (odd, >= 101).

    Returns
    -------
    dict of float
        ``t``, ``W`` (work of the drive), ``Q_local`` (local baths), ``Q_shared`` (shared
        reservoirs), ``Q`` (their sum), ``E_A`` and ``E_B`` at ``t_hit``.

    References
    ----------
    Ahmadi et al., conclusion ("reducing energy dissipation into the surroundings during the
    charging process").
    """
    level = _pos(level, "level")
    t_hit = _pos(t_hit, "t_hit")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 101 or n % 2 == 0:
        raise ValueError(f"n must be an odd integer >= 101, got {n!r}")
    if not isinstance(net, LinearNetwork) or net.n_modes < 2:
        raise ValueError("net must be a LinearNetwork with a charger (mode 0) and a battery (mode 1)")
    e_hit = float(net.energies([t_hit])[0, 1])
    if abs(e_hit / level - 1) > 1e-9:
        raise ValueError(f"t_hit: the battery holds {e_hit!r}, not level = {level!r}, at t_hit")
    tt = np.linspace(0.0, t_hit, int(n))
    d = dissipated_energy(net, tt)
    stored = net.energies([t_hit])[0]
    ql, qs = float(d["local"][-1].sum()), float(d["shared"][-1].sum())
    return {"t": float(t_hit), "W": float(d["input"][-1]), "Q_local": ql, "Q_shared": qs, "Q": ql + qs,
            "E_A": float(stored[0]), "E_B": float(stored[1])}


def dissipation_vs_damping(J: float, kappas: Any, drive: complex, *, fraction: float = 0.5,
                           n: int = 2001) -> dict[str, np.ndarray]:
    """Both dissipation measures of the two pairs against a symmetric damping ``kappa``.

    For each ``kappa``: the reciprocal pair (hop ``|J|``) and the nonreciprocal pair
    (``Gamma = 2|J|``, ``p_a = p_b = 1``), both with ``kappa_a = kappa_b = kappa``.  Steady
    state: ``E_B / P_in`` of each, from the engine's steady amplitudes
    (``P_in = 2 Im(conj(<a>) E)``, all dissipated).  Transient: both batteries are charged
    from the vacuum to the common level ``fraction * min(max_t E_B, max_t E_B^nr)``
    (the reciprocal maximum from :func:`max_energy_battery_reciprocal`, the nonreciprocal
    supremum its steady value), reached first at the roots of :func:`high_energy_windows`,
    and :func:`charging_cost` integrates the work and the losses up to then.

    Parameters
    ----------
    J : float
        Reciprocal hop modulus (> 0); the nonreciprocal pair has ``Gamma = 2|J|``.
    kappas : array_like
        Damping rates (> 0).
    drive : complex
        Drive amplitude ``E``.
    fraction : float
        ``0 < fraction < 1``.
    n : int
        Integration times per charging run (see :func:`charging_cost`).

    Returns
    -------
    dict of ndarray
        ``C``, ``per_power_rec``, ``per_power_nr`` (``E_B/P_in``, units ``1/omega``), ``level``,
        ``t_rec``, ``t_nr``, ``W_rec``, ``W_nr``, ``Q_rec``, ``Q_nr``, ``Q_nr_shared``.

    References
    ----------
    Ahmadi et al., conclusion ("reducing energy dissipation into the surroundings during the
    charging process") and the remark that nonreciprocity is "particularly advantageous for
    higher dissipation rates".
    """
    Jm = _pos(abs(_finite_complex(J, "J")), "J")
    ks = _real_array(kappas, "kappas", lower=0.0, strict=True).ravel()
    E = _finite_complex(drive, "drive")
    fraction = _real(fraction, "fraction")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie in (0, 1), got {fraction!r}")
    keys = ("C", "per_power_rec", "per_power_nr", "level", "t_rec", "t_nr", "W_rec", "W_nr", "Q_rec",
            "Q_nr", "Q_nr_shared")
    out = {k: np.empty(len(ks)) for k in keys}
    for i, k in enumerate(ks):
        rec, nr = reciprocal_battery(Jm, k, k, E), nonreciprocal_battery(2 * Jm, k, k, E)
        for name, net in (("rec", rec), ("nr", nr)):
            ss = net.steady_state()
            p_in = 2 * float(np.imag(np.conj(ss["amplitudes"][0]) * E))
            out["per_power_" + name][i] = ss["energies"][1] / p_in
        level = fraction * min(max_energy_battery_reciprocal(Jm, k, k, E), nr.steady_state()["energies"][1])
        slowest = min(-np.linalg.eigvals(rec.drift).real.max(), -np.linalg.eigvals(nr.drift).real.max())
        w = high_energy_windows(Jm, 2 * Jm, k, k, level, t_max=60 / slowest, drive=E)
        c_rec = charging_cost(rec, level, w["reciprocal"][0][0], n=n)
        c_nr = charging_cost(nr, level, w["nonreciprocal"][0][0], n=n)
        out["C"][i] = cooperativity(Jm, k, k)
        out["level"][i] = level
        for name, c in (("rec", c_rec), ("nr", c_nr)):
            out["t_" + name][i], out["W_" + name][i], out["Q_" + name][i] = c["t"], c["W"], c["Q"]
        out["Q_nr_shared"][i] = c_nr["Q_shared"]
    return out


def eta_bb_steady_engine(C: float, xi: float, *, Gamma_over_J: float = 2.0) -> float:
    """``eta_BB(inf)`` from the engine: ratio of the two networks' steady battery energies.

    The reciprocal pair (hop ``|J|``) and the nonreciprocal pair (``Gamma = Gamma_over_J |J|``,
    ``p_a = p_b = 1``) at ``kappa_a = s xi``, ``kappa_b = s / xi``, ``|J| = s sqrt(C) / 2`` with
    ``s = 0.01`` (the ratio does not depend on ``s`` or the drive).  An independent route to
    paper Eq. (10), which it equals at ``Gamma_over_J = 2``.

    Parameters
    ----------
    C : float
        Coherent cooperativity (> 0).
    xi : float
        ``sqrt(kappa_a / kappa_b)`` (> 0).
    Gamma_over_J : float
        ``Gamma / |J|`` (> 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., paper Eq. (10).
    """
    C = _pos(C, "C")
    xi = _pos(xi, "xi")
    g = _pos(Gamma_over_J, "Gamma_over_J")
    s = 0.01
    ka, kb, J = s * xi, s / xi, s * np.sqrt(C) / 2
    nr = nonreciprocal_battery(g * J, ka, kb, 0.1).steady_state()["energies"][1]
    return float(nr / reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1])


def eta_bb_min_engine(xi: float) -> tuple[float, float]:
    """Minimum over ``C`` of the engine's ``eta_BB(inf)`` (:func:`eta_bb_steady_engine`).

    Bounded Brent search in ``log10 C`` over ``[-4, 4]`` (tolerance 1e-10); paper Eq. (10) puts
    the minimum at ``C = 1`` with value ``16 / (2 + xi + 1/xi)^2`` (1 at ``xi = 1``).

    Parameters
    ----------
    xi : float
        ``sqrt(kappa_a / kappa_b)`` (> 0).

    Returns
    -------
    (C_min, eta_min) : tuple of float

    References
    ----------
    Ahmadi et al., text after paper Eq. (10) ("eta_BB >= 1 ... at xi = 1").
    """
    xi = _pos(xi, "xi")
    res = minimize_scalar(lambda x: eta_bb_steady_engine(10.0 ** x, xi), bounds=(-4.0, 4.0),
                          method="bounded", options={"xatol": 1e-10})
    return float(10.0 ** res.x), float(res.fun)


def appendix_c_gap_engine(r: float, y: float) -> dict[str, float]:
    """Appendix C's comparison by the engine alone, at ``|J| = 1``, ``E = 1``.

    The optimised nonreciprocal pair (``Gamma = 2|J|``, ``p_a = xi^{1/2}``, ``p_b = xi^{-1/2}``)
    in its steady state, against the largest energy of the reciprocal pair near its first peak:
    a bounded Brent maximisation of the engine's ``E_B(t)`` over ``t`` within 5 % of
    ``4 pi / Delta_+`` (tolerance ``1e-12`` relative in ``t``).  ``kappa_a = r |J|``,
    ``kappa_b = r y |J|`` (paper Eqs. (C1)-(C2)); the pair must be underdamped.

    Parameters
    ----------
    r : float
        ``kappa_a / |J|`` (> 0).
    y : float
        ``kappa_b / kappa_a`` (> 0).

    Returns
    -------
    dict of float
        ``E_opt`` (optimised steady energy), ``E_rec_max``, ``t_max`` (time of the reciprocal
        peak), ``gap_over_N`` (``(E_opt - E_rec_max) / N`` with ``N = 8``, comparable with
        :func:`chi`).

    References
    ----------
    Ahmadi et al., Appendix C (arXiv), paper Eqs. (C3)-(C6).
    """
    r = _pos(r, "r")
    y = _pos(y, "y")
    ka, kb = appendix_c_rates(r, y, 1.0)
    D = reciprocal_delta(1.0, ka, kb)
    if D.imag <= 0:
        raise ValueError(f"r and y: the reciprocal pair must be underdamped, got r = {r!r}, y = {y!r}")
    pa, pb = optimal_couplings(ka, kb)
    e_opt = float(nonreciprocal_battery(2.0, ka, kb, 1.0, p_a=pa, p_b=pb).steady_state()["energies"][1])
    rec = reciprocal_battery(1.0, ka, kb, 1.0)
    ts = 4 * np.pi / D.imag
    res = minimize_scalar(lambda t: -float(rec.energies([t])[0, 1]), bounds=(0.95 * ts, 1.05 * ts),
                          method="bounded", options={"xatol": 1e-12 * ts})
    return {"E_opt": e_opt, "E_rec_max": float(-res.fun), "t_max": float(res.x),
            "gap_over_N": (e_opt + float(res.fun)) / 8.0}


# ============================================================================================
# the quantum check and the explorer
# ============================================================================================
def qutip_energies(net: LinearNetwork, times: Any, *, cutoff: int = 5) -> np.ndarray:
    """Mode energies ``omega_j <a_j^dag a_j>(t)`` from the Fock-space master equation (qutip).

    The network is translated by :meth:`LinearNetwork.to_qutip` at the given Fock cutoff and
    integrated from the vacuum with ``qutip.mesolve`` (``atol 1e-10``, ``rtol 1e-8``).  Exact only
    while the populations stay well below the cutoff (weak drive).

    Parameters
    ----------
    net : LinearNetwork
        The network (zero temperature).
    times : array_like
        Increasing times starting at 0.
    cutoff : int
        Fock cutoff per mode (>= 2).

    Returns
    -------
    ndarray, shape (len(times), n_modes)

    References
    ----------
    Ahmadi et al., the master equation below paper Eq. (1).
    """
    import qutip as qt

    from ..engine.qutip_bridge import mode_operators

    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, np.integer)) or cutoff < 2:
        raise ValueError(f"cutoff must be an integer >= 2, got {cutoff!r}")
    t = _validated_times(times, nonnegative=True, one_d=True)
    if t[0] != 0 or np.any(np.diff(t) <= 0):
        raise ValueError("times must increase and start at 0")
    H, c_ops = net.to_qutip(int(cutoff))
    n = net.n_modes
    ops = mode_operators(int(cutoff), n)
    psi0 = qt.tensor([qt.basis(int(cutoff), 0)] * n)
    res = qt.mesolve(H, psi0, t, c_ops, e_ops=[o.dag() * o for o in ops],
                     options={"atol": 1e-10, "rtol": 1e-8})
    return np.array(res.expect).T * net.omega


def qutip_coherent_check(net: LinearNetwork, times: Any, *, alpha0: Any = None, mode: int = 1,
                         cutoff: int = 5) -> dict[str, np.ndarray]:
    """Purity and battery ergotropy from the Fock-space density matrix (qutip), any coherent start.

    The master equation of :meth:`LinearNetwork.to_qutip` is integrated from the product of
    coherent states ``|alpha0_1> x |alpha0_2> x ...`` (Fock expansion truncated at ``cutoff`` and
    renormalised).  At each time it returns the purity ``Tr rho^2`` of the joint state and of the
    reduced state ``rho_m`` of ``mode``, that mode's energy ``omega_m Tr(rho_m n)`` and its
    ergotropy ``omega_m (Tr(rho_m n) - sum_k k r_k)`` with ``r_0 >= r_1 >= ...`` the eigenvalues
    of ``rho_m`` (the passive state puts the largest weight on the lowest level).  Exact only while
    the populations stay well below the cutoff (weak drive, small ``alpha0``).

    Parameters
    ----------
    net : LinearNetwork
        The network.
    times : array_like
        Increasing times starting at 0.
    alpha0 : array_like, optional
        Initial coherent amplitudes (n,); default the vacuum.
    mode : int
        The battery mode.
    cutoff : int
        Fock cutoff per mode (>= 2).

    Returns
    -------
    dict of ndarray
        ``purity``, ``purity_mode``, ``energy``, ``ergotropy``, each of shape (len(times),).

    References
    ----------
    Ahmadi et al., arXiv conclusion ("Assuming the initial state of the entire charger-battery
    system is a coherent state, it remains coherent and pure throughout the entire evolution,
    implying that all internal energy of the battery can be extracted as ergotropy").
    """
    import qutip as qt

    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, np.integer)) or cutoff < 2:
        raise ValueError(f"cutoff must be an integer >= 2, got {cutoff!r}")
    n = net.n_modes
    if isinstance(mode, bool) or not isinstance(mode, (int, np.integer)) or not 0 <= mode < n:
        raise ValueError(f"mode must be an integer in [0, {n}), got {mode!r}")
    a0 = np.zeros(n, complex) if alpha0 is None else _finite_array(alpha0, "alpha0")
    if a0.shape != (n,):
        raise ValueError(f"alpha0 must have shape ({n},), got {a0.shape}")
    t = _validated_times(times, nonnegative=True, one_d=True)
    if t[0] != 0 or np.any(np.diff(t) <= 0):
        raise ValueError("times must increase and start at 0")
    cut = int(cutoff)
    H, c_ops = net.to_qutip(cut)
    psi0 = qt.tensor([qt.coherent(cut, complex(a), method="analytic").unit() for a in a0])
    res = qt.mesolve(H, psi0 * psi0.dag(), t, c_ops, options={"atol": 1e-12, "rtol": 1e-10})
    levels = np.arange(cut)
    out = {k: np.empty(len(t)) for k in ("purity", "purity_mode", "energy", "ergotropy")}
    for i, rho in enumerate(res.states):
        rm = rho.ptrace(int(mode)).full()
        r = np.sort(np.linalg.eigvalsh(rm))[::-1]
        e = float(np.real(np.trace(rm @ np.diag(levels))))
        out["purity"][i] = float(np.real((rho * rho).tr()))
        out["purity_mode"][i] = float(np.real(np.trace(rm @ rm)))
        out["energy"][i] = e * net.omega[mode]
        out["ergotropy"][i] = (e - float(levels @ r)) * net.omega[mode]
    return out


def explorer_curves(J: complex = 0.02, Gamma: float = 0.04, kappa_a: float = 0.003,
                    kappa_b: float = 0.003, p_a: complex = 1.0, p_b: complex = 1.0,
                    drive: complex = 0.1, *, Jt_max: float = 40.0, n: int = 400) -> dict[str, np.ndarray]:
    """Battery and charger energies against ``J t`` for the explorer of the chapter.

    The reciprocal pair has the hop ``J`` and no reservoir; the nonreciprocal pair has the
    reservoir ``(Gamma, p_a, p_b)`` and sits at ``J = -i mu Gamma/2``.

    Parameters
    ----------
    J : complex
        Reciprocal hop (nonzero; sets the time unit).
    Gamma, kappa_a, kappa_b, p_a, p_b, drive
        As in :func:`charger_battery`.
    Jt_max : float
        Last time, in units of ``1/|J|`` (> 0).
    n : int
        Number of times (>= 2).

    Returns
    -------
    dict of ndarray
        ``Jt``, ``E_B_rec``, ``E_B_nr``, ``E_A_nr``.

    References
    ----------
    Ahmadi et al., paper Eqs. (5), (7), (8).
    """
    Jm = abs(_finite_complex(J, "J"))
    if Jm == 0:
        raise ValueError("J must be nonzero (it sets the time unit)")
    Jt_max = _pos(Jt_max, "Jt_max")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    La, Lb = decay_rates(Gamma, kappa_a, kappa_b, p_a, p_b)
    Jt = np.linspace(0.0, Jt_max, int(n))
    t = Jt / Jm
    return {"Jt": Jt,
            "E_B_rec": energy_battery_reciprocal(t, J, kappa_a, kappa_b, drive),
            "E_B_nr": energy_battery_nr(t, Gamma, La, Lb, drive, abs_mu=abs(mu(p_a, p_b))),
            "E_A_nr": energy_charger_nr(t, La, drive)}


def plot_explorer(J: float = 0.02, Gamma: float = 0.04, kappa_a: float = 0.003, kappa_b: float = 0.003,
                  p_a: float = 1.0, p_b: float = 1.0, drive: float = 0.1, *, ax=None):
    """Draw :func:`explorer_curves` (for ``ipywidgets.interact`` in Binder or Colab).

    Parameters
    ----------
    J, Gamma, kappa_a, kappa_b, p_a, p_b, drive
        As in :func:`explorer_curves`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib Axes

    References
    ----------
    Ahmadi et al., Figs. 2-3.
    """
    import matplotlib.pyplot as plt

    c = explorer_curves(J, Gamma, kappa_a, kappa_b, p_a, p_b, drive)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(c["Jt"], c["E_B_rec"], label="reciprocal battery")
    ax.plot(c["Jt"], c["E_B_nr"], label="nonreciprocal battery")
    ax.plot(c["Jt"], c["E_A_nr"], label="nonreciprocal charger")
    ax.set_xlabel("$|J|t$")
    ax.set_ylabel(r"$E/\omega$")
    ax.legend()
    return ax
