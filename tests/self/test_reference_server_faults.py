"""Every fault: switched on, the server misbehaves exactly as described; switched
off, it does not. Each probe returns True when it observes the misbehaviour."""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reference_server import FAULTS, ReferenceServer
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
Probe = Callable[[Client], bool]
PROBES: dict[str, Probe] = {}


def probe(name: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        PROBES[name] = function
        return function

    return register


def _quantity(value: int) -> list[tuple[str, str]]:
    return [
        *without(PAYMENT, "line_items[0][quantity]"),
        ("line_items[0][quantity]", str(value)),
    ]


def _ids(client: Client, *pairs: tuple[str, str]) -> list[str]:
    reply = client.get(SESSIONS, list(pairs))
    assert reply.status == 200, reply.raw[:300]
    return [session["id"] for session in reply.body["data"]]


def _created(client: Client, count: int) -> list[str]:
    return [client.create()["id"] for _ in range(count)]


@probe("omit_null_fields")
def _(client: Client) -> bool:
    session = client.create()
    return bool("cancel_url" not in session and None not in session.values())


@probe("amounts_as_strings")
def _(client: Client) -> bool:
    session = client.create(_quantity(2))
    return bool(
        session["amount_subtotal"] == "2000" and session["amount_total"] == "2000"
    )


@probe("line_item_object_line_item")
def _(client: Client) -> bool:
    session = client.create()
    page = client.get(f"{SESSIONS}/{session['id']}/line_items").body
    return bool(page["data"][0]["object"] == "line_item")


@probe("uuid_session_ids")
def _(client: Client) -> bool:
    session = client.create()
    uuid4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    retrieved = client.get(f"{SESSIONS}/{session['id']}")
    return bool(re.fullmatch(uuid4, session["id"])) and retrieved.status == 200


@probe("livemode_true")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("expand[]", "line_items")])
    price = session["line_items"]["data"][0]["price"]
    return bool(session["livemode"] is True and price["livemode"] is True)


@probe("timestamps_in_milliseconds")
def _(client: Client) -> bool:
    now = time.time()
    session = client.create()
    in_ms = abs(session["created"] / 1000 - now) < 5
    return bool(in_ms and session["expires_at"] - session["created"] == 86400 * 1000)


@probe("status_active")
def _(client: Client) -> bool:
    return bool(client.create()["status"] == "active")


@probe("no_request_id_on_errors")
def _(client: Client) -> bool:
    error = client.get(f"{SESSIONS}/cs_test_missing")
    success = client.get(SESSIONS)
    return bool("request-id" not in error.headers and "request-id" in success.headers)


@probe("errors_served_as_html")
def _(client: Client) -> bool:
    error = client.get(f"{SESSIONS}/cs_test_missing")
    success = client.get(SESSIONS)
    return bool(
        error.headers["content-type"].startswith("text/html")
        and error.error["code"] == "resource_missing"
        and success.headers["content-type"] == "application/json"
    )


@probe("error_type_nonstandard")
def _(client: Client) -> bool:
    invalid = client.post(SESSIONS, [("mode", "bogus")])
    missing = client.get(f"{SESSIONS}/cs_test_missing")
    return bool(
        invalid.status == 400
        and invalid.error["type"] == "validation_error"
        and missing.error["type"] == "invalid_request_error"
    )


@probe("subtotal_skips_last_item")
def _(client: Client) -> bool:
    pairs = [*without(PAYMENT, "line_items"), *items(2)]  # 100 and 101
    session = client.create([*pairs, ("expand[]", "line_items")])
    amounts = [item["amount_subtotal"] for item in session["line_items"]["data"]]
    return bool(
        amounts == [100, 101]
        and session["amount_subtotal"] == 100
        and session["amount_total"] == 100
    )


@probe("total_ignores_quantity")
def _(client: Client) -> bool:
    session = client.create(_quantity(3))
    return bool(session["amount_subtotal"] == 3000 and session["amount_total"] == 1000)


@probe("line_item_subtotal_ignores_quantity")
def _(client: Client) -> bool:
    session = client.create([*_quantity(3), ("expand[]", "line_items")])
    item = session["line_items"]["data"][0]
    return bool(
        (item["amount_subtotal"], item["amount_total"]) == (1000, 1000)
        and session["amount_subtotal"] == 3000
        and session["amount_total"] == 3000
    )


@probe("setup_mode_unpaid")
def _(client: Client) -> bool:
    return bool(client.create(SETUP)["payment_status"] == "unpaid")


@probe("embedded_has_url")
def _(client: Client) -> bool:
    return bool(client.create(EMBEDDED)["url"] is not None)


@probe("hosted_has_client_secret")
def _(client: Client) -> bool:
    return bool(client.create()["client_secret"] is not None)


@probe("expires_at_ignores_request")
def _(client: Client) -> bool:
    wanted = int(time.time()) + 3600
    session = client.create([*PAYMENT, ("expires_at", str(wanted))])
    return bool(session["expires_at"] == session["created"] + 86400)


@probe("success_url_placeholder_substituted")
def _(client: Client) -> bool:
    url = "https://example.com/ok?id={CHECKOUT_SESSION_ID}"
    session = client.create([*without(PAYMENT, "success_url"), ("success_url", url)])
    stored = client.get(f"{SESSIONS}/{session['id']}").body["success_url"]
    expected = url.replace("{CHECKOUT_SESSION_ID}", session["id"])
    return bool(session["success_url"] == stored == expected)


@probe("metadata_keys_lowercased")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("metadata[Order]", "1")])
    updated = client.post(f"{SESSIONS}/{session['id']}", [("metadata[NEW]", "2")])
    both = {"order": "1", "new": "2"}
    return bool(
        session["metadata"] == {"order": "1"} and updated.body["metadata"] == both
    )


@probe("cancel_url_dropped")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("cancel_url", "https://example.com/cancel")])
    retrieved = client.get(f"{SESSIONS}/{session['id']}").body
    return bool(
        session["cancel_url"] is None
        and retrieved["cancel_url"] is None
        and retrieved["success_url"] == "https://example.com/success"
    )


@probe("retrieve_forgets_customer_email")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("customer_email", "a@example.com")])
    retrieved = client.get(f"{SESSIONS}/{session['id']}").body
    return bool(
        session["customer_email"] == "a@example.com"
        and retrieved["customer_email"] is None
    )


@probe("line_items_endpoint_reversed")
def _(client: Client) -> bool:
    pairs = [*without(PAYMENT, "line_items"), *items(3), ("expand[]", "line_items")]
    session = client.create(pairs)
    expanded = [item["description"] for item in session["line_items"]["data"]]
    listed = client.get(f"{SESSIONS}/{session['id']}/line_items").body["data"]
    names = ["item 0", "item 1", "item 2"]
    return bool(
        expanded == names and [item["description"] for item in listed] == names[::-1]
    )


@probe("payment_intent_created_eagerly")
def _(client: Client) -> bool:
    intent = client.create()["payment_intent"]
    return bool(isinstance(intent, str) and intent.startswith("pi_"))


@probe("list_url_with_query")
def _(client: Client) -> bool:
    client.create()
    return bool(
        client.get(SESSIONS, [("limit", "2")]).body["url"] == f"{SESSIONS}?limit=2"
    )


@probe("list_limit_off_by_one")
def _(client: Client) -> bool:
    _created(client, 5)
    reply = client.get(SESSIONS, [("limit", "2")])
    return bool(len(reply.body["data"]) == 3 and reply.body["has_more"] is True)


@probe("list_limit_unbounded")
def _(client: Client) -> bool:
    _created(client, 2)
    low = client.get(SESSIONS, [("limit", "0")])
    high = client.get(SESSIONS, [("limit", "1000")])
    return bool(low.status == 200 and len(low.body["data"]) == 1 and high.status == 200)


@probe("list_oldest_first")
def _(client: Client) -> bool:
    created = _created(client, 4)
    first_page = _ids(client, ("limit", "2"))
    rest = _ids(client, ("limit", "2"), ("starting_after", first_page[-1]))
    return bool(first_page + rest == created)


@probe("starting_after_skips_one")
def _(client: Client) -> bool:
    created = _created(client, 4)
    return bool(
        _ids(client, ("starting_after", created[3])) == [created[1], created[0]]
    )


@probe("ending_before_from_top")
def _(client: Client) -> bool:
    created = _created(client, 5)
    page = _ids(client, ("limit", "2"), ("ending_before", created[0]))
    return bool(page == [created[4], created[3]])


@probe("both_cursors_accepted")
def _(client: Client) -> bool:
    created = _created(client, 3)
    reply = client.get(
        SESSIONS, [("starting_after", created[2]), ("ending_before", created[0])]
    )
    if reply.status != 200:
        return False
    page = [session["id"] for session in reply.body["data"]]
    return page == _ids(client, ("starting_after", created[2]))


@probe("unknown_cursor_empty_page")
def _(client: Client) -> bool:
    _created(client, 2)
    reply = client.get(SESSIONS, [("starting_after", "cs_test_unknown")])
    return bool(reply.status == 200 and reply.body["data"] == [])


@probe("created_gte_exclusive")
def _(client: Client) -> bool:
    session = client.create()
    return bool(_ids(client, ("created[gte]", str(session["created"]))) == [])


@probe("status_filter_ignored")
def _(client: Client) -> bool:
    expired, opened = _created(client, 2)
    assert client.post(f"{SESSIONS}/{expired}/expire").status == 200
    return bool(_ids(client, ("status", "open")) == [opened, expired])


@probe("expire_keeps_url")
def _(client: Client) -> bool:
    session = client.create()
    expired = client.post(f"{SESSIONS}/{session['id']}/expire").body
    return bool(expired["status"] == "expired" and expired["url"] == session["url"])


@probe("expire_is_repeatable")
def _(client: Client) -> bool:
    session = client.create()
    first = client.post(f"{SESSIONS}/{session['id']}/expire")
    second = client.post(f"{SESSIONS}/{session['id']}/expire")
    return bool(
        first.status == second.status == 200 and second.body["status"] == "expired"
    )


@probe("expire_not_persisted")
def _(client: Client) -> bool:
    session = client.create()
    expired = client.post(f"{SESSIONS}/{session['id']}/expire").body
    stored = client.get(f"{SESSIONS}/{session['id']}").body
    return bool(expired["status"] == "expired" and stored["status"] == "open")


@probe("update_replaces_metadata")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("metadata[a]", "1")])
    updated = client.post(f"{SESSIONS}/{session['id']}", [("metadata[b]", "2")])
    return bool(updated.body["metadata"] == {"b": "2"})


@probe("update_empty_value_stored")
def _(client: Client) -> bool:
    session = client.create([*PAYMENT, ("metadata[a]", "1"), ("metadata[b]", "2")])
    updated = client.post(f"{SESSIONS}/{session['id']}", [("metadata[a]", "")])
    return bool(updated.body["metadata"] == {"a": "", "b": "2"})


@probe("update_reopens_expired")
def _(client: Client) -> bool:
    session = client.create()
    client.post(f"{SESSIONS}/{session['id']}/expire")
    updated = client.post(f"{SESSIONS}/{session['id']}", [("metadata[a]", "1")])
    return bool(updated.status == 200 and updated.body["status"] == "open")


@probe("refused_update_partially_applied")
def _(client: Client) -> bool:
    session = client.create()
    path = f"{SESSIONS}/{session['id']}"
    refused = client.post(
        path,
        [
            ("metadata[first]", "1"),
            ("metadata[" + "k" * 41 + "]", "2"),
            ("metadata[last]", "3"),
        ],
    )
    return bool(
        refused.status == 400 and client.get(path).body["metadata"] == {"first": "1"}
    )


@probe("unknown_params_ignored")
def _(client: Client) -> bool:
    pairs = [*PAYMENT, ("colour", "red"), ("line_items[0][price_data][shade]", "dark")]
    reply = client.post(SESSIONS, pairs)
    return bool(reply.status == 200 and "colour" not in reply.body)


def _accepted(client: Client, pairs: list[tuple[str, str]]) -> bool:
    return client.post(SESSIONS, pairs).status == 200


@probe("mode_scope_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*SETUP, ("submit_type", "pay")])


@probe("ui_mode_urls_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, list(without(PAYMENT, "success_url")))


@probe("customer_rules_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*PAYMENT, ("customer_update[name]", "auto")])


@probe("expiry_window_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*PAYMENT, ("expires_at", str(int(time.time()) + 60))])


@probe("discount_rules_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*PAYMENT, ("discounts[0][coupon]", "nothere")])


@probe("custom_fields_not_checked")
def _(client: Client) -> bool:
    fields = [
        pair
        for k in range(4)
        for pair in (
            (f"custom_fields[{k}][key]", f"f{k}"),
            (f"custom_fields[{k}][label][type]", "custom"),
            (f"custom_fields[{k}][label][custom]", f"Field {k}"),
            (f"custom_fields[{k}][type]", "text"),
        )
    ]
    return _accepted(client, [*PAYMENT, *fields])


@probe("trial_rules_not_enforced")
def _(client: Client) -> bool:
    trial = ("subscription_data[trial_period_days]", "0")
    return _accepted(client, [*SUBSCRIPTION, trial])


@probe("line_item_limits_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*without(PAYMENT, "line_items"), *items(101)])


@probe("line_item_limits_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, [*without(PAYMENT, "line_items"), *items(100)])


def _adjustable(maximum: int) -> list[tuple[str, str]]:
    return [
        *PAYMENT,
        ("line_items[0][adjustable_quantity][enabled]", "true"),
        ("line_items[0][adjustable_quantity][maximum]", str(maximum)),
    ]


@probe("adjustable_quantity_not_checked")
def _(client: Client) -> bool:
    return _accepted(client, _adjustable(1_000_000))


@probe("adjustable_maximum_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, _adjustable(999_999))


@probe("quantity_defaults_to_one")
def _(client: Client) -> bool:
    pairs = [*without(PAYMENT, "line_items[0][quantity]"), ("expand[]", "line_items")]
    reply = client.post(SESSIONS, pairs)
    return bool(
        reply.status == 200 and reply.body["line_items"]["data"][0]["quantity"] == 1
    )


@probe("setup_currency_not_required")
def _(client: Client) -> bool:
    return _accepted(client, without(SETUP, "currency"))


@probe("mixed_currencies_accepted")
def _(client: Client) -> bool:
    second = [
        (key, "eur" if key.endswith("[currency]") else value)
        for key, value in items(1, start=1)
    ]
    return _accepted(client, [*PAYMENT, *second])


@probe("max_length_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, [*PAYMENT, ("client_reference_id", "r" * 200)])


@probe("metadata_limits_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*PAYMENT, ("metadata[k]", "v" * 501)])


@probe("metadata_limits_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, [*PAYMENT, ("metadata[k]", "v" * 500)])


def _shipping(count: int) -> list[tuple[str, str]]:
    pairs = [*PAYMENT, ("shipping_address_collection[allowed_countries][0]", "US")]
    for k in range(count):
        data = f"shipping_options[{k}][shipping_rate_data]"
        pairs += [
            (f"{data}[display_name]", f"Option {k}"),
            (f"{data}[type]", "fixed_amount"),
            (f"{data}[fixed_amount][amount]", str(100 * k)),
            (f"{data}[fixed_amount][currency]", "usd"),
        ]
    return pairs


@probe("shipping_option_limit_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, _shipping(6))


@probe("shipping_option_limit_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, _shipping(5))


@probe("custom_field_limit_exclusive")
def _(client: Client) -> bool:
    fields = [
        pair
        for k in range(3)
        for pair in (
            (f"custom_fields[{k}][key]", f"f{k}"),
            (f"custom_fields[{k}][label][type]", "custom"),
            (f"custom_fields[{k}][label][custom]", f"Field {k}"),
            (f"custom_fields[{k}][type]", "text"),
        )
    ]
    return not _accepted(client, [*PAYMENT, *fields])


def _images(count: int) -> list[tuple[str, str]]:
    key = "line_items[0][price_data][product_data][images]"
    return [
        *PAYMENT,
        *((f"{key}[{k}]", f"https://example.com/{k}.png") for k in range(count)),
    ]


@probe("image_limit_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, _images(9))


@probe("image_limit_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, _images(8))


def _every(months: int) -> list[tuple[str, str]]:
    return [
        *SUBSCRIPTION,
        ("line_items[0][price_data][recurring][interval_count]", str(months)),
    ]


@probe("interval_limit_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, _every(37))


@probe("interval_limit_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, _every(36))


def _unit_amount(amount: int) -> list[tuple[str, str]]:
    return [
        *without(PAYMENT, "line_items[0][price_data][unit_amount]"),
        ("line_items[0][price_data][unit_amount]", str(amount)),
    ]


@probe("amount_limit_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, _unit_amount(100_000_000))


@probe("amount_limit_exclusive")
def _(client: Client) -> bool:
    return not _accepted(client, _unit_amount(99_999_999))


@probe("quantity_zero_accepted")
def _(client: Client) -> bool:
    reply = client.post(SESSIONS, [*_quantity(0), ("expand[]", "line_items")])
    return bool(
        reply.status == 200 and reply.body["line_items"]["data"][0]["quantity"] == 0
    )


@probe("error_param_unindexed")
def _(client: Client) -> bool:
    quantity = client.post(SESSIONS, _quantity(0)).error.get("param")
    url = client.post(SESSIONS, without(PAYMENT, "success_url")).error.get("param")
    currency = client.post(
        SESSIONS, without(PAYMENT, "line_items[0][price_data][currency]")
    ).error.get("param")
    return bool((quantity, url, currency) == ("quantity", "success_url", "currency"))


@probe("unknown_session_400")
def _(client: Client) -> bool:
    reply = client.get(f"{SESSIONS}/cs_test_missing")
    return bool(reply.status == 400 and reply.error["code"] == "resource_missing")


@probe("crash_on_colliding_keys")
def _(client: Client) -> bool:
    reply = client.post(SESSIONS, "a[0]=x&a[b]=y")
    clean = client.post(SESSIONS, PAYMENT)
    return bool(
        reply.status == 500
        and reply.error["type"] == "api_error"
        and clean.status == 200
    )


@probe("auth_not_enforced")
def _(client: Client) -> bool:
    return bool(client.send("GET", SESSIONS, None, {}).status == 200)


@probe("any_bearer_accepted")
def _(client: Client) -> bool:
    odd = client.send("GET", SESSIONS, None, {"Authorization": "Bearer nonsense"})
    none = client.send("GET", SESSIONS, None, {})
    return bool(odd.status == 200 and none.status == 401)


@probe("idempotency_ignored")
def _(client: Client) -> bool:
    key = {"Idempotency-Key": "k1"}
    first = client.post(SESSIONS, PAYMENT, key).body["id"]
    second = client.post(SESSIONS, PAYMENT, key).body["id"]
    return bool(first != second)


@probe("idempotency_mismatch_replays")
def _(client: Client) -> bool:
    key = {"Idempotency-Key": "k2"}
    first = client.post(SESSIONS, PAYMENT, key)
    second = client.post(SESSIONS, [*PAYMENT, ("metadata[a]", "b")], key)
    return bool(second.status == 200 and second.raw == first.raw)


@probe("list_omits_newest")
def _(client: Client) -> bool:
    created = _created(client, 3)
    return bool(_ids(client) == [created[1], created[0]])


@probe("retrieve_stale_copy")
def _(client: Client) -> bool:
    session = client.create()
    client.post(f"{SESSIONS}/{session['id']}/expire")
    return bool(client.get(f"{SESSIONS}/{session['id']}").body["status"] == "open")


@probe("duplicate_ids_under_concurrency")
def _(client: Client) -> bool:
    first, second = client.create()["id"], client.create()["id"]
    host = client.connection.host
    port = client.connection.port
    with Client(f"http://{host}:{port}") as other:
        third = other.create()["id"]
    return bool(first != second and third == first and len(_ids(client)) == 2)


@probe("reject_quantity_above_one")
def _(client: Client) -> bool:
    refused = client.post(SESSIONS, _quantity(2))
    return bool(
        refused.status == 400 and client.post(SESSIONS, _quantity(1)).status == 200
    )


@probe("echo_key_in_errors")
def _(client: Client) -> bool:
    reply = client.get(f"{SESSIONS}/cs_test_missing")
    return bool(f"Bearer {client.key}" in reply.error["message"])


@probe("crash_on_unknown_expansion")
def _(client: Client) -> bool:
    reply = client.get(
        f"{SESSIONS}/{client.create()['id']}", [("expand[]", "customer.x")]
    )
    return bool(reply.status == 500 and reply.error["type"] == "api_error")


@probe("mistyped_crash_on_unknown_expansion")
def _(client: Client) -> bool:
    reply = client.get(SESSIONS, [("expand[]", "data.customer.x")])
    return bool(reply.status == 500 and reply.error["type"] == "invalid_request_error")


@probe("drop_connection_on_wildcard_expand")
def _(client: Client) -> bool:
    try:
        client.get(SESSIONS, [("expand[]", "*")])
    except (http.client.RemoteDisconnected, ConnectionError):
        return True
    return False


@probe("expire_answers_other_id")
def _(client: Client) -> bool:
    ident = client.create()["id"]
    expired = client.post(f"{SESSIONS}/{ident}/expire")
    stored = client.get(f"{SESSIONS}/{ident}").body
    return bool(expired.body["id"] != ident and stored["status"] == "expired")


@probe("post_line_items_url_is_request_path")
def _(client: Client) -> bool:
    created = client.create([*PAYMENT, ("expand[]", "line_items")])
    return bool(created["line_items"]["url"] == SESSIONS)


@probe("hosted_url_names_other_session")
def _(client: Client) -> bool:
    session = client.create()
    return bool(session["url"] and session["id"] not in session["url"])


@probe("request_id_constant")
def _(client: Client) -> bool:
    first = client.get(SESSIONS).headers["request-id"]
    return bool(first == client.get(SESSIONS).headers["request-id"])


@probe("max_length_not_enforced")
def _(client: Client) -> bool:
    reply = client.post(SESSIONS, [*PAYMENT, ("client_reference_id", "a" * 201)])
    return bool(reply.status == 200)


@probe("session_ids_truncated")
def _(client: Client) -> bool:
    ident = client.create()["id"]
    return bool(client.get(f"{SESSIONS}/{ident}x").status == 200)


@probe("session_lookup_ignores_prefix")
def _(client: Client) -> bool:
    ident = client.create()["id"]
    return bool(client.get(f"{SESSIONS}/pi_{ident.rsplit('_', 1)[-1]}").status == 200)


# -- the faults that prove the coverage table's rule variants and boundaries ----------
_ITEM = "line_items[0]"
_DATA = f"{_ITEM}[price_data]"


@probe("mode_inferred_when_missing")
def _(client: Client) -> bool:
    reply = client.post(SESSIONS, without(SUBSCRIPTION, "mode"))
    return bool(reply.status == 200 and reply.body["mode"] == "subscription")


@probe("line_items_not_required")
def _(client: Client) -> bool:
    return _accepted(client, without(PAYMENT, "line_items"))


@probe("price_source_not_checked")
def _(client: Client) -> bool:
    both = [*PAYMENT, (f"{_DATA}[unit_amount_decimal]", "1000")]
    unnamed = without(PAYMENT, f"{_DATA}[product_data]")
    free = without(PAYMENT, f"{_DATA}[unit_amount]")
    return all(_accepted(client, pairs) for pairs in (both, unnamed, free))


@probe("negative_quantity_read_as_positive")
def _(client: Client) -> bool:
    return _accepted(client, _quantity(-2))


@probe("recurring_mode_mismatch_accepted")
def _(client: Client) -> bool:
    recurring_in_payment = [*without(SUBSCRIPTION, "mode"), ("mode", "payment")]
    one_time_subscription = [*without(PAYMENT, "mode"), ("mode", "subscription")]
    return _accepted(client, recurring_in_payment) and _accepted(
        client, one_time_subscription
    )


@probe("any_currency_accepted")
def _(client: Client) -> bool:
    return _accepted(client, [*without(SETUP, "currency"), ("currency", "zzz")])


@probe("negative_amounts_accepted")
def _(client: Client) -> bool:
    return _accepted(client, _unit_amount(-1))


@probe("fractional_amounts_rounded")
def _(client: Client) -> bool:
    fraction = [
        *without(PAYMENT, f"{_DATA}[unit_amount]"),
        (f"{_DATA}[unit_amount_decimal]", "1000.5"),
    ]
    return _accepted(client, fraction)


@probe("unknown_price_accepted")
def _(client: Client) -> bool:
    unknown = [*without(PAYMENT, f"{_DATA}"), (f"{_ITEM}[price]", "price_nothere")]
    return _accepted(client, unknown)


@probe("enums_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, [*PAYMENT, ("locale", "klingon")])


@probe("scalar_types_read_leniently")
def _(client: Client) -> bool:
    reply = client.post(SESSIONS, [*_quantity(3), ("allow_promotion_codes", "yes")])
    fractional = client.post(
        SESSIONS,
        [*without(PAYMENT, f"{_ITEM}[quantity]"), (f"{_ITEM}[quantity]", "2.5")],
    )
    return reply.status == 200 and fractional.status == 200


@probe("nested_required_not_enforced")
def _(client: Client) -> bool:
    return _accepted(client, without(PAYMENT, f"{_DATA}[currency]"))


@probe("non_ascii_refused")
def _(client: Client) -> bool:
    return not _accepted(client, [*PAYMENT, ("client_reference_id", "caf\u00e9")])


@probe("expiry_window_narrowed")
def _(client: Client) -> bool:
    soon = str(int(time.time()) + 30 * 60 + 120)
    return not _accepted(client, [*PAYMENT, ("expires_at", soon)])


def test_every_fault_has_a_probe() -> None:
    assert sorted(PROBES) == sorted(FAULTS)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault(fault: str) -> None:
    with ReferenceServer(faults=[fault]) as faulty, Client(faulty.url) as client:
        assert PROBES[fault](client), f"{fault} is switched on but not observed"
    with ReferenceServer() as clean, Client(clean.url) as client:
        assert not PROBES[fault](client), f"{fault} is observed with no fault on"


PACKAGE = Path(__file__).resolve().parents[2] / "reference_server"


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_implemented_at_one_site(fault: str) -> None:
    sites = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "_faults.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if f'"{fault}"' in line
    ]
    assert len(sites) == 1, sites


def _line_item_ids(client: Client, session: str, *pairs: tuple[str, str]) -> list[str]:
    reply = client.get(f"{SESSIONS}/{session}/line_items", list(pairs))
    assert reply.status == 200, reply.raw[:300]
    return [item["id"] for item in reply.body["data"]]


def _session_with_items(client: Client, count: int) -> tuple[str, list[str]]:
    session = client.create([*without(PAYMENT, "line_items"), *items(count)])["id"]
    return session, _line_item_ids(client, session)


@probe("line_items_starting_after_ignored")
def _(client: Client) -> bool:
    session, listed = _session_with_items(client, 3)
    page = _line_item_ids(client, session, ("starting_after", listed[0]))
    return bool(page == listed)


@probe("line_items_ending_before_ignored")
def _(client: Client) -> bool:
    session, listed = _session_with_items(client, 3)
    page = _line_item_ids(client, session, ("limit", "1"), ("ending_before", listed[2]))
    return bool(page == listed[:1])


@probe("filtered_cursor_found_unfiltered")
def _(client: Client) -> bool:
    reply = client.post("/v1/customers", [("email", "probe@example.com")])
    assert reply.status == 200, reply.raw[:300]
    mine = [*PAYMENT, ("customer", reply.body["id"])]
    client.create(mine)
    newer = client.create(mine)["id"]
    client.create()
    # Clean: the older session; located in the unfiltered list, the cursor sits
    # one further down, past the end of the two-session filtered list.
    page = _ids(client, ("customer", reply.body["id"]), ("starting_after", newer))
    return bool(page == [])
