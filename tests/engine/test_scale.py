"""Large networks (issue 12): sparse storage, stability without dense factorisations, decay
bounds, Taylor steps on vectors, the eigenbasis of noisy drifts, single-mode covariances.

References are independent of the routes under test: the dense engine's stepping of the full
moments (``LinearNetwork.moments``: Taylor and doubling of ``n x n`` propagators), SciPy's
``expm``, ``solve_continuous_lyapunov`` and ``solve_sylvester``, closed forms of one damped mode
and of a one-way chain's steady state, and a one-way chain truncated to its first modes (a
downstream mode cannot act back on upstream ones).
"""

import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nrqb import GaussianState, LinearNetwork, NetworkBuilder
from nrqb.engine import builder as builder_mod
from nrqb.engine import sparse as sp_mod
from nrqb.engine.spectral import SPECTRAL_COND, Spectral
from nrqb.engine.sparse import DecayBound, jump_coefficients, stability, taylor_action, triangular
from nrqb.engine.steady import fluctuations_ss

KAPPA = 0.003


def chain_builder(N, J=None, kappa=KAPPA, eps=0.001):
    """Liu et al.'s cascade: a driven charger and N batteries joined by one-way links at J."""
    J = kappa * (N + np.sqrt(N * N + 8 * N)) / 8 if J is None else J
    nb = NetworkBuilder().mode("a", loss=kappa).drive("a", eps)
    prev = "a"
    for i in range(1, N + 1):
        nb.mode(f"b{i}", loss=kappa).nonreciprocal_link(prev, f"b{i}", gamma=2 * J)
        prev = f"b{i}"
    return nb


def lattice_builder(L, J=0.1, kappa=0.05, uniform=True):
    nb = NetworkBuilder()
    for y in range(L):
        for x in range(L):
            nb.mode(f"{x},{y}", loss=kappa if uniform else kappa * (1 + 0.5 * ((x + 2 * y) % 3)))
    for y in range(L):
        for x in range(L):
            if x + 1 < L:
                nb.hop(f"{x},{y}", f"{x + 1},{y}", J)
            if y + 1 < L:
                nb.hop(f"{x},{y}", f"{x},{y + 1}", J * (1 if uniform else np.exp(0.3j)))
    nb.drive("0,0", 0.01)
    n = L * L
    j = np.arange(n)
    return nb, 0.2 + 0.8 * ((j % 5) / 4), np.stack([0.1 + 0.2 * ((j % 3) / 2), 0.3 * (j % 7)], axis=1)


def dense_energies(net, t):
    alpha, N, _ = net.moments(t)
    return (np.abs(alpha) ** 2 + np.real(np.diagonal(N, axis1=1, axis2=2))) * net.omega


def close_per_time(x, ref, rtol, scale=None):
    """``|x - ref| <= rtol * (largest |ref| at that time)``: Taylor steps on vectors are accurate to
    round-off of the largest mode; a mode the transient has not reached (1e-40 below it) is
    resolved only to that absolute level."""
    x, ref = np.asarray(x), np.asarray(ref)
    if scale is None:
        scale = np.max(np.abs(ref).reshape(len(ref), -1), axis=1)
    bad = np.abs(x - ref) > rtol * np.reshape(scale, (-1,) + (1,) * (ref.ndim - 1)) + 1e-300
    assert not np.any(bad), (np.argwhere(bad)[:5], x[bad][:5], ref[bad][:5])


def no_dense_matrix(net):
    return not any(name in net.__dict__ for name in ("_A", "_K", "_h", "_Q", "_P"))


# ------------------------------------------------------------------------- sparse input
def random_network(n, seed, **kw):
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))) * (rng.random((n, n)) < 0.3)
    h = 0.2 * (X + X.conj().T) + np.diag(rng.normal(size=n))
    jumps = []
    for _ in range(3):
        idx = rng.choice(n, size=3, replace=False)
        c = np.zeros(n, complex)
        c[idx] = rng.normal(size=3) + 1j * rng.normal(size=3)
        jumps.append((0.2 * rng.random(), c))
    return h, jumps, dict(loss=0.1 + rng.random(n), drive=rng.normal(size=n) + 0j, **kw)


@pytest.mark.parametrize("noise", [dict(), dict(n_th=0.7), dict(n_th=np.linspace(0, 1, 15), squeezing=(0.3, 0.2))])
def test_sparse_hamiltonian_and_sparse_jump_coefficients_give_the_dense_network(noise):
    h, jumps, kw = random_network(12, 3, **noise)
    dense = LinearNetwork(h, jumps=jumps, **kw)
    as_dict = [(g, {int(i): c[i] for i in np.flatnonzero(c)}) for g, c in jumps]
    as_sparse = [(g, sps.coo_array(c)) for g, c in jumps]
    for j in (as_dict, as_sparse):
        net = LinearNetwork(sps.csr_array(h), jumps=j, **kw)
        assert net.is_sparse and not dense.is_sparse
        np.testing.assert_array_equal(net.drift.toarray(), dense.drift)
        np.testing.assert_array_equal(net.damping_matrix.toarray(), dense.damping_matrix)
        for a, b in zip(net.noise, dense.noise):
            np.testing.assert_array_equal(a.toarray(), b)
        for (r1, c1, n1, m1), (r2, c2, n2, m2) in zip(net.channels, dense.channels):
            assert (r1, n1, m1) == (r2, n2, m2)
            np.testing.assert_array_equal(c1.toarray(), c2)
        t = np.array([0.0, 0.5, 3.0, 40.0, np.inf])
        ref = dense_energies(dense, t[:-1])
        E = net.energies(t)
        np.testing.assert_allclose(E[:-1], ref, rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose(E[-1], dense.steady_state()["energies"], rtol=1e-11)
        alpha, N, M = dense.moments(t[:-1])
        for j0 in (0, 7):
            V = net.covariance(t[:-1], modes=[j0])
            np.testing.assert_allclose(V, dense.covariance(t[:-1])[:, 2 * j0:2 * j0 + 2, 2 * j0:2 * j0 + 2],
                                       rtol=0, atol=1e-12)


def test_jump_coefficients_in_every_form():
    ref_i, ref_v = np.array([0, 2]), np.array([1j, 2.0])
    for form in ({2: 2.0, 0: 1j}, {-2: 2.0, 0: 1j, 1: 0.0}, sps.coo_array(np.array([1j, 0, 2.0, 0])),
                 sps.csr_array(np.array([[1j, 0, 2.0, 0]])), [1j, 0, 2.0, 0]):
        i, v = jump_coefficients(form, 4)
        np.testing.assert_array_equal(i, ref_i)
        np.testing.assert_array_equal(v, ref_v)


def test_builder_builds_sparsely_above_the_threshold():
    assert builder_mod.SPARSE_MODES == 1000
    assert chain_builder(1000).build().is_sparse  # 1001 modes
    assert not chain_builder(999).build().is_sparse
    nb = chain_builder(40)
    s, d = nb.build(sparse=True, n_th=0.3), nb.build(sparse=False, n_th=0.3)
    np.testing.assert_array_equal(s.drift.toarray(), d.drift)
    np.testing.assert_array_equal(s.hamiltonian.toarray(), d.hamiltonian)
    np.testing.assert_array_equal(s.noise[0].toarray(), d.noise[0])
    # one-way: the drift is exactly lower triangular (cancelled entries are zero, not 1e-18)
    assert not np.any(np.triu(d.drift, 1))
    assert triangular(d.drift) == "lower" and triangular(s.drift) == "lower"


# ------------------------------------------------------------------------- the sparse path
@pytest.mark.parametrize("nth, n", [(0.0, 400), (1.0, 100), (np.linspace(0.1, 2, 119), 60)])
def test_sparse_path_never_forms_a_dense_matrix(monkeypatch, nth, n):
    """A long chain with DENSE_LIMIT lowered to 50: every observable the sparse path serves works
    without a dense n x n (zero temperature: Taylor steps on the means; one common occupation:
    N_ss = N I and the decay bound; per-channel temperatures: the integral form along the rows,
    exact at every time); the full moments are refused, naming the limit.  Reference: the chain
    truncated to 11 modes (modes 0-9 do not feel the rest)."""
    monkeypatch.setattr(sp_mod, "DENSE_LIMIT", 50)
    t = np.array([0.0, 1e-6, 30.0, 200.0, 700.0, 3000.0, 2e5, np.inf])
    for nth in (nth,):
        net = chain_builder(n - 1, J=0.02).build(sparse=True, n_th=nth)
        small_nth = nth if np.ndim(nth) == 0 else np.r_[nth[:11], nth[n:n + 10]]
        small = chain_builder(10, J=0.02).build(n_th=small_nth)
        # to round-off of the largest mode at each time (Taylor steps on a vector are normwise)
        Es = small.energies(t)[:, :10]
        close_per_time(net.energies(t)[:, :10], Es, 1e-11)
        Ps = small.power(t)[:, :10]  # late times: round-off of a vanishing power, against its peak
        close_per_time(net.power(t)[:, :10], Ps, 1e-10, scale=np.full(len(t), np.max(np.abs(Ps))))
        close_per_time(net.ergotropy(t, 9), small.ergotropy(t, 9), 1e-11, scale=np.max(Es, axis=1))
        np.testing.assert_allclose(net.covariance(t, modes=[3, 9]), small.covariance(t, modes=[3, 9]),
                                   rtol=0, atol=1e-12)
        close_per_time(net.amplitudes(t)[:, :10], small.amplitudes(t)[:, :10], 1e-11)
        if np.ndim(nth) == 0:
            ss = net.steady_state()
            assert sps.issparse(ss["N"]) and sps.issparse(ss["covariance"])
            np.testing.assert_allclose(ss["N"].diagonal(), nth)
        assert net.is_stable() and no_dense_matrix(net)
        with pytest.raises(ValueError, match="DENSE_LIMIT"):
            net.moments([1.0])


def test_chain_of_ten_thousand_modes_matches_its_closed_form_without_a_dense_matrix():
    """Steady state of the cascade: alpha_0 = -2iF/(kappa + Gamma), alpha_j = r_j alpha_{j-1} with
    r_j = -2 Gamma/(kappa + 2 Gamma) (inner) and -2 Gamma/(kappa + Gamma) (last); and the trace of
    the issue's table (200 times to t = 2e5): the first time is the vacuum, later ones the steady
    state (the decay bound proves it)."""
    N = 10_000
    net = chain_builder(N).build()
    G = 2 * KAPPA * (N + np.sqrt(N * N + 8 * N)) / 8
    r = np.full(N, -2 * G / (KAPPA + 2 * G))
    r[-1] = -2 * G / (KAPPA + G)
    alpha = -2j * 0.001 / (KAPPA + G) * np.concatenate([[1.0], np.cumprod(r)])
    ss = net.steady_state()
    np.testing.assert_allclose(ss["amplitudes"], alpha, rtol=1e-11)
    t = np.linspace(0, 2e5, 200)
    E = net.energies(t)
    assert np.all(E[0] == 0.0)
    np.testing.assert_allclose(E[1:], np.broadcast_to(np.abs(alpha) ** 2, (199, N + 1)), rtol=1e-12)
    assert no_dense_matrix(net) and net.drift.nnz < 3 * (N + 1)


@pytest.mark.parametrize("nth", [0.0, 1.0])
def test_large_results_agree_with_the_dense_path_to_1e_10(nth):
    """A 300-mode cascade at J_op: the sparse network against the dense network's full moments
    (Taylor and doubling of dense propagators), on a grid through the transient and beyond."""
    nb = chain_builder(299)
    s = nb.build(sparse=True, n_th=nth)
    d = nb.build(sparse=False, n_th=nth)
    t = np.concatenate([np.linspace(0, 2000, 21), [1e4, 2e5]])
    alpha, N, M = d.moments(t)
    ref = np.abs(alpha) ** 2 + np.real(np.diagonal(N, axis1=1, axis2=2))
    np.testing.assert_allclose(s.energies(t), ref, rtol=0, atol=1e-10 * np.max(ref))
    np.testing.assert_allclose(s.amplitudes(t), alpha, rtol=0, atol=1e-10 * np.max(np.abs(alpha)))
    from nrqb.engine.gaussian import ergotropy_from_moments
    ergo = ergotropy_from_moments(alpha[:, -1], np.real(N[:, -1, -1]), M[:, -1, -1])
    np.testing.assert_allclose(s.ergotropy(t, -1), ergo, rtol=0, atol=1e-10 * np.max(ergo))
    V = d.covariance(t)
    idx = [0, 1, 598, 599]
    np.testing.assert_allclose(s.covariance(t, modes=[0, 299]), V[:, idx][:, :, idx], rtol=0, atol=1e-10)


def test_single_mode_covariance_with_a_general_initial_state():
    """covariance(modes) and ergotropy with a squeezed, displaced initial state on a large chain
    (the rows of e^{At} with N0 and M0) against the dense full covariance."""
    nb = chain_builder(79, J=0.05)
    net = nb.build(sparse=True, n_th=0.4)
    rng = np.random.default_rng(2)
    n = 80
    r = 0.3 * rng.random(n)
    N0 = np.diag(np.sinh(r) ** 2).astype(complex)
    M0 = np.diag(np.sinh(r) * np.cosh(r) * np.exp(1j * rng.random(n)))
    init = GaussianState(0.1 * rng.normal(size=n) + 0j, N0, M0)
    t = np.array([0.0, 1e-3, 5.0, 60.0, 400.0, 1e5])
    full = nb.build(sparse=False, n_th=0.4).covariance(t, initial=init)
    idx = [10, 11, 158, 159]
    np.testing.assert_allclose(net.covariance(t, initial=init, modes=[5, 79]), full[:, idx][:, :, idx],
                               rtol=0, atol=1e-11)


# ------------------------------------------------------------------------- noisy lattices
@pytest.mark.parametrize("uniform", [True, False])
def test_noisy_lattice_in_the_eigenbasis_matches_stepping(uniform):
    """9 x 9 lattice (81 > SPECTRAL_MODES modes), per-channel temperatures and squeezing: the
    eigenbasis route (unitary for uniform losses, from the Schur form otherwise) against the full
    moments stepped by dense propagators, and the steady state against SciPy's Lyapunov solvers."""
    nb, nth, sq = lattice_builder(9, uniform=uniform)
    net = nb.build(n_th=nth, squeezing=sq)
    assert net._spectral() is not None and net._spectral().unitary == uniform
    t = np.array([0.0, 1e-7, 0.4, 7.0, 60.0, 900.0])
    alpha, N, M = net.moments(t)
    E = np.abs(alpha) ** 2 + np.real(np.diagonal(N, axis1=1, axis2=2))
    np.testing.assert_allclose(net.energies(t), E, rtol=1e-10, atol=0)
    A, F = net.drift, net.drive
    Q, P = net.noise
    Pw = 2 * np.real(np.conj(alpha) * ((A @ alpha.T).T - 1j * F)) + 2 * np.real(
        np.einsum("jk,tkj->tj", A.conj(), N)) + np.real(np.diag(Q))
    np.testing.assert_allclose(net.power(t), Pw, rtol=0, atol=1e-10 * np.max(np.abs(Pw)))
    idx = [8, 9, 80, 81]
    np.testing.assert_allclose(net.covariance(t, modes=[4, 40]), net.covariance(t)[:, idx][:, :, idx],
                               rtol=0, atol=1e-12)
    ss = net.steady_state()
    N_ref = sla.solve_continuous_lyapunov(A.conj(), -Q)
    M_ref = sla.solve_sylvester(A, A.T, -P)
    np.testing.assert_allclose(ss["N"], N_ref, rtol=0, atol=1e-12 * np.max(np.abs(N_ref)))
    np.testing.assert_allclose(ss["M"], M_ref, rtol=0, atol=1e-12 * np.max(np.abs(M_ref)))


def test_spectral_single_mode_closed_form():
    """One damped mode: N(t) = n (1 - e^{-k t}) + N0 e^{-k t}, M(t) = m0 e^{-(k + 2 i w) t} with
    M_ss = 0 here (no squeezing), through the public Spectral class."""
    k, w, nbar, N0 = 0.3, 1.7, 0.8, 0.25
    lam = np.array([-1j * w - k / 2])
    sp = Spectral(np.eye(1), np.eye(1), lam)
    Qp = sp.to_normal(np.array([[k * nbar]]))
    t = np.array([0.0, 1e-9, 0.5, 3.0, 50.0, np.inf])
    got = sp.normal_diag(t, Qp, sp.to_normal(np.array([[N0]]) + 0j))[:, 0]
    ref = nbar * -np.expm1(-k * t) + N0 * np.exp(-k * t)
    ref[-1] = nbar
    np.testing.assert_allclose(got, ref, rtol=1e-14)
    m0 = 0.1 + 0.2j
    NJ, MJ = sp.rows(2.0, np.array([0]), Qp, None, None, sp.to_anomalous(np.array([[m0]])))
    np.testing.assert_allclose(MJ[0, 0], m0 * np.exp(2 * lam[0] * 2.0), rtol=1e-14)
    np.testing.assert_allclose(NJ[0, 0].real, nbar * -np.expm1(-2 * k), rtol=1e-14)
    assert abs(NJ[0, 0].imag) < 1e-17
    Ns, Ms = sp.steady(Qp, sp.to_anomalous(np.array([[0.2j]])))
    np.testing.assert_allclose(Ns[0, 0], nbar, rtol=1e-15)
    np.testing.assert_allclose(Ms[0, 0], -0.2j / (2 * lam[0]), rtol=1e-15)


def test_spectral_refuses_defective_and_ill_conditioned_drifts():
    """A one-way chain with equal rates is defective (a Jordan block): no eigenbasis; the
    network then steps its moments, still exactly."""
    net = chain_builder(70, J=0.05).build(n_th=0.5)
    A = net.drift
    assert Spectral.of(A, net.hamiltonian, net.damping_matrix) is None
    assert net._spectral() is None
    t = np.array([3.0, 40.0])
    np.testing.assert_allclose(net.energies(t), dense_energies(net, t), rtol=1e-12)
    assert SPECTRAL_COND == 100.0


def test_from_schur_equals_the_direct_eigendecomposition():
    nb, nth, sq = lattice_builder(5, uniform=False)
    net = nb.build(n_th=nth, squeezing=sq)
    A = net.drift
    a = Spectral.of(A, net.hamiltonian, net.damping_matrix)
    s = 2.0**-3
    T, U = sla.schur(A / s, output="complex")
    b = Spectral.from_schur(T, U, s)
    Q = net.noise[0]
    t = np.array([0.3, 9.0])
    np.testing.assert_allclose(a.normal_diag(t, a.to_normal(Q)), b.normal_diag(t, b.to_normal(Q)), rtol=1e-12)
    _, N, _ = net.moments(t)
    np.testing.assert_allclose(b.normal_diag(t, b.to_normal(Q)), np.real(np.diagonal(N, axis1=1, axis2=2)), rtol=1e-10)


def test_one_schur_lyapunov_pair_against_scipy_beyond_the_block_size():
    """n = 150 (the recursive triangular Sylvester solver splits blocks of 64) and a common
    detuning omega0."""
    rng = np.random.default_rng(7)
    n = 150
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = (X + X.conj().T) / 8
    Y = rng.normal(size=(n, n)) / 4
    A = -1j * h - 0.5 * (Y @ Y.T + 0.1 * np.eye(n))
    Z = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    Q = Z @ Z.conj().T
    P = Z + Z.T
    for w0 in (0.0, 2.5):
        N, M = fluctuations_ss(A, Q, P, omega0=w0)
        Am = A - 1j * w0 * np.eye(n)
        np.testing.assert_allclose(N, sla.solve_continuous_lyapunov(A.conj(), -Q), rtol=0, atol=1e-11 * np.abs(N).max())
        np.testing.assert_allclose(M, sla.solve_sylvester(Am, Am.T, -P), rtol=0, atol=1e-11 * np.abs(M).max())


# ------------------------------------------------------------------------- stability and bounds
def test_stability_routes_without_a_dense_factorisation():
    n = 60
    one_way = chain_builder(n - 1, J=0.1).build(sparse=True)
    assert stability(one_way.drift, one_way.damping_matrix) == (True, "triangular")
    # reciprocal chain, losses everywhere: K diagonal and positive (Gershgorin)
    h = sps.diags_array([np.full(n - 1, 0.3), np.full(n - 1, 0.3)], offsets=[-1, 1]).tocsr()
    rec = LinearNetwork(h, loss=0.01)
    assert stability(rec.drift, rec.damping_matrix) == (True, "damping positive definite")
    # K positive definite but not diagonally dominant: overlapping shared baths (the LDL^T route)
    c = np.ones(n)
    c2 = np.cos(np.arange(n))
    shared = LinearNetwork(h, loss=1e-3, jumps=[(1.0, c), (1.0, c2)])
    K = shared.damping_matrix
    off = np.sum(np.abs(K.toarray()), axis=1) - np.abs(np.diag(K.toarray()))
    assert np.min(np.real(np.diag(K.toarray())) - off) < 0  # Gershgorin proves nothing
    assert stability(shared.drift, K) == (True, "damping positive definite")
    assert np.max(np.linalg.eigvals(shared.drift.toarray()).real) < 0
    # loss on one end only: stable through the couplings, neither route decides
    loss = np.zeros(n)
    loss[-1] = 0.5
    end = LinearNetwork(h, loss=loss)
    assert stability(end.drift, end.damping_matrix) == (None, "undecided")
    assert end.is_stable() == (np.max(np.linalg.eigvals(end.drift.toarray()).real) < 0)
    # a one-way chain whose first mode has no channel at all: marginal (diagonal entry zero)
    nb = NetworkBuilder().mode("x").mode("y", loss=0.1).hop("x", "y", 0.0)
    marg = nb.build(sparse=True)
    assert stability(marg.drift, marg.damping_matrix) == (False, "triangular")
    assert not marg.is_stable()


def test_decay_bound_is_rigorous_on_random_one_way_and_two_way_drifts():
    rng = np.random.default_rng(3)
    checked = 0
    for trial in range(25):
        n = int(rng.integers(3, 60))
        L = np.tril(rng.normal(size=(n, n)) * (rng.random((n, n)) < 0.15), -1)
        d = -(rng.random(n) * rng.choice([0.05, 1.0, 4.0]) + 0.02) + 1j * rng.normal(size=n)
        A = L + np.diag(d)
        if trial % 3 == 0:
            A = A.T
        if trial % 5 == 0:  # two-way: only the 2-norm bound applies
            A = -1j * (L + L.T) + np.diag(d)
        K = -(A + A.conj().T)
        bound = DecayBound(A, K)
        x = rng.random(n) * (rng.random(n) < 0.8)
        thr = 10.0 ** rng.uniform(-40, -2)
        settle = bound.settle_times(x, thr)
        for t in np.unique(np.r_[settle[np.isfinite(settle)], 1.1 * settle[np.isfinite(settle)]]):
            if t > 3e3:
                continue
            y = np.abs(sla.expm(A * t) @ x)
            assert np.all(y[settle <= t] <= thr * (1 + 1e-9)), (trial, t)
            checked += 1
    assert checked > 100


def test_decay_bound_values():
    """One mode: the 2-norm bound is |x| e^{-k t/2} <= thr at t = 2 log(|x|/thr)/k, exactly; and on
    the issue's cascade (N = 300 at J_op) the Chernoff bound proves every mode within 1e-20 of
    its steady state before t = 1200 (about twice the transit time 2/kappa)."""
    k = 0.4
    b = DecayBound(np.array([[-k / 2 - 1j]]), np.array([[k]]))
    np.testing.assert_allclose(b.settle_times([3.0], 1e-9), 2 * np.log(3.0 / 1e-9) / k, rtol=1e-13)
    net = chain_builder(300).build(sparse=True)
    bound = DecayBound(net.drift, net.damping_matrix)
    settle = bound.settle_times(np.ones(301), 1e-20)
    assert 0 < settle.min() and settle.max() < 1200.0
    # the 2-norm bound alone (min(K)/2 = kappa/2) would need 2 ln(1e20 sqrt(301))/kappa = 3.5e4
    assert bound.mu_K == pytest.approx(KAPPA / 2, rel=1e-12)


def test_taylor_action_against_expm():
    rng = np.random.default_rng(4)
    n = 40
    A = sps.random_array((n, n), density=0.1, rng=rng) * 2 - 1j * sps.random_array((n, n), density=0.1, rng=rng)
    A = sps.csr_array(A - 1.5 * sps.identity(n))
    X = rng.normal(size=(n, 3)) + 1j * rng.normal(size=(n, 3))
    for t in (0.0, 1e-6, 0.7, 12.0):
        ref = sla.expm(A.toarray() * t) @ X
        np.testing.assert_allclose(taylor_action(A, X, t), ref, rtol=0, atol=1e-13 * np.abs(ref).max())
        np.testing.assert_allclose(taylor_action(A, X[:, 0], t), ref[:, 0], rtol=0, atol=1e-13 * np.abs(ref).max())


# ------------------------------------------------------------------------- property test
@st.composite
def one_way_networks(draw):
    n = draw(st.integers(49, 90))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    nb = NetworkBuilder()
    for j in range(n):
        nb.mode(f"m{j}", loss=float(0.002 + 0.01 * rng.random()), detuning=float(0.05 * rng.normal()))
    nb.drive("m0", 0.01)
    for j in range(1, n):
        src = int(rng.integers(max(0, j - 3), j))  # a random one-way tree/DAG in mode order
        nb.nonreciprocal_link(f"m{src}", f"m{j}", gamma=float(0.01 + 0.1 * rng.random()))
    nth = draw(st.sampled_from([0.0, 0.5]))
    return nb, nth


@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_way_networks())
def test_random_one_way_networks_sparse_equals_dense(case):
    nb, nth = case
    s = nb.build(sparse=True, n_th=nth)
    d = nb.build(sparse=False, n_th=nth)
    t = np.array([0.0, 10.0, 150.0, 800.0, 5000.0, 1e6, np.inf])
    E = s.energies(t)
    ref = dense_energies(d, t[:-1])
    np.testing.assert_allclose(E[:-1], ref, rtol=0, atol=1e-10 * np.max(ref))
    np.testing.assert_allclose(E[-1], d.steady_state()["energies"], rtol=1e-10)
    assert np.all(E >= 0)
    erg = s.ergotropy(t, -1)
    assert np.all(erg >= -1e-15) and np.all(erg <= E[:, -1] * (1 + 1e-12))


# ------------------------------------------------------------------------- the integral form
def test_row_moments_and_row_power_against_lyapunov_and_expm():
    """The integral form along the rows (sparse networks beyond DENSE_LIMIT with general noise)
    against SciPy: ``N(t) = conj(E) N0 E^T + N_ss - conj(E) N_ss E^T`` with ``E = expm(A t)`` and
    ``N_ss`` from ``solve_continuous_lyapunov``, ``M`` likewise from ``solve_sylvester``; the power
    against ``(conj(A) N + N A^T + Q)_jj``.  A random stable two-way drift (not triangular)."""
    rng = np.random.default_rng(11)
    n = 30
    X = sps.random_array((n, n), density=0.15, rng=rng).toarray() * (1 + 1j)
    h = X + X.conj().T
    A = -1j * h - 0.5 * np.diag(0.3 + rng.random(n))
    Z = (rng.normal(size=(n, 4)) + 1j * rng.normal(size=(n, 4))) * 0.3
    Q = Z @ Z.conj().T + np.diag(rng.random(n))
    P = 0.2 * (Z @ Z.T)
    N0 = 0.1 * (Z @ Z.conj().T)
    M0 = 0.05 * (Z @ Z.T)
    J = np.array([2, 7, 11])
    t = np.array([0.0, 1e-5, 0.3, 5.0, 40.0])
    Nss = sla.solve_continuous_lyapunov(A.conj(), -Q)
    Mss = sla.solve_sylvester(A, A.T, -P)
    As = sps.csr_array(A)
    for diagonal in (False, True):
        N, M = sp_mod._row_moments(As, t, J, sps.csr_array(Q), sps.csr_array(P), N0, M0, diagonal=diagonal)
        for k, tk in enumerate(t):
            E = sla.expm(A * tk)
            Nr = (E.conj() @ (N0 - Nss) @ E.T + Nss)[np.ix_(J, J)]
            Mr = (E @ (M0 - Mss) @ E.T + Mss)[np.ix_(J, J)]
            if diagonal:
                Nr, Mr = np.diag(Nr), np.diag(Mr)
            np.testing.assert_allclose(N[k], Nr, rtol=0, atol=1e-12 * np.abs(Nss).max())
            np.testing.assert_allclose(M[k], Mr, rtol=0, atol=1e-12 * np.abs(Mss).max())
    Pw = sp_mod._row_power(As, t, J, sps.csr_array(Q), N0)
    for k, tk in enumerate(t):
        E = sla.expm(A * tk)
        Nt = E.conj() @ (N0 - Nss) @ E.T + Nss
        ref = np.real(np.diag(A.conj() @ Nt + Nt @ A.T + Q))[J]
        np.testing.assert_allclose(Pw[k], ref, rtol=0, atol=1e-11 * np.abs(Q).max())


def test_general_noise_beyond_the_dense_limit_steady_ergotropy(monkeypatch):
    """ergotropy(None) of a sparse network above DENSE_LIMIT with per-channel temperatures and
    squeezing (the integral form to the rows' underflow) against the dense Lyapunov solution."""
    nb = chain_builder(59, J=0.05)
    nth = np.linspace(0.1, 1.5, 119)
    sq = np.stack([np.full(119, 0.2), np.linspace(0, 3, 119)], axis=1)
    dense = nb.build(sparse=False, n_th=nth, squeezing=sq)
    ref = [dense.ergotropy(None, j)[0] for j in (0, 30, 59)]
    monkeypatch.setattr(sp_mod, "DENSE_LIMIT", 50)
    net = nb.build(sparse=True, n_th=nth, squeezing=sq)
    got = [net.ergotropy(None, j)[0] for j in (0, 30, 59)]
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    assert no_dense_matrix(net)


def test_integral_form_window_on_a_long_chain(monkeypatch):
    """A chain of 3000 modes with a different temperature and squeezing on every channel, above a
    lowered DENSE_LIMIT: the integral form works on a window of rows around the mode (its support
    in e^{At}); the single-mode covariance, ergotropy and occupation of mode 9 against the chain
    truncated to 11 modes (modes 0-9 do not feel the rest), through the transient and to the
    rows' underflow (t = inf)."""
    n = 3000
    nb = chain_builder(n - 1, J=0.5, kappa=1.0)
    rng = np.random.default_rng(5)
    nth = rng.random(2 * n - 1)
    sq = np.stack([0.3 * rng.random(2 * n - 1), 6 * rng.random(2 * n - 1)], axis=1)
    monkeypatch.setattr(sp_mod, "DENSE_LIMIT", 50)
    net = nb.build(sparse=True, n_th=nth, squeezing=sq)
    keep = np.r_[0:11, n:n + 10]
    small = chain_builder(10, J=0.5, kappa=1.0).build(n_th=nth[keep], squeezing=sq[keep])
    t = np.array([0.0, 0.5, 3.0, 20.0, np.inf])
    np.testing.assert_allclose(net.covariance(t, modes=[9]), small.covariance(t, modes=[9]), rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.ergotropy(t[:-1], 9), small.ergotropy(t[:-1], 9), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(net.ergotropy(None, 9), small.ergotropy(None, 9), rtol=1e-10)
    assert no_dense_matrix(net)
