"""Below the params: idempotency keys and raw request bodies a decoder must survive."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from hypothesis import event
from hypothesis import strategies as st

_PRINTABLE_ASCII: Final = "".join(chr(code) for code in range(0x20, 0x7F))
FORM_CONTENT_TYPE: Final = "application/x-www-form-urlencoded"


def _idempotency_key(text: str) -> str:
    # HTTP strips surrounding whitespace from header values, which would
    # change the key, so the ends are never spaces.
    return text.strip() or "k"


def idempotency_keys() -> st.SearchStrategy[str]:
    """`Idempotency-Key` values: 1..255 printable ASCII characters.

    Neither end is a space. One choice per key; shrinks towards "0".
    """
    return st.text(alphabet=_PRINTABLE_ASCII, min_size=1, max_size=255).map(
        _idempotency_key
    )


@dataclass(frozen=True, slots=True)
class MalformedBody:
    """A raw `POST /v1/checkout/sessions` body that is not a well-formed request.

    A conformant server answers 4xx, never 5xx. None of these bodies holds a
    complete valid session, so every way of reading the ambiguity still
    deserves a 4xx.
    """

    body: bytes
    description: str
    content_type: str = FORM_CONTENT_TYPE

    def __repr__(self) -> str:
        # Hypothesis prints the failing example with repr: a body of megabytes (the
        # flood cases) would bury the report, so its length stands for the rest.
        shown = self.body[:200]
        rest = f" + {len(self.body) - len(shown)} more bytes" if self.body[200:] else ""
        return f"MalformedBody({shown!r}{rest}, {self.description!r})"


# Each body starts from this prefix: a mode and nothing else the session
# needs, so that whatever the decoder makes of the rest, the request is short
# of a valid session.
_PREFIX: Final = b"mode=payment&"


def _bad_percent_encoding() -> st.SearchStrategy[MalformedBody]:
    escape = st.sampled_from((b"%", b"%Z", b"%ZZ", b"%4", b"%G1", b"100%"))
    where = st.sampled_from((b"success_url=", b"metadata%5B", b"client_reference_id="))
    return st.builds(
        lambda w, e: MalformedBody(_PREFIX + w + e + b"=x", "bad percent-encoding"),
        where,
        escape,
    )


def _colliding_keys() -> st.SearchStrategy[MalformedBody]:
    pairs = st.sampled_from(
        (
            b"line_items[0]=x&line_items[0][price]=y",
            b"line_items[0][price]=x&line_items[a][price]=y",
            b"metadata=x&metadata[a]=y",
            b"line_items[]=x&line_items[0][quantity]=1",
        )
    )
    return pairs.map(
        lambda body: MalformedBody(
            _PREFIX + body, "one key used as scalar, list and map"
        )
    )


def _unbalanced_brackets() -> st.SearchStrategy[MalformedBody]:
    keys = st.sampled_from(
        (
            b"line_items[0[price]=x",
            b"line_items]0[=x",
            b"metadata[a=x",
            b"metadata]a[=x",
            b"line_items[0]][quantity]=1",
            b"[line_items]=x",
        )
    )
    return keys.map(lambda body: MalformedBody(_PREFIX + body, "unbalanced brackets"))


def _deep_nesting() -> st.SearchStrategy[MalformedBody]:
    def build(depth: int) -> MalformedBody:
        key = b"metadata" + b"[a]" * depth
        return MalformedBody(_PREFIX + key + b"=x", f"{depth}-deep nesting")

    return st.integers(100, 1000).map(build)


def _bad_utf8() -> st.SearchStrategy[MalformedBody]:
    raw = st.sampled_from((b"%FF%FE", b"%C3%28", b"%ED%A0%80", b"\xff\xfe", b"%E2%82"))
    return raw.map(
        lambda bad: MalformedBody(
            _PREFIX + b"client_reference_id=" + bad, "invalid UTF-8 in a value"
        )
    )


def _json_body() -> st.SearchStrategy[MalformedBody]:
    body = json.dumps(
        {"mode": "payment", "line_items": [{"price": "price_x", "quantity": 1}]}
    ).encode()
    return st.sampled_from(
        (
            MalformedBody(body, "a JSON body labelled as JSON", "application/json"),
            MalformedBody(body, "a JSON body labelled as a form"),
        )
    )


def _huge_body() -> st.SearchStrategy[MalformedBody]:
    def build(megabytes: int) -> MalformedBody:
        filler = b"a" * (megabytes * 1024 * 1024)
        return MalformedBody(
            _PREFIX + b"client_reference_id=" + filler, f"a {megabytes} MB body"
        )

    return st.sampled_from((2, 3)).map(build)


def _duplicate_scalars() -> st.SearchStrategy[MalformedBody]:
    bodies = st.sampled_from(
        (
            b"mode=payment&mode=setup",
            b"mode=payment&mode=bogus",
            b"mode=payment&client_reference_id=a&client_reference_id=b",
        )
    )
    return bodies.map(lambda body: MalformedBody(body, "the same scalar key twice"))


def _empty_keys() -> st.SearchStrategy[MalformedBody]:
    bodies = st.sampled_from(
        (b"=x&mode=payment", b"mode=payment&&&", b"[]=x&mode=payment", b"&=&")
    )
    return bodies.map(lambda body: MalformedBody(body, "empty keys"))


_KINDS: Final = {
    "bad percent-encoding": _bad_percent_encoding,
    "colliding keys": _colliding_keys,
    "unbalanced brackets": _unbalanced_brackets,
    "deep nesting": _deep_nesting,
    "bad UTF-8": _bad_utf8,
    "JSON body": _json_body,
    "huge body": _huge_body,
    "duplicate scalar keys": _duplicate_scalars,
    "empty keys": _empty_keys,
}
MALFORMED_BODY_KINDS: Final[tuple[str, ...]] = tuple(_KINDS)


def malformed_bodies() -> st.SearchStrategy[MalformedBody]:
    """Raw bodies that break the form encoding in one way each.

    Kinds (`MALFORMED_BODY_KINDS`): bad percent-encoding, colliding keys
    (`a[0]=x&a[b]=y`), unbalanced brackets, 100..1000-deep nesting, invalid
    UTF-8, a JSON body, a 2-3 MB body, duplicate scalar keys, empty keys.
    Each draw calls `hypothesis.event(f"malformed body: {kind}")`.
    """

    def build(draw: st.DrawFn) -> MalformedBody:
        kind = draw(st.sampled_from(MALFORMED_BODY_KINDS))
        event(f"malformed body: {kind}")
        return draw(_KINDS[kind]())

    return st.composite(build)()
