"""The one exception type every refusal travels as, and Stripe's error messages.

`ApiError` carries what a Stripe error body holds (`type`, `code`, `message`,
`param`) plus the HTTP status. Handlers raise it; the API layer that serves the
request renders it. Nothing here decides *when* an error happens.
"""

from __future__ import annotations

INVALID_REQUEST = "invalid_request_error"
IDEMPOTENCY = "idempotency_error"
API_ERROR = "api_error"

DOC_URL_BASE = "https://stripe.com/docs/error-codes/"


class ApiError(Exception):
    """A request the server refuses (or a failure it reports) with a Stripe error.

    `stored` says whether an Idempotency-Key remembers this answer: errors raised
    once execution began are stored, parameter validation errors are not
    (catalogue §1.5).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = INVALID_REQUEST,
        code: str | None = None,
        param: str | None = None,
        stored: bool = False,
        close_connection: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.stored = stored
        self.close_connection = close_connection

    def __repr__(self) -> str:
        return (
            f"ApiError(status={self.status!r}, type={self.type!r}, "
            f"code={self.code!r}, param={self.param!r}, message={self.message!r})"
        )


def shorten(value: str, limit: int = 40) -> str:
    """`value` cut to `limit` characters so that messages never echo huge inputs."""
    return value if len(value) <= limit else value[:limit] + "..."


def invalid(
    message: str, param: str | None = None, code: str | None = None
) -> ApiError:
    """A 400 `invalid_request_error`, the answer to most refused parameters."""
    return ApiError(400, message, code=code, param=param)


def missing(param: str) -> ApiError:
    """A required parameter is absent: 400 `parameter_missing`."""
    return ApiError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def unknown(names: list[str]) -> ApiError:
    """Unknown parameters: 400 `parameter_unknown` naming the first (§12 item 12)."""
    if len(names) == 1:
        message = f"Received unknown parameter: {names[0]}"
    else:
        message = "Received unknown parameters: " + ", ".join(names)
    return ApiError(400, message, code="parameter_unknown", param=names[0])


def empty(param: str) -> ApiError:
    """An empty string where the parameter cannot be unset."""
    return ApiError(
        400,
        f"You passed an empty string for '{param}'. We assume empty values are an "
        f"attempt to unset a parameter; however '{param}' cannot be unset. You "
        f"should remove '{param}' from your request or supply a non-empty value.",
        code="parameter_invalid_empty",
        param=param,
    )


def integer_bound(
    param: str, *, minimum: int | None = None, maximum: int | None = None
) -> ApiError:
    """An integer outside its bounds, worded as Stripe words it (§12 item 10)."""
    if minimum is not None:
        message = f"This value must be greater than or equal to {minimum}."
    else:
        message = f"This value must be less than or equal to {maximum}."
    return ApiError(400, message, code="parameter_invalid_integer", param=param)


def exclusive(first: str, second: str, *, param: str) -> ApiError:
    """Two parameters that may not be combined (§12 items 5 and 6)."""
    return invalid(
        f"You may only specify one of these parameters: {first}, {second}.", param
    )


def not_in_mode(name: str, mode: str, *, param: str | None = None) -> ApiError:
    """A parameter the session's mode does not allow (§12 item 8 wording)."""
    return invalid(f"You can not pass `{name}` in `{mode}` mode.", param or name)


def no_such(kind: str, ident: str, *, status: int, param: str | None) -> ApiError:
    """A referenced object that does not exist: `resource_missing`."""
    return ApiError(
        status, f"No such {kind}: '{ident}'", code="resource_missing", param=param
    )
