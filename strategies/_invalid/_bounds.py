"""R-16..R-18: values just outside their limits.

Each variant crosses one limit by construction: `expires_at` outside the
allowed window (R-16), strings over their schema `maxLength` (R-17, "schema"
cases), metadata with too many keys or too long a key or value (R-18).
"""

from __future__ import annotations

import string
from typing import Any, Final

from hypothesis import strategies as st

from strategies._api import (
    EXPIRY_SAFETY_MARGIN,
    MAX_CLIENT_REFERENCE_ID_LENGTH,
    MAX_EXPIRY_SECONDS,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_LENGTH,
    MAX_URL_LENGTH,
    MIN_EXPIRY_SECONDS,
    UiMode,
)
from strategies._invalid._helpers import _base, _fixed_length_texts, _index, _long_url
from strategies._invalid._registry import _accept, _Mutation, _pick, _variant
from strategies._placeholders import now_plus
from strategies._sessions import Params
from strategies._support import integers_between, sampled
from strategies._text import (
    IDENTIFIER_ALPHABET,
    LOWER_WORDS,
    metadata_keys,
    return_urls,
)


@_variant("R-16", "conditional", cases=("too_soon", "too_late", "in_the_past"))
def _expiry_outside_window(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    where = _pick(draw, case, ("too_soon", "too_late", "in_the_past"))
    if where == "too_soon":
        offset = draw(
            integers_between(
                MIN_EXPIRY_SECONDS - 2 * EXPIRY_SAFETY_MARGIN,
                MIN_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN,
            )
        )
    elif where == "too_late":
        offset = draw(
            integers_between(
                MAX_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN,
                MAX_EXPIRY_SECONDS + 2 * EXPIRY_SAFETY_MARGIN,
            )
        )
    else:
        offset = -draw(integers_between(EXPIRY_SAFETY_MARGIN, 3600))
    params["expires_at"] = now_plus(offset)
    return _Mutation(
        params,
        f"expires_at {where.replace('_', ' ')}: {offset} s after creation",
        _accept("expires_at", None),
    )


# R-17 limits are the OpenAPI schema's maxLength (SPEC `...post.requestBody...
# properties.client_reference_id.maxLength` = 200, URLs 5000, ...), so they are
# schema cases: a target that validates against the schema must refuse them.
_LONG_STRINGS: Final = (
    "client_reference_id",
    "success_url",
    "cancel_url",
    "return_url",
)


@_variant("R-17", "schema", cases=_LONG_STRINGS)
def _string_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    name = _pick(draw, case, _LONG_STRINGS)
    if name == "client_reference_id":
        ui: UiMode = draw(sampled(("hosted", "embedded")))
    else:
        ui = "embedded" if name == "return_url" else "hosted"
    params = _base(draw, ui_mode=ui)
    if name == "return_url":
        # An embedded session that redirects (the default) carries a return_url.
        params.pop("redirect_on_completion", None)
        params.setdefault("return_url", draw(return_urls()))
    if name == "client_reference_id":
        limit = MAX_CLIENT_REFERENCE_ID_LENGTH
        params[name] = draw(_fixed_length_texts(IDENTIFIER_ALPHABET, limit + 1))
    else:
        limit = MAX_URL_LENGTH
        params[name] = _long_url(draw, limit + 1)
    return _Mutation(params, f"{name} has {limit + 1} characters", _accept(name))


# Nested strings with a spec-stated maxLength other than the generic 5000, and
# the modes where the object holding them is valid.
_NESTED_MAX_LENGTHS: Final = (
    (("payment",), "payment_intent_data", "description", 1000),
    (("subscription",), "subscription_data", "description", 500),
    (("setup",), "setup_intent_data", "description", 1000),
)


_NESTED_LONG_STRINGS: Final = (
    "product_name",
    "product_description",
    *(holder for _, holder, _, _ in _NESTED_MAX_LENGTHS),
)


@_variant("R-17", "schema", cases=_NESTED_LONG_STRINGS)
def _nested_string_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    kind = _pick(draw, case, _NESTED_LONG_STRINGS)
    if kind not in ("product_name", "product_description"):
        modes, holder, name, limit = next(
            entry for entry in _NESTED_MAX_LENGTHS if entry[1] == kind
        )
        params = _base(draw, modes=modes)
        params.setdefault(holder, {})[name] = "d" * (limit + 1)
        param = f"{holder}[{name}]"
        return _Mutation(params, f"{param} has {limit + 1} characters", _accept(param))
    params = _base(draw, modes=("payment", "subscription"), price_kind="unit_amount")
    i = _index(draw, params, where=lambda item: "price_data" in item)
    name, limit = ("name", 5000) if kind == "product_name" else ("description", 40000)
    product = params["line_items"][i]["price_data"]["product_data"]
    product[name] = "n" * (limit + 1)
    param = f"line_items[{i}][price_data][product_data][{name}]"
    return _Mutation(params, f"{param} has {limit + 1} characters", _accept(param))


_METADATA_HOMES: Final = {
    "payment": "payment_intent_data",
    "subscription": "subscription_data",
    "setup": "setup_intent_data",
}


_HOMES: Final = ("session", "intent_data")


def _metadata_home(
    draw: st.DrawFn, params: Params, case: str | None
) -> tuple[dict[str, Any], str]:
    nested = _METADATA_HOMES[params["mode"]]
    if _pick(draw, case, _HOMES) == "session":
        return params, "metadata"
    return params.setdefault(nested, {}), f"{nested}[metadata]"


@_variant("R-18", "conditional", cases=_HOMES)
def _too_many_metadata_keys(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    stem = draw(LOWER_WORDS)[:8]
    container["metadata"] = {f"{stem}{k}": "v" for k in range(MAX_METADATA_KEYS + 1)}
    return _Mutation(
        params, f"{path} has {MAX_METADATA_KEYS + 1} keys", _accept(path, None)
    )


@_variant("R-18", "conditional", cases=_HOMES)
def _metadata_key_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    key = draw(metadata_keys(max_size=1)) * (MAX_METADATA_KEY_LENGTH + 1)
    container["metadata"] = {**container.get("metadata", {}), key: "v"}
    return _Mutation(
        params,
        f"{path} key of {MAX_METADATA_KEY_LENGTH + 1} characters",
        _accept(path, f"{path}[{key}]", None),
    )


@_variant("R-18", "conditional", cases=_HOMES)
def _metadata_value_too_long(draw: st.DrawFn, case: str | None) -> _Mutation:
    params = _base(draw)
    container, path = _metadata_home(draw, params, case)
    key = draw(metadata_keys())
    filler = draw(sampled(tuple(string.ascii_letters)))
    container["metadata"] = {
        **container.get("metadata", {}),
        key: filler * (MAX_METADATA_VALUE_LENGTH + 1),
    }
    return _Mutation(
        params,
        f"{path}[{key}] value of {MAX_METADATA_VALUE_LENGTH + 1} characters",
        _accept(path, f"{path}[{key}]", None),
    )
