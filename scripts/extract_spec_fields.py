"""Extract field facts (types, nullability, enums, lengths) from Stripe's OpenAPI spec.

Usage::

    python scripts/extract_spec_fields.py PATH/TO/checkout-sessions.spec3.json \\
        > tests/self/data/schemas/spec_fields.json

The output is the reference that ``tests/self/test_schemas.py`` compares the JSON
Schemas in ``schemas/`` against, field by field. CI has no copy of the spec, so
the output is committed; rerun this script when the pinned spec changes.

For every target (an object reached from a spec root by a property path, where
``[]`` steps into array items and ``{}`` into map values) it records the path as
``steps``, the object's ``required`` list and, for each property, a
*description*:

``types``
    the JSON types a value may have, sorted; ``null`` is listed when the spec
    says ``nullable: true``. An expandable field (an id string or an object)
    lists both ``object`` and ``string``.
``enum``
    the allowed non-null values, sorted, when the spec restricts them.
``max_length``
    the spec's ``maxLength`` for string values.
``items`` / ``values``
    the description of array items / of map values (``additionalProperties``).

Keys whose value would be empty are left out, so two descriptions are equal
exactly when the facts agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOTS: dict[str, str] = {
    "checkout.session": "/components/schemas/checkout.session",
    "item": "/components/schemas/item",
    "price": "/components/schemas/price",
    "customer": "/components/schemas/customer",
    "error": "/components/schemas/error",
    "GET /v1/checkout/sessions": (
        "/paths/~1v1~1checkout~1sessions/get/responses/200"
        "/content/application~1json/schema"
    ),
    "GET /v1/checkout/sessions/{session}/line_items": (
        "/paths/~1v1~1checkout~1sessions~1{session}~1line_items/get/responses/200"
        "/content/application~1json/schema"
    ),
}

# (root, property path): "a.b" steps into properties, "a[]" into array items,
# "a{}" into map values. The empty path is the root object itself.
TARGETS: tuple[tuple[str, str], ...] = (
    *((root, "") for root in ROOTS),
    ("checkout.session", "after_expiration"),
    ("checkout.session", "after_expiration.recovery"),
    ("checkout.session", "automatic_tax"),
    ("checkout.session", "automatic_tax.liability"),
    ("checkout.session", "consent"),
    ("checkout.session", "consent_collection"),
    ("checkout.session", "consent_collection.payment_method_reuse_agreement"),
    ("checkout.session", "currency_conversion"),
    ("checkout.session", "custom_fields[]"),
    ("checkout.session", "custom_fields[].dropdown"),
    ("checkout.session", "custom_fields[].dropdown.options[]"),
    ("checkout.session", "custom_fields[].label"),
    ("checkout.session", "custom_fields[].numeric"),
    ("checkout.session", "custom_fields[].text"),
    ("checkout.session", "custom_text"),
    ("checkout.session", "custom_text.submit"),
    ("checkout.session", "customer_details"),
    ("checkout.session", "customer_details.address"),
    ("checkout.session", "customer_details.tax_ids[]"),
    ("checkout.session", "invoice_creation"),
    ("checkout.session", "invoice_creation.invoice_data"),
    ("checkout.session", "invoice_creation.invoice_data.custom_fields[]"),
    ("checkout.session", "invoice_creation.invoice_data.rendering_options"),
    ("checkout.session", "line_items"),
    ("checkout.session", "payment_method_configuration_details"),
    ("checkout.session", "phone_number_collection"),
    ("checkout.session", "saved_payment_method_options"),
    ("checkout.session", "shipping_address_collection"),
    ("checkout.session", "shipping_cost"),
    ("checkout.session", "shipping_details"),
    ("checkout.session", "shipping_options[]"),
    ("checkout.session", "tax_id_collection"),
    ("checkout.session", "total_details"),
    ("checkout.session", "total_details.breakdown"),
    ("checkout.session", "total_details.breakdown.discounts[]"),
    ("checkout.session", "total_details.breakdown.discounts[].discount"),
    ("checkout.session", "total_details.breakdown.taxes[]"),
    ("checkout.session", "total_details.breakdown.taxes[].rate"),
    ("item", "discounts[]"),
    ("item", "taxes[]"),
    ("price", "currency_options{}"),
    ("price", "custom_unit_amount"),
    ("price", "recurring"),
    ("price", "tiers[]"),
    ("price", "transform_quantity"),
    ("error", "error"),
)


def path_steps(path: str) -> list[str]:
    """``"a[].b"`` -> ``["a", "[]", "b"]``: property names, ``[]`` and ``{}``."""
    steps: list[str] = []
    for part in path.split(".") if path else []:
        for marker in ("[]", "{}"):
            if part.endswith(marker):
                steps.extend([part.removesuffix(marker), marker])
                break
        else:
            steps.append(part)
    return steps


_COMPONENT_PREFIX = "#/components/schemas/"


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.lstrip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith(_COMPONENT_PREFIX):
            raise ValueError(f"unexpected $ref {ref!r}")
        node = spec["components"]["schemas"][ref.removeprefix(_COMPONENT_PREFIX)]
    return node


def _branches(spec: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives a value may take, with ``$ref``s resolved."""
    node = _deref(spec, node)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if alternatives is None:
        return [node]
    found: list[dict[str, Any]] = []
    for alternative in alternatives:
        found.extend(_branches(spec, alternative))
    return found


def _object_branch(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    objects = [b for b in _branches(spec, node) if b.get("type", "object") == "object"]
    if len(objects) != 1:
        raise ValueError(
            f"expected exactly one object alternative, found {len(objects)}"
        )
    return objects[0]


def describe(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The facts about one value schema, in the format the module docstring gives."""
    node = _deref(spec, node)
    branches = _branches(spec, node)
    types = {b.get("type", "object") for b in branches}
    if node.get("nullable"):
        types.add("null")
    description: dict[str, Any] = {"types": sorted(types)}
    enums = [b["enum"] for b in branches if "enum" in b]
    if enums:
        if len(enums) != len(branches):
            raise ValueError("an enum shares a value with an unrestricted alternative")
        description["enum"] = sorted({v for e in enums for v in e if v is not None})
    lengths = {b["maxLength"] for b in branches if "maxLength" in b}
    if len(lengths) > 1:
        raise ValueError(f"alternatives disagree on maxLength: {sorted(lengths)}")
    if lengths:
        description["max_length"] = lengths.pop()
    arrays = [b for b in branches if b.get("type") == "array"]
    if arrays:
        description["items"] = describe(spec, arrays[0]["items"])
    maps = [b for b in branches if isinstance(b.get("additionalProperties"), dict)]
    if maps:
        description["values"] = describe(spec, maps[0]["additionalProperties"])
    return description


def extract_target(spec: dict[str, Any], root: str, path: str) -> dict[str, Any]:
    node = _pointer(spec, ROOTS[root])
    for step in path_steps(path):
        if step == "[]":
            node = _deref(spec, node)["items"]
        elif step == "{}":
            node = _deref(spec, node)["additionalProperties"]
        else:
            node = _object_branch(spec, node)["properties"][step]
    obj = _object_branch(spec, node)
    return {
        "root": root,
        "path": path,
        "steps": path_steps(path),
        "required": sorted(obj.get("required", [])),
        "fields": {
            name: describe(spec, prop)
            for name, prop in sorted(obj.get("properties", {}).items())
        },
    }


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_version": spec["info"]["version"],
        "targets": {
            f"{root} {path}".strip(): extract_target(spec, root, path)
            for root, path in sorted(TARGETS)
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} PATH/TO/spec3.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps(extract(spec), indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
