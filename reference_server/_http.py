"""The HTTP/1.1 layer: reads requests off keep-alive connections, writes responses.

It knows nothing about Stripe. It frames requests (Content-Length or chunked
bodies, capped at `MAX_BODY_BYTES`), hands them to the application, writes the
answer in one `sendall` with TCP_NODELAY set (so that small responses never
wait for Nagle's algorithm), and records each exchange in the request log.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._decisions import MAX_BODY_BYTES
from ._errors import ApiError, invalid
from ._wire import App, ConnectionDropped, Request, Response

Recorder = Callable[[float, str, str, int], None]


class _BodyError(Exception):
    """The request body cannot be read; the connection must be dropped."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


class ReferenceHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that also closes its open connections on shutdown."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        app: App,
        record: Recorder,
        *,
        family: socket.AddressFamily = socket.AF_INET,
    ) -> None:
        self.address_family = family
        self.app = app
        self.record = record
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """Shut every open client connection so that handler threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            # Already closed by the client: nothing left to shut.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ReferenceHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, open_=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is kept in memory instead."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """Malformed HTTP (bad request line, huge headers, ...): a Stripe error.

        http.server answers some client mistakes with a 5xx (501 for an unknown
        method, 505 for an unknown HTTP version); they are the client's, so
        they become 400 here.
        """
        status = 400 if code >= 500 else code
        self.close_connection = True
        request = Request(
            method=getattr(self, "command", None) or "",
            path=(getattr(self, "path", None) or "").partition("?")[0],
            query=b"",
            headers={},
            body=b"",
        )
        error = ApiError(
            status,
            f"Invalid HTTP request: {message or _reason(code)}.",
            close_connection=True,
        )
        self._write(self.server.app.refuse(request, error), head=False)

    def _serve(self, *, head: bool = False) -> None:
        arrived = time.monotonic()
        target = self.path
        path, _, query = target.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(
            method=self.command,
            path=path,
            query=query.encode("latin-1"),
            headers=headers,
            body=b"",
        )
        try:
            body = self._read_body(headers)
        except _BodyError as problem:
            self.close_connection = True
            response = self.server.app.refuse(request, problem.error)
        else:
            if body:
                request = Request(
                    method=request.method,
                    path=path,
                    query=request.query,
                    headers=headers,
                    body=body,
                )
            try:
                response = self.server.app.handle(request)
            except ConnectionDropped:
                # No status line, no headers: the client sees the socket close.
                self.close_connection = True
                self.server.record(arrived, self.command, path, 0)
                return
        if response.close:
            self.close_connection = True
        # Logged before the answer leaves, so a client that has its answer
        # always finds the request in the log.
        self.server.record(arrived, self.command, path, response.status)
        self._write(response, head=head)

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length_text = headers.get("content-length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            raise _BodyError(
                invalid(f"Invalid Content-Length header: {length_text[:40]!r}.")
            )
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise _BodyError(_too_large())
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise _BodyError(invalid("Invalid chunked request body.")) from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyError(_too_large())
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _write(self, response: Response, *, head: bool) -> None:
        lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        lines.append(f"Content-Length: {len(response.body)}")
        if self.close_connection:
            lines.append("Connection: close")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if not head:
            data += response.body
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _too_large() -> ApiError:
    return ApiError(
        413,
        f"Request body too large: this server reads at most {MAX_BODY_BYTES} bytes.",
        close_connection=True,
    )
