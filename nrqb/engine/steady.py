"""Steady states: the linear solve for the amplitudes and Lyapunov equations for the fluctuations.

Both functions assume a stable drift (:meth:`nrqb.LinearNetwork.is_stable`); the network
checks that before calling them.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from .validation import finite_array as _finite_array

__all__ = ["solve_alpha_ss", "fluctuations_ss"]


def _square(A, name: str) -> np.ndarray:
    A = _finite_array(A, name)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a square (n, n) matrix, got shape {A.shape}")
    return A


def solve_alpha_ss(A, F) -> np.ndarray:
    """Steady amplitudes of ``d<a>/dt = A <a> - i F``: the solution of ``A alpha = i F``.

    Parameters
    ----------
    A : (n, n) array_like
        Stable drift.
    F : (n,) array_like
        Drive amplitudes.

    Returns
    -------
    ndarray (n,), complex
        Dense LU (:func:`numpy.linalg.solve`), or sparse LU for large sparse drifts
        (``n > 48`` with at most 10 % non-zeros).

    References
    ----------
    Ahmadi et al., Eq. (2) at ``d/dt = 0``.
    """
    A = _square(A, "A")
    F = _finite_array(F, "F")
    if F.shape != (A.shape[0],):
        raise ValueError(f"F must have shape ({A.shape[0]},), got {F.shape}")
    if not np.any(F):
        return np.zeros(A.shape[0], complex)
    if A.shape[0] > 48 and np.count_nonzero(A) <= 0.1 * A.size:
        import scipy.sparse as sps
        from scipy.sparse.linalg import spsolve

        return np.asarray(spsolve(sps.csc_matrix(A), 1j * F), complex)
    return np.linalg.solve(A, 1j * F)


def fluctuations_ss(A, Q, P) -> tuple[np.ndarray, np.ndarray]:
    """Steady fluctuations from the Lyapunov equations of the module docstring of :mod:`nrqb.engine.network`.

    Parameters
    ----------
    A : (n, n) array_like
        Stable drift.
    Q, P : (n, n) array_like
        Diffusion matrices of ``dN/dt`` and ``dM/dt``.

    Returns
    -------
    N, M : ndarray (n, n), complex
        ``conj(A) N + N A^T + Q = 0`` (Hermitian ``N``, Bartels-Stewart:
        :func:`scipy.linalg.solve_continuous_lyapunov`) and ``A M + M A^T + P = 0`` (symmetric
        ``M``, :func:`scipy.linalg.solve_sylvester`); zero when the source is zero.

    References
    ----------
    Liu et al., Eqs. (A1)-(A7) at ``d/dt = 0``; Gardiner and Zoller, *Quantum Noise*, ch. 3.
    """
    A = _square(A, "A")
    Q = _finite_array(Q, "Q")
    P = _finite_array(P, "P")
    for name, X in (("Q", Q), ("P", P)):
        if X.shape != A.shape:
            raise ValueError(f"{name} must have the shape of A, {A.shape}, got {X.shape}")
    N = sla.solve_continuous_lyapunov(A.conj(), -Q) if np.any(Q) else np.zeros_like(A)
    M = sla.solve_sylvester(A, A.T, -P) if np.any(P) else np.zeros_like(A)
    N = 0.5 * (N + N.conj().T)
    M = 0.5 * (M + M.T)
    return N, M
