"""Stripe's bracket form encoding: structured params to wire pairs and back to text.

Public through `client`: `encode_form`, `urlencode_form`, `BracketList`,
`FORM_CONTENT_TYPE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# Structural brackets stay literal on the wire, as stripe-python leaves them, so
# `line_items[0][price]` reads as written in Stripe's docs. Keys can never hold a
# bracket of their own (encode_form refuses them), so a literal bracket is always
# structure and never data.
_LITERAL_ON_THE_WIRE = "[]"


@dataclass(frozen=True, slots=True, init=False)
class BracketList:
    """A list of scalars sent with empty brackets: `key[]=a&key[]=b`.

    Plain lists are sent indexed (`key[0]=a&key[1]=b`), as the SDK sends them.
    `BracketList` is the other spelling Stripe accepts, the one its curl examples use
    for `expand[]`. Items are scalars (str, int, bool, Decimal); `None` items are
    dropped; an empty `BracketList` sends nothing.
    """

    items: tuple[object, ...]

    def __init__(self, items: Iterable[object]) -> None:
        if isinstance(items, str | bytes | Mapping):
            raise TypeError(
                f"BracketList(items={items!r}) needs a list of scalars, not a "
                f"{type(items).__name__}; wrap a single value as BracketList([value])."
            )
        object.__setattr__(self, "items", tuple(items))

    def __iter__(self) -> Iterator[object]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def encode_form(params: Mapping[str, object]) -> list[tuple[str, str]]:
    """Flatten structured params into Stripe's bracket-notation (key, value) pairs.

    Guarantees, in the order the mapping iterates:
    - a dict nests as `key[sub]`; a list or tuple is indexed `key[0]`, `key[1]`, ...;
      a `BracketList` repeats `key[]`;
    - `None` is dropped at any depth, and so is a container left empty (an empty
      dict or list sends nothing at all, as in stripe-python). To unset a field
      send `""`, which is kept: `{"metadata": ""}` sends `metadata=`;
    - list items that send nothing (None, empty containers) do not use up an
      index: indices on the wire always run 0, 1, 2, ... without gaps;
    - bools are `true`/`false`, ints are decimal, a Decimal is written in plain
      positional notation (`Decimal("1E+2")` -> `100`), strs are sent as they are.

    Raises TypeError, naming the wire path, for a non-str key or a value of any
    other type (float, bytes, datetime, set, ...), and ValueError for a key that is
    empty or contains `[` or `]` (the server could not tell it from structure;
    send such bodies with `raw_body`), for text that is not valid Unicode, and for
    a non-finite Decimal.
    """
    if not isinstance(params, Mapping):
        raise TypeError(
            f"encode_form(params=...) needs a mapping of str to values, got a "
            f"{type(params).__name__}."
        )
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        _encode_value(_checked_key(key, parent=None), value, pairs)
    return pairs


def urlencode_form(pairs: Iterable[tuple[str, str]]) -> str:
    """Percent-encode pairs into the exact form text sent on the wire.

    Every byte outside `A-Z a-z 0-9 - . _ ~ [ ]` is percent-encoded as UTF-8
    (a space is `%20`, never `+`, so any form decoder reads it back the same);
    brackets stay literal for readability. No pairs give the empty string.
    """
    return "&".join(
        f"{_percent_encode(key)}={_percent_encode(value)}" for key, value in pairs
    )


def _percent_encode(text: str) -> str:
    return quote(text, safe=_LITERAL_ON_THE_WIRE, encoding="utf-8", errors="strict")


def _encode_value(path: str, value: object, pairs: list[tuple[str, str]]) -> None:
    if value is None:
        return
    if isinstance(value, BracketList):
        for item in value.items:
            if item is not None:
                pairs.append((f"{path}[]", _scalar(f"{path}[]", item)))
        return
    if isinstance(value, Mapping):
        for key, sub_value in value.items():
            _encode_value(f"{path}[{_checked_key(key, parent=path)}]", sub_value, pairs)
        return
    if isinstance(value, list | tuple):
        index = 0
        for item in value:
            before = len(pairs)
            _encode_value(f"{path}[{index}]", item, pairs)
            if len(pairs) > before:
                index += 1
        return
    pairs.append((path, _scalar(path, value)))


def _scalar(path: str, value: object) -> str:
    # bool before int: bool is an int subclass and must not become "1".
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # int() first so an IntEnum member sends its number, not its name.
        return str(int(value))
    if isinstance(value, str):
        return _checked_text(str.__str__(value), what=f"the value at {path}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(
                f"encode_form: {path}={value!r} is not a finite number; "
                f"Stripe accepts only finite decimal strings."
            )
        return format(value, "f")
    raise TypeError(
        f"encode_form: {path}={value!r} is a {type(value).__name__}, which has no "
        f"form encoding; {_hint_for(value)}"
    )


def _hint_for(value: object) -> str:
    if isinstance(value, Mapping | list | tuple | BracketList):
        return "a BracketList holds scalars only; use a plain list for nested values."
    if isinstance(value, float):
        return "pass an int, a Decimal or a str so the digits sent are explicit."
    if isinstance(value, bytes | bytearray):
        return "decode it to str first, or send the whole body with raw_body."
    if hasattr(value, "timestamp"):
        return "pass the Unix time as an int, e.g. int(moment.timestamp())."
    return "use str, int, bool, Decimal, None, a dict, a list, a tuple or BracketList."


def _checked_key(key: object, *, parent: str | None) -> str:
    where = f"under {parent}" if parent is not None else "at the top level"
    if not isinstance(key, str):
        raise TypeError(
            f"encode_form: the key {key!r} {where} is a {type(key).__name__}; "
            f"keys must be str."
        )
    if key == "":
        raise ValueError(
            f"encode_form: an empty key {where} cannot be sent unambiguously "
            f"(it would read as `[]`); send such a body with raw_body."
        )
    if "[" in key or "]" in key:
        raise ValueError(
            f"encode_form: the key {key!r} {where} contains a bracket, which the "
            f"server would read as structure; nest dicts instead, or send such a "
            f"body with raw_body."
        )
    return _checked_text(key, what=f"the key {key!r} {where}")


def _checked_text(text: str, *, what: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"encode_form: {what} contains a lone surrogate, which is not valid "
            f"UTF-8; send such bytes with raw_body."
        ) from None
    return text
