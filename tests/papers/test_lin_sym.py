"""Tests for nrqb.papers.lin_sym: each derivation against the paper's printed form and a numerical route.

Exact sympy equalities (``simplify(a - b) == 0``) pin every expression that should agree with the
paper; where the paper is wrong the difference is evaluated at a numerical point and compared
with the engine, never asserted as ``!= 0``.
"""

import numpy as np
import sympy as sp

from nrqb import LinearNetwork
from nrqb.papers import lin
from nrqb.papers import lin_sym

S = lin_sym.SYM
PT = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.006, S["eps"]: 0.1, S["J"]: 0.013, S["phi"]: 1.1,
      S["Dpa"]: 0.002, S["Dpb"]: -0.005, S["G"]: 0.004}
MOM = {n: sp.Symbol(n) for n in ["<a>", "<a^dag>", "<b>", "<b^dag>", "<a^dag a>", "<b^dag b>", "<a^dag b>",
                                  "<b^dag a>"]}


def num(expr, vals):
    return complex(sp.N(sp.sympify(expr).subs(vals), 30))


def zero(expr):
    return sp.simplify(sp.expand(expr)) == 0


def engine_drift():
    Jm = 0.013 - 0.004 * np.exp(-1.1j)
    net = LinearNetwork(np.array([[0.002, Jm], [np.conj(Jm), -0.005]]), loss=[0.003, 0.006],
                        jumps=[(0.04, [1.0, np.exp(-1.1j)])], drive=[0.1, 0.0])
    return net.drift


# ------------------------------------------------------------------------- elimination
def test_projection_equals_printed_eq18_and_the_engine():
    pe = lin_sym.projection_elimination()
    assert sp.simplify(pe["heff"] - lin_sym.paper_eq18()) == sp.zeros(2, 2)
    assert sp.simplify(pe["heff_E"].subs(pe["E"], 0) - pe["heff"]) == sp.zeros(2, 2)
    assert sp.simplify(pe["PHP"] + pe["second_order"] - pe["heff_E"]) == sp.zeros(2, 2)
    # numerically: the engine's Schur complement of the Lindblad three-mode model is -i h_eff
    v = dict(g_a=0.3, g_b=0.45, gm=7.0, Da=0.02, Db=-0.03, Dc=2.5, J=0.011, phi=0.7)
    full = lin.full_network(g_a=v["g_a"], g_b=v["g_b"], gamma_m=v["gm"], J=v["J"], phi=v["phi"], kappa_a=0,
                            kappa_b=0, eps=0, Delta_a=v["Da"], Delta_b=v["Db"], Delta_c=v["Dc"])
    vals = {S["g_a"]: 0.3, S["g_b"]: 0.45, S["gamma"]: 3.5, S["Delta_a"]: 0.02, S["Delta_b"]: -0.03,
            S["Delta_c"]: 2.5, S["J"]: 0.011, S["phi"]: 0.7}
    h = np.array([[num(pe["heff"][i, j], vals) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(-1j * h, full.eliminated_drift([0, 1]), rtol=1e-12, atol=1e-16)
    hp = np.array([[num(lin_sym.paper_eq18()[i, j], vals) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(-1j * hp, full.eliminated_drift([0, 1]), rtol=1e-12, atol=1e-16)
    assert pe["h"].shape == (3, 3) and pe["QHQ"] == S["Delta_c"] - sp.I * S["gamma"]
    d = lin_sym.paper_definitions()
    el = lin.elimination_parameters(0.3, 0.45, 7.0, Delta_a=0.02, Delta_b=-0.03, Delta_c=2.5)
    for k, kk in [("Dpa", "Delta_a_p"), ("Dpb", "Delta_b_p"), ("Gamma_a", "Gamma_a_printed"),
                  ("Gamma_b", "Gamma_b_printed"), ("G", "G"), ("Gamma", "Gamma_printed")]:
        np.testing.assert_allclose(num(d[k], vals).real, el[kk], rtol=1e-13)


def test_langevin_elimination_gives_minus_i_heff():
    le = lin_sym.langevin_elimination()
    pe = lin_sym.projection_elimination()
    assert sp.simplify(le["A2"] + sp.I * pe["heff"]) == sp.zeros(2, 2)
    full = lin.full_network(g_a=0.3, g_b=0.45, gamma_m=7.0, J=0.011, phi=0.7, kappa_a=0, kappa_b=0, eps=0,
                            Delta_a=0.02, Delta_b=-0.03, Delta_c=2.5)
    vals = {S["g_a"]: 0.3, S["g_b"]: 0.45, S["gamma"]: 3.5, S["Delta_a"]: 0.02, S["Delta_b"]: -0.03,
            S["Delta_c"]: 2.5, S["J"]: 0.011, S["phi"]: 0.7}
    np.testing.assert_allclose(np.array([[num(le["A3"][i, j], vals) for j in range(3)] for i in range(3)]),
                               full.drift, rtol=1e-13, atol=1e-16)
    # <c> slaved to <a>, <b>: coefficients -A_ce / A_cc
    ca = num(sp.expand(le["c_adiabatic"]).coeff(MOM["<a>"]), vals)
    np.testing.assert_allclose(ca, -full.drift[2, 0] / full.drift[2, 2], rtol=1e-13)


def test_memory_correction_steps():
    mc = lin_sym.memory_correction()
    z, X, Xd = sp.Symbol("zeta"), sp.Symbol("X"), sp.Symbol("Xdot")
    assert zero(mc["c0"] + sp.I * X / z)
    assert zero(mc["c1"] - (-sp.I * X / z + sp.I * Xd / z**2))
    # c1 solves dc/dt = -z c - i X up to the second derivative of X
    Xdd = sp.Symbol("Xddot")
    dc1 = -sp.I * Xd / z + sp.I * Xdd / z**2
    assert zero((dc1 - (-z * mc["c1"] - sp.I * X)).subs(Xdd, 0))
    assert zero(mc["re_phase"] - (S["gamma"] ** 2 - S["Delta_c"] ** 2) / (S["gamma"] ** 2 + S["Delta_c"] ** 2))
    assert zero(mc["im_phase"] + 2 * S["gamma"] * S["Delta_c"] / (S["gamma"] ** 2 + S["Delta_c"] ** 2))
    assert zero(mc["g2"] - S["Gamma"] * (S["Delta_c"] ** 2 + S["gamma"] ** 2) / (2 * S["gamma"]))
    vals = {S["Gamma"]: 0.04, S["gamma"]: 10.0, S["phi"]: 0.4, S["Delta_c"]: 3.0}
    N = np.array([[num(mc["N_Gamma"][i, j], vals) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(N, lin.memory_matrix(Gamma=0.04, gamma_m=20.0, phi=0.4, Delta_c=3.0), rtol=1e-12)
    g = sp.Symbol("g", positive=True)
    Ng = np.array([[num(mc["N"][i, j], {**vals, g: 0.5}) for j in range(2)] for i in range(2)])
    zz = 10 + 3j
    np.testing.assert_allclose(Ng, 0.25 / zz**2 * np.array([[1, np.exp(-0.4j)], [np.exp(0.4j), 1]]), rtol=1e-12)
    np.testing.assert_allclose(num(mc["phase"], vals), np.conj(zz) / zz, rtol=1e-13)
    np.testing.assert_allclose(num(mc["X"], {**vals, g: 0.5, MOM["<a>"]: 1.0, MOM["<b>"]: 0.0}), 0.5 * np.exp(0.4j))
    np.testing.assert_allclose(num(mc["z"], vals), zz)


# ------------------------------------------------------------------------- master equation
def test_commutator_moments_are_unphysical():
    cm = lin_sym.commutator_moments()
    Gt = S["Gammatilde"]
    # <a> decays at Gammatilde, <a^dag> grows at Gammatilde, <a^dag a> is not damped at all
    assert zero(cm["a"].coeff(MOM["<a>"]) + Gt)
    assert zero(cm["adag"].coeff(MOM["<a^dag>"]) - Gt)
    assert zero(cm["adag a"].coeff(MOM["<a^dag a>"]))
    vals = {Gt: 0.02, S["J"]: 0.01, S["phi"]: 0.5, S["eps"]: 0.1}
    np.testing.assert_allclose(num(cm["a"].coeff(MOM["<b>"]), vals), -1j * 0.01 - 0.02 * np.exp(-0.5j), rtol=1e-13)
    np.testing.assert_allclose(num(cm["a"].subs({m: 0 for m in MOM.values()}), vals), -0.1j, rtol=1e-13)
    np.testing.assert_allclose(num(cm["adag a"].coeff(MOM["<a^dag b>"]), vals), -1j * 0.01 - 0.02 * np.exp(-0.5j),
                               rtol=1e-13)


def test_shorthand_gives_twice_the_damping_of_eq5():
    sh = lin_sym.shorthand_moments()
    Gt, J, phi, eps = S["Gammatilde"], S["J"], S["phi"], S["eps"]
    assert zero(sh["linear"] - (-Gt * MOM["<a>"] - (Gt * sp.exp(-sp.I * phi) + sp.I * J) * MOM["<b>"] - sp.I * eps))
    # the cubic terms are -2 <K a> (normal ordered): they cancel against 2 <a><K> for a coherent state
    cubic = sp.expand(sh["raw"] - sh["linear"])
    assert zero(cubic.coeff(sp.Symbol("<a^dag a a>")) + 2 * Gt)
    np.testing.assert_allclose(num(cubic.coeff(sp.Symbol("<b^dag a b>")), {Gt: 0.3}), -0.6, rtol=1e-14)
    # Eq. (5) has Gamma/2 where the shorthand has Gammatilde: with one symbol for both, twice the damping
    eq5 = lin_sym.paper_eq5_eq6()["a"]
    ratio = num(sh["linear"].coeff(MOM["<a>"]).subs(Gt, S["Gamma"]), PT) / num(eq5.coeff(MOM["<a>"]).subs(
        S["kappa_a"], 0).subs(S["Dpa"], 0), PT)
    np.testing.assert_allclose(ratio, 2.0, rtol=1e-13)


def test_anti_hermitian_part_is_a_collective_jump():
    lhs, rhs = lin_sym.anti_hermitian_part()
    assert zero(lhs - rhs)
    ad_a = lin_sym.SYM["Gammatilde"]
    from sympy.physics.quantum import Dagger
    from nrqb.engine import symbolic
    a, b = symbolic.modes("a b")
    assert zero(lhs.coeff(Dagger(a) * a) - ad_a)
    np.testing.assert_allclose(num(lhs.coeff(Dagger(a) * b), {ad_a: 0.3, S["phi"]: 0.5}), 0.3 * np.exp(-0.5j))
    np.testing.assert_allclose(num(rhs.coeff(Dagger(b) * a), {ad_a: 0.3, S["phi"]: 0.5}), 0.3 * np.exp(0.5j))


def test_lindblad_moments_against_engine_and_the_paper():
    ours = lin_sym.lindblad_moments()
    A = engine_drift()
    for i, k in enumerate("ab"):
        for j, m in enumerate(["<a>", "<b>"]):
            np.testing.assert_allclose(num(ours[k].coeff(MOM[m]), PT), A[i, j], rtol=1e-13, atol=1e-17)
    np.testing.assert_allclose(num(ours["a"].subs({m: 0 for m in MOM.values()}), PT), -0.1j, rtol=1e-13)
    # populations: d<b^dag b>/dt = conj(A) N + N A^T (zero temperature) for the coherent state
    alpha = np.array([0.3 + 0.1j, -0.2 + 0.4j])
    vals = {**PT, MOM["<a>"]: alpha[0], MOM["<a^dag>"]: np.conj(alpha[0]), MOM["<b>"]: alpha[1],
            MOM["<b^dag>"]: np.conj(alpha[1]), MOM["<a^dag a>"]: abs(alpha[0]) ** 2,
            MOM["<b^dag b>"]: abs(alpha[1]) ** 2, MOM["<a^dag b>"]: np.conj(alpha[0]) * alpha[1],
            MOM["<b^dag a>"]: np.conj(alpha[1]) * alpha[0]}
    dalpha = A @ alpha - 1j * np.array([0.1, 0])
    np.testing.assert_allclose(num(ours["bdag b"], vals), 2 * np.real(np.conj(alpha[1]) * dalpha[1]), rtol=1e-12)
    np.testing.assert_allclose(num(ours["adag a"], vals), 2 * np.real(np.conj(alpha[0]) * dalpha[0]), rtol=1e-12)
    np.testing.assert_allclose(num(ours["adag b"], vals), np.conj(dalpha[0]) * alpha[1] + np.conj(alpha[0]) * dalpha[1],
                               rtol=1e-12)
    # the paper: Eqs. (19)-(20) and Eq. (6) with the sign fixed are the derived moments, exactly
    p20 = lin_sym.paper_eq19_eq20()
    fixed = lin_sym.paper_eq5_eq6(sign_fix=True)
    for k in ours:
        assert zero(ours[k] - p20[k]), k
        assert zero(ours[k] - fixed[k]), k
    # the printed first line of Eq. (6): its cross term has the wrong sign, so the difference is
    # twice the cross term of the true equation
    printed = lin_sym.paper_eq5_eq6()
    cross = ours["adag a"] - ours["adag a"].subs({MOM["<a^dag b>"]: 0, MOM["<b^dag a>"]: 0})
    for k in ("a", "b", "bdag b", "adag b"):
        assert zero(ours[k] - printed[k]), k
    np.testing.assert_allclose(num(ours["adag a"] - printed["adag a"], vals), 2 * num(cross, vals), rtol=1e-12)
    assert abs(num(cross, vals)) > 1e-3


def test_dynamical_matrix_is_derived_and_equals_eq13():
    M = lin_sym.dynamical_matrix()
    assert sp.simplify(M - lin_sym.paper_eq13()) == sp.zeros(2, 2)
    Mn = np.array([[num(M[i, j], PT) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(Mn, engine_drift(), rtol=1e-13, atol=1e-17)
    Mp = np.array([[num(lin_sym.paper_eq13()[i, j], PT) for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(Mp, engine_drift(), rtol=1e-13, atol=1e-17)


def test_nonreciprocal_condition_from_the_moments():
    nr = lin_sym.nonreciprocal_condition()
    assert zero(nr["J_minus"] - sp.I * S["Gamma"] / 2 * sp.exp(-sp.I * S["phi"]))
    assert zero(nr["J_real"] - S["Gamma"] / 2)
    assert nr["phi_real"] == sp.pi / 2
    assert zero(nr["M_ba"] + S["Gamma"] * sp.exp(sp.I * S["phi"]))
    assert zero(nr["M_ab"] - lin_sym.dynamical_matrix()[0, 1])
    vals = {S["Gamma"]: 0.04, S["G"]: 0.004, S["phi"]: 1.1}
    np.testing.assert_allclose(num(nr["J"], vals), lin.nonreciprocal_J(0.04, 1.1, 0.004), rtol=1e-13)


# ------------------------------------------------------------------------- closed forms
def test_closed_forms_against_the_paper_and_the_engine():
    cf = lin_sym.closed_forms()
    pp = lin_sym.paper_eq8_eq9()
    La, Lb = S["Lambda_a"], S["Lambda_b"]
    assert zero(cf["beta"] - pp["beta"])                                          # Eq. (22)
    assert zero(pp["EB_inf"] - 16 * S["eps"] ** 2 * S["Gamma"] ** 2 / (La**2 * Lb**2))   # Eq. (10)
    assert zero(pp["EA_inf"] - 4 * S["eps"] ** 2 / La**2)
    assert zero(pp["na"] - sp.expand(cf["alpha"] * sp.conjugate(cf["alpha"])))           # Eq. (7)
    assert zero(cf["C"] + S["Gamma"] * sp.exp(sp.I * S["phi"]))
    # Eqs. (8), (9) and the equation after (22) are |beta|^2, conj(alpha) beta, |alpha|^2: equal to 25
    # digits at random points (exact simplification takes a minute)
    rng = np.random.default_rng(0)
    for _ in range(3):
        v = {S["Lambda_a"]: sp.Float(rng.uniform(0.01, 0.1), 40), S["Lambda_b"]: sp.Float(rng.uniform(0.01, 0.1), 40),
             S["Gamma"]: sp.Float(rng.uniform(0.01, 0.1), 40), S["eps"]: sp.Float(rng.uniform(0.05, 0.5), 40),
             S["phi"]: sp.Float(rng.uniform(0, 6), 40), S["t"]: sp.Float(rng.uniform(1, 200), 40),
             S["Dpa"]: sp.Float(rng.uniform(-0.05, 0.05), 40)}
        for ours, paper in [(cf["beta"] * sp.conjugate(cf["beta"]), pp["nb"]),
                            (sp.conjugate(cf["alpha"]) * cf["beta"], pp["ab"]),
                            (cf["alpha_detuned"] * sp.conjugate(cf["alpha_detuned"]), pp["na_detuned"])]:
            x, y = sp.N(ours.subs(v), 30), sp.N(paper.subs(v), 30)
            assert abs(complex(x - y)) < 1e-22 * abs(complex(y))
    # numbers against the engine at kappa_a != kappa_b, phi = pi/2
    net = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, Delta_a_p=0.01)
    t = 150.0
    al = net.amplitudes([t])[0]
    vals = {S["Lambda_a"]: 0.043, S["Lambda_b"]: 0.046, S["Gamma"]: 0.04, S["eps"]: 0.1, S["phi"]: sp.pi / 2,
            S["t"]: t, S["Dpa"]: 0.01}
    np.testing.assert_allclose(num(cf["alpha_detuned"], vals), al[0], rtol=1e-12)
    net0 = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1)
    al0 = net0.amplitudes([t])[0]
    np.testing.assert_allclose(num(cf["beta"], vals), al0[1], rtol=1e-12)
    np.testing.assert_allclose(num(cf["alpha"], vals), al0[0], rtol=1e-12)
    np.testing.assert_allclose(num(pp["nb"], vals), abs(al0[1]) ** 2, rtol=1e-10)
    np.testing.assert_allclose(num(pp["ab"], vals), np.conj(al0[0]) * al0[1], rtol=1e-10)
    np.testing.assert_allclose(num(pp["na"], vals), abs(al0[0]) ** 2, rtol=1e-12)
    np.testing.assert_allclose(num(pp["na_detuned"], vals), abs(al[0]) ** 2, rtol=1e-12)
    np.testing.assert_allclose([num(a, vals) for a in pp["A"]], lin.A_coefficients(0.043, 0.046), rtol=1e-13)
    neq = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    np.testing.assert_allclose(num(cf["beta_equal"], vals), neq.amplitudes([t])[0, 1], rtol=1e-12)


def test_paper_eq21_sign():
    p21 = lin_sym.paper_eq21()
    cf = lin_sym.closed_forms()
    assert zero(p21.subs(S["Dpa"], 0) - cf["alpha"])
    vals = {S["Lambda_a"]: 0.043, S["eps"]: 0.1, S["Dpa"]: 0.01, S["t"]: 150.0}
    np.testing.assert_allclose(num(p21, vals), lin.charger_amplitude_as_printed([150.0], Gamma=0.04, kappa_a=0.003,
                                                                                 eps=0.1, Delta_a_p=0.01)[0], rtol=1e-12)
    # steady state: printed eps (d - i L/2)/|z|^2, true -eps (d + i L/2)/|z|^2: real parts of opposite sign
    inf_p = num(p21, {**vals, S["t"]: 1e6})
    inf_t = num(cf["alpha_detuned"], {**vals, S["t"]: 1e6})
    np.testing.assert_allclose(inf_p, -np.conj(inf_t), rtol=1e-10)


# ------------------------------------------------------------------------- EP
def test_eigenvalues_step_by_step():
    ev = lin_sym.eigenvalues()
    lam = ev["lam"]
    assert zero(ev["charpoly"] - (lam**2 - ev["trace"] * lam + ev["det"]))
    assert zero(ev["quad_disc"] - ev["disc"])
    M = engine_drift()
    w = np.linalg.eigvals(M)
    roots = [num(r, PT) for r in ev["roots"]]
    np.testing.assert_allclose(np.sort_complex(np.array(roots)), np.sort_complex(w), rtol=1e-12)
    np.testing.assert_allclose(num(ev["disc"], PT), (w[0] - w[1]) ** 2, rtol=1e-10)
    np.testing.assert_allclose(num(ev["centre"], PT), np.trace(M) / 2, rtol=1e-13)


def test_printed_eq14_eq15():
    (lp, lm), disc = lin_sym.paper_eq14_discriminant()
    ev = lin_sym.eigenvalues()
    # printed centre is minus the true one
    assert zero((lp + lm) / 2 + ev["centre"])
    # the printed discriminant with the missing i restored is the true one ...
    Jp = S["J"] - S["G"] * sp.exp(sp.I * S["phi"])
    fixed = disc.subs(-Jp, -sp.I * Jp)
    assert zero(fixed - ev["disc"])
    # ... and as printed it differs from the engine's (lambda_+ - lambda_-)^2
    w = np.linalg.eigvals(engine_drift())
    dp = num(disc, PT)
    np.testing.assert_allclose(dp, lin.ep_discriminant_as_printed(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, J=0.013,
                                                                  phi=1.1, G=0.004, Delta_a_p=0.002, Delta_b_p=-0.005),
                               rtol=1e-12)
    assert abs(dp - (w[0] - w[1]) ** 2) > 0.1 * abs((w[0] - w[1]) ** 2)
    np.testing.assert_allclose(num(lp, PT), (-np.trace(engine_drift()) + np.sqrt(dp)) / 2, rtol=1e-12)


def test_ep_couplings():
    e = lin_sym.ep_couplings()
    Gm = S["Gamma"]
    assert zero(e["im_J2"] - e["Delta"] * e["kappa"] * (e["r"] - 1) / 4)
    assert zero(e["r1"][1] - sp.sqrt(Gm**2 - e["Delta"] ** 2) / 2)
    assert zero(e["Delta0"][1] ** 2 - (Gm**2 / 4 + e["kappa"] ** 2 * (1 - e["r"]) ** 2 / 16))
    vals = {Gm: 0.04, e["kappa"]: 0.003, e["r"]: 1, e["Delta"]: 0.02}
    np.testing.assert_allclose(num(e["r1"][1], vals), lin.ep_coupling(Gamma=0.04, kappa_a=0.003, kappa_b=0.003,
                                                                      Delta=0.02), rtol=1e-13)
    vals = {Gm: 0.04, e["kappa"]: 0.003, e["r"]: 0.1, e["Delta"]: 0}
    np.testing.assert_allclose(abs(num(e["Delta0"][1], vals)), lin.ep_coupling(Gamma=0.04, kappa_a=0.003,
                                                                               kappa_b=0.0003), rtol=1e-13)
    np.testing.assert_allclose(num(e["disc"].subs(S["J"], 0.0), {**vals, e["Delta"]: 0.01}),
                               (1j * 0.01 - 0.003 * 0.9 / 2) ** 2 + 0.04**2, rtol=1e-12)


def test_fig4_energies_against_the_engine():
    f4 = lin_sym.fig4_energies()
    vals = {S["Gamma"]: 0.04, f4["kappa"]: 0.003, S["eps"]: 0.1, f4["Delta"]: 0.01}
    J = np.sqrt(0.04**2 - 0.01**2) / 2
    for key, Jv in (("E_EP", J), ("E_nor", 0.02)):
        net = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, eps=0.1, J=Jv, Delta_b_p=0.01)
        np.testing.assert_allclose(num(f4[key], vals).real, net.steady_state()["energies"][1], rtol=1e-12)
    np.testing.assert_allclose(num(f4["J_EP"], vals), J, rtol=1e-14)


def test_best_coupling_resonant():
    bc = lin_sym.best_coupling_resonant()
    assert zero(bc["J_star_equal"] - S["kappa_a"] / 2)
    assert zero(bc["E_star_equal"] - S["eps"] ** 2 / S["kappa_a"] ** 2)
    assert zero(bc["J_star"] - (sp.sqrt((S["Gamma"] + S["kappa_a"]) * (S["Gamma"] + S["kappa_b"])) - S["Gamma"]) / 2)
    vals = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.007, S["eps"]: 0.1}
    Js = num(bc["J_star"], vals).real
    net = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.007, eps=0.1, J=Js)
    np.testing.assert_allclose(num(bc["E_star"], vals).real, net.steady_state()["energies"][1], rtol=1e-12)
    for dJ in (-1e-4, 1e-4):   # a maximum of the engine's steady energy
        n2 = lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.007, eps=0.1, J=Js + dJ)
        assert n2.steady_state()["energies"][1] < net.steady_state()["energies"][1]
    np.testing.assert_allclose(num(bc["E"], {**vals, S["J"]: 0.011}).real,
                               lin.effective_network(Gamma=0.04, kappa_a=0.003, kappa_b=0.007, eps=0.1, J=0.011)
                               .steady_state()["energies"][1], rtol=1e-12)
    assert zero(bc["dE"].subs(S["J"], bc["J_star"]))


def test_resonant_power_peak():
    rp = lin_sym.resonant_power_peak()
    s = rp["s"]
    assert zero(rp["fprime"] - s * sp.exp(-s))
    assert zero(rp["fprime_t"] - rp["Lambda"] * S["t"] / 2 * sp.exp(-rp["Lambda"] * S["t"] / 2))
    assert zero(rp["power"] - rp["f"] * rp["fprime"])
    sstar = lin.resonant_power_peak(Gamma=0.04, kappa=0.003)["s"]
    assert abs(num(rp["condition"], {s: sstar})) < 1e-14
    np.testing.assert_allclose(num(rp["condition"], {s: 1.0}), (2 - np.e + np.e - 1) * np.exp(-2), rtol=1e-13)
    # f(t) is the bracket of <b> at Lambda_a = Lambda_b (up to the prefactor 2 i eps Gamma e^{i phi}/Lambda)
    cf = lin_sym.closed_forms()
    vals = {rp["Lambda"]: 0.043, S["Lambda_a"]: 0.043, S["t"]: 80.0, S["eps"]: 0.1, S["Gamma"]: 0.04,
            S["phi"]: 0.0}
    np.testing.assert_allclose(num(cf["beta_equal"], vals), 2j * 0.1 * 0.04 / 0.043 * num(rp["f_t"], vals),
                               rtol=1e-12)


# ------------------------------------------------------------------------- display helpers
def test_tex_and_latex_equation():
    assert lin_sym.tex(MOM["<a^dag b>"]) == r"\langle a^\dagger b\rangle"
    assert lin_sym.tex(S["Dpa"]) == r"{\Delta'_a}"
    assert lin_sym.tex(S["Dpa"] ** 2) == r"{\Delta'_a}^{2}"   # not the double exponent MathJax rejects
    assert lin_sym.tex(S["eps"] * S["Gammatilde"]) in (r"\tilde{\Gamma} \varepsilon", r"\varepsilon \tilde{\Gamma}")
    expr = MOM["<a>"] + 2 * MOM["<b>"] + 3 * MOM["<a^dag a>"] + 4 * MOM["<b^dag b>"] + 5 * S["J"]
    out = lin_sym.latex_equation("X", expr, per_line=2)
    assert out.startswith(r"\begin{aligned}X &= ") and out.endswith(r"\end{aligned}")
    assert out.count(r"\\") == 2                       # 5 terms, 2 per line: 3 lines
    assert lin_sym.latex_equation("X", expr, per_line=5).count(r"\\") == 0
    import pytest
    with pytest.raises(ValueError, match="per_line"):
        lin_sym.latex_equation("X", expr, per_line=0)
    with pytest.raises(ValueError, match="lhs"):
        lin_sym.latex_equation(1, expr)
    with pytest.raises(ValueError, match="expr"):
        lin_sym.tex(1.0)


def test_nonreciprocal_moments_against_the_numerical_system():
    nm = lin_sym.nonreciprocal_moments()
    vals = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.006, S["Dpa"]: 0.002, S["Dpb"]: -0.005}
    L, _ = lin.moment_equations(Gamma=0.04, kappa_a=0.003, kappa_b=0.006, eps=0.1, J=0.02, Delta_a_p=0.002,
                                Delta_b_p=-0.005)
    rows = {"adag a": 4, "bdag b": 5, "adag b": 6}
    cols = {"na": 4, "nb": 5, "ab": 6, "ba": 7}
    for eq, i in rows.items():
        for mom, j in cols.items():
            np.testing.assert_allclose(num(nm[eq][mom], vals), L[i, j], rtol=1e-12, atol=1e-15)
    # the paper's sentence: <a^dag a> free of the coherences, <b^dag b> coupled to them, and fed by <a^dag a> only
    # through <a^dag b> (which the charger occupation drives)
    assert all(nm["adag a"][k] == 0 for k in ("ab", "ba", "nb")) and nm["bdag b"]["na"] == 0
    assert abs(num(nm["bdag b"]["ab"], vals)) > 0.01 and abs(num(nm["adag b"]["na"], vals)) > 0.01


def test_ep_coupling_and_phase_closed_form_against_the_root_finder():
    ep = lin_sym.ep_coupling_and_phase()
    for ka, kb, D in ((0.003, 0.0003, 0.01), (0.003, 0.03, -0.02), (0.005, 0.003, 0.03)):
        J, ph = lin.ep_coupling_and_phase(Gamma=0.04, kappa_a=ka, kappa_b=kb, Delta=D)
        v = {S["Gamma"]: 0.04, S["kappa_a"]: ka, S["kappa_b"]: kb, ep["Delta"]: D}
        np.testing.assert_allclose(num(ep["J_EP"], v).real, J, rtol=1e-10)
        np.testing.assert_allclose(num(ep["cos_phi"], v).real, np.cos(ph), rtol=1e-9, atol=1e-13)
        M = lin.dynamical_matrix(Gamma=0.04, kappa_a=ka, kappa_b=kb, J=J, phi=ph, Delta_b_p=D)
        d = num(ep["disc"], {**v, S["J"]: J, S["phi"]: ph})
        np.testing.assert_allclose(d, lin.ep_discriminant(M), atol=1e-15)
        np.testing.assert_allclose(num(ep["re"], {**v, S["J"]: J, S["phi"]: ph}) + 1j * num(ep["im"], {
            **v, S["J"]: J, S["phi"]: ph}), 0, atol=1e-15)
    # away from the EP: the discriminant and its parts against the numerical matrix
    v = {S["Gamma"]: 0.04, S["kappa_a"]: 0.003, S["kappa_b"]: 0.007, ep["Delta"]: 0.013, S["J"]: 0.011, S["phi"]: 1.2}
    M = lin.dynamical_matrix(Gamma=0.04, kappa_a=0.003, kappa_b=0.007, J=0.011, phi=1.2, Delta_b_p=0.013)
    d = lin.ep_discriminant(M)
    assert abs(d.imag) > 1e-2 * abs(d)
    np.testing.assert_allclose(num(ep["disc"], v), d, rtol=1e-12)
    np.testing.assert_allclose(num(ep["re"], v) + 1j * num(ep["im"], v), d, rtol=1e-12)


def test_A_coefficients_simplified_and_their_poles():
    A = lin_sym.A_coefficients_simplified()
    La, Lb = S["Lambda_a"], S["Lambda_b"]
    for p, q in zip(A["printed"], A["simple"]):
        assert zero(p - q)
    # residues against a numerical limit: (La - Lb) A_j at Lambda_a = Lambda_b (1 + 1e-9)
    for A_j, res in zip(lin.A_coefficients(0.043 * (1 + 1e-9), 0.043), A["residues"]):
        np.testing.assert_allclose(0.043e-9 * A_j, float(res), atol=1e-7)
    assert [float(x) for x in A["residues"]] == [0.0, 1.0, -1.0, -1.0]
    terms = lin_sym.paper_eq8_eq9()["nb_terms"]
    assert zero(sp.Add(*terms) * 16 * S["eps"] ** 2 * S["Gamma"] ** 2 / La**2 - lin_sym.paper_eq8_eq9()["nb"])
    assert len(terms) == 5 and La in terms[2].free_symbols and Lb in terms[2].free_symbols
