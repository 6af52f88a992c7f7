"""Fault injection: the correct server passes, and every fault is caught by its
contract.

Each fault of the reference server is one mistake a real implementation makes. The
suite runs against the embedded server with exactly that fault switched on, limited
to the tests of the contract meant to catch it, and must fail with that contract's
headline. A contract with no fault that it catches is not done: the registry check
below fails for it by name.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import REGISTRY
from reference_server import FAULTS
from run import _settings
from run._settings import (
    SHRINK_BUDGETS,
    SHRINK_FLOOR,
    SHRINK_TOTAL,
    register_profiles,
    reset_shrinking_spent,
)
from tests.self._suite import run_suite
from tests.self.kill_matrix import (
    CATCHES,
    NOT_CONTRACT_FAULTS,
    PROVING_FAULTS,
    UNPROVEN,
    pairs,
)

ROOT = Path(__file__).resolve().parents[2]


def test_every_contract_has_a_fault_it_catches():
    uncaught = sorted(set(REGISTRY) - {c for _, c in pairs()})
    assert not uncaught, f"contracts with no fault proving them: {uncaught}"


def test_every_fault_is_in_the_matrix():
    assert set(FAULTS) == set(CATCHES) | set(NOT_CONTRACT_FAULTS)
    assert {c for _, c in pairs()} <= set(REGISTRY)


def test_correct_server_passes_the_whole_suite():
    run = run_suite("-n", "2", "-q")
    assert run.returncode == 0, run.output[-4000:]
    verdicts = run.verdicts()
    assert set(verdicts) == set(REGISTRY), "every contract is judged"
    assert set(verdicts.values()) == {"passed"}, verdicts


@pytest.mark.parametrize(("fault", "contract"), pairs())
def test_fault_is_caught_by_its_contract(fault, contract):
    """The fault fails its contract, with the contract's headline; and (the same
    run, where it selected them) each coverage row the fault proves has its gate test
    failing (see `test_proving_fault_fails_the_rows_tests` for the rest)."""
    run = run_suite(
        "--reference-fault", fault, "--contracts", contract, "-q", "-n", "0"
    )
    assert run.returncode == 1, f"{fault} went unnoticed:\n{run.output[-3000:]}"
    assert run.verdict(contract) == "FAILED", run.output[-3000:]
    headline = f"[{contract}] {REGISTRY[contract].title}"
    assert headline in run.output, run.output[-3000:]
    if contract == CATCHES[fault][0]:
        failed = re.findall(r"^FAILED (tests/contract/\S+::\w+)", run.output, re.M)
        unproven = set(ROWS_IN_CONTRACT_RUN.get(fault, ())) - set(failed)
        assert not unproven, (sorted(unproven), run.output[-3000:])


# -- time to a failing verdict ---------------------------------------------------


def _slow_to_shrink_failure() -> tuple[int, float]:
    """Run a failure whose shrinking takes ~10 s unbounded (about 200 attempts, each
    paying a slow round trip's worth of time) under the gate profile: (the attempts
    made, the seconds taken)."""
    calls = 0

    @settings(settings.get_profile("contracts-gate"), max_examples=5)
    @given(st.lists(st.tuples(st.integers(), st.text(), st.booleans()), min_size=30))
    def slow_to_shrink(values):
        nonlocal calls
        calls += 1
        time.sleep(0.05)
        assert sum(1 for n, s, b in values if b or n % 7 == 3 or len(s) > 2) < 5

    previous = settings.get_current_profile_name()
    settings.load_profile("contracts-gate")
    started = time.monotonic()
    try:
        with pytest.raises(AssertionError):
            slow_to_shrink()
    finally:
        settings.load_profile(previous)
    return calls, time.monotonic() - started


def test_gate_profile_budgets_shrinking():
    """A slow-to-shrink failure ends within the gate profile's budget, still with a
    failing example."""
    register_profiles()
    reset_shrinking_spent()
    calls, elapsed = _slow_to_shrink_failure()
    budget = SHRINK_BUDGETS["contracts-gate"]
    assert calls > 10, "the failure was shrunk"
    assert elapsed < budget + 2, f"shrinking took {elapsed:.1f} s ({calls} calls)"


def test_a_process_shrinks_all_its_failures_within_a_total():
    """Once a process has spent its total on earlier failures, a further failure is
    shrunk only for the floor: a mistake that fails a dozen tests costs the run
    `SHRINK_TOTAL` seconds of shrinking per worker, not a dozen budgets."""
    register_profiles()
    reset_shrinking_spent()
    _settings._shrinking_spent[0] = SHRINK_TOTAL
    try:
        _, elapsed = _slow_to_shrink_failure()
    finally:
        reset_shrinking_spent()
    assert elapsed < SHRINK_FLOOR + 1.5, f"shrinking took {elapsed:.1f} s"


# -- the coverage table (docs/COVERAGE.md) --------------------------------------


def _coverage_rows():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("coverage_table").rows()
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def test_coverage_table_is_current():
    done = subprocess.run(
        [sys.executable, "scripts/coverage_table.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_coverage_row_has_a_gate_test():
    for row in _coverage_rows():
        for test in row.tests:
            module, _, name = test.partition("::")
            tests = importlib.import_module(f"tests.contract.{module[:-3]}")
            assert callable(getattr(tests, name, None)), f"{row.key}: no {test}"


def test_every_coverage_row_is_proven_or_known_unproven():
    """No row without a proving fault, except the known ones, which may only shrink
    (a proven row still listed as unproven fails too)."""
    keys = {row.key for row in _coverage_rows()}
    assert set(PROVING_FAULTS) <= keys, sorted(set(PROVING_FAULTS) - keys)
    assert set(PROVING_FAULTS).isdisjoint(UNPROVEN)
    assert keys - set(PROVING_FAULTS) == set(UNPROVEN), sorted(
        (keys - set(PROVING_FAULTS)) ^ set(UNPROVEN)
    )
    assert set(PROVING_FAULTS.values()) <= set(FAULTS)


def _row_tests(*, in_the_contract_run: bool) -> dict[str, list[str]]:
    """fault -> the gate test of every row it proves, as node ids: those whose test is
    judged by the fault's first contract (and so runs in that contract's run), or
    the others."""
    nodes: dict[str, set[str]] = {}
    for row in _coverage_rows():
        fault = PROVING_FAULTS.get(row.key)
        if fault is None or (row.contract == CATCHES[fault][0]) != in_the_contract_run:
            continue
        nodes.setdefault(fault, set()).add(f"tests/contract/{row.tests[0]}")
    return {fault: sorted(tests) for fault, tests in sorted(nodes.items())}


#: Rows proven within `test_fault_is_caught_by_its_contract` (one run per fault
#: serves both), and the rest, proven by a run of their own: a partition of the
#: proven rows, so each is checked exactly once.
ROWS_IN_CONTRACT_RUN = _row_tests(in_the_contract_run=True)
ROWS_ON_THEIR_OWN = _row_tests(in_the_contract_run=False)


@pytest.mark.parametrize(("fault", "tests"), sorted(ROWS_ON_THEIR_OWN.items()))
def test_proving_fault_fails_the_rows_tests(fault, tests):
    """With the fault on, each of its rows' gate tests fails: the tests are selected
    by node id (`-k` matches substrings, and one row's test name can be the prefix of
    another's), one run per fault."""
    run = run_suite("--reference-fault", fault, *tests, "-q", "-n", "0")
    assert run.returncode == 1, f"{fault} went unnoticed:\n{run.output[-3000:]}"
    failed = re.findall(r"^FAILED (tests/contract/\S+::\w+)", run.output, re.M)
    assert sorted(failed) == tests, run.output[-3000:]
