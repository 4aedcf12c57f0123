"""The global filters: what a reader chose, how it is read from a link, and how it selects facilities.

A ``FacilityFilter`` is plain data. Pages never filter by hand: they call
``filter_facilities`` (and ``milestones_for``) with the one filter that the
sidebar in ``dashboard.py`` built from the widgets bound to the URL.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

YEAR_BASES = ("construction", "operation")
YEAR_BASIS_COLUMN = {"construction": "construction_start", "operation": "first_operation"}
SEARCH_COLUMNS = ("id", "name_en", "name_zh", "acronym", "location", "operator")


@dataclass(frozen=True)
class FacilityFilter:
    """A reader's selection. Empty tuples and ``None`` mean "no restriction"."""

    provinces: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_range: tuple[int, int] | None = None
    year_basis: str = "construction"
    text: str = ""

    @property
    def is_default(self) -> bool:
        return self == FacilityFilter(year_basis=self.year_basis)

    def describe(self) -> str:
        """One line for subtitles, captions and file names' readers: what is selected."""
        parts = []
        if self.provinces:
            parts.append("Province: " + ", ".join(self.provinces))
        if self.fields:
            parts.append("Field: " + ", ".join(self.fields))
        if self.statuses:
            parts.append("Status: " + ", ".join(self.statuses))
        if self.year_range:
            basis = "construction start" if self.year_basis == "construction" else "first operation"
            parts.append(f"{basis.capitalize()} {self.year_range[0]}–{self.year_range[1]}")
        if self.text:
            parts.append(f'Search: "{self.text}"')
        return "; ".join(parts) if parts else "All facilities"

    def slug(self) -> str:
        """A short file-name-safe summary of the filter ('sichuan', 'photon-science_2010-2020')."""
        parts = [*self.provinces, *self.fields, *self.statuses]
        if self.year_range:
            parts.append(f"{self.year_range[0]}-{self.year_range[1]}")
        if self.text:
            parts.append(self.text)
        return slugify("_".join(parts)) or "all"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out, last_dash = [], False
    for char in ascii_text.lower():
        if char.isalnum() or char == "_":
            out.append(char)
            last_dash = False
        elif not last_dash:
            out.append("-")
            last_dash = True
    return "".join(out).strip("-_")[:80]


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def search_mask(facilities: pd.DataFrame, text: str) -> pd.Series:
    """True for rows whose English or Chinese name, acronym, id, place or operator contains ``text``."""
    needle = _normalise(text)
    if not needle:
        return pd.Series(True, index=facilities.index)
    haystack = facilities[list(SEARCH_COLUMNS)].fillna("").astype(str).agg(" ".join, axis=1)
    return haystack.map(_normalise).str.contains(needle, regex=False)


def filter_facilities(facilities: pd.DataFrame, selection: FacilityFilter) -> pd.DataFrame:
    """The facilities that match every part of ``selection`` (unknown years drop out only when years are narrowed)."""
    mask = pd.Series(True, index=facilities.index)
    if selection.provinces:
        mask &= facilities["province"].isin(selection.provinces)
    if selection.fields:
        mask &= facilities["field"].isin(selection.fields)
    if selection.statuses:
        mask &= facilities["status"].isin(selection.statuses)
    if selection.year_range:
        years = facilities[YEAR_BASIS_COLUMN[selection.year_basis]]
        low, high = selection.year_range
        mask &= years.between(low, high).fillna(False).astype(bool)
    if selection.text:
        mask &= search_mask(facilities, selection.text)
    return facilities[mask]


def milestones_for(milestones: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the given (already filtered) facilities."""
    return milestones[milestones["facility_id"].isin(facilities["id"])]


def facilities_as_of(facilities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Facilities as they stood in ``year``: those whose construction had started (or that operated) by then.

    A facility with no known construction start counts from its first operation; one with
    neither (planned, not started) is left out. Facilities decommissioned before ``year`` drop out.
    """
    started = facilities["construction_start"].fillna(facilities["first_operation"])
    existed = (started <= year).fillna(False).astype(bool)
    ended = (facilities["decommissioned_year"] < year).fillna(False).astype(bool)
    return facilities[existed & ~ended]


def status_as_of(facilities: pd.DataFrame, year: int) -> pd.Series:
    """What each facility was in ``year``: under construction, operating or decommissioned (None if not yet begun)."""

    def one(row: pd.Series) -> str | None:
        if pd.notna(row["decommissioned_year"]) and row["decommissioned_year"] <= year:
            return "decommissioned"
        if pd.notna(row["first_operation"]) and row["first_operation"] <= year:
            return "operating"
        if pd.notna(row["construction_start"]) and row["construction_start"] <= year:
            return "under construction"
        return None

    return facilities.apply(one, axis=1)


# --- Reading a shared link ------------------------------------------------------------------

@dataclass
class LinkReading:
    """The valid part of a link's filter parameters, and a notice for each value that was ignored."""

    values: dict[str, object] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def read_filter_params(
    params: Mapping[str, Sequence[str]],
    *,
    provinces: Sequence[str],
    fields: Sequence[str],
    statuses: Sequence[str],
    year_bounds: tuple[int, int],
) -> LinkReading:
    """Check the filter parameters of a URL (each key maps to all its values).

    Unknown names (``?province=Atlantis``) and malformed years (``?years=abc``) are
    dropped with a notice that names them; the rest is kept. Never raises.
    """
    reading = LinkReading()
    for key, allowed, label in (
        ("province", provinces, "province"),
        ("field", fields, "field"),
        ("status", statuses, "status"),
    ):
        raw = [v for v in params.get(key, []) if v != ""]
        good = [v for v in raw if v in allowed]
        bad = [v for v in raw if v not in allowed]
        if good:
            reading.values[key] = good
        if bad:
            reading.notices.append(
                f"The link's {label} value(s) {', '.join(repr(v) for v in bad)} are not in the data and were ignored."
            )
    raw_years = [v for v in params.get("years", []) if v != ""]
    if raw_years:
        parsed = _parse_years(raw_years, year_bounds)
        if parsed is None:
            reading.notices.append(
                f"The link's years value {', '.join(repr(v) for v in raw_years)} is not a year range within "
                f"{year_bounds[0]}–{year_bounds[1]} and was ignored."
            )
        else:
            reading.values["years"] = parsed
    basis = params.get("basis", [])
    if basis:
        if basis[-1] in YEAR_BASES:
            reading.values["basis"] = basis[-1]
        else:
            reading.notices.append(f"The link's basis value {basis[-1]!r} is not one of {', '.join(YEAR_BASES)} and was ignored.")
    return reading


def _parse_years(raw: Sequence[str], bounds: tuple[int, int]) -> tuple[int, int] | None:
    parts: list[str] = []
    for value in raw:
        parts += [p for p in value.replace("–", "-").replace(",", "-").split("-") if p.strip()] if "-" in value or "," in value or "–" in value else [value]
    try:
        years = [int(float(p)) for p in parts]
    except ValueError:
        return None
    if len(years) == 1:
        years = years * 2
    if len(years) != 2:
        return None
    low, high = sorted(years)
    if low < bounds[0] or high > bounds[1]:
        return None
    return low, high
