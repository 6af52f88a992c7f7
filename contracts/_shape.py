"""Shape contracts: status, schema, object names, ids, livemode, timestamps, enums."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import schemas
from contracts._context import ContractContext
from contracts._errors import no_server_errors
from contracts._failures import ContractFailure
from contracts._helpers import error_summary, json_object, objects_in
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange

# Objects the suite meets, by their `object` value: the id prefix Stripe gives them.
# Session ids also carry the mode (`cs_test_` / `cs_live_`), checked separately.
_ID_PREFIX_BY_OBJECT = {
    "checkout.session": "cs_",
    "item": "li_",
    "price": "price_",
    "customer": "cus_",
}
# 2000-01-01 .. 2100-01-01 in Unix seconds: any value outside is not seconds
# (milliseconds are ~1000 times larger, ISO strings are not integers at all).
_SECONDS_RANGE = (946_684_800, 4_102_444_800)
_TIMESTAMP_FIELDS = ("created", "expires_at")


class RequestRefused(ContractFailure):
    """A request the catalogue calls valid was not answered with 200 and a JSON
    object."""

    title = "A valid request was not answered with 200 and a JSON object"


@contract(failure=RequestRefused, catalogue=("§1.1",), precondition=True)
def valid_requests_succeed(ctx: ContractContext, exchange: Exchange) -> None:
    """A valid request gets HTTP 200 with a JSON object body (Stripe v1 never uses
    201). A 5xx is a finding of `no_server_errors`, the contract that owns it."""
    no_server_errors(ctx, exchange)
    if exchange.response.status != 200 or json_object(exchange) is None:
        raise RequestRefused(
            ("Received", error_summary(exchange)),
            ("Expected", "200 with a JSON object"),
            exchanges=[exchange],
            focus=["error"],
        )


class SchemaMismatch(ContractFailure):
    """The response body does not validate against its JSON Schema."""

    title = "Response body does not match its JSON Schema"


@contract(failure=SchemaMismatch, catalogue=("§3.1", "§4.1", "§5.1", "§7.1"))
def response_matches_schema(
    ctx: ContractContext, exchange: Exchange, schema: str
) -> None:
    """The body validates against `schemas/<schema>.json` (2024-04-10 types,
    nullability and enums; unknown extra fields are allowed)."""
    violations = schemas.validate(schema, exchange.response.json)
    if violations:
        raise SchemaMismatch(
            ("Schema", f"schemas/{schema}.json"),
            (
                "Violations",
                "\n".join(f"{v.where}: {v.message}" for v in violations[:8]),
            ),
            *(
                [("More", f"{len(violations) - 8} more violations")]
                if len(violations) > 8
                else []
            ),
            exchanges=[exchange],
            focus=[str(v.path[0]) for v in violations if v.path],
        )


class MissingDocumentedFields(ContractFailure):
    """A session leaves out documented fields instead of sending them as null."""

    title = "Session omits documented fields instead of sending null"


@contract(failure=MissingDocumentedFields, catalogue=("§3.1",))
def session_has_every_documented_field(
    ctx: ContractContext, exchange: Exchange
) -> None:
    """Every required or nullable property of the 2024-04-10 Session is present: Stripe
    sends a field it has no value for as null, never leaves it out. (Fields the spec
    makes optional but not nullable, like `return_url`, may be absent.)"""
    body = json_object(exchange) or {}
    missing = sorted(set(_always_present_fields()) - set(body))
    if missing:
        raise MissingDocumentedFields(
            ("Missing", ", ".join(missing)),
            ("Expected", "every required or nullable field, null when it has no value"),
            exchanges=[exchange],
            focus=["id"],
        )


class WrongObjectName(ContractFailure):
    """An object's `object` field names the wrong type."""

    title = "Object has the wrong `object` name"


@contract(failure=WrongObjectName, catalogue=("S-01", "L-01", "§5.1"))
def object_names_are_correct(
    ctx: ContractContext, exchange: Exchange, expected: str, items: str | None = None
) -> None:
    """The top-level `object` is `expected`; a list's elements are `items`; expanded
    line items are a `list` of `item`s, and each embeds a `price`."""
    body = json_object(exchange) or {}
    problems: list[str] = []

    def check(where: str, obj: Any, name: str) -> None:
        if isinstance(obj, dict) and obj.get("object") != name:
            problems.append(f"{where}.object={obj.get('object')!r}, expected {name!r}")

    check("response", body, expected)
    elements = body.get("data") if expected == "list" else None
    elements = elements if isinstance(elements, list) else []
    for index, element in enumerate(elements if items else []):
        check(f"data[{index}]", element, items or "")
    sessions = [body] if expected == "checkout.session" else []
    if items == "checkout.session":
        sessions = elements
    line_items = (
        [(f"data[{i}]", e) for i, e in enumerate(elements)] if items == "item" else []
    )
    for session in sessions:
        expanded = session.get("line_items") if isinstance(session, dict) else None
        if isinstance(expanded, dict):
            check("line_items", expanded, "list")
            line_items += [
                (f"line_items.data[{i}]", e)
                for i, e in enumerate(expanded.get("data") or [])
            ]
    for where, line_item in line_items:
        check(where, line_item, "item")
        if isinstance(line_item, dict):
            check(f"{where}.price", line_item.get("price"), "price")
    if problems:
        raise WrongObjectName(
            ("Received", "\n".join(problems[:6])),
            exchanges=[exchange],
            focus=["object", "data", "line_items"],
        )


class WrongIdPrefix(ContractFailure):
    """An id does not carry Stripe's prefix for its object type and mode."""

    title = "Object id lacks Stripe's prefix"


@contract(failure=WrongIdPrefix, catalogue=("S-02", "§12 #15"))
def ids_have_stripe_prefixes(ctx: ContractContext, exchange: Exchange) -> None:
    """Sessions are `cs_test_…` (test keys) or `cs_live_…`, line items `li_…`,
    prices `price_…`, customers `cus_…`."""
    mode = "live" if ctx.livemode else "test"
    problems = []
    for obj in objects_in(json_object(exchange)):
        kind, object_id = obj.get("object"), obj.get("id")
        prefix = _ID_PREFIX_BY_OBJECT.get(kind) if isinstance(kind, str) else None
        if prefix is None or not isinstance(object_id, str):
            continue
        if kind == "checkout.session":
            prefix = f"cs_{mode}_"
        if not object_id.startswith(prefix):
            problems.append(f"{kind} id {object_id!r} does not start with {prefix!r}")
    if problems:
        raise WrongIdPrefix(
            ("Received", "\n".join(problems)),
            exchanges=[exchange],
            focus=["id", "object"],
        )


class WrongLivemode(ContractFailure):
    """`livemode` disagrees with the mode of the API key."""

    title = "livemode disagrees with the API key's mode"


@contract(failure=WrongLivemode, catalogue=("S-17",))
def livemode_matches_key_mode(ctx: ContractContext, exchange: Exchange) -> None:
    """Every object with a `livemode` field says False under a test key."""
    wrong = [
        f"{obj.get('object')} {obj.get('id')!r}: livemode={obj['livemode']!r}"
        for obj in objects_in(json_object(exchange))
        if "livemode" in obj and obj["livemode"] is not ctx.livemode
    ]
    if wrong:
        raise WrongLivemode(
            ("Received", "\n".join(wrong)),
            (
                "Expected",
                f"livemode={ctx.livemode} for a "
                f"{'live' if ctx.livemode else 'test'} key",
            ),
            exchanges=[exchange],
            focus=["livemode"],
        )


class NotUnixSeconds(ContractFailure):
    """A timestamp is not an integer count of Unix seconds."""

    title = "Timestamp is not integer Unix seconds"


@contract(failure=NotUnixSeconds, catalogue=("S-18", "§1.2"))
def timestamps_are_unix_seconds(ctx: ContractContext, exchange: Exchange) -> None:
    """`created` and `expires_at` are integers between 2000 and 2100 in Unix seconds
    (milliseconds or ISO strings are refused)."""
    low, high = _SECONDS_RANGE
    wrong = []
    for obj in objects_in(json_object(exchange)):
        for name in _TIMESTAMP_FIELDS:
            if name not in obj or obj[name] is None:
                continue
            value = obj[name]
            if not _is_int(value) or not low <= value < high:
                wrong.append(f"{obj.get('object')}.{name}={value!r}")
    if wrong:
        raise NotUnixSeconds(
            ("Received", "\n".join(wrong)),
            ("Expected", f"integers in [{low}, {high}) (Unix seconds)"),
            exchanges=[exchange],
            focus=list(_TIMESTAMP_FIELDS),
        )


class UnknownEnumValue(ContractFailure):
    """A Session field holds a value outside its documented enum."""

    title = "Session field holds an undocumented enum value"


@contract(failure=UnknownEnumValue, catalogue=("S-03", "S-04", "§2.4"))
def enum_fields_have_known_values(ctx: ContractContext, exchange: Exchange) -> None:
    """status, payment_status, mode, ui_mode, locale and every other enum field of the
    2024-04-10 Session hold documented values (null only where nullable)."""
    body = json_object(exchange) or {}
    wrong = []
    for name, (allowed, nullable) in _session_enums().items():
        if name not in body:
            continue
        value = body[name]
        if (value is None and not nullable) or (
            value is not None and value not in allowed
        ):
            wrong.append(
                f"{name}={value!r} (allowed: {', '.join(allowed)}"
                f"{', null' if nullable else ''})"
            )
    if wrong:
        raise UnknownEnumValue(
            ("Received", "\n".join(wrong)),
            exchanges=[exchange],
            focus=[w.split("=", 1)[0] for w in wrong],
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@functools.cache
def _session_properties() -> dict[str, Any]:
    properties = schemas.bundle("session").get("properties")
    assert isinstance(properties, dict), "schemas/session.json has no properties"
    return properties


@functools.cache
def _always_present_fields() -> list[str]:
    """Required or nullable properties of the session schema (one place: the schema)."""
    required = schemas.bundle("session").get("required") or []
    assert isinstance(required, list)
    return sorted(
        name
        for name, spec in _session_properties().items()
        if name in required or _admits_null(spec)
    )


@functools.cache
def _session_enums() -> dict[str, tuple[tuple[str, ...], bool]]:
    """Enum fields of the session schema: name -> (allowed values, nullable).

    Read from the schema so that the enums live in one place."""
    enums: dict[str, tuple[tuple[str, ...], bool]] = {}
    for name, spec in _session_properties().items():
        allowed = _enum_values(spec)
        if allowed:
            enums[name] = (
                tuple(str(v) for v in allowed if v is not None),
                _admits_null(spec),
            )
    return enums


def _deref(spec: Any) -> Any:
    """`spec` with a local `$ref` into the bundled session schema followed."""
    while isinstance(spec, dict) and isinstance(spec.get("$ref"), str):
        node: Any = schemas.bundle("session")
        for part in spec["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        spec = node
    return spec


def _enum_values(spec: Any) -> list[Any]:
    spec = _deref(spec)
    if not isinstance(spec, dict):
        return []
    if "enum" in spec:
        return list(spec["enum"])
    for key in ("anyOf", "oneOf"):
        for branch in spec.get(key, []):
            values = _enum_values(branch)
            if values:
                return values
    return []


def _admits_null(spec: Any) -> bool:
    spec = _deref(spec)
    if not isinstance(spec, dict):
        return False
    kind = spec.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in spec.get("enum", []):
        return True
    return any(_admits_null(b) for key in ("anyOf", "oneOf") for b in spec.get(key, []))
