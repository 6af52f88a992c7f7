"""The bounded server every hostile target runs on, and the `Responder` a
behaviour uses to answer one request."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

#: Seconds a server lives at most, whatever the test does.
DEFAULT_LIFETIME = 60.0
#: Socket timeout for each connection, so a silent client cannot hold a thread.
SOCKET_TIMEOUT = 10.0
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
)


@dataclass(frozen=True, slots=True)
class Received:
    """One request as the server read it."""

    method: str
    path: str  # with the query string
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of header `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class UpstreamReply:
    """What the upstream server answered to a forwarded request (body read whole:
    the upstream is a trusted reference server)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class _Stopped(Exception):
    """The server is stopping: the behaviour must end now."""


class Responder:
    """What a behaviour gets for one request: the request, and ways to answer.

    Raw writes (`send_head`, `write`) let a behaviour send a broken answer on
    purpose; `send` is the plain well-formed answer. A write to a client that went
    away, or after the server started stopping, ends the behaviour quietly.
    """

    def __init__(
        self,
        handler: BaseHTTPRequestHandler,
        request: Received,
        stopping: threading.Event,
        upstream: str | None,
    ) -> None:
        self.request = request
        self.stopping = stopping
        self._handler = handler
        self._upstream = upstream
        port = handler.connection.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    def send(
        self,
        status: int,
        body: bytes = b"",
        headers: Iterable[tuple[str, str]] = (),
        *,
        content_type: str | None = "application/json",
    ) -> None:
        """A complete answer with a correct Content-Length."""
        head = list(headers)
        if content_type is not None:
            head.append(("Content-Type", content_type))
        head.append(("Content-Length", str(len(body))))
        self.send_head(status, head)
        self.write(body)

    def send_head(self, status: int, headers: Iterable[tuple[str, str]]) -> None:
        """The status line and headers, exactly as given (nothing added)."""
        reason = http.client.responses.get(status, "Unknown")
        lines = [f"HTTP/1.1 {status} {reason}\r\n"]
        lines += [f"{name}: {value}\r\n" for name, value in headers]
        self.write("".join(lines).encode("latin-1") + b"\r\n")

    def write(self, data: bytes) -> None:
        """Write raw bytes; raises an internal stop when the server is stopping
        or the client has gone (the server catches it)."""
        if self.stopping.is_set():
            raise _Stopped
        try:
            self._handler.wfile.write(data)
            self._handler.wfile.flush()
        except OSError as error:
            raise _Stopped from error

    def wait(self, seconds: float) -> None:
        """Sleep `seconds`, waking at once (and stopping) if the server stops."""
        if self.stopping.wait(seconds):
            raise _Stopped

    def cut(self) -> None:
        """Close the connection now (a crash mid-answer, as the client sees it)."""
        self._handler.close_connection = True
        # OSError: the client already closed it.
        with contextlib.suppress(OSError):
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        raise _Stopped

    def forward(self, *, timeout: float = 30.0) -> UpstreamReply:
        """Send the request to the upstream server and return its whole answer."""
        if self._upstream is None:
            raise RuntimeError("forward() needs a ForwardingProxy (an upstream URL).")
        parts = urlsplit(self._upstream)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=timeout
        )
        try:
            headers = {
                name: value
                for name, value in self.request.headers
                if name.lower() not in _HOP_BY_HOP
            }
            connection.request(
                self.request.method,
                parts.path.rstrip("/") + self.request.path,
                body=self.request.body or None,
                headers=headers,
            )
            answer = connection.getresponse()
            body = answer.read()
            return UpstreamReply(answer.status, tuple(answer.getheaders()), body)
        finally:
            connection.close()

    def relay(self, reply: UpstreamReply) -> None:
        """Send an upstream reply on, unchanged except for hop-by-hop headers."""
        headers = [(n, v) for n, v in reply.headers if n.lower() not in _HOP_BY_HOP]
        self.send(reply.status, reply.body, headers, content_type=None)


Behaviour = Callable[[Responder], None]


class BadServer:
    """An HTTP server on 127.0.0.1 that answers every request with `behaviour`.

    Use as a context manager; `url` is its base URL. It stops by itself after
    `lifetime` seconds. `upstream` is for `ForwardingProxy`.
    """

    def __init__(
        self,
        behaviour: Behaviour,
        *,
        lifetime: float = DEFAULT_LIFETIME,
        upstream: str | None = None,
    ) -> None:
        self.behaviour = behaviour
        self.lifetime = lifetime
        self.received: list[Received] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._upstream = upstream
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, no trailing slash."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> BadServer:
        """Start serving (in a daemon thread) and arm the lifetime timer."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.daemon = True
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop accepting, tell running behaviours to end, close the socket."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._timer is not None:
            self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> BadServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = SOCKET_TIMEOUT

            def handle_one_request(self) -> None:
                try:
                    self.raw_requestline = self.rfile.readline(65537)
                except OSError:
                    self.close_connection = True
                    return
                if not self.raw_requestline or not self.parse_request():
                    self.close_connection = True
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Received(
                    self.command, self.path, tuple(self.headers.items()), body
                )
                with server._lock:
                    server.received.append(request)
                responder = Responder(self, request, server._stopping, server._upstream)
                try:
                    server.behaviour(responder)
                except _Stopped:
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: tests assert on what the client reports

        return Handler
