"""A forwarding proxy with a per-request hook, and ready-made hooks."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable

from tests.self.hostile._server import (
    DEFAULT_LIFETIME,
    BadServer,
    Behaviour,
    Responder,
)

Hook = Behaviour


class ForwardingProxy(BadServer):
    """A `BadServer` in front of `upstream_url`: each request goes to `hook`,
    which may forward it (`responder.forward()`, then `responder.relay(reply)`
    or a changed answer), answer by itself, or break the answer.

    The client talks to `proxy.url`; paths are appended to `upstream_url`'s
    path. Bounded like every `BadServer` (lifetime, socket timeouts).
    """

    def __init__(
        self,
        upstream_url: str,
        hook: Hook | None = None,
        *,
        lifetime: float = DEFAULT_LIFETIME,
    ) -> None:
        super().__init__(
            hook or pass_through, lifetime=lifetime, upstream=upstream_url.rstrip("/")
        )


def pass_through(responder: Responder) -> None:
    """Forward the request and relay the answer unchanged."""
    responder.relay(responder.forward())


def fail_fraction(
    fraction: float,
    *,
    status: int = 500,
    seed: int = 0,
    body: bytes = b'{"error": {"type": "api_error", "message": "Injected."}}',
) -> Hook:
    """Answer `status` instead of forwarding, for about `fraction` of requests
    (seeded, so a run is repeatable; thread-safe); forward the rest."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def hook(responder: Responder) -> None:
        with lock:
            fail = rng.random() < fraction
        if fail:
            responder.send(status, body)
        else:
            pass_through(responder)

    return hook


def cut_mid_body(
    keep: float = 0.5, *, when: Callable[[Responder], bool] = lambda _: True
) -> Hook:
    """Forward, then send the upstream headers (with the full Content-Length) and
    only the first `keep` share of the body before closing the connection, for
    the requests `when` selects."""

    def hook(responder: Responder) -> None:
        reply = responder.forward()
        if not when(responder):
            responder.relay(reply)
            return
        headers = [
            (n, v)
            for n, v in reply.headers
            if n.lower() not in ("connection", "transfer-encoding", "content-length")
        ]
        headers.append(("Content-Length", str(len(reply.body))))
        responder.send_head(reply.status, headers)
        responder.write(reply.body[: int(len(reply.body) * keep)])
        responder.cut()

    return hook


def hide_paths(
    prefixes: Iterable[str],
    *,
    status: int = 404,
    body: bytes = b'{"error": {"type": "invalid_request_error", "message": '
    b'"Unrecognized request URL."}}',
) -> Hook:
    """Answer `status` for any request whose path starts with one of `prefixes`
    (methods alike); forward the rest."""
    hidden = tuple(prefixes)

    def hook(responder: Responder) -> None:
        if responder.request.path.startswith(hidden):
            responder.send(status, body)
        else:
            pass_through(responder)

    return hook
