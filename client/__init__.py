"""The contract suite's one HTTP client: everything the suite sends goes through it.

Public API (everything else lives in private `_modules`):

- `CheckoutClient`: sends requests, returns an `Exchange` for every HTTP answer
  (4xx/5xx included), retries only 429s, records every attempt, redacts the key.
- Records: `Exchange`, `Request`, `Response`, `Attempt`; `Auth` (`Auth.API_KEY`,
  `Auth.NONE`, `Auth.literal(value)`); `AUTO` and `IdempotencyKeyArg` for
  `idempotency_key=`.
- Wire format: `encode_form`, `urlencode_form`, `BracketList`, `FORM_CONTENT_TYPE`.
- Reproduction: `request_to_curl` (also `Exchange.to_curl()`).
- Rate budget: `RateLimiter`.
- Errors: `TargetError` (no HTTP answer) with `TargetUnreachable`,
  `TargetTimeout`, `TargetNotHttp`, `TargetDisconnected`, `InvalidBaseUrl`,
  `TargetRateLimited` (429s past the client's wait budget), `ResponseTooLarge`
  (a body over `max_body_bytes`, default `DEFAULT_MAX_BODY_BYTES`); and
  `RequestBudgetExhausted`.
- `REDACTED`: the text that replaces the API key everywhere (`$STRIPE_API_KEY`).
- `USER_AGENT`: the User-Agent every request carries.
"""

from __future__ import annotations

from ._auth import Auth
from ._client import DEFAULT_MAX_BODY_BYTES, USER_AGENT, CheckoutClient
from ._curl import request_to_curl
from ._encoding import FORM_CONTENT_TYPE, BracketList, encode_form, urlencode_form
from ._errors import (
    InvalidBaseUrl,
    RequestBudgetExhausted,
    ResponseTooLarge,
    TargetDisconnected,
    TargetError,
    TargetNotHttp,
    TargetRateLimited,
    TargetTimeout,
    TargetUnreachable,
)
from ._ratelimit import RateLimiter
from ._records import (
    AUTO,
    Attempt,
    Exchange,
    IdempotencyKeyArg,
    Request,
    Response,
)
from ._redaction import REDACTED

__all__ = [
    "AUTO",
    "DEFAULT_MAX_BODY_BYTES",
    "FORM_CONTENT_TYPE",
    "REDACTED",
    "USER_AGENT",
    "Attempt",
    "Auth",
    "BracketList",
    "CheckoutClient",
    "Exchange",
    "IdempotencyKeyArg",
    "InvalidBaseUrl",
    "RateLimiter",
    "Request",
    "RequestBudgetExhausted",
    "Response",
    "ResponseTooLarge",
    "TargetDisconnected",
    "TargetError",
    "TargetNotHttp",
    "TargetRateLimited",
    "TargetTimeout",
    "TargetUnreachable",
    "encode_form",
    "request_to_curl",
    "urlencode_form",
]
