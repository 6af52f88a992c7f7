"""Which handler serves a request: method and path to (handler, id).

Unknown paths and methods are 404 with Stripe's "Unrecognized request URL"
wording. Handlers are looked up in their modules on every call, so a test can
replace one with `monkeypatch.setattr(module, name, ...)`.
"""

from __future__ import annotations

import re

from .._errors import ApiError, shorten
from .._form import decode_path_segment
from .._wire import Request
from . import _coupons as coupons
from . import _customers as customers
from . import _prices as prices
from . import _session_changes as session_changes
from . import _session_create as session_create
from . import _session_reads as session_reads
from ._session_views import SESSIONS_PATH
from ._state import Handler

_SESSION_ROUTE = re.compile(r"/v1/checkout/sessions/([^/]+)(/line_items|/expire)?")
_OBJECT_ROUTE = re.compile(r"/v1/(prices|customers|coupons)/([^/]+)")
# Modules, not functions: the handler is looked up when the request arrives.
_OBJECT_MODULES = {"prices": prices, "customers": customers, "coupons": coupons}


def route(request: Request) -> tuple[Handler, str]:
    """The handler for `request` and the id in its path ("" for none)."""
    path, method = request.path, request.method
    if path == SESSIONS_PATH:
        if method == "GET":
            return session_reads.list_sessions, ""
        if method == "POST":
            return session_create.create, ""
    elif match := _SESSION_ROUTE.fullmatch(path):
        ident = decode_path_segment(match.group(1))
        handler = _session_action(method, match.group(2))
        if handler is not None:
            return handler, ident
    elif (kind := path.removeprefix("/v1/")) in _OBJECT_MODULES and method == "POST":
        return _OBJECT_MODULES[kind].create, ""
    elif (match := _OBJECT_ROUTE.fullmatch(path)) and method == "GET":
        module = _OBJECT_MODULES[match.group(1)]
        return module.retrieve, decode_path_segment(match.group(2))
    raise ApiError(
        404,
        f"Unrecognized request URL ({method}: {shorten(path, 200)}). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/.",
    )


def _session_action(method: str, action: str | None) -> Handler | None:
    """The handler under /v1/checkout/sessions/{id}[action], if there is one."""
    if action is None:
        if method == "GET":
            return session_reads.retrieve
        if method == "POST":
            return session_changes.update
    elif action == "/line_items" and method == "GET":
        return session_reads.list_line_items
    elif action == "/expire" and method == "POST":
        return session_changes.expire
    return None
