"""Every engine observable against an independent route, tight enough to catch a result multiplied
by (1 + 1e-3) or a complex result with its imaginary part's sign flipped.

Routes: closed forms (one detuned mode; a Gaussian state's ergotropy), 40-digit mpmath
exponentials of augmented generators (``engine_refs.mp_moments``), and qutip (Fock space, weak
drive, small squeezing and temperature) for the covariance and the ergotropy.
"""

import numpy as np
import pytest
import qutip as qt
from engine_refs import mp_moments

from nrqb import LinearNetwork, gaussian_ergotropy
from nrqb.engine.gaussian import ergotropy_from_moments, quadrature_covariance
from nrqb.engine.qutip_bridge import mode_operators, reduced_ergotropy

RTOL = 1e-9  # far below the 1e-3 of a mutation


def three_modes():
    """Detuned, complex couplings, a complex shared bath, thermal and squeezed channels."""
    h = np.array([[0.05, 0.02 + 0.03j, 0.0], [0.02 - 0.03j, -0.04, 0.025j], [0.0, -0.025j, 0.02]])
    return LinearNetwork(h, loss=[0.03, 0.01, 0.02], jumps=[(0.04, [1.0, 0.6j, -0.3])],
                         drive=[0.02 + 0.01j, 0.0, -0.015j], n_th=[0.3, 0.1, 0.2, 0.4],
                         squeezing=[(0.2, 0.4), (0.0, 0.0), (0.1, 1.0), (0.3, -0.7)], omega=[1.0, 1.3, 0.8])


def assert_complex_close(got, ref, rtol=RTOL):
    """Real and imaginary parts each to ``rtol`` of the largest entry (a sign flip of Im fails)."""
    got, ref = np.asarray(got), np.asarray(ref)
    scale = np.max(np.abs(ref))
    assert np.max(np.abs(np.imag(ref))) > 1e-3 * scale  # the imaginary parts matter here
    np.testing.assert_allclose(got.real, ref.real, rtol=0, atol=rtol * scale)
    np.testing.assert_allclose(got.imag, ref.imag, rtol=0, atol=rtol * scale)


T = np.array([0.0, 7.0, 60.0, 400.0])


@pytest.fixture(scope="module")
def ref3():
    net = three_modes()
    return net, [mp_moments(net, t) for t in T]


def test_amplitudes_fluctuations_and_moments_against_mpmath(ref3):
    net, ref = ref3
    alpha = net.amplitudes(T)
    N, M = net.fluctuations(T)
    ma, mN, mM = net.moments(T)
    for k in range(1, len(T)):
        ra, rN, rM = ref[k]
        assert_complex_close(alpha[k], ra)
        assert_complex_close(N[k], rN)
        assert_complex_close(M[k], rM)
        assert_complex_close(ma[k], ra)
        assert_complex_close(mN[k], rN)
        assert_complex_close(mM[k], rM)


def test_occupations_energies_and_power_against_mpmath(ref3):
    net, ref = ref3
    occ = net.occupations(T)
    E = net.energies(T)
    for k in range(len(T)):
        ra, rN, _ = ref[k]
        r_occ = np.abs(ra) ** 2 + np.real(np.diag(rN))
        np.testing.assert_allclose(occ[k], r_occ, rtol=RTOL, atol=1e-300)
        np.testing.assert_allclose(E[k], r_occ * net.omega, rtol=RTOL, atol=1e-300)
    # power: a 6th-order central difference of 40-digit energies at t = 60
    h = 0.05
    grid = 60.0 + h * np.arange(-3, 4)
    Eg = np.array([(np.abs(a) ** 2 + np.real(np.diag(N))) * net.omega for a, N, _ in (mp_moments(net, t, dps=20) for t in grid)])
    c = np.array([-1 / 60, 3 / 20, -3 / 4, 0.0, 3 / 4, -3 / 20, 1 / 60])
    np.testing.assert_allclose(net.power([60.0])[0], c @ Eg / h, rtol=1e-8)


def test_steady_state_against_mpmath_far_out(ref3):
    net, _ = ref3
    ss = net.steady_state()
    t_far = 40.0 / -np.max(net.eigenvalues().real)
    ra, rN, rM = mp_moments(net, t_far, dps=30)
    assert_complex_close(ss["amplitudes"], ra)
    assert_complex_close(ss["N"], rN)
    assert_complex_close(ss["M"], rM)
    occ = np.abs(ra) ** 2 + np.real(np.diag(rN))
    np.testing.assert_allclose(ss["occupations"], occ, rtol=RTOL)
    np.testing.assert_allclose(ss["energies"], occ * net.omega, rtol=RTOL)
    np.testing.assert_allclose(ss["covariance"], quadrature_covariance(rN, rM), rtol=0, atol=RTOL)


def test_covariance_and_ergotropy_against_qutip():
    """Fock space (cutoff 8 per mode, truncation error ~1e-8): quadrature covariance and one-mode
    ergotropy at t = 30 and t = 250 (mesolve)."""
    h = np.array([[0.02, 0.03j], [-0.03j, -0.01]])
    net = LinearNetwork(h, loss=[0.2, 0.15], jumps=[(0.1, [1.0, 0.5j])], drive=[0.01, 0.005j],
                        n_th=0.01, squeezing=(0.05, 0.6))
    d = 8
    H, c_ops = net.to_qutip(d)
    a = mode_operators(d, 2)
    quads = []
    for op in a:
        quads += [(op + op.dag()) / np.sqrt(2), (op - op.dag()) / (1j * np.sqrt(2))]
    psi0 = qt.tensor(qt.basis(d, 0), qt.basis(d, 0))
    times = [0.0, 30.0, 250.0]
    res = qt.mesolve(H, psi0, times, c_ops, options={"atol": 1e-10, "rtol": 1e-9})
    V = net.covariance(times)
    for k in (1, 2):
        rho = res.states[k]
        mean = [qt.expect(q, rho) for q in quads]
        Vq = np.array([[np.real(qt.expect(qi * qj + qj * qi, rho)) / 2 - np.real(mean[i] * mean[j])
                        for j, qj in enumerate(quads)] for i, qi in enumerate(quads)])
        np.testing.assert_allclose(V[k], Vq, rtol=0, atol=1e-7)
        for m in (0, 1):
            erg = net.ergotropy([times[k]], m)[0]
            np.testing.assert_allclose(erg, reduced_ergotropy(rho, m), rtol=1e-4)
            assert erg > 1e-4  # the comparison is meaningful (not 0 against 0)


def test_single_mode_steady_state_closed_form():
    D, k, F, nth, r, th = 0.3, 0.2, 0.05 + 0.02j, 0.4, 0.25, 0.7
    net = LinearNetwork([[D]], loss=[k], drive=[F], n_th=nth, squeezing=(r, th), omega=1.7)
    A = -1j * D - k / 2
    Nb = (nth + 0.5) * np.cosh(2 * r) - 0.5
    Mb = (nth + 0.5) * np.sinh(2 * r) * np.exp(-1j * th)
    ss = net.steady_state()
    assert_complex_close(ss["amplitudes"], [1j * F / A])
    assert_complex_close(ss["M"], [[-k * np.conj(Mb) / (2 * A)]])
    np.testing.assert_allclose(ss["N"], [[Nb]], rtol=1e-13)
    occ = abs(1j * F / A) ** 2 + Nb
    np.testing.assert_allclose(ss["occupations"], [occ], rtol=1e-13)
    np.testing.assert_allclose(ss["energies"], [1.7 * occ], rtol=1e-13)
    m = -k * np.conj(Mb) / (2 * A)
    V = [[Nb + 0.5 + m.real, m.imag], [m.imag, Nb + 0.5 - m.real]]
    np.testing.assert_allclose(ss["covariance"], V, rtol=1e-13)
    erg = abs(1j * F / A) ** 2 + Nb + 0.5 - np.sqrt((Nb + 0.5) ** 2 - abs(m) ** 2)
    np.testing.assert_allclose(net.ergotropy(None, 0), [1.7 * erg], rtol=1e-12)
    np.testing.assert_allclose(net.ergotropy([np.inf], 0), [1.7 * erg], rtol=1e-12)


def test_eliminated_drift_with_complex_entries():
    """Keep modes 0, 1 of a three-mode network; mode 2 is lossy.  Independent route: the kept
    modes' steady amplitudes under any drive on the kept modes are those of the full network."""
    h = np.array([[0.01, 0.02 + 0.01j, 0.05j], [0.02 - 0.01j, -0.02, 0.03], [-0.05j, 0.03, 0.1]])
    net = LinearNetwork(h, loss=[0.01, 0.02, 0.5], jumps=[(0.05, [1.0, 0.3j, 0.0])])
    Aeff = net.eliminated_drift([0, 1])
    # closed form of the Schur complement for one eliminated mode
    A = net.drift
    closed = A[:2, :2] - np.outer(A[:2, 2], A[2, :2]) / A[2, 2]
    assert_complex_close(Aeff, closed, rtol=1e-14)
    for F in ([0.1, 0.0], [0.03j, -0.05]):
        full = LinearNetwork(h, loss=[0.01, 0.02, 0.5], jumps=[(0.05, [1.0, 0.3j, 0.0])], drive=F + [0.0])
        assert_complex_close(np.linalg.solve(Aeff, 1j * np.array(F)), full.steady_state()["amplitudes"][:2], rtol=1e-12)
    # the order of keep is respected
    np.testing.assert_array_equal(net.eliminated_drift([1, 0]), Aeff[::-1, ::-1])


@pytest.mark.parametrize("alpha, r, theta, nth", [(0.0, 0.0, 0.0, 2.0), (1.5 - 0.5j, 0.0, 0.0, 0.0),
                                                  (0.3j, 0.4, 1.1, 0.0), (0.7, 0.6, -0.4, 0.8),
                                                  (0.0, 2.0, 0.3, 1e200)])
def test_gaussian_ergotropy_closed_form(alpha, r, theta, nth):
    """A displaced squeezed thermal state: ergotropy |alpha|^2 + (2 n_th + 1) sinh^2 r."""
    n = nth * np.cosh(2 * r) + np.sinh(r) ** 2
    m = (nth + 0.5) * np.sinh(2 * r) * np.exp(1j * theta)
    V = quadrature_covariance(np.array([[n]], complex), np.array([[m]]))
    exact = abs(alpha) ** 2 + (2 * nth + 1) * np.sinh(r) ** 2
    np.testing.assert_allclose(gaussian_ergotropy(alpha, V), exact, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ergotropy_from_moments(alpha, n, m), exact, rtol=1e-12, atol=1e-300)


def test_gaussian_ergotropy_against_qutip_state():
    d = 40
    al, r, th, nth = 0.5 + 0.3j, 0.35, 0.9, 0.2
    xi = r * np.exp(1j * (th + np.pi))
    rho = qt.displace(d, al) * qt.squeeze(d, xi) * qt.thermal_dm(d, nth) * qt.squeeze(d, xi).dag() * qt.displace(d, al).dag()
    a = qt.destroy(d)
    x, p = (a + a.dag()) / np.sqrt(2), (a - a.dag()) / (1j * np.sqrt(2))
    mx, mp_ = qt.expect(x, rho), qt.expect(p, rho)
    V = np.array([[qt.expect(x * x, rho) - mx**2, np.real(qt.expect(x * p + p * x, rho)) / 2 - mx * mp_],
                  [np.real(qt.expect(x * p + p * x, rho)) / 2 - mx * mp_, qt.expect(p * p, rho) - mp_**2]])
    np.testing.assert_allclose(gaussian_ergotropy(qt.expect(a, rho), V), reduced_ergotropy(rho, 0), rtol=1e-9)


def test_extreme_occupations_and_subnormal_detunings_stay_exact():
    """Issue 11: n_th = 1e200 gave ergotropy -inf; a subnormal detuning gave NaN."""
    nth, k, r, th = 1e200, 0.4, 0.3, 0.9
    net = LinearNetwork([[0.1]], loss=[k], n_th=nth, squeezing=(r, th))
    A = -0.1j - k / 2
    Nb = nth * np.cosh(2 * r) + np.sinh(r) ** 2
    m = -k * np.conj((nth + 0.5) * np.sinh(2 * r) * np.exp(-1j * th)) / (2 * A)
    erg_ss = Nb + 0.5 - np.sqrt(Nb + 0.5 - abs(m)) * np.sqrt(Nb + 0.5 + abs(m))
    np.testing.assert_allclose(net.energies([np.inf])[0], [Nb], rtol=1e-13)
    np.testing.assert_allclose(net.ergotropy([np.inf, 1e3], 0), [erg_ss, erg_ss], rtol=1e-10)
    assert erg_ss > 1e198
    for D in (5e-324, 1e-310, 2.2e-308):
        sub = LinearNetwork([[D]], loss=[0.5], drive=[0.1], n_th=0.2)
        t = np.array([0.0, 1.0, 10.0, np.inf])
        exact = 0.01 / 0.0625 * (-np.expm1(-0.25 * t)) ** 2 + 0.2 * -np.expm1(-0.5 * t)
        np.testing.assert_allclose(sub.energies(t)[:, 0], exact, rtol=1e-13, atol=0)
