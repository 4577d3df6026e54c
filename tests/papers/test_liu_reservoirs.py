"""Sec. IV of Liu et al.: thermal and squeezed reservoirs, against routes independent of the engine (the
moment equations derived from the paper's master equation with operator algebra; qutip in Fock space)."""

import numpy as np
import pytest
import qutip as qt
import sympy as sp

from nrqb.engine.qutip_bridge import reduced_ergotropy
from nrqb.papers import liu, liu_sym

KAPPA, EPS = 0.003, 0.001
CONFIGS = [(1, "cascade", liu.J_op_cascade(1, KAPPA), 1), (2, "cascade", liu.J_op_cascade(2, KAPPA), 2),
           (2, "parallel", liu.J_op_parallel(2, KAPPA), 1)]


def test_channel_values():
    assert liu.channel_values(2, "local", 1.0) == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert liu.channel_values(2, "shared", (0.5, 0.0), (0.0, 0.0)) == [(0.0, 0.0)] * 3 + [(0.5, 0.0)] * 2
    assert liu.channel_values(3, "charger", 2) == [2, 0, 0, 0, 0, 0, 0]
    assert liu.channel_values(1, "all", 7) == [7, 7, 7]


@pytest.mark.parametrize("N,topology,J,mode", CONFIGS)
def test_thermal_shift_against_moment_route(N, topology, J, mode):
    for which, nth in (("all", 1.5), ("local", 1.0), ("shared", 2.0)):
        got = liu.thermal_shift(N, topology, J, KAPPA, EPS, liu.channel_values(N, which, nth))
        ref = liu.moment_route_steady_state(N, topology, J, KAPPA, EPS, n_th=nth, hot=which)["energies"]
        cold = liu.moment_route_steady_state(N, topology, J, KAPPA, EPS)["energies"]
        np.testing.assert_allclose(got, ref - cold, rtol=1e-9)
    # one common temperature: exactly n_th on every mode (claim of Sec. IV)
    np.testing.assert_allclose(liu.thermal_shift(N, topology, J, KAPPA, EPS, 1.5), 1.5, rtol=1e-12)


def test_thermal_shift_pair_against_sympy():
    """The N = 1 battery's thermal occupation with three bath temperatures (the chapter's sympy formula)."""
    Gs, ks = sp.symbols("Gamma kappa", positive=True)
    na, nb, nq = sp.symbols("n_a n_b n_q", nonnegative=True)
    A = sp.Matrix([[-(Gs + ks) / 2, 0], [-Gs, -(Gs + ks) / 2]])
    c = sp.Matrix([1, 1])
    C = liu_sym.thermal_fluctuations(A, sp.diag(ks * na, ks * nb) + Gs * nq * c * c.T)
    J = liu.J_op_cascade(1, KAPPA)
    vals = {Gs: 2 * J, ks: KAPPA, na: 0.7, nb: 1.9, nq: 0.3}
    got = liu.thermal_shift(1, "cascade", J, KAPPA, EPS, [0.7, 1.9, 0.3])
    assert got[1] == pytest.approx(float(C[1, 1].subs(vals)), rel=1e-12)
    assert got[0] == pytest.approx(float(C[0, 0].subs(vals)), rel=1e-12)


# the referee's numbers at r = 0.5 (gauge theta = pi/2): shared only, local only, all channels
REFEREE = {"shared": (1.174, 1.583, 1.511), "local": (2.40, 3.13, 3.62), "all": (3.44, 5.70, 6.19)}


@pytest.mark.parametrize("gauge", ["pi/2", "0"])
def test_squeezing_readings_against_moment_route(gauge):
    # the symbolic derivation of the N = 2 moment equations costs ~10 s each: gauge 0 only at N = 1
    configs = CONFIGS if gauge == "pi/2" else CONFIGS[:1]
    for which in ("shared", "local", "all"):
        for k, (N, top, J, mode) in enumerate(configs):
            got = liu.squeezing_enhancement(N, top, J, KAPPA, EPS, 0.5, which, gauge=gauge)
            sq = liu.moment_route_steady_state(N, top, J, KAPPA, EPS, r=0.5, which=which, gauge=gauge)
            base = liu.moment_route_steady_state(N, top, J, KAPPA, EPS, gauge=gauge)
            assert got == pytest.approx(sq["ergotropies"][mode] / base["ergotropies"][mode], rel=1e-9)
            if gauge == "pi/2":
                assert got == pytest.approx(REFEREE[which][k], abs=0.006)


def test_moment_route_amplitudes_and_energies_against_engine():
    """Complex means (phase included), energies and ergotropies of every mode, gauge theta = 0 (complex p)."""
    J = liu.J_op_cascade(1, KAPPA)
    for kw in (dict(r=0.4, theta_r=0.7, which="local", n_th=0.5, hot="shared"), dict(n_th=1.2)):
        d = liu.moment_route_steady_state(1, "cascade", J, KAPPA, EPS, gauge="0", **kw)
        sq = liu.channel_values(1, kw.get("which", "all"), (kw.get("r", 0.0), kw.get("theta_r", 0.0)), (0.0, 0.0))
        nth = liu.channel_values(1, kw.get("hot", "all"), kw["n_th"])
        net = liu.cascade_network(1, J=J, kappa=KAPPA, epsilon=EPS, gauge="0", n_th=nth, squeezing=sq)
        ss = net.steady_state()
        assert np.max(np.abs(ss["amplitudes"].imag)) > 1e-3        # a genuinely complex mean
        np.testing.assert_allclose(d["amplitudes"], ss["amplitudes"], rtol=1e-10)
        np.testing.assert_allclose(d["energies"], ss["energies"], rtol=1e-10)
        np.testing.assert_allclose(d["ergotropies"], [net.ergotropy(None, m)[0] for m in (0, 1)], rtol=1e-9)


def test_squeezing_enhancement_closed_form_in_the_real_gauge():
    """All channels squeezed, gauge pi/2: pure states, E^sq/E = 1 + sinh^2 r / |alpha|^2 (the chapter's formula)."""
    for N, top, J, mode in CONFIGS:
        alpha2 = liu.moment_route_steady_state(N, top, J, KAPPA, EPS)["energies"][mode]
        for r in (0.1, 0.5, 1.2):
            assert liu.squeezing_enhancement(N, top, J, KAPPA, EPS, r) == pytest.approx(
                1 + np.sinh(r) ** 2 / alpha2, rel=1e-10)


def test_common_squeezing_phase_drops_out():
    for N, top, J, mode in CONFIGS:
        for which in ("shared", "local", "all"):
            for gauge in ("pi/2", "0"):
                vals = [liu.squeezing_enhancement(N, top, J, KAPPA, EPS, 0.5, which, theta_r=th, gauge=gauge)
                        for th in (0.0, 0.9, 2.5)]
                np.testing.assert_allclose(vals, vals[0], rtol=1e-10)
    # but a squeezing phase that differs between channels does not drop out
    build = liu.cascade_network
    J = liu.J_op_cascade(2, KAPPA)
    base = build(2, J=J, kappa=KAPPA, epsilon=EPS, squeezing=(0.5, 0.0)).ergotropy(None, 2)[0]
    mixed = build(2, J=J, kappa=KAPPA, epsilon=EPS, squeezing=[(0.5, 0.0)] * 3 + [(0.5, 1.3)] * 2).ergotropy(None, 2)[0]
    assert abs(mixed / base - 1) > 1e-2


def test_energy_shift_is_sinh2_for_every_network_only_when_all_channels_are_squeezed():
    r = 0.7
    for N in (1, 2, 4):
        for top in ("cascade", "parallel"):
            for coup in ("nonreciprocal", "reciprocal"):
                for gauge in ("pi/2", "0"):
                    build = liu.cascade_network if top == "cascade" else liu.parallel_network
                    kw = dict(J=0.002, kappa=KAPPA, epsilon=EPS, coupling=coup, gauge=gauge)
                    e0 = build(N, **kw).steady_state()["energies"]
                    e = build(N, squeezing=(r, 1.1), **kw).steady_state()["energies"]
                    np.testing.assert_allclose(e - e0, np.sinh(r) ** 2, rtol=1e-10)
    # local squeezing only: not sinh^2 r for the batteries of the nonreciprocal cascade
    J = liu.J_op_cascade(2, KAPPA)
    sq = liu.moment_route_steady_state(2, "cascade", J, KAPPA, EPS, r=r, which="local")["energies"]
    e0 = liu.moment_route_steady_state(2, "cascade", J, KAPPA, EPS)["energies"]
    assert abs((sq - e0)[2] - np.sinh(r) ** 2) > 0.05


def test_useful_fraction_never_exceeds_its_unsqueezed_value():
    """At n_th = 0 the unsqueezed battery is pure (fraction 1); squeezed baths can only keep it or lower it."""
    for N, top, J, mode in CONFIGS:
        for which in ("shared", "local", "all"):
            for gauge in (("pi/2", "0") if N == 1 else ("pi/2",)):
                d = liu.moment_route_steady_state(N, top, J, KAPPA, EPS, r=0.5, which=which, gauge=gauge)
                assert d["ergotropies"][mode] <= d["energies"][mode] * (1 + 1e-12)
    d = liu.moment_route_steady_state(2, "cascade", CONFIGS[1][2], KAPPA, EPS, r=0.5, which="local")
    assert d["ergotropies"][2] / d["energies"][2] < 0.9


def test_paper_liouvillian_against_engine_in_fock_space():
    """The paper's Eq. (16) written term by term in qutip equals the engine's model at small cutoff."""
    J = liu.J_op_cascade(1, KAPPA)
    for which in (("local",), ("shared",)):
        H, L, ops = liu.paper_liouvillian(1, "cascade", J=J, kappa=KAPPA, epsilon=EPS, cutoff=6, r=0.3,
                                          squeezed=which)
        rho = qt.steadystate(L)
        net = liu.cascade_network(1, J=J, kappa=KAPPA, epsilon=EPS,
                                  squeezing=liu.channel_values(1, which[0], (0.3, 0.0), (0.0, 0.0)))
        H2, c2 = net.to_qutip(6)
        rho2 = qt.steadystate(H2, c2)
        assert (rho - rho2).norm() < 1e-9
        assert abs(qt.expect(ops[1].dag() * ops[1], rho) - net.steady_state()["energies"][1]) < 3e-3


def test_truncated_ergotropy_against_engine_when_the_cutoff_suffices():
    net = liu.cascade_network(1, J=liu.J_op_cascade(1, KAPPA), kappa=KAPPA, epsilon=EPS)
    T = np.array([2000.0, 0.0, 500.0])  # any order
    res = liu.truncated_ergotropy(net, 7, 1, T)
    np.testing.assert_allclose(res[:, 0], net.energies(T)[:, 1], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(res[:, 1], net.ergotropy(T, 1), rtol=1e-6, atol=1e-12)
    ss = liu.truncated_ergotropy(net, 7, 1)
    assert ss[0, 1] == pytest.approx(net.ergotropy(None, 1)[0], rel=1e-6)
    # hot bath: the truncated ergotropy is too small, and grows towards the exact value with the cutoff
    hot = liu.cascade_network(1, J=liu.J_op_cascade(1, KAPPA), kappa=KAPPA, epsilon=EPS, n_th=1.0)
    w = [liu.truncated_ergotropy(hot, c, 1)[0, 1] for c in (4, 6, 8)]
    assert w[0] < w[1] < w[2] < hot.ergotropy(None, 1)[0]


def test_reciprocal_squeezing_uses_the_local_baths_only():
    J = liu.J_op_cascade(2, KAPPA)
    got = liu.squeezing_enhancement(2, "cascade", J, KAPPA, EPS, 0.5, "all", coupling="reciprocal")
    net0 = liu.cascade_network(2, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal")
    net = liu.cascade_network(2, J=J, kappa=KAPPA, epsilon=EPS, coupling="reciprocal", squeezing=(0.5, 0.0))
    assert got == pytest.approx(net.ergotropy(None, 2)[0] / net0.ergotropy(None, 2)[0], rel=1e-12)
    ref = liu.moment_route_steady_state(2, "cascade", J, KAPPA, EPS, r=0.5, which="local", coupling="reciprocal")
    ref0 = liu.moment_route_steady_state(2, "cascade", J, KAPPA, EPS, coupling="reciprocal")
    assert got == pytest.approx(ref["ergotropies"][2] / ref0["ergotropies"][2], rel=1e-9)
    with pytest.raises(ValueError, match="shared"):
        liu.squeezing_enhancement(2, "cascade", J, KAPPA, EPS, 0.5, "shared", coupling="reciprocal")


def test_fock_steady_state_against_qutip_and_its_fallback(monkeypatch):
    """The ILU-GMRES steady state of truncated_ergotropy against qutip.steadystate (a hot three-mode
    network at cutoff 3), and the fallback to qutip.steadystate when GMRES does not converge, converges
    to a vector whose residual is too large, or the incomplete factor is singular (spilu raises)."""
    import qutip as qt
    import scipy.sparse.linalg as spla

    net = liu.cascade_network(2, J=liu.J_op_cascade(2, KAPPA), kappa=KAPPA, epsilon=EPS, n_th=2.0)
    H, c_ops = net.to_qutip(3)
    ref = qt.steadystate(H, c_ops)
    rho = liu._fock_steady_state(H, c_ops)
    assert (rho - ref).norm() < 1e-10 and abs(rho.tr() - 1) < 1e-12
    assert (rho - rho.dag()).norm() == 0
    monkeypatch.setattr(spla, "gmres", lambda A, b, **kw: (b * 0.5, 1))    # "did not converge"
    assert (liu._fock_steady_state(H, c_ops) - ref).norm() < 1e-12
    monkeypatch.setattr(spla, "gmres", lambda A, b, **kw: (b * 1.001, 0))  # "converged" to a wrong vector
    assert (liu._fock_steady_state(H, c_ops) - ref).norm() < 1e-12
    monkeypatch.undo()

    def singular_factor(*args, **kw):  # what spilu raises on some strongly driven cases
        raise RuntimeError("Factor is exactly singular")

    monkeypatch.setattr(spla, "spilu", singular_factor)
    assert (liu._fock_steady_state(H, c_ops) - ref).norm() < 1e-12
