"""The pydeck deck: points over the provinces and their outlines (served as static files: GeoJSON, images), and click selection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pydeck as pdk

from china_bigscience.charts import FIELD_KEYS, contrast_ratio, names_text
from china_bigscience.geography import province_geometry
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import display_name, short_labels
from china_bigscience.maps.common import (
    FACILITY_LAYER_ID,
    FIELD_KEY_LAYER_ID,
    MARKER_TEXT_COLOUR,
    OUTLINE_LAYER_ID,
    PROVINCE_FILL_OFFLINE,
    PROVINCE_FILL_ONLINE,
    PROVINCE_LABEL_LAYER_ID,
    PROVINCE_LAYER_ID,
    PROVINCE_LINE,
    SITE_KIND_GLYPHS,
    SITE_KIND_LAYER_ID,
    SIZE_MEASURES,
    STATIC_BOUNDARIES_NAME,
    STATIC_BOUNDARIES_URL,
    STATIC_DIR,
    SizeMeasure,
    cell_text,
    colour_groups,
    rgb,
    write_file_atomically,
)
from china_bigscience.maps.outline_images import OutlineImage, images_for_view
from china_bigscience.maps.view import initial_view, provinces_shown_whole
from china_bigscience.maps.words import located, point_radii, site_kind, size_values, tooltip_details

# --- The province outlines served to the browser --------------------------------------------

def _tooltip_properties(properties: dict, tr: Translator = ENGLISH) -> dict:
    """A province's ``title`` and ``details``: the tooltip fields every pickable object must carry (deck.gl #6799)."""
    names = (cell_text(properties.get("name_en")), cell_text(properties.get("name_zh")))
    title = " · ".join(part for part in (names[::-1] if tr.is_chinese else names) if part)
    kind = cell_text(properties.get("kind"))
    details = tr.value("province_kind", kind) if kind else tr("maps.provincial_division")
    return {"title": title, "details": details[:1].upper() + details[1:]}


def boundaries_for_map(boundaries: dict) -> dict:
    """The province FeatureCollection with the tooltip properties ``title`` and ``details`` added."""
    features = [
        {"type": "Feature", "properties": {**feature["properties"], **_tooltip_properties(feature["properties"])},
         "geometry": feature["geometry"]}
        for feature in boundaries["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


def province_labels(boundaries: dict, tr: Translator = ENGLISH) -> list[dict]:
    """One label per province at a point inside it, with the same tooltip fields as the facilities."""
    points = province_geometry(boundaries).label_points
    labels = []
    for feature in boundaries["features"]:
        properties = feature["properties"]
        lon, lat = points[properties["name_en"]]
        labels.append({"lon": lon, "lat": lat, "name_en": properties["name_en"],
                       "label": tr.province(properties["name_en"], properties.get("name_zh")),
                       **_tooltip_properties(properties, tr)})
    return labels


def static_boundaries_text(boundaries: dict) -> str:
    """The exact bytes of ``static/provinces.geojson`` (compact, so the browser loads little)."""
    return json.dumps(boundaries_for_map(boundaries), ensure_ascii=False, separators=(",", ":"))


def write_static_boundaries(source: Path, static_dir: Path = STATIC_DIR) -> Path:
    """Write ``static/provinces.geojson`` from the data package's boundaries if it is missing or stale.

    A build step (``make static``, ``scripts/write_static_files.py``), never called from a page: the
    running app only reads the file. The new text goes to a temporary file in the same folder that
    then replaces the old one, so a browser never reads a half-written file.
    """
    target = Path(static_dir) / STATIC_BOUNDARIES_NAME
    text = static_boundaries_text(json.loads(Path(source).read_text(encoding="utf-8")))
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return target
    write_file_atomically(target, text.encode("utf-8"))
    return target


STATIC_BOUNDARIES_MISSING = (
    "The province outlines are drawn from the data in this page, because the served copy "
    "static/provinces.geojson is missing or older than data/provinces.geojson. "
    "Rebuild it with `make static` (or `python scripts/write_static_files.py`)."
)


@lru_cache(maxsize=4)
def _static_boundaries_current(source: str, source_mtime: float, target: str, target_mtime: float) -> bool:
    return Path(target).read_text(encoding="utf-8") == static_boundaries_text(
        json.loads(Path(source).read_text(encoding="utf-8")))


def ensure_static_boundaries(source: Path, static_dir: Path = STATIC_DIR) -> bool:
    """True when the served copy matches the data package's boundaries (read only; checked once per file change).

    When it is False the page inlines the outlines and says ``STATIC_BOUNDARIES_MISSING``.
    """
    source, target = Path(source), Path(static_dir) / STATIC_BOUNDARIES_NAME
    try:
        return _static_boundaries_current(str(source), source.stat().st_mtime, str(target), target.stat().st_mtime)
    except OSError:
        return False


# --- The deck -------------------------------------------------------------------------------

def deck_points(facilities: pd.DataFrame, measure: SizeMeasure, as_of_year: int | None = None,
                colour_by: str = "field", tr: Translator = ENGLISH) -> list[dict]:
    """One plain dict per drawable facility: position, colours (by ``colour_by``), radius and tooltip text (JSON-ready).

    Only what the layers and the tooltip read: every key is sent once per point (2,250 points at 30x).
    """
    points = located(facilities)
    groups, group_colours = colour_groups(points, colour_by)
    values = size_values(points, measure)
    radii = point_radii(values, measure)
    kinds = site_kind(points) if len(points) else pd.Series(dtype=object)
    sharing = _sharing_a_point(points, tr)
    records = []
    for row, value, radius, kind, group in zip(points.to_dict("records"), values, radii, kinds, groups):
        colour = group_colours[group]
        # A hollow ring says "this measure is not known here"; it is never drawn as a small value.
        known = measure.column is None or pd.notna(value)
        # The field's key letter on the point (colour_by field): the field is told by a letter, not by colour alone.
        key = FIELD_KEYS.get(str(row["field"]), "") if colour_by == "field" else ""
        light_ink = known and contrast_ratio(colour, "#FFFFFF") > contrast_ratio(colour, "#191919")
        records.append({
            "id": str(row["id"]),
            "key": key,
            "light_ink": light_ink,
            # Four decimals are about 10 m, finer than any coordinate in the data (town level at best), and keep
            # the deck small: each point's position is sent once per layer that draws it.
            "lon": round(float(row["lon"]), 4),
            "lat": round(float(row["lat"]), 4),
            "glyph": SITE_KIND_GLYPHS.get(kind, ""),
            "radius": round(float(radius), 2),
            "fill": rgb(colour, 220 if known else 0),
            "title": display_name(row, tr),
            "details": tooltip_details(row, as_of_year, tr) + sharing.get(str(row["id"]), ""),
        })
    return records


# Names listed in a tooltip for facilities drawn at the same point, before "and N more".
SHARED_POINT_NAMES = 4


def _sharing_a_point(points: pd.DataFrame, tr: Translator) -> dict[str, str]:
    """{facility id: the tooltip line naming the others drawn at its point}: city-level points coincide (seven
    Beijing networks at the city's centre) and a tooltip shows only the top one, so each says who is beneath."""
    if points.empty:
        return {}
    frame = pd.DataFrame({"id": points["id"].astype(str).to_numpy(), "label": short_labels(points, tr).to_numpy(),
                          "at": list(zip(points["lat"].round(4), points["lon"].round(4)))})
    lines = {}
    for _, here in frame.groupby("at", sort=False):
        if len(here) < 2:
            continue
        for facility_id in here["id"]:
            others = here.loc[here["id"] != facility_id, "label"]
            lines[facility_id] = "\n" + tr("maps.tooltip_shared_point",
                                           names=names_text(others, SHARED_POINT_NAMES, tr))
    return lines


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


class CompactDeck(pdk.Deck):
    """A deck whose JSON (what Streamlit sends) has no indentation: pydeck writes ``indent=2``, which
    made the 30x catalogue's map 2.1 MB. Keys stay sorted, so the same deck gives the same bytes."""

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def facility_deck(
    facilities: pd.DataFrame,
    boundaries: dict,
    *,
    measure: SizeMeasure = SIZE_MEASURES["uniform"],
    as_of_year: int | None = None,
    colour_by: str = "field",
    online_basemap: bool = False,
    carto_key: str | None = None,
    boundaries_url: str | None = STATIC_BOUNDARIES_URL,
    outline_images: Sequence[OutlineImage] = (),
    tr: Translator = ENGLISH,
) -> pdk.Deck:
    """The facilities as points coloured by field (or by national-list state) over the province outlines.

    ``boundaries_url`` is where the browser fetches the provinces (Streamlit's static
    serving); pass None to inline ``boundaries`` instead (when the static copy cannot be written).
    ``outline_images`` (``outline_images.served_outline_images``) draw the outlines as bitmaps: the national
    ones, and the crops of the provinces the map opens on whole. Without them (and over the online base map) the
    outlines are vector paths.
    """
    points = deck_points(facilities, measure, as_of_year, colour_by, tr)
    drawn = located(facilities)
    shown_whole = set(provinces_shown_whole(drawn, boundaries)) if len(drawn) else set()
    view = initial_view(drawn, boundaries)
    # The online base map keeps vector outlines: a province crop's opaque land would hide the tiles beneath.
    images = [] if online_basemap else images_for_view(outline_images, view["zoom"], shown_whole)
    layers = [_province_layer(boundaries, boundaries_url, online_basemap, stroked=not images),
              *[_outline_image_layer(image) for image in images], _province_label_layer(boundaries, tr),
              _facility_layer(points), *_field_key_layers(points), _site_kind_layer(points)]
    deck_options = {}
    if online_basemap:
        deck_options = {"map_provider": "carto", "map_style": "light"}
        if carto_key:
            deck_options["api_keys"] = {"carto": carto_key}
    else:
        deck_options = {"map_provider": None}
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        tooltip=TOOLTIP,
        **deck_options,
    )




# The font of the map's Latin text layers (a literal: pydeck would read a bare string as an accessor).
LATIN_FONT = pdk.types.String("Noto Sans, DejaVu Sans, Arial, sans-serif")
# The letters the field-key layers draw (deck.gl's text atlas holds only the characters it is given).
FIELD_KEY_CHARACTERS = pdk.types.String("".join(sorted(set(FIELD_KEYS.values()))))


def _province_layer(boundaries: dict, boundaries_url: str | None, online_basemap: bool, *,
                    stroked: bool = True) -> pdk.Layer:
    """The provinces, fetched by URL from Streamlit's static serving (inlined when ``boundaries_url`` is None): their
    fill, and their outlines unless ``stroked`` is False (the outline images draw them)."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=PROVINCE_LAYER_ID,
        data=boundaries_url or boundaries_for_map(boundaries),
        filled=True,
        stroked=stroked,
        get_fill_color=PROVINCE_FILL_ONLINE if online_basemap else PROVINCE_FILL_OFFLINE,
        get_line_color=PROVINCE_LINE,
        line_width_min_pixels=1,
        # Not pickable: in Streamlit 1.67 a pickable GeoJsonLayer stops on_select from reporting any click
        # (measured: with it, clicks on points return an empty selection). Names come from the label layer.
        pickable=False,
    )


def _outline_image_layer(image: OutlineImage) -> pdk.Layer:
    """One outline image over its bounds (a literal URL: pydeck would inline a path ending in .png as base64)."""
    return pdk.Layer("BitmapLayer", id=f"{OUTLINE_LAYER_ID}-{image.file.removesuffix('.png')}",
                     image=pdk.types.String(image.url), bounds=list(image.bounds), pickable=False)


def _province_label_layer(boundaries: dict, tr: Translator = ENGLISH) -> pdk.Layer:
    """Province names (in the reader's language): the pickable layer a province click is read from."""
    labels = province_labels(boundaries, tr)
    options = {}
    if tr.is_chinese:
        # deck.gl's text atlas holds ASCII unless it is given the characters to draw: those of the labels.
        # A literal string (pydeck would read a bare string, or list of them, as accessor expressions).
        characters = "".join(sorted(set("".join(label["label"] for label in labels))))
        options = {"character_set": pdk.types.String(characters),
                   "font_family": pdk.types.String("Noto Sans CJK SC, Noto Sans, sans-serif")}
    return _text_layer(PROVINCE_LABEL_LAYER_ID, labels, "label", size=11, colour=[110, 110, 110, 255], pickable=True,
                       **options)


# What a facility point carries to the browser: its id (for a click), position, size, fill and tooltip.
FACILITY_LAYER_KEYS = ("id", "lon", "lat", "radius", "fill", "title", "details")


def _facility_layer(points: list[dict]) -> pdk.Layer:
    """The facilities as points coloured by field and sized by the measure."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=FACILITY_LAYER_ID,
        # Only what this layer or the tooltip reads: every key is sent once per point (the letters and glyphs have
        # layers of their own). The ring is the fill's colour at full opacity, worked out in the browser.
        data=[{key: point[key] for key in FACILITY_LAYER_KEYS} for point in points],
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units=pdk.types.String("pixels"),
        get_fill_color="fill",
        get_line_color="[fill[0], fill[1], fill[2], 255]",
        stroked=True,
        filled=True,
        line_width_units=pdk.types.String("pixels"),
        get_line_width=2,
        pickable=True,
        auto_highlight=True,
    )


def _field_key_layers(points: list[dict]) -> list[pdk.Layer]:
    """Each point's field letter (A, B, …, as in the legend) drawn on it: dark ink on light colours, white on dark
    ones, as two layers of one colour each (a colour per point would be sent once per point)."""
    layers = []
    for layer_id, light, colour in ((FIELD_KEY_LAYER_ID, False, MARKER_TEXT_COLOUR),
                                    (FIELD_KEY_LAYER_ID + "-light", True, [255, 255, 255, 255])):
        keyed = [{"lon": p["lon"], "lat": p["lat"], "key": p["key"]} for p in points if p["key"] and p["light_ink"] == light]
        if not keyed:
            continue
        layers.append(_text_layer(layer_id, keyed, "key", size=10, colour=colour,
                                  font_weight=pdk.types.String("bold"), character_set=FIELD_KEY_CHARACTERS))
    return layers


def _site_kind_layer(points: list[dict]) -> pdk.Layer:
    """▼ above underground and ▲ above high-altitude sites."""
    marked = [p for p in points if p["glyph"]]
    return _text_layer(
        SITE_KIND_LAYER_ID,
        [{"lon": p["lon"], "lat": p["lat"], "glyph": p["glyph"], "offset": [0, -(p["radius"] + 9)]} for p in marked],
        "glyph", size=13, colour=MARKER_TEXT_COLOUR, get_pixel_offset="offset",
        character_set=pdk.types.String("".join(SITE_KIND_GLYPHS.values())),
    )


def _text_layer(layer_id: str, data: list[dict], text_key: str, *, size: int, colour: list[int],
                pickable: bool = False, **options) -> pdk.Layer:
    """A deck.gl TextLayer writing each row's ``text_key`` at its lon/lat in the map's Latin font (``options`` may
    set another font, the characters the atlas holds, weight or offset). pydeck turns plain strings into accessors
    ("@@=..."): literal string options must come as ``pdk.types.String``."""
    return pdk.Layer("TextLayer", id=layer_id, data=data, get_position=["lon", "lat"], get_text=text_key,
                     get_size=size, get_color=colour, pickable=pickable, **({"font_family": LATIN_FONT} | options))


# --- Selection ------------------------------------------------------------------------------

def _first_picked(selection: object, layer_id: str) -> dict | None:
    """The first object picked in ``layer_id``, from Streamlit's ``on_select`` state (None when nothing is)."""
    try:
        objects = selection["selection"]["objects"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    picked = (objects or {}).get(layer_id) or []
    return picked[0] if picked and isinstance(picked[0], dict) else None


def selected_facility_id(selection: object) -> str | None:
    """The facility id picked on the deck (None when nothing is picked)."""
    facility_id = (_first_picked(selection, FACILITY_LAYER_ID) or {}).get("id")
    return str(facility_id) if facility_id else None


def selected_province(selection: object) -> str | None:
    """The province whose name label was clicked on the deck (the outlines themselves are not pickable)."""
    picked = _first_picked(selection, PROVINCE_LABEL_LAYER_ID)
    if picked is None:
        return None
    properties = picked.get("properties") or picked
    name = properties.get("name_en") if isinstance(properties, dict) else None
    return str(name) if name else None

