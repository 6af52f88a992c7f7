"""The client and the preflight against hostile targets (tests/self/hostile/).

For each target, the client (and `check_target`) ends within a stated time, with a
stated growth of peak RSS (measured in a subprocess from /proc/self/status VmHWM,
so the server's own memory is not counted), and with the exact one-sentence
message. An echoing target sends the key back in every spelling, and nothing any
renderer produces holds it.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

import pytest

from client import CheckoutClient, Exchange
from contracts import ContractFailure, reproduction_script, response_excerpt
from contracts._helpers import error_summary
from reference_server import ReferenceServer
from run._preflight import TargetProblem, check_target
from tests.self.hostile import (
    BadServer,
    ForwardingProxy,
    drip,
    fail_fraction,
    flood,
    flood_length,
    hide_paths,
    invalid_json,
    key_echo,
    key_spellings,
    rate_limited_forever,
    redirect_loop,
)
from verdict._render import render_failure

ROOT = Path(__file__).resolve().parents[2]
# '+', '/' and '=' make the percent-encoded and base64 spellings differ.
KEY = "sk_test_51Hostile+Key/For=Tests"
VERSION = "2024-04-10"
LIST = "GET /v1/checkout/sessions"
PROBE = "GET /v1/checkout/sessions?limit=1"
MiB = 1024 * 1024
CAP = 8 * MiB


# The reference server accepts sk_test_ and letters and digits only.
REFERENCE_KEY = "sk_test_hostileToolkit"


def client_for(url: str, key: str = KEY, **options: Any) -> CheckoutClient:
    return CheckoutClient(url, key, stripe_version=VERSION, note_curl=False, **options)


# -- time and memory, measured in a fresh process --------------------------------

_PROBE_SCRIPT = """
import json, os, sys, time
from client import CheckoutClient, TargetError
from run._preflight import TargetProblem, check_target

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024

url, options, mode = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
before = peak()
start = time.monotonic()
client = CheckoutClient(url, os.environ["HOSTILE_KEY"], stripe_version="2024-04-10",
                        note_curl=False, **options)
outcome = {"error": None, "message": ""}
try:
    if mode == "preflight":
        check_target(client, url)
    else:
        client.list_sessions({"limit": 100})
except (TargetError, TargetProblem) as error:
    outcome = {"error": type(error).__name__, "message": str(error)}
outcome["seconds"] = time.monotonic() - start
outcome["grew"] = peak() - before
print(json.dumps(outcome))
"""


def measured(url: str, mode: str, **options: Any) -> dict[str, Any]:
    """Run one list request (mode "client") or `check_target` (mode "preflight")
    in a fresh interpreter; its outcome, seconds and peak-RSS growth in bytes."""
    run = subprocess.run(
        [sys.executable, "-c", _PROBE_SCRIPT, url, json.dumps(options), mode],
        cwd=ROOT,
        env={**os.environ, "HOSTILE_KEY": KEY, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome: dict[str, Any] = json.loads(run.stdout)
    return outcome


def expect(
    outcome: dict[str, Any], error: str, message: str, *, seconds: float, grew: int
) -> None:
    assert (outcome["error"], outcome["message"]) == (error, message)
    assert outcome["seconds"] < seconds, outcome
    assert outcome["grew"] < grew, f"peak RSS grew {outcome['grew'] / MiB:.1f} MiB"
    assert "\n" not in message
    assert message.endswith(".")
    assert re.search(r"[.!?]\s", message) is None, message


@pytest.mark.parametrize("mode", ["client", "preflight"])
def test_a_dripping_target_is_cut_at_the_deadline(mode: str) -> None:
    # One byte a second: every read gets a byte long before its 5 s timeout.
    with BadServer(drip(interval=1.0), lifetime=30) as server:
        outcome = measured(server.url, mode, timeout=[2.0, 5.0], deadline=3.0)
    expect(
        outcome,
        "TargetTimeout" if mode == "client" else "TargetProblem",
        f"{server.url} did not answer {LIST} in full within the 3 s deadline for a "
        "whole request (connect, headers and body): the server may be hung or "
        "dripping its answer; raise --request-timeout if it is just slow.",
        seconds=3.0 + 1.5,
        grew=16 * MiB,
    )


@pytest.mark.parametrize("length", ["content-length", "eof"])
@pytest.mark.parametrize("mode", ["client", "preflight"])
def test_a_flooding_target_is_stopped_at_the_cap(mode: str, length: str) -> None:
    size = 200 * MiB
    declared = length == "content-length"
    with BadServer(flood(size, declare_length=declared), lifetime=30) as server:
        outcome = measured(server.url, mode)
    body = (
        f"a body of {flood_length(size):,} bytes (its Content-Length)"
        if declared
        else f"a body larger than {CAP:,} bytes (reading stopped there)"
    )
    expect(
        outcome,
        "ResponseTooLarge" if mode == "client" else "TargetProblem",
        f"{server.url} answered {LIST} (HTTP 200) with {body}, over the client's "
        f"cap of {CAP:,} bytes, so the body was discarded: no Checkout Sessions "
        "answer is that large, so check that --base-url is the API's root and that "
        "the server pages its lists.",
        seconds=10.0,
        # The cap, its copy as bytes, and the chunks in flight: 200 MiB read whole
        # would grow it by 400 MiB or more.
        grew=3 * CAP,
    )


def test_429_forever_stops_at_the_clients_wait_budget() -> None:
    with BadServer(rate_limited_forever("1"), lifetime=30) as server:
        outcome = measured(server.url, "client", rate_limit_budget=2.5)
    expect(
        outcome,
        "TargetRateLimited",
        f"{server.url} kept answering HTTP 429 (Too Many Requests), and waiting 1 s "
        f"more before retrying {LIST} would take this client's 429 waits to 3 s, "
        "past its budget of 2.5 s: lower --max-rps or the number of workers (-n), "
        "or run again once the target's rate limit has recovered.",
        seconds=2.0 + 1.5,
        grew=16 * MiB,
    )


def test_the_429_budget_is_shared_by_every_request_of_a_client() -> None:
    with BadServer(rate_limited_forever("0.5"), lifetime=30) as server:
        client = client_for(server.url, max_429_retries=2, rate_limit_budget=2.2)
        first = client.list_sessions()  # two waits of 0.5 s, then the 429 itself
        second = client.list_sessions()  # two more: 2.0 s in all
        with pytest.raises(Exception, match=r"past its budget of 2\.2 s"):
            client.list_sessions()  # the first wait would make 2.5 s
    assert [a.status for a in first.attempts] == [429, 429, 429]
    assert second.response.status == 429
    assert client.rate_limit_waited == pytest.approx(2.0)


def test_429_forever_fails_the_preflight() -> None:
    with BadServer(rate_limited_forever("1"), lifetime=30) as server:
        outcome = measured(server.url, "preflight", max_429_retries=2)
    message = outcome["message"]
    seconds = re.fullmatch(
        re.escape(
            f"The target at {server.url} kept answering HTTP 429 (Too Many Requests) "
            f"to {PROBE}, 3 times over "
        )
        + r"(\d+\.\d)"
        + re.escape(
            " s: lower --max-rps, or run again once its rate limit has recovered."
        ),
        message,
    )
    assert seconds is not None, message
    assert 2.0 <= float(seconds.group(1)) < 3.0
    expect(outcome, "TargetProblem", message, seconds=2.0 + 1.5, grew=16 * MiB)


# -- redirects and bad JSON ---------------------------------------------------------


def test_a_redirect_is_returned_with_its_location_not_followed() -> None:
    with BadServer(redirect_loop(), lifetime=30) as server:
        exchange = client_for(server.url).list_sessions({"limit": 1})
        assert len(server.received) == 1
    assert exchange.response.status == 302
    assert exchange.response.header("Location") == (
        f"{server.url}/v1/checkout/sessions?limit=1"
    )


def test_a_redirect_loop_fails_the_preflight_naming_its_location() -> None:
    with BadServer(redirect_loop(), lifetime=30) as server:
        start = time.monotonic()
        with pytest.raises(TargetProblem) as caught:
            check_target(client_for(server.url), server.url)
    assert time.monotonic() - start < 2.0
    assert str(caught.value) == (
        f"The target at {server.url} answered {PROBE} with HTTP 302 redirecting to "
        f"'{server.url}/v1/checkout/sessions?limit=1': the suite does not follow "
        "redirects (every request it judges is the one it sent), so pass the API's "
        "root itself as --base-url."
    )


def test_invalid_json_is_recorded_with_where_it_stops_parsing() -> None:
    with BadServer(invalid_json(), lifetime=30) as server:
        exchange = client_for(server.url).list_sessions()
    assert exchange.response.json is None
    assert exchange.response.json_error == (
        "Expecting property name enclosed in double quotes at line 1, column 43 "
        "(char 42)"
    )


def test_invalid_json_fails_the_preflight_saying_where() -> None:
    with (
        BadServer(invalid_json(), lifetime=30) as server,
        pytest.raises(TargetProblem) as caught,
    ):
        check_target(client_for(server.url), server.url)
    assert str(caught.value) == (
        f"The target at {server.url} answered {PROBE} with application/json (HTTP "
        "200) that does not parse as JSON (Expecting property name enclosed in "
        "double quotes at line 1, column 43 (char 42)): fix the server's JSON "
        "output, or check that --base-url is the API's root."
    )


def test_a_page_of_100_full_sessions_is_far_below_the_cap() -> None:
    with ReferenceServer() as server:
        client = client_for(server.url, REFERENCE_KEY)
        price = client.create_price(
            {"currency": "usd", "unit_amount": 1500, "product_data": {"name": "x"}}
        ).response.json
        assert isinstance(price, dict)
        metadata = {f"key{i}": "v" * 500 for i in range(50)}
        for _ in range(100):
            created = client.create_session(
                {
                    "mode": "payment",
                    "success_url": "https://example.com/" + "s" * 1000,
                    "line_items": [{"price": price["id"], "quantity": 1}] * 20,
                    "metadata": metadata,
                }
            )
            assert created.response.status == 200, created.response.text[:300]
        page = client.list_sessions({"limit": 100, "expand": ["data.line_items"]})
    size = len(page.response.text.encode())
    assert page.response.status == 200
    # Recorded in DEFAULT_MAX_BODY_BYTES's comment: about 3 MiB at most.
    assert size < CAP / 2, f"{size:,} bytes"


# -- the key never shows, whatever spelling the target echoes -------------------


def _views(text: str) -> Iterator[str]:
    """`text` and what a reader (or a decoder) could turn it into."""
    unbroken = re.sub(r"\\{0,2}(?:\r?\n|\\r\\n|\\n)[ \t]*", "", text)
    for base in (text, unbroken):
        unescaped = re.sub(
            r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), base
        ).replace("\\/", "/")
        yield from (base, unescaped, unquote(base), unquote_plus(base))
        yield html.unescape(base)


def assert_no_key(text: str) -> None:
    secret = KEY.removeprefix("sk_test_")
    forms = [secret]
    for raw in (f"{KEY}:".encode(), KEY.encode()):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(encode(raw).decode().rstrip("="))
    for view in _views(text):
        for form in forms:
            assert form not in view, f"the key shows in: {text[:2000]}"


class EchoedValue(ContractFailure):
    contract = "echo_for_the_redaction_test"
    title = "The target echoed the key"


def _rendered(exchange: Exchange) -> list[str]:
    body = exchange.response.json
    assert isinstance(body, dict)
    failure = EchoedValue(
        ("Received", f"fields={body!r}"),
        ("Headers", dict(exchange.response.headers)),
        exchanges=[exchange],
        focus=list(body)[:6],
    )
    report = render_failure(failure, path="test_x.py", lineno=1, embedded=False)
    crash = report.reprcrash
    return [
        failure.render(),
        str(failure),
        str(report),
        crash.message if crash is not None else "",
        "\n".join(response_excerpt(exchange)),
        "\n".join(response_excerpt(exchange, focus=list(body))),
        "\n".join(reproduction_script([exchange])),
        error_summary(exchange),
        repr(exchange),
        exchange.response.text,
        json.dumps(body),
        json.dumps(body, ensure_ascii=False),
    ]


def test_the_key_echoed_in_every_spelling_is_in_nothing_rendered() -> None:
    with BadServer(key_echo(), lifetime=30) as server:
        exchange = client_for(server.url).list_sessions()
    raw = server.received[0]
    assert raw.header("Authorization") == f"Bearer {KEY}"
    body = exchange.response.json
    assert isinstance(body, dict)
    # Every spelling arrived, and each is gone from what was recorded.
    for name in key_spellings(KEY):
        assert "$STRIPE_API_KEY" in body[name], name
    assert "$STRIPE_API_KEY" in body["split_escape"]
    assert body["$STRIPE_API_KEY"] == "key as an object key"
    for text in _rendered(exchange):
        assert_no_key(text)


def test_the_echo_check_catches_each_spelling_unredacted() -> None:
    # The check above cannot pass vacuously: each spelling, left as is, fails it.
    for name, spelling in key_spellings(KEY).items():
        text = json.loads(f'"{spelling}"') if name.startswith("json") else spelling
        with pytest.raises(AssertionError):
            assert_no_key(text)
        with pytest.raises(AssertionError):
            assert_no_key(json.dumps({"echo": text}))


# -- the proxy toolkit ---------------------------------------------------------------


def test_the_proxy_forwards_and_its_hooks_break_what_they_say() -> None:
    with ReferenceServer() as upstream:
        with ForwardingProxy(upstream.url, lifetime=30) as proxy:
            plain = client_for(proxy.url, REFERENCE_KEY).list_sessions({"limit": 1})
        with ForwardingProxy(
            upstream.url, hide_paths(["/v1/checkout/sessions"]), lifetime=30
        ) as proxy:
            hidden = client_for(proxy.url, REFERENCE_KEY).list_sessions({"limit": 1})
        with ForwardingProxy(
            upstream.url, fail_fraction(0.5, seed=1), lifetime=30
        ) as proxy:
            client = client_for(proxy.url, REFERENCE_KEY)
            statuses = [client.list_sessions().response.status for _ in range(20)]
    assert plain.response.status == 200
    assert plain.response.json is not None
    assert hidden.response.status == 404
    assert 3 <= statuses.count(500) <= 17
    assert set(statuses) == {200, 500}
