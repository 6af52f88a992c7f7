"""API key handling: where the key comes from, and which keys are never used.

The key itself is never printed, logged or written: messages name its kind and
where it came from (`--api-key`, `$STRIPE_API_KEY` or the built-in key) only.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

#: Used against local targets (the embedded server, stripe-mock, a local
#: implementation) when no key is given; harmless anywhere else. Its shape matters:
#: stripe-mock accepts only `sk_test_` followed by one run of letters and digits
#: (exactly three `_`-separated parts), so no further underscore may appear.
#: Joined at import, never one literal: Hypothesis draws strings from the constants
#: of this project's modules (today only shorter ones, its choice, not a promise),
#: and a drawn text equal to the key would make the client refuse the request (it
#: never sends the key outside the Authorization header), a suite error in whatever
#: test drew it. The benchmark's 17-character key was drawn that way.
LOCAL_TEST_KEY = "_".join(("sk", "test", "checkoutContractsLocal"))
#: Where `resolve_api_key` says the key came from when none was given.
BUILT_IN_KEY_SOURCE = "the built-in local test key"
KEY_ENV = "STRIPE_API_KEY"
# Anything naming live mode, anywhere in any form of the key, in any case.
_LIVE = re.compile(r"([sr]k)_live", re.IGNORECASE)
_PUBLISHABLE = re.compile(r"pk_(test|live)", re.IGNORECASE)
_SCHEME = re.compile(r"(bearer|basic)\s+", re.IGNORECASE)


class KeyRefused(Exception):
    """The key must not be used; the message says why and what to do (never the key)."""


def resolve_api_key(option: str | None) -> tuple[str, str]:
    """The key to use and where it came from ("--api-key", "$STRIPE_API_KEY",
    "the built-in local test key")."""
    if option is not None:  # even empty: `refuse_unsafe_key` says so
        return option, "--api-key"
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env, f"${KEY_ENV}"
    return LOCAL_TEST_KEY, BUILT_IN_KEY_SOURCE


def key_forms(key: str) -> list[str]:
    """The key as given and every normalised form of it: surrounding whitespace
    and any `Bearer `/`Basic ` scheme prefixes (any case) removed, and a value that
    is base64 (standard or URL-safe, padded or not) of `key:` or `key` decoded."""
    forms = [key]
    bare = key.strip()
    while (prefix := _SCHEME.match(bare)) is not None:
        bare = bare[prefix.end() :].strip()
    forms.append(bare)
    decoded = _from_base64(bare)
    if decoded is not None:
        forms.append(decoded.strip().removesuffix(":").strip())
    return forms


def refuse_unsafe_key(key: str, source: str) -> None:
    """Raise `KeyRefused` for a live key (no override exists), a publishable key,
    or a key that cannot be sent as is (a scheme prefix, whitespace, a line break).

    Live mode is judged on every form of `key_forms`, so `Bearer sk_live_...`,
    `SK_LIVE_...`, ` sk_live_...` and base64 of `sk_live_...:` are all refused.
    Every message names `source` and never the key.
    """
    if not key.strip():
        raise KeyRefused(
            f"The API key from {source} is empty: give a test key (sk_test_…), or "
            "leave --api-key out to use $STRIPE_API_KEY or the built-in local test "
            "key."
        )
    forms = key_forms(key)
    for form in forms:
        live = _LIVE.search(form)
        if live:
            how = "" if form is forms[0] else " once its prefix or encoding is removed"
            raise KeyRefused(
                f"Refusing to run: the API key from {source} is a live-mode key "
                f"({live.group(1).lower()}_live…{how}), and the suite creates and "
                "expires Checkout Sessions: give it a test key (sk_test_… or "
                "rk_test_…) instead."
            )
    bare = forms[1]
    publishable = _PUBLISHABLE.match(bare)
    if publishable:
        raise KeyRefused(
            f"The API key from {source} is a publishable key "
            f"(pk_{publishable.group(1).lower()}_…), which cannot create Checkout "
            "Sessions: give the suite a secret test key (sk_test_… or rk_test_…)."
        )
    if bare != key.strip():
        raise KeyRefused(
            f"The API key from {source} starts with an Authorization scheme "
            "(Bearer or Basic): give the key alone (sk_test_… or rk_test_…), since "
            "the suite adds 'Bearer ' itself."
        )
    if any(char.isspace() for char in key):
        raise KeyRefused(
            f"The API key from {source} contains whitespace or a line break, so it "
            "cannot be sent in a header: remove the spaces or the trailing newline."
        )


def _from_base64(text: str) -> str | None:
    if not text or len(text) < 8:
        return None
    padded = text + "=" * (-len(text) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            raw = (
                decode(padded, validate=True)
                if decode is base64.b64decode
                else decode(padded)
            )
            return raw.decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
    return None
