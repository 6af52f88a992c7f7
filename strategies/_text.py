"""Strings: free text, metadata maps, identifiers, emails and redirect URLs.

All free text here is non-empty (an empty value means "unset" on Stripe's
form API), has no leading or trailing whitespace (a server may strip it) and
never contains ``<`` or ``>`` (so it cannot look like a placeholder).

Ordinary text is short: one string choice of 1..39 characters (six on
average), which is all a contract about echoing, encoding or storing text
needs. Values at a length limit are the business of `boundary_create_params`.
Every free text is drawn from the same strategy, which also keeps
Hypothesis's per-constraint caches small.
"""

from __future__ import annotations

import string
from typing import Final

from hypothesis import strategies as st

from strategies._api import (
    CHECKOUT_SESSION_ID_TEMPLATE,
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
)
from strategies._support import cached, check_int_range, distinct_names

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
LOWER_ALPHANUMERIC: Final = string.ascii_lowercase + string.digits
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
# Paths and query strings a shop gives its redirect URLs; the first of each
# is none at all (the shrink target). `&` and `=` inside a URL must survive
# form encoding.
_URL_PATHS: Final = (
    "",
    "success",
    "checkout/complete",
    "orders/A-1042/thank-you",
    "cart_7/done",
)
_TEXT_MAX: Final = 39
_QUERIES_WITH_SESSION_ID: Final = (
    "",
    f"?session_id={CHECKOUT_SESSION_ID_TEMPLATE}",
    "?ref=newsletter",
    f"?order=A-1042&session_id={CHECKOUT_SESSION_ID_TEMPLATE}",
    "?utm_source=mail&lang=en",
)
_QUERIES: Final = ("", "?ref=newsletter", "?order=A-1042", "?utm_source=mail&lang=en")

_TEXTS: Final = st.text(alphabet=VISIBLE_ASCII + " ", min_size=1, max_size=_TEXT_MAX)
# Lowercase alphanumeric words: email users, image file names.
LOWER_WORDS: Final = st.text(alphabet=LOWER_ALPHANUMERIC, min_size=1, max_size=12)
_EMAIL_SEPARATORS: Final = st.sampled_from((None, ".", "_", "+", "-"))
_HOSTS: Final = st.sampled_from(EXAMPLE_HOSTS)


def _tidy(text: str) -> str:
    # Single inner spaces, none at the ends; an all-space draw becomes "x".
    return " ".join(text.split()) or "x"


def _as_words(text: str, max_size: int) -> str:
    # A space is one character in 94, so Hypothesis seldom draws one: texts of
    # four characters or more are split in the middle instead, which makes
    # two words the common case, as in real names and messages.
    if len(text) >= 4:
        middle = len(text) // 2
        text = f"{text[:middle]} {text[middle:]}"
    return _tidy(text[:max_size])


def draw_plain_text(draw: st.DrawFn, max_size: int = _TEXT_MAX + 1) -> str:
    """Draw a `plain_texts` value inside another strategy's draw (one choice)."""
    return _as_words(draw(_TEXTS), max_size)


@st.composite
def _plain_texts(draw: st.DrawFn, max_size: int) -> str:
    return draw_plain_text(draw, max_size)


@cached
def plain_texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Visible-ASCII text of 1..min(max_size, 40) characters, words split by spaces.

    One string choice per text; texts of four characters or more have a space
    in the middle, so most are two words or more. Shrinks towards "0".
    """
    check_int_range("max_size", max_size, 1, 100_000)
    return _plain_texts(max_size)


@cached
def _non_ascii_characters(room: int) -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.characters(
            categories=("L", "N", "S"), exclude_characters="<>", min_codepoint=0x21
        ),
        max_size=room,
    )


_SAMPLES: Final = st.sampled_from(NON_ASCII_SAMPLES)
_MORE_SAMPLES: Final = st.sampled_from((None, *NON_ASCII_SAMPLES))


@st.composite
def _non_ascii_texts(draw: st.DrawFn, max_size: int) -> str:
    text = draw(_SAMPLES)
    text += draw(_non_ascii_characters(min(8, max_size - len(text))))
    more = draw(_MORE_SAMPLES)
    if more is not None and len(text) + len(more) <= max_size:
        text += more
    return text


@cached
def non_ascii_texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text of 1..max_size code points starting with a non-ASCII sample.

    The sample is a whole cluster (a word in some script, a flag, a joined
    emoji); up to eight letters, digits and symbols of any script follow, then
    sometimes a second sample. Generated characters carry no combining marks,
    which a server could normalise away. Three choices per text.
    """
    longest = max(len(sample) for sample in NON_ASCII_SAMPLES)
    check_int_range("max_size", max_size, longest, 100_000)
    return _non_ascii_texts(max_size)


@cached
def metadata_keys(*, max_size: int = 20) -> st.SearchStrategy[str]:
    """Metadata keys: 1..max_size characters of letters, digits and ``_-.``."""
    check_int_range("max_size", max_size, 1, MAX_METADATA_KEY_LENGTH)
    return st.text(alphabet=METADATA_KEY_ALPHABET, min_size=1, max_size=max_size)


@cached
def _metadata_pair_lists(
    min_size: int, max_size: int
) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(
        st.tuples(metadata_keys(), plain_texts()), min_size=min_size, max_size=max_size
    )


@st.composite
def _metadata_maps(draw: st.DrawFn, min_size: int, max_size: int) -> dict[str, str]:
    pairs = draw(_metadata_pair_lists(min_size, max_size))
    keys = distinct_names((key for key, _ in pairs), max_length=MAX_METADATA_KEY_LENGTH)
    return dict(zip(keys, (value for _, value in pairs), strict=True))


@cached
def metadata_maps(
    *, min_size: int = 1, max_size: int = 3
) -> st.SearchStrategy[dict[str, str]]:
    """Metadata maps within every R-18 limit, with non-empty `plain_texts` values.

    A key drawn twice is renamed with a numeric suffix (`a`, `a2`). Shrinks by
    dropping keys, then towards one-character keys and values.
    """
    check_int_range("min_size", min_size, 0, MAX_METADATA_KEYS)
    check_int_range("max_size", max_size, min_size, MAX_METADATA_KEYS)
    return _metadata_maps(min_size, max_size)


@cached
def client_reference_ids() -> st.SearchStrategy[str]:
    """Reconciliation ids as merchants write them: cart ids, order numbers."""
    # Ids are drawn like metadata keys (letters, digits and "_-."), which
    # shares one string strategy, and its caches, with them.
    return st.one_of(metadata_keys(), plain_texts())


@st.composite
def _customer_emails(draw: st.DrawFn) -> str:
    user = draw(LOWER_WORDS)
    separator = draw(_EMAIL_SEPARATORS)
    if separator is not None:
        user += separator + draw(LOWER_WORDS)[:8]
    return f"{user}@{draw(_HOSTS)}"


@cached
def customer_emails() -> st.SearchStrategy[str]:
    """Plain, deliverable-looking addresses on reserved example domains.

    A lowercase alphanumeric user, sometimes with one ``._+-`` separated
    part. Shrinks towards ``0@example.com``.
    """
    return _customer_emails()


@cached
def _url_choices(*, with_session_id: bool) -> st.SearchStrategy[str]:
    queries = _QUERIES_WITH_SESSION_ID if with_session_id else _QUERIES
    return st.sampled_from(
        [
            f"https://{host}/{path}{query}"
            for query in queries
            for path in _URL_PATHS
            for host in EXAMPLE_HOSTS
        ]
    )


def draw_url(draw: st.DrawFn, *, with_session_id: bool) -> str:
    """Draw a redirect URL inside another strategy's draw (one choice)."""
    return draw(_url_choices(with_session_id=with_session_id))


@st.composite
def _urls(draw: st.DrawFn, *, with_session_id: bool) -> str:
    return draw_url(draw, with_session_id=with_session_id)


@cached
def success_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs, sometimes carrying ``{CHECKOUT_SESSION_ID}``.

    Shrinks towards ``https://example.com/``.
    """
    return _urls(with_session_id=True)


@cached
def cancel_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs for the back button (no session id template)."""
    return _urls(with_session_id=False)


@cached
def return_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs for embedded sessions, sometimes with the template."""
    return _urls(with_session_id=True)
