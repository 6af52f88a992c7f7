"""Root conftest: loads the suite's pytest plugin, `run/plugin.py`.

The plugin's hooks delegate to one module per job (docs/ARCHITECTURE.md): the options
(`pytest --help`, "Checkout Sessions contract suite"; the target URL is
pytest-base-url's `--base-url`), the run's decisions, the fixtures tests use (`api`,
the one way to reach the target; `ctx`; `target`; `saved_sequences`;
`failing_journals`) and the verdict.
"""

pytest_plugins = ["run.plugin"]
