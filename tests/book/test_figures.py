"""Tests of the figure export (python -m nrqb.book.figures) and the plotting style."""

import nbformat
import pytest

from nrqb.book.figures import caption_name, export_notebook, main


@pytest.mark.parametrize(
    "text, name",
    [
        ("**Fig. 2(a, b) of Ahmadi et al.** Gamma = 0.04", "ahmadi_fig2"),
        ("**Fig. 1(a–c) of Zhao et al.** (a) one triangle", "zhao_fig1"),
        ("**Fig. 5 of Ahmadi et al. (arXiv).** kappa_a = 0.05", "ahmadi_fig5"),
        ("**Figure 12 of Liu et al.**", "liu_fig12"),
        ("**Beyond the paper: explicit triangles**", None),
        ("The figure compares Fig. 2 of Ahmadi et al. with qutip", None),
    ],
)
def test_caption_name(text, name):
    assert caption_name(text) == name


def test_export_names_paper_figures_and_skips_the_rest(tmp_path):
    code = ("import matplotlib.pyplot as plt\nfrom nrqb.book.plotting import use_style\nuse_style()\n"
            "fig, ax = plt.subplots()\nax.plot([0, 1], [0, {k}])\nplt.show()")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(code.format(k=1)),
        nbformat.v4.new_markdown_cell("**Fig. 3(a) of Lin et al.** parameters"),
        nbformat.v4.new_code_cell(code.format(k=2)),
        nbformat.v4.new_markdown_cell("An extra figure, not in the paper."),
        nbformat.v4.new_code_cell(code.format(k=3)),
        nbformat.v4.new_markdown_cell("**Fig. 3(b) of Lin et al.**"),
    ])
    path = tmp_path / "toy.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "figs"
    written = export_notebook(path, out)
    names = sorted(p.name for p in written)
    assert names == ["lin_fig3.pdf", "lin_fig3.png", "lin_fig3_2.pdf", "lin_fig3_2.png"]
    assert (out / "lin_fig3.pdf").read_bytes()[:4] == b"%PDF"
    written_all = export_notebook(path, tmp_path / "all", keep_all=True)
    assert "toy_extra_1.png" in {p.name for p in written_all}
    assert main([str(tmp_path / "cli"), "--book", str(tmp_path)]) == 0
    assert (tmp_path / "cli" / "lin_fig3.png").exists()


def test_use_style_sets_white_background():
    import matplotlib as mpl

    from nrqb.book.plotting import use_style

    use_style()
    assert mpl.rcParams["figure.facecolor"] == "white"
    assert mpl.rcParams["savefig.transparent"] is False


def test_alt_text_strips_markup_and_is_attached(tmp_path):
    from nrqb.book.figures import add_alt_text, alt_text

    cap = r"**Fig. 2(a) of Ahmadi et al.** Energies with $\Gamma = 0.04\,\omega$, see {eq}`eq-x` and {doc}`Methods <methods>`."
    text = alt_text(cap)
    assert text == "Fig. 2(a) of Ahmadi et al. Energies with Gamma = 0.04 omega, see and Methods."
    assert alt_text(r"$\frac{E_B}{\omega} \approx \kappa_{a}^{2}$") == "(E_B)/(omega) approximately kappa_a^2"
    long = alt_text("word " * 100)
    assert len(long) <= 250 and long.endswith(" ...")
    cell = nbformat.v4.new_code_cell("1")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell(cap)])
    path = tmp_path / "alt.ipynb"
    nbformat.write(nb, path)
    assert add_alt_text(path) == 1
    assert add_alt_text(path) == 0  # idempotent
    alt = nbformat.read(path, 4).cells[0].metadata["mystnb"]["image"]["alt"]
    assert alt == text
