"""Tests of nrqb.book.schematics: the drawing agrees with the drift, labels do not collide, nothing is clipped.

The geometry checks here are written independently of the module's own placement helpers: they
draw the figure with the Agg renderer and measure the artists' extents and paths in pixels.
"""

import importlib.util
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import ArrowStyle  # noqa: E402
from matplotlib.path import Path as MPath  # noqa: E402

from nrqb import NetworkBuilder  # noqa: E402
from nrqb.book.schematics import ROLES, draw_network, link_directions, network_figsize  # noqa: E402
from nrqb.engine import LinearNetwork  # noqa: E402
from nrqb.papers import zhao  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "nrqb_schematics_gallery", Path(__file__).resolve().parents[2] / "tools" / "schematics_gallery.py")
gallery = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gallery)
EXAMPLES = list(gallery.examples())
_CACHE = {}  # the drawn examples stay open for the module (closed in teardown_module)
matplotlib.rcParams["figure.max_open_warning"] = 0


def drawn(name):
    """The gallery example drawn once (Agg canvas drawn, so extents are final)."""
    if name not in _CACHE:
        fig, s = gallery.draw_example(name)
        fig.canvas.draw()
        model, kw, _ = gallery.examples()[name]()
        net = model.build() if isinstance(model, NetworkBuilder) else model
        names = model.names if isinstance(model, NetworkBuilder) else kw["names"]
        _CACHE[name] = (fig, s, net, list(names), list(kw.get("eliminate", ())))
    return _CACHE[name]


def teardown_module():
    for fig, *_ in _CACHE.values():
        plt.close(fig)


# --------------------------------------------------------------------------------------------
# the physics: one-way directions from the drift, computed here without the module
# --------------------------------------------------------------------------------------------
def one_way_pairs(net, names, eliminate, tol=1e-8):
    """{(src, dst)} of one-way pairs with a direct hop: full drift, or the Schur complement over
    the eliminated modes for pairs of kept modes (computed here with numpy)."""
    A = np.asarray(net.drift)
    h = np.asarray(net.hamiltonian)
    n = len(names)
    gone = [names.index(e) for e in eliminate]
    kept = [i for i in range(n) if i not in gone]
    if gone:
        inv = np.linalg.inv(A[np.ix_(gone, gone)])
        Aeff = A[np.ix_(kept, kept)] - A[np.ix_(kept, gone)] @ inv @ A[np.ix_(gone, kept)]
    out = set()
    for i in range(n):
        for j in range(n):
            if i == j or abs(h[i, j]) == 0:
                continue
            if gone and i in kept and j in kept:
                fwd, back = abs(Aeff[kept.index(j), kept.index(i)]), abs(Aeff[kept.index(i), kept.index(j)])
            else:
                fwd, back = abs(A[j, i]), abs(A[i, j])
            if fwd > 0 and back <= tol * fwd:
                out.add((names[i], names[j]))
    return out


def _closed_subpaths(path):
    """Vertices of the subpaths that end with CLOSEPOLY (the filled arrowheads)."""
    codes, verts = path.codes, path.vertices
    starts = list(np.flatnonzero(codes == MPath.MOVETO)) + [len(codes)]
    return [verts[a:b - 1] for a, b in zip(starts[:-1], starts[1:]) if codes[b - 1] == MPath.CLOSEPOLY]


@pytest.mark.parametrize("name", EXAMPLES)
def test_drawn_arrows_are_the_one_way_links_of_the_drift(name):
    fig, s, net, names, elim = drawn(name)
    expected = one_way_pairs(net, names, elim)
    drawn_one_way = {(e.source, e.target) for e in s.edges if e.kind == "one-way"}
    assert drawn_one_way == expected
    for e in s.edges:
        style = e.patch.get_arrowstyle()
        if e.kind == "one-way":
            assert isinstance(style, ArrowStyle.CurveFilledB)  # a single head ...
            # ... drawn at the target: the one closed (filled) polygon of the path lies at the target
            path = e.patch.get_path().transformed(e.patch.get_transform())
            (head,) = _closed_subpaths(path)
            centre = np.mean(head, axis=0)
            ct = e.patch.get_transform().transform(s.pos[e.target])
            cs = e.patch.get_transform().transform(s.pos[e.source])
            assert np.hypot(*(centre - ct)) < np.hypot(*(centre - cs))
        elif e.kind == "reciprocal" and isinstance(style, ArrowStyle.CurveFilledAB):
            heads = _closed_subpaths(e.patch.get_path().transformed(e.patch.get_transform()))
            assert len(heads) == 2
        else:
            assert not isinstance(style, ArrowStyle.CurveFilledB)


@pytest.mark.parametrize("name", [n for n in EXAMPLES if n + "_reversed" in EXAMPLES])
def test_reversing_the_phase_reverses_the_arrows(name):
    _, s, *_ = drawn(name)
    _, s_rev, *_ = drawn(name + "_reversed")
    fwd = {(e.source, e.target) for e in s.edges if e.kind == "one-way"}
    rev = {(e.source, e.target) for e in s_rev.edges if e.kind == "one-way"}
    assert fwd and rev == {(b, a) for a, b in fwd}


def test_ahmadi_one_way_link_and_its_rate():
    """At J = i Gamma p_a^* p_b / 2 (builder convention) the backflow vanishes and the forward
    drift entry is Gamma |p_a p_b| (Ahmadi et al., Eq. (2) with J = -i mu Gamma/2)."""
    Gamma, pa, pb = 0.04, 0.8, 1.25
    for J, src, dst in ((0.5j * Gamma * pa * pb, "a", "b"), (-0.5j * Gamma * pa * pb, "b", "a")):
        nb = NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.002).hop("a", "b", J)
        nb.shared_bath(Gamma, {"a": pa, "b": pb})
        (link,) = link_directions(nb)
        assert (link.source, link.target, link.kind) == (src, dst, "one-way")
        assert link.forward == pytest.approx(Gamma * pa * pb, rel=1e-12)
        assert link.backward < 1e-15


def test_generic_hop_is_reciprocal_and_tol_sets_the_threshold():
    # |A_ab| = 1e-3 |A_ba|: one-way for tol = 1e-2, reciprocal for tol = 1e-4
    Gamma = 0.04
    x = (1 - 1e-3) / (1 + 1e-3)  # J = i x G/2: A_ab = -G(1 - x)/2, A_ba = -G(1 + x)/2
    J = 0.5j * Gamma * x
    net = LinearNetwork([[0, J], [np.conj(J), 0]], jumps=[(Gamma, [1, 1])], loss=[0.01, 0.01])
    A = net.drift
    ratio = abs(A[0, 1]) / abs(A[1, 0])
    assert ratio == pytest.approx(1e-3, rel=1e-9)
    assert link_directions(net, names=["a", "b"], tol=1e-2)[0].kind == "one-way"
    assert link_directions(net, names=["a", "b"], tol=1e-4)[0].kind == "reciprocal"
    plain = NetworkBuilder().mode("a").mode("b").hop("a", "b", 0.3 + 0.1j)
    (link,) = link_directions(plain)
    assert link.kind == "reciprocal" and link.forward == pytest.approx(abs(0.3 + 0.1j), rel=1e-12)


def test_shared_bath_alone_is_reciprocal():
    nb = NetworkBuilder().mode("a").mode("b").shared_bath(0.1, {"a": 1, "b": 1j})
    (link,) = link_directions(nb)
    assert link.kind == "reciprocal" and link.forward == pytest.approx(0.05, rel=1e-12)


def test_zhao_triangle_effective_link_is_one_way_with_forward_rate_2gb():
    """Eliminating the lossy mode a at theta = -pi/2, 2 g1 g2 / Gamma = g_b leaves c -> b with
    |A_eff[b, c]| = 2 g_b (Zhao et al., Fig. 1(a)); the full drift has no one-way pair."""
    gb = 0.01
    net = zhao.triangle(gb, 0.1, 0.1, 0.1, theta=-np.pi / 2)
    full = link_directions(net, names=["c", "b", "a"])
    assert all(l.kind == "reciprocal" for l in full)
    eff = [l for l in link_directions(net, names=["c", "b", "a"], eliminate=["a"]) if l.effective]
    assert len(eff) == 1
    assert (eff[0].source, eff[0].target, eff[0].kind) == ("c", "b", "one-way")
    assert eff[0].forward == pytest.approx(2 * gb, rel=1e-10)
    off = zhao.triangle(gb, 0.1, 0.1, 0.1, theta=-np.pi / 4)
    assert all(l.kind == "reciprocal" for l in link_directions(off, names=["c", "b", "a"], eliminate=["a"]))


def test_effective_one_way_link_without_hop_is_a_dashed_arc():
    """a and b meet only through a damped mode c (a dissipative path) and a detuned mode d (a
    coherent path); with g'^2/Delta = 2 g^2 and the phase -pi/2 on d-b the two paths cancel the
    backflow b -> a.  Eliminating c and d gives A_eff[a, b] = 0 and |A_eff[b, a]| = 4 g^2."""
    g, Delta = 0.1, 1.0
    gp = math.sqrt(2 * g**2 * Delta)
    nb = NetworkBuilder().mode("a", loss=0.01).mode("b", loss=0.01).mode("c", loss=1.0)
    nb.mode("d", detuning=Delta).drive("a", 0.1)
    nb.hop("c", "a", g).hop("c", "b", g).hop("d", "a", gp).hop("d", "b", gp * np.exp(-0.5j * np.pi))
    (eff,) = [l for l in link_directions(nb, eliminate=["c", "d"]) if l.effective]
    assert (eff.source, eff.target, eff.kind) == ("a", "b", "one-way")
    assert eff.forward == pytest.approx(4 * g**2, rel=1e-10)
    s = draw_network(nb, eliminate=["c", "d"], roles={"c": "auxiliary", "d": "cavity"})
    (e,) = [e for e in s.edges if not e.hop]
    assert (e.source, e.target, e.kind) == ("a", "b", "one-way")
    assert e.patch.get_linestyle() != "-"
    assert sum(e.hop for e in s.edges) == 4
    plt.close(s.ax.figure)


def _ahmadi_interference():
    """Ahmadi et al.'s pair at J = i Gamma/2 drawn with both paths: the Hermitian hop and the net link."""
    nb = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003).drive("a", 0.1)
          .hop("a", "b", 0.02j).shared_bath(0.04, {"a": 1, "b": 1}))
    s = draw_network(nb, roles={"a": "charger", "b": "battery"}, coupling_labels={("a", "b"): "$J$"},
                     effective_links={("a", "b"): r"net $a\to b$"}, bath_coupling_labels={"a": "$p_a$", "b": "$p_b$"},
                     figsize=(3.6, 2.4))
    return nb, s


def test_effective_links_draw_the_hop_two_way_and_the_net_link_one_way():
    """effective_links: the hop (Hermitian h) is a double arrow, the drift's one-way link a dashed arc
    a -> b; the connector labels sit beside their connectors; geometry as for the gallery."""
    nb, s = _ahmadi_interference()
    fig = s.ax.figure
    fig.canvas.draw()
    kinds = sorted((e.source, e.target, e.kind, e.hop) for e in s.edges)
    assert kinds == [("a", "b", "one-way", False), ("a", "b", "reciprocal", True)]
    (hop,) = [e for e in s.edges if e.hop]
    (net,) = [e for e in s.edges if not e.hop]
    assert len(_closed_subpaths(hop.patch.get_path().transformed(hop.patch.get_transform()))) == 2
    assert net.patch.get_linestyle() != "-" and net.label.get_text() == r"net $a\to b$" and hop.label.get_text() == "$J$"
    # each connector label is nearer its own connector than the other one
    r = fig.canvas.get_renderer()
    conns = s.baths[0].connectors
    for txt, mode in (("$p_a$", "a"), ("$p_b$", "b")):
        (t,) = [t for t in s.texts if t.get_text() == txt]
        b = _bbox(t, r)
        c = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])
        d = [min(np.hypot(*(poly - c).T).min() for poly in
                 cp.get_path().transformed(cp.get_transform()).to_polygons(closed_only=False)) for cp in conns]
        mine = list(s.baths[0].modes).index(mode)
        assert d[mine] < d[1 - mine], (txt, d)
    _CACHE["ahmadi_interference"] = (fig, s, nb.build(), list(nb.names), [])
    for test in (test_drawn_arrows_are_the_one_way_links_of_the_drift, test_labels_overlap_no_label_node_or_arrow,
                 test_everything_inside_the_axes, test_arrowheads_and_lines_stay_outside_the_nodes):
        test("ahmadi_interference")


def test_effective_links_off_is_the_default_drawing():
    nb = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003).hop("a", "b", 0.02j)
          .shared_bath(0.04, {"a": 1, "b": 1}))
    s = draw_network(nb)
    assert [(e.source, e.target, e.kind, e.hop) for e in s.edges] == [("a", "b", "one-way", True)]
    plt.close(s.ax.figure)


@pytest.mark.parametrize(
    "kwargs, param",
    [
        (dict(effective_links={("b", "a"): "x"}), "effective_links"),
        (dict(effective_links={("a", "b"): 3}), "effective_links"),
        (dict(effective_links="yes"), "effective_links"),
        (dict(bath_coupling_labels={"c": "p"}), "bath_coupling_labels"),
        (dict(bath_coupling_labels={"a": 1}), "bath_coupling_labels"),
        (dict(bath_coupling_labels=[{"a": "p"}, {"b": "q"}]), "bath_coupling_labels"),
        (dict(bath_coupling_labels=["p"]), "bath_coupling_labels"),
    ],
)
def test_bad_effective_or_connector_labels_name_the_parameter(kwargs, param):
    nb = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003).mode("c").hop("a", "b", 0.02j)
          .shared_bath(0.04, {"a": 1, "b": 1}))
    before = set(plt.get_fignums())
    with pytest.raises(ValueError, match=param):
        draw_network(nb, **kwargs)
    for num in set(plt.get_fignums()) - before:  # not plt.close("all"): the gallery figures stay open
        plt.close(num)


# --------------------------------------------------------------------------------------------
# the drawing: no collisions, nothing clipped, arrowheads outside the nodes
# --------------------------------------------------------------------------------------------
def _bbox(artist, renderer):
    e = artist.get_window_extent(renderer)
    return np.array([e.x0, e.y0, e.x1, e.y1])


def _overlap(a, b, slack=0.5):
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def _node_disks(fig, s):
    k = fig.dpi / 72
    out = {}
    for name, p in s.pos.items():
        c = s.ax.transData.transform(p)
        out[name] = (c, s.radius * k)
    return out


def _segments_hit_box(poly, box):
    """Sample the polyline densely and test the samples against the box (independent of clipping code)."""
    for a, b in zip(poly[:-1], poly[1:]):
        n = max(2, int(np.hypot(*(b - a)) / 0.5))
        t = np.linspace(0, 1, n)[:, None]
        pts = a + t * (b - a)
        if np.any((pts[:, 0] > box[0]) & (pts[:, 0] < box[2]) & (pts[:, 1] > box[1]) & (pts[:, 1] < box[3])):
            return True
    return False


def _paths(s):
    arts = [e.patch for e in s.edges] + [c for b in s.baths for c in b.connectors]
    arts += [a for a, _ in s.losses.values()] + [a for a, _ in s.drives.values()]
    out = []
    for a in arts:
        path = a.get_path().transformed(a.get_transform())
        out += [(a, np.asarray(p)) for p in path.to_polygons(closed_only=False) if len(p) >= 2]
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_labels_overlap_no_label_node_or_arrow(name):
    fig, s, *_ = drawn(name)
    r = fig.canvas.get_renderer()
    free = [(t, _bbox(t, r)) for t in s.texts]
    boxes = [(b.patch, _bbox(b.patch, r)) for b in s.baths]
    node_labels = {k: _bbox(t, r) for k, t in s.node_labels.items()}
    disks = _node_disks(fig, s)
    # labels and reservoir boxes do not overlap each other
    items = free + boxes
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            assert not _overlap(items[i][1], items[j][1]), (items[i][0], items[j][0])
    # nor any node (a node label stays inside its own node)
    for art, b in items:
        for name_, (c, rad) in disks.items():
            nx_, ny_ = np.clip(c[0], b[0], b[2]), np.clip(c[1], b[1], b[3])
            assert math.hypot(nx_ - c[0], ny_ - c[1]) >= rad - 0.5, (art, name_)
    for name_, b in node_labels.items():
        c, rad = disks[name_]
        corners = [(b[0], b[1]), (b[0], b[3]), (b[2], b[1]), (b[2], b[3])]
        assert max(math.hypot(x - c[0], y - c[1]) for x, y in corners) <= rad + 1.0, name_
    # nor any arrow, connector or decoration
    paths = _paths(s)
    for art, b in free:
        shrunk = b + np.array([0.5, 0.5, -0.5, -0.5])
        for p_art, poly in paths:
            assert not _segments_hit_box(poly, shrunk), (art.get_text(), p_art)
    for fs in [t.get_fontsize() for t in s.texts] + [t.get_fontsize() for t in s.node_labels.values()]:
        assert fs >= 8


@pytest.mark.parametrize("name", EXAMPLES)
def test_everything_inside_the_axes(name):
    fig, s, *_ = drawn(name)
    r = fig.canvas.get_renderer()
    ab = s.ax.bbox
    for a in s.artists:
        b = _bbox(a, r)
        assert b[0] >= ab.x0 - 0.5 and b[1] >= ab.y0 - 0.5 and b[2] <= ab.x1 + 0.5 and b[3] <= ab.y1 + 0.5, a
    fb = fig.bbox
    assert ab.x0 >= fb.x0 - 0.5 and ab.x1 <= fb.x1 + 0.5 and ab.y0 >= fb.y0 - 0.5 and ab.y1 <= fb.y1 + 0.5


@pytest.mark.parametrize("name", EXAMPLES)
def test_arrowheads_and_lines_stay_outside_the_nodes(name):
    fig, s, *_ = drawn(name)
    disks = _node_disks(fig, s)
    shapes = {k: ROLES["mode"]["shape"] for k in s.pos}
    for _, poly in _paths(s):
        for c, rad in disks.values():
            d = np.hypot(poly[:, 0] - c[0], poly[:, 1] - c[1])
            assert d.min() >= rad - 0.75
    del shapes
    # and every edge ends within a few points of both of its nodes (it is not cut short)
    k = fig.dpi / 72
    for e in s.edges:
        path = e.patch.get_path().transformed(e.patch.get_transform())
        v = path.vertices
        for node in (e.source, e.target):
            c, rad = disks[node]
            gap = np.hypot(v[:, 0] - c[0], v[:, 1] - c[1]).min() - rad
            limit = (6.0 + 0.5 * s.radius) * k if s.nodes[node].__class__.__name__ != "Circle" else 6.0 * k
            assert gap <= limit, (e.source, e.target, node, gap)


def test_user_positions_override_the_layout():
    nb = NetworkBuilder().mode("a").mode("b").mode("c").hop("a", "b", 0.1).hop("b", "c", 0.1)
    s = draw_network(nb, pos={"a": (0, 0), "b": (3, 0), "c": (3, 4)})
    P = {k: np.asarray(v) for k, v in s.pos.items()}
    # shape kept: distances in the ratio 3 : 4 : 5
    d_ab, d_bc, d_ac = (np.hypot(*(P[x] - P[y])) for x, y in (("a", "b"), ("b", "c"), ("a", "c")))
    assert d_bc / d_ab == pytest.approx(4 / 3, rel=1e-12) and d_ac / d_ab == pytest.approx(5 / 3, rel=1e-12)
    plt.close(s.ax.figure)


@pytest.mark.parametrize("layout", ["chain", "star", "ring", "grid", "spring", "shell", "circular", "kamada_kawai"])
def test_layouts_place_every_mode_apart(layout):
    nb = NetworkBuilder()
    for k in range(6):
        nb.mode(f"m{k}", loss=0.01)
    nb.drive("m0", 0.1)
    for k in range(1, 6):
        nb.nonreciprocal_link("m0" if layout == "star" else f"m{k - 1}", f"m{k}", 0.02)
    s = draw_network(nb, layout=layout, bath_labels=False, loss_labels=False)
    P = np.array(list(s.pos.values()))
    d = np.hypot(*(P[:, None] - P[None]).transpose(2, 0, 1))
    assert np.min(d + np.eye(len(P)) * 9) == pytest.approx(1.0, rel=1e-12)  # normalised, no two together
    if layout == "chain":
        assert np.ptp(P[:, 1]) == 0
    if layout == "ring":
        rr = np.hypot(*(P - P.mean(axis=0)).T)
        assert np.ptp(rr) < 1e-12 * rr.mean()
    if layout == "star":  # the driven hub is equidistant from its leaves
        rr = np.hypot(*(P[1:] - P[0]).T)
        assert np.ptp(rr) < 1e-12 * rr.mean()
    plt.close(s.ax.figure)


def test_grid_layout_shape():
    nb = NetworkBuilder()
    for k in range(6):
        nb.mode(f"m{k}")
    s = draw_network(nb, layout="grid", grid_shape=(2, 3))
    P = np.array([s.pos[f"m{k}"] for k in range(6)])
    assert len(set(np.round(P[:, 1], 9))) == 2 and len(set(np.round(P[:, 0], 9))) == 3
    plt.close(s.ax.figure)


def test_network_figsize_is_the_size_draw_network_chooses():
    model, kw, _ = gallery.examples()["zhao_fig1b"]()
    size = network_figsize(model, **kw)
    s = draw_network(model, **kw)
    assert size == pytest.approx(tuple(s.ax.figure.get_size_inches()), rel=1e-12)
    assert 0 < size[1] < size[0] <= 6.3  # a chain is wider than tall, at most the book width
    plt.close(s.ax.figure)
    with pytest.raises(ValueError, match="ax"):
        network_figsize(model, ax=s.ax, **kw)


def test_singular_elimination_names_eliminate():
    nb = NetworkBuilder().mode("a", loss=0.1).mode("b", loss=0.1).mode("c").hop("a", "b", 0.1)
    with pytest.raises(ValueError, match="eliminate"):
        link_directions(nb, eliminate=["c"])


def test_cramped_axes_warns():
    nb = NetworkBuilder()
    for k in range(8):
        nb.mode(f"m{k}", loss=0.01)
    for k in range(7):
        nb.hop(f"m{k}", f"m{k + 1}", 0.1)
    fig, ax = plt.subplots(figsize=(1.5, 1.0))
    with pytest.warns(UserWarning, match="axes is small"):
        draw_network(nb, ax=ax)
    plt.close(fig)


def test_default_labels_from_names():
    nb = NetworkBuilder().mode("b1", loss=0.1).mode("m0_2", loss=0.1).mode("C", loss=0.1).drive("b1", 1).drive("C", 1)
    s = draw_network(nb)
    assert [s.node_labels[k].get_text() for k in ("b1", "m0_2", "C")] == ["$b_{1}$", "$m_{0,2}$", "$C$"]
    assert {k: t.get_text() for k, (_, t) in s.losses.items()} == {
        "b1": "$\\kappa_{b1}$", "m0_2": "$\\kappa_{m0,2}$", "C": "$\\kappa_{C}$"}
    assert {k: t.get_text() for k, (_, t) in s.drives.items()} == {"b1": "$F_{b1}$", "C": "$F_{C}$"}
    plt.close(s.ax.figure)


def test_value_labels_print_the_model():
    nb = NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.25).drive("a", 0.1j).hop("a", "b", -0.02)
    s = draw_network(nb, loss_labels="values", drive_labels="values", coupling_labels=True)
    assert {k: t.get_text() for k, (_, t) in s.losses.items()} == {"a": "$0.003$", "b": "$0.25$"}
    assert s.drives["a"][1].get_text() == "$0.1\\,e^{i\\pi/2}$"
    assert s.edges[0].label.get_text() == "$-0.02$"
    plt.close(s.ax.figure)


def test_given_axes_is_used_and_labels_are_the_options():
    fig, ax = plt.subplots(figsize=(4, 2.5))
    nb = (NetworkBuilder().mode("a", loss=0.003).mode("b", loss=0.003).drive("a", 0.1)
          .nonreciprocal_link("a", "b", 0.04))
    s = draw_network(nb, ax=ax, coupling_labels={("b", "a"): "$J$"}, loss_labels={"a": "kA"},
                     drive_labels=False, bath_labels=["G"], labels={"a": "A"})
    assert s.ax is ax
    texts = sorted(t.get_text() for t in s.texts)
    assert texts == ["$J$", "kA"]
    assert s.baths[0].text.get_text() == "G" and s.node_labels["a"].get_text() == "A"
    assert s.drives["a"][1] is None and s.losses["b"][1] is None
    assert s.node_labels["b"].get_text() == "$b$"
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------
def _nb():
    return NetworkBuilder().mode("a", loss=0.01).mode("b", loss=0.01).drive("a", 0.1).hop("a", "b", 0.1)


@pytest.mark.parametrize(
    "kwargs, param",
    [
        (dict(roles={"x": "battery"}), "roles"),
        (dict(roles={"a": "planet"}), "roles"),
        (dict(labels={"x": "X"}), "labels"),
        (dict(labels={"a": 3}), "labels"),
        (dict(eliminate=["x"]), "eliminate"),
        (dict(eliminate=["a", "b"]), "eliminate"),
        (dict(pos={"x": (0, 0)}), "pos"),
        (dict(pos={"a": (0, float("nan"))}), "pos"),
        (dict(pos={"a": "here"}), "pos"),
        (dict(pos={"a": (0, 0), "b": (0, 0)}), "pos"),
        (dict(layout="hexagonal"), "layout"),
        (dict(layout={"a": (0, 0)}), "layout"),
        (dict(layout="grid", grid_shape=(1, 1)), "grid_shape"),
        (dict(tol=float("nan")), "tol"),
        (dict(tol=-1e-3), "tol"),
        (dict(tol="small"), "tol"),
        (dict(fontsize=6), "fontsize"),
        (dict(node_fontsize=float("inf")), "node_fontsize"),
        (dict(coupling_labels={("a", "x"): "J"}), "coupling_labels"),
        (dict(coupling_labels={"a": "J"}), "coupling_labels"),
        (dict(loss_labels={"x": "k"}), "loss_labels"),
        (dict(loss_labels="yes"), "loss_labels"),
        (dict(drive_labels={"b": "F"}), "drive_labels"),
        (dict(bath_labels=["G", "H"]), "bath_labels"),
        (dict(detuning_labels={"x": "D"}), "detuning_labels"),
        (dict(notes={"x": "note"}), "notes"),
        (dict(reciprocal_style="wavy"), "reciprocal_style"),
        (dict(figsize=(3, -1)), "figsize"),
        (dict(ax="axes"), "ax"),
        (dict(names=["a", "b"]), "names"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, param):
    with pytest.raises(ValueError, match=param):
        draw_network(_nb(), **kwargs)
    plt.close("all")


def test_bad_coupling_label_pair_without_hop():
    nb = _nb().mode("c")
    with pytest.raises(ValueError, match="coupling_labels"):
        draw_network(nb, coupling_labels={("a", "c"): "J"})
    plt.close("all")


@pytest.mark.parametrize(
    "model, names, param",
    [
        ("network", None, "model"),
        (np.eye(2), None, "model"),
        (LinearNetwork(np.eye(2)), ["a"], "names"),
        (LinearNetwork(np.eye(2)), ["a", "a"], "names"),
        (LinearNetwork(np.eye(2)), ["a", 2], "names"),
        (LinearNetwork(np.eye(2)), "ab", "names"),
        (NetworkBuilder(), None, "model"),
    ],
)
def test_bad_model_or_names(model, names, param):
    with pytest.raises(ValueError, match=param):
        draw_network(model, names=names)
    with pytest.raises(ValueError, match=param):
        link_directions(model, names=names)
    plt.close("all")
