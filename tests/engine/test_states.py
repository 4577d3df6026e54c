"""GaussianState: constructors against qutip density matrices, physicality, observables."""

import numpy as np
import pytest
import qutip as qt

import nrqb
from nrqb import LinearNetwork
from nrqb.engine.qutip_bridge import reduced_ergotropy
from nrqb.engine.states import GaussianState

D = 40  # Fock cutoff of the single-mode reference states (moments converge far below 1e-10)


def qutip_state(r=0.0, theta=0.0, n_th=0.0, alpha=0.0, dim=D):
    """D(alpha) S(xi) rho_th S(xi)^dag D(alpha)^dag with xi = r e^{i(theta + pi)}: the docstring's claim."""
    rho = qt.thermal_dm(dim, n_th) if n_th else qt.fock_dm(dim, 0)
    S = qt.squeeze(dim, r * np.exp(1j * (theta + np.pi)))
    Dp = qt.displace(dim, alpha)
    return Dp * S * rho * S.dag() * Dp.dag()


def qutip_moments(rho, dim=D):
    a = qt.destroy(dim)
    al = qt.expect(a, rho)
    N = qt.expect(a.dag() * a, rho) - abs(al) ** 2
    M = qt.expect(a * a, rho) - al**2
    return al, N, M


def test_exports_and_lazy_import():
    assert nrqb.GaussianState is GaussianState
    from nrqb.engine import GaussianState as G2

    assert G2 is GaussianState


@pytest.mark.parametrize("r, theta, n_th, alpha", [
    (0.4, 1.1, 0.0, 0.0), (0.3, -2.0, 0.25, 0.6 - 0.3j), (0.0, 0.0, 0.7, 0.0), (0.0, 0.0, 0.0, 1.2j),
])
def test_one_mode_moments_match_qutip_density_matrix(r, theta, n_th, alpha):
    s = GaussianState.squeezed(r, theta, n_th=n_th, alpha=alpha)
    al, N, M = qutip_moments(qutip_state(r, theta, n_th, alpha))
    np.testing.assert_allclose(s.amplitudes[0], al, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(s.N[0, 0], N, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(s.M[0, 0], M, rtol=1e-9, atol=1e-12)
    rho = qutip_state(r, theta, n_th, alpha)
    a = qt.destroy(D)
    np.testing.assert_allclose(s.occupations()[0], qt.expect(a.dag() * a, rho), rtol=1e-9)
    np.testing.assert_allclose(s.energies(1.7)[0], 1.7 * qt.expect(a.dag() * a, rho), rtol=1e-9)
    # ergotropy from the spectrum of the density matrix (passive state filled from the bottom)
    np.testing.assert_allclose(s.ergotropy(0, omega=1.7), reduced_ergotropy(rho, 0, omega=1.7), rtol=1e-8, atol=1e-12)


def test_coherent_and_thermal_closed_forms():
    c = GaussianState.coherent([0.3 + 0.4j, -1.0])
    np.testing.assert_allclose(c.occupations(), [0.25, 1.0], rtol=1e-14)
    np.testing.assert_allclose(c.ergotropy(0), 0.25, rtol=1e-12)  # a pure state: all its energy
    th = GaussianState.thermal([0.2, 1.5])
    np.testing.assert_allclose(th.energies([1.0, 2.0]), [0.2, 3.0], rtol=1e-14)
    assert th.ergotropy(1) == pytest.approx(0.0, abs=1e-14)  # thermal states are passive
    np.testing.assert_allclose(th.covariance(), np.diag([0.7, 0.7, 2.0, 2.0]), rtol=1e-14)
    # squeezed vacuum: theta = 0 squeezes p, V = diag(e^{2r}, e^{-2r}) / 2
    r = 0.6
    sq = GaussianState.squeezed(r, 0.0)
    np.testing.assert_allclose(sq.covariance(), np.diag([np.exp(2 * r), np.exp(-2 * r)]) / 2, rtol=1e-12)
    np.testing.assert_allclose(sq.ergotropy(0), np.sinh(r) ** 2, rtol=1e-12)
    # scalars broadcast with n_modes; vacuum
    assert GaussianState.thermal(0.3, n_modes=3).occupations().tolist() == pytest.approx([0.3] * 3)
    assert GaussianState.vacuum(2).occupations().tolist() == [0.0, 0.0]


def test_squeezed_state_is_the_relaxed_state_of_a_squeezed_bath():
    """The state parameters mean what the bath parameters mean (engine's phase convention)."""
    r, theta, n_th = 0.35, 0.8, 0.2
    net = LinearNetwork([[0.0]], loss=[0.7], n_th=n_th, squeezing=(r, theta))
    ss = net.steady_state()
    s = GaussianState.squeezed(r, theta, n_th=n_th)
    np.testing.assert_allclose(s.N, ss["N"], rtol=1e-10)
    np.testing.assert_allclose(s.M, ss["M"], rtol=1e-10)


def test_covariance_and_uncertainty_relation_from_quadratures():
    """V + i Omega/2 = <R_k R_l> built from the mode moments independently of the module."""
    rng = np.random.default_rng(3)
    n = 3
    # a random physical state: a Bogoliubov transform of a thermal state, a -> U a + W a^dag
    X = rng.normal(size=(2 * n, 2 * n))
    Hs = X + X.T  # symmetric generator of a symplectic (Gaussian unitary) map in real quadratures
    Om = np.kron(np.eye(n), [[0, 1], [-1, 0]])
    from scipy.linalg import expm
    S = expm(0.2 * Om @ Hs)
    V0 = np.diag(np.repeat(0.5 + rng.uniform(0, 0.5, n), 2))
    V = S @ V0 @ S.T
    # V -> N, M (inverse of the quadrature map, written out here)
    x, p = V[0::2, 0::2], V[1::2, 1::2]
    xp, px = V[0::2, 1::2], V[1::2, 0::2]
    N = 0.5 * (x + p) - 0.5 * np.eye(n) + 0.5j * (xp - px)
    M = 0.5 * (x - p) + 0.5j * (xp + px)
    s = GaussianState(rng.normal(size=n), N, M)
    np.testing.assert_allclose(s.covariance(), V, atol=1e-12)
    # <R_k R_l> from <b_k b_l>, b = (da, da^dag): = V + i Omega/2 and positive semi-definite
    T = np.zeros((2 * n, 2 * n), complex)
    for j in range(n):
        T[2 * j, j] = T[2 * j, n + j] = 1 / np.sqrt(2)
        T[2 * j + 1, j], T[2 * j + 1, n + j] = -1j / np.sqrt(2), 1j / np.sqrt(2)
    Sbb = np.block([[s.M, np.eye(n) + s.N.T], [s.N, s.M.conj()]])
    RR = T @ Sbb @ T.T
    np.testing.assert_allclose(RR, s.covariance() + 0.5j * Om, atol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_physicality_check_agrees_with_uncertainty_relation(seed):
    """Accept iff V + i Omega/2 >= 0 (V computed here from the quadrature definitions)."""
    rng = np.random.default_rng(seed)
    n = 2
    B = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    N = 0.3 * B @ B.conj().T
    C = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    M0 = 0.5 * (C + C.T)
    Om = np.kron(np.eye(n), [[0, 1], [-1, 0]])
    for scale in np.linspace(0.05, 1.5, 12):
        M = scale * M0
        V = np.empty((2 * n, 2 * n))
        V[0::2, 0::2] = np.real(N + M) + 0.5 * np.eye(n)
        V[1::2, 1::2] = np.real(N - M) + 0.5 * np.eye(n)
        V[0::2, 1::2] = np.imag(M + N)
        V[1::2, 0::2] = np.imag(M + N).T
        physical = np.linalg.eigvalsh(V + 0.5j * Om).min() >= -1e-9
        if physical:
            GaussianState(np.zeros(n), N, M)
        else:
            with pytest.raises(ValueError, match="uncertainty"):
                GaussianState(np.zeros(n), N, M)


def test_pure_states_sit_on_the_boundary():
    s = GaussianState.squeezed(3.0, 0.4)  # det V = 1/4 exactly: accepted despite round-off
    np.testing.assert_allclose(np.linalg.det(s.covariance()), 0.25, rtol=1e-8)
    with pytest.raises(ValueError, match="uncertainty"):
        GaussianState([0.0], s.N, s.M * (1 + 1e-6))


def test_product_displaced_reduced():
    a = GaussianState.squeezed(0.3, 0.5, n_th=0.1, alpha=0.2)
    b = GaussianState.thermal(0.4)
    p = GaussianState.product(a, b).displaced([0.1j, 0.5])
    assert p.n_modes == 2
    np.testing.assert_allclose(p.amplitudes, [0.2 + 0.1j, 0.5])
    np.testing.assert_allclose(p.N, np.diag([a.N[0, 0], 0.4]))
    np.testing.assert_allclose(p.M, np.diag([a.M[0, 0], 0.0]))
    r = p.reduced([1, 0])
    np.testing.assert_allclose(r.occupations(), p.occupations()[::-1])
    # product of a two-mode state: the qutip tensor product's reduced ergotropy
    rho = qt.tensor(qutip_state(0.3, 0.5, 0.1, 0.2 + 0.1j, 20), qutip_state(0, 0, 0.4, 0.5, 20))
    for j in range(2):
        np.testing.assert_allclose(p.ergotropy(j), reduced_ergotropy(rho, j), rtol=1e-7, atol=1e-10)


def test_attributes_are_read_only():
    s = GaussianState.thermal(0.1)
    with pytest.raises(ValueError):
        s.N[0, 0] = 1.0


@pytest.mark.parametrize("make, name", [
    (lambda: GaussianState([np.nan]), "amplitudes"),
    (lambda: GaussianState([[0.0]]), "amplitudes"),
    (lambda: GaussianState([]), "amplitudes"),
    (lambda: GaussianState([0.0], [[0.1, 0], [0, 0.1]]), "N"),
    (lambda: GaussianState([0.0], [[-0.1]]), "N"),
    (lambda: GaussianState([0, 0], [[0.1, 0.2j], [0.2j, 0.1]]), "N must be Hermitian"),
    (lambda: GaussianState([0.0], None, [[0.3]]), "uncertainty"),
    (lambda: GaussianState([0, 0], None, [[0, 0.1], [0.2, 0]]), "M must be symmetric"),
    (lambda: GaussianState([0.0], None, [[np.inf]]), "M"),
    (lambda: GaussianState.vacuum(0), "n"),
    (lambda: GaussianState.vacuum(2.0), "n"),
    (lambda: GaussianState.thermal(-0.1), "n_th"),
    (lambda: GaussianState.thermal([[0.1]]), "n_th"),
    (lambda: GaussianState.squeezed(-0.1), "r"),
    (lambda: GaussianState.squeezed(1000.0), "r"),
    (lambda: GaussianState.squeezed(0.1, np.nan), "theta"),
    (lambda: GaussianState.squeezed([0.1, 0.2], [0.0, 0.1, 0.2]), "theta"),
    (lambda: GaussianState.coherent(0.1, n_modes=0), "n_modes"),
    (lambda: GaussianState.product(), "states"),
    (lambda: GaussianState.product(GaussianState.vacuum(1), 3), r"states\[1\]"),
    (lambda: GaussianState.vacuum(2).displaced([1, 2, 3]), "alpha"),
    (lambda: GaussianState.vacuum(2).energies(-1.0), "omega"),
    (lambda: GaussianState.vacuum(2).ergotropy(2), "mode"),
    (lambda: GaussianState.vacuum(2).ergotropy(1.0), "mode"),
    (lambda: GaussianState.vacuum(2).ergotropy(0, omega=np.nan), "omega"),
    (lambda: GaussianState.vacuum(2).reduced([0, 0]), "modes"),
])
def test_bad_input_names_the_parameter(make, name):
    with pytest.raises(ValueError, match=name):
        make()
