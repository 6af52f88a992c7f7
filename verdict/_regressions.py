"""Saved regressions: failures found once, kept as reviewable files, replayed first.

With `--save-regressions`, the minimal failing example of every failed contract test
is written to `regressions/<test module>/<test function>/<digest>.json`: plain JSON
holding the contract it broke and either the test's generated arguments (`kwargs`)
or, for a state machine, the sequence of rule calls (`sequence`); placeholders, not
ids, so it replays on any target. On every run (the gate included) each saved
`kwargs` becomes a Hypothesis `@example` of its test, and explicit examples run
before any generated one; each saved `sequence` is replayed by its test before
Hypothesis generates any (`verdict._stateful`).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verdict._stateful import JournalEntry

_ALLOWED_DATACLASS_MODULES = ("strategies",)


class RegressionFileError(Exception):
    """A saved regression cannot be read; the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class Regression:
    """One saved failure: which test replays it, with which arguments."""

    path: Path
    test: str
    contract: str
    kwargs: dict[str, Any]
    sequence: list[JournalEntry] | None = None


def directory_for(regressions: Path, nodeid: str) -> Path:
    """`<regressions>/<module stem>/<function>` for a test node id (parameters
    dropped)."""
    module, _, name = nodeid.partition("::")
    function = name.split("[", 1)[0].split("::")[-1]
    return regressions / Path(module).stem / function


def load_regressions(regressions: Path, nodeid: str) -> list[Regression]:
    """Every regression saved for the test `nodeid`, in file name order."""
    folder = directory_for(regressions, nodeid)
    return (
        [_read(path) for path in sorted(folder.glob("*.json"))]
        if folder.is_dir()
        else []
    )


def check_regression_files(regressions: Path) -> None:
    """Raise `RegressionFileError` for the first file under `regressions` that does
    not read as a regression. Checked once, before any test is collected: a worker
    that meets a broken file while collecting can only crash the run (xdist
    reports it as an internal error naming some other test)."""
    if regressions.is_dir():
        for path in sorted(regressions.rglob("*.json")):
            _read(path)


def _read(path: Path) -> Regression:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Regression(
            path=path,
            test=str(raw["test"]),
            contract=str(raw["contract"]),
            kwargs=decode(raw["kwargs"]) if "sequence" not in raw else {},
            sequence=(
                [
                    JournalEntry(
                        rule=str(step["rule"]),
                        args=decode(step["args"]),
                        refs={str(k): int(v) for k, v in step["refs"].items()},
                    )
                    for step in raw["sequence"]
                ]
                if "sequence" in raw
                else None
            ),
        )
    except (ValueError, KeyError, TypeError, ImportError, AttributeError) as error:
        raise RegressionFileError(
            f"{path} is not a readable regression "
            f"({type(error).__name__}: {error}); "
            "fix it by hand or delete it and save it again with --save-regressions."
        ) from None


def save_regression(
    regressions: Path,
    *,
    nodeid: str,
    contract: str,
    title: str,
    kwargs: Mapping[str, Any] | None = None,
    sequence: Sequence[JournalEntry] | None = None,
    profile: str,
    stripe_version: str,
) -> Path:
    """Write one regression file of either generated arguments or a state machine's
    sequence of rule calls (same content, same file: saving is idempotent)."""
    if (kwargs is None) == (sequence is None):
        raise TypeError("a regression holds either kwargs or a sequence")
    if sequence is None:
        field, encoded = "kwargs", encode(dict(kwargs or {}))
    else:
        field, encoded = (
            "sequence",
            [
                {"rule": s["rule"], "args": encode(s["args"]), "refs": s["refs"]}
                for s in sequence
            ],
        )
    canonical = json.dumps(encoded, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{nodeid}\n{canonical}".encode()).hexdigest()[:12]
    path = directory_for(regressions, nodeid) / f"{digest}.json"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "contract": contract,
        "title": title,
        "test": nodeid,
        "found": datetime.now(UTC).strftime("%Y-%m-%d"),
        "target_profile": profile,
        "stripe_version": stripe_version,
        "note": "Replayed first on every run. Keep it: delete it only if the contract "
        "itself changed.",
        field: encoded,
    }
    path.write_text(
        json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return path


def encode(value: Any) -> Any:
    """A JSON-able form of generated arguments that `decode` turns back exactly."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"__frozenset__": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__items__": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        return {
            "__dataclass__": f"{kind.__module__}:{kind.__qualname__}",
            "fields": {
                f.name: encode(getattr(value, f.name))
                for f in dataclasses.fields(value)
            },
        }
    raise TypeError(
        f"cannot save an argument of type {type(value).__name__} in a regression"
    )


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__frozenset__" in value:
        return frozenset(decode(v) for v in value["__frozenset__"])
    if "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    if "__items__" in value:
        return {decode(k): decode(v) for k, v in value["__items__"]}
    if "__dataclass__" in value:
        module_name, _, qualname = str(value["__dataclass__"]).partition(":")
        if not module_name.startswith(_ALLOWED_DATACLASS_MODULES):
            raise ValueError(f"refusing to build {module_name}:{qualname} from a file")
        kind: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            kind = getattr(kind, part)
        return kind(**{k: decode(v) for k, v in value["fields"].items()})
    return {k: decode(v) for k, v in value.items()}
