"""The package's error hierarchy. Messages name the file and suggest a fix."""

from __future__ import annotations


class DiscrepancyError(Exception):
    """Base class for errors the CLI turns into a message and an exit code."""


class ConfigError(DiscrepancyError):
    """A setting has a value that is not allowed."""


class ArticleError(DiscrepancyError):
    """One article could not be read; the run goes on with the others."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class StoreError(DiscrepancyError):
    """The SQLite store cannot be opened, is locked or has a newer schema."""


class GoldError(DiscrepancyError):
    """A gold file is missing or malformed."""
