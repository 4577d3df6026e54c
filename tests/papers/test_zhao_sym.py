"""Tests for nrqb.papers.zhao_sym: every derived expression evaluated against the engine (an
independent route: numerical drift matrices and steady states) or an exact value."""

import numpy as np
import pytest
import sympy as sp

from nrqb.engine import symbolic
from nrqb.papers import zhao as z
from nrqb.papers import zhao_sym as zs

S = zs.symbols()
GAM = 0.1
PT = {S["g_b"]: 0.013, S["g_1"]: 0.021, S["g_2"]: 0.034, S["Gamma"]: 0.37, S["gamma_c"]: 0.08,
      S["gamma_b"]: 0.15, S["xi"]: 0.6, S["theta"]: -0.7, S["gamma"]: GAM}


def num(M, sub=PT):
    return np.array(sp.Matrix(M).subs(sub).evalf(), dtype=complex)


def test_triangle_drift_against_engine():
    A, const = zs.triangle_drift()
    net = z.triangle(0.013, 0.08, 0.15, 0.37, theta=-0.7, xi=0.6, g1=0.021, g2=0.034)
    perm = [0, 2, 1]                                   # sympy order (c, a, b); engine order (c, b, a)
    np.testing.assert_allclose(num(A), net.drift[np.ix_(perm, perm)], rtol=1e-13)
    np.testing.assert_allclose(num(const).ravel(), -1j * net.drive[perm], rtol=1e-13)


def test_slaved_intermediate_and_elimination_against_engine():
    A, const = zs.triangle_drift()
    a_expr, m = zs.slaved_intermediate(A, const)
    net = z.triangle(0.013, 0.08, 0.15, 0.37, theta=-0.7, xi=0.6, g1=0.021, g2=0.034)
    amp = net.steady_state()["amplitudes"]
    np.testing.assert_allclose(complex(a_expr.subs(PT).subs({m[0]: amp[0], m[2]: amp[1]})), amp[2], rtol=1e-9)
    for f in (zs.eliminate_intermediate, lambda A_, c_: zs.eliminate_modes(A_, c_, [1])):
        A_eff, c_eff = f(A, const)
        np.testing.assert_allclose(num(A_eff), net.eliminated_drift([0, 1]), rtol=1e-12)
        np.testing.assert_allclose(num(c_eff).ravel(), -1j * net.drive[:2], rtol=1e-12)


def test_link_moduli_and_backflow_condition():
    f, b, fc, bc = zs.link_moduli()
    assert sp.simplify(f - fc) == 0 and sp.simplify(b - bc) == 0
    net = z.triangle(0.013, 0.08, 0.15, 0.37, theta=-0.7, g1=0.021, g2=0.034)
    E = net.eliminated_drift([0, 1])
    np.testing.assert_allclose([float(f.subs(PT)), float(b.subs(PT))], [abs(E[1, 0]) ** 2, abs(E[0, 1]) ** 2], rtol=1e-12)
    re, im, sols = zs.backflow_condition()
    G = 2 * 0.021 * 0.034 / 0.37
    np.testing.assert_allclose(float(re.subs(PT).subs(S["kappa"], G)) + 1j * float(im.subs(PT).subs(S["kappa"], G)), E[0, 1],
                               rtol=1e-12)
    assert sols == [{S["theta"]: -sp.pi / 2, S["kappa"]: S["g_b"]}]


def test_energy_single_link_against_engine():
    E1 = zs.energy_single_link()
    sub = {**PT, S["gamma"]: 0.12}
    net = z.triangle(0.013, 0.12, 0.12, 0.37, theta=-0.7, xi=0.6, g1=0.021, g2=0.034)
    np.testing.assert_allclose(float(E1.subs(sub)), net.steady_state()["energies"][1], rtol=1e-10)


def test_split_load_stationarity_fixed_point_and_optimum():
    load, xs = zs.split_load(3)
    x = [0.004, 0.02, 0.05]
    g = PT[S["g_b"]]
    val = float(load.subs({S["g_b"]: g, S["gamma"]: GAM, **dict(zip(xs, x))}))
    np.testing.assert_allclose(PT[S["xi"]] ** 2 * (2 * g) ** 6 / val ** 2, z.energy_split_cascaded(3, g, GAM, x, xi=0.6),
                               rtol=1e-12)
    eqs, rs = zs.split_stationarity(2)
    v = S["v"]
    assert sp.simplify(eqs[0] - 4 * (rs[0] ** 2 * (v + rs[1]) - v)) == 0
    assert sp.simplify(eqs[1] - 4 * rs[0] * (rs[1] ** 2 * v - v - 1 / rs[0])) == 0
    poly, fac = zs.split_fixed_point()
    r = sp.Symbol("rho", positive=True)
    assert sp.expand(fac - poly) == 0 and sp.expand(poly - (r ** 4 + v * r ** 3 - v * r - 1)) == 0
    for N in (2, 3):
        opt = zs.split_optimum(N)
        eqs, rs = zs.split_stationarity(N)
        for e in eqs:
            assert sp.simplify(e.subs(dict(zip(rs, opt)))) == 0
    assert zs.split_optimum(1) == [1]
    with pytest.raises(ValueError, match="N <= 3"):
        zs.split_optimum(4)


def test_eq2_continuant_and_chain_r1_against_engine():
    for N in range(1, 7):
        D = zs.continuant_r1(N)
        assert sp.expand(D - zs.dimer_sum(N + 1)) == 0
        np.testing.assert_allclose(float(D.subs({S["gamma"]: GAM, S["g_b"]: 0.03})),
                                   z.continuant([GAM / 2] * (N + 1), [0.03 ** 2 * -1] * N).real, rtol=1e-13)
        e = float(zs.eq2_printed(N).subs({S["gamma"]: GAM, S["g_b"]: 0.03, S["xi"]: 0.6}))
        np.testing.assert_allclose(e, z.cascaded_network(N, 0.03, GAM, 0.1, case="r1", xi=0.6).steady_state()["energies"][N],
                                   rtol=1e-10)
    for N in (1, 2, 3):
        e = float(zs.chain_terminal_energy(N, "r1").subs({S["gamma"]: GAM, S["g_b"]: 0.03, S["xi"]: 0.6}))
        np.testing.assert_allclose(e, z.cascaded_network(N, 0.03, GAM, 0.1, case="r1", xi=0.6).steady_state()["energies"][N],
                                   rtol=1e-10)


def test_chain_drift_and_effective_chain_against_engine():
    A, const, ls = zs.chain_drift(2)
    th, g1, g2 = [0.3, -1.2], [0.02, 0.04], [0.05, 0.01]
    sub = {S["g_b"]: 0.013, S["gamma"]: GAM, S["Gamma"]: 0.37, S["xi"]: 0.6,
           **dict(zip(ls["theta"], th)), **dict(zip(ls["g1"], g1)), **dict(zip(ls["g2"], g2))}
    net = z.cascaded_network(2, 0.013, GAM, 0.37, theta=th, g1=g1, g2=g2, xi=0.6)
    np.testing.assert_allclose(num(A, sub), net.drift, rtol=1e-13)
    np.testing.assert_allclose(num(const, sub).ravel(), -1j * net.drive, rtol=1e-13)
    A_eff, c_eff = zs.effective_chain(2)
    net = z.cascaded_network(2, 0.013, GAM, 0.37, xi=0.6)
    np.testing.assert_allclose(num(A_eff, sub), net.eliminated_drift([0, 1, 2]), rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(num(c_eff, sub).ravel(), -1j * net.drive[:3], rtol=1e-13)     # -i xi on the charger
    A_s, _ = zs.effective_chain(2, split=True)
    xs = sp.symbols("sigma_1:3", positive=True)
    g1s, g2s = z.split_couplings(0.013, 0.37, [0.004, 0.03])
    net = z.cascaded_network(2, 0.013, GAM, 0.37, g1=g1s, g2=g2s)
    np.testing.assert_allclose(num(A_s, {**sub, xs[0]: 0.004, xs[1]: 0.03}), net.eliminated_drift([0, 1, 2]),
                               rtol=1e-12, atol=1e-16)


def test_chain_nr_and_eq3_against_engine():
    for N in (1, 2, 3):
        E = zs.chain_terminal_energy(N, "nr")
        assert sp.simplify(E - zs.eq3(N)) == 0
        ref = z.cascaded_network(N, 0.03, GAM, 0.2, xi=0.6).steady_state()["energies"][N]
        for expr in (E, zs.eq3(N)):
            np.testing.assert_allclose(float(expr.subs({S["gamma"]: GAM, S["g_b"]: 0.03, S["xi"]: 0.6})), ref, rtol=1e-10)
    with pytest.raises(ValueError, match="case"):
        zs.chain_terminal_energy(2, "r2")


def test_parallel_eq4_eq5_against_engine():
    E, rates = zs.parallel_r1_energy(2)
    assert sp.simplify(E - zs.eq4_corrected(S["gamma_c"], rates)) == 0
    sub = {S["g_b"]: 0.01, S["gamma_c"]: 0.08, S["xi"]: 0.6, rates[0]: 0.05, rates[1]: 0.2}
    ref = z.parallel_network(2, 0.01, 0.08, 0.3, case="r1", gamma_b=[0.05, 0.2], xi=0.6).steady_state()["energies"][1]
    for expr in (E, zs.eq4_corrected(S["gamma_c"], rates)):
        np.testing.assert_allclose(float(expr.subs(sub)), ref, rtol=1e-10)
    # the printed form at N = 2, g_b/gamma = 0.1 with gamma = 0.1: 0.1575 instead of 13.717
    eq = {S["g_b"]: 0.01, S["gamma_c"]: GAM, S["xi"]: 1, rates[0]: GAM, rates[1]: GAM}
    np.testing.assert_allclose(float(zs.eq4_printed(S["gamma_c"], rates).subs(eq)), 0.1574704, rtol=1e-6)
    np.testing.assert_allclose(float(zs.eq4_corrected(S["gamma_c"], rates).subs(eq)), 13.717421, rtol=1e-7)
    # the one-way star, derived from the master equation
    A, const, th, rts = zs.star_drift(2)
    subd = {S["g_b"]: 0.01, S["Gamma"]: 0.3, S["gamma_c"]: 0.08, S["xi"]: 0.6, th[0]: 0.4, th[1]: -2.0,
            rts[0]: 0.05, rts[1]: 0.2}
    net = z.parallel_network(2, 0.01, 0.08, 0.3, theta=[0.4, -2.0], gamma_b=[0.05, 0.2], xi=0.6)
    np.testing.assert_allclose(num(A, subd), net.drift, rtol=1e-13)
    E5, rts = zs.star_energy_nr(2, k=2)
    assert sp.simplify(E5 - zs.eq5(2, S["gamma_c"], rts[1])) == 0
    ref = z.parallel_network(2, 0.01, 0.08, 0.3, gamma_b=[0.05, 0.2], xi=0.6).steady_state()["energies"][2]
    np.testing.assert_allclose(float(E5.subs(subd)), ref, rtol=1e-10)
    np.testing.assert_allclose(float(zs.eq5(2, S["gamma_c"], rts[1]).subs(subd)), ref, rtol=1e-10)


def test_gains_sympy_against_numerics():
    x = S["x"]
    for N in (1, 3, 4):
        sg = zs.sqrt_gain_cascaded(N)
        np.testing.assert_allclose(float(sg.subs(x, 0.07)), np.sqrt(z.gain_cascaded(N, 0.007, GAM)), rtol=1e-12)
        assert sp.expand(zs.gain_series(sg, 2) - zs.gain_series(2 ** N / (4 * N * x + 1), 2)) == 0
    sp_par = zs.sqrt_gain_parallel()
    Nsym = [s for s in sp_par.free_symbols if s.name == "N"][0]
    np.testing.assert_allclose(float(sp_par.subs({Nsym: 3, x: 0.07})), np.sqrt(z.gain_parallel(3, 0.007, GAM)), rtol=1e-12)
    assert sp.expand(zs.gain_series(sp_par, 2) - zs.gain_series(2 / ((2 * Nsym + 2) * x + 1), 2)) == 0
    assert sp.expand(zs.gain_series(2 ** 3 / (12 * x + 1), 3) - (8 - 96 * x + 1152 * x ** 2)) == 0
    for N in (1, 2, 5):
        for topo, f in (("cascaded", z.gain_cascaded), ("parallel", z.gain_parallel)):
            rise = zs.gain_r2_rise(N, topo)
            G, numer, n_pos, sign = rise.G, rise.numerator, rise.n_positive_roots, rise.sign_at_1
            np.testing.assert_allclose(float(G.subs(x, 0.37)), f(N, 0.037, GAM, "r2"), rtol=1e-12)
            assert n_pos == 0 and sign == 1
            # the numerator has the sign of the derivative (finite difference of the closed form)
            dG = (f(N, 0.0301, GAM, "r2") - f(N, 0.0299, GAM, "r2")) / 0.002
            assert np.sign(float(numer.eval(0.3))) == np.sign(dG) == 1


def test_g_opt_equation():
    eq, root = zs.g_opt_equation()
    Nsym = sp.Symbol("N", positive=True, integer=True)
    assert sp.simplify(root - (Nsym + sp.sqrt(Nsym * (8 + Nsym))) * S["gamma"] / 8) == 0
    np.testing.assert_allclose(float(root.subs({Nsym: 5, S["gamma"]: GAM})), z.g_opt_nr(5, GAM), rtol=1e-14)
    assert sp.simplify(eq.subs(S["g_b"], root)) == 0


def test_symbols_and_modes():
    s = zs.symbols()
    assert s["theta"].is_real and s["g_b"].is_positive
    assert symbolic.moment(*symbolic.modes("c")) == sp.Symbol("<c>")


def test_parallel_gain_sign_against_engine():
    diff, num_f, den = zs.parallel_gain_sign()
    x = S["x"]
    Nsym = [s for s in diff.free_symbols if s.name == "N"][0]
    assert sp.expand(num_f - (2 * x - 1) * (2 * Nsym * x - 1)) == 0
    for N, u in ((3, 0.07), (10, 0.1), (4, 0.3)):
        e = {c: z.parallel_network(N, u * GAM, GAM, 0.2, case=c).steady_state()["energies"][1] for c in ("nr", "r1")}
        val = float(diff.subs({Nsym: N, x: u}))
        np.testing.assert_allclose(val, np.sqrt(e["nr"] / e["r1"]) - 1, rtol=1e-9)
        np.testing.assert_allclose(val, float((num_f / den).subs({Nsym: N, x: u})), rtol=1e-12)


def test_star_split_optimum_against_engine_and_search():
    from scipy.optimize import minimize_scalar
    load, sig_opt, sqrt_gain, excess = zs.star_split_optimum()
    Nsym = [s for s in sig_opt.free_symbols if s.name == "N"][0]
    sig = [s for s in load.free_symbols if s.name == "sigma"][0]
    N, g = 5, 0.013
    f = sp.lambdify(sig, load.subs({Nsym: N, S["g_b"]: g, S["gamma"]: GAM}))
    res = minimize_scalar(lambda t: f(np.exp(t)), bounds=(np.log(1e-5), np.log(1.0)), method="bounded",
                          options={"xatol": 1e-12})
    np.testing.assert_allclose(float(sig_opt.subs({Nsym: N, S["g_b"]: g})), np.exp(res.x), rtol=1e-7)
    # the gain at the optimal split, from the engine with explicit intermediate modes
    g1, g2 = z.split_couplings(g, 0.3, float(sig_opt.subs({Nsym: N, S["g_b"]: g})))
    e_nr = z.parallel_network(N, g, GAM, 0.3, g1=np.full(N, g1[0]), g2=np.full(N, g2[0])).steady_state()["energies"][2]
    e_r1 = z.parallel_network(N, g, GAM, 0.3, case="r1").steady_state()["energies"][2]
    u = g / GAM
    np.testing.assert_allclose(float(sqrt_gain.subs({Nsym: N, S["x"]: u})), np.sqrt(e_nr / e_r1), rtol=1e-9)
    np.testing.assert_allclose(float(excess.subs({Nsym: N, S["x"]: u})), np.sqrt(e_nr / e_r1) - 1, rtol=1e-9)


def test_r1_growth_roots_and_factor():
    char, roots, factor = zs.r1_growth()
    lam = [s for s in char.free_symbols if s.name == "lambda"][0]
    sub = {S["g_b"]: 0.03, S["gamma"]: GAM}
    num_roots = np.sort(np.roots([1, -GAM / 2, -0.03 ** 2]))[::-1]
    np.testing.assert_allclose([float(r.subs(sub)) for r in roots], num_roots, rtol=1e-13)
    assert float(char.subs(sub).subs(lam, roots[0].subs(sub))) == pytest.approx(0, abs=1e-15)
    for u in (0.02, 0.3):      # the ratio of gains of long chains (closed forms in logarithms)
        ratio = z.gain_cascaded(301, u * GAM, GAM) / z.gain_cascaded(300, u * GAM, GAM)
        np.testing.assert_allclose(float(factor.subs(S["x"], u)) ** 2, ratio, rtol=1e-10)


def test_second_order_of_the_weak_forms():
    x = S["x"]
    sg = zs.sqrt_gain_cascaded(3)
    # exact: 8 (1 - 12 x + 104 x^2); the paper's form: 8 (1 - 12 x + 144 x^2)
    assert sp.expand(zs.gain_series(sg, 3) - 8 * (1 - 12 * x + 104 * x ** 2)) == 0
    h = 1e-4                                   # finite differences of the numerical gain
    gs = [np.sqrt(z.gain_cascaded(3, k * h * GAM, GAM)) for k in (0, 1, 2)]
    np.testing.assert_allclose((gs[2] - 2 * gs[1] + gs[0]) / h ** 2 / 2, 8 * 104, rtol=1e-2)


@pytest.mark.parametrize("N", [1, 3, 6])
def test_uniform_split_load_against_split_load_and_energy(N):
    load, rho = zs.uniform_split_load(N)
    v = S["v"]
    for r_, v_ in ((0.37, 0.8), (2.3, 0.15)):
        g, gam = 0.02, 2 * v_ * 0.02
        val = float(load.subs({rho: r_, v: v_}))
        # independent: the closed-form energy with every sigma_k = rho g_b
        e = z.energy_split_cascaded(N, g, gam, np.full(N, r_ * g), xi=1.0)
        np.testing.assert_allclose(val * g ** (N + 1), (2 * g) ** N / np.sqrt(e), rtol=1e-12)
        np.testing.assert_allclose(val, float(load.subs({rho: 1 / r_, v: v_})), rtol=1e-12)   # rho -> 1/rho
    d = sp.diff(sp.log(load), rho).subs({rho: 1, v: sp.Rational(3, 7)})
    assert abs(float(d)) < 1e-14 and float(sp.diff(sp.log(load), rho).subs({rho: 2, v: sp.Rational(3, 7)})) > 0


@pytest.mark.parametrize("N", [1, 2, 3, 5])
def test_continuant_r2_against_engine(N):
    D, char, lam = zs.continuant_r2(N)
    g, xi = 0.013, 0.7
    Dn = complex(D.subs({S["g_b"]: g, S["gamma"]: GAM}))
    e = z.cascaded_network(N, g, GAM, 0.37, case="r2", xi=xi).steady_state()["energies"][N]
    np.testing.assert_allclose(2 ** N * g ** (2 * N) * xi ** 2 / abs(Dn) ** 2, e, rtol=1e-10)
    np.testing.assert_allclose(2 ** N * g ** (2 * N) * xi ** 2 / abs(Dn) ** 2, z.energy_r2_cascaded(N, g, GAM, xi=xi), rtol=1e-10)
    # the characteristic roots give the large-N crossing: |lambda_II| = sqrt(2) lambda_I there
    x = z.crossing_r1_r2_limit()
    roots = [complex(r.subs({S["g_b"]: x, S["gamma"]: 1})) for r in sp.solve(char, lam)]
    lam1 = (0.5 + np.hypot(0.5, 2 * x)) / 2
    np.testing.assert_allclose(max(abs(r) for r in roots), np.sqrt(2) * lam1, rtol=1e-10)


@pytest.mark.parametrize("N", [1, 2, 4])
def test_continuant_r2_is_the_determinant_of_the_eliminated_drift(N):
    D, char, lam = zs.continuant_r2(N)
    g = 0.013
    A = z.cascaded_network(N, g, GAM, 0.37, case="r2").eliminated_drift(range(N + 1))   # engine, a_k eliminated
    np.testing.assert_allclose(complex(D.subs({S["g_b"]: g, S["gamma"]: GAM})), np.linalg.det(-A), rtol=1e-10)
    # the characteristic polynomial: D_k / D_{k-1} of a long chain tends to its larger root
    Dl = zs.continuant_r2(40)[0].subs({S["g_b"]: g, S["gamma"]: GAM})
    Dm = zs.continuant_r2(39)[0].subs({S["g_b"]: g, S["gamma"]: GAM})
    roots = [complex(r.subs({S["g_b"]: g, S["gamma"]: GAM})) for r in sp.solve(char, lam)]
    np.testing.assert_allclose(complex(Dl) / complex(Dm), max(roots, key=abs), rtol=1e-8)


def test_chain_terminal_energy_canonical_form_as_with_simplify():
    """cancel + factor give the same expression (not only the same value) as factor(simplify(...))."""
    for case in ("r1", "nr"):
        for N in (1, 2, 3):
            if case == "r1":
                A, const, ls = zs.chain_drift(N, intermediate=False)
                A = A.subs({th: 0 for th in ls["theta"]})
            else:
                A, const = zs.effective_chain(N)
            bN = A.LUsolve(-const)[N]
            want = sp.factor(sp.simplify(sp.expand_complex(bN * sp.conjugate(bN))))
            got = zs.chain_terminal_energy(N, case)
            assert sp.srepr(got) == sp.srepr(want), (case, N)


def test_link_moduli_same_form_as_simplify():
    """The Pythagorean substitution gives the expression simplify gives (not only the same value)."""
    A, const = zs.triangle_drift()
    A_eff, _ = zs.eliminate_modes(A, const, [1])
    f, b, _, _ = zs.link_moduli()
    for got, z_ in ((f, A_eff[1, 0]), (b, A_eff[0, 1])):
        want = sp.simplify(sp.expand_complex(z_ * sp.conjugate(z_)))
        assert sp.srepr(got) == sp.srepr(want) and not got.has(sp.cos)
