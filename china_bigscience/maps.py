"""Maps of the facilities: a pydeck deck over offline province outlines, a province choropleth, and a Plotly map for export.

Everything here is Streamlit-free. Functions take the (already filtered) facilities and
return a ``pydeck.Deck``, ``Chart`` objects, DataFrames or plain text; ``pages/map.py``
only lays them out.

Why the deck looks the way it does:

- The basemap is our own: the province polygons of ``data/provinces.geojson`` drawn as a
  GeoJSON layer, with ``map_provider=None`` (``map_style=None`` alone still makes
  Streamlit fetch a CARTO style, which fails offline). Online CARTO tiles are an option
  the reader turns on.
- The polygons go to the browser by URL from Streamlit's static file serving, not inline:
  pydeck pretty-prints inline data, which makes the deck many times larger and slower.
  The served copy (``static/provinces.geojson``) carries the two tooltip properties that
  deck.gl needs, because deck.gl has one tooltip template for all layers (deck.gl #6799)
  and leaves ``{name}`` as literal text when an object lacks the property.
- Streamlit escapes every value it interpolates into an ``html`` tooltip, so data strings
  go into the tooltip unescaped (escaping them here would show ``&lt;`` to the reader).
  Plotly, by contrast, renders a small HTML subset in hover text, so strings bound for
  Plotly are escaped with ``safe_text.escape_plotly``.
- The Plotly figures draw the province polygons as ``Scattergeo`` lines with every base
  layer off: plotly.js fetches its topojson from a CDN as soon as any ``show*`` layer is
  on or a trace has a ``locationmode`` (which a ``Choropleth`` with ``geojson`` always
  has), so the choropleth is built from filled ``Scattergeo`` polygons instead.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import pydeck as pdk

from china_bigscience import PROJECT_DIR
from china_bigscience.charts import escape_markdown  # noqa: F401 (re-exported for pages/map.py)
from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import (
    FIELD_COLOURS,
    NOT_KNOWN,
    Chart,
    base_layout,
    format_value,
    source_line,
)
from china_bigscience.filters import FacilityFilter, facilities_as_of, filter_facilities, status_as_of

# --- Identifiers shared by the deck, the page and the tests ---------------------------------

FACILITY_LAYER_ID = "facilities"
SITE_KIND_LAYER_ID = "site-kind-markers"
PROVINCE_LAYER_ID = "provinces"
PROVINCE_LABEL_LAYER_ID = "province-names"

STATIC_DIR = PROJECT_DIR / "static"
STATIC_BOUNDARIES_NAME = "provinces.geojson"
# Relative, so that it also resolves when the app runs under a server.baseUrlPath
# (every page URL is one segment deep: /<base>/map -> /<base>/app/static/...).
STATIC_BOUNDARIES_URL = f"app/static/{STATIC_BOUNDARIES_NAME}"

# --- How facilities are drawn ---------------------------------------------------------------

UNDERGROUND = "underground"
HIGH_ALTITUDE = "high altitude"
SURFACE = "surface"
# Shapes, not colours, tell underground and high-altitude sites apart: colour is taken by the field.
SITE_KIND_GLYPHS = {UNDERGROUND: "▼", HIGH_ALTITUDE: "▲"}
SITE_KIND_PLOTLY_SYMBOLS = {UNDERGROUND: "triangle-down", HIGH_ALTITUDE: "triangle-up", SURFACE: "circle"}

UNKNOWN_FIELD_COLOUR = "#AAAAAA"
PROVINCE_FILL_OFFLINE = [238, 236, 228, 255]
PROVINCE_FILL_ONLINE = [255, 255, 255, 40]
PROVINCE_LINE = [140, 140, 140, 255]
MARKER_TEXT_COLOUR = [25, 25, 25, 255]

POINT_RADIUS_PX = 6
POINT_RADIUS_RANGE_PX = (4, 20)


@dataclass(frozen=True)
class SizeMeasure:
    """A column the points can be sized by, and how to say it to a reader."""

    key: str
    label: str
    column: str | None
    unit: str
    noun: str = ""
    # Rows the measure applies to (e.g. only costs reported in CNY can be compared).
    currency: str | None = None


SIZE_MEASURES = {
    "uniform": SizeMeasure("uniform", "Same size for all", None, ""),
    "cost": SizeMeasure("cost", "Reported cost (CNY million)", "cost_value", "CNY million", "reported cost", currency="CNY"),
    "depth": SizeMeasure("depth", "Depth below ground (m)", "depth_m", "m", "depth below ground"),
    "altitude": SizeMeasure("altitude", "Altitude above sea level (m)", "altitude_m", "m", "altitude"),
}

PROVINCE_MEASURES = {
    "count": ("Facilities per province", "Facilities (count)"),
    "cost": ("Known reported cost per province", "Reported cost (CNY million)"),
}
NO_PROVINCE_LABEL = "No province (offshore or not yet sited)"

CHOROPLETH_COLOURSCALE = "YlOrBr"  # ColorBrewer sequential, colour-blind safe
CHOROPLETH_ZERO_COLOUR = "#E9E9E9"

# The view fitted to the points assumes a map as narrow as a phone's (390 px viewport): deck.gl's JSON
# view cannot fit bounds to the real width, and a wider screen merely shows more land around the points.
ASSUMED_MAP_PX = (370, 540)
MAX_FIT_ZOOM = 7.0


# --- Small helpers --------------------------------------------------------------------------

def _text(value: object) -> str | None:
    """A cell as a stripped string, or None when empty or missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> object:
    """A numpy scalar as the Python number ``format_value`` expects (thousands separators)."""
    return value.item() if hasattr(value, "item") else value


def _fmt(value: object, unit: str = "", **options) -> str:
    return format_value(_number(value), unit, **options)


def _year(value: object) -> str:
    return NOT_KNOWN if value is None or pd.isna(value) else str(int(value))


def _rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    hex_colour = hex_colour.lstrip("#")
    return [int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def field_colour(field: object) -> str:
    return FIELD_COLOURS.get(str(field), UNKNOWN_FIELD_COLOUR)


def _plotly_text(value: object) -> str:
    """A data string for Plotly text and hover labels, which render a small HTML subset."""
    text = _text(value)
    return escape_plotly(text) if text else NOT_KNOWN


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
        depth = _fmt(row["depth_m"], "m")
        text = f"{depth} underground" if pd.notna(row["depth_m"]) else f"depth in metres {NOT_KNOWN}"
        if pd.notna(row["depth_mwe"]):
            text += f" ({_fmt(row['depth_mwe'], 'm.w.e.')})"
        return text
    if pd.notna(row["altitude_m"]):
        return f"{_fmt(row['altitude_m'], 'm')} above sea level"
    return None


def place_text(row: pd.Series) -> str:
    """Town or city and province, as far as they are known."""
    parts = [part for part in (_text(row["location"]), _text(row["province"])) if part]
    return ", ".join(parts) if parts else NOT_KNOWN


def precision_text(row: pd.Series) -> str | None:
    """How far off the point may be; None when it is the site itself and confirmed."""
    precision = _text(row["location_precision"])
    if precision is None:
        return None
    unverified = _text(row.get("coord_confidence")) == "l"
    if precision == "site":
        return "facility site (from memory, not verified)" if unverified else None
    text = f"approximate, {precision} level, not the exact site"
    return text + " (from memory, not verified)" if unverified else text


def status_text(row: pd.Series, as_of_year: int | None = None) -> str:
    if as_of_year is not None:
        return f"{_text(row['status_shown']) or NOT_KNOWN} in {as_of_year}"
    status = _text(row["status"]) or NOT_KNOWN
    as_of = _text(row["status_as_of"])
    return f"{status} (as of {as_of})" if as_of else status


def with_shown_status(facilities: pd.DataFrame, as_of_year: int | None = None) -> pd.DataFrame:
    """The facilities as they stood in ``as_of_year`` (or today), with the status to show in ``status_shown``."""
    if as_of_year is None:
        shown = facilities.copy()
        shown["status_shown"] = shown["status"].astype(object)
        return shown
    shown = facilities_as_of(facilities, as_of_year).copy()
    shown["status_shown"] = status_as_of(shown, as_of_year).astype(object) if len(shown) else None
    return shown


def located(facilities: pd.DataFrame) -> pd.DataFrame:
    """The facilities that have coordinates (the others cannot be drawn)."""
    return facilities[facilities["lat"].notna() & facilities["lon"].notna()]


def tooltip_title(row: pd.Series) -> str:
    return _text(row["name_en"]) or _text(row["id"]) or NOT_KNOWN


def tooltip_details(row: pd.Series, as_of_year: int | None = None) -> str:
    """The lines under the name in a point's tooltip (newline-separated; the tooltip keeps line breaks)."""
    names = " · ".join(part for part in (_text(row["name_zh"]), _text(row["acronym"])) if part)
    lines = [names] if names else []
    lines.append(f"Field: {_text(row['field']) or NOT_KNOWN}")
    lines.append(f"Place: {place_text(row)}")
    lines.append(f"Status: {status_text(row, as_of_year)}")
    depth = depth_or_altitude_text(row)
    if depth:
        lines.append(f"{'Depth' if pd.notna(row['depth_m']) or pd.notna(row['depth_mwe']) else 'Altitude'}: {depth}")
    lines.append(f"First operation: {_year(row['first_operation'])}")
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


# --- The view -------------------------------------------------------------------------------

def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fit_view(bounds: tuple[float, float, float, float], *, padding: float = 0.06,
             size_px: tuple[int, int] = ASSUMED_MAP_PX, max_zoom: float = MAX_FIT_ZOOM) -> dict:
    """Centre and zoom of a web-Mercator view that shows ``(west, south, east, north)`` with some padding."""
    west, south, east, north = bounds
    width_px, height_px = size_px
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_lon = max(east - west, 1e-6)
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-6)
    # deck.gl's world is 512 px wide at zoom 0.
    zoom_x = math.log2(usable_w * 360 / (512 * span_lon))
    zoom_y = math.log2(usable_h * 2 * math.pi / (512 * span_y))
    zoom = max(min(zoom_x, zoom_y, max_zoom), 1.0)
    centre_lat = _inverse_mercator_y((_mercator_y(north) + _mercator_y(south)) / 2)
    return {"longitude": round((west + east) / 2, 4), "latitude": round(centre_lat, 4), "zoom": round(zoom, 2)}


def china_bounds(boundaries: dict) -> tuple[float, float, float, float]:
    """Bounds of the largest polygon of every province: China at a glance, without the far-off islets."""
    from shapely.geometry import shape

    boxes = []
    for feature in boundaries["features"]:
        geometry = shape(feature["geometry"])
        parts = list(getattr(geometry, "geoms", [geometry]))
        boxes.append(max(parts, key=lambda part: part.area).bounds)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def points_bounds(points: pd.DataFrame) -> tuple[float, float, float, float]:
    return (float(points["lon"].min()), float(points["lat"].min()), float(points["lon"].max()), float(points["lat"].max()))


def initial_view(points: pd.DataFrame, boundaries: dict) -> dict:
    """Start on China; with a selection, fit the points shown (a single point is not zoomed in to street level)."""
    if points.empty:
        return fit_view(china_bounds(boundaries), padding=0.02)
    return fit_view(points_bounds(points))


# --- The province outlines served to the browser --------------------------------------------

def boundaries_for_map(boundaries: dict) -> dict:
    """The province FeatureCollection with the tooltip properties ``title`` and ``details`` added."""
    features = []
    for feature in boundaries["features"]:
        properties = dict(feature["properties"])
        properties["title"] = " · ".join(
            part for part in (_text(properties.get("name_en")), _text(properties.get("name_zh"))) if part
        )
        properties["details"] = (_text(properties.get("kind")) or "provincial-level division").capitalize()
        features.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def province_labels(boundaries: dict) -> list[dict]:
    """One label per province at a point inside it, with the same tooltip fields as the facilities."""
    points = _province_label_points(boundaries)
    labels = []
    for feature in boundaries_for_map(boundaries)["features"]:
        properties = feature["properties"]
        lon, lat = points[properties["name_en"]]
        labels.append({"lon": lon, "lat": lat, "name_en": properties["name_en"],
                       "title": properties["title"], "details": properties["details"]})
    return labels


def static_boundaries_text(boundaries: dict) -> str:
    """The exact bytes of ``static/provinces.geojson`` (compact, so the browser loads little)."""
    return json.dumps(boundaries_for_map(boundaries), ensure_ascii=False, separators=(",", ":"))


def write_static_boundaries(source: Path, static_dir: Path = STATIC_DIR) -> Path:
    """Write ``static/provinces.geojson`` from the data package's boundaries if it is missing or stale."""
    target = Path(static_dir) / STATIC_BOUNDARIES_NAME
    text = static_boundaries_text(json.loads(Path(source).read_text(encoding="utf-8")))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


@lru_cache(maxsize=4)
def _ensure_static_boundaries(source: str, mtime: float, static_dir: str) -> bool:
    try:
        write_static_boundaries(Path(source), Path(static_dir))
        return True
    except OSError:
        return False


def ensure_static_boundaries(source: Path, static_dir: Path = STATIC_DIR) -> bool:
    """True when the served copy is up to date (checked once per change of the source file)."""
    source = Path(source)
    return _ensure_static_boundaries(str(source), source.stat().st_mtime, str(static_dir))


# --- The deck -------------------------------------------------------------------------------

def deck_points(facilities: pd.DataFrame, measure: SizeMeasure, as_of_year: int | None = None) -> list[dict]:
    """One plain dict per drawable facility: position, colours, radius and tooltip text (JSON-ready)."""
    points = located(facilities)
    values = size_values(points, measure)
    radii = point_radii(values, measure)
    kinds = site_kind(points) if len(points) else pd.Series(dtype=object)
    records = []
    for index, row in points.iterrows():
        colour = field_colour(row["field"])
        # A hollow ring says "this measure is not known here"; it is never drawn as a small value.
        known = measure.column is None or pd.notna(values[index])
        records.append({
            "id": str(row["id"]),
            "name_en": tooltip_title(row),
            "lon": float(row["lon"]),
            "lat": float(row["lat"]),
            "field": _text(row["field"]) or NOT_KNOWN,
            "site_kind": kinds[index],
            "glyph": SITE_KIND_GLYPHS.get(kinds[index], ""),
            "radius": round(float(radii[index]), 2),
            "fill": _rgb(colour, 220 if known else 0),
            "line": _rgb(colour),
            "title": tooltip_title(row),
            "details": tooltip_details(row, as_of_year),
        })
    return records


TOOLTIP = {
    "html": "<b>{title}</b><br/>{details}",
    "style": {
        "whiteSpace": "pre-line",
        "maxWidth": "320px",
        "fontSize": "13px",
        "lineHeight": "1.35",
        "backgroundColor": "#1F2933",
        "color": "#FFFFFF",
    },
}


def facility_deck(
    facilities: pd.DataFrame,
    boundaries: dict,
    *,
    measure: SizeMeasure = SIZE_MEASURES["uniform"],
    as_of_year: int | None = None,
    online_basemap: bool = False,
    carto_key: str | None = None,
    boundaries_url: str | None = STATIC_BOUNDARIES_URL,
) -> pdk.Deck:
    """The facilities as points coloured by field over the province outlines.

    ``boundaries_url`` is where the browser fetches the outlines (Streamlit's static
    serving); pass None to inline ``boundaries`` instead (when the static copy cannot be written).
    """
    points = deck_points(facilities, measure, as_of_year)
    province_layer = pdk.Layer(
        "GeoJsonLayer",
        id=PROVINCE_LAYER_ID,
        data=boundaries_url or boundaries_for_map(boundaries),
        filled=True,
        stroked=True,
        get_fill_color=PROVINCE_FILL_ONLINE if online_basemap else PROVINCE_FILL_OFFLINE,
        get_line_color=PROVINCE_LINE,
        line_width_min_pixels=1,
        # Not pickable: in Streamlit 1.67 a pickable GeoJsonLayer stops on_select from reporting any click
        # (measured: with it, clicks on points return an empty selection). Names come from the label layer.
        pickable=False,
    )
    label_layer = pdk.Layer(
        "TextLayer",
        id=PROVINCE_LABEL_LAYER_ID,
        data=province_labels(boundaries),
        get_position=["lon", "lat"],
        get_text="name_en",
        get_size=11,
        get_color=[110, 110, 110, 255],
        font_family=pdk.types.String("Noto Sans, DejaVu Sans, Arial, sans-serif"),
        pickable=True,
    )
    facility_layer = pdk.Layer(
        "ScatterplotLayer",
        id=FACILITY_LAYER_ID,
        data=points,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units=pdk.types.String("pixels"),
        get_fill_color="fill",
        get_line_color="line",
        stroked=True,
        filled=True,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=2,
        pickable=True,
        auto_highlight=True,
    )
    marked = [p for p in points if p["glyph"]]
    glyph_layer = pdk.Layer(
        "TextLayer",
        id=SITE_KIND_LAYER_ID,
        data=[{"lon": p["lon"], "lat": p["lat"], "glyph": p["glyph"], "offset": [0, -(p["radius"] + 9)]} for p in marked],
        get_position=["lon", "lat"],
        get_text="glyph",
        get_size=13,
        get_color=MARKER_TEXT_COLOUR,
        get_pixel_offset="offset",
        # pydeck turns plain strings into accessors ("@@=..."); these two are literal values.
        character_set=pdk.types.String("".join(SITE_KIND_GLYPHS.values())),
        font_family=pdk.types.String("Noto Sans, DejaVu Sans, Arial, sans-serif"),
        pickable=False,
    )
    view = initial_view(located(facilities), boundaries)
    deck_options = {}
    if online_basemap:
        deck_options = {"map_provider": "carto", "map_style": "light"}
        if carto_key:
            deck_options["api_keys"] = {"carto": carto_key}
    else:
        deck_options = {"map_provider": None}
    return pdk.Deck(
        layers=[province_layer, label_layer, facility_layer, glyph_layer],
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        tooltip=TOOLTIP,
        **deck_options,
    )


# --- Legend and words -----------------------------------------------------------------------

def legend_table(facilities: pd.DataFrame, measure: SizeMeasure = SIZE_MEASURES["uniform"]) -> pd.DataFrame:
    """Fields on the map with their colour and count, then the shapes: what the legend shows."""
    points = located(facilities)
    counts = points["field"].value_counts()
    rows = [
        {"symbol": "circle", "colour": field_colour(field), "label": str(field), "count": int(counts[field])}
        for field in [f for f in FIELD_COLOURS if f in counts.index] + [f for f in counts.index if f not in FIELD_COLOURS]
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


def _top_provinces(facilities: pd.DataFrame, limit: int = 3) -> str:
    counts = facilities["province"].dropna().value_counts()
    top = counts.head(limit)
    return ", ".join(f"{province} ({count})" for province, count in top.items())


def map_alt_text(facilities: pd.DataFrame, measure: SizeMeasure = SIZE_MEASURES["uniform"],
                 as_of_year: int | None = None) -> str:
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
        f"province{'' if provinces == 1 else 's'}, coloured by field"
    )
    if measure.column is not None:
        sentence += f" and sized by {measure.noun} ({measure.unit})"
    sentence += f". Most facilities: {_top_provinces(points)}."
    sentence += f" Most common field: {fields.index[0]} ({int(fields.iloc[0])})."
    marks = [f"{int(kinds[k])} {k}" for k in (UNDERGROUND, HIGH_ALTITUDE) if kinds.get(k, 0)]
    if marks:
        sentence += f" Sites marked: {' and '.join(marks)}."
    if measure.column is not None:
        values = size_values(points, measure)
        if values.notna().any():
            top = points.loc[values.idxmax()]
            sentence += (
                f" Largest {measure.noun}: {tooltip_title(top)}, "
                f"{_fmt(values.max(), measure.unit)}."
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
    for _, row in facilities.iterrows():
        rows.append({
            "Facility": tooltip_title(row),
            "Chinese name": _text(row["name_zh"]) or NOT_KNOWN,
            "Acronym": _text(row["acronym"]) or "",
            "Field": _text(row["field"]) or NOT_KNOWN,
            "Province": _text(row["province"]) or NOT_KNOWN,
            "Place": _text(row["location"]) or NOT_KNOWN,
            status_column: status_text(row, as_of_year).replace(f" in {as_of_year}", "") if as_of_year is not None
            else status_text(row),
            "Depth (m)": _fmt(row["depth_m"]) if pd.notna(row["depth_m"]) else "",
            "Altitude (m)": _fmt(row["altitude_m"]) if pd.notna(row["altitude_m"]) else "",
            "First operation (year)": _year(row["first_operation"]),
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


# --- Plotly figures (export and choropleth) -------------------------------------------------

def _polygon_rings(boundaries: dict) -> dict[str, list[list[tuple[float, float]]]]:
    """Exterior rings per province name, clockwise (holes are left out: they would be filled over anyway).

    Plotly's geo fill follows d3-geo's spherical winding: a counter-clockwise ring (GeoJSON's own order)
    encloses the rest of the globe, which paints the whole map in the province's colour.
    """
    from shapely.geometry import Polygon
    from shapely.geometry.polygon import orient

    rings: dict[str, list] = {}
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings[feature["properties"]["name_en"]] = [
            list(orient(Polygon(polygon[0]), sign=-1.0).exterior.coords) for polygon in polygons
        ]
    return rings


def _ring_lines(rings: list[list]) -> tuple[list, list]:
    lons: list = []
    lats: list = []
    for ring in rings:
        lons += [point[0] for point in ring] + [None]
        lats += [point[1] for point in ring] + [None]
    return lons, lats


def _geo_layout(figure: go.Figure, bounds: tuple[float, float, float, float], *, padding: float = 0.08) -> None:
    """Every base layer off (no topojson fetch), Mercator, framed on ``bounds``."""
    west, south, east, north = bounds
    pad_lon = max((east - west) * padding, 1.5)
    pad_lat = max((north - south) * padding, 1.0)
    figure.update_geos(
        visible=False,
        showland=False, showocean=False, showlakes=False, showrivers=False,
        showcountries=False, showcoastlines=False, showsubunits=False, showframe=False,
        projection_type="mercator",
        lonaxis_range=[west - pad_lon, east + pad_lon],
        lataxis_range=[max(south - pad_lat, -80), min(north + pad_lat, 80)],
        bgcolor="rgba(0,0,0,0)",
    )


def _outline_trace(boundaries: dict, *, fill: str = "#EEECE4") -> go.Scattergeo:
    lons, lats = [], []
    for rings in _polygon_rings(boundaries).values():
        ring_lons, ring_lats = _ring_lines(rings)
        lons += ring_lons
        lats += ring_lats
    return go.Scattergeo(
        lon=lons, lat=lats, mode="lines", fill="toself", fillcolor=fill,
        line={"color": "#8C8C8C", "width": 0.6}, hoverinfo="skip", showlegend=False, name="Province outlines",
    )


def facility_points_chart(
    facilities: pd.DataFrame,
    boundaries: dict,
    sources: pd.DataFrame,
    *,
    measure: SizeMeasure = SIZE_MEASURES["uniform"],
    as_of_year: int | None = None,
) -> Chart:
    """The map's points on a Plotly geo figure: what the PNG/SVG export of the map draws (fully offline)."""
    shown = facilities if "status_shown" in facilities.columns else with_shown_status(facilities, as_of_year)
    points = located(shown)
    title = "Where the facilities are" + (f", as of {as_of_year}" if as_of_year is not None else "")
    figure = go.Figure()
    figure.add_trace(_outline_trace(boundaries))
    values = size_values(points, measure)
    diameters = point_radii(values, measure) * 2
    kinds = site_kind(points) if len(points) else pd.Series(dtype=object)
    fields_present = [f for f in FIELD_COLOURS if f in set(points["field"])] + sorted(
        set(points["field"].dropna()) - set(FIELD_COLOURS)
    )
    for field in fields_present:
        of_field = points[points["field"] == field]
        # Plotly's legend shows the first point's symbol: put a plain circle first where there is one.
        of_field = of_field.iloc[(kinds[of_field.index] != SURFACE).astype(int).to_numpy().argsort(kind="stable")]
        symbols = []
        for index in of_field.index:
            symbol = SITE_KIND_PLOTLY_SYMBOLS[kinds[index]]
            if measure.column is not None and pd.isna(values[index]):
                symbol += "-open"
            symbols.append(symbol)
        hover = [
            f"<b>{_plotly_text(tooltip_title(row))}</b><br>"
            + escape_plotly(tooltip_details(row, as_of_year)).replace("\n", "<br>")
            for _, row in of_field.iterrows()
        ]
        figure.add_trace(go.Scattergeo(
            lon=of_field["lon"].astype(float).tolist(), lat=of_field["lat"].astype(float).tolist(),
            mode="markers", name=escape_plotly(str(field)),
            marker={
                "color": field_colour(field), "size": diameters[of_field.index].round(1).tolist(),
                "symbol": symbols, "line": {"color": "#333333", "width": 0.6}, "opacity": 0.9,
            },
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        ))
    # Legend entries for the shapes (no points of their own).
    for kind in (UNDERGROUND, HIGH_ALTITUDE):
        if len(kinds) and (kinds == kind).any():
            figure.add_trace(go.Scattergeo(
                lon=[None], lat=[None], mode="markers", name=f"{kind} site",
                marker={"symbol": SITE_KIND_PLOTLY_SYMBOLS[kind], "color": "#555555", "size": 11},
                hoverinfo="skip",
            ))
    bounds = points_bounds(points) if len(points) else china_bounds(boundaries)
    _geo_layout(figure, bounds)
    base_layout(figure)
    figure.update_layout(height=560, legend={"title": {"text": "Field"}})
    size_note = "" if measure.column is None else (
        f" Point area is proportional to {measure.noun} ({measure.unit}); open symbols: not known"
        + (" or not reported in CNY." if measure.currency else ".")
    )
    return Chart(
        slug="facility-map" + (f"-{as_of_year}" if as_of_year is not None else ""),
        title=title,
        figure=figure,
        source_line=map_source_line(shown, sources),
        alt_text=map_alt_text(shown, measure, as_of_year),
        data=map_table(shown, as_of_year),
        note=("Facilities coloured by field; ▼ underground, ▲ high-altitude sites." + size_note).strip(),
    )


def facilities_by_province(facilities: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Facilities and known reported cost per province; every province listed, plus a row for facilities with none.

    Costs are summed only where reported in CNY (USD figures are not converted), so the sum is a lower bound.
    """
    is_cny = facilities["cost_currency"] == "CNY"
    cny_cost = pd.to_numeric(facilities["cost_value"], errors="coerce").astype("float64").where(is_cny.fillna(False).astype(bool))
    frame = pd.DataFrame({
        "province": facilities["province"].astype(object).where(facilities["province"].notna(), NO_PROVINCE_LABEL),
        "cost": cny_cost,
    })
    grouped = frame.groupby("province", dropna=False).agg(
        facilities=("cost", "size"), costed=("cost", "count"), cost=("cost", "sum")
    )
    table = provinces[["name_en", "name_zh"]].rename(columns={"name_en": "province"}).set_index("province")
    table = table.join(grouped, how="left")
    if NO_PROVINCE_LABEL in grouped.index:
        extra = grouped.loc[[NO_PROVINCE_LABEL]].assign(name_zh="")
        table = pd.concat([table, extra])
    table["facilities"] = table["facilities"].fillna(0).astype(int)
    table["costed"] = table["costed"].fillna(0).astype(int)
    table["cost"] = table["cost"].where(table["costed"] > 0)
    table = table.reset_index().rename(columns={"index": "province"})
    return table[["province", "name_zh", "facilities", "costed", "cost"]]


def province_table(by_province: pd.DataFrame) -> pd.DataFrame:
    """The numbers beside the choropleth, with readable column names and units (provinces with none at the end)."""
    ordered = by_province.sort_values(["facilities", "province"], ascending=[False, True])
    return pd.DataFrame({
        "Province": ordered["province"],
        "Chinese name": ordered["name_zh"],
        "Facilities (count)": ordered["facilities"],
        "Known reported cost (CNY million)": [
            _fmt(round(v, 1)) if pd.notna(v) else NOT_KNOWN for v in ordered["cost"]
        ],
        "Facilities with a cost in CNY (count)": ordered["costed"],
    }).reset_index(drop=True)


def province_choropleth_chart(
    facilities: pd.DataFrame,
    provinces: pd.DataFrame,
    boundaries: dict,
    sources: pd.DataFrame,
    *,
    measure: str = "count",
) -> Chart:
    """Facilities (or known reported cost in CNY) per province, as filled province polygons."""
    title, colour_title = PROVINCE_MEASURES[measure]
    by_province = facilities_by_province(facilities, provinces)
    value_column = "facilities" if measure == "count" else "cost"
    values = by_province.set_index("province")[value_column]
    top = values.max() if values.notna().any() else 0
    top = float(top) if pd.notna(top) and top > 0 else 1.0
    rings = _polygon_rings(boundaries)
    centres = _province_label_points(boundaries)
    figure = go.Figure()
    for province, province_rings in rings.items():
        colour = choropleth_fill(values.get(province), top)
        lons, lats = _ring_lines(province_rings)
        figure.add_trace(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", fill="toself", fillcolor=colour,
            line={"color": "#8C8C8C", "width": 0.6}, hoverinfo="skip", showlegend=False, name=escape_plotly(province),
        ))
    # One marker per province carries the hover text and the colour bar.
    names = [p for p in rings if p in centres]
    marker_values = [float(values.get(p)) if pd.notna(values.get(p)) else 0.0 for p in names]
    zh = by_province.set_index("province")["name_zh"]
    counts = by_province.set_index("province")["facilities"]
    costs = by_province.set_index("province")["cost"]
    hover = [
        f"<b>{escape_plotly(p)}</b> {escape_plotly(str(zh.get(p, '')))}<br>"
        f"Facilities: {int(counts.get(p, 0))}<br>"
        f"Known reported cost: {_fmt(round(costs.get(p), 1), 'CNY million') if pd.notna(costs.get(p)) else NOT_KNOWN}"
        for p in names
    ]
    figure.add_trace(go.Scattergeo(
        lon=[centres[p][0] for p in names], lat=[centres[p][1] for p in names], mode="markers",
        marker={
            "size": 7, "color": marker_values, "cmin": 0, "cmax": top,
            "colorscale": choropleth_colourscale(),
            "line": {"color": "#555555", "width": 0.5},
            "colorbar": {"title": {"text": colour_title, "side": "right"}, "thickness": 12, "len": 0.7},
            "showscale": True,
        },
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name=colour_title,
    ))
    _geo_layout(figure, china_bounds(boundaries), padding=0.02)
    base_layout(figure)
    figure.update_layout(height=520)
    table = province_table(by_province)
    total = int(by_province["facilities"].sum())
    with_any = int((by_province.loc[by_province["province"] != NO_PROVINCE_LABEL, "facilities"] > 0).sum())
    if measure == "count":
        alt = (
            f"Choropleth of China's provinces by number of facilities: {total} facilit{'y' if total == 1 else 'ies'} "
            f"in {with_any} of {len(provinces)} provinces"
        )
        alt += f"; most: {_top_provinces(facilities)}." if with_any else "."
    else:
        costed = by_province[by_province["cost"].notna() & (by_province["province"] != NO_PROVINCE_LABEL)]
        alt = f"Choropleth of China's provinces by known reported cost in CNY million: {len(costed)} provinces have a known cost"
        if len(costed):
            best = costed.sort_values("cost", ascending=False).iloc[0]
            alt += f"; highest: {best['province']}, {_fmt(round(best['cost'], 1), 'CNY million')}"
        alt += f"; {int(by_province['costed'].sum())} of {total} facilities have a cost reported in CNY."
    unplaced = int(by_province.loc[by_province["province"] == NO_PROVINCE_LABEL, "facilities"].sum())
    if unplaced:
        alt += f" {unplaced} facilit{'y has' if unplaced == 1 else 'ies have'} no province."
    note = (
        "Grey: none. Costs are nominal, in the year reported, summed only where reported in CNY "
        "(USD figures are not converted), so sums are lower bounds."
        if measure == "cost" else "Grey: no facility in the current selection."
    )
    return Chart(
        slug=f"province-{'facilities' if measure == 'count' else 'cost'}",
        title=title,
        figure=figure,
        source_line=source_line(facilities["source_ids"].dropna(), sources),
        alt_text=alt,
        data=table,
        note=note,
    )


def choropleth_fill(value: object, top: float) -> str:
    """The fill of a province: grey for none, else the sequential scale from its pale end (kept off white)."""
    if value is None or pd.isna(value) or value == 0:
        return CHOROPLETH_ZERO_COLOUR
    return plotly.colors.sample_colorscale(CHOROPLETH_COLOURSCALE, [0.15 + 0.85 * float(value) / top])[0]


def choropleth_colourscale(steps: int = 9) -> list[list]:
    """The colour bar matching ``choropleth_fill``: grey at zero, then the scale."""
    scale = [[0.0, CHOROPLETH_ZERO_COLOUR]]
    for i in range(steps):
        t = i / (steps - 1)
        colour = plotly.colors.sample_colorscale(CHOROPLETH_COLOURSCALE, [0.15 + 0.85 * t])[0]
        scale.append([max(t, 1e-4), colour])
    return scale


def _province_label_points(boundaries: dict) -> dict[str, tuple[float, float]]:
    """A point inside each province's largest polygon (for hover markers)."""
    from shapely.geometry import shape

    points = {}
    for feature in boundaries["features"]:
        geometry = shape(feature["geometry"])
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
        point = largest.representative_point()
        points[feature["properties"]["name_en"]] = (round(point.x, 3), round(point.y, 3))
    return points


# --- Selection ------------------------------------------------------------------------------

def selected_facility_id(selection: object) -> str | None:
    """The facility id picked on the deck, from Streamlit's ``on_select`` state (None when nothing is picked)."""
    try:
        objects = selection["selection"]["objects"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    picked = (objects or {}).get(FACILITY_LAYER_ID) or []
    if not picked:
        return None
    facility_id = picked[0].get("id") if isinstance(picked[0], dict) else None
    return str(facility_id) if facility_id else None


def selected_province(selection: object) -> str | None:
    """The province whose name label was clicked on the deck (the outlines themselves are not pickable)."""
    try:
        objects = selection["selection"]["objects"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    picked = (objects or {}).get(PROVINCE_LABEL_LAYER_ID) or []
    if not picked or not isinstance(picked[0], dict):
        return None
    properties = picked[0].get("properties") or picked[0]
    name = properties.get("name_en") if isinstance(properties, dict) else None
    return str(name) if name else None


def facility_key_facts(row: pd.Series, sources: pd.DataFrame) -> pd.DataFrame:
    """The selected facility's key facts as a two-column table (shown under the map)."""
    cost = NOT_KNOWN
    if pd.notna(row["cost_value"]):
        cost = _fmt(row["cost_value"], f"million {_text(row['cost_currency']) or ''}".strip(),
                            approximate=bool(row["cost_is_estimate"]) if pd.notna(row["cost_is_estimate"]) else False)
        if pd.notna(row["cost_price_year"]):
            cost += f" (reported {int(row['cost_price_year'])})"
    first = _year(row["first_operation"])
    if _text(row["first_operation_event"]):
        first += f": {_text(row['first_operation_event'])}"
    start = _year(row["construction_start"])
    if _text(row["construction_start_event"]):
        start += f": {_text(row['construction_start_event'])}"
    scale = _text(row["scale_description"]) or (
        _fmt(row["scale_value"], _text(row["scale_unit"]) or "") if pd.notna(row["scale_value"]) else NOT_KNOWN
    )
    status = status_text(row)
    if _text(row["status_note"]):
        status += f"; {_text(row['status_note'])}"
    facts = [
        ("Name", tooltip_title(row)),
        ("Chinese name", _text(row["name_zh"]) or NOT_KNOWN),
        ("Acronym", _text(row["acronym"]) or NOT_KNOWN),
        ("Field", _text(row["field"]) or NOT_KNOWN),
        ("Place", place_text(row)),
        ("Status", status),
        ("Construction start", start),
        ("First operation", first),
        ("Depth or altitude", depth_or_altitude_text(row) or "not applicable (surface site)"),
        ("Operator", _text(row["operator"]) or NOT_KNOWN),
        ("Funding", _text(row["funding"]) or NOT_KNOWN),
        ("Scale", scale),
        ("Cost", cost),
        ("Map point", precision_text(row) or ("facility site" if pd.notna(row["lat"]) else "no coordinates")),
        ("Sources", source_line([row["source_ids"]], sources, limit=6).removeprefix("Source: ")),
    ]
    return pd.DataFrame(facts, columns=["Fact", "Value"])


# --- Everything the page draws with Plotly --------------------------------------------------

def page_charts(catalogue, selection: FacilityFilter, *, measure: str = "uniform",
                as_of_year: int | None = None, province_measure: str = "count") -> list[Chart]:
    """Every Plotly chart of the map page for ``selection`` (default controls unless given)."""
    facilities = with_shown_status(filter_facilities(catalogue.facilities, selection), as_of_year)
    boundaries = catalogue.boundaries_geojson
    return [
        facility_points_chart(facilities, boundaries, catalogue.sources, measure=SIZE_MEASURES[measure],
                              as_of_year=as_of_year),
        province_choropleth_chart(facilities, catalogue.provinces, boundaries, catalogue.sources,
                                  measure=province_measure),
    ]
