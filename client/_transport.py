"""Turn a `requests` exception into what happened and a one-sentence TargetError.

Private: used by the client's retry loop and tested through it.
"""

from __future__ import annotations

import http.client
import os
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import requests
from urllib3.exceptions import (
    IncompleteRead,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.exceptions import (
    SSLError as Urllib3SSLError,
)

from ._errors import (
    TargetDisconnected,
    TargetError,
    TargetNotHttp,
    TargetTimeout,
    TargetUnreachable,
)

FailureKind = Literal[
    "not-connected",  # failed before the request reached the target: retryable
    "connect-timeout",
    "read-timeout",
    "not-http",
    "disconnected",
]

_BASE_URL_HINT = "start the server or pass the right --base-url"
TIMEOUT_HINT = "raise --request-timeout if it is just slow"


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """What went wrong, and the error to raise if the client gives up."""

    kind: FailureKind
    error: TargetError


def classify(
    exc: requests.RequestException,
    *,
    base_url: str,
    method: str,
    path: str,
    timeout: tuple[float, float],
    redact: Callable[[str], str],
) -> TransportFailure:
    """Classify a transport exception raised while sending `method path`.

    `redact` is applied to anything the peer sent that the message quotes.
    """
    causes = list(_causes(exc))
    request_line = f"{method} {path}"

    def failure(kind: FailureKind, error: TargetError) -> TransportFailure:
        error.__cause__ = exc
        return TransportFailure(kind, error)

    # ReadTimeout first: a timeout while reading the body arrives wrapped in a
    # ConnectionError, and it means the same thing as one before the headers.
    if isinstance(exc, requests.ReadTimeout) or _has(causes, ReadTimeoutError):
        return failure(
            "read-timeout",
            TargetTimeout(
                f"{base_url} did not answer {request_line} within "
                f"{_seconds(timeout[1])}: the server may be hung; {TIMEOUT_HINT}.",
                url=base_url,
            ),
        )
    if isinstance(exc, requests.ConnectTimeout):
        return failure(
            "connect-timeout",
            TargetTimeout(
                f"{base_url} did not accept a connection within "
                f"{_seconds(timeout[0])}: check that the host is up and reachable, "
                f"or {TIMEOUT_HINT}.",
                url=base_url,
            ),
        )
    if isinstance(exc, requests.exceptions.SSLError) or _has(
        causes, ssl.SSLError, Urllib3SSLError
    ):
        return failure(
            "not-http",
            TargetNotHttp(
                f"The TLS handshake with {base_url} failed ({_ssl_reason(causes)}): "
                f"use http:// if the server does not speak TLS, or give it a "
                f"certificate this machine trusts.",
                url=base_url,
            ),
        )
    if _has(causes, NameResolutionError):
        return failure(
            "not-connected",
            TargetUnreachable(
                f"Cannot connect to {base_url} (the host name does not resolve): "
                f"check the host in --base-url.",
                url=base_url,
            ),
        )
    if _has(causes, NewConnectionError):
        return failure(
            "not-connected",
            TargetUnreachable(
                f"Cannot connect to {base_url} ({_os_reason(causes)}): "
                f"{_BASE_URL_HINT}.",
                url=base_url,
            ),
        )
    # RemoteDisconnected is also a BadStatusLine, so it is checked before the
    # generic HTTP protocol errors below.
    if _has(
        causes,
        http.client.RemoteDisconnected,
        IncompleteRead,
        http.client.IncompleteRead,
        ConnectionResetError,
        BrokenPipeError,
    ):
        return failure(
            "disconnected",
            TargetDisconnected(
                f"{base_url} closed the connection without a complete answer to "
                f"{request_line}: the server probably crashed on this request, "
                f"so check its log.",
                url=base_url,
            ),
        )
    if _has(causes, http.client.HTTPException) or isinstance(
        exc,
        requests.exceptions.ChunkedEncodingError
        | requests.exceptions.ContentDecodingError,
    ):
        return failure(
            "not-http",
            TargetNotHttp(
                f"{base_url} did not answer {request_line} with valid HTTP "
                f"({redact(_protocol_reason(causes))}): check the port in "
                f"--base-url, or use https:// if the server speaks TLS.",
                url=base_url,
            ),
        )
    return failure(
        "disconnected",
        TargetDisconnected(
            f"The connection to {base_url} failed during {request_line} "
            f"({type(causes[-1]).__name__}): check that the server is healthy.",
            url=base_url,
        ),
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then every exception it wraps, outermost first, each once."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, MaxRetryError) and current.reason is not None:
            pending.append(current.reason)
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        if current.__cause__ is not None:
            pending.append(current.__cause__)
        if current.__context__ is not None:
            pending.append(current.__context__)


def _has(causes: list[BaseException], *types: type[BaseException]) -> bool:
    return any(isinstance(cause, types) for cause in causes)


def _os_reason(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, OSError) and cause.errno is not None:
            return os.strerror(cause.errno).lower()
    return "no connection could be made"


def _ssl_reason(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, ssl.SSLError) and cause.reason:
            return str(cause.reason).lower().replace("_", " ")
    return "no secure connection could be made"


def _protocol_reason(causes: list[BaseException]) -> str:
    for cause in causes:
        if isinstance(cause, http.client.BadStatusLine):
            return f"its first line was {_clip(str(cause.args[0]))!r}"
    return "the response was malformed"


def _clip(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _seconds(value: float) -> str:
    return f"{value:g} s"
