"""Odd expansions and odd parameter names: requests a server must never crash on.

Requests a server must refuse or serve, never crash on (no_server_errors,
catalogue §7.2). Only "no 5xx and an answer" is asked of them: whether a given
odd path is refused or ignored is not settled by the catalogue (§3.2 decides
400 for unknown expansions, but the depth and wildcard answers are [INF]).
"""

from __future__ import annotations

import string
from typing import Final, Literal
from urllib.parse import quote

from hypothesis import event
from hypothesis import strategies as st

from strategies._support import sampled
from strategies._text import IDENTIFIER_ALPHABET
from strategies._transport import MalformedBody

ExpansionTarget = Literal["session", "session_list", "line_item_list"]

# §3.2: what a session can expand (ids and line_items), and below a line item.
_SESSION_EXPANDABLE: Final = (
    "customer",
    "invoice",
    "line_items",
    "line_items.data.price",
    "line_items.data.price.product",
    "payment_intent",
    "payment_link",
    "setup_intent",
    "subscription",
    "total_details.breakdown",
    "after_expiration",
)
_LINE_ITEM_EXPANDABLE: Final = (
    "data.price",
    "data.price.product",
    "data.discounts",
    "data.taxes",
    "data.total_details.breakdown",
)
# Paths whose shape, not their field, is odd (the field part is prefixed).
_ODD_SHAPES: Final = (".", "..", " ", "", "[]", "a]", "%2E", "é", "\t")


def _unknown_segments() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(("x", "id", "data", "object", "url")),
        st.text(IDENTIFIER_ALPHABET, min_size=1, max_size=12),
    )


_EXPANSION_KINDS: Final = ("unknown-under-known", "wildcard", "odd-shape")


@st.composite
def _odd_expansion(
    draw: st.DrawFn, target: ExpansionTarget, kinds: tuple[str, ...]
) -> str:
    known = _LINE_ITEM_EXPANDABLE if target == "line_item_list" else _SESSION_EXPANDABLE
    prefix = "data." if target == "session_list" else ""
    kind = draw(st.sampled_from(kinds))
    if kind == "unknown-under-known":
        path = f"{draw(sampled(known))}.{draw(_unknown_segments())}"
    elif kind == "wildcard":
        under = f"{prefix}{draw(sampled(known))}.*"
        path, prefix = draw(st.sampled_from(("*", under, "data.*", "x.*"))), ""
    else:
        field = draw(st.one_of(st.just(""), sampled(known)))
        path = field + draw(sampled(_ODD_SHAPES))
    event(f"odd expansion: {kind}")
    return prefix + path


def odd_expansions(
    target: ExpansionTarget, *, wildcards: bool | None = None
) -> st.SearchStrategy[list[str]]:
    """One to three `expand[]` values that name no expandable field of `target`'s
    answer: an unknown segment under an expandable field (`customer.x`,
    `line_items.data.price.x`), a wildcard (`*`, `data.*`, `customer.*`), or an
    odd shape (empty, `.`, spaces, brackets, non-ASCII). Paths for lists carry the
    `data.` prefix. `wildcards`: True draws only paths with a `*`, False only
    paths without one, None both. Shrinks towards one `<first expandable>.x`
    (or `*` with `wildcards=True`)."""
    kinds: tuple[str, ...]
    if wildcards is None:
        kinds = _EXPANSION_KINDS
    elif wildcards:
        kinds = ("wildcard",)
    else:
        kinds = ("unknown-under-known", "odd-shape")
    return st.lists(_odd_expansion(target, kinds), min_size=1, max_size=3)


# Objects of the create request whose unknown nested keys must not crash a server.
_NESTED_OBJECTS: Final = (
    "line_items[0]",
    "line_items[0][price_data]",
    "line_items[0][price_data][product_data]",
    "automatic_tax",
    "phone_number_collection",
    "payment_intent_data",
    "after_expiration[recovery]",
)
_ODD_KEY_ALPHABET: Final = string.ascii_letters + string.digits + "_-.[] %é\u2603"


@st.composite
def odd_param_names(draw: st.DrawFn) -> MalformedBody:
    """A raw `POST /v1/checkout/sessions` form body, otherwise valid, with one
    odd parameter name: a metadata key of odd characters (brackets, dots,
    spaces, non-ASCII), an unknown key nested in a known object, or a bracket
    form (`[[price]]`, `[]` in the middle, a trailing `[`)."""
    kind = draw(st.sampled_from(("metadata-key", "unknown-nested", "bracket-form")))
    if kind == "metadata-key":
        name = f"metadata[{draw(st.text(_ODD_KEY_ALPHABET, min_size=0, max_size=12))}]"
    elif kind == "unknown-nested":
        segment = draw(st.text(IDENTIFIER_ALPHABET, min_size=1, max_size=12))
        name = f"{draw(sampled(_NESTED_OBJECTS))}[{segment}]"
    else:
        name = draw(
            sampled(
                (
                    "line_items[0][[price]]",
                    "line_items[][price]",
                    "line_items[0][price][]",
                    "metadata[a][b][c]",
                    "metadata[][a]",
                    "line_items[0][price_data][",
                    "metadata[a]]",
                    "line_items[-1][price]",
                    "line_items[99999999999999999999][price]",
                )
            )
        )
    event(f"odd parameter name: {kind}")
    pairs = [
        ("mode", "payment"),
        ("success_url", "https://example.com/success"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][unit_amount]", "1000"),
        ("line_items[0][price_data][product_data][name]", "Contract suite item"),
        ("line_items[0][quantity]", "1"),
        (name, "x"),
    ]
    body = "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)
    return MalformedBody(body.encode("ascii"), f"odd parameter name {name!r}")
