"""One plotting style for the whole book: white background, colour-blind-safe, print-safe, readable.

Use :func:`use_style` once per notebook, then the colours and line styles below.  Figures keep
a white face even in dark mode, label axes with units (``E/\\omega``, ``Jt``) and put the paper's
figure number in the caption.

Readable text.  A figure of width ``W`` inches whose text is ``s`` points is shown in the book at
``s * min(1, C / W)`` points, where ``C`` is the width of the text column (784 CSS pixels, about
8.2 in, at a 1400-pixel window; 96 CSS pixels make an inch).  So in a Jupyter kernel
:func:`use_style` makes every figure display through :func:`figure_png`: a figure wider than
:data:`MAX_WIDTH_IN` is laid out again at that width (its text keeps its size in points, so it
grows relative to the axes instead of shrinking on the page), rendered at
``PIXEL_RATIO * 96`` dpi (sharp on high-resolution screens and in print), and shown at its true
size through the PNG's width metadata.  With fonts of at least 8 pt (:data:`MIN_FONT_PT`; the
style's smallest is the legend, 9 pt) no text of a figure is smaller than 8 pt on a desktop.
"""

from __future__ import annotations

import base64
import os
import struct
import warnings
from io import BytesIO
from pathlib import Path

__all__ = ["COLORS", "LINESTYLES", "MARKERS", "MAX_WIDTH_IN", "MIN_FONT_PT", "PIXEL_RATIO",
           "use_style", "figure_png", "displayed_font_sizes", "overlapping_texts", "panel_label"]

#: Okabe-Ito palette (colour-blind safe), in the order lines are drawn
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
#: line styles that survive grey-scale printing, in the same order
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)), "-", "--"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

#: widest figure (inches) shown at its true size: the book's text column is 784 CSS px = 8.17 in,
#: and the tight bounding box adds up to 0.1 in on each side
MAX_WIDTH_IN = 7.9
#: CSS pixels per inch
CSS_DPI = 96
#: PNG pixels per CSS pixel of the figures shown in the book
PIXEL_RATIO = 2
#: smallest font size (points, at the displayed size) that the book accepts in a figure
MIN_FONT_PT = 8.0


def use_style() -> None:
    """Set the book's matplotlib style (white faces, Okabe-Ito cycle with line styles, readable fonts).

    In an IPython kernel also make figures display through :func:`figure_png` (see the module
    docstring), so that no text is shown smaller than 8 pt, and, in the book's batch runs (the
    environment variable ``NRQB_FAST_EXIT`` set), call ``gc.freeze()`` now and at the kernel's
    exit, so that the kernel shuts down in 0.1 s instead of about 0.8 s (the build waits for it;
    see ``_freeze_heap_in_kernel`` in the source for what it costs).
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "figure.dpi": CSS_DPI,
            "savefig.dpi": 200,
            "font.size": 10,
            "axes.labelsize": 10,
            "axes.titlesize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.title_fontsize": 9,
            "figure.titlesize": 11,
            "legend.frameon": False,
            "axes.grid": False,
            "lines.linewidth": 1.6,
            "axes.prop_cycle": cycler(color=COLORS[:6]) + cycler(linestyle=LINESTYLES[:6]),
            "figure.constrained_layout.use": True,
        }
    )
    if os.environ.get(EXPORT_ENV):
        _register_export_hook(os.environ[EXPORT_ENV])
    else:
        _register_inline_png()
    _freeze_heap_in_kernel()


#: environment variable that makes :func:`use_style` freeze the garbage collector's heap in a
#: kernel (``gc.freeze()`` now and at exit).  The book build sets it (through
#: ``tools/nrqb_sphinx.py``), and ``benchmarks/book_time.py``, which times the notebooks as the
#: build runs them; nbval does not (it kills its kernels, so there is no exit to speed up), nor
#: does a reader's session, which is not affected.
FAST_EXIT_ENV = "NRQB_FAST_EXIT"

#: set once :func:`_freeze_heap_in_kernel` has acted in this process
_HEAP_FROZEN = False


def _freeze_heap_in_kernel() -> None:
    """With ``NRQB_FAST_EXIT`` set, in an IPython kernel: ``gc.freeze()`` now and at exit (once).

    ``gc.freeze()`` moves every object alive into a permanent generation that Python's cyclic
    garbage collector skips.  Called now (after the notebook's imports: about 180,000 objects that
    the collector tracks), the full collections during the cells walk only what the notebook made
    since.  Called again from an ``atexit`` handler, it leaves nothing for the collector to walk
    when the process ends: by then a kernel that ran a chapter holds a few hundred thousand
    tracked objects (0.32 million for ``lin``, 0.36 million for ``zhao``, counted once), and
    Python's clean-up at exit (among it a last full collection: 0.18 s freeing 10,687 objects,
    timed once for ``lin``) made each kernel's shutdown, which the book build waits for, take
    0.7-0.9 s on average over the thirteen notebooks (in each of the six runs of the old code in
    the performance chapter); with the freeze it takes 0.11 s, the 0.1 s polling step of
    jupyter_client (``benchmarks/book_time.py``).

    The price: objects in reference cycles are no longer finalized at exit (Python does not
    promise that they are), so a cycle holding a file that was not closed loses its buffered
    data; and whatever is alive at the call (the imported modules, the import cell's objects, any
    garbage of the imports not yet collected) is never collected during the session.  That is
    why this is opt-in: only where the environment variable ``FAST_EXIT_ENV`` names is set to a
    value other than ``""`` or ``"0"`` (the book build and ``book_time.py`` set it), and only in
    an IPython kernel (a shell with a ``kernel``).  Otherwise this does nothing.
    """
    global _HEAP_FROZEN
    if _HEAP_FROZEN or os.environ.get(FAST_EXIT_ENV, "") in ("", "0"):
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    if getattr(get_ipython(), "kernel", None) is None:
        return
    import atexit
    import gc

    gc.freeze()
    atexit.register(gc.freeze)
    _HEAP_FROZEN = True


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("data: not a PNG image")
    return struct.unpack(">II", data[16:24])


def figure_png(fig, *, max_width_in: float = MAX_WIDTH_IN, pixel_ratio: int = PIXEL_RATIO) -> tuple[bytes, dict]:
    """The PNG of ``fig`` as the book shows it, and its display size in CSS pixels.

    A figure wider than ``max_width_in`` inches is laid out again at that width (aspect ratio
    kept; fonts keep their size in points), rendered at ``pixel_ratio * 96`` dpi and cut to its
    tight bounding box padded by ``savefig.pad_inches`` (what ``savefig(bbox_inches="tight")``
    gives), and then restored to its own size.  The metadata ``{"width", "height"}`` (PNG pixels
    divided by ``pixel_ratio``) makes Jupyter and myst-nb show it at its true size.

    The figure is drawn once (layout and rendering in one pass) and
    the tight box is cut from those pixels; ``savefig(bbox_inches="tight")`` draws it twice, the
    second time with a new renderer that measures every text again.  When an artist reaches
    outside the figure (the tight box is larger than the canvas) or the figure's face is not
    opaque or not drawn, cutting cannot give the same picture and this falls back to
    ``savefig(bbox_inches="tight")``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    max_width_in : float
        Largest width shown at true size, inches (positive).
    pixel_ratio : int
        PNG pixels per CSS pixel (1, 2 or 3).

    Returns
    -------
    png : bytes
    metadata : dict
        ``{"width": int, "height": int}`` in CSS pixels.
    """
    from nrqb.engine.validation import positive

    max_width_in = positive(max_width_in, "max_width_in")
    if isinstance(pixel_ratio, bool) or not isinstance(pixel_ratio, int) or pixel_ratio not in (1, 2, 3):
        raise ValueError(f"pixel_ratio must be 1, 2 or 3, got {pixel_ratio!r}")
    w, h = fig.get_size_inches()
    resized = w > max_width_in
    if resized:
        fig.set_size_inches(max_width_in, h * max_width_in / w, forward=False)
    try:
        rendered = _render_tight(fig, CSS_DPI * pixel_ratio)
        if rendered is None:
            buf = BytesIO()
            fig.savefig(buf, format="png", dpi=CSS_DPI * pixel_ratio, bbox_inches="tight",
                        facecolor=fig.get_facecolor())
            data, clashes = buf.getvalue(), overlapping_texts(fig)
        else:
            data, clashes = rendered
    finally:
        if resized:
            fig.set_size_inches(w, h, forward=False)
    if clashes:
        shown = "; ".join(f"{a!r} and {b!r}" for a, b in clashes[:6])
        warnings.warn(f"figure_png: {len(clashes)} pair(s) of texts overlap in the figure as shown: {shown}",
                      stacklevel=2)
    width, height = _png_size(data)
    return data, {"width": int(round(width / pixel_ratio)), "height": int(round(height / pixel_ratio))}


def _render_tight(fig, dpi: float) -> tuple[bytes, list[tuple[str, str]]] | None:
    """PNG of ``fig`` at ``dpi`` cut to its padded tight bounding box, from a single draw, and the
    pairs of texts that overlap in it (:func:`overlapping_texts`).

    Returns None (the caller then uses ``savefig(bbox_inches="tight")``) when the figure's face
    is not opaque or not drawn (its patch invisible), or its tight bounding box is not inside the
    canvas.  The figure keeps its own
    canvas and dpi afterwards.
    """
    import matplotlib as mpl
    import numpy as np
    import matplotlib.image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    face = mpl.colors.to_rgba(fig.get_facecolor())
    if face[3] != 1.0 or not fig.patch.get_visible():
        return None
    own_canvas, own_dpi = fig.canvas, fig.dpi
    canvas = FigureCanvasAgg(fig)  # a fresh canvas: becomes fig.canvas until restored below
    try:
        fig.dpi = dpi
        canvas.draw()  # runs the layout engine, then renders
        # texts are measured with the renderer of this draw (matplotlib caches the metrics per
        # renderer), so the box costs no second layout
        renderer = canvas.get_renderer()
        box = fig.get_tightbbox(renderer)
        clashes = _clashes(fig, renderer)
        rgba = np.asarray(canvas.buffer_rgba())
        height, width = rgba.shape[:2]
        # the tight box must lie inside the canvas (0.5 px of rounding allowed): otherwise some
        # artist was drawn partly or wholly outside it and only a second draw can show it
        tol = 0.5 / dpi
        if not (box.x0 >= -tol and box.y0 >= -tol and box.x1 <= width / dpi + tol
                and box.y1 <= height / dpi + tol):
            return None
        pad = mpl.rcParams["savefig.pad_inches"]
        # pixel columns/rows of the padded box (rows counted from the top)
        c0 = int(np.floor((box.x0 - pad) * dpi))
        c1 = int(np.ceil((box.x1 + pad) * dpi))
        r0 = int(np.floor(height - (box.y1 + pad) * dpi))
        r1 = int(np.ceil(height - (box.y0 - pad) * dpi))
        out = np.empty((r1 - r0, c1 - c0, 4), dtype=np.uint8)
        out[...] = np.round(np.array(face) * 255).astype(np.uint8)  # the pad beyond the canvas
        rs, cs = max(r0, 0), max(c0, 0)
        re, ce = min(r1, height), min(c1, width)
        out[rs - r0:re - r0, cs - c0:ce - c0] = rgba[rs:re, cs:ce]
    finally:
        fig.dpi = own_dpi
        fig.set_canvas(own_canvas)
    buf = BytesIO()
    matplotlib.image.imsave(buf, out, format="png", dpi=dpi)
    return buf.getvalue(), clashes


#: two texts closer than this (points) count as overlapping: they read as one
TEXT_GAP_PT = 1.0


def overlapping_texts(fig, *, max_width_in: float = MAX_WIDTH_IN) -> list[tuple[str, str]]:
    """Pairs of texts of ``fig`` that overlap or touch as the book shows the figure.

    The figure is laid out at the width :func:`figure_png` shows it (at most ``max_width_in``
    inches) and drawn without rendering; then every two visible texts among the drawn tick labels
    (ticks inside the axis range) and axis labels of axes with their axis on, the titles, texts,
    annotations and legend entries of every axes, and the figure's own texts and legends, are
    compared: a pair whose
    extents, each grown by ``TEXT_GAP_PT / 2`` points, intersect is returned.  Crowded tick labels
    ("-1.00-0.75-0.50") and a panel label written over a title are what this catches.
    :func:`figure_png` warns when the list is not empty, and the book's HTML check
    (``tools/check_html.py``, run by CI after the build) fails on a page showing such a warning.
    A figure whose canvas cannot give a renderer (a ``Figure()`` made without pyplot) is measured
    on a temporary Agg canvas, as :func:`figure_png` draws it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    max_width_in : float
        Width (inches, positive) above which the figure is laid out at this width, as shown.

    Returns
    -------
    list of (str, str)
        The texts of each overlapping pair, in drawing order.
    """
    from nrqb.engine.validation import positive

    max_width_in = positive(max_width_in, "max_width_in")
    w, h = fig.get_size_inches()
    resized = w > max_width_in
    if resized:
        fig.set_size_inches(max_width_in, h * max_width_in / w, forward=False)
    own_canvas = fig.canvas
    if not hasattr(own_canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)  # becomes fig.canvas until restored below
    try:
        fig.draw_without_rendering()
        return _clashes(fig, fig.canvas.get_renderer())
    finally:
        fig.set_canvas(own_canvas)
        if resized:
            fig.set_size_inches(w, h, forward=False)


def _clashes(fig, renderer) -> list[tuple[str, str]]:
    """The overlapping pairs of :func:`overlapping_texts`, for a figure just drawn with ``renderer``."""
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():
            if axis.get_visible():
                # the ticks matplotlib draws: those inside the axis range
                texts += [lab for tick in axis._update_ticks() for lab in (tick.label1, tick.label2)]
                texts.append(axis.label)
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    grow = TEXT_GAP_PT / 2 * renderer.dpi / 72
    boxes = []
    for t in texts:
        if t.get_visible() and t.get_text().strip():
            bb = t.get_window_extent(renderer)
            if bb.width > 0 and bb.height > 0:
                boxes.append((t.get_text(), bb.padded(grow)))
    return [(ta, tb) for i, (ta, a) in enumerate(boxes) for tb, b in boxes[i + 1:]
            if min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)]


def displayed_font_sizes(fig, column_px: float = 784.0, *, max_width_in: float = MAX_WIDTH_IN) -> list[float]:
    """Sizes in points at which the texts of ``fig`` appear in the book (sorted, smallest first).

    A figure is shown at ``min(its width, max_width_in, column)`` inches, so a text of ``s`` pt
    appears at ``s * min(1, column_px / (96 * min(W, max_width_in)))`` pt.  Only visible texts
    with content count (tick labels, axis labels, titles, legends, annotations).
    """
    from matplotlib.text import Text

    w = min(fig.get_size_inches()[0], max_width_in)
    scale = min(1.0, column_px / (CSS_DPI * w))
    fig.canvas.draw()  # tick labels exist only after a draw
    sizes = [t.get_fontsize() * scale for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return sorted(sizes)


def _register_inline_png() -> None:
    """In an IPython kernel, display figures as :func:`figure_png` renders them."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # load the backend now: the inline backend installs its own PNG formatter when it is loaded
    # (pyplot loads it lazily, at the first figure), which would replace ours
    try:
        plt._get_backend_mod()
    except AttributeError:  # pragma: no cover (older matplotlib)
        plt.close(plt.figure())

    def png(fig):
        data, meta = figure_png(fig)
        return base64.b64encode(data).decode("ascii"), meta

    ip.display_formatter.formatters["image/png"].for_type(Figure, png)


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
