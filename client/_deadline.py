"""A deadline for a whole HTTP exchange: connect, headers and body together.

Private: `CheckoutClient` mounts `DeadlineAdapter` on the session it creates and
wraps every attempt in `Watch`.

Why a watchdog: `requests` (urllib3) timeouts bound each socket read, so a server
that sends one byte a second is never timed out. A `Watch` arms a timer; when it
fires, it shuts down the socket of every connection the attempt's thread has
checked out of a pool, which makes the blocked read return at once (a shutdown,
not a close, so that the thread reading the socket still owns its descriptor).
The client then reports a deadline, not a disconnection (`Watch.expired`).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from types import TracebackType
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class Watch:
    """Context manager: the attempt on this thread must end within `seconds`.

    Only connections checked out (by this thread, while the watch is active) from
    a pool built by `DeadlineAdapter` are cut; a connection is forgotten when it
    goes back to its pool, so a timer firing late never touches a connection that
    another request is using.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self._expired = False
        self._done = False
        self._seconds = seconds

    @property
    def expired(self) -> bool:
        """True once the deadline has passed while the attempt was running."""
        with self._lock:
            return self._expired

    def __enter__(self) -> Watch:
        _current.watch = self
        _SCHEDULER.arm(time.monotonic() + self._seconds, self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> bool:
        """Disarm the timer; True when the deadline had already fired."""
        with self._lock:
            self._done = True
            self._connections.clear()
        if getattr(_current, "watch", None) is self:
            _current.watch = None
        return self.expired

    def _attach(self, connection: Any) -> None:
        with self._lock:
            if not self._done:
                self._connections.append(connection)
            expired = self._expired
        if expired:
            _cut(connection)

    def _detach(self, connection: Any) -> None:
        with self._lock:
            self._connections = [c for c in self._connections if c is not connection]

    def fire(self) -> None:
        """Called by the scheduler at the deadline: cut the attempt's connections."""
        with self._lock:
            if self._done:
                return
            self._expired = True
            connections = list(self._connections)
        for connection in connections:
            _cut(connection)


class _Scheduler:
    """One daemon thread firing every armed Watch at its deadline.

    One shared thread rather than a timer thread per request: starting a thread
    costs about 0.2 ms, a noticeable share of a request to a local server. A
    stopped Watch stays in the heap until its time comes and is then ignored.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, Watch]] = []
        self._sequence = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, due: float, watch: Watch) -> None:
        with self._condition:
            heapq.heappush(self._heap, (due, next(self._sequence), watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="checkout-contracts-deadlines", daemon=True
                )
                self._thread.start()
            # Waking the thread costs a context switch; it is only needed when
            # this deadline comes before the one it is sleeping towards.
            if self._heap[0][2] is watch:
                self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap:
                    self._condition.wait()
                due, _, watch = self._heap[0]
                delay = due - time.monotonic()
                if delay > 0:
                    self._condition.wait(delay)
                    continue
                heapq.heappop(self._heap)
            watch.fire()


_SCHEDULER = _Scheduler()


def _cut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    # OSError: already closed, so there is nothing left to interrupt.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedPoolMixin:
    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)  # type: ignore[misc]
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch._attach(connection)
        return connection

    def _put_conn(self, conn: Any) -> None:
        watch = getattr(_current, "watch", None)
        if watch is not None and conn is not None:
            watch._detach(conn)
        super()._put_conn(conn)  # type: ignore[misc]


class _WatchedHTTPPool(_WatchedPoolMixin, HTTPConnectionPool):
    pass


class _WatchedHTTPSPool(_WatchedPoolMixin, HTTPSConnectionPool):
    pass


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """An `HTTPAdapter` whose pools (direct and through proxies) report the
    connections they hand out to the active `Watch` of the calling thread."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
