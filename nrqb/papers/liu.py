"""Liu et al. (2026): cascaded and parallel quantum-battery networks, reciprocal and nonreciprocal.

B.-B. Liu, R. Chen, J.-L. Wu, G. Chen and S.-L. Su, "Connection-topology-dependent energy transport
and ergotropy in quantum battery networks with reciprocal and nonreciprocal couplings" (2026).

This module holds, in the order of the paper,

* model builders that map the paper's master equation, Eq. (2) with the Hamiltonians Eq. (1)
  (cascade) and Eq. (6) (star), and its thermal and squeezed versions Eqs. (15)-(16), onto
  :class:`nrqb.LinearNetwork` for any battery number ``N`` (optionally with each shared reservoir
  written out as an explicit damped auxiliary mode, the model *before* the adiabatic
  elimination), and the same master equations written directly in a truncated Fock space
  (:func:`paper_liouvillian`), independently of the engine;
* the paper's closed forms, each **corrected** form beside the form **as printed**:
  Eq. (3) (:func:`cascade_energy` / :func:`cascade_energy_paper_eq3`, with the decay rates
  :func:`cascade_lambdas` / :func:`cascade_lambdas_paper`), Eqs. (4)-(5), Eq. (7)
  (:func:`parallel_energy` / :func:`parallel_energy_paper_eq7`, rates :func:`parallel_lambdas` /
  :func:`parallel_lambdas_paper`), Eq. (8) (:func:`parallel_energy_ss` /
  :func:`parallel_energy_ss_paper_eq8`), Eq. (9), the optimal couplings Eq. (10) (and their
  numerical maximisation on the engine), the reciprocal chain Eqs. (11)-(12) with the constants
  ``a(j)``, ``b(j)`` derived here, the Green's-function sum Eq. (B14), the reciprocal star
  Eq. (13) and the window Eq. (14);
* what the chapter adds: the coupling above which the odd-even effect of Appendix B appears
  (:func:`odd_even_threshold`), the thermal shifts and squeezing enhancements of Sec. IV for
  every choice of hot or squeezed channels, the ergotropy in a truncated Fock space (the paper's
  route) and the settling times of Sec. III.

Conventions
-----------
Energies are returned in units of ``omega`` (the common mode frequency) unless ``omega`` is given.
Nodes are numbered ``0`` (charger ``a``) to ``N`` (battery ``b_N``).  In the cascade, link ``i``
(``i = 1..N``) joins node ``i-1`` to node ``i`` with coherent amplitude ``J_i e^{i theta_i}`` and
collective jump ``q_i = sqrt(Gamma_i)(p_{i-1} o_{i-1} + p_i o_i)``; in the parallel network link
``i`` joins the charger to battery ``i``.  The nonreciprocity condition used by the builders is
``J_i e^{i theta_i} = i Gamma_i conj(p_src) p_dst / 2``, i.e. the paper's
``theta_i = pi/2, p = 1`` (``gauge="pi/2"``) or ``theta_i = 0`` with the paper's complex ``p``
(``gauge="0"``), both with ``J_i = Gamma_i / 2``.  ``mu_i = conj(p_src) p_dst`` as in the
paper's Appendix A (the main text writes ``mu_1 = p_a p_b1``; see the chapter).

Every public function validates its arguments and raises ``ValueError`` naming the parameter.
"""

from __future__ import annotations

import math
from math import comb
from typing import Any, Sequence

import numpy as np

from ..engine.network import LinearNetwork
from ..engine.validation import count as _count, positive as _pos, rate as _nonneg, real as _real
from ..engine.validation import finite_array as _finite_array, rates as _validated_rates
from ..engine.validation import times as _validated_times

__all__ = [
    # model
    "gauge_coefficients",
    "cascade_network",
    "parallel_network",
    "paper_liouvillian",
    # nonreciprocal cascade, Eqs. (3)-(5)
    "cascade_lambdas",
    "cascade_lambdas_paper",
    "cascade_energy",
    "cascade_energy_paper_eq3",
    "cascade_energy_ss",
    "cascade_terminal_energy_ss",
    # nonreciprocal star, Eqs. (7)-(9)
    "parallel_lambdas",
    "parallel_lambdas_paper",
    "parallel_energy",
    "parallel_energy_paper_eq7",
    "parallel_energy_ss",
    "parallel_energy_ss_paper_eq8",
    "parallel_energy_ss_uniform",
    # optimal couplings, Eq. (10)
    "J_op_cascade",
    "J_op_parallel",
    "optimal_coupling_numeric",
    # reciprocal networks, Eqs. (11)-(14), Appendix B
    "reciprocal_constants",
    "reciprocal_cascade_energy_ss",
    "reciprocal_cascade_energy_ss_sum",
    "reciprocal_cascade_energy_ss_hyperbolic",
    "reciprocal_cascade_best_coupling",
    "reciprocal_cascade_green",
    "reciprocal_cascade_amplitudes",
    "reciprocal_parallel_amplitude",
    "reciprocal_parallel_energy_ss",
    "reciprocal_window",
    "window_edges_numeric",
    "odd_even_threshold_N",
    "odd_even_threshold",
    "odd_even_crossing",
    "zigzag_batteries",
    "steady_energy_profile",
    "terminal_energy_ss",
    # reservoirs, Sec. IV
    "channel_values",
    "thermal_shift",
    "squeezing_enhancement",
    "truncated_ergotropy",
    "moment_route_steady_state",
    # relaxation, Sec. III
    "settling_time",
    "terminal_energy_trace",
    "reciprocal_cascade_floor",
    "terminal_settling_time",
]

TOPOLOGIES = ("cascade", "parallel")
COUPLINGS = ("nonreciprocal", "reciprocal")


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def _times(t):
    """1-D array of finite times ``t >= 0`` (any order, repeats allowed)."""
    return _validated_times(t, one_d=True, nonnegative=True)


def _rates(values: Any, n: int, name: str) -> np.ndarray:
    return _validated_rates(values, name, n)


def _omega(omega: Any) -> float:
    return _pos(omega, "omega")


def _choice(value: Any, allowed: Sequence[str], name: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _node(n: Any, N: int, name: str = "n") -> int:
    """A node index ``0 <= n <= N`` (an integer, not a float or bool)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {n!r}")
    if not 0 <= n <= N:
        raise ValueError(f"{name} must be in [0, {N}], got {n!r}")
    return int(n)


def _complex_vector(values: Any, n: int, name: str) -> np.ndarray:
    arr = _finite_array(values, name, dtype=complex)
    if arr.ndim == 0:
        arr = np.full(n, complex(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must have {n} entries, got shape {arr.shape}")
    return arr


# --------------------------------------------------------------------------------------------
# model builders
# --------------------------------------------------------------------------------------------
def gauge_coefficients(N: int, topology: str = "cascade", gauge: str = "pi/2") -> tuple[np.ndarray, float]:
    """The paper's jump coefficients ``p`` (charger first) and coupling phase ``theta``.

    Parameters
    ----------
    N : int
        Number of batteries.
    topology : {"cascade", "parallel"}
    gauge : {"pi/2", "0"}
        ``"pi/2"``: ``theta_i = pi/2`` and every ``p = 1``.  ``"0"``: ``theta_i = 0``, ``p_a = i``
        and, in the cascade, ``p_{b_k} = (-i)^{k-1}`` (``1, -i, -1, i, ...``), in the parallel
        network ``p_{b_k} = 1`` (Liu et al., Appendix A, below Eqs. (A1), (A3), (A5), (A7)).

    Returns
    -------
    p : ndarray, shape (N + 1,), complex
    theta : float

    References
    ----------
    Liu et al., text below Eq. (2) and Appendix A.
    """
    N = _count(N)
    _choice(topology, TOPOLOGIES, "topology")
    _choice(gauge, ("pi/2", "0"), "gauge")
    if gauge == "pi/2":
        return np.ones(N + 1, complex), np.pi / 2
    p = np.ones(N + 1, complex)
    p[0] = 1j
    if topology == "cascade":
        p[1:] = (-1j) ** np.arange(N)
    return p, 0.0


def _links(N: int, topology: str) -> list[tuple[int, int]]:
    if topology == "cascade":
        return [(i - 1, i) for i in range(1, N + 1)]
    return [(0, i) for i in range(1, N + 1)]


def _link_parameters(N, J, Gammas):
    if Gammas is None:
        if J is None:
            raise ValueError("give J (or Gammas)")
        Js = _rates(J, N, "J")
        return Js, 2 * Js
    if J is not None:
        raise ValueError("give J or Gammas, not both")
    Gam = _rates(Gammas, N, "Gammas")
    return Gam / 2, Gam


def _network(N, topology, *, J, kappa, epsilon, coupling, gauge, kappa_a, n_th, squeezing, omega,
             Gammas, kappas, auxiliary_kappa=None) -> LinearNetwork:
    N = _count(N)
    kappa = _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    kappa_a = kappa if kappa_a is None else _nonneg(kappa_a, "kappa_a")
    _choice(coupling, COUPLINGS, "coupling")
    _choice(gauge, ("pi/2", "0"), "gauge")
    _omega(omega)
    Js, Gam = _link_parameters(N, J, Gammas)
    kb = _rates(kappa if kappas is None else kappas, N, "kappas")
    if auxiliary_kappa is not None:
        auxiliary_kappa = _pos(auxiliary_kappa, "auxiliary_kappa")
        if coupling != "nonreciprocal":
            raise ValueError("auxiliary_kappa needs coupling='nonreciprocal' (the reciprocal model has no reservoir)")
    n = N + 1
    n_all = n + (N if auxiliary_kappa is not None else 0)
    h = np.zeros((n_all, n_all), complex)
    jumps = []
    links = _links(N, topology)
    loss = np.concatenate([[kappa_a], kb])
    if coupling == "nonreciprocal":
        p, theta = gauge_coefficients(N, topology, gauge)
        for i, ((s, d), Jl, G) in enumerate(zip(links, Js, Gam)):
            # J e^{i theta} a_s^dag a_d + h.c.  and  q = sqrt(Gamma)(p_s a_s + p_d a_d)
            h[s, d] += Jl * np.exp(1j * theta)
            h[d, s] += Jl * np.exp(-1j * theta)
            if auxiliary_kappa is None:
                # given sparsely, {mode: coefficient}: a dense O(n) vector per link made the build O(N^2)
                jumps.append((G, {s: complex(p[s]), d: complex(p[d])}))
            else:
                # the reservoir as a damped mode c_i: H = sum_j (g_j o_j^dag c_i + h.c.) with
                # g_j = sqrt(Gamma kappa_c) conj(p_j) / 2, loss kappa_c D[c_i]; eliminating c_i
                # gives D[sqrt(Gamma)(p_s o_s + p_d o_d)] (see liu_sym.adiabatic_elimination)
                ci = n + i
                for j in (s, d):
                    g = np.sqrt(G * auxiliary_kappa) * np.conj(p[j]) / 2
                    h[j, ci] += g
                    h[ci, j] += np.conj(g)
        if auxiliary_kappa is not None:
            loss = np.concatenate([loss, np.full(N, auxiliary_kappa)])
    else:
        for (s, d), Jl in zip(links, Js):
            h[s, d] += Jl
            h[d, s] += Jl
    F = np.zeros(n_all, complex)
    F[0] = epsilon
    return LinearNetwork(h, loss=loss, jumps=jumps, drive=F, n_th=n_th, squeezing=squeezing,
                         omega=omega)


def cascade_network(N: int, *, J: Any = None, kappa: float, epsilon: float,
                    coupling: str = "nonreciprocal", gauge: str = "pi/2", kappa_a: float | None = None,
                    kappas: Any = None, Gammas: Any = None, n_th: Any = 0.0, squeezing: Any = None,
                    omega: Any = 1.0, auxiliary_kappa: float | None = None) -> LinearNetwork:
    """The cascaded network of Liu et al., Eqs. (1)-(2) (and (15)-(16) with ``n_th``/``squeezing``).

    Parameters
    ----------
    N : int
        Number of batteries; the network has ``N + 1`` modes ``(a, b_1, ..., b_N)``.
    J : float or sequence of float, optional
        Coherent coupling ``J_i`` of each link (one value for all, or ``N`` values).  For
        ``coupling="nonreciprocal"`` the collective rates are ``Gamma_i = 2 J_i``.
    kappa : float
        Local loss of every battery ``kappa_i`` (and of the charger unless ``kappa_a`` is given).
    epsilon : float
        Drive ``epsilon (a + a^dag)`` on the charger.
    coupling : {"nonreciprocal", "reciprocal"}
        ``"nonreciprocal"``: hop ``J_i e^{i theta_i}`` plus collective jump ``q_i`` at the
        nonreciprocity condition.  ``"reciprocal"``: the chain of Appendix B, Eq. (B1): real hops
        ``J`` and no collective jumps.
    gauge : {"pi/2", "0"}
        The two nonreciprocal choices of the paper (:func:`gauge_coefficients`).  They give the same
        energies for thermal baths but different ones for squeezed baths.
    kappa_a : float, optional
        Charger loss (default ``kappa``).
    kappas : sequence of float, optional
        Per-battery losses (overrides ``kappa`` for the batteries).
    Gammas : sequence of float, optional
        Per-link collective rates ``Gamma_i`` (instead of ``J``; then ``J_i = Gamma_i / 2``).
    n_th, squeezing, omega
        Passed to :class:`~nrqb.engine.LinearNetwork`.  Channel order: the local losses of
        ``a, b_1..b_N``, then ``q_1..q_N`` (or, with ``auxiliary_kappa``, the losses of the
        auxiliary modes ``c_1..c_N``).
    auxiliary_kappa : float, optional
        If given, each shared reservoir ``q_i`` is written out as a damped auxiliary mode ``c_i``
        (modes ``N+1 .. 2N``, loss ``auxiliary_kappa``) coupled to the two nodes of link ``i`` with
        ``g_j = sqrt(Gamma_i auxiliary_kappa) conj(p_j) / 2``: the model before the adiabatic
        elimination, which it approaches as ``auxiliary_kappa -> infinity``.

    Returns
    -------
    LinearNetwork

    Raises
    ------
    ValueError
        Negative or NaN rates, bad ``N``, unknown ``coupling``/``gauge``.

    References
    ----------
    Liu et al., Eqs. (1), (2), (15), (16), (A1), (A3), (B1); Sec. V (auxiliary modes).
    """
    return _network(N, "cascade", J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge,
                    kappa_a=kappa_a, n_th=n_th, squeezing=squeezing, omega=omega, Gammas=Gammas,
                    kappas=kappas, auxiliary_kappa=auxiliary_kappa)


def parallel_network(N: int, *, J: Any = None, kappa: float, epsilon: float,
                     coupling: str = "nonreciprocal", gauge: str = "pi/2", kappa_a: float | None = None,
                     kappas: Any = None, Gammas: Any = None, n_th: Any = 0.0, squeezing: Any = None,
                     omega: Any = 1.0, auxiliary_kappa: float | None = None) -> LinearNetwork:
    """The parallel (star) network of Liu et al., Eq. (6) with jumps ``q_i = sqrt(Gamma_i)(p_a a + p_i b_i)``.

    Parameters are those of :func:`cascade_network`; link ``i`` joins the charger to battery ``i``.
    ``coupling="reciprocal"`` gives real hops ``J`` and no collective jumps (the model of Eq. (13)).

    Returns
    -------
    LinearNetwork

    References
    ----------
    Liu et al., Eqs. (6), (13), (15), (16), (A5), (A7).
    """
    return _network(N, "parallel", J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge,
                    kappa_a=kappa_a, n_th=n_th, squeezing=squeezing, omega=omega, Gammas=Gammas,
                    kappas=kappas, auxiliary_kappa=auxiliary_kappa)


def _builder(topology: str):
    return cascade_network if _choice(topology, TOPOLOGIES, "topology") == "cascade" else parallel_network


def paper_liouvillian(N: int, topology: str, *, J: float, kappa: float, epsilon: float, cutoff: int,
                      coupling: str = "nonreciprocal", gauge: str = "pi/2", n_th: float = 0.0,
                      r: float = 0.0, theta_r: float = 0.0, squeezed: Sequence[str] = ("local", "shared")):
    """Liu et al.'s master equations (2), (15) and (16) written term by term in a truncated Fock space.

    Built from the paper's Hamiltonian and dissipators directly with qutip superoperators, not from
    :class:`~nrqb.engine.LinearNetwork`, so it is an independent route to the engine:

    ``L rho = -i[H, rho] + sum_channels gamma [(P + 1) D[o] + P D[o^dag] - Q D'[o] - Q^* D'[o^dag]] rho``

    with ``D'[o] rho = o rho o - {o o, rho}/2``, ``P = n_th`` and ``Q = 0`` on thermal channels,
    ``P = sinh^2 r`` and ``Q = sinh r cosh r e^{-i theta_r}`` on squeezed ones (Eq. (16) has
    ``n_th = 0``; a channel cannot be both hot and squeezed here).

    Parameters
    ----------
    N : int
        Number of batteries.
    topology : {"cascade", "parallel"}
    J, kappa, epsilon : float
        Uniform coupling (``Gamma = 2 J``), uniform local loss, drive.
    cutoff : int
        Fock dimension of every mode (>= 2).
    coupling, gauge
        As in :func:`cascade_network`.
    n_th : float
        Occupation of the thermal channels (those not squeezed).
    r, theta_r : float
        Squeezing strength and phase of the squeezed channels.
    squeezed : sequence of {"local", "shared"}
        Which channels carry the squeezing: the local baths ``kappa D[o_j]``, the shared
        reservoirs ``D[q_i]``, both (Eq. (16)) or none.

    Returns
    -------
    H : qutip.Qobj
    liouvillian : qutip.Qobj (superoperator)
    ops : list of qutip.Qobj
        The mode operators ``a, b_1, ..., b_N``.

    References
    ----------
    Liu et al., Eqs. (1), (2), (6), (15), (16).
    """
    import qutip as qt

    N = _count(N)
    _choice(topology, TOPOLOGIES, "topology")
    _choice(coupling, COUPLINGS, "coupling")
    J, kappa = _nonneg(J, "J"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    cutoff = _count(cutoff, "cutoff", minimum=2)
    n_th, r, theta_r = _nonneg(n_th, "n_th"), _nonneg(r, "r"), _real(theta_r, "theta_r")
    if isinstance(squeezed, str) or not set(squeezed) <= {"local", "shared"}:
        raise ValueError(f"squeezed must be a sequence of 'local'/'shared', got {squeezed!r}")
    if r > 0 and n_th > 0 and set(squeezed) == {"local", "shared"}:
        raise ValueError("give either n_th or r on the same channels (Eq. (16) has n_th = 0)")
    n = N + 1
    ops = [qt.tensor([qt.destroy(cutoff) if k == j else qt.qeye(cutoff) for k in range(n)]) for j in range(n)]
    H = epsilon * (ops[0] + ops[0].dag())
    shared_ops = []
    p, theta = gauge_coefficients(N, topology, gauge)
    for (s, d) in _links(N, topology):
        if coupling == "nonreciprocal":
            Jc = J * np.exp(1j * theta)
            shared_ops.append(np.sqrt(2 * J) * (p[s] * ops[s] + p[d] * ops[d]))
        else:
            Jc = J
        H = H + Jc * ops[s].dag() * ops[d] + np.conj(Jc) * ops[d].dag() * ops[s]

    def d_prime(o):
        return qt.spre(o) * qt.spost(o) - 0.5 * (qt.spre(o * o) + qt.spost(o * o))

    P_sq, Q_sq = np.sinh(r) ** 2, np.sinh(r) * np.cosh(r) * np.exp(-1j * theta_r)
    Lv = qt.liouvillian(H)
    for kind, rate, o in [("local", kappa, op) for op in ops] + [("shared", 1.0, q) for q in shared_ops]:
        if rate == 0:
            continue
        if kind in squeezed and r > 0:
            P_, Q_ = P_sq, Q_sq
        else:
            P_, Q_ = n_th, 0.0
        Lv = Lv + rate * ((P_ + 1) * qt.lindblad_dissipator(o) + P_ * qt.lindblad_dissipator(o.dag()))
        if Q_ != 0:
            Lv = Lv - rate * (Q_ * d_prime(o) + np.conj(Q_) * d_prime(o.dag()))
    return H, Lv, ops


# --------------------------------------------------------------------------------------------
# the hypoexponential step response: the bracket of Eqs. (3) and (7), exact at any rates
# --------------------------------------------------------------------------------------------
#: above this many (Poisson steps x rates) the uniformisation gives way to a Krylov exponential
_UNIFORMISATION_BUDGET = 6e7


def _vandermonde_coefficients(lam: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.array([np.prod(np.delete(lam, p_) / (np.delete(lam, p_) - lam[p_])) for p_ in range(len(lam))])


def _uniformised_cdf(t: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``Pr(T_0 + ... + T_n <= t)`` by uniformisation: sums of non-negative terms only.

    With ``L = max lam`` the pure-birth chain 0 -> 1 -> ... -> n -> absorbed is a discrete chain
    (advance with probability ``lam_m / L``) run at Poisson times of rate ``L``:
    ``F(t) = sum_k Pois(k; L t) a_k`` with ``a_k`` the probability of absorption within ``k``
    steps.  No cancellation, so full relative accuracy at every ``t``, including coincident or
    nearly coincident rates and the ``t^{n+1}`` onset.
    """
    from scipy.special import gammaln

    L = lam.max()
    x = L * t
    xmax = float(x.max()) if len(x) else 0.0
    K = int(xmax + 12.0 * np.sqrt(xmax) + 60)
    move = lam / L
    stay = 1.0 - move
    p = np.zeros(len(lam))
    p[0] = 1.0
    a = np.zeros(K + 1)
    absorbed = 0.0
    for k in range(1, K + 1):
        flow = p * move
        absorbed += flow[-1]
        p = p * stay
        p[1:] += flow[:-1]
        a[k] = absorbed
    out = np.zeros(len(t))
    order = np.argsort(x, kind="stable")
    pos = order[x[order] > 0]
    for start in range(0, len(pos), 128):  # chunks of nearby times share one window of k
        idx = pos[start:start + 128]
        xc = x[idx]
        lo = max(0, int(xc.min() - 12.0 * np.sqrt(xc.min()) - 40))
        hi = min(K, int(xc.max() + 12.0 * np.sqrt(xc.max()) + 40))
        ks = np.arange(lo, hi + 1)
        logp = np.outer(np.log(xc), ks) - xc[:, None] - gammaln(ks + 1.0)[None, :]
        out[idx] = np.exp(logp) @ a[ks]
    return np.minimum(out, 1.0)


def _krylov_cdf(t: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """The same CDF as ``1 - [exp(-M t) 1]_n`` by a sparse Krylov exponential (very long chains)."""
    from scipy.sparse import diags
    from scipy.sparse.linalg import expm_multiply

    Ms = diags([lam, -lam[1:]], [0, -1], format="csr")
    ones = np.ones(len(lam))
    return np.array([1.0 - expm_multiply(-Ms * tk, ones)[-1] if tk > 0 else 0.0 for tk in t])


def _step_response(t: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``F(t) = 1 - sum_p prod_{m != p} lam_m / (lam_m - lam_p) e^{-lam_p t}`` for rates ``lam > 0``.

    The CDF of a sum of independent exponential times of rates ``lam_m`` (a hypoexponential
    distribution).  Well-separated rates and ``max(lam) t >= 1``: the Vandermonde sum (its
    cancellation costs at most ``1e4`` ulps).  Otherwise (coincident or nearly coincident rates,
    a removable singularity of the sum, or the onset ``t -> 0`` where the sum cancels):
    uniformisation, which adds non-negative terms only.
    """
    lam = np.asarray(lam, float)
    if np.any(~np.isfinite(lam)) or np.any(lam <= 0):
        raise ValueError(f"all Lambda must be > 0 and finite for a steady state, got {lam.tolist()}")
    coef = _vandermonde_coefficients(lam)
    separated = bool(np.all(np.isfinite(coef)) and np.max(np.abs(coef)) < 1e4)
    out = np.empty(len(t))
    small = lam.max() * t < 1.0
    use_sum = separated & ~small if separated else np.zeros(len(t), bool)
    if use_sum.any():
        out[use_sum] = 1.0 - np.exp(-np.outer(t[use_sum], lam)) @ coef
    rest = ~use_sum
    if rest.any():
        tr = t[rest]
        xmax = lam.max() * tr.max()
        if (xmax + 12 * np.sqrt(xmax) + 60) * len(lam) <= _UNIFORMISATION_BUDGET:
            out[rest] = _uniformised_cdf(tr, lam)
        else:  # pragma: no cover - only for chains far longer than the book's
            out[rest] = _krylov_cdf(tr, lam)
    return out


# --------------------------------------------------------------------------------------------
# nonreciprocal cascade: Eqs. (3)-(5)
# --------------------------------------------------------------------------------------------
def cascade_lambdas(Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                    p: Sequence[complex] | None = None) -> np.ndarray:
    """The decay rates ``Lambda_0..Lambda_N`` of the nodes of the cascade (corrected definition).

    ``Lambda_0 = Gamma_1 |p_a|^2 + kappa_a``, ``Lambda_i = (Gamma_i + Gamma_{i+1}) |p_i|^2 + kappa_i``
    for ``i = 1..N-1``, ``Lambda_N = Gamma_N |p_N|^2 + kappa_N``: every node that belongs to two
    collective jumps decays through both.  The paper (below Eq. (3)) writes the last rule for the
    node ``n`` whose energy is wanted, which is right only for ``n = N``; the printed definitions
    are :func:`cascade_lambdas_paper`.

    Parameters
    ----------
    Gammas : sequence of float, length N
    kappa_a : float
    kappas : sequence of float, length N
    p : sequence of complex, length N + 1, optional (default all ones)

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Eq. (3) and Eqs. (A1), (A3).
    """
    G = np.atleast_1d(_validated_rates(Gammas, "Gammas"))
    N = len(G)
    if G.ndim != 1 or N == 0:
        raise ValueError(f"Gammas must be a non-empty 1-D sequence, got {Gammas!r}")
    kb = _rates(kappas, N, "kappas")
    ka = _nonneg(kappa_a, "kappa_a")
    w = np.ones(N + 1) if p is None else np.abs(_complex_vector(p, N + 1, "p")) ** 2
    Gpad = np.concatenate([[0.0], G, [0.0]])  # Gpad[i] = Gamma_i, Gpad[N+1] = 0
    lam = np.empty(N + 1)
    lam[0] = G[0] * w[0] + ka
    for i in range(1, N + 1):
        lam[i] = (Gpad[i] + Gpad[i + 1]) * w[i] + kb[i - 1]
    return lam


def cascade_lambdas_paper(n: int, Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                          p: Sequence[complex] | None = None) -> np.ndarray:
    """``Lambda_0..Lambda_n`` **as printed** below Liu et al.'s Eq. (3), for the energy of node ``n``.

    ``Lambda_0 = Gamma_1 |p_a|^2 + kappa_a``, ``Lambda_i = (Gamma_i + Gamma_{i+1}) |p_i|^2 + kappa_i``
    for ``i = 1..n-1`` and ``Lambda_n = Gamma_n |p_n|^2 + kappa_n``.  For ``n < N`` the last rule
    drops the jump ``q_{n+1}`` that node ``n`` also belongs to; compare :func:`cascade_lambdas`.

    Parameters
    ----------
    n : int
        The node (1..N) whose energy Eq. (3) is to give.
    Gammas, kappa_a, kappas, p
        As in :func:`cascade_lambdas` (the whole chain).

    Returns
    -------
    ndarray, shape (n + 1,)

    References
    ----------
    Liu et al., Eqs. (3), (4).
    """
    G = np.atleast_1d(_validated_rates(Gammas, "Gammas"))
    N = len(G)
    n = _node(n, N)
    lam = cascade_lambdas(G, kappa_a, kappas, p)[: n + 1].copy()
    if 1 <= n < N:
        w = np.ones(N + 1) if p is None else np.abs(_complex_vector(p, N + 1, "p")) ** 2
        kb = _rates(kappas, N, "kappas")
        lam[n] = G[n - 1] * w[n] + kb[n - 1]
    return lam


def _mu_squared(mu: Any, n: int) -> np.ndarray:
    if mu is None:
        return np.ones(n)
    m = _finite_array(mu, "mu", dtype=complex)
    m = np.atleast_1d(m)
    if m.ndim != 1 or len(m) < n:
        raise ValueError(f"mu must hold at least {n} values, got {mu!r}")
    return np.abs(m[:n]) ** 2


def _lambdas_for(n: int, Lambdas: Any) -> np.ndarray:
    lam = _finite_array(Lambdas, "Lambdas", dtype=float)
    lam = np.atleast_1d(lam)
    if lam.ndim != 1 or len(lam) < n + 1:
        raise ValueError(f"need Lambda_0..Lambda_{n}, got {len(lam)} values")
    lam = lam[: n + 1]
    if np.any(lam <= 0):
        raise ValueError(f"Lambdas must be > 0 for a steady state, got {lam.tolist()}")
    return lam


def cascade_energy_ss(n: int, Lambdas: Sequence[float], Gammas: Sequence[float], epsilon: float,
                      mu: Sequence[complex] | None = None, omega: float = 1.0) -> float:
    """Steady energy of node ``n`` of the nonreciprocal cascade, Liu et al., Eq. (4).

    ``E_n^ss = 4^{n+1} omega eps^2 prod_{m=1}^n |mu_m|^2 Gamma_m^2 / prod_{m=0}^n Lambda_m^2``,
    evaluated as a product of ratios (no overflow at ``n = 1000``).  Pass the Lambdas of
    :func:`cascade_lambdas` (correct at every node) or of :func:`cascade_lambdas_paper` (as printed).

    Parameters
    ----------
    n : int
        Node (0 = charger).
    Lambdas : sequence of float
        ``Lambda_0..Lambda_n`` (at least ``n + 1`` values, all > 0).
    Gammas : sequence of float
        ``Gamma_1..Gamma_n`` (at least ``n`` values).
    epsilon : float
        Drive amplitude.
    mu : sequence of complex, optional
        ``mu_1..mu_n`` (default all of modulus 1).
    omega : float
        Energy per quantum.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (4) (= the ``t -> infinity`` limit of Eq. (3) and of Eqs. (A2), (A4)).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an integer >= 0, got {n!r}")
    n = int(n)
    lam = _lambdas_for(n, Lambdas)
    G = np.atleast_1d(_validated_rates(Gammas, "Gammas"))
    if len(G) < n:
        raise ValueError(f"Gammas must hold at least n = {n} values, got {len(G)}")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    m2 = _mu_squared(mu, n)
    val = 4 * omega * epsilon**2 / lam[0] ** 2
    for m in range(1, n + 1):
        val *= 4 * m2[m - 1] * G[m - 1] ** 2 / lam[m] ** 2
    return float(val)


def cascade_energy(t: Any, n: int, Lambdas: Sequence[float], Gammas: Sequence[float], epsilon: float,
                   mu: Sequence[complex] | None = None, omega: float = 1.0) -> np.ndarray:
    """Energy of node ``n`` of the nonreciprocal cascade, Liu et al., Eq. (3), sign corrected.

    .. math::

        E_n(t) = E_n^{ss}\\Big[1 - \\sum_{p=0}^n \\prod_{m\\ne p}\\frac{\\Lambda_m}{\\Lambda_m-\\Lambda_p}
                 e^{-\\Lambda_p t/2}\\Big]^2
               = \\frac{\\mathcal A_n}{\\mathcal V_n^2}\\Big[\\mathcal V_n - \\sum_{p=0}^n (-1)^{n+p}
                 \\Big(\\prod_{m\\ne p}\\Lambda_m\\Big)\\mathcal V_n^{(p)} e^{-\\Lambda_p t/2}\\Big]^2 ,

    i.e. Eq. (3) with ``-`` instead of ``+`` in front of the sum (the printed ``+`` gives
    ``E_n(0) = 4 E_n^ss`` instead of 0; Eqs. (A2), (A4) have the correct sign).  The bracket is
    the CDF of a sum of exponential dwell times of rates ``Lambda_m / 2``; it is evaluated so
    that it stays exact when Lambdas coincide (e.g. ``Lambda_0 = Lambda_N`` in the uniform chain)
    or nearly coincide, and at the onset ``E ~ t^{2(n+1)}``.

    Parameters
    ----------
    t : array_like
        Times ``>= 0`` in any order (units of 1/omega if the rates are in units of omega).
    n : int
        Node index, 0 (charger) to N.
    Lambdas : sequence of float
        ``Lambda_0..Lambda_N`` (at least ``n + 1`` of them), :func:`cascade_lambdas`.
    Gammas : sequence of float
        ``Gamma_1..Gamma_N``.
    epsilon : float
        Drive amplitude.
    mu : sequence of complex, optional
        ``mu_1..mu_N`` (default all of modulus 1).
    omega : float
        Energy per quantum.

    Returns
    -------
    ndarray, shape (len(t),)

    References
    ----------
    Liu et al., Eqs. (3), (A2), (A4).
    """
    t = _times(t)
    ss = cascade_energy_ss(n, Lambdas, Gammas, epsilon, mu, omega)
    lam = _lambdas_for(int(n), Lambdas)
    return ss * _step_response(t, lam / 2) ** 2


def cascade_energy_paper_eq3(t: Any, n: int, Lambdas: Sequence[float], Gammas: Sequence[float],
                             epsilon: float, mu: Sequence[complex] | None = None, omega: float = 1.0,
                             sign: int = +1) -> np.ndarray:
    """Liu et al., Eq. (3) **literally**, with the Vandermonde products ``V_n`` and ``V_n^(p)``.

    ``sign=+1`` is the printed equation; ``sign=-1`` the corrected one (equal to
    :func:`cascade_energy`).  Needs pairwise distinct Lambdas (0/0 otherwise).  Being literal, the
    sum cancels at the onset (``Lambda t << 1``, where the corrected energy is ``~ t^{2n+2}``) and
    near coincident Lambdas; :func:`cascade_energy` does not.  With the Lambdas
    of :func:`cascade_lambdas_paper` it is Eq. (3) with its printed definitions as well.

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eq. (3).
    """
    t = _times(t)
    if isinstance(sign, bool) or sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}")
    An = cascade_energy_ss(n, Lambdas, Gammas, epsilon, mu, omega)
    n = int(n)
    lam = _lambdas_for(n, Lambdas)
    if len(set(lam.tolist())) != n + 1:
        raise ValueError("Eq. (3) as printed needs pairwise distinct Lambdas (it is 0/0 otherwise)")

    def vdm(idx):
        v = 1.0
        for a_ in range(len(idx)):
            for b_ in range(a_ + 1, len(idx)):
                v *= lam[idx[a_]] - lam[idx[b_]]
        return v

    Vn = vdm(list(range(n + 1)))
    S = np.zeros_like(t)
    for p_ in range(n + 1):
        others = [m for m in range(n + 1) if m != p_]
        S += (-1) ** (n + p_) * np.prod(lam[others]) * vdm(others) * np.exp(-lam[p_] * t / 2)
    return An / Vn**2 * (Vn + sign * S) ** 2


def cascade_terminal_energy_ss(N: int, Gamma: float, kappa: float, epsilon: float,
                               omega: float = 1.0) -> float:
    """Terminal-battery steady energy of the uniform cascade, Liu et al., Eq. (5).

    ``E_c^ss(N) = 4^{N+1} omega eps^2 Gamma^{2N} / ((Gamma + kappa)^4 (2 Gamma + kappa)^{2N-2})``,
    evaluated in logarithms (valid up to ``N ~ 10^6``).

    Parameters
    ----------
    N : int
    Gamma, kappa : float
        ``Gamma_i = Gamma`` (``= 2 J``) and ``kappa_a = kappa_i = kappa``.
    epsilon, omega : float

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (5) (Eq. (4) with ``Lambda_0 = Lambda_N = Gamma + kappa``,
    ``Lambda_{1..N-1} = 2 Gamma + kappa``).
    """
    N = _count(N)
    Gamma, kappa = _nonneg(Gamma, "Gamma"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    if Gamma == 0 and kappa == 0:
        raise ValueError("Gamma + kappa must be > 0 (no steady state without decay)")
    if Gamma == 0 or epsilon == 0:
        return 0.0
    logE = ((N + 1) * np.log(4.0) + 2 * np.log(abs(epsilon)) + 2 * N * np.log(Gamma)
            - 4 * np.log(Gamma + kappa) - (2 * N - 2) * np.log(2 * Gamma + kappa))
    return float(omega * np.exp(logE))


# --------------------------------------------------------------------------------------------
# nonreciprocal star: Eqs. (7)-(9)
# --------------------------------------------------------------------------------------------
def parallel_lambdas(Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                     p: Sequence[complex] | None = None) -> np.ndarray:
    """Decay rates of the parallel network (corrected): ``Lambda_0 = sum_{i=1}^N Gamma_i |p_a|^2 + kappa_a``,
    ``Lambda_i = Gamma_i |p_i|^2 + kappa_i``.

    The sum in ``Lambda_0`` runs over **all** N batteries (Eq. (A5)); the text below Eq. (7) has
    ``sum_{i=1}^n`` (:func:`parallel_lambdas_paper`).

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Eq. (7) and Eqs. (A5), (A7).
    """
    G = np.atleast_1d(_validated_rates(Gammas, "Gammas"))
    N = len(G)
    if G.ndim != 1 or N == 0:
        raise ValueError(f"Gammas must be a non-empty 1-D sequence, got {Gammas!r}")
    kb = _rates(kappas, N, "kappas")
    ka = _nonneg(kappa_a, "kappa_a")
    w = np.ones(N + 1) if p is None else np.abs(_complex_vector(p, N + 1, "p")) ** 2
    return np.concatenate([[G.sum() * w[0] + ka], G * w[1:] + kb])


def parallel_lambdas_paper(n: int, Gammas: Sequence[float], kappa_a: float, kappas: Sequence[float],
                           p: Sequence[complex] | None = None) -> tuple[float, float]:
    """``(Lambda_0, Lambda_n)`` **as printed** below Liu et al.'s Eq. (7), for battery ``n``.

    ``Lambda_0 = sum_{i=1}^{n} Gamma_i |p_a|^2 + kappa_a`` (the sum stops at the battery ``n`` whose
    energy is wanted, instead of running over all ``N``), ``Lambda_n = Gamma_n |p_n|^2 + kappa_n``.

    Returns
    -------
    (float, float)

    References
    ----------
    Liu et al., Eq. (7).
    """
    G = np.atleast_1d(_validated_rates(Gammas, "Gammas"))
    N = len(G)
    n = _node(n, N)
    if n == 0:
        raise ValueError("n must be a battery, 1..N")
    lam = parallel_lambdas(G[:n], kappa_a, _rates(kappas, N, "kappas")[:n],
                           None if p is None else _complex_vector(p, N + 1, "p")[: n + 1])
    return float(lam[0]), float(lam[n])


def parallel_energy_ss(Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                       mu_n: complex = 1.0, omega: float = 1.0) -> float:
    """Steady energy of battery ``n`` of the parallel network, Liu et al., Eq. (8) corrected.

    ``E_n^ss = 16 omega eps^2 |mu_n|^2 Gamma_n^2 / (Lambda_0^2 Lambda_n^2)``, the ``t -> infinity``
    limit of Eq. (7)/(A6).  With ``Gamma_i = Gamma``, ``kappa_i = kappa`` it is Eq. (9).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (8), (9), (A6).
    """
    L0, Ln = _pos(Lambda0, "Lambda0"), _pos(Lambda_n, "Lambda_n")
    Gn = _nonneg(Gamma_n, "Gamma_n")
    epsilon = _real(epsilon, "epsilon")
    mu_abs = abs(complex(_finite_array(mu_n, "mu_n")))
    omega = _omega(omega)
    return float(16 * omega * epsilon**2 * mu_abs**2 * Gn**2 / (L0**2 * Ln**2))


def parallel_energy_ss_paper_eq8(Lambda1: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                                 mu_n: complex = 1.0, omega: float = 1.0) -> float:
    """Liu et al., Eq. (8) **as printed**: ``16 omega eps^2 |mu_n|^2 Gamma_n^2 / (Lambda_1^2 Lambda_n^2)``.

    ``Lambda_1`` (the first *battery*) stands where the limit of Eq. (7) has the charger's
    ``Lambda_0``; see :func:`parallel_energy_ss`.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (8).
    """
    return parallel_energy_ss(_pos(Lambda1, "Lambda1"), Lambda_n, Gamma_n, epsilon, mu_n, omega)


def parallel_energy_ss_uniform(N: int, Gamma: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Liu et al., Eq. (9): ``E_p^ss(N) = 16 omega eps^2 Gamma^2 / ((N Gamma + kappa)^2 (Gamma + kappa)^2)``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (9).
    """
    N = _count(N)
    Gamma, kappa = _nonneg(Gamma, "Gamma"), _nonneg(kappa, "kappa")
    if Gamma + kappa == 0:
        raise ValueError("Gamma + kappa must be > 0 (no steady state without decay)")
    return parallel_energy_ss(N * Gamma + kappa, Gamma + kappa, Gamma, epsilon, 1.0, omega)


def parallel_energy(t: Any, Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                    mu_n: complex = 1.0, omega: float = 1.0) -> np.ndarray:
    """Battery ``n`` of the nonreciprocal parallel network, Liu et al., Eq. (7) in its correct form (A6).

    .. math::

        E_n(t) = \\frac{16\\,\\omega\\epsilon^2|\\mu_n|^2\\Gamma_n^2}{\\Lambda_0^2\\Lambda_n^2(\\Lambda_0-\\Lambda_n)^2}
                 \\Big[(\\Lambda_0-\\Lambda_n) - \\big(\\Lambda_0 e^{-\\Lambda_n t/2} - \\Lambda_n e^{-\\Lambda_0 t/2}\\big)\\Big]^2 .

    Evaluated as ``E_n^ss F(t)^2`` with the two-stage step response ``F``, exact at and near
    ``Lambda_0 = Lambda_n`` (a removable singularity) and at the onset ``E ~ t^4``.

    Parameters
    ----------
    t : array_like
        Times ``>= 0``.
    Lambda0 : float
        ``sum_i Gamma_i |p_a|^2 + kappa_a`` (all N batteries), :func:`parallel_lambdas`.
    Lambda_n, Gamma_n : float
    epsilon : float
    mu_n : complex
    omega : float

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eqs. (7), (A6), (A8).
    """
    t = _times(t)
    ss = parallel_energy_ss(Lambda0, Lambda_n, Gamma_n, epsilon, mu_n, omega)
    return ss * _step_response(t, np.array([float(Lambda0), float(Lambda_n)]) / 2) ** 2


def parallel_energy_paper_eq7(t: Any, Lambda0: float, Lambda_n: float, Gamma_n: float, epsilon: float,
                              mu_n: complex = 1.0, omega: float = 1.0) -> np.ndarray:
    """Liu et al., Eq. (7) exactly as printed (its exponentials swapped; for the erratum).

    ``pre [(Lambda_0 - Lambda_n) - (Lambda_0 e^{-Lambda_0 t/2} - Lambda_n e^{-Lambda_n t/2})]^2 /
    (Lambda_0 - Lambda_n)^2``, evaluated through ``expm1`` so that it stays exact at and near
    ``Lambda_0 = Lambda_n``, which the printed ``Lambda_0`` (:func:`parallel_lambdas_paper`) gives
    for battery 1 of a uniform star.

    Returns
    -------
    ndarray

    References
    ----------
    Liu et al., Eq. (7).
    """
    t = _times(t)
    pre = parallel_energy_ss(Lambda0, Lambda_n, Gamma_n, epsilon, mu_n, omega)
    L0, Ln = float(Lambda0), float(Lambda_n)
    d = L0 - Ln
    # [Lambda_0 e^{-L0 t/2} - Lambda_n e^{-Ln t/2}] / d
    #   = e^{-L0 t/2} + Lambda_n e^{-Ln t/2} expm1(-d t/2) / d   (no 0/0 at d = 0)
    x = -d * t / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(x == 0, 1.0, np.expm1(x) / np.where(x == 0, 1.0, x))
    dd = np.exp(-L0 * t / 2) - Ln * (t / 2) * np.exp(-Ln * t / 2) * phi
    return pre * (1.0 - dd) ** 2


# --------------------------------------------------------------------------------------------
# optimal couplings: Eq. (10)
# --------------------------------------------------------------------------------------------
def _battery_count_array(N: Any) -> np.ndarray:
    Na = np.asarray(N)
    if Na.dtype == bool or not (np.issubdtype(Na.dtype, np.integer) or np.issubdtype(Na.dtype, np.floating)):
        raise ValueError(f"N must be a number >= 1, got {N!r}")
    Na = Na.astype(float)
    if np.any(~np.isfinite(Na)) or np.any(Na < 1):
        raise ValueError(f"N must be finite and >= 1, got {N!r}")
    return Na


def J_op_cascade(N: Any, kappa: float) -> Any:
    """Optimal nonreciprocal coupling of the cascade, Liu et al., Eq. (10): ``kappa (N + sqrt(N^2 + 8N)) / 8``.

    Root of Eq. (A9), ``2 Gamma^2 - N Gamma kappa - N kappa^2 = 0`` with ``Gamma = 2 J``.
    Evaluated as ``kappa N (1 + sqrt(1 + 8/N)) / 8``, which does not overflow at large ``N``.

    Parameters
    ----------
    N : int or array of int (>= 1)
    kappa : float

    Returns
    -------
    float or ndarray

    References
    ----------
    Liu et al., Eqs. (10), (A9).
    """
    kappa = _nonneg(kappa, "kappa")
    Na = _battery_count_array(N)
    out = kappa * Na * (1 + np.sqrt(1 + 8 / Na)) / 8
    return float(out) if out.ndim == 0 else out


def J_op_parallel(N: Any, kappa: float) -> Any:
    """Optimal nonreciprocal coupling of the parallel network, Liu et al., Eq. (10): ``kappa / (2 sqrt N)``.

    Root of Eq. (A10), ``kappa^2 - N Gamma^2 = 0`` with ``Gamma = 2 J``.

    Returns
    -------
    float or ndarray

    References
    ----------
    Liu et al., Eqs. (10), (A10).
    """
    kappa = _nonneg(kappa, "kappa")
    Na = _battery_count_array(N)
    out = kappa / (2 * np.sqrt(Na))
    return float(out) if out.ndim == 0 else out


def optimal_coupling_numeric(N: int, topology: str, kappa: float, epsilon: float = 0.01,
                             bounds: tuple[float, float] | None = None, xatol: float = 1e-10) -> float:
    """The coupling ``J`` that maximises the last battery's steady energy, found on the **engine**.

    A bounded scalar maximisation in ``log J`` of ``LinearNetwork.steady_state()`` of
    :func:`cascade_network` or :func:`parallel_network` (nonreciprocal, uniform ``kappa``): an
    independent route to Eq. (10), which differentiates the closed forms.

    Parameters
    ----------
    N : int
    topology : {"cascade", "parallel"}
    kappa : float
        Uniform local loss (> 0).
    epsilon : float
        Drive (the optimum does not depend on it).
    bounds : (float, float), optional
        Search interval for ``J`` (default ``kappa * (1e-3, 10 N)``).
    xatol : float
        Tolerance in ``log J``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (10), Fig. 1 (insets).
    """
    from scipy.optimize import minimize_scalar

    N = _count(N)
    build = _builder(topology)
    kappa = _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    if epsilon == 0:
        raise ValueError("epsilon must be nonzero (the energy vanishes identically)")
    lo, hi = (1e-3 * kappa, 10.0 * N * kappa) if bounds is None else (
        _pos(bounds[0], "bounds[0]"), _pos(bounds[1], "bounds[1]"))
    if not lo < hi:
        raise ValueError(f"bounds must be increasing, got {bounds!r}")
    xatol = _pos(xatol, "xatol")

    def minus_energy(lj):
        net = build(N, J=float(np.exp(lj)), kappa=kappa, epsilon=epsilon)
        return -net.steady_state()["energies"][-1] / epsilon**2

    res = minimize_scalar(minus_energy, bounds=(np.log(lo), np.log(hi)), method="bounded",
                          options={"xatol": xatol})
    return float(np.exp(res.x))


# --------------------------------------------------------------------------------------------
# reciprocal chain and star: Eqs. (11)-(14), Appendix B
# --------------------------------------------------------------------------------------------
def reciprocal_constants(N: int) -> list[int]:
    """The integer constants ``a(j)`` (N odd, Eq. (11)) or ``b(j)`` (N even, Eq. (12)).

    The denominator of Eqs. (11)-(12) is the continuant ``P_{N+1}`` of the tridiagonal matrix
    ``kappa + 2 i H_0`` (Appendix B), ``P_L = kappa P_{L-1} + 4 J^2 P_{L-2}``, ``P_0 = 1``,
    ``P_1 = kappa``, whose closed form is ``P_L = sum_i C(L - i, i) (4 J^2)^i kappa^{L - 2i}``.
    Reading off the coefficients:

    * N odd:  ``a(j) = C((N+1)/2 + j, 2j) 4^{(N+1)/2 - j}``, ``j = 0..(N+1)/2``;
    * N even: ``b(j) = C(N/2 + 1 + j, 2j + 1) 4^{N/2 - j}``, ``j = 0..N/2``.

    Parameters
    ----------
    N : int

    Returns
    -------
    list of int
        ``[a(0), a(1), ...]`` or ``[b(0), b(1), ...]`` (exact Python integers).

    References
    ----------
    Liu et al., Eqs. (11), (12), (B2)-(B3); the constants are said to be those of Zhao et al.,
    Phys. Rev. A 112, 022214 (2025), Eq. (2), which maps onto Eqs. (11)-(12) with
    ``g_b -> J``, ``gamma -> kappa``, ``xi -> epsilon``.
    """
    N = _count(N)
    L = N + 1
    if N % 2 == 1:
        return [comb(L - i, i) * 4**i for i in [(N + 1) // 2 - j for j in range((N + 1) // 2 + 1)]]
    return [comb(L - i, i) * 4**i for i in [N // 2 - j for j in range(N // 2 + 1)]]


def reciprocal_cascade_energy_ss_sum(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Liu et al., Eqs. (11)-(12) literally: ``omega [2^{N+1} J^N eps / sum_j a(j) ...]^2``.

    The sum is evaluated in logarithms (``log-sum-exp`` over exact integer constants), so it
    neither overflows nor underflows at ``N = 1000``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (11), (12).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    if J == 0 or epsilon == 0:
        return 0.0
    c = reciprocal_constants(N)
    lJ, lk = math.log(J), math.log(kappa)
    if N % 2 == 1:
        logs = [math.log(c[j]) + (N + 1 - 2 * j) * lJ + 2 * j * lk for j in range(len(c))]
    else:
        logs = [math.log(c[j]) + (N - 2 * j) * lJ + (2 * j + 1) * lk for j in range(len(c))]
    m = max(logs)
    log_den = m + math.log(math.fsum(math.exp(v - m) for v in logs))
    log_amp = (N + 1) * math.log(2.0) + N * lJ + math.log(abs(epsilon)) - log_den
    return float(omega * math.exp(2 * log_amp))


def reciprocal_cascade_energy_ss(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0,
                                 n: int | None = None) -> float:
    """Steady energy of node ``n`` (default the terminal battery ``N``) of the reciprocal chain.

    Solves the continuant recursion of Eqs. (11)-(12) in logarithms (no overflow at N = 1000):
    ``|<o_n>| = eps J^n Q_{N-n} / Q_{N+1}`` with ``Q_L = det(kappa/2 + i H_0)`` over L sites
    (``Q_L = (kappa/2) Q_{L-1} + J^2 Q_{L-2}``, ``Q_L = P_L / 2^L`` with ``P_L`` of
    :func:`reciprocal_constants`).  For ``n = N`` this is ``omega [2^{N+1} J^N eps / P_{N+1}]^2``.

    Parameters
    ----------
    N : int
    J, kappa, epsilon : float
        Uniform hop, uniform loss (> 0) on all N + 1 modes, drive.
    omega : float
    n : int, optional
        Node (0 = charger).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (11), (12), (B2)-(B4).
    """
    N = _count(N)
    J = _nonneg(J, "J")
    kappa = _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    n = N if n is None else _node(n, N)
    if J == 0:
        return float(omega * epsilon**2 / (kappa / 2) ** 2) if n == 0 else 0.0
    if epsilon == 0:
        return 0.0
    # Q_L of the chain, scaled: work with q_L = Q_L / s^L, s = kappa/2 + J (all terms positive)
    s = kappa / 2 + J
    a_, b_ = (kappa / 2) / s, (J / s) ** 2
    logQ = np.empty(N + 2)
    q_prev, q = 1.0, a_  # q_0, q_1
    logs = 0.0
    logQ[0], logQ[1] = 0.0, np.log(q)
    for L in range(2, N + 2):
        q_prev, q = q, a_ * q + b_ * q_prev
        if q > 1e100 or q < 1e-100:  # rescale both (the recursion is linear)
            sc = q
            q_prev, q = q_prev / sc, 1.0
            logs += np.log(sc)
        logQ[L] = logs + np.log(q)
    logQ = logQ + np.arange(N + 2) * np.log(s)
    logb = np.log(abs(epsilon)) + n * np.log(J) + logQ[N - n] - logQ[N + 1]
    return float(omega * np.exp(2 * logb))


def _log_sinh(x: float) -> float:
    """``ln sinh x`` for ``x > 0`` without overflow or cancellation."""
    return x - math.log(2.0) + math.log(-math.expm1(-2.0 * x))


def _log_cosh(x: float) -> float:
    """``ln cosh x`` for ``x >= 0`` without overflow."""
    return x - math.log(2.0) + math.log1p(math.exp(-2.0 * x))


def reciprocal_cascade_energy_ss_hyperbolic(N: int, J: float, kappa: float, epsilon: float,
                                            omega: float = 1.0) -> float:
    """Terminal steady energy of the reciprocal chain in closed hyperbolic form.

    The roots of ``z^2 - kappa z - 4 J^2`` (the characteristic equation of the continuant
    ``P_L = kappa P_{L-1} + 4 J^2 P_{L-2}`` of Eqs. (11)-(12), (B2)-(B4)) are exactly
    ``z_+ = 2 J e^{s}`` and ``z_- = -2 J e^{-s}`` with ``kappa = 4 J sinh s``.  Hence, with
    ``M = N + 2``,

        E_N^ss = omega (2 eps / kappa)^2 sinh^2(2 s) / sinh^2(M s)   (N even),
        E_N^ss = omega (2 eps / kappa)^2 sinh^2(2 s) / cosh^2(M s)   (N odd),

    equivalently ``omega (eps/J)^2 cosh^2 s / {sinh^2, cosh^2}(M s)``.  Evaluated in logarithms
    (no overflow at N = 1000 and beyond).  As ``J -> infinity`` (``s -> 0``) the even form tends to
    ``omega [4 eps / (M kappa)]^2`` and the odd one to ``omega (eps/J)^2 -> 0``; at
    ``J = J_op^c(N)`` of Eq. (10), ``M s -> 1`` and ``E J^2/eps^2 -> 1/sinh^2 1`` (even) or
    ``1/cosh^2 1`` (odd).

    Parameters
    ----------
    N : int
        Number of batteries (>= 1).
    J : float
        Uniform hop (>= 0).
    kappa : float
        Uniform loss (> 0) on all N + 1 modes.
    epsilon : float
        Drive.
    omega : float
        Mode frequency.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (11), (12), (B2)-(B4), (B16) (the odd-even effect), Fig. 3(a).
    """
    N = _count(N)
    J = _nonneg(J, "J")
    kappa = _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    if J == 0 or epsilon == 0:
        return 0.0
    s = math.asinh(kappa / (4.0 * J))
    M = N + 2
    log_f = _log_sinh(M * s) if M % 2 == 0 else _log_cosh(M * s)
    log_b = math.log(2.0 * abs(epsilon) / kappa) + _log_sinh(2.0 * s) - log_f
    return float(omega * math.exp(2.0 * log_b))


def reciprocal_cascade_best_coupling(N: int, kappa: float, epsilon: float,
                                     omega: float = 1.0) -> tuple[float, float]:
    """The supremum over ``J > 0`` of the reciprocal chain's terminal steady energy, and where.

    From :func:`reciprocal_cascade_energy_ss_hyperbolic`, ``E = omega (2 eps/kappa)^2
    [sinh 2s / f(M s)]^2`` with ``kappa = 4 J sinh s``, ``M = N + 2``.  For **even** N
    (``f = sinh``) ``sinh(M s)/sinh(2 s)`` grows with ``s``, so ``E`` rises monotonically with
    ``J`` and its supremum is the strong-coupling limit ``omega [4 eps/((N + 2) kappa)]^2``,
    approached but not reached (returned coupling ``inf``).  For **odd** N (``f = cosh``) ``E``
    vanishes at both ends and has one maximum, the root of ``2 coth 2s = M tanh M s``
    (a bracketed root search in ``s``).

    Parameters
    ----------
    N : int
    kappa : float
        Uniform loss (> 0).
    epsilon : float
        Drive.
    omega : float

    Returns
    -------
    (float, float)
        The maximising ``J`` (``inf`` for even N) and the supremum of the energy.

    References
    ----------
    Liu et al., Eqs. (11)-(12), Fig. 3(c, e) ("one peak" for odd N, "monotone rise" for even N).
    """
    from scipy.optimize import brentq

    N = _count(N)
    kappa = _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    M = N + 2
    if N % 2 == 0:
        return math.inf, float(omega * (4.0 * epsilon / (M * kappa)) ** 2)
    # 2 coth 2s - M tanh M s: +inf at s -> 0, 2 - M < 0 at s -> inf; strictly decreasing
    g = lambda s: 2.0 / math.tanh(2.0 * s) - M * math.tanh(M * s)  # noqa: E731
    s_star = brentq(g, 1e-6 / M, 20.0, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    J_star = kappa / (4.0 * math.sinh(s_star))
    return float(J_star), reciprocal_cascade_energy_ss_hyperbolic(N, J_star, kappa, epsilon, omega)


def reciprocal_cascade_green(N: int, J: float, kappa: float, epsilon: float) -> complex:
    """Terminal amplitude of the reciprocal chain from the Green's-function sum, Liu et al., Eq. (B14).

    ``b_N = 2 eps/(L+1) sum_{k=1}^L (-1)^{k+1} sin^2(pi k/(L+1)) / (-E_k + i kappa/2)``,
    ``E_k = 2 J cos(pi k/(L+1))``, ``L = N + 1`` sites.

    Returns
    -------
    complex
        ``b_N`` in the steady state of ``(-H_0 + i kappa/2) a = eps e_1`` (Eq. (B2)).

    References
    ----------
    Liu et al., Eqs. (B5)-(B14).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    L = N + 1
    k = np.arange(1, L + 1)
    Ek = 2 * J * np.cos(np.pi * k / (L + 1))
    terms = (-1.0) ** (k + 1) * np.sin(np.pi * k / (L + 1)) ** 2 / (-Ek + 0.5j * kappa)
    return complex(2 * epsilon / (L + 1) * terms.sum())


def reciprocal_cascade_amplitudes(t: Any, N: int, J: float, kappa: float, epsilon: float) -> np.ndarray:
    r"""All amplitudes of the reciprocal chain at times ``t``, from its sine eigenmodes (Eq. (B8)-(B9)).

    The time-dependent version of the Green's-function expansion Eq. (B7):

    .. math::

        \langle o_n\rangle(t) = \epsilon\sum_{k=1}^{L}\frac{\psi_k(n)\psi_k(0)}{-E_k + i\kappa/2}
        \Big(1 - e^{-(iE_k + \kappa/2)t}\Big),\qquad
        \psi_k(n) = \sqrt{\tfrac{2}{L+1}}\sin\tfrac{\pi k (n+1)}{L+1},\ E_k = 2J\cos\tfrac{\pi k}{L+1},

    ``L = N + 1`` sites, uniform loss ``kappa`` on every mode, starting from the vacuum.

    Parameters
    ----------
    t : array_like
        Times ``>= 0``.
    N : int
    J, kappa, epsilon : float

    Returns
    -------
    ndarray, shape (len(t), N + 1), complex

    Notes
    -----
    A sum of ``L`` terms of size up to ``2 |epsilon psi_k(n) psi_k(0) / (-E_k + i kappa/2)|``: its
    absolute round-off is at most about ``2 eps L`` times the sum of those sizes
    (:func:`reciprocal_cascade_floor`). Amplitudes far
    down a long weakly coupled chain are exponentially small (``~ (2J/kappa)^n``) and fall below it;
    there the returned value is round-off, not the amplitude. :func:`terminal_energy_trace` refuses
    such a chain.

    References
    ----------
    Liu et al., Eqs. (B1)-(B9).
    """
    return _reciprocal_cascade_amplitudes(t, N, J, kappa, epsilon, None)


def reciprocal_cascade_floor(N: int, J: float, kappa: float, epsilon: float, site: int = -1) -> float:
    """Round-off floor of :func:`reciprocal_cascade_amplitudes` at one site: ``2 eps L sum_k |terms|``.

    The sine-mode sum adds ``L = N + 1`` terms ``epsilon psi_k(n) psi_k(0) (1 - e^{...}) /
    (-E_k + i kappa/2)`` with ``|1 - e^{...}| <= 2``; in double precision the sum's absolute error is
    at most about ``eps L`` times the sum of their sizes (``eps`` the machine epsilon). An amplitude
    much smaller than this is not resolved.

    Parameters
    ----------
    N : int
    J, kappa, epsilon : float
        As in :func:`reciprocal_cascade_amplitudes`.
    site : int
        Site index ``0..N`` (negative counts from the end; default the last battery).

    Returns
    -------
    float
        The bound on the absolute round-off of the amplitude.

    References
    ----------
    Liu et al., Eqs. (B8)-(B9) (the sum bounded).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    L = N + 1
    site = int(site)
    if not -L <= site < L:
        raise ValueError(f"site must be in [-{L}, {L - 1}], got {site}")
    k = np.arange(1, L + 1)
    Ek = 2 * J * np.cos(np.pi * k / (L + 1))
    psi = np.sqrt(2 / (L + 1)) * np.sin(np.pi * (site % L + 1) * k / (L + 1))
    psi0 = np.sqrt(2 / (L + 1)) * np.sin(np.pi * k / (L + 1))
    terms = 2 * np.abs(epsilon * psi0 * psi / (-Ek + 0.5j * kappa))
    return float(2 * np.finfo(float).eps * L * np.sum(terms))


def _reciprocal_cascade_amplitudes(t, N, J, kappa, epsilon, site):
    """:func:`reciprocal_cascade_amplitudes`, all sites (``site=None``) or one (an O(t N) product
    instead of O(t N^2): the terminal energy of a 1000-battery chain needs only the last site)."""
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    L = N + 1
    k = np.arange(1, L + 1)
    Ek = 2 * J * np.cos(np.pi * k / (L + 1))
    sites = np.arange(L) + 1 if site is None else np.array([site % L + 1])
    psi = np.sqrt(2 / (L + 1)) * np.sin(np.pi * np.outer(sites, k) / (L + 1))  # (site, k)
    psi0 = np.sqrt(2 / (L + 1)) * np.sin(np.pi * k / (L + 1))
    w = psi0 / (-Ek + 0.5j * kappa)  # psi_k(0) / (-E_k + i kappa/2)
    phase = -np.expm1(-np.outer(t, 1j * Ek + kappa / 2))  # 1 - e^{-(i E_k + kappa/2) t}, exact at small t
    amp = epsilon * (phase * w) @ psi.T
    return amp if site is None else amp[:, 0]


def reciprocal_parallel_amplitude(t: Any, N: int, J: float, kappa: float, epsilon: float) -> np.ndarray:
    """Amplitude of each battery of the reciprocal star at times ``t`` (from the vacuum).

    Only the bright mode ``B = sum_i b_i / sqrt(N)`` couples to the charger, with strength
    ``g = sqrt(N) J``; both decay at ``kappa/2``, so

    ``b_i(t) = b_ss [1 - e^{-kappa t/2}(cos g t + (kappa/(2g)) sin g t)]`` with
    ``b_ss = -4 J epsilon / (4 N J^2 + kappa^2)`` (whose square is Eq. (13)).

    Returns
    -------
    ndarray, real (the amplitude is real in this gauge)

    References
    ----------
    Liu et al., Eqs. (6), (13).
    """
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    g = np.sqrt(N) * J
    b_ss = -4 * J * epsilon / (4 * N * J**2 + kappa**2)
    # sin(g t)/g -> t at g = 0 (removable): np.sinc(x) = sin(pi x)/(pi x)
    sin_over_g = t * np.sinc(g * t / np.pi)
    return b_ss * (1 - np.exp(-kappa * t / 2) * (np.cos(g * t) + 0.5 * kappa * sin_over_g))


def reciprocal_parallel_energy_ss(N: int, J: float, kappa: float, epsilon: float, omega: float = 1.0) -> float:
    """Steady energy of each battery of the reciprocal star, Liu et al., Eq. (13).

    ``E_N^ss = 4 Gamma^2 omega eps^2 / (4 N J^2 + kappa^2)^2`` with ``Gamma = 2 J`` (the paper keeps
    the symbol Gamma; the reciprocal model has no collective jump), i.e. ``16 J^2 omega eps^2 /
    (4 N J^2 + kappa^2)^2``.

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (13).
    """
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _nonneg(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    if J == 0 and kappa == 0:
        raise ValueError("kappa must be > 0 when J = 0 (no steady state)")
    Gamma = 2 * J
    return float(4 * Gamma**2 * omega * epsilon**2 / (4 * N * J**2 + kappa**2) ** 2)


def reciprocal_window(N: int, kappa: float) -> tuple[float, float]:
    """The window of Liu et al., Eq. (14): reciprocal beats nonreciprocal parallel charging for
    ``kappa/(2N) < J < kappa/2``.

    Returns
    -------
    (float, float)
        The two roots of ``4 N J^2 - 2 (N + 1) kappa J + kappa^2 = 0``, where Eq. (13) equals
        Eq. (9) with ``Gamma = 2 J``.

    References
    ----------
    Liu et al., Eqs. (9), (13), (14).
    """
    N = _count(N)
    kappa = _nonneg(kappa, "kappa")
    return kappa / (2 * N), kappa / 2


def window_edges_numeric(N: int, kappa: float) -> tuple[float, float]:
    """The edges of the window (14) found on the **engine**: where the reciprocal and nonreciprocal
    stars store the same steady energy per battery (``Gamma = 2 J``).

    Two root searches (``brentq`` in ``log J``) of the difference of the engine's steady energies,
    bracketed by ``kappa/(4N)``, ``kappa/(2 sqrt N)`` and ``kappa``; an independent route to
    :func:`reciprocal_window`.

    Returns
    -------
    (float, float)

    References
    ----------
    Liu et al., Eq. (14).
    """
    from scipy.optimize import brentq

    N = _count(N, minimum=2)
    kappa = _pos(kappa, "kappa")

    def diff(lj):
        J = float(np.exp(lj))
        rc = parallel_network(N, J=J, kappa=kappa, epsilon=1.0, coupling="reciprocal").steady_state()["energies"][1]
        nc = parallel_network(N, J=J, kappa=kappa, epsilon=1.0).steady_state()["energies"][1]
        return np.log(rc / nc)

    mid = np.log(kappa / (2 * np.sqrt(N)))
    lo = brentq(diff, np.log(kappa / (4 * N)), mid, xtol=1e-14, rtol=1e-14)
    hi = brentq(diff, mid, np.log(kappa), xtol=1e-14, rtol=1e-14)
    return float(np.exp(lo)), float(np.exp(hi))


def odd_even_threshold_N(J: Any, kappa: float) -> Any:
    """The real number ``N*(J/kappa)`` such that ``E_{N+1} > E_N`` for odd ``N`` exactly when ``N < N*``.

    From the Binet form of the continuant (chapter, and ``liu_sym.odd_even_condition``): with
    ``x = J/kappa``, ``s = sqrt(1 + 16 x^2)``,

    ``N* = ln[(s - 1 + 4x) / (s + 1 - 4x)] / ln[(s + 1) / (s - 1)] - 2``,

    increasing in ``x``; for ``x >> 1``, ``N* + 2 ~ 2 x ln(8 x)``.  (For even ``N``, ``E_{N+1} < E_N``
    at every coupling.)  Evaluated without cancellation: ``s - 1 = 16 x^2/(s + 1)``,
    ``s + 1 - 4x = 1 + 1/(s + 4x)``.

    Parameters
    ----------
    J : float or array
        Coupling (>= 0).
    kappa : float
        Uniform loss (> 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Liu et al., Eqs. (11), (12), (B16) (the condition under which (B16) holds).
    """
    kappa = _pos(kappa, "kappa")
    Ja = _finite_array(J, "J", dtype=float)
    if np.any(Ja < 0):
        raise ValueError(f"J must be >= 0, got {J!r}")
    x = Ja / kappa
    s = np.sqrt(1 + 16 * x * x)
    with np.errstate(divide="ignore"):
        sm1 = 16 * x * x / (s + 1)
        num = np.log((sm1 + 4 * x) / (1 + 1 / (s + 4 * x)))
        den = np.log1p(2 / sm1)  # ln[(s + 1)/(s - 1)]
        out = np.where(x == 0, -2.0, num / den - 2)
    return float(out) if out.ndim == 0 else out


def odd_even_threshold(N: int, kappa: float) -> float:
    """The coupling above which ``E_{N+1} > E_N`` for odd ``N`` (reciprocal chain, uniform ``kappa``).

    The root of ``odd_even_threshold_N(J, kappa) = N`` (monotonic), found by ``brentq``.  For large
    ``N`` it grows as ``J* ~ kappa (N + 2) / (2 ln(8 J*/kappa))``.

    Parameters
    ----------
    N : int
        An odd battery number.
    kappa : float

    Returns
    -------
    float

    References
    ----------
    Liu et al., Appendix B, Eq. (B16).
    """
    from scipy.optimize import brentq

    N = _count(N)
    if N % 2 == 0:
        raise ValueError(f"N must be odd (for even N, E_(N+1) < E_N at every J), got {N}")
    kappa = _pos(kappa, "kappa")
    f = lambda lx: odd_even_threshold_N(np.exp(lx), 1.0) - N  # noqa: E731
    hi = np.log(max(2.0, float(N)))
    while f(hi) < 0:
        hi += 1.0
    return float(kappa * np.exp(brentq(f, np.log(1e-3), hi, xtol=1e-14, rtol=1e-14)))


def odd_even_crossing(N: int, kappa: float, route: str = "engine") -> float:
    """The coupling where ``E_{N+1}(J) = E_N(J)`` (odd ``N``), **measured** by a root search.

    Parameters
    ----------
    N : int
        Odd battery number.
    kappa : float
    route : {"engine", "continuant"}
        ``"engine"``: steady states of :func:`cascade_network` (reciprocal) with ``N`` and ``N + 1``
        batteries; ``"continuant"``: :func:`reciprocal_cascade_energy_ss` (for long chains).

    Returns
    -------
    float
        Independent of :func:`odd_even_threshold`, which solves the closed-form law.

    References
    ----------
    Liu et al., Appendix B.
    """
    from scipy.optimize import brentq

    N = _count(N)
    if N % 2 == 0:
        raise ValueError(f"N must be odd, got {N}")
    kappa = _pos(kappa, "kappa")
    _choice(route, ("engine", "continuant"), "route")

    def energy(n, J):
        if route == "engine":
            net = cascade_network(n, J=J, kappa=kappa, epsilon=1.0, coupling="reciprocal")
            return net.steady_state()["energies"][-1]
        return reciprocal_cascade_energy_ss(n, J, kappa, 1.0)

    f = lambda lj: np.log(energy(N + 1, np.exp(lj)) / energy(N, np.exp(lj)))  # noqa: E731
    lo, hi = np.log(0.05 * kappa), np.log(kappa * (N + 4))
    return float(np.exp(brentq(f, lo, hi, xtol=1e-13, rtol=1e-13)))


def zigzag_batteries(J: Any, kappa: float, N_max: int, route: str = "continuant") -> list[int]:
    """Even ``N`` in ``2..N_max`` whose terminal energy exceeds that of both odd neighbours.

    Parameters
    ----------
    J : float, sequence or callable
        The coupling: fixed; or one value per battery number, ``J[N - 1]`` for ``N = 1..N_max + 1``;
        or a function ``J(N)`` (e.g. ``J_op^c(N)``).
    kappa : float
    N_max : int
        Largest even ``N`` tested (``E_{N_max + 1}`` is computed too).
    route : {"continuant", "engine"}
        :func:`reciprocal_cascade_energy_ss` or the engine's steady states.

    Returns
    -------
    list of int

    References
    ----------
    Liu et al., Fig. 3(a), Eq. (B16).
    """
    kappa = _pos(kappa, "kappa")
    N_max = _count(N_max, "N_max", minimum=2)
    _choice(route, ("engine", "continuant"), "route")
    if callable(J):
        Jf = J
    elif np.ndim(J) == 0:
        J0 = _nonneg(J, "J")
        Jf = lambda n: J0  # noqa: E731
    else:
        Js = _validated_rates(J, "J", N_max + 1)
        Jf = lambda n: Js[n - 1]  # noqa: E731

    def energy(n):
        Jn = _nonneg(Jf(n), "J(N)")
        if route == "engine":
            return cascade_network(n, J=Jn, kappa=kappa, epsilon=1.0, coupling="reciprocal").steady_state()["energies"][-1]
        return reciprocal_cascade_energy_ss(n, Jn, kappa, 1.0)

    E = {n: energy(n) for n in range(1, N_max + 2)}
    return [n for n in range(2, N_max + 1, 2) if E[n] > E[n - 1] and E[n] > E[n + 1]]


def steady_energy_profile(N: int, topology: str, coupling: str, J: float, kappa: float,
                          epsilon: float) -> np.ndarray:
    """Steady energies of the charger and every battery (engine), for the chapter's bar charts.

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Figs. 1-3.
    """
    build = _builder(topology)
    _choice(coupling, COUPLINGS, "coupling")
    return build(N, J=J, kappa=kappa, epsilon=epsilon, coupling=coupling).steady_state()["energies"]


def terminal_energy_ss(N: int, topology: str, coupling: str, J: float, kappa: float, epsilon: float,
                       omega: float = 1.0) -> float:
    """Steady energy of the last battery of a uniform network from the paper's closed forms.

    Nonreciprocal cascade: Eq. (5) with ``Gamma = 2 J``; reciprocal cascade: Eqs. (11)-(12)
    (continuant); nonreciprocal star: Eq. (9); reciprocal star: Eq. (13).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eqs. (5), (9), (11)-(13); Fig. 3.
    """
    _choice(topology, TOPOLOGIES, "topology")
    _choice(coupling, COUPLINGS, "coupling")
    J = _nonneg(J, "J")
    if topology == "cascade":
        if coupling == "nonreciprocal":
            return cascade_terminal_energy_ss(N, 2 * J, kappa, epsilon, omega)
        return reciprocal_cascade_energy_ss(N, J, kappa, epsilon, omega)
    if coupling == "nonreciprocal":
        return parallel_energy_ss_uniform(N, 2 * J, kappa, epsilon, omega)
    return reciprocal_parallel_energy_ss(N, J, kappa, epsilon, omega)


# --------------------------------------------------------------------------------------------
# reservoirs: Sec. IV, Eqs. (15)-(16)
# --------------------------------------------------------------------------------------------
def channel_values(N: int, which: str, value: Any, off: Any = 0.0) -> list:
    """One value per channel of the paper's networks: ``value`` on the chosen channels, ``off`` elsewhere.

    The channel order of :func:`cascade_network` / :func:`parallel_network`: the local baths of
    ``a, b_1..b_N`` (N + 1 of them), then the shared reservoirs ``q_1..q_N``.

    Parameters
    ----------
    N : int
    which : {"all", "local", "shared", "charger"}
        ``"charger"`` is the charger's local bath alone.
    value, off
        What to put on the chosen and on the other channels (a number or an ``(r, theta)`` pair).

    Returns
    -------
    list of length 2N + 1
    """
    N = _count(N)
    _choice(which, ("all", "local", "shared", "charger"), "which")
    chosen = {"all": range(2 * N + 1), "local": range(N + 1), "shared": range(N + 1, 2 * N + 1),
              "charger": range(1)}[which]
    return [value if k in chosen else off for k in range(2 * N + 1)]


def thermal_shift(N: int, topology: str, J: float, kappa: float, epsilon: float, n_th: Any,
                  coupling: str = "nonreciprocal", gauge: str = "pi/2") -> np.ndarray:
    """``E'_j - E_j``: the steady energy each mode gains from thermal baths (engine).

    Parameters
    ----------
    N, topology, J, kappa, epsilon, coupling, gauge
        As in :func:`cascade_network`.
    n_th : float or sequence
        One occupation for all channels (Eq. (15)) or one per channel (:func:`channel_values`).

    Returns
    -------
    ndarray, shape (N + 1,)

    References
    ----------
    Liu et al., Eq. (15) and the statement ``E^ss' = E^ss + n_th`` below it.
    """
    build = _builder(topology)
    kw = dict(J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge)
    cold = build(N, **kw).steady_state()["energies"]
    return build(N, n_th=n_th, **kw).steady_state()["energies"] - cold


def squeezing_enhancement(N: int, topology: str, J: float, kappa: float, epsilon: float, r: float,
                          which: str = "all", theta_r: float = 0.0, coupling: str = "nonreciprocal",
                          gauge: str = "pi/2", mode: int | None = None) -> float:
    """Steady ergotropy with squeezed baths over the ergotropy without: ``E^sq / E`` of Fig. 6(c, d).

    Parameters
    ----------
    N, topology, J, kappa, epsilon, coupling, gauge
        As in :func:`cascade_network`.
    r, theta_r : float
        Squeezing strength and phase (``P = sinh^2 r``, ``Q = sinh r cosh r e^{-i theta_r}``).
    which : {"all", "local", "shared", "charger"}
        Which channels are squeezed (Eq. (16) squeezes all of them).  A reciprocal network has only
        its local baths (``"all"`` = ``"local"``; ``"shared"`` is refused).
    mode : int, optional
        The battery (default: the last battery ``b_N`` of the cascade, ``b_1`` of the star).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (16), Fig. 6(c, d).
    """
    build = _builder(topology)
    N = _count(N)
    r, theta_r = _nonneg(r, "r"), _real(theta_r, "theta_r")
    mode = (N if topology == "cascade" else 1) if mode is None else _node(mode, N, "mode")
    _choice(coupling, COUPLINGS, "coupling")
    kw = dict(J=J, kappa=kappa, epsilon=epsilon, coupling=coupling, gauge=gauge)
    base = build(N, **kw).ergotropy(None, mode)[0]
    if base <= 0:
        raise ValueError("the unsqueezed ergotropy vanishes (epsilon = 0 or J = 0): the ratio is undefined")
    channels = channel_values(N, which, (r, theta_r), (0.0, 0.0))
    if coupling == "reciprocal":  # no shared reservoirs: only the N + 1 local baths exist
        if which == "shared":
            raise ValueError("which='shared' needs coupling='nonreciprocal' (the reciprocal model has no shared reservoir)")
        channels = channels[: N + 1]
    sq = build(N, squeezing=channels, **kw)
    return float(sq.ergotropy(None, mode)[0] / base)


def truncated_ergotropy(net: LinearNetwork, cutoff: int, mode: int, t: Any = None) -> np.ndarray:
    """Energy and ergotropy of one mode in a **truncated Fock space** (qutip), the paper's route.

    Parameters
    ----------
    net : LinearNetwork
        The model (e.g. :func:`cascade_network` with ``n_th``), started from the vacuum.
    cutoff : int
        Fock dimension per mode.
    mode : int
        The battery.
    t : array_like, optional
        Times ``>= 0`` for ``mesolve``; ``None`` for the steady state (``qutip.steadystate``).

    Returns
    -------
    ndarray, shape (len(t), 3) or (1, 3)
        Columns: energy ``<b^dag b>``, ergotropy (from the spectrum of the reduced state) and
        ``|<b>|^2``, in units of ``omega``.

    References
    ----------
    Liu et al., Sec. IV and Fig. 5 (their simulations use a truncated Fock space).
    """
    import qutip as qt

    from ..engine.qutip_bridge import mode_operators, reduced_ergotropy

    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    cutoff = _count(cutoff, "cutoff", minimum=2)
    mode = _node(mode, net.n_modes - 1, "mode")
    H, c_ops = net.to_qutip(cutoff)
    b = mode_operators(cutoff, net.n_modes)[mode]

    def row(rho):
        return [float(np.real(qt.expect(b.dag() * b, rho))), reduced_ergotropy(rho, mode),
                abs(qt.expect(b, rho)) ** 2]

    if t is None:
        return np.array([row(_fock_steady_state(H, c_ops))])
    t = _times(t)
    order = np.argsort(t, kind="stable")
    ts = t[order]
    psi0 = qt.tensor([qt.basis(cutoff, 0)] * net.n_modes)
    grid = ts if ts[0] == 0 else np.concatenate([[0.0], ts])
    # vern7 (explicit Runge-Kutta; the equations are not stiff at these rates and cutoffs) is about twice
    # as fast as the default Adams method at the same tolerances; the two agree to ~1e-9 relative
    res = qt.mesolve(H, qt.ket2dm(psi0), grid, c_ops, options={"atol": 1e-11, "rtol": 1e-9, "method": "vern7"})
    states = res.states if ts[0] == 0 else res.states[1:]
    out = np.empty((len(t), 3))
    out[order] = np.array([row(s) for s in states])
    return out


def _fock_steady_state(H, c_ops):
    """The steady state of qutip's Liouvillian of ``H, c_ops``: ``L rho = 0`` with one row replaced by the
    trace condition (as ``qutip.steadystate``), solved by GMRES with an incomplete-LU preconditioner
    (natural ordering, drop tolerance 0.03, fill factor 2: a cheap factor, ~20-60 GMRES steps), about
    8x faster than ``qutip.steadystate``'s full sparse LU at three modes x cutoff 4.  The
    solution is accepted only if GMRES converged and the residual ``|L rho| / (max|L| |rho|)`` is below
    1e-12 (it agrees with ``qutip.steadystate`` to ~1e-13 in norm); otherwise, and when the
    incomplete factor is singular (``spilu`` raises; seen for a charger and one battery at cutoff 12
    driven at epsilon = 30 kappa), ``qutip.steadystate``."""
    import qutip as qt
    import scipy.sparse as sps
    import scipy.sparse.linalg as spla

    L = qt.liouvillian(H, c_ops).data.as_scipy().tocsr()
    n = H.shape[0]
    w = float(np.mean(np.abs(L.data)))
    trace_row = sps.csr_matrix((np.full(n, w, complex), (np.zeros(n, int), np.arange(n) * (n + 1))), shape=(1, n * n))
    A = sps.vstack([trace_row, L[1:]]).tocsc()
    rhs = np.zeros(n * n, complex)
    rhs[0] = w
    try:
        ilu = spla.spilu(A, drop_tol=0.03, fill_factor=2, permc_spec="NATURAL")
        x, info = spla.gmres(A, rhs, M=spla.LinearOperator(A.shape, ilu.solve, dtype=complex), rtol=1e-13,
                             atol=0.0, restart=50, maxiter=200)
    except RuntimeError:  # a singular incomplete factor
        x, info = None, -1
    if info != 0 or not np.all(np.isfinite(x)) or \
            np.linalg.norm(L @ x) > 1e-12 * abs(L).max() * np.linalg.norm(x):
        return qt.steadystate(H, c_ops)
    rho = x.reshape(n, n, order="F")
    rho = (rho + rho.conj().T) / 2
    return qt.Qobj(rho / np.trace(rho).real, dims=H.dims)


_MOMENT_SYSTEMS: dict = {}


def _moment_system(N, topology, gauge, coupling):
    key = (N, topology, gauge, coupling)
    if key not in _MOMENT_SYSTEMS:
        import sympy as sp

        from . import liu_sym

        d = liu_sym.second_moment_equations(N, topology, gauge, coupling)
        unknowns = d["moments"]
        M, c = sp.linear_eq_to_matrix(d["rhs"], unknowns)
        pr = d["params"]
        args = [pr[k] for k in ("J", "kappa", "epsilon", "P_l", "Q_l", "Qc_l", "P_s", "Q_s", "Qc_s")]
        _MOMENT_SYSTEMS[key] = (sp.lambdify(args, M, "numpy"), sp.lambdify(args, c, "numpy"),
                                [str(u) for u in unknowns])
    return _MOMENT_SYSTEMS[key]


def moment_route_steady_state(N: int, topology: str, J: float, kappa: float, epsilon: float, *,
                              r: float = 0.0, theta_r: float = 0.0, which: str = "all", n_th: float = 0.0,
                              hot: str = "all", gauge: str = "pi/2", coupling: str = "nonreciprocal") -> dict:
    """Steady energies and ergotropies from the moment equations of the paper's master equation.

    The first and second moments obey the closed linear system of
    :func:`nrqb.papers.liu_sym.second_moment_equations`, derived with operator algebra from
    Eqs. (15)-(16) term by term; it is solved here numerically.  Each mode's ergotropy follows
    from its mean ``alpha``, ``n = <o^dag o> - |alpha|^2`` and ``m = <o o> - alpha^2``:
    ``|alpha|^2 + n + 1/2 - sqrt((n + 1/2)^2 - |m|^2)``.  No part of the engine is used.

    Parameters
    ----------
    N : int (1..3)
    topology : {"cascade", "parallel"}
    J, kappa, epsilon : float
        Uniform coupling (``Gamma = 2 J``), local loss, drive.
    r, theta_r : float
        Squeezing of the channels chosen by ``which`` (``P = sinh^2 r``, ``Q = sinh r cosh r e^{-i theta_r}``).
    which : {"all", "local", "shared"}
        The squeezed channels (when ``r > 0``).
    n_th : float
        Occupation of the hot channels.
    hot : {"all", "local", "shared"}
        The channels at ``n_th`` (the others at zero temperature); a channel cannot be both hot and
        squeezed (Eq. (16) has ``n_th = 0``).
    gauge, coupling
        As in :func:`cascade_network`.

    Returns
    -------
    dict
        ``amplitudes``, ``energies`` (``<o^dag o>``), ``ergotropies`` (arrays of length N + 1).

    References
    ----------
    Liu et al., Eqs. (15), (16) and the ergotropy of Sec. IV.
    """
    N = _count(N)
    _choice(topology, TOPOLOGIES, "topology")
    _choice(gauge, ("pi/2", "0"), "gauge")
    _choice(coupling, COUPLINGS, "coupling")
    _choice(which, ("all", "local", "shared"), "which")
    _choice(hot, ("all", "local", "shared"), "hot")
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    r, theta_r, n_th = _nonneg(r, "r"), _real(theta_r, "theta_r"), _nonneg(n_th, "n_th")
    if r > 20:
        raise ValueError(f"r must be <= 20 (sinh^2 r overflows the moments beyond), got {r!r}")
    Msys, csys, names = _moment_system(N, topology, gauge, coupling)
    P, Q = np.sinh(r) ** 2, np.sinh(r) * np.cosh(r) * np.exp(-1j * theta_r)
    squeezed = {"all": {"local", "shared"}, "local": {"local"}, "shared": {"shared"}}[which] if r > 0 else set()
    heated = {"all": {"local", "shared"}, "local": {"local"}, "shared": {"shared"}}[hot] if n_th > 0 else set()
    if squeezed & heated:
        raise ValueError("a channel cannot be both squeezed and hot here (Eq. (16) has n_th = 0): "
                         f"which={which!r}, hot={hot!r}")

    def coeffs(kind):
        if kind in squeezed:
            return (P, Q, np.conj(Q))
        return (n_th if kind in heated else 0.0, 0.0, 0.0)

    loc, sh = coeffs("local"), coeffs("shared")
    args = (J, kappa, epsilon, *loc, *sh)
    M = np.array(Msys(*args), dtype=complex)
    c = np.array(csys(*args), dtype=complex).ravel()
    x = np.linalg.solve(M, c)
    val = dict(zip(names, x))
    modes = ["a"] + [f"b{i}" for i in range(1, N + 1)]
    amps = np.array([val[f"<{o}>"] for o in modes])
    occ = np.array([val[f"<{o}^dag {o}>"].real for o in modes])
    sq = np.array([val[f"<{o} {o}>"] for o in modes])
    n = occ - np.abs(amps) ** 2
    m = sq - amps**2
    erg = np.abs(amps) ** 2 + n + 0.5 - np.sqrt(np.maximum((n + 0.5) ** 2 - np.abs(m) ** 2, 0.0))
    return {"amplitudes": amps, "energies": occ, "ergotropies": erg}


# --------------------------------------------------------------------------------------------
# relaxation: Sec. III, Fig. 4
# --------------------------------------------------------------------------------------------
def settling_time(t: Any, y: Any, y_ss: float, tol: float = 0.02) -> float:
    """First time after which ``|y/y_ss - 1| <= tol`` for the rest of the trace.

    Parameters
    ----------
    t, y : array_like
        A sampled trace (``t`` strictly increasing, ``t >= 0``; ``y`` finite).
    y_ss : float
        Its limit (finite, nonzero).
    tol : float
        Relative tolerance, ``0 < tol < 1`` (default 2 %).

    Returns
    -------
    float
        ``nan`` if the trace never settles within ``t``.
    """
    t = _times(t)
    y = _finite_array(y, "y", dtype=float)
    y_ss = _real(y_ss, "y_ss")
    tol = _pos(tol, "tol")
    if tol >= 1:
        raise ValueError(f"tol must be < 1, got {tol!r}")
    if y_ss == 0:
        raise ValueError("y_ss must be nonzero (the band is relative)")
    if y.shape != t.shape:
        raise ValueError(f"t and y must have the same shape, got {t.shape} and {y.shape}")
    if len(t) > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing")
    bad = np.abs(y / y_ss - 1) > tol
    if bad[-1]:
        return float("nan")
    if not bad.any():
        return float(t[0])
    last = np.nonzero(bad)[0][-1]
    return float(t[last + 1])


def terminal_energy_trace(t: Any, N: int, topology: str, coupling: str, J: float, kappa: float,
                          epsilon: float, omega: float = 1.0) -> tuple[np.ndarray, float]:
    """Charging curve of the last battery of a uniform network, from the paper's closed forms.

    The battery is ``b_N`` for the cascade and ``b_1`` (all are equal) for the star; every mode has
    loss ``kappa``, every link the coupling ``J`` (``Gamma = 2 J`` for nonreciprocal links), and the
    network starts in the vacuum.  The four cases use four different closed forms:

    * nonreciprocal cascade: corrected Eq. (3) (:func:`cascade_energy`), steady value Eq. (5);
    * reciprocal cascade: the sine-mode solution of Eqs. (B7)-(B9)
      (:func:`reciprocal_cascade_amplitudes`), steady value Eqs. (11)-(12);
    * nonreciprocal star: Eq. (7) in its correct form (A6) (:func:`parallel_energy`), steady Eq. (9);
    * reciprocal star: the bright-mode solution (:func:`reciprocal_parallel_amplitude`), steady Eq. (13).

    Parameters
    ----------
    t : array_like
        Times ``>= 0`` (1/omega units if the rates are in units of omega).
    N : int
        Number of batteries.
    topology : {"cascade", "parallel"}
    coupling : {"nonreciprocal", "reciprocal"}
    J, kappa : float
        Uniform coupling and loss (``kappa > 0``).
    epsilon : float
        Drive on the charger.
    omega : float
        Energy per quantum.

    Returns
    -------
    E : ndarray, shape (len(t),)
        The battery's energy ``E(t)``.
    E_ss : float
        Its steady value.

    Raises
    ------
    ValueError
        Unknown ``topology``/``coupling``, negative or NaN rates, bad ``N``; a reciprocal cascade
        whose last battery's steady amplitude is not above 1e6 times the round-off floor of the
        sine-mode sum (:func:`reciprocal_cascade_floor`; e.g. ``N = 300``, ``J = 0.004``,
        ``kappa = 0.003``, where ``E_ss ~ 1e-50`` and the sum's round-off ``~ 1e-32``).

    References
    ----------
    Liu et al., Eqs. (3), (5), (7), (9), (11)-(13), (A6), (B7)-(B9); used for the relaxation
    claims of Sec. III (Fig. 4).
    """
    t = _times(t)
    N = _count(N)
    J, kappa = _nonneg(J, "J"), _pos(kappa, "kappa")
    epsilon = _real(epsilon, "epsilon")
    omega = _omega(omega)
    _choice(topology, TOPOLOGIES, "topology")
    _choice(coupling, COUPLINGS, "coupling")
    G = 2 * J
    if topology == "cascade" and coupling == "nonreciprocal":
        lam = cascade_lambdas([G] * N, kappa, [kappa] * N)
        return (cascade_energy(t, N, lam, [G] * N, epsilon, omega=omega),
                cascade_terminal_energy_ss(N, G, kappa, epsilon, omega))
    if topology == "cascade":
        if J == 0:  # the batteries are decoupled from the charger: exactly empty (N >= 1)
            return np.zeros(len(t)), 0.0
        E_ss = reciprocal_cascade_energy_ss(N, J, kappa, epsilon, omega)
        floor = reciprocal_cascade_floor(N, J, kappa, epsilon)
        if epsilon != 0 and omega > 0 and not np.sqrt(E_ss / omega) > 1e6 * floor:
            raise ValueError(
                f"the reciprocal chain of N = {N} batteries at J = {J:g}, kappa = {kappa:g} leaves its last "
                f"battery an amplitude sqrt(E_ss/omega) = {np.sqrt(E_ss / omega):.3g}, not above 1e6 times the "
                f"round-off floor {floor:.3g} of the sine-mode sum (reciprocal_cascade_floor): the "
                "trace would be round-off; increase J or decrease N")
        amp = _reciprocal_cascade_amplitudes(t, N, J, kappa, epsilon, -1)
        return omega * np.abs(amp) ** 2, E_ss
    if coupling == "nonreciprocal":
        return (parallel_energy(t, N * G + kappa, G + kappa, G, epsilon, omega=omega),
                parallel_energy_ss_uniform(N, G, kappa, epsilon, omega))
    amp = reciprocal_parallel_amplitude(t, N, J, kappa, epsilon)
    return omega * np.abs(amp) ** 2, reciprocal_parallel_energy_ss(N, J, kappa, epsilon, omega)


def terminal_settling_time(t: Any, N: int, topology: str, coupling: str, J: float, kappa: float,
                           epsilon: float, tol: float = 0.02) -> float:
    """Settling time of the last battery: :func:`settling_time` of :func:`terminal_energy_trace`.

    The last time on the grid ``t`` at which ``E(t)`` is outside ``E_ss (1 +- tol)`` (then the
    next grid time), i.e. the paper's "relaxation time" of Sec. III made precise.

    Parameters
    ----------
    t : array_like
        Increasing time grid, long enough for the trace to settle.
    N, topology, coupling, J, kappa, epsilon
        As in :func:`terminal_energy_trace`.
    tol : float
        Relative band (default 2 %).

    Returns
    -------
    float
        The settling time in the units of ``t`` (``nan`` if it does not settle within ``t``).

    References
    ----------
    Liu et al., Sec. III and Fig. 4 (relaxation of reciprocal and nonreciprocal networks).
    """
    E, E_ss = terminal_energy_trace(t, N, topology, coupling, J, kappa, epsilon)
    return settling_time(t, E, E_ss, tol)
