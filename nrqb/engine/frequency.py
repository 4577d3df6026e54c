"""Frequency response of a linear network: the susceptibility and a frequency-resolved isolation.

Convention
----------
Fourier transforms are ``x(omega) = integral x(t) e^{+i omega t} dt``, so a signal
``e^{-i omega t}`` in the rotating frame has frequency ``+omega`` (a lab frequency
``omega_frame + omega``).  The means obey (:mod:`nrqb.engine.network`)

    d<a>/dt = A <a> - i F(t),        H_drive = sum_j F_j(t) a_j^dag + h.c.,

and the susceptibility is the resolvent of the drift on the real frequency axis,

    chi(omega) = (-i omega I - A)^{-1} = integral_0^inf e^{A t} e^{i omega t} dt ,

the Fourier transform of the impulse response (Green's function) ``G(t) = theta(t) e^{A t}``.
``chi`` does **not** include the ``-i`` of the drive term: a drive ``F(omega)`` gives

    <a>(omega) = -i chi(omega) F(omega),

so a weak tone ``F_k e^{-i omega t}`` on mode ``k`` makes ``<a_j>(t) -> -i chi_jk(omega) F_k
e^{-i omega t}`` once transients have decayed, and ``omega = 0`` gives the steady amplitudes
``-i chi(0) F = i A^{-1} F``.  Entry ``chi_jk`` is the response of mode ``j`` (row) to a drive on
mode ``k`` (column).

The response is linear in the drive at any strength (the model is linear) and the same for the
mean of any Gaussian state: noise and initial state do not enter ``chi``.

References
----------
C. W. Gardiner and M. J. Collett, Phys. Rev. A 31, 3761 (1985) (input-output theory);
A. A. Clerk et al., Rev. Mod. Phys. 82, 1155 (2010), App. E (susceptibilities);
A. Metelmann and A. A. Clerk, Phys. Rev. X 5, 021025 (2015) (nonreciprocity as
``chi_ba != chi_ab``).  Zero-frequency limit: the isolation ratio of
:func:`nrqb.beyond.framework.isolation_ratio`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .validation import finite_array as _finite_array

__all__ = ["susceptibility", "isolation", "response"]

#: eigenvector condition number above which the eigendecomposition is not trusted (near an
#: exceptional point, or a one-way drift with nearly equal rates): direct solves are used instead
EIG_COND_MAX = 1e4
#: frequencies solved per batch (bounds the temporary memory to CHUNK * n^2 numbers)
CHUNK = 256


def _omega_1d(omega: Any) -> np.ndarray:
    """A 1-D float array of finite frequencies (a scalar becomes one entry)."""
    if np.iscomplexobj(np.asarray(omega)) and np.any(np.imag(np.asarray(omega)) != 0):
        raise ValueError(f"omega must be real frequencies, got complex values {omega!r}")
    w = _finite_array(np.real(np.asarray(omega)) if np.iscomplexobj(np.asarray(omega)) else omega,
                      "omega", dtype=float)
    if w.ndim == 0:
        w = w[None]
    if w.ndim != 1:
        raise ValueError(f"omega must be a 1-D array of frequencies, got shape {w.shape}")
    return w


def _check_network(network: Any):
    from .network import LinearNetwork

    if not isinstance(network, LinearNetwork):
        raise ValueError(f"network must be a LinearNetwork, got {type(network).__name__}")
    if not network.is_stable():
        ev = network.eigenvalues()
        raise ValueError(
            "network has no frequency response: its drift has an eigenvalue with non-negative "
            f"real part (max Re = {np.max(ev.real):.3e}), so the impulse response does not decay"
        )
    return network


def _mode(value: Any, name: str, n: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer mode index, got {value!r}")
    if not -n <= value < n:
        raise ValueError(f"{name} must be in [0, {n}), got {value}")
    return int(value) % n


def _triangular(A: np.ndarray) -> str | None:
    """'lower' or 'upper' when A is triangular up to the round-off of ``-i h - K/2``."""
    tiny = 1e-14 * float(np.max(np.abs(A)))
    if A.shape[0] == 1:
        return None
    if np.max(np.abs(np.triu(A, 1))) <= tiny:
        return "lower"
    if np.max(np.abs(np.tril(A, -1))) <= tiny:
        return "upper"
    return None


def _eig(A: np.ndarray):
    """``(lam, S, Sinv)`` when the eigenvectors are well conditioned, else ``None``."""
    lam, S = np.linalg.eig(A)
    cond = np.linalg.cond(S)
    if not np.isfinite(cond) or cond > EIG_COND_MAX:
        return None
    Sinv = np.linalg.inv(S)
    if np.linalg.norm(S @ (lam[:, None] * Sinv) - A) > 1e-12 * cond * max(1.0, np.linalg.norm(A)):
        return None
    return lam, S, Sinv


def _resolvent_entries(A: np.ndarray, w: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``[(-i w I - A)^{-1}][rows][:, cols]`` for every frequency, shape (W, len(rows), len(cols))."""
    n = A.shape[0]
    out = np.empty((len(w), len(rows), len(cols)), complex)
    tri = _triangular(A)
    if tri is not None:
        A = np.tril(A) if tri == "lower" else np.triu(A)
    eig = None if tri is not None else _eig(A)
    if eig is not None:
        # chi(w) = sum_m S[:, m] Sinv[m, :] / (-i w - lam_m): one decomposition for all w
        lam, S, Sinv = eig
        Sr = S[rows]                    # (R, n)
        Sc = Sinv[:, cols]              # (n, C)
        for s in range(0, len(w), CHUNK):
            d = 1.0 / (-1j * w[s:s + CHUNK, None] - lam[None, :])    # (w, n)
            out[s:s + CHUNK] = np.matmul(Sr[None, :, :] * d[:, None, :], Sc)  # batched BLAS
    else:
        # near an exceptional point (defective A) eigenvectors are useless: solve directly
        eye = np.eye(n)
        rhs = eye[:, cols]
        for s in range(0, len(w), CHUNK):
            B = -1j * w[s:s + CHUNK, None, None] * eye - A
            X = np.linalg.solve(B, np.broadcast_to(rhs, (len(B), n, len(cols))))
            out[s:s + CHUNK] = X[:, rows, :]
    if tri is not None:
        # the inverse of a triangular matrix is triangular: keep its zeros exact
        zero = (rows[:, None] < cols[None, :]) if tri == "lower" else (rows[:, None] > cols[None, :])
        out[:, zero] = 0.0
    return out


def susceptibility(network: Any, omega: Any) -> np.ndarray:
    """Susceptibility ``chi(omega) = (-i omega I - A)^{-1}`` of a stable linear network.

    Parameters
    ----------
    network : LinearNetwork
        A stable network (every eigenvalue of the drift ``A`` has a negative real part).
    omega : array_like
        1-D array of real frequencies relative to the rotating frame (a scalar gives one).

    Returns
    -------
    ndarray, shape (len(omega), n, n), complex
        ``chi[w, j, k]``: response of ``<a_j>`` to a drive on mode ``k`` at frequency
        ``omega[w]``, with ``<a>(omega) = -i chi(omega) F(omega)`` for the drive term
        ``sum_k F_k(t) a_k^dag + h.c.`` and ``x(omega) = integral x(t) e^{i omega t} dt``
        (module docstring).  ``chi(omega) = integral_0^inf e^{A t} e^{i omega t} dt``.

    Raises
    ------
    ValueError
        If ``network`` is not a stable :class:`LinearNetwork` (no decaying impulse response),
        or ``omega`` is not a 1-D array of finite real numbers.

    Notes
    -----
    One eigendecomposition of ``A`` serves every frequency (partial fractions
    ``sum_m S_:m Sinv_m: / (-i omega - lambda_m)``) when its eigenvectors are well conditioned
    (condition number below ``EIG_COND_MAX``); near an exceptional point, or for a one-way
    (triangular) drift with nearly equal rates, the linear systems are solved directly at each
    frequency, which stays exact where ``A`` is defective.  A triangular drift gives a
    triangular ``chi`` with exact zeros.

    References
    ----------
    Clerk et al., Rev. Mod. Phys. 82, 1155 (2010), App. E; Ahmadi et al., Eq. (2) (the drift).
    """
    net = _check_network(network)
    w = _omega_1d(omega)
    n = net.n_modes
    idx = np.arange(n)
    return _resolvent_entries(net.drift, w, idx, idx)


def response(network: Any, omega: Any, outputs: Any, inputs: Any) -> np.ndarray:
    """Selected entries of the susceptibility, ``chi[:, outputs][:, :, inputs]``, without forming all of it.

    Parameters
    ----------
    network : LinearNetwork
        A stable network.
    omega : array_like
        1-D array of real frequencies relative to the frame.
    outputs, inputs : int or sequence of int
        Responding modes (rows ``j``) and driven modes (columns ``k``).

    Returns
    -------
    ndarray, shape (len(omega), len(outputs), len(inputs)), complex
        ``chi_jk(omega)`` as in :func:`susceptibility`; with the eigendecomposition route the
        cost per frequency is ``O(n len(outputs) len(inputs))``.
    """
    net = _check_network(network)
    w = _omega_1d(omega)
    n = net.n_modes
    rows = np.array([_mode(j, "outputs", n) for j in np.atleast_1d(np.asarray(outputs, dtype=object))])
    cols = np.array([_mode(k, "inputs", n) for k in np.atleast_1d(np.asarray(inputs, dtype=object))])
    return _resolvent_entries(net.drift, w, rows, cols)


def isolation(network: Any, omega: Any, a: int, b: int) -> np.ndarray:
    """Frequency-resolved isolation of a pair of modes, ``|chi_ba(omega)| / |chi_ab(omega)|``.

    The numerator ``|chi_ba|`` is the response of mode ``b`` to a drive on mode ``a``
    (transmission ``a -> b``); the denominator ``|chi_ab|`` is the response of ``a`` to a drive
    on ``b`` (transmission ``b -> a``).  The ratio is 1 for a reciprocal pair, 0 for a link that
    is one-way ``b -> a`` and ``inf`` for one that is one-way ``a -> b``.

    For a battery fed by a charger, ``isolation(network, omega, battery, charger)`` is the
    backflow ratio (backward over forward transmission, zero for a perfect one-way
    charger -> battery link); at ``omega = 0`` it equals the zero-frequency isolation ratio
    ``nrqb.beyond.framework.isolation_ratio(network, charger, battery)``, since the kept block
    of ``chi(0) = -A^{-1}`` is the inverse of the eliminated drift.

    Parameters
    ----------
    network : LinearNetwork
        A stable network.
    omega : array_like
        1-D array of real frequencies relative to the frame (convention of :func:`susceptibility`).
    a, b : int
        Distinct mode indices.

    Returns
    -------
    ndarray, shape (len(omega),), float
        ``|chi_ba| / |chi_ab|``; ``inf`` where only ``chi_ab`` vanishes.

    Raises
    ------
    ValueError
        If ``a == b``, an index is out of range, or both responses vanish at some frequency
        (the modes do not talk to each other: the ratio is undefined).

    References
    ----------
    Metelmann and Clerk, Phys. Rev. X 5, 021025 (2015); Ahmadi et al., Eq. (2) and the
    nonreciprocity condition below it (``A_ab = 0``).
    """
    net = _check_network(network)
    w = _omega_1d(omega)
    n = net.n_modes
    ia, ib = _mode(a, "a", n), _mode(b, "b", n)
    if ia == ib:
        raise ValueError(f"a and b must be distinct modes, got a = b = {ia}")
    chi = _resolvent_entries(net.drift, w, np.array([ia, ib]), np.array([ia, ib]))
    ba = np.abs(chi[:, 1, 0])
    ab = np.abs(chi[:, 0, 1])
    both = (ab == 0) & (ba == 0)
    if np.any(both):
        raise ValueError(
            f"modes a = {ia} and b = {ib} do not respond to each other at omega = "
            f"{w[both][0]!r}: the isolation ratio is undefined"
        )
    with np.errstate(divide="ignore"):
        return ba / ab
