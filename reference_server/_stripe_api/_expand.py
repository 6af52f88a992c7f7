"""Which paths each endpoint may expand (catalogue §3.2), and the check.

`expansions` returns the requested paths as a set, or raises 400 (param
`expand`) for a path deeper than `MAX_EXPANSION_DEPTH` or not allowed there.
What an expansion puts in the answer is the resource modules' business.
"""

from __future__ import annotations

from .._errors import invalid, shorten

# §3.2: what a session can expand; lists take the same paths under `data.`.
SESSION_EXPANSIONS = frozenset(
    {
        "customer",
        "invoice",
        "line_items",
        "line_items.data.discounts",
        "line_items.data.price",
        "line_items.data.price.product",
        "line_items.data.taxes",
        "payment_intent",
        "payment_link",
        "setup_intent",
        "subscription",
        "total_details.breakdown",
    }
)
MAX_EXPANSION_DEPTH = 4
LIST_EXPANSIONS = frozenset(
    "data." + path
    for path in SESSION_EXPANSIONS
    if path.count(".") + 2 <= MAX_EXPANSION_DEPTH
)
LINE_ITEM_EXPANSIONS = frozenset(
    {"data.discounts", "data.price", "data.price.product", "data.taxes"}
)
PRICE_EXPANSIONS = frozenset({"product"})
CUSTOMER_EXPANSIONS = frozenset({"default_source", "test_clock"})


def expansions(
    requested: list[str] | None, allowed: frozenset[str], *, list_prefix: bool = False
) -> frozenset[str]:
    """The requested expansion paths, each checked against `allowed`."""
    if requested is None:
        return frozenset()
    for path in requested:
        if path.count(".") + 1 > MAX_EXPANSION_DEPTH:
            raise invalid(
                f"You cannot expand more than {MAX_EXPANSION_DEPTH} levels of a "
                f"property: {shorten(path)}",
                "expand",
            )
        if path not in allowed:
            hint = " (list expansions start with `data.`)" if list_prefix else ""
            raise invalid(
                f"This property cannot be expanded ({shorten(path)}){hint}.", "expand"
            )
    return frozenset(requested)
