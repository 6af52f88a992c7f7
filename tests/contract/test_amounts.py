"""Amounts: session and line item arithmetic (catalogue S-11, S-12, L-02, L-03)."""

from __future__ import annotations

import pytest
from hypothesis import given

import contracts
from run import scaled
from strategies import boundary_create_params, session_create_params
from tests.contract._flows import create_ok, line_item_pages


@pytest.mark.contract("session_subtotal_is_sum_of_line_items")
@given(params=session_create_params())
def test_subtotal_is_sum_of_line_items(api, ctx, params):
    created = create_ok(api, ctx, params)
    pages = line_item_pages(api, ctx, created)
    contracts.session_subtotal_is_sum_of_line_items(ctx, created, pages)


@pytest.mark.contract("session_subtotal_is_sum_of_line_items")
@scaled(0.25, at_least=3)
@given(params=boundary_create_params())
def test_subtotal_of_many_line_items(api, ctx, params):
    created = create_ok(api, ctx, params)
    pages = line_item_pages(api, ctx, created)
    contracts.session_subtotal_is_sum_of_line_items(ctx, created, pages)


@pytest.mark.contract("session_total_follows_from_details")
@given(params=session_create_params())
def test_total_follows_from_details(api, ctx, params):
    contracts.session_total_follows_from_details(ctx, create_ok(api, ctx, params))


@pytest.mark.contract("line_item_amounts_are_consistent")
@given(params=session_create_params())
def test_line_item_amounts_are_consistent(api, ctx, params):
    created = create_ok(api, ctx, params)
    contracts.line_item_amounts_are_consistent(ctx, line_item_pages(api, ctx, created))
