"""Protocol: against qutip mesolve with a switched H(t), closed forms, one network, and solve_ivp."""

import numpy as np
import pytest
import qutip as qt

from nrqb import GaussianState, LinearNetwork, Protocol
from nrqb.engine.protocol import integrate_moments
from nrqb.engine.qutip_bridge import mode_operators, reduced_ergotropy

G, K, NTH = 0.04, 0.003, 0.05
MESOLVE = {"atol": 1e-11, "rtol": 1e-10, "nsteps": 100000}


def charge_store_use():
    """Charge (one-way link, drive, thermal bath), store (drive and coupling off), use (new network)."""
    charge = LinearNetwork([[0, 0.5j * G], [-0.5j * G, 0]], loss=[K, K], jumps=[(G, [1, 1])],
                           drive=[0.004, 0], n_th=NTH)
    store = LinearNetwork(np.zeros((2, 2)), loss=[K, K], n_th=NTH)
    use = LinearNetwork([[0.0, 0.02], [0.02, 0.01]], loss=[0.05, K], n_th=[0.0, NTH])
    return Protocol([(charge, 150.0), (store, 100.0), (use, np.inf)])


def qutip_by_hand(cut):
    """The same protocol written directly with qutip operators and step coefficients."""
    a, b = mode_operators(cut, 2)
    on = [lambda t: 1.0 if t < 150 else 0.0, lambda t: 1.0 if 150 <= t < 250 else 0.0,
          lambda t: 1.0 if t >= 250 else 0.0]
    H_charge = 0.5j * G * a.dag() * b - 0.5j * G * b.dag() * a + 0.004 * (a.dag() + a)
    H_use = 0.02 * (a.dag() * b + b.dag() * a) + 0.01 * b.dag() * b
    H = qt.QobjEvo([[H_charge, on[0]], [H_use, on[2]]])
    thermal = lambda L, rate, n: [np.sqrt(rate * (n + 1)) * L, np.sqrt(rate * n) * L.dag()]
    c_ops = []
    for op in thermal(a, K, NTH) + thermal(b, K, NTH) + thermal(a + b, G, NTH):
        c_ops.append(qt.QobjEvo([op, on[0]]))
    for op in thermal(a, K, NTH) + thermal(b, K, NTH):
        c_ops.append(qt.QobjEvo([op, on[1]]))
    for op in [np.sqrt(0.05) * a] + thermal(b, K, NTH):
        c_ops.append(qt.QobjEvo([op, on[2]]))
    return H, c_ops, (a, b)


def test_protocol_matches_qutip_mesolve_with_switched_hamiltonian():
    p = charge_store_use()
    cut = 8
    H, c_ops, (a, b) = qutip_by_hand(cut)
    t = np.linspace(0, 400, 41)  # the switches (150, 250) are grid points
    psi0 = qt.tensor(qt.basis(cut, 0), qt.basis(cut, 0))
    res = qt.mesolve(H, psi0, t, c_ops, e_ops=None, options={**MESOLVE, "store_states": True})
    occ_q = np.array([[qt.expect(o.dag() * o, r) for o in (a, b)] for r in res.states])
    amp_q = np.array([[qt.expect(o, r) for o in (a, b)] for r in res.states])
    erg_q = np.array([reduced_ergotropy(r, 1) for r in res.states[::5]])
    E = p.energies(t)
    np.testing.assert_allclose(E, occ_q, rtol=0, atol=1e-6 * E.max())  # ~1e-4 asked; 8e-8 reached
    amp = p.amplitudes(t)
    np.testing.assert_allclose(amp, amp_q, rtol=0, atol=1e-6 * np.abs(amp).max())
    np.testing.assert_allclose(p.ergotropy(t[::5], 1), erg_q, rtol=0, atol=1e-6 * E[:, 1].max())
    # the protocol's own qutip export gives the same dynamics
    H2, c2 = p.to_qutip(cut)
    res2 = qt.mesolve(H2, psi0, t, c2, e_ops=[b.dag() * b, b], options=MESOLVE)
    np.testing.assert_allclose(res2.expect[0], occ_q[:, 1], atol=1e-6 * E.max())  # integrator error 5e-8
    np.testing.assert_allclose(res2.expect[1], amp_q[:, 1], atol=1e-6 * np.abs(amp).max())


def test_squeezed_initial_state_matches_qutip():
    """A displaced squeezed thermal state on mode 0, vacuum on mode 1, through two segments."""
    init = GaussianState.product(GaussianState.squeezed(0.15, 0.7, n_th=0.02, alpha=0.1 - 0.05j),
                                 GaussianState.vacuum(1))
    one = LinearNetwork([[0.05, 0.03], [0.03, -0.02]], loss=[0.02, 0.01])
    two = LinearNetwork([[0.0, 0.04j], [-0.04j, 0.0]], loss=[0.03, 0.01], jumps=[(0.08, [1, 1])])
    p = Protocol([(one, 20.0), (two, 30.0)])
    cut = 10  # truncation error ~2e-7 on moments of order 0.1
    a, b = mode_operators(cut, 2)
    rho0 = qt.tensor(qt.displace(cut, 0.1 - 0.05j) * qt.squeeze(cut, 0.15 * np.exp(1j * (0.7 + np.pi)))
                     * qt.thermal_dm(cut, 0.02) * qt.squeeze(cut, 0.15 * np.exp(1j * (0.7 + np.pi))).dag()
                     * qt.displace(cut, 0.1 - 0.05j).dag(), qt.fock_dm(cut, 0))
    H1, c1 = one.to_qutip(cut)
    H2, c2 = two.to_qutip(cut)
    r1 = qt.mesolve(H1, rho0, [0, 10, 20], c1, options=MESOLVE).states
    r2 = qt.mesolve(H2, r1[-1], [0, 15, 30], c2, options=MESOLVE).states
    states = r1 + r2[1:]
    t = np.array([0, 10, 20, 35, 50.0])
    alpha, N, M = p.moments(t, initial=init)
    for k, rho in enumerate(states):
        for j, op in enumerate((a, b)):
            m = qt.expect(op, rho)
            np.testing.assert_allclose(alpha[k, j], m, atol=1e-6)
            np.testing.assert_allclose(M[k, j, j] + alpha[k, j] ** 2, qt.expect(op * op, rho), atol=1e-6)
            np.testing.assert_allclose(N[k, j, j] + abs(alpha[k, j]) ** 2, qt.expect(op.dag() * op, rho), atol=1e-6)
        np.testing.assert_allclose(N[k, 0, 1] + np.conj(alpha[k, 0]) * alpha[k, 1],
                                   qt.expect(a.dag() * b, rho), atol=1e-6)
        assert p.ergotropy([t[k]], 0, initial=init)[0] == pytest.approx(reduced_ergotropy(rho, 0), abs=1e-6)


def test_coherent_initial_state_closed_form():
    """One detuned mode, driven then free: alpha(t) piecewise from d alpha/dt = (-i D - k/2) alpha - i F."""
    D1, k1, F1, D2, k2, T1 = 0.3, 0.1, 0.05, -0.2, 0.02, 7.0
    p = Protocol([(LinearNetwork([[D1]], loss=[k1], drive=[F1]), T1),
                  (LinearNetwork([[D2]], loss=[k2], omega=1.5), np.inf)])
    a0 = 0.4 + 0.3j
    l1, l2 = -1j * D1 - k1 / 2, -1j * D2 - k2 / 2
    ss = 1j * F1 / l1
    t = np.array([0.0, 3.0, T1, 12.0, 40.0])
    at_switch = (a0 - ss) * np.exp(l1 * T1) + ss
    exact = np.where(t < T1, (a0 - ss) * np.exp(l1 * t) + ss, at_switch * np.exp(l2 * (t - T1)))
    got = p.amplitudes(t, initial=GaussianState.coherent(a0))[:, 0]
    np.testing.assert_allclose(got, exact, rtol=1e-12)
    # energies with the omega of the acting segment (1 then 1.5), a pure state: all ergotropy
    om = np.where(t < T1, 1.0, 1.5)
    E = p.energies(t, initial=GaussianState.coherent(a0))[:, 0]
    np.testing.assert_allclose(E, om * np.abs(exact) ** 2, rtol=1e-12)
    np.testing.assert_allclose(p.ergotropy(t, 0, initial=GaussianState.coherent(a0)), om * np.abs(exact) ** 2,
                               rtol=1e-10)


def test_thermal_initial_state_closed_form():
    """n(t) = n_b + (n(T_k) - n_b) e^{-kappa (t - T_k)} in each segment, baths switched."""
    n0, (k1, nb1, T1), (k2, nb2) = 2.0, (0.2, 0.5, 5.0), (0.05, 0.0)
    p = Protocol([(LinearNetwork([[0.0]], loss=[k1], n_th=nb1), T1), (LinearNetwork([[0.1]], loss=[k2]), 30.0)])
    t = np.array([0.0, 2.0, T1, 20.0, 35.0])
    n1 = nb1 + (n0 - nb1) * np.exp(-k1 * T1)
    exact = np.where(t < T1, nb1 + (n0 - nb1) * np.exp(-k1 * t), nb2 + (n1 - nb2) * np.exp(-k2 * (t - T1)))
    got = p.occupations(t, initial=GaussianState.thermal(n0))[:, 0]
    np.testing.assert_allclose(got, exact, rtol=1e-12)
    np.testing.assert_allclose(p.energies(t, initial=GaussianState.thermal(n0))[:, 0], exact, rtol=1e-12)
    assert np.all(np.abs(p.ergotropy(t, 0, initial=GaussianState.thermal(n0))) < 1e-12)  # stays passive


def test_general_solution_from_any_start():
    """Conventions, eq-conv-solution: N(t) = N_inf + e^{A^* t}(N_0 - N_inf)e^{A^T t}, M likewise, per segment.

    Every term matters: a squeezed thermal start with correlations (N_0, M_0 full), a squeezed
    shared bath with complex coefficients (N_inf, M_inf full, Sigma_N != n K), then a switch to a
    thermal network.  Reference: scipy's expm and Sylvester solver, independent of the engine's
    Taylor-and-doubling propagation.
    """
    from scipy.linalg import expm, solve_sylvester

    init = GaussianState(np.array([0.1 - 0.2j, 0.05j]),
                         np.array([[0.3, 0.05 - 0.02j], [0.05 + 0.02j, 0.2]]),
                         np.array([[0.15 + 0.1j, 0.03], [0.03, -0.08j]]))
    one = LinearNetwork([[0.05, 0.03 - 0.01j], [0.03 + 0.01j, -0.02]], loss=[0.02, 0.01],
                        jumps=[(0.08, [1.0, 0.6 * np.exp(0.9j)])], drive=[0.01, 0.0], n_th=0.1,
                        squeezing=(0.4, 0.7))
    two = LinearNetwork([[0.0, 0.04j], [-0.04j, 0.01]], loss=[0.03, 0.02], n_th=0.05)
    T1 = 20.0
    p = Protocol([(one, T1), (two, np.inf)])
    t = np.array([0.0, 7.0, T1, 31.0, 60.0])
    _, N, M = p.moments(t, initial=init)

    def closed(net, t_loc, N0, M0):
        A, (SN, SM) = net.drift, net.noise
        N_inf = solve_sylvester(A.conj(), A.T, -SN)
        M_inf = solve_sylvester(A, A.T, -SM)
        E = expm(A * t_loc)
        return N_inf + E.conj() @ (N0 - N_inf) @ E.T, M_inf + E @ (M0 - M_inf) @ E.T

    N1, M1 = closed(one, T1, init.N, init.M)
    for k, tk in enumerate(t):
        ref = closed(one, tk, init.N, init.M) if tk < T1 else closed(two, tk - T1, N1, M1)
        np.testing.assert_allclose(N[k], ref[0], rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose(M[k], ref[1], rtol=1e-11, atol=1e-14)
    # the start matters until it has decayed: N(7) differs from the vacuum start's
    assert np.max(np.abs(N[1] - p.moments([7.0])[1][0])) > 0.05


def test_identical_segments_equal_one_network():
    net = LinearNetwork([[0.1, 0.05j], [-0.05j, 0.0]], loss=[0.02, 0.01], jumps=[(0.04, [1, 1])],
                        drive=[0.01 + 0.004j, 0], n_th=0.1, squeezing=(0.2, 0.4), omega=[1.0, 1.3])
    p = Protocol([(net, 10.0), (net, 0.0), (net, 15.0), (net, np.inf)])
    t = np.array([60.0, 0.0, 10.0, 25.0, 3.3, 200.0])  # unsorted, on and between the switches
    np.testing.assert_allclose(p.energies(t), net.energies(t), rtol=1e-10)
    np.testing.assert_allclose(p.amplitudes(t), net.amplitudes(t), rtol=1e-10)
    np.testing.assert_allclose(p.ergotropy(t, 1), net.ergotropy(t, 1), rtol=1e-9)
    alpha, N, M = p.moments(t)
    Nn, Mn = net.fluctuations(t)
    np.testing.assert_allclose(N, Nn, atol=1e-12)
    np.testing.assert_allclose(M, Mn, atol=1e-12)
    s = p.state(25.0)
    np.testing.assert_allclose(s.N, Nn[3], atol=1e-12)
    np.testing.assert_allclose(s.amplitudes, net.amplitudes([25.0])[0], rtol=1e-10)
    np.testing.assert_allclose(s.covariance(), net.covariance([25.0])[0], atol=1e-12)


def test_exact_protocol_matches_ode_integration():
    """integrate_moments (solve_ivp, restarted at switches) and Protocol.moments (exponentials)."""
    rng = np.random.default_rng(4)
    nets = []
    for k in range(3):
        X = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
        nets.append(LinearNetwork(0.05 * (X + X.conj().T), loss=0.02 + 0.03 * rng.random(3),
                                  jumps=[(0.04, rng.normal(size=3) + 1j * rng.normal(size=3))],
                                  drive=0.02 * rng.normal(size=3), n_th=0.1 * k, squeezing=(0.1 * k, 0.3)))
    p = Protocol([(nets[0], 12.0), (nets[1], 20.0), (nets[2], 30.0)])
    init = GaussianState.squeezed([0.2, 0.0, 0.1], [0.3, 0.0, 2.0], n_th=[0.0, 0.3, 0.1], alpha=[0.1, 0.2j, 0.0])
    t = np.array([0.0, 5.0, 12.0, 20.0, 32.0, 47.0, 62.0])
    exact = p.moments(t, initial=init)
    ode = integrate_moments(p, t, init)
    for x, y in zip(exact, ode):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-9)
    # irrational durations and a grid ending exactly at the end (round-off of t - T_k)
    q = Protocol([(nets[0], np.pi), (nets[1], np.sqrt(2) * 10), (nets[2], np.e * 7)])
    tq = np.linspace(0, q.duration, 23)
    for x, y in zip(q.moments(tq, initial=init), integrate_moments(q, tq, init)):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-9)
    # and with the default initial state (vacuum)
    for x, y in zip(p.moments(t[-3:]), integrate_moments(p, t[-3:])):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-9)


def test_alpha0_of_the_first_network_and_infinite_time():
    first = LinearNetwork([[0.2]], loss=[0.1], alpha0=[0.5j])
    last = LinearNetwork([[0.0]], loss=[0.3], drive=[0.06], n_th=0.2)
    p = Protocol([(first, 4.0), (last, np.inf)])
    np.testing.assert_allclose(p.amplitudes([0.0, 4.0])[:, 0], first.amplitudes([0.0, 4.0])[:, 0], rtol=1e-12)
    ss = last.steady_state()
    np.testing.assert_allclose(p.energies([np.inf])[0], ss["energies"], rtol=1e-12)
    np.testing.assert_allclose(p.energies([1e4])[0], ss["energies"], rtol=1e-10)
    with pytest.raises(ValueError, match=r"segments\[1\] network"):
        Protocol([(last, 1.0), (first, 1.0)])
    with pytest.raises(ValueError, match="t must be finite"):
        integrate_moments(p, [np.inf])


def test_state_is_continuous_across_a_switch():
    p = charge_store_use()
    before = p.state(150.0 - 1e-9)
    at = p.state(150.0)
    np.testing.assert_allclose(at.N, before.N, atol=1e-10)
    np.testing.assert_allclose(at.amplitudes, before.amplitudes, atol=1e-10)
    assert p.segment_index([0.0, 149.9, 150.0, 250.0, 1e4]).tolist() == [0, 0, 1, 2, 2]
    assert p.duration == np.inf
    np.testing.assert_allclose(p.switching_times, [0.0, 150.0, 250.0])


@pytest.mark.parametrize("segments, name", [
    ([], "segments"),
    ("abc", "segments"),
    ([(LinearNetwork([[0.0]]), 1.0), (LinearNetwork(np.zeros((2, 2))), 1.0)], r"segments\[1\]"),
    ([(LinearNetwork([[0.0]]), -1.0)], r"segments\[0\] duration"),
    ([(LinearNetwork([[0.0]]), np.nan)], r"segments\[0\] duration"),
    ([(LinearNetwork([[0.0]]), 1j)], r"segments\[0\] duration"),
    ([(LinearNetwork([[0.0]]), "x")], r"segments\[0\] duration"),
    ([(LinearNetwork([[0.0]]), np.inf), (LinearNetwork([[0.0]]), 1.0)], r"segments\[0\] duration"),
    ([(np.zeros((1, 1)), 1.0)], r"segments\[0\] network"),
    ([(LinearNetwork([[0.0]]),)], r"segments\[0\]"),
])
def test_bad_segments_name_the_parameter(segments, name):
    with pytest.raises(ValueError, match=name):
        Protocol(segments)


@pytest.mark.parametrize("call, name", [
    (lambda p: p.energies([-1.0]), "t"),
    (lambda p: p.energies([np.nan]), "t"),
    (lambda p: p.energies([31.0]), "t"),
    (lambda p: p.energies([[1.0]]), "t"),
    (lambda p: p.energies([1.0], initial=GaussianState.vacuum(3)), "initial"),
    (lambda p: p.energies([1.0], initial=np.zeros(2)), "initial"),
    (lambda p: p.ergotropy([1.0], 2), "mode"),
    (lambda p: p.ergotropy([1.0], 0.0), "mode"),
    (lambda p: p.state([1.0, 2.0]), "t"),
    (lambda p: p.amplitudes([1.0], initial=GaussianState([0, 0], None, [[0.3, 0], [0, 0]])), "uncertainty"),
    (lambda p: integrate_moments(p, [1.0], rtol=0.0), "rtol"),
    (lambda p: integrate_moments("p", [1.0]), "protocol"),
])
def test_bad_calls_name_the_parameter(call, name):
    net = LinearNetwork(np.zeros((2, 2)), loss=[0.1, 0.1])
    p = Protocol([(net, 10.0), (net, 20.0)])
    with pytest.raises(ValueError, match=name):
        call(p)
