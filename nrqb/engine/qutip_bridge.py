"""The qutip side of the three routes: a :class:`~nrqb.engine.LinearNetwork` in Fock space.

The master equation is the one stated in :mod:`nrqb.engine` (Liu et al., Eqs. (15)-(16) in
general; Ahmadi et al., Eq. (1) for two modes).  qutip solves it in a truncated Fock space, which
is exact only as the cutoff grows: use weak drive and check convergence in the cutoff.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .validation import count as _count, index as _index, rate as _rate

__all__ = ["network_to_qutip", "mode_operators", "reduced_ergotropy", "MAX_DIMENSION"]

#: largest Fock-space dimension (product of the cutoffs) accepted: a density matrix of this
#: dimension already holds 10^12 entries
MAX_DIMENSION = 10**6


def _cutoffs(cutoff, n: int) -> list[int]:
    """Validated cutoffs, one per mode (integers >= 2, total dimension <= MAX_DIMENSION)."""
    if isinstance(cutoff, (str, bytes)):
        raise ValueError(f"cutoff must be an integer >= 2 or one per mode, got {cutoff!r}")
    dims = [cutoff] * n if np.ndim(cutoff) == 0 else list(np.asarray(cutoff, dtype=object).ravel())
    if np.ndim(cutoff) > 1 or len(dims) != n:
        raise ValueError(f"cutoff must be an integer or have {n} entries, got {cutoff!r}")
    out = [_count(d, "cutoff", minimum=2) for d in dims]
    total = 1
    for d in out:
        total *= d
        if total > MAX_DIMENSION:
            raise ValueError(
                f"cutoff {cutoff!r} gives a Fock space of dimension above {MAX_DIMENSION:g} for {n} modes"
            )
    return out


def mode_operators(cutoff: int | Sequence[int], n: int) -> list:
    """Annihilation operators ``a_j`` of ``n`` modes on the tensor-product Fock space.

    Parameters
    ----------
    cutoff : int or sequence of int
        Fock dimension per mode.
    n : int
        Number of modes.

    Returns
    -------
    list of qutip.Qobj
    """
    import qutip as qt

    n = _count(n, "n")
    dims = _cutoffs(cutoff, n)
    ops = []
    for j in range(n):
        factors = [qt.qeye(d) for d in dims]
        factors[j] = qt.destroy(dims[j])
        ops.append(qt.tensor(factors) if n > 1 else factors[0])
    return ops


def network_to_qutip(net, cutoff: int | Sequence[int]):
    """``(H, c_ops)`` of a :class:`~nrqb.engine.LinearNetwork` in a truncated Fock space.

    Parameters
    ----------
    net : LinearNetwork
        The model.
    cutoff : int or sequence of int
        Fock dimension per mode.

    Returns
    -------
    H : qutip.Qobj
        ``sum_ij h_ij a_i^dag a_j + sum_j (F_j a_j^dag + F_j^* a_j)``.
    c_ops : list of qutip.Qobj
        One collapse operator ``sqrt(gamma (N+1)) L`` per channel, plus ``sqrt(gamma N) L^dag``
        when ``N > 0``; a squeezed channel (``M != 0``) is written through the eigenvectors of
        its Kossakowski matrix ``gamma [[N+1, -M], [-M^*, N]]`` over ``(L, L^dag)``.

    Raises
    ------
    ValueError
        If ``net`` is not a network or the cutoffs are not integers ``>= 2`` (total dimension at
        most ``MAX_DIMENSION``).

    References
    ----------
    Liu et al., Eq. (16) (squeezed reservoir terms); Ahmadi et al., Eq. (1).
    """
    if not all(hasattr(net, a) for a in ("n_modes", "hamiltonian", "drive", "channels")):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    n = net.n_modes
    a = mode_operators(cutoff, n)
    h = net.hamiltonian
    F = net.drive
    H = 0 * a[0].dag() * a[0]
    for i in range(n):
        for j in range(n):
            if h[i, j] != 0:
                H = H + h[i, j] * a[i].dag() * a[j]
        if F[i] != 0:
            H = H + F[i] * a[i].dag() + np.conj(F[i]) * a[i]
    c_ops = []
    for rate, c, N, M in net.channels:
        if rate == 0:
            continue
        L = 0 * a[0]
        for j in range(n):
            if c[j] != 0:
                L = L + c[j] * a[j]
        if M == 0:
            c_ops.append(np.sqrt(rate * (N + 1)) * L)
            if N > 0:
                c_ops.append(np.sqrt(rate * N) * L.dag())
            continue
        kos = np.array([[N + 1, -M], [-np.conj(M), N]], complex)
        d, U = np.linalg.eigh(kos)
        for m in range(2):
            if d[m] > 1e-12 * (N + 1):
                c_ops.append(np.sqrt(rate * d[m]) * (U[0, m] * L + U[1, m] * L.dag()))
    return H, c_ops


def reduced_ergotropy(rho, mode: int, omega: float = 1.0) -> float:
    """Ergotropy of one mode of a qutip density matrix, from its spectrum.

    Parameters
    ----------
    rho : qutip.Qobj
        Density matrix (or ket) of the whole network, or of one mode.
    mode : int
        Mode to keep (an index into the subsystems of ``rho``).
    omega : float
        Energy per quantum (``>= 0``).

    Returns
    -------
    float
        ``omega * (<n> - sum_k r_k k)`` with the eigenvalues ``r_k`` of the reduced state sorted in
        decreasing order (the passive state fills Fock states from the bottom).
    """
    import qutip as qt

    if not isinstance(rho, qt.Qobj) or not (rho.isoper or rho.isket):
        raise ValueError(f"rho must be a qutip density matrix or ket, got {type(rho).__name__}")
    n_sub = len(rho.dims[0])
    mode = _index(mode, "mode", n_sub)
    omega = _rate(omega, "omega")
    if rho.isket:
        rho = rho.proj()
    red = rho.ptrace(mode) if n_sub > 1 else rho
    dim = red.shape[0]
    num = qt.num(dim)
    energy = float(np.real(qt.expect(num, red)))
    r = np.sort(np.linalg.eigvalsh(red.full()))[::-1]
    passive = float(np.sum(r * np.arange(dim)))
    return omega * (energy - passive)
