"""Decoder for Stripe's bracket-notation form encoding (bodies and query strings).

`decode_form` turns `a[b][0][c]=x&expand[]=y` into nested dicts of strings, in
the order the keys arrived. Arrays stay dicts keyed by index strings ("0", "1",
...; `[]` appends the next index) because only the parameter schema knows
whether `metadata[0]` is a map key or `line_items[0]` an array element.

Every malformed input (bad percent-encoding, bad UTF-8, unbalanced brackets, a
key used both as a value and as a container, nesting deeper than
`MAX_DEPTH`) raises `ApiError` 400: nothing a client sends can make it crash.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from ._errors import ApiError, invalid, shorten

FormValue = str | dict[str, "FormValue"]
FormTree = dict[str, FormValue]

# Real parameter paths are at most 6 segments deep (shipping_options[0]
# [shipping_rate_data][fixed_amount][currency_options][eur][amount]); the cap
# keeps pathological keys from costing anything.
MAX_DEPTH = 12

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}")


def decode_form(raw: bytes) -> FormTree:
    """The nested parameter tree of a form body or query string.

    Duplicate scalar keys keep the last value (Rack's rule); `a[]` appends;
    `a[][k]` fills the last appended element while it lacks `k` (Rack's rule for
    arrays of objects).
    """
    tree: FormTree = {}
    next_index: dict[int, int] = {}
    if not raw:
        return tree
    for part in raw.split(b"&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition(b"=")
        name = _decode_component(raw_name)
        value = _decode_component(raw_value)
        segments = split_key(name)
        _insert(tree, segments, value, name, next_index)
    return tree


def split_key(name: str) -> list[str]:
    """`a[b][]` -> ["a", "b", ""]; brackets may nest inside a segment (`m[a[b]]`)."""
    if not name:
        raise invalid("Invalid parameter name: the name is empty.")
    start = name.find("[")
    head = name if start == -1 else name[:start]
    if not head or "]" in head:
        raise _bad_name(name)
    segments = [head]
    pos = start if start != -1 else len(name)
    while pos < len(name):
        if name[pos] != "[":
            raise _bad_name(name)
        depth = 1
        end = pos + 1
        while end < len(name) and depth:
            char = name[end]
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            end += 1
        if depth:
            raise _bad_name(name)
        segments.append(name[pos + 1 : end - 1])
        pos = end
        if len(segments) > MAX_DEPTH:
            raise invalid(
                f"Invalid parameter name: {shorten(name)} is nested more than "
                f"{MAX_DEPTH} levels deep."
            )
    return segments


def is_index(key: str) -> bool:
    """Whether `key` is a canonical array index ("0", "7", never "07" or "-1")."""
    return _INDEX.fullmatch(key) is not None


def has_mixed_container(tree: FormTree) -> bool:
    """Whether some key is used both as an array (`a[0]`) and an object (`a[b]`)."""
    for value in tree.values():
        if isinstance(value, dict):
            kinds = {is_index(key) for key in value}
            if len(kinds) == 2 or has_mixed_container(value):
                return True
    return False


def bracket(segments: list[str]) -> str:
    """["a", "b", "0"] -> "a[b][0]", the way Stripe names nested parameters."""
    return segments[0] + "".join(f"[{segment}]" for segment in segments[1:])


def decode_path_segment(raw: str) -> str:
    """A percent-decoded URL path segment (`+` stays a plus); malformed is 400."""
    return _percent_decode(raw.encode("latin-1"))


def _decode_component(raw: bytes) -> str:
    return _percent_decode(raw.replace(b"+", b" "))


def _percent_decode(raw: bytes) -> str:
    if b"%" in raw:
        if _BAD_PERCENT.search(raw):
            raise invalid(
                "Invalid request: the body or query string contains a malformed "
                "percent-escape (a `%` must be followed by two hex digits)."
            )
        raw = unquote_to_bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid(
            "Invalid request: parameters must be UTF-8 encoded; the body or query "
            "string contains bytes that are not valid UTF-8."
        ) from None


def _bad_name(name: str) -> ApiError:
    return invalid(
        f"Invalid parameter name: {shorten(name)} (brackets must be balanced and "
        "wrap each nested name, as in a[b][0])."
    )


def _collision(name: str) -> ApiError:
    return invalid(
        f"Invalid parameters: {shorten(name)} uses a name both as a value and as a "
        "nested object or array; send each name in one form only.",
        param=shorten(name),
    )


def _insert(
    tree: FormTree,
    segments: list[str],
    value: str,
    name: str,
    next_index: dict[int, int],
) -> None:
    node: dict[str, FormValue] = tree
    last = len(segments) - 1
    for depth, segment in enumerate(segments):
        if segment == "" and depth:
            index = next_index.get(id(node), 0)
            if depth == last:
                node[str(index)] = value
                next_index[id(node)] = index + 1
                return
            following = segments[depth + 1]
            previous = node.get(str(index - 1)) if index else None
            if isinstance(previous, dict) and following and following not in previous:
                node = previous
                continue
            child: dict[str, FormValue] = {}
            node[str(index)] = child
            next_index[id(node)] = index + 1
            node = child
            continue
        if is_index(segment):
            # Keep `[]` appends after explicit indices instead of overwriting them.
            current = next_index.get(id(node), 0)
            if int(segment) >= current:
                next_index[id(node)] = int(segment) + 1
        existing = node.get(segment)
        if depth == last:
            if isinstance(existing, dict):
                raise _collision(name)
            node[segment] = value
            return
        if existing is None:
            child = {}
            node[segment] = child
            node = child
        elif isinstance(existing, str):
            raise _collision(name)
        else:
            node = existing
