"""A 404 on the sessions list is named as a 404, and told apart: a Stripe-like API
that lacks Checkout Sessions, or a URL that is not such an API at all."""

from __future__ import annotations

import pytest

from client import CheckoutClient
from run._preflight import TargetProblem, check_target
from tests.self.hostile import BadServer, Responder

_STRIPE_404 = b'{"error": {"type": "invalid_request_error", "message": "Unrecognized"}}'


def _stripe_like_without_checkout(responder: Responder) -> None:
    if responder.request.path.startswith("/v1/prices"):
        responder.send(200, b'{"object": "list", "data": [], "has_more": false}')
    else:
        responder.send(404, _STRIPE_404)


def _web_server(responder: Responder) -> None:
    responder.send(404, b"<h1>Not Found</h1>", content_type="text/html")


def _problem(behaviour) -> str:
    with BadServer(behaviour) as server:
        client = CheckoutClient(server.url, "sk_test_x", stripe_version="2024-04-10")
        with client, pytest.raises(TargetProblem) as problem:
            check_target(client, server.url)
    return str(problem.value)


def test_a_stripe_like_api_without_checkout_sessions_is_named_so():
    message = _problem(_stripe_like_without_checkout)
    assert "answers like a Stripe API (GET /v1/prices got HTTP 200)" in message
    assert "GET /v1/checkout/sessions got HTTP 404" in message
    assert "does not implement Checkout Sessions" in message


def test_a_web_server_404_is_still_named_a_404():
    message = _problem(_web_server)
    assert "answered HTTP 404 (text/html)" in message
    assert "--base-url must be the API's root" in message


def test_a_v1_suffix_on_the_base_url_is_named():
    with BadServer(_stripe_like_without_checkout) as server:
        url = f"{server.url}/v1"
        client = CheckoutClient(url, "sk_test_x", stripe_version="2024-04-10")
        with client, pytest.raises(TargetProblem) as problem:
            check_target(client, url)
    assert "without the /v1 suffix (the suite adds it): try " in str(problem.value)
