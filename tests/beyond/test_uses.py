"""Tests of nrqb.beyond.uses: storage protocols, fault isolation in cascades, pulses, verdicts."""
import numpy as np
import pytest
from scipy.integrate import simpson
from scipy.optimize import brentq

from nrqb import LinearNetwork, Protocol
from nrqb.beyond import framework as FW
from nrqb.beyond import optimize as O
from nrqb.beyond import uses as U
from nrqb.engine.protocol import integrate_moments

K, G, E = 0.003, 0.04, 0.1
LAM = K + G


def test_storage_couplings_are_what_they_claim():
    c = U.storage_couplings()
    assert abs(O.ahmadi_network(c["nonreciprocal"][0], Gamma=c["nonreciprocal"][1]).drift[0, 1]) < 1e-16
    np.testing.assert_allclose(c["optimal, with reservoir"][0],
                               O.ahmadi_optimum(kappa_a=K, kappa_b=K, Gamma=G)["J_opt"], rtol=1e-12)
    e = O.ahmadi_network(c["optimal, reciprocal"][0], Gamma=c["optimal, reciprocal"][1]).steady_state()["energies"][1]
    np.testing.assert_allclose(e, O.energy_bound(E, K, K), rtol=1e-12)
    np.testing.assert_allclose(c["reciprocal"], (G / 2, 0.0), rtol=1e-15)


def test_storage_nonreciprocal_links_kept_closed_form():
    """Drive off, links kept: alpha = alpha0 e^{-Lam s/2}, beta = -Gamma alpha0 e^{-Lam s/2} (2/Lam + s)."""
    s = np.linspace(0, 400, 4001)
    r = U.storage_run(s, t_charge=3000.0, links_kept=True, couplings={"nr": (0.5j * G, G)})["nr"]
    a0 = 2 * E / LAM
    EB = G**2 * a0**2 * np.exp(-LAM * s) * (2 / LAM + s) ** 2
    np.testing.assert_allclose(r["energy"], EB, rtol=1e-9)
    np.testing.assert_allclose(r["charger"], a0**2 * np.exp(-LAM * s), rtol=1e-9)
    u = brentq(lambda u: np.exp(-u) * (1 + u / 2) ** 2 - 0.5, 0.1, 10)
    np.testing.assert_allclose(r["half_life"], u / LAM, rtol=1e-6)


def test_storage_links_off_and_thermal_ergotropy():
    s = np.linspace(0, 600, 601)
    n_th = 0.7
    out = U.storage_run(s, t_charge=500.0, links_kept=False, n_th=n_th)
    for name, (J, Gm) in U.storage_couplings().items():
        p = U.storage_protocol(J, Gm, t_charge=500.0, links_kept=False, n_th=n_th)
        beta0 = p.amplitudes([500.0])[0, 1]
        # isolated battery: ergotropy |beta0|^2 e^{-kappa s}, energy -> n_th
        np.testing.assert_allclose(out[name]["ergotropy"], abs(beta0) ** 2 * np.exp(-K * s), rtol=1e-9)
        N0 = out[name]["energy"][0] - abs(beta0) ** 2
        np.testing.assert_allclose(out[name]["energy"],
                                   abs(beta0) ** 2 * np.exp(-K * s) + n_th + (N0 - n_th) * np.exp(-K * s), rtol=1e-9)
        np.testing.assert_allclose(out[name]["half_life"], np.log(2) / K, rtol=1e-5)


def test_storage_protocol_against_solve_ivp():
    p = U.storage_protocol(0.0015j, G, t_charge=200.0, links_kept=True, n_th=0.3)
    t = np.array([0.0, 50.0, 200.0, 260.0, 500.0])
    a, N, M = integrate_moments(p, t)
    occ = np.abs(a) ** 2 + np.real(np.diagonal(N, axis1=1, axis2=2))
    np.testing.assert_allclose(p.energies(t), occ, rtol=1e-8, atol=1e-12)


def test_half_life():
    s = np.linspace(0, 5, 5001)
    np.testing.assert_allclose(U.half_life(s, 3 * np.exp(-s)), np.log(2), rtol=1e-7)
    assert U.half_life(s, 1 + 0 * s) == np.inf


def test_cascade_faults_against_closed_forms():
    """One-way: upstream untouched; downstream scaled by the faulty node's own factor."""
    La = K + 2 * G   # a middle battery carries two links
    lossy = U.fault_response("collective jump (Ahmadi, Liu)", loss=[K, 10 * K, K, K], t_max=800.0, n_t=161)
    np.testing.assert_allclose(lossy["steady"][:2], 0, atol=1e-13)
    np.testing.assert_allclose(lossy["transient"][:2], 0, atol=1e-13)
    np.testing.assert_allclose(lossy["steady"][2:], 1 - (La / (10 * K + 2 * G)) ** 2, rtol=1e-10)
    det = U.fault_response("collective jump (Ahmadi, Liu)", detuning=[0, 0.05, 0, 0], t_max=800.0, n_t=161)
    np.testing.assert_allclose(det["steady"][2:], 1 - La**2 / (La**2 + 4 * 0.05**2), rtol=1e-10)
    # healthy energies: the path law
    from nrqb.beyond.networks import path_energy
    np.testing.assert_allclose(lossy["E"][-1], path_energy([1, 2, 2, 2, 1], G, K, 0.01), rtol=1e-10)


@pytest.mark.parametrize("mech", ["reservoir as a mode (book)", "AB triangle (Zhao)", "bad cavity (Lin)"])
def test_cascade_faults_finite_bandwidth(mech):
    r = U.fault_response(mech, detuning=[0, 0.05, 0, 0], t_max=1500.0, n_t=301)
    ref = U.fault_response("collective jump (Ahmadi, Liu)", detuning=[0, 0.05, 0, 0], t_max=1500.0, n_t=301)
    np.testing.assert_allclose(r["steady"], ref["steady"], rtol=1e-9, atol=1e-12)   # same zero-frequency link
    assert np.all(r["transient"][:2] > 0)          # but the upstream nodes feel the transient
    # the transient backflow of the charger, directly from the engine
    ok = U.cascade(mech).build()
    bad = U.cascade(mech, detuning=[0, 0.05, 0, 0]).build()
    t = np.linspace(0, 1500, 301)
    d = np.abs(bad.energies(t)[:, 0] - ok.energies(t)[:, 0]).max() / ok.steady_state()["energies"][0]
    np.testing.assert_allclose(r["transient"][0], d, rtol=1e-10)


def test_reciprocal_cascade_feels_everything():
    r = U.fault_response("reciprocal hop, no reservoir", loss=[K, 10 * K, K, K], t_max=800.0, n_t=81)
    assert np.all(r["steady"] > 0.5)


def _lone_mode_transfer(kappa, tau, F):
    """Exact integral of |x(t)|^2 for a lone damped mode driven during [0, tau]."""
    xs2 = 4 * abs(F) ** 2 / kappa**2
    during = xs2 * (tau - 4 * (1 - np.exp(-kappa * tau / 2)) / kappa + (1 - np.exp(-kappa * tau)) / kappa)
    after = xs2 * (1 - np.exp(-kappa * tau / 2)) ** 2 / kappa
    return during + after


@pytest.mark.parametrize("tau", [3.0, 40.0, 400.0])
def test_pulse_transfer_lone_mode(tau):
    net = LinearNetwork([[0.0]], loss=[0.05])
    exact = _lone_mode_transfer(0.05, tau, 0.02)
    np.testing.assert_allclose(U.pulse_transfer(net, 0, 0, tau, 0.02), exact, rtol=1e-10)
    np.testing.assert_allclose(U.pulse_transfer_spectral(net, 0, 0, tau, 0.02), exact, rtol=1e-7)


@pytest.mark.parametrize("mech", ["reservoir as a mode (book)", "AB triangle (Zhao)"])
def test_pulse_transfer_three_routes(mech):
    net = FW.matched_pair(mech)
    tau = 60.0
    for src, dst in ((0, 1), (1, 0)):
        ex = U.pulse_transfer(net, src, dst, tau)
        np.testing.assert_allclose(U.pulse_transfer_spectral(net, src, dst, tau), ex, rtol=1e-7)
        on = U._pulse_net(net, src, 0.01)
        off = U._pulse_net(net, src, 0.0)
        t = np.linspace(0, 3000, 30001)
        x = Protocol([(on, tau), (off, np.inf)]).amplitudes(t)[:, dst]
        np.testing.assert_allclose(simpson(np.abs(x) ** 2, x=t), ex, rtol=1e-7)
    np.testing.assert_allclose(U.pulse_backflow(net, tau), U.pulse_transfer(net, 1, 0, tau) / U.pulse_transfer(net, 0, 1, tau),
                               rtol=1e-14)


def test_pulse_backflow_limits():
    assert U.pulse_backflow(FW.matched_pair("collective jump (Ahmadi, Liu)"), 30.0) == 0.0
    net = FW.matched_pair("AB triangle (Zhao)")
    short, long_ = U.pulse_backflow(net, 10.0), U.pulse_backflow(net, 5000.0)
    assert short > 10 * long_
    # a mismatched phase: the long-pulse limit is the squared zero-frequency isolation ratio
    m = FW.mechanisms()["collective jump (Liu)"]
    off = m.build(m.nr_phase + 0.3)
    np.testing.assert_allclose(U.pulse_backflow(off, 2e5), FW.isolation_ratio(off) ** 2, rtol=2e-3)


def test_verdicts_and_bad_input():
    assert U.verdict(True, False) == "holds" and U.verdict(False, True) == "fails" and U.verdict(True, True) == "depends"
    with pytest.raises(ValueError):
        U.verdict(False, False)
    t = U.verdict_table([U.Verdict("a | b", "x", "holds")])
    assert t.splitlines()[2] == "| a \\| b | x | **holds** |"
    with pytest.raises(ValueError, match="verdict"):
        U.Verdict("a", "b", "maybe")
    with pytest.raises(ValueError, match="links_kept"):
        U.storage_protocol(0.02j, G, t_charge=10.0, links_kept="no")
    with pytest.raises(ValueError, match="t_charge"):
        U.storage_protocol(0.02j, G, t_charge=-1.0, links_kept=True)
    with pytest.raises(ValueError, match="mechanism"):
        U.cascade("magic")
    with pytest.raises(ValueError, match="loss"):
        U.cascade("collective jump (Ahmadi, Liu)", 2, loss=[K])
    with pytest.raises(ValueError, match="tau"):
        U.pulse_transfer(FW.matched_pair("collective jump (Ahmadi, Liu)"), 0, 1, 0.0)
    with pytest.raises(ValueError, match="dst"):
        U.pulse_transfer(FW.matched_pair("collective jump (Ahmadi, Liu)"), 0, 3, 1.0)
    with pytest.raises(ValueError, match="s must"):
        U.storage_run([1.0, 2.0], links_kept=True)


# ---------------------------------------------------------------------------------------------
# settling, monotone charging, the nonreciprocal hop at its best Gamma
# ---------------------------------------------------------------------------------------------
def _nr_closed(t, Gamma, kappa=K, E=E):
    """E_B(t) at J = i Gamma/2, symmetric pair (Ahmadi Eq. (6), corrected: the Jordan block's secular term)."""
    L = kappa + Gamma
    return 16 * Gamma**2 * E**2 / L**4 * (1 - (1 + L * t / 2) * np.exp(-L * t / 2)) ** 2


def _engine_energy(J, Gamma):
    net = O.ahmadi_network(J, Gamma=Gamma)
    return (lambda s: float(net.energies(np.atleast_1d(s))[0, 1])), net.steady_state()["energies"][1]


@pytest.mark.parametrize("level", [0.1, 0.01])
def test_settling_time_nr_closed_form(level):
    u = brentq(lambda u: (1 - (1 + u / 2) * np.exp(-u / 2)) ** 2 - (1 - level), 0.1, 100)
    np.testing.assert_allclose(U.settling_time(0.5j * G, G, level=level), u / LAM, rtol=1e-9)


@pytest.mark.parametrize("J, Gm", [(0.03j, G), (0.2j, G), (K / 2, 0.0)])
def test_settling_time_against_engine(J, Gm):
    f, ess = _engine_energy(J, Gm)
    ts = U.settling_time(J, Gm)
    t = np.linspace(0, 1.3 * ts, 6001)
    e = np.array([f(x) for x in t])
    out = np.nonzero(np.abs(e / ess - 1) > 0.1)[0][-1]
    t_eng = brentq(lambda s: abs(f(s) / ess - 1) - 0.1, t[out], t[out + 1], xtol=1e-12)
    np.testing.assert_allclose(ts, t_eng, rtol=1e-8)


def test_settling_nr_is_slowest_maximal_rate_hop():
    nr = U.settling_time(0.5j * G, G)
    assert all(U.settling_time(1j * y, G) < 0.7 * nr for y in (0.03, 0.06, 0.2))


def test_charging_profile_nr_at_gamma_kappa_monotone():
    b = O.energy_bound(E, K, K)
    p = U.charging_profile(0.5j * K, K, reference=b)
    np.testing.assert_allclose(p["E_ss"], b, rtol=1e-10)
    assert p["monotone"] and p["overshoot"] == 0.0 and p["t_peak"] == np.inf
    L = 2 * K
    for f, tr in zip((0.5, 0.9), p["t_reach"]):
        u = brentq(lambda u: (1 - (1 + u / 2) * np.exp(-u / 2)) ** 2 - f, 0.01, 100)
        np.testing.assert_allclose(tr, u / L, rtol=1e-9)


def test_charging_profile_reciprocal_overshoot_against_engine():
    from scipy.optimize import minimize_scalar
    b = O.energy_bound(E, K, K)
    p = U.charging_profile(K / 2, 0.0, fractions=[0.5, 0.9], reference=b)
    f, ess = _engine_energy(K / 2, 0.0)
    r = minimize_scalar(lambda s: -f(s), bounds=(1500, 2600), method="bounded", options={"xatol": 1e-9})
    np.testing.assert_allclose([p["peak"], p["t_peak"]], [-r.fun, r.x], rtol=1e-7)
    np.testing.assert_allclose(p["overshoot"], -r.fun / ess - 1, rtol=1e-6)
    assert not p["monotone"]
    for fr, tr in zip((0.5, 0.9), p["t_reach"]):
        np.testing.assert_allclose(tr, brentq(lambda s: f(s) - fr * b, 100, 2000, xtol=1e-12), rtol=1e-9)
    q = U.charging_profile(0.5j * G, G, fractions=[0.5, 1.0], reference=b)
    assert q["t_reach"][1] == np.inf and q["t_reach"][0] == np.inf       # the NR hop at Gamma = 0.04 never gets there
    np.testing.assert_allclose(U.charging_profile(0.5j * G, G, fractions=[0.5])["t_reach"][0],
                               brentq(lambda t: _nr_closed(t, G) - 0.5 * _nr_closed(1e6, G), 1, 1000), rtol=1e-9)


@pytest.mark.parametrize("t", [10.0, 100.0, 1000.0])
def test_best_nr_energy_at_time_closed_form(t):
    r = U.best_nr_energy_at_time(t)
    np.testing.assert_allclose(r["E_B"], _nr_closed(t, r["Gamma"]), rtol=1e-9)
    grid = np.geomspace(1e-5, 10, 20001)
    assert _nr_closed(t, grid).max() <= r["E_B"] * (1 + 1e-9)
    assert _nr_closed(t, grid).max() >= r["E_B"] * (1 - 1e-6)


def test_new_uses_bad_input():
    with pytest.raises(ValueError, match="level"):
        U.settling_time(0.02j, G, level=1.5)
    with pytest.raises(ValueError, match="E"):
        U.settling_time(0.02j, G, E=0.0)
    with pytest.raises(ValueError, match="fractions"):
        U.charging_profile(0.02j, G, fractions=[0.0])
    with pytest.raises(ValueError, match="reference"):
        U.charging_profile(0.02j, G, reference=-1.0)
    with pytest.raises(ValueError, match="t"):
        U.best_nr_energy_at_time(-1.0)


def test_same_reservoir_reciprocal_control():
    """The control keeps the collective jumps and turns the hop real: the drift differs only in the hop's phase."""
    a = U.cascade("collective jump (Ahmadi, Liu)", 2).build().drift
    c = U.cascade("reciprocal hop + jumps", 2).build().drift
    d = a - c
    # -i h: the hop i G/2 -> G/2 changes A_10 by -i(-i G/2 - G/2) and A_01 by -i(i G/2 - G/2)
    np.testing.assert_allclose(d[1, 0], -1j * (-0.5j * G - G / 2), atol=1e-15)
    np.testing.assert_allclose(d[0, 1], -1j * (0.5j * G - G / 2), atol=1e-15)
    r = U.fault_response("reciprocal hop + jumps", loss=[K, 10 * K, K, K], t_max=800.0, n_t=81)
    assert 1e-3 < r["steady"][0] < 0.05 and r["steady"][1] > 0.05
