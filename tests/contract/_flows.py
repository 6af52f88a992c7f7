"""Request flows shared by the contract tests (no judgement beyond preconditions).

A flow that needs a valid request to succeed before it can judge anything checks
that with `valid_requests_succeed`, so a target refusing valid input is reported as
exactly that, never as a confusing failure of a later contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import contracts
from client import (
    FORM_CONTENT_TYPE,
    Exchange,
    TargetDisconnected,
)
from contracts import ContractContext
from target import Api, ObjectUnavailable


def body_of(exchange: Exchange) -> dict[str, Any]:
    """The JSON object of a response that `valid_requests_succeed` already accepted."""
    body = exchange.response.json
    assert isinstance(body, dict), "checked by valid_requests_succeed"
    return body


def create_ok(
    api: Api,
    ctx: ContractContext,
    params: Mapping[str, Any],
    *,
    expand: list[str] | None = None,
) -> Exchange:
    """Create a session from valid `params`; fail as `valid_requests_succeed` if
    refused."""
    exchange = api.create_session(params, expand=expand)
    contracts.valid_requests_succeed(ctx, exchange)
    return exchange


def succeed(ctx: ContractContext, exchange: Exchange) -> Exchange:
    """`exchange`, once `valid_requests_succeed` accepted it."""
    contracts.valid_requests_succeed(ctx, exchange)
    return exchange


def session_id(exchange: Exchange) -> str:
    """The id of the session a successful create or retrieve answered with; a
    session without a string id leaves the test unjudged (its shape is
    `response_matches_schema`'s to judge, by the tests marked with it)."""
    ident = body_of(exchange).get("id")
    if not isinstance(ident, str) or not ident:
        raise ObjectUnavailable(
            "not judged: the target answered "
            f"{exchange.request.method} {exchange.request.path} with a session that "
            "has no id, so this test cannot refer to it (response_matches_schema "
            "judges the session's shape)"
        )
    return ident


def line_item_pages(
    api: Api, ctx: ContractContext, created: Exchange
) -> list[Exchange]:
    """Every page of a created session's line items, each checked to succeed."""
    pages = api.walk_line_items(session_id(created))
    for page in pages:
        contracts.valid_requests_succeed(ctx, page)
    return pages


def walk_since(
    api: Api, ctx: ContractContext, since: int, *, limit: int = 100, **filters: Any
) -> list[Exchange]:
    """A forward walk over the sessions created at or after `since` (Unix seconds).

    Scoping by creation time keeps walks short on a target that has accumulated
    sessions, and leaves other traffic's sessions mostly out of view."""
    params: dict[str, Any] = {"limit": limit, "created": {"gte": since}, **filters}
    pages = api.walk_sessions(params)
    for page in pages:
        contracts.valid_requests_succeed(ctx, page)
    return pages


def minimal_session_params(**extra: Any) -> dict[str, Any]:
    """The smallest valid payment session (catalogue §2.5), for tests about lists and
    lifecycles, where what the session holds does not matter."""
    return {
        "mode": "payment",
        "success_url": "https://example.com/success",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 1000,
                    "product_data": {"name": "Contract suite item"},
                },
            }
        ],
        **extra,
    }


def answered(
    api: Api,
    ctx: ContractContext,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    raw_body: bytes | None = None,
    content_type: str | None = FORM_CONTENT_TYPE,
) -> Exchange:
    """The answer to a request sent to provoke the target; a connection the target
    closed without answering is reported as `no_server_errors` (the request is the
    reproduction). Any other transport error (target down, timeout) propagates: it
    says nothing about this request."""
    sent = _send(api, method, path, params, raw_body, content_type)
    if isinstance(sent, TargetDisconnected):
        # Raised here, outside the `except` that caught it, so that the failure
        # carries no context: Hypothesis would count a 5xx and a dropped
        # connection as distinct bugs otherwise.
        assert sent.request is not None, "the client keeps the request it sent"
        contracts.connection_dropped(ctx, sent.request, sent)
    return sent


def answer_or_none(
    api: Api,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
) -> Exchange | None:
    """The answer to a request, or None when the target closed the connection
    without one (for contracts that judge answers: no answer, nothing to judge;
    `answered` is where that is a finding)."""
    sent = _send(api, method, path, params, None, FORM_CONTENT_TYPE)
    return None if isinstance(sent, TargetDisconnected) else sent


def _send(
    api: Api,
    method: str,
    path: str,
    params: Mapping[str, Any] | None,
    raw_body: bytes | None,
    content_type: str | None,
) -> Exchange | TargetDisconnected:
    try:
        if raw_body is not None:
            return api.send(method, path, raw_body=raw_body, content_type=content_type)
        return api.send(method, path, params=params)
    except TargetDisconnected as error:
        return error
