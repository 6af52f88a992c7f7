"""Stripe's cursor pagination, shared by the sessions list and `/line_items`.

A list is a sequence in list order (newest first for sessions). `starting_after`
pages forward from a cursor, `ending_before` pages backward to it; `has_more`
says whether the list continues in the direction of travel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ._errors import integer_bound, invalid, no_such

T = TypeVar("T")

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The validated paging parameters of a list request."""

    limit: int
    starting_after: str | None
    ending_before: str | None


def page_request(params: Mapping[str, Any], faults: frozenset[str]) -> PageRequest:
    """`limit` in 1..100 (default 10) and at most one cursor (§12 items 13, 14)."""
    limit = params.get("limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        if "list_limit_unbounded" in faults:
            limit = min(max(limit, 1), MAX_LIMIT)
        elif limit < 1:
            raise integer_bound("limit", minimum=1)
        else:
            raise integer_bound("limit", maximum=MAX_LIMIT)
    starting_after = params.get("starting_after")
    ending_before = params.get("ending_before")
    if starting_after is not None and ending_before is not None:
        if "both_cursors_accepted" in faults:
            ending_before = None
        else:
            raise invalid(
                "Received both starting_after and ending_before parameters. Please "
                "pass in only one."
            )
    return PageRequest(limit, starting_after, ending_before)


def paginate(
    items: Sequence[T],
    ids: Sequence[str],
    request: PageRequest,
    *,
    object_name: str,
    faults: frozenset[str],
) -> tuple[list[T], bool]:
    """The page of `items` (whose ids are `ids`) and its `has_more`.

    A cursor that is not in the list (unknown, or filtered out) is refused with
    400 `resource_missing` naming the cursor parameter (§12 item 1).
    """
    size = request.limit + 1 if "list_limit_off_by_one" in faults else request.limit
    cursor = request.starting_after or request.ending_before
    if cursor is None:
        return list(items[:size]), len(items) > size
    try:
        index = ids.index(cursor)
    except ValueError:
        if "unknown_cursor_empty_page" in faults:
            return [], False
        param = "starting_after" if request.starting_after else "ending_before"
        raise no_such(object_name, cursor, status=400, param=param) from None
    if request.starting_after:
        start = index + 1
        if "starting_after_skips_one" in faults:
            start += 1
        return list(items[start : start + size]), start + size < len(items)
    if "ending_before_from_top" in faults:
        return list(items[:size]), False
    start = max(0, index - size)
    return list(items[start:index]), start > 0
