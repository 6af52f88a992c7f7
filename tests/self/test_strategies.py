"""Self-tests for `strategies/`: pure, no network.

The core of this file is `violations()`, a checker written independently of
the strategies from the contract catalogue (§2.3) and the 2024-04-10 request
schema. Valid draws must have no violation; every `InvalidCase` must have
exactly the one it claims. Where the OpenAPI spec file is available, a second
opinion comes from validating against the spec itself with jsonschema.
"""

from __future__ import annotations

import collections
import copy
import json
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeGuard

import pytest
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies import (
    COUPON_CATALOGUE,
    CUSTOMER_CATALOGUE,
    INVALID_LIST_RULES,
    INVALID_RULES,
    MALFORMED_BODY_KINDS,
    PRICE_CATALOGUE,
    SPEC_CREATE_PARAMS,
    SPEC_PARAM_REQUESTS,
    UNSENDABLE,
    InvalidCase,
    PlaceholderError,
    boundary_create_params,
    coupon_ref,
    customer_ref,
    idempotency_keys,
    invalid_create_params,
    invalid_list_params,
    invalid_variants,
    is_placeholder,
    list_params,
    malformed_bodies,
    metadata_updates,
    now_plus,
    param_paths,
    price_ref,
    resolve_placeholders,
    session_create_params,
)

# ---------------------------------------------------------------- resolving

NOW = 1_750_000_000
PRICE_IDS = {name: f"price_fixture_{name}" for name in PRICE_CATALOGUE}
CUSTOMER_IDS = {name: f"cus_fixture_{name}" for name in CUSTOMER_CATALOGUE}
COUPON_IDS = {name: f"coupon_fixture_{name}" for name in COUPON_CATALOGUE}
SPEC_BY_PRICE_ID = {PRICE_IDS[name]: spec for name, spec in PRICE_CATALOGUE.items()}


def resolved(params: dict[str, Any]) -> dict[str, Any]:
    return resolve_placeholders(
        params, prices=PRICE_IDS, customers=CUSTOMER_IDS, coupons=COUPON_IDS, now=NOW
    )


# ------------------------------------------- the request schema, by hand
# A small model of the 2024-04-10 create schema: a type name, an enum (a
# tuple of allowed strings), ("array", item) or Obj. ANY is not checked.

STR, INT, BOOL, MAP, ANY = "string", "integer", "boolean", "map", "any"


class Obj:
    def __init__(self, fields: dict[str, Any], required: tuple[str, ...] = ()) -> None:
        self.fields = fields
        self.required = required


def arr(item: Any) -> tuple[str, Any]:
    return ("array", item)


TAX_BEHAVIOR = ("exclusive", "inclusive", "unspecified")
LOCALES = (
    "auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi",
    "fil", "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "mt",
    "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th", "tr", "vi",
    "zh", "zh-HK", "zh-TW"
)  # fmt: skip
PAYMENT_METHOD_TYPES = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "amazon_pay",
    "au_becs_debit", "bacs_debit", "bancontact", "blik", "boleto", "card", "cashapp",
    "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "klarna",
    "konbini", "link", "mobilepay", "oxxo", "p24", "paynow", "paypal", "pix",
    "promptpay", "revolut_pay", "sepa_debit", "sofort", "swish", "us_bank_account",
    "wechat_pay", "zip"
)  # fmt: skip
COUNTRIES = (
    "AC", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AT", "AU", "AW",
    "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN",
    "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CD", "CF", "CG", "CH",
    "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CV", "CW", "CY", "CZ", "DE", "DJ", "DK",
    "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FO",
    "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ",
    "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HN", "HR", "HT", "HU", "ID", "IE", "IL",
    "IM", "IN", "IO", "IQ", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI",
    "KM", "KN", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MK", "ML", "MM", "MN", "MO",
    "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NG",
    "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK",
    "PL", "PM", "PN", "PR", "PS", "PT", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA",
    "SB", "SC", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SZ", "TA", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM",
    "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "US", "UY", "UZ", "VA", "VC",
    "VE", "VG", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW", "ZZ"
)  # fmt: skip
LENGTH_LIMITS = Obj({"maximum_length": INT, "minimum_length": INT})
BOUND = Obj(
    {"unit": ("business_day", "day", "hour", "month", "week"), "value": INT},
    ("unit", "value"),
)
PRICE_DATA = Obj(
    {
        "currency": STR,
        "product": STR,
        "product_data": Obj(
            {
                "description": STR,
                "images": arr(STR),
                "metadata": MAP,
                "name": STR,
                "tax_code": STR,
            },
            ("name",),
        ),
        "recurring": Obj(
            {"interval": ("day", "month", "week", "year"), "interval_count": INT},
            ("interval",),
        ),
        "tax_behavior": TAX_BEHAVIOR,
        "unit_amount": INT,
        "unit_amount_decimal": STR,
    },
    ("currency",),
)
LINE_ITEM = Obj(
    {
        "adjustable_quantity": Obj(
            {"enabled": BOOL, "maximum": INT, "minimum": INT}, ("enabled",)
        ),
        "dynamic_tax_rates": arr(STR),
        "price": STR,
        "price_data": PRICE_DATA,
        "quantity": INT,
        "tax_rates": arr(STR),
    }
)
MESSAGE = Obj({"message": STR}, ("message",))
CREATE = Obj(
    {
        "after_expiration": Obj(
            {
                "recovery": Obj(
                    {"allow_promotion_codes": BOOL, "enabled": BOOL}, ("enabled",)
                )
            }
        ),
        "allow_promotion_codes": BOOL,
        "automatic_tax": Obj({"enabled": BOOL, "liability": ANY}, ("enabled",)),
        "billing_address_collection": ("auto", "required"),
        "cancel_url": STR,
        "client_reference_id": STR,
        "consent_collection": ANY,
        "currency": STR,
        "custom_fields": arr(
            Obj(
                {
                    "dropdown": Obj(
                        {
                            "options": arr(
                                Obj({"label": STR, "value": STR}, ("label", "value"))
                            )
                        },
                        ("options",),
                    ),
                    "key": STR,
                    "label": Obj(
                        {"custom": STR, "type": ("custom",)}, ("custom", "type")
                    ),
                    "numeric": LENGTH_LIMITS,
                    "optional": BOOL,
                    "text": LENGTH_LIMITS,
                    "type": ("dropdown", "numeric", "text"),
                },
                ("key", "label", "type"),
            )
        ),
        "custom_text": Obj(
            dict.fromkeys(
                (
                    "after_submit",
                    "shipping_address",
                    "submit",
                    "terms_of_service_acceptance",
                ),
                MESSAGE,
            )
        ),
        "customer": STR,
        "customer_creation": ("always", "if_required"),
        "customer_email": STR,
        "customer_update": Obj(
            dict.fromkeys(("address", "name", "shipping"), ("auto", "never"))
        ),
        "discounts": arr(Obj({"coupon": STR, "promotion_code": STR})),
        "expand": arr(STR),
        "expires_at": INT,
        "invoice_creation": Obj(
            {
                "enabled": BOOL,
                "invoice_data": Obj(
                    {
                        "account_tax_ids": ANY,
                        "custom_fields": ANY,
                        "description": STR,
                        "footer": STR,
                        "issuer": ANY,
                        "metadata": MAP,
                        "rendering_options": ANY,
                    }
                ),
            },
            ("enabled",),
        ),
        "line_items": arr(LINE_ITEM),
        "locale": LOCALES,
        "metadata": MAP,
        "mode": ("payment", "setup", "subscription"),
        "payment_intent_data": Obj(
            {
                "application_fee_amount": INT,
                "capture_method": ("automatic", "automatic_async", "manual"),
                "description": STR,
                "metadata": MAP,
                "on_behalf_of": STR,
                "receipt_email": STR,
                "setup_future_usage": ("off_session", "on_session"),
                "shipping": ANY,
                "statement_descriptor": STR,
                "statement_descriptor_suffix": STR,
                "transfer_data": ANY,
                "transfer_group": STR,
            }
        ),
        "payment_method_collection": ("always", "if_required"),
        "payment_method_configuration": STR,
        "payment_method_data": ANY,
        "payment_method_options": ANY,
        "payment_method_types": arr(PAYMENT_METHOD_TYPES),
        "phone_number_collection": Obj({"enabled": BOOL}, ("enabled",)),
        "redirect_on_completion": ("always", "if_required", "never"),
        "return_url": STR,
        "saved_payment_method_options": Obj(
            {
                "allow_redisplay_filters": arr(("always", "limited", "unspecified")),
                "payment_method_save": ("disabled", "enabled"),
            }
        ),
        "setup_intent_data": Obj(
            {"description": STR, "metadata": MAP, "on_behalf_of": STR}
        ),
        "shipping_address_collection": Obj(
            {"allowed_countries": arr(COUNTRIES)}, ("allowed_countries",)
        ),
        "shipping_options": arr(
            Obj(
                {
                    "shipping_rate": STR,
                    "shipping_rate_data": Obj(
                        {
                            "delivery_estimate": Obj(
                                {"maximum": BOUND, "minimum": BOUND}
                            ),
                            "display_name": STR,
                            "fixed_amount": Obj(
                                {
                                    "amount": INT,
                                    "currency": STR,
                                    "currency_options": ANY,
                                },
                                ("amount", "currency"),
                            ),
                            "metadata": MAP,
                            "tax_behavior": TAX_BEHAVIOR,
                            "tax_code": STR,
                            "type": ("fixed_amount",),
                        },
                        ("display_name",),
                    ),
                }
            )
        ),
        "submit_type": ("auto", "book", "donate", "pay"),
        "subscription_data": Obj(
            {
                "application_fee_percent": ANY,
                "billing_cycle_anchor": INT,
                "default_tax_rates": arr(STR),
                "description": STR,
                "invoice_settings": ANY,
                "metadata": MAP,
                "on_behalf_of": STR,
                "proration_behavior": ("create_prorations", "none"),
                "transfer_data": ANY,
                "trial_end": INT,
                "trial_period_days": INT,
                "trial_settings": Obj(
                    {
                        "end_behavior": Obj(
                            {
                                "missing_payment_method": (
                                    "cancel",
                                    "create_invoice",
                                    "pause",
                                )
                            },
                            ("missing_payment_method",),
                        )
                    },
                    ("end_behavior",),
                ),
            }
        ),
        "success_url": STR,
        "tax_id_collection": Obj({"enabled": BOOL}, ("enabled",)),
        "ui_mode": ("embedded", "hosted"),
    }
)


def schema_findings(value: Any, model: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (kind, path) for every way `value` departs from `model`."""
    if model == ANY:
        return
    if isinstance(model, tuple) and model and model[0] == "array":
        if not isinstance(value, list):
            yield "type", path
            return
        for i, element in enumerate(value):
            yield from schema_findings(element, model[1], f"{path}[{i}]")
    elif isinstance(model, tuple):
        if value not in model:
            yield "enum", path
    elif isinstance(model, Obj):
        if not isinstance(value, dict):
            yield "type", path
            return
        for name in model.required:
            if name not in value:
                yield "required", f"{path}[{name}]" if path else name
        for name, field in value.items():
            child = f"{path}[{name}]" if path else name
            if name not in model.fields:
                yield "unknown", child
            else:
                yield from schema_findings(field, model.fields[name], child)
    elif model == MAP:
        if not isinstance(value, dict) or not all(
            isinstance(v, str) for v in value.values()
        ):
            yield "type", path
    elif model == STR:
        if not isinstance(value, str):
            yield "type", path
    elif model == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            yield "type", path
    elif model == BOOL and not isinstance(value, bool):
        yield "type", path


SCHEMA_RULES = frozenset(
    {"R-01", "R-17", "R-25", "R-26", "bad-enum", "wrong-type",
     "missing-nested-required", "unknown-parameter"}
)  # fmt: skip

# The spec's maxLength of the strings the invalid cases lengthen (SPEC
# `paths./v1/checkout/sessions.post.requestBody...properties.<name>.maxLength`).
MAX_LENGTHS = {
    "client_reference_id": 200,
    "success_url": 5000,
    "cancel_url": 5000,
    "return_url": 5000,
    "payment_intent_data[description]": 1000,
    "setup_intent_data[description]": 1000,
    "subscription_data[description]": 500,
}
PRODUCT_MAX_LENGTHS = {"name": 5000, "description": 40000}


def _too_long(params: dict[str, Any]) -> bool:
    """True when a string is longer than its spec-stated maxLength (R-17)."""
    for name, limit in MAX_LENGTHS.items():
        holder, _, field = name.partition("[")
        value = params.get(holder)
        if field:
            value = value.get(field.rstrip("]")) if isinstance(value, dict) else None
        if isinstance(value, str) and len(value) > limit:
            return True
    for item in params.get("line_items") or []:
        data = item.get("price_data") if isinstance(item, dict) else None
        product = data.get("product_data") if isinstance(data, dict) else None
        if isinstance(product, dict) and any(
            isinstance(product.get(k), str) and len(product[k]) > limit
            for k, limit in PRODUCT_MAX_LENGTHS.items()
        ):
            return True
    return False


def schema_violations(params: dict[str, Any]) -> set[str]:
    """Rule ids an OpenAPI validator alone would report (as ids this file uses)."""
    found = set()
    for kind, path in schema_findings(params, CREATE, ""):
        if kind == "enum":
            if path == "mode":
                found.add("R-01")
            elif path.startswith("payment_method_types["):
                found.add("R-25")
            elif path in ("locale", "billing_address_collection", "customer_creation"):
                found.add("R-26")
            else:
                found.add("bad-enum")
        elif kind == "type":
            found.add("wrong-type")
        elif kind == "required":
            found.add("missing-nested-required")
        elif "[" in path:
            found.add("unknown-nested-parameter")
        else:
            found.add("unknown-parameter")
    if _too_long(params):
        found.add("R-17")
    return found


# ------------------------------------------------ the catalogue's rules

YEAR_LIMITS = {"day": 1095, "week": 156, "month": 36, "year": 3}
KNOWN_CURRENCIES = {"usd", "eur", "gbp", "jpy", "krw", "cad", "aud", "chf", "sek"}
URL = re.compile(r"https?://[^\s/]+(/\S*)?")


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _metadata_maps(params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield params.get("metadata", {})
    for holder in ("payment_intent_data", "subscription_data", "setup_intent_data"):
        if isinstance(params.get(holder), dict):
            yield params[holder].get("metadata", {})
    for item in params.get("line_items") or []:
        data = item.get("price_data") if isinstance(item, dict) else None
        if isinstance(data, dict) and isinstance(data.get("product_data"), dict):
            yield data["product_data"].get("metadata", {})


def _item_facts(item: dict[str, Any]) -> tuple[str | None, Any, bool]:
    """(currency, billing period or None, known) of a line item's price."""
    if "price_data" in item and isinstance(item["price_data"], dict):
        data = item["price_data"]
        recurring = data.get("recurring")
        period = None
        if isinstance(recurring, dict):
            period = (recurring.get("interval"), recurring.get("interval_count", 1))
        return data.get("currency"), period, True
    spec = SPEC_BY_PRICE_ID.get(item.get("price", ""))
    if spec is None:
        return None, None, False
    period = None
    if spec.recurring is not None:
        period = (spec.recurring.interval, spec.recurring.interval_count)
    return spec.currency, period, True


def line_item_violations(params: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    mode = params.get("mode")
    items = params.get("line_items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return found
    currencies, periods, recurring_count, one_time_count = set(), set(), 0, 0
    total = 0.0
    for item in items:
        if ("price" in item) == ("price_data" in item):
            found.add("R-05")
        data = item.get("price_data")
        amount: float = 0
        if isinstance(data, dict):
            amounts = [k for k in ("unit_amount", "unit_amount_decimal") if k in data]
            if len(amounts) != 1:
                found.add("R-05")
            if "product" not in data and "product_data" not in data:
                found.add("R-05")
            unit = data.get("unit_amount")
            decimal = data.get("unit_amount_decimal")
            if _int(unit):
                amount = unit
            elif isinstance(decimal, str) and re.fullmatch(r"-?\d+(\.\d+)?", decimal):
                amount = float(decimal)
                if "." in decimal and decimal.split(".")[1].strip("0"):
                    # Checkout refuses prices finer than the minor unit
                    # (stripe/stripe-node#1135).
                    found.add("fractional-amount")
            if amount < 0:
                found.add("R-27")
            images = (data.get("product_data") or {}).get("images", [])
            if isinstance(images, list) and len(images) > 8:
                found.add("R-23")
        elif (
            isinstance(item.get("price"), str) and item["price"] not in SPEC_BY_PRICE_ID
        ):
            found.add("unknown-price")
        quantity = item.get("quantity")
        if "quantity" not in item:
            found.add("R-06")
        elif _int(quantity):
            if quantity < 1:
                found.add("R-06")
            total += amount * quantity
        adjustable = item.get("adjustable_quantity")
        if isinstance(adjustable, dict) and adjustable.get("enabled") is True:
            low, high = adjustable.get("minimum", 0), adjustable.get("maximum", 99)
            too_high = _int(high) and high > 999_999
            outside = _ints(low, high, quantity) and not low <= quantity <= high
            if too_high or outside:
                found.add("R-06")
        currency, period, known = _item_facts(item)
        if currency is not None:
            currencies.add(currency)
        if not known:
            continue
        if period is None:
            one_time_count += 1
        else:
            recurring_count += 1
            interval, count = period
            if _int(count) and interval in YEAR_LIMITS:
                periods.add(period)  # ill-typed periods are the schema's finding
                if count > YEAR_LIMITS[interval]:
                    found.add("R-28")
    if len(currencies) > 1 or not currencies <= KNOWN_CURRENCIES:
        found.add("R-15")
    if total > 99_999_999:
        found.add("R-27")
    if mode == "payment":
        if len(items) > 100:
            found.add("R-04")
        if recurring_count:
            found.add("R-07")
    if mode == "subscription":
        if recurring_count > 20 or one_time_count > 20:
            found.add("R-04")
        if not recurring_count and all(_item_facts(i)[2] for i in items):
            found.add("R-07")
        if len(periods) > 1:
            found.add("x-one-billing-period")
    refs = [i["price"] for i in items if isinstance(i.get("price"), str)]
    if len(refs) != len(set(refs)):
        found.add("x-price-used-once")
    return found


def violations(params: dict[str, Any]) -> set[str]:
    """Every rule `params` (placeholders resolved) breaks, by catalogue id.

    "x-…" ids are the strategies' own safety rules for real test accounts.
    """
    found = schema_violations(params)
    mode = params.get("mode")
    ui = params.get("ui_mode", "hosted")
    has = params.__contains__
    if not has("mode"):
        found.add("R-01")
    if mode in ("payment", "subscription") and not params.get("line_items"):
        found.add("R-02")
    if mode == "setup" and has("line_items"):
        found.add("R-03")
    found |= line_item_violations(params)
    if ui == "hosted":
        if not has("success_url") or has("return_url"):
            found.add("R-08")
        if has("redirect_on_completion"):
            found.add("R-09")
    elif ui == "embedded":
        redirect = params.get("redirect_on_completion", "always")
        if has("success_url") or has("cancel_url"):
            found.add("R-08")
        if redirect != "never" and not has("return_url"):
            found.add("R-08")
        if redirect == "never" and has("return_url"):
            found.add("R-09")
    for name in ("success_url", "cancel_url", "return_url"):
        url = params.get(name)
        if isinstance(url, str):
            if not URL.fullmatch(url):
                found.add("invalid-url")
            if len(url) > 5000:
                found.add("R-17")
    for name, home in (
        ("payment_intent_data", "payment"),
        ("subscription_data", "subscription"),
        ("setup_intent_data", "setup"),
    ):
        if has(name) and mode != home:
            found.add("R-11")
    if has("customer_creation") and mode == "subscription":
        found.add("R-12")
    if has("payment_method_collection") and mode != "subscription":
        found.add("R-13")
    if has("customer") and has("customer_email"):
        found.add("R-14")
    if has("customer_update") and not has("customer"):
        found.add("R-14")
    if has("customer") and params["customer"] not in CUSTOMER_IDS.values():
        found.add("unknown-customer")
    if mode == "setup":
        if not has("currency") and not has("payment_method_types"):
            found.add("R-15")
        if has("currency") and params["currency"] not in KNOWN_CURRENCIES:
            found.add("R-15")
    expires_at = params.get("expires_at")
    if _int(expires_at) and not 1800 <= expires_at - NOW <= 86_400:
        found.add("R-16")
    reference = params.get("client_reference_id")
    if isinstance(reference, str) and len(reference) > 200:
        found.add("R-17")
    for metadata in _metadata_maps(params):
        if isinstance(metadata, dict) and (
            len(metadata) > 50
            or any(len(k) > 40 or "[" in k or "]" in k for k in metadata)
            or any(isinstance(v, str) and len(v) > 500 for v in metadata.values())
        ):
            found.add("R-18")
    if has("submit_type") and mode != "payment":
        found.add("R-19")
    if mode == "setup" and (
        has("phone_number_collection") or has("saved_payment_method_options")
    ):
        found.add("R-20")
    if mode == "setup" and has("allow_promotion_codes"):
        found.add("promotion-codes-in-setup")
    if has("allow_promotion_codes") and has("discounts"):
        found.add("R-21")
    if isinstance(params.get("discounts"), list) and len(params["discounts"]) > 1:
        found.add("R-22")
    for name, limit in (("shipping_options", 5), ("custom_fields", 3)):
        if isinstance(params.get(name), list) and len(params[name]) > limit:
            found.add("R-23")
    trial = params.get("subscription_data")
    if isinstance(trial, dict):
        days, end = trial.get("trial_period_days"), trial.get("trial_end")
        if _int(days) and days < 1:
            found.add("R-24")
        if _int(end) and end < NOW + 48 * 3600:
            found.add("R-24")
    # The strategies' own rules for real test accounts (module docstring of
    # strategies/_sessions.py; Stripe's docs for shipping_options).
    if has("shipping_options") and mode != "payment":
        found.add("x-shipping-options-payment-only")
    if has("customer") and has("customer_creation"):
        found.add("x-customer-creation-without-customer")
    tax_ids = params.get("tax_id_collection")
    tax_ids_on = isinstance(tax_ids, dict) and tax_ids.get("enabled") is True
    name_update = (params.get("customer_update") or {}).get("name")
    if has("customer") and tax_ids_on and name_update != "auto":
        found.add("x-tax-ids-update-customer-name")
    return found


def nothing_vanishes(value: Any, path: str = "") -> Iterator[str]:
    """Paths of empty strings and empty containers: they vanish on the wire."""
    if isinstance(value, dict):
        if not value:
            yield path
        for k, v in value.items():
            yield from nothing_vanishes(v, f"{path}[{k}]")
    elif isinstance(value, list):
        if not value:
            yield path
        for i, v in enumerate(value):
            yield from nothing_vanishes(v, f"{path}[{i}]")
    elif value == "":
        yield path


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


# ---------------------------------------------------------- valid draws

MINIMUM_CHARGE = {"usd": 50, "eur": 50, "gbp": 30, "jpy": 50, "krw": 500}


def check_valid(raw: dict[str, Any], *, expiry_margin: int) -> None:
    params = resolved(raw)
    assert violations(params) == set(), json.dumps(raw, ensure_ascii=False)[:2000]
    assert list(nothing_vanishes(params)) == []
    assert not any(is_placeholder(s) for s in _strings(params))
    for text in _strings(raw):
        assert "<" not in text or is_placeholder(text), text
    if "expires_at" in params:
        offset = params["expires_at"] - NOW
        assert 1800 + expiry_margin <= offset <= 86_400 - expiry_margin
    for item in params.get("line_items", []):
        data = item.get("price_data", {})
        amount = data.get("unit_amount", data.get("unit_amount_decimal"))
        if amount is not None:
            assert float(amount) >= MINIMUM_CHARGE[data["currency"]], item


@settings(max_examples=100, deadline=None, database=None)
@given(session_create_params())
def test_valid_draws_break_no_rule(raw: dict[str, Any]) -> None:
    check_valid(raw, expiry_margin=300)


@settings(max_examples=40, deadline=None, database=None)
@given(boundary_create_params())
def test_boundary_draws_are_valid(raw: dict[str, Any]) -> None:
    check_valid(raw, expiry_margin=60)


@pytest.mark.parametrize(
    ("kwargs", "expect"),
    [
        ({"mode": "setup"}, lambda p: p["mode"] == "setup" and "line_items" not in p),
        ({"ui_mode": "embedded"}, lambda p: p["ui_mode"] == "embedded"),
        ({"currency": "jpy", "mode": "payment"}, lambda p: _currencies(p) == {"jpy"}),
        (
            {"price_kind": "price", "mode": "subscription"},
            lambda p: all("price" in i for i in p["line_items"]),
        ),
        (
            {"price_kind": "unit_amount_decimal"},
            lambda p: all(
                "unit_amount_decimal" in i["price_data"] for i in p["line_items"]
            ),
        ),
    ],
)
def test_arguments_fix_their_choice(
    kwargs: dict[str, Any], expect: Callable[[dict[str, Any]], bool]
) -> None:
    @settings(max_examples=15, deadline=None, database=None)
    @given(session_create_params(**kwargs))
    def check(raw: dict[str, Any]) -> None:
        assert expect(raw)
        assert violations(resolved(raw)) == set()

    check()


def _currencies(params: dict[str, Any]) -> set[str]:
    return {
        _item_facts(item)[0] or "?" for item in resolved(params).get("line_items", [])
    }


# ---------------------------------------------------------- invalid cases


def check_expectation(case: InvalidCase) -> None:
    assert case.status == 400
    assert case.error_type == "invalid_request_error"
    assert case.params_accepted
    assert case.description
    assert "\n" not in case.description
    top_level = set(CREATE.fields) | set(case.params)
    for param in case.params_accepted - {None}:
        assert isinstance(param, str)
        root = param.split("[", 1)[0]
        assert root in top_level, (case.rule, param)
        assert param.count("[") == param.count("]"), param


def check_invalid(case: InvalidCase) -> None:
    params = resolved(dict(case.params))
    found = violations(params)
    assert found == {case.rule}, (
        case.description,
        found,
        json.dumps(case.params)[:2000],
    )
    schema_visible = case.rule in schema_violations(params) & SCHEMA_RULES
    assert schema_visible == (case.enforced_by == "schema"), case.description
    check_expectation(case)


@settings(max_examples=80, deadline=None, database=None)
@given(invalid_create_params())
def test_invalid_case_breaks_exactly_its_rule(case: InvalidCase) -> None:
    check_invalid(case)


@pytest.mark.parametrize("enforced_by", ["schema", "conditional"])
def test_enforced_by_selects_cases(enforced_by: Any) -> None:
    @settings(max_examples=30, deadline=None, database=None)
    @given(invalid_create_params(enforced_by=enforced_by))
    def check(case: InvalidCase) -> None:
        assert case.enforced_by == enforced_by

    check()


def test_rules_selects_families() -> None:
    @settings(max_examples=20, deadline=None, database=None)
    @given(invalid_create_params(rules=["R-06", "unknown-price"]))
    def check(case: InvalidCase) -> None:
        assert case.rule in {"R-06", "unknown-price"}

    check()


def test_verified_expectations() -> None:
    """Catalogue §12: quantity 0 names the item's quantity; unknown names themselves."""
    quantity = find(
        invalid_create_params(rules=["R-06"]),
        lambda c: c.params["line_items"][0].get("quantity") == 0,
        settings=settings(database=None, max_examples=300, derandomize=True),
    )
    assert quantity.params_accepted == {"line_items[0][quantity]"}
    unknown = find(
        invalid_create_params(rules=["unknown-parameter"]),
        lambda c: True,
        settings=settings(database=None, derandomize=True),
    )
    (name,) = set(unknown.params) - set(CREATE.fields)
    assert unknown.params_accepted == {name}
    assert unknown.enforced_by == "schema"


# ---------------------------------------------------------------- coverage


def draws_in_seeded_runs(strategy: st.SearchStrategy[Any], *, runs: int) -> list[Any]:
    """Draws from `runs` short seeded runs of 10 examples each.

    Hypothesis spends most of a long run mutating earlier examples (which
    copies their early choices), so many short runs see more independent
    choices than one long run of the same size; the seeds keep it repeatable.
    """
    drawn: list[Any] = []
    for run in range(runs):

        @seed(run)
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=False,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def collect(value: Any) -> None:
            drawn.append(value)

        collect()
    return drawn


def kinds_of_session(raw: dict[str, Any]) -> set[str]:
    kinds = {f"mode={raw['mode']}", f"ui_mode={raw.get('ui_mode', 'absent')}"}
    params = resolved(raw)
    for item in params.get("line_items", []):
        if "price" in item:
            kinds.add("price ref")
        elif "unit_amount" in item["price_data"]:
            kinds.add("price_data unit_amount")
        else:
            kinds.add("price_data unit_amount_decimal")
        currency = _item_facts(item)[0]
        if currency in ("jpy", "krw"):
            kinds.add("zero-decimal currency")
    if params.get("currency") in ("jpy", "krw"):
        kinds.add("zero-decimal currency")
    return kinds


def test_every_kind_of_valid_session_is_drawn() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for raw in draws_in_seeded_runs(session_create_params(), runs=10):
        check_valid(raw, expiry_margin=300)
        counts.update(kinds_of_session(raw))
    expected = {
        "mode=payment", "mode=subscription", "mode=setup", "ui_mode=absent",
        "ui_mode=hosted", "ui_mode=embedded", "price ref", "price_data unit_amount",
        "price_data unit_amount_decimal", "zero-decimal currency",
    }  # fmt: skip
    assert expected <= set(counts), (
        f"starved: {expected - set(counts)}; counts: {counts}"
    )


# Every optional key a valid session may carry, and the optional parts of a
# line item: a session draws only a few optional keys, so none may starve.
OPTIONAL_SESSION_KEYS = {
    "metadata", "client_reference_id", "customer_email", "customer",
    "customer_update", "expires_at", "locale", "billing_address_collection",
    "payment_method_types", "custom_text", "cancel_url", "allow_promotion_codes",
    "phone_number_collection", "tax_id_collection", "custom_fields",
    "automatic_tax", "shipping_address_collection", "shipping_options",
    "customer_creation", "submit_type", "payment_intent_data", "invoice_creation",
    "after_expiration", "payment_method_collection", "subscription_data",
    "setup_intent_data", "redirect_on_completion",
}  # fmt: skip
OPTIONAL_ITEM_PARTS = {
    "adjustable_quantity", "tax_behavior", "recurring[interval_count]",
    "product_data[description]", "product_data[images]", "product_data[metadata]",
    "product_data[tax_code]",
}  # fmt: skip


def optional_parts(raw: dict[str, Any]) -> set[str]:
    parts = set(raw) & OPTIONAL_SESSION_KEYS
    for item in raw.get("line_items", []):
        parts |= set(item) & OPTIONAL_ITEM_PARTS
        data = item.get("price_data", {})
        parts |= set(data) & OPTIONAL_ITEM_PARTS
        parts |= {f"product_data[{k}]" for k in data.get("product_data", {})}
        if "interval_count" in data.get("recurring", {}):
            parts.add("recurring[interval_count]")
    return parts & (OPTIONAL_SESSION_KEYS | OPTIONAL_ITEM_PARTS)


def test_every_optional_key_is_drawn() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for raw in draws_in_seeded_runs(session_create_params(), runs=30):
        counts.update(optional_parts(raw))
    expected = OPTIONAL_SESSION_KEYS | OPTIONAL_ITEM_PARTS
    assert expected <= set(counts), (
        f"starved: {sorted(expected - set(counts))}; counts: {counts}"
    )


def shared_containers(value: Any, seen: dict[int, str], path: str = "") -> list[str]:
    """Paths of dicts and lists already met (in `seen`) at another place."""
    found = []
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            found.append(f"{path} is {seen[id(value)]}")
        seen[id(value)] = path
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            found += shared_containers(child, seen, f"{path}[{key}]")
    return found


def test_draws_are_fresh_trees() -> None:
    """No container is shared by two places of a draw or by two draws.

    Invalid cases and boundaries edit the sessions they start from, and tests
    may edit what they are given: a shared object would leak such an edit.
    """
    kept: list[Any] = []  # alive, so that ids stay unique
    seen: dict[int, str] = {}
    runs = [
        (session_create_params(), 6),
        (boundary_create_params(), 4),
        (invalid_create_params(), 6),
    ]
    for strategy, count in runs:
        for k, drawn in enumerate(draws_in_seeded_runs(strategy, runs=count)):
            params = drawn.params if isinstance(drawn, InvalidCase) else drawn
            kept.append(params)
            assert shared_containers(params, seen, f"draw {k}: ") == []


def test_every_invalid_family_is_drawn_and_breaks_only_its_rule() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for case in draws_in_seeded_runs(invalid_create_params(), runs=60):
        check_invalid(case)
        counts[case.rule] += 1
    missing = set(INVALID_RULES) - set(counts)
    assert not missing, f"starved: {sorted(missing)}; counts: {sorted(counts.items())}"


def test_every_list_family_and_body_kind_is_drawn() -> None:
    lists = collections.Counter(
        case.rule for case in draws_in_seeded_runs(invalid_list_params(), runs=6)
    )
    assert set(INVALID_LIST_RULES) <= set(lists), lists
    bodies = collections.Counter(
        body.description for body in draws_in_seeded_runs(malformed_bodies(), runs=8)
    )
    # Descriptions name the kind (deep nesting and size carry a number).
    kinds = {re.sub(r"\d+", "N", d) for d in bodies}
    assert len(kinds) >= len(MALFORMED_BODY_KINDS), bodies


# --------------------------------------------------------------- shrinking

SHRINK = settings(database=None, max_examples=500, derandomize=True)


MINIMAL_ITEM_KEYS = ({"price", "quantity"}, {"price_data", "quantity"})
MINIMAL_ITEMS = [{"price": price_ref("usd_one_time"), "quantity": 1}]


def test_shrinks_to_one_item_of_quantity_two() -> None:
    found = find(
        session_create_params(),
        lambda p: any(i.get("quantity", 0) > 1 for i in p.get("line_items", [])),
        settings=SHRINK,
    )
    assert set(found) == {"mode", "success_url", "line_items"}, found
    assert found["mode"] == "payment"
    (item,) = found["line_items"]
    assert item["quantity"] == 2
    assert set(item) in MINIMAL_ITEM_KEYS, item


def test_shrinks_subscription_to_one_monthly_item() -> None:
    found = find(
        session_create_params(), lambda p: p["mode"] == "subscription", settings=SHRINK
    )
    assert set(found) == {"mode", "success_url", "line_items"}, found
    (item,) = found["line_items"]
    assert item == {"price": price_ref("usd_monthly"), "quantity": 1}, item


def test_shrinks_price_data_to_its_required_fields() -> None:
    found = find(
        session_create_params(),
        lambda p: any("price_data" in i for i in p.get("line_items", [])),
        settings=SHRINK,
    )
    assert found["mode"] == "payment"
    assert set(found) == {"mode", "success_url", "line_items"}, found
    (item,) = found["line_items"]
    assert set(item["price_data"]) == {"currency", "product_data", "unit_amount"}
    assert item["price_data"]["currency"] == "usd"
    assert item["quantity"] == 1


def test_shrinks_optional_key_to_itself_alone() -> None:
    found = find(session_create_params(), lambda p: "metadata" in p, settings=SHRINK)
    # Either minimal session: one catalogue item in payment mode, or a setup
    # session naming its currency (it has no items, so fewer choices).
    assert found.keys() - {"line_items", "currency"} == {
        "mode", "success_url", "metadata"
    }, found  # fmt: skip
    assert len(found["metadata"]) == 1
    assert found.get("line_items", MINIMAL_ITEMS) == MINIMAL_ITEMS
    assert found.get("currency", "usd") == "usd"


def test_shrinks_embedded_to_return_url() -> None:
    found = find(
        session_create_params(),
        lambda p: p.get("ui_mode") == "embedded",
        settings=SHRINK,
    )
    assert found.keys() - {"line_items", "currency"} == {
        "mode",
        "ui_mode",
        "return_url",
    }


def test_invalid_case_shrinks_to_a_small_base() -> None:
    found = find(
        invalid_create_params(rules=["R-14"]),
        lambda c: "customer_email" in c.params,
        settings=SHRINK,
    )
    assert found.params.keys() - {"line_items", "currency"} <= {
        "mode", "success_url", "customer", "customer_email"
    }, found.params  # fmt: skip


# ------------------------------------------------------------ placeholders


def test_resolution_replaces_every_placeholder_in_a_deep_copy() -> None:
    original = {
        "line_items": [{"price": price_ref("usd_one_time"), "quantity": 1}],
        "customer": customer_ref("alice"),
        "discounts": ({"coupon": coupon_ref("ten_percent_once")},),
        "expires_at": now_plus(3600),
        "created": {"gte": now_plus(-60)},
        "metadata": {"note": "costs <3 and <price:x> inside text stays"},
    }
    snapshot = copy.deepcopy(original)
    out = resolved(original)
    assert out["line_items"][0]["price"] == PRICE_IDS["usd_one_time"]
    assert out["customer"] == CUSTOMER_IDS["alice"]
    assert out["discounts"] == [{"coupon": COUPON_IDS["ten_percent_once"]}]
    assert out["expires_at"] == NOW + 3600
    assert out["created"] == {"gte": NOW - 60}
    assert out["metadata"] == original["metadata"]
    out["line_items"][0]["quantity"] = 7
    out["metadata"]["note"] = "changed"
    assert original == snapshot
    assert out["line_items"] is not original["line_items"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"line_items": [{"price": "<price:nope>"}]},
            r"line_items\[0\]\[price\].*nope",
        ),
        ({"customer": "<customer:carol>"}, "carol"),
        ({"discounts": [{"coupon": "<coupon:ten_percent_once>"}]}, "coupon"),
        ({"expires_at": "<now+soon>"}, "does not parse"),
    ],
)
def test_unresolvable_placeholders_raise(params: dict[str, Any], message: str) -> None:
    with pytest.raises(PlaceholderError, match=message):
        resolve_placeholders(params, prices=PRICE_IDS, customers=CUSTOMER_IDS, now=NOW)


def test_placeholder_builders_check_names() -> None:
    assert now_plus(-5) == "<now-5>"
    assert is_placeholder(price_ref("jpy_monthly"))
    with pytest.raises(InvalidArgument, match="usd_weekly"):
        price_ref("usd_weekly")
    with pytest.raises(InvalidArgument):
        customer_ref("carol")


def test_catalogue_covers_every_currency_and_creates_cleanly() -> None:
    by_kind = {(s.currency, s.is_recurring) for s in PRICE_CATALOGUE.values()}
    for currency in {s.currency for s in PRICE_CATALOGUE.values()}:
        assert {(currency, False), (currency, True)} <= by_kind
    for spec in PRICE_CATALOGUE.values():
        params = spec.create_params()
        assert params["product_data"]["name"]
        assert params["unit_amount"] >= MINIMUM_CHARGE[spec.currency]
        assert ("recurring" in params) == spec.is_recurring
    for customer in CUSTOMER_CATALOGUE.values():
        assert "@" in customer.create_params()["email"]


# --------------------------------------------------------- argument checks


@pytest.mark.parametrize(
    "call",
    [
        lambda: session_create_params(mode="donation"),  # type: ignore[arg-type]
        lambda: session_create_params(mode="setup", price_kind="price"),
        lambda: session_create_params(currency="USD"),
        lambda: invalid_create_params(rules=["R-99"]),
        lambda: invalid_create_params(rules="R-01"),
        lambda: invalid_create_params(enforced_by="sometimes"),  # type: ignore[arg-type]
        lambda: invalid_create_params(
            rules=["unknown-parameter"], enforced_by="conditional"
        ),
        lambda: invalid_list_params(rules=["R-01"]),
        lambda: metadata_updates(existing_keys=[str(k) for k in range(51)]),
    ],
)
def test_bad_arguments_fail_up_front(call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        call()


# ------------------------------------------------------- other endpoints

LIST_KEYS = {
    "limit",
    "status",
    "created",
    "customer",
    "starting_after",
    "ending_before",
}


def list_violations(params: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    if set(params) - LIST_KEYS:
        found.add("unknown-parameter")
    limit = params.get("limit")
    if "limit" in params and not _ints(limit):
        found.add("wrong-type")
    elif _int(limit) and not 1 <= limit <= 100:
        found.add("list-limit-range")
    created = params.get("created")
    bounds = created.values() if isinstance(created, dict) else [created]
    if "created" in params and not all(_ints(b) for b in bounds):
        found.add("wrong-type")
    if "status" in params and params["status"] not in ("open", "complete", "expired"):
        found.add("bad-enum")
    cursors = {"starting_after", "ending_before"} & set(params)
    if len(cursors) == 2:
        found.add("list-cursors-exclusive")
    elif cursors:
        found.add("unknown-cursor")  # valid draws never send cursors
    return found


@settings(max_examples=60, deadline=None, database=None)
@given(list_params(), invalid_list_params())
def test_list_params(valid: dict[str, Any], case: InvalidCase) -> None:
    assert list_violations(resolved(valid)) == set()
    if isinstance(resolved(valid).get("created"), dict):
        bounds = resolved(valid)["created"]
        lower = bounds.get("gte", bounds.get("gt", float("-inf")))
        upper = bounds.get("lte", bounds.get("lt", float("inf")))
        assert lower < upper
    assert list_violations(resolved(dict(case.params))) == {case.rule}, case
    assert case.status == 400
    assert case.error_type == "invalid_request_error"
    assert case.params_accepted
    for param in case.params_accepted - {None}:
        assert str(param).split("[", 1)[0] in LIST_KEYS | set(case.params), param


@settings(max_examples=60, deadline=None, database=None)
@given(st.data())
def test_metadata_updates_stay_within_limits(data: st.DataObject) -> None:
    existing = data.draw(
        st.sets(st.sampled_from([f"k{i}" for i in range(60)]), max_size=50)
    )
    update = data.draw(metadata_updates(existing_keys=existing))
    assert set(update) == {"metadata"}
    if update["metadata"] == "":
        return
    merged = dict.fromkeys(existing, "v")
    for key, value in update["metadata"].items():
        assert len(key) <= 40
        assert len(value) <= 500
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    assert update["metadata"]
    assert len(merged) <= 50


@settings(max_examples=100, deadline=None, database=None)
@given(idempotency_keys())
def test_idempotency_keys_are_printable_ascii(key: str) -> None:
    assert 0 < len(key) <= 255
    assert all(" " <= c <= "~" for c in key)
    assert key == key.strip()


@settings(max_examples=40, deadline=None, database=None)
@given(malformed_bodies())
def test_malformed_bodies_never_hold_a_valid_session(body: Any) -> None:
    assert isinstance(body.body, bytes)
    assert body.description
    # No body names where to send the customer, so none can be a valid session.
    assert b"success_url=http" not in body.body
    assert b"return_url" not in body.body


# ----------------------------------------- second opinion: the spec itself

SPEC = (
    Path(__file__).parents[3] / "shared/reference/openapi/checkout-sessions.spec3.json"
)
needs_spec = pytest.mark.skipif(
    not SPEC.exists(), reason=f"the OpenAPI spec is not at {SPEC}"
)


def _create_validator() -> Any:
    from jsonschema import Draft4Validator

    spec = json.loads(SPEC.read_text())
    body = spec["paths"]["/v1/checkout/sessions"]["post"]["requestBody"]
    return Draft4Validator(
        body["content"]["application/x-www-form-urlencoded"]["schema"]
    )


def _spec_errors(validator: Any, params: dict[str, Any]) -> list[str]:
    # maxLength counts: R-17 lengths are schema cases (the spec states them).
    return [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(params)
    ]


@needs_spec
@pytest.mark.parametrize("variant", invalid_variants())
def test_spec_agrees_with_enforced_by(variant: str) -> None:
    validator = _create_validator()

    @settings(max_examples=5, deadline=None, database=None)
    @given(session_create_params(), invalid_create_params(variants=[variant]))
    def check(raw: dict[str, Any], case: InvalidCase) -> None:
        assert list(validator.iter_errors(resolved(raw))) == []
        errors = _spec_errors(validator, resolved(dict(case.params)))
        assert bool(errors) == (case.enforced_by == "schema"), (
            case.description,
            errors,
        )

    check()


def test_checker_rejects_what_it_should() -> None:
    """The checker itself can fail: a few hand-made breaks it must see."""
    base: dict[str, Any] = {
        "mode": "payment",
        "success_url": "https://example.com/",
        "line_items": [
            {"price_data": {"currency": "usd", "product_data": {"name": "x"},
                            "unit_amount": 100}, "quantity": 1}
        ],
    }  # fmt: skip
    assert violations(base) == set()
    broken = copy.deepcopy(base)
    broken["line_items"][0]["quantity"] = 0
    assert violations(broken) == {"R-06"}
    broken = copy.deepcopy(base)
    broken["ui_mode"] = "embedded"
    assert violations(broken) == {"R-08"}
    broken = copy.deepcopy(base)
    broken["line_items"][0]["price_data"]["currency"] = string.ascii_lowercase[:3]
    assert violations(broken) == {"R-15"}


# ------------------------------------- every spec parameter in a valid request


def test_spec_param_requests_hold_every_sendable_parameter() -> None:
    """Together the fixed requests hold every listed parameter but the unsendable
    ones, nothing the list lacks, and no unsendable one."""
    held: set[str] = set()
    for name, params in SPEC_PARAM_REQUESTS.items():
        paths = param_paths(params)
        assert paths <= set(SPEC_CREATE_PARAMS), (name, paths - set(SPEC_CREATE_PARAMS))
        held |= paths
    assert held.isdisjoint(UNSENDABLE), sorted(held & set(UNSENDABLE))
    assert set(UNSENDABLE) <= set(SPEC_CREATE_PARAMS)
    assert held | set(UNSENDABLE) == set(SPEC_CREATE_PARAMS), sorted(
        set(SPEC_CREATE_PARAMS) - held - set(UNSENDABLE)
    )


def test_param_paths_spells_parameters_as_the_list() -> None:
    paths = param_paths(
        {
            "mode": "payment",
            "metadata": {"a": "b"},
            "line_items": [{"price_data": {"product_data": {"images": ["u"]}}}],
            "bogus": {"x": 1},
        }
    )
    assert paths == {
        "mode",
        "metadata",
        "line_items[][price_data][product_data][images]",
        "bogus[x]",
    }


def _spec_leaves(node: dict[str, Any], path: str = "") -> list[str]:
    options = node.get("anyOf", [node])
    objects = [o for o in options if o.get("type") == "object" and "properties" in o]
    arrays = [o for o in options if o.get("type") == "array"]
    if objects:
        return [
            leaf
            for key, child in objects[0]["properties"].items()
            for leaf in _spec_leaves(child, f"{path}[{key}]" if path else key)
        ]
    if arrays and "properties" in arrays[0]["items"]:
        return [
            leaf
            for key, child in arrays[0]["items"]["properties"].items()
            for leaf in _spec_leaves(child, f"{path}[][{key}]")
        ]
    return [path]


@needs_spec
def test_spec_create_params_are_the_specs() -> None:
    spec = json.loads(SPEC.read_text())
    body = spec["paths"]["/v1/checkout/sessions"]["post"]["requestBody"]
    schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert sorted(SPEC_CREATE_PARAMS) == sorted(_spec_leaves(schema))


@needs_spec
@pytest.mark.parametrize("name", list(SPEC_PARAM_REQUESTS))
def test_spec_param_requests_are_valid_by_the_spec(name: str) -> None:
    validator = _create_validator()
    assert _spec_errors(validator, resolved(SPEC_PARAM_REQUESTS[name])) == []


def test_a_malformed_body_prints_short():
    """Hypothesis prints failing examples with repr: a flood body is shown by its
    first 200 bytes and its length, a short one whole."""
    from strategies import MalformedBody

    flood = repr(MalformedBody(b"a" * 3_000_000, "flood"))
    assert len(flood) < 300
    assert "2999800 more bytes" in flood
    assert repr(MalformedBody(b"x=1", "small")) == "MalformedBody(b'x=1', 'small')"
