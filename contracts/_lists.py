"""List and pagination contracts (catalogue §5).

On a shared account other traffic creates sessions while the suite walks a list, so
these contracts assert relative invariants over the objects this run created
(present, ordered, not duplicated), never absolute counts. The cursor contracts hold
for every list endpoint (the sessions list, a session's line items): they judge
ids and `has_more` only, relative to the list's own order, whatever that order is.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._errors import ExpectedRefusal, refusal_problems
from contracts._failures import ContractFailure
from contracts._helpers import error_field, error_summary, json_object
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange

DEFAULT_LIMIT = 10


def _data(page: Exchange) -> list[dict[str, Any]]:
    data = (json_object(page) or {}).get("data")
    return [item for item in data or [] if isinstance(item, dict)]


def _ids(pages: Sequence[Exchange]) -> list[str]:
    return [str(item.get("id")) for page in pages for item in _data(page)]


class MalformedList(ContractFailure):
    """A list answer is not Stripe's list envelope for the path asked."""

    title = "List answer is not a valid list envelope"


@contract(failure=MalformedList, catalogue=("§5.1", "P-07"))
def list_envelope_is_valid(ctx: ContractContext, exchange: Exchange) -> None:
    """`{"object": "list", "data": [...], "has_more": bool, "url": <path>}` where
    `url` is the request path without its query string."""
    body = json_object(exchange) or {}
    problems = []
    if body.get("object") != "list":
        problems.append(f"object={body.get('object')!r}, expected 'list'")
    if not isinstance(body.get("data"), list):
        problems.append(f"data={body.get('data')!r}, expected an array")
    if not isinstance(body.get("has_more"), bool):
        problems.append(f"has_more={body.get('has_more')!r}, expected true or false")
    if body.get("url") != exchange.request.path:
        problems.append(f"url={body.get('url')!r}, expected {exchange.request.path!r}")
    if problems:
        raise MalformedList(
            ("Received", "\n".join(problems)),
            exchanges=[exchange],
            focus=["object", "url", "has_more"],
        )


class LimitNotRespected(ContractFailure):
    """A page holds more objects than `limit`, or fewer while claiming more exist."""

    title = "List page does not respect limit"


@contract(failure=LimitNotRespected, catalogue=("P-01", "§5.2"))
def list_respects_limit(
    ctx: ContractContext, exchange: Exchange, limit: int | None
) -> None:
    """A page holds at most `limit` objects (10 when not given), and exactly `limit`
    whenever `has_more` is true."""
    body = json_object(exchange) or {}
    count, cap = len(_data(exchange)), limit if limit is not None else DEFAULT_LIMIT
    if count > cap or (body.get("has_more") is True and count != cap):
        raise LimitNotRespected(
            ("Received", f"{count} objects, has_more={body.get('has_more')!r}"),
            (
                "Expected",
                f"at most {cap} objects{' (the default)' if limit is None else ''}, "
                f"exactly {cap} when has_more is true",
            ),
            exchanges=[exchange],
            focus=["has_more", "url"],
        )


class LimitOutOfRangeAccepted(ContractFailure):
    """A `limit` outside 1..100 was not refused."""

    title = "List limit outside 1..100 is not refused"


# The spec itself states the range ("Limit can range between 1 and 100"), so a
# target that validates requests against the spec can meet this: no capability.
@contract(failure=LimitOutOfRangeAccepted, catalogue=("§5.3", "§12 #13"))
def list_limit_out_of_range_refused(
    ctx: ContractContext, exchange: Exchange, case: ExpectedRefusal
) -> None:
    """`limit` 0, 101, negative or non-integer is refused with 400
    invalid_request_error."""
    if refusal_problems(exchange, status=case.status, error_type=case.error_type):
        raise LimitOutOfRangeAccepted(
            ("Sent", case.description),
            ("Received", error_summary(exchange)),
            ("Expected", f"{case.status} {case.error_type}"),
            exchanges=[exchange],
            focus=["error", "data"],
        )


class NotNewestFirst(ContractFailure):
    """A list is not in reverse chronological order."""

    title = "List is not ordered newest first"


@contract(failure=NotNewestFirst, requires={"stateful"}, catalogue=("P-03", "§5.3"))
def list_is_newest_first(
    ctx: ContractContext, pages: Sequence[Exchange], older_id: str, newer_id: str
) -> None:
    """Across a walk, `created` never increases, and a session created in a later
    second than another is listed before it (order within one second is Stripe's
    to choose, so it is not judged)."""
    items = [item for page in pages for item in _data(page)]
    created = [item.get("created") for item in items]
    seconds = [c if isinstance(c, int) else None for c in created]
    problems = [
        f"{items[i].get('id')} (created {created[i]}) is listed before "
        f"{items[i + 1].get('id')} (created {created[i + 1]})"
        for i, (this, then) in enumerate(itertools.pairwise(seconds))
        if this is not None and then is not None and this < then
    ][:3]
    ids = [item.get("id") for item in items]
    if (
        older_id in ids
        and newer_id in ids
        and ids.index(older_id) < ids.index(newer_id)
    ):
        problems.append(
            f"{older_id} (older) is listed before {newer_id} (created a second later)"
        )
    if problems:
        raise NotNewestFirst(
            ("Received", "\n".join(problems)), exchanges=list(pages), focus=["data"]
        )


class IncompleteForwardWalk(ContractFailure):
    """Walking a list with `starting_after` duplicated, skipped or never ended."""

    title = "Walking the list with starting_after is not complete and exact"


@contract(
    failure=IncompleteForwardWalk, requires={"stateful"}, catalogue=("P-02", "P-01")
)
def list_forward_walk_is_complete(
    ctx: ContractContext, pages: Sequence[Exchange], expected_ids: Collection[str]
) -> None:
    """Following `starting_after=<last id>` until `has_more` is false lists every
    object this run expects exactly once, with no empty page claiming more."""
    ids = _ids(pages)
    problems = []
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    if duplicates:
        problems.append(f"listed more than once: {', '.join(duplicates[:5])}")
    missing = [i for i in expected_ids if i not in set(ids)]
    if missing:
        problems.append(
            f"never listed: {', '.join(missing[:5])}"
            f"{' ...' if len(missing) > 5 else ''} ({len(missing)} of "
            f"{len(expected_ids)} objects this run expects)"
        )
    for number, page in enumerate(pages, start=1):
        more = (json_object(page) or {}).get("has_more")
        if more is True and not _data(page):
            problems.append(f"page {number} is empty but says has_more=true")
    if pages and (json_object(pages[-1]) or {}).get("has_more") is not False:
        problems.append(
            f"the walk stopped after {len(pages)} pages with has_more still true"
        )
    if problems:
        raise IncompleteForwardWalk(
            ("Received", "\n".join(problems)),
            exchanges=list(pages),
            focus=["has_more", "data"],
        )


class BackwardWalkMismatch(ContractFailure):
    """Walking back with `ending_before` does not retrace the forward walk."""

    title = "Walking back with ending_before does not retrace the forward pages"


@contract(failure=BackwardWalkMismatch, requires={"stateful"}, catalogue=("P-04",))
def list_backward_walk_mirrors_forward(
    ctx: ContractContext, forward: Sequence[Exchange], backward: Sequence[Exchange]
) -> None:
    """From the first id of the last forward page, `ending_before` pages (each in
    list order, `has_more` true until the top) give back every earlier forward object
    in the same order (objects created meanwhile are ignored)."""
    forward_pages = [[str(i.get("id")) for i in _data(p)] for p in forward]
    expected = [i for page in forward_pages[:-1] for i in page]
    known = set(expected)
    retraced = [str(i.get("id")) for page in reversed(backward) for i in _data(page)]
    retraced = [i for i in retraced if i in known]
    if retraced != expected:
        first = next(
            (
                n
                for n, (a, b) in enumerate(zip(retraced, expected, strict=False))
                if a != b
            ),
            min(len(retraced), len(expected)),
        )
        raise BackwardWalkMismatch(
            (
                "Received",
                f"{len(retraced)} objects walking back; first difference at "
                f"position {first}: {retraced[first : first + 3]}",
            ),
            ("Expected", f"{len(expected)} objects: {expected[first : first + 3]}"),
            exchanges=[*forward, *backward],
            focus=["has_more", "data"],
        )


class BothCursorsAccepted(ContractFailure):
    """`starting_after` together with `ending_before` was not refused."""

    title = "starting_after and ending_before together are not refused"


@contract(
    failure=BothCursorsAccepted,
    requires={"conditional_validation"},
    catalogue=("§5.3", "§12 #14"),
)
def list_cursors_are_exclusive(ctx: ContractContext, exchange: Exchange) -> None:
    """Sending both cursors is refused with 400 invalid_request_error."""
    if refusal_problems(exchange, status=400, error_type="invalid_request_error"):
        raise BothCursorsAccepted(
            ("Received", error_summary(exchange)),
            ("Expected", "400 invalid_request_error"),
            exchanges=[exchange],
            focus=["error", "data"],
        )


class UnknownCursorAccepted(ContractFailure):
    """A cursor naming no object of the list was not refused as Stripe refuses it."""

    title = "Unknown list cursor is not refused with 400 resource_missing"


@contract(failure=UnknownCursorAccepted, requires={"stateful"}, catalogue=("§12 #1",))
def list_unknown_cursor_refused(
    ctx: ContractContext, exchange: Exchange, cursor: str
) -> None:
    """A well-formed cursor id that does not exist gets 400 invalid_request_error
    (and, where errors carry details, code `resource_missing` with param `cursor`)."""
    problems = refusal_problems(
        exchange, status=400, error_type="invalid_request_error"
    )
    if "error_details" in ctx.capabilities:
        code, param = error_field(exchange, "code"), error_field(exchange, "param")
        if code != "resource_missing":
            problems.append(f"error.code={code!r}, expected 'resource_missing'")
        if param != cursor:
            problems.append(f"error.param={param!r}, expected {cursor!r}")
    if problems:
        raise UnknownCursorAccepted(
            ("Received", error_summary(exchange)),
            ("Problems", "\n".join(problems)),
            exchanges=[exchange],
            focus=["error", "data"],
        )


class FilterMismatch(ContractFailure):
    """A list filter returned a non-matching session or left out a matching one."""

    title = "List filter does not select exactly the matching sessions"


@contract(failure=FilterMismatch, requires={"stateful"}, catalogue=("P-05", "P-06"))
def list_filters_select_exactly(
    ctx: ContractContext,
    pages: Sequence[Exchange],
    description: str,
    matches: Callable[[dict[str, Any]], bool],
    expected_ids: Collection[str],
) -> None:
    """Every listed session satisfies the filter, and every session of this run that
    satisfies it is listed."""
    items = [item for page in pages for item in _data(page)]
    wrong = [
        f"{i.get('id')} (status={i.get('status')!r}, created={i.get('created')!r}, "
        f"customer={i.get('customer')!r})"
        for i in items
        if not matches(i)
    ]
    listed = {str(i.get("id")) for i in items}
    missing = [i for i in expected_ids if i not in listed]
    problems = []
    if wrong:
        problems.append(f"listed but not matching: {'; '.join(wrong[:3])}")
    if missing:
        problems.append(f"matching but not listed: {', '.join(missing[:5])}")
    if problems:
        raise FilterMismatch(
            ("Filter", description),
            ("Received", "\n".join(problems)),
            exchanges=list(pages),
            focus=["data"],
        )
