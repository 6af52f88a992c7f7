"""Families beyond §2.3: bad enums, wrong types, unknown or missing names and ids.

Each variant breaks one rule: "bad-enum", "wrong-type", "unknown-parameter",
"missing-nested-required" (refused by the schema alone), and
"unknown-nested-parameter", "unknown-price", "unknown-customer" (which need
the target's state or conditional validation).
"""

from __future__ import annotations

from typing import Final

from hypothesis import strategies as st

from strategies._invalid._helpers import (
    _CUSTOMER_KEYS,
    _base,
    _fake_ids,
    _index,
    _is_recurring,
    _item_paths,
    _unknown_names,
)
from strategies._invalid._registry import _accept, _Mutation, _variant
from strategies._placeholders import customer_ref
from strategies._sessions import custom_fields
from strategies._support import integers_between, sampled
from strategies._text import plain_texts, return_urls


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
