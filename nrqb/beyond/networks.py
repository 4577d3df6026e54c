"""Networks no paper solved: one-way rings, stars of chains, trees and a lattice with a chiral edge.

All networks are built with :class:`nrqb.NetworkBuilder` and its
:meth:`~nrqb.NetworkBuilder.nonreciprocal_link` (a shared reservoir ``gamma D[a_src + e^{i phi} a_dst]``
plus the hop that cancels the backflow), every mode with the same local loss ``kappa`` and a
coherent drive ``F`` on one mode (the charger).  A one-way link adds ``gamma`` to the damping of
both of its ends and the forward drift entry ``-gamma e^{-i phi}``.

Exact results used by the chapter:

* :func:`path_energy` -- in any one-way *tree* (no loops) the steady energy of a node depends only
  on the path from the charger to it: ``E_D = 4|F|^2/Lambda_0^2 prod_{d=1}^D (2 gamma/Lambda_d)^2``
  with ``Lambda_d = kappa_d + c_d gamma`` and ``c_d`` the number of one-way links attached to the
  d-th node of the path.  Liu et al.'s Eqs. (4), (5), (8), (9) are special cases.
* :func:`optimal_gamma` -- maximising ``E_D`` over a common ``gamma`` gives the law
  ``sum_{d=0}^D c_d gamma/(kappa_d + c_d gamma) = D``; Liu et al.'s Eq. (10) is its chain and star case.
* :func:`ring_amplitudes` -- a closed one-way ring of ``n`` modes with flux ``Phi`` is a resonator:
  the amplitudes are those of the open chain divided by ``1 - r``, ``r = (-x)^n e^{-i Phi}``,
  ``x = 2 gamma / (2 gamma + kappa)``.

References
----------
Liu et al. (2026), Eqs. (3)-(10); Ahmadi et al., Eq. (2); Metelmann and Clerk, PRX 5, 021025 (2015).
"""

from __future__ import annotations

from collections import deque
from typing import Sequence

import numpy as np
from scipy.optimize import brentq

from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork, _finite_array, _rate

__all__ = [
    "chain", "ring", "star_of_chains", "tree", "chiral_lattice",
    "distances", "path_energy", "optimal_gamma", "optimal_gamma_sym", "ring_amplitudes",
    "fit_decay", "energy_flow",
]


def _check(gamma, kappa):
    return _rate(gamma, "gamma"), _rate(kappa, "kappa")


def _int(v, name, minimum=1):
    if isinstance(v, bool) or int(v) != v or v < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {v!r}")
    return int(v)


# ============================================================================================
# builders (each returns the NetworkBuilder, so mode names stay available; call .build())
# ============================================================================================
def chain(n_links: int, gamma: float, kappa: float, F: complex = 0.01) -> NetworkBuilder:
    """One-way chain ``0 -> 1 -> ... -> n_links``, drive on ``0``: Liu et al.'s cascaded network.

    Parameters
    ----------
    n_links : int
        Number of one-way links (batteries).
    gamma, kappa : float
        Link rate and local loss (>= 0).
    F : complex
        Drive amplitude on mode ``"0"``.

    Returns
    -------
    NetworkBuilder
        Modes named ``"0"``, ``"1"``, ...

    References
    ----------
    Liu et al., Eqs. (1)-(2) at the nonreciprocal point ``J_i = Gamma_i/2``.
    """
    n_links = _int(n_links, "n_links")
    gamma, kappa = _check(gamma, kappa)
    nb = NetworkBuilder()
    for i in range(n_links + 1):
        nb.mode(str(i), loss=kappa)
    nb.drive("0", F)
    for i in range(n_links):
        nb.nonreciprocal_link(str(i), str(i + 1), gamma)
    return nb


def ring(n: int, gamma: float, kappa: float, F: complex = 0.01, *, flux: float = 0.0) -> NetworkBuilder:
    """Closed one-way ring ``0 -> 1 -> ... -> n-1 -> 0`` threaded by a synthetic flux.

    Every link carries the phase ``flux / n`` (:meth:`NetworkBuilder.nonreciprocal_link`), so a
    round trip multiplies the amplitude by ``r = (-x)^n e^{-i flux}``; see :func:`ring_amplitudes`.

    Parameters
    ----------
    n : int
        Number of modes (>= 2).
    gamma, kappa : float
        Link rate and local loss.
    F : complex
        Drive on mode ``"0"``.
    flux : float
        Total phase around the ring (radians).

    Returns
    -------
    NetworkBuilder
    """
    n = _int(n, "n", 2)
    gamma, kappa = _check(gamma, kappa)
    flux = float(_finite_array(flux, "flux", dtype=float))
    nb = NetworkBuilder()
    for i in range(n):
        nb.mode(str(i), loss=kappa)
    nb.drive("0", F)
    for i in range(n):
        nb.nonreciprocal_link(str(i), str((i + 1) % n), gamma, phase=flux / n)
    return nb


def star_of_chains(arms: int, length: int, gamma: float, kappa: float, F: complex = 0.01) -> NetworkBuilder:
    """A driven hub ``"c"`` feeding ``arms`` one-way chains of ``length`` batteries each.

    ``arms = 1`` is Liu et al.'s cascaded network, ``length = 1`` their parallel network.
    Modes: ``"c"`` and ``"a{i}_{j}"`` (arm i, j = 1..length).
    """
    arms, length = _int(arms, "arms"), _int(length, "length")
    gamma, kappa = _check(gamma, kappa)
    nb = NetworkBuilder().mode("c", loss=kappa).drive("c", F)
    for i in range(arms):
        prev = "c"
        for j in range(1, length + 1):
            name = f"a{i}_{j}"
            nb.mode(name, loss=kappa).nonreciprocal_link(prev, name, gamma)
            prev = name
    return nb


def tree(branching: int, depth: int, gamma: float, kappa: float, F: complex = 0.01) -> NetworkBuilder:
    """A complete one-way tree: every node feeds ``branching`` children, ``depth`` levels below the root.

    Modes are named by their path: ``"r"``, ``"r0"``, ``"r01"``, ...  The root ``"r"`` is driven.
    """
    branching, depth = _int(branching, "branching"), _int(depth, "depth")
    gamma, kappa = _check(gamma, kappa)
    if branching ** depth > 5000:
        raise ValueError(f"the tree would have more than 5000 leaves ({branching}^{depth})")
    nb = NetworkBuilder().mode("r", loss=kappa).drive("r", F)
    level = ["r"]
    for _ in range(depth):
        nxt = []
        for p in level:
            for k in range(branching):
                name = p + str(k)
                nb.mode(name, loss=kappa).nonreciprocal_link(p, name, gamma)
                nxt.append(name)
        level = nxt
    return nb


def chiral_lattice(nx: int, ny: int, J_bulk: float, gamma_edge: float, kappa: float,
                   F: complex = 0.01, *, flux: float = 0.0, closed: bool = True) -> NetworkBuilder:
    """A square lattice with reciprocal bulk hops and a one-way (chiral) edge, driven at a corner.

    Sites ``"x,y"``; the perimeter is traversed clockwise from the driven corner ``"0,0"`` (up the
    left column, along the top row, down the right column, back along the bottom row).  Consecutive
    perimeter sites are joined by one-way links of rate ``gamma_edge`` (phase ``flux`` per round
    trip, spread evenly); every other nearest-neighbour pair (bulk-bulk and bulk-edge) by a
    reciprocal hop ``J_bulk``.  With ``closed=False`` the last perimeter link (back into the corner)
    is omitted and replaced by a reciprocal hop.  With ``gamma_edge = 0`` the perimeter pairs get the
    bulk hop too: a plain reciprocal lattice, the reference.

    Parameters
    ----------
    nx, ny : int
        Lattice size (>= 2 each).
    J_bulk : float
        Reciprocal hopping (real).
    gamma_edge, kappa : float
        One-way edge rate and local loss of every site.
    F : complex
        Drive on the corner ``"0,0"``.
    flux : float
        Total phase of a round trip along the edge.
    closed : bool
        Close the edge into a ring.

    Returns
    -------
    NetworkBuilder
    """
    nx, ny = _int(nx, "nx", 2), _int(ny, "ny", 2)
    gamma_edge, kappa = _check(gamma_edge, kappa)
    J_bulk = float(_finite_array(J_bulk, "J_bulk", dtype=float))
    nb = NetworkBuilder()
    for x in range(nx):
        for y in range(ny):
            nb.mode(f"{x},{y}", loss=kappa)
    nb.drive("0,0", F)
    per = perimeter(nx, ny)
    links = list(zip(per, per[1:] + per[:1]))
    if not closed:
        links = links[:-1]
    if gamma_edge == 0:
        links = []
    edge_pairs = {frozenset(l) for l in links}
    phase = flux / len(per)
    for a, b in links:
        nb.nonreciprocal_link(f"{a[0]},{a[1]}", f"{b[0]},{b[1]}", gamma_edge, phase=phase)
    for x in range(nx):
        for y in range(ny):
            for dx, dy in ((1, 0), (0, 1)):
                u, v = x + dx, y + dy
                if u < nx and v < ny and frozenset([(x, y), (u, v)]) not in edge_pairs and J_bulk != 0:
                    nb.hop(f"{x},{y}", f"{u},{v}", J_bulk)
    return nb


def perimeter(nx: int, ny: int) -> list[tuple[int, int]]:
    """Perimeter sites of an ``nx`` by ``ny`` lattice, clockwise from ``(0, 0)`` (up first)."""
    p = [(0, y) for y in range(ny)]
    p += [(x, ny - 1) for x in range(1, nx)]
    p += [(nx - 1, y) for y in range(ny - 2, -1, -1)]
    p += [(x, 0) for x in range(nx - 2, 0, -1)]
    return p


# ============================================================================================
# analysis
# ============================================================================================
def distances(net: LinearNetwork, source: int, *, directed: bool = True) -> np.ndarray:
    """Graph distance (number of links) from ``source`` along the couplings of the drift matrix.

    A link ``i -> j`` exists where ``A[j, i] != 0`` (mode j feels mode i).  ``directed=False`` uses
    ``A[j, i] != 0 or A[i, j] != 0``.  Unreachable modes get ``-1``.
    """
    A = np.abs(net.drift) > 1e-14
    adj = A.T if directed else (A | A.T)
    np.fill_diagonal(adj, False)
    n = net.n_modes
    d = -np.ones(n, int)
    d[source] = 0
    q = deque([source])
    while q:
        i = q.popleft()
        for j in np.flatnonzero(adj[i]):
            if d[j] < 0:
                d[j] = d[i] + 1
                q.append(j)
    return d


def path_energy(c: Sequence[float], gamma: float, kappa: float | Sequence[float], F: complex = 0.01,
                omega: float = 1.0) -> float:
    """Steady energy of the end node of a path in a one-way tree (exact).

    ``E_D = omega 4|F|^2/Lambda_0^2 prod_{d=1}^{D} (2 gamma / Lambda_d)^2`` with
    ``Lambda_d = kappa_d + c_d gamma``.

    Parameters
    ----------
    c : sequence of int
        ``c_d``, the number of one-way links attached to the d-th node of the path (d = 0 is the
        driven node).  A chain of N links has ``c = (1, 2, ..., 2, 1)``; a star of N batteries,
        seen from one battery, ``c = (N, 1)``.
    gamma : float
        Link rate.
    kappa : float or sequence
        Local loss(es) along the path.
    F : complex
        Drive amplitude.

    References
    ----------
    Liu et al., Eq. (4) (chain) and Eq. (8) (parallel); generalised to any tree here.
    """
    c = np.asarray(c, float)
    if c.ndim != 1 or len(c) < 2 or np.any(c < 1):
        raise ValueError(f"c must list at least two link counts >= 1, got {c!r}")
    gamma = _rate(gamma, "gamma")
    k = np.broadcast_to(np.asarray(kappa, float), c.shape)
    if np.any(k < 0) or not np.all(np.isfinite(k)):
        raise ValueError(f"kappa must be >= 0, got {kappa!r}")
    Lam = k + c * gamma
    return float(omega * 4 * abs(F) ** 2 / Lam[0] ** 2 * np.prod((2 * gamma / Lam[1:]) ** 2))


def optimal_gamma(c: Sequence[float], kappa: float | Sequence[float]) -> float:
    """The link rate that maximises :func:`path_energy`: root of ``sum_d c_d g/(kappa_d + c_d g) = D``.

    The left side rises monotonically from 0 to ``D + 1`` as ``g`` goes from 0 to infinity, so the
    root is unique.  For a chain of N links it is Liu et al.'s ``Gamma = 2 J_op^c``, for a star
    ``Gamma = 2 J_op^p`` (Eq. (10)).

    Parameters
    ----------
    c : sequence of int
        Link counts along the path (see :func:`path_energy`).
    kappa : float or sequence
        Local loss(es) (> 0).

    Returns
    -------
    float
    """
    c = np.asarray(c, float)
    if c.ndim != 1 or len(c) < 2 or np.any(c < 1):
        raise ValueError(f"c must list at least two link counts >= 1, got {c!r}")
    k = np.broadcast_to(np.asarray(kappa, float), c.shape)
    if np.any(k <= 0) or not np.all(np.isfinite(k)):
        raise ValueError(f"kappa must be > 0, got {kappa!r}")
    D = len(c) - 1
    f = lambda g: np.sum(c * g / (k + c * g)) - D  # noqa: E731
    hi = float(np.max(k))
    while f(hi) < 0:
        hi *= 2
    return float(brentq(f, 0.0, hi, xtol=1e-15 * hi, rtol=1e-14))


def optimal_gamma_sym(c: Sequence[int]):
    """sympy form of the optimality condition and its positive root(s) for equal losses ``kappa``.

    Returns
    -------
    (condition, roots)
        ``condition`` is ``sum_d c_d g/(kappa + c_d g) - D`` (sympy), ``roots`` the positive roots in ``g``.
    """
    import sympy as sp

    g, kappa = sp.symbols("g kappa", positive=True)
    D = len(c) - 1
    cond = sum(sp.Integer(cd) * g / (kappa + cd * g) for cd in c) - D
    roots = [r for r in sp.solve(sp.numer(sp.together(cond)), g) if r.is_positive is not False]
    return cond, roots


def ring_amplitudes(n: int, gamma: float, kappa: float, F: complex = 0.01, flux: float = 0.0) -> np.ndarray:
    """Exact steady amplitudes of :func:`ring`: ``alpha_m = alpha_0 (-x e^{-i flux/n})^m``.

    With ``Lambda = 2 gamma + kappa``, ``x = 2 gamma / Lambda`` and ``r = (-x e^{-i flux/n})^n``,
    ``alpha_0 = -2 i F / (Lambda (1 - r))``: the open chain's amplitudes enhanced by the ring's
    round-trip factor ``1/(1 - r)``.  Resonance (``r = x^n > 0``) needs ``flux = n pi (mod 2 pi)``.
    """
    n = _int(n, "n", 2)
    gamma, kappa = _check(gamma, kappa)
    Lam = 2 * gamma + kappa
    if Lam == 0:
        raise ValueError("gamma and kappa cannot both vanish")
    step = -2 * gamma / Lam * np.exp(-1j * flux / n)
    r = step**n
    a0 = -2j * F / (Lam * (1 - r))
    return a0 * step ** np.arange(n)


def fit_decay(d: Sequence[float], E: Sequence[float]) -> tuple[float, float]:
    """Least-squares fit ``ln E = ln E_0 + d ln q``: returns ``(q, E_0)`` (factor per link, intercept)."""
    d = np.asarray(d, float)
    E = np.asarray(E, float)
    if d.shape != E.shape or len(d) < 2 or np.any(E <= 0):
        raise ValueError("d and E must have the same length >= 2 and E > 0")
    slope, icpt = np.polyfit(d, np.log(E), 1)
    return float(np.exp(slope)), float(np.exp(icpt))


def energy_flow(net: LinearNetwork) -> dict:
    """Where the injected power goes in the steady state (zero temperature).

    Returns
    -------
    dict
        ``P_in`` (power injected by the drive), ``local`` (per-mode local loss ``omega kappa_j |alpha_j|^2``),
        ``shared`` (per shared reservoir ``omega gamma_k |c_k . alpha|^2``), ``energies`` (per mode).
        Energy balance: ``P_in = sum(local) + sum(shared)``.
    """
    ss = net.steady_state()
    a = ss["amplitudes"]
    om = net.omega
    ch = net.channels
    n = net.n_modes
    local = np.array([ch[j][0] * abs(a[j]) ** 2 * om[j] for j in range(n)])
    shared = np.array([rate * abs(np.dot(c, a)) ** 2 for rate, c, _, _ in ch[n:]]) * float(np.mean(om))
    P_in = float(np.sum(om * 2 * np.imag(np.conj(a) * net.drive)))
    return {"P_in": P_in, "local": local, "shared": shared, "energies": ss["energies"]}
