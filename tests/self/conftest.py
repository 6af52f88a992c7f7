"""Options and fixtures of the suite's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.self._stripe_mock import find_binary, running_stripe_mock


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--stripe-mock",
        default=None,
        metavar="PATH",
        help="stripe-mock binary for the self-tests that run the suite against it "
        "(default: $STRIPE_MOCK, else ../shared/peers/stripe-mock/stripe-mock).",
    )


@pytest.fixture(scope="module")
def stripe_mock_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """The base URL of a real stripe-mock started for the requesting module."""
    with running_stripe_mock(find_binary(pytestconfig.getoption("stripe_mock"))) as url:
        yield url
