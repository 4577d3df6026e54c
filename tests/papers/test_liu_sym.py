"""The sympy derivations of nrqb.papers.liu_sym: each compared with the paper's printed form and with an
independent route (the engine, a determinant, numbers)."""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import liu, liu_sym

KAPPA, EPS = 0.003, 0.01


def test_adiabatic_elimination_gives_the_collective_jump():
    d = liu_sym.adiabatic_elimination()
    s = d["symbols"]
    assert d["residual"] == sp.zeros(2, 2)
    assert sp.simplify(d["solution"][s["Gamma"]] - 4 * s["g_a"] ** 2 / s["kappa_c"]) == 0
    assert sp.simplify(d["solution"][s["p_b"]] - s["g_b"] * sp.exp(-sp.I * s["phi"]) / s["g_a"]) == 0
    # numbers: the eliminated drift equals the engine's Schur complement of a 3-mode network
    vals = {s["g_a"]: 0.3, s["g_b"]: 0.2, s["kappa_c"]: 5.0, s["kappa_a"]: 0.01, s["kappa_b"]: 0.02, s["phi"]: 0.7}
    from nrqb.engine import LinearNetwork
    h = np.zeros((3, 3), complex)
    h[0, 2] = h[2, 0] = 0.3
    h[1, 2], h[2, 1] = 0.2 * np.exp(0.7j), 0.2 * np.exp(-0.7j)
    net = LinearNetwork(h, loss=[0.01, 0.02, 5.0])
    np.testing.assert_allclose(np.array(d["A_eff"].subs(vals), dtype=complex), net.eliminated_drift([0, 1]),
                               rtol=1e-12)


@pytest.mark.parametrize("kc", [1.0, 10.0, 100.0])
def test_auxiliary_mode_network_converges_to_the_collective_jump(kc):
    """The explicit-reservoir model approaches the eliminated one as O(Gamma / kappa_c)."""
    J = liu.J_op_cascade(2, KAPPA)
    T = np.linspace(0, 4000, 41)
    eff = liu.cascade_network(2, J=J, kappa=KAPPA, epsilon=EPS).energies(T)
    aux = liu.cascade_network(2, J=J, kappa=KAPPA, epsilon=EPS, auxiliary_kappa=kc * KAPPA).energies(T)[:, :3]
    dev = np.max(np.abs(aux - eff)) / eff.max()
    G = 2 * J
    assert 0.05 * G / (kc * KAPPA) < dev < 20 * G / (kc * KAPPA)


@pytest.mark.parametrize("N,topology", [(1, "cascade"), (3, "cascade"), (2, "parallel")])
def test_nonreciprocity_condition_solved(N, topology):
    d = liu_sym.nonreciprocity_condition(N, topology)
    s = d["symbols"]
    links = [(i - 1, i) for i in range(1, N + 1)] if topology == "cascade" else [(0, i) for i in range(1, N + 1)]
    for i, (src, dst) in enumerate(links):
        expect = sp.I * s["Gamma"][i] * sp.conjugate(s["p"][src]) * s["p"][dst] / 2
        assert sp.simplify(d["solution"][i] - expect) == 0
        assert sp.simplify(d["forward"][i] + s["Gamma"][i] * s["p"][src] * sp.conjugate(s["p"][dst])) == 0


def test_moment_equations_match_the_printed_drift_and_the_engine():
    for N in (1, 2):
        for top in ("cascade", "parallel"):
            A, c, s = liu_sym.moment_equations(N, top)
            assert sp.simplify(A - liu_sym.paper_drift(N, top)) == sp.zeros(N + 1, N + 1)
            assert c[0] == -sp.I * s["epsilon"]
    A, c, s = liu_sym.drift_at_condition(2, "cascade")
    vals = {**dict(zip(s["Gamma"], [0.004, 0.006])), **dict(zip(s["kappa"], [0.003, 0.002, 0.001])),
            s["p"][0]: 1j, s["p"][1]: 1, s["p"][2]: -1j}
    net = liu.cascade_network(2, Gammas=[0.004, 0.006], kappa_a=0.003, kappas=[0.002, 0.001], kappa=0.003,
                              epsilon=EPS, gauge="0")
    np.testing.assert_allclose(np.array(A.subs(vals), dtype=complex), net.drift, rtol=1e-12, atol=1e-15)
    # the polar form p_j = rho_j e^{i phi_j}, at the gauge theta = 0 (p = i, 1, -i): the same drift
    Ap, _, sp_ = liu_sym.drift_at_condition(2, "cascade", polar=True)
    pv = {**dict(zip(sp_["Gamma"], [0.004, 0.006])), **dict(zip(sp_["kappa"], [0.003, 0.002, 0.001])),
          **dict(zip(sp_["rho"], [1, 1, 1])), **dict(zip(sp_["phi"], [np.pi / 2, 0.0, -np.pi / 2]))}
    np.testing.assert_allclose(np.array(Ap.subs(pv).evalf(), dtype=complex), net.drift, rtol=1e-12, atol=1e-15)


def test_moment_equations_entries_are_already_simplified():
    """moment_equations returns the expanded coefficients without calling sp.simplify; sp.simplify
    leaves every entry unchanged (so the result is the simplified one), and the entries are exact."""
    for N in (1, 2, 3):
        for top in ("cascade", "parallel"):
            A, c, s = liu_sym.moment_equations(N, top)
            for e in list(A) + list(c):
                assert sp.simplify(e) == e
            assert sp.expand(A - liu_sym.paper_drift(N, top)) == sp.zeros(N + 1, N + 1)
            assert list(c) == [-sp.I * s["epsilon"]] + [0] * N


def test_paper_A2_A4_A6_are_the_derived_solutions():
    amps, L, t = liu_sym.cascade_solution(3, with_mu=True)
    pa = liu_sym.paper_A2_A4()
    om = pa["symbols"]["omega"]
    for n, key in ((0, "E_a"), (1, "E_b1"), (2, "E_b2"), (3, "E_b3")):
        pre, br = pa[key]
        rates = [sp.Integer(0)] + [-lm / 2 for lm in L[: n + 1]]
        assert liu_sym.bracket_identity(amps[n], (pre.subs(om, 1), br), t, rates) in (1, -1)
        # a one-term change of the bracket is detected
        wrong = br.subs(sp.exp(-L[0] * t / 2), 2 * sp.exp(-L[0] * t / 2))
        assert liu_sym.bracket_identity(amps[n], (pre.subs(om, 1), wrong), t, rates) == 0
    a6 = liu_sym.paper_A6()
    s6 = a6["symbols"]
    amps1, L1, t1 = liu_sym.cascade_solution(1, with_mu=True)
    sub = {s6["Lambda_0"]: L1[0], s6["Lambda_n"]: L1[1], s6["Gamma_n"]: sp.Symbol("Gamma_1", positive=True),
           s6["m_n"]: sp.Symbol("m_1", positive=True), s6["omega"]: 1}
    rates = [sp.Integer(0), -L1[0] / 2, -L1[1] / 2]
    pre, br = a6["E_bn"]
    assert liu_sym.bracket_identity(amps1[1], (pre.subs(sub), br.subs(sub)), t1, rates) in (1, -1)
    pre, br = a6["E_bn_eq7"]
    assert liu_sym.bracket_identity(amps1[1], (pre.subs(sub), br.subs(sub)), t1, rates) == 0


def test_eq3_sign_by_residues():
    for N in (1, 2, 3):
        amps, L, t = liu_sym.cascade_solution(N)
        ours = {k: v * sp.I * (-1) ** N for k, v in amps[N].items()}
        verdict = []
        for sign in (+1, -1):
            coef, L3, _ = liu_sym.vandermonde_bracket(N, sign)
            sub = dict(zip(L3, L))
            verdict.append(liu_sym.same_coefficients(ours, {k.subs(sub): v.subs(sub) for k, v in coef.items()}))
        assert verdict == [False, True]


def test_eq4_from_the_derived_steady_state():
    A, c, s = liu_sym.drift_at_condition(2, "cascade", polar=True)
    alpha = A.LUsolve(-c)
    lam = [sp.simplify(-2 * A[j, j]) for j in range(3)]
    mus = [s["rho"][m - 1] * s["rho"][m] for m in (1, 2)]
    for n in range(3):
        E = sp.simplify(alpha[n] * sp.conjugate(alpha[n]))
        assert sp.simplify(E / liu_sym.paper_eq4(n, lam, s["Gamma"], mus, s["epsilon"])) == 1
    # with the printed Lambda_1 of node 1 (Gamma_2 dropped) Eq. (4) is wrong
    lam_p = [lam[0], s["Gamma"][0] * s["rho"][1] ** 2 + s["kappa"][1]]
    E1 = sp.simplify(alpha[1] * sp.conjugate(alpha[1]))
    assert sp.simplify(E1 / liu_sym.paper_eq4(1, lam_p, s["Gamma"], mus, s["epsilon"])) != 1


def test_eq5_derived_equals_printed_and_engine():
    E, s = liu_sym.steady_energy_cascade_uniform()
    E5, _ = liu_sym.paper_eq5()
    assert sp.simplify(E / E5) == 1          # the same symbols (names and assumptions)
    assert sp.srepr(E) == sp.srepr(sp.powsimp(sp.simplify(s["steps"].doit()), force=True))   # the simplified form
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    for expr in (E, E5):
        for Nv in (1, 2, 7):
            ref = liu.cascade_network(Nv, Gammas=[0.005] * Nv, kappa=KAPPA, epsilon=EPS).steady_state()["energies"][-1]
            assert float(expr.subs({N: Nv, G: 0.005, k: KAPPA, e: EPS})) == pytest.approx(ref, rel=1e-10)


def test_eq9_derived_equals_printed_and_engine():
    E, s = liu_sym.steady_energy_parallel_uniform()
    E9, _ = liu_sym.paper_eq9()
    assert sp.simplify(E - E9) == 0          # the same symbols (names and assumptions)
    N, G, k, e = sp.symbols("N Gamma kappa epsilon", positive=True)
    for expr in (E, E9):
        for Nv in (1, 4):
            ref = liu.parallel_network(Nv, Gammas=[0.004] * Nv, kappa=KAPPA, epsilon=EPS).steady_state()["energies"][1]
            assert float(expr.subs({N: Nv, G: 0.004, k: KAPPA, e: EPS})) == pytest.approx(ref, rel=1e-10)


def test_A9_A10_are_derivatives_in_Gamma():
    oc = liu_sym.optimal_couplings()
    assert sp.simplify(oc["dEc_dGamma"] - oc["A9"]) == 0
    assert sp.simplify(oc["dEp_dGamma"] - oc["A10"]) == 0
    # the factored form is the one of factor(simplify(.)) (the book displays it)
    assert oc["dEc_dGamma"] == sp.factor(sp.simplify(sp.diff(oc["Ec"], oc["Gamma"])))
    N, k = oc["N"], oc["kappa"]
    assert sp.simplify(oc["Jc"] - k * (N + sp.sqrt(N**2 + 8 * N)) / 8) == 0
    assert sp.simplify(oc["Jp"] - k / (2 * sp.sqrt(N))) == 0
    assert sp.simplify(oc["Jc_large_N"] - (k * N / 4 + k / 2 - k / N)) == 0


def test_odd_even_condition_steps():
    d = liu_sym.odd_even_condition()
    J, k, L = d["J"], d["kappa"], d["L"]
    for Lv in range(0, 9):  # rsolve and Binet forms against the determinant
        P, Jd, kd = liu_sym.continuant(Lv) if Lv > 0 else (sp.Integer(1), J, k)
        vals = {J: sp.Rational(3, 7), k: sp.Rational(2, 5)}
        ref = P.subs({Jd: vals[J], kd: vals[k]})
        assert abs(sp.N(d["rsolve"].subs(L, Lv).subs(vals) - ref, 50)) < 1e-40
        assert abs(sp.N(d["binet"].subs(L, Lv).subs(vals) - ref, 50)) < 1e-40
    assert sp.expand(d["difference"] - d["factored"]) == 0
    zP, zM = sp.symbols("z_+ z_-")
    assert sp.expand(d["compact"].subs({zP: d["z_plus"], zM: d["z_minus"]}) - d["factored"]) == 0
    # the threshold of the law is the module's
    x = d["x"]
    for xv in (0.5, 1.0, 9.0):
        assert float(d["N_star"].subs(x, xv)) == pytest.approx(liu.odd_even_threshold_N(xv, 1.0), rel=1e-12)


def test_window_roots():
    roots, cond = liu_sym.window_roots()
    N, k = sp.Symbol("N", positive=True), sp.Symbol("kappa", positive=True)
    assert [sp.simplify(r) for r in roots] == [k / (2 * N), k / 2]


def test_thermal_and_anomalous_fluctuations_against_engine():
    G, k = sp.Rational(1, 100), sp.Rational(3, 1000)
    A = sp.Matrix([[-(G + k) / 2, 0], [-G, -(G + k) / 2]])
    c = sp.Matrix([1, 1])
    Kmat = sp.diag(k, k) + G * c * c.T
    C = liu_sym.thermal_fluctuations(A, sp.Rational(3, 2) * Kmat)
    assert C == sp.Rational(3, 2) * sp.eye(2)
    r = 0.4
    Q = np.sinh(r) * np.cosh(r)
    S = liu_sym.anomalous_fluctuations(A, sp.Float(Q, 30) * Kmat)
    net = liu.cascade_network(1, Gammas=[0.01], kappa=0.003, epsilon=0.0, squeezing=(r, 0.0))
    np.testing.assert_allclose(np.array(S, dtype=complex), net.steady_state()["M"], rtol=1e-12, atol=1e-15)
    assert float(S[0, 0]) == pytest.approx(Q, rel=1e-12)  # M = Q^* 1 in this gauge (pure squeezed states)


def test_optimum_is_mean_arrival_time_two_over_kappa():
    d = liu_sym.optimum_as_mean_arrival()
    for name in ("cascade", "parallel"):
        a, b = d[name]
        assert sp.simplify(a - b) == 0
    k = d["symbols"]["kappa"]
    assert d["roots"] == {"cascade": 2 / k, "parallel": 2 / k}
    # numbers, from the engine's drift: sum_m 2 / Lambda_m at J_op = 2 / kappa for every N
    for N in (1, 3, 50):
        for build, Jf in ((liu.cascade_network, liu.J_op_cascade), (liu.parallel_network, liu.J_op_parallel)):
            lam = -2 * np.real(np.diag(build(N, J=Jf(N, KAPPA), kappa=KAPPA, epsilon=EPS).drift))
            if build is liu.parallel_network:
                lam = lam[:2]  # one battery's path: charger and battery
            assert np.sum(2 / lam) == pytest.approx(2 / KAPPA, rel=1e-12)


def test_latex_moments_names():
    J = sp.Symbol("J")
    a = sp.Symbol("<a^dag b1>") + 2 * J * sp.Symbol("<b2 b2>")
    out = liu_sym.latex_moments(a)
    x, y = sp.Symbol(r"\langle a^\dagger\,b_{1}\rangle"), sp.Symbol(r"\langle b_{2}\,b_{2}\rangle")
    assert sp.expand(out - (x + 2 * J * y)) == 0


def test_word_algebra_of_the_moment_equations_matches_sympy_normal_ordering():
    """The plain-word normal ordering behind second_moment_equations against sympy's normal_ordered_form
    (random words of up to five ladder operators on three modes, and products with coefficients)."""
    from sympy.physics.quantum import Dagger
    from sympy.physics.quantum.operatorordering import normal_ordered_form

    from nrqb.engine import symbolic

    names = ["a", "b1", "b2"]
    ops = symbolic.modes(names)
    rng = np.random.default_rng(11)
    for _ in range(60):
        letters = [(bool(rng.integers(2)), int(rng.integers(3))) for _ in range(int(rng.integers(1, 6)))]
        word = {tuple((ann, names[m]) for ann, m in letters): sp.Integer(1)}
        expr = sp.Mul(*[ops[m] if ann else Dagger(ops[m]) for ann, m in letters])
        ref = symbolic.expectation(normal_ordered_form(sp.expand(expr), independent=True))
        assert sp.expand(liu_sym._expectation(word) - ref) == 0, letters
    # a product of sums with complex and rational coefficients, and its adjoint
    L = liu_sym._op_add((sp.I, liu_sym._op("a")), (sp.Rational(1, 3), liu_sym._op("b1", dagger=True)))
    X = liu_sym._op_mul(liu_sym._op("b1"), liu_sym._op("a", dagger=True))
    Ls = sp.I * ops[0] + sp.Rational(1, 3) * Dagger(ops[1])
    Xs = ops[1] * Dagger(ops[0])
    for mine, theirs in ((liu_sym._dissipator_adjoint(X, L), symbolic.dissipator_adjoint(Xs, Ls)),
                         (liu_sym._squeezed_adjoint(X, L), Ls * Xs * Ls - (Ls * Ls * Xs + Xs * Ls * Ls) / 2),
                         (liu_sym._op_dagger(liu_sym._op_mul(L, X)), Dagger(Ls * Xs))):
        ref = symbolic.expectation(normal_ordered_form(sp.expand(theirs), independent=True))
        assert sp.expand(liu_sym._expectation(mine) - ref) == 0


def test_simple_pole_residue_against_sympy_residue():
    """The residue shortcut of laplace_amplitudes (N(p)/D'(p)) and its fallback (a factor common to N and D)."""
    s, x, y = sp.symbols("s x y")
    cases = [((s + x) / (s * (s + y) * (2 * s + x + 3)), (0, -y, -(x + 3) / 2)),
             (sp.Mul(s + y, 1 / ((s + y) * (s - x)), evaluate=False), (x,)),      # common factor: the fallback
             (sp.Integer(0) / (s + 1), (-1,))]
    for X, poles in cases:
        for p in poles:
            got = liu_sym._simple_pole_residue(X, s, p)
            assert sp.cancel(got - sp.residue(sp.cancel(X), s, p)) == 0, (X, p)
