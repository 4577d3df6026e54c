"""Export every reproduced paper figure as PNG and PDF: ``python -m nrqb.book.figures OUTDIR``.

Each chapter notebook is executed once (nbclient) with the environment variable
``NRQB_EXPORT_DIR`` set and the non-interactive Agg backend, so that
:func:`nrqb.book.plotting.use_style` saves the figures of every cell.  A figure is named after the
caption that follows it in the notebook, ``**Fig. N(...) of Author et al.**``, as
``author_figN.png`` / ``.pdf`` (``author_figN_2`` if a paper figure spans several cells).
Figures that reproduce no paper figure are kept only with ``--all``, as ``<notebook>_extra_K``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["caption_name", "export_notebook", "alt_text", "add_alt_text", "main"]

CAPTION = re.compile(r"\*\*(?:Fig\.|Figure)\s*(\d+)\s*(?:\([^)]*\))?\s*of\s+([A-Z][a-z]+)")
BOOK = Path(__file__).resolve().parents[2] / "book"


def caption_name(markdown: str) -> str | None:
    """``"ahmadi_fig2"`` for a caption ``**Fig. 2(a, b) of Ahmadi et al.** ...``, else ``None``."""
    m = CAPTION.search(markdown)
    if m is None:
        return None
    return f"{m.group(2).lower()}_fig{int(m.group(1))}"


def export_notebook(path: Path, outdir: Path, *, keep_all: bool = False, timeout: int = 600) -> list[Path]:
    """Execute one notebook and write its figures to ``outdir``; return the files written.

    Parameters
    ----------
    path : Path
        The notebook.
    outdir : Path
        Output folder (created).
    keep_all : bool
        Also keep figures that reproduce no paper figure.
    timeout : int
        Per-cell timeout in seconds.
    """
    import nbformat
    from nbclient import NotebookClient

    outdir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        env_backup = {k: os.environ.get(k) for k in ("NRQB_EXPORT_DIR", "MPLBACKEND")}
        os.environ["NRQB_EXPORT_DIR"] = tmp
        os.environ["MPLBACKEND"] = "Agg"
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            for k, v in env_backup.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        written: list[Path] = []
        used: dict[str, int] = {}
        extra = 0
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for count, idx in enumerate(code_cells, start=1):
            produced = sorted(Path(tmp).glob(f"_cell{count:03d}_*.png"))
            if not produced:
                continue
            follow = nb.cells[idx + 1].source if idx + 1 < len(nb.cells) and nb.cells[idx + 1].cell_type == "markdown" else ""
            name = caption_name(follow)
            if name is None:
                if not keep_all:
                    continue
                extra += 1
                name = f"{path.stem}_extra_{extra}"
            for png in produced:
                used[name] = used.get(name, 0) + 1
                stem = name if used[name] == 1 else f"{name}_{used[name]}"
                for ext in ("png", "pdf"):
                    src = png.with_suffix(f".{ext}")
                    dst = outdir / f"{stem}.{ext}"
                    shutil.copyfile(src, dst)
                    written.append(dst)
    return written


#: LaTeX commands read out in alt text (Greek letters and a few symbols); other commands are dropped
_SPOKEN = {
    "approx": "approximately", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=", "propto": "proportional to",
    "to": "to", "rightarrow": "to", "infty": "infinity", "times": "x", "cdot": "x", "pm": "+/-",
    "dagger": "dagger", "hbar": "hbar", "ell": "l", "partial": "d", "sqrt": "square root of",
}
_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
          "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()


def _plain_math(tex: str) -> str:
    """A formula as words: ``\\Gamma_a = 0.04\\,\\omega`` -> ``Gamma_a = 0.04 omega``."""
    tex = re.sub(r"\\(?:mathrm|text|mathcal|operatorname|mathbf|boldsymbol|mathit|textrm)\s*", "", tex)
    tex = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b", "", tex)
    tex = re.sub(r"\\[,;:! ]", " ", tex)
    tex = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", tex)

    def word(m):
        name = m.group(1)
        if name in _GREEK:
            return name
        return _SPOKEN.get(name, "")

    tex = re.sub(r"\\([A-Za-z]+)", lambda m: " " + word(m) + " ", tex)
    tex = tex.replace("{", "").replace("}", "").replace("\\", " ")
    tex = re.sub(r"\s*([_^])\s*", r"\1", tex)
    tex = re.sub(r"\s+([/)\]])", r"\1", tex)
    tex = re.sub(r"([(\[/])\s+", r"\1", tex)
    return re.sub(r"\s+", " ", tex).strip()


def alt_text(markdown: str, limit: int = 250) -> str:
    """Plain-language alt text drafted from a figure caption: no markup, no LaTeX, no label names.

    Roles become their text (``{doc}`Methods <methods>``` -> ``Methods``), references to the
    book's equations are dropped (their label names mean nothing to a reader), formulas become
    words (``$\\Gamma = 0.04\\,\\omega$`` -> ``Gamma = 0.04 omega``), and the text is cut at
    ``limit`` characters on a word boundary.  A draft: the author reads and improves it.
    """
    text = re.sub(r"\s*(?:\(|,\s*)?\{(?:eq|numref)\}`[^`]*`\)?", "", markdown)  # equation references: dropped
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)  # other roles -> their text
    text = re.sub(r"\$\$?(.+?)\$?\$", lambda m: _plain_math(m.group(1)), text, flags=re.S)
    text = re.sub(r"[*_`]{2,}|(?<!\w)[*`]|[*`](?!\w)", "", text)
    text = text.replace("`", "")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    if len(text) > limit:
        text = text[:limit - 4].rsplit(" ", 1)[0].rstrip(",;:") + " ..."
    return text


def add_alt_text(path: Path) -> int:
    """Give every figure output of a notebook alt text taken from the caption that follows it.

    Sets the cell metadata ``mystnb.image.alt``, which myst-nb puts on the rendered ``<img>``.
    Returns the number of cells changed.  Cells that already have alt text are left alone.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        has_image = any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if not has_image or cell.metadata.get("mystnb", {}).get("image", {}).get("alt"):
            continue
        nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        prv = nb.cells[i - 1] if i > 0 else None
        source = nxt.source if nxt is not None and nxt.cell_type == "markdown" else (
            prv.source if prv is not None and prv.cell_type == "markdown" else "")
        if not source:
            continue
        cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt_text(source)
        changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nrqb.book.figures", description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path, nargs="?", default=Path("figures"))
    ap.add_argument("--book", type=Path, default=BOOK, help="folder of the chapter notebooks")
    ap.add_argument("--only", nargs="*", help="notebook stems to export (default: all)")
    ap.add_argument("--all", action="store_true", help="also export figures that reproduce no paper figure")
    ap.add_argument("--alt-text", action="store_true",
                    help="instead of exporting, give every figure of the notebooks alt text from its caption")
    args = ap.parse_args(argv)
    if args.alt_text:
        for nb in sorted(args.book.glob("*.ipynb")):
            print(f"{nb.name}: alt text added to {add_alt_text(nb)} figures")
        return 0
    notebooks = sorted(args.book.glob("*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if p.stem in args.only]
    total = 0
    for nb in notebooks:
        tic = time.perf_counter()
        files = export_notebook(nb, args.outdir, keep_all=args.all)
        total += len(files) // 2
        print(f"{nb.name}: {len(files) // 2} figures in {time.perf_counter() - tic:.0f} s", flush=True)
    print(f"{total} figures written to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
