"""nrqb.papers.ahmadi_sym: each derivation against the numerical engine and against the printed forms.

The derived expressions are evaluated numerically and compared with the exact engine (an
independent route) at 1e-10; where the paper agrees, ``simplify(derived - printed) == 0``; where it
does not, the difference is shown to be a definite number.
"""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import ahmadi as ah
from nrqb.papers import ahmadi_sym as ahs

S = ahs  # symbols live in the module


@pytest.fixture(scope="module")
def mom():
    return ahs.moment_equations()


@pytest.fixture(scope="module")
def nrsol():
    return ahs.battery_energy_nonreciprocal()


@pytest.fixture(scope="module")
def recsol():
    return ahs.battery_energy_reciprocal()


@pytest.fixture(scope="module")
def ratios():
    return ahs.steady_state_ratios()


@pytest.fixture(scope="module")
def appc():
    return ahs.gap_appendix_c()


def num(expr, subs):
    return complex(sp.N(expr.subs(subs), 30))


# ----------------------------------------------------------------------------- moment equations
PAR = dict(omega=1.0, omega_L=1.0, Gamma=0.03, kappa_a=0.002, kappa_b=0.005, J=0.01 + 0.004j,
           p_a=0.8 + 0.3j, p_b=1.1 - 0.2j, E=0.1)


def engine_lab_moments(t):
    """Coherent-state moments in the lab frame and their time derivatives, from the engine."""
    net = ah.charger_battery(PAR["J"], PAR["Gamma"], PAR["kappa_a"], PAR["kappa_b"], PAR["E"],
                             p_a=PAR["p_a"], p_b=PAR["p_b"])
    x = net.amplitudes([t])[0]
    dx = net.drift @ x - 1j * np.array([PAR["E"], 0])
    ph = np.exp(-1j * PAR["omega_L"] * t)
    a, b = x * ph
    da, db = (dx - 1j * PAR["omega_L"] * x) * ph
    m = {"<a>": a, "<b>": b, "<a^dag>": np.conj(a), "<b^dag>": np.conj(b), "<a^dag a>": abs(a) ** 2,
         "<b^dag b>": abs(b) ** 2, "<a^dag b>": np.conj(a) * b, "<b^dag a>": np.conj(b) * a}
    d = {"a": da, "b": db, "ada": 2 * np.real(np.conj(a) * da), "bdb": 2 * np.real(np.conj(b) * db),
         "adb": np.conj(da) * b + np.conj(a) * db}
    return m, d


def test_moment_equations_are_the_engine_dynamics(mom):
    t = 137.0
    m, d = engine_lab_moments(t)
    subs = {getattr(S, k): v for k, v in PAR.items()}
    subs[S.t] = t
    subs.update({sp.Symbol(k): v for k, v in m.items()})
    for key, rhs in mom["derived"].items():
        assert num(rhs, subs) == pytest.approx(d[key], rel=1e-10, abs=1e-16), key


def test_moment_equations_printed(mom):
    for k in mom["derived"]:
        assert sp.simplify(mom["derived"][k] - mom["printed"][k]) == 0, k
    # the arXiv <b^dag b> equation (mu^* for mu) differs when mu is complex
    t = 50.0
    m, d = engine_lab_moments(t)
    subs = {getattr(S, k): v for k, v in PAR.items()}
    subs.update({sp.Symbol(k): v for k, v in m.items()})
    subs[S.t] = t
    assert abs(num(mom["printed_arxiv"]["bdb"], subs) - d["bdb"]) > 1e-3 * abs(d["bdb"])


def test_dissipator_forms_exact():
    d = ahs.dissipator_forms()
    a, ada, adag = sp.Symbol("<a>"), sp.Symbol("<a^dag a>"), sp.Symbol("<a^dag>")
    assert d["prl"]["1"] == 0
    assert sp.expand(d["prl"]["a"] + a / 2) == 0
    assert sp.expand(d["prl"]["ada"] + ada) == 0
    # the arXiv form does not conserve the trace and couples <a> to higher moments
    assert sp.expand(d["arxiv"]["1"] - (adag - ada)) == 0
    assert sp.expand(d["arxiv"]["a"] - (-a / 2 + ada - sp.Symbol("<a^dag a a>"))) == 0


def test_nonreciprocity_condition():
    nr = ahs.nonreciprocity_condition()
    mu = -S.p_b * sp.conjugate(S.p_a)
    assert sp.simplify(nr["J"] - (-sp.I * mu * S.Gamma / 2)) == 0
    assert sp.simplify(nr["forward"] - sp.conjugate(mu) * S.Gamma) == 0
    assert not any(s.name in ("<a^dag b>", "<b^dag a>") for s in nr["ada_rhs"].free_symbols)
    pa, pb, G = 0.8 + 0.3j, 1.1 - 0.2j, 0.03
    sub = {S.p_a: pa, S.p_b: pb, S.Gamma: G}
    assert num(nr["J"], sub) == pytest.approx(ah.nonreciprocal_J(G, pa, pb), rel=1e-13)
    net = ah.nonreciprocal_battery(G, 0.002, 0.005, 0.1, p_a=pa, p_b=pb)
    assert num(nr["forward"], sub) == pytest.approx(net.drift[1, 0], rel=1e-13)


# ----------------------------------------------------------------------------- elimination
def test_adiabatic_elimination_against_the_engine():
    r = ahs.adiabatic_elimination()
    assert sp.simplify(r["A_eff"] - r["A_target"]) == sp.zeros(2, 2)
    assert sp.simplify(r["noise_eff"] - r["noise_target"]) == sp.zeros(2, 2)
    nu_a, nu_b, phi, gc, ka, kb, J = 0.05, 0.03, 0.7, 4.0, 0.002, 0.004, 0.003 - 0.001j
    sub = {r["nu_a"]: nu_a, r["nu_b"]: nu_b, r["phi"]: phi, r["gamma_c"]: gc, S.kappa_a: ka, S.kappa_b: kb, S.J: J}
    net = ah.auxiliary_mode_network(nu_a, nu_b * np.exp(1j * phi), gc, ka, kb, 0.1, J=J)
    A3 = np.array(r["A3"].subs(sub).evalf(20), dtype=complex)
    np.testing.assert_allclose(A3, net.drift, rtol=1e-13, atol=1e-17)
    A_eff = np.array(r["A_eff"].subs(sub).evalf(20), dtype=complex)
    np.testing.assert_allclose(A_eff, net.eliminated_drift([0, 1]), rtol=1e-12, atol=1e-17)
    G, pa, pb = ah.eliminated_reservoir(nu_a, nu_b * np.exp(1j * phi), gc)
    assert num(r["Gamma"], sub) == pytest.approx(G, rel=1e-13)
    np.testing.assert_allclose(np.array(r["p"].subs(sub).evalf(20), dtype=complex).ravel(), [pa, pb], rtol=1e-13)
    noise = np.array(r["noise_eff"].subs(sub).evalf(20), dtype=complex)
    np.testing.assert_allclose(noise, G * np.outer(np.conj([pa, pb]), [pa, pb]), rtol=1e-12)


# ----------------------------------------------------------------------------- nonreciprocal solution
def test_nonreciprocal_solution_symbolic(nrsol):
    s = nrsol
    assert sp.simplify(s["E_A"] - s["eq7_printed"]) == 0
    assert ahs._canon(s["E_B"] - s["eq5_prl"]) == 0
    assert ahs._canon(s["eq5_prl"] - s["eq5_square"]) == 0
    assert sp.simplify(s["E_B_equal"] - s["eq6_corrected"]) == 0
    # the equal-rate branch has the secular term t e^{-Lambda t/2} that paper Eq. (6) lacks
    e = sp.exp(-S.Lam * S.t / 2)
    hand = -2 * sp.I * S.E * S.Gamma * sp.exp(-sp.I * S.theta) / S.Lam * (2 / S.Lam * (1 - e) - S.t * e)
    assert sp.simplify(s["beta_equal"] - hand) == 0


@pytest.mark.parametrize("La_Lb", [(0.11, 0.013), (0.043, 0.043)])
def test_nonreciprocal_solution_against_the_engine(nrsol, La_Lb):
    La, Lb = La_Lb
    G, th, E, ka = 0.01, 0.6, 0.1, La - 0.01
    kb = Lb - 0.01
    net = ah.nonreciprocal_battery(G, ka, kb, E, p_a=1.0, p_b=-np.exp(1j * th))   # mu = e^{i theta}
    tt = np.array([3.0, 40.0, 400.0])
    x = net.amplitudes(tt)
    sub = {S.Lambda_a: La, S.Lambda_b: Lb, S.Lam: La, S.Gamma: G, S.E: E, S.theta: th}
    beta = nrsol["beta"] if La != Lb else nrsol["beta_equal"]
    EB = nrsol["E_B"] if La != Lb else nrsol["E_B_equal"]
    for i, ti in enumerate(tt):
        sub[S.t] = ti
        assert num(nrsol["alpha"], sub) == pytest.approx(x[i, 0], rel=1e-11)
        assert num(beta, sub) == pytest.approx(x[i, 1], rel=1e-11)
        assert num(EB, sub).real == pytest.approx(abs(x[i, 1]) ** 2, rel=1e-11)


def test_nonreciprocal_printed_forms_evaluated(nrsol):
    tt = np.array([5.0, 50.0, 300.0])
    La, Lb, G, E = 0.11, 0.013, 0.01, 0.1
    for i, ti in enumerate(tt):
        sub = {S.Lambda_a: La, S.Lambda_b: Lb, S.Lam: 0.043, S.Gamma: G, S.E: E, S.t: ti}
        assert num(nrsol["eq5_arxiv"], sub).real == pytest.approx(
            ah.energy_battery_nr_printed([ti], G, La, Lb, E, version="arxiv")[0], rel=1e-11)
        assert num(nrsol["eq6_printed"], sub).real == pytest.approx(
            ah.energy_battery_nr_symmetric_printed([ti], G, 0.043, E)[0], rel=1e-11)
        assert num(nrsol["eq6_corrected"], sub).real == pytest.approx(
            ah.energy_battery_nr([ti], G, 0.043, 0.043, E)[0], rel=1e-11)


# ----------------------------------------------------------------------------- reciprocal solution
def test_reciprocal_solution(recsol):
    r = recsol
    assert r["beta_check"] == 0
    assert r["bracket_check"] == 0
    bt = sp.Function(r"\bar{b}")(S.t)
    hand = bt.diff(S.t, 2) + (S.kappa_a + S.kappa_b) / 2 * bt.diff(S.t) + (S.kappa_a * S.kappa_b / 4 + S.J_abs ** 2) * bt + S.J_abs * S.E
    assert sp.expand(r["ode"].lhs - r["ode"].rhs - hand) == 0
    J, ka, kb, E = 0.005, 0.1, 0.003, 0.1          # Fig. 4: Delta real
    D = ah.reciprocal_delta(J, ka, kb).real
    net = ah.reciprocal_battery(J, ka, kb, E)
    lam = np.sort(np.linalg.eigvals(net.drift).real)
    sub = {S.J_abs: J, S.kappa_a: ka, S.kappa_b: kb, S.E: E, S.Delta: D}
    np.testing.assert_allclose(sorted(num(x, sub).real for x in r["roots"]), lam, rtol=1e-12)
    for ti in (4.0, 60.0, 900.0):
        sub[S.t] = ti
        x = net.amplitudes([ti])[0]
        assert num(r["beta"], sub) == pytest.approx(x[1], rel=1e-10)
        alpha = r["alpha_of_beta"].subs(sp.Function(r"\bar{b}")(S.t), r["beta"]).doit()
        assert num(alpha, sub) == pytest.approx(x[0], rel=1e-10)
        assert num(r["E_B"], sub).real == pytest.approx(abs(x[1]) ** 2, rel=1e-10)
        assert num(r["eq8_printed"], sub).real == pytest.approx(
            ah.energy_battery_reciprocal_printed([ti], J, ka, kb, E)[0], rel=1e-9)
        assert num(r["bracket_difference"], sub).real == pytest.approx(num(r["sinh_sign_term"], sub).real, rel=1e-10)
        assert abs(num(r["sinh_sign_term"], sub)) > 1e-3


def test_reciprocal_relaxation_is_monotone_when_overdamped(recsol):
    """dg/dt against the engine: g = 1 - <b>/<b>_inf, so dg/dt = -(A <a> - i F)_b / <b>_inf, exactly."""
    r = recsol
    assert r["dg_dt_check"] == 0
    assert sp.expand(r["kab2_minus_Delta2"] - 4 * S.kappa_a * S.kappa_b - 16 * S.J_abs ** 2) == 0
    J, ka, kb, E = 0.005, 0.1, 0.003, 0.1          # Fig. 4: Delta real
    net = ah.reciprocal_battery(J, ka, kb, E)
    b_inf = net.steady_state()["amplitudes"][1]
    sub = {S.J_abs: J, S.kappa_a: ka, S.kappa_b: kb, S.Delta: ah.reciprocal_delta(J, ka, kb).real}
    for ti in (3.0, 50.0, 700.0):
        x = net.amplitudes([ti])[0]
        db = (net.drift @ x - 1j * net.drive)[1]
        sub[S.t] = ti
        assert num(r["dg_dt"], sub).real == pytest.approx((-db / b_inf).real, rel=1e-10)
        assert num(r["dg_dt"], sub).real < 0 and abs((db / b_inf).imag) < 1e-12 * abs(db / b_inf)


# ----------------------------------------------------------------------------- ratios
def test_ratios_symbolic(ratios):
    r = ratios
    for k in ("10", "11", "12"):
        assert sp.simplify(r[f"eq{k}_derived"] - r[f"eq{k}_printed"]) == 0, k
    assert r["eq10_limit_C0"] == 4 and r["eq10_limit_Cinf"] == 4
    assert sp.simplify(r["eq10_xi1_minus_1"] - r["eq10_xi1_minus_1_hand"]) == 0
    assert sp.discriminant(3 * r["u"] ** 2 + 2 * r["u"] + 3) < 0          # no real root: eta >= 1 at xi = 1
    assert r["Cd_threshold"] == [r["kappa"]]
    assert sp.simplify(r["eta_AB"] - 4 * S.Gamma ** 2 / S.Lambda_b ** 2) == 0


@pytest.mark.parametrize("J,ka,kb", [(0.005, 0.1, 0.003), (0.02, 0.003, 0.003), (0.07, 0.001, 0.02)])
def test_ratios_against_the_engine(ratios, J, ka, kb):
    rec = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
    xi, C = np.sqrt(ka / kb), 4 * J ** 2 / (ka * kb)
    nr = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1).steady_state()["energies"]
    opt = ah.nonreciprocal_battery(3 * J, ka, kb, 0.1, p_a=np.sqrt(xi), p_b=1 / np.sqrt(xi)).steady_state()["energies"][1]
    sub = {S.C: C, S.xi: xi, S.J_abs: J, S.kappa_a: ka, S.kappa_b: kb, S.Gamma: 3 * J}
    assert num(ratios["eq10_derived"], sub).real == pytest.approx(nr[1] / rec, rel=1e-10)
    assert num(ratios["eq11_derived"], sub).real == pytest.approx(opt / rec, rel=1e-10)
    sub = {S.Gamma: 2 * J, S.Lambda_b: 2 * J + kb}
    assert num(ratios["eta_AB"], sub).real == pytest.approx(nr[1] / nr[0], rel=1e-10)
    sub = {S.Gamma: 2 * J, S.Lambda_a: 2 * J + ka, S.Lambda_b: 2 * J + kb, S.E: 0.1, S.J_abs: J, S.kappa_a: ka, S.kappa_b: kb}
    assert num(ratios["steady_nr"][0], sub).real == pytest.approx(nr[0], rel=1e-11)
    assert num(ratios["steady_nr"][1], sub).real == pytest.approx(nr[1], rel=1e-11)
    assert num(ratios["steady_rec"], sub).real == pytest.approx(rec, rel=1e-11)


# ----------------------------------------------------------------------------- appendices
def test_appendix_a():
    a = ahs.detuning_appendix_a()
    assert a["residual"] == 0 and a["difference"] == 0 and a["beta_at_0"] == 0
    assert a["dE_inf_d_delta2"].is_negative
    G, ka, kb, E, d = 0.02, 0.05, 0.004, 0.1, 0.003
    La, Lb = G + ka, G + kb
    net = ah.nonreciprocal_battery(G, ka, kb, E, p_a=1, p_b=-1, detuning=d)
    sub = {S.Gamma: G, S.Lambda_a: La, S.Lambda_b: Lb, S.E: E, S.delta: d, S.t: 70.0}
    x = net.amplitudes([70.0])[0]
    assert num(a["beta"], sub) == pytest.approx(x[1], rel=1e-11)          # the complex amplitude, phase included
    assert num(a["A1_printed"], sub).real == pytest.approx(abs(x[1]) ** 2, rel=1e-10)
    assert num(a["E_inf"], sub).real == pytest.approx(net.steady_state()["energies"][1], rel=1e-11)
    h = 1e-10  # d E_inf / d(delta^2) against a difference quotient of the engine's steady states
    e = [ah.nonreciprocal_battery(G, ka, kb, E, detuning=np.sqrt(d ** 2 + s * h)).steady_state()["energies"][1]
         for s in (1, -1)]
    sub[a["d2"]] = d ** 2
    assert num(a["dE_inf_d_delta2"], sub).real == pytest.approx((e[0] - e[1]) / (2 * h), rel=1e-6)


def test_appendix_b():
    b = ahs.optimisation_appendix_b()
    assert b["mu_change"] == 0
    assert sp.simplify(b["Gamma_a"] - S.Gamma * S.x) == 0 and sp.simplify(b["Gamma_b"] - S.Gamma / S.x) == 0
    assert sp.simplify(b["B4_derived"] - b["B4"]) == 0
    assert sp.simplify(b["x_opt"] - S.xi) == 0
    assert sp.simplify(b["second_derivative"]).is_negative
    assert sp.simplify(b["B6_derived"] - b["B6_printed"]) == 0
    assert sp.simplify(b["B6_derived"].subs(S.Gamma, 2 * S.J_abs) - b["B6_printed_J"]) == 0
    ka, kb, G, E = 0.05, 0.01, 0.4, 0.1
    xi = np.sqrt(ka / kb)
    for x in (0.5, xi, 3.0):
        e = ah.nonreciprocal_battery(G, ka, kb, E, p_a=np.sqrt(x), p_b=1 / np.sqrt(x)).steady_state()["energies"][1]
        assert num(b["B4"], {S.x: x, S.Gamma: G, S.kappa_a: ka, S.xi: xi, S.E: E}).real == pytest.approx(e, rel=1e-11)
    e = ah.nonreciprocal_battery(G, ka, kb, E, p_a=np.sqrt(xi), p_b=1 / np.sqrt(xi)).steady_state()["energies"][1]
    assert num(b["B6_derived"], {S.Gamma: G, S.kappa_a: ka, S.xi: xi, S.E: E}).real == pytest.approx(e, rel=1e-11)


def test_appendix_c(appc):
    c = appc
    r, y, k = c["r"], c["y"], c["k"]
    assert sp.simplify(c["kappa_b"] - r * y * S.J_abs) == 0
    assert sp.simplify(c["B6_over_N"] - 8 / (r * sp.sqrt(y) + 2) ** 4) == 0
    excess = 2 * r ** 2 * (1 + y) ** 2 / c["Delta_plus"] ** 2 + 2 / (r ** 2 * y + 4) ** 2
    assert sp.simplify(c["C3_printed_excess_at_0"] - excess) == 0
    # g' vanishes exactly at Delta_+ t / 4 = n pi
    assert sp.simplify(c["dg_dt"].subs(S.t, 4 * sp.pi * (2 * k + 1) / c["Delta_plus_symbol"])) == 0
    rv, yv, J, F = 0.5, 0.15, 1.0, 0.1
    ka, kb = rv * J, rv * yv * J
    rec = ah.reciprocal_battery(J, ka, kb, F)
    opt = ah.nonreciprocal_battery(2 * J, ka, kb, F, p_a=(ka / kb) ** 0.25, p_b=(ka / kb) ** -0.25)
    N = 8 * F ** 2 / J ** 2
    E_opt = opt.steady_state()["energies"][1]
    for ti in (0.7, 3.0, 9.0):
        gap = (E_opt - rec.energies([ti])[0, 1]) / N
        assert num(c["D_t"], {r: rv, y: yv, S.t: ti}).real == pytest.approx(gap, rel=1e-10)
        assert num(c["C3_printed"], {r: rv, y: yv, S.t: ti}).real == pytest.approx(
            ah.gap_all_times_printed([ti], rv, yv)[0], rel=1e-11)
    Dp = 4 * abs(np.linalg.eigvals(rec.drift).imag).max()
    peak = rec.energies([4 * np.pi / Dp])[0, 1]
    assert num(c["chi"], {r: rv, y: yv, k: 0}).real == pytest.approx((E_opt - peak) / N, rel=1e-10)
    assert num(c["C6_printed"], {r: rv, y: yv, k: 2}).real == pytest.approx(float(ah.chi_printed(rv, yv, 2)), rel=1e-12)
    # chi increases with k: its derivative is positive over the region of Appendix C
    f = sp.lambdify((r, y, c["k_r"]), c["dchi_dk"], "numpy")
    R, Y, K = np.meshgrid(np.linspace(0.01, 1, 30), np.linspace(0, 0.3, 20), [0.0, 1.0, 5.0])
    assert np.all(f(R, Y, K) > 0)
    assert float(ah.chi(rv, yv, 1)) - float(ah.chi(rv, yv, 0)) == pytest.approx(
        float(sp.Integral(c["dchi_dk"].subs({r: rv, y: yv}), (c["k_r"], 0, 1)).evalf(20)), rel=1e-9)


def test_pretty_renames_moments_only():
    a, adb = sp.Symbol("<a>"), sp.Symbol("<a^dag b>")
    e = 2 * adb + a * S.Gamma
    p = ahs.pretty(e)
    names = {s.name for s in p.free_symbols}
    assert names == {r"\langle a\rangle", r"\langle a^{\dagger} b\rangle", "Gamma"}
    back = {sp.Symbol(r"\langle a\rangle"): a, sp.Symbol(r"\langle a^{\dagger} b\rangle"): adb}
    assert sp.expand(p.xreplace(back) - e) == 0
