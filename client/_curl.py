"""Render a recorded request as a cURL command that sends the same bytes.

Public through `client`: `request_to_curl` (also `Request.to_curl()` and
`Exchange.to_curl()`).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from ._encoding import urlencode_form

if TYPE_CHECKING:
    from ._records import Request

_CONTINUATION = " \\\n  "

# Headers that belong to the connection, not to the request's meaning; curl sets
# its own, and repeating ours would only add noise to a reproduction.
_TRANSPORT_HEADERS = frozenset(
    {"accept", "accept-encoding", "connection", "content-length", "host", "user-agent"}
)

# curl reads `-d @file`, so a body starting with "@" must not go through -d.
# printf's octal escapes are POSIX, so the pipe works in sh, dash, bash and zsh.
_PRINTF_LITERAL = frozenset(
    chr(code) for code in range(0x20, 0x7F) if chr(code) not in "\\%'"
)


def request_to_curl(request: Request) -> str:
    """A copy-paste shell command that makes the server receive `request` again.

    Guarantees:
    - the method, the URL (GET params included, encoded as sent) and the body
      bytes are exactly those of `request`; form pairs are one `-d` each, brackets
      literal, values percent-encoded as sent; any other body goes through
      `--data-raw`, or through `printf` into `--data-binary @-` when it is not
      printable UTF-8 (NUL, control characters, invalid UTF-8);
    - the API key appears only as `"$STRIPE_API_KEY"` (double quotes, so the
      shell expands it); `Auth.NONE` adds no header, and a literal Authorization
      value is shown as is;
    - Stripe-Version, Idempotency-Key, Content-Type and any header a test added
      are repeated; connection-level headers (User-Agent, Content-Length, ...)
      are left to curl. A request sent without Content-Type but with a body gets
      `-H 'Content-Type:'`, which stops curl from adding one;
    - every piece is quoted with `shlex.quote`; the command spans several lines
      joined by ` \\` continuations.
    """
    pipe_prefix = ""
    lines = [_first_line(request)]
    lines.extend(_header_options(request))
    body = request.body
    if body is None:
        pass
    elif request.raw_body is None and request.form is not None:
        if request.form:
            lines.extend(
                f"-d {shlex.quote(urlencode_form([pair]))}" for pair in request.form
            )
        else:
            lines.append("-d ''")
    else:
        text = _printable_text(body)
        if text is not None:
            lines.append(f"--data-raw {shlex.quote(text)}")
        else:
            pipe_prefix = f"printf {shlex.quote(_printf_format(body))} | "
            lines.append("--data-binary @-")
    return pipe_prefix + _CONTINUATION.join(lines)


def _first_line(request: Request) -> str:
    method = request.method
    # curl infers GET without a body and POST with one; an explicit -X keeps
    # every other combination (DELETE, GET with a body, ...) exact.
    needs_method = method != "GET" or request.body is not None
    method_option = f" -X {shlex.quote(method)}" if needs_method else ""
    return f"curl -sS{method_option} {shlex.quote(request.url)}"


def _header_options(request: Request) -> list[str]:
    options: list[str] = []
    if request.auth.kind == "api_key":
        options.append('-H "Authorization: Bearer $STRIPE_API_KEY"')
    elif request.auth.kind == "literal" and request.auth.header_value is not None:
        options.append(_header_option("Authorization", request.auth.header_value))
    options.extend(
        _header_option(name, value)
        for name, value in request.headers
        if name.lower() not in _TRANSPORT_HEADERS
    )
    if request.body is not None and request.header("Content-Type") is None:
        options.append(f"-H {shlex.quote('Content-Type:')}")
    return options


def _header_option(name: str, value: str) -> str:
    # `Name:` with nothing after it tells curl to remove the header; `Name;` is
    # curl's spelling for a header sent with an empty value.
    header = f"{name}: {value}" if value else f"{name};"
    return f"-H {shlex.quote(header)}"


def _printable_text(body: bytes) -> str | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def _printf_format(body: bytes) -> str:
    pieces = []
    for byte in body:
        char = chr(byte)
        if char in _PRINTF_LITERAL:
            pieces.append(char)
        elif char == "%":
            pieces.append("%%")
        else:
            pieces.append(f"\\{byte:03o}")
    return "".join(pieces)
