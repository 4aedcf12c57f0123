"""The map in words: what each facility is, its tooltip, the legend, the alt text and the map as a table."""

from __future__ import annotations

import html
import re

import pandas as pd

from china_bigscience.as_of import STATUS_IN_YEAR, facilities_in_year
from china_bigscience.charts import NOT_KNOWN, field_key_name, source_line
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import display_name
from china_bigscience.national_list import national_list_state
from china_bigscience.maps.common import (
    HIGH_ALTITUDE,
    POINT_RADIUS_PX,
    POINT_RADIUS_RANGE_PX,
    SITE_KIND_GLYPHS,
    SIZE_MEASURES,
    SURFACE,
    UNDERGROUND,
    SizeMeasure,
    cell_text,
    colour_group_label,
    colour_groups,
    format_cell,
    year_text,
)

# --- What each facility is, in words --------------------------------------------------------

def site_kind(facilities: pd.DataFrame) -> pd.Series:
    """'underground' where an overburden is recorded, 'high altitude' where an altitude is, else 'surface'."""
    underground = facilities["depth_m"].notna() | facilities["depth_mwe"].notna()
    high = facilities["altitude_m"].notna()
    kinds = pd.Series(SURFACE, index=facilities.index, dtype=object)
    kinds[high.fillna(False).astype(bool)] = HIGH_ALTITUDE
    kinds[underground.fillna(False).astype(bool)] = UNDERGROUND
    return kinds


def _amount(value: object, unit: str, tr: Translator) -> str:
    """A number with its unit in the reader's language ('700 m', '700米')."""
    return format_cell(value, unit) if not tr.is_chinese else tr.quantity(value, unit)


def depth_or_altitude_text(row: pd.Series, tr: Translator = ENGLISH) -> str | None:
    """'700 m underground (1,800 m.w.e.)' or '4,410 m above sea level'; None for surface sites."""
    if pd.notna(row["depth_m"]) or pd.notna(row["depth_mwe"]):
        text = (tr("maps.underground", depth=_amount(row["depth_m"], "m", tr)) if pd.notna(row["depth_m"])
                else tr("maps.depth_not_known"))
        if pd.notna(row["depth_mwe"]):
            text += tr("maps.mwe", value=_amount(row["depth_mwe"], "m.w.e.", tr))
        return text
    if pd.notna(row["altitude_m"]):
        return tr("maps.above_sea", altitude=_amount(row["altitude_m"], "m", tr))
    return None


def place_text(row: pd.Series, tr: Translator = ENGLISH) -> str:
    """Town or city and province, as far as they are known."""
    province = cell_text(row["province"])
    parts = [part for part in (cell_text(row["location"]), tr.province(province) if province else None) if part]
    return tr("maps.place_separator").join(parts) if parts else tr("common.not_known")


def precision_text(row: pd.Series, tr: Translator = ENGLISH) -> str | None:
    """How far off the point may be; None when it is the site itself and confirmed."""
    precision = cell_text(row["location_precision"])
    if precision is None:
        return None
    unverified = cell_text(row.get("coord_confidence")) == "l"
    if precision == "site":
        return tr("maps.site_memory") if unverified else None
    text = tr("maps.approximate", precision=tr.value("location_precision", precision))
    return text + tr("maps.memory") if unverified else text


def status_text(row: pd.Series, as_of_year: int | None = None, tr: Translator = ENGLISH) -> str:
    not_known = tr("common.not_known")
    if as_of_year is not None:
        shown = cell_text(row["status_shown"])
        return tr("maps.status_in", status=tr.status(shown) if shown else not_known, year=as_of_year)
    status = cell_text(row["status"])
    status = tr.status(status) if status else not_known
    as_of = cell_text(row["status_as_of"])
    return tr("maps.status_as_of", status=status, as_of=as_of) if as_of else status


def with_shown_status(facilities: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """The facilities as they stood in ``as_of_year`` (or today), with the status to show in ``status_shown``.

    For a year, the one "as of" rule of ``china_bigscience.as_of`` (the Timeline's too) decides.
    """
    if as_of_year is None:
        shown = facilities.copy()
        shown["status_shown"] = shown["status"].astype(object)
        return shown
    shown = facilities_in_year(facilities, as_of_year)
    shown["status_shown"] = shown[STATUS_IN_YEAR]
    return shown


def located(facilities: pd.DataFrame) -> pd.DataFrame:
    """The facilities that have coordinates (the others cannot be drawn)."""
    return facilities[facilities["lat"].notna() & facilities["lon"].notna()]


def tooltip_details(row: pd.Series, as_of_year: int | None = None, tr: Translator = ENGLISH) -> str:
    """The lines under the name in a point's tooltip (newline-separated; the tooltip keeps line breaks).

    The first line is the other language's name and the acronym: the title already leads with the reader's.
    """
    other_name = cell_text(row["name_en"]) if tr.is_chinese and cell_text(row["name_zh"]) else cell_text(row["name_zh"])
    names = " · ".join(part for part in (other_name, cell_text(row["acronym"])) if part)
    lines = [names] if names else []
    field = cell_text(row["field"])
    lines.append(tr("maps.tooltip_field", field=tr.field(field) if field else tr("common.not_known")))
    lines.append(tr("maps.tooltip_national_list",
                    state=tr.value("national_list", national_list_state(row.get("on_national_list")))))
    lines.append(tr("maps.tooltip_place", place=place_text(row, tr)))
    lines.append(tr("maps.tooltip_status", status=status_text(row, as_of_year, tr)))
    depth = depth_or_altitude_text(row, tr)
    if depth:
        underground = pd.notna(row["depth_m"]) or pd.notna(row["depth_mwe"])
        lines.append(tr("maps.tooltip_depth" if underground else "maps.tooltip_altitude", value=depth))
    lines.append(tr("maps.tooltip_first_operation", year=year_text(row["first_operation"], tr)))
    precision = precision_text(row, tr)
    if precision:
        lines.append(tr("maps.tooltip_point", precision=precision))
    return "\n".join(lines)


# --- Sizing ---------------------------------------------------------------------------------

def size_values(facilities: pd.DataFrame, measure: SizeMeasure) -> pd.Series:
    """The measure per facility as floats (NaN where not known or not comparable, e.g. a cost in USD)."""
    if measure.column is None:
        return pd.Series(1.0, index=facilities.index)
    values = pd.to_numeric(facilities[measure.column], errors="coerce").astype("float64")
    if measure.currency:
        values = values.where(facilities["cost_currency"] == measure.currency)
    return values.astype("float64")


def point_radii(values: pd.Series, measure: SizeMeasure) -> pd.Series:
    """Radius in pixels: area proportional to the value; ``POINT_RADIUS_PX`` when uniform or not known."""
    if measure.column is None:
        return pd.Series(float(POINT_RADIUS_PX), index=values.index)
    smallest, largest = POINT_RADIUS_RANGE_PX
    top = values.max()
    if pd.isna(top) or top <= 0:
        return pd.Series(float(POINT_RADIUS_PX), index=values.index)
    radii = smallest + (largest - smallest) * (values.clip(lower=0) / top) ** 0.5
    return radii.fillna(float(POINT_RADIUS_PX)).astype(float)



# --- Legend and words -----------------------------------------------------------------------

def legend_table(facilities: pd.DataFrame, measure: SizeMeasure = SIZE_MEASURES["uniform"],
                 colour_by: str = "field", tr: Translator = ENGLISH) -> pd.DataFrame:
    """The colour groups on the map (fields, or national-list states) with their count, then the shapes: the legend."""
    points = located(facilities)
    groups, group_colours = colour_groups(points, colour_by)
    counts = groups.value_counts()
    def label(group: str) -> str:
        name = colour_group_label(group, colour_by, tr)
        # Each point carries its field's letter: the legend says which letter is which field.
        return tr("maps.legend_national_list", state=name) if colour_by == "national list" else field_key_name(group, name)

    rows = [
        {"symbol": "circle", "colour": colour, "label": label(group), "count": int(counts[group])}
        for group, colour in group_colours.items()
    ]
    kinds = site_kind(points).value_counts() if len(points) else pd.Series(dtype=int)
    for kind in (UNDERGROUND, HIGH_ALTITUDE):
        if kinds.get(kind, 0):
            rows.append({"symbol": kind, "colour": "#191919", "label": tr(f"maps.site_kind.{kind}"),
                         "count": int(kinds[kind])})
    if measure.column is not None:
        unknown = int(size_values(points, measure).isna().sum())
        if unknown:
            what = (tr("maps.legend_not_known_currency", noun=measure.noun, currency=tr.value("currency_name", measure.currency))
                    if measure.currency else tr("maps.legend_not_known", noun=measure.noun))
            rows.append({"symbol": "ring", "colour": "#191919", "label": what, "count": unknown})
    return pd.DataFrame(rows, columns=["symbol", "colour", "label", "count"])


def legend_svg(legend: pd.DataFrame, *, width: int = 330, tr: Translator = ENGLISH) -> str:
    """The legend as a small SVG image (deck.gl draws none). Labels are XML-escaped."""
    row_height, top = 22, 8
    height = top * 2 + row_height * max(len(legend), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{html.escape(tr("maps.legend_label"))}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="6" fill="#FFFFFF" stroke="#D0D0D0"/>',
    ]
    for i, row in enumerate(legend.itertuples()):
        y = top + row_height * i + row_height / 2
        if row.symbol == "circle":
            mark = f'<circle cx="16" cy="{y}" r="6" fill="{row.colour}" stroke="{row.colour}"/>'
        elif row.symbol == "ring":
            mark = f'<circle cx="16" cy="{y}" r="6" fill="none" stroke="{row.colour}" stroke-width="2"/>'
        else:
            glyph = SITE_KIND_GLYPHS.get(row.symbol, "?")
            mark = f'<text x="16" y="{y + 5}" text-anchor="middle" font-size="14" fill="{row.colour}">{glyph}</text>'
        label = html.escape(tr("maps.legend_row", label=row.label, count=row.count))
        parts.append(mark)
        parts.append(
            f'<text x="32" y="{y + 4.5}" font-family="Noto Sans, Noto Sans CJK SC, Arial, sans-serif" '
            f'font-size="13" fill="#1F2933">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def top_provinces(facilities: pd.DataFrame, limit: int = 3, tr: Translator = ENGLISH) -> str:
    counts = facilities["province"].dropna().value_counts()
    top = counts.head(limit)
    return tr.join(tr("maps.province_count", province=tr.province(province), count=count)
                   for province, count in top.items())


def _plural(count: int) -> str:
    return "one" if count == 1 else "other"


def map_alt_text(facilities: pd.DataFrame, measure: SizeMeasure = SIZE_MEASURES["uniform"],
                 as_of_year: int | None = None, colour_by: str = "field", tr: Translator = ENGLISH) -> str:
    """One sentence a screen reader can use instead of the map, computed from the facilities drawn."""
    points = located(facilities)
    when = tr("maps.alt_when", year=as_of_year) if as_of_year is not None else ""
    if points.empty:
        return tr("maps.alt_none", when=when)
    provinces = points["province"].dropna().nunique()
    kinds = site_kind(points).value_counts()
    fields = points["field"].value_counts()
    sentence = tr(f"maps.alt_map.{_plural(len(points))}", count=len(points), when=when,
                  provinces=tr(f"maps.alt_provinces.{_plural(provinces)}", count=provinces),
                  colour=tr(f"maps.alt_colour_by.{colour_by}"))
    if measure.column is not None:
        sentence += tr("maps.alt_sized", noun=measure.noun, unit=measure.unit)
    sentence += tr("maps.alt_most", top=top_provinces(points, tr=tr))
    sentence += tr("maps.alt_field", field=tr.field(fields.index[0]), count=int(fields.iloc[0]))
    if colour_by == "national list":
        states = colour_groups(points, colour_by)[0].value_counts()
        sentence += tr("maps.alt_national_list", states=tr.join(
            tr("maps.alt_state", state=tr.value("national_list", state), count=int(count)) for state, count in states.items()))
    marks = [tr("maps.alt_mark", count=int(kinds[k]), kind=tr(f"maps.site_kind_short.{k}"))
             for k in (UNDERGROUND, HIGH_ALTITUDE) if kinds.get(k, 0)]
    if marks:
        sentence += tr("maps.alt_marks", marks=tr("common.and").join(marks))
    if measure.column is not None:
        values = size_values(points, measure)
        if values.notna().any():
            top = points.loc[values.idxmax()]
            sentence += tr("maps.alt_largest", noun=measure.noun, name=display_name(top, tr),
                           value=format_cell(values.max(), measure.unit) if not tr.is_chinese
                           else tr.quantity(values.max(), measure.unit))
    missing = len(facilities) - len(points)
    if missing:
        sentence += tr(f"maps.alt_missing.{_plural(missing)}", count=missing)
    return sentence


def map_source_line(facilities: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> str:
    """The source line of the facilities drawn."""
    return source_line(facilities["source_ids"].dropna(), sources, tr=tr)


def map_table(facilities: pd.DataFrame, as_of_year: int | None = None, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The map as a table, for people who cannot use a map: every facility, drawn or not."""
    status_column = (tr("maps.column_status_in", year=as_of_year) if as_of_year is not None
                     else tr("maps.column_status"))
    not_known = tr("common.not_known")
    rows = []
    for row in facilities.to_dict("records"):
        field, province = cell_text(row["field"]), cell_text(row["province"])
        if as_of_year is not None:
            shown = cell_text(row["status_shown"])
            status = tr.status(shown) if shown else not_known
        else:
            status = status_text(row, tr=tr)
        rows.append({
            tr("maps.column_name"): display_name(row, tr),
            tr("maps.column_chinese_name"): cell_text(row["name_zh"]) or not_known,
            tr("maps.column_acronym"): cell_text(row["acronym"]) or "",
            tr("maps.column_field"): tr.field(field) if field else not_known,
            tr("maps.column_province"): tr.province(province) if province else not_known,
            tr("maps.column_place"): cell_text(row["location"]) or not_known,
            status_column: status,
            tr("maps.column_depth"): format_cell(row["depth_m"]) if pd.notna(row["depth_m"]) else "",
            tr("maps.column_altitude"): format_cell(row["altitude_m"]) if pd.notna(row["altitude_m"]) else "",
            tr("maps.column_first_operation"): year_text(row["first_operation"], tr),
            tr("maps.column_point"): (precision_text(row, tr) or tr("maps.point_site")) if pd.notna(row["lat"])
            else tr("maps.point_none"),
            tr("maps.column_lat"): f"{row['lat']:.3f}" if pd.notna(row["lat"]) else not_known,
            tr("maps.column_lon"): f"{row['lon']:.3f}" if pd.notna(row["lon"]) else not_known,
        })
    return pd.DataFrame(rows)


def boundary_disclaimer(descriptor: dict, tr: Translator = ENGLISH) -> str:
    """The boundary caveat as the data package states it for the province outlines (its translation in Chinese)."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == "province_boundaries":
            description = resource.get("description", "")
            sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", description) if s.strip()]
            caveats = [s for s in sentences if "dispute" in s or "approximate" in s]
            licences = ", ".join(l.get("title", l.get("name", "")) for l in resource.get("licenses", []))
            text = tr("maps.boundary_caveat") if tr.is_chinese else (" ".join(caveats) or description)
            return (tr("maps.boundary_source", text=text, licences=licences) if licences
                    else tr("maps.boundary_source_bare", text=text))
    return tr("maps.boundary_disclaimer")
