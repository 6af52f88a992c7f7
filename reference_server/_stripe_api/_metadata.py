"""How a `metadata` parameter changes the metadata an object stores.

`merged_metadata` applies Stripe's rules: `metadata=""` clears every key,
`metadata[k]=""` removes k, any other value sets k. `set_values` is the
create-time form for objects without merge semantics (prices, customers).
"""

from __future__ import annotations

from collections.abc import Mapping


def merged_metadata(
    current: Mapping[str, str],
    incoming: object,
    faults: frozenset[str],
    *,
    updating: bool = True,
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
        key = _metadata_key(key, faults)
        if value == "":
            if updating and "update_empty_value_stored" in faults:
                merged[key] = ""
            else:
                merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def set_values(metadata: object) -> dict[str, str]:
    """Create-time metadata: keys sent with an empty value are not stored."""
    if not isinstance(metadata, dict):
        return {}
    return {key: value for key, value in metadata.items() if value != ""}


def _metadata_key(key: str, faults: frozenset[str]) -> str:
    if "metadata_keys_lowercased" in faults:
        return key.lower()
    return key
