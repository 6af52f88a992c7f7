"""Builders of the JSON objects the reference server returns.

Sessions are built once at creation (`session_fields`) and rendered on every
read (`render_session`), which fills in what changes: status, url, metadata and
expansions. Every builder returns plain dicts ready for `json.dumps`, with keys
in Stripe's order (`id`, `object`, then alphabetical).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ._rules import ItemPlan, SessionPlan, ShippingPlan

JsonObject = dict[str, Any]

CHECKOUT_URL_BASE = "https://checkout.stripe.com/c/pay/"
# The one id every url names under the `hosted_url_names_other_session` fault.
_FIXTURE_SESSION_ID = "cs_test_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0"


# -- prices, products, customers ---------------------------------------------


def price_object(
    *,
    price_id: str,
    product_id: str,
    currency: str,
    unit_amount_decimal: Decimal,
    recurring: Mapping[str, Any] | None,
    tax_behavior: str | None,
    nickname: str | None,
    metadata: Mapping[str, str],
    active: bool,
    created: int,
    livemode: bool,
) -> JsonObject:
    """A `price` object (per-unit billing, licensed usage)."""
    whole = unit_amount_decimal == unit_amount_decimal.to_integral_value()
    return {
        "id": price_id,
        "object": "price",
        "active": active,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": livemode,
        "lookup_key": None,
        "metadata": dict(metadata),
        "nickname": nickname,
        "product": product_id,
        "recurring": None
        if recurring is None
        else {
            "aggregate_usage": None,
            "interval": recurring["interval"],
            "interval_count": recurring.get("interval_count", 1),
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": tax_behavior or "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "one_time" if recurring is None else "recurring",
        "unit_amount": int(unit_amount_decimal) if whole else None,
        "unit_amount_decimal": _decimal_text(unit_amount_decimal),
    }


def product_object(
    *, product_id: str, name: str, active: bool, created: int, livemode: bool
) -> JsonObject:
    """A `product` object."""
    return {
        "id": product_id,
        "object": "product",
        "active": active,
        "attributes": [],
        "created": created,
        "default_price": None,
        "description": None,
        "images": [],
        "livemode": livemode,
        "marketing_features": [],
        "metadata": {},
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


def customer_object(
    *,
    customer_id: str,
    email: str | None,
    name: str | None,
    metadata: Mapping[str, str],
    created: int,
    livemode: bool,
    invoice_prefix: str,
) -> JsonObject:
    """A `customer` object."""
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": email,
        "invoice_prefix": invoice_prefix,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": livemode,
        "metadata": dict(metadata),
        "name": name,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def coupon_object(
    *,
    coupon_id: str,
    percent_off: Decimal,
    duration: str,
    duration_in_months: int | None,
    name: str | None,
    metadata: Mapping[str, str],
    created: int,
    livemode: bool,
) -> JsonObject:
    """A percent-off `coupon` object (the only kind this server creates)."""
    return {
        "id": coupon_id,
        "object": "coupon",
        "amount_off": None,
        "created": created,
        "currency": None,
        "duration": duration,
        "duration_in_months": duration_in_months,
        "livemode": livemode,
        "max_redemptions": None,
        "metadata": dict(metadata),
        "name": name,
        "percent_off": float(percent_off),
        "redeem_by": None,
        "times_redeemed": 0,
        "valid": True,
    }


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# -- line items --------------------------------------------------------------


def item_object(
    *, item_id: str, plan: ItemPlan, price: Mapping[str, Any], amount: int
) -> JsonObject:
    """A line item (`object: "item"`) whose subtotal and total are `amount`."""
    return {
        "id": item_id,
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": plan.price.currency,
        "description": plan.description,
        "price": dict(price),
        "quantity": plan.quantity,
    }


def render_item(
    item: Mapping[str, Any],
    faults: frozenset[str],
    *,
    product: Mapping[str, Any] | None = None,
    with_discounts: bool = False,
    with_taxes: bool = False,
) -> JsonObject:
    """The JSON of a stored line item, with the requested expansions."""
    rendered = dict(item)
    if product is not None:
        rendered["price"] = {**rendered["price"], "product": dict(product)}
    if with_discounts:
        rendered["discounts"] = []
    if with_taxes:
        rendered["taxes"] = []
    if "line_item_object_line_item" in faults:
        rendered["object"] = "line_item"
    return without_nulls(rendered, faults)


def without_nulls(obj: JsonObject, faults: frozenset[str]) -> JsonObject:
    """`obj` itself, or without its null-valued keys under the matching fault."""
    if "omit_null_fields" in faults:
        return {key: value for key, value in obj.items() if value is not None}
    return obj


# -- sessions ----------------------------------------------------------------


def session_amounts(
    plan: SessionPlan, faults: frozenset[str]
) -> tuple[int | None, int | None]:
    """(amount_subtotal, amount_total) of a session; None for setup mode (S-14)."""
    if plan.mode == "setup":
        return None, None
    amounts = [item.amount for item in plan.items]
    if "subtotal_skips_last_item" in faults and len(amounts) >= 2:
        amounts = amounts[:-1]
    subtotal = sum(amounts)
    shipping = plan.shipping[0].amount if plan.shipping else 0
    total = subtotal - session_discount(plan) + shipping
    if "total_ignores_quantity" in faults:
        total = sum(item.unit_amount for item in plan.items) + shipping
    return subtotal, total


def session_discount(plan: SessionPlan) -> int:
    """The amount a session's coupon takes off its subtotal (decision "refs"):
    percent_off of the subtotal, rounded half up to the minor unit."""
    if plan.coupon is None or plan.mode == "setup":
        return 0
    subtotal = sum(item.amount for item in plan.items)
    share = Decimal(subtotal) * Decimal(str(plan.coupon["percent_off"])) / 100
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def item_amount(plan: ItemPlan, faults: frozenset[str]) -> int:
    """A line item's subtotal (quantity x unit amount)."""
    if "line_item_subtotal_ignores_quantity" in faults:
        return plan.unit_amount
    return plan.amount


def session_fields(
    plan: SessionPlan,
    *,
    session_id: str,
    created: int,
    expires_at: int,
    livemode: bool,
    client_secret: str | None,
    payment_intent: str | None,
    payment_status: str,
    success_url: str | None,
    amounts: tuple[int | None, int | None],
    shipping_rate_ids: Sequence[str],
) -> JsonObject:
    """Every stored field of a new session, in Stripe's key order.

    `status`, `url` and `metadata` are placeholders: `render_session` fills them.
    """
    params = plan.params
    mode = plan.mode
    subtotal, total = amounts
    shipping_amount = plan.shipping[0].amount if plan.shipping else 0
    fields: JsonObject = {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": _after_expiration(params),
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": subtotal,
        "amount_total": total,
        "automatic_tax": _automatic_tax(params),
        "billing_address_collection": params.get("billing_address_collection"),
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": client_secret,
        "consent": None,
        "consent_collection": _consent_collection(params),
        "created": created,
        "currency": plan.currency,
        "currency_conversion": None,
        "custom_fields": [
            _custom_field(field) for field in params.get("custom_fields", ())
        ],
        "custom_text": _custom_text(params),
        "customer": plan.customer["id"] if plan.customer else None,
        "customer_creation": params.get("customer_creation", "if_required")
        if mode in ("payment", "setup")
        else None,
        "customer_details": _customer_details(params),
        "customer_email": params.get("customer_email"),
        "expires_at": expires_at,
        "invoice": None,
        "invoice_creation": _invoice_creation(params) if mode == "payment" else None,
        "livemode": livemode,
        "locale": params.get("locale"),
        "metadata": {},
        "mode": mode,
        "payment_intent": payment_intent,
        "payment_link": None,
        "payment_method_collection": params.get("payment_method_collection", "always"),
        "payment_method_configuration_details": None,
        "payment_method_options": params.get("payment_method_options", {}),
        "payment_method_types": list(params.get("payment_method_types", ("card",))),
        "payment_status": payment_status,
        "phone_number_collection": {
            "enabled": params.get("phone_number_collection", {}).get("enabled", False)
        },
        "recovered_from": None,
    }
    if plan.ui_mode == "embedded":
        # Decision §3.1: both are non-nullable and optional in the 2024-04-10
        # spec, Stripe's mark for fields present only where they apply.
        fields["redirect_on_completion"] = params.get(
            "redirect_on_completion", "always"
        )
        if "return_url" in params:
            fields["return_url"] = params["return_url"]
    fields.update(
        {
            "saved_payment_method_options": _saved_payment_method_options(params),
            "setup_intent": None,
            "shipping_address_collection": params.get("shipping_address_collection"),
            "shipping_cost": _shipping_cost(plan.shipping, shipping_rate_ids),
            "shipping_details": None,
            "shipping_options": [
                {"shipping_amount": option.amount, "shipping_rate": rate_id}
                for option, rate_id in zip(
                    plan.shipping, shipping_rate_ids, strict=True
                )
            ],
            "status": "open",
            "submit_type": params.get("submit_type"),
            "subscription": None,
            "success_url": success_url,
            "tax_id_collection": {
                "enabled": params.get("tax_id_collection", {}).get("enabled", False)
            },
            "total_details": None
            if mode == "setup"
            else {
                "amount_discount": session_discount(plan),
                "amount_shipping": shipping_amount,
                "amount_tax": 0,
            },
            "ui_mode": plan.ui_mode,
            "url": None,
        }
    )
    return fields


def session_url(
    fields: Mapping[str, Any], status: str, faults: frozenset[str]
) -> str | None:
    """The hosted page URL: only while open, only for hosted sessions (S-07)."""
    hosted = fields["ui_mode"] == "hosted"
    url = CHECKOUT_URL_BASE + str(fields["id"])
    if "hosted_url_names_other_session" in faults:
        url = CHECKOUT_URL_BASE + _FIXTURE_SESSION_ID
    if status == "open" and (hosted or "embedded_has_url" in faults):
        return url
    if status == "expired" and hosted and "expire_keeps_url" in faults:
        return url
    return None


def render_session(
    fields: Mapping[str, Any],
    *,
    status: str,
    metadata: Mapping[str, str],
    faults: frozenset[str],
    line_items: JsonObject | None = None,
    customer: Mapping[str, Any] | None = None,
    breakdown: bool = False,
) -> JsonObject:
    """The JSON of a session in its current state, with the requested expansions."""
    session = dict(fields)
    session["status"] = status
    session["url"] = session_url(fields, status, faults)
    session["metadata"] = dict(metadata)
    if status == "open" and "status_active" in faults:
        session["status"] = "active"
    if "amounts_as_strings" in faults:
        for key in ("amount_subtotal", "amount_total"):
            if session[key] is not None:
                session[key] = str(session[key])
    if "timestamps_in_milliseconds" in faults:
        session["created"] = session["created"] * 1000
        session["expires_at"] = session["expires_at"] * 1000
    if customer is not None:
        session["customer"] = dict(customer)
    if breakdown and session["total_details"] is not None:
        session["total_details"] = {
            **session["total_details"],
            "breakdown": {"discounts": [], "taxes": []},
        }
    if line_items is not None:
        session["line_items"] = line_items
    return without_nulls(session, faults)


def list_object(data: list[Any], *, has_more: bool, url: str) -> JsonObject:
    """A list envelope (`object: "list"`)."""
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


# -- nested session fields ---------------------------------------------------


def _after_expiration(params: Mapping[str, Any]) -> JsonObject | None:
    after = params.get("after_expiration")
    if after is None:
        return None
    recovery = after.get("recovery")
    return {
        "recovery": None
        if recovery is None
        else {
            "allow_promotion_codes": recovery.get("allow_promotion_codes", False),
            "enabled": recovery["enabled"],
            "expires_at": None,
            "url": None,
        }
    }


def _automatic_tax(params: Mapping[str, Any]) -> JsonObject:
    requested = params.get("automatic_tax", {})
    enabled = requested.get("enabled", False)
    liability = requested.get("liability")
    if enabled and liability is None:
        liability = {"type": "self"}
    return {
        "enabled": enabled,
        "liability": None if liability is None else dict(liability),
        "status": "requires_location_inputs" if enabled else None,
    }


def _consent_collection(params: Mapping[str, Any]) -> JsonObject | None:
    consent = params.get("consent_collection")
    if consent is None:
        return None
    return {
        "payment_method_reuse_agreement": consent.get("payment_method_reuse_agreement"),
        "promotions": consent.get("promotions"),
        "terms_of_service": consent.get("terms_of_service"),
    }


def _custom_field(field: Mapping[str, Any]) -> JsonObject:
    rendered: JsonObject = {
        "key": field["key"],
        "label": {"custom": field["label"]["custom"], "type": field["label"]["type"]},
        "optional": field.get("optional", False),
        "type": field["type"],
    }
    kind = field["type"]
    if kind == "dropdown":
        rendered["dropdown"] = {
            "options": [
                {"label": option["label"], "value": option["value"]}
                for option in field["dropdown"]["options"]
            ],
            "value": None,
        }
    else:
        limits = field.get(kind, {})
        rendered[kind] = {
            "maximum_length": limits.get("maximum_length"),
            "minimum_length": limits.get("minimum_length"),
            "value": None,
        }
    return rendered


def _custom_text(params: Mapping[str, Any]) -> JsonObject:
    requested = params.get("custom_text", {})
    positions = (
        "after_submit",
        "shipping_address",
        "submit",
        "terms_of_service_acceptance",
    )
    rendered: JsonObject = {}
    for position in positions:
        value = requested.get(position)
        rendered[position] = (
            {"message": value["message"]} if isinstance(value, Mapping) else None
        )
    return rendered


def _customer_details(params: Mapping[str, Any]) -> JsonObject | None:
    """Prefilled from customer_email (decision customer_details)."""
    email = params.get("customer_email")
    if email is None:
        return None
    return {
        "address": None,
        "email": email,
        "name": None,
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": None,
    }


def _invoice_creation(params: Mapping[str, Any]) -> JsonObject:
    requested = params.get("invoice_creation", {})
    data = requested.get("invoice_data", {})
    return {
        "enabled": requested.get("enabled", False),
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": _or_none(data.get("custom_fields")),
            "description": data.get("description"),
            "footer": data.get("footer"),
            "issuer": data.get("issuer"),
            "metadata": {
                key: value for key, value in data.get("metadata", {}).items() if value
            },
            "rendering_options": _or_none(data.get("rendering_options")),
        },
    }


def _or_none(value: Any) -> Any:
    """A value given as `""` (unset) reads back as null."""
    return None if value == "" else value


def _saved_payment_method_options(params: Mapping[str, Any]) -> JsonObject | None:
    requested = params.get("saved_payment_method_options")
    if requested is None:
        return None
    return {
        "allow_redisplay_filters": requested.get("allow_redisplay_filters", ["always"]),
        "payment_method_save": requested.get("payment_method_save"),
    }


def _shipping_cost(
    shipping: Sequence[ShippingPlan], rate_ids: Sequence[str]
) -> JsonObject | None:
    if not shipping:
        return None
    amount = shipping[0].amount
    return {
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "shipping_rate": rate_ids[0],
    }
