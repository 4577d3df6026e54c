"""heisenberg (term by term, only the terms acting on X's modes) against the whole-expression route."""

import pytest
import sympy as sp
from sympy.physics.quantum import Dagger
from sympy.physics.quantum.operatorordering import normal_ordered_form

from nrqb.engine import symbolic


def _whole(X, H, channels=()):
    """The defining route: expand the whole right-hand side of the adjoint master equation at once."""
    rhs = sp.I * (H * X - X * H)
    for rate, L in channels:
        rhs += rate * (Dagger(L) * X * L - sp.Rational(1, 2) * (Dagger(L) * L * X + X * Dagger(L) * L))
    return sp.expand(symbolic.expectation(normal_ordered_form(sp.expand(rhs), independent=True)))


def _system():
    a, b, c, d = symbolic.modes("a b c d")
    g, J, k, xi, th = sp.symbols("g J kappa xi theta", positive=True)
    H = (xi * (c + Dagger(c)) + g * sp.exp(sp.I * th) * Dagger(b) * c + g * sp.exp(-sp.I * th) * Dagger(c) * b
         + J * (Dagger(a) * b + Dagger(b) * a) + 3 * Dagger(d) * d + sp.Symbol("E0"))
    chans = [(k, a), (2 * k, b), (sp.Rational(1, 3), c), (k, d), (k, b * c)]
    return (a, b, c, d), H, chans


def test_heisenberg_equals_whole_expression():
    (a, b, c, d), H, chans = _system()
    for X in (a, b, c, d, Dagger(a), Dagger(a) * b, Dagger(c) * c, a * d, Dagger(b) * Dagger(b)):
        got, want = symbolic.heisenberg(X, H, chans), _whole(X, H, chans)
        assert got == want and sp.srepr(got) == sp.srepr(want), X
    assert symbolic.heisenberg(a, 0) == 0 and symbolic.heisenberg(a, 5 * Dagger(b) * b, [(1, c)]) == 0


def test_heisenberg_keeps_every_acting_term():
    (a, b, c, d), H, chans = _system()
    rhs = symbolic.heisenberg(b, H, chans)
    g, J, k, th = sp.symbols("g J kappa theta", positive=True)
    mb, ma, mc = (symbolic.moment(o) for o in (b, a, c))
    assert sp.expand(rhs.coeff(ma) + sp.I * J) == 0 and sp.expand(rhs.coeff(mc) + sp.I * g * sp.exp(sp.I * th)) == 0
    assert rhs.coeff(mb) == -k and symbolic.heisenberg(d, H, chans).coeff(symbolic.moment(d)) == -3 * sp.I - k / 2


def test_drift_matrix_entries_simplified_once_each():
    (a, b, c, d), H, chans = _system()
    A, const = symbolic.drift_matrix_from_master_equation([a, b, c, d], H, chans[:4])
    for i, o in enumerate((a, b, c, d)):
        rhs = _whole(o, H, chans[:4])
        for j, s in enumerate(symbolic.moment(p) for p in (a, b, c, d)):
            assert A[i, j] == sp.simplify(rhs.coeff(s))
    assert const == sp.Matrix([0, 0, -sp.I * sp.Symbol("xi", positive=True), 0])


def test_heisenberg_rejects_operators_that_are_not_bosonic():
    """The term-by-term route drops terms by mode name, valid for bosonic operators only: any other
    non-commuting object (here plain non-commutative symbols), or a non-sympy L, must raise, also
    when it shares no mode with X (the whole-expression route raised there too)."""
    from sympy.physics.quantum.boson import BosonOp

    a = BosonOp("a")
    q, p = sp.symbols("q p", commutative=False)
    for X, H, channels, name in [(q, p * q + q * p * q, (), "X"),
                                 (q * a, p * q, (), "X"),
                                 (a, p * q, (), "H"),
                                 (a, Dagger(a) * a, [(1, "b")], "channels"),
                                 (a, Dagger(a) * a, [(1, p)], "channels")]:
        with pytest.raises(ValueError, match=name):
            symbolic.heisenberg(X, H, channels)
    # c-numbers are fine: H = 0 (plain int) and a symbolic detuning times a number operator
    k, d = sp.symbols("kappa delta", positive=True)
    assert symbolic.heisenberg(a, 0, [(k, a)]) == -k / 2 * symbolic.moment(a)
    assert symbolic.heisenberg(a, d * Dagger(a) * a) == -sp.I * d * symbolic.moment(a)
