"""Symbolic route: moment equations derived from the master equation with sympy.

This module does not use the engine's drift matrix.  It starts from operators
(:class:`sympy.physics.quantum.boson.BosonOp`), applies the adjoint master equation

.. math::

    \\frac{d\\langle X\\rangle}{dt} = \\langle i[H, X]\\rangle
        + \\sum_k \\gamma_k \\langle L_k^\\dagger X L_k - \\tfrac12\\{L_k^\\dagger L_k, X\\}\\rangle ,

normal-orders the result with the canonical commutators, and replaces every operator monomial
by a commutative moment symbol such as ``<a^dag b>``.  The chapters compare what comes out with
each paper's printed moment equations (Ahmadi Eqs. (2)-(4), Lin Eqs. (5)-(6), Liu Eqs. (A1)-(A7))
and with :attr:`nrqb.LinearNetwork.drift`, which is an independent route.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

import sympy as sp
from sympy.physics.quantum import Dagger
from sympy.physics.quantum.boson import BosonOp
from sympy.physics.quantum.operatorordering import normal_ordered_form

__all__ = ["modes", "moment", "heisenberg", "dissipator_adjoint", "drift_matrix_from_master_equation"]


def modes(names: str | Sequence[str]) -> tuple[BosonOp, ...]:
    """Bosonic annihilation operators with the given names (``"a b"`` or ``["a", "b"]``).

    Parameters
    ----------
    names : str or sequence of str
        Distinct, non-empty names (whitespace-separated in a string).

    Returns
    -------
    tuple of sympy.physics.quantum.boson.BosonOp
    """
    if isinstance(names, str):
        names = names.split()
    if isinstance(names, (bytes,)) or not isinstance(names, Sequence) or not names:
        raise ValueError(f"names must be a non-empty string or sequence of strings, got {names!r}")
    for n in names:
        if not isinstance(n, str) or not n or any(ch.isspace() for ch in n):
            raise ValueError(f"names must be non-empty strings without spaces, got {n!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"names must be distinct, got {list(names)!r}")
    return tuple(BosonOp(n) for n in names)


def _op_name(op) -> str:
    if isinstance(op, Dagger) and isinstance(op.args[0], BosonOp):
        return f"{op.args[0].name}^dag"
    if isinstance(op, BosonOp):
        return f"{op.name}^dag" if not op.is_annihilation else str(op.name)
    raise ValueError(f"ops must be bosonic operators (BosonOp or its Dagger), got {op!r}")


def moment(*ops) -> sp.Symbol:
    """The commutative symbol ``<o1 o2 ...>`` standing for an expectation value.

    Parameters
    ----------
    *ops : BosonOp or Dagger(BosonOp)
        The operator product, in order (none: the number 1).

    Returns
    -------
    sympy.Symbol
    """
    if not ops:
        return sp.Integer(1)
    return sp.Symbol("<" + " ".join(_op_name(o) for o in ops) + ">")


def _channels(channels) -> list[tuple]:
    """Validated ``(rate, L)`` pairs."""
    if isinstance(channels, (str, bytes)):
        raise ValueError(f"channels must be an iterable of (rate, L) pairs, got {channels!r}")
    try:
        items = list(channels)
    except TypeError as exc:
        raise ValueError(f"channels must be an iterable of (rate, L) pairs, got {channels!r}") from exc
    out = []
    for k, ch in enumerate(items):
        if isinstance(ch, (str, bytes)) or not isinstance(ch, (tuple, list)) or len(ch) != 2:
            raise ValueError(f"channels[{k}] must be a (rate, L) pair, got {ch!r}")
        out.append((sp.sympify(ch[0]), ch[1]))
    return out


def _monomial_factors(nc) -> list:
    factors = []
    for f in (nc.args if isinstance(nc, sp.Mul) else (nc,)):
        if isinstance(f, sp.Pow):
            base, exp = f.args
            factors.extend([base] * int(exp))
        else:
            factors.append(f)
    return factors


def expectation(expr) -> sp.Expr:
    """Replace each normal-ordered operator monomial of ``expr`` by its moment symbol.

    Parameters
    ----------
    expr : sympy expression
        A polynomial in bosonic operators, already normal-ordered.

    Returns
    -------
    sympy.Expr
        The same polynomial in :func:`moment` symbols.
    """
    expr = sp.expand(expr)
    out = sp.Integer(0)
    for term in sp.Add.make_args(expr):
        c, nc = term.args_cnc()
        coeff = sp.Mul(*c)
        if not nc:
            out += coeff
            continue
        out += coeff * moment(*_monomial_factors(sp.Mul(*nc)))
    return out


def dissipator_adjoint(X, L, rate=1) -> sp.Expr:
    """``rate * (L^dag X L - {L^dag L, X}/2)``: the Heisenberg-picture action of ``rate D[L]``.

    Parameters
    ----------
    X, L : sympy operator expressions
        Observable and jump operator.
    rate : sympy expression or number
        Rate of the channel.

    Returns
    -------
    sympy.Expr
        The (unordered) operator expression; :func:`heisenberg` normal-orders it.
    """
    for name, v in (("X", X), ("L", L)):
        if not isinstance(v, sp.Basic):
            raise ValueError(f"{name} must be a sympy operator expression, got {v!r}")
    rate = sp.sympify(rate)
    if rate.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError(f"rate must be finite, got {rate}")
    Ld = Dagger(L)
    return rate * (Ld * X * L - sp.Rational(1, 2) * (Ld * L * X + X * Ld * L))


def heisenberg(X, H, channels: Iterable[tuple[sp.Expr, sp.Expr]] = ()) -> sp.Expr:
    """``d<X>/dt`` from the master equation, as a polynomial in moment symbols.

    Parameters
    ----------
    X : sympy operator expression
        The observable (e.g. ``a``, ``Dagger(a)*b``).
    H : sympy operator expression
        The Hamiltonian.
    channels : iterable of (rate, L)
        Lindblad channels ``rate * D[L]``.

    Returns
    -------
    sympy.Expr
        The right-hand side, normal-ordered, with operator monomials replaced by
        :func:`moment` symbols.

    References
    ----------
    Ahmadi et al., Eqs. (2)-(4); Liu et al., Eqs. (A1)-(A7); Lin et al., Eqs. (5)-(6).
    """
    # Term by term (the right-hand side is linear in H and in each channel), and only the terms
    # that act on a mode of X: with independent=True operators of different modes commute, so a
    # term of H or a channel L sharing no mode with X gives [h, X] = 0 and
    # L^dag X L - {L^dag L, X}/2 = 0 exactly.  Normal ordering and the final expand are linear,
    # so the result is the same canonical polynomial as expanding the whole commutator at once
    # (tests/engine/test_symbolic.py checks this against the whole-expression route).
    channels = _channels(channels)
    _check_bosonic(X, "X")
    _check_bosonic(H, "H")
    for k, (_, L) in enumerate(channels):
        _check_bosonic(L, f"channels[{k}] L")
    xmodes = _mode_names(X)
    rhs = [_commutator_term(h, X) for h in sp.Add.make_args(sp.expand(H)) if _mode_names(h) & xmodes]
    rhs += [_dissipator_term(X, L, rate) for rate, L in channels if _mode_names(L) & xmodes]
    return sp.expand(sp.Add(*rhs))


# The same term of H (or channel) and observable recur across the systems of a chapter (a chain of
# N batteries contains the chain of N - 1): each is normal-ordered once per process.  sympy
# expressions are immutable and hash by structure, so a cached value is the value.
@lru_cache(maxsize=4096)
def _commutator_term(h, X):
    return expectation(normal_ordered_form(sp.expand(sp.I * (h * X - X * h)), independent=True))


@lru_cache(maxsize=4096)
def _dissipator_term(X, L, rate):
    return expectation(normal_ordered_form(sp.expand(dissipator_adjoint(X, L, rate)), independent=True))


@lru_cache(maxsize=4096)
def _simplified(e):
    return sp.simplify(e)


def _check_bosonic(expr, name: str) -> None:
    """Raise unless ``expr`` is a sympy expression whose only non-commuting parts are bosonic
    operators (:class:`BosonOp`, daggers included): the term-by-term route of :func:`heisenberg`
    decides by mode names which terms vanish, which is valid for bosonic operators only."""
    if isinstance(expr, (int, float, complex)) and not isinstance(expr, bool):
        return  # a c-number (H = 0, say)
    if not isinstance(expr, sp.Basic):
        raise ValueError(f"{name} must be a sympy expression of bosonic operators, got {expr!r}")
    for node in sp.preorder_traversal(expr):
        if isinstance(node, BosonOp) or node.is_commutative or isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
            continue
        raise ValueError(f"{name}: ops must be bosonic operators (sympy BosonOp), got {node!r} in {expr}")


def _mode_names(expr) -> set:
    """Names of the bosonic modes an operator expression contains."""
    return {o.name for o in sp.sympify(expr).atoms(BosonOp)} if isinstance(expr, sp.Basic) else set()


def drift_matrix_from_master_equation(ops: Sequence, H, channels=()) -> tuple[sp.Matrix, sp.Matrix]:
    """The linear system ``d<a>/dt = A <a> + b`` read off :func:`heisenberg`.

    Parameters
    ----------
    ops : sequence of BosonOp
        The modes, in order.
    H, channels
        As in :func:`heisenberg`.

    Returns
    -------
    A : sympy.Matrix (n, n)
        Drift matrix (compare with :attr:`nrqb.LinearNetwork.drift`).
    b : sympy.Matrix (n, 1)
        Constant term (``-i F`` for a drive ``F a^dag + h.c.``).
    """
    if isinstance(ops, (str, bytes)) or not isinstance(ops, Sequence) or not ops:
        raise ValueError(f"ops must be a non-empty sequence of BosonOp, got {ops!r}")
    for o in ops:
        if not isinstance(o, BosonOp) or not o.is_annihilation:
            raise ValueError(f"ops must be annihilation operators (BosonOp), got {o!r}")
    channels = _channels(channels)
    syms = [moment(o) for o in ops]
    n = len(ops)
    A = sp.zeros(n, n)
    b = sp.zeros(n, 1)
    simp = _simplified    # each distinct entry simplified once per process (rates and couplings recur)
    for i, o in enumerate(ops):
        rhs = heisenberg(o, H, channels)
        for j, s in enumerate(syms):
            A[i, j] = simp(rhs.coeff(s))
        rest = sp.expand(rhs - sum(A[i, j] * syms[j] for j in range(n)))
        b[i] = simp(rest)
    return A, b
