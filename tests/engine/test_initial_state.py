"""``initial=``: any Gaussian initial state, on every time-evolution method of LinearNetwork.

Independent routes: closed forms of a single damped, detuned, driven mode in a squeezed
thermal bath; the moment equations integrated by solve_ivp; qutip's mesolve from a squeezed
state.  The state objects are both :class:`nrqb.GaussianState` and a bare duck-typed object
with the attributes of the contract (``amplitudes``, ``N``, ``M``, ``n_modes``).
"""

import numpy as np
import pytest
import qutip as qt
from engine_refs import DuckState, ode_moments, random_state

from nrqb import GaussianState, LinearNetwork
from nrqb.engine.qutip_bridge import reduced_ergotropy

# one mode: detuning D, loss k, drive F, bath n_th and squeezing (r, th); initial state below
D, KAP, F, NTH, R, TH = 0.3, 0.2, 0.05 + 0.02j, 0.4, 0.25, 0.7
A0, N0, M0 = 0.6 - 0.3j, 0.35, 0.12 + 0.2j


def one_mode():
    return LinearNetwork([[D]], loss=[KAP], drive=[F], n_th=NTH, squeezing=(R, TH), omega=1.7)


def closed_form(t):
    """alpha, N, M, their derivatives, of d alpha/dt = A alpha - i F, dN/dt = -k N + k N_b,
    dM/dt = 2 A M + k conj(M_b), with A = -i D - k/2."""
    A = -1j * D - KAP / 2
    Nb = (NTH + 0.5) * np.cosh(2 * R) - 0.5
    Mb = (NTH + 0.5) * np.sinh(2 * R) * np.exp(-1j * TH)
    a_ss = 1j * F / A
    M_ss = -KAP * np.conj(Mb) / (2 * A)
    e1, e2, ek = np.exp(A * t), np.exp(2 * A * t), np.exp(-KAP * t)
    alpha = a_ss + (A0 - a_ss) * e1
    N = Nb + (N0 - Nb) * ek
    M = M_ss + (M0 - M_ss) * e2
    dalpha = A * (A0 - a_ss) * e1
    dN = -KAP * (N0 - Nb) * ek
    return alpha, N, M, dalpha, dN


def initial_state(kind):
    if kind == "GaussianState":
        return GaussianState([A0], [[N0]], [[M0]])
    return DuckState([A0], [[N0]], [[M0]])


T = np.array([3.0, 0.0, 40.0, 3.0, 0.5, np.inf])


@pytest.mark.parametrize("kind", ["GaussianState", "duck"])
def test_every_method_takes_the_initial_state_one_mode_closed_forms(kind):
    net = one_mode()
    s = initial_state(kind)
    a, N, M, da, dN = closed_form(T)
    a[T == np.inf], dN[T == np.inf], da[T == np.inf] = a[-1], 0.0, 0.0
    N[T == np.inf], M[T == np.inf] = N[-1], M[-1]
    om = 1.7
    np.testing.assert_allclose(net.amplitudes(T, initial=s)[:, 0], a, rtol=1e-12)
    al, NN, MM = net.moments(T, initial=s)
    np.testing.assert_allclose(al[:, 0], a, rtol=1e-12)
    np.testing.assert_allclose(NN[:, 0, 0], N, rtol=1e-12)
    np.testing.assert_allclose(MM[:, 0, 0], M, rtol=1e-12)
    fN, fM = net.fluctuations(T, initial=s)
    np.testing.assert_allclose(fN[:, 0, 0], N, rtol=1e-12)
    np.testing.assert_allclose(fM[:, 0, 0], M, rtol=1e-12)
    occ = np.abs(a) ** 2 + N
    np.testing.assert_allclose(net.occupations(T, initial=s)[:, 0], occ, rtol=1e-12)
    np.testing.assert_allclose(net.energies(T, initial=s)[:, 0], om * occ, rtol=1e-12)
    P = om * (2 * np.real(np.conj(a) * da) + dN)
    np.testing.assert_allclose(net.power(T, initial=s)[:, 0], P, rtol=1e-10, atol=1e-16)
    V = net.covariance(T, initial=s)
    np.testing.assert_allclose(V[:, 0, 0], N + 0.5 + M.real, rtol=1e-12)
    np.testing.assert_allclose(V[:, 1, 1], N + 0.5 - M.real, rtol=1e-12)
    np.testing.assert_allclose(V[:, 0, 1], M.imag, rtol=1e-12)
    # ergotropy: |alpha|^2 + N + 1/2 - sqrt((N + 1/2)^2 - |M|^2)
    erg = np.abs(a) ** 2 + N + 0.5 - np.sqrt((N + 0.5) ** 2 - np.abs(M) ** 2)
    np.testing.assert_allclose(net.ergotropy(T, 0, initial=s), om * erg, rtol=1e-10)


def test_initial_state_of_several_modes_against_the_ode():
    rng = np.random.default_rng(11)
    n = 4
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    net = LinearNetwork(0.1 * (X + X.conj().T), loss=0.02 + 0.05 * rng.random(n),
                        jumps=[(0.05, rng.normal(size=n) + 1j * rng.normal(size=n))],
                        drive=0.05 * rng.normal(size=n), n_th=0.3, squeezing=(0.2, 1.3),
                        omega=1 + rng.random(n))
    s = random_state(n, rng)
    t = np.array([0.0, 5.0, 60.0, 250.0])
    a, N, M = net.moments(t, initial=s)
    ra, rN, rM = ode_moments(net, t, s.amplitudes, s.N, s.M)
    np.testing.assert_allclose(a, ra, atol=1e-9 * np.max(np.abs(ra)), rtol=0)
    np.testing.assert_allclose(N, rN, atol=1e-9 * np.max(np.abs(rN)), rtol=0)
    np.testing.assert_allclose(M, rM, atol=1e-9 * np.max(np.abs(rM)), rtol=0)
    # the moments at t = 0 are the initial state, exactly
    np.testing.assert_array_equal(a[0], s.amplitudes)
    np.testing.assert_allclose(N[0], s.N, rtol=1e-15, atol=1e-16)
    # the steady state forgets the initial state
    ss = net.steady_state()
    np.testing.assert_allclose(net.energies([np.inf], initial=s)[0], ss["energies"], rtol=1e-14)


def test_squeezed_initial_state_against_qutip():
    """A displaced squeezed state decaying in a detuned, driven, thermal mode: mesolve."""
    r, th, al = 0.3, 0.8, 0.4 + 0.2j
    net = LinearNetwork([[0.15]], loss=[0.3], drive=[0.05], n_th=0.2)
    s = GaussianState.squeezed(r, th, alpha=al)
    d = 30
    H, c_ops = net.to_qutip(d)
    a = qt.destroy(d)
    xi = r * np.exp(1j * (th + np.pi))
    psi0 = qt.displace(d, al) * qt.squeeze(d, xi) * qt.basis(d, 0)
    t = np.array([0.0, 1.0, 4.0])
    res = qt.mesolve(H, psi0, t, c_ops, e_ops=[a.dag() * a, a * a, a],
                     options={"atol": 1e-12, "rtol": 1e-10})
    occ, aa, am = (np.asarray(e) for e in res.expect)
    np.testing.assert_allclose(net.occupations(t, initial=s)[:, 0], occ, rtol=1e-7)
    alpha, _, M = net.moments(t, initial=s)
    np.testing.assert_allclose(alpha[:, 0], am, rtol=1e-7)
    np.testing.assert_allclose(M[:, 0, 0] + alpha[:, 0] ** 2, aa, rtol=1e-7)
    res = qt.mesolve(H, psi0, [0.0, 2.0], c_ops, options={"atol": 1e-12, "rtol": 1e-10})
    np.testing.assert_allclose(net.ergotropy([2.0], 0, initial=s)[0], reduced_ergotropy(res.states[-1], 0), rtol=1e-6)


def test_marginal_network_keeps_its_dark_initial_state():
    """The dark combination (a - b)/sqrt(2) of the dark pair keeps its initial moments forever."""
    net = LinearNetwork(np.zeros((2, 2)), jumps=[(1.0, [1, 1])], n_th=0.5)
    rng = np.random.default_rng(3)
    s = random_state(2, rng)
    t = np.array([0.0, 2.0, 80.0, 1e9])
    a, N, M = net.moments(t, initial=s)
    d = np.array([1, -1]) / np.sqrt(2)  # dark mode a_d = d . a  (real d)
    np.testing.assert_allclose(a @ d, np.full(4, s.amplitudes @ d), rtol=1e-12)
    np.testing.assert_allclose(d @ N @ d, np.full(4, d @ s.N @ d), rtol=1e-12)
    np.testing.assert_allclose(d @ M @ d, np.full(4, d @ s.M @ d), rtol=1e-12)
    # the bright mode relaxes to the bath: its occupation tends to n_th
    bright = np.array([1, 1]) / np.sqrt(2)
    np.testing.assert_allclose((bright @ N @ bright)[-1].real, 0.5, rtol=1e-12)
    ra, rN, rM = ode_moments(net, t[:3], s.amplitudes, s.N, s.M)
    np.testing.assert_allclose(N[:3], rN, atol=1e-10)


def test_alpha0_keeps_working_and_equals_a_coherent_initial_state():
    net = LinearNetwork([[0.1]], loss=[0.2], drive=[0.05], alpha0=[0.3 + 0.1j])
    plain = LinearNetwork([[0.1]], loss=[0.2], drive=[0.05])
    t = np.linspace(0, 20, 7)
    np.testing.assert_array_equal(net.energies(t), plain.energies(t, initial=GaussianState.coherent([0.3 + 0.1j])))
    with pytest.raises(ValueError, match="initial.*alpha0|alpha0.*initial"):
        net.energies(t, initial=GaussianState.coherent([0.3]))


@pytest.mark.parametrize(
    "bad, match",
    [
        (GaussianState.vacuum(2), r"initial has 2 modes but the network has 1"),
        (DuckState([0.1, 0.2], np.zeros((2, 2)), np.zeros((2, 2))), r"initial has 2 modes"),
        (object(), r"initial must be a Gaussian state"),
        ("vacuum", r"initial must be a Gaussian state"),
        (DuckState([np.nan], [[0.0]], [[0.0]]), r"initial\.amplitudes must be finite"),
        (DuckState([0.0], [[-0.5]], [[0.0]]), r"initial is not a quantum state"),
        (DuckState([0.0], [[0.1]], [[0.5]]), r"initial is not a quantum state"),
        (DuckState([0.0], [[0.1j]], [[0.0]]), r"initial\.N must be Hermitian"),
    ],
)
def test_bad_initial_states_raise_naming_initial(bad, match):
    net = one_mode()
    for method in (net.amplitudes, net.occupations, net.energies, net.fluctuations, net.covariance,
                   net.power, net.moments):
        with pytest.raises(ValueError, match=match):
            method([1.0], initial=bad)
    with pytest.raises(ValueError, match=match):
        net.ergotropy([1.0], 0, initial=bad)
