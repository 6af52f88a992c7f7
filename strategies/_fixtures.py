"""The objects a run refers to on the target, by catalogue name.

Draws refer to prices, customers and coupons by catalogue name (through
placeholders, see `_placeholders.py`). The harness gets one object per entry (from
the user's fixtures file, else created with `create_params()`, where `metadata` is
only a tag a target may refuse) and passes the ids to `resolve_placeholders`; a
price it cannot have is sent inline (`inline_params()`) in valid draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from strategies._api import CURRENCIES, Recurrence

# Tags every fixture so a cleanup job (or a human) can tell suite objects apart
# on a shared test account.
FIXTURE_METADATA: Final = MappingProxyType({"created_by": "checkout-contracts"})


@dataclass(frozen=True, slots=True)
class PriceSpec:
    """A Price to create with `POST /v1/prices` (inline product)."""

    currency: str
    unit_amount: int
    recurring: Recurrence | None
    product_name: str

    @property
    def is_recurring(self) -> bool:
        return self.recurring is not None

    def create_params(self) -> dict[str, Any]:
        """Form params for `POST /v1/prices`, creating the product inline."""
        params: dict[str, Any] = {
            "currency": self.currency,
            "unit_amount": self.unit_amount,
            "product_data": {"name": self.product_name},
            "metadata": dict(FIXTURE_METADATA),
        }
        if self.recurring is not None:
            params["recurring"] = {
                "interval": self.recurring.interval,
                "interval_count": self.recurring.interval_count,
            }
        return params

    def inline_params(self) -> dict[str, Any]:
        """The same price as a line item's `price_data` (no price object needed)."""
        params = {k: v for k, v in self.create_params().items() if k != "metadata"}
        return params


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    """A Customer to create with `POST /v1/customers`."""

    name: str
    email: str

    def create_params(self) -> dict[str, Any]:
        """Form params for `POST /v1/customers`."""
        return {
            "name": self.name,
            "email": self.email,
            "metadata": dict(FIXTURE_METADATA),
        }


@dataclass(frozen=True, slots=True)
class CouponSpec:
    """A percent-off Coupon to create with `POST /v1/coupons`.

    Percent-off so that it applies to a session in any currency. Only invalid
    cases use coupons (R-21, R-22); valid draws never send `discounts`.
    """

    percent_off: int
    name: str

    def create_params(self) -> dict[str, Any]:
        """Form params for `POST /v1/coupons`."""
        return {
            "percent_off": self.percent_off,
            "duration": "once",
            "name": self.name,
            "metadata": dict(FIXTURE_METADATA),
        }


# Amounts clear every currency's minimum charge (see _api.MINIMUM_UNIT_AMOUNT).
_ONE_TIME_AMOUNTS: Final = {
    "usd": 1500,
    "eur": 1500,
    "gbp": 1500,
    "jpy": 1500,
    "krw": 15000,
}
_MONTHLY_AMOUNTS: Final = {"usd": 900, "eur": 900, "gbp": 900, "jpy": 900, "krw": 9000}
_YEARLY_AMOUNTS: Final = {"usd": 9900, "eur": 9900}


def _price_catalogue() -> dict[str, PriceSpec]:
    catalogue: dict[str, PriceSpec] = {}
    for currency in CURRENCIES:
        label = f"Checkout contracts {currency.upper()}"
        catalogue[f"{currency}_one_time"] = PriceSpec(
            currency, _ONE_TIME_AMOUNTS[currency], None, f"{label} one-time"
        )
        catalogue[f"{currency}_monthly"] = PriceSpec(
            currency,
            _MONTHLY_AMOUNTS[currency],
            Recurrence("month"),
            f"{label} monthly",
        )
    for currency, amount in _YEARLY_AMOUNTS.items():
        label = f"Checkout contracts {currency.upper()}"
        catalogue[f"{currency}_yearly"] = PriceSpec(
            currency, amount, Recurrence("year"), f"{label} yearly"
        )
    return catalogue


PRICE_CATALOGUE: Final[Mapping[str, PriceSpec]] = MappingProxyType(_price_catalogue())

CUSTOMER_CATALOGUE: Final[Mapping[str, CustomerSpec]] = MappingProxyType(
    {
        "alice": CustomerSpec("Alice Example", "alice@example.com"),
        "bob": CustomerSpec("Bob Example", "bob@example.com"),
    }
)

COUPON_CATALOGUE: Final[Mapping[str, CouponSpec]] = MappingProxyType(
    {
        "ten_percent_once": CouponSpec(10, "Checkout contracts 10% once"),
        "twenty_percent_once": CouponSpec(20, "Checkout contracts 20% once"),
    }
)


def price_names(currency: str, recurring: Recurrence | None) -> tuple[str, ...]:
    """Catalogue names of the prices in `currency` billed as `recurring`."""
    return tuple(
        name
        for name, spec in PRICE_CATALOGUE.items()
        if spec.currency == currency and spec.recurring == recurring
    )


def catalogue_recurrences(currency: str) -> tuple[Recurrence, ...]:
    """The billing periods the catalogue has a recurring price for."""
    found: list[Recurrence] = []
    for spec in PRICE_CATALOGUE.values():
        recurring = spec.recurring
        if spec.currency == currency and recurring and recurring not in found:
            found.append(recurring)
    return tuple(found)
