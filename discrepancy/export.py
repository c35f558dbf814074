"""Writing the stored count claims out as JSON Lines or CSV."""

from __future__ import annotations

import json
import math
from typing import TextIO

import pandas

from .errors import ConfigError

EXPORT_FIELDS = (
    "article", "start", "end", "sentence", "surface", "value", "low", "high", "qualifier", "kind",
    "counted", "speaker", "speaker_org", "side", "via", "claim_date", "published", "outlet",
    "referent", "referent_label", "referent_status",
)  # fmt: skip
EXPORT_FORMATS = ("jsonl", "csv")


def _cell(value: object) -> object:
    """A plain Python value: missing -> None, numpy scalars unwrapped, integral floats -> int."""
    if value is None or value is pandas.NA or value is pandas.NaT:
        return None
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return int(value)
    return value


def _records(frame: pandas.DataFrame) -> list[dict[str, object]]:
    columns = [str(column) for column in frame.columns]
    return [
        {column: _cell(value) for column, value in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def export_claims(frame: pandas.DataFrame, *, fmt: str, out: TextIO) -> None:
    """Write ``frame`` (as from ``Store.claims_frame``) to ``out`` in ``fmt``: "jsonl" or "csv"."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"format={fmt!r}: not an export format (allowed: {', '.join(EXPORT_FORMATS)})")
    records = _records(frame)
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    # An object frame keeps 10000 as 10000 (a float column would print 10000.0) and None as empty.
    cells = pandas.DataFrame(
        {column: pandas.Series([r[column] for r in records], dtype=object) for column in map(str, frame.columns)}
    )
    cells.to_csv(out, index=False, lineterminator="\n")
