"""Strings: free text, metadata maps, identifiers, emails and redirect URLs.

All free text here is non-empty (an empty value means "unset" on Stripe's
form API), has no leading or trailing whitespace (a server may strip it) and
never contains ``<`` or ``>`` (so it cannot look like a placeholder).
"""

from __future__ import annotations

import string
from typing import Final

from hypothesis import strategies as st

from strategies._api import (
    CHECKOUT_SESSION_ID_TEMPLATE,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_VALUE_LENGTH,
)
from strategies._support import cached, check_int_range

# Visible ASCII minus the placeholder delimiters. Form-significant characters
# (& = + % [ ]) stay in on purpose: they exercise the encoder on both sides.
VISIBLE_ASCII: Final = "".join(
    c
    for c in string.ascii_letters + string.digits + string.punctuation
    if c not in "<>"
)
# Metadata keys: no brackets, nothing that needs quoting in a form key.
METADATA_KEY_ALPHABET: Final = string.ascii_letters + string.digits + "_-."
IDENTIFIER_ALPHABET: Final = string.ascii_letters + string.digits + "_-"
EXAMPLE_HOSTS: Final = ("example.com", "example.org", "shop.example.net")
# Letters from several scripts plus emoji outside the BMP: what a serious
# merchant's catalogue contains, and what trips UTF-16 and byte-length bugs.
# Whole grapheme clusters, so that a sample never splits a flag, a joined
# emoji or a Devanagari conjunct.
NON_ASCII_SAMPLES: Final = (
    "é", "ü", "ß", "ñ", "ø", "Æ", "Œ", "ž", "ł", "ğ", "İ", "漢字", "カナ", "한글",
    "Ω", "ж", "क्ष", "עב", "رع", "ไทย", "€", "£", "¥", "₩", "😀", "🛒", "🎉",
    "🇯🇵", "👩‍💻",
)  # fmt: skip
_URL_PATH_ALPHABET: Final = string.ascii_lowercase + string.digits + "-_"


@cached
def plain_texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Visible-ASCII words joined by single spaces, 1..max_size characters.

    Shrinks towards a single one-character word.
    """
    check_int_range("max_size", max_size, 1, 100_000)
    # One drawn string per text (not a list of words) keeps big params cheap
    # to generate; the two-part branch makes multi-word text common.
    text = st.text(alphabet=VISIBLE_ASCII + " ", min_size=1, max_size=max_size)
    head = st.text(alphabet=VISIBLE_ASCII, min_size=1, max_size=min(12, max_size))
    return st.one_of(
        text.map(_tidy),
        st.builds(lambda a, b: _tidy(f"{a} {b}"[:max_size]), head, text),
    )


def _tidy(text: str) -> str:
    # Single inner spaces, none at the ends; an all-space draw becomes "x".
    return " ".join(text.split()) or "x"


@cached
def non_ascii_texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text of 1..max_size code points starting with a non-ASCII sample.

    The sample is a whole cluster (a word in some script, a flag, a joined
    emoji); more samples and letters, digits and symbols of any script
    follow. Generated characters carry no combining marks, which a server
    could normalise away.
    """
    longest = max(len(sample) for sample in NON_ASCII_SAMPLES)
    check_int_range("max_size", max_size, longest, 100_000)
    unicode_chars = st.characters(
        categories=("L", "N", "S"),
        exclude_characters="<>",
        min_codepoint=0x21,
    )
    samples = st.sampled_from(NON_ASCII_SAMPLES)
    pieces = st.lists(
        st.one_of(samples, unicode_chars), max_size=max(1, max_size // 2 - 1)
    )

    def assemble(draw: st.DrawFn) -> str:
        text = draw(samples)
        for piece in draw(pieces):
            if len(text) + len(piece) > max_size:
                break
            text += piece
        return text

    return st.composite(assemble)()


@cached
def metadata_keys(*, max_size: int = 20) -> st.SearchStrategy[str]:
    """Metadata keys: 1..max_size characters of letters, digits and ``_-.``."""
    check_int_range("max_size", max_size, 1, MAX_METADATA_KEY_LENGTH)
    return st.text(alphabet=METADATA_KEY_ALPHABET, min_size=1, max_size=max_size)


@cached
def metadata_maps(
    *, min_size: int = 1, max_size: int = 5
) -> st.SearchStrategy[dict[str, str]]:
    """Metadata maps within every R-18 limit, with non-empty values.

    Shrinks by dropping keys, then towards one-character keys and values.
    """
    check_int_range("min_size", min_size, 0, 50)
    check_int_range("max_size", max_size, min_size, 50)
    return st.dictionaries(
        metadata_keys(),
        plain_texts(max_size=min(100, MAX_METADATA_VALUE_LENGTH)),
        min_size=min_size,
        max_size=max_size,
    )


@cached
def client_reference_ids() -> st.SearchStrategy[str]:
    """Reconciliation ids as merchants write them: cart ids, order numbers."""
    return st.one_of(
        st.text(alphabet=IDENTIFIER_ALPHABET, min_size=1, max_size=64),
        plain_texts(max_size=80),
    )


@cached
def customer_emails() -> st.SearchStrategy[str]:
    """Plain, deliverable-looking addresses on reserved example domains."""
    local = st.from_regex(r"[a-z0-9]{1,12}([._+-][a-z0-9]{1,8}){0,2}", fullmatch=True)
    return st.builds(
        lambda user, host: f"{user}@{host}", local, st.sampled_from(EXAMPLE_HOSTS)
    )


@cached
def _urls(*, with_session_id: bool) -> st.SearchStrategy[str]:
    segment = st.text(alphabet=_URL_PATH_ALPHABET, min_size=1, max_size=12)
    query_value = st.text(alphabet=IDENTIFIER_ALPHABET, min_size=1, max_size=12)
    query_pairs = st.lists(
        st.tuples(st.sampled_from(("ref", "order", "lang", "utm_source")), query_value),
        max_size=2,
        unique_by=lambda pair: pair[0],
    )

    def assemble(draw: st.DrawFn) -> str:
        host = draw(st.sampled_from(EXAMPLE_HOSTS))
        path = "/".join(draw(st.lists(segment, max_size=3)))
        pairs = [f"{k}={v}" for k, v in draw(query_pairs)]
        if with_session_id and draw(st.booleans()):
            pairs.insert(0, f"session_id={CHECKOUT_SESSION_ID_TEMPLATE}")
        query = "?" + "&".join(pairs) if pairs else ""
        return f"https://{host}/{path}{query}"

    return st.composite(assemble)()


def success_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs, sometimes carrying ``{CHECKOUT_SESSION_ID}``.

    Shrinks towards ``https://example.com/``.
    """
    return _urls(with_session_id=True)


def cancel_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs for the back button (no session id template)."""
    return _urls(with_session_id=False)


def return_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs for embedded sessions, sometimes with the template."""
    return _urls(with_session_id=True)
