"""What the map modules share: layer ids, the measures points are sized by, colours, and small cell helpers."""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from china_bigscience.safe_text import escape_plotly
from china_bigscience import PROJECT_DIR
from china_bigscience.cells import cell_text  # noqa: F401 (the map modules import it from here)
from china_bigscience.charts import FIELD_COLOURS, NOT_KNOWN, format_value
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.national_list import NATIONAL_LIST_COLOURS, NATIONAL_LIST_STATES, national_list_states

# --- Identifiers shared by the deck, the page and the tests ---------------------------------

FACILITY_LAYER_ID = "facilities"
SITE_KIND_LAYER_ID = "site-kind-markers"
FIELD_KEY_LAYER_ID = "field-keys"
PROVINCE_LAYER_ID = "provinces"
PROVINCE_LABEL_LAYER_ID = "province-names"
# The outline images' layers are this id and the image's name ("province-outlines-china").
OUTLINE_LAYER_ID = "province-outlines"

STATIC_DIR = PROJECT_DIR / "static"
STATIC_BOUNDARIES_NAME = "provinces.geojson"
# Relative, so that it also resolves when the app runs under a server.baseUrlPath
# (every page URL is one segment deep: /<base>/map -> /<base>/app/static/...).
STATIC_BOUNDARIES_URL = f"app/static/{STATIC_BOUNDARIES_NAME}"

def write_file_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` that then replaces it: a browser fetching a served file
    never reads half of one. Readable by all (a web server may run as another user)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
                                     delete=False) as temporary:
        temporary.write(data)
    os.chmod(temporary.name, 0o644)
    os.replace(temporary.name, target)


# --- Web Mercator, the deck's projection (the outline images are drawn in it) ------------------

def mercator_y(lat: float) -> float:
    """The Web Mercator y (radians) of a latitude, clamped to the projection's +-85 degrees."""
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def world_px_per_radian(zoom: float) -> float:
    """deck.gl's world is 512 px wide at zoom 0, and twice as wide at each zoom level."""
    return 512 * 2 ** zoom / (2 * math.pi)


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


# The column each size measure reads, and the currency its rows must be in; its words are maps.size.<key>.*.
_SIZE_COLUMNS = {"uniform": (None, None), "cost": ("cost_value", "CNY"), "depth": ("depth_m", None),
                 "altitude": ("altitude_m", None)}


def size_measure(key: str, tr: Translator = ENGLISH) -> SizeMeasure:
    """A size measure with its label, unit and noun in the reader's language."""
    column, currency = _SIZE_COLUMNS[key]
    words = f"maps.size.{key}"
    return SizeMeasure(key, tr(f"{words}.label"), column, tr(f"{words}.unit"), tr(f"{words}.noun"), currency=currency)


SIZE_MEASURES = {key: size_measure(key) for key in _SIZE_COLUMNS}


def province_measure(key: str, tr: Translator = ENGLISH) -> tuple[str, str]:
    """(chart title, colour-bar title) of a choropleth measure ('count' or 'cost')."""
    return tr(f"maps.province_measure.{key}.title"), tr(f"maps.province_measure.{key}.axis")


PROVINCE_MEASURES = {key: province_measure(key) for key in ("count", "cost")}
# The data value for facilities with no province (the display name is maps.no_province).
NO_PROVINCE_LABEL = "No province (offshore or not yet sited)"

CHOROPLETH_COLOURSCALE = "YlOrBr"  # ColorBrewer sequential, colour-blind safe
CHOROPLETH_ZERO_COLOUR = "#E9E9E9"

# The view fitted to the points assumes a map as narrow as a phone's (390 px viewport): deck.gl's JSON
# view cannot fit bounds to the real width, and a wider screen merely shows more land around the points.
ASSUMED_MAP_PX = (370, 540)
MAX_FIT_ZOOM = 7.0


# --- Small helpers --------------------------------------------------------------------------

def _number(value: object) -> object:
    """A numpy scalar as the Python number ``format_value`` expects (thousands separators)."""
    return value.item() if hasattr(value, "item") else value


def format_cell(value: object, unit: str = "", **options) -> str:
    return format_value(_number(value), unit, **options)


def year_text(value: object, tr: Translator = ENGLISH) -> str:
    return tr("common.not_known") if value is None or pd.isna(value) else str(int(value))


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    hex_colour = hex_colour.lstrip("#")
    return [int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def field_colour(field: object) -> str:
    return FIELD_COLOURS.get(str(field), UNKNOWN_FIELD_COLOUR)


# What the points can be coloured by (the link's map_colour value); ``colour_by_label`` names each for readers.
COLOUR_BY = ("field", "national list")


def colour_by_label(colour_by: str, tr: Translator = ENGLISH) -> str:
    """'Field' or 'National list' in the reader's language."""
    return tr(f"maps.colour_by_choice.{colour_by}")


def colour_group_label(group: str, colour_by: str = "field", tr: Translator = ENGLISH) -> str:
    """A colour group in the reader's language: a field's display name, or a national-list state."""
    if group == NOT_KNOWN:
        return tr("common.not_known")
    return tr.value("national_list", group) if colour_by == "national list" else tr.field(group)


def colour_groups(facilities: pd.DataFrame, colour_by: str = "field") -> tuple[pd.Series, dict[str, str]]:
    """Each facility's colour group (its field, or its national-list state) and the groups' colours, in legend order.

    Only groups that occur are returned; fields outside ``FIELD_COLOURS`` follow in name order, in grey.
    """
    if colour_by == "national list":
        groups = national_list_states(facilities).astype(object)
        present = set(groups)
        return groups, {state: NATIONAL_LIST_COLOURS[state] for state in NATIONAL_LIST_STATES if state in present}
    groups = facilities["field"].astype(object).where(facilities["field"].notna(), NOT_KNOWN)
    present = set(groups)
    ordered = [f for f in FIELD_COLOURS if f in present] + sorted(present - set(FIELD_COLOURS))
    return groups, {field: field_colour(field) for field in ordered}


def plotly_text(value: object, tr: Translator = ENGLISH) -> str:
    """A data string for Plotly text and hover labels, which render a small HTML subset."""
    text = cell_text(value)
    return escape_plotly(text) if text else tr("common.not_known")


