"""Tests of nrqb.beyond.networks: builders against the exact path/ring laws, Liu et al.'s Eq. (10)."""
import numpy as np
import pytest
import sympy as sp

from nrqb.beyond import networks as W

K = 0.003


@pytest.mark.parametrize("N", [1, 2, 3, 7])
def test_chain_matches_path_law_and_liu_eq10(N):
    c = [1] + [2] * (N - 1) + [1]
    g = W.optimal_gamma(c, K)
    np.testing.assert_allclose(g / 2, K * (N + np.sqrt(N**2 + 8 * N)) / 8, rtol=1e-12)  # Liu Eq. (10)
    net = W.chain(N, g, K, 0.01).build()
    np.testing.assert_allclose(net.steady_state()["energies"][-1], W.path_energy(c, g, K, 0.01), rtol=1e-11)
    # Liu Eq. (5)
    E5 = 4 ** (N + 1) * 0.01**2 * g ** (2 * N) / ((g + K) ** 4 * (2 * g + K) ** (2 * N - 2))
    np.testing.assert_allclose(W.path_energy(c, g, K, 0.01), E5, rtol=1e-12)


@pytest.mark.parametrize("m", [1, 2, 5])
def test_star_parallel_law(m):
    g = W.optimal_gamma([m, 1], K)
    np.testing.assert_allclose(g / 2, K / (2 * np.sqrt(m)), rtol=1e-12)  # Liu Eq. (10), parallel
    nb = W.star_of_chains(m, 3, 0.004, K)
    e = nb.build().steady_state()["energies"]
    np.testing.assert_allclose(e[nb.index("a0_3")], W.path_energy([m, 2, 2, 1], 0.004, K), rtol=1e-11)


def test_optimum_is_a_maximum_of_the_engine():
    nb = lambda g: W.tree(2, 3, g, K)  # noqa: E731
    c = [2, 3, 3, 1]
    g0 = W.optimal_gamma(c, K)
    e = [nb(g).build().steady_state()["energies"][nb(g).index("r010")] for g in (0.97 * g0, g0, 1.03 * g0)]
    assert e[1] > e[0] and e[1] > e[2]


def test_tree_leaf_and_sym_root():
    nb = W.tree(3, 2, 0.01, K)
    e = nb.build().steady_state()["energies"]
    np.testing.assert_allclose(e[nb.index("r21")], W.path_energy([3, 4, 1], 0.01, K), rtol=1e-11)
    cond, roots = W.optimal_gamma_sym([1, 2, 1])
    g, kappa = sorted(cond.free_symbols, key=str)
    assert len(roots) == 1
    assert sp.simplify(roots[0] - kappa * (1 + sp.sqrt(5)) / 2) == 0


@pytest.mark.parametrize("flux", [0.0, 1.3, 5 * np.pi])
def test_ring_closed_form(flux):
    net = W.ring(5, 0.04, K, 0.01, flux=flux).build()
    np.testing.assert_allclose(net.steady_state()["amplitudes"], W.ring_amplitudes(5, 0.04, K, 0.01, flux),
                               rtol=1e-10)


def test_lattice_energy_balance_and_distances():
    net = W.perimeter_lattice(8, 8, 0.01, 0.04, K, 0.01).build()  # 64 modes: sparse path
    f = W.energy_flow(net)
    np.testing.assert_allclose(f["P_in"], f["local"].sum() + f["shared"].sum(), rtol=1e-9)
    d = W.distances(net, 0, directed=False)
    assert d.max() == 14 and np.all(d >= 0)
    # without bulk hops the open perimeter is a chain: one-way distances grow along it
    nb = W.perimeter_lattice(4, 4, 0.0, 0.04, K, 0.01, closed=False)
    d = W.distances(nb.build(), nb.index("0,0"))
    per = W.perimeter(4, 4)
    assert [d[nb.index(f"{a},{b}")] for a, b in per] == list(range(len(per)))


def test_energy_flow_against_the_chain_closed_form():
    # chain 0 -> 1 -> 2 -> 3 at a common rate: alpha_0 = -2iF/Lambda_0, alpha_d = -(2g/Lambda_d) alpha_{d-1}
    g, F = 0.01, 0.02 + 0.005j
    f = W.energy_flow(W.chain(3, g, K, F).build())
    Lam = np.array([K + g, K + 2 * g, K + 2 * g, K + g])
    a = [-2j * F / Lam[0]]
    for d in range(1, 4):
        a.append(-2 * g / Lam[d] * a[-1])
    a = np.array(a)
    np.testing.assert_allclose(f["P_in"], 4 * abs(F) ** 2 / Lam[0], rtol=1e-12)
    np.testing.assert_allclose(f["local"], K * np.abs(a) ** 2, rtol=1e-12)
    np.testing.assert_allclose(f["shared"], g * np.abs(a[:-1] + a[1:]) ** 2, rtol=1e-12)
    np.testing.assert_allclose(f["energies"], np.abs(a) ** 2, rtol=1e-12)


@pytest.mark.parametrize("D", [1, 4, 9])
def test_graded_chain_energy_matches_the_engine(D):
    rng = np.random.default_rng(D)
    g = rng.uniform(0.002, 0.05, D)
    e = W.chain(D, g, K, 0.01).build().steady_state()["energies"][-1]
    np.testing.assert_allclose(W.graded_energy(g, K, 0.01), e, rtol=1e-11)
    # equal rates: the common-rate path law
    np.testing.assert_allclose(W.graded_energy(np.full(D, 0.01), K), W.path_energy([1] + [2] * (D - 1) + [1], 0.01, K),
                               rtol=1e-12)


@pytest.mark.parametrize("b,D", [(2, 3), (3, 2)])
def test_graded_tree_energy_matches_the_engine(b, D):
    g = np.array([0.02, 0.007, 0.013][:D])
    nb = W.tree(b, D, g, K, 0.01)
    e = nb.build().steady_state()["energies"][nb.index("r" + "1" * D)]
    np.testing.assert_allclose(W.graded_energy(g, K, 0.01, branching=b), e, rtol=1e-11)


@pytest.mark.parametrize("D,gain", [(4, 1.198), (40, 16.36), (80, 55.28)])
def test_unequal_rates_beat_the_equal_rate_law(D, gain):
    r = W.optimal_rates(D, K)
    g = r["gamma"]
    # the stationarity conditions 1/g_d = 1/Lambda_{d-1} + 1/Lambda_d, checked directly
    Lam = np.full(D + 1, K)
    Lam[1:] += g
    Lam[:D] += g
    np.testing.assert_allclose(1 / g, 1 / Lam[:-1] + 1 / Lam[1:], rtol=1e-6)
    c = [1] + [2] * (D - 1) + [1]
    np.testing.assert_allclose(r["E_equal"], W.path_energy(c, W.optimal_gamma(c, K), K), rtol=1e-12)
    np.testing.assert_allclose(r["E"], W.graded_energy(g, K), rtol=1e-12)
    np.testing.assert_allclose(r["gain"], r["E"] / r["E_equal"], rtol=1e-12)
    assert abs(r["gain"] / gain - 1) < 1e-3
    # ln E is concave in ln gamma: random perturbations never do better
    rng = np.random.default_rng(0)
    for _ in range(20):
        assert W.graded_energy(g * np.exp(0.05 * rng.normal(size=D)), K) < r["E"]
    if D == 4:  # the engine, with the optimal rates
        e = W.chain(D, g, K, 0.01).build().steady_state()["energies"][-1]
        np.testing.assert_allclose(e, r["E"], rtol=1e-10)


def test_graded_tree_optimum_and_semi_infinite_profile():
    r = W.optimal_rates(4, K, branching=2)
    nb = W.tree(2, 4, r["gamma"], K, 0.01)
    np.testing.assert_allclose(nb.build().steady_state()["energies"][nb.index("r0101")], r["E"], rtol=1e-10)
    assert r["gain"] > 1.2 and r["residual"] < 1e-6
    # every leaf is bounded by energy balance: 2^D E_leaf <= F^2/kappa^2
    assert 2**4 * r["E"] <= 0.01**2 / K**2
    s = W.semi_infinite_rates(30, K)
    d = np.arange(1, 31)
    np.testing.assert_array_equal(s, K * d * (d + 2))
    Lam = np.concatenate([[K + s[0]], K + s[:-1] + s[1:]])   # Lambda_0 .. Lambda_29
    np.testing.assert_allclose(1 / s[:-1], 1 / Lam[:-1] + 1 / Lam[1:], rtol=1e-13)
    np.testing.assert_allclose(Lam, 2 * K * (np.arange(30) + 1) * (np.arange(30) + 2), rtol=1e-13)  # 4 kappa, 12 kappa, ...


@pytest.mark.parametrize("n,flux", [(5, 1.3), (6, 0.0), (3, 4.0)])
def test_ring_over_open_chain_exact(n, flux):
    g = 0.04
    ring = W.ring(n, g, K, 0.01, flux=flux).build().steady_state()["amplitudes"]
    chain = W.chain(n - 1, g, K, 0.01).build().steady_state()["amplitudes"]
    np.testing.assert_allclose(ring / chain, W.ring_over_chain(n, g, K, flux), rtol=1e-10)


def test_marginal_ring_is_refused():
    with pytest.raises(ValueError, match="undamped"):
        W.ring_amplitudes(4, 1, 0, flux=4 * np.pi)
    with pytest.raises(ValueError, match="undamped"):
        W.ring_over_chain(3, 1, 0, flux=np.pi)
    # lossless but off resonance: damped through the links, and exact
    a = W.ring_amplitudes(4, 0.04, 0.0, 0.01, flux=1.0)
    np.testing.assert_allclose(W.ring(4, 0.04, 0.0, 0.01, flux=1.0).build().steady_state()["amplitudes"], a, rtol=1e-10)


def test_fit_decay_exact():
    q, E0 = W.fit_decay([0, 1, 2, 3], 2.0 * 0.5 ** np.arange(4))
    np.testing.assert_allclose([q, E0], [0.5, 2.0], rtol=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="n_links"):
        W.chain(np.inf, 0.01, K)
    with pytest.raises(ValueError, match="n_links"):
        W.chain(2.0, 0.01, K)
    with pytest.raises(ValueError, match="gamma"):
        W.chain(3, [0.1, 0.2], K)
    with pytest.raises(ValueError, match="F"):
        W.chain(2, 0.01, K, F=np.nan)
    with pytest.raises(ValueError, match="flux"):
        W.ring(3, 0.01, K, flux=1j)
    with pytest.raises(ValueError, match="modes"):
        W.tree(10, 10, 0.01, K)
    with pytest.raises(ValueError, match="source"):
        W.distances(W.chain(2, 0.01, K).build(), 5)
    with pytest.raises(ValueError, match="gamma"):
        W.graded_energy([0.01, -0.01], K)
    with pytest.raises(ValueError, match="branching"):
        W.optimal_rates(3, K, branching=0)
    with pytest.raises(ValueError, match="c must"):
        W.path_energy([1.5, 1], 0.1, K)
    with pytest.raises(ValueError, match="closed"):
        W.perimeter_lattice(3, 3, 0.01, 0.04, K, closed="yes")
    with pytest.raises(ValueError, match="net"):
        W.energy_flow("net")
    with pytest.raises(ValueError, match="gamma"):
        W.chain(2, -1.0, K)
    with pytest.raises(ValueError, match="kappa"):
        W.ring(3, 0.01, float("nan"))
    with pytest.raises(ValueError, match="n_links"):
        W.chain(0, 0.01, K)
    with pytest.raises(ValueError, match="kappa"):
        W.optimal_gamma([1, 1], 0.0)
    with pytest.raises(ValueError, match="c must"):
        W.path_energy([1], 0.1, K)


@pytest.mark.parametrize("geometry,width", [("chain", 1), ("star", 3), ("tree", 2)])
def test_engine_brute_force_matches_the_law(geometry, width):
    g, E = W.engine_optimal_gamma(geometry, 3, K, 0.01, width=width)
    c = W.path_counts(geometry, 3, width)
    np.testing.assert_allclose(g, W.optimal_gamma(c, K), rtol=1e-5)
    np.testing.assert_allclose(E, W.path_energy(c, W.optimal_gamma(c, K), K), rtol=1e-9)
    assert W.path_counts("chain", 4) == [1, 2, 2, 2, 1] and W.path_counts("tree", 3, 3) == [3, 4, 4, 1]
    with pytest.raises(ValueError, match="geometry"):
        W.path_counts("ring", 3)
