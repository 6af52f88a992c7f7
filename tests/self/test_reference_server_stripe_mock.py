"""The "stripe-mock" personality: each measured fact about stripe-mock, emulated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reference_server import ReferenceServer
from tests.self.test_reference_server_support import (
    FORM,
    PAYMENT,
    Client,
    Reply,
    form,
    without,
)

SESSIONS = "/v1/checkout/sessions"


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer(personality="stripe-mock") as running:
        yield running


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[Client]:
    with Client(server.url) as connection:
        yield connection


def _ok(reply: Reply) -> dict:
    assert reply.status == 200, reply.raw[:500]
    assert isinstance(reply.body, dict)
    return reply.body


def _refused(reply: Reply, status: int = 400) -> dict:
    assert reply.status == status, reply.raw[:500]
    assert set(reply.error) == {"message", "type"}  # never param, never code
    assert reply.error["type"] == "invalid_request_error"
    return reply.error


def test_create_echoes_only_fixture_scalars(client: Client) -> None:
    pairs = [
        *PAYMENT,
        ("client_reference_id", "ref-1"),
        ("customer_email", "a@example.com"),
        ("expires_at", "1999999999"),
        ("cancel_url", "https://example.com/cancel"),
        ("locale", "fr"),
        ("metadata[order]", "42"),
    ]
    first = _ok(client.post(SESSIONS, pairs))
    second = _ok(client.post(SESSIONS, pairs))
    assert first["id"].startswith("cs_test_")
    assert first["id"] != second["id"]
    assert first["client_reference_id"] == "ref-1"
    assert first["customer_email"] == "a@example.com"
    assert first["expires_at"] == 1999999999
    assert first["success_url"] == dict(PAYMENT)["success_url"]
    assert first["mode"] == "payment"
    assert first["cancel_url"] is None
    assert first["locale"] is None
    assert first["metadata"] == {}
    assert first["created"] == second["created"]
    assert first["url"] == second["url"]
    assert first["id"] not in first["url"]
    assert first["amount_total"] == second["amount_total"]


def test_create_ignores_derivations(client: Client) -> None:
    pairs = [
        *without(PAYMENT, "line_items[0][quantity]"),
        ("line_items[0][quantity]", "9"),
    ]
    session = _ok(client.post(SESSIONS, pairs))
    fixture_total = session["amount_total"]
    setup = _ok(client.post(SESSIONS, [("mode", "setup"), ("ui_mode", "embedded")]))
    assert setup["mode"] == "setup"
    assert setup["ui_mode"] == "embedded"
    assert setup["amount_total"] == fixture_total
    assert setup["payment_status"] == session["payment_status"]
    assert setup["client_secret"] is None


def test_retrieve_any_id(client: Client) -> None:
    for ident in ("cs_test_anything", "whatever"):
        session = _ok(client.get(f"{SESSIONS}/{ident}"))
        assert session["id"] == ident
        assert session["status"] == "open"
    expanded = _ok(client.get(f"{SESSIONS}/cs_test_x", [("expand[]", "line_items")]))
    assert expanded["line_items"]["data"][0]["object"] == "item"


def test_list_is_one_fixture(client: Client) -> None:
    _ok(client.post(SESSIONS, PAYMENT))
    for pairs in (
        [],
        [("limit", "1000")],
        [("limit", "0")],
        [("starting_after", "cs_test_a"), ("ending_before", "cs_test_b")],
        [("status", "expired")],
        [("created[gte]", "1")],
    ):
        page = _ok(client.get(SESSIONS, pairs))
        assert len(page["data"]) == 1
        assert page["has_more"] is False
        assert page["url"] == SESSIONS
    for pairs in ([("limit", "ten")], [("status", "closed")], [("created[gt]", "x")]):
        _refused(client.get(SESSIONS, pairs))


def test_line_items_is_one_fixture(client: Client) -> None:
    page = _ok(client.get(f"{SESSIONS}/cs_test_any/line_items", [("limit", "5")]))
    assert len(page["data"]) == 1
    assert page["data"][0]["object"] == "item"
    assert page["has_more"] is False


def test_expire_changes_nothing(client: Client) -> None:
    path = f"{SESSIONS}/cs_test_expire_me/expire"
    first = _ok(client.post(path))
    second = _ok(client.post(path))
    assert first["id"] == "cs_test_expire_me"
    assert first["status"] == second["status"] == "open"


def test_no_update_endpoint(client: Client) -> None:
    error = _refused(client.post(f"{SESSIONS}/cs_test_x", [("metadata[a]", "b")]), 404)
    assert (
        error["message"]
        == "Unrecognized request URL (POST: /v1/checkout/sessions/cs_test_x)."
    )


def test_prices_and_customers_are_fixtures(client: Client) -> None:
    price = _ok(client.post("/v1/prices", [("currency", "eur"), ("unit_amount", "5")]))
    assert price["object"] == "price"
    assert price["id"].startswith("price_")
    assert price["currency"] == "eur"
    assert _ok(client.get(f"/v1/prices/{price['id']}"))["id"] == price["id"]
    customer = _ok(client.post("/v1/customers", [("email", "x@example.com")]))
    assert customer["object"] == "customer"
    assert _ok(client.get("/v1/customers/cus_any"))["id"] == "cus_any"
    # Ids are never checked: a made-up price is accepted in a session.
    _ok(
        client.post(
            SESSIONS, [("mode", "payment"), ("line_items[0][price]", "price_x")]
        )
    )


def test_idempotency_keys_are_echoed_not_replayed(client: Client) -> None:
    key = {"Idempotency-Key": "same"}
    first = client.post(SESSIONS, PAYMENT, key)
    second = client.post(SESSIONS, [*PAYMENT, ("metadata[a]", "b")], key)
    assert first.status == second.status == 200
    assert first.body["id"] != second.body["id"]
    assert second.headers["idempotency-key"] == "same"
    assert "idempotent-replayed" not in second.headers


@pytest.mark.parametrize(
    "pairs",
    [
        [*PAYMENT, ("mode", "donation")],
        [*PAYMENT, ("locale", "xx")],
        [*PAYMENT, ("colour", "red")],
        [*PAYMENT, ("line_items[0][quantity]", "two")],
        [*PAYMENT, ("allow_promotion_codes", "yes")],
        [*PAYMENT, ("line_items[0][price_data][recurring][interval]", "fortnight")],
        without(PAYMENT, "line_items[0][price_data][currency]"),
        [
            *without(PAYMENT, "line_items[0][price_data][product_data][name]"),
            ("line_items[0][price_data][product_data][description]", "no name"),
        ],
        [*PAYMENT, ("line_items[0][price_data][recurring][interval_count]", "2")],
    ],
    ids=[
        "enum",
        "nested-free enum",
        "unknown top-level",
        "integer",
        "boolean",
        "nested enum",
        "price_data currency",
        "product_data name",
        "recurring interval",
    ],
)
def test_schema_violations_are_400(
    client: Client, pairs: list[tuple[str, str]]
) -> None:
    error = _refused(client.post(SESSIONS, pairs))
    assert error["message"].startswith("Request validation error")


@pytest.mark.parametrize(
    "pairs",
    [
        [("mode", "payment")],
        [("success_url", "https://example.com")],
        [*PAYMENT, ("line_items[0][quantity]", "0")],
        [*PAYMENT, ("line_items[0][quantity]", "-3")],
        [*PAYMENT, ("client_reference_id", "x" * 500)],
        [*PAYMENT, ("expires_at", "1")],
        [*PAYMENT, *[(f"metadata[k{i}]", "v") for i in range(60)]],
        [*PAYMENT, ("metadata[" + "k" * 60 + "]", "v")],
        [*PAYMENT, ("customer", "cus_1"), ("customer_email", "a@example.com")],
        [("mode", "setup"), ("line_items[0][price]", "price_1")],
        [*PAYMENT, ("ui_mode", "embedded")],
        [*PAYMENT, ("line_items[0][price_data][colour]", "red")],
    ],
    ids=[
        "mode only",
        "no mode",
        "quantity 0",
        "negative quantity",
        "long string",
        "expiry in the past",
        "60 metadata keys",
        "long metadata key",
        "customer and email",
        "setup with items",
        "embedded with success_url",
        "unknown nested",
    ],
)
def test_conditional_rules_are_not_enforced(
    client: Client, pairs: list[tuple[str, str]]
) -> None:
    _ok(client.post(SESSIONS, pairs))


def test_auth(server: ReferenceServer) -> None:
    for key in ("sk_test_123", "rk_test_anything_goes"):
        with Client(server.url, key=key) as accepted:
            assert accepted.get(SESSIONS).status == 200
    with Client(server.url, key=None) as anonymous:
        reply = anonymous.get(SESSIONS)
        error = _refused(reply, 401)
        assert "Authorization" in error["message"]
        assert "request-id" not in reply.headers
    with Client(server.url, key="sk_live_123") as live:
        _refused(live.get(SESSIONS), 401)


def test_headers(client: Client) -> None:
    reply = client.get(SESSIONS)
    assert reply.headers["request-id"] == "req_123"
    assert "stripe-version" not in reply.headers
    assert reply.headers["content-type"] == "application/json"
    error = client.get("/v1/nowhere")
    assert error.headers["request-id"] == "req_123"


def test_post_without_body_needs_form_content_type(client: Client) -> None:
    headers = client.headers()
    bare = client.send("POST", f"{SESSIONS}/cs_test_x/expire", None, headers)
    assert "Content-Type" in _refused(bare)["message"]
    with_type = client.send(
        "POST", f"{SESSIONS}/cs_test_x/expire", None, {**headers, "Content-Type": FORM}
    )
    assert with_type.status == 200
    json_body = client.send(
        "POST",
        SESSIONS,
        '{"mode":"payment"}',
        {**headers, "Content-Type": "application/json"},
    )
    _refused(json_body)
    assert (
        client.send(
            "POST", SESSIONS, form(PAYMENT), {**headers, "Content-Type": FORM}
        ).status
        == 200
    )


def test_faults_need_the_stripe_personality() -> None:
    with pytest.raises(ValueError, match="personality 'stripe' only"):
        ReferenceServer(personality="stripe-mock", faults=["status_active"])
