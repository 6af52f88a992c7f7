"""The pytest plugin of the contract suite (loaded by the root conftest.py).

It owns the suite's options (the target itself is pytest-base-url's `--base-url`),
refuses unsafe keys before any request, checks the target with one request and
detects its profile, starts the embedded reference server when no URL is given,
provides the session fixtures, skips contracts a target cannot meet (saying why),
renders failures as contract reports, replays and saves regressions, applies a
known-deviations baseline, and prints the contracts x verdict summary.

Work meant for the controller only (the probe, the profile detection) is skipped on
xdist workers, which receive the result through `workerinput`.
"""

from __future__ import annotations

import functools
import os
import signal
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, settings

from client import CheckoutClient, RateLimiter, RequestBudgetExhausted, TargetError
from contracts import REGISTRY, ContractContext, contract_of
from harness._api import Api, TargetSetupError
from harness._baseline import BaselineError, Deviation, deviation_for, load_baseline
from harness._keys import KeyRefused, refuse_unsafe_key, resolve_api_key
from harness._preflight import TargetProblem, check_target
from harness._profiles import PROFILES, TargetProfile, detect_profile, is_stripe_api
from harness._regressions import RegressionFileError, load_regressions, save_regression
from harness._render import is_ours, render_failure
from harness._settings import DEFAULT_PROFILE, register_profiles
from harness._shared import RunShared
from harness._stateful import JournalEntry, SavedSequence, failing_journals
from harness._summary import VerdictBook

DEFAULT_STRIPE_VERSION = "2024-04-10"
_STATE = pytest.StashKey["RunState"]()
_BOOK = pytest.StashKey[VerdictBook]()
_WORKER_KEY = "checkout_contracts"


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

    @property
    def target_profile(self) -> TargetProfile:
        return PROFILES[self.profile]


# -- options -------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checkout-contracts", "Checkout Sessions contract suite")
    group.addoption(
        "--api-key",
        default=None,
        metavar="KEY",
        help="API key for the target (default: $STRIPE_API_KEY, else a "
        "local sk_test_ key). Live keys are refused.",
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
        help="Read timeout per request (default 30).",
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
        "regressions/ in the suite's checkout).",
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


# -- configuration -------------------------------------------------------------------
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "contract(*names): the contracts a test judges (from contracts.REGISTRY).",
    )
    register_profiles()
    config.stash[_BOOK] = VerdictBook()
    _active_book[:] = [config.stash[_BOOK]]
    key, source = resolve_api_key(config.getoption("api_key"))
    try:
        refuse_unsafe_key(key, source)
    except KeyRefused as refusal:
        raise pytest.UsageError(str(refusal)) from None
    for name in _selected_contracts(config) or ():
        if name not in REGISTRY:
            raise pytest.UsageError(
                f"--contracts names an unknown contract {name!r}; known contracts: "
                + ", ".join(REGISTRY)
            )
    _check_reference_faults(config)
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and _WORKER_KEY in workerinput:
        state = RunState(**workerinput[_WORKER_KEY])
        state = RunState(
            **{**asdict(state), "reference_faults": tuple(state.reference_faults)}
        )
        _use_state(config, state)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "checkout-contracts-xdist")


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


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    config.stash[_STARTED] = time.monotonic()
    if hasattr(config, "workerinput"):
        return
    _use_state(config, _decide_state(config))


_STARTED = pytest.StashKey[float]()


def _decide_state(config: pytest.Config) -> RunState:
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
    evidence = "given with --target-profile" if chosen else ""
    if base_url is None:
        chosen = chosen or "full"
        evidence = evidence or "the embedded reference server"
    else:
        base_url = base_url.rstrip("/")
        if is_stripe_api(base_url) and source == "the built-in local test key":
            raise pytest.UsageError(
                f"--base-url {base_url} is Stripe's API but no key was given: set "
                "STRIPE_API_KEY to a test key (sk_test_… or rk_test_…)."
            )
        try:
            probe = CheckoutClient(
                base_url, key, stripe_version=version, timeout=(5.0, min(timeout, 15.0))
            )
        except (TargetError, ValueError) as error:
            raise pytest.UsageError(str(error)) from None
        try:
            check_target(probe, base_url)
            if not chosen:
                detection = detect_profile(base_url, probe)
                chosen, evidence = (
                    detection.profile.name,
                    f"detected: {detection.evidence}",
                )
        except (TargetProblem, TargetError) as problem:
            raise pytest.UsageError(str(problem)) from None
        finally:
            probe.close()
    profile = PROFILES[chosen]
    cleanup_option = config.getoption("cleanup")
    return RunState(
        base_url=base_url,
        profile=profile.name,
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
    )


def _use_state(config: pytest.Config, state: RunState) -> None:
    config.stash[_STATE] = state
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


class _XdistHooks:
    """Hooks that exist only when pytest-xdist is active."""

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        state = node.config.stash.get(_STATE, None)
        if state is not None:
            node.workerinput[_WORKER_KEY] = asdict(state)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}) or {}
        book = node.config.stash[_BOOK]
        book.requests += int(output.get("checkout_requests", 0))


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = config.stash.get(_STATE, None)
    if state is None:
        return []
    target = state.base_url or "embedded reference server (127.0.0.1, one per worker)"
    if state.reference_faults:
        target += f" with fault(s) {', '.join(state.reference_faults)}"
    lines = [
        f"checkout contracts: target {target}",
        f"  profile {state.profile} ({state.evidence}), Stripe-Version "
        f"{state.stripe_version}, hypothesis profile "
        f"{settings.get_current_profile_name()}",
        f"  api key: {state.key_source} (never printed)",
    ]
    if state.max_rps or state.max_requests:
        lines.append(
            f"  request budget: {state.max_rps or 'unlimited'} req/s, "
            f"{state.max_requests or 'unlimited'} requests per run"
            f"{', cleanup on' if state.cleanup else ''}"
        )
    return lines


# -- collection: contract markers, capability skips, selection, baselines, regressions
def _selected_contracts(config: pytest.Config) -> list[str] | None:
    raw = config.getoption("contracts")
    return [n.strip() for n in raw.split(",") if n.strip()] if raw else None


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    state = config.stash.get(_STATE, None)
    selected = _selected_contracts(config)
    deviations = _deviations(config)
    keep, drop = [], []
    replayed: set[int] = set()
    for item in items:
        names = _contracts_of(item)
        if selected is not None and not set(names) & set(selected):
            drop.append(item)
            continue
        keep.append(item)
        for name in names:
            item.user_properties.append(("contract", name))
        if names and state is not None:
            _skip_unmeetable(item, names, state.target_profile)
            _apply_baseline(item, names, deviations)
        _replay_regressions(config, item, replayed)
        _capture_failing_examples(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _contracts_of(item: pytest.Item) -> tuple[str, ...]:
    names: list[str] = []
    for marker in item.iter_markers("contract"):
        names += [str(a) for a in marker.args]
    for name in names:
        if name not in REGISTRY:
            raise pytest.UsageError(
                f"{item.nodeid} is marked with unknown contract {name!r}"
            )
    return tuple(dict.fromkeys(names))


def _skip_unmeetable(
    item: pytest.Item, names: tuple[str, ...], profile: TargetProfile
) -> None:
    """Skip when the target cannot meet the test's first (main) contract by design."""
    main = REGISTRY[names[0]]
    missing = main.missing(profile.capabilities)
    if missing:
        item.add_marker(
            pytest.mark.skip(reason=profile.skip_reason(missing, main.name))
        )


def _deviations(config: pytest.Config) -> tuple[Deviation, ...]:
    path = config.getoption("baseline")
    if not path:
        return ()
    try:
        return load_baseline(Path(path))
    except BaselineError as error:
        raise pytest.UsageError(str(error)) from None


def _apply_baseline(
    item: pytest.Item, names: tuple[str, ...], deviations: tuple[Deviation, ...]
) -> None:
    for name in names:
        deviation = deviation_for(deviations, item.nodeid, name)
        if deviation is not None:
            item.add_marker(
                pytest.mark.xfail(
                    reason=f"{name}: {deviation.reason}",
                    strict=False,
                    raises=REGISTRY[name].failure,
                )
            )
            return


def _replay_regressions(
    config: pytest.Config, item: pytest.Item, done: set[int]
) -> None:
    function = getattr(item, "obj", None)
    if function is None or not hasattr(function, "hypothesis") or id(function) in done:
        return
    done.add(id(function))
    try:
        saved = load_regressions(_regressions_root(config), item.nodeid)
    except RegressionFileError as error:
        raise pytest.UsageError(str(error)) from None
    for regression in saved:
        if regression.sequence is None:  # sequences: see `saved_sequences`
            example(**regression.kwargs)(function)


# Generated arguments of the failing calls of the test running now, in call order:
# Hypothesis replays each minimal failing example last, so the tail of this list is
# what `--save-regressions` keeps.
_failing_calls: list[dict[str, Any]] = []


def _capture_failing_examples(item: pytest.Item) -> None:
    function = getattr(item, "obj", None)
    handle = getattr(function, "hypothesis", None)
    if handle is None or getattr(handle.inner_test, "_captures_failures", False):
        return
    inner = handle.inner_test
    fixture_names = set(getattr(item, "fixturenames", ()))

    @functools.wraps(inner)
    def capturing(*args: Any, **kwargs: Any) -> Any:
        try:
            return inner(*args, **kwargs)
        except Exception:
            _failing_calls.append(
                {k: v for k, v in kwargs.items() if k not in fixture_names}
            )
            raise

    capturing._captures_failures = True  # type: ignore[attr-defined]
    handle.inner_test = capturing


# -- fixtures --------------------------------------------------------------------------
@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> RunState:
    """What the run decided about the target: URL, profile, version, budgets."""
    return pytestconfig.stash[_STATE]


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
def checkout_client(
    pytestconfig: pytest.Config, target: RunState, target_url: str
) -> Iterator[CheckoutClient]:
    """One pooled client per process, with this worker's share of the request budget."""
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
    budget = max(1, target.max_requests // workers) if target.max_requests else None
    key, _ = resolve_api_key(pytestconfig.getoption("api_key"))
    client = CheckoutClient(
        target_url,
        key,
        stripe_version=target.stripe_version,
        timeout=(5.0, target.request_timeout),
        rate_limiter=limiter,
        max_requests=budget,
        note_curl=False,
    )
    pytestconfig.stash[_CLIENT] = client
    try:
        yield client
    finally:
        client.close()


_CLIENT = pytest.StashKey[CheckoutClient]()


@pytest.fixture(scope="session")
def api(
    checkout_client: CheckoutClient,
    target: RunState,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Api]:
    """Endpoint calls with placeholders resolved; cleans up open sessions at the end
    when the run should (real Stripe by default), even after failures or Ctrl-C.

    On a target given by URL, the xdist workers of a run share the catalogue objects
    they create (one set per run, see `RunShared`); embedded servers are one per
    worker, so each worker creates its own there."""
    shared = None
    if target.base_url is not None and "PYTEST_XDIST_WORKER" in os.environ:
        # The run's id in the scope: a --basetemp reused across runs must not hand
        # out ids from an earlier run (of an earlier server on the same URL).
        run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
        shared = RunShared(
            tmp_path_factory.getbasetemp().parent / "shared",
            scope=f"{run_id} {target.base_url} {target.stripe_version}",
        )
    api = Api(checkout_client, shared=shared)
    previous = _terminate_as_interrupt() if target.cleanup else None
    try:
        yield api
    finally:
        if target.cleanup:
            # Cleanup must happen even when the run used up its request budget.
            checkout_client.max_requests = None
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
        capabilities=target.target_profile.capabilities,
    )


@pytest.fixture
def saved_sequences(request: pytest.FixtureRequest) -> list[SavedSequence]:
    """The state-machine sequences saved as regressions of the requesting test, in
    file name order, each with the file it came from (relative to the rootdir when
    inside it): the test replays them (`JournaledMachine.replay`) before it lets
    Hypothesis generate any."""
    try:
        saved = load_regressions(_regressions_root(request.config), request.node.nodeid)
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


# -- running and reporting -----------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    _failing_calls.clear()
    failing_journals.clear()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    error = call.excinfo.value if call.excinfo is not None else None
    if error is None or report.when != "call":
        return report
    if isinstance(error, RequestBudgetExhausted):
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            f"Skipped: the run's request budget is used up ({error})",
        )
        return report
    state = item.config.stash.get(_STATE, None)
    if report.failed and (is_ours(error) or isinstance(error, TargetSetupError)):
        where, lineno, _ = item.location
        report.longrepr = render_failure(
            error,
            path=where,
            lineno=(lineno or 0) + 1,
            embedded=state is not None and state.base_url is None,
        )
    if (
        report.failed
        and item.config.getoption("save_regressions")
        and state is not None
    ):
        for saved in _save_regressions(item, error, state):
            report.user_properties.append(("regression", str(saved)))
    return report


def _save_regressions(
    item: pytest.Item, error: BaseException, state: RunState
) -> list[Path]:
    """Save the minimal example of each contract failure in `error`; return the
    files."""
    failures = (
        list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    )
    # A Hypothesis test fails with generated arguments; a state machine test with
    # the journal of its failing run.
    cases: list[tuple[dict[str, Any] | None, list[JournalEntry] | None]] = (
        [(kwargs, None) for kwargs in _failing_calls[-len(failures) :]]
        if _failing_calls
        else [(None, journal) for journal in failing_journals[-len(failures) :]]
    )
    saved = []
    for failure, (kwargs, sequence) in zip(failures, cases, strict=False):
        found = contract_of(failure)
        if found is None or not (kwargs or sequence):
            continue
        path = save_regression(
            _regressions_root(item.config),
            nodeid=item.nodeid,
            contract=found.name,
            title=found.title,
            kwargs=kwargs,
            sequence=sequence,
            profile=state.profile,
            stripe_version=state.stripe_version,
        )
        saved.append(path)
    return saved


def _regressions_root(config: pytest.Config) -> Path:
    """The regressions folder (`--regressions-dir`), relative to the suite's
    checkout."""
    folder = Path(config.getoption("regressions_dir"))
    return folder if folder.is_absolute() else config.rootpath / folder


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _active_book:
        _active_book[0].record(report)


# The verdict book of this process; a list so that hooks without a config (logreport)
# can reach the one pytest_configure made.
_active_book: list[VerdictBook] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    client = session.config.stash.get(_CLIENT, None)
    if client is None:
        return
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["checkout_requests"] = client.requests_sent
    else:
        session.config.stash[_BOOK].requests += client.requests_sent


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    book = config.stash.get(_BOOK, None)
    if (
        state is None
        or book is None
        or hasattr(config, "workerinput")
        or not book.has_results
    ):
        return
    elapsed = time.monotonic() - config.stash.get(_STARTED, time.monotonic())
    rate = book.requests / elapsed if elapsed > 0 else 0.0
    target = state.base_url or "embedded reference server"
    header = [
        f"target: {target} · profile {state.profile} · Stripe-Version "
        f"{state.stripe_version} · hypothesis {settings.get_current_profile_name()}",
        f"requests: {book.requests:,} in {elapsed:.1f} s ({rate:,.0f}/s)",
    ]
    saved = sorted(
        {
            v
            for r in terminalreporter.stats.get("failed", [])
            for k, v in r.user_properties
            if k == "regression"
        }
    )
    terminalreporter.write_sep("=", "checkout contracts")
    for line in book.lines(header=header):
        terminalreporter.write_line(line)
    for path in saved:
        terminalreporter.write_line(f"saved regression: {path}")
