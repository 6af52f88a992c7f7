"""HTTP (catalogue §1.6): every answer is JSON and carries a Request-Id.

One test per kind of answer (created, refused, not found, unauthorised, listed), so
each kind is judged in every run; generated rather than parametrized because each
needs its own top-level @given (see test_errors.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contracts
from client import Auth
from run import scaled
from strategies import invalid_create_params, session_create_params

SESSIONS = "/v1/checkout/sessions"
_ID_TAIL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=24, max_size=24)

# kind of answer -> (what to draw, how to ask for it)
_ANSWERS = {
    "created": (
        session_create_params(),
        lambda api, params: api.create_session(params),
    ),
    "refused": (
        invalid_create_params(),
        lambda api, case: api.create_session(case.params, valid=False),
    ),
    "not_found": (_ID_TAIL, lambda api, tail: api.retrieve(f"cs_test_{tail}")),
    "listed": (
        st.integers(1, 100),
        lambda api, limit: api.list_sessions({"limit": limit}),
    ),
    "unauthorised": (
        st.sampled_from(["GET", "POST"]),
        lambda api, method: api.send(method, SESSIONS, auth=Auth.NONE),
    ),
}
_CONTRACTS = {
    "responses_are_json": contracts.responses_are_json,
    "responses_carry_request_id": contracts.responses_carry_request_id,
}


def _answer_test(contract_name, kind):
    strategy, ask = _ANSWERS[kind]
    check = _CONTRACTS[contract_name]

    @pytest.mark.contract(contract_name)
    @scaled(0.2, at_least=3)
    @given(value=strategy)
    def test(api, ctx, value):
        check(ctx, ask(api, value))

    test.__name__ = test.__qualname__ = f"test_{contract_name}_when_{kind}"
    return test


for _contract in _CONTRACTS:
    for _kind in _ANSWERS:
        _test = _answer_test(_contract, _kind)
        globals()[_test.__name__] = _test
del _contract, _kind, _test


@pytest.mark.contract("responses_carry_request_id")
@scaled(0.2, at_least=3)
@given(
    kinds=st.lists(st.sampled_from(sorted(_ANSWERS)), min_size=2, max_size=3),
    data=st.data(),
)
def test_request_ids_differ_between_answers(api, ctx, kinds, data):
    answers = []
    for kind in kinds:
        strategy, ask = _ANSWERS[kind]
        answer = ask(api, data.draw(strategy, label=kind))
        contracts.responses_carry_request_id(ctx, answer, earlier=answers)
        answers.append(answer)
