"""Validating instances against the schemas and reporting violations."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from ._fastcheck import fast_check
from ._files import check_name, load_file, registry

PathElement = str | int

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_VALUE_CHARS = 60
_MAX_ENUM_SHOWN = 8
_MAX_NAMES_SHOWN = 6


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One way an instance breaks a schema.

    ``path`` locates the offending value from the top of the instance
    (``("data", 0, "amount_total")``); ``message`` says what is wrong with it in
    one short line.
    """

    path: tuple[PathElement, ...]
    message: str

    @property
    def where(self) -> str:
        """The path as ``data[0].amount_total``; ``(root)`` for the instance itself."""
        rendered = ""
        for element in self.path:
            if isinstance(element, int):
                rendered += f"[{element}]"
            elif _IDENTIFIER.match(element):
                rendered += f".{element}" if rendered else element
            else:
                rendered += f"[{json.dumps(element)}]"
        return rendered or "(root)"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@functools.cache
def validator_for(name: str) -> Draft7Validator:
    """The one validator for schema ``name``, built on first use and then reused."""
    schema = load_file(check_name(name))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, registry=registry())


def validate(name: str, instance: object) -> list[SchemaViolation]:
    """Check ``instance`` against schema ``name``.

    Returns ``[]`` when the instance is valid, else every violation found, sorted
    by path and message, so equal inputs always give equal lists. A violation
    inside an ``anyOf`` (a nullable or expandable field) is reported at the
    deepest path that explains it. Raises ValueError for a name not in
    `SCHEMA_NAMES`.
    """
    # The compiled check answers "valid?" about ten times faster than jsonschema;
    # jsonschema stays the authority and explains whatever the check rejects.
    if fast_check(name)(instance):
        return []
    errors = [best_match([e]) for e in validator_for(name).iter_errors(instance)]
    # An enum names the allowed values, which says more than the type error
    # reported beside it for the same value.
    enum_paths = {
        tuple(e.absolute_path) for e in errors if e.validator in {"enum", "const"}
    }
    violations = {
        _violation(e)
        for e in errors
        if not (e.validator == "type" and tuple(e.absolute_path) in enum_paths)
    }
    return sorted(violations, key=_sort_key)


def _sort_key(violation: SchemaViolation) -> tuple[Any, ...]:
    # Paths mix ints and strs; ints sort before strs at the same position.
    path = tuple(
        (0, e, "") if isinstance(e, int) else (1, 0, e) for e in violation.path
    )
    return (path, violation.message)


def _violation(error: ValidationError) -> SchemaViolation:
    path = tuple(error.absolute_path)
    return SchemaViolation(path=path, message=_message(error))


def _got(value: object) -> str:
    if value is None:
        return "got null"
    return f"got {_json_type(value)} {_show(value)}"


def _show(value: object) -> str:
    rendered = json.dumps(value, sort_keys=True, default=repr)
    if len(rendered) > _MAX_VALUE_CHARS:
        rendered = rendered[: _MAX_VALUE_CHARS - 1] + "…"
    return rendered


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _types(expected: Any) -> list[str]:
    return [expected] if isinstance(expected, str) else [str(t) for t in expected]


def _message(error: ValidationError) -> str:
    keyword = error.validator
    instance = error.instance
    if keyword == "type":
        wanted = " or ".join(_types(error.validator_value))
        return f"expected {wanted}, {_got(instance)}"
    if keyword == "enum":
        allowed = [_show(v) for v in error.validator_value]
        shown = ", ".join(allowed[:_MAX_ENUM_SHOWN])
        if len(allowed) > _MAX_ENUM_SHOWN:
            shown += f", … ({len(allowed)} allowed values)"
        return f"{_show(instance)} is not one of {shown}"
    if keyword == "const":
        return f"{_show(instance)} is not {_show(error.validator_value)}"
    if keyword == "required":
        # jsonschema reports each missing key as its own error; naming all of
        # them makes those errors equal, so validate() keeps one.
        missing = [json.dumps(p) for p in error.validator_value if p not in instance]
        noun = "property" if len(missing) == 1 else "properties"
        shown = ", ".join(missing[:_MAX_NAMES_SHOWN])
        if len(missing) > _MAX_NAMES_SHOWN:
            shown += f" and {len(missing) - _MAX_NAMES_SHOWN} more"
        return f"missing required {noun} {shown}"
    if keyword == "maxLength":
        return (
            f"string of length {len(instance)} is longer than {error.validator_value}"
        )
    if keyword == "pattern":
        return f"{_show(instance)} does not match {error.validator_value}"
    if keyword in {"anyOf", "oneOf"} and _all_type_errors(error):
        wanted = " or ".join(
            t for e in error.context for t in _types(e.validator_value)
        )
        return f"expected {wanted}, {_got(instance)}"
    first_line = str(error.message).splitlines()[0] if error.message else keyword
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"


def _all_type_errors(error: ValidationError) -> bool:
    return bool(error.context) and all(
        e.validator == "type" and not e.path for e in error.context
    )
