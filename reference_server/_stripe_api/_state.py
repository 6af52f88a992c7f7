"""What every handler shares: the switched-on faults and the in-memory store.

A handler turns one routed request into the JSON object of a 200 answer, or
raises `ApiError`; it never renders a response itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .._form import FormTree
from .._objects import JsonObject
from .._store import Store
from .._wire import Request


@dataclass(frozen=True, slots=True)
class State:
    """One server's state; created once per `StripeApi`."""

    faults: frozenset[str]
    store: Store
    #: Whether objects say `livemode: true` (the `livemode_true` fault).
    livemode: bool
    #: Per-connection scratch space (each connection has its own thread).
    per_connection: threading.local


#: (state, id from the path or "", decoded parameters, request) -> JSON object.
Handler = Callable[[State, str, FormTree, Request], JsonObject]
