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
    net = W.chiral_lattice(8, 8, 0.01, 0.04, K, 0.01).build()  # 64 modes: sparse path
    f = W.energy_flow(net)
    np.testing.assert_allclose(f["P_in"], f["local"].sum() + f["shared"].sum(), rtol=1e-9)
    d = W.distances(net, 0, directed=False)
    assert d.max() == 14 and np.all(d >= 0)


def test_fit_decay_exact():
    q, E0 = W.fit_decay([0, 1, 2, 3], 2.0 * 0.5 ** np.arange(4))
    np.testing.assert_allclose([q, E0], [0.5, 2.0], rtol=1e-12)


def test_bad_input():
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
