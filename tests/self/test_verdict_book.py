"""The summary is built from verdict data that reports carry, never from their text.

Fake reports stand in for pytest's `TestReport`: only the attributes the book reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from contracts import REGISTRY, ContractContext, contract_of
from verdict._render import is_ours, render_failure
from verdict._reporting import (
    FAILED_CONTRACT,
    NOT_JUDGED,
    RUN_STOPPED,
    _judged_status,
    parts_of,
)
from verdict._summary import VerdictBook

_SUBTOTAL = "session_subtotal_is_sum_of_line_items"
_REQUEST_ID = "responses_carry_request_id"


@dataclass
class _Report:
    nodeid: str
    outcome: str
    contracts: tuple[str, ...]
    extra: list[tuple[str, str]] = field(default_factory=list)
    when: str = "call"
    longrepr: Any = None
    wasxfail: str | None = None

    def __post_init__(self) -> None:
        if self.wasxfail is None:
            del self.wasxfail  # the book tells xfail reports by the attribute

    @property
    def user_properties(self) -> list[tuple[str, str]]:
        return [("contract", c) for c in self.contracts] + self.extra

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def skipped(self) -> bool:
        return self.outcome == "skipped"


def _verdict(book: VerdictBook, contract: str) -> str:
    return book.verdicts()[contract][0]


def test_a_known_deviation_that_still_fails_somewhere_is_known_not_fixed() -> None:
    book = VerdictBook()
    book.record(_Report("t::a", "skipped", (_REQUEST_ID,), wasxfail="reason"))
    book.record(_Report("t::b", "passed", (_REQUEST_ID,), wasxfail="reason"))
    assert _verdict(book, _REQUEST_ID) == "xfailed"
    assert "  known      " + _REQUEST_ID in "\n".join(book.lines(header=[]))
    # The count line uses the rows' words.
    others = len(REGISTRY) - 1
    assert book.lines(header=[])[0] == f"contracts: 1 known, {others} not run"


def test_a_known_deviation_is_fixed_only_when_every_covered_test_passes() -> None:
    book = VerdictBook()
    book.record(_Report("t::a", "passed", (_REQUEST_ID,), wasxfail="reason"))
    book.record(_Report("t::b", "passed", (_REQUEST_ID,), wasxfail="reason"))
    assert _verdict(book, _REQUEST_ID) == "xpassed"


def test_a_precondition_failure_fails_its_own_contract_and_leaves_the_test_unjudged():
    book = VerdictBook()
    book.record(_Report("t::ok", "passed", ("valid_requests_succeed",)))
    book.record(
        _Report(
            "t::sub",
            "failed",
            (_SUBTOTAL,),
            [
                (FAILED_CONTRACT, "valid_requests_succeed"),
                (NOT_JUDGED, "a precondition failed first: valid_requests_succeed"),
            ],
        )
    )
    verdicts = book.verdicts()
    assert verdicts["valid_requests_succeed"][0] == "failed"
    assert verdicts[_SUBTOTAL] == (
        "not judged",
        "a precondition failed first: valid_requests_succeed",
        1,
    )


def test_the_failing_contract_comes_from_data_not_from_the_headline() -> None:
    book = VerdictBook()
    # Marked with two contracts; the data says the second failed.
    book.record(
        _Report(
            "t::machine",
            "failed",
            ("retrieve_agrees_with_model", "list_agrees_with_model"),
            [(FAILED_CONTRACT, "list_agrees_with_model")],
        )
    )
    verdicts = book.verdicts()
    assert verdicts["list_agrees_with_model"][0] == "failed"
    assert verdicts["list_agrees_with_model"][1] == (
        REGISTRY["list_agrees_with_model"].title
    )
    assert verdicts["retrieve_agrees_with_model"][0] == "not judged"


def test_a_failed_test_that_judged_nothing_is_named_in_the_summary() -> None:
    book = VerdictBook()
    book.record(
        _Report(
            "t::dead",
            "failed",
            (_SUBTOTAL,),
            [(NOT_JUDGED, "the target gave no usable answer: connection refused")],
        )
    )
    lines = book.lines(header=[])
    assert _verdict(book, _SUBTOTAL) == "not judged"
    assert lines[-1] == (
        "1 failed test(s) judged no contract; first: t::dead: the target gave no "
        "usable answer: connection refused"
    )


def test_flaky_groups_are_flattened_to_the_contract_failures_inside() -> None:
    ctx = ContractContext(
        stripe_version="2024-04-10", livemode=False, capabilities=frozenset()
    )

    class _Answer:
        status = 503
        json = None
        text = ""
        content_type = None

        def header(self, name: str) -> None:
            return None

    class _Exchange:
        response = _Answer()
        request = None

    with pytest.raises(AssertionError) as caught:
        REGISTRY["no_server_errors"].check(ctx, _Exchange())
    group = ExceptionGroup("flaky", [ExceptionGroup("inner", [caught.value])])
    found = [contract_of(p) for p in parts_of(group)]
    assert [c.name for c in found if c is not None] == ["no_server_errors"]


class _Answer:
    def __init__(self, status: int) -> None:
        self.status = status
        self.json = {"error": {"type": "api_error", "message": "Injected."}}
        self.text = '{"error": {"type": "api_error", "message": "Injected."}}'
        self.content_type = "application/json"

    def header(self, name: str) -> None:
        return None


class _Exchange:
    def __init__(self, status: int) -> None:
        self.response = _Answer(status)
        self.request = None


_CTX = ContractContext(
    stripe_version="2024-04-10", livemode=False, capabilities=frozenset()
)


def _failure(contract: str, status: int) -> tuple[BaseException, _Exchange]:
    exchange = _Exchange(status)
    with pytest.raises(AssertionError) as caught:
        REGISTRY[contract].check(_CTX, exchange)
    return caught.value, exchange


@pytest.mark.parametrize("status", [500, 503, 429])
def test_the_answer_a_failure_judged_is_found_by_its_status(status: int) -> None:
    failure, exchange = _failure("unknown_session_is_404", status)
    wanted = 500 if status >= 500 else status
    assert _judged_status(failure, wanted) is exchange
    assert _judged_status(failure, 429 if wanted == 500 else 500) is None


def test_a_failure_judged_on_a_4xx_is_not_taken_for_a_5xx() -> None:
    failure, _ = _failure("unknown_session_is_404", 400)
    assert _judged_status(failure, 500) is None
    assert _judged_status(failure, 429) is None


def test_one_headline_per_finding_even_when_hypothesis_keeps_two() -> None:
    failure = REGISTRY["no_server_errors"].failure
    first, second = failure(("Received", "500")), failure(("Received", "502"))
    rendered = render_failure(
        ExceptionGroup("Hypothesis found 2 distinct failures.", [first, second]),
        path="t.py",
        lineno=1,
        embedded=False,
    )
    crash = rendered.reprcrash
    assert crash is not None
    assert crash.message == REGISTRY["no_server_errors"].failure.title.join(
        ("[no_server_errors] ", "")
    )
    assert "ExceptionGroup" not in str(rendered)


def test_a_run_that_stopped_early_says_why_before_the_table() -> None:
    book = VerdictBook()
    sentence = "the target keeps rate limiting: it kept answering HTTP 429"
    book.record(
        _Report(
            "t::a",
            "failed",
            (_SUBTOTAL,),
            [(NOT_JUDGED, "the target gave no usable answer"), (RUN_STOPPED, sentence)],
        )
    )
    lines = book.lines(header=["head"])
    assert lines[:2] == ["head", f"The run stopped early: {sentence}"]


def test_a_suite_error_beside_a_finding_is_shown_with_its_traceback() -> None:
    finding = REGISTRY["no_server_errors"].failure(("Received", "500"))
    try:
        raise ValueError("our own bug")
    except ValueError as error:
        bug = error
    grouped = ExceptionGroup("2 distinct", [ExceptionGroup("flaky", [finding]), bug])
    assert is_ours(grouped)
    rendered = render_failure(grouped, path="t.py", lineno=1, embedded=False)
    assert rendered.reprcrash is not None
    assert rendered.reprcrash.message == (
        f"{finding.headline}; [suite error] ValueError: our own bug"
    )
    text = str(rendered)
    assert "Traceback (most recent call last)" in text
    assert 'raise ValueError("our own bug")' in text
    assert "ExceptionGroup" not in text
