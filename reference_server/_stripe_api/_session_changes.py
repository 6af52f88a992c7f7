"""Changing a session: expire it, or update its metadata.

Both act only on open sessions (anything else is a stored 400, so an
Idempotency-Key replays it) and hold the store's lock from read to write, so
concurrent changes to one session never lose each other's effect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from .._errors import ApiError, invalid
from .._form import FormTree
from .._ids import new_id
from .._objects import JsonObject
from .._params import EXPIRE_SESSION, UPDATE_SESSION
from .._schema import METADATA_MAX_KEYS
from .._wire import Request
from ._expand import SESSION_EXPANSIONS, expansions
from ._metadata import merged_metadata
from ._request import typed_params
from ._session_views import find_session_locked, render_session
from ._state import State


def expire(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/checkout/sessions/{id}/expire`: an open session becomes expired."""
    params = typed_params(EXPIRE_SESSION, tree, state.faults)
    expand = expansions(params.get("expand"), SESSION_EXPANSIONS)
    with state.store.lock():
        record = find_session_locked(state, ident)
        if record.status != "open":
            if "expire_is_repeatable" in state.faults:
                return render_session(state, record, expand)
            raise ApiError(
                400,
                'Only Checkout Sessions with a status in ["open"] can be expired. '
                f"This Checkout Session has a status of `{record.status}`.",
                stored=True,
            )
        expired = dataclasses.replace(record, status="expired")
        if "expire_not_persisted" not in state.faults:
            state.store.replace_session_unlocked(expired)
    answer = render_session(state, expired, expand)
    if "expire_answers_other_id" in state.faults:
        answer["id"] = new_id("cs_test_", 58)
    return answer


def update(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/checkout/sessions/{id}`: merge new metadata into an open session."""
    faults = state.faults
    try:
        params = typed_params(UPDATE_SESSION, tree, faults)
    except ApiError as error:
        if "refused_update_partially_applied" in faults:
            _apply_metadata_before(state, ident, tree, error)
        raise
    expand = expansions(params.get("expand"), SESSION_EXPANSIONS)
    with state.store.lock():
        record = find_session_locked(state, ident)
        status = record.status
        if status != "open":
            if "update_reopens_expired" in faults and status == "expired":
                status = "open"
            else:
                raise ApiError(
                    400,
                    "This Checkout Session can no longer be updated: its status "
                    f"is `{record.status}`; only open sessions can be updated.",
                    stored=True,
                )
        current: Mapping[str, str] = record.metadata
        if "update_replaces_metadata" in faults and "metadata" in params:
            current = {}
        metadata = merged_metadata(current, params.get("metadata"), faults)
        if len(metadata) > METADATA_MAX_KEYS:
            raise invalid(
                f"Invalid metadata: metadata can have at most {METADATA_MAX_KEYS} "
                f"keys; this update would leave {len(metadata)}.",
                "metadata",
            )
        updated = dataclasses.replace(record, status=status, metadata=metadata)
        state.store.replace_session_unlocked(updated)
    return render_session(state, updated, expand)


def _apply_metadata_before(
    state: State, ident: str, tree: FormTree, error: ApiError
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
    with state.store.lock():
        record = state.store.session_unlocked(ident)
        if record is None or not accepted:
            return
        metadata = merged_metadata(record.metadata, accepted, state.faults)
        state.store.replace_session_unlocked(
            dataclasses.replace(record, metadata=metadata)
        )
