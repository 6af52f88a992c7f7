"""The transport contract: auth, Request-Id, Stripe-Version, idempotency, malformed
input (never a 5xx), keep-alive and concurrency."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference_server import ReferenceServer
from reference_server._create_params import CREATE_SESSION
from reference_server._schema import AnyOf, Arr, Map, Node, Obj
from reference_server._stripe_api import _customers
from tests.self.test_reference_server_support import (
    EMBEDDED,
    FORM,
    KEY,
    PAYMENT,
    SETUP,
    SUBSCRIPTION,
    Client,
    Reply,
    form,
)

SESSIONS = "/v1/checkout/sessions"


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[Client]:
    with Client(server.url) as connection:
        yield connection


def _assert_stripe_error(reply: Reply, status: int) -> None:
    assert reply.status == status, reply.raw[:500]
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["request-id"].startswith("req_")
    assert reply.error["type"] in {
        "api_error",
        "card_error",
        "idempotency_error",
        "invalid_request_error",
    }
    assert reply.error["message"]


# -- authentication ----------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "message_start"),
    [
        (None, "You did not provide an API key. You need to provide your API key"),
        ("Bearer", "You did not provide an API key, though you did set"),
        ("Bearer ", "You did not provide an API key, though you did set"),
        ("Bearer sk_live_abcdefghijklmnop", "This reference server serves test mode"),
        ("Bearer pk_test_abcdefghijklmnop", "Invalid API Key provided: pk_test_"),
        ("Bearer sk_test_", "Invalid API Key provided"),
        ("Token sk_test_abc", "Invalid API Key provided"),
        ("Basic !!!notbase64", "Invalid API Key provided"),
    ],
)
def test_refused_keys_get_401(
    client: Client, authorization: str | None, message_start: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    reply = client.send("GET", SESSIONS, None, headers)
    _assert_stripe_error(reply, 401)
    assert reply.error["type"] == "invalid_request_error"
    assert set(reply.error) == {"message", "type"}
    assert reply.error["message"].startswith(message_start)
    assert "abcdefghijklmnop" not in reply.error["message"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer sk_test_abc123",
        "Bearer rk_test_abc123",
        "bearer sk_test_abc123",
        "Basic " + base64.b64encode(b"sk_test_abc123:").decode(),
        "Basic " + base64.b64encode(b"rk_test_abc123:ignored").decode(),
    ],
)
def test_accepted_keys(client: Client, authorization: str) -> None:
    reply = client.send("GET", SESSIONS, None, {"Authorization": authorization})
    assert reply.status == 200, reply.raw


def test_auth_comes_before_routing(client: Client) -> None:
    assert client.send("GET", "/v1/nowhere", None, {}).status == 401


# -- headers -----------------------------------------------------------------


def test_request_ids_are_unique_on_every_response(client: Client) -> None:
    replies = [
        client.post(SESSIONS, PAYMENT),
        client.get(SESSIONS),
        client.get(f"{SESSIONS}/cs_test_missing"),
        client.post(SESSIONS, [("mode", "bogus")]),
        client.send("GET", SESSIONS, None, {}),
        client.send("GET", "/v1/nowhere", None, client.headers()),
    ]
    assert [reply.status for reply in replies] == [200, 200, 404, 400, 401, 404]
    ids = [reply.headers["request-id"] for reply in replies]
    assert all(request_id.startswith("req_") for request_id in ids)
    assert len(set(ids)) == len(ids)


def test_stripe_version_default_and_echo(server: ReferenceServer) -> None:
    with Client(server.url) as plain:
        assert plain.get(SESSIONS).headers["stripe-version"] == "2024-04-10"
    with Client(server.url, version="2023-10-16") as pinned:
        reply = pinned.get(SESSIONS)
        assert reply.headers["stripe-version"] == "2023-10-16"
        error = pinned.get(f"{SESSIONS}/cs_test_missing")
        assert error.headers["stripe-version"] == "2023-10-16"
    with Client(server.url, version="2026-03-25.dahlia") as named:
        assert named.get(SESSIONS).headers["stripe-version"] == "2026-03-25.dahlia"
    with Client(server.url, version="latest please") as broken:
        reply = broken.get(SESSIONS)
        _assert_stripe_error(reply, 400)
        assert "Invalid Stripe API version" in reply.error["message"]


def test_success_responses_are_json(client: Client) -> None:
    reply = client.post(SESSIONS, PAYMENT)
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["request-id"].startswith("req_")


def test_unknown_routes_and_methods_are_404(client: Client) -> None:
    for method, path in [
        ("GET", "/v1/nowhere"),
        ("DELETE", f"{SESSIONS}/cs_test_x"),
        ("PUT", SESSIONS),
        ("GET", f"{SESSIONS}/cs_test_x/expire"),
        ("POST", f"{SESSIONS}/cs_test_x/line_items"),
        ("GET", f"{SESSIONS}/"),
    ]:
        reply = client.send(method, path, None, client.headers())
        _assert_stripe_error(reply, 404)
        assert reply.error["message"].startswith(f"Unrecognized request URL ({method}:")


# -- idempotency -------------------------------------------------------------


def test_same_key_same_request_replays(client: Client) -> None:
    key = {"Idempotency-Key": "order-1"}
    first = client.post(SESSIONS, PAYMENT, key)
    second = client.post(SESSIONS, list(reversed(PAYMENT)), key)
    assert first.status == second.status == 200
    assert second.raw == first.raw
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert first.headers["idempotency-key"] == "order-1"
    assert second.headers["request-id"] != first.headers["request-id"]
    assert len(client.get(SESSIONS).body["data"]) == 1


def test_same_key_different_request_is_refused(client: Client) -> None:
    key = {"Idempotency-Key": "order-2"}
    assert client.post(SESSIONS, PAYMENT, key).status == 200
    changed = client.post(SESSIONS, [*PAYMENT, ("metadata[a]", "b")], key)
    _assert_stripe_error(changed, 400)
    assert changed.error["type"] == "idempotency_error"
    assert changed.error["message"].startswith(
        "Keys for idempotent requests can only be used with the same parameters"
    )
    assert "'order-2'" in changed.error["message"]
    other_endpoint = client.post("/v1/customers", [], key)
    assert other_endpoint.status == 400
    assert other_endpoint.error["type"] == "idempotency_error"
    assert "same endpoint" in other_endpoint.error["message"]
    assert len(client.get(SESSIONS).body["data"]) == 1


def test_validation_errors_are_not_stored(client: Client) -> None:
    key = {"Idempotency-Key": "order-3"}
    refused = client.post(SESSIONS, [("mode", "payment")], key)
    assert refused.status == 400
    fixed = client.post(SESSIONS, PAYMENT, key)
    assert fixed.status == 200
    assert "idempotent-replayed" not in fixed.headers


def test_execution_errors_are_stored(client: Client) -> None:
    session = client.create()
    path = f"{SESSIONS}/{session['id']}/expire"
    first = client.post(path, (), {"Idempotency-Key": "expire-1"})
    again = client.post(path, (), {"Idempotency-Key": "expire-1"})
    assert first.status == again.status == 200
    assert again.headers["idempotent-replayed"] == "true"
    refused = client.post(path, (), {"Idempotency-Key": "expire-2"})
    replayed = client.post(path, (), {"Idempotency-Key": "expire-2"})
    assert refused.status == replayed.status == 400
    assert replayed.raw == refused.raw
    assert replayed.headers["idempotent-replayed"] == "true"


def test_keys_are_scoped_per_api_key(server: ReferenceServer) -> None:
    key = {"Idempotency-Key": "shared"}
    with (
        Client(server.url, key="sk_test_one") as one,
        Client(server.url, key="sk_test_two") as two,
    ):
        first = one.post(SESSIONS, PAYMENT, key)
        second = two.post(SESSIONS, PAYMENT, key)
        assert first.body["id"] != second.body["id"]
        assert "idempotent-replayed" not in second.headers


def test_long_keys_are_refused(client: Client) -> None:
    assert client.post(SESSIONS, PAYMENT, {"Idempotency-Key": "k" * 255}).status == 200
    reply = client.post(SESSIONS, PAYMENT, {"Idempotency-Key": "k" * 256})
    _assert_stripe_error(reply, 400)


def test_keys_on_get_are_ignored(client: Client) -> None:
    key = {"Idempotency-Key": "read"}
    assert client.get(SESSIONS, headers=key).status == 200
    assert client.post(SESSIONS, PAYMENT, key).status == 200


# -- malformed input never gets a 5xx ----------------------------------------

MALFORMED_BODIES = {
    "bad percent-escape": "mode=pay%ZZment",
    "truncated percent-escape": "mode=payment%2",
    "bad utf-8": b"mode=\xff\xfe",
    "percent-encoded bad utf-8": "mode=%C3%28",
    "unbalanced open bracket": "line_items[0[price]=x",
    "unbalanced close bracket": "line_items]0]=x",
    "text after brackets": "line_items[0]x=1",
    "empty name": "=payment",
    "bracket first": "[mode]=payment",
    "deep nesting": "a" + "[b]" * 40 + "=1",
    "value and object": "metadata=x&metadata[k]=v",
    "object and value": "metadata[k]=v&metadata=x",
    "array and object": "line_items[0][quantity]=1&line_items[b][quantity]=2",
    "append and object": "expand[]=x&expand[k]=y",
    "unknown colliding keys": "a[0]=x&a[b]=y",
    "huge index": "line_items[99999999999999999999][quantity]=1",
    "huge integer": "mode=payment&expires_at=" + "9" * 5000,
    "nul bytes": "mode=pay%00ment",
    "only separators": "&&&=&=",
    "many keys": "&".join(f"metadata[k{i}]=v" for i in range(5000)),
    "many array elements": "&".join(f"expand[{i}]=x" for i in range(2000)),
}


@pytest.mark.parametrize("body", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
def test_malformed_bodies_are_400(client: Client, body: str | bytes) -> None:
    reply = client.send("POST", SESSIONS, body, client.headers({"Content-Type": FORM}))
    _assert_stripe_error(reply, 400)
    assert reply.error["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", '{"mode": "payment"}'),
        (None, form(PAYMENT)),
        ("text/plain", form(PAYMENT)),
        ("multipart/form-data; boundary=x", "--x--"),
    ],
)
def test_bodies_must_be_form_encoded(
    client: Client, content_type: str | None, body: str
) -> None:
    extra = {} if content_type is None else {"Content-Type": content_type}
    reply = client.send("POST", SESSIONS, body, client.headers(extra))
    _assert_stripe_error(reply, 400)
    assert "x-www-form-urlencoded" in reply.error["message"]


def test_form_content_type_with_charset(client: Client) -> None:
    headers = client.headers({"Content-Type": FORM + "; charset=UTF-8"})
    assert client.send("POST", SESSIONS, form(PAYMENT), headers).status == 200


def test_post_without_body_needs_no_content_type(client: Client) -> None:
    session = client.create()
    reply = client.send(
        "POST", f"{SESSIONS}/{session['id']}/expire", None, client.headers()
    )
    assert reply.status == 200


def test_malformed_query_strings_are_400(client: Client) -> None:
    for query in ["limit=%G1", "created[gt=1", "limit[]=1", "expand=%FF"]:
        reply = client.send("GET", f"{SESSIONS}?{query}", None, client.headers())
        _assert_stripe_error(reply, 400)


def test_malformed_path_escape_is_400(client: Client) -> None:
    reply = client.send("GET", f"{SESSIONS}/cs_%ZZ", None, client.headers())
    _assert_stripe_error(reply, 400)


def test_huge_body_is_413_and_closes(server: ReferenceServer) -> None:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        head = (
            f"POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: {FORM}\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"mode=payment&" * 100)
        response = _read_all(sock)
    status_line, _, rest = response.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in rest
    assert b'"type":"invalid_request_error"' in rest


def test_bad_content_length_is_400(server: ReferenceServer) -> None:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(
            f"POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: {FORM}\r\nContent-Length: ten\r\n\r\n".encode()
        )
        response = _read_all(sock)
    assert response.startswith(b"HTTP/1.1 400 ")


def test_chunked_bodies_are_read(server: ReferenceServer) -> None:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    body = form(PAYMENT).encode()
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:40], body[40:])
    )
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(
            f"POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: {FORM}\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n".encode()
            + chunks
            + b"0\r\n\r\n"
        )
        response = _read_all(sock)
    assert response.startswith(b"HTTP/1.1 200 OK")
    assert b'"object":"checkout.session"' in response


def test_garbage_request_line_gets_json(server: ReferenceServer) -> None:
    address = urlsplit(server.url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(b"NOT A REQUEST\r\n\r\n")
        response = _read_all(sock)
    assert response.startswith(b"HTTP/1.1 400 ")
    assert b'"error"' in response


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_bug_is_an_honest_500(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise KeyError("simulated bug")

    monkeypatch.setattr(_customers, "retrieve", broken)
    reply = client.get("/v1/customers/cus_any")
    _assert_stripe_error(reply, 500)
    assert reply.error["type"] == "api_error"
    assert "KeyError" in reply.error["message"]
    assert "simulated bug" in capsys.readouterr().err
    assert client.get(SESSIONS).status == 200


# -- connections and concurrency ---------------------------------------------


def test_keep_alive_serves_many_requests_on_one_connection(client: Client) -> None:
    for _ in range(50):
        client.create(SETUP)
    assert len(list(client.walk(SESSIONS, limit=100))) == 50


def test_concurrent_creates_get_distinct_ids(server: ReferenceServer) -> None:
    results: list[list[str]] = [[] for _ in range(6)]
    errors: list[BaseException] = []

    def work(slot: int) -> None:
        try:
            with Client(server.url) as connection:
                for _ in range(25):
                    results[slot].append(connection.create()["id"])
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    ids = [sid for slot in results for sid in slot]
    assert len(ids) == 150
    assert len(set(ids)) == 150
    with Client(server.url) as reader:
        listed = [session["id"] for session in reader.walk(SESSIONS, limit=100)]
    assert sorted(listed) == sorted(ids)
    stamps = [entry.arrived_at for entry in server.request_log()]
    assert stamps == sorted(stamps)


def test_a_key_in_flight_is_409(
    server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    original = _customers.create

    def slow(*args: Any) -> Any:
        entered.set()
        release.wait(10)
        return original(*args)

    monkeypatch.setattr(_customers, "create", slow)
    key = {"Idempotency-Key": "slow"}
    first: list[Reply] = []

    def send_first() -> None:
        with Client(server.url) as connection:
            first.append(connection.post("/v1/customers", [], key))

    thread = threading.Thread(target=send_first)
    thread.start()
    try:
        assert entered.wait(10)
        with Client(server.url) as second:
            busy = second.post("/v1/customers", [], key)
    finally:
        release.set()
        thread.join(10)
    _assert_stripe_error(busy, 409)
    assert busy.error["code"] == "idempotency_key_in_use"
    assert first[0].status == 200
    with Client(server.url) as third:
        replay = third.post("/v1/customers", [], key)
    assert replay.raw == first[0].raw


# -- no input gets a 5xx (property) ------------------------------------------


def _parameter_paths(node: Node, prefix: str = "", depth: int = 0) -> list[str]:
    """Bracket paths of every parameter of a schema (arrays at index 0 and 1)."""
    if depth > 6:
        return []
    if isinstance(node, Obj):
        return [
            path
            for name, child in node.props.items()
            for path in _parameter_paths(
                child, f"{prefix}[{name}]" if prefix else name, depth + 1
            )
        ]
    if isinstance(node, Map):
        return _parameter_paths(node.values, f"{prefix}[key]", depth + 1)
    if isinstance(node, Arr):
        return [
            path
            for index in (0, 1)
            for path in _parameter_paths(node.items, f"{prefix}[{index}]", depth + 1)
        ]
    if isinstance(node, AnyOf):
        return [
            p
            for option in node.options
            for p in _parameter_paths(option, prefix, depth)
        ]
    return [prefix]


PATHS = sorted(set(_parameter_paths(CREATE_SESSION)))
TRICKY = [
    "", "0", "1", "-1", "2", "true", "false", "usd", "USD", "month", "year",
    "payment", "setup", "subscription", "embedded", "never", "card", "fixed_amount",
    "dropdown", "https://example.com/x", "a@b.co", "99999999", "100000000", "1.5",
]  # fmt: skip
pairs_strategy = st.lists(
    st.tuples(
        st.sampled_from(PATHS) | st.text(min_size=1, max_size=12),
        st.sampled_from(TRICKY) | st.text(max_size=12),
    ),
    max_size=8,
)


@pytest.fixture(scope="module")
def shared_client() -> Iterator[Client]:
    with ReferenceServer() as running, Client(running.url) as connection:
        yield connection


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    base=st.sampled_from([PAYMENT, SUBSCRIPTION, SETUP, EMBEDDED, ()]),
    extra=pairs_strategy,
)
def test_no_create_body_gets_a_5xx(
    shared_client: Client,
    base: tuple[tuple[str, str], ...],
    extra: list[tuple[str, str]],
) -> None:
    reply = shared_client.post(SESSIONS, [*base, *extra])
    assert reply.status in (200, 400), reply.raw[:500]
    if reply.status == 400:
        assert reply.error["type"] == "invalid_request_error"


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(body=st.binary(max_size=60))
def test_no_raw_body_gets_a_5xx(shared_client: Client, body: bytes) -> None:
    reply = shared_client.send(
        "POST", SESSIONS, body, shared_client.headers({"Content-Type": FORM})
    )
    assert reply.status in (200, 400), reply.raw[:500]
