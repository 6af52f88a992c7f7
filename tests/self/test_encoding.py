"""Self-tests of the wire format: `encode_form`, `urlencode_form`, `BracketList`.

The round-trip property decodes with `tests/self/_form_decoder.py`, which shares
no code with the client.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client import BracketList, encode_form, urlencode_form
from tests.self._form_decoder import FormNode, MalformedForm, decode_form

# -- strategies ------------------------------------------------------------------

_RESERVED = ["a&b", "x=y", "p+q", "50%", "#frag", "sp ace", "é", "😀", "/?:@", "'\""]

keys = st.one_of(
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="[]"),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(_RESERVED),
)
texts = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["", *_RESERVED]),
)
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    texts,
)
leaves = st.one_of(
    st.none(),
    scalars,
    st.lists(st.none() | scalars, max_size=3).map(BracketList),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(keys, children, max_size=3),
    ),
    max_leaves=12,
)
params_trees = st.dictionaries(keys, values, max_size=5)


# -- the documented normalisation, written out independently -----------------------


def _expected_scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    assert isinstance(value, str)
    return value


def _expected(value: object) -> FormNode | None:
    """What the decoder must read back; None when `value` sends nothing.

    None is dropped, empty containers vanish, scalars become str, lists become
    dicts keyed by their renumbered (gap-free) indices, a BracketList a tuple.
    """
    if value is None:
        return None
    if isinstance(value, BracketList):
        items = tuple(_expected_scalar(item) for item in value if item is not None)
        return items or None
    if isinstance(value, Mapping):
        tree = {}
        for key, sub_value in value.items():
            sub_tree = _expected(sub_value)
            if sub_tree is not None:
                tree[key] = sub_tree
        return tree or None
    if isinstance(value, list | tuple):
        kept = [sub for sub in map(_expected, value) if sub is not None]
        return {str(index): sub for index, sub in enumerate(kept)} or None
    return _expected_scalar(value)


def _ordered(node: FormNode) -> object:
    """`node` with every dict as a list of pairs, so comparison sees key order."""
    if isinstance(node, dict):
        return [(key, _ordered(sub)) for key, sub in node.items()]
    return node


# -- the round-trip property -------------------------------------------------------


@given(params_trees)
def test_encode_then_decode_gives_back_the_params(params: dict[str, object]) -> None:
    pairs = encode_form(params)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in pairs)
    decoded = decode_form(urlencode_form(pairs))
    expected = _expected(params) or {}
    assert _ordered(decoded) == _ordered(expected)


@given(
    st.dictionaries(
        keys,
        st.recursive(
            st.one_of(st.integers(), texts, st.booleans()),
            lambda children: st.one_of(
                st.lists(
                    children.filter(lambda v: not isinstance(v, bool)), min_size=1
                ),
                st.dictionaries(keys, children, min_size=1, max_size=3),
            ),
            max_leaves=8,
        ),
        max_size=4,
    )
)
def test_agrees_with_stripe_python_where_its_semantics_are_defined(
    params: dict[str, object],
) -> None:
    """Differential check against the SDK's own encoder, on the domain where the
    SDK is well-defined (no None or bools inside lists, no empty containers)."""
    sdk_encode = pytest.importorskip("stripe._encode")._api_encode
    sdk_pairs = [(key, str(value)) for key, value in sdk_encode(params)]
    assert encode_form(params) == sdk_pairs


# -- one example per rule ------------------------------------------------------------


def test_lists_are_indexed_from_zero() -> None:
    assert encode_form({"payment_method_types": ["card", "link"]}) == [
        ("payment_method_types[0]", "card"),
        ("payment_method_types[1]", "link"),
    ]


def test_lists_of_dicts_nest_under_their_index() -> None:
    params = {"line_items": [{"price": "price_1", "quantity": 2}, {"price": "price_2"}]}
    assert encode_form(params) == [
        ("line_items[0][price]", "price_1"),
        ("line_items[0][quantity]", "2"),
        ("line_items[1][price]", "price_2"),
    ]


def test_nested_dicts_use_brackets_and_keep_their_order() -> None:
    params = {
        "line_items": [
            {"price_data": {"currency": "usd", "product_data": {"name": "T"}}}
        ],
        "automatic_tax": {"enabled": True},
    }
    assert encode_form(params) == [
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][product_data][name]", "T"),
        ("automatic_tax[enabled]", "true"),
    ]


def test_booleans_are_lowercase_words() -> None:
    assert encode_form({"a": True, "b": False}) == [("a", "true"), ("b", "false")]


def test_ints_are_decimal_even_when_they_are_enums() -> None:
    class Size(enum.IntEnum):
        LARGE = 3

    assert encode_form({"n": 0, "m": -5, "big": 10**20, "e": Size.LARGE}) == [
        ("n", "0"),
        ("m", "-5"),
        ("big", "100000000000000000000"),
        ("e", "3"),
    ]


def test_decimals_are_written_in_positional_notation() -> None:
    assert encode_form(
        {"a": Decimal("1.50"), "b": Decimal("1E+2"), "c": Decimal("1E-8")}
    ) == [("a", "1.50"), ("b", "100"), ("c", "0.00000001")]


def test_none_is_dropped_at_every_depth_and_indices_stay_contiguous() -> None:
    params = {
        "a": None,
        "b": {"c": None, "d": "x"},
        "e": [None, "first", None, "second"],
        "f": [{}, {"g": None}, {"h": "kept"}],
    }
    assert encode_form(params) == [
        ("b[d]", "x"),
        ("e[0]", "first"),
        ("e[1]", "second"),
        ("f[0][h]", "kept"),
    ]


def test_empty_string_is_kept_because_it_means_unset() -> None:
    assert encode_form({"metadata": ""}) == [("metadata", "")]
    assert encode_form({"metadata": {"k": ""}}) == [("metadata[k]", "")]
    assert urlencode_form(encode_form({"metadata": ""})) == "metadata="


def test_empty_containers_send_nothing() -> None:
    params = {"metadata": {}, "items": [], "expand": BracketList([]), "x": "1"}
    assert encode_form(params) == [("x", "1")]


def test_bracket_list_repeats_empty_brackets() -> None:
    params = {"expand": BracketList(["line_items", None, "payment_intent"])}
    assert encode_form(params) == [
        ("expand[]", "line_items"),
        ("expand[]", "payment_intent"),
    ]
    nested = {"a": {"b": BracketList([1, True])}}
    assert urlencode_form(encode_form(nested)) == "a[b][]=1&a[b][]=true"


def test_bracket_list_is_a_value_type() -> None:
    assert BracketList(["a", "b"]) == BracketList(("a", "b"))
    assert list(BracketList(["a"])) == ["a"]
    assert len(BracketList([])) == 0
    with pytest.raises(TypeError, match="wrap a single value"):
        BracketList("line_items")


def test_brackets_stay_literal_on_the_wire() -> None:
    text = urlencode_form(encode_form({"line_items": [{"price": "price_1"}]}))
    assert text == "line_items[0][price]=price_1"


def test_unicode_is_utf8_percent_encoded() -> None:
    assert urlencode_form([("name", "é😀")]) == "name=%C3%A9%F0%9F%98%80"
    assert urlencode_form([("é", "x")]) == "%C3%A9=x"


def test_reserved_characters_are_escaped_in_values_and_keys() -> None:
    pairs = encode_form({"a&b=c": "x+y%z#w", "meta": {"k=1&j": "sp ace"}})
    assert urlencode_form(pairs) == ("a%26b%3Dc=x%2By%25z%23w&meta[k%3D1%26j]=sp%20ace")


def test_no_pairs_encode_to_the_empty_string() -> None:
    assert urlencode_form([]) == ""
    assert encode_form({}) == []


@pytest.mark.parametrize(
    ("params", "path", "hint"),
    [
        ({"amount": 1.5}, "amount=1.5", "Decimal"),
        ({"line_items": [{"quantity": 2.0}]}, "line_items[0][quantity]=2.0", "int"),
        ({"blob": b"x"}, "blob=b'x'", "raw_body"),
        (
            {"at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)},
            "at=datetime",
            "Unix time",
        ),
        ({"tags": {"a"}}, "tags={'a'}", "BracketList"),
        ({"expand": BracketList([{"a": "b"}])}, "expand[]={'a': 'b'}", "scalars"),
    ],
)
def test_unencodable_values_raise_type_error_naming_the_path(
    params: dict[str, object], path: str, hint: str
) -> None:
    with pytest.raises(TypeError) as caught:
        encode_form(params)
    assert path in str(caught.value)
    assert hint in str(caught.value)


def test_non_str_keys_raise_type_error_naming_where() -> None:
    with pytest.raises(TypeError, match=r"the key 0 under metadata is a int"):
        encode_form({"metadata": {0: "x"}})
    with pytest.raises(TypeError, match="at the top level"):
        encode_form({1: "x"})  # type: ignore[dict-item]


def test_params_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="needs a mapping"):
        encode_form([("a", "b")])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metadata": {"a[b]": "x"}}, "contains a bracket"),
        ({"line_items[0][price]": "p"}, "contains a bracket"),
        ({"metadata": {"": "x"}}, "empty key"),
        ({"name": "\ud800"}, "lone surrogate"),
        ({"\udfff": "x"}, "lone surrogate"),
        ({"amount": Decimal("NaN")}, "not a finite number"),
        ({"amount": Decimal("-Infinity")}, "not a finite number"),
    ],
)
def test_ambiguous_or_unencodable_input_raises_value_error(
    params: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        encode_form(params)


# -- the decoder itself must be able to fail --------------------------------------


@pytest.mark.parametrize(
    "text",
    ["a=1&a=2", "a=1&a[b]=2", "a[]=1&a[b]=2", "a", "a=b c", "a=%zz", "[x]=1", "a=x=y"],
)
def test_the_test_decoder_refuses_ambiguous_forms(text: str) -> None:
    with pytest.raises(MalformedForm):
        decode_form(text)


def test_the_test_decoder_reads_a_known_form() -> None:
    decoded: Any = decode_form("a=1&b[c]=%C3%A9&d[]=x&d[]=y&e[0][f]=g")
    assert decoded == {
        "a": "1",
        "b": {"c": "é"},
        "d": ("x", "y"),
        "e": {"0": {"f": "g"}},
    }
