"""Finding a stored session and rendering it, with its expansions.

`find_session` returns the record or raises the refusal Stripe gives for that
id (404, or 400 under a fault); `render_session` and `render_item` turn stored
records into the JSON a handler returns, expanding exactly the paths asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import _decisions as decided
from .._errors import ApiError, no_such, shorten
from .._objects import JsonObject, list_object
from .._objects import render_item as render_line_item
from .._objects import render_session as render_session_object
from .._store import SessionRecord
from ._state import State

SESSIONS_PATH = "/v1/checkout/sessions"

_SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]+")


def find_session(
    state: State, ident: str, *, line_items_wording: bool = False
) -> SessionRecord:
    """The stored session `ident`; raises its refusal if there is none."""
    record = state.store.session(ident)
    if record is None:
        raise missing_session(state, ident, line_items_wording=line_items_wording)
    return record


def find_session_locked(state: State, ident: str) -> SessionRecord:
    """`find_session` for a caller that holds the store's lock."""
    record = state.store.session_unlocked(ident)
    if record is None:
        raise missing_session(state, ident)
    return record


def missing_session(
    state: State, ident: str, *, line_items_wording: bool = False
) -> ApiError:
    """The refusal for a session id the store does not hold (§12 item 4)."""
    if not _SESSION_ID.fullmatch(ident):
        return ApiError(404, f"Invalid checkout.session id: {shorten(ident, 80)}")
    status = 400 if "unknown_session_400" in state.faults else 404
    kind = "checkout session" if line_items_wording else "checkout.session"
    return no_such(kind, shorten(ident, 80), status=status, param="session")


def render_session(
    state: State, record: SessionRecord, expand: frozenset[str]
) -> JsonObject:
    """The session's JSON with the (already checked) `expand` paths expanded."""
    line_items = None
    if any(path.startswith("line_items") for path in expand):
        limit = decided.EXPANDED_LINE_ITEMS_LIMIT
        items = [
            render_item(state, item, expand, "line_items.data.")
            for item in record.items[:limit]
        ]
        line_items = list_object(
            items,
            has_more=len(record.items) > limit,
            url=f"{SESSIONS_PATH}/{record.id}/line_items",
        )
    customer = None
    if "customer" in expand and record.fields["customer"] is not None:
        customer = state.store.customer(record.fields["customer"])
    return render_session_object(
        record.fields,
        status=record.status,
        metadata=record.metadata,
        faults=state.faults,
        line_items=line_items,
        customer=customer,
        breakdown="total_details.breakdown" in expand,
    )


def render_item(
    state: State, item: Mapping[str, Any], expand: frozenset[str], prefix: str
) -> JsonObject:
    """A line item's JSON; `prefix` is where line items sit in `expand` paths."""
    product = None
    if prefix + "price.product" in expand:
        product = state.store.product(item["price"]["product"])
    return render_line_item(
        item,
        state.faults,
        product=product,
        with_discounts=prefix + "discounts" in expand,
        with_taxes=prefix + "taxes" in expand,
    )
