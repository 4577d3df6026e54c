"""Gaussian states: quadrature covariance matrices and the ergotropy of one mode.

Conventions: quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
ordered ``(x_1, p_1, x_2, p_2, ...)``; ``V_kl = <{dR_k, dR_l}>/2`` so that the vacuum is ``I/2``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["gaussian_ergotropy", "quadrature_covariance"]

def quadrature_covariance(N: np.ndarray, M: np.ndarray) -> np.ndarray:
    """(T, n, n) normal/anomalous fluctuations -> (T, 2n, 2n) quadrature covariance, vacuum I/2."""
    T, n, _ = N.shape
    V = np.empty((T, 2 * n, 2 * n))
    eye = np.eye(n)
    V[:, 0::2, 0::2] = np.real(M) + np.real(N) + 0.5 * eye
    V[:, 1::2, 1::2] = np.real(N) - np.real(M) + 0.5 * eye
    V[:, 0::2, 1::2] = np.imag(M) + np.imag(N)
    V[:, 1::2, 0::2] = np.imag(M).transpose(0, 2, 1) + np.imag(N).transpose(0, 2, 1)
    return V


def gaussian_ergotropy(alpha: complex, V: Any) -> float:
    """Ergotropy, in quanta, of a single-mode Gaussian state.

    Parameters
    ----------
    alpha : complex
        Mean ``<a>``.
    V : (2, 2) array_like
        Quadrature covariance in the convention of :meth:`LinearNetwork.covariance` (vacuum I/2).

    Returns
    -------
    float
        ``|alpha|^2 + tr(V)/2 - sqrt(det V)``: the mean number of quanta ``|alpha|^2 + (tr V - 1)/2``
        minus that of the passive state, a thermal state with symplectic eigenvalue
        ``nu = sqrt(det V)`` and ``nu - 1/2`` quanta.

    References
    ----------
    Liu et al., Sec. IV (definition of ergotropy); the Gaussian passive state is thermal.
    """
    V = np.asarray(V, float)
    if V.shape != (2, 2):
        raise ValueError(f"V must be a 2x2 covariance matrix, got shape {V.shape}")
    nu = np.sqrt(max(np.linalg.det(V), 0.0))
    return float(abs(alpha) ** 2 + 0.5 * np.trace(V) - nu)
