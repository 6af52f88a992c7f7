"""JSON Schemas (draft-07) for the response objects of Stripe's Checkout Sessions API.

The schemas describe Stripe-Version 2024-04-10: field types, nullability and enums
follow that version's OpenAPI spec, and every object stays open to fields Stripe
adds later. They check the *shape* of a response; what the values must be (sums,
echoes, timestamps near now) is the job of ``contracts``.

Public API:

``SCHEMA_NAMES``
    the names of the response schemas: ``session``, ``line_item``, ``price``,
    ``customer``, ``list``, ``session_list``, ``line_item_list``, ``error``.
``validate(name, instance) -> list[SchemaViolation]``
    every way ``instance`` breaks schema ``name``; ``[]`` when valid.
``SchemaViolation``
    one violation: ``path``, ``message`` and ``where`` (``data[0].amount_total``).
``bundle(name) -> dict``
    schema ``name`` with every referenced file inlined, for tools that cannot
    follow references between files (hypothesis-jsonschema).
``RemoteReferenceRefused``
    raised (wrapped by ``referencing``) if a schema ever refers outside this
    package: nothing is fetched over the network.

Files are read from this package's directory, lazily, once per process.
"""

from __future__ import annotations

from ._bundle import bundle
from ._files import SCHEMA_NAMES, RemoteReferenceRefused
from ._validation import SchemaViolation, validate

__all__ = [
    "SCHEMA_NAMES",
    "RemoteReferenceRefused",
    "SchemaViolation",
    "bundle",
    "validate",
]
