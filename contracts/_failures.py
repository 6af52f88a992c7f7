"""Typed contract failures and the text they print.

Every contract raises its own subclass of `ContractFailure`. Hypothesis tells bugs
apart by exception type and raise site, so one class per contract gives one report
per distinct bug, and the class's `title` is the one-line headline a user reads.

A failure renders as:

    [contract_name] One-line title
      Received: ...
      Expected: ...
      Catalogue: S-11
      Stripe-Version: 2024-04-10
    Reproduce:
      curl ...
    Response: 200 application/json, Request-Id req_...
      { ...trimmed JSON... }
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from contracts._reproduce import reproduction_script

if TYPE_CHECKING:
    from client import Exchange

#: How much of a response body a failure shows; enough to see the problem, short
#: enough that a CI log stays readable.
_MAX_BODY_LINES = 40
_MAX_STRING = 120
_MAX_LIST_ITEMS = 3
_MAX_FIELDS_UNFOCUSED = 12
_MAX_DEPTH = 3
_IDENTITY = ("id", "object")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a multi-request scenario: what it did and the requests it sent."""

    description: str
    exchanges: tuple[Exchange, ...]


class ContractFailure(AssertionError):
    """A target broke a promise of the contract catalogue.

    Subclasses set `title`; `@contract` binds `contract` to the function that raises
    them. `facts` are labelled lines (`("Received", "status='pending'")`); `exchanges`
    are the requests that show the violation, rendered as a copy-paste reproduction;
    `focus` names the response fields worth showing first; `steps` describe a
    multi-step scenario (the state machine) in order, and `steps_origin` says where
    that sequence comes from (a fresh shrink unless a saved regression was replayed).
    """

    contract: ClassVar[str] = ""
    catalogue: ClassVar[tuple[str, ...]] = ()
    title: ClassVar[str] = "A contract was broken"

    def __init__(
        self,
        *facts: tuple[str, object],
        exchanges: Sequence[Exchange] = (),
        focus: Sequence[str] = (),
        steps: Sequence[Step] = (),
    ) -> None:
        self.facts = tuple((label, str(value)) for label, value in facts)
        self.exchanges = tuple(exchanges)
        self.focus = tuple(focus)
        self.steps = tuple(steps)
        self.steps_origin = "the shortest sequence Hypothesis found"
        super().__init__(self.headline)

    @property
    def headline(self) -> str:
        """`[contract] title`: what the terminal's short summary and JUnit show."""
        return f"[{self.contract or type(self).__name__}] {self.title}"

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        """The full report: headline, labelled facts, reproduction, response excerpt."""
        lines = [self.headline]
        lines += [
            f"  {label}: {_indent_continuation(value)}" for label, value in self.facts
        ]
        if self.catalogue:
            lines.append(f"  Catalogue: {', '.join(self.catalogue)}")
        version = _stripe_version(self.exchanges, self.steps)
        if version:
            lines.append(f"  Stripe-Version: {version}")
        if self.steps:
            lines += _render_steps(self.steps, self.steps_origin)
        elif self.exchanges:
            lines.append("Reproduce:")
            lines += ["  " + line for line in reproduction_script(self.exchanges)]
        shown = self._exchange_to_show()
        if shown is not None:
            lines += response_excerpt(shown, self.focus)
        return "\n".join(lines)

    def _exchange_to_show(self) -> Exchange | None:
        """The response worth reading: the first whose body has a focused field at its
        top level (the session whose subtotal is wrong, not the line items page that
        proves it), else the last one."""
        every = list(self.exchanges) or [
            e for step in self.steps for e in step.exchanges
        ]
        for exchange in every:
            body = exchange.response.json
            if isinstance(body, dict) and any(k in body for k in self.focus):
                return exchange
        return every[-1] if every else None


def _indent_continuation(value: str) -> str:
    return value.replace("\n", "\n    ")


def _stripe_version(exchanges: Sequence[Exchange], steps: Sequence[Step]) -> str | None:
    every = list(exchanges) + [e for step in steps for e in step.exchanges]
    for exchange in every:
        for name, value in exchange.request.headers:
            if name.lower() == "stripe-version":
                return value
    return None


def _render_steps(steps: Sequence[Step], origin: str) -> list[str]:
    lines = [f"Steps ({origin}):"]
    all_exchanges = [e for step in steps for e in step.exchanges]
    script = iter(reproduction_script(all_exchanges, one_line_each=True))
    for number, step in enumerate(steps, start=1):
        lines.append(f"  {number}. {step.description}")
        for _ in step.exchanges:
            lines.append("     " + next(script))
    return lines


def response_excerpt(exchange: Exchange, focus: Sequence[str] = ()) -> list[str]:
    """The response of `exchange` as a few readable lines: status, headers, trimmed
    body."""
    response = exchange.response
    headers = [response.content_type or "no Content-Type"]
    for name in ("Request-Id", "Idempotent-Replayed", "Stripe-Version"):
        value = response.header(name)
        if value:
            headers.append(f"{name} {value}")
    lines = [f"Response: {response.status} " + ", ".join(headers)]
    if response.json is not None:
        body = json.dumps(
            _trim(response.json, focus), indent=2, ensure_ascii=False, sort_keys=False
        ).splitlines()
    else:
        body = (response.text or "<empty body>").splitlines() or ["<empty body>"]
    if len(body) > _MAX_BODY_LINES:
        body = [
            *body[:_MAX_BODY_LINES],
            f"... ({len(body) - _MAX_BODY_LINES} more lines)",
        ]
    lines += ["  " + line for line in body]
    return lines


def _trim(value: object, focus: Sequence[str] = (), depth: int = 0) -> object:
    """A copy of a JSON value cut down for reading: long strings, lists and objects.

    At the top, the focused fields and the object's identity (`id`, `object`) are
    shown and the rest counted; without focus, the first fields are kept. Nesting
    deeper than three levels is elided. Nothing is dropped without saying so.
    """
    if isinstance(value, str):
        if len(value) > _MAX_STRING:
            return value[:_MAX_STRING] + f"...(+{len(value) - _MAX_STRING} chars)"
        return value
    if isinstance(value, list):
        kept = [_trim(item, depth=depth + 1) for item in value[:_MAX_LIST_ITEMS]]
        if len(value) > _MAX_LIST_ITEMS:
            kept.append(f"...({len(value) - _MAX_LIST_ITEMS} more items)")
        return kept
    if isinstance(value, dict):
        if depth >= _MAX_DEPTH and value:
            return f"{{...{len(value)} fields}}"
        shown = [k for k in (*focus, *_IDENTITY) if k in value]
        shown = list(dict.fromkeys(shown))
        if not focus:
            shown += [k for k in value if k not in shown][
                : _MAX_FIELDS_UNFOCUSED - len(shown)
            ]
        trimmed = {k: _trim(value[k], depth=depth + 1) for k in shown}
        if len(value) > len(shown):
            trimmed["..."] = f"{len(value) - len(shown)} more fields"
        return trimmed
    return value
