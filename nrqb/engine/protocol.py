"""Protocols in time: a sequence of linear networks, each acting for a given duration.

A protocol switches the model at given times: charge (drive on, charger coupled to the
battery), store (drive off, coupling off), use (the battery coupled to a load)...  Between
switches the model is one :class:`~nrqb.engine.network.LinearNetwork`; at a switch the state is
continuous (the moments do not jump, only their equations change).  The state stays Gaussian, so
:class:`Protocol` carries the exact first and second moments across every switching time,
through :meth:`LinearNetwork.moments` with ``initial=`` the state reached at the switch.

Convention: segment ``k`` acts on ``[T_k, T_{k+1})`` with ``T_0 = 0`` and
``T_{k+1} = T_k + duration_k``; its network is written in its own rotating frame, and the
frames of all segments must coincide (the engine's moments are those of the common frame).
A time exactly at a switch belongs to the later segment (the state is the same either way;
energies use the ``omega`` of the segment that holds the time).  The last duration may be
``inf``; with finite durations the protocol ends at ``T_K`` (which belongs to the last segment).

References
----------
Ahmadi et al., Eqs. (2)-(4) (the moment equations, per segment); Liu et al., Eqs. (15)-(16)
(thermal and squeezed baths); the charge-store-use cycle of a quantum battery: F. Campaioli
et al., in *Thermodynamics in the Quantum Regime* (Springer, 2018).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .gaussian import gaussian_ergotropy, quadrature_covariance
from .states import GaussianState
from .validation import count as _count, real as _real

__all__ = ["Protocol", "integrate_moments"]


def _network_class():
    from .network import LinearNetwork

    return LinearNetwork


class Protocol:
    """A piecewise-constant sequence of linear networks, solved exactly across switches.

    Parameters
    ----------
    segments : sequence of (LinearNetwork, duration)
        Networks with the same number of modes, each acting for ``duration >= 0``; only the
        last duration may be ``np.inf``.

    Raises
    ------
    ValueError
        If ``segments`` is empty or not a sequence of pairs, a network is not a
        :class:`LinearNetwork`, the networks differ in their number of modes, or a duration is
        negative, NaN, complex, or infinite before the last segment.  The message names the
        offending ``segments[k]``.

    Notes
    -----
    Every method takes ``initial=``: a :class:`GaussianState` at ``t = 0``.  The default
    ``None`` is the first network's own initial state (the vacuum unless it was built with
    ``alpha0``), as in :class:`LinearNetwork`.  The other networks' ``alpha0`` are not used:
    their segments start from the state the protocol has reached.

    Examples
    --------
    >>> from nrqb import LinearNetwork, Protocol
    >>> charge = LinearNetwork([[0.0]], loss=[0.1], drive=[0.05])
    >>> store = LinearNetwork([[0.0]], loss=[0.01])
    >>> p = Protocol([(charge, 30.0), (store, np.inf)])
    >>> p.energies([0.0, 30.0, 130.0]).round(4).ravel().tolist()
    [0.0, 0.6035, 0.222]

    References
    ----------
    Ahmadi et al., Eqs. (2)-(4) (moment equations of each segment).
    """

    def __init__(self, segments: Sequence[tuple[Any, Any]]) -> None:
        LinearNetwork = _network_class()
        if isinstance(segments, (str, bytes)) or not isinstance(segments, Sequence) or len(segments) == 0:
            raise ValueError("segments must be a non-empty sequence of (network, duration) pairs")
        segs = []
        n = None
        for k, seg in enumerate(segments):
            try:
                net, dur = seg
            except (TypeError, ValueError) as exc:
                raise ValueError(f"segments[{k}] must be a (network, duration) pair") from exc
            if not isinstance(net, LinearNetwork):
                raise ValueError(f"segments[{k}] network must be a LinearNetwork, got {type(net).__name__}")
            if n is None:
                n = net.n_modes
            elif net.n_modes != n:
                raise ValueError(
                    f"segments[{k}] network has {net.n_modes} modes, segments[0] has {n}: every "
                    "segment must act on the same modes"
                )
            try:
                d = complex(dur)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"segments[{k}] duration must be a number, got {dur!r}") from exc
            if d.imag != 0 or np.isnan(d.real):
                raise ValueError(f"segments[{k}] duration must be a real number (not NaN), got {dur!r}")
            d = d.real
            if d < 0:
                raise ValueError(f"segments[{k}] duration must be >= 0, got {dur!r}")
            if np.isinf(d) and k != len(segments) - 1:
                raise ValueError(f"segments[{k}] duration is inf but only the last segment may last forever")
            if k > 0:
                try:
                    net.moments([0.0], initial=GaussianState.vacuum(n))
                except ValueError as exc:
                    raise ValueError(
                        f"segments[{k}] network cannot start from the state the protocol reaches "
                        f"({exc}); build the later segments' networks without alpha0"
                    ) from exc
            segs.append((net, float(d)))
        self._segments = tuple(segs)
        self._n = int(n)
        durs = np.array([d for _, d in segs])
        self._starts = np.concatenate([[0.0], np.cumsum(durs[:-1])])
        self._end = float(self._starts[-1] + durs[-1])

    # ------------------------------------------------------------------ description
    @property
    def segments(self) -> tuple[tuple[Any, float], ...]:
        """The ``(network, duration)`` pairs."""
        return self._segments

    @property
    def n_modes(self) -> int:
        """Number of modes shared by every segment."""
        return self._n

    @property
    def switching_times(self) -> np.ndarray:
        """Start times ``T_k`` of the segments (``T_0 = 0``), shape (K,)."""
        return self._starts.copy()

    @property
    def duration(self) -> float:
        """Total duration ``T_K`` (``inf`` when the last segment lasts forever)."""
        return self._end

    def segment_index(self, t: Any) -> np.ndarray:
        """Index of the segment acting at each time (a time at a switch belongs to the later one).

        Parameters
        ----------
        t : array_like
            1-D array of times, ``0 <= t <= duration``.

        Returns
        -------
        ndarray of int, shape (len(t),)
        """
        t = self._times(t)
        return self._index(t)

    def _index(self, t: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self._starts, t, side="right") - 1
        # zero-length segments share their start with the next one: searchsorted picks the last
        return np.clip(k, 0, len(self._segments) - 1)

    def _times(self, t: Any) -> np.ndarray:
        try:
            arr = np.asarray(t, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"t must be real numbers, got {t!r}") from exc
        if np.iscomplexobj(np.asarray(t)):
            raise ValueError(f"t must be real, got {t!r}")
        arr = np.atleast_1d(arr)
        if arr.ndim != 1:
            raise ValueError(f"t must be a 1-D array of times, got shape {arr.shape}")
        if np.any(np.isnan(arr)):
            raise ValueError("t must not contain NaN")
        if np.any(arr < 0):
            raise ValueError(f"t must be >= 0 (the protocol starts at t = 0), got min {arr.min()!r}")
        if np.any(arr > self._end):
            raise ValueError(f"t must be <= the protocol's duration {self._end!r}, got max {arr.max()!r}")
        return arr

    def _initial(self, initial: Any) -> GaussianState | None:
        if initial is None:
            return None
        if not isinstance(initial, GaussianState):
            raise ValueError(f"initial must be a GaussianState or None, got {type(initial).__name__}")
        if initial.n_modes != self._n:
            raise ValueError(f"initial has {initial.n_modes} modes, the protocol has {self._n}")
        return initial

    # ------------------------------------------------------------------ evolution
    def _switch_states(self, initial: GaussianState | None, upto: int) -> list[GaussianState | None]:
        """States at the start of segments ``0..upto`` (segment 0 starts from ``initial``)."""
        states: list[GaussianState | None] = [initial]
        for k in range(upto):
            net, dur = self._segments[k]
            alpha, N, M = net.moments(np.array([dur]), initial=states[-1])
            states.append(GaussianState(alpha[0], N[0], M[0]))
        return states

    def moments(self, t: Any, initial: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Means and fluctuation moments at the given times.

        Parameters
        ----------
        t : array_like
            1-D array of times in ``[0, duration]``, any order; ``inf`` (when the last segment
            lasts forever and its network is stable) gives the last network's steady state.
        initial : GaussianState, optional
            State at ``t = 0`` (class docstring for the default).

        Returns
        -------
        alpha : ndarray, shape (len(t), n), complex
            ``<a_j>(t)``.
        N, M : ndarray, shape (len(t), n, n), complex
            ``N_ij = <da_i^dag da_j>``, ``M_ij = <da_i da_j>`` (:mod:`nrqb.engine.network`).
        """
        t = self._times(t)
        init = self._initial(initial)
        n = self._n
        alpha = np.empty((len(t), n), complex)
        N = np.empty((len(t), n, n), complex)
        M = np.empty((len(t), n, n), complex)
        if len(t) == 0:
            return alpha, N, M
        idx = self._index(t)
        states = self._switch_states(init, int(idx.max()))
        for k in np.unique(idx):
            sel = idx == k
            net, _ = self._segments[k]
            local = t[sel] - self._starts[k]
            a_k, N_k, M_k = net.moments(np.maximum(local, 0.0), initial=states[k])
            alpha[sel], N[sel], M[sel] = a_k, N_k, M_k
        return alpha, N, M

    def state(self, t: Any, initial: Any = None) -> GaussianState:
        """The Gaussian state at one time ``t`` (a scalar in ``[0, duration]``)."""
        if np.ndim(t) != 0:
            raise ValueError(f"t must be a single time for state(), got shape {np.shape(t)}")
        alpha, N, M = self.moments([t], initial)
        return GaussianState(alpha[0], N[0], M[0])

    def amplitudes(self, t: Any, initial: Any = None) -> np.ndarray:
        """Coherent amplitudes ``<a_j>(t)``, shape (len(t), n), complex."""
        return self.moments(t, initial)[0]

    def occupations(self, t: Any, initial: Any = None) -> np.ndarray:
        """Mean occupations ``|<a_j>|^2 + N_jj``, shape (len(t), n), real."""
        alpha, N, _ = self.moments(t, initial)
        return np.abs(alpha) ** 2 + np.real(np.diagonal(N, axis1=1, axis2=2))

    def _omegas(self, t: np.ndarray) -> np.ndarray:
        om = np.array([net.omega for net, _ in self._segments])
        return om[self._index(t)]

    def energies(self, t: Any, initial: Any = None) -> np.ndarray:
        """Energies ``omega_j <a_j^dag a_j>(t)``, shape (len(t), n), with the ``omega`` of the acting segment."""
        tt = self._times(t)
        return self.occupations(tt, initial) * self._omegas(tt)

    def ergotropy(self, t: Any, mode: int, initial: Any = None) -> np.ndarray:
        """Ergotropy of one mode's reduced Gaussian state, shape (len(t),).

        ``omega (|alpha|^2 + tr V / 2 - sqrt(det V))`` with the ``omega`` of the acting segment
        (:func:`~nrqb.engine.gaussian.gaussian_ergotropy`; Liu et al., Sec. IV).
        """
        if isinstance(mode, (bool, np.bool_)) or not isinstance(mode, (int, np.integer)):
            raise ValueError(f"mode must be an integer index, got {mode!r}")
        if not -self._n <= mode < self._n:
            raise ValueError(f"mode must be in [0, {self._n}), got {mode}")
        j = int(mode) % self._n
        tt = self._times(t)
        alpha, N, M = self.moments(tt, initial)
        V = quadrature_covariance(N[:, j:j + 1, j:j + 1], M[:, j:j + 1, j:j + 1])
        erg = np.array([gaussian_ergotropy(a, v) for a, v in zip(alpha[:, j], V)])
        return erg * self._omegas(tt)[:, j]

    # ------------------------------------------------------------------ qutip
    def to_qutip(self, cutoff: int | Sequence[int]):
        """The protocol in a truncated Fock space: a time-dependent ``H(t)`` and collapse operators.

        Each segment's ``(H_k, c_ops_k)`` (:meth:`LinearNetwork.to_qutip`) is switched on during
        ``[T_k, T_{k+1})`` by a step coefficient (qutip's order-0 interpolation).

        Parameters
        ----------
        cutoff : int or sequence of int
            Fock dimension per mode.

        Returns
        -------
        H : qutip.QobjEvo
            ``sum_k theta_k(t) H_k``.
        c_ops : list of qutip.QobjEvo
            ``theta_k(t) L`` for every collapse operator ``L`` of segment ``k``
            (``theta_k^2 = theta_k``, so the dissipator of segment ``k`` acts during it only).

        Notes
        -----
        The truncation is exact only as the cutoff grows.  qutip's adaptive integrators step
        across the switches; give them the switching times in ``tlist`` (or integrate segment by
        segment) and tight tolerances.
        """
        import qutip as qt

        K = len(self._segments)
        knots = np.append(self._starts, self._end if np.isfinite(self._end) else self._starts[-1] + 1.0)
        H_terms = []
        c_ops = []
        for k, (net, _) in enumerate(self._segments):
            vals = np.zeros(K + 1)
            vals[k] = 1.0
            if k == K - 1:
                vals[K] = 1.0  # the end of the protocol belongs to the last segment
            step = qt.coefficient(vals, tlist=knots, order=0)
            Hk, ck = net.to_qutip(cutoff)
            H_terms.append([Hk, step])
            c_ops.extend(qt.QobjEvo([c, step]) for c in ck)
        return qt.QobjEvo(H_terms), c_ops

    def __repr__(self) -> str:
        durs = ", ".join(f"{d:g}" for _, d in self._segments)
        return f"Protocol(n_modes={self._n}, durations=[{durs}])"


def integrate_moments(
    protocol: Protocol,
    t: Any,
    initial: GaussianState | None = None,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The moments of a protocol by numerical integration (``solve_ivp``), an independent route.

    Integrates ``d alpha/dt = A alpha - i F``, ``dN/dt = conj(A) N + N A^T + Q`` and
    ``dM/dt = A M + M A^T + P`` (module docstring of :mod:`nrqb.engine.network`) with each
    segment's ``A, F, Q, P``, restarting the integrator at every switching time from the state
    reached there.  No matrix exponential, no Lyapunov solve: it checks
    :meth:`Protocol.moments` (which is exact) through a different algorithm.

    Parameters
    ----------
    protocol : Protocol
        The protocol; an infinite last segment is integrated up to ``max(t)``.
    t : array_like
        1-D array of times in ``[0, duration]``.
    initial : GaussianState, optional
        State at ``t = 0`` (default: the vacuum displaced by the first network's initial
        amplitudes, as for :class:`Protocol`).
    rtol, atol : float
        Tolerances of ``scipy.integrate.solve_ivp`` (method ``DOP853``).

    Returns
    -------
    alpha, N, M : ndarray
        Shapes (len(t), n), (len(t), n, n), (len(t), n, n), as :meth:`Protocol.moments`.

    References
    ----------
    Ahmadi et al., Eqs. (2)-(4); Liu et al., Eqs. (A1)-(A7) (the moment equations).
    """
    from scipy.integrate import solve_ivp

    if not isinstance(protocol, Protocol):
        raise ValueError(f"protocol must be a Protocol, got {type(protocol).__name__}")
    rtol = _real(rtol, "rtol")
    atol = _real(atol, "atol")
    if rtol <= 0 or atol <= 0:
        raise ValueError(f"rtol and atol must be > 0, got rtol={rtol!r}, atol={atol!r}")
    t = protocol._times(t)
    if np.any(np.isinf(t)):
        raise ValueError("t must be finite for a numerical integration (use Protocol.moments for t = inf)")
    n = protocol.n_modes
    init = protocol._initial(initial)
    if init is None:
        a0, N0, M0 = protocol.segments[0][0].moments([0.0])
        init = GaussianState(a0[0], N0[0], M0[0])
    y = np.concatenate([init.amplitudes, init.N.ravel(), init.M.ravel()]).astype(complex)
    out = np.empty((len(t), n + 2 * n * n), complex)
    idx = protocol._index(t)
    starts = protocol.switching_times
    t_max = float(np.max(t)) if len(t) else 0.0
    for k, (net, dur) in enumerate(protocol.segments):
        if starts[k] > t_max:
            break
        A, F = net.drift, net.drive
        Q, P = net.noise
        Ac = A.conj()

        def rhs(_s, v, A=A, Ac=Ac, F=F, Q=Q, P=P):
            a = v[:n]
            Nm = v[n:n + n * n].reshape(n, n)
            Mm = v[n + n * n:].reshape(n, n)
            da = A @ a - 1j * F
            dN = Ac @ Nm + Nm @ A.T + Q
            dM = A @ Mm + Mm @ A.T + P
            return np.concatenate([da, dN.ravel(), dM.ravel()])

        stop = min(dur, t_max - starts[k]) if np.isfinite(dur) else t_max - starts[k]
        sel = idx == k
        local = np.clip(t[sel] - starts[k], 0.0, stop)  # round-off of t - T_k at the segment's end
        evals = np.unique(np.concatenate([local, [stop]]))
        sol = solve_ivp(rhs, (0.0, stop), y, method="DOP853", t_eval=evals, rtol=rtol, atol=atol)
        if not sol.success:  # pragma: no cover - DOP853 on a linear system
            raise RuntimeError(f"solve_ivp failed in segment {k}: {sol.message}")
        pos = np.searchsorted(evals, local)
        out[sel] = sol.y[:, pos].T
        y = sol.y[:, -1]
    alpha = out[:, :n]
    N = out[:, n:n + n * n].reshape(len(t), n, n)
    M = out[:, n + n * n:].reshape(len(t), n, n)
    return alpha, N, M
