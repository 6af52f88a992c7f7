"""R-25..R-28 and "fractional-amount": values that are not accepted.

Each variant breaks one rule: an unknown payment method type (R-25), a bad
top-level enum (R-26), an amount negative, too large or finer than the
currency's minor unit (R-27, "fractional-amount"), a recurring interval over
three years (R-28).
"""

from __future__ import annotations

from typing import Final, cast

from hypothesis import strategies as st

from strategies._api import MAX_INTERVAL_COUNT, Interval, PriceKind
from strategies._invalid._helpers import (
    _BOOLEANS,
    _DIGIT_STRINGS,
    _base,
    _index,
    _item_paths,
)
from strategies._invalid._registry import _accept, _Mutation, _pick, _variant
from strategies._support import sampled


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
