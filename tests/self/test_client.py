"""Self-tests of `client.CheckoutClient`, its records, retries, budget and errors.

Most tests mount a scripted `requests` adapter (no network, no real waiting);
the transport-error and cURL tests use real sockets on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from client import (
    FORM_CONTENT_TYPE,
    REDACTED,
    USER_AGENT,
    Auth,
    BracketList,
    CheckoutClient,
    Exchange,
    InvalidBaseUrl,
    RateLimiter,
    RequestBudgetExhausted,
    ResponseTooLarge,
    TargetDisconnected,
    TargetError,
    TargetNotHttp,
    TargetRateLimited,
    TargetTimeout,
    TargetUnreachable,
    encode_form,
    urlencode_form,
)
from client._retry import backoff_delay, parse_retry_after

BASE = "http://target.test"
# '+', '/' and '=' make the percent-encoded and base64 spellings differ from the
# key itself, so each redaction path is exercised.
KEY = "sk_test_51Fake+Key/For=Tests"
NOW = 1_700_000_000.0
VERSION = "2024-04-10"


# -- a scripted transport ----------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b'{"object": "checkout.session"}'


Step = Reply | BaseException


class ScriptedAdapter(BaseAdapter):
    """Answers from a script, one step per request; the last step repeats."""

    def __init__(self, *script: Step) -> None:
        super().__init__()
        self.script = list(script)
        self.received: list[requests.PreparedRequest] = []
        self._lock = threading.Lock()

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        with self._lock:
            self.received.append(request)
            step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step
        response = requests.Response()
        response.status_code = step.status
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json", **step.headers}
        )
        response.raw = io.BytesIO(step.body)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


@dataclass
class Scripted:
    client: CheckoutClient
    adapter: ScriptedAdapter
    sleeps: list[float]

    def sent_header(self, index: int, name: str) -> str | None:
        value = self.adapter.received[index].headers.get(name)
        return value if value is None else str(value)


def scripted(*script: Step, **options: Any) -> Scripted:
    adapter = ScriptedAdapter(*script)
    session = requests.Session()
    session.mount(BASE, adapter)
    sleeps: list[float] = []
    options.setdefault("stripe_version", VERSION)
    options.setdefault("note_curl", False)
    client = CheckoutClient(
        BASE,
        KEY,
        session=session,
        sleep=sleeps.append,
        wall_clock=lambda: NOW,
        **options,
    )
    return Scripted(client, adapter, sleeps)


def rate_limited(**headers: str) -> Reply:
    return Reply(429, headers, b'{"error": {"type": "invalid_request_error"}}')


def refused() -> requests.ConnectionError:
    cause = NewConnectionError(None, "Failed to establish a new connection")  # type: ignore[arg-type]
    return requests.ConnectionError(cause)


def assert_one_sentence(message: str, *, naming: str) -> None:
    assert "\n" not in message
    assert message.endswith(".")
    assert re.search(r"[.!?]\s", message) is None, message
    assert ": " in message or ", so " in message, message
    assert naming in message
    assert_no_key(message)


def assert_no_key(text: str) -> None:
    for spelling in (
        KEY,
        quote(KEY, safe=""),
        base64.b64encode(f"{KEY}:".encode()).decode(),
    ):
        assert spelling not in text


# -- 429 retries -------------------------------------------------------------------


def test_429_then_200_is_retried_with_the_same_idempotency_key() -> None:
    run = scripted(rate_limited(), rate_limited(), Reply(200))
    exchange = run.client.create_session({"mode": "payment"})

    assert exchange.response.status == 200
    assert [a.status for a in exchange.attempts] == [429, 429, 200]
    assert [a.reason for a in exchange.attempts] == ["429", "429", "response"]
    sent_keys = {run.sent_header(i, "Idempotency-Key") for i in range(3)}
    assert sent_keys == {exchange.request.idempotency_key}
    assert len(run.adapter.received) == 3
    assert run.client.requests_sent == 3
    assert exchange.attempts[0].waited_before == 0.0
    assert [a.waited_before for a in exchange.attempts[1:]] == run.sleeps


def test_retry_after_seconds_are_honoured() -> None:
    run = scripted(rate_limited(**{"Retry-After": "2"}), Reply(200))
    exchange = run.client.list_sessions()
    assert run.sleeps == [2.0]
    assert exchange.attempts[1].waited_before == 2.0


def test_retry_after_http_date_is_honoured() -> None:
    date = formatdate(NOW + 7, usegmt=True)
    run = scripted(rate_limited(**{"Retry-After": date}), Reply(200))
    run.client.create_session({"mode": "payment"})
    assert run.sleeps == [7.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0", 0.0),
        ("1.5", 1.5),
        (" 3 ", 3.0),
        ("3600", 60.0),
        (formatdate(NOW - 30, usegmt=True), 0.0),
        (formatdate(NOW + 600, usegmt=True), 60.0),
        ("Wed, 21 Oct 2015 07:28:00", 0.0),
        ("soon", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after_clamps_to_zero_and_sixty(
    header: str | None, expected: float | None
) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_unusable_retry_after_falls_back_to_backoff() -> None:
    run = scripted(rate_limited(**{"Retry-After": "soon"}), Reply(200))
    run.client.create_session({"mode": "payment"})
    assert len(run.sleeps) == 1
    assert 0.25 <= run.sleeps[0] <= 0.5


def test_stripe_should_retry_false_is_obeyed() -> None:
    run = scripted(
        rate_limited(**{"Stripe-Should-Retry": "false", "Retry-After": "1"}),
        Reply(200),
    )
    exchange = run.client.create_session({"mode": "payment"})
    assert exchange.response.status == 429
    assert len(exchange.attempts) == 1
    assert run.sleeps == []


def test_retries_are_bounded_and_the_last_429_is_returned() -> None:
    run = scripted(rate_limited(), max_429_retries=3)
    exchange = run.client.create_session({"mode": "payment"})
    assert exchange.response.status == 429
    assert [a.status for a in exchange.attempts] == [429] * 4
    assert len(run.adapter.received) == 4
    for retry_number, delay in enumerate(run.sleeps):
        base = min(8.0, 0.5 * 2**retry_number)
        assert base / 2 <= delay <= base


def test_no_retry_at_all_with_max_429_retries_zero() -> None:
    run = scripted(rate_limited(), Reply(200), max_429_retries=0)
    assert run.client.list_sessions().response.status == 429
    assert len(run.adapter.received) == 1


@given(st.integers(min_value=0, max_value=200), st.randoms(use_true_random=False))
def test_backoff_grows_from_half_a_second_and_caps_at_eight(
    retry_number: int, rng: random.Random
) -> None:
    base = min(8.0, 0.5 * 2**retry_number)
    assert base / 2 <= backoff_delay(retry_number, rng) <= base


@pytest.mark.parametrize("status", [409, 500, 502, 503])
def test_conflicts_and_server_errors_are_never_retried(status: int) -> None:
    run = scripted(
        Reply(status, {"Stripe-Should-Retry": "true", "Retry-After": "1"}),
        Reply(200),
    )
    exchange = run.client.create_session({"mode": "payment"})
    assert exchange.response.status == status
    assert len(exchange.attempts) == 1
    assert len(run.adapter.received) == 1
    assert run.sleeps == []


def test_redirects_are_returned_not_followed() -> None:
    run = scripted(Reply(302, {"Location": "/elsewhere"}, b""))
    exchange = run.client.list_sessions()
    assert exchange.response.status == 302
    assert len(run.adapter.received) == 1


def test_refused_connections_are_retried_twice_quickly() -> None:
    run = scripted(refused(), refused(), Reply(200))
    exchange = run.client.create_session({"mode": "payment"})
    assert exchange.response.status == 200
    assert [a.reason for a in exchange.attempts] == [
        "connect-error",
        "connect-error",
        "response",
    ]
    assert [a.status for a in exchange.attempts] == [None, None, 200]
    assert run.sleeps == [0.1, 0.3]
    assert len({run.sent_header(i, "Idempotency-Key") for i in range(3)}) == 1


def test_a_third_refusal_raises_target_unreachable() -> None:
    run = scripted(refused())
    with pytest.raises(TargetUnreachable) as caught:
        run.client.create_session({"mode": "payment"})
    assert_one_sentence(str(caught.value), naming=BASE)
    assert len(run.adapter.received) == 3


# -- what goes on the wire -----------------------------------------------------------


def test_post_sends_the_encoded_form_and_records_it() -> None:
    run = scripted(Reply(200))
    params = {"mode": "payment", "line_items": [{"price": "price_1", "quantity": 2}]}
    exchange = run.client.create_session(params)
    sent = run.adapter.received[0]

    expected_body = urlencode_form(encode_form(params)).encode()
    assert sent.body == expected_body
    assert exchange.request.body == expected_body
    assert exchange.request.form == tuple(encode_form(params))
    assert exchange.request.params == params
    assert exchange.request.params is not params
    assert sent.headers["Content-Type"] == FORM_CONTENT_TYPE
    assert exchange.request.content_type == FORM_CONTENT_TYPE
    assert sent.url == f"{BASE}/v1/checkout/sessions" == exchange.request.url


def test_the_record_does_not_change_when_the_caller_mutates_its_params() -> None:
    run = scripted(Reply(200))
    params: dict[str, Any] = {"metadata": {"a": "1"}}
    exchange = run.client.create_session(params)
    params["metadata"]["a"] = "changed"
    assert exchange.request.params == {"metadata": {"a": "1"}}


def test_post_without_params_still_sends_the_form_content_type() -> None:
    run = scripted(Reply(200))
    exchange = run.client.expire_session("cs_test_1")
    sent = run.adapter.received[0]
    assert sent.method == "POST"
    assert sent.headers["Content-Type"] == FORM_CONTENT_TYPE
    assert sent.headers["Content-Length"] == "0"
    assert exchange.request.body == b""
    assert exchange.request.form == ()


def test_get_params_go_into_the_query_string() -> None:
    run = scripted(Reply(200))
    exchange = run.client.list_sessions({"limit": 3, "expand": BracketList(["data.x"])})
    sent = run.adapter.received[0]
    assert sent.body is None
    assert exchange.request.body is None
    assert "Content-Type" not in sent.headers
    assert sent.url == exchange.request.url
    assert sent.url is not None
    assert sent.url.startswith(f"{BASE}/v1/checkout/sessions?limit=3&expand")
    assert exchange.request.form == (("limit", "3"), ("expand[]", "data.x"))


def test_raw_body_is_sent_byte_for_byte_with_exactly_its_content_type() -> None:
    run = scripted(Reply(400))
    body = b"mode=payment&line_items[0]=\xff&&="
    labelled = run.client.request(
        "POST", "/v1/checkout/sessions", raw_body=body, content_type="text/plain"
    )
    unlabelled = run.client.request("POST", "/v1/checkout/sessions", raw_body=body)
    assert run.adapter.received[0].body == body
    assert run.adapter.received[0].headers["Content-Type"] == "text/plain"
    assert "Content-Type" not in run.adapter.received[1].headers
    assert labelled.request.raw_body == body == unlabelled.request.body
    assert unlabelled.request.content_type is None


def test_every_post_gets_a_fresh_uuid4_idempotency_key() -> None:
    run = scripted(Reply(200))
    first = run.client.create_session({"mode": "payment"})
    second = run.client.create_session({"mode": "payment"})
    keys = [first.request.idempotency_key, second.request.idempotency_key]
    assert keys[0] != keys[1]
    for index, key in enumerate(keys):
        assert key is not None
        assert uuid.UUID(key).version == 4
        assert run.sent_header(index, "Idempotency-Key") == key


def test_idempotency_key_can_be_given_or_left_out() -> None:
    run = scripted(Reply(200))
    given_key = run.client.create_session({"mode": "payment"}, idempotency_key="k-1")
    no_key = run.client.create_session({"mode": "payment"}, idempotency_key=None)
    get = run.client.list_sessions()
    assert run.sent_header(0, "Idempotency-Key") == "k-1"
    assert given_key.request.idempotency_key == "k-1"
    assert run.sent_header(1, "Idempotency-Key") is None
    assert no_key.request.idempotency_key is None
    assert run.sent_header(2, "Idempotency-Key") is None
    assert get.request.idempotency_key is None


@pytest.mark.parametrize(
    ("auth", "sent"),
    [
        (Auth.API_KEY, f"Bearer {KEY}"),
        (Auth.NONE, None),
        (Auth.literal("Bearer not_a_stripe_key"), "Bearer not_a_stripe_key"),
        (Auth.literal(""), ""),
    ],
)
def test_authorization_header_follows_auth(auth: Auth, sent: str | None) -> None:
    run = scripted(Reply(401))
    exchange = run.client.request("GET", "/v1/checkout/sessions", auth=auth)
    assert run.sent_header(0, "Authorization") == sent
    assert exchange.request.auth == auth
    assert exchange.request.header("Authorization") is None


def test_version_and_user_agent_headers() -> None:
    pinned = scripted(Reply(200))
    pinned.client.list_sessions()
    assert pinned.sent_header(0, "Stripe-Version") == VERSION
    assert pinned.sent_header(0, "User-Agent") == USER_AGENT
    assert "checkout-contracts" in USER_AGENT

    unpinned = scripted(Reply(200), stripe_version=None)
    unpinned.client.list_sessions()
    assert unpinned.sent_header(0, "Stripe-Version") is None


def test_extra_headers_are_sent_and_recorded() -> None:
    run = scripted(Reply(200))
    exchange = run.client.request(
        "GET", "/v1/checkout/sessions", headers={"Stripe-Version": "2099-01-01"}
    )
    assert run.sent_header(0, "Stripe-Version") == "2099-01-01"
    assert exchange.request.header("stripe-version") == "2099-01-01"


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("Authorization", "auth="),
        ("idempotency-key", "idempotency_key="),
        ("Content-Type", "content_type="),
    ],
)
def test_headers_that_have_a_parameter_are_refused(name: str, parameter: str) -> None:
    run = scripted(Reply(200))
    with pytest.raises(ValueError, match=parameter):
        run.client.request("GET", "/v1/x", headers={name: "x"})
    assert run.adapter.received == []


@pytest.mark.parametrize(
    ("call", "arguments"),
    [
        ("params and raw body", {"params": {"a": "1"}, "raw_body": b"a=1"}),
        ("query in path", {"path": "/v1/x?a=1"}),
        ("relative path", {"path": "v1/x"}),
        ("space in path", {"path": "/v1/a b"}),
        ("bad method", {"method": "GE T"}),
        ("raw body as str", {"raw_body": "a=1"}),
    ],
)
def test_malformed_calls_are_refused_before_sending(
    call: str, arguments: dict[str, Any]
) -> None:
    run = scripted(Reply(200))
    method = arguments.pop("method", "POST")
    path = arguments.pop("path", "/v1/x")
    with pytest.raises((ValueError, TypeError)):
        run.client.request(method, path, **arguments)
    assert run.adapter.received == [], call


@pytest.mark.parametrize(
    ("helper", "arguments", "method", "path"),
    [
        ("create_session", ({"mode": "payment"},), "POST", "/v1/checkout/sessions"),
        ("retrieve_session", ("cs_1",), "GET", "/v1/checkout/sessions/cs_1"),
        ("list_sessions", (), "GET", "/v1/checkout/sessions"),
        (
            "list_line_items",
            ("cs_1",),
            "GET",
            "/v1/checkout/sessions/cs_1/line_items",
        ),
        ("expire_session", ("cs_1",), "POST", "/v1/checkout/sessions/cs_1/expire"),
        (
            "update_session",
            ("cs_1", {"metadata": {"a": "b"}}),
            "POST",
            "/v1/checkout/sessions/cs_1",
        ),
        ("create_price", ({"currency": "usd"},), "POST", "/v1/prices"),
        ("create_customer", ({"email": "a@b.c"},), "POST", "/v1/customers"),
    ],
)
def test_endpoint_helpers(
    helper: str, arguments: tuple[Any, ...], method: str, path: str
) -> None:
    run = scripted(Reply(200))
    exchange = getattr(run.client, helper)(*arguments)
    assert (exchange.request.method, exchange.request.path) == (method, path)
    assert run.adapter.received[0].path_url.split("?")[0] == path


def test_ids_stay_one_path_segment_and_expand_uses_brackets() -> None:
    run = scripted(Reply(404))
    exchange = run.client.retrieve_session("cs/../x?y", expand=["line_items"])
    assert exchange.request.path == "/v1/checkout/sessions/cs%2F..%2Fx%3Fy"
    assert exchange.request.form == (("expand[]", "line_items"),)


# -- records -------------------------------------------------------------------------


def test_responses_are_recorded_with_json_and_case_insensitive_headers() -> None:
    run = scripted(Reply(400, {"Request-Id": "req_1"}, b'{"error": {"code": "x"}}'))
    response = run.client.create_session({}).response
    assert response.status == 400
    assert response.header("request-id") == "req_1"
    assert response.header("missing") is None
    assert response.json == {"error": {"code": "x"}}
    assert response.content_type == "application/json"


def test_a_body_that_is_not_json_has_json_none_and_text_decoded_leniently() -> None:
    run = scripted(Reply(502, {"Content-Type": "text/html"}, b"<h1>bad \xff</h1>"))
    response = run.client.list_sessions().response
    assert response.json is None
    assert response.text == "<h1>bad \ufffd</h1>"
    assert response.content_type == "text/html"


def test_exchange_timing_fields() -> None:
    run = scripted(rate_limited(**{"Retry-After": "1"}), Reply(200))
    exchange = run.client.list_sessions()
    assert exchange.started_at == NOW
    assert exchange.elapsed >= sum(a.elapsed for a in exchange.attempts)
    assert all(a.elapsed >= 0 for a in exchange.attempts)


def test_on_exchange_hooks_see_every_exchange() -> None:
    run = scripted(rate_limited(), Reply(200))
    seen: list[Exchange] = []
    run.client.on_exchange.append(seen.append)
    first = run.client.create_session({"mode": "payment"})
    second = run.client.list_sessions()
    assert seen == [first, second]


def test_curls_are_noted_inside_hypothesis_tests_only() -> None:
    run = scripted(Reply(200), note_curl=True)
    with mock.patch("client._client.note") as note:
        exchange = run.client.list_sessions()
    note.assert_not_called()

    @given(st.just(None))
    @settings(max_examples=1, database=None)
    def inside(_: None) -> None:
        with mock.patch("client._client.note") as note_inside:
            inner = run.client.list_sessions()
        note_inside.assert_called_once_with(inner.to_curl())

    inside()
    assert exchange.response.status == 200


# -- the key never leaks -------------------------------------------------------------


def _echoing_reply() -> Reply:
    encoded = quote(KEY, safe="")
    basic = base64.b64encode(f"{KEY}:".encode()).decode()
    body = json.dumps(
        {"auth": f"Bearer {KEY}", "query": f"key={encoded}", "basic": f"Basic {basic}"}
    )
    return Reply(401, {"X-Echo": f"Bearer {KEY}"}, body.encode())


def test_an_echoed_key_is_redacted_before_it_is_recorded() -> None:
    run = scripted(_echoing_reply())
    exchange = run.client.create_session({"mode": "payment"})
    response = exchange.response
    assert response.json == {
        "auth": f"Bearer {REDACTED}",
        "query": f"key={REDACTED}",
        "basic": f"Basic {REDACTED}",
    }
    assert response.header("X-Echo") == f"Bearer {REDACTED}"
    for text in (repr(exchange), str(exchange), exchange.to_curl(), response.text):
        assert_no_key(text)


def test_no_record_or_curl_holds_the_key_whatever_the_auth() -> None:
    run = scripted(_echoing_reply())
    for auth in (Auth.API_KEY, Auth.NONE, Auth.literal("Bearer not_a_stripe_key")):
        exchange = run.client.request(
            "POST", "/v1/checkout/sessions", params={"mode": "payment"}, auth=auth
        )
        assert_no_key(repr(exchange))
        assert_no_key(exchange.to_curl())
        assert_no_key(repr(exchange.request.auth))
    assert_no_key(repr(run.client))


@pytest.mark.parametrize(
    "arguments",
    [
        {"params": {"api_key": KEY}},
        {"params": {KEY: "x"}},
        {"raw_body": f"key={quote(KEY, safe='')}".encode()},
        {"headers": {"X-Key": KEY}},
        {"auth": Auth.literal(f"Bearer {KEY}")},
        {"path": f"/v1/{KEY}"},
        {"path": f"/v1/{KEY}?bad"},
    ],
)
def test_sending_the_key_outside_authorization_is_refused(
    arguments: dict[str, Any],
) -> None:
    run = scripted(Reply(200))
    path = arguments.pop("path", "/v1/checkout/sessions")
    with pytest.raises(ValueError, match="API key") as caught:
        run.client.request("POST", path, **arguments)
    assert_no_key(str(caught.value))
    assert run.adapter.received == []


def test_a_key_in_the_base_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        CheckoutClient(f"http://{KEY}@example.test", KEY, stripe_version=None)
    assert_one_sentence(str(caught.value), naming="--api-key")


@pytest.mark.parametrize("api_key", ["", "   ", " sk_test_x", "sk_test_x\n"])
def test_unusable_api_keys_are_refused(api_key: str) -> None:
    with pytest.raises(ValueError, match="API key"):
        CheckoutClient(BASE, api_key, stripe_version=None)


# -- budgets -------------------------------------------------------------------------


def test_max_requests_counts_every_attempt_then_refuses() -> None:
    run = scripted(rate_limited(), Reply(200), max_requests=3)
    run.client.create_session({"mode": "payment"})
    run.client.list_sessions()
    assert run.client.requests_sent == 3
    with pytest.raises(RequestBudgetExhausted) as caught:
        run.client.list_sessions()
    assert_one_sentence(str(caught.value), naming="3 requests")
    assert len(run.adapter.received) == 3
    assert not isinstance(caught.value, TargetError)


def test_the_budget_also_stops_a_retry_loop() -> None:
    run = scripted(rate_limited(), max_requests=2)
    with pytest.raises(RequestBudgetExhausted):
        run.client.create_session({"mode": "payment"})
    assert len(run.adapter.received) == 2


def test_threads_share_the_budget_exactly() -> None:
    run = scripted(Reply(200), max_requests=25)
    outcomes: list[str] = []
    outcomes_lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            try:
                run.client.create_session({"mode": "payment"})
                outcome = "sent"
            except RequestBudgetExhausted:
                outcome = "refused"
            with outcomes_lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("sent") == 25
    assert outcomes.count("refused") == 15
    assert run.client.requests_sent == 25
    assert len(run.adapter.received) == 25


class FakeClock:
    """A clock that only `sleep` moves; safe to share between threads."""

    def __init__(self) -> None:
        self.now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        with self._lock:
            self.now += seconds

    def advance_to(self, moment: float) -> None:
        with self._lock:
            self.now = max(self.now, moment)


# Times are multiples of 1/1024 s so the fake clock's float sums are exact.
_TICK = 1 / 1024


@given(
    max_per_window=st.integers(min_value=1, max_value=5),
    window_ticks=st.integers(min_value=1, max_value=2048),
    gaps=st.lists(st.integers(min_value=0, max_value=2048), max_size=40),
)
def test_rate_limiter_never_exceeds_its_window_and_never_waits_needlessly(
    max_per_window: int, window_ticks: int, gaps: list[int]
) -> None:
    clock = FakeClock()
    window = window_ticks * _TICK
    limiter = RateLimiter(max_per_window, window, clock=clock, sleep=clock.sleep)
    arrivals: list[float] = []
    starts: list[float] = []
    moment = 0.0
    for gap in gaps:
        moment += gap * _TICK
        clock.advance_to(moment)
        arrivals.append(clock())
        waited = limiter.acquire()
        starts.append(clock())
        assert waited == starts[-1] - arrivals[-1]

    for first in starts:
        in_window = [s for s in starts if first <= s < first + window]
        assert len(in_window) <= max_per_window
    # A start is delayed only until the slot it needs frees up, never longer.
    for index, start in enumerate(starts):
        earliest = arrivals[index]
        if index >= max_per_window:
            earliest = max(earliest, starts[index - max_per_window] + window)
        assert start == earliest


def test_rate_limiter_serialises_threads() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 1.0, clock=clock, sleep=clock.sleep)

    def worker() -> None:
        for _ in range(4):
            limiter.acquire()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 12 starts, 2 per second, all wanting to start at 0: the last pair at 5 s.
    assert clock() == 5.0


def test_rate_limiter_per_worker_shares_the_total() -> None:
    limiter = RateLimiter.per_worker(25, 2)
    assert (limiter.max_per_window, limiter.window) == (12, 1.1)
    with pytest.raises(ValueError, match="fewer workers"):
        RateLimiter.per_worker(25, 26)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [((0,), ValueError), ((1, 0.0), ValueError), ((1.5,), TypeError)],
)
def test_rate_limiter_refuses_useless_settings(
    arguments: tuple[Any, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        RateLimiter(*arguments)


def test_the_client_books_every_attempt_with_its_rate_limiter() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 1.0, clock=clock, sleep=clock.sleep)
    run = scripted(
        rate_limited(**{"Retry-After": "0"}), Reply(200), rate_limiter=limiter
    )
    run.client.create_session({"mode": "payment"})
    run.client.list_sessions()
    # Three attempts, one per second: the third may start at 2 s.
    assert clock() == 2.0


# -- transport errors against real sockets -----------------------------------------


@contextmanager
def tcp_server(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A one-connection-at-a-time TCP server on 127.0.0.1 running `handle`."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                handle(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def _real_client(base_url: str, **options: Any) -> CheckoutClient:
    options.setdefault("sleep", lambda seconds: None)
    return CheckoutClient(
        base_url, KEY, stripe_version=VERSION, note_curl=False, **options
    )


def test_a_closed_port_raises_target_unreachable() -> None:
    # Bound but not listening: the kernel refuses, and no one else can take it.
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        base_url = f"http://127.0.0.1:{placeholder.getsockname()[1]}"
        sleeps: list[float] = []
        with _real_client(base_url, sleep=sleeps.append) as client:
            with pytest.raises(TargetUnreachable) as caught:
                client.create_session({"mode": "payment"})
            assert client.requests_sent == 3
    message = str(caught.value)
    assert_one_sentence(message, naming=base_url)
    assert "connection refused" in message
    assert "--base-url" in message
    assert sleeps == [0.1, 0.3]


def test_a_silent_server_times_out_once_then_the_breaker_fails_fast() -> None:
    with socket.create_server(("127.0.0.1", 0), backlog=8) as listener:
        base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with _real_client(base_url, timeout=(2.0, 0.3)) as client:
            started = time.monotonic()
            with pytest.raises(TargetTimeout) as first:
                client.create_session({"mode": "payment"})
            assert time.monotonic() - started >= 0.3
            assert client.requests_sent == 1

            started = time.monotonic()
            with pytest.raises(TargetTimeout) as second:
                client.list_sessions()
            assert time.monotonic() - started < 0.2
            assert client.requests_sent == 1
    assert_one_sentence(str(first.value), naming=base_url)
    assert "POST /v1/checkout/sessions within 0.3 s" in str(first.value)
    assert_one_sentence(str(second.value), naming=base_url)
    assert "earlier request" in str(second.value)


def _unresolvable() -> requests.ConnectionError:
    reason = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    cause = NameResolutionError("target.test", None, reason)  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/", cause))  # type: ignore[arg-type]


def _aborted(cause: Exception) -> requests.ConnectionError:
    return requests.ConnectionError(ProtocolError("Connection aborted.", cause))


@pytest.mark.parametrize(
    ("failure", "error", "phrase", "attempts"),
    [
        (_unresolvable(), TargetUnreachable, "does not resolve", 3),
        (
            # A timeout while reading the body arrives wrapped in ConnectionError.
            requests.ConnectionError(ReadTimeoutError(None, "/", "Read timed out.")),  # type: ignore[arg-type]
            TargetTimeout,
            "did not answer GET /v1/checkout/sessions within 30 s",
            1,
        ),
        (requests.exceptions.SSLError("wrong version number"), TargetNotHttp, "TLS", 1),
        (
            _aborted(http.client.RemoteDisconnected("closed without response")),
            TargetDisconnected,
            "closed the connection",
            1,
        ),
        (
            _aborted(ConnectionResetError(104, "reset")),
            TargetDisconnected,
            "crashed",
            1,
        ),
        (
            _aborted(http.client.BadStatusLine("garbage")),
            TargetNotHttp,
            "its first line was 'garbage'",
            1,
        ),
        (
            requests.exceptions.ChunkedEncodingError("bad chunk"),
            TargetNotHttp,
            "valid HTTP",
            1,
        ),
    ],
)
def test_transport_failures_map_to_one_sentence_target_errors(
    failure: Exception, error: type[TargetError], phrase: str, attempts: int
) -> None:
    run = scripted(*[failure] * attempts, Reply(200))
    with pytest.raises(error) as caught:
        run.client.list_sessions()
    assert_one_sentence(str(caught.value), naming=BASE)
    assert phrase in str(caught.value)
    assert caught.value.url == BASE
    assert len(run.adapter.received) == attempts


def test_a_connect_timeout_also_opens_the_breaker() -> None:
    run = scripted(requests.ConnectTimeout("timed out"), Reply(200))
    with pytest.raises(TargetTimeout) as first:
        run.client.list_sessions()
    assert_one_sentence(str(first.value), naming=BASE)
    with pytest.raises(TargetTimeout, match="earlier request"):
        run.client.list_sessions()
    assert len(run.adapter.received) == 1


def _speak_ssh(connection: socket.socket) -> None:
    connection.recv(65536)
    connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")


def _hang_up(connection: socket.socket) -> None:
    connection.recv(65536)


def test_a_peer_that_does_not_speak_http_raises_target_not_http() -> None:
    with tcp_server(_speak_ssh) as base_url, _real_client(base_url) as client:
        with pytest.raises(TargetNotHttp) as caught:
            client.list_sessions()
        assert client.requests_sent == 1
    assert_one_sentence(str(caught.value), naming=base_url)
    assert "SSH-2.0-OpenSSH_9.6" in str(caught.value)


def test_a_peer_that_hangs_up_raises_target_disconnected() -> None:
    with tcp_server(_hang_up) as base_url, _real_client(base_url) as client:
        with pytest.raises(TargetDisconnected) as caught:
            client.create_session({"mode": "payment"})
        assert client.requests_sent == 1
    assert_one_sentence(str(caught.value), naming=base_url)


def test_https_to_a_plain_http_server_raises_target_not_http(echo: EchoServer) -> None:
    base_url = echo.base_url.replace("http://", "https://")
    with _real_client(base_url) as client, pytest.raises(TargetNotHttp) as caught:
        client.list_sessions()
    assert_one_sentence(str(caught.value), naming=base_url)
    assert "TLS" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "localhost:12111",
        "ftp://127.0.0.1",
        "http://",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:12111/?x=1",
        "http://127.0.0.1#frag",
    ],
)
def test_invalid_base_urls_are_refused_in_one_sentence(url: str) -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        CheckoutClient(url, KEY, stripe_version=None)
    assert_one_sentence(str(caught.value), naming=repr(url))


def test_base_url_keeps_a_path_prefix_and_drops_a_trailing_slash() -> None:
    client = CheckoutClient("http://127.0.0.1:1/prefix/", KEY, stripe_version=None)
    assert client.base_url == "http://127.0.0.1:1/prefix"
    assert repr(client) == (
        "CheckoutClient(base_url='http://127.0.0.1:1/prefix', stripe_version=None)"
    )
    client.close()


# -- cURL reproduction against a real echo server -----------------------------------


@dataclass(frozen=True)
class Received:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class EchoServer:
    def __init__(self) -> None:
        received: list[Received] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def _echo(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                received.append(
                    Received(
                        self.command,
                        self.path,
                        {name.lower(): value for name, value in self.headers.items()},
                        body,
                    )
                )
                answer = json.dumps(
                    {"authorization": self.headers.get("Authorization")}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_DELETE = _echo

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def echo_client(echo: EchoServer) -> Iterator[CheckoutClient]:
    with _real_client(echo.base_url) as client:
        yield client


def test_a_key_echoed_by_a_real_server_is_redacted(
    echo_client: CheckoutClient,
) -> None:
    exchange = echo_client.list_sessions()
    assert exchange.response.json == {"authorization": f"Bearer {REDACTED}"}
    assert_no_key(exchange.response.text)


def _replay_with_curl(exchange: Exchange, echo: EchoServer) -> Received:
    before = len(echo.received)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "STRIPE_API_KEY": KEY,
    }
    completed = subprocess.run(
        ["/bin/sh", "-c", exchange.to_curl()],
        env=environment,
        capture_output=True,
        timeout=20,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    assert len(echo.received) == before + 1
    return echo.received[-1]


_COMPARED_HEADERS = (
    "authorization",
    "stripe-version",
    "idempotency-key",
    "content-type",
)


def _assert_same_request(by_client: Received, by_curl: Received) -> None:
    assert by_curl.method == by_client.method
    assert by_curl.target == by_client.target
    assert by_curl.body == by_client.body
    for name in _COMPARED_HEADERS:
        assert by_curl.headers.get(name) == by_client.headers.get(name), name


needs_curl = pytest.mark.skipif(
    shutil.which("curl") is None,
    reason="curl is not installed, cannot replay to_curl()",
)

_form_values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=10),
    st.sampled_from(["", "a&b=c", "x+y%z#w", "'quoted'", '"double"', "$HOME", "@file"]),
    st.integers(),
    st.booleans(),
)
_form_keys = st.sampled_from(["mode", "metadata", "@at", "a b", "ünï", "$x", "q'"])


@needs_curl
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(["POST", "GET", "DELETE"]),
    params=st.dictionaries(
        _form_keys,
        st.one_of(
            _form_values,
            st.lists(_form_values, max_size=2),
            st.dictionaries(_form_keys, _form_values, max_size=2),
            st.lists(_form_values, max_size=2).map(BracketList),
        ),
        max_size=4,
    ),
)
def test_to_curl_reproduces_a_params_request_exactly(
    echo: EchoServer,
    echo_client: CheckoutClient,
    method: str,
    params: dict[str, object],
) -> None:
    # The fixtures are module-scoped servers; nothing in them changes per example.
    exchange = echo_client.request(method, "/v1/checkout/sessions", params=params)
    by_client = echo.received[-1]
    _assert_same_request(by_client, _replay_with_curl(exchange, echo))


@needs_curl
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"mode=payment&line_items[0][price]=p", FORM_CONTENT_TYPE),
        (b"@/etc/passwd", FORM_CONTENT_TYPE),
        (b"", FORM_CONTENT_TYPE),
        ("caf\u00e9 'quoted' $HOME %s \\n".encode(), "text/plain"),
        (b"\x00\xff\xfe%%\\'\"\r\n\tend", "application/octet-stream"),
        (b"line one\nline two\n", None),
        (b'{"mode": "payment"}', "application/json"),
    ],
)
def test_to_curl_reproduces_a_raw_body_exactly(
    echo: EchoServer,
    echo_client: CheckoutClient,
    body: bytes,
    content_type: str | None,
) -> None:
    exchange = echo_client.request(
        "POST", "/v1/checkout/sessions", raw_body=body, content_type=content_type
    )
    by_client = echo.received[-1]
    assert by_client.body == body
    _assert_same_request(by_client, _replay_with_curl(exchange, echo))


@needs_curl
@pytest.mark.parametrize(
    "auth", [Auth.NONE, Auth.literal("Bearer not_a_stripe_key"), Auth.literal("")]
)
def test_to_curl_reproduces_the_auth_choice(
    echo: EchoServer, echo_client: CheckoutClient, auth: Auth
) -> None:
    exchange = echo_client.request("GET", "/v1/checkout/sessions", auth=auth)
    by_client = echo.received[-1]
    _assert_same_request(by_client, _replay_with_curl(exchange, echo))


def test_to_curl_shows_the_key_only_as_a_shell_variable() -> None:
    run = scripted(Reply(200))
    curl = run.client.create_session(
        {"line_items": [{"price_data": {"currency": "usd"}}]}, idempotency_key="k1"
    ).to_curl()
    assert curl.splitlines() == [
        f"curl -sS -X POST {BASE}/v1/checkout/sessions \\",
        '  -H "Authorization: Bearer $STRIPE_API_KEY" \\',
        f"  -H 'Stripe-Version: {VERSION}' \\",
        "  -H 'Idempotency-Key: k1' \\",
        f"  -H 'Content-Type: {FORM_CONTENT_TYPE}' \\",
        "  -d 'line_items[0][price_data][currency]=usd'",
    ]


# -- where the key came from; deadlines, caps and 429 budgets on scripted answers --


@pytest.mark.parametrize(
    "source", ["--api-key", "$STRIPE_API_KEY", "the built-in local test key"]
)
@pytest.mark.parametrize(
    "api_key", [" sk_test_x", "sk_test_x\n", "Bearer sk_test_x", "sk_test x"]
)
def test_an_unsendable_key_is_blamed_on_where_it_came_from(
    api_key: str, source: str
) -> None:
    with pytest.raises(ValueError, match="API key") as caught:
        CheckoutClient(BASE, api_key, stripe_version=None, key_source=source)
    message = str(caught.value)
    assert message.startswith(f"The API key from {source} contains whitespace")
    assert "STRIPE_API_KEY" not in message.replace(source, "")
    assert api_key.strip() not in message


def test_a_body_over_the_cap_is_refused_by_its_content_length() -> None:
    run = scripted(Reply(200, {"Content-Length": "2049"}, b"{}"), max_body_bytes=2048)
    with pytest.raises(ResponseTooLarge) as caught:
        run.client.list_sessions()
    assert caught.value.size == 2049
    assert caught.value.limit == 2048
    assert_one_sentence(str(caught.value), naming="GET /v1/checkout/sessions")
    assert "2,049 bytes (its Content-Length)" in str(caught.value)


def test_a_body_over_the_cap_is_refused_while_streaming() -> None:
    run = scripted(Reply(200, {}, b"[" + b"1," * 2000 + b"1]"), max_body_bytes=2048)
    with pytest.raises(ResponseTooLarge, match=r"larger than 2,048 bytes"):
        run.client.list_sessions()


def test_a_body_at_the_cap_is_kept_whole() -> None:
    body = b'"' + b"x" * 2046 + b'"'
    exchange = scripted(Reply(200, {}, body), max_body_bytes=2048).client.request(
        "GET", "/v1/x"
    )
    assert exchange.response.json == "x" * 2046


def test_json_that_does_not_parse_says_where() -> None:
    exchange = scripted(Reply(200, {}, b'{"a": 1,}')).client.request("GET", "/v1/x")
    assert exchange.response.json is None
    assert exchange.response.json_error == (
        "Expecting property name enclosed in double quotes at line 1, column 9 (char 8)"
    )
    empty = scripted(Reply(200, {}, b"")).client.request("GET", "/v1/x")
    assert (empty.response.json, empty.response.json_error) == (None, None)


def test_429_waits_stop_at_the_clients_budget() -> None:
    run = scripted(rate_limited(**{"Retry-After": "2"}), rate_limit_budget=5.0)
    with pytest.raises(TargetRateLimited) as caught:
        run.client.list_sessions()
    assert run.sleeps == [2.0, 2.0]
    assert run.client.rate_limit_waited == 4.0
    assert_one_sentence(str(caught.value), naming="--max-rps")


def test_the_default_deadline_is_connect_plus_read() -> None:
    client = CheckoutClient(BASE, KEY, stripe_version=None, timeout=(3.0, 7.0))
    assert client.deadline == 10.0
    with pytest.raises(ValueError, match="deadline"):
        CheckoutClient(BASE, KEY, stripe_version=None, deadline=0)


def test_a_key_escaped_in_json_is_redacted_after_decoding() -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in KEY)
    body = f'{{"echo": "{escaped}", "{escaped}": 1, "n": ["x{KEY[:9]}\\n{KEY[9:]}"]}}'
    exchange = scripted(Reply(200, {}, body.encode())).client.request("GET", "/v1/x")
    assert exchange.response.json == {
        "echo": REDACTED,
        REDACTED: 1,
        "n": [f"x{REDACTED}"],
    }
    assert REDACTED in exchange.response.text
    assert escaped not in exchange.response.text
