"""Valid `POST /v1/checkout/sessions` params, by construction.

Pinned to Stripe-Version 2024-04-10 (https://docs.stripe.com/api/checkout/sessions/create
?api-version=2024-04-10) as the contract catalogue reads it. `mode` and
`ui_mode` are drawn first, then what they require, then a few optional keys
(each drawn with its value, so that shrinking drops a key and its value
together).

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
from collections.abc import Callable
from operator import itemgetter
from typing import Any, Final, NamedTuple

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
from strategies._line_items import currencies, draw_items
from strategies._placeholders import customer_ref, now_plus
from strategies._support import (
    cached,
    check_choice,
    distinct_names,
    first_of_each,
    integers_between,
    sampled,
    subsets,
)
from strategies._text import (
    client_reference_ids,
    customer_emails,
    draw_plain_text,
    draw_url,
    metadata_maps,
)

Params = dict[str, Any]
_Drawer = Callable[[st.DrawFn], Any]

# Ordinary draws keep five minutes from either end of the expiry window, well
# beyond any plausible clock skew; boundary draws go down to the 60 s margin.
_ORDINARY_EXPIRY_MARGIN: Final = 5 * 60
assert _ORDINARY_EXPIRY_MARGIN >= EXPIRY_SAFETY_MARGIN

_MODES_WITH_LINE_ITEMS: Final[tuple[Mode, ...]] = ("payment", "subscription")
# A session draws 0..6 optional keys, three on average: every key still turns
# up in a few percent of sessions or more, and a session stays cheap to draw.
_MAX_OPTIONAL_KEYS: Final = 6
# Nested objects made only of optional fields get one or two of them.
_MAX_NESTED_FIELDS: Final = 2

# Optional entries whose name starts with this marker are bundles: several
# coupled keys drawn together and merged into the params, so that shrinking
# drops the coupled keys together.
_BUNDLE: Final = "+"

_BOOLEANS: Final = st.booleans()
# None stands for a hosted session that leaves `ui_mode` out (the shrink
# target); "hosted" sends it.
_UI_CHOICES: Final = st.sampled_from((None, "embedded", "hosted"))
_REDIRECT_CHOICES: Final = st.sampled_from((None, *REDIRECT_ON_COMPLETION))
_CUSTOMER_NAMES: Final = st.sampled_from(sorted(CUSTOMER_CATALOGUE))
# Every non-empty `customer_update` (address and/or name), or none at all.
_CUSTOMER_UPDATES: Final = st.sampled_from(
    (
        None,
        *(((field, value),) for field in ("address", "name")
          for value in CUSTOMER_UPDATE_VALUES),
        *((("address", a), ("name", n)) for a in CUSTOMER_UPDATE_VALUES
          for n in CUSTOMER_UPDATE_VALUES),
    )
)  # fmt: skip
_LOCALE_CHOICES: Final = st.sampled_from(LOCALES)
_FIELD_TYPES: Final = st.sampled_from(("text", "numeric", "dropdown"))
_FIELD_KEYS: Final = st.text(
    alphabet=string.ascii_letters + string.digits, min_size=1, max_size=20
)
_OPTIONAL_FLAGS: Final = st.sampled_from((None, False, True))
_MAX_DROPDOWN_OPTIONS: Final = 3
_MAX_ORDINARY_COUNTRIES: Final = 3
_RATE_EXTRAS: Final = st.sampled_from(
    (None, "type", "delivery_estimate", "tax_behavior", "metadata")
)
_DELIVERY_UNITS: Final = st.sampled_from(DELIVERY_ESTIMATE_UNITS)
_TAX_BEHAVIOR_CHOICES: Final = st.sampled_from(TAX_BEHAVIORS)
# (enabled, allow_promotion_codes or None for absent)
_RECOVERY_CHOICES: Final = st.sampled_from(
    [(enabled, allow) for enabled in (False, True) for allow in (None, False, True)]
)
_INVOICE_SHAPES: Final = st.sampled_from(("disabled", "enabled", "with data"))


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


def draw_partial_dict(
    draw: st.DrawFn, fields: tuple[tuple[str, _Drawer], ...]
) -> dict[str, Any]:
    """Draw a dict of one or two of `fields` (name, drawer), in `fields` order.

    An empty object encodes to nothing on the wire, so optional objects made
    only of optional keys get at least one. Shrinks to the first field alone.
    """
    names = tuple(name for name, _ in fields)
    chosen = draw(
        subsets(names, min_size=1, max_size=min(_MAX_NESTED_FIELDS, len(names)))
    )
    return {name: drawer(draw) for name, drawer in fields if name in chosen}


def _description(draw: st.DrawFn) -> str:
    return draw_plain_text(draw)


def _small_metadata(draw: st.DrawFn) -> dict[str, str]:
    return draw(metadata_maps(max_size=2))


def _custom_text_message(draw: st.DrawFn) -> dict[str, str]:
    return {"message": draw_plain_text(draw)}


_CUSTOM_TEXT_FIELDS: Final = {
    "setup": (("submit", _custom_text_message),),
    "other": (("submit", _custom_text_message), ("after_submit", _custom_text_message)),
}


def draw_custom_text(draw: st.DrawFn, mode: Mode) -> dict[str, Any]:
    """Draw `custom_text`: a message at `submit` (and `after_submit` outside setup)."""
    return draw_partial_dict(
        draw, _CUSTOM_TEXT_FIELDS["setup" if mode == "setup" else "other"]
    )


def _length_limits(draw: st.DrawFn) -> dict[str, int] | None:
    minimum = draw(integers_between(0, 10))
    if not minimum:
        return None
    return {
        "minimum_length": minimum,
        "maximum_length": draw(integers_between(minimum, 100)),
    }


@st.composite
def _dropdown_options(draw: st.DrawFn) -> dict[str, str]:
    return {"label": draw_plain_text(draw, 40), "value": draw(_FIELD_KEYS)}


@cached
def _dropdown_option_lists() -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(_dropdown_options(), min_size=1, max_size=_MAX_DROPDOWN_OPTIONS)


@st.composite
def _custom_field_items(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(_FIELD_TYPES)
    field: dict[str, Any] = {
        "key": draw(_FIELD_KEYS),
        "label": {"type": "custom", "custom": draw_plain_text(draw, 50)},
        "type": kind,
    }
    if kind == "dropdown":
        options = draw(_dropdown_option_lists())
        values = distinct_names((o["value"] for o in options), max_length=100)
        for option, value in zip(options, values, strict=True):
            option["value"] = value
        field["dropdown"] = {"options": options}
    else:
        limits = _length_limits(draw)
        if limits is not None:
            field[kind] = limits
    optional = draw(_OPTIONAL_FLAGS)
    if optional is not None:
        field["optional"] = optional
    return field


@cached
def _custom_field_lists() -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(_custom_field_items(), min_size=1, max_size=MAX_CUSTOM_FIELDS)


@st.composite
def _custom_fields(draw: st.DrawFn) -> list[dict[str, Any]]:
    fields = draw(_custom_field_lists())
    keys = distinct_names((field["key"] for field in fields), max_length=200)
    for field, key in zip(fields, keys, strict=True):
        field["key"] = key
    return fields


@cached
def custom_fields() -> st.SearchStrategy[list[dict[str, Any]]]:
    """1..3 custom fields with unique alphanumeric keys (R-23).

    Text and numeric fields sometimes carry length limits, dropdowns 1..3
    options with unique values. Shrinks towards one text field with a
    one-character key.
    """
    return _custom_fields()


@cached
def _country_lists(max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.sampled_from(SHIPPING_COUNTRIES), min_size=1, max_size=max_size, unique=True
    )


def draw_shipping_address_collection(draw: st.DrawFn) -> dict[str, Any]:
    """Draw `shipping_address_collection` with 1..3 supported countries."""
    return {"allowed_countries": draw(_country_lists(_MAX_ORDINARY_COUNTRIES))}


@st.composite
def _shipping_address_collections(draw: st.DrawFn) -> dict[str, Any]:
    return draw_shipping_address_collection(draw)


@cached
def shipping_address_collections() -> st.SearchStrategy[dict[str, Any]]:
    """`shipping_address_collection` with 1..3 supported countries."""
    return _shipping_address_collections()


@cached
def shipping_amounts(currency: str) -> st.SearchStrategy[int]:
    """Shipping fees in minor units, free included."""
    cap = 50_000 if currency == "krw" else 5_000
    return st.integers(0, cap)


def _delivery_estimate(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(_DELIVERY_UNITS)
    low = draw(integers_between(1, 5))
    return {
        "minimum": {"unit": unit, "value": low},
        "maximum": {"unit": unit, "value": draw(integers_between(low, 10))},
    }


@st.composite
def _shipping_rates(draw: st.DrawFn, currency: str) -> dict[str, Any]:
    rate: dict[str, Any] = {
        "display_name": draw_plain_text(draw, 50),
        "fixed_amount": {
            "amount": draw(shipping_amounts(currency)),
            "currency": currency,
        },
    }
    extra = draw(_RATE_EXTRAS)
    if extra == "type":
        rate["type"] = "fixed_amount"
    elif extra == "delivery_estimate":
        rate["delivery_estimate"] = _delivery_estimate(draw)
    elif extra == "tax_behavior":
        rate["tax_behavior"] = draw(_TAX_BEHAVIOR_CHOICES)
    elif extra == "metadata":
        rate["metadata"] = draw(metadata_maps(max_size=2))
    return {"shipping_rate_data": rate}


@cached
def shipping_options(
    *, currency: str, min_size: int = 1, max_size: int = 3
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """`shipping_options` built from `shipping_rate_data` in `currency`.

    Each rate has a display name and a fixed amount, and at most one more
    field (type, delivery estimate, tax behaviour or metadata).
    """
    check_choice("currency", currency, CURRENCIES)
    return st.lists(_shipping_rates(currency), min_size=min_size, max_size=max_size)


_PAYMENT_INTENT_FIELDS: Final[tuple[tuple[str, _Drawer], ...]] = (
    ("description", _description),
    ("metadata", _small_metadata),
    ("capture_method", lambda draw: draw(sampled(CAPTURE_METHODS))),
    ("setup_future_usage", lambda draw: draw(sampled(SETUP_FUTURE_USAGES))),
    ("receipt_email", lambda draw: draw(customer_emails())),
)
_SUBSCRIPTION_FIELDS: Final[tuple[tuple[str, _Drawer], ...]] = (
    ("trial_period_days", lambda draw: draw(integers_between(1, 365))),
    ("description", _description),
    ("metadata", _small_metadata),
)
_SETUP_INTENT_FIELDS: Final[tuple[tuple[str, _Drawer], ...]] = (
    ("description", _description),
    ("metadata", _small_metadata),
)
_INVOICE_DATA_FIELDS: Final[tuple[tuple[str, _Drawer], ...]] = (
    ("description", _description),
    ("footer", _description),
    ("metadata", _small_metadata),
)


def _subscription_data(draw: st.DrawFn) -> dict[str, Any]:
    # Trial days are at least 1; trial settings only with a trial.
    data = draw_partial_dict(draw, _SUBSCRIPTION_FIELDS)
    if "trial_period_days" in data and draw(_BOOLEANS):
        data["trial_settings"] = {
            "end_behavior": {
                "missing_payment_method": draw(
                    sampled(MISSING_PAYMENT_METHOD_BEHAVIORS)
                )
            }
        }
    return data


def _invoice_creation(draw: st.DrawFn) -> dict[str, Any]:
    # `invoice_data` only when enabled.
    shape = draw(_INVOICE_SHAPES)
    if shape == "disabled":
        return {"enabled": False}
    if shape == "enabled":
        return {"enabled": True}
    return {
        "enabled": True,
        "invoice_data": draw_partial_dict(draw, _INVOICE_DATA_FIELDS),
    }


def _after_expiration(draw: st.DrawFn) -> dict[str, Any]:
    enabled, allow = draw(_RECOVERY_CHOICES)
    recovery: dict[str, Any] = {"enabled": enabled}
    if allow is not None:
        recovery["allow_promotion_codes"] = allow
    return {"recovery": recovery}


class _Session(NamedTuple):
    """What the optional keys of a session depend on."""

    mode: Mode
    ui_mode: UiMode
    currency: str
    exclude: frozenset[str]


def _identity(draw: st.DrawFn, session: _Session) -> Params:
    # customer_email XOR customer; customer_update only with customer.
    options = tuple(
        name for name in ("customer_email", "customer") if name not in session.exclude
    )
    if draw(sampled(options)) == "customer_email":
        return {"customer_email": draw(customer_emails())}
    chosen: Params = {"customer": customer_ref(draw(_CUSTOMER_NAMES))}
    if session.mode != "setup" and "customer_update" not in session.exclude:
        update = draw(_CUSTOMER_UPDATES)
        if update is not None:
            chosen["customer_update"] = dict(update)
    return chosen


def _shipping(draw: st.DrawFn, session: _Session) -> Params:
    bundle: Params = {
        "shipping_address_collection": draw_shipping_address_collection(draw)
    }
    if (
        session.mode == "payment"
        and "shipping_options" not in session.exclude
        and draw(_BOOLEANS)
    ):
        bundle["shipping_options"] = draw(shipping_options(currency=session.currency))
    return bundle


_SessionDrawer = Callable[[st.DrawFn, _Session], Any]


def _field(draw_value: _Drawer) -> _SessionDrawer:
    return lambda draw, _session: draw_value(draw)


def _constant(value: Callable[[], Any]) -> _SessionDrawer:
    return lambda _draw, _session: value()


# Every optional key (or bundle) and how to draw it; `_optional_names` says
# which apply to a session. Order matters: shrinking prefers earlier keys.
_OPTIONAL_DRAWERS: Final[dict[str, _SessionDrawer]] = {
    "metadata": _field(lambda draw: draw(metadata_maps())),
    "client_reference_id": _field(lambda draw: draw(client_reference_ids())),
    f"{_BUNDLE}identity": _identity,
    "expires_at": _field(lambda draw: now_plus(draw(expiry_offsets()))),
    "locale": _field(lambda draw: draw(_LOCALE_CHOICES)),
    "billing_address_collection": _field(
        lambda draw: draw(sampled(BILLING_ADDRESS_COLLECTION))
    ),
    "payment_method_types": _constant(lambda: ["card"]),
    "custom_text": lambda draw, session: draw_custom_text(draw, session.mode),
    "cancel_url": _field(lambda draw: draw_url(draw, with_session_id=False)),
    "allow_promotion_codes": _field(lambda draw: draw(_BOOLEANS)),
    "phone_number_collection": _field(lambda draw: {"enabled": draw(_BOOLEANS)}),
    "tax_id_collection": _field(lambda draw: {"enabled": draw(_BOOLEANS)}),
    "custom_fields": _field(lambda draw: draw(custom_fields())),
    "automatic_tax": _constant(lambda: {"enabled": False}),
    f"{_BUNDLE}shipping": _shipping,
    "customer_creation": _field(lambda draw: draw(sampled(CUSTOMER_CREATION))),
    "submit_type": _field(lambda draw: draw(sampled(SUBMIT_TYPES))),
    "payment_intent_data": _field(
        lambda draw: draw_partial_dict(draw, _PAYMENT_INTENT_FIELDS)
    ),
    "invoice_creation": _field(_invoice_creation),
    "after_expiration": _field(_after_expiration),
    "payment_method_collection": _field(
        lambda draw: draw(sampled(PAYMENT_METHOD_COLLECTION))
    ),
    "subscription_data": _field(_subscription_data),
    "setup_intent_data": _field(
        lambda draw: draw_partial_dict(draw, _SETUP_INTENT_FIELDS)
    ),
}


@cached
def _optional_names(session: _Session, taken: frozenset[str]) -> tuple[str, ...]:
    """The optional keys a valid session of this kind may carry."""
    mode, exclude = session.mode, session.exclude
    allowed = {
        "metadata", "client_reference_id", "expires_at", "locale",
        "billing_address_collection", "payment_method_types", "custom_text",
    }  # fmt: skip
    if not {"customer_email", "customer"} <= exclude:
        allowed.add(f"{_BUNDLE}identity")
    if session.ui_mode == "hosted":
        allowed.add("cancel_url")
    if mode in ("payment", "subscription"):
        allowed |= {
            "allow_promotion_codes", "phone_number_collection", "tax_id_collection",
            "custom_fields", "automatic_tax",
        }  # fmt: skip
        if "shipping_address_collection" not in exclude:
            allowed.add(f"{_BUNDLE}shipping")
    if mode in ("payment", "setup"):
        allowed.add("customer_creation")
    if mode == "payment":
        allowed |= {"submit_type", "payment_intent_data", "invoice_creation"}
        if session.ui_mode == "hosted":
            allowed.add("after_expiration")
    if mode == "subscription":
        allowed |= {"payment_method_collection", "subscription_data"}
    if mode == "setup":
        allowed.add("setup_intent_data")
    return tuple(
        name
        for name in _OPTIONAL_DRAWERS
        if name in allowed and name not in exclude and name not in taken
    )


@st.composite
def _optional_entries(
    draw: st.DrawFn, session: _Session, names: tuple[str, ...]
) -> tuple[str, Any]:
    name = draw(sampled(names))
    return name, _OPTIONAL_DRAWERS[name](draw, session)


@cached
def _optional_entry_lists(
    session: _Session, names: tuple[str, ...]
) -> st.SearchStrategy[list[tuple[str, Any]]]:
    return st.lists(_optional_entries(session, names), max_size=_MAX_OPTIONAL_KEYS)


def _settle_couplings(params: Params, exclude: frozenset[str]) -> None:
    # Rules between optional keys that independent draws cannot express;
    # each edit only removes a key or sets a value, so shrinking stays
    # monotone.
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
    ui_mode: UiMode | None,
    currency: str,
    price_kind: PriceKind | None,
    currency_given: bool,
    exclude: frozenset[str],
) -> tuple[Params, UiMode]:
    params: Params = {"mode": mode}
    shown: UiMode | None = ui_mode
    if ui_mode is None:
        shown = draw(_UI_CHOICES)
    elif ui_mode == "hosted" and not draw(_BOOLEANS):
        shown = None
    if shown is not None:
        params["ui_mode"] = shown
    if shown == "embedded":
        # The URL is drawn even when "never" drops it, so that an embedded
        # session always takes more choices than a hosted one: Hypothesis
        # shrinks towards fewer choices, and the shrink target is hosted.
        return_url = draw_url(draw, with_session_id=True)
        redirect = draw(_REDIRECT_CHOICES)
        if redirect is not None:
            params["redirect_on_completion"] = redirect
        if redirect != "never":
            params["return_url"] = return_url
    else:
        params["success_url"] = draw_url(draw, with_session_id=True)
    if mode == "setup":
        # setup mode names a currency, payment_method_types, or both.
        choices: tuple[str, ...] = (
            ("currency", "both") if currency_given else ("currency", "types", "both")
        )
        if "payment_method_types" in exclude:
            choices = ("currency",)
        choice = draw(sampled(choices))
        if choice in ("currency", "both"):
            params["currency"] = currency
        if choice in ("types", "both"):
            params["payment_method_types"] = ["card"]
    else:
        params["line_items"] = draw_items(
            draw, mode=mode, currency=currency, price_kind=price_kind
        )
    return params, "embedded" if shown == "embedded" else "hosted"


@st.composite
def _session_params(
    draw: st.DrawFn,
    mode: Mode | None,
    ui_mode: UiMode | None,
    price_kind: PriceKind | None,
    currency: str | None,
    exclude: frozenset[str],
    *,
    dense: bool,
) -> Params:
    modes = MODES if price_kind is None else _MODES_WITH_LINE_ITEMS
    chosen_mode: Mode = mode if mode else draw(sampled(modes))
    chosen_currency = currency or draw(currencies())
    params, chosen_ui = _required_entries(
        draw,
        mode=chosen_mode,
        ui_mode=ui_mode,
        currency=chosen_currency,
        price_kind=price_kind,
        currency_given=currency is not None,
        exclude=exclude,
    )
    event(f"mode: {chosen_mode}")
    event(f"ui_mode: {chosen_ui}")
    if chosen_currency in ZERO_DECIMAL_CURRENCIES:
        event("zero-decimal currency")
    session = _Session(chosen_mode, chosen_ui, chosen_currency, exclude)
    names = _optional_names(session, frozenset(params).intersection(_OPTIONAL_DRAWERS))
    if dense:
        # A coin per key: about half of every allowed key in each draw. Dearer to
        # draw, for the contracts about fields surviving a round trip.
        entries = [
            (name, _OPTIONAL_DRAWERS[name](draw, session))
            for name in names
            if draw(_BOOLEANS)
        ]
    elif names:
        entries = draw(_optional_entry_lists(session, names))
    else:
        entries = []
    for name, value in first_of_each(entries, itemgetter(0)):
        if name.startswith(_BUNDLE):
            params.update(value)
        else:
            params[name] = value
    _settle_couplings(params, exclude)
    return params


@cached
def session_params(
    *,
    mode: Mode | None = None,
    ui_mode: UiMode | None = None,
    price_kind: PriceKind | None = None,
    currency: str | None = None,
    exclude: frozenset[str] = frozenset(),
    dense: bool = False,
) -> st.SearchStrategy[Params]:
    """`session_create_params` that never draws the optional keys in `exclude`.

    Boundaries and invalid cases start from these so that their one change
    cannot collide with an optional key. With "payment_method_types" in
    `exclude`, setup sessions always name their `currency`.
    """
    return _session_params(mode, ui_mode, price_kind, currency, exclude, dense=dense)


def session_create_params(
    *,
    mode: Mode | None = None,
    ui_mode: UiMode | None = None,
    price_kind: PriceKind | None = None,
    currency: str | None = None,
    dense: bool = False,
) -> st.SearchStrategy[Params]:
    """Valid `POST /v1/checkout/sessions` params for Stripe-Version 2024-04-10.

    Valid by construction, never by filtering: `mode` and `ui_mode` are drawn
    first, then what they require, then optional keys.

    * payment / subscription: `line_items` (see `line_items()`); setup: no
      line items, and `currency` and/or `payment_method_types=["card"]`.
    * hosted (`ui_mode` absent or "hosted"): `success_url` (sometimes with
      the literal `{CHECKOUT_SESSION_ID}`), optional `cancel_url`.
      embedded: `return_url` unless `redirect_on_completion` is "never".
      Undrawn, `ui_mode` is absent, "embedded" or "hosted" a third of the
      time each.
    * 0..6 optional keys (three on average; with `dense=True`, a coin flip per
      allowed key, about half of them: for contracts about fields surviving a
      round trip), each as the mode allows:
      metadata, client_reference_id, customer_email or customer
      (`<customer:NAME>`, maybe customer_update), expires_at
      (`<now+SECONDS>`), locale, billing_address_collection,
      payment_method_types, custom_text, custom_fields,
      allow_promotion_codes, phone_number_collection, tax_id_collection,
      automatic_tax (disabled), shipping_address_collection (with
      shipping_options in payment mode), customer_creation, submit_type,
      payment_intent_data, invoice_creation, after_expiration,
      payment_method_collection, subscription_data, setup_intent_data.
      Nested objects of optional fields carry one or two of them.

    Arguments fix a choice instead of drawing it: `mode` ("payment",
    "subscription", "setup"), `ui_mode` ("hosted", "embedded"), `price_kind`
    for every line item ("unit_amount", "unit_amount_decimal", "price") and
    `currency` (one of `CURRENCIES`).

    Values that exist only at send time are placeholders: resolve them with
    `resolve_placeholders` just before sending. Every draw is a fresh tree:
    no container is shared between draws or between two places of one draw.

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
        mode=mode,
        ui_mode=ui_mode,
        price_kind=price_kind,
        currency=currency,
        dense=dense,
    )
