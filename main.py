"""Run legcoach from a checkout: `python main.py` (same as the `legcoach` command)."""

import sys

from legcoach.app import main

if __name__ == "__main__":
    sys.exit(main())
