"""Who is calling and at which API version: the `Authorization` and
`Stripe-Version` headers.

`authenticate` returns the test-mode key of a request or raises 401 with
Stripe's wording (catalogue §1.3); it never echoes a full key, only the masked
form Stripe shows. `stripe_version` returns the pinned version a request asks
for, or the default, and refuses a malformed one with 400.
"""

from __future__ import annotations

import base64
import binascii
import re

from .. import _decisions as decided
from .._errors import ApiError, invalid, shorten
from .._wire import Request

_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[a-z]+)?")
_TEST_KEY = re.compile(r"(sk|rk)_test_[A-Za-z0-9_]+")
_LIVE_KEY = re.compile(r"(sk|rk)_live_\S*")

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the "
    "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
    "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
    "details, or we can help at https://support.stripe.com/."
)
_EMPTY_BEARER = (
    "You did not provide an API key, though you did set your Authorization "
    'header to "Bearer". Using Bearer auth, your Authorization header should '
    "look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)


def authenticate(request: Request, faults: frozenset[str]) -> str:
    """The API key of the request; raises 401 for anything else (§1.3)."""
    header = request.headers.get("authorization")
    if header is None:
        if "auth_not_enforced" in faults:
            return ""
        raise ApiError(401, _NO_KEY)
    if "any_bearer_accepted" in faults:
        return header
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        if not credentials:
            raise ApiError(401, _EMPTY_BEARER)
        key = credentials
    elif scheme.lower() == "basic":
        key = _basic_user(credentials)
    else:
        raise ApiError(401, f"Invalid API Key provided: {_mask(header)}")
    if _LIVE_KEY.fullmatch(key):
        raise ApiError(
            401,
            f"This reference server serves test mode only and refuses live keys: "
            f"{_mask(key)}",
        )
    if not _TEST_KEY.fullmatch(key):
        raise ApiError(401, f"Invalid API Key provided: {_mask(key)}")
    return key


def stripe_version(request: Request) -> str:
    """The `Stripe-Version` asked for, or the default; 400 if it is malformed."""
    version = request.headers.get("stripe-version")
    if version is None:
        return decided.DEFAULT_STRIPE_VERSION
    version = version.strip()
    if not _VERSION.fullmatch(version):
        raise invalid(f"Invalid Stripe API version: {shorten(version)}")
    return version


def _basic_user(credentials: str) -> str:
    """The user name of Basic credentials (Stripe takes the key as user name)."""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(
            401, "Invalid API Key provided: the Basic credentials are not valid base64."
        ) from None
    return decoded.partition(":")[0]


def _mask(key: str) -> str:
    """A key shown the way Stripe shows it in errors: prefix and last 4 only."""
    if len(key) <= 12:
        return "****"
    return key[:8] + "*" * min(len(key) - 12, 24) + key[-4:]
