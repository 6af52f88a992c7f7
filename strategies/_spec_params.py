"""Every create parameter of the 2024-04-10 spec, each sent in a valid request.

`SPEC_CREATE_PARAMS` lists the leaf parameters of `POST /v1/checkout/sessions` as
the pinned spec defines them (`[]` steps into the objects of an array; arrays of
strings and free-form maps such as `metadata` are leaves). The self-tests compare
it with the spec file wherever that is available (CI has no copy).

`SPEC_PARAM_REQUESTS` are explicit valid requests, fixed (no drawing, so every
run sends the same ones), which together hold every listed parameter except the
`UNSENDABLE` ones: those name objects a test run cannot create on a test account
(Connect accounts, tax rates, shipping rates, promotion codes, payment method
configurations, products of their own) or need them (a transfer amount needs its
destination). `request_for(param)` names the request that sends a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from strategies._placeholders import coupon_ref, customer_ref, now_plus, price_ref

Params = dict[str, Any]

SPEC_CREATE_PARAMS: Final[tuple[str, ...]] = (
    "after_expiration[recovery][allow_promotion_codes]",
    "after_expiration[recovery][enabled]",
    "allow_promotion_codes",
    "automatic_tax[enabled]",
    "automatic_tax[liability][account]",
    "automatic_tax[liability][type]",
    "billing_address_collection",
    "cancel_url",
    "client_reference_id",
    "consent_collection[payment_method_reuse_agreement][position]",
    "consent_collection[promotions]",
    "consent_collection[terms_of_service]",
    "currency",
    "custom_fields[][dropdown][options][][label]",
    "custom_fields[][dropdown][options][][value]",
    "custom_fields[][key]",
    "custom_fields[][label][custom]",
    "custom_fields[][label][type]",
    "custom_fields[][numeric][maximum_length]",
    "custom_fields[][numeric][minimum_length]",
    "custom_fields[][optional]",
    "custom_fields[][text][maximum_length]",
    "custom_fields[][text][minimum_length]",
    "custom_fields[][type]",
    "custom_text[after_submit][message]",
    "custom_text[shipping_address][message]",
    "custom_text[submit][message]",
    "custom_text[terms_of_service_acceptance][message]",
    "customer",
    "customer_creation",
    "customer_email",
    "customer_update[address]",
    "customer_update[name]",
    "customer_update[shipping]",
    "discounts[][coupon]",
    "discounts[][promotion_code]",
    "expand",
    "expires_at",
    "invoice_creation[enabled]",
    "invoice_creation[invoice_data][account_tax_ids]",
    "invoice_creation[invoice_data][custom_fields][][name]",
    "invoice_creation[invoice_data][custom_fields][][value]",
    "invoice_creation[invoice_data][description]",
    "invoice_creation[invoice_data][footer]",
    "invoice_creation[invoice_data][issuer][account]",
    "invoice_creation[invoice_data][issuer][type]",
    "invoice_creation[invoice_data][metadata]",
    "invoice_creation[invoice_data][rendering_options][amount_tax_display]",
    "line_items[][adjustable_quantity][enabled]",
    "line_items[][adjustable_quantity][maximum]",
    "line_items[][adjustable_quantity][minimum]",
    "line_items[][dynamic_tax_rates]",
    "line_items[][price]",
    "line_items[][price_data][currency]",
    "line_items[][price_data][product]",
    "line_items[][price_data][product_data][description]",
    "line_items[][price_data][product_data][images]",
    "line_items[][price_data][product_data][metadata]",
    "line_items[][price_data][product_data][name]",
    "line_items[][price_data][product_data][tax_code]",
    "line_items[][price_data][recurring][interval]",
    "line_items[][price_data][recurring][interval_count]",
    "line_items[][price_data][tax_behavior]",
    "line_items[][price_data][unit_amount]",
    "line_items[][price_data][unit_amount_decimal]",
    "line_items[][quantity]",
    "line_items[][tax_rates]",
    "locale",
    "metadata",
    "mode",
    "payment_intent_data[application_fee_amount]",
    "payment_intent_data[capture_method]",
    "payment_intent_data[description]",
    "payment_intent_data[metadata]",
    "payment_intent_data[on_behalf_of]",
    "payment_intent_data[receipt_email]",
    "payment_intent_data[setup_future_usage]",
    "payment_intent_data[shipping][address][city]",
    "payment_intent_data[shipping][address][country]",
    "payment_intent_data[shipping][address][line1]",
    "payment_intent_data[shipping][address][line2]",
    "payment_intent_data[shipping][address][postal_code]",
    "payment_intent_data[shipping][address][state]",
    "payment_intent_data[shipping][carrier]",
    "payment_intent_data[shipping][name]",
    "payment_intent_data[shipping][phone]",
    "payment_intent_data[shipping][tracking_number]",
    "payment_intent_data[statement_descriptor]",
    "payment_intent_data[statement_descriptor_suffix]",
    "payment_intent_data[transfer_data][amount]",
    "payment_intent_data[transfer_data][destination]",
    "payment_intent_data[transfer_group]",
    "payment_method_collection",
    "payment_method_configuration",
    "payment_method_data[allow_redisplay]",
    "payment_method_options[acss_debit][currency]",
    "payment_method_options[acss_debit][mandate_options][custom_mandate_url]",
    "payment_method_options[acss_debit][mandate_options][default_for]",
    "payment_method_options[acss_debit][mandate_options][interval_description]",
    "payment_method_options[acss_debit][mandate_options][payment_schedule]",
    "payment_method_options[acss_debit][mandate_options][transaction_type]",
    "payment_method_options[acss_debit][setup_future_usage]",
    "payment_method_options[acss_debit][verification_method]",
    "payment_method_options[affirm][setup_future_usage]",
    "payment_method_options[afterpay_clearpay][setup_future_usage]",
    "payment_method_options[alipay][setup_future_usage]",
    "payment_method_options[amazon_pay][setup_future_usage]",
    "payment_method_options[au_becs_debit][setup_future_usage]",
    "payment_method_options[bacs_debit][setup_future_usage]",
    "payment_method_options[bancontact][setup_future_usage]",
    "payment_method_options[boleto][expires_after_days]",
    "payment_method_options[boleto][setup_future_usage]",
    "payment_method_options[card][installments][enabled]",
    "payment_method_options[card][request_three_d_secure]",
    "payment_method_options[card][setup_future_usage]",
    "payment_method_options[card][statement_descriptor_suffix_kana]",
    "payment_method_options[card][statement_descriptor_suffix_kanji]",
    "payment_method_options[cashapp][setup_future_usage]",
    "payment_method_options[customer_balance][bank_transfer][eu_bank_transfer][country]",
    "payment_method_options[customer_balance][bank_transfer][requested_address_types]",
    "payment_method_options[customer_balance][bank_transfer][type]",
    "payment_method_options[customer_balance][funding_type]",
    "payment_method_options[customer_balance][setup_future_usage]",
    "payment_method_options[eps][setup_future_usage]",
    "payment_method_options[fpx][setup_future_usage]",
    "payment_method_options[giropay][setup_future_usage]",
    "payment_method_options[grabpay][setup_future_usage]",
    "payment_method_options[ideal][setup_future_usage]",
    "payment_method_options[klarna][setup_future_usage]",
    "payment_method_options[konbini][expires_after_days]",
    "payment_method_options[konbini][setup_future_usage]",
    "payment_method_options[link][setup_future_usage]",
    "payment_method_options[mobilepay][setup_future_usage]",
    "payment_method_options[oxxo][expires_after_days]",
    "payment_method_options[oxxo][setup_future_usage]",
    "payment_method_options[p24][setup_future_usage]",
    "payment_method_options[p24][tos_shown_and_accepted]",
    "payment_method_options[paynow][setup_future_usage]",
    "payment_method_options[paypal][capture_method]",
    "payment_method_options[paypal][preferred_locale]",
    "payment_method_options[paypal][reference]",
    "payment_method_options[paypal][risk_correlation_id]",
    "payment_method_options[paypal][setup_future_usage]",
    "payment_method_options[pix][expires_after_seconds]",
    "payment_method_options[revolut_pay][setup_future_usage]",
    "payment_method_options[sepa_debit][setup_future_usage]",
    "payment_method_options[sofort][setup_future_usage]",
    "payment_method_options[swish][reference]",
    "payment_method_options[us_bank_account][financial_connections][permissions]",
    "payment_method_options[us_bank_account][financial_connections][prefetch]",
    "payment_method_options[us_bank_account][setup_future_usage]",
    "payment_method_options[us_bank_account][verification_method]",
    "payment_method_options[wechat_pay][app_id]",
    "payment_method_options[wechat_pay][client]",
    "payment_method_options[wechat_pay][setup_future_usage]",
    "payment_method_types",
    "phone_number_collection[enabled]",
    "redirect_on_completion",
    "return_url",
    "saved_payment_method_options[allow_redisplay_filters]",
    "saved_payment_method_options[payment_method_save]",
    "setup_intent_data[description]",
    "setup_intent_data[metadata]",
    "setup_intent_data[on_behalf_of]",
    "shipping_address_collection[allowed_countries]",
    "shipping_options[][shipping_rate]",
    "shipping_options[][shipping_rate_data][delivery_estimate][maximum][unit]",
    "shipping_options[][shipping_rate_data][delivery_estimate][maximum][value]",
    "shipping_options[][shipping_rate_data][delivery_estimate][minimum][unit]",
    "shipping_options[][shipping_rate_data][delivery_estimate][minimum][value]",
    "shipping_options[][shipping_rate_data][display_name]",
    "shipping_options[][shipping_rate_data][fixed_amount][amount]",
    "shipping_options[][shipping_rate_data][fixed_amount][currency]",
    "shipping_options[][shipping_rate_data][fixed_amount][currency_options]",
    "shipping_options[][shipping_rate_data][metadata]",
    "shipping_options[][shipping_rate_data][tax_behavior]",
    "shipping_options[][shipping_rate_data][tax_code]",
    "shipping_options[][shipping_rate_data][type]",
    "submit_type",
    "subscription_data[application_fee_percent]",
    "subscription_data[billing_cycle_anchor]",
    "subscription_data[default_tax_rates]",
    "subscription_data[description]",
    "subscription_data[invoice_settings][issuer][account]",
    "subscription_data[invoice_settings][issuer][type]",
    "subscription_data[metadata]",
    "subscription_data[on_behalf_of]",
    "subscription_data[proration_behavior]",
    "subscription_data[transfer_data][amount_percent]",
    "subscription_data[transfer_data][destination]",
    "subscription_data[trial_end]",
    "subscription_data[trial_period_days]",
    "subscription_data[trial_settings][end_behavior][missing_payment_method]",
    "success_url",
    "tax_id_collection[enabled]",
    "ui_mode",
)

_CONNECT = "needs a connected account (Connect), which a test run cannot create"
_TAX_RATE = "needs a tax rate, which the suite does not create"

#: Parameters no valid request of a test run can hold, and why.
UNSENDABLE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "automatic_tax[liability][account]": _CONNECT,
        "discounts[][promotion_code]": (
            "needs a promotion code, which the suite does not create"
        ),
        "invoice_creation[invoice_data][account_tax_ids]": (
            "needs tax ids of the account, which the suite does not create"
        ),
        "invoice_creation[invoice_data][issuer][account]": _CONNECT,
        "line_items[][dynamic_tax_rates]": _TAX_RATE,
        "line_items[][tax_rates]": _TAX_RATE,
        "line_items[][price_data][product]": (
            "needs a product id; the suite creates products only through its prices"
        ),
        "payment_intent_data[application_fee_amount]": _CONNECT,
        "payment_intent_data[on_behalf_of]": _CONNECT,
        "payment_intent_data[transfer_data][amount]": _CONNECT,
        "payment_intent_data[transfer_data][destination]": _CONNECT,
        "payment_method_configuration": (
            "needs a payment method configuration, which the suite does not create"
        ),
        "setup_intent_data[on_behalf_of]": _CONNECT,
        "shipping_options[][shipping_rate]": (
            "needs a shipping rate object, which the suite does not create"
        ),
        "subscription_data[application_fee_percent]": _CONNECT,
        "subscription_data[default_tax_rates]": _TAX_RATE,
        "subscription_data[invoice_settings][issuer][account]": _CONNECT,
        "subscription_data[on_behalf_of]": _CONNECT,
        "subscription_data[transfer_data][amount_percent]": _CONNECT,
        "subscription_data[transfer_data][destination]": _CONNECT,
    }
)

_SUCCESS = "https://example.com/success?session_id={CHECKOUT_SESSION_ID}"


def _payment(**extra: Any) -> Params:
    return {
        "mode": "payment",
        "success_url": _SUCCESS,
        "line_items": [{"price": price_ref("usd_one_time"), "quantity": 1}],
        **extra,
    }


def _subscription(**extra: Any) -> Params:
    return {
        "mode": "subscription",
        "success_url": _SUCCESS,
        "line_items": [{"price": price_ref("usd_monthly"), "quantity": 1}],
        **extra,
    }


# Payment methods whose only option here is setup_future_usage, by the value sent
# (the first the spec allows for each).
_SETUP_FUTURE_NONE = (
    *("affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bancontact"),
    *("customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "klarna"),
    *("konbini", "mobilepay", "oxxo", "p24", "paynow", "sofort", "wechat_pay"),
)
_SETUP_FUTURE_OFF = (
    *("amazon_pay", "bacs_debit", "boleto", "cashapp", "link", "revolut_pay"),
)


def _payment_method_options() -> Params:
    options: Params = {
        name: {"setup_future_usage": "none"} for name in _SETUP_FUTURE_NONE
    }
    for name in _SETUP_FUTURE_OFF:
        options[name] = {"setup_future_usage": "off_session"}
    options["acss_debit"] = {
        "currency": "usd",
        "mandate_options": {
            "custom_mandate_url": "https://example.com/mandate",
            "default_for": ["invoice"],
            "interval_description": "when an order ships",
            "payment_schedule": "sporadic",
            "transaction_type": "personal",
        },
        "setup_future_usage": "none",
        "verification_method": "automatic",
    }
    options["boleto"]["expires_after_days"] = 3
    options["card"] = {
        "installments": {"enabled": False},
        "request_three_d_secure": "automatic",
        "setup_future_usage": "on_session",
        "statement_descriptor_suffix_kana": "カナ",
        "statement_descriptor_suffix_kanji": "漢字",
    }
    options["customer_balance"] = {
        "bank_transfer": {
            "eu_bank_transfer": {"country": "NL"},
            "requested_address_types": ["iban"],
            "type": "eu_bank_transfer",
        },
        "funding_type": "bank_transfer",
        "setup_future_usage": "none",
    }
    options["konbini"]["expires_after_days"] = 3
    options["oxxo"]["expires_after_days"] = 2
    options["p24"]["tos_shown_and_accepted"] = True
    options["paypal"] = {
        "capture_method": "manual",
        "preferred_locale": "en-US",
        "reference": "order-1042",
        "risk_correlation_id": "risk-1042",
        "setup_future_usage": "none",
    }
    options["pix"] = {"expires_after_seconds": 3600}
    options["sepa_debit"] = {"setup_future_usage": "off_session"}
    options["swish"] = {"reference": "order-1042"}
    options["us_bank_account"] = {
        "financial_connections": {
            "permissions": ["payment_method"],
            "prefetch": ["balances"],
        },
        "setup_future_usage": "off_session",
        "verification_method": "automatic",
    }
    options["wechat_pay"] = {
        "app_id": "wx1234567890",
        "client": "web",
        "setup_future_usage": "none",
    }
    return options


def _custom_fields() -> list[Params]:
    return [
        {
            "key": "size",
            "label": {"type": "custom", "custom": "Size"},
            "type": "dropdown",
            "dropdown": {
                "options": [
                    {"label": "Small", "value": "small"},
                    {"label": "Large", "value": "large"},
                ]
            },
        },
        {
            "key": "employeeid",
            "label": {"type": "custom", "custom": "Employee id"},
            "type": "numeric",
            "numeric": {"minimum_length": 4, "maximum_length": 8},
            "optional": True,
        },
        {
            "key": "engraving",
            "label": {"type": "custom", "custom": "Engraving"},
            "type": "text",
            "text": {"minimum_length": 1, "maximum_length": 20},
            "optional": False,
        },
    ]


_SHIPPING_OPTION: Final[Params] = {
    "shipping_rate_data": {
        "display_name": "Ground",
        "type": "fixed_amount",
        "fixed_amount": {
            "amount": 500,
            "currency": "usd",
            "currency_options": {"eur": {"amount": 450}},
        },
        "delivery_estimate": {
            "minimum": {"unit": "business_day", "value": 2},
            "maximum": {"unit": "business_day", "value": 5},
        },
        "metadata": {"carrier": "ups"},
        "tax_behavior": "exclusive",
        "tax_code": "txcd_92010001",
    }
}


def _requests() -> dict[str, Params]:
    return {
        "line items in every form": _payment(
            line_items=[
                {"price": price_ref("usd_one_time"), "quantity": 1},
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 1500,
                        "tax_behavior": "exclusive",
                        "product_data": {
                            "name": "T-shirt",
                            "description": "Organic cotton",
                            "images": ["https://example.com/t-shirt.png"],
                            "metadata": {"sku": "ts-1"},
                            "tax_code": "txcd_99999999",
                        },
                    },
                    "quantity": 2,
                    "adjustable_quantity": {
                        "enabled": True,
                        "minimum": 1,
                        "maximum": 10,
                    },
                },
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount_decimal": "250",
                        "product_data": {"name": "Sticker"},
                    },
                    "quantity": 1,
                },
            ],
            currency="usd",
            cancel_url="https://example.com/cart",
            client_reference_id="order-1042",
            locale="auto",
            billing_address_collection="required",
            submit_type="pay",
            customer_creation="always",
            payment_method_types=["card"],
            metadata={"order": "1042"},
            expires_at=now_plus(2 * 60 * 60),
            expand=["line_items"],
        ),
        "payment_intent_data": _payment(
            payment_intent_data={
                "capture_method": "manual",
                "description": "Order 1042",
                "metadata": {"order": "1042"},
                "receipt_email": "receipts@example.com",
                "setup_future_usage": "off_session",
                "shipping": {
                    "name": "Alice Example",
                    "phone": "+15555550100",
                    "carrier": "UPS",
                    "tracking_number": "1Z999",
                    "address": {
                        "line1": "1 Main St",
                        "line2": "Apt 2",
                        "city": "Springfield",
                        "state": "IL",
                        "postal_code": "62701",
                        "country": "US",
                    },
                },
                "statement_descriptor": "EXAMPLE SHOP",
                "statement_descriptor_suffix": "ORDER",
                "transfer_group": "order-1042",
            }
        ),
        "payment method options": _payment(
            payment_method_options=_payment_method_options(),
            payment_method_data={"allow_redisplay": "limited"},
        ),
        "shipping": _payment(
            shipping_address_collection={"allowed_countries": ["US", "CA"]},
            shipping_options=[_SHIPPING_OPTION],
            phone_number_collection={"enabled": True},
            custom_text={"shipping_address": {"message": "We ship in 2 days."}},
        ),
        "custom fields, text and consent": _payment(
            custom_fields=_custom_fields(),
            custom_text={
                "after_submit": {"message": "Thank you."},
                "submit": {"message": "Pay now."},
                "terms_of_service_acceptance": {
                    "message": "I agree to the [terms](https://example.com/terms)."
                },
            },
            consent_collection={
                "terms_of_service": "required",
                "promotions": "auto",
                "payment_method_reuse_agreement": {"position": "auto"},
            },
            tax_id_collection={"enabled": True},
            automatic_tax={"enabled": False, "liability": {"type": "self"}},
        ),
        "invoice_creation": _payment(
            invoice_creation={
                "enabled": True,
                "invoice_data": {
                    "custom_fields": [{"name": "PO", "value": "1042"}],
                    "description": "Order 1042",
                    "footer": "Thank you for your order.",
                    "issuer": {"type": "self"},
                    "metadata": {"order": "1042"},
                    "rendering_options": {"amount_tax_display": "exclude_tax"},
                },
            }
        ),
        "customer": _payment(
            customer=customer_ref("alice"),
            customer_update={"address": "auto", "name": "auto", "shipping": "auto"},
            saved_payment_method_options={
                "allow_redisplay_filters": ["always"],
                "payment_method_save": "enabled",
            },
        ),
        "customer_email and recovery": _payment(
            customer_email="bob@example.com",
            allow_promotion_codes=True,
            after_expiration={
                "recovery": {"enabled": True, "allow_promotion_codes": True}
            },
        ),
        "discounts": _payment(discounts=[{"coupon": coupon_ref("ten_percent_once")}]),
        "subscription_data": _subscription(
            payment_method_collection="if_required",
            subscription_data={
                "billing_cycle_anchor": now_plus(7 * 24 * 60 * 60),
                "description": "Monthly plan",
                "invoice_settings": {"issuer": {"type": "self"}},
                "metadata": {"plan": "monthly"},
                "proration_behavior": "none",
            },
        ),
        "trial_period_days and intervals": _subscription(
            line_items=[
                {
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 900,
                        "product_data": {"name": "Quarterly plan"},
                        "recurring": {"interval": "month", "interval_count": 3},
                    },
                    "quantity": 1,
                }
            ],
            subscription_data={"trial_period_days": 7},
        ),
        "trial_end": _subscription(
            subscription_data={
                "trial_end": now_plus(3 * 24 * 60 * 60),
                "trial_settings": {
                    "end_behavior": {"missing_payment_method": "cancel"}
                },
            },
        ),
        "setup_intent_data": {
            "mode": "setup",
            "currency": "usd",
            "success_url": _SUCCESS,
            "setup_intent_data": {
                "description": "Save a card",
                "metadata": {"purpose": "later"},
            },
        },
        "embedded": _payment(
            success_url=None,
            ui_mode="embedded",
            return_url="https://example.com/return?session_id={CHECKOUT_SESSION_ID}",
            redirect_on_completion="always",
        ),
    }


def _without_none(params: Params) -> Params:
    return {key: value for key, value in params.items() if value is not None}


#: Request name -> a valid create request (placeholders unresolved).
SPEC_PARAM_REQUESTS: Final[Mapping[str, Params]] = MappingProxyType(
    {name: _without_none(params) for name, params in _requests().items()}
)


def param_paths(params: Mapping[str, Any]) -> set[str]:
    """The spec parameters (`SPEC_CREATE_PARAMS` spelling) a request holds."""
    leaves = set(SPEC_CREATE_PARAMS)
    found: set[str] = set()

    def walk(value: Any, path: str) -> None:
        if path in leaves:
            found.add(path)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{path}[{key}]" if path else str(key))
        elif isinstance(value, list):
            for item in value:
                walk(item, f"{path}[]")
        else:
            found.add(path)  # not a spec parameter: the self-test reports it

    walk(params, "")
    return found


def request_for(param: str) -> str | None:
    """The name of the first request in `SPEC_PARAM_REQUESTS` holding `param`."""
    for name, params in SPEC_PARAM_REQUESTS.items():
        if param in param_paths(params):
            return name
    return None
