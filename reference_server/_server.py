"""`ReferenceServer`: serves the API on a loopback port in a daemon thread."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from ._faults import checked_faults
from ._http import ReferenceHTTPServer
from ._stripe_api import StripeApi


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One served request: when it arrived (time.monotonic()), what, and the status."""

    arrived_at: float
    method: str
    path: str
    status: int


class ReferenceServer:
    """An embedded Checkout Sessions server on 127.0.0.1 (or another loopback host).

    `faults` switches on named misbehaviours (see `FAULTS`); unknown names raise
    ValueError. Use it as a context manager, or call `start()` and `stop()`.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Iterable[str] = (),
    ) -> None:
        self._faults = checked_faults(faults)
        self._family = _loopback_family(host)
        self._host = host
        self._port = port
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._httpd: ReferenceHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    def start(self) -> ReferenceServer:
        """Bind and serve in a daemon thread; returns self (starting twice raises)."""
        if self._httpd is not None:
            raise RuntimeError("this ReferenceServer is already started")
        httpd = ReferenceHTTPServer(
            (self._host, self._port),
            StripeApi(self._faults),
            self._record,
            family=self._family,
        )
        port = httpd.server_address[1]
        shown = f"[{self._host}]" if self._family == socket.AF_INET6 else self._host
        self._url = f"http://{shown}:{port}"
        self._httpd = httpd
        # The poll interval bounds how long stop() waits for the loop to notice.
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"reference-server-{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and open connections, join the thread.

        Idempotent: stopping a stopped (or never started) server does nothing.
        """
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = None
        self._thread = None
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL, e.g. "http://127.0.0.1:54321"; valid once started."""
        if self._url is None:
            raise RuntimeError("the server has no URL until start() is called")
        return self._url

    def request_log(self) -> list[LoggedRequest]:
        """A snapshot of every request served so far, in arrival order."""
        with self._log_lock:
            return sorted(self._log, key=lambda entry: entry.arrived_at)

    def _record(self, arrived_at: float, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._log.append(LoggedRequest(arrived_at, method, path, status))


def _loopback_family(host: str) -> socket.AddressFamily:
    """The address family of a loopback `host`; ValueError for any other host."""
    if host == "localhost":
        return socket.AF_INET
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"host={host!r} is not an IP address; the reference server only binds "
            "loopback addresses such as 127.0.0.1 or ::1."
        ) from None
    if not address.is_loopback:
        raise ValueError(
            f"host={host!r} is not a loopback address; the reference server only "
            "binds loopback addresses such as 127.0.0.1 or ::1."
        )
    return socket.AF_INET6 if address.version == 6 else socket.AF_INET
