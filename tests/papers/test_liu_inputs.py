"""Bad and extreme input to nrqb.papers.liu (issue 11): every public function refuses bad input with a
ValueError naming the parameter, and stays exact where the answer is representable."""

import numpy as np
import pytest

from nrqb.papers import liu, liu_sym

K, E = 0.003, 0.01
NAN, INF = float("nan"), float("inf")
LAM, G = [0.005, 0.007, 0.009], [0.002, 0.003]

BAD = [
    # (callable, kwargs-free call, parameter name expected in the message)
    (lambda: liu.gauge_coefficients(0), "N"),
    (lambda: liu.gauge_coefficients(2.0), "N"),
    (lambda: liu.gauge_coefficients(2, "ring"), "topology"),
    (lambda: liu.gauge_coefficients(2, gauge="pi"), "gauge"),
    (lambda: liu.cascade_network(2, J=NAN, kappa=K, epsilon=E), "J"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=-K, epsilon=E), "kappa"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=K, epsilon=1j), "epsilon"),
    (lambda: liu.cascade_network(2, J=[0.1, 0.2, 0.3], kappa=K, epsilon=E), "J"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=K, epsilon=E, omega=NAN), "omega"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=K, epsilon=E, omega=-1), "omega"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=K, epsilon=E, coupling="both"), "coupling"),
    (lambda: liu.cascade_network(2, J=0.1, kappa=K, epsilon=E, auxiliary_kappa=0), "auxiliary_kappa"),
    (lambda: liu.parallel_network(2, J=0.1, kappa=K, epsilon=E, kappa_a=INF), "kappa_a"),
    (lambda: liu.parallel_network(True, J=0.1, kappa=K, epsilon=E), "N"),
    (lambda: liu.paper_liouvillian(1, "cascade", J=0.1, kappa=K, epsilon=E, cutoff=1), "cutoff"),
    (lambda: liu.paper_liouvillian(1, "cascade", J=0.1, kappa=K, epsilon=E, cutoff=4, squeezed="local"), "squeezed"),
    (lambda: liu.cascade_lambdas([0.1, NAN], K, [K, K]), "Gammas"),
    (lambda: liu.cascade_lambdas([0.1, 0.1], K, [K, K], p=[1, 1]), "p"),
    (lambda: liu.cascade_lambdas_paper(3, [0.1, 0.1], K, [K, K]), "n"),
    (lambda: liu.cascade_lambdas_paper(1.0, [0.1, 0.1], K, [K, K]), "n"),
    (lambda: liu.cascade_energy([0, -1.0], 2, LAM, G, E), "t"),
    (lambda: liu.cascade_energy([0, NAN], 2, LAM, G, E), "t"),
    (lambda: liu.cascade_energy([0, 1.0], 2.5, LAM, G, E), "n"),
    (lambda: liu.cascade_energy([0, 1.0], 3, LAM, G, E), "Lambda"),
    (lambda: liu.cascade_energy([0, 1.0], 2, [0.005, -0.1, 0.2], G, E), "Lambda"),
    (lambda: liu.cascade_energy([0, 1.0], 2, LAM, [0.1], E), "Gammas"),
    (lambda: liu.cascade_energy([0, 1.0], 2, LAM, G, E, mu=[1, NAN]), "mu"),
    (lambda: liu.cascade_energy([0, 1.0], 2, LAM, G, E, omega=0), "omega"),
    (lambda: liu.cascade_energy_paper_eq3([0, 1.0], 1, [0.1, 0.1], [0.1], E), "distinct"),
    (lambda: liu.cascade_energy_paper_eq3([0, 1.0], 1, [0.1, 0.2], [0.1], E, sign=2), "sign"),
    (lambda: liu.cascade_energy_ss(-1, LAM, G, E), "n"),
    (lambda: liu.cascade_terminal_energy_ss(3, NAN, K, E), "Gamma"),
    (lambda: liu.cascade_terminal_energy_ss(3, 0.0, 0.0, E), "Gamma"),
    (lambda: liu.parallel_lambdas_paper(0, [0.1], K, [K]), "n"),
    (lambda: liu.parallel_energy([0, 1], -1.0, 0.1, 0.1, 0.1), "Lambda0"),
    (lambda: liu.parallel_energy([0, 1], 0.1, 0.1, 0.1, 0.1, mu_n=NAN), "mu_n"),
    (lambda: liu.parallel_energy_paper_eq7([-1.0], 0.1, 0.1, 0.1, 0.1), "t"),
    (lambda: liu.parallel_energy_ss_paper_eq8(0.0, 0.1, 0.1, 0.1), "Lambda1"),
    (lambda: liu.parallel_energy_ss_uniform(2, 0.0, 0.0, E), "Gamma"),
    (lambda: liu.J_op_cascade(3, -1), "kappa"),
    (lambda: liu.J_op_cascade(NAN, 1), "N"),
    (lambda: liu.J_op_parallel(0, 0.1), "N"),
    (lambda: liu.J_op_parallel(True, 0.1), "N"),
    (lambda: liu.optimal_coupling_numeric(2, "ring", K), "topology"),
    (lambda: liu.optimal_coupling_numeric(2, "cascade", K, epsilon=0), "epsilon"),
    (lambda: liu.optimal_coupling_numeric(2, "cascade", K, bounds=(1.0, 0.1)), "bounds"),
    (lambda: liu.reciprocal_constants(0), "N"),
    (lambda: liu.reciprocal_cascade_energy_ss(3, 0.1, -0.2, 0.1), "kappa"),
    (lambda: liu.reciprocal_cascade_energy_ss(3, 0.1, 0.2, 0.1, n=4), "n"),
    (lambda: liu.reciprocal_cascade_energy_ss(3, 0.1, 0.0, 0.1), "kappa"),
    (lambda: liu.reciprocal_cascade_energy_ss_sum(3, 0.1, 0.0, 0.1), "kappa"),
    (lambda: liu.reciprocal_cascade_green(3, NAN, 0.2, 0.1), "J"),
    (lambda: liu.reciprocal_cascade_amplitudes([-1.0], 3, 0.1, 0.2, 0.1), "t"),
    (lambda: liu.reciprocal_parallel_amplitude([1.0], 3, 0.1, 0.2, 1j), "epsilon"),
    (lambda: liu.reciprocal_parallel_energy_ss(3, 0.0, 0.0, 0.1), "kappa"),
    (lambda: liu.reciprocal_window(2, NAN), "kappa"),
    (lambda: liu.window_edges_numeric(1, K), "N"),
    (lambda: liu.odd_even_threshold_N(-1.0, K), "J"),
    (lambda: liu.odd_even_threshold_N(1.0, 0.0), "kappa"),
    (lambda: liu.odd_even_threshold(2, K), "N"),
    (lambda: liu.odd_even_crossing(3, K, route="fast"), "route"),
    (lambda: liu.zigzag_batteries(NAN, K, 10), "J"),
    (lambda: liu.zigzag_batteries(K, K, 1), "N_max"),
    (lambda: liu.steady_energy_profile(2, "cascade", "both", 0.1, K, E), "coupling"),
    (lambda: liu.channel_values(2, "none", 1.0), "which"),
    (lambda: liu.thermal_shift(2, "cascade", 0.1, K, E, -1.0), "n_th"),
    (lambda: liu.squeezing_enhancement(2, "cascade", 0.1, K, E, -0.5), "r"),
    (lambda: liu.squeezing_enhancement(2, "cascade", 0.1, K, 0.0, 0.5), "epsilon"),
    (lambda: liu.squeezing_enhancement(2, "cascade", 0.1, K, E, 0.5, mode=3), "mode"),
    (lambda: liu.truncated_ergotropy("net", 4, 1), "net"),
    (lambda: liu.moment_route_steady_state(1, "cascade", 0.1, K, E, r=0.5, n_th=1.0), "squeezed and hot"),
    (lambda: liu.moment_route_steady_state(1, "cascade", 0.1, K, E, r=50.0), "r"),
    (lambda: liu.settling_time([0, 1, 2], [0, NAN, 1], 1.0), "y"),
    (lambda: liu.settling_time([0, 1, 2], [0, 0.5, 1], NAN), "y_ss"),
    (lambda: liu.settling_time([0, 1, 2], [0, 0.5, 1], 0.0), "y_ss"),
    (lambda: liu.settling_time([0, 2, 1], [0, 0.5, 1], 1.0), "increasing"),
    (lambda: liu.settling_time([0, 1, 2], [0, 0.5], 1.0), "shape"),
    (lambda: liu.settling_time([0, 1, 2], [0, 0.5, 1], 1.0, tol=1.5), "tol"),
    (lambda: liu.terminal_energy_trace([0, 1], 2, "ring", "reciprocal", 0.1, K, E), "topology"),
    (lambda: liu.terminal_settling_time([0, 1], 2, "cascade", "reciprocal", 0.1, -K, E), "kappa"),
    (lambda: liu_sym.moment_equations(0), "N"),
    (lambda: liu_sym.moment_equations(2, "ring"), "topology"),
    (lambda: liu_sym.vandermonde_bracket(2, sign=0), "sign"),
    (lambda: liu_sym.continuant(0), "L"),
    (lambda: liu_sym.second_moment_equations(1, gauge="x"), "gauge"),
]


@pytest.mark.parametrize("call,name", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_raises_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_settling_time_with_nan_is_refused_not_zero():
    """Regression (issue 11): a NaN in the trace used to return t[0]."""
    with pytest.raises(ValueError):
        liu.settling_time([0.0, 1.0], [NAN, NAN], 1.0)


def test_time_grid_in_any_order_and_repeated():
    t = np.array([3000.0, 0.0, 700.0, 700.0, 12.0])
    lam, Gs = liu.cascade_lambdas([0.004, 0.004], K, [K, K]), [0.004, 0.004]
    got = liu.cascade_energy(t, 2, lam, Gs, E)
    order = np.argsort(t)
    np.testing.assert_allclose(got[order], liu.cascade_energy(t[order], 2, lam, Gs, E), rtol=1e-14)
    assert got[2] == got[3] and got[1] == 0.0


def test_no_overflow_or_underflow_at_large_N():
    N = 1000
    J = liu.J_op_cascade(N, K)
    e = liu.cascade_terminal_energy_ss(N, 2 * J, K, E)
    lam = liu.cascade_lambdas([2 * J] * N, K, [K] * N)
    assert e == pytest.approx(liu.cascade_energy_ss(N, lam, [2 * J] * N, E), rel=1e-9)
    net = liu.cascade_network(N, J=J, kappa=K, epsilon=E)
    assert e == pytest.approx(net.steady_state()["energies"][-1], rel=1e-9)
    r_cont = liu.reciprocal_cascade_energy_ss(N, J, K, E)
    r_sum = liu.reciprocal_cascade_energy_ss_sum(N, J, K, E)
    assert r_sum == pytest.approx(r_cont, rel=1e-9)
    assert r_cont == pytest.approx(abs(liu.reciprocal_cascade_green(N, J, K, E)) ** 2, rel=1e-7)
    # a weak coupling: the terminal energy is tiny but representable (no underflow to 0)
    tiny = liu.reciprocal_cascade_energy_ss(60, 0.01 * K, K, E)
    assert 0 < tiny == pytest.approx(liu.reciprocal_cascade_energy_ss_sum(60, 0.01 * K, K, E), rel=1e-9, abs=0)
    # leading order in x = 2J/kappa: x^(2N) (2 eps/kappa)^2. Next order: the ratios r_n = a_n/a_(n-1)
    # obey r_n = -i x / (1 + i x r_(n+1)) from the end (r_N = -i x), so r_n = -i x (1 - x^2) for n < N
    # and |a_0|^2 = (2 eps/kappa)^2 (1 - 2 x^2): the energy is lowered by 2 N x^2 = 4.8 % here
    # (measured 4.7 %). (With pytest.approx's default abs = 1e-12 this line could not fail: abs=0.)
    assert tiny == pytest.approx((2 * 0.01) ** 120 * (2 * E / K) ** 2, rel=0.06, abs=0)
    assert tiny == pytest.approx((2 * 0.01) ** 120 * (2 * E / K) ** 2 * (1 - 120 * (2 * 0.01) ** 2), rel=3e-3, abs=0)


def test_long_chain_time_trace_is_exact():
    """N = 300 uniform cascade (confluent rates): the uniformised step response against the engine."""
    N = 300
    J = liu.J_op_cascade(N, K)
    T = np.linspace(0, 20 / K, 81)
    E_cf, _ = liu.terminal_energy_trace(T, N, "cascade", "nonreciprocal", J, K, E)
    ref = liu.cascade_network(N, J=J, kappa=K, epsilon=E).energies(T)[:, -1]
    np.testing.assert_allclose(E_cf, ref, rtol=1e-7, atol=1e-12 * ref.max())


def test_zero_drive_and_zero_coupling_limits():
    assert liu.cascade_terminal_energy_ss(3, 0.0, K, E) == 0.0
    assert liu.reciprocal_cascade_energy_ss(3, 0.0, K, E) == 0.0
    assert liu.reciprocal_cascade_energy_ss(3, 0.0, K, E, n=0) == pytest.approx((2 * E / K) ** 2, rel=1e-14)
    assert liu.reciprocal_cascade_energy_ss_sum(3, 0.002, K, 0.0) == 0.0
    np.testing.assert_array_equal(liu.reciprocal_parallel_amplitude([0.0, 5.0], 2, 0.0, K, E), 0.0)
