"""The "as of year" view: the facilities as they stood in a year, by field and status, with a play button."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.as_of import facilities_in_year
from china_bigscience.charts import FIELD_COLOURS, NOT_KNOWN, Chart, base_layout, source_line, status_marker
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels
from china_bigscience.source_ids import frame_source_ids
from china_bigscience.timeline.common import STATUSES_IN_YEAR, status_years_of, plotly_text

AS_OF_YEAR_KEY = "as_of_year"  # st.session_state key of the Timeline's "as of" year


def as_of_year_bounds(facilities: pd.DataFrame) -> tuple[int, int]:
    """The years the "as of" control offers: the first known start to the newest status date."""
    starts = pd.concat([facilities["construction_start"], facilities["first_operation"]]).dropna()
    status_years = status_years_of(facilities).dropna()
    if starts.empty or status_years.empty:
        latest = int(status_years.max()) if not status_years.empty else 2026
        return latest, latest
    return int(starts.min()), int(max(status_years.max(), starts.min()))


def default_as_of_year(facilities: pd.DataFrame) -> int:
    """The newest year the data speaks for (the latest status date)."""
    return as_of_year_bounds(facilities)[1]


def status_counts_by_year(facilities: pd.DataFrame, years: Iterable[int], group_by: str = "field") -> pd.DataFrame:
    """For each year: how many facilities stood in each status, by field (long table)."""
    # Only the columns the rules read: the per-year loop then costs little.
    narrow = facilities[["id", "status", "construction_start", "first_operation", "decommissioned_year",
                         group_by]].assign(label=short_labels(facilities))
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
                field_order: Sequence[str] | None = None, tr: Translator = ENGLISH) -> Chart | None:
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

    figure = _animated_bars(counts, order, years, int(year), tr)
    base_layout(figure, x_title=tr("timeline.as_of_axis"), y_title=None)
    figure.update_xaxes(range=[0, max_total + 0.5], dtick=1 if max_total <= 12 else None)
    figure.update_yaxes(categoryorder="array", categoryarray=[_group_text(g, tr) for g in order], autorange="reversed",
                        automargin=True)
    figure.update_layout(margin={"b": 120})

    this_year = counts[counts["year"] == int(year)]
    by_status = this_year.groupby("status")["count"].sum()
    status_text = tr.join(tr("timeline.count_status", count=int(by_status[s]), status=tr.status(s))
                          for s in STATUSES_IN_YEAR if s in by_status.index) or tr("timeline.none")
    total = int(this_year["count"].sum())
    alt = tr("timeline.as_of_alt", total=total, year=year, statuses=status_text, first=years[0], last=years[-1])
    standing = facilities_in_year(facilities, int(year))
    not_known = tr("common.not_known")
    data = pd.DataFrame({
        tr("timeline.column_facility"): [tr.facility_name(en, zh) if tr.is_chinese else en
                                         for en, zh in zip(standing["name_en"], standing["name_zh"])],
        tr("timeline.column_short_name"): short_labels(facilities)[standing.index].tolist(),
        tr("timeline.column_field"): [tr.field(f) for f in standing["field"]],
        tr("timeline.column_province"): [not_known if pd.isna(p) else tr.province(p) for p in standing["province"]],
        tr("timeline.column_status_in", year=year): [tr.status(s) for s in standing["status_in_year"]],
    })
    return Chart(
        slug=f"as-of-{year}",
        title=tr("timeline.as_of_title", year=year),
        figure=figure,
        source_line=source_line(frame_source_ids(standing), sources, tr=tr),
        alt_text=alt,
        data=data,
        note=tr("timeline.as_of_note"),
    )


# A bar's hover names its facilities up to this many (every year is a frame: the names were most of the
# figure at 30x the catalogue); the data table keeps them all.
HOVER_NAMES_MAX = 12


def _group_text(group: str, tr: Translator) -> str:
    return plotly_text(tr("common.not_known") if group == NOT_KNOWN else tr.field(group), tr)


def _animated_bars(counts: pd.DataFrame, order: Sequence[str], years: list[int], year: int,
                   tr: Translator = ENGLISH) -> go.Figure:
    """Stacked bars by group and status for ``year``, with one animation frame per year and play/pause buttons."""
    # Plain dicts, looked up once: building one validated go.Bar per frame and status is what costs.
    cells = {(row.year, row.group, row.status): (int(row.count), row.facilities) for row in counts.itertuples()}
    y_labels = [_group_text(g, tr) for g in order]

    def traces_for(frame_year: int) -> list[dict]:
        traces = []
        for status in STATUSES_IN_YEAR:
            found = [cells.get((frame_year, g, status), (0, "")) for g in order]
            traces.append({
                "type": "bar",
                "orientation": "h",
                "y": y_labels,
                "x": [count for count, _ in found],
                "name": tr(f"timeline.as_of_legend.{status}"),
                "marker": status_marker(status),
                "customdata": [plotly_text(names, tr) if count <= HOVER_NAMES_MAX
                               else plotly_text(tr("timeline.as_of_hover_many", count=count), tr)
                               for count, names in found],
                "hovertemplate": tr("timeline.as_of_hover", year=frame_year, status=tr.status(status))
                + "<extra></extra>",
            })
        return traces

    figure = go.Figure(data=traces_for(year), frames=[{"data": traces_for(y), "name": str(y)} for y in years])
    figure.update_layout(
        barmode="stack",
        legend_traceorder="normal",
        height=max(320, 34 * len(order) + 230),
        sliders=[_year_slider(years, years.index(year), tr)],
        updatemenus=[_play_buttons()],
    )
    return figure


def _year_slider(years: list[int], active: int, tr: Translator = ENGLISH) -> dict:
    # Play/pause sit left of the year slider, below the axis, as in Plotly's own animation layout.
    return {
        "active": active,
        "currentvalue": {"prefix": tr("timeline.as_of_slider")},
        "x": 0.16, "len": 0.84, "xanchor": "left", "y": 0, "yanchor": "top", "pad": {"t": 60},
        "steps": [{"label": str(y), "method": "animate",
                   "args": [[str(y)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                       "transition": {"duration": 0}}]} for y in years],
    }


def _play_buttons() -> dict:
    return {
        "type": "buttons", "direction": "left", "x": 0.14, "y": 0, "xanchor": "right", "yanchor": "top",
        "pad": {"t": 90, "r": 4}, "showactive": False,
        "buttons": [
            {"label": "▶", "method": "animate",
             "args": [None, {"frame": {"duration": 400, "redraw": True}, "fromcurrent": True,
                             "transition": {"duration": 0}}]},
            {"label": "❚❚", "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]},
        ],
    }
