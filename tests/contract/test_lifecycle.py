"""Lifecycles: a state machine with a model, checked after every step (catalogue §6).

Single requests cannot find the bugs that live between requests: an expire that is
not persisted, a list that forgets the newest session, an update that replaces
instead of merging, a stale retrieve, a refused request that changed something.
Hypothesis runs random sequences of calls and shrinks a failing one to the shortest
sequence, which the failure prints step by step with its cURL commands, and which
`--save-regressions` keeps as a journal of rule calls that every later run replays
first.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

import contracts
from client import Exchange
from contracts import ContractContext, ModelSession, Step
from run import scaled
from strategies import (
    idempotency_keys,
    invalid_create_params,
    metadata_updates,
    session_create_params,
)
from target import Api, ObjectUnavailable
from tests.contract._flows import minimal_session_params
from verdict import JournaledMachine, SavedSequence, journaled

# How often a walk that other clients spoiled is walked again before the part it
# covered is judged instead (see LifecycleMachine._walk).
WALK_ATTEMPTS = 3


def _body(exchange: Exchange) -> dict:
    body = exchange.response.json
    return body if isinstance(body, dict) else {}


class LifecycleMachine(JournaledMachine):
    """Creates, expires, updates, replays and lists sessions; after every step the
    target must agree with the model of what this run did.

    The target may be shared (xdist workers on one URL, a real account): other
    clients create and expire sessions while this machine runs, and an earlier
    attempt of this machine (Hypothesis replays and shrinks) left its sessions
    behind. So every judgement is about this machine's own sessions, and a list
    walk is judged on what it could cover (see `_walk`).
    """

    api: Api
    ctx: ContractContext
    sessions = Bundle("sessions")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[str, ModelSession] = {}
        self.steps: list[Step] = []
        self.replayable: list[
            tuple[str, dict, Exchange]
        ] = []  # key, params, first answer

    def _step(self, description: str, *exchanges: Exchange) -> None:
        self.steps.append(Step(description, tuple(exchanges)))

    def _must_succeed(self, exchange: Exchange) -> None:
        try:
            contracts.valid_requests_succeed(self.ctx, exchange)
        except contracts.ContractFailure as failure:
            failure.steps = tuple(self.steps)
            raise

    def can_replay(self, rule: str) -> bool:
        return "update" not in rule or "update_endpoint" in self.ctx.capabilities

    @initialize()
    @journaled()
    def start(self) -> None:
        """Nothing to prepare; kept so that saved journals, which begin with it,
        replay."""

    @rule(
        target=sessions,
        params=session_create_params(),
        key=st.none() | idempotency_keys(),
    )
    @journaled()
    def create(self, params: dict, key: str | None) -> str:
        if key is not None:  # a key binds its first request: never reuse one by chance
            key = f"{uuid.uuid4().hex}-{key}"[:255]
        resolved = self.api.resolve(params)
        exchange = self.api.create_session(resolved, idempotency_key=key)
        self._step(
            f"create a {resolved.get('mode')} session"
            f"{' with an Idempotency-Key' if key else ''}",
            exchange,
        )
        self._must_succeed(exchange)
        body = _body(exchange)
        metadata = {
            k: str(v)
            for k, v in (resolved.get("metadata") or {}).items()
            if v not in ("", None)
        }
        session = ModelSession(
            id=str(body["id"]), created=int(body["created"]), metadata=metadata
        )
        self.model[session.id] = session
        if key is not None:
            self.replayable.append((key, resolved, exchange))
        return session.id

    @precondition(lambda self: bool(self.replayable))
    @rule(pick=st.integers(0, 1000))
    @journaled()
    def replay_create(self, pick: int) -> None:
        key, params, first = self.replayable[pick % len(self.replayable)]
        replay = self.api.create_session(params, idempotency_key=key)
        self._step("repeat that create with the same Idempotency-Key", replay)
        if "idempotency" in self.ctx.capabilities:
            contracts.idempotent_replay_is_identical(self.ctx, first, replay)

    @rule(session=sessions)
    @journaled(refs=["session"])
    def expire(self, session: str) -> None:
        before = self.api.retrieve(session)
        exchange = self.api.expire(session)
        self._step(f"expire {session}", exchange)
        if self.model[session].status == "open":
            self._must_succeed(exchange)
            self.model[session].status = "expired"
        else:
            after = self.api.retrieve(session)
            contracts.refused_requests_change_nothing(
                self.ctx, exchange, before, after, self.steps
            )

    @precondition(lambda self: "update_endpoint" in self.ctx.capabilities)
    @rule(session=sessions, update=metadata_updates())
    @journaled(refs=["session"])
    def update(self, session: str, update: dict) -> None:
        exchange = self.api.update(session, update)
        self._step(f"update the metadata of {session}", exchange)
        model = self.model[session]
        if model.status == "open":
            self._must_succeed(exchange)
        if exchange.response.status == 200:  # an expired session may refuse updates
            model.metadata = contracts.merged_metadata(
                model.metadata, update.get("metadata")
            )

    @precondition(lambda self: "update_endpoint" in self.ctx.capabilities)
    @rule(session=sessions, update=metadata_updates())
    @journaled(refs=["session"])
    def refused_update(self, session: str, update: dict) -> None:
        valid = (
            update.get("metadata") if isinstance(update.get("metadata"), dict) else {}
        )
        # One key over Stripe's 40-character limit, after the valid ones: a server that
        # applies keys one by one and stops at the bad one changes the session.
        bad = {**valid, "k" * 41: "over the key length limit"}
        before = self.api.retrieve(session)
        exchange = self.api.update(session, {"metadata": bad})
        after = self.api.retrieve(session)
        self._step(
            f"update {session} with a 41-character metadata key (refused)", exchange
        )
        contracts.refused_requests_change_nothing(
            self.ctx, exchange, before, after, self.steps
        )

    @precondition(lambda self: bool(self.model))  # a refusal between real steps
    @rule(case=invalid_create_params(enforced_by="conditional"))
    @journaled()
    def refused_create(self, case: object) -> None:
        try:
            exchange = self.api.create_session(case.params, valid=False)  # type: ignore[attr-defined]
        except ObjectUnavailable:
            return  # the run lacks an object this refusal needs: leave the step out
        self._step(f"create with {case.description} (refused)", exchange)  # type: ignore[attr-defined]

    def _window(self) -> dict:
        """The list filter that holds every session of this machine and as few
        others as it can: created no earlier than this machine's first session."""
        return {"created": {"gte": min(s.created for s in self.model.values())}}

    def _walk(self, params: dict) -> tuple[list[Exchange], list[Exchange]]:
        """Walk the sessions list: (the pages to judge, every exchange it took).

        Another client may expire one of its own sessions while this walk pages past
        it; a list filtered by status then no longer holds that cursor, and the
        target may refuse the next page (400, as for an unknown cursor). Such a
        walk is walked again, up to WALK_ATTEMPTS times; if other clients keep
        spoiling it, the pages before the refused one are judged as a walk cut
        short. A refusal no other client explains (the cursor is this machine's
        session, or still matches the filter) stays in the pages, for the contract
        to report.
        """
        taken: list[Exchange] = []
        for _ in range(WALK_ATTEMPTS):
            pages = self.api.walk_sessions(params)
            taken += pages
            explanation = self._spoiled_by_others(pages, params)
            if explanation is None:
                return pages, taken
            taken.append(explanation)
        return pages[:-1], taken

    def _spoiled_by_others(
        self, pages: list[Exchange], params: dict
    ) -> Exchange | None:
        """The retrieve showing that another client moved the refused page's cursor
        out of the filtered list, or None when the walk was not spoiled so."""
        if len(pages) < 2 or pages[-1].response.status == 200:
            return None
        cursor = (pages[-1].request.params or {}).get("starting_after")
        status = params.get("status")
        if not isinstance(cursor, str) or cursor in self.model or status is None:
            return None
        retrieved = self.api.retrieve(cursor)
        now = _body(retrieved).get("status")
        if retrieved.response.status == 200 and now != status:
            return retrieved
        return None

    @precondition(lambda self: bool(self.model))
    @rule(status=st.sampled_from([None, "open", "expired"]), limit=st.integers(1, 10))
    @journaled()
    def walk(self, status: str | None, limit: int) -> None:
        params: dict = {**self._window(), "limit": limit}
        if status:
            params["status"] = status
        pages, taken = self._walk(params)
        self._step(
            f"list sessions{f' with status={status}' if status else ''}, "
            f"{limit} per page",
            *taken,
        )
        expected = [s for s in self.model.values() if status in (None, s.status)]
        contracts.list_agrees_with_model(self.ctx, pages, expected, self.steps)

    def check(self) -> None:
        """After every step: retrieve and a list walk agree with the model."""
        for session in self.model.values():
            retrieved = self.api.retrieve(session.id)
            steps = [*self.steps, Step(f"retrieve {session.id}", (retrieved,))]
            contracts.expired_sessions_stay_expired(self.ctx, retrieved, session, steps)
            contracts.retrieve_agrees_with_model(self.ctx, retrieved, session, steps)
        if self.model:
            pages, taken = self._walk({**self._window(), "limit": 100})
            steps = [
                *self.steps,
                Step("list every session since the first one", tuple(taken)),
            ]
            contracts.list_agrees_with_model(
                self.ctx, pages, list(self.model.values()), steps
            )


@pytest.mark.contract(
    "retrieve_agrees_with_model",
    "expired_sessions_stay_expired",
    "list_agrees_with_model",
    "refused_requests_change_nothing",
)
def test_lifecycle_state_machine(
    api, ctx, saved_sequences: list[SavedSequence], failing_journals
):
    LifecycleMachine.api, LifecycleMachine.ctx = api, ctx
    LifecycleMachine.journal_sink = failing_journals
    for saved in saved_sequences:  # regressions first, as for every other test
        LifecycleMachine.replay(saved.journal, source=saved.source)
    base = scaled(1.0, at_least=5)
    if saved_sequences and Phase.generate not in base.phases:
        return  # a replay-only run (contracts-replay): the saved sequences were all
    # Fuzzing explores longer sequences; the gate keeps them short (and a run's
    # time linear in --max-examples, which names the profile contracts-fuzz-xN).
    fuzzing = settings.get_current_profile_name().startswith("contracts-fuzz")
    steps = 30 if fuzzing else 15
    run_state_machine_as_test(
        LifecycleMachine, settings=settings(base, stateful_step_count=steps)
    )


@pytest.mark.contract("concurrent_creates_get_distinct_ids")
@pytest.mark.parametrize("parallel", [4, 8])
def test_concurrent_creates_get_distinct_ids(api, ctx, parallel):
    customer = api.new_customer()
    params = minimal_session_params(customer=customer)
    with ThreadPoolExecutor(parallel) as pool:
        creates = list(pool.map(lambda _: api.create_session(params), range(parallel)))
    pages = api.walk_sessions({"customer": customer, "limit": 100})
    contracts.concurrent_creates_get_distinct_ids(ctx, creates, pages)
