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


def alt_text(markdown: str, limit: int = 300) -> str:
    """Plain-text alt text from a figure caption: markup stripped, cut at ``limit`` characters."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", markdown)  # roles -> their text
    text = re.sub(r"[*_`]|\$", "", text)
    text = re.sub(r"\\(mathrm|text|mathcal|operatorname)\b", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " ..."
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
