"""Inlining a schema and everything it refers to into one self-contained document."""

from __future__ import annotations

import copy
from typing import Any

from ._files import FILE_NAMES, check_name, file_of, load_file

_FILE_BY_REF = {file_of(name): name for name in FILE_NAMES}


def bundle(name: str) -> dict[str, Any]:
    """Schema ``name`` as one self-contained draft-07 document.

    Every file it refers to, directly or not, is inlined under
    ``definitions["<file>.json"]`` without its ``$id`` and ``$schema`` (a kept
    nested ``$id`` would change the base URI later pointers resolve against),
    and every ``$ref`` is rewritten to a local ``#/definitions/...`` pointer.
    The result validates exactly what ``validate(name, ...)`` accepts and is
    suitable for ``hypothesis_jsonschema.from_schema``. Each call returns a
    fresh copy that the caller may mutate. Raises ValueError for a name not in
    `SCHEMA_NAMES`.
    """
    root_name = check_name(name)
    root: dict[str, Any] = _rewritten(root_name, root_name, load_file(root_name))
    inlined = {
        file_of(other): _rewritten(
            other, root_name, _without_identity(load_file(other))
        )
        for other in sorted(_referenced_files(root_name) - {root_name})
    }
    if inlined:
        definitions = root.setdefault("definitions", {})
        clashes = sorted(definitions.keys() & inlined.keys())
        if clashes:
            raise ValueError(f"{file_of(root_name)} already defines {clashes}")
        definitions.update(inlined)
    return root


def _without_identity(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in {"$id", "$schema"}}


def _split_ref(ref: str, current: str) -> tuple[str, str]:
    """``(file name, JSON pointer)`` a ``$ref`` found in file ``current`` targets."""
    target, _, pointer = ref.partition("#")
    if not target:
        return current, pointer
    if target not in _FILE_BY_REF:
        raise ValueError(
            f"{file_of(current)} refers to {ref!r}; only the package's own files "
            f"({', '.join(sorted(_FILE_BY_REF))}) may be referenced"
        )
    return _FILE_BY_REF[target], pointer


def _referenced_files(name: str) -> set[str]:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        pending.extend(
            _split_ref(ref, current)[0] for ref in _refs_in(load_file(current))
        )
    return seen


def _refs_in(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for value in node.values():
            found.extend(_refs_in(value))
        return found
    if isinstance(node, list):
        return [ref for value in node for ref in _refs_in(value)]
    return []


def _rewritten(current: str, root: str, node: Any) -> Any:
    """A deep copy of ``node`` (from file ``current``) with bundle-local refs."""
    if isinstance(node, dict):
        copied = {key: _rewritten(current, root, value) for key, value in node.items()}
        if isinstance(node.get("$ref"), str):
            target, pointer = _split_ref(node["$ref"], current)
            prefix = "" if target == root else f"/definitions/{file_of(target)}"
            copied["$ref"] = f"#{prefix}{pointer}"
        return copied
    if isinstance(node, list):
        return [_rewritten(current, root, value) for value in node]
    return copy.copy(node)
