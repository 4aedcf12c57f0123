"""China's facilities against the world's (depth, altitude, size) and China's own portfolio, as ``Chart`` objects.

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

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from china_bigscience.catalogue import Catalogue
from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import (
    CHINA_HIGHLIGHT,
    FIELD_COLOURS,
    FUNDING_COLOURS,
    NOT_KNOWN,
    STATUS_COLOURS,
    WORLD_COLOUR,
    Chart,
    base_layout,
    format_value,
    names_text,
    source_label,
    source_line,
    source_records,
)
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.labels import short_labels, short_peer_name
from china_bigscience.source_ids import split_ids

# Statuses that get hatched bars and a label suffix: the thing does not (or no longer) run.
NOT_RUNNING_STATUSES = ("planned", "under construction", "decommissioned")
HATCH = "/"
# Pixels per bar row, and the room taken by legend and axis, for figure heights that fit any count.
ROW_HEIGHT_PX = 26
CHROME_HEIGHT_PX = 130
# A peer chart draws the leaders and China's best rows, at most this many each; the data table keeps every row.
PEER_TOP_ROWS = 20
PEER_CHINA_ROWS = 20
# Names listed in a note or alt text before "and N more" (notes once grew to 2 million characters at 100x).
NAMES_LISTED = 3
# Swapped pairs named in a ranking note before "and N more".
SWAPS_NAMED = 2


@dataclass(frozen=True)
class PeerMeasure:
    """One column of the peers table that a comparison can rank by."""

    column: str
    label: str  # "rock overburden": used in titles and alt texts
    unit: str  # "m": used after values
    axis_title: str  # with its unit
    lower_is_better: bool = False  # emittance, muon flux: the smallest value leads
    log_axis: bool = False
    superlative: str = "largest"  # word for the leader in alt texts and notes
    reading_hint: str = ""  # how to read the axis, for the chart note


PEER_MEASURES = {
    "depth_m": PeerMeasure("depth_m", "rock overburden", "m", "Rock overburden (m)", superlative="deepest"),
    "depth_mwe": PeerMeasure("depth_mwe", "depth in metres water equivalent", "m.w.e.",
                             "Depth (m.w.e.)", superlative="deepest"),
    "muon_flux_per_m2_day": PeerMeasure(
        "muon_flux_per_m2_day", "measured cosmic-muon flux", "muons/m²/day",
        "Muon flux (muons/m²/day, log scale)", lower_is_better=True, log_axis=True, superlative="lowest flux",
        reading_hint="Lower muon flux = better shielded from cosmic rays, the measure that matters to experiments."),
    "altitude_m": PeerMeasure("altitude_m", "altitude", "m", "Altitude (m above sea level)", superlative="highest"),
    "area_km2": PeerMeasure("area_km2", "array or instrumented area", "km²",
                            "Area (km², log scale)", log_axis=True),
    "target_mass_t": PeerMeasure("target_mass_t", "target mass", "t", "Target mass (t, log scale)",
                                 log_axis=True, superlative="heaviest"),
    "energy_gev": PeerMeasure("energy_gev", "electron beam energy", "GeV", "Electron beam energy (GeV)",
                              superlative="highest energy"),
    "circumference_m": PeerMeasure("circumference_m", "storage-ring circumference", "m",
                                   "Storage-ring circumference (m)"),
    "emittance_pm": PeerMeasure("emittance_pm", "horizontal emittance", "pm rad",
                                "Horizontal emittance (pm rad, log scale)", lower_is_better=True, log_axis=True,
                                superlative="lowest emittance",
                                reading_hint="Lower emittance = a smaller, brighter X-ray beam."),
    "aperture_m": PeerMeasure("aperture_m", "dish aperture", "m", "Dish aperture (m)"),
}


@dataclass(frozen=True)
class Comparison:
    """A group of like facilities compared on one or more measures."""

    key: str
    title: str  # "Underground laboratories"
    noun: str  # "underground laboratories" for alt texts
    categories: tuple[str, ...]  # peers.category values in the group
    measures: tuple[str, ...]  # the first is the default
    # Also draw rows of other groups, and Chinese facilities.csv rows without a peers row, that have this column.
    include_facility_measure: str | None = None


COMPARISONS = {
    "depth": Comparison("depth", "Underground laboratories by depth", "underground laboratories",
                        ("underground laboratory",), ("depth_m", "depth_mwe")),
    "muon_flux": Comparison("muon_flux", "Underground laboratories by measured muon flux",
                            "underground laboratories", ("underground laboratory",), ("muon_flux_per_m2_day",)),
    "altitude": Comparison("altitude", "High-altitude observatories", "high-altitude sites",
                           ("air-shower & gamma-ray observatory",),
                           ("altitude_m", "area_km2"), include_facility_measure="altitude_m"),
    "neutrino": Comparison("neutrino", "Neutrino detectors by target mass", "neutrino detectors",
                           ("neutrino detector",), ("target_mass_t",)),
    "light_source": Comparison("light_source", "Synchrotron light sources", "synchrotron light sources",
                               ("synchrotron light source",), ("emittance_pm", "energy_gev", "circumference_m")),
    "radio": Comparison("radio", "Large radio dishes by aperture", "radio telescopes", ("radio telescope",),
                        ("aperture_m",)),
}


def hatch_pattern(hatched: bool) -> dict:
    """White stripes over the bar's own colour: marks 'not operating' while the value label stays readable."""
    if not hatched:
        return {"shape": ""}
    return {"shape": HATCH, "fillmode": "overlay", "fgcolor": "white", "fgopacity": 0.55, "solidity": 0.35}


def plot_text(value: object) -> str:
    """Text for Plotly labels and hovers: Plotly renders a subset of HTML, so data is escaped to show as written."""
    return escape_plotly(value)


def row_source_text(cell: object, sources: pd.DataFrame) -> str:
    """'Publisher (year); Publisher (year)' for one row's source_ids, for hovers and data tables."""
    records = source_records(sources)
    labels = [source_label(records[i]) if i in records else i for i in split_ids(cell)]
    return "; ".join(labels) if labels else NOT_KNOWN


def format_number(value: object, unit: str = "") -> str:
    """format_value with sensible rounding for floats (0.27, 2,400, 1.36)."""
    if value is None or pd.isna(value):
        return NOT_KNOWN
    number = float(value)
    if number.is_integer():
        return format_value(int(number), unit)
    digits = 0 if abs(number) >= 100 else 1 if abs(number) >= 10 else 2 if abs(number) >= 0.1 else 3
    text = f"{number:,.{digits}f}"
    return f"{text} {unit}" if unit else text


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


def _display_names(rows: pd.DataFrame) -> pd.Series:
    """Axis labels: the short name, the country where names repeat, and the status when not operating."""
    names = rows["name"].astype(str).map(short_peer_name)
    repeated = names.duplicated(keep=False)
    names = names.where(~repeated, names + " (" + rows["country"].astype(str) + ")")
    suffix = rows["status"].map(lambda s: f" · {s}" if s in NOT_RUNNING_STATUSES else "").fillna("")
    return names + suffix


def _ranking_note(rows: pd.DataFrame, measure: PeerMeasure, other: PeerMeasure) -> str:
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
            return names_text(names, NAMES_LISTED)
        return " and ".join(names) if len(names) > 1 else row["short_name"]

    parts = []
    top_by_measure, top_by_other = leader(measure), leader(other)
    if top_by_measure["id"] != top_by_other["id"]:
        parts.append(
            f"The ranking depends on the measure: by {measure.label} the {measure.superlative} is "
            f"{tied_with(top_by_measure, measure)} ({format_number(top_by_measure[measure.column], measure.unit)}), but by "
            f"{other.label} the {other.superlative} is {tied_with(top_by_other, other)} "
            f"({format_number(top_by_other[other.column], other.unit)}; {top_by_measure['short_name']}: "
            f"{format_number(top_by_measure[other.column], other.unit)})."
        )
    swaps = _swapped_pairs(both, measure, other, skip={top_by_measure["id"], top_by_other["id"]})
    if swaps:
        named = [f"{chinese} is {'ahead of' if ahead else 'behind'} {peer} by {measure.label} but not by {other.label}"
                 for chinese, peer, ahead in swaps[:SWAPS_NAMED]]
        more = f"; and {len(swaps) - SWAPS_NAMED} more such pairs (see the data)" if len(swaps) > SWAPS_NAMED else ""
        parts.append("; ".join(named) + more + ".")
    return " ".join(parts)


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
) -> Chart | None:
    """Horizontal bars of one comparison group on one measure, China highlighted; ``None`` if no row has the measure."""
    comparison = COMPARISONS[comparison_key]
    measure = PEER_MEASURES[measure_column or comparison.measures[0]]
    all_rows = comparison_rows(catalogue, comparison)
    rows, hidden = apply_china_filter(all_rows, catalogue.facilities, selection)
    known = rows.dropna(subset=[measure.column])
    if known.empty:
        return None
    unknown = rows[rows[measure.column].isna()]
    known = known.sort_values(measure.column, ascending=measure.lower_is_better, kind="stable").reset_index(drop=True)
    known["label"] = _display_names(known).values
    known["source_text"] = known["source_ids"].map(lambda cell: row_source_text(cell, catalogue.sources))

    other_measures = [PEER_MEASURES[c] for c in PEER_MEASURES if c in rows.columns and c != measure.column
                      and c in _related_measures(comparison)]
    drawn = drawn_peer_rows(known)
    figure = _peer_bars(drawn, measure, other_measures)
    not_running = known[known["status"].isin(NOT_RUNNING_STATUSES)]
    notes = _peer_notes(rows, comparison, measure, unknown, hidden, not_running)
    if len(drawn) < len(known):
        notes.append(f"Drawn: the first {PEER_TOP_ROWS} and China's best {PEER_CHINA_ROWS} of {len(known)} "
                     f"{comparison.noun} with a known {measure.label}; every row is in the data table.")
    data = _peer_table(pd.concat([known, unknown.assign(label=_display_names(unknown).values)]), measure,
                       other_measures, catalogue.sources)
    title = comparison.title if len(comparison.measures) == 1 else f"{comparison.title}: {measure.label}"
    return Chart(
        slug=f"{comparison.key}-{measure.column.replace('_', '-')}",
        title=title,
        figure=figure,
        source_line=source_line(pd.concat([known, unknown])["source_ids"], catalogue.sources),
        alt_text=_peer_alt_text(known, unknown, comparison, measure),
        data=data,
        note=" ".join(notes),
    )


def drawn_peer_rows(known: pd.DataFrame) -> pd.DataFrame:
    """The rows a peer chart draws (``known`` is in rank order): the first ``PEER_TOP_ROWS`` and China's
    first ``PEER_CHINA_ROWS``, in rank order; rank numbers stay those of all of ``known``."""
    leaders = known.index[:PEER_TOP_ROWS]
    chinese = known.index[known["is_china"].to_numpy()][:PEER_CHINA_ROWS]
    return known.loc[sorted(set(leaders) | set(chinese))]


def _peer_bars(known: pd.DataFrame, measure: PeerMeasure, other_measures: list[PeerMeasure]) -> go.Figure:
    """The bars, leader on top: China in the highlight colour, rows not (yet or any longer) operating hatched."""
    figure = go.Figure()
    groups = [
        (True, False, "China", CHINA_HIGHLIGHT),
        (True, True, "China, not operating", CHINA_HIGHLIGHT),
        (False, False, "Other countries", WORLD_COLOUR),
        (False, True, "Other countries, not operating", WORLD_COLOUR),
    ]
    for china, not_running, name, colour in groups:
        part = known[(known["is_china"] == china) & (known["status"].isin(NOT_RUNNING_STATUSES) == not_running)]
        if part.empty:
            continue
        hover_lines = [_hover_text(row, measure, other_measures) for row in part.to_dict("records")]
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
    figure.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    figure.update_xaxes(type="log" if measure.log_axis else "linear")
    base_layout(figure, x_title=measure.axis_title, y_title=None)
    return figure


def _peer_alt_text(known: pd.DataFrame, unknown: pd.DataFrame, comparison: Comparison, measure: PeerMeasure) -> str:
    leader = known.iloc[0]
    china_known = known[known["is_china"]]
    alt_parts = [
        f"Bar chart of {len(known)} {comparison.noun} by {measure.label} in {measure.unit}",
        f"{measure.superlative}: {leader['short_name']} ({leader['country']}), {format_number(leader[measure.column], measure.unit)}",
    ]
    if not china_known.empty:
        ranked = [f"{name} {format_number(value, measure.unit)} (rank {index + 1} of {len(known)})"
                  for index, name, value in zip(china_known.index[:NAMES_LISTED], china_known["short_name"],
                                                china_known[measure.column])]
        more = f" and {len(china_known) - NAMES_LISTED} more" if len(china_known) > NAMES_LISTED else ""
        alt_parts.append("China's: " + ", ".join(ranked) + more)
    else:
        alt_parts.append("no Chinese facility in the selection has this value")
    not_running = known[known["status"].isin(NOT_RUNNING_STATUSES)]
    if not not_running.empty:
        alt_parts.append("not operating: " + names_text(
            [f"{name} ({status})" for name, status in zip(not_running["short_name"], not_running["status"])],
            NAMES_LISTED))
    if not unknown.empty:
        alt_parts.append(f"{measure.label} not known for {len(unknown)}: " + names_text(unknown["short_name"],
                                                                                       NAMES_LISTED))
    return "; ".join(alt_parts) + "."


def _peer_notes(rows: pd.DataFrame, comparison: Comparison, measure: PeerMeasure, unknown: pd.DataFrame,
                hidden: pd.DataFrame, not_running: pd.DataFrame) -> list[str]:
    notes = [measure.reading_hint] if measure.reading_hint else []
    for other in _rank_against(comparison, measure):
        note = _ranking_note(rows, measure, PEER_MEASURES[other])
        if note:
            notes.append(note)
    if not unknown.empty:
        notes.append(f"Not drawn, {measure.label} not known: " + names_text(unknown["short_name"]) + ".")
    if not hidden.empty:
        notes.append("Chinese rows hidden by the sidebar filter: " + names_text(hidden["short_name"]) + ".")
    if not not_running.empty:
        notes.append("Hatched bars: planned, under construction or decommissioned (design values).")
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


def _hover_text(row: dict, measure: PeerMeasure, others: list[PeerMeasure]) -> str:
    lines = [f"<b>{plot_text(row['name'])}</b> ({plot_text(row['country'])})",
             f"{measure.label.capitalize()}: {format_number(row[measure.column], measure.unit)}"]
    for other in others:
        lines.append(f"{other.label.capitalize()}: {format_number(row[other.column], other.unit)}")
    if "target_medium" in row and pd.notna(row.get("target_medium")):
        lines.append(f"Medium: {plot_text(row['target_medium'])}")
    lines.append(f"Status: {plot_text(row['status'])}; first operation: {format_value(row['first_operation'])}")
    lines.append(f"Source: {plot_text(row['source_text'])}")
    if pd.notna(row.get("notes")):
        note = str(row["notes"])
        lines.append(f"Note: {plot_text(note[:140] + ('…' if len(note) > 140 else ''))}")
    return "<br>".join(lines)


def _peer_table(rows: pd.DataFrame, measure: PeerMeasure, others: list[PeerMeasure], sources: pd.DataFrame) -> pd.DataFrame:
    """The 'show data' table: readable names, units in headers, 'not known' for gaps."""
    table = pd.DataFrame({
        "Facility": rows["name"].astype(str).values,
        "Country": rows["country"].astype(str).values,
        "Chinese": rows["is_china"].map({True: "yes", False: "no"}).values,
        "Status": rows["status"].astype(str).values,
        f"{measure.label.capitalize()} ({measure.unit})": [format_number(v) for v in rows[measure.column]],
    })
    for other in others:
        table[f"{other.label.capitalize()} ({other.unit})"] = [format_number(v) for v in rows[other.column]]
    if "target_medium" in rows.columns and rows["target_medium"].notna().any():
        table["Target medium"] = rows["target_medium"].fillna(NOT_KNOWN).astype(str).values
    table["First operation (year)"] = [format_value(v) for v in rows["first_operation"]]
    table["Confidence"] = rows["confidence"].fillna(NOT_KNOWN).astype(str).values
    table["Source"] = [row_source_text(cell, sources) for cell in rows["source_ids"]]
    table["Notes"] = rows["notes"].fillna("").astype(str).values
    return table


def china_profile_links(catalogue: Catalogue, comparison_key: str, selection: FacilityFilter = FacilityFilter()) -> list[tuple[str, str]]:
    """(facility id, label) of the Chinese rows a comparison shows, for links to their profiles (at most
    ``PEER_CHINA_ROWS``: one link each made some 1,500 page elements at 100x the catalogue)."""
    rows = comparison_rows(catalogue, COMPARISONS[comparison_key])
    rows, _ = apply_china_filter(rows, catalogue.facilities, selection)
    linked = rows[rows["facility_id"].notna()].drop_duplicates("facility_id").head(PEER_CHINA_ROWS)
    return list(zip(linked["facility_id"], linked["short_name"]))


# --- China's own portfolio -------------------------------------------------------------------

PORTFOLIO_DIMENSIONS = {
    "field": ("field", "field", FIELD_COLOURS),
    "province": ("province", "province", None),
    "status": ("status", "status", STATUS_COLOURS),
    "funding": ("funding", "funding source", FUNDING_COLOURS),
}


def portfolio_chart(facilities: pd.DataFrame, sources: pd.DataFrame, dimension: str = "field") -> Chart | None:
    """Count of the selected Chinese facilities by field, province, status or funding, stacked by status."""
    if facilities.empty:
        return None
    column, label, _ = PORTFOLIO_DIMENSIONS[dimension]
    frame = facilities.assign(
        group=facilities[column].fillna(NOT_KNOWN).astype(str),
        status_group=facilities["status"].astype(str),
        label=short_labels(facilities),
    )
    totals = frame["group"].value_counts()
    order = sorted(totals.index, key=lambda g: (g == NOT_KNOWN, -totals[g], g))
    figure = go.Figure()
    for status in [s for s in STATUS_COLOURS if s in set(frame["status_group"])]:
        part = frame[frame["status_group"] == status]
        counts = part.groupby("group")["label"].agg(["count", lambda names: ", ".join(names)])
        counts.columns = ["count", "names"]
        counts = counts.reindex([g for g in order if g in counts.index])
        figure.add_bar(
            y=[plot_text(g) for g in counts.index], x=counts["count"], orientation="h", name=status,
            marker={"color": STATUS_COLOURS[status]},
            customdata=[plot_text(_shorten(n)) for n in counts["names"]],
            hovertemplate=f"%{{y}}<br>{status}: %{{x}}<br>%{{customdata}}<extra></extra>",
        )
    figure.update_layout(barmode="stack", height=CHROME_HEIGHT_PX + ROW_HEIGHT_PX * len(order),
                         legend={"traceorder": "normal"})
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(g) for g in order][::-1], automargin=True)
    figure.update_xaxes(dtick=1 if totals.max() <= 10 else None)
    base_layout(figure, x_title="Facilities (count)", y_title=None)

    status_table = frame.pivot_table(index="group", columns="status_group", values="id", aggfunc="count", fill_value=0)
    status_table = status_table.reindex(order)
    data = pd.DataFrame({label.capitalize(): status_table.index})
    for status in status_table.columns:
        data[f"{status.capitalize()} (facilities)"] = status_table[status].astype(int).values
    data["Total (facilities)"] = status_table.sum(axis=1).astype(int).values
    data["Facilities"] = [", ".join(frame.loc[frame["group"] == g, "label"]) for g in order]

    top = order[0] if order[0] != NOT_KNOWN or len(order) == 1 else order[1]
    alt = (f"Bar chart of {len(frame)} Chinese facilities by {label}, stacked by status, across {len(order)} groups; "
           f"most: {top} ({totals[top]})")
    if NOT_KNOWN in totals.index:
        alt += f"; {label} not known for {totals[NOT_KNOWN]}"
    status_counts = frame["status_group"].value_counts()
    alt += "; " + ", ".join(f"{count} {status}" for status, count in status_counts.items()) + "."
    return Chart(
        slug=f"portfolio-by-{dimension}",
        title=f"China's facilities by {label}",
        figure=figure,
        source_line=source_line(frame["source_ids"], sources),
        alt_text=alt,
        data=data,
    )


def _shorten(names: str, limit: int = 120) -> str:
    return names if len(names) <= limit else names[:limit].rsplit(",", 1)[0] + ", …"


def investment_chart(facilities: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """Known cost by field: sum of CNY costs (million, nominal, mixed price years), estimates hatched."""
    if facilities.empty:
        return None
    costed = facilities[facilities["cost_value"].notna()]
    in_cny = costed[costed["cost_currency"] == "CNY"].copy()
    other_currency = costed[costed["cost_currency"] != "CNY"]
    if in_cny.empty:
        return None
    in_cny["estimate"] = in_cny["cost_is_estimate"].fillna(False).astype(bool)
    in_cny["label"] = short_labels(in_cny)
    totals = in_cny.groupby("field")["cost_value"].sum().sort_values(ascending=False)
    figure = go.Figure()
    for estimate, name in ((False, "Reported cost"), (True, "Estimate or plan")):
        part = in_cny[in_cny["estimate"] == estimate]
        if part.empty:
            continue
        # Bars take their field's colour; the legend shows only what the hatching means, in neutral grey.
        figure.add_bar(x=[None], y=[None], orientation="h", name=name, showlegend=True, hoverinfo="skip",
                       marker={"color": WORLD_COLOUR, "pattern": hatch_pattern(estimate)})
        sums = part.groupby("field").agg(total=("cost_value", "sum"), count=("id", "count"),
                                         names=("label", lambda n: ", ".join(n)))
        sums = sums.reindex([f for f in totals.index if f in sums.index])
        figure.add_bar(
            y=[plot_text(f) for f in sums.index], x=sums["total"].astype(float), orientation="h", name=name,
            showlegend=False,
            marker={"color": [FIELD_COLOURS.get(f, WORLD_COLOUR) for f in sums.index],
                    "pattern": hatch_pattern(estimate)},
            customdata=list(zip(sums["count"], [plot_text(_shorten(n)) for n in sums["names"]])),
            hovertemplate=("%{y}<br>" + name + ": CNY %{x:,.0f} million from %{customdata[0]} facilities"
                           "<br>%{customdata[1]}<extra></extra>"),
        )
    figure.update_layout(barmode="stack", height=CHROME_HEIGHT_PX + ROW_HEIGHT_PX * len(totals), showlegend=True)
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(f) for f in totals.index][::-1],
                        automargin=True)
    base_layout(figure, x_title="Known cost (CNY million, nominal, mixed price years)", y_title=None)

    years = in_cny["cost_price_year"].dropna()
    price_years = f"{int(years.min())}–{int(years.max())}" if len(years) else NOT_KNOWN
    estimates = int(in_cny["estimate"].sum())
    note = (
        f"Known cost in yuan for {len(in_cny)} of {len(facilities)} selected facilities"
        + (f"; {len(other_currency)} more {'has' if len(other_currency) == 1 else 'have'} a cost only in another "
           "currency, not added" if len(other_currency) else "")
        + f". Nominal yuan at the prices of the year each cost was reported ({price_years}), not adjusted for "
        f"inflation; {estimates} of the {len(in_cny)} are estimates or plans (hatched). A lower bound: most costs are not known."
    )
    leader = totals.index[0]
    alt = (f"Bar chart of known investment by field, summed over {len(in_cny)} of {len(facilities)} facilities "
           f"with a cost in yuan; largest: {leader}, CNY {totals.iloc[0]:,.0f} million; total CNY "
           f"{totals.sum():,.0f} million; {estimates} estimates.")
    data = pd.DataFrame({
        "Facility": in_cny["label"].values,
        "Field": in_cny["field"].astype(str).values,
        "Cost (CNY million, nominal)": [format_number(v) for v in in_cny["cost_value"]],
        "Price year": [format_value(v) for v in in_cny["cost_price_year"]],
        "Estimate": in_cny["estimate"].map({True: "yes", False: "no"}).values,
        "Source": [row_source_text(cell, sources) for cell in in_cny["source_ids"]],
        "Cost note": in_cny["cost_note"].fillna("").astype(str).values,
    }).sort_values(["Field", "Facility"])
    return Chart(
        slug="investment-by-field",
        title="Known investment in China's facilities by field",
        figure=figure,
        source_line=source_line(in_cny["source_ids"], sources),
        alt_text=alt,
        data=data,
        note=note,
    )


# --- The page's charts -------------------------------------------------------------------------


def page_charts(catalogue: Catalogue, selection: FacilityFilter) -> list[Chart]:
    """Every chart of the comparison page for a selection, with the default control settings."""
    charts: list[Chart | None] = [
        peer_chart(catalogue, key, selection) for key in COMPARISONS
    ]
    facilities = filter_facilities(catalogue.facilities, selection)
    charts += [portfolio_chart(facilities, catalogue.sources, dimension) for dimension in PORTFOLIO_DIMENSIONS]
    charts.append(investment_chart(facilities, catalogue.sources))
    return [chart for chart in charts if chart is not None]
