"""Mutation check of nrqb's physics: every public numerical function must be caught by the tests.

For each public numerical function of :mod:`nrqb` (the closed forms of the four papers and their
sympy companions, the beyond-the-papers modules, and the engine's observables), the check
replaces the function by a *mutant* and runs the unit tests that call it; the mutant must make at
least one of them fail.  Two mutations:

``scale``
    the result times ``(1 + 1e-3)`` (every float or complex number in it: scalars, arrays, the
    values of tuples, lists, dicts and dataclasses, sympy expressions and matrices);
``conj``
    the sign of the imaginary part of every complex number in the result flipped (applies only to
    functions that return a complex number with a non-zero imaginary part in the tests).

Integers, booleans, strings and objects (a built ``LinearNetwork``, say) are left alone: a
function that returns nothing else is "not numerical" and is listed as such.

How it works.  The test modules are imported once (a collection pass).  A first pass then runs
the unit tests (``tests/``, not the notebooks) once with every target wrapped, recording which test
calls which target (directly or through other code) and what each returns; the test files are
shared out among ``--workers`` forked processes.  Then, for each target and mutation, the tests
that call it run again in-process (``pytest.main``) with the mutant installed wherever the
function is bound (module globals, ``from`` imports, class attributes), fastest test first,
stopping at the first failure; the mutants are shared out among the same number of forked
processes, each taking the next mutant when it is free.  pytest's ``unraisableexception`` plugin
is off in these runs: its clean-up forces five full garbage collections per ``pytest.main`` call
(1.1 s each time with sympy and qutip loaded), which was most of the cost of a mutant.

Usage::

    python tools/mutation.py                       # everything (two worker processes)
    python tools/mutation.py --module nrqb.papers.ahmadi --module nrqb.papers.ahmadi_sym
    python tools/mutation.py --sample 40 --seed 0  # a fixed random sample (what CI runs)
    python tools/mutation.py --list                # the targets, and exit

It prints a score per module and every survivor, split into "never exercised" (no unit test
calls it) and "exercised but not caught".  The exit status is 1 if any mutant survives.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import importlib
import inspect
import io
import json
import multiprocessing as mp
import os
import pkgutil
import random
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTOR = 1 + 1e-3
KINDS = ("scale", "conj")

#: methods of the engine's classes that are observables (public numerical functions)
METHODS = {
    "nrqb.engine.network.LinearNetwork": [
        "amplitudes", "occupations", "energies", "fluctuations", "covariance", "power",
        "steady_state", "ergotropy", "eliminated_drift", "moments", "susceptibility", "isolation",
        "eigenvalues",
    ],
    "nrqb.engine.states.GaussianState": ["occupations", "energies", "covariance", "ergotropy"],
    "nrqb.engine.protocol.Protocol": ["energies", "amplitudes", "ergotropy", "state"],
}
#: packages whose modules' public functions are targets (nrqb.book is presentation only)
PACKAGES = ("nrqb.engine", "nrqb.papers", "nrqb.beyond")
#: modules of those packages that hold no physics (input checks, the qutip bridge's plumbing)
SKIP_MODULES = {"nrqb.engine.validation"}


# ------------------------------------------------------------------------------- targets
@dataclasses.dataclass
class Target:
    """One public function or method: where it lives and how to reach it."""

    module: str
    qualname: str  # "f" or "Class.method"

    @property
    def name(self) -> str:
        return f"{self.module}.{self.qualname}"

    def owner(self):
        mod = importlib.import_module(self.module)
        if "." in self.qualname:
            cls_name, _ = self.qualname.split(".")
            return getattr(mod, cls_name)
        return mod

    def original(self):
        owner = self.owner()
        return owner.__dict__[self.qualname.split(".")[-1]] if isinstance(owner, type) else getattr(owner, self.qualname)


def discover(modules: list[str] | None = None) -> list[Target]:
    """Every public function defined in the packages' modules, and the engine's observables."""
    targets: list[Target] = []
    names: list[str] = []
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.iter_modules(pkg.__path__):
            names.append(f"{pkg_name}.{info.name}")
    for mod_name in sorted(names):
        if mod_name in SKIP_MODULES or (modules and mod_name not in modules):
            continue
        mod = importlib.import_module(mod_name)
        public = getattr(mod, "__all__", None)
        for attr, obj in sorted(vars(mod).items()):
            if attr.startswith("_") or (public is not None and attr not in public):
                continue
            if inspect.isfunction(obj) and obj.__module__ == mod_name:
                targets.append(Target(mod_name, attr))
    for cls_path, methods in METHODS.items():
        mod_name, cls_name = cls_path.rsplit(".", 1)
        if modules and mod_name not in modules:
            continue
        try:
            cls = getattr(importlib.import_module(mod_name), cls_name)
        except (ImportError, AttributeError):
            continue
        for m in methods:
            if m in cls.__dict__ and callable(cls.__dict__[m]):
                targets.append(Target(mod_name, f"{cls_name}.{m}"))
    return targets


# ------------------------------------------------------------------------------- mutations
def _is_real_number(x) -> bool:
    import numpy as np

    return isinstance(x, (float, np.floating)) and not isinstance(x, bool)


def mutate(value, kind: str):
    """The mutated copy of ``value`` and whether anything in it changed."""
    import numpy as np

    try:
        import sympy as sp
    except ImportError:  # pragma: no cover
        sp = None
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        return value, False
    if isinstance(value, (complex, np.complexfloating)):
        if kind == "scale":
            return type(value)(value * FACTOR), True
        return (value.conjugate(), True) if value.imag != 0 else (value, False)
    if _is_real_number(value):
        return (type(value)(value * FACTOR), True) if kind == "scale" else (value, False)
    if isinstance(value, np.ndarray):
        if np.issubdtype(value.dtype, np.complexfloating):
            if kind == "scale":
                return value * FACTOR, bool(value.size)
            return np.conj(value), bool(np.any(value.imag != 0))
        if np.issubdtype(value.dtype, np.floating):
            return (value * FACTOR, bool(value.size)) if kind == "scale" else (value, False)
        if value.dtype == object:
            out = np.empty_like(value)
            changed = False
            for idx, v in np.ndenumerate(value):
                out[idx], c = mutate(v, kind)
                changed |= c
            return out, changed
        return value, False
    if sp is not None and isinstance(value, (sp.Basic, sp.MatrixBase)):
        if kind == "scale":
            if isinstance(value, sp.MatrixBase):
                return value * sp.Rational(1001, 1000), True
            if isinstance(value, sp.Expr) and not value.is_Boolean:
                return value * sp.Rational(1001, 1000), True
            return value, False
        if value.has(sp.I):
            return value.xreplace({sp.I: -sp.I}), True
        return value, False
    if isinstance(value, (tuple, list)):
        items, changed = [], False
        for v in value:
            m, c = mutate(v, kind)
            items.append(m)
            changed |= c
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*items), changed
        return type(value)(items), changed
    if isinstance(value, dict):
        out, changed = {}, False
        for k, v in value.items():
            out[k], c = mutate(v, kind)
            changed |= c
        return (type(value)(out) if type(value) is not dict else out), changed
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        import copy

        new = copy.copy(value)
        changed = False
        for f in dataclasses.fields(value):
            m, c = mutate(getattr(value, f.name), kind)
            if c:
                object.__setattr__(new, f.name, m)
                changed = True
        return new, changed
    if type(value).__name__ == "GaussianState" and hasattr(value, "amplitudes"):
        import copy

        new = copy.copy(value)
        changed = False
        slots = {"amplitudes": "_alpha", "N": "_N", "M": "_M"}  # GaussianState's private fields
        for attr, slot in slots.items():
            arr = getattr(value, attr, None)
            if arr is None:
                continue
            m, c = mutate(arr, kind)
            if c:
                try:
                    object.__setattr__(new, slot, m)
                except AttributeError:
                    return value, False
                changed = True
        return new, changed
    return value, False


# ------------------------------------------------------------------------------- patching
class Patcher:
    """Replace a function everywhere it is bound (module globals, ``from`` imports, classes)."""

    def __init__(self) -> None:
        self._undo: list[tuple[object, str, object]] = []

    def patch(self, target: Target, wrapper_factory) -> None:
        original = target.original()
        owner = target.owner()
        attr = target.qualname.split(".")[-1]
        new = wrapper_factory(original)
        if isinstance(owner, type):
            self._set(owner, attr, new)
            return
        for mod in list(sys.modules.values()):
            d = getattr(mod, "__dict__", None)
            if not d:
                continue
            for key, val in list(d.items()):
                # a module imported during the recording pass holds the recording wrapper
                if val is original or getattr(val, "__wrapped__", None) is original:
                    self._set(mod, key, new)

    def _set(self, obj, key, new) -> None:
        self._undo.append((obj, key, getattr(obj, key)))
        setattr(obj, key, new)

    def undo(self) -> None:
        for obj, key, old in reversed(self._undo):
            setattr(obj, key, old)
        self._undo.clear()


def clear_caches() -> int:
    """Empty every ``functools`` cache of nrqb's modules; the number of caches cleared.

    A private cached function that calls a public one (``zhao_sym._triangle_drift`` calls
    ``symbolic.drift_matrix_from_master_equation``) would otherwise keep a value computed while
    some earlier mutant was installed in the same worker: a later mutant could then survive (the
    poisoned cache undoes it) or be killed by a value that is not its own.  So the caches are
    emptied before and after every mutant run.
    """
    n = 0
    for name, mod in list(sys.modules.items()):
        if not (name == "nrqb" or name.startswith("nrqb.")):
            continue
        for val in list(getattr(mod, "__dict__", {}).values()):
            f = getattr(val, "__wrapped__", val) if not hasattr(val, "cache_clear") else val
            if hasattr(f, "cache_clear"):
                f.cache_clear()
                n += 1
    return n


def _mutant(kind: str):
    def factory(original):
        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            return mutate(original(*args, **kwargs), kind)[0]

        return wrapper

    return factory


# ------------------------------------------------------------------------------- pytest
def _pytest(args: list[str], plugins: list | None = None) -> int:
    import pytest

    buf = io.StringIO()
    with redirect_stdout(buf), redirect_stderr(buf):
        return int(pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:unraisableexception",
                                "-W", "ignore",
                                *args], plugins=plugins or []))


class _Recorder:
    """pytest plugin: which test calls which target, how long each test takes, what targets return."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.calls: dict[str, set[str]] = {}
        self.durations: dict[str, float] = {}
        self.returns: dict[str, dict[str, bool]] = {}
        self.outcomes: dict[str, str] = {}

    def record(self, name: str, result) -> None:
        if self.current is not None:
            self.calls.setdefault(name, set()).add(self.current)
        r = self.returns.setdefault(name, {"scale": False, "conj": False})
        for kind in KINDS:
            if not r[kind]:
                try:
                    r[kind] = mutate(result, kind)[1]
                except Exception:  # noqa: BLE001 - a result the mutator cannot copy
                    pass

    def pytest_runtest_setup(self, item):
        self.current = item.nodeid
        self._t0 = time.perf_counter()

    def pytest_runtest_teardown(self, item):
        self.durations[item.nodeid] = self.durations.get(item.nodeid, 0.0) + time.perf_counter() - self._t0
        self.current = None

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            self.outcomes.setdefault(report.nodeid, report.outcome)
            if report.outcome == "failed":
                self.outcomes[report.nodeid] = "failed"


#: the recorder of the current process (each worker of the coverage pass has its own)
_REC: list = [None]


def _record_file(path: str) -> dict:
    """Run one test file with the recording wrappers installed; return what was recorded."""
    rec = _Recorder()
    _REC[0] = rec
    t0 = time.perf_counter()
    try:
        _pytest(["-p", "no:xdist", path], plugins=[rec])
    finally:
        _REC[0] = None
    return {"calls": {k: sorted(v) for k, v in rec.calls.items()}, "durations": rec.durations,
            "returns": rec.returns, "outcomes": rec.outcomes, "path": path,
            "seconds": time.perf_counter() - t0}


def _test_files(test_paths: list[str], ignore: list[str]) -> list[str]:
    """The test files under ``test_paths`` (files or folders), largest first."""
    files: list[Path] = []
    for p in map(Path, test_paths):
        files.extend(sorted(p.rglob("test_*.py")) if p.is_dir() else [p])
    files = [f for f in files if not any(str(f).startswith(i.rstrip("/")) for i in ignore)]
    return [str(f) for f in sorted(files, key=lambda f: -f.stat().st_size)]


def coverage_pass(targets: list[Target], test_paths: list[str], ignore: list[str] = (),
                  workers: int = 1) -> _Recorder:
    """Run the unit tests once with recording wrappers on every target.

    The test files are shared out among ``workers`` forked processes (largest file first, each
    worker taking the next file when it is free); their records are merged.
    """
    patcher = Patcher()

    def recording(target):
        def factory(original):
            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                result = original(*args, **kwargs)
                if _REC[0] is not None:
                    _REC[0].record(target.name, result)
                return result

            return wrapper

        return factory

    files = _test_files(test_paths, list(ignore))
    # import every test module here, before any fork, so that each worker (here and in the mutant
    # pool) sees the same modules and no test module is first imported while a mutant is installed
    _pytest(["--collect-only", "-p", "no:xdist", *files])
    for t in targets:
        patcher.patch(t, recording(t))
    try:
        if workers > 1 and len(files) > 1:
            with mp.get_context("fork").Pool(workers) as pool:
                parts = list(pool.imap_unordered(_record_file, files, chunksize=1))
        else:
            parts = [_record_file(f) for f in files]
    finally:
        patcher.undo()
    rec = _Recorder()
    for part in parts:
        for k, v in part["calls"].items():
            rec.calls.setdefault(k, set()).update(v)
        rec.durations.update(part["durations"])
        rec.outcomes.update(part["outcomes"])
        for k, v in part["returns"].items():
            r = rec.returns.setdefault(k, {"scale": False, "conj": False})
            for kind in KINDS:
                r[kind] = r[kind] or v[kind]
    rec.file_seconds = {p["path"]: p["seconds"] for p in parts}
    return rec


def run_mutant(target: Target, kind: str, tests: list[str]) -> tuple[bool, str | None]:
    """True (and the failing test) if some test fails with the mutant installed."""

    class _FirstFailure:
        failed: str | None = None

        def pytest_runtest_logreport(self, report):
            if report.failed and self.failed is None:
                self.failed = report.nodeid

    patcher = Patcher()
    clear_caches()
    patcher.patch(target, _mutant(kind))
    spy = _FirstFailure()
    try:
        _pytest(["-x", "-p", "no:xdist", *tests], plugins=[spy])
    finally:
        patcher.undo()
        clear_caches()
    return spy.failed is not None, spy.failed


def _job(job):
    target, kind, tests = job
    t0 = time.perf_counter()
    killed, by = run_mutant(target, kind, tests)
    return target.name, kind, killed, by, time.perf_counter() - t0


# ------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", action="append", help="only this module (repeatable), e.g. nrqb.papers.lin")
    ap.add_argument("--target", action="append", help="only this target (repeatable), e.g. nrqb.papers.lin.energy_b")
    ap.add_argument("--kind", choices=[*KINDS, "both"], default="both")
    ap.add_argument("--sample", type=int, default=0, help="run only this many mutants, drawn with --seed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help="processes for the mutant runs")
    ap.add_argument("--tests", action="append", help="test paths (default: tests/)")
    ap.add_argument("--list", action="store_true", help="list the targets and exit")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    targets = discover(args.module)
    if args.target:
        targets = [t for t in targets if t.name in args.target]
    if args.list:
        for t in targets:
            print(t.name)
        print(f"{len(targets)} targets")
        return 0
    test_paths = args.tests or ["tests"]
    test_paths = [p for p in test_paths]
    t0 = time.perf_counter()
    rec = coverage_pass(targets, test_paths, ignore=["tests/tools"], workers=args.workers)
    t_cov = time.perf_counter() - t0
    broken = [k for k, v in rec.outcomes.items() if v == "failed"]
    if broken:
        print(f"the unit tests fail without any mutant ({len(broken)}), e.g. {broken[:3]}: fix them first")
        return 2
    kinds = KINDS if args.kind == "both" else (args.kind,)

    rows = []  # (target, kind, status, detail)
    jobs = []
    for t in targets:
        tests = sorted(rec.calls.get(t.name, ()), key=lambda n: rec.durations.get(n, 0.0))
        ret = rec.returns.get(t.name)
        for kind in kinds:
            if not tests:
                rows.append((t, kind, "never exercised", ""))
            elif not ret or not ret[kind]:
                rows.append((t, kind, "n/a", "not numerical" if kind == "scale" else "no complex result"))
            else:
                jobs.append((t, kind, tests))
    if args.sample and len(jobs) > args.sample:
        jobs = random.Random(args.seed).sample(jobs, args.sample)
        sampled = {(t.name, k) for t, k, _ in jobs}
        rows = [r for r in rows if (r[0].name, r[1]) in sampled]
    t1 = time.perf_counter()
    # longest expected first (the summed duration of the tests that call the target), each worker
    # taking the next mutant when it is free
    jobs.sort(key=lambda j: -sum(rec.durations.get(n, 0.0) for n in j[2]))
    if args.workers > 1 and len(jobs) > 1:
        with mp.get_context("fork").Pool(args.workers) as pool:
            results = list(pool.imap_unordered(_job, jobs, chunksize=1))
    else:
        results = [_job(j) for j in jobs]
    by_name = {t.name: t for t in targets}
    seconds = {}
    for name, kind, killed, by, dt in results:
        rows.append((by_name[name], kind, "killed" if killed else "survived", by or ""))
        seconds[(name, kind)] = dt
    t_mut = time.perf_counter() - t1

    # ------------------------------------------------------------------ report
    modules = sorted({t.module for t in targets})
    print(f"\nmutation check: {len(targets)} targets, {len(jobs)} mutants run "
          f"(coverage pass {t_cov:.0f} s, mutants {t_mut:.0f} s)\n")
    head = f"{'module':34s} {'targets':>7s} {'scale':>11s} {'conj':>11s} {'n/a':>5s} {'never':>6s}"
    print(head)
    print("-" * len(head))
    total = {"killed": 0, "run": 0}
    for mod in modules:
        mrows = [r for r in rows if r[0].module == mod]
        cell = {}
        for kind in kinds:
            run = [r for r in mrows if r[1] == kind and r[2] in ("killed", "survived")]
            k = sum(r[2] == "killed" for r in run)
            cell[kind] = f"{k}/{len(run)}"
            total["killed"] += k
            total["run"] += len(run)
        na = sum(r[2] == "n/a" for r in mrows)
        never = len({r[0].name for r in mrows if r[2] == "never exercised"})
        ntargets = len({r[0].name for r in mrows})
        print(f"{mod:34s} {ntargets:7d} {cell.get('scale', '-'):>11s} {cell.get('conj', '-'):>11s} {na:5d} {never:6d}")
    print("-" * len(head))
    print(f"killed {total['killed']} of {total['run']} mutants run\n")
    never = sorted({r[0].name for r in rows if r[2] == "never exercised"})
    survived = sorted((r[0].name, r[1]) for r in rows if r[2] == "survived")
    if never:
        print("survivors, never exercised (no unit test calls them):")
        for n in never:
            print("   ", n)
    if survived:
        print("survivors, exercised but not caught:")
        for n, k in survived:
            print(f"    {n}  [{k}]")
    notnum = sorted({r[0].name for r in rows if r[2] == "n/a" and r[3] == "not numerical"})
    if notnum:
        print(f"\nnot numerical (return no float/complex; not mutated): {len(notnum)}")
        for n in notnum:
            print("   ", n)
    slow = sorted(seconds.items(), key=lambda kv: -kv[1])[:5]
    if slow:
        print("\nslowest mutants: " + ", ".join(f"{n} [{k}] {dt:.0f} s" for (n, k), dt in slow))
    if args.json:
        args.json.write_text(json.dumps(
            [{"target": r[0].name, "kind": r[1], "status": r[2], "detail": r[3],
              "seconds": seconds.get((r[0].name, r[1]))} for r in rows], indent=1))
    return 1 if (never or survived) else 0


if __name__ == "__main__":
    sys.exit(main())
