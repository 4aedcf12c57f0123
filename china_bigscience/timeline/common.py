"""Small helpers and the phase palette shared by the timeline's charts: dates as years, labels, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import NOT_KNOWN, STATUS_COLOURS, escape_markdown, names_text  # noqa: F401 (names_text: shared)
from china_bigscience.cells import is_known  # noqa: F401 (the timeline modules import it from here)
from china_bigscience.i18n import ENGLISH, Translator

# The field the article singles out ("facilities are poaching workers from each other").
PHOTON_SCIENCE = "photon science"
GROUPINGS = {"field": "field", "province": "province"}
PHASES = ("construction", "operation", "expected", "planned", "undated", "construction_since", "operation_since")


def phase_label(phase: str, tr: Translator = ENGLISH) -> str:
    """The legend name of one Gantt phase ('Under construction', 在建)."""
    return tr(f"timeline.phase.{phase}")


# How the Gantt draws each phase (words: ``phase_label``); the colours are the shared status palette.
PHASE_LABELS = {phase: phase_label(phase) for phase in PHASES}
PHASE_COLOURS = {
    "construction": STATUS_COLOURS["under construction"],
    "operation": STATUS_COLOURS["operating"],
    "expected": STATUS_COLOURS["under construction"],
    "planned": STATUS_COLOURS["planned"],
    "undated": "#7F8C99",
    "construction_since": STATUS_COLOURS["under construction"],
    "operation_since": STATUS_COLOURS["operating"],
}
# Construction is drawn thinner than operation, so the two phases differ in shape as well as colour (WCAG 1.4.1).
PHASE_BAR_WIDTHS = {"construction": 0.4, "expected": 0.4, "construction_since": 0.4}
OPERATION_BAR_WIDTH = 0.7
# Hatching says "not (yet) fact": diagonal for plans, dots for a stretch whose phase is not known.
PHASE_PATTERNS = {"expected": "/", "planned": "/", "undated": ".", "construction_since": ".", "operation_since": "."}
MILESTONE_COLOUR = "#CC3311"
MILESTONE_SYMBOLS = {
    "groundbreaking": "triangle-up",
    "construction": "triangle-up",
    "first light": "star-triangle-up",
    "first operation": "circle",
    "acceptance": "square",
    "discovery": "star",
    "record": "diamond",
    "decommissioning": "x",
    "other": "hexagon",
}
STATUSES_IN_YEAR = ("under construction", "operating", "decommissioned")
UNKNOWN_COLOUR = PHASE_COLOURS["undated"]


def plotly_text(value: object, tr: Translator = ENGLISH) -> str:
    """A data string safe inside Plotly labels and hovers: markup is shown as text, not interpreted."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return tr("common.not_known")
    return escape_plotly(value)


def markdown_text(value: object) -> str:
    """A data string safe inside Streamlit markdown: no emphasis, links or HTML from the data."""
    return escape_markdown(value)


def year_of(date_text: object) -> int | None:
    """The year of a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' string (None when missing)."""
    if date_text is None or pd.isna(date_text):
        return None
    match = re.match(r"\s*(\d{4})", str(date_text))
    return int(match.group(1)) if match else None


def fractional_year(date_text: object) -> float | None:
    """A date as a point on the year axis: the middle of the day, month or year that is known."""
    if date_text is None or pd.isna(date_text):
        return None
    parts = [int(p) for p in re.findall(r"\d+", str(date_text))[:3]]
    if not parts:
        return None
    year = parts[0]
    if len(parts) == 1:
        return year + 0.5
    month = min(max(parts[1], 1), 12)
    if len(parts) == 2:
        return year + (month - 0.5) / 12
    day_of_year = pd.Timestamp(year=year, month=month, day=1).day_of_year + parts[2] - 1
    return year + (day_of_year - 0.5) / (366 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 365)


def year_spans_text(years: Iterable[int], tr: Translator = ENGLISH) -> str:
    """'2008, 2011–2013 and 2019': consecutive years joined into ranges."""
    years = sorted(set(int(y) for y in years))
    spans: list[tuple[int, int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], year)
        else:
            spans.append((year, year))
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in spans]
    if len(parts) <= 1:
        return "".join(parts)
    return tr.join(parts[:-1]) + tr("common.and") + parts[-1]


def records_of(facilities: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """The rows as plain dicts of the given columns, gaps as None (much faster to loop over than iterrows)."""
    narrow = facilities[list(columns)].astype(object)
    return narrow.where(narrow.notna(), None).to_dict("records")


def status_years_of(facilities: pd.DataFrame) -> pd.Series:
    return facilities["status_as_of"].map(year_of)



