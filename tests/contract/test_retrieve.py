"""Retrieve and line items: the same session from every endpoint (S-22, §3.2, §4.3)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import contracts
from client import BracketList
from run import scaled
from strategies import session_create_params
from tests.contract._flows import (
    create_ok,
    line_item_pages,
    minimal_session_params,
    session_id,
    succeed,
)


@pytest.mark.contract("retrieve_equals_create")
@given(params=session_create_params(dense=True))
def test_retrieve_equals_create(api, ctx, params):
    created = create_ok(api, ctx, params)
    retrieved = succeed(ctx, api.retrieve(session_id(created)))
    contracts.retrieve_equals_create(ctx, created, retrieved)


@pytest.mark.contract("line_items_endpoint_matches_expansion")
@given(params=session_create_params())
def test_line_items_endpoint_matches_expansion(api, ctx, params):
    created = create_ok(api, ctx, params)
    expanded = succeed(ctx, api.retrieve(session_id(created), expand=["line_items"]))
    contracts.line_items_endpoint_matches_expansion(
        ctx, expanded, line_item_pages(api, ctx, created)
    )


@pytest.mark.contract("response_matches_schema")
@given(params=session_create_params())
def test_retrieve_answers_a_schema_valid_session(api, ctx, params):
    created = create_ok(api, ctx, params)
    retrieved = succeed(ctx, api.retrieve(session_id(created), expand=["line_items"]))
    contracts.response_matches_schema(ctx, retrieved, "session")


@pytest.mark.contract("response_matches_schema")
@given(params=session_create_params())
def test_line_items_answer_a_schema_valid_list(api, ctx, params):
    created = create_ok(api, ctx, params)
    for page in line_item_pages(api, ctx, created):
        contracts.response_matches_schema(ctx, page, "line_item_list")


@pytest.mark.contract("object_names_are_correct")
@given(params=session_create_params())
def test_line_items_name_their_objects(api, ctx, params):
    created = create_ok(api, ctx, params)
    for page in line_item_pages(api, ctx, created):
        contracts.object_names_are_correct(ctx, page, "list", items="item")


@pytest.mark.contract("ids_have_stripe_prefixes")
@given(params=session_create_params())
def test_line_item_ids_have_stripe_prefixes(api, ctx, params):
    created = create_ok(api, ctx, params)
    for page in line_item_pages(api, ctx, created):
        contracts.ids_have_stripe_prefixes(ctx, page)


@pytest.mark.contract("answers_describe_the_requested_session")
@given(params=session_create_params())
def test_retrieve_answers_the_session_named(api, ctx, params):
    created = create_ok(api, ctx, params)
    requested = session_id(created)
    retrieved = succeed(ctx, api.retrieve(requested, expand=["line_items"]))
    contracts.answers_describe_the_requested_session(
        ctx, retrieved, requested_id=requested
    )


@pytest.mark.contract("answers_describe_the_requested_session")
@scaled(0.2, at_least=3)
@given(limit=st.integers(1, 5))
def test_listed_sessions_refer_to_themselves(api, ctx, limit):
    """Lists are judged here too: each listed session's expanded line_items and
    url name that session (the list's own contracts are in test_lists.py)."""
    create_ok(api, ctx, minimal_session_params())
    listed = succeed(
        ctx,
        api.list_sessions({"limit": limit, "expand": BracketList(["data.line_items"])}),
    )
    contracts.answers_describe_the_requested_session(ctx, listed)


# (what makes the id impossible, how to make it from a real session id); the spec's
# maxLength of {session} is 66 on retrieve and 5000 on line items and expire.
_IMPOSSIBLE_IDS = {
    "too_long": lambda endpoint, real: (
        real + "x" * (67 - len(real) if endpoint == "retrieve" else 5001 - len(real)),
        "an id longer than the spec's maxLength for {session} (66 on retrieve, "
        "5000 on line_items and expire)",
    ),
    "other_prefix": lambda endpoint, real: (
        "pi_" + real.rsplit("_", 1)[-1],
        "a PaymentIntent-shaped id (pi_...) made of a real session id's tail",
    ),
    "no_prefix": lambda endpoint, real: (
        real.rsplit("_", 1)[-1],
        "a real session id's tail without its cs_ prefix",
    ),
}


@pytest.mark.contract("impossible_session_ids_are_refused")
@pytest.mark.parametrize("endpoint", ["retrieve", "line_items", "expire"])
@scaled(0.2, at_least=3)
@given(form=st.sampled_from(sorted(_IMPOSSIBLE_IDS)))
def test_ids_that_cannot_name_a_session_are_refused(api, ctx, endpoint, form):
    """Made from a real session's id, so that a server that misreads ids (cuts
    them, drops their prefix) finds that session and shows it."""
    real = session_id(create_ok(api, ctx, minimal_session_params()))
    ident, why = _IMPOSSIBLE_IDS[form](endpoint, real)
    # A server whose own ids lack the cs_ prefix (ids_have_stripe_prefixes reports
    # that) would have its real id "made impossible" unchanged: nothing to judge.
    assume(ident != real)
    exchange = {
        "retrieve": lambda: api.retrieve(ident),
        "line_items": lambda: api.list_line_items(ident),
        "expire": lambda: api.expire(ident),
    }[endpoint]()
    contracts.no_server_errors(ctx, exchange)
    contracts.impossible_session_ids_are_refused(ctx, exchange, why=why)
