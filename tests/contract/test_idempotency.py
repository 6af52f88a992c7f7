"""Idempotency (catalogue §1.5): a key replays, and binds its parameters.

Keys are drawn to exercise what a key may hold, then prefixed with a fresh uuid:
a key binds its first request for 24 hours, so two examples must never share one.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given

import contracts
from run import scaled
from strategies import idempotency_keys, session_create_params
from tests.contract._flows import succeed


@pytest.mark.contract("idempotent_replay_is_identical")
@given(params=session_create_params(), key=idempotency_keys())
def test_replay_with_same_key_is_identical(api, ctx, params, key):
    key = _unique(key)
    resolved = api.resolve(params)
    first = succeed(ctx, api.create_session(resolved, idempotency_key=key))
    replay = api.create_session(resolved, idempotency_key=key)
    contracts.idempotent_replay_is_identical(ctx, first, replay)


@pytest.mark.contract("idempotency_key_reuse_refused")
@scaled(0.5, at_least=5)
@given(params=session_create_params(), key=idempotency_keys())
def test_key_reused_with_other_params_is_refused(api, ctx, params, key):
    key = _unique(key)
    resolved = api.resolve(params)
    succeed(ctx, api.create_session(resolved, idempotency_key=key))
    changed = {
        **resolved,
        "client_reference_id": f"changed-{resolved.get('client_reference_id', '')}"[
            :200
        ],
    }
    contracts.idempotency_key_reuse_refused(
        ctx, api.create_session(changed, idempotency_key=key)
    )


def _unique(key: str) -> str:
    return f"{uuid.uuid4().hex}-{key}"[:255]
