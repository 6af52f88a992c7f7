"""Prices: `POST /v1/prices`, `GET /v1/prices/{id}`, and storing new prices.

`store_new_price` is also how a session's inline `price_data` becomes a stored
(inactive) price, with a new product when the draft names none.
"""

from __future__ import annotations

import time

from .._errors import no_such, shorten
from .._form import FormTree
from .._ids import new_id
from .._objects import JsonObject, price_object, product_object
from .._params import CREATE_PRICE, RETRIEVE
from .._rules import PriceDraft, check_price_create
from .._wire import Request
from ._expand import PRICE_EXPANSIONS, expansions
from ._metadata import set_values
from ._request import typed_params
from ._state import State


def create(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`POST /v1/prices`: an active price (and product, from `product_data`)."""
    params = typed_params(CREATE_PRICE, tree, state.faults)
    expand = expansions(params.get("expand"), PRICE_EXPANSIONS)
    draft = check_price_create(params, state.store)
    price = store_new_price(
        state,
        draft,
        created=int(time.time()),
        active=True,
        nickname=params.get("nickname"),
        metadata=set_values(params.get("metadata")),
    )
    return _render(state, price, expand)


def retrieve(state: State, ident: str, tree: FormTree, request: Request) -> JsonObject:
    """`GET /v1/prices/{id}`: the stored price, or 404."""
    params = typed_params(RETRIEVE, tree, state.faults)
    expand = expansions(params.get("expand"), PRICE_EXPANSIONS)
    price = state.store.price(ident)
    if price is None:
        raise no_such("price", shorten(ident, 80), status=404, param="price")
    return _render(state, price, expand)


def store_new_price(
    state: State,
    draft: PriceDraft,
    *,
    created: int,
    active: bool,
    nickname: str | None,
    metadata: dict[str, str],
) -> JsonObject:
    """Store a price built from `draft`, and its product when the draft names
    none; both are `active` as given (Stripe leaves inline ones inactive)."""
    product_id = draft.product_id
    if product_id is None:
        product_id = new_id("prod_", 14)
        state.store.add_product(
            product_object(
                product_id=product_id,
                name=draft.product_name or "",
                active=active,
                created=created,
                livemode=state.livemode,
            )
        )
    price = price_object(
        price_id=new_id("price_"),
        product_id=product_id,
        currency=draft.currency,
        unit_amount_decimal=draft.unit_amount_decimal,
        recurring=draft.recurring,
        tax_behavior=draft.tax_behavior,
        nickname=nickname,
        metadata=metadata,
        active=active,
        created=created,
        livemode=state.livemode,
    )
    state.store.add_price(price)
    return price


def _render(state: State, price: JsonObject, expand: frozenset[str]) -> JsonObject:
    if "product" in expand:
        product = state.store.product(price["product"])
        return {**price, "product": product}
    return dict(price)
