"""Reading sessions: retrieve one, list them, list one's line items.

Lists are newest first, filtered by the list parameters, and cut into pages by
`_pagination` (cursor ids must exist; `has_more` says whether a page follows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .._form import FormTree
from .._objects import JsonObject, list_object
from .._pagination import page_request, paginate
from .._params import LIST_LINE_ITEMS, LIST_SESSIONS, RETRIEVE
from .._store import SessionRecord
from .._wire import Request
from ._expand import (
    LINE_ITEM_EXPANSIONS,
    LIST_EXPANSIONS,
    SESSION_EXPANSIONS,
    expansions,
)
from ._request import typed_params
from ._session_views import find_session, render_item, render_session
from ._state import State


def retrieve(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`GET /v1/checkout/sessions/{id}`: the session as it is now."""
    params = typed_params(RETRIEVE, tree, state.faults)
    expand = expansions(params.get("expand"), SESSION_EXPANSIONS)
    record = find_session(state, ident)
    if "retrieve_stale_copy" in state.faults:
        record = state.store.initial_session(ident) or record
    session = render_session(state, record, expand)
    if "retrieve_forgets_customer_email" in state.faults:
        session["customer_email"] = None
    return session


def list_sessions(
    state: State, ident: str, tree: FormTree, request: Request
) -> JsonObject:
    """`GET /v1/checkout/sessions`: one page of the matching sessions."""
    faults = state.faults
    params = typed_params(LIST_SESSIONS, tree, faults)
    paging = page_request(params, faults)
    expand = expansions(params.get("expand"), LIST_EXPANSIONS, list_prefix=True)
    records = state.store.sessions_oldest_first()
    if "list_omits_newest" in faults and records:
        records = records[:-1]
    if "list_oldest_first" not in faults:
        records.reverse()
    unfiltered = [record.id for record in records]
    records = [record for record in records if _matches(state, record, params)]
    located = [record.id for record in records]
    if "filtered_cursor_found_unfiltered" in faults:
        located = unfiltered
    page, has_more = paginate(
        records,
        located,
        paging,
        object_name="checkout.session",
        faults=faults,
    )
    inner = frozenset(path.removeprefix("data.") for path in expand)
    data = [render_session(state, record, inner) for record in page]
    return list_object(data, has_more=has_more, url=_list_url(state, request))


def list_line_items(
    state: State, ident: str, tree: FormTree, request: Request
) -> JsonObject:
    """`GET /v1/checkout/sessions/{id}/line_items`: one page of its line items."""
    faults = state.faults
    params = typed_params(LIST_LINE_ITEMS, tree, faults)
    paging = page_request(params, faults)
    if "line_items_starting_after_ignored" in faults:
        paging = replace(paging, starting_after=None)
    if "line_items_ending_before_ignored" in faults:
        paging = replace(paging, ending_before=None)
    expand = expansions(params.get("expand"), LINE_ITEM_EXPANSIONS)
    record = find_session(state, ident, line_items_wording=True)
    items = list(record.items)
    if "line_items_endpoint_reversed" in faults:
        items.reverse()
    page, has_more = paginate(
        items,
        [item["id"] for item in items],
        paging,
        object_name="line_item",
        faults=faults,
    )
    data = [render_item(state, item, expand, "data.") for item in page]
    return list_object(data, has_more=has_more, url=_list_url(state, request))


def _matches(state: State, record: SessionRecord, params: Mapping[str, Any]) -> bool:
    """Whether `record` passes the list filters in `params`."""
    fields = record.fields
    status = params.get("status")
    if (
        status is not None
        and record.status != status
        and "status_filter_ignored" not in state.faults
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
    if gte is not None and "created_gte_exclusive" in state.faults:
        gte += 1
    checks = (
        (created.get("gt"), lambda bound: record.created > bound),
        (gte, lambda bound: record.created >= bound),
        (created.get("lt"), lambda bound: record.created < bound),
        (created.get("lte"), lambda bound: record.created <= bound),
    )
    return all(bound is None or test(bound) for bound, test in checks)


def _list_url(state: State, request: Request) -> str:
    """A list's `url`: the request's path, without its query."""
    if "list_url_with_query" in state.faults and request.query:
        return f"{request.path}?{request.query.decode('latin-1')}"
    return request.path
