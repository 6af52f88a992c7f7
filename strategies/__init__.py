"""Hypothesis strategies for the Checkout Sessions API (Stripe-Version 2024-04-10).

What to send, and what a conformant server must answer. Every strategy is
pure: no network, no clock, no files. Values that only exist at send time
(ids of objects the run creates, timestamps relative to sending) are
placeholder strings; call `resolve_placeholders` just before sending.

The public API is exactly the names in `__all__`:

Fixtures and placeholders
    `PRICE_CATALOGUE`, `CUSTOMER_CATALOGUE`, `COUPON_CATALOGUE` (with
    `PriceSpec`, `CustomerSpec`, `CouponSpec` and their `create_params()`):
    a run creates one object per entry before drawing. `price_ref`,
    `customer_ref`, `coupon_ref`, `now_plus` write placeholders;
    `resolve_placeholders(params, prices=..., customers=..., now=...,
    coupons=...)` replaces them; `is_placeholder`, `PlaceholderError`.
    Coupons appear only in invalid cases (R-21, R-22).

Valid create params
    `session_create_params` (by construction), `boundary_create_params`
    (valid but extreme, `BOUNDARY_KINDS`), and the components they are made
    of: `line_items`, `price_data`, `currencies`, `unit_amounts`,
    `unit_amount_decimals`, `recurrences`, `quantities`, `metadata_maps`,
    `metadata_keys`, `success_urls`, `cancel_urls`, `return_urls`,
    `client_reference_ids`, `customer_emails`, `expiry_offsets`,
    `expires_at_values`, `shipping_options`, `custom_fields`,
    `plain_texts`, `non_ascii_texts`.

Every spec parameter
    `SPEC_CREATE_PARAMS` (the spec's create parameters), `SPEC_PARAM_REQUESTS`
    (fixed valid requests holding all of them but the `UNSENDABLE`),
    `param_paths`, `request_for`.

Invalid params with their expected error
    `invalid_create_params`, `INVALID_RULES`, `invalid_rules`,
    `invalid_variants` (`variant_rule`), `invalid_list_params`,
    `INVALID_LIST_RULES`, `InvalidCase`.

Other endpoints and transport
    `list_params`, `metadata_updates`, `idempotency_keys`,
    `malformed_bodies` (`MalformedBody`, `MALFORMED_BODY_KINDS`);
    `odd_expansions` and `odd_param_names`, which no server may crash on.

Version facts
    `STRIPE_VERSION`, `MODES`, `UI_MODES`, `PRICE_KINDS`, `CURRENCIES`,
    `ZERO_DECIMAL_CURRENCIES`, `PAYMENT_METHOD_TYPES`, `LOCALES`,
    `Recurrence`.
"""

from __future__ import annotations

from strategies._api import (
    CURRENCIES,
    LOCALES,
    MODES,
    PAYMENT_METHOD_TYPES,
    PRICE_KINDS,
    STRIPE_VERSION,
    UI_MODES,
    ZERO_DECIMAL_CURRENCIES,
    Recurrence,
)
from strategies._boundaries import BOUNDARY_KINDS, boundary_create_params
from strategies._fixtures import (
    COUPON_CATALOGUE,
    CUSTOMER_CATALOGUE,
    PRICE_CATALOGUE,
    CouponSpec,
    CustomerSpec,
    PriceSpec,
)
from strategies._invalid import (
    INVALID_RULES,
    InvalidCase,
    invalid_create_params,
    invalid_rules,
    invalid_variants,
    odd_expansions,
    odd_param_names,
    variant_rule,
)
from strategies._line_items import (
    currencies,
    line_items,
    price_data,
    quantities,
    recurrences,
    unit_amount_decimals,
    unit_amounts,
)
from strategies._lists import INVALID_LIST_RULES, invalid_list_params, list_params
from strategies._placeholders import (
    PlaceholderError,
    coupon_ref,
    customer_ref,
    is_placeholder,
    now_plus,
    price_ref,
    resolve_placeholders,
)
from strategies._sessions import (
    custom_fields,
    expires_at_values,
    expiry_offsets,
    session_create_params,
    shipping_options,
)
from strategies._spec_params import (
    SPEC_CREATE_PARAMS,
    SPEC_PARAM_REQUESTS,
    UNSENDABLE,
    param_paths,
    request_for,
)
from strategies._text import (
    cancel_urls,
    client_reference_ids,
    customer_emails,
    metadata_keys,
    metadata_maps,
    non_ascii_texts,
    plain_texts,
    return_urls,
    success_urls,
)
from strategies._transport import (
    MALFORMED_BODY_KINDS,
    MalformedBody,
    idempotency_keys,
    malformed_bodies,
)
from strategies._updates import metadata_updates

__all__ = [
    "BOUNDARY_KINDS",
    "COUPON_CATALOGUE",
    "CURRENCIES",
    "CUSTOMER_CATALOGUE",
    "INVALID_LIST_RULES",
    "INVALID_RULES",
    "LOCALES",
    "MALFORMED_BODY_KINDS",
    "MODES",
    "PAYMENT_METHOD_TYPES",
    "PRICE_CATALOGUE",
    "PRICE_KINDS",
    "SPEC_CREATE_PARAMS",
    "SPEC_PARAM_REQUESTS",
    "STRIPE_VERSION",
    "UI_MODES",
    "UNSENDABLE",
    "ZERO_DECIMAL_CURRENCIES",
    "CouponSpec",
    "CustomerSpec",
    "InvalidCase",
    "MalformedBody",
    "PlaceholderError",
    "PriceSpec",
    "Recurrence",
    "boundary_create_params",
    "cancel_urls",
    "client_reference_ids",
    "coupon_ref",
    "currencies",
    "custom_fields",
    "customer_emails",
    "customer_ref",
    "expires_at_values",
    "expiry_offsets",
    "idempotency_keys",
    "invalid_create_params",
    "invalid_list_params",
    "invalid_rules",
    "invalid_variants",
    "is_placeholder",
    "line_items",
    "list_params",
    "malformed_bodies",
    "metadata_keys",
    "metadata_maps",
    "metadata_updates",
    "non_ascii_texts",
    "now_plus",
    "odd_expansions",
    "odd_param_names",
    "param_paths",
    "plain_texts",
    "price_data",
    "price_ref",
    "quantities",
    "recurrences",
    "request_for",
    "resolve_placeholders",
    "return_urls",
    "session_create_params",
    "shipping_options",
    "success_urls",
    "unit_amount_decimals",
    "unit_amounts",
    "variant_rule",
]
