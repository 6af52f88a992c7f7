"""Journaled state machines: a failing run's sequence of rule calls is written down,
saved as a plain file, read back, and replayed step by step with its invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, rule, run_state_machine_as_test

from contracts import ContractFailure
from contracts._failures import Step
from verdict._regressions import load_regressions, save_regression
from verdict._stateful import (
    JournaledMachine,
    JournalEntry,
    journaled,
)

NODEID = "tests/contract/test_toy.py::test_toy_machine"


class Counters(JournaledMachine):
    """A toy machine: counters are created and bumped; the invariant breaks once any
    counter reaches 2, and `refuse_bumps` makes bumping unsupported."""

    counters = Bundle("counters")
    refuse_bumps = False

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, int] = {}
        self.calls: list[str] = []

    @rule(target=counters, name=st.sampled_from(["a", "b", "c"]))
    @journaled()
    def new(self, name: str) -> str:
        key = f"{name}{len(self.values)}"
        self.values[key] = 0
        self.calls.append(f"new {key}")
        return key

    @rule(counter=counters, by=st.integers(1, 3))
    @journaled(refs=["counter"])
    def bump(self, counter: str, by: int) -> None:
        self.values[counter] += by
        self.calls.append(f"bump {counter} {by}")

    def can_replay(self, rule: str) -> bool:
        return not (rule == "bump" and self.refuse_bumps)

    def check(self) -> None:
        assert all(v < 2 for v in self.values.values()), self.values


failing_journals: list[list[JournalEntry]] = []


@pytest.fixture(autouse=True)
def _fresh_journals():
    failing_journals.clear()
    Counters.journal_sink = failing_journals
    yield
    Counters.journal_sink = None
    Counters.refuse_bumps = False


def test_a_failing_run_leaves_its_minimal_journal_last():
    with pytest.raises(AssertionError):
        run_state_machine_as_test(
            Counters, settings=settings(max_examples=200, database=None)
        )
    minimal = failing_journals[-1]
    assert [e["rule"] for e in minimal] == ["new", "bump"]
    assert minimal[1]["refs"] == {"counter": 0}
    assert minimal[1]["args"] == {"by": 2}
    assert "counter" not in minimal[1]["args"]


def test_replay_resolves_references_and_checks_invariants_after_each_step():
    journal = [
        JournalEntry(rule="new", args={"name": "a"}, refs={}),
        JournalEntry(rule="new", args={"name": "b"}, refs={}),
        JournalEntry(rule="bump", args={"by": 1}, refs={"counter": 1}),
        JournalEntry(rule="bump", args={"by": 1}, refs={"counter": 1}),
        JournalEntry(rule="new", args={"name": "c"}, refs={}),
    ]
    with pytest.raises(AssertionError, match="'b1': 2"):
        Counters.replay(journal)
    # The replay stopped at the step that broke the invariant, and said so.
    assert [e["rule"] for e in failing_journals[-1]] == ["new", "new", "bump", "bump"]


def test_replay_of_a_sound_journal_passes():
    Counters.replay([JournalEntry(rule="new", args={"name": "a"}, refs={})])


def test_replay_leaves_out_rules_the_target_cannot_run():
    Counters.refuse_bumps = True
    Counters.replay(
        [
            JournalEntry(rule="new", args={"name": "a"}, refs={}),
            JournalEntry(rule="bump", args={"by": 3}, refs={"counter": 0}),
        ]
    )


def test_replay_names_a_rule_the_machine_no_longer_has():
    with pytest.raises(LookupError, match="'vanished'"):
        Counters.replay([JournalEntry(rule="vanished", args={}, refs={})])


class _StepsFailure(ContractFailure):
    title = "a toy failure that shows its steps"


class StepCounters(Counters):
    """Counters whose invariant fails as a contract failure showing the steps."""

    def check(self) -> None:
        if any(v >= 2 for v in self.values.values()):
            raise _StepsFailure(steps=[Step(call, ()) for call in self.calls])


def test_a_replayed_failure_says_its_steps_come_from_the_saved_file():
    journal = [
        JournalEntry(rule="new", args={"name": "a"}, refs={}),
        JournalEntry(rule="bump", args={"by": 2}, refs={"counter": 0}),
    ]
    with pytest.raises(_StepsFailure) as raised:
        StepCounters.replay(journal, source="regressions/toy/abc.json")
    report = str(raised.value)
    assert "Steps (replayed from regressions/toy/abc.json):" in report, report
    assert "1. new a0" in report, report
    assert "2. bump a0 2" in report, report
    assert "shortest sequence" not in report


def test_a_generated_failure_says_hypothesis_found_its_steps():
    with pytest.raises(_StepsFailure) as raised:
        run_state_machine_as_test(
            StepCounters, settings=settings(max_examples=200, database=None)
        )
    assert "Steps (the shortest sequence Hypothesis found):" in str(raised.value)


def test_a_sequence_survives_the_regression_file(tmp_path):
    sequence = [
        JournalEntry(rule="new", args={"name": "a", "tags": ("x", 1)}, refs={}),
        JournalEntry(rule="bump", args={"by": 2}, refs={"counter": 0}),
    ]

    def save() -> Path:
        return save_regression(
            tmp_path,
            nodeid=NODEID,
            contract="toy",
            title="a toy failure",
            sequence=sequence,
            profile="full",
            stripe_version="2024-04-10",
        )

    path = save()
    raw = json.loads(path.read_text())
    assert "kwargs" not in raw
    assert raw["sequence"][1]["refs"] == {"counter": 0}
    (loaded,) = load_regressions(tmp_path, NODEID)
    assert loaded.sequence == sequence
    assert loaded.kwargs == {}
    # Saving the same sequence again writes nothing new.
    again = save()
    assert again == path
    assert len(list(tmp_path.rglob("*.json"))) == 1


def test_a_regression_holds_arguments_or_a_sequence_not_both(tmp_path):
    with pytest.raises(TypeError):
        save_regression(
            tmp_path,
            nodeid=NODEID,
            contract="toy",
            title="t",
            kwargs={"a": 1},
            sequence=[],
            profile="full",
            stripe_version="2024-04-10",
        )
