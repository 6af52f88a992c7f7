"""Every choice made where the contract catalogue is unsure, in one place.

`DECISIONS` lists (rule id, decision, why) for each behaviour the catalogue
marks L, leaves open, or does not cover, as the reference server
implements it; the constants below are the tunable parts of those choices and
are what the code uses. `decisions_markdown()` renders the table for README.md.
"""

from __future__ import annotations

from typing import NamedTuple

# the largest amount (in the currency's smallest unit) a unit amount and a
# session's amount due may reach; Stripe's cap for USD, applied to every currency.
MAX_AMOUNT = 99_999_999
# §3.2: how many line items an expanded `line_items` holds (Stripe's default page).
EXPANDED_LINE_ITEMS_LIMIT = 10
# §1.2: the largest request body read; larger ones get 413.
MAX_BODY_BYTES = 1024 * 1024
# §1.5: the longest Idempotency-Key accepted.
MAX_IDEMPOTENCY_KEY = 255
# §1.4: the version served when a request sends no Stripe-Version header.
DEFAULT_STRIPE_VERSION = "2024-04-10"


class Decision(NamedTuple):
    """One decision: the catalogue rule it concerns, what was chosen, and why."""

    rule: str
    decision: str
    why: str


DECISIONS: tuple[Decision, ...] = (
    Decision(
        "R-01",
        "Omitting `mode` is refused: 400 `parameter_missing`, param `mode`.",
        "§12 item 7: since 2022 every line item uses prices, and the older spec "
        "text made mode required when using prices; the 2024-04-10 schema just "
        "lacks a conditional `required`.",
    ),
    Decision(
        "R-05",
        "`price` with `price_data` (and `product` with `product_data`, `unit_amount` "
        "with `unit_amount_decimal`) is refused with the message `You may only "
        "specify one of these parameters: a, b.`, param = the second name in "
        "bracket form; giving neither is refused with param = the enclosing object "
        "(`line_items[0]`, `line_items[0][price_data]`) and no code.",
        "The exclusive-parameters wording is confirmed (§12 items 5, 6); the param "
        "was never captured. Naming the enclosing object for a missing choice "
        "follows the confirmed quantity-missing error (§12 item 10).",
    ),
    Decision(
        "R-06",
        "Quantity has no upper bound of its own (only the amount cap of R-27); "
        "`adjustable_quantity` defaults to minimum 0 and maximum 99, its maximum "
        "must be at least max(minimum, 1) and at most 999999, and an enabled one "
        "must contain the quantity.",
        "The catalogue gives bounds only for adjustable quantities; a lower bound "
        "of 1 for quantity is confirmed (§12 item 10).",
    ),
    Decision(
        "R-07",
        "A recurring price in `payment` mode is refused (param "
        "`line_items[i][price_data][recurring]` or `line_items[i][price]`); "
        "`subscription` mode without a recurring item is refused (param "
        "`line_items`).",
        "Payment mode cannot bill a recurring price; the catalogue infers the "
        "refusal (M).",
    ),
    Decision(
        "R-08",
        "Hosted sessions refuse `return_url` and `redirect_on_completion` "
        "(param = that name); embedded sessions require `return_url` unless "
        "`redirect_on_completion=never` (400 `parameter_missing`), and refuse it "
        "with `never`.",
        "Both are documented as applying to `ui_mode: embedded` only; §12 item 9b "
        "confirms the refusal of return_url with `never`. Payment-method-dependent "
        "requirements cannot be modelled without an account, so `always` and "
        "`if_required` both require return_url.",
    ),
    Decision(
        "R-14",
        "`customer` with `customer_email` is refused with param `customer_email`.",
        "The message is confirmed (§12 item 5); the param was not captured, and "
        "the second-named parameter is the one to drop.",
    ),
    Decision(
        "R-15",
        "Currencies must be lowercase codes from Stripe's presentment list "
        "(`USD` is refused); all line items must share one currency (param: the "
        "first item that differs); a top-level `currency` that differs from the "
        "items' currency is refused (param `currency`).",
        "The catalogue states lowercase and supported (R-15, H/M); one currency "
        "per session is inferred (M). Silently ignoring a contradicting currency "
        "would hide a client bug.",
    ),
    Decision(
        "R-16",
        "The window is inclusive at both ends: created + 1800 <= expires_at <= "
        "created + 86400, with no grace period; param `expires_at`, no code.",
        "S-09 states the closed interval [1800, 86400]. A client that computes a "
        "bound from its own clock can race a one-second tick; allowing a grace "
        "period would instead accept values the catalogue calls invalid.",
    ),
    Decision(
        "R-17",
        "`success_url`, `cancel_url` and `return_url` must be absolute http(s) "
        "URLs with a host (else 400 `url_invalid`); `customer_email` must look "
        "like an address `x@y.z` (else 400 `email_invalid`) and is at most 800 "
        "characters.",
        "The codes exist (§7.3, M); the checks are deliberately loose so that "
        "any valid address or URL passes. The literal `{CHECKOUT_SESSION_ID}` is "
        "allowed.",
    ),
    Decision(
        "R-18",
        "Metadata errors name `metadata[<key>]` for a bad key or value and "
        "`metadata` (or the nested map's name) for more than 50 keys; no code. "
        "On create, `metadata[k]=` stores nothing for k and `metadata=` gives {}.",
        "The catalogue only says `metadata[...]`; naming the key points at the "
        "offending entry. Empty values unset, so there is nothing to store.",
    ),
    Decision(
        "R-21",
        "`allow_promotion_codes` with `discounts` is refused with param "
        "`discounts`, whatever the boolean's value.",
        "§12 item 6 confirms the refusal even with false; param not captured.",
    ),
    Decision(
        "R-24b",
        "Trials (`trial_period_days`, `trial_end`) do not change a session's or its "
        "line items' amounts.",
        "The catalogue describes no trial arithmetic; amounts stay the sum of the "
        "line items so that S-11 and S-12 hold for every mode.",
    ),
    Decision(
        "R-25",
        "Every enum value of `payment_method_types` is accepted; no "
        "currency/method compatibility is checked.",
        "Activation is per account (L); this server has no account to consult.",
    ),
    Decision(
        "R-27",
        f"`unit_amount`, `unit_amount_decimal` and the session's amount due may "
        f"not exceed {MAX_AMOUNT} minor units, for every currency (param "
        "`...[unit_amount]` with `parameter_invalid_integer`, or `line_items`).",
        "Stripe caps amounts per currency (L); its USD cap is the common one and "
        "one cap keeps the rule predictable.",
    ),
    Decision(
        "R-28",
        "`interval_count` >= 1 and at most 3 years, 36 months, 156 weeks or 1095 days.",
        "The catalogue gives years, months and weeks; 1095 days is three years.",
    ),
    Decision(
        "R-11+",
        "`invoice_creation` is payment-mode only; `shipping_options` are refused in "
        "setup mode and their `fixed_amount[currency]` must equal the session "
        "currency; `shipping_rate_data` must have `fixed_amount`.",
        "Invoices after payment exist only in payment mode (catalogue INF); setup "
        "sessions have no amounts to add shipping to.",
    ),
    Decision(
        "§12.8",
        "In `setup` mode, `line_items`, `allow_promotion_codes` (any value, `false` "
        "too), `submit_type`, `phone_number_collection` and "
        '`saved_payment_method_options` are refused with the message "You can not '
        'pass `allow_promotion_codes` in `setup` mode." (naming each parameter): '
        "400 `invalid_request_error`, no code, param = that name.",
        "§12 item 8 confirms the wording for `line_items` and `allow_promotion_codes` "
        "without capturing a param; the param names the parameter the message "
        "names. The catalogue marks the other three as payment/subscription only "
        "(R-19, R-20), so they get the same wording. Any value is refused because "
        "Stripe checks this parameter's presence, not its value, against "
        "`discounts` (§12 item 6).",
    ),
    Decision(
        "refs",
        "Prices, products, customers and coupons must exist (created with "
        "`POST /v1/prices`, `/v1/customers`, `/v1/coupons`); ids of objects this "
        "server cannot hold (promotion codes, shipping rates, tax rates, tax ids, "
        "payment method configurations, connected accounts) are refused with 400 "
        "`resource_missing` and the param that named them. Coupons are percent-off "
        "only (`percent_off`, `duration`, `name`, `metadata`); a session's coupon "
        "takes `percent_off` of the subtotal, rounded half up, as "
        "`total_details.amount_discount` (line items keep `amount_discount` 0).",
        "A referenced object that does not exist is `resource_missing` (§7.3); "
        "the suite creates what it references, as it must on real Stripe, so "
        "R-21 and R-22 are judged with coupons that exist. Per-item discount "
        "shares are not in the catalogue.",
    ),
    Decision(
        "S-04",
        "A fresh payment or subscription session is `unpaid` even when its total "
        "is 0; setup sessions are `no_payment_required`.",
        "The catalogue maps only totals > 0; a fresh session has not been paid.",
    ),
    Decision(
        "S-06",
        "`payment_intent`, `setup_intent`, `subscription` and `invoice` are null "
        "on every fresh session.",
        "§12 item 15 confirms lazy PaymentIntents; SetupIntents are created at "
        "confirmation the same way.",
    ),
    Decision(
        "S-14",
        "Setup-mode sessions have `amount_subtotal`, `amount_total` and "
        "`total_details` null and no line items.",
        "There is nothing to pay; null is what the nullable fields are for.",
    ),
    Decision(
        "S-16",
        "Absent parameters read back as null, except `customer_creation` "
        "(`if_required` in payment and setup mode, null in subscription mode), "
        "`payment_method_collection` (`always`), `payment_method_types` "
        '(`["card"]`) and `redirect_on_completion` (`always`, embedded only); '
        "`automatic_tax[enabled]=true` reads back with liability `{type: self}` "
        "and status `requires_location_inputs`.",
        "These are the documented defaults; everything else has none.",
    ),
    Decision(
        "§3.1",
        "Hosted sessions have no `return_url` or `redirect_on_completion` keys; "
        "embedded sessions always have `redirect_on_completion` and have "
        "`return_url` when one was given. Every other property of the 2024-04-10 "
        "object is always present (null when empty); `line_items` only when "
        "expanded.",
        "The 2024-04-10 spec types both as non-nullable and optional, the mark it "
        "also gives `line_items` (present only when expanded).",
    ),
    Decision(
        "§3.1b",
        "`customer_details` is prefilled from `customer_email` ({email, "
        "tax_exempt: none, others null}) and null otherwise.",
        "The `customer_details[email]` list filter would be useless on open "
        "sessions otherwise.",
    ),
    Decision(
        "§3.2",
        f"An expanded `line_items` holds the first {EXPANDED_LINE_ITEMS_LIMIT} items "
        "with `has_more` and `url` `/v1/checkout/sessions/{id}/line_items`; "
        "`line_items.data.price.product`, `total_details.breakdown` and `customer` "
        "expand too; unknown expansions are refused (400, param `expand`).",
        "Embedded lists use Stripe's default page size.",
    ),
    Decision(
        "L-03",
        "A session refuses a line item whose price (`price_data` or a stored price) "
        "has a `unit_amount_decimal` with a fractional part in minor units (usd "
        "`10.5`, jpy `100.5`): 400 `invalid_request_error`, no code, param "
        '`line_items[i]`, message as quoted (for usd: "Checkout does not currently '
        "support usd prices with more than 2 decimal places in `line_items[0]`. "
        '..."; zero-decimal currencies say 0 places). Whole '
        "numbers (`1000`, `1000.000`) are accepted and read back as `unit_amount` "
        "1000. So no rounding applies to sessions: a line item's amount is exactly "
        "quantity x unit amount. `POST /v1/prices` still accepts fractional "
        "decimals (such a price has `unit_amount` null); only Checkout refuses them.",
        "stripe-node#1135 (2021, Stripe staff reply) and stripe-java#1050 (2020) "
        "quote Checkout's refusal, and the message names `line_items[0]`. The "
        "confirmed quantity-missing error (§12 item 10) also names the item in its "
        "message and uses it as param, so the param here is the item too. The "
        "catalogue's +-1 allowance for decimal prices is moot once they are refused.",
    ),
    Decision(
        "S-03",
        "A session changes status only through expire: it does not expire on its "
        "own when `expires_at` passes, and it never completes.",
        "Completion needs a customer at the hosted page; a test run is far "
        "shorter than the 30-minute minimum expiry.",
    ),
    Decision(
        "L-08",
        "Line items keep the order of `line_items[]` in the request, on "
        "`/line_items` and when expanded.",
        "The natural order; the catalogue infers it (L).",
    ),
    Decision(
        "§5.3",
        "`limit` outside 1..100 is 400 `parameter_invalid_integer`, param `limit`; "
        "both cursors is 400 without code or param; an unknown cursor, or one "
        "filtered out of the list, is 400 `resource_missing` with param = the "
        "cursor's name. List filters never check that the ids they name exist.",
        "§12 items 1, 13, 14.",
    ),
    Decision(
        "§1.2",
        "A repeated scalar key keeps its last value; `a[]` appends and `a[][k]` "
        "fills the last element while it lacks k (Rack's rules); index gaps close "
        "in index order; a key used both as value and object, malformed escapes, "
        "bad UTF-8 and nesting deeper than 12 are 400. On POST the query string "
        "is merged before the body.",
        "Stripe's decoder descends from Rack; the catalogue leaves gaps unverified "
        "(L).",
    ),
    Decision(
        "§1.2b",
        "An empty string for a parameter that cannot be unset is 400 "
        '`parameter_invalid_empty`; maps (`metadata`) and the `""` alternatives '
        "of the spec can be unset.",
        "Stripe treats empty values as unset requests (§1.2).",
    ),
    Decision(
        "§1.2c",
        "A POST body must be form-encoded: JSON or another Content-Type is 400; "
        f"bodies over {MAX_BODY_BYTES} bytes are 413 and the connection is closed.",
        "Stripe's status vocabulary is 400 for every unreadable request; 413 is "
        "kept for size because the body is never read, so the connection cannot "
        "be reused.",
    ),
    Decision(
        "§1.4",
        "Any well-formed Stripe-Version (YYYY-MM-DD with an optional .name) is "
        "accepted and echoed in the `Stripe-Version` response header; behaviour "
        "is always 2024-04-10's. A malformed version is 400.",
        "§12 item 3c: the header is likely; one version is implemented.",
    ),
    Decision(
        "§1.5",
        "Keys are scoped per API key; a replay returns the stored status and body "
        "with a new Request-Id and `Idempotent-Replayed: true`; params compare "
        "after decoding, so order does not matter; 200s, state errors (expire or "
        "update of a non-open session) and 500s are stored; validation errors, "
        "401 and 404 are not; a concurrent request with an in-flight key is 409 "
        "`idempotency_key_in_use`; an empty key counts as no key.",
        "§1.5 and §12 items 3a/3b; the rest follows what 'execution began' means.",
    ),
    Decision(
        "§6.1",
        "Expiring a non-open session is 400 with the §12 item 2 message and no "
        "code or param; `expires_at` is unchanged by expiry.",
        "§12 item 2; E-05.",
    ),
    Decision(
        "§6.2",
        "Updating a non-open session is 400 (no code, no param); a refused update "
        "changes nothing; the merged metadata must still hold at most 50 keys.",
        "The catalogue expects the refusal (M); partial application would leave "
        "the object in a state no request asked for.",
    ),
    Decision(
        "§12.4",
        "An unknown session id is 404 `resource_missing` with param `session` "
        "(`No such checkout.session: '<id>'`; on `/line_items` `No such checkout "
        "session: '<id>'`); an id not shaped like a session id (not `cs_` plus "
        "letters, digits and `_`) is 404 `Invalid checkout.session id: <id>` "
        "without code or param, unless a session with that id exists.",
        "§12 item 4.",
    ),
    Decision(
        "§7.3",
        "Error codes are given only where evidence ties them: `resource_missing`, "
        "`parameter_unknown`, `parameter_missing`, `parameter_invalid_integer`, "
        "`parameter_invalid_empty`, `url_invalid`, `email_invalid`, "
        "`idempotency_key_in_use`; every other error has no code. Bad enums, "
        "strings, booleans and objects name the param.",
        "§12: cross-field errors were never seen with a code.",
    ),
    Decision(
        "§1.3",
        "Accepted keys: `sk_test_` or `rk_test_` followed by letters, digits or "
        "`_`, sent as Bearer or as the Basic user name. Live keys are 401. Any "
        "accepted key is served (there is no list of known keys), so this server "
        "cannot tell a well-formed unknown key from a real one.",
        "§12 item 16 gives the 401 bodies; a self-contained server has no account "
        "registry.",
    ),
)


def decisions_markdown() -> str:
    """`DECISIONS` as a Markdown table (rule | decision | why), one row each."""
    lines = ["| rule | decision | why |", "|---|---|---|"]
    for decision in DECISIONS:
        cells = (decision.rule, decision.decision, decision.why)
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        )
    return "\n".join(lines) + "\n"
