"""HTTP (catalogue §1.6): every answer is JSON and carries a Request-Id."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contracts
from client import Auth
from strategies import invalid_create_params, session_create_params

SESSIONS = "/v1/checkout/sessions"
_ID_TAIL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=24, max_size=24)


def _answers(api, request):
    kind, value = request
    if kind == "create":
        return api.create_session(value)
    if kind == "invalid":
        return api.create_session(value.params)
    if kind == "unknown":
        return api.retrieve(f"cs_test_{value}")
    if kind == "list":
        return api.list_sessions({"limit": 3})
    return api.client.request("GET", SESSIONS, auth=Auth.NONE)


_REQUESTS = st.one_of(
    st.tuples(st.just("create"), session_create_params()),
    st.tuples(st.just("invalid"), invalid_create_params()),
    st.tuples(st.just("unknown"), _ID_TAIL),
    st.tuples(st.just("list"), st.none()),
    st.tuples(st.just("no-key"), st.none()),
)


@pytest.mark.contract("responses_are_json")
@given(request=_REQUESTS)
def test_responses_are_json(api, ctx, request):
    contracts.responses_are_json(ctx, _answers(api, request))


@pytest.mark.contract("responses_carry_request_id")
@given(request=_REQUESTS)
def test_responses_carry_request_id(api, ctx, request):
    contracts.responses_carry_request_id(ctx, _answers(api, request))
