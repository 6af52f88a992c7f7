"""Lifecycle contracts judged against a model of what the target must hold.

The stateful test keeps a model of every session it created (status, metadata,
creation second); these contracts compare the target with it after every step and
report the whole (shrunk) sequence of steps that led there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._errors import no_server_errors
from contracts._failures import ContractFailure, Step
from contracts._helpers import error_summary, json_object
from contracts._registry import contract
from contracts._shape import valid_requests_succeed

if TYPE_CHECKING:
    from client import Exchange


@dataclass(slots=True)
class ModelSession:
    """What the target must hold for one session this run created."""

    id: str
    created: int
    status: str = "open"
    metadata: dict[str, str] = field(default_factory=dict)


class ModelDisagreement(ContractFailure):
    """Retrieving a session shows a state the model says it cannot be in."""

    title = "Retrieve disagrees with the sessions' history"


@contract(
    failure=ModelDisagreement, requires={"stateful"}, catalogue=("S-22", "E-02", "U-01")
)
def retrieve_agrees_with_model(
    ctx: ContractContext,
    retrieved: Exchange,
    expected: ModelSession,
    steps: Sequence[Step],
) -> None:
    """After any sequence of creates, expires and updates, retrieve answers 200 with
    the status and metadata that sequence implies."""
    body = json_object(retrieved) or {}
    problems = []
    if retrieved.response.status != 200:
        problems.append(f"retrieve {expected.id} answered {retrieved.response.status}")
    else:
        if body.get("status") != expected.status:
            problems.append(
                f"status={body.get('status')!r}, expected {expected.status!r}"
            )
        if body.get("metadata") != expected.metadata:
            problems.append(
                f"metadata={body.get('metadata')!r}, expected {expected.metadata!r}"
            )
    if problems:
        raise ModelDisagreement(
            ("Session", expected.id),
            ("Received", "\n".join(problems)),
            steps=steps,
            focus=["status", "metadata"],
        )


class ExpiredReopened(ContractFailure):
    """A session that was expired is no longer expired."""

    title = "An expired session did not stay expired"


@contract(failure=ExpiredReopened, requires={"stateful"}, catalogue=("E-04",))
def expired_sessions_stay_expired(
    ctx: ContractContext,
    retrieved: Exchange,
    expected: ModelSession,
    steps: Sequence[Step],
) -> None:
    """Once expired, a session reads as expired forever, whatever is done to it
    later."""
    status = (json_object(retrieved) or {}).get("status")
    if (
        expected.status == "expired"
        and retrieved.response.status == 200
        and status != "expired"
    ):
        raise ExpiredReopened(
            ("Session", expected.id),
            ("Received", f"status={status!r}"),
            ("Expected", "'expired'"),
            steps=steps,
            focus=["status"],
        )


class ListDisagreesWithModel(ContractFailure):
    """A list walk does not hold exactly this run's sessions in creation order."""

    title = "List walk does not hold this run's sessions, newest first"


def _listed(page: Exchange) -> list[dict[str, Any]]:
    data = (json_object(page) or {}).get("data")
    return [item for item in data or [] if isinstance(item, dict)]


def _walk_reach(pages: Sequence[Exchange]) -> int | None:
    """The creation second down to which a walk cut short covered the list, or None
    when the walk is to be judged whole.

    A walk is cut short when its last page is a 200 that lists sessions and still
    says `has_more`: the walker stopped there (its page cap), or the caller dropped
    the page after it because another client spoiled that page's cursor. Newest
    first, every session created in a later second than the last one listed comes
    before it, so the walk covered all of those and nothing older for sure. A walk
    that ended (`has_more` false), or stopped on a refusal or an empty page that
    claims more, is the target's doing and is judged whole.
    """
    if not pages or pages[-1].response.status != 200:
        return None
    body = json_object(pages[-1]) or {}
    items = _listed(pages[-1])
    created = items[-1].get("created") if items else None
    if body.get("has_more") is not True or not isinstance(created, int):
        return None
    return created


@contract(
    failure=ListDisagreesWithModel,
    requires={"stateful"},
    catalogue=("P-02", "P-03", "P-05"),
)
def list_agrees_with_model(
    ctx: ContractContext,
    pages: Sequence[Exchange],
    expected: Sequence[ModelSession],
    steps: Sequence[Step],
) -> None:
    """Restricted to this run's sessions, a walk lists each exactly once, newest
    first: sessions created in different seconds in that order, sessions of the same
    second in any order (Stripe leaves ties open).

    Other clients' sessions are ignored wherever they appear; they only make a walk
    longer. A walk cut short (its last page still says `has_more`; see `_walk_reach`)
    must hold the sessions it covered: those created in a later second than the last
    session it lists. A walk that stopped on a refused page is judged whole, and the
    refusal is reported."""
    mine = {s.id: s for s in expected}
    listed = [
        str(item.get("id"))
        for page in pages
        for item in _listed(page)
        if item.get("id") in mine
    ]
    reach = _walk_reach(pages)
    problems = []
    if pages and pages[-1].response.status != 200:
        problems.append(
            f"the walk stopped: page {len(pages)} answered {error_summary(pages[-1])}"
        )
    missing = [
        i
        for i in mine
        if i not in listed and (reach is None or mine[i].created > reach)
    ]
    if missing:
        problems.append(f"not listed: {', '.join(missing)}")
    duplicated = sorted({i for i in listed if listed.count(i) > 1})
    if duplicated:
        problems.append(f"listed twice: {', '.join(duplicated)}")
    seconds = [mine[i].created for i in listed]
    if any(a < b for a, b in itertools.pairwise(seconds)):
        problems.append(
            "order: " + ", ".join(f"{i} (created {mine[i].created})" for i in listed)
        )
    if problems:
        expectation = ", ".join(f"{s.id} (created {s.created})" for s in expected)
        if reach is not None:
            expectation += (
                f"; the walk was cut short after {len(pages)} pages, so only the "
                f"sessions created after {reach} must be listed"
            )
        raise ListDisagreesWithModel(
            ("Received", "\n".join(problems)),
            ("Expected", expectation),
            steps=steps,
            focus=["data"],
        )


class RefusalChangedState(ContractFailure):
    """A refused request changed the session it was refused for."""

    title = "A refused request changed the session anyway"


@contract(
    failure=RefusalChangedState, requires={"stateful"}, catalogue=("X-04", "§6.2")
)
def refused_requests_change_nothing(
    ctx: ContractContext,
    refused: Exchange,
    before: Exchange,
    after: Exchange,
    steps: Sequence[Step],
) -> None:
    """A request the target refused (4xx) leaves the session exactly as it was, as
    read before and after it."""
    # The reads are valid requests: an answer other than 200 to either is their
    # contracts' finding, and the session it stands for is unknown, never compared.
    no_server_errors(ctx, refused)
    valid_requests_succeed(ctx, before)
    valid_requests_succeed(ctx, after)
    if refused.response.status < 400:
        return  # not refused: the enforcement contracts judge that
    was = json_object(before) or {}
    now = json_object(after) or {}
    changed = sorted(
        k for k in set(was) | set(now) if k != "line_items" and was.get(k) != now.get(k)
    )
    if changed:
        raise RefusalChangedState(
            ("Refused with", str(refused.response.status)),
            (
                "Changed",
                ", ".join(
                    f"{k}: {was.get(k)!r} -> {now.get(k)!r}" for k in changed[:5]
                ),
            ),
            steps=steps,
            focus=changed,
        )


class DuplicateIds(ContractFailure):
    """Concurrent creates were given the same id, or did not all persist."""

    title = "Concurrent creates do not get distinct, persistent ids"


@contract(failure=DuplicateIds, requires={"stateful"}, catalogue=("§3.3",))
def concurrent_creates_get_distinct_ids(
    ctx: ContractContext, creates: Sequence[Exchange], pages: Sequence[Exchange]
) -> None:
    """Sessions created in parallel all get 200, distinct ids, and all appear in a
    list walk afterwards."""
    ids = [
        str((json_object(e) or {}).get("id"))
        for e in creates
        if e.response.status == 200
    ]
    listed = {
        str(item.get("id"))
        for page in pages
        for item in ((json_object(page) or {}).get("data") or [])
        if isinstance(item, dict)
    }
    problems = []
    if len(ids) != len(creates):
        problems.append(
            f"{len(creates) - len(ids)} of {len(creates)} creates were refused"
        )
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"ids given more than once: {', '.join(duplicates)}")
    missing = sorted(set(ids) - listed)
    if missing:
        problems.append(f"created but not listed: {', '.join(missing)}")
    if problems:
        raise DuplicateIds(
            ("Received", "\n".join(problems)),
            ("Parallel creates", str(len(creates))),
            exchanges=[*creates, *pages][:12],
            focus=["id"],
        )
