"""A compiled yes/no validity check, for the common case of a valid response.

jsonschema builds a validator object for every subschema it descends into and
resolves every ``$ref`` through the registry on each use; on a typical session
that costs about 0.7 ms. Responses are valid nearly always, so `validate` first
asks this check, which answers the same question in about a tenth of the time,
and runs jsonschema only to explain a rejection.

The check is compiled from the schema with every ``$ref`` resolved through the
same registry (so remote references are refused here too). It implements exactly
the draft-07 keywords the schemas use, with jsonschema's semantics (an integral
float is an ``integer``; ``bool`` is not a number), and refuses to compile a
schema with any other keyword, so a new keyword cannot be silently ignored.
``tests/self/test_schemas.py`` checks that it agrees with jsonschema.
"""

from __future__ import annotations

import functools
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._files import BASE_URI, check_name, file_of, load_file, registry

if TYPE_CHECKING:
    from referencing._core import Resolver

Check = Callable[[Any], bool]

# Annotations and containers that do not constrain the instance themselves.
_INERT = frozenset({"$schema", "$id", "title", "description", "definitions"})
_SUPPORTED = frozenset(
    {
        "type",
        "enum",
        "maxLength",
        "pattern",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "anyOf",
        "allOf",
    }
)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPE_CHECKS: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


@functools.cache
def fast_check(name: str) -> Check:
    """``True`` exactly when the instance is valid against schema ``name``."""
    resolver = registry().resolver(base_uri=BASE_URI + file_of(check_name(name)))
    return _compile(load_file(name), resolver)


def _compile(schema: Mapping[str, Any], resolver: Resolver[Any]) -> Check:
    if "$ref" in schema:
        # Draft-07 ignores the siblings of $ref.
        resolved = resolver.lookup(schema["$ref"])
        return _compile(resolved.contents, resolved.resolver)
    unknown = sorted(schema.keys() - _INERT - _SUPPORTED)
    if unknown:
        raise ValueError(f"cannot compile keywords {unknown}")
    checks: list[Check] = []
    if "type" in schema:
        checks.append(_type_check(schema["type"]))
    if "enum" in schema:
        checks.append(_enum_check(schema["enum"]))
    if "maxLength" in schema:
        checks.append(_max_length_check(schema["maxLength"]))
    if "pattern" in schema:
        checks.append(_pattern_check(schema["pattern"]))
    if "required" in schema:
        checks.append(_required_check(schema["required"]))
    if "properties" in schema or "additionalProperties" in schema:
        checks.append(_object_check(schema, resolver))
    if "items" in schema:
        checks.append(_items_check(_compile(schema["items"], resolver)))
    if "anyOf" in schema:
        branches = [_compile(branch, resolver) for branch in schema["anyOf"]]
        checks.append(lambda value: any(branch(value) for branch in branches))
    if "allOf" in schema:
        parts = [_compile(part, resolver) for part in schema["allOf"]]
        checks.append(lambda value: all(part(value) for part in parts))
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _type_check(expected: str | Sequence[str]) -> Check:
    names = [expected] if isinstance(expected, str) else list(expected)
    type_checks = [_TYPE_CHECKS[name] for name in names]
    if len(type_checks) == 1:
        return type_checks[0]
    return lambda value: any(check(value) for check in type_checks)


def _enum_check(values: Sequence[Any]) -> Check:
    if not all(isinstance(v, str) or v is None for v in values):
        # Other values would need jsonschema's bool-vs-int equality rules.
        raise ValueError(f"enum values must be strings or null, got {values!r}")
    strings = frozenset(v for v in values if isinstance(v, str))
    allows_null = None in values
    return lambda value: (
        (isinstance(value, str) and value in strings) or (allows_null and value is None)
    )


def _max_length_check(limit: int) -> Check:
    return lambda value: not isinstance(value, str) or len(value) <= limit


def _pattern_check(pattern: str) -> Check:
    compiled = re.compile(pattern)
    return lambda value: not isinstance(value, str) or bool(compiled.search(value))


def _required_check(names: Sequence[str]) -> Check:
    required = tuple(names)
    return lambda value: (
        not isinstance(value, dict) or all(name in value for name in required)
    )


def _object_check(schema: Mapping[str, Any], resolver: Resolver[Any]) -> Check:
    properties = {
        key: _compile(sub, resolver)
        for key, sub in schema.get("properties", {}).items()
    }
    additional = schema.get("additionalProperties")
    if additional is not None and not isinstance(additional, Mapping):
        raise ValueError(f"additionalProperties must be a schema, not {additional!r}")
    others = None if additional is None else _compile(additional, resolver)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            known = properties.get(key)
            if known is not None:
                if not known(item):
                    return False
            elif others is not None and not others(item):
                return False
        return True

    return check


def _items_check(item_check: Check) -> Check:
    return lambda value: (
        not isinstance(value, list) or all(item_check(item) for item in value)
    )
