"""Check the built HTML book as its readers meet it: ``python tools/check_html.py _build/html``.

Static checks (no browser, no network; run by ``.ci/run`` after the book build):

* links and anchors: every local ``href`` and ``src`` points to a file that exists, and every
  ``#anchor`` to an element of that page (the PDF link may be missing: the PDF is built apart);
* math offline: MathJax comes from the book's own ``_static/mathjax`` (and exists there), no page
  loads a script or stylesheet from another site, and no inline script declares a name twice
  (the ``THEBE_JS_URL`` error);
* one search field: the theme's second (top bar) search button is gone;
* no markup errors left in a page (docutils' "problematic" and "system-message" elements);
* no stderr in a page: a cell that wrote to stderr (a warning, among them figure_png's
  overlapping texts) shows its text in a block of class ``output stderr``;
* alt text: every image of a page's content has alt text, without raw LaTeX, without label names,
  at most 300 characters;
* no raw LaTeX in the text a reader sees (a formula outside math, e.g. a link to a section whose
  title has math), and no raw label names ("Eq. (eq-...)", "(fig-...)", unrendered roles
  such as ``{eq}``), nor in the code of the notebooks (legends) or in their printed outputs;
* equation numbers by chapter: every equation number reads ``(c.k)`` with ``c`` the number of
  its chapter, and every reference to an equation shows such a number;
* bibliography: every entry has a link to its identifier (arXiv or DOI).

With ``--browser`` (needs Chromium: ``apt-get install -y chromium``) every page is also loaded
in headless Chromium, offline, at 1400 and 420 px, and the report lists JavaScript errors,
formulas left as raw TeX, and display equations wider than the page (the last are listed, not
failed: they are for the chapters to fix).  Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

__all__ = ["check_site", "check_page", "label_names_in", "latex_in", "main", "NOTEBOOK_ROOT"]

#: label names as the book writes them ("eq-ahmadi-nr", "fig-zhao-1", "sec-x", "ex-y", "tab-z")
LABEL = re.compile(r"(?<![\w/#.-])(?:eq|fig|sec|tab|ex|table|equation)-[a-z0-9]+(?:-[a-z0-9]+)+(?![\w/.-])")
#: a label name in parentheses or after "Eq." ("Eq. (eq-liu-sq-enh)", "(networks-ring)")
LABEL_IN_PARENS = re.compile(r"(?:Eqs?\.|Fig\.|Figure|Table|bound,)\s*\(\s*[a-z][a-z0-9]*(?:-[a-z0-9]+)+\s*\)")
#: unrendered MyST roles
ROLE = re.compile(r"\{(?:eq|ref|doc|numref|cite|glue|glue:text|math)\}`")
#: raw LaTeX in alt text
LATEX = re.compile(r"\\[A-Za-z]+|\$|\^\{|_\{|\\\(|\\\[")
#: a LaTeX command in the text a reader sees (math itself is removed before the search)
RAW_TEX = re.compile(r"\\(?:[a-zA-Z]{2,}|[,;!])(?![a-zA-Z])")
CDN = re.compile(r"^(?:https?:)?//", re.I)
EQNO = re.compile(r"^\((\d+)\.(\d+)\)$")
MAX_ALT = 300
NOTEBOOK_ROOT = Path(__file__).resolve().parents[1] / "book"
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", "jupyter_execute"}
#: files that may be missing: the PDF is built by tools/build_pdf.py, not by the HTML build
OPTIONAL_TARGETS = {"nrqb.pdf"}


def latex_in(text: str) -> list[str]:
    """Fragments of raw LaTeX in a text (``\\omega``, ``$``, ``^{``)."""
    return LATEX.findall(text)


def label_names_in(text: str) -> list[str]:
    """Label names and unrendered roles in a text a reader sees."""
    return LABEL_IN_PARENS.findall(text) + LABEL.findall(text) + ROLE.findall(text)


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if not (set(p.relative_to(root).parts[:-1]) & SKIP_DIRS))


class Site:
    """Parsed pages and their element ids, loaded on demand."""

    def __init__(self, root: Path):
        self.root = root
        self._soup: dict[Path, BeautifulSoup] = {}
        self._ids: dict[Path, set[str]] = {}

    def soup(self, path: Path) -> BeautifulSoup:
        if path not in self._soup:
            self._soup[path] = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser")
        return self._soup[path]

    def ids(self, path: Path) -> set[str]:
        if path not in self._ids:
            s = self.soup(path)
            self._ids[path] = {t["id"] for t in s.find_all(id=True)} | {t["name"] for t in s.find_all("a", attrs={"name": True})}
        return self._ids[path]


def _visible_text(soup: BeautifulSoup) -> str:
    """Text of the article as a reader sees it: no scripts, styles, code, or hidden inputs' code."""
    art = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    art = BeautifulSoup(str(art), "html.parser")
    for tag in art.find_all(["script", "style", "pre", "code", "noscript"]):
        tag.decompose()
    for tag in art.select("div.math, span.math, mjx-container"):
        tag.decompose()
    return art.get_text(" ", strip=True)


def _chapter_number(soup: BeautifulSoup) -> str | None:
    h1 = soup.find("h1")
    if h1 is None:
        return None
    num = h1.find("span", class_="section-number")
    if num is None:
        return None
    return num.get_text().strip().rstrip(".").split(".")[0]


def check_page(site: Site, page: Path) -> dict[str, list[str]]:
    """All static checks of one page: ``{check name: [problems]}``."""
    soup = site.soup(page)
    rel = page.relative_to(site.root).as_posix()
    errs: dict[str, list[str]] = defaultdict(list)
    # --- links, anchors, sources
    for tag, attr in (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")):
        for el in soup.find_all(tag, attrs={attr: True}):
            url = el[attr]
            if CDN.match(url) or url.startswith(("mailto:", "data:", "javascript:")):
                if tag in ("script", "link") and CDN.match(url) and (tag == "script" or "stylesheet" in el.get("rel", [])):
                    errs["no CDN"].append(f"<{tag}> loads {url}")
                continue
            parts = urlsplit(url)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if parts.path and not target.exists():
                if target.name in OPTIONAL_TARGETS:
                    continue
                errs["links"].append(f"{tag} {attr}={url}: no such file")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in site.ids(target):
                errs["anchors"].append(f"{url}: no element with id {parts.fragment!r}")
    # --- MathJax from the book, inline scripts
    has_math = bool(soup.select("span.math, div.math"))
    mj = [s["src"] for s in soup.find_all("script", src=True) if "mathjax" in s["src"].lower()]
    if has_math:
        if not mj:
            errs["MathJax local"].append("page has math but loads no MathJax")
        for src in mj:
            if CDN.match(src) or "_static/mathjax/" not in src:
                errs["MathJax local"].append(f"MathJax from {src}, not from the book's _static/mathjax")
            elif not (page.parent / src.split("?")[0]).resolve().exists():
                errs["MathJax local"].append(f"{src} missing")
    declared: dict[str, int] = defaultdict(int)
    for s in soup.find_all("script", src=False):
        for name in re.findall(r"\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=", s.get_text()):
            declared[name] += 1
    for name, n in declared.items():
        if n > 1:
            errs["scripts"].append(f"{name} declared {n} times in inline scripts (a JavaScript error)")
    for bad in soup.select(".problematic, div.system-message"):
        errs["markup errors"].append(f"docutils error in the page: {bad.get_text(' ', strip=True)[:90]!r}")
    for out in soup.select("div.output.stderr"):
        errs["stderr"].append(f"a cell wrote to stderr: {out.get_text(' ', strip=True)[:120]!r}")
    # --- one search field
    if soup.select(".navbar-persistent--container .search-button-field, .navbar-persistent--mobile .search-button-field"):
        errs["one search field"].append("second search button in the top bar")
    # --- alt text
    content = soup.select_one("article.bd-article") or soup
    for img in content.find_all("img"):
        alt = (img.get("alt") or "").strip()
        src = img.get("src", "")
        if not alt:
            errs["alt text"].append(f"{src}: no alt text")
            continue
        if latex_in(alt):
            errs["alt text"].append(f"{src}: raw LaTeX {latex_in(alt)[:3]} in {alt[:80]!r}")
        if label_names_in(alt):
            errs["alt text"].append(f"{src}: label name {label_names_in(alt)[:2]} in {alt[:80]!r}")
        if len(alt) > MAX_ALT:
            errs["alt text"].append(f"{src}: alt text of {len(alt)} characters (at most {MAX_ALT})")
    # --- label names in the visible text
    text = _visible_text(soup)
    for hit in sorted(set(label_names_in(text))):
        i = text.find(hit)
        errs["label names"].append(f"{hit!r} in “…{text[max(0, i - 50):i + len(hit) + 30]}…”")
    # --- raw LaTeX in the text (a formula outside $...$, e.g. in a link to a section title)
    for hit in sorted(set(RAW_TEX.findall(text))):
        i = text.find(hit)
        errs["raw LaTeX in text"].append(f"{hit!r} in “…{text[max(0, i - 50):i + len(hit) + 30]}…”")
    # --- equation numbers by chapter
    chapter = _chapter_number(soup)
    for span in soup.select("span.eqno"):
        num = span.get_text().replace("\u00b6", "").replace("#", "").strip()
        m = EQNO.match(num)
        if not m:
            errs["equation numbers"].append(f"equation number {num!r} is not (chapter.k)")
        elif chapter is not None and m.group(1) != chapter:
            errs["equation numbers"].append(f"equation {num} on a page of chapter {chapter}")
    for a in soup.select('a.reference.internal[href*="#equation-"]'):
        shown = a.get_text().strip()
        if not EQNO.match(shown):
            errs["equation numbers"].append(f"reference to {a['href']} shows {shown!r}")
    # --- bibliography
    if rel.endswith("bibliography.html"):
        for entry in soup.select("div.citation, dl.citation > dd, .bibtex .citation"):
            links = [a["href"] for a in entry.find_all("a", href=True) if CDN.match(a["href"])]
            if not any(("doi.org" in h) or ("arxiv.org" in h) or ("isbn" in h.lower()) for h in links):
                errs["bibliography"].append(f"entry without identifier link: {entry.get_text(' ', strip=True)[:90]}")
    return errs


def check_notebooks(folder: Path) -> dict[str, list[str]]:
    """Label names in the notebooks' code (legends, titles) and in their printed outputs."""
    import nbformat

    errs: dict[str, list[str]] = defaultdict(list)
    for nb_path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for literal in re.findall(r"(?:f|r|rf|fr)?(\"[^\"\n]*\"|'[^'\n]*')", cell.source):
                hits = LABEL_IN_PARENS.findall(literal) + ROLE.findall(literal)
                if hits:
                    errs["label names"].append(f"{nb_path.name} cell {cell.get('id', '?')}: {hits[0]!r} in a string of the code")
            for out in cell.get("outputs", []):
                text = out.get("text", "") or out.get("data", {}).get("text/plain", "")
                if isinstance(text, list):
                    text = "".join(text)
                hits = LABEL_IN_PARENS.findall(text)
                if hits:
                    errs["label names"].append(f"{nb_path.name} cell {cell.get('id', '?')}: {hits[0]!r} in its output")
    return errs


def check_site(root: Path, notebooks: Path | None = NOTEBOOK_ROOT) -> dict[str, dict[str, list[str]]]:
    """Static checks of every page: ``{page: {check: [problems]}}`` (pages without problems omitted)."""
    root = Path(root).resolve()
    site = Site(root)
    report: dict[str, dict[str, list[str]]] = {}
    if not (root / "_static" / "mathjax" / "tex-chtml.js").exists():
        report["_static"] = {"MathJax local": ["_static/mathjax/tex-chtml.js missing (sphinx-mathjax-offline not run?)"]}
    for page in _pages(root):
        errs = check_page(site, page)
        if errs:
            report[page.relative_to(root).as_posix()] = dict(errs)
    if notebooks is not None and Path(notebooks).is_dir():
        errs = check_notebooks(Path(notebooks))
        if errs:
            report["notebooks"] = dict(errs)
    return report


def browser_report(root: Path, widths=(1400, 420), dark: bool = False) -> dict:
    """Load every page offline in headless Chromium; console errors, raw math, wide equations."""
    import asyncio

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from browser import Browser

    pages = [p for p in _pages(root) if p.name not in ("genindex.html", "search.html", "py-modindex.html")]

    async def run():
        out = {}
        async with Browser(offline=True) as b:
            for w in widths:
                tab = await b.new_page(width=w, dark=dark)
                for p in pages:
                    await tab.goto(p.as_uri())
                    m = await tab.measure()
                    out[(p.relative_to(root).as_posix(), w)] = {
                        "console": list(tab.console), "rawMath": m["rawMath"], "mathErrors": m["mathErrors"],
                        "wide": [(e["number"] or e["id"] or e["tex"][:30], e["need"], e["have"]) for e in m["wideEquations"]],
                        "pageOverflow": m["pageOverflow"], "mathjax": m["mathjaxVersion"],
                        "smallImages": [(i["src"], i["intended"], i["shown"]) for i in m["images"] if i["intended"] and 0 < i["shown"] < 0.95 * i["intended"]],
                    }
                await b.close_page(tab)
        return out

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tools/check_html.py", description=__doc__.split("\n")[0])
    ap.add_argument("html", type=Path, nargs="?", default=Path("_build/html"), help="the built HTML book")
    ap.add_argument("--notebooks", type=Path, default=NOTEBOOK_ROOT, help="folder of the chapter notebooks")
    ap.add_argument("--browser", action="store_true", help="also load every page in headless Chromium (offline)")
    ap.add_argument("--json", type=Path, help="write the full report as JSON")
    args = ap.parse_args(argv)
    root = args.html.resolve()
    if not (root / "index.html").exists() and not any(root.glob("*.html")):
        print(f"{root}: no HTML book here (build it: jupyter-book build .)")
        return 1
    report = check_site(root, args.notebooks)
    n_pages = len(_pages(root))
    failed = 0
    by_check: dict[str, int] = defaultdict(int)
    for page, errs in sorted(report.items()):
        for check, problems in sorted(errs.items()):
            for problem in problems:
                print(f"{page}: [{check}] {problem}")
                by_check[check] += 1
                failed += 1
    full = {"static": report}
    if args.browser:
        br = browser_report(root)
        full["browser"] = {f"{p} @{w}px": v for (p, w), v in br.items()}
        for (p, w), v in sorted(br.items()):
            for msg in v["console"]:
                print(f"{p} @{w}px: [browser console] {msg}")
                by_check["browser console"] += 1
                failed += 1
            if v["rawMath"] or v["mathErrors"]:
                print(f"{p} @{w}px: [math offline] {v['rawMath']} formulas left as raw TeX, {v['mathErrors']} MathJax errors")
                by_check["math offline"] += 1
                failed += 1
        print("\nDisplay equations wider than the page (for the chapters to break; not failed here):")
        for (p, w), v in sorted(br.items()):
            if v["wide"]:
                print(f"  {p} @{w}px: {len(v['wide'])}: " + ", ".join(f"{n} ({need}>{have} px)" for n, need, have in v["wide"][:12]))
    if args.json:
        args.json.write_text(json.dumps(full, indent=1, default=str))
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(by_check.items())) or "no problems"
    print(f"\n{n_pages} pages checked; {failed} problems ({summary})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
