"""Values that the processes of one run compute once and share.

Run with xdist, every worker is a process of its own, and a session-scoped fixture
runs once per worker. What a run creates on a shared target (the catalogue prices,
customers and coupons) should be created once per run, not once per worker: fewer
objects on a real account that other traffic shares, fewer requests against its
rate limit. `RunShared.once` makes the first process to ask compute the value while
the others wait on a file lock, then hands every later caller the stored value.

The folder is the parent of the worker's pytest temporary directory, which xdist
gives all workers of one run and no other run (the pattern pytest-xdist documents
for session fixtures). The lock is `fcntl.flock`, which the kernel releases when a
process dies, so a crashed worker cannot leave the others waiting. Where `fcntl` is
missing (Windows), each process computes its own value, as without xdist.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")


class RunShared:
    """Compute-once storage for JSON values, shared by the processes of one run.

    With `folder=None` nothing is shared: every `once` call computes its value, and
    caching it is the caller's business. `scope` names what the values belong to
    (a run and its target): two scopes never see each other's values.
    """

    def __init__(self, folder: Path | None, *, scope: str = "") -> None:
        self.folder = folder if fcntl is not None else None
        self._prefix = hashlib.sha256(scope.encode()).hexdigest()[:16]

    def once(self, name: str, compute: Callable[[], T]) -> T:
        """The value stored under `name` by this run, or `compute()`'s result, stored
        for the other processes. A `compute` that raises stores nothing: the next
        caller tries again (and, on a target that keeps refusing, says so too)."""
        if self.folder is None:
            return compute()
        stored = self.folder / f"{self._prefix}-{name}.json"
        with self._locked(self.folder / f"{self._prefix}-{name}.lock"):
            if stored.exists():
                value: T = json.loads(stored.read_text(encoding="utf-8"))
                return value
            value = compute()
            # Written whole, then renamed: a reader never sees half a file.
            partial = stored.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(json.dumps(value), encoding="utf-8")
            partial.replace(stored)
            return value

    @contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        assert fcntl is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
