"""Replace every spelling of the API key with `$STRIPE_API_KEY`.

Private: `CheckoutClient.redact` is the public entry point.
"""

from __future__ import annotations

import base64
from typing import Final
from urllib.parse import quote, quote_plus

REDACTED: Final = "$STRIPE_API_KEY"


class Redactor:
    """Callable that removes a secret from text in the forms a server may echo it:
    as is, percent-encoded (query or form style), and base64-encoded as HTTP Basic
    credentials (`key:`) or alone."""

    __slots__ = ("_forms",)

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("Redactor needs a non-empty secret.")
        encoded = secret.encode("utf-8")
        forms = {
            secret,
            quote(secret, safe=""),
            quote_plus(secret, safe=""),
            base64.b64encode(encoded + b":").decode("ascii"),
            base64.b64encode(encoded).decode("ascii"),
        }
        # Longest first, so a form that contains another is replaced whole.
        self._forms: tuple[str, ...] = tuple(sorted(forms, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def occurs_in(self, text: str) -> bool:
        """True when any form of the secret occurs in `text`."""
        return any(form in text for form in self._forms)

    def __repr__(self) -> str:
        return "Redactor(<secret>)"
