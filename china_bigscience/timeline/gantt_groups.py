"""The Gantt for many facilities: one row per group (field or province), the facilities standing per year.

Counted from the Gantt's own bars (``gantt_rows.gantt_segments``), so both views agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import NOT_KNOWN, Chart, base_layout, source_line
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.source_ids import frame_source_ids
from china_bigscience.timeline.common import UNKNOWN_COLOUR, plotly_text
from china_bigscience.timeline.gantt_rows import GANTT_MAX_ROWS, GANTT_OPEN_MAX_ROWS, gantt_row_order, gantt_segments

# Which bars count as which phase in the grouped view (planned and expected stretches are plans, not counted).
_GROUP_PHASES = {"construction": "under construction", "construction_since": "under construction",
                 "operation": "operating", "operation_since": "operating", "undated": "built, phase not known"}


def gantt_groups(facilities: pd.DataFrame, group_by: str = "field",
                 group_order: Sequence[str] | None = None) -> list[tuple[str, int]]:
    """The groups of the Gantt in their order, each with its number of facilities."""
    return [(group, len(ids)) for group, ids in gantt_row_order(facilities, group_by, group_order)]


def facilities_in_group(facilities: pd.DataFrame, group_by: str, group: str,
                        limit: int | None = GANTT_OPEN_MAX_ROWS) -> pd.DataFrame:
    """The facilities of one group of the Gantt (``NOT_KNOWN`` is the group of those with no value), in the
    Gantt's row order, at most ``limit`` of them (None: all)."""
    members = facilities[facilities[group_by].fillna(NOT_KNOWN).astype(str) == group]
    ids = [i for _, group_ids in gantt_row_order(members, group_by) for i in group_ids][:limit]
    index_of = dict(zip(members["id"], members.index))
    return members.loc[[index_of[i] for i in ids]]


def phase_counts_by_group(facilities: pd.DataFrame, group_by: str = "field",
                          horizon_year: int | None = None) -> pd.DataFrame:
    """Facilities under construction, operating, or built with the phase not known, per group and year.

    Counted from the Gantt's own bars (``gantt_segments``), so both views say the same: a bar over
    [start, end) counts in every whole year it covers. Columns: ``group``, ``year`` and one per phase.
    """
    bars, _ = gantt_segments(facilities, horizon_year)
    bars = bars[bars["phase"].isin(list(_GROUP_PHASES))]
    columns = ["group", "year", *dict.fromkeys(_GROUP_PHASES.values())]
    if bars.empty:
        return pd.DataFrame(columns=columns)
    group_of = dict(zip(facilities["id"], facilities[group_by].fillna(NOT_KNOWN).astype(str)))
    first = bars["start"].astype(int).to_numpy()
    last = np.ceil(bars["end"].to_numpy()).astype(int)  # exclusive
    lengths = np.maximum(last - first, 1)
    repeated = bars.loc[bars.index.repeat(lengths)]
    years = np.repeat(first, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    counted = pd.DataFrame({"group": repeated["id"].map(group_of).to_numpy(), "year": years,
                            "phase": repeated["phase"].map(_GROUP_PHASES).to_numpy(), "id": repeated["id"].to_numpy()})
    # A facility counts once per year and phase, even where two of its bars touch the same year.
    counted = counted.drop_duplicates(["id", "year", "phase"])
    table = counted.pivot_table(index=["group", "year"], columns="phase", values="id", aggfunc="count", fill_value=0)
    table = table.reindex(columns=list(dict.fromkeys(_GROUP_PHASES.values())), fill_value=0).reset_index()
    table.columns.name = None
    return table[columns]


def _group_shown(group: str, group_by: str, tr: Translator) -> str:
    """A group's name in the reader's language (``NOT_KNOWN`` is the group of those with no value)."""
    if group == NOT_KNOWN:
        return tr("common.not_known")
    return tr.province(group) if group_by == "province" else tr.field(group)


def gantt_groups_chart(facilities: pd.DataFrame, sources: pd.DataFrame, *, group_by: str = "field",
                       group_order: Sequence[str] | None = None, as_of_year: int | None = None,
                       horizon_year: int | None = None, tr: Translator = ENGLISH) -> Chart | None:
    """The Gantt for many facilities: one row per group (field or province), coloured by how many of its
    facilities stood (under construction or operating) in each year; the hover gives each phase's count.

    One heatmap trace of groups x years, whatever the number of facilities.
    """
    if facilities.empty:
        return None
    order = [group for group, _ in gantt_groups(facilities, group_by, group_order)]
    size_of = dict(gantt_groups(facilities, group_by, group_order))
    counts = phase_counts_by_group(facilities, group_by, horizon_year)
    phases = list(dict.fromkeys(_GROUP_PHASES.values()))
    phase_words = {phase: tr(f"timeline.groups_phase.{key}") for phase, key
                   in zip(phases, ["construction", "operation", "undated"])}
    if counts.empty:
        years = [as_of_year or 2000]
    else:
        years = list(range(int(counts["year"].min()), int(counts["year"].max()) + 1))
    grid = counts.set_index(["group", "year"]).reindex(pd.MultiIndex.from_product([order, years]), fill_value=0)
    standing = grid[phases].sum(axis=1).to_numpy().reshape(len(order), len(years))
    custom = grid[phases].to_numpy().reshape(len(order), len(years), len(phases))
    row_names = [f"{plotly_text(_group_shown(group, group_by, tr), tr)} ({size_of[group]})" for group in order]
    figure = go.Figure(go.Heatmap(
        z=standing, x=years, y=row_names, customdata=custom, colorscale="YlGn", zmin=0,
        colorbar={"title": {"text": tr("timeline.groups_colorbar")}, "thickness": 12},
        hovertemplate=("<b>%{y}</b>, %{x}<br>" + "<br>".join(
            f"{phase_words[phase]}: %{{customdata[{i}]}}" for i, phase in enumerate(phases)) + "<extra></extra>"),
        xgap=1, ygap=2,
    ))
    if as_of_year is not None:
        figure.add_vline(x=as_of_year + 0.5, line={"dash": "dash", "color": UNKNOWN_COLOUR, "width": 1},
                         annotation_text=tr("timeline.gantt_as_of", year=as_of_year), annotation_position="top left")
    figure.update_layout(height=max(360, 28 * len(order) + 170))
    base_layout(figure, x_title=tr("timeline.column_year"), y_title=None)
    figure.update_yaxes(autorange="reversed", automargin=True, type="category")
    figure.update_xaxes(dtick=5 if len(years) > 15 else 1)
    grouping = tr(f"timeline.group.{group_by}")
    group_column = tr("timeline.column_province" if group_by == "province" else "timeline.column_field")
    table = counts.assign(group=[_group_shown(group, group_by, tr) for group in counts["group"]]).rename(
        columns={"group": group_column, "year": tr("timeline.column_year"), **phase_words})
    # The top 3 groups by their busiest year (bounded, as maps.map_alt_text): each group's peak once.
    peak = (counts.assign(standing=counts[phases].sum(axis=1))
            .sort_values(["standing", "year"], ascending=[False, True]).drop_duplicates("group").head(3))
    alt = tr("timeline.groups_alt", count=len(facilities), groups=len(order), group=grouping, first=years[0],
             last=years[-1])
    if not peak.empty:
        alt += tr("timeline.groups_alt_peak", peaks=tr.join(
            f"{_group_shown(row.group, group_by, tr)} {int(row.year)} ({int(row.standing)})"
            for row in peak.itertuples()))
    return Chart(
        slug=f"timeline-gantt-groups-by-{group_by}",
        title=tr("timeline.groups_title", group=grouping),
        figure=figure,
        source_line=source_line(frame_source_ids(facilities), sources, tr=tr),
        alt_text=alt + tr("common.full_stop"),
        data=table,
        note=tr("timeline.groups_note", count=len(facilities), max=GANTT_MAX_ROWS, group=grouping),
    )
