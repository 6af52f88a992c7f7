"""Consistency contracts between endpoints: retrieve vs create, expansion vs listing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from contracts._context import ContractContext
from contracts._failures import ContractFailure
from contracts._helpers import json_object
from contracts._registry import contract

if TYPE_CHECKING:
    from client import Exchange

# Fields that legitimately change once a session moves on (S-22); an untouched open
# session keeps them too, so they are compared unless the status changed.
_EVOLVING = frozenset(
    {
        "status",
        "payment_status",
        "url",
        "customer_details",
        "payment_intent",
        "setup_intent",
        "subscription",
        "invoice",
        "customer",
        "client_secret",
    }
)


class RetrieveDiffersFromCreate(ContractFailure):
    """Retrieving a session answers something other than its create response."""

    title = "Retrieve answers a different session than create did"


@contract(failure=RetrieveDiffersFromCreate, requires={"stateful"}, catalogue=("S-22",))
def retrieve_equals_create(
    ctx: ContractContext, created: Exchange, retrieved: Exchange
) -> None:
    """GET /v1/checkout/sessions/{id} right after create answers the same object,
    field for field (`line_items` aside, which appears only when expanded)."""
    before = json_object(created) or {}
    after = json_object(retrieved) or {}
    status_changed = before.get("status") != after.get("status")
    differing = [
        name
        for name in sorted(set(before) | set(after))
        if name != "line_items"
        and not (status_changed and name in _EVOLVING)
        and before.get(name, _ABSENT) != after.get(name, _ABSENT)
    ]
    if differing:
        raise RetrieveDiffersFromCreate(
            ("Differing fields", ", ".join(differing)),
            *[
                (
                    name,
                    f"create {_show(before.get(name, _ABSENT))}, "
                    f"retrieve {_show(after.get(name, _ABSENT))}",
                )
                for name in differing[:6]
            ],
            exchanges=[created, retrieved],
            focus=differing,
        )


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 100 else text[:100] + "..."


class ExpansionDiffersFromListing(ContractFailure):
    """`expand[]=line_items` and `/line_items` disagree."""

    title = "Expanded line_items disagree with GET .../line_items"


@contract(
    failure=ExpansionDiffersFromListing,
    requires={"stateful"},
    catalogue=("§3.2", "§4.3"),
)
def line_items_endpoint_matches_expansion(
    ctx: ContractContext, expanded: Exchange, line_item_pages: Sequence[Exchange]
) -> None:
    """The session's expanded `line_items` is a list whose `url` is
    `/v1/checkout/sessions/{id}/line_items` and whose items (and `has_more`) are the
    first page of what that endpoint lists, in the same order."""
    session = json_object(expanded) or {}
    expansion = session.get("line_items")
    listed: list[Any] = []
    for page in line_item_pages:
        listed += (json_object(page) or {}).get("data") or []
    problems = []
    if not isinstance(expansion, dict):
        problems.append(f"line_items={expansion!r}: expand[]=line_items did not expand")
    else:
        path = f"/v1/checkout/sessions/{session.get('id')}/line_items"
        if expansion.get("url") != path:
            problems.append(
                f"line_items.url={expansion.get('url')!r}, expected {path!r}"
            )
        shown = expansion.get("data") or []
        if shown != listed[: len(shown)]:
            problems.append(
                "items differ: expanded "
                f"{[i.get('id') for i in shown if isinstance(i, dict)]}, listed "
                f"{[i.get('id') for i in listed[: len(shown)] if isinstance(i, dict)]}"
            )
        more = len(listed) > len(shown)
        if expansion.get("has_more") is not more:
            problems.append(
                f"line_items.has_more={expansion.get('has_more')!r} but "
                f"{len(listed)} items exist and {len(shown)} are shown"
            )
    if problems:
        raise ExpansionDiffersFromListing(
            ("Received", "\n".join(problems)),
            exchanges=[expanded, *line_item_pages],
            focus=["line_items"],
        )
