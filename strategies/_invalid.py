"""Invalid create params, each carrying the error a conformant server must give.

Every case is a valid draw (`session_params`, with the optional keys that
could interfere excluded up front) plus exactly one violation. The expected
answer comes from the catalogue: §2.3 for the rule, §7 for the error shape,
§12 "Verified behaviour" where a real Stripe response was found. Where Stripe
is loose or unverified about `error.param`, `params_accepted` holds every
plausible value, with None meaning "no param is acceptable too".

Families beyond §2.3: "bad-enum", "wrong-type", "unknown-parameter",
"unknown-nested-parameter" and "missing-nested-required" (§1.2, §7.3; §12
item 12 for the unknown-parameter answer); "unknown-price" and
"unknown-customer" (`resource_missing`, §7.3); "invalid-url" (`url_invalid`,
§7.3); "promotion-codes-in-setup" (§12 item 8); "fractional-amount", a price
finer than the currency's minor unit, which Checkout refuses although the
catalogue does not say so (stripe/stripe-node#1135, stripe/stripe-java#1050).

Parts of §2.3 that no family draws, and why:

* R-10: `ui_mode` values `custom`/`elements` do not exist at 2024-04-10
  (sending one is a bad enum, drawn by "bad-enum").
* `optional_items` (R-04, R-23), `excluded_payment_method_types` (R-25),
  `customer_account` (R-14), `submit_type=subscribe` (R-19): newer than
  2024-04-10.
* R-05 "both `product` and `product_data`": a `product` id would have to
  exist on the target, or the case would carry a second violation.
* R-06 metered prices, R-25 "activated on the account", R-27 maxima of
  currencies other than usd, R-17 `customer_email` over 800 characters:
  unverified, or dependent on the account.
* R-18 brackets in metadata keys: the form encoding itself cannot say
  whether `metadata[a[b]]` is a bad key or nesting; `malformed_bodies()`
  sends unbalanced brackets instead.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Final, Literal, NamedTuple, cast
from urllib.parse import quote

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import (
    CURRENCIES,
    EXPIRY_SAFETY_MARGIN,
    INTERVALS,
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
    MIN_EXPIRY_SECONDS,
    MINIMUM_UNIT_AMOUNT,
    Interval,
    Mode,
    PriceKind,
    UiMode,
)
from strategies._fixtures import COUPON_CATALOGUE, PRICE_CATALOGUE
from strategies._line_items import (
    draw_item_group,
    image_urls,
    recurrences,
    uniform_items,
)
from strategies._placeholders import coupon_ref, customer_ref, now_plus, price_ref
from strategies._sessions import (
    Params,
    custom_fields,
    session_params,
    shipping_address_collections,
    shipping_options,
)
from strategies._support import cached, integers_between, sampled
from strategies._text import (
    IDENTIFIER_ALPHABET,
    LOWER_WORDS,
    customer_emails,
    metadata_keys,
    plain_texts,
    return_urls,
    success_urls,
)
from strategies._transport import MalformedBody

EnforcedBy = Literal["schema", "conditional"]
ENFORCED_BY: Final[tuple[EnforcedBy, ...]] = ("schema", "conditional")


@dataclass(frozen=True, slots=True)
class InvalidCase:
    """Create params with exactly one violation, and the answer they must get.

    `enforced_by` is "schema" when a validator of the 2024-04-10 OpenAPI
    request schema alone (ignoring `maxLength`, which stripe-mock does not
    enforce) refuses the params: bad enum values, unknown top-level names,
    wrong integer/boolean types, missing nested required fields. Every target
    must refuse those. "conditional" cases break a catalogue rule beyond the
    schema and need the `conditional_validation` capability.
    """

    params: dict[str, object]
    rule: str
    description: str
    status: int
    error_type: str
    params_accepted: frozenset[str | None]
    enforced_by: EnforcedBy


class _Mutation(NamedTuple):
    params: Params
    description: str
    params_accepted: frozenset[str | None]


def _accept(*params: str | None) -> frozenset[str | None]:
    return frozenset(params)


_Build = Callable[[st.DrawFn, str | None], _Mutation]


@dataclass(frozen=True)
class _Variant:
    rule: str
    enforced_by: EnforcedBy
    #: "name" or "name:case", unique across families (see `invalid_variants`).
    name: str
    build: _Build
    #: The case this variant pins (None: the builder draws one, or has none).
    case: str | None = None

    def mutate(self, draw: st.DrawFn) -> _Mutation:
        return self.build(draw, self.case)


_VARIANTS: list[_Variant] = []


def _variant(
    rule: str, enforced_by: EnforcedBy, *, cases: tuple[str, ...] = ()
) -> Callable[[Callable[..., _Mutation]], Callable[..., _Mutation]]:
    """Register a builder of one way to break `rule`.

    A builder with `cases` takes `(draw, case)` and builds exactly that case (one
    side of a limit, one field); each case is registered as its own variant, so a
    test can run every one of them deterministically. Without `cases` it takes
    `(draw)`."""

    def register(build: Callable[..., _Mutation]) -> Callable[..., _Mutation]:
        name = build.__name__.lstrip("_")
        if cases:
            for case in cases:
                _VARIANTS.append(
                    _Variant(rule, enforced_by, f"{name}:{case}", build, case)
                )
        else:
            _VARIANTS.append(
                _Variant(rule, enforced_by, name, lambda draw, _case: build(draw))
            )
        return build

    return register


def _pick(draw: st.DrawFn, case: str | None, cases: tuple[str, ...]) -> str:
    """The pinned `case`, or one drawn from `cases` (shrinks to the first)."""
    return case if case is not None else draw(sampled(cases))


# ----------------------------------------------------------------- helpers


def _base(
    draw: st.DrawFn,
    *,
    modes: Collection[str] = ("payment", "subscription", "setup"),
    ui_mode: UiMode | None = None,
    price_kind: str | None = None,
    currency: str | None = None,
    exclude: Collection[str] = (),
) -> Params:
    mode = cast(Mode, draw(sampled(tuple(modes))))
    params = draw(
        session_params(
            mode=mode,
            ui_mode=ui_mode,
            price_kind=cast(PriceKind, price_kind) if mode != "setup" else None,
            currency=currency,
            exclude=frozenset(exclude),
        )
    )
    return params


def _index(
    draw: st.DrawFn, params: Params, *, where: Callable[[Any], bool] = bool
) -> int:
    indices = [i for i, item in enumerate(params["line_items"]) if where(item)]
    return indices[draw(integers_between(0, len(indices) - 1))]


def _currency_of(params: Params) -> str:
    if "currency" in params:
        return str(params["currency"])
    for item in params.get("line_items", []):
        if "price_data" in item:
            return str(item["price_data"]["currency"])
        name = str(item["price"]).removeprefix("<price:").removesuffix(">")
        return PRICE_CATALOGUE[name].currency
    return "usd"


def _is_recurring(item: dict[str, Any]) -> bool:
    if "price_data" in item:
        return "recurring" in item["price_data"]
    return not str(item["price"]).endswith("_one_time>")


@cached
def _unknown_names() -> st.SearchStrategy[str]:
    typos = ("sucess_url", "line_item", "metdata", "customer_mail", "modes", "colour")
    made_up = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10)
    return st.one_of(sampled(typos), made_up.map(lambda tail: f"zz_{tail}"))


@cached
def _fake_ids(prefix: str) -> st.SearchStrategy[str]:
    tail = st.text(
        alphabet=string.ascii_letters + string.digits, min_size=24, max_size=24
    )
    return tail.map(lambda t: f"{prefix}{t}")


def _long_url(draw: st.DrawFn, length: int) -> str:
    head = "https://example.com/"
    filler = draw(sampled(tuple(string.ascii_lowercase)))
    return head + filler * (length - len(head))


_BOOLEANS: Final = st.booleans()
_DIGIT_STRINGS: Final = st.text(alphabet=string.digits, min_size=1, max_size=11)


@cached
def _fixed_length_texts(alphabet: str, length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=length, max_size=length)


@cached
def _image_lists(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(image_urls(), min_size=count, max_size=count)


# ------------------------------------------------------------- R-01 mode


# Keys whose validity depends on the mode: a session without a mode must not
# carry them, or the missing mode would make them a second violation.
_MODE_SCOPED: Final = (
    "payment_intent_data",
    "subscription_data",
    "setup_intent_data",
    "customer_creation",
    "payment_method_collection",
    "submit_type",
    "phone_number_collection",
    "allow_promotion_codes",
    "shipping_options",
    "invoice_creation",
)


@_variant("R-01", "conditional")
def _mode_missing(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), exclude=_MODE_SCOPED)
    del params["mode"]
    return _Mutation(params, "mode is missing", _accept("mode", None))


@_variant("R-01", "schema")
def _mode_bogus(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, exclude=_MODE_SCOPED)
    params["mode"] = draw(sampled(("donation", "PAYMENT", "one_time", "subscribe")))
    return _Mutation(params, f"mode={params['mode']!r} is not a mode", _accept("mode"))


# ------------------------------------------------------ R-02..R-07 items


@_variant("R-02", "conditional")
def _line_items_missing(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"))
    del params["line_items"]
    return _Mutation(
        params, f"{params['mode']} mode without line_items", _accept("line_items", None)
    )


@_variant("R-03", "conditional")
def _line_items_in_setup(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",))
    currency = params.get("currency", "usd")
    params["line_items"] = draw_item_group(
        draw,
        currency=currency,
        recurrence=None,
        kinds=("unit_amount",),
        min_size=1,
        max_size=2,
        adjustable=False,
    )
    return _Mutation(params, "setup mode with line_items", _accept("line_items", None))


@_variant("R-04", "conditional")
def _too_many_payment_items(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",))
    currency = _currency_of(params)
    params["line_items"] = uniform_items(
        currency=currency,
        count=MAX_LINE_ITEMS_PAYMENT + 1,
        recurrence=None,
        amount=MINIMUM_UNIT_AMOUNT[currency],
    )
    return _Mutation(
        params,
        f"payment mode with {MAX_LINE_ITEMS_PAYMENT + 1} line items",
        _accept("line_items", None),
    )


@_variant("R-04", "conditional", cases=("recurring", "one_time"))
def _too_many_subscription_items(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw, modes=("subscription",))
    currency = _currency_of(params)
    period = draw(recurrences())
    amount = MINIMUM_UNIT_AMOUNT[currency]
    too_many_recurring = _pick(draw, case, ("recurring", "one_time")) == "recurring"
    recurring = uniform_items(
        currency=currency,
        count=MAX_RECURRING_ITEMS + 1 if too_many_recurring else 1,
        recurrence=period,
        amount=amount,
    )
    one_time = uniform_items(
        currency=currency,
        count=(
            draw(integers_between(0, 2))
            if too_many_recurring
            else MAX_ONE_TIME_ITEMS_SUBSCRIPTION + 1
        ),
        recurrence=None,
        amount=amount,
    )
    params["line_items"] = recurring + one_time
    which = "recurring" if too_many_recurring else "one-time"
    return _Mutation(
        params,
        f"subscription mode with 21 {which} line items",
        _accept("line_items", None),
    )


def _item_paths(i: int, *fields: str) -> list[str]:
    return [
        f"line_items[{i}]" + "".join(f"[{f}]" for f in path.split("."))
        for path in fields
    ]


def _either_or_refusal(
    i: int, within: str | None, first: str, second: str
) -> frozenset[str | None]:
    # R-05's "exactly one of two" rules: Stripe may name the object holding the
    # pair (item i, or its `within`), either member, or no param at all.
    if within is None:
        return _accept(f"line_items[{i}]", *_item_paths(i, first, second), None)
    return _accept(
        *_item_paths(i, within, f"{within}.{first}", f"{within}.{second}"), None
    )


@_variant("R-05", "conditional")
def _price_and_price_data(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",), price_kind="unit_amount")
    i = _index(draw, params)
    params["line_items"][i]["price"] = price_ref(f"{_currency_of(params)}_one_time")
    return _Mutation(
        params,
        f"line_items[{i}] has both price and price_data",
        _either_or_refusal(i, None, "price", "price_data"),
    )


@_variant("R-05", "conditional")
def _neither_price_nor_price_data(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    item.pop("price", None)
    item.pop("price_data", None)
    return _Mutation(
        params,
        f"line_items[{i}] has neither price nor price_data",
        _either_or_refusal(i, None, "price", "price_data"),
    )


@_variant("R-05", "conditional")
def _both_amounts(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params)
    data = params["line_items"][i]["price_data"]
    data["unit_amount_decimal"] = str(data["unit_amount"])
    return _Mutation(
        params,
        f"line_items[{i}][price_data] has both unit_amount and unit_amount_decimal",
        _either_or_refusal(i, "price_data", "unit_amount", "unit_amount_decimal"),
    )


@_variant("R-05", "conditional")
def _no_amount(draw: st.DrawFn) -> _Mutation:
    kind = draw(sampled(("unit_amount", "unit_amount_decimal")))
    params = _base(draw, modes=("payment", "subscription"), price_kind=kind)
    i = _index(draw, params)
    del params["line_items"][i]["price_data"][kind]
    return _Mutation(
        params,
        f"line_items[{i}][price_data] has neither unit_amount nor unit_amount_decimal",
        _either_or_refusal(i, "price_data", "unit_amount", "unit_amount_decimal"),
    )


@_variant("R-05", "conditional")
def _no_product(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params)
    del params["line_items"][i]["price_data"]["product_data"]
    return _Mutation(
        params,
        f"line_items[{i}][price_data] has neither product nor product_data",
        _either_or_refusal(i, "price_data", "product", "product_data"),
    )


@_variant("R-06", "conditional", cases=("0", "-1"))
def _quantity_not_positive(draw: st.DrawFn, case: str | None) -> _Mutation:
    # Payment mode only: subscriptions know zero-quantity items elsewhere in
    # Stripe, so only the confirmed payment-mode refusal is asserted.
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    item.pop("adjustable_quantity", None)
    item["quantity"] = int(_pick(draw, case, ("0", "-1")))
    return _Mutation(
        params,
        f"line_items[{i}][quantity]={item['quantity']}",
        _accept(f"line_items[{i}][quantity]"),
    )


@_variant("R-06", "conditional")
def _quantity_missing(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    item.pop("adjustable_quantity", None)
    del item["quantity"]
    return _Mutation(
        params, f"line_items[{i}] has no quantity", _accept(f"line_items[{i}]")
    )


@_variant("R-06", "conditional")
def _adjustable_maximum_too_large(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    item["adjustable_quantity"] = {"enabled": True, "maximum": 1_000_000}
    return _Mutation(
        params,
        f"line_items[{i}][adjustable_quantity][maximum]=1000000 is over 999999",
        _accept(
            *_item_paths(i, "adjustable_quantity", "adjustable_quantity.maximum"), None
        ),
    )


@_variant("R-06", "conditional", cases=("maximum", "minimum"))
def _quantity_outside_adjustable_bounds(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    # Just past the bound: one more than the maximum, one less than the minimum.
    if _pick(draw, case, ("maximum", "minimum")) == "maximum":
        maximum = draw(integers_between(2, 20))
        item["adjustable_quantity"] = {"enabled": True, "maximum": maximum}
        item["quantity"] = maximum + 1
        bound = "maximum"
    else:
        minimum = draw(integers_between(2, 10))
        item["adjustable_quantity"] = {
            "enabled": True,
            "minimum": minimum,
            "maximum": 99,
        }
        item["quantity"] = minimum - 1
        bound = "minimum"
    return _Mutation(
        params,
        f"line_items[{i}][quantity] lies outside adjustable_quantity[{bound}]",
        _accept(
            f"line_items[{i}]",
            *_item_paths(
                i, "quantity", "adjustable_quantity", f"adjustable_quantity.{bound}"
            ),
            None,
        ),
    )


@_variant("R-07", "conditional")
def _recurring_in_payment(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",), price_kind="unit_amount")
    i = _index(draw, params)
    item = params["line_items"][i]
    if draw(_BOOLEANS):
        item["price_data"]["recurring"] = {"interval": draw(sampled(INTERVALS))}
    else:
        currency = _currency_of(params)
        item.pop("price_data")
        item["price"] = price_ref(f"{currency}_monthly")
    return _Mutation(
        params,
        f"payment mode with a recurring price at line_items[{i}]",
        _accept(
            "mode",
            "line_items",
            f"line_items[{i}]",
            *_item_paths(i, "price", "price_data", "price_data.recurring"),
            None,
        ),
    )


@_variant("R-07", "conditional")
def _subscription_without_recurring(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("subscription",))
    params["line_items"] = draw_item_group(
        draw,
        currency=_currency_of(params),
        recurrence=None,
        kinds=("unit_amount", "unit_amount_decimal", "price"),
        min_size=1,
        max_size=3,
        adjustable=False,
    )
    return _Mutation(
        params,
        "subscription mode with only one-time prices",
        _accept("mode", "line_items", None),
    )


# ----------------------------------------------------- URLs


@_variant("R-08", "conditional")
def _hosted_without_success_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    del params["success_url"]
    return _Mutation(
        params, "hosted session without success_url", _accept("success_url")
    )


@_variant("R-08", "conditional")
def _hosted_with_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    params["return_url"] = draw(return_urls())
    return _Mutation(
        params, "hosted session with return_url", _accept("return_url", "ui_mode", None)
    )


@_variant("R-08", "conditional")
def _embedded_with_hosted_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    name = draw(sampled(("success_url", "cancel_url")))
    params[name] = draw(success_urls())
    return _Mutation(
        params, f"embedded session with {name}", _accept(name, "ui_mode", None)
    )


@_variant("R-08", "conditional")
def _embedded_without_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    params.pop("return_url", None)
    params.pop("redirect_on_completion", None)
    if draw(_BOOLEANS):
        params["redirect_on_completion"] = "always"
    return _Mutation(
        params,
        "embedded session redirecting on completion without return_url",
        _accept("return_url", None),
    )


@_variant("R-09", "conditional")
def _never_redirect_with_return_url(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="embedded")
    params["redirect_on_completion"] = "never"
    params.setdefault("return_url", draw(return_urls()))
    return _Mutation(
        params,
        "redirect_on_completion=never with a return_url",
        _accept("return_url", "redirect_on_completion", None),
    )


@_variant("R-09", "conditional")
def _hosted_with_redirect_on_completion(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, ui_mode="hosted")
    params["redirect_on_completion"] = draw(sampled(("always", "if_required", "never")))
    return _Mutation(
        params,
        "redirect_on_completion on a hosted session",
        _accept("redirect_on_completion", "ui_mode", None),
    )


@_variant("invalid-url", "conditional")
def _malformed_url(draw: st.DrawFn) -> _Mutation:
    ui: UiMode = draw(sampled(("hosted", "embedded")))
    params = _base(draw, ui_mode=ui)
    if ui == "embedded":
        params.pop("redirect_on_completion", None)
        name = "return_url"
    else:
        name = draw(sampled(("success_url", "cancel_url")))
    params[name] = draw(
        sampled(("not a url", "example.com/success", "https//example.com/x"))
    )
    return _Mutation(params, f"{name}={params[name]!r} is not a URL", _accept(name))


# ---------------------------------------------- R-11..R-15 mode-scoped


_INTENT_DATA: Final = {
    "payment_intent_data": ("payment", {"description": "Order"}),
    "subscription_data": ("subscription", {"description": "Plan"}),
    "setup_intent_data": ("setup", {"description": "Card on file"}),
}


@_variant("R-11", "conditional")
def _intent_data_in_wrong_mode(draw: st.DrawFn) -> _Mutation:
    name = draw(sampled(tuple(sorted(_INTENT_DATA))))
    home, value = _INTENT_DATA[name]
    modes = [m for m in ("payment", "subscription", "setup") if m != home]
    params = _base(draw, modes=modes)
    params[name] = dict(value)
    return _Mutation(
        params, f"{name} in {params['mode']} mode", _accept(name, "mode", None)
    )


@_variant("R-12", "conditional")
def _customer_creation_in_subscription(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("subscription",), exclude={"customer"})
    params["customer_creation"] = draw(sampled(("always", "if_required")))
    return _Mutation(
        params,
        "customer_creation in subscription mode",
        _accept("customer_creation", "mode", None),
    )


@_variant("R-13", "conditional")
def _payment_method_collection_outside_subscription(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "setup"))
    params["payment_method_collection"] = draw(sampled(("always", "if_required")))
    return _Mutation(
        params,
        f"payment_method_collection in {params['mode']} mode",
        _accept("payment_method_collection", "mode", None),
    )


_CUSTOMER_KEYS: Final = (
    "customer",
    "customer_email",
    "customer_update",
    "customer_creation",
    "tax_id_collection",
)


@_variant("R-14", "conditional")
def _customer_and_email(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, exclude=_CUSTOMER_KEYS)
    params["customer"] = customer_ref(draw(sampled(("alice", "bob"))))
    params["customer_email"] = draw(customer_emails())
    return _Mutation(
        params,
        "both customer and customer_email",
        _accept("customer", "customer_email", None),
    )


@_variant("R-14", "conditional")
def _customer_update_without_customer(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("payment", "subscription"), exclude={"customer", "customer_update"}
    )
    params["customer_update"] = {"address": draw(sampled(("auto", "never")))}
    return _Mutation(
        params,
        "customer_update without customer",
        _accept("customer_update", "customer", None),
    )


@_variant("R-15", "conditional")
def _setup_without_currency(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",), exclude={"payment_method_types"})
    del params["currency"]
    return _Mutation(
        params,
        "setup mode with neither currency nor payment_method_types",
        _accept("currency", "payment_method_types", None),
    )


@_variant("R-15", "conditional")
def _mixed_currencies(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"))
    currency = _currency_of(params)
    other = draw(sampled(tuple(c for c in CURRENCIES if c != currency)))
    j = len(params["line_items"])
    params["line_items"].append(
        uniform_items(
            currency=other,
            count=1,
            recurrence=None,
            amount=MINIMUM_UNIT_AMOUNT[other],
        )[0]
    )
    return _Mutation(
        params,
        f"line_items[{j}] is in {other}, the others in {currency}",
        _accept(
            "line_items",
            "currency",
            f"line_items[{j}]",
            *_item_paths(j, "price_data", "price_data.currency"),
            None,
        ),
    )


@_variant("R-15", "conditional")
def _unsupported_currency(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("setup",), currency="usd", exclude={"payment_method_types"}
    )
    params["currency"] = draw(sampled(("zzz", "usdx", "us", "xxx")))
    return _Mutation(
        params,
        f"currency={params['currency']!r} is not a currency",
        _accept("currency"),
    )


# ----------------------------------------------- R-16..R-18 bounds


@_variant("R-16", "conditional", cases=("too_soon", "too_late", "in_the_past"))
def _expiry_outside_window(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    where = _pick(draw, case, ("too_soon", "too_late", "in_the_past"))
    if where == "too_soon":
        offset = draw(
            integers_between(
                MIN_EXPIRY_SECONDS - 2 * EXPIRY_SAFETY_MARGIN,
                MIN_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN,
            )
        )
    elif where == "too_late":
        offset = draw(
            integers_between(
                MAX_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN,
                MAX_EXPIRY_SECONDS + 2 * EXPIRY_SAFETY_MARGIN,
            )
        )
    else:
        offset = -draw(integers_between(EXPIRY_SAFETY_MARGIN, 3600))
    params["expires_at"] = now_plus(offset)
    return _Mutation(
        params,
        f"expires_at {where.replace('_', ' ')}: {offset} s after creation",
        _accept("expires_at", None),
    )


# R-17 limits are the OpenAPI schema's maxLength (SPEC `...post.requestBody...
# properties.client_reference_id.maxLength` = 200, URLs 5000, ...), so they are
# schema cases: a target that validates against the schema must refuse them.
_LONG_STRINGS: Final = (
    "client_reference_id",
    "success_url",
    "cancel_url",
    "return_url",
)


@_variant("R-17", "schema", cases=_LONG_STRINGS)
def _string_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    name = _pick(draw, case, _LONG_STRINGS)
    if name == "client_reference_id":
        ui: UiMode = draw(sampled(("hosted", "embedded")))
    else:
        ui = "embedded" if name == "return_url" else "hosted"
    params = _base(draw, ui_mode=ui)
    if name == "return_url":
        # An embedded session that redirects (the default) carries a return_url.
        params.pop("redirect_on_completion", None)
        params.setdefault("return_url", draw(return_urls()))
    if name == "client_reference_id":
        limit = MAX_CLIENT_REFERENCE_ID_LENGTH
        params[name] = draw(_fixed_length_texts(IDENTIFIER_ALPHABET, limit + 1))
    else:
        limit = MAX_URL_LENGTH
        params[name] = _long_url(draw, limit + 1)
    return _Mutation(params, f"{name} has {limit + 1} characters", _accept(name))


# Nested strings with a spec-stated maxLength other than the generic 5000, and
# the modes where the object holding them is valid.
_NESTED_MAX_LENGTHS: Final = (
    (("payment",), "payment_intent_data", "description", 1000),
    (("subscription",), "subscription_data", "description", 500),
    (("setup",), "setup_intent_data", "description", 1000),
)


_NESTED_LONG_STRINGS: Final = (
    "product_name",
    "product_description",
    *(holder for _, holder, _, _ in _NESTED_MAX_LENGTHS),
)


@_variant("R-17", "schema", cases=_NESTED_LONG_STRINGS)
def _nested_string_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    kind = _pick(draw, case, _NESTED_LONG_STRINGS)
    if kind not in ("product_name", "product_description"):
        modes, holder, name, limit = next(
            entry for entry in _NESTED_MAX_LENGTHS if entry[1] == kind
        )
        params = _base(draw, modes=modes)
        params.setdefault(holder, {})[name] = "d" * (limit + 1)
        param = f"{holder}[{name}]"
        return _Mutation(params, f"{param} has {limit + 1} characters", _accept(param))
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params, where=lambda item: "price_data" in item)
    name, limit = ("name", 5000) if kind == "product_name" else ("description", 40000)
    product = params["line_items"][i]["price_data"]["product_data"]
    product[name] = "n" * (limit + 1)
    param = f"line_items[{i}][price_data][product_data][{name}]"
    return _Mutation(params, f"{param} has {limit + 1} characters", _accept(param))


_METADATA_HOMES: Final = {
    "payment": "payment_intent_data",
    "subscription": "subscription_data",
    "setup": "setup_intent_data",
}


_HOMES: Final = ("session", "intent_data")


def _metadata_home(
    draw: st.DrawFn, params: Params, case: str | None
) -> tuple[dict[str, Any], str]:
    nested = _METADATA_HOMES[params["mode"]]
    if _pick(draw, case, _HOMES) == "session":
        return params, "metadata"
    return params.setdefault(nested, {}), f"{nested}[metadata]"


@_variant("R-18", "conditional", cases=_HOMES)
def _too_many_metadata_keys(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    stem = draw(LOWER_WORDS)[:8]
    container["metadata"] = {f"{stem}{k}": "v" for k in range(MAX_METADATA_KEYS + 1)}
    return _Mutation(
        params, f"{path} has {MAX_METADATA_KEYS + 1} keys", _accept(path, None)
    )


@_variant("R-18", "conditional", cases=_HOMES)
def _metadata_key_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    key = draw(metadata_keys(max_size=1)) * (MAX_METADATA_KEY_LENGTH + 1)
    container["metadata"] = {**container.get("metadata", {}), key: "v"}
    return _Mutation(
        params,
        f"{path} key of {MAX_METADATA_KEY_LENGTH + 1} characters",
        _accept(path, f"{path}[{key}]", None),
    )


@_variant("R-18", "conditional", cases=_HOMES)
def _metadata_value_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    key = draw(metadata_keys())
    filler = draw(sampled(tuple(string.ascii_letters)))
    container["metadata"] = {
        **container.get("metadata", {}),
        key: filler * (MAX_METADATA_VALUE_LENGTH + 1),
    }
    return _Mutation(
        params,
        f"{path}[{key}] value of {MAX_METADATA_VALUE_LENGTH + 1} characters",
        _accept(path, f"{path}[{key}]", None),
    )


# ------------------------------------------ R-19..R-24 scoped and counts


@_variant("R-19", "conditional")
def _submit_type_outside_payment(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("subscription", "setup"))
    params["submit_type"] = draw(sampled(("auto", "book", "donate", "pay")))
    return _Mutation(
        params,
        f"submit_type in {params['mode']} mode",
        _accept("submit_type", "mode", None),
    )


@_variant("R-20", "conditional")
def _collection_in_setup(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",))
    name = draw(sampled(("phone_number_collection", "saved_payment_method_options")))
    if name == "phone_number_collection":
        params[name] = {"enabled": draw(_BOOLEANS)}
    else:
        params[name] = {"payment_method_save": draw(sampled(("enabled", "disabled")))}
    return _Mutation(params, f"{name} in setup mode", _accept(name, "mode", None))


@_variant("promotion-codes-in-setup", "conditional")
def _promotion_codes_in_setup(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("setup",))
    params["allow_promotion_codes"] = draw(_BOOLEANS)
    return _Mutation(
        params,
        "allow_promotion_codes in setup mode",
        _accept("allow_promotion_codes", "mode", None),
    )


@cached
def _coupons() -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(COUPON_CATALOGUE)).map(coupon_ref)


@_variant("R-21", "conditional")
def _promotion_codes_and_discounts(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("payment", "subscription"), exclude={"allow_promotion_codes"}
    )
    params["allow_promotion_codes"] = True
    params["discounts"] = [{"coupon": draw(_coupons())}]
    return _Mutation(
        params,
        "allow_promotion_codes together with discounts",
        _accept("allow_promotion_codes", "discounts", None),
    )


@_variant("R-22", "conditional")
def _two_discounts(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw, modes=("payment", "subscription"), exclude={"allow_promotion_codes"}
    )
    params["discounts"] = [
        {"coupon": coupon_ref(name)} for name in sorted(COUPON_CATALOGUE)
    ]
    return _Mutation(params, "two discounts", _accept("discounts", None))


@_variant("R-23", "conditional")
def _too_many_shipping_options(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw,
        modes=("payment",),
        exclude={"shipping_address_collection", "shipping_options"},
    )
    params["shipping_address_collection"] = draw(shipping_address_collections())
    count = MAX_SHIPPING_OPTIONS + 1
    params["shipping_options"] = draw(
        shipping_options(currency=_currency_of(params), min_size=count, max_size=count)
    )
    return _Mutation(
        params, f"{count} shipping options", _accept("shipping_options", None)
    )


@_variant("R-23", "conditional")
def _too_many_custom_fields(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), exclude={"custom_fields"})
    field = draw(custom_fields())[0]
    count = MAX_CUSTOM_FIELDS + 1
    params["custom_fields"] = [
        {**copy.deepcopy(field), "key": f"{field['key']}{k}"} for k in range(count)
    ]
    return _Mutation(params, f"{count} custom fields", _accept("custom_fields", None))


@_variant("R-23", "conditional")
def _too_many_images(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params)
    count = MAX_PRODUCT_IMAGES + 1
    images = draw(_image_lists(count))
    params["line_items"][i]["price_data"]["product_data"]["images"] = images
    path = f"line_items[{i}][price_data][product_data][images]"
    return _Mutation(params, f"{path} has {count} images", _accept(path, None))


@_variant("R-24", "conditional", cases=("trial_period_days", "trial_end"))
def _trial_too_short(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw, modes=("subscription",))
    data = params.setdefault("subscription_data", {})
    data.pop("trial_settings", None)
    data.pop("trial_end", None)
    if _pick(draw, case, ("trial_period_days", "trial_end")) == "trial_period_days":
        data["trial_period_days"] = draw(sampled((0, -1)))
        path = "subscription_data[trial_period_days]"
        what = f"trial_period_days={data['trial_period_days']}"
    else:
        data.pop("trial_period_days", None)
        # Pinned: an hour short of the 48 h minimum, clear of clock skew.
        hours = 47 if case is not None else draw(integers_between(1, 47))
        data["trial_end"] = now_plus(hours * 3600)
        path = "subscription_data[trial_end]"
        what = f"trial_end {hours} h ahead (under 48 h)"
    return _Mutation(params, what, _accept(path, None))


# ------------------------------------------- values


@_variant("R-25", "schema")
def _unknown_payment_method_type(draw: st.DrawFn) -> _Mutation:
    params = _base(draw)
    bogus = draw(sampled(("bitcoin", "cheque", "Card", "apple_pay")))
    types = ["card", bogus] if draw(_BOOLEANS) else [bogus]
    params["payment_method_types"] = types
    k = types.index(bogus)
    return _Mutation(
        params,
        f"payment_method_types[{k}]={bogus!r} is not a payment method type",
        _accept("payment_method_types", f"payment_method_types[{k}]"),
    )


_TOP_LEVEL_ENUMS: Final = ("locale", "billing_address_collection", "customer_creation")


@_variant("R-26", "schema", cases=_TOP_LEVEL_ENUMS)
def _bad_top_level_enum(draw: st.DrawFn, case: str | None) -> _Mutation:
    name = _pick(draw, case, _TOP_LEVEL_ENUMS)
    if name == "customer_creation":
        params = _base(draw, modes=("payment", "setup"), exclude={"customer"})
    else:
        params = _base(draw)
    params[name] = draw(sampled(("klingon", "sometimes", "EN", "xx-YY")))
    return _Mutation(params, f"{name}={params[name]!r} is not allowed", _accept(name))


@_variant("R-27", "conditional", cases=("unit_amount", "unit_amount_decimal"))
def _negative_amount(draw: st.DrawFn, case: str | None) -> _Mutation:
    kind = cast(PriceKind, _pick(draw, case, ("unit_amount", "unit_amount_decimal")))
    params = _base(draw, modes=("payment", "subscription"), price_kind=kind)
    i = _index(draw, params)
    params["line_items"][i]["price_data"][kind] = (
        -1 if kind == "unit_amount" else "-150"
    )
    path = _item_paths(i, f"price_data.{kind}")[0]
    return _Mutation(params, f"{path} is negative", _accept(path, None))


@_variant("R-27", "conditional")
def _amount_too_large(draw: st.DrawFn) -> _Mutation:
    params = _base(
        draw,
        modes=("payment",),
        price_kind="unit_amount",
        currency="usd",
        exclude={"shipping_options"},
    )
    i = _index(draw, params)
    # Just past the 8-digit maximum (99 999 999, a usd total's limit too).
    params["line_items"][i]["price_data"]["unit_amount"] = 100_000_000
    path = _item_paths(i, "price_data.unit_amount")[0]
    return _Mutation(
        params,
        f"{path} is over the 8-digit maximum",
        _accept(path, f"line_items[{i}]", "line_items", None),
    )


@_variant("fractional-amount", "conditional")
def _fraction_of_minor_unit(draw: st.DrawFn) -> _Mutation:
    # Not in the catalogue: Stripe refuses these in Checkout ("Checkout does
    # not currently support usd prices with more than 2 decimal places in
    # `line_items[0]`", stripe/stripe-node#1135, stripe/stripe-java#1050).
    params = _base(
        draw, modes=("payment", "subscription"), price_kind="unit_amount_decimal"
    )
    i = _index(draw, params)
    data = params["line_items"][i]["price_data"]
    digits = draw(_DIGIT_STRINGS)
    data["unit_amount_decimal"] = f"{data['unit_amount_decimal']}.{digits}5"
    return _Mutation(
        params,
        f"line_items[{i}] is priced in a fraction of the currency's minor unit",
        _accept(
            f"line_items[{i}]",
            *_item_paths(i, "price_data", "price_data.unit_amount_decimal"),
            None,
        ),
    )


@_variant("R-28", "conditional", cases=("month", "year", "week"))
def _interval_over_three_years(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw, modes=("subscription",), price_kind="unit_amount")
    interval = cast(Interval, _pick(draw, case, ("month", "year", "week")))
    # Just past the three-year limit.
    count = MAX_INTERVAL_COUNT[interval] + 1
    for item in params["line_items"]:
        if "recurring" in item["price_data"]:
            item["price_data"]["recurring"] = {
                "interval": interval,
                "interval_count": count,
            }
    # Every recurring item gets the too-long period (one billing period per
    # subscription), so a server may name any of them: the first is the usual one.
    recurring = [
        j
        for j, item in enumerate(params["line_items"])
        if "recurring" in item["price_data"]
    ]
    return _Mutation(
        params,
        f"recurring every {count} {interval}s, over three years",
        _accept(
            *(
                path
                for j in recurring
                for path in _item_paths(
                    j, "price_data.recurring", "price_data.recurring.interval_count"
                )
            ),
            None,
        ),
    )


# ------------------------------------------------ schema-level families


@_variant("bad-enum", "schema")
def _bad_enum(draw: st.DrawFn) -> _Mutation:
    target = draw(
        sampled(
            (
                "ui_mode",
                "submit_type",
                "payment_method_collection",
                "redirect_on_completion",
                "recurring.interval",
                "tax_behavior",
                "capture_method",
                "setup_future_usage",
                "customer_update.address",
                "allowed_countries",
            )
        )
    )
    bogus = draw(sampled(("sometimes", "popup", "fortnight", "ZZ")))
    if target == "ui_mode":
        params = _base(draw, ui_mode="hosted")
        params["ui_mode"] = bogus
        path = "ui_mode"
    elif target == "submit_type":
        params = _base(draw, modes=("payment",))
        params["submit_type"] = bogus
        path = "submit_type"
    elif target == "payment_method_collection":
        params = _base(draw, modes=("subscription",))
        params["payment_method_collection"] = bogus
        path = "payment_method_collection"
    elif target == "redirect_on_completion":
        params = _base(draw, ui_mode="embedded")
        params["redirect_on_completion"] = bogus
        params.setdefault("return_url", draw(return_urls()))
        path = "redirect_on_completion"
    elif target == "recurring.interval":
        params = _base(draw, modes=("subscription",), price_kind="unit_amount")
        i = _index(draw, params, where=_is_recurring)
        params["line_items"][i]["price_data"]["recurring"]["interval"] = bogus
        path = _item_paths(i, "price_data.recurring.interval")[0]
    elif target == "tax_behavior":
        params = _base(
            draw, modes=("payment", "subscription"), price_kind="unit_amount"
        )
        i = _index(draw, params)
        params["line_items"][i]["price_data"]["tax_behavior"] = bogus
        path = _item_paths(i, "price_data.tax_behavior")[0]
    elif target in ("capture_method", "setup_future_usage"):
        params = _base(draw, modes=("payment",))
        params.setdefault("payment_intent_data", {})[target] = bogus
        path = f"payment_intent_data[{target}]"
    elif target == "customer_update.address":
        params = _base(draw, modes=("payment", "subscription"), exclude=_CUSTOMER_KEYS)
        params["customer"] = customer_ref("alice")
        params["customer_update"] = {"address": bogus}
        path = "customer_update[address]"
    else:
        params = _base(
            draw,
            modes=("payment", "subscription"),
            exclude={"shipping_address_collection", "shipping_options"},
        )
        # Not "ZZ": the spec's country enum lists it.
        country = draw(sampled(("XX", "USA", "U1")))
        params["shipping_address_collection"] = {"allowed_countries": ["US", country]}
        path = "shipping_address_collection[allowed_countries][1]"
        return _Mutation(
            params,
            f"{path}={country!r} is not a country code",
            _accept(path, "shipping_address_collection[allowed_countries]"),
        )
    return _Mutation(params, f"{path}={bogus!r} is not in the enum", _accept(path))


_INTEGER_PATHS: Final = ("quantity", "unit_amount", "expires_at", "trial_period_days",
                         "interval_count")  # fmt: skip
_BOOLEAN_PATHS: Final = ("allow_promotion_codes", "phone_number_collection",
                         "tax_id_collection", "adjustable_quantity")  # fmt: skip


@_variant("wrong-type", "schema")
def _wrong_scalar_type(draw: st.DrawFn) -> _Mutation:
    target = draw(sampled(_INTEGER_PATHS + _BOOLEAN_PATHS))
    if target in _INTEGER_PATHS:
        bad: str = draw(sampled(("abc", "1.5", "12abc", "one")))
    else:
        bad = draw(sampled(("maybe", "yes please", "2", "enabled")))
    if target in ("quantity", "unit_amount", "adjustable_quantity"):
        params = _base(draw, modes=("payment",), price_kind="unit_amount")
        i = _index(draw, params)
        item = params["line_items"][i]
        if target == "quantity":
            item.pop("adjustable_quantity", None)
            item["quantity"] = bad
            path = f"line_items[{i}][quantity]"
        elif target == "unit_amount":
            item["price_data"]["unit_amount"] = bad
            path = f"line_items[{i}][price_data][unit_amount]"
        else:
            item["adjustable_quantity"] = {"enabled": bad}
            path = f"line_items[{i}][adjustable_quantity][enabled]"
    elif target in ("trial_period_days", "interval_count"):
        params = _base(draw, modes=("subscription",), price_kind="unit_amount")
        if target == "trial_period_days":
            data = params.setdefault("subscription_data", {})
            data.pop("trial_settings", None)
            data["trial_period_days"] = bad
            path = "subscription_data[trial_period_days]"
        else:
            i = _index(draw, params, where=_is_recurring)
            params["line_items"][i]["price_data"]["recurring"]["interval_count"] = bad
            path = f"line_items[{i}][price_data][recurring][interval_count]"
    elif target == "expires_at":
        params = _base(draw)
        params["expires_at"] = bad
        path = "expires_at"
    elif target == "allow_promotion_codes":
        params = _base(draw, modes=("payment", "subscription"))
        params["allow_promotion_codes"] = bad
        path = "allow_promotion_codes"
    else:
        params = _base(draw, modes=("payment", "subscription"))
        params[target] = {"enabled": bad}
        path = f"{target}[enabled]"
    return _Mutation(params, f"{path}={bad!r} has the wrong type", _accept(path))


@_variant("unknown-parameter", "schema")
def _unknown_top_level(draw: st.DrawFn) -> _Mutation:
    params = _base(draw)
    name = draw(_unknown_names())
    params[name] = draw(sampled(("true", "1", "value")))
    return _Mutation(params, f"unknown parameter {name}", _accept(name))


@_variant("unknown-nested-parameter", "conditional")
def _unknown_nested(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    name = draw(_unknown_names())
    where = draw(sampled(("item", "price_data", "product_data", "automatic_tax")))
    if where == "automatic_tax":
        params["automatic_tax"] = {"enabled": False, name: "1"}
        path = f"automatic_tax[{name}]"
    else:
        i = _index(draw, params)
        container = params["line_items"][i]
        path = f"line_items[{i}]"
        if where != "item":
            container = container["price_data"]
            path += "[price_data]"
        if where == "product_data":
            container = container["product_data"]
            path += "[product_data]"
        container[name] = "1"
        path += f"[{name}]"
    return _Mutation(params, f"unknown parameter {path}", _accept(path))


@_variant("missing-nested-required", "schema")
def _missing_nested_required(draw: st.DrawFn) -> _Mutation:
    target = draw(
        sampled(
            ("currency", "name", "interval", "invoice_creation", "custom_field_type")
        )
    )
    if target == "invoice_creation":
        params = _base(draw, modes=("payment",))
        params["invoice_creation"] = {"invoice_data": {"footer": draw(plain_texts())}}
        path = "invoice_creation[enabled]"
    elif target == "custom_field_type":
        params = _base(
            draw, modes=("payment", "subscription"), exclude={"custom_fields"}
        )
        fields = draw(custom_fields())
        j = draw(integers_between(0, len(fields) - 1))
        del fields[j]["type"]
        fields[j].pop("dropdown", None)
        params["custom_fields"] = fields
        path = f"custom_fields[{j}][type]"
    elif target == "interval":
        params = _base(draw, modes=("subscription",), price_kind="unit_amount")
        i = _index(draw, params, where=_is_recurring)
        recurring = params["line_items"][i]["price_data"]["recurring"]
        # The object must stay non-empty, or it vanishes from the form body.
        recurring.setdefault("interval_count", 1)
        del recurring["interval"]
        path = f"line_items[{i}][price_data][recurring][interval]"
    else:
        params = _base(
            draw, modes=("payment", "subscription"), price_kind="unit_amount"
        )
        i = _index(draw, params)
        data = params["line_items"][i]["price_data"]
        if target == "currency":
            del data["currency"]
            path = f"line_items[{i}][price_data][currency]"
        else:
            data["product_data"].setdefault("description", "A product")
            del data["product_data"]["name"]
            path = f"line_items[{i}][price_data][product_data][name]"
    return _Mutation(params, f"{path} is missing", _accept(path))


@_variant("unknown-price", "conditional")
def _unknown_price(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment",))
    i = _index(draw, params)
    item = params["line_items"][i]
    item.pop("price_data", None)
    item["price"] = draw(_fake_ids("price_"))
    return _Mutation(
        params,
        f"line_items[{i}][price] names a price that does not exist",
        _accept(f"line_items[{i}][price]", None),
    )


@_variant("unknown-customer", "conditional")
def _unknown_customer(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, exclude=_CUSTOMER_KEYS)
    params["customer"] = draw(_fake_ids("cus_"))
    return _Mutation(
        params,
        "customer names a customer that does not exist",
        _accept("customer", None),
    )


# ------------------------------------------------------------- public API


def _families() -> dict[str, list[_Variant]]:
    families: dict[str, list[_Variant]] = {}
    for variant in _VARIANTS:
        families.setdefault(variant.rule, []).append(variant)
    return dict(sorted(families.items()))


INVALID_RULES: Final[tuple[str, ...]] = tuple(_families())


def invalid_rules(*, enforced_by: EnforcedBy | None = None) -> tuple[str, ...]:
    """The families of `INVALID_RULES` that have `enforced_by` cases (all when None).

    For parametrizing a test over every family, so each one is exercised in every
    run instead of whichever ones a short run happens to draw."""
    if enforced_by is not None and enforced_by not in ENFORCED_BY:
        raise InvalidArgument(
            f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
        )
    return tuple(
        rule
        for rule, variants in _families().items()
        if enforced_by is None or any(v.enforced_by == enforced_by for v in variants)
    )


def invalid_variants(
    rule: str | None = None, *, enforced_by: EnforcedBy | None = None
) -> tuple[str, ...]:
    """Names of the variants of `rule` (every family when None), each one way to
    break it: "name" or "name:case" for one side of a limit or one field.

    For parametrizing a test over every variant, so each one runs in every run
    (`invalid_create_params(variants=[name])` draws only that one)."""
    if rule is not None and rule not in INVALID_RULES:
        raise InvalidArgument(
            f"rule={rule!r} is not a family; choose from "
            f"INVALID_RULES={INVALID_RULES!r}."
        )
    if enforced_by is not None and enforced_by not in ENFORCED_BY:
        raise InvalidArgument(
            f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
        )
    return tuple(
        v.name
        for v in _VARIANTS
        if (rule is None or v.rule == rule)
        and (enforced_by is None or v.enforced_by == enforced_by)
    )


def variant_rule(variant: str) -> str:
    """The family (`INVALID_RULES` id) of a variant named by `invalid_variants`."""
    for v in _VARIANTS:
        if v.name == variant:
            return v.rule
    raise InvalidArgument(
        f"variant={variant!r} is unknown; see invalid_variants() for the names."
    )


def invalid_create_params(
    *,
    rules: Collection[str] | None = None,
    enforced_by: EnforcedBy | None = None,
    variants: Collection[str] | None = None,
) -> st.SearchStrategy[InvalidCase]:
    """Invalid `POST /v1/checkout/sessions` params with their expected error.

    Each draw picks a rule family (uniformly among those selected), then one
    of its variants, builds a valid base session and applies exactly one
    violation. It calls `hypothesis.event(f"invalid rule: {rule}")`.

    `rules` restricts the families (ids from `INVALID_RULES`: catalogue ids
    such as "R-05", or family names such as "wrong-type", "unknown-price");
    `enforced_by` keeps only "schema" or only "conditional" cases; `variants`
    keeps only the named variants (`invalid_variants()`), each drawn on its own
    ("name:case" builds that case only).

    Shrinks towards a minimal base session, and among families towards the
    one whose case takes the fewest choices to build.

    Hypothesis spends most of a run mutating earlier examples, so a run of a
    few dozen examples meets only part of the families; to test every rule,
    parametrize over `INVALID_RULES` and pass `rules=[rule]`.
    """
    families = _families()
    if variants is not None:
        if isinstance(variants, str):
            raise InvalidArgument(
                f"variants={variants!r} is a string; pass a collection such as "
                f"[{variants!r}]."
            )
        known = {v.name for v in _VARIANTS}
        unknown_variants = sorted(set(variants) - known)
        if unknown_variants:
            raise InvalidArgument(
                f"variants names unknown variants {unknown_variants!r}; see "
                "invalid_variants() for the names."
            )
        families = {
            rule: kept
            for rule, members in families.items()
            if (kept := [v for v in members if v.name in set(variants)])
        }
    if rules is not None:
        if isinstance(rules, str):
            raise InvalidArgument(
                f"rules={rules!r} is a string; pass a collection such as [{rules!r}]."
            )
        unknown = sorted(set(rules) - set(families))
        if unknown:
            raise InvalidArgument(
                f"rules={sorted(rules)!r} names unknown families {unknown!r}; "
                f"choose from INVALID_RULES={INVALID_RULES!r}."
            )
        families = {r: v for r, v in families.items() if r in set(rules)}
    if enforced_by is not None:
        if enforced_by not in ENFORCED_BY:
            raise InvalidArgument(
                f"enforced_by={enforced_by!r} must be one of {ENFORCED_BY!r} or None."
            )
        families = {
            rule: kept
            for rule, variants in families.items()
            if (kept := [v for v in variants if v.enforced_by == enforced_by])
        }
    if not families:
        raise InvalidArgument(
            f"No invalid family matches rules={rules!r}, "
            f"enforced_by={enforced_by!r} and variants={variants!r}."
        )
    return _invalid_cases(
        tuple((rule, tuple(variants)) for rule, variants in sorted(families.items()))
    )


@st.composite
def _invalid_cases(
    draw: st.DrawFn, families: tuple[tuple[str, tuple[_Variant, ...]], ...]
) -> InvalidCase:
    rule, variants = draw(sampled(families))
    variant = draw(sampled(variants))
    mutation = variant.mutate(draw)
    event(f"invalid rule: {rule}")
    return InvalidCase(
        params=mutation.params,
        rule=rule,
        description=mutation.description,
        status=400,
        error_type="invalid_request_error",
        params_accepted=mutation.params_accepted,
        enforced_by=variant.enforced_by,
    )


# ------------------------------------------------- odd expansions and names
#
# Requests a server must refuse or serve, never crash on (no_server_errors,
# catalogue §7.2). Only "no 5xx and an answer" is asked of them: whether a given
# odd path is refused or ignored is not settled by the catalogue (§3.2 decides
# 400 for unknown expansions, but the depth and wildcard answers are [INF]).

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
