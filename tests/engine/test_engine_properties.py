"""Property-based tests (hypothesis, derandomized) over random stable networks of 1-6 modes.

Networks: random Hermitian couplings, local losses (some modes may have none and be damped
only through their couplings), up to two shared reservoirs with random complex coefficients,
thermal and squeezed baths per channel, a random drive, and a random physical Gaussian initial
state (squeezed thermal modes mixed by a random unitary, displaced).  Properties:

- the steady state is the long-time limit of the propagated state (an independent route: the
  Lyapunov solve against the stepping of the moments);
- energies are non-negative; ``0 <= ergotropy <= energy`` for every mode;
- the covariance is a quantum state: ``V + i Omega / 2 >= 0``;
- the exact power equals ``dE/dt`` from an 8th-order central difference of the energies;
- a time's result does not depend on the grid around it (order, repeats, neighbours).
"""

import numpy as np
from engine_refs import random_state
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nrqb import LinearNetwork

SETTINGS = dict(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw):
    n = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    n_jumps = draw(st.integers(0, 2))
    thermal = draw(st.booleans())
    squeezed = draw(st.booleans())
    lossless = draw(st.integers(0, n - 1))  # modes without local loss
    coupling = draw(st.sampled_from([0.0, 0.05, 0.3, 2.0]))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = coupling * (X + X.conj().T) / 2 + np.diag(rng.normal(size=n))
    loss = 0.05 + rng.random(n)
    loss[rng.permutation(n)[:lossless]] = 0.0
    jumps = [(0.5 * rng.random(), rng.normal(size=n) + 1j * rng.normal(size=n)) for _ in range(n_jumps)]
    nch = n + n_jumps
    n_th = rng.random(nch) * 2 if thermal else 0.0
    sq = np.c_[rng.random(nch), 2 * np.pi * rng.random(nch)] if squeezed else None
    net = LinearNetwork(h, loss=loss, jumps=jumps, drive=rng.normal(size=n) + 1j * rng.normal(size=n),
                        n_th=n_th, squeezing=sq, omega=0.5 + rng.random(n))
    assume(net.is_stable())
    rate = -np.max(net.eigenvalues().real)
    assume(rate > 1e-3 * np.linalg.norm(net.drift))  # relaxation within reach of the test times
    return net, random_state(n, rng), rate


@settings(max_examples=150, **SETTINGS)
@given(networks())
def test_steady_state_is_the_long_time_limit(case):
    net, s, rate = case
    ss = net.steady_state()
    t_late = 120.0 / rate  # e^{-120}: far below round-off even with transient amplification
    a, N, M = net.moments([t_late, 1e3 * t_late], initial=s)
    scale = max(np.max(np.abs(ss["N"])), np.max(np.abs(ss["amplitudes"])) ** 2, 1e-300)
    for k in range(2):
        np.testing.assert_allclose(a[k], ss["amplitudes"], rtol=0, atol=1e-8 * np.sqrt(scale))
        np.testing.assert_allclose(N[k], ss["N"], rtol=0, atol=1e-8 * scale)
        np.testing.assert_allclose(M[k], ss["M"], rtol=0, atol=1e-8 * scale)


@settings(max_examples=150, **SETTINGS)
@given(networks(), st.floats(0.0, 5.0))
def test_energies_nonnegative_and_ergotropy_between_zero_and_energy(case, span):
    net, s, rate = case
    t = np.r_[0.0, np.geomspace(1e-3, 10.0 ** span, 12) / rate, np.inf]
    E = net.energies(t, initial=s)
    tol = 1e-10 * np.max(E)
    assert np.min(E) >= -tol
    for mode in range(net.n_modes):
        erg = net.ergotropy(t, mode, initial=s)
        assert np.min(erg) >= -tol
        assert np.all(erg <= E[:, mode] + tol)


@settings(max_examples=150, **SETTINGS)
@given(networks(), st.floats(-3.0, 2.0))
def test_covariance_is_a_quantum_state(case, logt):
    net, s, rate = case
    t = np.array([0.0, 10.0 ** logt / rate, np.inf])
    V = net.covariance(t, initial=s)
    n = net.n_modes
    Om = np.kron(np.eye(n), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    for v in V:
        np.testing.assert_allclose(v, v.T, atol=1e-12 * np.max(np.abs(v)))
        assert np.linalg.eigvalsh(v + 0.5j * Om).min() >= -1e-10 * np.max(np.abs(v))


@settings(max_examples=100, **SETTINGS)
@given(networks(), st.floats(-1.0, 1.5))
def test_power_is_the_time_derivative_of_the_energy(case, logt):
    net, s, rate = case
    t0 = 10.0 ** logt / rate
    h = 0.02 / np.linalg.norm(net.drift)
    t0 = max(t0, 5 * h)
    # 8th-order central difference
    c = np.array([1 / 280, -4 / 105, 1 / 5, -4 / 5, 0.0, 4 / 5, -1 / 5, 4 / 105, -1 / 280])
    grid = t0 + h * np.arange(-4, 5)
    E = net.energies(grid, initial=s)
    fd = c @ E / h
    P = net.power([t0], initial=s)[0]
    scale = np.max(np.abs(E)) * np.linalg.norm(net.drift)
    np.testing.assert_allclose(P, fd, rtol=0, atol=1e-7 * scale)


@settings(max_examples=100, **SETTINGS)
@given(networks(), st.lists(st.floats(0.0, 50.0), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_a_times_result_does_not_depend_on_the_grid(case, times, rnd):
    net, s, rate = case
    t = np.array(times + times[:2] + [0.0, np.inf]) / rate
    order = list(range(len(t)))
    rnd.shuffle(order)
    shuffled = t[order]
    E = net.energies(shuffled, initial=s)
    V = net.covariance(shuffled, initial=s)
    alone = np.array([net.energies([tk], initial=s)[0] for tk in shuffled])
    np.testing.assert_allclose(E, alone, rtol=1e-10, atol=1e-12 * np.max(np.abs(alone)))
    sorted_E = net.energies(np.sort(t), initial=s)
    np.testing.assert_allclose(E, sorted_E[np.argsort(np.argsort(shuffled))], rtol=1e-10,
                               atol=1e-12 * np.max(np.abs(alone)))
    Valone = net.covariance([shuffled[0]], initial=s)[0]
    np.testing.assert_allclose(V[0], Valone, rtol=1e-10, atol=1e-12 * np.max(np.abs(Valone)))
