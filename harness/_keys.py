"""API key handling: where the key comes from, and which keys are never used.

The key itself is never printed, logged or written: messages name its kind only.
"""

from __future__ import annotations

import os

#: Used against local targets (the embedded server, stripe-mock, a local
#: implementation) when no key is given; harmless anywhere else. Its shape matters:
#: stripe-mock accepts only `sk_test_` followed by one run of letters and digits
#: (exactly three `_`-separated parts), so no further underscore may appear.
LOCAL_TEST_KEY = "sk_test_checkoutContractsLocal"
KEY_ENV = "STRIPE_API_KEY"
_LIVE_PREFIXES = ("sk_live_", "rk_live_")
_PUBLISHABLE_PREFIXES = ("pk_test_", "pk_live_")


class KeyRefused(Exception):
    """The key must not be used; the message says why and what to do (never the key)."""


def resolve_api_key(option: str | None) -> tuple[str, str]:
    """The key to use and where it came from ("--api-key", "$STRIPE_API_KEY",
    "default")."""
    if option:
        return option, "--api-key"
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env, f"${KEY_ENV}"
    return LOCAL_TEST_KEY, "the built-in local test key"


def refuse_unsafe_key(key: str, source: str) -> None:
    """Raise `KeyRefused` for a live key (no override exists) or a publishable key."""
    live = next((p for p in _LIVE_PREFIXES if key.startswith(p)), None)
    if live:
        raise KeyRefused(
            f"Refusing to run: the API key from {source} is a live-mode key "
            f"({live}…). The suite creates and expires Checkout Sessions; give it a "
            "test key (sk_test_… or rk_test_…) instead."
        )
    publishable = next((p for p in _PUBLISHABLE_PREFIXES if key.startswith(p)), None)
    if publishable:
        raise KeyRefused(
            f"The API key from {source} is a publishable key ({publishable}…), which "
            "cannot create Checkout Sessions: give the suite a secret test key "
            "(sk_test_… or rk_test_…)."
        )
