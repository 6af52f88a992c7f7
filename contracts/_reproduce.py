"""Copy-paste reproduction scripts for one or several exchanges.

A single request renders as its cURL command. When a later request uses an id that an
earlier response created (retrieve after create), the id is captured in a shell
variable, so the script works on a fresh run of the target, where ids differ:

    CS1=$(curl ... | python3 -c 'import json,sys; ... print(a["id"]) ...')
    curl ... '.../v1/checkout/sessions/'"$CS1"
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from client import Exchange

_ID_PREFIXES = ("cs_", "price_", "cus_")
# Without an id (the request was refused) it stops with the answer, not a traceback.
_CAPTURE_ID = (
    "python3 -c 'import json,sys; a=json.load(sys.stdin); "
    'print(a["id"]) if "id" in a else sys.exit("no id in: " + json.dumps(a))\''
)


def reproduction_script(
    exchanges: Sequence[Exchange], *, one_line_each: bool = False
) -> list[str]:
    """Shell lines reproducing `exchanges` in order; with `one_line_each`, exactly
    one line per exchange (continuations joined), so callers can interleave prose."""
    created: dict[str, str] = {}  # object id -> shell variable holding it
    later_text = [exchange.to_curl() for exchange in exchanges]
    lines: list[str] = []
    for index, exchange in enumerate(exchanges):
        command = later_text[index]
        for object_id, variable in created.items():
            command = _substitute(command, object_id, variable)
        if one_line_each:
            command = " ".join(part.strip() for part in command.split("\\\n"))
        new_id = _created_id(exchange)
        used_later = new_id is not None and any(
            new_id in text for text in later_text[index + 1 :]
        )
        if new_id is not None and used_later and new_id not in created:
            variable = f"{_variable_stem(new_id)}{len(created) + 1}"
            created[new_id] = variable
            command = f"{variable}=$({command} | {_CAPTURE_ID})"
        lines += [command] if one_line_each else command.splitlines()
    return lines


def _created_id(exchange: Exchange) -> str | None:
    body = exchange.response.json
    if exchange.request.method != "POST" or not isinstance(body, dict):
        return None
    object_id = body.get("id")
    if isinstance(object_id, str) and object_id.startswith(_ID_PREFIXES):
        return object_id
    return None


def _variable_stem(object_id: str) -> str:
    return object_id.split("_", 1)[0].upper()


def _substitute(command: str, object_id: str, variable: str) -> str:
    """Replace `object_id` by `$variable`, closing and reopening single quotes."""
    pieces = command.split(object_id)
    out = pieces[0]
    for piece in pieces[1:]:
        inside_single_quotes = out.count("'") % 2 == 1
        out += f"'\"${variable}\"'" if inside_single_quotes else f'"${variable}"'
        out += piece
    return out
