"""State machines whose failing runs can be saved as plain files and replayed.

Hypothesis keeps a failing state-machine run in its example database, as bytes that
only the same strategies can read back. A regression file must be reviewable and
outlive changes to the strategies, so a `JournaledMachine` writes down every rule it
runs (the rule's name and its arguments, and which arguments are results of earlier
rules) and `replay` runs such a journal again, step by step, checking the machine's
invariants after each step as Hypothesis does.

Nothing here knows the API under test: a machine says which arguments come from
bundles (`journaled(refs=...)`), what its invariants are (`check`) and which rules
a target may not support (`can_replay`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NamedTuple, TypedDict, TypeVar

from hypothesis.stateful import RuleBasedStateMachine, invariant


class JournalEntry(TypedDict):
    """One rule call: `args` are literal values, `refs` name earlier results by
    their index (the n-th value a rule returned in this run)."""

    rule: str
    args: dict[str, Any]
    refs: dict[str, int]


class SavedSequence(NamedTuple):
    """A journal read back from a regression file, and where it was read from."""

    source: str
    journal: list[JournalEntry]


_Method = TypeVar("_Method", bound=Callable[..., Any])


class JournaledMachine(RuleBasedStateMachine):
    """A rule-based state machine that records each rule call in `journal`.

    Rules are decorated with `journaled` (under `@rule`/`@initialize`), the machine's
    invariants live in `check` (run after every step, generated or replayed), and a
    run that fails leaves its journal in `journal_sink` when the test gave one (the
    `failing_journals` fixture: the test's own list, in its stash). Hypothesis runs
    each minimal failing example last, so the sink's tail is what
    `--save-regressions` keeps.
    """

    journal_sink: ClassVar[list[list[JournalEntry]] | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.journal: list[JournalEntry] = []
        self.results: list[Any] = []

    def check(self) -> None:
        """The machine's invariants; override."""

    @invariant()
    def invariants_hold(self) -> None:
        """`check`, remembering the journal of a run that fails it."""
        try:
            self.check()
        except Exception:
            self._keep_failing_journal()
            raise

    def _keep_failing_journal(self) -> None:
        if self.journal_sink is not None:
            self.journal_sink.append(list(self.journal))

    def can_replay(self, rule: str) -> bool:
        """Whether the target can run `rule` at all (a saved journal may come from a
        target with more capabilities); steps it cannot run are left out."""
        return True

    @classmethod
    def replay(
        cls, journal: Sequence[JournalEntry], *, source: str = "a saved journal"
    ) -> None:
        """Run `journal` on a new machine: each step, then `check`. A step naming a
        rule the machine no longer has is a `LookupError` that says so. An error
        that shows its steps (a `steps_origin` attribute) is told they were replayed
        from `source`, not found by Hypothesis."""
        machine = cls()
        try:
            for entry in journal:
                method = getattr(machine, entry["rule"], None)
                if method is None:
                    raise LookupError(
                        f"{cls.__name__} has no journaled rule {entry['rule']!r}"
                    )
                if not machine.can_replay(entry["rule"]):
                    continue
                arguments = dict(entry["args"])
                arguments.update(
                    {name: machine.results[i] for name, i in entry["refs"].items()}
                )
                method(**arguments)
                machine.invariants_hold()
        except Exception as error:
            if hasattr(error, "steps_origin"):
                error.steps_origin = f"replayed from {source}"
            raise
        finally:
            machine.teardown()


def journaled(*, refs: Sequence[str] = ()) -> Callable[[_Method], _Method]:
    """Record each call of the decorated rule in the machine's journal; the arguments
    named in `refs` are values an earlier rule returned (bundle draws) and are saved
    as references to that result. What the rule returns becomes a result."""

    def decorate(method: _Method) -> _Method:
        @functools.wraps(method)
        def recording(self: JournaledMachine, **arguments: Any) -> Any:
            self.journal.append(
                JournalEntry(
                    rule=method.__name__,
                    args={k: v for k, v in arguments.items() if k not in refs},
                    refs={k: self.results.index(arguments[k]) for k in refs},
                )
            )
            try:
                result = method(self, **arguments)
            except Exception:
                self._keep_failing_journal()
                raise
            if result is not None:
                self.results.append(result)
            return result

        return recording  # type: ignore[return-value]

    return decorate
