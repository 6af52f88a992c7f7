"""Params for `POST /v1/checkout/sessions/{id}` (metadata updates).

Stripe merges metadata on update: a key with a value is set or replaced,
`metadata[key]=""` removes that key, and `metadata=""` removes them all
(catalogue §1.2, §6.2).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import MAX_METADATA_KEYS
from strategies._text import metadata_keys, plain_texts


def metadata_updates(
    *, existing_keys: Collection[str] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid update params touching only `metadata`.

    Draws either `{"metadata": ""}` (clear all) or a map that changes or
    unsets some of `existing_keys` (the session's current keys) and sets or
    unsets new ones, keeping the merged result within 50 keys. Never empty.
    Shrinks towards setting one new one-character key.
    """
    if isinstance(existing_keys, str):
        raise InvalidArgument(
            f"existing_keys={existing_keys!r} is a string; pass a collection of keys."
        )
    existing = sorted(set(existing_keys))
    if len(existing) > MAX_METADATA_KEYS:
        raise InvalidArgument(
            f"existing_keys has {len(existing)} keys; a session holds at most "
            f"{MAX_METADATA_KEYS}, so these cannot be a session's metadata."
        )
    room = MAX_METADATA_KEYS - len(existing)
    value = plain_texts(max_size=100)

    def change(draw: st.DrawFn) -> dict[str, Any]:
        touched: dict[str, str] = {}
        if existing:
            for key in draw(st.lists(st.sampled_from(existing), unique=True)):
                touched[key] = draw(st.one_of(value, st.just("")))
        fresh = draw(
            st.lists(
                metadata_keys().filter(lambda k: k not in existing),
                max_size=min(room, 5),
                unique=True,
                min_size=0 if touched or not room else 1,
            )
        )
        for key in fresh:
            # Unsetting a key the session lacks is a valid no-op.
            touched[key] = draw(st.one_of(value, st.just("")))
        if not touched:
            touched[existing[0]] = ""
        return {"metadata": touched}

    return st.one_of(st.composite(change)(), st.builds(dict, metadata=st.just("")))
