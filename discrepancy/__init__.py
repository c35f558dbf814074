"""discrepancy: find where news sources disagree on counted quantities."""

from __future__ import annotations

import logging

__version__ = "0.8.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
