"""Every public numerical function of nrqb.papers.liu against an independent route, at tolerances that a
(1 + 1e-3) error or a conjugated complex result would fail (issue 20): the engine, sympy transcriptions of
the printed equations, mpmath at 50 digits, exact values."""

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from nrqb.papers import liu, liu_sym

KAPPA, EPS = 0.003, 0.01
T = np.linspace(0, 6000, 61)


def _engine_lambdas(net):
    return -2 * np.real(np.diag(net.drift))


# ---------------------------------------------------------------------------------- gauge, rates
def test_gauge_coefficients_are_the_papers():
    """Appendix A, below (A1), (A3), (A5), (A7): theta = 0 with p_a = i, p_b1 = 1, p_b2 = -i, p_b3 = -1 (cascade)."""
    p, th = liu.gauge_coefficients(3, "cascade", "0")
    assert th == 0.0
    assert p.tolist() == [1j, 1, -1j, -1]
    p, th = liu.gauge_coefficients(3, "parallel", "0")
    assert p.tolist() == [1j, 1, 1, 1]
    p, th = liu.gauge_coefficients(2, "cascade", "pi/2")
    assert p.tolist() == [1, 1, 1] and th == np.pi / 2
    # and each satisfies the solved condition J e^{i theta} = i Gamma conj(p_s) p_d / 2 with J = Gamma/2
    for top in ("cascade", "parallel"):
        for gauge in ("pi/2", "0"):
            p, th = liu.gauge_coefficients(3, top, gauge)
            for s_, d in ([(0, 1), (1, 2), (2, 3)] if top == "cascade" else [(0, 1), (0, 2), (0, 3)]):
                assert abs(0.5 * np.exp(1j * th) - 0.5j * np.conj(p[s_]) * p[d]) < 1e-15


@pytest.mark.parametrize("gauge", ["pi/2", "0"])
def test_lambdas_are_the_engine_decay_rates(gauge):
    rng = np.random.default_rng(3)
    G, kb = rng.uniform(0.002, 0.01, 4), rng.uniform(0.001, 0.005, 4)
    for top, lamf in (("cascade", liu.cascade_lambdas), ("parallel", liu.parallel_lambdas)):
        build = liu.cascade_network if top == "cascade" else liu.parallel_network
        net = build(4, Gammas=G, kappa=KAPPA, kappas=kb, kappa_a=0.004, epsilon=EPS, gauge=gauge)
        p, _ = liu.gauge_coefficients(4, top, gauge)
        np.testing.assert_allclose(lamf(G, 0.004, kb, p), _engine_lambdas(net), rtol=1e-12)


def test_printed_lambdas_differ_from_the_nodes_rates_only_where_the_paper_errs():
    G, kb = [0.002, 0.003, 0.004], [0.001, 0.002, 0.003]
    eng = _engine_lambdas(liu.cascade_network(3, Gammas=G, kappa=KAPPA, kappas=kb, kappa_a=0.004, epsilon=EPS))
    # terminal node: the printed rule is right
    np.testing.assert_allclose(liu.cascade_lambdas_paper(3, G, 0.004, kb), eng, rtol=1e-12)
    # node 2 of 3: the printed Lambda_2 drops Gamma_3
    lp = liu.cascade_lambdas_paper(2, G, 0.004, kb)
    np.testing.assert_allclose(lp[:2], eng[:2], rtol=1e-12)
    assert lp[2] == pytest.approx(eng[2] - G[2], rel=1e-12)
    # star: the printed Lambda_0 sums Gamma_i up to n only
    eng_p = _engine_lambdas(liu.parallel_network(3, Gammas=G, kappa=KAPPA, kappas=kb, kappa_a=0.004, epsilon=EPS))
    L0, L1 = liu.parallel_lambdas_paper(1, G, 0.004, kb)
    assert L0 == pytest.approx(eng_p[0] - G[1] - G[2], rel=1e-12) and L1 == pytest.approx(eng_p[1], rel=1e-12)
    L0, L3 = liu.parallel_lambdas_paper(3, G, 0.004, kb)
    assert L0 == pytest.approx(eng_p[0], rel=1e-12) and L3 == pytest.approx(eng_p[3], rel=1e-12)


# ---------------------------------------------------------------------------------- Eqs. (3)-(5)
@pytest.mark.parametrize("N", [1, 2, 3, 5])
def test_cascade_energy_and_steady_state_against_engine(N):
    rng = np.random.default_rng(N)
    G, kb = rng.uniform(0.002, 0.01, N), rng.uniform(0.001, 0.005, N)
    net = liu.cascade_network(N, Gammas=G, kappa=KAPPA, kappas=kb, kappa_a=0.004, epsilon=EPS)
    lam = liu.cascade_lambdas(G, 0.004, kb)
    E, Ess = net.energies(T), net.steady_state()["energies"]
    for n in range(N + 1):
        np.testing.assert_allclose(liu.cascade_energy(T, n, lam, G, EPS), E[:, n], rtol=1e-8, atol=1e-14)
        assert liu.cascade_energy_ss(n, lam, G, EPS) == pytest.approx(Ess[n], rel=1e-10)


@pytest.mark.parametrize("N", [1, 2, 4, 30])
def test_terminal_energy_eq5_against_engine(N):
    for J in (0.5 * KAPPA, liu.J_op_cascade(N, KAPPA), 7 * KAPPA):
        ref = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS).steady_state()["energies"][-1]
        assert liu.cascade_terminal_energy_ss(N, 2 * J, KAPPA, EPS) == pytest.approx(ref, rel=1e-9, abs=0)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_eq3_literal_against_sympy_transcription(n):
    """The printed Vandermonde Eq. (3) (both signs) against liu_sym's own transcription, evaluated by sympy."""
    lam, G = [0.005, 0.009, 0.013, 0.004][: n + 1], [0.002, 0.003, 0.0025][:n]
    for sign in (+1, -1):
        expr, L, t = liu_sym.vandermonde_eq3(n, sign)
        Gs = [sp.Symbol(f"Gamma_{m}", positive=True) for m in range(1, n + 1)]
        f = sp.lambdify((t, *L, *Gs, sp.Symbol("epsilon", positive=True)), expr, "mpmath")
        ts = [300.0, 700.0, 4000.0]  # the literal sum cancels at the onset (E ~ t^(2n+2)); see docstring
        ref = np.array([float(f(tt, *lam, *G, EPS)) for tt in ts])
        np.testing.assert_allclose(liu.cascade_energy_paper_eq3(ts, n, lam, G, EPS, sign=sign), ref, rtol=1e-9)


def test_cascade_energy_exact_at_near_equal_rates_mpmath():
    """Eq. (3) corrected, at rates that differ by 1e-6 .. 1e-14 relative, against 50-digit arithmetic."""
    mp.mp.dps = 50
    ts = np.array([0.5, 40.0, 900.0, 5000.0])
    for rel in (1e-3, 1e-6, 1e-10, 1e-13):
        lam = [0.006, 0.006 * (1 + rel), 0.009]
        G = [0.003, 0.004]
        ref = []
        for tt in ts:
            L = [mp.mpf(x) for x in lam]
            F = 1 - sum(mp.fprod([L[m] / (L[m] - L[p]) for m in range(3) if m != p]) * mp.e ** (-L[p] * tt / 2)
                        for p in range(3))
            ss = 4 ** 3 * mp.mpf(EPS) ** 2 * mp.mpf(G[0]) ** 2 * mp.mpf(G[1]) ** 2 / mp.fprod([x**2 for x in L])
            ref.append(float(ss * F**2))
        np.testing.assert_allclose(liu.cascade_energy(ts, 2, lam, G, EPS), ref, rtol=1e-9)


def test_sign_error_of_printed_eq3():
    lam, G = [0.005, 0.007, 0.009], [0.002, 0.003]
    printed = liu.cascade_energy_paper_eq3([0.0], 2, lam, G, EPS, sign=+1)[0]
    assert printed == pytest.approx(4 * liu.cascade_energy_ss(2, lam, G, EPS), rel=1e-12)


# ---------------------------------------------------------------------------------- Eqs. (7)-(9)
@pytest.mark.parametrize("N", [1, 2, 3, 6])
def test_parallel_energy_and_steady_against_engine(N):
    J = liu.J_op_parallel(N, KAPPA)
    G = 2 * J
    net = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, gauge="0")
    E, Ess = net.energies(T), net.steady_state()["energies"]
    L0, Ln = N * G + KAPPA, G + KAPPA
    np.testing.assert_allclose(liu.parallel_energy(T, L0, Ln, G, EPS), E[:, 1], rtol=1e-8, atol=1e-14)
    assert liu.parallel_energy_ss(L0, Ln, G, EPS) == pytest.approx(Ess[1], rel=1e-10)
    assert liu.parallel_energy_ss_uniform(N, G, KAPPA, EPS) == pytest.approx(Ess[1], rel=1e-10)


def test_parallel_energy_exact_near_equal_rates_mpmath():
    mp.mp.dps = 50
    ts = np.array([1e-3, 1.0, 300.0, 5000.0, 3e4])
    for rel in (1e-1, 1e-6, 1e-12, 1e-14, 0.0):
        L0, Ln, G = 0.01, 0.01 * (1 + rel), 0.007
        got = liu.parallel_energy(ts, L0, Ln, G, EPS)
        ref = []
        for tt in ts:
            a, b = mp.mpf(L0) / 2, mp.mpf(Ln) / 2
            if a == b:
                F = 1 - mp.e ** (-a * tt) * (1 + a * tt)
            else:
                F = 1 - (b * mp.e ** (-a * tt) - a * mp.e ** (-b * tt)) / (b - a)
            ref.append(float(16 * mp.mpf(EPS) ** 2 * mp.mpf(G) ** 2 / (mp.mpf(L0) ** 2 * mp.mpf(Ln) ** 2) * F**2))
        np.testing.assert_allclose(got, ref, rtol=1e-9)


def test_printed_eq7_against_sympy_transcription_and_at_equal_rates():
    d = liu_sym.paper_A6()
    s = d["symbols"]
    pre, br = d["E_bn_eq7"]
    f = sp.lambdify((s["t"], s["Lambda_0"], s["Lambda_n"], s["Gamma_n"]),
                    (pre * br**2).subs({s["omega"]: 1, s["m_n"]: 1, s["epsilon"]: EPS}), "mpmath")
    mp.mp.dps = 50
    ts = [3.0, 300.0, 3000.0]
    for L0, Ln in ((0.011, 0.005), (0.005, 0.011), (0.008, 0.008 * (1 + 1e-7))):
        ref = [float(f(tt, L0, Ln, 0.002)) for tt in ts]
        np.testing.assert_allclose(liu.parallel_energy_paper_eq7(ts, L0, Ln, 0.002, EPS), ref, rtol=1e-8)
    # exactly equal rates (the printed Lambda_0 of battery 1 in a uniform star): the limit of the above
    lim = liu.parallel_energy_paper_eq7(ts, 0.008, 0.008, 0.002, EPS)
    near = [float(f(tt, 0.008, mp.mpf(0.008) * (1 + mp.mpf(10) ** -30), 0.002)) for tt in ts]
    np.testing.assert_allclose(lim, near, rtol=1e-12)


def test_printed_eq8_is_the_N1_energy():
    """Eq. (8) as printed (Lambda_1 for Lambda_0) gives, for a uniform star, the energy of the N = 1 pair."""
    for N in (1, 3):
        G = 2 * liu.J_op_parallel(N, KAPPA)
        pair = liu.cascade_network(1, Gammas=[G], kappa=KAPPA, epsilon=EPS).steady_state()["energies"][1]
        assert liu.parallel_energy_ss_paper_eq8(G + KAPPA, G + KAPPA, G, EPS) == pytest.approx(pair, rel=1e-10)


# ---------------------------------------------------------------------------------- Eq. (10)
@pytest.mark.parametrize("N", [1, 2, 5, 16])
def test_optimal_couplings_against_engine_argmax(N):
    for top, Jf in (("cascade", liu.J_op_cascade), ("parallel", liu.J_op_parallel)):
        assert liu.optimal_coupling_numeric(N, top, KAPPA) == pytest.approx(Jf(N, KAPPA), rel=1e-6)


def test_optimal_couplings_against_sympy_roots():
    oc = liu_sym.optimal_couplings()
    for N in (1, 3, 1000):
        assert liu.J_op_cascade(N, KAPPA) == pytest.approx(float(oc["Jc"].subs({oc["N"]: N, oc["kappa"]: KAPPA})), rel=1e-13)
        assert liu.J_op_parallel(N, KAPPA) == pytest.approx(float(oc["Jp"].subs({oc["N"]: N, oc["kappa"]: KAPPA})), rel=1e-13)
    np.testing.assert_allclose(liu.J_op_cascade(np.array([1, 10**8]), 1.0),
                               [(1 + 3) / 8, (1e8 + np.sqrt(1e16 + 8e8)) / 8], rtol=1e-13)


# ---------------------------------------------------------------------------------- reciprocal
@pytest.mark.parametrize("N", [1, 2, 3, 6, 9])
def test_reciprocal_chain_against_engine(N):
    for J in (0.0004, 0.003, 0.02):
        net = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
        ss = net.steady_state()
        assert liu.reciprocal_cascade_energy_ss(N, J, KAPPA, EPS) == pytest.approx(ss["energies"][-1], rel=1e-10, abs=0)
        assert liu.reciprocal_cascade_energy_ss_sum(N, J, KAPPA, EPS) == pytest.approx(ss["energies"][-1], rel=1e-10, abs=0)
        # complex amplitude, phase included (a conjugation would flip the sign of its imaginary part)
        np.testing.assert_allclose(liu.reciprocal_cascade_green(N, J, KAPPA, EPS), ss["amplitudes"][-1],
                                   rtol=1e-10, atol=0)
        for n in range(N + 1):
            assert liu.reciprocal_cascade_energy_ss(N, J, KAPPA, EPS, n=n) == pytest.approx(ss["energies"][n], rel=1e-10, abs=0)
        star = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
        assert liu.reciprocal_parallel_energy_ss(N, J, KAPPA, EPS) == pytest.approx(
            star.steady_state()["energies"][1], rel=1e-10, abs=0)


def test_reciprocal_amplitudes_against_engine():
    for N in (1, 2, 5):
        for J in (0.0, 0.002, 0.011):
            net = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
            ref = net.amplitudes(T)
            got = liu.reciprocal_cascade_amplitudes(T, N, J, KAPPA, EPS)
            np.testing.assert_allclose(got, ref, rtol=1e-8, atol=1e-12 * np.abs(ref).max())
            star = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
            refp = star.amplitudes(T)[:, 1]
            np.testing.assert_allclose(liu.reciprocal_parallel_amplitude(T, N, J, KAPPA, EPS), refp,
                                       rtol=1e-8, atol=1e-12 * max(np.abs(refp).max(), 1e-300))


def test_reciprocal_constants_against_determinant():
    for N in range(1, 10):
        P, J, k = liu_sym.continuant(N + 1)
        c = liu.reciprocal_constants(N)
        if N % 2:
            ours = sum(c[j] * J ** (N + 1 - 2 * j) * k ** (2 * j) for j in range(len(c)))
        else:
            ours = sum(c[j] * J ** (N - 2 * j) * k ** (2 * j + 1) for j in range(len(c)))
        assert sp.expand(P - ours) == 0
        assert all(isinstance(x, int) for x in c)


def test_window_against_engine_root_search():
    for N in (2, 3, 7):
        lo, hi = liu.reciprocal_window(N, KAPPA)
        lo_e, hi_e = liu.window_edges_numeric(N, KAPPA)
        assert lo == pytest.approx(lo_e, rel=1e-9) and hi == pytest.approx(hi_e, rel=1e-9)


# ---------------------------------------------------------------------------------- odd-even threshold
@pytest.mark.parametrize("N", [1, 3, 5, 9])
def test_odd_even_threshold_law_against_engine_crossing(N):
    J_law = liu.odd_even_threshold(N, KAPPA)
    J_eng = liu.odd_even_crossing(N, KAPPA, route="engine")
    assert J_law == pytest.approx(J_eng, rel=1e-8)
    assert liu.odd_even_threshold_N(J_eng, KAPPA) == pytest.approx(N, abs=1e-6)


def test_odd_even_threshold_values_and_growth():
    """The referee's measured thresholds (0.88, 1.20, 1.50, 2.05, 3.28, 9.4 kappa) and the N/ln N growth."""
    Ns = [1, 3, 5, 9, 19, 79]
    law = np.array([liu.odd_even_threshold(n, 1.0) for n in Ns])
    cont = np.array([liu.odd_even_crossing(n, 1.0, route="continuant") for n in Ns])
    np.testing.assert_allclose(law, cont, rtol=1e-8)
    np.testing.assert_allclose(law, [0.88, 1.20, 1.50, 2.05, 3.28, 9.4], rtol=0.01)
    big = liu.odd_even_threshold(10001, 1.0)
    assert (10001 + 2) / (2 * np.log(8 * big)) == pytest.approx(big, rel=2e-3)


def test_zigzag_predicted_by_the_law():
    """An even N zig-zags iff J(N) exceeds the threshold of the odd N - 1 (E_{N+1} < E_N always for even N)."""
    for Jf in (lambda n: KAPPA, lambda n: 3 * KAPPA, lambda n: liu.J_op_cascade(n, KAPPA)):
        got = liu.zigzag_batteries(Jf, KAPPA, 30)
        pred = [n for n in range(2, 31, 2) if liu.odd_even_threshold_N(Jf(n), KAPPA) > n - 1]
        assert got == pred
    assert liu.zigzag_batteries(KAPPA, KAPPA, 10, route="engine") == liu.zigzag_batteries(KAPPA, KAPPA, 10)
    Js = liu.J_op_cascade(np.arange(1, 32), KAPPA)
    assert liu.zigzag_batteries(Js, KAPPA, 30) == liu.zigzag_batteries(lambda n: liu.J_op_cascade(n, KAPPA), KAPPA, 30)


@pytest.mark.parametrize("topology", ["cascade", "parallel"])
@pytest.mark.parametrize("coupling", ["nonreciprocal", "reciprocal"])
def test_terminal_energy_ss_against_engine(topology, coupling):
    for N in (1, 4):
        for J in (0.0007, 0.004):
            ref = liu.steady_energy_profile(N, topology, coupling, J, KAPPA, EPS)[-1]
            assert liu.terminal_energy_ss(N, topology, coupling, J, KAPPA, EPS) == pytest.approx(ref, rel=1e-10)


def test_steady_energy_profile_against_closed_forms():
    J = liu.J_op_cascade(4, KAPPA)
    e = liu.steady_energy_profile(4, "cascade", "reciprocal", J, KAPPA, EPS)
    np.testing.assert_allclose(e, [liu.reciprocal_cascade_energy_ss(4, J, KAPPA, EPS, n=n) for n in range(5)], rtol=1e-10)
    e = liu.steady_energy_profile(4, "cascade", "nonreciprocal", J, KAPPA, EPS)
    lam = liu.cascade_lambdas([2 * J] * 4, KAPPA, [KAPPA] * 4)
    np.testing.assert_allclose(e, [liu.cascade_energy_ss(n, lam, [2 * J] * 4, EPS) for n in range(5)], rtol=1e-10)


# ---------------------------------------------------------------------------------- relaxation
def test_settling_time_exact_value():
    t = np.linspace(0, 10, 10001)
    y = 1 - np.exp(-t)
    assert liu.settling_time(t, y, 1.0, tol=0.02) == pytest.approx(-np.log(0.02), abs=1.1e-3)
    assert np.isnan(liu.settling_time(t[:100], y[:100], 1.0))


@pytest.mark.parametrize("topology", ["cascade", "parallel"])
@pytest.mark.parametrize("coupling", ["nonreciprocal", "reciprocal"])
def test_terminal_trace_against_engine(topology, coupling):
    N = 3
    J = liu.J_op_cascade(N, KAPPA) if topology == "cascade" else liu.J_op_parallel(N, KAPPA)
    build = liu.cascade_network if topology == "cascade" else liu.parallel_network
    net = build(N, J=J, kappa=KAPPA, epsilon=EPS, coupling=coupling)
    Ts = np.linspace(0, 30 / KAPPA, 601)
    E, E_ss = liu.terminal_energy_trace(Ts, N, topology, coupling, J, KAPPA, EPS)
    ref = net.energies(Ts)[:, -1]
    np.testing.assert_allclose(E, ref, rtol=1e-8, atol=1e-13)
    assert E_ss == pytest.approx(net.steady_state()["energies"][-1], rel=1e-10)
    tau = liu.terminal_settling_time(Ts, N, topology, coupling, J, KAPPA, EPS)
    assert tau == liu.settling_time(Ts, ref, net.steady_state()["energies"][-1])


def test_terminal_trace_of_the_reciprocal_chain_uses_the_last_site():
    """terminal_energy_trace computes only the last site of the reciprocal chain: the same numbers as
    the last column of reciprocal_cascade_amplitudes, and the engine's terminal energy."""
    T = np.linspace(0, 3000, 31)
    for N in (1, 4, 7):
        J = liu.J_op_cascade(N, 0.003)
        E, _ = liu.terminal_energy_trace(T, N, "cascade", "reciprocal", J, 0.003, 0.01)
        full = np.abs(liu.reciprocal_cascade_amplitudes(T, N, J, 0.003, 0.01)[:, -1]) ** 2
        np.testing.assert_allclose(E, full, rtol=1e-12, atol=1e-12 * full.max())
        net = liu.cascade_network(N, J=J, kappa=0.003, epsilon=0.01, coupling="reciprocal")
        np.testing.assert_allclose(E, net.energies(T)[:, -1], rtol=1e-8, atol=1e-14)


def test_reciprocal_cascade_floor_bounds_the_round_off_and_guards_the_trace():
    """The round-off floor of the sine-mode sum, from the chain's eigenvectors found by numpy (an
    independent route to psi_k and E_k); it bounds the actual error of the last site's amplitude;
    a chain whose steady amplitude lies below it is refused instead of returning round-off."""
    kappa, eps_d = 0.003, 0.001
    for N, J, site in ((5, 0.003, -1), (30, liu.J_op_cascade(3, kappa), -1), (12, 0.01, 4), (300, 0.004, -1)):
        L = N + 1
        H = np.diag(np.full(L - 1, J), 1) + np.diag(np.full(L - 1, J), -1)
        E, V = np.linalg.eigh(H)
        terms = 2 * np.abs(eps_d * V[site, :] * V[0, :] / (-E + 0.5j * kappa))
        ref = 2 * np.finfo(float).eps * L * terms.sum()
        assert liu.reciprocal_cascade_floor(N, J, kappa, eps_d, site) == pytest.approx(ref, rel=1e-9, abs=0)
        amp = liu.reciprocal_cascade_amplitudes([1e7], N, J, kappa, eps_d)[0, site]
        if site == -1:
            exact = np.sqrt(liu.reciprocal_cascade_energy_ss(N, J, kappa, eps_d))
            assert abs(abs(amp) - exact) <= ref
    # N = 300, J = 0.004: E_ss = 3.3e-50 (Eqs. (11)-(12)) but the sum returns ~1e-32 of round-off
    assert liu.reciprocal_cascade_energy_ss(300, 0.004, kappa, eps_d) < 1e-49
    with pytest.raises(ValueError, match="round-off floor"):
        liu.terminal_energy_trace([0, 1e5], 300, "cascade", "reciprocal", 0.004, kappa, eps_d)
    with pytest.raises(ValueError, match="round-off floor"):
        liu.terminal_settling_time(np.linspace(0, 1e5, 11), 300, "cascade", "reciprocal", 0.004, kappa, eps_d)
    with pytest.raises(ValueError, match="site"):
        liu.reciprocal_cascade_floor(3, 0.01, kappa, eps_d, site=4)
    # J = 0: the batteries are decoupled, exactly empty (not refused, not round-off)
    E0, E0_ss = liu.terminal_energy_trace([0, 1e3, 1e5], 300, "cascade", "reciprocal", 0.0, kappa, eps_d)
    assert E0_ss == 0 and np.all(E0 == 0)
    assert liu.reciprocal_cascade_energy_ss(300, 0.0, kappa, eps_d) == 0
    # the same chain with a stronger coupling is resolved and not refused
    E, E_ss = liu.terminal_energy_trace([0, 1e7], 300, "cascade", "reciprocal", 0.2, kappa, eps_d)
    assert E[-1] == pytest.approx(E_ss, rel=1e-6)
