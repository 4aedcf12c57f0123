"""The map in words: what each facility is, its tooltip, the legend, the alt text and the map as a table."""

from __future__ import annotations

import html
import re

import pandas as pd

from china_bigscience.as_of import STATUS_IN_YEAR, facilities_in_year
from china_bigscience.charts import NOT_KNOWN, source_line
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


def depth_or_altitude_text(row: pd.Series) -> str | None:
    """'700 m underground (1,800 m.w.e.)' or '4,410 m above sea level'; None for surface sites."""
    if pd.notna(row["depth_m"]) or pd.notna(row["depth_mwe"]):
        depth = format_cell(row["depth_m"], "m")
        text = f"{depth} underground" if pd.notna(row["depth_m"]) else f"depth in metres {NOT_KNOWN}"
        if pd.notna(row["depth_mwe"]):
            text += f" ({format_cell(row['depth_mwe'], 'm.w.e.')})"
        return text
    if pd.notna(row["altitude_m"]):
        return f"{format_cell(row['altitude_m'], 'm')} above sea level"
    return None


def place_text(row: pd.Series) -> str:
    """Town or city and province, as far as they are known."""
    parts = [part for part in (cell_text(row["location"]), cell_text(row["province"])) if part]
    return ", ".join(parts) if parts else NOT_KNOWN


def precision_text(row: pd.Series) -> str | None:
    """How far off the point may be; None when it is the site itself and confirmed."""
    precision = cell_text(row["location_precision"])
    if precision is None:
        return None
    unverified = cell_text(row.get("coord_confidence")) == "l"
    if precision == "site":
        return "facility site (from memory, not verified)" if unverified else None
    text = f"approximate, {precision} level, not the exact site"
    return text + " (from memory, not verified)" if unverified else text


def status_text(row: pd.Series, as_of_year: int | None = None) -> str:
    if as_of_year is not None:
        return f"{cell_text(row['status_shown']) or NOT_KNOWN} in {as_of_year}"
    status = cell_text(row["status"]) or NOT_KNOWN
    as_of = cell_text(row["status_as_of"])
    return f"{status} (as of {as_of})" if as_of else status


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


def tooltip_details(row: pd.Series, as_of_year: int | None = None) -> str:
    """The lines under the name in a point's tooltip (newline-separated; the tooltip keeps line breaks)."""
    names = " · ".join(part for part in (cell_text(row["name_zh"]), cell_text(row["acronym"])) if part)
    lines = [names] if names else []
    lines.append(f"Field: {cell_text(row['field']) or NOT_KNOWN}")
    lines.append(f"National list: {national_list_state(row.get('on_national_list'))}")
    lines.append(f"Place: {place_text(row)}")
    lines.append(f"Status: {status_text(row, as_of_year)}")
    depth = depth_or_altitude_text(row)
    if depth:
        lines.append(f"{'Depth' if pd.notna(row['depth_m']) or pd.notna(row['depth_mwe']) else 'Altitude'}: {depth}")
    lines.append(f"First operation: {year_text(row['first_operation'])}")
    precision = precision_text(row)
    if precision:
        lines.append(f"Map point: {precision}")
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
                 colour_by: str = "field") -> pd.DataFrame:
    """The colour groups on the map (fields, or national-list states) with their count, then the shapes: the legend."""
    points = located(facilities)
    groups, group_colours = colour_groups(points, colour_by)
    counts = groups.value_counts()
    prefix = "national list: " if colour_by == "national list" else ""
    rows = [
        {"symbol": "circle", "colour": colour, "label": f"{prefix}{group}", "count": int(counts[group])}
        for group, colour in group_colours.items()
    ]
    kinds = site_kind(points).value_counts() if len(points) else pd.Series(dtype=int)
    for kind in (UNDERGROUND, HIGH_ALTITUDE):
        if kinds.get(kind, 0):
            rows.append({"symbol": kind, "colour": "#191919", "label": f"{kind} site", "count": int(kinds[kind])})
    if measure.column is not None:
        unknown = int(size_values(points, measure).isna().sum())
        if unknown:
            what = f"{measure.noun} not known" + (f" or not in {measure.currency}" if measure.currency else "")
            rows.append({"symbol": "ring", "colour": "#191919", "label": what, "count": unknown})
    return pd.DataFrame(rows, columns=["symbol", "colour", "label", "count"])


def legend_svg(legend: pd.DataFrame, *, width: int = 330) -> str:
    """The legend as a small SVG image (deck.gl draws none). Labels are XML-escaped."""
    row_height, top = 22, 8
    height = top * 2 + row_height * max(len(legend), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'role="img" aria-label="Map legend">',
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
        label = html.escape(f"{row.label} ({row.count})")
        parts.append(mark)
        parts.append(
            f'<text x="32" y="{y + 4.5}" font-family="Noto Sans, Noto Sans CJK SC, Arial, sans-serif" '
            f'font-size="13" fill="#1F2933">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def top_provinces(facilities: pd.DataFrame, limit: int = 3) -> str:
    counts = facilities["province"].dropna().value_counts()
    top = counts.head(limit)
    return ", ".join(f"{province} ({count})" for province, count in top.items())


def map_alt_text(facilities: pd.DataFrame, measure: SizeMeasure = SIZE_MEASURES["uniform"],
                 as_of_year: int | None = None, colour_by: str = "field") -> str:
    """One sentence a screen reader can use instead of the map, computed from the facilities drawn."""
    points = located(facilities)
    when = f" as of {as_of_year}" if as_of_year is not None else ""
    if points.empty:
        return f"Map of China with no facilities to show{when}."
    provinces = points["province"].dropna().nunique()
    kinds = site_kind(points).value_counts()
    fields = points["field"].value_counts()
    sentence = (
        f"Map of {len(points)} facilit{'y' if len(points) == 1 else 'ies'}{when} in {provinces} "
        f"province{'' if provinces == 1 else 's'}, coloured by {colour_by}"
    )
    if measure.column is not None:
        sentence += f" and sized by {measure.noun} ({measure.unit})"
    sentence += f". Most facilities: {top_provinces(points)}."
    sentence += f" Most common field: {fields.index[0]} ({int(fields.iloc[0])})."
    if colour_by == "national list":
        states = colour_groups(points, colour_by)[0].value_counts()
        sentence += " National list: " + ", ".join(f"{state} {int(count)}" for state, count in states.items()) + "."
    marks = [f"{int(kinds[k])} {k}" for k in (UNDERGROUND, HIGH_ALTITUDE) if kinds.get(k, 0)]
    if marks:
        sentence += f" Sites marked: {' and '.join(marks)}."
    if measure.column is not None:
        values = size_values(points, measure)
        if values.notna().any():
            top = points.loc[values.idxmax()]
            sentence += (
                f" Largest {measure.noun}: {display_name(top)}, "
                f"{format_cell(values.max(), measure.unit)}."
            )
    missing = len(facilities) - len(points)
    if missing:
        sentence += f" {missing} facilit{'y has' if missing == 1 else 'ies have'} no coordinates and {'is' if missing == 1 else 'are'} not drawn."
    return sentence


def map_source_line(facilities: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The source line of the facilities drawn."""
    return source_line(facilities["source_ids"].dropna(), sources)


def map_table(facilities: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """The map as a table, for people who cannot use a map: every facility, drawn or not."""
    status_column = f"Status in {as_of_year}" if as_of_year is not None else "Status (as of)"
    rows = []
    for row in facilities.to_dict("records"):
        rows.append({
            "Facility": display_name(row),
            "Chinese name": cell_text(row["name_zh"]) or NOT_KNOWN,
            "Acronym": cell_text(row["acronym"]) or "",
            "Field": cell_text(row["field"]) or NOT_KNOWN,
            "Province": cell_text(row["province"]) or NOT_KNOWN,
            "Place": cell_text(row["location"]) or NOT_KNOWN,
            status_column: status_text(row, as_of_year).replace(f" in {as_of_year}", "") if as_of_year is not None
            else status_text(row),
            "Depth (m)": format_cell(row["depth_m"]) if pd.notna(row["depth_m"]) else "",
            "Altitude (m)": format_cell(row["altitude_m"]) if pd.notna(row["altitude_m"]) else "",
            "First operation (year)": year_text(row["first_operation"]),
            "Map point": (precision_text(row) or "facility site") if pd.notna(row["lat"]) else "not on the map (no coordinates)",
            "Latitude (°N)": f"{row['lat']:.3f}" if pd.notna(row["lat"]) else NOT_KNOWN,
            "Longitude (°E)": f"{row['lon']:.3f}" if pd.notna(row["lon"]) else NOT_KNOWN,
        })
    return pd.DataFrame(rows)


def boundary_disclaimer(descriptor: dict) -> str:
    """The boundary caveat as the data package states it for the province outlines."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == "province_boundaries":
            description = resource.get("description", "")
            sentences = [s.strip() for s in re.split(r"(?<=\.)\s+", description) if s.strip()]
            caveats = [s for s in sentences if "dispute" in s or "approximate" in s]
            licences = ", ".join(l.get("title", l.get("name", "")) for l in resource.get("licenses", []))
            text = " ".join(caveats) or description
            return f"Province outlines: {text} ({licences})." if licences else f"Province outlines: {text}"
    return "Province outlines are simplified and imply no position on any boundary dispute."
