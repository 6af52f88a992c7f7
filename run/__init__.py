"""The run: options, what the controller decides before any test (the target's
capabilities, the objects it refers to, budgets), the fixtures tests use, and the
pytest plugin (`run.plugin`, loaded by the root conftest.py) that ties the run to
the target (`target`) and the verdict (`verdict`).

Public API: `scaled` (settings for tests whose examples cost several requests),
`TargetProfile` and `PROFILES` (the presets of `--target-profile`).
"""

from __future__ import annotations

from run._profiles import PROFILES, TargetProfile
from run._settings import scaled

__all__ = ["PROFILES", "TargetProfile", "scaled"]
