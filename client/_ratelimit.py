"""A sliding-window budget on how many request attempts may start per second.

Public through `client`: `RateLimiter`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# Network jitter can bring two requests that left a worker 1.000 s apart to the
# server closer together than that; a slightly longer client window absorbs it.
DEFAULT_WINDOW_MARGIN = 0.1


class RateLimiter:
    """At most `max_per_window` attempts start in any sliding `window` of seconds.

    `acquire()` blocks (sleeps) until a slot is free, then books it; it never drops
    a request. Thread-safe: callers queue on one lock, so threads sharing a limiter
    share its budget. The budget is per process: under pytest-xdist every worker
    has its own limiter, so the harness gives each of N workers
    `floor(total / N)` attempts per window and a window of 1.0 s plus a small
    margin (`RateLimiter.per_worker`): the server then never counts more than
    `total` requests in any 1 s window from the whole run.

    `clock` and `sleep` are seams for tests (a fake clock that `sleep` advances).
    """

    def __init__(
        self,
        max_per_window: int,
        window: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(max_per_window, bool) or not isinstance(max_per_window, int):
            raise TypeError(
                f"RateLimiter(max_per_window={max_per_window!r}) needs an int."
            )
        if max_per_window < 1:
            raise ValueError(
                f"RateLimiter(max_per_window={max_per_window!r}) would never let a "
                f"request start; pass at least 1."
            )
        if not window > 0:
            raise ValueError(
                f"RateLimiter(window={window!r}) must be a positive number of seconds."
            )
        self.max_per_window = max_per_window
        self.window = float(window)
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    @classmethod
    def per_worker(
        cls,
        total_per_second: int,
        worker_count: int,
        *,
        margin: float = DEFAULT_WINDOW_MARGIN,
    ) -> RateLimiter:
        """The limiter for one of `worker_count` processes sharing `total_per_second`.

        Each worker gets `floor(total_per_second / worker_count)` starts per window
        of `1.0 + margin` seconds. Raises ValueError when that share is below one.
        """
        if worker_count < 1:
            raise ValueError(
                f"RateLimiter.per_worker(worker_count={worker_count!r}) must be >= 1."
            )
        share = total_per_second // worker_count
        if share < 1:
            raise ValueError(
                f"A budget of {total_per_second} requests per second cannot be "
                f"shared by {worker_count} workers; run fewer workers (-n) or raise "
                f"the budget."
            )
        return cls(share, 1.0 + margin)

    def acquire(self) -> float:
        """Block until an attempt may start, book it, and return the seconds waited."""
        with self._lock:
            # Sleeping while holding the lock is deliberate: the waiters would
            # all be waiting anyway, and queueing on the lock keeps them in order.
            waited = 0.0
            while True:
                now = self._clock()
                while self._starts and self._starts[0] + self.window <= now:
                    self._starts.popleft()
                if len(self._starts) < self.max_per_window:
                    self._starts.append(now)
                    return waited
                delay = self._starts[0] + self.window - now
                self._sleep(delay)
                waited += delay

    def __repr__(self) -> str:
        return (
            f"RateLimiter(max_per_window={self.max_per_window!r}, "
            f"window={self.window!r})"
        )
