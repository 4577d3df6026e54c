"""Large networks without dense ``n x n`` matrices: structure, stability, decay bounds, propagation.

A network of ``10^4``-``10^5`` modes couples each mode to a few others, so its drift
``A = -i h - K/2`` has ``O(n)`` non-zeros.  This module holds the pieces of the engine that
work on such a drift in ``scipy.sparse`` form with memory ``O(nnz + n)``:

- **structure**: :func:`triangular` tells whether the drift is one-way (triangular in mode
  order, read off its sparsity pattern exactly);
- **stability** without a dense factorisation (:func:`stability`): a triangular drift's
  eigenvalues are its diagonal (read off exactly); otherwise a positive-definite damping matrix
  ``K`` proves stability (``Re lambda = -<v|K|v>/2 <= -lambda_min(K)/2``), shown by Gershgorin's
  bound or else by a sparse ``LDL^T`` factorisation (``splu`` without pivoting: every pivot
  positive); a drift that is neither is left undecided (the network then forms its dense drift
  if ``n <= DENSE_LIMIT``, or uses a sparse eigen-solve);
- **decay bounds** (:class:`DecayBound`): a proof, mode by mode, that ``|(e^{A t} x)_j|`` is
  below a threshold from some time on, so that later times are the steady state to double
  precision and cost nothing;
- **propagation** of vectors and blocks of vectors by Taylor steps (:func:`taylor_action`), for the
  means and for the rows of ``e^{A t}`` that one mode's covariance needs.

Decay bounds
------------
For any drift, ``|x(t)| <= e^{t C} |x(0)|`` entrywise, with the comparison matrix
``C = diag(Re A) + |offdiag(A)|`` (a Metzler matrix: ``d|x_j|/dt <= Re(A_jj)|x_j| + sum
|A_jk||x_k|``).  For a one-way (lower triangular) drift ``C = -D + L`` with ``D = diag(delta)``,
``delta_j = -Re A_jj > 0`` and ``L >= 0`` strictly lower triangular.  For any
``0 < mu < min delta``, the vector ``v = (D - mu - L)^{-1} |x(0)| >= 0`` satisfies
``(C + mu) v = -|x(0)| <= 0``, hence ``e^{t C} v <= e^{-mu t} v``, and with
``c = max_k |x_k(0)| / v_k``,

    ``|x_j(t)| <= c v_j e^{-mu t}``        for every mode j and every t >= 0 .

This is a Chernoff bound: it follows a transient through a one-way chain of any length (the
growth of ``v`` along the chain against the decay ``e^{-mu t}``), where the bound
``e^{-lambda_min(K) t / 2}`` from the damping matrix alone is useless (``lambda_min(K)`` is the
weakest local loss).  ``v`` grows geometrically along a long chain, so it is computed in
logarithms, block by block (a sparse triangular solve per block, rescaled between blocks).
For other drifts the bound is ``||x(t)||_2 <= e^{-mu_K t} ||x(0)||_2`` with ``mu_K`` Gershgorin's
lower bound on ``lambda_min(K)/2``.

References
----------
N. J. Higham, *Functions of Matrices* (SIAM, 2008), ch. 10 (Taylor approximants, norms of
``e^{At}``); A. H. Al-Mohy and N. J. Higham, SIAM J. Sci. Comput. 33, 488 (2011) (the action of
the exponential by Taylor steps); L. Farina and S. Rinaldi, *Positive Linear Systems* (Wiley,
2000) (comparison systems and Metzler matrices).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.sparse as sps

from .validation import finite_array as _finite_array, index as _index, real as _real, times_1d as _times_1d

__all__ = ["DENSE_LIMIT", "DecayBound", "jump_coefficients", "stability", "taylor_action", "triangular"]

#: largest ``n`` for which a sparse network forms dense ``n x n`` matrices when an algorithm needs
#: them (general thermal or squeezed noise, dark modes, full covariance matrices): 268 MB each
DENSE_LIMIT = 4096
#: ``||A' h||`` bound of one Taylor step of :func:`taylor_action` (``A'`` the drift minus its mean
#: diagonal); the largest Taylor term is at most ``e^THETA`` times the vector, so the rounding of
#: a step stays below ``8 eps``
TAYLOR_THETA = 2.0
#: most Taylor terms per step (the series has converged to ``2^-60`` long before: ``2^40 / 40!``)
TAYLOR_DEGREE = 40
#: most Taylor steps a propagation takes before the engine uses another route (dense doubling)
MAX_STEPS = 100_000
#: rates ``mu`` of the Chernoff bound, as fractions of ``min delta``
BOUND_FRACTIONS = (0.05, 0.25, 0.5, 0.7, 0.85, 0.97)
#: a floor added to every right-hand side of the log-space triangular solves (in the units of
#: the block's scale): terms that underflow (below ``1e-308``) are covered by it, so the bound
#: stays rigorous
_FLOOR = 1e-280


#: plain number types whose arrays need no further checks than finiteness
_PLAIN = (int, float, complex, np.float64, np.complex128)


def _finite_number(v) -> bool:
    """A plain number (one of ``_PLAIN``) that is finite."""
    c = complex(v)
    return math.isfinite(c.real) and math.isfinite(c.imag)


def _csr(X) -> sps.csr_array:
    """``X`` as a canonical complex CSR array (duplicates summed, explicit zeros removed)."""
    X = sps.csr_array(X, dtype=complex)
    X.sum_duplicates()
    X.eliminate_zeros()
    return X


# --------------------------------------------------------------------------------------------
# jump coefficients given sparsely
# --------------------------------------------------------------------------------------------
def _coefficients(value: Any, n: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(indices, values)`` of the non-zero coefficients of a jump operator ``sum_j c_j a_j``."""
    if type(value) is dict and 0 < len(value) <= 16:
        # fast path (the builder's links): plain ints in range, plain finite numbers
        items = list(value.items())
        if all(type(k) is int and -n <= k < n and type(v) in _PLAIN and _finite_number(v) for k, v in items):
            every = [k % n for k, _ in items]
            if len(set(every)) != len(every):
                raise ValueError(f"{name} has a mode index twice (as i and i - n)")
            pairs = sorted(((i, complex(v)) for i, (_, v) in zip(every, items) if v != 0), key=lambda p: p[0])
            idx = [i for i, _ in pairs]
            return np.array(idx, dtype=np.int64), np.array([v for _, v in pairs], complex)
    if isinstance(value, dict):
        if not value:
            raise ValueError(f"{name} must not be empty")
        keys = list(value)
        if all(type(k) is int for k in keys) and all(-n <= k < n for k in keys):
            idx = np.array(keys, dtype=np.int64) % n
        else:
            idx = np.array([_index(k, f"{name} key", n) for k in keys], dtype=np.int64)
        if len(np.unique(idx)) != len(idx):
            raise ValueError(f"{name} has a mode index twice (as i and i - n)")
        raw = list(value.values())
        if all(type(v) in _PLAIN for v in raw):
            vals = np.array(raw, complex)
            if not np.all(np.isfinite(vals)):
                raise ValueError(f"{name} must be finite (no NaN or inf), got {raw!r}"[:200])
        else:
            vals = _finite_array(raw, name)
        if vals.shape != idx.shape:
            raise ValueError(f"{name} must map mode indices to single numbers")
    elif sps.issparse(value):
        if value.shape not in ((n,), (1, n), (n, 1)):
            raise ValueError(f"{name} must have shape ({n},), got {value.shape}")
        coo = sps.coo_array(value.reshape((n,)) if value.ndim == 2 else value)
        coo.sum_duplicates()
        idx = np.asarray(coo.coords[0], dtype=np.int64)
        vals = _finite_array(coo.data, name)
    else:
        c = _finite_array(value, name)
        if c.shape != (n,):
            raise ValueError(f"{name} must have shape ({n},), got {c.shape}")
        idx = np.flatnonzero(c)
        vals = c[idx]
    keep = vals != 0
    order = np.argsort(idx[keep], kind="stable")
    return idx[keep][order], np.asarray(vals[keep][order], complex)


def jump_coefficients(coefficients: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    """The non-zero coefficients of a jump operator ``L = sum_j c_j a_j``, however given.

    Parameters
    ----------
    coefficients : dict, 1-D sparse array or array_like
        ``{mode index: c_j}`` (indices ``-n <= j < n``), a ``scipy.sparse`` array of shape
        ``(n,)`` (or ``(1, n)``), or a dense ``(n,)`` vector.
    n : int
        Number of modes.

    Returns
    -------
    indices : ndarray of int
        Sorted mode indices of the non-zero coefficients.
    values : ndarray of complex
        The coefficients at those indices.

    Raises
    ------
    ValueError
        For NaN/inf, strings or booleans, a wrong shape, an index out of range or repeated
        (named ``coefficients``).

    References
    ----------
    Ahmadi et al., Eq. (1) (the collective jump ``L_z`` with ``z = p_a a + p_b b``).
    """
    from .validation import count as _count

    n = _count(n, "n")
    return _coefficients(coefficients, n, "coefficients")


# --------------------------------------------------------------------------------------------
# structure and stability
# --------------------------------------------------------------------------------------------
def _triangular(A: sps.csr_array) -> str | None:
    coo = A.tocoo()
    r, c = coo.coords
    if np.all(r >= c):
        return "lower"
    if np.all(r <= c):
        return "upper"
    return None


def triangular(A: Any) -> str | None:
    """``"lower"`` or ``"upper"`` if the sparsity pattern of ``A`` is triangular, else ``None``.

    Parameters
    ----------
    A : (n, n) sparse or dense array_like
        A drift (the engine stores drifts with the round-off of cancelled entries removed, so a
        one-way network's drift is exactly triangular in mode order).

    Returns
    -------
    str or None
        A diagonal matrix is ``"lower"``.  One-way networks built in the order of their links
        are lower triangular: their eigenvalues are the diagonal, read off exactly.
    """
    return _triangular(_square_sparse(A, "A"))


def _gershgorin_lower(K: sps.csr_array) -> float:
    """Gershgorin's lower bound ``min_i (K_ii - sum_{j != i} |K_ij|)`` on ``lambda_min(K)``."""
    d = np.real(K.diagonal())
    rows = np.asarray(abs(K).sum(axis=1)).ravel() - np.abs(K.diagonal())
    return float(np.min(d - rows)) if K.shape[0] else 0.0


def _positive_definite(K: sps.csr_array, tol: float) -> bool:
    """True if ``K - tol I`` is positive definite: Gershgorin, else a sparse ``LDL^T``.

    ``splu`` in symmetric mode without pivoting (``diag_pivot_thresh = 0``) and a symmetric
    fill-reducing ordering eliminates ``P K P^T`` on its diagonal; a Hermitian matrix is positive
    definite exactly when every such pivot is positive (Sylvester's criterion).
    """
    if _gershgorin_lower(K) > tol:
        return True
    from scipy.sparse.linalg import splu

    n = K.shape[0]
    B = sps.csc_array(K - tol * sps.identity(n, dtype=complex, format="csr"))
    try:
        lu = splu(B, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                  options={"SymmetricMode": True})
    except RuntimeError:  # exactly singular
        return False
    if not np.array_equal(lu.perm_r, lu.perm_c):  # a row interchange happened: no conclusion
        return False
    piv = lu.U.diagonal()
    return bool(np.all(np.real(piv) > 0) and np.all(np.abs(np.imag(piv)) <= 1e-8 * np.abs(piv)))


def _stability(A: sps.csr_array, K: sps.csr_array, tol_K: float) -> tuple[bool | None, str]:
    """``(stable, how)``: ``True``/``False`` when decided without a dense matrix, else ``None``."""
    tri = _triangular(A)
    if tri is not None:
        return bool(np.max(np.real(A.diagonal())) < 0), "triangular"
    if _positive_definite(K, max(tol_K, np.finfo(float).tiny)):
        return True, "damping positive definite"
    return None, "undecided"


def stability(A: Any, K: Any, tol_K: Any = 0.0) -> tuple[bool | None, str]:
    """Stability of a sparse drift without a dense factorisation.

    Parameters
    ----------
    A : (n, n) sparse or dense array_like
        Drift ``-i h - K/2``.
    K : (n, n) sparse or dense array_like
        Damping matrix (Hermitian, positive semi-definite).
    tol_K : float, optional
        ``K - tol_K I`` must be positive definite for the damping route (default 0: any
        positive definite ``K``).

    Returns
    -------
    stable : bool or None
        ``True`` or ``False`` when decided, ``None`` when neither route applies.
    how : str
        ``"triangular"`` (eigenvalues = diagonal, exact), ``"damping positive definite"``
        (Gershgorin's bound or the pivots of a sparse ``LDL^T``), or ``"undecided"``.

    References
    ----------
    Gardiner and Zoller, *Quantum Noise*, ch. 3 (stability of linear quantum networks); the
    Hermitian part of ``A`` is ``-K/2``.
    """
    A = _square_sparse(A, "A")
    K = _square_sparse(K, "K")
    if K.shape != A.shape:
        raise ValueError(f"K must have the shape of A, {A.shape}, got {K.shape}")
    tol = _real(tol_K, "tol_K")
    if tol < 0:
        raise ValueError(f"tol_K must be >= 0, got {tol}")
    return _stability(A, K, tol)


def _frobenius_sparse(X: sps.csr_array) -> float:
    """``||X||_F`` of a sparse array (scaled by its largest entry: no overflow or underflow)."""
    if X.nnz == 0:
        return 0.0
    a = np.abs(X.data)
    m = float(np.max(a))
    return m * float(np.sqrt(np.sum((a / m) ** 2))) if m > 0 else 0.0


def _arpack_stable(A: sps.csr_array) -> bool:
    """Stability of a large drift by ARPACK: its eigenvalues of largest real part.

    Used only for sparse networks with ``n > DENSE_LIMIT`` that are neither one-way nor have a
    positive-definite damping matrix.  Not a proof (Krylov methods can miss an eigenvalue of a
    strongly non-normal matrix); the docstring of :meth:`nrqb.LinearNetwork.is_stable` says so.
    """
    from scipy.sparse.linalg import eigs

    vals = eigs(A, k=6, which="LR", return_eigenvectors=False, maxiter=20 * A.shape[0], tol=1e-12)
    return bool(np.max(np.real(vals)) < 0)


def _square_sparse(A: Any, name: str) -> sps.csr_array:
    if sps.issparse(A):
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"{name} must be a square (n, n) matrix, got shape {A.shape}")
        A = _csr(A)
        _finite_array(A.data, name)
        return A
    X = _finite_array(A, name)
    if X.ndim != 2 or X.shape[0] != X.shape[1] or X.shape[0] == 0:
        raise ValueError(f"{name} must be a square (n, n) matrix, got shape {X.shape}")
    return _csr(X)


# --------------------------------------------------------------------------------------------
# decay bounds
# --------------------------------------------------------------------------------------------
def _solve_unit_lower(r: np.ndarray, c: np.ndarray, v: np.ndarray, dm: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Solve ``(diag(dm) - L) x = y`` with ``L`` strictly lower triangular given as ``(r, c, v)``.

    SuperLU's triangular solve (the one behind :func:`scipy.sparse.linalg.spsolve_triangular`)
    on a CSC array built directly, without SciPy's sparse constructors (whose overhead would
    dominate the many small blocks of :func:`_log_solve_lower`).
    """
    B = len(dm)
    rows = np.concatenate([np.arange(B), r])
    colz = np.concatenate([np.arange(B), c])
    vals = np.concatenate([np.ones(B), -v / dm[c]])
    order = np.lexsort((rows, colz))
    indices = rows[order].astype(np.intc)
    data = vals[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(colz, minlength=B))]).astype(np.intc)
    try:
        from scipy.sparse.linalg._dsolve import _superlu

        empty_i = np.zeros(0, np.intc)
        z, info = _superlu.gstrs("N", B, len(data), data, indices, indptr, B, 0, np.zeros(0),
                                 empty_i, np.zeros(B + 1, np.intc), np.array(y, float))
        if info:  # pragma: no cover - a unit diagonal is never singular
            raise RuntimeError(info)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - another SciPy
        from scipy.sparse.linalg import spsolve_triangular

        T = sps.csc_array((data, indices, indptr), shape=(B, B))
        z = spsolve_triangular(T, np.array(y, float), lower=True, unit_diagonal=True)
    return z / dm


def _log_solve_lower(dm: np.ndarray, L: sps.csr_array, rhs: np.ndarray) -> np.ndarray:
    """``log v`` for ``(diag(dm) - L) v = rhs + floor``: ``L >= 0`` strictly lower, ``dm > 0``.

    Solved block by block with sparse triangular solves in floating point, each block rescaled
    by the largest value feeding it; a block is shrunk where its solve overflows, and the next
    block's size follows the growth seen in the last one.  Every right-hand side gets
    ``_FLOOR`` (times the block's scale) added, which covers the terms lost to underflow, so the
    returned values are upper bounds (up to a relative ``1e-12``) of the solution with the floor
    included.
    """
    n = len(dm)
    logv = np.empty(n)
    with np.errstate(divide="ignore"):
        logr = np.log(rhs)
    indptr, indices, data = L.indptr, L.indices, L.data
    start, size = 0, 256
    while start < n:
        stop = min(n, start + size)
        lo, hi = indptr[start], indptr[stop]
        counts = np.diff(indptr[start:stop + 1])
        rid = np.repeat(np.arange(stop - start), counts)
        cols, vals = indices[lo:hi], data[lo:hi]
        ext = cols < start
        scale = float(np.max(logr[start:stop]))
        w = None
        if np.any(ext):
            lv = logv[cols[ext]]
            m = float(np.max(lv))
            w = np.bincount(rid[ext], weights=vals[ext] * np.exp(lv - m), minlength=stop - start)
            top = float(np.max(w))
            if top > 0:
                scale = max(scale, m + float(np.log(top)))
        if not np.isfinite(scale):
            scale = 0.0
        y = np.exp(logr[start:stop] - scale) + _FLOOR
        if w is not None:
            y += w * np.exp(m - scale)
        inn = ~ext
        with np.errstate(over="ignore", invalid="ignore"):
            x = _solve_unit_lower(rid[inn], cols[inn] - start, vals[inn], dm[start:stop], y)
        if not np.all(np.isfinite(x)) and size > 1:
            size = max(1, size // 4)
            continue
        lx = np.log(x)
        logv[start:stop] = lx + scale
        growth = (float(np.max(lx)) - float(np.min(lx))) / (stop - start)
        size = int(np.clip(400.0 / max(growth, 1e-3), 16, 8192))
        start = stop
    return logv + 1e-12 * np.abs(logv) + 1e-12  # rounding of the solves: a relative safety margin


def _mask_indptr(indptr: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Row pointer of a CSR array after dropping the entries where ``mask`` is False."""
    kept = np.concatenate([[0], np.cumsum(mask)])
    return kept[indptr]


class DecayBound:
    """Bounds ``|(e^{A t} x)_j| <= B_j(t)`` for a stable drift (module docstring).

    Parameters
    ----------
    A : (n, n) sparse or dense array_like
        A stable drift (every eigenvalue with a negative real part).
    K : (n, n) sparse or dense array_like
        Its damping matrix ``-(A + A^H)``.

    Notes
    -----
    A one-way (triangular) drift gets the Chernoff bound of the module docstring, computed for
    the rates ``mu = f min(delta)`` with ``f`` in ``BOUND_FRACTIONS`` (the best one at each
    time); every drift also gets ``||e^{A t}||_2 <= e^{-mu_K t}`` with Gershgorin's ``mu_K``.
    Both are rigorous; neither is tight, and a time before the bounds fall below a threshold is
    simply propagated.
    """

    def __init__(self, A: Any, K: Any) -> None:
        A = _square_sparse(A, "A")
        K = _square_sparse(K, "K")
        self._init(A, K)

    def _init(self, A: sps.csr_array, K: sps.csr_array) -> None:
        self.n = A.shape[0]
        self.mu_K = 0.5 * _gershgorin_lower(K)
        tri = _triangular(A)
        self.order = None
        if tri is not None and self.n > 1:
            delta = -np.real(A.diagonal())
            if np.all(delta > 0):
                perm = np.arange(self.n) if tri == "lower" else np.arange(self.n)[::-1]
                B = A if tri == "lower" else A[perm][:, perm]
                strict = sps.tril(abs(sps.csr_array(B)), k=-1, format="csr")
                self.order = perm
                self.delta = delta[perm]
                self.L = sps.csr_array(strict)
                self.L.eliminate_zeros()

    @classmethod
    def _from(cls, A: sps.csr_array, K: sps.csr_array) -> "DecayBound":
        obj = cls.__new__(cls)
        obj._init(A, K)
        return obj

    def settle_times(self, x_abs: Any, threshold: Any) -> np.ndarray:
        """The times from which ``|(e^{A t} x)_j| <= threshold_j`` is proven, mode by mode.

        Parameters
        ----------
        x_abs : (n,) array_like
            ``|x|`` (or an entrywise upper bound of it), finite and ``>= 0``.
        threshold : float or (n,) array_like
            Thresholds ``> 0``.

        Returns
        -------
        ndarray (n,)
            ``t_j`` with ``|(e^{A t} x)_j| <= threshold_j`` for every ``t >= t_j`` (``inf`` where
            no bound reaches the threshold; ``0`` where ``x`` is already below it).
        """
        x = _finite_array(x_abs, "x_abs", dtype=float)
        if x.shape != (self.n,) or np.any(x < 0):
            raise ValueError(f"x_abs must be an ({self.n},) array of values >= 0")
        thr = _finite_array(threshold, "threshold", dtype=float)
        thr = np.broadcast_to(thr, (self.n,)) if thr.ndim == 0 else thr
        if thr.shape != (self.n,) or np.any(thr <= 0):
            raise ValueError(f"threshold must be > 0 (a scalar or ({self.n},))")
        return self._settle(x, np.log(thr))

    def _settle(self, x: np.ndarray, logthr: np.ndarray) -> np.ndarray:
        n = self.n
        out = np.full(n, np.inf)
        if not np.any(x):
            return np.zeros(n)
        with np.errstate(divide="ignore"):
            logx = np.log(x)
        if self.mu_K > 0:
            norm = np.max(logx) + 0.5 * np.log(np.sum((x / np.max(x)) ** 2))
            out = np.minimum(out, np.maximum(norm - logthr, 0.0) / self.mu_K)
        if self.order is not None:
            lx = logx[self.order]
            lt = logthr[self.order]
            dmin = float(np.min(self.delta))
            best = np.full(n, np.inf)
            for f in BOUND_FRACTIONS:
                mu = f * dmin
                logv = _log_solve_lower(self.delta - mu, self.L, x[self.order])
                pos = np.isfinite(lx)
                c = float(np.max(lx[pos] - logv[pos]))
                best = np.minimum(best, np.maximum(c + logv - lt, 0.0) / mu)
            back = np.empty(n)
            back[self.order] = best
            out = np.minimum(out, back)
        return out


# --------------------------------------------------------------------------------------------
# propagation of vectors
# --------------------------------------------------------------------------------------------
def _norm1(A: sps.csr_array) -> float:
    """``min(||A||_1, ||A||_inf)`` (both bound the Taylor terms in their own vector norm)."""
    absA = abs(A)
    c = float(np.max(absA.sum(axis=0))) if A.nnz else 0.0
    r = float(np.max(absA.sum(axis=1))) if A.nnz else 0.0
    return min(c, r)


class _Stepper:
    """``X -> e^{A h} X`` by Taylor steps on ``A - mu I`` (``mu`` the mean diagonal)."""

    def __init__(self, A: sps.csr_array) -> None:
        n = A.shape[0]
        self.mu = complex(np.mean(A.diagonal()))
        self.B = _csr(A - self.mu * sps.identity(n, dtype=complex, format="csr"))
        self.norm = _norm1(self.B)

    def advance(self, X: np.ndarray, dt: float) -> np.ndarray:
        if dt == 0.0 or not np.any(X):
            return X
        s = max(1, int(np.ceil(self.norm * dt / TAYLOR_THETA))) if self.norm > 0 else 1
        h = dt / s
        with np.errstate(under="ignore"):
            decay = np.exp(self.mu * h)
        B = self.B
        for _ in range(s):
            S = X
            term = X
            small = 0
            top = float(np.max(np.abs(X)))
            if top == 0.0:
                return X
            for k in range(1, TAYLOR_DEGREE + 1):
                term = (B @ term) * (h / k)
                S = S + term
                if float(np.max(np.abs(term))) <= 2.0**-60 * top:
                    small += 1
                    if small == 2:
                        break
                else:
                    small = 0
            X = S * decay
        return X


def taylor_action(A: Any, X: Any, t: Any) -> np.ndarray:
    """``e^{A t} X`` for a sparse ``A`` and a vector or block of vectors, by Taylor steps.

    Parameters
    ----------
    A : (n, n) sparse or dense array_like
        A matrix (the drift of a network, or its transpose).
    X : (n,) or (n, m) array_like
        Vector(s) to propagate.
    t : float
        Time ``>= 0``.

    Returns
    -------
    ndarray, shape of ``X``
        ``e^{mu t} sum_k ((A - mu) h)^k X / k!`` over ``ceil(||A - mu|| t / TAYLOR_THETA)`` steps
        ``h`` (``mu`` the mean diagonal, ``||.||`` the smaller of the 1- and inf-norms), each
        summed until two terms fall below ``2^-60`` of the vector.

    References
    ----------
    Al-Mohy and Higham (2011), Algorithm 3.2 (without the backward-error choice of the degree).
    """
    A = _square_sparse(A, "A")
    n = A.shape[0]
    X = _finite_array(X, "X")
    if X.ndim not in (1, 2) or X.shape[0] != n:
        raise ValueError(f"X must have shape ({n},) or ({n}, m), got {X.shape}")
    tt = _times_1d(t, nonnegative=True)
    if tt.shape != (1,):
        raise ValueError("t must be a single time")
    return _Stepper(A).advance(X.astype(complex), float(tt[0]))


# --------------------------------------------------------------------------------------------
# steady amplitudes and the means of a stable sparse network
# --------------------------------------------------------------------------------------------
def _steady_amplitudes(A: sps.csr_array, F: np.ndarray) -> np.ndarray:
    """The solution of ``A alpha = i F``: a sparse triangular solve (one-way drift) or sparse LU."""
    n = A.shape[0]
    if not np.any(F):
        return np.zeros(n, complex)
    m = float(np.max(np.abs(A.data))) if A.nnz else 1.0
    sigma = float(2.0 ** np.round(np.log2(m))) if m > 0 else 1.0  # exact rescaling
    As = _csr(A / sigma)
    rhs = 1j * F / sigma
    tri = _triangular(As)
    with np.errstate(over="ignore", invalid="ignore"):
        if tri is not None:
            from scipy.sparse.linalg import spsolve_triangular

            return np.asarray(spsolve_triangular(As, rhs, lower=tri == "lower"), complex)
        from scipy.sparse.linalg import spsolve

        return np.asarray(spsolve(sps.csc_array(As), rhs), complex)


def _propagate_means(A: sps.csr_array, b: np.ndarray | None, alpha_ss: np.ndarray, ts: np.ndarray,
                     a0: np.ndarray, bound: "DecayBound", stepper: _Stepper) -> tuple[np.ndarray, int] | None:
    """Means ``alpha(t)`` of a stable sparse network on the sorted grid ``ts`` (finite, ``>= 0``).

    Returns ``(alpha[:K], K)``: the times from index ``K`` on are the steady state ``alpha_ss``
    (not written out); or ``None``.

    ``alpha`` itself is stepped (the drive rides along as an extra, constant component, so no
    steady-state difference cancels at early times); once the decay bound proves that
    ``|alpha_j(t) - alpha_ss,j| <= 2^-64 |alpha_ss,j|`` (or below the smallest normal double) for
    every mode, the remaining times are the steady state.  A drift whose mean diagonal is much
    larger than the rest (a large common detuning or decay) steps ``alpha - alpha_ss`` instead.
    ``None`` when the times before the bound's settling time need more than ``MAX_STEPS`` Taylor
    steps.
    """
    n = A.shape[0]
    T = len(ts)
    eps = np.finfo(float).eps
    thr = np.log(np.maximum(2.0**-64 * np.abs(alpha_ss), np.finfo(float).tiny))
    aug = b is not None and abs(stepper.mu) <= max(stepper.norm, 1e-300)
    if aug:
        idx = np.flatnonzero(b)
        Aa = sps.csr_array(sps.block_array([[A, sps.csr_array((b[idx], (idx, np.zeros(len(idx), int))),
                                                                shape=(n, 1))],
                                            [None, sps.csr_array((1, 1), dtype=complex)]]), dtype=complex)
        step = _Stepper(Aa)

        def advance(x, dt):
            y = step.advance(np.concatenate([x, [1.0]]), dt)
            return y[:n]
    else:
        def advance(x, dt):
            return alpha_ss + stepper.advance(x - alpha_ss, dt)

    def settle(x, t_now):
        dev = np.abs(x - alpha_ss) + 4 * eps * (np.abs(x) + np.abs(alpha_ss))
        return t_now + float(np.max(bound._settle(dev, thr)))

    cur, t_cur = a0.astype(complex), 0.0
    t_done = settle(cur, 0.0)
    t_bound = 0.0
    live = ts[ts < t_done]
    if len(live) and stepper.norm * float(live[-1]) / TAYLOR_THETA > MAX_STEPS:
        return None
    out = np.empty((len(live), n), complex)
    for k in range(T):
        t = ts[k]
        if t >= t_done:
            return out[:k], k
        cur = advance(cur, t - t_cur)
        t_cur = t
        out[k] = cur
        if k + 1 < T and ts[k + 1] < t_done and (t_cur - t_bound) >= 0.25 * (t_done - t_bound):
            t_done, t_bound = min(t_done, settle(cur, t_cur)), t_cur
    return out, T


# --------------------------------------------------------------------------------------------
# fluctuations of a few modes without a dense matrix: the integral form along the rows
# --------------------------------------------------------------------------------------------
def _row_moments(A: sps.csr_array, ts: np.ndarray, J: np.ndarray, Q, P, N0, M0, *, diagonal: bool = False):
    """``N_JJ(t)`` and ``M_JJ(t)`` from the rows ``r_j(s)`` of ``e^{A s}``, in the integral form.

    With ``x_j(s) = e^{A^T s} e_j`` (the transposed row):

        N_jk(t) = x_j(t)^H N0 x_k(t) + int_0^t x_j(s)^H Q x_k(s) ds,
        M_jk(t) = x_j(t)^T M0 x_k(t) + int_0^t x_j(s)^T P x_k(s) ds .

    Over a Taylor step ``h`` (``||A h|| <= TAYLOR_THETA``), ``x(theta h) = sum_i D_i theta^i`` with
    ``D_i = (A^T h)^i x / i!``, and the integral is ``h sum_{i,l} D_i^H Q D_l / (i + l + 1)``: exact
    up to the truncation of the series (``2^-60``), with no steady state and no cancellation at
    early times.  Memory ``O(degree n len(J))``; cost ``O(degree^2 n len(J))`` per step (one
    matrix product with the weights ``1/(i + l + 1)``, :func:`weighted`), a few times that of
    propagating the rows alone.  ``Q`` and ``P`` are the noise matrices ``Sigma_N``,
    ``Sigma_M``; ``Q``, ``P``, ``N0``, ``M0`` may be sparse, dense or ``None`` (zero).  ``diagonal=True`` returns only ``N_jj``, ``M_jj`` (shape ``(T, len(J))``).
    """
    n = A.shape[0]
    B = len(J)
    T = len(ts)
    AT = _csr(A.T)
    norm = _norm1(AT)
    X = np.zeros((n, B), complex)
    X[J, np.arange(B)] = 1.0
    shape = (T, B) if diagonal else (T, B, B)
    NJ = np.zeros(shape, complex)
    MJ = np.zeros(shape, complex)
    intN = np.zeros(shape[1:], complex)
    intM = np.zeros(shape[1:], complex)

    def pair(L, G):
        """``L^H G`` column by column (diagonal) or as a matrix, ``L`` already conjugated as needed."""
        return np.sum(L * G, axis=0) if diagonal else L.T @ G

    def weighted(D, SD):
        """``sum_{i,l} D_i^T S D_l / (i + l + 1)`` with the stacked terms ``D`` and ``S D``
        (``(m, n, B)``): one matrix product ``W @ SD`` and one contraction."""
        m = D.shape[0]
        i = np.arange(m)
        W = 1.0 / (i[:, None] + i[None, :] + 1.0)
        Y = (W @ SD.reshape(m, -1)).reshape(SD.shape)
        if diagonal:
            return np.einsum("inb,inb->b", D, Y)
        return D.reshape(-1, B).T @ Y.reshape(-1, B)

    def integrate(Xs, h, ATw, Qw, Pw):
        D = [Xs]
        top = float(np.max(np.abs(Xs))) if Xs.size else 0.0
        small = 0
        for i in range(1, TAYLOR_DEGREE + 1):
            D.append((ATw @ D[-1]) * (h / i))
            if float(np.max(np.abs(D[-1]))) <= 2.0**-60 * top:
                small += 1
                if small == 2:
                    break
            else:
                small = 0
        Dst = np.stack(D)
        out_N = h * weighted(Dst.conj(), np.stack([Qw @ d for d in D])) if Qw is not None else 0.0
        out_M = h * weighted(Dst, np.stack([Pw @ d for d in D])) if Pw is not None else 0.0
        return Dst.sum(axis=0), out_N, out_M

    # the window: X vanishes outside rows [lo, hi); a Taylor step moves its support by at most
    # (TAYLOR_DEGREE + 1) bandwidths, so the step is exact on rows [a, b) with that margin
    reach = (TAYLOR_DEGREE + 1) * _bandwidth(AT)
    lo, hi = int(np.min(J)), int(np.max(J)) + 1
    cache = {"a": 0, "b": -1}

    def blocks(a, b):
        if not (cache["a"] <= a and b <= cache["b"]):
            pad = max(256, (b - a) // 2)
            a, b = max(0, a - pad), min(n, b + pad)
            cache.update(a=a, b=b, AT=AT[a:b, a:b] if (a, b) != (0, n) else AT,
                         Q=None if Q is None else _window(Q, a, b, n),
                         P=None if P is None else _window(P, a, b, n))
        return cache["a"], cache["b"], cache["AT"], cache["Q"], cache["P"]

    t_cur = 0.0
    for k in range(T):
        dt = ts[k] - t_cur
        if dt > 0:
            s = max(1, int(np.ceil(norm * dt / TAYLOR_THETA))) if norm > 0 else 1
            h = dt / s
            for _ in range(s):
                if hi <= lo:
                    break  # the rows have underflowed to zero: nothing more to integrate
                a, b, ATw, Qw, Pw = blocks(max(0, lo - reach), min(n, hi + reach))
                Xw, dN, dM = integrate(X[a:b], h, ATw, Qw, Pw)
                intN += dN
                intM += dM
                # drop what lies below 2^-80 of its column's largest entry (beyond the series'
                # own truncation, 2^-60): the support of a row stays where the row lives
                mag = np.abs(Xw)
                keep = np.flatnonzero(np.any(mag > 2.0**-80 * np.max(mag, axis=0), axis=1))
                X[a:b] = Xw
                lo, hi = (a + int(keep[0]), a + int(keep[-1]) + 1) if len(keep) else (a, a)
                X[a:lo] = 0.0
                X[hi:b] = 0.0
            t_cur = ts[k]
        NJ[k] = intN + (pair(X.conj(), N0 @ X) if N0 is not None else 0)
        MJ[k] = intM + (pair(X, M0 @ X) if M0 is not None else 0)
    return NJ, MJ


def _bandwidth(A: sps.csr_array) -> int:
    """``max |i - j|`` over the non-zeros of ``A`` (0 for a diagonal or empty matrix)."""
    if A.nnz == 0:
        return 0
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    return int(np.max(np.abs(rows - A.indices)))


def _window(S, a: int, b: int, n: int):
    """``S[a:b, a:b]`` of a sparse or dense matrix (the whole matrix when the window is)."""
    if (a, b) == (0, n):
        return S
    return S[a:b, a:b] if sps.issparse(S) else np.asarray(S)[a:b, a:b]


def _row_power(A: sps.csr_array, ts: np.ndarray, J: np.ndarray, Q, N0) -> np.ndarray:
    """``dN_jj/dt`` of the modes ``J`` from the rows of ``e^{A t}``: ``x^H Q x + 2 Re(x^H N0 A^T x)``.

    With ``x_j(t) = e^{A^T t} e_j``, ``N_jj(t) = x^H N0 x + int_0^t x^H Q x ds`` (see
    :func:`_row_moments`), whose derivative needs no integral.  ``ts`` sorted, finite, ``>= 0``;
    returns ``(len(ts), len(J))`` real.
    """
    n = A.shape[0]
    B = len(J)
    AT = _csr(A.T)
    stepper = _Stepper(AT)
    X = np.zeros((n, B), complex)
    X[J, np.arange(B)] = 1.0
    out = np.zeros((len(ts), B))
    t_cur = 0.0
    for k, t in enumerate(ts):
        X = stepper.advance(X, t - t_cur)
        t_cur = t
        if Q is not None:
            out[k] += np.real(np.sum(X.conj() * (Q @ X), axis=0))
        if N0 is not None:
            out[k] += 2 * np.real(np.sum(X.conj() * (N0 @ (AT @ X)), axis=0))
    return out
