"""Run the command line: python -m lgadata."""

import sys

from lgadata.cli import main

sys.exit(main())
