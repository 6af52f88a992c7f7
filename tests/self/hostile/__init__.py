"""Hostile and degraded HTTP targets for self-tests: bounded stdlib servers on
127.0.0.1 that misbehave on purpose, and a forwarding proxy with per-request hooks.

Every server here:
- listens on 127.0.0.1 on a free port (`.url`), in daemon threads;
- stops by itself after `lifetime` seconds (default 60) even if the test forgets
  it, and at once when its `with` block ends; every streaming behaviour checks
  `Responder.stopping` between writes, and every socket has a timeout, so no
  thread outlives the server by more than a few seconds;
- records what it received (`.received`), for assertions.

Standalone bad servers (`BadServer(behaviour)` with one of):
- `drip(body, interval)`: the whole answer, one byte per `interval` seconds;
- `flood(size, declare_length)`: a JSON body of `size` bytes, generated chunk by
  chunk and never built in memory;
- `rate_limited_forever(retry_after)`: 429 with Retry-After, every time;
- `redirect_loop()`: a 302 pointing back at the same URL, every time;
- `invalid_json(body)`: `application/json` that does not parse;
- `key_echo()`: the bearer key it received, in every encoding a server might
  use (JSON escapes, percent-encoding, HTML references, Basic base64, split
  across lines), in the body and in headers;
- `fixed(status, body, headers)`: one canned answer.

Proxy (`ForwardingProxy(upstream_url, hook)`): forwards every request to
`upstream_url` unless its hook decides otherwise. Ready-made hooks: `pass_through`,
`fail_fraction` (e.g. 5% 500s, seeded), `cut_mid_body`, `hide_paths`; write your
own as `def hook(responder: Responder) -> None` using `responder.forward()`,
`responder.send(...)`, `responder.send_head(...)`, `responder.write(...)` and
`responder.cut()`.
"""

from __future__ import annotations

from tests.self.hostile._behaviours import (
    drip,
    fixed,
    flood,
    flood_length,
    invalid_json,
    key_echo,
    key_spellings,
    rate_limited_forever,
    redirect_loop,
)
from tests.self.hostile._proxy import (
    ForwardingProxy,
    cut_mid_body,
    fail_fraction,
    hide_paths,
    pass_through,
)
from tests.self.hostile._server import (
    BadServer,
    Behaviour,
    Received,
    Responder,
    UpstreamReply,
)

__all__ = [
    "BadServer",
    "Behaviour",
    "ForwardingProxy",
    "Received",
    "Responder",
    "UpstreamReply",
    "cut_mid_body",
    "drip",
    "fail_fraction",
    "fixed",
    "flood",
    "flood_length",
    "hide_paths",
    "invalid_json",
    "key_echo",
    "key_spellings",
    "pass_through",
    "rate_limited_forever",
    "redirect_loop",
]
