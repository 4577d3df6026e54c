"""Tests for nrqb.papers.ahmadi (closed forms of Ahmadi et al.) against the exact engine, and nrqb.papers.ahmadi_sym."""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import ahmadi as ah
from nrqb.papers import ahmadi_sym as ahs

T = np.linspace(0, 800, 161)


@pytest.mark.parametrize("Gamma,ka,kb,pa,pb", [
    (0.04, 0.003, 0.003, 1, 1),            # Fig. 2/3: Lambda_a = Lambda_b (printed Eq. (5) is 0/0)
    (0.01, 0.1, 0.003, 1, 1),              # Fig. 4
    (0.01, 0.1, 0.003, 33.3 ** 0.25, 33.3 ** -0.25),
    (0.03, 0.01, 0.02, 1j, 0.5),           # complex p_a, |mu| != 1
    (0.04, 0.003, 0.003 + 1e-9, 1, 1),     # nearly equal rates
])
def test_nonreciprocal_energies_match_engine(Gamma, ka, kb, pa, pb):
    net = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1, p_a=pa, p_b=pb)
    assert abs(net.drift[0, 1]) < 1e-15  # no backflow
    La, Lb = ah.decay_rates(Gamma, ka, kb, pa, pb)
    E = net.energies(T)
    np.testing.assert_allclose(E[:, 0], ah.energy_charger_nr(T, La, 0.1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(E[:, 1], ah.energy_battery_nr(T, Gamma, La, Lb, 0.1, abs_mu=abs(pa * pb)),
                               rtol=1e-9, atol=1e-12)
    ss = net.steady_state()["energies"]
    assert ss[1] == pytest.approx(ah.steady_energy_battery_nr(Gamma, La, Lb, 0.1, abs_mu=abs(pa * pb)), rel=1e-10)


def test_printed_eq5_prl_right_arxiv_wrong_eq6_wrong():
    Gamma, ka, kb = 0.01, 0.1, 0.003
    La, Lb = ah.decay_rates(Gamma, ka, kb)
    E = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_printed(T, Gamma, La, Lb, 0.1), E, rtol=1e-8, atol=1e-12)
    assert np.max(np.abs(ah.energy_battery_nr_printed(T, Gamma, La, Lb, 0.1, version="arxiv") - E)) > 1
    L = 0.043
    Es = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1).energies(T)[:, 1]
    assert np.max(np.abs(ah.energy_battery_nr_symmetric_printed(T, 0.04, L, 0.1) - Es)) > 10
    # the printed Eq. (6) and the exact form agree at t = 0 and t -> infinity only
    ss = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1).steady_state()["energies"][1]
    assert ah.energy_battery_nr_symmetric_printed([1e5], 0.04, L, 0.1)[0] == pytest.approx(ss, rel=1e-9)
    assert ah.energy_battery_nr_symmetric_printed([0.0], 0.04, L, 0.1)[0] == 0
    with pytest.raises(ValueError, match="0/0"):
        ah.energy_battery_nr_printed(T, 0.04, L, L, 0.1)


@pytest.mark.parametrize("delta", [0.003, -0.02])
def test_detuned_a1(delta):
    Gamma, ka, kb = 0.02, 0.05, 0.004
    La, Lb = ah.decay_rates(Gamma, ka, kb)
    E = ah.nonreciprocal_battery(Gamma, ka, kb, 0.1, detuning=delta).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_detuned(T, Gamma, La, Lb, 0.1, delta), E, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ah.energy_battery_nr_detuned_printed(T, Gamma, La, Lb, 0.1, delta), E,
                               rtol=1e-8, atol=1e-12)
    # exact also at equal rates
    E2 = ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1, detuning=delta).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_nr_detuned(T, 0.04, 0.043, 0.043, 0.1, delta), E2,
                               rtol=1e-8, atol=1e-12)
    # (A2): resonance maximises the steady energy
    assert ah.steady_energy_battery_nr(Gamma, La, Lb, 0.1, delta=delta) < ah.steady_energy_battery_nr(Gamma, La, Lb, 0.1)


@pytest.mark.parametrize("J,ka,kb", [
    (0.02, 0.003, 0.003),      # Fig. 3, underdamped
    (0.005, 0.1, 0.003),       # Fig. 4, overdamped
    (0.097 / 4, 0.1, 0.003),   # Delta = 0 exactly (critical)
    (0.2, 0.05, 0.01),         # Fig. 5
    (0.3j, 0.0, 0.01),         # kappa_a = 0, complex J
])
def test_reciprocal_energy_matches_engine(J, ka, kb):
    E = ah.reciprocal_battery(J, ka, kb, 0.1).energies(T)[:, 1]
    np.testing.assert_allclose(ah.energy_battery_reciprocal(T, J, ka, kb, 0.1), E, rtol=1e-8, atol=1e-12)


def test_reciprocal_printed_sign_error_and_critical_point():
    J, ka, kb = 0.02, 0.003, 0.003
    pr = ah.energy_battery_reciprocal_printed(T, J, ka, kb, 0.1)
    assert pr.min() < -1  # negative energies: the sinh sign in beta(t) is wrong
    # the printed form plus the flipped-sign term is exact
    D = ah.reciprocal_delta(J, ka, kb)
    k = ka + kb
    zeta = ah.steady_energy_battery_reciprocal(J, ka, kb, 0.1)
    fix = np.real(2 * zeta * k * np.sinh(D * T / 2) / D * np.exp(-k * T / 2))
    np.testing.assert_allclose(pr + fix, ah.energy_battery_reciprocal(T, J, ka, kb, 0.1), rtol=1e-8, atol=1e-10)
    Jc = abs(0.1 - 0.003) / 4
    assert ah.reciprocal_delta(Jc, 0.1, 0.003) == 0
    with pytest.raises(ValueError, match="0/0"):
        ah.energy_battery_reciprocal_printed(T, Jc, 0.1, 0.003, 0.1)
    # continuity across the critical point
    e0 = ah.energy_battery_reciprocal(T, Jc, 0.1, 0.003, 0.1)
    e1 = ah.energy_battery_reciprocal(T, Jc * (1 + 1e-7), 0.1, 0.003, 0.1)
    e2 = ah.energy_battery_reciprocal(T, Jc * (1 - 1e-7), 0.1, 0.003, 0.1)
    np.testing.assert_allclose(e1, e0, rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(e2, e0, rtol=1e-5, atol=1e-12)


def test_printed_parameters_delta():
    assert ah.reciprocal_delta(0.02, 0.003, 0.003) == pytest.approx(0.08j)
    assert ah.reciprocal_delta(0.005, 0.1, 0.003).real == pytest.approx(0.095, abs=5e-4)


def test_steady_ratios():
    for J, ka, kb in [(0.02, 0.003, 0.003), (0.005, 0.1, 0.003), (0.2, 0.05, 0.01)]:
        C, xi = ah.cooperativity(J, ka, kb), ah.damping_ratio(ka, kb)
        eta = ah.eta_bb_steady_rates(J, 2 * J, ka, kb)
        assert eta == pytest.approx(float(ah.eta_bb_steady(C, xi)), rel=1e-12)
        pa, pb = ah.optimal_couplings(ka, kb)
        eta_opt = ah.eta_bb_steady_rates(J, 2 * J, ka, kb, p_a=pa, p_b=pb)
        assert eta_opt == pytest.approx(ah.eta_bb_opt_steady(2 * J, J, ka, kb), rel=1e-12)
        assert eta_opt == pytest.approx(float(ah.eta_bb_opt_steady_C(C)), rel=1e-12)
        # engine
        nr = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1, p_a=pa, p_b=pb).steady_state()["energies"][1]
        rec = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
        assert nr / rec == pytest.approx(eta_opt, rel=1e-10)
    assert float(ah.eta_bb_steady(1e-8, 1.0)) == pytest.approx(4, rel=1e-3)
    assert float(ah.eta_bb_steady(1e8, 3.0)) == pytest.approx(4, rel=1e-3)
    # eta > 1 exactly outside [1/xi^2, xi^2]
    xi = 3.0
    assert ah.eta_bb_steady(xi ** 2 * 1.01, xi) > 1 > ah.eta_bb_steady(xi ** 2 * 0.99, xi)
    assert ah.eta_bb_steady(xi ** -2 * 0.99, xi) > 1 > ah.eta_bb_steady(xi ** -2 * 1.01, xi)
    assert ah.dissipative_cooperativity(0.04, 0.043) == pytest.approx(4 * 0.04 ** 2 / 0.043 ** 2)


def test_appendix_b_and_c():
    x = np.linspace(0.1, 20, 20001)
    ka, kb = 0.05, 0.01
    E = ah.steady_energy_nr_rescaled(x, 0.4, ka, kb, 0.1)
    assert x[np.argmax(E)] == pytest.approx(ah.damping_ratio(ka, kb), abs=2e-3)
    assert E.max() == pytest.approx(ah.steady_energy_nr_opt(0.2, ka, kb, 0.1), rel=1e-6)
    # chi is the minimum of D_t, reached at the first reciprocal peak
    r, y = 0.5, 0.15
    ts = float(ah.first_peak_times(r, y))
    tt = np.linspace(0.2 * ts, 6 * ts, 20001)
    D = ah.gap_all_times(tt, r, y)
    assert D.min() == pytest.approx(float(ah.chi(r, y)), rel=1e-4)
    assert tt[np.argmin(D)] == pytest.approx(ts, rel=1e-3)
    assert float(ah.chi(r, y)) > 0 > float(ah.chi_printed(r, y))
    assert float(ah.chi(1.0, 0.25)) < 0  # the 0.22 bound is close to sharp
    # printed C3 is wrong already at t = 0
    assert ah.gap_all_times([0.0], r, y)[0] == pytest.approx(8 / (r * np.sqrt(y) + 2) ** 4)
    assert abs(ah.gap_all_times_printed([0.0], r, y)[0] - 8 / (r * np.sqrt(y) + 2) ** 4) > 0.1


def test_adiabatic_elimination_numeric():
    g_a, g_b, kap = 0.05, 0.05j, 0.003
    errs = []
    for gc in (5.0, 50.0):
        G, pa, pb = ah.eliminated_reservoir(g_a, g_b, gc)
        J = ah.nonreciprocal_J(G, pa, pb)
        full = ah.auxiliary_mode_network(g_a, g_b, gc, kap, kap, 0.01, J=J)
        eff = ah.charger_battery(J, G, kap, kap, 0.01, p_a=pa, p_b=pb)
        t = np.linspace(0, 2000, 41)
        errs.append(np.max(np.abs(full.energies(t)[:, 1] - eff.energies(t)[:, 1])) / eff.energies(t)[:, 1].max())
    assert errs[1] < 1e-4 and errs[1] < errs[0] / 3


@pytest.mark.parametrize("call", [
    lambda: ah.energy_battery_nr(T, -0.1, 0.1, 0.1, 0.1),
    lambda: ah.energy_battery_nr(T, 0.1, float("nan"), 0.1, 0.1),
    lambda: ah.energy_battery_nr([-1.0], 0.1, 0.1, 0.1, 0.1),
    lambda: ah.charger_battery(0.1, 0.1, -0.003, 0.003, 0.1),
    lambda: ah.cooperativity(0.1, 0.0, 0.1),
    lambda: ah.energy_battery_reciprocal(T, 0.1, float("nan"), 0.1, 0.1),
    lambda: ah.eta_bb_steady(-1.0, 1.0),
    lambda: ah.chi(1.0, -0.1),
    lambda: ah.energy_battery_nr_printed(T, 0.1, 0.1, 0.2, 0.1, version="pra"),
])
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_bad_input_names_parameter():
    with pytest.raises(ValueError, match="kappa_b"):
        ah.charger_battery(0.1, 0.1, 0.003, -1.0, 0.1)
    with pytest.raises(ValueError, match="Gamma"):
        ah.nonreciprocal_battery(float("nan"), 0.1, 0.1, 0.1)


# ----------------------------------------------------------------------------- sympy
def test_sym_moment_equations():
    m = ahs.moment_equations()
    for k in m["derived"]:
        assert sp.simplify(m["derived"][k] - m["printed"][k]) == 0, k
    assert sp.simplify(m["derived"]["bdb"] - m["printed_arxiv"]["bdb"]) != 0


def test_sym_nonreciprocity():
    nr = ahs.nonreciprocity_condition()
    mu = -ahs.p_b * sp.conjugate(ahs.p_a)
    assert sp.simplify(nr["J"] - (-sp.I * mu * ahs.Gamma / 2)) == 0
    assert sp.simplify(nr["forward"] - sp.conjugate(mu) * ahs.Gamma) == 0
    assert not any(s.name.startswith("<a^dag b") or s.name.startswith("<b^dag a") for s in nr["ada_rhs"].free_symbols)


def test_sym_adiabatic_elimination():
    r = ahs.adiabatic_elimination()
    assert sp.simplify(r["A_eff"] - r["A_target"]) == sp.zeros(2, 2)
    assert sp.simplify(r["noise_eff"] - r["noise_target"]) == sp.zeros(2, 2)


def test_sym_ratios_and_appendices():
    r = ahs.steady_state_ratios()
    for k in ("10", "11", "12"):
        assert sp.simplify(r[f"eq{k}_derived"] - r[f"eq{k}_printed"]) == 0
    b = ahs.optimisation_appendix_b()
    assert sp.simplify(b["x_opt"] - ahs.xi) == 0
    assert sp.simplify(b["B6_derived"] - b["B6_printed"]) == 0
    a = ahs.detuning_appendix_a()
    assert a["difference"] == 0 and a["residual"] == 0


@pytest.mark.parametrize("J,ka,kb", [(0.02, 0.003, 0.003), (0.2, 0.05, 0.01), (0.005, 0.1, 0.003)])
def test_max_reciprocal(J, ka, kb):
    t = np.linspace(0, 20000, 400001)
    E = ah.energy_battery_reciprocal(t, J, ka, kb, 0.1)
    assert E.max() == pytest.approx(ah.max_energy_battery_reciprocal(J, ka, kb, 0.1), rel=2e-5)


def test_sym_nonreciprocal_solution():
    s = ahs.battery_energy_nonreciprocal()
    assert s["residual"] == sp.zeros(2, 1) and s["residual_sym"] == sp.zeros(2, 1)
    assert s["x0"] == sp.zeros(2, 1) and s["x0_sym"] == sp.zeros(2, 1)
    assert s["A"][0, 1] == 0  # no backflow at the nonreciprocal point
    assert sp.simplify(s["E_A"] - s["eq7_printed"]) == 0
    assert sp.simplify(s["E_B"] - s["eq5_prl"]) == 0
    assert sp.simplify(s["eq5_prl"] - s["eq5_square"]) == 0
    pt = {ahs.Lambda_a: 0.11, ahs.Lambda_b: 0.013, ahs.Lam: 0.043, ahs.Gamma: 0.01, ahs.E: 0.1, ahs.t: 50}
    assert abs(sp.N((s["E_B"] - s["eq5_arxiv"]).subs(pt))) > 1
    assert sp.simplify(s["E_B_sym"] - s["E_B_limit"]) == 0
    assert abs(sp.N((s["E_B_sym"] - s["eq6_printed"]).subs(pt))) > 1
    # the symbolic equal-rate solution is the numerical closed form
    f = sp.lambdify((ahs.t, ahs.Gamma, ahs.Lam, ahs.E), s["E_B_sym"])
    tt = np.linspace(0, 500, 11)
    np.testing.assert_allclose(f(tt, 0.04, 0.043, 0.1), ah.energy_battery_nr(tt, 0.04, 0.043, 0.043, 0.1), rtol=1e-12)


def test_sym_reciprocal_and_gap():
    r = ahs.battery_energy_reciprocal()
    assert r["residual_a"] == 0 and r["alpha0"] == 0 and r["beta0"] == 0
    assert r["difference"] != 0 and r["difference_minus_sinh_term"] == 0
    c = ahs.gap_appendix_c()
    assert sp.simplify(c["dg_dt"].subs(ahs.t, c["t_star"]).subs(c["k"], 0)) == 0
    assert c["C3_printed_excess_at_0"] != 0
    # chi from sympy equals the numerical chi, and the printed (C6) differs
    f = sp.lambdify((c["r"], c["y"]), c["chi"].subs(c["k"], 0))
    assert f(0.5, 0.15) == pytest.approx(float(ah.chi(0.5, 0.15)), rel=1e-12)
    g = sp.lambdify((c["r"], c["y"]), c["C6_printed"].subs(c["k"], 0))
    assert g(0.5, 0.15) == pytest.approx(float(ah.chi_printed(0.5, 0.15)), rel=1e-12)


def test_sym_fourfold_limits_and_cd_threshold():
    r = ahs.steady_state_ratios()
    assert r["eq10_limit_C0"] == 4 and r["eq10_limit_Cinf"] == 4
    u = r["u"]
    assert sp.simplify(r["eq10_xi1_minus_1"] / (u - 1) ** 2).subs(u, 1) > 0
    assert r["eq10_xi1_minus_1"].subs(u, 1) == 0
    assert r["Cd_threshold"] == [r["kappa"]]


@pytest.mark.parametrize("C,xi", [(5.0, 3.0), (177.8, 1.0), (0.333, 33.3 ** 0.5), (2.0, 1.0), (0.01, 0.2)])
def test_reciprocal_peak_factor(C, xi):
    J = 0.7
    s = 2 * J / np.sqrt(C)
    ka, kb = s * xi, s / xi
    t = np.linspace(0, 200 / J, 200001)
    E = ah.reciprocal_battery(J, ka, kb, 1.0).energies(t)[:, 1].max()
    zeta = ah.steady_energy_battery_reciprocal(J, ka, kb, 1.0)
    assert float(ah.reciprocal_peak_factor(C, xi)) == pytest.approx(E / zeta, rel=1e-5)
    with pytest.raises(ValueError, match="xi"):
        ah.reciprocal_peak_factor(C, 0.0)
