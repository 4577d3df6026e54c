"""book/conftest.py: nbval compares checked outputs with decimal numbers rounded to 10 digits."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("book_conftest", ROOT / "book" / "conftest.py")
book_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_conftest)
round_numbers = book_conftest.round_numbers


@pytest.mark.parametrize("a, b", [
    ("0.9999999999999998", "1.0"),                  # round-off across a decimal boundary
    ("149.83000000000001", "149.82999999999998"),
    ("-0.0", "0.0"),
    ("0.0023248303174815666", "0.0023248303174811242"),   # lin cell 26 on two CPUs
    ("61.92129788517733", "61.92129788517735"),
    ("12345.678901234", "12345.678901236"),         # large numbers too (relative, not decimals)
    ("E = 3.2e-05, ok: True", "E = 3.2000000000000004e-05, ok: True"),
])
def test_round_off_compares_equal(a, b):
    assert round_numbers(a) == round_numbers(b)


@pytest.mark.parametrize("a, b", [
    ("1.234567891", "1.234567892"),                 # one unit in the 10th significant digit
    ("0.0023248303", "0.0023248304"),
    ("E = 3.2e-05", "E = 3.2e-06"),
    ("74.88", "74.89"),
    ("gain 2.0", "gain -2.0"),
])
def test_real_changes_still_differ(a, b):
    assert round_numbers(a) != round_numbers(b)


def test_text_without_numbers_is_unchanged():
    s = "stable: True; agrees with qutip (cutoff 9) for N = 2"
    assert round_numbers(s) == s


def _notebook(path, stored):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(0.1 + 0.2, 2.0 - 1e-16 * 3)")
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_nbval_uses_the_rounding(tmp_path):
    """A notebook beside a copy of book/conftest.py: the stored '0.3 2.0' matches the computed
    '0.30000000000000004 1.9999999999999998'; a stored '0.31 2.0' does not; without the conftest
    nbval fails the first too."""
    with_conftest, plain = tmp_path / "with", tmp_path / "plain"
    for d in (with_conftest, plain):
        d.mkdir()
        _notebook(d / "good.ipynb", "0.3 2.0\n")
    shutil.copy(ROOT / "book" / "conftest.py", with_conftest / "conftest.py")
    _notebook(with_conftest / "bad.ipynb", "0.31 2.0\n")

    def run(d, nb):
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
             "--rootdir", str(d), nb], cwd=d, env=dict(os.environ, PYTHONPATH=""), capture_output=True, text=True,
            timeout=300)

    good, bad, unrounded = run(with_conftest, "good.ipynb"), run(with_conftest, "bad.ipynb"), run(plain, "good.ipynb")
    assert good.returncode == 0, good.stdout[-2000:]
    assert bad.returncode == 1 and "0.31" in bad.stdout, bad.stdout[-2000:]
    assert unrounded.returncode == 1 and "0.30000000000000004" in unrounded.stdout, unrounded.stdout[-2000:]
