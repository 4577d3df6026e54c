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


def test_energy_bound_random_networks():
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
