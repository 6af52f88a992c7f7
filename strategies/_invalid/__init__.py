"""Invalid create params, each carrying the error a conformant server must give.

Every case is a valid draw (`session_params`, with the optional keys that
could interfere excluded up front) plus exactly one violation. The expected
answer comes from the catalogue: §2.3 for the rule, §7 for the error shape,
§12 "Verified behaviour" where a real Stripe response was found. Where Stripe
is loose or unverified about `error.param`, `params_accepted` holds every
plausible value, with None meaning "no param is acceptable too".

Families beyond §2.3: "bad-enum", "wrong-type", "unknown-parameter",
"unknown-nested-parameter" and "missing-nested-required" (§1.2, §7.3; §12
item 12 for the unknown-parameter answer); "unknown-price" and
"unknown-customer" (`resource_missing`, §7.3); "invalid-url" (`url_invalid`,
§7.3); "promotion-codes-in-setup" (§12 item 8); "fractional-amount", a price
finer than the currency's minor unit, which Checkout refuses although the
catalogue does not say so (stripe/stripe-node#1135, stripe/stripe-java#1050).

Parts of §2.3 that no family draws, and why:

* R-10: `ui_mode` values `custom`/`elements` do not exist at 2024-04-10
  (sending one is a bad enum, drawn by "bad-enum").
* `optional_items` (R-04, R-23), `excluded_payment_method_types` (R-25),
  `customer_account` (R-14), `submit_type=subscribe` (R-19): newer than
  2024-04-10.
* R-05 "both `product` and `product_data`": a `product` id would have to
  exist on the target, or the case would carry a second violation.
* R-06 metered prices, R-25 "activated on the account", R-27 maxima of
  currencies other than usd, R-17 `customer_email` over 800 characters:
  unverified, or dependent on the account.
* R-18 brackets in metadata keys: the form encoding itself cannot say
  whether `metadata[a[b]]` is a bad key or nesting; `malformed_bodies()`
  sends unbalanced brackets instead.

Layout: `_registry` holds `InvalidCase` and the variant registry, `_helpers`
the draws the families share; each family module (`_mode`, `_items`, `_urls`,
`_mode_scoped`, `_bounds`, `_scoped_counts`, `_values`, `_schema_level`)
registers the variants of one part of §2.3 or beyond it; `_families` selects
and draws among them; `_odd` draws odd expansions and parameter names. Public
here: exactly the names the rest of `strategies` imports.
"""

# The names other modules import from `strategies._invalid`, re-exported with
# redundant aliases rather than `__all__`: Hypothesis draws string constants
# from local source files, and an `__all__` of names would add new ones to that
# pool and change what the derandomized runs draw.
from strategies._invalid._families import (
    INVALID_RULES as INVALID_RULES,
)
from strategies._invalid._families import (
    invalid_create_params as invalid_create_params,
)
from strategies._invalid._families import (
    invalid_rules as invalid_rules,
)
from strategies._invalid._families import (
    invalid_variants as invalid_variants,
)
from strategies._invalid._families import (
    variant_rule as variant_rule,
)
from strategies._invalid._odd import odd_expansions as odd_expansions
from strategies._invalid._odd import odd_param_names as odd_param_names
from strategies._invalid._registry import ENFORCED_BY as ENFORCED_BY
from strategies._invalid._registry import EnforcedBy as EnforcedBy
from strategies._invalid._registry import InvalidCase as InvalidCase
