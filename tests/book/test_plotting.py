"""Tests of the book's figure style: figures are shown with text of at least 8 pt."""

import base64
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from nrqb.book import plotting  # noqa: E402
from nrqb.book.plotting import (  # noqa: E402
    CSS_DPI,
    MAX_WIDTH_IN,
    MIN_FONT_PT,
    displayed_font_sizes,
    figure_png,
    use_style,
)


@pytest.fixture
def styled():
    with matplotlib.rc_context():
        use_style()
        yield
    plt.close("all")


def _line_figure(width, height=3.0):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.plot([0, 1], [0, 1], label="battery")
    ax.set_xlabel(r"$Jt$")
    ax.set_ylabel(r"$E_B/\omega$")
    ax.legend()
    return fig


def test_wide_figure_is_laid_out_at_the_column_width_and_restored(styled):
    fig = _line_figure(13, 3.2)
    data, meta = figure_png(fig)
    w_px, h_px = plotting._png_size(data)
    # rendered at 2 x 96 dpi; shown at half its pixels, i.e. at most 8 in of CSS pixels
    assert (meta["width"], meta["height"]) == (round(w_px / 2), round(h_px / 2))
    assert 0.9 * MAX_WIDTH_IN * CSS_DPI < meta["width"] <= (MAX_WIDTH_IN + 0.2) * CSS_DPI + 1
    assert meta["width"] <= 784  # the text column at a 1400-px window
    # aspect ratio kept (tight bounding box trims a few pixels only)
    assert meta["height"] / meta["width"] == pytest.approx(3.2 / 13, rel=0.15)
    assert tuple(fig.get_size_inches()) == (13.0, 3.2)


def test_narrow_figure_keeps_its_size(styled):
    fig = _line_figure(5, 3)
    _, meta = figure_png(fig)
    assert 0.85 * 5 * CSS_DPI < meta["width"] <= 5.2 * CSS_DPI + 1
    _, meta3 = figure_png(fig, pixel_ratio=3)
    assert abs(meta3["width"] - meta["width"]) <= 2


def test_displayed_font_sizes_follow_the_column(styled):
    fig = _line_figure(13, 3.2)
    sizes = displayed_font_sizes(fig)  # shown 7.9 in wide in a 784-px column: true size
    assert sizes[0] == 9.0 and sizes[-1] == 10.0
    # a 379.2-px column (a phone) shows a 7.9-in (758.4-px) figure at half size
    half = displayed_font_sizes(fig, column_px=379.2)
    assert half[0] == pytest.approx(4.5, rel=1e-12) and half[-1] == pytest.approx(5.0, rel=1e-12)
    # a 4-in figure fits a 384-px column: true size again
    small = _line_figure(4, 3)
    assert displayed_font_sizes(small, column_px=384)[0] == 9.0


def test_style_fonts_are_readable_and_small_text_is_detected(styled):
    fig = _line_figure(9, 3)
    assert min(displayed_font_sizes(fig)) >= MIN_FONT_PT
    fig.axes[0].text(0.5, 0.5, "inset", fontsize=6)
    assert min(displayed_font_sizes(fig)) == 6.0


@pytest.mark.parametrize("kwargs, name", [
    ({"max_width_in": -1.0}, "max_width_in"),
    ({"max_width_in": math.nan}, "max_width_in"),
    ({"pixel_ratio": 4}, "pixel_ratio"),
    ({"pixel_ratio": 2.0}, "pixel_ratio"),
    ({"pixel_ratio": True}, "pixel_ratio"),
])
def test_figure_png_rejects_bad_input(styled, kwargs, name):
    fig = _line_figure(5)
    with pytest.raises(ValueError, match=name):
        figure_png(fig, **kwargs)


def test_png_size_rejects_other_data():
    with pytest.raises(ValueError, match="PNG"):
        plotting._png_size(b"GIF89a" + b"\0" * 30)


def test_kernel_shows_figures_at_true_size_with_metadata(monkeypatch):
    """In a Jupyter kernel, use_style() makes figures display through figure_png."""
    from nbclient import NotebookClient

    # the kernel inherits the environment: a caller's MPLBACKEND=Agg (the mutation tool sets it)
    # would replace the kernel's inline backend, which is what this test is about
    monkeypatch.delenv("MPLBACKEND", raising=False)

    code = ("import matplotlib.pyplot as plt\nfrom nrqb.book.plotting import use_style\nuse_style()\n"
            "fig, ax = plt.subplots(figsize=(13, 3.2))\nax.plot([0, 1], [0, 1])\nplt.show()")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=600, startup_timeout=600, kernel_name="python3").execute()
    (out,) = [o for o in nb.cells[0].outputs if "image/png" in o.get("data", {})]
    meta = out["metadata"]["image/png"]
    w_px, _ = plotting._png_size(base64.b64decode(out["data"]["image/png"]))
    assert meta["width"] == round(w_px / 2)
    assert meta["width"] <= 784


def test_panel_label_reads_at_the_upper_left(styled):
    from nrqb.book.plotting import panel_label

    fig, ax = plt.subplots()
    panel_label(ax, "b")
    (text,) = ax.texts
    assert text.get_text() == "(b)"
    assert text.get_transform() == ax.transAxes and text.get_position() == (0.02, 0.96)
    assert text.get_fontsize() >= MIN_FONT_PT


# --- figure_png draws once and cuts the tight box from the pixels (instead of savefig's two draws) ---

def _ink(png: bytes) -> float:
    """Total darkness of a PNG (sum of 1 - grey level): what is drawn, independent of its position."""
    import io

    import numpy as np
    from PIL import Image

    return float((255 - np.asarray(Image.open(io.BytesIO(png)).convert("L"), float)).sum() / 255)


def _ink_margins(png: bytes, level: int = 128) -> tuple[int, int, int, int]:
    """Rows above, and columns left of, right of and rows below the dark drawing (grey < level):
    where the picture sits in the cut image."""
    import io

    import numpy as np
    from PIL import Image

    dark = np.asarray(Image.open(io.BytesIO(png)).convert("L")) < level
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    return int(rows[0]), int(dark.shape[0] - 1 - rows[-1]), int(cols[0]), int(dark.shape[1] - 1 - cols[-1])


def _savefig_tight(fig, dpi=2 * CSS_DPI):
    """The reference route: matplotlib's own tight bounding box (two draws), at the book's width."""
    import io

    w, h = fig.get_size_inches()
    if w > MAX_WIDTH_IN:
        fig.set_size_inches(MAX_WIDTH_IN, h * MAX_WIDTH_IN / w)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor=fig.get_facecolor())
    return buf.getvalue()


def _log_legend_figure(legend=True):
    fig, axs = plt.subplots(1, 2, figsize=(9, 3))
    for ax in axs:
        ax.plot([1, 10, 100], [1, 3, 2], label="battery")
        ax.set_xscale("log")
        ax.set_xlabel(r"$Jt$")
        ax.set_ylabel(r"$E_B/\omega$")
        if legend:
            ax.legend()
    fig.suptitle("title")
    return fig


def _colorbar_figure():
    import numpy as np

    fig, ax = plt.subplots(figsize=(5, 4))
    fig.colorbar(ax.imshow(np.arange(20.0).reshape(4, 5)), ax=ax, label="E")
    return fig


def _no_layout_figure():
    fig, ax = plt.subplots(figsize=(5, 4), layout="none")
    ax.plot([0, 1], [0, 1])
    fig.subplots_adjust(left=0.3, right=0.6, bottom=0.3, top=0.7)  # wide white margins to cut away
    return fig


@pytest.mark.parametrize("make", [_log_legend_figure, _colorbar_figure, _no_layout_figure])
def test_single_draw_gives_the_tight_box_of_savefig(styled, make):
    """Same picture as savefig(bbox_inches='tight') on a twin figure: size to 2 px, ink to 0.2 %.

    The two routes place the box on the pixel grid differently (sub-pixel), so pixels are not
    compared one by one; a missing legend changes the ink by 6 % (checked below), a missing or
    uncut margin changes the size by tens of pixels."""
    new = figure_png(make())[0]
    ref = _savefig_tight(make())
    (wn, hn), (wr, hr) = plotting._png_size(new), plotting._png_size(ref)
    assert abs(wn - wr) <= 2 and abs(hn - hr) <= 2
    assert _ink(new) == pytest.approx(_ink(ref), rel=2e-3)
    # and the drawing sits where savefig puts it: the margins to the dark ink agree to 2 px on all
    # four sides (a box shifted by 3 px or more, or a pad lost on one side, fails)
    assert max(abs(a - b) for a, b in zip(_ink_margins(new), _ink_margins(ref))) <= 2


def test_ink_margins_see_a_shifted_cut(styled):
    """The margin check above has teeth: the same picture cut 3 px further right (3 columns off
    the left, 3 white ones added on the right: same size, same ink) is caught."""
    import io

    import numpy as np
    from PIL import Image

    png = figure_png(_colorbar_figure())[0]
    rgba = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    moved = np.concatenate([rgba[:, 3:], np.full_like(rgba[:, :3], 255)], axis=1)
    buf = io.BytesIO()
    Image.fromarray(moved).save(buf, format="png")
    a, b = _ink_margins(png), _ink_margins(buf.getvalue())
    assert plotting._png_size(png) == plotting._png_size(buf.getvalue())
    assert max(abs(x - y) for x, y in zip(a, b)) == 3


def test_ink_comparison_sees_a_missing_legend(styled):
    with_legend, without = figure_png(_log_legend_figure())[0], figure_png(_log_legend_figure(False))[0]
    assert abs(_ink(with_legend) / _ink(without) - 1) > 0.03


@pytest.mark.parametrize("x, ha", [(1.02, "left"), (1.6, "left"), (1.004, "right")])
def test_artist_outside_the_canvas_falls_back_to_savefig(styled, x, ha):
    """A text partly, one wholly, and one by only 0.02 in (its right end) outside the canvas."""
    fig = _line_figure(5, 3)
    fig.text(x, 0.5, "outside the canvas", ha=ha)
    assert plotting._render_tight(fig, 2 * CSS_DPI) is None
    data, meta = figure_png(fig)
    # the tight box grew to the text: wider than the 5-in canvas, as savefig shows it
    assert meta["width"] > 5.2 * CSS_DPI or (ha == "right" and meta["width"] > 5.0 * CSS_DPI)
    twin = _line_figure(5, 3)
    twin.text(x, 0.5, "outside the canvas", ha=ha)
    assert abs(plotting._png_size(data)[0] - plotting._png_size(_savefig_tight(twin))[0]) <= 2


def test_transparent_face_falls_back_to_savefig(styled):
    fig = _line_figure(5, 3)
    fig.patch.set_alpha(0.0)
    assert plotting._render_tight(fig, 2 * CSS_DPI) is None
    assert figure_png(fig)[1]["width"] > 0


def test_invisible_face_falls_back_to_savefig(styled):
    """With the figure's patch not drawn the picture is transparent around the axes, as savefig
    gives it; cutting the canvas would pad it with an opaque face."""
    import io

    import numpy as np
    from PIL import Image

    fig = _line_figure(5, 3)
    fig.patch.set_visible(False)
    assert plotting._render_tight(fig, 2 * CSS_DPI) is None
    rgba = np.asarray(Image.open(io.BytesIO(figure_png(fig)[0])).convert("RGBA"))
    assert rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0


def test_figure_without_pyplot(styled):
    """A Figure() made without pyplot has a canvas without a renderer: texts are measured on a
    temporary Agg canvas, and the figure gets its own canvas back."""
    from matplotlib.figure import Figure

    from nrqb.book.plotting import overlapping_texts

    fig = Figure(figsize=(3, 2.5))
    ax = fig.add_subplot()
    ax.set_xlim(-1, 1)
    ax.set_xticks([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter("{x:.2f}")
    canvas = fig.canvas
    assert not hasattr(canvas, "get_renderer")
    assert len(overlapping_texts(fig)) >= 4 and fig.canvas is canvas
    fig.patch.set_alpha(0.0)  # the savefig fallback measures the texts the same way
    with pytest.warns(UserWarning, match="texts overlap"):
        data, meta = figure_png(fig)
    assert meta["width"] > 0 and fig.canvas is canvas


def test_single_draw_leaves_the_figure_as_it_was(styled):
    fig = _line_figure(13, 3.2)
    canvas, dpi = fig.canvas, fig.dpi
    figure_png(fig)
    assert fig.canvas is canvas and fig.dpi == dpi
    assert tuple(fig.get_size_inches()) == (13.0, 3.2)


# --- overlapping texts: crowded tick labels, a panel label over a title ---

def test_crowded_tick_labels_are_found_and_spread_ones_are_not(styled):
    from nrqb.book.plotting import overlapping_texts

    fig, ax = plt.subplots(figsize=(3, 2.5))
    ax.set_xlim(-1, 1)
    ax.set_xticks([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter("{x:.2f}")
    pairs = overlapping_texts(fig)
    assert ("−1.00", "−0.75") in pairs or ("-1.00", "-0.75") in pairs
    ax.set_xticks([-1, 0, 1])
    assert overlapping_texts(fig) == []


def test_ticks_outside_the_axis_range_do_not_count(styled):
    """Locators return ticks beyond the view; matplotlib does not draw their labels."""
    from nrqb.book.plotting import overlapping_texts

    fig, axs = plt.subplots(1, 2, figsize=(6, 2.5))
    for ax in axs:
        ax.plot([0.05, 0.95], [0.05, 0.95])
    assert overlapping_texts(fig) == []


def test_panel_label_over_a_title_is_found(styled):
    from nrqb.book.plotting import overlapping_texts, panel_label

    fig, ax = plt.subplots(figsize=(3, 2.5))
    ax.set_title("a long title that reaches the left edge", loc="left", fontsize=9)
    ax.text(0.0, 1.02, "(b)", transform=ax.transAxes, fontweight="bold")
    assert ("(b)" in {a for a, _ in overlapping_texts(fig)} | {b for _, b in overlapping_texts(fig)})
    fig2, ax2 = plt.subplots(figsize=(3, 2.5))
    panel_label(ax2, "b")  # inside the axes, clear of the title line
    ax2.set_title("title", loc="right")
    assert overlapping_texts(fig2) == []


def test_figure_png_warns_on_overlapping_texts(styled):
    fig, ax = plt.subplots(figsize=(3, 2.5))
    ax.set_xlim(-1, 1)
    ax.set_xticks([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    ax.xaxis.set_major_formatter("{x:.2f}")
    with pytest.warns(UserWarning, match="texts overlap"):
        figure_png(fig)
    ax.set_xticks([-1, 0, 1])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure_png(fig)


def test_overlapping_texts_rejects_bad_width(styled):
    from nrqb.book.plotting import overlapping_texts

    with pytest.raises(ValueError, match="max_width_in"):
        overlapping_texts(_line_figure(4), max_width_in=0.0)


# --- in the book's batch runs (NRQB_FAST_EXIT set), use_style freezes the heap now and at exit ---

def test_use_style_outside_ipython_leaves_the_collector_alone(styled, monkeypatch):
    import gc

    monkeypatch.setenv(plotting.FAST_EXIT_ENV, "1")
    use_style()
    assert gc.get_freeze_count() == 0
    assert plotting._HEAP_FROZEN is False


def test_use_style_in_a_terminal_ipython_leaves_the_collector_alone():
    """An IPython shell without a kernel (terminal IPython) is a reader's session: nothing frozen."""
    import os
    import subprocess
    import sys

    code = ("from IPython.core.interactiveshell import InteractiveShell\nInteractiveShell.instance()\n"
            "import gc\nfrom nrqb.book.plotting import use_style\nuse_style()\n"
            "print('frozen', gc.get_freeze_count())")
    env = {**os.environ, "MPLBACKEND": "Agg", plotting.FAST_EXIT_ENV: "1"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "frozen 0" in r.stdout


def test_use_style_in_a_kernel_freezes_only_when_asked_now_and_at_exit(tmp_path, monkeypatch):
    """In a Jupyter kernel: nothing without NRQB_FAST_EXIT or with it "0"; with "1", the objects
    alive are frozen, a second call adds no atexit handler, and at exit what was made later is
    frozen too (a probe registered before use_style runs after its handler: atexit is last in,
    first out)."""
    from nbclient import NotebookClient

    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.delenv(plotting.FAST_EXIT_ENV, raising=False)
    report = tmp_path / "at_exit.txt"
    code = f"""
import atexit, gc, os
state = {{}}
def probe():
    with open({str(report)!r}, "w") as f:
        f.write(f"at exit frozen {{gc.get_freeze_count() >= state['made']}}")
atexit.register(probe)
import matplotlib.pyplot as plt
from nrqb.book.plotting import use_style
use_style()
n_unset = gc.get_freeze_count()
os.environ["NRQB_FAST_EXIT"] = "0"
use_style()
n_zero = gc.get_freeze_count()
os.environ["NRQB_FAST_EXIT"] = "1"
h0 = atexit._ncallbacks()
use_style()
n1, h1 = gc.get_freeze_count(), atexit._ncallbacks()
use_style()
print("unset", n_unset, "zero", n_zero, "frozen now", n1 > 50000, "handlers added", h1 - h0,
      "again", atexit._ncallbacks() - h1)
junk = [[i] for i in range(200000)]
state["made"] = n1 + 190000  # frozen temporaries freed since may lower the count a little
"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=600, startup_timeout=600, kernel_name="python3").execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "unset 0 zero 0 frozen now True handlers added 1 again 0" in out
    assert report.read_text() == "at exit frozen True"
