"""The book as readers meet it: launch environments, configuration, API page, bibliography.

These read the repository's files (no build): each test fails when a change would break Binder,
Colab, the instructions, the API reference or the bibliography style.
"""

import importlib
import pkgutil
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line.strip())
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def _config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_binder_environment_runs_the_notebooks_without_the_book_tools():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert m, runtime
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = int(re.fullmatch(r">=\s*3\.(\d+)", requires).group(1))
    assert int(m.group(1)) >= minimum
    binder = _pins(ROOT / "binder" / "requirements.txt")
    top = _pins(ROOT / "requirements.txt")
    # same versions as the book was checked with
    for name, version in binder.items():
        assert top.get(name) == version, f"binder pins {name}=={version}, requirements.txt {top.get(name)}"
    # what the notebooks import at run time is there; the book-building tools are not
    for needed in ("numpy", "scipy", "sympy", "qutip", "matplotlib", "ipywidgets", "networkx"):
        assert needed in binder, needed
    for tool in ("jupyter-book", "nbval", "pytest", "pytest-xdist", "sphinx-exercise", "sphinx-proof"):
        assert tool not in binder, tool
    lines = [ln.strip() for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines


def test_package_dependencies_cover_its_imports():
    """Colab installs nrqb from pyproject.toml alone: every third-party import must be declared."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared = {re.split(r"[<>=!\s\[]", d)[0].lower() for d in deps}
    optional = {"IPython", "nbformat", "nbclient", "cycler"}  # Jupyter-only, or matplotlib's own
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    import ast

    used = set()
    for path in (ROOT / "nrqb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                used.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                used.add(node.module.split(".")[0])
    third_party = {u for u in used if u not in stdlib and u != "nrqb" and u not in optional}
    assert third_party, used
    missing = {u for u in third_party if u.lower() not in declared}
    assert not missing, f"imported by nrqb but not in pyproject dependencies: {missing}"


def test_version_agrees():
    import nrqb

    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == nrqb.__version__


def test_instructions_are_exact():
    url = _config()["repository"]["url"]
    for path in (ROOT / "README.md", ROOT / "book" / "running.md"):
        text = path.read_text()
        assert "<repository url>" not in text, path
        assert not re.search(r"3\.10 or newer|3\.10\+|>= ?3\.10", text), path
        assert f"git+{url}" in text, path
    # every notebook's first code cell installs nrqb from that repository, hidden in the book
    for nb_path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert first.get("id") == "colab-install", nb_path.name
        assert "remove-cell" in first.metadata.get("tags", []), nb_path.name
        assert f"git+{url}" in first.source, nb_path.name


def test_live_code_off_and_mathjax_local():
    cfg = _config()
    exts = cfg["sphinx"]["config"]["extensions"]
    assert "sphinx_thebe" not in exts
    assert "sphinx-mathjax-offline" in exts
    assert not cfg["launch_buttons"].get("thebe")
    assert cfg["sphinx"]["config"]["nb_ipywidgets_js"] == {}
    assert "sphinx-mathjax-offline" in _pins(ROOT / "requirements.txt")
    mathjax = importlib.import_module("sphinx-mathjax-offline")
    assert (Path(mathjax.__file__).parent / "static" / "mathjax" / "tex-chtml.js").exists()


def test_chapters_numbered_so_equations_are_numbered_by_chapter():
    cfg = _config()["sphinx"]["config"]
    assert cfg["numfig"] and cfg["math_numfig"] and cfg["numfig_secnum_depth"] == 1
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = [p for p in toc["parts"] if p.get("numbered")]
    files = [c["file"] for p in numbered for c in p["chapters"]]
    for chapter in ("book/conventions", "book/methods", "book/ahmadi", "book/zhao", "book/lin", "book/liu",
                    "book/framework", "book/optimal", "book/networks"):
        assert chapter in files, chapter
    # sub-chapters (lin_beyond, liu_reservoirs) need a number too: depth >= 2
    assert all(p["numbered"] is True or p["numbered"] >= 2 for p in numbered)


def _modules():
    import nrqb

    names = []
    for info in pkgutil.walk_packages(nrqb.__path__, "nrqb."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def test_api_page_documents_every_module():
    text = (ROOT / "book" / "api.md").read_text()
    documented = set(re.findall(r"\.\. automodule:: ([\w.]+)", text))
    missing = [m for m in _modules() if m not in documented]
    assert not missing, f"add to book/api.md: {missing}"
    assert not documented - set(_modules()) - {"nrqb"}, "book/api.md names a module that does not exist"
    toc = (ROOT / "_toc.yml").read_text()
    for page in ("book/api", "book/execution", "book/bibliography"):
        assert page in toc


def test_bibliography_entries_have_identifiers():
    from pybtex.database import parse_file

    bib = parse_file(str(ROOT / "references.bib"))
    cited = set()
    for path in list((ROOT / "book").glob("*.md")) + list((ROOT / "book").glob("*.ipynb")):
        for keys in re.findall(r"\{cite[a-z:]*\}`([^`]+)`", path.read_text()):
            cited.update(k.strip() for k in keys.split(","))
    assert cited and cited <= set(bib.entries), cited - set(bib.entries)
    for key in cited:
        fields = bib.entries[key].fields
        assert "doi" in fields or "eprint" in fields, f"{key}: no DOI or arXiv id"
        if "eprint" in fields:
            assert re.fullmatch(r"\d{4}\.\d{4,5}", fields["eprint"]), key


def test_author_year_labels_with_letters():
    from pybtex.database import parse_string

    from nrqb_sphinx import AuthorYearLabelStyle, BookSorting, author_year_label

    bib = parse_string(r"""
    @misc{b, author={Ahmadi, B. and Mazurek, P. and Horodecki, P.}, title={T}, year={2024}}
    @article{a, author={Ahmadi, B. and Mazurek, P. and Horodecki, P.}, title={T}, year={2024}}
    @article{c, author={Metelmann, A. and Clerk, A. A.}, title={U}, year={2015}}
    @book{d, author={Van Loan, C. F.}, title={V}, year={1978}}
    @book{e, author={Serafini, Alessio}, title={Q}, year={2017}}
    @misc{f, author={Gigu{\`e}re, Eric}, title={R}, year={2024}}
    """, "bibtex")
    assert author_year_label(bib.entries["c"]) == "Metelmann and Clerk, 2015"
    assert author_year_label(bib.entries["d"]) == "Van Loan, 1978"
    assert author_year_label(bib.entries["f"]) == "Giguère, 2024"
    entries = sorted(bib.entries.values(), key=BookSorting().sorting_key)
    labels = dict(zip((e.key for e in entries), AuthorYearLabelStyle().format_labels(entries)))
    # equal author-year labels get a, b in key order, whatever the order in the file
    assert labels["a"] == "Ahmadi et al., 2024a" and labels["b"] == "Ahmadi et al., 2024b"
    assert labels["e"] == "Serafini, 2017"


@pytest.mark.parametrize("text, found", [
    ("see Eq. (eq-liu-sq-enh) for the bound", True),
    ("bound, Eq. (optimal-bound)", True),
    ("ring (networks-ring)", False),           # lower-case word pair in parentheses alone is not flagged
    ("unrendered {eq}`eq-x` role", True),
    ("paper Eq. (10) and Eq. (6.3)", False),
    ("the one-way link a -> b", False),
    ("a label eq-ahmadi-nr in text", True),
    ("the file ahmadi_fig2.png", False),
])
def test_label_names_are_found(text, found):
    from check_html import label_names_in

    assert bool(label_names_in(text)) is found


def test_latex_in_alt_text_is_found():
    from check_html import latex_in

    assert latex_in(r"Energies for \Gamma = 0.04")
    assert latex_in("E_{B} over time")
    assert not latex_in("Battery energy E_B over time J t, for Gamma = 0.04 omega")


def test_the_build_asks_its_kernels_for_a_fast_exit_and_nbval_does_not(monkeypatch):
    """tools/nrqb_sphinx.py's setup (the build) sets NRQB_FAST_EXIT=1 for the kernels myst-nb
    starts, unless it is set already; the name is nrqb.book.plotting's.  book/conftest.py (nbval,
    whose kernels are killed, not shut down) leaves it alone."""
    import os
    from unittest.mock import MagicMock

    import nrqb_sphinx
    from nrqb.book.plotting import FAST_EXIT_ENV

    assert nrqb_sphinx.FAST_EXIT_ENV == FAST_EXIT_ENV == "NRQB_FAST_EXIT"
    monkeypatch.delenv(FAST_EXIT_ENV, raising=False)
    nrqb_sphinx.setup(MagicMock())
    assert os.environ[FAST_EXIT_ENV] == "1"
    monkeypatch.setenv(FAST_EXIT_ENV, "0")   # a choice made outside is kept
    nrqb_sphinx.setup(MagicMock())
    assert os.environ[FAST_EXIT_ENV] == "0"
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("book_conftest_env", ROOT / "book" / "conftest.py")
    book_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book_conftest)
    monkeypatch.delenv(FAST_EXIT_ENV, raising=False)
    book_conftest.pytest_configure(SimpleNamespace(pluginmanager=SimpleNamespace(hasplugin=lambda name: True)))
    assert FAST_EXIT_ENV not in os.environ
