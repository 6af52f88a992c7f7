"""Valid `POST /v1/checkout/sessions` params, by construction.

Pinned to Stripe-Version 2024-04-10 (https://docs.stripe.com/api/checkout/sessions/create
?api-version=2024-04-10) as the contract catalogue reads it. `mode` and
`ui_mode` are drawn first, then what they require, then optional keys through
`st.fixed_dictionaries(..., optional=...)` so that shrinking drops them.

Besides the catalogue's rules, valid draws keep to combinations that are safe
on a real test account with no dashboard setup:

* `customer_creation` only without `customer` (the customer already exists);
* with `customer` and tax ID collection on, `customer_update[name]=auto`
  (Stripe needs to write the business name back to the customer);
* `shipping_options` only in payment mode and with address collection;
* `adjustable_quantity` only in payment mode;
* `after_expiration` only for hosted payment sessions;
* `payment_method_types` is `["card"]` when sent; `automatic_tax` is sent
  disabled; nothing needing Connect, tax registrations, coupons or
  dashboard-configured terms of service.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Final

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from strategies._api import (
    BILLING_ADDRESS_COLLECTION,
    CAPTURE_METHODS,
    CURRENCIES,
    CUSTOMER_CREATION,
    CUSTOMER_UPDATE_VALUES,
    DELIVERY_ESTIMATE_UNITS,
    EXPIRY_SAFETY_MARGIN,
    LOCALES,
    MAX_CUSTOM_FIELDS,
    MAX_EXPIRY_SECONDS,
    MIN_EXPIRY_SECONDS,
    MISSING_PAYMENT_METHOD_BEHAVIORS,
    MODES,
    PAYMENT_METHOD_COLLECTION,
    PRICE_KINDS,
    REDIRECT_ON_COMPLETION,
    SETUP_FUTURE_USAGES,
    SHIPPING_COUNTRIES,
    SUBMIT_TYPES,
    TAX_BEHAVIORS,
    UI_MODES,
    ZERO_DECIMAL_CURRENCIES,
    Mode,
    PriceKind,
    UiMode,
)
from strategies._fixtures import CUSTOMER_CATALOGUE
from strategies._line_items import currencies, items_for_mode
from strategies._placeholders import customer_ref, now_plus
from strategies._support import cached, check_choice, fresh_tree
from strategies._text import (
    cancel_urls,
    client_reference_ids,
    customer_emails,
    metadata_maps,
    plain_texts,
    return_urls,
    success_urls,
)

Params = dict[str, Any]

# Ordinary draws keep five minutes from either end of the expiry window, well
# beyond any plausible clock skew; boundary draws go down to the 60 s margin.
_ORDINARY_EXPIRY_MARGIN: Final = 5 * 60
assert _ORDINARY_EXPIRY_MARGIN >= EXPIRY_SAFETY_MARGIN

_MODES_WITH_LINE_ITEMS: Final[tuple[Mode, ...]] = ("payment", "subscription")

# Optional entries whose name starts with this marker are bundles: strategies
# of several coupled keys, merged into the params after drawing, so that
# shrinking drops the coupled keys together.
_BUNDLE: Final = "+"


@cached
def expiry_offsets() -> st.SearchStrategy[int]:
    """Seconds after creation for `expires_at`, safely inside [30 min, 24 h]."""
    return st.integers(
        MIN_EXPIRY_SECONDS + _ORDINARY_EXPIRY_MARGIN,
        MAX_EXPIRY_SECONDS - _ORDINARY_EXPIRY_MARGIN,
    )


@cached
def expires_at_values() -> st.SearchStrategy[str]:
    """`expires_at` as a `<now+SECONDS>` placeholder (see `expiry_offsets`)."""
    return expiry_offsets().map(now_plus)


def non_empty_dicts(
    entries: Mapping[str, st.SearchStrategy[Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts holding a non-empty subset of `entries`; shrinks to the first key.

    An empty object encodes to nothing on the wire, so optional objects made
    only of optional keys are drawn with at least one key.
    """
    names = list(entries)

    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        return {name: draw(entries[name]) for name in names if name in chosen}

    return st.composite(build)()


@cached
def custom_texts(*, mode: Mode) -> st.SearchStrategy[dict[str, Any]]:
    """`custom_text` with a message at `submit` (and `after_submit` outside setup)."""
    positions = ["submit"] if mode == "setup" else ["submit", "after_submit"]
    message = plain_texts(max_size=200).map(lambda text: {"message": text})
    return non_empty_dicts(dict.fromkeys(positions, message))


@cached
def custom_fields() -> st.SearchStrategy[list[dict[str, Any]]]:
    """1..3 custom fields with unique alphanumeric keys (R-23)."""
    alnum = string.ascii_letters + string.digits
    key = st.text(alphabet=alnum, min_size=1, max_size=20)
    label = plain_texts(max_size=50).map(
        lambda text: {"type": "custom", "custom": text}
    )
    option = st.fixed_dictionaries(
        {
            "label": plain_texts(max_size=40),
            "value": st.text(alphabet=alnum, min_size=1, max_size=20),
        }
    )
    dropdown = st.lists(option, min_size=1, max_size=5, unique_by=lambda o: o["value"])

    def lengths(draw: st.DrawFn) -> dict[str, int]:
        minimum = draw(st.integers(1, 10))
        return {
            "minimum_length": minimum,
            "maximum_length": draw(st.integers(minimum, 100)),
        }

    length_limits = st.composite(lengths)()

    def field(draw: st.DrawFn) -> dict[str, Any]:
        kind = draw(st.sampled_from(("text", "numeric", "dropdown")))
        built: dict[str, Any] = {"key": draw(key), "label": draw(label), "type": kind}
        if kind == "dropdown":
            built["dropdown"] = {"options": draw(dropdown)}
        elif draw(st.booleans()):
            built[kind] = draw(length_limits)
        if draw(st.booleans()):
            built["optional"] = draw(st.booleans())
        return built

    return st.lists(
        st.composite(field)(),
        min_size=1,
        max_size=MAX_CUSTOM_FIELDS,
        unique_by=lambda f: f["key"],
    )


@cached
def shipping_address_collections() -> st.SearchStrategy[dict[str, Any]]:
    """`shipping_address_collection` with 1..5 supported countries."""
    countries = st.lists(
        st.sampled_from(SHIPPING_COUNTRIES), min_size=1, max_size=5, unique=True
    )
    return countries.map(lambda allowed: {"allowed_countries": allowed})


@cached
def shipping_amounts(currency: str) -> st.SearchStrategy[int]:
    """Shipping fees in minor units, free included."""
    cap = 50_000 if currency == "krw" else 5_000
    return st.integers(0, cap)


@cached
def shipping_options(
    *, currency: str, min_size: int = 1, max_size: int = 3
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """`shipping_options` built from `shipping_rate_data` in `currency`."""
    check_choice("currency", currency, CURRENCIES)

    def estimate(draw: st.DrawFn) -> dict[str, Any]:
        unit = draw(st.sampled_from(DELIVERY_ESTIMATE_UNITS))
        low = draw(st.integers(1, 5))
        return {
            "minimum": {"unit": unit, "value": low},
            "maximum": {"unit": unit, "value": draw(st.integers(low, 10))},
        }

    rate = st.fixed_dictionaries(
        {
            "display_name": plain_texts(max_size=50),
            "fixed_amount": st.builds(
                lambda amount: {"amount": amount, "currency": currency},
                shipping_amounts(currency),
            ),
        },
        optional={
            "type": st.just("fixed_amount"),
            "delivery_estimate": st.composite(estimate)(),
            "tax_behavior": st.sampled_from(TAX_BEHAVIORS),
            "metadata": metadata_maps(max_size=2),
        },
    )
    return st.lists(
        rate.map(lambda data: {"shipping_rate_data": data}),
        min_size=min_size,
        max_size=max_size,
    )


@cached
def payment_intent_datas() -> st.SearchStrategy[dict[str, Any]]:
    """`payment_intent_data` without Connect or descriptor fields."""
    return non_empty_dicts(
        {
            "description": plain_texts(max_size=200),
            "metadata": metadata_maps(max_size=3),
            "capture_method": st.sampled_from(CAPTURE_METHODS),
            "setup_future_usage": st.sampled_from(SETUP_FUTURE_USAGES),
            "receipt_email": customer_emails(),
        }
    )


@cached
def subscription_datas() -> st.SearchStrategy[dict[str, Any]]:
    """`subscription_data`: trial (>= 1 day, R-24), description, metadata."""
    trial_settings = st.sampled_from(MISSING_PAYMENT_METHOD_BEHAVIORS).map(
        lambda behaviour: {"end_behavior": {"missing_payment_method": behaviour}}
    )

    def build(draw: st.DrawFn) -> dict[str, Any]:
        data = draw(
            non_empty_dicts(
                {
                    "trial_period_days": st.integers(1, 365),
                    "description": plain_texts(max_size=200),
                    "metadata": metadata_maps(max_size=3),
                }
            )
        )
        if "trial_period_days" in data and draw(st.booleans()):
            data["trial_settings"] = draw(trial_settings)
        return data

    return st.composite(build)()


@cached
def setup_intent_datas() -> st.SearchStrategy[dict[str, Any]]:
    """`setup_intent_data` without Connect fields."""
    return non_empty_dicts(
        {
            "description": plain_texts(max_size=200),
            "metadata": metadata_maps(max_size=3),
        }
    )


@cached
def invoice_creations() -> st.SearchStrategy[dict[str, Any]]:
    """`invoice_creation`; `invoice_data` only when enabled."""
    invoice_data = non_empty_dicts(
        {
            "description": plain_texts(max_size=200),
            "footer": plain_texts(max_size=200),
            "metadata": metadata_maps(max_size=3),
        }
    )
    return st.one_of(
        st.just({"enabled": False}),
        st.just({"enabled": True}),
        invoice_data.map(lambda data: {"enabled": True, "invoice_data": data}),
    )


@cached
def _identity_bundles(mode: Mode, exclude: frozenset[str]) -> st.SearchStrategy[Params]:
    options: list[st.SearchStrategy[Params]] = []
    if "customer_email" not in exclude:
        options.append(customer_emails().map(lambda email: {"customer_email": email}))
    if "customer" not in exclude:
        update = non_empty_dicts(
            dict.fromkeys(("address", "name"), st.sampled_from(CUSTOMER_UPDATE_VALUES))
        )

        def customer(draw: st.DrawFn) -> Params:
            chosen: Params = {
                "customer": customer_ref(
                    draw(st.sampled_from(sorted(CUSTOMER_CATALOGUE)))
                )
            }
            if mode != "setup" and "customer_update" not in exclude:
                customer_update = draw(st.none() | update)
                if customer_update is not None:
                    chosen["customer_update"] = customer_update
            return chosen

        options.append(st.composite(customer)())
    return st.one_of(options) if options else st.just({})


@cached
def _shipping_bundles(
    mode: Mode, currency: str, exclude: frozenset[str]
) -> st.SearchStrategy[Params]:
    def build(draw: st.DrawFn) -> Params:
        bundle: Params = {
            "shipping_address_collection": draw(shipping_address_collections())
        }
        if mode == "payment" and "shipping_options" not in exclude:
            options = draw(st.none() | shipping_options(currency=currency))
            if options is not None:
                bundle["shipping_options"] = options
        return bundle

    return st.composite(build)()


@cached
def optional_entries(
    *, mode: Mode, ui_mode: UiMode, currency: str, exclude: frozenset[str]
) -> dict[str, st.SearchStrategy[Any]]:
    """The optional keys a valid session of this mode and UI mode may carry."""
    entries: dict[str, st.SearchStrategy[Any]] = {
        "metadata": metadata_maps(),
        "client_reference_id": client_reference_ids(),
        f"{_BUNDLE}identity": _identity_bundles(mode, exclude),
        "expires_at": expires_at_values(),
        "locale": st.sampled_from(LOCALES),
        "billing_address_collection": st.sampled_from(BILLING_ADDRESS_COLLECTION),
        "payment_method_types": st.just(["card"]),
        "custom_text": custom_texts(mode=mode),
    }
    if ui_mode == "hosted":
        entries["cancel_url"] = cancel_urls()
    if mode in ("payment", "subscription"):
        entries["allow_promotion_codes"] = st.booleans()
        entries["phone_number_collection"] = st.builds(
            lambda on: {"enabled": on}, st.booleans()
        )
        entries["tax_id_collection"] = st.builds(
            lambda on: {"enabled": on}, st.booleans()
        )
        entries["custom_fields"] = custom_fields()
        entries["automatic_tax"] = st.just({"enabled": False})
        if "shipping_address_collection" not in exclude:
            entries[f"{_BUNDLE}shipping"] = _shipping_bundles(mode, currency, exclude)
    if mode in ("payment", "setup"):
        entries["customer_creation"] = st.sampled_from(CUSTOMER_CREATION)
    if mode == "payment":
        entries["submit_type"] = st.sampled_from(SUBMIT_TYPES)
        entries["payment_intent_data"] = payment_intent_datas()
        entries["invoice_creation"] = invoice_creations()
        if ui_mode == "hosted":
            entries["after_expiration"] = st.fixed_dictionaries(
                {"enabled": st.booleans()},
                optional={"allow_promotion_codes": st.booleans()},
            ).map(lambda recovery: {"recovery": recovery})
    if mode == "subscription":
        entries["payment_method_collection"] = st.sampled_from(
            PAYMENT_METHOD_COLLECTION
        )
        entries["subscription_data"] = subscription_datas()
    if mode == "setup":
        entries["setup_intent_data"] = setup_intent_datas()
    return {name: s for name, s in entries.items() if name not in exclude}


def _settle_couplings(params: Params, exclude: frozenset[str]) -> None:
    # Rules between optional keys that a flat fixed_dictionaries cannot
    # express; each edit only removes a key or sets a value, so shrinking
    # stays monotone.
    if "customer" in params:
        params.pop("customer_creation", None)
        if params.get("tax_id_collection", {}).get("enabled"):
            if "customer_update" in exclude:
                del params["tax_id_collection"]
            else:
                params["customer_update"] = {
                    **params.get("customer_update", {}),
                    "name": "auto",
                }


def _required_entries(
    draw: st.DrawFn,
    *,
    mode: Mode,
    ui_mode: UiMode,
    currency: str,
    price_kind: PriceKind | None,
    currency_given: bool,
    exclude: frozenset[str],
) -> Params:
    params: Params = {"mode": mode}
    if ui_mode == "embedded":
        params["ui_mode"] = "embedded"
        redirect = draw(st.none() | st.sampled_from(REDIRECT_ON_COMPLETION))
        if redirect is not None:
            params["redirect_on_completion"] = redirect
        if redirect != "never":
            params["return_url"] = draw(return_urls())
    else:
        if draw(st.booleans()):
            params["ui_mode"] = "hosted"
        params["success_url"] = draw(success_urls())
    if mode == "setup":
        # setup mode names a currency, payment_method_types, or both.
        choices = (
            ["currency", "both"] if currency_given else ["currency", "types", "both"]
        )
        if "payment_method_types" in exclude:
            choices = ["currency"]
        choice = draw(st.sampled_from(choices))
        if choice in ("currency", "both"):
            params["currency"] = currency
        if choice in ("types", "both"):
            params["payment_method_types"] = ["card"]
    else:
        params["line_items"] = draw(items_for_mode(mode, currency, price_kind))
    return params


@cached
def session_params(
    *,
    mode: Mode | None = None,
    ui_mode: UiMode | None = None,
    price_kind: PriceKind | None = None,
    currency: str | None = None,
    exclude: frozenset[str] = frozenset(),
) -> st.SearchStrategy[Params]:
    """`session_create_params` that never draws the optional keys in `exclude`.

    Boundaries and invalid cases start from these so that their one change
    cannot collide with an optional key. With "payment_method_types" in
    `exclude`, setup sessions always name their `currency`.
    """

    def build(draw: st.DrawFn) -> Params:
        modes = MODES if price_kind is None else _MODES_WITH_LINE_ITEMS
        chosen_mode: Mode = mode if mode else draw(st.sampled_from(modes))
        chosen_ui: UiMode = ui_mode if ui_mode else draw(st.sampled_from(UI_MODES))
        chosen_currency = currency or draw(currencies())
        event(f"mode: {chosen_mode}")
        event(f"ui_mode: {chosen_ui}")
        if chosen_currency in ZERO_DECIMAL_CURRENCIES:
            event("zero-decimal currency")
        params = _required_entries(
            draw,
            mode=chosen_mode,
            ui_mode=chosen_ui,
            currency=chosen_currency,
            price_kind=price_kind,
            currency_given=currency is not None,
            exclude=exclude,
        )
        optional = optional_entries(
            mode=chosen_mode,
            ui_mode=chosen_ui,
            currency=chosen_currency,
            exclude=exclude,
        )
        optional = {k: v for k, v in optional.items() if k not in params}
        drawn = draw(st.fixed_dictionaries({}, optional=optional))
        for name, value in drawn.items():
            if name.startswith(_BUNDLE):
                params.update(value)
            else:
                params[name] = value
        _settle_couplings(params, exclude)
        # Sub-strategies such as st.just() hand out one shared object: give
        # every draw, and every place within it, containers of its own.
        return fresh_tree(params)

    return st.composite(build)()


def session_create_params(
    *,
    mode: Mode | None = None,
    ui_mode: UiMode | None = None,
    price_kind: PriceKind | None = None,
    currency: str | None = None,
) -> st.SearchStrategy[Params]:
    """Valid `POST /v1/checkout/sessions` params for Stripe-Version 2024-04-10.

    Valid by construction, never by filtering: `mode` and `ui_mode` are drawn
    first, then what they require, then optional keys.

    * payment / subscription: `line_items` (see `line_items()`); setup: no
      line items, and `currency` and/or `payment_method_types=["card"]`.
    * hosted (`ui_mode` absent or "hosted"): `success_url` (sometimes with
      the literal `{CHECKOUT_SESSION_ID}`), optional `cancel_url`.
      embedded: `return_url` unless `redirect_on_completion` is "never".
    * optional keys as the mode allows: metadata, client_reference_id,
      customer_email or customer (`<customer:NAME>`, maybe customer_update),
      expires_at (`<now+SECONDS>`), locale, billing_address_collection,
      payment_method_types, custom_text, custom_fields, allow_promotion_codes,
      phone_number_collection, tax_id_collection, automatic_tax (disabled),
      shipping_address_collection and shipping_options, customer_creation,
      submit_type, payment_intent_data, invoice_creation, after_expiration,
      payment_method_collection, subscription_data, setup_intent_data.

    Arguments fix a choice instead of drawing it: `mode` ("payment",
    "subscription", "setup"), `ui_mode` ("hosted", "embedded"), `price_kind`
    for every line item ("unit_amount", "unit_amount_decimal", "price") and
    `currency` (one of `CURRENCIES`).

    Values that exist only at send time are placeholders: resolve them with
    `resolve_placeholders` just before sending.

    Shrinks towards mode="payment", no `ui_mode` key (hosted), one line item
    (the usd catalogue price) with quantity 1, and no optional keys. A
    failure that needs no line item at all shrinks to mode="setup" with
    `currency="usd"` instead: Hypothesis orders examples by how many choices
    they take, and a setup session has no items to draw.
    """
    check_choice("mode", mode, MODES)
    check_choice("ui_mode", ui_mode, UI_MODES)
    check_choice("price_kind", price_kind, PRICE_KINDS)
    check_choice("currency", currency, CURRENCIES)
    if mode == "setup" and price_kind is not None:
        raise InvalidArgument(
            f"price_kind={price_kind!r} cannot apply with mode='setup', which has "
            "no line items. Pass price_kind=None, or mode='payment' or 'subscription'."
        )
    return session_params(
        mode=mode, ui_mode=ui_mode, price_kind=price_kind, currency=currency
    )
