"""Time propagation at every edge: any grid, t = 0 to inf, marginal networks, merging decay rates.

References are independent of the engine's propagation: 40-digit mpmath exponentials of
augmented generators (``engine_refs.mp_moments``), ``solve_ivp`` at tight tolerances, and
closed forms.  Each test names the issue-11 reproducer it guards where there is one.
"""

import numpy as np
import pytest
from engine_refs import mp_moments, ode_moments

from nrqb import LinearNetwork, NetworkBuilder
from nrqb.engine import propagation
from nrqb.engine.network import MARGINAL_HORIZON, RESOLUTION
from nrqb.papers import ahmadi


def thermal_pair():
    """Issue 11: ``energies(np.linspace(60, 0, 5))[-1]`` was -1.2e18 (exact 0)."""
    return LinearNetwork([[0, 0.1], [0.1, 0]], loss=[2, 0.01], n_th=1)


def near_ep_chain():
    """Two modes near their exceptional point (g = (k1 - k2)/4 (1 + 1e-6)), zero temperature."""
    k1, k2 = 1.0, 0.02
    g = (k1 - k2) / 4 * (1 + 1e-6)
    return LinearNetwork([[0, g], [g, 0]], loss=[k1, k2], drive=[0.3, 0])


def energies_ref(net, t, **kw):
    alpha, N, _ = mp_moments(net, t, **kw)
    return (np.abs(alpha) ** 2 + np.real(np.diag(N))) * net.omega


# ------------------------------------------------------------------------- grids
@pytest.mark.parametrize("make", [thermal_pair, near_ep_chain])
def test_backward_grid_is_exact(make):
    net = make()
    back = np.linspace(60, 0, 5)
    E = net.energies(back)
    ref = np.array([energies_ref(net, t) for t in back])
    np.testing.assert_allclose(E, ref, rtol=1e-12, atol=1e-300)
    assert np.all(E[-1] == 0.0)  # t = 0: the vacuum, exactly


def test_any_order_with_repeats_matches_each_time_alone():
    net = LinearNetwork([[0.1, 0.05j], [-0.05j, -0.2]], loss=[0.3, 0.1], jumps=[(0.2, [1, 1j])],
                        drive=[0.2, 0.1j], n_th=[0.3, 0.1, 0.5], squeezing=(0.3, 0.4))
    t = np.array([5.0, 0.0, 5.0, 2.5, 100.0, 0.0, 2.5, 1e-9])
    E = net.energies(t)
    alone = np.array([net.energies([tk])[0] for tk in t])
    np.testing.assert_allclose(E, alone, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(E[0], E[2])
    ref = np.array([energies_ref(net, tk) for tk in t])
    np.testing.assert_allclose(E, ref, rtol=1e-11, atol=1e-20)


def test_uniform_nonuniform_and_geometric_grids_agree_with_ode():
    """The three internal routes: one shared step (linspace), a stepping loop, and many distinct
    steps with the steady-state difference form (geomspace) where it does not cancel."""
    net = (NetworkBuilder().mode("a", loss=0.02, detuning=0.01).mode("b", loss=0.003)
           .mode("c", loss=0.01).drive("a", 0.05).nonreciprocal_link("a", "b", 0.04)
           .hop("b", "c", 0.02).build(n_th=0.4, squeezing=(0.2, 1.0)))
    grids = {
        "uniform": np.linspace(0, 600, 61),
        "perturbed": np.linspace(0, 600, 61) + np.r_[0, 1e-3 * np.sin(np.arange(1, 61))],
        "geometric": np.geomspace(1e-4, 600, 40),
    }
    for name, t in grids.items():
        alpha, N, M = net.moments(t)
        ra, rN, rM = ode_moments(net, t)
        scale = np.max(np.abs(rN))
        np.testing.assert_allclose(alpha, ra, rtol=0, atol=1e-9 * np.max(np.abs(ra)), err_msg=name)
        np.testing.assert_allclose(N, rN, rtol=0, atol=1e-9 * scale, err_msg=name)
        np.testing.assert_allclose(M, rM, rtol=0, atol=1e-9 * scale, err_msg=name)
    # short steps at early times keep their relative accuracy (no X_ss - E X_ss E^T cancellation)
    t = np.geomspace(1e-7, 1e-3, 12)
    _, N, _ = net.moments(t)
    ref = np.array([mp_moments(net, tk)[1] for tk in t[[0, 5, 11]]])
    np.testing.assert_allclose(N[[0, 5, 11]], ref, rtol=1e-12, atol=0)


# ------------------------------------------------------------------------- t = inf and huge t
def test_huge_times_and_inf_give_the_steady_state():
    """Issue 11: t = 1e100 gave 0.089 (steady 0.589), t = 1e40 gave NaN."""
    net = LinearNetwork([[0.2, 0.1], [0.1, -0.1]], loss=[0.5, 0.01], drive=[0.3, 0], n_th=[0.4, 0.2],
                        squeezing=(0.3, 0.2))
    ss = net.steady_state()
    t = np.array([1e100, 1e40, np.inf, 1e6, 0.0, np.inf])
    E = net.energies(t)
    for k in (0, 1, 2, 3, 5):
        np.testing.assert_allclose(E[k], ss["energies"], rtol=1e-12)
    # the steady state against an independent route: the ODE integrated far out
    ra, rN, _ = ode_moments(net, [4000.0])
    np.testing.assert_allclose(ss["energies"], np.abs(ra[0]) ** 2 + np.real(np.diag(rN[0])), rtol=1e-9)
    assert np.all(net.power([np.inf]) == 0.0)  # the derivative of a constant, exactly
    np.testing.assert_allclose(net.power([1e300]), 0.0, atol=1e-14 * np.max(ss["energies"]))
    V = net.covariance([np.inf])[0]
    np.testing.assert_allclose(V, ss["covariance"], rtol=1e-12, atol=1e-15)


def test_negative_nan_and_minus_inf_times_raise_naming_t():
    net = thermal_pair()
    for bad in ([-1.0], [0.0, -1e-300], [np.nan], [-np.inf], -2.0):
        for method in (net.energies, net.amplitudes, net.moments, net.fluctuations, net.power,
                       net.covariance, net.occupations):
            with pytest.raises(ValueError, match=r"\bt\b"):
                method(bad)
        with pytest.raises(ValueError, match=r"\bt\b"):
            net.ergotropy(bad, 0)


# ------------------------------------------------------------------------- marginal networks
def dark_pair(**kw):
    """Issue 11: a dark mode a - b; energies were 1e-3 off at t = 30 and [2, 0] at t = 40."""
    return LinearNetwork(np.zeros((2, 2)), jumps=[(1, [1, 1])], n_th=1, **kw)


def test_dark_mode_thermal_energies_are_exact():
    net = dark_pair()
    assert not net.is_stable()
    t = np.array([0.0, 1e-8, 1.0, 30.0, 35.0, 40.0, 1e3, 1e6, 1e8])
    exact = 0.5 * -np.expm1(-2 * t)
    np.testing.assert_allclose(net.energies(t), np.c_[exact, exact], rtol=1e-12, atol=0)


def test_dark_mode_driven_grows_linearly_and_bright_mode_saturates():
    f = 0.1
    # drive on the dark combination (a - b)/sqrt(2): free linear growth alpha = -i F t
    net = LinearNetwork(np.zeros((2, 2)), jumps=[(1, [1, 1])], drive=[f, -f])
    t = np.array([0.0, 1.0, 50.0, 1e4, 1e7])
    np.testing.assert_allclose(net.amplitudes(t), np.c_[-1j * f * t, 1j * f * t], rtol=1e-12, atol=0)
    # on the bright combination: the bright mode decays at rate 1 (drift -1) and saturates
    net = LinearNetwork(np.zeros((2, 2)), jumps=[(1, [1, 1])], drive=[f, f])
    bright = -1j * f * np.sqrt(2) * -np.expm1(-t)  # alpha_bright = -i sqrt(2) f (1 - e^{-t})
    np.testing.assert_allclose(net.amplitudes(t), np.c_[bright, bright] / np.sqrt(2), rtol=1e-12, atol=0)


def test_other_marginal_cases_are_exact_and_raise_no_linalg_error():
    # a free rotating mode next to a lossy thermal one, starting displaced
    net = LinearNetwork(np.diag([0.7, 0.0]), loss=[0.0, 1.0], n_th=[0.0, 0.5], alpha0=[1.0 + 0.5j, 0])
    t = np.array([0.0, 3.0, 1e3, 1e6])
    np.testing.assert_allclose(net.amplitudes(t)[:, 0], (1 + 0.5j) * np.exp(-0.7j * t), rtol=1e-9)
    np.testing.assert_allclose(net.occupations(t)[:, 1], 0.5 * -np.expm1(-t), rtol=1e-12)
    # a rotating dark superposition of three modes, with noise, driven: 40-digit reference
    U, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(3, 3)) + 1j)
    h = U @ np.diag([0.7, 0.1, -0.3]) @ U.conj().T
    c = U[:, 1] + 0.5j * U[:, 2]  # a jump that misses the first eigenmode of h: it stays dark
    net = LinearNetwork(h, jumps=[(0.4, c.conj()), (0.2, U[:, 2].conj())], drive=[0.1, 0.2j, 0],
                        n_th=[0, 0, 0, 0.3, 0.6], squeezing=(0.2, 0.5), alpha0=[0.2, 0, 0.1j])
    assert not net.is_stable()
    for tk in (10.0, 2e3):
        a, N, M = mp_moments(net, tk, alpha0=[0.2, 0, 0.1j])
        ea, eN, eM = net.moments([tk])
        for got, ref in ((ea[0], a), (eN[0], N), (eM[0], M)):
            np.testing.assert_allclose(got, ref, rtol=0, atol=1e-11 * np.max(np.abs(ref)))


def test_marginal_network_refuses_inf_but_not_huge_finite_times():
    net = dark_pair()
    with pytest.raises(ValueError, match=r"t = inf.*no steady state"):
        net.energies([1.0, np.inf])
    with pytest.raises(ValueError, match=r"no steady state"):
        net.steady_state()
    # the dark subspace evolves by exact phases: no precision horizon
    np.testing.assert_allclose(net.energies([1e15, 1e300]), 0.5, rtol=1e-14)
    # a purely Hamiltonian network is all dark: exact unitary evolution
    free = LinearNetwork([[0.3, 0.1], [0.1, -0.2]], drive=[0.01, 0], alpha0=[1.0, 0.0])
    w, V = np.linalg.eigh(free.hamiltonian)
    t = np.array([0.0, 7.0, 1e5])
    a_ss = np.linalg.solve(free.drift, 1j * free.drive)  # exists: the drift is invertible
    a = (V @ (np.exp(-1j * np.outer(t, w)) * (V.conj().T @ (np.array([1.0, 0.0]) - a_ss))).T).T + a_ss
    np.testing.assert_allclose(free.amplitudes(t), a, rtol=0, atol=1e-9)


def test_marginal_fallback_without_a_dark_subspace_has_a_precision_horizon():
    """If no dark subspace is found for a network called marginal, plain doubling is used and
    times whose round-off would exceed ~1e-8 are refused (forced here: the split is withheld)."""
    net = dark_pair()
    net._split_cache = None
    net._stable = False  # as if round-off had put the dark eigenvalue at Re >= 0
    t_max = MARGINAL_HORIZON / np.linalg.norm(net.drift)
    np.testing.assert_allclose(net.energies([1e3])[0], 0.5, rtol=1e-12)
    net.energies([0.9 * t_max])
    with pytest.raises(ValueError, match=r"^t = .*precision horizon"):
        net.energies([1.1 * t_max])


# ------------------------------------------------------------------------- merging decay rates
@pytest.mark.parametrize("gap", [1e-6, 1e-10, 1e-12, 1e-14, 0.0])
def test_one_way_pair_with_merging_rates_matches_40_digit_reference(gap):
    """Issue 11: ahmadi.nonreciprocal_battery(.04, .003, .003 (1 + 1e-12), .1) was 8e-6 off
    (8e-4 at a gap of 1e-14): SciPy's triangular expm shortcut cancels there."""
    net = ahmadi.nonreciprocal_battery(0.04, 0.003, 0.003 * (1 + gap), 0.1)
    t = np.array([100.0, 800.0, 3000.0, 2e4])
    E = net.energies(t)
    ref = np.array([energies_ref(net, tk) for tk in t])
    np.testing.assert_allclose(E, ref, rtol=1e-12, atol=0)


@pytest.mark.parametrize("topology", ["cascade", "parallel", "near-triangular"])
def test_one_way_networks_with_nearly_equal_rates(topology):
    kap = 0.003 * (1 + np.array([0.0, 1e-13, 3e-13, 2e-13]))
    nb = NetworkBuilder()
    for j, k in enumerate(kap):
        nb.mode(f"m{j}", loss=k)
    nb.drive("m0", 0.01)
    for j in range(1, 4):
        nb.nonreciprocal_link("m0" if topology == "parallel" else f"m{j - 1}", f"m{j}", gamma=0.004)
    if topology == "near-triangular":
        nb.hop("m3", "m0", 1e-9)  # a tiny backflow: no longer triangular
    net = nb.build(n_th=0.2)
    t = np.array([70.0, 3000.0])
    E = net.energies(t)
    ref = np.array([energies_ref(net, tk) for tk in t])
    np.testing.assert_allclose(E, ref, rtol=1e-11, atol=0)


# ------------------------------------------------------------------------- stability
def test_stability_is_relative_to_the_network_scale():
    tiny = LinearNetwork([[0.0, 2e-14], [2e-14, 0.0]], loss=[1e-13, 1e-13], drive=[1e-13, 0], n_th=0.5)
    unit = LinearNetwork([[0.0, 0.2], [0.2, 0.0]], loss=[1.0, 1.0], drive=[1.0, 0], n_th=0.5)
    assert tiny.is_stable() and unit.is_stable()
    # the same physics in units 1e13 times slower: energies at scaled times agree
    t = np.array([0.0, 0.5, 3.0, np.inf])
    np.testing.assert_allclose(tiny.energies(t * 1e13), unit.energies(t), rtol=1e-12)
    np.testing.assert_allclose(tiny.steady_state()["energies"], unit.steady_state()["energies"], rtol=1e-12)
    # undamped modes are marginal at any scale
    assert not dark_pair().is_stable()
    assert not LinearNetwork([[1e-13, 0], [0, 0]], loss=[1e-13, 0]).is_stable()
    # a rate at round-off level of the damping matrix is no rate; any larger one is
    h = np.diag([1.0, 0.0])
    assert not LinearNetwork(h, loss=[1, 1e-17]).is_stable()
    assert LinearNetwork(h, loss=[1, 1e-13]).is_stable()


def test_a_large_common_detuning_is_taken_out_exactly():
    """Issue-11 fuzzing: a mode detuned by 1e10 with loss 1e-3 was called undamped (0.5 instead
    of 0.316 at k t = 1); a common detuning is now removed by the frame rotating at it."""
    for D, k in ((1e10, 1e-3), (1e10, 1.0), (1.0, 1e-13)):
        net = LinearNetwork([[D]], loss=[k], drive=[0.3], n_th=0.5)
        assert net.is_stable()
        t = np.array([0.3, 1.0, 30.0, 1e100]) / k
        exact = abs(0.3 / (-1j * D - k / 2)) ** 2 * np.abs(-np.expm1((-1j * D - k / 2) * t)) ** 2 + 0.5 * -np.expm1(-k * t)
        # a phase D t carries the round-off 1e-16 D t of the inputs: that is the tolerance
        E = net.energies(t)[:, 0]
        for Ek, ek, tk in zip(E, exact, t):
            np.testing.assert_allclose(Ek, ek, rtol=1e-12 + 4e-16 * D * min(tk, 50 / k))
    # three modes sharing a large detuning, coupled weakly
    h = 1e8 * np.eye(3) + np.array([[0.0, 0.1, 0.0], [0.1, 0.02, 0.05j], [0.0, -0.05j, -0.01]])
    net = LinearNetwork(h, loss=[0.05, 0.01, 0.02], drive=[0.01, 0, 0], n_th=0.3, squeezing=(0.2, 0.5))
    t = np.array([3.0, 40.0])
    ref = [mp_moments(net, tk) for tk in t]
    a, N, M = net.moments(t)
    for k in range(2):
        np.testing.assert_allclose(N[k], ref[k][1], rtol=0, atol=1e-12 * np.max(np.abs(ref[k][1])))
        np.testing.assert_allclose(M[k], ref[k][2], rtol=0, atol=4e-16 * 1e8 * t[k] * np.max(np.abs(ref[k][2])))
        np.testing.assert_allclose(a[k], ref[k][0], rtol=0, atol=4e-16 * 1e8 * t[k] * np.max(np.abs(ref[k][0])))


def test_unresolvable_decay_rates_are_refused():
    """A decay below RESOLUTION of the network's fast rates cannot be resolved: refused."""
    slow = LinearNetwork([[0.0, 0.3], [0.3, 2.0]], loss=[1.0, 0.0])  # b hybridises weakly with lossy a
    assert slow.is_stable()
    rate = -np.max(slow.eigenvalues().real)
    fine = LinearNetwork([[0.0, 0.3], [0.3, 2.0]], loss=[1.0, 1e-3])
    fine.energies([1.0, 1e3])  # resolved
    stiff = LinearNetwork([[0.0, 1e-5], [1e-5, 2.0]], loss=[1.0, 0.0])
    assert stiff.is_stable()
    assert -np.max(stiff.eigenvalues().real) < RESOLUTION * np.linalg.norm(stiff.drift)
    with pytest.raises(ValueError, match="slowest decay rate"):
        stiff.energies([1.0])
    stiff.steady_state()  # the Lyapunov route still works
    assert rate > 0


# ------------------------------------------------------------------------- building blocks
def test_step_propagators_against_40_digit_reference():
    rng = np.random.default_rng(7)
    n = 3
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    h = 0.3 * (X + X.conj().T)
    jumps = [(0.4, rng.normal(size=n) + 1j * rng.normal(size=n)), (0.1, rng.normal(size=n))]
    net = LinearNetwork(h, loss=0.05 * rng.random(n), jumps=jumps, drive=rng.normal(size=n) + 0.3j,
                        n_th=0.7, squeezing=(0.4, 0.9))
    A, (Q, P), b = net.drift, net.noise, -1j * net.drive
    steps = np.array([0.0, 1e-6, 0.7, 40.0, 3e3])
    sp = propagation.step_propagators(A, steps, b=b, Q=Q, P=P)
    for d, tk in enumerate(steps):
        a_ref, N_ref, M_ref = mp_moments(net, tk)
        np.testing.assert_allclose(sp.u[d], a_ref, rtol=0, atol=1e-13 * max(np.max(np.abs(a_ref)), 1e-300))
        np.testing.assert_allclose(sp.XN[d], N_ref, rtol=0, atol=1e-13 * max(np.max(np.abs(N_ref)), 1e-300))
        np.testing.assert_allclose(sp.XM[d], M_ref, rtol=0, atol=1e-13 * max(np.max(np.abs(M_ref)), 1e-300))
    # E underflows to exactly zero for a long step: the limits have been reached
    sp = propagation.step_propagators(A, np.array([1e12]), b=b, Q=Q)
    assert not np.any(sp.E[0])


def test_large_sparse_means_path_matches_dense_moments():
    """n > 48: means by Taylor steps on the vector, bounded by the Gershgorin decay horizon."""
    n = 60
    nb = NetworkBuilder()
    for j in range(n):
        nb.mode(f"m{j}", loss=0.003)
    nb.drive("m0", 0.1)
    for j in range(n - 1):
        nb.nonreciprocal_link(f"m{j}", f"m{j + 1}", gamma=0.04)
    net = nb.build()
    mu = propagation.decay_bound(net.damping_matrix)
    np.testing.assert_allclose(mu, 0.0015, rtol=1e-12)
    t = np.array([0.0, 30.0, 400.0, 2000.0, 1.1 * 745.2 / mu, np.inf])
    fast = net.amplitudes(t)
    alpha, _, _ = net.moments(t)  # dense path (the moments are asked for together)
    np.testing.assert_allclose(fast, alpha, rtol=0, atol=1e-12 * np.max(np.abs(alpha)))
    small = NetworkBuilder()
    for j in range(6):
        small.mode(f"m{j}", loss=0.003)
    small.drive("m0", 0.1)
    for j in range(5):
        small.nonreciprocal_link(f"m{j}", f"m{j + 1}", gamma=0.04)
    # a one-way chain: the first five modes do not feel the rest (the sixth is damped by its
    # link to the seventh in the long chain)
    np.testing.assert_allclose(fast[:, :5], small.build().amplitudes(t)[:, :5], rtol=1e-11, atol=1e-15)


# ------------------------------------------------------------------------- public building blocks
def test_public_propagation_functions_against_independent_routes():
    rng = np.random.default_rng(12)
    n = 3
    X = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    net = LinearNetwork(0.2 * (X + X.conj().T), loss=[0.2, 0.1, 0.3], jumps=[(0.2, [1, 0.5j, -1])],
                        drive=[0.1, 0.05j, 0], n_th=0.4, squeezing=(0.3, 0.8))
    A, (Q, P), b = net.drift, net.noise, -1j * net.drive
    s = __import__("engine_refs").random_state(n, rng)
    ts = np.array([0.5, 3.0, 20.0])
    a, N, M = propagation.evolve(A, ts, b=b, Q=Q, P=P, alpha0=s.amplitudes, N0=s.N, M0=s.M)
    for k, tk in enumerate(ts):
        ra, rN, rM = mp_moments(net, tk, s.amplitudes, s.N, s.M)
        np.testing.assert_allclose(a[k], ra, rtol=0, atol=1e-12 * np.max(np.abs(ra)))
        np.testing.assert_allclose(N[k], rN, rtol=0, atol=1e-12 * np.max(np.abs(rN)))
        np.testing.assert_allclose(M[k], rM, rtol=0, atol=1e-12 * np.max(np.abs(rM)))
    np.testing.assert_allclose(propagation.frobenius(A), np.linalg.norm(A), rtol=1e-15)
    np.testing.assert_allclose(propagation.frobenius(1e-300 * A), 1e-300 * np.linalg.norm(A), rtol=1e-14)
    tol_K, tol_h = propagation.dark_tolerances(net.hamiltonian, net.damping_matrix)
    eps = np.finfo(float).eps
    np.testing.assert_allclose([tol_K, tol_h], [24 * eps * np.linalg.norm(net.damping_matrix),
                                                24 * eps * np.linalg.norm(net.hamiltonian)], rtol=1e-14)
    assert propagation.dark_split(net.hamiltonian, net.damping_matrix) is None


def test_dark_split_and_its_propagators_against_closed_forms():
    """The dark pair: dark mode (a - b)/sqrt(2) at frequency w, bright mode damped at rate 1."""
    w = 0.3
    h = np.array([[w, 0.0], [0.0, w]])  # both modes detuned by w: the dark mode rotates at w
    K = np.ones((2, 2))
    split = propagation.dark_split(h, K)
    np.testing.assert_allclose(split.omega, [w], rtol=1e-14)
    d = split.B[:, 0]
    np.testing.assert_allclose(abs(d @ np.array([1, 1])), 0.0, atol=1e-15)  # orthogonal to the bright mode
    np.testing.assert_allclose(split.A_S, [[-1.0 - 1j * w]], rtol=1e-14)
    net = LinearNetwork(h, jumps=[(1.0, [1, 1])], drive=[0.2, 0.1j], n_th=0.5, squeezing=(0.2, 0.4))
    b, Q, P = split.to_split(-1j * net.drive, *net.noise)
    steps = np.array([0.7, 25.0])
    sp = propagation.split_step_propagators(split, steps, b, Q, P)
    for k, tk in enumerate(steps):
        ra, rN, rM = mp_moments(net, tk)
        a, N, M = split.from_split(sp.u[k][None], sp.XN[k][None], sp.XM[k][None])
        np.testing.assert_allclose(a[0], ra, rtol=0, atol=1e-12 * np.max(np.abs(ra)))
        np.testing.assert_allclose(N[0], rN, rtol=0, atol=1e-12 * np.max(np.abs(rN)))
        np.testing.assert_allclose(M[0], rM, rtol=0, atol=1e-12 * np.max(np.abs(rM)))
    # the dark block of E is the exact phase
    np.testing.assert_allclose(sp.E[:, 0, 0], np.exp(-1j * w * steps), rtol=1e-13)


def test_sparse_amplitudes_against_the_dense_propagator():
    n = 60
    nb = NetworkBuilder()
    for j in range(n):
        nb.mode(f"m{j}", loss=0.01)
    for j in range(n - 1):
        nb.nonreciprocal_link(f"m{j}", f"m{j + 1}", gamma=0.02)
    net = nb.build()
    A = net.drift
    mu = propagation.decay_bound(net.damping_matrix)
    d0 = np.zeros(n, complex)
    d0[0] = 1.0 + 0.5j
    t = np.array([0.0, 10.0, 80.0, 1.2 * 745.2 / mu])
    v = propagation.sparse_amplitudes(A, t, d0, mu)
    E = propagation.step_propagators(A, t).E
    ref = E @ d0
    np.testing.assert_allclose(v, ref, rtol=0, atol=1e-12)
    assert not np.any(v[-1])  # beyond the horizon: exactly zero
    assert propagation.sparse_amplitudes(A[:10, :10], t, d0[:10], mu) is None  # small: dense path


def test_eigenvalues_against_closed_forms():
    """A detuned reciprocal pair: lambda = -(k1 + k2)/4 - i (D1 + D2)/2 +- sqrt(((k2 - k1)/4 + i (D2 - D1)/2)^2 - g^2)."""
    D1, D2, k1, k2, g = 0.3, -0.1, 0.2, 0.05, 0.07
    net = LinearNetwork([[D1, g], [g, D2]], loss=[k1, k2])
    c = (k2 - k1) / 4 + 1j * (D2 - D1) / 2
    root = np.sqrt(c**2 - g**2)
    exact = -(k1 + k2) / 4 - 1j * (D1 + D2) / 2 + np.array([root, -root])
    ev = net.eigenvalues()
    np.testing.assert_allclose(np.sort_complex(ev), np.sort_complex(exact), rtol=1e-13)
    # one-way pair: the diagonal, exactly
    tri = ahmadi.nonreciprocal_battery(0.04, 0.003, 0.005, 0.1, detuning=0.02)
    np.testing.assert_allclose(np.sort_complex(tri.eigenvalues()), np.sort_complex(np.diag(tri.drift)), rtol=0, atol=0)
    assert np.all(np.diag(tri.drift).imag != 0)
