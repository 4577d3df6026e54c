"""Screenshots of every page of the built book, for a maintainer to look at.

    python tools/screenshots.py _build/html /tmp/nrqb-shots            # 1400 and 420 px, light
    python tools/screenshots.py _build/html /tmp/nrqb-shots --dark     # also the dark theme
    python tools/screenshots.py _build/html /tmp/nrqb-shots --pages ahmadi zhao

Each page is loaded in headless Chromium (``apt-get update && apt-get install -y chromium``) with
a fresh profile and no network (``--online`` allows it), after MathJax has typeset it; the whole
page is captured at each width.  The folder receives one image per page, width and theme
(``book-ahmadi-1400-light.png``), ``index.html`` (every screenshot, with what was measured on the
page) and ``report.json``: JavaScript errors, formulas left as raw TeX, display equations wider
than the page, and figures shown smaller than their natural size.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser  # noqa: E402

__all__ = ["take", "main"]

SKIP = {"genindex.html", "search.html", "py-modindex.html"}


def _pages(root: Path, only: list[str] | None) -> list[Path]:
    pages = sorted(p for p in root.rglob("*.html")
                   if p.name not in SKIP and not (set(p.relative_to(root).parts[:-1]) & {"_static", "_sources", "_images"}))
    if only:
        pages = [p for p in pages if p.stem in only]
    return pages


async def take(root: Path, out: Path, *, widths=(1400, 420), themes=("light",), offline: bool = True,
               only: list[str] | None = None, jpeg: int | None = None, max_height: int = 30000) -> list[dict]:
    """Screenshot every page at every width and theme; return what was measured on each."""
    out.mkdir(parents=True, exist_ok=True)
    records = []
    async with Browser(offline=offline) as browser:
        for theme in themes:
            for width in widths:
                tab = await browser.new_page(width=width, dark=(theme == "dark"))
                for page in _pages(root, only):
                    rel = page.relative_to(root)
                    name = "-".join(rel.with_suffix("").parts)
                    shot = out / f"{name}-{width}-{theme}.{'jpg' if jpeg else 'png'}"
                    tic = time.perf_counter()
                    for attempt in (1, 2):  # a page that fails to load once is tried again
                        try:
                            await tab.goto(page.as_uri())
                            m = await tab.measure()
                            height = await tab.screenshot(shot, width=width, quality=jpeg, max_height=max_height)
                            break
                        except (RuntimeError, asyncio.TimeoutError) as exc:
                            if attempt == 2:
                                print(f"{shot.name}: failed ({exc})", flush=True)
                                m = None
                    if m is None:
                        records.append({"page": rel.as_posix(), "width": width, "theme": theme, "file": "",
                                        "error": "page did not load"})
                        continue
                    records.append({
                        "page": rel.as_posix(), "width": width, "theme": theme, "file": shot.name,
                        "height": height, "truncated": m["height"] > max_height,
                        "console": list(tab.console), "mathjax": m["mathjaxVersion"],
                        "raw_math": m["rawMath"], "math_errors": m["mathErrors"],
                        "wide_equations": m["wideEquations"], "page_overflow": m["pageOverflow"],
                        "shrunk_images": [i for i in m["images"] if i["intended"] and 0 < i["shown"] < 0.95 * i["intended"]],
                        "seconds": round(time.perf_counter() - tic, 2),
                    })
                    print(f"{shot.name}: {height} px, {len(m['wideEquations'])} wide equations, "
                          f"{len(tab.console)} console messages", flush=True)
                await browser.close_page(tab)
    return records


def _index(records: list[dict]) -> str:
    rows = []
    for r in records:
        if r.get("error"):
            rows.append(f"<tr><td><b>{html.escape(r['page'])}</b><br>{r['width']} px, {r['theme']}</td>"
                        f"<td>{html.escape(r['error'])}</td></tr>")
            continue
        notes = []
        if r["console"]:
            notes.append("console: " + "; ".join(r["console"][:3]))
        if r["raw_math"] or r["math_errors"]:
            notes.append(f"{r['raw_math']} raw formulas, {r['math_errors']} MathJax errors")
        if r["wide_equations"]:
            notes.append("wide equations: " + ", ".join(
                f"{e['number'] or e['id'] or e['tex'][:25]} ({e['need']}&gt;{e['have']} px)" for e in r["wide_equations"][:10]))
        if r["page_overflow"]:
            notes.append("the page scrolls sideways")
        if r["truncated"]:
            notes.append("screenshot cut at its maximum height")
        rows.append(f"<tr><td><b>{html.escape(r['page'])}</b><br>{r['width']} px, {r['theme']}<br>"
                    f"{'<br>'.join(html.escape(n) if 'px)' not in n else n for n in notes) or 'no findings'}</td>"
                    f"<td><a href='{r['file']}'><img src='{r['file']}' style='max-width:{min(r['width'], 700)}px'"
                    f" alt='{html.escape(r['page'])} at {r['width']} px'></a></td></tr>")
    return ("<!doctype html><meta charset='utf-8'><title>nrqb book screenshots</title>"
            "<style>body{font-family:sans-serif} td{vertical-align:top;border-bottom:1px solid #ccc;padding:6px}"
            " img{border:1px solid #999}</style><h1>nrqb book: every page</h1><table>" + "".join(rows) + "</table>")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tools/screenshots.py", description=__doc__.split("\n")[0])
    ap.add_argument("html", type=Path, help="the built HTML book (_build/html)")
    ap.add_argument("out", type=Path, help="folder for the screenshots")
    ap.add_argument("--widths", type=int, nargs="+", default=[1400, 420])
    ap.add_argument("--dark", action="store_true", help="also the dark theme")
    ap.add_argument("--online", action="store_true", help="let the browser use the network")
    ap.add_argument("--pages", nargs="*", help="page names to take (default: all), e.g. ahmadi zhao")
    ap.add_argument("--jpeg", type=int, metavar="QUALITY", help="JPEG of this quality (1-100) instead of PNG")
    args = ap.parse_args(argv)
    themes = ("light", "dark") if args.dark else ("light",)
    records = asyncio.run(take(args.html.resolve(), args.out, widths=tuple(args.widths), themes=themes,
                               offline=not args.online, only=args.pages, jpeg=args.jpeg))
    (args.out / "report.json").write_text(json.dumps(records, indent=1))
    (args.out / "index.html").write_text(_index(records))
    n_wide = sum(len(r.get("wide_equations", [])) for r in records)
    n_console = sum(len(r.get("console", [])) for r in records)
    print(f"{len(records)} screenshots in {args.out} (index.html); {n_wide} wide equations, {n_console} console messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
