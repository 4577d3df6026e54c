"""Is nonreciprocity the best one can do?  Optimal coherent couplings at fixed dissipation.

Every paper of the book compares its nonreciprocal point with a reciprocal baseline.  This
module asks the sharper question: keep every dissipative element fixed (local losses, shared
reservoirs, lossy intermediate modes) and optimise the *coherent* couplings, complex phases
included, for (i) the steady battery energy and (ii) the peak charging power.  The four
papers' baseline models are rebuilt here from their own parameters (no other chapter's module
is imported):

* Ahmadi et al. :func:`ahmadi_network` -- charger, battery, shared reservoir ``Gamma D[p_a a + p_b b]``;
* Zhao et al. :func:`zhao_network` -- the non-Hermitian Aharonov-Bohm triangle (charger c,
  lossy intermediate mode a, battery b);
* Lin et al. :func:`lin_network` -- charger a, battery b and the bad cavity c;
* Liu et al. :func:`liu_network` -- cascaded or parallel networks with collective jumps ``q_i``.

Two exact results are proved in the chapter and implemented here:

* :func:`energy_bound` -- energy balance bounds the steady battery energy of *any* linear
  network by ``omega |F|^2 / (kappa_charger kappa_battery)``;
* :func:`ahmadi_optimum` -- the closed-form optimum over complex ``J`` of the two-mode model,
  ``E_B = omega |E|^2 / (sqrt(Lambda_a Lambda_b) - Gamma |p_a p_b|)^2``, reached on the phase line
  of the nonreciprocal point; it coincides with the nonreciprocal point only when
  ``sqrt(Lambda_a Lambda_b) = 2 Gamma |p_a p_b|`` (unit dissipative cooperativity).

References
----------
Ahmadi et al., arXiv (2024) / PRL 132, 210402, Eqs. (2), (5), (7); Zhao et al., Eqs. (1), (3);
Lin et al., Eqs. (1), (2), (10)-(12); Liu et al., Eqs. (1), (2), (4), (9), (10).
"""

from __future__ import annotations

import cmath
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.linalg import expm as _expm

from ..engine.network import LinearNetwork
from ..engine.validation import (count as _count, finite_array as _finite_array, finite_complex as _complex,
                                 index as _index, positive as _positive, rate as _rate, real as _real,
                                 times_1d as _times_1d)

__all__ = [
    "ahmadi_network", "ahmadi_nr_coupling", "ahmadi_optimum", "ahmadi_optimum_sym",
    "phase_line", "phase_line_sym", "energy_at_time", "best_energy_at_time", "energy_time_front",
    "nr_front_time",
    "zhao_network", "lin_network", "liu_network", "liu_optimal_coupling",
    "energy_bound", "two_mode_squeezing_energy", "input_power", "dissipated_power", "steady_cost",
    "peak_power", "Baseline", "ahmadi_baseline", "baselines", "optimise", "grid_check",
]


def _network(net: object, name: str = "net") -> LinearNetwork:
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"{name} must be a LinearNetwork, got {type(net).__name__}")
    return net


# ============================================================================================
# models as plain arrays (h, loss, jumps, drive): the builders below wrap them in a LinearNetwork,
# and the optimisations evaluate them directly (no validation, no engine overhead)
# ============================================================================================
def _ahmadi_model(J, kappa_a, kappa_b, Gamma, p_a, p_b, E):
    h = np.array([[0, J], [np.conj(J), 0]], complex)
    return h, np.array([kappa_a, kappa_b], float), [(Gamma, np.array([p_a, p_b], complex))], np.array([E, 0], complex)


def _zhao_model(g1, g2, gb, gamma, Gamma, xi):
    h = np.zeros((3, 3), complex)  # order c, a, b ; h[i, j] multiplies x_i^dag x_j
    h[2, 0], h[1, 0], h[2, 1] = gb, g1, g2
    h = h + h.conj().T
    return h, np.array([gamma, Gamma, gamma], float), [], np.array([xi, 0, 0], complex)


def _lin_model(J, g_a, g_b, kappa_a, kappa_b, gamma_m, Delta_c, eps):
    h = np.zeros((3, 3), complex)
    h[2, 0], h[2, 1], h[1, 0] = g_a, g_b, J
    h = h + h.conj().T
    h[2, 2] = Delta_c
    return h, np.array([kappa_a, kappa_b, gamma_m], float), [], np.array([eps, 0, 0], complex)


def _liu_model(J, N, topology, G, kappa, eps):
    n = N + 1
    h = np.zeros((n, n), complex)
    jumps = []
    for i in range(N):
        src = 0 if topology == "parallel" else i
        dst = i + 1
        h[src, dst] += J[i]
        h[dst, src] += np.conj(J[i])
        c = np.zeros(n, complex)
        c[[src, dst]] = 1.0
        jumps.append((float(G[i]), c))
    F = np.zeros(n, complex)
    F[0] = eps
    return h, np.full(n, float(kappa)), jumps, F


def _network_of(model) -> LinearNetwork:
    h, loss, jumps, F = model
    return LinearNetwork(h, loss=loss, jumps=jumps, drive=F)


def _drift_of(model) -> tuple[np.ndarray, np.ndarray]:
    """``(A, F)`` of a model, ``A = -i h - K/2`` with ``K_ij = kappa_i delta_ij + sum_k gamma_k conj(c_ki) c_kj``."""
    h, loss, jumps, F = model
    K = np.diag(np.asarray(loss, float)).astype(complex)
    for rate, c in jumps:
        K += rate * np.outer(np.conj(c), c)
    return -1j * h - K / 2, F


def _stable(A: np.ndarray) -> bool:
    return bool(np.max(np.linalg.eigvals(A).real) < -1e-12 * np.linalg.norm(A))


def _coherent_step(A: np.ndarray, F: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """``(e^{A dt}, integral_0^dt e^{A s} ds (-i F))`` from one exponential of the augmented matrix."""
    n = len(F)
    M = np.zeros((n + 1, n + 1), complex)
    M[:n, :n] = A * dt
    M[:n, n] = -1j * F * dt
    e = _expm(M)
    return e[:n, :n], e[:n, n]


def _coherent_power(A, F, bat, t, definition):
    """Battery power at the times ``t`` (vacuum start, zero temperature), exact."""
    t = np.atleast_1d(t)
    out = np.empty(len(t))
    for k, tk in enumerate(t):
        a = _coherent_step(A, F, tk)[1]
        out[k] = (np.sum(np.abs(a[bat]) ** 2) / tk if definition == "average"
                  else np.sum(2 * np.real(np.conj(a[bat]) * (A @ a - 1j * F)[bat])))
    return out


def _coherent_power_at(A, F, bat, s, definition):
    """:func:`_coherent_power` at one time ``s`` (the same operations, without the loop: the refinement's objective)."""
    a = _coherent_step(A, F, s)[1]
    if definition == "average":
        return float(np.sum(np.abs(a[bat]) ** 2) / s)
    return float(np.sum(2 * np.real(np.conj(a[bat]) * (A @ a - 1j * F)[bat])))


def _coherent_peak(A, F, bat, t_max, definition, n_grid=400):
    """:func:`peak_power` for a zero-temperature model given by its drift, on the same grid and refinement.

    The amplitudes on the grid ``t_k = k dt`` are ``s_k = sum_{i<k} Phi^i phi`` with one step
    ``(Phi, phi)``; they are built by doubling, ``s_{m+j} = s_m + Phi^m s_j``.
    """
    dt = t_max / n_grid
    Phi, phi = _coherent_step(A, F, dt)
    S = phi[None, :]                      # S[k] = alpha((k + 1) dt)
    P = Phi
    while len(S) < n_grid:
        S = np.vstack([S, S[-1] + S @ P.T])
        P = P @ P
    S = S[:n_grid]
    t = dt * np.arange(1, n_grid + 1)
    if definition == "average":
        Pw = np.sum(np.abs(S[:, bat]) ** 2, axis=1) / t
    else:
        Pw = np.sum(2 * np.real(np.conj(S[:, bat]) * (S @ A.T - 1j * F)[:, bat]), axis=1)
    k = int(np.argmax(Pw))
    lo, hi = t[max(k - 1, 0)], t[min(k + 1, n_grid - 1)]
    res = minimize_scalar(lambda s: -_coherent_power_at(A, F, bat, s, definition), bounds=(lo, hi),
                          method="bounded", options={"xatol": 1e-6 * t_max})
    return max(float(-res.fun), float(Pw[k]))


# ============================================================================================
# the four baseline models
# ============================================================================================
def ahmadi_network(J: complex, *, kappa_a: float = 0.003, kappa_b: float = 0.003,
                   Gamma: float = 0.04, p_a: complex = 1.0, p_b: complex = 1.0,
                   E: complex = 0.1) -> LinearNetwork:
    """Ahmadi et al.'s charger-battery pair with an arbitrary complex coherent hop ``J``.

    Modes ``(a, b)``; ``H = J a^dag b + J^* b^dag a + E (a + a^dag)`` on resonance; local losses
    ``kappa_a``, ``kappa_b`` and the shared reservoir ``Gamma D[p_a a + p_b b]``.

    Parameters
    ----------
    J : complex
        Coherent hop (the optimisation variable).
    kappa_a, kappa_b, Gamma : float
        Local and shared dissipation rates (>= 0), units of omega.  Defaults: Figs. 2-3.
    p_a, p_b : complex
        Coefficients of the shared jump operator ``z = p_a a + p_b b``.
    E : complex
        Drive amplitude on the charger.

    Returns
    -------
    LinearNetwork

    References
    ----------
    Ahmadi et al., Eq. (2) and the master equation above it; Figs. 2-4 for the parameters.
    """
    kappa_a, kappa_b, Gamma = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b"), _rate(Gamma, "Gamma")
    J = _complex(J, "J")
    p_a, p_b, E = _complex(p_a, "p_a"), _complex(p_b, "p_b"), _complex(E, "E")
    return _network_of(_ahmadi_model(J, kappa_a, kappa_b, Gamma, p_a, p_b, E))


def ahmadi_nr_coupling(Gamma: float, p_a: complex = 1.0, p_b: complex = 1.0) -> complex:
    """The nonreciprocal hop ``J = -i mu Gamma / 2`` with ``mu = -p_b conj(p_a)`` (Ahmadi et al., below Eq. (4))."""
    Gamma = _rate(Gamma, "Gamma")
    p_a, p_b = _complex(p_a, "p_a"), _complex(p_b, "p_b")
    return 0.5j * Gamma * np.conj(p_a) * p_b


def ahmadi_optimum(*, kappa_a: float, kappa_b: float, Gamma: float, p_a: complex = 1.0,
                   p_b: complex = 1.0, E: complex = 0.1, omega: float = 1.0) -> dict:
    """Closed-form optimum of the steady battery energy over all complex hops ``J``.

    With ``Lambda_i = kappa_i + Gamma |p_i|^2``, ``s = sqrt(Lambda_a Lambda_b)`` and
    ``g = Gamma |p_a p_b| / 2``, energy balance gives ``|beta|^2 <= |E|^2 / (s - 2 g)^2`` for every
    ``J``, with equality at ``J* = (s/2 - g) e^{i arg(J_nr)}``: the phase of the nonreciprocal
    hop ``J_nr`` and a modulus ``s/2 - g`` instead of ``g``.

    Parameters
    ----------
    kappa_a, kappa_b, Gamma : float
        Dissipation rates (>= 0); ``s - 2g > 0`` is required (some local loss).
    p_a, p_b : complex
        Shared-jump coefficients.
    E : complex
        Drive amplitude.
    omega : float
        Energy per quantum.

    Returns
    -------
    dict
        ``J_opt``, ``E_B`` (optimum), ``E_A`` (charger energy there), ``P_in`` (input power),
        ``E_B_nr`` (Ahmadi's Eq. (5) steady value ``16 omega Gamma^2 |mu|^2 E^2/(Lambda_a Lambda_b)^2``),
        ``gain`` (``E_B / E_B_nr``), ``C_d`` (``16 g^2 / (Lambda_a Lambda_b)``).

    References
    ----------
    Ahmadi et al., Eq. (2) (model) and Eq. (5) at t -> infinity (the nonreciprocal value); the
    optimum is derived in the chapter "Is nonreciprocity the best one can do?".
    """
    kappa_a, kappa_b, Gamma = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b"), _rate(Gamma, "Gamma")
    p_a, p_b, E = _complex(p_a, "p_a"), _complex(p_b, "p_b"), _complex(E, "E")
    omega = _rate(omega, "omega")
    La, Lb = kappa_a + Gamma * abs(p_a) ** 2, kappa_b + Gamma * abs(p_b) ** 2
    s, g = np.sqrt(La * Lb), 0.5 * Gamma * abs(p_a * p_b)
    if not s - 2 * g > 0:
        raise ValueError("kappa_a and kappa_b must not both vanish: no steady state")
    Jnr = ahmadi_nr_coupling(Gamma, p_a, p_b)
    phase = np.exp(1j * np.angle(Jnr)) if Jnr != 0 else 1j
    F2 = abs(E) ** 2
    EB = omega * F2 / (s - 2 * g) ** 2
    EA = EB * Lb / La
    EBnr = omega * 64 * g**2 * F2 / (La * Lb) ** 2
    return {
        "J_opt": (s / 2 - g) * phase,
        "E_B": EB,
        "E_A": EA,
        "P_in": omega * 2 * np.sqrt(F2) * np.sqrt(F2 * Lb / La) / (s - 2 * g),
        "E_B_nr": EBnr,
        "gain": EB / EBnr if EBnr > 0 else np.inf,
        "C_d": 16 * g**2 / (La * Lb),
    }


def ahmadi_optimum_sym() -> dict:
    """sympy derivation of :func:`ahmadi_optimum` (real gauge ``p_a conj... >= 0``, ``J = x + i y``).

    Returns
    -------
    dict of sympy objects
        ``symbols`` (x, y, g, s, E), ``EB`` (steady ``|beta|^2`` from solving ``A alpha = i E``, in ``Lambda_a, Lambda_b``),
        ``y_star`` (the stationary point on ``x = 0``), ``EB_star`` (the value there),
        ``EB_closed`` (the same as ``num/den`` in ``g, s``), ``gap`` (``den - 16 (s-2g)^2 num/(16 E^2)``,
        which must be >= 0 for the optimum to be global), ``Lambda`` (the symbols Lambda_a, Lambda_b).

    References
    ----------
    Ahmadi et al., Eq. (2) for the drift.
    """
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    g, s = sp.symbols("g s", positive=True)
    E = sp.Symbol(r"\mathcal{E}", positive=True)  # the drive amplitude
    La, Lb = sp.symbols("Lambda_a Lambda_b", positive=True)
    J = x + sp.I * y
    A = sp.Matrix([[-La / 2, -sp.I * J - g], [-sp.I * sp.conjugate(J) - g, -Lb / 2]])
    sol = A.LUsolve(sp.Matrix([sp.I * E, 0]))
    beta = sp.simplify(sol[1])
    EB = sp.simplify(sp.expand(beta * sp.conjugate(beta)))
    num = 16 * E**2 * (x**2 + (y + g) ** 2)
    den = (s**2 - 4 * g**2 + 4 * x**2 + 4 * y**2) ** 2 + 64 * x**2 * g**2
    on_axis = sp.diff((y + g) / (s**2 - 4 * g**2 + 4 * y**2), y)
    y_star = [r for r in sp.solve(sp.numer(sp.together(on_axis)), y) if sp.simplify(r + g).is_positive][0]
    EB_star = sp.simplify((num / den).subs({x: 0, y: y_star}))
    gap = sp.expand(den - 16 * (s - 2 * g) ** 2 * (x**2 + (y + g) ** 2))
    return {"symbols": (x, y, g, s, E), "EB": EB, "EB_closed": num / den, "y_star": sp.simplify(y_star),
            "EB_star": EB_star, "gap": gap, "Lambda": (La, Lb)}


# ============================================================================================
# Ahmadi et al.'s pair on the phase line of the nonreciprocal hop, and at a fixed time
# ============================================================================================
def _symmetric_pair(kappa, Gamma, E, omega):
    kappa = _positive(kappa, "kappa")
    Gamma = _rate(Gamma, "Gamma")
    E = _complex(E, "E")
    omega = _rate(omega, "omega")
    return kappa, Gamma, E, omega


def phase_line(y, *, kappa: float = 0.003, Gamma: float = 0.04, E: complex = 0.1,
               omega: float = 1.0) -> dict:
    """Ahmadi et al.'s symmetric pair with the hop ``J = i y`` (the phase of the nonreciprocal hop), in closed form.

    With ``p_a = p_b = 1``, ``kappa_a = kappa_b = kappa``, ``g = Gamma/2`` and ``Lambda = kappa + Gamma``
    the drift is ``[[-Lambda/2, y - g], [-(y + g), -Lambda/2]]`` (one-way at ``y = g``), and with
    ``D = Lambda^2 + 4 y^2 - 4 g^2``:

    * ``E_A = 4 omega |E|^2 Lambda^2 / D^2`` and ``E_B = 16 omega |E|^2 (y + g)^2 / D^2`` (steady);
    * ``E_B / E_A = 4 (y + g)^2 / Lambda^2``, which grows without bound with ``y``;
    * eigenvalues ``-Lambda/2 +- sqrt(g^2 - y^2)``: the slowest relaxation rate is
      ``Lambda/2 - Re sqrt(g^2 - y^2)``, maximal (``Lambda/2``) for every ``|y| >= g``; ``y = +-g`` are
      exceptional points, and ``y = g`` is the nonreciprocal point.

    Parameters
    ----------
    y : float or array
        Imaginary part of the hop (real).
    kappa : float
        Local loss of both modes (> 0).
    Gamma : float
        Shared-reservoir rate (>= 0).
    E : complex
        Drive amplitude on the charger.
    omega : float
        Energy per quantum.

    Returns
    -------
    dict of arrays (shape of ``y``)
        ``E_B``, ``E_A``, ``ratio`` (``E_B/E_A``), ``slowest_rate``.

    References
    ----------
    Ahmadi et al., Eq. (2) (the drift) and the text below Eq. (4) (``J = -i mu Gamma/2``); the
    derivation is :func:`phase_line_sym`.
    """
    y = _finite_array(y, "y", dtype=float)
    kappa, Gamma, E, omega = _symmetric_pair(kappa, Gamma, E, omega)
    g, Lam = Gamma / 2, kappa + Gamma
    D = Lam**2 + 4 * (y - g) * (y + g)
    F2 = abs(E) ** 2
    root = np.sqrt(np.maximum(g * g - y * y, 0.0))
    return {"E_B": omega * 16 * F2 * (y + g) ** 2 / D**2, "E_A": omega * 4 * F2 * Lam**2 / D**2,
            "ratio": 4 * (y + g) ** 2 / Lam**2, "slowest_rate": Lam / 2 - root}


def phase_line_sym() -> dict:
    """sympy derivation of :func:`phase_line` and of the statement it proves.

    Statement: in Ahmadi et al.'s symmetric pair (``p_a = p_b = 1``, equal local losses), the
    slowest relaxation rate of the network is at most ``Lambda/2`` for every complex hop ``J``,
    with equality exactly on ``J = i y``, ``|y| >= Gamma/2``; among those maximal-rate hops the
    steady battery energy is largest at the nonreciprocal point ``y = Gamma/2`` (an exceptional
    point) if and only if ``Gamma >= kappa`` (``C_d >= 1``); for ``Gamma < kappa`` it is largest at
    ``y = kappa/2``, the global optimum of :func:`ahmadi_optimum`.

    Returns
    -------
    dict of sympy objects
        ``symbols`` (x, y, g, kappa, E), ``Lambda`` (``kappa + 2 g``), ``drift`` (A for J = x + i y),
        ``product`` (``A_ab A_ba``, the eigenvalues are ``-Lambda/2 +- sqrt(product)``),
        ``im_product`` (its imaginary part, ``2 g x``), ``eigenvalues`` (on ``x = 0``),
        ``E_A``, ``E_B`` (steady, ``x = 0``), ``ratio`` (``E_B/E_A``), ``dEB`` (``dE_B/dy``, factored),
        ``sign_factor`` (the factor of ``dEB`` that changes sign), ``mirror`` (``E_B(y) - E_B(-y)``, factored).

    References
    ----------
    Ahmadi et al., Eq. (2).
    """
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    g, kappa = sp.symbols("g kappa", positive=True)
    E = sp.Symbol(r"\mathcal{E}", positive=True)  # the drive amplitude
    Lam = kappa + 2 * g
    J = x + sp.I * y
    A = sp.Matrix([[-Lam / 2, -sp.I * J - g], [-sp.I * sp.conjugate(J) - g, -Lam / 2]])
    product = sp.expand(A[0, 1] * A[1, 0])
    im_product = sp.simplify(sp.im(product))
    A0 = A.subs(x, 0)
    eig = list(A0.eigenvals())
    sol = A0.LUsolve(sp.Matrix([sp.I * E, 0]))
    alpha, beta = sp.simplify(sol[0]), sp.simplify(sol[1])
    EA = sp.factor(sp.simplify(alpha * sp.conjugate(alpha)))
    EB = sp.factor(sp.simplify(beta * sp.conjugate(beta)))
    ratio = sp.factor(sp.simplify(EB / EA))
    dEB = sp.factor(sp.diff(EB, y))
    sign_factor = sp.factor(Lam**2 - 4 * (y + g) ** 2)
    mirror = sp.factor(sp.simplify(EB - EB.subs(y, -y)))
    return {"symbols": (x, y, g, kappa, E), "Lambda": Lam, "drift": A, "product": product,
            "im_product": im_product, "eigenvalues": eig, "E_A": EA, "E_B": EB, "ratio": ratio,
            "dEB": dEB, "sign_factor": sign_factor, "mirror": mirror}


def _pair_amplitudes(t: np.ndarray, J: complex, Gamma: float, kappa: float, E: complex) -> np.ndarray:
    """``(alpha(t), beta(t))`` of the symmetric pair from the vacuum, shape (len(t), 2) (no validation).

    ``alpha(t) = integral_0^t e^{A s} ds (-i F)`` is the last column of ``exp`` of the augmented
    matrix ``[[A t, -i F t], [0, 0]]`` (Van Loan): no ``1 - e^{A t}`` cancellation at short times,
    exact at the exceptional points, and the augmented matrix is never triangular.
    """
    g, Lam = Gamma / 2, kappa + Gamma
    M = np.zeros((3, 3), complex)
    M[:2, :2] = [[-Lam / 2, -1j * J - g], [-1j * np.conj(J) - g, -Lam / 2]]
    M[0, 2] = -1j * E
    # one call on the stack of matrices M t_k (scipy treats each slice as a separate matrix)
    return _expm(M[None] * np.asarray(t, float)[:, None, None])[:, :2, 2]


def _pair_amplitudes_grid(t_max: float, n: int, J: complex, Gamma: float, kappa: float, E: complex) -> np.ndarray:
    """:func:`_pair_amplitudes` on the uniform grid ``t_k = k t_max/(n - 1)``, ``k = 0..n-1`` (no validation).

    One augmented exponential ``e^{M dt} = [[Phi, phi], [0, 1]]`` instead of one per time:
    ``alpha(t + u) = alpha(t) + e^{A t} alpha(u)`` builds ``s_{m+j} = s_m + Phi^m s_j`` by doubling
    (about ``log2 n`` products of 2x2 matrices).  Agrees with :func:`_pair_amplitudes` to rounding
    (~1e-13 relative); used for search grids whose crossings are then refined with the exact route.
    """
    g, Lam = Gamma / 2, kappa + Gamma
    M = np.zeros((3, 3), complex)
    M[:2, :2] = [[-Lam / 2, -1j * J - g], [-1j * np.conj(J) - g, -Lam / 2]]
    M[0, 2] = -1j * E
    e = _expm(M * (t_max / (n - 1)))
    S, P = e[None, :2, 2], e[:2, :2]              # S[k] = alpha((k + 1) dt), P = Phi^len(S)
    while len(S) < n - 1:
        S = np.vstack([S, S[-1] + S @ P.T])
        P = P @ P
    return np.vstack([np.zeros((1, 2), complex), S[:n - 1]])


def energy_at_time(t, J: complex, *, Gamma: float = 0.04, kappa: float = 0.003, E: complex = 0.1,
                   omega: float = 1.0) -> np.ndarray:
    """Battery energy ``E_B(t)`` of Ahmadi et al.'s symmetric pair charged from the vacuum, any complex ``J``.

    ``alpha(t) = integral_0^t e^{A s} ds (-i E, 0)`` with the 2x2 drift of :func:`ahmadi_network`
    (``p_a = p_b = 1``), from the exponential of an augmented 3x3 matrix (exact at the exceptional
    points and at short times; independent of the engine's propagators).  Zero temperature, so
    ``E_B = omega |beta(t)|^2``.  A fast route for the optimisations below.

    Parameters
    ----------
    t : float or array
        Times (>= 0, finite).
    J : complex
        Coherent hop.
    Gamma, kappa : float
        Shared-reservoir rate (>= 0) and local loss of both modes (> 0).
    E : complex
        Drive amplitude.
    omega : float
        Energy per quantum.

    Returns
    -------
    ndarray, shape of ``np.atleast_1d(t)``

    References
    ----------
    Ahmadi et al., Eqs. (2)-(4) (their Eq. (6) is the case ``J = i Gamma/2``, corrected in the
    Ahmadi chapter).
    """
    t = _times_1d(t, nonnegative=True)
    J = _complex(J, "J")
    kappa, Gamma, E, omega = _symmetric_pair(kappa, Gamma, E, omega)
    return omega * np.abs(_pair_amplitudes(t, J, Gamma, kappa, E)[:, 1]) ** 2


def _eb(t: float, J: complex, Gamma: float, kappa: float, E: complex) -> float:
    """``|beta(t)|^2`` of :func:`_pair_amplitudes` at one time, in closed form (the optimisers' objective).

    The drift is ``B = -c I + N`` with ``c = Lambda/2`` and ``N = [[0, u], [v, 0]]``, ``N^2 = s^2 I``
    (``u = -i J - g``, ``v = -i J^* - g``, ``s^2 = u v``), so ``[e^{B tau}]_{ba} = v e^{-c tau} sinh(s tau)/s`` and
    ``beta(t) = -i E v (1 - e^{-c t} [cosh(s t) + c t sinh(s t)/(s t)]) / (c^2 - s^2)``: even in ``s``
    (no branch), exact at the exceptional point ``s = 0`` (``sinh(x)/x = 1``), written with decaying
    exponentials only for ``|s t| >= 1/2`` (no overflow; the pair is stable, ``Re s <= g < c``).  Where
    ``|c^2 - s^2| t^2 < 0.01`` the bracket would lose digits to cancellation, and the augmented matrix
    exponential of :func:`_pair_amplitudes` is used instead.  Agrees with it to ~1e-13 relative (tested),
    about 14x faster.
    """
    g, c = Gamma / 2, (kappa + Gamma) / 2
    u, v = -1j * J - g, -1j * np.conj(J) - g
    s2 = complex(u * v)
    den = c * c - s2
    if abs(den) * t * t < 0.01:
        M = np.array([[-c, u, -1j * E], [v, -c, 0], [0, 0, 0]], complex)
        return float(abs(_expm(M * t)[1, 2]) ** 2)
    s = cmath.sqrt(s2)
    x = s * t
    if abs(x) < 0.5:
        ec = cmath.exp(-c * t)
        ch, shc = ec * cmath.cosh(x), ec * (cmath.sinh(x) / x if x != 0 else 1.0)
    else:
        a, b = cmath.exp((s - c) * t), cmath.exp(-(s + c) * t)
        ch, shc = (a + b) / 2, (a - b) / (2 * x)
    return float(abs(-1j * E * v * (1 - ch - c * t * shc) / den) ** 2)


def _best_on_line(t, Gamma, kappa, E):
    """The best ``y`` of ``J = i y`` at time ``t`` (grid over ``0 < y < 8/t + Lambda``, then refined)."""
    ys = np.linspace(1e-6, 8.0 / t + kappa + Gamma, 161)
    vals = np.array([_eb(t, 1j * v, Gamma, kappa, E) for v in ys])
    k = int(np.argmax(vals))
    lo, hi = ys[max(k - 1, 0)], ys[min(k + 1, len(ys) - 1)]
    r = minimize_scalar(lambda v: -_eb(t, 1j * v, Gamma, kappa, E),
                        bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    return float(r.x), float(-r.fun)


def best_energy_at_time(t: float, *, Gamma: float = 0.04, kappa: float = 0.003, E: complex = 0.1,
                        Gamma_free: bool = False, start=None) -> dict:
    """The largest battery energy at time ``t`` over all constant couplings of Ahmadi et al.'s pair.

    Optimised over the complex hop ``J`` (two reals) at fixed ``Gamma``, or with ``Gamma_free``
    over ``J`` and the shared-reservoir rate ``Gamma >= 0`` too; local losses, drive, ``p_a = p_b = 1``
    and resonance fixed; the pair starts in the vacuum and the couplings do not change in time.
    Nelder-Mead from several starts: the best hop on the phase line ``J = i y`` (a grid and a
    bounded search), the nonreciprocal hop, points off the line, and ``start`` if given.

    Parameters
    ----------
    t : float
        Charging time (> 0).
    Gamma, kappa : float
        Shared-reservoir rate (the fixed value, or the value of the nonreciprocal reference when
        ``Gamma_free``) and local loss (> 0).
    E : complex
        Drive amplitude.
    Gamma_free : bool
        Optimise over ``Gamma`` too.
    start : sequence, optional
        An extra start ``(Re J, Im J)`` or ``(Re J, Im J, Gamma)``.

    Returns
    -------
    dict
        ``J`` (best hop), ``Gamma`` (its reservoir rate), ``E_B`` (best energy), ``E_B_nr`` (energy
        at the nonreciprocal hop ``J = i Gamma/2`` with the given ``Gamma``), ``ratio_nr``
        (``E_B_nr / E_B``), ``y_line`` (best ``y`` on the line ``J = i y`` at the given ``Gamma``).

    References
    ----------
    Ahmadi et al., Eqs. (2)-(6); chapter "What is nonreciprocity good for?".
    """
    t = _positive(t, "t")
    kappa, Gamma, E, _ = _symmetric_pair(kappa, Gamma, E, 1.0)
    y_line, e_line = _best_on_line(t, Gamma, kappa, E)

    def f(v):
        G = v[2] ** 2 if Gamma_free else Gamma
        return -_eb(t, v[0] + 1j * v[1], G, kappa, E)

    sG = np.sqrt(Gamma)
    pts = [(0.0, y_line), (0.0, Gamma / 2), (0.3 * y_line, 0.7 * y_line), (-0.3 * y_line, 0.5 * y_line),
           (0.5 / t, 1.0 / t)]
    starts = [p + ((sG,) if Gamma_free else ()) for p in pts]
    if Gamma_free:
        starts += [(0.0, y_line, 0.0), (0.5 / t, 1.5 / t, 0.1 * sG)]
    if start is not None:
        st = _finite_array(start, "start", dtype=float)
        if Gamma_free and st.shape == (3,):
            st = np.array([st[0], st[1], np.sqrt(abs(st[2]))])
        if st.shape != ((3,) if Gamma_free else (2,)):
            raise ValueError(f"start must hold {3 if Gamma_free else 2} numbers, got shape {st.shape}")
        starts.append(tuple(st))
    best = None
    for s0 in starts:
        r = minimize(f, np.array(s0, float), method="Nelder-Mead",
                     options={"xatol": 1e-12, "fatol": 1e-14 * e_line, "maxiter": 4000, "maxfev": 8000})
        if best is None or r.fun < best.fun:
            best = r
    G = best.x[2] ** 2 if Gamma_free else Gamma
    e_nr = _eb(t, 0.5j * Gamma, Gamma, kappa, E)
    return {"J": complex(best.x[0], best.x[1]), "Gamma": float(G), "E_B": float(-best.fun),
            "E_B_nr": float(e_nr), "ratio_nr": float(e_nr / -best.fun), "y_line": y_line}


def energy_time_front(t, *, Gamma: float = 0.04, kappa: float = 0.003, E: complex = 0.1,
                      Gamma_free: bool = False) -> dict:
    """:func:`best_energy_at_time` on a grid of charging times (each warm-started from the previous).

    Parameters
    ----------
    t : array
        Increasing charging times (> 0).
    Gamma, kappa, E, Gamma_free
        As in :func:`best_energy_at_time`.

    Returns
    -------
    dict of arrays
        ``t``, ``E_B`` (the front), ``J``, ``Gamma``, ``E_B_nr``, ``ratio_nr``.

    References
    ----------
    Ahmadi et al., Eqs. (2)-(6).
    """
    t = _times_1d(t, nonnegative=True)
    if len(t) == 0 or np.any(t <= 0) or np.any(np.diff(t) <= 0):
        raise ValueError("t must be a non-empty, increasing array of times > 0")
    out = {k: [] for k in ("E_B", "J", "Gamma", "E_B_nr", "ratio_nr")}
    prev = None
    for tk in t:
        r = best_energy_at_time(tk, Gamma=Gamma, kappa=kappa, E=E, Gamma_free=Gamma_free, start=prev)
        prev = (r["J"].real, r["J"].imag) + ((r["Gamma"],) if Gamma_free else ())
        for k in out:
            out[k].append(r[k])
    res = {k: np.array(v) for k, v in out.items()}
    res["t"] = t
    return res


def nr_front_time(*, Gamma: float = 0.04, kappa: float = 0.003, E: complex = 0.1,
                  bracket: tuple[float, float] = (20.0, 1000.0)) -> float:
    """The charging time at which the nonreciprocal hop ``J = i Gamma/2`` is the best hop on its phase line.

    Root of ``y*(t) = Gamma/2``, where ``y*(t)`` maximises ``E_B(t)`` over ``J = i y``
    (:func:`best_energy_at_time` finds the optimum over the whole complex plane on that line).

    Parameters
    ----------
    Gamma, kappa, E
        As in :func:`best_energy_at_time`.
    bracket : (float, float)
        Times that bracket the root.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eqs. (2)-(6).
    """
    from scipy.optimize import brentq

    kappa, Gamma, E, _ = _symmetric_pair(kappa, Gamma, E, 1.0)
    lo, hi = (_positive(b, "bracket") for b in bracket)
    f = lambda s: _best_on_line(s, Gamma, kappa, E)[0] - Gamma / 2  # noqa: E731
    if not f(lo) > 0 > f(hi):
        raise ValueError(f"bracket {bracket!r} does not bracket the time at which y*(t) = Gamma/2")
    return float(brentq(f, lo, hi, xtol=1e-10, rtol=1e-12))


def zhao_network(g1: complex, g2: complex, gb: complex, *, gamma: float = 0.1, Gamma: float = 0.1,
                 xi: complex = 1.0) -> LinearNetwork:
    """Zhao et al.'s non-Hermitian Aharonov-Bohm triangle for one battery (N = 1).

    Modes ``(c, a, b)``: charger ``c`` (loss ``gamma``), lossy intermediate mode ``a`` (loss
    ``Gamma``), battery ``b`` (loss ``gamma``).  ``H = gb c b^dag + g1 c a^dag + g2 a b^dag + xi c + h.c.``,
    so ``gb = g_b e^{i theta}`` carries the loop phase.  Loss rates enter as ``gamma D[.]``
    (amplitude decay ``gamma/2``): with ``g1 = g2 = sqrt(g_b Gamma / 2)`` and ``theta = -pi/2`` the
    engine reproduces Eq. (3) at N = 1.

    Parameters
    ----------
    g1, g2, gb : complex
        Coherent couplings (optimisation variables).
    gamma, Gamma : float
        Losses of charger/battery and of the intermediate mode (>= 0).  Defaults: Fig. 2.
    xi : complex
        Drive amplitude on the charger.

    References
    ----------
    Zhao et al., Eq. (1) (Hamiltonian, N = 1) and Eq. (3) (nonreciprocal steady energy).
    """
    gamma, Gamma = _rate(gamma, "gamma"), _rate(Gamma, "Gamma")
    g1, g2, gb = (_complex(v, n) for v, n in ((g1, "g1"), (g2, "g2"), (gb, "gb")))
    xi = _complex(xi, "xi")
    return _network_of(_zhao_model(g1, g2, gb, gamma, Gamma, xi))


def lin_network(J: complex, *, g_a: complex = np.sqrt(0.2), g_b: complex = np.sqrt(0.2),
                kappa_a: float = 0.003, kappa_b: float = 0.003, gamma_m: float = 20.0,
                Delta_c: float = 0.0, eps: complex = 0.1) -> LinearNetwork:
    """Lin et al.'s three-mode model: charger a, battery b, bad cavity c (Eq. (1)).

    Modes ``(a, b, c)``; ``H = Delta_c c^dag c + g_a c^dag a + g_b c^dag b + J b^dag a + eps (a + a^dag) + h.c.``
    with local losses ``kappa_a, kappa_b`` and ``gamma_m`` on c.  The complex ``g_a = |g_a| e^{i phi}``
    carries the paper's phase.  Defaults: Fig. 2 with ``g_a = g_b = g = sqrt(0.2)``, ``gamma_m = 20``
    (the paper's ``gamma = gamma_m/2 = 10``): eliminating ``c`` gives the collective rate
    ``Gamma = 4 g_a g_b / gamma_m = 2 g^2 / gamma = 0.04``, the rate of the paper's Eq. (5).  The
    paper's own definition below Eq. (2), ``Gamma = gamma g_a g_b/(Delta_c^2 + gamma^2)``, gives
    ``g^2/gamma = 0.02`` at these couplings, half of it (the factor of two of the Lin chapter).

    Parameters
    ----------
    J : complex
        Direct charger-battery hop (the paper's ``J a b^dag`` term; complex allowed here).
    g_a, g_b : complex
        Couplings to the bad cavity.
    kappa_a, kappa_b, gamma_m : float
        Loss rates (>= 0).
    Delta_c : float
        Detuning of the bad cavity.
    eps : complex
        Drive amplitude.

    References
    ----------
    Lin et al., Eq. (1); the effective model of Eq. (2) with the collective rate
    ``4 g_a g_b / gamma_m`` at ``Delta_c = 0`` (twice the ``Gamma`` printed below Eq. (2)).
    """
    kappa_a, kappa_b, gamma_m = _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b"), _rate(gamma_m, "gamma_m")
    J, g_a, g_b = (_complex(v, n) for v, n in ((J, "J"), (g_a, "g_a"), (g_b, "g_b")))
    eps = _complex(eps, "eps")
    return _network_of(_lin_model(J, g_a, g_b, kappa_a, kappa_b, gamma_m, _real(Delta_c, "Delta_c"), eps))


def liu_optimal_coupling(N: int, kappa: float, topology: str = "cascaded") -> float:
    """Liu et al., Eq. (10): ``J_op^c = kappa (N + sqrt(N^2 + 8N))/8``, ``J_op^p = kappa/(2 sqrt N)``.

    The one-way hop ``J = Gamma/2`` that maximises the terminal battery's steady energy of a
    cascaded network of ``N`` batteries, or of each battery of a parallel one, among *equal* link
    rates (the chapter "Networks no paper solved" shows that unequal rates do better in chains).
    Zhao et al.'s ``g_b^opt = [N + sqrt(N(8 + N))] gamma/8`` is the same cascaded law.

    Parameters
    ----------
    N : int
        Number of batteries (>= 1).
    kappa : float
        Local loss of every mode (>= 0).
    topology : {"cascaded", "parallel"}

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (10); Zhao et al., text below Fig. 2 (``g_b^opt``).
    """
    kappa = _rate(kappa, "kappa")
    N = _count(N, "N")
    if topology == "cascaded":
        return kappa * (N + np.sqrt(N**2 + 8 * N)) / 8
    if topology == "parallel":
        return kappa / (2 * np.sqrt(N))
    raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")


def liu_network(J: Sequence[complex], *, N: int = 2, topology: str = "cascaded",
                Gamma: float | Sequence[float] | None = None, kappa: float = 0.003,
                eps: complex = 0.01) -> LinearNetwork:
    """Liu et al.'s cascaded or parallel network with collective jumps ``q_i`` and hops ``J_i``.

    Modes ``(a, b_1, ..., b_N)``.  Link ``i`` joins ``a``--``b_i`` (parallel) or ``b_{i-1}``--``b_i``
    (cascaded, ``b_0 = a``) by the hop ``J_i`` (``J_i src^dag dst + h.c.``) and the shared jump
    ``q_i = sqrt(Gamma_i)(src + dst)``.  ``J_i = i Gamma_i / 2`` is the one-way point
    (``NetworkBuilder.nonreciprocal_link``); default ``Gamma_i = 2 J_op`` of Eq. (10).

    Parameters
    ----------
    J : sequence of N complex
        Coherent hops (optimisation variables).
    N : int
        Number of batteries.
    topology : {"cascaded", "parallel"}
    Gamma : float or sequence, optional
        Shared-reservoir rates; default ``2 J_op(N)``.
    kappa : float
        Local loss of every mode.
    eps : complex
        Drive amplitude on the charger.

    References
    ----------
    Liu et al., Eqs. (1)-(2) and the nonreciprocal condition ``J_i = Gamma_i/2`` below Eq. (2).
    """
    kappa = _rate(kappa, "kappa")
    N = _count(N, "N")
    if topology not in ("cascaded", "parallel"):
        raise ValueError(f"topology must be 'cascaded' or 'parallel', got {topology!r}")
    eps = _complex(eps, "eps")
    J = np.atleast_1d(_finite_array(J, "J"))
    if J.shape != (N,):
        raise ValueError(f"J must hold N = {N} hops, got shape {J.shape}")
    if Gamma is None:
        Gamma = 2 * liu_optimal_coupling(N, kappa, topology)
    G = np.broadcast_to(_finite_array(Gamma, "Gamma", dtype=float), (N,)) if np.ndim(Gamma) == 0 else \
        _finite_array(Gamma, "Gamma", dtype=float)
    if G.shape != (N,):
        raise ValueError(f"Gamma must be a scalar or hold N = {N} rates, got shape {G.shape}")
    for k, gk in enumerate(G):
        _rate(gk, f"Gamma[{k}]")
    return _network_of(_liu_model(J, N, topology, G, kappa, eps))


# ============================================================================================
# bounds, costs, power
# ============================================================================================
def energy_bound(F: complex, kappa_charger: float, kappa_battery: float, omega: float = 1.0) -> float:
    """Upper bound on the steady coherent energy of a battery: ``omega |F|^2 / (kappa_c kappa_b)``.

    In the steady state the drive injects ``2 Im(conj(alpha_c) F)`` quanta per unit time and the
    network dissipates ``alpha^dag K alpha >= kappa_c |alpha_c|^2 + kappa_b |beta|^2`` (every other
    channel adds a positive semidefinite term to ``K``).  Hence
    ``kappa_b |beta|^2 <= 2 |F| |alpha_c| - kappa_c |alpha_c|^2 <= |F|^2 / kappa_c`` and::

        omega |beta|^2 <= omega |F|^2 / (kappa_c kappa_b).

    Hypotheses (each is needed):

    * number-conserving couplings (a Hamiltonian ``sum h_ij a_i^dag a_j``, as in every model of
      :class:`~nrqb.engine.LinearNetwork`): a two-mode-squeezing term ``g (a b + a^dag b^dag)``
      pumps energy in and the battery energy diverges as ``g -> sqrt(kappa_a kappa_b)/2``
      (:func:`two_mode_squeezing_energy`);
    * only the charger is driven (with several driven modes ``|F|^2/kappa_c`` becomes the sum of
      ``|F_j|^2/kappa_j``);
    * energy at zero temperature.  With thermal baths (any temperatures, no squeezing) the
      battery's reduced state is a displaced thermal state, the mean ``beta`` does not depend on
      the noise, and the bound holds for the **ergotropy** ``omega |beta|^2``; the energy adds the
      passive part ``omega <db^dag db>`` (``omega n_th`` at one common temperature), which can
      exceed it.  Squeezed baths add ergotropy of their own and break it.

    Equality needs the battery's own loss to be the only channel the battery excites and
    critical coupling, ``|alpha_c| = |F|/kappa_c``: e.g. the reciprocal pair at
    ``4|J|^2 = kappa_c kappa_b``, or Ahmadi et al.'s pair at the optimal hop of
    :func:`ahmadi_optimum` when ``kappa_a/|p_a|^2 = kappa_b/|p_b|^2``.

    Parameters
    ----------
    F : complex
        Drive amplitude on the charger (the only driven mode).
    kappa_charger, kappa_battery : float
        Local loss rates (> 0).
    omega : float
        Energy per quantum of the battery (>= 0).

    Returns
    -------
    float

    References
    ----------
    Energy balance of the moment equations (conventions page, the drift ``A = -i h - K/2``);
    applies to the models of all four papers (Ahmadi et al., Eq. (2); Zhao et al., Eq. (1);
    Lin et al., Eq. (1); Liu et al., Eqs. (1)-(2)).
    """
    F = _complex(F, "F")
    kc, kb = _rate(kappa_charger, "kappa_charger"), _rate(kappa_battery, "kappa_battery")
    omega = _rate(omega, "omega")
    if kc == 0 or kb == 0:
        raise ValueError("the bound needs kappa_charger > 0 and kappa_battery > 0")
    return float(omega * abs(F) ** 2 / (kc * kb))


def two_mode_squeezing_energy(g: float, kappa_a: float, kappa_b: float, F: complex,
                              omega: float = 1.0) -> dict:
    """Steady battery energy of a driven charger coupled by two-mode squeezing, ``g (a b + a^dag b^dag)``.

    ``H = g (a b + a^dag b^dag) + F a^dag + conj(F) a`` with local losses ``kappa_a D[a]``,
    ``kappa_b D[b]`` at zero temperature: the coupling does not conserve the number of quanta,
    so it is outside :class:`~nrqb.engine.LinearNetwork` and outside the hypotheses of
    :func:`energy_bound`.  Below threshold, ``4 g^2 < kappa_a kappa_b``, the means and the
    moments ``n_a, n_b, m = <a b>`` obey closed linear equations whose steady solution is

    * ``beta = -4 g conj(F) / (4 g^2 - kappa_a kappa_b)``, so ``|beta|^2 = 16 g^2 |F|^2 / (kappa_a kappa_b - 4 g^2)^2``;
    * ``<db^dag db> = 4 g^2 kappa_a / ((kappa_a + kappa_b)(kappa_a kappa_b - 4 g^2))`` (amplified vacuum).

    Both diverge at threshold, so the ratio to the bound ``|F|^2/(kappa_a kappa_b)`` is unbounded.

    Parameters
    ----------
    g : float
        Two-mode squeezing rate (>= 0), below threshold ``4 g^2 < kappa_a kappa_b``.
    kappa_a, kappa_b : float
        Local losses (> 0).
    F : complex
        Drive on the charger.
    omega : float
        Energy per quantum.

    Returns
    -------
    dict
        ``coherent`` (``omega |beta|^2``), ``incoherent`` (``omega <db^dag db>``), ``energy`` (their
        sum), ``ratio_to_bound`` (``|beta|^2 kappa_a kappa_b / |F|^2``, ``inf`` for ``F = 0``),
        ``threshold`` (``sqrt(kappa_a kappa_b)/2``).

    Raises
    ------
    ValueError
        At or above threshold (no steady state), or for bad input (named).

    References
    ----------
    A textbook nondegenerate parametric amplifier (C. W. Gardiner and P. Zoller, *Quantum
    Noise*, ch. 10); it bounds the hypotheses of :func:`energy_bound` (optimal chapter).
    """
    g = _rate(g, "g")
    ka, kb = _positive(kappa_a, "kappa_a"), _positive(kappa_b, "kappa_b")
    F = _complex(F, "F")
    omega = _rate(omega, "omega")
    gap = ka * kb - 4 * g**2
    if not gap > 0:
        raise ValueError(f"g = {g!r} is at or above the threshold sqrt(kappa_a kappa_b)/2 = "
                         f"{np.sqrt(ka * kb) / 2!r}: no steady state")
    coh = 16 * g**2 * abs(F) ** 2 / gap**2
    inc = 4 * g**2 * ka / ((ka + kb) * gap)
    return {"coherent": omega * coh, "incoherent": omega * inc, "energy": omega * (coh + inc),
            "ratio_to_bound": coh * ka * kb / abs(F) ** 2 if F != 0 else np.inf,
            "threshold": float(np.sqrt(ka * kb) / 2)}


def _amplitudes(net: LinearNetwork, alpha) -> np.ndarray:
    if alpha is None:
        return net.steady_state()["amplitudes"]
    a = _finite_array(alpha, "alpha")
    if a.shape != (net.n_modes,):
        raise ValueError(f"alpha must have shape ({net.n_modes},), got {a.shape}")
    return a


def input_power(net: LinearNetwork, alpha: np.ndarray | None = None) -> float:
    """Power injected by the coherent drive, ``sum_j omega_j 2 Im(conj(alpha_j) F_j)``.

    From ``d<a>/dt = A <a> - i F``: ``d(alpha^dag alpha)/dt = -alpha^dag K alpha + 2 Im(alpha^dag F)``;
    the second term is the rate at which the drive adds quanta.  ``alpha`` defaults to the steady
    amplitudes (then the result equals the total of :func:`dissipated_power`).

    Parameters
    ----------
    net : LinearNetwork
    alpha : (n,) array, optional
        Mode amplitudes; default the steady state.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eq. (3) (the drive term of the occupation equations).
    """
    net = _network(net)
    a = _amplitudes(net, alpha)
    return float(np.sum(net.omega * 2 * np.imag(np.conj(a) * net.drive)))


def dissipated_power(net: LinearNetwork, alpha: np.ndarray | None = None) -> dict:
    """Power lost to each channel, ``omega gamma_k |<L_k>|^2`` (coherent part, any temperature).

    Parameters
    ----------
    net : LinearNetwork
    alpha : (n,) array, optional
        Mode amplitudes; default the steady state.

    Returns
    -------
    dict
        ``local`` (n,) array, ``shared`` list (one per shared jump), ``total``.  Uses a common
        ``omega`` (the mean of the modes' values) for shared channels.

    References
    ----------
    Ahmadi et al., the master equation above Eq. (2) (each channel's ``Gamma <L^dag L>``).
    """
    net = _network(net)
    a = _amplitudes(net, alpha)
    ch = net.channels
    n = net.n_modes
    om = net.omega
    local = np.array([ch[j][0] * abs(a[j]) ** 2 * om[j] for j in range(n)])
    shared = [rate * abs(np.dot(c, a)) ** 2 * float(np.mean(om)) for rate, c, _, _ in ch[n:]]
    return {"local": local, "shared": shared, "total": float(local.sum() + sum(shared))}


def _modes(value, name: str, n: int) -> np.ndarray:
    vals = np.atleast_1d(np.asarray(value, dtype=object))
    if vals.ndim != 1 or len(vals) == 0:
        raise ValueError(f"{name} must be a mode index or a non-empty list of them, got {value!r}")
    return np.array([_index(v, name, n) for v in vals])


def steady_cost(net: LinearNetwork, charger: int, battery: int | Sequence[int]) -> dict:
    """Steady-state figures of merit: energies, input power and the papers' efficiencies.

    Parameters
    ----------
    net : LinearNetwork
        A stable network.
    charger : int
        Index of the driven mode.
    battery : int or sequence of int
        Battery mode(s); energies are summed.

    Returns
    -------
    dict
        ``E_B`` (battery energy, summed over ``battery`` if a list), ``E_A`` (charger energy),
        ``P_in`` (input power), ``eta_AB = E_B/E_A`` (Ahmadi et al., Fig. 2(b)),
        ``eta_lin = E_B/(E_A + E_B)`` (Lin et al., Eq. (11)), ``tau = E_B/P_in`` (energy stored per
        unit of absorbed power: the time the input power needs to supply the stored energy),
        ``P_shared`` (power lost in shared reservoirs and intermediate modes, i.e. everything
        except the charger's and batteries' local losses).

    References
    ----------
    Ahmadi et al., Fig. 2(b); Lin et al., Eq. (11).
    """
    net = _network(net)
    charger = _index(charger, "charger", net.n_modes)
    bat = _modes(battery, "battery", net.n_modes)
    ss = net.steady_state()
    EB = float(ss["energies"][bat].sum())
    EA = float(ss["energies"][charger])
    Pin = input_power(net, ss["amplitudes"])
    d = dissipated_power(net, ss["amplitudes"])
    own = d["local"][charger] + d["local"][bat].sum()
    return {"E_B": EB, "E_A": EA, "P_in": Pin, "eta_AB": EB / EA if EA > 0 else np.inf,
            "eta_lin": EB / (EA + EB) if EA + EB > 0 else np.nan, "tau": EB / Pin if Pin > 0 else np.nan,
            "P_shared": d["total"] - own}


def peak_power(net: LinearNetwork, battery: int | Sequence[int], t_max: float, *,
               definition: str = "instantaneous", n_grid: int = 400) -> tuple[float, float]:
    """Peak charging power of the battery from the network's initial state, and the time it occurs.

    ``definition="instantaneous"``: ``P(t) = dE_B/dt``, exact from the moment equations
    (:meth:`LinearNetwork.power`; Lin et al., Eq. (12)).  ``definition="average"``:
    ``P(t) = E_B(t)/t`` (Zhao et al.).  The maximum over a uniform grid on ``(0, t_max]`` is
    refined by a bounded scalar search around the best grid point.  Thermal and squeezed noise
    are included through the engine.

    Parameters
    ----------
    net : LinearNetwork
    battery : int or sequence of int
        Battery mode(s); powers are summed.
    t_max : float
        End of the search window (> 0).
    definition : {"instantaneous", "average"}
    n_grid : int
        Grid points (>= 3).

    Returns
    -------
    (P_max, t_at_max)

    References
    ----------
    Lin et al., Eq. (12) (instantaneous); Zhao et al., text above Fig. 4 (average).
    """
    net = _network(net)
    if definition not in ("instantaneous", "average"):
        raise ValueError(f"definition must be 'instantaneous' or 'average', got {definition!r}")
    t_max = _positive(t_max, "t_max")
    n_grid = _count(n_grid, "n_grid", minimum=3)
    bat = _modes(battery, "battery", net.n_modes)

    def power(t):
        t = np.atleast_1d(t)
        if definition == "average":
            return net.energies(t)[:, bat].sum(axis=1) / t
        return net.power(t)[:, bat].sum(axis=1)  # exact dE/dt from the engine

    t = np.linspace(t_max / n_grid, t_max, n_grid)
    P = power(t)
    k = int(np.argmax(P))
    lo, hi = t[max(k - 1, 0)], t[min(k + 1, n_grid - 1)]
    if hi > lo:
        res = minimize_scalar(lambda s: -power(s)[0], bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-6 * t_max})
        if -res.fun > P[k]:
            return float(-res.fun), float(res.x)
    return float(P[k]), float(t[k])


# ============================================================================================
# optimisation
# ============================================================================================
@dataclass
class Baseline:
    """One paper's model with its coherent couplings as a real parameter vector.

    Attributes
    ----------
    name : str
    model : callable
        ``x (real vector) -> (h, loss, jumps, drive)``, the arguments of :class:`LinearNetwork`
        (zero temperature, energy per quantum 1).
    x_nr : ndarray
        The paper's nonreciprocal point.
    bounds : list of (lo, hi)
        Box for every component of ``x``.
    charger, battery : int and int or list
        Mode indices.
    F, kappa_c, kappa_b : drive and local losses, for :func:`energy_bound`.
    t_max : float
        Time window for the peak power.
    power_definition : str
        The paper's own power (``"instantaneous"`` or ``"average"``).
    labels : list of str
        Names of the components of ``x``.

    Notes
    -----
    :meth:`energy` and :meth:`power` evaluate the model's drift directly (a linear solve, and
    exact coherent propagation by the exponential of an augmented matrix), which is what the
    optimisations need thousands of times; :meth:`build` gives the engine's
    :class:`LinearNetwork`, and the tests check that both agree.
    """

    name: str
    model: Callable[[np.ndarray], tuple]
    x_nr: np.ndarray
    bounds: list
    charger: int
    battery: object
    F: complex
    kappa_c: float
    kappa_b: float
    t_max: float
    power_definition: str = "instantaneous"
    labels: list = field(default_factory=list)

    def _x(self, x) -> np.ndarray:
        x = _finite_array(x, "x", dtype=float)
        if x.shape != np.shape(self.x_nr):
            raise ValueError(f"x must have shape {np.shape(self.x_nr)}, got {x.shape}")
        return x

    def build(self, x) -> LinearNetwork:
        """The engine's network at parameters ``x``."""
        return _network_of(self.model(self._x(x)))

    def energy(self, x) -> float:
        """Steady battery energy at parameters ``x`` (``-inf`` if the network is unstable)."""
        A, F = _drift_of(self.model(self._x(x)))
        if not _stable(A):
            return -np.inf
        a = np.linalg.solve(A, 1j * F)
        return float(np.sum(np.abs(a[np.atleast_1d(self.battery)]) ** 2))

    def power(self, x) -> float:
        """Peak charging power at parameters ``x`` in the paper's definition (:func:`peak_power`, from the vacuum)."""
        A, F = _drift_of(self.model(self._x(x)))
        if not _stable(A):
            return -np.inf
        return _coherent_peak(A, F, np.atleast_1d(self.battery), self.t_max, self.power_definition)

    def cost(self, x) -> dict:
        """:func:`steady_cost` at ``x``."""
        return steady_cost(self.build(x), self.charger, self.battery)

    def bound(self) -> float:
        """:func:`energy_bound` for this model (summed batteries: the bound of one battery times 1)."""
        return energy_bound(self.F, self.kappa_c, self.kappa_b)


def _cplx(x, i):
    return x[2 * i] + 1j * x[2 * i + 1]


def ahmadi_baseline(Gamma: float = 0.04, *, kappa_a: float = 0.003, kappa_b: float = 0.003, E: complex = 0.1,
                    t_max: float = 1500.0, box: float = 0.2, name: str | None = None) -> Baseline:
    """Ahmadi et al.'s pair as a :class:`Baseline`: ``x = (Re J, Im J)`` free, everything else fixed.

    Parameters
    ----------
    Gamma, kappa_a, kappa_b : float
        Shared-reservoir rate and local losses (>= 0).
    E : complex
        Drive amplitude.
    t_max : float
        Window of the peak-power search (> 0).
    box : float
        Half-width of the box of ``Re J`` and ``Im J`` (> 0).
    name : str, optional
        Name of the baseline.

    Returns
    -------
    Baseline
        ``x_nr = (0, Gamma/2)`` (``p_a = p_b = 1``).

    References
    ----------
    Ahmadi et al., Eq. (2) and Figs. 2-4.
    """
    Gamma, kappa_a, kappa_b = _rate(Gamma, "Gamma"), _rate(kappa_a, "kappa_a"), _rate(kappa_b, "kappa_b")
    E, t_max, box = _complex(E, "E"), _positive(t_max, "t_max"), _positive(box, "box")

    def model(x):
        return _ahmadi_model(_cplx(x, 0), kappa_a, kappa_b, Gamma, 1.0, 1.0, E)

    return Baseline(name or f"Ahmadi et al., Gamma = {Gamma:g}", model, np.array([0.0, Gamma / 2]),
                    [(-box, box)] * 2, 0, 1, E, kappa_a, kappa_b, t_max, labels=["Re J", "Im J"])


def baselines() -> dict[str, Baseline]:
    """The four papers' baselines, each with its own parameters and coherent couplings free.

    * ``ahmadi``: Figs. 2-3 (``Gamma = 0.04``, ``kappa = 0.003``, ``E = 0.1``), x = (Re J, Im J).
    * ``ahmadi4``: Fig. 4(a) (``Gamma = 0.01``, ``kappa_a = 0.1``, ``kappa_b = 0.003``).
    * ``zhao``: Fig. 2 parameters at N = 1 (``gamma = Gamma = 0.1``, ``xi = 1``), the paper's
      ``g1 = g2 = sqrt(g_b Gamma/2)`` at ``g_b = 0.1 gamma`` held fixed; x = (Re gb, Im gb).
    * ``zhao_all``: the same with g1, g2 free too (complex), x = (gb, g1, g2) as 6 reals.
    * ``lin``: Fig. 2 (``g_a = i sqrt(0.2)``, ``g_b = sqrt(0.2)``, ``gamma_m = 20``, so that the
      eliminated cavity gives ``Gamma = 4 g^2/gamma_m = 0.04``), x = (Re J, Im J).
    * ``liu_c``, ``liu_p``: N = 2 cascaded / parallel, ``Gamma_i = 2 J_op``, x = (J_1, J_2) as 4 reals.

    Returns
    -------
    dict
        ``key -> Baseline``.

    References
    ----------
    Ahmadi et al., Figs. 2-4; Zhao et al., Eq. (1) and Fig. 2; Lin et al., Eq. (1) and Fig. 2;
    Liu et al., Eqs. (1)-(2) and (10).
    """
    out = {}
    k, G, E = 0.003, 0.04, 0.1
    b = 0.2
    out["ahmadi"] = ahmadi_baseline(G, kappa_a=k, kappa_b=k, E=E, t_max=1500.0, box=b, name="Ahmadi et al., Figs. 2-3")
    out["ahmadi4"] = ahmadi_baseline(0.01, kappa_a=0.1, kappa_b=0.003, E=E, t_max=3000.0, box=b,
                                     name="Ahmadi et al., Fig. 4(a)")
    gam, Gz, xi, gb0 = 0.1, 0.1, 1.0, 0.01
    g12 = np.sqrt(gb0 * Gz / 2)
    out["zhao"] = Baseline(
        "Zhao et al., Fig. 2 (N = 1, g_b = 0.1 gamma)",
        lambda x: _zhao_model(g12, g12, _cplx(x, 0), gam, Gz, xi),
        np.array([0.0, -gb0]), [(-1.0, 1.0)] * 2, 0, 2, xi, gam, gam, 300.0, "average", ["Re gb", "Im gb"])
    out["zhao_all"] = Baseline(
        "Zhao et al., all couplings free",
        lambda x: _zhao_model(_cplx(x, 1), _cplx(x, 2), _cplx(x, 0), gam, Gz, xi),
        np.array([0.0, -gb0, g12, 0.0, g12, 0.0]), [(-1.0, 1.0)] * 6, 0, 2, xi, gam, gam, 300.0, "average",
        ["Re gb", "Im gb", "Re g1", "Im g1", "Re g2", "Im g2"])
    # Lin et al.: J b^dag a, nonreciprocal at phi = pi/2, J = Gamma/2 (their Fig. 2)
    gl = np.sqrt(0.2)  # Gamma = 4 g^2 / gamma_m = 0.04: the value that makes Eq. (5) exact (see the chapter)
    out["lin"] = Baseline("Lin et al., Fig. 2", lambda x: _lin_model(_cplx(x, 0), 1j * gl, gl, k, k, 20.0, 0.0, E),
                          np.array([0.02, 0.0]), [(-b, b)] * 2, 0, 1, E, k, k, 1500.0, labels=["Re J", "Im J"])
    for topo, key in (("cascaded", "liu_c"), ("parallel", "liu_p")):
        Gl = 2 * liu_optimal_coupling(2, k, topo)
        out[key] = Baseline(
            f"Liu et al., N = 2 {topo}",
            (lambda topo, Gl: lambda x: _liu_model(np.array([_cplx(x, 0), _cplx(x, 1)]), 2, topo, [Gl, Gl], k, 0.01))(
                topo, Gl),
            np.array([0.0, Gl / 2, 0.0, Gl / 2]), [(-0.05, 0.05)] * 4, 0, 2 if topo == "cascaded" else [1, 2],
            0.01, k, k, 6000.0, labels=["Re J1", "Im J1", "Re J2", "Im J2"])
    return out


def optimise(base: Baseline, objective: str = "energy", *, n_starts: int = 6, seed: int = 0,
             maxiter: int = 200, extra_starts: Sequence[np.ndarray] = ()) -> dict:
    """Maximise the steady battery energy or the peak power over the coherent couplings.

    Multi-start bounded L-BFGS-B from the nonreciprocal point and ``n_starts`` seeded random
    points of the box, followed by a Nelder-Mead polish of the best.

    Parameters
    ----------
    base : Baseline
    objective : {"energy", "power"}
    n_starts : int
        Random starts besides the nonreciprocal point.
    seed : int
        Seed of the random starts (results are deterministic).
    maxiter : int
        Iterations per local search.
    extra_starts : sequence of arrays
        Further starting points (e.g. the optimum of a restricted problem).

    Returns
    -------
    dict
        ``x`` (optimum), ``value``, ``x_nr``, ``value_nr``, ``ratio`` (optimum / nonreciprocal),
        ``at_bound`` (True if a component sits on the box edge).
    """
    if not isinstance(base, Baseline):
        raise ValueError(f"base must be a Baseline, got {type(base).__name__}")
    if objective not in ("energy", "power"):
        raise ValueError(f"objective must be 'energy' or 'power', got {objective!r}")
    n_starts = _count(n_starts, "n_starts", minimum=0)
    seed = _count(seed, "seed", minimum=0)
    maxiter = _count(maxiter, "maxiter")
    extra_starts = [_finite_array(v, "extra_starts", dtype=float) for v in extra_starts]
    for v in extra_starts:
        if v.shape != base.x_nr.shape:
            raise ValueError(f"extra_starts must have shape {base.x_nr.shape}, got {v.shape}")
    f = base.energy if objective == "energy" else base.power
    lo = np.array([b[0] for b in base.bounds])
    hi = np.array([b[1] for b in base.bounds])
    scale = hi - lo

    def neg(u):  # optimise in unit-box coordinates
        v = f(lo + u * scale)
        return -v if np.isfinite(v) else 1e300

    rng = np.random.default_rng(seed)
    starts = [(base.x_nr - lo) / scale] + [(np.asarray(v, float) - lo) / scale for v in extra_starts]
    starts += list(rng.uniform(0, 1, (n_starts, len(lo))))
    best = None
    for u0 in starts:
        r = minimize(neg, u0, method="L-BFGS-B", bounds=[(0, 1)] * len(lo),
                     options={"maxiter": maxiter, "ftol": 1e-14, "gtol": 1e-12})
        if best is None or r.fun < best.fun:
            best = r
    # the peak power carries the ~1e-9 relative error of its bounded time search: a looser polish
    tol, iters = (1e-14, 400) if objective == "energy" else (1e-10, 100)
    r2 = minimize(neg, best.x, method="Nelder-Mead",
                  options={"xatol": 1e-10, "fatol": tol * abs(best.fun), "maxiter": iters * len(lo)})
    if r2.fun < best.fun and np.all((r2.x >= 0) & (r2.x <= 1)):
        best = r2
    x = lo + best.x * scale
    v_nr = f(base.x_nr)
    return {"x": x, "value": -best.fun, "x_nr": base.x_nr.copy(), "value_nr": v_nr,
            "ratio": -best.fun / v_nr, "at_bound": bool(np.any(np.isclose(best.x, 0, atol=1e-6)
                                                               | np.isclose(best.x, 1, atol=1e-6)))}


def grid_check(base: Baseline, x: np.ndarray, objective: str = "energy", *, rel: float = 0.05,
               n: int = 5) -> float:
    """Largest value of the objective on a local grid around ``x`` (``n`` points per axis, +-rel).

    Used to verify that :func:`optimise` returned a local maximum: the result must not exceed
    the optimum.  The step is ``rel`` times the larger of ``|x_i|`` and 1 % of the box width.
    Above four parameters the full grid is too costly; then every axis is scanned separately and
    every pair of axes on a 3 x 3 grid.
    """
    if not isinstance(base, Baseline):
        raise ValueError(f"base must be a Baseline, got {type(base).__name__}")
    if objective not in ("energy", "power"):
        raise ValueError(f"objective must be 'energy' or 'power', got {objective!r}")
    rel = _positive(rel, "rel")
    n = _count(n, "n", minimum=2)
    x = _finite_array(x, "x", dtype=float)
    if x.shape != base.x_nr.shape:
        raise ValueError(f"x must have shape {base.x_nr.shape}, got {x.shape}")
    f = base.energy if objective == "energy" else base.power
    widths = np.array([b[1] - b[0] for b in base.bounds])
    step = rel * np.maximum(np.abs(x), 0.01 * widths)
    axes = [xi + s * np.linspace(-1, 1, n) for xi, s in zip(x, step)]
    best = -np.inf
    if len(x) > 4:
        pts = []
        for i in range(len(x)):
            for j in range(i + 1, len(x)):
                for a in (-1, 0, 1):
                    for b in (-1, 0, 1):
                        p = x.copy()
                        p[i] += a * step[i]
                        p[j] += b * step[j]
                        pts.append(p)
        for i in range(len(x)):
            for v in axes[i]:
                p = x.copy()
                p[i] = v
                pts.append(p)
        pts = np.array(pts)
    else:
        pts = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(x), -1).T
    for pt in pts:
        pt = np.clip(pt, [b[0] for b in base.bounds], [b[1] for b in base.bounds])
        best = max(best, f(pt))
    return float(best)
