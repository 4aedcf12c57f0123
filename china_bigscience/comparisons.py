"""China's facilities against the world's (depth, altitude, size), as ``Chart`` objects (the portfolio: ``portfolio``).

The peers table holds the world's facilities per comparison group, China's own
rows linked to ``facilities.csv`` by ``facility_id``. China's rows are drawn in
the highlight colour, facilities not yet operating are hatched and labelled,
and every bar's hover names its source. The sidebar filter selects China's
facilities, so it hides Chinese rows it does not match (the chart note says
which); other countries' rows always stay, as the yardstick.

Builders return ``None`` when there is nothing to draw, so that the page can say
so in words instead of showing an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import (
    CHINA_HIGHLIGHT,
    CHROME_HEIGHT_PX,
    ROW_HEIGHT_PX,
    WORLD_COLOUR,
    Chart,
    base_layout,
    capitalised,
    format_number,
    hatch_pattern,
    names_text,
    plot_text,
    row_source_text,
    source_line,
    tick_label_margin_px,
    year_text,
)
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.i18n import ENGLISH, Translator, peer_names
from china_bigscience.labels import short_peer_name
from china_bigscience.portfolio import PORTFOLIO_DIMENSIONS, investment_chart, portfolio_chart

# Statuses that get hatched bars and a label suffix: the thing does not (or no longer) run.
NOT_RUNNING_STATUSES = ("planned", "under construction", "decommissioned")
# A peer chart draws the leaders and China's best rows, at most this many each; the data table keeps every row.
PEER_TOP_ROWS = 20
PEER_CHINA_ROWS = 20
# Names listed in a note or alt text before "and N more" (notes once grew to 2 million characters at 100x).
NAMES_LISTED = 3
# Swapped pairs named in a ranking note before "and N more".
SWAPS_NAMED = 2


@dataclass(frozen=True)
class PeerMeasure:
    """One column of the peers table that a comparison can rank by (its words in one language: see ``peer_measure``)."""

    column: str
    label: str  # "rock overburden": used in titles and alt texts
    unit: str  # "m": used after values
    axis_title: str  # with its unit
    lower_is_better: bool = False  # emittance, muon flux: the smallest value leads
    log_axis: bool = False
    superlative: str = "largest"  # word for the leader in alt texts and notes
    reading_hint: str = ""  # how to read the axis, for the chart note


# Each measure's words are the catalogue's compare.measure.<column>.* messages; what is drawn how is said here.
_MEASURE_SHAPES = {
    "depth_m": {},
    "depth_mwe": {},
    "muon_flux_per_m2_day": {"lower_is_better": True, "log_axis": True},
    "altitude_m": {},
    "area_km2": {"log_axis": True},
    "target_mass_t": {"log_axis": True},
    "energy_gev": {},
    "circumference_m": {},
    "emittance_pm": {"lower_is_better": True, "log_axis": True},
    "aperture_m": {},
}


def peer_measure(column: str, tr: Translator = ENGLISH) -> PeerMeasure:
    """The measure of one peers.csv column, in the reader's language."""
    key = f"compare.measure.{column}"
    hint_key = f"{key}.hint"
    return PeerMeasure(column, tr(f"{key}.label"), tr(f"{key}.unit"), tr(f"{key}.axis"),
                       superlative=tr(f"{key}.superlative"), reading_hint=tr(hint_key) if tr.has(hint_key) else "",
                       **_MEASURE_SHAPES[column])


PEER_MEASURES = {column: peer_measure(column) for column in _MEASURE_SHAPES}


@dataclass(frozen=True)
class Comparison:
    """A group of like facilities compared on one or more measures (its words: ``comparison_words``)."""

    key: str
    title: str  # "Underground laboratories"
    noun: str  # "underground laboratories" for alt texts
    categories: tuple[str, ...]  # peers.category values in the group
    measures: tuple[str, ...]  # the first is the default
    # Also draw rows of other groups, and Chinese facilities.csv rows without a peers row, that have this column.
    include_facility_measure: str | None = None


def comparison_words(comparison: Comparison, tr: Translator = ENGLISH) -> Comparison:
    """The comparison with its title and noun in the reader's language."""
    key = f"compare.comparison.{comparison.key}"
    return replace(comparison, title=tr(f"{key}.title"), noun=tr(f"{key}.noun"))


COMPARISONS = {
    comparison.key: comparison_words(comparison)
    for comparison in (
        Comparison("depth", "", "", ("underground laboratory",), ("depth_m", "depth_mwe")),
        Comparison("muon_flux", "", "", ("underground laboratory",), ("muon_flux_per_m2_day",)),
        Comparison("altitude", "", "", ("air-shower & gamma-ray observatory",), ("altitude_m", "area_km2"),
                   include_facility_measure="altitude_m"),
        Comparison("neutrino", "", "", ("neutrino detector",), ("target_mass_t",)),
        Comparison("light_source", "", "", ("synchrotron light source",),
                   ("emittance_pm", "energy_gev", "circumference_m")),
        Comparison("radio", "", "", ("radio telescope",), ("aperture_m",)),
    )
}


# --- Which rows a comparison shows ---------------------------------------------------------


def is_china(peers: pd.DataFrame) -> pd.Series:
    """China's rows: linked to a Chinese facility, or with China named in the country."""
    linked = peers["facility_id"].notna()
    named = peers["country"].fillna("").str.contains("China", case=False, regex=False)
    return (linked | named).astype(bool)


def comparison_rows(catalogue: Catalogue, comparison: Comparison) -> pd.DataFrame:
    """The peers of a comparison group, plus Chinese facilities that have the measure but no peers row."""
    peers = catalogue.peers
    rows = peers[peers["category"].isin(comparison.categories)].copy()
    if comparison.include_facility_measure:
        column = comparison.include_facility_measure
        # Sites of other groups that have the measure (a radio telescope on a plateau) belong here too.
        others = peers[~peers["category"].isin(comparison.categories) & peers[column].notna()]
        rows = pd.concat([rows, others])
        facilities = catalogue.facilities
        extra = facilities[facilities[column].notna() & ~facilities["id"].isin(peers["facility_id"].dropna())]
        if not extra.empty:
            as_peers = pd.DataFrame({
                "id": extra["id"].values,
                "name": extra["acronym"].fillna(extra["name_en"]).values,
                "country": "China",
                "category": "Chinese facility (" + extra["field"].astype(str) + ")",
                "facility_id": extra["id"].values,
                "status": extra["status"].values,
                "first_operation": extra["first_operation"].values,
                column: extra[column].values,
                "source_ids": extra["source_ids"].values,
                "confidence": extra["confidence"].values,
                "notes": extra["notes"].values,
            })
            rows = pd.concat([rows, as_peers.reindex(columns=peers.columns)], ignore_index=True)
    rows["is_china"] = is_china(rows).values
    rows["short_name"] = rows["name"].astype(str).map(short_peer_name).values
    return rows.reset_index(drop=True)


def apply_china_filter(rows: pd.DataFrame, facilities: pd.DataFrame, selection: FacilityFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows kept, Chinese rows hidden): linked Chinese rows follow the global filter; others always stay."""
    if selection.is_default:
        return rows, rows.iloc[0:0]
    selected_ids = set(filter_facilities(facilities, selection)["id"])
    linked = rows["facility_id"].notna()
    hidden = linked & ~rows["facility_id"].isin(selected_ids)
    return rows[~hidden], rows[hidden]


def _display_names(rows: pd.DataFrame, tr: Translator = ENGLISH) -> pd.Series:
    """Axis labels: the short name, the country where names repeat, and the status when not operating."""
    names = rows["name"].astype(str).map(short_peer_name)
    repeated = names.duplicated(keep=False)
    names = names.where(~repeated, names + " (" + rows["country"].astype(str).map(lambda c: tr.value("country", c)) + ")")
    suffix = rows["status"].map(lambda s: f" · {tr.status(s)}" if s in NOT_RUNNING_STATUSES else "").fillna("")
    return names + suffix


def _ranking_note(rows: pd.DataFrame, measure: PeerMeasure, other: PeerMeasure, tr: Translator = ENGLISH) -> str:
    """Say when ranking by ``other`` changes the order of a Chinese row against a peer (CJPL vs SNOLAB by flux)."""
    both = rows.dropna(subset=[measure.column, other.column])
    if len(both) < 2:
        return ""

    def leader(m: PeerMeasure) -> pd.Series:
        ordered = both.sort_values(m.column, ascending=m.lower_is_better, kind="stable")
        return ordered.iloc[0]

    def tied_with(row: pd.Series, m: PeerMeasure) -> str:
        names = both.loc[both[m.column] == row[m.column], "short_name"].tolist()
        if len(names) > NAMES_LISTED:
            return names_text(names, NAMES_LISTED, tr)
        return tr("common.and").join(names) if len(names) > 1 else row["short_name"]

    parts = []
    top_by_measure, top_by_other = leader(measure), leader(other)
    if top_by_measure["id"] != top_by_other["id"]:
        parts.append(tr(
            "compare.depends", measure=measure.label, superlative=measure.superlative,
            leader=tied_with(top_by_measure, measure),
            value=format_number(top_by_measure[measure.column], measure.unit, tr), other=other.label,
            other_superlative=other.superlative, other_leader=tied_with(top_by_other, other),
            other_value=format_number(top_by_other[other.column], other.unit, tr), name=top_by_measure["short_name"],
            name_value=format_number(top_by_measure[other.column], other.unit, tr)))
    swaps = _swapped_pairs(both, measure, other, skip={top_by_measure["id"], top_by_other["id"]})
    if swaps:
        named = [tr("compare.ahead" if ahead else "compare.behind", china=chinese, peer=peer, measure=measure.label,
                    other=other.label)
                 for chinese, peer, ahead in swaps[:SWAPS_NAMED]]
        more = tr("compare.swaps_more", count=len(swaps) - SWAPS_NAMED) if len(swaps) > SWAPS_NAMED else ""
        parts.append(tr("profile.detail_separator").join(named) + more + tr("common.full_stop"))
    return tr("common.sentence_space").join(parts)


def _swapped_pairs(both: pd.DataFrame, measure: PeerMeasure, other: PeerMeasure,
                   skip: set[str]) -> list[tuple[str, str, bool]]:
    """(Chinese short name, peer short name, Chinese ahead by ``measure``) for every Chinese-foreign pair whose
    order ``other`` reverses, in row order; compared as arrays, since the pairs grow as n x m."""
    chinese = both[both["is_china"]]
    world = both[~both["is_china"]]
    if chinese.empty or world.empty:
        return []

    def ahead(m: PeerMeasure) -> np.ndarray:
        a, b = chinese[m.column].to_numpy(float)[:, None], world[m.column].to_numpy(float)[None, :]
        return a < b if m.lower_is_better else a > b

    by_measure = ahead(measure)
    differs = (by_measure != ahead(other)) & (chinese[other.column].to_numpy(float)[:, None]
                                              != world[other.column].to_numpy(float)[None, :])
    pairs = []
    for i, j in zip(*differs.nonzero()):
        ids = {chinese["id"].iloc[i], world["id"].iloc[j]}
        if ids == skip:
            continue  # the leaders: already said
        pairs.append((chinese["short_name"].iloc[i], world["short_name"].iloc[j], bool(by_measure[i, j])))
    return pairs


def peer_chart(
    catalogue: Catalogue,
    comparison_key: str,
    selection: FacilityFilter = FacilityFilter(),
    measure_column: str | None = None,
    tr: Translator = ENGLISH,
) -> Chart | None:
    """Horizontal bars of one comparison group on one measure, China highlighted; ``None`` if no row has the measure."""
    comparison = comparison_words(COMPARISONS[comparison_key], tr)
    measure = peer_measure(measure_column or comparison.measures[0], tr)
    all_rows = comparison_rows(catalogue, comparison)
    # Short names (the chart's axis) stay the English acronyms; the hover and table name China's in Chinese.
    all_rows = all_rows.assign(name=_peer_names(all_rows, catalogue.facilities, tr))
    rows, hidden = apply_china_filter(all_rows, catalogue.facilities, selection)
    known = rows.dropna(subset=[measure.column])
    if known.empty:
        return None
    unknown = rows[rows[measure.column].isna()]
    known = known.sort_values(measure.column, ascending=measure.lower_is_better, kind="stable").reset_index(drop=True)
    known["label"] = _display_names(known, tr).values
    known["source_text"] = known["source_ids"].map(lambda cell: row_source_text(cell, catalogue.sources, tr))

    other_measures = [peer_measure(c, tr) for c in PEER_MEASURES if c in rows.columns and c != measure.column
                      and c in _related_measures(comparison)]
    drawn = drawn_peer_rows(known)
    figure = _peer_bars(drawn, measure, other_measures, tr)
    not_running = known[known["status"].isin(NOT_RUNNING_STATUSES)]
    notes = _peer_notes(rows, comparison, measure, unknown, hidden, not_running, tr)
    if len(drawn) < len(known):
        notes.append(tr("compare.note_drawn_first", top=PEER_TOP_ROWS, china=PEER_CHINA_ROWS, count=len(known),
                        noun=comparison.noun, measure=measure.label))
    data = _peer_table(pd.concat([known, unknown.assign(label=_display_names(unknown, tr).values)]), measure,
                       other_measures, catalogue.sources, tr)
    title = comparison.title if len(comparison.measures) == 1 else tr("compare.title_measure", title=comparison.title,
                                                                       measure=measure.label)
    return Chart(
        slug=f"{comparison.key}-{measure.column.replace('_', '-')}",
        title=title,
        figure=figure,
        source_line=source_line(pd.concat([known, unknown])["source_ids"], catalogue.sources, tr=tr),
        alt_text=_peer_alt_text(known, unknown, comparison, measure, tr),
        data=data,
        note=tr("common.sentence_space").join(notes),
    )


def drawn_peer_rows(known: pd.DataFrame) -> pd.DataFrame:
    """The rows a peer chart draws (``known`` is in rank order): the first ``PEER_TOP_ROWS`` and China's
    first ``PEER_CHINA_ROWS``, in rank order; rank numbers stay those of all of ``known``."""
    leaders = known.index[:PEER_TOP_ROWS]
    chinese = known.index[known["is_china"].to_numpy()][:PEER_CHINA_ROWS]
    return known.loc[sorted(set(leaders) | set(chinese))]


def _peer_names(rows: pd.DataFrame, facilities: pd.DataFrame, tr: Translator) -> pd.Series:
    """Peer names for display: China's own facilities by their Chinese name in Chinese mode."""
    return peer_names(rows, facilities, tr)


def _peer_bars(known: pd.DataFrame, measure: PeerMeasure, other_measures: list[PeerMeasure],
               tr: Translator = ENGLISH) -> go.Figure:
    """The bars, leader on top: China in the highlight colour, rows not (yet or any longer) operating hatched."""
    figure = go.Figure()
    groups = [
        (True, False, tr("compare.legend_china"), CHINA_HIGHLIGHT),
        (True, True, tr("compare.legend_china_not_operating"), CHINA_HIGHLIGHT),
        (False, False, tr("compare.legend_other"), WORLD_COLOUR),
        (False, True, tr("compare.legend_other_not_operating"), WORLD_COLOUR),
    ]
    for china, not_running, name, colour in groups:
        part = known[(known["is_china"] == china) & (known["status"].isin(NOT_RUNNING_STATUSES) == not_running)]
        if part.empty:
            continue
        hover_lines = [_hover_text(row, measure, other_measures, tr) for row in part.to_dict("records")]
        figure.add_bar(
            x=part[measure.column].astype(float),
            y=[plot_text(label) for label in part["label"]],
            orientation="h",
            name=name,
            marker={"color": colour, "pattern": hatch_pattern(not_running), "line": {"color": colour, "width": 1}},
            text=[format_number(v) for v in part[measure.column]],
            textposition="auto", textangle=0,
            customdata=hover_lines,
            hovertemplate="%{customdata}<extra></extra>",
        )
    # Leader first (top of the chart): Plotly draws the first category at the bottom, so reverse.
    order = [plot_text(label) for label in known["label"]][::-1]
    figure.update_layout(barmode="overlay", height=CHROME_HEIGHT_PX + ROW_HEIGHT_PX * len(known), bargap=0.25)
    # A margin for the names set here, not measured by automargin on every redraw (charts.tick_label_margin_px).
    figure.update_yaxes(categoryorder="array", categoryarray=order, automargin=False)
    figure.update_xaxes(type="log" if measure.log_axis else "linear")
    base_layout(figure, x_title=measure.axis_title, y_title=None)
    figure.update_layout(margin={"l": tick_label_margin_px(order)})
    return figure


def _peer_alt_text(known: pd.DataFrame, unknown: pd.DataFrame, comparison: Comparison, measure: PeerMeasure,
                   tr: Translator = ENGLISH) -> str:
    leader = known.iloc[0]
    china_known = known[known["is_china"]]
    alt_parts = [
        tr("compare.alt_bars", count=len(known), noun=comparison.noun, measure=measure.label, unit=measure.unit),
        tr("compare.alt_leader", superlative=measure.superlative, name=leader["short_name"],
           country=tr.value("country", leader["country"]), value=format_number(leader[measure.column], measure.unit, tr)),
    ]
    if not china_known.empty:
        alt_parts.append(tr("compare.alt_china", rows=tr.join(
            tr("compare.alt_china_row", name=name, value=format_number(value, measure.unit, tr), rank=index + 1,
               count=len(known))
            for index, name, value in zip(china_known.index[:NAMES_LISTED], china_known["short_name"],
                                          china_known[measure.column]))
            + (tr("timeline.names_more", count=len(china_known) - NAMES_LISTED)
               if len(china_known) > NAMES_LISTED else "")))
    else:
        alt_parts.append(tr("compare.alt_china_none"))
    not_running = known[known["status"].isin(NOT_RUNNING_STATUSES)]
    if not not_running.empty:
        alt_parts.append(tr("compare.alt_not_operating", rows=names_text(
            [tr("compare.alt_name_status", name=name, status=tr.status(status))
             for name, status in zip(not_running["short_name"], not_running["status"])], NAMES_LISTED, tr)))
    if not unknown.empty:
        alt_parts.append(tr("compare.alt_unknown", measure=measure.label, count=len(unknown),
                            names=names_text(unknown["short_name"], NAMES_LISTED, tr)))
    return tr("profile.detail_separator").join(alt_parts) + tr("common.full_stop")


def _peer_notes(rows: pd.DataFrame, comparison: Comparison, measure: PeerMeasure, unknown: pd.DataFrame,
                hidden: pd.DataFrame, not_running: pd.DataFrame, tr: Translator = ENGLISH) -> list[str]:
    notes = [measure.reading_hint] if measure.reading_hint else []
    for other in _rank_against(comparison, measure):
        note = _ranking_note(rows, measure, peer_measure(other, tr), tr)
        if note:
            notes.append(note)
    if not unknown.empty:
        notes.append(tr("compare.note_not_drawn", measure=measure.label, names=names_text(unknown["short_name"], tr=tr)))
    if not hidden.empty:
        notes.append(tr("compare.note_hidden", names=names_text(hidden["short_name"], tr=tr)))
    if not not_running.empty:
        notes.append(tr("compare.note_hatched"))
    return notes


def _rank_against(comparison: Comparison, measure: PeerMeasure) -> tuple[str, ...]:
    """Measures whose ranking the note compares with the charted one: depth against shielding (muon flux)."""
    if comparison.key not in ("depth", "muon_flux"):
        return ()
    return ("depth_m",) if measure.column == "muon_flux_per_m2_day" else ("muon_flux_per_m2_day",)


def _related_measures(comparison: Comparison) -> tuple[str, ...]:
    """Measures shown in the hover beside the charted one (depth also shows muon flux)."""
    if comparison.key in ("depth", "muon_flux"):
        return ("depth_m", "depth_mwe", "muon_flux_per_m2_day")
    if comparison.key == "neutrino":
        return ("target_mass_t",)
    return comparison.measures


def _hover_text(row: dict, measure: PeerMeasure, others: list[PeerMeasure], tr: Translator = ENGLISH) -> str:
    lines = [f"<b>{plot_text(row['name'])}</b> ({plot_text(tr.value('country', row['country']))})",
             tr("compare.hover_measure", measure=capitalised(measure.label),
                value=format_number(row[measure.column], measure.unit, tr))]
    for other in others:
        lines.append(tr("compare.hover_measure", measure=capitalised(other.label),
                        value=format_number(row[other.column], other.unit, tr)))
    if "target_medium" in row and pd.notna(row.get("target_medium")):
        lines.append(tr("compare.hover_medium", medium=plot_text(row["target_medium"])))
    lines.append(tr("compare.hover_status", status=plot_text(tr.status(row["status"])),
                    year=year_text(row["first_operation"], tr)))
    lines.append(tr("compare.hover_source", source=plot_text(row["source_text"])))
    if pd.notna(row.get("notes")):
        note = str(row["notes"])
        lines.append(tr("compare.hover_note", note=plot_text(note[:140] + ("…" if len(note) > 140 else ""))))
    return "<br>".join(lines)


def _peer_table(rows: pd.DataFrame, measure: PeerMeasure, others: list[PeerMeasure], sources: pd.DataFrame,
                tr: Translator = ENGLISH) -> pd.DataFrame:
    """The 'show data' table: readable names, units in headers, 'not known' for gaps."""
    not_known = tr("common.not_known")
    table = pd.DataFrame({
        tr("compare.column_facility"): rows["name"].astype(str).values,
        tr("compare.column_country"): rows["country"].astype(str).map(lambda c: tr.value("country", c)).values,
        tr("compare.column_chinese"): rows["is_china"].map({True: tr("common.yes"), False: tr("common.no")}).values,
        tr("compare.column_status"): rows["status"].astype(str).map(tr.status).values,
        tr("compare.column_measure", measure=capitalised(measure.label), unit=measure.unit):
            [format_number(v, tr=tr) for v in rows[measure.column]],
    })
    for other in others:
        table[tr("compare.column_measure", measure=capitalised(other.label), unit=other.unit)] = [
            format_number(v, tr=tr) for v in rows[other.column]]
    if "target_medium" in rows.columns and rows["target_medium"].notna().any():
        table[tr("compare.column_medium")] = rows["target_medium"].fillna(not_known).astype(str).values
    table[tr("compare.column_first_operation")] = [year_text(v, tr) for v in rows["first_operation"]]
    table[tr("compare.column_confidence")] = rows["confidence"].fillna(not_known).astype(str).values
    table[tr("compare.column_source")] = [row_source_text(cell, sources, tr) for cell in rows["source_ids"]]
    table[tr("compare.column_notes")] = rows["notes"].fillna("").astype(str).values
    return table


def china_profile_links(catalogue: Catalogue, comparison_key: str, selection: FacilityFilter = FacilityFilter()) -> list[tuple[str, str]]:
    """(facility id, label) of the Chinese rows a comparison shows, for links to their profiles (at most
    ``PEER_CHINA_ROWS``: one link each made some 1,500 page elements at 100x the catalogue)."""
    rows = comparison_rows(catalogue, COMPARISONS[comparison_key])
    rows, _ = apply_china_filter(rows, catalogue.facilities, selection)
    linked = rows[rows["facility_id"].notna()].drop_duplicates("facility_id").head(PEER_CHINA_ROWS)
    return list(zip(linked["facility_id"], linked["short_name"]))


# --- The page's charts -------------------------------------------------------------------------


def page_charts(catalogue: Catalogue, selection: FacilityFilter, tr: Translator = ENGLISH) -> list[Chart]:
    """Every chart of the comparison page for a selection, with the default control settings."""
    charts: list[Chart | None] = [
        peer_chart(catalogue, key, selection, tr=tr) for key in COMPARISONS
    ]
    facilities = filter_facilities(catalogue.facilities, selection)
    charts += [portfolio_chart(facilities, catalogue.sources, dimension, tr) for dimension in PORTFOLIO_DIMENSIONS]
    charts.append(investment_chart(facilities, catalogue.sources, tr))
    return [chart for chart in charts if chart is not None]
