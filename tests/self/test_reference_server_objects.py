"""The objects the reference server returns: sessions, line items, prices,
customers, and how retrieve, expire and update change them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from reference_server import ReferenceServer
from tests.self.test_reference_server_support import (
    EMBEDDED,
    PAYMENT,
    SETUP,
    SUBSCRIPTION,
    Client,
    items,
    without,
)

SESSIONS = "/v1/checkout/sessions"
# The 55 properties of `checkout.session` in the 2024-04-10 OpenAPI description.
SPEC_PROPERTIES = frozenset(
    str.split(
        """
    after_expiration allow_promotion_codes amount_subtotal amount_total automatic_tax
    billing_address_collection cancel_url client_reference_id client_secret consent
    consent_collection created currency currency_conversion custom_fields custom_text
    customer customer_creation customer_details customer_email expires_at id invoice
    invoice_creation line_items livemode locale metadata mode object payment_intent
    payment_link payment_method_collection payment_method_configuration_details
    payment_method_options payment_method_types payment_status phone_number_collection
    recovered_from redirect_on_completion return_url saved_payment_method_options
    setup_intent shipping_address_collection shipping_cost shipping_details
    shipping_options status submit_type subscription success_url tax_id_collection
    total_details ui_mode url
        """
    )
)
EMBEDDED_ONLY = frozenset({"return_url", "redirect_on_completion"})


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with ReferenceServer() as server, Client(server.url) as connection:
        yield connection


def _price(client: Client, *pairs: tuple[str, str]) -> dict[str, Any]:
    reply = client.post("/v1/prices", [("currency", "usd"), *pairs])
    assert reply.status == 200, reply.raw
    return dict(reply.body)


def test_spec_lists_55_properties() -> None:
    assert len(SPEC_PROPERTIES) == 55


def test_hosted_session_has_every_property_but_embedded_only_ones(
    client: Client,
) -> None:
    session = client.create()
    assert set(session) == SPEC_PROPERTIES - {"line_items"} - EMBEDDED_ONLY
    assert session["object"] == "checkout.session"
    assert session["id"].startswith("cs_test_")
    assert len(session["id"]) <= 66
    assert session["livemode"] is False


def test_embedded_session_adds_return_url_and_redirect(client: Client) -> None:
    session = client.create(EMBEDDED)
    assert set(session) == SPEC_PROPERTIES - {"line_items"}
    assert session["redirect_on_completion"] == "always"
    assert session["return_url"] == dict(EMBEDDED)["return_url"]
    assert session["ui_mode"] == "embedded"
    assert session["url"] is None
    assert session["client_secret"].startswith(session["id"] + "_secret_")
    never = client.create(
        [*without(EMBEDDED, "return_url"), ("redirect_on_completion", "never")]
    )
    assert never["redirect_on_completion"] == "never"
    assert "return_url" not in never


def test_hosted_session_has_url_and_no_client_secret(client: Client) -> None:
    session = client.create()
    assert session["ui_mode"] == "hosted"
    assert session["url"].startswith("https://")
    assert session["id"] in session["url"]
    assert session["client_secret"] is None


def test_amounts_follow_line_items(client: Client) -> None:
    pairs = [
        *without(PAYMENT, "line_items"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][unit_amount]", "1250"),
        ("line_items[0][price_data][product_data][name]", "Mug"),
        ("line_items[0][quantity]", "3"),
        ("line_items[1][price_data][currency]", "usd"),
        ("line_items[1][price_data][unit_amount_decimal]", "99.00"),
        ("line_items[1][price_data][product_data][name]", "Sticker"),
        ("line_items[1][quantity]", "3"),
        ("expand[]", "line_items"),
    ]
    session = client.create(pairs)
    first, second = session["line_items"]["data"]
    assert (first["amount_subtotal"], first["amount_total"]) == (3750, 3750)
    assert (second["amount_subtotal"], second["amount_total"]) == (297, 297)
    assert second["price"]["unit_amount"] == 99
    assert second["price"]["unit_amount_decimal"] == "99"
    assert session["amount_subtotal"] == 3750 + 297
    assert session["amount_total"] == 3750 + 297
    assert session["total_details"] == {
        "amount_discount": 0,
        "amount_shipping": 0,
        "amount_tax": 0,
    }
    assert session["currency"] == "usd"


def test_shipping_adds_to_the_total(client: Client) -> None:
    pairs = [
        *PAYMENT,
        ("shipping_options[0][shipping_rate_data][display_name]", "Ground"),
        ("shipping_options[0][shipping_rate_data][type]", "fixed_amount"),
        ("shipping_options[0][shipping_rate_data][fixed_amount][amount]", "700"),
        ("shipping_options[0][shipping_rate_data][fixed_amount][currency]", "usd"),
    ]
    session = client.create(pairs)
    assert session["amount_subtotal"] == 1000
    assert session["amount_total"] == 1700
    assert session["total_details"]["amount_shipping"] == 700
    assert session["shipping_cost"]["amount_total"] == 700
    assert session["shipping_options"][0]["shipping_amount"] == 700
    rate = session["shipping_options"][0]["shipping_rate"]
    assert rate.startswith("shr_")
    assert session["shipping_cost"]["shipping_rate"] == rate


@pytest.mark.parametrize(
    ("pairs", "payment_status"),
    [(PAYMENT, "unpaid"), (SUBSCRIPTION, "unpaid"), (SETUP, "no_payment_required")],
    ids=["payment", "subscription", "setup"],
)
def test_payment_status_by_mode(
    client: Client, pairs: Any, payment_status: str
) -> None:
    session = client.create(pairs)
    assert session["payment_status"] == payment_status
    assert session["status"] == "open"
    assert session["payment_intent"] is None
    assert session["setup_intent"] is None
    assert session["subscription"] is None


def test_setup_mode_has_no_amounts(client: Client) -> None:
    session = client.create([*SETUP, ("expand[]", "line_items")])
    assert session["amount_subtotal"] is None
    assert session["amount_total"] is None
    assert session["total_details"] is None
    assert session["currency"] == "usd"
    assert session["line_items"]["data"] == []


def test_expires_at_defaults_to_24_hours(client: Client) -> None:
    before = int(time.time())
    session = client.create()
    after = int(time.time())
    assert before <= session["created"] <= after
    assert isinstance(session["created"], int)
    assert session["expires_at"] - session["created"] == 86400


def test_requested_expires_at_is_kept(client: Client) -> None:
    wanted = int(time.time()) + 3600
    session = client.create([*PAYMENT, ("expires_at", str(wanted))])
    assert session["expires_at"] == wanted


def test_request_values_are_echoed(client: Client) -> None:
    success = "https://example.com/ok?session={CHECKOUT_SESSION_ID}"
    pairs = [
        *without(PAYMENT, "success_url"),
        ("success_url", success),
        ("cancel_url", "https://example.com/cancel"),
        ("client_reference_id", "order-42"),
        ("customer_email", "buyer@example.com"),
        ("locale", "pt-BR"),
        ("submit_type", "donate"),
        ("billing_address_collection", "required"),
        ("customer_creation", "always"),
        ("allow_promotion_codes", "true"),
        ("metadata[order]", "42"),
        ("metadata[empty]", ""),
        ("payment_method_types[0]", "card"),
        ("payment_method_types[1]", "klarna"),
        ("phone_number_collection[enabled]", "true"),
        ("custom_text[submit][message]", "Thanks"),
        ("shipping_address_collection[allowed_countries][0]", "FR"),
    ]
    session = client.create(pairs)
    assert session["success_url"] == success
    assert session["cancel_url"] == "https://example.com/cancel"
    assert session["client_reference_id"] == "order-42"
    assert session["customer_email"] == "buyer@example.com"
    assert session["customer_details"]["email"] == "buyer@example.com"
    assert session["locale"] == "pt-BR"
    assert session["submit_type"] == "donate"
    assert session["billing_address_collection"] == "required"
    assert session["customer_creation"] == "always"
    assert session["allow_promotion_codes"] is True
    assert session["metadata"] == {"order": "42"}
    assert session["payment_method_types"] == ["card", "klarna"]
    assert session["phone_number_collection"] == {"enabled": True}
    assert session["custom_text"]["submit"] == {"message": "Thanks"}
    assert session["custom_text"]["after_submit"] is None
    assert session["shipping_address_collection"] == {"allowed_countries": ["FR"]}


def test_defaults_when_absent(client: Client) -> None:
    session = client.create()
    assert session["metadata"] == {}
    assert session["customer_creation"] == "if_required"
    assert session["payment_method_collection"] == "always"
    assert session["billing_address_collection"] is None
    assert session["customer_details"] is None
    assert session["custom_fields"] == []
    assert session["shipping_options"] == []
    assert set(session["custom_text"]) == {
        "after_submit",
        "shipping_address",
        "submit",
        "terms_of_service_acceptance",
    }
    subscription = client.create(
        [*SUBSCRIPTION, ("payment_method_collection", "if_required")]
    )
    assert subscription["customer_creation"] is None
    assert subscription["payment_method_collection"] == "if_required"


def test_line_items_absent_unless_expanded(client: Client) -> None:
    session = client.create(
        [*without(PAYMENT, "line_items"), *items(12), ("expand[0]", "line_items")]
    )
    listed = session["line_items"]
    assert listed["object"] == "list"
    assert listed["url"] == f"{SESSIONS}/{session['id']}/line_items"
    assert len(listed["data"]) == 10
    assert listed["has_more"] is True
    assert [item["description"] for item in listed["data"]] == [
        f"item {index}" for index in range(10)
    ]
    retrieved = client.get(f"{SESSIONS}/{session['id']}")
    assert "line_items" not in retrieved.body


def test_line_item_objects(client: Client) -> None:
    session = client.create([*PAYMENT, ("expand[]", "line_items.data.price.product")])
    (item,) = session["line_items"]["data"]
    assert item["object"] == "item"
    assert item["id"].startswith("li_")
    assert item["quantity"] == 1
    assert item["description"] == "T-shirt"
    assert (item["amount_discount"], item["amount_tax"]) == (0, 0)
    price = item["price"]
    assert price["object"] == "price"
    assert price["type"] == "one_time"
    assert price["unit_amount"] == 1000
    assert price["currency"] == "usd"
    assert price["product"]["object"] == "product"
    assert price["product"]["name"] == "T-shirt"


def test_expand_customer_and_breakdown(client: Client) -> None:
    customer = client.post("/v1/customers", [("email", "c@example.com"), ("name", "C")])
    assert customer.status == 200
    session = client.create(
        [
            *PAYMENT,
            ("customer", customer.body["id"]),
            ("expand[]", "customer"),
            ("expand[]", "total_details.breakdown"),
        ]
    )
    assert session["customer"] == customer.body
    assert session["total_details"]["breakdown"] == {"discounts": [], "taxes": []}
    plain = client.get(f"{SESSIONS}/{session['id']}").body
    assert plain["customer"] == customer.body["id"]
    assert "breakdown" not in plain["total_details"]


def test_unknown_expansion_is_refused(client: Client) -> None:
    reply = client.post(SESSIONS, [*PAYMENT, ("expand[]", "colour")])
    assert reply.status == 400
    assert reply.error["param"] == "expand"


def test_retrieve_equals_create(client: Client) -> None:
    session = client.create([*PAYMENT, ("metadata[a]", "b")])
    retrieved = client.get(f"{SESSIONS}/{session['id']}")
    assert retrieved.status == 200
    assert retrieved.body == session


def test_retrieve_unknown_and_malformed_ids(client: Client) -> None:
    missing = client.get(f"{SESSIONS}/cs_test_doesnotexist")
    assert missing.status == 404
    assert missing.error == {
        "code": "resource_missing",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
        "message": "No such checkout.session: 'cs_test_doesnotexist'",
        "param": "session",
        "type": "invalid_request_error",
    }
    malformed = client.get(f"{SESSIONS}/not-a-session")
    assert malformed.status == 404
    assert "code" not in malformed.error
    assert malformed.error["message"] == "Invalid checkout.session id: not-a-session"
    items_missing = client.get(f"{SESSIONS}/cs_test_doesnotexist/line_items")
    assert items_missing.status == 404
    assert items_missing.error["message"] == (
        "No such checkout session: 'cs_test_doesnotexist'"
    )


def test_expire(client: Client) -> None:
    session = client.create()
    expired = client.post(f"{SESSIONS}/{session['id']}/expire")
    assert expired.status == 200
    assert expired.body["status"] == "expired"
    assert expired.body["url"] is None
    assert expired.body["expires_at"] == session["expires_at"]
    assert expired.body["payment_status"] == "unpaid"
    assert client.get(f"{SESSIONS}/{session['id']}").body == expired.body
    again = client.post(f"{SESSIONS}/{session['id']}/expire")
    assert again.status == 400
    assert again.error == {
        "message": 'Only Checkout Sessions with a status in ["open"] can be expired. '
        "This Checkout Session has a status of `expired`.",
        "type": "invalid_request_error",
    }
    assert client.get(f"{SESSIONS}/{session['id']}").body == expired.body


def test_expire_takes_only_expand(client: Client) -> None:
    session = client.create()
    reply = client.post(f"{SESSIONS}/{session['id']}/expire", [("reason", "x")])
    assert reply.status == 400
    assert reply.error["code"] == "parameter_unknown"
    unknown = client.post(f"{SESSIONS}/cs_test_nothere/expire")
    assert unknown.status == 404
    assert unknown.error["code"] == "resource_missing"


def test_update_merges_metadata(client: Client) -> None:
    session = client.create(
        [
            *PAYMENT,
            ("metadata[keep]", "1"),
            ("metadata[change]", "2"),
            ("metadata[drop]", "3"),
        ]
    )
    path = f"{SESSIONS}/{session['id']}"
    reply = client.post(
        path,
        [("metadata[change]", "two"), ("metadata[drop]", ""), ("metadata[new]", "4")],
    )
    assert reply.status == 200
    assert reply.body["metadata"] == {"keep": "1", "change": "two", "new": "4"}
    assert client.get(path).body["metadata"] == reply.body["metadata"]
    unchanged = {k: v for k, v in reply.body.items() if k != "metadata"}
    assert unchanged == {k: v for k, v in session.items() if k != "metadata"}
    cleared = client.post(path, "metadata=")
    assert cleared.status == 200
    assert cleared.body["metadata"] == {}


def test_update_accepts_only_metadata(client: Client) -> None:
    session = client.create()
    path = f"{SESSIONS}/{session['id']}"
    for pairs, param in (
        ([("success_url", "https://example.com/x")], "success_url"),
        ([("shipping_options[0][shipping_rate]", "shr_1")], "shipping_options"),
        ([("metadata[k]", "v"), ("colour", "red")], "colour"),
    ):
        reply = client.post(path, pairs)
        assert reply.status == 400
        assert reply.error["code"] == "parameter_unknown"
        assert reply.error["param"] == param
    assert client.get(path).body["metadata"] == {}


def test_update_limits_and_state(client: Client) -> None:
    session = client.create([*PAYMENT, *[(f"metadata[k{i}]", "v") for i in range(30)]])
    path = f"{SESSIONS}/{session['id']}"
    too_many = client.post(path, [(f"metadata[n{i}]", "v") for i in range(21)])
    assert too_many.status == 400
    assert too_many.error["param"] == "metadata"
    bad_key = client.post(
        path, [("metadata[ok]", "v"), ("metadata[" + "k" * 41 + "]", "v")]
    )
    assert bad_key.status == 400
    assert "ok" not in client.get(path).body["metadata"]
    assert client.post(f"{path}/expire").status == 200
    refused = client.post(path, [("metadata[late]", "v")])
    assert refused.status == 400
    assert refused.error["type"] == "invalid_request_error"
    assert client.get(path).body["status"] == "expired"
    missing = client.post(f"{SESSIONS}/cs_test_nothere", [("metadata[a]", "b")])
    assert missing.status == 404


def test_prices(client: Client) -> None:
    price = _price(client, ("unit_amount", "2500"), ("product_data[name]", "Book"))
    assert price["id"].startswith("price_")
    assert price["object"] == "price"
    assert price["active"] is True
    assert price["type"] == "one_time"
    product = price["product"]
    assert product.startswith("prod_")
    same_product = _price(client, ("unit_amount", "99"), ("product", product))
    assert same_product["product"] == product
    monthly = _price(
        client,
        ("unit_amount_decimal", "12.5"),
        ("product", product),
        ("recurring[interval]", "month"),
        ("recurring[interval_count]", "3"),
        ("metadata[tier]", "gold"),
        ("nickname", "quarterly"),
    )
    assert monthly["type"] == "recurring"
    # The Prices API keeps sub-cent amounts; only Checkout refuses them (L-03).
    assert monthly["unit_amount"] is None
    assert monthly["unit_amount_decimal"] == "12.5"
    assert monthly["recurring"]["interval_count"] == 3
    assert monthly["metadata"] == {"tier": "gold"}
    assert monthly["nickname"] == "quarterly"
    retrieved = client.get(f"/v1/prices/{monthly['id']}", [("expand[]", "product")])
    assert retrieved.body["product"]["id"] == product
    assert client.get("/v1/prices/price_nothere").status == 404
    unknown = client.post(
        "/v1/prices",
        [("currency", "usd"), ("unit_amount", "1"), ("product", "prod_nothere")],
    )
    assert unknown.status == 400
    assert unknown.error["code"] == "resource_missing"
    assert unknown.error["param"] == "product"
    extra = client.post(
        "/v1/prices", [("currency", "usd"), ("tax_behavior", "inclusive")]
    )
    assert extra.status == 400
    assert extra.error["code"] == "parameter_unknown"


def test_sessions_use_stored_prices(client: Client) -> None:
    one_time = _price(client, ("unit_amount", "700"), ("product_data[name]", "Pen"))
    monthly = _price(
        client,
        ("unit_amount", "900"),
        ("product_data[name]", "Club"),
        ("recurring[interval]", "month"),
    )
    session = client.create(
        [
            ("mode", "subscription"),
            ("success_url", "https://example.com/s"),
            ("line_items[0][price]", monthly["id"]),
            ("line_items[0][quantity]", "2"),
            ("line_items[1][price]", one_time["id"]),
            ("line_items[1][quantity]", "1"),
            ("expand[]", "line_items"),
        ]
    )
    first, second = session["line_items"]["data"]
    assert first["price"] == monthly
    assert second["price"] == one_time
    assert first["description"] == "Club"
    assert session["amount_total"] == 2 * 900 + 700


def test_customers(client: Client) -> None:
    reply = client.post(
        "/v1/customers",
        [("email", "jo@example.com"), ("name", "Jo"), ("metadata[vip]", "yes")],
    )
    assert reply.status == 200
    customer = reply.body
    assert customer["id"].startswith("cus_")
    assert customer["object"] == "customer"
    assert (customer["email"], customer["name"]) == ("jo@example.com", "Jo")
    assert customer["metadata"] == {"vip": "yes"}
    assert client.get(f"/v1/customers/{customer['id']}").body == customer
    assert client.get("/v1/customers/cus_nothere").status == 404
    session = client.create([*PAYMENT, ("customer", customer["id"])])
    assert session["customer"] == customer["id"]
    assert session["customer_email"] is None
    bad = client.post("/v1/customers", [("email", "nope")])
    assert bad.status == 400
    assert bad.error["param"] == "email"


def test_coupons(client: Client) -> None:
    reply = client.post(
        "/v1/coupons",
        [
            ("percent_off", "10"),
            ("duration", "once"),
            ("name", "Ten"),
            ("metadata[tag]", "contracts"),
        ],
    )
    assert reply.status == 200, reply.raw
    coupon = reply.body
    assert coupon["object"] == "coupon"
    assert (coupon["percent_off"], coupon["duration"], coupon["name"]) == (
        10,
        "once",
        "Ten",
    )
    assert coupon["metadata"] == {"tag": "contracts"}
    assert client.get(f"/v1/coupons/{coupon['id']}").body == coupon
    assert client.get("/v1/coupons/nothere").status == 404
    for pairs, param in (
        ([("duration", "once")], "percent_off"),
        ([("percent_off", "0")], "percent_off"),
        ([("percent_off", "101")], "percent_off"),
        ([("percent_off", "5"), ("duration", "repeating")], "duration_in_months"),
        ([("percent_off", "5"), ("amount_off", "100")], "amount_off"),
    ):
        bad = client.post("/v1/coupons", pairs)
        assert (bad.status, bad.error["param"]) == (400, param), bad.raw


def test_a_coupon_that_exists_discounts_the_session(client: Client) -> None:
    coupon = client.post("/v1/coupons", [("percent_off", "10")]).body
    pairs = [
        *without(PAYMENT, "line_items"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][unit_amount]", "1999"),
        ("line_items[0][price_data][product_data][name]", "Mug"),
        ("line_items[0][quantity]", "1"),
        ("discounts[0][coupon]", coupon["id"]),
    ]
    session = client.create(pairs)
    # 10% of 1999 is 199.9, rounded half up to 200.
    assert session["total_details"]["amount_discount"] == 200
    assert (session["amount_subtotal"], session["amount_total"]) == (1999, 1799)
    missing = client.post(SESSIONS, [*PAYMENT, ("discounts[0][coupon]", "nothere")])
    assert missing.status == 400
    assert missing.error["code"] == "resource_missing"
    assert missing.error["param"] == "discounts[0][coupon]"
    two = [
        ("discounts[0][coupon]", coupon["id"]),
        ("discounts[1][coupon]", coupon["id"]),
    ]
    assert client.post(SESSIONS, [*PAYMENT, *two]).error["param"] == "discounts"
    both = [("allow_promotion_codes", "true"), ("discounts[0][coupon]", coupon["id"])]
    assert client.post(SESSIONS, [*PAYMENT, *both]).error["param"] == "discounts"
