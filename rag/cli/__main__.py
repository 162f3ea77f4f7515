"""`python -m rag.cli`, as the `rag` console script."""

import sys

from rag.cli import main

sys.exit(main())
