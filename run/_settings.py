"""Hypothesis settings profiles of the suite, chosen with `--hypothesis-profile`.

| profile | for |
|---|---|
| contracts-gate | the default and CI: the same examples every run, no database, no
deadline |
| contracts-fuzz | long fuzzing: many random examples, failures kept in .hypothesis/ |
| contracts-stripe-test | real Stripe: few examples (rate limits, shared account) |
| contracts-random | the gate's size with fresh randomness (`--hypothesis-seed` varies
it) |
| contracts-replay | only the saved regressions (explicit examples), nothing generated |

Shrinking is budgeted where a person waits on the verdict (`SHRINK_BUDGETS`: the
gate and its random twin): each failure is shrunk for at most a few seconds, and
all failures of one process together for a few more, so a failing gate run takes
at most about twice as long as a passing one however many tests one mistake fails
(KILL_MATRIX.md measures the ratio). The fuzz profile keeps Hypothesis' own limits
and shrinks to the end.

Network round trips make every example slow by Hypothesis' standards, so the
deadline is off and `too_slow` is not a health problem here; latency is not a
contract of this suite.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.internal.conjecture import engine

DEFAULT_PROFILE = "contracts-gate"
#: The profiles `register_profiles` registers (see the table above).
SUITE_PROFILES = (
    "contracts-gate",
    "contracts-fuzz",
    "contracts-random",
    "contracts-replay",
    "contracts-stripe-test",
)

# Explaining a failure re-runs many variations of it against the target; useful
# while fuzzing, too costly for a gate or a rate-limited account.
_NO_EXPLAIN = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
_SLOW_IS_NORMAL = [
    HealthCheck.too_slow,
    HealthCheck.large_base_example,
    HealthCheck.data_too_large,
]


#: Profile name -> seconds Hypothesis may spend shrinking one failure. Every shrink
#: attempt re-sends its requests, and a stateful failure is replayed step by step,
#: so unbudgeted shrinking made one faulty gate run 20x as long as a passing one.
#: A few seconds still take a failure most of the way to minimal (the shrinker
#: tries the big cuts first: fewer steps, fewer keys, fewer line items).
SHRINK_BUDGETS: dict[str, float] = {"contracts-gate": 3.0, "contracts-random": 3.0}
#: Seconds all failures of one process (an xdist worker) may spend shrinking, under
#: a budgeted profile: one mistake can fail a dozen tests (every valid request
#: with a quantity above one, say), and each shrinking for its full budget made
#: such a run 2.5x as long as a passing one. The first failures shrink the most.
SHRINK_TOTAL = 3.0
#: What a failure still gets once the total is spent: a step or two of the
#: shrinker's big cuts (fewer steps, fewer keys), not nothing.
SHRINK_FLOOR = 0.05
_shrinking_spent = [0.0]  # seconds this process has shrunk under a budget


def register_profiles() -> None:
    """Register the suite's profiles (idempotent), and make the shrink budget of the
    loaded profile (`SHRINK_BUDGETS`) bind every failure shrunk in this process."""
    _budget_shrinking()
    common = settings(deadline=None, suppress_health_check=_SLOW_IS_NORMAL)
    settings.register_profile(
        "contracts-gate",
        derandomize=True,
        database=None,
        max_examples=25,
        phases=_NO_EXPLAIN,
        print_blob=False,
        parent=common,
    )
    settings.register_profile(
        "contracts-random",
        derandomize=False,
        database=None,
        max_examples=25,
        phases=_NO_EXPLAIN,
        print_blob=True,
        parent=common,
    )
    settings.register_profile(
        "contracts-fuzz",
        derandomize=False,
        max_examples=1000,
        print_blob=True,
        # Hypothesis' storage directory (.hypothesis/, or the folder named by
        # $HYPOTHESIS_STORAGE_DIRECTORY): keep it between fuzzing runs, or upload
        # it as a CI artifact.
        database=DirectoryBasedExampleDatabase(_storage("examples")),
        parent=common,
    )
    settings.register_profile(
        "contracts-replay",
        derandomize=True,
        database=None,
        phases=(Phase.explicit,),
        print_blob=False,
        parent=common,
    )
    settings.register_profile(
        "contracts-stripe-test",
        derandomize=True,
        database=None,
        max_examples=8,
        phases=_NO_EXPLAIN,
        print_blob=False,
        parent=common,
    )


def _budget_shrinking() -> None:
    # Hypothesis has no setting for this; its shrink time limit is the engine's
    # module constant MAX_SHRINKING_SECONDS, read when a failure's shrinking starts
    # (documented as monkeypatchable). It is set around each shrinking phase from the
    # profile loaded then, so the profile, loaded after plugins register, decides.
    runner = engine.ConjectureRunner
    if getattr(runner.shrink_interesting_test_cases, "_shrink_budgeted", False):
        return
    runner.shrink_interesting_test_cases = _within_budget(  # type: ignore[method-assign,assignment]
        runner.shrink_interesting_test_cases
    )


def _within_budget(shrink: Callable[[Any], None]) -> Callable[[Any], None]:
    @functools.wraps(shrink)
    def budgeted(runner: Any) -> None:
        budget = SHRINK_BUDGETS.get(settings.get_current_profile_name() or "")
        if budget is None:
            shrink(runner)
            return
        left = SHRINK_TOTAL - _shrinking_spent[0]
        budget = max(SHRINK_FLOOR, min(budget, left))
        limit, report = engine.MAX_SHRINKING_SECONDS, engine.report
        engine.MAX_SHRINKING_SECONDS = budget  # type: ignore[assignment]
        # Running out of it is the plan, not the "five minutes ... PLEASE REPORT
        # THIS" Hypothesis prints when its own limit stops a shrink.
        engine.report = functools.partial(_report_budget_reached, report, budget)
        started = time.monotonic()
        try:
            shrink(runner)
        finally:
            engine.MAX_SHRINKING_SECONDS, engine.report = limit, report
            _shrinking_spent[0] += time.monotonic() - started

    budgeted._shrink_budgeted = True  # type: ignore[attr-defined]
    return budgeted


def reset_shrinking_spent() -> None:
    """Forget the shrinking this process has done (for a self-test that measures a
    budget from scratch)."""
    _shrinking_spent[0] = 0.0


def _report_budget_reached(
    report: Callable[[str], None], budget: float, text: str
) -> None:
    if "working to shrink a failing test case" in text:
        text = (
            f"Shrinking stopped after this profile's {budget:g} s budget: the failing "
            "example shown is the smallest found by then."
        )
    report(text)


def _storage(name: str) -> Path:
    # Hypothesis' own storage_directory() must not be called while plugins load;
    # this is the same place it would choose.
    return Path(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY", ".hypothesis")) / name


def scaled(fraction: float, *, at_least: int = 1) -> settings:
    """Settings for a test whose examples cost several requests: `fraction` of the
    active profile's `max_examples` (at least `at_least`), everything else inherited.

    Evaluated at import, which the plugin makes happen after the profile is loaded."""
    base = settings.default
    assert base is not None, "Hypothesis always has a default profile"
    return settings(base, max_examples=max(at_least, int(base.max_examples * fraction)))
