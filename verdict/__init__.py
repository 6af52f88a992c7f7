"""The verdict: what a finished test says about each contract (as data, read from
the exception), the report a user reads, the end-of-run summary, known-deviation
baselines, and saved regressions, including state machines whose failing runs are
journaled (`JournaledMachine`) so they can be saved and replayed.

Public API: `JournaledMachine`, `journaled`, `JournalEntry`, `SavedSequence`.
"""

from __future__ import annotations

from verdict._stateful import JournaledMachine, JournalEntry, SavedSequence, journaled

__all__ = ["JournalEntry", "JournaledMachine", "SavedSequence", "journaled"]
