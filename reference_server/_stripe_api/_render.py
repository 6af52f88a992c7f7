"""Every answer's bytes and headers: success bodies, Stripe error bodies, 500s.

Each response carries `Content-Type: application/json`, the request's unique
`Request-Id` and the `Stripe-Version` it was served at, plus any `extra`
headers (Idempotency-Key, Idempotent-Replayed). Error bodies have Stripe's
shape, `{"error": {code?, doc_url?, message, param?, type}}`, and never include
the API key.
"""

from __future__ import annotations

import dataclasses
import sys
import traceback

from .._errors import API_ERROR, DOC_URL_BASE, INVALID_REQUEST, ApiError, shorten
from .._objects import JsonObject
from .._wire import JSON_CONTENT_TYPE, Request, Response, encode_json
from ._request import SimulatedCrash

Headers = tuple[tuple[str, str], ...]


def ok(
    body: JsonObject,
    request_id: str,
    version: str,
    faults: frozenset[str],
    extra: Headers = (),
) -> Response:
    """The 200 answer carrying `body`."""
    return respond(200, encode_json(body), request_id, version, faults, extra)


def respond(
    status: int,
    body: bytes,
    request_id: str,
    version: str,
    faults: frozenset[str],
    extra: Headers,
) -> Response:
    """An answer with an already-encoded JSON `body` (also used for replays)."""
    error = status >= 400
    content_type = JSON_CONTENT_TYPE
    if error and "errors_served_as_html" in faults:
        content_type = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = [("Content-Type", content_type)]
    if "request_id_constant" in faults:
        request_id = "req_123"
    if not (error and "no_request_id_on_errors" in faults):
        headers.append(("Request-Id", request_id))
    headers.append(("Stripe-Version", version))
    headers.extend(extra)
    return Response(status, body, tuple(headers))


def error_response(
    request: Request,
    error: ApiError,
    request_id: str,
    version: str,
    faults: frozenset[str],
    extra: Headers = (),
) -> Response:
    """The answer for `error`, with Stripe's error body."""
    error_type = error.type
    if (
        "error_type_nonstandard" in faults
        and error.status == 400
        and error_type == INVALID_REQUEST
    ):
        error_type = "validation_error"
    param = error.param
    if param is not None and "error_param_unindexed" in faults:
        param = param.rstrip("]").rsplit("[", 1)[-1]
    message = error.message
    if "echo_key_in_errors" in faults:
        message += f" (Authorization: {request.headers.get('authorization')})"
    fields: JsonObject = {}
    if error.code is not None:
        fields["code"] = error.code
        fields["doc_url"] = DOC_URL_BASE + error.code.replace("_", "-")
    fields["message"] = message
    if param is not None:
        fields["param"] = param
    fields["type"] = error_type
    response = respond(
        error.status, encode_json({"error": fields}), request_id, version, faults, extra
    )
    if error.close_connection:
        response = dataclasses.replace(response, close=True)
    return response


def internal(exc: Exception) -> ApiError:
    """The honest 500 for an exception no handler expected (logged to stderr)."""
    if not isinstance(exc, SimulatedCrash):
        traceback.print_exception(exc, file=sys.stderr)
    return ApiError(
        500,
        "An unexpected error occurred in the reference server: "
        f"{type(exc).__name__}: {shorten(str(exc), 200)}",
        type=API_ERROR,
        stored=True,
    )
