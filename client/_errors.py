"""Errors raised when there is no HTTP response to judge.

Public through `client`: `TargetError` and its subclasses `TargetUnreachable`,
`TargetTimeout`, `TargetNotHttp`, `TargetDisconnected`, `InvalidBaseUrl`,
`TargetRateLimited`, `ResponseTooLarge`; and `RequestBudgetExhausted`.

`str()` of each is one sentence that says what is wrong and what to do. It names
the target URL and never the API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._records import Request


class TargetError(Exception):
    """The target gave no HTTP response, so there is nothing for a contract to judge.

    `url` is the base URL of the target (never a URL holding the key); `request` is
    the record of the request that got no answer, when one was sent (the client
    sets it), so a report can show it as a cURL command.
    """

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url
        self.request: Request | None = None


class TargetUnreachable(TargetError):
    """No connection could be made (refused, unknown host, unreachable network)."""


class TargetTimeout(TargetError):
    """The target did not connect, answer, or finish its answer (headers and body)
    within the client's timeouts and per-request deadline, or an earlier request
    from the same client hung and its circuit breaker is open."""


class TargetNotHttp(TargetError):
    """The peer answered, but not with valid HTTP (wrong port, or TLS mismatch)."""


class TargetDisconnected(TargetError):
    """The target closed the connection after the request was sent, without an
    answer (typically a crash while handling that request)."""


class TargetRateLimited(TargetError):
    """The target kept answering 429 until the client's total budget of seconds
    for waiting out 429s was used up (the budget is per client, so per xdist
    worker)."""


class ResponseTooLarge(TargetError):
    """A response body exceeded the client's `max_body_bytes`; the body was not
    kept (reading stopped at the cap and the connection was closed).

    `size` is the body size in bytes when the target declared it
    (Content-Length), else None; `limit` is the cap.
    """

    def __init__(self, message: str, *, url: str, size: int | None, limit: int) -> None:
        super().__init__(message, url=url)
        self.size = size
        self.limit = limit


class InvalidBaseUrl(TargetError):
    """The base URL is not of the form http(s)://host[:port][/prefix]."""


class RequestBudgetExhausted(Exception):
    """The client's `max_requests` budget is used up; the harness turns this into a
    skip, not a failure. Not a TargetError: the target did nothing wrong."""
