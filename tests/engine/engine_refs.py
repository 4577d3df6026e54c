"""Independent reference routes for the engine tests (not a test module).

- :func:`mp_moments`: the moments at one time in 40-digit arithmetic (mpmath), from the
  exponentials of augmented generators: ``[[A, b], [0, 0]]`` for the means and the vectorised
  ``[[L, vec Q], [0, 0]]`` for the fluctuations, so no growing exponential and no inverse is
  involved and nothing is shared with the engine's propagation code.
- :func:`ode_moments`: the moment equations integrated by ``solve_ivp`` (DOP853, tight tolerances).
- :func:`random_state`: a physical Gaussian state built from single-mode squeezed thermal states
  and a passive (unitary) mixing, independent of :mod:`nrqb.engine.states`.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
from scipy.integrate import solve_ivp


def _mpm(X):
    X = np.atleast_2d(np.asarray(X, complex))
    return mp.matrix([[mp.mpc(x.real, x.imag) for x in row] for row in X])


def _np(X):
    return np.array([[complex(X[i, j]) for j in range(X.cols)] for i in range(X.rows)])


def mp_moments(net, t, alpha0=None, N0=None, M0=None, dps=30):
    """``(alpha, N, M)`` of ``net`` at time ``t`` in ``dps``-digit arithmetic (default 30)."""
    A = net.drift
    n = A.shape[0]
    b = -1j * net.drive
    Q, P = net.noise
    a0 = np.zeros(n, complex) if alpha0 is None else np.asarray(alpha0, complex)
    N0 = np.zeros((n, n), complex) if N0 is None else np.asarray(N0, complex)
    M0 = np.zeros((n, n), complex) if M0 is None else np.asarray(M0, complex)
    with mp.workdps(dps):
        tt = mp.mpf(float(t))
        B = np.zeros((n + 1, n + 1), complex)
        B[:n, :n] = A
        B[:n, n] = b
        EB = mp.expm(_mpm(B) * tt)
        v = EB * _mpm(np.append(a0, 1.0).reshape(-1, 1))
        alpha = _np(v)[:n, 0]
        I = np.eye(n)
        out = []
        for F, S, X0 in ((A.conj(), Q, N0), (A, P, M0)):
            if not np.any(S) and not np.any(X0):
                out.append(np.zeros((n, n), complex))
                continue
            L = np.kron(F, I) + np.kron(I, A)  # row-major vec of F X + X A^T
            B = np.zeros((n * n + 1, n * n + 1), complex)
            B[: n * n, : n * n] = L
            B[: n * n, -1] = S.ravel()
            EB = mp.expm(_mpm(B) * tt)
            v = EB * _mpm(np.append(X0.ravel(), 1.0).reshape(-1, 1))
            out.append(_np(v)[: n * n, 0].reshape(n, n))
    return alpha, out[0], out[1]


def ode_moments(net, times, alpha0=None, N0=None, M0=None, rtol=1e-12, atol=1e-14):
    """``(alpha, N, M)`` on sorted ``times`` from ``solve_ivp`` (DOP853) of the moment equations."""
    A = net.drift
    n = A.shape[0]
    b = -1j * net.drive
    Q, P = net.noise
    a0 = np.zeros(n, complex) if alpha0 is None else np.asarray(alpha0, complex)
    N0 = np.zeros((n, n), complex) if N0 is None else np.asarray(N0, complex)
    M0 = np.zeros((n, n), complex) if M0 is None else np.asarray(M0, complex)

    def rhs(_, y):
        al = y[:n]
        N = y[n:n + n * n].reshape(n, n)
        M = y[n + n * n:].reshape(n, n)
        return np.concatenate([A @ al + b, (A.conj() @ N + N @ A.T + Q).ravel(), (A @ M + M @ A.T + P).ravel()])

    y0 = np.concatenate([a0, N0.ravel(), M0.ravel()])
    times = np.asarray(times, float)
    sol = solve_ivp(rhs, (0.0, float(times[-1])), y0, t_eval=times, method="DOP853", rtol=rtol, atol=atol)
    y = sol.y.T
    return y[:, :n], y[:, n:n + n * n].reshape(-1, n, n), y[:, n + n * n:].reshape(-1, n, n)


class DuckState:
    """A Gaussian state given only by the attributes of the contract (duck typing)."""

    def __init__(self, amplitudes, N, M):
        self.amplitudes = np.asarray(amplitudes, complex)
        self.N = np.asarray(N, complex)
        self.M = np.asarray(M, complex)
        self.n_modes = len(self.amplitudes)


def random_state(n, rng, *, max_r=0.8, max_nth=1.0, max_alpha=1.0):
    """A random physical n-mode Gaussian state: squeezed thermal modes, a random unitary mixing
    ``a -> U a`` (``N -> conj(U) N U^T``, ``M -> U M U^T``) and a displacement."""
    r = max_r * rng.random(n)
    th = 2 * np.pi * rng.random(n)
    nth = max_nth * rng.random(n)
    N = np.diag(nth * np.cosh(2 * r) + np.sinh(r) ** 2).astype(complex)
    M = np.diag((nth + 0.5) * np.sinh(2 * r) * np.exp(1j * th))
    Z = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    U, _ = np.linalg.qr(Z)
    N = U.conj() @ N @ U.T
    M = U @ M @ U.T
    alpha = max_alpha * (rng.normal(size=n) + 1j * rng.normal(size=n))
    return DuckState(alpha, 0.5 * (N + N.conj().T), 0.5 * (M + M.T))
