"""Fault injection: the correct server passes, and every fault is caught by its
contract.

Each fault of the reference server is one mistake a real implementation makes. The
suite runs against the embedded server with exactly that fault switched on, limited
to the tests of the contract meant to catch it, and must fail with that contract's
headline. A contract with no fault that it catches is not done: the registry check
below fails for it by name.
"""

from __future__ import annotations

import pytest

from contracts import REGISTRY
from reference_server import FAULTS
from tests.self._suite import run_suite
from tests.self.kill_matrix import CATCHES, NOT_CONTRACT_FAULTS, pairs


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
    run = run_suite(
        "--reference-fault", fault, "--contracts", contract, "-q", "-n", "0"
    )
    assert run.returncode == 1, f"{fault} went unnoticed:\n{run.output[-3000:]}"
    assert run.verdict(contract) == "FAILED", run.output[-3000:]
    headline = f"[{contract}] {REGISTRY[contract].title}"
    assert headline in run.output, run.output[-3000:]
