"""Lists and pagination (catalogue §5).

Walks are scoped to a customer the test itself created, so they hold exactly the
sessions the test made, whatever else the target holds or is doing meanwhile (a
shared real account, other xdist workers): the invariants are relative to them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contracts
from run import scaled
from strategies import invalid_list_params, list_params
from tests.contract._flows import (
    body_of,
    create_ok,
    minimal_session_params,
    session_id,
    succeed,
)

SESSIONS = "/v1/checkout/sessions"


@dataclass(frozen=True)
class ListedSessions:
    """Sessions of one fresh customer for the deterministic cursor walks, made so
    that each filter leaves out sessions listed between the ones it keeps."""

    customer: str
    #: The customer's sessions, oldest first; the first three in one second of the
    #: target's clock, the last two at least a second later.
    ids: tuple[str, ...]
    created: Mapping[str, Any]
    expired: str
    #: `created` of the first session made after the pause.
    later: Any


@pytest.fixture(scope="session")
def listed_sessions(api, ctx) -> ListedSessions:
    """Five sessions of a fresh customer, with a session of no customer created
    among them, the second one expired, and a pause of a second before the fourth:
    the customer, status and created filters each leave out sessions listed before
    or between the ones they keep, so a cursor must be found in the filtered list."""
    customer = api.new_customer()

    def create(**extra: Any) -> dict[str, Any]:
        return body_of(create_ok(api, ctx, minimal_session_params(**extra)))

    made = [create(customer=customer)]
    create()
    made += [create(customer=customer), create(customer=customer)]
    time.sleep(1.05)
    made.append(create(customer=customer))
    create()
    made.append(create(customer=customer))
    ids = tuple(str(body["id"]) for body in made)
    succeed(ctx, api.expire(ids[1]))
    return ListedSessions(
        customer=customer,
        ids=ids,
        created={str(body["id"]): body.get("created") for body in made},
        expired=ids[1],
        later=made[3].get("created"),
    )


@pytest.fixture(scope="session")
def sessions_a_second_apart(listed_sessions):
    """(customer, older id, newer id): two sessions of a fresh customer, created in
    different seconds of the target's clock, so their order is not a tie."""
    return listed_sessions.customer, listed_sessions.ids[2], listed_sessions.ids[3]


def _sessions_of_new_customer(api, ctx, count):
    customer = api.new_customer()
    ids = [
        session_id(create_ok(api, ctx, minimal_session_params(customer=customer)))
        for _ in range(count)
    ]
    return customer, ids


@pytest.mark.contract("list_envelope_is_valid")
@given(params=list_params())
def test_list_answers_a_list_envelope(api, ctx, params):
    contracts.list_envelope_is_valid(ctx, succeed(ctx, api.list_sessions(params)))


@pytest.mark.contract("list_envelope_is_valid")
@scaled(0.2, at_least=3)
@given(limit=st.none() | st.integers(1, 100))
def test_line_items_answer_a_list_envelope(api, ctx, limit):
    created = create_ok(api, ctx, minimal_session_params())
    params = {} if limit is None else {"limit": limit}
    page = succeed(ctx, api.list_line_items(session_id(created), params))
    contracts.list_envelope_is_valid(ctx, page)


@pytest.mark.contract("response_matches_schema")
@given(params=list_params())
def test_list_answers_a_schema_valid_page(api, ctx, params):
    page = succeed(ctx, api.list_sessions(params))
    contracts.response_matches_schema(ctx, page, "session_list")


@pytest.mark.contract("object_names_are_correct")
@given(params=list_params())
def test_list_names_its_objects(api, ctx, params):
    page = succeed(ctx, api.list_sessions(params))
    contracts.object_names_are_correct(ctx, page, "list", items="checkout.session")


@pytest.mark.contract("list_respects_limit")
@scaled(0.4, at_least=5)
@given(limit=st.none() | st.integers(1, 10), extra=st.integers(0, 2))
def test_list_respects_limit(api, ctx, limit, extra):
    """With exactly `limit` sessions, and with more than that (so has_more is true)."""
    customer, _ = _sessions_of_new_customer(api, ctx, (limit or 10) + extra)
    params = {"customer": customer} | ({} if limit is None else {"limit": limit})
    contracts.list_respects_limit(ctx, succeed(ctx, api.list_sessions(params)), limit)


@pytest.mark.contract("list_respects_limit")
@given(limit=st.none() | st.integers(1, 100))
def test_unscoped_list_respects_limit(api, ctx, limit):
    params = {} if limit is None else {"limit": limit}
    contracts.list_respects_limit(ctx, succeed(ctx, api.list_sessions(params)), limit)


@pytest.mark.contract("list_limit_out_of_range_refused")
@given(case=invalid_list_params(rules={"list-limit-range"}))
def test_list_limit_out_of_range_is_refused(api, ctx, case):
    contracts.list_limit_out_of_range_refused(ctx, api.list_sessions(case.params), case)


@pytest.mark.contract("list_is_newest_first")
@scaled(0.2, at_least=3)
@given(limit=st.integers(1, 3))
def test_list_is_newest_first(api, ctx, sessions_a_second_apart, limit):
    customer, older, newer = sessions_a_second_apart
    pages = api.walk_sessions({"customer": customer, "limit": limit})
    contracts.list_is_newest_first(ctx, [succeed(ctx, p) for p in pages], older, newer)


@pytest.mark.contract("list_forward_walk_is_complete")
@scaled(0.4, at_least=5)
@given(count=st.integers(1, 12), limit=st.integers(1, 5))
def test_forward_walk_is_complete(api, ctx, count, limit):
    customer, ids = _sessions_of_new_customer(api, ctx, count)
    pages = api.walk_sessions({"customer": customer, "limit": limit})
    contracts.list_forward_walk_is_complete(ctx, [succeed(ctx, p) for p in pages], ids)


@pytest.mark.contract("list_backward_walk_mirrors_forward")
@scaled(0.4, at_least=5)
@given(count=st.integers(2, 12), limit=st.integers(1, 5))
def test_backward_walk_mirrors_forward(api, ctx, count, limit):
    customer, _ = _sessions_of_new_customer(api, ctx, count)
    params = {"customer": customer, "limit": limit}
    forward, backward = _walk_back(
        lambda cursor: api.walk_sessions(params, forward=False, cursor=cursor),
        [succeed(ctx, p) for p in api.walk_sessions(params)],
    )
    contracts.list_backward_walk_mirrors_forward(
        ctx, forward, [succeed(ctx, p) for p in backward]
    )


@pytest.mark.contract("list_cursors_are_exclusive")
@scaled(0.2, at_least=2)
@given(limit=st.integers(1, 10))
def test_both_cursors_are_refused(api, ctx, sessions_a_second_apart, limit):
    _, older, newer = sessions_a_second_apart
    params = {"limit": limit, "starting_after": newer, "ending_before": older}
    contracts.list_cursors_are_exclusive(ctx, api.list_sessions(params))


@pytest.mark.contract("list_unknown_cursor_refused")
@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
@scaled(0.2, at_least=3)
@given(
    suffix=st.text(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        min_size=24,
        max_size=24,
    )
)
def test_unknown_cursor_is_refused(api, ctx, cursor, suffix):
    page = api.list_sessions({cursor: f"cs_test_{suffix}"})
    contracts.list_unknown_cursor_refused(ctx, page, cursor)


# Small finite choices (a filter's status, a bound) are parametrized rather than
# drawn, so every one of them is exercised in every run, whatever the seed.
@pytest.mark.contract("list_filters_select_exactly")
@pytest.mark.parametrize("status", ["open", "expired"])
@scaled(0.2, at_least=3)
@given(count=st.integers(1, 6), expire=st.sets(st.integers(0, 5)))
def test_status_filter_selects_exactly(api, ctx, status, count, expire):
    customer, ids = _sessions_of_new_customer(api, ctx, count)
    expired = {ids[i] for i in expire if i < count}
    for session in expired:
        succeed(ctx, api.expire(session))
    pages = api.walk_sessions({"customer": customer, "status": status})
    wanted = [i for i in ids if (i in expired) == (status == "expired")]
    contracts.list_filters_select_exactly(
        ctx,
        [succeed(ctx, p) for p in pages],
        f"customer={customer}&status={status}",
        lambda s: s.get("status") == status and _customer_id(s) == customer,
        wanted,
    )


@pytest.mark.contract("list_filters_select_exactly")
@pytest.mark.parametrize("bound", ["gt", "gte", "lt", "lte"])
@scaled(0.2, at_least=3)
@given(count=st.integers(1, 4), pivot=st.integers(0, 3))
def test_created_filter_selects_exactly(api, ctx, bound, count, pivot):
    customer, ids = _sessions_of_new_customer(api, ctx, count)
    created = {i: body_of(succeed(ctx, api.retrieve(i)))["created"] for i in ids}
    at = created[ids[min(pivot, count - 1)]]
    test = {"gt": at.__lt__, "gte": at.__le__, "lt": at.__gt__, "lte": at.__ge__}[bound]
    pages = api.walk_sessions({"customer": customer, "created": {bound: at}})
    contracts.list_filters_select_exactly(
        ctx,
        [succeed(ctx, p) for p in pages],
        f"customer={customer}&created[{bound}]={at}",
        lambda s: (
            isinstance(s.get("created"), int)
            and test(s["created"])
            and _customer_id(s) == customer
        ),
        [i for i in ids if test(created[i])],
    )


def _customer_id(session):
    customer = session.get("customer")
    return customer.get("id") if isinstance(customer, dict) else customer


def _walk_back(walk, forward):
    """The forward pages a backward walk retraces, and the backward walk: from the
    first id of the last forward page that lists one (catalogue P-04).

    An empty last page (reached because the page before said has_more) is left
    out: there is nothing on it to walk back from, and whether a walk may end that
    way is list_forward_walk_is_complete's to judge, not this test's."""
    while len(forward) > 1 and not body_of(forward[-1]).get("data"):
        forward = forward[:-1]
    data = body_of(forward[-1]).get("data")
    if not data or not isinstance(data[0], dict) or "id" not in data[0]:
        pytest.skip(
            f"not judged: the forward walk ({len(forward)} pages) listed no object "
            "to walk back from; list_forward_walk_is_complete judges that walk"
        )
    return forward, walk(data[0]["id"])


# -- both cursors, deterministically ----------------------------------------------
# Every list endpoint (the sessions list with and without filters, a session's line
# items) is walked forward with starting_after and back with ending_before at small
# limits in every run, whatever the seed: explicit parameters, not draws.

CURSOR_LIMITS = [1, 2]


@dataclass(frozen=True)
class FilteredWalk:
    """The list parameters of a walk over `listed_sessions`, and what they select."""

    params: dict[str, Any]
    description: str
    matches: Callable[[dict[str, Any]], bool]
    expected: tuple[str, ...]


def _filtered_walk(listed: ListedSessions, filters: str) -> FilteredWalk:
    """`filters` is "customer" (the scope every walk needs, no other filter),
    "customer+status" (open sessions only) or "customer+created" (created before
    the pause)."""
    customer = listed.customer
    if filters == "customer":
        return FilteredWalk(
            params={"customer": customer},
            description=f"customer={customer}",
            matches=lambda s: _customer_id(s) == customer,
            expected=listed.ids,
        )
    if filters == "customer+status":
        return FilteredWalk(
            params={"customer": customer, "status": "open"},
            description=f"customer={customer}&status=open",
            matches=lambda s: s.get("status") == "open" and _customer_id(s) == customer,
            expected=tuple(i for i in listed.ids if i != listed.expired),
        )
    assert filters == "customer+created", filters
    later = listed.later
    if not isinstance(later, int):
        pytest.skip(f"not judged: the target's created={later!r} is not an integer")
    return FilteredWalk(
        params={"customer": customer, "created": {"lt": later}},
        description=f"customer={customer}&created[lt]={later}",
        matches=lambda s: (
            isinstance(s.get("created"), int)
            and s["created"] < later
            and _customer_id(s) == customer
        ),
        expected=tuple(
            i
            for i in listed.ids
            if isinstance(listed.created[i], int) and listed.created[i] < later
        ),
    )


FILTERS = ["customer", "customer+status", "customer+created"]


@pytest.mark.contract("list_forward_walk_is_complete", "list_filters_select_exactly")
@pytest.mark.parametrize("limit", CURSOR_LIMITS)
@pytest.mark.parametrize("filters", FILTERS)
def test_filtered_forward_walk_is_complete(api, ctx, listed_sessions, filters, limit):
    """starting_after under each filter lists each matching session once, and only
    matching ones."""
    walk = _filtered_walk(listed_sessions, filters)
    pages = api.walk_sessions({**walk.params, "limit": limit})
    pages = [succeed(ctx, page) for page in pages]
    contracts.list_forward_walk_is_complete(ctx, pages, walk.expected)
    contracts.list_filters_select_exactly(
        ctx, pages, walk.description, walk.matches, walk.expected
    )


@pytest.mark.contract("list_backward_walk_mirrors_forward")
@pytest.mark.parametrize("limit", CURSOR_LIMITS)
@pytest.mark.parametrize("filters", FILTERS)
def test_filtered_backward_walk_mirrors_forward(
    api, ctx, listed_sessions, filters, limit
):
    walk = _filtered_walk(listed_sessions, filters)
    params = {**walk.params, "limit": limit}
    forward, backward = _walk_back(
        lambda cursor: api.walk_sessions(params, forward=False, cursor=cursor),
        [succeed(ctx, page) for page in api.walk_sessions(params)],
    )
    contracts.list_backward_walk_mirrors_forward(
        ctx, forward, [succeed(ctx, page) for page in backward]
    )


LINE_ITEMS = 5
#: Shaped like a line item id, and never one: a target's ids are its own.
NEVER_LISTED_ITEM = "li_" + "0" * 24


@pytest.fixture(scope="session")
def listed_line_items(api, ctx) -> tuple[str, tuple[str, ...]]:
    """A session with five line items, and their ids as one page (limit 100) lists
    them: the list a walk must reproduce (catalogue P-02)."""
    session = session_id(
        create_ok(
            api,
            ctx,
            minimal_session_params(
                line_items=[
                    {
                        "quantity": n,
                        "price_data": {
                            "currency": "usd",
                            "unit_amount": 100 * n,
                            "product_data": {"name": f"Contract suite item {n}"},
                        },
                    }
                    for n in range(1, LINE_ITEMS + 1)
                ]
            ),
        )
    )
    data = body_of(succeed(ctx, api.list_line_items(session, {"limit": 100})))
    listed = data.get("data")
    ids = [i.get("id") for i in listed or [] if isinstance(i, dict)]
    return session, tuple(str(i) for i in ids)


def _items_to_walk(listed_line_items):
    session, ids = listed_line_items
    if len(ids) < 2:
        # Fewer than two items take no cursor to walk; how many the session should
        # list is line_items_endpoint_matches_expansion's to judge.
        pytest.skip(
            f"not judged: one page of the session's line items lists {len(ids)} of "
            f"the {LINE_ITEMS} created"
        )
    return session, ids


@pytest.mark.contract("list_forward_walk_is_complete")
@pytest.mark.parametrize("limit", CURSOR_LIMITS)
def test_line_items_forward_walk_is_complete(api, ctx, listed_line_items, limit):
    session, ids = _items_to_walk(listed_line_items)
    pages = api.walk_line_items(session, limit=limit)
    contracts.list_forward_walk_is_complete(
        ctx, [succeed(ctx, page) for page in pages], ids
    )


@pytest.mark.contract("list_backward_walk_mirrors_forward")
@pytest.mark.parametrize("limit", CURSOR_LIMITS)
def test_line_items_backward_walk_mirrors_forward(api, ctx, listed_line_items, limit):
    session, _ = _items_to_walk(listed_line_items)
    forward, backward = _walk_back(
        lambda cursor: api.walk_line_items(
            session, limit=limit, forward=False, cursor=cursor
        ),
        [succeed(ctx, p) for p in api.walk_line_items(session, limit=limit)],
    )
    contracts.list_backward_walk_mirrors_forward(
        ctx, forward, [succeed(ctx, page) for page in backward]
    )


@pytest.mark.contract("list_unknown_cursor_refused")
@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
def test_line_items_unknown_cursor_is_refused(api, ctx, listed_line_items, cursor):
    session, _ = listed_line_items
    page = api.list_line_items(session, {cursor: NEVER_LISTED_ITEM})
    contracts.list_unknown_cursor_refused(ctx, page, cursor)


@pytest.mark.contract("list_cursors_are_exclusive")
def test_line_items_both_cursors_are_refused(api, ctx, listed_line_items):
    session, ids = _items_to_walk(listed_line_items)
    params = {"limit": 1, "starting_after": ids[-1], "ending_before": ids[0]}
    contracts.list_cursors_are_exclusive(ctx, api.list_line_items(session, params))
