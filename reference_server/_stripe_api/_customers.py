"""Customers: `POST /v1/customers` and `GET /v1/customers/{id}`."""

from __future__ import annotations

import time

from .._errors import no_such, shorten
from .._form import FormTree
from .._ids import new_id
from .._objects import JsonObject, customer_object
from .._params import CREATE_CUSTOMER, RETRIEVE
from .._rules import check_customer_create
from .._wire import Request
from ._expand import CUSTOMER_EXPANSIONS, expansions
from ._metadata import set_values
from ._request import typed_params
from ._state import State


def create(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/customers`: a new stored customer."""
    params = typed_params(CREATE_CUSTOMER, tree, state.faults)
    expansions(params.get("expand"), CUSTOMER_EXPANSIONS)
    check_customer_create(params)
    customer = customer_object(
        customer_id=new_id("cus_", 14),
        email=params.get("email"),
        name=params.get("name"),
        metadata=set_values(params.get("metadata")),
        created=int(time.time()),
        livemode=state.livemode,
        invoice_prefix=new_id("", 8).upper(),
    )
    state.store.add_customer(customer)
    return customer


def retrieve(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`GET /v1/customers/{id}`: the stored customer, or 404."""
    params = typed_params(RETRIEVE, tree, state.faults)
    expansions(params.get("expand"), CUSTOMER_EXPANSIONS)
    customer = state.store.customer(ident)
    if customer is None:
        raise no_such("customer", shorten(ident, 80), status=404, param="customer")
    return dict(customer)
