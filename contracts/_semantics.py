"""Semantic contracts on a session: amounts, statuses, URLs, expiry, echoes, links."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._failures import ContractFailure
from contracts._helpers import json_object, sent
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange

DAY = 86_400
# created and the default expires_at are read from the server's clock at slightly
# different instants; Stripe's catalogue allows a second either way.
_DEFAULT_EXPIRY_SLACK = 2

# Create parameters a stateless mock still reflects (its fixture has these scalars).
_CORE_ECHO = (
    "mode",
    "success_url",
    "client_reference_id",
    "customer_email",
    "currency",
    "ui_mode",
    "expires_at",
)
# The rest of the scalar parameters a full implementation echoes (S-16).
_FULL_ECHO = (
    "cancel_url",
    "return_url",
    "locale",
    "billing_address_collection",
    "submit_type",
    "customer_creation",
    "payment_method_collection",
    "redirect_on_completion",
    "allow_promotion_codes",
)
# Nested create parameters echoed as the same nested value on the session.
_NESTED_ECHO = (
    ("phone_number_collection", "enabled"),
    ("tax_id_collection", "enabled"),
    ("invoice_creation", "enabled"),
    ("shipping_address_collection", "allowed_countries"),
)
_CUSTOM_TEXT_POSITIONS = (
    "after_submit",
    "shipping_address",
    "submit",
    "terms_of_service_acceptance",
)


def _items_of(pages: Sequence[Exchange]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in pages:
        data = (json_object(page) or {}).get("data")
        items += [item for item in data or [] if isinstance(item, dict)]
    return items


class SubtotalMismatch(ContractFailure):
    """amount_subtotal differs from the sum of the line items' subtotals."""

    title = "Session amount_subtotal is not the sum of its line items"


@contract(failure=SubtotalMismatch, requires={"derived_fields"}, catalogue=("S-11",))
def session_subtotal_is_sum_of_line_items(
    ctx: ContractContext, session: Exchange, line_item_pages: Sequence[Exchange]
) -> None:
    """`amount_subtotal` equals the sum of every line item's `amount_subtotal`
    (all pages); a setup session has no items and a null or zero subtotal."""
    body = json_object(session) or {}
    items = _items_of(line_item_pages)
    subtotal = body.get("amount_subtotal")
    if body.get("mode") == "setup" and subtotal is None and not items:
        return
    parts = [item.get("amount_subtotal") for item in items]
    if not all(isinstance(p, int) for p in parts):
        return  # the schema contract reports non-integer amounts
    expected = sum(p for p in parts if isinstance(p, int))
    if subtotal != expected:
        shown = " + ".join(str(p) for p in parts[:10]) + (
            " + ..." if len(parts) > 10 else ""
        )
        raise SubtotalMismatch(
            ("Received", f"amount_subtotal={subtotal!r}"),
            ("Expected", f"{expected} = {shown or '0'} ({len(items)} line items)"),
            exchanges=[session, *line_item_pages],
            focus=["amount_subtotal", "amount_total", "mode"],
        )


class TotalMismatch(ContractFailure):
    """amount_total does not follow from the subtotal and total_details."""

    title = (
        "Session amount_total does not follow from subtotal, discount, tax and shipping"
    )


@contract(failure=TotalMismatch, requires={"derived_fields"}, catalogue=("S-12",))
def session_total_follows_from_details(
    ctx: ContractContext, exchange: Exchange
) -> None:
    """`amount_total = amount_subtotal - amount_discount + amount_tax + amount_shipping`
    (with tax-inclusive prices the tax is inside the subtotal: both forms accepted)."""
    body = json_object(exchange) or {}
    total, subtotal = body.get("amount_total"), body.get("amount_subtotal")
    if total is None and subtotal is None:
        return
    details = body.get("total_details") or {}
    discount = details.get("amount_discount") or 0
    tax = details.get("amount_tax") or 0
    shipping = details.get("amount_shipping") or 0
    if not (
        isinstance(total, int)
        and isinstance(subtotal, int)
        and all(isinstance(v, int) for v in (discount, tax, shipping))
    ):
        return  # the schema contract reports non-integer amounts
    exclusive = subtotal - discount + tax + shipping
    inclusive = subtotal - discount + shipping
    if total not in {exclusive, inclusive}:
        raise TotalMismatch(
            ("Received", f"amount_total={total!r}"),
            (
                "Expected",
                f"{exclusive} = {subtotal} - {discount} (discount) + {tax} (tax) "
                f"+ {shipping} (shipping)",
            ),
            exchanges=[exchange],
            focus=["amount_total", "amount_subtotal", "total_details"],
        )


class LineItemAmountMismatch(ContractFailure):
    """A line item's amounts disagree with its price and quantity."""

    title = "Line item amounts disagree with unit amount and quantity"


@contract(
    failure=LineItemAmountMismatch,
    requires={"derived_fields"},
    catalogue=("L-02", "L-03"),
)
def line_item_amounts_are_consistent(
    ctx: ContractContext, line_item_pages: Sequence[Exchange]
) -> None:
    """For a per-unit price, `amount_subtotal = unit_amount x quantity` (±1 for
    `unit_amount_decimal` rounding) and `amount_total = subtotal - discount + tax`."""
    wrong = []
    for item in _items_of(line_item_pages):
        raw_price = item.get("price")
        price: dict[str, Any] = raw_price if isinstance(raw_price, dict) else {}
        quantity, subtotal = item.get("quantity"), item.get("amount_subtotal")
        unit, slack = _unit_amount(price)
        if (
            unit is not None
            and isinstance(quantity, int)
            and price.get("billing_scheme", "per_unit") == "per_unit"
            and isinstance(subtotal, int)
            and abs(subtotal - unit * quantity) > slack
        ):
            wrong.append(
                f"{item.get('id')}: amount_subtotal={subtotal}, expected "
                f"{unit} x {quantity} = {unit * quantity}"
            )
        total = item.get("amount_total")
        discount, tax = item.get("amount_discount") or 0, item.get("amount_tax") or 0
        if (
            isinstance(total, int)
            and isinstance(subtotal, int)
            and total not in {subtotal - discount + tax, subtotal - discount}
        ):
            wrong.append(
                f"{item.get('id')}: amount_total={total}, expected "
                f"{subtotal} - {discount} + {tax} = {subtotal - discount + tax}"
            )
    if wrong:
        raise LineItemAmountMismatch(
            ("Received", "\n".join(wrong[:6])),
            exchanges=list(line_item_pages),
            focus=["data"],
        )


def _unit_amount(price: dict[str, Any]) -> tuple[Decimal | None, Decimal]:
    if isinstance(price.get("unit_amount"), int):
        return Decimal(price["unit_amount"]), Decimal(0)
    try:
        return Decimal(str(price["unit_amount_decimal"])), Decimal(1)
    except (KeyError, InvalidOperation, TypeError):
        return None, Decimal(0)


class PaymentStatusMismatch(ContractFailure):
    """payment_status contradicts the session's mode and status."""

    title = "payment_status contradicts the session's mode and status"


@contract(
    failure=PaymentStatusMismatch, requires={"derived_fields"}, catalogue=("S-04",)
)
def payment_status_matches_mode(ctx: ContractContext, exchange: Exchange) -> None:
    """A setup session is `no_payment_required`; an uncompleted payment or
    subscription session is `unpaid` (or `no_payment_required` when it costs nothing
    or is a subscription, whose trial may make it free)."""
    body = json_object(exchange) or {}
    mode, status, paid = (
        body.get("mode"),
        body.get("status"),
        body.get("payment_status"),
    )
    if status == "complete":
        return
    if mode == "setup":
        allowed = {"no_payment_required"}
    elif mode == "payment":
        allowed = {"unpaid"} | (
            {"no_payment_required"} if body.get("amount_total") == 0 else set()
        )
    elif mode == "subscription":
        allowed = {"unpaid", "no_payment_required"}
    else:
        return  # an unknown mode is the enum contract's finding
    if paid not in allowed:
        raise PaymentStatusMismatch(
            ("Received", f"payment_status={paid!r} (mode={mode!r}, status={status!r})"),
            ("Expected", " or ".join(sorted(allowed))),
            exchanges=[exchange],
            focus=["payment_status", "mode", "status", "amount_total"],
        )


class UrlMismatch(ContractFailure):
    """url is set when it must be null, or missing when it must be set."""

    title = "url is set where it must be null, or missing on an open hosted session"


@contract(failure=UrlMismatch, requires={"derived_fields"}, catalogue=("S-07",))
def url_present_only_for_open_hosted(ctx: ContractContext, exchange: Exchange) -> None:
    """`url` is an http(s) URL while a hosted session is open, and null for embedded
    sessions and for sessions that are no longer open."""
    body = json_object(exchange) or {}
    ui_mode = body.get("ui_mode") or "hosted"
    status, url = body.get("status"), body.get("url")
    must_have = status == "open" and ui_mode == "hosted"
    has = isinstance(url, str) and url.startswith(("https://", "http://"))
    if must_have != has or (not must_have and url is not None):
        raise UrlMismatch(
            ("Received", f"url={url!r} (ui_mode={ui_mode!r}, status={status!r})"),
            ("Expected", "an http(s) URL" if must_have else "null"),
            exchanges=[exchange],
            focus=["url", "ui_mode", "status"],
        )


class ClientSecretMismatch(ContractFailure):
    """client_secret is set for a hosted session or missing for an open embedded one."""

    title = "client_secret is set on a hosted session, or missing on an embedded one"


@contract(
    failure=ClientSecretMismatch, requires={"derived_fields"}, catalogue=("S-08",)
)
def client_secret_only_for_embedded(ctx: ContractContext, exchange: Exchange) -> None:
    """An open embedded session has a non-empty `client_secret`; a hosted one has
    null."""
    body = json_object(exchange) or {}
    ui_mode = body.get("ui_mode") or "hosted"
    secret = body.get("client_secret")
    if ui_mode == "hosted" and secret is not None:
        expected = "null for a hosted session"
    elif (
        ui_mode == "embedded"
        and body.get("status") == "open"
        and not (isinstance(secret, str) and secret)
    ):
        expected = "a non-empty string for an open embedded session"
    else:
        return
    raise ClientSecretMismatch(
        ("Received", f"client_secret={secret!r} (ui_mode={ui_mode!r})"),
        ("Expected", expected),
        exchanges=[exchange],
        focus=["client_secret", "ui_mode", "status"],
    )


class ExpiryMismatch(ContractFailure):
    """expires_at is neither the requested value nor created + 24 h."""

    title = "expires_at is neither the requested time nor created + 24 h"


@contract(
    failure=ExpiryMismatch, requires={"derived_fields"}, catalogue=("S-09", "R-16")
)
def expires_at_honours_request(ctx: ContractContext, exchange: Exchange) -> None:
    """`expires_at` equals the requested value, or `created + 86400` (±2 s) when the
    request did not set it."""
    body = json_object(exchange) or {}
    created, expires_at = body.get("created"), body.get("expires_at")
    requested = sent(exchange).get("expires_at")
    if not isinstance(created, int) or not isinstance(expires_at, int):
        return  # the schema contract reports missing or non-integer timestamps
    if requested is not None:
        if expires_at == int(str(requested)):
            return
        expected = f"{requested} (the requested value)"
    else:
        if abs(expires_at - created - DAY) <= _DEFAULT_EXPIRY_SLACK:
            return
        expected = f"{created + DAY} (created + 24 h, as nothing was requested)"
    raise ExpiryMismatch(
        (
            "Received",
            f"expires_at={expires_at} (created={created}, "
            f"expires_at - created = {expires_at - created} s)",
        ),
        ("Expected", expected),
        exchanges=[exchange],
        focus=["expires_at", "created"],
    )


class CoreEchoMismatch(ContractFailure):
    """A core create parameter came back different from what was sent."""

    title = "Session does not echo a core create parameter"


@contract(failure=CoreEchoMismatch, catalogue=("S-05", "S-16"))
def session_echoes_core_params(ctx: ContractContext, exchange: Exchange) -> None:
    """mode, success_url (with a literal `{CHECKOUT_SESSION_ID}` kept),
    client_reference_id,
    customer_email, currency, ui_mode and expires_at come back exactly as sent."""
    body = json_object(exchange) or {}
    wrong = [
        f"{name}: sent {value!r}, received {body.get(name)!r}"
        for name, value in sent(exchange).items()
        if name in _CORE_ECHO
        and value is not None
        and _echoed(name, value) != body.get(name)
    ]
    if wrong:
        raise CoreEchoMismatch(
            ("Received", "\n".join(wrong)),
            exchanges=[exchange],
            focus=[w.split(":", 1)[0] for w in wrong],
        )


class MetadataMismatch(ContractFailure):
    """metadata did not round-trip exactly."""

    title = "Session metadata does not round-trip exactly"


@contract(failure=MetadataMismatch, requires={"full_echo"}, catalogue=("S-15", "R-18"))
def metadata_round_trips(ctx: ContractContext, exchange: Exchange) -> None:
    """`metadata` holds exactly the keys and string values sent (an empty value means
    unset, so it is absent); nothing sent gives `{}`."""
    body = json_object(exchange) or {}
    sent_metadata = sent(exchange).get("metadata")
    expected = {
        str(k): str(v)
        for k, v in (sent_metadata if isinstance(sent_metadata, dict) else {}).items()
        if v not in ("", None)
    }
    received = body.get("metadata")
    if received != expected:
        raise MetadataMismatch(
            ("Received", f"metadata={received!r}"),
            ("Expected", f"metadata={expected!r}"),
            *_metadata_diff(received, expected),
            exchanges=[exchange],
            focus=["metadata"],
        )


def _metadata_diff(received: Any, expected: dict[str, str]) -> list[tuple[str, str]]:
    if not isinstance(received, dict):
        return []
    lines = []
    missing = sorted(set(expected) - set(received))
    extra = sorted(set(received) - set(expected))
    changed = sorted(
        k for k in set(expected) & set(received) if expected[k] != received[k]
    )
    if missing:
        lines.append(("Missing keys", ", ".join(map(repr, missing))))
    if extra:
        lines.append(("Unexpected keys", ", ".join(map(repr, extra))))
    if changed:
        lines.append(("Changed values", ", ".join(map(repr, changed))))
    return lines


class EchoMismatch(ContractFailure):
    """A create parameter came back different from what was sent."""

    title = "Session does not echo a create parameter"


@contract(failure=EchoMismatch, requires={"full_echo"}, catalogue=("S-16",))
def session_echoes_request(ctx: ContractContext, exchange: Exchange) -> None:
    """cancel_url, return_url, locale, billing_address_collection, submit_type,
    customer_creation, payment_method_collection, redirect_on_completion,
    allow_promotion_codes, customer and the sent nested settings (phone number and tax
    id collection, invoice creation, shipping countries, custom text) come back as
    sent."""
    body = json_object(exchange) or {}
    params = sent(exchange)
    wrong = [
        f"{name}: sent {params[name]!r}, received {body.get(name)!r}"
        for name in _FULL_ECHO
        if params.get(name) is not None
        and _echoed(name, params[name]) != body.get(name)
    ]
    customer = params.get("customer")
    received_customer = body.get("customer")
    if isinstance(received_customer, dict):
        received_customer = received_customer.get("id")
    if customer is not None and received_customer != customer:
        wrong.append(f"customer: sent {customer!r}, received {received_customer!r}")
    for parent, child in _NESTED_ECHO:
        sent_parent, received_parent = params.get(parent), body.get(parent)
        value = sent_parent.get(child) if isinstance(sent_parent, dict) else None
        received = received_parent if isinstance(received_parent, dict) else {}
        if value is not None and received.get(child) != value:
            wrong.append(
                f"{parent}.{child}: sent {value!r}, received {received.get(child)!r}"
            )
    custom_text = params.get("custom_text")
    sent_texts: dict[str, Any] = custom_text if isinstance(custom_text, dict) else {}
    received_texts = body.get("custom_text")
    for position in _CUSTOM_TEXT_POSITIONS:
        sent_text = sent_texts.get(position)
        if isinstance(sent_text, dict):
            received_text = (
                received_texts.get(position)
                if isinstance(received_texts, dict)
                else None
            ) or {}
            if received_text.get("message") != sent_text.get("message"):
                wrong.append(
                    f"custom_text.{position}.message: sent "
                    f"{sent_text.get('message')!r}, "
                    f"received {received_text.get('message')!r}"
                )
    if wrong:
        raise EchoMismatch(
            ("Received", "\n".join(wrong)),
            exchanges=[exchange],
            focus=[w.split(":", 1)[0].split(".")[0] for w in wrong],
        )


# Create parameters whose JSON value is an integer even when the form sent text.
_INTEGER_PARAMS = frozenset({"expires_at"})


def _echoed(name: str, value: Any) -> Any:
    """How a sent scalar reads in the JSON answer: integer parameters may be sent as
    text; every other value (a client_reference_id of "0" too) comes back as sent."""
    if name in _INTEGER_PARAMS and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


class LinkedObjectMismatch(ContractFailure):
    """A fresh session links objects its mode or state cannot have yet."""

    title = "Fresh session links objects its mode cannot have yet"


@contract(
    failure=LinkedObjectMismatch,
    requires={"derived_fields"},
    catalogue=("S-06", "§12 #15"),
)
def linked_objects_match_mode(ctx: ContractContext, exchange: Exchange) -> None:
    """An open session has no payment_intent (created lazily since 2022-08-01), no
    subscription and no invoice; only a setup session may have a setup_intent."""
    body = json_object(exchange) or {}
    if body.get("status") != "open":
        return
    wrong = [
        f"{name}={body.get(name)!r}"
        for name in ("payment_intent", "subscription", "invoice")
        if body.get(name) is not None
    ]
    if body.get("mode") != "setup" and body.get("setup_intent") is not None:
        wrong.append(
            f"setup_intent={body.get('setup_intent')!r} in mode {body.get('mode')!r}"
        )
    if wrong:
        raise LinkedObjectMismatch(
            ("Received", "\n".join(wrong)),
            ("Expected", "null until the customer completes the session"),
            exchanges=[exchange],
            focus=["payment_intent", "setup_intent", "subscription", "invoice", "mode"],
        )
