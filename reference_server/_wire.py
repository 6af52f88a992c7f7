"""What travels between the HTTP layer and the API: requests, responses, JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ._errors import ApiError

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class ConnectionDropped(BaseException):
    """Raised by a fault to close the connection without any answer (a crashed
    worker). A BaseException, so that the API's `except Exception` that turns bugs
    into honest 500s lets it through to the HTTP layer, which drops the connection.
    """


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request: `headers` has lowercase names; `query` and `body` are raw."""

    method: str
    path: str
    query: bytes
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response; `close` asks the HTTP layer to drop the connection."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    close: bool = False


class App(Protocol):
    """An application: turns requests into responses and never raises."""

    def handle(self, request: Request) -> Response:
        """The response to `request`."""
        ...

    def refuse(self, request: Request, error: ApiError) -> Response:
        """The response for a request the HTTP layer could not read in full."""
        ...


def encode_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON (the C encoder; no indentation, which would be slow)."""
    return _encoder.encode(obj).encode("utf-8")


def media_type(request: Request) -> str | None:
    """The Content-Type without parameters, lowercased; None when absent."""
    value = request.headers.get("content-type")
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower()
