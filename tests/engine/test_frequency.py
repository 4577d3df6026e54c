"""Susceptibility and isolation: against the engine's impulse response, qutip, and the framework."""

import numpy as np
import pytest
import qutip as qt
from scipy.integrate import simpson

from nrqb import LinearNetwork, NetworkBuilder
from nrqb.beyond.framework import isolation_ratio, mechanisms
from nrqb.engine import frequency
from nrqb.engine.frequency import isolation, response, susceptibility
from nrqb.engine.qutip_bridge import mode_operators


def random_parts(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = 0.3 * (X + X.conj().T)
    jumps = [(0.2, rng.normal(size=n) + 1j * rng.normal(size=n))]
    return dict(hamiltonian=h, loss=0.1 + 0.2 * rng.random(n), jumps=jumps)


def ep_parts():
    """Ahmadi et al.'s nonreciprocal pair with equal decay rates: a Jordan block (an EP)."""
    G, K = 0.4, 0.05
    return dict(hamiltonian=[[0.0, 0.5j * G], [-0.5j * G, 0.0]], loss=[K, K], jumps=[(G, [1.0, 1.0])])


def net_from(parts, **kw):
    p = dict(parts)
    return LinearNetwork(p.pop("hamiltonian"), **p, **kw)


def fourier_of_impulse_response(parts, k, omega, T, points):
    """int_0^T <a>(t) e^{i w t} dt for <a>(0) = e_k, no drive: Simpson's rule on a uniform grid."""
    n = np.shape(parts["hamiltonian"])[0]
    net = net_from(parts, alpha0=np.eye(n)[k])
    t = np.linspace(0, T, points)
    amp = net.amplitudes(t)  # e^{A t} e_k, from the engine's propagator
    return simpson(np.exp(1j * np.outer(t, omega))[:, :, None] * amp[:, None, :], x=t, axis=0)


@pytest.mark.parametrize("name, parts, T, points", [
    ("random 3 modes", random_parts(3, 0), 400.0, 40001),
    ("exceptional point", ep_parts(), 150.0, 20001),
])
def test_susceptibility_is_fourier_transform_of_impulse_response(name, parts, T, points):
    net = net_from(parts)
    assert np.max(net.eigenvalues().real) * T < -25  # the tail beyond T is below e^-25
    omega = np.array([-1.3, -0.2, 0.0, 0.37, 1.1])
    chi = susceptibility(net, omega)
    assert chi.shape == (5, net.n_modes, net.n_modes)
    for k in range(net.n_modes):
        ft = fourier_of_impulse_response(parts, k, omega, T, points)
        np.testing.assert_allclose(chi[:, :, k], ft, rtol=0, atol=1e-9 * np.abs(chi).max(), err_msg=name)


@pytest.mark.parametrize("omega, k", [(0.23, 0), (-0.41, 2), (0.0, 1)])
def test_susceptibility_matches_qutip_driven_steady_state(omega, k):
    """A weak tone F e^{-i w t} on mode k: in the frame of the tone, <a_j> = -i chi_jk(w) F."""
    parts = random_parts(3, 1)
    chi = susceptibility(net_from(parts), [omega])[0]
    F, cut = 2e-3, 3  # |<a>| < 0.01: the cutoff error is 1e-9 relative (2e-14 at cutoff 4)
    a = mode_operators(cut, 3)
    h = np.asarray(parts["hamiltonian"]) - omega * np.eye(3)  # the frame of the tone
    H = sum(h[i, j] * a[i].dag() * a[j] for i in range(3) for j in range(3))
    H = H + F * a[k].dag() + np.conj(F) * a[k]
    c_ops = [np.sqrt(parts["loss"][j]) * a[j] for j in range(3)]
    g, c = parts["jumps"][0]
    c_ops.append(np.sqrt(g) * sum(c[j] * a[j] for j in range(3)))
    rho = qt.steadystate(H, c_ops)
    got = np.array([qt.expect(o, rho) for o in a])
    np.testing.assert_allclose(got, -1j * chi[:, k] * F, rtol=1e-6, atol=1e-6 * abs(F) * np.abs(chi).max())


def test_thermal_noise_does_not_enter_the_response():
    """One detuned mode in a thermal bath, qutip at a convergent cutoff: the mean still follows chi."""
    delta, kappa, n_th, omega, F, cut = 0.3, 0.2, 0.1, -0.15, 1e-3, 24
    net = LinearNetwork([[delta]], loss=[kappa], n_th=n_th)
    chi = susceptibility(net, [omega])[0, 0, 0]
    a = qt.destroy(cut)
    H = (delta - omega) * a.dag() * a + F * a.dag() + np.conj(F) * a
    c_ops = [np.sqrt(kappa * (n_th + 1)) * a, np.sqrt(kappa * n_th) * a.dag()]
    rho = qt.steadystate(H, c_ops)
    np.testing.assert_allclose(qt.expect(a, rho), -1j * chi * F, rtol=1e-6)
    np.testing.assert_allclose(chi, 1 / (-1j * omega + 1j * delta + kappa / 2), rtol=1e-12)


def test_zero_frequency_gives_the_steady_amplitudes():
    parts = random_parts(4, 2)
    F = np.array([0.3, -0.1j, 0.0, 0.2 + 0.1j])
    net = net_from(parts, drive=F)
    chi0 = susceptibility(net, 0.0)[0]
    np.testing.assert_allclose(-1j * chi0 @ F, net.steady_state()["amplitudes"], rtol=1e-11)


def test_eigendecomposition_and_direct_solves_agree(monkeypatch):
    parts = random_parts(6, 3)
    net = net_from(parts)
    omega = np.linspace(-3, 3, 601)
    ref = np.linalg.inv(-1j * omega[:, None, None] * np.eye(6) - net.drift)
    fast = susceptibility(net, omega)
    np.testing.assert_allclose(fast, ref, rtol=0, atol=1e-11 * np.abs(ref).max())
    monkeypatch.setattr(frequency, "EIG_COND_MAX", 0.0)  # force the solve branch
    monkeypatch.setattr(frequency, "CHUNK", 50)          # and several chunks
    slow = susceptibility(net, omega)
    np.testing.assert_allclose(slow, ref, rtol=0, atol=1e-11 * np.abs(ref).max())


def test_response_entries():
    parts = random_parts(5, 4)
    net = net_from(parts)
    omega = np.array([-0.5, 0.1, 0.8])
    ref = np.linalg.inv(-1j * omega[:, None, None] * np.eye(5) - net.drift)
    got = response(net, omega, [4, 0], [2])
    np.testing.assert_allclose(got, ref[:, [4, 0]][:, :, [2]], rtol=1e-11)
    np.testing.assert_allclose(response(net, omega, 1, 3)[:, 0, 0], ref[:, 1, 3], rtol=1e-11)


def test_near_exceptional_point_stays_exact():
    """One-way drift with decay rates equal to 1e-13: eigenvectors useless, solves exact."""
    K = 0.05
    net = LinearNetwork([[0.0, 0.2j], [-0.2j, 0.0]], loss=[K, K * (1 + 1e-13)], jumps=[(0.4, [1.0, 1.0])])
    omega = np.array([-0.3, 0.0, 0.05])
    A = net.drift
    # closed form of the inverse of the 2x2 matrix B = -i w - A
    for w, chi in zip(omega, susceptibility(net, omega)):
        B = -1j * w * np.eye(2) - A
        det = B[0, 0] * B[1, 1] - B[0, 1] * B[1, 0]
        exact = np.array([[B[1, 1], -B[0, 1]], [-B[1, 0], B[0, 0]]]) / det
        np.testing.assert_allclose(chi, exact, rtol=1e-12, atol=1e-12 * np.abs(exact).max())


# ------------------------------------------------------------------------------- isolation
@pytest.mark.parametrize("name", list(mechanisms()))
def test_isolation_at_zero_frequency_is_the_framework_ratio(name):
    mech = mechanisms()[name]
    for phase in (mech.nr_phase + 0.3, 0.0, 2.0):
        net = mech.build(phase)
        ours = isolation(net, [0.0], 1, 0)[0]          # battery 1, charger 0
        np.testing.assert_allclose(ours, isolation_ratio(net, 0, 1), rtol=1e-9)
        np.testing.assert_allclose(isolation(net, [0.0], 0, 1)[0], 1 / isolation_ratio(net, 0, 1), rtol=1e-9)


def test_isolation_matches_direct_inverse_at_all_frequencies():
    mech = mechanisms()["AB triangle (Zhao)"]
    net = mech.build(mech.nr_phase)
    omega = np.linspace(-0.3, 0.3, 61)
    ref = np.linalg.inv(-1j * omega[:, None, None] * np.eye(net.n_modes) - net.drift)
    np.testing.assert_allclose(isolation(net, omega, 1, 0), np.abs(ref[:, 0, 1]) / np.abs(ref[:, 1, 0]),
                               rtol=1e-8, atol=1e-13)  # zero frequency is one-way: round-off there
    # and through the engine's delegating method
    np.testing.assert_allclose(net.isolation(omega, 1, 0), isolation(net, omega, 1, 0), rtol=1e-14)
    np.testing.assert_allclose(net.susceptibility(omega), susceptibility(net, omega), rtol=1e-14)


def test_collective_jump_is_one_way_at_every_frequency():
    """Liu's collective jump has no auxiliary mode: the drift itself is triangular, chi_ab = 0."""
    G = 0.04
    net = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003)
           .hop("a", "b", 0.5j * G).shared_bath(G, {"a": 1, "b": 1}).build())
    omega = np.linspace(-0.1, 0.1, 21)
    chi = susceptibility(net, omega)
    assert np.all(chi[:, 0, 1] == 0)
    assert np.all(isolation(net, omega, 1, 0) == 0)
    assert np.all(np.isinf(isolation(net, omega, 0, 1)))
    # forward response: chi_ba = A_ba / ((-i w - A_aa)(-i w - A_bb)) for a triangular A
    A = net.drift
    fwd = A[1, 0] / ((-1j * omega - A[0, 0]) * (-1j * omega - A[1, 1]))
    np.testing.assert_allclose(chi[:, 1, 0], fwd, rtol=1e-12)


def test_markov_reservoir_is_one_way_at_every_frequency():
    """Ahmadi's Markov reservoir Gamma D[a + b] with J = i Gamma/2: a triangular drift, chi_ab = 0 at every nu."""
    G = 0.04
    net = NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.005).nonreciprocal_link("a", "b", gamma=G).build()
    omega = np.linspace(-2.0, 2.0, 41)
    assert np.all(susceptibility(net, omega)[:, 0, 1] == 0)
    assert np.all(isolation(net, omega, 1, 0) == 0)
    # the hop alone (no reservoir) is reciprocal: the zero above is the cancellation, not a missing coupling
    hop = NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.005).hop("a", "b", 0.5j * G).build()
    np.testing.assert_allclose(isolation(hop, omega, 1, 0), 1.0, rtol=1e-12)


def test_finite_band_of_a_cavity_realisation():
    """A cavity realisation of Ahmadi's reservoir (our gamma_c = 1): backflow |nu| / sqrt(gamma_c^2 + nu^2)."""
    mech = mechanisms()["shared reservoir (Ahmadi)"]
    net = mech.build(mech.nr_phase)
    gamma_c = net.damping_matrix[2, 2].real
    assert gamma_c == pytest.approx(1.0, rel=1e-15)
    nu = np.array([0.0, 0.01, 0.1, 1.0, 30.0, -0.3])
    np.testing.assert_allclose(isolation(net, nu, 1, 0), np.abs(nu) / np.hypot(gamma_c, nu), rtol=1e-9, atol=1e-14)


def test_backflow_law_with_detuned_cavity_and_phase():
    """Lin's bad cavity, detuned (Delta_c) with a phase phi and unequal couplings, at its nonreciprocal hop.

    The hop that cancels the backflow is J = 2 g_a g_b e^{-i phi} / (2 Delta_c - i gamma_m) (methods page);
    the backflow ratio is then |nu| / sqrt(gamma_m^2 + nu^2), whatever Delta_c, phi and the local losses.
    """
    g_a, g_b, gm, Dc, phi = 0.3, 0.5, 2.0, 0.7, 0.9
    J = 2 * g_a * g_b * np.exp(-1j * phi) / (2 * Dc - 1j * gm)
    h = np.array([[0.02, J, g_a * np.exp(-1j * phi)], [np.conj(J), -0.01, g_b],
                  [g_a * np.exp(1j * phi), g_b, Dc]])
    net = LinearNetwork(h, loss=[0.003, 0.006, gm])
    nu = np.array([0.0, 0.05, 0.5, 3.0, -1.0])
    np.testing.assert_allclose(isolation(net, nu, 1, 0), np.abs(nu) / np.hypot(gm, nu), rtol=1e-9, atol=1e-14)
    # the wrong conjugate phase of the hop leaves a backflow at zero frequency
    hb = h.copy()
    hb[0, 1], hb[1, 0] = np.conj(J), J
    assert isolation(LinearNetwork(hb, loss=[0.003, 0.006, gm]), [0.0], 1, 0)[0] > 0.05


@pytest.mark.parametrize("call, name", [
    (lambda n: susceptibility(n, [[0.1]]), "omega"),
    (lambda n: susceptibility(n, [np.nan]), "omega"),
    (lambda n: susceptibility(n, [0.1 + 0.2j]), "omega"),
    (lambda n: susceptibility(n, "x"), "omega"),
    (lambda n: susceptibility("net", [0.1]), "network"),
    (lambda n: susceptibility(LinearNetwork([[0.0]]), [0.1]), "network"),
    (lambda n: isolation(n, [0.1], 0, 0), "a and b"),
    (lambda n: isolation(n, [0.1], 0, 5), "b"),
    (lambda n: isolation(n, [0.1], 1.0, 0), "a"),
    (lambda n: isolation(LinearNetwork(np.zeros((2, 2)), loss=[1, 1]), [0.1], 0, 1), "do not respond"),
    (lambda n: response(n, [0.1], [0, 7], [0]), "outputs"),
    (lambda n: response(n, [0.1], [0], [-9]), "inputs"),
])
def test_bad_input_names_the_parameter(call, name):
    net = net_from(random_parts(3, 5))
    with pytest.raises(ValueError, match=name):
        call(net)
