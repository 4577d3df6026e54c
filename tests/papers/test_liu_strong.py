"""The reciprocal chain in closed hyperbolic form and its best coupling (referee round 2, items 1 and 3):
against the engine, the continuant recursion, mpmath at 50 digits and exact limits."""

import math

import mpmath as mp
import numpy as np
import pytest

from nrqb.papers import liu

KAPPA, EPS = 0.003, 0.01


@pytest.mark.parametrize("N", [1, 2, 3, 4, 7, 10])
def test_hyperbolic_form_is_the_engine(N):
    for J in (2e-4, 1e-3, liu.J_op_cascade(N, KAPPA), 0.05):
        eng = liu.steady_energy_profile(N, "cascade", "reciprocal", J, KAPPA, EPS)[-1]
        assert abs(liu.reciprocal_cascade_energy_ss_hyperbolic(N, J, KAPPA, EPS) / eng - 1) < 1e-9


def test_hyperbolic_form_against_mpmath_continuant_at_large_N():
    mp.mp.dps = 50
    for N in (999, 1000):
        J = liu.J_op_cascade(N, KAPPA)
        P = [mp.mpf(1), mp.mpf(KAPPA)]
        for _ in range(2, N + 2):
            P.append(KAPPA * P[-1] + 4 * mp.mpf(J) ** 2 * P[-2])
        exact = (2 ** (N + 1) * mp.mpf(J) ** N * EPS / P[N + 1]) ** 2
        got = liu.reciprocal_cascade_energy_ss_hyperbolic(N, J, KAPPA, EPS, omega=2.0)
        assert abs(got / (2 * exact) - 1) < 1e-10


def test_limits_at_the_optimal_coupling_are_sinh_and_cosh_of_one():
    """At J_op^c(N) of Eq. (10), (N + 2) asinh(kappa/4J) -> 1: E J^2/eps^2 -> 1/sinh^2 1 (even), 1/cosh^2 1 (odd)."""
    for N, lim in ((1000, 1 / math.sinh(1) ** 2), (999, 1 / math.cosh(1) ** 2)):
        J = liu.J_op_cascade(N, KAPPA)
        val = liu.reciprocal_cascade_energy_ss_hyperbolic(N, J, KAPPA, EPS) * J**2 / EPS**2
        assert abs(val / lim - 1) < 3e-5
        # the strong-coupling limits [4 eps/((N+2) kappa)]^2 and (eps/J)^2 (both ~ (eps/J)^2 here) are far off
        assert val < 0.75


def test_hyperbolic_strong_and_weak_limits_and_zero():
    big = 1e5 * KAPPA
    assert abs(liu.reciprocal_cascade_energy_ss_hyperbolic(4, big, KAPPA, EPS) / (4 * EPS / (6 * KAPPA)) ** 2 - 1) < 1e-8
    assert abs(liu.reciprocal_cascade_energy_ss_hyperbolic(3, big, KAPPA, EPS) / (EPS / big) ** 2 - 1) < 1e-8
    assert liu.reciprocal_cascade_energy_ss_hyperbolic(3, 0.0, KAPPA, EPS) == 0.0
    assert liu.reciprocal_cascade_energy_ss_hyperbolic(3, 1e-3, KAPPA, 0.0) == 0.0
    # far below the loss: E ~ 4^-... tiny but representable, no underflow to 0 and no nan
    tiny = liu.reciprocal_cascade_energy_ss_hyperbolic(30, 1e-4 * KAPPA, KAPPA, EPS)
    assert 0 < tiny < 1e-200 and abs(tiny / liu.reciprocal_cascade_energy_ss(30, 1e-4 * KAPPA, KAPPA, EPS) - 1) < 1e-9


@pytest.mark.parametrize("bad", [dict(N=0), dict(N=2.5), dict(J=-1.0), dict(kappa=0.0), dict(epsilon=np.nan)])
def test_hyperbolic_bad_input(bad):
    kw = dict(N=3, J=1e-3, kappa=KAPPA, epsilon=EPS) | bad
    with pytest.raises(ValueError):
        liu.reciprocal_cascade_energy_ss_hyperbolic(**kw)


@pytest.mark.parametrize("N", [1, 3, 5, 9])
def test_best_coupling_odd_is_the_engine_maximum(N):
    J_star, E_star = liu.reciprocal_cascade_best_coupling(N, KAPPA, EPS)
    eng = lambda J: liu.steady_energy_profile(N, "cascade", "reciprocal", J, KAPPA, EPS)[-1]  # noqa: E731
    assert abs(E_star / eng(J_star) - 1) < 1e-9
    # a maximum: 1e-3 away on either side the engine gives less, by a second-order amount
    for f in (1 - 1e-3, 1 + 1e-3):
        assert 0 < 1 - eng(f * J_star) / E_star < 1e-5
    # and the global one on a wide grid
    grid = np.geomspace(1e-2, 1e2, 400) * KAPPA
    assert max(eng(J) for J in grid) <= E_star * (1 + 1e-12)


def test_best_coupling_N1_exact():
    """N = 1: E = 16 eps^2 J^2/(kappa^2 + 4 J^2)^2 ... maximal at J = kappa/2 exactly, E = eps^2/kappa^2."""
    J_star, E_star = liu.reciprocal_cascade_best_coupling(1, KAPPA, EPS, omega=3.0)
    assert abs(J_star / (KAPPA / 2) - 1) < 1e-12 and abs(E_star / (3.0 * EPS**2 / KAPPA**2) - 1) < 1e-12


@pytest.mark.parametrize("N", [2, 4, 10])
def test_best_coupling_even_is_the_strong_limit(N):
    J_star, E_star = liu.reciprocal_cascade_best_coupling(N, KAPPA, EPS)
    assert J_star == math.inf
    assert abs(E_star / liu.steady_energy_profile(N, "cascade", "reciprocal", 1e4 * KAPPA, KAPPA, EPS)[-1] - 1) < 1e-7
    grid = np.geomspace(1e-2, 1e3, 200) * KAPPA
    vals = [liu.steady_energy_profile(N, "cascade", "reciprocal", J, KAPPA, EPS)[-1] for J in grid]
    assert np.all(np.diff(vals) > 0) and max(vals) < E_star


@pytest.mark.parametrize("bad", [dict(N=0), dict(kappa=-1.0), dict(epsilon=np.inf), dict(omega=np.nan)])
def test_best_coupling_bad_input(bad):
    kw = dict(N=3, kappa=KAPPA, epsilon=EPS) | bad
    with pytest.raises(ValueError):
        liu.reciprocal_cascade_best_coupling(**kw)
