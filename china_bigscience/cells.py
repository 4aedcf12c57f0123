"""Whether a table cell holds a value, and the cell as text: the one rule every module uses.

A cell is missing when it is None, a pandas missing value (NaN, NaT, ``pd.NA``) or blank text.
"""

from __future__ import annotations

import pandas as pd


def is_known(value: object) -> bool:
    """False for None, NaN, NaT, ``pd.NA`` and blank text; True for anything else (0 and False are known)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is a value, not a missing one
        return True


def cell_text(value: object) -> str:
    """The cell as stripped text; '' when it is missing."""
    return str(value).strip() if is_known(value) else ""
