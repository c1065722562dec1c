"""`python -m optimizer`."""

import sys

from optimizer.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
