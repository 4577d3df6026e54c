"""Exact Gaussian engine for driven, damped linear bosonic networks.

Every model of the four papers reproduced in this book is a *linear* bosonic network: a
quadratic, number-conserving Hamiltonian in the frame rotating at the drive frequency, a
coherent drive that is linear in the mode operators, and Lindblad channels whose jump
operators are linear combinations of the annihilation operators (local losses and shared
"collective" reservoirs), optionally at finite temperature or squeezed.  For such models the
first moments obey closed linear equations, and so do the second moments.  They are solved
here exactly: matrix exponentials (or an eigendecomposition) for the dynamics and Lyapunov
equations for the steady state.  No ODE is integrated.

Conventions
-----------
Units with hbar = 1.  The master equation is

.. math::

    \\dot\\rho = -i[H, \\rho] + \\sum_k \\gamma_k \\big[(N_k + 1) D[L_k] + N_k D[L_k^\\dagger]
               - M_k D'[L_k] - M_k^* D'[L_k^\\dagger]\\big]\\rho ,

with ``H = sum_ij h_ij a_i^dag a_j + sum_j (F_j a_j^dag + F_j^* a_j)``,
``D[L]rho = L rho L^dag - {L^dag L, rho}/2`` and ``D'[L]rho = L rho L - {L L, rho}/2``
(the form of Liu et al., Eq. (16)).  Channel k is either a local loss (``L = a_j``, rate
``kappa_j``) or a shared reservoir (``L = sum_j c_j a_j``, rate ``gamma``).  For a thermal
channel ``N = n_th`` and ``M = 0``; for a squeezed channel with squeezing ``(r, theta)`` and
thermal occupation ``n_th``,

    N = (n_th + 1/2) cosh(2r) - 1/2,        M = (n_th + 1/2) sinh(2r) exp(-i theta),

which for ``n_th = 0`` is Liu et al.'s ``P = sinh^2 r`` and ``Q = sinh r cosh r e^{-i theta}``.
With this phase convention a single damped mode relaxes to ``<a a> = sinh r cosh r e^{+i theta}``
(the standard squeezed vacuum ``S(xi)|0>`` with ``xi = r e^{i(theta + pi)}``).

The first moments obey ``d<a>/dt = A <a> - i F`` with the drift matrix

    A = -i h - K / 2,    K_ij = kappa_i delta_ij + sum_k gamma_k conj(c_k,i) c_k,j .

The fluctuations ``da = a - <a>`` have normally ordered moments ``N_ij = <da_i^dag da_j>`` and
anomalous moments ``M_ij = <da_i da_j>`` obeying

    dN/dt = conj(A) N + N A^T + Q,     Q_ij = sum_k gamma_k N_k c_k,i conj(c_k,j),
    dM/dt = A M + M A^T + P,           P_ij = sum_k gamma_k conj(M_k) conj(c_k,i) conj(c_k,j).

References
----------
B. Ahmadi et al., Phys. Rev. Lett. 132, 210402 (2024) and its arXiv version, Eqs. (2)-(4) (the special case of
two modes and one shared reservoir).  B.-B. Liu et al. (2026), Eqs. (15)-(16) (thermal and
squeezed reservoirs).  C. W. Gardiner and P. Zoller, *Quantum Noise* (Springer), ch. 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Number
from typing import Any, Mapping, Sequence

import numpy as np
import scipy.linalg as sla

from .gaussian import gaussian_ergotropy, quadrature_covariance
from .propagation import expm_stack, propagators, sparse_amplitudes, van_loan
from .steady import fluctuations_ss, solve_alpha_ss
from .validation import finite_array as _finite_array, rate as _rate, times_1d

__all__ = ["LinearNetwork"]

#: eigenvalues of the drift with real part above ``-STABILITY_TOL * scale`` count as unstable
STABILITY_TOL = 1e-12


@dataclass(frozen=True)
class _Channel:
    rate: float
    coeffs: np.ndarray  # (n,) complex: L = sum_j coeffs[j] a_j
    n_th: float
    sq_m: complex  # M_k of the module docstring (Liu's Q for n_th = 0)


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
    loss : (n,) array_like, optional
        Local decay rates ``kappa_j >= 0``: channel ``kappa_j D[a_j]``.  Default zero.
    jumps : sequence of (rate, coefficients), optional
        Shared reservoirs: channel ``rate * D[sum_j c_j a_j]`` with ``coefficients`` an (n,)
        complex vector ``c``.  Ahmadi et al.'s ``Gamma L_z`` with ``z = p_a a + p_b b`` is
        ``(Gamma, [p_a, p_b])``.
    drive : (n,) array_like, optional
        Complex drive amplitudes ``F_j`` of ``sum_j (F_j a_j^dag + F_j^* a_j)``.  Default zero.
    n_th : float or sequence of float, optional
        Thermal occupation of the baths: every channel ``L`` becomes
        ``(n_th + 1) D[L] + n_th D[L^dag]``.  A scalar for all channels, or one value per channel
        (local losses first, in mode order, then the jumps in the order given).
    squeezing : (r, theta) or sequence of (r, theta), optional
        Squeezed baths with the terms of Liu et al., Eq. (16): ``-M D'[L] - M^* D'[L^dag]``
        with ``M = (n_th + 1/2) sinh(2 r) e^{-i theta}`` and the occupation replaced by
        ``(n_th + 1/2) cosh(2 r) - 1/2``.  One pair for every channel, or one pair per channel
        (same order as ``n_th``).  A lone damped mode relaxes to ``<a^2> = sinh r cosh r e^{i theta}``.
    omega : float or (n,) array_like, optional
        Energy per quantum of each mode; energies are ``omega_j <a_j^dag a_j>``.  Default 1.
    alpha0 : (n,) array_like, optional
        Initial coherent amplitudes; fluctuations start in the vacuum.  Default: vacuum.

    Raises
    ------
    ValueError
        On NaN/inf entries, negative rates or occupations, a non-Hermitian ``hamiltonian``,
        or arrays of the wrong shape.  The message names the offending parameter.

    Notes
    -----
    The master equation and the moment equations are stated in the module docstring of
    :mod:`nrqb.engine.network`.  The state stays Gaussian at all times, so first and second moments
    determine every observable computed here exactly, at any drive strength.

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
        h = _finite_array(hamiltonian, "hamiltonian")
        if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
            raise ValueError(f"hamiltonian must be a square (n, n) matrix, got shape {h.shape}")
        n = h.shape[0]
        scale = max(1.0, float(np.max(np.abs(h))))
        if not np.allclose(h, h.conj().T, rtol=0, atol=1e-12 * scale):
            raise ValueError("hamiltonian must be Hermitian (h == h.conj().T)")
        self._n = n
        self._h = 0.5 * (h + h.conj().T)

        kappa = np.zeros(n) if loss is None else _finite_array(loss, "loss", dtype=float)
        if kappa.ndim == 0:
            kappa = np.full(n, float(kappa))
        if kappa.shape != (n,):
            raise ValueError(f"loss must have shape ({n},), got {kappa.shape}")
        if np.any(kappa < 0):
            raise ValueError(f"loss rates must be >= 0, got {kappa.tolist()}")
        self._kappa = kappa

        F = np.zeros(n, complex) if drive is None else _finite_array(drive, "drive")
        if F.shape != (n,):
            raise ValueError(f"drive must have shape ({n},), got {F.shape}")
        self._F = F

        a0 = np.zeros(n, complex) if alpha0 is None else _finite_array(alpha0, "alpha0")
        if a0.shape != (n,):
            raise ValueError(f"alpha0 must have shape ({n},), got {a0.shape}")
        self._alpha0 = a0

        om = _finite_array(omega, "omega", dtype=float)
        if om.ndim == 0:
            om = np.full(n, float(om))
        if om.shape != (n,):
            raise ValueError(f"omega must be a scalar or have shape ({n},), got {om.shape}")
        self._omega = om

        # channels: local losses first, then jumps
        raw: list[tuple[float, np.ndarray]] = []
        eye = np.eye(n, dtype=complex)
        for j in range(n):
            raw.append((float(kappa[j]), eye[j]))
        if isinstance(jumps, (str, bytes)) or not isinstance(jumps, Sequence):
            raise ValueError("jumps must be a sequence of (rate, coefficients) pairs")
        for k, jump in enumerate(jumps):
            try:
                rate, coeffs = jump
            except (TypeError, ValueError) as exc:
                raise ValueError(f"jumps[{k}] must be a (rate, coefficients) pair") from exc
            rate = _rate(rate, f"jumps[{k}] rate")
            c = _finite_array(coeffs, f"jumps[{k}] coefficients")
            if c.shape != (n,):
                raise ValueError(f"jumps[{k}] coefficients must have shape ({n},), got {c.shape}")
            raw.append((rate, c))
        nch = len(raw)

        nth = _finite_array(n_th, "n_th", dtype=float)
        if nth.ndim == 0:
            nth = np.full(nch, float(nth))
        if nth.shape != (nch,):
            raise ValueError(
                f"n_th must be a scalar or have one value per channel ({nch}: {n} local losses "
                f"then {len(jumps)} jumps), got shape {nth.shape}"
            )
        if np.any(nth < 0):
            raise ValueError(f"n_th must be >= 0, got {nth.tolist()}")

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
                raise ValueError(f"squeezing strength r must be >= 0, got {sq[:, 0].tolist()}")

        chans = []
        for (rate, c), nk, (r, theta) in zip(raw, nth, sq):
            n_eff = (nk + 0.5) * np.cosh(2 * r) - 0.5
            m_eff = (nk + 0.5) * np.sinh(2 * r) * np.exp(-1j * theta)
            chans.append(_Channel(rate, c, float(n_eff), complex(m_eff)))
        self._channels = tuple(chans)
        self._n_th = nth
        self._squeezing = sq

        K = np.diag(kappa).astype(complex)
        Q = np.zeros((n, n), complex)
        P = np.zeros((n, n), complex)
        for ch in chans:
            if ch.rate == 0 or (ch.n_th == 0 and ch.sq_m == 0):
                continue
            idx = np.flatnonzero(ch.coeffs)  # jumps are usually local: touch only their modes
            c = ch.coeffs[idx]
            Q[np.ix_(idx, idx)] += ch.rate * ch.n_th * np.outer(c, c.conj())
            P[np.ix_(idx, idx)] += ch.rate * np.conj(ch.sq_m) * np.outer(c.conj(), c.conj())
        for rate, c in raw[n:]:
            idx = np.flatnonzero(c)
            K[np.ix_(idx, idx)] += rate * np.outer(c[idx].conj(), c[idx])
        self._K = K
        self._Q = Q
        self._P = P
        self._A = -1j * self._h - 0.5 * K
        self._eig_cache: tuple | None = None
        self._eigvals: np.ndarray | None = None
        self._has_noise = bool(np.any(Q != 0) or np.any(P != 0))
        self._stable: bool | None = None
        self._alpha_ss_cache: np.ndarray | None = None
        self._ss_cache: dict | None = None

    # ------------------------------------------------------------------ basic properties
    @property
    def n_modes(self) -> int:
        """Number of modes ``n``."""
        return self._n

    @property
    def hamiltonian(self) -> np.ndarray:
        """The Hermitian matrix ``h`` (a copy)."""
        return self._h.copy()

    @property
    def drive(self) -> np.ndarray:
        """The drive amplitudes ``F`` (a copy)."""
        return self._F.copy()

    @property
    def omega(self) -> np.ndarray:
        """Energy per quantum of each mode (a copy)."""
        return self._omega.copy()

    @property
    def damping_matrix(self) -> np.ndarray:
        """``K = diag(kappa) + sum_k gamma_k conj(c_k) c_k^T``, so that ``A = -i h - K/2``."""
        return self._K.copy()

    @property
    def drift(self) -> np.ndarray:
        """The drift matrix ``A`` of ``d<a>/dt = A <a> - i F`` (module docstring; Ahmadi Eq. (2))."""
        return self._A.copy()

    @property
    def noise(self) -> tuple[np.ndarray, np.ndarray]:
        """The diffusion matrices ``(Q, P)`` of the normal and anomalous fluctuation equations."""
        return self._Q.copy(), self._P.copy()

    @property
    def channels(self) -> tuple[tuple[float, np.ndarray, float, complex], ...]:
        """Every channel as ``(rate, coefficients, N, M)``: local losses first, then jumps."""
        return tuple((c.rate, c.coeffs.copy(), c.n_th, c.sq_m) for c in self._channels)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of the drift matrix ``A`` (decay rates are ``-Re``)."""
        if self._eigvals is None:
            A = self._A
            # one-way networks have triangular drifts (up to the round-off of -i h - K/2, which
            # cancels exactly in exact arithmetic): their eigenvalues are the diagonal
            tiny = 1e-14 * float(np.max(np.abs(A))) if A.size else 0.0
            if np.max(np.abs(np.triu(A, 1)), initial=0.0) <= tiny or np.max(np.abs(np.tril(A, -1)), initial=0.0) <= tiny:
                self._eigvals = np.diag(A).copy()
            else:
                self._eigvals = np.linalg.eigvals(A)
        return self._eigvals.copy()

    def is_stable(self) -> bool:
        """True if every eigenvalue of the drift has a strictly negative real part."""
        if self._stable is None:
            scale = max(1.0, float(np.max(np.abs(self._A))))
            if self._eigvals is None and self._n > 48 and self._damping_positive_definite(scale):
                # Re(lambda) = -<v|K|v>/2 <= -lambda_min(K)/2 < 0 for every eigenpair: no
                # eigendecomposition needed (every mode has some loss, the usual case)
                self._stable = True
            else:
                ev = self.eigenvalues()
                self._stable = bool(np.max(ev.real) < -STABILITY_TOL * scale)
        return self._stable

    def _damping_positive_definite(self, scale: float) -> bool:
        """True if ``K - tol * scale`` has a Cholesky factor (then the drift is strictly stable)."""
        try:
            np.linalg.cholesky(self._K - 1e-10 * scale * np.eye(self._n))
        except np.linalg.LinAlgError:
            return False
        return True

    @property
    def has_noise(self) -> bool:
        """True if thermal or squeezed noise feeds the fluctuations."""
        return self._has_noise

    # ------------------------------------------------------------------ propagators

    def _eig(self):
        """Eigendecomposition of A, or None when it is ill-conditioned (near an EP)."""
        if self._eig_cache is None:
            lam, S = np.linalg.eig(self._A)
            cond = np.linalg.cond(S)
            ok = np.isfinite(cond) and cond < 1e6
            if ok:
                Sinv = np.linalg.inv(S)
                err = np.linalg.norm(S @ np.diag(lam) @ Sinv - self._A)
                ok = err <= 1e-10 * max(1.0, np.linalg.norm(self._A))
                self._eig_cache = (lam, S, Sinv) if ok else (None,)
            else:
                self._eig_cache = (None,)
        return None if self._eig_cache[0] is None else self._eig_cache

    # ------------------------------------------------------------------ first moments
    def _alpha_ss(self) -> np.ndarray:
        # steady state of d<a>/dt = A <a> - i F  ->  A alpha = i F
        if self._alpha_ss_cache is None:
            self._alpha_ss_cache = solve_alpha_ss(self._A, self._F)
        return self._alpha_ss_cache

    def _require_stable(self) -> None:
        if not self.is_stable():
            ev = self.eigenvalues()
            raise ValueError(
                "the network has no steady state: the drift matrix has an eigenvalue with "
                f"non-negative real part (max Re = {np.max(ev.real):.3e}); add loss to every "
                "mode or check the couplings"
            )

    def amplitudes(self, t: Any) -> np.ndarray:
        """Coherent amplitudes ``<a_j>(t)``.

        Parameters
        ----------
        t : array_like
            1-D array of times (any order, ``t >= 0`` not required).

        Returns
        -------
        ndarray, shape (len(t), n), complex
            ``<a_j>(t)`` solving ``d<a>/dt = A <a> - i F`` from ``alpha0`` (Ahmadi Eq. (2)).
        """
        t = times_1d(t)
        n = self._n
        out = np.empty((len(t), n), complex)
        if not np.any(self._F) and not np.any(self._alpha0):
            out[:] = 0.0
            return out
        if self.is_stable():
            ass = self._alpha_ss()
            d0 = self._alpha0 - ass
            sparse = sparse_amplitudes(self._A, t, d0)
            if sparse is not None:
                return sparse + ass
            eig = self._eig() if self._n <= 400 else None
            if eig is not None:
                lam, S, Sinv = eig
                w = Sinv @ d0
                out[:] = (np.exp(np.outer(t, lam)) * w) @ S.T + ass
                return out
            if self._n <= 48:
                return expm_stack(self._A, t) @ d0 + ass
            for k, E in propagators(self._A, t):
                out[k] = E @ d0 + ass
            return out
        # marginal or unstable drift: augmented-matrix exponential (exact, no inverse of A)
        B = np.zeros((n + 1, n + 1), complex)
        B[:n, :n] = self._A
        B[:n, n] = -1j * self._F
        v0 = np.append(self._alpha0, 1.0)
        for k, tk in enumerate(t):
            out[k] = (sla.expm(B * tk) @ v0)[:n]
        return out

    # ------------------------------------------------------------------ second moments

    def fluctuations(self, t: Any) -> tuple[np.ndarray, np.ndarray]:
        """Normal and anomalous fluctuation moments ``N_ij = <da_i^dag da_j>``, ``M_ij = <da_i da_j>``.

        Parameters
        ----------
        t : array_like
            1-D array of times ``t >= 0``; the fluctuations start in the vacuum at ``t = 0``.

        Returns
        -------
        N, M : ndarray, shape (len(t), n, n), complex
            Solutions of ``dN/dt = conj(A) N + N A^T + Q`` and ``dM/dt = A M + M A^T + P``
            (module docstring).  Zero when the baths are at zero temperature and unsqueezed.
        """
        t = times_1d(t)
        n = self._n
        N = np.zeros((len(t), n, n), complex)
        M = np.zeros((len(t), n, n), complex)
        if not self.has_noise:
            return N, M
        if self.is_stable():
            Nss, Mss = fluctuations_ss(self._A, self._Q, self._P)
            for k, E in propagators(self._A, t):
                N[k] = Nss - E.conj() @ Nss @ E.T
                M[k] = Mss - E @ Mss @ E.T
        else:
            # Van Loan's block exponential: integral_0^t e^{Fs} Q e^{Gs} ds
            for k, tk in enumerate(t):
                N[k] = van_loan(self._A.conj(), self._A.T, self._Q, tk)
                M[k] = van_loan(self._A, self._A.T, self._P, tk)
        return N, M

    def occupations(self, t: Any) -> np.ndarray:
        """Mean occupations ``<a_j^dag a_j>(t)``, thermal and squeezed noise included.

        Returns
        -------
        ndarray, shape (len(t), n), real
            ``|<a_j>|^2 + N_jj``.
        """
        t = times_1d(t)
        alpha = self.amplitudes(t)
        occ = np.abs(alpha) ** 2
        if self.has_noise:
            N, _ = self.fluctuations(t)
            occ = occ + np.real(np.diagonal(N, axis1=1, axis2=2))
        return occ

    def energies(self, t: Any) -> np.ndarray:
        """Energies ``omega_j <a_j^dag a_j>(t)``, shape (len(t), n) (Ahmadi Eq. (5) for the battery)."""
        return self.occupations(t) * self._omega

    def power(self, t: Any) -> np.ndarray:
        """Instantaneous charging power ``dE_j/dt`` of every mode, exactly (no finite differences).

        ``d|alpha_j|^2/dt = 2 Re(conj(alpha_j) (A alpha - i F)_j)`` and
        ``dN_jj/dt = (conj(A) N + N A^T + Q)_jj`` from the moment equations of the module docstring.

        Returns
        -------
        ndarray, shape (len(t), n), real
            ``omega_j d<a_j^dag a_j>/dt``: Lin et al.'s ``P(t) = dE_B/dt`` for the battery.  (Zhao
            et al.'s average power is ``E(t)/t`` instead.)
        """
        t = times_1d(t)
        alpha = self.amplitudes(t)
        dalpha = alpha @ self._A.T - 1j * self._F
        rate = 2 * np.real(np.conj(alpha) * dalpha)
        if self.has_noise:
            N, _ = self.fluctuations(t)
            dN = np.einsum("ij,tjk->tik", self._A.conj(), N) + np.einsum("tij,kj->tik", N, self._A) + self._Q
            rate = rate + np.real(np.diagonal(dN, axis1=1, axis2=2))
        return rate * self._omega

    def covariance(self, t: Any) -> np.ndarray:
        """Quadrature covariance matrices ``V(t)``.

        Convention: quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
        ordered ``(x_1, p_1, x_2, p_2, ...)``, and ``V_kl = <{dR_k, dR_l}>/2``, so that the vacuum
        is ``V = I/2``.  The means are returned by :meth:`amplitudes`.

        Returns
        -------
        ndarray, shape (len(t), 2n, 2n), real
        """
        N, M = self.fluctuations(t)
        return quadrature_covariance(N, M)

    def steady_state(self) -> dict[str, np.ndarray]:
        """The state at ``t -> infinity``.

        Returns
        -------
        dict
            ``amplitudes`` (n,), ``occupations`` (n,), ``energies`` (n,), ``covariance``
            (2n, 2n) in the convention of :meth:`covariance`, and the fluctuation moments
            ``N`` and ``M`` (n, n).

        Raises
        ------
        ValueError
            If the drift has an eigenvalue with non-negative real part (no unique steady state).
        """
        self._require_stable()
        if self._ss_cache is None:
            alpha = self._alpha_ss()
            N, M = fluctuations_ss(self._A, self._Q, self._P)
            occ = np.abs(alpha) ** 2 + np.real(np.diag(N))
            self._ss_cache = {
                "amplitudes": alpha,
                "occupations": occ,
                "energies": occ * self._omega,
                "covariance": quadrature_covariance(N[None], M[None])[0],
                "N": N,
                "M": M,
            }
        return {k: v.copy() for k, v in self._ss_cache.items()}

    def ergotropy(self, t: Any, mode: int) -> np.ndarray:
        """Ergotropy of one mode's reduced Gaussian state, ``omega * (|alpha|^2 + tr V / 2 - nu)``.

        Parameters
        ----------
        t : array_like or None
            1-D array of times, or ``None`` for the steady state.
        mode : int
            Mode index.

        Returns
        -------
        ndarray, shape (len(t),)
            Ergotropy in energy units (``omega`` of the mode times quanta); see
            :func:`gaussian_ergotropy`.

        References
        ----------
        Liu et al., Sec. IV (definition); the Gaussian formula is that of passive Gaussian states
        (a thermal state with the same symplectic eigenvalue ``nu = sqrt(det V)``).
        """
        mode = self._mode_index(mode)
        if t is None:
            ss = self.steady_state()
            V = ss["covariance"][2 * mode : 2 * mode + 2, 2 * mode : 2 * mode + 2]
            return np.atleast_1d(gaussian_ergotropy(ss["amplitudes"][mode], V) * self._omega[mode])
        t = times_1d(t)
        alpha = self.amplitudes(t)[:, mode]
        V = self.covariance(t)[:, 2 * mode : 2 * mode + 2, 2 * mode : 2 * mode + 2]
        return np.array([gaussian_ergotropy(a, v) for a, v in zip(alpha, V)]) * self._omega[mode]

    def eliminated_drift(self, keep: Sequence[int]) -> np.ndarray:
        """Drift of the kept modes after eliminating all others at zero frequency.

        The Schur complement ``A_kk - A_ke A_ee^{-1} A_ek``: exact for steady-state amplitudes
        (the eliminated modes are slaved to the kept ones when their time derivatives vanish),
        and the adiabatic-elimination result when the eliminated modes are fast.  The effective
        one-way coupling of a nonreciprocal link reads off its off-diagonal entries.

        Parameters
        ----------
        keep : sequence of int
            Indices of the modes to keep, in the order wanted.

        Returns
        -------
        ndarray, shape (len(keep), len(keep)), complex

        References
        ----------
        Ahmadi et al. (elimination of the shared reservoir, below Eq. (1)); Zhao et al.
        (intermediate lossy modes of the AB triangles); Lin et al., Eqs. (17)-(18).
        """
        idx = [self._mode_index(k) for k in keep]
        if len(set(idx)) != len(idx) or not idx:
            raise ValueError(f"keep must list distinct mode indices, got {list(keep)!r}")
        rest = [j for j in range(self._n) if j not in idx]
        A = self._A
        if not rest:
            return A[np.ix_(idx, idx)].copy()
        Aee = A[np.ix_(rest, rest)]
        try:
            X = np.linalg.solve(Aee, A[np.ix_(rest, idx)])
        except np.linalg.LinAlgError as exc:
            raise ValueError("the eliminated modes have a singular drift block (an undamped mode?)") from exc
        return A[np.ix_(idx, idx)] - A[np.ix_(idx, rest)] @ X

    def _mode_index(self, mode: Any) -> int:
        if not isinstance(mode, (int, np.integer)) or isinstance(mode, bool):
            raise ValueError(f"mode must be an integer index, got {mode!r}")
        if not -self._n <= mode < self._n:
            raise ValueError(f"mode must be in [0, {self._n}), got {mode}")
        return int(mode) % self._n

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
            Fock-space dimension per mode (one value for all, or one per mode).

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
            f"LinearNetwork(n_modes={self._n}, channels={len(self._channels)}, "
            f"noise={'yes' if self.has_noise else 'no'})"
        )


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------