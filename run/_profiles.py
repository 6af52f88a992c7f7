"""Target profiles: what a kind of target can do, and how the suite treats it.

A profile grants capabilities (see `contracts.CAPABILITIES`); a contract needing a
capability the profile lacks is skipped with a reason naming it, because that
target cannot meet it by design. Traits say how to be fair and safe with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from contracts import CAPABILITIES

STRIPE_API_HOST_SUFFIX = "stripe.com"


@dataclass(frozen=True, slots=True)
class TargetProfile:
    """How the suite treats one kind of target.

    `shared_account`: other traffic shares the target, so only relative invariants
    over this run's objects are asserted (the suite always does that anyway) and the
    run cleans up after itself; `max_rps` and `max_requests` are the default request
    budget for the whole run (all workers); `hypothesis_profile` is used when the user
    names none.
    """

    name: str
    description: str
    capabilities: frozenset[str]
    shared_account: bool = False
    max_rps: float | None = None
    max_requests: int | None = None
    cleanup: bool = False
    hypothesis_profile: str = "contracts-gate"


_EVERYTHING = frozenset(CAPABILITIES)

PROFILES: dict[str, TargetProfile] = {
    "full": TargetProfile(
        name="full",
        description="a full implementation",
        capabilities=_EVERYTHING,
    ),
    "stripe-test": TargetProfile(
        name="stripe-test",
        description="real Stripe in test mode",
        capabilities=_EVERYTHING,
        shared_account=True,
        # Stripe's test mode allows 25 requests/s per account (docs: rate limits);
        # staying at it, not under it, would still trip limiters shared with other
        # traffic, so 429s are waited out rather than counted as findings.
        max_rps=25.0,
        max_requests=3000,
        cleanup=True,
        hypothesis_profile="contracts-stripe-test",
    ),
    # Measured on the real binary: it validates the request schema and refuses
    # malformed keys, and does nothing that needs state or the catalogue's rules.
    "stripe-mock": TargetProfile(
        name="stripe-mock",
        description="stateless mock: fixtures, schema-only validation",
        capabilities=frozenset({"key_validation"}),
    ),
}


def is_stripe_api(base_url: str) -> bool:
    """True when `base_url` points at Stripe's own API (api.stripe.com or a sibling)."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host == STRIPE_API_HOST_SUFFIX or host.endswith("." + STRIPE_API_HOST_SUFFIX)
