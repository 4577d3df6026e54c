"""Tests of the mutation check's own machinery (tools/mutation.py): the mutator and the patcher."""

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp

spec = importlib.util.spec_from_file_location("nrqb_mutation_tool", Path(__file__).resolve().parents[2] / "tools" / "mutation.py")
mutation = importlib.util.module_from_spec(spec)
sys.modules["nrqb_mutation_tool"] = mutation
spec.loader.exec_module(mutation)


@dataclass(frozen=True)
class _Result:
    value: float
    label: str
    count: int


def test_scale_reaches_every_number_and_leaves_the_rest():
    value = {"a": np.array([1.0, 2.0]), "b": (3.0, 1 + 2j), "c": "text", "d": 4, "e": True,
             "f": _Result(2.0, "x", 3)}
    out, changed = mutation.mutate(value, "scale")
    assert changed
    np.testing.assert_array_equal(out["a"], np.array([1.0, 2.0]) * 1.001)
    assert out["b"] == (3.0 * 1.001, (1 + 2j) * 1.001)
    assert (out["c"], out["d"], out["e"]) == ("text", 4, True)
    assert out["f"] == _Result(2.0 * 1.001, "x", 3)
    assert value["a"][0] == 1.0  # the original is not touched


def test_conj_flips_only_complex_parts():
    out, changed = mutation.mutate([1.0, np.array([1 + 1j, 2.0 + 0j])], "conj")
    assert changed and out[0] == 1.0
    np.testing.assert_array_equal(out[1], np.array([1 - 1j, 2.0]))
    assert mutation.mutate(np.array([1.0 + 0j]), "conj")[1] is False
    assert mutation.mutate(3, "scale") == (3, False)


def test_sympy_results_are_mutated():
    x = sp.Symbol("x")
    out, changed = mutation.mutate(x + sp.I, "conj")
    assert changed and sp.simplify(out - (x - sp.I)) == 0
    out, changed = mutation.mutate(sp.Matrix([[x]]), "scale")
    assert changed and out[0, 0] == sp.Rational(1001, 1000) * x


def test_patcher_reaches_from_imports_and_undoes():
    from nrqb.beyond import framework

    original = framework.isolation_ratio
    alias = original  # a 'from' import elsewhere is a module global like this one
    globals()["_alias"] = alias
    p = mutation.Patcher()
    p.patch(mutation.Target("nrqb.beyond.framework", "isolation_ratio"), mutation._mutant("scale"))
    try:
        assert framework.isolation_ratio is not original
        assert globals()["_alias"] is framework.isolation_ratio
    finally:
        p.undo()
    assert framework.isolation_ratio is original and globals()["_alias"] is original


def test_discover_finds_the_engine_observables():
    names = {t.name for t in mutation.discover(["nrqb.engine.network"])}
    assert "nrqb.engine.network.LinearNetwork.energies" in names
    assert "nrqb.engine.network.LinearNetwork.steady_state" in names


def test_test_files_are_found_largest_first_and_ignored_folders_left_out(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "test_small.py").write_text("x = 1\n")
    (tmp_path / "a" / "test_big.py").write_text("x = 1\n" * 50)
    (tmp_path / "a" / "helper.py").write_text("x = 1\n" * 90)
    (tmp_path / "b" / "test_other.py").write_text("x = 1\n" * 90)
    files = mutation._test_files([str(tmp_path)], [str(tmp_path / "b")])
    assert [Path(f).name for f in files] == ["test_big.py", "test_small.py"]


def test_caches_are_cleared_so_a_mutant_cannot_poison_a_later_one():
    """zhao_sym._triangle_drift caches what symbolic.drift_matrix_from_master_equation returned: a
    value computed under one mutant must not survive into the next run (it let the conj mutant of
    triangle_drift survive a full run once)."""
    from nrqb.papers import zhao_sym

    clean = zhao_sym.triangle_drift()[0]
    p = mutation.Patcher()
    p.patch(mutation.Target("nrqb.engine.symbolic", "drift_matrix_from_master_equation"), mutation._mutant("scale"))
    try:
        mutation.clear_caches()
        poisoned = zhao_sym.triangle_drift()[0]
    finally:
        p.undo()
    assert poisoned != clean
    assert zhao_sym.triangle_drift()[0] == poisoned          # the cache still holds the mutant's value
    assert mutation.clear_caches() >= 3
    assert zhao_sym.triangle_drift()[0] == clean
