"""The stateful Checkout Sessions API at Stripe-Version 2024-04-10.

`StripeApi` (in `_app`) is the only name the rest of the package uses. Inside,
the protocol is kept apart from the resources:

- protocol: `_auth` (API keys, Stripe-Version), `_routing` (method and path to
  a handler), `_request` (parameters decoded and typed), `_expand` (which
  paths may be expanded), `_idempotency` (Idempotency-Key semantics of POSTs),
  `_render` (success and error answers, headers, Request-Id);
- resources, each a set of handlers over the shared `State`: `_session_create`,
  `_session_reads` (retrieve, list, line items), `_session_changes` (expire,
  update), `_prices`, `_customers`, with `_session_views` (find and render a
  session) and `_metadata` (how metadata parameters change stored metadata).

Faults, when switched on, each alter one site of these modules or of the
modules they call.
"""

from __future__ import annotations

from ._app import StripeApi

__all__ = ["StripeApi"]
