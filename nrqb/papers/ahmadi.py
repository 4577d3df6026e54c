"""Ahmadi, Mazurek, Horodecki and Barzanjeh, "Nonreciprocal Quantum Batteries".

Closed forms and model builders for the charger-battery pair of Ahmadi et al.
(Phys. Rev. Lett. 132, 210402 (2024) and its arXiv version with Appendices A-C).

The model (Eq. (1) and the master equation below it): a charger ``a`` driven at amplitude
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
``Delta``         ``sqrt((kappa_a - kappa_b)^2 - 16 |J|^2)`` (complex)
================  =====================================================

The nonreciprocal condition is ``J = -i mu Gamma / 2``.

Every closed form here is written so that it stays exact at the removable singularities of
the printed formulas: equal decay rates ``Lambda_a = Lambda_b`` (Eq. (5) is 0/0 there) and
critical damping ``Delta = 0`` (Eqs. (8)-(9) are 0/0 there).  The printed forms are kept,
under names ending in ``_printed``, so the book can show where they differ.

Energies are in units of ``omega`` (``omega = 1``) and all rates in the same units.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.network import LinearNetwork
from ..engine.validation import finite_complex as _finite_complex, positive as _pos, rate as _nonneg, real as _real
from ..engine.validation import times as _validated_times


def _times(t):
    return _validated_times(t, nonnegative=True)


__all__ = [
    "mu",
    "decay_rates",
    "cooperativity",
    "dissipative_cooperativity",
    "damping_ratio",
    "reciprocal_delta",
    "nonreciprocal_J",
    "charger_battery",
    "nonreciprocal_battery",
    "reciprocal_battery",
    "optimal_couplings",
    "auxiliary_mode_network",
    "eliminated_reservoir",
    "energy_charger_nr",
    "energy_battery_nr",
    "energy_battery_nr_detuned",
    "energy_battery_nr_printed",
    "energy_battery_nr_symmetric_printed",
    "energy_battery_nr_detuned_printed",
    "energy_battery_reciprocal",
    "energy_battery_reciprocal_printed",
    "max_energy_battery_reciprocal",
    "reciprocal_peak_factor",
    "steady_energy_battery_nr",
    "steady_energy_charger_nr",
    "steady_energy_battery_reciprocal",
    "eta_bb_steady",
    "eta_bb_steady_rates",
    "eta_bb_opt_steady",
    "eta_bb_opt_steady_C",
    "steady_energy_nr_rescaled",
    "steady_energy_nr_opt",
    "gap_all_times",
    "gap_all_times_printed",
    "first_peak_times",
    "chi",
    "chi_printed",
]


# --------------------------------------------------------------------------------------------
# validation and numerically safe helpers
# --------------------------------------------------------------------------------------------
def _one_minus_exp_over(x: np.ndarray) -> np.ndarray:
    """``(1 - exp(-x)) / x`` for ``x >= 0``, equal to 1 at ``x = 0`` (no 0/0)."""
    x = np.asarray(x, dtype=float)
    out = np.ones_like(x)
    nz = x > 1e-300
    out[nz] = -np.expm1(-x[nz]) / x[nz]
    small = (x > 0) & (x < 1e-8)
    out[small] = 1.0 - x[small] / 2.0
    return out


def _sinc(x: np.ndarray) -> np.ndarray:
    """``sin(x) / x`` with the value 1 at 0."""
    return np.sinc(np.asarray(x, dtype=float) / np.pi)


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------
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
    Ahmadi et al., text below Eq. (4).
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
    Ahmadi et al., text below Eq. (4).
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
    Ahmadi et al., text below Eq. (9).
    """
    J = _finite_complex(J, "J")
    return 4 * abs(J) ** 2 / (_pos(kappa_a, "kappa_a") * _pos(kappa_b, "kappa_b"))


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
    Ahmadi et al., text below Eq. (7) and Fig. 2(b).
    """
    return 4 * _nonneg(Gamma, "Gamma") ** 2 / _pos(Lambda, "Lambda") ** 2


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
    Ahmadi et al., Eq. (B1) (arXiv) and the text below Eq. (10) (PRL).
    """
    return float(np.sqrt(_pos(kappa_a, "kappa_a") / _pos(kappa_b, "kappa_b")))


def reciprocal_delta(J: complex, kappa_a: float, kappa_b: float) -> complex:
    """``Delta = sqrt((kappa_a - kappa_b)^2 - 16 |J|^2)``, real (overdamped) or imaginary.

    Parameters
    ----------
    J : complex
        Coherent coupling.
    kappa_a, kappa_b : float
        Local damping rates (>= 0).

    Returns
    -------
    complex
        ``Delta`` with a non-negative real part, or ``i |Delta|`` when underdamped.

    References
    ----------
    Ahmadi et al., text below Eq. (9).
    """
    J = _finite_complex(J, "J")
    z = (_nonneg(kappa_a, "kappa_a") - _nonneg(kappa_b, "kappa_b")) ** 2 - 16 * abs(J) ** 2
    return complex(np.sqrt(z)) if z >= 0 else 1j * float(np.sqrt(-z))


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
    Ahmadi et al., text above Eq. (5).
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
    Ahmadi et al., Eqs. (B2), (B5) and the caption of Fig. 5 (arXiv).  The main text of the
    arXiv version prints ``p_a = xi kappa_b, p_b = 1/xi``, which is not this (see the chapter).
    """
    x = damping_ratio(kappa_a, kappa_b)
    return float(np.sqrt(x)), float(1 / np.sqrt(x))


# --------------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------------
def charger_battery(J: complex, Gamma: float, kappa_a: float, kappa_b: float, drive: complex,
                    *, p_a: complex = 1.0, p_b: complex = 1.0, detuning: float = 0.0,
                    omega: float = 1.0) -> LinearNetwork:
    """The charger-battery pair of Eq. (1) with the shared reservoir, as a ``LinearNetwork``.

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
    Ahmadi et al., Eq. (1) and the master equation below Fig. 1; Eqs. (2)-(4).
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
    Ahmadi et al., text above Eq. (5); Figs. 2-5.
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
    Ahmadi et al., Eqs. (8)-(9) ("setting Gamma_i = Gamma = 0 in Eqs. (2)-(4)").
    """
    return charger_battery(J, 0.0, kappa_a, kappa_b, drive, detuning=detuning, omega=omega)


def auxiliary_mode_network(g_a: complex, g_b: complex, gamma_c: float, kappa_a: float,
                           kappa_b: float, drive: complex, *, J: complex = 0.0,
                           omega: float = 1.0) -> LinearNetwork:
    """The shared reservoir modelled as a strongly damped auxiliary mode ``c`` (three modes).

    ``H = J a^dag b + h.c. + c^dag (g_a a + g_b b) + h.c. + E (a + a^dag)``, channels
    ``kappa_a D[a]``, ``kappa_b D[b]``, ``gamma_c D[c]``; all modes resonant with the drive.
    For ``gamma_c >> |g_a|, |g_b|`` it reduces to :func:`charger_battery` with the rates of
    :func:`eliminated_reservoir`.

    Parameters
    ----------
    g_a, g_b : complex
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
    Ahmadi et al., the reservoir "treated as a damped cavity" below Eq. (1); Metelmann and
    Clerk, PRX 5, 021025 (2015).
    """
    g_a = _finite_complex(g_a, "g_a")
    g_b = _finite_complex(g_b, "g_b")
    gamma_c = _pos(gamma_c, "gamma_c")
    J = _finite_complex(J, "J")
    h = np.zeros((3, 3), complex)
    h[0, 1], h[1, 0] = J, np.conj(J)
    h[2, 0], h[0, 2] = g_a, np.conj(g_a)
    h[2, 1], h[1, 2] = g_b, np.conj(g_b)
    return LinearNetwork(h, loss=[_nonneg(kappa_a, "kappa_a"), _nonneg(kappa_b, "kappa_b"), gamma_c],
                         drive=[_finite_complex(drive, "drive"), 0, 0], omega=_pos(omega, "omega"))


def eliminated_reservoir(g_a: complex, g_b: complex, gamma_c: float) -> tuple[float, complex, complex]:
    """Shared-reservoir parameters left by adiabatically eliminating the auxiliary mode.

    ``Gamma = 4 |g_a g_b| / gamma_c``, ``p_i = g_i / sqrt|g_a g_b|`` (so that ``|mu| = 1``),
    i.e. ``Gamma L_z`` with ``Gamma z^dag z = (4/gamma_c) (g_a a + g_b b)^dag (g_a a + g_b b)``.

    Parameters
    ----------
    g_a, g_b : complex
        Couplings to the auxiliary mode (both nonzero).
    gamma_c : float
        Its decay rate (> 0).

    Returns
    -------
    (Gamma, p_a, p_b)

    References
    ----------
    Ahmadi et al., "By adiabatically eliminating the reservoir" (text above Fig. 1 caption);
    derived in :func:`nrqb.papers.ahmadi_sym.adiabatic_elimination`.
    """
    g_a = _finite_complex(g_a, "g_a")
    g_b = _finite_complex(g_b, "g_b")
    gamma_c = _pos(gamma_c, "gamma_c")
    s = np.sqrt(abs(g_a * g_b))
    if s == 0:
        raise ValueError("g_a and g_b must both be nonzero")
    return 4 * s ** 2 / gamma_c, g_a / s, g_b / s


# --------------------------------------------------------------------------------------------
# nonreciprocal closed forms
# --------------------------------------------------------------------------------------------
def energy_charger_nr(t: Any, Lambda_a: float, drive: complex, *, omega: float = 1.0) -> np.ndarray:
    """Charger energy at the nonreciprocal point, Eq. (7): ``4 E^2 (1 - e^{-Lambda_a t/2})^2 / Lambda_a^2``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Lambda_a : float
        Charger decay rate ``Gamma_a + kappa_a`` (> 0).
    drive : complex
        Drive amplitude ``E``.
    omega : float
        Energy per quantum.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (7) (printed with ``Lambda = Lambda_a = Lambda_b``; it holds for any
    ``Lambda_b`` because the charger does not feel the battery).
    """
    t = _times(t)
    La = _pos(Lambda_a, "Lambda_a")
    E = abs(_finite_complex(drive, "drive"))
    return omega * 4 * E ** 2 * np.expm1(-La * t / 2) ** 2 / La ** 2


def energy_battery_nr(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float, drive: complex, *,
                      abs_mu: float = 1.0, omega: float = 1.0) -> np.ndarray:
    """Battery energy at the nonreciprocal point, exact for all ``Lambda_a, Lambda_b``.

    .. math::

        E_B^{nr}(t) = \\frac{4 |\\mu|^2 \\Gamma^2 E^2}{\\Lambda_a^2}
            \\Big[\\frac{2}{\\Lambda_b}(1 - e^{-\\Lambda_b t/2})
                  - t\\, e^{-\\Lambda_< t/2}\\, \\psi\\big(|\\Lambda_a - \\Lambda_b| t/2\\big)\\Big]^2,
        \\qquad \\psi(x) = \\frac{1 - e^{-x}}{x},

    with ``Lambda_< = min(Lambda_a, Lambda_b)``.  This equals the PRL's Eq. (5) for
    ``Lambda_a != Lambda_b`` and has the secular term ``t e^{-Lambda t/2}`` at
    ``Lambda_a = Lambda_b`` that the printed Eq. (6) lacks.

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
        Energy per quantum.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eqs. (5) and (6) (corrected at ``Lambda_a = Lambda_b``).
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    m = _nonneg(abs_mu, "abs_mu")
    f = -(2 / Lb) * np.expm1(-Lb * t / 2) - t * np.exp(-min(La, Lb) * t / 2) * _one_minus_exp_over(
        abs(La - Lb) * t / 2)
    return omega * 4 * m ** 2 * G ** 2 * E ** 2 / La ** 2 * f ** 2


def energy_battery_nr_detuned(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                              drive: complex, delta: float, *, abs_mu: float = 1.0,
                              omega: float = 1.0) -> np.ndarray:
    """Battery energy at the nonreciprocal point with a detuned drive, exact (Appendix A).

    The battery amplitude is
    ``beta = mu^* Gamma alpha_inf [ (1 - e^{i delta t} e^{-Lambda_b t/2}) / (Lambda_b/2 - i delta)
    - t e^{i delta t} e^{-Lambda_< t/2} psi(|Lambda_a - Lambda_b| t/2) ]`` with
    ``alpha_inf = -2 i E / (Lambda_a - 2 i delta)``.

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
    Ahmadi et al., Eq. (A1) (arXiv).
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    m = _nonneg(abs_mu, "abs_mu")
    ph = np.exp(1j * d * t)
    f = (1 - ph * np.exp(-Lb * t / 2)) / (Lb / 2 - 1j * d) - t * ph * np.exp(
        -min(La, Lb) * t / 2) * _one_minus_exp_over(abs(La - Lb) * t / 2)
    return omega * m ** 2 * G ** 2 * 4 * E ** 2 / (La ** 2 + 4 * d ** 2) * np.abs(f) ** 2


def energy_battery_nr_printed(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                              drive: complex, *, version: str = "prl",
                              omega: float = 1.0) -> np.ndarray:
    """Eq. (5) exactly as printed (0/0 at ``Lambda_a = Lambda_b``).

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, Lambda_a, Lambda_b, drive, omega
        As in :func:`energy_battery_nr`; ``Lambda_a != Lambda_b``.
    version : {"prl", "arxiv"}
        ``"prl"``: ``P (1 + [X/(La-Lb)^2] [X - 2(La-Lb)])``, with
        ``X = La e^{-Lb t/2} - Lb e^{-La t/2}`` and ``P = 16 E^2 Gamma^2 / (La^2 Lb^2)``.
        ``"arxiv"``: the arXiv bracket placement ``P (1 + X/(La-Lb)^2) [X - 2(La-Lb)]``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (5) of the PRL and of the arXiv version.
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    if La == Lb:
        raise ValueError("the printed Eq. (5) is 0/0 at Lambda_a == Lambda_b; use energy_battery_nr")
    E = abs(_finite_complex(drive, "drive"))
    P = 16 * omega * G ** 2 * E ** 2 / (La ** 2 * Lb ** 2)
    X = La * np.exp(-Lb * t / 2) - Lb * np.exp(-La * t / 2)
    if version == "prl":
        return P * (1 + X / (La - Lb) ** 2 * (X - 2 * (La - Lb)))
    if version == "arxiv":
        return P * (1 + X / (La - Lb) ** 2) * (X - 2 * (La - Lb))
    raise ValueError(f"version must be 'prl' or 'arxiv', got {version!r}")


def energy_battery_nr_symmetric_printed(t: Any, Gamma: float, Lambda: float, drive: complex, *,
                                        omega: float = 1.0) -> np.ndarray:
    """Eq. (6) as printed: ``16 E^2 Gamma^2 / Lambda^4 [1 + e^{-Lambda t/2}(e^{-Lambda t/2} - 2)]``.

    It lacks the secular term: the exact symmetric result is :func:`energy_battery_nr` with
    ``Lambda_a = Lambda_b``, ``16 E^2 Gamma^2 / Lambda^4 [1 - (1 + Lambda t/2) e^{-Lambda t/2}]^2``.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    Gamma, Lambda, drive, omega
        Shared-reservoir rate, the common decay rate (> 0), drive amplitude, energy per quantum.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (6).
    """
    t = _times(t)
    L = _pos(Lambda, "Lambda")
    G = _nonneg(Gamma, "Gamma")
    E = abs(_finite_complex(drive, "drive"))
    e = np.exp(-L * t / 2)
    return omega * 16 * G ** 2 * E ** 2 / L ** 4 * (1 + e * (e - 2))


def energy_battery_nr_detuned_printed(t: Any, Gamma: float, Lambda_a: float, Lambda_b: float,
                                      drive: complex, delta: float, *,
                                      omega: float = 1.0) -> np.ndarray:
    """Eq. (A1) exactly as printed (0/0 at ``Lambda_a = Lambda_b``).

    Parameters
    ----------
    t, Gamma, Lambda_a, Lambda_b, drive, omega
        As in :func:`energy_battery_nr_printed`.
    delta : float
        Detuning ``omega_L - omega``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (A1) (arXiv), with ``Phi_i = Lambda_i^2 + 4 delta^2``.
    """
    t = _times(t)
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    if La == Lb:
        raise ValueError("the printed Eq. (A1) is 0/0 at Lambda_a == Lambda_b")
    F = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    Pa, Pb = La ** 2 + 4 * d ** 2, Lb ** 2 + 4 * d ** 2
    ea, eb = np.exp(-La * t / 2), np.exp(-Lb * t / 2)
    X = La * eb - Lb * ea
    K = omega * G ** 2 * F ** 2 / (Pa * Pb)
    return (16 * K + 64 * d ** 2 * K / (La - Lb) ** 2 * (ea - eb) ** 2 + 16 * K / (La - Lb) ** 2 * X ** 2
            - np.cos(d * t) * 32 * K / (La - Lb) * X + d * np.sin(d * t) * 64 * K / (La - Lb) * (ea - eb))


def steady_energy_battery_nr(Gamma: float, Lambda_a: float, Lambda_b: float, drive: complex, *,
                             delta: float = 0.0, abs_mu: float = 1.0, omega: float = 1.0) -> float:
    """``E_B^nr(inf) = 16 |mu|^2 Gamma^2 E^2 / (Phi_a Phi_b)``, ``Phi_i = Lambda_i^2 + 4 delta^2``.

    Parameters
    ----------
    Gamma, Lambda_a, Lambda_b, drive, abs_mu, omega
        As in :func:`energy_battery_nr`.
    delta : float
        Detuning (Appendix A); the maximum over delta is at delta = 0, Eq. (A2).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., text below Eq. (6); first term of Eq. (A1); Eq. (A2).
    """
    G = _nonneg(Gamma, "Gamma")
    La = _pos(Lambda_a, "Lambda_a")
    Lb = _pos(Lambda_b, "Lambda_b")
    E = abs(_finite_complex(drive, "drive"))
    d = _real(delta, "delta")
    m = _nonneg(abs_mu, "abs_mu")
    return omega * 16 * m ** 2 * G ** 2 * E ** 2 / ((La ** 2 + 4 * d ** 2) * (Lb ** 2 + 4 * d ** 2))


def steady_energy_charger_nr(Lambda_a: float, drive: complex, *, omega: float = 1.0) -> float:
    """``E_A^nr(inf) = 4 E^2 / Lambda_a^2`` (text below Eq. (7)).

    Parameters
    ----------
    Lambda_a : float
        Charger decay rate (> 0).
    drive : complex
        Drive amplitude.
    omega : float
        Energy per quantum.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., text below Eq. (7).
    """
    return omega * 4 * abs(_finite_complex(drive, "drive")) ** 2 / _pos(Lambda_a, "Lambda_a") ** 2


# --------------------------------------------------------------------------------------------
# reciprocal closed forms
# --------------------------------------------------------------------------------------------
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
        Energy per quantum.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., ``zeta`` below Eq. (8).
    """
    J = _finite_complex(J, "J")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    E = abs(_finite_complex(drive, "drive"))
    den = ka * kb + 4 * abs(J) ** 2
    if den == 0:
        raise ValueError("no steady state: kappa_a * kappa_b + 4 |J|^2 must be > 0")
    return omega * 16 * abs(J) ** 2 * E ** 2 / den ** 2


def _reciprocal_g(t: np.ndarray, J: complex, ka: float, kb: float) -> np.ndarray:
    """``g(t) = e^{-k t/4} [cosh(Delta t/4) + k sinh(Delta t/4)/Delta]``, ``k = kappa_a + kappa_b``.

    Written with ``psi`` and ``sinc`` so that it is exact at ``Delta = 0``.
    """
    k = ka + kb
    z = (ka - kb) ** 2 - 16 * abs(J) ** 2
    if z >= 0:
        D = np.sqrt(z)
        y = D * t / 4
        # e^{-kt/4} cosh y = e^{y - kt/4} (1 + e^{-2y})/2;  sinh(y)/y = e^{y} psi(2y)
        return np.exp(y - k * t / 4) * ((1 + np.exp(-2 * y)) / 2 + (k * t / 4) * _one_minus_exp_over(2 * y))
    W = np.sqrt(-z)
    y = W * t / 4
    return np.exp(-k * t / 4) * (np.cos(y) + (k * t / 4) * _sinc(y))


def energy_battery_reciprocal(t: Any, J: complex, kappa_a: float, kappa_b: float, drive: complex, *,
                              omega: float = 1.0) -> np.ndarray:
    """Battery energy of the reciprocal pair (``Gamma = 0``), exact also at ``Delta = 0``.

    ``E_B(t) = zeta (1 - g(t))^2`` with
    ``g(t) = e^{-kappa_ab t/4} [cosh(Delta t/4) + kappa_ab sinh(Delta t/4) / Delta]``: the
    battery amplitude relaxes as ``beta_inf (1 - g)`` with ``g(0) = 1``, ``g'(0) = 0``.
    Expanded, ``(1 - g)^2 = 1 - alpha(t) e^{-kappa_ab t/4} + [beta(t) - 2 kappa_a kappa_b (C+1)/Delta^2]
    e^{-kappa_ab t/2}`` with the paper's ``alpha(t)`` and with ``beta(t)`` of Eq. (9) up to the sign
    of its ``sinh`` term (see :func:`energy_battery_reciprocal_printed`).

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
        Energy per quantum.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eqs. (8)-(9) (corrected sign; exact at Delta = 0).
    """
    t = _times(t)
    J = _finite_complex(J, "J")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    if J == 0:
        return np.zeros_like(t, dtype=float)
    zeta = steady_energy_battery_reciprocal(J, ka, kb, drive, omega=omega)
    return zeta * (1 - _reciprocal_g(t, J, ka, kb)) ** 2


def energy_battery_reciprocal_printed(t: Any, J: complex, kappa_a: float, kappa_b: float,
                                      drive: complex, *, omega: float = 1.0) -> np.ndarray:
    """Eqs. (8)-(9) exactly as printed (complex ``Delta``; 0/0 at ``Delta = 0``).

    Parameters
    ----------
    t, J, kappa_a, kappa_b, drive, omega
        As in :func:`energy_battery_reciprocal`; ``Delta != 0``.

    Returns
    -------
    ndarray
        Real part (the imaginary part vanishes).

    References
    ----------
    Ahmadi et al., Eqs. (8)-(9).
    """
    t = _times(t)
    J = _finite_complex(J, "J")
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    D = reciprocal_delta(J, ka, kb)
    if D == 0:
        raise ValueError("the printed Eqs. (8)-(9) are 0/0 at Delta = 0; use energy_battery_reciprocal")
    C = cooperativity(J, ka, kb)
    k = ka + kb
    zeta = omega * 4 * abs(_finite_complex(drive, "drive")) ** 2 * C / (ka * kb * (C + 1) ** 2)
    al = 2 / D * (D * np.cosh(D * t / 4) + k * np.sinh(D * t / 4))
    be = ((D ** 2 + k ** 2) * np.cosh(D * t / 2) - 2 * k * D * np.sinh(D * t / 2)) / (2 * D ** 2)
    out = zeta * (1 - al * np.exp(-k * t / 4) + (be - 2 * ka * kb * (C + 1) / D ** 2) * np.exp(-k * t / 2))
    return np.real(out)


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
    Ahmadi et al., Eqs. (C4)-(C6) (arXiv), generalised to any ``kappa_a, kappa_b``.
    """
    J = _finite_complex(J, "J")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    if J == 0:
        return 0.0
    zeta = steady_energy_battery_reciprocal(J, ka, kb, drive, omega=omega)
    z = 16 * abs(J) ** 2 - (ka - kb) ** 2
    if z <= 0:
        return zeta
    return zeta * (1 + np.exp(-np.pi * (ka + kb) / np.sqrt(z))) ** 2


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
    Ahmadi et al., Eqs. (8)-(9) and (C4)-(C6) (arXiv), written in the variables of Eq. (10).
    """
    C = np.asarray(C, dtype=float)
    xi = np.asarray(xi, dtype=float)
    if np.any(~np.isfinite(C)) or np.any(C < 0):
        raise ValueError("C must be finite and >= 0")
    if np.any(~np.isfinite(xi)) or np.any(xi <= 0):
        raise ValueError("xi must be finite and > 0")
    z = 4 * C - (xi - 1 / xi) ** 2
    pf = (1 + np.exp(-np.pi * (xi + 1 / xi) / np.sqrt(np.where(z > 0, z, 1.0)))) ** 2
    return np.where(z > 0, pf, 1.0)


# --------------------------------------------------------------------------------------------
# steady-state ratios, Eqs. (10)-(12)
# --------------------------------------------------------------------------------------------
def eta_bb_steady(C: Any, xi: Any) -> np.ndarray:
    """Eq. (10): ``eta_BB(inf) = 4 [(1 + C) / ((sqrt C + xi)(sqrt C + 1/xi))]^2``.

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
    Ahmadi et al., Eq. (10).
    """
    C = np.asarray(C, dtype=float)
    xi = np.asarray(xi, dtype=float)
    if np.any(~np.isfinite(C)) or np.any(C < 0):
        raise ValueError("C must be finite and >= 0")
    if np.any(~np.isfinite(xi)) or np.any(xi <= 0):
        raise ValueError("xi must be finite and > 0")
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
        Hop of the reciprocal pair.
    Gamma : float
        Reservoir rate of the nonreciprocal pair.
    kappa_a, kappa_b : float
        Local damping rates (> 0).
    p_a, p_b : complex
        Reservoir coefficients of the nonreciprocal pair.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eqs. (10)-(11) before setting ``Gamma = 2 |J|``.
    """
    La, Lb = decay_rates(Gamma, kappa_a, kappa_b, p_a, p_b)
    nr = steady_energy_battery_nr(Gamma, La, Lb, 1.0, abs_mu=abs(mu(p_a, p_b)))
    return nr / steady_energy_battery_reciprocal(J, kappa_a, kappa_b, 1.0)


def eta_bb_opt_steady(Gamma: float, J: complex, kappa_a: float, kappa_b: float) -> float:
    """Eq. (11): ``Gamma^2 (4 J^2 + kappa_a kappa_b)^2 / (J^2 (Gamma + sqrt(kappa_a kappa_b))^4)``.

    Parameters
    ----------
    Gamma : float
        Reservoir rate (>= 0).
    J : complex
        Coherent coupling (``J^2`` read as ``|J|^2``).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eq. (11).
    """
    G = _nonneg(Gamma, "Gamma")
    J2 = abs(_finite_complex(J, "J")) ** 2
    if J2 == 0:
        raise ValueError("J must be nonzero")
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    return G ** 2 * (4 * J2 + ka * kb) ** 2 / (J2 * (G + np.sqrt(ka * kb)) ** 4)


def eta_bb_opt_steady_C(C: Any) -> np.ndarray:
    """Eq. (12): ``eta_BB^opt(inf) = 4 [(1 + C) / (sqrt C + 1)^2]^2`` (Eq. (10) at ``xi = 1``).

    Parameters
    ----------
    C : array_like
        Cooperativity (>= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (12).
    """
    return eta_bb_steady(C, 1.0)


# --------------------------------------------------------------------------------------------
# Appendix B
# --------------------------------------------------------------------------------------------
def steady_energy_nr_rescaled(x: Any, Gamma: float, kappa_a: float, kappa_b: float,
                              drive: complex) -> np.ndarray:
    """Eq. (B4): ``16 Gamma^2 F^2 / ((x Gamma + kappa_a)^2 (Gamma/x + kappa_a/xi^2)^2)``.

    Parameters
    ----------
    x : array_like
        Rescaling of Eq. (B2) (> 0): ``Gamma_a = x Gamma``, ``Gamma_b = Gamma / x``.
    Gamma : float
        Reservoir rate.
    kappa_a, kappa_b : float
        Local damping rates (> 0); ``kappa_a / xi^2 = kappa_b``.
    drive : complex
        Drive amplitude ``F``.

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (B4) (arXiv).
    """
    x = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise ValueError("x must be finite and > 0")
    G = _nonneg(Gamma, "Gamma")
    ka = _pos(kappa_a, "kappa_a")
    kb = _pos(kappa_b, "kappa_b")
    F = abs(_finite_complex(drive, "drive"))
    xi2 = ka / kb
    return 16 * G ** 2 * F ** 2 / ((x * G + ka) ** 2 * (G / x + ka / xi2) ** 2)


def steady_energy_nr_opt(J: complex, kappa_a: float, kappa_b: float, drive: complex) -> float:
    """Eq. (B6): ``64 |J|^2 F^2 / (2 |J| + sqrt(kappa_a kappa_b))^4`` (``Gamma = 2|J|``, ``x = xi``).

    Parameters
    ----------
    J : complex
        Coupling (``Gamma = 2 |J|``).
    kappa_a, kappa_b : float
        Local damping rates (>= 0).
    drive : complex
        Drive amplitude ``F``.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eq. (B6) (arXiv).
    """
    aJ = abs(_finite_complex(J, "J"))
    ka = _nonneg(kappa_a, "kappa_a")
    kb = _nonneg(kappa_b, "kappa_b")
    if aJ == 0 and ka * kb == 0:
        return 0.0
    F = abs(_finite_complex(drive, "drive"))
    return 64 * aJ ** 2 * F ** 2 / (2 * aJ + np.sqrt(ka * kb)) ** 4


# --------------------------------------------------------------------------------------------
# Appendix C
# --------------------------------------------------------------------------------------------
def _check_ry(r: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(r, dtype=float)
    y = np.asarray(y, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0):
        raise ValueError("r must be finite and >= 0")
    if np.any(~np.isfinite(y)) or np.any(y < 0):
        raise ValueError("y must be finite and >= 0")
    if np.any(r * np.abs(1 - y) >= 4):
        raise ValueError("Appendix C needs the underdamped regime r |1 - y| < 4")
    return r, y


def gap_all_times(t: Any, r: float, y: float, J: float = 1.0, drive: float = 1.0) -> np.ndarray:
    """``D_t = E_{B,opt}^nr(inf) - E_B(t)`` in units of ``N = 8 F^2 / |J|^2``, exact.

    With ``kappa_a = r |J|`` and ``kappa_b = r y |J|`` (Eqs. (C1)-(C2)),
    ``D_t / N = 8 / (r sqrt(y) + 2)^4 - 2 (1 - g(t))^2 / (r^2 y + 4)^2`` where ``g`` is the
    relaxation function of :func:`energy_battery_reciprocal`.

    Parameters
    ----------
    t : array_like
        Times (>= 0).
    r, y : float
        ``kappa_a / |J|`` and ``kappa_b / kappa_a`` (>= 0, underdamped).
    J : float
        ``|J|`` (> 0), sets the time unit.
    drive : float
        Drive amplitude ``F`` (cancels in units of ``N``).

    Returns
    -------
    ndarray
        ``D_t / N``.

    References
    ----------
    Ahmadi et al., Eq. (C3) (arXiv), in a corrected form (see :func:`gap_all_times_printed`).
    """
    t = _times(t)
    r, y = _check_ry(r, y)
    J = _pos(J, "J")
    N = 8 * abs(drive) ** 2 / J ** 2
    ka, kb = float(r) * J, float(r * y) * J
    E_opt = steady_energy_nr_opt(J, ka, kb, drive)
    return (E_opt - energy_battery_reciprocal(t, J, ka, kb, drive)) / N


def gap_all_times_printed(t: Any, r: float, y: float, J: float = 1.0) -> np.ndarray:
    """Eq. (C3) exactly as printed, in units of ``N``.

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
    Ahmadi et al., Eq. (C3) (arXiv).
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
    """Eq. (C4): ``t* = 4 pi (2k + 1) / Delta_+`` with ``Delta_+ = sqrt(16 |J|^2 - (kappa_a - kappa_b)^2)``.

    Parameters
    ----------
    r, y : float
        As in :func:`gap_all_times`.
    J : float
        ``|J|`` (> 0).
    k : int or array_like
        Peak index (>= 0).

    Returns
    -------
    ndarray

    References
    ----------
    Ahmadi et al., Eq. (C4) (arXiv).
    """
    r, y = _check_ry(r, y)
    J = _pos(J, "J")
    k = np.asarray(k)
    if np.any(k < 0):
        raise ValueError("k must be >= 0")
    Dp = J * np.sqrt(16 - (r * (1 - y)) ** 2)
    return 4 * np.pi * (2 * k + 1) / Dp


def chi(r: Any, y: Any, k: Any = 0) -> np.ndarray:
    """The gap at the ``k``-th reciprocal peak, ``D_{t*} / N``, exact.

    ``chi/N = 8 / (r sqrt(y) + 2)^4 - 2 (1 + exp(-pi (2k+1) r (1+y) / sqrt(16 - r^2 (1-y)^2)))^2 / (r^2 y + 4)^2``.

    Parameters
    ----------
    r, y : array_like
        As in :func:`gap_all_times`.
    k : int
        Peak index (>= 0).

    Returns
    -------
    ndarray
        ``chi / N``.

    References
    ----------
    Ahmadi et al., Eq. (C6) (arXiv), with the square root that the printed exponent lacks.
    """
    r, y = _check_ry(r, y)
    if np.any(np.asarray(k) < 0):
        raise ValueError("k must be >= 0")
    ex = np.exp(-np.pi * (2 * np.asarray(k) + 1) * r * (1 + y) / np.sqrt(16 - r ** 2 * (1 - y) ** 2))
    return 8 / (r * np.sqrt(y) + 2) ** 4 - 2 * (1 + ex) ** 2 / (r ** 2 * y + 4) ** 2


def chi_printed(r: Any, y: Any, k: Any = 0) -> np.ndarray:
    """Eq. (C6) exactly as printed (exponent ``-pi (2k+1) r (y+1) / (16 - r^2 (1-y)^2)``).

    Parameters
    ----------
    r, y : array_like
        As in :func:`gap_all_times`.
    k : int
        Peak index (>= 0).

    Returns
    -------
    ndarray
        ``chi / N``.

    References
    ----------
    Ahmadi et al., Eq. (C6) (arXiv).
    """
    r, y = _check_ry(r, y)
    if np.any(np.asarray(k) < 0):
        raise ValueError("k must be >= 0")
    ex = np.exp(-np.pi * (2 * np.asarray(k) + 1) * r * (y + 1) / (16 - r ** 2 * (1 - y) ** 2))
    return 8 / (r * np.sqrt(y) + 2) ** 4 - 2 * (ex + 1) ** 2 / (r ** 2 * y + 4) ** 2
