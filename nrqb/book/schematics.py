"""Schematics drawn from the model: :func:`draw_network` draws any linear network.

The picture is read off the model, never typed by hand, so it cannot disagree with the physics:

* every mode is a labelled node (charger, battery, lossy auxiliary mode and bad cavity are told
  apart by colour, outline and shape, see :data:`ROLES`);
* every coherent hop (an off-diagonal entry of ``h``) is a line with two arrowheads, unless the
  drift makes the link one-way: then it is a single bold arrow in the direction of transport.
  A link ``i -> j`` is one-way when the backward drift entry vanishes,
  ``|A[i, j]| <= tol |A[j, i]|`` (:func:`link_directions`).  With ``eliminate=[...]`` the test
  uses the drift of the kept modes after eliminating lossy intermediate modes
  (:meth:`~nrqb.engine.LinearNetwork.eliminated_drift`), which is where the one-way link of an
  Aharonov-Bohm triangle or a bad cavity lives;
* every shared reservoir (a jump operator on two or more modes) is a small green box joined by
  dashed lines to the modes in its jump operator;
* every local loss is a short outward arrow labelled with its rate, every drive an incoming arrow.

Node circles, arrowheads, boxes and labels are sized in points and anchored at data positions;
arrows are clipped at the node outlines at draw time, so no arrowhead hides under a node at any
figure size or dpi.  Labels are placed where they overlap no node, arrow or other label (checked
with the Agg renderer), and the axes limits are set from the extents of every artist drawn.

Example
-------
Ahmadi et al.'s Fig. 1: charger ``a`` and battery ``b`` with a coherent hop ``J``, one shared
reservoir ``Gamma D[a + b]`` and local losses; at ``J = i Gamma/2`` the drift has no backflow, so
the hop is drawn as the one-way arrow ``a -> b``:

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from nrqb import NetworkBuilder
>>> from nrqb.book.schematics import draw_network
>>> Gamma = 0.04
>>> nb = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003).drive("a", 0.1)
...       .hop("a", "b", 0.5j * Gamma).shared_bath(Gamma, {"a": 1, "b": 1}))
>>> s = draw_network(nb, roles={"a": "charger", "b": "battery"},
...                  coupling_labels={("a", "b"): "$J$"}, bath_labels=[r"$\\Gamma$"],
...                  drive_labels={"a": r"$\\mathcal{E},\\ \\omega_L$"})
>>> [(e.source, e.target, e.kind) for e in s.edges]
[('a', 'b', 'one-way')]

For a ``LinearNetwork`` pass the mode names: ``draw_network(net, names=["a", "b"], ...)``.

Notes for chapters
------------------
* Without ``ax`` a figure sized to the network is made (closest modes 64 pt apart, at most 6.3 in
  wide) and trimmed to the drawing: ``s.ax.figure``.  In a figure with several panels give each
  schematic room: :func:`network_figsize` returns the size that ``draw_network`` would choose, to
  set ``figsize`` or ``width_ratios``.  A warning says when an axes is too small for the network.
* Pass ``eliminate=[...]`` for networks whose one-way link only appears after eliminating lossy
  intermediate modes (Zhao's ``a_k``, Lin's ``c``, an explicit reservoir mode); otherwise the
  full drift decides and an Aharonov-Bohm triangle is drawn with double arrows only.
* ``roles`` accepts glob patterns (``{"b*": "battery", "a*": "auxiliary"}``); the layouts
  ``"chain"``, ``"star"``, ``"ring"`` and ``"grid"`` put auxiliary modes and cavities beside the
  link they bridge, so triangles come out as triangles.
* Use :func:`link_directions` to state in the text which links are one-way (it is what the
  drawing shows).  The gallery ``python tools/schematics_gallery.py OUTDIR`` draws the Fig. 1
  schematics of all four papers.
"""

from __future__ import annotations

import fnmatch
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork

__all__ = ["draw_network", "network_figsize", "link_directions", "Link", "EdgeArtist", "BathArtist", "NetworkSchematic",
           "ROLES", "LAYOUTS"]

#: node styles by role: face colour, edge colour, line style, shape (Okabe-Ito tints)
ROLES: dict[str, dict[str, Any]] = {
    "charger": dict(fc="#F7D58B", ec="#000000", ls="-", lw=1.8, shape="circle"),
    "battery": dict(fc="#BFDCF0", ec="#000000", ls="-", lw=1.2, shape="circle"),
    "auxiliary": dict(fc="#F5CDB6", ec="#7A3500", ls="--", lw=1.2, shape="circle"),
    "cavity": dict(fc="#F5CDB6", ec="#7A3500", ls="-", lw=1.4, shape="square"),
    "mode": dict(fc="#E8E8E8", ec="#000000", ls="-", lw=1.2, shape="circle"),
}
#: layouts by name (a dict of positions or a callable ``G -> pos`` is accepted too)
LAYOUTS = ("chain", "star", "ring", "grid", "spring", "shell", "circular", "kamada_kawai")

_ONE_WAY = dict(color="#D55E00", lw=2.0)
_RECIPROCAL = dict(color="#4D4D4D", lw=1.2)
_BATH = dict(fc="#D5EFE6", ec="#009E73", line="#009E73")
_LOSS = dict(color="#4D4D4D", lw=1.2)
_DRIVE = dict(color="#B07800", lw=1.6)
_GAP = 2.0  # points between a node outline and an arrow tip
_MAX_UNIT = 110.0  # largest distance (points) between the two closest nodes
_SATELLITES = ("auxiliary", "cavity")
_AUTO_UNIT = 64.0  # distance (points) of the two closest nodes in a figure made by draw_network
_BOOK_WIDTH = 6.3  # inches


# --------------------------------------------------------------------------------------------
# physics: what the model says
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """A coupling between two modes read off the drift matrix.

    Attributes
    ----------
    source, target : str
        Mode names; for a one-way link energy flows ``source -> target``.  For a reciprocal link
        they are in index order.
    kind : {"one-way", "reciprocal"}
    forward, backward : float
        ``|A[target, source]|`` and ``|A[source, target]|`` (the effective drift if ``effective``).
    effective : bool
        Read from the drift after eliminating modes (``eliminate``), not from the full drift.
    """

    source: str
    target: str
    kind: str
    forward: float
    backward: float
    effective: bool = False


@dataclass(frozen=True)
class _Model:
    names: tuple[str, ...]
    net: LinearNetwork
    h: np.ndarray
    loss: np.ndarray
    baths: tuple[tuple[float, dict[str, complex]], ...]
    drive: np.ndarray


def _model(model: Any, names: Any) -> _Model:
    if isinstance(model, NetworkBuilder):
        if names is not None:
            raise ValueError("names: give names only with a LinearNetwork (a NetworkBuilder knows its modes)")
        names = model.names
        if not names:
            raise ValueError("model: the NetworkBuilder has no modes")
        net = model.build()
    elif isinstance(model, LinearNetwork):
        net = model
        if names is None:
            names = [str(i) for i in range(net.n_modes)]
        if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
            raise ValueError(f"names must be a sequence of {net.n_modes} strings, got {names!r}")
        names = list(names)
        if len(names) != net.n_modes:
            raise ValueError(f"names must have {net.n_modes} entries (one per mode), got {len(names)}")
        if not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"names must be non-empty strings, got {names!r}")
        if len(set(names)) != len(names):
            raise ValueError(f"names must be distinct, got {names!r}")
    else:
        raise ValueError(f"model must be a NetworkBuilder or a LinearNetwork, got {type(model).__name__}")
    n = net.n_modes
    loss = np.zeros(n)
    baths = []
    for rate, c, *_ in net.channels:
        cmax = float(np.max(np.abs(c))) if c.size else 0.0
        if rate <= 0 or cmax == 0:
            continue
        nz = np.flatnonzero(np.abs(c) > 1e-14 * cmax)
        if nz.size == 1:
            loss[nz[0]] += rate * abs(c[nz[0]]) ** 2
        else:
            baths.append((float(rate), {names[j]: complex(c[j]) for j in nz}))
    return _Model(tuple(names), net, net.hamiltonian, loss, tuple(baths), net.drive)


def _check_tol(tol: Any) -> float:
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)):
        raise ValueError(f"tol must be a real number in [0, 1), got {tol!r}")
    tol = float(tol)
    if not (math.isfinite(tol) and 0 <= tol < 1):
        raise ValueError(f"tol must be a real number in [0, 1), got {tol!r}")
    return tol


def _names_list(value: Any, known: Sequence[str], param: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    try:
        out = list(value)
    except TypeError as exc:
        raise ValueError(f"{param} must be a sequence of mode names, got {value!r}") from exc
    for v in out:
        if not isinstance(v, str) or v not in known:
            raise ValueError(f"{param}: unknown mode {v!r}; known: {list(known)}")
    return out


def _classify(A: np.ndarray, idx: Sequence[int], names: Sequence[str], tol: float, effective: bool,
              skip: Callable[[int, int], bool] = lambda i, j: False) -> list[Link]:
    scale = float(np.max(np.abs(A))) if A.size else 0.0
    floor = 1e-12 * max(scale, 1e-300)
    links = []
    m = len(idx)
    for p in range(m):
        for q in range(p + 1, m):
            i, j = idx[p], idx[q]
            if skip(i, j):
                continue
            a_pq, a_qp = abs(A[p, q]), abs(A[q, p])  # a_pq: influence of q on p
            if max(a_pq, a_qp) <= floor:
                continue
            if a_pq <= tol * a_qp:  # no backflow q -> p: one-way p -> q
                links.append(Link(names[i], names[j], "one-way", a_qp, a_pq, effective))
            elif a_qp <= tol * a_pq:
                links.append(Link(names[j], names[i], "one-way", a_pq, a_qp, effective))
            else:
                links.append(Link(names[i], names[j], "reciprocal", a_qp, a_pq, effective))
    return links


def _links(m: _Model, eliminate: Sequence[str], tol: float) -> list[Link]:
    n = len(m.names)
    A = m.net.drift
    gone = {m.names.index(e) for e in eliminate}
    kept = [i for i in range(n) if i not in gone]
    if not gone:
        return _classify(A, list(range(n)), m.names, tol, False)
    if not kept:
        raise ValueError("eliminate: at least one mode must be kept")
    try:
        Aeff = m.net.eliminated_drift(kept)
    except ValueError as exc:
        raise ValueError(f"eliminate: {exc}") from exc
    out = _classify(A, list(range(n)), m.names, tol, False, skip=lambda i, j: i not in gone and j not in gone)
    out += _classify(Aeff, kept, m.names, tol, True)
    order = {name: k for k, name in enumerate(m.names)}
    return sorted(out, key=lambda l: tuple(sorted((order[l.source], order[l.target]))))


def link_directions(model: Any, *, names: Sequence[str] | None = None, eliminate: Sequence[str] = (),
                    tol: float = 1e-8) -> list[Link]:
    """Every coupling of the network, classified as one-way or reciprocal from the drift matrix.

    The first moments obey ``d<a>/dt = A <a> - i F`` (:attr:`LinearNetwork.drift`), so ``A[j, i]``
    carries amplitude from mode ``i`` to mode ``j``.  A pair is one-way ``i -> j`` when the backward
    entry vanishes, ``|A[i, j]| <= tol |A[j, i]|``; it is listed at all when either entry exceeds
    ``1e-12 max|A|``.  Pairs coupled only through a shared reservoir are reciprocal
    (``|K_ij| = |K_ji|`` for the Hermitian damping matrix ``K``).

    Parameters
    ----------
    model : NetworkBuilder or LinearNetwork
        The network.
    names : sequence of str, optional
        Mode names of a ``LinearNetwork`` (default ``"0", "1", ...``); not allowed with a builder.
    eliminate : sequence of str
        Modes (e.g. lossy intermediate modes or a bad cavity) eliminated at zero frequency before
        the pairs among the remaining modes are classified (Schur complement,
        :meth:`~nrqb.engine.LinearNetwork.eliminated_drift`); pairs that involve an eliminated mode
        are classified from the full drift.
    tol : float
        Relative threshold of the one-way test, in ``[0, 1)``.

    Returns
    -------
    list of Link
        In index order of the pairs.

    Raises
    ------
    ValueError
        Wrong model type, bad names, unknown modes in ``eliminate``, bad ``tol``.

    References
    ----------
    Ahmadi et al., Eq. (2) and the condition ``J = -i mu Gamma/2``; Zhao et al., Fig. 1(a) and the
    condition ``theta = -pi/2``; Lin et al., Eq. (2) and ``J_- = i (Gamma/2) e^{-i phi}``;
    Liu et al., Eqs. (1)-(2) with ``J_i = Gamma_i/2``.
    """
    m = _model(model, names)
    return _links(m, _names_list(eliminate, m.names, "eliminate"), _check_tol(tol))


# --------------------------------------------------------------------------------------------
# what was drawn
# --------------------------------------------------------------------------------------------
@dataclass
class EdgeArtist:
    """A drawn link: ``kind`` is ``"one-way"`` (head at ``target``) or ``"reciprocal"``."""

    source: str
    target: str
    kind: str
    patch: Any
    label: Any = None
    hop: bool = True


@dataclass
class BathArtist:
    """A drawn shared reservoir: the box, its label and one dashed connector per mode."""

    modes: tuple[str, ...]
    patch: Any
    text: Any
    connectors: list[Any]


@dataclass
class NetworkSchematic:
    """Everything :func:`draw_network` drew, for adjustment and tests.

    Attributes
    ----------
    ax : matplotlib Axes
    pos : dict
        Node positions (data coordinates).
    links : list of Link
        The physics (:func:`link_directions`).
    nodes, node_labels : dict
        Node patch and label text per mode.
    edges : list of EdgeArtist
    baths : list of BathArtist
    losses, drives : dict
        ``name -> (arrow, text or None)``.
    texts : list
        Every free label (couplings, losses, drives, detunings, notes), not the node labels or the
        reservoir labels inside their boxes.
    radius : float
        Node radius in points.
    """

    ax: Any
    pos: dict[str, tuple[float, float]]
    links: list[Link]
    nodes: dict[str, Any] = field(default_factory=dict)
    node_labels: dict[str, Any] = field(default_factory=dict)
    edges: list[EdgeArtist] = field(default_factory=list)
    baths: list[BathArtist] = field(default_factory=list)
    losses: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    drives: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    texts: list[Any] = field(default_factory=list)
    radius: float = 11.0

    @property
    def artists(self) -> list[Any]:
        """Every artist drawn."""
        out = list(self.nodes.values()) + list(self.node_labels.values())
        out += [e.patch for e in self.edges]
        for b in self.baths:
            out += [b.patch, b.text, *b.connectors]
        out += [a for a, _ in self.losses.values()] + [a for a, _ in self.drives.values()]
        out += list(self.texts)
        return out


# --------------------------------------------------------------------------------------------
# labels and options
# --------------------------------------------------------------------------------------------
_NAME = re.compile(r"^([A-Za-z]+)_?(\d+(?:_\d+)*)$")
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu",
          "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta",
          "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega"}


def _math_core(name: str) -> str:
    """Mathtext body for a mode name: ``b1 -> b_{1}``, ``a0_2 -> a_{0,2}``, ``c -> c``."""
    m = _NAME.match(name)
    if m:
        letters, digits = m.groups()
        letters = "\\" + letters if letters in _GREEK else letters
        return f"{letters}_{{{digits.replace('_', ',')}}}"
    if re.fullmatch(r"[A-Za-z]", name):
        return name
    if name in _GREEK:
        return "\\" + name
    return ""


def _default_label(name: str) -> str:
    core = _math_core(name)
    return f"${core}$" if core else name


def _sub(name: str, label: str) -> str:
    """Subscript body (one level, so it stays readable): ``b1 -> b1``, ``m0_1 -> m0,1``; a mode
    whose label is mathtext without subscripts uses the label (``$\\alpha$ -> \\alpha``)."""
    if label.startswith("$") and label.endswith("$") and label.count("$") == 2 and "_" not in label \
            and "^" not in label:
        return label[1:-1]
    m = _NAME.match(name)
    if m:
        letters, digits = m.groups()
        letters = "\\" + letters if letters in _GREEK else letters
        return letters + digits.replace("_", ",")
    if label.startswith("$") and label.endswith("$") and label.count("$") == 2:
        return label[1:-1]
    return "\\mathrm{" + re.sub(r"([ _#%&{}$\\])", r"\\\1", label) + "}"


def _label_option(value: Any, keys: Sequence[str], default: Callable[[str], str | None], param: str
                  ) -> dict[str, str]:
    """``True`` -> defaults, ``False``/``None`` -> none, ``dict`` -> given labels (keys checked)."""
    if value is True:
        return {k: v for k in keys if (v := default(k)) is not None}
    if value is False or value is None:
        return {}
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if k not in keys:
                raise ValueError(f"{param}: unknown mode {k!r}; allowed: {list(keys)}")
            if not isinstance(v, str):
                raise ValueError(f"{param}[{k!r}] must be a string, got {v!r}")
            out[k] = v
        return out
    raise ValueError(f"{param} must be True, False, 'values' or a dict of mode name -> label, got {value!r}")


def _fmt_number(x: float) -> str:
    return f"{x:.2g}".replace("e-0", "e-").replace("e+0", "e")


def _fmt_complex(z: complex) -> str:
    r, ph = abs(z), float(np.angle(z))
    if r == 0:
        return "$0$"
    if abs(ph) < 1e-9:
        return f"${_fmt_number(r)}$"
    if abs(abs(ph) - np.pi) < 1e-9:
        return f"$-{_fmt_number(r)}$"
    frac = ph / np.pi
    for den in (1, 2, 3, 4, 6, 8, 12):
        num = round(frac * den)
        if abs(frac * den - num) < 1e-9:
            sign = "-" if num < 0 else ""
            num = abs(num)
            top = "\\pi" if num == 1 else f"{num}\\pi"
            ang = top if den == 1 else f"{top}/{den}"
            return f"${_fmt_number(r)}\\,e^{{{sign}i{ang}}}$"
    return f"${_fmt_number(r)}\\,e^{{{ph:.2f}i}}$"


# --------------------------------------------------------------------------------------------
# layout
# --------------------------------------------------------------------------------------------
def _graph(m: _Model):
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(m.names)
    n = len(m.names)
    for i in range(n):
        for j in range(i + 1, n):
            if abs(m.h[i, j]) > 0:
                G.add_edge(m.names[i], m.names[j])
    for _, coeffs in m.baths:
        ks = list(coeffs)
        for p in range(len(ks)):
            for q in range(p + 1, len(ks)):
                G.add_edge(ks[p], ks[q])
    return G


def _satellite_positions(sats: Sequence[str], G, pos: dict, side: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    """Place each satellite (auxiliary mode) at the midpoint of its two placed neighbours, offset sideways."""
    rest = []
    seen: dict[frozenset, int] = {}
    for s in sats:
        nbrs = [v for v in G.neighbors(s) if v in pos]
        if len(nbrs) >= 2:
            p, q = np.asarray(pos[nbrs[0]], float), np.asarray(pos[nbrs[1]], float)
            d = q - p
            L = float(np.hypot(*d)) or 1.0
            nrm = np.array([-d[1], d[0]]) / L
            mid = (p + q) / 2
            nrm = side(mid, nrm)
            k = seen.get(frozenset(nbrs[:2]), 0)  # further satellites of the same pair: other side, further out
            seen[frozenset(nbrs[:2])] = k + 1
            pos[s] = tuple(mid + (-1) ** k * (1 + k // 2) * 0.55 * min(L, 1.6) * nrm)
        elif len(nbrs) == 1:
            p = np.asarray(pos[nbrs[0]], float)
            pos[s] = tuple(side(p, np.array([0.0, 1.0])) * 0.8 + p)
        else:
            rest.append(s)
    if rest:
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        for k, s in enumerate(rest):
            pos[s] = (max(xs) + 1.0 + k, min(ys) - 1.0)
    return pos


def _layout(m: _Model, roles: dict[str, str], layout: Any, given: dict, grid_shape: Any) -> dict:
    import networkx as nx

    G = _graph(m)
    names = list(m.names)
    if isinstance(layout, Mapping):
        base = _check_pos(layout, names, "layout", require_all=True)
        base.update(given)
        return base
    if callable(layout):
        try:
            base = layout(G)
        except Exception as exc:  # noqa: BLE001 - report any failure of a user layout as bad input
            raise ValueError(f"layout: the callable failed on the network graph: {exc}") from exc
        base = _check_pos(base, names, "layout", require_all=True)
        base.update(given)
        return base
    if not isinstance(layout, str) or layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, a dict of positions or a callable, got {layout!r}")
    sats = [k for k in names if roles[k] in _SATELLITES and G.degree(k) > 0]
    prim = [k for k in names if k not in sats]
    if not prim:
        prim, sats = names, []
    driven = [k for k in prim if abs(m.drive[names.index(k)]) > 0]
    pos: dict[str, tuple[float, float]] = {}
    if layout == "chain":
        for k, name in enumerate(prim):
            pos[name] = (float(k), 0.0)
        pos = _satellite_positions(sats, G, pos, lambda mid, nrm: nrm if nrm[1] >= 0 else -nrm)
    elif layout == "star":
        hub = driven[0] if driven else max(prim, key=lambda k: (G.degree(k), -prim.index(k)))
        leaves = [k for k in prim if k != hub]
        pos[hub] = (0.0, 0.0)
        nl = len(leaves)
        if nl:
            chord = 2.0 if sats else 1.0
            if nl == 1:
                angles, R = [0.0], 1.5
            else:
                span = np.radians(min(150.0, max(120.0, 25.0 * (nl - 1)))) if nl <= 7 else 2 * np.pi * (nl - 1) / nl
                step = span / (nl - 1)
                R = max(1.5, chord / (2 * np.sin(step / 2)))
                angles = [span / 2 - k * step for k in range(nl)]
            for a, name in zip(angles, leaves):
                pos[name] = (R * np.cos(a), R * np.sin(a))
        pos = _satellite_positions(sats, G, pos,
                                   lambda mid, nrm: nrm if nrm[0] * mid[1] - nrm[1] * mid[0] <= 0 else -nrm)
    elif layout == "ring":
        n = len(prim)
        R = 0.5 / np.sin(np.pi / n) if n > 2 else 0.5
        if sats:
            R *= 1.6
        for k, name in enumerate(prim):
            a = np.pi / 2 - 2 * np.pi * k / n
            pos[name] = (R * np.cos(a), R * np.sin(a))
        pos = _satellite_positions(sats, G, pos, lambda mid, nrm: nrm if nrm @ mid >= 0 else -nrm)
    elif layout == "grid":
        n = len(prim)
        if grid_shape is None:
            ncol = int(math.ceil(math.sqrt(n)))
        else:
            try:
                nrow, ncol = (int(v) for v in grid_shape)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"grid_shape must be (rows, columns), got {grid_shape!r}") from exc
            if nrow < 1 or ncol < 1 or nrow * ncol < n:
                raise ValueError(f"grid_shape must hold {n} modes, got {grid_shape!r}")
        sp = 1.6 if sats else 1.0
        for k, name in enumerate(prim):
            pos[name] = (sp * (k % ncol), -sp * (k // ncol))
        pos = _satellite_positions(sats, G, pos,
                                   lambda mid, nrm: nrm if (nrm[1] > 0 or (nrm[1] == 0 and nrm[0] > 0)) else -nrm)
    else:
        if layout == "spring":
            raw = nx.spring_layout(G, seed=1)
        elif layout == "shell":
            raw = nx.shell_layout(G)
        elif layout == "circular":
            raw = nx.circular_layout(G)
        else:
            raw = nx.kamada_kawai_layout(G) if len(names) > 1 else {names[0]: (0.0, 0.0)}
        pos = {k: (float(v[0]), float(v[1])) for k, v in raw.items()}
    pos.update(given)
    return pos


def _check_pos(pos: Any, names: Sequence[str], param: str, require_all: bool = False) -> dict:
    if pos is None:
        return {}
    if not isinstance(pos, Mapping):
        raise ValueError(f"{param} must be a dict of mode name -> (x, y), got {type(pos).__name__}")
    out = {}
    for k, v in pos.items():
        if k not in names:
            raise ValueError(f"{param}: unknown mode {k!r}; known: {list(names)}")
        try:
            xy = np.asarray(v, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{param}[{k!r}] must be a pair of finite numbers, got {v!r}") from exc
        if xy.shape != (2,) or not np.all(np.isfinite(xy)):
            raise ValueError(f"{param}[{k!r}] must be a pair of finite numbers, got {v!r}")
        out[k] = (float(xy[0]), float(xy[1]))
    if require_all and set(out) != set(names):
        raise ValueError(f"{param} must give a position for every mode; missing {sorted(set(names) - set(out))}")
    return out


def _normalise(pos: dict) -> dict:
    """Scale so that the two closest nodes are one unit apart (shapes are kept)."""
    P = np.array(list(pos.values()), float)
    if len(P) < 2:
        return {k: (0.0, 0.0) for k in pos}
    d = np.hypot(*(P[:, None, :] - P[None, :, :]).transpose(2, 0, 1))
    d[np.diag_indices(len(P))] = np.inf
    dmin = float(d.min())
    if dmin <= 1e-9:
        raise ValueError("pos: two modes share a position")
    c = P.mean(axis=0)
    return {k: tuple((np.asarray(v) - c) / dmin) for k, v in pos.items()}


# --------------------------------------------------------------------------------------------
# geometry in display coordinates
# --------------------------------------------------------------------------------------------
def _pt_transform(ax, xy, offset=(0.0, 0.0)):
    """Points relative to a data position (plus an offset in points) -> display."""
    from matplotlib.transforms import Affine2D, ScaledTranslation

    fig = ax.figure
    return (Affine2D().scale(1 / 72).translate(offset[0] / 72, offset[1] / 72) + fig.dpi_scale_trans
            + ScaledTranslation(float(xy[0]), float(xy[1]), ax.transData))


def _boundary(shape: str, r: float, u: np.ndarray) -> float:
    """Distance (points) from a node's centre to its outline along the unit vector ``u``."""
    if shape == "square":
        return r / max(abs(u[0]), abs(u[1]), 1e-12)
    return r


def _flat(path) -> list[np.ndarray]:
    return [np.asarray(p) for p in path.to_polygons(closed_only=False) if len(p) >= 2]


def _seg_rect(p, q, b) -> bool:
    """Does the segment p-q meet the rectangle b = (x0, y0, x1, y1)?"""
    x0, y0, x1, y1 = b
    # Liang-Barsky clipping
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pp, qq in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pp == 0:
            if qq < 0:
                return False
        else:
            t = qq / pp
            if pp < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def _poly_rect(poly: np.ndarray, b) -> bool:
    for k in range(len(poly) - 1):
        if _seg_rect(poly[k], poly[k + 1], b):
            return True
    return False


def _rect_circle(b, c, r) -> bool:
    x0, y0, x1, y1 = b
    nx_, ny_ = min(max(c[0], x0), x1), min(max(c[1], y0), y1)
    return (nx_ - c[0]) ** 2 + (ny_ - c[1]) ** 2 < r * r


def _rects_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _ext(artist, renderer):
    e = artist.get_window_extent(renderer)
    return (e.x0, e.y0, e.x1, e.y1)


class _Scene:
    """Obstacles in display coordinates, recomputed from the live artists on demand."""

    def __init__(self, ax, s: NetworkSchematic, shapes: dict[str, str]):
        self.ax, self.s, self.shapes = ax, s, shapes

    def renderer(self):
        return self.ax.figure.canvas.get_renderer()

    def node_circles(self):
        k = self.ax.figure.dpi / 72
        out = []
        for name, (x, y) in self.s.pos.items():
            c = self.ax.transData.transform((x, y))
            rr = self.s.radius * (math.sqrt(2) if self.shapes[name] == "square" else 1.0)
            out.append((name, c, rr * k))
        return out

    def invalidate(self):
        self._paths = None

    def paths(self):
        if getattr(self, "_paths", None) is not None:
            return self._paths
        out = []
        for e in self.s.edges:
            out += [("edge", e.patch, p) for p in _flat(_display_path(e.patch))]
        for b in self.s.baths:
            for c in b.connectors:
                out += [("conn", c, p) for p in _flat(_display_path(c))]
        for a, _ in list(self.s.losses.values()) + list(self.s.drives.values()):
            out += [("deco", a, p) for p in _flat(_display_path(a))]
        self._paths = out
        return out

    def boxes(self, exclude=()):
        r = self.renderer()
        out = [("bath", b.patch, _ext(b.patch, r)) for b in self.s.baths]
        out += [("text", t, _ext(t, r)) for t in self.s.texts if t not in exclude and t.get_visible()]
        return out

    def hits(self, rect, *, exclude=(), pad=1.5, boxes=None) -> int:
        """Number of obstacles a rectangle (display) overlaps (``boxes``: precomputed :meth:`boxes`)."""
        b = (rect[0] - pad, rect[1] - pad, rect[2] + pad, rect[3] + pad)
        n = 0
        for _, c, r in self.node_circles():
            n += _rect_circle(b, c, r)
        for _, art, poly in self.paths():
            if art in exclude:
                continue
            n += _poly_rect(poly, b)
        for _, art, e in (self.boxes(exclude) if boxes is None else boxes):
            if art in exclude:
                continue
            n += _rects_overlap(b, e)
        return n


def _prime(patch, renderer) -> None:
    """Unclipped, and with the points-to-pixels factor that ``draw`` would set (needed to measure
    the arrow before the figure is drawn)."""
    patch.set_clip_on(False)
    patch._dpi_cor = renderer.points_to_pixels(1.0)


def _display_path(patch):
    """The drawn path of a FancyArrowPatch or ConnectionPatch in display coordinates."""
    from matplotlib.path import Path

    path, fillable = patch._get_path_in_displaycoord()
    if np.iterable(fillable):
        path = Path.make_compound_path(*path)
    return path


# --------------------------------------------------------------------------------------------
# the drawing
# --------------------------------------------------------------------------------------------
def _resolve_roles(roles: Any, m: _Model) -> dict[str, str]:
    names = m.names
    out = {k: ("charger" if abs(m.drive[i]) > 0 else "mode") for i, k in enumerate(names)}
    if roles is None:
        return out
    if not isinstance(roles, Mapping):
        raise ValueError(f"roles must be a dict of mode name (or glob pattern) -> role, got {roles!r}")
    for key, role in roles.items():
        if role not in ROLES:
            raise ValueError(f"roles[{key!r}] must be one of {list(ROLES)}, got {role!r}")
        if not isinstance(key, str):
            raise ValueError(f"roles: keys must be mode names or glob patterns, got {key!r}")
        pattern = any(c in key for c in "*?[")
        hits = [k for k in names if fnmatch.fnmatchcase(k, key)] if pattern else [k for k in names if k == key]
        if not hits and not pattern:  # a glob pattern may match nothing (generic code)
            raise ValueError(f"roles: unknown mode {key!r}; known: {list(names)}")
        for k in hits:
            out[k] = role
    return out


def _pair_labels(value: Any, m: _Model, param: str, links: Sequence[Link] = ()) -> dict[frozenset, str]:
    n = len(m.names)
    pairs = {frozenset((m.names[i], m.names[j])): (i, j) for i in range(n) for j in range(i + 1, n)
             if abs(m.h[i, j]) > 0}
    if value is True:  # the coefficient of a_i^dag a_j, i the source of a one-way link
        src = {frozenset((l.source, l.target)): l.source for l in links if l.kind == "one-way"}
        out = {}
        for p, (i, j) in pairs.items():
            if src.get(p) == m.names[j]:
                i, j = j, i
            out[p] = _fmt_complex(m.h[i, j])
        return out
    if value is False or value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{param} must be True, False or a dict (mode, mode) -> label, got {value!r}")
    out = {}
    for key, lab in value.items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise ValueError(f"{param}: keys must be pairs of mode names, got {key!r}")
        for k in key:
            if k not in m.names:
                raise ValueError(f"{param}: unknown mode {k!r}; known: {list(m.names)}")
        if frozenset(key) not in pairs:
            raise ValueError(f"{param}: no coherent hop between {key[0]!r} and {key[1]!r}")
        if not isinstance(lab, str):
            raise ValueError(f"{param}[{key!r}] must be a string, got {lab!r}")
        out[frozenset(key)] = lab
    return out


def _hop_pairs(m: _Model) -> set:
    n = len(m.names)
    return {frozenset((m.names[i], m.names[j])) for i in range(n) for j in range(i + 1, n) if abs(m.h[i, j]) > 0}


def _net_labels(value: Any, links: Sequence[Link], hops: set) -> dict | None:
    """``effective_links``: None (off) or {(source, target): text} of one-way links with a hop."""
    if value is False or value is None:
        return None
    if value is True:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"effective_links must be True, False or a dict (source, target) -> label, got {value!r}")
    one_way = {(l.source, l.target) for l in links if l.kind == "one-way" and frozenset((l.source, l.target)) in hops}
    for key, lab in value.items():
        if key not in one_way:
            raise ValueError(f"effective_links: {key!r} is not a one-way link with a hop; one-way links: {sorted(one_way)}")
        if not isinstance(lab, str):
            raise ValueError(f"effective_links[{key!r}] must be a string, got {lab!r}")
    return dict(value)


def _conn_labels(value: Any, baths: Sequence) -> list[dict]:
    """``bath_coupling_labels``: one dict {mode: text} per shared reservoir."""
    if value is False or value is None:
        return [{} for _ in baths]
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, (list, tuple)) or len(value) != len(baths):
        raise ValueError(f"bath_coupling_labels must be a dict or a list of {len(baths)} dicts (one per shared "
                         f"reservoir), got {value!r}")
    out = []
    for (_, coeffs), d in zip(baths, value):
        d = {} if d is None else d
        if not isinstance(d, Mapping):
            raise ValueError(f"bath_coupling_labels entries must be dicts mode -> label, got {d!r}")
        for k, lab in d.items():
            if k not in coeffs:
                raise ValueError(f"bath_coupling_labels: mode {k!r} is not in the reservoir's jump operator "
                                 f"{sorted(coeffs)}")
            if not isinstance(lab, str):
                raise ValueError(f"bath_coupling_labels[{k!r}] must be a string, got {lab!r}")
        out.append(dict(d))
    return out


def _bath_labels(value: Any, nb: int) -> list[str | None]:
    if value is True:
        return ["$\\Gamma$"] if nb == 1 else [f"$\\Gamma_{{{k + 1}}}$" for k in range(nb)]
    if value is False or value is None:
        return ["$\\approx$"] * nb
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"bath_labels must be True, False or a list of {nb} strings, got {value!r}")
    value = list(value)
    if len(value) != nb or not all(isinstance(v, str) for v in value):
        raise ValueError(f"bath_labels must be a list of {nb} strings (one per shared reservoir), got {value!r}")
    return value


def _angle_gap(a: float, occupied: Sequence[float]) -> float:
    if not occupied:
        return np.pi
    return min(abs((a - o + np.pi) % (2 * np.pi) - np.pi) for o in occupied)


def draw_network(
    model: Any,
    ax: Any = None,
    *,
    names: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
    layout: Any = "chain",
    pos: Mapping[str, Any] | None = None,
    grid_shape: Any = None,
    eliminate: Sequence[str] = (),
    tol: float = 1e-8,
    coupling_labels: Any = False,
    loss_labels: Any = True,
    drive_labels: Any = True,
    bath_labels: Any = True,
    detuning_labels: Any = False,
    notes: Mapping[str, str] | None = None,
    reciprocal_style: str = "double",
    effective_links: Any = False,
    bath_coupling_labels: Any = False,
    fontsize: float = 9.0,
    node_fontsize: float = 10.0,
    figsize: Any = None,
) -> NetworkSchematic:
    """Draw a linear network from its model: modes, hops, one-way links, reservoirs, losses, drives.

    Parameters
    ----------
    model : NetworkBuilder or LinearNetwork
        The network (a builder is built once to read its drift).
    ax : matplotlib Axes, optional
        Where to draw; default a new figure sized to the network (at most 6.3 in wide).  The axis
        is switched off, its aspect set equal and its limits set to enclose every artist drawn.
    names : sequence of str, optional
        Mode names of a ``LinearNetwork`` (default ``"0", "1", ...``).  Not allowed with a builder.
    labels : dict, optional
        ``name -> text`` inside each node (mathtext allowed).  Default from the name:
        ``"b1" -> "$b_{1}$"``, ``"c" -> "$c$"``.
    roles : dict, optional
        ``name`` (or glob pattern such as ``"b*"``) ``-> role``, a key of :data:`ROLES`:
        ``"charger"``, ``"battery"``, ``"auxiliary"`` (lossy intermediate mode, dashed),
        ``"cavity"`` (bad cavity, square) or ``"mode"``.  Default: driven modes are chargers, the
        others plain modes.
    layout : str, dict or callable
        ``"chain"`` (modes in order on a line), ``"star"`` (first driven mode at the centre, the
        others on an arc), ``"ring"``, ``"grid"`` (row by row), or a networkx layout
        ``"spring"``, ``"shell"``, ``"circular"``, ``"kamada_kawai"``; or a dict of positions, or
        a callable ``G -> pos`` on the networkx graph of the couplings.  In the first four,
        auxiliary modes and cavities are placed beside the link they bridge.
    pos : dict, optional
        ``name -> (x, y)``: positions that override the layout's.
    grid_shape : (rows, columns), optional
        Shape of the ``"grid"`` layout (default nearly square).
    eliminate : sequence of str
        Modes eliminated before the one-way test of the pairs among the others
        (:func:`link_directions`): pass the lossy intermediate modes of Zhao et al. or the bad
        cavity of Lin et al.  They are still drawn.  A one-way effective link without a direct
        hop is drawn as a dashed arc.
    tol : float
        One-way threshold ``|A_back| <= tol |A_forward|``.
    coupling_labels : bool or dict
        ``{(name1, name2): text}`` labels of hops; ``True`` prints the value of ``h``.
    loss_labels, drive_labels : bool, dict or "values"
        ``{name: text}``; ``True`` (default) gives ``kappa_x`` and ``F`` (``F_x`` for several
        drives); ``"values"`` prints the local loss rate and the drive amplitude of the model;
        ``False`` draws the arrows without labels.
    bath_labels : bool or list of str
        Text in each reservoir box, in the order of the jump operators; ``True``: ``Gamma``
        (``Gamma_k`` for several); ``False``: a wave sign.
    detuning_labels : bool or dict
        ``{name: text}``; ``True`` prints ``Delta = h_jj`` beside every detuned mode.
    notes : dict, optional
        ``{name: text}`` placed beside a node (e.g. ``"bad cavity"``).
    reciprocal_style : {"double", "line"}
        Reciprocal hops as double-headed arrows or plain lines.
    effective_links : bool or dict
        ``False`` (default): a hop is drawn one-way when the drift makes it one-way.  ``True`` or
        ``{(source, target): text}``: every coherent hop is drawn two-way (``h`` is Hermitian) and
        each one-way link of the drift that has a hop gets an extra dashed one-way arc, the net
        link left by the interference of the hop with the other path (e.g. a shared reservoir);
        the dict labels these arcs (keys: one-way links of the drift, ``source -> target``).
    bath_coupling_labels : dict or list of dict, optional
        Labels of the dashed lines joining a shared reservoir to its modes: ``{name: text}`` for
        the first reservoir, or a list with one dict (or None) per reservoir.
    fontsize, node_fontsize : float
        Label and node-label sizes in points (>= 8).
    figsize : (width, height), optional
        Size in inches of the new figure when ``ax`` is None.

    Returns
    -------
    NetworkSchematic
        The artists drawn and the links read from the model.

    Raises
    ------
    ValueError
        Wrong model type, unknown mode names in any option, bad layout, positions, labels, roles,
        ``tol`` or font sizes; the message names the parameter.

    References
    ----------
    Fig. 1 of Ahmadi et al., Zhao et al., Lin et al. and Liu et al.; the one-way conditions are
    those of :func:`link_directions`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

    m = _model(model, names)
    nm = list(m.names)
    tol = _check_tol(tol)
    for val, par in ((fontsize, "fontsize"), (node_fontsize, "node_fontsize")):
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not math.isfinite(val) or val < 8:
            raise ValueError(f"{par} must be a number >= 8 (points), got {val!r}")
    if reciprocal_style not in ("double", "line"):
        raise ValueError(f"reciprocal_style must be 'double' or 'line', got {reciprocal_style!r}")
    elim = _names_list(eliminate, nm, "eliminate")
    role = _resolve_roles(roles, m)
    if labels is None:
        labels = {}
    if not isinstance(labels, Mapping):
        raise ValueError(f"labels must be a dict of mode name -> text, got {labels!r}")
    for k, v in labels.items():
        if k not in nm:
            raise ValueError(f"labels: unknown mode {k!r}; known: {nm}")
        if not isinstance(v, str):
            raise ValueError(f"labels[{k!r}] must be a string, got {v!r}")
    node_text = {k: labels.get(k, _default_label(k)) for k in nm}
    idx = {k: i for i, k in enumerate(nm)}
    lossy = [k for k in nm if m.loss[idx[k]] > 0]
    driven = [k for k in nm if abs(m.drive[idx[k]]) > 0]
    detuned = [k for k in nm if abs(m.h[idx[k], idx[k]].real) > 0]
    if isinstance(loss_labels, str) and loss_labels == "values":
        loss_labels = {k: f"${_fmt_number(m.loss[idx[k]])}$" for k in lossy}
    if isinstance(drive_labels, str) and drive_labels == "values":
        drive_labels = {k: _fmt_complex(m.drive[idx[k]]) for k in driven}
    loss_txt = _label_option(loss_labels, lossy, lambda k: f"$\\kappa_{{{_sub(k, node_text[k])}}}$", "loss_labels")
    if len(driven) == 1:
        drive_default = lambda k: "$F$"  # noqa: E731
    else:
        drive_default = lambda k: f"$F_{{{_sub(k, node_text[k])}}}$"  # noqa: E731
    drive_txt = _label_option(drive_labels, driven, drive_default, "drive_labels")
    det_txt = _label_option(detuning_labels, detuned,
                            lambda k: f"$\\Delta={_fmt_number(m.h[idx[k], idx[k]].real)}$", "detuning_labels")
    note_txt = _label_option(notes if notes is not None else False, nm, lambda k: None, "notes")
    links = _links(m, elim, tol)
    pair_txt = _pair_labels(coupling_labels, m, "coupling_labels", links)
    bath_txt = _bath_labels(bath_labels, len(m.baths))
    net_txt = _net_labels(effective_links, links, _hop_pairs(m))
    conn_txt = _conn_labels(bath_coupling_labels, m.baths)
    given = _check_pos(pos, nm, "pos")
    P = _normalise(_layout(m, role, layout, given, grid_shape))

    # ---------------------------------------------------------------- the axes
    own_figure = ax is None
    auto_size = figsize is None
    if own_figure:
        xs_ = [p[0] for p in P.values()]
        ys_ = [p[1] for p in P.values()]
        if figsize is None:
            xr, yr = max(xs_) - min(xs_) + 1.8, max(ys_) - min(ys_) + 1.8
            unit = min(_AUTO_UNIT / 72, _BOOK_WIDTH / xr, _BOOK_WIDTH / yr)
            figsize = (max(2.0, xr * unit), max(1.2, yr * unit))
        else:
            try:
                figsize = tuple(float(v) for v in figsize)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}") from exc
            if len(figsize) != 2 or not all(math.isfinite(v) and v > 0 for v in figsize):
                raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}")
        fig, ax = plt.subplots(figsize=figsize)
    else:
        if not hasattr(ax, "transData") or not hasattr(ax, "add_patch"):
            raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        fig = ax.figure
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()  # let a layout engine settle the axes box first
    renderer = fig.canvas.get_renderer()

    s = NetworkSchematic(ax=ax, pos=P, links=links)
    shapes = {k: ROLES[role[k]]["shape"] for k in nm}

    # node radius from the widest node label
    r = 11.0
    for k in nm:
        t = ax.text(0, 0, node_text[k], fontsize=node_fontsize)
        e = t.get_window_extent(renderer)
        t.remove()
        wpt, hpt = e.width * 72 / fig.dpi, e.height * 72 / fig.dpi
        r = max(r, 0.5 * math.hypot(wpt, hpt) + 1.5)
    s.radius = r

    xs = np.array([p[0] for p in P.values()])
    ys = np.array([p[1] for p in P.values()])
    lim = [xs.min() - 1.0, xs.max() + 1.0, ys.min() - 1.0, ys.max() + 1.0]

    scene = None

    def set_limits(lim):
        ax.set_xlim(lim[0], lim[1])
        ax.set_ylim(lim[2], lim[3])
        ax.apply_aspect()
        if scene is not None:
            scene.invalidate()

    set_limits(lim)

    # ---------------------------------------------------------------- nodes
    for k in nm:
        st = ROLES[role[k]]
        T = _pt_transform(ax, P[k])
        if st["shape"] == "square":
            patch = FancyBboxPatch((-r, -r), 2 * r, 2 * r, boxstyle=f"round,pad=0,rounding_size={0.3 * r}",
                                   fc=st["fc"], ec=st["ec"], lw=st["lw"], ls=st["ls"], transform=T, zorder=4)
        else:
            patch = Circle((0, 0), r, fc=st["fc"], ec=st["ec"], lw=st["lw"], ls=st["ls"], transform=T, zorder=4)
        patch.set_clip_on(False)
        ax.add_patch(patch)
        s.nodes[k] = patch
        s.node_labels[k] = ax.text(0, 0, node_text[k], transform=T, ha="center", va="center",
                                   fontsize=node_fontsize, zorder=5, clip_on=False)

    # ---------------------------------------------------------------- edges
    hop_pairs = {frozenset((nm[i], nm[j])) for i in range(len(nm)) for j in range(i + 1, len(nm))
                 if abs(m.h[i, j]) > 0}
    drawn_pairs = []
    draws = []  # (link, kind drawn, hop?)
    for lk in links:
        pair = frozenset((lk.source, lk.target))
        hop = pair in hop_pairs
        if not hop and lk.kind != "one-way":
            continue
        if not hop and not lk.effective:
            continue
        if hop and lk.kind == "one-way" and net_txt is not None:  # the hop itself, then the net link
            draws += [(lk, "reciprocal", True), (lk, "one-way", False)]
        else:
            draws.append((lk, lk.kind, hop))
    for lk, kind, hop in draws:
        pair = frozenset((lk.source, lk.target))
        if kind == "one-way":
            style, mut, kw = "-|>", 13, dict(_ONE_WAY)
        elif reciprocal_style == "double":
            style, mut, kw = "<|-|>", 8, dict(_RECIPROCAL)
        else:
            style, mut, kw = "-", 8, dict(_RECIPROCAL)
        a, b = np.asarray(P[lk.source]), np.asarray(P[lk.target])
        rad = 0.0 if hop else (-0.35 if net_txt is not None else 0.35)  # net arcs bulge away from the reservoir
        if hop:  # bend a straight edge that would pass through another node
            d = b - a
            L2 = float(d @ d)
            for k in nm:
                if k in pair:
                    continue
                c = np.asarray(P[k])
                t = float(np.clip((c - a) @ d / L2, 0, 1))
                if 0 < t < 1 and np.hypot(*(a + t * d - c)) < 0.3:
                    rad = 0.3
                    break
        d = b - a
        uA = np.array([d[0] / 2 + rad * d[1], d[1] / 2 - rad * d[0]])  # tangents of the arc3 path
        uB = -np.array([d[0] / 2 - rad * d[1], d[1] / 2 + rad * d[0]])
        uA, uB = uA / np.hypot(*uA), uB / np.hypot(*uB)
        patch = FancyArrowPatch(tuple(a), tuple(b), arrowstyle=style, mutation_scale=mut,
                                connectionstyle=f"arc3,rad={rad}", zorder=3,
                                shrinkA=_boundary(shapes[lk.source], r, uA) + _GAP,
                                shrinkB=_boundary(shapes[lk.target], r, uB) + _GAP,
                                ls="-" if hop else (0, (4, 2)), **kw)
        _prime(patch, renderer)
        ax.add_patch(patch)
        s.edges.append(EdgeArtist(lk.source, lk.target, kind, patch, hop=hop))
        drawn_pairs.append(pair)
    scene = _Scene(ax, s, shapes)

    def scale():  # display pixels per data unit
        return float(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])

    pt = fig.dpi / 72

    # ---------------------------------------------------------------- shared reservoirs
    centre = np.array([xs.mean(), ys.mean()])
    conn_placements = []  # (text, connector) labelled with bath_coupling_labels
    for kb, (rate, coeffs) in enumerate(m.baths):
        modes = tuple(coeffs)
        pts = np.array([P[k] for k in modes], float)
        mid = pts.mean(axis=0)
        cands = []
        if len(modes) == 2:
            d = pts[1] - pts[0]
            L = float(np.hypot(*d))
            nrm = np.array([-d[1], d[0]]) / L
            if nrm @ (mid - centre) < 0 or (abs(nrm @ (mid - centre)) < 1e-9 and nrm[1] > 0):
                nrm = -nrm
            has_edge = frozenset(modes) in drawn_pairs
            Lpt = L * scale() / pt
            dists = sorted({max(24.0, 0.3 * Lpt), max(24.0, 0.45 * Lpt), 30.0, 40.0, 52.0, 66.0})
            if not has_edge:
                dists = [0.0] + dists
            for dd in dists:
                for sgn in (1, -1):
                    cands.append(nrm * sgn * dd)
        else:
            dirs = [np.array([0, -1.0]), np.array([0, 1.0]), np.array([1.0, 0]), np.array([-1.0, 0])]
            dirs += [np.array([c, s_]) / math.sqrt(2) for c in (1, -1) for s_ in (1, -1)]
            cands = [np.zeros(2)] + [u * dd for dd in (30, 45, 60, 80) for u in dirs]
        text = ax.text(0, 0, bath_txt[kb], ha="center", va="center", fontsize=fontsize, zorder=6, clip_on=False)
        e = text.get_window_extent(renderer)
        w = max(e.width / pt + 8, 18.0)
        hh = max(e.height / pt + 6, 14.0)
        box = FancyBboxPatch((-w / 2, -hh / 2), w, hh, boxstyle="round,pad=0,rounding_size=3",
                             fc=_BATH["fc"], ec=_BATH["ec"], lw=1.2, zorder=5)
        box.set_clip_on(False)
        ax.add_patch(box)
        best = None
        obstacles = scene.boxes()
        for off in cands:
            anchor = mid + off * pt / scale()
            T = _pt_transform(ax, anchor)
            box.set_transform(T)
            text.set_transform(T)
            ext = _ext(box, renderer)
            nh = scene.hits(ext, exclude=(box,), pad=3, boxes=obstacles)
            # connectors must not cross other nodes
            if nh == 0:
                best = anchor
                break
            if best is None:
                best = anchor
        T = _pt_transform(ax, best)
        box.set_transform(T)
        text.set_transform(T)
        conns = []
        for k in modes:
            d = np.asarray(P[k]) - best
            u = d / (np.hypot(*d) or 1.0)
            cp = FancyArrowPatch(tuple(best), P[k], arrowstyle="-", ls=(0, (3, 2)), color=_BATH["line"], lw=1.3,
                                 zorder=2, shrinkA=min(w / 2 / max(abs(u[0]), 1e-12), hh / 2 / max(abs(u[1]), 1e-12)),
                                 shrinkB=_boundary(shapes[k], r, -u) + _GAP)
            _prime(cp, renderer)
            ax.add_patch(cp)
            conns.append(cp)
            if conn_txt[kb].get(k) is not None:
                conn_placements.append((conn_txt[kb][k], cp))
        s.baths.append(BathArtist(modes, box, text, conns))
    scene.invalidate()

    # ---------------------------------------------------------------- drives and losses
    def occupied(k):
        c = ax.transData.transform(P[k])
        out = []
        for e in s.edges:
            if k in (e.source, e.target):
                other = e.target if k == e.source else e.source
                d = ax.transData.transform(P[other]) - c
                ang = math.atan2(d[1], d[0])
                rad = float(e.patch.get_connectionstyle().rad)
                # arc3 leaves the node turned by about atan(2 rad) from the chord
                sgn = 1 if k == e.source else -1
                out.append(ang - sgn * math.atan(2 * rad))
        for b in s.baths:
            if k in b.modes:
                bx = b.patch.get_transform().transform((0, 0))
                d = bx - c
                out.append(math.atan2(d[1], d[0]))
        return out

    deg = np.pi / 180
    prefs_drive = [180, 150, 210, 90, 270, 135, 225, 120, 240, 0, 45, 315, 60, 300, 30, 330]
    prefs_loss = [90, 60, 120, 45, 135, 270, 300, 240, 0, 180, 30, 150, 315, 225, 330, 210]
    deco: dict[str, list[float]] = {k: occupied(k) for k in nm}

    def choose(k, prefs):
        occ = deco[k]
        good = [a * deg for a in prefs if _angle_gap(a * deg, occ) >= 55 * deg]
        if good:
            return good[0]
        return max((a * deg for a in prefs), key=lambda a: _angle_gap(a, occ))

    def add_deco(k, ang, length, incoming, style):
        u = np.array([math.cos(ang), math.sin(ang)])
        rb = _boundary(shapes[k], r, u) + _GAP
        near, far = tuple(u * rb), tuple(u * (rb + length))
        a, b = (far, near) if incoming else (near, far)
        arr = FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=10 if not incoming else 12,
                              shrinkA=0, shrinkB=0, transform=_pt_transform(ax, P[k]), zorder=3, **style)
        _prime(arr, renderer)
        ax.add_patch(arr)
        deco[k].append(ang)
        return arr, u * (rb + length)

    tips = {}
    for k in driven:
        ang = choose(k, prefs_drive)
        arr, tip = add_deco(k, ang, 20.0, True, _DRIVE)
        s.drives[k] = (arr, None)
        tips[("drive", k)] = (tip, ang)
    for k in lossy:
        ang = choose(k, prefs_loss)
        arr, tip = add_deco(k, ang, 15.0, False, _LOSS)
        s.losses[k] = (arr, None)
        tips[("loss", k)] = (tip, ang)
    scene.invalidate()

    # ---------------------------------------------------------------- labels
    placements = []  # (text, candidate generator)

    def node_cands(k, tip, ang):
        """Offsets (points, from the node centre) for a label at the tip of a decoration."""
        out = []
        for dang in (0, 30, -30, 60, -60, 90, -90):
            a = ang + dang * deg
            out.append((np.asarray(tip), np.array([math.cos(a), math.sin(a)]), (3.0, 7.0)))
        return out

    def ring_cands(k):
        out = []
        for a in (270, 90, 0, 180, 315, 225, 45, 135):
            u = np.array([math.cos(a * deg), math.sin(a * deg)])
            out.append((u * (_boundary(shapes[k], r, u)), u, (3.0, 8.0, 14.0)))
        return out

    def make_text(txt, color="black"):
        t = ax.text(0, 0, txt, ha="center", va="center", fontsize=fontsize, color=color, zorder=6, clip_on=False)
        t.set_visible(False)  # not an obstacle until placed
        s.texts.append(t)
        return t

    for k, txt in drive_txt.items():
        t = make_text(txt, _DRIVE["color"])
        tip, ang = tips[("drive", k)]
        s.drives[k] = (s.drives[k][0], t)
        placements.append((t, ("node", k, node_cands(k, tip, ang))))
    for k, txt in loss_txt.items():
        t = make_text(txt, _LOSS["color"])
        tip, ang = tips[("loss", k)]
        s.losses[k] = (s.losses[k][0], t)
        placements.append((t, ("node", k, node_cands(k, tip, ang))))
    for e in s.edges:
        pair = frozenset((e.source, e.target))
        txt = pair_txt.get(pair) if net_txt is None or e.hop else net_txt.get((e.source, e.target))
        if txt is not None:
            t = make_text(txt, _ONE_WAY["color"] if e.kind == "one-way" else "black")
            e.label = t
            placements.append((t, ("edge", e, None)))
    for txt, cp in conn_placements:
        placements.append((make_text(txt, _BATH["line"]), ("edge", EdgeArtist("", "", "bath", cp), None)))
    for k, txt in det_txt.items():
        t = make_text(txt)
        placements.append((t, ("node", k, ring_cands(k))))
    for k, txt in note_txt.items():
        t = make_text(txt, "#333333")
        placements.append((t, ("node", k, ring_cands(k))))

    def edge_cands(e):
        """(anchor in data, unit normal and tangent in display) for an edge label."""
        path = _display_path(e.patch)
        polys = _flat(path)
        poly = max(polys, key=lambda q: float(np.sum(np.hypot(*np.diff(q, axis=0).T))))
        seg = np.diff(poly, axis=0)
        ls_ = np.hypot(seg[:, 0], seg[:, 1])
        cum = np.concatenate([[0], np.cumsum(ls_)])
        out = []
        for frac in (0.5, 0.35, 0.65, 0.2, 0.8):
            target = frac * cum[-1]
            i = int(np.clip(np.searchsorted(cum, target) - 1, 0, len(seg) - 1))
            tt = (target - cum[i]) / (ls_[i] or 1)
            p = poly[i] + tt * seg[i]
            tan = seg[i] / (ls_[i] or 1)
            nrm = np.array([-tan[1], tan[0]])
            out.append((p, nrm))
        return out

    def try_place(t, spec):
        kind, key, cands = spec
        e0 = t.get_window_extent(renderer)
        w, h = e0.width / pt, e0.height / pt  # points
        trials = []
        if kind == "node":
            for base, u, dists in cands:
                for dd in dists:
                    half = abs(u[0]) * w / 2 + abs(u[1]) * h / 2
                    off = np.asarray(base) + u * (dd + half)
                    trials.append((P[key], off))
        else:
            inv = ax.transData.inverted()
            for p, nrm in edge_cands(key):
                anchor = inv.transform(p)
                for dd in (3.0, 6.0, 10.0, 16.0):
                    for sgn in (1, -1):
                        u = nrm * sgn
                        half = abs(u[0]) * w / 2 + abs(u[1]) * h / 2
                        trials.append((anchor, u * (dd + half)))
        best, best_hits = None, None
        obstacles = scene.boxes(exclude=(t,))
        t.set_visible(True)
        for anchor, off in trials:
            t.set_transform(_pt_transform(ax, anchor, off))
            nh = scene.hits(_ext(t, renderer), exclude=(t,), boxes=obstacles)
            if nh == 0:
                return True
            if best_hits is None or nh < best_hits:
                best, best_hits = (anchor, off), nh
        t.set_transform(_pt_transform(ax, *best))
        return False

    for t, spec in placements:
        try_place(t, spec)

    # ---------------------------------------------------------------- limits from all extents
    def outer_artists():
        """The artists that can reach beyond the convex hull of the nodes and boxes: straight edges
        and connectors lie inside it, so their (costly) extents are not needed for the limits."""
        out = list(s.nodes.values()) + list(s.node_labels.values()) + list(s.texts)
        out += [b.patch for b in s.baths] + [a for a, _ in s.losses.values()] + [a for a, _ in s.drives.values()]
        out += [e.patch for e in s.edges if float(e.patch.get_connectionstyle().rad) != 0]
        return out

    def fit_limits():
        lim = [ax.get_xlim()[0], ax.get_xlim()[1], ax.get_ylim()[0], ax.get_ylim()[1]]
        for _ in range(15):
            set_limits(lim)
            inv = ax.transData.inverted()
            exts = np.array([_ext(a, renderer) for a in outer_artists()])
            x0, y0 = inv.transform((exts[:, 0].min(), exts[:, 1].min()))
            x1, y1 = inv.transform((exts[:, 2].max(), exts[:, 3].max()))
            padd = 2 * pt / scale()
            new = [x0 - padd, x1 + padd, y0 - padd, y1 + padd]
            unit_pt = scale() / pt  # distance of the two closest nodes, in points
            if unit_pt > _MAX_UNIT:
                f = unit_pt / _MAX_UNIT
                cx, cy = (new[0] + new[1]) / 2, (new[2] + new[3]) / 2
                wx, wy = (new[1] - new[0]) / 2 * f, (new[3] - new[2]) / 2 * f
                new = [cx - wx, cx + wx, cy - wy, cy + wy]
            size = max(new[1] - new[0], new[3] - new[2])
            done = max(abs(a - b) for a, b in zip(new, lim)) <= 2e-3 * size
            lim = new
            if done:
                break
        set_limits(lim)
        for _ in range(6):  # guarantee: every artist inside the axes
            inv = ax.transData.inverted()
            exts = np.array([_ext(a, renderer) for a in outer_artists()])
            bb = ax.bbox
            if (exts[:, 0].min() >= bb.x0 and exts[:, 1].min() >= bb.y0 and exts[:, 2].max() <= bb.x1
                    and exts[:, 3].max() <= bb.y1):
                break
            x0, y0 = inv.transform((exts[:, 0].min(), exts[:, 1].min()))
            x1, y1 = inv.transform((exts[:, 2].max(), exts[:, 3].max()))
            padd = 4 * pt / scale()
            lim = [min(lim[0], x0 - padd), max(lim[1], x1 + padd), min(lim[2], y0 - padd), max(lim[3], y1 + padd)]
            set_limits(lim)
        scene.invalidate()

    for _ in range(3):
        fit_limits()
        bad = [(t, spec) for t, spec in placements if scene.hits(_ext(t, renderer), exclude=(t,)) > 0]
        if not bad:
            break
        for t, spec in bad:
            try_place(t, spec)
    fit_limits()
    for a in s.artists:  # inside the axes by construction: a layout engine need not measure them
        a.set_in_layout(False)
    if own_figure and auto_size:
        for _ in range(2):  # trim the figure to the drawing: remove what the equal aspect left empty
            w, h = fig.get_size_inches()
            full, active = ax.get_position(original=True), ax.get_position(original=False)
            fig.set_size_inches(max(1.0, w - w * (full.width - active.width)),
                                max(0.8, h - h * (full.height - active.height)))
            fig.draw_without_rendering()
            fit_limits()
    unit_pt = scale() / pt
    if unit_pt < 2 * r + 24:
        warnings.warn(f"draw_network: the axes is small for this network (the closest modes are {unit_pt:.0f} pt "
                      f"apart, node radius {r:.0f} pt); use a larger axes or ax=None", stacklevel=2)
    return s


def network_figsize(model: Any, **kwargs: Any) -> tuple[float, float]:
    """The figure size (inches) that :func:`draw_network` chooses for a network when ``ax`` is None.

    Draws the network once on a figure that is closed again; use the result to size a figure with
    several panels (``figsize``, ``width_ratios``) so that each schematic keeps its proportions.

    Parameters
    ----------
    model : NetworkBuilder or LinearNetwork
        The network.
    **kwargs
        The keyword arguments of :func:`draw_network` (except ``ax``).

    Returns
    -------
    (float, float)
        Width and height in inches.

    Raises
    ------
    ValueError
        As :func:`draw_network`; also if ``ax`` is given.
    """
    import matplotlib.pyplot as plt

    if kwargs.get("ax") is not None:
        raise ValueError("ax: network_figsize draws on its own figure; do not pass ax")
    kwargs.pop("ax", None)
    s = draw_network(model, **kwargs)
    fig = s.ax.figure
    size = tuple(float(v) for v in fig.get_size_inches())
    plt.close(fig)
    return size
