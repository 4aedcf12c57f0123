"""The "as of year" rule: which facilities stood in a year, and what each was then. One rule for the Map and the Timeline.

A facility stood in year Y when its construction had started by Y (or, with no known start, it
operated by Y) and it had not been decommissioned before Y. Its status in Y is, in this order:
decommissioned (decommissioned by Y), operating (first operation by Y), under construction.
Two corrections keep the view no more certain than the data:

- a facility whose status is 'planned' is left out: its dates are plans, not events;
- a facility still 'under construction' at its newest source is never shown as operating, even
  in a year after its planned first operation: the plan is overdue, not fulfilled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STATUS_IN_YEAR = "status_in_year"


def facilities_in_year(facilities: pd.DataFrame, year: int) -> pd.DataFrame:
    """The facilities as they stood in ``year`` (the rule above), with their status then in ``status_in_year``."""
    year = int(year)
    started = facilities["construction_start"].fillna(facilities["first_operation"])
    existed = (started <= year).fillna(False).astype(bool)
    ended = (facilities["decommissioned_year"] < year).fillna(False).astype(bool)
    planned = (facilities["status"] == "planned").fillna(False).astype(bool)
    standing = facilities[existed & ~ended & ~planned].copy()

    def by(column: str) -> np.ndarray:
        return (standing[column] <= year).fillna(False).astype(bool).to_numpy()

    still_building = (standing["status"] == "under construction").fillna(False).astype(bool).to_numpy()
    in_year = np.select(
        [by("decommissioned_year"), by("first_operation") & ~still_building,
         by("construction_start") | (by("first_operation") & still_building)],
        ["decommissioned", "operating", "under construction"],
        default=None,
    )
    standing[STATUS_IN_YEAR] = pd.Series(in_year, index=standing.index, dtype="object")
    return standing
