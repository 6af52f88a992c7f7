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

Network round trips make every example slow by Hypothesis' standards, so the
deadline is off and `too_slow` is not a health problem here; latency is not a
contract of this suite.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

DEFAULT_PROFILE = "contracts-gate"

# Explaining a failure re-runs many variations of it against the target; useful
# while fuzzing, too costly for a gate or a rate-limited account.
_NO_EXPLAIN = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
_SLOW_IS_NORMAL = [
    HealthCheck.too_slow,
    HealthCheck.large_base_example,
    HealthCheck.data_too_large,
]


def register_profiles() -> None:
    """Register the suite's profiles (idempotent)."""
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
