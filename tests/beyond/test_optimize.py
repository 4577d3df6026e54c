"""Tests of nrqb.beyond.optimize: the closed-form optimum, the energy bound, the baselines' NR points."""
import numpy as np
import pytest
import sympy as sp

from nrqb.beyond import optimize as O


def test_ahmadi_nr_point_matches_eq5():
    net = O.ahmadi_network(O.ahmadi_nr_coupling(0.04), Gamma=0.04)
    np.testing.assert_allclose(abs(net.drift[0, 1]), 0, atol=1e-15)
    np.testing.assert_allclose(net.steady_state()["energies"][1], 16 * 0.04**2 * 0.1**2 / 0.043**4, rtol=1e-12)


@pytest.mark.parametrize("ka,kb,G,pa,pb", [(0.003, 0.003, 0.04, 1, 1), (0.1, 0.003, 0.01, 1, 1),
                                           (0.02, 0.005, 0.03, 1.3, 0.7 * np.exp(0.4j))])
def test_ahmadi_closed_form_optimum(ka, kb, G, pa, pb):
    o = O.ahmadi_optimum(kappa_a=ka, kappa_b=kb, Gamma=G, p_a=pa, p_b=pb)
    net = O.ahmadi_network(o["J_opt"], kappa_a=ka, kappa_b=kb, Gamma=G, p_a=pa, p_b=pb)
    c = O.steady_cost(net, 0, 1)
    np.testing.assert_allclose([c["E_B"], c["E_A"], c["P_in"]], [o["E_B"], o["E_A"], o["P_in"]], rtol=1e-9)
    nr = O.ahmadi_network(O.ahmadi_nr_coupling(G, pa, pb), kappa_a=ka, kappa_b=kb, Gamma=G, p_a=pa, p_b=pb)
    np.testing.assert_allclose(nr.steady_state()["energies"][1], o["E_B_nr"], rtol=1e-10)
    rng = np.random.default_rng(0)  # no complex J does better
    for J in rng.normal(scale=0.05, size=200) + 1j * rng.normal(scale=0.05, size=200):
        e = O.ahmadi_network(J, kappa_a=ka, kappa_b=kb, Gamma=G, p_a=pa, p_b=pb).steady_state()["energies"][1]
        assert e <= o["E_B"] * (1 + 1e-12)
    assert o["E_B"] <= O.energy_bound(0.1, ka, kb) * (1 + 1e-12)


def test_nr_optimal_only_at_unit_cooperativity():
    o = O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=0.003)  # C_d = 1
    np.testing.assert_allclose(o["gain"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(o["J_opt"], O.ahmadi_nr_coupling(0.003), rtol=1e-12)
    o = O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=0.04)
    c = np.sqrt(o["C_d"])
    np.testing.assert_allclose(o["gain"], 1 / (c * (2 - c)) ** 2, rtol=1e-12)


def test_sympy_derivation():
    d = O.ahmadi_optimum_sym()
    x, y, g, s, E = d["symbols"]
    assert sp.simplify(d["y_star"] - (s / 2 - g)) == 0
    assert sp.simplify(d["EB_star"] - E**2 / (s - 2 * g) ** 2) == 0
    gap0 = sp.factor(d["gap"].subs(x, 0))
    assert sp.simplify(gap0 - (2 * y - s + 2 * g) ** 2 * (s**2 - 4 * g**2 + 4 * y**2 + 4 * (s - 2 * g) * (y + g))) == 0


def test_energy_bound_is_tight_at_critical_coupling():
    # reciprocal pair, 4|J|^2 = kappa_a kappa_b, no reservoir: |alpha| = F/kappa_a and E_B equals the bound
    for ka, kb, F in ((0.003, 0.003, 0.1), (0.02, 0.005, 0.03 + 0.04j), (0.1, 0.003, 0.1)):
        net = O.ahmadi_network(0.5 * np.sqrt(ka * kb) * np.exp(0.3j), kappa_a=ka, kappa_b=kb, Gamma=0.0, E=F)
        e = net.steady_state()["energies"]
        np.testing.assert_allclose(e[1], O.energy_bound(F, ka, kb), rtol=1e-12)
        np.testing.assert_allclose(e[0], abs(F) ** 2 / ka**2, rtol=1e-12)
        np.testing.assert_allclose(O.energy_bound(F, ka, kb, omega=2.5), 2.5 * abs(F) ** 2 / (ka * kb), rtol=1e-15)
    # Ahmadi's optimum reaches it when kappa_a/|p_a|^2 = kappa_b/|p_b|^2 (symmetric case)
    o = O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=0.04)
    np.testing.assert_allclose(o["E_B"], O.energy_bound(0.1, 0.003, 0.003), rtol=1e-12)


def test_energy_bound_near_tight_random_networks():
    """Random perturbations of the critical pair (extra modes, shared baths): below the bound, and close to it."""
    from nrqb import LinearNetwork

    rng = np.random.default_rng(3)
    ka, kb, F = 0.004, 0.002, 0.05
    closest = 0.0
    for _ in range(40):
        n = 4
        h = np.zeros((n, n), complex)
        h[0, 1] = 0.5 * np.sqrt(ka * kb) * np.exp(1j * rng.uniform(0, 2 * np.pi))
        pert = 1e-4 * (rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
        h = h + h.conj().T + (pert + pert.conj().T) * rng.uniform(0, 1)
        kap = np.array([ka, kb, *rng.uniform(0.001, 0.01, n - 2)])
        net = LinearNetwork(h, loss=kap, jumps=[(rng.uniform(0, 1e-4), rng.normal(size=n))], drive=[F, 0, 0, 0])
        e = net.steady_state()["energies"][1]
        bound = O.energy_bound(F, ka, kb)
        assert e <= bound * (1 + 1e-12)
        closest = max(closest, e / bound)
    assert closest > 0.97  # the test samples where the bound is tight


def test_bound_fails_for_two_mode_squeezing():
    """g (ab + a^dag b^dag): closed form against the Lyapunov equation of the quadratures, and the bound exceeded."""
    from scipy.linalg import solve_continuous_lyapunov

    for ka, kb, frac in ((0.003, 0.003, 0.3), (0.004, 0.002, 0.9), (0.003, 0.003, 0.999)):
        g = frac * np.sqrt(ka * kb) / 2
        F = 0.01 + 0.002j
        r = O.two_mode_squeezing_energy(g, ka, kb, F)
        # means: d/dt (a, b^dag) = M (a, b^dag) + (-iF, 0)
        M = np.array([[-ka / 2, -1j * g], [1j * g, -kb / 2]])
        a, bd = np.linalg.solve(M, [1j * F, 0])
        np.testing.assert_allclose(r["coherent"], abs(bd) ** 2, rtol=1e-10)
        # fluctuations: quadratures (x_a, p_a, x_b, p_b), x = (a + a^dag)/sqrt2
        Hm = np.zeros((4, 4))
        Hm[0, 2] = Hm[2, 0] = g
        Hm[1, 3] = Hm[3, 1] = -g          # g(ab + h.c.) = g (x_a x_b - p_a p_b)
        Om = np.array([[0, 1, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 1], [0, 0, -1, 0]])
        Kd = np.diag([ka, ka, kb, kb])
        Adr = Om @ Hm - Kd / 2
        V = solve_continuous_lyapunov(Adr, -Kd / 2)
        nb = (V[2, 2] + V[3, 3]) / 2 - 0.5
        np.testing.assert_allclose(r["incoherent"], nb, rtol=1e-9)
        np.testing.assert_allclose(r["ratio_to_bound"], abs(bd) ** 2 * ka * kb / abs(F) ** 2, rtol=1e-10)
        np.testing.assert_allclose(r["threshold"], np.sqrt(ka * kb) / 2, rtol=1e-15)
    # the coherent part alone crosses the bound at g = (sqrt 2 - 1) kappa/2, about 0.41 of threshold
    np.testing.assert_allclose(O.two_mode_squeezing_energy((np.sqrt(2) - 1) * 0.0015, 0.003, 0.003, 0.01)["ratio_to_bound"],
                               1.0, rtol=1e-12)
    assert O.two_mode_squeezing_energy(0.5 * 0.0015, 0.003, 0.003, 0.01)["ratio_to_bound"] > 1.7
    assert O.two_mode_squeezing_energy(0.999 * 0.0015, 0.003, 0.003, 0.01)["ratio_to_bound"] > 1e5
    with pytest.raises(ValueError, match="threshold"):
        O.two_mode_squeezing_energy(0.0015, 0.003, 0.003, 0.01)


def test_two_mode_squeezing_against_qutip():
    import qutip as qt

    ka = kb = 1.0
    g, F, N = 0.2, 0.05, 8
    a = qt.tensor(qt.destroy(N), qt.qeye(N))
    b = qt.tensor(qt.qeye(N), qt.destroy(N))
    H = g * (a * b + a.dag() * b.dag()) + F * (a + a.dag())
    rho = qt.steadystate(H, [np.sqrt(ka) * a, np.sqrt(kb) * b])
    r = O.two_mode_squeezing_energy(g, ka, kb, F)
    np.testing.assert_allclose(qt.expect(b.dag() * b, rho), r["energy"], rtol=2e-4)


def test_bound_for_ergotropy_at_one_bath_temperature():
    for n_th in (0.5, 3.0):
        net = O.ahmadi_network(0.5 * 0.003, kappa_a=0.003, kappa_b=0.003, Gamma=0.0, E=0.1)
        th = type(net)(net.hamiltonian, loss=[0.003, 0.003], drive=net.drive, n_th=n_th)
        bound = O.energy_bound(0.1, 0.003, 0.003)
        np.testing.assert_allclose(th.ergotropy([np.inf], 1)[0], bound, rtol=1e-9)
        np.testing.assert_allclose(th.steady_state()["energies"][1], bound + n_th, rtol=1e-9)
    # a squeezed bath on the battery gives ergotropy above the bound for a weak drive
    sq = type(net)(net.hamiltonian, loss=[0.003, 0.003], drive=[1e-4, 0], squeezing=(1.0, 0.0))
    assert sq.ergotropy([np.inf], 1)[0] > 10 * O.energy_bound(1e-4, 0.003, 0.003)


@pytest.mark.parametrize("y", [-0.05, -0.02, 0.0, 0.0015, 0.01, 0.02, 0.04, 0.2])
def test_phase_line_against_the_engine(y):
    d = O.phase_line(y)
    net = O.ahmadi_network(1j * y)
    e = net.steady_state()["energies"]
    np.testing.assert_allclose([d["E_A"], d["E_B"]], e, rtol=1e-11)
    np.testing.assert_allclose(d["ratio"], e[1] / e[0], rtol=1e-11)
    np.testing.assert_allclose(d["slowest_rate"], -np.max(net.eigenvalues().real), rtol=1e-9)


def test_phase_line_theorem():
    """Max relaxation rate only on J = iy, |y| >= Gamma/2; there E_B is largest at the NR point iff Gamma >= kappa."""
    kap, G = 0.003, 0.04
    Lam = kap + G
    rng = np.random.default_rng(2)
    for J in rng.normal(scale=0.05, size=60) + 1j * rng.normal(scale=0.05, size=60):
        rate = -np.max(O.ahmadi_network(J).eigenvalues().real)
        assert rate < Lam / 2 - 1e-12   # off the line: strictly slower
    ys = np.linspace(G / 2, 0.5, 400)
    d = O.phase_line(ys)
    np.testing.assert_allclose(d["slowest_rate"], Lam / 2, rtol=1e-14)
    assert np.argmax(d["E_B"]) == 0 and np.all(np.diff(d["E_B"]) < 0)
    assert np.all(O.phase_line(-ys)["E_B"] < d["E_B"])
    assert np.all(np.diff(d["ratio"]) > 0) and d["ratio"][-1] > 100      # the ratio grows without bound
    # Gamma < kappa: the best maximal-rate hop is y = kappa/2, not the NR point
    d2 = O.phase_line(np.linspace(0.001, 0.05, 4901), kappa=0.01, Gamma=0.004)
    y2 = np.linspace(0.001, 0.05, 4901)[np.argmax(d2["E_B"])]
    np.testing.assert_allclose(y2, 0.005, atol=1e-5)


def test_phase_line_sym():
    d = O.phase_line_sym()
    x, y, g, kappa, E = d["symbols"]
    vals = {x: 0.013, y: 0.027, g: 0.02, kappa: 0.003, E: 0.1}
    np.testing.assert_allclose(complex(d["product"].subs(vals)),
                               0.02**2 - 0.013**2 - 0.027**2 + 2j * 0.02 * 0.013, rtol=1e-14)
    np.testing.assert_allclose(float(d["im_product"].subs(vals)), 2 * 0.02 * 0.013, rtol=1e-14)
    for yv in (-0.03, 0.005, 0.02, 0.07):
        v = {y: yv, g: 0.02, kappa: 0.003, E: 0.1}
        ref = O.phase_line(yv, kappa=0.003, Gamma=0.04)
        np.testing.assert_allclose(float(d["E_B"].subs(v)), ref["E_B"], rtol=1e-12)
        np.testing.assert_allclose(float(d["E_A"].subs(v)), ref["E_A"], rtol=1e-12)
        np.testing.assert_allclose(float(d["ratio"].subs(v)), ref["ratio"], rtol=1e-12)
        h = 1e-7
        fd = (O.phase_line(yv + h)["E_B"] - O.phase_line(yv - h)["E_B"]) / (2 * h)
        np.testing.assert_allclose(float(d["dEB"].subs(v)), fd, rtol=1e-6)
        np.testing.assert_allclose(float(d["mirror"].subs(v)), ref["E_B"] - O.phase_line(-yv)["E_B"], rtol=1e-10)
        ev = sorted(complex(e.subs(v)).real for e in d["eigenvalues"])
        np.testing.assert_allclose(-ev[-1], ref["slowest_rate"], rtol=1e-12)
    assert d["sign_factor"].subs({y: 0.0015, g: 0.02, kappa: 0.003}) == 0


@pytest.mark.parametrize("J", [0.02j, 0.0015j, 0.013 + 0.02j, -0.03])
def test_energy_at_time_against_the_engine(J):
    t = np.array([0.0, 1e-3, 0.5, 37.0, 100.0, 1500.0, 2e4])
    np.testing.assert_allclose(O.energy_at_time(t, J), O.ahmadi_network(J).energies(t)[:, 1], rtol=1e-9, atol=1e-300)


def test_best_energy_at_time_is_a_maximum():
    for t in (30.0, 300.0):
        r = O.best_energy_at_time(t)
        np.testing.assert_allclose(r["E_B"], O.ahmadi_network(r["J"]).energies([t])[0, 1], rtol=1e-9)
        np.testing.assert_allclose(r["E_B_nr"], O.ahmadi_network(0.02j).energies([t])[0, 1], rtol=1e-9)
        np.testing.assert_allclose(r["ratio_nr"], r["E_B_nr"] / r["E_B"], rtol=1e-12)
        assert abs(r["J"].real) < 1e-7        # the best hop has the NR phase
        # a grid around the optimum and a coarse grid over the plane never do better
        J0 = r["J"]
        for dx in np.linspace(-0.2, 0.2, 5) * abs(J0):
            for dy in np.linspace(-0.2, 0.2, 5) * abs(J0):
                assert O.energy_at_time(t, J0 + dx + 1j * dy)[0] <= r["E_B"] * (1 + 1e-10)
        for Jx in np.linspace(-0.1, 0.1, 9):
            for Jy in np.linspace(-0.1, 0.1, 9):
                assert O.energy_at_time(t, Jx + 1j * Jy)[0] <= r["E_B"] * (1 + 1e-10)
    free = O.best_energy_at_time(100.0, Gamma_free=True)
    assert free["Gamma"] < 1e-8 and free["E_B"] > O.best_energy_at_time(100.0)["E_B"]
    rec = O.ahmadi_network(free["J"], Gamma=0.0).energies([100.0])[0, 1]
    np.testing.assert_allclose(free["E_B"], rec, rtol=1e-9)
    f = O.energy_time_front([30.0, 300.0])
    np.testing.assert_allclose(f["E_B"], [O.best_energy_at_time(30.0)["E_B"], O.best_energy_at_time(300.0)["E_B"]],
                               rtol=1e-10)
    for k, t in enumerate(f["t"]):   # the returned hops give the returned energies (engine)
        np.testing.assert_allclose(O.ahmadi_network(f["J"][k]).energies([t])[0, 1], f["E_B"][k], rtol=1e-9)
        np.testing.assert_allclose(f["ratio_nr"][k], f["E_B_nr"][k] / f["E_B"][k], rtol=1e-12)


def test_nr_point_is_on_the_front_at_one_time():
    ts = O.nr_front_time()
    assert 100 < ts < 110
    e0 = O.energy_at_time(ts, 0.02j)[0]
    for dy in (1e-4, -1e-4):   # the NR hop is the best on its line at t*: neighbours do worse
        assert O.energy_at_time(ts, 0.02j + 1j * dy)[0] < e0
    np.testing.assert_allclose(O.best_energy_at_time(ts)["E_B"], e0, rtol=1e-9)


def test_liu_optimal_coupling_is_the_root_of_the_equal_rate_law():
    from scipy.optimize import minimize_scalar

    from nrqb.beyond import networks as W

    for N in (1, 2, 5, 30):
        c = [1] + [2] * (N - 1) + [1]
        np.testing.assert_allclose(O.liu_optimal_coupling(N, 0.003), W.optimal_gamma(c, 0.003) / 2, rtol=1e-12)
        np.testing.assert_allclose(O.liu_optimal_coupling(N, 0.003, "parallel"), W.optimal_gamma([N, 1], 0.003) / 2,
                                   rtol=1e-12)
    # against the engine: maximise the terminal energy of N = 3 over a common J
    f = lambda J: -O.liu_network([1j * J] * 3, N=3, Gamma=2 * J).steady_state()["energies"][-1]  # noqa: E731
    r = minimize_scalar(f, bounds=(1e-4, 0.05), method="bounded", options={"xatol": 1e-12})
    np.testing.assert_allclose(r.x, O.liu_optimal_coupling(3, 0.003), rtol=1e-5)


def test_powers_and_costs_against_closed_forms():
    G, k, E = 0.04, 0.003, 0.1
    Lam = G + k
    net = O.ahmadi_network(0.5j * G)
    al = -2j * E / Lam
    be = -2 * G / Lam * al
    np.testing.assert_allclose(O.input_power(net), 4 * E**2 / Lam, rtol=1e-12)
    d = O.dissipated_power(net)
    np.testing.assert_allclose(d["local"], k * np.abs([al, be]) ** 2, rtol=1e-12)
    np.testing.assert_allclose(d["shared"], [G * abs(al + be) ** 2], rtol=1e-12)
    np.testing.assert_allclose(d["total"], 4 * E**2 / Lam, rtol=1e-12)
    c = O.steady_cost(net, 0, 1)
    np.testing.assert_allclose([c["E_A"], c["E_B"], c["P_in"]], [abs(al) ** 2, abs(be) ** 2, 4 * E**2 / Lam], rtol=1e-12)
    np.testing.assert_allclose(c["eta_AB"], 4 * G**2 / Lam**2, rtol=1e-12)
    np.testing.assert_allclose(c["eta_lin"], abs(be) ** 2 / (abs(al) ** 2 + abs(be) ** 2), rtol=1e-12)
    np.testing.assert_allclose(c["tau"], abs(be) ** 2 / (4 * E**2 / Lam), rtol=1e-12)
    np.testing.assert_allclose(c["P_shared"] / c["P_in"], G * abs(al + be) ** 2 * Lam / (4 * E**2), rtol=1e-12)
    np.testing.assert_allclose(c["P_shared"] / c["P_in"], 0.689, atol=5e-4)   # the price paragraph's 69 %
    # input power with given amplitudes
    np.testing.assert_allclose(O.input_power(net, [-1j, 0]), 2 * E, rtol=1e-15)   # 2 Im(conj(-i) E)

    rng = np.random.default_rng(1)
    from nrqb import LinearNetwork
    for _ in range(30):
        n = 4
        h = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        h = 0.05 * (h + h.conj().T)
        kap = rng.uniform(0.001, 0.05, n)
        net = LinearNetwork(h, loss=kap, jumps=[(0.03, rng.normal(size=n))], drive=[0.1, 0, 0, 0])
        e = net.steady_state()["energies"]
        for j in range(1, n):
            assert e[j] <= O.energy_bound(0.1, kap[0], kap[j]) * (1 + 1e-12)
        np.testing.assert_allclose(O.input_power(net), O.dissipated_power(net)["total"], rtol=1e-9)


def test_baselines_nr_points():
    B = O.baselines()
    # Ahmadi: the NR point is one-way, E_B is paper Eq. (5); Fig. 4(a) too
    for key, (ka, kb, G) in (("ahmadi", (0.003, 0.003, 0.04)), ("ahmadi4", (0.1, 0.003, 0.01))):
        net = B[key].build(B[key].x_nr)
        assert abs(net.drift[0, 1]) < 1e-16
        np.testing.assert_allclose(B[key].energy(B[key].x_nr), 16 * G**2 * 0.01 / ((ka + G) * (kb + G)) ** 2, rtol=1e-12)
        np.testing.assert_allclose(B[key].bound(), 0.01 / (ka * kb), rtol=1e-12)
    np.testing.assert_allclose([B["zhao"].kappa_c, B["zhao"].F, B["lin"].kappa_b], [0.1, 1.0, 0.003], rtol=0)
    np.testing.assert_allclose(B["zhao_all"].energy(B["zhao_all"].x_nr), B["zhao"].energy(B["zhao"].x_nr), rtol=1e-12)
    from nrqb.beyond.networks import path_energy
    Gp = 2 * O.liu_optimal_coupling(2, 0.003, "parallel")
    np.testing.assert_allclose(B["liu_p"].energy(B["liu_p"].x_nr), 2 * path_energy([2, 1], Gp, 0.003, 0.01), rtol=1e-12)
    np.testing.assert_allclose(B["zhao"].energy(B["zhao"].x_nr), (8 * 0.01 / 0.12**2) ** 2, rtol=1e-12)  # Zhao Eq. (3)
    Gc = 2 * O.liu_optimal_coupling(2, 0.003)
    E5 = 4**3 * 0.01**2 * Gc**4 / ((Gc + 0.003) ** 4 * (2 * Gc + 0.003) ** 2)
    np.testing.assert_allclose(B["liu_c"].energy(B["liu_c"].x_nr), E5, rtol=1e-12)  # Liu Eq. (5)
    # Lin: effective one-way drift at the NR point (Schur complement of the bad cavity)
    A = B["lin"].build(B["lin"].x_nr).drift
    Aeff = A[:2, :2] - A[:2, 2:] @ np.linalg.solve(A[2:, 2:], A[2:, :2])
    assert abs(Aeff[0, 1]) < 1e-15


def test_optimise_reaches_closed_form_and_grid():
    b = O.baselines()["ahmadi"]
    r = O.optimise(b, "energy", n_starts=2)
    o = O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=0.04)
    np.testing.assert_allclose(r["value"], o["E_B"], rtol=1e-8)
    assert O.grid_check(b, r["x"]) <= r["value"] * (1 + 1e-9)


def test_peak_power_closed_form():
    # nonreciprocal Ahmadi pair, equal rates: E_B = 16 G^2 E^2/L^4 (1 - e^{-Lt/2})^2 ... power from Eq. (6)
    net = O.ahmadi_network(0.02j)
    P, t = O.peak_power(net, 1, 1500.0)
    tt = np.linspace(1, 400, 40001)
    L = 0.043
    EB = 16 * 0.04**2 * 0.01 / L**4 * (2 / L * (1 - np.exp(-L * tt / 2)) - tt * np.exp(-L * tt / 2)) ** 2 * L**2 / 4
    np.testing.assert_allclose(P, np.max(np.gradient(EB, tt)), rtol=1e-5)


def test_bad_input():
    net = O.ahmadi_network(0.02j)
    with pytest.raises(ValueError, match="n_grid"):
        O.peak_power(net, 1, 10.0, n_grid=0)
    with pytest.raises(ValueError, match="battery"):
        O.peak_power(net, 5, 10.0)
    with pytest.raises(ValueError, match="t_max"):
        O.peak_power(net, 1, 0.0)
    with pytest.raises(ValueError, match="charger"):
        O.steady_cost(net, 2, 1)
    with pytest.raises(ValueError, match="alpha"):
        O.input_power(net, [1, 2, 3])
    with pytest.raises(ValueError, match="net"):
        O.dissipated_power("net")
    with pytest.raises(ValueError, match="N"):
        O.liu_optimal_coupling(2.0, 0.003)
    with pytest.raises(ValueError, match="N"):
        O.liu_network([0.1], N=np.inf)
    with pytest.raises(ValueError, match="E"):
        O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=0.04, E=np.nan)
    with pytest.raises(ValueError, match="omega"):
        O.energy_bound(0.1, 0.003, 0.003, omega=-1)
    with pytest.raises(ValueError, match="F"):
        O.energy_bound(np.inf, 0.003, 0.003)
    with pytest.raises(ValueError, match="y"):
        O.phase_line(1j)
    with pytest.raises(ValueError, match="kappa"):
        O.phase_line(0.01, kappa=0)
    with pytest.raises(ValueError, match="t"):
        O.energy_at_time(-1.0, 0.02j)
    with pytest.raises(ValueError, match="t"):
        O.energy_time_front([3.0, 2.0])
    with pytest.raises(ValueError, match="n_starts"):
        O.optimise(O.baselines()["ahmadi"], n_starts=-1)
    with pytest.raises(ValueError, match="x"):
        O.grid_check(O.baselines()["ahmadi"], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="xi"):
        O.zhao_network(0.1, 0.1, 0.01, xi=np.nan)
    with pytest.raises(ValueError, match="Delta_c"):
        O.lin_network(0.01, Delta_c=1j)
    with pytest.raises(ValueError, match="bracket"):
        O.nr_front_time(bracket=(200.0, 1000.0))
    with pytest.raises(ValueError, match="kappa_a"):
        O.ahmadi_network(0.01, kappa_a=-1)
    with pytest.raises(ValueError, match="kappa_charger"):
        O.energy_bound(0.1, float("nan"), 0.1)
    with pytest.raises(ValueError, match="objective"):
        O.optimise(O.baselines()["ahmadi"], "speed")
    with pytest.raises(ValueError, match="definition"):
        O.peak_power(O.ahmadi_network(0.01), 1, 10.0, definition="mean")
    with pytest.raises(ValueError, match="topology"):
        O.liu_network([0.1, 0.1], topology="ring")


def test_ahmadi_baseline_gain_against_the_closed_form():
    for G in (0.001, 0.04):
        r = O.optimise(O.ahmadi_baseline(G), "energy", n_starts=1)
        o = O.ahmadi_optimum(kappa_a=0.003, kappa_b=0.003, Gamma=G)
        np.testing.assert_allclose(r["ratio"], o["gain"], rtol=1e-7)
        np.testing.assert_allclose(O.ahmadi_baseline(G).x_nr, [0, G / 2], rtol=1e-15)


@pytest.mark.parametrize("key", ["ahmadi", "ahmadi4", "zhao", "zhao_all", "lin", "liu_c", "liu_p"])
def test_baseline_fast_paths_against_the_engine(key):
    """Baseline.energy / .power (direct drift, augmented exponential) = the engine's steady state / peak_power."""
    base = O.baselines()[key]
    rng = np.random.default_rng(7)
    lo = np.array([b[0] for b in base.bounds])
    hi = np.array([b[1] for b in base.bounds])
    for x in (base.x_nr, base.x_nr + 0.05 * (hi - lo) * rng.uniform(-1, 1, len(lo))):
        net = base.build(x)
        e = net.steady_state()["energies"][np.atleast_1d(base.battery)].sum()
        np.testing.assert_allclose(base.energy(x), e, rtol=1e-10)
        if key in ("ahmadi", "zhao", "liu_p"):
            P = O.peak_power(net, base.battery, base.t_max, definition=base.power_definition)[0]
            np.testing.assert_allclose(base.power(x), P, rtol=1e-7)
    with pytest.raises(ValueError, match="x"):
        base.energy(np.zeros(len(lo) + 1))


def test_zhao_and_lin_builders():
    # Zhao et al., Eq. (3) at N = 1: E = (8 g_b xi/(gamma (gamma + 2 g_b)))^2 ... at g_b = 0.01, gamma = Gamma = 0.1
    g12 = np.sqrt(0.01 * 0.1 / 2)
    net = O.zhao_network(g12, g12, -0.01j)
    np.testing.assert_allclose(net.steady_state()["energies"][2], (8 * 0.01 / 0.12**2) ** 2, rtol=1e-12)
    np.testing.assert_allclose(net.steady_state()["energies"][2], O.baselines()["zhao"].energy([0.0, -0.01]), rtol=1e-12)
    # Lin et al.: the eliminated cavity gives the one-way pair of rate 4 g^2/gamma_m = 0.04 (|A_ba| = Gamma)
    net = O.lin_network(0.02, g_a=1j * np.sqrt(0.2), g_b=np.sqrt(0.2))
    A = net.eliminated_drift([0, 1])
    assert abs(A[0, 1]) < 1e-15
    np.testing.assert_allclose([abs(A[1, 0]), -A[1, 1].real], [0.04, (0.04 + 0.003) / 2], rtol=1e-12)
    np.testing.assert_allclose(net.steady_state()["energies"][1], 16 * 0.04**2 * 0.01 / 0.043**4, rtol=1e-12)


@pytest.mark.parametrize("J", [0.02j, 0.2j, 0.0015j, 0.01 + 0.02j, 0.05])
def test_pair_amplitudes_grid_matches_the_exponential_at_every_time(J):
    # the doubling recurrence on a uniform grid against one augmented exponential per time
    t = np.linspace(0.0, 2500.0, 1001)
    grid = O._pair_amplitudes_grid(t[-1], len(t), J, 0.04, 0.003, 0.1)
    exact = O._pair_amplitudes(t, J, 0.04, 0.003, 0.1)
    assert grid.shape == exact.shape == (1001, 2)
    np.testing.assert_allclose(grid, exact, rtol=0, atol=1e-12 * np.abs(exact).max())


@pytest.mark.parametrize("Gamma", [0.04, 0.0, 0.3])
def test_eb_closed_form_matches_the_augmented_exponential(Gamma):
    # the optimisers' closed-form |beta(t)|^2 against the matrix exponential, at the exceptional point
    # (J = i Gamma/2), next to it, in the cancellation fallback (short times) and at long times
    rng = np.random.default_rng(3)
    hops = [0.5j * Gamma, 0.5j * Gamma * (1 + 1e-9) + 1e-12, 0.0015j, 0.2j, 0.3 + 0.1j, -0.01 + 0.03j]
    hops += list(0.1 * rng.normal(size=4) + 0.1j * rng.normal(size=4))
    for t in np.geomspace(1e-2, 5000.0, 25):
        for J in hops:
            ref = np.abs(O._pair_amplitudes(np.array([t]), J, Gamma, 0.003, 0.1)[0, 1]) ** 2
            assert O._eb(t, J, Gamma, 0.003, 0.1) == pytest.approx(ref, rel=1e-11, abs=1e-300), (t, J)
