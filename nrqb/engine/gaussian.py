"""Gaussian states: quadrature covariance matrices and the ergotropy of one mode.

Conventions: quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
ordered ``(x_1, p_1, x_2, p_2, ...)``; ``V_kl = <{dR_k, dR_l}>/2`` so that the vacuum is ``I/2``.
For one mode with ``n = <da^dag da>`` and ``m = <da da>``::

    V = [[n + 1/2 + Re m, Im m], [Im m, n + 1/2 - Re m]],   det V = (n + 1/2)^2 - |m|^2 .
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import finite_array as _finite_array, finite_complex as _finite_complex

__all__ = ["gaussian_ergotropy", "ergotropy_from_moments", "quadrature_covariance"]

#: tolerance of the uncertainty test ``det V >= 1/4`` of :func:`gaussian_ergotropy`, relative to
#: ``(tr V / 2)^2`` (round-off of a pure state stays far below it)
PHYSICAL_TOL = 1e-9


def quadrature_covariance(N: Any, M: Any) -> np.ndarray:
    """Quadrature covariance matrices from the normal and anomalous fluctuation moments.

    Parameters
    ----------
    N, M : (T, n, n) or (n, n) array_like, complex
        ``N_ij = <da_i^dag da_j>`` (Hermitian) and ``M_ij = <da_i da_j>`` (symmetric).

    Returns
    -------
    ndarray, shape (T, 2n, 2n) (or (2n, 2n) for 2-D input), real
        ``V`` in the convention of the module docstring (vacuum ``I/2``):
        ``V_{x_i x_j} = Re(N_ij + M_ij) + delta_ij/2``, ``V_{p_i p_j} = Re(N_ij - M_ij) + delta_ij/2``,
        ``V_{x_i p_j} = Im(N_ij + M_ij)``.
    """
    N = _finite_array(N, "N")
    M = _finite_array(M, "M")
    single = N.ndim == 2
    if single:
        N, M = N[None], M[None]
    if N.ndim != 3 or N.shape[1] != N.shape[2] or N.shape[1] == 0:
        raise ValueError(f"N must have shape (T, n, n) or (n, n), got {N.shape}")
    if M.shape != N.shape:
        raise ValueError(f"M must have the shape of N, {N.shape}, got {M.shape}")
    T, n, _ = N.shape
    V = np.empty((T, 2 * n, 2 * n))
    eye = np.eye(n)
    V[:, 0::2, 0::2] = np.real(M) + np.real(N) + 0.5 * eye
    V[:, 1::2, 1::2] = np.real(N) - np.real(M) + 0.5 * eye
    V[:, 0::2, 1::2] = np.imag(M) + np.imag(N)
    V[:, 1::2, 0::2] = np.imag(M).transpose(0, 2, 1) + np.imag(N).transpose(0, 2, 1)
    return V[0] if single else V


def ergotropy_from_moments(alpha: Any, n: Any, m: Any) -> np.ndarray:
    """Ergotropy, in quanta, of single-mode Gaussian states given by their moments.

    Parameters
    ----------
    alpha : complex or array_like
        Means ``<a>``.
    n : float or array_like
        ``<da^dag da> >= 0``.
    m : complex or array_like
        ``<da da>``, with ``|m|^2 <= n (n + 1)`` (a quantum state).

    Returns
    -------
    ndarray (broadcast shape of the inputs)
        ``|alpha|^2 + (n + 1/2) - nu = |alpha|^2 + |m|^2 / (n + 1/2 + nu)`` with the symplectic
        eigenvalue ``nu = sqrt((n + 1/2 - |m|)(n + 1/2 + |m|))``: the energy above that of the
        passive state (a thermal state with ``nu - 1/2`` quanta).  Written without the
        cancellation of ``tr V/2 - sqrt(det V)`` and without squaring large numbers, so it is
        accurate from pure squeezed states to ``n = 1e300``.

    Raises
    ------
    ValueError
        For non-finite input, ``n < 0``, or ``|m|^2 > n (n + 1)`` beyond round-off (named).

    References
    ----------
    Liu et al., Sec. IV (ergotropy); A. Serafini, *Quantum Continuous Variables*, ch. 5 (passive
    Gaussian states are thermal).
    """
    alpha = _finite_array(alpha, "alpha")
    n = _finite_array(n, "n", dtype=float)
    m = _finite_array(m, "m")
    try:
        np.broadcast_shapes(alpha.shape, n.shape, m.shape)
    except ValueError as exc:
        raise ValueError(f"alpha, n and m must broadcast together, got shapes {alpha.shape}, {n.shape}, {m.shape}") from exc
    p = n + 0.5
    if np.any(n < -PHYSICAL_TOL * np.maximum(p, 1.0)):
        raise ValueError(f"n must be >= 0 (an occupation), got {np.min(n):.3e}")
    q = np.abs(m)
    if np.any(p - q < 0.25 / (p + q) - PHYSICAL_TOL * p * (p / (p + q))):
        raise ValueError("m is too large for n: |m|^2 <= n (n + 1) is the uncertainty principle")
    return _ergotropy_nm(alpha, n, m)


def _ergotropy_nm(alpha, n, m) -> np.ndarray:
    """:func:`ergotropy_from_moments` without checks (the engine's own output)."""
    alpha = np.asarray(alpha)
    p = np.asarray(n, float) + 0.5
    q = np.abs(np.asarray(m))
    nu = np.sqrt(np.clip(p - q, 0.0, None)) * np.sqrt(p + q)
    with np.errstate(invalid="ignore", divide="ignore"):
        extra = np.where(q == 0, 0.0, q * (q / (p + nu)))
    return np.abs(alpha) ** 2 + extra


def gaussian_ergotropy(alpha: complex, V: Any) -> float:
    """Ergotropy, in quanta, of a single-mode Gaussian state.

    Parameters
    ----------
    alpha : complex
        Mean ``<a>``.
    V : (2, 2) array_like
        Quadrature covariance in the convention of :meth:`LinearNetwork.covariance` (vacuum
        ``I/2``): real, symmetric, and a quantum state (``det V >= 1/4``, ``tr V > 0``).

    Returns
    -------
    float
        ``|alpha|^2 + tr(V)/2 - sqrt(det V)``: the mean number of quanta ``|alpha|^2 + (tr V - 1)/2``
        minus that of the passive state, a thermal state with symplectic eigenvalue
        ``nu = sqrt(det V)`` and ``nu - 1/2`` quanta.  Evaluated as
        :func:`ergotropy_from_moments` with ``n + 1/2 = tr V / 2`` and
        ``|m| = hypot((V_xx - V_pp)/2, V_xp)`` (no cancellation, no overflow).

    Raises
    ------
    ValueError
        If ``alpha`` is not a finite number, or ``V`` is not a finite real symmetric 2x2 matrix
        of a quantum state (``det V >= 1/4`` up to a relative ``1e-9``).

    References
    ----------
    Liu et al., Sec. IV (definition of ergotropy); the Gaussian passive state is thermal.
    """
    alpha = _finite_complex(alpha, "alpha")
    V = _finite_array(V, "V", dtype=float)
    if V.shape != (2, 2):
        raise ValueError(f"V must be a 2x2 covariance matrix, got shape {V.shape}")
    a, b, c = V[0, 0], 0.5 * (V[0, 1] + V[1, 0]), V[1, 1]
    scale = max(abs(a), abs(c), abs(b), 0.5)
    if abs(V[0, 1] - V[1, 0]) > 1e-12 * scale:
        raise ValueError(f"V must be symmetric, got {V.tolist()}")
    p = 0.5 * (a + c)
    q = float(np.hypot(0.5 * (a - c), b))
    # det V - 1/4 = (p - q)(p + q) - 1/4 >= 0 for a state
    if p <= 0 or (p - q) < 0.25 / (p + q) - PHYSICAL_TOL * p * (p / (p + q)):
        raise ValueError(
            f"V is not the covariance of a quantum state (needs det V >= 1/4 and tr V > 0): got {V.tolist()}"
        )
    return float(_ergotropy_nm(alpha, p - 0.5, q))
