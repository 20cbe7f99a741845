from __future__ import annotations

import sys

from leakguard.cli import main

sys.exit(main())
