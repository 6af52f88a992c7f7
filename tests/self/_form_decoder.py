"""A strict, independent decoder for Stripe-style bracket forms (self-tests only).

It shares no code with `client`: the round-trip tests encode with the client and
decode with this, so a misreading of the format shows up as a disagreement.

`decode_form(text)` returns a tree of dicts (insertion-ordered, str keys) whose
leaves are str; `key[]` repetitions become a tuple of str. Indexed keys stay dict
keys ("0", "1", ...): on the wire an indexed list and a dict with digit keys look
the same, and only the server's schema can tell them apart. Anything ambiguous or
malformed raises `MalformedForm` instead of being guessed at.
"""

from __future__ import annotations

import string
from typing import Final

# What an encoder may leave unescaped: RFC 3986 unreserved characters plus the
# structural brackets. Anything else in the text means the encoder let a
# character through that a decoder could misread (&, =, +, %, #, space, ...).
_LITERAL: Final = frozenset(string.ascii_letters + string.digits + "-._~[]")
_HEX: Final = frozenset(string.hexdigits)

FormTree = dict[str, "FormNode"]
FormNode = str | tuple[str, ...] | FormTree


class MalformedForm(ValueError):
    """The text is not an unambiguous bracket form."""


def decode_form(text: str) -> FormTree:
    """Decode `a=1&b[c]=2&d[]=x` to `{"a": "1", "b": {"c": "2"}, "d": ("x",)}`.

    Raises MalformedForm for anything an unambiguous encoder would not produce.
    """
    root: dict[str, object] = {}
    if text == "":
        return {}
    for part in text.split("&"):
        if part.count("=") < 1:
            raise MalformedForm(f"pair {part!r} has no '='")
        raw_key, raw_value = part.split("=", 1)
        if "=" in raw_value:
            raise MalformedForm(f"pair {part!r} has an unescaped '=' in its value")
        _insert(root, _segments(percent_decode(raw_key)), percent_decode(raw_value))
    return _frozen(root)


def percent_decode(text: str) -> str:
    """Decode %XX escapes (UTF-8); refuse characters an encoder must escape."""
    buffer = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            digits = text[index + 1 : index + 3]
            if len(digits) != 2 or not set(digits) <= _HEX:
                raise MalformedForm(f"bad escape {text[index : index + 3]!r}")
            buffer.append(int(digits, 16))
            index += 3
            continue
        if char not in _LITERAL:
            raise MalformedForm(f"unescaped {char!r} in {text!r}")
        buffer.append(ord(char))
        index += 1
    try:
        return buffer.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedForm(f"{text!r} is not UTF-8 once decoded") from exc


_APPEND: Final = object()


def _segments(key: str) -> list[object]:
    """`a[b][0][]` -> ["a", "b", "0", _APPEND]."""
    head, bracket, rest = key.partition("[")
    if not head or "]" in head:
        raise MalformedForm(f"key {key!r} has no name before its brackets")
    segments: list[object] = [head]
    rest = bracket + rest
    while rest:
        if not rest.startswith("["):
            raise MalformedForm(f"key {key!r} has text after a closing bracket")
        closing = rest.find("]")
        if closing < 0:
            raise MalformedForm(f"key {key!r} has an unclosed bracket")
        inner = rest[1:closing]
        if "[" in inner:
            raise MalformedForm(f"key {key!r} nests a bracket inside a bracket")
        segments.append(_APPEND if inner == "" else inner)
        rest = rest[closing + 1 :]
    if _APPEND in segments[:-1]:
        raise MalformedForm(f"key {key!r} has [] before its last segment")
    return segments


def _insert(root: dict[str, object], segments: list[object], value: str) -> None:
    *path, last = segments
    if last is _APPEND:
        *path, list_name = path
    node = root
    for segment in path:
        assert isinstance(segment, str)
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise MalformedForm(f"{segment!r} is both a value and a container")
        node = child
    if last is _APPEND:
        assert isinstance(list_name, str)
        existing = node.setdefault(list_name, [])
        if not isinstance(existing, list):
            raise MalformedForm(f"{list_name!r} is both a [] list and something else")
        existing.append(value)
        return
    assert isinstance(last, str)
    if last in node:
        raise MalformedForm(f"{segments} is sent twice")
    node[last] = value


def _frozen(node: dict[str, object]) -> FormTree:
    frozen: FormTree = {}
    for key, value in node.items():
        if isinstance(value, dict):
            frozen[key] = _frozen(value)
        elif isinstance(value, list):
            frozen[key] = tuple(value)
        else:
            assert isinstance(value, str)
            frozen[key] = value
    return frozen
