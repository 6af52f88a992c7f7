"""Replace every spelling of the API key with `$STRIPE_API_KEY`.

Private: `CheckoutClient.redact` is the public entry point; the client applies it
to every response it records (raw text, headers, and each string of the decoded
JSON), so every renderer that reads records gets redacted text.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Final

REDACTED: Final = "$STRIPE_API_KEY"

# What may sit between two characters of a secret that a server wrapped or a
# renderer split: a line break, or a JSON `\n`/`\r\n` escape as text, after up
# to two backslashes (a shell `\` continuation, itself JSON-escaped or not), plus
# indentation.
_BREAK = r"(?:\\{0,2}(?:\r?\n|\\r\\n|\\n)[ \t]*)?"


class Redactor:
    """Callable that removes a secret from text in every form a server may echo it.

    Guarantees: after `redactor(text)`, no substring of the result decodes to the
    secret through any of these, alone or mixed character by character:
    - the secret as is;
    - JSON string escapes (`\\u0073`, `\\/`), in either hex case;
    - percent-encoding (`%73`, UTF-8 bytes for non-ASCII, either hex case), with
      `+` for a space;
    - HTML character references (`&#115;`, `&#x73;`);
    - HTTP Basic credentials: standard or URL-safe base64 of `secret:` or of
      `secret`, padded or not;
    - any of the above split across lines (a line break with indentation, a
      shell continuation, or a literal `\\n` escape between two characters).

    Not covered (documented limits): a secret split across two JSON strings or
    two headers, base64 of the secret at an unaligned offset inside a longer
    base64 blob, and any encryption or hashing.
    """

    __slots__ = ("_pattern",)

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("Redactor needs a non-empty secret.")
        encoded = secret.encode("utf-8")
        padded = set()
        for raw in (encoded + b":", encoded):
            for encoder in (base64.b64encode, base64.urlsafe_b64encode):
                padded.add(encoder(raw).decode("ascii").rstrip("="))
        # Longest first, so a form that contains another is replaced whole; the
        # base64 forms take their padding with them.
        padding = "(?:" + _char("=") + "){0,2}"
        forms = sorted({secret, *padded}, key=len, reverse=True)
        self._pattern = re.compile(
            "|".join(
                alternative
                for form in forms
                for alternative in _spelled(form, padding if form in padded else "")
            )
        )

    def __call__(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text)

    def occurs_in(self, text: str) -> bool:
        """True when any form of the secret occurs in `text`."""
        return self._pattern.search(text) is not None

    def redact_json(self, value: object) -> object:
        """A copy of a decoded JSON value with every string (object keys included)
        redacted; `value` itself when nothing in it holds the secret.

        Iterative, so a deeply nested document cannot exhaust the stack.
        """
        if not self._holds_secret(value):
            return value
        return _rebuild(value, self)

    def _holds_secret(self, value: object) -> bool:
        return any(self.occurs_in(text) for text in _strings_in(value))

    def __repr__(self) -> str:
        return "Redactor(<secret>)"


def _spelled(form: str, tail: str = "") -> list[str]:
    """Regexes that together match `form` with each character in any supported
    spelling, then `tail`.

    One alternative per spelling of the first character, each starting with a
    literal character: the regex engine then skips in C every position whose
    character starts no spelling, which makes a search about ten times faster.
    """
    rest = "".join(_BREAK + _char(char) for char in form[1:]) + tail
    return [first + rest for first in _char_options(form[0])]


def _char(char: str) -> str:
    return "(?:" + "|".join(_char_options(char)) + ")"


def _char_options(char: str) -> list[str]:
    code = ord(char)
    options = [re.escape(char)]
    if code <= 0xFFFF:
        options.append(r"\\u" + _hex_any_case(f"{code:04x}"))
    else:
        high, low = _surrogates(code)
        options.append(r"\\u" + _hex_any_case(high) + r"\\u" + _hex_any_case(low))
    options.append("".join("%" + _hex_any_case(f"{b:02x}") for b in char.encode()))
    options.append(f"&#0*{code};")
    options.append("&#[xX]0*" + _hex_any_case(f"{code:x}") + ";")
    if char == " ":
        options.append(r"\+")
    if char in '/"\\':
        options.append(re.escape("\\" + char))
    return options


def _hex_any_case(digits: str) -> str:
    return "".join(
        f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in digits.lower()
    )


def _surrogates(code: int) -> tuple[str, str]:
    offset = code - 0x10000
    return f"{0xD800 + (offset >> 10):04x}", f"{0xDC00 + (offset & 0x3FF):04x}"


def _strings_in(value: object) -> Iterable[str]:
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            for key, child in current.items():
                if isinstance(key, str):
                    yield key
                pending.append(child)
        elif isinstance(current, list):
            pending.extend(current)


def _rebuild(value: object, redact: Redactor) -> object:
    """`value` with every string redacted, rebuilt without recursion."""
    if isinstance(value, str):
        return redact(value)
    if not isinstance(value, dict | list):
        return value
    root: list[object] = [None]
    # Each job copies `source` into slot `index` of `target` (a list or dict).
    jobs: list[tuple[object, object, object]] = [(value, root, 0)]
    while jobs:
        source, target, index = jobs.pop()
        copy: object
        if isinstance(source, dict):
            new_dict: dict[object, object] = {}
            for key, child in source.items():
                new_key = redact(key) if isinstance(key, str) else key
                new_dict[new_key] = None
                jobs.append((child, new_dict, new_key))
            copy = new_dict
        elif isinstance(source, list):
            new_list: list[object] = [None] * len(source)
            jobs.extend((child, new_list, i) for i, child in enumerate(source))
            copy = new_list
        elif isinstance(source, str):
            copy = redact(source)
        else:
            copy = source
        target[index] = copy  # type: ignore[index]
    return root[0]
