"""Small readers shared by the contract modules (no judgement lives here)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client import Exchange


def json_object(exchange: Exchange) -> dict[str, Any] | None:
    """The response body if it is a JSON object, else None."""
    body = exchange.response.json
    return body if isinstance(body, dict) else None


def error_summary(exchange: Exchange) -> str:
    """`400 invalid_request_error/parameter_unknown param=foo: message` or the raw
    body."""
    response = exchange.response
    body = json_object(exchange)
    error = body.get("error") if body else None
    if isinstance(error, dict):
        parts = [str(error.get("type"))]
        if error.get("code"):
            parts.append(f"/{error['code']}")
        if error.get("param") is not None:
            parts.append(f" param={error['param']!r}")
        if error.get("message"):
            parts.append(f": {str(error['message'])[:160]}")
        return f"{response.status} " + "".join(parts)
    text = (response.text or "").strip().replace("\n", " ")
    return f"{response.status} {text[:160]!r}"


def sent(exchange: Exchange) -> Mapping[str, Any]:
    """The structured parameters the request carried (empty when it had none)."""
    return exchange.request.params or {}


def objects_in(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside `value` (itself included), depth first."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from objects_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from objects_in(child)


def error_field(exchange: Exchange, name: str) -> Any:
    """`error.<name>` of a Stripe error body, or None when absent or not an error."""
    body = json_object(exchange)
    error = body.get("error") if body else None
    return error.get(name) if isinstance(error, dict) else None
