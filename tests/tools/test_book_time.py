"""benchmarks/book_time.ab_summary on hand-made runs with known answers."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import book_time  # noqa: E402


def _run(code, total, cells, figures, nb):
    return {"code": code, "total_seconds": total, "total_cells": cells, "total_figures": figures,
            "seconds": {"x.ipynb": nb}}


def test_ab_summary_known_values():
    ab = {"runs": [_run("old", 100.0, 80.0, 20.0, 10.0), _run("new", 90.0, 72.0, 9.0, 4.0),
                   _run("old", 120.0, 96.0, 24.0, 12.0), _run("new", 100.0, 80.0, 12.0, 6.0)]}
    s = book_time.ab_summary(ab, "x.ipynb")
    assert s["old"]["total"] == [100.0, 120.0] and s["new"]["nb"] == [4.0, 6.0]
    assert s["old"]["share"] == [0.25, 0.25] and s["new"]["share"] == [0.125, 0.15]
    assert s["gain"] == pytest.approx(1 - 95 / 110, rel=1e-12, abs=0)
    assert s["spread_old"] == pytest.approx(0.2, rel=1e-12, abs=0)
    assert s["share_gain"] == pytest.approx(1 - 0.1375 / 0.25, rel=1e-12, abs=0)
    # totals old 100, 120 / new 90, 100: the 6 relabellings give differences of means 15 (the
    # observed), 15 (the two 100s swapped), 5, -5, -15, -15
    assert s["p_total"] == pytest.approx(2 / 6, rel=1e-15)


def test_ab_summary_needs_both_versions():
    with pytest.raises(ValueError, match="'new'"):
        book_time.ab_summary({"runs": [_run("old", 1.0, 1.0, 0.5, 1.0)]}, "x.ipynb")


def test_ab_summary_kernel_shutdown_when_every_run_stores_it():
    ab = {"runs": [{**_run("old", 100.0, 80.0, 20.0, 10.0), "kernel_shutdown": 10.5},
                   {**_run("new", 90.0, 72.0, 9.0, 4.0), "kernel_shutdown": 1.4},
                   _run("new", 95.0, 72.0, 9.0, 4.0)]}
    s = book_time.ab_summary(ab, "x.ipynb")
    assert s["old"]["shutdown"] == [10.5] and s["old"]["rest"] == [89.5]
    assert s["new"]["shutdown"] is None and s["new"]["rest"] is None   # one new run does not store it
    assert s["old"]["cells"] == [80.0] and s["new"]["cells"] == [72.0, 72.0]


def test_permutation_p_known_values():
    assert book_time.permutation_p([3.0, 4.0, 5.0], [0.0, 1.0, 2.0]) == pytest.approx(1 / 20, rel=1e-15)
    assert book_time.permutation_p([1.0, 1.0], [1.0, 1.0]) == 1.0
    # old 1, 4 / new 2, 3: equal means; the 6 relabellings give differences -2, -1, 0, 0, 1, 2
    assert book_time.permutation_p([1.0, 4.0], [2.0, 3.0]) == pytest.approx(4 / 6, rel=1e-15)
    # the new runs all slower: the observed difference is the smallest, every relabelling reaches it
    assert book_time.permutation_p([0.0, 1.0, 2.0], [3.0, 4.0, 5.0]) == 1.0
    with pytest.raises(ValueError, match="old and new"):
        book_time.permutation_p([], [1.0])
    with pytest.raises(ValueError, match="finite"):
        book_time.permutation_p([float("nan"), 1.0, 2.0], [0.0, 0.5, 0.7])
    # ties by round-off count: 98.9 + 104.7 and 99.1 + 104.5 are equal sums in exact arithmetic
    assert book_time.permutation_p([98.9, 104.7], [99.1, 104.5]) == pytest.approx(4 / 6, rel=1e-15)
    # no dependence on units, and any iterable
    assert book_time.permutation_p(iter([1e-12, 2e-12, 3e-12]), (0.0, 0.5e-12, 0.7e-12)) == pytest.approx(1 / 20, rel=1e-15)


def test_ab_summary_rejects_unknown_run_codes():
    with pytest.raises(ValueError, match="'old' or 'new'"):
        book_time.ab_summary({"runs": [_run("old", 1.0, 1.0, 0.5, 1.0), _run("new", 1.0, 1.0, 0.5, 1.0),
                                       _run("newer", 1.0, 1.0, 0.5, 1.0)]}, "x.ipynb")


def test_kernels_get_the_fast_exit_of_the_build(monkeypatch):
    from nrqb.book.plotting import FAST_EXIT_ENV

    monkeypatch.delenv(FAST_EXIT_ENV, raising=False)
    assert book_time.kernel_env()[FAST_EXIT_ENV] == "1"
    monkeypatch.setenv(FAST_EXIT_ENV, "0")
    assert book_time.kernel_env()[FAST_EXIT_ENV] == "0"
