"""Line items: currencies, amounts, billing periods, prices and quantities.

Rules followed by construction (catalogue §2.2, §2.3):

* each item has exactly one of `price` (a `<price:NAME>` catalogue ref of the
  session's currency and billing period) or `price_data` (`product_data`, never
  `product`; exactly one of `unit_amount` / `unit_amount_decimal`) (R-05);
* all items of a session share one currency (R-15);
* a subscription has 1..20 recurring items, all on one billing period, plus
  0..20 one-time items; payment mode has 1..100 one-time items (R-04, R-07);
* `interval_count` keeps the period within three years (R-28);
* quantities are positive; `adjustable_quantity` brackets the quantity (R-06);
* every unit amount clears the currency's minimum charge and the total stays
  far below the eight-digit maximum (R-27); decimal amounts are whole minor
  units, since Checkout refuses finer prices;
* a catalogue price appears at most once per session (a subscription cannot
  hold the same price twice).

Items are drawn in two steps so that strategies can be built once and
reused: a cached list strategy draws the parts that depend only on the
currency and the price kinds (the kind, product, amount, quantity), then the
group's billing period, tax behaviour and catalogue price are filled in.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from hypothesis import strategies as st

from strategies._api import (
    CURRENCIES,
    INTERVALS,
    MAX_INTERVAL_COUNT,
    MINIMUM_UNIT_AMOUNT,
    PRICE_KINDS,
    TAX_BEHAVIORS,
    TAX_CODES,
    Interval,
    PriceKind,
    Recurrence,
)
from strategies._fixtures import catalogue_recurrences, price_names
from strategies._placeholders import price_ref
from strategies._support import (
    cached,
    check_choice,
    first_of_each,
    integers_between,
    sampled,
)
from strategies._text import (
    EXAMPLE_HOSTS,
    LOWER_WORDS,
    draw_plain_text,
    metadata_maps,
)

LineItem = dict[str, Any]
ItemsMode = Literal["payment", "subscription"]

# Caps for ordinary draws: totals stay far below the eight-digit maximum even
# with five items of quantity ten.
_UNIT_AMOUNT_CAP: Final = {"usd": 100_000, "eur": 100_000, "gbp": 100_000,
                           "jpy": 100_000, "krw": 1_000_000}  # fmt: skip
_MAX_QUANTITY: Final = 10
_MAX_ADJUSTABLE_MAXIMUM: Final = 99
_MAX_PAYMENT_ITEMS: Final = 3
_MAX_RECURRING_ITEMS: Final = 3
_MAX_ONE_TIME_ITEMS_SUBSCRIPTION: Final = 2
_MAX_IMAGES: Final = 3

_INTERVAL_CHOICES: Final[st.SearchStrategy[Interval]] = st.sampled_from(INTERVALS)
_TAX_BEHAVIOR_CHOICES: Final = st.sampled_from((None, *TAX_BEHAVIORS))
# At most one extra product field per item: each is covered, and an item
# costs one choice more than its name.
_PRODUCT_EXTRAS: Final = st.sampled_from(
    (None, "description", "images", "metadata", "tax_code")
)
_TAX_CODE_CHOICES: Final = st.sampled_from(TAX_CODES)
_ADJUSTABLE_SHAPES: Final = st.sampled_from((None, "enabled", "disabled", "bounded"))
_HOSTS: Final = st.sampled_from(EXAMPLE_HOSTS)
_BOOLEANS: Final = st.booleans()


@cached
def currencies() -> st.SearchStrategy[str]:
    """One of the suite's currencies (`CURRENCIES`); shrinks towards "usd"."""
    return st.sampled_from(CURRENCIES)


@cached
def unit_amounts(currency: str) -> st.SearchStrategy[int]:
    """Unit amounts in minor units, from the currency's minimum charge up."""
    check_choice("currency", currency, CURRENCIES)
    return st.integers(MINIMUM_UNIT_AMOUNT[currency], _UNIT_AMOUNT_CAP[currency])


@cached
def unit_amount_decimals(currency: str) -> st.SearchStrategy[str]:
    """`unit_amount_decimal` strings holding a whole number of minor units.

    The Price API takes up to 12 decimals, but Checkout refuses a price finer
    than the currency's minor unit ("Checkout does not currently support usd
    prices with more than 2 decimal places", stripe/stripe-node#1135), so
    valid draws keep the decimal form and drop the fraction.
    """
    return unit_amounts(currency).map(str)


@cached
def _interval_counts(interval: Interval) -> st.SearchStrategy[int]:
    # Half the periods are a single interval, the one catalogue prices use.
    return st.one_of(st.just(1), st.integers(1, MAX_INTERVAL_COUNT[interval]))


def draw_recurrence(draw: st.DrawFn) -> Recurrence:
    """Draw a `recurrences()` value inside another strategy's draw."""
    interval = draw(_INTERVAL_CHOICES)
    return Recurrence(interval, draw(_interval_counts(interval)))


@st.composite
def _recurrences(draw: st.DrawFn) -> Recurrence:
    return draw_recurrence(draw)


@cached
def recurrences(*, currency: str | None = None) -> st.SearchStrategy[Recurrence]:
    """Billing periods within the three-year rule (R-28).

    With `currency`, only periods the price catalogue holds for it, so that a
    `<price:…>` ref can bill on that period. Shrinks towards one month.
    """
    check_choice("currency", currency, CURRENCIES)
    if currency is not None:
        return st.sampled_from(catalogue_recurrences(currency))
    return _recurrences()


def recurring_object(recurrence: Recurrence, *, explicit_count: bool) -> dict[str, Any]:
    """The `price_data[recurring]` object for `recurrence`.

    `interval_count` is sent when it differs from the default 1, and also
    when `explicit_count` asks for it.
    """
    recurring: dict[str, Any] = {"interval": recurrence.interval}
    if explicit_count or recurrence.interval_count != 1:
        recurring["interval_count"] = recurrence.interval_count
    return recurring


@cached
def _image_lists() -> st.SearchStrategy[list[str]]:
    return st.lists(image_urls(), min_size=1, max_size=_MAX_IMAGES)


@st.composite
def _image_urls(draw: st.DrawFn) -> str:
    return f"https://{draw(_HOSTS)}/images/{draw(LOWER_WORDS)}.png"


@cached
def image_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs of product images."""
    return _image_urls()


def draw_product_data(draw: st.DrawFn) -> dict[str, Any]:
    """Draw `price_data[product_data]`: a name, sometimes one more field.

    Shrinks to the name alone.
    """
    product: dict[str, Any] = {"name": draw_plain_text(draw, 40)}
    extra = draw(_PRODUCT_EXTRAS)
    if extra == "description":
        product["description"] = draw_plain_text(draw)
    elif extra == "images":
        product["images"] = draw(_image_lists())
    elif extra == "metadata":
        product["metadata"] = draw(metadata_maps(max_size=2))
    elif extra == "tax_code":
        product["tax_code"] = draw(_TAX_CODE_CHOICES)
    return product


def _draw_price_data(draw: st.DrawFn, currency: str, kind: PriceKind) -> dict[str, Any]:
    data: dict[str, Any] = {"currency": currency}
    data["product_data"] = draw_product_data(draw)
    amount = draw(unit_amounts(currency))
    data[kind] = amount if kind == "unit_amount" else str(amount)
    return data


@st.composite
def _price_data(
    draw: st.DrawFn,
    currency: str,
    recurrence: Recurrence | None,
    kind: PriceKind,
    tax_behavior: str | None,
) -> dict[str, Any]:
    data = _draw_price_data(draw, currency, kind)
    if recurrence is not None:
        explicit = recurrence.interval_count == 1 and draw(_BOOLEANS)
        data["recurring"] = recurring_object(recurrence, explicit_count=explicit)
    if tax_behavior is not None:
        data["tax_behavior"] = tax_behavior
    return data


def uniform_items(
    *,
    currency: str,
    count: int,
    recurrence: Recurrence | None,
    amount: int,
    stem: str = "Item",
) -> list[LineItem]:
    """`count` price_data items alike but for their names ("{stem} 1", "{stem} 2",
    ...): `amount` each, quantity 1, on `recurrence` (None: one-time).

    Built plainly, not drawn: for long lists what matters is their length, and a
    hundred drawn items would make a case slow to generate and to shrink.
    """
    items: list[LineItem] = []
    for k in range(count):
        data: dict[str, Any] = {
            "currency": currency,
            "product_data": {"name": f"{stem} {k + 1}"},
            "unit_amount": amount,
        }
        if recurrence is not None:
            data["recurring"] = {
                "interval": recurrence.interval,
                "interval_count": recurrence.interval_count,
            }
        items.append({"price_data": data, "quantity": 1})
    return items


@cached
def price_data(
    *,
    currency: str,
    recurrence: Recurrence | None,
    kind: PriceKind = "unit_amount",
    tax_behavior: str | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """`line_items[i][price_data]` in `currency`, recurring iff `recurrence`.

    Shrinks towards a one-word product name and the currency's minimum amount.
    """
    check_choice("currency", currency, CURRENCIES)
    check_choice("kind", kind, ("unit_amount", "unit_amount_decimal"))
    return _price_data(currency, recurrence, kind, tax_behavior)


@cached
def quantities() -> st.SearchStrategy[int]:
    """Ordinary positive quantities; shrinks towards 1."""
    return st.integers(1, _MAX_QUANTITY)


def draw_adjustable_quantity(draw: st.DrawFn, quantity: int) -> dict[str, Any] | None:
    """Draw `adjustable_quantity` bracketing `quantity` (R-06), or None.

    One choice unless the bounds are drawn; shrinks towards None.
    """
    shape = draw(_ADJUSTABLE_SHAPES)
    if shape is None:
        return None
    if shape != "bounded":
        return {"enabled": shape == "enabled"}
    adjustable: dict[str, Any] = {"enabled": True}
    # 0 and low - 1 stand for "no bound", so both shrink away.
    minimum = draw(integers_between(0, quantity))
    if minimum:
        adjustable["minimum"] = minimum
    low = max(quantity, minimum + 1)
    maximum = draw(integers_between(low - 1, _MAX_ADJUSTABLE_MAXIMUM))
    if maximum >= low:
        adjustable["maximum"] = maximum
    return adjustable


@st.composite
def _item_bodies(
    draw: st.DrawFn,
    currency: str,
    kinds: tuple[PriceKind, ...],
    *,
    adjustable: bool,
) -> LineItem:
    # The parts of an item that do not depend on the group's billing period:
    # `price` is filled in by `draw_item_group` from the catalogue.
    kind = draw(sampled(kinds))
    item: LineItem = (
        {"price": None}
        if kind == "price"
        else {"price_data": _draw_price_data(draw, currency, kind)}
    )
    item["quantity"] = quantity = draw(quantities())
    if adjustable:
        bounds = draw_adjustable_quantity(draw, quantity)
        if bounds is not None:
            item["adjustable_quantity"] = bounds
    return item


def _item_identity(item: LineItem) -> object:
    # The catalogue holds one price per currency and billing period, which
    # may appear once per session; price_data items are always distinct (each
    # creates its own ad-hoc price), so they get a key no other live item can
    # share.
    return "price" if "price" in item else id(item)


@cached
def _item_lists(
    currency: str,
    kinds: tuple[PriceKind, ...],
    min_size: int,
    max_size: int,
    *,
    adjustable: bool,
) -> st.SearchStrategy[list[LineItem]]:
    return st.lists(
        _item_bodies(currency, kinds, adjustable=adjustable),
        min_size=min_size,
        max_size=max_size,
    )


def draw_item_group(
    draw: st.DrawFn,
    *,
    currency: str,
    recurrence: Recurrence | None,
    kinds: tuple[PriceKind, ...],
    min_size: int,
    max_size: int,
    adjustable: bool,
    tax_behavior: str | None = None,
) -> list[LineItem]:
    """Draw items of one currency and one billing period (None: one-time).

    Price kinds are drawn from `kinds` (the first is the shrink target);
    `price` is left out when the catalogue lacks a matching price. The
    catalogue holds at most one price per currency and period, so at most one
    item of a group refers to it: later ones are dropped, which keeps every
    test case (see `first_of_each`). Returns [] when no kind applies.
    """
    names = price_names(currency, recurrence)
    available = kinds if names else tuple(k for k in kinds if k != "price")
    if not available:
        return []
    if available == ("price",):
        max_size = min(max_size, len(names))
    items = first_of_each(
        draw(
            _item_lists(currency, available, min_size, max_size, adjustable=adjustable)
        ),
        _item_identity,
    )
    explicit = (
        recurrence is not None
        and recurrence.interval_count == 1
        and any("price_data" in item for item in items)
        and draw(_BOOLEANS)
    )
    for item in items:
        if "price" in item:
            item["price"] = price_ref(names[0])
            continue
        data = item["price_data"]
        if recurrence is not None:
            data["recurring"] = recurring_object(recurrence, explicit_count=explicit)
        if tax_behavior is not None:
            data["tax_behavior"] = tax_behavior
    return items


def draw_items(
    draw: st.DrawFn, *, mode: ItemsMode, currency: str, price_kind: PriceKind | None
) -> list[LineItem]:
    """Draw the `line_items` of a session already fixed on mode and currency."""
    kinds = (price_kind,) if price_kind else PRICE_KINDS
    # One tax behaviour per session: mixing inclusive and exclusive prices in
    # one session is refused once tax is calculated.
    tax_behavior = draw(_TAX_BEHAVIOR_CHOICES)
    if mode == "payment":
        return draw_item_group(
            draw,
            currency=currency,
            recurrence=None,
            kinds=kinds,
            min_size=1,
            max_size=_MAX_PAYMENT_ITEMS,
            adjustable=True,
            tax_behavior=tax_behavior,
        )
    period = (
        draw(recurrences(currency=currency))
        if price_kind == "price"
        else draw_recurrence(draw)
    )
    recurring = draw_item_group(
        draw,
        currency=currency,
        recurrence=period,
        kinds=kinds,
        min_size=1,
        max_size=_MAX_RECURRING_ITEMS,
        adjustable=False,
        tax_behavior=tax_behavior,
    )
    one_time = draw_item_group(
        draw,
        currency=currency,
        recurrence=None,
        kinds=kinds,
        min_size=0,
        max_size=_MAX_ONE_TIME_ITEMS_SUBSCRIPTION,
        adjustable=False,
        tax_behavior=tax_behavior,
    )
    return recurring + one_time


@st.composite
def _line_items(
    draw: st.DrawFn,
    mode: ItemsMode,
    currency: str | None,
    price_kind: PriceKind | None,
) -> list[LineItem]:
    chosen = currency or draw(currencies())
    return draw_items(draw, mode=mode, currency=chosen, price_kind=price_kind)


@cached
def line_items(
    *,
    mode: ItemsMode = "payment",
    currency: str | None = None,
    price_kind: PriceKind | None = None,
) -> st.SearchStrategy[list[LineItem]]:
    """`line_items` valid for `mode` ("payment" or "subscription").

    payment: 1..3 one-time items. subscription: 1..3 recurring items on one
    billing period followed by 0..2 one-time items. `currency` and
    `price_kind` fix those choices for every item. Each `price_data` product
    carries a name and at most one more field; payment items sometimes carry
    `adjustable_quantity`. Shrinks towards one item priced by the usd
    catalogue price, quantity 1, nothing optional (or
    `price_data[unit_amount]` in usd when the failure needs `price_data`).
    """
    check_choice("mode", mode, ("payment", "subscription"))
    check_choice("currency", currency, CURRENCIES)
    check_choice("price_kind", price_kind, PRICE_KINDS)
    return _line_items(mode, currency, price_kind)
