"""Print the README's generated tables, so they are never edited by hand.

    python scripts/readme_tables.py contracts   # the contract catalogue table
    python scripts/readme_tables.py decisions   # the reference server's decisions

`tests/self/test_readme.py` fails when README.md differs from this output.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts import REGISTRY


def contracts_markdown() -> str:
    """One row per registered contract: name, what it asserts, needs, catalogue ids."""
    rows = ["| contract | what must hold | needs | catalogue |", "|---|---|---|---|"]
    for name, entry in REGISTRY.items():
        promise = " ".join((inspect.getdoc(entry.check) or "").split())
        needs = ", ".join(f"`{c}`" for c in sorted(entry.requires)) or "—"
        rows.append(
            f"| `{name}` | {promise} | {needs} | {', '.join(entry.catalogue)} |"
        )
    return "\n".join(rows)


def decisions_markdown() -> str:
    from reference_server._decisions import decisions_markdown as server_decisions

    return server_decisions()


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "contracts"
    tables = {"contracts": contracts_markdown, "decisions": decisions_markdown}
    if which not in tables:
        sys.exit(f"usage: python scripts/readme_tables.py {{{','.join(tables)}}}")
    print(tables[which]())
