"""Steady states: the linear solve for the amplitudes and Lyapunov equations for the fluctuations."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

__all__ = ["solve_alpha_ss", "fluctuations_ss"]


def solve_alpha_ss(A: np.ndarray, F: np.ndarray) -> np.ndarray:
    """Steady amplitudes: ``A alpha = i F`` (sparse LU for large sparse drifts)."""
    if A.shape[0] > 48 and np.count_nonzero(A) <= 0.1 * A.size:
        import scipy.sparse as sps
        from scipy.sparse.linalg import spsolve

        return np.asarray(spsolve(sps.csc_matrix(A), 1j * F), complex)
    return np.linalg.solve(A, 1j * F)


def fluctuations_ss(A: np.ndarray, Q: np.ndarray, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Steady fluctuations: ``conj(A) N + N A^T + Q = 0`` and ``A M + M A^T + P = 0``."""
    N = sla.solve_continuous_lyapunov(A.conj(), -Q) if np.any(Q) else np.zeros_like(A)
    M = sla.solve_sylvester(A, A.T, -P) if np.any(P) else np.zeros_like(A)
    N = 0.5 * (N + N.conj().T)
    M = 0.5 * (M + M.T)
    return N, M
