"""R-02..R-07: line items missing, forbidden, too many, or ill-formed.

Each variant breaks exactly one rule about `line_items`: present where required
and absent in setup mode (R-02, R-03), within the item counts (R-04), exactly
one of `price`/`price_data` and of the amounts, with a product (R-05), a valid
quantity and adjustable range (R-06), recurring prices matching the mode (R-07).
"""

from __future__ import annotations

from hypothesis import strategies as st

from strategies._api import (
    INTERVALS,
    MAX_LINE_ITEMS_PAYMENT,
    MAX_ONE_TIME_ITEMS_SUBSCRIPTION,
    MAX_RECURRING_ITEMS,
    MINIMUM_UNIT_AMOUNT,
)
from strategies._invalid._helpers import (
    _BOOLEANS,
    _base,
    _currency_of,
    _index,
    _item_paths,
)
from strategies._invalid._registry import _accept, _Mutation, _pick, _variant
from strategies._line_items import draw_item_group, recurrences, uniform_items
from strategies._placeholders import price_ref
from strategies._support import integers_between, sampled


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
