"""``python -m devtools.samplegen OUT [--seed N] [--count N] [--conditions a,b,c]``."""

from __future__ import annotations

import sys

from devtools.samplegen.cli import main

if __name__ == "__main__":
    sys.exit(main())
