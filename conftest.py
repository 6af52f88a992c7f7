"""Root conftest: loads the suite's pytest plugin.

Everything lives in `harness/plugin.py`: the options (`--api-key`, `--stripe-version`,
`--target-profile`, `--max-rps`, `--max-requests`, `--request-timeout`, `--cleanup`,
`--contracts`, `--reference-fault`, `--save-regressions`, `--baseline`; the target
URL is pytest-base-url's `--base-url`), the session fixtures (`target`,
`target_url`, `checkout_client`, `api`, `ctx`) and the reporting hooks.
Run `pytest --help` and look for "Checkout Sessions contract suite".
"""

pytest_plugins = ["harness.plugin"]
