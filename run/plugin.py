"""The pytest plugin of the contract suite (loaded by the root conftest.py): the
hooks, each delegating to a module with one job.

| job | module |
|---|---|
| options and their up-front checks | `run._options` |
| the run's target, profile and budgets (controller only) | `run._run` |
| controller/worker plumbing | `run._xdist` |
| marks, capability skips, baselines, regression replay | `run._collection` |
| the fixtures tests reach the target through | `run._fixtures` |
| verdict data, failure reports, saved regressions | `verdict._reporting` |
| the end-of-run summary | `verdict._summary` (`VerdictRecorder` below feeds it) |

Run state lives in the config's stash, never in module globals.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from run._collection import modify_items
from run._fixtures import (  # noqa: F401  (fixtures are found by name)
    CLIENT,
    _target_client,
    api,
    ctx,
    failing_journals,
    saved_sequences,
    target,
    target_profile,
    target_url,
)
from run._options import add_options, check_options, regressions_root
from run._run import (
    RUN_STATE,
    STARTED,
    decide_state,
    header_lines,
    use_state,
)
from run._settings import register_profiles
from run._xdist import REQUESTS_KEY, XdistHooks, adopt_controller_state
from verdict._baseline import BaselineError, Deviation, load_baseline
from verdict._regressions import RegressionFileError, check_regression_files
from verdict._reporting import complete_report, start_call
from verdict._summary import VerdictBook


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(
    tryfirst=True
)  # before Hypothesis' own hook loads --hypothesis-profile
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "contract(*names): the contracts a test judges (from contracts.REGISTRY).",
    )
    register_profiles()
    check_options(config)
    adopt_controller_state(config)
    book = VerdictBook()
    config.pluginmanager.register(VerdictRecorder(book), "checkout-contracts-verdict")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(book), "checkout-contracts-xdist")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    config.stash[STARTED] = time.monotonic()
    if not hasattr(config, "workerinput"):
        try:
            check_regression_files(regressions_root(config))
        except RegressionFileError as error:
            raise pytest.UsageError(str(error)) from None
        use_state(config, decide_state(config))
    elif config.stash.get(RUN_STATE, None) is not None:
        # Hypothesis' own configure hook loads --hypothesis-profile after ours ran
        # on the worker, dropping --max-examples: load the run's profile again.
        use_state(config, config.stash[RUN_STATE])


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = config.stash.get(RUN_STATE, None)
    return header_lines(state) if state is not None else []


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    modify_items(config, items, config.stash.get(RUN_STATE, None), _deviations(config))


def _deviations(config: pytest.Config) -> tuple[Deviation, ...]:
    path = config.getoption("baseline")
    if not path:
        return ()
    try:
        return load_baseline(Path(path))
    except BaselineError as error:
        raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    start_call(item)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    return complete_report(item, call, report, item.config.stash.get(RUN_STATE, None))


class VerdictRecorder:
    """Feeds every test report to the run's `VerdictBook` and prints its summary."""

    def __init__(self, book: VerdictBook) -> None:
        self._book = book

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._book.record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        client = session.config.stash.get(CLIENT, None)
        if client is None:
            return
        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[REQUESTS_KEY] = client.requests_sent
        else:
            self._book.requests += client.requests_sent

    def pytest_terminal_summary(
        self, terminalreporter: Any, exitstatus: int, config: pytest.Config
    ) -> None:
        state = config.stash.get(RUN_STATE, None)
        if (
            state is None
            or hasattr(config, "workerinput")
            or not self._book.has_results
        ):
            return
        elapsed = time.monotonic() - config.stash.get(STARTED, time.monotonic())
        rate = self._book.requests / elapsed if elapsed > 0 else 0.0
        target_name = state.base_url or "embedded reference server"
        hypothesis_profile = settings.get_current_profile_name()
        header = [
            f"target: {target_name} · profile {state.profile} · Stripe-Version "
            f"{state.stripe_version} · hypothesis {hypothesis_profile}",
            f"requests: {self._book.requests:,} in {elapsed:.1f} s ({rate:,.0f}/s)",
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
        interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
        for line in self._book.lines(header=header, interrupted=interrupted):
            terminalreporter.write_line(line)
        for path in saved:
            terminalreporter.write_line(f"saved regression: {path}")
