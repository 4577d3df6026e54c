"""One plotting style for the whole book: white background, colour-blind-safe, print-safe.

Use :func:`use_style` once per notebook, then the colours and line styles below.  Figures keep
a white face even in dark mode, label axes with units (``E/\\omega``, ``Jt``) and put the paper's
figure number in the caption.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

__all__ = ["COLORS", "LINESTYLES", "MARKERS", "use_style", "panel_label", "schematic"]

#: Okabe-Ito palette (colour-blind safe), in the order lines are drawn
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
#: line styles that survive grey-scale printing, in the same order
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)), "-", "--"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def use_style() -> None:
    """Set the book's matplotlib style (white faces, Okabe-Ito cycle with line styles)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "font.size": 10,
            "axes.labelsize": 10,
            "legend.fontsize": 8,
            "legend.frameon": False,
            "axes.grid": False,
            "lines.linewidth": 1.6,
            "axes.prop_cycle": cycler(color=COLORS[:6]) + cycler(linestyle=LINESTYLES[:6]),
            "figure.constrained_layout.use": True,
        }
    )
    if os.environ.get(EXPORT_ENV):
        _register_export_hook(os.environ[EXPORT_ENV])


#: environment variable that makes :func:`use_style` save every figure (see :mod:`nrqb.book.figures`)
EXPORT_ENV = "NRQB_EXPORT_DIR"


def _register_export_hook(outdir: str) -> None:
    """In an IPython kernel, save the figures of each cell as PNG and PDF, named by execution count."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is None or getattr(ip, "_nrqb_export_hook", False):
        return
    import matplotlib.pyplot as plt

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)

    def save_open_figures(result=None):
        count = getattr(result, "execution_count", None) or ip.execution_count
        for i, num in enumerate(plt.get_fignums()):
            fig = plt.figure(num)
            for ext in ("png", "pdf"):
                fig.savefig(out / f"_cell{count:03d}_{i}.{ext}", facecolor="white")
            plt.close(fig)

    ip.events.register("post_run_cell", save_open_figures)
    ip._nrqb_export_hook = True


def panel_label(ax, label: str) -> None:
    """Write ``(a)``, ``(b)``, ... in the upper-left corner of an axis."""
    ax.text(0.02, 0.96, f"({label})", transform=ax.transAxes, va="top", ha="left", fontweight="bold",
            zorder=10, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))


def schematic(ax, nodes: dict[str, tuple[float, float]], *, coherent: Sequence[tuple[str, str]] = (),
              directed: Sequence[tuple[str, str]] = (), dissipative: Sequence[tuple[str, ...]] = (),
              drives: Sequence[str] = (), losses: Sequence[str] = (), labels: dict[str, str] | None = None,
              node_colors: dict[str, str] | None = None) -> None:
    """Draw a network schematic: modes as circles, links as lines and arrows.

    Parameters
    ----------
    ax : matplotlib Axes
    nodes : dict
        ``name -> (x, y)`` positions.
    coherent : pairs
        Coherent (reciprocal) hops, drawn as double-headed grey lines.
    directed : pairs
        Nonreciprocal links ``src -> dst``, drawn as bold arrows.
    dissipative : tuples
        Modes coupled to one shared reservoir, drawn as dashed lines to a reservoir box.
    drives : names
        Driven modes (a wavy arrow from the left).
    losses : names
        Modes with local loss (a small downward arrow).
    labels : dict, optional
        Text inside each node (default: the name).
    node_colors : dict, optional
        Face colour per node.
    """
    import numpy as np

    labels = labels or {}
    node_colors = node_colors or {}
    r = 0.28
    for a, b in coherent:
        (x1, y1), (x2, y2) = nodes[a], nodes[b]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops=dict(arrowstyle="<->", color="0.4", lw=1.4, shrinkA=18, shrinkB=18))
    both = {frozenset(p) for p in coherent}
    for a, b in directed:
        (x1, y1), (x2, y2) = nodes[a], nodes[b]
        # a one-way link that shares its pair with a coherent hop is drawn as an arc above it
        rad = -0.35 if frozenset((a, b)) in both else 0.0
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                    arrowprops=dict(arrowstyle="-|>", color=COLORS[1], lw=2.4, shrinkA=18, shrinkB=18,
                                    mutation_scale=18, connectionstyle=f"arc3,rad={rad}"))
    for group in dissipative:
        xs = np.array([nodes[g][0] for g in group])
        ys = np.array([nodes[g][1] for g in group])
        bx, by = xs.mean(), ys.min() - 1.0
        ax.add_patch(__import__("matplotlib").patches.FancyBboxPatch(
            (bx - 0.45, by - 0.18), 0.9, 0.36, boxstyle="round,pad=0.02", fc="#E8E8E8", ec="0.3"))
        ax.text(bx, by, "reservoir", ha="center", va="center", fontsize=8)
        for x, y in zip(xs, ys):
            ax.plot([x, bx], [y - r, by + 0.18], ls="--", color=COLORS[2], lw=1.4)
    for name in drives:
        x, y = nodes[name]
        ax.annotate("drive", xy=(x - r, y), xytext=(x - 1.0, y + 0.35), fontsize=8,
                    arrowprops=dict(arrowstyle="-|>", color=COLORS[4], lw=1.6, connectionstyle="arc3,rad=-0.3"))
    for name in losses:
        x, y = nodes[name]
        ax.annotate("", xy=(x + 0.45, y + 0.7), xytext=(x + 0.18, y + r),
                    arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.4, mutation_scale=12))
        ax.text(x + 0.5, y + 0.72, "loss", fontsize=7, color="0.35", va="bottom")
    for name, (x, y) in nodes.items():
        ax.add_patch(__import__("matplotlib").patches.Circle(
            (x, y), r, fc=node_colors.get(name, "#DCEBF7"), ec="black", lw=1.2, zorder=3))
        ax.text(x, y, labels.get(name, name), ha="center", va="center", zorder=4, fontsize=10)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
