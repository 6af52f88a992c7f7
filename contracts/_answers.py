"""Answers describe the session the request named: checkable on every answer, with
no memory of earlier requests (so a stateless target is judged too)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._failures import ContractFailure
from contracts._helpers import json_object
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange

SESSIONS_PATH = "/v1/checkout/sessions"
# A session id as it appears inside a URL (S-02: cs_test_ / cs_live_ prefixes).
_SESSION_ID_IN_TEXT = re.compile(r"cs_(?:test|live)_[A-Za-z0-9]+")


class AnswerNamesAnotherSession(ContractFailure):
    """An answer describes a session other than the one its request named."""

    title = "Answer does not describe the session the request named"


@contract(
    failure=AnswerNamesAnotherSession,
    catalogue=("§3.2", "§4.3", "§6.1", "E-01", "S-07"),
)
def answers_describe_the_requested_session(
    ctx: ContractContext,
    exchange: Exchange,
    *,
    requested_id: str | None = None,
    expired: bool = False,
) -> None:
    """A successful session answer (or each session of a list) is about the session
    it names: its `id` is `requested_id` (the path's id, for retrieve and expire);
    an expanded `line_items.url` is `/v1/checkout/sessions/<its id>/line_items`;
    a `url` that contains a session id contains its own, never another's. With
    `expired` (an expire answer), `status` is "expired" and `url` is null.

    Refusals are judged by other contracts; a non-JSON or non-200 answer passes.
    """
    body = json_object(exchange)
    if exchange.response.status != 200 or body is None:
        return
    if body.get("object") == "list":
        sessions = [item for item in body.get("data") or [] if isinstance(item, dict)]
    else:
        sessions = [body]
    problems: list[str] = []
    if requested_id is not None and body.get("id") != requested_id:
        problems.append(
            f"id={body.get('id')!r}, but the request's path named {requested_id!r}"
        )
    for session in sessions:
        problems += _self_references(session)
    if expired:
        if body.get("status") != "expired":
            problems.append(f"status={body.get('status')!r} in the expire answer")
        if body.get("url") is not None:
            problems.append("url is not null in the expire answer")
    if problems:
        raise AnswerNamesAnotherSession(
            ("Received", "\n".join(problems[:6])),
            (
                "Expected",
                "the answer's id, line_items.url and url name the requested "
                "session" + ("; status expired, url null" if expired else ""),
            ),
            exchanges=[exchange],
            focus=["id", "status", "url", "line_items"],
        )


def _self_references(session: dict[str, Any]) -> list[str]:
    """Why the references inside `session` point at another session (if they do)."""
    own = session.get("id")
    if not isinstance(own, str):
        return []  # no id to compare with: the schema contracts report that
    problems = []
    line_items = session.get("line_items")
    if isinstance(line_items, dict):
        expected = f"{SESSIONS_PATH}/{own}/line_items"
        if line_items.get("url") != expected:
            problems.append(
                f"line_items.url={line_items.get('url')!r} in session {own!r}, "
                f"expected {expected!r}"
            )
    url = session.get("url")
    if isinstance(url, str):
        others = sorted(set(_SESSION_ID_IN_TEXT.findall(url)) - {own})
        if others:
            problems.append(
                f"url names session {others[0]!r}, not {own!r} whose url it is"
            )
    return problems
