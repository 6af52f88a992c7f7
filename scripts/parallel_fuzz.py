"""Fuzz in parallel against one shared reference server, seed after seed (issue 17).

    .venv/bin/python scripts/parallel_fuzz.py [--seeds 1,2,3,4,5] [--examples 12]
        [--whole-suite]

The slower variant of tests/self/test_parallel_fuzz.py: one hand-started reference
server, another client creating and expiring sessions on it throughout, and for each
seed `pytest -n 2 --hypothesis-profile contracts-fuzz --max-examples N
--hypothesis-seed S --save-regressions` (the stateful and list tests, or every
contract test with --whole-suite), one example database for all seeds. A seed passes
when the run exits 0, every contract passed and no regression file was saved: the
serial verdict on a correct target. Exits 1 if any seed did not.

Recorded (issue 17): seeds 1-5, 12 examples, the stateful and list tests: all five
gave the serial verdict (13-26 s a seed, the other client at ~100 sessions/s), with
xdist workers honouring --max-examples (see the report of issue 17 on the harness).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.self._suite import reference_server_process  # noqa: E402
from tests.self.test_parallel_fuzz import (  # noqa: E402
    EXAMPLES,
    STATEFUL_AND_LIST_TESTS,
    another_client,
    fuzz_in_parallel,
    verdict_problems,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--examples", type=int, default=EXAMPLES)
    parser.add_argument("--whole-suite", action="store_true")
    args = parser.parse_args()
    tests = ("tests/contract",) if args.whole_suite else STATEFUL_AND_LIST_TESTS
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        storage, regressions = Path(folder) / "hypothesis", Path(folder) / "regressions"
        with reference_server_process() as url, another_client(url) as created:
            for seed in (int(s) for s in args.seeds.split(",")):
                started = time.monotonic()
                run = fuzz_in_parallel(
                    url,
                    seed,
                    storage,
                    regressions,
                    tests=tests,
                    examples=args.examples,
                    timeout=3600,
                )
                problems = verdict_problems(run, regressions)
                failed += bool(problems)
                verdict = "; ".join(problems) or "serial verdict (all passed)"
                print(
                    f"seed {seed}: {verdict} in {time.monotonic() - started:.0f} s; "
                    "the other client has "
                    f"created {created[0]} sessions",
                    flush=True,
                )
                if problems:
                    print(run.output[-4000:], flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
