"""The target as the suite's tests see it: `Api`, the one way a test reaches a
server (sending through the `client`, placeholders resolved, created sessions
remembered and cleaned up), and the objects a run refers to on it (`--fixture-ids`,
else created, else missing with the reason).

Public API: `Api`, `ObjectUnavailable` (a test that needs an object the run lacks is
not judged), `Provisioned`, `provision`, `load_fixtures`, `FixturesError`.
"""

from __future__ import annotations

from target._api import Api, ObjectUnavailable
from target._provision import FixturesError, Provisioned, load_fixtures, provision

__all__ = [
    "Api",
    "FixturesError",
    "ObjectUnavailable",
    "Provisioned",
    "load_fixtures",
    "provision",
]
