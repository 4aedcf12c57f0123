"""The Gantt's rows: which bars and "not known" marks each facility gets, and in which order the rows come.

Years are drawn as intervals: a facility under construction in 2015 covers
[2015, 2016) on the axis, so a bar from 2015 to 2025 means "under construction
in 2015 to 2024, operating from 2025".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from china_bigscience.charts import NOT_KNOWN
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels
from china_bigscience.timeline.common import GROUPINGS, records_of, status_years_of

# Above this many facilities the Gantt draws one row per group (facilities per phase and year), not one row per
# facility: a row per facility at 30x the catalogue was a 55,000-px figure of 4.9 MB that the browser hardly laid out.
GANTT_MAX_ROWS = 120
# An opened group's facilities, one row each: at most this many, the earliest first (the rest: narrow the filters).
GANTT_OPEN_MAX_ROWS = 300


def gantt_segments(facilities: pd.DataFrame, horizon_year: int | None = None,
                   tr: Translator = ENGLISH) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bars and the "not known" marks of the Gantt chart.

    Bars (``id``, ``label``, ``phase``, ``start``, ``end``; years on the axis, end exclusive):
    construction from construction start to first operation (or through the status year while
    still under construction), then operation to decommissioning (or through the status year);
    a hatched 'expected' bar from the status year to a planned first operation; a hatched
    'planned' bar for a planned facility with both planned years. A facility still operating
    or under construction at its newest source continues, dotted, to ``horizon_year`` (default:
    the newest status year of all rows): the status was not re-checked for those years. Unknown
    dates are never drawn as bars: they become marks (``id``, ``label``, ``x``, ``text``, ``side``).
    """
    status_years = status_years_of(facilities)
    if horizon_year is None:
        horizon_year = int(status_years.dropna().max()) if status_years.notna().any() else None
    segments = _Segments()
    records = records_of(facilities, ["id", "status", "construction_start", "first_operation", "decommissioned_year"])
    for row, label, status_year in zip(records, short_labels(facilities, tr), status_years):
        segments.row_id, segments.label = row["id"], label
        status_year = None if pd.isna(status_year) else int(status_year)
        if row["status"] == "planned":
            _planned_segments(segments, row)
        elif row["status"] == "under construction":
            _building_segments(segments, row, status_year, horizon_year)
        else:
            _built_segments(segments, row, status_year, horizon_year)
    bar_frame = pd.DataFrame(segments.bars, columns=["id", "label", "phase", "start", "end"])
    mark_frame = pd.DataFrame(segments.marks, columns=["id", "label", "x", "text", "side"])
    return bar_frame, mark_frame


class _Segments:
    """The bars and marks collected for one facility after another (``row_id`` and ``label`` say whose)."""

    def __init__(self) -> None:
        self.bars: list[dict] = []
        self.marks: list[dict] = []
        self.row_id = self.label = None

    def bar(self, phase: str, start: float, end: float) -> None:
        if end > start:
            self.bars.append({"id": self.row_id, "label": self.label, "phase": phase, "start": float(start),
                              "end": float(end)})

    def mark(self, x: float | None, text: str, side: str = "right") -> None:
        self.marks.append({"id": self.row_id, "label": self.label, "x": x, "text": text, "side": side})


def _planned_segments(segments: _Segments, row: dict) -> None:
    start, first_op = row["construction_start"], row["first_operation"]
    if start is not None and first_op is not None:
        segments.bar("planned", int(start), int(first_op))
    elif start is not None:
        segments.mark(float(start), "planned; first operation not known")
    elif first_op is not None:
        segments.mark(float(first_op), "planned first operation; start not known", side="left")
    else:
        segments.mark(None, "planned; dates not known")


def _building_segments(segments: _Segments, row: dict, status_year: int | None, horizon_year: int | None) -> None:
    start, first_op = row["construction_start"], row["first_operation"]
    if start is not None and status_year is not None:
        segments.bar("construction", int(start), status_year + 1)
        if first_op is not None and int(first_op) > status_year + 1:
            segments.bar("expected", status_year + 1, int(first_op))
        elif horizon_year is not None:
            segments.bar("construction_since", status_year + 1, horizon_year + 1)
    elif status_year is not None:
        segments.mark(float(status_year), "under construction; start not known", side="left")
    else:
        segments.mark(None, "dates not known")


def _built_segments(segments: _Segments, row: dict, status_year: int | None, horizon_year: int | None) -> None:
    """Operating or decommissioned: construction, then operation, each only as far as its dates are known."""
    start, first_op, ended, status = row["construction_start"], row["first_operation"], row["decommissioned_year"], row["status"]
    if start is not None and first_op is not None:
        segments.bar("construction", int(start), int(first_op))
    elif start is not None:
        # It stood from its start to its end (or the status year); when it began operating is not known.
        end = (int(ended) if ended is not None else None) if status == "decommissioned" else (
            status_year + 1 if status_year is not None else None)
        if end is not None and end > int(start):
            segments.bar("undated", int(start), end)
            segments.mark(float(end), "first operation not known")
        else:
            segments.mark(float(start), "built from here; first operation not known")
    elif first_op is not None:
        segments.mark(float(first_op), "start not known", side="left")
    if first_op is not None:
        if status == "decommissioned":
            if ended is not None:
                # At least part of the last year was operated, so the bar never has zero length.
                end = int(ended) if int(ended) > int(first_op) else int(first_op) + 0.5
                segments.bar("operation", int(first_op), end)
            else:
                segments.mark(float(first_op) + 1, "end of operation not known")
        elif status_year is not None:
            operation_end = max(status_year + 1, int(first_op) + 1)
            segments.bar("operation", int(first_op), operation_end)
            if horizon_year is not None:
                segments.bar("operation_since", operation_end, horizon_year + 1)
    if start is None and first_op is None:
        segments.mark(None, "dates not known")


def gantt_row_order(facilities: pd.DataFrame, group_by: str = "field", group_order: Sequence[str] | None = None) -> list[tuple[str, list[str]]]:
    """Groups (field or province) in order, each with its facility ids sorted by start year (unknown last)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    groups = facilities[group_by].fillna(NOT_KNOWN).astype(str)
    start = facilities["construction_start"].fillna(facilities["first_operation"])
    order_frame = pd.DataFrame({"id": facilities["id"], "group": groups, "start": start.astype("Float64"),
                                "label": short_labels(facilities)})
    if group_order:
        ranking = {g: i for i, g in enumerate(group_order)}
        order_frame["group_rank"] = order_frame["group"].map(lambda g: ranking.get(g, len(ranking)))
    else:
        order_frame["group_rank"] = 0
    order_frame["unknown"] = order_frame["start"].isna()
    order_frame = order_frame.sort_values(["group_rank", "group", "unknown", "start", "label"], na_position="last")
    return [(group, members["id"].tolist())
            for (_, group), members in order_frame.groupby(["group_rank", "group"], sort=False)]


# The "not known" marks of ``gantt_segments`` (English, as tests and the table know them) -> catalogue keys.
MARK_KEYS = {
    "planned; first operation not known": "timeline.mark.planned_no_first",
    "planned first operation; start not known": "timeline.mark.planned_no_start",
    "planned; dates not known": "timeline.mark.planned_no_dates",
    "under construction; start not known": "timeline.mark.construction_no_start",
    "dates not known": "timeline.mark.no_dates",
    "first operation not known": "timeline.mark.no_first",
    "built from here; first operation not known": "timeline.mark.built_no_first",
    "start not known": "timeline.mark.no_start",
    "end of operation not known": "timeline.mark.no_end",
}


def mark_text(text: str, tr: Translator = ENGLISH) -> str:
    return tr(MARK_KEYS[text]) if text in MARK_KEYS else text
