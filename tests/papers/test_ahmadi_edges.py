"""nrqb.papers.ahmadi at its edges: bad input, removable singularities, extreme scales (issue 11).

* every public function refuses bad input with a ``ValueError`` that names the parameter;
* the closed forms are exact near equal decay rates, near critical damping and at early times:
  compared with the same formulas evaluated by mpmath at 50 digits;
* no underflow or overflow where the answer is representable: the energies are invariant under
  (rates, drive, 1/t) -> s (rates, drive, 1/t) for s = 1e-150 ... 1e150.
"""

import math

import mpmath as mp
import numpy as np
import pytest

from nrqb.papers import ahmadi as ah

mp.mp.dps = 50
NAN, INF = float("nan"), float("inf")


# ----------------------------------------------------------------------------- bad input
# (function, good keyword arguments); every parameter below is replaced by bad values in turn
GOOD = {
    ah.mu: dict(p_a=1.0, p_b=1.0),
    ah.decay_rates: dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, p_a=1.0, p_b=1.0),
    ah.cooperativity: dict(J=0.02, kappa_a=0.003, kappa_b=0.003),
    ah.dissipative_cooperativity: dict(Gamma=0.04, Lambda=0.043),
    ah.damping_ratio: dict(kappa_a=0.003, kappa_b=0.003),
    ah.reciprocal_delta: dict(J=0.02, kappa_a=0.003, kappa_b=0.003),
    ah.nonreciprocal_J: dict(Gamma=0.04, p_a=1.0, p_b=1.0),
    ah.optimal_couplings: dict(kappa_a=0.1, kappa_b=0.003),
    ah.appendix_c_rates: dict(r=0.5, y=0.2, J=1.0),
    ah.charger_battery: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, p_a=1.0, p_b=1.0,
                             detuning=0.0, omega=1.0),
    ah.nonreciprocal_battery: dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, detuning=0.0, omega=1.0),
    ah.reciprocal_battery: dict(J=0.02, kappa_a=0.003, kappa_b=0.003, drive=0.1, detuning=0.0, omega=1.0),
    ah.auxiliary_mode_network: dict(nu_a=0.05, nu_b=0.05j, gamma_c=5.0, kappa_a=0.003, kappa_b=0.003, drive=0.1,
                                    J=0.0, omega=1.0),
    ah.eliminated_reservoir: dict(nu_a=0.05, nu_b=0.05j, gamma_c=5.0),
    ah.elimination_error: dict(gamma_c=5.0, nu=0.05, Gamma=0.04, kappa=0.003, drive=0.01, t_max=100.0, n_t=3),
    ah.steady_amplitudes: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, detuning=0.0),
    ah.steady_energies: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, omega=1.0),
    ah.steady_energy_battery_nr: dict(Gamma=0.04, Lambda_a=0.043, Lambda_b=0.043, drive=0.1, delta=0.0,
                                      delta_b=0.01, abs_mu=1.0, omega=1.0),
    ah.steady_energy_charger_nr: dict(Lambda_a=0.043, drive=0.1, delta=0.0, omega=1.0),
    ah.steady_energy_battery_reciprocal: dict(J=0.02, kappa_a=0.003, kappa_b=0.003, drive=0.1, omega=1.0),
    ah.energy_charger_nr: dict(t=[0.0, 1.0], Lambda_a=0.043, drive=0.1, omega=1.0),
    ah.energy_battery_nr: dict(t=[0.0, 1.0], Gamma=0.04, Lambda_a=0.043, Lambda_b=0.05, drive=0.1, abs_mu=1.0, omega=1.0),
    ah.energy_battery_nr_printed: dict(t=[0.0, 1.0], Gamma=0.04, Lambda_a=0.043, Lambda_b=0.05, drive=0.1,
                                       version="prl", omega=1.0),
    ah.energy_battery_nr_symmetric_printed: dict(t=[0.0, 1.0], Gamma=0.04, Lambda=0.043, drive=0.1, omega=1.0),
    ah.energy_battery_reciprocal: dict(t=[0.0, 1.0], J=0.02, kappa_a=0.003, kappa_b=0.004, drive=0.1, omega=1.0),
    ah.energy_battery_reciprocal_printed: dict(t=[0.0, 1.0], J=0.02, kappa_a=0.003, kappa_b=0.004, drive=0.1, omega=1.0),
    ah.energy_battery_nr_detuned: dict(t=[0.0, 1.0], Gamma=0.04, Lambda_a=0.043, Lambda_b=0.05, drive=0.1, delta=0.01,
                                       abs_mu=1.0, omega=1.0),
    ah.energy_battery_nr_detuned_printed: dict(t=[0.0, 1.0], Gamma=0.04, Lambda_a=0.043, Lambda_b=0.05, drive=0.1,
                                               delta=0.01, omega=1.0),
    ah.eta_bb_steady: dict(C=1.0, xi=2.0),
    ah.eta_bb_steady_rates: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, p_a=1.0, p_b=1.0),
    ah.eta_bb_opt_steady: dict(Gamma=0.04, J=0.02, kappa_a=0.003, kappa_b=0.003),
    ah.eta_bb_opt_steady_C: dict(C=1.0),
    ah.cooperativity_for_eta_opt: dict(eta=2.0),
    ah.steady_energy_nr_rescaled: dict(x=1.0, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, omega=1.0),
    ah.steady_energy_nr_opt: dict(J=0.02, kappa_a=0.003, kappa_b=0.003, drive=0.1, omega=1.0),
    ah.gap_all_times: dict(t=[0.0, 1.0], r=0.5, y=0.2, J=1.0, drive=1.0),
    ah.gap_all_times_printed: dict(t=[0.0, 1.0], r=0.5, y=0.2, J=1.0),
    ah.first_peak_times: dict(r=0.5, y=0.2, J=1.0, k=0),
    ah.chi: dict(r=0.5, y=0.2, k=0),
    ah.chi_printed: dict(r=0.5, y=0.2, k=0),
    ah.chi_zero_y: dict(r=0.5, k=0),
    ah.eta_ab_crossing: dict(Gamma=0.04, Lambda_a=0.043, Lambda_b=0.043, abs_mu=1.0),
    ah.eta_bb_peak: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, t_max=100.0, n_grid=16),
    ah.max_energy_battery_reciprocal: dict(J=0.02, kappa_a=0.003, kappa_b=0.003, drive=0.1, omega=1.0),
    ah.reciprocal_peak_factor: dict(C=1.0, xi=2.0),
    ah.steady_fractions_of_bound: dict(C=1.0, xi=2.0),
    ah.high_energy_windows: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, level=10.0, t_max=100.0, drive=0.1,
                                 p_a=1.0, p_b=1.0),
    ah.explorer_curves: dict(J=0.02, Gamma=0.04, kappa_a=0.003, kappa_b=0.003, drive=0.1, Jt_max=10.0, n=3),
}

#: bad values by the kind of parameter
COMPLEX_BAD = [NAN, INF, complex(1, NAN), "x"]
RATE_BAD = [NAN, INF, -1e-3, 1j, "x"]
REAL_BAD = [NAN, INF, 1j, "x"]
TIME_BAD = [[-1.0], [NAN], [INF], ["x"]]
INT_BAD = [1.5, -1, True, NAN]
SPECIAL = {"version": ["pra", 3], "t": TIME_BAD}
INTEGER_PARAMS = {"n_t", "n", "n_grid", "k", "cutoff"}
COMPLEX_PARAMS = {"J", "drive", "p_a", "p_b", "nu_a", "nu_b"}
REAL_PARAMS = {"detuning", "delta", "delta_b"}


def bad_values(name):
    if name in SPECIAL:
        return SPECIAL[name]
    if name in INTEGER_PARAMS:
        return INT_BAD
    if name in COMPLEX_PARAMS:
        return COMPLEX_BAD
    if name in REAL_PARAMS:
        return REAL_BAD
    return RATE_BAD


CASES = [(f, name, v) for f, kw in GOOD.items() for name in kw for v in bad_values(name)]


@pytest.mark.parametrize("f", list(GOOD), ids=lambda f: f.__name__)
def test_good_arguments_work(f):
    f(**GOOD[f])


@pytest.mark.parametrize("f,name,value", CASES, ids=lambda x: getattr(x, "__name__", repr(x)))
def test_bad_input_names_the_parameter(f, name, value):
    kw = dict(GOOD[f], **{name: value})
    with pytest.raises(ValueError) as exc:
        f(**kw)
    msg = str(exc.value)
    assert name in msg or (name == "t" and "t " in msg + " "), (f.__name__, name, value, msg)


@pytest.mark.parametrize("call,name", [
    (lambda: ah.eta_bb_opt_steady(0, 1, 0, 0), "Gamma"),                       # issue 11: was NaN
    (lambda: ah.gap_all_times([1.0], 0.5, 0.2, drive=0), "drive"),             # issue 11: was NaN
    (lambda: ah.eta_bb_opt_steady(0.04, 0, 0.003, 0.003), "J"),
    (lambda: ah.eta_bb_steady_rates(0, 0.04, 0.003, 0.003), "J"),               # was ZeroDivisionError
    (lambda: ah.steady_energy_battery_reciprocal(0, 0, 0.003, 0.1), "kappa"),
    (lambda: ah.eliminated_reservoir(0, 0.05, 5.0), "nu_a"),
    (lambda: ah.energy_battery_nr_printed([1.0], 0.04, 0.043, 0.043, 0.1), "Lambda_a"),
    (lambda: ah.energy_battery_nr_printed([1.0], 0.04, 0.043, 0.043 * (1 + 1e-8), 0.1), "Lambda_a"),
    (lambda: ah.energy_battery_nr_detuned_printed([1.0], 0.04, 0.043, 0.043, 0.1, 0.01), "Lambda_a"),
    (lambda: ah.energy_battery_reciprocal_printed([1.0], 0.097 / 4, 0.1, 0.003, 0.1), "kappa_a"),
    (lambda: ah.chi(4.5, 0.0), "r"),
    (lambda: ah.chi_zero_y(2.5), "r"),
    (lambda: ah.first_peak_times(0.5, 0.2, k=1.0), "k"),
    (lambda: ah.steady_amplitudes(0.02, 0.0, 0.0, 0.0, 0.1), "J"),
    (lambda: ah.qutip_energies("not a network", [0.0, 1.0]), "net"),
    (lambda: ah.qutip_energies(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0.0, 1.0], cutoff=2.0), "cutoff"),
    (lambda: ah.qutip_energies(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [1.0, 0.0]), "times"),
    (lambda: ah.explorer_curves(J=0), "J"),
])
def test_bad_input_regressions(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ----------------------------------------------------------------------------- removable singularities
def mp_nr_printed(t, G, La, Lb, E):
    """Paper Eq. (5) (PRL bracketing) at 50 digits."""
    t, G, La, Lb, E = map(mp.mpf, (t, G, La, Lb, E))
    X = La * mp.exp(-Lb * t / 2) - Lb * mp.exp(-La * t / 2)
    return 16 * G ** 2 * E ** 2 / (La ** 2 * Lb ** 2) * (1 + X / (La - Lb) ** 2 * (X - 2 * (La - Lb)))


def mp_nr_equal(t, G, L, E):
    t, G, L, E = map(mp.mpf, (t, G, L, E))
    return 16 * G ** 2 * E ** 2 / L ** 4 * (1 - (1 + L * t / 2) * mp.exp(-L * t / 2)) ** 2


@pytest.mark.parametrize("gap", [1e-2, 1e-6, 1e-9, 1e-12, 1e-15, 0.0])
@pytest.mark.parametrize("t", [1e-7, 1e-3, 2.0, 50.0, 500.0, 4000.0])
def test_energy_battery_nr_near_equal_rates_vs_mpmath(gap, t):
    La = 0.043
    Lb = float(mp.mpf(La) * (1 + mp.mpf(gap)))
    ref = mp_nr_equal(t, 0.04, La, 0.1) if gap == 0 else mp_nr_printed(t, 0.04, La, Lb, 0.1)
    assert ah.energy_battery_nr([t], 0.04, La, Lb, 0.1)[0] == pytest.approx(float(ref), rel=1e-12, abs=1e-300)
    assert ah.energy_battery_nr([t], 0.04, Lb, La, 0.1)[0] == pytest.approx(
        float(ref if gap == 0 else mp_nr_printed(t, 0.04, Lb, La, 0.1)), rel=1e-12, abs=1e-300)


def mp_nr_detuned(t, G, La, Lb, E, d):
    t, G, La, Lb, E, d = map(mp.mpf, (t, G, La, Lb, E, d))
    a, b = -La / 2 + 1j * d, -Lb / 2 + 1j * d
    ainf = 1j * E / a
    F = (mp.exp(b * t) - 1) / b - (mp.exp(a * t) - mp.exp(b * t)) / (a - b)
    return abs(G * ainf * F) ** 2


@pytest.mark.parametrize("gap", [1e-3, 1e-9, 1e-14])
@pytest.mark.parametrize("t", [1e-6, 0.5, 30.0, 900.0])
def test_detuned_near_equal_rates_vs_mpmath(gap, t):
    La, d = 0.043, 0.007
    Lb = La * (1 + gap)
    ref = mp_nr_detuned(t, 0.04, La, Lb, 0.1, d)
    assert ah.energy_battery_nr_detuned([t], 0.04, La, Lb, 0.1, d)[0] == pytest.approx(float(ref), rel=1e-11, abs=0)


def mp_rec(t, J, ka, kb, E):
    """zeta (1 - g)^2 with a complex Delta, at 50 digits (0/0 exactly at Delta = 0)."""
    t, J, ka, kb, E = map(mp.mpf, (t, J, ka, kb, E))
    k = ka + kb
    D = mp.sqrt(mp.mpc((ka - kb) ** 2 - 16 * J ** 2))
    g = mp.exp(-k * t / 4) * (mp.cosh(D * t / 4) + k * mp.sinh(D * t / 4) / D)
    zeta = 16 * J ** 2 * E ** 2 / (ka * kb + 4 * J ** 2) ** 2
    return zeta * mp.re(1 - g) ** 2


@pytest.mark.parametrize("eps", [1e-2, -1e-2, 1e-7, -1e-7, 1e-12, -1e-12])
@pytest.mark.parametrize("t", [1e-6, 0.3, 40.0, 300.0])
def test_reciprocal_near_critical_damping_vs_mpmath(eps, t):
    ka, kb = 0.1, 0.003
    J = float(mp.mpf(ka - kb) / 4 * (1 + mp.mpf(eps)))
    ref = mp_rec(t, J, ka, kb, 0.1)
    assert ah.energy_battery_reciprocal([t], J, ka, kb, 0.1)[0] == pytest.approx(float(ref), rel=1e-11, abs=0)


@pytest.mark.parametrize("t", [1e-8, 1e-4, 1.0, 25.0, 30.0, 31.0, 1e3])
def test_reciprocal_early_and_late_times_vs_mpmath(t):
    for J, ka, kb in [(0.02, 0.003, 0.003), (0.005, 0.1, 0.003), (0.2, 0.05, 0.01)]:
        assert ah.energy_battery_reciprocal([t], J, ka, kb, 0.1)[0] == pytest.approx(
            float(mp_rec(t, J, ka, kb, 0.1)), rel=1e-11, abs=0)


def test_printed_forms_near_their_threshold_vs_mpmath():
    La = 0.043
    Lb = La * (1 + 3e-6)
    for t in (0.5, 50.0, 500.0):
        assert ah.energy_battery_nr_printed([t], 0.04, La, Lb, 0.1)[0] == pytest.approx(
            float(mp_nr_printed(t, 0.04, La, Lb, 0.1)), rel=1e-8)


# ----------------------------------------------------------------------------- scales
SCALES = [1e-150, 1e-20, 1e20, 1e150]


@pytest.mark.parametrize("s", SCALES)
def test_energies_are_scale_free(s):
    t = np.array([0.0, 3.0, 80.0, 900.0])
    ref = [ah.energy_charger_nr(t, 0.043, 0.1), ah.energy_battery_nr(t, 0.04, 0.043, 0.05, 0.1),
           ah.energy_battery_nr_detuned(t, 0.04, 0.043, 0.05, 0.1, 0.01),
           ah.energy_battery_reciprocal(t, 0.02, 0.003, 0.004, 0.1),
           ah.gap_all_times(t, 0.5, 0.2, 0.02, 0.1)]
    got = [ah.energy_charger_nr(t / s, 0.043 * s, 0.1 * s), ah.energy_battery_nr(t / s, 0.04 * s, 0.043 * s, 0.05 * s, 0.1 * s),
           ah.energy_battery_nr_detuned(t / s, 0.04 * s, 0.043 * s, 0.05 * s, 0.1 * s, 0.01 * s),
           ah.energy_battery_reciprocal(t / s, 0.02 * s, 0.003 * s, 0.004 * s, 0.1 * s),
           ah.gap_all_times(t / s, 0.5, 0.2, 0.02 * s, 0.1 * s)]
    for r, g in zip(ref, got):
        np.testing.assert_allclose(g, r, rtol=1e-12, atol=0)
    pairs = [
        (ah.steady_energy_battery_nr(0.04, 0.043, 0.05, 0.1, delta=0.01), ah.steady_energy_battery_nr(0.04 * s, 0.043 * s, 0.05 * s, 0.1 * s, delta=0.01 * s)),
        (ah.steady_energy_charger_nr(0.043, 0.1), ah.steady_energy_charger_nr(0.043 * s, 0.1 * s)),
        (ah.steady_energy_battery_reciprocal(0.02, 0.003, 0.004, 0.1), ah.steady_energy_battery_reciprocal(0.02 * s, 0.003 * s, 0.004 * s, 0.1 * s)),
        (ah.steady_energy_nr_opt(0.02, 0.003, 0.004, 0.1), ah.steady_energy_nr_opt(0.02 * s, 0.003 * s, 0.004 * s, 0.1 * s)),
        (float(ah.steady_energy_nr_rescaled(2.0, 0.04, 0.003, 0.004, 0.1)), float(ah.steady_energy_nr_rescaled(2.0, 0.04 * s, 0.003 * s, 0.004 * s, 0.1 * s))),
        (ah.eta_bb_opt_steady(0.04, 0.02, 0.003, 0.004), ah.eta_bb_opt_steady(0.04 * s, 0.02 * s, 0.003 * s, 0.004 * s)),
        (ah.cooperativity(0.02, 0.003, 0.004), ah.cooperativity(0.02 * s, 0.003 * s, 0.004 * s)),
        (ah.dissipative_cooperativity(0.04, 0.043), ah.dissipative_cooperativity(0.04 * s, 0.043 * s)),
        (ah.reciprocal_delta(0.02, 0.003, 0.004) * s, ah.reciprocal_delta(0.02 * s, 0.003 * s, 0.004 * s)),
        (ah.eta_ab_crossing(0.04, 0.043, 0.05) / s, ah.eta_ab_crossing(0.04 * s, 0.043 * s, 0.05 * s)),
        (ah.max_energy_battery_reciprocal(0.02, 0.003, 0.004, 0.1), ah.max_energy_battery_reciprocal(0.02 * s, 0.003 * s, 0.004 * s, 0.1 * s)),
    ]
    for r, g in pairs:
        assert g == pytest.approx(r, rel=1e-12, abs=0), (r, g)
    a0, b0 = ah.steady_amplitudes(0.013 + 0.01j, 0.04, 0.003, 0.004, 0.1, p_a=0.8j, detuning=0.002)
    a1, b1 = ah.steady_amplitudes((0.013 + 0.01j) * s, 0.04 * s, 0.003 * s, 0.004 * s, 0.1 * s, p_a=0.8j, detuning=0.002 * s)
    assert complex(a1) == pytest.approx(complex(a0), rel=1e-12) and complex(b1) == pytest.approx(complex(b0), rel=1e-12)


def test_huge_times_give_the_steady_state():
    for t in (1e8, 1e200, 1e307):
        assert ah.energy_battery_nr([t], 0.04, 0.043, 0.05, 0.1)[0] == pytest.approx(
            ah.steady_energy_battery_nr(0.04, 0.043, 0.05, 0.1), rel=1e-14)
        assert ah.energy_battery_reciprocal([t], 0.02, 0.003, 0.004, 0.1)[0] == pytest.approx(
            ah.steady_energy_battery_reciprocal(0.02, 0.003, 0.004, 0.1), rel=1e-14)
        assert ah.energy_battery_nr_detuned([t], 0.04, 0.043, 0.05, 0.1, 0.01)[0] == pytest.approx(
            ah.steady_energy_battery_nr(0.04, 0.043, 0.05, 0.1, delta=0.01), rel=1e-14)
        assert math.isfinite(ah.energy_charger_nr([t], 0.043, 0.1)[0])


# ----------------------------------------------------------------------------- the engine near equal rates
@pytest.mark.parametrize("gap", [1e-9, 1e-12, 1e-14])
def test_engine_near_equal_rates_regression(gap):
    """Issue 11: ``nonreciprocal_battery(.04, .003, .003 (1 + 1e-12), .1)`` was 8e-6 off in the engine."""
    kb = 0.003 * (1 + gap)
    net = ah.nonreciprocal_battery(0.04, 0.003, kb, 0.1)
    t = np.array([10.0, 100.0, 500.0, 2000.0])
    La, Lb = ah.decay_rates(0.04, 0.003, kb)
    exact = np.array([float(mp_nr_printed(ti, 0.04, La, Lb, 0.1)) for ti in t])
    np.testing.assert_allclose(ah.energy_battery_nr(t, 0.04, La, Lb, 0.1), exact, rtol=1e-12)
    np.testing.assert_allclose(net.energies(t)[:, 1], exact, rtol=1e-9)
