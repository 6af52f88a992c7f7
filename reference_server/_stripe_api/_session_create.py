"""`POST /v1/checkout/sessions`: check, build and store a new session.

The cross-field rules live in `_rules.check_session_create`; this module turns
the plan it returns into a stored `SessionRecord` (fresh unique id, line items
with their prices, amounts, URLs, client secret) and renders it.
"""

from __future__ import annotations

import time
import uuid

from .._form import FormTree
from .._ids import new_id
from .._objects import (
    JsonObject,
    item_amount,
    item_object,
    session_amounts,
    session_fields,
)
from .._params import CREATE_SESSION
from .._rules import PriceDraft, SessionPlan, check_session_create
from .._store import SessionRecord
from .._wire import Request
from ._expand import SESSION_EXPANSIONS, expansions
from ._metadata import merged_metadata
from ._prices import store_new_price
from ._request import typed_params
from ._session_views import render_session
from ._state import State


def create(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/checkout/sessions`: a new open session."""
    params = typed_params(CREATE_SESSION, tree, state.faults)
    expand = expansions(params.get("expand"), SESSION_EXPANSIONS)
    now = int(time.time())
    plan = check_session_create(params, state.store, now, state.faults)
    seq, created = state.store.next_created(now)
    session_id = _new_session_id(state)
    record = _build_session(state, plan, session_id, seq, created)
    state.store.add_session(record)
    return render_session(state, record, expand)


def _new_session_id(state: State) -> str:
    if "uuid_session_ids" in state.faults:
        return str(uuid.uuid4())
    if "duplicate_ids_under_concurrency" in state.faults:
        count = getattr(state.per_connection, "count", 0) + 1
        state.per_connection.count = count
        return f"cs_test_connection{count:06d}"
    while True:
        session_id = new_id("cs_test_a1", 56)
        if not state.store.has_session(session_id):
            return session_id


def _build_session(
    state: State, plan: SessionPlan, session_id: str, seq: int, created: int
) -> SessionRecord:
    params = plan.params
    faults = state.faults
    items = tuple(
        item_object(
            item_id=new_id("li_"),
            plan=item,
            price=_line_item_price(state, item.price, created),
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
        livemode=state.livemode,
        client_secret=client_secret,
        payment_intent=payment_intent,
        payment_status=payment_status,
        success_url=success_url,
        amounts=session_amounts(plan, faults),
        shipping_rate_ids=[new_id("shr_") for _ in plan.shipping],
    )
    if "cancel_url_dropped" in faults:
        fields["cancel_url"] = None
    metadata = merged_metadata({}, params.get("metadata"), faults, updating=False)
    return SessionRecord(
        id=session_id,
        seq=seq,
        created=created,
        status="open",
        fields=fields,
        metadata=metadata,
        items=items,
    )


def _line_item_price(state: State, draft: PriceDraft, created: int) -> JsonObject:
    """The price a line item embeds: the stored one, or a new inactive one."""
    if draft.stored is not None:
        return dict(draft.stored)
    return store_new_price(
        state, draft, created=created, active=False, nickname=None, metadata={}
    )
