"""The book's Sphinx extension (tools/nrqb_sphinx.py), on a small Sphinx project built in a tmp dir."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONF = f"""
import sys
sys.path.insert(0, {str(ROOT / 'tools')!r})
sys.path.insert(0, '.')
extensions = ["sphinx_exercise", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinxcontrib.bibtex", "nrqb_sphinx"]
numfig = True
math_numfig = True
numfig_secnum_depth = 1
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "label"
bibtex_default_style = "nrqb"
napoleon_use_param = False
napoleon_use_rtype = False
autodoc_typehints = "none"
"""

INDEX = """
Book
====

.. toctree::
   :numbered: 2

   one
   two
   exercises
   refs
"""

ONE = r"""
First chapter
=============

.. math::
   :label: eq-one

   E = 1

.. exercise::
   :label: ex-one-a

   Show :eq:`eq-one` for one oscillator, :math:`x^2`.

.. exercise:: A title

   Second exercise of the first chapter, see :cite:`b2024` and :cite:`a2024`.

.. autofunction:: nrqb.mod.energy
"""

TWO = r"""
Second chapter
==============

.. exercise::
   :label: ex-two-a

   The only exercise of chapter two; see :func:`energy`, :func:`nrqb.energy` and :func:`numpy.exp`.
"""

EXERCISES = """
Exercises
=========

No math written on this page.

.. exercise-index::
"""

REFS = """
References
==========

.. bibliography::
"""

BIB = r"""
@misc{b2024, author={Ahmadi, B. and Mazurek, P. and Horodecki, P.}, title={X}, year={2024}, eprint={2401.05090}}
@article{a2024, author={Ahmadi, B. and Mazurek, P. and Horodecki, P.}, title={X}, journal={PRL}, year={2024}, doi={10.1103/PhysRevLett.132.210402}}
"""

MOD = '''
def energy(x):
    """Energy.

    Parameters
    ----------
    x : ndarray or callable
        Anything.

    Returns
    -------
    lo, hi : float
    """
    return x
'''


def _build(tmp_path: Path, two: str = TWO):
    src = tmp_path / "src"
    (src / "nrqb").mkdir(parents=True)  # a stand-in package called nrqb, first on sys.path
    for name, text in {"conf.py": CONF, "index.rst": INDEX, "one.rst": ONE, "two.rst": two,
                       "exercises.rst": EXERCISES, "refs.rst": REFS, "refs.bib": BIB,
                       "nrqb/__init__.py": "", "nrqb/mod.py": MOD}.items():
        (src / name).write_text(textwrap.dedent(text))
    out = tmp_path / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q",
                          str(src), str(out)], capture_output=True, text=True, cwd=src)
    return run, out


def test_exercise_index_bibliography_and_references(tmp_path):
    run, out = _build(tmp_path)
    assert run.returncode == 0, run.stderr
    page = (out / "exercises.html").read_text()
    # three exercises, in chapter order, with chapter and exercise numbers, linked
    rows = page.split("<tr")[2:]
    assert len(rows) == 3
    assert "1. First chapter" in rows[0] and "Exercise 1.1" in rows[0] and 'href="one.html#ex-one-a"' in rows[0]
    assert "Exercise 1.2 (A title)" in rows[1]
    assert "2. Second chapter" in rows[2] and "Exercise 2.1" in rows[2]
    # the statements carry math, so the page loads MathJax
    mathjax = re.compile(r'<script[^>]+src="[^"]*mathjax[^"]*"', re.I)
    assert mathjax.search(page)
    assert not mathjax.search((out / "two.html").read_text())  # a page without math does not
    # the statement is copied with its equation reference resolved to the other page
    assert 'href="one.html#equation-eq-one"' in rows[0] and "(1.1)" in rows[0]
    # author-year labels with letters, in text and list
    refs = (out / "refs.html").read_text()
    assert "Ahmadi et al., 2024a" in refs and "Ahmadi et al., 2024b" in refs
    assert "https://arxiv.org/abs/2401.05090" in refs and "https://doi.org/10.1103/PhysRevLett.132.210402" in refs
    one = (out / "one.html").read_text()
    assert "Ahmadi et al., 2024a" in one
    # a short name and a re-exported name resolve to the documented object; numpy is plain text
    two = (out / "two.html").read_text()
    assert two.count('href="one.html#nrqb.mod.energy"') == 2
    assert "numpy.exp" in two
    # numpydoc types ("ndarray or callable", "lo, hi") are plain text, not failed references
    assert "ndarray or callable" in one


def test_reference_to_a_missing_nrqb_object_fails_the_build(tmp_path):
    run, _ = _build(tmp_path, TWO.replace(":func:`nrqb.energy`", ":func:`nrqb.nonexistent`"))
    assert run.returncode != 0
    assert "nrqb.nonexistent" in run.stderr
