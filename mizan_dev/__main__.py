"""`python -m mizan_dev`, the same as the `mizan-dev` script."""

import sys

from ._cli import main

sys.exit(main())
