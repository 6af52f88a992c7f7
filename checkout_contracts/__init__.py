"""The installable contract suite: the `checkout-contracts` command.

An installed copy of this project holds one top-level package, this one. It carries
the suite (the repository's `contracts/`, `strategies/`, `schemas/`, `client/`,
`run/`, `target/`, `verdict/`, `reference_server/`, `tests/contract/`,
`conftest.py` and the pytest configuration) as a plain directory tree under
`checkout_contracts/_suite/`, copied
there at build time (`_build`) from the one derived list in `_layout`. The suite's
own import names (`contracts`, `tests`, ...) are taken by other distributions, so
they never reach site-packages: `_cli` puts the tree on `sys.path` only inside the
process that runs it.
"""
