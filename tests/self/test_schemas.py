"""Self-tests of ``schemas/``: the files, the loader, and their fidelity to the spec.

Example objects live in ``data/schemas/<schema>.<case>.json``; where they come from:

* ``session.docs_example``: the response shown on Stripe's API reference page
  "Retrieve a Checkout Session" (docs.stripe.com/api/checkout/sessions/retrieve),
  in its pre-2025 edition: it still has ``shipping_details`` (removed in
  2025-03-31.basil) and already has ``automatic_tax.liability`` and
  ``invoice_data.issuer`` (2024). No edition pinned to 2024-04-10 was found.
  Adapted to 2024-04-10: the page omits ``client_secret``,
  ``currency_conversion``, ``payment_method_configuration_details``,
  ``saved_payment_method_options``, ``tax_id_collection`` and ``ui_mode``, and
  shows only two ``custom_text`` keys; they are added with the values a hosted
  session of that version has. The ``url`` fragment is cut where the stored
  page is cut.
* ``session.embedded_complete_expanded``: written here, to exercise every nested
  object the schema describes (embedded ui_mode, a completed payment, expanded
  customer, payment_intent and line_items, discounts and taxes).
* ``line_item.docs_example`` / ``line_item_list.docs_example``: the response on
  docs.stripe.com/api/checkout/sessions/line_items (the list ``url`` completed
  from the session id in the page's curl line).
* ``session_list.*``: the list envelope of GET /v1/checkout/sessions around the
  session example, and an empty page.
* ``price.docs_example``: docs.stripe.com/api/prices/object, with
  ``aggregate_usage`` (shown in the 2025-11-17.preview edition) and ``meter``
  (2024-04-10 spec) added; ``trial_period_days`` is kept as an undocumented extra.
* ``customer.docs_example``: docs.stripe.com/api/customers/object.
* ``error.*``: the resource_missing, parameter_unknown and "only open sessions can
  be expired" bodies quoted in checkout-sessions-contract.md §12 (items 4, 12
  and 2); ``doc_url`` added to the coded ones as Stripe sends it.

``data/schemas/spec_fields.json`` is written by ``scripts/extract_spec_fields.py``
from the 2024-04-10 OpenAPI spec; the spec itself is not available in CI.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import types
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import hypothesis_jsonschema._from_schema as hypothesis_jsonschema_internals
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import from_schema
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT7

import schemas
from schemas import SCHEMA_NAMES, SchemaViolation, bundle, validate
from schemas._fastcheck import fast_check
from schemas._files import registry
from schemas._validation import validator_for

SCHEMA_DIR = Path(schemas.__file__).resolve().parent
DATA_DIR = Path(__file__).resolve().parent / "data" / "schemas"
SPEC_FIELDS = DATA_DIR / "spec_fields.json"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
BASE_URI = "https://checkout-contracts.invalid/schemas/"

SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.json"))
EXAMPLE_FILES = sorted(p for p in DATA_DIR.glob("*.json") if p != SPEC_FIELDS)

# Keywords hypothesis-jsonschema can generate from (drafts 4-7) plus annotations.
GENERATION_FRIENDLY_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "title",
        "description",
        "definitions",
        "type",
        "properties",
        "required",
        "enum",
        "const",
        "items",
        "anyOf",
        "oneOf",
        "allOf",
        "additionalProperties",
        "pattern",
        "maxLength",
        "minLength",
        "maximum",
        "minimum",
        "maxItems",
        "minItems",
    }
)


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _example_schema(path: Path) -> str:
    return path.name.split(".")[0]


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object inside ``schema`` (not property names or enum values)."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("properties", "definitions"):
        for sub in schema.get(key, {}).values():
            yield from _subschemas(sub)
    for key in ("items", "additionalProperties"):
        yield from _subschemas(schema.get(key))
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from _subschemas(sub)


def _types_of(schema: dict[str, Any]) -> set[str]:
    declared = schema["type"]
    return {declared} if isinstance(declared, str) else set(declared)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    raise AssertionError(f"unexpected enum value {value!r}")


# ---------------------------------------------------------------- the files


def test_schema_files_are_the_named_schemas_and_common() -> None:
    assert sorted(p.stem for p in SCHEMA_FILES) == sorted([*SCHEMA_NAMES, "common"])


@pytest.mark.parametrize(
    "path",
    [*SCHEMA_FILES, *EXAMPLE_FILES, SPEC_FIELDS],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_json_file_is_canonically_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n", (
        f"reformat {path.name} with json.dumps(obj, indent=2, sort_keys=True) + '\\n'"
    )


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_a_valid_draft07_schema_with_its_own_id(path: Path) -> None:
    schema = _load(path)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_07
    assert schema["$id"] == BASE_URI + path.name
    assert schema.get("title")
    assert schema.get("description")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_uses_only_generation_friendly_keywords(path: Path) -> None:
    used = {key for node in _subschemas(_load(path)) for key in node}
    assert used <= GENERATION_FRIENDLY_KEYWORDS, sorted(
        used - GENERATION_FRIENDLY_KEYWORDS
    )


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_well_formed(path: Path) -> None:
    """Mistakes draft-07 would accept silently."""
    problems = []
    for node in _subschemas(_load(path)):
        if "$ref" in node and set(node) - {"$ref", "description"}:
            problems.append(f"$ref with siblings draft-07 ignores: {sorted(node)}")
        if node.get("additionalProperties") is False:
            problems.append("closed object: responses must stay open to new fields")
        for name in node.get("required", []):
            if name not in node.get("properties", {}):
                problems.append(f"required {name!r} is not described")
        if "enum" in node:
            enum_types = {_json_type(v) for v in node["enum"]}
            if "type" not in node or enum_types != _types_of(node):
                problems.append(f"enum {node['enum']} disagrees with its type")
        ref = node.get("$ref", "")
        target, _, pointer = ref.partition("#")
        if target and not (SCHEMA_DIR / target).is_file():
            problems.append(f"$ref to a file the package lacks: {ref!r}")
        if pointer and not pointer.startswith("/definitions/"):
            problems.append(f"$ref outside definitions: {ref!r}")
    assert problems == []


# ---------------------------------------------------------------- the loader API


@pytest.mark.parametrize("function", [validate, bundle], ids=["validate", "bundle"])
@pytest.mark.parametrize("name", ["sessions", "common", "", "Session"])
def test_unknown_schema_name_is_refused_with_the_valid_names(
    function: Callable[..., object], name: str
) -> None:
    args: tuple[object, ...] = (name, {}) if function is validate else (name,)
    with pytest.raises(ValueError, match="valid names are") as raised:
        function(*args)
    for valid in SCHEMA_NAMES:
        assert repr(valid) in str(raised.value)


def test_remote_references_are_refused_not_fetched() -> None:
    resolver = registry().resolver(base_uri=BASE_URI + "session.json")
    with pytest.raises(Unresolvable) as raised:
        resolver.lookup("https://example.com/schemas/price.json")
    causes = []
    cause = raised.value.__cause__
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__
    assert any(isinstance(c, schemas.RemoteReferenceRefused) for c in causes), causes


def test_files_are_found_relative_to_the_package_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    uncached_load = schemas._files.load_file.__wrapped__
    assert uncached_load("session")["$id"] == BASE_URI + "session.json"


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ((), "(root)"),
        (("status",), "status"),
        (("data", 0, "amount_total"), "data[0].amount_total"),
        (("metadata", "order-id"), 'metadata["order-id"]'),
        ((3, "id"), "[3].id"),
    ],
)
def test_violation_where_renders_the_path(
    path: tuple[str | int, ...], where: str
) -> None:
    violation = SchemaViolation(path=path, message="m")
    assert violation.where == where
    assert str(violation) == f"{where}: m"


def test_violation_is_frozen() -> None:
    violation = SchemaViolation(path=("a",), message="m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.message = "other"  # type: ignore[misc]


def test_violations_are_sorted_and_independent_of_key_order() -> None:
    session = _example("session.docs_example")
    session.update({"status": "pending", "amount_total": "1", "created": None})
    session["custom_fields"] = [{"key": 1}]
    del session["id"]
    found = validate("session", session)
    reordered = dict(reversed(list(session.items())))
    assert found == validate("session", reordered)
    assert [v.where for v in found] == [
        "(root)",
        "amount_total",
        "created",
        "custom_fields[0]",
        "custom_fields[0].key",
        "status",
    ]


def test_valid_instances_are_judged_without_building_error_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(name: str) -> object:
        raise AssertionError("the compiled check should have accepted this")

    session = _example("session.docs_example")
    monkeypatch.setattr(schemas._validation, "validator_for", refuse)
    assert validate("session", session) == []


# ---------------------------------------------------------------- bundling


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_bundle_is_self_contained(name: str) -> None:
    bundled = bundle(name)
    Draft7Validator.check_schema(bundled)
    nodes = list(_subschemas(bundled))
    assert [n["$id"] for n in nodes if "$id" in n] == [BASE_URI + f"{name}.json"]
    refs = [n["$ref"] for n in nodes if "$ref" in n]
    assert all(ref.startswith("#/definitions/") for ref in refs), refs
    # Resolving every pointer with nothing else registered proves self-containment.
    alone = Registry().with_resource(bundled["$id"], DRAFT7.create_resource(bundled))
    resolver = alone.resolver(base_uri=bundled["$id"])
    for ref in set(refs):
        resolver.lookup(ref)


def test_bundle_returns_a_fresh_copy() -> None:
    first = bundle("session")
    first["properties"]["status"]["enum"].append("pending")
    first["definitions"]["common.json"]["definitions"].clear()
    assert bundle("session") != first
    assert validate("session", _example("session.docs_example")) == []


def test_bundle_of_a_composition_inlines_files_it_reaches_indirectly() -> None:
    inlined = set(bundle("session_list")["definitions"])
    assert inlined >= {
        "list.json",
        "session.json",
        "line_item_list.json",
        "line_item.json",
        "price.json",
        "common.json",
    }


# ---------------------------------------------------------------- examples


def _example(stem: str) -> Any:
    return _load(DATA_DIR / f"{stem}.json")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_object_is_valid(path: Path) -> None:
    name = _example_schema(path)
    instance = _load(path)
    assert validate(name, instance) == []
    assert Draft7Validator(bundle(name)).is_valid(instance)


def _with_field_added_everywhere(node: Any) -> Any:
    if isinstance(node, dict):
        added = {k: _with_field_added_everywhere(v) for k, v in node.items()}
        # A string value keeps maps (metadata) valid too.
        added["field_added_later"] = "a value"
        return added
    if isinstance(node, list):
        return [_with_field_added_everywhere(v) for v in node]
    return node


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_unknown_fields_are_accepted_everywhere(path: Path) -> None:
    name = _example_schema(path)
    extended = _with_field_added_everywhere(_load(path))
    extended["object_added_later"] = {"nested": [1, None, {"x": True}]}
    assert validate(name, extended) == []


# ---------------------------------------------------------------- targeted breakages

Mutation = Callable[[Any], None]


def _set(*path: str | int, value: object) -> Mutation:
    def mutate(instance: Any) -> None:
        *parents, last = path
        for step in parents:
            instance = instance[step]
        instance[last] = value

    return mutate


def _delete(*path: str | int) -> Mutation:
    def mutate(instance: Any) -> None:
        *parents, last = path
        for step in parents:
            instance = instance[step]
        del instance[last]

    return mutate


SESSION = "session.docs_example"
EXPANDED = "session.embedded_complete_expanded"
BREAKAGES: list[tuple[str, str, str, Mutation, tuple[str | int, ...], str]] = [
    # (id, schema, example, mutation, expected path, fragment of the message)
    ("unknown status", "session", SESSION, _set("status", value="pending"),
     ("status",), '"pending" is not one of'),
    ("null payment_status", "session", SESSION, _set("payment_status", value=None),
     ("payment_status",), 'null is not one of "no_payment_required"'),
    ("amount as string", "session", SESSION, _set("amount_total", value="1000"),
     ("amount_total",), "expected integer or null"),
    ("metadata int value", "session", SESSION, _set("metadata", value={"k": 1}),
     ("metadata", "k"), "expected string"),
    ("missing id", "session", SESSION, _delete("id"), (), '"id"'),
    ("2026 ui_mode value", "session", SESSION, _set("ui_mode", value="hosted_page"),
     ("ui_mode",), "hosted_page"),
    ("upper-case currency", "session", SESSION, _set("currency", value="USD"),
     ("currency",), "does not match"),
    ("fractional timestamp", "session", SESSION, _set("created", value=1.5),
     ("created",), "expected integer"),
    ("boolean timestamp", "session", SESSION, _set("expires_at", value=True),
     ("expires_at",), "expected integer"),
    ("string livemode", "session", SESSION, _set("livemode", value="false"),
     ("livemode",), "expected boolean"),
    ("null custom_text", "session", SESSION, _set("custom_text", value=None),
     ("custom_text",), "expected object"),
    ("custom_text without message", "session", SESSION,
     _set("custom_text", "submit", value={"text": "hi"}),
     ("custom_text", "submit"), '"message"'),
    ("null tax amount", "session", SESSION,
     _set("total_details", "amount_tax", value=None),
     ("total_details", "amount_tax"), "expected integer"),
    ("total_details not an object", "session", SESSION,
     _set("total_details", value="0"), ("total_details",), "object or null"),
    ("url too long", "session", SESSION, _set("url", value="u" * 5001),
     ("url",), "longer than 5000"),
    ("expanded customer without id", "session", EXPANDED,
     _set("customer", value={"object": "customer"}), ("customer",), '"id"'),
    ("shipping_rate null", "session", EXPANDED,
     _set("shipping_options", 0, "shipping_rate", value=None),
     ("shipping_options", 0, "shipping_rate"), "string or object"),
    ("price type inside expanded line items", "session", EXPANDED,
     _set("line_items", "data", 0, "price", "type", value="once"),
     ("line_items", "data", 0, "price", "type"), '"once"'),
    ("tax rate percentage", "session", EXPANDED,
     _set("total_details", "breakdown", "taxes", 0, "rate", "percentage", value="19"),
     ("total_details", "breakdown", "taxes", 0, "rate", "percentage"), "number"),
    ("unknown country", "session", EXPANDED,
     _set("shipping_address_collection", "allowed_countries", 1, value="XX"),
     ("shipping_address_collection", "allowed_countries", 1), "allowed values"),
    ("line item object name", "line_item", "line_item.docs_example",
     _set("object", value="line_item"), ("object",), '"item"'),
    ("line item amount in a list", "line_item_list", "line_item_list.docs_example",
     _set("data", 0, "amount_total", value="2198"),
     ("data", 0, "amount_total"), "expected integer"),
    ("session mode in a list", "session_list", "session_list.docs_example",
     _set("data", 0, "mode", value="subscribe"), ("data", 0, "mode"), "subscribe"),
    ("has_more as string", "session_list", "session_list.empty",
     _set("has_more", value="no"), ("has_more",), "expected boolean"),
    ("list object name", "list", "session_list.empty",
     _set("object", value="search_result"), ("object",), '"list"'),
    ("error without type", "error", "error.resource_missing",
     _delete("error", "type"), ("error",), '"type"'),
    ("unknown error type", "error", "error.parameter_unknown",
     _set("error", "type", value="authentication_error"), ("error", "type"),
     "authentication_error"),
    ("error param not a string", "error", "error.parameter_unknown",
     _set("error", "param", value=["shipping_rate"]), ("error", "param"),
     "expected string"),
    ("recurring interval", "price", "price.docs_example",
     _set("recurring", "interval", value="fortnight"), ("recurring", "interval"),
     "fortnight"),
    ("price product null", "price", "price.docs_example",
     _set("product", value=None), ("product",), "string or object"),
    ("customer email number", "customer", "customer.docs_example",
     _set("email", value=5), ("email",), "expected string or null"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "stem", "mutate", "path", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in BREAKAGES],
)
def test_breakage_is_reported_at_its_path(
    name: str,
    stem: str,
    mutate: Mutation,
    path: tuple[str | int, ...],
    fragment: str,
) -> None:
    instance = _example(stem)
    assert validate(name, instance) == []
    mutate(instance)
    found = validate(name, instance)
    assert [v.path for v in found] == [path], found
    assert fragment in found[0].message
    assert "\n" not in found[0].message
    assert len(found[0].message) <= 200


# ---------------------------------------------------------------- spec agreement

# spec root -> schema file that describes it
SPEC_ROOTS = {
    "checkout.session": "session",
    "item": "line_item",
    "price": "price",
    "customer": "customer",
    "error": "error",
    "GET /v1/checkout/sessions": "session_list",
    "GET /v1/checkout/sessions/{session}/line_items": "line_item_list",
}
# Targets the schema describes only in part; every other target in full.
PARTIAL_TARGETS = {"customer"}
_ANNOTATIONS = {"$id", "$schema", "title", "description", "definitions"}


@cache
def _test_registry() -> Registry[Any]:
    # Built here from the files, independently of the loader under test.
    return Registry().with_resources(
        (schema["$id"], DRAFT7.create_resource(schema))
        for schema in map(_load, SCHEMA_FILES)
    )


def _inline(node: Any, resolver: Any) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            resolved = resolver.lookup(node["$ref"])
            return _inline(resolved.contents, resolved.resolver)
        return {k: _inline(v, resolver) for k, v in node.items() if k != "definitions"}
    if isinstance(node, list):
        return [_inline(v, resolver) for v in node]
    return node


@cache
def _inlined(name: str) -> Any:
    uri = BASE_URI + f"{name}.json"
    resolver = _test_registry().resolver(base_uri=uri)
    return _inline(_test_registry().contents(uri), resolver)


def _merged(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its ``allOf`` parts merged in (they must not conflict)."""
    merged = {k: v for k, v in node.items() if k not in _ANNOTATIONS | {"allOf"}}
    for part in node.get("allOf", []):
        merged = _deep_merge(merged, _merged(part))
    return merged


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key in _ANNOTATIONS:
            continue
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _deep_merge(out[key], value)
        elif key in out and out[key] != value:
            raise AssertionError(f"allOf parts disagree on {key!r}")
        else:
            out[key] = value
    return out


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _merged(node)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if alternatives is None:
        return [node]
    return [branch for alt in alternatives for branch in _branches(alt)]


def _only_branch_of_type(node: dict[str, Any], json_type: str) -> dict[str, Any]:
    found = [b for b in _branches(node) if json_type in _types_of(b)]
    assert len(found) == 1, f"expected one {json_type} alternative, got {len(found)}"
    return found[0]


def _describe(node: dict[str, Any]) -> dict[str, Any]:
    """The facts about a value schema, as scripts/extract_spec_fields.py states them."""
    branches = _branches(node)
    description: dict[str, Any] = {
        "types": sorted(set().union(*(_types_of(b) for b in branches)))
    }
    constrained = [b for b in branches if _types_of(b) != {"null"}]
    enums = [b["enum"] for b in constrained if "enum" in b]
    if enums:
        assert len(enums) == len(constrained), "enum next to an unrestricted branch"
        description["enum"] = sorted({v for e in enums for v in e if v is not None})
    lengths = {b["maxLength"] for b in branches if "maxLength" in b}
    assert len(lengths) <= 1, f"alternatives disagree on maxLength: {lengths}"
    if lengths:
        description["max_length"] = lengths.pop()
    arrays = [b for b in branches if "array" in _types_of(b)]
    if arrays:
        description["items"] = _describe(arrays[0]["items"])
    maps = [b for b in branches if isinstance(b.get("additionalProperties"), dict)]
    if maps:
        description["values"] = _describe(maps[0]["additionalProperties"])
    return description


def _walk(node: dict[str, Any], steps: list[str]) -> dict[str, Any]:
    for step in steps:
        if step == "[]":
            node = _only_branch_of_type(node, "array")["items"]
        elif step == "{}":
            node = _only_branch_of_type(node, "object")["additionalProperties"]
        else:
            node = _only_branch_of_type(node, "object")["properties"][step]
    return node


SPEC_TARGETS = _load(SPEC_FIELDS)["targets"]


def test_spec_facts_are_for_the_pinned_version() -> None:
    assert _load(SPEC_FIELDS)["api_version"] == "2024-04-10"
    assert {target["root"] for target in SPEC_TARGETS.values()} == set(SPEC_ROOTS)


@pytest.mark.parametrize("label", sorted(SPEC_TARGETS))
def test_schema_agrees_with_the_spec(label: str) -> None:
    target = SPEC_TARGETS[label]
    schema_node = _walk(_inlined(SPEC_ROOTS[target["root"]]), target["steps"])
    described_object = _only_branch_of_type(schema_node, "object")
    assert sorted(described_object.get("required", [])) == target["required"]
    ours = {
        field: _describe(sub)
        for field, sub in described_object.get("properties", {}).items()
    }
    spec = target["fields"]
    if label in PARTIAL_TARGETS:
        assert ours.keys() <= spec.keys(), sorted(ours.keys() - spec.keys())
        spec = {field: spec[field] for field in ours}
    mismatches = {
        field: {"schema": ours.get(field), "spec": spec.get(field)}
        for field in sorted(ours.keys() | spec.keys())
        if ours.get(field) != spec.get(field)
    }
    assert mismatches == {}


# ---------------------------------------------------------------- generation

_STOP = object()


class _ManyWithMore:
    """``many`` as hypothesis-jsonschema 0.23.1 drives it, on today's Hypothesis.

    hypothesis-jsonschema generates objects with Hypothesis's private
    ``conjecture.utils.many`` helper, calling ``elements.more()`` until it says
    stop. Hypothesis 6.170 replaced ``more()`` by a context manager you iterate
    over, so every object schema fails with AttributeError. This adapter keeps
    the new protocol underneath: the first ``more()`` enters the context, each
    call advances the iterator, and exhaustion exits the context.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._many = conjecture_utils.many(*args, **kwargs)
        self._elements: Iterator[None] | None = None

    def more(self) -> bool:
        if self._elements is None:
            self._elements = iter(self._many.__enter__())
        if next(self._elements, _STOP) is _STOP:
            self._many.__exit__(None, None, None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


class _ConjectureUtilsWithOldMany(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(conjecture_utils, name)


@pytest.fixture(scope="module")
def hypothesis_jsonschema_on_current_hypothesis() -> Iterator[None]:
    """Patch only hypothesis-jsonschema's view of Hypothesis, only when needed."""
    if hasattr(conjecture_utils.many, "more"):
        yield
        return
    patched = _ConjectureUtilsWithOldMany("conjecture_utils_with_old_many")
    patched.many = _ManyWithMore  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(hypothesis_jsonschema_internals, "cu", patched)
        yield


def _with_short_arrays(node: Any) -> Any:
    # Generation time grows with every nested session/item a list holds; two
    # elements per array still exercise every path through the bundle.
    if isinstance(node, dict):
        out = {k: _with_short_arrays(v) for k, v in node.items()}
        declared = out.get("type")
        if declared == "array" or (isinstance(declared, list) and "array" in declared):
            out["maxItems"] = 2
        return out
    if isinstance(node, list):
        return [_with_short_arrays(v) for v in node]
    return node


# Generating a whole session costs ~0.1 s: fewer examples for the big schemas
# keep each test within a few seconds.
GENERATED_EXAMPLES = {"session": 20, "session_list": 5, "line_item_list": 10}


@pytest.mark.usefixtures("hypothesis_jsonschema_on_current_hypothesis")
@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_objects_generated_from_the_bundle_validate_unbundled(name: str) -> None:
    strategy = from_schema(_with_short_arrays(bundle(name)))

    # too_slow: hypothesis-jsonschema rebuilds nested object strategies on every
    # draw, so drawing one session legitimately takes tens of milliseconds.
    @settings(
        max_examples=GENERATED_EXAMPLES.get(name, 30),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def check(instance: Any) -> None:
        assert validate(name, instance) == []
        assert validator_for(name).is_valid(instance)

    check()


# Values that sit on the schemas' edges: types, enum neighbours, lengths.
_EDGE_VALUES = [
    None, True, False, 0, 1, -1, 1.0, 1.5, "", "usd", "USD", "open", "pending",
    "item", "x" * 501, "x" * 5001, [], ["card"], [None], {}, {"id": "x"},
    {"id": 1}, {"message": "hi"}, {"enabled": True}, {"k": "v"}, {"k": 1},
]  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def _mutated_examples(draw: st.DrawFn) -> tuple[str, Any]:
    path = draw(st.sampled_from(EXAMPLE_FILES))
    instance = _load(path)
    for _ in range(draw(st.integers(1, 2))):
        where = draw(st.sampled_from(_paths(instance)))
        value = draw(st.sampled_from(_EDGE_VALUES) | _JSON)
        if not where:
            instance = copy.deepcopy(value)
            continue
        parent = instance
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[where[-1]]
        else:
            parent[where[-1]] = copy.deepcopy(value)
    return _example_schema(path), instance


@settings(max_examples=400, deadline=None)
@given(_mutated_examples())
def test_compiled_check_agrees_with_jsonschema(case: tuple[str, Any]) -> None:
    name, instance = case
    assert fast_check(name)(instance) == validator_for(name).is_valid(instance)


# Where a hand-written check could drift from jsonschema: bool vs int, integral
# floats, None vs falsy values, code points vs UTF-16 units, search vs match.
_PRIMITIVE_EDGES = [
    None, True, False, 0, 1, -7, 2**70, 0.0, 1.0, 1.5, float("inf"), "", "0",
    "true", "null", "usd", "usd\n", "USD", "usdx", " usd", "é" * 3, "😀" * 3,
    [], [1], {}, {"a": 1},
]  # fmt: skip
_KEYWORD_SCHEMAS = [
    {"type": "integer"},
    {"type": "number"},
    {"type": ["integer", "null"]},
    {"type": ["string", "null"], "enum": ["usd", "true", None]},
    {"type": "string", "enum": ["0", "null"]},
    {"type": ["string", "null"], "maxLength": 3},
    {"type": "string", "pattern": "^[a-z]{3}$"},
    {"type": "string", "pattern": "sd"},
    {"type": "object", "required": ["a"]},
    {"type": "array", "items": {"type": "integer"}},
    {"type": "object", "additionalProperties": {"type": "integer"}},
    {"properties": {"a": {"type": "string"}}, "required": ["a"]},
    {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer"}]},
    {"allOf": [{"type": "array"}, {"items": {"enum": [None], "type": "null"}}]},
]
_COMPILE = schemas._fastcheck._compile


@pytest.mark.parametrize("schema", _KEYWORD_SCHEMAS, ids=json.dumps)
def test_compiled_keywords_match_jsonschema_on_edge_values(
    schema: dict[str, Any],
) -> None:
    compiled = _COMPILE(schema, registry().resolver())
    reference = Draft7Validator(schema)
    disagreements = [
        value
        for value in _PRIMITIVE_EDGES
        if compiled(value) != reference.is_valid(value)
    ]
    assert disagreements == []


def test_compiler_refuses_keywords_it_does_not_implement() -> None:
    with pytest.raises(ValueError, match="minimum"):
        _COMPILE({"type": "integer", "minimum": 0}, registry().resolver())
