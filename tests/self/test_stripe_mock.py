"""The suite against the real stripe-mock, run as a user runs it: the README's line,
verbatim but for the port, and the exact verdict it must reach.

stripe-mock is Stripe's stateless mock: it validates requests against the OpenAPI
spec and answers fixtures. What it cannot do by design is skipped with a reason that
names the missing capability; what it could do and does not is a deviation listed in
`baselines/stripe-mock.json`, each with the probe that shows it.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.self._suite import ROOT, SuiteRun, run_suite

BASELINE = ROOT / "baselines" / "stripe-mock.json"
README_PORT = "http://127.0.0.1:12111"
_ROW = re.compile(
    r"^  (FAILED|passed|skipped|known|FIXED\?|not judged)\s+(\w+)\s*(.*)$"
)

#: The verdict the suite must reach on stripe-mock, contract by contract: passed,
#: known (a baseline deviation), or skipped with the capability the skip names.
EXPECTED: dict[str, str] = {}


def readme_line() -> list[str]:
    """The stripe-mock command of the README's target table, as arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^\| stripe-mock +\| `(pytest [^`]*)` \|$", readme, re.MULTILINE)
    assert match, "the README's target table has a stripe-mock row with a command"
    return shlex.split(match.group(1))


def _verdict_table(run: SuiteRun) -> dict[str, str]:
    section = run.output.split("checkout contracts ====", 1)[-1]
    table = {}
    for line in section.splitlines():
        found = _ROW.match(line)
        if not found:
            continue
        verdict, name, detail = found.groups()
        if verdict == "skipped":
            missing = re.findall(r"lacks ((?:'\w+'[^;]*?)(?:; |, so))", detail)
            capabilities = sorted(set(re.findall(r"'(\w+)' \(", detail)))
            verdict = "skipped: " + ",".join(capabilities) if missing else detail
        table[name] = verdict
    return table


@pytest.fixture(scope="module")
def readme_run(stripe_mock_url: str) -> SuiteRun:
    command = readme_line()
    assert command[0] == "pytest"
    args = [a.replace(README_PORT, stripe_mock_url) for a in command[1:]]
    return run_suite(*args, timeout=240)


def test_the_readme_line_is_green_with_the_profile_shown(readme_run, stripe_mock_url):
    assert readme_run.returncode == 0, readme_run.output[-4000:]
    assert f"target {stripe_mock_url}" in readme_run.output
    assert "profile stripe-mock (detected:" in readme_run.output


def test_the_verdict_is_exact(readme_run):
    table = _verdict_table(readme_run)
    assert table == EXPECTED, json.dumps(table, indent=1)


def test_every_baseline_entry_is_known(readme_run):
    table = _verdict_table(readme_run)
    listed = {d["contract"] for d in json.loads(BASELINE.read_text())["deviations"]}
    assert {name: table.get(name) for name in listed} == dict.fromkeys(listed, "known")


def test_without_the_baseline_it_fails_only_on_the_listed_deviations(stripe_mock_url):
    run = run_suite("-n", "2", "--base-url", stripe_mock_url, timeout=240)
    assert run.returncode == 1, run.output[-3000:]
    failed = {n for n, v in run.verdicts().items() if v == "FAILED"}
    listed = {d["contract"] for d in json.loads(BASELINE.read_text())["deviations"]}
    assert failed == listed
