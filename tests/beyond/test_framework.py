"""Tests of the four-mechanism comparison (nrqb.beyond.framework)."""

import numpy as np
import pytest
import sympy as sp

from nrqb import LinearNetwork
from nrqb.beyond import framework as FW
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
    m = mechanisms()["collective jump (Liu)"]
    assert isolation_ratio(m.build(m.nr_phase - np.pi)) == np.inf     # one-way battery -> charger
    assert isolation_ratio(m.build(m.nr_phase - np.pi), 1, 0) == 0.0


def test_linewidth_against_closed_forms():
    ms = mechanisms()
    # Liu: Lambda/2 = (kappa + Gamma)/2; Zhao's triangle: gamma/2 + g_b (the intermediate mode adds 2 g1^2/Gamma = g_b)
    np.testing.assert_allclose(FW.linewidth(ms["collective jump (Liu)"].build(np.pi / 2)), (0.003 + 0.04) / 2, rtol=1e-12)
    np.testing.assert_allclose(FW.linewidth(ms["AB triangle (Zhao)"].build(-np.pi / 2)), 0.1 / 2 + 0.01, rtol=1e-12)
    for m in FW.MATCHED:
        if m not in FW.RECIPROCAL:
            np.testing.assert_allclose(FW.linewidth(FW.matched_pair(m)), (0.003 + 0.04) / 2, rtol=1e-12)


@pytest.mark.parametrize("name", ["reservoir as a mode (book)", "AB triangle (Zhao)", "bad cavity (Lin)"])
def test_backflow_spectrum_law(name):
    """|chi_ab/chi_ba| = |omega|/sqrt(gamma_aux^2 + omega^2): the engine, the sympy elimination, the bandwidth."""
    gam = FW.MATCHED[name]
    net = FW.matched_pair(name)
    w = np.concatenate([-np.geomspace(1e-4, 10, 7) * gam, np.geomspace(1e-4, 10, 7) * gam])
    law = np.abs(w) / np.sqrt(gam**2 + w**2)
    np.testing.assert_allclose(net.isolation(w, 1, 0), law, rtol=1e-8)
    d = FW.backflow_sym()
    om, g_, G_ = d["symbols"]
    r2 = sp.lambdify(om, d[name]["ratio2"].subs({g_: gam, G_: 0.04}))
    np.testing.assert_allclose(np.sqrt(r2(w)), law, rtol=1e-12)
    # the symbolic drift is the builder's, up to the local losses of charger and battery
    A = np.array(d[name]["drift"].subs({g_: gam, G_: 0.04}).evalf(), dtype=complex)
    np.testing.assert_allclose(net.drift + np.diag([0.0015, 0.0015, 0]), A, atol=1e-15)
    for level in (0.1, 0.5):
        np.testing.assert_allclose(FW.isolation_bandwidth(net, level), level * gam / np.sqrt(1 - level**2), rtol=1e-9)


def test_matched_links_share_the_zero_frequency_drift_and_the_paper_points_reproduce():
    ref = FW.matched_pair("collective jump (Ahmadi, Liu)").eliminated_drift([0, 1])
    for m in ("reservoir as a mode (book)", "AB triangle (Zhao)", "bad cavity (Lin)"):
        A = FW.matched_pair(m).eliminated_drift([0, 1])
        np.testing.assert_allclose(np.abs(A), np.abs(ref), atol=1e-15)
    assert FW.isolation_bandwidth(FW.matched_pair("collective jump (Ahmadi, Liu)")) == np.inf
    # the referee's numbers at each paper's own linewidth: 2e-2, 0.51, 1e-3, 0 (law |w|/sqrt(gamma^2 + w^2))
    ms = mechanisms()
    for name, gam in (("shared reservoir (Ahmadi)", 1.0), ("AB triangle (Zhao)", 0.1), ("bad cavity (Lin)", 20.0)):
        net = ms[name].build(ms[name].nr_phase)
        lw = FW.linewidth(net)
        np.testing.assert_allclose(net.isolation([lw], 1, 0), lw / np.sqrt(gam**2 + lw**2), rtol=1e-8)
    net = ms["collective jump (Liu)"].build(np.pi / 2)
    assert np.all(net.isolation(np.linspace(-1, 1, 11), 1, 0) == 0)


def test_framework_bad_input():
    net = mechanisms()["collective jump (Liu)"].build(np.pi / 2)
    with pytest.raises(ValueError, match="battery"):
        isolation_ratio(net, 0, 7)
    with pytest.raises(ValueError, match="different"):
        FW.linewidth(net, 1, 1)
    with pytest.raises(ValueError, match="net"):
        FW.linewidth("net")
    with pytest.raises(ValueError, match="level"):
        FW.isolation_bandwidth(net, 1.5)
    with pytest.raises(ValueError, match="mechanism"):
        FW.matched_pair("gyrator")
    with pytest.raises(ValueError, match="mechanism"):
        FW.matched_pair(["bad cavity (Lin)"])
    with pytest.raises(ValueError, match="Gamma"):
        FW.matched_pair("bad cavity (Lin)", -0.1)
