"""Time propagation of the moment equations: matrix exponentials, exact at exceptional points."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

__all__ = ["propagators", "expm_stack", "sparse_amplitudes", "van_loan"]


def van_loan(F: np.ndarray, G: np.ndarray, Q: np.ndarray, t: float) -> np.ndarray:
    """``X(t) = int_0^t e^{F s} Q e^{G s} ds`` by one block exponential (Van Loan, 1978)."""
    n = F.shape[0]
    if not np.any(Q):
        return np.zeros((n, n), complex)
    B = np.zeros((2 * n, 2 * n), complex)
    B[:n, :n] = F
    B[:n, n:] = Q
    B[n:, n:] = -G
    E = sla.expm(B * t)
    # E[:n, n:] = int_0^t e^{F(t-s)} Q e^{-G s} ds ;  multiply by e^{G t} = inv(E[n:, n:])
    return np.linalg.solve(E[n:, n:].T, E[:n, n:].T).T


def propagators(A: np.ndarray, t: np.ndarray):
    """Yield ``(index, expm(A t_k))`` for every time, robust at exceptional points.

    Small networks get one ``expm`` per time.  Larger ones step through the sorted times,
    reusing one step propagator when the grid is uniform.
    """
    n = A.shape[0]
    if n <= 48:
        stack = expm_stack(A, t)
        for k in range(len(t)):
            yield k, stack[k]
        return
    order = np.argsort(t)
    ts = t[order]
    steps = np.diff(ts)
    uniform = len(steps) > 0 and np.allclose(steps, steps[0], rtol=1e-12, atol=1e-14 * max(1.0, abs(ts[-1])))
    step = sla.expm(A * steps[0]) if uniform else None
    E = sla.expm(A * ts[0])
    for i, k in enumerate(order):
        if i > 0:
            E = (step if uniform else sla.expm(A * steps[i - 1])) @ E
        yield k, E


def expm_stack(A: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``expm(A t_k)`` stacked, shape (len(t), n, n), for small networks.

    On a uniform grid ``t_k = t_0 + k dt`` one step propagator is raised to all powers by
    repeated doubling (``log2(len(t))`` batched products); otherwise one ``expm`` per time.
    Both are exact at exceptional points, where the eigenvectors of ``A`` are useless.
    """
    K = len(t)
    steps = np.diff(t)
    if K < 3 or np.max(np.abs(steps - steps[0])) > 1e-12 * abs(steps[0]) + 1e-15 * max(1.0, abs(t[-1])):
        return np.array([sla.expm(A * tk) for tk in t]) if K else np.empty((0, A.shape[0], A.shape[0]), complex)
    dt = (t[-1] - t[0]) / (K - 1)
    out = np.empty((K, A.shape[0], A.shape[0]), complex)
    out[0] = np.eye(A.shape[0])
    out[1] = sla.expm(A * dt)
    filled = 2
    while filled < K:
        m = min(filled - 1, K - filled)
        out[filled:filled + m] = out[filled - 1] @ out[1:m + 1]
        filled += m
    if t[0] != 0:
        out = out @ sla.expm(A * t[0])
    return out


def sparse_amplitudes(A: np.ndarray, t: np.ndarray, d0: np.ndarray) -> np.ndarray | None:
    """``e^{A t} d0`` for a large sparse drift by Krylov-free Taylor steps (``expm_multiply``)."""
    import scipy.sparse as sps
    from scipy.sparse.linalg import expm_multiply

    if A.shape[0] <= 48 or np.count_nonzero(A) > 0.1 * A.size:
        return None
    As = sps.csr_matrix(A)
    order = np.argsort(t)
    ts = t[order]
    out = np.empty((len(t), A.shape[0]), complex)
    steps = np.diff(ts)
    if len(ts) > 2 and np.allclose(steps, steps[0], rtol=1e-12, atol=0):
        v0 = expm_multiply(As * ts[0], d0) if ts[0] != 0 else d0
        vals = expm_multiply(As, v0, start=0.0, stop=ts[-1] - ts[0], num=len(ts), endpoint=True)
        out[order] = vals
        return out
    v = expm_multiply(As * ts[0], d0) if ts[0] != 0 else d0.copy()
    out[order[0]] = v
    for i in range(1, len(ts)):
        v = expm_multiply(As * steps[i - 1], v) if steps[i - 1] != 0 else v
        out[order[i]] = v
    return out
