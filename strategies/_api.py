"""Facts about the Checkout Sessions API at Stripe-Version 2024-04-10.

Every constant here is read from the OpenAPI subset
`shared/reference/openapi/checkout-sessions.spec3.json` or from the contract
catalogue `shared/reference/checkout-sessions-contract.md` (rule ids R-xx).
The strategies import these and never restate them.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

STRIPE_VERSION: Final = "2024-04-10"

Mode = Literal["payment", "setup", "subscription"]
UiMode = Literal["hosted", "embedded"]
PriceKind = Literal["price", "unit_amount", "unit_amount_decimal"]
Interval = Literal["month", "year", "week", "day"]

# Order matters: sampled_from shrinks towards the first entry.
MODES: Final[tuple[Mode, ...]] = ("payment", "subscription", "setup")
UI_MODES: Final[tuple[UiMode, ...]] = ("hosted", "embedded")
# A catalogue price is the smallest line item (no product or amount to draw),
# so it comes first and minimal examples use it.
PRICE_KINDS: Final[tuple[PriceKind, ...]] = (
    "price",
    "unit_amount",
    "unit_amount_decimal",
)
INTERVALS: Final[tuple[Interval, ...]] = ("month", "year", "week", "day")
REDIRECT_ON_COMPLETION: Final = ("always", "if_required", "never")

# interval x interval_count <= 3 years. The catalogue names 3 y / 36 mo /
# 156 w; 1095 days is three 365-day years, the day value safely inside it.
MAX_INTERVAL_COUNT: Final[dict[Interval, int]] = {
    "month": 36,
    "year": 3,
    "week": 156,
    "day": 1095,
}


class Recurrence(NamedTuple):
    """A billing period: `interval` repeated `interval_count` times."""

    interval: Interval
    interval_count: int = 1


# The currencies valid draws use. A small, widely supported set (catalogue
# §2.5) including two zero-decimal ones, so amount assertions meet both kinds.
CURRENCIES: Final = ("usd", "eur", "gbp", "jpy", "krw")
ZERO_DECIMAL_CURRENCIES: Final = frozenset({"jpy", "krw"})

# Smallest unit_amount a valid draw uses per currency. Stripe refuses a charge
# below about 0.50 USD in the *settlement* currency, so non-USD minimums are
# set high enough to clear it after conversion on a USD account.
MINIMUM_UNIT_AMOUNT: Final[dict[str, int]] = {
    "usd": 50,
    "eur": 100,
    "gbp": 100,
    "jpy": 100,
    "krw": 1000,
}
# the amount field holds at most eight digits (99 999 999 minor units).
MAXIMUM_AMOUNT: Final = 99_999_999

MAX_LINE_ITEMS_PAYMENT: Final = 100
MAX_RECURRING_ITEMS: Final = 20
MAX_ONE_TIME_ITEMS_SUBSCRIPTION: Final = 20
MAX_ADJUSTABLE_QUANTITY: Final = 999_999
MAX_METADATA_KEYS: Final = 50
MAX_METADATA_KEY_LENGTH: Final = 40
MAX_METADATA_VALUE_LENGTH: Final = 500
MAX_CLIENT_REFERENCE_ID_LENGTH: Final = 200
MAX_URL_LENGTH: Final = 5000
MAX_SHIPPING_OPTIONS: Final = 5
MAX_CUSTOM_FIELDS: Final = 3
MAX_PRODUCT_IMAGES: Final = 8
MAX_DISCOUNTS: Final = 1
MIN_EXPIRY_SECONDS: Final = 30 * 60
MAX_EXPIRY_SECONDS: Final = 24 * 60 * 60
# The target's clock may read later than ours and a request takes time to
# arrive, so never draw an expiry closer than this to either end of the window.
EXPIRY_SAFETY_MARGIN: Final = 60

LOCALES: Final = (
    "auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et",
    "fi", "fil", "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv",
    "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv",
    "th", "tr", "vi", "zh", "zh-HK", "zh-TW",
)  # fmt: skip

# The 35-value payment_method_types enum of the 2024-04-10 spec. Valid draws
# only ever send ["card"]: every other method needs activation on an account.
PAYMENT_METHOD_TYPES: Final = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "amazon_pay",
    "au_becs_debit", "bacs_debit", "bancontact", "blik", "boleto", "card",
    "cashapp", "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal",
    "klarna", "konbini", "link", "mobilepay", "oxxo", "p24", "paynow", "paypal",
    "pix", "promptpay", "revolut_pay", "sepa_debit", "sofort", "swish",
    "us_bank_account", "wechat_pay", "zip",
)  # fmt: skip

SUBMIT_TYPES: Final = ("auto", "book", "donate", "pay")
BILLING_ADDRESS_COLLECTION: Final = ("auto", "required")
CUSTOMER_CREATION: Final = ("always", "if_required")
PAYMENT_METHOD_COLLECTION: Final = ("always", "if_required")
TAX_BEHAVIORS: Final = ("exclusive", "inclusive", "unspecified")
CAPTURE_METHODS: Final = ("automatic", "automatic_async", "manual")
SETUP_FUTURE_USAGES: Final = ("off_session", "on_session")
CUSTOMER_UPDATE_VALUES: Final = ("auto", "never")
MISSING_PAYMENT_METHOD_BEHAVIORS: Final = ("cancel", "create_invoice", "pause")
DELIVERY_ESTIMATE_UNITS: Final = ("business_day", "day", "hour", "week", "month")
SESSION_STATUSES: Final = ("open", "complete", "expired")

# Countries Checkout ships to (a subset of the spec's enum, none of the ones
# the catalogue lists as unsupported).
SHIPPING_COUNTRIES: Final = (
    "US", "CA", "GB", "DE", "FR", "JP", "AU", "NL", "IE", "ES", "IT", "SE",
    "NZ", "SG", "BR", "MX", "KR", "CH", "AT", "BE",
)  # fmt: skip

# Tax codes that exist on every account (Stripe's preset product tax codes).
TAX_CODES: Final = ("txcd_99999999", "txcd_10000000")

# Every top-level create parameter of the 2024-04-10 request schema.
CREATE_PARAMETERS: Final = frozenset(
    {
        "after_expiration", "allow_promotion_codes", "automatic_tax",
        "billing_address_collection", "cancel_url", "client_reference_id",
        "consent_collection", "currency", "custom_fields", "custom_text",
        "customer", "customer_creation", "customer_email", "customer_update",
        "discounts", "expand", "expires_at", "invoice_creation", "line_items",
        "locale", "metadata", "mode", "payment_intent_data",
        "payment_method_collection", "payment_method_configuration",
        "payment_method_data", "payment_method_options", "payment_method_types",
        "phone_number_collection", "redirect_on_completion", "return_url",
        "saved_payment_method_options", "setup_intent_data",
        "shipping_address_collection", "shipping_options", "submit_type",
        "subscription_data", "success_url", "tax_id_collection", "ui_mode",
    }
)  # fmt: skip

LIST_PARAMETERS: Final = frozenset(
    {
        "created", "customer", "customer_details", "ending_before", "expand",
        "limit", "payment_intent", "payment_link", "starting_after", "status",
        "subscription",
    }
)  # fmt: skip
MAX_LIST_LIMIT: Final = 100

# Stripe's literal template that success/return URLs may carry; Checkout
# substitutes the session id at redirect time.
CHECKOUT_SESSION_ID_TEMPLATE: Final = "{CHECKOUT_SESSION_ID}"
