"""Tests for nrqb.papers.zhao (Zhao et al., paper Eqs. (1)-(5)): every closed form against an
independent route (the engine with explicit intermediate modes, an analytic time solution, sympy,
or a brute-force search), at tolerances well below 1e-3."""

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize, minimize_scalar

from nrqb.papers import zhao as z
from nrqb.papers import zhao_sym as zs

GAM = 0.1


def steady(net, k):
    return net.steady_state()["energies"][k]


# ------------------------------------------------------------------ paper Eqs. (2), (3), case II
@pytest.mark.parametrize("N", range(1, 9))
def test_cascaded_closed_forms_against_engine(N):
    for g in (0.002, 0.013, 0.07, 0.4):
        e = {case: steady(z.cascaded_network(N, g, GAM, 0.1, case=case, xi=0.7), N) for case in z.CASES}
        np.testing.assert_allclose(e["nr"], z.energy_nr_cascaded(N, g, GAM, xi=0.7), rtol=1e-9)
        np.testing.assert_allclose(e["r1"], z.energy_r1_cascaded(N, g, GAM, xi=0.7), rtol=1e-9)
        np.testing.assert_allclose(e["r1"], z.energy_r1_cascaded_eq2(N, g, GAM, xi=0.7), rtol=1e-9)
        np.testing.assert_allclose(e["r2"], z.energy_r2_cascaded(N, g, GAM, xi=0.7), rtol=1e-9)


def test_closed_forms_scale_with_omega_and_vectorise():
    g = np.array([0.01, 0.05, 0.2])
    for f in (z.energy_nr_cascaded, z.energy_r1_cascaded, z.energy_r1_cascaded_eq2, z.energy_r2_cascaded):
        out = f(3, g, GAM, 0.5, 2.0)
        assert out.shape == (3,)
        for gk, ok in zip(g, out):
            case = {"energy_nr_cascaded": "nr", "energy_r2_cascaded": "r2"}.get(f.__name__, "r1")
            ref = steady(z.cascaded_network(3, gk, GAM, 0.1, case=case, xi=0.5, omega=2.0), 3)
            np.testing.assert_allclose(ok, ref, rtol=1e-9)


def test_any_phase_and_couplings_against_engine():
    g1, g2 = [0.01, 0.03, 0.02], [0.02, 0.01, 0.05]
    for Gam in (0.01, 0.1, 10.0):
        th = [-1.0, 0.4, 2.5]
        net = z.cascaded_network(3, 0.02, GAM, Gam, theta=th, g1=g1, g2=g2, xi=0.3)
        np.testing.assert_allclose(steady(net, 3), z.energy_cascaded_steady(3, 0.02, GAM, Gam, theta=th, xi=0.3,
                                                                            g1=g1, g2=g2), rtol=1e-9)
        par = z.parallel_network(3, 0.02, GAM, Gam, theta=th, xi=0.3)
        for k in (1, 2, 3):
            np.testing.assert_allclose(steady(par, k), z.energy_parallel_steady(3, 0.02, GAM, Gam, theta=th, xi=0.3, k=k),
                                       rtol=1e-9)
    # arrays of phase vectors
    rng = np.random.default_rng(1)
    ths = rng.uniform(-np.pi, np.pi, (2, 3, 2))
    grid = z.energy_cascaded_steady(2, 0.01, GAM, 0.1, theta=ths)
    grid_p = z.energy_parallel_steady(2, 0.01, GAM, 0.1, theta=ths, k=2)
    assert grid.shape == grid_p.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            np.testing.assert_allclose(grid[i, j], steady(z.cascaded_network(2, 0.01, GAM, 0.1, theta=ths[i, j]), 2), rtol=1e-9)
            np.testing.assert_allclose(grid_p[i, j], steady(z.parallel_network(2, 0.01, GAM, 0.1, theta=ths[i, j]), 2),
                                       rtol=1e-9)


def test_nonreciprocal_steady_state_independent_of_Gamma():
    for Gam in (1e-4, 0.1, 1e3):
        np.testing.assert_allclose(steady(z.cascaded_network(4, 0.01, GAM, Gam), 4), z.energy_nr_cascaded(4, 0.01, GAM),
                                   rtol=1e-9)


def test_max_over_phases_against_engine_and_grid():
    th, E = z.max_over_phases("cascaded", 2, 0.01, GAM, GAM, starts=2, seed=3)
    np.testing.assert_allclose(th, [-np.pi / 2, -np.pi / 2], atol=1e-5)
    np.testing.assert_allclose(E, steady(z.cascaded_network(2, 0.01, GAM, GAM, theta=th), 2), rtol=1e-9)
    grid = np.linspace(-np.pi, np.pi, 61)
    T1, T2 = np.meshgrid(grid, grid)
    assert E >= z.energy_cascaded_steady(2, 0.01, GAM, GAM, theta=np.stack([T1, T2], -1)).max()
    th, E = z.max_over_phases("parallel", 2, 0.01, GAM, GAM, k=2, starts=[[1.4, -1.7]])
    np.testing.assert_allclose(th, [np.pi / 2, -np.pi / 2], atol=1e-5)
    np.testing.assert_allclose(E, steady(z.parallel_network(2, 0.01, GAM, GAM, theta=th), 2), rtol=1e-9)
    with pytest.raises(ValueError, match="terminal"):
        z.max_over_phases("cascaded", 3, 0.01, GAM, GAM, k=1)


# ------------------------------------------------------------------ paper Eqs. (4), (5), case II
@pytest.mark.parametrize("N", [1, 2, 4])
def test_parallel_closed_forms_against_engine(N):
    rates = np.linspace(0.05, 0.2, N)
    for g in (0.003, 0.06):
        e_nr = z.parallel_network(N, g, 0.08, 0.3, case="nr", gamma_b=rates, xi=0.4).steady_state()["energies"]
        e_r1 = z.parallel_network(N, g, 0.08, 0.3, case="r1", gamma_b=rates, xi=0.4).steady_state()["energies"]
        e_r2 = z.parallel_network(N, g, GAM, 0.3, case="r2", xi=0.4).steady_state()["energies"]
        for k in range(1, N + 1):
            np.testing.assert_allclose(e_nr[k], z.energy_nr_parallel(N, g, 0.08, rates, xi=0.4, k=k), rtol=1e-9)
            np.testing.assert_allclose(e_r1[k], z.energy_r1_parallel(N, g, 0.08, rates, xi=0.4, k=k), rtol=1e-9)
            np.testing.assert_allclose(e_r2[k], z.energy_r2_parallel(N, g, GAM, xi=0.4), rtol=1e-9)


def test_printed_eq4_against_its_sympy_transcription():
    # the printed form, evaluated from the sympy transcription of paper Eq. (4) (with {gamma} products)
    s = zs.symbols()
    rates = sp.symbols("gamma_1:4", positive=True)
    expr = zs.eq4_printed(s["gamma_c"], rates, k=2)
    vals = {s["g_b"]: 0.013, s["xi"]: 0.8, s["gamma_c"]: 0.07, rates[0]: 0.05, rates[1]: 0.11, rates[2]: 0.2}
    np.testing.assert_allclose(z.energy_r1_parallel_printed(3, 0.013, 0.07, [0.05, 0.11, 0.2], xi=0.8, k=2),
                               float(expr.subs(vals)), rtol=1e-12)
    # at N = 2, g_b/gamma = 0.1, gamma = 0.1: printed 0.1575 against 13.717 (the engine)
    np.testing.assert_allclose(z.energy_r1_parallel_printed(2, 0.01, GAM, GAM), 0.157470, rtol=1e-5)
    np.testing.assert_allclose(steady(z.parallel_network(2, 0.01, GAM, GAM, case="r1"), 1), 13.717421, rtol=1e-6)


# ------------------------------------------------------------------ gains
def test_gains_against_engine_ratios_and_exact_limits():
    for N in range(1, 7):
        assert z.gain_cascaded(N, 0.0, GAM, "r1") == 4 ** N
        assert z.gain_cascaded(N, 0.0, GAM, "r2") == 2 ** N
        assert z.gain_parallel(N, 0.0, GAM, "r1") == 4
        assert z.gain_parallel(N, 0.0, GAM, "r2") == 2
        g = np.array([1e-3, 0.01, 0.3])
        Gc = {ref: z.gain_cascaded(N, g, GAM, ref) for ref in ("r1", "r2")}
        Gp = {ref: z.gain_parallel(N, g, GAM, ref) for ref in ("r1", "r2")}
        for i, gi in enumerate(g):
            ec = {c: steady(z.cascaded_network(N, gi, GAM, 0.2, case=c), N) for c in z.CASES}
            ep = {c: steady(z.parallel_network(N, gi, GAM, 0.2, case=c), 1) for c in z.CASES}
            for ref in ("r1", "r2"):
                np.testing.assert_allclose(Gc[ref][i], ec["nr"] / ec[ref], rtol=1e-8)
                np.testing.assert_allclose(Gp[ref][i], ep["nr"] / ep[ref], rtol=1e-8)


def test_weak_coupling_forms():
    # the printed forms, evaluated directly
    for N in (1, 3, 4, 6):
        np.testing.assert_allclose(z.gain_weak_cascaded(N, 0.02), (2 ** N / (4 * N * 0.02 + 1)) ** 2, rtol=1e-14)
        np.testing.assert_allclose(z.gain_weak_parallel(N, 0.02), (2 / ((2 * N + 2) * 0.02 + 1)) ** 2, rtol=1e-14)
        # and they agree with the exact gains to first order in x
        x = 1e-5
        assert z.gain_cascaded(N, x, 1.0) == pytest.approx(z.gain_weak_cascaded(N, x), rel=1e-6)
        assert z.gain_parallel(N, x, 1.0) == pytest.approx(z.gain_weak_parallel(N, x), rel=1e-6)


def test_crossing_is_where_engine_energies_agree():
    for N in (1, 3, 4):
        u = z.crossing_r1_r2(N)
        e1 = steady(z.cascaded_network(N, u * GAM, GAM, 0.1, case="r1"), N)
        e2 = steady(z.cascaded_network(N, u * GAM, GAM, 0.1, case="r2"), N)
        np.testing.assert_allclose(e1, e2, rtol=1e-9)
        assert z.gain_cascaded(N, 0.9 * u * GAM, GAM, "r1") > z.gain_cascaded(N, 0.9 * u * GAM, GAM, "r2")
        assert z.gain_cascaded(N, 1.1 * u * GAM, GAM, "r1") < z.gain_cascaded(N, 1.1 * u * GAM, GAM, "r2")


# ------------------------------------------------------------------ paper Eq. (2) coefficients
def test_a_b_coefficients_are_tiling_counts():
    s = zs.symbols()
    for N in range(1, 9):
        poly = sp.Poly(sp.expand(2 ** (N + 1) * zs.dimer_sum(N + 1)), s["g_b"], s["gamma"])
        if N % 2:
            for j in range((N + 1) // 2 + 1):
                assert z.a_coeff(N, j) == poly.coeff_monomial(s["g_b"] ** (N + 1 - 2 * j) * s["gamma"] ** (2 * j))
        else:
            for j in range(N // 2 + 1):
                assert z.b_coeff(N, j) == poly.coeff_monomial(s["g_b"] ** (N - 2 * j) * s["gamma"] ** (2 * j + 1))
    assert z.a_coeff(1, 0) != z.a_coeff(3, 0)            # "constants" that depend on N


def test_continuant_against_determinant():
    rng = np.random.default_rng(0)
    for n in (1, 2, 5):
        d = rng.normal(size=n) + 1j * rng.normal(size=n)
        up = rng.normal(size=n - 1) + 1j * rng.normal(size=n - 1)
        lo = rng.normal(size=n - 1) + 1j * rng.normal(size=n - 1)
        M = np.diag(d) + np.diag(up, 1) + np.diag(lo, -1)
        np.testing.assert_allclose(z.continuant(list(d), list(up * lo)), np.linalg.det(M), rtol=1e-12)


# ------------------------------------------------------------------ Fig. 2(f)
def test_g_opt_against_numerical_maximum():
    for N in (1, 2, 3, 7):
        res = minimize_scalar(lambda t: -np.log(z.energy_nr_cascaded(N, np.exp(t), GAM)), bounds=(-8, 2),
                              method="bounded", options={"xatol": 1e-12})
        np.testing.assert_allclose(z.g_opt_nr(N, GAM), np.exp(res.x), rtol=1e-7)


def test_max_energy_r1_against_engine_and_sympy():
    g1, e1 = z.max_energy_r1_cascaded(1, GAM, xi=0.5)
    np.testing.assert_allclose(g1, GAM / 2, rtol=1e-7)                # d/dg [g/(gamma^2/4 + g^2)] = 0
    for N in (3, 5):
        g_m, E_m = z.max_energy_r1_cascaded(N, GAM, xi=0.5)
        np.testing.assert_allclose(steady(z.cascaded_network(N, g_m, GAM, 0.1, case="r1", xi=0.5), N), E_m, rtol=1e-9)
        # the stationary point of the sympy transcription of paper Eq. (2)
        s = zs.symbols()
        e = zs.eq2_printed(N).subs({s["gamma"]: GAM, s["xi"]: 0.5})
        root = sp.nsolve(sp.diff(sp.log(e), s["g_b"]), s["g_b"], g_m, prec=30)
        np.testing.assert_allclose(g_m, float(root), rtol=1e-7)


def test_max_energy_ratio_slope_and_limit():
    assert z.max_energy_ratio(1) == pytest.approx(1.0, abs=1e-12)
    # N = 3 from sympy: maxima of paper Eqs. (3) and (2)
    s = zs.symbols()
    e3 = zs.eq3(3).subs({s["gamma"]: 1, s["xi"]: 1})
    e2 = zs.eq2_printed(3).subs({s["gamma"]: 1, s["xi"]: 1})
    g3 = sp.nsolve(sp.diff(sp.log(e3), s["g_b"]), s["g_b"], 1.0, prec=30)
    g2 = sp.nsolve(sp.diff(sp.log(e2), s["g_b"]), s["g_b"], 1.0, prec=30)
    np.testing.assert_allclose(z.max_energy_ratio(3), float(e3.subs(s["g_b"], g3) / e2.subs(s["g_b"], g2)), rtol=1e-10)
    # slope: least squares through (0, 1) over odd N <= 9
    s9, Ns, r = z.log_slope_fit(9)
    assert list(Ns) == [1, 3, 5, 7, 9]
    np.testing.assert_allclose(r, [z.max_energy_ratio(int(n)) for n in Ns], rtol=1e-12)
    L = np.log(Ns)[:, None]
    np.testing.assert_allclose(s9, np.linalg.lstsq(L, r - 1, rcond=None)[0][0], rtol=1e-10)
    assert z.log_slope_fit(7, N_min=3)[1].tolist() == [3, 5, 7]
    # the large-N limit: Richardson extrapolation of the exact ratios (error ~ 1/N)
    lim = 2 * z.max_energy_ratio(4001) - z.max_energy_ratio(2001)
    assert abs(z.max_energy_ratio_limit() - lim) < 5e-6


# ------------------------------------------------------------------ unequal splits g1 != g2 (one-way)
def test_split_couplings_are_one_way_with_the_given_dampings():
    x = np.array([0.004, 0.03])
    g1, g2 = z.split_couplings(0.01, 0.3, x)
    net = z.cascaded_network(2, 0.01, GAM, 0.3, g1=g1, g2=g2)
    A = net.eliminated_drift([0, 1, 2])
    np.testing.assert_allclose([A[0, 1], A[1, 2]], 0, atol=1e-15)             # no backflow
    np.testing.assert_allclose(A[1, 0], -2 * 0.01, rtol=1e-12)
    np.testing.assert_allclose(-A[0, 0].real - GAM / 2, x[0], rtol=1e-12)      # source damping x_1
    np.testing.assert_allclose(-A[1, 1].real - GAM / 2, 0.01 ** 2 / x[0] + x[1], rtol=1e-12)


def test_split_energy_against_engine():
    for N, x in ((1, [0.03]), (3, [0.004, 0.02, 0.05])):
        g1, g2 = z.split_couplings(0.02, 0.5, x)
        e = steady(z.cascaded_network(N, 0.02, GAM, 0.5, g1=g1, g2=g2, xi=0.6), N)
        np.testing.assert_allclose(z.energy_split_cascaded(N, 0.02, GAM, x, xi=0.6), e, rtol=1e-9)
    np.testing.assert_allclose(z.energy_split_cascaded(4, 0.02, GAM, 0.02), z.energy_nr_cascaded(4, 0.02, GAM), rtol=1e-12)


def test_optimal_split_against_closed_forms_and_brute_force():
    s = zs.symbols()
    for N in (1, 2, 3):
        for xr in (0.1, 0.5):
            g = xr * GAM
            r_sym = [float(r.subs(s["v"], GAM / (2 * g))) for r in zs.split_optimum(N)]
            np.testing.assert_allclose(z.optimal_split_cascaded(N, g, GAM) / g, r_sym, rtol=1e-10)
    # N = 5: a generic optimiser on the engine's explicit network
    g = 0.05
    x = z.optimal_split_cascaded(5, g, GAM)
    np.testing.assert_allclose(x * x[::-1], g ** 2, rtol=1e-10)                 # mirror symmetry
    f = lambda sv: -np.log(z.energy_split_cascaded(5, g, GAM, g * np.exp(sv)))
    res = minimize(f, np.zeros(5), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 20000})
    np.testing.assert_allclose(x, g * np.exp(res.x), rtol=1e-5)


def test_referee_split_gains_with_explicit_modes():
    # N = 2: +0.47 % at g_b/gamma = 0.1, +17 % at 0.5 over g1 = g2 (engine, explicit a_k)
    gains = []
    for xr in (0.1, 0.5):
        g = xr * GAM
        g1, g2 = z.split_couplings(g, GAM, z.optimal_split_cascaded(2, g, GAM))
        gains.append(steady(z.cascaded_network(2, g, GAM, GAM, g1=g1, g2=g2), 2) / steady(z.cascaded_network(2, g, GAM, GAM), 2))
    np.testing.assert_allclose(np.array(gains) - 1, [0.004749, 0.170809], rtol=1e-3)


def test_max_energy_nr_split_against_joint_search():
    g, E, x = z.max_energy_nr_split(3, GAM, xi=0.5)
    g1, g2 = z.split_couplings(g, 0.2, x)
    np.testing.assert_allclose(steady(z.cascaded_network(3, g, GAM, 0.2, g1=g1, g2=g2, xi=0.5), 3), E, rtol=1e-9)
    f = lambda p: -np.log(z.energy_split_cascaded(3, GAM * np.exp(p[0]), GAM, GAM * np.exp(p[0] + p[1:]), xi=0.5))
    res = minimize(f, np.zeros(4), method="Nelder-Mead", options={"xatol": 1e-11, "fatol": 1e-15, "maxiter": 40000})
    np.testing.assert_allclose(g, GAM * np.exp(res.x[0]), rtol=1e-5)
    np.testing.assert_allclose(E, np.exp(-res.fun), rtol=1e-9)
    np.testing.assert_allclose(x, GAM * np.exp(res.x[0] + res.x[1:]), rtol=1e-4)


# ------------------------------------------------------------------ charging power
def _one_way_dimer(g, gam, xi, t):
    """Analytic E(t) of the shared-bath one-way dimer c -> b (equal decay kappa = gam/2 + g)."""
    k = gam / 2 + g
    c_ss = xi / k                                   # |c(t)| = c_ss (1 - e^{-kt})
    zz = k * np.asarray(t, dtype=float)
    # (1 - e^{-kt})/k - t e^{-kt} = e^{-kt} (e^{kt} - 1 - kt) / k, by its series where kt is small
    series = sum(zz ** n / np.prod(np.arange(1, n + 1, dtype=float)) for n in range(2, 16))
    phi = np.where(zz < 0.1, series, np.expm1(zz) - zz)
    b = 2 * g * c_ss * np.exp(-zz) * phi / k
    return b ** 2


def test_charging_power_against_analytic_solution():
    g, xi = 0.02, 0.3
    net = z.shared_bath_cascaded_network(1, g, GAM, xi=xi)
    t = np.array([0.0, 1e-3, 0.5, 7.0, 40.0, 300.0])
    P = z.charging_power(net, 1, t)
    np.testing.assert_allclose(P[2:], _one_way_dimer(g, GAM, xi, t[2:]) / t[2:], rtol=1e-8)
    # at t = 1e-3 the engine subtracts two amplitudes of order 1 to get 1e-8: round-off ~ 1e-8 relative
    np.testing.assert_allclose(P[1], _one_way_dimer(g, GAM, xi, t[1]) / t[1], rtol=1e-6)
    assert P[0] == 0.0                                           # E ~ g^2 xi^2 t^4 at small t
    np.testing.assert_allclose(P[1] / (g ** 2 * xi ** 2 * 1e-9), 1.0, rtol=1e-3)


def test_small_time_power_exact_coefficients():
    from math import factorial
    g, xi = 0.02, 0.3
    assert z.small_time_power(z.shared_bath_cascaded_network(1, g, GAM, xi=xi), 1) == (2, pytest.approx(g ** 2 * xi ** 2, rel=1e-12))
    assert z.small_time_power(z.triangle(g, GAM, GAM, GAM, xi=xi), 1) == (2, pytest.approx(g ** 2 * xi ** 2 / 4, rel=1e-12))
    for N in (1, 3):   # reciprocal chain: the drive reaches b_N after N hops of modulus g
        m, C = z.small_time_power(z.cascaded_network(N, g, GAM, GAM, case="r1", xi=xi, omega=2.0), N)
        assert m == N + 1
        np.testing.assert_allclose(C, 2.0 * g ** (2 * N) * xi ** 2 / factorial(N + 1) ** 2, rtol=1e-12)
    # and it is the limit of E(t)/t: the relative correction falls linearly with t
    net = z.parallel_network(2, 0.01, GAM, 1.0)
    m, C = z.small_time_power(net, 1)
    r = z.charging_power(net, 1, [1e-3, 1e-2]) / (C * np.array([1e-3, 1e-2]) ** (2 * m - 1)) - 1
    np.testing.assert_allclose(r[1] / r[0], 10, rtol=2e-2)
    with pytest.raises(ValueError, match="noise"):
        z.small_time_power(z.cascaded_network(1, g, GAM, 0.3, n_th_intermediate=1.0), 1)
    with pytest.raises(ValueError, match="vacuum"):
        z.small_time_power(z.triangle(g, GAM, GAM, GAM).__class__(np.zeros((1, 1)), loss=[0.1], drive=[1.0],
                                                                  alpha0=[0.5]), 0)


def test_power_limit_at_t0_thermal_and_charged():
    net = z.cascaded_network(2, 0.01, GAM, 0.3, n_th_intermediate=2.0)
    p0 = z.charging_power(net, 3, [0.0])[0]
    assert p0 == pytest.approx(0.3 * 2.0, rel=1e-12)             # omega Gamma n_th, from the parameters
    from nrqb.engine.builder import NetworkBuilder
    nb = NetworkBuilder().mode("c", loss=GAM).mode("b", loss=GAM)
    nb.drive("c", 1.0)
    nb.hop("b", "c", 0.01)
    assert np.isinf(z.charging_power(nb.build(alpha0=[0.0, 0.5]), 1, [0.0])[0])


def test_max_power_against_analytic_maximum():
    g, xi = 0.02, 0.3
    net = z.shared_bath_cascaded_network(1, g, GAM, xi=xi)
    ts, pm = z.max_power(net, 1, 500.0)
    res = minimize_scalar(lambda lt: -_one_way_dimer(g, GAM, xi, np.exp(lt)) / np.exp(lt), bounds=(0, 6),
                          method="bounded", options={"xatol": 1e-12})
    np.testing.assert_allclose(ts, np.exp(res.x), rtol=1e-6)
    np.testing.assert_allclose(pm, -res.fun, rtol=1e-10)
    # a thermal mode: the supremum is the t -> 0 limit, reported as t* = 0
    th = z.cascaded_network(1, 0.01, GAM, 0.3, n_th_intermediate=1.0)
    assert z.max_power(th, 2, 100.0) == (0.0, pytest.approx(0.3, rel=1e-12))


def test_power_gains_against_dense_grid():
    N, gam, g = 2, 5e-4, 0.05 * 5e-4
    eta = z.power_gains("cascaded", N, g, gam, 1.0, 2e5)
    Pm = {}
    for c in z.CASES:
        net = z.cascaded_network(N, g, gam, 1.0, case=c)
        t = np.linspace(1.0, 2e5, 4001)
        E = net.energies(t)[:, N] / t
        i = int(np.argmax(E))
        tf = np.linspace(t[max(i - 1, 0)], t[i + 1], 4001)
        Pm[c] = np.max(net.energies(tf)[:, N] / tf)
    np.testing.assert_allclose(eta, [Pm["nr"] / Pm["r1"], Pm["nr"] / Pm["r2"]], rtol=1e-6)
    lim = z.power_gains_weak_limit("cascaded", 2, 5e-4, 1.0, 2e5)
    np.testing.assert_allclose(lim, [16, 4], rtol=2e-4)
    lim = z.power_gains_weak_limit("parallel", 2, 5e-4, 1.0, 2e5)
    np.testing.assert_allclose(lim, [4, 2], rtol=2e-4)


# ------------------------------------------------------------------ networks and the explorer
def test_shared_bath_equals_eliminated_triangles():
    for N in (1, 3):
        sb = z.shared_bath_cascaded_network(N, 0.02, GAM, xi=0.4)
        ab = z.cascaded_network(N, 0.02, GAM, 0.1, xi=0.4)
        np.testing.assert_allclose(sb.drift, ab.eliminated_drift(range(N + 1)), atol=1e-14)
        np.testing.assert_allclose(steady(sb, N), z.energy_nr_cascaded(N, 0.02, GAM, xi=0.4), rtol=1e-9)
    sbp = z.shared_bath_parallel_network(3, 0.02, GAM, xi=0.4)
    np.testing.assert_allclose(sbp.steady_state()["energies"][1:], z.energy_nr_parallel(3, 0.02, GAM, GAM, xi=0.4),
                               rtol=1e-9)


def test_builders_name_the_modes_and_battery_index():
    nb = z.cascaded_builder(3, 0.01, GAM, GAM)
    assert nb.names == ["c", "b1", "b2", "b3", "a1", "a2", "a3"]
    assert [nb.index(f"b{k}") for k in (1, 2, 3)] == [z.battery_index(k) for k in (1, 2, 3)]
    assert z.parallel_builder(2, 0.01, GAM, GAM, case="r1").names == ["c", "b1", "b2"]
    tri = z.triangle(0.01, 0.2, 0.1, 0.3)
    np.testing.assert_allclose(np.diag(tri.drift).real, [-0.1, -0.05, -0.15])             # gamma_c/2, gamma_b/2, Gamma/2


def test_explorer_draws_the_engine_curves():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = z.explore_chain(2, 0.1, 1.0, t_max=100.0)
    lines = fig.axes[0].get_lines()
    t = np.linspace(0, 100.0, 151)
    g = 0.1 * GAM
    np.testing.assert_allclose(lines[0].get_ydata()[1:], z.cascaded_network(2, g, GAM, GAM).energies(t[1:])[:, 2], rtol=1e-12)
    np.testing.assert_allclose(lines[-1].get_ydata()[0], z.energy_nr_cascaded(2, g, GAM), rtol=1e-12)
    plt.close(fig)


# ------------------------------------------------------------------ the star below the reciprocal star
@pytest.mark.parametrize("N", (2, 4, 10))
def test_parallel_gain_window_against_engine(N):
    lo, hi = z.parallel_gain_window(N)
    G = lambda u: steady(z.parallel_network(N, u * GAM, GAM, 0.3), 1) / steady(  # noqa: E731
        z.parallel_network(N, u * GAM, GAM, 0.3, case="r1"), 1)
    np.testing.assert_allclose([G(lo), G(hi)], [1.0, 1.0], rtol=1e-10)
    assert all(G(u) < 1 for u in np.linspace(lo, hi, 9)[1:-1])
    assert G(0.9 * lo) > 1 and G(1.2 * hi) > 1
    assert z.parallel_gain_window(1) == (0.5, 0.5)


def test_split_star_against_engine_and_search():
    N, g = 4, 0.02
    sig = z.optimal_split_parallel(N, g)
    g1, g2 = z.split_couplings(g, 0.3, np.full(N, sig))
    e = steady(z.parallel_network(N, g, GAM, 0.3, g1=g1, g2=g2, xi=0.6), 3)
    np.testing.assert_allclose(z.energy_split_parallel(N, g, GAM, sig, xi=0.6, k=3), e, rtol=1e-9)
    # unequal splits, battery 2, against the engine
    sg = [0.01, 0.03, 0.005, 0.02]
    g1, g2 = z.split_couplings(g, 0.3, sg)
    e = steady(z.parallel_network(N, g, GAM, 0.3, g1=g1, g2=g2), 2)
    np.testing.assert_allclose(z.energy_split_parallel(N, g, GAM, sg, k=2), e, rtol=1e-9)
    # the optimum of the common split, by a scalar search
    res = minimize_scalar(lambda t: -z.energy_split_parallel(N, g, GAM, np.exp(t)), bounds=(np.log(1e-4), 0.0),
                          method="bounded", options={"xatol": 1e-12})
    np.testing.assert_allclose(sig, np.exp(res.x), rtol=1e-6)
    # and at sigma = g_b it is paper Eq. (5)
    np.testing.assert_allclose(z.energy_split_parallel(N, g, GAM, g), z.energy_nr_parallel(N, g, GAM, GAM), rtol=1e-13)
    # with the optimal split the one-way star never loses to case I; equality at g_b/gamma = 1/(2 sqrt N)
    for u in (0.05, 0.1, 1 / (2 * np.sqrt(N)), 0.4):
        Gopt = z.energy_split_parallel(N, u * GAM, GAM, z.optimal_split_parallel(N, u * GAM)) / z.energy_r1_parallel(
            N, u * GAM, GAM, GAM)
        assert Gopt >= 1 - 1e-12
    u0 = 1 / (2 * np.sqrt(N))
    np.testing.assert_allclose(z.energy_split_parallel(N, u0 * GAM, GAM, z.optimal_split_parallel(N, u0 * GAM)),
                               z.energy_r1_parallel(N, u0 * GAM, GAM, GAM), rtol=1e-12)


# ------------------------------------------------------------------ growth with N, validity of weak forms, crossing
def test_gain_growth_per_battery_against_long_chains():
    x = np.array([0.01, 0.1, 1.0])
    ratio = z.gain_cascaded(401, x * GAM, GAM) / z.gain_cascaded(400, x * GAM, GAM)
    np.testing.assert_allclose(z.gain_growth_per_battery(x), ratio, rtol=1e-10)
    assert z.gain_growth_per_battery(0.0) == 4.0
    factor = zs.r1_growth()[2]                      # sympy, evaluated to 30 digits at strong coupling
    for u in (30.0, 1e4):
        np.testing.assert_allclose(z.gain_growth_per_battery(u), float(sp.N(factor.subs(zs.symbols()["x"], u) ** 2, 30)),
                                   rtol=1e-14)


def test_weak_form_validity_against_sympy():
    for N, topo, rel in ((3, "cascaded", 0.1), (4, "cascaded", 0.01), (2, "parallel", 0.1)):
        u = z.weak_form_validity(N, rel, topo)
        if topo == "cascaded":
            exact = float(zs.sqrt_gain_cascaded(N).subs(zs.symbols()["x"], u)) ** 2
            weak = (2 ** N / (4 * N * u + 1)) ** 2
        else:
            exact = z.gain_parallel(N, u, 1.0)
            weak = (2 / ((2 * N + 2) * u + 1)) ** 2
        np.testing.assert_allclose(abs(weak / exact - 1), rel, rtol=1e-8)
        below = np.linspace(0.01, 0.99, 9) * u
        assert np.all(np.abs(z.gain_weak_cascaded(N, below) / z.gain_cascaded(N, below, 1.0) - 1) < rel) \
            if topo == "cascaded" else True
    assert z.weak_form_validity(1, 10.0) == np.inf


def test_crossing_limit_against_long_chains():
    c1, c2 = z.crossing_r1_r2(2000), z.crossing_r1_r2(4000)
    np.testing.assert_allclose(2 * c2 - c1, z.crossing_r1_r2_limit(), rtol=1e-7)
    assert z.crossing_r1_r2(10) > 0.12 > z.crossing_r1_r2(9)


# ------------------------------------------------------------------ exact g_b -> 0 limit of the power gains
def test_power_gains_leading_order_against_engine_extrapolation():
    np.testing.assert_allclose(z.power_gains_leading_order("cascaded", 1, 5e-4, 1.0),
                               z.power_gains_weak_limit("cascaded", 1, 5e-4, 1.0, 2e5), rtol=2e-6)
    np.testing.assert_allclose(z.power_gains_leading_order("parallel", 3, 5e-4, 1.0),
                               z.power_gains_weak_limit("parallel", 3, 5e-4, 1.0, 2e5), rtol=3e-5)
    np.testing.assert_allclose(z.power_gains_leading_order("cascaded", 3, 5e-4, 1.0),
                               z.power_gains_weak_limit("cascaded", 3, 5e-4, 1.0, 2e5), rtol=5e-5)


def test_power_gains_leading_order_limits_and_offset():
    for N in (1, 3):
        np.testing.assert_allclose(z.power_gains_leading_order("cascaded", N, 1e-3, 1e5), [4 ** N, 2 ** N], rtol=1e-7)
    # the filtering by the intermediate modes: eta_N1 below 4^N by O(gamma/Gamma), eta_N2 by O((gamma/Gamma)^2)
    d = [z.power_gains_leading_order("cascaded", 2, 5e-4, G) / [16, 4] - 1 for G in (1.0, 10.0)]
    assert -2e-4 < d[0][0] < -5e-5 and -1e-7 < d[0][1] < 0
    np.testing.assert_allclose(d[0][0] / d[1][0], 10, rtol=0.02)
    np.testing.assert_allclose(d[0][1] / d[1][1], 100, rtol=0.05)


# ------------------------------------------------------------------ link-uniform splits, star power limits
@pytest.mark.parametrize("N", [1, 3, 6])
def test_optimal_uniform_split_against_brute_force_and_closed_forms(N):
    for x in (0.1, 0.5, 2.0):
        g = x * GAM
        s_c = z.optimal_uniform_split("cascaded", N, g, GAM)
        s_p = z.optimal_uniform_split("parallel", N, g, GAM)
        np.testing.assert_allclose(s_c, g, rtol=1e-6)                      # chain: g1 = g2 (sympy: rho -> 1/rho symmetry)
        np.testing.assert_allclose(s_p, g / np.sqrt(N), rtol=1e-6)         # star: sigma = g_b / sqrt(N)
        grid = g * np.geomspace(0.2, 5, 2001)                               # brute force on the engine-free closed form
        e_c = [z.energy_split_cascaded(N, g, GAM, np.full(N, s)) for s in grid]
        e_p = [z.energy_split_parallel(N, g, GAM, np.full(N, s)) for s in grid]
        assert abs(grid[int(np.argmax(e_c))] / s_c - 1) < 2e-3 and abs(grid[int(np.argmax(e_p))] / s_p - 1) < 2e-3
    if N > 1:    # the engine with explicit intermediate modes: the uniform optimum of the star beats g1 = g2
        g1, g2 = z.split_couplings(0.05 * GAM, 0.1, np.full(N, s_p / x * 0.05))
        e_opt = steady(z.parallel_network(N, 0.05 * GAM, GAM, 0.1, g1=g1, g2=g2), 1)
        np.testing.assert_allclose(e_opt, z.energy_split_parallel(N, 0.05 * GAM, GAM, s_p / x * 0.05), rtol=1e-9)


def test_optimal_uniform_split_bad_input():
    with pytest.raises(ValueError, match="topology"):
        z.optimal_uniform_split("ring", 3, 0.01, GAM)
    with pytest.raises(ValueError, match="g_b"):
        z.optimal_uniform_split("cascaded", 3, -0.01, GAM)
    with pytest.raises(ValueError, match="gamma"):
        z.optimal_uniform_split("parallel", 3, 0.01, np.nan)


@pytest.mark.parametrize("N", [1, 2, 3, 6])
def test_star_power_limits_any_N(N):
    lead = z.power_gains_leading_order("parallel", N, 5e-4, 1.0)
    ext = z.power_gains_weak_limit("parallel", N, 5e-4, 1.0, 2e5)         # engine, explicit a_k, extrapolated
    np.testing.assert_allclose(ext, lead, rtol=5e-5)
    assert 3.999 < lead[0] < 4 and abs(lead[1] / 2 - 1) < 1e-6
