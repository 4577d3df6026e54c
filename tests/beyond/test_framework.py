"""Tests of the four-mechanism comparison (nrqb.beyond.framework)."""

import numpy as np
import pytest

from nrqb import LinearNetwork
from nrqb.beyond.framework import isolation_ratio, mechanisms


@pytest.mark.parametrize("name", list(mechanisms()))
def test_every_mechanism_is_one_way_at_its_point_and_two_way_elsewhere(name):
    m = mechanisms()[name]
    assert isolation_ratio(m.build(m.nr_phase)) < 1e-12
    x = np.linspace(-3, 3, 13)
    ratios = np.array([isolation_ratio(m.build(xi)) for xi in x])
    np.testing.assert_allclose(ratios, np.abs(np.tan((x - m.nr_phase) / 2)), rtol=1e-9, atol=1e-12)


def test_bad_cavity_and_collective_jump_differ_by_a_gauge():
    ms = mechanisms()
    A_cav = ms["bad cavity (Lin)"].build(np.pi / 2).eliminated_drift([0, 1])
    A_jump = ms["collective jump (Liu)"].build(np.pi / 2).eliminated_drift([0, 1])
    U = np.diag([1, 1j])
    np.testing.assert_allclose(U.conj().T @ A_cav @ U, A_jump, atol=1e-15)
    A_res = ms["shared reservoir (Ahmadi)"].build(np.pi / 2).eliminated_drift([0, 1])
    np.testing.assert_allclose(A_res, A_jump, atol=1e-15)


def test_isolation_ratio_rejects_zero_forward_coupling():
    with pytest.raises(ValueError, match="forward"):
        isolation_ratio(LinearNetwork(np.zeros((2, 2)), loss=[1.0, 1.0]))
