"""Build the whole book as one PDF: ``python tools/build_pdf.py``.

Runs Jupyter Book's LaTeX builder (``jupyter-book build . --builder pdflatex``; the engine is
XeLaTeX, set in ``_config.yml``), which executes every notebook as the HTML build does, then
reports the number of pages, the time taken and every TeX error with the chapter it comes from,
and copies the PDF next to the HTML book (``_build/html/nrqb.pdf``, the target of the download
link in *Running the book yourself*) when that exists.

TeX comes from the system's packages (Debian/Ubuntu)::

    apt-get install -y texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \\
        texlive-xetex latexmk fonts-freefont-otf tex-gyre

TeX runs in non-stop mode and latexmk is forced past errors, so a formula that MathJax accepts
but TeX does not (``E_\\max`` needs braces: ``E_{\\max}``) costs that formula, not the PDF; the
errors are listed so the chapter can be fixed.  Exit status: 0 for a PDF without TeX errors,
1 for a PDF with TeX errors, 2 for no PDF.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["page_count", "tex_errors", "main"]

ROOT = Path(__file__).resolve().parents[1]


def page_count(pdf: Path) -> int:
    """Number of pages of a PDF (``pdfinfo`` when installed, else the page objects counted)."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    data = Path(pdf).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def tex_errors(log: Path, tex: Path) -> list[tuple[str, int, str]]:
    """TeX errors of a LaTeX run: ``(chapter document, line in the .tex, message + context)``.

    The chapter is the last ``\\label{\\detokenize{<doc>:...}}`` that Sphinx wrote before the
    line of the error.
    """
    text = Path(log).read_text(errors="replace").splitlines()
    tex_lines = Path(tex).read_text(errors="replace").splitlines() if Path(tex).exists() else []
    docs: list[tuple[int, str]] = []
    for i, line in enumerate(tex_lines, start=1):
        m = re.search(r"\\label\{\\detokenize\{([^:}]+):", line)
        if m and (not docs or docs[-1][1] != m.group(1)):
            docs.append((i, m.group(1)))
    found = []
    for k, line in enumerate(text):
        if not line.startswith("! "):
            continue
        msg = line[2:].strip()
        lineno = 0
        for nxt in text[k + 1:k + 8]:
            m = re.match(r"l\.(\d+)\s?(.*)", nxt)
            if m:
                lineno = int(m.group(1))
                msg += f"  [{m.group(2).strip()[:70]}]"
                break
        doc = "?"
        for start, name in docs:
            if start <= lineno:
                doc = name
            else:
                break
        if msg.startswith("Emergency stop"):
            continue
        found.append((doc, lineno, msg))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tools/build_pdf.py", description=__doc__.split("\n")[0])
    ap.add_argument("book", nargs="?", type=Path, default=ROOT, help="the book's folder (default: the repository)")
    ap.add_argument("--path-output", type=Path, default=None,
                    help="where _build goes (default: the book's folder), as for jupyter-book")
    ap.add_argument("--config", type=Path, default=None, help="another _config.yml, as for jupyter-book")
    args = ap.parse_args(argv)
    book = args.book.resolve()
    out = (args.path_output or book).resolve()
    cmd = ["jupyter-book", "build", str(book), "--builder", "pdflatex"]
    if args.path_output:
        cmd += ["--path-output", str(out)]
    if args.config:
        cmd += ["--config", str(args.config.resolve())]
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    # the book's Sphinx extension, also when --config points outside the book
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(book / "tools"), env.get("PYTHONPATH")]))
    env["LATEXMKOPTS"] = env.get("LATEXMKOPTS", "") + " -f"
    env["LATEXOPTS"] = env.get("LATEXOPTS", "") + " -interaction=nonstopmode"
    print("$", " ".join(cmd), flush=True)
    tic = time.perf_counter()
    run = subprocess.run(cmd, env=env)
    seconds = time.perf_counter() - tic
    latex = out / "_build" / "latex"
    pdfs = sorted(latex.glob("*.pdf"))
    if not pdfs:
        print(f"no PDF in {latex} (jupyter-book exited with {run.returncode}) after {seconds:.0f} s")
        return 2
    pdf = pdfs[0]
    errors = tex_errors(pdf.with_suffix(".log"), pdf.with_suffix(".tex"))
    html = out / "_build" / "html"
    if html.is_dir():
        shutil.copyfile(pdf, html / pdf.name)
        print(f"copied to {html / pdf.name}")
    print(f"{pdf}: {page_count(pdf)} pages, {pdf.stat().st_size / 1e6:.1f} MB, built in {seconds:.0f} s")
    if errors:
        print(f"{len(errors)} TeX errors (the formula or construct is lost in the PDF; the HTML is unaffected):")
        for doc, lineno, msg in errors:
            print(f"  {doc}: {msg} (line {lineno} of {pdf.with_suffix('.tex').name})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
