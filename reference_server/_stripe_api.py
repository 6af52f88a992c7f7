"""The stateful Checkout Sessions API at 2024-04-10.

`StripeApi.handle` authenticates, checks the Stripe-Version, routes, applies
Idempotency-Key semantics to POSTs and renders every answer (success or
error) with a unique `Request-Id`. Faults, when switched on, each alter one
site of this module or of the modules it calls.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from . import _decisions as decided
from ._errors import (
    API_ERROR,
    DOC_URL_BASE,
    IDEMPOTENCY,
    INVALID_REQUEST,
    ApiError,
    invalid,
    no_such,
    shorten,
    unknown,
)
from ._form import FormTree, decode_form, decode_path_segment, has_mixed_container
from ._ids import RequestIds, new_id
from ._objects import (
    JsonObject,
    customer_object,
    item_amount,
    item_object,
    list_object,
    price_object,
    product_object,
    render_item,
    render_session,
    session_amounts,
    session_fields,
)
from ._pagination import page_request, paginate
from ._params import (
    CREATE_CUSTOMER,
    CREATE_PRICE,
    CREATE_SESSION,
    EXPIRE_SESSION,
    LIST_LINE_ITEMS,
    LIST_SESSIONS,
    RETRIEVE,
    UPDATE_SESSION,
)
from ._rules import (
    PriceDraft,
    SessionPlan,
    check_customer_create,
    check_price_create,
    check_session_create,
)
from ._schema import (
    METADATA_MAX_KEYS,
    Obj,
    coerce_params,
    drop_unknown_params,
    unknown_params,
)
from ._store import InFlight, Mismatch, Replay, SessionRecord, Store
from ._wire import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    Request,
    Response,
    encode_json,
    media_type,
)

SESSIONS_PATH = "/v1/checkout/sessions"

_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[a-z]+)?")
_TEST_KEY = re.compile(r"(sk|rk)_test_[A-Za-z0-9_]+")
_LIVE_KEY = re.compile(r"(sk|rk)_live_\S*")
_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]+")
_SESSION_ROUTE = re.compile(r"/v1/checkout/sessions/([^/]+)(/line_items|/expire)?")
_OBJECT_ROUTE = re.compile(r"/v1/(prices|customers)/([^/]+)")

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the "
    "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
    "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
    "details, or we can help at https://support.stripe.com/."
)
_EMPTY_BEARER = (
    "You did not provide an API key, though you did set your Authorization "
    'header to "Bearer". Using Bearer auth, your Authorization header should '
    "look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)

# §3.2: what a session can expand; lists take the same paths under `data.`.
SESSION_EXPANSIONS = frozenset(
    {
        "customer",
        "invoice",
        "line_items",
        "line_items.data.discounts",
        "line_items.data.price",
        "line_items.data.price.product",
        "line_items.data.taxes",
        "payment_intent",
        "payment_link",
        "setup_intent",
        "subscription",
        "total_details.breakdown",
    }
)
MAX_EXPANSION_DEPTH = 4
LIST_EXPANSIONS = frozenset(
    "data." + path
    for path in SESSION_EXPANSIONS
    if path.count(".") + 2 <= MAX_EXPANSION_DEPTH
)
LINE_ITEM_EXPANSIONS = frozenset(
    {"data.discounts", "data.price", "data.price.product", "data.taxes"}
)
PRICE_EXPANSIONS = frozenset({"product"})
CUSTOMER_EXPANSIONS = frozenset({"default_source", "test_clock"})


class SimulatedCrash(RuntimeError):
    """The deliberate crash of the `crash_on_colliding_keys` fault."""


Handler = Callable[["StripeApi", str, FormTree, Request], JsonObject]


class StripeApi:
    """The Checkout Sessions API; one instance holds one server's state."""

    def __init__(self, faults: frozenset[str]) -> None:
        self.faults = faults
        self.store = Store()
        self._request_ids = RequestIds()
        self._livemode = "livemode_true" in faults
        self._per_connection = threading.local()

    # -- entry points ---------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """The response to `request`; never raises (a bug becomes a 500)."""
        request_id = self._request_ids.next()
        version = decided.DEFAULT_STRIPE_VERSION
        try:
            account = self._authenticate(request)
            version = self._stripe_version(request)
            handler, ident = self._route(request)
            if request.method == "POST":
                return self._post(request, handler, ident, account, version, request_id)
            tree = self._params(request)
            return self._ok(handler(self, ident, tree, request), request_id, version)
        except ApiError as error:
            return self._error(request, error, request_id, version)
        except Exception as exc:  # a bug: report it honestly as a 500
            return self._error(request, _internal(exc), request_id, version)

    def refuse(self, request: Request, error: ApiError) -> Response:
        """The answer to a request whose body could not be read."""
        return self._error(
            request,
            error,
            self._request_ids.next(),
            decided.DEFAULT_STRIPE_VERSION,
        )

    # -- transport-level checks ------------------------------------------------

    def _authenticate(self, request: Request) -> str:
        """The API key of the request; raises 401 for anything else (§1.3)."""
        header = request.headers.get("authorization")
        if header is None:
            if "auth_not_enforced" in self.faults:
                return ""
            raise ApiError(401, _NO_KEY)
        if "any_bearer_accepted" in self.faults:
            return header
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() == "bearer":
            if not credentials:
                raise ApiError(401, _EMPTY_BEARER)
            key = credentials
        elif scheme.lower() == "basic":
            key = _basic_user(credentials)
        else:
            raise ApiError(401, f"Invalid API Key provided: {_mask(header)}")
        if _LIVE_KEY.fullmatch(key):
            raise ApiError(
                401,
                f"This reference server serves test mode only and refuses live keys: "
                f"{_mask(key)}",
            )
        if not _TEST_KEY.fullmatch(key):
            raise ApiError(401, f"Invalid API Key provided: {_mask(key)}")
        return key

    def _stripe_version(self, request: Request) -> str:
        version = request.headers.get("stripe-version")
        if version is None:
            return decided.DEFAULT_STRIPE_VERSION
        version = version.strip()
        if not _VERSION.fullmatch(version):
            raise invalid(f"Invalid Stripe API version: {shorten(version)}")
        return version

    def _route(self, request: Request) -> tuple[Handler, str]:
        path, method = request.path, request.method
        if path == SESSIONS_PATH:
            if method == "GET":
                return StripeApi._list_sessions, ""
            if method == "POST":
                return StripeApi._create_session, ""
        elif match := _SESSION_ROUTE.fullmatch(path):
            ident = decode_path_segment(match.group(1))
            handler = _SESSION_ACTIONS.get((method, match.group(2)))
            if handler is not None:
                return handler, ident
        elif path in ("/v1/prices", "/v1/customers") and method == "POST":
            if path == "/v1/prices":
                return StripeApi._create_price, ""
            return StripeApi._create_customer, ""
        elif (match := _OBJECT_ROUTE.fullmatch(path)) and method == "GET":
            ident = decode_path_segment(match.group(2))
            if match.group(1) == "prices":
                return StripeApi._retrieve_price, ident
            return StripeApi._retrieve_customer, ident
        raise ApiError(
            404,
            f"Unrecognized request URL ({method}: {shorten(path, 200)}). Please see "
            "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        )

    def _params(self, request: Request) -> FormTree:
        """The decoded parameters: the query string, and for POST the body too."""
        raw = request.query
        if request.method == "POST" and request.body:
            kind = media_type(request)
            if kind != FORM_CONTENT_TYPE:
                shown = "none" if kind is None else shorten(kind)
                raise invalid(
                    f"Invalid request: the body's Content-Type is {shown}; Stripe's "
                    f"API accepts {FORM_CONTENT_TYPE} bodies only (not JSON)."
                )
            raw = raw + b"&" + request.body if raw else request.body
        tree = decode_form(raw)
        if "crash_on_colliding_keys" in self.faults and has_mixed_container(tree):
            raise SimulatedCrash("a key is used both as an array and as an object")
        return tree

    def _known(self, schema: Obj, tree: FormTree) -> FormTree:
        """`tree` after refusing (or, under a fault, dropping) unknown parameters."""
        names = unknown_params(schema, tree)
        if not names:
            return tree
        if "unknown_params_ignored" in self.faults:
            return drop_unknown_params(schema, tree)
        raise unknown(names)

    def _typed(self, schema: Obj, tree: FormTree) -> dict[str, Any]:
        return coerce_params(schema, self._known(schema, tree))

    # -- idempotency ----------------------------------------------------------

    def _post(
        self,
        request: Request,
        handler: Handler,
        ident: str,
        account: str,
        version: str,
        request_id: str,
    ) -> Response:
        key = request.headers.get("idempotency-key") or None
        extra: tuple[tuple[str, str], ...] = ()
        if key is not None:
            extra = (("Idempotency-Key", key),)
            if len(key) > decided.MAX_IDEMPOTENCY_KEY:
                raise invalid(
                    f"Idempotency keys may be at most {decided.MAX_IDEMPOTENCY_KEY} "
                    f"characters long; this one has {len(key)}."
                )
        tree = self._params(request)
        if key is None or "idempotency_ignored" in self.faults:
            return self._execute(
                handler, ident, tree, request, request_id, version, extra
            )[0]
        fingerprint = _fingerprint(tree)
        outcome = self.store.idempotency_begin(
            account, key, request.method, request.path, fingerprint
        )
        if (
            isinstance(outcome, Mismatch)
            and "idempotency_mismatch_replays" in self.faults
        ):
            outcome = Replay(outcome.entry)
        if isinstance(outcome, Replay):
            entry = outcome.entry
            return self._respond(
                entry.status,
                entry.body,
                request_id,
                version,
                (*extra, ("Idempotent-Replayed", "true")),
            )
        if isinstance(outcome, Mismatch):
            raise _idempotency_mismatch(key, outcome.entry.path, request.path)
        if isinstance(outcome, InFlight):
            raise ApiError(
                409,
                "There is currently another in-progress request using this "
                "Idempotency-Key; retry this request later.",
                code="idempotency_key_in_use",
            )
        response, keep = self._execute(
            handler, ident, tree, request, request_id, version, extra
        )
        self.store.idempotency_finish(
            account, key, response.status, response.body, keep=keep
        )
        return response

    def _execute(
        self,
        handler: Handler,
        ident: str,
        tree: FormTree,
        request: Request,
        request_id: str,
        version: str,
        extra: tuple[tuple[str, str], ...],
    ) -> tuple[Response, bool]:
        """The response, and whether an Idempotency-Key should remember it."""
        try:
            body = handler(self, ident, tree, request)
        except ApiError as error:
            return self._error(request, error, request_id, version, extra), error.stored
        except Exception as exc:
            return self._error(
                request, _internal(exc), request_id, version, extra
            ), True
        return self._ok(body, request_id, version, extra), True

    # -- responses ------------------------------------------------------------

    def _ok(
        self,
        body: JsonObject,
        request_id: str,
        version: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Response:
        return self._respond(200, encode_json(body), request_id, version, extra)

    def _respond(
        self,
        status: int,
        body: bytes,
        request_id: str,
        version: str,
        extra: tuple[tuple[str, str], ...],
    ) -> Response:
        error = status >= 400
        content_type = JSON_CONTENT_TYPE
        if error and "errors_served_as_html" in self.faults:
            content_type = "text/html; charset=utf-8"
        headers: list[tuple[str, str]] = [("Content-Type", content_type)]
        if not (error and "no_request_id_on_errors" in self.faults):
            headers.append(("Request-Id", request_id))
        headers.append(("Stripe-Version", version))
        headers.extend(extra)
        return Response(status, body, tuple(headers))

    def _error(
        self,
        request: Request,
        error: ApiError,
        request_id: str,
        version: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> Response:
        error_type = error.type
        if (
            "error_type_nonstandard" in self.faults
            and error.status == 400
            and error_type == INVALID_REQUEST
        ):
            error_type = "validation_error"
        param = error.param
        if param is not None and "error_param_unindexed" in self.faults:
            param = param.rstrip("]").rsplit("[", 1)[-1]
        message = error.message
        if "echo_key_in_errors" in self.faults:
            message += f" (Authorization: {request.headers.get('authorization')})"
        fields: JsonObject = {}
        if error.code is not None:
            fields["code"] = error.code
            fields["doc_url"] = DOC_URL_BASE + error.code.replace("_", "-")
        fields["message"] = message
        if param is not None:
            fields["param"] = param
        fields["type"] = error_type
        response = self._respond(
            error.status, encode_json({"error": fields}), request_id, version, extra
        )
        if error.close_connection:
            response = dataclasses.replace(response, close=True)
        return response

    # -- sessions -------------------------------------------------------------

    def _create_session(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(CREATE_SESSION, tree)
        expand = _expansions(params.get("expand"), SESSION_EXPANSIONS)
        now = int(time.time())
        plan = check_session_create(params, self.store, now, self.faults)
        seq, created = self.store.next_created(now)
        session_id = self._new_session_id()
        record = self._build_session(plan, session_id, seq, created)
        self.store.add_session(record)
        return self._render(record, expand)

    def _new_session_id(self) -> str:
        if "uuid_session_ids" in self.faults:
            return str(uuid.uuid4())
        if "duplicate_ids_under_concurrency" in self.faults:
            count = getattr(self._per_connection, "count", 0) + 1
            self._per_connection.count = count
            return f"cs_test_connection{count:06d}"
        while True:
            session_id = new_id("cs_test_a1", 56)
            if not self.store.has_session(session_id):
                return session_id

    def _build_session(
        self, plan: SessionPlan, session_id: str, seq: int, created: int
    ) -> SessionRecord:
        params = plan.params
        faults = self.faults
        items = tuple(
            item_object(
                item_id=new_id("li_"),
                plan=item,
                price=self._line_item_price(item.price, created),
                amount=item_amount(item, faults),
            )
            for item in plan.items
        )
        expires_at = params.get("expires_at", created + 86400)
        if "expires_at_ignores_request" in faults:
            expires_at = created + 86400
        embedded = plan.ui_mode == "embedded"
        client_secret = None
        if embedded or "hosted_has_client_secret" in faults:
            client_secret = f"{session_id}_secret_{new_id('', 24)}"
        payment_status = "no_payment_required" if plan.mode == "setup" else "unpaid"
        if plan.mode == "setup" and "setup_mode_unpaid" in faults:
            payment_status = "unpaid"
        success_url = params.get("success_url")
        if success_url is not None and "success_url_placeholder_substituted" in faults:
            success_url = success_url.replace("{CHECKOUT_SESSION_ID}", session_id)
        payment_intent = None
        if plan.mode == "payment" and "payment_intent_created_eagerly" in faults:
            payment_intent = new_id("pi_")
        fields = session_fields(
            plan,
            session_id=session_id,
            created=created,
            expires_at=expires_at,
            livemode=self._livemode,
            client_secret=client_secret,
            payment_intent=payment_intent,
            payment_status=payment_status,
            success_url=success_url,
            amounts=session_amounts(plan, faults),
            shipping_rate_ids=[new_id("shr_") for _ in plan.shipping],
        )
        if "cancel_url_dropped" in faults:
            fields["cancel_url"] = None
        metadata = self._merged_metadata({}, params.get("metadata"), updating=False)
        return SessionRecord(
            id=session_id,
            seq=seq,
            created=created,
            status="open",
            fields=fields,
            metadata=metadata,
            items=items,
        )

    def _line_item_price(self, draft: PriceDraft, created: int) -> JsonObject:
        """The price a line item embeds: the stored one, or a new inactive one."""
        if draft.stored is not None:
            return dict(draft.stored)
        return self._store_new_price(
            draft, created=created, active=False, nickname=None, metadata={}
        )

    def _store_new_price(
        self,
        draft: PriceDraft,
        *,
        created: int,
        active: bool,
        nickname: str | None,
        metadata: dict[str, str],
    ) -> JsonObject:
        """Store a price built from `draft`, and its product when the draft names
        none; both are `active` as given (Stripe leaves inline ones inactive)."""
        product_id = draft.product_id
        if product_id is None:
            product_id = new_id("prod_", 14)
            self.store.add_product(
                product_object(
                    product_id=product_id,
                    name=draft.product_name or "",
                    active=active,
                    created=created,
                    livemode=self._livemode,
                )
            )
        price = price_object(
            price_id=new_id("price_"),
            product_id=product_id,
            currency=draft.currency,
            unit_amount_decimal=draft.unit_amount_decimal,
            recurring=draft.recurring,
            tax_behavior=draft.tax_behavior,
            nickname=nickname,
            metadata=metadata,
            active=active,
            created=created,
            livemode=self._livemode,
        )
        self.store.add_price(price)
        return price

    def _metadata_key(self, key: str) -> str:
        if "metadata_keys_lowercased" in self.faults:
            return key.lower()
        return key

    def _merged_metadata(
        self, current: Mapping[str, str], incoming: object, *, updating: bool = True
    ) -> dict[str, str]:
        """`current` changed by a typed `metadata` parameter.

        `""` clears every key and `metadata[k]=""` removes k (on create there is
        nothing to remove, so such keys are simply not stored).
        """
        if incoming == "":
            return {}
        if not isinstance(incoming, dict):
            return dict(current)
        merged = dict(current)
        for key, value in incoming.items():
            key = self._metadata_key(key)
            if value == "":
                if updating and "update_empty_value_stored" in self.faults:
                    merged[key] = ""
                else:
                    merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    def _render(self, record: SessionRecord, expand: frozenset[str]) -> JsonObject:
        line_items = None
        if any(path.startswith("line_items") for path in expand):
            limit = decided.EXPANDED_LINE_ITEMS_LIMIT
            items = [
                self._render_item(item, expand, "line_items.data.")
                for item in record.items[:limit]
            ]
            line_items = list_object(
                items,
                has_more=len(record.items) > limit,
                url=f"{SESSIONS_PATH}/{record.id}/line_items",
            )
        customer = None
        if "customer" in expand and record.fields["customer"] is not None:
            customer = self.store.customer(record.fields["customer"])
        return render_session(
            record.fields,
            status=record.status,
            metadata=record.metadata,
            faults=self.faults,
            line_items=line_items,
            customer=customer,
            breakdown="total_details.breakdown" in expand,
        )

    def _render_item(
        self, item: Mapping[str, Any], expand: frozenset[str], prefix: str
    ) -> JsonObject:
        product = None
        if prefix + "price.product" in expand:
            product = self.store.product(item["price"]["product"])
        return render_item(
            item,
            self.faults,
            product=product,
            with_discounts=prefix + "discounts" in expand,
            with_taxes=prefix + "taxes" in expand,
        )

    def _session(
        self, ident: str, *, line_items_wording: bool = False
    ) -> SessionRecord:
        record = self.store.session(ident)
        if record is None:
            raise self._missing_session(ident, line_items_wording=line_items_wording)
        return record

    def _locked_session(self, ident: str) -> SessionRecord:
        """`_session` for a caller that holds the store's lock."""
        record = self.store.session_unlocked(ident)
        if record is None:
            raise self._missing_session(ident)
        return record

    def _missing_session(
        self, ident: str, *, line_items_wording: bool = False
    ) -> ApiError:
        """The refusal for a session id the store does not hold (§12 item 4)."""
        if not _SESSION_ID.fullmatch(ident):
            return ApiError(404, f"Invalid checkout.session id: {shorten(ident, 80)}")
        status = 400 if "unknown_session_400" in self.faults else 404
        kind = "checkout session" if line_items_wording else "checkout.session"
        return no_such(kind, shorten(ident, 80), status=status, param="session")

    def _retrieve_session(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(RETRIEVE, tree)
        expand = _expansions(params.get("expand"), SESSION_EXPANSIONS)
        record = self._session(ident)
        if "retrieve_stale_copy" in self.faults:
            record = self.store.initial_session(ident) or record
        session = self._render(record, expand)
        if "retrieve_forgets_customer_email" in self.faults:
            session["customer_email"] = None
        return session

    def _list_sessions(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(LIST_SESSIONS, tree)
        paging = page_request(params, self.faults)
        expand = _expansions(params.get("expand"), LIST_EXPANSIONS, list_prefix=True)
        records = self.store.sessions_oldest_first()
        if "list_omits_newest" in self.faults and records:
            records = records[:-1]
        if "list_oldest_first" not in self.faults:
            records.reverse()
        records = [record for record in records if self._matches(record, params)]
        page, has_more = paginate(
            records,
            [record.id for record in records],
            paging,
            object_name="checkout.session",
            faults=self.faults,
        )
        inner = frozenset(path.removeprefix("data.") for path in expand)
        data = [self._render(record, inner) for record in page]
        return list_object(data, has_more=has_more, url=self._list_url(request))

    def _matches(self, record: SessionRecord, params: Mapping[str, Any]) -> bool:
        fields = record.fields
        status = params.get("status")
        if (
            status is not None
            and record.status != status
            and "status_filter_ignored" not in self.faults
        ):
            return False
        for name in ("customer", "payment_intent", "payment_link", "subscription"):
            if name in params and fields[name] != params[name]:
                return False
        if "customer_details" in params:
            details = fields["customer_details"]
            email = details["email"] if details else None
            if email != params["customer_details"]["email"]:
                return False
        created = params.get("created")
        if created is None:
            return True
        if isinstance(created, int):
            return record.created == created
        gte = created.get("gte")
        if gte is not None and "created_gte_exclusive" in self.faults:
            gte += 1
        checks = (
            (created.get("gt"), lambda bound: record.created > bound),
            (gte, lambda bound: record.created >= bound),
            (created.get("lt"), lambda bound: record.created < bound),
            (created.get("lte"), lambda bound: record.created <= bound),
        )
        return all(bound is None or test(bound) for bound, test in checks)

    def _list_url(self, request: Request) -> str:
        if "list_url_with_query" in self.faults and request.query:
            return f"{request.path}?{request.query.decode('latin-1')}"
        return request.path

    def _list_line_items(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(LIST_LINE_ITEMS, tree)
        paging = page_request(params, self.faults)
        expand = _expansions(params.get("expand"), LINE_ITEM_EXPANSIONS)
        record = self._session(ident, line_items_wording=True)
        items = list(record.items)
        if "line_items_endpoint_reversed" in self.faults:
            items.reverse()
        page, has_more = paginate(
            items,
            [item["id"] for item in items],
            paging,
            object_name="line_item",
            faults=self.faults,
        )
        data = [self._render_item(item, expand, "data.") for item in page]
        return list_object(data, has_more=has_more, url=self._list_url(request))

    def _expire_session(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(EXPIRE_SESSION, tree)
        expand = _expansions(params.get("expand"), SESSION_EXPANSIONS)
        with self.store.lock():
            record = self._locked_session(ident)
            if record.status != "open":
                if "expire_is_repeatable" in self.faults:
                    return self._render(record, expand)
                raise ApiError(
                    400,
                    'Only Checkout Sessions with a status in ["open"] can be expired. '
                    f"This Checkout Session has a status of `{record.status}`.",
                    stored=True,
                )
            expired = dataclasses.replace(record, status="expired")
            if "expire_not_persisted" not in self.faults:
                self.store.replace_session_unlocked(expired)
        return self._render(expired, expand)

    def _update_session(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        try:
            params = self._typed(UPDATE_SESSION, tree)
        except ApiError as error:
            if "refused_update_partially_applied" in self.faults:
                self._apply_metadata_before(ident, tree, error)
            raise
        expand = _expansions(params.get("expand"), SESSION_EXPANSIONS)
        with self.store.lock():
            record = self._locked_session(ident)
            status = record.status
            if status != "open":
                if "update_reopens_expired" in self.faults and status == "expired":
                    status = "open"
                else:
                    raise ApiError(
                        400,
                        "This Checkout Session can no longer be updated: its status "
                        f"is `{record.status}`; only open sessions can be updated.",
                        stored=True,
                    )
            current: Mapping[str, str] = record.metadata
            if "update_replaces_metadata" in self.faults and "metadata" in params:
                current = {}
            metadata = self._merged_metadata(current, params.get("metadata"))
            if len(metadata) > METADATA_MAX_KEYS:
                raise invalid(
                    f"Invalid metadata: metadata can have at most {METADATA_MAX_KEYS} "
                    f"keys; this update would leave {len(metadata)}.",
                    "metadata",
                )
            updated = dataclasses.replace(record, status=status, metadata=metadata)
            self.store.replace_session_unlocked(updated)
        return self._render(updated, expand)

    def _apply_metadata_before(
        self, ident: str, tree: FormTree, error: ApiError
    ) -> None:
        """Store the metadata entries that preceded the one `error` refused."""
        incoming = tree.get("metadata")
        if not isinstance(incoming, dict):
            return
        accepted: dict[str, str] = {}
        for key, value in incoming.items():
            if error.param == f"metadata[{key}]" or not isinstance(value, str):
                break
            accepted[key] = value
        with self.store.lock():
            record = self.store.session_unlocked(ident)
            if record is None or not accepted:
                return
            metadata = self._merged_metadata(record.metadata, accepted)
            self.store.replace_session_unlocked(
                dataclasses.replace(record, metadata=metadata)
            )

    # -- prices and customers -------------------------------------------------

    def _create_price(self, ident: str, tree: FormTree, request: Request) -> JsonObject:
        params = self._typed(CREATE_PRICE, tree)
        expand = _expansions(params.get("expand"), PRICE_EXPANSIONS)
        draft = check_price_create(params, self.store)
        price = self._store_new_price(
            draft,
            created=int(time.time()),
            active=True,
            nickname=params.get("nickname"),
            metadata=_set_values(params.get("metadata")),
        )
        return self._render_price(price, expand)

    def _retrieve_price(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(RETRIEVE, tree)
        expand = _expansions(params.get("expand"), PRICE_EXPANSIONS)
        price = self.store.price(ident)
        if price is None:
            raise no_such("price", shorten(ident, 80), status=404, param="price")
        return self._render_price(price, expand)

    def _render_price(self, price: JsonObject, expand: frozenset[str]) -> JsonObject:
        if "product" in expand:
            product = self.store.product(price["product"])
            return {**price, "product": product}
        return dict(price)

    def _create_customer(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(CREATE_CUSTOMER, tree)
        _expansions(params.get("expand"), CUSTOMER_EXPANSIONS)
        check_customer_create(params)
        customer = customer_object(
            customer_id=new_id("cus_", 14),
            email=params.get("email"),
            name=params.get("name"),
            metadata=_set_values(params.get("metadata")),
            created=int(time.time()),
            livemode=self._livemode,
            invoice_prefix=new_id("", 8).upper(),
        )
        self.store.add_customer(customer)
        return customer

    def _retrieve_customer(
        self, ident: str, tree: FormTree, request: Request
    ) -> JsonObject:
        params = self._typed(RETRIEVE, tree)
        _expansions(params.get("expand"), CUSTOMER_EXPANSIONS)
        customer = self.store.customer(ident)
        if customer is None:
            raise no_such("customer", shorten(ident, 80), status=404, param="customer")
        return dict(customer)


_SESSION_ACTIONS: dict[tuple[str, str | None], Handler] = {
    ("GET", None): StripeApi._retrieve_session,
    ("POST", None): StripeApi._update_session,
    ("GET", "/line_items"): StripeApi._list_line_items,
    ("POST", "/expire"): StripeApi._expire_session,
}


# -- helpers -----------------------------------------------------------------


def _internal(exc: Exception) -> ApiError:
    """The honest 500 for an exception no handler expected."""
    if not isinstance(exc, SimulatedCrash):
        traceback.print_exception(exc, file=sys.stderr)
    return ApiError(
        500,
        "An unexpected error occurred in the reference server: "
        f"{type(exc).__name__}: {shorten(str(exc), 200)}",
        type=API_ERROR,
        stored=True,
    )


def _idempotency_mismatch(key: str, first_path: str, path: str) -> ApiError:
    if first_path != path:
        message = (
            "Keys for idempotent requests can only be used for the same endpoint they "
            f"were first used for ('{first_path}' vs '{path}'). Try using a key other "
            f"than '{shorten(key, 255)}' if you meant to execute a different request."
        )
    else:
        message = (
            "Keys for idempotent requests can only be used with the same parameters "
            "they were first used with. Try using a key other than "
            f"'{shorten(key, 255)}' if you meant to execute a different request."
        )
    return ApiError(400, message, type=IDEMPOTENCY)


def _fingerprint(tree: FormTree) -> str:
    """The decoded parameters in a canonical form: key order does not matter."""
    return encode_json(_sorted(tree)).decode("utf-8")


def _sorted(value: object) -> object:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


def _expansions(
    requested: list[str] | None, allowed: frozenset[str], *, list_prefix: bool = False
) -> frozenset[str]:
    """The requested expansion paths, each checked against `allowed`."""
    if requested is None:
        return frozenset()
    for path in requested:
        if path.count(".") + 1 > MAX_EXPANSION_DEPTH:
            raise invalid(
                f"You cannot expand more than {MAX_EXPANSION_DEPTH} levels of a "
                f"property: {shorten(path)}",
                "expand",
            )
        if path not in allowed:
            hint = " (list expansions start with `data.`)" if list_prefix else ""
            raise invalid(
                f"This property cannot be expanded ({shorten(path)}){hint}.", "expand"
            )
    return frozenset(requested)


def _set_values(metadata: object) -> dict[str, str]:
    """Create-time metadata: keys sent with an empty value are not stored."""
    if not isinstance(metadata, dict):
        return {}
    return {key: value for key, value in metadata.items() if value != ""}


def _basic_user(credentials: str) -> str:
    """The user name of Basic credentials (Stripe takes the key as user name)."""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(
            401, "Invalid API Key provided: the Basic credentials are not valid base64."
        ) from None
    return decoded.partition(":")[0]


def _mask(key: str) -> str:
    """A key shown the way Stripe shows it in errors: prefix and last 4 only."""
    if len(key) <= 12:
        return "****"
    return key[:8] + "*" * min(len(key) - 12, 24) + key[-4:]
