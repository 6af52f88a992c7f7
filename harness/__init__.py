"""The pytest side of the suite: profiles, fixtures, reporting, regressions, baselines.

Public API: `Api` (the suite's view of a target), `TargetProfile` and `PROFILES`,
`scaled` (settings for tests whose examples cost several requests),
`JournaledMachine`/`journaled` (state machines whose failing runs can be saved and
replayed) and the plugin module `harness.plugin`, which the root conftest.py loads.
"""

from __future__ import annotations

from harness._api import Api, ObjectUnavailable
from harness._profiles import PROFILES, TargetProfile
from harness._settings import scaled
from harness._stateful import JournaledMachine, JournalEntry, SavedSequence, journaled

__all__ = [
    "PROFILES",
    "Api",
    "JournalEntry",
    "JournaledMachine",
    "ObjectUnavailable",
    "SavedSequence",
    "TargetProfile",
    "journaled",
    "scaled",
]
