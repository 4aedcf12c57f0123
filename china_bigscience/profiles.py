"""One facility, fully: every fact with its unit ("not known" for gaps), its milestones, its nearest world peers, every source with its confidence, and a small offline map (``profile_map``).

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

from china_bigscience import completeness, national_list
from china_bigscience.catalogue import Catalogue
from china_bigscience.cells import cell_text, is_known
from china_bigscience.charts import (  # noqa: F401 (escape_markdown is re-exported for the pages)
    escape_markdown,
    Chart,
    source_line,
    source_records,
)
from china_bigscience.downloads import confidence_meanings, safe_url
from china_bigscience.i18n import ENGLISH, Translator, peer_names
from china_bigscience.filters import FacilityFilter, filter_facilities, search_mask
from china_bigscience.labels import menu_label
from china_bigscience.profile_map import location_map
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
# Catalogue keys of the measures' names.
MEASURE_NAMES = {
    "depth_m": "profile.measure_depth",
    "target_mass_t": "profile.measure_target_mass",
    "emittance_pm": "profile.measure_emittance",
    "area_km2": "profile.measure_area",
    "aperture_m": "profile.measure_aperture",
}
NEAREST_PEER_COUNT = 3



# --- Labels --------------------------------------------------------------------------------

def confidence_label(mark: object, meanings: dict[str, str], tr: Translator = ENGLISH) -> str:
    """'h: seen in a source and not contradicted'; 'not known' when the row carries no mark."""
    if mark is None or pd.isna(mark):
        return tr("common.not_known")
    meaning = meanings.get(str(mark))
    return tr("common.mark_meaning", mark=mark, meaning=meaning) if meaning else str(mark)


def translated_meanings(descriptor: dict | None, tr: Translator = ENGLISH) -> dict[str, str]:
    """The confidence marks' meanings (from datapackage.json) in the reader's language."""
    meanings = confidence_meanings(descriptor) if descriptor else {}
    return {mark: tr.confidence_meaning(mark, meaning) for mark, meaning in meanings.items()}


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


def _year(value: object, tr: Translator = ENGLISH) -> str:
    return str(int(value)) if is_known(value) else tr("common.not_known")


# --- Facts ---------------------------------------------------------------------------------

# The rows of ``profile_facts`` the Map shows for a clicked facility (the Map adds its sources), by catalogue key.
KEY_FACT_KEYS = ("english_name", "chinese_name", "acronym", "field", "province", "location", "coordinates", "status",
                 "construction_start", "first_operation", "depth", "altitude", "depth_altitude", "operator", "funding",
                 "scale", "cost", "national_list")
KEY_FACTS = tuple(ENGLISH(f"profile.{key}") for key in KEY_FACT_KEYS)

Fact = tuple[str, str, str]  # (catalogue key of the fact's name, value, detail)

# The columns of facilities.csv behind each fact row (by catalogue key): value_sources.csv speaks of columns,
# the profile of facts.
FACT_COLUMNS = {
    "province": ("province",), "location": ("location",), "coordinates": ("lat", "lon"),
    "depth": ("depth_m", "depth_mwe"), "altitude": ("altitude_m",), "scale": ("scale_value",), "cost": ("cost_value",),
    "construction_start": ("construction_start",), "first_operation": ("first_operation",),
    "acceptance": ("acceptance_year",), "decommissioned": ("decommissioned_year",), "status": ("status",),
}


def _fact(key: str, value: str, detail: str = "", tr: Translator = ENGLISH) -> Fact:
    return (key, value or tr("common.not_known"), detail)


def _fact_table(facts: list[Fact], tr: Translator) -> pd.DataFrame:
    """The facts as the three-column table the page shows, names and headers in the reader's language."""
    rows = [(tr(f"profile.{key}"), value, detail) for key, value, detail in facts]
    return pd.DataFrame(rows, columns=[tr("profile.fact"), tr("profile.fact_value"), tr("profile.fact_detail")])


def _facts(row: pd.Series, *, descriptor: dict | None, provinces: pd.DataFrame | None,
           facilities: pd.DataFrame | None, tr: Translator, value_sources: pd.DataFrame | None = None,
           sources: pd.DataFrame | None = None) -> list[Fact]:
    meanings = translated_meanings(descriptor, tr)
    scale = (tr.quantity(float(row["scale_value"]), cell_text(row.get("scale_unit")))
             if is_known(row.get("scale_value")) else "")
    facts = [
        *_name_facts(row, meanings, tr),
        *_place_facts(row, meanings, provinces, tr),
        _depth_fact(row, descriptor, tr),
        *_date_facts(row, tr),
        *_organisation_facts(row, facilities, tr),
        _fact("scale", scale, cell_text(row.get("scale_description")), tr),
        _cost_fact(row, tr),
        _fact("national_list", national_list.national_list_statement(row, tr), _list_sources_detail(row, sources, tr),
              tr),
        _fact("functional_type", national_list.functional_type_label(row.get("functional_type"), tr), tr=tr),
    ]
    if is_known(row.get("superlative_claim")):
        facts.append(_fact("known_for", str(row["superlative_claim"]), tr("profile.known_for_help"), tr))
    facts.append(_fact("row_confidence", confidence_label(row.get("confidence"), meanings, tr), tr=tr))
    if is_known(row.get("notes")):
        facts.append(_fact("notes", str(row["notes"]), tr=tr))
    if value_sources is not None and not value_sources.empty:
        facts = [_with_value_sources(fact, row, value_sources, tr) for fact in facts]
    return facts


def profile_facts(
    row: pd.Series,
    *,
    descriptor: dict | None = None,
    provinces: pd.DataFrame | None = None,
    facilities: pd.DataFrame | None = None,
    value_sources: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    tr: Translator = ENGLISH,
) -> pd.DataFrame:
    """The facility's facts as a three-column table: Fact, Value (with unit, or 'not known'), Detail.

    With ``value_sources``, a value resting only on weak sources says so in its Detail (and its Value
    ends with '(weakly sourced)'), and a value that another source gives differently names that other value.
    """
    return _fact_table(_facts(row, descriptor=descriptor, provinces=provinces, facilities=facilities, tr=tr,
                              value_sources=value_sources, sources=sources), tr)


def _list_sources_detail(row: pd.Series, sources: pd.DataFrame | None, tr: Translator = ENGLISH) -> str:
    """'Sources: China Daily (2024, reputable); …' of the national-list statement (ids without ``sources``)."""
    ids = national_list.national_list_source_ids(row)
    if not ids:
        return ""
    records = source_records(sources) if sources is not None else {}
    labels = [tr("profile.list_source", publisher=records[i]["publisher"],
                 year=str(records[i]["date"])[:4] if records[i].get("date") else tr("common.n_d"),
                 quality=tr.value("quality", records[i]["quality"])) if i in records else i
              for i in ids]
    return tr("profile.list_sources", sources=tr("profile.detail_separator").join(dict.fromkeys(labels)))


def _with_value_sources(fact: Fact, row: pd.Series, value_sources: pd.DataFrame, tr: Translator = ENGLISH) -> Fact:
    """The fact with its weakly-sourced mark and any other value a source gives (from value_sources.csv)."""
    key, value, detail = fact
    columns = FACT_COLUMNS.get(key, ())
    own = value_sources[(value_sources["facility_id"] == row["id"]) & value_sources["column"].isin(columns)]
    if own.empty or value == tr("common.not_known"):
        return fact
    notes = []
    if own["weakly_sourced"].fillna(False).astype(bool).any():
        value = tr("profile.weakly_sourced_value", value=value)
        notes.append(tr("profile.weakly_sourced_detail"))
    for other, other_ids in zip(own["other_value"], own["other_source_ids"]):
        if is_known(other):
            ids = split_ids(other_ids)
            notes.append(tr("profile.other_value_cited", value=other, ids=tr("profile.detail_separator").join(ids))
                         if ids else tr("profile.other_value", value=other))
    return (key, value, tr("common.sentence_space").join([*notes, detail]).strip())


def key_facts(row: pd.Series, sources: pd.DataFrame, *, descriptor: dict | None = None,
              provinces: pd.DataFrame | None = None, value_sources: pd.DataFrame | None = None,
              tr: Translator = ENGLISH) -> pd.DataFrame:
    """The facts the Map shows for a clicked facility: the profile's own rows (same wording, weakly sourced values
    marked) and its sources."""
    facts = [fact for fact in _facts(row, descriptor=descriptor, provinces=provinces, facilities=None, tr=tr,
                                     value_sources=value_sources, sources=sources)
             if fact[0] in KEY_FACT_KEYS]
    cited = source_line([row["source_ids"]], sources, limit=6, tr=tr).removeprefix(tr("profile.source_prefix"))
    return _fact_table(facts + [_fact("sources", cited, tr=tr)], tr)


def _name_facts(row: pd.Series, meanings: dict[str, str], tr: Translator) -> list[Fact]:
    zh_detail = ""
    if is_known(row.get("name_zh")) and is_known(row.get("name_zh_confidence")):
        zh_detail = tr("profile.chinese_name_confidence", mark=confidence_label(row["name_zh_confidence"], meanings, tr))
    chinese = cell_text(row.get("name_zh")) or (tr("common.no_chinese_name") if tr.is_chinese else "")
    field = cell_text(row.get("field"))
    return [_fact("english_name", cell_text(row["name_en"]), tr=tr), _fact("chinese_name", chinese, zh_detail, tr),
            _fact("acronym", cell_text(row.get("acronym")), tr=tr), _fact("field", tr.field(field) if field else "", tr=tr)]


def _place_facts(row: pd.Series, meanings: dict[str, str], provinces: pd.DataFrame | None,
                 tr: Translator) -> list[Fact]:
    province = cell_text(row.get("province"))
    if province and provinces is not None and not provinces.empty:
        match = provinces[provinces["name_en"] == province]
        if not match.empty:
            province = tr("profile.province_value", english=province, chinese=match.iloc[0]["name_zh"])
    facts = [_fact("province", province, tr=tr), _fact("location", cell_text(row.get("location")), tr=tr)]
    if not (is_known(row.get("lat")) and is_known(row.get("lon"))):
        return facts + [_fact("coordinates", "", tr=tr)]
    coordinates = tr("profile.coordinates_value",
                     lat=f"{abs(float(row['lat'])):.3f}", ns=tr("profile.north" if row["lat"] >= 0 else "profile.south"),
                     lon=f"{abs(float(row['lon'])):.3f}", ew=tr("profile.east" if row["lon"] >= 0 else "profile.west"))
    detail = []
    if is_known(row.get("location_precision")):
        detail.append(tr("profile.precision", precision=tr.value("location_precision", row["location_precision"])))
    if is_known(row.get("coord_confidence")):
        detail.append(tr("profile.coordinate_confidence", mark=confidence_label(row["coord_confidence"], meanings, tr)))
    return facts + [_fact("coordinates", coordinates, tr("profile.detail_separator").join(detail), tr)]


def _depth_fact(row: pd.Series, descriptor: dict | None, tr: Translator) -> Fact:
    if is_known(row.get("depth_m")) or is_known(row.get("depth_mwe")):
        parts = []
        if is_known(row.get("depth_m")):
            depth = tr.quantity(int(row["depth_m"]), _unit(descriptor, "facilities", "depth_m", "m"))
            parts.append(tr("profile.overburden", value=depth))
        if is_known(row.get("depth_mwe")):
            parts.append(tr.quantity(int(row["depth_mwe"]), _unit(descriptor, "facilities", "depth_mwe", "m.w.e.")))
        return _fact("depth", tr("profile.detail_separator").join(parts), tr("profile.overburden_help"), tr)
    if is_known(row.get("altitude_m")):
        altitude = tr.quantity(int(row["altitude_m"]), _unit(descriptor, "facilities", "altitude_m", "m"))
        return _fact("altitude", tr("profile.above_sea", value=altitude), tr=tr)
    return _fact("depth_altitude", "", tr("profile.depth_altitude_none"), tr)


def _date_facts(row: pd.Series, tr: Translator) -> list[Fact]:
    facts = [
        _fact("construction_start", _year(row.get("construction_start"), tr), cell_text(row.get("construction_start_event")), tr),
        _fact("first_operation", _year(row.get("first_operation"), tr), cell_text(row.get("first_operation_event")), tr),
        _fact("acceptance", _year(row.get("acceptance_year"), tr), tr=tr),
    ]
    not_known = tr("common.not_known")
    status = cell_text(row.get("status"))
    if is_known(row.get("decommissioned_year")):
        facts.append(_fact("decommissioned", _year(row["decommissioned_year"], tr), tr=tr))
    elif row.get("status") == "decommissioned":
        facts.append(_fact("decommissioned", not_known, tr("profile.decommissioned_unknown"), tr))
    else:
        facts.append(_fact("decommissioned", tr("profile.not_decommissioned"),
                           tr("profile.status_value", status=tr.status(status) if status else not_known,
                              as_of=cell_text(row.get("status_as_of")) or not_known), tr))
    facts.append(_fact("status", tr.status(status) if status else "", cell_text(row.get("status_note")), tr))
    facts.append(_fact("status_as_of", cell_text(row.get("status_as_of")), tr("profile.status_as_of_help"), tr))
    return facts


def _organisation_facts(row: pd.Series, facilities: pd.DataFrame | None, tr: Translator) -> list[Fact]:
    facts = []
    predecessor = cell_text(row.get("predecessor_id"))
    if predecessor and facilities is not None:
        match = facilities[facilities["id"] == predecessor]
        if not match.empty:
            predecessor = tr("profile.predecessor_value", name=menu_label(match.iloc[0], tr), id=predecessor)
    if predecessor:
        facts.append(_fact("predecessor", predecessor, tr=tr))
    facts.append(_fact("operator", cell_text(row.get("operator")), tr=tr))
    funding = cell_text(row.get("funding"))
    facts.append(_fact("funding", tr.funding(funding) if funding else "", cell_text(row.get("funding_note")), tr))
    return facts


def _cost_fact(row: pd.Series, tr: Translator) -> Fact:
    if not is_known(row.get("cost_value")):
        return _fact("cost", "", cell_text(row.get("cost_note")), tr)
    estimate = bool(row.get("cost_is_estimate")) if is_known(row.get("cost_is_estimate")) else False
    currency = cell_text(row.get("cost_currency"))
    cost = tr("profile.cost_value", value=tr.number(float(row["cost_value"])),
              currency=tr.value("currency", currency) if currency else "").strip()
    cost = f"~{cost}" if estimate else cost
    detail = []
    if is_known(row.get("cost_price_year")):
        detail.append(tr("profile.cost_prices", year=int(row["cost_price_year"])))
    if estimate:
        detail.append(tr("profile.cost_estimate"))
    if is_known(row.get("cost_note")):
        detail.append(str(row["cost_note"]))
    return _fact("cost", cost, tr("profile.detail_separator").join(detail), tr)


# --- Milestones, peers, sources ------------------------------------------------------------

def facility_milestones(milestones: pd.DataFrame, facility_id: str, *, meanings: dict[str, str] | None = None,
                        tr: Translator = ENGLISH) -> pd.DataFrame:
    """The facility's milestones in date order, with readable column names."""
    rows = milestones[milestones["facility_id"] == facility_id].sort_values("date", kind="stable")
    meanings = meanings or {}

    def paper(row: dict) -> str:
        parts = [cell_text(row.get("reference"))]
        if is_known(row.get("doi")):
            parts.append(f"doi:{row['doi']}")
        if is_known(row.get("arxiv")):
            parts.append(f"arXiv:{row['arxiv']}")
        return "; ".join(p for p in parts if p)

    return pd.DataFrame(
        {
            tr("profile.milestone_date"): rows["date"].astype(str).tolist(),
            tr("profile.milestone_kind"): [tr.value("milestone_kind", v) for v in rows["kind"].astype(str)],
            tr("profile.milestone_event"): rows["event"].astype(str).tolist(),
            tr("profile.milestone_planned"): [tr("profile.planned_mark") if is_known(v) and bool(v) else ""
                                              for v in rows["is_planned"]],
            tr("profile.milestone_paper"): [paper(row) for row in rows.to_dict("records")],
            tr("profile.column_confidence"): [confidence_label(v, meanings, tr) for v in rows["confidence"]],
            tr("profile.milestone_sources"): rows["source_ids"].astype(str).tolist(),
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
    peers: pd.DataFrame, facility_id: str, *, count: int = NEAREST_PEER_COUNT, units: dict[str, str] | None = None,
    tr: Translator = ENGLISH,
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
                                              tr("profile.no_measure", category=tr.value("peer_category", category))))
            continue
        own_value = own[measure]
        candidates = world[(world["category"] == category)].dropna(subset=[measure])
        if not is_known(own_value):
            comparisons.append(PeerComparison(category, measure, unit, None, pd.DataFrame(),
                                              tr("profile.own_not_known", measure=measure_label(measure, unit, tr))))
            continue
        own_value = float(own_value)
        # Near on a ratio scale: a 50,000 t detector is nearer to a 20,000 t one than a 1,000 t detector is.
        candidates = candidates.assign(
            _distance=[abs(math.log(max(float(v), 1e-9)) - math.log(max(own_value, 1e-9))) for v in candidates[measure]]
        )
        nearest = candidates.sort_values(["_distance", "name"], kind="stable").head(count)
        table = pd.DataFrame(
            {
                tr("profile.column_peer"): nearest["name"].astype(str).tolist(),
                tr("profile.column_country"): [tr.value("country", v) for v in nearest["country"].astype(str)],
                tr("profile.column_status"): [tr.status(v) for v in nearest["status"].astype(str)],
                tr("profile.column_first_operation"): [_year(v, tr) for v in nearest["first_operation"]],
                measure_label(measure, unit, tr): [float(v) for v in nearest[measure]],
                tr("profile.column_difference", unit=tr.unit(unit)) if unit else tr("profile.difference"): [
                    float(v) - own_value for v in nearest[measure]
                ],
                tr("profile.column_confidence"): nearest["confidence"].astype(str).tolist(),
                tr("profile.milestone_sources"): nearest["source_ids"].astype(str).tolist(),
            }
        )
        note = "" if len(table) else tr("profile.no_peer_value", category=tr.value("peer_category", category),
                                        measure=measure_label(measure, unit, tr))
        comparisons.append(PeerComparison(category, measure, unit, own_value, table, note))
    return comparisons


def measure_label(measure: str, unit: str, tr: Translator = ENGLISH) -> str:
    """'depth_m', 'm' -> 'Depth (m)' (深度（米）)."""
    words = tr(MEASURE_NAMES[measure]) if measure in MEASURE_NAMES else measure.replace("_", " ").capitalize()
    return tr("profile.column_measure", measure=words, unit=tr.unit(unit)) if unit else words


def facility_sources(
    row: pd.Series,
    sources: pd.DataFrame,
    *,
    milestones: pd.DataFrame | None = None,
    peers: pd.DataFrame | None = None,
    meanings: dict[str, str] | None = None,
    value_sources: pd.DataFrame | None = None,
    tr: Translator = ENGLISH,
) -> pd.DataFrame:
    """Every source behind the profile: its quality class, what it supports (facts, a value, the national list,
    a milestone, a peer row) and that row's confidence."""
    meanings = meanings or {}
    supports: dict[str, list[tuple[str, str]]] = {}
    not_known = tr("common.not_known")
    separator = tr("profile.detail_separator")

    def cite(cell: object, what: str, confidence: object) -> None:
        for source_id in split_ids(cell):
            supports.setdefault(source_id, []).append((what, confidence_label(confidence, meanings, tr)))

    cite(row["source_ids"], tr("profile.supports_facts"), row.get("confidence"))
    cite(row.get("national_list_source_ids"), tr("profile.supports_national_list"), row.get("confidence"))
    if value_sources is not None and not value_sources.empty:
        own = value_sources[value_sources["facility_id"] == row["id"]]
        for column, cell, other in zip(own["column"], own["source_ids"], own["other_source_ids"]):
            cite(cell, tr("profile.supports_value", column=column), row.get("confidence"))
            cite(other, tr("profile.supports_other_value", column=column), row.get("confidence"))
    if milestones is not None:
        own = milestones[milestones["facility_id"] == row["id"]]
        for cell, date, kind, confidence in zip(own["source_ids"], own["date"], own["kind"], own["confidence"]):
            cite(cell, tr("profile.supports_milestone", date=date, kind=tr.value("milestone_kind", kind)), confidence)
    if peers is not None:
        own = peers[peers["facility_id"] == row["id"]]
        for cell, category, confidence in zip(own["source_ids"], own["category"], own["confidence"]):
            cite(cell, tr("profile.supports_peer", category=tr.value("peer_category", category)), confidence)

    indexed = sources.set_index("id")
    records = []
    for source_id, uses in supports.items():
        known = source_id in indexed.index
        source = indexed.loc[source_id] if known else None
        confidences = sorted({c for _, c in uses})
        records.append(
            {
                "Source id": source_id,
                "Publisher": cell_text(source["publisher"]) if known else not_known,
                "Title": cell_text(source["title"]) if known else tr("profile.not_in_sources"),
                "Date": (cell_text(source["date"]) or not_known) if known else not_known,
                "Quality": tr.value("quality", cell_text(source["quality"])) if known and cell_text(source["quality"]) else not_known,
                "Quality note": cell_text(source["quality_note"]) if known else "",
                "Link": safe_url(source["url"]) if known else None,
                "Kind": tr.value("source_kind", cell_text(source["kind"])) if known and cell_text(source["kind"]) else "",
                "Seen via": cell_text(source["seen_via"]) if known else "",
                "Supports": separator.join(dict.fromkeys(w for w, _ in uses)),
                "Confidence": separator.join(confidences),
            }
        )
    # Quality beside the id, where a reader's eye lands first.
    columns = ["Source id", "Quality", "Publisher", "Title", "Date", "Quality note", "Link", "Kind", "Seen via",
               "Supports", "Confidence"]
    # Headers in the reader's language; the page's column settings name them through ``source_column``.
    return pd.DataFrame(records, columns=columns).rename(columns={c: source_column(c, tr) for c in columns})


def source_column(column: str, tr: Translator = ENGLISH) -> str:
    """The header of one ``facility_sources`` column in the reader's language ('Link' -> 链接)."""
    return tr(f"profile.source_column.{column}")


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


def facility_profile(catalogue: Catalogue, facility_id: str, tr: Translator = ENGLISH) -> FacilityProfile | None:
    """Everything the profile page shows for one facility, in the reader's language; None when the id is not in the data."""
    facilities = catalogue.facilities
    match = facilities[facilities["id"] == facility_id]
    if match.empty:
        return None
    row = match.iloc[0]
    descriptor = catalogue.descriptor
    meanings = translated_meanings(descriptor, tr)
    peer_units = {
        column: _unit(descriptor, "peers", column) for column in PEER_MEASURES.values()
    }
    predecessor = cell_text(row.get("predecessor_id")) or None
    successors = facilities[facilities["predecessor_id"] == facility_id]["id"].tolist()
    return FacilityProfile(
        facility_id=facility_id,
        row=row,
        heading=menu_label(row, tr),
        facts=profile_facts(row, descriptor=descriptor, provinces=catalogue.provinces, facilities=facilities,
                            value_sources=catalogue.value_sources, sources=catalogue.sources, tr=tr),
        milestones=facility_milestones(catalogue.milestones, facility_id, meanings=meanings, tr=tr),
        peer_comparisons=nearest_peers(catalogue.peers.assign(name=peer_names(catalogue.peers, facilities, tr)),
                                       facility_id, units=peer_units, tr=tr),
        sources=facility_sources(row, catalogue.sources, milestones=catalogue.milestones, peers=catalogue.peers,
                                 meanings=meanings, value_sources=catalogue.value_sources, tr=tr),
        location=location_map(row, catalogue.boundaries_geojson, catalogue.sources, tr),
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


def page_charts(catalogue: Catalogue, selection: FacilityFilter, tr: Translator = ENGLISH) -> list[Chart]:
    """The profile page's charts with default controls: the location map of the first facility the filter shows."""
    facility_id = default_facility_id(catalogue.facilities, selection)
    if facility_id is None:
        return []
    profile = facility_profile(catalogue, facility_id, tr)
    return [profile.location] if profile and profile.location else []
