"""Build study briefs: ``python build.py --help``."""

import sys

from studybrief.cli import main

if __name__ == "__main__":
    sys.exit(main())
