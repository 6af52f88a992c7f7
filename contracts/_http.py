"""HTTP-level contracts: JSON content type and a unique Request-Id on every
response."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from contracts._context import ContractContext
from contracts._failures import ContractFailure
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange


class NotJson(ContractFailure):
    """A response is not served as JSON."""

    title = "Response is not served as application/json"


@contract(failure=NotJson, catalogue=("§1.6",), judges_every_answer=True)
def responses_are_json(ctx: ContractContext, exchange: Exchange) -> None:
    """Every answer, success or error, says `Content-Type: application/json` and its
    body parses as JSON."""
    content_type = (exchange.response.content_type or "").split(";")[0].strip().lower()
    if content_type != "application/json" or exchange.response.json is None:
        raise NotJson(
            (
                "Received",
                f"Content-Type {exchange.response.content_type!r}, body "
                f"{'is' if exchange.response.json is not None else 'is not'} JSON",
            ),
            ("Expected", "Content-Type application/json with a JSON body"),
            exchanges=[exchange],
        )


class MissingRequestId(ContractFailure):
    """A response carries no Request-Id header, or one an earlier response had."""

    title = "Response has no Request-Id header of its own"


@contract(
    failure=MissingRequestId, catalogue=("§1.6", "X-03"), judges_every_answer=True
)
def responses_carry_request_id(
    ctx: ContractContext, exchange: Exchange, *, earlier: Sequence[Exchange] = ()
) -> None:
    """Every answer, errors included, carries a non-empty `Request-Id` header, and
    one that no `earlier` answer carried (§1.6: a unique `req_...` per response)."""
    request_id = (exchange.response.header("Request-Id") or "").strip()
    facts: tuple[tuple[str, object], ...] = ()
    shown = [exchange]
    if not request_id:
        facts = (
            ("Received", f"status {exchange.response.status} without Request-Id"),
            ("Expected", "a Request-Id header (req_...) on every response"),
        )
    for before in earlier:
        if request_id and (before.response.header("Request-Id") or "").strip() == (
            request_id
        ):
            facts = (
                (
                    "Received",
                    f"Request-Id {request_id!r} on two answers "
                    f"({before.response.status}, then {exchange.response.status})",
                ),
                ("Expected", "a Request-Id that identifies one answer only"),
            )
            shown = [before, exchange]
            break
    # One raise site for both findings: Hypothesis tells failures apart by where
    # they are raised, and a test meeting both must report one failure of this
    # contract (a baseline entry accepts one, not a group).
    if facts:
        raise MissingRequestId(*facts, exchanges=shown)
