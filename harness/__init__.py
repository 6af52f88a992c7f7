"""The pytest side of the suite: profiles, fixtures, reporting, regressions, baselines.

Public API: `Api` (the suite's view of a target), `TargetProfile` and `PROFILES`,
`scaled` (settings for tests whose examples cost several requests) and the plugin
module `harness.plugin`, which the root conftest.py loads.
"""

from __future__ import annotations

from harness._api import Api, TargetSetupError
from harness._profiles import PROFILES, TargetProfile
from harness._settings import scaled

__all__ = ["PROFILES", "Api", "TargetProfile", "TargetSetupError", "scaled"]
