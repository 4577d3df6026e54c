"""tools/check_html.py on a small hand-made site: each check finds what it is for, and only that."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import check_html  # noqa: E402

GOOD = """<!doctype html><html><head>
<script defer src="../_static/mathjax/tex-chtml.js"></script>
<script>const A = 1; const B = 2</script></head><body>
<article class="bd-article">
<h1><span class="section-number">6. </span>Chapter</h1>
<div class="math notranslate nohighlight" id="equation-eq-x"><span class="eqno">(6.1)</span>\\[x\\]</div>
<p>See <a class="reference internal" href="#equation-eq-x">(6.1)</a> and <a href="other.html#sec">there</a>,
paper Eq. (10), the file <a href="../nrqb.pdf">PDF</a>.</p>
<img src="../_images/f.png" alt="Battery energy against time, rising to 25 for the nonreciprocal pair.">
</article></body></html>"""

OTHER = """<!doctype html><html><body><article class="bd-article">
<h1><span class="section-number">7. </span>Other</h1><p id="sec">text</p></article></body></html>"""


def _site(tmp_path, page):
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "_static" / "mathjax").mkdir(parents=True)
    (html / "_static" / "mathjax" / "tex-chtml.js").write_text("//")
    (html / "_images").mkdir()
    (html / "_images" / "f.png").write_bytes(b"png")
    (html / "book" / "page.html").write_text(page)
    (html / "book" / "other.html").write_text(OTHER)
    (html / "index.html").write_text("<html><body><a href='book/page.html'>x</a></body></html>")
    return html


def test_a_good_page_passes(tmp_path):
    assert check_html.check_site(_site(tmp_path, GOOD), notebooks=None) == {}
    assert check_html.main([str(tmp_path / "html"), "--notebooks", str(tmp_path)]) == 0


def test_each_problem_is_found(tmp_path):
    bad = (GOOD
           .replace("../_static/mathjax/tex-chtml.js", "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js")
           .replace("const B = 2", "const A = 2")
           .replace("other.html#sec", "other.html#nowhere")
           .replace('<span class="eqno">(6.1)</span>', '<span class="eqno">(7.1)</span>')
           .replace("paper Eq. (10)", "see Eq. (eq-liu-sq-enh) and J/\\mu")
           .replace('alt="Battery energy', 'alt="$\\Gamma$ Battery energy')
           .replace("</article>", '<div class="cell_output docutils container"><div class="output stderr '
                    'highlight-myst-ansi notranslate"><pre>UserWarning: figure_png: 1 pair(s) of texts overlap</pre>'
                    '</div></div></article>'))
    report = check_html.check_site(_site(tmp_path, bad), notebooks=None)["book/page.html"]
    assert set(report) == {"no CDN", "MathJax local", "scripts", "anchors", "equation numbers", "label names",
                           "raw LaTeX in text", "alt text", "stderr"}
    assert any("equation (7.1) on a page of chapter 6" in p for p in report["equation numbers"])
    assert check_html.main([str(tmp_path / "html"), "--notebooks", str(tmp_path)]) == 1


def test_missing_file_and_missing_alt(tmp_path):
    bad = GOOD.replace('href="other.html#sec"', 'href="gone.html"').replace(' alt="Battery', ' title="Battery')
    report = check_html.check_site(_site(tmp_path, bad), notebooks=None)["book/page.html"]
    assert set(report) == {"links", "alt text"}
