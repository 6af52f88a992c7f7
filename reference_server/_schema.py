"""Parameter schemas and the walker that checks and types decoded form trees.

A schema is a small tree of frozen nodes (`Str`, `Int`, `Num`, `Bool`, `Obj`,
`Map`, `Arr`, `AnyOf`) mirroring the OpenAPI request schema of an endpoint.
`unknown_params` lists parameter names a schema does not know; `coerce` checks a
tree against a schema and returns it typed (ints, bools, lists), raising
`ApiError` with the offending parameter in bracket notation.

Beyond what the schema states, the walker enforces what Stripe enforces at the
parameter level: max lengths, no empty strings where a value is due, 64-bit
integers and the metadata limits.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from . import _errors
from ._errors import ApiError, invalid, shorten
from ._form import FormValue, is_index


@dataclass(frozen=True, slots=True)
class Str:
    """A string, optionally bounded in length or restricted to an enum."""

    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    decimal: bool = False


@dataclass(frozen=True, slots=True)
class Int:
    """An integer written in decimal."""


@dataclass(frozen=True, slots=True)
class Num:
    """A number (integer or decimal fraction)."""


@dataclass(frozen=True, slots=True)
class Bool:
    """`true` or `false`."""


@dataclass(frozen=True, slots=True)
class Obj:
    """An object with known properties; anything else in it is unknown."""

    props: dict[str, Node]
    required: tuple[str, ...] = ()


# metadata limits (catalogue §2.3).
METADATA_MAX_KEYS = 50
METADATA_KEY_MAX = 40
METADATA_VALUE_MAX = 500


@dataclass(frozen=True, slots=True)
class MetadataLimits:
    """R-18: at most `keys` keys, of at most `key_length` characters, with values
    of at most `value_length`."""

    keys: int = METADATA_MAX_KEYS
    key_length: int = METADATA_KEY_MAX
    value_length: int = METADATA_VALUE_MAX


@dataclass(frozen=True, slots=True)
class Map:
    """A map from free-form keys to values of one schema (`metadata`)."""

    values: Node
    #: Enforced when the map is a `metadata` parameter; None: not checked.
    limits: MetadataLimits | None = MetadataLimits()


@dataclass(frozen=True, slots=True)
class Arr:
    """An array (`a[0]=..&a[1]=..` or `a[]=..`)."""

    items: Node


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Any one of several shapes (an object or `""` to clear it, ...)."""

    options: tuple[Node, ...]

    def __init__(self, *options: Node) -> None:
        object.__setattr__(self, "options", options)


Node = Union[Str, Int, Num, Bool, Obj, Map, Arr, AnyOf]  # noqa: UP007 - runtime alias


def without_max_lengths(schema: Node) -> Node:
    """`schema` with every string's maxLength dropped (for the fault that forgets
    them); the rest of the tree is the same."""
    return _reshaped(
        schema,
        lambda node: dataclasses.replace(node, max_length=None),
        lambda limits: limits,
    )


def exclusive_max_lengths(schema: Node) -> Node:
    """`schema` with every maxLength one less (for the fault that refuses a string
    exactly at its limit)."""
    return _reshaped(
        schema,
        lambda node: dataclasses.replace(node, max_length=_one_less(node.max_length)),
        lambda limits: limits,
    )


def without_enums(schema: Node) -> Node:
    """`schema` with every enum of names dropped, so any string is accepted (for
    the fault that forgets them); `""`-only enums, which mean "unset", stay."""
    return _reshaped(
        schema,
        lambda node: (
            node if node.enum is None or "" in node.enum else Str(max_length=5000)
        ),
        lambda limits: limits,
    )


def without_metadata_limits(schema: Node) -> Node:
    """`schema` with the metadata limits unchecked (for the fault that forgets
    them)."""
    return _reshaped(schema, lambda node: node, lambda _: None)


def exclusive_metadata_limits(schema: Node) -> Node:
    """`schema` with every metadata limit one less (for the fault that refuses
    metadata exactly at its limits)."""

    def tighter(limits: MetadataLimits | None) -> MetadataLimits | None:
        if limits is None:
            return None
        return MetadataLimits(
            limits.keys - 1, limits.key_length - 1, limits.value_length - 1
        )

    return _reshaped(schema, lambda node: node, tighter)


def _one_less(length: int | None) -> int | None:
    return None if length is None else length - 1


def _reshaped(
    schema: Node,
    string: Callable[[Str], Str],
    limits: Callable[[MetadataLimits | None], MetadataLimits | None],
) -> Node:
    """`schema` with `string` applied to every string node and `limits` to every
    map's metadata limits; the rest of the tree is the same."""

    def walk(node: Node) -> Node:
        if isinstance(node, Str):
            return string(node)
        if isinstance(node, Obj):
            return Obj({k: walk(v) for k, v in node.props.items()}, node.required)
        if isinstance(node, Map):
            return Map(walk(node.values), limits(node.limits))
        if isinstance(node, Arr):
            return Arr(walk(node.items))
        if isinstance(node, AnyOf):
            return AnyOf(*(walk(option) for option in node.options))
        return node

    return walk(schema)


STR = Str()
INT = Int()
NUM = Num()
BOOL = Bool()
DECIMAL = Str(decimal=True)
UNSET = Str(enum=("",))
ID = Str(max_length=5000)
EXPAND = Arr(Str(max_length=5000))


# Above Stripe's largest real array (100 line items); refuses absurd arrays
# before any per-element work.
MAX_ARRAY_LENGTH = 1000

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")
_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,12})?")
_DECIMAL = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,12})?")


def unknown_params(schema: Obj, tree: dict[str, FormValue]) -> list[str]:
    """Bracket names of the parameters in `tree` that `schema` does not define,
    at any depth."""
    found: list[str] = []
    _collect_unknown(schema, tree, "", found)
    return found


def drop_unknown_params(
    schema: Obj, tree: dict[str, FormValue]
) -> dict[str, FormValue]:
    """`tree` without the parameters `schema` does not define, at any depth."""
    return {
        key: drop_unknown(schema.props[key], item)
        for key, item in tree.items()
        if key in schema.props
    }


def drop_unknown(schema: Node, value: FormValue) -> FormValue:
    """`value` without the parameters `schema` does not define, at any depth."""
    if not isinstance(value, dict):
        return value
    if isinstance(schema, Obj):
        return {
            key: drop_unknown(schema.props[key], item)
            for key, item in value.items()
            if key in schema.props
        }
    if isinstance(schema, Map):
        return {key: drop_unknown(schema.values, item) for key, item in value.items()}
    if isinstance(schema, Arr):
        return {key: drop_unknown(schema.items, item) for key, item in value.items()}
    if isinstance(schema, AnyOf):
        option = _option_for(schema, value)
        return drop_unknown(option, value) if option is not None else value
    return value


def read_scalars_leniently(schema: Obj, tree: dict[str, FormValue]) -> FormValue:
    """`tree` as a lenient parser reads it (for the fault that does): an integer
    that does not parse is read by its leading digits, or dropped without any; a
    boolean other than `true`/`false` is `true`."""

    def leaf(node: Node, text: str) -> str | None:
        if isinstance(node, Int) and text and not _INTEGER.fullmatch(text):
            digits = re.match(r"-?[0-9]+", text)
            return digits.group() if digits else None
        if isinstance(node, Bool) and text not in ("true", "false", ""):
            return "true"
        return text

    return _rewritten(schema, tree, leaf, lambda _, value: value) or {}


def with_required_defaults(
    schema: Obj, tree: dict[str, FormValue], defaults: dict[str, str]
) -> FormValue:
    """`tree` with every required field an object lacks set from `defaults` (for the
    fault that defaults them instead of refusing the request)."""

    def fill(node: Obj, value: dict[str, FormValue]) -> dict[str, FormValue]:
        missing = {k: defaults[k] for k in node.required if k in defaults}
        return {**missing, **value}

    return _rewritten(schema, tree, lambda _, text: text, fill) or {}


def _rewritten(
    schema: Node,
    value: FormValue,
    leaf: Callable[[Node, str], str | None],
    fill: Callable[[Obj, dict[str, FormValue]], dict[str, FormValue]],
) -> FormValue | None:
    """`value` with `leaf` applied to every string its schema types (None drops
    it) and `fill` to every object; parts the schema does not know are kept."""
    if not isinstance(value, dict):
        return leaf(schema, value)
    if isinstance(schema, AnyOf):
        option = _option_for(schema, value)
        return value if option is None else _rewritten(option, value, leaf, fill)
    if not isinstance(schema, Obj | Map | Arr):
        return value
    kept: dict[str, FormValue] = {}
    for key, item in value.items():
        child = (
            schema.props.get(key)
            if isinstance(schema, Obj)
            else schema.values
            if isinstance(schema, Map)
            else schema.items
        )
        new = item if child is None else _rewritten(child, item, leaf, fill)
        if new is not None:
            kept[key] = new
    return fill(schema, kept) if isinstance(schema, Obj) else kept


def coerce(schema: Node, value: FormValue, param: str) -> object:
    """`value` checked against `schema` and typed; raises `ApiError` 400.

    Map values that are `""` are kept (they mean "unset this key"), and so is a
    whole map sent as `""` ("unset every key"); callers decide what unsetting
    means for their endpoint.
    """
    if isinstance(schema, Str):
        return _coerce_str(schema, value, param)
    if isinstance(schema, Int):
        return _coerce_int(value, param)
    if isinstance(schema, Bool):
        return _coerce_bool(value, param)
    if isinstance(schema, Num):
        return _coerce_num(value, param)
    if isinstance(schema, Obj):
        return _coerce_obj(schema, value, param)
    if isinstance(schema, Map):
        return _coerce_map(schema, value, param)
    if isinstance(schema, Arr):
        return _coerce_arr(schema, value, param)
    return _coerce_any(schema, value, param)


def coerce_params(schema: Obj, tree: dict[str, FormValue]) -> dict[str, object]:
    """The top-level parameters of `tree`, typed; unknown names are skipped.

    Parameters are checked in the order they arrived, so the first offending one
    in the body is the one reported.
    """
    typed: dict[str, object] = {}
    for name, value in tree.items():
        node = schema.props.get(name)
        if node is not None:
            typed[name] = coerce(node, value, name)
    for name in schema.required:
        if name not in tree:
            raise _errors.missing(name)
    return typed


def array_items(value: dict[str, FormValue]) -> list[FormValue] | None:
    """The elements of an index-keyed dict in index order, gaps closed; else None."""
    if not all(is_index(key) for key in value):
        return None
    return [value[key] for key in sorted(value, key=int)]


def _collect_unknown(
    schema: Node, value: FormValue, param: str, found: list[str]
) -> None:
    if not isinstance(value, dict):
        return
    if isinstance(schema, Obj):
        for key, item in value.items():
            name = f"{param}[{key}]" if param else key
            child = schema.props.get(key)
            if child is None:
                found.append(name)
            else:
                _collect_unknown(child, item, name, found)
    elif isinstance(schema, Map):
        for key, item in value.items():
            _collect_unknown(schema.values, item, f"{param}[{key}]", found)
    elif isinstance(schema, Arr):
        items = array_items(value)
        for index, item in enumerate(items or ()):
            _collect_unknown(schema.items, item, f"{param}[{index}]", found)
    elif isinstance(schema, AnyOf):
        option = _option_for(schema, value)
        if option is not None:
            _collect_unknown(option, value, param, found)


def _option_for(schema: AnyOf, value: FormValue) -> Node | None:
    """The alternative whose shape fits `value` (an object for a dict, ...)."""
    for option in schema.options:
        if isinstance(value, dict) == isinstance(option, Obj | Map | Arr):
            return option
    return None


def _describe(value: FormValue) -> str:
    return "an object" if isinstance(value, dict) else shorten(value)


def _coerce_str(schema: Str, value: FormValue, param: str) -> str:
    if not isinstance(value, str):
        raise invalid(
            f"Invalid string: {param} must be a string, not an object.", param
        )
    if schema.enum is not None:
        if value in schema.enum:
            return value
        if value == "":
            raise _errors.empty(param)
        raise invalid(f"Invalid {param}: must be one of {_one_of(schema.enum)}", param)
    if value == "":
        raise _errors.empty(param)
    if schema.max_length and len(value) > schema.max_length:
        raise invalid(
            f"Invalid string: {shorten(value)}; must be at most "
            f"{schema.max_length} characters",
            param,
        )
    if schema.decimal and not _DECIMAL.fullmatch(value):
        raise invalid(f"Invalid decimal: {shorten(value)}", param)
    return value


def _coerce_int(value: FormValue, param: str) -> int:
    if isinstance(value, str) and value == "":
        raise _errors.empty(param)
    if not isinstance(value, str) or not _INTEGER.fullmatch(value):
        raise ApiError(
            400,
            f"Invalid integer: {_describe(value)}",
            code="parameter_invalid_integer",
            param=param,
        )
    number = int(value)
    if not _INT64_MIN <= number <= _INT64_MAX:
        raise ApiError(
            400,
            f"Invalid integer: {shorten(value)} is outside the 64-bit integer range",
            code="parameter_invalid_integer",
            param=param,
        )
    return number


def _coerce_num(value: FormValue, param: str) -> float:
    if isinstance(value, str) and value == "":
        raise _errors.empty(param)
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        raise invalid(f"Invalid number: {_describe(value)}", param)
    return float(Decimal(value))


def _coerce_bool(value: FormValue, param: str) -> bool:
    if value == "true":
        return True
    if value == "false":
        return False
    if value == "":
        raise _errors.empty(param)
    raise invalid(
        f"Invalid boolean: {_describe(value)}; must be `true` or `false`", param
    )


def _coerce_obj(schema: Obj, value: FormValue, param: str) -> dict[str, object]:
    if not isinstance(value, dict):
        if value == "":
            raise _errors.empty(param)
        raise invalid(
            f"Invalid object: {param} must be an object ({param}[name]=...)", param
        )
    typed: dict[str, object] = {}
    for key, item in value.items():
        node = schema.props.get(key)
        if node is not None:
            typed[key] = coerce(node, item, f"{param}[{key}]")
    for key in schema.required:
        if key not in value:
            raise _errors.missing(f"{param}[{key}]")
    return typed


def _coerce_map(schema: Map, value: FormValue, param: str) -> dict[str, object] | str:
    if not isinstance(value, dict):
        if value == "":
            return ""
        raise invalid(
            f"Invalid object: {param} must be an object ({param}[key]=...)", param
        )
    is_metadata = param == "metadata" or param.endswith("[metadata]")
    limits = schema.limits if is_metadata else None
    if limits is not None and len(value) > limits.keys:
        raise invalid(
            f"Invalid {param}: metadata can have at most {limits.keys} keys; "
            f"{len(value)} were given.",
            param,
        )
    typed: dict[str, object] = {}
    for key, item in value.items():
        name = f"{param}[{key}]"
        if limits is not None:
            _check_metadata_entry(key, item, name, limits)
        if isinstance(schema.values, Str) and item == "":
            typed[key] = ""
            continue
        typed[key] = coerce(schema.values, item, name)
    return typed


def _check_metadata_entry(
    key: str, value: FormValue, name: str, limits: MetadataLimits
) -> None:
    """R-18: key length, bracket-free keys, value length, string values."""
    if not key:
        raise invalid("Invalid metadata: keys must not be empty.", name)
    if len(key) > limits.key_length:
        raise invalid(
            f"Metadata keys can have a maximum length of {limits.key_length} "
            f"characters; {shorten(key)} has {len(key)}.",
            name,
        )
    if "[" in key or "]" in key:
        raise invalid(
            f"Metadata keys cannot contain `[` or `]`; {shorten(key)} does.", name
        )
    if not isinstance(value, str):
        raise invalid(
            f"Invalid metadata value for {shorten(key)}: must be a string.", name
        )
    if len(value) > limits.value_length:
        raise invalid(
            f"Metadata values can have a maximum length of {limits.value_length} "
            f"characters; the value of {shorten(key)} has {len(value)}.",
            name,
        )


def _coerce_arr(schema: Arr, value: FormValue, param: str) -> list[object]:
    if not isinstance(value, dict):
        if value == "":
            raise _errors.empty(param)
        raise invalid(
            f"Invalid array: {param} must be an array ({param}[0]=...)", param
        )
    if len(value) > MAX_ARRAY_LENGTH:
        raise invalid(
            f"Invalid array: {param} has {len(value)} elements; at most "
            f"{MAX_ARRAY_LENGTH} are accepted.",
            param,
        )
    items = array_items(value)
    if items is None:
        raise invalid(
            f"Invalid array: {param} mixes array indices with object keys "
            f"({param}[0] and {param}[name]); send one form only.",
            param,
        )
    return [
        coerce(schema.items, item, f"{param}[{index}]")
        for index, item in enumerate(items)
    ]


def _coerce_any(schema: AnyOf, value: FormValue, param: str) -> object:
    shaped = _option_for(schema, value)
    errors: list[tuple[Node, ApiError]] = []
    for option in schema.options:
        try:
            return coerce(option, value, param)
        except ApiError as error:
            errors.append((option, error))
    # Report the failure of the alternative the value was shaped like.
    for option, failure in errors:
        if option is shaped:
            raise failure
    raise errors[0][1]


def _one_of(values: tuple[str, ...]) -> str:
    shown = [value for value in values if value]
    if len(shown) <= 2:
        return " or ".join(shown)
    return ", ".join(shown[:-1]) + f", or {shown[-1]}"
