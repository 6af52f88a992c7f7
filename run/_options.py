"""The suite's command-line options, and the checks that refuse bad ones up front.

Guarantees: every option the README documents is registered here, in one group that
`pytest --help` shows as "Checkout Sessions contract suite"; a bad value (unknown
contract, unknown fault, a fault with --base-url, an unsafe key) ends the run with one
sentence before any request is sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

from contracts import REGISTRY
from run._keys import KeyRefused, refuse_unsafe_key, resolve_api_key
from run._profiles import PROFILES
from run._settings import SUITE_PROFILES

DEFAULT_STRIPE_VERSION = "2024-04-10"


def add_options(parser: pytest.Parser) -> None:
    """Register the suite's options (the target URL is pytest-base-url's)."""
    group = parser.getgroup("checkout-contracts", "Checkout Sessions contract suite")
    group.addoption(
        "--api-key",
        default=None,
        metavar="KEY",
        help="API key for the target (default: $STRIPE_API_KEY, else a "
        "local sk_test_ key that stripe-mock accepts). Live keys are refused.",
    )
    group.addoption(
        "--stripe-version",
        default=None,
        metavar="VERSION",
        help=f"Stripe-Version sent on every request (default "
        f"{DEFAULT_STRIPE_VERSION}).",
    )
    group.addoption(
        "--target-profile",
        default=None,
        choices=sorted(PROFILES),
        help="What the target can do: full, stripe-test or stripe-mock "
        "(default: detected).",
    )
    group.addoption(
        "--capability",
        action="append",
        default=[],
        metavar="NAME=yes|no",
        help="Override one detected capability (repeatable); see the header's "
        "capability table for the names.",
    )
    group.addoption(
        "--max-rps",
        type=float,
        default=None,
        metavar="N",
        help="Request budget per second for the whole run, shared by all "
        "workers (default: 25 for real Stripe, unlimited otherwise).",
    )
    group.addoption(
        "--max-requests",
        type=int,
        default=None,
        metavar="N",
        help="Cap on requests for the whole run; tests beyond it are skipped "
        "(default: 3000 for real Stripe, unlimited otherwise).",
    )
    group.addoption(
        "--request-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="Seconds one request may take: connect, headers and body together "
        "(default 30).",
    )
    group.addoption(
        "--rate-limit-wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="Total seconds each process may wait out 429 answers before the run "
        "stops saying so (default 60).",
    )
    group.addoption(
        "--cleanup",
        choices=("auto", "always", "never"),
        default="auto",
        help="Expire the sessions the run left open (auto: on real Stripe).",
    )
    group.addoption(
        "--contracts",
        default=None,
        metavar="NAME[,NAME...]",
        help="Run only the tests of these contracts.",
    )
    group.addoption(
        "--reference-fault",
        action="append",
        default=[],
        metavar="FAULT",
        help="Switch on a fault in the embedded reference server (no "
        "--base-url): see what a failure looks like. Repeatable.",
    )
    group.addoption(
        "--max-examples",
        type=int,
        default=None,
        metavar="N",
        help="Examples per test, overriding the Hypothesis profile's own "
        "(tests whose examples cost many requests take a share of it).",
    )
    group.addoption(
        "--save-regressions",
        action="store_true",
        help="Save each failure's minimal example as a regression file.",
    )
    group.addoption(
        "--regressions-dir",
        default="regressions",
        metavar="DIR",
        help="Where regressions are saved and replayed from (default: "
        "regressions/ in the suite's checkout; ./regressions under the installed "
        "checkout-contracts command).",
    )
    group.addoption(
        "--fixture-ids",
        default=None,
        metavar="FILE",
        help="JSON file of existing object ids on the target by catalogue name "
        '({"prices": {...}, "customers": {...}, "coupons": {...}}); used before '
        "creating any.",
    )
    group.addoption(
        "--baseline",
        default=None,
        metavar="FILE",
        help="Known deviations of this target: listed failures are "
        "reported, not failed.",
    )
    parser.addini(
        "checkout_contracts_profile", "default --target-profile", default=None
    )


def check_options(config: pytest.Config) -> None:
    """Raise `pytest.UsageError` (one sentence) for an unsafe key, an unknown
    contract in --contracts, a bad --reference-fault, a number that cannot mean
    anything, a malformed --stripe-version or an unknown --hypothesis-profile
    (checked after the suite's profiles are registered)."""
    key, source = resolve_api_key(config.getoption("api_key"))
    try:
        refuse_unsafe_key(key, source)
    except KeyRefused as refusal:
        raise pytest.UsageError(str(refusal)) from None
    for name in selected_contracts(config) or ():
        if name not in REGISTRY:
            raise pytest.UsageError(
                f"--contracts names an unknown contract {name!r}; known contracts: "
                + ", ".join(REGISTRY)
            )
    _check_reference_faults(config)
    _check_numbers(config)
    _check_hypothesis_profile(config)
    version = config.getoption("stripe_version")
    if version is not None and not _STRIPE_VERSION.fullmatch(version):
        raise pytest.UsageError(
            f"--stripe-version {version!r} is not a Stripe-Version: give a date such "
            f"as {DEFAULT_STRIPE_VERSION} (optionally with a .name suffix)."
        )


def _check_hypothesis_profile(config: pytest.Config) -> None:
    name = config.getoption("hypothesis_profile", None)
    if name is None:
        return
    try:
        settings.get_profile(name)
    except InvalidArgument:
        raise pytest.UsageError(
            f"--hypothesis-profile {name!r} is not a registered profile; the suite's "
            f"are {', '.join(SUITE_PROFILES)}."
        ) from None


_STRIPE_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z0-9_]+)?")


def _check_numbers(config: pytest.Config) -> None:
    """Numbers that cannot mean anything are refused before any request."""
    checks = (
        ("request_timeout", "--request-timeout", "seconds greater than 0", False),
        ("rate_limit_wait", "--rate-limit-wait", "seconds, 0 or more", True),
        ("max_rps", "--max-rps", "requests per second greater than 0", False),
        ("max_requests", "--max-requests", "requests, at least 1", False),
    )
    for name, flag, meaning, zero_allowed in checks:
        value = config.getoption(name)
        if value is None:
            continue
        if value < 0 or (value == 0 and not zero_allowed):
            raise pytest.UsageError(f"{flag} {value}: give {meaning}.")


def selected_contracts(config: pytest.Config) -> list[str] | None:
    """The contracts named by --contracts, or None for all. An empty value (an
    unset CI variable, say) is a usage error, never "all"."""
    raw = config.getoption("contracts")
    if raw is None:
        return None
    names = [n.strip() for n in raw.split(",") if n.strip()]
    if not names:
        raise pytest.UsageError(
            "--contracts names no contract: give names separated by commas, or leave "
            "the option out to run them all."
        )
    return names


def regressions_root(config: pytest.Config) -> Path:
    """The regressions folder (`--regressions-dir`), relative to the suite's
    checkout."""
    folder = Path(config.getoption("regressions_dir"))
    return folder if folder.is_absolute() else config.rootpath / folder


def _check_reference_faults(config: pytest.Config) -> None:
    faults = config.getoption("reference_fault")
    if not faults:
        return
    if config.getoption("base_url"):
        raise pytest.UsageError(
            "--reference-fault switches faults on in the embedded reference server; "
            "it cannot change a server given with --base-url."
        )
    from reference_server import FAULTS

    unknown = sorted(set(faults) - set(FAULTS))
    if unknown:
        raise pytest.UsageError(
            f"--reference-fault {', '.join(unknown)}: unknown; known faults: "
            + ", ".join(sorted(FAULTS))
        )
