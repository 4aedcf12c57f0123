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

from china_bigscience.charts import Chart, escape_markdown
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.maps.common import (
    ASSUMED_MAP_PX,
    COLOUR_BY,
    FACILITY_LAYER_ID,
    HIGH_ALTITUDE,
    MAX_FIT_ZOOM,
    NO_PROVINCE_LABEL,
    POINT_RADIUS_PX,
    POINT_RADIUS_RANGE_PX,
    PROVINCE_LABEL_LAYER_ID,
    PROVINCE_LAYER_ID,
    PROVINCE_MEASURES,
    SITE_KIND_LAYER_ID,
    SIZE_MEASURES,
    STATIC_BOUNDARIES_NAME,
    STATIC_BOUNDARIES_URL,
    STATIC_DIR,
    SURFACE,
    UNDERGROUND,
    SizeMeasure,
    colour_by_label,
    colour_group_label,
    colour_groups,
    field_colour,
    province_measure as province_measure_words,
    size_measure,
)
from china_bigscience.maps.deck import (
    STATIC_BOUNDARIES_MISSING,
    TOOLTIP,
    boundaries_for_map,
    deck_points,
    ensure_static_boundaries,
    facility_deck,
    province_labels,
    selected_facility_id,
    selected_province,
    static_boundaries_text,
    write_static_boundaries,
)
from china_bigscience.maps.view import china_bounds, fit_view, initial_view, points_bounds
from china_bigscience.maps.outline_images import OutlineImage, served_outline_images, write_outline_images
from china_bigscience.maps.figures import (
    choropleth_colourscale,
    choropleth_fill,
    facilities_by_province,
    facility_points_chart,
    province_choropleth_chart,
    province_table,
)
from china_bigscience.maps.words import (
    boundary_disclaimer,
    depth_or_altitude_text,
    legend_svg,
    legend_table,
    located,
    map_alt_text,
    map_source_line,
    map_table,
    place_text,
    point_radii,
    precision_text,
    site_kind,
    size_values,
    status_text,
    tooltip_details,
    with_shown_status,
)

__all__ = [
    "ASSUMED_MAP_PX", "COLOUR_BY", "colour_by_label", "colour_group_label", "colour_groups", "FACILITY_LAYER_ID", "HIGH_ALTITUDE", "MAX_FIT_ZOOM", "NO_PROVINCE_LABEL", "POINT_RADIUS_PX",
    "POINT_RADIUS_RANGE_PX", "PROVINCE_LABEL_LAYER_ID", "PROVINCE_LAYER_ID", "PROVINCE_MEASURES", "SITE_KIND_LAYER_ID",
    "SIZE_MEASURES", "STATIC_BOUNDARIES_MISSING", "STATIC_BOUNDARIES_NAME", "STATIC_BOUNDARIES_URL", "STATIC_DIR", "SURFACE", "TOOLTIP",
    "UNDERGROUND", "SizeMeasure", "boundaries_for_map", "boundary_disclaimer", "china_bounds",
    "choropleth_colourscale", "choropleth_fill", "deck_points", "depth_or_altitude_text", "ensure_static_boundaries",
    "escape_markdown", "facilities_by_province", "facility_deck", "facility_points_chart", "field_colour",
    "fit_view", "initial_view", "legend_svg", "legend_table", "located", "map_alt_text", "map_source_line",
    "map_table", "page_charts", "place_text", "point_radii", "points_bounds", "precision_text",
    "province_choropleth_chart", "province_labels", "province_table", "selected_facility_id", "selected_province",
    "province_measure_words", "site_kind", "size_measure", "size_values", "static_boundaries_text", "status_text", "tooltip_details",
    "with_shown_status", "write_static_boundaries", "OutlineImage", "served_outline_images", "write_outline_images",
]


def page_charts(catalogue, selection: FacilityFilter, *, measure: str = "uniform",
                as_of_year: int | None = None, province_measure: str = "count", colour_by: str = "field",
                tr: Translator = ENGLISH) -> list[Chart]:
    """Every Plotly chart of the map page for ``selection`` (default controls unless given)."""
    facilities = with_shown_status(filter_facilities(catalogue.facilities, selection), as_of_year)
    boundaries = catalogue.boundaries_geojson
    return [
        facility_points_chart(facilities, boundaries, catalogue.sources, measure=size_measure(measure, tr),
                              as_of_year=as_of_year, colour_by=colour_by, tr=tr),
        province_choropleth_chart(facilities, catalogue.provinces, boundaries, catalogue.sources,
                                  measure=province_measure, tr=tr),
    ]
