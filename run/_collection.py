"""Collection: what each contract test judges, and what the run does with it before
it runs (selection, capability skips, baseline xfails, regression replay).

Guarantees: every collected test carries its contracts as `("contract", name)` user
properties (so reports, JUnit and the summary read them as data); a test whose main
contract needs a capability the target lacks is skipped with a reason naming it;
saved regressions are replayed before anything is generated; the generated arguments
of each failing call are kept on the test function (`failing_calls`) for
`--save-regressions`.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import example

from contracts import REGISTRY
from run._options import regressions_root, selected_contracts
from run._run import RunState
from verdict._baseline import Deviation, deviation_for
from verdict._regressions import RegressionFileError, load_regressions


def modify_items(
    config: pytest.Config,
    items: list[pytest.Item],
    state: RunState | None,
    deviations: tuple[Deviation, ...],
) -> None:
    """Select, mark, skip, baseline and replay the collected `items` in place."""
    selected = selected_contracts(config)
    keep, drop = [], []
    replayed: set[int] = set()
    for item in items:
        names = contracts_of(item)
        if selected is not None and not set(names) & set(selected):
            drop.append(item)
            continue
        keep.append(item)
        for name in names:
            item.user_properties.append(("contract", name))
        if names and state is not None:
            _skip_unmeetable(item, names, state)
            _apply_baseline(item, names, deviations)
        _replay_regressions(config, item, replayed)
        _capture_failing_examples(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def contracts_of(item: pytest.Item) -> tuple[str, ...]:
    """The contracts `item` is marked with, main one first; unknown names are a
    usage error."""
    names: list[str] = []
    for marker in item.iter_markers("contract"):
        names += [str(a) for a in marker.args]
    for name in names:
        if name not in REGISTRY:
            raise pytest.UsageError(
                f"{item.nodeid} is marked with unknown contract {name!r}"
            )
    return tuple(dict.fromkeys(names))


def failing_calls(item: pytest.Item) -> list[dict[str, Any]]:
    """The generated arguments of the failing calls of `item`'s test function, in
    call order (Hypothesis replays each minimal failing example last)."""
    handle = getattr(getattr(item, "obj", None), "hypothesis", None)
    inner = getattr(handle, "inner_test", None)
    calls: list[dict[str, Any]] = getattr(inner, "failing_calls", [])
    return calls


def _skip_unmeetable(
    item: pytest.Item, names: tuple[str, ...], state: RunState
) -> None:
    """Skip when the target cannot meet the test's first (main) contract by design."""
    main = REGISTRY[names[0]]
    missing = main.missing(state.granted)
    if missing:
        # The reason names every contract the test judges: each summary row that
        # shows it must read true for its own contract.
        item.add_marker(
            pytest.mark.skip(reason=state.skip_reason(missing, ", ".join(names)))
        )


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
        saved = load_regressions(regressions_root(config), item.nodeid)
    except RegressionFileError as error:
        raise pytest.UsageError(str(error)) from None
    for regression in saved:
        if regression.sequence is None:  # sequences: see `saved_sequences`
            example(**regression.kwargs)(function)


def _capture_failing_examples(item: pytest.Item) -> None:
    """Wrap the Hypothesis inner test so that each failing call's generated
    arguments are appended to the wrapper's `failing_calls` (cleared per test run)."""
    function = getattr(item, "obj", None)
    handle = getattr(function, "hypothesis", None)
    if handle is None or hasattr(handle.inner_test, "failing_calls"):
        return
    inner = handle.inner_test
    fixture_names = set(getattr(item, "fixturenames", ()))
    calls: list[dict[str, Any]] = []

    @functools.wraps(inner)
    def capturing(*args: Any, **kwargs: Any) -> Any:
        try:
            return inner(*args, **kwargs)
        except Exception:
            calls.append({k: v for k, v in kwargs.items() if k not in fixture_names})
            raise

    capturing.failing_calls = calls  # type: ignore[attr-defined]
    handle.inner_test = capturing
