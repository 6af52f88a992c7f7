"""Params for `POST /v1/checkout/sessions/{id}` (metadata updates).

Stripe merges metadata on update: a key with a value is set or replaced,
`metadata[key]=""` removes that key, and `metadata=""` removes them all
(catalogue §1.2, §6.2).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import MAX_METADATA_KEY_LENGTH, MAX_METADATA_KEYS
from strategies._support import cached, distinct_names
from strategies._text import draw_plain_text, metadata_keys

# At most this many keys are set or unset beside the existing ones.
_MAX_NEW_KEYS: Final = 2
# False sets a value (the shrink target), True unsets the key.
_UNSETS: Final = st.booleans()


@st.composite
def _new_values(draw: st.DrawFn) -> str:
    # Unsetting a key the session lacks is a valid no-op.
    return "" if draw(_UNSETS) else draw_plain_text(draw, 100)


@cached
def _new_entries(max_size: int) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(metadata_keys(), _new_values()), max_size=max_size)


@cached
def _existing_subsets(existing: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(existing), unique=True)


@st.composite
def _metadata_updates(draw: st.DrawFn, existing: tuple[str, ...]) -> dict[str, Any]:
    touched: dict[str, str] = {}
    if existing:
        for key in draw(_existing_subsets(existing)):
            touched[key] = draw(_new_values())
    # A drawn key that happens to exist already only changes that key, so
    # the merged map grows by at most `room` keys.
    room = MAX_METADATA_KEYS - len(existing)
    entries = draw(_new_entries(min(room, _MAX_NEW_KEYS)))
    keys = distinct_names(
        (key for key, _ in entries), max_length=MAX_METADATA_KEY_LENGTH
    )
    touched.update(zip(keys, (value for _, value in entries), strict=True))
    # Touching nothing stands for clearing everything: the smallest update.
    return {"metadata": touched or ""}


def metadata_updates(
    *, existing_keys: Collection[str] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid update params touching only `metadata`.

    Draws a map that changes or unsets some of `existing_keys` (the session's
    current keys) and sets or unsets one or two other keys, keeping the merged
    result within 50 keys; or, when that map would be empty, `{"metadata": ""}`
    (clear all). Never an empty map. Shrinks towards clearing all, and when
    the failure needs a key, towards setting one new one-character key.
    """
    if isinstance(existing_keys, str):
        raise InvalidArgument(
            f"existing_keys={existing_keys!r} is a string; pass a collection of keys."
        )
    existing = tuple(sorted(set(existing_keys)))
    if len(existing) > MAX_METADATA_KEYS:
        raise InvalidArgument(
            f"existing_keys has {len(existing)} keys; a session holds at most "
            f"{MAX_METADATA_KEYS}, so these cannot be a session's metadata."
        )
    return _metadata_updates(existing)
