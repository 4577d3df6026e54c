"""nrqb.papers.zhao at the edges: long chains against arbitrary-precision arithmetic (no underflow or
overflow where the answer is a representable float), exact zeros, and a table of bad inputs that
must raise a ValueError naming the parameter (issue 11)."""

import warnings

import mpmath as mp
import numpy as np
import pytest

from nrqb.papers import zhao as z
from nrqb.papers import zhao_sym as zs

mp.mp.dps = 50
GAM = 0.1


def exact(N, g, gam, case, xi=1):
    g, gam, xi = mp.mpf(g), mp.mpf(gam), mp.mpf(xi)
    u = gam / 2
    if case == "nr":
        return (2 ** (2 * N + 1) * g ** N * xi / ((2 * g + gam) ** 2 * (4 * g + gam) ** (N - 1))) ** 2
    if case == "r1":
        Dm2, Dm1 = mp.mpf(1), u
        for _ in range(N):
            Dm2, Dm1 = Dm1, u * Dm1 + g * g * Dm2
        return (xi * g ** N / Dm1) ** 2
    d = [u + g] + [u + 2 * g] * (N - 1) + [u + g]
    Dm2, Dm1 = mp.mpc(1), mp.mpc(d[0])
    for k in range(1, N + 1):
        Dm2, Dm1 = Dm1, d[k] * Dm1 - 2j * g * g * Dm2
    return 2 ** N * g ** (2 * N) * xi ** 2 / abs(Dm1) ** 2


@pytest.mark.parametrize("N", [340, 1000])
def test_long_chains_against_mpmath(N):
    # issue 11: at N = 340 the closed forms underflowed to 0.0 (exact 1.6e-64), at N = 1000 they overflowed
    for g in (0.1, 1.0, 30.0):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for case, f in (("nr", z.energy_nr_cascaded), ("r1", z.energy_r1_cascaded), ("r1", z.energy_r1_cascaded_eq2)):
                ref = exact(N, g, GAM, case, xi=0.5)
                assert ref > 1e-300
                np.testing.assert_allclose(f(N, g, GAM, xi=0.5), float(ref), rtol=1e-10)
            np.testing.assert_allclose(z.energy_cascaded_steady(N, g, GAM, 0.3, xi=0.5), float(exact(N, g, GAM, "nr", 0.5)),
                                       rtol=1e-9)
            np.testing.assert_allclose(z.energy_split_cascaded(N, g, GAM, g, xi=0.5), float(exact(N, g, GAM, "nr", 0.5)),
                                       rtol=1e-10)
    np.testing.assert_allclose(z.energy_nr_cascaded(340, 0.1, GAM), 1.558e-64, rtol=1e-3)


def test_case_two_and_gains_of_long_chains():
    N = 340
    for g in (0.01, 0.05):
        ref = exact(N, g, GAM, "r2")
        np.testing.assert_allclose(z.energy_r2_cascaded(N, g, GAM), float(ref), rtol=1e-9)
        np.testing.assert_allclose(z.gain_cascaded(N, g, GAM, "r2"), float(exact(N, g, GAM, "nr") / ref), rtol=1e-9)
    N = 200
    np.testing.assert_allclose(z.gain_cascaded(N, 0.02, GAM, "r1"),
                               float(exact(N, 0.02, GAM, "nr") / exact(N, 0.02, GAM, "r1")), rtol=1e-9)
    np.testing.assert_allclose(z.gain_weak_cascaded(500, 0.3), float(mp.mpf(4) ** 500 / (1 + 4 * 500 * mp.mpf(0.3)) ** 2),
                               rtol=1e-12)


def test_exact_zeros_and_limits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in (z.energy_nr_cascaded, z.energy_r1_cascaded, z.energy_r1_cascaded_eq2, z.energy_r2_cascaded):
            for N in (1, 2, 5):
                assert f(N, 0.0, GAM) == 0.0 and f(N, 0.01, GAM, xi=0.0) == 0.0
        assert z.energy_r2_parallel(3, 0.0, GAM) == 0.0 and z.energy_nr_parallel(3, 0.0, GAM, GAM) == 0.0
        assert z.gain_cascaded(7, 0.0, GAM) == 4.0 ** 7 and z.gain_cascaded(7, 0.0, GAM, "r2") == 2.0 ** 7
        assert z.energy_cascaded_steady(3, 0.01, GAM, 0.1, theta=[np.pi / 2, -np.pi / 2, 0]) == pytest.approx(0, abs=1e-30)
    # the even reciprocal chain saturates at 16 xi^2 / ((N + 2) gamma)^2 at strong coupling (exercise)
    for N in (2, 4, 6):
        np.testing.assert_allclose(z.energy_r1_cascaded(N, 1e6 * GAM, GAM), 16 / ((N + 2) * GAM) ** 2, rtol=1e-9)
        np.testing.assert_allclose(float(exact(N, 1e6 * GAM, GAM, "r1")), 16 / ((N + 2) * GAM) ** 2, rtol=1e-9)


def _net():
    return z.triangle(0.01, GAM, GAM, GAM)


BAD = [
    # (call, parameter named in the message)
    (lambda: z.energy_r1_cascaded(2, 0.01, GAM, xi=1j), "xi"),            # issue 11: returned -79
    (lambda: z.energy_nr_cascaded(2, 0.01, GAM, xi=np.nan), "xi"),
    (lambda: z.energy_r2_cascaded(2, 0.01, GAM, omega=-1.0), "omega"),
    (lambda: z.energy_r1_cascaded_eq2(2, 0.01, GAM, omega=np.nan), "omega"),
    (lambda: z.energy_nr_cascaded(2, -0.1, GAM), "g_b"),
    (lambda: z.energy_nr_cascaded(2, np.nan, GAM), "g_b"),
    (lambda: z.energy_nr_cascaded(2, 1j, GAM), "g_b"),
    (lambda: z.energy_nr_cascaded(2.0, 0.1, GAM), "N"),
    (lambda: z.energy_r1_cascaded(0, 0.1, GAM), "N"),
    (lambda: z.energy_r1_cascaded(2, 0.1, -1.0), "gamma"),
    (lambda: z.energy_r1_cascaded(2, 0.1, np.inf), "gamma"),
    (lambda: z.energy_cascaded_steady(2, 0.1, GAM, 0.0), "Gamma"),
    (lambda: z.energy_cascaded_steady(2, 0.1, GAM, GAM, theta=[0.1, np.nan]), "theta"),
    (lambda: z.energy_cascaded_steady(2, 0.1, GAM, GAM, theta=[0.1, 0.2, 0.3]), "theta"),
    (lambda: z.energy_cascaded_steady(2, 0.1, GAM, GAM, g1=[0.1, -0.1]), "g1"),
    (lambda: z.energy_parallel_steady(2, 0.1, GAM, GAM, k=3), "k"),
    (lambda: z.energy_parallel_steady(2, 0.1, GAM, GAM, xi="a"), "xi"),
    (lambda: z.energy_r1_parallel(2, 0.1, GAM, [0.1, 0.0]), "gamma_b"),
    (lambda: z.energy_r1_parallel(2, 0.1, 0.0, GAM), "gamma_c"),
    (lambda: z.energy_r1_parallel_printed(2, 0.1, GAM, GAM, k=0), "k"),
    (lambda: z.energy_nr_parallel(2, 0.1, GAM, [0.1, 0.1, 0.1]), "gamma_b"),
    (lambda: z.energy_nr_parallel(2, 0.1, GAM, GAM, xi=np.inf), "xi"),
    (lambda: z.energy_r2_parallel(2, 0.1, GAM, xi=2j), "xi"),
    (lambda: z.gain_cascaded(2, 0.1, GAM, "r3"), "reference"),
    (lambda: z.gain_parallel(2, -0.1, GAM), "g_b"),
    (lambda: z.gain_weak_cascaded(2, np.nan), "x"),
    (lambda: z.gain_weak_parallel(0, 0.1), "N"),
    (lambda: z.crossing_r1_r2(3, 0.3, 0.2), "lo"),
    (lambda: z.crossing_r1_r2(3, 0.2, 0.5), "sign"),
    (lambda: z.a_coeff(2, 0), "odd"),
    (lambda: z.a_coeff(3, 5), "j"),
    (lambda: z.b_coeff(4, 1.0), "j"),
    (lambda: z.b_coeff(3, 0), "even"),
    (lambda: z.continuant([1.0, 2.0], [1.0, 2.0]), "p"),
    (lambda: z.continuant([1.0, np.nan], [1.0]), "d"),
    (lambda: z.continuant([], []), "d"),
    (lambda: z.g_opt_nr(1.5, GAM), "N"),
    (lambda: z.g_opt_nr(3, 0.0), "gamma"),
    (lambda: z.max_energy_r1_cascaded(2, GAM), "even N"),
    (lambda: z.max_energy_r1_cascaded(3, GAM, xi=np.nan), "xi"),
    (lambda: z.max_energy_ratio(0), "N"),
    (lambda: z.log_slope_fit(1), "N_max"),
    (lambda: z.log_slope_fit(8), "odd"),
    (lambda: z.log_slope_fit(9, N_min=9), "N_max"),
    (lambda: z.split_couplings(0.1, GAM, [0.1, 0.0]), "sigma"),
    (lambda: z.split_couplings(0.0, GAM, 0.1), "g_b"),
    (lambda: z.energy_split_cascaded(2, 0.1, GAM, [0.1]), "sigma"),
    (lambda: z.energy_split_cascaded(2, 0.1, GAM, [0.1, -0.1]), "sigma"),
    (lambda: z.energy_split_parallel(2, 0.1, GAM, [0.1, 0.0]), "sigma"),
    (lambda: z.energy_split_parallel(2, 0.1, GAM, 0.1, k=3), "k"),
    (lambda: z.energy_split_parallel(2, -0.1, GAM, 0.1), "g_b"),
    (lambda: z.optimal_split_parallel(0, 0.1), "N"),
    (lambda: z.optimal_split_parallel(2, np.nan), "g_b"),
    (lambda: z.parallel_gain_window(2.0), "N"),
    (lambda: z.gain_growth_per_battery(-0.1), "x"),
    (lambda: z.gain_growth_per_battery(1j), "x"),
    (lambda: z.weak_form_validity(3, 0.0), "rel"),
    (lambda: z.weak_form_validity(3, 0.1, "ring"), "topology"),
    (lambda: z.weak_form_validity(0), "N"),
    (lambda: z.power_gains_leading_order("ring", 2, GAM, 1.0), "topology"),
    (lambda: z.power_gains_leading_order("cascaded", 2, GAM, 0.0), "Gamma"),
    (lambda: z.power_gains_leading_order("cascaded", 0, GAM, 1.0), "N"),
    (lambda: z.optimal_split_cascaded(2, 0.0, GAM), "g_b"),
    (lambda: z.optimal_split_cascaded(2, 0.1, GAM, max_iter=0), "max_iter"),
    (lambda: z.max_energy_nr_split(3, -GAM), "gamma"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, case="x"), "case"),
    (lambda: z.cascaded_network(2, 0.1, GAM, np.nan), "Gamma"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, xi=1j), "xi"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, omega=0.0), "omega"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, theta=1j), "theta"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, case="r1", g1=0.1), "g1"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, gamma_b=[0.1, -1.0]), "gamma_b"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, n_th_intermediate=-1.0), "n_th_intermediate"),
    (lambda: z.cascaded_network(2, 0.1, GAM, GAM, case="r1", n_th_intermediate=1.0), "n_th_intermediate"),
    (lambda: z.parallel_network(2, 0.1, np.nan, GAM), "gamma"),
    (lambda: z.parallel_builder(2, 0.1, GAM, GAM, g2=[0.1, np.inf]), "g2"),
    (lambda: z.cascaded_builder(-1, 0.1, GAM, GAM), "N"),
    (lambda: z.triangle(0.1, GAM, GAM, GAM, theta=np.nan), "theta"),
    (lambda: z.shared_bath_cascaded_network(2, 0.1, GAM, n_th=-1.0), "n_th"),
    (lambda: z.shared_bath_parallel_network(2, 0.1, GAM, xi=np.nan), "xi"),
    (lambda: z.battery_index(0), "k"),
    (lambda: z.charging_power(_net(), 1, [-1.0]), "t"),
    (lambda: z.charging_power(_net(), 1, [np.nan]), "t"),
    (lambda: z.charging_power(_net(), 3, [1.0]), "mode"),
    (lambda: z.charging_power("net", 1, [1.0]), "net"),
    (lambda: z.max_power(_net(), 1, 10.0, n_grid=0), "n_grid"),
    (lambda: z.max_power(_net(), 1, -10.0), "t_max"),
    (lambda: z.power_gains("ring", 2, 0.01, GAM, 1.0, 100.0), "topology"),
    (lambda: z.power_gains("cascaded", 2, 0.0, GAM, 1.0, 100.0), "g_b"),
    (lambda: z.power_gains("cascaded", 2, 0.01, GAM, 1.0, 100.0, xi=0.0), "xi"),
    (lambda: z.power_gains_weak_limit("cascaded", 2, GAM, 1.0, 100.0, x=(1e-3, 2e-3, 4e-3)), "x"),
    (lambda: z.power_gains_weak_limit("cascaded", 2, GAM, 1.0, 100.0, x="abc"), "x"),
    (lambda: z.explore_chain(0), "N"),
    (lambda: z.max_over_phases("ring", 2, 0.01, GAM, GAM), "topology"),
    (lambda: z.max_over_phases("parallel", 2, 0.01, GAM, GAM, starts=[[0.1, 0.2, 0.3]]), "theta"),
    (lambda: z.max_over_phases("parallel", 2, 0.01, GAM, GAM, k=3), "k"),
    (lambda: z.max_over_phases("cascaded", 2, 0.01, GAM, 0.0), "Gamma"),
    (lambda: z.explore_chain(2, g_over_gamma=-1.0), "g_over_gamma"),
    (lambda: zs.chain_terminal_energy(2, "r2"), "case"),
    (lambda: zs.chain_drift(0), "N"),
    (lambda: zs.split_optimum(5), "N"),
    (lambda: zs.star_energy_nr(2, k=3), "k"),
    (lambda: zs.gain_r2_rise(2, "ring"), "topology"),
    (lambda: zs.eliminate_modes(zs.triangle_drift()[0], zs.triangle_drift()[1], [5]), "indices"),
    (lambda: zs.slaved_intermediate(zs.triangle_drift()[0], zs.triangle_drift()[1], 7), "index"),
]


@pytest.mark.parametrize("call, name", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_raises_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
