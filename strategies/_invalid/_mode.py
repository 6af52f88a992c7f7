"""R-01: a session whose mode is missing or not a mode.

Each variant removes or replaces `mode` on a base that carries none of the
mode-scoped keys, so the mode is the only violation.
"""

from __future__ import annotations

from typing import Final

from hypothesis import strategies as st

from strategies._invalid._helpers import _base
from strategies._invalid._registry import _accept, _Mutation, _variant
from strategies._support import sampled

# Keys whose validity depends on the mode: a session without a mode must not
# carry them, or the missing mode would make them a second violation.
_MODE_SCOPED: Final = (
    "payment_intent_data",
    "subscription_data",
    "setup_intent_data",
    "customer_creation",
    "payment_method_collection",
    "submit_type",
    "phone_number_collection",
    "allow_promotion_codes",
    "shipping_options",
    "invoice_creation",
)


@_variant("R-01", "conditional")
def _mode_missing(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, modes=("payment", "subscription"), exclude=_MODE_SCOPED)
    del params["mode"]
    return _Mutation(params, "mode is missing", _accept("mode", None))


@_variant("R-01", "schema")
def _mode_bogus(draw: st.DrawFn) -> _Mutation:
    params = _base(draw, exclude=_MODE_SCOPED)
    params["mode"] = draw(sampled(("donation", "PAYMENT", "one_time", "subscribe")))
    return _Mutation(params, f"mode={params['mode']!r} is not a mode", _accept("mode"))
