"""Valid create params that sit on a boundary of the catalogue's rules.

Kept apart from `session_create_params` so a gate run can include or exclude
them. Each draw starts from a valid session and pushes one part of it to a
limit that is still allowed, then tags the draw with
`hypothesis.event(f"boundary: {name}")`.

Lengths at a limit are counted in ASCII characters: whether a server counts
code points, UTF-16 units or bytes is not in the catalogue, so non-ASCII
text is exercised separately, well under the limits.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable, Collection
from typing import Any, Final

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import (
    CHECKOUT_SESSION_ID_TEMPLATE,
    EXPIRY_SAFETY_MARGIN,
    MAX_ADJUSTABLE_QUANTITY,
    MAX_CLIENT_REFERENCE_ID_LENGTH,
    MAX_CUSTOM_FIELDS,
    MAX_EXPIRY_SECONDS,
    MAX_INTERVAL_COUNT,
    MAX_LINE_ITEMS_PAYMENT,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_LENGTH,
    MAX_ONE_TIME_ITEMS_SUBSCRIPTION,
    MAX_PRODUCT_IMAGES,
    MAX_RECURRING_ITEMS,
    MAX_SHIPPING_OPTIONS,
    MAX_URL_LENGTH,
    MAXIMUM_AMOUNT,
    MIN_EXPIRY_SECONDS,
    MINIMUM_UNIT_AMOUNT,
    Interval,
    Mode,
    PriceKind,
    Recurrence,
)
from strategies._line_items import (
    currencies,
    image_urls,
    recurrences,
    uniform_items,
)
from strategies._placeholders import now_plus
from strategies._sessions import (
    Params,
    custom_fields,
    session_params,
    shipping_address_collections,
    shipping_options,
)
from strategies._support import cached, integers_between, sampled
from strategies._text import IDENTIFIER_ALPHABET, non_ascii_texts

_Builder = Callable[[st.DrawFn], Params]
_BOUNDARIES: dict[str, _Builder] = {}

_ITEM_MODES: Final[st.SearchStrategy[Mode]] = st.sampled_from(
    ("payment", "subscription")
)
_DATA_KINDS: Final[st.SearchStrategy[PriceKind]] = st.sampled_from(
    ("unit_amount", "unit_amount_decimal")
)
_BOOLEANS: Final = st.booleans()
_STEMS: Final = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10)
_NON_ASCII_METADATA: Final = st.dictionaries(
    st.sampled_from(("note", "gift_message", "name", "city")),
    non_ascii_texts(max_size=80),
    min_size=1,
    max_size=2,
)
_LONG_INTERVALS: Final[st.SearchStrategy[Interval]] = st.sampled_from(
    ("month", "year", "week")
)


def _boundary(name: str) -> Callable[[_Builder], _Builder]:
    def register(build: _Builder) -> _Builder:
        _BOUNDARIES[name] = build
        return build

    return register


def _items(
    draw: st.DrawFn,
    *,
    currency: str,
    count: int,
    recurrence: Recurrence | None = None,
) -> list[dict[str, Any]]:
    stem = draw(_STEMS)
    amount = draw(
        integers_between(
            MINIMUM_UNIT_AMOUNT[currency], 10 * MINIMUM_UNIT_AMOUNT[currency]
        )
    )
    return uniform_items(
        currency=currency, count=count, recurrence=recurrence, amount=amount, stem=stem
    )


@cached
def _fixed_length_texts(alphabet: str, length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=length, max_size=length)


def _ascii(draw: st.DrawFn, length: int, alphabet: str = string.ascii_letters) -> str:
    return draw(_fixed_length_texts(alphabet, length))


@_boundary("100 line items")
def _most_payment_items(draw: st.DrawFn) -> Params:
    currency = draw(currencies())
    params = draw(
        session_params(
            mode="payment", currency=currency, exclude=frozenset({"shipping_options"})
        )
    )
    params["line_items"] = _items(draw, currency=currency, count=MAX_LINE_ITEMS_PAYMENT)
    return params


@_boundary("20 recurring + 20 one-time line items")
def _most_subscription_items(draw: st.DrawFn) -> Params:
    currency = draw(currencies())
    params = draw(session_params(mode="subscription", currency=currency))
    period = draw(recurrences())
    params["line_items"] = _items(
        draw, currency=currency, count=MAX_RECURRING_ITEMS, recurrence=period
    ) + _items(draw, currency=currency, count=MAX_ONE_TIME_ITEMS_SUBSCRIPTION)
    return params


@_boundary("metadata at every limit")
def _fullest_metadata(draw: st.DrawFn) -> Params:
    params = draw(session_params())
    stem = _ascii(draw, MAX_METADATA_KEY_LENGTH - 2, string.ascii_letters + "_-")
    filler = draw(sampled(tuple(string.ascii_letters + string.digits)))
    params["metadata"] = {
        f"{stem}{k:02d}": filler * MAX_METADATA_VALUE_LENGTH
        for k in range(MAX_METADATA_KEYS)
    }
    event(f"boundary: {MAX_METADATA_KEYS} metadata keys")
    event(f"boundary: {MAX_METADATA_KEY_LENGTH}-character metadata keys")
    event(f"boundary: {MAX_METADATA_VALUE_LENGTH}-character metadata values")
    return params


@_boundary("non-ASCII text")
def _non_ascii(draw: st.DrawFn) -> Params:
    params = draw(session_params(mode=draw(_ITEM_MODES), price_kind=draw(_DATA_KINDS)))
    for item in params["line_items"]:
        item["price_data"]["product_data"]["name"] = draw(non_ascii_texts(max_size=40))
    params["metadata"] = draw(_NON_ASCII_METADATA)
    params["client_reference_id"] = draw(non_ascii_texts(max_size=60))
    if draw(_BOOLEANS):
        params["custom_text"] = {
            "submit": {"message": draw(non_ascii_texts(max_size=100))}
        }
    return params


@_boundary("expires_at just after 30 minutes")
def _earliest_expiry(draw: st.DrawFn) -> Params:
    params = draw(session_params())
    low = MIN_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN
    params["expires_at"] = now_plus(
        draw(integers_between(low, low + EXPIRY_SAFETY_MARGIN))
    )
    return params


@_boundary("expires_at just before 24 hours")
def _latest_expiry(draw: st.DrawFn) -> Params:
    params = draw(session_params())
    high = MAX_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN
    params["expires_at"] = now_plus(
        draw(integers_between(high - EXPIRY_SAFETY_MARGIN, high))
    )
    return params


@_boundary("largest total amount")
def _largest_amount(draw: st.DrawFn) -> Params:
    params = draw(
        session_params(
            mode="payment",
            price_kind="unit_amount",
            currency="usd",
            exclude=frozenset({"shipping_options"}),
        )
    )
    first = params["line_items"][0]
    first.pop("adjustable_quantity", None)
    first["quantity"] = 1
    if draw(_BOOLEANS):
        first["price_data"]["unit_amount"] = MAXIMUM_AMOUNT
        params["line_items"] = [first]
    else:
        split = draw(integers_between(MINIMUM_UNIT_AMOUNT["usd"], MAXIMUM_AMOUNT // 2))
        second = {
            "price_data": {
                **copy.deepcopy(first["price_data"]),
                "unit_amount": MAXIMUM_AMOUNT - split,
            },
            "quantity": 1,
        }
        first["price_data"]["unit_amount"] = split
        params["line_items"] = [first, second]
    return params


@_boundary("largest adjustable quantity")
def _largest_quantity(draw: st.DrawFn) -> Params:
    params = draw(
        session_params(
            mode="payment",
            price_kind="unit_amount",
            currency="usd",
            exclude=frozenset({"shipping_options"}),
        )
    )
    item = params["line_items"][0]
    # 999 999 units at under a dollar keep the total within eight digits.
    item["price_data"]["unit_amount"] = draw(
        integers_between(MINIMUM_UNIT_AMOUNT["usd"], 99)
    )
    item["quantity"] = MAX_ADJUSTABLE_QUANTITY
    item["adjustable_quantity"] = {
        "enabled": True,
        "minimum": 1,
        "maximum": MAX_ADJUSTABLE_QUANTITY,
    }
    params["line_items"] = [item]
    return params


@_boundary("200-character client_reference_id")
def _longest_client_reference_id(draw: st.DrawFn) -> Params:
    params = draw(session_params())
    params["client_reference_id"] = _ascii(
        draw, MAX_CLIENT_REFERENCE_ID_LENGTH, IDENTIFIER_ALPHABET
    )
    return params


@_boundary("5000-character URLs")
def _longest_urls(draw: st.DrawFn) -> Params:
    params = draw(session_params())
    if params.get("ui_mode") == "embedded":
        # return_url is the embedded session's only URL; "never" forbids it.
        if params.get("redirect_on_completion") == "never":
            del params["redirect_on_completion"]
        names = ["return_url"]
    else:
        names = ["success_url", "cancel_url"]
    filler = draw(sampled(tuple(string.ascii_lowercase)))
    for name in names:
        head = "https://example.com/"
        tail = (
            f"?session_id={CHECKOUT_SESSION_ID_TEMPLATE}"
            if name != "cancel_url"
            else ""
        )
        params[name] = head + filler * (MAX_URL_LENGTH - len(head) - len(tail)) + tail
    return params


@_boundary("5 shipping options")
def _most_shipping_options(draw: st.DrawFn) -> Params:
    currency = draw(currencies())
    params = draw(
        session_params(
            mode="payment",
            currency=currency,
            exclude=frozenset({"shipping_address_collection", "shipping_options"}),
        )
    )
    params["shipping_address_collection"] = draw(shipping_address_collections())
    params["shipping_options"] = draw(
        shipping_options(
            currency=currency,
            min_size=MAX_SHIPPING_OPTIONS,
            max_size=MAX_SHIPPING_OPTIONS,
        )
    )
    return params


@_boundary("3 custom fields")
def _most_custom_fields(draw: st.DrawFn) -> Params:
    params = draw(session_params(mode=draw(_ITEM_MODES)))
    fields = draw(custom_fields())
    params["custom_fields"] = [
        {**copy.deepcopy(field), "key": f"{field['key'][:18]}{k}"}
        for k, field in enumerate(fields * MAX_CUSTOM_FIELDS)
    ][:MAX_CUSTOM_FIELDS]
    return params


@_boundary("8 product images")
def _most_images(draw: st.DrawFn) -> Params:
    params = draw(session_params(mode=draw(_ITEM_MODES), price_kind="unit_amount"))
    item = params["line_items"][
        draw(integers_between(0, len(params["line_items"]) - 1))
    ]
    item["price_data"]["product_data"]["images"] = draw(_most_image_lists())
    return params


@cached
def _most_image_lists() -> st.SearchStrategy[list[str]]:
    return st.lists(
        image_urls(), min_size=MAX_PRODUCT_IMAGES, max_size=MAX_PRODUCT_IMAGES
    )


@_boundary("recurring interval at the 3-year limit")
def _longest_interval(draw: st.DrawFn) -> Params:
    params = draw(session_params(mode="subscription", price_kind="unit_amount"))
    interval: Interval = draw(_LONG_INTERVALS)
    for item in params["line_items"]:
        if "recurring" in item["price_data"]:
            item["price_data"]["recurring"] = {
                "interval": interval,
                "interval_count": MAX_INTERVAL_COUNT[interval],
            }
    return params


@_boundary("largest unit_amount_decimal")
def _largest_decimal(draw: st.DrawFn) -> Params:
    params = draw(
        session_params(
            mode="payment",
            price_kind="unit_amount_decimal",
            currency="usd",
            exclude=frozenset({"shipping_options"}),
        )
    )
    item = params["line_items"][0]
    item.pop("adjustable_quantity", None)
    item["quantity"] = 1
    item["price_data"]["unit_amount_decimal"] = str(MAXIMUM_AMOUNT)
    params["line_items"] = [item]
    return params


BOUNDARY_KINDS: Final[tuple[str, ...]] = tuple(_BOUNDARIES)


def boundary_create_params(
    *, kinds: Collection[str] | None = None
) -> st.SearchStrategy[Params]:
    """Valid create params at one of the `BOUNDARY_KINDS` limits.

    100 line items (payment); 20 recurring + 20 one-time (subscription);
    50 metadata keys of 40 characters with 500-character values; non-ASCII
    and emoji in product names, metadata, client_reference_id and custom
    text; expires_at 60..120 s inside either end of [30 min, 24 h]; a usd
    total of exactly 99 999 999; quantity 999 999 at an adjustable maximum
    of 999 999; a 200-character client_reference_id; 5000-character URLs;
    5 shipping options; 3 custom fields; 8 product images; an interval at
    the 3-year limit; unit_amount_decimal at the largest amount.

    `kinds` keeps only the named `BOUNDARY_KINDS` (to run each one in every run,
    generate a test per kind with `kinds=[kind]`).
    """
    if kinds is None:
        return _boundary_create_params(BOUNDARY_KINDS)
    if isinstance(kinds, str):
        raise InvalidArgument(
            f"kinds={kinds!r} is a string; pass a collection such as [{kinds!r}]."
        )
    unknown = sorted(set(kinds) - set(BOUNDARY_KINDS))
    if unknown or not kinds:
        raise InvalidArgument(
            f"kinds={sorted(kinds)!r} must name some of BOUNDARY_KINDS="
            f"{BOUNDARY_KINDS!r} (unknown: {unknown!r})."
        )
    return _boundary_create_params(tuple(k for k in BOUNDARY_KINDS if k in kinds))


@st.composite
def _boundary_create_params(draw: st.DrawFn, kinds: tuple[str, ...]) -> Params:
    name = draw(sampled(kinds))
    event(f"boundary: {name}")
    return _BOUNDARIES[name](draw)
