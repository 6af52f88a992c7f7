"""The session fixtures every contract test reaches the target through.

Guarantees: one pooled client per process, with that process's share of the run's
request budget; without --base-url, one embedded reference server per process,
stopped after the run; on real Stripe (or with --cleanup always) every session the
run left open is expired at the end, even after a failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from client import CheckoutClient, RateLimiter
from contracts import ContractContext
from run._keys import resolve_api_key
from run._options import regressions_root
from run._profiles import TargetProfile
from run._run import RUN_STATE, RunState
from target._api import Api
from target._provision import Provisioned
from verdict._regressions import RegressionFileError, load_regressions
from verdict._stateful import JournalEntry, SavedSequence

#: The client of this process, so that the end of the run can count its requests.
CLIENT = pytest.StashKey[CheckoutClient]()
#: The journals of the failing state-machine runs of one test, in order.
FAILING_JOURNALS = pytest.StashKey[list[list[JournalEntry]]]()


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> RunState:
    """What the run decided about the target: URL, profile, version, budgets."""
    return pytestconfig.stash[RUN_STATE]


@pytest.fixture(scope="session")
def target_profile(target: RunState) -> TargetProfile:
    """The target's capability profile."""
    return target.target_profile


@pytest.fixture(scope="session")
def target_url(target: RunState) -> Iterator[str]:
    """The target's base URL; without --base-url, an embedded reference server
    started on 127.0.0.1 for this process (one per xdist worker) and stopped after."""
    if target.base_url:
        yield target.base_url
        return
    from reference_server import ReferenceServer

    with ReferenceServer(faults=target.reference_faults) as server:
        yield server.url


@pytest.fixture(scope="session")
def _target_client(
    pytestconfig: pytest.Config, target: RunState, target_url: str
) -> Iterator[CheckoutClient]:
    """One pooled client per process, with this worker's share of the request budget.
    Private: tests reach the target through `api` only."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    limiter = None
    if target.max_rps:
        try:
            limiter = RateLimiter.per_worker(int(target.max_rps), workers)
        except ValueError as error:
            raise pytest.UsageError(
                f"--max-rps {target.max_rps} with {workers} workers: "
                f"{error} Use fewer workers (-n) or a larger budget."
            ) from None
    # floor, not ceil: the workers' shares must never add up to more than the cap.
    left = target.test_requests
    budget = left // workers if left is not None else None
    key, source = resolve_api_key(pytestconfig.getoption("api_key"))
    client = CheckoutClient(
        target_url,
        key,
        stripe_version=target.stripe_version,
        timeout=(5.0, target.request_timeout),
        deadline=target.request_timeout,
        key_source=source,
        rate_limit_budget=target.rate_limit_wait,
        rate_limiter=limiter,
        max_requests=budget,
        note_curl=False,
    )
    pytestconfig.stash[CLIENT] = client
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="session")
def api(_target_client: CheckoutClient, target: RunState) -> Iterator[Api]:
    """Endpoint calls with placeholders resolved; cleans up open sessions at the end
    when the run should (real Stripe by default), even after failures or Ctrl-C.

    On a target given by URL, every process uses the catalogue objects the
    controller provisioned once for the run; an embedded server (one per process)
    gets its own on first use."""
    objects = Provisioned.from_wire(target.objects) if target.objects else None
    api = Api(_target_client, objects=objects)
    previous = _terminate_as_interrupt() if target.cleanup else None
    try:
        yield api
    finally:
        if target.cleanup:
            # Cleanup must happen even when the run used up its request budget.
            _target_client.max_requests = None
            api.cleanup()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate_as_interrupt() -> Any:
    """Make SIGTERM unwind like Ctrl-C, so session teardown (cleanup) still runs."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: nothing to install
        return None


@pytest.fixture(scope="session")
def ctx(target: RunState) -> ContractContext:
    """The facts contracts compare with: Stripe-Version, key mode, capabilities."""
    return ContractContext(
        stripe_version=target.stripe_version,
        livemode=False,
        capabilities=target.granted,
    )


@pytest.fixture
def failing_journals(request: pytest.FixtureRequest) -> list[list[JournalEntry]]:
    """Where a state machine of the requesting test leaves the journal of each run
    that fails (`JournaledMachine.journal_sink`): kept in the test's stash, so that
    `--save-regressions` saves the minimal one."""
    journals: list[list[JournalEntry]] = []
    request.node.stash[FAILING_JOURNALS] = journals
    return journals


@pytest.fixture
def saved_sequences(request: pytest.FixtureRequest) -> list[SavedSequence]:
    """The state-machine sequences saved as regressions of the requesting test, in
    file name order, each with the file it came from (relative to the rootdir when
    inside it): the test replays them (`JournaledMachine.replay`) before it lets
    Hypothesis generate any."""
    try:
        saved = load_regressions(regressions_root(request.config), request.node.nodeid)
    except RegressionFileError as error:
        raise pytest.UsageError(str(error)) from None
    return [
        SavedSequence(_shown_path(r.path, request.config.rootpath), r.sequence)
        for r in saved
        if r.sequence is not None
    ]


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
