"""Input validation shared by every module of nrqb: bad input raises a ``ValueError`` naming it.

Each function takes the value and the name of the parameter it came from, and returns the value
converted (``float``, ``complex``, ``int`` or an array) or raises ``ValueError`` with a message
that names the parameter and the bad value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["finite_array", "times_1d", "finite_complex", "real", "rate", "positive", "count", "rates", "times"]


def finite_complex(value: Any, name: str) -> complex:
    """A finite complex number."""
    try:
        v = complex(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not (np.isfinite(v.real) and np.isfinite(v.imag)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    return v


def real(value: Any, name: str) -> float:
    """A finite real number (a complex with zero imaginary part is accepted)."""
    v = finite_complex(value, name)
    if v.imag != 0:
        raise ValueError(f"{name} must be real, got {value!r}")
    return float(v.real)


def rate(value: Any, name: str, *, positive: bool = False) -> float:
    """A finite rate ``>= 0`` (``> 0`` with ``positive=True``)."""
    v = real(value, name)
    if v < 0 or (positive and v == 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'}, got {value!r}")
    return v


def positive(value: Any, name: str) -> float:
    """A finite number ``> 0``."""
    return rate(value, name, positive=True)


def count(value: Any, name: str = "N", minimum: int = 1) -> int:
    """An integer ``>= minimum`` (booleans rejected)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def rates(values: Any, name: str, n: int | None = None) -> np.ndarray:
    """An array of finite rates ``>= 0``; a scalar is broadcast to ``n`` entries when ``n`` is given."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be real numbers, got {values!r}") from exc
    if n is not None:
        if arr.ndim == 0:
            arr = np.full(n, float(arr))
        if arr.shape != (n,):
            raise ValueError(f"{name} must be a scalar or have {n} entries, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {values!r}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {np.asarray(values).tolist()!r}")
    return arr


def times(t: Any, *, nonnegative: bool = False, one_d: bool = False) -> np.ndarray:
    """Finite times as a float array (``one_d``: at least and at most 1-D; ``nonnegative``: ``t >= 0``)."""
    try:
        arr = np.asarray(t, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"t must be numeric, got {t!r}") from exc
    if one_d:
        arr = np.atleast_1d(arr)
        if arr.ndim != 1:
            raise ValueError(f"t must be a 1-D array of times, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("t must be finite (no NaN or inf)")
    if nonnegative and np.any(arr < 0):
        raise ValueError("t must be >= 0 (the charging starts at t = 0)")
    return arr


def finite_array(value: Any, name: str, *, dtype=complex) -> np.ndarray:
    """An array of finite numbers (``dtype``), or a ``ValueError`` naming ``name``."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    return arr


def times_1d(t: Any) -> np.ndarray:
    """A 1-D float array of finite times (a scalar becomes one entry)."""
    arr = finite_array(t, "t", dtype=float)
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(f"t must be a 1-D array of times, got shape {arr.shape}")
    return arr
