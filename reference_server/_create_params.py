"""The request schema of `POST /v1/checkout/sessions` at Stripe-Version 2024-04-10.

Transcribed from the `requestBody` schema of `PostCheckoutSessions` in Stripe's
OpenAPI description (shared/reference/openapi/checkout-sessions.spec3.json):
every parameter, type, enum, maxLength and required list, nothing else. The
self-test `test_create_schema_matches_openapi` re-derives this from the spec
and fails on any difference. Cross-field rules live in `_rules.py`.
"""

from __future__ import annotations

from ._schema import BOOL, DECIMAL, INT, NUM, STR, UNSET, AnyOf, Arr, Map, Obj, Str


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LOCALES = _words(
    "auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hr hu id it ja ko lt "
    "lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW"
)
PAYMENT_METHOD_TYPES = _words(
    "acss_debit affirm afterpay_clearpay alipay amazon_pay au_becs_debit bacs_debit "
    "bancontact blik boleto card cashapp customer_balance eps fpx giropay grabpay "
    "ideal klarna konbini link mobilepay oxxo p24 paynow paypal pix promptpay "
    "revolut_pay sepa_debit sofort swish us_bank_account wechat_pay zip"
)
SHIPPING_COUNTRIES = _words(
    "AC AD AE AF AG AI AL AM AO AQ AR AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM "
    "BN BO BQ BR BS BT BV BW BY BZ CA CD CF CG CH CI CK CL CM CN CO CR CV CW CY CZ DE "
    "DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FO FR GA GB GD GE GF GG GH GI GL GM "
    "GN GP GQ GR GS GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IS IT JE JM JO JP "
    "KE KG KH KI KM KN KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG "
    "MK ML MM MN MO MQ MR MS MT MU MV MW MX MY MZ NA NC NE NG NI NL NO NP NR NU NZ OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PY QA RE RO RS RU RW SA SB SC SE SG SH SI SJ "
    "SK SL SM SN SO SR SS ST SV SX SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW "
    "TZ UA UG US UY UZ VA VC VE VG VN VU WF WS XK YE YT ZA ZM ZW ZZ"
)

CREATE_SESSION = Obj(
    {
        "after_expiration": Obj(
            {
                "recovery": Obj(
                    {"allow_promotion_codes": BOOL, "enabled": BOOL},
                    required=("enabled",),
                )
            }
        ),
        "allow_promotion_codes": BOOL,
        "automatic_tax": Obj(
            {
                "enabled": BOOL,
                "liability": Obj(
                    {"account": STR, "type": Str(enum=("account", "self"))},
                    required=("type",),
                ),
            },
            required=("enabled",),
        ),
        "billing_address_collection": Str(enum=("auto", "required")),
        "cancel_url": Str(max_length=5000),
        "client_reference_id": Str(max_length=200),
        "consent_collection": Obj(
            {
                "payment_method_reuse_agreement": Obj(
                    {"position": Str(enum=("auto", "hidden"))}, required=("position",)
                ),
                "promotions": Str(enum=("auto", "none")),
                "terms_of_service": Str(enum=("none", "required")),
            }
        ),
        "currency": STR,
        "custom_fields": Arr(
            Obj(
                {
                    "dropdown": Obj(
                        {
                            "options": Arr(
                                Obj(
                                    {
                                        "label": Str(max_length=100),
                                        "value": Str(max_length=100),
                                    },
                                    required=("label", "value"),
                                )
                            )
                        },
                        required=("options",),
                    ),
                    "key": Str(max_length=200),
                    "label": Obj(
                        {"custom": Str(max_length=50), "type": Str(enum=("custom",))},
                        required=("custom", "type"),
                    ),
                    "numeric": Obj({"maximum_length": INT, "minimum_length": INT}),
                    "optional": BOOL,
                    "text": Obj({"maximum_length": INT, "minimum_length": INT}),
                    "type": Str(enum=("dropdown", "numeric", "text")),
                },
                required=("key", "label", "type"),
            )
        ),
        "custom_text": Obj(
            {
                "after_submit": AnyOf(
                    Obj({"message": Str(max_length=1200)}, required=("message",)), UNSET
                ),
                "shipping_address": AnyOf(
                    Obj({"message": Str(max_length=1200)}, required=("message",)), UNSET
                ),
                "submit": AnyOf(
                    Obj({"message": Str(max_length=1200)}, required=("message",)), UNSET
                ),
                "terms_of_service_acceptance": AnyOf(
                    Obj({"message": Str(max_length=1200)}, required=("message",)), UNSET
                ),
            }
        ),
        "customer": Str(max_length=5000),
        "customer_creation": Str(enum=("always", "if_required")),
        "customer_email": STR,
        "customer_update": Obj(
            {
                "address": Str(enum=("auto", "never")),
                "name": Str(enum=("auto", "never")),
                "shipping": Str(enum=("auto", "never")),
            }
        ),
        "discounts": Arr(
            Obj(
                {"coupon": Str(max_length=5000), "promotion_code": Str(max_length=5000)}
            )
        ),
        "expand": Arr(Str(max_length=5000)),
        "expires_at": INT,
        "invoice_creation": Obj(
            {
                "enabled": BOOL,
                "invoice_data": Obj(
                    {
                        "account_tax_ids": AnyOf(Arr(Str(max_length=5000)), UNSET),
                        "custom_fields": AnyOf(
                            Arr(
                                Obj(
                                    {
                                        "name": Str(max_length=40),
                                        "value": Str(max_length=140),
                                    },
                                    required=("name", "value"),
                                )
                            ),
                            UNSET,
                        ),
                        "description": Str(max_length=1500),
                        "footer": Str(max_length=5000),
                        "issuer": Obj(
                            {"account": STR, "type": Str(enum=("account", "self"))},
                            required=("type",),
                        ),
                        "metadata": Map(STR),
                        "rendering_options": AnyOf(
                            Obj(
                                {
                                    "amount_tax_display": Str(
                                        enum=(
                                            "",
                                            "exclude_tax",
                                            "include_inclusive_tax",
                                        )
                                    )
                                }
                            ),
                            UNSET,
                        ),
                    }
                ),
            },
            required=("enabled",),
        ),
        "line_items": Arr(
            Obj(
                {
                    "adjustable_quantity": Obj(
                        {"enabled": BOOL, "maximum": INT, "minimum": INT},
                        required=("enabled",),
                    ),
                    "dynamic_tax_rates": Arr(Str(max_length=5000)),
                    "price": Str(max_length=5000),
                    "price_data": Obj(
                        {
                            "currency": STR,
                            "product": Str(max_length=5000),
                            "product_data": Obj(
                                {
                                    "description": Str(max_length=40000),
                                    "images": Arr(STR),
                                    "metadata": Map(STR),
                                    "name": Str(max_length=5000),
                                    "tax_code": Str(max_length=5000),
                                },
                                required=("name",),
                            ),
                            "recurring": Obj(
                                {
                                    "interval": Str(
                                        enum=("day", "month", "week", "year")
                                    ),
                                    "interval_count": INT,
                                },
                                required=("interval",),
                            ),
                            "tax_behavior": Str(
                                enum=("exclusive", "inclusive", "unspecified")
                            ),
                            "unit_amount": INT,
                            "unit_amount_decimal": DECIMAL,
                        },
                        required=("currency",),
                    ),
                    "quantity": INT,
                    "tax_rates": Arr(Str(max_length=5000)),
                }
            )
        ),
        "locale": Str(enum=LOCALES),
        "metadata": Map(STR),
        "mode": Str(enum=("payment", "setup", "subscription")),
        "payment_intent_data": Obj(
            {
                "application_fee_amount": INT,
                "capture_method": Str(enum=("automatic", "automatic_async", "manual")),
                "description": Str(max_length=1000),
                "metadata": Map(STR),
                "on_behalf_of": STR,
                "receipt_email": STR,
                "setup_future_usage": Str(enum=("off_session", "on_session")),
                "shipping": Obj(
                    {
                        "address": Obj(
                            {
                                "city": Str(max_length=5000),
                                "country": Str(max_length=5000),
                                "line1": Str(max_length=5000),
                                "line2": Str(max_length=5000),
                                "postal_code": Str(max_length=5000),
                                "state": Str(max_length=5000),
                            },
                            required=("line1",),
                        ),
                        "carrier": Str(max_length=5000),
                        "name": Str(max_length=5000),
                        "phone": Str(max_length=5000),
                        "tracking_number": Str(max_length=5000),
                    },
                    required=("address", "name"),
                ),
                "statement_descriptor": Str(max_length=22),
                "statement_descriptor_suffix": Str(max_length=22),
                "transfer_data": Obj(
                    {"amount": INT, "destination": STR}, required=("destination",)
                ),
                "transfer_group": STR,
            }
        ),
        "payment_method_collection": Str(enum=("always", "if_required")),
        "payment_method_configuration": Str(max_length=100),
        "payment_method_data": Obj(
            {"allow_redisplay": Str(enum=("always", "limited", "unspecified"))}
        ),
        "payment_method_options": Obj(
            {
                "acss_debit": Obj(
                    {
                        "currency": Str(enum=("cad", "usd")),
                        "mandate_options": Obj(
                            {
                                "custom_mandate_url": AnyOf(STR, UNSET),
                                "default_for": Arr(
                                    Str(enum=("invoice", "subscription"))
                                ),
                                "interval_description": Str(max_length=500),
                                "payment_schedule": Str(
                                    enum=("combined", "interval", "sporadic")
                                ),
                                "transaction_type": Str(enum=("business", "personal")),
                            }
                        ),
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        ),
                        "verification_method": Str(
                            enum=("automatic", "instant", "microdeposits")
                        ),
                    }
                ),
                "affirm": Obj({"setup_future_usage": Str(enum=("none",))}),
                "afterpay_clearpay": Obj({"setup_future_usage": Str(enum=("none",))}),
                "alipay": Obj({"setup_future_usage": Str(enum=("none",))}),
                "amazon_pay": Obj(
                    {"setup_future_usage": Str(enum=("none", "off_session"))}
                ),
                "au_becs_debit": Obj({"setup_future_usage": Str(enum=("none",))}),
                "bacs_debit": Obj(
                    {
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        )
                    }
                ),
                "bancontact": Obj({"setup_future_usage": Str(enum=("none",))}),
                "boleto": Obj(
                    {
                        "expires_after_days": INT,
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        ),
                    }
                ),
                "card": Obj(
                    {
                        "installments": Obj({"enabled": BOOL}),
                        "request_three_d_secure": Str(
                            enum=("any", "automatic", "challenge")
                        ),
                        "setup_future_usage": Str(enum=("off_session", "on_session")),
                        "statement_descriptor_suffix_kana": Str(max_length=22),
                        "statement_descriptor_suffix_kanji": Str(max_length=17),
                    }
                ),
                "cashapp": Obj(
                    {
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        )
                    }
                ),
                "customer_balance": Obj(
                    {
                        "bank_transfer": Obj(
                            {
                                "eu_bank_transfer": Obj(
                                    {"country": Str(max_length=5000)},
                                    required=("country",),
                                ),
                                "requested_address_types": Arr(
                                    Str(
                                        enum=(
                                            "aba",
                                            "iban",
                                            "sepa",
                                            "sort_code",
                                            "spei",
                                            "swift",
                                            "zengin",
                                        )
                                    )
                                ),
                                "type": Str(
                                    enum=(
                                        "eu_bank_transfer",
                                        "gb_bank_transfer",
                                        "jp_bank_transfer",
                                        "mx_bank_transfer",
                                        "us_bank_transfer",
                                    )
                                ),
                            },
                            required=("type",),
                        ),
                        "funding_type": Str(enum=("bank_transfer",)),
                        "setup_future_usage": Str(enum=("none",)),
                    }
                ),
                "eps": Obj({"setup_future_usage": Str(enum=("none",))}),
                "fpx": Obj({"setup_future_usage": Str(enum=("none",))}),
                "giropay": Obj({"setup_future_usage": Str(enum=("none",))}),
                "grabpay": Obj({"setup_future_usage": Str(enum=("none",))}),
                "ideal": Obj({"setup_future_usage": Str(enum=("none",))}),
                "klarna": Obj({"setup_future_usage": Str(enum=("none",))}),
                "konbini": Obj(
                    {
                        "expires_after_days": INT,
                        "setup_future_usage": Str(enum=("none",)),
                    }
                ),
                "link": Obj({"setup_future_usage": Str(enum=("none", "off_session"))}),
                "mobilepay": Obj({"setup_future_usage": Str(enum=("none",))}),
                "oxxo": Obj(
                    {
                        "expires_after_days": INT,
                        "setup_future_usage": Str(enum=("none",)),
                    }
                ),
                "p24": Obj(
                    {
                        "setup_future_usage": Str(enum=("none",)),
                        "tos_shown_and_accepted": BOOL,
                    }
                ),
                "paynow": Obj({"setup_future_usage": Str(enum=("none",))}),
                "paypal": Obj(
                    {
                        "capture_method": Str(enum=("", "manual")),
                        "preferred_locale": Str(
                            enum=(
                                "cs-CZ",
                                "da-DK",
                                "de-AT",
                                "de-DE",
                                "de-LU",
                                "el-GR",
                                "en-GB",
                                "en-US",
                                "es-ES",
                                "fi-FI",
                                "fr-BE",
                                "fr-FR",
                                "fr-LU",
                                "hu-HU",
                                "it-IT",
                                "nl-BE",
                                "nl-NL",
                                "pl-PL",
                                "pt-PT",
                                "sk-SK",
                                "sv-SE",
                            )
                        ),
                        "reference": Str(max_length=127),
                        "risk_correlation_id": Str(max_length=32),
                        "setup_future_usage": Str(enum=("", "none", "off_session")),
                    }
                ),
                "pix": Obj({"expires_after_seconds": INT}),
                "revolut_pay": Obj(
                    {"setup_future_usage": Str(enum=("none", "off_session"))}
                ),
                "sepa_debit": Obj(
                    {
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        )
                    }
                ),
                "sofort": Obj({"setup_future_usage": Str(enum=("none",))}),
                "swish": Obj({"reference": Str(max_length=5000)}),
                "us_bank_account": Obj(
                    {
                        "financial_connections": Obj(
                            {
                                "permissions": Arr(
                                    Str(
                                        max_length=5000,
                                        enum=(
                                            "balances",
                                            "ownership",
                                            "payment_method",
                                            "transactions",
                                        ),
                                    )
                                ),
                                "prefetch": Arr(
                                    Str(enum=("balances", "ownership", "transactions"))
                                ),
                            }
                        ),
                        "setup_future_usage": Str(
                            enum=("none", "off_session", "on_session")
                        ),
                        "verification_method": Str(enum=("automatic", "instant")),
                    }
                ),
                "wechat_pay": Obj(
                    {
                        "app_id": Str(max_length=5000),
                        "client": Str(enum=("android", "ios", "web")),
                        "setup_future_usage": Str(enum=("none",)),
                    },
                    required=("client",),
                ),
            }
        ),
        "payment_method_types": Arr(Str(enum=PAYMENT_METHOD_TYPES)),
        "phone_number_collection": Obj({"enabled": BOOL}, required=("enabled",)),
        "redirect_on_completion": Str(enum=("always", "if_required", "never")),
        "return_url": Str(max_length=5000),
        "saved_payment_method_options": Obj(
            {
                "allow_redisplay_filters": Arr(
                    Str(enum=("always", "limited", "unspecified"))
                ),
                "payment_method_save": Str(enum=("disabled", "enabled")),
            }
        ),
        "setup_intent_data": Obj(
            {
                "description": Str(max_length=1000),
                "metadata": Map(STR),
                "on_behalf_of": STR,
            }
        ),
        "shipping_address_collection": Obj(
            {"allowed_countries": Arr(Str(enum=SHIPPING_COUNTRIES))},
            required=("allowed_countries",),
        ),
        "shipping_options": Arr(
            Obj(
                {
                    "shipping_rate": Str(max_length=5000),
                    "shipping_rate_data": Obj(
                        {
                            "delivery_estimate": Obj(
                                {
                                    "maximum": Obj(
                                        {
                                            "unit": Str(
                                                enum=(
                                                    "business_day",
                                                    "day",
                                                    "hour",
                                                    "month",
                                                    "week",
                                                )
                                            ),
                                            "value": INT,
                                        },
                                        required=("unit", "value"),
                                    ),
                                    "minimum": Obj(
                                        {
                                            "unit": Str(
                                                enum=(
                                                    "business_day",
                                                    "day",
                                                    "hour",
                                                    "month",
                                                    "week",
                                                )
                                            ),
                                            "value": INT,
                                        },
                                        required=("unit", "value"),
                                    ),
                                }
                            ),
                            "display_name": Str(max_length=100),
                            "fixed_amount": Obj(
                                {
                                    "amount": INT,
                                    "currency": STR,
                                    "currency_options": Map(
                                        Obj(
                                            {
                                                "amount": INT,
                                                "tax_behavior": Str(
                                                    enum=(
                                                        "exclusive",
                                                        "inclusive",
                                                        "unspecified",
                                                    )
                                                ),
                                            },
                                            required=("amount",),
                                        )
                                    ),
                                },
                                required=("amount", "currency"),
                            ),
                            "metadata": Map(STR),
                            "tax_behavior": Str(
                                enum=("exclusive", "inclusive", "unspecified")
                            ),
                            "tax_code": STR,
                            "type": Str(enum=("fixed_amount",)),
                        },
                        required=("display_name",),
                    ),
                }
            )
        ),
        "submit_type": Str(enum=("auto", "book", "donate", "pay")),
        "subscription_data": Obj(
            {
                "application_fee_percent": NUM,
                "billing_cycle_anchor": INT,
                "default_tax_rates": Arr(Str(max_length=5000)),
                "description": Str(max_length=500),
                "invoice_settings": Obj(
                    {
                        "issuer": Obj(
                            {"account": STR, "type": Str(enum=("account", "self"))},
                            required=("type",),
                        )
                    }
                ),
                "metadata": Map(STR),
                "on_behalf_of": STR,
                "proration_behavior": Str(enum=("create_prorations", "none")),
                "transfer_data": Obj(
                    {"amount_percent": NUM, "destination": STR},
                    required=("destination",),
                ),
                "trial_end": INT,
                "trial_period_days": INT,
                "trial_settings": Obj(
                    {
                        "end_behavior": Obj(
                            {
                                "missing_payment_method": Str(
                                    enum=("cancel", "create_invoice", "pause")
                                )
                            },
                            required=("missing_payment_method",),
                        )
                    },
                    required=("end_behavior",),
                ),
            }
        ),
        "success_url": Str(max_length=5000),
        "tax_id_collection": Obj({"enabled": BOOL}, required=("enabled",)),
        "ui_mode": Str(enum=("embedded", "hosted")),
    }
)
