"""nrqb.papers.ahmadi: the functions that test the paper's claims beyond its formulas.

Each is compared with an independent route (the exact engine, an exact integral, qutip against
the engine) at a tolerance far below 1e-3, so that a result scaled by (1 + 1e-3) fails here.
"""

import numpy as np
import pytest

from nrqb.engine import NetworkBuilder
from nrqb.papers import ahmadi as ah

FIG2 = dict(Gamma=0.04, kappa_a=0.003, kappa_b=0.003, J=0.02)
FIG4 = dict(Gamma=0.01, kappa_a=0.1, kappa_b=0.003, J=0.005)


# ----------------------------------------------------------------------------- "fourfold"
@pytest.mark.parametrize("eta", [1.0, 2.0, 3.5, 3.9, 3.999])
def test_cooperativity_for_eta_opt_is_the_engine_ratio(eta):
    """At both roots the engine's steady ratio (optimised nonreciprocal pair at Gamma = 2|J|
    over the reciprocal pair) equals eta; between them it is smaller, outside larger."""
    lo, hi = ah.cooperativity_for_eta_opt(eta)
    assert lo * hi == pytest.approx(1.0, rel=1e-12) and lo <= 1 <= hi
    for C in (lo, hi):
        s = 0.01
        xi = 3.0
        ka, kb, J = s * xi, s / xi, s * np.sqrt(C) / 2
        pa, pb = ah.optimal_couplings(ka, kb)
        rec = ah.reciprocal_battery(J, ka, kb, 0.1).steady_state()["energies"][1]
        opt = ah.nonreciprocal_battery(2 * J, ka, kb, 0.1, p_a=pa, p_b=pb).steady_state()["energies"][1]
        assert opt / rec == pytest.approx(eta, rel=1e-9)
    if eta > 1:
        assert ah.eta_bb_opt_steady_C(np.sqrt(lo * hi) * 1.001) < eta       # inside: below
        assert ah.eta_bb_opt_steady_C(hi * 1.01) > eta and ah.eta_bb_opt_steady_C(lo / 1.01) > eta


# ----------------------------------------------------------------------------- elimination
def test_elimination_error_at_fixed_gamma_falls_as_one_over_gamma_c():
    """nu = sqrt(Gamma gamma_c)/2 keeps Gamma; the error times gamma_c is then constant (next order)."""
    errs = {gc: ah.elimination_error(gc, Gamma=0.04) for gc in (5.0, 50.0, 500.0)}
    prod = [gc * e for gc, e in errs.items()]
    assert max(prod) / min(prod) < 1.1
    # the same number, recomputed with the builder
    gc, G, kap = 50.0, 0.04, 0.003
    nu = np.sqrt(G * gc) / 2
    J = 0.5j * G * 1j                                  # J = -i mu Gamma/2, p_a = 1, p_b = i
    t = np.linspace(0, 2000, 81)
    full = NetworkBuilder().mode("a", loss=kap).mode("b", loss=kap).mode("c", loss=gc)
    full = full.hop("a", "b", J).hop("c", "a", nu).hop("c", "b", 1j * nu).drive("a", 0.01).build()
    eff = NetworkBuilder().mode("a", loss=kap).mode("b", loss=kap).hop("a", "b", J)
    eff = eff.shared_bath(G, {"a": 1, "b": 1j}).drive("a", 0.01).build()
    e = eff.energies(t)[:, 1]
    assert errs[gc] == pytest.approx(np.max(np.abs(full.energies(t)[:, 1] - e)) / e.max(), rel=1e-9)


# ----------------------------------------------------------------------------- mode mismatch
@pytest.mark.parametrize("da,db", [(0.0, 0.01), (0.004, -0.02), (0.01, 0.01)])
def test_mode_mismatch_keeps_the_condition_and_lorentzian_steady_state(da, db):
    """omega_a != omega_b: detunings -da, -db on the diagonal of h (frame of the drive)."""
    G, ka, kb, E = 0.04, 0.003, 0.005, 0.1
    nb = (NetworkBuilder().mode("a", loss=ka, detuning=-da).mode("b", loss=kb, detuning=-db)
          .hop("a", "b", 0.5j * G).shared_bath(G, {"a": 1, "b": 1}).drive("a", E))
    net = nb.build()
    assert abs(net.drift[0, 1]) < 1e-17 * abs(net.drift[1, 0]) + 1e-300
    La, Lb = ah.decay_rates(G, ka, kb)
    assert ah.steady_energy_battery_nr(G, La, Lb, E, delta=da, delta_b=db) == pytest.approx(
        net.steady_state()["energies"][1], rel=1e-11)


# ----------------------------------------------------------------------------- time windows
def _check_windows(windows, f, level, t_max):
    t = np.linspace(0, t_max, 20001)
    e = f(t)
    inside = np.zeros(len(t), bool)
    for a, b in windows:
        if b < t_max:
            assert f(np.array([b]))[0] == pytest.approx(level, rel=1e-9)
        if a > 0:
            assert f(np.array([a]))[0] == pytest.approx(level, rel=1e-9)
        inside |= (t >= a) & (t <= b)
    assert np.all(e[inside] >= level * (1 - 1e-9)) and np.all(e[~inside] <= level * (1 + 1e-9))


@pytest.mark.parametrize("pars,frac", [(FIG2, 0.9), (FIG2, 0.3), (FIG4, 0.5),
                                       (dict(Gamma=0.4, kappa_a=0.05, kappa_b=0.01, J=0.2), 0.8)])
def test_high_energy_windows_are_the_engine_crossings(pars, frac):
    J, G, ka, kb = pars["J"], pars["Gamma"], pars["kappa_a"], pars["kappa_b"]
    E, t_max = 0.1, 60 / J
    rec = ah.reciprocal_battery(J, ka, kb, E)
    nr = ah.nonreciprocal_battery(G, ka, kb, E)
    level = frac * ah.max_energy_battery_reciprocal(J, ka, kb, E)
    w = ah.high_energy_windows(J, G, ka, kb, level, t_max=t_max, drive=E)
    _check_windows(w["reciprocal"], lambda t: rec.energies(t)[:, 1], level, t_max)
    if nr.steady_state()["energies"][1] > level:
        _check_windows(w["nonreciprocal"], lambda t: nr.energies(t)[:, 1], level, t_max)
        assert len(w["nonreciprocal"]) == 1 and w["nonreciprocal"][0][1] == t_max
    else:
        assert w["nonreciprocal"] == []


def test_high_energy_windows_several_peaks():
    """A weakly damped pair: several reciprocal peaks above a low level, each a separate window."""
    J, ka, kb, E = 0.02, 0.001, 0.001, 0.1
    rec = ah.reciprocal_battery(J, ka, kb, E)
    level = 0.6 * ah.max_energy_battery_reciprocal(J, ka, kb, E)
    w = ah.high_energy_windows(J, 0.04, ka, kb, level, t_max=40 / J, drive=E)
    assert len(w["reciprocal"]) >= 3
    _check_windows(w["reciprocal"], lambda t: rec.energies(t)[:, 1], level, 40 / J)


# ----------------------------------------------------------------------------- dissipated energy
def test_dissipated_energy_single_mode_exact():
    """A driven lossy mode from the vacuum: |alpha|^2 = (4E^2/k^2)(1 - e^{-kt/2})^2, so the energy lost
    is (4E^2/k) [t - (4/k)(1 - e^{-kt/2}) + (1/k)(1 - e^{-kt})] and the work 2E Im(conj(alpha)) integrated."""
    k, E = 0.05, 0.1
    net = NetworkBuilder().mode("a", loss=k).drive("a", E).build()
    t = np.linspace(0, 300, 3001)
    d = ah.dissipated_energy(net, t)
    lost = 4 * E**2 / k * (t - 4 / k * -np.expm1(-k * t / 2) + 1 / k * -np.expm1(-k * t))
    np.testing.assert_allclose(d["local"][:, 0], lost, rtol=1e-9, atol=1e-11 * lost.max())   # Simpson, h = 0.1
    work = 4 * E**2 / k * (t - 2 / k * -np.expm1(-k * t / 2))    # int 2E |alpha| = (4E^2/k)(1 - e^{-kt/2})
    np.testing.assert_allclose(d["input"], work, rtol=1e-9, atol=1e-11 * work.max())
    assert d["shared"].shape == (len(t), 0)


@pytest.mark.parametrize("pa,pb,J", [(1, 1, None), (np.sqrt(3), 1 / np.sqrt(3), None), (1, 1, 0.013 + 0.004j)])
def test_dissipated_energy_balances_the_engine_energies(pa, pb, J):
    G, ka, kb, E = 0.04, 0.003, 0.005, 0.1
    net = ah.charger_battery(ah.nonreciprocal_J(G, pa, pb) if J is None else J, G, ka, kb, E, p_a=pa, p_b=pb)
    t = np.linspace(0, 400, 2001)
    d = ah.dissipated_energy(net, t)
    stored = net.energies(t).sum(axis=1)
    lost = d["local"].sum(axis=1) + d["shared"].sum(axis=1)
    np.testing.assert_allclose(d["input"] - lost, stored, rtol=0, atol=1e-9 * stored.max())
    # the shared reservoir alone, at the steady state: Gamma |p_a <a> + p_b <b>|^2 (engine amplitudes)
    alpha = net.steady_state()["amplitudes"]
    slope = (d["shared"][-1, 0] - d["shared"][-2, 0]) / (t[-1] - t[-2])
    late = net.amplitudes(t[-2:])
    p_sh = G * np.abs(late @ np.array([pa, pb])) ** 2
    assert slope == pytest.approx(p_sh.mean(), rel=1e-6)
    assert abs(alpha[0]) > 0


# ----------------------------------------------------------------------------- qutip
def test_qutip_coherent_check_pure_and_all_energy_is_ergotropy():
    G, ka, kb = 0.04, 0.003, 0.005
    a0 = np.array([0.1, 0.05j])
    nb = (NetworkBuilder().mode("a", loss=ka).mode("b", loss=kb).hop("a", "b", 0.5j * G)
          .shared_bath(G, {"a": 1, "b": 1}).drive("a", 0.002))
    net = nb.build(alpha0=a0)
    t = np.linspace(0, 600, 7)
    q = ah.qutip_coherent_check(net, t, alpha0=a0, cutoff=5)
    e_eng = net.energies(t)[:, 1]
    np.testing.assert_allclose(q["energy"], e_eng, rtol=1e-6)
    np.testing.assert_allclose(q["ergotropy"], e_eng, rtol=1e-5)
    np.testing.assert_allclose(q["purity"], 1.0, rtol=0, atol=1e-7)
    np.testing.assert_allclose(q["purity_mode"], 1.0, rtol=0, atol=1e-7)


def test_qutip_coherent_check_mixed_state_ergotropy_and_purity():
    """A driven mode with a thermal bath: a displaced thermal state, ergotropy omega |alpha|^2
    (engine, Gaussian) and purity 1/(2 n + 1) with n = n_th at the steady state."""
    k, E, nth = 0.05, 0.004, 0.05
    net = NetworkBuilder().mode("a", loss=k).drive("a", E).build(n_th=[nth])
    t = np.array([0.0, 100.0, 400.0])
    q = ah.qutip_coherent_check(net, t, mode=0, cutoff=8)
    np.testing.assert_allclose(q["ergotropy"][1:], net.ergotropy(t[1:], 0), rtol=1e-4)
    np.testing.assert_allclose(q["energy"], net.energies(t)[:, 0], rtol=1e-6, atol=1e-12)
    n_late = net.occupations([400.0])[0, 0] - abs(net.amplitudes([400.0])[0, 0]) ** 2
    assert q["purity_mode"][-1] == pytest.approx(1 / (2 * n_late + 1), rel=1e-5)
    assert q["purity"][0] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("call,name", [
    (lambda: ah.cooperativity_for_eta_opt(4.0), "eta"),
    (lambda: ah.cooperativity_for_eta_opt(0.99), "eta"),
    (lambda: ah.dissipated_energy("net", [0, 1, 2]), "net"),
    (lambda: ah.dissipated_energy(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1), [0, 1]), "t"),
    (lambda: ah.dissipated_energy(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1), [1, 2, 3]), "t"),
    (lambda: ah.dissipated_energy(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.1), [0, 2, 1]), "t"),
    (lambda: ah.dissipated_energy(NetworkBuilder().mode("a", loss=0.1).build(n_th=[0.1]), [0, 1, 2]), "net"),
    (lambda: ah.qutip_coherent_check("net", [0, 1]), "net"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0, 1], mode=2), "mode"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0, 1], mode=1.0), "mode"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0, 1], cutoff=1), "cutoff"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0, 1], alpha0=[1]), "alpha0"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [0, 1], alpha0=[np.nan, 0]),
     "alpha0"),
    (lambda: ah.qutip_coherent_check(ah.nonreciprocal_battery(0.04, 0.003, 0.003, 0.001), [1, 0]), "times"),
])
def test_bad_input_of_the_claim_functions(call, name):
    with pytest.raises(ValueError, match=name):
        call()
