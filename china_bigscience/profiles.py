"""One facility, fully: every fact with its unit ("not known" for gaps), its milestones, its nearest world peers, every source with its confidence, and a small offline map.

Functions take the catalogue's DataFrames (or the ``Catalogue``) and return
DataFrames, dataclasses and ``Chart`` objects; ``pages/profile.py`` only lays
them out. Text that comes from the data is returned as plain strings: the page
shows it in places that never render HTML, and the map escapes it for Plotly's
hover labels (which understand a few HTML tags).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from china_bigscience import completeness, national_list
from china_bigscience.catalogue import Catalogue
from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import (  # noqa: F401 (escape_markdown is re-exported for the pages)
    escape_markdown,
    CHINA_HIGHLIGHT,
    FIELD_COLOURS,
    NOT_KNOWN,
    Chart,
    base_layout,
    format_value,
    source_label,
    source_line,
    source_records,
)
from china_bigscience.downloads import confidence_meanings, safe_url
from china_bigscience.filters import FacilityFilter, filter_facilities, search_mask
from china_bigscience.geography import province_geometry
from china_bigscience.labels import menu_label
from china_bigscience.source_ids import split_ids

# The measure by which world peers of each comparison group are "near": the quantity the
# group is usually ranked by (deeper lab, heavier target, smaller emittance, larger array, wider dish).
PEER_MEASURES = {
    "underground laboratory": "depth_m",
    "neutrino detector": "target_mass_t",
    "synchrotron light source": "emittance_pm",
    "air-shower & gamma-ray observatory": "area_km2",
    "radio telescope": "aperture_m",
}
MEASURE_NAMES = {
    "depth_m": "Depth",
    "target_mass_t": "Target mass",
    "emittance_pm": "Emittance",
    "area_km2": "Area",
    "aperture_m": "Aperture",
}
NEAREST_PEER_COUNT = 3

# Margin (degrees) around China's outline on the small map.
MAP_MARGIN_DEGREES = 1.0


# --- Labels --------------------------------------------------------------------------------

def confidence_label(mark: object, meanings: dict[str, str]) -> str:
    """'h: seen in a source and not contradicted'; 'not known' when the row carries no mark."""
    if mark is None or pd.isna(mark):
        return NOT_KNOWN
    meaning = meanings.get(str(mark))
    return f"{mark}: {meaning}" if meaning else str(mark)


def facility_options(facilities: pd.DataFrame) -> list[str]:
    """Facility ids ordered by English name, for the profile's selectbox."""
    ordered = facilities.assign(_key=facilities["name_en"].str.casefold()).sort_values("_key")
    return ordered["id"].tolist()


def _unit(descriptor: dict | None, table: str, column: str, fallback: str = "") -> str:
    """A column's unit as datapackage.json gives it, so the profile and the schema never disagree."""
    if not descriptor:
        return fallback
    for resource in descriptor.get("resources", []):
        if resource.get("name") == table:
            for column_schema in resource.get("schema", {}).get("fields", []):
                if column_schema["name"] == column:
                    return column_schema.get("unit", fallback)
    return fallback


def _known(value: object) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and value != ""


def _text(value: object) -> str:
    return str(value) if _known(value) else ""


def _year(value: object) -> str:
    return str(int(value)) if _known(value) else NOT_KNOWN


# --- Facts ---------------------------------------------------------------------------------

# The rows of ``profile_facts`` the Map shows for a clicked facility (the Map adds its sources).
KEY_FACTS = ("English name", "Chinese name", "Acronym", "Field", "Province", "Location", "Coordinates", "Status",
             "Construction start", "First operation", "Depth", "Altitude", "Depth or altitude", "Operator", "Funding",
             "Scale", "Cost", "National list")

Fact = tuple[str, str, str]

# The columns of facilities.csv behind each fact row: value_sources.csv speaks of columns, the profile of facts.
FACT_COLUMNS = {
    "Province": ("province",), "Location": ("location",), "Coordinates": ("lat", "lon"),
    "Depth": ("depth_m", "depth_mwe"), "Altitude": ("altitude_m",), "Scale": ("scale_value",), "Cost": ("cost_value",),
    "Construction start": ("construction_start",), "First operation": ("first_operation",),
    "National acceptance": ("acceptance_year",), "Decommissioned": ("decommissioned_year",), "Status": ("status",),
}
WEAKLY_SOURCED = "weakly sourced"
WEAKLY_SOURCED_DETAIL = "Weakly sourced: only weak sources support this value (see Sources); left out of headline numbers."


def _fact(fact: str, value: str, detail: str = "") -> Fact:
    return (fact, value or NOT_KNOWN, detail)


def profile_facts(
    row: pd.Series,
    *,
    descriptor: dict | None = None,
    provinces: pd.DataFrame | None = None,
    facilities: pd.DataFrame | None = None,
    value_sources: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The facility's facts as a three-column table: Fact, Value (with unit, or 'not known'), Detail.

    With ``value_sources``, a value resting only on weak sources says so in its Detail (and its Value
    ends with '(weakly sourced)'), and a value that another source gives differently names that other value.
    """
    meanings = confidence_meanings(descriptor) if descriptor else {}
    facts = [
        *_name_facts(row, meanings),
        *_place_facts(row, meanings, provinces),
        _depth_fact(row, descriptor),
        *_date_facts(row),
        *_organisation_facts(row, facilities),
        _fact("Scale", format_value(float(row["scale_value"]), _text(row.get("scale_unit")))
              if _known(row.get("scale_value")) else "", _text(row.get("scale_description"))),
        _cost_fact(row),
        _fact("National list", national_list.national_list_statement(row),
              _list_sources_detail(row, sources)),
        _fact("Functional type", national_list.functional_type_label(row.get("functional_type"))),
    ]
    if _known(row.get("superlative_claim")):
        facts.append(_fact("Known for", str(row["superlative_claim"]), "As stated by its source"))
    facts.append(_fact("Confidence of this row", confidence_label(row.get("confidence"), meanings)))
    if _known(row.get("notes")):
        facts.append(_fact("Notes", str(row["notes"])))
    if value_sources is not None and not value_sources.empty:
        facts = [_with_value_sources(fact, row, value_sources) for fact in facts]
    return pd.DataFrame(facts, columns=["Fact", "Value", "Detail"])


def _list_sources_detail(row: pd.Series, sources: pd.DataFrame | None) -> str:
    """'Sources: China Daily (2024, reputable); …' of the national-list statement (ids without ``sources``)."""
    ids = national_list.national_list_source_ids(row)
    if not ids:
        return ""
    records = source_records(sources) if sources is not None else {}
    labels = [source_label(records[i]).removesuffix(")") + f", {records[i]['quality']})" if i in records else i
              for i in ids]
    return "Sources: " + "; ".join(dict.fromkeys(labels))


def _with_value_sources(fact: Fact, row: pd.Series, value_sources: pd.DataFrame) -> Fact:
    """The fact with its weakly-sourced mark and any other value a source gives (from value_sources.csv)."""
    name, value, detail = fact
    columns = FACT_COLUMNS.get(name, ())
    own = value_sources[(value_sources["facility_id"] == row["id"]) & value_sources["column"].isin(columns)]
    if own.empty or value == NOT_KNOWN:
        return fact
    notes = []
    if own["weakly_sourced"].fillna(False).astype(bool).any():
        value = f"{value} ({WEAKLY_SOURCED})"
        notes.append(WEAKLY_SOURCED_DETAIL)
    for other, other_ids in zip(own["other_value"], own["other_source_ids"]):
        if _known(other):
            cited = f" ({'; '.join(split_ids(other_ids))})" if split_ids(other_ids) else ""
            notes.append(f"Another source gives {other}{cited}; both are kept.")
    return (name, value, " ".join([*notes, detail]).strip())


def key_facts(row: pd.Series, sources: pd.DataFrame, *, descriptor: dict | None = None,
              provinces: pd.DataFrame | None = None, value_sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts the Map shows for a clicked facility: the profile's own rows (same wording, weakly sourced values
    marked) and its sources."""
    facts = profile_facts(row, descriptor=descriptor, provinces=provinces, value_sources=value_sources, sources=sources)
    facts = facts[facts["Fact"].isin(KEY_FACTS)]
    sources_row = pd.DataFrame([_fact("Sources", source_line([row["source_ids"]], sources, limit=6)
                                      .removeprefix("Source: "))], columns=facts.columns)
    return pd.concat([facts, sources_row], ignore_index=True)


def _name_facts(row: pd.Series, meanings: dict[str, str]) -> list[Fact]:
    zh_detail = ""
    if _known(row.get("name_zh")) and _known(row.get("name_zh_confidence")):
        zh_detail = "Confidence " + confidence_label(row["name_zh_confidence"], meanings)
    return [_fact("English name", _text(row["name_en"])), _fact("Chinese name", _text(row.get("name_zh")), zh_detail),
            _fact("Acronym", _text(row.get("acronym"))), _fact("Field", _text(row.get("field")))]


def _place_facts(row: pd.Series, meanings: dict[str, str], provinces: pd.DataFrame | None) -> list[Fact]:
    province = _text(row.get("province"))
    if province and provinces is not None and not provinces.empty:
        match = provinces[provinces["name_en"] == province]
        if not match.empty:
            province = f"{province} ({match.iloc[0]['name_zh']})"
    facts = [_fact("Province", province), _fact("Location", _text(row.get("location")))]
    if not (_known(row.get("lat")) and _known(row.get("lon"))):
        return facts + [_fact("Coordinates", "")]
    coordinates = f"{abs(float(row['lat'])):.3f}° {'N' if row['lat'] >= 0 else 'S'}, " \
                  f"{abs(float(row['lon'])):.3f}° {'E' if row['lon'] >= 0 else 'W'}"
    detail = []
    if _known(row.get("location_precision")):
        detail.append(f"precision: {row['location_precision']}")
    if _known(row.get("coord_confidence")):
        detail.append("confidence " + confidence_label(row["coord_confidence"], meanings))
    return facts + [_fact("Coordinates", coordinates, "; ".join(detail))]


def _depth_fact(row: pd.Series, descriptor: dict | None) -> Fact:
    if _known(row.get("depth_m")) or _known(row.get("depth_mwe")):
        parts = []
        if _known(row.get("depth_m")):
            parts.append(f"{format_value(int(row['depth_m']), _unit(descriptor, 'facilities', 'depth_m', 'm'))} overburden")
        if _known(row.get("depth_mwe")):
            parts.append(format_value(int(row["depth_mwe"]), _unit(descriptor, "facilities", "depth_mwe", "m.w.e.")))
        return _fact("Depth", "; ".join(parts), "Rock (or water, see notes) above the underground site")
    if _known(row.get("altitude_m")):
        altitude_unit = _unit(descriptor, "facilities", "altitude_m", "m")
        return _fact("Altitude", f"{format_value(int(row['altitude_m']), altitude_unit)} above sea level")
    return _fact("Depth or altitude", "", "Neither a depth nor an altitude is recorded for this facility")


def _date_facts(row: pd.Series) -> list[Fact]:
    facts = [
        _fact("Construction start", _year(row.get("construction_start")), _text(row.get("construction_start_event"))),
        _fact("First operation", _year(row.get("first_operation")), _text(row.get("first_operation_event"))),
        _fact("National acceptance", _year(row.get("acceptance_year"))),
    ]
    if _known(row.get("decommissioned_year")):
        facts.append(_fact("Decommissioned", _year(row["decommissioned_year"])))
    elif row.get("status") == "decommissioned":
        facts.append(_fact("Decommissioned", NOT_KNOWN, "Status is decommissioned but the year is not recorded"))
    else:
        facts.append(_fact("Decommissioned", "not decommissioned",
                           f"Status {row.get('status')} as of {_text(row.get('status_as_of')) or NOT_KNOWN}"))
    facts.append(_fact("Status", _text(row.get("status")), _text(row.get("status_note"))))
    facts.append(_fact("Status as of", _text(row.get("status_as_of")),
                       "Date of the newest source that supports the status"))
    return facts


def _organisation_facts(row: pd.Series, facilities: pd.DataFrame | None) -> list[Fact]:
    facts = []
    predecessor = _text(row.get("predecessor_id"))
    if predecessor and facilities is not None:
        match = facilities[facilities["id"] == predecessor]
        if not match.empty:
            predecessor = f"{menu_label(match.iloc[0])} (id {predecessor})"
    if predecessor:
        facts.append(_fact("Predecessor", predecessor))
    facts.append(_fact("Operator", _text(row.get("operator"))))
    facts.append(_fact("Funding", _text(row.get("funding")), _text(row.get("funding_note"))))
    return facts


def _cost_fact(row: pd.Series) -> Fact:
    if not _known(row.get("cost_value")):
        return _fact("Cost", "", _text(row.get("cost_note")))
    estimate = bool(row.get("cost_is_estimate")) if _known(row.get("cost_is_estimate")) else False
    currency = _text(row.get("cost_currency"))
    cost = format_value(float(row["cost_value"]), f"million {currency}".strip(), approximate=estimate)
    detail = []
    if _known(row.get("cost_price_year")):
        detail.append(f"in {int(row['cost_price_year'])} prices")
    if estimate:
        detail.append("plan, estimate or approximate figure")
    if _known(row.get("cost_note")):
        detail.append(str(row["cost_note"]))
    return _fact("Cost", cost, "; ".join(detail))


# --- Milestones, peers, sources ------------------------------------------------------------

def facility_milestones(milestones: pd.DataFrame, facility_id: str, *, meanings: dict[str, str] | None = None) -> pd.DataFrame:
    """The facility's milestones in date order, with readable column names."""
    rows = milestones[milestones["facility_id"] == facility_id].sort_values("date", kind="stable")
    meanings = meanings or {}

    def paper(row: dict) -> str:
        parts = [_text(row.get("reference"))]
        if _known(row.get("doi")):
            parts.append(f"doi:{row['doi']}")
        if _known(row.get("arxiv")):
            parts.append(f"arXiv:{row['arxiv']}")
        return "; ".join(p for p in parts if p)

    return pd.DataFrame(
        {
            "Date": rows["date"].astype(str).tolist(),
            "Kind": rows["kind"].astype(str).tolist(),
            "Event": rows["event"].astype(str).tolist(),
            "Planned": ["planned" if _known(v) and bool(v) else "" for v in rows["is_planned"]],
            "Paper": [paper(row) for row in rows.to_dict("records")],
            "Confidence": [confidence_label(v, meanings) for v in rows["confidence"]],
            "Sources": rows["source_ids"].astype(str).tolist(),
        }
    )


@dataclass
class PeerComparison:
    """The nearest world peers of one facility in one comparison group."""

    category: str
    measure: str  # column of peers.csv
    unit: str
    own_value: float | None
    peers: pd.DataFrame  # readable columns, nearest first
    note: str = ""


def nearest_peers(
    peers: pd.DataFrame, facility_id: str, *, count: int = NEAREST_PEER_COUNT, units: dict[str, str] | None = None
) -> list[PeerComparison]:
    """For each comparison group the facility belongs to, the ``count`` world peers nearest by the group's measure.

    Nearness is measured on a ratio scale (the difference of logarithms), because the measures
    (depths, masses, areas, emittances) span orders of magnitude.

    World peers are the rows of peers.csv not linked to one of China's catalogued facilities.
    A peer whose measure is not known cannot be near or far, so it is left out.
    """
    units = units or {}
    own_rows = peers[peers["facility_id"] == facility_id]
    world = peers[peers["facility_id"].isna()]
    comparisons = []
    for own in own_rows.to_dict("records"):
        category = own["category"]
        measure = PEER_MEASURES.get(category)
        unit = units.get(measure, "") if measure else ""
        if measure is None:
            comparisons.append(PeerComparison(category, "", "", None, pd.DataFrame(),
                                              f"No comparison measure is defined for the group '{category}'."))
            continue
        own_value = own[measure]
        candidates = world[(world["category"] == category)].dropna(subset=[measure])
        if not _known(own_value):
            comparisons.append(PeerComparison(category, measure, unit, None, pd.DataFrame(),
                                              f"This facility's {measure_label(measure, unit)} is not known, "
                                              "so no peer can be called nearest."))
            continue
        own_value = float(own_value)
        # Near on a ratio scale: a 50,000 t detector is nearer to a 20,000 t one than a 1,000 t detector is.
        candidates = candidates.assign(
            _distance=[abs(math.log(max(float(v), 1e-9)) - math.log(max(own_value, 1e-9))) for v in candidates[measure]]
        )
        nearest = candidates.sort_values(["_distance", "name"], kind="stable").head(count)
        table = pd.DataFrame(
            {
                "Peer": nearest["name"].astype(str).tolist(),
                "Country": nearest["country"].astype(str).tolist(),
                "Status": nearest["status"].astype(str).tolist(),
                "First operation (year)": [_year(v) for v in nearest["first_operation"]],
                measure_label(measure, unit): [float(v) for v in nearest[measure]],
                f"Difference ({unit})" if unit else "Difference": [
                    float(v) - own_value for v in nearest[measure]
                ],
                "Confidence": nearest["confidence"].astype(str).tolist(),
                "Sources": nearest["source_ids"].astype(str).tolist(),
            }
        )
        note = "" if len(table) else f"No world peer in the group '{category}' has a known {measure_label(measure, unit)}."
        comparisons.append(PeerComparison(category, measure, unit, own_value, table, note))
    return comparisons


def measure_label(measure: str, unit: str) -> str:
    """'depth_m', 'm' -> 'Depth (m)'."""
    words = MEASURE_NAMES.get(measure, measure.replace("_", " ").capitalize())
    return f"{words} ({unit})" if unit else words


def facility_sources(
    row: pd.Series,
    sources: pd.DataFrame,
    *,
    milestones: pd.DataFrame | None = None,
    peers: pd.DataFrame | None = None,
    meanings: dict[str, str] | None = None,
    value_sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every source behind the profile: its quality class, what it supports (facts, a value, the national list,
    a milestone, a peer row) and that row's confidence."""
    meanings = meanings or {}
    supports: dict[str, list[tuple[str, str]]] = {}

    def cite(cell: object, what: str, confidence: object) -> None:
        for source_id in split_ids(cell):
            supports.setdefault(source_id, []).append((what, confidence_label(confidence, meanings)))

    cite(row["source_ids"], "facility facts", row.get("confidence"))
    cite(row.get("national_list_source_ids"), "national list", row.get("confidence"))
    if value_sources is not None and not value_sources.empty:
        own = value_sources[value_sources["facility_id"] == row["id"]]
        for column, cell, other in zip(own["column"], own["source_ids"], own["other_source_ids"]):
            cite(cell, f"value: {column}", row.get("confidence"))
            cite(other, f"other value: {column}", row.get("confidence"))
    if milestones is not None:
        own = milestones[milestones["facility_id"] == row["id"]]
        for cell, date, kind, confidence in zip(own["source_ids"], own["date"], own["kind"], own["confidence"]):
            cite(cell, f"milestone {date} ({kind})", confidence)
    if peers is not None:
        own = peers[peers["facility_id"] == row["id"]]
        for cell, category, confidence in zip(own["source_ids"], own["category"], own["confidence"]):
            cite(cell, f"peer comparison ({category})", confidence)

    indexed = sources.set_index("id")
    records = []
    for source_id, uses in supports.items():
        known = source_id in indexed.index
        source = indexed.loc[source_id] if known else None
        confidences = sorted({c for _, c in uses})
        records.append(
            {
                "Source id": source_id,
                "Publisher": _text(source["publisher"]) if known else NOT_KNOWN,
                "Title": _text(source["title"]) if known else "not in sources.csv",
                "Date": (_text(source["date"]) or NOT_KNOWN) if known else NOT_KNOWN,
                "Quality": (_text(source["quality"]) or NOT_KNOWN) if known else NOT_KNOWN,
                "Quality note": _text(source["quality_note"]) if known else "",
                "Link": safe_url(source["url"]) if known else None,
                "Kind": _text(source["kind"]) if known else "",
                "Seen via": _text(source["seen_via"]) if known else "",
                "Supports": "; ".join(dict.fromkeys(w for w, _ in uses)),
                "Confidence": "; ".join(confidences),
            }
        )
    return pd.DataFrame(
        records,
        # Quality beside the id, where a reader's eye lands first.
        columns=["Source id", "Quality", "Publisher", "Title", "Date", "Quality note", "Link", "Kind", "Seen via",
                 "Supports", "Confidence"],
    )


# --- The small map --------------------------------------------------------------------------

def location_map(row: pd.Series, boundaries: dict, sources: pd.DataFrame) -> Chart | None:
    """Province outlines with the facility's province shaded and its point marked; None when it has no coordinates.

    Drawn on plain x/y axes (longitude, latitude) so it needs no map tiles and no
    topojson download: it works offline and exports like any chart.
    """
    if not (_known(row.get("lat")) and _known(row.get("lon"))):
        return None
    lat, lon = float(row["lat"]), float(row["lon"])
    geometry = province_geometry(boundaries)
    outlines, (min_x, min_y, max_x, max_y) = geometry.simplified_outlines, geometry.simplified_bounds
    province = _text(row.get("province"))
    figure = go.Figure()
    all_lons: list = []
    all_lats: list = []
    for name, (lons, lats) in outlines.items():
        if name == province:
            continue
        all_lons += lons
        all_lats += lats
    figure.add_trace(
        go.Scatter(x=all_lons, y=all_lats, mode="lines", line={"color": "#9AA5B1", "width": 0.6},
                   hoverinfo="skip", showlegend=False, name="Provinces")
    )
    if province in outlines:
        lons, lats = outlines[province]
        figure.add_trace(
            go.Scatter(x=lons, y=lats, mode="lines", fill="toself", fillcolor="rgba(204, 51, 17, 0.15)",
                       line={"color": CHINA_HIGHLIGHT, "width": 1}, hoverinfo="skip", showlegend=False,
                       name=escape_plotly(province))
        )
    name = _text(row.get("acronym")) or _text(row["name_en"])
    colour = FIELD_COLOURS.get(_text(row.get("field")), CHINA_HIGHLIGHT)
    figure.add_trace(
        go.Scatter(
            x=[lon], y=[lat], mode="markers+text", text=[escape_plotly(name)], textposition="top center",
            marker={"size": 13, "color": colour, "line": {"color": "#1F2933", "width": 1.5}},
            hovertemplate=f"{escape_plotly(_text(row['name_en']))}<br>%{{y:.3f}}° N, %{{x:.3f}}° E<extra></extra>",
            showlegend=False, name=escape_plotly(name),
        )
    )
    # Equirectangular axes stretched so that a degree of longitude is as long as it is at this latitude.
    base_layout(figure, x_title="Longitude (degrees east)", y_title="Latitude (degrees north)")
    figure.update_xaxes(range=[min_x - MAP_MARGIN_DEGREES, max_x + MAP_MARGIN_DEGREES], showgrid=False,
                        zeroline=False, constrain="domain")
    figure.update_yaxes(range=[min_y - MAP_MARGIN_DEGREES, max_y + MAP_MARGIN_DEGREES], showgrid=False,
                        zeroline=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat)))
    figure.update_layout(height=460, plot_bgcolor="rgba(0,0,0,0)", margin={"l": 60})

    precision = _text(row.get("location_precision")) or "unknown precision"
    where = f" in {province}" if province else ""
    alt_text = (
        f"Map of China's provincial-level divisions with {name} marked at {lat:.2f}° N, {lon:.2f}° E{where} "
        f"({precision}-level point)"
        + (f"; {province} is shaded." if province in outlines else ".")
    )
    data = pd.DataFrame(
        {
            "Facility": [_text(row["name_en"])],
            "Latitude (degrees north)": [lat],
            "Longitude (degrees east)": [lon],
            "Province": [province or NOT_KNOWN],
            "Location": [_text(row.get("location")) or NOT_KNOWN],
            "Location precision": [precision],
            "Coordinate confidence": [_text(row.get("coord_confidence")) or NOT_KNOWN],
        }
    )
    return Chart(
        slug=f"location-{row['id']}",
        title=f"Where {name} is",
        figure=figure,
        source_line=source_line(split_ids(row["source_ids"]), sources),
        alt_text=alt_text,
        data=data,
        note="Boundaries are simplified and for orientation only; they imply no position on any boundary dispute.",
    )


# --- The whole profile ----------------------------------------------------------------------

@dataclass
class FacilityProfile:
    facility_id: str
    row: pd.Series
    heading: str
    facts: pd.DataFrame
    milestones: pd.DataFrame
    peer_comparisons: list[PeerComparison]
    sources: pd.DataFrame
    location: Chart | None
    completeness: dict = field(default_factory=dict)  # one record of completeness.facility_completeness
    predecessor_id: str | None = None
    successor_ids: list[str] = field(default_factory=list)


def facility_profile(catalogue: Catalogue, facility_id: str) -> FacilityProfile | None:
    """Everything the profile page shows for one facility; None when the id is not in the data."""
    facilities = catalogue.facilities
    match = facilities[facilities["id"] == facility_id]
    if match.empty:
        return None
    row = match.iloc[0]
    descriptor = catalogue.descriptor
    meanings = confidence_meanings(descriptor)
    peer_units = {
        column: _unit(descriptor, "peers", column) for column in PEER_MEASURES.values()
    }
    predecessor = _text(row.get("predecessor_id")) or None
    successors = facilities[facilities["predecessor_id"] == facility_id]["id"].tolist()
    return FacilityProfile(
        facility_id=facility_id,
        row=row,
        heading=menu_label(row),
        facts=profile_facts(row, descriptor=descriptor, provinces=catalogue.provinces, facilities=facilities,
                            value_sources=catalogue.value_sources, sources=catalogue.sources),
        milestones=facility_milestones(catalogue.milestones, facility_id, meanings=meanings),
        peer_comparisons=nearest_peers(catalogue.peers, facility_id, units=peer_units),
        sources=facility_sources(row, catalogue.sources, milestones=catalogue.milestones, peers=catalogue.peers,
                                 meanings=meanings, value_sources=catalogue.value_sources),
        location=location_map(row, catalogue.boundaries_geojson, catalogue.sources),
        completeness=completeness.facility_completeness(match, catalogue.sources, catalogue.value_sources)
        .iloc[0].to_dict(),
        predecessor_id=predecessor if predecessor in set(facilities["id"]) else None,
        successor_ids=successors,
    )


def suggest_facilities(facilities: pd.DataFrame, text: str, *, limit: int = 5) -> pd.DataFrame:
    """Facilities a mistyped link or search probably meant: text matches first, then near-spellings of the id."""
    text = (text or "").strip()
    if not text:
        return facilities.iloc[0:0]
    found = facilities[search_mask(facilities, text)]
    if len(found) < limit:
        close = difflib.get_close_matches(text.lower(), facilities["id"].tolist(), n=limit, cutoff=0.5)
        extra = facilities[facilities["id"].isin(close) & ~facilities["id"].isin(found["id"])]
        found = pd.concat([found, extra])
    return found.head(limit)


def default_facility_id(facilities: pd.DataFrame, selection: FacilityFilter) -> str | None:
    """The facility the profile page shows first for a filter: the first filtered one by English name."""
    options = facility_options(filter_facilities(facilities, selection))
    return options[0] if options else None


def page_charts(catalogue: Catalogue, selection: FacilityFilter) -> list[Chart]:
    """The profile page's charts with default controls: the location map of the first facility the filter shows."""
    facility_id = default_facility_id(catalogue.facilities, selection)
    if facility_id is None:
        return []
    profile = facility_profile(catalogue, facility_id)
    return [profile.location] if profile and profile.location else []
