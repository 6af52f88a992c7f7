"""Idempotency-Key semantics of POST requests (catalogue §1.5).

`post` remembers the answer to a keyed POST per (account, key), unless it was
a refusal Stripe does not store (`ApiError.stored`): a repeat with the same
endpoint and parameters replays that answer byte for byte, without running the
handler again, with `Idempotent-Replayed: true`; a repeat with other parameters
or another endpoint is refused with 400 (`idempotency_error`); a repeat while
the first is still running is refused with 409. Parameters are compared after
decoding, so their order does not matter. Every answer to a keyed POST echoes
the key.
"""

from __future__ import annotations

from .. import _decisions as decided
from .._errors import IDEMPOTENCY, ApiError, invalid, shorten
from .._form import FormTree
from .._store import InFlight, Mismatch, Replay
from .._wire import Request, Response, encode_json
from ._render import Headers, error_response, internal, ok, respond
from ._request import decode_params
from ._state import Handler, State


def post(
    state: State,
    request: Request,
    handler: Handler,
    ident: str,
    account: str,
    version: str,
    request_id: str,
) -> Response:
    """The answer to a routed POST; raises `ApiError` for a refused key."""
    faults = state.faults
    key = request.headers.get("idempotency-key") or None
    extra: Headers = ()
    if key is not None:
        extra = (("Idempotency-Key", key),)
        if len(key) > decided.MAX_IDEMPOTENCY_KEY:
            raise invalid(
                f"Idempotency keys may be at most {decided.MAX_IDEMPOTENCY_KEY} "
                f"characters long; this one has {len(key)}."
            )
    tree = decode_params(request, faults)
    if key is None or "idempotency_ignored" in faults:
        return _execute(
            state, handler, ident, tree, request, request_id, version, extra
        )[0]
    fingerprint = _fingerprint(tree)
    outcome = state.store.idempotency_begin(
        account, key, request.method, request.path, fingerprint
    )
    if isinstance(outcome, Mismatch) and "idempotency_mismatch_replays" in faults:
        outcome = Replay(outcome.entry)
    if isinstance(outcome, Replay):
        entry = outcome.entry
        return respond(
            entry.status,
            entry.body,
            request_id,
            version,
            faults,
            (*extra, ("Idempotent-Replayed", "true")),
        )
    if isinstance(outcome, Mismatch):
        raise _mismatch(key, outcome.entry.path, request.path)
    if isinstance(outcome, InFlight):
        raise ApiError(
            409,
            "There is currently another in-progress request using this "
            "Idempotency-Key; retry this request later.",
            code="idempotency_key_in_use",
        )
    response, keep = _execute(
        state, handler, ident, tree, request, request_id, version, extra
    )
    state.store.idempotency_finish(
        account, key, response.status, response.body, keep=keep
    )
    return response


def _execute(
    state: State,
    handler: Handler,
    ident: str,
    tree: FormTree,
    request: Request,
    request_id: str,
    version: str,
    extra: Headers,
) -> tuple[Response, bool]:
    """The response, and whether an Idempotency-Key should remember it."""
    faults = state.faults
    try:
        body = handler(state, ident, tree, request)
    except ApiError as error:
        response = error_response(request, error, request_id, version, faults, extra)
        return response, error.stored
    except Exception as exc:
        failure = internal(exc)
        return error_response(
            request, failure, request_id, version, faults, extra
        ), True
    expanded_items = body.get("line_items")
    if "post_line_items_url_is_request_path" in faults and isinstance(
        expanded_items, dict
    ):
        expanded_items["url"] = request.path
    return ok(body, request_id, version, faults, extra), True


def _mismatch(key: str, first_path: str, path: str) -> ApiError:
    if first_path != path:
        message = (
            "Keys for idempotent requests can only be used for the same endpoint they "
            f"were first used for ('{first_path}' vs '{path}'). Try using a key other "
            f"than '{shorten(key, 255)}' if you meant to execute a different request."
        )
    else:
        message = (
            "Keys for idempotent requests can only be used with the same parameters "
            "they were first used with. Try using a key other than "
            f"'{shorten(key, 255)}' if you meant to execute a different request."
        )
    return ApiError(400, message, type=IDEMPOTENCY)


def _fingerprint(tree: FormTree) -> str:
    """The decoded parameters in a canonical form: key order does not matter."""
    return encode_json(_sorted(tree)).decode("utf-8")


def _sorted(value: object) -> object:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value
