"""Tests for nrqb.papers.liu and nrqb.papers.liu_sym (Liu et al. 2026): closed forms against the engine."""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import liu
from nrqb.papers import liu_sym

KAPPA, EPS = 0.003, 0.01
T = np.linspace(0, 6000, 121)


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("gauge", ["pi/2", "0"])
def test_eq3_unequal_rates_against_engine(N, gauge):
    rng = np.random.default_rng(N)
    G = rng.uniform(0.002, 0.01, N)
    kb = rng.uniform(0.001, 0.005, N)
    net = liu.cascade_network(N, Gammas=G, kappa=KAPPA, kappas=kb, kappa_a=0.004, epsilon=EPS, gauge=gauge)
    E = net.energies(T)
    lam = liu.cascade_lambdas(G, 0.004, kb)
    for n in range(N + 1):
        ref = E[:, n]
        np.testing.assert_allclose(liu.cascade_energy(T, n, lam, G, EPS), ref, atol=1e-10 * ref.max())
        # the printed Eq. (3) with the sign corrected is the same function
        np.testing.assert_allclose(liu.cascade_energy_paper_eq3(T, n, lam, G, EPS, sign=-1), ref,
                                   atol=1e-8 * ref.max())
        np.testing.assert_allclose(net.steady_state()["energies"][n], liu.cascade_energy_ss(n, lam, G, EPS),
                                   rtol=1e-10)


def test_eq3_printed_sign_is_wrong():
    lam, G = [0.005, 0.007, 0.009], [0.002, 0.003]
    printed = liu.cascade_energy_paper_eq3([0.0], 2, lam, G, EPS, sign=+1)[0]
    ss = liu.cascade_energy_ss(2, lam, G, EPS)
    assert printed == pytest.approx(4 * ss, rel=1e-12)  # E(0) = 4 E_ss instead of 0
    assert liu.cascade_energy([0.0], 2, lam, G, EPS)[0] == pytest.approx(0, abs=1e-15)


@pytest.mark.parametrize("N", [1, 2, 3, 7, 20])
def test_uniform_cascade_confluent_rates(N):
    """Lambda_0 = Lambda_N (a removable singularity of Eq. (3)) is handled exactly."""
    J = liu.J_op_cascade(N, KAPPA)
    net = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS)
    lam = liu.cascade_lambdas([2 * J] * N, KAPPA, [KAPPA] * N)
    assert lam[0] == lam[-1]
    E = liu.cascade_energy(T, N, lam, [2 * J] * N, EPS)
    ref = net.energies(T)[:, -1]
    np.testing.assert_allclose(E, ref, atol=1e-10 * ref.max())
    # approach the singular point: the nearby distinct-rate sum converges to it
    lam2 = lam.copy()
    lam2[-1] *= 1 + 1e-6
    if N <= 2:
        E2 = liu.cascade_energy_paper_eq3(T, N, lam2 + np.arange(N + 1) * 1e-12, [2 * J] * N, EPS, sign=-1)
        np.testing.assert_allclose(E2, E, atol=1e-4 * E.max())
    assert liu.cascade_terminal_energy_ss(N, 2 * J, KAPPA, EPS) == pytest.approx(ref[-1], rel=1e-6)


@pytest.mark.parametrize("N", [1, 2, 3, 5])
def test_parallel_against_engine_and_eq7_typo(N):
    J = liu.J_op_parallel(N, KAPPA)
    G = 2 * J
    net = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, gauge="0")
    E = net.energies(T)
    L0, Ln = N * G + KAPPA, G + KAPPA
    np.testing.assert_allclose(liu.parallel_energy(T, L0, Ln, G, EPS), E[:, 1], atol=1e-10 * E[:, 1].max())
    assert liu.parallel_energy_ss_uniform(N, G, KAPPA, EPS) == pytest.approx(net.steady_state()["energies"][1])
    if N > 1:  # the printed Eq. (7) differs (its exponents are swapped)
        assert np.max(np.abs(liu.parallel_energy_paper_eq7(T, L0, Ln, G, EPS) - E[:, 1])) > 1e-3 * E[:, 1].max()
    # equal rates (N = 1 has Lambda_0 = Lambda_1): exact
    np.testing.assert_allclose(liu.parallel_energy(T, 0.01, 0.01, 0.007, EPS),
                               liu.cascade_energy(T, 1, [0.01, 0.01], [0.007], EPS), rtol=1e-9, atol=1e-14)


def test_optimal_couplings_maximise():
    for N in (1, 2, 3, 8, 50):
        Jc = liu.J_op_cascade(N, KAPPA)
        Jp = liu.J_op_parallel(N, KAPPA)
        f = [liu.cascade_terminal_energy_ss(N, 2 * J, KAPPA, EPS) for J in (Jc * 0.99, Jc, Jc * 1.01)]
        g = [liu.parallel_energy_ss_uniform(N, 2 * J, KAPPA, EPS) for J in (Jp * 0.99, Jp, Jp * 1.01)]
        assert f[1] > f[0] and f[1] > f[2]
        assert g[1] > g[0] and g[1] > g[2]


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 8, 9])
def test_reciprocal_chain_three_ways(N):
    for J in (0.0005, 0.003, 0.02):
        ss = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal").steady_state()
        e = ss["energies"]
        assert liu.reciprocal_cascade_energy_ss(N, J, KAPPA, EPS) == pytest.approx(e[-1], rel=1e-10, abs=0)
        assert liu.reciprocal_cascade_energy_ss_sum(N, J, KAPPA, EPS) == pytest.approx(e[-1], rel=1e-10, abs=0)
        assert abs(liu.reciprocal_cascade_green(N, J, KAPPA, EPS)) ** 2 == pytest.approx(e[-1], rel=1e-10, abs=0)
        for n in range(N + 1):
            assert liu.reciprocal_cascade_energy_ss(N, J, KAPPA, EPS, n=n) == pytest.approx(e[n], rel=1e-10, abs=0)
        ep = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal").steady_state()
        assert liu.reciprocal_parallel_energy_ss(N, J, KAPPA, EPS) == pytest.approx(ep["energies"][1], rel=1e-10)


def test_reciprocal_dynamics_against_engine():
    for N in (1, 2, 5):
        for J in (0.0, 0.002):
            net = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
            np.testing.assert_allclose(liu.reciprocal_cascade_amplitudes(T, N, J, KAPPA, EPS), net.amplitudes(T),
                                       atol=1e-12)
            netp = liu.parallel_network(N, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
            np.testing.assert_allclose(liu.reciprocal_parallel_amplitude(T, N, J, KAPPA, EPS),
                                       netp.amplitudes(T)[:, 1], atol=1e-12)


def test_reciprocal_constants_against_sympy_determinant():
    for N in range(1, 9):
        P, J, k = liu_sym.continuant(N + 1)
        c = liu.reciprocal_constants(N)
        if N % 2:
            ours = sum(c[j] * J ** (N + 1 - 2 * j) * k ** (2 * j) for j in range(len(c)))
        else:
            ours = sum(c[j] * J ** (N - 2 * j) * k ** (2 * j + 1) for j in range(len(c)))
        assert sp.expand(P - ours) == 0


def test_large_N_no_overflow():
    N = 1000
    J = liu.J_op_cascade(N, KAPPA)
    e = liu.cascade_terminal_energy_ss(N, 2 * J, KAPPA, EPS)
    lam = liu.cascade_lambdas([2 * J] * N, KAPPA, [KAPPA] * N)
    assert e == pytest.approx(liu.cascade_energy_ss(N, lam, [2 * J] * N, EPS), rel=1e-9)
    net = liu.cascade_network(N, J=J, kappa=KAPPA, epsilon=EPS)
    alpha = np.linalg.solve(net.drift, 1j * net.drive)
    assert e == pytest.approx(abs(alpha[-1]) ** 2, rel=1e-9)
    r = liu.reciprocal_cascade_energy_ss(N, J, KAPPA, EPS)
    assert r == pytest.approx(abs(liu.reciprocal_cascade_green(N, J, KAPPA, EPS)) ** 2, rel=1e-8)


def test_window_eq14():
    for N in (2, 3, 6):
        lo, hi = liu.reciprocal_window(N, KAPPA)
        for J, rc_wins in ((0.5 * lo, False), (np.sqrt(lo * hi), True), (2 * hi, False)):
            rc = liu.reciprocal_parallel_energy_ss(N, J, KAPPA, EPS)
            nc = liu.parallel_energy_ss_uniform(N, 2 * J, KAPPA, EPS)
            assert (rc > nc) == rc_wins


def test_thermal_shift_uniform_and_not():
    J = liu.J_op_cascade(2, KAPPA)
    for build in (liu.cascade_network, liu.parallel_network):
        cold = build(2, J=J, kappa=KAPPA, epsilon=0.001).steady_state()["energies"]
        hot = build(2, J=J, kappa=KAPPA, epsilon=0.001, n_th=1.5).steady_state()["energies"]
        np.testing.assert_allclose(hot - cold, 1.5, rtol=1e-10)
        # only the shared reservoirs hot: the shift is no longer n_th
        nth = [0, 0, 0, 1.5, 1.5]
        part = build(2, J=J, kappa=KAPPA, epsilon=0.001, n_th=nth).steady_state()["energies"]
        assert not np.allclose(part - cold, 1.5, rtol=1e-3)


def test_symbolic_moment_equations_match_paper():
    for N in (1, 2):
        for top in ("cascade", "parallel"):
            A, c, s = liu_sym.moment_equations(N, top)
            assert sp.simplify(A - liu_sym.paper_drift(N, top)) == sp.zeros(N + 1, N + 1)
            assert c[0] == -sp.I * s["epsilon"]


def test_symbolic_eq3_sign_and_optima():
    amps, L, t = liu_sym.cascade_solution(2)
    ours = {k: v * sp.I for k, v in amps[2].items()}
    cor, L3, _ = liu_sym.vandermonde_bracket(2, -1)
    pap, _, _ = liu_sym.vandermonde_bracket(2, +1)
    sub = dict(zip(L3, L))
    cor = {k.subs(sub): v.subs(sub) for k, v in cor.items()}
    pap = {k.subs(sub): v.subs(sub) for k, v in pap.items()}
    assert liu_sym.same_coefficients(ours, cor)
    assert not liu_sym.same_coefficients(ours, pap)
    oc = liu_sym.optimal_couplings()
    assert sp.simplify(oc["dEc_dGamma"] - oc["A9"]) == 0
    assert sp.simplify(oc["dEp_dGamma"] - oc["A10"]) == 0
    N, k = oc["N"], oc["kappa"]
    assert sp.simplify(oc["Jc"] - k * (N + sp.sqrt(N**2 + 8 * N)) / 8) == 0
    assert sp.simplify(oc["Jp"] - k / (2 * sp.sqrt(N))) == 0
    roots, _ = liu_sym.window_roots()
    assert [sp.simplify(r) for r in roots] == [k / (2 * N), k / 2]


def test_settling_time():
    t = np.linspace(0, 10, 1001)
    y = 1 - np.exp(-t)
    assert liu.settling_time(t, y, 1.0, tol=0.02) == pytest.approx(-np.log(0.02), abs=0.011)
    assert np.isnan(liu.settling_time(t[:100], y[:100], 1.0))


@pytest.mark.parametrize("N", [1, 3, 4])
@pytest.mark.parametrize("topology", ["cascade", "parallel"])
@pytest.mark.parametrize("coupling", ["nonreciprocal", "reciprocal"])
def test_terminal_trace_and_settling_time_against_engine(N, topology, coupling):
    J = liu.J_op_cascade(N, KAPPA) if topology == "cascade" else liu.J_op_parallel(N, KAPPA)
    build = liu.cascade_network if topology == "cascade" else liu.parallel_network
    net = build(N, J=J, kappa=KAPPA, epsilon=EPS, coupling=coupling)
    Ts = np.linspace(0, 30 / KAPPA, 1501)
    E, E_ss = liu.terminal_energy_trace(Ts, N, topology, coupling, J, KAPPA, EPS)
    ref = net.energies(Ts)[:, -1]
    np.testing.assert_allclose(E, ref, atol=1e-10 * ref.max())
    assert E_ss == pytest.approx(net.steady_state()["energies"][-1], rel=1e-10)
    tau = liu.terminal_settling_time(Ts, N, topology, coupling, J, KAPPA, EPS)
    assert tau == liu.settling_time(Ts, ref, net.steady_state()["energies"][-1])
    assert 1 / KAPPA < tau < 15 / KAPPA
    with pytest.raises(ValueError, match="topology"):
        liu.terminal_energy_trace(Ts, N, "ring", coupling, J, KAPPA, EPS)
    with pytest.raises(ValueError, match="kappa"):
        liu.terminal_settling_time(Ts, N, topology, coupling, J, -KAPPA, EPS)


def test_network_builder_jump_vectors():
    """Each collective jump touches exactly the two nodes of its link, with the paper's p."""
    net = liu.cascade_network(1000, J=0.75, kappa=KAPPA, epsilon=EPS, gauge="0")
    p, _ = liu.gauge_coefficients(1000, "cascade", "0")
    for link in (1, 5, 1000):
        c = net.channels[1001 + link - 1][1]
        assert np.flatnonzero(c).tolist() == [link - 1, link]
        np.testing.assert_allclose(c[[link - 1, link]], p[[link - 1, link]])
    star = liu.parallel_network(3, J=0.001, kappa=KAPPA, epsilon=EPS)
    assert [np.flatnonzero(ch[1]).tolist() for ch in star.channels[4:]] == [[0, 1], [0, 2], [0, 3]]


@pytest.mark.parametrize("bad", [
    dict(kappa=-1.0), dict(kappa=float("nan")), dict(J=-0.1), dict(epsilon=float("nan")),
    dict(coupling="both"), dict(gauge="pi"), dict(kappa_a=-0.1), dict(N=0), dict(N=2.5),
])
def test_bad_input(bad):
    kw = dict(N=2, J=0.001, kappa=KAPPA, epsilon=EPS)
    kw.update(bad)
    N = kw.pop("N")
    with pytest.raises(ValueError):
        liu.cascade_network(N, **kw)
    with pytest.raises(ValueError):
        liu.parallel_network(N, **kw)


def test_bad_input_closed_forms():
    with pytest.raises(ValueError, match="kappa"):
        liu.J_op_cascade(3, -1)
    with pytest.raises(ValueError, match="N"):
        liu.J_op_parallel(0, 0.1)
    with pytest.raises(ValueError, match="Gamma"):
        liu.cascade_terminal_energy_ss(3, float("nan"), 0.1, 0.1)
    with pytest.raises(ValueError, match="kappa"):
        liu.reciprocal_cascade_energy_ss(3, 0.1, -0.2, 0.1)
    with pytest.raises(ValueError, match="Lambda"):
        liu.parallel_energy([0, 1], -1.0, 0.1, 0.1, 0.1)
    with pytest.raises(ValueError, match="distinct"):
        liu.cascade_energy_paper_eq3([0, 1], 1, [0.1, 0.1], [0.1], 0.1)
