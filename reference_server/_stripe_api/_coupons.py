"""Coupons: `POST /v1/coupons` and `GET /v1/coupons/{id}` (percent-off only).

They exist so that a session's `discounts` can name a coupon that exists: the
R-21 and R-22 refusals are then about the rule, not about a missing object.
"""

from __future__ import annotations

import time
from decimal import Decimal

from .._errors import no_such, shorten
from .._form import FormTree
from .._ids import new_id
from .._objects import JsonObject, coupon_object
from .._params import CREATE_COUPON, RETRIEVE
from .._rules import check_coupon_create
from .._wire import Request
from ._expand import expansions
from ._metadata import set_values
from ._request import typed_params
from ._state import State


def create(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/coupons`: a new stored percent-off coupon."""
    params = typed_params(CREATE_COUPON, tree, state.faults)
    expansions(params.get("expand"), frozenset())
    check_coupon_create(params)
    coupon = coupon_object(
        coupon_id=new_id("", 8),
        percent_off=Decimal(params["percent_off"]),
        duration=params.get("duration", "once"),
        duration_in_months=params.get("duration_in_months"),
        name=params.get("name"),
        metadata=set_values(params.get("metadata")),
        created=int(time.time()),
        livemode=state.livemode,
    )
    state.store.add_coupon(coupon)
    return coupon


def retrieve(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`GET /v1/coupons/{id}`: the stored coupon, or 404."""
    params = typed_params(RETRIEVE, tree, state.faults)
    expansions(params.get("expand"), frozenset())
    coupon = state.store.coupon(ident)
    if coupon is None:
        raise no_such("coupon", shorten(ident, 80), status=404, param="id")
    return dict(coupon)
