"""Tests for nrqb.papers.lin (Lin et al.): every closed form against an independent route.

The independent routes are the exact engine (:class:`nrqb.LinearNetwork`, built here directly
from its Hamiltonian and jumps where the closed form would otherwise be compared with itself),
the sympy derivations of :mod:`nrqb.papers.lin_sym`, finite differences, and exact numbers.
Tolerances are far below 1e-3 so that a result scaled by (1 + 1e-3), or conjugated, fails.
"""

import numpy as np
import pytest
import sympy as sp

from nrqb import LinearNetwork
from nrqb.papers import lin
from nrqb.papers import lin_sym

P = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1)
T = np.linspace(0, 2500, 251)
S = lin_sym.SYM


def direct_network(*, Gamma, kappa_a, kappa_b, eps, J, phi=np.pi / 2, Dpa=0.0, Dpb=0.0, G=0.0):
    """The effective model built here from its master equation (not through lin.effective_network)."""
    Jm = J - G * np.exp(-1j * phi)
    h = np.array([[Dpa, Jm], [np.conj(Jm), Dpb]])
    return LinearNetwork(h, loss=[kappa_a, kappa_b], jumps=[(Gamma, [1.0, np.exp(-1j * phi)])], drive=[eps, 0.0])


def num(expr, vals):
    return complex(sp.N(expr.subs(vals), 30))


GEN = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, J=0.013, phi=1.1, Dpa=0.002, Dpb=-0.005, G=0.004)
GEN_SYM = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.006, S["eps"]: 0.1, S["J"]: 0.013, S["phi"]: 1.1,
           S["Dpa"]: 0.002, S["Dpb"]: -0.005, S["G"]: 0.004}


# ------------------------------------------------------------------------- the elimination of c
def test_elimination_parameters_against_engine_schur_complement():
    g_a, g_b, gm, Da, Db, Dc, J, phi = 0.3, 0.45, 7.0, 0.02, -0.03, 2.5, 0.011, 0.7
    el = lin.elimination_parameters(g_a, g_b, gm, Delta_a=Da, Delta_b=Db, Delta_c=Dc)
    full = lin.full_network(g_a=g_a, g_b=g_b, gamma_m=gm, J=J, phi=phi, kappa_a=0.0, kappa_b=0.0, eps=0.0,
                            Delta_a=Da, Delta_b=Db, Delta_c=Dc)
    A2 = full.eliminated_drift([0, 1])                      # engine: Lindblad gamma_m D[c], c slaved
    heff = np.array([[el["Delta_a_p"] - 1j * el["Gamma_a_printed"],
                      J - (el["G"] + 1j * el["Gamma_printed"]) * np.exp(-1j * phi)],
                     [J - (el["G"] + 1j * el["Gamma_printed"]) * np.exp(1j * phi),
                      el["Delta_b_p"] - 1j * el["Gamma_b_printed"]]])
    np.testing.assert_allclose(A2, -1j * heff, rtol=1e-12, atol=1e-15)   # Eq. (18) with the printed rates
    # the rates that damp the populations are twice the printed ones
    np.testing.assert_allclose(-2 * A2.real.diagonal(), [el["Gamma_a"], el["Gamma_b"]], rtol=1e-12)
    np.testing.assert_allclose(2 * abs(A2[0, 1] + 1j * J), el["Gamma"] * np.hypot(1, Dc / el["gamma"]),
                               rtol=1e-12)
    assert el["gamma"] == gm / 2 and el["D"] == pytest.approx(Dc**2 + gm**2 / 4, rel=1e-15)


def test_matched_full_network_is_the_engines_elimination():
    for Dc, Delta in [(0.0, 0.0), (30.0, 0.01), (-4.0, -0.02)]:
        full, eff, par = lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.006, eps=0.1,
                                                  Delta_c=Dc, Delta=Delta)
        np.testing.assert_allclose(eff.drift, full.eliminated_drift([0, 1]), rtol=1e-12, atol=1e-16)
        assert abs(eff.drift[0, 1]) < 1e-15                                   # nonreciprocal
        np.testing.assert_allclose(-2 * eff.drift[0, 0].real - 0.003, 0.04, rtol=1e-12)
        np.testing.assert_allclose(full.steady_state()["energies"][:2], eff.steady_state()["energies"], rtol=1e-11)
        np.testing.assert_allclose(par["g"] ** 2, 0.04 * (Dc**2 + 100) / 20, rtol=1e-13)


def test_sec5_rates_numbers():
    s = lin.sec5_rates()
    np.testing.assert_allclose(s["Gamma_text"], 0.33**2 / 5, rtol=1e-14)
    np.testing.assert_allclose(s["Gamma_def"], 2 * 0.33**2 / 5, rtol=1e-14)
    np.testing.assert_allclose(s["Gamma_engine"], 4 * 0.33**2 / 5, rtol=1e-12)      # 0.08712
    np.testing.assert_allclose(s["J_nr"], 0.04356, rtol=1e-12)
    np.testing.assert_allclose(s["J_nr_text"], 0.01089, rtol=1e-12)
    np.testing.assert_allclose(s["backflow"], abs(0.01 - 0.04356) / 0.04356, rtol=1e-10)
    np.testing.assert_allclose(s["ratio_EB_EA"], 4 * 0.08712**2 / (0.08712 + 0.06) ** 2, rtol=1e-10)
    np.testing.assert_allclose(s["ratio_EB_EA_text"], 4 * 0.02178**2 / (0.02178 + 0.06) ** 2, rtol=1e-12)
    # the proposal as printed (J = 0.01): E_B/E_A = (2J + Gamma)^2/Lambda_b^2 of the effective model at Delta = 0
    np.testing.assert_allclose(s["ratio_EB_EA_printed_J"], (0.02 + 0.08712) ** 2 / (0.08712 + 0.06) ** 2, rtol=1e-10)
    ss = direct_network(Gamma=0.08712, kappa_a=0.08, kappa_b=0.06, eps=1.0, J=0.01).steady_state()["energies"]
    np.testing.assert_allclose(s["ratio_EB_EA_printed_J"], ss[1] / ss[0], rtol=1e-10)
    # re-tuned to the nonreciprocal J, the three-mode steady state gives the headline 1.40
    np.testing.assert_allclose(lin.sec5_rates(J=0.04356)["ratio_EB_EA_printed_J"], s["ratio_EB_EA"], rtol=1e-10)


def test_memory_matrix_against_sympy():
    mc = lin_sym.memory_correction()
    for Dc, phi in [(0.0, np.pi / 2), (7.0, 1.1), (-25.0, 0.3)]:
        N = lin.memory_matrix(Gamma=0.04, gamma_m=20.0, phi=phi, Delta_c=Dc)
        vals = {S["Gamma"]: 0.04, S["gamma"]: 10.0, S["phi"]: phi, S["Delta_c"]: Dc}
        Ns = np.array([[num(mc["N_Gamma"][i, j], vals) for j in range(2)] for i in range(2)])
        np.testing.assert_allclose(N, Ns, rtol=1e-12, atol=1e-18)


def test_first_order_elimination_error_predicts_the_three_mode_model():
    t = np.linspace(0, 1500, 61)
    for Dc_over_gamma, Delta in [(0.0, 0.0), (0.5, 0.0), (5.0, 0.0), (1.0, 0.01), (0.3, -0.02)]:
        gm = 400.0
        full, eff, _ = lin.matched_full_network(Gamma=0.04, gamma_m=gm, kappa_a=0.003, kappa_b=0.003, eps=0.1,
                                                Delta_c=Dc_over_gamma * gm / 2, Delta=Delta)
        diff = full.energies(t)[:, 1] - eff.energies(t)[:, 1]
        pred = lin.elimination_first_order(t, Gamma=0.04, gamma_m=gm, kappa_a=0.003, kappa_b=0.003, eps=0.1,
                                           Delta_c=Dc_over_gamma * gm / 2, Delta=Delta)
        Einf = eff.steady_state()["energies"][1]
        # the residual is second order, (Gamma/gamma_m)^2 ~ 1e-8; a 1e-3 error of the prediction is ~2e-8
        assert np.max(np.abs(diff - pred)) < 4e-9 * Einf, Dc_over_gamma
        if Dc_over_gamma != 1.0:
            assert np.max(np.abs(pred)) > 1e-5 * Einf


def test_first_order_stepping_matches_one_exponential_per_time():
    # the stepped propagation (one expm per distinct step, times sorted first) against expm(big t) at each
    # time, the defining formula; unsorted, repeated and non-uniform times included
    import scipy.linalg as sla
    kw = dict(Gamma=0.04, gamma_m=20.0, kappa_a=0.003, kappa_b=0.005, eps=0.1, Delta_c=3.0, Delta=0.01)
    t = np.array([300.0, 0.0, 12.5, 12.5, 1.0, 700.0, 40.0])
    p = lin.elimination_first_order(t, **kw)
    _, eff, par = lin.matched_full_network(**kw)
    A, F = eff.drift, -1j * np.array([0.1, 0.0])
    N = lin.memory_matrix(Gamma=0.04, gamma_m=20.0, phi=par["phi"], Delta_c=3.0)
    big = np.zeros((5, 5), complex)
    big[:2, :2], big[:2, 2:4], big[:2, 4], big[2:4, 2:4], big[2:4, 4] = A, N @ A, N @ F, A, F
    ref = [2 * np.real(np.conj(x[3]) * x[1]) for x in (sla.expm(big * tk)[:, 4] for tk in t)]
    np.testing.assert_allclose(p, ref, rtol=1e-10, atol=1e-12 * np.max(np.abs(ref)))
    assert p[1] == 0.0 and np.max(np.abs(p)) > 0


def test_first_order_law_in_Delta_c():
    t = np.linspace(0, 1500, 61)
    kw = dict(Gamma=0.04, gamma_m=20.0, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    p0 = lin.elimination_first_order(t, **kw)
    for x in (0.5, 0.8, 1.0, 2.0, 5.0):
        px = lin.elimination_first_order(t, **kw, Delta_c=10.0 * x)
        np.testing.assert_allclose(px, p0 * (1 - x**2) / (1 + x**2), rtol=1e-9, atol=1e-12 * np.max(np.abs(p0)))
    # with a detuned battery the imaginary part of z*/z contributes and the error at Delta_c = gamma survives
    pD = lin.elimination_first_order(t, **kw, Delta_c=10.0, Delta=0.01)
    assert np.max(np.abs(pD)) > 0.3 * np.max(np.abs(p0))


def test_elimination_error_and_scan():
    t = np.linspace(0, 1500, 31)
    e = lin.elimination_error(Gamma=0.04, gamma_m=20.0, kappa_a=0.003, kappa_b=0.003, eps=0.1, t=t)
    full, eff, par = lin.matched_full_network(Gamma=0.04, gamma_m=20.0, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    Einf = 16 * 0.01 * 0.04**2 / 0.043**4
    np.testing.assert_allclose(e["transient"], np.max(np.abs(full.energies(t)[:, 1] - eff.energies(t)[:, 1])) / Einf,
                               rtol=1e-9)
    assert e["steady"] < 1e-12 and e["residual"] < 2e-3 * e["first_order"]
    np.testing.assert_allclose(e["g"], np.sqrt(0.2), rtol=1e-14)
    sc = lin.elimination_scan([20.0, 200.0], [0.0, 1.0], t=t)
    assert sc["transient"].shape == (2, 2)
    np.testing.assert_allclose(sc["transient"][0, 0], e["transient"], rtol=1e-12)
    full2, eff2, _ = lin.matched_full_network(Gamma=0.04, gamma_m=200.0, kappa_a=0.003, kappa_b=0.003, eps=0.1,
                                              Delta_c=100.0)
    np.testing.assert_allclose(sc["transient"][1, 1],
                               np.max(np.abs(full2.energies(t)[:, 1] - eff2.energies(t)[:, 1])) / Einf, rtol=1e-9)
    np.testing.assert_allclose(sc["g"][1, 1], np.sqrt(0.04 * 2 * 100**2 / 200), rtol=1e-13)
    # the transient error falls as Gamma/gamma_m
    np.testing.assert_allclose(sc["first_order"][0, 1] / sc["first_order"][0, 0], 0.1, rtol=1e-9)


def test_elimination_kappa_scan():
    ks = [0.003, 0.3, 1.0]
    sc = lin.elimination_kappa_scan(ks, gamma_m=20.0, n_t=401)
    for i, k in enumerate(ks):
        t = np.linspace(0, 60 / (0.04 + k), 401)
        full, eff, _ = lin.matched_full_network(Gamma=0.04, gamma_m=20.0, kappa_a=k, kappa_b=k, eps=0.1)
        Einf = 16 * 0.01 * 0.04**2 / (0.04 + k) ** 4                       # paper Eq. (10), kappa_a = kappa_b
        direct = np.max(np.abs(full.energies(t)[:, 1] - eff.energies(t)[:, 1])) / Einf
        np.testing.assert_allclose(sc["transient"][i], direct, rtol=1e-8)
        np.testing.assert_allclose(sc["xi"][i], direct * 20.0 / 0.04, rtol=1e-8)
        assert sc["steady"][i] < 1e-11 and sc["residual"][i] < 0.05 * sc["first_order"][i]
    # the prefactor depends on kappa/Gamma: for kappa >> Gamma the error grows like kappa/gamma_m
    assert sc["xi"][2] > 10 * sc["xi"][0]
    np.testing.assert_allclose(sc["xi"][0], 0.218, atol=1e-3)


# ------------------------------------------------------------------------- effective model
def test_nonreciprocal_J_cancels_the_backflow_in_the_engine():
    for phi, G in [(np.pi / 2, 0.0), (1.1, 0.004), (0.3, -0.01)]:
        J = lin.nonreciprocal_J(0.04, phi, G)
        Jm = J - G * np.exp(-1j * phi)
        net = LinearNetwork(np.array([[0, Jm], [np.conj(Jm), 0]]), loss=[0.003, 0.003],
                            jumps=[(0.04, [1.0, np.exp(-1j * phi)])])
        assert abs(net.drift[0, 1]) < 1e-16
        np.testing.assert_allclose(net.drift[1, 0], -0.04 * np.exp(1j * phi), rtol=1e-12)
    np.testing.assert_allclose(lin.nonreciprocal_J(0.04, np.pi / 2), 0.02, rtol=1e-14, atol=1e-17)


def test_effective_network_drift_is_the_derived_dynamical_matrix():
    net = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, J=0.013, phi=1.1, G=0.004,
                                Delta_a_p=0.002, Delta_b_p=-0.005)
    M = lin_sym.dynamical_matrix()
    Ms = np.array([[num(M[i, j], GEN_SYM) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(net.drift, Ms, rtol=1e-13, atol=1e-17)
    np.testing.assert_allclose(lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=0.013, phi=1.1,
                                                    G=0.004, Delta_a_p=0.002, Delta_b_p=-0.005), Ms,
                               rtol=1e-13, atol=1e-17)


# ------------------------------------------------------------------------- moment equations
def test_moment_equations_corrected_equal_the_engine():
    kw = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, J=0.013, phi=1.1, G=0.004, Delta_a_p=0.002,
              Delta_b_p=-0.005)
    net = direct_network(**{k: v for k, v in GEN.items()})
    t = np.linspace(0, 600, 13)
    np.testing.assert_allclose(lin.moment_solution(t, **kw), net.energies(t), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lin.moment_steady(**kw), net.steady_state()["energies"], rtol=1e-10)


def test_moment_equations_match_the_printed_sympy_transcription():
    pe = {True: lin_sym.paper_eq5_eq6(sign_fix=False), False: lin_sym.paper_eq5_eq6(sign_fix=True)}
    names = ["<a>", "<a^dag>", "<b>", "<b^dag>", "<a^dag a>", "<b^dag b>", "<a^dag b>", "<b^dag a>"]
    syms = [sp.Symbol(n) for n in names]
    keys = {0: "a", 2: "b", 4: "adag a", 5: "bdag b", 6: "adag b"}
    for printed, eqs in pe.items():
        L, f = lin.moment_equations(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, J=0.013, phi=1.1, G=0.004,
                                    Delta_a_p=0.002, Delta_b_p=-0.005, as_printed=printed)
        for row, key in keys.items():
            rhs = sp.expand(eqs[key].subs(GEN_SYM))
            for col, s_ in enumerate(syms):
                np.testing.assert_allclose(L[row, col], complex(rhs.coeff(s_)), rtol=1e-12, atol=1e-16)
            np.testing.assert_allclose(f[row], complex(rhs.subs({s_: 0 for s_ in syms})), rtol=1e-12, atol=1e-16)


def test_printed_eq6_changes_the_EP_battery_and_figure_2c():
    # E^EP at Delta = 0.01: the printed sign gives a different steady state (the NR point does not)
    J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.01)
    kw = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=J, Delta_b_p=0.01)
    good = lin.moment_steady(**kw)[1]
    bad = lin.moment_steady(**kw, as_printed=True)[1]
    np.testing.assert_allclose(good, lin.steady_battery_energy(**kw), rtol=1e-10)
    # the printed system solved independently with sympy
    eqs = lin_sym.paper_eq5_eq6()
    vals = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.003, S["eps"]: 0.1, S["J"]: J, S["phi"]: sp.pi / 2,
            S["Dpa"]: 0, S["Dpb"]: 0.01, S["G"]: 0}
    unknowns = [sp.Symbol(n) for n in ["<a>", "<a^dag>", "<b>", "<b^dag>", "<a^dag a>", "<b^dag b>", "<a^dag b>",
                                       "<b^dag a>"]]
    system = [eqs[k].subs(vals) for k in eqs]
    conj = {"a": "<a^dag>", "b": "<b^dag>", "adag b": "<b^dag a>"}
    for k, name in conj.items():   # the conjugate equations
        e = sp.conjugate(eqs[k].subs(vals))
        e = e.subs({sp.conjugate(u): v for u, v in zip(unknowns, [unknowns[1], unknowns[0], unknowns[3], unknowns[2],
                                                                     unknowns[4], unknowns[5], unknowns[7],
                                                                     unknowns[6]])})
        system.append(e)
    sol = sp.solve(system, unknowns, dict=True)[0]
    np.testing.assert_allclose(bad, complex(sol[sp.Symbol("<b^dag b>")]).real, rtol=1e-9)
    assert bad < good * 0.96
    # at the nonreciprocal point the printed sign is harmless
    kw_nr = dict(kw, J=0.02)
    np.testing.assert_allclose(lin.moment_steady(**kw_nr, as_printed=True), lin.moment_steady(**kw_nr), rtol=1e-10)
    # Fig. 2(c), phi = pi/4: the steady value agrees but the transient does not
    t = np.linspace(0, 750, 31)
    kw_c = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=0.02, phi=np.pi / 4)
    d = lin.moment_solution(t, **kw_c, as_printed=True)[:, 1] - lin.moment_solution(t, **kw_c)[:, 1]
    assert np.max(np.abs(d)) > 5.0
    # large r at the EP: the printed equations have no steady state
    Jr = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.3)
    with pytest.raises(ValueError, match="unstable"):
        lin.moment_steady(Gamma=0.04, kappa_a=0.003, kappa_b=0.3, eps=0.1, J=Jr, as_printed=True)


# ------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("r", [0.01, 0.3, 1.0, 1.0 + 1e-9, 3.0, 100.0])
def test_closed_forms_match_engine(r):
    p = dict(P, kappa_b=0.003 * r)
    net = direct_network(**p, J=0.02)
    E = net.energies(T)
    scale = E[:, 1].max()
    np.testing.assert_allclose(lin.battery_occupation(T, **p), E[:, 1], rtol=1e-9, atol=1e-11 * scale)
    np.testing.assert_allclose(lin.charger_occupation(T, Gamma=0.04, kappa_a=0.003, eps=0.1), E[:, 0],
                               rtol=1e-10, atol=1e-12)
    alpha = net.amplitudes(T)
    np.testing.assert_allclose(lin.battery_amplitude(T, **p), alpha[:, 1], rtol=1e-9, atol=1e-11 * np.sqrt(scale))
    np.testing.assert_allclose(lin.charger_amplitude(T, Gamma=0.04, kappa_a=0.003, eps=0.1), alpha[:, 0],
                               rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(lin.coherence_ab(T, **p), np.conj(alpha[:, 0]) * alpha[:, 1], rtol=1e-9,
                               atol=1e-10 * scale)
    np.testing.assert_allclose(lin.battery_power(T, **p), net.power(T)[:, 1], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(lin.steady_energies(**p), net.steady_state()["energies"], rtol=1e-10)
    np.testing.assert_allclose(lin.steady_energies_as_printed(**p), net.steady_state()["energies"], rtol=1e-10)


def test_closed_forms_at_a_general_phase():
    # phi != pi/2 is nonreciprocal with a real J only for G = (Gamma/2) cot(phi)
    phi = 1.1
    G = 0.02 / np.tan(phi)
    J = lin.nonreciprocal_J(0.04, phi, G).real
    p = dict(P, kappa_b=0.006)
    net = direct_network(**p, J=J, phi=phi, G=G)
    alpha = net.amplitudes(T)
    np.testing.assert_allclose(lin.battery_amplitude(T, **p, phi=phi), alpha[:, 1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(lin.coherence_ab(T, **p, phi=phi), np.conj(alpha[:, 0]) * alpha[:, 1], rtol=1e-9,
                               atol=1e-10)
    np.testing.assert_allclose(lin.coherence_ab_as_printed(T, **p, phi=phi), np.conj(alpha[:, 0]) * alpha[:, 1],
                               rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(lin.battery_amplitude_as_printed(T, **p, phi=phi), alpha[:, 1], rtol=1e-8, atol=1e-11)


def test_charger_with_detuning_eq7_and_eq21():
    t = np.linspace(0, 800, 41)
    for d in (0.01, -0.02):
        net = direct_network(**dict(P, kappa_b=0.006), J=0.02, Dpa=d)
        a = net.amplitudes(t)[:, 0]
        np.testing.assert_allclose(lin.charger_amplitude(t, Gamma=0.04, kappa_a=0.003, eps=0.1, Delta_a_p=d), a,
                                   rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(lin.charger_occupation(t, Gamma=0.04, kappa_a=0.003, eps=0.1, Delta_a_p=d),
                                   net.energies(t)[:, 0], rtol=1e-10, atol=1e-13)
        pr = lin.charger_amplitude_as_printed(t, Gamma=0.04, kappa_a=0.003, eps=0.1, Delta_a_p=d)
        # the printed Eq. (21), transcribed independently in lin_sym
        vals = {S["Lambda_a"]: 0.043, S["eps"]: 0.1, S["Dpa"]: d}
        ps = np.array([num(lin_sym.paper_eq21(), {**vals, S["t"]: tk}) for tk in t])
        np.testing.assert_allclose(pr, ps, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(np.abs(pr), np.abs(a), rtol=1e-10, atol=1e-13)   # same modulus,
        assert np.max(np.abs(pr - a)) > 0.3 * np.max(np.abs(a))                     # different phase
    # at Delta'_a = 0 the printed line is right
    np.testing.assert_allclose(lin.charger_amplitude_as_printed(t, Gamma=0.04, kappa_a=0.003, eps=0.1),
                               lin.charger_amplitude(t, Gamma=0.04, kappa_a=0.003, eps=0.1), rtol=1e-12, atol=1e-15)


def test_printed_eq8_eq9_agree_away_from_the_singularity_and_fail_at_it():
    p = dict(P, kappa_b=0.006)
    net = direct_network(**p, J=0.02)
    np.testing.assert_allclose(lin.battery_occupation_as_printed(T, **p), net.energies(T)[:, 1], rtol=1e-8, atol=1e-10)
    al = net.amplitudes(T)
    np.testing.assert_allclose(lin.coherence_ab_as_printed(T, **p), np.conj(al[:, 0]) * al[:, 1], rtol=1e-8, atol=1e-10)
    for f in (lin.battery_occupation_as_printed, lin.coherence_ab_as_printed, lin.battery_amplitude_as_printed):
        with pytest.raises(ValueError, match="0/0|diverge"):
            f(T, **P)
    with pytest.raises(ValueError, match="diverge"):
        lin.A_coefficients(0.043, 0.043)


def test_A_coefficients_exact_values():
    from fractions import Fraction as Fr
    La, Lb = Fr(3, 7), Fr(5, 7)
    exact = (1 / (La + Lb) + La / (Lb * (La + Lb)), -2 / Lb + La / (Lb * (La - Lb)), -1 / (La - Lb),
             -La / (Lb * (La - Lb)))
    np.testing.assert_allclose(lin.A_coefficients(3 / 7, 5 / 7), [float(x) for x in exact], rtol=1e-14)
    # A_1 = 1/Lambda_b: <b> has no constant part beyond 4 eps Gamma / (Lambda_a Lambda_b)
    np.testing.assert_allclose(lin.A_coefficients(0.043, 0.046)[0], 1 / 0.046, rtol=1e-14)


def test_battery_occupation_exact_at_and_near_the_singular_point():
    L = 0.043
    beta = 4 * 0.1 * 0.04 / L * ((1 - np.exp(-L * T / 2)) / L - T / 2 * np.exp(-L * T / 2))   # Jordan block
    np.testing.assert_allclose(lin.battery_occupation(T, **P), beta**2, rtol=1e-12, atol=1e-14)
    for rel in (1e-12, 1e-9, 1e-7, -1e-9):
        near = lin.battery_occupation(T, **dict(P, kappa_b=0.003 * (1 + rel)))
        np.testing.assert_allclose(near, beta**2, rtol=max(20 * abs(rel), 1e-11), atol=1e-13)


def test_battery_energy_symmetric_in_local_rates():
    a = lin.battery_occupation(T, Gamma=0.04, kappa_a=0.003, kappa_b=0.03, eps=0.1)
    b = lin.battery_occupation(T, Gamma=0.04, kappa_a=0.03, kappa_b=0.003, eps=0.1)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert not np.allclose(lin.charger_occupation(T, Gamma=0.04, kappa_a=0.003, eps=0.1),
                           lin.charger_occupation(T, Gamma=0.04, kappa_a=0.03, eps=0.1))


def test_efficiency_exact():
    np.testing.assert_allclose(lin.efficiency(1.0, 3.0), 0.75, rtol=1e-15)
    np.testing.assert_allclose(lin.efficiency([0.0, 2.0, 1.0], [0.0, 2.0, 0.0]), [0.0, 0.5, 0.0], rtol=1e-15)
    np.testing.assert_allclose(lin.efficiency([[1.0], [3.0]], [1.0, 7.0]), [[0.5, 0.875], [0.25, 0.7]], rtol=1e-15)


def test_power_is_the_derivative_of_the_engine_energy():
    t = np.linspace(10, 300, 30)
    h = 1e-2
    net = direct_network(**P, J=0.02)
    fd = (net.energies(t + h)[:, 1] - net.energies(t - h)[:, 1]) / (2 * h)
    np.testing.assert_allclose(lin.battery_power(t, **P), fd, rtol=1e-7, atol=1e-8)
    netd = lin.effective_network(**P, Delta_b_p=0.1)
    h2 = 1e-3
    fd = (netd.energies(t + h2)[:, 1] - netd.energies(t - h2)[:, 1]) / (2 * h2)
    np.testing.assert_allclose(lin.network_power(netd, t), fd, rtol=1e-6, atol=1e-9)
    full, _, _ = lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    h = 1e-4          # the bad cavity responds at gamma_m = 20
    fd = (full.energies(t + h)[:, 1] - full.energies(t - h)[:, 1]) / (2 * h)
    np.testing.assert_allclose(lin.network_power(full, t), fd, rtol=1e-7)
    fd0 = (full.energies(t + h)[:, 0] - full.energies(t - h)[:, 0]) / (2 * h)
    np.testing.assert_allclose(lin.network_power(full, t, mode=-3), fd0, rtol=1e-7)


def test_resonant_power_peak_is_the_engines_maximum():
    pk = lin.resonant_power_peak(Gamma=0.04, kappa=0.003)
    net = direct_network(**P, J=0.02)
    t0 = pk["t"]
    Pw = net.power(np.array([t0 * (1 - 1e-4), t0, t0 * (1 + 1e-4)]))[:, 1]
    assert Pw[1] > Pw[0] and Pw[1] > Pw[2]
    np.testing.assert_allclose(pk["Jt"], t0 * 0.02, rtol=1e-14)
    np.testing.assert_allclose(pk["s"], 0.043 * t0 / 2, rtol=1e-14)
    # the same universal s for other rates
    pk2 = lin.resonant_power_peak(Gamma=1.0, kappa=0.5)
    net2 = direct_network(Gamma=1.0, kappa_a=0.5, kappa_b=0.5, eps=1.0, J=0.5)
    t2 = pk2["t"]
    Pw = net2.power(np.array([t2 * (1 - 1e-4), t2, t2 * (1 + 1e-4)]))[:, 1]
    assert Pw[1] > Pw[0] and Pw[1] > Pw[2]


def test_time_to_energy_and_efficiency():
    p = dict(P, kappa_b=0.03)
    t = lin.time_to_energy(14.8, **p)
    net = direct_network(**p, J=0.02)
    np.testing.assert_allclose(net.energies([t])[0, 1], 14.8, rtol=1e-9)
    t2 = lin.time_to_efficiency(0.75, **P)
    E = direct_network(**P, J=0.02).energies([t2])[0]
    np.testing.assert_allclose(E[1] / (E[0] + E[1]), 0.75, rtol=1e-9)
    with pytest.raises(ValueError, match="not reached"):
        lin.time_to_energy(1000.0, **p)
    with pytest.raises(ValueError, match="eta_target"):
        lin.time_to_efficiency(1.2, **P)


# ------------------------------------------------------------------------- EP, Fig. 4
def test_dynamical_eigenvalues_and_discriminant_against_numpy():
    M = lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=0.013, phi=1.1, G=0.004, Delta_a_p=0.002,
                             Delta_b_p=-0.005)
    ev = lin.dynamical_eigenvalues(M)
    np.testing.assert_allclose(np.sort_complex(ev), np.sort_complex(np.linalg.eigvals(M)), rtol=1e-12)
    np.testing.assert_allclose(lin.ep_discriminant(M), (ev[0] - ev[1]) ** 2, rtol=1e-10)
    w = np.linalg.eigvals(M)
    np.testing.assert_allclose(lin.ep_discriminant(M), (w[0] - w[1]) ** 2, rtol=1e-10)


def test_printed_eq14_eq15_against_sympy_and_truth():
    (lp, lm), disc = lin_sym.paper_eq14_discriminant()
    kw = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=0.013, phi=1.1, G=0.004, Delta_a_p=0.002, Delta_b_p=-0.005)
    dp = lin.ep_discriminant_as_printed(**kw)
    np.testing.assert_allclose(dp, num(disc, GEN_SYM), rtol=1e-12)
    evp = lin.dynamical_eigenvalues_as_printed(**kw)
    np.testing.assert_allclose(evp, [num(lp, GEN_SYM), num(lm, GEN_SYM)], rtol=1e-12)
    M = lin.dynamical_matrix(**kw)
    assert abs(dp - lin.ep_discriminant(M)) > 1e-3 * abs(lin.ep_discriminant(M))
    # the printed centre is minus the true one: every mode would grow
    np.testing.assert_allclose(evp.sum() / 2, -np.trace(M) / 2, rtol=1e-13)


def test_ep_coupling_makes_the_eigenvalues_coalesce():
    for r, Delta in [(0.1, 0.0), (1.0, 0.02), (5.0, 0.0), (1.0, 0.0)]:
        J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, Delta=Delta)
        M = lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, J=J, Delta_b_p=Delta)
        w = np.linalg.eigvals(M)
        assert abs(w[0] - w[1]) < 2e-7                 # a 1e-3 change of J opens a gap ~1e-3
    np.testing.assert_allclose(lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.02),
                               np.sqrt(0.04**2 - 0.02**2) / 2, rtol=1e-14)
    np.testing.assert_allclose(lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.0003),
                               np.sqrt(0.02**2 + 0.0027**2 / 16), rtol=1e-14)
    with pytest.raises(ValueError, match="no real J"):
        lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.03, Delta=0.01)
    with pytest.raises(ValueError, match="no real J"):
        lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.05)


def test_ep_coupling_and_phase_coalesce():
    for r, Delta in [(2.0, 0.01), (0.5, -0.004)]:
        J, phi = lin.ep_coupling_and_phase(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, Delta=Delta)
        M = lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r, J=J, phi=phi, Delta_b_p=Delta)
        w = np.linalg.eigvals(M)
        assert abs(w[0] - w[1]) < 2e-7


def test_steady_battery_energy_and_efficiency_against_engine():
    for kw in [dict(J=0.013, phi=1.1, G=0.004, Dpa=0.002, Dpb=-0.005), dict(J=0.0015), dict(J=0.02, Dpb=0.01)]:
        net = direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, **kw)
        ss = net.steady_state()["energies"]
        args = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=kw["J"], phi=kw.get("phi", np.pi / 2),
                    G=kw.get("G", 0.0), Delta_a_p=kw.get("Dpa", 0.0), Delta_b_p=kw.get("Dpb", 0.0))
        np.testing.assert_allclose(lin.steady_battery_energy(eps=0.1, **args), ss[1], rtol=1e-10)
        np.testing.assert_allclose(lin.steady_efficiency(**args), ss[1] / ss.sum(), rtol=1e-10)


def test_fig4_closed_forms_and_crossing():
    f4 = lin_sym.fig4_energies()
    D = sp.Symbol("Delta", real=True)
    vals = {S["Gamma"]: sp.Rational(4, 100), f4["kappa"]: sp.Rational(3, 1000), S["eps"]: sp.Rational(1, 10)}
    for Dv in (0.005, 0.02, 0.035):
        J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=Dv)
        np.testing.assert_allclose(lin.steady_battery_energy(**P, J=J, Delta_b_p=Dv),
                                   float(f4["E_EP"].subs(vals).subs(f4["Delta"], Dv)), rtol=1e-12)
        np.testing.assert_allclose(lin.steady_battery_energy(**P, J=0.02, Delta_b_p=Dv),
                                   float(f4["E_nor"].subs(vals).subs(f4["Delta"], Dv)), rtol=1e-12)
    Dx = lin.ep_crossing(Gamma=0.04, kappa=0.003)
    Dx_sym = sp.nsolve((f4["E_EP"] - f4["E_nor"]).subs(vals), f4["Delta"], (0.02, 0.035), solver="bisect", prec=30)
    np.testing.assert_allclose(Dx, float(Dx_sym), rtol=1e-10)
    # fixed grid (not built from the crossing): EP above inside, below outside
    for x in (0.1, 0.3, 0.5, 0.6):
        J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.04 * x)
        assert lin.steady_battery_energy(**P, J=J, Delta_b_p=0.04 * x) > \
            lin.steady_battery_energy(**P, J=0.02, Delta_b_p=0.04 * x)
    for x in (0.7, 0.8, 0.95):
        J = lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=0.04 * x)
        assert lin.steady_battery_energy(**P, J=J, Delta_b_p=0.04 * x) < \
            lin.steady_battery_energy(**P, J=0.02, Delta_b_p=0.04 * x)
    del D
    # the other reading: J fixed at Gamma/2 and the rate re-tuned to Gamma_EP = sqrt(4 J^2 + Delta^2)
    Dg = lin.ep_crossing(Gamma=0.04, kappa=0.003, retune="Gamma")
    E_eng = [direct_network(Gamma=float(np.hypot(0.04, Dg)), kappa_a=0.003, kappa_b=0.003, eps=0.1, J=0.02, Dpb=Dg),
             direct_network(**P, J=0.02, Dpb=Dg)]
    E_eng = [n.steady_state()["energies"][1] for n in E_eng]
    np.testing.assert_allclose(E_eng[0], E_eng[1], rtol=1e-10)
    assert 0.45 < Dg / 0.04 < 0.55 and abs(Dg / Dx - 1) > 0.2
    # the rate really puts the battery at an EP there (coalescing eigenvalues)
    M = direct_network(Gamma=float(np.hypot(0.04, Dg)), kappa_a=0.003, kappa_b=0.003, eps=0.1, J=0.02, Dpb=Dg).drift
    assert abs(np.diff(np.linalg.eigvals(M))[0]) < 1e-6


def test_nonreciprocal_best_detuning_closed_form():
    # d ln E_B/dJ = 0 at J = Gamma/2 (r = 1) gives Delta^2 = Gamma^2 - Lambda^2/4, derived by hand from Eq. (13)
    for Gm, k in ((0.04, 0.003), (0.05, 0.02)):
        Dx = lin.nonreciprocal_best_detuning(Gamma=Gm, kappa=k)
        np.testing.assert_allclose(Dx, np.sqrt(Gm**2 - (Gm + k) ** 2 / 4), rtol=1e-9)
        # and on the engine: E_B(J) is stationary at J = Gamma/2 there
        E = [direct_network(Gamma=Gm, kappa_a=k, kappa_b=k, eps=0.1, J=Gm / 2 * (1 + s_), Dpb=Dx).steady_state()[
            "energies"][1] for s_ in (-1e-4, 0.0, 1e-4)]
        assert abs(E[2] - E[0]) < 1e-6 * E[1] and E[1] > max(E[0], E[2])


# ------------------------------------------------------------------------- controls
def test_best_coupling_resonant_closed_form():
    bc = lin_sym.best_coupling_resonant()
    for kb in (0.003, 0.007, 0.0005):
        J, E = lin.best_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=kb, eps=0.1)
        vals = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: kb, S["eps"]: 0.1}
        np.testing.assert_allclose(J, num(bc["J_star"], vals).real, rtol=1e-9)
        np.testing.assert_allclose(E, num(bc["E_star"], vals).real, rtol=1e-10)
        np.testing.assert_allclose(E, direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=kb, eps=0.1, J=J)
                                   .steady_state()["energies"][1], rtol=1e-10)
    np.testing.assert_allclose(lin.best_coupling(**P), (0.0015, 0.01 / 0.003**2), rtol=1e-10)


def test_best_coupling_detuned_against_an_independent_optimiser():
    from scipy.optimize import minimize_scalar
    for kw in [dict(Delta_b_p=0.01), dict(Delta_b_p=0.03, phi=1.0), dict(Delta_a_p=0.004, Delta_b_p=-0.01, G=0.002)]:
        J, E = lin.best_coupling(**P, **kw)
        Js = np.linspace(-0.2, 0.2, 8001)

        def energy(x):
            return direct_network(**P, J=x, phi=kw.get("phi", np.pi / 2), Dpa=kw.get("Delta_a_p", 0.0),
                                  Dpb=kw["Delta_b_p"], G=kw.get("G", 0.0)).steady_state()["energies"][1]
        Eg = np.array([lin.steady_battery_energy(**P, J=x, **kw) for x in Js])
        i = int(np.argmax(Eg))
        res = minimize_scalar(lambda x: -energy(x), bounds=(Js[i - 1], Js[i + 1]), method="bounded",
                              options=dict(xatol=1e-13))
        np.testing.assert_allclose(E, -res.fun, rtol=1e-9)
        np.testing.assert_allclose(J, res.x, rtol=1e-5, atol=1e-9)
    J, E = lin.best_coupling(**P, Delta_b_p=0.01, J_bounds=(0.015, 0.03))
    np.testing.assert_allclose(J, 0.015, rtol=1e-14)
    np.testing.assert_allclose(E, lin.steady_battery_energy(**P, J=0.015, Delta_b_p=0.01), rtol=1e-14)
    np.testing.assert_allclose(E, direct_network(**P, J=0.015, Dpb=0.01).steady_state()["energies"][1], rtol=1e-10)


def test_best_coupling_and_phase():
    J, phi, E = lin.best_coupling_and_phase(**P, Delta_b_p=0.01)
    np.testing.assert_allclose(E, direct_network(**P, J=J, phi=phi, Dpb=0.01).steady_state()["energies"][1],
                               rtol=1e-10)
    # no point of a fine independent grid does better
    Jg = np.linspace(-0.05, 0.05, 401)[:, None]
    ph = np.linspace(0, 2 * np.pi, 361)[None, :]
    Eg = np.vectorize(lambda x, p: lin.steady_battery_energy(**P, J=x, phi=p, Delta_b_p=0.01))(Jg, ph)
    assert E >= Eg.max() * (1 - 1e-12)
    assert E < Eg.max() * 1.05
    J0, phi0, E0 = lin.best_coupling_and_phase(**P)
    np.testing.assert_allclose(E0, 0.01 / 0.003**2, rtol=1e-9)


def test_robustness_samples_recomputed():
    rob = lin.robustness_samples(n=6, seed=3)
    rng = np.random.default_rng(3)
    Delta = rng.normal(0.0, 0.005, 6)
    r = np.exp(rng.normal(0.0, 0.3, 6))
    np.testing.assert_allclose(rob["Delta"], Delta, rtol=1e-15)
    np.testing.assert_allclose(rob["r"], r, rtol=1e-15)
    for i in range(6):
        nr = direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r[i], eps=0.1, J=0.02, Dpb=Delta[i])
        np.testing.assert_allclose(rob["E_nor"][i], nr.steady_state()["energies"][1], rtol=1e-10)
        J0 = np.sqrt(0.04**2 - Delta[i] ** 2) / 2
        ep = direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=J0, Dpb=Delta[i])
        np.testing.assert_allclose(rob["E_EP_J"][i], ep.steady_state()["energies"][1], rtol=1e-10)
        nr0 = direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=0.02, Dpb=Delta[i])
        np.testing.assert_allclose(rob["E_nor_r0"][i], nr0.steady_state()["energies"][1], rtol=1e-10)
        assert rob["E_best_J"][i] >= rob["E_EP_J"][i] * (1 - 1e-12)
        Jb = lin.best_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, Delta_b_p=Delta[i])[0]
        nb = direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=Jb, Dpb=Delta[i])
        np.testing.assert_allclose(rob["E_best_J"][i], nb.steady_state()["energies"][1], rtol=1e-10)
        assert rob["E_best_Jphi"][i] >= rob["E_EP_Jphi"][i]
    J, phi = lin.ep_coupling_and_phase(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r[0], Delta=Delta[0])
    np.testing.assert_allclose(rob["E_EP_Jphi"][0], direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r[0],
                               eps=0.1, J=J, phi=phi, Dpb=Delta[0]).steady_state()["energies"][1], rtol=1e-9)
    Jb, phb, Eb = lin.best_coupling_and_phase(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r[1], eps=0.1,
                                              Delta_b_p=Delta[1], n_phi=72)
    np.testing.assert_allclose(rob["E_best_Jphi"][1], direct_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003 * r[1],
                               eps=0.1, J=Jb, phi=phb, Dpb=Delta[1]).steady_state()["energies"][1], rtol=1e-9)


# ------------------------------------------------------------------------- printed numbers, readings
def test_printed_quantities_against_closed_forms():
    R = lin.paper_readings()
    o = lin.printed_quantities(R["ours"]["make"], J_axis=R["ours"]["J_axis"])
    EB = 16 * 0.01 * 0.04**2 / 0.043**4
    EA = 4 * 0.01 / 0.043**2
    np.testing.assert_allclose(o["EB_inf_0"], EB, rtol=1e-10)
    np.testing.assert_allclose(o["EB_inf_001"], EB * (0.043**2 / 4) / (0.01**2 + 0.043**2 / 4), rtol=1e-10)
    np.testing.assert_allclose(o["eta_inf"], EB / (EA + EB), rtol=1e-10)
    tt = o["Jt_peak"] / 0.02
    np.testing.assert_allclose(o["P_peak"], lin.battery_power(np.array([tt]), **P)[0], rtol=1e-9)
    np.testing.assert_allclose(o["EB_Jt_r0"], lin.battery_occupation(np.array([200.0]), **dict(P, kappa_b=0.03))[0],
                               rtol=1e-9)
    np.testing.assert_allclose(o["EB_Jt_r1"], lin.battery_occupation(np.array([200.0]),
                                                                     **dict(P, kappa_b=0.00003))[0], rtol=1e-9)
    np.testing.assert_allclose(o["EB_inf_r1"], 16 * 0.01 * 0.04**2 / (0.043**2 * 0.04003**2), rtol=1e-10)
    E2 = lin.charger_occupation(np.array([100.0]), Gamma=0.04, kappa_a=0.003, eps=0.1)[0]
    B2 = lin.battery_occupation(np.array([100.0]), **P)[0]
    np.testing.assert_allclose(o["eta_at_Jt"], B2 / (E2 + B2), rtol=1e-9)
    assert R["axis_Gamma4"]["J_axis"] == 0.01 and R["axis_Gamma"]["J_axis"] == 0.04
    np.testing.assert_allclose(R["E_omega"]["J_axis"], 0.02 * 100 / 101, rtol=1e-14)


def test_readings_three_mode_and_offsets():
    R = lin.paper_readings()
    q = lin.printed_quantities(R["three_mode"]["make"], J_axis=R["three_mode"]["J_axis"])
    np.testing.assert_allclose(q["EB_inf_0"], 16 * 0.01 * 0.04**2 / 0.043**4, rtol=1e-10)
    F = lin.steady_offset_readings(75.9)
    G = F["fit_Gamma"]["value"]
    np.testing.assert_allclose(16 * 0.01 * G**2 / (G + 0.003) ** 4, 75.9, rtol=1e-10)
    k = F["fit_kappa"]["value"]
    np.testing.assert_allclose(16 * 0.01 * 0.04**2 / (0.04 + k) ** 4, 75.9, rtol=1e-10)
    kb = F["fit_kappa_b"]["value"]
    np.testing.assert_allclose(16 * 0.01 * 0.04**2 / (0.043**2 * (0.04 + kb) ** 2), 75.9, rtol=1e-10)
    Jf = F["fit_J"]["value"]
    np.testing.assert_allclose(direct_network(**P, J=Jf).steady_state()["energies"][1], 75.9, rtol=1e-10)
    np.testing.assert_allclose(F["fit_Gamma"]["J_axis"], G / 2, rtol=1e-14)
    # the other printed steady values follow from the same offset (the printed values are consistent)
    qG = lin.printed_quantities(F["fit_Gamma"]["make"], J_axis=F["fit_Gamma"]["J_axis"])
    assert abs(qG["EB_inf_001"] / 62.2 - 1) < 3e-3 and abs(qG["EB_inf_01"] / 3.3 - 1) < 0.015
    with pytest.raises(ValueError, match="not reached"):
        lin.steady_offset_readings(1000.0)


def test_reading_checks():
    rc = lin.reading_checks()
    np.testing.assert_allclose(rc["ratio_inf"], (0.04003 ** -2) / (0.07 ** -2), rtol=1e-10)
    assert rc["ratio_monotone"] and rc["ratio_max"] <= rc["ratio_inf"] * (1 + 1e-9)
    np.testing.assert_allclose(rc["ratio_max"], rc["ratio_t"][-1], rtol=1e-14)
    t = 50 / 0.02
    np.testing.assert_allclose(rc["ratio_t"][-1], lin.battery_occupation([t], **dict(P, kappa_b=0.00003))[0]
                               / lin.battery_occupation([t], **dict(P, kappa_b=0.03))[0], rtol=1e-12)
    EB0 = direct_network(**P, J=0.02).steady_state()["energies"][1]
    np.testing.assert_allclose(rc["EB_phi_max"], EB0, rtol=1e-10)       # phi = pi/2 is on the grid and is best
    np.testing.assert_allclose(rc["EB_common_max"], EB0, rtol=1e-10)    # zero common detuning is best
    assert rc["symmetry"] < 1e-9


def test_explore_draws():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axs = plt.subplots(1, 2)
    net = lin.explore(Delta=0.01, r=2.0, phi_over_pi=0.25, J_over_Gamma=0.3, axes=axs)
    np.testing.assert_allclose(net.drift, lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=0.012,
                                                               phi=np.pi / 4, Delta_b_p=0.01), atol=1e-16)
    y = axs[0].lines[0].get_ydata()
    np.testing.assert_allclose(y[-1], net.energies([10 / 0.02])[0, 1], rtol=1e-12)
    assert lin.explore(axes=axs, return_network=False) is None
    plt.close(fig)


# ------------------------------------------------------------------------- bad input
BAD = [
    (lambda: lin.battery_occupation(T, **dict(P, Gamma=-1.0)), "Gamma"),
    (lambda: lin.battery_occupation(T, **dict(P, kappa_a=np.nan)), "kappa_a"),
    (lambda: lin.battery_occupation(T, **dict(P, kappa_b=-0.1)), "kappa_b"),
    (lambda: lin.battery_occupation(T, **dict(P, eps=1j)), "eps"),
    (lambda: lin.battery_occupation([-1.0, 2.0], **P), "t"),
    (lambda: lin.battery_occupation([np.inf], **P), "t"),
    (lambda: lin.battery_occupation(T, Gamma=0.0, kappa_a=0.0, kappa_b=0.003, eps=0.1), "Lambda_a"),
    (lambda: lin.charger_amplitude(T, Gamma=0.04, kappa_a=0.003, eps=0.1, Delta_a_p=np.nan), "Delta_a_p"),
    (lambda: lin.charger_amplitude_as_printed(T, Gamma=0.04, kappa_a=-1, eps=0.1), "kappa_a"),
    (lambda: lin.charger_occupation(T, Gamma=0.04, kappa_a=0.003, eps=np.inf), "eps"),
    (lambda: lin.battery_amplitude(T, **P, phi=np.nan), "phi"),
    (lambda: lin.battery_amplitude_as_printed(T, **dict(P, kappa_b=0.006), phi=1j), "phi"),
    (lambda: lin.coherence_ab(T, **P, phi="x"), "phi"),
    (lambda: lin.coherence_ab_as_printed(T, **dict(P, kappa_b=0.006), phi=np.inf), "phi"),
    (lambda: lin.A_coefficients(0.0, 0.04), "Lambda_a"),
    (lambda: lin.A_coefficients(0.04, -1.0), "Lambda_b"),
    (lambda: lin.steady_energies(**dict(P, Gamma=np.nan)), "Gamma"),
    (lambda: lin.steady_energies_as_printed(**dict(P, kappa_b=-1.0)), "kappa_b"),
    (lambda: lin.efficiency([1.0], [-1.0]), "E_B"),
    (lambda: lin.efficiency([np.nan], [1.0]), "E_A"),
    (lambda: lin.efficiency([1.0, 2.0], [1.0, 2.0, 3.0]), "E_A"),
    (lambda: lin.battery_power([-5.0], **P), "t"),
    (lambda: lin.network_power("net", T), "LinearNetwork"),
    (lambda: lin.network_power(lin.effective_network(**P), T, mode=2), "mode"),
    (lambda: lin.network_power(lin.effective_network(**P), T, mode=1.0), "mode"),
    (lambda: lin.network_power(lin.effective_network(**P), [-1.0]), "t"),
    (lambda: lin.resonant_power_peak(Gamma=0.0, kappa=0.003), "Gamma"),
    (lambda: lin.resonant_power_peak(Gamma=0.04, kappa=-0.003), "kappa"),
    (lambda: lin.time_to_energy(-1.0, **P), "E_target"),
    (lambda: lin.time_to_energy(10.0, **P, t_max=0.0), "t_max"),
    (lambda: lin.time_to_efficiency(np.nan, **P), "eta_target"),
    (lambda: lin.elimination_parameters(0.1, 0.1, 0.0), "gamma_m"),
    (lambda: lin.elimination_parameters(-0.1, 0.1, 1.0), "g_a"),
    (lambda: lin.elimination_parameters(0.1, 0.1, 1.0, Delta_c=1j), "Delta_c"),
    (lambda: lin.full_network(g_a=-1, g_b=0.1, gamma_m=1, J=0, phi=0, kappa_a=0, kappa_b=0, eps=0), "g_a"),
    (lambda: lin.full_network(g_a=1, g_b=0.1, gamma_m=1, J=1j, phi=0, kappa_a=0, kappa_b=0, eps=0), "J"),
    (lambda: lin.matched_full_network(Gamma=0.0, gamma_m=20, kappa_a=0, kappa_b=0, eps=0.1), "Gamma"),
    (lambda: lin.matched_full_network(Gamma=0.04, gamma_m=20, kappa_a=0, kappa_b=0, eps=0.1, Delta=np.nan), "Delta"),
    (lambda: lin.sec5_rates(g=0.0), "g"),
    (lambda: lin.sec5_rates(gamma_m=-5.0), "gamma_m"),
    (lambda: lin.memory_matrix(Gamma=0.04, gamma_m=0.0, phi=1.0), "gamma_m"),
    (lambda: lin.memory_matrix(Gamma=-0.04, gamma_m=1.0, phi=1.0), "Gamma"),
    (lambda: lin.elimination_first_order([-1.0], Gamma=0.04, gamma_m=20, kappa_a=0.003, kappa_b=0.003, eps=0.1), "t"),
    (lambda: lin.elimination_error(Gamma=0.04, gamma_m=20, kappa_a=-0.003, kappa_b=0.003, eps=0.1), "kappa_a"),
    (lambda: lin.elimination_scan([np.nan], [0.0]), "gamma_m"),
    (lambda: lin.nonreciprocal_J(-1.0, 0.0), "Gamma"),
    (lambda: lin.nonreciprocal_J(0.04, np.nan), "phi"),
    (lambda: lin.effective_network(**P, phi=0.3), "not real"),
    (lambda: lin.effective_network(**P, J=1j), "J"),
    (lambda: lin.effective_network(**dict(P, kappa_a=-1.0)), "kappa_a"),
    (lambda: lin.effective_network(**P, Gamma_b=-1.0), "Gamma_b"),
    (lambda: lin.moment_equations(**P, J=0.02, as_printed="yes"), "as_printed"),
    (lambda: lin.moment_equations(**P, J=np.nan), "J"),
    (lambda: lin.moment_solution([-1.0], **P, J=0.02), "t"),
    (lambda: lin.moment_steady(**P, J=0.02, G=np.inf), "G"),
    (lambda: lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, J=0.02, Delta_b_p=1j), "Delta_b_p"),
    (lambda: lin.dynamical_eigenvalues(np.eye(3)), "M"),
    (lambda: lin.dynamical_eigenvalues([[np.nan, 0], [0, 1]]), "M"),
    (lambda: lin.dynamical_eigenvalues_as_printed(Gamma=0.04, kappa_a=0.003, kappa_b=-1, J=0.02), "kappa_b"),
    (lambda: lin.ep_discriminant("M"), "M"),
    (lambda: lin.ep_discriminant_as_printed(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, J=np.inf), "J"),
    (lambda: lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, Delta=np.nan), "Delta"),
    (lambda: lin.ep_coupling_and_phase(Gamma=0.0, kappa_a=0.003, kappa_b=0.003), "Gamma"),
    (lambda: lin.ep_coupling_and_phase(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, guess=(1j, 0)), "guess"),
    (lambda: lin.steady_battery_energy(**P, J=0.02, phi=np.nan), "phi"),
    (lambda: lin.steady_efficiency(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, J="a"), "J"),
    (lambda: lin.ep_crossing(Gamma=0.04, kappa=-1.0), "kappa"),
    (lambda: lin.ep_crossing(Gamma=0.04, kappa=0.003, eps=0.0), "eps"),
    (lambda: lin.best_coupling(**P, Delta_b_p=np.nan), "Delta_b_p"),
    (lambda: lin.best_coupling(**P, J_bounds=(0.1, 0.0)), "J_bounds"),
    (lambda: lin.best_coupling(**P, J_bounds=(np.nan, 0.0)), "J_bounds"),
    (lambda: lin.best_coupling_and_phase(**P, n_phi=2), "n_phi"),
    (lambda: lin.best_coupling_and_phase(**P, n_phi=10.0), "n_phi"),
    (lambda: lin.robustness_samples(n=0), "n"),
    (lambda: lin.robustness_samples(n=2.0), "n"),
    (lambda: lin.robustness_samples(n=2, sigma_Delta=-1.0), "sigma_Delta"),
    (lambda: lin.robustness_samples(n=2, seed=-1), "seed"),
    (lambda: lin.printed_quantities(None, J_axis=0.02), "make"),
    (lambda: lin.printed_quantities(lambda D, r: None, J_axis=0.0), "J_axis"),
    (lambda: lin.paper_readings(gamma=-1.0), "gamma"),
    (lambda: lin.steady_offset_readings(-75.9), "target"),
    (lambda: lin.reading_checks(kappa=0.0), "kappa"),
    (lambda: lin.explore(r=0.0), "r"),
]


@pytest.mark.parametrize("call, name", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ------------------------------------------------------------------------- controls added for the referee
def test_retuning_scan_against_the_engine():
    Ds = [-0.03, 0.0, 0.01, 0.04]
    r = lin.retuning_scan(Ds, **P, n_J=50)
    for i, D in enumerate(Ds):
        Js = r["J_star"][i]
        En = direct_network(**P, J=0.02, Dpb=D).steady_state()["energies"][1]
        np.testing.assert_allclose(r["E_nor"][i], En, rtol=1e-10)
        np.testing.assert_allclose(r["E_star"][i], direct_network(**P, J=Js, Dpb=D).steady_state()["energies"][1],
                                   rtol=1e-10)
        Jg = np.linspace(Js, 0.02, 52)[1:-1]
        Eg = np.array([direct_network(**P, J=x, Dpb=D).steady_state()["energies"][1] for x in Jg])
        np.testing.assert_allclose(r["min_gain"][i], Eg.min() / En - 1, rtol=1e-8, atol=1e-14)
        # no stationary point between: E_B is monotone on the grid (engine)
        assert r["n_stationary"][i] == 0 and (np.all(np.diff(Eg) < 0) or np.all(np.diff(Eg) > 0))
    # a case with a stationary point between J* and Gamma/2: phi = 0 (E_B(J) has a dip at J = 0)
    r0 = lin.retuning_scan([0.0], **P, phi=0.3)
    Jg = np.linspace(r0["J_star"][0], 0.02, 400)
    Eg = np.array([direct_network(**P, J=x, phi=0.3).steady_state()["energies"][1] for x in Jg])
    n_turn = int(np.sum(np.diff(np.sign(np.diff(Eg))) != 0))
    assert r0["n_stationary"][0] == n_turn


def test_spread_ratio_ci_against_a_direct_bootstrap():
    rng = np.random.default_rng(5)
    x = 1 + 0.05 * rng.standard_normal(300)
    y = 1 + 0.08 * rng.standard_normal(300)
    ratio, lo, hi = lin.spread_ratio_ci(x, y, n_boot=500, seed=2, level=0.9)
    np.testing.assert_allclose(ratio, (np.std(x) / np.mean(x)) / (np.std(y) / np.mean(y)), rtol=1e-13)
    idx = np.random.default_rng(2).integers(0, 300, (500, 300))
    b = np.array([(np.std(x[k]) / np.mean(x[k])) / (np.std(y[k]) / np.mean(y[k])) for k in idx])
    np.testing.assert_allclose([lo, hi], np.percentile(b, [5, 95]), rtol=1e-12)
    assert lo < ratio < hi and 0.5 < lo and hi < 0.8      # true ratio 0.625


@pytest.mark.parametrize("call, name", [
    (lambda: lin.retuning_scan([np.nan], **P), "Deltas"),
    (lambda: lin.retuning_scan([0.0], **P, n_J=0), "n_J"),
    (lambda: lin.retuning_scan([0.0], **dict(P, Gamma=0.0)), "Gamma"),
    (lambda: lin.spread_ratio_ci([1.0, 2.0], [1.0]), "same length"),
    (lambda: lin.spread_ratio_ci([1.0, np.nan], [1.0, 2.0]), "finite"),
    (lambda: lin.spread_ratio_ci([1.0, -1.0], [1.0, 2.0]), "non-zero means"),
    (lambda: lin.spread_ratio_ci([1.0, 2.0], [1.0, 2.0], level=1.0), "level"),
    (lambda: lin.spread_ratio_ci([1.0, 2.0], [1.0, 2.0], n_boot=5), "n_boot"),
    (lambda: lin.spread_ratio_ci([1.0, 2.0], [1.0, 2.0], seed=-1), "seed"),
    (lambda: lin.elimination_kappa_scan([-1.0]), "kappa"),
    (lambda: lin.elimination_kappa_scan([0.003], n_t=5), "n_t"),
    (lambda: lin.elimination_kappa_scan([0.003], gamma_m=0.0), "gamma_m"),
    (lambda: lin.ep_crossing(Gamma=0.04, kappa=0.003, retune="phi"), "retune"),
    (lambda: lin.nonreciprocal_best_detuning(Gamma=0.0, kappa=0.003), "Gamma"),
    (lambda: lin.nonreciprocal_best_detuning(Gamma=0.04, kappa=-0.003), "kappa"),
    (lambda: lin.nonreciprocal_best_detuning(Gamma=0.04, kappa=0.2), "does not cross"),
], ids=[f"bad_new{i}" for i in range(16)])
def test_bad_input_new_functions(call, name):
    with pytest.raises(ValueError, match=name):
        call()
