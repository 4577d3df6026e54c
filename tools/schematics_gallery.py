"""Gallery of network schematics drawn from the model: ``python tools/schematics_gallery.py OUTDIR``.

Writes one PNG per example (the Fig. 1 schematics of the four papers, their reversed-phase
counterparts, and a few other topologies) so that a maintainer can look at them.  The same
examples are the test cases of ``tests/book/test_schematics.py`` (:func:`examples`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

BOOK_WIDTH = 6.3  # inches: the text width of the book


def _ahmadi(reverse: bool = False):
    from nrqb.papers import ahmadi

    Gamma = 0.04
    J = ahmadi.nonreciprocal_J(Gamma, 1.0, 1.0)
    net = ahmadi.charger_battery(-J if reverse else J, Gamma, 0.003, 0.003, 0.1)
    return net, dict(names=["a", "b"], roles={"a": "charger", "b": "battery"},
                     coupling_labels={("a", "b"): "$J$"}, bath_labels=[r"$\Gamma$"],
                     drive_labels={"a": r"$\mathcal{E},\ \omega_L$"})


def _zhao_triangle(reverse: bool = False):
    from nrqb.papers import zhao

    net = zhao.triangle(0.01, 0.1, 0.1, 0.1, theta=np.pi / 2 if reverse else -np.pi / 2)
    return net, dict(names=["c", "b", "a"], roles={"c": "charger", "b": "battery", "a": "auxiliary"},
                     eliminate=["a"], coupling_labels={("c", "b"): r"$g_b e^{i\theta}$", ("c", "a"): "$g_1$",
                                                       ("a", "b"): "$g_2$"},
                     loss_labels={"c": r"$\gamma_c$", "b": r"$\gamma_b$", "a": r"$\Gamma_a$"},
                     drive_labels={"c": r"$\xi$"})


def _zhao(topology: str, N: int = 3, reverse: bool = False):
    from nrqb.papers import zhao

    make = zhao.cascaded_network if topology == "cascaded" else zhao.parallel_network
    theta = np.pi / 2 if reverse else -np.pi / 2
    net = make(N, 0.01, 0.1, 0.1, theta=theta)
    names = ["c"] + [f"b{k}" for k in range(1, N + 1)] + [f"a{k}" for k in range(1, N + 1)]
    prev = "c"
    cl = {}
    for k in range(1, N + 1):
        src = prev if topology == "cascaded" else "c"
        cl[(src, f"b{k}")] = rf"$\theta_{k}$"
        prev = f"b{k}"
    return net, dict(names=names, roles={"c": "charger", "b*": "battery", "a*": "auxiliary"},
                     eliminate=[f"a{k}" for k in range(1, N + 1)], coupling_labels=cl, loss_labels=False,
                     drive_labels={"c": r"$\xi$"}, layout="chain" if topology == "cascaded" else "star")


def _lin(reverse: bool = False):
    from nrqb.papers import lin

    net = lin.full_network(g_a=np.sqrt(0.2), g_b=np.sqrt(0.2), gamma_m=20.0, J=0.02,
                           phi=-np.pi / 2 if reverse else np.pi / 2, kappa_a=0.003, kappa_b=0.003, eps=0.1)
    return net, dict(names=["a", "b", "c"], roles={"a": "charger", "b": "battery", "c": "cavity"},
                     eliminate=["c"], coupling_labels={("a", "b"): "$J$", ("a", "c"): r"$g_a e^{i\phi}$",
                                                       ("b", "c"): "$g_b$"},
                     loss_labels={"a": r"$\kappa_a$", "b": r"$\kappa_b$", "c": r"$\gamma_m$"},
                     drive_labels={"a": r"$\varepsilon$"}, notes={"c": "bad cavity"})


def _liu(topology: str, N: int = 3, reverse: bool = False):
    from nrqb.papers import liu

    make = liu.cascade_network if topology == "cascade" else liu.parallel_network
    net = make(N, J=0.01, kappa=0.003, epsilon=0.01)
    names = ["a"] + [f"b{k}" for k in range(1, N + 1)]
    if reverse:  # the same network with every hop conjugated: every link runs backwards
        from nrqb.engine import LinearNetwork

        h = net.hamiltonian.conj()
        jumps = [(rate, c) for rate, c, *_ in net.channels[N + 1:]]
        net = LinearNetwork(h, loss=[net.channels[j][0] for j in range(N + 1)], jumps=jumps, drive=net.drive)
    return net, dict(names=names, labels={"a": "C"}, roles={"a": "charger", "b*": "battery"},
                     layout="chain" if topology == "cascade" else "star",
                     bath_labels=[rf"$q_{k}$" for k in range(1, N + 1)])


def _lattice(n: int = 5):
    from nrqb import NetworkBuilder

    nb = NetworkBuilder()
    names = [f"m{i}_{j}" for i in range(n) for j in range(n)]
    for k in names:
        nb.mode(k, loss=0.003)
    nb.drive(names[0], 0.01)
    for i in range(n):
        for j in range(n):
            if j + 1 < n:  # one-way along the rows
                nb.nonreciprocal_link(f"m{i}_{j}", f"m{i}_{j + 1}", 0.02)
            if i + 1 < n:  # coherent along the columns
                nb.hop(f"m{i}_{j}", f"m{i + 1}_{j}", 0.01)
    return nb, dict(layout="grid", roles={names[0]: "charger"}, loss_labels=False, bath_labels=False)


def _ring():
    from nrqb.beyond.networks import ring

    return ring(6, 0.02, 0.003), dict(layout="ring", coupling_labels=True, bath_labels=False)


def _star_of_chains():
    from nrqb.beyond.networks import star_of_chains

    return star_of_chains(3, 2, 0.02, 0.003), dict(layout="spring", loss_labels=False, bath_labels=False)


def _collective():
    from nrqb import NetworkBuilder

    nb = NetworkBuilder()
    for k in ("a", "b1", "b2", "b3"):
        nb.mode(k, loss=0.003, detuning=0.01 if k == "b2" else 0.0)
    nb.drive("a", 0.01).hop("a", "b1", 0.01).hop("b1", "b2", 0.01).hop("b2", "b3", 0.01)
    nb.shared_bath(0.02, {"a": 1, "b1": 1, "b2": 1, "b3": 1})
    return nb, dict(roles={"a": "charger", "b*": "battery"}, detuning_labels=True, reciprocal_style="line")


def _mechanism(k: int):
    """The four mechanisms of the framework chapter at their nonreciprocal points."""
    from nrqb.beyond.framework import mechanisms

    m = list(mechanisms().values())[k]
    net = m.build(m.nr_phase)
    names = ["a", "b", "c"][: net.n_modes]
    kw = dict(names=names, roles={"a": "charger", "b": "battery", "c*": "auxiliary"},
              eliminate=names[2:], loss_labels=False, bath_labels=False)
    return net, kw


def examples() -> dict[str, Callable[[], tuple]]:
    """``name -> make()`` returning ``(model, draw_network keyword arguments, figure width in inches)``."""
    half, full = BOOK_WIDTH / 2, BOOK_WIDTH
    return {
        "ahmadi_fig1": lambda: (*_ahmadi(), half),
        "ahmadi_fig1_reversed": lambda: (*_ahmadi(True), half),
        "zhao_fig1a": lambda: (*_zhao_triangle(), half),
        "zhao_fig1a_reversed": lambda: (*_zhao_triangle(True), half),
        "zhao_fig1b": lambda: (*_zhao("cascaded"), full),
        "zhao_fig1b_reversed": lambda: (*_zhao("cascaded", reverse=True), full),
        "zhao_fig1c": lambda: (*_zhao("parallel"), half),
        "lin_fig1": lambda: (*_lin(), half),
        "lin_fig1_reversed": lambda: (*_lin(True), half),
        "liu_fig1a": lambda: (*_liu("cascade"), full),
        "liu_fig1a_reversed": lambda: (*_liu("cascade", reverse=True), full),
        "liu_fig1b": lambda: (*_liu("parallel"), half),
        "lattice_5x5": lambda: (*_lattice(), full),
        "ring_6": lambda: (*_ring(), half),
        "star_of_chains": lambda: (*_star_of_chains(), half),
        "collective_bath": lambda: (*_collective(), full),
        **{f"framework_{k}": (lambda k=k: (*_mechanism(k), half)) for k in range(4)},
    }


def draw_example(name: str):
    """Draw one example in a figure sized by ``draw_network``; returns ``(figure, NetworkSchematic)``."""
    import matplotlib.pyplot as plt

    from nrqb.book.plotting import use_style
    from nrqb.book.schematics import draw_network

    use_style()
    model, kw, width = examples()[name]()
    s = draw_network(model, **kw)
    return s.ax.figure, s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNGs (created)")
    parser.add_argument("--only", nargs="*", help="names of examples to draw (default: all)")
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    args.outdir.mkdir(parents=True, exist_ok=True)
    names = args.only or list(examples())
    for name in names:
        t0 = time.perf_counter()
        fig, _ = draw_example(name)
        path = args.outdir / f"{name}.png"
        fig.savefig(path, dpi=args.dpi)
        plt.close(fig)
        print(f"{path}  ({time.perf_counter() - t0:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
