"""Idempotency contracts (catalogue §1.5, I-1 and I-2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts._context import ContractContext
from contracts._errors import refusal_problems
from contracts._failures import ContractFailure
from contracts._helpers import error_summary, json_object
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange


class ReplayDiffers(ContractFailure):
    """Repeating a request with the same Idempotency-Key did not replay the first
    answer."""

    title = "Same Idempotency-Key and body does not replay the first response"


@contract(failure=ReplayDiffers, requires={"idempotency"}, catalogue=("I-1", "§12 #3b"))
def idempotent_replay_is_identical(
    ctx: ContractContext, first: Exchange, replay: Exchange
) -> None:
    """A second request with the same key and the same parameters answers the same
    status and the same JSON body (same id, same created): nothing runs twice."""
    problems = []
    if replay.response.status != first.response.status:
        problems.append(
            f"status {replay.response.status}, first answer was {first.response.status}"
        )
    a, b = json_object(first) or {}, json_object(replay) or {}
    differing = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if differing:
        problems.append(
            "fields differ: "
            + ", ".join(f"{k} ({a.get(k)!r} then {b.get(k)!r})" for k in differing[:4])
        )
    if problems:
        raise ReplayDiffers(
            ("Received", "\n".join(problems)),
            exchanges=[first, replay],
            focus=differing or ["id"],
        )


class KeyReuseAccepted(ContractFailure):
    """Reusing an Idempotency-Key with other parameters was not refused."""

    title = "Idempotency-Key reused with other parameters is not refused"


@contract(
    failure=KeyReuseAccepted, requires={"idempotency"}, catalogue=("I-2", "§12 #3a")
)
def idempotency_key_reuse_refused(ctx: ContractContext, exchange: Exchange) -> None:
    """The same key with different parameters gets 400 `idempotency_error`."""
    if refusal_problems(exchange, status=400, error_type="idempotency_error"):
        raise KeyReuseAccepted(
            ("Received", error_summary(exchange)),
            ("Expected", "400 idempotency_error"),
            exchanges=[exchange],
            focus=["error", "id"],
        )
