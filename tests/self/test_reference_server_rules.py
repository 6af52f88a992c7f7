"""Every create rule of catalogue §2.3 (and the schema-level checks) with one valid
and one violating request each, asserting status, error type, code and param.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from reference_server import ReferenceServer
from tests.self.test_reference_server_support import (
    EMBEDDED,
    PAYMENT,
    SETUP,
    SUBSCRIPTION,
    Client,
    Pairs,
    items,
    without,
)

Body = Pairs | Callable[[Client], Pairs]
LI = "line_items[0]"
PD = "line_items[0][price_data]"


@dataclass(frozen=True)
class Case:
    """A rule: a request that passes it, one that violates it, and the refusal."""

    rule: str
    name: str
    valid: Body
    invalid: Body
    param: str | None
    code: str | None = None


def _now() -> int:
    return int(time.time())


def _price(client: Client, *pairs: tuple[str, str]) -> str:
    reply = client.post(
        "/v1/prices",
        [
            ("currency", "usd"),
            ("unit_amount", "500"),
            ("product_data[name]", "P"),
            *pairs,
        ],
    )
    assert reply.status == 200, reply.raw
    return str(reply.body["id"])


def _decimal_price(client: Client, unit_amount_decimal: str) -> Pairs:
    """A payment body whose one line item uses a new stored decimal price."""
    reply = client.post(
        "/v1/prices",
        [
            ("currency", "usd"),
            ("unit_amount_decimal", unit_amount_decimal),
            ("product_data[name]", "P"),
        ],
    )
    assert reply.status == 200, reply.raw
    return [
        *without(PAYMENT, "line_items"),
        (f"{LI}[price]", str(reply.body["id"])),
        (f"{LI}[quantity]", "1"),
    ]


def _customer(client: Client) -> str:
    reply = client.post("/v1/customers", [("email", "buyer@example.com")])
    assert reply.status == 200, reply.raw
    return str(reply.body["id"])


def _with_price(client: Client, **recurring: str) -> Pairs:
    extra = [(f"recurring[{key}]", value) for key, value in recurring.items()]
    price = _price(client, *extra)
    base = without(PAYMENT, "line_items")
    if recurring:
        base = [("mode", "subscription"), *without(base, "mode")]
    return [*base, (f"{LI}[price]", price), (f"{LI}[quantity]", "1")]


def _shipping(count: int) -> list[tuple[str, str]]:
    pairs = []
    for index in range(count):
        prefix = f"shipping_options[{index}][shipping_rate_data]"
        pairs += [
            (f"{prefix}[display_name]", f"Option {index}"),
            (f"{prefix}[type]", "fixed_amount"),
            (f"{prefix}[fixed_amount][amount]", "500"),
            (f"{prefix}[fixed_amount][currency]", "usd"),
        ]
    return pairs


def _custom_fields(count: int) -> list[tuple[str, str]]:
    pairs = []
    for index in range(count):
        prefix = f"custom_fields[{index}]"
        pairs += [
            (f"{prefix}[key]", f"field{index}"),
            (f"{prefix}[label][type]", "custom"),
            (f"{prefix}[label][custom]", f"Field {index}"),
            (f"{prefix}[type]", "text"),
        ]
    return pairs


def _metadata(count: int, prefix: str = "metadata") -> list[tuple[str, str]]:
    return [(f"{prefix}[k{index}]", "v") for index in range(count)]


def _set(pairs: Pairs, key: str, value: str) -> list[tuple[str, str]]:
    result = [(k, v) for k, v in pairs if k != key]
    return [*result, (key, value)]


def _embedded(
    *extra: tuple[str, str], drop: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    return [*without(EMBEDDED, *drop), *extra]


def _payment_items(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*without(PAYMENT, "line_items"), *pairs]


def _subscription_items(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*without(SUBSCRIPTION, "line_items"), *pairs]


CASES = [
    # -- R-01 mode -------------------------------------------------------------
    Case(
        "R-01",
        "mode missing",
        PAYMENT,
        without(PAYMENT, "mode"),
        "mode",
        "parameter_missing",
    ),
    Case("R-01", "mode enum", PAYMENT, _set(PAYMENT, "mode", "donation"), "mode"),
    # -- R-02 / R-03 line items by mode ----------------------------------------
    Case(
        "R-02",
        "payment needs line_items",
        PAYMENT,
        without(PAYMENT, "line_items"),
        "line_items",
        "parameter_missing",
    ),
    Case(
        "R-02",
        "subscription needs line_items",
        SUBSCRIPTION,
        without(SUBSCRIPTION, "line_items"),
        "line_items",
        "parameter_missing",
    ),
    Case("R-03", "setup refuses line_items", SETUP, [*SETUP, *items(1)], "line_items"),
    # -- R-04 counts -----------------------------------------------------------
    Case(
        "R-04",
        "payment at most 100 items",
        _payment_items(items(100)),
        _payment_items(items(101)),
        "line_items",
    ),
    Case(
        "R-04",
        "subscription at most 20 recurring",
        _subscription_items(items(20, recurring=True) + items(20, start=20)),
        _subscription_items(items(21, recurring=True)),
        "line_items",
    ),
    Case(
        "R-04",
        "subscription at most 20 one-time",
        _subscription_items(items(1, recurring=True) + items(20, start=1)),
        _subscription_items(items(1, recurring=True) + items(21, start=1)),
        "line_items",
    ),
    # -- R-05 exclusivity ------------------------------------------------------
    Case(
        "R-05",
        "price and price_data",
        _with_price,
        lambda c: [*_with_price(c), (f"{PD}[currency]", "usd")],
        f"{PD}",
    ),
    Case("R-05", "neither price nor price_data", PAYMENT, without(PAYMENT, PD), LI),
    Case(
        "R-05",
        "product and product_data",
        PAYMENT,
        [*PAYMENT, (f"{PD}[product]", "prod_x")],
        f"{PD}[product_data]",
    ),
    Case(
        "R-05",
        "neither product nor product_data",
        PAYMENT,
        without(PAYMENT, f"{PD}[product_data]"),
        PD,
    ),
    Case(
        "R-05",
        "unit_amount and unit_amount_decimal",
        PAYMENT,
        [*PAYMENT, (f"{PD}[unit_amount_decimal]", "10.5")],
        f"{PD}[unit_amount_decimal]",
    ),
    Case(
        "R-05",
        "no unit amount",
        _set(
            without(PAYMENT, f"{PD}[unit_amount]"),
            f"{PD}[unit_amount_decimal]",
            "999.000",
        ),
        without(PAYMENT, f"{PD}[unit_amount]"),
        PD,
    ),
    # -- R-06 quantity ---------------------------------------------------------
    Case(
        "R-06",
        "quantity 0",
        PAYMENT,
        _set(PAYMENT, f"{LI}[quantity]", "0"),
        f"{LI}[quantity]",
        "parameter_invalid_integer",
    ),
    Case(
        "R-06",
        "quantity negative",
        _set(PAYMENT, f"{LI}[quantity]", "7"),
        _set(PAYMENT, f"{LI}[quantity]", "-2"),
        f"{LI}[quantity]",
        "parameter_invalid_integer",
    ),
    Case("R-06", "quantity missing", PAYMENT, without(PAYMENT, f"{LI}[quantity]"), LI),
    Case(
        "R-06",
        "adjustable maximum",
        [
            *PAYMENT,
            (f"{LI}[adjustable_quantity][enabled]", "true"),
            (f"{LI}[adjustable_quantity][maximum]", "999999"),
        ],
        [
            *PAYMENT,
            (f"{LI}[adjustable_quantity][enabled]", "true"),
            (f"{LI}[adjustable_quantity][maximum]", "1000000"),
        ],
        f"{LI}[adjustable_quantity][maximum]",
        "parameter_invalid_integer",
    ),
    Case(
        "R-06",
        "quantity within adjustable bounds",
        [
            *_set(PAYMENT, f"{LI}[quantity]", "5"),
            (f"{LI}[adjustable_quantity][enabled]", "true"),
            (f"{LI}[adjustable_quantity][minimum]", "5"),
        ],
        [
            *_set(PAYMENT, f"{LI}[quantity]", "4"),
            (f"{LI}[adjustable_quantity][enabled]", "true"),
            (f"{LI}[adjustable_quantity][minimum]", "5"),
        ],
        f"{LI}[quantity]",
    ),
    Case(
        "R-06",
        "adjustable needs enabled",
        [*PAYMENT, (f"{LI}[adjustable_quantity][enabled]", "false")],
        [*PAYMENT, (f"{LI}[adjustable_quantity][maximum]", "5")],
        f"{LI}[adjustable_quantity][enabled]",
        "parameter_missing",
    ),
    # -- R-07 recurring by mode ------------------------------------------------
    Case(
        "R-07",
        "subscription needs a recurring item",
        SUBSCRIPTION,
        without(SUBSCRIPTION, f"{PD}[recurring]"),
        "line_items",
    ),
    Case(
        "R-07",
        "payment refuses recurring price_data",
        PAYMENT,
        [*PAYMENT, (f"{PD}[recurring][interval]", "month")],
        f"{PD}[recurring]",
    ),
    Case(
        "R-07",
        "payment refuses a recurring price",
        _with_price,
        lambda c: [
            ("mode", "payment"),
            *without(_with_price(c, interval="month"), "mode"),
        ],
        f"{LI}[price]",
    ),
    # -- ui_mode and URLs ------------------------------------------
    Case(
        "R-08",
        "hosted needs success_url",
        PAYMENT,
        without(PAYMENT, "success_url"),
        "success_url",
        "parameter_missing",
    ),
    Case(
        "R-08",
        "hosted refuses return_url",
        [*PAYMENT, ("cancel_url", "https://example.com/c")],
        [*PAYMENT, ("return_url", "https://example.com/r")],
        "return_url",
    ),
    Case(
        "R-08",
        "embedded refuses success_url",
        EMBEDDED,
        [*EMBEDDED, ("success_url", "https://example.com/s")],
        "success_url",
    ),
    Case(
        "R-08",
        "embedded refuses cancel_url",
        EMBEDDED,
        [*EMBEDDED, ("cancel_url", "https://example.com/c")],
        "cancel_url",
    ),
    Case(
        "R-08",
        "embedded needs return_url",
        EMBEDDED,
        _embedded(drop=("return_url",)),
        "return_url",
        "parameter_missing",
    ),
    Case(
        "R-08",
        "never refuses return_url",
        _embedded(("redirect_on_completion", "never"), drop=("return_url",)),
        _embedded(("redirect_on_completion", "never")),
        "return_url",
    ),
    Case(
        "R-09",
        "hosted refuses redirect_on_completion",
        PAYMENT,
        [*PAYMENT, ("redirect_on_completion", "always")],
        "redirect_on_completion",
    ),
    Case(
        "R-09",
        "redirect_on_completion enum",
        _embedded(("redirect_on_completion", "if_required")),
        _embedded(("redirect_on_completion", "sometimes")),
        "redirect_on_completion",
    ),
    # -- R-11..R-13, R-19, R-20 mode-scoped parameters -------------------------
    Case(
        "R-11",
        "payment_intent_data only in payment",
        [*PAYMENT, ("payment_intent_data[capture_method]", "manual")],
        [*SETUP, ("payment_intent_data[capture_method]", "manual")],
        "payment_intent_data",
    ),
    Case(
        "R-11",
        "subscription_data only in subscription",
        [*SUBSCRIPTION, ("subscription_data[description]", "d")],
        [*PAYMENT, ("subscription_data[description]", "d")],
        "subscription_data",
    ),
    Case(
        "R-11",
        "setup_intent_data only in setup",
        [*SETUP, ("setup_intent_data[description]", "d")],
        [*PAYMENT, ("setup_intent_data[description]", "d")],
        "setup_intent_data",
    ),
    Case(
        "R-12",
        "customer_creation not in subscription",
        [*SETUP, ("customer_creation", "always")],
        [*SUBSCRIPTION, ("customer_creation", "always")],
        "customer_creation",
    ),
    Case(
        "R-13",
        "payment_method_collection only in subscription",
        [*SUBSCRIPTION, ("payment_method_collection", "if_required")],
        [*PAYMENT, ("payment_method_collection", "if_required")],
        "payment_method_collection",
    ),
    Case(
        "R-19",
        "submit_type only in payment",
        [*PAYMENT, ("submit_type", "donate")],
        [*SUBSCRIPTION, ("submit_type", "pay")],
        "submit_type",
    ),
    Case(
        "R-19",
        "submit_type enum of 2024-04-10",
        [*PAYMENT, ("submit_type", "book")],
        [*PAYMENT, ("submit_type", "subscribe")],
        "submit_type",
    ),
    Case(
        "R-20",
        "phone_number_collection not in setup",
        [*SUBSCRIPTION, ("phone_number_collection[enabled]", "true")],
        [*SETUP, ("phone_number_collection[enabled]", "true")],
        "phone_number_collection",
    ),
    Case(
        "R-20",
        "saved_payment_method_options not in setup",
        [*PAYMENT, ("saved_payment_method_options[payment_method_save]", "enabled")],
        [*SETUP, ("saved_payment_method_options[payment_method_save]", "enabled")],
        "saved_payment_method_options",
    ),
    Case(
        "R-19",
        "submit_type not in setup",
        [*PAYMENT, ("submit_type", "pay")],
        [*SETUP, ("submit_type", "pay")],
        "submit_type",
    ),
    Case(
        "§12.8",
        "allow_promotion_codes not in setup",
        [*SUBSCRIPTION, ("allow_promotion_codes", "true")],
        [*SETUP, ("allow_promotion_codes", "true")],
        "allow_promotion_codes",
    ),
    Case(
        "§12.8",
        "allow_promotion_codes=false not in setup",
        [*PAYMENT, ("allow_promotion_codes", "false")],
        [*SETUP, ("allow_promotion_codes", "false")],
        "allow_promotion_codes",
    ),
    # -- R-14 customer ---------------------------------------------------------
    Case(
        "R-14",
        "customer or customer_email",
        lambda c: [*PAYMENT, ("customer", _customer(c))],
        lambda c: [
            *PAYMENT,
            ("customer", _customer(c)),
            ("customer_email", "a@example.com"),
        ],
        "customer_email",
    ),
    Case(
        "R-14",
        "customer_update needs customer",
        lambda c: [
            *PAYMENT,
            ("customer", _customer(c)),
            ("customer_update[name]", "auto"),
        ],
        [*PAYMENT, ("customer_update[name]", "auto")],
        "customer_update",
    ),
    Case(
        "R-14",
        "customer must exist",
        lambda c: [*PAYMENT, ("customer", _customer(c))],
        [*PAYMENT, ("customer", "cus_doesnotexist")],
        "customer",
        "resource_missing",
    ),
    Case(
        "R-05",
        "price must exist",
        _with_price,
        _set(without(PAYMENT, PD), f"{LI}[price]", "price_doesnotexist"),
        f"{LI}[price]",
        "resource_missing",
    ),
    # -- R-15 currency ---------------------------------------------------------
    Case(
        "R-15",
        "setup needs currency",
        [*without(SETUP, "currency"), ("payment_method_types[0]", "card")],
        without(SETUP, "currency"),
        "currency",
        "parameter_missing",
    ),
    Case(
        "R-15",
        "currency lowercase",
        PAYMENT,
        _set(PAYMENT, f"{PD}[currency]", "USD"),
        f"{PD}[currency]",
    ),
    Case(
        "R-15",
        "currency supported",
        _set(SETUP, "currency", "eur"),
        _set(SETUP, "currency", "xyz"),
        "currency",
    ),
    Case(
        "R-15",
        "one currency per session",
        _payment_items(items(2)),
        _set(_payment_items(items(2)), "line_items[1][price_data][currency]", "eur"),
        "line_items[1][price_data][currency]",
    ),
    # -- R-16 expires_at -------------------------------------------------------
    Case(
        "R-16",
        "expires_at at least 30 min",
        lambda c: [*PAYMENT, ("expires_at", str(_now() + 1810))],
        lambda c: [*PAYMENT, ("expires_at", str(_now() + 1790))],
        "expires_at",
    ),
    Case(
        "R-16",
        "expires_at at most 24 h",
        lambda c: [*PAYMENT, ("expires_at", str(_now() + 86390))],
        lambda c: [*PAYMENT, ("expires_at", str(_now() + 86410))],
        "expires_at",
    ),
    # -- R-17 strings ----------------------------------------------------------
    Case(
        "R-17",
        "client_reference_id <= 200",
        [*PAYMENT, ("client_reference_id", "x" * 200)],
        [*PAYMENT, ("client_reference_id", "x" * 201)],
        "client_reference_id",
    ),
    Case(
        "R-17",
        "customer_email <= 800",
        [*PAYMENT, ("customer_email", "a" * 780 + "@example.com")],
        [*PAYMENT, ("customer_email", "a" * 790 + "@example.com")],
        "customer_email",
    ),
    Case(
        "R-17",
        "customer_email is an address",
        [*PAYMENT, ("customer_email", "a@b.co")],
        [*PAYMENT, ("customer_email", "not-an-email")],
        "customer_email",
        "email_invalid",
    ),
    Case(
        "R-17",
        "success_url <= 5000",
        _set(PAYMENT, "success_url", "https://example.com/" + "s" * 4980),
        _set(PAYMENT, "success_url", "https://example.com/" + "s" * 4981),
        "success_url",
    ),
    Case(
        "R-17",
        "success_url is a URL",
        _set(
            PAYMENT, "success_url", "http://localhost:8000/ok?id={CHECKOUT_SESSION_ID}"
        ),
        _set(PAYMENT, "success_url", "example.com/ok"),
        "success_url",
        "url_invalid",
    ),
    # -- R-18 metadata ---------------------------------------------------------
    Case(
        "R-18",
        "at most 50 keys",
        [*PAYMENT, *_metadata(50)],
        [*PAYMENT, *_metadata(51)],
        "metadata",
    ),
    Case(
        "R-18",
        "key at most 40",
        [*PAYMENT, ("metadata[" + "k" * 40 + "]", "v")],
        [*PAYMENT, ("metadata[" + "k" * 41 + "]", "v")],
        "metadata[" + "k" * 41 + "]",
    ),
    Case(
        "R-18",
        "value at most 500",
        [*PAYMENT, ("metadata[k]", "v" * 500)],
        [*PAYMENT, ("metadata[k]", "v" * 501)],
        "metadata[k]",
    ),
    Case(
        "R-18",
        "no brackets in keys",
        [*PAYMENT, ("metadata[a-b]", "v")],
        [*PAYMENT, ("metadata[a[b]]", "v")],
        "metadata[a[b]]",
    ),
    Case(
        "R-18",
        "nested metadata too",
        [*PAYMENT, *_metadata(50, f"{PD}[product_data][metadata]")],
        [*PAYMENT, *_metadata(51, f"{PD}[product_data][metadata]")],
        f"{PD}[product_data][metadata]",
    ),
    # -- R-21..R-24 ------------------------------------------------------------
    Case(
        "R-21",
        "promotion codes or discounts",
        [*PAYMENT, ("allow_promotion_codes", "true")],
        [*PAYMENT, ("allow_promotion_codes", "false"), ("discounts[0][coupon]", "c")],
        "discounts",
    ),
    Case(
        "R-22",
        "at most one discount",
        [*PAYMENT, ("allow_promotion_codes", "true")],
        [*PAYMENT, ("discounts[0][coupon]", "a"), ("discounts[1][coupon]", "b")],
        "discounts",
    ),
    Case(
        "R-23",
        "at most 5 shipping options",
        [*PAYMENT, *_shipping(5)],
        [*PAYMENT, *_shipping(6)],
        "shipping_options",
    ),
    Case(
        "R-23",
        "at most 3 custom fields",
        [*PAYMENT, *_custom_fields(3)],
        [*PAYMENT, *_custom_fields(4)],
        "custom_fields",
    ),
    Case(
        "R-23",
        "at most 8 images",
        [
            *PAYMENT,
            *[
                (f"{PD}[product_data][images][{i}]", f"https://example.com/{i}.png")
                for i in range(8)
            ],
        ],
        [
            *PAYMENT,
            *[
                (f"{PD}[product_data][images][{i}]", f"https://example.com/{i}.png")
                for i in range(9)
            ],
        ],
        f"{PD}[product_data][images]",
    ),
    Case(
        "R-24",
        "trial_period_days >= 1",
        [*SUBSCRIPTION, ("subscription_data[trial_period_days]", "1")],
        [*SUBSCRIPTION, ("subscription_data[trial_period_days]", "0")],
        "subscription_data[trial_period_days]",
        "parameter_invalid_integer",
    ),
    Case(
        "R-24",
        "trial_end >= 48 h ahead",
        lambda c: [
            *SUBSCRIPTION,
            ("subscription_data[trial_end]", str(_now() + 49 * 3600)),
        ],
        lambda c: [
            *SUBSCRIPTION,
            ("subscription_data[trial_end]", str(_now() + 47 * 3600)),
        ],
        "subscription_data[trial_end]",
    ),
    # -- enums -----------------------------------------------------
    Case(
        "R-25",
        "payment_method_types enum",
        [
            *PAYMENT,
            ("payment_method_types[0]", "card"),
            ("payment_method_types[1]", "link"),
        ],
        [
            *PAYMENT,
            ("payment_method_types[0]", "card"),
            ("payment_method_types[1]", "bitcoin"),
        ],
        "payment_method_types[1]",
    ),
    Case(
        "R-26",
        "locale enum",
        [*PAYMENT, ("locale", "fr-CA")],
        [*PAYMENT, ("locale", "xx")],
        "locale",
    ),
    Case(
        "R-26",
        "billing_address_collection enum",
        [*PAYMENT, ("billing_address_collection", "required")],
        [*PAYMENT, ("billing_address_collection", "sometimes")],
        "billing_address_collection",
    ),
    Case(
        "R-26",
        "customer_creation enum",
        [*PAYMENT, ("customer_creation", "if_required")],
        [*PAYMENT, ("customer_creation", "never")],
        "customer_creation",
    ),
    # -- amounts and intervals -------------------------------------
    Case(
        "R-27",
        "unit_amount >= 0",
        _set(PAYMENT, f"{PD}[unit_amount]", "0"),
        _set(PAYMENT, f"{PD}[unit_amount]", "-1"),
        f"{PD}[unit_amount]",
        "parameter_invalid_integer",
    ),
    Case(
        "R-27",
        "unit_amount capped",
        _set(PAYMENT, f"{PD}[unit_amount]", "99999999"),
        _set(PAYMENT, f"{PD}[unit_amount]", "100000000"),
        f"{PD}[unit_amount]",
        "parameter_invalid_integer",
    ),
    Case(
        "R-27",
        "amount due capped",
        _set(PAYMENT, f"{LI}[quantity]", "99999"),
        _set(_set(PAYMENT, f"{PD}[unit_amount]", "99999999"), f"{LI}[quantity]", "2"),
        "line_items",
    ),
    Case(
        "R-28",
        "at most 36 months",
        [*SUBSCRIPTION, (f"{PD}[recurring][interval_count]", "36")],
        [*SUBSCRIPTION, (f"{PD}[recurring][interval_count]", "37")],
        f"{PD}[recurring][interval_count]",
    ),
    Case(
        "R-28",
        "at most 3 years",
        _set(
            _set(SUBSCRIPTION, f"{PD}[recurring][interval]", "year"),
            f"{PD}[recurring][interval_count]",
            "3",
        ),
        _set(
            _set(SUBSCRIPTION, f"{PD}[recurring][interval]", "year"),
            f"{PD}[recurring][interval_count]",
            "4",
        ),
        f"{PD}[recurring][interval_count]",
    ),
    # -- L-03 prices finer than the currency's minor unit -----------------------
    Case(
        "L-03",
        "usd decimal finer than a cent",
        _set(
            without(PAYMENT, f"{PD}[unit_amount]"), f"{PD}[unit_amount_decimal]", "1000"
        ),
        _set(
            without(PAYMENT, f"{PD}[unit_amount]"), f"{PD}[unit_amount_decimal]", "10.5"
        ),
        LI,
    ),
    Case(
        "L-03",
        "jpy decimal finer than a yen",
        _set(
            _set(without(PAYMENT, f"{PD}[unit_amount]"), f"{PD}[currency]", "jpy"),
            f"{PD}[unit_amount_decimal]",
            "100.000",
        ),
        _set(
            _set(without(PAYMENT, f"{PD}[unit_amount]"), f"{PD}[currency]", "jpy"),
            f"{PD}[unit_amount_decimal]",
            "100.5",
        ),
        LI,
    ),
    Case(
        "L-03",
        "the param names the offending item",
        _payment_items(items(2)),
        [
            *without(
                _payment_items(items(2)), "line_items[1][price_data][unit_amount]"
            ),
            ("line_items[1][price_data][unit_amount_decimal]", "0.1"),
        ],
        "line_items[1]",
    ),
    Case(
        "L-03",
        "stored price finer than a cent",
        lambda c: _decimal_price(c, "1250"),
        lambda c: _decimal_price(c, "1250.25"),
        LI,
    ),
    # -- schema-level checks ---------------------------------------------------
    Case(
        "schema",
        "unknown top-level",
        PAYMENT,
        [*PAYMENT, ("colour", "red")],
        "colour",
        "parameter_unknown",
    ),
    Case(
        "schema",
        "unknown nested",
        PAYMENT,
        [*PAYMENT, (f"{PD}[colour]", "red")],
        f"{PD}[colour]",
        "parameter_unknown",
    ),
    Case(
        "schema",
        "newer parameter is unknown",
        PAYMENT,
        [*PAYMENT, ("excluded_payment_method_types[0]", "card")],
        "excluded_payment_method_types",
        "parameter_unknown",
    ),
    Case(
        "schema",
        "integer",
        PAYMENT,
        _set(PAYMENT, f"{LI}[quantity]", "two"),
        f"{LI}[quantity]",
        "parameter_invalid_integer",
    ),
    Case(
        "schema",
        "boolean",
        [*PAYMENT, ("allow_promotion_codes", "false")],
        [*PAYMENT, ("allow_promotion_codes", "yes")],
        "allow_promotion_codes",
    ),
    Case(
        "schema",
        "empty string",
        [*PAYMENT, ("client_reference_id", "ref")],
        [*PAYMENT, ("client_reference_id", "")],
        "client_reference_id",
        "parameter_invalid_empty",
    ),
    Case(
        "schema",
        "ui_mode enum of 2024-04-10",
        EMBEDDED,
        _set(EMBEDDED, "ui_mode", "embedded_page"),
        "ui_mode",
    ),
    Case(
        "schema",
        "object given as string",
        [*PAYMENT, ("metadata", "")],
        [*PAYMENT, ("metadata", "x")],
        "metadata",
    ),
    Case(
        "schema",
        "array given as string",
        PAYMENT,
        [*without(PAYMENT, "line_items"), ("line_items", "x")],
        "line_items",
    ),
    Case(
        "schema",
        "array mixed with object keys",
        PAYMENT,
        [*PAYMENT, ("line_items[x][quantity]", "1")],
        "line_items",
    ),
    Case(
        "schema",
        "nested required",
        PAYMENT,
        without(PAYMENT, f"{PD}[currency]"),
        f"{PD}[currency]",
        "parameter_missing",
    ),
    Case(
        "schema",
        "64-bit integers",
        PAYMENT,
        [*PAYMENT, ("expires_at", "9" * 25)],
        "expires_at",
        "parameter_invalid_integer",
    ),
]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with ReferenceServer() as server, Client(server.url) as connection:
        yield connection


def _body(body: Body, client: Client) -> Pairs:
    return body(client) if callable(body) else body


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{case.rule} {case.name}" for case in CASES]
)
def test_rule(client: Client, case: Case) -> None:
    accepted = client.post("/v1/checkout/sessions", _body(case.valid, client))
    assert accepted.status == 200, accepted.raw[:600]
    refused = client.post("/v1/checkout/sessions", _body(case.invalid, client))
    assert refused.status == 400, refused.raw[:600]
    assert refused.error["type"] == "invalid_request_error"
    assert refused.error.get("param") == case.param, refused.error
    assert refused.error.get("code") == case.code, refused.error
    assert refused.headers["request-id"].startswith("req_")


def test_every_rule_of_the_catalogue_has_a_case() -> None:
    covered = {case.rule for case in CASES}
    expected = {f"R-{number:02d}" for number in range(1, 29)} - {"R-10"}
    assert expected <= covered, sorted(expected - covered)


def _decimal_item(currency: str, unit_amount_decimal: str) -> list[tuple[str, str]]:
    return [
        *without(PAYMENT, f"{PD}[unit_amount]", f"{PD}[currency]"),
        (f"{PD}[currency]", currency),
        (f"{PD}[unit_amount_decimal]", unit_amount_decimal),
    ]


def test_sub_cent_price_is_refused_with_checkouts_wording(client: Client) -> None:
    refused = client.post("/v1/checkout/sessions", _decimal_item("usd", "0.1"))
    assert refused.status == 400, refused.raw[:600]
    assert refused.error["message"] == (
        "Checkout does not currently support usd prices with more than 2 decimal "
        "places in `line_items[0]`. You passed `0.1` corresponding to `$0.001`, "
        "which is not supported. You can round your price and pass in "
        "`unit_amount: 0` or `unit_amount: 1` instead."
    )


def test_sub_yen_price_names_zero_decimal_places(client: Client) -> None:
    refused = client.post("/v1/checkout/sessions", _decimal_item("jpy", "100.5"))
    assert refused.status == 400, refused.raw[:600]
    message = refused.error["message"]
    assert "jpy prices with more than 0 decimal places in `line_items[0]`" in message
    assert "`unit_amount: 100` or `unit_amount: 101`" in message


def test_whole_decimal_prices_bill_exactly(client: Client) -> None:
    pairs = [
        *_set(_decimal_item("usd", "1000.000"), f"{LI}[quantity]", "3"),
        ("expand[]", "line_items"),
    ]
    session = client.create(pairs)
    item = session["line_items"]["data"][0]
    assert item["price"]["unit_amount"] == 1000
    assert item["amount_subtotal"] == item["amount_total"] == 3000
    assert session["amount_subtotal"] == session["amount_total"] == 3000


SETUP_ONLY_REFUSALS = [
    ("line_items", items(1)),
    ("allow_promotion_codes", [("allow_promotion_codes", "false")]),
    ("submit_type", [("submit_type", "auto")]),
    ("phone_number_collection", [("phone_number_collection[enabled]", "false")]),
    (
        "saved_payment_method_options",
        [("saved_payment_method_options[payment_method_save]", "disabled")],
    ),
]


@pytest.mark.parametrize(
    ("name", "extra"), SETUP_ONLY_REFUSALS, ids=[n for n, _ in SETUP_ONLY_REFUSALS]
)
def test_setup_mode_refusals_use_the_confirmed_wording(
    client: Client, name: str, extra: list[tuple[str, str]]
) -> None:
    refused = client.post("/v1/checkout/sessions", [*SETUP, *extra])
    assert refused.status == 400, refused.raw[:600]
    assert refused.error["type"] == "invalid_request_error"
    assert refused.error["message"] == f"You can not pass `{name}` in `setup` mode."
    assert refused.error.get("param") == name
    assert refused.error.get("code") is None
