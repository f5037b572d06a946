"""`python -m legcoach`."""

import sys

from legcoach.app import main

sys.exit(main())
