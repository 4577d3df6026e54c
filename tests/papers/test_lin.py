"""Tests for nrqb.papers.lin and nrqb.papers.lin_sym (Lin et al.)."""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import lin
from nrqb.papers import lin_sym

P = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1)
T = np.linspace(0, 2500, 251)


@pytest.mark.parametrize("r", [0.01, 0.3, 1.0, 1.0 + 1e-9, 3.0, 100.0])
def test_closed_forms_match_engine(r):
    p = dict(P, kappa_b=0.003 * r)
    net = lin.effective_network(**p)
    E = net.energies(T)
    scale = E[:, 1].max()
    np.testing.assert_allclose(E[:, 1], lin.battery_occupation(T, **p), rtol=1e-9, atol=1e-11 * scale)
    np.testing.assert_allclose(E[:, 0], lin.charger_occupation(T, Gamma=0.04, kappa_a=0.003, eps=0.1), rtol=1e-10, atol=1e-12)
    alpha = net.amplitudes(T)
    np.testing.assert_allclose(np.conj(alpha[:, 0]) * alpha[:, 1], lin.coherence_ab(T, **p), atol=1e-10 * scale)
    np.testing.assert_allclose(lin.network_power(net, T), lin.battery_power(T, **p), atol=1e-12)
    EA, EB = lin.steady_energies(**p)
    np.testing.assert_allclose(net.steady_state()["energies"], [EA, EB], rtol=1e-10)
    np.testing.assert_allclose(lin.steady_energies_as_printed(**p), (EA, EB), rtol=1e-12)


def test_printed_forms_agree_away_from_singularity_and_fail_at_it():
    p = dict(P, kappa_b=0.006)
    np.testing.assert_allclose(lin.battery_occupation_as_printed(T, **p), lin.battery_occupation(T, **p), rtol=1e-8)
    np.testing.assert_allclose(lin.coherence_ab_as_printed(T, **p), lin.coherence_ab(T, **p), rtol=1e-8, atol=1e-10)
    with pytest.raises(ValueError, match="0/0"):
        lin.battery_occupation_as_printed(T, **P)
    # the stable form at the singular point equals the Jordan-block result
    L = 0.043
    beta = 4 * 0.1 * 0.04 / L * ((1 - np.exp(-L * T / 2)) / L - T / 2 * np.exp(-L * T / 2))
    np.testing.assert_allclose(lin.battery_occupation(T, **P), beta**2, rtol=1e-12, atol=1e-14)
    # continuity across the singular point
    near = lin.battery_occupation(T, **dict(P, kappa_b=0.003 * (1 + 1e-7)))
    np.testing.assert_allclose(near, beta**2, rtol=1e-6)


def test_power_is_derivative():
    t = np.linspace(10, 300, 30)
    h = 1e-3
    fd = (lin.battery_occupation(t + h, **P) - lin.battery_occupation(t - h, **P)) / (2 * h)
    np.testing.assert_allclose(lin.battery_power(t, **P), fd, rtol=1e-6)


def test_detuned_power_engine_vs_fd():
    net = lin.effective_network(**P, Delta_b_p=0.1)
    t = np.linspace(1, 200, 20)
    h = 1e-4
    fd = (net.energies(t + h)[:, 1] - net.energies(t - h)[:, 1]) / (2 * h)
    np.testing.assert_allclose(lin.network_power(net, t), fd, rtol=1e-5, atol=1e-9)


def test_full_model_eliminates_to_effective():
    full, eff, par = lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    np.testing.assert_allclose(par["g"], np.sqrt(0.2))
    np.testing.assert_allclose(par["Gamma"], 0.04)
    np.testing.assert_allclose(par["Gamma_printed"], 0.02)  # the factor of two
    # steady state: elimination is exact at zero frequency
    np.testing.assert_allclose(full.steady_state()["energies"][:2], eff.steady_state()["energies"], rtol=1e-12)
    Ef = full.energies(T)[:, 1]
    Ee = eff.energies(T)[:, 1]
    err = np.max(np.abs(Ef - Ee)) / Ee[-1]
    assert 1e-5 < err < 1e-3
    # detuned bad cavity: still nonreciprocal, still exact in steady state
    full, eff, par = lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.003, eps=0.1, Delta_c=30)
    assert abs(eff.drift[0, 1]) < 1e-15
    np.testing.assert_allclose(full.steady_state()["energies"][:2], eff.steady_state()["energies"], rtol=1e-11)


def test_ep():
    for r, Delta in [(0.1, 0.0), (1.0, 0.02), (5.0, 0.0)]:
        J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, Delta=Delta)
        M = lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, J=J, Delta_b_p=Delta)
        assert abs(lin.ep_discriminant(M)) < 1e-14
        ev = lin.dynamical_eigenvalues(M)
        assert abs(ev[0] - ev[1]) < 1e-6
        net = lin.effective_network(**dict(P, kappa_b=0.003 * r), J=J, Delta_b_p=Delta)
        np.testing.assert_allclose(net.drift, M, atol=1e-15)
        np.testing.assert_allclose(
            net.steady_state()["energies"][1],
            lin.steady_battery_energy(**dict(P, kappa_b=0.003 * r), J=J, Delta_b_p=Delta), rtol=1e-10)
    np.testing.assert_allclose(lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.02),
                               np.sqrt(0.04**2 - 0.02**2) / 2)
    with pytest.raises(ValueError, match="no real J"):
        lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.03, Delta=0.01)
    with pytest.raises(ValueError, match="no real J"):
        lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.05)


@pytest.mark.parametrize("bad", [dict(Gamma=-1.0), dict(kappa_a=np.nan), dict(kappa_b=-0.1)])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        lin.battery_occupation(T, **dict(P, **bad))
    with pytest.raises(ValueError):
        lin.effective_network(**dict(P, **bad))


def test_bad_input_misc():
    with pytest.raises(ValueError, match="gamma_m"):
        lin.elimination_parameters(0.1, 0.1, 0.0)
    with pytest.raises(ValueError, match="g_a"):
        lin.full_network(g_a=-1, g_b=0.1, gamma_m=1, J=0, phi=0, kappa_a=0, kappa_b=0, eps=0)
    with pytest.raises(ValueError, match="not real"):
        lin.effective_network(**P, phi=0.3)
    with pytest.raises(ValueError, match="J"):
        lin.effective_network(**P, J=1j)


def test_sympy_elimination_and_moments():
    assert sp.simplify(lin_sym.projection_elimination() - lin_sym.paper_eq18()) == sp.zeros(2, 2)
    # Lindblad + adiabatic elimination gives drift -i h_eff: amplitude damping Gamma_a, not Gamma_a/2
    assert sp.simplify(lin_sym.langevin_elimination() + sp.I * lin_sym.projection_elimination()) == sp.zeros(2, 2)
    lhs, rhs = lin_sym.anti_hermitian_part()
    assert sp.simplify(lhs - rhs) == 0
    ours, paper, fixed = lin_sym.lindblad_moments(), lin_sym.paper_eq5_eq6(), lin_sym.paper_eq5_eq6(sign_fix=True)
    for k in ours:
        assert sp.simplify(sp.expand(ours[k] - fixed[k])) == 0, k
    assert sp.simplify(sp.expand(ours["adag a"] - paper["adag a"])) != 0
    Jm, J0 = lin_sym.nonreciprocal_condition()
    s = lin_sym.SYM
    assert sp.simplify(Jm - sp.I * s["Gamma"] / 2 * sp.exp(-sp.I * s["phi"])) == 0
    assert sp.simplify(J0 - s["Gamma"] / 2) == 0


def test_sympy_commutator_is_unphysical():
    cm = lin_sym.commutator_moments()
    a_rhs, ad_rhs = cm["a"], cm["adag"]
    # d<a^dag>/dt is not the conjugate of d<a>/dt
    conj = sp.conjugate(a_rhs).subs({sp.conjugate(sp.Symbol("<a>")): sp.Symbol("<a^dag>"),
                                     sp.conjugate(sp.Symbol("<b>")): sp.Symbol("<b^dag>")})
    assert sp.simplify(sp.expand(ad_rhs - conj)) != 0


def test_sympy_ep():
    e = lin_sym.ep_couplings()
    s = lin_sym.SYM
    assert sp.simplify(e["im_J2"] - e["Delta"] * e["kappa"] * (e["r"] - 1) / 4) == 0
    assert sp.simplify(e["r1"][1] - sp.sqrt(s["Gamma"] ** 2 - e["Delta"] ** 2) / 2) == 0
    (lp, lm), disc = lin_sym.paper_eq14_discriminant()
    M = lin_sym.dynamical_matrix()
    # printed first term is minus the half trace
    assert sp.simplify((lp + lm) / 2 + (M[0, 0] + M[1, 1]) / 2) == 0


def test_network_power_is_engine_power():
    net = lin.effective_network(**P, Delta_b_p=0.01)
    t = np.linspace(0, 300, 31)
    np.testing.assert_array_equal(lin.network_power(net, t), net.power(t)[:, 1])
    np.testing.assert_array_equal(lin.network_power(net, t, mode=-2), net.power(t)[:, 0])
    full, _, _ = lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    h = 1e-3
    fd = (full.energies(t[1:] + h)[:, 1] - full.energies(t[1:] - h)[:, 1]) / (2 * h)
    np.testing.assert_allclose(lin.network_power(full, t[1:]), fd, rtol=1e-5, atol=1e-9)
    with pytest.raises(ValueError, match="mode"):
        lin.network_power(net, t, mode=2)
    with pytest.raises(ValueError, match="mode"):
        lin.network_power(net, t, mode=1.0)
    with pytest.raises(ValueError, match="LinearNetwork"):
        lin.network_power("net", t)


def test_battery_energy_symmetric_in_local_rates():
    a = lin.battery_occupation(T, Gamma=0.04, kappa_a=0.003, kappa_b=0.03, eps=0.1)
    b = lin.battery_occupation(T, Gamma=0.04, kappa_a=0.03, kappa_b=0.003, eps=0.1)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    # but the charger is not: E_A depends on kappa_a only
    assert not np.allclose(lin.charger_occupation(T, Gamma=0.04, kappa_a=0.003, eps=0.1),
                           lin.charger_occupation(T, Gamma=0.04, kappa_a=0.03, eps=0.1))


def test_printed_quantities_and_readings():
    R = lin.paper_readings()
    q = {k: lin.printed_quantities(v["make"], J_axis=v["J_axis"]) for k, v in R.items()}
    o = q["ours"]
    EA, EB = lin.steady_energies(**P)
    np.testing.assert_allclose(o["EB_inf_0"], EB, rtol=1e-10)
    np.testing.assert_allclose(o["eta_inf"], EB / (EA + EB), rtol=1e-10)
    tt = o["Jt_peak"] / 0.02
    np.testing.assert_allclose(o["P_peak"], lin.battery_power(np.array([tt]), **P)[0], rtol=1e-10)
    np.testing.assert_allclose(o["EB_Jt_r0"], lin.battery_occupation(np.array([200.0]), **dict(P, kappa_b=0.03))[0],
                               rtol=1e-9)
    # three-mode model: steady state exact
    np.testing.assert_allclose(q["three_mode"]["EB_inf_0"], EB, rtol=1e-10)
    # the time axis changes where things happen on the axis, not the physics at the power peak
    np.testing.assert_allclose(q["axis_Gamma"]["eta_at_peak"], o["eta_at_peak"], atol=2e-3)
    np.testing.assert_allclose(q["axis_Gamma4"]["Jt_peak"], o["Jt_peak"] / 2, atol=5e-3)
    # the doubled time axis reads eta = 0.75 at Jt = 2 and E_B(r = 0.01) = 86 at Jt = 4, but not 14.8
    assert abs(q["axis_Gamma4"]["eta_at_Jt"] - 0.75) < 0.01 and abs(q["axis_Gamma4"]["EB_Jt_r1"] / 87 - 1) < 0.02
    assert abs(q["axis_Gamma4"]["EB_Jt_r0"] / 14.8 - 1) > 0.5
    # holding kappa_b fixed reverses the trend of Fig. 3
    assert q["kb_fixed"]["EB_Jt_r0"] > 10 * q["kb_fixed"]["EB_Jt_r1"]
    # no reading gives both Fig. 3 numbers, and none gives eta = 0.75 at the power peak
    for k, v in q.items():
        assert not (abs(v["EB_Jt_r0"] / 14.8 - 1) < 0.05 and abs(v["EB_Jt_r1"] / 87 - 1) < 0.05), k
        assert v["eta_at_peak"] < 0.65, k
    with pytest.raises(ValueError, match="J_axis"):
        lin.printed_quantities(R["ours"]["make"], J_axis=0.0)
    with pytest.raises(ValueError, match="callable"):
        lin.printed_quantities(None, J_axis=0.02)
    with pytest.raises(ValueError, match="gamma"):
        lin.paper_readings(gamma=-1.0)


def test_steady_offset_readings():
    F = lin.steady_offset_readings(75.9)
    assert set(F) == {"fit_Gamma", "fit_kappa", "fit_kappa_b", "fit_J"}
    for k, v in F.items():
        q = lin.printed_quantities(v["make"], J_axis=v["J_axis"])
        np.testing.assert_allclose(q["EB_inf_0"], 75.9, rtol=1e-9)
        assert abs(q["EB_inf_001"] / 62.2 - 1) < 3e-3, k      # the printed steady values are mutually consistent
        assert abs(q["EB_inf_01"] / 3.3 - 1) < 0.015, k
    np.testing.assert_allclose(F["fit_Gamma"]["value"], 0.03969, atol=1e-5)
    with pytest.raises(ValueError, match="not reached"):
        lin.steady_offset_readings(1000.0)
