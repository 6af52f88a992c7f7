"""An embedded, stateful reference implementation of Stripe's Checkout Sessions API.

Public names: `ReferenceServer` (start/stop a server, read its request log),
`LoggedRequest` (one entry of that log) and `FAULTS` (fault name -> the
misbehaviour it switches on). The server is stateful and answers as Stripe
does at Stripe-Version 2024-04-10. Everything else is private.

It is built on the standard library's `http.server.ThreadingHTTPServer` with
HTTP/1.1 keep-alive because that needs no dependency, and a thread per
connection over an in-memory store serves well over a thousand requests per
second, far more than a contract suite sends.
"""

from __future__ import annotations

from ._faults import FAULTS
from ._server import LoggedRequest, ReferenceServer

__all__ = ["FAULTS", "LoggedRequest", "ReferenceServer"]
