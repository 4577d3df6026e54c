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
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by the caller
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
        ``conj(A) N + N A^T + Q = 0`` (Hermitian ``N``) and ``A M + M A^T + P = 0`` (symmetric
        ``M``) for the drift ``A - i omega0``, both by Bartels-Stewart from one complex Schur
        form of ``A`` (LAPACK ``ztrsyl`` for the two triangular Sylvester equations); zero when
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
    A = _square(A, "A")
    Q = _finite_array(Q, "Q")
    P = _finite_array(P, "P")
    for name, X in (("Q", Q), ("P", P)):
        if X.shape != A.shape:
            raise ValueError(f"{name} must have the shape of A, {A.shape}, got {X.shape}")
    from .validation import real as _real

    omega0 = _real(omega0, "omega0")
    N, M, _ = _lyapunov_pair(A, Q, P, omega0)
    return N, M


def _schur(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Complex Schur form of ``A / s`` (``s`` a power of two near its largest entry): ``(T, U, s)``."""
    s = _scale(A)
    T, U = sla.schur(A / s, output="complex")
    return T, U, s


#: block size below which the triangular Sylvester equations go to LAPACK's (unblocked) ``ztrsyl``
_SYL_BLOCK = 64


def _trsyl(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``X`` with ``a X + X b^H = c`` for upper triangular ``a`` (m, m) and ``b`` (n, n).

    Recursive blocking (Jonsson and Kagstrom, ACM TOMS 28, 392 (2002)): split the larger side,
    solve the trailing block, update the leading block with one matrix product, recurse; LAPACK
    ``ztrsyl`` on blocks of at most ``_SYL_BLOCK``.  The products make it a level-3 algorithm
    (LAPACK's own ``ztrsyl`` is level 2 and ten times slower at ``n = 900``).
    """
    m, n = c.shape
    if m <= _SYL_BLOCK and n <= _SYL_BLOCK:
        X, scale, info = sla.lapack.ztrsyl(a, b, c, trana="N", tranb="C")
        if info < 0:  # pragma: no cover - arguments built here
            raise RuntimeError(f"ztrsyl: argument {-info} illegal")
        if info == 1 or scale == 0 or not np.all(np.isfinite(X)):
            raise ValueError(
                "A: the steady state is not resolved in double precision (an eigenvalue sum of the "
                "Lyapunov equation vanishes relative to the scale of the drift)"
            )
        return X / scale
    if m >= n:
        h = m // 2
        X2 = _trsyl(a[h:, h:], b, c[h:])
        X1 = _trsyl(a[:h, :h], b, c[:h] - a[:h, h:] @ X2)
        return np.vstack([X1, X2])
    h = n // 2
    # b^H = [[b11^H, 0], [b12^H, b22^H]]: the second column block first
    X2 = _trsyl(a, b[h:, h:], c[:, h:])
    X1 = _trsyl(a, b[:h, :h], c[:, :h] - X2 @ b[:h, h:].conj().T)
    return np.hstack([X1, X2])


def _lyapunov_pair(A: np.ndarray, Q: np.ndarray, P: np.ndarray, omega0: float = 0.0, schur=None):
    """Both Lyapunov equations from ONE complex Schur form ``A / s = U T U^H`` (Bartels-Stewart).

    With ``N = conj(U) Y U^T``: ``conj(T) Y + Y T^T = -U^T Q conj(U) / s``; with ``M = U Z U^T``:
    ``(T - 2 i omega0 / s) Z + Z T^T = -U^H P conj(U) / s``; both triangular Sylvester equations
    (``ztrsyl`` with ``T^T = conj(T)^H``).  Returns ``(N, M, (T, U, s))``.
    """
    n = A.shape[0]
    hasQ, hasP = bool(np.any(Q)), bool(np.any(P))
    if not hasQ and not hasP:
        return np.zeros_like(A, dtype=complex), np.zeros_like(A, dtype=complex), schur
    T, U, s = _schur(A) if schur is None else schur
    Tc = T.conj()
    if hasQ:
        Y = _trsyl(Tc, Tc, -(U.T @ Q @ U.conj()) / s)
        N = U.conj() @ Y @ U.T
    else:
        N = np.zeros((n, n), complex)
    if hasP:
        shift = 2.0 * omega0 / s
        if np.isfinite(shift):
            Z = _trsyl(T - 1j * shift * np.eye(n), Tc, -(U.conj().T @ P @ U.conj()) / s)
            M = U @ Z @ U.T
        else:  # a common detuning beyond the range of the drift's own scale: scale the M equation alone
            import warnings

            Ams = A - 2j * omega0 * np.eye(n)
            sM = _scale(Ams)
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                try:
                    M = sla.solve_sylvester(Ams / sM, A.T / sM, -P / sM)
                except RuntimeWarning as exc:
                    raise ValueError(
                        "A: the steady state is not resolved in double precision (an eigenvalue sum of "
                        f"the Lyapunov equation vanishes relative to the scale of the drift: {exc})"
                    ) from exc
    else:
        M = np.zeros((n, n), complex)
    N = 0.5 * (N + N.conj().T)
    M = 0.5 * (M + M.T)
    return N, M, (T, U, s)
