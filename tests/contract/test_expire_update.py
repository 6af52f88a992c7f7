"""Expire and update (catalogue §6): state changes that stick, and only once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contracts
from client import BracketList
from run import scaled
from strategies import metadata_maps, metadata_updates, session_create_params
from tests.contract._flows import (
    body_of,
    create_ok,
    minimal_session_params,
    session_id,
    succeed,
)


@pytest.mark.contract("expire_closes_session")
@given(params=session_create_params())
def test_expire_closes_the_session(api, ctx, params):
    created = create_ok(api, ctx, params)
    expired = api.expire(session_id(created))
    retrieved = api.retrieve(session_id(created))
    contracts.expire_closes_session(ctx, expired, retrieved)


@pytest.mark.contract("expire_twice_refused")
@scaled(0.4, at_least=3)
@given(params=session_create_params())
def test_second_expire_is_refused(api, ctx, params):
    created = create_ok(api, ctx, params)
    succeed(ctx, api.expire(session_id(created)))
    second = api.expire(session_id(created))
    contracts.expire_twice_refused(ctx, second, api.retrieve(session_id(created)))


@pytest.mark.contract("answers_describe_the_requested_session")
@given(params=session_create_params())
def test_expire_answers_the_session_named_expired(api, ctx, params):
    created = create_ok(api, ctx, params)
    requested = session_id(created)
    expired = succeed(
        ctx,
        api.send(
            "POST",
            f"/v1/checkout/sessions/{requested}/expire",
            params={"expand": BracketList(["line_items"])},
        ),
    )
    contracts.answers_describe_the_requested_session(
        ctx, expired, requested_id=requested, expired=True
    )


# The update is drawn knowing the session's keys, so that it changes and unsets some
# of them as well as adding new ones.
_METADATA_AND_UPDATE = metadata_maps().flatmap(
    lambda initial: st.tuples(st.just(initial), metadata_updates(existing_keys=initial))
)


@pytest.mark.contract("update_merges_metadata")
@given(metadata_and_update=_METADATA_AND_UPDATE)
def test_update_merges_metadata(api, ctx, metadata_and_update):
    initial, update = metadata_and_update
    created = create_ok(api, ctx, minimal_session_params(metadata=initial))
    before = body_of(created).get("metadata") or {}
    updated = api.update(session_id(created), update)
    contracts.update_merges_metadata(
        ctx, before, updated, api.retrieve(session_id(created))
    )


@pytest.mark.contract("expired_sessions_stay_expired")
@scaled(0.4, at_least=3)
@given(update=metadata_updates())
def test_expired_session_stays_expired_after_update(api, ctx, update):
    """The state machine explores this among many sequences; this test always does
    it."""
    created = create_ok(api, ctx, minimal_session_params())
    expired = succeed(ctx, api.expire(session_id(created)))
    updated = api.update(session_id(created), update)
    retrieved = api.retrieve(session_id(created))
    model = contracts.ModelSession(
        id=session_id(created), created=body_of(created)["created"], status="expired"
    )
    steps = [
        contracts.Step("create a payment session", (created,)),
        contracts.Step("expire it", (expired,)),
        contracts.Step("update its metadata", (updated,)),
        contracts.Step("retrieve it", (retrieved,)),
    ]
    contracts.expired_sessions_stay_expired(ctx, retrieved, model, steps)
