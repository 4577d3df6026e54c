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

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .gaussian import _ergotropy_nm, quadrature_covariance
from .propagation import _dark_split, _decay_bound, _evolve, _frobenius as frobenius, _sparse_amplitudes
from .propagation import _dark_tolerances as dark_tolerances, _split_step_propagators, _step_propagators
from .steady import fluctuations_ss, solve_alpha_ss
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


@dataclass(frozen=True)
class _Channel:
    rate: float
    coeffs: np.ndarray  # (n,) complex: L = sum_j coeffs[j] a_j
    n_th: float
    sq_m: complex  # M_k of the module docstring (Liu's Q for n_th = 0)


def _finite_result(x: np.ndarray, what: str) -> np.ndarray:
    """``x``, or a ``ValueError`` when it overflowed (never a silent inf or NaN)."""
    if not np.all(np.isfinite(x)):
        raise ValueError(f"the {what} overflow double precision: reduce the drive, n_th, omega or t")
    return x


def _is_trusted_state(obj: Any) -> bool:
    """A :class:`nrqb.engine.states.GaussianState` (validated on construction, immutable)."""
    cls = type(obj)
    return cls.__name__ == "GaussianState" and cls.__module__ == "nrqb.engine.states"


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
        h = _finite_array(hamiltonian, "hamiltonian")
        if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
            raise ValueError(f"hamiltonian must be a square (n, n) matrix with n >= 1, got shape {h.shape}")
        n = h.shape[0]
        scale = float(np.max(np.abs(h)))
        if np.max(np.abs(h - h.conj().T)) > 1e-12 * scale:
            raise ValueError("hamiltonian must be Hermitian (h == h.conj().T)")
        self._n = n
        self._h = 0.5 * (h + h.conj().T)

        kappa = np.zeros(n) if loss is None else _finite_array(loss, "loss", dtype=float)
        if kappa.ndim == 0:
            kappa = np.full(n, float(kappa))
        if kappa.shape != (n,):
            raise ValueError(f"loss must be a scalar or have shape ({n},), got {kappa.shape}")
        if np.any(kappa < 0):
            raise ValueError(f"loss rates must be >= 0, got {kappa.tolist()}")
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
            raise ValueError(f"omega (energy per quantum) must be >= 0, got {om.tolist()}")
        self._omega = om

        # channels: local losses first, then jumps
        raw: list[tuple[float, np.ndarray]] = []
        eye = np.eye(n, dtype=complex)
        for j in range(n):
            raw.append((float(kappa[j]), eye[j]))
        if isinstance(jumps, (str, bytes)) or not isinstance(jumps, Sequence):
            raise ValueError(f"jumps must be a sequence of (rate, coefficients) pairs, got {type(jumps).__name__}")
        for k, jump in enumerate(jumps):
            if isinstance(jump, (str, bytes)) or not isinstance(jump, Sequence) or len(jump) != 2:
                raise ValueError(f"jumps[{k}] must be a (rate, coefficients) pair, got {jump!r}")
            rate, coeffs = jump
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
                raise ValueError(f"squeezing strength r must be >= 0, got {sq[:, 0].tolist()}")
            with np.errstate(over="ignore"):
                big = (nth + 0.5) * np.cosh(2 * sq[:, 0])
            if not np.all(big <= MAX_OCCUPATION):
                raise ValueError(
                    f"squeezing strength r is too large to represent: (n_th + 1/2) cosh(2 r) must be "
                    f"<= {MAX_OCCUPATION:g}, got r = {sq[:, 0].max():g}"
                )

        chans = []
        for (rate, c), nk, (r, theta) in zip(raw, nth, sq):
            # (n + 1/2) cosh 2r - 1/2 = n cosh 2r + sinh^2 r: no cancellation at small r
            n_eff = nk * np.cosh(2 * r) + np.sinh(r) ** 2
            m_eff = (nk + 0.5) * np.sinh(2 * r) * np.exp(-1j * theta)
            chans.append(_Channel(rate, c, float(n_eff), complex(m_eff)))
        self._channels = tuple(chans)
        self._n_th = nth
        self._squeezing = sq

        K = np.diag(kappa).astype(complex)
        Q = np.zeros((n, n), complex)
        P = np.zeros((n, n), complex)
        with np.errstate(over="ignore", invalid="ignore"):
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
        if not np.all(np.isfinite(K)):
            raise ValueError("jumps rates times |coefficients|^2 overflow: rescale the jumps")
        if not (np.all(np.isfinite(Q)) and np.all(np.isfinite(P))):
            raise ValueError("n_th or squeezing times the channel rates overflow: the noise cannot be represented")
        self._K = K
        self._Q = Q
        self._P = P
        self._A = -1j * self._h - 0.5 * K
        self._eigvals: np.ndarray | None = None
        self._has_noise = bool(np.any(Q != 0) or np.any(P != 0))
        self._stable: bool | None = None
        self._alpha_ss_cache: np.ndarray | None = None
        self._fl_ss_cache: tuple[np.ndarray, np.ndarray] | None = None
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
        """Eigenvalues of the drift matrix ``A`` (decay rates are ``-2 Re`` for the energies).

        A triangular drift (every one-way network in mode order) gives its diagonal, exactly;
        otherwise :func:`numpy.linalg.eigvals`.
        """
        if self._eigvals is None:
            A = self._A
            # one-way networks have triangular drifts (up to the round-off of -i h - K/2, which
            # cancels exactly in exact arithmetic): their eigenvalues are the diagonal
            tiny = 1e-14 * float(np.max(np.abs(A)))
            if np.max(np.abs(np.triu(A, 1)), initial=0.0) <= tiny or np.max(np.abs(np.tril(A, -1)), initial=0.0) <= tiny:
                self._eigvals = np.diag(A).copy()
            else:
                self._eigvals = np.linalg.eigvals(A)
        return self._eigvals.copy()

    def is_stable(self) -> bool:
        """True if the network relaxes to a unique steady state.

        The network is *marginal* (not stable) when it has a dark mode: a mode ``v`` that no
        channel reaches (``K v = 0``) and that the Hamiltonian does not couple out
        (``h v = omega v``), found up to round-off (``8 n eps ||K||``, ``8 n eps ||h||``:
        :func:`~nrqb.engine.propagation.dark_tolerances`).  Otherwise it is stable when every
        eigenvalue of the drift has a negative real part, however small: a network whose rates
        are all ``1e-13`` is stable.  Large networks (``n > 48``) whose damping matrix is
        positive definite (one Cholesky factorisation) are stable without an eigendecomposition:
        ``Re(lambda) = -<v|K|v>/2 <= -lambda_min(K)/2 < 0``.

        Returns
        -------
        bool
        """
        if self._stable is None:
            if self._n > 48 and self._eigvals is None and self._damping_positive_definite():
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

    @property
    def has_noise(self) -> bool:
        """True if thermal or squeezed noise feeds the fluctuations."""
        return self._has_noise

    # ------------------------------------------------------------------ steady state (internal)
    def _require_stable(self, what: str = "the network") -> None:
        if not self.is_stable():
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
            self._alpha_ss_cache = solve_alpha_ss(self._A, self._F)
        return self._alpha_ss_cache

    def _split(self):
        """The dark/damped split of a network with undamped modes (cached), or ``None``."""
        if not hasattr(self, "_split_cache"):
            self._split_cache = _dark_split(self._h, self._K, *dark_tolerances(self._h, self._K))
        return self._split_cache

    def _fluct_ss(self) -> tuple[np.ndarray, np.ndarray]:
        if self._fl_ss_cache is None:
            omega0, Ap = self._frame()
            self._fl_ss_cache = fluctuations_ss(Ap, self._Q, self._P, omega0=omega0)
        return self._fl_ss_cache

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
        """``(t, alpha, N, M)`` in the order of ``t``; a moment not asked for is ``None``."""
        tt, ts, inv = self._grid(t)
        a0, N0, M0 = self._initial(initial)
        n = self._n
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
            if stable:
                omega0, Ap = self._frame()
                self._check_resolution(Ap, None if omega0 else self._eigvals)
            elif split is not None:
                self._check_resolution(split.A_S)
        b = -1j * self._F if np.any(self._F) else None
        Q = self._Q if np.any(self._Q) else None
        P = self._P if np.any(self._P) else None
        want_a = means and (b is not None or a0 is not None)
        want_N = normal and (Q is not None or N0 is not None)
        want_M = anomalous and (P is not None or M0 is not None)

        # a moment that is identically zero stays None (no (T, n, n) array of zeros)
        alpha = np.zeros((T, n), complex) if want_a or (means and has_inf) else None
        N = np.zeros((T, n, n), complex) if want_N or (normal and has_inf and Q is not None) else None
        M = np.zeros((T, n, n), complex) if want_M or (anomalous and has_inf and P is not None) else None
        done_a = False
        if want_a and not want_N and not want_M and stable and n > 48 and len(fin):
            # large sparse drifts: Krylov-free Taylor steps on the means alone
            ass = self._alpha_ss()
            d0 = (np.zeros(n, complex) if a0 is None else a0) - ass
            sparse = _sparse_amplitudes(self._A, fin, d0, _decay_bound(self._K))
            if sparse is not None:
                alpha[: len(fin)] = sparse + ass
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
        out = [None if x is None else x[inv] for x in (alpha, N, M)]
        return tt, ts, inv, out[0], out[1], out[2]

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
            ``<a_j>(t)`` solving ``d<a>/dt = A <a> - i F`` (Ahmadi Eq. (2)).  Large sparse
            stable drifts (``n > 48``) use Taylor steps on the vector (``expm_multiply``).
        """
        tt, _, _, alpha, _, _ = self._moments(t, initial, normal=False, anomalous=False)
        return self._dense(len(tt), alpha, None, None)[0] if alpha is None else alpha

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
            Solutions of ``dN/dt = conj(A) N + N A^T + Q`` and ``dM/dt = A M + M A^T + P``
            (module docstring).  Zero when the baths are at zero temperature and unsqueezed and
            the initial fluctuations are those of the vacuum.
        """
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
        tt, _, _, alpha, N, _ = self._moments(t, initial, anomalous=False)
        occ = np.zeros((len(tt), self._n))
        if alpha is not None:
            occ += np.abs(alpha) ** 2
        if N is not None:
            occ += np.real(np.diagonal(N, axis1=1, axis2=2))
        return _finite_result(occ, "occupations")

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
        return _finite_result(self.occupations(t, initial) * self._omega, "energies")

    def power(self, t: Any, initial: Any = None) -> np.ndarray:
        """Instantaneous charging power ``dE_j/dt`` of every mode, exactly (no finite differences).

        ``d|alpha_j|^2/dt = 2 Re(conj(alpha_j) (A alpha - i F)_j)`` and
        ``dN_jj/dt = (conj(A) N + N A^T + Q)_jj`` from the moment equations of the module docstring.

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
        tt, _, _, alpha, N, _ = self._moments(t, initial, anomalous=False)
        rate = np.zeros((len(tt), self._n))
        if alpha is not None:
            dalpha = alpha @ self._A.T - 1j * self._F
            rate += 2 * np.real(np.conj(alpha) * dalpha)
        if N is not None:
            # (conj(A) N + N A^T)_jj = 2 Re sum_k conj(A_jk) N_kj  (N Hermitian)
            rate += 2 * np.real(np.einsum("jk,tkj->tj", self._A.conj(), N))
        rate += np.real(np.diag(self._Q))
        rate[tt == np.inf] = 0.0
        return _finite_result(rate * self._omega, "power")

    def covariance(self, t: Any, initial: Any = None) -> np.ndarray:
        """Quadrature covariance matrices ``V(t)``.

        Convention: quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
        ordered ``(x_1, p_1, x_2, p_2, ...)``, and ``V_kl = <{dR_k, dR_l}>/2``, so that the vacuum
        is ``V = I/2``.  The means are returned by :meth:`amplitudes`.

        Parameters
        ----------
        t : array_like
            Times ``t >= 0`` (any order, repeats allowed, ``inf`` for the steady state).
        initial : GaussianState, optional
            State at ``t = 0`` (see :meth:`moments`).

        Returns
        -------
        ndarray, shape (len(t), 2n, 2n), real
            Built from ``N`` and ``M`` (:func:`~nrqb.engine.gaussian.quadrature_covariance`).  A
            quadrature squeezed by ``e^{-2r}`` is resolved to about ``1e-16 e^{2r}`` absolute.
        """
        N, M = self.fluctuations(t, initial)
        return quadrature_covariance(N, M)

    def steady_state(self) -> dict[str, np.ndarray]:
        """The state at ``t -> infinity``.

        Returns
        -------
        dict
            ``amplitudes`` (n,) from ``A alpha = i F``, ``occupations`` (n,), ``energies`` (n,),
            ``covariance`` (2n, 2n) in the convention of :meth:`covariance`, and the fluctuation
            moments ``N`` and ``M`` (n, n) from the Lyapunov equations
            ``conj(A) N + N A^T + Q = 0`` and ``A M + M A^T + P = 0``.

        Raises
        ------
        ValueError
            If the network is not stable (:meth:`is_stable`: an undamped mode), or if the
            steady state overflows double precision.
        """
        self._require_stable("steady_state")
        if self._ss_cache is None:
            alpha = self._alpha_ss()
            N, M = self._fluct_ss()
            occ = np.abs(alpha) ** 2 + np.real(np.diag(N))
            if not (np.all(np.isfinite(occ)) and np.all(np.isfinite(M))):
                raise ValueError("the steady state overflows double precision: reduce the drive or n_th, or increase the rates")
            self._ss_cache = {
                "amplitudes": alpha,
                "occupations": occ,
                "energies": occ * self._omega,
                "covariance": quadrature_covariance(N[None], M[None])[0],
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
            a, (N, M) = self._alpha_ss(), self._fluct_ss()
            e = _ergotropy_nm(a[mode], N[mode, mode].real, M[mode, mode])
            return np.atleast_1d(e * self._omega[mode])
        tt, _, _, alpha, N, M = self._moments(t, initial)
        alpha, N, M = self._dense(len(tt), alpha, N, M)
        e = _ergotropy_nm(alpha[:, mode], N[:, mode, mode].real, M[:, mode, mode])
        return _finite_result(e * self._omega[mode], "ergotropy")

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
            f"LinearNetwork(n_modes={self._n}, channels={len(self._channels)}, "
            f"noise={'yes' if self.has_noise else 'no'})"
        )
