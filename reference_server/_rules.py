"""The cross-field rules of the reference server (catalogue §2.3, R-01..R-28).

`check_session_create` takes the typed parameters of a create request (already
checked against the OpenAPI schema by `_schema`) and either raises the
`ApiError` Stripe would give or returns a `SessionPlan`: everything needed to
build the session, with amounts computed. Prices and customers are checked the
same way by `check_price_create` and `check_customer_create`.

Each rule is tagged with its catalogue id; where the catalogue is unsure the
choice is listed in `_decisions.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from . import _decisions as decided
from ._errors import (
    ApiError,
    exclusive,
    integer_bound,
    invalid,
    missing,
    no_such,
    not_in_mode,
    shorten,
)

_T = TypeVar("_T")

# Stripe's presentment currencies (lowercase ISO 4217).
SUPPORTED_CURRENCIES = frozenset(
    str.split(
        """
    aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl
    bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur
    fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy
    kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop
    mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg
    qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs top try
    ttd twd tzs uah ugx usd uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw
        """
    )
)

# Currencies whose minor unit is not a hundredth of the major unit; only the wording
# of the L-03 refusal uses them.
ZERO_DECIMAL_CURRENCIES = frozenset(
    str.split("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf")
)
THREE_DECIMAL_CURRENCIES = frozenset(str.split("bhd jod kwd omr"))

# the longest billing period, per interval unit.
MAX_INTERVAL_COUNT = {"day": 1095, "week": 156, "month": 36, "year": 3}
# adjustable quantity bounds.
ADJUSTABLE_MAX = 999_999
ADJUSTABLE_DEFAULT_MAX = 99
# count caps.
MAX_PAYMENT_ITEMS = 100
MAX_SUBSCRIPTION_ITEMS_PER_KIND = 20
MAX_SHIPPING_OPTIONS = 5
MAX_CUSTOM_FIELDS = 3
MAX_PRODUCT_IMAGES = 8
MAX_DISCOUNTS = 1
MAX_DROPDOWN_OPTIONS = 200
# the expiry window, in seconds after creation.
EXPIRES_MIN = 30 * 60
EXPIRES_MAX = 24 * 60 * 60
# the documented maximum length of customer_email.
CUSTOMER_EMAIL_MAX = 800
# the earliest trial end, in seconds after creation.
TRIAL_END_MIN = 48 * 60 * 60

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")


class Lookup(Protocol):
    """Where the rules find the objects a request refers to."""

    def price(self, price_id: str) -> dict[str, Any] | None: ...
    def product(self, product_id: str) -> dict[str, Any] | None: ...
    def customer(self, customer_id: str) -> dict[str, Any] | None: ...
    def coupon(self, coupon_id: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class PriceDraft:
    """The price of a line item: a stored price, or one to create from price_data."""

    stored: Mapping[str, Any] | None
    currency: str
    unit_amount_decimal: Decimal
    recurring: Mapping[str, Any] | None
    tax_behavior: str | None
    product_id: str | None
    product_name: str | None


@dataclass(frozen=True, slots=True)
class ItemPlan:
    """One validated line item; `amount` is quantity x unit amount, exactly."""

    price: PriceDraft
    quantity: int
    unit_amount: int
    amount: int
    description: str


@dataclass(frozen=True, slots=True)
class ShippingPlan:
    """One validated shipping option created from shipping_rate_data."""

    display_name: str
    amount: int


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """A create request that passed every rule, ready to become a session."""

    params: Mapping[str, Any]
    mode: str
    ui_mode: str
    currency: str | None
    items: tuple[ItemPlan, ...]
    shipping: tuple[ShippingPlan, ...]
    customer: Mapping[str, Any] | None
    #: The stored coupon `discounts` names (percent-off), or None.
    coupon: Mapping[str, Any] | None = None


def check_session_create(
    params: Mapping[str, Any], lookup: Lookup, now: int, faults: frozenset[str]
) -> SessionPlan:
    """The plan for a valid create request; raises the refusal for an invalid one."""
    mode = params.get("mode")
    if mode is None and "mode_inferred_when_missing" in faults:
        mode = _inferred_mode(params, lookup)
    if mode is None:
        raise missing("mode")  # R-01, decision R-01
    ui_mode = params.get("ui_mode", "hosted")
    _unless("mode_scope_not_enforced", faults, _check_mode_scoped, params, mode)
    items = _check_line_items(params, mode, lookup, faults)
    _unless("ui_mode_urls_not_enforced", faults, _check_ui_mode_urls, params, ui_mode)
    customer = _unless(
        "customer_rules_not_enforced", faults, _check_customer, params, lookup
    )
    currency = _check_currency(params, mode, items, faults)
    _unless(
        "expiry_window_not_enforced", faults, _check_expires_at, params, now, faults
    )
    _check_customer_email(params)
    coupon = _unless(
        "discount_rules_not_enforced", faults, _check_discounts, params, lookup
    )
    shipping = _check_shipping_options(params, currency, faults)
    _unless("custom_fields_not_checked", faults, _check_custom_fields, params, faults)
    _unless("trial_rules_not_enforced", faults, _check_subscription_data, params, now)
    _check_hosted_references(params)
    _check_total(items, shipping, faults)
    return SessionPlan(
        params=params,
        mode=mode,
        ui_mode=ui_mode,
        currency=currency,
        items=items,
        shipping=shipping,
        customer=customer,
        coupon=coupon,
    )


def _inferred_mode(params: Mapping[str, Any], lookup: Lookup) -> str:
    """The fault's guess at a missing mode: subscription when a line item recurs."""
    for item in params.get("line_items") or ():
        stored = lookup.price(item["price"]) if "price" in item else None
        data = item.get("price_data") or {}
        if (stored or {}).get("recurring") or data.get("recurring"):
            return "subscription"
    return "payment"


def _unless(
    fault: str, faults: frozenset[str], check: Callable[..., _T], *args: Any
) -> _T | None:
    """`check(*args)`; with `fault` on, a refusal it raises is dropped (None), as
    if the server had no such rule."""
    try:
        return check(*args)
    except ApiError:
        if fault in faults:
            return None
        raise


def check_price_create(params: Mapping[str, Any], lookup: Lookup) -> PriceDraft:
    """The draft of a valid `POST /v1/prices`; raises the refusal otherwise."""
    return _price_draft(params, "", lookup, frozenset())


def check_coupon_create(params: Mapping[str, Any]) -> None:
    """Raises the refusal for an invalid `POST /v1/coupons` (percent-off only)."""
    percent = params.get("percent_off")
    if percent is None:
        raise missing("percent_off")  # decision "refs": no amount_off coupons
    if not Decimal(0) < Decimal(percent) <= Decimal(100):
        raise invalid(
            f"Invalid percent_off: {percent}; must be greater than 0 and at most 100",
            "percent_off",
        )
    duration = params.get("duration", "once")
    months = params.get("duration_in_months")
    if (duration == "repeating") != (months is not None):
        raise invalid(
            "duration_in_months is required with duration=repeating, and only then",
            "duration_in_months",
        )
    if months is not None and months < 1:
        raise invalid(
            "Invalid duration_in_months: must be at least 1", "duration_in_months"
        )


def check_customer_create(params: Mapping[str, Any]) -> None:
    """Raises the refusal for an invalid `POST /v1/customers`."""
    email = params.get("email")
    if email is not None and not _EMAIL.fullmatch(email):
        raise invalid(
            f"Invalid email address: {shorten(email)}", "email", code="email_invalid"
        )


# -- mode-scoped parameters ---------------------------------------------------------

_ONLY_IN_MODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payment_intent_data", ("payment",)),
    ("subscription_data", ("subscription",)),
    ("setup_intent_data", ("setup",)),
    ("customer_creation", ("payment", "setup")),
    ("payment_method_collection", ("subscription",)),
    ("submit_type", ("payment",)),  # R-19 (2024-04-10: payment only)
    ("phone_number_collection", ("payment", "subscription")),
    ("saved_payment_method_options", ("payment", "subscription")),
    ("invoice_creation", ("payment",)),  # decision invoice_creation
    ("shipping_options", ("payment", "subscription")),  # decision shipping_options
    ("allow_promotion_codes", ("payment", "subscription")),  # §12 item 8
)


def _check_mode_scoped(params: Mapping[str, Any], mode: str) -> None:
    if mode == "setup" and "line_items" in params:
        raise not_in_mode("line_items", mode)  # R-03 (§12 item 8)
    for name, modes in _ONLY_IN_MODES:
        if name in params and mode not in modes:
            raise not_in_mode(name, mode)


# -- line items --------------------------------------------------------------


def _check_line_items(
    params: Mapping[str, Any], mode: str, lookup: Lookup, faults: frozenset[str]
) -> tuple[ItemPlan, ...]:
    if mode == "setup":
        return ()
    raw_items = params.get("line_items")
    if raw_items is None:
        if "line_items_not_required" in faults:
            return ()
        raise missing("line_items")
    if mode == "payment" and _over_limit(len(raw_items), MAX_PAYMENT_ITEMS, faults):
        raise invalid(
            f"A Checkout Session in `payment` mode can have at most "
            f"{MAX_PAYMENT_ITEMS} line items; {len(raw_items)} were given.",
            "line_items",
        )
    checked = (
        _check_line_item(item, f"line_items[{index}]", lookup, faults)
        for index, item in enumerate(raw_items)
    )
    items = tuple(item for item in checked if item is not None)
    recurring = [item for item in items if item.price.recurring is not None]
    mismatch_accepted = "recurring_mode_mismatch_accepted" in faults
    if mode == "subscription":
        one_time = len(items) - len(recurring)
        if _over_limit(
            len(recurring), MAX_SUBSCRIPTION_ITEMS_PER_KIND, faults
        ) or _over_limit(one_time, MAX_SUBSCRIPTION_ITEMS_PER_KIND, faults):
            raise invalid(
                f"A Checkout Session in `subscription` mode can have at most "
                f"{MAX_SUBSCRIPTION_ITEMS_PER_KIND} recurring and "
                f"{MAX_SUBSCRIPTION_ITEMS_PER_KIND} one-time line items.",
                "line_items",
            )
        if not recurring and not mismatch_accepted:
            raise invalid(
                "You must provide at least one recurring price in `subscription` "
                "mode when using prices.",
                "line_items",
            )
    if mode == "payment" and not mismatch_accepted:
        for index, item in enumerate(items):
            if item.price.recurring is not None:
                param = (
                    f"line_items[{index}][price]"
                    if item.price.stored is not None
                    else f"line_items[{index}][price_data][recurring]"
                )
                raise invalid(
                    "You specified `payment` mode but passed a recurring price. "
                    "Either switch to `subscription` mode or use only one-time "
                    "prices.",
                    param,
                )  # R-07, decision R-07
    for index, item in enumerate(items[1:], start=1):
        if item.price.currency != items[0].price.currency and (
            "mixed_currencies_accepted" not in faults
        ):
            param = (
                f"line_items[{index}][price]"
                if item.price.stored is not None
                else f"line_items[{index}][price_data][currency]"
            )
            raise invalid(
                "All line items must use the same currency; "
                f"line_items[{index}] uses {item.price.currency}, line_items[0] "
                f"uses {items[0].price.currency}.",
                param,
            )  # R-15, decision R-15
    return items


def _over_limit(count: int, limit: int, faults: frozenset[str]) -> bool:
    """R-04: whether `count` line items break `limit`."""
    return _over(
        count,
        limit,
        dropped="line_item_limits_not_enforced" in faults,
        exclusive="line_item_limits_exclusive" in faults,
    )


def _over(
    value: int | Decimal, limit: int, *, dropped: bool = False, exclusive: bool = False
) -> bool:
    """Whether `value` breaks the inclusive upper `limit`; the faults' versions: a
    limit `dropped` (never broken), or an `exclusive` one (the limit itself breaks
    it)."""
    if dropped:
        return False
    return value >= limit if exclusive else value > limit


def _check_line_item(
    item: Mapping[str, Any], param: str, lookup: Lookup, faults: frozenset[str]
) -> ItemPlan | None:
    """The plan of one line item; None only when a fault drops it."""
    lenient = "price_source_not_checked" in faults
    if "price" in item and "price_data" in item and not lenient:
        raise exclusive("price", "price_data", param=f"{param}[price_data]")
    if "price" in item:
        stored = lookup.price(item["price"])
        if stored is not None:
            price = _draft_from_stored(stored, lookup)
        elif "unknown_price_accepted" in faults:
            price = PriceDraft(
                stored=None,
                currency="usd",
                unit_amount_decimal=Decimal(1000),
                recurring=None,
                tax_behavior=None,
                product_id=None,
                product_name="Item",
            )
        else:
            raise no_such("price", item["price"], status=400, param=f"{param}[price]")
    elif "price_data" in item:
        price = _price_draft(
            item["price_data"], f"{param}[price_data]", lookup, faults, lenient=lenient
        )
    elif lenient:
        return None
    else:
        raise invalid(
            f"You must specify either `price` or `price_data` in `{param}`.", param
        )
    unit = _whole_unit_amount(price, param, faults)
    if "quantity" not in item and "quantity_defaults_to_one" not in faults:
        raise invalid(f"Quantity is required. Add `quantity` to `{param}`", param)
    quantity = item.get("quantity", 1)
    if "negative_quantity_read_as_positive" in faults:
        quantity = abs(quantity)
    _check_quantity(quantity, f"{param}[quantity]", faults)
    _unless(
        "adjustable_quantity_not_checked",
        faults,
        _check_adjustable_quantity,
        item.get("adjustable_quantity"),
        quantity,
        param,
        faults,
    )
    for name in ("tax_rates", "dynamic_tax_rates"):
        for index, rate in enumerate(item.get(name, ())):
            raise no_such(
                "tax rate", rate, status=400, param=f"{param}[{name}][{index}]"
            )
    return ItemPlan(
        price=price,
        quantity=quantity,
        unit_amount=unit,
        amount=unit * quantity,
        description=_description(price, lookup),
    )


def _whole_unit_amount(price: PriceDraft, param: str, faults: frozenset[str]) -> int:
    """L-03: Checkout refuses prices finer than the currency's minor unit."""
    unit = price.unit_amount_decimal
    if unit == unit.to_integral_value():
        return int(unit)
    if "fractional_amounts_rounded" in faults:
        return int(unit.to_integral_value())
    currency = price.currency
    places = _minor_unit_places(currency)
    major = format((unit / 10**places).normalize(), "f")
    shown = f"${major}" if currency == "usd" else f"{major} {currency.upper()}"
    floor = int(unit)
    raise invalid(
        f"Checkout does not currently support {currency} prices with more than "
        f"{places} decimal places in `{param}`. You passed `{format(unit, 'f')}` "
        f"corresponding to `{shown}`, which is not supported. You can round your "
        f"price and pass in `unit_amount: {floor}` or `unit_amount: {floor + 1}` "
        "instead.",
        param,
    )  # decision L-03


def _minor_unit_places(currency: str) -> int:
    if currency in ZERO_DECIMAL_CURRENCIES:
        return 0
    if currency in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def _check_quantity(quantity: int, param: str, faults: frozenset[str]) -> None:
    if "reject_quantity_above_one" in faults and quantity > 1:
        raise integer_bound(param, maximum=1)
    if quantity == 0 and "quantity_zero_accepted" in faults:
        return
    if quantity < 1:
        raise integer_bound(param, minimum=1)  # R-06 (§12 item 10)


def _check_adjustable_quantity(
    adjustable: Mapping[str, Any] | None,
    quantity: int,
    param: str,
    faults: frozenset[str],
) -> None:
    """R-06: minimum >= 0, maximum <= 999999, minimum <= quantity <= maximum."""
    if adjustable is None:
        return
    name = f"{param}[adjustable_quantity]"
    minimum = adjustable.get("minimum", 0)
    maximum = adjustable.get("maximum", ADJUSTABLE_DEFAULT_MAX)
    if minimum < 0:
        raise integer_bound(f"{name}[minimum]", minimum=0)
    if maximum > ADJUSTABLE_MAX or (
        maximum == ADJUSTABLE_MAX and "adjustable_maximum_exclusive" in faults
    ):
        raise integer_bound(f"{name}[maximum]", maximum=ADJUSTABLE_MAX)
    if maximum < max(minimum, 1):
        raise integer_bound(f"{name}[maximum]", minimum=max(minimum, 1))
    if adjustable["enabled"] and not minimum <= quantity <= maximum:
        raise invalid(
            f"The quantity of {param} ({quantity}) must lie between the adjustable "
            f"quantity's minimum ({minimum}) and maximum ({maximum}).",
            f"{param}[quantity]",
        )


def _draft_from_stored(stored: Mapping[str, Any], lookup: Lookup) -> PriceDraft:
    product = lookup.product(stored["product"])
    return PriceDraft(
        stored=stored,
        currency=stored["currency"],
        unit_amount_decimal=Decimal(stored["unit_amount_decimal"]),
        recurring=stored["recurring"],
        tax_behavior=stored["tax_behavior"],
        product_id=stored["product"],
        product_name=product["name"] if product else None,
    )


def _price_draft(
    data: Mapping[str, Any],
    param: str,
    lookup: Lookup,
    faults: frozenset[str],
    *,
    lenient: bool = False,
) -> PriceDraft:
    """R-05, R-15, R-27, R-28 on price_data (and on POST /v1/prices); `lenient`:
    the R-05 either-or rules are not checked (a fault's), a missing amount is 0."""

    def name(field: str) -> str:
        return f"{param}[{field}]" if param else field

    currency = data["currency"]
    _check_currency_code(currency, name("currency"), faults)
    if "product" in data and "product_data" in data:
        raise exclusive("product", "product_data", param=name("product_data"))
    product_id: str | None = None
    product_name: str | None = None
    if "product" in data:
        product = lookup.product(data["product"])
        if product is None:
            raise no_such("product", data["product"], status=400, param=name("product"))
        product_id, product_name = product["id"], product["name"]
    elif "product_data" in data:
        product_name = data["product_data"]["name"]
        images = data["product_data"].get("images", ())
        if _over(
            len(images),
            MAX_PRODUCT_IMAGES,
            dropped="image_limit_not_enforced" in faults,
            exclusive="image_limit_exclusive" in faults,
        ):
            raise invalid(
                f"A product can have at most {MAX_PRODUCT_IMAGES} images; "
                f"{len(images)} were given.",
                name("product_data") + "[images]",
            )
    elif not lenient:
        raise invalid(
            f"You must specify either `product` or `product_data` in "
            f"`{param or 'the request'}`.",
            param or "product",
        )
    if "unit_amount" in data and "unit_amount_decimal" in data and not lenient:
        raise exclusive(
            "unit_amount", "unit_amount_decimal", param=name("unit_amount_decimal")
        )
    negative_accepted = "negative_amounts_accepted" in faults
    if "unit_amount" in data:
        amount = data["unit_amount"]
        if amount < 0 and not negative_accepted:
            raise integer_bound(name("unit_amount"), minimum=0)
        if _over_max_amount(amount, faults):
            raise integer_bound(name("unit_amount"), maximum=decided.MAX_AMOUNT)
        unit = Decimal(amount)
    elif "unit_amount_decimal" in data:
        unit = Decimal(data["unit_amount_decimal"])
        if (unit < 0 and not negative_accepted) or _over_max_amount(unit, faults):
            raise invalid(
                f"Invalid unit_amount_decimal: must lie between 0 and "
                f"{decided.MAX_AMOUNT}.",
                name("unit_amount_decimal"),
            )
    elif lenient:
        unit = Decimal(0)
    else:
        raise invalid(
            f"You must specify either `unit_amount` or `unit_amount_decimal` in "
            f"`{param or 'the request'}`.",
            param or "unit_amount",
        )
    recurring = data.get("recurring")
    if recurring is not None:
        recurring = _check_recurring(recurring, name("recurring"), faults)
    return PriceDraft(
        stored=None,
        currency=currency,
        unit_amount_decimal=unit,
        recurring=recurring,
        tax_behavior=data.get("tax_behavior"),
        product_id=product_id,
        product_name=product_name,
    )


def _check_recurring(
    recurring: Mapping[str, Any], param: str, faults: frozenset[str]
) -> dict[str, Any]:
    """R-28: interval_count >= 1 and at most three years in total."""
    interval = recurring["interval"]
    count = recurring.get("interval_count", 1)
    if count < 1:
        raise integer_bound(f"{param}[interval_count]", minimum=1)
    if _over(
        count,
        MAX_INTERVAL_COUNT[interval],
        dropped="interval_limit_not_enforced" in faults,
        exclusive="interval_limit_exclusive" in faults,
    ):
        raise invalid(
            "The maximum billing period is three years (3 years, 36 months, 156 "
            f"weeks or 1095 days); {count} {interval}s is longer.",
            f"{param}[interval_count]",
        )
    return {"interval": interval, "interval_count": count}


def _over_max_amount(amount: int | Decimal, faults: frozenset[str]) -> bool:
    """R-27: whether a unit amount or a session total is above the largest."""
    return _over(
        amount,
        decided.MAX_AMOUNT,
        dropped="amount_limit_not_enforced" in faults,
        exclusive="amount_limit_exclusive" in faults,
    )


def _description(price: PriceDraft, lookup: Lookup) -> str:
    if price.product_name is not None:
        return price.product_name
    product = lookup.product(price.product_id) if price.product_id else None
    return product["name"] if product else ""


# -- ui_mode and URLs --------------------------------------------------------


def _check_ui_mode_urls(params: Mapping[str, Any], ui_mode: str) -> None:
    """R-08 / R-09: which URLs each ui_mode needs and forbids; R-17: valid URLs."""
    if ui_mode == "hosted":
        if "success_url" not in params:
            raise missing("success_url")
        for name in ("return_url", "redirect_on_completion"):
            if name in params:
                raise invalid(
                    f"`{name}` can only be used with `ui_mode: embedded`.", name
                )  # decision R-08
    else:
        forbidden = [n for n in ("cancel_url", "success_url") if n in params]
        if forbidden:
            raise invalid(
                "The following parameters are not supported with "
                f"'ui_mode: embedded': {', '.join(forbidden)}.",
                forbidden[0],
            )  # §12 item 9b
        redirect = params.get("redirect_on_completion", "always")
        if redirect == "never" and "return_url" in params:
            raise invalid(
                "`return_url` cannot be passed when `redirect_on_completion` is "
                "`never`.",
                "return_url",
            )  # §12 item 9b
        if redirect != "never" and "return_url" not in params:
            raise missing("return_url")  # decision R-08
    for name in ("success_url", "cancel_url", "return_url"):
        if name in params and not _is_url(params[name]):
            raise invalid(
                f"Not a valid URL: {shorten(params[name])}", name, code="url_invalid"
            )  # decision R-17


def _is_url(value: str) -> bool:
    if any(char.isspace() for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# -- customer, currency, expiry, strings -------------------------------------


def _check_customer(
    params: Mapping[str, Any], lookup: Lookup
) -> Mapping[str, Any] | None:
    """R-14: customer xor customer_email; customer_update needs customer."""
    if "customer" in params and "customer_email" in params:
        raise exclusive("customer", "customer_email", param="customer_email")
    if "customer_update" in params and "customer" not in params:
        raise invalid(
            "`customer_update` can only be used together with `customer`.",
            "customer_update",
        )
    if "customer" not in params:
        return None
    customer = lookup.customer(params["customer"])
    if customer is None:
        raise no_such("customer", params["customer"], status=400, param="customer")
    return customer


def _check_currency_code(currency: str, param: str, faults: frozenset[str]) -> None:
    if currency not in SUPPORTED_CURRENCIES and "any_currency_accepted" not in faults:
        raise invalid(
            f"Invalid currency: {shorten(currency)}. Stripe currently supports "
            "these currencies, written as lowercase ISO codes: "
            + ", ".join(sorted(SUPPORTED_CURRENCIES)),
            param,
        )  # R-15, decision R-15


def _check_currency(
    params: Mapping[str, Any],
    mode: str,
    items: tuple[ItemPlan, ...],
    faults: frozenset[str],
) -> str | None:
    """R-15: setup needs a currency without payment_method_types; one currency."""
    currency = params.get("currency")
    if currency is not None:
        _check_currency_code(currency, "currency", faults)
    if mode == "setup":
        if (
            currency is None
            and "payment_method_types" not in params
            and "setup_currency_not_required" not in faults
        ):
            raise missing("currency")
        return currency
    if not items:  # only under a fault that accepts an empty cart
        return currency
    items_currency = items[0].price.currency
    if currency is not None and currency != items_currency:
        raise invalid(
            f"The currency {currency} does not match the currency of the line "
            f"items ({items_currency}).",
            "currency",
        )  # decision R-15
    return items_currency


def _check_expires_at(
    params: Mapping[str, Any], now: int, faults: frozenset[str]
) -> None:
    """R-16: expires_at within [created + 30 min, created + 24 h], inclusive."""
    expires_at = params.get("expires_at")
    if expires_at is None:
        return
    if "expiry_window_narrowed" in faults:
        now += 5 * 60 if expires_at < now + EXPIRES_MAX // 2 else -5 * 60
    if expires_at < now + EXPIRES_MIN:
        raise invalid(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout "
            "Session creation.",
            "expires_at",
        )
    if expires_at > now + EXPIRES_MAX:
        raise invalid(
            "The `expires_at` timestamp must be less than 24 hours from Checkout "
            "Session creation.",
            "expires_at",
        )


def _check_customer_email(params: Mapping[str, Any]) -> None:
    """R-17: customer_email at most 800 characters and shaped like an address."""
    email = params.get("customer_email")
    if email is None:
        return
    if len(email) > CUSTOMER_EMAIL_MAX:
        raise invalid(
            f"Invalid string: {shorten(email)}; must be at most "
            f"{CUSTOMER_EMAIL_MAX} characters",
            "customer_email",
        )
    if not _EMAIL.fullmatch(email):
        raise invalid(
            f"Invalid email address: {shorten(email)}",
            "customer_email",
            code="email_invalid",
        )  # decision R-17


# -- discounts, shipping, custom fields, subscription data -------------------


def _check_discounts(
    params: Mapping[str, Any], lookup: Lookup
) -> Mapping[str, Any] | None:
    """R-21, R-22; the stored coupon the one discount names (promotion codes
    cannot exist on this server)."""
    discounts = params.get("discounts")
    if discounts is None:
        return None
    if "allow_promotion_codes" in params:
        raise exclusive("allow_promotion_codes", "discounts", param="discounts")
    if len(discounts) > MAX_DISCOUNTS:
        raise invalid(
            f"You may only specify {MAX_DISCOUNTS} discount per Checkout Session; "
            f"{len(discounts)} were given.",
            "discounts",
        )
    coupon = None
    for index, discount in enumerate(discounts):
        if "coupon" in discount and "promotion_code" in discount:
            raise exclusive(
                "coupon", "promotion_code", param=f"discounts[{index}][promotion_code]"
            )
        if "promotion_code" in discount:
            raise no_such(
                "promotion code",
                discount["promotion_code"],
                status=400,
                param=f"discounts[{index}][promotion_code]",
            )
        if "coupon" in discount:
            coupon = lookup.coupon(discount["coupon"])
            if coupon is None:
                raise no_such(
                    "coupon",
                    discount["coupon"],
                    status=400,
                    param=f"discounts[{index}][coupon]",
                )
    return coupon


def _check_shipping_options(
    params: Mapping[str, Any], currency: str | None, faults: frozenset[str]
) -> tuple[ShippingPlan, ...]:
    """R-23: at most 5 options; each a shipping_rate or shipping_rate_data."""
    options = params.get("shipping_options")
    if options is None:
        return ()
    if _over(
        len(options),
        MAX_SHIPPING_OPTIONS,
        dropped="shipping_option_limit_not_enforced" in faults,
        exclusive="shipping_option_limit_exclusive" in faults,
    ):
        raise invalid(
            f"A Checkout Session can have at most {MAX_SHIPPING_OPTIONS} shipping "
            f"options; {len(options)} were given.",
            "shipping_options",
        )
    plans = []
    for index, option in enumerate(options):
        param = f"shipping_options[{index}]"
        if "shipping_rate" in option and "shipping_rate_data" in option:
            raise exclusive(
                "shipping_rate",
                "shipping_rate_data",
                param=f"{param}[shipping_rate_data]",
            )
        if "shipping_rate" in option:
            raise no_such(
                "shipping rate",
                option["shipping_rate"],
                status=400,
                param=f"{param}[shipping_rate]",
            )
        if "shipping_rate_data" not in option:
            raise missing(f"{param}[shipping_rate_data]")
        data = option["shipping_rate_data"]
        fixed = data.get("fixed_amount")
        if fixed is None:
            raise missing(f"{param}[shipping_rate_data][fixed_amount]")
        amount_param = f"{param}[shipping_rate_data][fixed_amount]"
        if fixed["amount"] < 0:
            raise integer_bound(f"{amount_param}[amount]", minimum=0)
        if fixed["currency"] != currency:
            raise invalid(
                f"The shipping rate's currency ({shorten(fixed['currency'])}) must "
                f"match the Checkout Session's currency ({currency}).",
                f"{amount_param}[currency]",
            )  # decision shipping_options
        plans.append(ShippingPlan(data["display_name"], fixed["amount"]))
    return tuple(plans)


def _check_custom_fields(params: Mapping[str, Any], faults: frozenset[str]) -> None:
    """R-23: at most 3 fields; keys alphanumeric and unique; dropdowns have options."""
    fields = params.get("custom_fields")
    if fields is None:
        return
    if _over(
        len(fields),
        MAX_CUSTOM_FIELDS,
        exclusive="custom_field_limit_exclusive" in faults,
    ):
        raise invalid(
            f"A Checkout Session can have at most {MAX_CUSTOM_FIELDS} custom "
            f"fields; {len(fields)} were given.",
            "custom_fields",
        )
    seen: set[str] = set()
    for index, field in enumerate(fields):
        param = f"custom_fields[{index}]"
        if not _ALNUM.fullmatch(field["key"]):
            raise invalid(
                "Custom field keys may only contain letters and digits.",
                f"{param}[key]",
            )
        if field["key"] in seen:
            raise invalid(
                f"Custom field keys must be unique; {field['key']} repeats.",
                f"{param}[key]",
            )
        seen.add(field["key"])
        if field["type"] == "dropdown":
            dropdown = field.get("dropdown")
            if dropdown is None:
                raise missing(f"{param}[dropdown]")
            _check_dropdown_options(dropdown["options"], f"{param}[dropdown][options]")


def _check_dropdown_options(options: list[Mapping[str, Any]], param: str) -> None:
    if len(options) > MAX_DROPDOWN_OPTIONS:
        raise invalid(
            f"A dropdown can have at most {MAX_DROPDOWN_OPTIONS} options.", param
        )
    values: set[str] = set()
    for index, option in enumerate(options):
        value = option["value"]
        if not _ALNUM.fullmatch(value) or value in values:
            raise invalid(
                "Dropdown option values must be unique and contain only letters and "
                "digits.",
                f"{param}[{index}][value]",
            )
        values.add(value)


def _check_subscription_data(params: Mapping[str, Any], now: int) -> None:
    """R-24: trial_period_days >= 1; trial_end at least 48 hours ahead."""
    data = params.get("subscription_data")
    if data is None:
        return
    days = data.get("trial_period_days")
    if days is not None and days < 1:
        raise integer_bound("subscription_data[trial_period_days]", minimum=1)
    trial_end = data.get("trial_end")
    if trial_end is not None and trial_end < now + TRIAL_END_MIN:
        raise invalid(
            "`subscription_data[trial_end]` must be at least 48 hours in the future.",
            "subscription_data[trial_end]",
        )


def _check_hosted_references(params: Mapping[str, Any]) -> None:
    """Ids of objects this server cannot hold are refused as missing (decision)."""
    for param, kind in _references(params):
        raise no_such(kind, _dig(params, param), status=400, param=param)


def _references(params: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    singles = (
        ("payment_method_configuration", "payment method configuration"),
        ("payment_intent_data[on_behalf_of]", "account"),
        ("payment_intent_data[transfer_data][destination]", "destination"),
        ("setup_intent_data[on_behalf_of]", "account"),
        ("subscription_data[on_behalf_of]", "account"),
        ("subscription_data[transfer_data][destination]", "destination"),
        ("automatic_tax[liability][account]", "account"),
        ("subscription_data[invoice_settings][issuer][account]", "account"),
        ("invoice_creation[invoice_data][issuer][account]", "account"),
    )
    for param, kind in singles:
        if _dig(params, param) is not None:
            yield param, kind
    for param, kind in (
        ("subscription_data[default_tax_rates]", "tax rate"),
        ("invoice_creation[invoice_data][account_tax_ids]", "tax id"),
    ):
        values = _dig(params, param)
        if isinstance(values, list) and values:
            yield f"{param}[0]", kind


def _dig(params: Mapping[str, Any], param: str) -> Any:
    """The value at bracket path `param` (`a[b][0]`), or None."""
    node: Any = params
    for part in param.replace("]", "").split("["):
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _check_total(
    items: tuple[ItemPlan, ...],
    shipping: tuple[ShippingPlan, ...],
    faults: frozenset[str],
) -> None:
    """R-27: the amount due is capped (decision R-27)."""
    total = sum(item.amount for item in items) + (shipping[0].amount if shipping else 0)
    if _over_max_amount(total, faults):
        raise invalid(
            f"The Checkout Session's total amount due must be no more than "
            f"{decided.MAX_AMOUNT} in the currency's smallest unit; it is {total}.",
            "line_items",
        )
