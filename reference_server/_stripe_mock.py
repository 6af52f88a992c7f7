"""The "stripe-mock" personality: a stateless emulation of Stripe's stripe-mock.

It reproduces what stripe-mock does with the 2024-04-10 spec: requests are
checked against the OpenAPI request schema only (types, enums, required
fields, unknown top-level names), and every answer is a fixed fixture with the
request's id and a few same-named scalar parameters reflected into it. Nothing
is stored, nothing is derived from the request, idempotency keys are echoed
and never replayed, and error bodies carry only `type` and `message`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from ._errors import INVALID_REQUEST, ApiError
from ._form import FormTree, decode_form, decode_path_segment
from ._ids import new_id
from ._params import (
    CREATE_CUSTOMER,
    CREATE_PRICE,
    CREATE_SESSION,
    EXPIRE_SESSION,
    LIST_LINE_ITEMS,
    LIST_SESSIONS,
    RETRIEVE,
)
from ._schema import JSON_SCHEMA, Obj, coerce_params, unknown_params
from ._wire import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    Request,
    Response,
    encode_json,
    media_type,
)

# stripe-mock answers every request (but a refused key) with this Request-Id.
FIXED_REQUEST_ID = "req_123"
_TEST_KEY = re.compile(r"(sk|rk)_test_\S+")
# Create parameters stripe-mock reflects: scalars named like a fixture field.
REFLECTED_SESSION_PARAMS = (
    "client_reference_id",
    "currency",
    "customer_email",
    "expires_at",
    "mode",
    "success_url",
    "ui_mode",
)

FIXTURE_CREATED = 1_700_000_000
FIXTURE_SESSION_ID = "cs_test_a1fixtureSessionReferenceEmulation0000000000000000"
FIXTURE_PRICE: dict[str, Any] = {
    "id": "price_fixtureReference000001",
    "object": "price",
    "active": True,
    "billing_scheme": "per_unit",
    "created": FIXTURE_CREATED,
    "currency": "usd",
    "custom_unit_amount": None,
    "livemode": False,
    "lookup_key": None,
    "metadata": {},
    "nickname": None,
    "product": "prod_fixtureReference01",
    "recurring": None,
    "tax_behavior": "unspecified",
    "tiers_mode": None,
    "transform_quantity": None,
    "type": "one_time",
    "unit_amount": 1500,
    "unit_amount_decimal": "1500",
}
FIXTURE_LINE_ITEM: dict[str, Any] = {
    "id": "li_fixtureReference000001",
    "object": "item",
    "amount_discount": 0,
    "amount_subtotal": 1500,
    "amount_tax": 0,
    "amount_total": 1500,
    "currency": "usd",
    "description": "Fixture product",
    "price": FIXTURE_PRICE,
    "quantity": 1,
}
FIXTURE_SESSION: dict[str, Any] = {
    "id": FIXTURE_SESSION_ID,
    "object": "checkout.session",
    "after_expiration": None,
    "allow_promotion_codes": None,
    "amount_subtotal": 1500,
    "amount_total": 1500,
    "automatic_tax": {"enabled": False, "liability": None, "status": None},
    "billing_address_collection": None,
    "cancel_url": None,
    "client_reference_id": None,
    "client_secret": None,
    "consent": None,
    "consent_collection": None,
    "created": FIXTURE_CREATED,
    "currency": "usd",
    "currency_conversion": None,
    "custom_fields": [],
    "custom_text": {
        "after_submit": None,
        "shipping_address": None,
        "submit": None,
        "terms_of_service_acceptance": None,
    },
    "customer": None,
    "customer_creation": "if_required",
    "customer_details": None,
    "customer_email": None,
    "expires_at": FIXTURE_CREATED + 86400,
    "invoice": None,
    "invoice_creation": None,
    "livemode": False,
    "locale": None,
    "metadata": {},
    "mode": "payment",
    "payment_intent": None,
    "payment_link": None,
    "payment_method_collection": "always",
    "payment_method_configuration_details": None,
    "payment_method_options": {},
    "payment_method_types": ["card"],
    "payment_status": "unpaid",
    "phone_number_collection": {"enabled": False},
    "recovered_from": None,
    "saved_payment_method_options": None,
    "setup_intent": None,
    "shipping_address_collection": None,
    "shipping_cost": None,
    "shipping_details": None,
    "shipping_options": [],
    "status": "open",
    "submit_type": None,
    "subscription": None,
    "success_url": "https://example.com/success",
    "tax_id_collection": {"enabled": False},
    "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    "ui_mode": "hosted",
    "url": "https://checkout.stripe.com/c/pay/" + FIXTURE_SESSION_ID,
}
FIXTURE_CUSTOMER: dict[str, Any] = {
    "id": "cus_fixtureReference",
    "object": "customer",
    "address": None,
    "balance": 0,
    "created": FIXTURE_CREATED,
    "currency": None,
    "default_source": None,
    "delinquent": False,
    "description": None,
    "discount": None,
    "email": None,
    "invoice_prefix": "FIXTURE0",
    "invoice_settings": {
        "custom_fields": None,
        "default_payment_method": None,
        "footer": None,
        "rendering_options": None,
    },
    "livemode": False,
    "metadata": {},
    "name": None,
    "next_invoice_sequence": 1,
    "phone": None,
    "preferred_locales": [],
    "shipping": None,
    "tax_exempt": "none",
    "test_clock": None,
}

_SESSION_ROUTE = re.compile(r"/v1/checkout/sessions/([^/]+)(/line_items|/expire)?")
_OBJECT_ROUTE = re.compile(r"/v1/(prices|customers)/([^/]+)")


class StripeMockApi:
    """The stateless personality; it keeps no state between requests."""

    def handle(self, request: Request) -> Response:
        """The response to `request`; never raises (a bug becomes a 500)."""
        try:
            self._authenticate(request)
        except ApiError as error:
            return self._error(request, error, request_id=None)
        try:
            return self._ok(request, self._dispatch(request))
        except ApiError as error:
            return self._error(request, error, request_id=FIXED_REQUEST_ID)
        except Exception as exc:  # a bug: report it honestly as a 500
            crash = ApiError(500, f"An internal error occurred: {type(exc).__name__}")
            return self._error(request, crash, request_id=FIXED_REQUEST_ID)

    def refuse(self, request: Request, error: ApiError) -> Response:
        """The answer to a request whose body could not be read."""
        return self._error(request, error, request_id=FIXED_REQUEST_ID)

    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, credentials = header.partition(" ")
        key = ""
        if scheme == "Bearer":
            key = credentials
        elif scheme == "Basic":
            try:
                key = (
                    base64.b64decode(credentials, validate=True).decode().split(":")[0]
                )
            except (binascii.Error, UnicodeDecodeError):
                key = ""
        if not _TEST_KEY.fullmatch(key):
            raise ApiError(
                401,
                "Please authenticate by specifying an `Authorization` header with any "
                "valid looking testmode secret API key. For example, `Authorization: "
                f"Bearer sk_test_123`. Authorization was '{header}'.",
            )

    def _dispatch(self, request: Request) -> dict[str, Any]:
        method, path = request.method, request.path
        if path == "/v1/checkout/sessions":
            if method == "GET":
                self._checked(LIST_SESSIONS, request)
                return _list([FIXTURE_SESSION], path)
            if method == "POST":
                params = self._checked(CREATE_SESSION, request)
                session = dict(FIXTURE_SESSION, id=new_id("cs_test_a1", 56))
                return _reflect(session, params, REFLECTED_SESSION_PARAMS)
        elif match := _SESSION_ROUTE.fullmatch(path):
            ident = decode_path_segment(match.group(1))
            action = match.group(2)
            if method == "GET" and action is None:
                params = self._checked(RETRIEVE, request)
                session = dict(FIXTURE_SESSION, id=ident)
                if "line_items" in params.get("expand", ()):
                    session["line_items"] = _list(
                        [FIXTURE_LINE_ITEM], f"{path}/line_items"
                    )
                return session
            if method == "GET" and action == "/line_items":
                self._checked(LIST_LINE_ITEMS, request)
                return _list([FIXTURE_LINE_ITEM], path)
            if method == "POST" and action == "/expire":
                self._checked(EXPIRE_SESSION, request)
                return dict(FIXTURE_SESSION, id=ident)
        elif path in ("/v1/prices", "/v1/customers") and method == "POST":
            if path == "/v1/prices":
                params = self._checked(CREATE_PRICE, request)
                price = dict(FIXTURE_PRICE, id=new_id("price_"))
                return _reflect(price, params, ("currency", "nickname", "unit_amount"))
            params = self._checked(CREATE_CUSTOMER, request)
            customer = dict(FIXTURE_CUSTOMER, id=new_id("cus_", 14))
            return _reflect(customer, params, ("email", "name"))
        elif (match := _OBJECT_ROUTE.fullmatch(path)) and method == "GET":
            self._checked(RETRIEVE, request)
            ident = decode_path_segment(match.group(2))
            fixture = FIXTURE_PRICE if match.group(1) == "prices" else FIXTURE_CUSTOMER
            return dict(fixture, id=ident)
        raise ApiError(404, f"Unrecognized request URL ({method}: {path}).")

    def _checked(self, schema: Obj, request: Request) -> dict[str, Any]:
        """The request's parameters, validated the way a JSON-Schema validator would."""
        tree = self._params(request)
        names = unknown_params(schema, tree, nested=False)
        if names:
            raise ApiError(
                400,
                "Request validation error: additional properties are not allowed: "
                + ", ".join(names),
            )
        try:
            return coerce_params(schema, tree, JSON_SCHEMA)
        except ApiError as error:
            raise ApiError(400, f"Request validation error: {error.message}") from None

    def _params(self, request: Request) -> FormTree:
        if request.method == "GET":
            raw = request.query
        else:
            kind = media_type(request)
            if kind is None:
                raise ApiError(
                    400,
                    "Request's `Content-Type` header was empty. Expected: "
                    f"`{FORM_CONTENT_TYPE}`.",
                )
            if kind != FORM_CONTENT_TYPE:
                raise ApiError(
                    400,
                    "Request's `Content-Type` didn't match the path's expected media "
                    f"type. Expected: `{FORM_CONTENT_TYPE}`. Was: `{kind}`.",
                )
            raw = request.body
        try:
            return decode_form(raw)
        except ApiError as error:
            raise ApiError(400, f"Couldn't parse query/body: {error.message}") from None

    def _ok(self, request: Request, body: Mapping[str, Any]) -> Response:
        return Response(
            200, encode_json(body), self._headers(request, FIXED_REQUEST_ID)
        )

    def _error(
        self, request: Request, error: ApiError, *, request_id: str | None
    ) -> Response:
        body = {"error": {"message": error.message, "type": INVALID_REQUEST}}
        return Response(
            error.status,
            encode_json(body),
            self._headers(request, request_id),
            close=error.close_connection,
        )

    def _headers(
        self, request: Request, request_id: str | None
    ) -> tuple[tuple[str, str], ...]:
        headers = [
            ("Content-Type", JSON_CONTENT_TYPE),
            ("Stripe-Mock-Version", "reference-server-emulation"),
        ]
        # stripe-mock sets both headers only once the key passed its check, so
        # a 401 carries neither.
        if request_id is not None:
            headers.append(("Request-Id", request_id))
            key = request.headers.get("idempotency-key")
            if key:
                headers.append(("Idempotency-Key", key))
        return tuple(headers)


def _list(data: list[dict[str, Any]], url: str) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": False, "url": url}


def _reflect(
    fixture: dict[str, Any], params: Mapping[str, Any], names: tuple[str, ...]
) -> dict[str, Any]:
    """`fixture` with the scalar parameters named in `names` copied into it."""
    for name in names:
        value = params.get(name)
        if value is not None and not isinstance(value, dict | list):
            fixture[name] = value
    return fixture
