"""Helpers shared by the reference-server self-tests (this module holds no tests).

`Client` talks to a server with hand-written form bodies over one keep-alive
`http.client` connection; it encodes nothing on its own beyond percent-escaping
the pairs it is given, so the tests state the wire format they send.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

KEY = "sk_test_reference"
FORM = "application/x-www-form-urlencoded"
Pairs = Iterable[tuple[str, str]]

# The minimal valid create bodies of catalogue §2.5, as (key, value) pairs.
PAYMENT: tuple[tuple[str, str], ...] = (
    ("mode", "payment"),
    ("success_url", "https://example.com/success"),
    ("line_items[0][price_data][currency]", "usd"),
    ("line_items[0][price_data][unit_amount]", "1000"),
    ("line_items[0][price_data][product_data][name]", "T-shirt"),
    ("line_items[0][quantity]", "1"),
)
SUBSCRIPTION: tuple[tuple[str, str], ...] = (
    ("mode", "subscription"),
    ("success_url", "https://example.com/success"),
    ("line_items[0][price_data][currency]", "usd"),
    ("line_items[0][price_data][unit_amount]", "1000"),
    ("line_items[0][price_data][product_data][name]", "Plan"),
    ("line_items[0][price_data][recurring][interval]", "month"),
    ("line_items[0][quantity]", "1"),
)
SETUP: tuple[tuple[str, str], ...] = (
    ("mode", "setup"),
    ("success_url", "https://example.com/success"),
    ("currency", "usd"),
)
EMBEDDED: tuple[tuple[str, str], ...] = (
    ("mode", "payment"),
    ("ui_mode", "embedded"),
    ("return_url", "https://example.com/return?session_id={CHECKOUT_SESSION_ID}"),
    ("line_items[0][price_data][currency]", "usd"),
    ("line_items[0][price_data][unit_amount]", "1000"),
    ("line_items[0][price_data][product_data][name]", "T-shirt"),
    ("line_items[0][quantity]", "1"),
)


def form(pairs: Pairs) -> str:
    """`k=v&...` with each key and value percent-escaped (brackets kept literal)."""
    return "&".join(
        f"{quote(key, safe='[]')}={quote(value, safe='')}" for key, value in pairs
    )


def without(pairs: Pairs, *names: str) -> list[tuple[str, str]]:
    """`pairs` minus every key named or nested under a name in `names`."""
    return [
        (key, value)
        for key, value in pairs
        if not any(key == name or key.startswith(name + "[") for name in names)
    ]


def items(
    count: int, *, recurring: bool = False, start: int = 0
) -> list[tuple[str, str]]:
    """`count` price_data line items numbered from `start`."""
    pairs = []
    for index in range(start, start + count):
        prefix = f"line_items[{index}]"
        pairs += [
            (f"{prefix}[price_data][currency]", "usd"),
            (f"{prefix}[price_data][unit_amount]", str(100 + index)),
            (f"{prefix}[price_data][product_data][name]", f"item {index}"),
            (f"{prefix}[quantity]", "1"),
        ]
        if recurring:
            pairs.append((f"{prefix}[price_data][recurring][interval]", "month"))
    return pairs


@dataclass
class Reply:
    """One response: status, headers (lowercase names) and the raw and parsed body."""

    status: int
    headers: dict[str, str]
    raw: bytes
    body: Any = field(default=None)

    @property
    def error(self) -> dict[str, Any]:
        """The `error` object of an error body."""
        assert isinstance(self.body, dict), self.raw[:500]
        assert "error" in self.body, self.raw[:500]
        error = self.body["error"]
        assert isinstance(error, dict)
        return error


class Client:
    """One keep-alive connection to a server, with hand-written requests."""

    def __init__(
        self, url: str, key: str | None = KEY, version: str | None = None
    ) -> None:
        address = urlsplit(url)
        assert address.hostname is not None
        assert address.port is not None
        self.connection = http.client.HTTPConnection(
            address.hostname, address.port, timeout=10
        )
        self.key = key
        self.version = version

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {}
        if self.key is not None:
            headers["Authorization"] = f"Bearer {self.key}"
        if self.version is not None:
            headers["Stripe-Version"] = self.version
        headers.update(extra or {})
        return headers

    def send(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send exactly this request (headers are not completed)."""
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        raw = response.read()
        reply = Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, raw
        )
        if raw:
            try:
                reply.body = json.loads(raw)
            except ValueError:
                reply.body = None
        return reply

    def post(
        self,
        path: str,
        pairs: Pairs | str = (),
        headers: dict[str, str] | None = None,
    ) -> Reply:
        body = pairs if isinstance(pairs, str) else form(pairs)
        return self.send(
            "POST", path, body, self.headers({"Content-Type": FORM, **(headers or {})})
        )

    def get(
        self, path: str, pairs: Pairs | str = (), headers: dict[str, str] | None = None
    ) -> Reply:
        query = pairs if isinstance(pairs, str) else form(pairs)
        target = f"{path}?{query}" if query else path
        return self.send("GET", target, None, self.headers(headers))

    def create(
        self, pairs: Pairs = PAYMENT, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """A created session; fails the test if the server refuses."""
        reply = self.post("/v1/checkout/sessions", pairs, headers)
        assert reply.status == 200, reply.raw[:800]
        assert isinstance(reply.body, dict)
        return reply.body

    def walk(
        self, path: str, pairs: Pairs = (), *, limit: int = 3
    ) -> Iterator[dict[str, Any]]:
        """Every object of a list, following `starting_after`."""
        cursor: list[tuple[str, str]] = []
        while True:
            reply = self.get(path, [*pairs, ("limit", str(limit)), *cursor])
            assert reply.status == 200, reply.raw[:500]
            yield from reply.body["data"]
            if not reply.body["has_more"]:
                return
            cursor = [("starting_after", reply.body["data"][-1]["id"])]
