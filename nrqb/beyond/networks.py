"""Networks no paper solved: one-way rings, stars of chains, trees and a lattice with a one-way perimeter.

All networks are built with :class:`nrqb.NetworkBuilder` and its
:meth:`~nrqb.NetworkBuilder.nonreciprocal_link` (a shared reservoir ``gamma D[a_src + e^{i phi} a_dst]``
plus the hop that cancels the backflow), every mode with the same local loss ``kappa`` and a
coherent drive ``F`` on one mode (the charger).  A one-way link adds ``gamma`` to the damping of
both of its ends and the forward drift entry ``-gamma e^{-i phi}``.  Symbols: ``gamma`` is a link
rate here (Liu et al.'s ``Gamma_i``, twice their ``J_i``), ``kappa`` a local loss.

Exact results used by the chapter:

* :func:`path_energy` -- in any one-way *tree* (no loops) the steady energy of a node depends only
  on the path from the charger to it: ``E_D = 4|F|^2/Lambda_0^2 prod_{d=1}^D (2 gamma/Lambda_d)^2``
  with ``Lambda_d = kappa_d + c_d gamma`` and ``c_d`` the number of one-way links attached to the
  d-th node of the path.  Liu et al.'s Eqs. (4), (5), (8), (9) are special cases.
* :func:`optimal_gamma` -- maximising ``E_D`` over a *common* ``gamma`` gives the law
  ``sum_{d=0}^D c_d gamma/(kappa_d + c_d gamma) = D``; Liu et al.'s Eq. (10) (and Zhao et al.'s
  ``g_b^opt``) is its chain and star case.
* :func:`graded_energy`, :func:`optimal_rates` -- the same path with a rate per link (or per level
  of a tree): unequal rates beat the common-rate law, and in a chain the terminal energy no
  longer falls as ``D^-2``.
* :func:`ring_amplitudes` -- a closed one-way ring of ``n`` modes with flux ``Phi`` is a resonator:
  ``alpha_m = alpha_0 (-x e^{-i Phi/n})^m``, ``alpha_0 = -2iF/(Lambda (1 - r))``,
  ``r = (-x)^n e^{-i Phi}``, ``x = 2 gamma / (2 gamma + kappa)``; :func:`ring_over_chain` gives its
  exact relation to the open chain.

References
----------
Liu et al. (2026), Eqs. (3)-(10); Zhao et al., text below Fig. 2; Ahmadi et al., Eq. (2);
Metelmann and Clerk, PRX 5, 021025 (2015).
"""

from __future__ import annotations

from collections import deque
from typing import Sequence

import numpy as np
from scipy.optimize import brentq, minimize, minimize_scalar

from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork
from ..engine.validation import (count as _count, finite_array as _finite_array, finite_complex as _complex,
                                 index as _index, rate as _rate, rates as _rates, real as _real)

__all__ = [
    "chain", "ring", "star_of_chains", "tree", "perimeter_lattice", "perimeter",
    "distances", "path_energy", "optimal_gamma", "optimal_gamma_sym", "graded_energy", "optimal_rates",
    "semi_infinite_rates", "path_counts", "engine_optimal_gamma", "ring_amplitudes", "ring_over_chain",
    "fit_decay", "energy_flow",
]

#: most modes a builder of this module makes (the engine's dense propagators scale as n^3)
MAX_MODES = 5001


def _check(gamma, kappa):
    return _rate(gamma, "gamma"), _rate(kappa, "kappa")


def _int(v, name, minimum=1):
    return _count(v, name, minimum)


def _link_rates(gamma, n: int, name: str = "gamma") -> np.ndarray:
    """A common rate (scalar) or one rate per link/level, as an array of ``n`` rates ``>= 0``."""
    return _rates(gamma, name, n)


def _size(n: int, what: str) -> None:
    if n > MAX_MODES:
        raise ValueError(f"{what} would have {n} modes, more than {MAX_MODES}")


# ============================================================================================
# builders (each returns the NetworkBuilder, so mode names stay available; call .build())
# ============================================================================================
def chain(n_links: int, gamma, kappa: float, F: complex = 0.01) -> NetworkBuilder:
    """One-way chain ``0 -> 1 -> ... -> n_links``, drive on ``0``: Liu et al.'s cascaded network.

    Parameters
    ----------
    n_links : int
        Number of one-way links (batteries), at most ``MAX_MODES - 1``.
    gamma : float or sequence of float
        Link rate (>= 0): one common rate, or one per link (link ``d`` joins ``d-1 -> d``).
    kappa : float
        Local loss of every mode (>= 0).
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
    _size(n_links + 1, "the chain")
    g = _link_rates(gamma, n_links)
    kappa = _rate(kappa, "kappa")
    F = _complex(F, "F")
    nb = NetworkBuilder()
    for i in range(n_links + 1):
        nb.mode(str(i), loss=kappa)
    nb.drive("0", F)
    for i in range(n_links):
        nb.nonreciprocal_link(str(i), str(i + 1), float(g[i]))
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
        Link rate and local loss (>= 0).
    F : complex
        Drive on mode ``"0"``.
    flux : float
        Total phase around the ring (radians).

    Returns
    -------
    NetworkBuilder

    References
    ----------
    Metelmann and Clerk, PRX 5, 021025 (2015) (one-way links); Liu et al., Eq. (1).
    """
    n = _int(n, "n", 2)
    _size(n, "the ring")
    gamma, kappa = _check(gamma, kappa)
    F = _complex(F, "F")
    flux = _real(flux, "flux")
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

    Parameters
    ----------
    arms, length : int
        Number of chains and batteries per chain (>= 1).
    gamma, kappa : float
        Link rate and local loss (>= 0).
    F : complex
        Drive on the hub.

    Returns
    -------
    NetworkBuilder
        Modes ``"c"`` and ``"a{i}_{j}"`` (arm i, j = 1..length).

    References
    ----------
    Liu et al., Eqs. (1)-(2) (cascaded) and Sec. III (parallel).
    """
    arms, length = _int(arms, "arms"), _int(length, "length")
    _size(1 + arms * length, "the star")
    gamma, kappa = _check(gamma, kappa)
    F = _complex(F, "F")
    nb = NetworkBuilder().mode("c", loss=kappa).drive("c", F)
    for i in range(arms):
        prev = "c"
        for j in range(1, length + 1):
            name = f"a{i}_{j}"
            nb.mode(name, loss=kappa).nonreciprocal_link(prev, name, gamma)
            prev = name
    return nb


def tree(branching: int, depth: int, gamma, kappa: float, F: complex = 0.01) -> NetworkBuilder:
    """A complete one-way tree: every node feeds ``branching`` children, ``depth`` levels below the root.

    Parameters
    ----------
    branching, depth : int
        Children per node and number of levels (>= 1); at most ``MAX_MODES`` modes.
    gamma : float or sequence of float
        Link rate (>= 0): common, or one per level (entry ``l`` for the links into level ``l + 1``).
    kappa : float
        Local loss (>= 0).
    F : complex
        Drive on the root.

    Returns
    -------
    NetworkBuilder
        Modes named by their path: ``"r"``, ``"r0"``, ``"r01"``, ...  The root ``"r"`` is driven.

    References
    ----------
    Liu et al., Eqs. (1)-(2) (each link at the nonreciprocal point).
    """
    branching, depth = _int(branching, "branching"), _int(depth, "depth")
    if branching > 1 and depth * np.log(branching) > np.log(MAX_MODES):
        raise ValueError(f"the tree would have more than {MAX_MODES} modes ({branching}^{depth} leaves)")
    _size(sum(branching**k for k in range(depth + 1)), "the tree")
    g = _link_rates(gamma, depth)
    kappa = _rate(kappa, "kappa")
    F = _complex(F, "F")
    nb = NetworkBuilder().mode("r", loss=kappa).drive("r", F)
    level = ["r"]
    for lv in range(depth):
        nxt = []
        for p in level:
            for k in range(branching):
                name = p + str(k)
                nb.mode(name, loss=kappa).nonreciprocal_link(p, name, float(g[lv]))
                nxt.append(name)
        level = nxt
    return nb


def perimeter_lattice(nx: int, ny: int, J_bulk: float, gamma_edge: float, kappa: float,
                      F: complex = 0.01, *, flux: float = 0.0, closed: bool = True) -> NetworkBuilder:
    """A square lattice with reciprocal bulk hops whose perimeter is a one-way chain, driven at a corner.

    Not a topological lattice: the bulk is a plain reciprocal (gapless) tight-binding lattice
    and the one-way links are put on the perimeter by hand; nothing protects them.  Sites
    ``"x,y"``; the perimeter is traversed clockwise from the driven corner ``"0,0"`` (up the left
    column, along the top row, down the right column, back along the bottom row).  Consecutive
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
        One-way perimeter rate and local loss of every site (>= 0).
    F : complex
        Drive on the corner ``"0,0"``.
    flux : float
        Total phase of a round trip along the perimeter.
    closed : bool
        Close the perimeter into a ring.

    Returns
    -------
    NetworkBuilder

    References
    ----------
    Liu et al., Eqs. (1)-(2) (one-way links); Ahmadi et al., closing paragraph (a "chiral
    network of quantum nodes").
    """
    nx, ny = _int(nx, "nx", 2), _int(ny, "ny", 2)
    _size(nx * ny, "the lattice")
    gamma_edge, kappa = _rate(gamma_edge, "gamma_edge"), _rate(kappa, "kappa")
    J_bulk = _real(J_bulk, "J_bulk")
    F = _complex(F, "F")
    flux = _real(flux, "flux")
    if not isinstance(closed, (bool, np.bool_)):
        raise ValueError(f"closed must be True or False, got {closed!r}")
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
    """Perimeter sites of an ``nx`` by ``ny`` lattice (>= 2 each), clockwise from ``(0, 0)`` (up first)."""
    nx, ny = _int(nx, "nx", 2), _int(ny, "ny", 2)
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

    Parameters
    ----------
    net : LinearNetwork
    source : int
        Mode index.
    directed : bool

    Returns
    -------
    ndarray of int
    """
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    source = _index(source, "source", net.n_modes)
    A = np.abs(net.drift) > 1e-14 * np.max(np.abs(net.drift), initial=0.0)
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


def _counts(c) -> np.ndarray:
    c = _finite_array(c, "c", dtype=float)
    if c.ndim != 1 or len(c) < 2 or np.any(c < 1) or np.any(c != np.round(c)):
        raise ValueError(f"c must list at least two integer link counts >= 1, got {c!r}")
    return c


def _losses(kappa, n: int, *, positive: bool = False) -> np.ndarray:
    k = _rates(kappa, "kappa", n)
    if positive and np.any(k <= 0):
        raise ValueError(f"kappa must be > 0, got {kappa!r}")
    return k


def path_energy(c: Sequence[float], gamma: float, kappa: float | Sequence[float], F: complex = 0.01,
                omega: float = 1.0) -> float:
    """Steady energy of the end node of a path in a one-way tree with a common link rate (exact).

    ``E_D = omega 4|F|^2/Lambda_0^2 prod_{d=1}^{D} (2 gamma / Lambda_d)^2`` with
    ``Lambda_d = kappa_d + c_d gamma``.

    Parameters
    ----------
    c : sequence of int
        ``c_d``, the number of one-way links attached to the d-th node of the path (d = 0 is the
        driven node).  A chain of N links has ``c = (1, 2, ..., 2, 1)``; a star of N batteries,
        seen from one battery, ``c = (N, 1)``.
    gamma : float
        Link rate (>= 0).
    kappa : float or sequence
        Local loss(es) along the path (>= 0).
    F : complex
        Drive amplitude.
    omega : float
        Energy per quantum (>= 0).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (4) (chain) and Eq. (8) (parallel); generalised to any tree here.
    """
    c = _counts(c)
    gamma = _rate(gamma, "gamma")
    k = _losses(kappa, len(c))
    F, omega = _complex(F, "F"), _rate(omega, "omega")
    Lam = k + c * gamma
    if np.any(Lam == 0):
        raise ValueError("gamma and kappa cannot both vanish: no steady state")
    return float(omega * 4 * abs(F) ** 2 / Lam[0] ** 2 * np.prod((2 * gamma / Lam[1:]) ** 2))


def optimal_gamma(c: Sequence[float], kappa: float | Sequence[float]) -> float:
    """The common link rate that maximises :func:`path_energy`: root of ``sum_d c_d g/(kappa_d + c_d g) = D``.

    The left side rises monotonically from 0 to ``D + 1`` as ``g`` goes from 0 to infinity, so the
    root is unique.  For a chain of N links it is Liu et al.'s ``Gamma = 2 J_op^c``, for a star
    ``Gamma = 2 J_op^p`` (Eq. (10)).  Optimal among *equal* rates only: see :func:`optimal_rates`.

    Parameters
    ----------
    c : sequence of int
        Link counts along the path (see :func:`path_energy`).
    kappa : float or sequence
        Local loss(es) (> 0).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (10); Zhao et al., ``g_b^opt`` (text below Fig. 2).
    """
    c = _counts(c)
    k = _losses(kappa, len(c), positive=True)
    D = len(c) - 1
    f = lambda g: np.sum(c * g / (k + c * g)) - D  # noqa: E731
    hi = float(np.max(k))
    while f(hi) < 0:
        hi *= 2
    return float(brentq(f, 0.0, hi, xtol=1e-15 * hi, rtol=1e-14))


def optimal_gamma_sym(c: Sequence[int]):
    """sympy form of the optimality condition and its positive root(s) for equal losses ``kappa``.

    Parameters
    ----------
    c : sequence of int
        Link counts along the path.

    Returns
    -------
    (condition, roots)
        ``condition`` is ``sum_d c_d g/(kappa + c_d g) - D`` (sympy), ``roots`` the positive roots in ``g``.

    References
    ----------
    Liu et al., Eq. (10).
    """
    import sympy as sp

    c = [int(v) for v in _counts(c)]
    g, kappa = sp.symbols("g kappa", positive=True)
    D = len(c) - 1
    cond = sum(sp.Integer(cd) * g / (kappa + cd * g) for cd in c) - D
    roots = [r for r in sp.solve(sp.numer(sp.together(cond)), g) if r.is_positive is not False]
    return cond, roots


def path_counts(geometry: str, depth: int, width: int = 1) -> list[int]:
    """Link counts ``c_d`` along the path from the charger to a terminal node (see :func:`path_energy`).

    Parameters
    ----------
    geometry : {"chain", "star", "tree"}
        A chain; a star of ``width`` chains (:func:`star_of_chains`); a complete tree of branching
        ``width`` (:func:`tree`).
    depth : int
        Links from the charger to the terminal node (>= 1).
    width : int
        Arms of the star or branching of the tree (>= 1; ignored for a chain).

    Returns
    -------
    list of int
        ``[1, 2, ..., 2, 1]`` (chain), ``[width, 2, ..., 2, 1]`` (star),
        ``[width, width + 1, ..., width + 1, 1]`` (tree).
    """
    depth, width = _int(depth, "depth"), _int(width, "width")
    if geometry == "chain":
        return [1] + [2] * (depth - 1) + [1]
    if geometry == "star":
        return [width] + [2] * (depth - 1) + [1]
    if geometry == "tree":
        return [width] + [width + 1] * (depth - 1) + [1]
    raise ValueError(f"geometry must be 'chain', 'star' or 'tree', got {geometry!r}")


def engine_optimal_gamma(geometry: str, depth: int, kappa: float, F: complex = 0.01, *, width: int = 1,
                         bounds: tuple[float, float] = (1e-4, 1.0)) -> tuple[float, float]:
    """Brute force: the common link rate that maximises the terminal energy, from the engine's steady states.

    Builds the network (:func:`chain`, :func:`star_of_chains`, :func:`tree`) at each trial rate and
    maximises the terminal node's steady energy over ``ln gamma`` with a bounded scalar search;
    an independent route to :func:`optimal_gamma`.

    Parameters
    ----------
    geometry : {"chain", "star", "tree"}
    depth : int
        Links from the charger to the terminal node.
    kappa : float
        Local loss (> 0).
    F : complex
        Drive on the charger.
    width : int
        Arms of the star or branching of the tree.
    bounds : (float, float)
        Search interval of the rate (> 0).

    Returns
    -------
    (gamma, E)
        The best rate and the terminal energy there.
    """
    path_counts(geometry, depth, width)   # validates
    kappa = _rate(kappa, "kappa", positive=True)
    lo, hi = (_rate(b, "bounds", positive=True) for b in bounds)
    if not lo < hi:
        raise ValueError(f"bounds must be increasing, got {bounds!r}")

    def make(g):
        if geometry == "chain":
            return chain(depth, g, kappa, F), str(depth)
        if geometry == "star":
            return star_of_chains(width, depth, g, kappa, F), f"a0_{depth}"
        return tree(width, depth, g, kappa, F), "r" + "0" * depth

    def neg(lg):
        nb, node = make(float(np.exp(lg)))
        return -float(nb.build().steady_state()["energies"][nb.index(node)])

    r = minimize_scalar(neg, bounds=(np.log(lo), np.log(hi)), method="bounded", options={"xatol": 1e-9})
    return float(np.exp(r.x)), float(-r.fun)


def _graded_log_energy(lg: np.ndarray, kappa: float, branching: int):
    """``ln(E_D / (4 |F|^2))`` and its gradient in ``ln gamma_d`` for :func:`graded_energy`."""
    g = np.exp(lg)
    D = len(g)
    Lam = np.full(D + 1, kappa)
    Lam[1:] += g                 # incoming link of node d (d >= 1)
    Lam[:D] += branching * g     # outgoing links of node d (d < D)
    val = -2 * np.log(Lam[0]) + np.sum(2 * np.log(2 * g) - 2 * np.log(Lam[1:]))
    dL = -2 / Lam
    grad = 2 + (branching * dL[:-1] + dL[1:]) * g
    return val, grad


def graded_energy(gamma: Sequence[float], kappa: float, F: complex = 0.01, omega: float = 1.0,
                  branching: int = 1) -> float:
    """Terminal steady energy of a one-way chain (or of a leaf of a tree) with a rate per link (or level).

    Node ``d`` of the path is damped by ``Lambda_d = kappa + gamma_d + b gamma_{d+1}`` (its incoming
    link, rate ``gamma_d``, and its ``b`` outgoing links, rate ``gamma_{d+1}``; ``gamma_0 = 0``,
    ``gamma_{D+1} = 0``), and ``E_D = omega 4|F|^2/Lambda_0^2 prod_{d=1}^D (2 gamma_d/Lambda_d)^2``.
    ``branching = 1`` is a chain with one rate per link; ``b > 1`` a complete tree whose links into
    level ``d`` all have the rate ``gamma_d`` (every leaf then holds this energy).

    Parameters
    ----------
    gamma : sequence of float
        The ``D`` link rates (> 0), from the charger outwards.
    kappa : float
        Local loss of every mode (> 0).
    F : complex
        Drive on the charger (root).
    omega : float
        Energy per quantum.
    branching : int
        Children per node (1 for a chain).

    Returns
    -------
    float

    References
    ----------
    Liu et al., Eq. (4) (equal rates); generalised here.
    """
    g = _finite_array(gamma, "gamma", dtype=float)
    if g.ndim != 1 or len(g) < 1 or np.any(g <= 0):
        raise ValueError(f"gamma must be a non-empty 1-D array of rates > 0, got {gamma!r}")
    kappa = _rate(kappa, "kappa", positive=True)
    F, omega = _complex(F, "F"), _rate(omega, "omega")
    b = _int(branching, "branching")
    val, _ = _graded_log_energy(np.log(g), kappa, b)
    return float(omega * 4 * abs(F) ** 2 * np.exp(val))


def semi_infinite_rates(D: int, kappa: float) -> np.ndarray:
    """The stationary rate profile of a semi-infinite one-way chain, ``gamma_d = kappa d (d + 2)``.

    It solves the optimality conditions of :func:`graded_energy` (``branching = 1``),
    ``1/gamma_d = 1/Lambda_{d-1} + 1/Lambda_d`` for every ``d >= 1``, with ``Lambda_0 = 4 kappa`` and
    ``Lambda_d = 2 kappa (d + 1)(d + 2)``; each link then passes the energy factor
    ``(d/(d + 1))^2``.  :func:`optimal_rates` starts from it mirrored about the middle of the chain.

    Parameters
    ----------
    D : int
        Number of rates returned (>= 1).
    kappa : float
        Local loss (> 0).

    Returns
    -------
    ndarray, shape (D,)
    """
    D = _int(D, "D")
    kappa = _rate(kappa, "kappa", positive=True)
    d = np.arange(1, D + 1, dtype=float)
    return kappa * d * (d + 2)


def optimal_rates(D: int, kappa: float, *, branching: int = 1, F: complex = 0.01,
                  omega: float = 1.0) -> dict:
    """Maximise :func:`graded_energy` over all ``D`` link (or level) rates.

    L-BFGS-B on ``ln gamma_d`` with the exact gradient, from the mirrored semi-infinite profile
    (:func:`semi_infinite_rates`) and from the common-rate optimum (:func:`optimal_gamma`); the
    better result is returned with the largest relative stationarity residual
    ``|d ln E / d ln gamma_d|``.

    Parameters
    ----------
    D : int
        Depth (number of links on the path, >= 1).
    kappa : float
        Local loss (> 0).
    branching : int
        1 for a chain, ``b`` for a complete tree with one rate per level.
    F : complex
        Drive.
    omega : float
        Energy per quantum.

    Returns
    -------
    dict
        ``gamma`` (the D rates), ``E`` (terminal energy), ``E_equal`` (the common-rate optimum),
        ``gain`` (``E / E_equal``), ``residual`` (max gradient component of ``ln E``).

    References
    ----------
    Liu et al., Eq. (10) (the equal-rate optimum it beats).
    """
    D = _int(D, "D")
    kappa = _rate(kappa, "kappa", positive=True)
    b = _int(branching, "branching")
    F, omega = _complex(F, "F"), _rate(omega, "omega")
    c = [b] + [b + 1] * (D - 1) + [1]
    g_eq = optimal_gamma(c, kappa)
    E_eq = path_energy(c, g_eq, kappa, F, omega)
    m = np.minimum(np.arange(1, D + 1), np.arange(D, 0, -1))
    starts = [np.log(kappa * m * (m + 2) / b), np.full(D, np.log(g_eq))]
    best = None
    for x0 in starts:
        r = minimize(lambda x: tuple(-v for v in _graded_log_energy(x, kappa, b)), x0, jac=True,
                     method="L-BFGS-B", options={"maxiter": 50000, "ftol": 1e-16, "gtol": 1e-11})
        if best is None or r.fun < best.fun:
            best = r
    g = np.exp(best.x)
    val, grad = _graded_log_energy(best.x, kappa, b)
    E = float(omega * 4 * abs(F) ** 2 * np.exp(val))
    return {"gamma": g, "E": E, "E_equal": E_eq, "gain": E / E_eq, "residual": float(np.max(np.abs(grad)))}


def _ring_checked(n, gamma, kappa, F, flux):
    n = _int(n, "n", 2)
    gamma, kappa = _check(gamma, kappa)
    F, flux = _complex(F, "F"), _real(flux, "flux")
    Lam = 2 * gamma + kappa
    # drift eigenvalues -Lambda/2 - gamma e^{-i (flux + 2 pi k)/n}: the slowest decays at
    # kappa/2 + gamma (1 + min_k cos((flux + 2 pi k)/n)), zero for a marginal (lossless, resonant) ring
    theta = (flux + 2 * np.pi * np.arange(n)) / n
    slowest = kappa / 2 + gamma * (1 + np.min(np.cos(theta)))
    if not slowest > 1e-12 * max(Lam, np.finfo(float).tiny):
        raise ValueError(f"the ring (n = {n}, gamma = {gamma!r}, kappa = {kappa!r}, flux = {flux!r}) has an "
                         "undamped mode and no steady state: add local loss (kappa > 0) or change the flux")
    return n, gamma, kappa, F, flux, Lam


def ring_amplitudes(n: int, gamma: float, kappa: float, F: complex = 0.01, flux: float = 0.0) -> np.ndarray:
    """Exact steady amplitudes of :func:`ring`: ``alpha_m = alpha_0 (-x e^{-i flux/n})^m``.

    With ``Lambda = 2 gamma + kappa``, ``x = 2 gamma / Lambda`` and ``r = (-x e^{-i flux/n})^n``,
    ``alpha_0 = -2 i F / (Lambda (1 - r))``.  Resonance (``r = x^n > 0``) needs
    ``flux = n pi (mod 2 pi)``.  The exact relation to the open chain is :func:`ring_over_chain`.

    Parameters
    ----------
    n : int
        Number of modes (>= 2).
    gamma, kappa : float
        Link rate and local loss (>= 0).
    F : complex
        Drive on mode 0.
    flux : float
        Total phase around the ring.

    Returns
    -------
    ndarray, shape (n,), complex

    Raises
    ------
    ValueError
        For a marginal ring (``kappa = 0`` at resonance): it has an undamped mode and no steady state.

    References
    ----------
    Metelmann and Clerk, PRX 5, 021025 (2015); Liu et al., Eq. (4) (the open chain).
    """
    n, gamma, kappa, F, flux, Lam = _ring_checked(n, gamma, kappa, F, flux)
    step = -2 * gamma / Lam * np.exp(-1j * flux / n)
    r = step**n
    a0 = -2j * F / (Lam * (1 - r))
    return a0 * step ** np.arange(n)


def ring_over_chain(n: int, gamma: float, kappa: float, flux: float = 0.0) -> np.ndarray:
    """Exact ratio of the ring's amplitudes to those of the open chain :func:`chain` ``(n - 1, gamma, kappa)``.

    The ring is not "the open chain times a round-trip factor": in the ring every node carries two
    links, so the charger and the last node are damped by ``kappa + 2 gamma`` instead of
    ``kappa + gamma``.  With ``q = (kappa + gamma)/(kappa + 2 gamma)``,
    ``alpha_m^ring / alpha_m^chain = q e^{-i flux m/n} / (1 - r)`` for ``m < n - 1`` and
    ``q^2 e^{-i flux (n-1)/n} / (1 - r)`` at the last node.

    Parameters
    ----------
    n : int
        Number of modes (>= 2).
    gamma : float
        Link rate (> 0).
    kappa : float
        Local loss (>= 0).
    flux : float
        Total phase around the ring.

    Returns
    -------
    ndarray, shape (n,), complex

    References
    ----------
    Liu et al., Eq. (4) (the open chain); :func:`ring_amplitudes`.
    """
    n, gamma, kappa, _, flux, Lam = _ring_checked(n, gamma, kappa, 1.0, flux)
    if gamma == 0:
        raise ValueError("gamma must be > 0: without links the chain's far nodes are empty")
    r = (-2 * gamma / Lam * np.exp(-1j * flux / n)) ** n
    q = (kappa + gamma) / Lam
    out = q * np.exp(-1j * flux * np.arange(n) / n) / (1 - r)
    out[-1] *= q
    return out


def fit_decay(d: Sequence[float], E: Sequence[float]) -> tuple[float, float]:
    """Least-squares fit ``ln E = ln E_0 + d ln q``: returns ``(q, E_0)`` (factor per link, intercept).

    Parameters
    ----------
    d, E : sequences of equal length >= 2
        Distances and energies (> 0).

    Returns
    -------
    (q, E_0)
    """
    d = _finite_array(d, "d", dtype=float)
    E = _finite_array(E, "E", dtype=float)
    if d.ndim != 1 or d.shape != E.shape or len(d) < 2 or np.any(E <= 0):
        raise ValueError("d and E must be 1-D, of the same length >= 2, and E > 0")
    slope, icpt = np.polyfit(d, np.log(E), 1)
    return float(np.exp(slope)), float(np.exp(icpt))


def energy_flow(net: LinearNetwork) -> dict:
    """Where the injected power goes in the steady state (coherent part; exact at zero temperature).

    Parameters
    ----------
    net : LinearNetwork
        A stable network.

    Returns
    -------
    dict
        ``P_in`` (power injected by the drive, ``sum_j omega_j 2 Im(conj(alpha_j) F_j)``), ``local``
        (per-mode local loss ``omega_j kappa_j |alpha_j|^2``), ``shared`` (per shared reservoir
        ``omega gamma_k |c_k . alpha|^2``, with the mean ``omega``), ``energies`` (per mode).
        Energy balance: ``P_in = sum(local) + sum(shared)``.

    References
    ----------
    Ahmadi et al., Eq. (3) (energy balance of the occupations).
    """
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    ss = net.steady_state()
    a = ss["amplitudes"]
    om = net.omega
    ch = net.channels
    n = net.n_modes
    local = np.array([ch[j][0] * abs(a[j]) ** 2 * om[j] for j in range(n)])
    shared = np.array([rate * abs(np.dot(c, a)) ** 2 for rate, c, _, _ in ch[n:]]) * float(np.mean(om))
    P_in = float(np.sum(om * 2 * np.imag(np.conj(a) * net.drive)))
    return {"P_in": P_in, "local": local, "shared": shared, "energies": ss["energies"]}
