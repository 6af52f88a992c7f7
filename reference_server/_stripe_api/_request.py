"""The parameters of a request: decoded from the query and form body, then typed.

`decode_params` reads the query string and, for a POST, a form-encoded body (any
other body type is refused with 400). `typed_params` refuses parameters the
endpoint's schema does not define (400 naming them) and returns the rest checked
and typed by the schema, so handlers only ever see valid, typed values.
"""

from __future__ import annotations

from typing import Any, cast

from .._errors import INVALID_REQUEST, ApiError, invalid, shorten, unknown
from .._form import FormTree, decode_form, has_mixed_container
from .._schema import (
    Obj,
    coerce_params,
    drop_unknown_params,
    exclusive_max_lengths,
    exclusive_metadata_limits,
    read_scalars_leniently,
    unknown_params,
    with_required_defaults,
    without_enums,
    without_max_lengths,
    without_metadata_limits,
)
from .._wire import FORM_CONTENT_TYPE, ConnectionDropped, Request, media_type
from ._expand import (
    LINE_ITEM_EXPANSIONS,
    LIST_EXPANSIONS,
    PRICE_EXPANSIONS,
    SESSION_EXPANSIONS,
)

# Every path some endpoint may expand: a field the faults below treat as known.
_KNOWN_EXPANSIONS = (
    SESSION_EXPANSIONS | LIST_EXPANSIONS | LINE_ITEM_EXPANSIONS | PRICE_EXPANSIONS
)


class SimulatedCrash(RuntimeError):
    """The deliberate crash of the `crash_on_colliding_keys` fault."""


def decode_params(request: Request, faults: frozenset[str]) -> FormTree:
    """The decoded parameters: the query string, and for POST the body too."""
    raw = request.query
    if request.method == "POST" and request.body:
        kind = media_type(request)
        if kind != FORM_CONTENT_TYPE:
            shown = "none" if kind is None else shorten(kind)
            raise invalid(
                f"Invalid request: the body's Content-Type is {shown}; Stripe's "
                f"API accepts {FORM_CONTENT_TYPE} bodies only (not JSON)."
            )
        raw = raw + b"&" + request.body if raw else request.body
    tree = decode_form(raw)
    if "crash_on_colliding_keys" in faults and has_mixed_container(tree):
        raise SimulatedCrash("a key is used both as an array and as an object")
    return tree


def typed_params(schema: Obj, tree: FormTree, faults: frozenset[str]) -> dict[str, Any]:
    """`tree` checked against `schema` and typed; raises `ApiError` 400."""
    known = _known(schema, tree, faults)
    if "non_ascii_refused" in faults:
        _refuse_non_ascii(known, "")
    if "scalar_types_read_leniently" in faults:
        known = cast(FormTree, read_scalars_leniently(schema, known))
    if "nested_required_not_enforced" in faults:
        known = cast(FormTree, with_required_defaults(schema, known, _DEFAULTS))
    if "enums_not_enforced" in faults:
        schema = cast(Obj, without_enums(schema))
    if "max_length_not_enforced" in faults:
        schema = cast(Obj, without_max_lengths(schema))
    if "max_length_exclusive" in faults:
        schema = cast(Obj, exclusive_max_lengths(schema))
    if "metadata_limits_not_enforced" in faults:
        schema = cast(Obj, without_metadata_limits(schema))
    if "metadata_limits_exclusive" in faults:
        schema = cast(Obj, exclusive_metadata_limits(schema))
    params = coerce_params(schema, known)
    expand = params.get("expand")
    if isinstance(expand, list):
        for path in expand:
            _expansion_faults(str(path), faults)
    return params


#: What the `nested_required_not_enforced` fault puts in place of a missing field.
_DEFAULTS = {
    "currency": "usd",
    "name": "Item",
    "interval": "month",
    "enabled": "false",
    "type": "text",
}


def _refuse_non_ascii(tree: FormTree | str, param: str) -> None:
    """The `non_ascii_refused` fault's refusal of any value beyond ASCII."""
    if isinstance(tree, str):
        if not tree.isascii():
            raise invalid(f"Invalid string: {param} must be ASCII", param)
        return
    for key, value in tree.items():
        _refuse_non_ascii(value, f"{param}[{key}]" if param else key)


def _expansion_faults(path: str, faults: frozenset[str]) -> None:
    """The misbehaviours of the expansion faults (stripe-mock's, issue 12)."""
    if "drop_connection_on_wildcard_expand" in faults and "*" in path:
        raise ConnectionDropped(f"expand[]={path}")
    head, dot, _ = path.rpartition(".")
    unknown_under_known = dot and head in _KNOWN_EXPANSIONS | {"data"}
    if not unknown_under_known or path in _KNOWN_EXPANSIONS:
        return
    if "crash_on_unknown_expansion" in faults:
        raise SimulatedCrash(f"no field to expand at {shorten(path)}")
    if "mistyped_crash_on_unknown_expansion" in faults:
        raise ApiError(500, "An internal error occurred.", type=INVALID_REQUEST)


def _known(schema: Obj, tree: FormTree, faults: frozenset[str]) -> FormTree:
    """`tree` after refusing (or, under a fault, dropping) unknown parameters."""
    names = unknown_params(schema, tree)
    if not names:
        return tree
    if "unknown_params_ignored" in faults:
        return drop_unknown_params(schema, tree)
    raise unknown(names)
