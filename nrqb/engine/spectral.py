"""Fluctuations of large noisy networks in the eigenbasis of the drift: one product per time.

For a stable drift with a well-conditioned eigendecomposition ``A = S diag(lambda) W``
(``W = S^{-1}``), the fluctuation equations of :mod:`nrqb.engine.network`,
``dN/dt = conj(A) N + N A^T + Q`` and ``dM/dt = A M + M A^T + P``, decouple entry by entry in
the transformed moments ``N = conj(S) N' S^T`` and ``M = S M' S^T``:

    N'_kl(t) = e^{nu_kl t} N'_kl(0) + Q'_kl (e^{nu_kl t} - 1) / nu_kl,     nu_kl = conj(lambda_k) + lambda_l,
    M'_kl(t) = e^{mu_kl t} M'_kl(0) + P'_kl (e^{mu_kl t} - 1) / mu_kl,     mu_kl = lambda_k + lambda_l,

with ``Q' = conj(W) Q W^T`` and ``P' = W P W^T``.  ``(e^z - 1)/z`` is evaluated with ``expm1``,
so nothing cancels at early times, and ``Re nu < 0`` (a stable drift) makes every exponential
decay: ``t = 1e100`` gives the steady state ``N'_ss = -Q'/nu``.  The diagonal
``N_jj = sum_kl conj(S_jk) N'_kl S_jl`` costs one triangular matrix product per time
(``N' = U + U^H`` with ``U`` upper triangular), instead of the two full products and the
propagator of stepping; the rows of a few modes cost ``O(m n^2)`` per time.

Which decomposition: a network whose damping matrix is a multiple of the identity (uniform
local losses, no shared reservoir) has a normal drift ``A = -i h - k/2``: the eigenvectors of
``h`` (:func:`numpy.linalg.eigh`, real when ``h`` is real) are exactly unitary.  Otherwise the
eigenvectors of ``A`` are used when their condition number ``||S||_2 ||W||_2`` is at most
``SPECTRAL_COND`` (the error of the transformed moments grows as its square); near an
exceptional point, and for one-way drifts with equal rates (defective), they are not, and the
engine steps the moments instead (:mod:`nrqb.engine.propagation`).

References
----------
C. Gardiner and P. Zoller, *Quantum Noise* (Springer), ch. 3 (linear quantum stochastic
equations); N. J. Higham, *Functions of Matrices* (SIAM, 2008), ch. 10 and 11 (the ``phi_1``
function ``(e^z - 1)/z``, conditioning of eigendecompositions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import finite_array as _finite_array, times_1d as _times_1d

__all__ = ["SPECTRAL_COND", "Spectral"]

#: largest condition number ``||S||_2 ||S^{-1}||_2`` of the eigenvectors for which the eigenbasis is
#: used (the transformed moments carry errors of about ``eps * cond^2``, ``1e-12`` here)
SPECTRAL_COND = 100.0


def _phi(z: np.ndarray, t: float, ez: np.ndarray) -> np.ndarray:
    """``(e^{z t} - 1) / z`` entrywise (``z != 0``) given ``ez = e^{z t}``, without cancellation.

    ``ez - 1`` where ``|z t| >= 1/2`` (at most one digit lost), ``expm1(z t)`` elsewhere.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        num = ez - 1.0
        small = np.abs(z) * t < 0.5
        if np.any(small):
            num[small] = np.expm1(z[small] * t)
        return num / z


def _norm2(X: np.ndarray, steps: int = 30) -> float:
    """``||X||_2`` by power iteration on ``X^H X`` (an estimate from below, converged to a few
    digits: enough for the threshold ``SPECTRAL_COND``); ``O(n^2)`` per step, no SVD."""
    v = np.ones(X.shape[1], complex) / np.sqrt(X.shape[1])
    v[1::2] *= 1j  # not orthogonal to the top singular vector of a real symmetric pattern
    sigma = 0.0
    for _ in range(steps):
        w = X.conj().T @ (X @ v)
        nw = float(np.linalg.norm(w))
        if nw == 0.0 or not np.isfinite(nw):
            return nw
        sigma, v = np.sqrt(nw), w / nw
    return sigma


def _mm(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B``, as two real products when one factor is real (half the work of a complex one)."""
    if np.isrealobj(A) and not np.isrealobj(B):
        return A @ B.real + 1j * (A @ B.imag)
    if np.isrealobj(B) and not np.isrealobj(A):
        return A.real @ B + 1j * (A.imag @ B)
    return A @ B


def _inverse_if_well_conditioned(M: np.ndarray, lam: np.ndarray, V: np.ndarray) -> np.ndarray | None:
    """``V^{-1}`` if the eigenvectors ``V`` of ``M`` are usable, else ``None``.

    Usable: finite, invertible, condition number at most ``SPECTRAL_COND``, and reproducing ``M``
    (``||M V - V diag(lam)|| <= 1e-12 ||M|| ||V||``).
    """
    if not np.all(np.isfinite(V)):
        return None
    try:
        Vi = np.linalg.inv(V)
    except np.linalg.LinAlgError:
        return None
    cond = _norm2(V) * _norm2(Vi)
    if not np.isfinite(cond) or cond > SPECTRAL_COND:
        return None
    if np.linalg.norm(M @ V - V * lam) > 1e-12 * np.linalg.norm(M) * np.linalg.norm(V):
        return None
    return Vi


class Spectral:
    """The eigendecomposition of a stable drift and the moments in its eigenbasis.

    Parameters
    ----------
    S : (n, n) complex
        Eigenvectors (columns).
    W : (n, n) complex
        ``S^{-1}``.
    lam : (n,) complex
        Eigenvalues (all with negative real part).

    Notes
    -----
    Build it with :meth:`of`, which chooses the decomposition and refuses an ill-conditioned
    one (module docstring).
    """

    def __init__(self, S: Any, W: Any, lam: Any) -> None:
        S = _finite_array(S, "S")
        W = _finite_array(W, "W")
        lam = _finite_array(lam, "lam")
        n = len(lam)
        if lam.shape != (n,) or S.shape != (n, n) or W.shape != (n, n):
            raise ValueError(f"S and W must be ({n}, {n}) for {n} eigenvalues lam, got {S.shape}, {W.shape}")
        if np.any(lam.real >= 0):
            raise ValueError("lam: every eigenvalue must have a negative real part (a stable drift)")
        self._set(S, W, lam, real=False, unitary=False)

    @classmethod
    def of(cls, A: np.ndarray, h: np.ndarray, K: np.ndarray, omega0: float = 0.0) -> "Spectral | None":
        """The eigendecomposition of the drift ``A = -i h - K/2``, or ``None`` if ill-conditioned.

        Parameters
        ----------
        A, h, K : (n, n) arrays
            Drift, Hamiltonian and damping matrix of a stable network, in the frame rotating
            at a common detuning ``omega0`` (``A = A_true + i omega0``, ``h = h_true - omega0``):
            ``nu`` does not see ``omega0``, and ``mu`` gets ``-2 i omega0`` exactly.
        omega0 : float, optional
            The common detuning taken out (default 0).

        Returns
        -------
        Spectral or None
            Unitary eigenvectors of ``h`` when ``K`` is a multiple of the identity; else the
            eigenvectors of ``A`` when their condition number is at most ``SPECTRAL_COND`` and
            they reproduce ``A`` (``||A S - S diag(lam)|| <= 1e-12 ||A|| ||S||``); else ``None``.
        """
        n = A.shape[0]
        k = float(np.real(K[0, 0]))
        if np.all(K == np.diag(np.full(n, K[0, 0]))) and k > 0:
            if np.all(np.imag(h) == 0):
                w, U = np.linalg.eigh(np.real(h))
                obj = cls.__new__(cls)
                obj._set(U.astype(float), U.T.astype(float), -1j * w - 0.5 * k, real=True, unitary=True, omega0=omega0)
                return obj
            w, U = np.linalg.eigh(h)
            obj = cls.__new__(cls)
            obj._set(U, U.conj().T, -1j * w - 0.5 * k, real=False, unitary=True, omega0=omega0)
            return obj
        lam, S = np.linalg.eig(A)
        if np.any(lam.real >= 0):
            return None
        W = _inverse_if_well_conditioned(A, lam, S)
        if W is None:
            return None
        obj = cls.__new__(cls)
        obj._set(S, W, lam, real=False, unitary=False, omega0=omega0)
        return obj

    @classmethod
    def from_schur(cls, T: np.ndarray, U: np.ndarray, s: float, omega0: float = 0.0) -> "Spectral | None":
        """The eigendecomposition from a complex Schur form ``A / s = U T U^H``, or ``None``.

        The eigenvectors of the triangular ``T`` cost a fraction of those of ``A``; ``S = U Y``
        has the condition number of ``Y``, checked against ``SPECTRAL_COND``.
        """
        lamT, Y = np.linalg.eig(T)
        Yi = _inverse_if_well_conditioned(T, lamT, Y)
        if Yi is None:
            return None
        lam = s * lamT
        if np.any(lam.real >= 0):
            return None
        obj = cls.__new__(cls)
        obj._set(U @ Y, Yi @ U.conj().T, lam, real=False, unitary=False, omega0=omega0)
        return obj

    def _set(self, S, W, lam, real: bool, unitary: bool, omega0: float = 0.0) -> None:
        self.S, self.W, self.lam, self.real, self.unitary = S, W, lam, real, unitary
        self._omega0 = omega0
        self.nu = np.conj(lam)[:, None] + lam[None, :]
        self.mu = lam[:, None] + lam[None, :] - 2j * omega0

    # ------------------------------------------------------------------ transforms
    def to_normal(self, X: np.ndarray) -> np.ndarray:
        """``conj(W) X W^T`` (a normal-ordered moment or source into the eigenbasis)."""
        W = self.W
        return _mm(_mm(W.conj(), X), W.T)

    def to_anomalous(self, X: np.ndarray) -> np.ndarray:
        """``W X W^T`` (an anomalous moment or source into the eigenbasis)."""
        W = self.W
        return _mm(_mm(W, X), W.T)

    def steady(self, Qp: np.ndarray, Pp: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Steady ``(N, M)`` from the transformed sources: ``N'_ss = -Q'/nu``, ``M'_ss = -P'/mu``."""
        S = self.S
        N = _mm(_mm(S.conj(), -Qp / self.nu), S.T)
        M = None if Pp is None else _mm(_mm(S, -Pp / self.mu), S.T)
        return N, M

    def _decay(self, t: float, conj_left: bool) -> np.ndarray:
        """``e^{nu t}`` (``conj_left``) or ``e^{mu t}`` as an outer product of ``e^{lambda t}``."""
        with np.errstate(under="ignore"):
            e = np.exp(self.lam * t)
        left = np.conj(e) if conj_left else e * np.exp(-2j * self._omega0 * t) if self._omega0 else e
        return left[:, None] * e[None, :]

    def normal_at(self, t: float, Qp: np.ndarray, N0p: np.ndarray | None) -> np.ndarray:
        """``N'(t)`` in the eigenbasis (Hermitian)."""
        if t == np.inf:
            return -Qp / self.nu
        with np.errstate(under="ignore"):
            ez = self._decay(t, True)
            out = Qp * _phi(self.nu, t, ez)
            if N0p is not None:
                out = out + ez * N0p
        return out

    def anomalous_at(self, t: float, Pp: np.ndarray | None, M0p: np.ndarray | None) -> np.ndarray:
        """``M'(t)`` in the eigenbasis (symmetric); ``Pp`` or ``M0p`` ``None`` for zero."""
        n = len(self.lam)
        if t == np.inf:
            return np.zeros((n, n), complex) if Pp is None else -Pp / self.mu
        with np.errstate(under="ignore"):
            ez = self._decay(t, False)
            out = np.zeros((n, n), complex) if Pp is None else Pp * _phi(self.mu, t, ez)
            if M0p is not None:
                out = out + ez * M0p
        return out

    # ------------------------------------------------------------------ observables
    def normal_diag(self, ts: Any, Qp: np.ndarray, N0p: np.ndarray | None = None) -> np.ndarray:
        """``N_jj(t)`` for every mode at every time: one triangular product per time.

        Parameters
        ----------
        ts : array_like
            Times ``t >= 0`` (``inf``: the steady state).
        Qp : (n, n) complex
            ``Q' = conj(W) Q W^T`` (:meth:`to_normal`).
        N0p : (n, n) complex, optional
            ``N'(0)`` (:meth:`to_normal` of ``N(0)``); default zero.

        Returns
        -------
        ndarray (T, n), real
            ``N_jj = 2 Re sum_kl conj(S_jk) U_kl S_jl`` with ``U`` the upper triangle of ``N'``
            (its diagonal halved): ``N' = U + U^H``.
        """
        ts = _times_1d(ts, allow_inf=True, nonnegative=True, name="ts")
        S = self.S
        out = np.empty((len(ts), S.shape[0]))
        for k, t in enumerate(ts):
            Np = self.normal_at(float(t), Qp, N0p)
            if self.real:
                # S real: the imaginary part of N' (antisymmetric) drops out of sum S_jk S_jl N'_kl
                U = np.triu(Np.real, 1)
                U[np.diag_indices_from(U)] = 0.5 * np.real(np.diag(Np))
                out[k] = 2.0 * np.sum(_right_triangular(S, U) * S, axis=1)
            else:
                U = np.triu(Np, 1)
                U[np.diag_indices_from(U)] = 0.5 * np.real(np.diag(Np))
                out[k] = 2.0 * np.real(np.sum(_right_triangular(S.conj(), U) * S, axis=1))
        return out

    def rows(self, t: float, J: np.ndarray, Qp, N0p, Pp, M0p) -> tuple[np.ndarray, np.ndarray]:
        """``N_JJ(t)`` and ``M_JJ(t)`` of the modes ``J``: ``O(len(J) n^2)``."""
        SJ = self.S[J]
        N = SJ.conj() @ self.normal_at(t, Qp, N0p) @ SJ.T
        if Pp is None and M0p is None:
            return N, np.zeros_like(N)
        return N, SJ @ self.anomalous_at(t, Pp, M0p) @ SJ.T


def _right_triangular(B: np.ndarray, U: np.ndarray) -> np.ndarray:
    """``B @ U`` for an upper triangular ``U`` (BLAS ``trmm``: half the work of a full product)."""
    from scipy.linalg import blas

    if np.isrealobj(B) and np.isrealobj(U):
        # B U = (U^T B^T)^T: C-ordered arrays are the Fortran-ordered transposes, no copies
        return blas.dtrmm(1.0, U.T, B.T, side=0, lower=1).T
    if np.isrealobj(B):
        return _right_triangular(B, U.real) + 1j * _right_triangular(B, np.ascontiguousarray(U.imag))
    return blas.ztrmm(1.0, U.T, np.asarray(B, complex).T, side=0, lower=1).T
