"""Tests for nrqb.papers.zhao and nrqb.papers.zhao_sym (Zhao et al., Eqs. (1)-(5))."""

import numpy as np
import pytest
import sympy as sp

from nrqb.papers import zhao as z
from nrqb.papers import zhao_sym as zs

GAM = 0.1


@pytest.mark.parametrize("N", range(1, 9))
def test_cascaded_closed_forms_against_engine(N):
    for g in (0.002, 0.013, 0.07, 0.4):
        e = {case: z.cascaded_network(N, g, GAM, 0.1, case=case).steady_state()["energies"][N]
             for case in z.CASES}
        np.testing.assert_allclose(e["nr"], z.energy_nr_cascaded(N, g, GAM), rtol=1e-10)
        np.testing.assert_allclose(e["r1"], z.energy_r1_cascaded(N, g, GAM), rtol=1e-10)
        np.testing.assert_allclose(e["r1"], z.energy_r1_cascaded_eq2(N, g, GAM), rtol=1e-10)
        np.testing.assert_allclose(e["r2"], z.energy_r2_cascaded(N, g, GAM), rtol=1e-10)


def test_steady_state_independent_of_Gamma_and_any_phase():
    for Gam in (0.01, 0.1, 10.0):
        th = [-1.0, 0.4, 2.5]
        net = z.cascaded_network(3, 0.02, GAM, Gam, theta=th, g1=[0.01, 0.03, 0.02], g2=[0.02, 0.01, 0.05])
        ref = z.energy_cascaded_steady(3, 0.02, GAM, Gam, theta=th, g1=[0.01, 0.03, 0.02], g2=[0.02, 0.01, 0.05])
        np.testing.assert_allclose(net.steady_state()["energies"][3], ref, rtol=1e-10)
        np.testing.assert_allclose(z.cascaded_network(3, 0.02, GAM, Gam).steady_state()["energies"][3],
                                   z.energy_nr_cascaded(3, 0.02, GAM), rtol=1e-10)
        par = z.parallel_network(3, 0.02, GAM, Gam, theta=th)
        for k in (1, 2, 3):
            np.testing.assert_allclose(par.steady_state()["energies"][k],
                                       z.energy_parallel_steady(3, 0.02, GAM, Gam, theta=th, k=k), rtol=1e-10)


@pytest.mark.parametrize("N", [1, 2, 4])
def test_parallel_closed_forms_against_engine(N):
    rates = np.linspace(0.05, 0.2, N)
    for g in (0.003, 0.06):
        e_nr = z.parallel_network(N, g, 0.08, 0.3, case="nr", gamma_b=rates).steady_state()["energies"]
        e_r1 = z.parallel_network(N, g, 0.08, 0.3, case="r1", gamma_b=rates).steady_state()["energies"]
        e_r2 = z.parallel_network(N, g, GAM, 0.3, case="r2").steady_state()["energies"]
        for k in range(1, N + 1):
            np.testing.assert_allclose(e_nr[k], z.energy_nr_parallel(N, g, 0.08, rates, k=k), rtol=1e-10)
            np.testing.assert_allclose(e_r1[k], z.energy_r1_parallel(N, g, 0.08, rates, k=k), rtol=1e-10)
            np.testing.assert_allclose(e_r2[k], z.energy_r2_parallel(N, g, GAM), rtol=1e-10)


def test_printed_eq4_is_wrong_unless_gamma_c_is_one():
    assert not np.isclose(z.energy_r1_parallel_printed(2, 0.01, 0.1, 0.1), z.energy_r1_parallel(2, 0.01, 0.1, 0.1))
    np.testing.assert_allclose(z.energy_r1_parallel_printed(2, 0.01, 1.0, [0.3, 0.5]),
                               z.energy_r1_parallel(2, 0.01, 1.0, [0.3, 0.5]), rtol=1e-12)


def test_gains_exact_at_g_zero_and_match_ratios():
    for N in range(1, 7):
        assert z.gain_cascaded(N, 0.0, GAM, "r1") == pytest.approx(4 ** N, rel=1e-14)
        assert z.gain_cascaded(N, 0.0, GAM, "r2") == pytest.approx(2 ** N, rel=1e-14)
        assert z.gain_parallel(N, 0.0, GAM, "r1") == pytest.approx(4, rel=1e-14)
        assert z.gain_parallel(N, 0.0, GAM, "r2") == pytest.approx(2, rel=1e-14)
        g = np.array([1e-4, 0.01, 0.3])
        np.testing.assert_allclose(z.gain_cascaded(N, g, GAM, "r1"),
                                   z.energy_nr_cascaded(N, g, GAM) / z.energy_r1_cascaded(N, g, GAM), rtol=1e-9)
        np.testing.assert_allclose(z.gain_cascaded(N, g, GAM, "r2"),
                                   z.energy_nr_cascaded(N, g, GAM) / z.energy_r2_cascaded(N, g, GAM), rtol=1e-9)
        np.testing.assert_allclose(z.gain_parallel(N, g, GAM, "r2"),
                                   z.energy_nr_parallel(N, g, GAM, GAM) / z.energy_r2_parallel(N, g, GAM), rtol=1e-9)
        np.testing.assert_allclose(z.gain_parallel(N, g, GAM, "r1"),
                                   z.energy_nr_parallel(N, g, GAM, GAM) / z.energy_r1_parallel(N, g, GAM, GAM),
                                   rtol=1e-9)


def test_weak_coupling_gains_first_order():
    x = 1e-5
    for N in (1, 3, 4, 6):
        assert z.gain_cascaded(N, x, 1.0) == pytest.approx(z.gain_weak_cascaded(N, x), rel=1e-6)  # second order only
        assert z.gain_parallel(N, x, 1.0) == pytest.approx(z.gain_weak_parallel(N, x), rel=1e-6)


def test_a_b_coefficients_low_orders():
    assert [z.a_coeff(1, j) for j in range(2)] == [4, 1]
    assert [z.b_coeff(2, j) for j in range(2)] == [8, 1]
    assert [z.a_coeff(3, j) for j in range(3)] == [16, 12, 1]
    with pytest.raises(ValueError, match="odd"):
        z.a_coeff(2, 0)
    with pytest.raises(ValueError, match="even"):
        z.b_coeff(3, 0)
    with pytest.raises(ValueError, match="j must"):
        z.a_coeff(3, 5)


def test_g_opt_maximises_eq3():
    for N in (1, 2, 3, 7):
        g0 = z.g_opt_nr(N, GAM)
        e0 = z.energy_nr_cascaded(N, g0, GAM)
        assert e0 > z.energy_nr_cascaded(N, g0 * 1.01, GAM)
        assert e0 > z.energy_nr_cascaded(N, g0 * 0.99, GAM)
    g1, e1 = z.max_energy_r1_cascaded(1, GAM)
    assert g1 == pytest.approx(GAM / 2, rel=1e-6)
    assert e1 == pytest.approx(z.energy_nr_cascaded(1, z.g_opt_nr(1, GAM), GAM), rel=1e-10)


def test_power_zero_at_t0_and_max():
    net = z.cascaded_network(1, 0.01, GAM, GAM, xi=0.1)
    p = z.charging_power(net, 1, [0.0, 10.0])
    assert p[0] == pytest.approx(0.0, abs=1e-20) and p[1] > 0
    np.testing.assert_allclose(p[1], net.energies([10.0])[0, 1] / 10.0, rtol=1e-14)
    ts, pm = z.max_power(net, 1, 2000.0)
    grid = np.linspace(1, 2000, 4000)
    assert pm >= z.charging_power(net, 1, grid).max() * (1 - 1e-9)


def test_power_limit_at_t0_uses_engine_derivative():
    # thermal intermediate modes: E(t)/t -> dE/dt(0) = Gamma n_th for the a_k, 0 for the batteries
    net = z.cascaded_network(2, 0.01, GAM, 0.3, n_th_intermediate=2.0)
    p0 = z.charging_power(net, 3, [0.0])[0]
    assert p0 == pytest.approx(0.3 * 2.0, rel=1e-12)
    assert z.charging_power(net, 3, [1e-4])[0] == pytest.approx(p0, rel=1e-3)   # continuous at t = 0
    # a shared thermal bath feeds the battery directly
    sb = z.shared_bath_cascaded_network(1, 0.02, GAM, n_th=1.0)
    np.testing.assert_allclose(z.charging_power(sb, 1, [0.0, 1e-5]), sb.power([0.0])[0, 1], rtol=1e-4)
    # a battery that starts charged has no finite P(0)
    from nrqb.engine.builder import NetworkBuilder
    nb = NetworkBuilder().mode("c", loss=GAM).mode("b", loss=GAM)
    nb.drive("c", 1.0)
    nb.hop("b", "c", 0.01)
    assert np.isinf(z.charging_power(nb.build(alpha0=[0.0, 0.5]), 1, [0.0])[0])


def test_power_gains_and_weak_limit():
    for topo in ("cascaded", "parallel"):
        eta = z.power_gains(topo, 2, 0.05 * 5e-4, 5e-4, 1.0, 2e5)
        assert eta[0] > 1 and eta[1] > 1
    lim = z.power_gains_weak_limit("cascaded", 2, 5e-4, 1.0, 2e5)
    np.testing.assert_allclose(lim, [16, 4], rtol=2e-4)
    lim = z.power_gains_weak_limit("parallel", 2, 5e-4, 1.0, 2e5)
    np.testing.assert_allclose(lim, [4, 2], rtol=2e-4)
    with pytest.raises(ValueError, match="topology"):
        z.power_gains("ring", 2, 0.01, GAM, 1.0, 100.0)
    with pytest.raises(ValueError, match="equally spaced"):
        z.power_gains_weak_limit("cascaded", 2, GAM, 1.0, 100.0, x=(1e-3, 2e-3, 4e-3))


def test_crossing_and_log_slope():
    for N in (3, 4):
        u = z.crossing_r1_r2(N)
        np.testing.assert_allclose(z.energy_r1_cascaded(N, u * GAM, GAM), z.energy_r2_cascaded(N, u * GAM, GAM),
                                   rtol=1e-10)
        assert z.gain_cascaded(N, 0.9 * u * GAM, GAM, "r1") > z.gain_cascaded(N, 0.9 * u * GAM, GAM, "r2")
        assert z.gain_cascaded(N, 1.1 * u * GAM, GAM, "r1") < z.gain_cascaded(N, 1.1 * u * GAM, GAM, "r2")
    with pytest.raises(ValueError, match="sign"):
        z.crossing_r1_r2(3, 0.2, 0.5)
    assert z.max_energy_ratio(1) == pytest.approx(1.0, abs=1e-10)
    s, Ns, r = z.log_slope_fit(9)
    assert list(Ns) == [1, 3, 5, 7, 9] and np.all(np.diff(r) > 0)
    np.testing.assert_allclose(1 + s * np.log(Ns), r, atol=0.01)      # the form 1 + s ln N fits
    with pytest.raises(ValueError, match="N_max"):
        z.log_slope_fit(1)


def test_shared_bath_equals_eliminated_triangle():
    for N in (1, 3):
        sb = z.shared_bath_cascaded_network(N, 0.02, GAM)
        ab = z.cascaded_network(N, 0.02, GAM, 0.1)
        np.testing.assert_allclose(sb.steady_state()["energies"][N], ab.steady_state()["energies"][N], rtol=1e-10)
        # drift of the shared-bath model = eliminated drift of the triangles
        np.testing.assert_allclose(sb.drift, ab.eliminated_drift(range(N + 1)), atol=1e-14)


@pytest.mark.parametrize("bad, name", [(-0.1, "g_b"), (np.nan, "g_b")])
def test_bad_input(bad, name):
    with pytest.raises(ValueError, match=name):
        z.cascaded_network(2, bad, GAM, GAM)
    with pytest.raises(ValueError, match=name):
        z.energy_nr_cascaded(2, bad, GAM)


def test_bad_input_more():
    with pytest.raises(ValueError, match="gamma"):
        z.energy_r1_cascaded(2, 0.1, -1.0)
    with pytest.raises(ValueError, match="Gamma"):
        z.parallel_network(2, 0.1, GAM, float("nan"))
    with pytest.raises(ValueError, match="N must"):
        z.cascaded_network(0, 0.1, GAM, GAM)
    with pytest.raises(ValueError, match="case"):
        z.cascaded_network(2, 0.1, GAM, GAM, case="x")
    with pytest.raises(ValueError, match="theta"):
        z.cascaded_network(2, 0.1, GAM, GAM, theta=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="g1"):
        z.cascaded_network(2, 0.1, GAM, GAM, g1=-1.0)
    with pytest.raises(ValueError, match="t must"):
        z.charging_power(z.triangle(0.1, GAM, GAM, GAM), 1, [-1.0])
    with pytest.raises(ValueError, match="even N"):
        z.max_energy_r1_cascaded(2, GAM)
    with pytest.raises(ValueError, match="case"):
        zs.chain_terminal_energy(2, "r2")
    with pytest.raises(ValueError, match="n_th_intermediate"):
        z.cascaded_network(2, 0.1, GAM, GAM, n_th_intermediate=-1.0)


def test_sympy_elimination_and_condition():
    s = zs.symbols()
    A, c = zs.triangle_drift()
    Ae, _ = zs.eliminate_intermediate(A, c)
    sub = {s["g_1"]: sp.sqrt(s["g_b"] * s["Gamma"] / 2), s["g_2"]: sp.sqrt(s["g_b"] * s["Gamma"] / 2),
           s["theta"]: -sp.pi / 2}
    assert sp.simplify(Ae[0, 1].subs(sub)) == 0
    assert sp.simplify(Ae[1, 0].subs(sub) + 2 * s["g_b"]) == 0
    f, b, fc, bc = zs.link_moduli()
    assert sp.simplify(f - fc) == 0 and sp.simplify(b - bc) == 0


def test_sympy_eq2_eq3():
    s = zs.symbols()
    for N in range(1, 9):
        D = zs.continuant_r1(N)
        assert sp.expand(D - zs.dimer_sum(N + 1)) == 0
        assert sp.simplify((s["xi"] * s["g_b"] ** N / D) ** 2 - zs.eq2_printed(N)) == 0
    for N in (1, 2):
        assert sp.simplify(zs.chain_terminal_energy(N, "r1") - zs.eq2_printed(N)) == 0
        assert sp.simplify(zs.chain_terminal_energy(N, "nr") - zs.eq3(N)) == 0
    # a wrong constant must be caught
    assert sp.simplify(zs.eq2_printed(3, a=lambda j: 1) - zs.eq2_printed(3)) != 0


def test_sympy_eq4_eq5_gopt():
    s = zs.symbols()
    E, rates = zs.parallel_r1_energy(2)
    assert sp.simplify(E - zs.eq4_corrected(s["gamma_c"], rates)) == 0
    assert sp.simplify(E - zs.eq4_printed(s["gamma_c"], rates)) != 0
    eq, root = zs.g_opt_equation()
    N = sp.Symbol("N", positive=True, integer=True)
    assert sp.simplify(root - (N + sp.sqrt(N * (8 + N))) * s["gamma"] / 8) == 0
