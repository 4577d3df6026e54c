"""Tests of the exact engine against independent routes (qutip, closed forms, sympy, ODE)."""

import numpy as np
import pytest
import qutip as qt
import sympy as sp
from scipy.integrate import solve_ivp

import nrqb
from nrqb import LinearNetwork, NetworkBuilder, gaussian_ergotropy
from nrqb.engine.qutip_bridge import mode_operators, reduced_ergotropy

G, K = 0.04, 0.003  # Ahmadi et al., Fig. 2 (units of omega)
MESOLVE_OPTS = {"atol": 1e-11, "rtol": 1e-10}


def pair(J, *, gamma=G, kappa=(K, K), drive=0.002, p=(1.0, 1.0), **kw):
    h = np.array([[0.0, J], [np.conj(J), 0.0]], complex)
    return LinearNetwork(h, loss=list(kappa), jumps=[(gamma, list(p))] if gamma else (),
                         drive=[drive, 0.0], **kw)


def qutip_moments(net, cutoff, times, squares=False):
    H, c_ops = net.to_qutip(cutoff)
    ops = mode_operators(cutoff, net.n_modes)
    e_ops = [o.dag() * o for o in ops] + [o for o in ops]
    if squares:
        e_ops += [o * o for o in ops]
    psi0 = qt.tensor([qt.basis(cutoff, 0)] * net.n_modes)
    res = qt.mesolve(H, psi0, times, c_ops, e_ops=e_ops, options=MESOLVE_OPTS)
    return [np.asarray(e) for e in res.expect]


# ------------------------------------------------------------------------- engine vs qutip
@pytest.mark.parametrize(
    "name, net",
    [
        ("reciprocal pair", pair(G / 2, gamma=0.0, kappa=(G + K, G + K))),
        ("nonreciprocal pair", pair(0.5j * G)),
        ("detuned, complex p", LinearNetwork([[0.01, 0.013 + 0.004j], [0.013 - 0.004j, -0.02]],
                                             loss=[0.01, 0.002], jumps=[(0.03, [0.8, 0.6j])],
                                             drive=[0.002 + 0.001j, 0.0])),
    ],
)
def test_engine_matches_qutip_mesolve_zero_temperature(name, net):
    times = np.linspace(0, 400, 21)
    expect = qutip_moments(net, 6, times)
    occ = net.occupations(times)
    amp = net.amplitudes(times)
    scale = occ.max()
    for j in range(2):
        np.testing.assert_allclose(expect[j], occ[:, j], rtol=0, atol=1e-4 * scale, err_msg=name)
        np.testing.assert_allclose(expect[2 + j], amp[:, j], rtol=0, atol=1e-4 * np.sqrt(scale))


def test_engine_matches_qutip_thermal_bath():
    net = pair(0.5j * G, n_th=[0.05, 0.1, 0.08])
    times = np.linspace(0, 300, 11)
    expect = qutip_moments(net, 7, times)
    occ = net.occupations(times)
    for j in range(2):
        np.testing.assert_allclose(expect[j], occ[:, j], rtol=1e-4, atol=1e-7)


def test_engine_matches_qutip_squeezed_bath():
    net = pair(0.5j * G, squeezing=(0.1, 0.6))
    times = np.linspace(0, 300, 11)
    expect = qutip_moments(net, 8, times, squares=True)
    occ = net.occupations(times)
    amp = net.amplitudes(times)
    _, M = net.fluctuations(times)
    for j in range(2):
        np.testing.assert_allclose(expect[j], occ[:, j], rtol=1e-4, atol=1e-7)
        np.testing.assert_allclose(expect[4 + j], M[:, j, j] + amp[:, j] ** 2, rtol=1e-4, atol=1e-7)


def test_ergotropy_matches_qutip_density_matrix():
    net = pair(0.5j * G, drive=0.003, squeezing=(0.08, 0.3), n_th=0.03)
    H, c_ops = net.to_qutip(8)
    rho = qt.steadystate(H, c_ops)
    for mode in (0, 1):
        erg_q = reduced_ergotropy(rho, mode)
        erg_e = net.ergotropy(None, mode)[0]
        np.testing.assert_allclose(erg_e, erg_q, rtol=1e-4)
    # and a time point, from mesolve
    times = np.array([0.0, 150.0])
    psi0 = qt.tensor(qt.basis(8, 0), qt.basis(8, 0))
    res = qt.mesolve(H, psi0, times, c_ops, options=MESOLVE_OPTS)
    np.testing.assert_allclose(net.ergotropy(times, 1)[1], reduced_ergotropy(res.states[1], 1), rtol=1e-4)


def test_single_mode_squeezed_bath_phase_convention():
    net = LinearNetwork([[0.0]], loss=[1.0], squeezing=(0.4, 1.1))
    ss = net.steady_state()
    r, th = 0.4, 1.1
    np.testing.assert_allclose(ss["M"][0, 0], np.sinh(r) * np.cosh(r) * np.exp(1j * th), rtol=1e-12)
    np.testing.assert_allclose(ss["occupations"][0], np.sinh(r) ** 2, rtol=1e-12)
    # a pure squeezed vacuum: det V = 1/4, zero passive energy beyond vacuum
    np.testing.assert_allclose(np.linalg.det(ss["covariance"]), 0.25, rtol=1e-10)
    np.testing.assert_allclose(net.ergotropy(None, 0), np.sinh(r) ** 2, rtol=1e-10)


# ------------------------------------------------------------------------- closed forms
def test_charger_energy_is_ahmadi_eq7():
    """Ahmadi et al., Eq. (7): E_A^nr = 4 omega E^2 (1 - e^{-Lambda t/2})^2 / Lambda^2."""
    drive = 0.1
    net = pair(0.5j * G, drive=drive)
    t = np.linspace(0, 800, 101)
    lam = G + K
    eq7 = 4 * drive**2 * (1 - np.exp(-lam * t / 2)) ** 2 / lam**2
    np.testing.assert_allclose(net.energies(t)[:, 0], eq7, rtol=1e-12, atol=1e-14)


def test_battery_energy_at_the_jordan_point():
    """Equal decay rates make the nonreciprocal drift a Jordan block; the engine must stay exact."""
    drive = 0.1
    net = pair(0.5j * G, drive=drive)
    t = np.linspace(0, 800, 101)
    lam = G + K
    exact = 4 * drive**2 * G**2 / lam**2 * (2 / lam * (1 - np.exp(-lam * t / 2)) - t * np.exp(-lam * t / 2)) ** 2
    np.testing.assert_allclose(net.energies(t)[:, 1], exact, rtol=1e-10, atol=1e-13)


def test_thermal_steady_state_is_identity_times_nth():
    net = pair(0.5j * G, n_th=0.7)
    np.testing.assert_allclose(net.steady_state()["N"], 0.7 * np.eye(2), atol=1e-12)


# ------------------------------------------------------------------------- internal consistency
def random_network(n, seed, noise=True):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = 0.02 * (X + X.conj().T)
    jumps = [(0.03, rng.normal(size=n) + 1j * rng.normal(size=n)) for _ in range(2)]
    return LinearNetwork(h, loss=0.01 + 0.02 * rng.random(n), jumps=jumps,
                         drive=0.05 * (rng.normal(size=n) + 1j * rng.normal(size=n)),
                         n_th=0.2 if noise else 0.0, squeezing=(0.15, 0.4) if noise else None,
                         omega=1.0 + rng.random(n))


@pytest.mark.parametrize("seed", [0, 1])
def test_steady_state_is_long_time_limit(seed):
    net = random_network(4, seed)
    ss = net.steady_state()
    late = np.array([5e4])
    np.testing.assert_allclose(net.energies(late)[0], ss["energies"], rtol=1e-9)
    np.testing.assert_allclose(net.covariance(late)[0], ss["covariance"], atol=1e-9)
    np.testing.assert_allclose(net.amplitudes(late)[0], ss["amplitudes"], atol=1e-9)


def test_engine_matches_direct_ode_integration():
    net = random_network(3, 7)
    A = net.drift
    Q, P = net.noise
    F = net.drive
    n = 3

    def rhs(_, y):
        al = y[:n]
        N = y[n:n + n * n].reshape(n, n)
        M = y[n + n * n:].reshape(n, n)
        return np.concatenate([A @ al - 1j * F, (A.conj() @ N + N @ A.T + Q).ravel(),
                               (A @ M + M @ A.T + P).ravel()])

    t = np.linspace(0, 120, 7)
    sol = solve_ivp(rhs, (0, t[-1]), np.zeros(n + 2 * n * n, complex), t_eval=t, rtol=1e-11, atol=1e-13)
    N_ode = sol.y[n:n + n * n].T.reshape(-1, n, n)
    N, M = net.fluctuations(t)
    np.testing.assert_allclose(N, N_ode, atol=1e-9)
    np.testing.assert_allclose(net.amplitudes(t), sol.y[:n].T, atol=1e-9)


def test_covariance_convention_vacuum_and_symmetry():
    net = random_network(3, 3)
    V = net.covariance([0.0, 10.0, 100.0])
    np.testing.assert_allclose(V[0], 0.5 * np.eye(6), atol=1e-14)
    np.testing.assert_allclose(V, V.transpose(0, 2, 1), atol=1e-12)
    # uncertainty principle: V + i Omega/2 >= 0
    Om = np.kron(np.eye(3), np.array([[0, 1], [-1, 0]]))
    for v in V:
        assert np.linalg.eigvalsh(v + 0.5j * Om).min() > -1e-12


def test_marginal_drift_grows_linearly():
    # mode 0 is undamped and uncoupled (free driven growth); mode 1 is lossy and thermal
    net = LinearNetwork(np.zeros((2, 2)), loss=[0.0, 1.0], drive=[0.1, 0.0], n_th=0.5)
    assert not net.is_stable()
    t = np.array([0.0, 2.0, 4.0])
    amp = net.amplitudes(t)
    np.testing.assert_allclose(amp[:, 0], -1j * 0.1 * t, atol=1e-14)  # free drive: alpha = -i F t
    occ = net.occupations(t)
    np.testing.assert_allclose(occ[:, 1], 0.5 * (1 - np.exp(-t)), atol=1e-12)
    with pytest.raises(ValueError, match="no steady state"):
        net.steady_state()


def test_large_network_path_matches_small_network_path():
    """Networks above the expm-per-time threshold step through sorted times; compare both paths."""
    n = 60
    nb = NetworkBuilder()
    for j in range(n):
        nb.mode(f"m{j}", loss=0.003)
    nb.drive("m0", 0.1)
    for j in range(n - 1):
        nb.nonreciprocal_link(f"m{j}", f"m{j + 1}", gamma=0.04)
    net = nb.build(n_th=0.1)
    t = np.array([0.0, 50.0, 25.0, 100.0, 75.0])
    occ = net.occupations(t)
    # the same chain truncated to its first 8 modes (a one-way chain: downstream cannot act back)
    small = NetworkBuilder()
    for j in range(8):
        small.mode(f"m{j}", loss=0.003)
    small.drive("m0", 0.1)
    for j in range(7):
        small.nonreciprocal_link(f"m{j}", f"m{j + 1}", gamma=0.04)
    small_net = small.build(n_th=[0.1] * 8 + [0.1] * 7)
    np.testing.assert_allclose(occ[:, :7], small_net.occupations(t)[:, :7], rtol=1e-9, atol=1e-12)


def test_symbolic_drift_equals_engine_drift():
    from sympy.physics.quantum import Dagger

    from nrqb.engine import symbolic

    a, b, c = symbolic.modes("a b c")
    J1, J2 = sp.Rational(3, 100) + sp.I / 50, sp.Rational(-1, 40)
    H = (J1 * Dagger(a) * b + sp.conjugate(J1) * Dagger(b) * a + J2 * Dagger(b) * c + J2 * Dagger(c) * b
         + sp.Rational(1, 100) * Dagger(c) * c + sp.Rational(1, 10) * (a + Dagger(a)))
    p = [sp.Rational(1, 2), sp.I, sp.Rational(-1, 3)]
    chans = [(sp.Rational(1, 100), a), (sp.Rational(2, 100), b), (sp.Rational(3, 100), c),
             (sp.Rational(1, 20), p[0] * a + p[1] * b + p[2] * c)]
    A, const = symbolic.drift_matrix_from_master_equation([a, b, c], H, chans)
    h = np.array([[0, complex(J1), 0], [complex(J1).conjugate(), 0, float(J2)], [0, float(J2), 0.01]])
    net = LinearNetwork(h, loss=[0.01, 0.02, 0.03], jumps=[(0.05, [complex(x) for x in p])], drive=[0.1, 0, 0])
    np.testing.assert_allclose(np.array(A, dtype=complex), net.drift, atol=1e-15)
    np.testing.assert_allclose(np.array(const, dtype=complex).ravel(), -1j * net.drive, atol=1e-15)


def test_energies_use_omega_per_mode():
    net = pair(0.5j * G, omega=[1.0, 2.5])
    t = np.linspace(0, 100, 5)
    np.testing.assert_allclose(net.energies(t), net.occupations(t) * [1.0, 2.5])


def test_gaussian_ergotropy_of_thermal_and_coherent_states():
    assert gaussian_ergotropy(0.0, 0.5 * np.eye(2) * 3) == pytest.approx(0.0)
    assert gaussian_ergotropy(1.5, 0.5 * np.eye(2)) == pytest.approx(2.25)
    with pytest.raises(ValueError, match="V"):
        gaussian_ergotropy(0.0, np.eye(3))


# ------------------------------------------------------------------------- builder
def test_nonreciprocal_link_kills_backflow_and_sets_forward_rate():
    for phase in (0.0, 0.7, -2.0):
        net = (NetworkBuilder().mode("a", loss=K).mode("b", loss=K)
               .nonreciprocal_link("a", "b", gamma=G, phase=phase).build())
        A = net.drift
        assert abs(A[0, 1]) < 1e-16
        np.testing.assert_allclose(A[1, 0], -G * np.exp(-1j * phase), atol=1e-16)
        np.testing.assert_allclose(np.diag(A), -(G + K) / 2)


def test_builder_hop_drive_and_errors():
    nb = NetworkBuilder().mode("x", detuning=0.1).mode("y").hop("x", "y", 0.2 + 0.1j).drive("x", 0.3)
    net = nb.build()
    np.testing.assert_allclose(net.hamiltonian, [[0.1, 0.2 + 0.1j], [0.2 - 0.1j, 0]])
    np.testing.assert_allclose(net.drive, [0.3, 0])
    with pytest.raises(ValueError, match="already exists"):
        nb.mode("x")
    with pytest.raises(ValueError, match="unknown mode"):
        nb.hop("x", "z", 1.0)
    with pytest.raises(ValueError, match="loss"):
        NetworkBuilder().mode("q", loss=-1.0)
    with pytest.raises(ValueError, match="no modes"):
        NetworkBuilder().build()


# ------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(hamiltonian=[[0, 1], [2, 0]]), "Hermitian"),
        (dict(hamiltonian=[[np.nan, 0], [0, 0]]), "hamiltonian"),
        (dict(hamiltonian=np.zeros((2, 3))), "hamiltonian"),
        (dict(loss=[-0.1, 0.1]), "loss"),
        (dict(loss=[np.nan, 0.1]), "loss"),
        (dict(loss=[0.1, 0.1, 0.1]), "loss"),
        (dict(jumps=[(-0.1, [1, 1])]), r"jumps\[0\] rate"),
        (dict(jumps=[(np.nan, [1, 1])]), r"jumps\[0\] rate"),
        (dict(jumps=[(0.1, [1, 1, 1])]), r"jumps\[0\] coefficients"),
        (dict(jumps=[0.1]), r"jumps\[0\]"),
        (dict(drive=[1.0]), "drive"),
        (dict(drive=[np.inf, 0]), "drive"),
        (dict(n_th=-1.0), "n_th"),
        (dict(n_th=[0.1, 0.2]), "n_th"),
        (dict(n_th=np.nan), "n_th"),
        (dict(squeezing=(-0.1, 0.0)), "squeezing"),
        (dict(squeezing=[(0.1, 0.0)] * 2), "squeezing"),
        (dict(omega=[1.0, 2.0, 3.0]), "omega"),
        (dict(alpha0=[1.0]), "alpha0"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(kwargs, match):
    base = dict(hamiltonian=np.zeros((2, 2)), loss=[0.1, 0.1], jumps=[(0.1, [1, 1])])
    base.update(kwargs)
    h = base.pop("hamiltonian")
    with pytest.raises(ValueError, match=match):
        LinearNetwork(h, **base)


def test_unstable_network_steady_state_raises():
    net = LinearNetwork([[0.0, 0.1], [0.1, 0.0]], loss=[0.1, 0.0])  # b is damped through a
    assert net.is_stable()
    dark = LinearNetwork(np.zeros((2, 2)), jumps=[(0.1, [1, 1])])  # a - b is a dark mode
    with pytest.raises(ValueError, match="no steady state"):
        dark.steady_state()


def test_bad_times_and_modes():
    net = pair(0.5j * G)
    with pytest.raises(ValueError, match="t must be"):
        net.energies(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="t must .*no NaN"):
        net.energies([0.0, np.nan])
    with pytest.raises(ValueError, match="mode"):
        net.ergotropy([1.0], 5)
    with pytest.raises(ValueError, match="cutoff"):
        net.to_qutip(1)


def test_power_is_time_derivative_of_energy():
    net = random_network(3, 11)
    t = np.linspace(1.0, 60.0, 12)
    h = 1e-4
    fd = (net.energies(t + h) - net.energies(t - h)) / (2 * h)
    np.testing.assert_allclose(net.power(t), fd, rtol=1e-6, atol=1e-9)


def test_eliminated_drift_of_a_lossy_intermediate_mode():
    """Triangle c - a - b with a lossy a: G = 2 g1 g2 / Gamma adds to the direct -i h entries."""
    g1, g2, Gam, gb, th = 0.05, 0.03, 0.2, 0.004, -np.pi / 2
    h = np.zeros((3, 3), complex)  # modes c, b, a
    h[2, 0], h[0, 2] = g1, g1
    h[1, 2], h[2, 1] = g2, g2
    h[1, 0], h[0, 1] = gb * np.exp(1j * th), gb * np.exp(-1j * th)
    net = LinearNetwork(h, loss=[0.01, 0.01, Gam])
    A = net.eliminated_drift([0, 1])
    G = 2 * g1 * g2 / Gam
    np.testing.assert_allclose(A[1, 0], -1j * gb * np.exp(1j * th) - G, atol=1e-15)
    np.testing.assert_allclose(A[0, 1], -1j * gb * np.exp(-1j * th) - G, atol=1e-15)
    np.testing.assert_allclose(A[0, 0], -0.005 - 2 * g1**2 / Gam, atol=1e-15)
    # steady amplitudes of the kept modes are exact
    driven = LinearNetwork(h, loss=[0.01, 0.01, Gam], drive=[0.1, 0, 0])
    alpha_eff = np.linalg.solve(driven.eliminated_drift([0, 1]), 1j * np.array([0.1, 0]))
    np.testing.assert_allclose(alpha_eff, driven.steady_state()["amplitudes"][:2], rtol=1e-12)
    with pytest.raises(ValueError, match="keep"):
        net.eliminated_drift([0, 0])


def test_validation_helpers_name_the_parameter():
    from nrqb.engine import validation as v

    with pytest.raises(ValueError, match="kappa must be >= 0"):
        v.rate(-1, "kappa")
    with pytest.raises(ValueError, match="gamma must be > 0"):
        v.positive(0.0, "gamma")
    with pytest.raises(ValueError, match="x must be real"):
        v.real(1 + 2j, "x")
    with pytest.raises(ValueError, match="y must be finite"):
        v.finite_complex(complex(np.nan, 0), "y")
    with pytest.raises(ValueError, match="N must be an integer >= 1"):
        v.count(True, "N")
    with pytest.raises(ValueError, match="rates must be a scalar or have 3 entries"):
        v.rates([1, 2], "rates", 3)
    np.testing.assert_array_equal(v.rates(0.5, "r", 3), [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="t must be >= 0"):
        v.times([-1.0], nonnegative=True)
    with pytest.raises(ValueError, match="1-D"):
        v.times(np.zeros((2, 2)), one_d=True)


def test_stability_shortcut_for_large_lossy_networks_agrees_with_eigenvalues():
    n = 60
    rng = np.random.default_rng(5)
    X = rng.normal(size=(n, n))
    lossy = LinearNetwork(0.01 * (X + X.T), loss=np.full(n, 0.002))
    assert lossy.is_stable() and np.max(lossy.eigenvalues().real) < 0
    # one undamped, uncoupled mode: K is singular and the eigenvalue route must find the zero
    h = 0.01 * (X + X.T)
    h[0, :] = 0
    h[:, 0] = 0
    loss = np.full(n, 0.002)
    loss[0] = 0.0
    dark = LinearNetwork(h, loss=loss)
    assert not dark.is_stable()
    with pytest.raises(ValueError, match="no steady state"):
        dark.steady_state()


def test_nonreciprocal_hopping_cancels_the_backflow_of_a_shared_bath():
    # independent route: the drift A = -i h - K/2 of a two-mode network with that hop and the
    # shared jump sqrt(gamma)(c_src a + c_dst b); the backward entry must vanish and the forward
    # one be -gamma conj(c_dst) c_src (complex coefficients, so a conjugated hop is caught too)
    from nrqb.engine.builder import nonreciprocal_hopping

    gamma, cs, cd = 0.7, 0.6 * np.exp(0.4j), 1.3 * np.exp(-1.1j)
    J = nonreciprocal_hopping(gamma, cs, cd)
    net = LinearNetwork(np.array([[0.0, J], [np.conj(J), 0.0]]), jumps=[(gamma, [cs, cd])])
    A = np.asarray(net.drift)
    assert A[0, 1] == 0
    assert abs(A[1, 0] + gamma * np.conj(cd) * cs) < 1e-14
    assert abs(A[0, 0] + gamma * abs(cs) ** 2 / 2) < 1e-14 and abs(A[1, 1] + gamma * abs(cd) ** 2 / 2) < 1e-14


def test_dense_network_assembles_the_same_matrices_as_the_sparse_network():
    """A dense network sums K, Sigma_N, Sigma_M into dense arrays; a sparse one through CSR.

    Independent route: the same channels given with a ``scipy.sparse`` Hamiltonian, and the
    defining sums ``K = diag(kappa) + sum_k Gamma_k conj(p_k) p_k^T`` etc. written out directly.
    Rows of at most 16 entries (where scipy's index sort keeps the input order): bitwise equal;
    any size: equal to round-off.
    """
    import scipy.sparse as sps

    rng = np.random.default_rng(7)
    for trial in range(200):
        n = int(rng.integers(1, 6))
        h = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        h = h + h.conj().T
        J = int(rng.integers(0, 5))
        jumps = [(float(rng.random()), list((rng.normal(size=n) + 1j * rng.normal(size=n))
                                            * (rng.random(n) < 0.7))) for _ in range(J)]
        nch = n + J
        n_th = rng.random(nch) * rng.integers(0, 2)
        sq = np.c_[rng.random(nch) * rng.integers(0, 2), 2 * np.pi * rng.random(nch)]
        kw = dict(loss=rng.random(n), jumps=jumps, n_th=n_th, squeezing=sq)
        dense, sparse = LinearNetwork(h, **kw), LinearNetwork(sps.csr_array(h), **kw)
        assert not dense.is_sparse and sparse.is_sparse
        assert dense._noise_kind == sparse._noise_kind
        # the definitions, term by term
        ne = n_th * np.cosh(2 * sq[:, 0]) + np.sinh(sq[:, 0]) ** 2
        me = (n_th + 0.5) * np.sinh(2 * sq[:, 0]) * np.exp(-1j * sq[:, 1])
        P = [np.eye(n)[j] for j in range(n)] + [np.asarray(c, complex) for _, c in jumps]
        g = np.concatenate([kw["loss"], [r for r, _ in jumps]])
        K = sum(g[k] * np.outer(P[k].conj(), P[k]) for k in range(nch))
        Q = sum(g[k] * ne[k] * np.outer(P[k], P[k].conj()) for k in range(nch))
        M = sum(g[k] * np.conj(me[k]) * np.outer(P[k].conj(), P[k].conj()) for k in range(nch))
        small = 1 + sum(np.count_nonzero(c) for _, c in jumps) <= 16
        for x, y, ref in ((dense._K, sparse._Ks, K), (dense._Q, sparse._Qs, Q), (dense._P, sparse._Ps, M)):
            assert isinstance(x, np.ndarray)
            if small:
                assert np.array_equal(x, y.toarray())
            assert np.allclose(x, y.toarray(), rtol=0, atol=1e-14 * (1 + np.abs(ref).max()))
            assert np.allclose(x, ref, rtol=0, atol=1e-13 * (1 + np.abs(ref).max()))
