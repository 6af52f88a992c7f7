"""Standalone misbehaviours for `BadServer`: each function returns a `Behaviour`."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from tests.self.hostile._server import Behaviour, Responder

_LIST_HEAD = b'{"object": "list", "url": "/v1/checkout/sessions", "data": ['
_LIST_TAIL = b'], "has_more": false}'
_ITEM = (
    b'{"id": "cs_test_flood", "object": "checkout.session", "padding": "'
    + (b"x" * 900)
    + b'"}'
)


def fixed(
    status: int,
    body: bytes = b"{}",
    headers: tuple[tuple[str, str], ...] = (),
    *,
    content_type: str | None = "application/json",
) -> Behaviour:
    """The same well-formed answer to every request."""

    def behaviour(responder: Responder) -> None:
        responder.send(status, body, headers, content_type=content_type)

    return behaviour


def drip(
    body: bytes = b'{"object": "list", "data": [], "has_more": false}',
    *,
    interval: float = 1.0,
) -> Behaviour:
    """A valid 200 answer (status line, headers and body) sent one byte per
    `interval` seconds: every socket read gets a byte long before any read
    timeout, so only a deadline for the whole exchange stops it."""

    def behaviour(responder: Responder) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        for byte in head + body:
            responder.write(bytes([byte]))
            responder.wait(interval)

    return behaviour


_CHUNK = b",".join([_ITEM] * 64) + b","
_FIXED = len(_LIST_HEAD) + len(_ITEM) + len(_LIST_TAIL)


def flood_length(size: int) -> int:
    """The exact body length `flood(size)` sends (at most `size`, a valid JSON
    list)."""
    return _FIXED + max(0, size - _FIXED) // len(_CHUNK) * len(_CHUNK)


def flood(size: int = 200 * 1024 * 1024, *, declare_length: bool = True) -> Behaviour:
    """A 200 `application/json` list body of `flood_length(size)` bytes, written
    about 60 KiB at a time from one reused chunk (never built in memory). With
    `declare_length` the Content-Length is exact; without it, the body runs until
    the connection closes."""
    chunk = _CHUNK
    repeats = max(0, size - _FIXED) // len(chunk)
    total = flood_length(size)

    def behaviour(responder: Responder) -> None:
        headers = [("Content-Type", "application/json")]
        if declare_length:
            headers.append(("Content-Length", str(total)))
        else:
            headers.append(("Connection", "close"))
        responder.send_head(200, headers)
        responder.write(_LIST_HEAD)
        for _ in range(repeats):
            responder.write(chunk)
        responder.write(_ITEM + _LIST_TAIL)
        if not declare_length:
            responder.cut()

    return behaviour


def rate_limited_forever(retry_after: str = "1") -> Behaviour:
    """HTTP 429 with `Retry-After: retry_after` and a Stripe-shaped error, always."""
    body = json.dumps(
        {
            "error": {
                "type": "invalid_request_error",
                "code": "rate_limit",
                "message": "Too many requests.",
            }
        }
    ).encode()
    return fixed(429, body, (("Retry-After", retry_after),))


def redirect_loop(status: int = 302) -> Behaviour:
    """A redirect to the very URL requested (absolute Location), every time."""

    def behaviour(responder: Responder) -> None:
        location = responder.base_url + responder.request.path
        responder.send(status, b"", (("Location", location),), content_type=None)

    return behaviour


def invalid_json(
    body: bytes = b'{"object": "list", "data": [{"id": "cs_1",, "x": 1}]}',
) -> Behaviour:
    """`application/json` whose body does not parse (by default, a doubled comma
    at char 42)."""
    return fixed(200, body)


def key_spellings(key: str) -> dict[str, str]:
    """Every spelling of `key` that `key_echo` sends, by name (for assertions)."""
    every_char_escaped = "".join(f"\\u{ord(c):04x}" for c in key)
    mixed = "".join(
        f"\\u{ord(c):04X}" if i % 3 == 0 else f"%{ord(c):02x}" if i % 3 == 1 else c
        for i, c in enumerate(key)
    )
    half = len(key) // 2
    return {
        "plain": key,
        "percent": quote(key, safe=""),
        "percent_every_char": "".join(f"%{b:02X}" for b in key.encode()),
        "form": quote_plus(key, safe=""),
        "html": "".join(f"&#{ord(c)};" for c in key),
        "basic_colon": base64.b64encode(f"{key}:".encode()).decode(),
        "basic_alone": base64.b64encode(key.encode()).decode(),
        "basic_urlsafe": base64.urlsafe_b64encode(f"{key}:".encode()).decode(),
        "split_lines": key[:half] + "\n    " + key[half:],
        "split_continuation": key[:half] + "\\\n  " + key[half:],
        # These two are JSON source text: `key_echo` writes them unquoted into
        # the body, so the decoded JSON string holds the key itself.
        "json_escaped": every_char_escaped,
        "json_mixed": mixed,
    }


def key_echo() -> Behaviour:
    """Answers 200 with the bearer key of the request echoed in every spelling of
    `key_spellings`: as JSON string values (the two JSON-escape spellings written
    as escapes in the raw body, which decode to the key), as object keys, inside
    a string that also holds a line break, and in response headers."""

    def behaviour(responder: Responder) -> None:
        authorization = responder.request.header("Authorization") or ""
        key = authorization.removeprefix("Bearer ")
        spellings = key_spellings(key)
        escaped = {n: spellings.pop(n) for n in ("json_escaped", "json_mixed")}
        fields = [f'"{name}": {json.dumps(value)}' for name, value in spellings.items()]
        fields += [f'"{name}": "{value}"' for name, value in escaped.items()]
        fields.append(f'"{escaped["json_escaped"]}": "key as an object key"')
        fields.append(
            f'"split_escape": "{key[:5]}\\n{key[5:]}"'
        )  # a JSON \n inside the key
        body = ("{" + ", ".join(fields) + "}").encode()
        headers = (
            ("X-Echo-Bearer", f"Bearer {key}"),
            ("X-Echo-Basic", "Basic " + spellings["basic_colon"]),
            ("X-Echo-Percent", spellings["percent"]),
        )
        responder.send(200, body, headers)

    return behaviour
