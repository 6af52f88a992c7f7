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
- a 5xx is `no_server_errors`' finding, whoever met it: a failure of another
  contract judged on a 5xx answer, or in a test that met a 5xx before it failed
  (unless that contract `judges_every_answer`, see `contracts.Contract`), is
  reported as `no_server_errors` with that exchange as its reproduction, and the
  test's own contracts as not judged;
- a Hypothesis `Flaky*` error in a test that met a 5xx or got no answer is the
  target's doing (Hypothesis replayed the same requests and got another answer):
  the test is not judged, reported with the target's finding, never with a Flaky
  headline; without such evidence it stays an error of the suite;
- a target that stops accepting connections, or keeps answering 429 past the
  client's wait budget, stops the session with one sentence, which the report
  carries as `("run_stopped", sentence)`;
- a failure judged on a 429 the client's retries did not outlast leaves the test
  not judged, with no finding (the target declined to answer yet);
- the verdict data is also added to the test item, so JUnit XML carries it;
- a run that used up its request budget skips the rest, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis.errors import Flaky, Unsatisfiable

from client import (
    Exchange,
    RequestBudgetExhausted,
    TargetError,
    TargetRateLimited,
    TargetUnreachable,
)
from contracts import REGISTRY, ContractContext, ContractFailure, contract_of
from run._collection import contracts_of, failing_calls
from run._fixtures import CLIENT, FAILING_JOURNALS
from run._options import regressions_root
from run._run import RunState
from target._api import ObjectUnavailable
from verdict._regressions import save_regression
from verdict._render import is_ours, render_failure
from verdict._stateful import JournalEntry

#: User property names of the verdict data a report carries.
FAILED_CONTRACT = "failed_contract"
NOT_JUDGED = "not_judged"
SUITE_ERROR = "suite_error"
UNANSWERED_REQUEST = "unanswered_request"
RUN_STOPPED = "run_stopped"

#: The contract that owns every 5xx (and every dropped connection).
_SERVER_ERRORS = "no_server_errors"


class _ServerErrorsSeen:
    """The 5xx answers the client got during the current test call (an
    `on_exchange` hook; hooks run on the calling thread, and `list.append` is
    atomic, so concurrent requests of one test are all kept)."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        #: The requests of this test that got no answer at all, as their errors.
        self.unanswered: list[TargetError] = []

    def __call__(self, exchange: Exchange) -> None:
        if exchange.response.status >= 500:
            self.exchanges.append(exchange)


_SEEN = pytest.StashKey[_ServerErrorsSeen]()


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
    """Turn a call report into the suite's: verdict data, rendering, regressions;
    a setup or call that could not reach a verdict (see `_skip_reason`), a skip."""
    error = call.excinfo.value if call.excinfo is not None else None
    if error is None or report.when == "teardown":
        return report
    skipped_because = _skip_reason(error, state)
    if skipped_because is not None:
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            f"Skipped: {skipped_because}",
        )
        return report
    if report.when != "call":
        return report  # a fixture's own error: pytest's report stands
    known = len(report.user_properties)
    shown = _record_verdict_data(item, error, report, state)
    # JUnit XML writes the properties of the test item (its teardown report), not
    # those of the call report: the verdict data goes there too.
    item.user_properties.extend(report.user_properties[known:])
    if report.failed and is_ours(shown):
        where, lineno, _ = item.location
        report.longrepr = render_failure(
            shown,
            path=where,
            lineno=(lineno or 0) + 1,
            embedded=state is not None and state.base_url is None,
            faults=state.reference_faults if state is not None else (),
        )
    if (
        report.failed
        and item.config.getoption("save_regressions")
        and state is not None
    ):
        failed = {str(v) for k, v in report.user_properties if k == FAILED_CONTRACT}
        for saved in _save_regressions(item, error, state, failed):
            report.user_properties.append(("regression", str(saved)))
    return report


def _skip_reason(error: BaseException, state: RunState | None) -> str | None:
    """Why a test that raised `error` was not run to a verdict, if that is what it
    means: the run's request budget is spent, or every generated example needed an
    object the run cannot have (each was rejected, see `Api.resolve`), or the test
    itself needs such an object."""
    if isinstance(error, RequestBudgetExhausted):
        cap = state.max_requests if state is not None else None
        return (
            f"not judged: the run's request cap (--max-requests {cap}) is used up, "
            "shared by the workers after the run's setup requests; raise it to judge "
            "the rest"
        )
    if isinstance(error, Unsatisfiable):
        return (
            "not judged: every generated example needed an object the run does not "
            "have (see the objects in the report header; --fixture-ids supplies them)"
        )
    if isinstance(error, ObjectUnavailable):
        return str(error.msg)  # without the class name pytest would put first
    return None


def _record_verdict_data(
    item: pytest.Item,
    error: BaseException,
    report: pytest.TestReport,
    state: RunState | None,
) -> BaseException:
    """Record what `error` says about the contracts (see the module's guarantees);
    return what the report shows: `error` itself, or, when findings were moved to
    the contract that owns them, the findings as they are reported."""
    marked = contracts_of(item)
    allowed = set(marked) | {n for n in REGISTRY if REGISTRY[n].precondition}
    parts = parts_of(error)
    seen = item.config.stash.get(_SEEN, None)
    server_errors = list(seen.exchanges) if seen is not None else []
    target_failed = (
        bool(server_errors)
        or (seen is not None and bool(seen.unanswered))
        or any(_is_target_finding(p) for p in parts)
    )
    observed = sorted(
        {c.name for c in map(contract_of, parts) if c is not None and c.name in allowed}
    )
    failed: list[str] = []
    reasons: list[str] = []
    shown: list[BaseException] = []
    moved = False
    for part in parts:
        found = contract_of(part)
        judged = _server_error_judged(part) if found is not None else None
        # A 5xx met earlier in the same test leaves what the target did unknown (a
        # create answered 500 may or may not exist): no later judgement stands on it.
        answer = judged or (server_errors[0] if server_errors else None)
        if (
            found is not None
            and answer is not None
            and found.name != _SERVER_ERRORS
            and not found.judges_every_answer
        ):
            # The contract needed another answer than a 5xx: the 5xx is the
            # finding, and what the contract would have judged is unknown.
            moved = True
            where = f"({answer.request.method} {answer.request.path})"
            reasons.append(
                f"the target answered {answer.response.status} to a request "
                f"{found.name} needed {where}"
                if judged is not None
                else f"the target answered {answer.response.status} earlier in this "
                f"test {where}, so what {found.name} saw afterwards cannot be judged"
            )
            shown.append(_server_error_failure(answer, state))
            if _SERVER_ERRORS not in failed:
                failed.append(_SERVER_ERRORS)
        elif (
            found is not None
            and not found.judges_every_answer
            and (limited := _judged_status(part, 429)) is not None
        ):
            # Still 429 after the client's retries: the target declined to answer
            # yet, which says nothing about the contract (nor against the target).
            moved = True
            reasons.append(
                f"the target still answered 429 to a request {found.name} needed "
                f"({limited.request.method} {limited.request.path})"
            )
            shown.append(
                TargetRateLimited(
                    f"{limited.request.url} still answered HTTP 429 (Too Many "
                    "Requests) after the client's retries, so its contract was not "
                    "judged: lower --max-rps or the number of workers (-n).",
                    url=limited.request.url,
                )
            )
        elif found is not None and found.name in allowed:
            shown.append(part)
            if found.name not in failed:
                failed.append(found.name)
        elif found is not None:
            shown.append(part)
            reasons.append(
                f"suite error: the test is marked {', '.join(marked)} but raised a "
                f"failure of {found.name}"
            )
            report.user_properties.append((SUITE_ERROR, reasons[-1]))
        elif isinstance(part, Flaky) and target_failed:
            # Hypothesis replayed the requests of a failing example and the target
            # answered otherwise (a random 5xx, a cut connection): the target's
            # doing, reported by the finding it made, not by Hypothesis' complaint.
            moved = True
            reasons.append(
                "the target answered differently when Hypothesis replayed the same "
                "requests (it met a 5xx or got no answer)"
            )
        elif isinstance(part, Flaky) and observed:
            # A contract failure was observed and reported above; Hypothesis then
            # could not replay it the same way because the target's answers
            # changed (sessions landing in other seconds): not the suite's error.
            reasons.append(
                f"the failure of {', '.join(observed)} did not replay the same way "
                "(the target answered differently when the requests were sent again)"
            )
        elif isinstance(part, TargetError):
            shown.append(part)
            reasons.append(f"the target gave no usable answer: {part}")
            client = item.config.stash.get(CLIENT, None)
            first = client.first_unanswered if client is not None else None
            if first is not None:
                report.user_properties.append((UNANSWERED_REQUEST, first.to_curl()))
            _stop_if_gone(item, part, report)
        else:
            shown.append(part)
            reasons.append(f"suite error: {type(part).__name__}: {part}")
            report.user_properties.append((SUITE_ERROR, reasons[-1]))
    if moved and not shown:
        # Only the Flaky complaint was left: what the target did is the finding,
        # the 5xx this test met, else the first request that got no answer.
        if server_errors:
            shown.append(_server_error_failure(server_errors[0], state))
            failed.append(_SERVER_ERRORS)
        elif seen is not None and seen.unanswered:
            shown.append(seen.unanswered[0])
            reasons.insert(0, f"the target gave no usable answer: {shown[-1]}")
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
    if not moved or not shown:
        return error
    if len(shown) == 1:
        return shown[0]
    return ExceptionGroup("findings", [p for p in shown if isinstance(p, Exception)])


def _is_target_finding(part: BaseException) -> bool:
    """True for no answer at all, or `no_server_errors`' failure."""
    found = contract_of(part)
    return isinstance(part, TargetError) or (
        found is not None and found.name == _SERVER_ERRORS
    )


def _stop_if_gone(
    item: pytest.Item, part: TargetError, report: pytest.TestReport
) -> None:
    """Stop the session when every later test would only repeat `part`: a target
    that answered before and now refuses connections is gone, and one that keeps
    answering 429 past the wait budget will refuse the next test too."""
    if isinstance(part, TargetUnreachable):
        sentence = (
            f"the target stopped answering ({part}); the request it got "
            "last is the likely cause, see the summary"
        )
    elif isinstance(part, TargetRateLimited):
        sentence = f"the target keeps rate limiting: {part}"
    else:
        return
    item.session.shouldstop = sentence
    report.user_properties.append((RUN_STOPPED, sentence))


def _server_error_judged(failure: BaseException) -> Exchange | None:
    """The first 5xx answer among the exchanges `failure` judged (those it shows as
    its reproduction, and those of the step it judged last)."""
    return _judged_status(failure, 500)


def _judged_status(failure: BaseException, status: int) -> Exchange | None:
    """The first answer among the exchanges `failure` judged whose status is
    `status` (500: any 5xx)."""
    if not isinstance(failure, ContractFailure):
        return None
    judged = list(failure.exchanges)
    if failure.steps:
        judged += list(failure.steps[-1].exchanges)
    for exchange in judged:
        got = exchange.response.status
        if got == status or (status == 500 and got >= 500):
            return exchange
    return None


def _server_error_failure(exchange: Exchange, state: RunState | None) -> BaseException:
    """`no_server_errors`' own failure for `exchange`, raised by the contract."""
    ctx = ContractContext(
        stripe_version=state.stripe_version if state is not None else "",
        capabilities=state.granted if state is not None else frozenset(),
    )
    try:
        REGISTRY[_SERVER_ERRORS].check(ctx, exchange)
    except ContractFailure as failure:
        return failure
    raise AssertionError(f"no_server_errors accepted a {exchange.response.status}")


def _save_regressions(
    item: pytest.Item, error: BaseException, state: RunState, failed: set[str]
) -> list[Path]:
    """Save the minimal example of each failure in `error` of a contract the report
    says `failed`; return the files."""
    failures = parts_of(error)
    calls = failing_calls(item)
    journals = item.stash.get(FAILING_JOURNALS, [])
    # A Hypothesis test fails with generated arguments; a state machine test with
    # the journal of its failing run.
    cases: list[tuple[dict[str, Any] | None, list[JournalEntry] | None]] = (
        [(kwargs, None) for kwargs in calls[-len(failures) :]]
        if calls
        else [(None, journal) for journal in journals[-len(failures) :]]
    )
    saved = []
    for failure, (kwargs, sequence) in zip(failures, cases, strict=False):
        found = contract_of(failure)
        if found is None or found.name not in failed or not (kwargs or sequence):
            continue
        if found.name != _SERVER_ERRORS and _server_error_judged(failure):
            continue  # moved to no_server_errors: a 5xx, not this contract's example
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
    """Forget the failing calls of earlier runs of `item`'s test function, and the
    5xx answers of earlier tests."""
    failing_calls(item).clear()
    seen = item.config.stash.get(_SEEN, None)
    if seen is None:
        seen = item.config.stash[_SEEN] = _ServerErrorsSeen()
    seen.exchanges.clear()
    seen.unanswered.clear()
    client = item.config.stash.get(CLIENT, None)
    if client is not None and seen not in client.on_exchange:
        # Added between tests, when no request of this client is in flight.
        client.on_exchange.append(seen)
        # The client publishes answers only; a request that got none is counted
        # here, even when the test (or Hypothesis, on replay) swallows the error.
        send = client.request

        def counted(*args: Any, **kwargs: Any) -> Exchange:
            try:
                return send(*args, **kwargs)
            except TargetError as error:
                seen.unanswered.append(error)
                raise

        client.request = counted  # type: ignore[method-assign]
