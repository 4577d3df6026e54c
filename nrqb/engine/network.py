"""Exact Gaussian engine for driven, damped linear bosonic networks.

Every model of the four papers reproduced in this book is a *linear* bosonic network: a
quadratic, number-conserving Hamiltonian in the frame rotating at the drive frequency, a
coherent drive that is linear in the mode operators, and Lindblad channels whose jump
operators are linear combinations of the annihilation operators (local losses and shared
"collective" reservoirs), optionally at finite temperature or squeezed.  For such models the
first moments obey closed linear equations, and so do the second moments.  They are solved
here exactly: matrix exponentials for the dynamics and Lyapunov equations for the steady state.
No ODE is integrated.

Conventions
-----------
Units with hbar = 1.  The master equation is

.. math::

    \\dot\\rho = -i[H, \\rho] + \\sum_k \\Gamma_k \\big[(n_k + 1) D[L_k] + n_k D[L_k^\\dagger]
               - m_k D'[L_k] - m_k^* D'[L_k^\\dagger]\\big]\\rho ,

with ``H = sum_ij h_ij a_i^dag a_j + sum_j (F_j a_j^dag + F_j^* a_j)``,
``D[L]rho = L rho L^dag - {L^dag L, rho}/2`` and ``D'[L]rho = L rho L - {L L, rho}/2``
(the form of Liu et al., paper Eq. (16); letters as in the book's conventions chapter).
Channel k is either a local loss (``L = a_j``, rate ``kappa_j``) or a shared reservoir
(``L_k = sum_j p_k,j a_j``, rate ``Gamma_k``).  The bath numbers of a thermal channel are
``n_k = n_th`` and ``m_k = 0``; for a squeezed channel with squeezing ``(r, theta)`` and thermal
occupation ``n_th``,

    n_k = (n_th + 1/2) cosh(2r) - 1/2,        m_k = (n_th + 1/2) sinh(2r) exp(-i theta),

which for ``n_th = 0`` are the numbers Liu et al. call ``P = sinh^2 r`` and
``Q = sinh r cosh r e^{-i theta}``.
With this phase convention a single damped mode relaxes to ``<a a> = sinh r cosh r e^{+i theta}``
(the standard squeezed vacuum ``S(xi)|0>`` with ``xi = r e^{i(theta + pi)}``).

The first moments obey ``d<a>/dt = A <a> - i F`` with the drift matrix

    A = -i h - K / 2,    K_ij = kappa_i delta_ij + sum_k Gamma_k conj(p_k,i) p_k,j .

The fluctuations ``da = a - <a>`` have normally ordered moments ``N_ij = <da_i^dag da_j>`` and
anomalous moments ``M_ij = <da_i da_j>`` obeying

    dN/dt = conj(A) N + N A^T + Sigma_N,     (Sigma_N)_ij = sum_k Gamma_k n_k p_k,i conj(p_k,j),
    dM/dt = A M + M A^T + Sigma_M,           (Sigma_M)_ij = sum_k Gamma_k conj(m_k) conj(p_k,i) conj(p_k,j).

(The code names the noise matrices ``Q`` and ``P``; they are not Liu et al.'s ``P``, ``Q``.)

Solution
--------
Over a time step ``D`` the moments map exactly as ``alpha -> E alpha + u``,
``N -> conj(E) N E^T + X_N``, ``M -> E M E^T + X_M`` with ``E = e^{A D}`` and the integrals
``u``, ``X`` of :mod:`nrqb.engine.propagation`, computed by Taylor series on a small step and
doubling (no growing exponential, no special formula for triangular drifts).  The state at
``t = 0`` is any Gaussian state (``initial=``), by default the vacuum displaced by ``alpha0``.
The steady state solves ``A alpha = i F`` and the Lyapunov equations
(:mod:`nrqb.engine.steady`).  Which path is taken when:

- stable networks: the stepping above (one shared step on a uniform grid, the steady-state
  difference ``X = X_ss - E X_ss E^T`` for long steps of a non-uniform grid); a large detuning
  common to all modes is taken out exactly (the frame rotating at it);
- networks with dark modes (no steady state): the dark modes evolve by exact phases, the rest
  as above (:func:`~nrqb.engine.propagation.dark_split`);
- large sparse stable drifts (``n > 48``), amplitudes alone: Taylor steps on the vector
  (``expm_multiply``) up to the time where ``e^{A t}`` has underflowed.

References
----------
B. Ahmadi et al., Phys. Rev. Lett. 132, 210402 (2024) and its arXiv version, Eqs. (2)-(4) (the special case of
two modes and one shared reservoir).  B.-B. Liu et al. (2026), Eqs. (15)-(16) (thermal and
squeezed reservoirs).  C. W. Gardiner and P. Zoller, *Quantum Noise* (Springer), ch. 3.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.sparse as sps

from . import sparse as _sp
from .gaussian import _ergotropy_nm, quadrature_covariance
from .spectral import Spectral, _mm
from .propagation import _dark_split, _decay_bound, _evolve, _frobenius as frobenius
from .propagation import _dark_tolerances as dark_tolerances, _split_step_propagators, _step_propagators
from .steady import _lyapunov_pair, fluctuations_ss, solve_alpha_ss
from .validation import finite_array as _finite_array, index as _index, rate as _rate, times_1d

__all__ = ["LinearNetwork", "RESOLUTION", "MARGINAL_HORIZON"]

#: time evolution needs the slowest decay rate to be at least ``RESOLUTION`` times the scale
#: ``||A'||_F`` of the propagated drift (``A'``: without a large common detuning); relative to the
#: network's own scale, so all rates 1e-13 is as good as all rates 1
RESOLUTION = 1e-7
#: a network called marginal without a dark subspace (an eigenvalue on the axis by round-off
#: only) is propagated by plain doubling up to ``||A||_F t <= MARGINAL_HORIZON``: the round-off of
#: an undamped, rotating mode grows in proportion to ``t`` (about ``1e-16 ||A||_F t`` relative,
#: 1e-8 at the horizon); later times are refused
MARGINAL_HORIZON = 2.0**27
#: largest bath occupation ``(n_th + 1/2) cosh(2 r)`` accepted (the moments stay finite; no
#: quantity of the engine squares them)
MAX_OCCUPATION = 1e300
#: networks with more modes than this use the eigenbasis of their drift for noisy fluctuations
#: when it is well conditioned (:mod:`nrqb.engine.spectral`)
SPECTRAL_MODES = 64


#: a time of the single-mode path whose difference form ``N_ss + conj(R) (N0 - N_ss) R^T`` loses more
#: than two digits (the result below ``_DIFF_RATIO`` of its terms) takes the full moments instead
_DIFF_RATIO = 1e-2


def _expand(values: np.ndarray, J: np.ndarray, n: int) -> np.ndarray:
    """``values`` at the indices ``J`` of an ``(n,)`` array that is ``+inf`` (no threshold) elsewhere."""
    out = np.full(n, np.inf)
    out[J] = values
    return out


def _reorder(x: np.ndarray, inv: np.ndarray) -> np.ndarray:
    """``x[inv]`` (the sorted distinct grid back in the order asked for), without a copy when
    the grid was already sorted and distinct."""
    if len(inv) == len(x) and np.array_equal(inv, np.arange(len(x))):
        return x
    return x[inv]


def _finite_result(x: np.ndarray, what: str) -> np.ndarray:
    """``x``, or a ``ValueError`` when it overflowed (never a silent inf or NaN)."""
    if not np.all(np.isfinite(x)):
        raise ValueError(f"the {what} overflow double precision: reduce the drive, n_th, omega or t")
    return x


def _is_trusted_state(obj: Any) -> bool:
    """A :class:`nrqb.engine.states.GaussianState` (validated on construction, immutable)."""
    cls = type(obj)
    return cls.__name__ == "GaussianState" and cls.__module__ == "nrqb.engine.states"


#: dense matrices a sparse network forms on demand (when an algorithm needs them), by name
_DENSE = {"_h": "Hamiltonian", "_K": "damping matrix", "_A": "drift", "_Q": "noise matrix Sigma_N",
          "_P": "noise matrix Sigma_M"}
#: sparse matrices a dense network forms on demand (for the sparse paths of large networks)
_SPARSE = {"_hs", "_Ks", "_As", "_Qs", "_Ps"}


def _assemble(n, kappa, rates, C, n_eff, m_eff, dense=False):
    """Sparse ``K``, ``Sigma_N``, ``Sigma_M`` (the code's ``Q``, ``P``) from the channels (module docstring), grouped by jump size.

    With ``dense=True`` the same three matrices as dense ``(n, n)`` arrays (for a network stored
    densely), summed from the same entries.

    ``K = diag(kappa) + sum_k Gamma_k conj(p_k) p_k^T``, ``Sigma_N = sum Gamma n p conj(p)^T``,
    ``Sigma_M = sum Gamma conj(m) conj(p) conj(p)^T`` (local losses: ``p = e_j``; jump ``k`` is row
    ``k`` of the CSR array ``C``); the jumps of equal support size are stacked, so that ``10^5``
    links cost a few array operations.
    """
    rows, cols, kv, qv, pv = [np.arange(n)], [np.arange(n)], [kappa.astype(complex)], [], []
    qv.append(kappa * n_eff[:n] + 0j)
    pv.append(kappa * np.conj(m_eff[:n]))
    sizes = np.diff(C.indptr)
    for s in np.unique(sizes):
        if s == 0:
            continue
        sel = np.flatnonzero(sizes == s)
        where = C.indptr[sel][:, None] + np.arange(s)[None, :]
        I = C.indices[where]
        V = C.data[where]
        g = rates[sel][:, None, None]
        ne = n_eff[n + sel][:, None, None]
        me = m_eff[n + sel][:, None, None]
        live = (g != 0) & ((ne != 0) | (me != 0))
        rows.append(np.repeat(I, s, axis=1).ravel())
        cols.append(np.tile(I, (1, s)).ravel())
        kv.append((g * V.conj()[:, :, None] * V[:, None, :]).ravel())
        qv.append(np.where(live, g * ne * V[:, :, None] * V.conj()[:, None, :], 0).ravel())
        pv.append(np.where(live, g * np.conj(me) * V.conj()[:, :, None] * V.conj()[:, None, :], 0).ravel())
    rr, cc = np.concatenate(rows), np.concatenate(cols)
    if dense:
        # the same entries summed in the same order into dense arrays: no CSR construction, which
        # costs ~1 ms per network and dominates building a two- or three-mode network in a scan
        flat = rr * n + cc
        out = []
        for v in (kv, qv, pv):
            v = np.concatenate(v)
            out.append((np.bincount(flat, v.real, n * n) + 1j * np.bincount(flat, v.imag, n * n)).reshape(n, n))
        return tuple(out)
    out = []
    for v in (kv, qv, pv):
        out.append(_sp._csr(sps.coo_array((np.concatenate(v), (rr, cc)), shape=(n, n))))
    return tuple(out)


class _Bulk:
    """Jumps handed over by :meth:`NetworkBuilder.build`, validated: rates ``(J,)`` and a CSR array
    ``C`` of shape ``(J, n)`` whose row ``k`` holds the coefficients of jump ``k``."""

    def __init__(self, rates: np.ndarray, C: sps.csr_array) -> None:
        self.rates, self.C = rates, C

    def __len__(self) -> int:
        return len(self.rates)


def _short(x: np.ndarray) -> str:
    """A short list repr of the values of an array for an error message."""
    text = repr(np.asarray(x).tolist())
    return text if len(text) <= 80 else text[:77] + "..."


def _cancel(A, h, K):
    """``A = -i h - K/2`` with the entries that cancel to round-off set to exactly zero.

    An entry is zero when ``|A_ij| <= 4 eps (|h_ij| + |K_ij|/2)``: the two terms are equal up to
    the rounding of how they were formed (a one-way link's backward entry, ``-i J - gamma/2``
    with ``J = i gamma/2``).  So a one-way network's drift is exactly triangular.
    """
    eps = np.finfo(float).eps
    if sps.issparse(A):
        S = _sp._csr(abs(h) + 0.5 * abs(K)).tocoo()
        C = A.tocoo()
        n = A.shape[0]
        ks = S.coords[0].astype(np.int64) * n + S.coords[1]
        order = np.argsort(ks)
        ka = C.coords[0].astype(np.int64) * n + C.coords[1]
        pos = np.searchsorted(ks[order], ka)
        bound = np.abs(S.data[order][np.minimum(pos, len(ks) - 1)])
        data = C.data.copy()
        data[np.abs(data) <= 4 * eps * bound] = 0.0
        return sps.coo_array((data, C.coords), shape=A.shape)
    A = A.copy()
    A[np.abs(A) <= 4 * eps * (np.abs(h) + 0.5 * np.abs(K))] = 0.0
    return A


# --------------------------------------------------------------------------------------------
# the engine
# --------------------------------------------------------------------------------------------
class LinearNetwork:
    """A driven, damped linear bosonic network, solved exactly.

    Parameters
    ----------
    hamiltonian : (n, n) array_like
        Hermitian matrix ``h`` of ``H = sum_ij h_ij a_i^dag a_j`` in the frame rotating at the
        drive frequency: the diagonal holds the detunings ``omega_j - omega_L``, the entry
        ``h[i, j]`` is the coefficient of ``a_i^dag a_j`` (so a hop ``J a^dag b + J^* b^dag a``
        is ``h[a, b] = J``, ``h[b, a] = conj(J)``).
    loss : float or (n,) array_like, optional
        Local decay rates ``kappa_j >= 0``: channel ``kappa_j D[a_j]``.  Default zero.
    jumps : sequence of (rate, coefficients), optional
        Shared reservoirs: channel ``rate * D[sum_j p_j a_j]`` with ``coefficients`` the jump
        coefficients ``p``: an (n,) complex vector, a dict ``{mode index: p_j}`` or a 1-D
        ``scipy.sparse`` array.  Ahmadi et al.'s ``Gamma L_z`` with ``z = p_a a + p_b b`` is
        ``(Gamma, [p_a, p_b])``.
    drive : (n,) array_like, optional
        Complex drive amplitudes ``F_j`` of ``sum_j (F_j a_j^dag + F_j^* a_j)``.  Default zero.
    n_th : float or sequence of float, optional
        Thermal occupation of the baths: every channel ``L`` becomes
        ``(n_th + 1) D[L] + n_th D[L^dag]``.  A scalar for all channels, or one value per channel
        (local losses first, in mode order, then the jumps in the order given).
    squeezing : (r, theta) or sequence of (r, theta), optional
        Squeezed baths with the terms of Liu et al., paper Eq. (16): ``-m D'[L] - m^* D'[L^dag]``
        with ``m = (n_th + 1/2) sinh(2 r) e^{-i theta}`` and the bath number ``n`` replaced by
        ``(n_th + 1/2) cosh(2 r) - 1/2``.  One pair for every channel, or one pair per channel
        (same order as ``n_th``).  A lone damped mode relaxes to ``<a^2> = sinh r cosh r e^{i theta}``.
    omega : float or (n,) array_like, optional
        Energy per quantum of each mode (``>= 0``); energies are ``omega_j <a_j^dag a_j>``.
        Default 1.
    alpha0 : (n,) array_like, optional
        Initial coherent amplitudes (fluctuations start in the vacuum).  Default: vacuum.  The
        time-evolution methods also take any Gaussian initial state (``initial=``); giving both
        is an error.

    Raises
    ------
    ValueError
        On NaN/inf entries, strings or booleans, complex values where reals are meant, negative
        rates, occupations or ``omega``, a non-Hermitian ``hamiltonian``, arrays of the wrong
        shape, or bath occupations that cannot be represented (``(n_th + 1/2) cosh(2 r)`` above
        ``MAX_OCCUPATION = 1e300``, e.g. ``r = 1000``).  The message names the offending parameter.

    Notes
    -----
    The master equation and the moment equations are stated in the module docstring of
    :mod:`nrqb.engine.network`.  The state stays Gaussian at all times, so first and second moments
    determine every observable computed here exactly, at any drive strength.

    *Times.*  Every time-evolution method accepts any 1-D grid of times ``t >= 0`` (any order,
    repeated times, ``t = 0``) and ``t = inf``, which is the steady state; the results come
    back in the order given.  Internally the distinct times are sorted and the moments are
    stepped exactly from ``t = 0`` (:mod:`nrqb.engine.propagation`): no growing exponential is
    ever formed, so times far beyond the relaxation (``t = 1e100``) return the steady state.

    *Stability.*  A network with a dark mode (a mode, or a combination of modes, that no
    channel reaches and the Hamiltonian does not couple out) is *marginal*
    (:meth:`is_stable` is False): it has no steady state (``t = inf`` and :meth:`steady_state`
    raise), and it is propagated exactly at any finite time, the dark modes by their phases.
    Every other network is stable, however small its rates.

    *Accuracy.*  Relative to 40-digit references, results agree to about ``1e-13`` (see the
    tests), up to the conditioning of the problem itself: a phase ``omega t`` carries the
    round-off ``1e-16 omega t`` of its inputs.  A large detuning common to all modes is taken
    out exactly (the frame rotating at it).  Time evolution is refused (``ValueError``) when
    the slowest decay rate is below ``RESOLUTION = 1e-7`` of the scale of the propagated drift,
    where double precision cannot resolve it next to the fast rates (decoupled parts with very
    different rates: build them as separate networks).

    References
    ----------
    Ahmadi et al., Eqs. (1)-(4); Liu et al., Eqs. (15)-(16).
    """

    def __init__(
        self,
        hamiltonian: Any,
        *,
        loss: Any = None,
        jumps: Sequence[tuple[Any, Any]] = (),
        drive: Any = None,
        n_th: Any = 0.0,
        squeezing: Any = None,
        omega: Any = 1.0,
        alpha0: Any = None,
    ) -> None:
        self._sparse = sps.issparse(hamiltonian)
        if self._sparse:
            if hamiltonian.ndim != 2 or hamiltonian.shape[0] != hamiltonian.shape[1] or hamiltonian.shape[0] == 0:
                raise ValueError(f"hamiltonian must be a square (n, n) matrix with n >= 1, got shape {hamiltonian.shape}")
            hs = _sp._csr(hamiltonian)
            _finite_array(hs.data, "hamiltonian")
            n = hs.shape[0]
            scale = float(np.max(np.abs(hs.data))) if hs.nnz else 0.0
            asym = hs - hs.conj().T
            if asym.nnz and np.max(np.abs(asym.data)) > 1e-12 * scale:
                raise ValueError("hamiltonian must be Hermitian (h == h.conj().T)")
            hs = _sp._csr(0.5 * (hs + hs.conj().T))
        else:
            h = _finite_array(hamiltonian, "hamiltonian")
            if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
                raise ValueError(f"hamiltonian must be a square (n, n) matrix with n >= 1, got shape {h.shape}")
            n = h.shape[0]
            scale = float(np.max(np.abs(h)))
            if np.max(np.abs(h - h.conj().T)) > 1e-12 * scale:
                raise ValueError("hamiltonian must be Hermitian (h == h.conj().T)")
        self._n = n

        kappa = np.zeros(n) if loss is None else _finite_array(loss, "loss", dtype=float)
        if kappa.ndim == 0:
            kappa = np.full(n, float(kappa))
        if kappa.shape != (n,):
            raise ValueError(f"loss must be a scalar or have shape ({n},), got {kappa.shape}")
        if np.any(kappa < 0):
            raise ValueError(f"loss rates must be >= 0, got {_short(kappa)}")
        self._kappa = kappa

        F = np.zeros(n, complex) if drive is None else _finite_array(drive, "drive")
        if F.shape != (n,):
            raise ValueError(f"drive must have shape ({n},), got {F.shape}")
        self._F = F

        self._alpha0_given = alpha0 is not None
        a0 = np.zeros(n, complex) if alpha0 is None else _finite_array(alpha0, "alpha0")
        if a0.shape != (n,):
            raise ValueError(f"alpha0 must have shape ({n},), got {a0.shape}")
        self._alpha0 = a0

        om = _finite_array(omega, "omega", dtype=float)
        if om.ndim == 0:
            om = np.full(n, float(om))
        if om.shape != (n,):
            raise ValueError(f"omega must be a scalar or have shape ({n},), got {om.shape}")
        if np.any(om < 0):
            raise ValueError(f"omega (energy per quantum) must be >= 0, got {_short(om)}")
        self._omega = om

        # channels: local losses first (implicit: coefficient 1 on their mode), then jumps
        if not isinstance(jumps, _Bulk) and (isinstance(jumps, (str, bytes)) or not isinstance(jumps, Sequence)):
            raise ValueError(f"jumps must be a sequence of (rate, coefficients) pairs, got {type(jumps).__name__}")
        if isinstance(jumps, _Bulk):  # NetworkBuilder.build: validated already
            jump_rates, jump_C = jumps.rates, jumps.C
        else:
            rlist, ilist, vlist = [], [], []
            for k, jump in enumerate(jumps):
                if not (type(jump) is tuple or type(jump) is list) and (
                        isinstance(jump, (str, bytes)) or not isinstance(jump, Sequence)) or len(jump) != 2:
                    raise ValueError(f"jumps[{k}] must be a (rate, coefficients) pair, got {jump!r}")
                rate, coeffs = jump
                rlist.append(_rate(rate, f"jumps[{k}] rate"))
                idx, vals = _sp._coefficients(coeffs, n, f"jumps[{k}] coefficients")
                ilist.append(idx)
                vlist.append(vals)
            jump_rates = np.array(rlist, float)
            lengths = np.array([len(i) for i in ilist], int)
            jump_C = sps.csr_array(
                (np.concatenate(vlist) if vlist else np.zeros(0, complex),
                 np.concatenate(ilist) if ilist else np.zeros(0, int),
                 np.concatenate([[0], np.cumsum(lengths)])), shape=(len(rlist), n))
        self._jump_rates = jump_rates
        self._jump_C = jump_C
        n_jumps = len(jump_rates)
        nch = n + n_jumps

        nth = _finite_array(n_th, "n_th", dtype=float)
        if nth.ndim == 0:
            nth = np.full(nch, float(nth))
        if nth.shape != (nch,):
            raise ValueError(
                f"n_th must be a scalar or have one value per channel ({nch}: {n} local losses "
                f"then {n_jumps} jumps), got shape {nth.shape}"
            )
        if np.any(nth < 0):
            raise ValueError(f"n_th must be >= 0, got {_short(nth)}")
        if np.any(nth > MAX_OCCUPATION):
            raise ValueError(f"n_th must be <= {MAX_OCCUPATION:g}, got {nth.max():g}")

        if squeezing is None:
            sq = np.zeros((nch, 2))
        else:
            sq = _finite_array(squeezing, "squeezing", dtype=float)
            if sq.shape == (2,):
                sq = np.tile(sq, (nch, 1))
            if sq.shape != (nch, 2):
                raise ValueError(
                    f"squeezing must be a pair (r, theta) or one pair per channel, shape "
                    f"({nch}, 2); got shape {sq.shape}"
                )
            if np.any(sq[:, 0] < 0):
                raise ValueError(f"squeezing strength r must be >= 0, got {_short(sq[:, 0])}")
            with np.errstate(over="ignore"):
                big = (nth + 0.5) * np.cosh(2 * sq[:, 0])
            if not np.all(big <= MAX_OCCUPATION):
                raise ValueError(
                    f"squeezing strength r is too large to represent: (n_th + 1/2) cosh(2 r) must be "
                    f"<= {MAX_OCCUPATION:g}, got r = {sq[:, 0].max():g}"
                )

        # (n + 1/2) cosh 2r - 1/2 = n cosh 2r + sinh^2 r: no cancellation at small r
        r, theta = sq[:, 0], sq[:, 1]
        n_eff = nth * np.cosh(2 * r) + np.sinh(r) ** 2
        m_eff = (nth + 0.5) * np.sinh(2 * r) * np.exp(-1j * theta)
        self._n_eff = n_eff
        self._m_eff = m_eff
        self._n_th = nth
        self._squeezing = sq
        rates = np.concatenate([kappa, jump_rates])
        self._rates = rates

        # K = diag(kappa) + sum_k Gamma_k conj(p_k) p_k^T, Sigma_N (Q) = sum Gamma n p conj(p)^T, Sigma_M (P) = sum Gamma conj(m) conj(p) conj(p)^T
        with np.errstate(over="ignore", invalid="ignore"):
            Ks, Qs, Ps = _assemble(n, kappa, jump_rates, jump_C, n_eff, m_eff, dense=not self._sparse)
        if self._sparse:
            Kd, Qd, Pd = Ks.data, Qs.data, Ps.data
        else:
            Kd, Qd, Pd = Ks, Qs, Ps
        if not np.all(np.isfinite(Kd)):
            raise ValueError("jumps rates times |coefficients|^2 overflow: rescale the jumps")
        if not (np.all(np.isfinite(Qd)) and np.all(np.isfinite(Pd))):
            raise ValueError("n_th or squeezing times the channel rates overflow: the noise cannot be represented")
        live = rates > 0
        live[n:] &= np.diff(jump_C.indptr) > 0
        #: structure of the noise: "none" (Q = P = 0), "common" (one bath number n on every live
        #: channel and no squeezing: Sigma_N = n K^T exactly, so N_ss = n I and M_ss = 0), or "general"
        if not np.any(Qd) and not np.any(Pd):
            self._noise_kind = "none"
        elif np.all(m_eff[live] == 0) and len(np.unique(n_eff[live])) == 1:
            self._noise_kind = "common"
        else:
            self._noise_kind = "general"
        self._common_n = float(n_eff[live][0]) if self._noise_kind == "common" else 0.0
        self._has_noise = self._noise_kind != "none"

        if self._sparse:
            self._hs = hs
            self._Ks = Ks
            self._Qs = Qs
            self._Ps = Ps
            self._As = _sp._csr(_cancel(-1j * hs - 0.5 * Ks, hs, Ks))
        else:
            self._h = 0.5 * (h + h.conj().T)
            self._K = Ks
            self._Q = Qs
            self._P = Ps
            self._A = _cancel(-1j * self._h - 0.5 * self._K, self._h, self._K)
        self._eigvals: np.ndarray | None = None
        self._stable: bool | None = None
        self._alpha_ss_cache: np.ndarray | None = None
        self._fl_ss_cache: tuple[np.ndarray, np.ndarray] | None = None
        self._ss_cache: dict | None = None

    # ------------------------------------------------------------------ storage
    def __getattr__(self, name: str):
        """Dense matrices of a sparse network and sparse ones of a dense network, on demand."""
        if name.startswith("__") or "_sparse" not in self.__dict__:
            raise AttributeError(name)
        if name in _DENSE:
            if self._n > _sp.DENSE_LIMIT:
                raise ValueError(
                    f"this needs the dense {_DENSE[name]} of a sparse network of {self._n} modes, more "
                    f"than DENSE_LIMIT = {_sp.DENSE_LIMIT} (nrqb.engine.sparse): ask for energies, "
                    "occupations, amplitudes, or ergotropy/covariance of single modes"
                )
            value = self.__dict__[name + "s"].toarray()
            if name == "_h":
                value = 0.5 * (value + value.conj().T)
        elif name in _SPARSE:
            value = _sp._csr(self.__dict__[name[:-1]])
        else:
            raise AttributeError(name)
        self.__dict__[name] = value
        return value

    @property
    def is_sparse(self) -> bool:
        """True if the network is stored sparsely (built from a ``scipy.sparse`` Hamiltonian).

        A sparse network never forms a dense ``n x n`` matrix for its steady amplitudes,
        stability, energies, occupations, power, amplitudes and single-mode ergotropy at zero
        temperature or with one common bath occupation; the properties :attr:`hamiltonian`,
        :attr:`damping_matrix`, :attr:`drift` and :attr:`noise` are then ``scipy.sparse`` arrays.
        """
        return self._sparse

    # ------------------------------------------------------------------ basic properties
    @property
    def n_modes(self) -> int:
        """Number of modes ``n``."""
        return self._n

    @property
    def hamiltonian(self):
        """The Hermitian matrix ``h`` (a copy; a ``scipy.sparse`` CSR array for a sparse network)."""
        return self._hs.copy() if self._sparse else self._h.copy()

    @property
    def drive(self) -> np.ndarray:
        """The drive amplitudes ``F`` (a copy)."""
        return self._F.copy()

    @property
    def omega(self) -> np.ndarray:
        """Energy per quantum of each mode (a copy)."""
        return self._omega.copy()

    @property
    def damping_matrix(self):
        """``K = diag(kappa) + sum_k Gamma_k conj(p_k) p_k^T``, so that ``A = -i h - K/2`` (sparse for a sparse network)."""
        return self._Ks.copy() if self._sparse else self._K.copy()

    @property
    def drift(self):
        """The drift matrix ``A`` of ``d<a>/dt = A <a> - i F`` (module docstring; Ahmadi Eq. (2)).

        Entries where ``-i h`` and ``-K/2`` cancel to round-off are exactly zero (a one-way
        network's drift is exactly triangular).  A ``scipy.sparse`` CSR array for a sparse network.
        """
        return self._As.copy() if self._sparse else self._A.copy()

    @property
    def noise(self) -> tuple:
        """The noise matrices ``(Sigma_N, Sigma_M)`` of the normal and anomalous fluctuation equations (sparse for a sparse network)."""
        if self._sparse:
            return self._Qs.copy(), self._Ps.copy()
        return self._Q.copy(), self._P.copy()

    @property
    def channels(self) -> tuple[tuple[float, Any, float, complex], ...]:
        """Every channel as ``(rate, coefficients, n_k, m_k)``: local losses first, then jumps.

        The coefficients are an ``(n,)`` array, or for a sparse network a 1-D
        ``scipy.sparse.coo_array`` of shape ``(n,)``.
        """
        n = self._n
        out = []
        C = self._jump_C
        for k in range(n + len(self._jump_rates)):
            if k < n:
                rate, idx, vals = float(self._kappa[k]), np.array([k]), np.array([1.0 + 0j])
            else:
                lo, hi = C.indptr[k - n], C.indptr[k - n + 1]
                rate, idx, vals = float(self._jump_rates[k - n]), C.indices[lo:hi], C.data[lo:hi]
            if self._sparse:
                c = sps.coo_array((vals.copy(), (idx.copy(),)), shape=(n,))
            else:
                c = np.zeros(n, complex)
                c[idx] = vals
            out.append((rate, c, float(self._n_eff[k]), complex(self._m_eff[k])))
        return tuple(out)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of the drift matrix ``A`` (decay rates are ``-2 Re`` for the energies).

        A triangular drift (every one-way network in mode order, exactly: cancelled entries are
        zero) gives its diagonal; otherwise :func:`numpy.linalg.eigvals` (a sparse network:
        from its dense drift, ``n <= DENSE_LIMIT``).
        """
        if self._eigvals is None:
            if self._sparse or self._n > 48:
                tri = _sp._triangular(self._As)
            else:
                A = self._A
                tri = "lower" if not np.any(np.triu(A, 1)) else ("upper" if not np.any(np.tril(A, -1)) else None)
            if tri is not None:
                self._eigvals = (self._As.diagonal() if self._sparse else np.diag(self._A)).astype(complex)
            else:
                self._eigvals = np.linalg.eigvals(self._A)
        return self._eigvals.copy()

    def is_stable(self) -> bool:
        """True if the network relaxes to a unique steady state.

        The network is *marginal* (not stable) when it has a dark mode: a mode ``v`` that no
        channel reaches (``K v = 0``) and that the Hamiltonian does not couple out
        (``h v = omega v``), found up to round-off (``8 n eps ||K||``, ``8 n eps ||h||``:
        :func:`~nrqb.engine.propagation.dark_tolerances`).  Otherwise it is stable when every
        eigenvalue of the drift has a negative real part, however small: a network whose rates
        are all ``1e-13`` is stable.

        Which test is used: a one-way (triangular) drift has its diagonal as eigenvalues (read
        off exactly); a large network (``n > 48``) whose damping matrix is positive definite is
        stable without an eigendecomposition (``Re(lambda) = -<v|K|v>/2 <= -lambda_min(K)/2 <
        0``), shown by one Cholesky factorisation (dense network) or by Gershgorin's bound or the
        pivots of a sparse ``LDL^T`` (sparse network: :func:`nrqb.engine.sparse.stability`, no
        dense matrix); every other network by the dark-mode split and the eigenvalues (a sparse
        network forms its dense drift for that, ``n <= DENSE_LIMIT``, or else uses a sparse
        eigen-solve, ARPACK's eigenvalue of largest real part).

        Returns
        -------
        bool
        """
        if self._stable is None:
            decided = None
            if self._sparse:
                tol_K = 8 * self._n * np.finfo(float).eps * _sp._frobenius_sparse(self._Ks)
                decided, _ = _sp._stability(self._As, self._Ks, tol_K)
                if decided is None and self._n > _sp.DENSE_LIMIT:
                    decided = _sp._arpack_stable(self._As)
            elif self._n > 48 and self._eigvals is None and self._damping_positive_definite():
                decided = True
            elif self._n <= 48 and (np.all(np.triu(self._A, 1) == 0) or np.all(np.tril(self._A, -1) == 0)):
                # one-way (triangular): the eigenvalues are the diagonal, exactly; decay rates
                # above the dark-mode tolerance prove stability without the dark-mode split
                tol_K, _ = dark_tolerances(self._h, self._K)
                decided = True if np.max(self.eigenvalues().real) < -tol_K else None
            if decided is True:
                self._stable = True
            elif self._split() is not None:
                self._stable = False
            else:
                self._stable = bool(np.max(self.eigenvalues().real) < 0)
        return self._stable

    def _damping_positive_definite(self) -> bool:
        """True if ``K - tol_K`` has a Cholesky factor (then no mode is dark and the drift is stable)."""
        tol_K, _ = dark_tolerances(self._h, self._K)
        try:
            np.linalg.cholesky(self._K - max(tol_K, np.finfo(float).tiny) * np.eye(self._n))
        except np.linalg.LinAlgError:
            return False
        return True

    def _frame(self):
        """``(omega0, A')``: the common detuning and the drift without it, ``A' = A + i omega0``.

        A stable network whose modes share a detuning ``omega0`` much larger than everything else
        (``||A'||_F < ||A||_F / 2``) is propagated in the frame rotating at ``omega0``, where the
        decay rates are resolved; otherwise ``omega0 = 0``.
        """
        if not hasattr(self, "_frame_cache"):
            omega0 = float(np.mean(np.real(np.diag(self._h))))
            Ap = self._A + 1j * omega0 * np.eye(self._n)
            if omega0 != 0.0 and frobenius(Ap) < 0.5 * frobenius(self._A):
                self._frame_cache = (omega0, Ap)
            else:
                self._frame_cache = (0.0, self._A)
        return self._frame_cache

    def _check_resolution(self, A: np.ndarray, eigvals=None) -> None:
        """Refuse time evolution when the slowest decay of ``A`` is below ``RESOLUTION ||A||_F``.

        The small steps of the propagator have norm ``1/2``; a decay of ``1e-7`` of the scale
        changes them by ``5e-8``, which double precision resolves to a relative ``4e-9``: slower
        decays would be propagated with a larger relative error.
        """
        if A.shape[0] == 0:
            return
        scale = frobenius(A)
        if scale == 0.0:
            return
        K = -(A + A.conj().T)  # = K (the damping matrix) in the basis of A
        if _decay_bound(K) >= RESOLUTION * scale:
            return
        ev = np.linalg.eigvals(A) if eigvals is None else eigvals
        slow = -float(np.max(ev.real))
        if slow < RESOLUTION * scale:
            raise ValueError(
                f"the network's slowest decay rate ({slow:.3e}) is below {RESOLUTION:g} of its scale "
                f"||A||_F = {scale:.3e}: double precision cannot resolve it next to the fast rates "
                "(time evolution refused; steady_state() is still available)"
            )

    def _check_resolution_sparse(self) -> None:
        """:meth:`_check_resolution` for the sparse path: the scale is that of its Taylor steps.

        The scale is ``||A - mu I||`` (``mu`` the mean diagonal; the smaller of the 1- and
        inf-norms), the slowest decay rate the diagonal of a triangular drift (exact), else
        Gershgorin's bound on ``lambda_min(K)/2``, else the eigenvalues (dense, ``n <=
        DENSE_LIMIT``).
        """
        if getattr(self, "_resolution_ok", False):
            return
        scale = self._stepper().norm
        if scale > 0:
            slow = None
            if _sp._triangular(self._As) is not None:
                slow = -float(np.max(np.real(self._As.diagonal())))
            elif 0.5 * _sp._gershgorin_lower(self._Ks) >= RESOLUTION * scale:
                slow = np.inf
            elif self._n <= _sp.DENSE_LIMIT:
                slow = -float(np.max(self.eigenvalues().real))
            if slow is not None and slow < RESOLUTION * scale:
                raise ValueError(
                    f"the network's slowest decay rate ({slow:.3e}) is below {RESOLUTION:g} of its scale "
                    f"||A - mu||_1 = {scale:.3e}: double precision cannot resolve it next to the fast "
                    "rates (time evolution refused; steady_state() is still available)"
                )
        self._resolution_ok = True

    @property
    def has_noise(self) -> bool:
        """True if thermal or squeezed noise feeds the fluctuations."""
        return self._has_noise

    # ------------------------------------------------------------------ steady state (internal)
    def _require_stable(self, what: str = "the network") -> None:
        if not self.is_stable():
            if self._sparse and self._n > _sp.DENSE_LIMIT:
                why = "an undamped mode (a diagonal entry of its one-way drift with zero real part, or an eigenvalue with real part >= 0)"
            else:
                split = self._split()
                why = (f"{len(split.omega)} dark mode(s) that no channel reaches" if split is not None else
                       f"an eigenvalue of the drift with real part {np.max(self.eigenvalues().real):.3e} >= 0")
            raise ValueError(
                f"{what}: the network has no steady state: it has {why} (an undamped mode); add loss "
                "to every mode or check the couplings"
            )

    def _alpha_ss(self) -> np.ndarray:
        # steady state of d<a>/dt = A <a> - i F  ->  A alpha = i F
        if self._alpha_ss_cache is None:
            if self._sparse:
                self._alpha_ss_cache = _sp._steady_amplitudes(self._As, self._F)
            else:
                self._alpha_ss_cache = solve_alpha_ss(self._A, self._F)
        return self._alpha_ss_cache

    def _split(self):
        """The dark/damped split of a network with undamped modes (cached), or ``None``."""
        if not hasattr(self, "_split_cache"):
            self._split_cache = _dark_split(self._h, self._K, *dark_tolerances(self._h, self._K))
        return self._split_cache

    def _fluct_ss(self) -> tuple[np.ndarray, np.ndarray]:
        """Dense steady fluctuations ``(N_ss, M_ss)``.

        Which route: no noise gives zeros; one common bath number ``n`` on every live channel and
        no squeezing gives ``N_ss = n I`` and ``M_ss = 0`` exactly (``Sigma_N = n K^T`` solves the
        Lyapunov equation with ``n I``: ``conj(A) + A^T = -K^T``); other noise the Lyapunov
        equations (:func:`~nrqb.engine.steady.fluctuations_ss`), or for ``n > SPECTRAL_MODES``
        with a uniform damping matrix (a normal drift) their solution in the unitary eigenbasis
        of ``h``, ``N'_ss = -Q' / nu`` (:mod:`nrqb.engine.spectral`).
        """
        if self._fl_ss_cache is None:
            n = self._n
            if self._sparse and n > _sp.DENSE_LIMIT:
                getattr(self, "_A")  # raises the ValueError that names the limit
            if self._noise_kind == "none":
                self._fl_ss_cache = (np.zeros((n, n), complex), np.zeros((n, n), complex))
            elif self._noise_kind == "common":
                self._fl_ss_cache = (self._common_n * np.eye(n, dtype=complex), np.zeros((n, n), complex))
            else:
                sp = self._spectral() if n > SPECTRAL_MODES else None
                if sp is not None and sp.unitary:
                    Qp, Pp = self._spectral_sources()
                    N, M = sp.steady(Qp, Pp)
                    M = np.zeros((n, n), complex) if M is None else M
                    self._fl_ss_cache = (0.5 * (N + N.conj().T), 0.5 * (M + M.T))
                elif n > SPECTRAL_MODES:
                    omega0, Ap = self._frame()
                    N, M, _ = _lyapunov_pair(Ap, self._Q, self._P, omega0, schur=self._schur())
                    self._fl_ss_cache = (N, M)
                else:
                    omega0, Ap = self._frame()
                    self._fl_ss_cache = fluctuations_ss(Ap, self._Q, self._P, omega0=omega0)
        return self._fl_ss_cache

    def _fluct_ss_diag(self) -> tuple[np.ndarray, np.ndarray]:
        """Diagonals ``(N_ss,jj, M_ss,jj)`` of the steady fluctuations, without a dense matrix where structure allows."""
        n = self._n
        if self._noise_kind == "none":
            return np.zeros(n), np.zeros(n, complex)
        if self._noise_kind == "common":
            return np.full(n, self._common_n), np.zeros(n, complex)
        N, M = self._fluct_ss()
        return np.real(np.diag(N)).copy(), np.diag(M).copy()

    # ------------------------------------------------------------------ inputs of the time methods
    def _initial(self, initial: Any) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """``(alpha0, N0, M0)`` with ``None`` for zero, from ``initial`` or ``alpha0``."""
        n = self._n
        if initial is None:
            return (self._alpha0 if np.any(self._alpha0) else None), None, None
        if self._alpha0_given:
            raise ValueError(
                "initial: the network was built with alpha0; give the initial state either as "
                "alpha0 or as initial=, not both"
            )
        try:
            nm, a0, N0, M0 = initial.n_modes, initial.amplitudes, initial.N, initial.M
        except AttributeError as exc:
            raise ValueError(
                "initial must be a Gaussian state (nrqb.GaussianState, or an object with "
                f".amplitudes, .N, .M and .n_modes), got {type(initial).__name__}"
            ) from exc
        if isinstance(nm, (bool, np.bool_)) or not isinstance(nm, (int, np.integer)) or nm != n:
            raise ValueError(f"initial has {nm!r} modes but the network has {n}")
        a0 = _finite_array(a0, "initial.amplitudes")
        N0 = _finite_array(N0, "initial.N")
        M0 = _finite_array(M0, "initial.M")
        if a0.shape != (n,) or N0.shape != (n, n) or M0.shape != (n, n):
            raise ValueError(
                f"initial must have amplitudes of shape ({n},) and N, M of shape ({n}, {n}); got "
                f"{a0.shape}, {N0.shape}, {M0.shape}"
            )
        if not _is_trusted_state(initial):
            scale = max(1.0, float(np.max(np.abs(N0))), float(np.max(np.abs(M0))))
            if np.max(np.abs(N0 - N0.conj().T)) > 1e-12 * scale:
                raise ValueError("initial.N must be Hermitian")
            if np.max(np.abs(M0 - M0.T)) > 1e-12 * scale:
                raise ValueError("initial.M must be symmetric")
            G = np.block([[N0, M0.conj()], [M0, np.eye(n) + N0.T]])
            lam = np.linalg.eigvalsh(0.5 * (G + G.conj().T))
            if lam[0] < -1e-9 * scale:
                raise ValueError(
                    "initial is not a quantum state: [[N, M*], [M, 1 + N^T]] has eigenvalue "
                    f"{lam[0]:.3e} < 0 (uncertainty principle V + i Omega/2 >= 0)"
                )
        return (a0 if np.any(a0) else None), (N0 if np.any(N0) else None), (M0 if np.any(M0) else None)

    def _grid(self, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Validated times, their sorted distinct values and the map back (``ts[inv] == t``)."""
        tt = times_1d(t, allow_inf=True, nonnegative=True)
        ts, inv = np.unique(tt, return_inverse=True)
        return tt, ts, inv.ravel()

    def _moments(self, t: Any, initial: Any, *, means: bool = True, normal: bool = True,
                 anomalous: bool = True):
        """``(t, ts, inv, alpha, N, M)`` in the order of ``t``; a moment not asked for is ``None``."""
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        alpha, N, M = self._moments_sorted(ts, a0, N0, M0, means=means, normal=normal, anomalous=anomalous)
        out = [None if x is None else x[inv] for x in (alpha, N, M)]
        return tt, ts, inv, out[0], out[1], out[2]

    def _check_times(self, ts: np.ndarray) -> tuple[bool, Any]:
        """Checks of a sorted grid before propagation: ``(stable, split)``."""
        T = len(ts)
        has_inf = T > 0 and ts[-1] == np.inf
        fin = ts[:-1] if has_inf else ts
        stable = self.is_stable()
        if has_inf and not stable:
            self._require_stable("t = inf")
        split = None if stable else self._split()
        if not stable and split is None and len(fin) and frobenius(self._A) * fin[-1] > MARGINAL_HORIZON:
            raise ValueError(
                f"t = {fin[-1]:g} is beyond the precision horizon of this network with an undamped "
                f"mode (||A||_F t = {frobenius(self._A) * fin[-1]:.3g} > {MARGINAL_HORIZON:.3g}): an "
                "undamped mode's round-off grows in proportion to t"
            )
        if len(fin) and np.any(fin > 0):
            if stable and self._uses_sparse_path():
                self._check_resolution_sparse()
            elif stable:
                omega0, Ap = self._frame()
                self._check_resolution(Ap, None if omega0 else self._eigvals)
            elif split is not None:
                self._check_resolution(split.A_S)
        return stable, split

    def _moments_sorted(self, ts, a0, N0, M0, *, means=True, normal=True, anomalous=True):
        """``(alpha, N, M)`` on the sorted distinct grid ``ts`` (dense ``n x n`` moments)."""
        n = self._n
        T = len(ts)
        has_inf = T > 0 and ts[-1] == np.inf
        fin = ts[:-1] if has_inf else ts
        stable, split = self._check_times(ts)
        b = -1j * self._F if np.any(self._F) else None
        Q = self._Q if self._has_noise and np.any(self._Q) else None
        P = self._P if self._has_noise and np.any(self._P) else None
        want_a = means and (b is not None or a0 is not None)
        want_N = normal and (Q is not None or N0 is not None)
        want_M = anomalous and (P is not None or M0 is not None)

        # a moment that is identically zero stays None (no (T, n, n) array of zeros)
        alpha = np.zeros((T, n), complex) if want_a or (means and has_inf) else None
        N = np.zeros((T, n, n), complex) if want_N or (normal and has_inf and Q is not None) else None
        M = np.zeros((T, n, n), complex) if want_M or (anomalous and has_inf and P is not None) else None
        done_a = False
        if want_a and not want_N and not want_M and stable and self._uses_sparse_path() and len(fin):
            fast = self._means_sparse(fin, a0)
            if fast is not None:
                live, K = fast
                alpha[:K] = live
                alpha[K: len(fin)] = self._alpha_ss()
                done_a = True
        if len(fin) and (want_a and not done_a or want_N or want_M):
            steady = self._fluct_ss if stable else None
            args = dict(
                b=b if want_a and not done_a else None,
                Q=Q if want_N else None,
                P=P if want_M else None,
                alpha0=a0 if want_a and not done_a else None,
                N0=N0 if want_N else None,
                M0=M0 if want_M else None,
            )
            al, NN, MM = self._propagate_cached(fin, split, steady, args)
            if al is not None:
                alpha[: len(fin)] = al
            if NN is not None:
                N[: len(fin)] = NN
            if MM is not None:
                M[: len(fin)] = MM
        if has_inf:
            if alpha is not None:
                alpha[-1] = self._alpha_ss()
            if N is not None or M is not None:
                Nss, Mss = self._fluct_ss()
                if N is not None:
                    N[-1] = Nss
                if M is not None:
                    M[-1] = Mss
        for name, arr in (("amplitudes", alpha), ("N", N), ("M", M)):
            if arr is not None and not np.all(np.isfinite(arr)):
                raise ValueError(
                    f"the {name} overflow double precision at the times asked for (t up to "
                    f"{ts[-1]:g}): reduce the drive, n_th, squeezing or t"
                )
        return alpha, N, M

    # ------------------------------------------------------------------ large networks
    def _uses_sparse_path(self) -> bool:
        """Whether the means of a stable network are stepped as a sparse vector.

        Sparse networks always; dense networks with ``n > 48`` whose drift has at most 10 %
        non-zeros.
        """
        if self._sparse:
            return True
        if self._n <= 48:
            return False
        if not hasattr(self, "_sparse_drift"):
            self._sparse_drift = bool(np.count_nonzero(self._A) <= 0.1 * self._A.size)
        return self._sparse_drift

    def _stepper(self):
        if not hasattr(self, "_stepper_cache"):
            self._stepper_cache = _sp._Stepper(self._As)
        return self._stepper_cache

    def _bound(self, transpose: bool = False):
        """Decay bounds of ``e^{A t}`` (or of ``e^{A^T t}``, whose columns are the rows of ``e^{A t}``)."""
        key = "_bound_T" if transpose else "_bound_A"
        if key not in self.__dict__:
            A, K = (self._As.T.tocsr(), self._Ks.T.tocsr()) if transpose else (self._As, self._Ks)
            self.__dict__[key] = _sp.DecayBound._from(_sp._csr(A), _sp._csr(K))
        return self.__dict__[key]

    def _spectral(self):
        """The eigenbasis of the drift for large noisy networks (:mod:`nrqb.engine.spectral`), or ``None``.

        Used for stable networks with ``SPECTRAL_MODES < n <= DENSE_LIMIT`` whose eigenvectors
        are well conditioned (always, for a uniform damping matrix: unitary); computed in the
        frame of a large common detuning (:meth:`_frame`).
        """
        if "_spectral_cache" not in self.__dict__:
            sp = None
            if SPECTRAL_MODES < self._n <= _sp.DENSE_LIMIT and self.is_stable():
                omega0, Ap = self._frame()
                K = self._K
                if np.all(K == np.diag(np.full(self._n, K[0, 0]))):
                    h = self._h - omega0 * np.eye(self._n) if omega0 else self._h
                    sp = Spectral.of(Ap, h, K, omega0=omega0)
                else:
                    sp = Spectral.from_schur(*self._schur(), omega0=omega0)
            self.__dict__["_spectral_cache"] = sp
        return self.__dict__["_spectral_cache"]

    def _schur(self):
        """Complex Schur form ``(T, U, s)`` of the (frame-shifted) drift, shared by the steady state
        and the eigenbasis (cached)."""
        if "_schur_cache" not in self.__dict__:
            from .steady import _schur

            self.__dict__["_schur_cache"] = _schur(self._frame()[1])
        return self.__dict__["_schur_cache"]

    def _spectral_sources(self):
        """``(Q', P')`` in the eigenbasis (cached; ``P'`` is ``None`` without squeezing)."""
        if "_spectral_src" not in self.__dict__:
            sp = self._spectral()
            Pp = sp.to_anomalous(self._P) if np.any(self._P) else None
            self.__dict__["_spectral_src"] = (sp.to_normal(self._Q), Pp)
        return self.__dict__["_spectral_src"]

    def _means_sparse(self, fin: np.ndarray, a0) -> tuple[np.ndarray, int] | None:
        """Means on the sorted finite grid ``fin`` of a stable network, as a sparse vector:
        ``(alpha[:K], K)`` with the steady state from index ``K`` on, or ``None``."""
        b = -1j * self._F if np.any(self._F) else None
        a = np.zeros(self._n, complex) if a0 is None else a0
        with np.errstate(over="ignore", invalid="ignore"):
            return _sp._propagate_means(self._As, b, self._alpha_ss(), fin, a, self._bound(), self._stepper())

    def _means_parts(self, ts: np.ndarray, a0):
        """Means on the sorted distinct grid ``ts`` as ``(alpha[:K], K, alpha_ss)`` (the times from
        index ``K`` on are the steady state ``alpha_ss``), or ``None`` when identically zero."""
        if a0 is None and not np.any(self._F):
            self._check_times(ts)
            return None
        stable, _ = self._check_times(ts)
        T = len(ts)
        if stable and self._uses_sparse_path():
            has_inf = T > 0 and ts[-1] == np.inf
            fin = ts[:-1] if has_inf else ts
            fast = self._means_sparse(fin, a0) if len(fin) else (np.empty((0, self._n), complex), 0)
            if fast is not None:
                live, K = fast
                if not np.all(np.isfinite(live)):
                    raise ValueError(
                        f"the amplitudes overflow double precision at the times asked for (t up to "
                        f"{ts[-1]:g}): reduce the drive or t"
                    )
                return live, K, self._alpha_ss()
        alpha, _, _ = self._moments_sorted(ts, a0, None, None, normal=False, anomalous=False)
        return (alpha, T, None) if alpha is not None else None

    def _means(self, ts: np.ndarray, a0) -> np.ndarray | None:
        """Means on the sorted distinct grid ``ts``, ``None`` when identically zero."""
        parts = self._means_parts(ts, a0)
        if parts is None:
            return None
        live, K, ass = parts
        if K == len(ts):
            return live
        out = np.empty((len(ts), self._n), complex)
        out[:K] = live
        out[K:] = ass
        return out

    def _settled_from(self, D_max: float, scale: np.ndarray) -> float:
        """A time after which ``|conj(E) D E^T|_jj <= 2^-60 scale_j`` for every ``|D| <= D_max``.

        ``|(conj(E) D E^T)_jj| <= b_j^2 max|D|`` with the row sums ``b_j = sum_k |E_jk|``, bounded
        by :class:`~nrqb.engine.sparse.DecayBound` (of ``e^{A t}`` applied to ones).
        """
        if D_max == 0.0:
            return 0.0
        thr = np.log(np.maximum(2.0**-30 * np.sqrt(np.maximum(scale, 0.0) / D_max), 1e-150))
        return float(np.max(self._bound()._settle(np.ones(self._n), thr)))

    def _normal_diag(self, ts: np.ndarray, N0, M0) -> np.ndarray | None:
        """``N_jj(t)`` on the sorted distinct grid ``ts`` (real), ``None`` when identically zero.

        Which path: large networks (sparse, or ``n > 48``) that are stable prove with the decay
        bound of :meth:`_settled_from` from which time on ``N(t) = N_ss`` to double precision
        (those times cost nothing, and so does ``t = 0``); the other times use the eigenbasis
        of the drift when it is well conditioned and ``n > SPECTRAL_MODES`` (one triangular
        product per time: :mod:`nrqb.engine.spectral`), else the diagonal of the full moments
        (a sparse network forms dense matrices for either, ``n <= DENSE_LIMIT``; beyond, the
        integral form along the rows of ``e^{A t}``, 64 modes at a time: memory ``O(64 n)``,
        cost ``O(n nnz)`` per unit of ``||A|| t``).  Small networks take the full moments.
        """
        n = self._n
        if N0 is None and not self._has_noise:
            self._check_times(ts)
            return None
        stable, _ = self._check_times(ts)
        T = len(ts)
        if not (stable and (self._sparse or n > 48)):
            _, N, _ = self._moments_sorted(ts, None, N0, M0, means=False, anomalous=False)
            return None if N is None else np.real(np.diagonal(N, axis1=1, axis2=2)).copy()
        out = np.empty((T, n))
        if self._sparse and n > _sp.DENSE_LIMIT and (self._noise_kind == "general" or N0 is not None):
            # no dense steady state: the integral form along the rows at every time (and t = inf
            # where the rows have underflowed), 64 modes at a time
            for start in range(0, n, 64):
                J = np.arange(start, min(n, start + 64))
                Nd, _ = self._rows_integral(ts, J, N0, None, diagonal=True)
                out[:, J] = np.real(Nd)
            return out
        Nss, _ = self._fluct_ss_diag()
        if self._noise_kind == "common" and N0 is None:
            D_max = self._common_n
        else:
            D_max = max(float(np.max(np.abs(self._fluct_ss()[0]))), 0.0 if N0 is None else float(np.max(np.abs(N0))))
        t_done = self._settled_from(D_max, Nss)
        late = ts >= t_done
        out[late] = Nss
        zero = ts == 0
        out[zero & ~late] = 0.0 if N0 is None else np.real(np.diag(N0))
        rest = ~late & ~zero
        if np.any(rest):
            sp = self._spectral() if self._has_noise or N0 is not None else None
            if sp is not None:
                Qp, _ = self._spectral_sources()
                out[rest] = sp.normal_diag(ts[rest], Qp, None if N0 is None else sp.to_normal(N0))
            elif self._sparse and n > _sp.DENSE_LIMIT:
                # beyond the dense limit: the integral form along the rows, 64 modes at a time
                tr = ts[rest]
                for start in range(0, n, 64):
                    J = np.arange(start, min(n, start + 64))
                    Nd, _ = self._rows_integral(tr, J, N0, None, diagonal=True)
                    out[np.ix_(np.flatnonzero(rest), J)] = np.real(Nd)
            else:
                _, N, _ = self._moments_sorted(ts[rest], None, N0, M0, means=False, anomalous=False)
                out[rest] = 0.0 if N is None else np.real(np.diagonal(N, axis1=1, axis2=2))
        return out

    def _propagate_cached(self, fin, split, steady, args):
        """:meth:`_propagate`, remembering the last few small results (a network is immutable, and
        notebooks ask for energies, power and ergotropy on the same grid one after the other)."""
        small = self._n <= 16 and len(fin) * self._n**2 <= 2**16
        key = None
        if small:
            parts = [fin.tobytes()] + [b"-" if v is None else np.asarray(v).tobytes() for v in
                                       (args["alpha0"], args["N0"], args["M0"])]
            parts += [bytes([args[k] is not None for k in ("b", "Q", "P")])]
            key = b"|".join(parts)
            cache = self.__dict__.setdefault("_prop_cache", {})
            if key in cache:
                return cache[key]
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is a ValueError later
            out = self._propagate(fin, split, steady, args)
        if small:
            if len(cache) >= 4:
                cache.pop(next(iter(cache)))
            for x in out:
                if x is not None:
                    x.flags.writeable = False
            cache[key] = out
        return out

    def _propagate(self, fin, split, steady, args):
        """Moments on the sorted finite grid ``fin`` (:func:`~nrqb.engine.propagation.evolve`)."""
        if split is None:
            omega0, Ap = self._frame() if steady is not None else (0.0, self._A)
            if omega0 == 0.0:
                return _evolve(self._A, fin, steady=steady, **args)
            # a large common detuning: propagate in the frame rotating at omega0 (exact phase)
            shift = (omega0, self._alpha_ss(), self._fluct_ss()[1])
            return _evolve(
                Ap, fin, steady=steady, **args,
                step_fn=lambda steps, b_, Q_, P_: _step_propagators(Ap, steps, b=b_, Q=Q_, P=P_, steady=steady, shift=shift),
            )
        # undamped modes: exact phases on the dark subspace, the rest damped
        sb, sQ, sP = split._to(args["b"], args["Q"], args["P"])
        s0 = split._to(args["alpha0"], args["N0"], args["M0"])
        out = _evolve(
            split.drift, fin, b=sb, Q=sQ, P=sP, alpha0=s0[0], N0=s0[1], M0=s0[2],
            step_fn=lambda steps, b_, Q_, P_: _split_step_propagators(split, steps, b_, Q_, P_),
        )
        return split._from(*out)

    def _full_ok(self) -> None:
        """Refuse ``(T, n, n)`` results for a sparse network above ``DENSE_LIMIT`` (naming it)."""
        if self._sparse and self._n > _sp.DENSE_LIMIT:
            getattr(self, "_A")  # raises the ValueError that names DENSE_LIMIT

    def _dense(self, T: int, alpha, N, M):
        """Zeros in place of the moments that :meth:`_moments` left as ``None``."""
        n = self._n
        return (np.zeros((T, n), complex) if alpha is None else alpha,
                np.zeros((T, n, n), complex) if N is None else N,
                np.zeros((T, n, n), complex) if M is None else M)

    # ------------------------------------------------------------------ time evolution
    def moments(self, t: Any, initial: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """First and second moments at the times ``t``, exactly.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0``: a scalar or a 1-D array in any order, repeats allowed; ``inf``
            gives the steady state (a stable network only).
        initial : GaussianState, optional
            State at ``t = 0`` (an object with ``.amplitudes`` (n,), ``.N`` and ``.M`` (n, n)
            and ``.n_modes``, such as :class:`nrqb.GaussianState`).  Default: ``alpha0`` and
            vacuum fluctuations.

        Returns
        -------
        alpha : ndarray (len(t), n), complex
            ``<a_j>(t)``.
        N : ndarray (len(t), n, n), complex
            ``N_ij = <da_i^dag da_j>`` (Hermitian).
        M : ndarray (len(t), n, n), complex
            ``M_ij = <da_i da_j>`` (symmetric).

        Notes
        -----
        ``alpha -> E alpha + u``, ``N -> conj(E) N E^T + X_N``, ``M -> E M E^T + X_M`` over each
        step (:mod:`nrqb.engine.propagation`, module docstring of :mod:`nrqb.engine.network`).
        """
        self._full_ok()
        tt, _, _, alpha, N, M = self._moments(t, initial)
        return self._dense(len(tt), alpha, N, M)

    def amplitudes(self, t: Any, initial: Any = None) -> np.ndarray:
        """Coherent amplitudes ``<a_j>(t)``.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`); only its amplitudes matter here.

        Returns
        -------
        ndarray, shape (len(t), n), complex
            ``<a_j>(t)`` solving ``d<a>/dt = A <a> - i F`` (Ahmadi Eq. (2)).  Stable networks
            that are sparse (or have ``n > 48`` and a sparse drift) step the vector by Taylor
            steps (:mod:`nrqb.engine.sparse`) until a decay bound proves the steady state
            reached to double precision; later times cost nothing.
        """
        tt, ts, inv = self._grid(t)
        a0, _, _ = self._initial(initial)
        alpha = self._means(ts, a0)
        return np.zeros((len(tt), self._n), complex) if alpha is None else alpha[inv]

    def fluctuations(self, t: Any, initial: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Normal and anomalous fluctuation moments ``N_ij = <da_i^dag da_j>``, ``M_ij = <da_i da_j>``.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).  Default: vacuum fluctuations.

        Returns
        -------
        N, M : ndarray, shape (len(t), n, n), complex
            Solutions of ``dN/dt = conj(A) N + N A^T + Sigma_N`` and ``dM/dt = A M + M A^T + Sigma_M``
            (module docstring).  Zero when the baths are at zero temperature and unsqueezed and
            the initial fluctuations are those of the vacuum.
        """
        self._full_ok()
        tt, _, _, _, N, M = self._moments(t, initial, means=False)
        _, N, M = self._dense(len(tt), None, N, M)
        return N, M

    def occupations(self, t: Any, initial: Any = None) -> np.ndarray:
        """Mean occupations ``<a_j^dag a_j>(t)``, thermal and squeezed noise included.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).

        Returns
        -------
        ndarray, shape (len(t), n), real
            ``|<a_j>|^2 + N_jj``.
        """
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        return _finite_result(_reorder(self._occupations_sorted(ts, a0, N0, M0), inv), "occupations")

    def _large(self) -> bool:
        """Large networks take the separate routes for means and ``N_jj`` (sparse, or ``n > 48``)."""
        return self._sparse or self._n > 48

    def _occupations_sorted(self, ts, a0, N0, M0) -> np.ndarray:
        if self._large():
            parts = self._means_parts(ts, a0)
            nd = self._normal_diag(ts, N0, M0)
            occ = np.zeros((len(ts), self._n)) if nd is None else nd
            if parts is not None:
                live, K, ass = parts
                occ[:K] += live.real ** 2 + live.imag ** 2
                if K < len(ts):
                    occ[K:] += ass.real ** 2 + ass.imag ** 2
            return occ
        occ = np.zeros((len(ts), self._n))
        alpha, N, _ = self._moments_sorted(ts, a0, N0, M0, anomalous=False)
        if alpha is not None:
            occ += np.abs(alpha) ** 2
        if N is not None:
            occ += np.real(np.diagonal(N, axis1=1, axis2=2))
        return occ

    def energies(self, t: Any, initial: Any = None) -> np.ndarray:
        """Energies ``omega_j <a_j^dag a_j>(t)`` of every mode.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).

        Returns
        -------
        ndarray, shape (len(t), n), real
            Ahmadi et al., Eq. (5) for the battery (``omega |beta|^2`` at zero temperature).
        """
        occ = self.occupations(t, initial)
        occ *= self._omega
        return _finite_result(occ, "energies")

    def power(self, t: Any, initial: Any = None) -> np.ndarray:
        """Instantaneous charging power ``dE_j/dt`` of every mode, exactly (no finite differences).

        ``d|alpha_j|^2/dt = 2 Re(conj(alpha_j) (A alpha - i F)_j)`` and
        ``dN_jj/dt = (conj(A) N + N A^T + Sigma_N)_jj`` from the moment equations of the module docstring.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed; ``inf`` gives exactly 0).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).

        Returns
        -------
        ndarray, shape (len(t), n), real
            ``omega_j d<a_j^dag a_j>/dt``: Lin et al.'s ``P(t) = dE_B/dt`` for the battery.  (Zhao
            et al.'s average power is ``E(t)/t`` instead.)
        """
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        rate = np.zeros((len(ts), self._n))
        if self._large():
            alpha = self._means(ts, a0)
            N = None
            if N0 is not None or self._has_noise:
                stable, _ = self._check_times(ts)
                todo = np.ones(len(ts), bool)
                beyond = self._sparse and self._n > _sp.DENSE_LIMIT and (
                    self._noise_kind == "general" or N0 is not None)
                if stable and beyond:
                    # no dense steady state: the rows of e^{At} have underflowed (below 2^-1074)
                    # from this time on, and with them dN_jj/dt
                    todo = ts < self._underflow_time()
                elif stable:
                    Nss, _ = self._fluct_ss_diag()
                    if self._noise_kind == "common" and N0 is None:
                        D_max = self._common_n
                    else:
                        D_max = max(float(np.max(np.abs(self._fluct_ss()[0]))),
                                    0.0 if N0 is None else float(np.max(np.abs(N0))))
                    # settled: dN/dt = conj(A) D + D A^T with |D_jj| below 2^-60 N_ss,jj: zero
                    todo = ts < self._settled_from(D_max, Nss)
                sp = self._spectral() if stable and np.any(todo) and not beyond else None
                if sp is not None:
                    # N = conj(S) N' S^T: (conj(A) N)_jj = sum_l (conj(A) conj(S) N')_jl S_jl
                    Qp, _ = self._spectral_sources()
                    N0p = None if N0 is None else sp.to_normal(N0)
                    Ac = self._As.conj()
                    qd = np.real(self._Qs.diagonal())
                    for k in np.flatnonzero(todo):
                        X = _mm(sp.S.conj(), sp.normal_at(float(ts[k]), Qp, N0p))
                        rate[k] += 2 * np.real(np.sum((Ac @ X) * sp.S, axis=1)) + qd
                elif np.any(todo) and self._sparse and self._n > _sp.DENSE_LIMIT:
                    # beyond the dense limit: dN_jj/dt from the rows of e^{At}, 64 modes at a time
                    tt_ = ts[todo]
                    fin = np.isfinite(tt_)
                    Q = self._Qs if self._has_noise else None
                    for start in range(0, self._n, 64):
                        J = np.arange(start, min(self._n, start + 64))
                        rows = np.flatnonzero(todo)[fin]
                        rate[np.ix_(rows, J)] += _sp._row_power(self._As, tt_[fin], J, Q, N0)
                elif np.any(todo):
                    _, Nt, _ = self._moments_sorted(ts[todo], None, N0, M0, means=False, anomalous=False)
                    if Nt is not None:
                        rate[todo] += 2 * np.real(np.einsum("jk,tkj->tj", self._A.conj(), Nt))
                        rate[todo] += np.real(np.diag(self._Q))
        else:
            alpha, N, _ = self._moments_sorted(ts, a0, N0, M0, anomalous=False)
        if alpha is not None:
            A = self._As if self._large() else self._A
            dalpha = (A @ alpha.T).T - 1j * self._F
            rate += 2 * np.real(np.conj(alpha) * dalpha)
        if N is not None:
            # (conj(A) N + N A^T)_jj = 2 Re sum_k conj(A_jk) N_kj  (N Hermitian)
            rate += 2 * np.real(np.einsum("jk,tkj->tj", self._A.conj(), N))
            rate += np.real(np.diag(self._Q))
        rate[ts == np.inf] = 0.0
        return _finite_result(rate[inv] * self._omega, "power")

    def covariance(self, t: Any, initial: Any = None, modes: Any = None) -> np.ndarray:
        """Quadrature covariance matrices ``V(t)``, of the whole network or of some of its modes.

        Convention: quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
        ordered ``(x_1, p_1, x_2, p_2, ...)``, and ``V_kl = <{dR_k, dR_l}>/2``, so that the vacuum
        is ``V = I/2``.  The means are returned by :meth:`amplitudes`.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).
        modes : int or sequence of int, optional
            The reduced covariance of these modes only (distinct indices, ``-n <= j < n``, in
            the order given).  Default: all modes.

        Returns
        -------
        ndarray, shape (len(t), 2m, 2m), real
            Built from ``N`` and ``M`` (:func:`~nrqb.engine.gaussian.quadrature_covariance`);
            ``m = n`` without ``modes``.  A quadrature squeezed by ``e^{-2r}`` is resolved to
            about ``1e-16 e^{2r}`` absolute.  With ``modes``, a large network (sparse, or
            ``n > 48``) costs ``O(m n)`` per time with no noise or one common bath occupation
            (the rows of ``e^{A t}`` for those modes: :meth:`ergotropy`), not the ``O(n^2)`` of
            the full covariance; a sparse network with other noise or an initial state integrates
            along those rows instead (exact, ``O(m nnz)`` per Taylor step on a window around
            the rows' support, ``nrqb.engine.sparse._row_moments``), and the eigenbasis is
            used where it exists (``SPECTRAL_MODES < n <= DENSE_LIMIT``).
        """
        if modes is None:
            N, M = self.fluctuations(t, initial)
            return quadrature_covariance(N, M)
        J = self._modes(modes)
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        _, NJ, MJ = self._mode_moments(ts, J, a0, N0, M0)
        return quadrature_covariance(NJ[inv], MJ[inv])

    def _modes(self, modes: Any) -> list[int]:
        """Validated distinct mode indices (an int or a sequence of ints)."""
        if isinstance(modes, (int, np.integer)) and not isinstance(modes, (bool, np.bool_)):
            return [_index(modes, "modes", self._n)]
        if isinstance(modes, (str, bytes)) or not isinstance(modes, (Sequence, np.ndarray)):
            raise ValueError(f"modes must be a mode index or a sequence of mode indices, got {modes!r}")
        J = [_index(k, "modes", self._n) for k in modes]
        if not J or len(set(J)) != len(J):
            raise ValueError(f"modes must list distinct mode indices, got {list(modes)!r}")
        return J

    def steady_state(self) -> dict[str, np.ndarray]:
        """The state at ``t -> infinity``.

        Returns
        -------
        dict
            ``amplitudes`` (n,) from ``A alpha = i F``, ``occupations`` (n,), ``energies`` (n,),
            ``covariance`` (2n, 2n) in the convention of :meth:`covariance`, and the fluctuation
            moments ``N`` and ``M`` (n, n) from the Lyapunov equations
            ``conj(A) N + N A^T + Sigma_N = 0`` and ``A M + M A^T + Sigma_M = 0``.  With no noise, or one
            common bath number ``n`` and no squeezing, ``N = n I`` and ``M = 0`` exactly; a
            sparse network then returns ``N``, ``M`` and ``covariance`` as ``scipy.sparse``
            arrays (no dense ``n x n``; other noise needs the dense Lyapunov solution,
            ``n <= DENSE_LIMIT``).

        Raises
        ------
        ValueError
            If the network is not stable (:meth:`is_stable`: an undamped mode), or if the
            steady state overflows double precision.
        """
        self._require_stable("steady_state")
        if self._ss_cache is None:
            alpha = self._alpha_ss()
            structured = self._sparse and self._noise_kind != "general"
            if structured:
                Nd, _ = self._fluct_ss_diag()
                nbar = self._common_n
                N = sps.csr_array(sps.diags_array(np.full(self._n, nbar + 0j))) if nbar else sps.csr_array((self._n, self._n), dtype=complex)
                M = sps.csr_array((self._n, self._n), dtype=complex)
                V = sps.csr_array(sps.identity(2 * self._n, format="csr") * (nbar + 0.5))
                occ = np.abs(alpha) ** 2 + Nd
                finite = np.all(np.isfinite(occ))
            else:
                N, M = self._fluct_ss()
                occ = np.abs(alpha) ** 2 + np.real(np.diag(N))
                finite = np.all(np.isfinite(occ)) and np.all(np.isfinite(M))
                V = None
            if not finite:
                raise ValueError("the steady state overflows double precision: reduce the drive or n_th, or increase the rates")
            self._ss_cache = {
                "amplitudes": alpha,
                "occupations": occ,
                "energies": occ * self._omega,
                "covariance": V if structured else quadrature_covariance(N[None], M[None])[0],
                "N": N,
                "M": M,
            }
        return {k: v.copy() for k, v in self._ss_cache.items()}

    def ergotropy(self, t: Any, mode: int, initial: Any = None) -> np.ndarray:
        """Ergotropy of one mode's reduced Gaussian state, ``omega * (|alpha|^2 + n + 1/2 - nu)``.

        Parameters
        ----------
        t : array_like or None
            Times ``t >= 0`` (any order, repeats allowed, ``inf``), or ``None`` for the steady
            state.
        mode : int
            Mode index (``-n <= mode < n``).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).

        Returns
        -------
        ndarray, shape (len(t),)
            Ergotropy in energy units (``omega`` of the mode times quanta):
            ``|alpha|^2 + |m|^2 / (n + 1/2 + nu)`` with ``n = N_jj``, ``m = M_jj`` and the
            symplectic eigenvalue ``nu = sqrt((n + 1/2)^2 - |m|^2)``
            (:func:`~nrqb.engine.gaussian.ergotropy_from_moments`; equal to
            :func:`~nrqb.engine.gaussian.gaussian_ergotropy` of the mode's covariance, written
            without cancellation).

        References
        ----------
        Liu et al., Sec. IV (definition); the Gaussian formula is that of passive Gaussian states
        (a thermal state with the same symplectic eigenvalue ``nu = sqrt(det V)``).
        """
        mode = _index(mode, "mode", self._n)
        if t is None:
            self._require_stable("ergotropy(None)")
            a = self._alpha_ss()
            if self._noise_kind == "general" and self._sparse and self._n > _sp.DENSE_LIMIT:
                # no dense Lyapunov solution: the integral form along the row, to its underflow
                N, M = self._rows_integral(np.array([np.inf]), np.array([mode]), None, None)
                n_jj, m_jj = N[0, 0, 0].real, M[0, 0, 0]
            elif self._noise_kind == "general":
                N, M = self._fluct_ss()
                n_jj, m_jj = N[mode, mode].real, M[mode, mode]
            else:
                n_jj, m_jj = self._fluct_ss_diag()[0][mode], 0.0
            e = _ergotropy_nm(a[mode], n_jj, m_jj)
            return np.atleast_1d(e * self._omega[mode])
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        alpha, N, M = self._mode_moments(ts, [mode], a0, N0, M0)
        e = _ergotropy_nm(alpha[:, 0], N[:, 0, 0].real, M[:, 0, 0])
        return _finite_result(e[inv] * self._omega[mode], "ergotropy")

    def _mode_moments(self, ts, J, a0, N0, M0):
        """``alpha_J``, ``N_JJ``, ``M_JJ`` of the modes ``J`` on the sorted distinct grid ``ts``.

        Which path: small networks slice the full moments.  Large ones (sparse, or ``n > 48``)
        take the means from :meth:`_means` and, for the fluctuations of a stable network, the
        rows ``R = e^{A t}[J, :]`` (Taylor steps of ``e^{A^T t}`` on ``len(J)`` unit vectors) in
        ``N_JJ = N_ss,JJ + conj(R) (N0 - N_ss) R^T`` and ``M_JJ = M_ss,JJ + R (M0 - M_ss) R^T``:
        ``O(len(J) n)`` per time with no noise or one common bath occupation, after the decay
        bound has proven the steady state nothing.  A time where this difference cancels (more
        than two digits lost: very early times) takes the full moments instead (a sparse
        network: the integral form along the rows, :meth:`_rows_integral`).  Other noise, or an
        initial state, takes the eigenbasis of the drift when it exists, else (a sparse network)
        the integral form along the rows at every time.
        """
        J = np.asarray(J, int)
        m = len(J)
        T = len(ts)
        if not self._large():
            alpha, N, M = self._moments_sorted(ts, a0, N0, M0)
            alpha, N, M = self._dense(T, alpha, N, M)
            return alpha[:, J], N[np.ix_(np.arange(T), J, J)], M[np.ix_(np.arange(T), J, J)]
        alpha = self._means(ts, a0)
        alpha = np.zeros((T, m), complex) if alpha is None else alpha[:, J]
        NJ = np.zeros((T, m, m), complex)
        MJ = np.zeros((T, m, m), complex)
        if not self._has_noise and N0 is None and M0 is None:
            return alpha, NJ, MJ
        stable, _ = self._check_times(ts)
        if not stable:
            _, N, M = self._moments_sorted(ts, None, N0, M0, means=False)
            _, N, M = self._dense(T, None, N, M)
            return alpha, N[np.ix_(np.arange(T), J, J)], M[np.ix_(np.arange(T), J, J)]
        n = self._n
        sp = self._spectral() if self._noise_kind == "general" or N0 is not None or M0 is not None else None
        if sp is not None:
            # exact in the eigenbasis at every time: O(len(J) n^2) per time, no cancellation
            Qp, Pp = self._spectral_sources()
            N0p = None if N0 is None else sp.to_normal(N0)
            M0p = None if M0 is None else sp.to_anomalous(M0)
            for k, t in enumerate(ts):
                if t == 0:
                    NJ[k] = 0.0 if N0 is None else N0[np.ix_(J, J)]
                    MJ[k] = 0.0 if M0 is None else M0[np.ix_(J, J)]
                else:
                    NJ[k], MJ[k] = sp.rows(float(t), J, Qp, N0p, Pp, M0p)
            NJ = 0.5 * (NJ + NJ.conj().transpose(0, 2, 1))
            MJ = 0.5 * (MJ + MJ.transpose(0, 2, 1))
            return alpha, NJ, MJ
        if self._sparse and (self._noise_kind == "general" or N0 is not None or M0 is not None):
            # the integral form along the rows: exact at every time, no steady state needed
            NJ, MJ = self._rows_integral(ts, J, N0, M0)
            return alpha, NJ, MJ
        if self._noise_kind == "general":
            Nss, Mss = self._fluct_ss()
            NssJ, MssJ = Nss[np.ix_(J, J)], Mss[np.ix_(J, J)]
        else:
            Nss = Mss = None
            NssJ = self._common_n * np.eye(m, dtype=complex)
            MssJ = np.zeros((m, m), complex)
        # D = N0 - N_ss, as a callable on the rows (structured: no dense matrix)
        c = self._common_n

        def quad_N(R):
            if Nss is None:
                out = -c * (R.conj() @ R.T)
                return out if N0 is None else out + R.conj() @ N0 @ R.T
            return R.conj() @ ((0 if N0 is None else N0) - Nss) @ R.T

        def quad_M(R):
            if Mss is None:
                return np.zeros((m, m), complex) if M0 is None else R @ M0 @ R.T
            return R @ ((0 if M0 is None else M0) - Mss) @ R.T

        D_max = max(c if Nss is None else float(np.max(np.abs(Nss))),
                    0.0 if Mss is None else float(np.max(np.abs(Mss))),
                    0.0 if N0 is None else float(np.max(np.abs(N0))),
                    0.0 if M0 is None else float(np.max(np.abs(M0))))
        scale = np.maximum(np.real(np.diag(NssJ)), np.abs(np.diag(MssJ)))
        thr = np.log(np.maximum(2.0**-30 * np.sqrt(np.maximum(scale, 0.0) / max(D_max, 1e-300)), 1e-150))
        t_done = float(np.max(self._bound()._settle(np.ones(n), _expand(thr, J, n))[J])) if D_max else 0.0
        todo = np.zeros(T, bool)
        X = np.zeros((n, m), complex)
        X[J, np.arange(m)] = 1.0
        stepper = self._stepper_T()
        t_cur = 0.0
        live = ts[(ts < t_done) & (ts > 0)]
        if len(live) and stepper.norm * float(live[-1]) / _sp.TAYLOR_THETA > _sp.MAX_STEPS:
            todo[(ts < t_done) & (ts > 0)] = True
        for k in range(T):
            t = ts[k]
            if t >= t_done:
                NJ[k], MJ[k] = NssJ, MssJ
                continue
            if t == 0:
                NJ[k] = 0.0 if N0 is None else N0[np.ix_(J, J)]
                MJ[k] = 0.0 if M0 is None else M0[np.ix_(J, J)]
                continue
            if todo[k]:
                continue
            X = stepper.advance(X, t - t_cur)
            t_cur = t
            R = X.T
            NJ[k] = NssJ + quad_N(R)
            MJ[k] = MssJ + quad_M(R)
            # more than two digits cancelled: the full moments at this time
            ref_N = np.abs(np.diag(NssJ)) + (0 if N0 is None else np.abs(np.diag(N0)[J]))
            ref_M = np.abs(np.diag(MssJ)) + (0 if M0 is None else np.abs(np.diag(M0)[J]))
            if np.any(np.abs(np.diag(NJ[k])) < _DIFF_RATIO * ref_N) or np.any(np.abs(np.diag(MJ[k])) < _DIFF_RATIO * ref_M):
                todo[k] = True
        if np.any(todo):
            if self._sparse:
                NJ[todo], MJ[todo] = self._rows_integral(ts[todo], J, N0, M0)
            else:
                _, N, M = self._moments_sorted(ts[todo], None, N0, M0, means=False)
                _, N, M = self._dense(int(todo.sum()), None, N, M)
                NJ[todo] = N[np.ix_(np.arange(int(todo.sum())), J, J)]
                MJ[todo] = M[np.ix_(np.arange(int(todo.sum())), J, J)]
        NJ = 0.5 * (NJ + NJ.conj().transpose(0, 2, 1))
        MJ = 0.5 * (MJ + MJ.transpose(0, 2, 1))
        return alpha, NJ, MJ

    def _rows_integral(self, ts, J, N0, M0, diagonal: bool = False):
        """``N_JJ``, ``M_JJ`` on the sorted grid ``ts`` by the integral form along the rows of
        ``e^{A t}`` (:func:`nrqb.engine.sparse._row_moments`): no dense matrix, no steady state.

        ``t = inf`` integrates until the rows have underflowed to exactly zero (at most
        ``MAX_STEPS`` Taylor steps; beyond, a ``ValueError`` naming ``t``).
        """
        fin = ts[np.isfinite(ts)]
        horizon = None
        if len(fin) < len(ts) or (len(fin) and self._stepper_T().norm * fin[-1] / _sp.TAYLOR_THETA > _sp.MAX_STEPS):
            horizon = self._underflow_time()
        grid = fin if horizon is None else np.unique(np.minimum(np.append(fin, horizon), horizon))
        if len(grid) and self._stepper_T().norm * grid[-1] / _sp.TAYLOR_THETA > _sp.MAX_STEPS:
            raise ValueError(
                f"t: the fluctuations at t = {ts[-1]:g} need more than {_sp.MAX_STEPS} Taylor steps "
                "along the rows of this network (no decay bound proves an earlier steady state)"
            )
        Q = self._Qs if self._has_noise else None
        P = self._Ps if self._has_noise and self._Ps.nnz else None
        N, M = _sp._row_moments(self._As, grid, np.asarray(J), Q, P, N0, M0, diagonal=diagonal)
        pos = np.searchsorted(grid, np.minimum(ts, grid[-1] if len(grid) else 0.0))
        return N[pos], M[pos]

    def _underflow_time(self) -> float:
        """A time by which every row of ``e^{A t}`` is below ``2^-1074`` (decay bound), or ``inf``."""
        n = self._n
        return float(np.max(self._bound()._settle(np.ones(n), np.full(n, np.log(2.0**-1074)))))

    def _stepper_T(self):
        """Taylor steps of ``e^{A^T t}`` (its columns are the rows of ``e^{A t}``)."""
        if not hasattr(self, "_stepper_T_cache"):
            self._stepper_T_cache = _sp._Stepper(_sp._csr(self._As.T))
        return self._stepper_T_cache

    def eliminated_drift(self, keep: Sequence[int]) -> np.ndarray:
        """Drift of the kept modes after eliminating all others at zero frequency.

        The Schur complement ``A_kk - A_ke A_ee^{-1} A_ek``: exact for steady-state amplitudes
        (the eliminated modes are slaved to the kept ones when their time derivatives vanish),
        and the adiabatic-elimination result when the eliminated modes are fast.  The effective
        one-way coupling of a nonreciprocal link reads off its off-diagonal entries.

        Parameters
        ----------
        keep : sequence of int
            Indices of the modes to keep (distinct, ``-n <= k < n``), in the order wanted.

        Returns
        -------
        ndarray, shape (len(keep), len(keep)), complex

        Raises
        ------
        ValueError
            For repeated or out-of-range indices, or when the eliminated block of the drift is
            singular (an undamped eliminated mode: no zero-frequency elimination exists).

        References
        ----------
        Ahmadi et al. (elimination of the shared reservoir, below Eq. (1)); Zhao et al.
        (intermediate lossy modes of the AB triangles); Lin et al., Eqs. (17)-(18).
        """
        if isinstance(keep, (str, bytes)) or not isinstance(keep, (Sequence, np.ndarray)):
            raise ValueError(f"keep must be a sequence of mode indices, got {keep!r}")
        idx = [_index(k, "keep", self._n) for k in keep]
        if len(set(idx)) != len(idx) or not idx:
            raise ValueError(f"keep must list distinct mode indices, got {list(keep)!r}")
        rest = [j for j in range(self._n) if j not in idx]
        A = self._A
        if not rest:
            return A[np.ix_(idx, idx)].copy()
        Aee = A[np.ix_(rest, rest)]
        # a singular (or numerically singular) block means an undamped eliminated mode
        scale = frobenius(A)
        sv = np.linalg.svd(Aee, compute_uv=False)
        if sv[-1] <= 1e-13 * scale:
            raise ValueError(
                f"keep = {list(keep)!r}: the eliminated modes have a singular drift block (an "
                "undamped mode among them): no zero-frequency elimination"
            )
        X = np.linalg.solve(Aee, A[np.ix_(rest, idx)])
        return A[np.ix_(idx, idx)] - A[np.ix_(idx, rest)] @ X

    def _mode_index(self, mode: Any, name: str = "mode") -> int:
        return _index(mode, name, self._n)

    # ------------------------------------------------------------------ frequency response
    def susceptibility(self, omega: Any) -> np.ndarray:
        """Susceptibility ``chi(omega) = (-i omega I - A)^{-1}``: see :func:`nrqb.engine.frequency.susceptibility`."""
        from .frequency import susceptibility

        return susceptibility(self, omega)

    def isolation(self, omega: Any, a: int, b: int) -> np.ndarray:
        """Isolation ratio ``|chi_ba| / |chi_ab|`` of modes ``a, b``: see :func:`nrqb.engine.frequency.isolation`."""
        from .frequency import isolation

        return isolation(self, omega, a, b)

    # ------------------------------------------------------------------ qutip bridge
    def to_qutip(self, cutoff: int | Sequence[int]):
        """The same model in a truncated Fock space, for qutip's ``mesolve``/``steadystate``.

        Parameters
        ----------
        cutoff : int or sequence of int
            Fock-space dimension per mode (one value for all, or one per mode), integers
            ``>= 2`` with a total dimension of at most ``MAX_DIMENSION`` of
            :mod:`nrqb.engine.qutip_bridge`.

        Returns
        -------
        H : qutip.Qobj
            ``sum h_ij a_i^dag a_j + sum (F_j a_j^dag + h.c.)``.
        c_ops : list of qutip.Qobj
            Collapse operators.  Thermal channels give ``sqrt(gamma (N+1)) L`` and
            ``sqrt(gamma N) L^dag``; squeezed channels are diagonalised: the Kossakowski matrix
            ``[[N+1, -M], [-M^*, N]]`` over ``(L, L^dag)`` gives one or two collapse operators.

        Notes
        -----
        The truncation is exact only as the cutoff grows; use weak drive and check convergence.
        """
        from .qutip_bridge import network_to_qutip

        return network_to_qutip(self, cutoff)

    def __repr__(self) -> str:
        return (
            f"LinearNetwork(n_modes={self._n}, channels={self._n + len(self._jump_rates)}, "
            f"noise={'yes' if self.has_noise else 'no'})"
        )
