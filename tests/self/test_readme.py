"""The README tells the truth: its commands, its generated tables, its contract list."""

from __future__ import annotations

import re
import subprocess
import sys

from contracts import REGISTRY
from tests.self._suite import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_code_block() -> list[str]:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()


def test_readme_opens_with_exactly_the_two_commands():
    run_suite, run_tests = _first_code_block()
    assert run_suite.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert run_suite.endswith(".venv/bin/pytest -n auto")
    assert "'.[dev]'" in run_tests
    assert run_tests.endswith("pytest tests/self -n auto")


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec bash -c" in script
    extracted = subprocess.run(
        ["sed", "-n", "/^```sh$/{n;n;p;q}", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == _first_code_block()[1]


def test_contract_table_is_generated_from_the_registry():
    generated = subprocess.run(
        [sys.executable, "scripts/readme_tables.py", "contracts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    between = README.split("<!-- contracts:start -->", 1)[1].split(
        "<!-- contracts:end -->"
    )[0]
    assert between.strip() == generated.strip(), (
        "README.md's contract table is stale: python scripts/readme_tables.py contracts"
    )


def test_every_contract_and_option_is_documented():
    for name in REGISTRY:
        assert f"`{name}`" in README, name
    declared = (ROOT / "run" / "_options.py").read_text(encoding="utf-8")
    options = re.findall(r'addoption\(\s*"(--[a-z-]+)"', declared)
    assert len(options) >= 15, options  # the pattern still finds the declarations
    for option in options:
        assert f"`{option}" in README, option
