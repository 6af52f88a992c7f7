"""Lifecycle contracts: expire and update (catalogue §6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._errors import refusal_problems
from contracts._failures import ContractFailure
from contracts._helpers import error_summary, json_object, sent
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange


class ExpireDidNotClose(ContractFailure):
    """Expiring an open session did not leave it expired without a url."""

    title = "Expiring an open session does not leave it expired"


@contract(
    failure=ExpireDidNotClose, requires={"stateful"}, catalogue=("E-01", "E-02", "S-07")
)
def expire_closes_session(
    ctx: ContractContext, expired: Exchange, retrieved: Exchange
) -> None:
    """POST .../expire on an open session answers 200 with `status: expired` and
    `url: null`, and a later retrieve agrees."""
    problems = []
    for label, exchange in (("expire", expired), ("retrieve after expire", retrieved)):
        body = json_object(exchange) or {}
        if exchange.response.status != 200:
            problems.append(f"{label}: {error_summary(exchange)}")
            continue
        if body.get("status") != "expired":
            problems.append(
                f"{label}: status={body.get('status')!r}, expected 'expired'"
            )
        if body.get("url") is not None:
            problems.append(f"{label}: url={body.get('url')!r}, expected null")
    if problems:
        raise ExpireDidNotClose(
            ("Received", "\n".join(problems)),
            exchanges=[expired, retrieved],
            focus=["status", "url"],
        )


class SecondExpireAccepted(ContractFailure):
    """Expiring a session that is already expired was not refused."""

    title = "Expiring an already expired session is not refused"


@contract(
    failure=SecondExpireAccepted, requires={"stateful"}, catalogue=("E-03", "§12 #2")
)
def expire_twice_refused(
    ctx: ContractContext, second: Exchange, retrieved: Exchange
) -> None:
    """A second expire (a new request, not an idempotent replay) gets 400
    invalid_request_error and leaves the session expired."""
    problems = refusal_problems(second, status=400, error_type="invalid_request_error")
    status = (json_object(retrieved) or {}).get("status")
    if status != "expired":
        problems.append(f"after the second expire, retrieve says status={status!r}")
    if problems:
        raise SecondExpireAccepted(
            ("Received", error_summary(second)),
            ("Problems", "\n".join(problems)),
            exchanges=[second, retrieved],
            focus=["error", "status"],
        )


class MetadataNotMerged(ContractFailure):
    """An update's metadata did not merge into the session's as Stripe merges it."""

    title = "Updating metadata does not merge (set, change, unset)"


def merged_metadata(before: Mapping[str, str], update: Any) -> dict[str, str]:
    """Stripe's merge: given keys set or replace, an empty value unsets its key, and
    `metadata=""` unsets every key."""
    if update == "":
        return {}
    merged = dict(before)
    for key, value in (update or {}).items():
        if value in ("", None):
            merged.pop(str(key), None)
        else:
            merged[str(key)] = str(value)
    return merged


@contract(
    failure=MetadataNotMerged,
    requires={"stateful", "update_endpoint"},
    catalogue=("U-01", "§6.2"),
)
def update_merges_metadata(
    ctx: ContractContext,
    before: Mapping[str, str],
    update: Exchange,
    retrieved: Exchange,
) -> None:
    """POST /v1/checkout/sessions/{id} with metadata answers 200 and the merged map,
    and a later retrieve shows the same map."""
    expected = merged_metadata(before, sent(update).get("metadata"))
    problems = []
    if update.response.status != 200:
        problems.append(f"update: {error_summary(update)}")
    else:
        received = (json_object(update) or {}).get("metadata")
        if received != expected:
            problems.append(f"update answered metadata={received!r}")
    after = (json_object(retrieved) or {}).get("metadata")
    if after != expected:
        problems.append(f"retrieve after update shows metadata={after!r}")
    if problems:
        raise MetadataNotMerged(
            ("Before", f"metadata={dict(before)!r}"),
            ("Sent", f"metadata={sent(update).get('metadata')!r}"),
            ("Received", "\n".join(problems)),
            ("Expected", f"metadata={expected!r}"),
            exchanges=[update, retrieved],
            focus=["metadata"],
        )
