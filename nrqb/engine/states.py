"""Gaussian states of n bosonic modes, given by their first and second moments.

A Gaussian state is fixed by its mean amplitudes ``alpha_j = <a_j>`` and the normally ordered
moments of the fluctuations ``da_j = a_j - alpha_j``,

    N_ij = <da_i^dag da_j>   (Hermitian, positive semi-definite),
    M_ij = <da_i da_j>       (symmetric),

the same moments that :class:`~nrqb.engine.network.LinearNetwork` propagates (module docstring of
:mod:`nrqb.engine.network`).  Not every pair ``(N, M)`` is a quantum state: the matrix of
``<X^dag X> >= 0`` over every ``X = sum_i (u_i da_i + v_i da_i^dag)``,

    G = [[N, conj(M)], [M, I + N^T]]  >= 0 ,

is the uncertainty principle ``V + i Omega / 2 >= 0`` written for the mode operators
(``V`` the quadrature covariance, ``Omega`` the symplectic form).  :class:`GaussianState` checks
it on construction.

Squeezing convention (the engine's, module docstring of :mod:`nrqb.engine.network`):
``GaussianState.squeezed(r, theta)`` has ``N = sinh^2 r`` and ``M = sinh r cosh r e^{+i theta}``,
the state ``S(xi)|0>`` with ``xi = r e^{i(theta + pi)}``.  It is the state to which a lone damped
mode relaxes in a squeezed bath ``LinearNetwork(..., squeezing=(r, theta))``: the bath parameter
and the state parameter mean the same thing.

References
----------
A. Serafini, *Quantum Continuous Variables* (CRC Press, 2017), ch. 3-5 (Gaussian states, the
uncertainty relation, passive states); Liu et al. (2026), Eq. (16) (squeezed reservoirs).
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .gaussian import gaussian_ergotropy, quadrature_covariance
from .validation import count as _count, finite_array as _finite_array

__all__ = ["GaussianState"]

#: relative tolerance of the physicality test (round-off of pure states, whose G has zero
#: eigenvalues, stays far below it)
PHYSICAL_TOL = 1e-9


def _per_mode(value: Any, name: str, n: int | None, *, dtype=float) -> np.ndarray:
    """A scalar or (n,) array of finite numbers, broadcast to ``n`` entries."""
    arr = _finite_array(value, name, dtype=dtype)
    if arr.ndim == 0:
        arr = np.full(1 if n is None else n, arr[()], dtype=dtype)
    if arr.ndim != 1 or arr.size == 0 or (n is not None and arr.shape != (n,)):
        want = "a scalar or a non-empty 1-D array" if n is None else f"a scalar or shape ({n},)"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    return arr


def _n_modes_arg(n_modes: Any) -> int | None:
    return None if n_modes is None else _count(n_modes, "n_modes")


class GaussianState:
    """A Gaussian state of ``n`` bosonic modes: means and normally ordered fluctuation moments.

    Parameters
    ----------
    amplitudes : (n,) array_like, complex
        Mean amplitudes ``alpha_j = <a_j>``.
    N : (n, n) array_like, complex, optional
        ``N_ij = <da_i^dag da_j>``: Hermitian, positive semi-definite.  Default zero (vacuum
        fluctuations).
    M : (n, n) array_like, complex, optional
        ``M_ij = <da_i da_j>``: symmetric.  Default zero.

    Raises
    ------
    ValueError
        For NaN/inf entries, wrong shapes, a non-Hermitian ``N``, a non-symmetric ``M``, or a
        pair ``(N, M)`` that violates the uncertainty principle ``V + i Omega/2 >= 0`` (which
        includes ``N`` not positive semi-definite).  The message names the parameter.

    Notes
    -----
    The moments are those of :mod:`nrqb.engine.network`, so a state can be handed to any
    time-evolution method of :class:`~nrqb.engine.network.LinearNetwork` (``initial=``) and to
    :class:`~nrqb.engine.protocol.Protocol`.  Instances are immutable; the attributes are
    read-only arrays.

    Examples
    --------
    >>> s = GaussianState.product(GaussianState.coherent(0.3), GaussianState.thermal(0.1))
    >>> s.n_modes, s.occupations().round(3).tolist()
    (2, [0.09, 0.1])

    References
    ----------
    Serafini, *Quantum Continuous Variables*, ch. 3 (moments and the uncertainty relation).
    """

    __slots__ = ("_alpha", "_N", "_M")

    def __init__(self, amplitudes: Any, N: Any = None, M: Any = None) -> None:
        alpha = _finite_array(amplitudes, "amplitudes")
        if alpha.ndim != 1 or alpha.size == 0:
            raise ValueError(f"amplitudes must be a non-empty 1-D array, got shape {alpha.shape}")
        n = alpha.size
        NN = np.zeros((n, n), complex) if N is None else _finite_array(N, "N")
        MM = np.zeros((n, n), complex) if M is None else _finite_array(M, "M")
        if NN.shape != (n, n):
            raise ValueError(f"N must have shape ({n}, {n}) to match amplitudes, got {NN.shape}")
        if MM.shape != (n, n):
            raise ValueError(f"M must have shape ({n}, {n}) to match amplitudes, got {MM.shape}")
        scale = max(1.0, float(np.max(np.abs(NN))), float(np.max(np.abs(MM))))
        if not np.allclose(NN, NN.conj().T, rtol=0, atol=1e-12 * scale):
            raise ValueError("N must be Hermitian (N_ij = <da_i^dag da_j> = conj(N_ji))")
        if not np.allclose(MM, MM.T, rtol=0, atol=1e-12 * scale):
            raise ValueError("M must be symmetric (M_ij = <da_i da_j> = M_ji)")
        NN = 0.5 * (NN + NN.conj().T)
        MM = 0.5 * (MM + MM.T)
        lam_N = np.linalg.eigvalsh(NN)
        if lam_N[0] < -PHYSICAL_TOL * scale:
            raise ValueError(
                f"N must be positive semi-definite (occupations of every mode combination >= 0); "
                f"its smallest eigenvalue is {lam_N[0]:.3e}"
            )
        G = np.block([[NN, MM.conj()], [MM, np.eye(n) + NN.T]])
        lam = np.linalg.eigvalsh(G)
        if lam[0] < -PHYSICAL_TOL * scale:
            raise ValueError(
                "N and M violate the uncertainty principle V + i Omega/2 >= 0 "
                f"([[N, M*], [M, 1 + N^T]] has eigenvalue {lam[0]:.3e} < 0): M is too large for N"
            )
        for arr in (alpha, NN, MM):
            arr.flags.writeable = False
        self._alpha = alpha
        self._N = NN
        self._M = MM

    # ------------------------------------------------------------------ constructors
    @classmethod
    def vacuum(cls, n: int) -> "GaussianState":
        """The vacuum of ``n`` modes: ``alpha = 0``, ``N = M = 0``."""
        n = _count(n, "n")
        return cls(np.zeros(n, complex))

    @classmethod
    def coherent(cls, alpha: Any, *, n_modes: int | None = None) -> "GaussianState":
        """A coherent state ``|alpha_1> ... |alpha_n>``: ``N = M = 0``.

        Parameters
        ----------
        alpha : complex or (n,) array_like
            Amplitudes; a scalar gives one mode (or ``n_modes`` modes with the same amplitude).
        n_modes : int, optional
            Number of modes when ``alpha`` is a scalar.
        """
        a = _per_mode(alpha, "alpha", _n_modes_arg(n_modes), dtype=complex)
        return cls(a)

    @classmethod
    def thermal(cls, n_th: Any, *, n_modes: int | None = None) -> "GaussianState":
        """A thermal (Gibbs) state with mean occupations ``n_th``: ``N = diag(n_th)``, ``M = 0``.

        Parameters
        ----------
        n_th : float or (n,) array_like
            Mean thermal occupation of each mode, ``>= 0``; a scalar gives one mode (or
            ``n_modes`` modes at the same occupation).
        n_modes : int, optional
            Number of modes when ``n_th`` is a scalar.
        """
        nth = _per_mode(n_th, "n_th", _n_modes_arg(n_modes))
        if np.any(nth < 0):
            raise ValueError(f"n_th must be >= 0, got {nth.tolist()}")
        return cls(np.zeros(nth.size, complex), np.diag(nth).astype(complex))

    @classmethod
    def squeezed(
        cls,
        r: Any,
        theta: Any = 0.0,
        *,
        n_th: Any = 0.0,
        alpha: Any = 0.0,
        n_modes: int | None = None,
    ) -> "GaussianState":
        """A displaced squeezed thermal state of independent modes.

        Per mode, ``D(alpha) S(xi) rho_th(n_th) S(xi)^dag D(alpha)^dag`` with
        ``xi = r e^{i(theta + pi)}``:

            N = (n_th + 1/2) cosh(2 r) - 1/2,    M = (n_th + 1/2) sinh(2 r) e^{+i theta}.

        For ``n_th = 0`` this is ``N = sinh^2 r``, ``M = sinh r cosh r e^{i theta}``.  The phase
        convention is the engine's: a lone damped mode in a bath
        ``LinearNetwork(..., n_th=n_th, squeezing=(r, theta))`` relaxes to exactly this state (the
        bath's ``M_k = (n_th + 1/2) sinh(2r) e^{-i theta}`` enters ``dM/dt`` conjugated).
        ``theta = 0`` squeezes the ``p`` quadrature (``V_pp = e^{-2r}/2`` for ``n_th = 0``);
        ``theta = pi`` squeezes ``x``.

        Parameters
        ----------
        r : float or (n,) array_like
            Squeezing strengths ``r >= 0``.
        theta : float or (n,) array_like
            Squeezing phases (radians).
        n_th : float or (n,) array_like
            Thermal occupation before squeezing, ``>= 0``.
        alpha : complex or (n,) array_like
            Displacements.
        n_modes : int, optional
            Number of modes when every argument is a scalar.

        References
        ----------
        Liu et al., Eq. (16) (``P = sinh^2 r``, ``Q = sinh r cosh r e^{-i theta}`` of the bath);
        Serafini, *Quantum Continuous Variables*, Sec. 5.1.
        """
        arrays = {"r": r, "theta": theta, "n_th": n_th}
        n = _n_modes_arg(n_modes)
        for name, value in {**arrays, "alpha": alpha}.items():
            if np.ndim(value) == 1:
                if n is not None and np.shape(value)[0] != n:
                    raise ValueError(f"{name} has {np.shape(value)[0]} entries, expected {n}")
                n = np.shape(value)[0]
        rr = _per_mode(r, "r", n)
        n = rr.size
        th = _per_mode(theta, "theta", n)
        nth = _per_mode(n_th, "n_th", n)
        a = _per_mode(alpha, "alpha", n, dtype=complex)
        if np.any(rr < 0):
            raise ValueError(f"r must be >= 0, got {rr.tolist()}")
        if np.any(nth < 0):
            raise ValueError(f"n_th must be >= 0, got {nth.tolist()}")
        with np.errstate(over="ignore", invalid="ignore"):
            half = nth + 0.5
            # (n + 1/2) cosh 2r - 1/2 = n cosh 2r + sinh^2 r, without cancellation at small r
            occ = nth * np.cosh(2 * rr) + np.sinh(rr) ** 2
            anom = half * np.sinh(2 * rr) * np.exp(1j * th)
        if not (np.all(np.isfinite(occ)) and np.all(np.isfinite(anom))):
            raise ValueError(f"r is too large: the moments overflow (r = {rr.tolist()})")
        return cls(a, np.diag(occ).astype(complex), np.diag(anom))

    @classmethod
    def product(cls, *states: "GaussianState") -> "GaussianState":
        """The product state of several Gaussian states, modes in the order given.

        Parameters
        ----------
        *states : GaussianState
            At least one.

        Returns
        -------
        GaussianState
            Block-diagonal ``N`` and ``M``, concatenated amplitudes.
        """
        if len(states) == 1 and not isinstance(states[0], GaussianState) and isinstance(states[0], Iterable):
            states = tuple(states[0])
        if not states:
            raise ValueError("states must hold at least one GaussianState")
        for k, s in enumerate(states):
            if not isinstance(s, GaussianState):
                raise ValueError(f"states[{k}] must be a GaussianState, got {type(s).__name__}")
        n = sum(s.n_modes for s in states)
        N = np.zeros((n, n), complex)
        M = np.zeros((n, n), complex)
        i = 0
        for s in states:
            m = s.n_modes
            N[i:i + m, i:i + m] = s.N
            M[i:i + m, i:i + m] = s.M
            i += m
        return cls(np.concatenate([s.amplitudes for s in states]), N, M)

    def displaced(self, alpha: Any) -> "GaussianState":
        """The state displaced by ``alpha`` (``D(alpha) rho D(alpha)^dag``): fluctuations unchanged.

        Parameters
        ----------
        alpha : complex or (n,) array_like
            Added to the amplitudes (a scalar displaces every mode equally).
        """
        a = _per_mode(alpha, "alpha", self.n_modes, dtype=complex)
        return GaussianState(self._alpha + a, self._N, self._M)

    def reduced(self, modes: Any) -> "GaussianState":
        """The reduced state of the listed modes (partial trace over the others).

        Parameters
        ----------
        modes : int or sequence of int
            Distinct mode indices, in the order wanted.
        """
        idx = [self._mode_index(m) for m in np.atleast_1d(np.asarray(modes, dtype=object))]
        if len(set(idx)) != len(idx):
            raise ValueError(f"modes must be distinct, got {modes!r}")
        ix = np.ix_(idx, idx)
        return GaussianState(self._alpha[idx], self._N[ix], self._M[ix])

    # ------------------------------------------------------------------ attributes
    @property
    def amplitudes(self) -> np.ndarray:
        """Mean amplitudes ``<a_j>``, shape (n,), complex (read-only)."""
        return self._alpha

    @property
    def N(self) -> np.ndarray:
        """``N_ij = <da_i^dag da_j>``, shape (n, n), complex Hermitian (read-only)."""
        return self._N

    @property
    def M(self) -> np.ndarray:
        """``M_ij = <da_i da_j>``, shape (n, n), complex symmetric (read-only)."""
        return self._M

    @property
    def n_modes(self) -> int:
        """Number of modes ``n``."""
        return self._alpha.size

    # ------------------------------------------------------------------ observables
    def occupations(self) -> np.ndarray:
        """Mean occupations ``<a_j^dag a_j> = |alpha_j|^2 + N_jj``, shape (n,)."""
        return np.abs(self._alpha) ** 2 + np.real(np.diag(self._N))

    def energies(self, omega: Any = 1.0) -> np.ndarray:
        """Energies ``omega_j <a_j^dag a_j>``, shape (n,).

        Parameters
        ----------
        omega : float or (n,) array_like
            Energy per quantum of each mode (default 1, energies in quanta).
        """
        om = _per_mode(omega, "omega", self.n_modes)
        if np.any(om <= 0):
            raise ValueError(f"omega must be > 0, got {om.tolist()}")
        return self.occupations() * om

    def covariance(self) -> np.ndarray:
        """Quadrature covariance ``V``, shape (2n, 2n), real.

        Quadratures ``x_j = (a_j + a_j^dag)/sqrt(2)``, ``p_j = (a_j - a_j^dag)/(i sqrt(2))``
        ordered ``(x_1, p_1, x_2, p_2, ...)``, ``V_kl = <{dR_k, dR_l}>/2``; the vacuum is ``I/2``
        (the convention of :meth:`LinearNetwork.covariance`).
        """
        return quadrature_covariance(self._N[None], self._M[None])[0]

    def ergotropy(self, mode: int, omega: float = 1.0) -> float:
        """Ergotropy of one mode's reduced state, ``omega (|alpha|^2 + tr V/2 - sqrt(det V))``.

        Parameters
        ----------
        mode : int
            Mode index.
        omega : float
            Energy per quantum of that mode.

        Returns
        -------
        float
            See :func:`~nrqb.engine.gaussian.gaussian_ergotropy` (Liu et al., Sec. IV).
        """
        j = self._mode_index(mode)
        om = float(_per_mode(omega, "omega", 1)[0])
        if om <= 0:
            raise ValueError(f"omega must be > 0, got {omega!r}")
        V = self.covariance()[2 * j:2 * j + 2, 2 * j:2 * j + 2]
        return gaussian_ergotropy(self._alpha[j], V) * om

    # ------------------------------------------------------------------ helpers
    def _mode_index(self, mode: Any) -> int:
        n = self.n_modes
        if isinstance(mode, (bool, np.bool_)) or not isinstance(mode, (int, np.integer)):
            raise ValueError(f"mode must be an integer index, got {mode!r}")
        if not -n <= mode < n:
            raise ValueError(f"mode must be in [0, {n}), got {mode}")
        return int(mode) % n

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GaussianState):
            return NotImplemented
        return (self.n_modes == other.n_modes and np.array_equal(self._alpha, other._alpha)
                and np.array_equal(self._N, other._N) and np.array_equal(self._M, other._M))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"GaussianState(n_modes={self.n_modes}, occupations="
                f"{np.array2string(self.occupations(), precision=4)})")
