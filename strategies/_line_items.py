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
"""

from __future__ import annotations

import string
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
    PriceKind,
    Recurrence,
)
from strategies._fixtures import catalogue_recurrences, price_names
from strategies._placeholders import price_ref
from strategies._support import cached, check_choice
from strategies._text import EXAMPLE_HOSTS, metadata_maps, plain_texts

LineItem = dict[str, Any]
ItemsMode = Literal["payment", "subscription"]

# Caps for ordinary draws: totals stay far below the eight-digit maximum even
# with five items of quantity ten.
_UNIT_AMOUNT_CAP: Final = {"usd": 100_000, "eur": 100_000, "gbp": 100_000,
                           "jpy": 100_000, "krw": 1_000_000}  # fmt: skip
_MAX_QUANTITY: Final = 10
_MAX_PAYMENT_ITEMS: Final = 5
_MAX_RECURRING_ITEMS: Final = 3
_MAX_ONE_TIME_ITEMS_SUBSCRIPTION: Final = 2


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
def recurrences(*, currency: str | None = None) -> st.SearchStrategy[Recurrence]:
    """Billing periods within the three-year rule (R-28).

    With `currency`, only periods the price catalogue holds for it, so that a
    `<price:…>` ref can bill on that period. Shrinks towards one month.
    """
    check_choice("currency", currency, CURRENCIES)
    if currency is not None:
        return st.sampled_from(catalogue_recurrences(currency))
    counts = {
        interval: st.one_of(st.just(1), st.integers(1, MAX_INTERVAL_COUNT[interval]))
        for interval in INTERVALS
    }

    def build(draw: st.DrawFn) -> Recurrence:
        interval = draw(st.sampled_from(INTERVALS))
        return Recurrence(interval, draw(counts[interval]))

    return st.composite(build)()


@cached
def recurring_params(recurrence: Recurrence) -> st.SearchStrategy[dict[str, Any]]:
    """The `price_data[recurring]` object for `recurrence`.

    `interval_count` is sent when it differs from the default 1, and
    sometimes also when it does not.
    """
    base = {"interval": recurrence.interval}
    if recurrence.interval_count != 1:
        return st.just({**base, "interval_count": recurrence.interval_count})
    return st.sampled_from([base, {**base, "interval_count": 1}])


@cached
def image_urls() -> st.SearchStrategy[str]:
    """Absolute https URLs of product images."""
    return st.builds(
        lambda host, name: f"https://{host}/images/{name}.png",
        st.sampled_from(EXAMPLE_HOSTS),
        st.text(
            alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10
        ),
    )


@cached
def product_data() -> st.SearchStrategy[dict[str, Any]]:
    """`price_data[product_data]`: a name, sometimes more. Shrinks to the name."""
    return st.fixed_dictionaries(
        {"name": plain_texts(max_size=40)},
        optional={
            "description": plain_texts(max_size=80),
            "images": st.lists(image_urls(), min_size=1, max_size=3),
            "metadata": metadata_maps(max_size=3),
            "tax_code": st.sampled_from(TAX_CODES),
        },
    )


@cached
def price_data(
    *,
    currency: str,
    recurrence: Recurrence | None,
    kind: PriceKind = "unit_amount",
    tax_behavior: str | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """`line_items[i][price_data]` in `currency`, recurring iff `recurrence`."""
    check_choice("currency", currency, CURRENCIES)
    check_choice("kind", kind, ("unit_amount", "unit_amount_decimal"))
    amount = (
        unit_amounts(currency)
        if kind == "unit_amount"
        else unit_amount_decimals(currency)
    )
    required: dict[str, st.SearchStrategy[Any]] = {
        "currency": st.just(currency),
        "product_data": product_data(),
        kind: amount,
    }
    if recurrence is not None:
        required["recurring"] = recurring_params(recurrence)
    if tax_behavior is not None:
        required["tax_behavior"] = st.just(tax_behavior)
    return st.fixed_dictionaries(required)


@cached
def quantities() -> st.SearchStrategy[int]:
    """Ordinary positive quantities; shrinks towards 1."""
    return st.integers(1, _MAX_QUANTITY)


@cached
def adjustable_quantities(quantity: int) -> st.SearchStrategy[dict[str, Any]]:
    """`adjustable_quantity` objects whose bounds bracket `quantity` (R-06)."""

    def bounded(draw: st.DrawFn) -> dict[str, Any]:
        adjustable: dict[str, Any] = {"enabled": True}
        minimum = draw(st.none() | st.integers(1, quantity))
        if minimum is not None:
            adjustable["minimum"] = minimum
        low = max(quantity, (minimum or 0) + 1)
        maximum = draw(st.none() | st.integers(low, max(low, 99)))
        if maximum is not None:
            adjustable["maximum"] = maximum
        return adjustable

    return st.one_of(
        st.just({"enabled": True}),
        st.just({"enabled": False}),
        st.composite(bounded)(),
    )


@cached
def _with_quantity(
    priced: st.SearchStrategy[dict[str, Any]], *, adjustable: bool
) -> st.SearchStrategy[LineItem]:
    def build(draw: st.DrawFn) -> LineItem:
        item = dict(draw(priced))
        item["quantity"] = quantity = draw(quantities())
        if adjustable:
            bounds = draw(st.none() | adjustable_quantities(quantity))
            if bounds is not None:
                item["adjustable_quantity"] = bounds
        return item

    return st.composite(build)()


def _item_identity(item: LineItem) -> object:
    # A catalogue price may appear once per session; price_data items are
    # always distinct (each creates its own ad-hoc price), so they get a key
    # no other live item can share.
    return item.get("price") or id(item)


@cached
def item_groups(
    *,
    currency: str,
    recurrence: Recurrence | None,
    kinds: tuple[PriceKind, ...],
    min_size: int,
    max_size: int,
    adjustable: bool,
    tax_behavior: str | None = None,
) -> st.SearchStrategy[list[LineItem]]:
    """Lists of items of one currency and one billing period (None: one-time).

    Price kinds are drawn from `kinds` (the first is the shrink target);
    `price` is left out when the catalogue lacks a matching price, and caps
    the list at the number of catalogue prices that match.
    """
    names = price_names(currency, recurrence)
    options: list[st.SearchStrategy[LineItem]] = []
    for kind in kinds:
        if kind == "price":
            if names:
                options.append(
                    _with_quantity(
                        st.sampled_from(names).map(lambda n: {"price": price_ref(n)}),
                        adjustable=adjustable,
                    )
                )
        else:
            options.append(
                _with_quantity(
                    price_data(
                        currency=currency,
                        recurrence=recurrence,
                        kind=kind,
                        tax_behavior=tax_behavior,
                    ).map(lambda data: {"price_data": data}),
                    adjustable=adjustable,
                )
            )
    if not options:
        return st.nothing() if min_size else st.just([])
    if kinds == ("price",):
        max_size = min(max_size, len(names))
    return st.lists(
        st.one_of(options),
        min_size=min_size,
        max_size=max_size,
        unique_by=_item_identity,
    )


def line_items(
    *,
    mode: ItemsMode = "payment",
    currency: str | None = None,
    price_kind: PriceKind | None = None,
) -> st.SearchStrategy[list[LineItem]]:
    """`line_items` valid for `mode` ("payment" or "subscription").

    payment: 1..5 one-time items. subscription: 1..3 recurring items on one
    billing period followed by 0..2 one-time items. `currency` and
    `price_kind` fix those choices for every item. Shrinks towards one item
    priced by the usd catalogue price, quantity 1, nothing optional (or
    `price_data[unit_amount]` in usd when the failure needs `price_data`).
    """
    check_choice("mode", mode, ("payment", "subscription"))
    check_choice("currency", currency, CURRENCIES)
    check_choice("price_kind", price_kind, PRICE_KINDS)

    def build(draw: st.DrawFn) -> list[LineItem]:
        chosen = currency or draw(currencies())
        return draw(items_for_mode(mode, chosen, price_kind))

    return st.composite(build)()


@cached
def items_for_mode(
    mode: ItemsMode, currency: str, price_kind: PriceKind | None
) -> st.SearchStrategy[list[LineItem]]:
    """The `line_items` strategy for a session already fixed on mode and currency."""
    kinds = (price_kind,) if price_kind else PRICE_KINDS
    periods = recurrences(currency=currency) if price_kind == "price" else recurrences()

    def build(draw: st.DrawFn) -> list[LineItem]:
        # One tax behaviour per session: mixing inclusive and exclusive
        # prices in one session is refused once tax is calculated.
        tax_behavior = draw(st.none() | st.sampled_from(TAX_BEHAVIORS))
        if mode == "payment":
            return draw(
                item_groups(
                    currency=currency,
                    recurrence=None,
                    kinds=kinds,
                    min_size=1,
                    max_size=_MAX_PAYMENT_ITEMS,
                    adjustable=True,
                    tax_behavior=tax_behavior,
                )
            )
        period = draw(periods)
        recurring = draw(
            item_groups(
                currency=currency,
                recurrence=period,
                kinds=kinds,
                min_size=1,
                max_size=_MAX_RECURRING_ITEMS,
                adjustable=False,
                tax_behavior=tax_behavior,
            )
        )
        one_time = draw(
            item_groups(
                currency=currency,
                recurrence=None,
                kinds=kinds,
                min_size=0,
                max_size=_MAX_ONE_TIME_ITEMS_SUBSCRIPTION,
                adjustable=False,
                tax_behavior=tax_behavior,
            )
        )
        return recurring + one_time

    return st.composite(build)()
