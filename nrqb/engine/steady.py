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


def _scale(A: np.ndarray) -> float:
    """A power of two near the largest entry of ``A`` (exact rescaling), or 1."""
    m = float(np.max(np.abs(A)))
    return float(2.0 ** np.round(np.log2(m))) if m > 0 else 1.0


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
    sigma = _scale(A)  # A alpha = i F is homogeneous: solve with A / sigma, F / sigma
    A, F = A / sigma, F / sigma
    if A.shape[0] > 48 and np.count_nonzero(A) <= 0.1 * A.size:
        import scipy.sparse as sps
        from scipy.sparse.linalg import spsolve

        return np.asarray(spsolve(sps.csc_matrix(A), 1j * F), complex)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by the caller
        return np.linalg.solve(A, 1j * F)


def fluctuations_ss(A, Q, P, *, omega0: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Steady fluctuations from the Lyapunov equations of the module docstring of :mod:`nrqb.engine.network`.

    Parameters
    ----------
    A : (n, n) array_like
        Stable drift, written in the frame rotating at ``omega0``: the drift of the network is
        ``A - i omega0``.  (``N`` does not see a common frequency; the equation for ``M`` is
        solved as ``(A - 2 i omega0) M + M A^T = -P``, well separated from zero when the
        common detuning ``omega0`` is large.)
    Q, P : (n, n) array_like
        Diffusion matrices of ``dN/dt`` and ``dM/dt``.
    omega0 : float, optional
        Common detuning taken out of ``A`` (default 0).

    Returns
    -------
    N, M : ndarray (n, n), complex
        ``conj(A) N + N A^T + Q = 0`` (Hermitian ``N``, Bartels-Stewart:
        :func:`scipy.linalg.solve_continuous_lyapunov`) and ``A M + M A^T + P = 0`` (symmetric
        ``M``, :func:`scipy.linalg.solve_sylvester`) for the drift ``A - i omega0``; zero when
        the source is zero.

    Raises
    ------
    ValueError
        When the solvers find eigenvalue sums that vanish relative to the scale of ``A`` (a
        decay rate that double precision does not resolve): SciPy would perturb the equation
        and return a wrong steady state.

    References
    ----------
    Liu et al., Eqs. (A1)-(A7) at ``d/dt = 0``; Gardiner and Zoller, *Quantum Noise*, ch. 3.
    """
    import warnings

    A = _square(A, "A")
    Q = _finite_array(Q, "Q")
    P = _finite_array(P, "P")
    for name, X in (("Q", Q), ("P", P)):
        if X.shape != A.shape:
            raise ValueError(f"{name} must have the shape of A, {A.shape}, got {X.shape}")
    from .validation import real as _real

    omega0 = _real(omega0, "omega0")
    # the equations are homogeneous in (A, Q, P): solve them at unit scale (rates near 1e-300)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            sN = _scale(A)
            N = sla.solve_continuous_lyapunov(A.conj() / sN, -Q / sN) if np.any(Q) else np.zeros_like(A)
            Ams = A - 2j * omega0 * np.eye(A.shape[0])
            sM = _scale(Ams)
            M = sla.solve_sylvester(Ams / sM, A.T / sM, -P / sM) if np.any(P) else np.zeros_like(A)
        except RuntimeWarning as exc:
            raise ValueError(
                "A: the steady state is not resolved in double precision (an eigenvalue sum of the "
                f"Lyapunov equation vanishes relative to the scale of the drift: {exc})"
            ) from exc
    N = 0.5 * (N + N.conj().T)
    M = 0.5 * (M + M.T)
    return N, M
