"""Input validation shared by every module of nrqb: bad input raises a ``ValueError`` naming it.

Each function takes the value and the name of the parameter it came from, and returns the value
converted (``float``, ``complex``, ``int`` or an array) or raises ``ValueError`` with a message
that names the parameter and the bad value.  What is refused everywhere:

- NaN and inf (``times`` alone accepts ``+inf`` when asked to: the steady state);
- strings, booleans, ``None`` and objects that are not numbers;
- a complex number with a non-zero imaginary part where a real is meant ("must be real");
- a float where an integer is meant (``count``, ``index``: ``2.0`` is refused, ``np.int64(2)``
  is accepted);
- a wrong sign (``rate``, ``positive``, ``rates``, ``times``), a wrong shape (``shape=``), an
  index out of range (``index``: a ``ValueError``, never an ``IndexError``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "finite_array",
    "real_array",
    "times_1d",
    "times",
    "finite_complex",
    "real",
    "rate",
    "positive",
    "count",
    "index",
    "rates",
]


def _show(value: Any) -> str:
    """A short repr of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _has_bool(seq, depth: int = 0) -> bool:
    """True if a (nested) list or tuple holds a boolean (numpy would turn it into 0 or 1)."""
    for x in seq:
        if isinstance(x, (bool, np.bool_)):
            return True
        if isinstance(x, (list, tuple)) and depth < 3 and _has_bool(x, depth + 1):
            return True
    return False


def _numeric(value: Any, name: str) -> np.ndarray:
    """``value`` as a numeric (int, float or complex) array; strings, booleans, None refused."""
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be numeric, got {_show(value)}")
    if isinstance(value, (list, tuple)) and _has_bool(value):
        raise ValueError(f"{name} must be numeric, not booleans, got {_show(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be numeric (a number or a regular array), got {_show(value)}") from exc
    if arr.dtype.kind == "b":
        raise ValueError(f"{name} must be numeric, not a boolean, got {_show(value)}")
    if arr.dtype.kind in "iuf" or arr.dtype.kind == "c":
        return arr
    if arr.dtype.kind == "O":
        # objects that convert to numbers (sympy numbers, fractions); booleans and None refused
        flat = arr.ravel()
        if any(isinstance(x, (bool, np.bool_, str, bytes)) or x is None for x in flat):
            raise ValueError(f"{name} must be numeric, got {_show(value)}")
        try:
            return np.asarray(value, dtype=complex)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric, got {_show(value)}") from exc
    raise ValueError(f"{name} must be numeric, got {_show(value)}")


def finite_array(value: Any, name: str, *, dtype=complex) -> np.ndarray:
    """An array of finite numbers of ``dtype`` (complex or float), or a ``ValueError`` naming ``name``.

    Parameters
    ----------
    value : array_like
        Numbers (strings, booleans and ``None`` are refused).
    name : str
        Parameter name for the messages.
    dtype : numpy dtype, optional
        ``complex`` (default) or ``float``; with a real ``dtype`` a complex entry with a non-zero
        imaginary part is refused ("must be real"), not silently dropped.

    Returns
    -------
    ndarray
    """
    arr = _numeric(value, name)
    real_wanted = np.dtype(dtype).kind in "iuf"
    if arr.dtype.kind == "c":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or inf), got {_show(value)}")
        if real_wanted:
            if np.any(arr.imag != 0):
                raise ValueError(f"{name} must be real, got {_show(value)}")
            arr = arr.real
    out = np.asarray(arr, dtype=dtype)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {_show(value)}")
    return out


def real_array(value: Any, name: str, *, shape: tuple | None = None, nonnegative: bool = False) -> np.ndarray:
    """A float array of finite reals, optionally of a given ``shape`` and ``>= 0``.

    Parameters
    ----------
    value : array_like
        Real numbers.
    name : str
        Parameter name for the messages.
    shape : tuple, optional
        Required shape.
    nonnegative : bool, optional
        Refuse negative entries.

    Returns
    -------
    ndarray of float
    """
    arr = finite_array(value, name, dtype=float)
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {arr.shape}")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {_show(value)}")
    return arr


def _plain(value: Any) -> complex | None:
    """``complex(value)`` for a finite plain number (``int``, ``float``, ``complex``, NumPy float64 or
    complex128), ``None`` for everything else (which takes the general path).  A fast path: the
    builder validates every mode and link, and large networks have ``10^5`` of them."""
    t = type(value)
    if t is float or t is np.float64:
        return complex(value) if math.isfinite(value) else None
    if t is int:
        return complex(value) if -(2**53) <= value <= 2**53 else None
    if t is complex or t is np.complex128:
        return complex(value) if math.isfinite(value.real) and math.isfinite(value.imag) else None
    return None


def finite_complex(value: Any, name: str) -> complex:
    """A finite complex number (a scalar: arrays are refused).

    Parameters
    ----------
    value : number
    name : str
        Parameter name for the messages.

    Returns
    -------
    complex
    """
    fast = _plain(value)
    if fast is not None:
        return fast
    arr = finite_array(value, name, dtype=complex)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return complex(arr)


def real(value: Any, name: str) -> float:
    """A finite real number (a complex with zero imaginary part is accepted).

    Parameters
    ----------
    value : number
    name : str
        Parameter name for the messages.

    Returns
    -------
    float
    """
    if type(value) is float and math.isfinite(value):  # fast path (the builder's arguments)
        return value
    v = finite_complex(value, name)
    if v.imag != 0:
        raise ValueError(f"{name} must be real, got {_show(value)}")
    return v.real


def rate(value: Any, name: str, *, positive: bool = False) -> float:
    """A finite rate ``>= 0`` (``> 0`` with ``positive=True``).

    Parameters
    ----------
    value : number
    name : str
        Parameter name for the messages.
    positive : bool, optional
        Refuse zero too.

    Returns
    -------
    float
    """
    if type(value) is float and 0.0 <= value < math.inf and not (positive and value == 0.0):
        return value  # fast path (the builder's arguments)
    v = real(value, name)
    if v < 0 or (positive and v == 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'}, got {_show(value)}")
    return v


def positive(value: Any, name: str) -> float:
    """A finite number ``> 0``.

    Parameters
    ----------
    value : number
    name : str
        Parameter name for the messages.

    Returns
    -------
    float
    """
    return rate(value, name, positive=True)


def count(value: Any, name: str = "N", minimum: int = 1) -> int:
    """An integer ``>= minimum`` (booleans and floats such as ``2.0`` refused).

    Parameters
    ----------
    value : int
    name : str
        Parameter name for the messages.
    minimum : int, optional
        Smallest value accepted (default 1).

    Returns
    -------
    int
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {_show(value)}")
    return int(value)


def index(value: Any, name: str, n: int) -> int:
    """An index into ``n`` items: an integer in ``[-n, n)``, returned in ``[0, n)``.

    Parameters
    ----------
    value : int
    name : str
        Parameter name for the messages.
    n : int
        Number of items.

    Returns
    -------
    int
        Out of range is a ``ValueError`` naming ``name`` (never an ``IndexError``).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer index, got {_show(value)}")
    if not -n <= value < n:
        raise ValueError(f"{name} must be in [0, {n}) (or [-{n}, 0) from the end), got {value}")
    return int(value) % n


def rates(values: Any, name: str, n: int | None = None) -> np.ndarray:
    """An array of finite rates ``>= 0``; a scalar is broadcast to ``n`` entries when ``n`` is given.

    Parameters
    ----------
    values : float or array_like
    name : str
        Parameter name for the messages.
    n : int, optional
        Required number of entries.

    Returns
    -------
    ndarray of float
    """
    arr = finite_array(values, name, dtype=float)
    if n is not None:
        if arr.ndim == 0:
            arr = np.full(n, float(arr))
        if arr.shape != (n,):
            raise ValueError(f"{name} must be a scalar or have {n} entries, got shape {arr.shape}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {_show(np.asarray(values).tolist())}")
    return arr


def times(t: Any, *, nonnegative: bool = False, one_d: bool = False, allow_inf: bool = False,
          name: str = "t") -> np.ndarray:
    """Times as a float array.

    Parameters
    ----------
    t : array_like
        Real times.
    nonnegative : bool
        Refuse ``t < 0``.
    one_d : bool
        A scalar becomes one entry; more than one dimension is refused.
    allow_inf : bool
        Accept ``+inf`` (the steady state); NaN and ``-inf`` are always refused.
    name : str
        Parameter name for the messages.

    Returns
    -------
    ndarray of float
    """
    arr = _numeric(t, name)
    if arr.dtype.kind == "c":
        if np.any(np.isnan(arr)) or np.any(arr.imag != 0):
            raise ValueError(f"{name} must be real, got {_show(t)}")
        arr = arr.real
    arr = np.asarray(arr, dtype=float)
    if one_d:
        arr = np.atleast_1d(arr)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array of times, got shape {arr.shape}")
    if allow_inf:
        if np.any(np.isnan(arr) | (arr == -np.inf)):
            raise ValueError(f"{name} must be real numbers or +inf (no NaN, no -inf), got {_show(t)}")
    elif not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {_show(t)}")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (the evolution starts at t = 0), got {_show(t)}")
    return arr


def times_1d(t: Any, *, allow_inf: bool = False, nonnegative: bool = False, name: str = "t") -> np.ndarray:
    """A 1-D float array of times (a scalar becomes one entry).

    Parameters
    ----------
    t : array_like
        Real times.
    allow_inf, nonnegative, name
        As in :func:`times`.

    Returns
    -------
    ndarray of float, 1-D
    """
    return times(t, one_d=True, allow_inf=allow_inf, nonnegative=nonnegative, name=name)
