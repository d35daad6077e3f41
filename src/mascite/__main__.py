"""``python -m mascite`` is the ``mascite`` command."""

import sys

from .cli import main

sys.exit(main())
