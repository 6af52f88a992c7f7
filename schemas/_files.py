"""Finding and reading the schema files that sit next to this module."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_NAMES: tuple[str, ...] = (
    "session",
    "line_item",
    "price",
    "customer",
    "list",
    "session_list",
    "line_item_list",
    "error",
)
"""The response schemas a caller may validate against or bundle."""

# common.json holds shared definitions only; it is loaded so that references
# resolve, but nothing is ever validated against it as a whole.
FILE_NAMES: tuple[str, ...] = (*SCHEMA_NAMES, "common")

SCHEMA_DIR = Path(__file__).resolve().parent
BASE_URI = "https://checkout-contracts.invalid/schemas/"


def check_name(name: str) -> str:
    """Return ``name`` if it is one of `SCHEMA_NAMES`, else raise ValueError."""
    if name not in SCHEMA_NAMES:
        valid = ", ".join(repr(n) for n in SCHEMA_NAMES)
        raise ValueError(f"unknown schema name={name!r}; valid names are: {valid}")
    return name


def file_of(name: str) -> str:
    """The file name (and relative ``$ref`` target) of schema ``name``."""
    return f"{name}.json"


@functools.cache
def load_file(name: str) -> dict[str, Any]:
    """The parsed contents of ``<name>.json``; callers must not mutate it."""
    if name not in FILE_NAMES:
        raise ValueError(f"no schema file is named {name!r}")
    path = SCHEMA_DIR / file_of(name)
    contents = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(contents, dict):
        raise TypeError(
            f"{path} holds a {type(contents).__name__}, not a schema object"
        )
    expected_id = BASE_URI + file_of(name)
    if contents.get("$id") != expected_id:
        raise ValueError(
            f"{path} has $id {contents.get('$id')!r}, expected {expected_id!r}"
        )
    return contents


class RemoteReferenceRefused(LookupError):
    """A schema referred to a document outside this package; nothing is fetched."""


def _refuse_remote(uri: str) -> Resource[Any]:
    raise RemoteReferenceRefused(
        f"refusing to retrieve {uri!r}: schemas may only refer to the files in "
        f"{BASE_URI} that this package ships"
    )


@functools.cache
def registry() -> Registry[Any]:
    """Every schema file under its ``$id``; any other URI is refused, never fetched."""
    resources = [
        (BASE_URI + file_of(name), DRAFT7.create_resource(load_file(name)))
        for name in FILE_NAMES
    ]
    # referencing documents `retrieve=`; its attrs field is private (`_retrieve`),
    # which mypy's attrs plugin does not map to the public keyword.
    empty: Registry[Any] = Registry(retrieve=_refuse_remote)  # type: ignore[call-arg]
    return empty.with_resources(resources).crawl()
