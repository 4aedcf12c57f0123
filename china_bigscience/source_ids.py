"""The one reading of a ``source_ids`` cell: semicolon-separated source ids, blanks and missing cells skipped."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def split_ids(cell: object) -> list[str]:
    """The ids in a semicolon-separated ``source_ids`` cell ([] for a missing or empty cell, never ``"<NA>"``)."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def unique_ids(cells: Iterable[object]) -> list[str]:
    """Every id in ``cells``, once each, in the order first seen."""
    return list(dict.fromkeys(source_id for cell in cells for source_id in split_ids(cell)))


def frame_source_ids(*frames: pd.DataFrame) -> list[str]:
    """Every id in the ``source_ids`` column of the frames that have one, once each, in the order first seen."""
    return unique_ids(cell for frame in frames if "source_ids" in frame.columns for cell in frame["source_ids"])
