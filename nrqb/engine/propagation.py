"""Time propagation of the moment equations, exact on any grid and at any time.

The moments of :mod:`nrqb.engine.network` obey, with the drift ``A``, ``b = -i F`` and the
diffusion matrices ``Q``, ``P``,

    d alpha/dt = A alpha + b,
    dN/dt = conj(A) N + N A^T + Q,
    dM/dt = A M + M A^T + P .

Over a step ``Delta`` they map exactly as

    alpha -> E alpha + u,    N -> conj(E) N E^T + X_N,    M -> E M E^T + X_M,

with ``E = e^{A Delta}``, ``u = int_0^Delta e^{A s} b ds`` and
``X = int_0^Delta e^{F s} Q e^{G s} ds`` (``F = conj(A)`` or ``A``, ``G = A^T``).  This module
computes these *step propagators* without ever forming a growing exponential or inverting
anything:

1. **Small step.**  ``h = Delta / 2^s`` with ``||A||_F h <= theta``; ``E(h)``, ``u(h)`` and
   ``X(h)`` are Taylor series summed by Horner's rule (truncation below ``2^-56``).  No
   eigenvectors, no Pade denominator and no special formula for triangular drifts, so one-way
   (triangular) networks with two nearly equal decay rates lose no accuracy (SciPy's ``expm``
   recomputes the sub-diagonal of a triangular matrix as ``(e^a - e^b)/(a - b)``, which cancels
   when ``a`` and ``b`` merge).
2. **Doubling.**  ``E(2h) = E(h)^2``, ``u(2h) = u(h) + E(h) u(h)``,
   ``X(2h) = X(h) + e^{F h} X(h) e^{G h}``, ``s`` times.  Every factor is a contraction: the
   Hermitian part of ``A = -i h - K/2`` is ``-K/2 <= 0``, so ``||e^{A t}||_2 <= 1`` for all
   ``t >= 0`` (transient growth of single modes near exceptional points does not make the
   propagator grow in norm).  Round-off therefore never grows, marginal networks (an undamped
   mode) are propagated as accurately as damped ones, and for damped networks ``E`` underflows
   to exactly zero after ``O(log(1/decay))`` doublings, after which ``u`` and ``X`` have
   converged: a step of ``1e100`` costs a few dozen doublings and returns the steady state.
3. **Grid.**  The times are sorted and de-duplicated by the caller; the state is stepped from
   ``t = 0`` through the sorted grid, and a uniform grid shares one step propagator.  Grids with
   many distinct steps (``geomspace``) batch the step propagators; when a steady state is
   known and a step is long enough for ``X = X_ss - e^{F Delta} X_ss e^{G Delta}`` not to
   cancel (``||X|| >= 1e-2 ||X_ss||``, at most two digits lost), that cheaper form is used.

References
----------
C. F. Van Loan, IEEE Trans. Autom. Control 23, 395 (1978) (integrals of matrix exponentials);
N. J. Higham, *Functions of Matrices* (SIAM, 2008), ch. 10 (scaling and squaring, Taylor
approximants, the triangular-matrix formulas).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import finite_array as _finite_array, real as _real, times_1d as _times_1d

__all__ = [
    "StepPropagators", "step_propagators", "evolve", "frobenius", "sparse_amplitudes", "decay_bound",
    "DarkSplit", "dark_split", "dark_tolerances", "split_step_propagators",
]

#: ``||A h||_F`` bound of the small step and the Taylor degree: the truncation of ``E`` is
#: ``theta^(m+1)/(m+1)! ~ 1e-23``; that of ``X``, with ``||L||_F <= 2 ||A||_F``, is
#: ``(2 theta)^(m+1)/(m+2)! ~ 4e-19`` relative to ``h ||Q||``
THETA, DEGREE = 0.5, 18
#: a long step uses ``X = X_ss - e^{F D} X_ss e^{G D}`` when ``||X|| >= DIFF_RATIO ||X_ss||``
DIFF_RATIO = 1e-2
#: uniform grids are propagated all at once when ``len(t) * n^2`` is at most this
VECTOR_ENTRIES = 2**20
#: bytes of one batch of (n, n) complex matrices in the batched step propagators
BATCH_BYTES = 2**25


def frobenius(A) -> float:
    """``||A||_F`` without overflow or underflow (scaled by the largest entry).

    Parameters
    ----------
    A : array_like
        Finite numbers.

    Returns
    -------
    float
    """
    return _frobenius(_finite_array(A, "A"))


def _frobenius(A: np.ndarray) -> float:
    m = float(np.max(np.abs(A))) if A.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(np.sum((np.abs(A) / m) ** 2)))  # real division: safe for subnormal m


@dataclass
class StepPropagators:
    """Step propagators for a set of step lengths ``Delta_d``.

    Attributes
    ----------
    E : ndarray (D, n, n)
        ``e^{A Delta_d}``.
    u : ndarray (D, n) or None
        ``int_0^Delta e^{A s} b ds``.
    XN, XM : ndarray (D, n, n) or None
        ``int_0^Delta e^{conj(A) s} Q e^{A^T s} ds`` and ``int_0^Delta e^{A s} P e^{A^T s} ds``.
    """

    E: np.ndarray
    u: np.ndarray | None
    XN: np.ndarray | None
    XM: np.ndarray | None


def _doublings(norm: float, steps: np.ndarray, theta: float) -> np.ndarray:
    """Smallest ``s >= 0`` with ``norm * steps / 2^s <= theta`` (exact powers of two, no overflow)."""
    s = np.zeros(len(steps), int)
    if norm == 0.0:
        return s
    pos = steps > 0
    if np.any(pos):
        # norm * step / theta = m1 m2 2^(e1 + e2) / theta with 0.5 <= m < 1: no overflow
        m1, e1 = np.frexp(steps[pos])
        m2, e2 = np.frexp(norm / theta)
        mant, ex = np.frexp(m1 * m2)
        total = ex + e1 + e2  # ratio = mant 2^total with 0.5 <= mant < 1, so ratio <= 2^total
        s[pos] = np.maximum(total, 0)
    return s


def _taylor_expm(X: np.ndarray, degree: int) -> np.ndarray:
    """``sum_{k <= degree} X^k / k!`` for a batch of small matrices (Paterson-Stockmeyer, p = 4).

    Seven batched products for degree 18 instead of eighteen for Horner's rule.
    """
    n = X.shape[-1]
    p = 4
    eye = np.eye(n)
    powers = [None, X]
    for _ in range(2, p + 1):
        powers.append(powers[-1] @ X)
    coef = [1.0]
    for k in range(1, degree + 1):
        coef.append(coef[-1] / k)
    blocks = []
    for j in range(degree // p + 1):
        B = coef[j * p] * eye + np.zeros_like(X)
        for i in range(1, p):
            k = j * p + i
            if k <= degree:
                B = B + coef[k] * powers[i]
        blocks.append(B)
    E = blocks[-1]
    for B in reversed(blocks[:-1]):
        E = B + powers[p] @ E
    return E


def _taylor(A, h, b, Q, P, degree):
    """``E(h)``, ``u(h)``, ``X_N(h)``, ``X_M(h)`` for a batch of small steps ``h`` (Horner)."""
    n = A.shape[0]
    D = len(h)
    hh = h[:, None, None]
    Ah = hh * A
    eye = np.eye(n)
    E = _taylor_expm(Ah, degree)
    u = XN = XM = None
    if b is not None:
        v = np.broadcast_to(b, (D, n)).astype(complex)
        for k in range(degree + 1, 1, -1):
            v = b + ((Ah / k) @ v[..., None])[..., 0]
        u = h[:, None] * v
    # (A h) Y rather than h (A Y): the products stay in range for rates near 1e-300
    AhT = Ah.transpose(0, 2, 1)
    if Q is not None:
        Ahc = Ah.conj()
        Y = np.broadcast_to(Q, (D, n, n)).astype(complex)
        for k in range(degree + 1, 1, -1):
            Y = Q + (Ahc @ Y + Y @ AhT) / k
        XN = hh * Y
    if P is not None:
        Y = np.broadcast_to(P, (D, n, n)).astype(complex)
        for k in range(degree + 1, 1, -1):
            Y = P + (Ah @ Y + Y @ AhT) / k
        XM = hh * Y
    return E, u, XN, XM


def _double(E, u, XN, XM, s):
    """Apply ``s[d]`` doublings to batch entry ``d``; stop early where ``E`` has underflowed."""
    live = s > 0
    j = 0
    while np.any(live):
        idx = np.flatnonzero(live)
        Es = E[idx]
        if u is not None:
            u[idx] += (Es @ u[idx][..., None])[..., 0]
        EsT = Es.transpose(0, 2, 1)
        if XN is not None:
            XN[idx] += Es.conj() @ XN[idx] @ EsT
        if XM is not None:
            XM[idx] += Es @ XM[idx] @ EsT
        E2 = Es @ Es
        E[idx] = E2
        j += 1
        # once e^{A t} is exactly zero, u and X have reached their limits
        live[idx] = (s[idx] > j) & np.any(E2 != 0, axis=(1, 2))
    return E, u, XN, XM


def _step_propagators(
    A: np.ndarray,
    steps: np.ndarray,
    *,
    b: np.ndarray | None = None,
    Q: np.ndarray | None = None,
    P: np.ndarray | None = None,
    steady=None,
    shift=None,
) -> StepPropagators:
    """Exact step propagators ``(E, u, X_N, X_M)`` for finite step lengths ``steps >= 0``.

    Parameters
    ----------
    A : (n, n) complex
        Drift (its Hermitian part must be negative semi-definite, as for every network).
    steps : (D,) float
        Step lengths, finite and ``>= 0``.
    b, Q, P : optional
        Drive term ``-i F`` (n,), diffusion matrices (n, n); ``None`` skips that output.
    steady : callable, optional
        Returns the steady fluctuations ``(N_ss, M_ss)`` of a stable network; called only when
        more than four distinct steps are asked for, which then use
        ``X = X_ss - e^{F D} X_ss e^{G D}`` where it does not cancel (module docstring).
    shift : (omega0, alpha_ss, M_ss), optional
        A stable network whose modes share a large detuning ``omega0``: ``A`` is then
        ``A_true + i omega0``, the propagator is ``e^{-i omega0 D} e^{A D}`` (the phase exact),
        ``X_N`` is unchanged (it does not see a common frequency), and the drive and anomalous
        terms come from the steady state: ``u = alpha_ss - E alpha_ss``,
        ``X_M = M_ss - E M_ss E^T`` (``b`` and ``P`` only say whether they are wanted).

    Returns
    -------
    StepPropagators
    """
    A = np.asarray(A, complex)
    n = A.shape[0]
    steps = np.asarray(steps, float)
    if shift is not None:
        omega0, alpha_ss, M_ss = shift
        prop = _step_propagators(A, steps, Q=Q, steady=steady)
        with np.errstate(over="ignore", invalid="ignore"):
            phase = np.exp(-1j * (omega0 * steps))
        decayed = ~np.any(prop.E != 0, axis=(1, 2))  # e^{A D} underflowed: the phase is moot
        phase[decayed] = 0.0
        if not np.all(np.isfinite(phase)):
            raise ValueError(
                f"t: the phase omega0 t of the common detuning omega0 = {omega0:g} overflows at "
                f"t = {steps[~np.isfinite(phase)].max():g} before the transient has decayed"
            )
        E = phase[:, None, None] * prop.E
        u = None if b is None else alpha_ss - E @ alpha_ss
        XM = None if P is None else M_ss - E @ M_ss @ E.transpose(0, 2, 1)
        if XM is not None:
            XM = 0.5 * (XM + XM.transpose(0, 2, 1))
        return StepPropagators(E, u, prop.XN, XM)
    D = len(steps)
    norm = _frobenius(A)
    out_E = np.empty((D, n, n), complex)
    out_u = None if b is None else np.empty((D, n), complex)
    out_N = None if Q is None else np.empty((D, n, n), complex)
    out_M = None if P is None else np.empty((D, n, n), complex)
    noise = Q is not None or P is not None
    use_diff = noise and steady is not None and D > 4
    chunk = max(1, BATCH_BYTES // (16 * n * n * (3 if noise else 1)))

    def exact(sel, with_noise):
        theta, degree = THETA, DEGREE
        for start in range(0, len(sel), chunk):
            part = sel[start:start + chunk]
            s = _doublings(norm, steps[part], theta)
            h = np.ldexp(steps[part], -s)
            qq = Q if with_noise else None
            pp = P if with_noise else None
            E, u, XN, XM = _double(*_taylor(A, h, b, qq, pp, degree), s)
            out_E[part] = E
            if u is not None:
                out_u[part] = u
            if XN is not None:
                out_N[part] = XN
            if XM is not None:
                out_M[part] = XM

    everything = np.arange(D)
    if not use_diff:
        exact(everything, noise)
    else:
        exact(everything, False)
        redo = np.zeros(D, bool)
        N_ss, M_ss = steady()
        for X_ss, out, conj in ((N_ss, out_N, True), (M_ss, out_M, False)):
            if out is None:
                continue
            scale = _frobenius(X_ss)
            for start in range(0, D, chunk):
                part = everything[start:start + chunk]
                E = out_E[part]
                L = E.conj() if conj else E
                X = X_ss - L @ X_ss @ E.transpose(0, 2, 1)
                out[part] = X
                norms = np.array([_frobenius(x) for x in X])
                redo[part] |= norms < DIFF_RATIO * scale
        if np.any(redo):
            exact(np.flatnonzero(redo), True)
    if out_N is not None:
        out_N = 0.5 * (out_N + out_N.conj().transpose(0, 2, 1))
    if out_M is not None:
        out_M = 0.5 * (out_M + out_M.transpose(0, 2, 1))
    return StepPropagators(out_E, out_u, out_N, out_M)


def _grid_steps(ts: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Distinct step lengths of a sorted grid from 0, which one leads to each time, and uniformity.

    A uniform grid (``linspace``: steps equal up to a few units in the last place of the largest
    time) shares one step after the first; otherwise exactly equal steps are merged.
    """
    steps = np.diff(ts, prepend=0.0)
    K = len(ts)
    if K >= 3:
        inner = steps[1:]
        dt = (ts[-1] - ts[0]) / (K - 1)
        if np.all(np.abs(inner - dt) <= 16 * np.finfo(float).eps * ts[-1]):
            values = np.array([steps[0], dt])
            which = np.ones(K, int)
            which[0] = 0
            return values, which, True
    values, which = np.unique(steps, return_inverse=True)
    return values, which.ravel(), False


def _powers(E, u, XN, XM, K):
    """Propagators of ``k = 0 .. K-1`` equal steps, by doubling (``log2 K`` batched products).

    ``E_{a+b} = E_a E_b``, ``u_{a+b} = u_a + E_a u_b``, ``X_{a+b} = X_a + e^{F a} X_b e^{G a}``.
    """
    n = E.shape[0]
    Ek = np.empty((K, n, n), complex)
    Ek[0] = np.eye(n)
    Ek[1] = E
    uk = Nk = Mk = None
    if u is not None:
        uk = np.empty((K, n), complex)
        uk[0], uk[1] = 0.0, u
    if XN is not None:
        Nk = np.empty((K, n, n), complex)
        Nk[0], Nk[1] = 0.0, XN
    if XM is not None:
        Mk = np.empty((K, n, n), complex)
        Mk[0], Mk[1] = 0.0, XM
    filled = 2
    while filled < K:
        m = min(filled - 1, K - filled)
        a = filled - 1
        Ea = Ek[a]
        new = slice(filled, filled + m)
        if uk is not None:
            uk[new] = uk[a] + uk[1:m + 1] @ Ea.T
        if Nk is not None:
            Nk[new] = Nk[a] + Ea.conj() @ Nk[1:m + 1] @ Ea.T
        if Mk is not None:
            Mk[new] = Mk[a] + Ea @ Mk[1:m + 1] @ Ea.T
        Ek[new] = Ea @ Ek[1:m + 1]
        filled += m
    return Ek, uk, Nk, Mk


def _evolve(
    A: np.ndarray,
    ts: np.ndarray,
    *,
    b: np.ndarray | None,
    Q: np.ndarray | None,
    P: np.ndarray | None,
    alpha0: np.ndarray | None,
    N0: np.ndarray | None,
    M0: np.ndarray | None,
    steady=None,
    step_fn=None,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Moments on a sorted grid of distinct finite times ``ts >= 0``, stepped exactly from ``t = 0``.

    Parameters
    ----------
    A : (n, n) complex
        Drift.
    ts : (T,) float
        Sorted, distinct, finite, ``>= 0``.
    b : (n,) or None
        ``-i F``; ``None`` with ``alpha0 = None`` skips the means.
    Q, P : (n, n) or None
        Diffusion matrices (``None`` for zero).
    alpha0, N0, M0 : arrays or None
        Moments at ``t = 0`` (``None`` for zero).  A moment whose initial value and source are
        both ``None`` is not computed (returned as ``None``).
    steady : callable, optional
        Returns the steady fluctuations ``(N_ss, M_ss)`` of a stable network (see
        :func:`step_propagators`).
    step_fn : callable, optional
        ``step_fn(steps, b, Q, P) -> StepPropagators`` replacing :func:`step_propagators`
        (the split propagators of a network with undamped modes, :func:`split_step_propagators`).

    Returns
    -------
    alpha (T, n), N (T, n, n), M (T, n, n), each an array or ``None``.
    """
    n = A.shape[0]
    T = len(ts)
    want_a = b is not None or alpha0 is not None
    want_N = Q is not None or N0 is not None
    want_M = P is not None or M0 is not None
    values, which, uniform = _grid_steps(ts)
    if step_fn is None:
        prop = _step_propagators(A, values, b=b, Q=Q, P=P, steady=steady)
    else:
        prop = step_fn(values, b, Q, P)
    E, u = prop.E, prop.u
    alpha = np.empty((T, n), complex) if want_a else None
    N = np.empty((T, n, n), complex) if want_N else None
    M = np.empty((T, n, n), complex) if want_M else None
    a = np.zeros(n, complex) if alpha0 is None else np.asarray(alpha0, complex)
    NN = np.zeros((n, n), complex) if N0 is None else np.asarray(N0, complex)
    MM = np.zeros((n, n), complex) if M0 is None else np.asarray(M0, complex)
    zero = np.zeros((n, n), complex)
    if uniform and T * n * n <= VECTOR_ENTRIES:
        # first time by its own step, then k equal steps at once
        E0 = E[0]
        a0 = E0 @ a + (0 if u is None else u[0])
        N0_ = E0.conj() @ NN @ E0.T + (0 if prop.XN is None else prop.XN[0])
        M0_ = E0 @ MM @ E0.T + (0 if prop.XM is None else prop.XM[0])
        Ek, uk, Nk, Mk = _powers(
            E[1], None if u is None else u[1],
            prop.XN[1] if (want_N and prop.XN is not None) else None,
            prop.XM[1] if (want_M and prop.XM is not None) else None, T,
        )
        EkT = Ek.transpose(0, 2, 1)
        if want_a:
            alpha[:] = Ek @ a0 + (0 if uk is None else uk)
        if want_N:
            N[:] = (Ek.conj() @ N0_ @ EkT if np.any(N0_) else 0) + (0 if Nk is None else Nk)
        if want_M:
            M[:] = (Ek @ M0_ @ EkT if np.any(M0_) else 0) + (0 if Mk is None else Mk)
    else:
        for k in range(T):
            d = which[k]
            Ed = E[d]
            if want_a:
                a = Ed @ a if u is None else Ed @ a + u[d]
                alpha[k] = a
            if want_N:
                NN = Ed.conj() @ NN @ Ed.T + (zero if prop.XN is None else prop.XN[d])
                N[k] = NN
            if want_M:
                MM = Ed @ MM @ Ed.T + (zero if prop.XM is None else prop.XM[d])
                M[k] = MM
    if want_N:
        N = 0.5 * (N + N.conj().transpose(0, 2, 1))
    if want_M:
        M = 0.5 * (M + M.transpose(0, 2, 1))
    return alpha, N, M


@dataclass
class DarkSplit:
    """A network with undamped modes, split into its dark and damped parts.

    Attributes
    ----------
    B : ndarray (n, n)
        Unitary change of mode basis ``a'' = B^H a``: the first ``d`` new modes are the
        eigenmodes of the dark subspace, the others span its orthogonal complement.
    omega : ndarray (d,)
        Frequencies of the dark eigenmodes: their drift is exactly ``-i omega``.
    A_S : ndarray (n - d, n - d)
        Drift of the damped part.
    """

    B: np.ndarray
    omega: np.ndarray
    A_S: np.ndarray

    def _check(self, alpha, N, M, stacked: bool):
        n = self.B.shape[0]
        lead = (slice(None),) if stacked else ()
        for name, X, shape in (("alpha", alpha, (n,)), ("N", N, (n, n)), ("M", M, (n, n))):
            if X is None:
                continue
            X = np.asarray(X)
            if X.shape[len(lead):] != shape or (stacked and X.ndim != len(shape) + 1):
                want = ("(T, " if stacked else "(") + ", ".join(map(str, shape)) + ")"
                raise ValueError(f"{name} must have shape {want}, got {X.shape}")
            if not np.all(np.isfinite(X)):
                raise ValueError(f"{name} must be finite")

    def to_split(self, alpha=None, N=None, M=None):
        """Moments (or sources ``b, Q, P``) in the split basis: ``B^H a``, ``B^T N conj(B)``, ``B^H M conj(B)``.

        Parameters
        ----------
        alpha : (n,) array_like, optional
        N, M : (n, n) array_like, optional

        Returns
        -------
        tuple of three arrays or ``None``
        """
        self._check(alpha, N, M, stacked=False)
        return self._to(alpha, N, M)

    def _to(self, alpha=None, N=None, M=None):
        B = self.B
        return (None if alpha is None else B.conj().T @ alpha,
                None if N is None else B.T @ N @ B.conj(),
                None if M is None else B.conj().T @ M @ B.conj())

    def from_split(self, alpha=None, N=None, M=None):
        """Stacks of moments back in the mode basis: ``B a''``, ``conj(B) N'' B^T``, ``B M'' B^T``.

        Parameters
        ----------
        alpha : (T, n) array_like, optional
        N, M : (T, n, n) array_like, optional

        Returns
        -------
        tuple of three arrays or ``None``
        """
        self._check(alpha, N, M, stacked=True)
        return self._from(alpha, N, M)

    def _from(self, alpha=None, N=None, M=None):
        B = self.B
        return (None if alpha is None else alpha @ B.T,
                None if N is None else B.conj() @ N @ B.T,
                None if M is None else B @ M @ B.T)

    @property
    def drift(self) -> np.ndarray:
        """The drift in the split basis, ``diag(-i omega) (+) A_S``."""
        d = len(self.omega)
        n = d + self.A_S.shape[0]
        A = np.zeros((n, n), complex)
        A[:d, :d] = np.diag(-1j * self.omega)
        A[d:, d:] = self.A_S
        return A


def _dark_tolerances(h: np.ndarray, K: np.ndarray) -> tuple[float, float]:
    """Round-off tolerances of "undamped" and "invariant": ``8 n eps ||K||_F`` and ``8 n eps ||h||_F``.

    A dark mode satisfies ``K v = 0`` and ``h v = omega v`` exactly; building ``K`` from the
    rates and coefficients and diagonalising it leaves errors of a few ``n eps ||K||``, which
    these tolerances absorb and nothing more (a decay rate above them is a decay rate).
    """
    n = h.shape[0]
    eps = np.finfo(float).eps
    return 8 * n * eps * _frobenius(K), 8 * n * eps * _frobenius(h)


def _dark_split(h: np.ndarray, K: np.ndarray, tol_K: float, tol_h: float) -> DarkSplit | None:
    """The dark subspace of a network: the largest ``h``-invariant subspace in the kernel of ``K``.

    A mode ``v`` with ``K v = 0`` and ``h v = omega v`` is never damped (``A v = -i omega v``),
    and because ``h`` is Hermitian and ``K`` positive semi-definite, the dark subspace and its
    orthogonal complement are both invariant under ``A``: the drift is block diagonal in the
    basis they define.  The subspace is found by restricting the kernel of ``K`` (eigenvalues
    ``<= tol_K``) to its part that ``h`` maps into itself (singular values of the leakage
    ``<= tol_h``), repeatedly.

    Parameters
    ----------
    h, K : (n, n)
        Hamiltonian and damping matrix of the network.
    tol_K, tol_h : float
        Absolute tolerances (:func:`dark_tolerances`).

    Returns
    -------
    DarkSplit or None
        ``None`` when there is no dark subspace.
    """
    n = h.shape[0]
    w, V = np.linalg.eigh(K)
    W = V[:, w <= tol_K]
    while W.shape[1]:
        hW = h @ W
        R = hW - W @ (W.conj().T @ hW)
        _, S, Vh = np.linalg.svd(R, full_matrices=False)
        keep = S <= tol_h
        if np.all(keep):
            break
        W = W @ Vh[keep].conj().T
    d = W.shape[1]
    if d == 0:
        return None
    T = np.zeros((n, n), complex)
    T[:, :d], _ = np.linalg.qr(W)
    if d < n:
        # an orthonormal basis of the complement: the range of the projector I - W W^H
        C = np.eye(n, dtype=complex) - T[:, :d] @ T[:, :d].conj().T
        U, _, _ = np.linalg.svd(C)
        T[:, d:] = U[:, : n - d]
    A = -1j * h - 0.5 * K
    Ap = T.conj().T @ A @ T
    hD = 1j * Ap[:d, :d]
    hD = 0.5 * (hD + hD.conj().T)  # exactly undamped: the Hermitian part of the dark drift is zero
    omega, Vd = np.linalg.eigh(hD)
    B = T.copy()
    B[:, :d] = T[:, :d] @ Vd
    return DarkSplit(B, omega, Ap[d:, d:].copy())


def _phi_i(x: np.ndarray) -> np.ndarray:
    """``(e^{i x} - 1) / (i x)`` for real ``x`` (1 at ``x = 0``), without cancellation."""
    return np.exp(0.5j * x) * np.sinc(x / (2 * np.pi))


def _split_step_propagators(split: DarkSplit, steps: np.ndarray, b, Q, P) -> StepPropagators:
    """Step propagators of a split network, in the split basis (:class:`DarkSplit`).

    The dark block evolves by exact phases ``e^{-i omega Delta}``; its integrals are closed forms
    ``Delta (e^{i x} - 1)/(i x)``; the damped block and the dark-damped cross terms (integrals of
    ``e^{(A_S +- i omega_k) s}``, shifted damped drifts) use :func:`step_propagators`, whose
    exponentials underflow.  Nothing grows, so every finite time is exact to round-off.

    Parameters
    ----------
    split : DarkSplit
    steps : (D,) float
        Finite steps ``>= 0``.
    b, Q, P : arrays in the split basis, or ``None``
        Drive term and diffusion matrices.

    Returns
    -------
    StepPropagators
        In the split basis.
    """
    om = split.omega
    A_S = split.A_S
    d = len(om)
    nS = A_S.shape[0]
    n = d + nS
    D = len(steps)
    st = steps[:, None]
    E = np.zeros((D, n, n), complex)
    E[:, np.arange(d), np.arange(d)] = np.exp(-1j * om[None, :] * st)
    stable = None
    if nS:
        stable = _step_propagators(
            A_S, steps,
            b=None if b is None else b[d:],
            Q=None if Q is None else Q[d:, d:],
            P=None if P is None else P[d:, d:],
        )
        E[:, d:, d:] = stable.E
    u = XN = XM = None
    eyeS = np.eye(nS)
    if b is not None:
        u = np.zeros((D, n), complex)
        u[:, :d] = b[:d] * st * _phi_i(-om[None, :] * st)
        if nS:
            u[:, d:] = stable.u
    if Q is not None:
        XN = np.zeros((D, n, n), complex)
        diff = om[:, None] - om[None, :]
        XN[:, :d, :d] = Q[:d, :d] * steps[:, None, None] * _phi_i(diff[None] * steps[:, None, None])
        if nS:
            XN[:, d:, d:] = stable.XN
            for k in range(d):
                row = _step_propagators(A_S + 1j * om[k] * eyeS, steps, b=Q[k, d:]).u
                XN[:, k, d:] = row
                XN[:, d:, k] = row.conj()
    if P is not None:
        XM = np.zeros((D, n, n), complex)
        tot = om[:, None] + om[None, :]
        XM[:, :d, :d] = P[:d, :d] * steps[:, None, None] * _phi_i(-tot[None] * steps[:, None, None])
        if nS:
            XM[:, d:, d:] = stable.XM
            for k in range(d):
                row = _step_propagators(A_S - 1j * om[k] * eyeS, steps, b=P[k, d:]).u
                XM[:, k, d:] = row
                XM[:, d:, k] = row
    return StepPropagators(E, u, XN, XM)


def _decay_bound(K: np.ndarray) -> float:
    """A lower bound ``mu`` on ``lambda_min(K)/2``, so that ``||e^{A t}||_2 <= e^{-mu t}``.

    Gershgorin's bound on the damping matrix, ``min_i (K_ii - sum_{j != i} |K_ij|) / 2``
    (``O(n^2)``, no factorisation); zero or negative when it proves nothing.
    """
    K = np.asarray(K)
    off = np.sum(np.abs(K), axis=1) - np.abs(np.diag(K))
    return float(np.min(np.real(np.diag(K)) - off)) / 2.0


def _sparse_amplitudes(A: np.ndarray, t: np.ndarray, d0: np.ndarray, mu: float) -> np.ndarray | None:
    """``e^{A t} d0`` for a large sparse drift by Taylor steps (``expm_multiply``), or ``None``.

    Parameters
    ----------
    A : (n, n)
        Drift with ``||e^{A t}||_2 <= e^{-mu t}``.
    t : (T,) float
        Sorted, distinct, finite times ``>= 0``.
    d0 : (n,)
        Initial deviation from the steady state.
    mu : float
        Decay bound (:func:`decay_bound`); times with ``mu t > 745.2`` (where ``e^{A t}`` is
        below the smallest double) give exactly zero without any work.

    Returns
    -------
    ndarray (T, n) or None
        ``None`` when the drift is small or dense (use the dense path), or when the bound
        ``mu`` is too weak for the Taylor steps to reach the horizon cheaply.
    """
    import scipy.sparse as sps
    from scipy.sparse.linalg import expm_multiply

    n = A.shape[0]
    if n <= 48 or np.count_nonzero(A) > 0.1 * A.size or mu <= 0:
        return None
    horizon = 745.2 / mu
    norm1 = float(np.max(np.sum(np.abs(A), axis=0)))
    live = t < horizon
    if norm1 * min(float(t[live][-1]) if np.any(live) else 0.0, horizon) > 1e6:
        return None
    As = sps.csr_matrix(A)
    out = np.zeros((len(t), n), complex)
    ts = t[live]
    if len(ts) == 0:
        return out
    steps = np.diff(ts)
    if len(ts) > 2 and np.all(np.abs(steps - steps[0]) <= 16 * np.finfo(float).eps * ts[-1]):
        v0 = expm_multiply(As * ts[0], d0) if ts[0] != 0 else d0
        out[: len(ts)] = expm_multiply(As, v0, start=0.0, stop=ts[-1] - ts[0], num=len(ts), endpoint=True)
        return out
    v = expm_multiply(As * ts[0], d0) if ts[0] != 0 else d0.copy()
    out[0] = v
    for i in range(1, len(ts)):
        v = expm_multiply(As * steps[i - 1], v) if steps[i - 1] != 0 else v
        out[i] = v
    return out


# --------------------------------------------------------------------------------------------
# public, validated entry points (LinearNetwork calls the unchecked versions above)
# --------------------------------------------------------------------------------------------
def _square(A, name: str) -> np.ndarray:
    A = _finite_array(A, name)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a square (n, n) matrix, got shape {A.shape}")
    return A


def _drift(A, name: str = "A") -> np.ndarray:
    """A network drift: square, finite, with a negative semi-definite Hermitian part."""
    A = _square(A, name)
    H = 0.5 * (A + A.conj().T)
    top = float(np.linalg.eigvalsh(H)[-1])
    if top > 1e-12 * max(_frobenius(A), np.finfo(float).tiny):
        raise ValueError(
            f"{name} must be the drift of a network (-i h - K/2 with K >= 0): its Hermitian part "
            f"has the positive eigenvalue {top:.3e}"
        )
    return A


def _optional(X, name: str, shape: tuple) -> np.ndarray | None:
    if X is None:
        return None
    X = _finite_array(X, name)
    if X.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {X.shape}")
    return X


def _steps(steps, name: str = "steps") -> np.ndarray:
    return _times_1d(steps, nonnegative=True, name=name)


def step_propagators(A, steps, *, b=None, Q=None, P=None, steady=None) -> StepPropagators:
    """Exact step propagators ``(E, u, X_N, X_M)`` for step lengths ``steps`` (validated).

    Parameters
    ----------
    A : (n, n) array_like
        Drift of a network (Hermitian part negative semi-definite).
    steps : (D,) array_like
        Finite step lengths ``>= 0``.
    b : (n,) array_like, optional
        Drive term ``-i F``.
    Q, P : (n, n) array_like, optional
        Diffusion matrices.
    steady : callable, optional
        Returns ``(N_ss, M_ss)`` of a stable network (see the module docstring).

    Returns
    -------
    StepPropagators
        ``E = e^{A D}``, ``u = int_0^D e^{A s} b ds``, ``X_N = int_0^D e^{conj(A) s} Q e^{A^T s} ds``,
        ``X_M = int_0^D e^{A s} P e^{A^T s} ds`` (``None`` where the source is ``None``): Taylor
        series on ``D / 2^s`` and ``s`` doublings (module docstring).

    References
    ----------
    Van Loan (1978); Higham, *Functions of Matrices*, ch. 10.
    """
    A = _drift(A)
    n = A.shape[0]
    st = _steps(steps)
    return _step_propagators(A, st, b=_optional(b, "b", (n,)), Q=_optional(Q, "Q", (n, n)),
                             P=_optional(P, "P", (n, n)), steady=steady)


def evolve(A, ts, *, b=None, Q=None, P=None, alpha0=None, N0=None, M0=None, steady=None):
    """Moments on a sorted grid of distinct finite times ``ts >= 0`` (validated).

    Parameters
    ----------
    A : (n, n) array_like
        Drift of a network.
    ts : (T,) array_like
        Strictly increasing, finite, ``>= 0``.
    b, Q, P : optional
        Drive term ``-i F`` (n,) and diffusion matrices (n, n).
    alpha0, N0, M0 : optional
        Moments at ``t = 0`` (``None`` for zero).
    steady : callable, optional
        Returns ``(N_ss, M_ss)`` of a stable network.

    Returns
    -------
    alpha (T, n), N (T, n, n), M (T, n, n)
        Each ``None`` when its initial value and source are both ``None``.  Exact stepping
        ``alpha -> E alpha + u``, ``N -> conj(E) N E^T + X_N``, ``M -> E M E^T + X_M`` (module
        docstring); :meth:`nrqb.LinearNetwork.moments` is the friendly interface.
    """
    A = _drift(A)
    n = A.shape[0]
    ts = _steps(ts, "ts")
    if np.any(np.diff(ts) <= 0):
        raise ValueError("ts must be strictly increasing (sort and de-duplicate first)")
    return _evolve(
        A, ts, b=_optional(b, "b", (n,)), Q=_optional(Q, "Q", (n, n)), P=_optional(P, "P", (n, n)),
        alpha0=_optional(alpha0, "alpha0", (n,)), N0=_optional(N0, "N0", (n, n)),
        M0=_optional(M0, "M0", (n, n)), steady=steady,
    )


def dark_split(h, K, tol_K=None, tol_h=None) -> DarkSplit | None:
    """The dark subspace of a network (validated; see ``_dark_split`` for the method).

    Parameters
    ----------
    h : (n, n) array_like
        Hermitian Hamiltonian matrix.
    K : (n, n) array_like
        Damping matrix (Hermitian, positive semi-definite).
    tol_K, tol_h : float, optional
        Absolute tolerances ``>= 0`` for "undamped" and "invariant"; default
        :func:`dark_tolerances` (round-off only).

    Returns
    -------
    DarkSplit or None
        The unitary change of basis, the dark frequencies and the damped drift; ``None`` when
        every mode is damped.
    """
    h = _square(h, "h")
    K = _square(K, "K")
    if K.shape != h.shape:
        raise ValueError(f"K must have the shape of h, {h.shape}, got {K.shape}")
    if np.max(np.abs(h - h.conj().T)) > 1e-12 * np.max(np.abs(h)):
        raise ValueError("h must be Hermitian")
    if np.max(np.abs(K - K.conj().T)) > 1e-12 * np.max(np.abs(K)) or np.linalg.eigvalsh(0.5 * (K + K.conj().T))[0] < -1e-12 * np.max(np.abs(K)):
        raise ValueError("K must be Hermitian and positive semi-definite")
    h = 0.5 * (h + h.conj().T)
    K = 0.5 * (K + K.conj().T)
    dK, dh = _dark_tolerances(h, K)
    tols = []
    for name, v, default in (("tol_K", tol_K, dK), ("tol_h", tol_h, dh)):
        v = default if v is None else _real(v, name)
        if v < 0:
            raise ValueError(f"{name} must be >= 0, got {v}")
        tols.append(v)
    return _dark_split(h, K, *tols)


def split_step_propagators(split: DarkSplit, steps, b=None, Q=None, P=None) -> StepPropagators:
    """Step propagators of a split network, in the split basis (validated; see the private version).

    Parameters
    ----------
    split : DarkSplit
        From :func:`dark_split`.
    steps : (D,) array_like
        Finite steps ``>= 0``.
    b, Q, P : optional
        Drive term and diffusion matrices in the split basis.

    Returns
    -------
    StepPropagators
        Exact phases ``e^{-i omega D}`` on the dark block, closed-form integrals, and
        :func:`step_propagators` on the damped block and the cross terms.
    """
    if not isinstance(split, DarkSplit):
        raise ValueError(f"split must be a DarkSplit (from dark_split), got {type(split).__name__}")
    n = split.B.shape[0]
    return _split_step_propagators(split, _steps(steps), _optional(b, "b", (n,)),
                                   _optional(Q, "Q", (n, n)), _optional(P, "P", (n, n)))


def decay_bound(K) -> float:
    """A lower bound ``mu`` on ``lambda_min(K) / 2``, so that ``||e^{A t}||_2 <= e^{-mu t}``.

    Parameters
    ----------
    K : (n, n) array_like
        Damping matrix.

    Returns
    -------
    float
        Gershgorin's bound ``min_i (K_ii - sum_{j != i} |K_ij|) / 2`` (no factorisation); zero or
        negative when it proves nothing.
    """
    return _decay_bound(_square(K, "K"))


def sparse_amplitudes(A, t, d0, mu) -> np.ndarray | None:
    """``e^{A t} d0`` for a large sparse drift by Taylor steps, or ``None`` (validated).

    Parameters
    ----------
    A : (n, n) array_like
        Drift with ``||e^{A t}||_2 <= e^{-mu t}``.
    t : (T,) array_like
        Strictly increasing finite times ``>= 0``.
    d0 : (n,) array_like
        Initial vector.
    mu : float
        Decay bound from :func:`decay_bound`.

    Returns
    -------
    ndarray (T, n) or None
        ``None`` when the dense path should be used (small or dense drift, no decay bound, or
        too many Taylor steps to reach the horizon ``745.2 / mu``, after which the result is
        exactly zero).
    """
    A = _square(A, "A")
    n = A.shape[0]
    t = _steps(t, "t")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing")
    d0 = _optional(d0, "d0", (n,))
    if d0 is None:
        raise ValueError("d0 must be an (n,) vector, got None")
    return _sparse_amplitudes(A, t, d0, _real(mu, "mu"))


def dark_tolerances(h, K) -> tuple[float, float]:
    """Round-off tolerances of "undamped" and "invariant": ``8 n eps ||K||_F`` and ``8 n eps ||h||_F``.

    Parameters
    ----------
    h, K : (n, n) array_like
        Hamiltonian and damping matrix of a network.

    Returns
    -------
    tol_K, tol_h : float
        A dark mode satisfies ``K v = 0`` and ``h v = omega v`` exactly; building ``K`` from the
        rates and coefficients and diagonalising it leaves errors of a few ``n eps ||K||``, which
        these absorb and nothing more (a decay rate above them is a decay rate).
    """
    h = _square(h, "h")
    K = _square(K, "K")
    if K.shape != h.shape:
        raise ValueError(f"K must have the shape of h, {h.shape}, got {K.shape}")
    return _dark_tolerances(h, K)
