"""``python -m discrepancy`` is the same command line as ``discrepancy``."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
