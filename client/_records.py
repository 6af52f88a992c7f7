"""The immutable record of one call: `Exchange` = `Request` + `Response` + `Attempt`s.

Public through `client`: `Request`, `Response`, `Attempt`, `Exchange`, `AUTO`,
`IdempotencyKeyArg`.

No record ever holds the API key: requests are recorded without their
Authorization header, and response text and headers are redacted before they are
recorded. `repr()` of every record is therefore safe to print.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ._auth import Auth
from ._curl import request_to_curl
from ._encoding import urlencode_form

# Methods whose params travel in a form body; every other method puts them in
# the query string (GET and DELETE, as Stripe's v1 API does).
BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})


class _Auto(enum.Enum):
    AUTO = "AUTO"

    def __repr__(self) -> str:
        return "AUTO"


AUTO: Final = _Auto.AUTO
"""`idempotency_key=AUTO`: a fresh uuid4 key on POST, none on other methods."""

IdempotencyKeyArg = str | None | Literal[_Auto.AUTO]


@dataclass(frozen=True, slots=True)
class Request:
    """What the client sent, as sent (the Authorization header left out).

    - `path`: the path without query (ids already percent-encoded);
    - `params`: a deep copy of the structured params as given, or None;
    - `form`: the encoded (key, value) pairs of `params` (in the body for POST,
      in the query string otherwise), `()` for a POST without params, or None;
    - `raw_body`: bytes sent instead of a form (malformed-input tests), or None;
    - `content_type`: the Content-Type header sent, or None;
    - `headers`: every header handed to the transport except Authorization;
    - `auth`: how the request authenticated (see `Auth`);
    - `idempotency_key`: the Idempotency-Key sent, or None;
    - `url`: the full URL as sent, query included (the transport percent-encodes
      brackets in a query string, `expand%5B%5D=...`; servers decode both forms
      alike, and brackets in form bodies stay literal).
    """

    method: str
    path: str
    params: Mapping[str, object] | None
    form: tuple[tuple[str, str], ...] | None
    raw_body: bytes | None
    content_type: str | None
    headers: tuple[tuple[str, str], ...]
    auth: Auth
    idempotency_key: str | None
    url: str

    @property
    def body(self) -> bytes | None:
        """The exact body bytes sent, or None when the request had no body."""
        if self.raw_body is not None:
            return self.raw_body
        if self.form is not None and self.method in BODY_METHODS:
            return urlencode_form(self.form).encode("ascii")
        return None

    def header(self, name: str) -> str | None:
        """The value of header `name` as sent (case-insensitive), or None."""
        return _find_header(self.headers, name)

    def to_curl(self) -> str:
        """A copy-paste cURL command that sends this request (see `request_to_curl`)."""
        return request_to_curl(self)


@dataclass(frozen=True, slots=True)
class Response:
    """What the target answered, with the API key redacted everywhere.

    - `headers`: (name, value) pairs as received (values redacted);
    - `text`: the body decoded as UTF-8 (invalid bytes replaced), redacted;
    - `json`: the body parsed as JSON, every string in it (object keys included)
      redacted after decoding, so no escape spelling can carry the key through;
      None when it is not JSON (whatever the Content-Type says; judging the
      Content-Type is a contract's job);
    - `content_type`: the Content-Type header, or None;
    - `json_error`: when the body is not empty and does not parse as JSON, where
      it stops parsing (`"Expecting ',' delimiter at line 1, column 12 (char
      11)"`), else None.

    A 3xx is recorded as is (the client never follows redirects): its target is
    `header("Location")`.
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    text: str
    json: object
    content_type: str | None
    json_error: str | None = None

    def header(self, name: str) -> str | None:
        """The value of header `name` (case-insensitive), or None if absent."""
        return _find_header(self.headers, name)


AttemptReason = Literal["response", "429", "connect-error"]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at sending a request.

    - `status`: the HTTP status, or None when the connection failed;
    - `elapsed`: seconds from sending to the end of the response (or the error);
    - `waited_before`: the retry delay slept before this attempt (Retry-After or
      backoff; 0 for the first attempt). Time spent waiting for the rate budget is
      not included (it shows in `Exchange.elapsed`);
    - `reason`: `"429"` for a rate-limited answer, `"connect-error"` for a
      connection that failed before the request reached the target, `"response"`
      for any other answer.
    """

    status: int | None
    elapsed: float
    waited_before: float
    reason: AttemptReason


@dataclass(frozen=True, slots=True)
class Exchange:
    """One call of the client: the request, the final response and every attempt.

    `attempts` holds every attempt in order, the final one included, so
    `attempts[-1].status == response.status`. `elapsed` is the total in seconds
    (retries, retry delays and rate-budget waits included); `started_at` is the
    wall-clock `time.time()` when the call began.
    """

    request: Request
    response: Response
    elapsed: float
    attempts: tuple[Attempt, ...]
    started_at: float

    def to_curl(self) -> str:
        """A copy-paste cURL command repeating the request (see `request_to_curl`)."""
        return request_to_curl(self.request)


def _find_header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    for header_name, value in headers:
        if header_name.lower() == wanted:
            return value
    return None
