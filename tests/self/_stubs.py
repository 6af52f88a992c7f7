"""Misbehaving targets for the bad-input self-tests: tiny servers on 127.0.0.1.

Generic on purpose (they know nothing of Stripe): one answers HTML, one fails every
request with 500, one accepts connections and never answers, one speaks something
that is not HTTP. Each stops when its `with` block ends.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_RESPONSES = {
    "html": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 35\r\n"
    b"Connection: close\r\n\r\n<html><body>Dashboard</body></html>",
    "500": b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    b"Content-Length: 55\r\nConnection: close\r\n\r\n"
    b'{"error": {"type": "api_error", "message": "it broke."}}',
    "not-http": b"SSH-2.0-OpenSSH_9.2\r\n\x00\x01garbage",
}


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, released, left closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def stub_server(kind: str) -> Iterator[str]:
    """Serve `kind` ("html", "500", "not-http" or "hang") and yield its base URL."""
    release = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(5)
            try:
                self.request.recv(65536)
                if kind == "hang":
                    release.wait(30)  # hold the connection open without a word
                    return
                self.request.sendall(_RESPONSES[kind])
            except OSError:
                return

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
