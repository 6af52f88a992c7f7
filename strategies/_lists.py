"""Query params for `GET /v1/checkout/sessions`, valid and invalid.

Valid: `limit` in 1..100, `status`, `created` as an int or a range object,
`customer`. Timestamps are `<now±SECONDS>` placeholders and customers
`<customer:NAME>` refs, resolved at send time like create params.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Collection
from typing import Any, Final

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import MAX_LIST_LIMIT, SESSION_STATUSES
from strategies._fixtures import CUSTOMER_CATALOGUE
from strategies._invalid import ENFORCED_BY, EnforcedBy, InvalidCase
from strategies._placeholders import customer_ref, now_plus
from strategies._support import cached, sampled, subsets

Params = dict[str, Any]

# How far back a `created` filter reaches: far enough to hold sessions made
# earlier in the run, recent enough to keep shared test accounts' lists short.
_MAX_LOOKBACK: Final = 7 * 24 * 3600
_BOOLEANS: Final = st.booleans()


@cached
def limits() -> st.SearchStrategy[int]:
    """Page sizes in 1..100; shrinks towards 1."""
    return st.integers(1, MAX_LIST_LIMIT)


# The shapes of a `created` filter: a single lower bound as a plain value
# (the shrink target), or a range object with these bounds (None: absent).
_CREATED_SHAPES: Final = st.sampled_from(
    [("plain", None)]
    + [(lower, upper) for lower in ("gte", "gt") for upper in (None, "lte", "lt")]
    + [(None, "lte"), (None, "lt")]
)
_PAST: Final = st.integers(0, _MAX_LOOKBACK)
_SPANS: Final = st.integers(2, _MAX_LOOKBACK)
_STATUSES: Final = st.sampled_from(SESSION_STATUSES)
_CUSTOMER_NAMES: Final = st.sampled_from(sorted(CUSTOMER_CATALOGUE))


def _draw_created(draw: st.DrawFn) -> Any:
    lower, upper = draw(_CREATED_SHAPES)
    start = draw(_PAST)
    if lower == "plain":
        return now_plus(-start)
    bounds: dict[str, str] = {}
    if lower is not None:
        bounds[lower] = now_plus(-start)
    if upper is not None:
        bounds[upper] = now_plus(-start + draw(_SPANS))
    return bounds


@st.composite
def _created_filters(draw: st.DrawFn) -> Any:
    return _draw_created(draw)


@cached
def created_filters() -> st.SearchStrategy[Any]:
    """`created` as `<now-SECONDS>` or a range of gt/gte/lt/lte placeholders.

    Ranges are never empty: lower bounds lie in the past, upper bounds after
    the lower bound (often in the future).
    """
    return _created_filters()


# Each optional filter with how to draw it, in shrinking preference.
_LIST_FILTERS: Final[dict[str, Callable[[st.DrawFn], Any]]] = {
    "limit": lambda draw: draw(limits()),
    "status": lambda draw: draw(_STATUSES),
    "created": _draw_created,
    "customer": lambda draw: customer_ref(draw(_CUSTOMER_NAMES)),
}
# Any subset of the filters, in one choice; half of them on average.
_FILTER_SUBSETS: Final = subsets(
    tuple(_LIST_FILTERS), min_size=0, max_size=len(_LIST_FILTERS)
)


@st.composite
def _list_params(draw: st.DrawFn) -> Params:
    chosen = draw(_FILTER_SUBSETS)
    return {
        name: draw_value(draw)
        for name, draw_value in _LIST_FILTERS.items()
        if name in chosen
    }


@cached
def list_params() -> st.SearchStrategy[Params]:
    """Valid list query params: a few of `limit`, `status`, `created`, `customer`.

    Shrinks towards `{}` (no filter, default limit).
    """
    return _list_params()


@cached
def _session_ids() -> st.SearchStrategy[str]:
    # Shaped like a real id (cs_test_ + 58 characters, 66 in all: the path
    # parameter's maxLength), so only its absence can make it fail.
    tail = st.text(
        alphabet=string.ascii_letters + string.digits, min_size=58, max_size=58
    )
    return tail.map(lambda t: f"cs_test_{t}")


def _limit_out_of_range(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    limit = draw(sampled((0, MAX_LIST_LIMIT + 1, -1, 1000)))
    return (
        {"limit": limit},
        f"limit={limit} is outside 1..100",
        frozenset({"limit", None}),
    )


def _wrong_type(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    if draw(_BOOLEANS):
        bad = draw(sampled(("abc", "1.5", "ten")))
        return {"limit": bad}, f"limit={bad!r} is not an integer", frozenset({"limit"})
    bad = draw(sampled(("yesterday", "1.5")))
    return (
        {"created": {"gte": bad}},
        f"created[gte]={bad!r} is not an integer",
        frozenset({"created", "created[gte]"}),
    )


def _both_cursors(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    params = {
        "starting_after": draw(_session_ids()),
        "ending_before": draw(_session_ids()),
    }
    # Whether the target checks exclusivity before looking the ids up, the
    # answer is a 400 naming one of the cursors or none.
    return (
        params,
        "both starting_after and ending_before",
        frozenset({"starting_after", "ending_before", None}),
    )


def _unknown_cursor(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    cursor = draw(sampled(("starting_after", "ending_before")))
    return (
        {cursor: draw(_session_ids())},
        f"{cursor} names a session that does not exist",
        frozenset({cursor}),
    )


def _bad_status(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    status = draw(sampled(("pending", "OPEN", "paid", "canceled")))
    return (
        {"status": status},
        f"status={status!r} is not a status",
        frozenset({"status"}),
    )


def _unknown_parameter(draw: st.DrawFn) -> tuple[Params, str, frozenset[str | None]]:
    name = draw(sampled(("page", "offset", "sort", "zz_filter")))
    return {name: "1"}, f"unknown parameter {name}", frozenset({name})


_ListFamily = Callable[[st.DrawFn], tuple[Params, str, frozenset[str | None]]]
_LIST_FAMILIES: Final[dict[str, tuple[EnforcedBy, _ListFamily]]] = {
    # rule: (enforced_by, build). Only the type and enum checks are visible to
    # an OpenAPI validator: the spec states no bounds for limit, and query
    # parameters carry no additionalProperties: false.
    "bad-enum": ("schema", _bad_status),
    "list-cursors-exclusive": ("conditional", _both_cursors),
    "list-limit-range": ("conditional", _limit_out_of_range),
    "unknown-cursor": ("conditional", _unknown_cursor),
    "unknown-parameter": ("conditional", _unknown_parameter),
    "wrong-type": ("schema", _wrong_type),
}
INVALID_LIST_RULES: Final[tuple[str, ...]] = tuple(_LIST_FAMILIES)


def invalid_list_params(
    *,
    rules: Collection[str] | None = None,
    enforced_by: EnforcedBy | None = None,
) -> st.SearchStrategy[InvalidCase]:
    """Invalid list query params with the 400 a conformant server must answer.

    Families are `INVALID_LIST_RULES`; `rules` and `enforced_by` select among
    them as in `invalid_create_params`. An unknown cursor is 400 with the
    cursor's name as param (catalogue §12 item 1), not 404.
    """
    chosen = dict(_LIST_FAMILIES)
    if rules is not None:
        unknown = (
            sorted(set(rules) - set(chosen)) if not isinstance(rules, str) else [rules]
        )
        if unknown:
            raise InvalidArgument(
                f"rules={rules!r} names unknown families {unknown!r}; pass a "
                f"collection drawn from INVALID_LIST_RULES={INVALID_LIST_RULES!r}."
            )
        chosen = {r: f for r, f in chosen.items() if r in set(rules)}
    if enforced_by is not None:
        if enforced_by not in ENFORCED_BY:
            raise InvalidArgument(
                f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
            )
        chosen = {r: f for r, f in chosen.items() if f[0] == enforced_by}
    if not chosen:
        raise InvalidArgument(
            f"No invalid list family matches rules={rules!r} and "
            f"enforced_by={enforced_by!r}."
        )

    return _invalid_list_cases(tuple(sorted(chosen.items())))


@st.composite
def _invalid_list_cases(
    draw: st.DrawFn, families: tuple[tuple[str, tuple[EnforcedBy, _ListFamily]], ...]
) -> InvalidCase:
    rule, (kind, family) = draw(sampled(families))
    params, description, accepted = family(draw)
    event(f"invalid list rule: {rule}")
    return InvalidCase(
        params=params,
        rule=rule,
        description=description,
        status=400,
        error_type="invalid_request_error",
        params_accepted=accepted,
        enforced_by=kind,
    )
