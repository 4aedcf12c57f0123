"""The timeline: when each facility was built and operated, what it found, and how many were built at once.

Pure functions over the catalogue's DataFrames: the Gantt chart with the
milestones on the same time axis, the number of facilities under construction
in each year (by field, with photon science easy to pick out, and by who pays),
the peak years of that count as text, and the "as of year" view that the map
and overview pages share through ``st.session_state["as_of_year"]``.

Years are drawn as intervals: a facility under construction in 2015 covers
[2015, 2016) on the axis, so a bar from 2015 to 2025 means "under construction
in 2015 to 2024, operating from 2025".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.catalogue import Catalogue, split_ids
from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import (
    FIELD_COLOURS,
    FUNDING_COLOURS,
    NOT_KNOWN,
    STATUS_COLOURS,
    Chart,
    base_layout,
    source_line,
    source_records,
    escape_markdown,
)
from china_bigscience.filters import FacilityFilter, facilities_as_of, filter_facilities, milestones_for, status_as_of

# The field the article singles out ("facilities are poaching workers from each other").
PHOTON_SCIENCE = "photon science"
GROUPINGS = {"field": "field", "province": "province"}
# How the Gantt draws each phase; the colours are the shared status palette.
PHASE_LABELS = {
    "construction": "Under construction",
    "operation": "Operating",
    "expected": "Expected (planned) until first operation",
    "planned": "Planned",
    "undated": "Built or operating (first operation not known)",
    "construction_since": "Not re-checked since its source",
    "operation_since": "Not re-checked since its source",
}
PHASE_COLOURS = {
    "construction": STATUS_COLOURS["under construction"],
    "operation": STATUS_COLOURS["operating"],
    "expected": STATUS_COLOURS["under construction"],
    "planned": STATUS_COLOURS["planned"],
    "undated": "#7F8C99",
    "construction_since": STATUS_COLOURS["under construction"],
    "operation_since": STATUS_COLOURS["operating"],
}
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

UNDER_CONSTRUCTION_DEFINITION = (
    "A facility counts as under construction in a year Y when its construction had started "
    "(construction start ≤ Y) and it had not yet begun operating (Y < first operation). "
    "A facility whose status is “under construction” counts up to and including the year of the "
    "newest source on its status, and no further: years no source covers are not extrapolated. "
    "Planned facilities never count, nor do facilities whose construction start is not known, "
    "or whose first operation is not known while they are no longer under construction."
)


# --- Small helpers ---------------------------------------------------------------------------

def plotly_text(value: object) -> str:
    """A data string safe inside Plotly labels and hovers: markup is shown as text, not interpreted."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_KNOWN
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


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def facility_labels(facilities: pd.DataFrame) -> pd.Series:
    """Short, unique row labels: the acronym (or English name), with the id added when two would clash."""
    labels = facilities["acronym"].fillna(facilities["name_en"]).astype(str).str.strip()
    labels = labels.where(labels != "", facilities["name_en"].astype(str))
    duplicated = labels.duplicated(keep=False)
    return labels.where(~duplicated, labels + " (" + facilities["id"].astype(str) + ")")


def year_spans_text(years: Iterable[int]) -> str:
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
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _names_text(names: Sequence[str], limit: int = 8) -> str:
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _records(facilities: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """The rows as plain dicts of the given columns, gaps as None (much faster to loop over than iterrows)."""
    narrow = facilities[list(columns)].astype(object)
    return narrow.where(narrow.notna(), None).to_dict("records")


def _status_years(facilities: pd.DataFrame) -> pd.Series:
    return facilities["status_as_of"].map(year_of)


def _source_ids(*frames: pd.DataFrame) -> list[str]:
    ids: list[str] = []
    for frame in frames:
        if "source_ids" not in frame.columns:
            continue
        for cell in frame["source_ids"]:
            for source_id in split_ids(cell):
                if source_id not in ids:
                    ids.append(source_id)
    return ids


# --- Under construction at the same time -----------------------------------------------------

def construction_years(facilities: pd.DataFrame) -> pd.DataFrame:
    """The years in which each facility was under construction, and the facilities that cannot be counted.

    Definition (the one shown on the page as ``UNDER_CONSTRUCTION_DEFINITION``): a facility is
    *under construction in year Y* when ``construction_start <= Y < first_operation``. When its
    status is 'under construction', it counts up to and including the year of ``status_as_of``
    (the newest source on its status) and no further, whatever its planned first operation: the
    status is the newest evidence, and years no source covers are not extrapolated. Facilities
    with status 'planned' never count; neither do those with no known construction start, nor
    those no longer under construction whose first operation is not known (when construction
    ended is unknown).

    Returns one row per facility with: ``id``, ``label``, ``first_year`` and ``last_year``
    (inclusive, ``<NA>`` when not counted), ``counted`` and ``not_counted_because``.
    """
    rows = []
    records = _records(facilities, ["id", "status", "construction_start", "first_operation", "status_as_of"])
    for row, label in zip(records, facility_labels(facilities)):
        start, first_operation = row["construction_start"], row["first_operation"]
        first = last = None
        reason = ""
        if row["status"] == "planned":
            reason = "planned: not started"
        elif start is None:
            reason = "construction start not known"
        elif row["status"] == "under construction":
            status_year = year_of(row["status_as_of"])
            if status_year is None:
                reason = "status date not known"
            else:
                first, last = int(start), int(status_year)
        elif first_operation is not None:
            first, last = int(start), int(first_operation) - 1
        else:
            reason = "first operation not known"
        if first is not None and last < first:
            # Started and operating in the same year (or a status older than the start): no full year of construction.
            first = last = None
            reason = "no year between construction start and first operation"
        rows.append(
            {
                "id": row["id"],
                "label": label,
                "first_year": first,
                "last_year": last,
                "counted": first is not None,
                "not_counted_because": reason,
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "label", "first_year", "last_year", "counted", "not_counted_because"])
    frame["first_year"] = frame["first_year"].astype("Int64")
    frame["last_year"] = frame["last_year"].astype("Int64")
    return frame


def facilities_under_construction_by_year(facilities: pd.DataFrame) -> pd.DataFrame:
    """One row per facility and year it was under construction (see ``construction_years``).

    Columns: ``year``, ``id``, ``label``, ``field``, ``province``, ``funding``.
    """
    spans = construction_years(facilities).to_dict("records")
    records = _records(facilities, ["field", "province", "funding"])
    rows = []
    for span, row in zip(spans, records):
        if not span["counted"]:
            continue
        for year in range(int(span["first_year"]), int(span["last_year"]) + 1):
            rows.append(
                {
                    "year": year,
                    "id": span["id"],
                    "label": span["label"],
                    "field": row["field"],
                    "province": row["province"] or NOT_KNOWN,
                    "funding": row["funding"] or NOT_KNOWN,
                }
            )
    return pd.DataFrame(rows, columns=["year", "id", "label", "field", "province", "funding"])


def count_under_construction(facilities: pd.DataFrame, by: str = "field") -> pd.DataFrame:
    """The number of facilities under construction in each year, split by ``by`` (a facilities column).

    Columns: ``year``, ``group``, ``count``, ``facilities`` (their labels). Only non-zero groups
    appear; years between the first and last counted year with nothing under construction
    appear with group ``None`` and count 0, so the year axis has no silent gaps.
    """
    per_facility_year = facilities_under_construction_by_year(facilities)
    columns = ["year", "group", "count", "facilities"]
    if per_facility_year.empty:
        return pd.DataFrame(columns=columns)
    counts = (
        per_facility_year.groupby(["year", by], sort=True)
        .agg(count=("id", "size"), facilities=("label", lambda labels: ", ".join(sorted(labels))))
        .reset_index()
        .rename(columns={by: "group"})
    )
    all_years = range(int(counts["year"].min()), int(counts["year"].max()) + 1)
    empty_years = sorted(set(all_years) - set(counts["year"]))
    if empty_years:
        gaps = pd.DataFrame({"year": empty_years, "group": None, "count": 0, "facilities": ""})
        counts = pd.concat([counts, gaps], ignore_index=True).sort_values(["year"], kind="stable")
    counts["year"] = counts["year"].astype(int)
    counts["count"] = counts["count"].astype(int)
    return counts[columns].reset_index(drop=True)


def totals_by_year(counts: pd.DataFrame) -> pd.Series:
    """Total count per year from ``count_under_construction`` output."""
    if counts.empty:
        return pd.Series(dtype=int)
    return counts.groupby("year")["count"].sum().astype(int)


def peak_years(counts: pd.DataFrame) -> tuple[int, list[int]]:
    """The highest number under construction at once, and every year it was reached."""
    totals = totals_by_year(counts)
    if totals.empty or totals.max() == 0:
        return 0, []
    peak = int(totals.max())
    return peak, [int(year) for year in totals.index[totals == peak]]


def _facilities_in_years(per_facility_year: pd.DataFrame, years: Sequence[int]) -> list[str]:
    return sorted(set(per_facility_year.loc[per_facility_year["year"].isin(years), "label"]))


def describe_peaks(facilities: pd.DataFrame, highlight_field: str = PHOTON_SCIENCE) -> str:
    """The peak years of the under-construction count, in words, computed from the data.

    Names the overall peak and its facilities, the peak of ``highlight_field`` (photon science
    by default), and how many selected facilities could not be counted and why.
    """
    per_facility_year = facilities_under_construction_by_year(facilities)
    spans = construction_years(facilities)
    if per_facility_year.empty:
        return (
            f"None of the {len(facilities)} selected facilities has known years of construction, "
            "so none is counted."
        )
    counts = count_under_construction(facilities, by="field")
    peak, years = peak_years(counts)
    sentences = [
        f"Most facilities under construction at the same time: {peak}, in {year_spans_text(years)}"
        + (f" ({_names_text(_facilities_in_years(per_facility_year, years[:1]))} in {years[0]})." if years else ".")
    ]
    highlighted = per_facility_year[per_facility_year["field"] == highlight_field]
    if not highlighted.empty:
        field_peak, field_years = peak_years(count_under_construction(facilities[facilities["field"] == highlight_field]))
        at_peak = _facilities_in_years(highlighted, field_years[:1])
        sentences.append(
            f"{highlight_field.capitalize()}: {field_peak} at once, in {year_spans_text(field_years)} "
            f"({_names_text(at_peak)} in {field_years[0]})."
        )
        overlapping = sorted(set(highlighted["label"]))
        sentences.append(
            f"{len(overlapping)} {highlight_field} facilities were under construction in the period shown: "
            f"{_names_text(overlapping, limit=12)}."
        )
    not_counted = spans[~spans["counted"]]
    if len(not_counted):
        reasons = not_counted.groupby("not_counted_because")["label"].apply(list)
        detail = "; ".join(f"{reason}: {_names_text(sorted(names))}" for reason, names in reasons.items())
        sentences.append(f"Not counted ({len(not_counted)} of {len(spans)}): {detail}.")
    return " ".join(sentences)


def _stacked_years_figure(
    counts: pd.DataFrame, order: Sequence[str], colours: dict[str, str], *, highlight: str | None, legend_title: str
) -> go.Figure:
    figure = go.Figure()
    groups = [group for group in order if group in set(counts["group"].dropna())]
    # The highlighted group sits at the bottom of every stack, in full colour, so its bars share a baseline.
    if highlight in groups:
        groups = [highlight] + [g for g in groups if g != highlight]
    for group in groups:
        rows = counts[counts["group"] == group]
        is_highlight = highlight is not None and group == highlight
        figure.add_trace(
            go.Bar(
                x=rows["year"],
                y=rows["count"],
                name=plotly_text(group) + (" (highlighted)" if is_highlight else ""),
                marker={
                    "color": colours.get(group, UNKNOWN_COLOUR),
                    "opacity": 1.0 if (highlight is None or is_highlight) else 0.45,
                    "line": {"color": "#1F2933" if is_highlight else "rgba(0,0,0,0)", "width": 1.5 if is_highlight else 0},
                },
                customdata=[plotly_text(text) for text in rows["facilities"]],
                hovertemplate=f"<b>{plotly_text(group)}</b><br>%{{x}}: %{{y}} under construction<br>%{{customdata}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", bargap=0.15, legend_title_text=legend_title, legend_traceorder="normal")
    base_layout(figure, x_title="Year", y_title="Facilities under construction (number)")
    figure.update_yaxes(rangemode="tozero", dtick=1 if not counts.empty and totals_by_year(counts).max() <= 12 else None)
    return figure


def concurrency_by_field_chart(
    facilities: pd.DataFrame, sources: pd.DataFrame, *, field_order: Sequence[str] | None = None,
    highlight_field: str | None = PHOTON_SCIENCE,
) -> Chart | None:
    """Stacked bars: facilities under construction each year, by field, with ``highlight_field`` picked out.

    Returns None when no selected facility has known years of construction (the page says so in words).
    """
    counts = count_under_construction(facilities, by="field")
    if counts.empty:
        return None
    order = list(field_order or FIELD_COLOURS)
    order += [g for g in counts["group"].dropna().unique() if g not in order]
    highlight = highlight_field if highlight_field in set(counts["group"]) else None
    figure = _stacked_years_figure(counts, order, FIELD_COLOURS, highlight=highlight, legend_title="Field")
    peak, years = peak_years(counts)
    counted = construction_years(facilities)
    counted_ids = set(counted.loc[counted["counted"], "id"])
    first_year, last_year = int(counts["year"].min()), int(counts["year"].max())
    alt = (
        f"Stacked bar chart of the number of facilities under construction each year, {first_year}–{last_year}, "
        f"by field, for {len(counted_ids)} facilities with known construction years; "
        f"peak: {peak} at once in {year_spans_text(years)}"
    )
    if highlight:
        field_counts = counts[counts["group"] == highlight]
        field_peak = int(field_counts["count"].max())
        field_years = field_counts.loc[field_counts["count"] == field_peak, "year"].tolist()
        alt += f"; {highlight} (highlighted, at the bottom of each bar): at most {field_peak} at once, in {year_spans_text(field_years)}"
    data = counts.dropna(subset=["group"]).rename(
        columns={"year": "Year", "group": "Field", "count": "Facilities under construction (number)",
                 "facilities": "Facilities"}
    )
    return Chart(
        slug="under-construction-by-field",
        title="Facilities under construction at the same time, by field",
        figure=figure,
        source_line=source_line(_source_ids(facilities[facilities["id"].isin(counted_ids)]), sources),
        alt_text=alt + ".",
        data=data.reset_index(drop=True),
        note=(f"{highlight.capitalize()} is drawn at the bottom of each bar with an outline; other fields are paler."
              if highlight else ""),
    )


def describe_funding(facilities: pd.DataFrame, funding_types: Sequence[str]) -> str:
    """Who paid for the facilities under construction, in words (the 'facility first' and local-government point)."""
    per_facility_year = facilities_under_construction_by_year(facilities)
    if per_facility_year.empty:
        return ""
    counted = per_facility_year.drop_duplicates("id")
    by_funding = counted["funding"].value_counts()
    parts = [f"{int(by_funding[f])} {f}" for f in [*funding_types, NOT_KNOWN] if f in by_funding.index]
    text = f"Of the {len(counted)} facilities counted, by who pays: {', '.join(parts)}."
    local = [f for f in ("local government", "joint") if f in funding_types]
    if local:
        counts = count_under_construction(facilities, by="funding")
        peak, years = peak_years(counts)
        in_peak = counts[(counts["year"] == years[0]) & counts["group"].isin(local)]["count"].sum() if years else 0
        text += (
            f" In {years[0]}, the first peak year, {int(in_peak)} of the {peak} under construction were paid "
            f"for by {' or '.join(local)} funding."
        )
    return text


def concurrency_by_funding_chart(
    facilities: pd.DataFrame, sources: pd.DataFrame, *, funding_types: Sequence[str] | None = None
) -> Chart | None:
    """Stacked bars: facilities under construction each year, by who pays. None when nothing can be counted."""
    counts = count_under_construction(facilities, by="funding")
    if counts.empty:
        return None
    order = list(funding_types or FUNDING_COLOURS) + [NOT_KNOWN]
    figure = _stacked_years_figure(counts, order, FUNDING_COLOURS, highlight=None, legend_title="Who pays")
    peak, years = peak_years(counts)
    totals_by_funding = (
        facilities_under_construction_by_year(facilities).drop_duplicates("id")["funding"].value_counts()
    )
    funding_text = ", ".join(f"{f} {int(totals_by_funding[f])}" for f in order if f in totals_by_funding.index)
    peak_split = counts[counts["year"] == years[0]] if years else counts.iloc[0:0]
    split_text = ", ".join(f"{g} {int(c)}" for g, c in zip(peak_split["group"], peak_split["count"]) if g is not None)
    first_year, last_year = int(counts["year"].min()), int(counts["year"].max())
    alt = (
        f"Stacked bar chart of the number of facilities under construction each year, {first_year}–{last_year}, "
        f"by who pays; facilities counted by funding: {funding_text}; peak {peak} in {year_spans_text(years)}"
        + (f" ({years[0]}: {split_text})" if split_text else "")
        + "."
    )
    data = counts.dropna(subset=["group"]).rename(
        columns={"year": "Year", "group": "Who pays", "count": "Facilities under construction (number)",
                 "facilities": "Facilities"}
    )
    counted_ids = set(facilities_under_construction_by_year(facilities)["id"])
    return Chart(
        slug="under-construction-by-funding",
        title="Facilities under construction at the same time, by who pays",
        figure=figure,
        source_line=source_line(_source_ids(facilities[facilities["id"].isin(counted_ids)]), sources),
        alt_text=alt,
        data=data.reset_index(drop=True),
        note="Central: national ministries and NDRC; CAS: the Chinese Academy of Sciences; joint: central or CAS "
             "with a local government or others.",
    )


# --- The Gantt chart -------------------------------------------------------------------------

def gantt_segments(facilities: pd.DataFrame, horizon_year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    labels = facility_labels(facilities)
    status_years = _status_years(facilities)
    if horizon_year is None:
        horizon_year = int(status_years.dropna().max()) if status_years.notna().any() else None
    bars, marks = [], []

    def bar(row_id, label, phase, start, end):
        if end > start:
            bars.append({"id": row_id, "label": label, "phase": phase, "start": float(start), "end": float(end)})

    def mark(row_id, label, x, text, side="right"):
        marks.append({"id": row_id, "label": label, "x": x, "text": text, "side": side})

    for index, row in facilities.iterrows():
        row_id, label, status = row["id"], labels[index], row["status"]
        start, first_op, ended = row["construction_start"], row["first_operation"], row["decommissioned_year"]
        status_year = status_years[index]
        if status == "planned":
            if _known(start) and _known(first_op):
                bar(row_id, label, "planned", int(start), int(first_op))
            elif _known(start):
                mark(row_id, label, float(start), "planned; first operation not known")
            elif _known(first_op):
                mark(row_id, label, float(first_op), "planned first operation; start not known", side="left")
            else:
                mark(row_id, label, None, "planned; dates not known")
            continue
        if status == "under construction":
            if _known(start) and status_year is not None:
                bar(row_id, label, "construction", int(start), status_year + 1)
                if _known(first_op) and int(first_op) > status_year + 1:
                    bar(row_id, label, "expected", status_year + 1, int(first_op))
                elif horizon_year is not None:
                    bar(row_id, label, "construction_since", status_year + 1, horizon_year + 1)
            elif status_year is not None:
                mark(row_id, label, float(status_year), "under construction; start not known", side="left")
            else:
                mark(row_id, label, None, "dates not known")
            continue
        # Operating or decommissioned.
        if _known(start) and _known(first_op):
            bar(row_id, label, "construction", int(start), int(first_op))
        elif _known(start):
            # It stood from its start to its end (or the status year); when it began operating is not known.
            end = (int(ended) if _known(ended) else None) if status == "decommissioned" else (
                status_year + 1 if status_year is not None else None)
            if end is not None and end > int(start):
                bar(row_id, label, "undated", int(start), end)
                mark(row_id, label, float(end), "first operation not known")
            else:
                mark(row_id, label, float(start), "built from here; first operation not known")
        elif _known(first_op):
            mark(row_id, label, float(first_op), "start not known", side="left")
        if _known(first_op):
            if status == "decommissioned":
                if _known(ended):
                    # At least part of the last year was operated, so the bar never has zero length.
                    end = int(ended) if int(ended) > int(first_op) else int(first_op) + 0.5
                    bar(row_id, label, "operation", int(first_op), end)
                else:
                    mark(row_id, label, float(first_op) + 1, "end of operation not known")
            elif status_year is not None:
                operation_end = max(status_year + 1, int(first_op) + 1)
                bar(row_id, label, "operation", int(first_op), operation_end)
                if horizon_year is not None:
                    bar(row_id, label, "operation_since", operation_end, horizon_year + 1)
        if not _known(start) and not _known(first_op):
            mark(row_id, label, None, "dates not known")
    bar_frame = pd.DataFrame(bars, columns=["id", "label", "phase", "start", "end"])
    mark_frame = pd.DataFrame(marks, columns=["id", "label", "x", "text", "side"])
    return bar_frame, mark_frame


def gantt_row_order(facilities: pd.DataFrame, group_by: str = "field", group_order: Sequence[str] | None = None) -> list[tuple[str, list[str]]]:
    """Groups (field or province) in order, each with its facility ids sorted by start year (unknown last)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    groups = facilities[group_by].fillna(NOT_KNOWN).astype(str)
    start = facilities["construction_start"].fillna(facilities["first_operation"])
    order_frame = pd.DataFrame({"id": facilities["id"], "group": groups, "start": start.astype("Float64"),
                                "label": facility_labels(facilities)})
    if group_order:
        ranking = {g: i for i, g in enumerate(group_order)}
        order_frame["group_rank"] = order_frame["group"].map(lambda g: ranking.get(g, len(ranking)))
    else:
        order_frame["group_rank"] = 0
    order_frame["unknown"] = order_frame["start"].isna()
    order_frame = order_frame.sort_values(["group_rank", "group", "unknown", "start", "label"], na_position="last")
    return [(group, members["id"].tolist())
            for (_, group), members in order_frame.groupby(["group_rank", "group"], sort=False)]


def milestone_sources_text(source_ids: object, sources: pd.DataFrame) -> str:
    """'Publisher, “Title” (date)' for each source of one row, joined by semicolons."""
    records = source_records(sources)
    texts = []
    for source_id in split_ids(source_ids):
        source = records.get(source_id)
        if source is None:
            texts.append(source_id)
        else:
            texts.append(f"{source['publisher']}, “{source['title']}” ({source['date'] or 'n.d.'})")
    return "; ".join(texts)


def _milestone_points(milestones: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, row in milestones.iterrows():
        x = fractional_year(row["date"])
        if x is None:
            continue
        rows.append({"facility_id": row["facility_id"], "x": x, "row": row,
                     "sources": milestone_sources_text(row["source_ids"], sources)})
    return pd.DataFrame(rows, columns=["facility_id", "x", "row", "sources"])


def milestone_hover(row: pd.Series, sources_text: str, facility_label: str) -> str:
    """Hover of one milestone: date, facility, event, reference with DOI/arXiv, source (all escaped)."""
    lines = [f"<b>{plotly_text(facility_label)}</b> · {plotly_text(row['date'])} · {plotly_text(row['kind'])}"
             + (" (planned)" if _known(row.get("is_planned")) and bool(row["is_planned"]) else ""),
             plotly_text(row["event"])]
    if _known(row.get("reference")):
        lines.append("Reference: " + plotly_text(row["reference"]))
    if _known(row.get("doi")):
        lines.append("DOI: " + plotly_text(row["doi"]))
    if _known(row.get("arxiv")):
        lines.append("arXiv: " + plotly_text(row["arxiv"]))
    lines.append("Source: " + plotly_text(sources_text or NOT_KNOWN))
    return "<br>".join(_wrap(line) for line in lines)


def _wrap(text: str, width: int = 70) -> str:
    """Break long hover lines at spaces so the hover box stays on a phone screen."""
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


_PHASE_HOVER = {
    **PHASE_LABELS,
    "construction_since": "Under construction at its newest source, not re-checked since",
    "operation_since": "Operating at its newest source, not re-checked since",
}


def _bar_hover(row: pd.Series, label: str, phase: str, start: float, end: float) -> str:
    name = plotly_text(row["name_en"]) + (f" ({plotly_text(row['name_zh'])})" if _known(row["name_zh"]) else "")
    first_shown, last_shown = int(start), int(end - 1e-9) if end > int(end) else int(end) - 1
    if phase == "operation" and row["status"] == "decommissioned" and _known(row["decommissioned_year"]):
        last_shown = int(row["decommissioned_year"])
    lines = [f"<b>{plotly_text(label)}</b>: {name}",
             f"{_PHASE_HOVER[phase]}: {first_shown}–{last_shown}" if last_shown > first_shown
             else f"{_PHASE_HOVER[phase]}: {first_shown}",
             f"Field: {plotly_text(row['field'])} · Province: {plotly_text(row['province'])}",
             f"Construction start: {plotly_text(row['construction_start'])}"
             + (f" ({plotly_text(row['construction_start_event'])})" if _known(row["construction_start_event"]) else ""),
             f"First operation: {plotly_text(row['first_operation'])}"
             + (f" ({plotly_text(row['first_operation_event'])})" if _known(row["first_operation_event"]) else "")]
    if _known(row["decommissioned_year"]):
        lines.append(f"Decommissioned: {int(row['decommissioned_year'])}")
    lines.append(f"Status: {plotly_text(row['status'])} (as of {plotly_text(row['status_as_of'])})"
                 + (f"; {plotly_text(row['status_note'])}" if _known(row["status_note"]) else ""))
    lines.append(f"Who pays: {plotly_text(row['funding'])}")
    return "<br>".join(_wrap(line, 80) for line in lines)


def gantt_chart(
    facilities: pd.DataFrame,
    milestones: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    group_by: str = "field",
    group_order: Sequence[str] | None = None,
    as_of_year: int | None = None,
    milestone_kinds: Sequence[str] | None = None,
    horizon_year: int | None = None,
) -> Chart | None:
    """One row per facility: construction, then operation, ending at decommissioning; milestones on the same axis.

    Rows are grouped by ``group_by`` (field or province) under bold headers and sorted by start
    year within a group. Planned stretches are hatched; unknown dates are written as "not known"
    marks, never drawn as zero-length bars. A predecessor (BEPC for BEPCII) is joined to its
    successor by a dotted line. ``milestone_kinds`` limits the milestones drawn (None: all).
    Returns None when there are no facilities.
    """
    if facilities.empty:
        return None
    if group_order is None and group_by == "field":
        group_order = list(FIELD_COLOURS)
    labels = facility_labels(facilities)
    label_of = dict(zip(facilities["id"], labels))
    row_of = facilities.set_index("id")
    bars, marks = gantt_segments(facilities, horizon_year)
    groups = gantt_row_order(facilities, group_by, group_order)

    categories: list[str] = []
    header_of_group = {}
    for group, ids in groups:
        header = f"<b>{plotly_text(group).upper() if group_by == 'province' else plotly_text(group).capitalize()}</b>"
        header_of_group[group] = header
        categories.append(header)
        categories.extend(plotly_text(label_of[i]) for i in ids)

    known_x = pd.concat([bars["start"], bars["end"], marks["x"].dropna().astype(float)])
    if as_of_year is not None:
        known_x = pd.concat([known_x, pd.Series([float(as_of_year)])])
    x_min = float(known_x.min()) - 1 if len(known_x) else 2000.0
    x_max = float(known_x.max()) + 1 if len(known_x) else 2030.0

    figure = go.Figure()
    for phase in PHASE_LABELS:
        phase_bars = bars[bars["phase"] == phase]
        if phase_bars.empty:
            continue
        hovers = [
            _bar_hover(row_of.loc[b["id"]], b["label"], phase, b["start"], b["end"])
            for _, b in phase_bars.iterrows()
        ]
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[plotly_text(label) for label in phase_bars["label"]],
                x=(phase_bars["end"] - phase_bars["start"]).tolist(),
                base=phase_bars["start"].tolist(),
                name=PHASE_LABELS[phase],
                marker={
                    "color": PHASE_COLOURS[phase] if phase not in PHASE_PATTERNS else "rgba(0,0,0,0)",
                    "line": {"color": PHASE_COLOURS[phase], "width": 1},
                    "pattern": {"shape": PHASE_PATTERNS[phase], "fgcolor": PHASE_COLOURS[phase], "size": 6,
                                "solidity": 0.4} if phase in PHASE_PATTERNS else {"shape": ""},
                },
                hovertext=hovers,
                hoverinfo="text",
                width=0.7,
                # Both "not re-checked" stretches share one legend entry: the dots say it, the colour says the phase.
                legendgroup="since" if phase.endswith("_since") else phase,
                showlegend=not (phase == "construction_since" and (bars["phase"] == "operation_since").any()),
            )
        )

    if not marks.empty:
        mark_x = [x_min + 0.2 if pd.isna(x) else x for x in marks["x"]]
        figure.add_trace(
            go.Scatter(
                x=mark_x,
                y=[plotly_text(label) for label in marks["label"]],
                mode="markers+text",
                marker={"symbol": "circle-open", "size": 8, "color": UNKNOWN_COLOUR, "line": {"width": 1.5}},
                text=[f"<i>{plotly_text(text)}</i>" for text in marks["text"]],
                textposition=["middle left" if side == "left" and not pd.isna(x) else "middle right"
                              for side, x in zip(marks["side"], marks["x"])],
                textfont={"color": UNKNOWN_COLOUR, "size": 11},
                name="Date not known",
                hovertext=[f"<b>{plotly_text(m['label'])}</b>: {plotly_text(m['text'])}" for _, m in marks.iterrows()],
                hoverinfo="text",
            )
        )

    decommissioned = facilities[(facilities["status"] == "decommissioned") & facilities["decommissioned_year"].notna()]
    if not decommissioned.empty:
        figure.add_trace(
            go.Scatter(
                x=[float(y) for y in decommissioned["decommissioned_year"]],
                y=[plotly_text(label_of[i]) for i in decommissioned["id"]],
                mode="markers",
                marker={"symbol": "line-ns-open", "size": 14, "color": STATUS_COLOURS["decommissioned"], "line": {"width": 3}},
                name="Decommissioned",
                hovertext=[f"<b>{plotly_text(label_of[i])}</b> decommissioned in {int(y)}"
                           for i, y in zip(decommissioned["id"], decommissioned["decommissioned_year"])],
                hoverinfo="text",
            )
        )

    successors = facilities[facilities["predecessor_id"].notna() & facilities["predecessor_id"].isin(facilities["id"])]
    for _, successor in successors.iterrows():
        predecessor_id = successor["predecessor_id"]
        end = _operation_end(bars, predecessor_id)
        successor_bars = bars[bars["id"] == successor["id"]]
        if end is None or successor_bars.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=[end, float(successor_bars["start"].min())],
                y=[plotly_text(label_of[predecessor_id]), plotly_text(label_of[successor["id"]])],
                mode="lines",
                line={"dash": "dot", "color": UNKNOWN_COLOUR, "width": 1.5},
                name="Replaced by its successor",
                legendgroup="successor",
                showlegend=bool(successor["id"] == successors["id"].iloc[0]),
                hovertext=f"{plotly_text(label_of[predecessor_id])} → {plotly_text(label_of[successor['id']])}",
                hoverinfo="text",
            )
        )

    shown_milestones = milestones_for(milestones, facilities)
    if milestone_kinds is not None:
        shown_milestones = shown_milestones[shown_milestones["kind"].isin(milestone_kinds)]
    points = _milestone_points(shown_milestones, sources)
    for kind, symbol in MILESTONE_SYMBOLS.items():
        kind_points = points[[row["kind"] == kind for row in points["row"]]] if not points.empty else points
        if kind_points.empty:
            continue
        planned = [bool(row["is_planned"]) if _known(row["is_planned"]) else False for row in kind_points["row"]]
        figure.add_trace(
            go.Scatter(
                x=kind_points["x"].tolist(),
                y=[plotly_text(label_of[i]) for i in kind_points["facility_id"]],
                mode="markers",
                marker={
                    "symbol": [symbol + ("-open" if p and not symbol.endswith("-open") and symbol != "x" else "") for p in planned],
                    "size": 11,
                    "color": MILESTONE_COLOUR,
                    "line": {"color": "white", "width": 0.8},
                },
                name=kind,
                legendgroup="milestones",
                legendgrouptitle_text="Milestones" if not any(t.legendgroup == "milestones" for t in figure.data) else None,
                hovertext=[milestone_hover(row, src, label_of[i])
                           for row, src, i in zip(kind_points["row"], kind_points["sources"], kind_points["facility_id"])],
                hoverinfo="text",
            )
        )

    if as_of_year is not None:
        figure.add_vline(x=as_of_year + 0.5, line={"dash": "dash", "color": UNKNOWN_COLOUR, "width": 1},
                         annotation_text=f"as of {as_of_year}", annotation_position="top left")

    figure.update_layout(barmode="overlay", height=max(360, 24 * len(categories) + 170), hovermode="closest")
    base_layout(figure, x_title="Year", y_title=None)
    # Group headers are written inside the plot, not as tick labels, so long field names do not
    # squeeze the plot on a phone; the tick labels are only the short facility names.
    headers = set(header_of_group.values())
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=categories, autorange="reversed",
                        range=[len(categories) - 0.5, -0.5], automargin=True, title_text=None, showgrid=False,
                        tickvals=categories, ticktext=["" if c in headers else c for c in categories])
    figure.update_xaxes(range=[x_min, x_max], showgrid=True, dtick=5 if x_max - x_min > 15 else 1, zeroline=False)
    for header in header_of_group.values():
        figure.add_annotation(x=x_min, y=header, xref="x", yref="y", text=header, showarrow=False, xanchor="left",
                              font={"size": 12})
    # Header rows carry no bars; an invisible point on each keeps them on the axis.
    figure.add_trace(go.Scatter(x=[x_min] * len(header_of_group), y=list(header_of_group.values()), mode="markers",
                                marker={"opacity": 0}, showlegend=False, hoverinfo="skip"))
    # A grid of legend entries: two columns on a phone, several on a wide screen.
    figure.update_layout(legend={"entrywidth": 120, "entrywidthmode": "pixels", "font": {"size": 11}})

    statuses = facilities["status"].value_counts()
    status_text = ", ".join(f"{int(statuses[s])} {s}" for s in STATUS_COLOURS if s in statuses.index)
    with_bars = bars["id"].nunique()
    unknown = facilities["id"].nunique() - with_bars
    earliest = facilities.dropna(subset=["construction_start"]).sort_values("construction_start").head(1)
    spans = construction_years(facilities)
    spans["years"] = spans["last_year"] - spans["first_year"] + 1
    longest = spans.dropna(subset=["years"]).sort_values("years", ascending=False).head(1)
    alt = (
        f"Timeline (Gantt) chart of {len(facilities)} facilities grouped by {group_by}, "
        f"{int(x_min) + 1}–{int(x_max) - 1}: {status_text}"
    )
    if not earliest.empty:
        alt += f"; earliest construction start: {label_of[earliest['id'].iloc[0]]} ({int(earliest['construction_start'].iloc[0])})"
    if not longest.empty:
        row = longest.iloc[0]
        alt += f"; longest counted construction: {row['label']} ({int(row['first_year'])}–{int(row['last_year'])}, {int(row['years'])} years)"
    if unknown:
        alt += f"; {unknown} with no drawable dates (marked not known)"
    alt += f"; {len(points)} milestones marked."

    data = gantt_table(facilities)
    return Chart(
        slug=f"timeline-gantt-by-{group_by}",
        title=f"When each facility was built and operated, grouped by {group_by}",
        figure=figure,
        source_line=source_line(_source_ids(facilities, shown_milestones), sources),
        alt_text=alt,
        data=data,
        note=(
            "Sand: under construction; green: operating, to decommissioning or to the date of the newest source on "
            "its status, then dotted (not re-checked since); hatched: planned or expected; grey: a date no source "
            "gives. Red symbols are milestones: hover for the event, its reference (DOI, arXiv) and source."
        ),
    )


def _operation_end(bars: pd.DataFrame, facility_id: str) -> float | None:
    own = bars[(bars["id"] == facility_id) & (bars["phase"] == "operation")]
    return float(own["end"].max()) if not own.empty else None


def gantt_table(facilities: pd.DataFrame) -> pd.DataFrame:
    """The "show data" table of the Gantt chart: the years behind every bar, 'not known' where missing."""
    spans = construction_years(facilities).set_index("id")

    def years(series: pd.Series) -> list[object]:
        return [int(v) if _known(v) else NOT_KNOWN for v in series]

    return pd.DataFrame(
        {
            "Facility": facilities["name_en"].tolist(),
            "Short name": facility_labels(facilities).tolist(),
            "Field": facilities["field"].tolist(),
            "Province": facilities["province"].fillna(NOT_KNOWN).tolist(),
            "Construction start (year)": years(facilities["construction_start"]),
            "First operation (year)": years(facilities["first_operation"]),
            "Decommissioned (year)": [int(v) if _known(v) else ("—" if s != "decommissioned" else NOT_KNOWN)
                                      for v, s in zip(facilities["decommissioned_year"], facilities["status"])],
            "Status": facilities["status"].tolist(),
            "Status as of": facilities["status_as_of"].tolist(),
            "Counted under construction (years)": [
                f"{int(spans.loc[i, 'first_year'])}–{int(spans.loc[i, 'last_year'])}" if spans.loc[i, "counted"]
                else f"not counted ({spans.loc[i, 'not_counted_because']})"
                for i in facilities["id"]
            ],
            "Who pays": facilities["funding"].fillna(NOT_KNOWN).tolist(),
        }
    ).astype(str)


def milestone_table(milestones: pd.DataFrame, facilities: pd.DataFrame, sources: pd.DataFrame,
                    kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """The milestones of the selected facilities, newest first, with reference links and sources."""
    rows = milestones_for(milestones, facilities)
    if kinds is not None:
        rows = rows[rows["kind"].isin(kinds)]
    label_of = dict(zip(facilities["id"], facility_labels(facilities)))
    source_text = {index: milestone_sources_text(row["source_ids"], sources) for index, row in rows.iterrows()}
    table = pd.DataFrame(
        {
            "Date": rows["date"].tolist(),
            "Facility": [label_of.get(i, i) for i in rows["facility_id"]],
            "Kind": rows["kind"].tolist(),
            "Event": rows["event"].tolist(),
            "Planned": ["yes" if _known(p) and bool(p) else "" for p in rows["is_planned"]],
            "Reference": rows["reference"].fillna("").tolist(),
            "DOI": [f"https://doi.org/{d}" if _known(d) else None for d in rows["doi"]],
            "arXiv": [f"https://arxiv.org/abs/{a}" if _known(a) else None for a in rows["arxiv"]],
            "Source": [source_text.get(i, "") for i in rows.index],
        }
    )
    return table.sort_values("Date", ascending=False, kind="stable").reset_index(drop=True)


# --- As of year ------------------------------------------------------------------------------

AS_OF_YEAR_KEY = "as_of_year"  # st.session_state key shared with the map and overview pages


def as_of_year_bounds(facilities: pd.DataFrame) -> tuple[int, int]:
    """The years the "as of" control offers: the first known start to the newest status date."""
    starts = pd.concat([facilities["construction_start"], facilities["first_operation"]]).dropna()
    status_years = _status_years(facilities).dropna()
    if starts.empty or status_years.empty:
        latest = int(status_years.max()) if not status_years.empty else 2026
        return latest, latest
    return int(starts.min()), int(max(status_years.max(), starts.min()))


def default_as_of_year(facilities: pd.DataFrame) -> int:
    """The newest year the data speaks for (the latest status date)."""
    return as_of_year_bounds(facilities)[1]


def facilities_in_year(facilities: pd.DataFrame, year: int) -> pd.DataFrame:
    """The facilities as they stood in ``year``, with a ``status_in_year`` column (for the map and overview).

    Built on ``filters.facilities_as_of`` and ``filters.status_as_of``: facilities not yet
    started, and those decommissioned before the year, drop out. Two corrections keep the view
    no more certain than the data: a facility whose status is 'planned' is left out (its dates
    are plans), and one still 'under construction' in its newest source is never shown as
    operating, whatever its planned first-operation year.
    """
    standing = facilities_as_of(facilities, int(year))
    standing = standing[standing["status"] != "planned"].copy()
    in_year = status_as_of(standing, int(year)) if not standing.empty else pd.Series(dtype="object")
    still_building = standing["status"] == "under construction"
    in_year = in_year.where(~(still_building & (in_year == "operating")), "under construction")
    standing["status_in_year"] = in_year.astype("object") if not standing.empty else pd.Series(dtype="object")
    return standing


def status_counts_by_year(facilities: pd.DataFrame, years: Iterable[int], group_by: str = "field") -> pd.DataFrame:
    """For each year: how many facilities stood in each status, by field (long table)."""
    # Only the columns the rules read: the per-year loop then costs little.
    narrow = facilities[["id", "status", "construction_start", "first_operation", "decommissioned_year",
                         group_by]].assign(label=facility_labels(facilities))
    rows = []
    for year in years:
        standing = facilities_in_year(narrow, year)
        members: dict[tuple[str, str], list[str]] = {}
        for group, status, label in zip(standing[group_by], standing["status_in_year"], standing["label"]):
            key = (NOT_KNOWN if pd.isna(group) else str(group), status)
            members.setdefault(key, []).append(label)
        for (group, status), labels in sorted(members.items()):
            rows.append({"year": int(year), "group": group, "status": status, "count": len(labels),
                         "facilities": ", ".join(sorted(labels))})
    return pd.DataFrame(rows, columns=["year", "group", "status", "count", "facilities"])


def as_of_chart(facilities: pd.DataFrame, sources: pd.DataFrame, year: int, *, years: Sequence[int] | None = None,
                field_order: Sequence[str] | None = None) -> Chart | None:
    """Facilities as they stood in ``year``, by field and status, with a play button through every year.

    The figure's own slider and play button step through ``years`` (animation frames); it
    opens on ``year``. Returns None when no selected facility had started by any of ``years``.
    """
    if years is None:
        low, high = as_of_year_bounds(facilities)
        years = range(low, high + 1)
    years = list(years)
    if year not in years:
        years = sorted(set(years) | {int(year)})
    counts = status_counts_by_year(facilities, years)
    if counts.empty:
        return None
    order = [f for f in (field_order or FIELD_COLOURS) if f in set(counts["group"])]
    order += sorted(set(counts["group"]) - set(order))
    max_total = int(counts.groupby(["year", "group"])["count"].sum().max())

    # Plain dicts, looked up once: building one validated go.Bar per frame and status is what costs.
    cells = {(row.year, row.group, row.status): (int(row.count), row.facilities) for row in counts.itertuples()}
    y_labels = [plotly_text(g) for g in order]

    def traces_for(frame_year: int) -> list[dict]:
        traces = []
        for status in STATUSES_IN_YEAR:
            found = [cells.get((frame_year, g, status), (0, "")) for g in order]
            traces.append({
                "type": "bar",
                "orientation": "h",
                "y": y_labels,
                "x": [count for count, _ in found],
                "name": status.capitalize() + (" that year" if status == "decommissioned" else ""),
                "marker": {"color": STATUS_COLOURS[status]},
                "customdata": [plotly_text(names) for _, names in found],
                "hovertemplate": f"%{{y}}, {frame_year}<br>{status}: %{{x}}<br>%{{customdata}}<extra></extra>",
            })
        return traces

    figure = go.Figure(data=traces_for(int(year)),
                       frames=[{"data": traces_for(y), "name": str(y)} for y in years])
    active = years.index(int(year))
    figure.update_layout(
        barmode="stack",
        legend_traceorder="normal",
        height=max(320, 34 * len(order) + 230),
        # Play/pause sit left of the year slider, below the axis, as in Plotly's own animation layout.
        sliders=[{
            "active": active,
            "currentvalue": {"prefix": "As of "},
            "x": 0.16, "len": 0.84, "xanchor": "left", "y": 0, "yanchor": "top", "pad": {"t": 60},
            "steps": [{"label": str(y), "method": "animate",
                       "args": [[str(y)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                           "transition": {"duration": 0}}]} for y in years],
        }],
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.14, "y": 0, "xanchor": "right", "yanchor": "top",
            "pad": {"t": 90, "r": 4}, "showactive": False,
            "buttons": [
                {"label": "▶", "method": "animate",
                 "args": [None, {"frame": {"duration": 400, "redraw": True}, "fromcurrent": True,
                                 "transition": {"duration": 0}}]},
                {"label": "❚❚", "method": "animate",
                 "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]},
            ],
        }],
    )
    base_layout(figure, x_title="Facilities (number)", y_title=None)
    figure.update_xaxes(range=[0, max_total + 0.5], dtick=1 if max_total <= 12 else None)
    figure.update_yaxes(categoryorder="array", categoryarray=[plotly_text(g) for g in order], autorange="reversed",
                        automargin=True)
    figure.update_layout(margin={"b": 120})

    this_year = counts[counts["year"] == int(year)]
    by_status = this_year.groupby("status")["count"].sum()
    status_text = ", ".join(f"{int(by_status[s])} {s}" for s in STATUSES_IN_YEAR if s in by_status.index) or "none"
    total = int(this_year["count"].sum())
    alt = (f"Stacked horizontal bar chart of the {total} selected facilities standing in {year}, by field and status: "
           f"{status_text}; play or drag the slider for {years[0]}–{years[-1]}.")
    standing = facilities_in_year(facilities, int(year))
    data = pd.DataFrame({
        "Facility": standing["name_en"].tolist(),
        "Short name": facility_labels(facilities)[standing.index].tolist(),
        "Field": standing["field"].tolist(),
        "Province": standing["province"].fillna(NOT_KNOWN).tolist(),
        f"Status in {year}": standing["status_in_year"].tolist(),
    })
    return Chart(
        slug=f"as-of-{year}",
        title=f"Facilities as they stood in {year}",
        figure=figure,
        source_line=source_line(_source_ids(standing), sources),
        alt_text=alt,
        data=data,
        note="Press ▶ below the chart to step through the years; it opens on the year chosen above.",
    )


# --- The page's charts -----------------------------------------------------------------------

def page_charts(catalogue: Catalogue, selection: FacilityFilter, *, group_by: str = "field",
                as_of_year: int | None = None, milestone_kinds: Sequence[str] | None = None) -> list[Chart]:
    """Every chart of the timeline page for ``selection`` (default controls unless given): for export and the ZIP."""
    facilities = filter_facilities(catalogue.facilities, selection)
    if as_of_year is None:
        as_of_year = default_as_of_year(catalogue.facilities)
    low, high = as_of_year_bounds(catalogue.facilities)
    charts = [
        gantt_chart(facilities, catalogue.milestones, catalogue.sources, group_by=group_by,
                    group_order=catalogue.fields if group_by == "field" else None,
                    as_of_year=as_of_year, milestone_kinds=milestone_kinds,
                    horizon_year=default_as_of_year(catalogue.facilities)),
        concurrency_by_field_chart(facilities, catalogue.sources, field_order=catalogue.fields),
        concurrency_by_funding_chart(facilities, catalogue.sources, funding_types=catalogue.funding_types),
        as_of_chart(facilities, catalogue.sources, as_of_year, years=range(low, high + 1), field_order=catalogue.fields),
    ]
    return [chart for chart in charts if chart is not None]
