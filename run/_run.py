"""What the controller decides about a run before any test: the target, its profile,
the key's origin, budgets and the Hypothesis profile.

Guarantees: the decision is made once, on the controller (xdist workers receive it
as is, see `run._xdist`), and kept in the config's stash under `RUN_STATE`;
a target that cannot be judged ends the run with one sentence (`pytest.UsageError`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from client import CheckoutClient, RequestBudgetExhausted, TargetError
from contracts import CAPABILITIES
from run._capabilities import (
    Decision,
    ProbeFailed,
    parse_overrides,
    probe_capabilities,
    table_lines,
)
from run._keys import BUILT_IN_KEY_SOURCE, resolve_api_key
from run._options import DEFAULT_STRIPE_VERSION
from run._preflight import TargetProblem, check_target
from run._profiles import PROFILES, TargetProfile, is_stripe_api
from run._settings import DEFAULT_PROFILE
from target._provision import FixturesError, Provisioned, load_fixtures, provision


@dataclass(frozen=True, slots=True)
class RunState:
    """What the controller decided about the run; workers receive it as is."""

    base_url: str | None
    profile: str
    evidence: str
    stripe_version: str
    key_source: str
    hypothesis_profile: str
    max_rps: float | None
    max_requests: int | None
    cleanup: bool
    request_timeout: float
    reference_faults: tuple[str, ...]
    rate_limit_wait: float
    #: capability -> (present, evidence), for every capability of the registry.
    capabilities: dict[str, tuple[bool, str]]
    #: `Provisioned.as_wire()` of the catalogue objects, for a target given by URL.
    objects: dict[str, Any] | None = None
    #: Requests the controller sent before any test (preflight, probes, objects):
    #: they count against `max_requests`, which caps the whole run.
    setup_requests: int = 0

    @property
    def test_requests(self) -> int | None:
        """What is left of `max_requests` for the tests (None: no cap)."""
        if self.max_requests is None:
            return None
        return max(0, self.max_requests - self.setup_requests)

    @property
    def target_profile(self) -> TargetProfile:
        """The preset whose traits (budgets, cleanup) the run follows."""
        return PROFILES.get(self.profile, PROFILES["full"])

    @property
    def granted(self) -> frozenset[str]:
        """The capabilities the target has."""
        return frozenset(n for n, (present, _) in self.capabilities.items() if present)

    def skip_reason(self, missing: frozenset[str], contracts: str) -> str:
        """Why a test judging `contracts` (names, comma-separated) cannot run here:
        each missing capability and its evidence."""
        needs = "; ".join(
            f"'{c}' ({CAPABILITIES[c]}): {self.capabilities[c][1]}"
            for c in sorted(missing)
        )
        return f"the target lacks {needs}, so it cannot meet {contracts}"

    def as_wire(self) -> dict[str, Any]:
        """A plain dict that crosses to xdist workers (`from_wire` reads it back)."""
        return asdict(self)

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> RunState:
        return cls(
            **{
                **raw,
                "reference_faults": tuple(raw["reference_faults"]),
                "capabilities": {
                    k: (bool(v[0]), str(v[1])) for k, v in raw["capabilities"].items()
                },
            }
        )


RUN_STATE = pytest.StashKey[RunState]()
STARTED = pytest.StashKey[float]()


def decide_state(config: pytest.Config) -> RunState:
    """Probe and classify the target (controller only); raise UsageError on a bad
    one."""
    base_url = config.getoption("base_url") or None
    key, source = resolve_api_key(config.getoption("api_key"))
    version = config.getoption("stripe_version") or DEFAULT_STRIPE_VERSION
    timeout = float(config.getoption("request_timeout"))
    chosen = config.getoption("target_profile") or config.getini(
        "checkout_contracts_profile"
    )
    if chosen and chosen not in PROFILES:
        raise pytest.UsageError(
            f"checkout_contracts_profile={chosen!r} is not one of "
            f"{', '.join(sorted(PROFILES))}."
        )
    try:
        overrides = parse_overrides(config.getoption("capability") or [])
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    fixtures_path = config.getoption("fixture_ids")
    try:
        fixtures = load_fixtures(Path(fixtures_path)) if fixtures_path else {}
    except FixturesError as error:
        raise pytest.UsageError(str(error)) from None
    evidence = "given with --target-profile" if chosen else ""
    if not chosen and base_url is not None and is_stripe_api(base_url.rstrip("/")):
        # Before the cap is read: Stripe's preset caps the setup requests too.
        chosen, evidence = "stripe-test", "detected: the host is Stripe's API"
    decisions: dict[str, Decision] = {}
    objects: Provisioned | None = None
    setup_requests = 0
    cap = config.getoption("max_requests") or (
        PROFILES[chosen].max_requests if chosen else None
    )
    if base_url is None:
        chosen = chosen or "full"
        evidence = evidence or "the embedded reference server"
    else:
        base_url = base_url.rstrip("/")
        if is_stripe_api(base_url) and source == BUILT_IN_KEY_SOURCE:
            raise pytest.UsageError(
                f"--base-url {base_url} is Stripe's API but no key was given: set "
                "STRIPE_API_KEY to a test key (sk_test_… or rk_test_…)."
            )
        try:
            probe = CheckoutClient(
                base_url,
                key,
                stripe_version=version,
                timeout=(5.0, timeout),
                deadline=timeout,
                key_source=source,
                max_requests=cap,
                rate_limit_budget=config.getoption("rate_limit_wait"),
            )
        except (TargetError, ValueError) as error:
            raise pytest.UsageError(str(error)) from None
        try:
            check_target(probe, base_url, key_source=source)
            if not chosen:
                decisions = probe_capabilities(probe)
            objects = provision(probe, fixtures)
        except (TargetProblem, TargetError, ProbeFailed, FixturesError) as problem:
            raise pytest.UsageError(str(problem)) from None
        except RequestBudgetExhausted:
            raise pytest.UsageError(
                f"--max-requests {cap} is used up before any test: checking the "
                f"target and setting up its objects takes {probe.requests_sent} "
                "requests; give a larger cap."
            ) from None
        finally:
            setup_requests = probe.requests_sent
            probe.close()
    if chosen:
        preset = PROFILES[chosen].capabilities
        capabilities = {
            name: (name in preset, f"preset {chosen} ({evidence})")
            for name in CAPABILITIES
        }
    else:
        capabilities = {n: (d.present, d.evidence) for n, d in decisions.items()}
    for name, present in overrides.items():
        capabilities[name] = (present, "given with --capability")
    if not chosen:
        # Named after the preset it equals, so a familiar target reads familiar.
        found = frozenset(n for n, (present, _) in capabilities.items() if present)
        chosen = next(
            (n for n, p in PROFILES.items() if p.capabilities == found), "custom"
        )
        evidence = "detected capability by capability"
    profile = PROFILES.get(chosen, PROFILES["full"])
    cleanup_option = config.getoption("cleanup")
    return RunState(
        base_url=base_url,
        profile=chosen,
        evidence=evidence,
        stripe_version=version,
        key_source=source,
        hypothesis_profile=config.getoption("hypothesis_profile", None)
        or profile.hypothesis_profile,
        max_rps=config.getoption("max_rps") or profile.max_rps,
        max_requests=config.getoption("max_requests") or profile.max_requests,
        cleanup=cleanup_option == "always"
        or (cleanup_option == "auto" and profile.cleanup),
        request_timeout=timeout,
        reference_faults=tuple(config.getoption("reference_fault")),
        rate_limit_wait=float(config.getoption("rate_limit_wait")),
        capabilities=capabilities,
        objects=objects.as_wire() if objects is not None else None,
        setup_requests=setup_requests,
    )


def use_state(config: pytest.Config, state: RunState) -> None:
    """Keep `state` for the run and load the Hypothesis profile it implies."""
    config.stash[RUN_STATE] = state
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile(state.hypothesis_profile or DEFAULT_PROFILE)
    examples = config.getoption("max_examples")
    if examples is not None:
        if examples < 1:
            raise pytest.UsageError(f"--max-examples {examples}: give at least 1.")
        base = settings.get_current_profile_name()
        settings.register_profile(
            f"{base}-x{examples}", settings.get_profile(base), max_examples=examples
        )
        settings.load_profile(f"{base}-x{examples}")


def _curl_key_hint(state: RunState) -> str:
    """What the cURL lines of a run on the built-in key need: they read
    $STRIPE_API_KEY, which that run did not have."""
    if state.key_source != BUILT_IN_KEY_SOURCE:
        return ""
    return (
        "; cURL lines read $STRIPE_API_KEY: for a local target export any sk_test_ "
        "key (letters and digits after the prefix)"
    )


def header_lines(state: RunState) -> list[str]:
    """What the report header says about the run's target and budgets."""
    target = state.base_url or "embedded reference server (127.0.0.1, one per worker)"
    if state.reference_faults:
        target += f" with fault(s) {', '.join(state.reference_faults)}"
    lines = [
        f"checkout contracts: target {target}",
        f"  profile {state.profile} ({state.evidence}), Stripe-Version "
        f"{state.stripe_version}, hypothesis profile "
        f"{settings.get_current_profile_name()}",
        f"  api key: {state.key_source} (never printed){_curl_key_hint(state)}",
        "  capabilities (a contract needing one the target lacks is skipped):",
    ]
    lines += table_lines(
        {
            n: Decision(n, present, why)
            for n, (present, why) in state.capabilities.items()
        }
    )
    if state.objects is not None:
        lines.append("  objects the run refers to (from --fixture-ids, else created):")
        lines += Provisioned.from_wire(state.objects).header_lines()
    if state.max_rps or state.max_requests:
        lines.append(
            f"  request budget: {state.max_rps or 'unlimited'} req/s, "
            f"{state.max_requests or 'unlimited'} requests per run"
            f"{', cleanup on' if state.cleanup else ''}"
        )
    return lines
