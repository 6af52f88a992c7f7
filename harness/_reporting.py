"""From a finished test to its verdict: which contract the failure belongs to (as
data, read from the exception, never from its text), the report a user reads, and
the regression files `--save-regressions` keeps.

Guarantees:
- every failed call report carries `("failed_contract", name)` for each contract
  whose failure it raised, and `("not_judged", reason)` when the test's own
  contracts could not be judged (a precondition contract failed, the target gave no
  answer, or the suite itself broke);
- a test that raises the failure of a contract it is not marked with (other than a
  precondition contract, which any test may raise on its way) is reported as an
  error of the suite, not as a finding against the target;
- a run that used up its request budget skips the rest, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis.errors import Unsatisfiable

from client import RequestBudgetExhausted, TargetError, TargetUnreachable
from contracts import REGISTRY, contract_of
from harness._collection import contracts_of, failing_calls
from harness._fixtures import CLIENT
from harness._options import regressions_root
from harness._regressions import save_regression
from harness._render import is_ours, render_failure
from harness._run import RunState
from harness._stateful import JournalEntry, failing_journals

#: User property names of the verdict data a report carries.
FAILED_CONTRACT = "failed_contract"
NOT_JUDGED = "not_judged"
SUITE_ERROR = "suite_error"
UNANSWERED_REQUEST = "unanswered_request"


def parts_of(error: BaseException) -> list[BaseException]:
    """The distinct failures inside `error` (Hypothesis groups them, also when it
    calls a failure flaky), flattened."""
    if isinstance(error, BaseExceptionGroup):
        return [p for e in error.exceptions for p in parts_of(e)]
    return [error]


def complete_report(
    item: pytest.Item,
    call: pytest.CallInfo[None],
    report: pytest.TestReport,
    state: RunState | None,
) -> pytest.TestReport:
    """Turn a call report into the suite's: verdict data, rendering, regressions."""
    error = call.excinfo.value if call.excinfo is not None else None
    if error is None or report.when != "call":
        return report
    skipped_because = _skip_reason(error)
    if skipped_because is not None:
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            f"Skipped: {skipped_because}",
        )
        return report
    _record_verdict_data(item, error, report)
    if report.failed and is_ours(error):
        where, lineno, _ = item.location
        report.longrepr = render_failure(
            error,
            path=where,
            lineno=(lineno or 0) + 1,
            embedded=state is not None and state.base_url is None,
        )
    if (
        report.failed
        and item.config.getoption("save_regressions")
        and state is not None
    ):
        for saved in _save_regressions(item, error, state):
            report.user_properties.append(("regression", str(saved)))
    return report


def _skip_reason(error: BaseException) -> str | None:
    """Why a test that raised `error` was not run to a verdict, if that is what it
    means: the run's request budget is spent, or every generated example needed an
    object the run cannot have (each was rejected, see `Api.resolve`)."""
    if isinstance(error, RequestBudgetExhausted):
        return f"the run's request budget is used up ({error})"
    if isinstance(error, Unsatisfiable):
        return (
            "not judged: every generated example needed an object the run does not "
            "have (see the objects in the report header; --fixture-ids supplies them)"
        )
    return None


def _record_verdict_data(
    item: pytest.Item, error: BaseException, report: pytest.TestReport
) -> None:
    marked = contracts_of(item)
    allowed = set(marked) | {n for n in REGISTRY if REGISTRY[n].precondition}
    failed: list[str] = []
    reasons: list[str] = []
    for part in parts_of(error):
        found = contract_of(part)
        if found is not None and found.name in allowed:
            if found.name not in failed:
                failed.append(found.name)
        elif found is not None:
            reasons.append(
                f"suite error: the test is marked {', '.join(marked)} but raised a "
                f"failure of {found.name}"
            )
            report.user_properties.append((SUITE_ERROR, reasons[-1]))
        elif isinstance(part, TargetError):
            reasons.append(f"the target gave no usable answer: {part}")
            client = item.config.stash.get(CLIENT, None)
            first = client.first_unanswered if client is not None else None
            if first is not None:
                report.user_properties.append((UNANSWERED_REQUEST, first.to_curl()))
            if isinstance(part, TargetUnreachable):
                # A target that answered before and now refuses connections is
                # gone: every later test would only repeat this.
                item.session.shouldstop = (
                    f"the target stopped answering ({part}); the request it got "
                    "last is the likely cause, see the summary"
                )
        else:
            reasons.append(f"suite error: {type(part).__name__}: {part}")
            report.user_properties.append((SUITE_ERROR, reasons[-1]))
    for name in failed:
        report.user_properties.append((FAILED_CONTRACT, name))
    unjudged = [name for name in marked if name not in failed]
    if unjudged and (failed or reasons):
        reason = (
            reasons[0]
            if reasons
            else f"a precondition failed first: {', '.join(failed)}"
        )
        report.user_properties.append((NOT_JUDGED, reason))


def _save_regressions(
    item: pytest.Item, error: BaseException, state: RunState
) -> list[Path]:
    """Save the minimal example of each contract failure in `error`; return the
    files."""
    failures = parts_of(error)
    calls = failing_calls(item)
    # A Hypothesis test fails with generated arguments; a state machine test with
    # the journal of its failing run.
    cases: list[tuple[dict[str, Any] | None, list[JournalEntry] | None]] = (
        [(kwargs, None) for kwargs in calls[-len(failures) :]]
        if calls
        else [(None, journal) for journal in failing_journals[-len(failures) :]]
    )
    saved = []
    for failure, (kwargs, sequence) in zip(failures, cases, strict=False):
        found = contract_of(failure)
        if found is None or not (kwargs or sequence):
            continue
        path = save_regression(
            regressions_root(item.config),
            nodeid=item.nodeid,
            contract=found.name,
            title=found.title,
            kwargs=kwargs,
            sequence=sequence,
            profile=state.profile,
            stripe_version=state.stripe_version,
        )
        saved.append(path)
    return saved


def start_call(item: pytest.Item) -> None:
    """Forget the failing calls of earlier runs of `item`'s test function."""
    failing_calls(item).clear()
    failing_journals.clear()
