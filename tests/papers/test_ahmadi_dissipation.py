"""nrqb.papers.ahmadi: dissipation against damping, the engine's eta_BB, Appendix C by the engine.

Each function is compared with an independent route (closed forms against the engine, the engine
against closed forms, exact integrals) at tolerances far below 1e-3.
"""

import numpy as np
import pytest

from nrqb.engine import NetworkBuilder
from nrqb.papers import ahmadi as ah


# ----------------------------------------------------------------------------- steady storage per power
@pytest.mark.parametrize("J,kappa", [(0.02, 0.003), (0.02, 0.04), (0.02, 0.1), (0.5, 0.07), (0.01, 2.0)])
def test_storage_per_power_ratio_is_the_engine_ratio(J, kappa):
    """E_B / P_in from the engine's steady amplitudes, with P_in = the total loss rate (kappa |a|^2 +
    kappa |b|^2 + Gamma |a + b|^2, a second route to the input power)."""
    E = 0.1
    vals = []
    for net, G in ((ah.reciprocal_battery(J, kappa, kappa, E), 0.0), (ah.nonreciprocal_battery(2 * J, kappa, kappa, E), 2 * J)):
        a, b = net.steady_state()["amplitudes"]
        p_loss = kappa * (abs(a) ** 2 + abs(b) ** 2) + G * abs(a + b) ** 2
        vals.append(abs(b) ** 2 / p_loss)
    ratio = vals[1] / vals[0]
    assert float(ah.storage_per_power_ratio(ah.cooperativity(J, kappa, kappa))) == pytest.approx(ratio, rel=1e-10)


def test_storage_per_power_ratio_crosses_one_at_C_equal_one():
    C = np.array([0.5, 0.99, 1.0, 1.01, 2.0])
    r = ah.storage_per_power_ratio(C)
    assert np.all(r[:2] > 1) and r[2] == pytest.approx(1.0, abs=1e-15) and np.all(r[3:] < 1)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf, 1j])
def test_storage_per_power_ratio_rejects(bad):
    with pytest.raises(ValueError, match="C"):
        ah.storage_per_power_ratio(bad)


# ----------------------------------------------------------------------------- transient cost
def test_charging_cost_single_path_exact():
    """Nonreciprocal symmetric pair at p_a = p_b = 1: the charger alone loses (kappa + Gamma)|a|^2 with
    |a|^2 = (4E^2/L^2)(1 - e^{-Lt/2})^2; check W against the exact work of the drive,
    int 2E |a| dt = (4E^2/L)[t - (2/L)(1 - e^{-Lt/2})], and the balance W = Q + E_A + E_B."""
    G, k, E = 0.04, 0.003, 0.1
    L = G + k
    net = ah.nonreciprocal_battery(G, k, k, E)
    level = 0.5 * ah.steady_energy_battery_nr(G, L, L, E)
    t_hit = ah.high_energy_windows(G / 2, G, k, k, level, t_max=5000, drive=E)["nonreciprocal"][0][0]
    c = ah.charging_cost(net, level, t_hit)
    work = 4 * E**2 / L * (t_hit - 2 / L * -np.expm1(-L * t_hit / 2))
    assert c["W"] == pytest.approx(work, rel=1e-9)
    assert c["E_A"] == pytest.approx(float(ah.energy_charger_nr([t_hit], L, E)[0]), rel=1e-10)
    assert c["E_B"] == pytest.approx(level, rel=1e-9)
    assert c["W"] == pytest.approx(c["Q"] + c["E_A"] + c["E_B"], rel=1e-9)
    assert c["Q"] == pytest.approx(c["Q_local"] + c["Q_shared"], rel=1e-14) and c["t"] == t_hit


def test_charging_cost_reciprocal_local_loss_exact():
    """Reciprocal pair: Q = kappa int (|a|^2 + |b|^2) dt, integrated here by scipy quad on the engine's
    amplitudes (another quadrature)."""
    from scipy.integrate import quad
    J, k, E = 0.02, 0.01, 0.1
    net = ah.reciprocal_battery(J, k, k, E)
    level = 0.5 * ah.max_energy_battery_reciprocal(J, k, k, E)
    t_hit = ah.high_energy_windows(J, 2 * J, k, k, level, t_max=2000, drive=E)["reciprocal"][0][0]
    c = ah.charging_cost(net, level, t_hit)
    q = quad(lambda t: k * float(np.sum(np.abs(net.amplitudes([t])[0]) ** 2)), 0, t_hit, epsabs=0, epsrel=1e-12, limit=200)[0]
    assert c["Q_local"] == pytest.approx(q, rel=1e-9) and c["Q_shared"] == 0


def test_charging_cost_rejects():
    net = ah.reciprocal_battery(0.02, 0.01, 0.01, 0.1)
    with pytest.raises(ValueError, match="t_hit"):
        ah.charging_cost(net, 1.0, 10.0)
    with pytest.raises(ValueError, match="level"):
        ah.charging_cost(net, -1.0, 10.0)
    with pytest.raises(ValueError, match="n"):
        ah.charging_cost(net, 1.0, 10.0, n=100)
    with pytest.raises(ValueError, match="net"):
        ah.charging_cost(NetworkBuilder().mode("a", loss=0.1).drive("a", 0.1).build(), 1.0, 10.0)


def test_dissipation_vs_damping_against_direct_runs():
    """Each entry against a direct computation: steady ratios against the closed form
    storage_per_power_ratio and the steady energies; the level; the costs against charging_cost on
    the networks built here."""
    J, E, ks = 0.02, 0.1, [0.003, 0.1]
    d = ah.dissipation_vs_damping(J, ks, E)
    np.testing.assert_allclose(d["per_power_nr"] / d["per_power_rec"], ah.storage_per_power_ratio(d["C"]), rtol=1e-10)
    for i, k in enumerate(ks):
        L = 2 * J + k
        assert d["per_power_nr"][i] == pytest.approx(4 * (2 * J) ** 2 / L**3, rel=1e-10)       # 4 Gamma^2 / Lambda^3
        C = 4 * J**2 / k**2
        assert d["per_power_rec"][i] == pytest.approx(C / (k * (1 + C)), rel=1e-10)
        lev = 0.5 * min(ah.max_energy_battery_reciprocal(J, k, k, E), ah.steady_energy_battery_nr(2 * J, L, L, E))
        assert d["level"][i] == pytest.approx(lev, rel=1e-12) and d["C"][i] == pytest.approx(C, rel=1e-12)
        for name, net in (("rec", ah.reciprocal_battery(J, k, k, E)), ("nr", ah.nonreciprocal_battery(2 * J, k, k, E))):
            assert net.energies([d["t_" + name][i]])[0, 1] == pytest.approx(lev, rel=1e-9)
            c = ah.charging_cost(net, lev, d["t_" + name][i])
            assert d["W_" + name][i] == pytest.approx(c["W"], rel=1e-12) and d["Q_" + name][i] == pytest.approx(c["Q"], rel=1e-12)
            if name == "nr":
                assert d["Q_nr_shared"][i] == pytest.approx(c["Q_shared"], rel=1e-12)
    # weak damping: reciprocal cheaper; strong damping: nonreciprocal cheaper (both measures)
    assert d["Q_nr"][0] > d["Q_rec"][0] and d["Q_nr"][1] < d["Q_rec"][1]


@pytest.mark.parametrize("kw,match", [(dict(J=0.0), "J"), (dict(kappas=[-0.1]), "kappas"), (dict(fraction=1.0), "fraction")])
def test_dissipation_vs_damping_rejects(kw, match):
    args = dict(J=0.02, kappas=[0.01], drive=0.1)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        ah.dissipation_vs_damping(**args)


# ----------------------------------------------------------------------------- eta_BB from the engine
@pytest.mark.parametrize("C,xi", [(0.01, 1.0), (1.0, 1.0), (33.0, 5.77), (5.77**-2, 5.77), (200.0, 0.3)])
def test_eta_bb_steady_engine_is_paper_eq10(C, xi):
    assert ah.eta_bb_steady_engine(C, xi) == pytest.approx(float(ah.eta_bb_steady(C, xi)), rel=1e-10)


def test_eta_bb_steady_engine_other_gamma_is_eq11_form():
    """At Gamma = 3|J| the ratio is 16 Gamma^2 |J|^{-2}... compared with eta_bb_steady_rates (paper
    Eq. (10) generalised to any Gamma), and differs from Eq. (10) itself."""
    s, C, xi = 0.01, 4.0, 2.0
    ka, kb, J = s * xi, s / xi, s * np.sqrt(C) / 2
    val = ah.eta_bb_steady_engine(C, xi, Gamma_over_J=3.0)
    assert val == pytest.approx(float(ah.eta_bb_steady_rates(J, 3 * J, ka, kb)), rel=1e-10)
    assert abs(val / float(ah.eta_bb_steady(C, xi)) - 1) > 1e-2


@pytest.mark.parametrize("xi", [1.0, 2.0, 5.77])
def test_eta_bb_min_engine(xi):
    C_min, e_min = ah.eta_bb_min_engine(xi)
    assert e_min == pytest.approx(16 / (2 + xi + 1 / xi) ** 2, rel=1e-9)
    assert C_min == pytest.approx(1.0, rel=1e-4)       # flat minimum: the argmin is known to sqrt(tolerance)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_eta_bb_engine_rejects(bad):
    with pytest.raises(ValueError, match="C"):
        ah.eta_bb_steady_engine(bad, 1.0)
    with pytest.raises(ValueError, match="xi"):
        ah.eta_bb_min_engine(bad)


# ----------------------------------------------------------------------------- Appendix C by the engine
@pytest.mark.parametrize("r,y", [(0.25, 0.2), (1.0, 0.1), (4.5, 0.2), (4.77, 0.18)])
def test_appendix_c_gap_engine_is_chi(r, y):
    """The engine's gap equals the corrected chi (closed form) to far below its own size."""
    g = ah.appendix_c_gap_engine(r, y)
    chi = float(ah.chi(r, y))
    assert abs(g["gap_over_N"] - chi) < 1e-12 + 1e-9 * abs(chi)
    assert g["t_max"] == pytest.approx(float(ah.first_peak_times(r, y, 1.0)), rel=2e-5)   # flat maximum
    assert g["E_rec_max"] == pytest.approx(ah.max_energy_battery_reciprocal(1.0, r, r * y, 1.0), rel=1e-12)
    assert g["E_opt"] == pytest.approx(ah.steady_energy_nr_opt(1.0, r, r * y, 1.0), rel=1e-12)


def test_appendix_c_counterexample_sign():
    """kappa_a = 4.5 |J|, kappa_b = kappa_a / 5: the reciprocal first peak beats the optimised steady state."""
    g = ah.appendix_c_gap_engine(4.5, 0.2)
    assert g["E_rec_max"] > g["E_opt"] and 5e-5 < g["E_rec_max"] / g["E_opt"] - 1 < 2e-4


@pytest.mark.parametrize("r,y,match", [(0.0, 0.2, "r"), (6.0, 0.1, "r and y"), (1.0, -0.1, "y")])
def test_appendix_c_gap_engine_rejects(r, y, match):
    with pytest.raises(ValueError, match=match):
        ah.appendix_c_gap_engine(r, y)
