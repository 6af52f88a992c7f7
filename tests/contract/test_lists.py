"""Lists and pagination (catalogue §5).

Walks are scoped to a customer the test itself created, so they hold exactly the
sessions the test made, whatever else the target holds or is doing meanwhile (a
shared real account, other xdist workers): the invariants are relative to them.
"""

from __future__ import annotations

import time

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


@pytest.fixture(scope="session")
def sessions_a_second_apart(api, ctx):
    """(customer, older id, newer id): two sessions of a fresh customer, created in
    different seconds of the target's clock, so their order is not a tie."""
    customer = api.new_customer()
    older = create_ok(api, ctx, minimal_session_params(customer=customer))
    time.sleep(1.05)
    newer = create_ok(api, ctx, minimal_session_params(customer=customer))
    return customer, session_id(older), session_id(newer)


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
    forward = [succeed(ctx, p) for p in api.walk_sessions(params)]
    last_page_first = body_of(forward[-1])["data"]
    if not last_page_first:
        pytest.fail(
            f"the last forward page of {count} sessions is empty: "
            "list_forward_walk_is_complete reports why"
        )
    backward = api.walk_sessions(params, forward=False, cursor=last_page_first[0]["id"])
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
