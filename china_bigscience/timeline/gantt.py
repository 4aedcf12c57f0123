"""The Gantt chart: one row per facility, construction then operation, with the milestones on the same axis.

The bars and the row order are ``gantt_rows``; above ``GANTT_MAX_ROWS`` facilities the chart is
``gantt_groups.gantt_groups_chart`` (one row per field or province) instead.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import (
    FIELD_COLOURS, NOT_KNOWN, STATUS_COLOURS, Chart, base_layout, source_line, tick_label_margin_px,
)
from china_bigscience.filters import milestones_for
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels
from china_bigscience.safe_text import shorten
from china_bigscience.source_ids import frame_source_ids
from china_bigscience.timeline.common import (
    MILESTONE_COLOUR,
    MILESTONE_SYMBOLS,
    OPERATION_BAR_WIDTH,
    PHASE_BAR_WIDTHS,
    PHASE_COLOURS,
    PHASE_LABELS,
    PHASE_PATTERNS,
    UNKNOWN_COLOUR,
    is_known,
    phase_label,
    plotly_text,
)
from china_bigscience.timeline.concurrency import construction_years, reason_text
from china_bigscience.timeline.milestones import milestone_points, wrap_hover, milestone_hover
from china_bigscience.timeline.gantt_groups import gantt_groups_chart
from china_bigscience.timeline.gantt_rows import GANTT_MAX_ROWS, gantt_row_order, gantt_segments, mark_text

# Above this many rows the row labels are left to Plotly (no explicit tickvals, no automargin, no header
# annotations): explicit labels turn off Plotly's label thinning and automargin measures every label.
LABELLED_ROWS_MAX = 150


def _phase_hover(phase: str, tr: Translator) -> str:
    """The phase as the hover says it: the "not re-checked" stretches say which phase they continue."""
    return tr(f"timeline.phase_hover.{phase}") if phase.endswith("_since") else phase_label(phase, tr)


def _year_or_unknown(value: object, tr: Translator) -> str:
    return str(int(value)) if is_known(value) else tr("common.not_known")


def _facility_hover_lines(row: Mapping[str, object], label: str, tr: Translator = ENGLISH) -> tuple[str, str]:
    """The first line (label and name) and the rest of a facility's hover, written once per facility, not per bar."""
    name = plotly_text(tr.facility_name(row["name_en"], row["name_zh"]), tr)
    province = tr.province(row["province"]) if is_known(row["province"]) else None
    lines = [tr("timeline.hover_field_province", field=plotly_text(tr.field(row["field"]), tr),
                province=plotly_text(province, tr)),
             tr("timeline.hover_construction_start", year=_year_or_unknown(row["construction_start"], tr))
             + (tr("timeline.hover_event", event=plotly_text(row["construction_start_event"], tr))
                if is_known(row["construction_start_event"]) else ""),
             tr("timeline.hover_first_operation", year=_year_or_unknown(row["first_operation"], tr))
             + (tr("timeline.hover_event", event=plotly_text(row["first_operation_event"], tr))
                if is_known(row["first_operation_event"]) else "")]
    if is_known(row["decommissioned_year"]):
        lines.append(tr("timeline.hover_decommissioned", year=int(row["decommissioned_year"])))
    lines.append(tr("timeline.hover_status", status=plotly_text(tr.status(row["status"]), tr),
                    as_of=plotly_text(row["status_as_of"], tr))
                 + (tr("timeline.hover_note", note=plotly_text(row["status_note"], tr)) if is_known(row["status_note"]) else ""))
    lines.append(tr("timeline.hover_funding", funding=plotly_text(tr.funding(row["funding"]) if is_known(row["funding"])
                                                                   else None, tr)))
    return (wrap_hover(f"<b>{plotly_text(label, tr)}</b>: {name}", 80),
            "<br>".join(wrap_hover(line, 80) for line in lines))


def _phase_line(row: Mapping[str, object], phase: str, start: float, end: float, tr: Translator = ENGLISH) -> str:
    first_shown, last_shown = int(start), int(end - 1e-9) if end > int(end) else int(end) - 1
    if phase == "operation" and row["status"] == "decommissioned" and is_known(row["decommissioned_year"]):
        last_shown = int(row["decommissioned_year"])
    years = f"{first_shown}–{last_shown}" if last_shown > first_shown else str(first_shown)
    return tr("timeline.hover_phase", phase=_phase_hover(phase, tr), years=years)


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
    max_rows: int | None = GANTT_MAX_ROWS,
    tr: Translator = ENGLISH,
) -> Chart | None:
    """One row per facility: construction, then operation, ending at decommissioning; milestones on the same axis.

    Above ``max_rows`` facilities (None: no limit) it is ``gantt_groups_chart`` instead: one row per group.

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
    if max_rows is not None and len(facilities) > max_rows:
        return gantt_groups_chart(facilities, sources, group_by=group_by, group_order=group_order,
                                  as_of_year=as_of_year, horizon_year=horizon_year, tr=tr)
    label_of = dict(zip(facilities["id"], short_labels(facilities, tr)))
    bars, marks = gantt_segments(facilities, horizon_year, tr)
    categories, headers = _rows_with_headers(gantt_row_order(facilities, group_by, group_order), label_of, group_by, tr)
    x_min, x_max = _x_range(bars, marks, as_of_year)

    shown_milestones = milestones_for(milestones, facilities)
    if milestone_kinds is not None:
        shown_milestones = shown_milestones[shown_milestones["kind"].isin(milestone_kinds)]
    points = milestone_points(shown_milestones, sources, tr)

    figure = go.Figure()
    figure.add_traces(_phase_traces(bars, facilities, tr))
    if not marks.empty:
        figure.add_trace(_not_known_trace(marks, x_min, tr))
    decommissioning = _decommissioning_trace(facilities, label_of, tr)
    if decommissioning is not None:
        figure.add_trace(decommissioning)
    figure.add_traces(_successor_traces(facilities, bars, label_of, tr))
    figure.add_traces(_milestone_traces(points, label_of, tr))
    _lay_out_gantt(figure, categories, headers, (x_min, x_max), as_of_year, tr)
    grouping = tr(f"timeline.group.{group_by}")
    return Chart(
        slug=f"timeline-gantt-by-{group_by}",
        title=tr("timeline.gantt_title", group=grouping),
        figure=figure,
        source_line=source_line(frame_source_ids(facilities, shown_milestones), sources, tr=tr),
        alt_text=_gantt_alt_text(facilities, bars, label_of, grouping, (x_min, x_max), len(points), tr),
        data=gantt_table(facilities, tr),
        note=tr("timeline.gantt_note"),
    )


def _rows_with_headers(groups: list[tuple[str, list[str]]], label_of: dict[str, str],
                       group_by: str, tr: Translator = ENGLISH) -> tuple[list[str], list[str]]:
    """The y categories top to bottom (a bold header row, then its facilities, per group) and the headers."""
    categories: list[str] = []
    headers: list[str] = []
    for group, ids in groups:
        if group == NOT_KNOWN:
            shown = tr("common.not_known")
        else:
            shown = tr.province(group) if group_by == "province" else tr.field(group)
        text = plotly_text(shown, tr)
        header = f"<b>{text.upper() if group_by == 'province' else text[:1].upper() + text[1:]}</b>"
        headers.append(header)
        categories.append(header)
        categories.extend(plotly_text(label_of[i]) for i in ids)
    return categories, headers


def _x_range(bars: pd.DataFrame, marks: pd.DataFrame, as_of_year: int | None) -> tuple[float, float]:
    """The year axis: every drawn date (and the as-of line) with a year of margin each side."""
    known_x = pd.concat([bars["start"], bars["end"], marks["x"].dropna().astype(float)])
    if as_of_year is not None:
        known_x = pd.concat([known_x, pd.Series([float(as_of_year)])])
    x_min = float(known_x.min()) - 1 if len(known_x) else 2000.0
    x_max = float(known_x.max()) + 1 if len(known_x) else 2030.0
    return x_min, x_max


def _phase_traces(bars: pd.DataFrame, facilities: pd.DataFrame, tr: Translator = ENGLISH) -> list[go.Bar]:
    """One horizontal bar trace per phase, hatched where the phase is a plan or not re-checked."""
    # Plain dicts looked up by id: a DataFrame row per bar (``.loc``) was most of the Gantt's cost at scale.
    row_of = dict(zip(facilities["id"], facilities.to_dict("records")))
    # Each facility's description is written once and shared by its bars (a facility has up to four).
    hover_of = {bar_id: _facility_hover_lines(row_of[bar_id], label, tr)
                for bar_id, label in zip(bars["id"], bars["label"]) if bar_id in row_of}
    traces = []
    for phase in PHASE_LABELS:
        phase_bars = bars[bars["phase"] == phase]
        if phase_bars.empty:
            continue
        hovers = [
            f"{hover_of[bar_id][0]}<br>{wrap_hover(_phase_line(row_of[bar_id], phase, start, end, tr), 80)}"
            f"<br>{hover_of[bar_id][1]}"
            for bar_id, start, end in zip(phase_bars["id"], phase_bars["start"], phase_bars["end"])
        ]
        traces.append(
            go.Bar(
                orientation="h",
                y=[plotly_text(label) for label in phase_bars["label"]],
                x=(phase_bars["end"] - phase_bars["start"]).tolist(),
                base=phase_bars["start"].tolist(),
                name=phase_label(phase, tr),
                marker={
                    "color": PHASE_COLOURS[phase] if phase not in PHASE_PATTERNS else "rgba(0,0,0,0)",
                    "line": {"color": PHASE_COLOURS[phase], "width": 1},
                    "pattern": {"shape": PHASE_PATTERNS[phase], "fgcolor": PHASE_COLOURS[phase], "size": 6,
                                "solidity": 0.4} if phase in PHASE_PATTERNS else {"shape": ""},
                },
                hovertext=hovers,
                hoverinfo="text",
                width=PHASE_BAR_WIDTHS.get(phase, OPERATION_BAR_WIDTH),
                # Both "not re-checked" stretches share one legend entry: the dots say it, the colour says the phase.
                legendgroup="since" if phase.endswith("_since") else phase,
                showlegend=not (phase == "construction_since" and (bars["phase"] == "operation_since").any()),
            )
        )
    return traces


def _not_known_trace(marks: pd.DataFrame, x_min: float, tr: Translator = ENGLISH) -> go.Scatter:
    """The "not known" marks: an open circle and an italic note where a date no source gives would be."""
    return go.Scatter(
        x=[x_min + 0.2 if pd.isna(x) else x for x in marks["x"]],
        y=[plotly_text(label) for label in marks["label"]],
        mode="markers+text",
        marker={"symbol": "circle-open", "size": 8, "color": UNKNOWN_COLOUR, "line": {"width": 1.5}},
        text=[f"<i>{plotly_text(mark_text(text, tr), tr)}</i>" for text in marks["text"]],
        textposition=["middle left" if side == "left" and not pd.isna(x) else "middle right"
                      for side, x in zip(marks["side"], marks["x"])],
        textfont={"color": UNKNOWN_COLOUR, "size": 11},
        name=tr("timeline.hover_date_not_known"),
        hovertext=[f"<b>{plotly_text(label, tr)}</b>: {plotly_text(mark_text(text, tr), tr)}"
                   for label, text in zip(marks["label"], marks["text"])],
        hoverinfo="text",
    )


def _decommissioning_trace(facilities: pd.DataFrame, label_of: dict[str, str],
                           tr: Translator = ENGLISH) -> go.Scatter | None:
    """A tick at each known decommissioning year (None when no selected facility has one)."""
    decommissioned = facilities[(facilities["status"] == "decommissioned") & facilities["decommissioned_year"].notna()]
    if decommissioned.empty:
        return None
    return go.Scatter(
        x=[float(y) for y in decommissioned["decommissioned_year"]],
        y=[plotly_text(label_of[i]) for i in decommissioned["id"]],
        mode="markers",
        marker={"symbol": "line-ns-open", "size": 14, "color": STATUS_COLOURS["decommissioned"], "line": {"width": 3}},
        name=tr("timeline.decommissioned"),
        hovertext=[tr("timeline.hover_decommissioned_in", name=plotly_text(label_of[i], tr), year=int(y))
                   for i, y in zip(decommissioned["id"], decommissioned["decommissioned_year"])],
        hoverinfo="text",
    )


def _successor_traces(facilities: pd.DataFrame, bars: pd.DataFrame, label_of: dict[str, str],
                      tr: Translator = ENGLISH) -> list[go.Scatter]:
    """A dotted line from the end of a predecessor's operation to the start of its successor's first bar.

    All lines are one trace, separated by None (one trace per link was a trace, a validation and a legend
    item each); an empty list when no selected facility has its predecessor selected.
    """
    successors = facilities[facilities["predecessor_id"].notna() & facilities["predecessor_id"].isin(facilities["id"])]
    operation_end = bars[bars["phase"] == "operation"].groupby("id")["end"].max()
    first_start = bars.groupby("id")["start"].min()
    x: list[float | None] = []
    y: list[str | None] = []
    hovers: list[str | None] = []
    for predecessor_id, successor_id in zip(successors["predecessor_id"], successors["id"]):
        if predecessor_id not in operation_end.index or successor_id not in first_start.index:
            continue
        link = f"{plotly_text(label_of[predecessor_id], tr)} → {plotly_text(label_of[successor_id], tr)}"
        x += [float(operation_end[predecessor_id]), float(first_start[successor_id]), None]
        y += [plotly_text(label_of[predecessor_id], tr), plotly_text(label_of[successor_id], tr), None]
        hovers += [link, link, None]
    if not x:
        return []
    x, y, hovers = x[:-1], y[:-1], hovers[:-1]  # no break after the last line
    return [go.Scatter(x=x, y=y, mode="lines", line={"dash": "dot", "color": UNKNOWN_COLOUR, "width": 1.5},
                       name=tr("timeline.successor_legend"), legendgroup="successor", hovertext=hovers,
                       hoverinfo="text")]


def _milestone_traces(points: pd.DataFrame, label_of: dict[str, str], tr: Translator = ENGLISH) -> list[go.Scatter]:
    """One marker trace per milestone kind (open symbols for planned events), grouped under one legend title."""
    traces = []
    for kind, symbol in MILESTONE_SYMBOLS.items():
        kind_points = points[[row["kind"] == kind for row in points["row"]]] if not points.empty else points
        if kind_points.empty:
            continue
        planned = [bool(row["is_planned"]) if is_known(row["is_planned"]) else False for row in kind_points["row"]]
        traces.append(
            go.Scatter(
                x=kind_points["x"].tolist(),
                y=[plotly_text(label_of[i]) for i in kind_points["facility_id"]],
                mode="markers",
                marker={
                    "symbol": [symbol + ("-open" if p and not symbol.endswith("-open") and symbol != "x" else "")
                               for p in planned],
                    "size": 11,
                    "color": MILESTONE_COLOUR,
                    "line": {"color": "white", "width": 0.8},
                },
                name=tr.value("milestone_kind", kind),
                legendgroup="milestones",
                hovertext=[milestone_hover(row, src, label_of[i], tr)
                           for row, src, i in zip(kind_points["row"], kind_points["sources"], kind_points["facility_id"])],
                hoverinfo="text",
            )
        )
    if traces:
        # The legend is a grid (``_lay_out_gantt``), where a group title sits apart from its group: "Milestones" is
        # an entry of its own before the kinds, with no mark (a click on it shows or hides every milestone).
        traces.insert(0, go.Scatter(
            x=[None], y=[None], mode="markers", name=f"<b>{plotly_text(tr('timeline.milestones_legend'))}</b>",
            legendgroup="milestones", marker={"color": "rgba(0,0,0,0)", "size": 1}, hoverinfo="skip",
        ))
    return traces


# A facility with no acronym is labelled by its name (English names run to 90 characters): the axis would take half
# of a phone's width. The full name is in the bar's hover and in the table.
TICK_LABEL_CHARACTERS = 28


def _tick_label(category: str) -> str:
    """The row's label on the axis: shortened with '…' (shortened as text, then escaped again for Plotly)."""
    return plotly_text(shorten(html.unescape(category), TICK_LABEL_CHARACTERS))


def _lay_out_gantt(figure: go.Figure, categories: list[str], headers: list[str], x_range: tuple[float, float],
                   as_of_year: int | None, tr: Translator = ENGLISH) -> None:
    x_min, x_max = x_range
    if as_of_year is not None:
        figure.add_vline(x=as_of_year + 0.5, line={"dash": "dash", "color": UNKNOWN_COLOUR, "width": 1},
                         annotation_text=tr("timeline.gantt_as_of", year=as_of_year), annotation_position="top left")
    figure.update_layout(barmode="overlay", height=max(360, 24 * len(categories) + 170), hovermode="closest")
    base_layout(figure, x_title=tr("timeline.column_year"), y_title=None)
    # Group headers are written inside the plot, not as tick labels, so long field names do not
    # squeeze the plot on a phone; the tick labels are only the short facility names.
    header_set = set(headers)
    figure.update_xaxes(range=[x_min, x_max], showgrid=True, dtick=5 if x_max - x_min > 15 else 1, zeroline=False)
    if len(categories) > LABELLED_ROWS_MAX:
        # Many rows: Plotly places (and thins) the labels itself, headers included, in a fixed margin.
        figure.update_yaxes(type="category", categoryorder="array", categoryarray=categories, autorange="reversed",
                            range=[len(categories) - 0.5, -0.5], automargin=False, title_text=None, showgrid=False)
        longest = max((len(c) for c in categories if c not in header_set), default=10)
        figure.update_layout(margin={"l": min(240, 12 + 7 * longest)})
    else:
        ticktext = ["" if c in header_set else _tick_label(c) for c in categories]
        figure.update_yaxes(type="category", categoryorder="array", categoryarray=categories, autorange="reversed",
                            range=[len(categories) - 0.5, -0.5], automargin=False, title_text=None, showgrid=False,
                            tickvals=categories, ticktext=ticktext)
        figure.update_layout(margin={"l": tick_label_margin_px(ticktext)})
        for header in headers:
            figure.add_annotation(x=x_min, y=header, xref="x", yref="y", text=header, showarrow=False,
                                  xanchor="left", font={"size": 12})
    # Header rows carry no bars; an invisible point on each keeps them on the axis.
    figure.add_trace(go.Scatter(x=[x_min] * len(headers), y=headers, mode="markers",
                                marker={"opacity": 0}, showlegend=False, hoverinfo="skip"))
    # A grid of legend entries, as many columns as fit the plot's width: in "normal" order and with no set entry
    # width, Plotly makes each column as wide as its widest entry as drawn (measured, so nothing overlaps, in any
    # language), one column on a phone, two or three on a desktop. Grouped order stacked each legend group in a
    # column of its own (one tall column), and a set width guessed from the text left too few columns.
    # The short title has the top row to itself, where the chart's toolbar (top right, on hover) would cover entries.
    figure.update_layout(legend={"traceorder": "normal", "font": {"size": 11},
                                 "title": {"text": tr("timeline.gantt_legend_title"), "side": "top"}})


def _gantt_alt_text(facilities: pd.DataFrame, bars: pd.DataFrame, label_of: dict[str, str], group_by: str,
                    x_range: tuple[float, float], milestone_count: int, tr: Translator = ENGLISH) -> str:
    x_min, x_max = x_range
    statuses = facilities["status"].value_counts()
    status_text = tr.join(tr("timeline.count_status", count=int(statuses[s]), status=tr.status(s))
                          for s in STATUS_COLOURS if s in statuses.index)
    unknown = facilities["id"].nunique() - bars["id"].nunique()
    earliest = facilities.dropna(subset=["construction_start"]).sort_values("construction_start").head(1)
    spans = construction_years(facilities)
    spans["years"] = spans["last_year"] - spans["first_year"] + 1
    longest = spans.dropna(subset=["years"]).sort_values("years", ascending=False).head(1)
    alt = tr("timeline.gantt_alt", count=len(facilities), group=group_by, first=int(x_min) + 1, last=int(x_max) - 1,
             statuses=status_text)
    if not earliest.empty:
        alt += tr("timeline.gantt_alt_earliest", name=label_of[earliest["id"].iloc[0]],
                  year=int(earliest["construction_start"].iloc[0]))
    if not longest.empty:
        row = longest.iloc[0]
        alt += tr("timeline.gantt_alt_longest", name=row["label"], first=int(row["first_year"]),
                  last=int(row["last_year"]), years=int(row["years"]))
    if unknown:
        alt += tr("timeline.gantt_alt_unknown", count=unknown)
    return alt + tr("timeline.gantt_alt_milestones", count=milestone_count)


def gantt_table(facilities: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The "show data" table of the Gantt chart: the years behind every bar, 'not known' where missing."""
    spans = construction_years(facilities)  # one row per facility, in the facilities' order
    not_known = tr("common.not_known")

    def years(series: pd.Series) -> list[object]:
        return [int(v) if is_known(v) else not_known for v in series]

    return pd.DataFrame(
        {
            tr("timeline.column_facility"): [tr.facility_name(en, zh) if tr.is_chinese else en
                                             for en, zh in zip(facilities["name_en"], facilities["name_zh"])],
            tr("timeline.column_short_name"): short_labels(facilities, tr).tolist(),
            tr("timeline.column_field"): [tr.field(f) for f in facilities["field"]],
            tr("timeline.column_province"): [tr.province(p) if is_known(p) else not_known for p in facilities["province"]],
            tr("timeline.column_construction_start"): years(facilities["construction_start"]),
            tr("timeline.column_first_operation"): years(facilities["first_operation"]),
            tr("timeline.column_decommissioned"): [int(v) if is_known(v) else ("—" if s != "decommissioned" else not_known)
                                                   for v, s in zip(facilities["decommissioned_year"], facilities["status"])],
            tr("timeline.column_status"): [tr.status(s) for s in facilities["status"]],
            tr("timeline.column_status_as_of"): facilities["status_as_of"].tolist(),
            tr("timeline.column_counted"): [
                f"{int(first)}–{int(last)}" if counted else tr("timeline.column_not_counted",
                                                                reason=reason_text(reason, tr))
                for first, last, counted, reason in zip(spans["first_year"], spans["last_year"], spans["counted"],
                                                        spans["not_counted_because"])
            ],
            tr("timeline.who_pays"): [tr.funding(f) if is_known(f) else not_known for f in facilities["funding"]],
        }
    ).astype(str)
