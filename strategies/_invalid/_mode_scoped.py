"""R-11..R-15: keys that only some modes, customers or currencies allow.

Each variant breaks one rule: intent data of another mode (R-11),
`customer_creation` and `payment_method_collection` outside their modes
(R-12, R-13), `customer` with `customer_email` or `customer_update` without a
customer (R-14), a currency missing, mixed or unsupported (R-15).
"""

from __future__ import annotations

from typing import Final

from hypothesis import strategies as st

from strategies._api import CURRENCIES, MINIMUM_UNIT_AMOUNT
from strategies._invalid._helpers import (
    _CUSTOMER_KEYS,
    _base,
    _currency_of,
    _item_paths,
)
from strategies._invalid._registry import _accept, _Mutation, _variant
from strategies._line_items import uniform_items
from strategies._placeholders import customer_ref
from strategies._support import sampled
from strategies._text import customer_emails

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
