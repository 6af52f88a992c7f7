"""`python -m checkout_contracts` is the `checkout-contracts` command."""

import sys

from checkout_contracts._cli import main

sys.exit(main())
