"""nrqb.papers.ahmadi against independent routes: the exact engine, the builder, qutip, exact values.

Every public numerical function is compared at a tolerance far below 1e-3 with something it does
not compute itself, so that a result scaled by (1 + 1e-3) or conjugated fails here.
"""

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from nrqb.beyond.optimize import energy_bound
from nrqb.engine import NetworkBuilder
from nrqb.papers import ahmadi as ah

T = np.linspace(0, 800, 161)
FIG2 = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, J=0.02)
FIG4 = dict(Gamma=0.01, kappa_a=0.1, kappa_b=0.003, J=0.005)
FIG5 = dict(Gamma=0.4, kappa_a=0.05, kappa_b=0.01, J=0.2)


def engine_max(net, mode, t_lo, t_hi):
    """max over [t_lo, t_hi] of the engine's energy of one mode (bounded scalar search)."""
    res = minimize_scalar(lambda t: -net.energies([t])[0, mode], bounds=(t_lo, t_hi), method="bounded",
                          options={"xatol": 1e-10 * t_hi})
    return res.x, -res.fun


# ----------------------------------------------------------------------------- parameters
def test_mu_and_decay_rates_are_the_engine_drift():
    pa, pb, G = 0.7 + 0.4j, -0.3 + 1.1j, 0.03
    A = ah.charger_battery(0.0, G, 0.002, 0.005, 0.1, p_a=pa, p_b=pb).drift
    # drift entry A_ab = -i J + mu Gamma / 2 (paper Eq. (2)), here J = 0
    assert A[0, 1] == pytest.approx(ah.mu(pa, pb) * G / 2, rel=1e-13)
    La, Lb = ah.decay_rates(G, 0.002, 0.005, pa, pb)
    assert -2 * A[0, 0].real == pytest.approx(La, rel=1e-13)
    assert -2 * A[1, 1].real == pytest.approx(Lb, rel=1e-13)


@pytest.mark.parametrize("pa,pb", [(1, 1), (1j, 0.5), (0.8 - 0.6j, 1.3j)])
def test_nonreciprocal_J_cancels_the_backflow(pa, pb):
    net = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1, p_a=pa, p_b=pb)
    assert abs(net.drift[0, 1]) < 1e-17
    # the forward entry is mu^* Gamma (text above paper Eq. (5))
    assert net.drift[1, 0] == pytest.approx(np.conj(-pb * np.conj(pa)) * 0.04, rel=1e-13)


def test_cooperativities_and_damping_ratio_against_the_engine():
    J, ka, kb, E = 0.013, 0.004, 0.009, 0.1
    C = ah.cooperativity(J, ka, kb)
    rec = ah.reciprocal_battery(J, ka, kb, E).steady_state()["energies"][1]
    assert rec == pytest.approx(4 * E ** 2 * C / (ka * kb * (1 + C) ** 2), rel=1e-11)
    G, k = 0.04, 0.003
    ss = ah.nonreciprocal_battery(G, k, k, E).steady_state()["energies"]
    assert ss[1] / ss[0] == pytest.approx(ah.dissipative_cooperativity(G, G + k), rel=1e-11)
    assert ah.damping_ratio(0.05, 0.0125) == 2.0          # exact
    assert ah.damping_ratio(0.003, 0.012) == 0.5


@pytest.mark.parametrize("J,ka,kb", [(0.02, 0.003, 0.003), (0.005, 0.1, 0.003), (0.2, 0.05, 0.01)])
def test_reciprocal_delta_is_the_spread_of_the_engine_eigenvalues(J, ka, kb):
    lam = np.linalg.eigvals(ah.reciprocal_battery(J, ka, kb, 0.1).drift)   # (-k +- Delta)/4
    D = ah.reciprocal_delta(J, ka, kb)
    spread = 2 * (lam[0] - lam[1])
    assert abs(D) == pytest.approx(abs(spread), rel=1e-12)
    assert D.real >= 0 and D.imag >= 0 and (D.real == 0 or D.imag == 0)
    assert (D.imag > 0) == (abs(spread.imag) > 0)


def test_printed_deltas():
    assert ah.reciprocal_delta(0.02, 0.003, 0.003) == pytest.approx(0.08j, rel=1e-12)   # Fig. 3 caption
    assert ah.reciprocal_delta(0.005, 0.1, 0.003).real == pytest.approx(0.095, abs=5e-4)  # Fig. 4 caption


def test_optimal_couplings_maximise_the_engine_steady_energy():
    ka, kb, G = 0.1, 0.003, 0.01
    pa, pb = ah.optimal_couplings(ka, kb)
    assert pa * pb == pytest.approx(1.0, rel=1e-14)            # |mu| = 1 is kept
    res = minimize_scalar(lambda lx: -ah.nonreciprocal_battery(G, ka, kb, 0.1, p_a=np.exp(lx / 2),
                                                               p_b=np.exp(-lx / 2)).steady_state()["energies"][1],
                          bounds=(-2, 6), method="bounded", options={"xatol": 1e-10})
    assert pa ** 2 == pytest.approx(np.exp(res.x), rel=1e-6)


def test_appendix_c_rates():
    assert ah.appendix_c_rates(0.5, 0.2, 0.3) == pytest.approx((0.15, 0.03), rel=1e-15)


# ----------------------------------------------------------------------------- models
def test_models_equal_the_builder():
    pa, pb = 0.9 + 0.1j, 1.2
    J = ah.nonreciprocal_J(0.04, pa, pb)
    b = NetworkBuilder().mode("a", loss=0.003, detuning=-0.002).mode("b", loss=0.005, detuning=-0.002)
    ref = b.hop("a", "b", J).shared_bath(0.04, {"a": pa, "b": pb}).drive("a", 0.1).build()
    net = ah.nonreciprocal_battery(0.04, 0.003, 0.005, 0.1, p_a=pa, p_b=pb, detuning=0.002)
    np.testing.assert_allclose(net.drift, ref.drift, rtol=0, atol=1e-16)
    np.testing.assert_allclose(net.noise[0], ref.noise[0], atol=1e-16)
    np.testing.assert_allclose(net.energies(T), ref.energies(T), rtol=1e-12, atol=1e-14)
    rec = ah.reciprocal_battery(0.02, 0.003, 0.005, 0.1)
    ref = NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.005).hop("a", "b", 0.02).drive("a", 0.1).build()
    np.testing.assert_allclose(rec.drift, ref.drift, atol=1e-16)


def test_mu_rescaling_leaves_the_dynamics_unchanged():
    """'we can always re-scale them such that |mu| = 1, the remaining factor is absorbed into Gamma'."""
    pa, pb, G = 0.5 + 0.5j, 2.0, 0.03
    m = abs(ah.mu(pa, pb))
    n1 = ah.nonreciprocal_battery(G, 0.003, 0.004, 0.1, p_a=pa, p_b=pb)
    n2 = ah.nonreciprocal_battery(G * m, 0.003, 0.004, 0.1, p_a=pa / np.sqrt(m), p_b=pb / np.sqrt(m))
    np.testing.assert_allclose(n1.drift, n2.drift, atol=1e-16)
    np.testing.assert_allclose(n1.energies(T), n2.energies(T), rtol=1e-12, atol=1e-14)


def test_elimination_error_recomputed_and_vanishing():
    gc, nu, kap = 5.0, 0.05, 0.003
    G, pa, pb = ah.eliminated_reservoir(nu, 1j * nu, gc)
    assert G == pytest.approx(4 * nu * nu / gc, rel=1e-14)
    assert pa == pytest.approx(1.0, rel=1e-14) and pb == pytest.approx(1j, rel=1e-14)
    J = 0.5j * G * np.conj(pa) * pb
    t = np.linspace(0, 2000, 81)
    full = NetworkBuilder().mode("a", loss=kap).mode("b", loss=kap).mode("c", loss=gc)
    full = full.hop("a", "b", J).hop("c", "a", nu).hop("c", "b", 1j * nu).drive("a", 0.01).build()
    eff = NetworkBuilder().mode("a", loss=kap).mode("b", loss=kap).hop("a", "b", J)
    eff = eff.shared_bath(G, {"a": pa, "b": pb}).drive("a", 0.01).build()
    e = eff.energies(t)[:, 1]
    err = np.max(np.abs(full.energies(t)[:, 1] - e)) / e.max()
    assert ah.elimination_error(gc) == pytest.approx(err, rel=1e-9)
    e50, e500 = ah.elimination_error(50.0), ah.elimination_error(500.0)
    assert e500 < 1e-4 and 5 < e50 / e500 < 20      # next order of the elimination: ~ 1/gamma_c


# ----------------------------------------------------------------------------- steady states
@pytest.mark.parametrize("J", [0.02, 0.02j, -0.02j, 0.013 - 0.007j, [0.01, 0.03j]])
def test_steady_amplitudes_and_energies_match_the_engine(J):
    kw = dict(p_a=0.7 + 0.2j, p_b=1.3, detuning=0.002)
    a, b = ah.steady_amplitudes(J, 0.04, 0.003, 0.005, 0.1, **kw)
    EA, EB = ah.steady_energies(J, 0.04, 0.003, 0.005, 0.1, omega=1.5, **kw)
    for i, Ji in enumerate(np.atleast_1d(J)):
        ss = ah.charger_battery(Ji, 0.04, 0.003, 0.005, 0.1, **kw).steady_state()
        np.testing.assert_allclose([np.ravel(a)[i], np.ravel(b)[i]], ss["amplitudes"], rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose([np.ravel(EA)[i], np.ravel(EB)[i]], 1.5 * ss["energies"], rtol=1e-11, atol=1e-14)


def test_phase_of_J_relative_to_mu_matters():
    """Issue 15: Fig. 2 rates, p_a = p_b = 1: J = Gamma/2, i Gamma/2, -i Gamma/2 give 9.37, 74.88, 0."""
    EB = [float(ah.steady_energies(J, 0.04, 0.003, 0.003, 0.1)[1]) for J in (0.02, 0.02j, -0.02j)]
    eng = [ah.charger_battery(J, 0.04, 0.003, 0.003, 0.1).steady_state()["energies"][1] for J in (0.02, 0.02j, -0.02j)]
    np.testing.assert_allclose(EB[:2], eng[:2], rtol=1e-11)
    assert abs(eng[2]) < 1e-25 and abs(EB[2]) < 1e-25
    assert round(EB[0], 2) == 9.37 and round(EB[1], 2) == 74.88


def test_steady_energy_closed_forms_against_the_engine():
    for d in (0.0, 0.004):
        net = ah.nonreciprocal_battery(0.01, 0.1, 0.003, 0.1, p_a=1.5, p_b=1 / 1.5, detuning=d)
        La, Lb = ah.decay_rates(0.01, 0.1, 0.003, 1.5, 1 / 1.5)
        ss = net.steady_state()["energies"]
        assert ah.steady_energy_battery_nr(0.01, La, Lb, 0.1, delta=d, omega=2.0) == pytest.approx(2 * ss[1], rel=1e-11)
        assert ah.steady_energy_charger_nr(La, 0.1, delta=d, omega=2.0) == pytest.approx(2 * ss[0], rel=1e-11)
    rec = ah.reciprocal_battery(0.02, 0.003, 0.005, 0.1).steady_state()["energies"][1]
    assert ah.steady_energy_battery_reciprocal(0.02j, 0.003, 0.005, 0.1, omega=2.0) == pytest.approx(2 * rec, rel=1e-11)


# ----------------------------------------------------------------------------- Eqs. (5)-(7)
@pytest.mark.parametrize("Gamma,ka,kb,pa,pb", [
    (0.04, 0.003, 0.003, 1, 1),            # Fig. 2/3: Lambda_a = Lambda_b (printed Eq. (5) is 0/0)
    (0.01, 0.1, 0.003, 1, 1),              # Fig. 4
    (0.01, 0.1, 0.003, 33.3 ** 0.25, 33.3 ** -0.25),
    (0.03, 0.01, 0.02, 1j, 0.5),           # complex p_a, |mu| != 1
    (0.04, 0.003, 0.003 + 1e-9, 1, 1),     # nearly equal rates
])
def test_nonreciprocal_energies_match_engine(Gamma, ka, kb, pa, pb):
    net = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1, p_a=pa, p_b=pb)
    La, Lb = ah.decay_rates(Gamma, ka, kb, pa, pb)
    E = net.energies(T)
    np.testing.assert_allclose(ah.energy_charger_nr(T, La, 0.1, omega=1.5), 1.5 * E[:, 0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ah.energy_battery_nr(T, Gamma, La, Lb, 0.1, abs_mu=abs(pa * pb), omega=1.5),
                               1.5 * E[:, 1], rtol=1e-10, atol=1e-14)


def test_printed_eq5_prl_right_arxiv_wrong_eq6_wrong():
    Gamma, ka, kb = 0.01, 0.1, 0.003
    La, Lb = ah.decay_rates(Gamma, ka, kb)
    E = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_printed(T, Gamma, La, Lb, 0.1), E, rtol=1e-9, atol=1e-13)
    # the arXiv bracket, evaluated independently: P (1 + X/d^2)(X - 2d)
    X = La * np.exp(-Lb * T / 2) - Lb * np.exp(-La * T / 2)
    P = 16 * Gamma ** 2 * 0.01 / (La * Lb) ** 2
    arx = P * (1 + X / (La - Lb) ** 2) * (X - 2 * (La - Lb))
    np.testing.assert_allclose(ah.energy_battery_nr_printed(T, Gamma, La, Lb, 0.1, version="arxiv"), arx, rtol=1e-12)
    assert np.max(np.abs(arx - E)) > 1
    # paper Eq. (6): only the steady state and t = 0 are right
    L = 0.043
    es = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1).energies(T)[:, 1]
    eq6 = ah.energy_battery_nr_symmetric_printed(T, 0.04, L, 0.1)
    np.testing.assert_allclose(eq6, 16 * 0.04 ** 2 * 0.01 / L ** 4 * (1 - np.exp(-L * T / 2)) ** 2, rtol=1e-12)
    assert np.max(np.abs(eq6 - es)) > 10


def test_eta_ab_crossing_is_the_engine_root():
    """Fig. 2(b): eta_AB crosses 1 at J t = 1.288, not 'immediately'."""
    net = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1)
    t_eng = brentq(lambda t: np.subtract(*net.energies([t])[0, ::-1]), 1.0, 200.0, xtol=1e-13, rtol=1e-14)
    t_cf = ah.eta_ab_crossing(0.04, 0.043, 0.043)
    assert t_cf == pytest.approx(t_eng, rel=1e-10)
    assert round(0.02 * t_cf, 3) == 1.288
    La, Lb = ah.decay_rates(0.01, 0.1, 0.1)
    with pytest.raises(ValueError, match="C_d"):
        ah.eta_ab_crossing(0.01, La, Lb)            # C_d < 1 here: never crosses
    E = ah.nonreciprocal_battery(0.01, 0.1, 0.1, 0.1).energies(np.linspace(1, 3000, 300))
    assert np.all(E[:, 1] < E[:, 0])
    La, Lb = ah.decay_rates(0.4, 0.05, 0.01)
    net = ah.nonreciprocal_battery(0.4, 0.05, 0.01, 0.1)
    t_eng = brentq(lambda t: np.subtract(*net.energies([t])[0, ::-1]), 1e-3, 100.0, xtol=1e-13, rtol=1e-14)
    assert ah.eta_ab_crossing(0.4, La, Lb) == pytest.approx(t_eng, rel=1e-10)


# ----------------------------------------------------------------------------- Eqs. (8)-(9)
@pytest.mark.parametrize("J,ka,kb", [
    (0.02, 0.003, 0.003),      # Fig. 3, underdamped
    (0.005, 0.1, 0.003),       # Fig. 4, overdamped
    (0.097 / 4, 0.1, 0.003),   # Delta = 0 exactly (critical)
    (0.2, 0.05, 0.01),         # Fig. 5
    (0.3j, 0.0, 0.01),         # kappa_a = 0, complex J
])
def test_reciprocal_energy_matches_engine(J, ka, kb):
    E = ah.reciprocal_battery(J, ka, kb, 0.1).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_reciprocal(T, J, ka, kb, 0.1, omega=0.5), 0.5 * E,
                               rtol=1e-10, atol=1e-14)


def test_reciprocal_printed_sign_error():
    J, ka, kb = 0.02, 0.003, 0.003
    pr = ah.energy_battery_reciprocal_printed(T, J, ka, kb, 0.1)
    assert pr.min() < -1  # negative energies: the sinh sign in beta(t) is wrong
    D = ah.reciprocal_delta(J, ka, kb)
    k = ka + kb
    eng = ah.reciprocal_battery(J, ka, kb, 0.1).energies(T)[:, 1]
    zeta = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
    fix = np.real(2 * zeta * k * np.sinh(D * T / 2) / D * np.exp(-k * T / 2))
    np.testing.assert_allclose(pr + fix, eng, rtol=1e-9, atol=1e-11)
    # overdamped (Fig. 4) too
    J, ka, kb = 0.005, 0.1, 0.003
    D, k = ah.reciprocal_delta(J, ka, kb), ka + kb
    net = ah.reciprocal_battery(J, ka, kb, 0.1)
    zeta = net.steady_state()["energies"][1]
    fix = np.real(2 * zeta * k * np.sinh(D * T / 2) / D * np.exp(-k * T / 2))
    np.testing.assert_allclose(ah.energy_battery_reciprocal_printed(T, J, ka, kb, 0.1) + fix,
                               net.energies(T)[:, 1], rtol=1e-9, atol=1e-11)


# ----------------------------------------------------------------------------- Eq. (A1)
@pytest.mark.parametrize("delta", [0.003, -0.02])
def test_detuned_a1(delta):
    Gamma, ka, kb = 0.02, 0.05, 0.004
    La, Lb = ah.decay_rates(Gamma, ka, kb)
    E = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1, detuning=delta).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_detuned(T, Gamma, La, Lb, 0.1, delta), E, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ah.energy_battery_nr_detuned_printed(T, Gamma, La, Lb, 0.1, delta), E,
                               rtol=1e-9, atol=1e-13)
    E2 = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1, detuning=delta).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_detuned(T, 0.04, 0.043, 0.043, 0.1, delta), E2,
                               rtol=1e-10, atol=1e-14)


def test_a2_resonance_maximises_the_engine_steady_energy():
    res = minimize_scalar(lambda d: -ah.nonreciprocal_battery(0.02, 0.05, 0.004, 0.1, detuning=d).steady_state()["energies"][1],
                          bounds=(-0.05, 0.04), method="bounded", options={"xatol": 1e-12})
    assert abs(res.x) < 1e-7


# ----------------------------------------------------------------------------- Eqs. (10)-(12), (B)
@pytest.mark.parametrize("J,ka,kb", [(0.02, 0.003, 0.003), (0.005, 0.1, 0.003), (0.2, 0.05, 0.01),
                                     (0.07, 0.001, 0.02), (0.0004, 0.01, 0.03)])
def test_steady_ratios_against_the_engine(J, ka, kb):
    C, xi = ah.cooperativity(J, ka, kb), ah.damping_ratio(ka, kb)
    rec = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
    nr = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1).steady_state()["energies"][1]
    assert float(ah.eta_bb_steady(C, xi)) == pytest.approx(nr / rec, rel=1e-10)
    assert ah.eta_bb_steady_rates(J, 2 * J, ka, kb) == pytest.approx(nr / rec, rel=1e-10)
    pa, pb = np.sqrt(xi), 1 / np.sqrt(xi)
    opt = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1, p_a=pa, p_b=pb).steady_state()["energies"][1]
    assert ah.eta_bb_steady_rates(J, 2 * J, ka, kb, p_a=pa, p_b=pb) == pytest.approx(opt / rec, rel=1e-10)
    assert ah.eta_bb_opt_steady(2 * J, J, ka, kb) == pytest.approx(opt / rec, rel=1e-10)
    assert float(ah.eta_bb_opt_steady_C(C)) == pytest.approx(opt / rec, rel=1e-10)
    # paper Eq. (11) for Gamma != 2|J|
    opt3 = ah.nonreciprocal_battery(3 * J, ka, kb, 0.1, p_a=pa, p_b=pb).steady_state()["energies"][1]
    assert ah.eta_bb_opt_steady(3 * J, J, ka, kb) == pytest.approx(opt3 / rec, rel=1e-10)
    # Appendix B: (B4) for any x, (B6) at the optimum
    for x in (0.3, xi, 4.0):
        e = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1, p_a=np.sqrt(x), p_b=1 / np.sqrt(x)).steady_state()["energies"][1]
        assert float(ah.steady_energy_nr_rescaled(x, 2 * J, ka, kb, 0.1)) == pytest.approx(e, rel=1e-10)
    assert ah.steady_energy_nr_opt(J, ka, kb, 0.1, omega=3.0) == pytest.approx(3 * opt, rel=1e-10)


def test_eta_window_and_fourfold_limits():
    xi = 3.0
    assert ah.eta_bb_steady(xi ** 2 * 1.01, xi) > 1 > ah.eta_bb_steady(xi ** 2 * 0.99, xi)
    assert ah.eta_bb_steady(xi ** -2 * 0.99, xi) > 1 > ah.eta_bb_steady(xi ** -2 * 1.01, xi)
    assert float(ah.eta_bb_steady(1e-16, 5.0)) == pytest.approx(4, rel=1e-6)
    assert float(ah.eta_bb_steady(1e16, 0.2)) == pytest.approx(4, rel=1e-6)


def test_steady_fractions_of_the_energy_bound():
    for C, xi in [(0.01, 1.0), (1.0, 1.0), (40.0, 3.0), (2.0, 0.4)]:
        s = 0.01
        ka, kb, J = s * xi, s / xi, s * np.sqrt(C) / 2
        bound = energy_bound(0.1, ka, kb)
        f = ah.steady_fractions_of_bound(C, xi)
        rec = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
        nr = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1).steady_state()["energies"][1]
        opt = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1, p_a=np.sqrt(xi), p_b=1 / np.sqrt(xi)).steady_state()["energies"][1]
        np.testing.assert_allclose([f["reciprocal"], f["nonreciprocal"], f["nonreciprocal_opt"]],
                                   [rec / bound, nr / bound, opt / bound], rtol=1e-10)


# ----------------------------------------------------------------------------- Appendix C
@pytest.mark.parametrize("r,y", [(0.5, 0.15), (1.0, 0.2), (0.25, 0.2), (2.0, 0.6)])
def test_gap_and_chi_against_the_engine(r, y):
    J, F = 0.3, 0.1
    ka, kb = r * J, r * y * J
    rec = ah.reciprocal_battery(J, ka, kb, F)
    opt = ah.nonreciprocal_battery(2 * J, ka, kb, F, p_a=(ka / kb) ** 0.25, p_b=(ka / kb) ** -0.25)
    N = 8 * F ** 2 / J ** 2
    gap = (opt.steady_state()["energies"][1] - rec.energies(T / 10)[:, 1]) / N
    np.testing.assert_allclose(ah.gap_all_times(T / 10, r, y, J, F), gap, rtol=1e-9, atol=1e-13)
    # paper Eq. (C4): the peaks of the reciprocal battery
    Dp = 4 * abs(np.linalg.eigvals(rec.drift).imag).max()
    ts = ah.first_peak_times(r, y, J, k=[0, 1])
    np.testing.assert_allclose(ts * Dp / 4, [np.pi, 3 * np.pi], rtol=1e-12)
    # chi = the minimum of the gap, reached at the first peak; larger at the second (chi grows with k)
    t0, m0 = engine_max(rec, 1, 0.5 * ts[0], 1.5 * ts[0])
    assert t0 == pytest.approx(ts[0], rel=1e-6)
    chi0 = (opt.steady_state()["energies"][1] - m0) / N
    assert float(ah.chi(r, y)) == pytest.approx(chi0, rel=1e-9, abs=1e-14)
    t1, m1 = engine_max(rec, 1, 0.9 * ts[1], 1.1 * ts[1])
    assert float(ah.chi(r, y, 1)) == pytest.approx((opt.steady_state()["energies"][1] - m1) / N, rel=1e-9, abs=1e-14)
    assert float(ah.chi(r, y, 1)) > float(ah.chi(r, y, 0))


def test_printed_c3_and_c6_evaluated_independently():
    r, y, J = 0.5, 0.15, 1.0
    Dp = np.sqrt(16 - (r * (1 - y)) ** 2)
    t = T / 20
    e2, e4 = np.exp(-r * t * (y + 1) / 2), np.exp(-r * t * (y + 1) / 4)
    c3 = (8 / (r * np.sqrt(y) + 2) ** 4
          - 2 * e2 * ((8 - r ** 2 * (y ** 2 + 1)) * np.cos(Dp * t / 2) + Dp * r * (y + 1) * np.sin(Dp * t / 2)) / Dp ** 2
          + 4 * (r ** 2 * y + 4) * e2 / Dp ** 2
          - (2 - 4 * e4 * (r * (y + 1) * np.sin(Dp * t / 4) / Dp + np.cos(Dp * t / 4))) / (r ** 2 * y + 4) ** 2)
    np.testing.assert_allclose(ah.gap_all_times_printed(t, r, y, J), c3, rtol=1e-12)
    # its excess over the true gap at t = 0 (where the reciprocal battery is empty)
    excess = 2 * r ** 2 * (1 + y) ** 2 / Dp ** 2 + 2 / (r ** 2 * y + 4) ** 2
    assert ah.gap_all_times_printed([0.0], r, y)[0] - ah.gap_all_times([0.0], r, y)[0] == pytest.approx(excess, rel=1e-12)
    c6 = 8 / (r * np.sqrt(y) + 2) ** 4 - 2 * (np.exp(-3 * np.pi * r * (y + 1) / Dp ** 2) + 1) ** 2 / (r ** 2 * y + 4) ** 2
    assert float(ah.chi_printed(r, y, 1)) == pytest.approx(c6, rel=1e-12)
    assert float(ah.chi(r, y)) > 0 > float(ah.chi_printed(r, y))


def test_chi_zero_y_is_the_root_of_the_corrected_c6():
    import mpmath as mp
    r = np.array([0.05, 0.5, 1.0, 1.7])
    ys = ah.chi_zero_y(r)
    for ri, yi in zip(r, ys):
        f = lambda y: 8 / (ri * mp.sqrt(y) + 2) ** 4 - 2 * (1 + mp.exp(-mp.pi * ri * (1 + y) / mp.sqrt(16 - ri ** 2 * (1 - y) ** 2))) ** 2 / (ri ** 2 * y + 4) ** 2
        with mp.workdps(40):
            assert yi == pytest.approx(float(mp.findroot(f, yi)), rel=1e-12)
    assert ys[2] == pytest.approx(0.2345, abs=5e-4) and ys.min() > 0.22


def test_bound_022_nearly_sharp():
    assert float(ah.chi(1.0, 0.22)) > 0 > float(ah.chi(1.0, 0.25))
    assert np.all(ah.chi(np.linspace(1e-3, 1, 200)[:, None], np.linspace(0, 0.2199, 60)[None, :]) > 0)


# ----------------------------------------------------------------------------- claims beyond the formulas
@pytest.mark.parametrize("J,ka,kb", [(0.02, 0.003, 0.003), (0.2, 0.05, 0.01), (0.005, 0.1, 0.003)])
def test_max_reciprocal(J, ka, kb):
    rec = ah.reciprocal_battery(J, ka, kb, 0.1)
    D = ah.reciprocal_delta(J, ka, kb)
    if D.imag > 0:
        _, m = engine_max(rec, 1, 0.5 * 4 * np.pi / D.imag, 1.5 * 4 * np.pi / D.imag)
    else:
        m = rec.steady_state()["energies"][1]
        assert np.all(np.diff(rec.energies(T)[:, 1]) > 0)      # overdamped: monotonic
    assert ah.max_energy_battery_reciprocal(J, ka, kb, 0.1, omega=2.0) == pytest.approx(2 * m, rel=1e-9)


@pytest.mark.parametrize("C,xi", [(5.0, 3.0), (177.8, 1.0), (0.333, 33.3 ** 0.5), (2.0, 1.0), (0.01, 0.2)])
def test_reciprocal_peak_factor(C, xi):
    J = 0.7
    s = 2 * J / np.sqrt(C)
    ka, kb = s * xi, s / xi
    rec = ah.reciprocal_battery(J, ka, kb, 1.0)
    zeta = rec.steady_state()["energies"][1]
    z = 4 * C - (xi - 1 / xi) ** 2
    if z > 0:
        ts = 4 * np.pi / (s * np.sqrt(z))
        _, m = engine_max(rec, 1, 0.5 * ts, 1.5 * ts)
    else:
        m = zeta
    assert float(ah.reciprocal_peak_factor(C, xi)) == pytest.approx(m / zeta, rel=1e-9)


def test_eta_bb_peak_against_the_engine():
    """Fig. 3(b): eta_BB(t) peaks near 21 (it does not diverge)."""
    J = 0.02
    t_pk, eta_pk = ah.eta_bb_peak(J, 0.04, 0.003, 0.003)
    nr, rec = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 1.0), ah.reciprocal_battery(J, 0.003, 0.003, 1.0)
    res = minimize_scalar(lambda t: -np.divide(*[n.energies([t])[0, 1] for n in (nr, rec)]),
                          bounds=(0.9 * t_pk, 1.1 * t_pk), method="bounded", options={"xatol": 1e-9})
    assert eta_pk == pytest.approx(-res.fun, rel=1e-9)
    assert t_pk == pytest.approx(res.x, rel=1e-5)
    assert round(eta_pk, 1) == 21.1
    # at early times the ratio tends to (Gamma |mu| / |J|)^2 = 4
    e = [n.energies([1e-3])[0, 1] for n in (nr, rec)]
    assert e[0] / e[1] == pytest.approx(4, rel=1e-4)


def test_qutip_energies_equal_the_engine_at_weak_drive():
    net = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.002)
    t = np.linspace(0, 600, 7)
    np.testing.assert_allclose(ah.qutip_energies(net, t, cutoff=4), net.energies(t), rtol=2e-5, atol=1e-9)


def test_explorer_curves_are_the_engine():
    c = ah.explorer_curves(0.02, 0.04, 0.003, 0.005, 1.2, 0.9, 0.1, n=21)
    t = c["Jt"] / 0.02
    nr = ah.nonreciprocal_battery(0.04, 0.003, 0.005, 0.1, p_a=1.2, p_b=0.9).energies(t)
    rec = ah.reciprocal_battery(0.02, 0.003, 0.005, 0.1).energies(t)
    np.testing.assert_allclose(c["E_B_nr"], nr[:, 1], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(c["E_A_nr"], nr[:, 0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(c["E_B_rec"], rec[:, 1], rtol=1e-10, atol=1e-14)


def test_plot_explorer_draws_the_engine_curves():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ax = ah.plot_explorer(0.02, 0.04, 0.003, 0.005, 1.2, 0.9, 0.1)
    x, y = ax.lines[1].get_data()          # the nonreciprocal battery
    t = np.asarray(x) / 0.02
    eng = ah.nonreciprocal_battery(0.04, 0.003, 0.005, 0.1, p_a=1.2, p_b=0.9).energies(t[::40])[:, 1]
    np.testing.assert_allclose(np.asarray(y)[::40], eng, rtol=1e-10, atol=1e-14)
    assert len(ax.lines) == 3
    plt.close(ax.figure)
