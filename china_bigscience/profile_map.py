"""The profile's small map: China's province outlines, the facility's province shaded and its point marked.

Drawn on plain x/y axes (longitude, latitude), so it needs no map tiles and no topojson download:
it works offline and exports like any chart.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.cells import cell_text, is_known
from china_bigscience.charts import CHINA_HIGHLIGHT, FIELD_COLOURS, Chart, base_layout, source_line
from china_bigscience.geography import province_geometry
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.safe_text import escape_plotly
from china_bigscience.source_ids import split_ids

# Margin (degrees) around China's outline on the small map.
MAP_MARGIN_DEGREES = 1.0


def location_map(row: pd.Series, boundaries: dict, sources: pd.DataFrame, tr: Translator = ENGLISH) -> Chart | None:
    """Province outlines with the facility's province shaded and its point marked; None when it has no coordinates.

    Drawn on plain x/y axes (longitude, latitude) so it needs no map tiles and no
    topojson download: it works offline and exports like any chart.
    """
    if not (is_known(row.get("lat")) and is_known(row.get("lon"))):
        return None
    lat, lon = float(row["lat"]), float(row["lon"])
    geometry = province_geometry(boundaries)
    outlines, (min_x, min_y, max_x, max_y) = geometry.simplified_outlines, geometry.simplified_bounds
    province = cell_text(row.get("province"))
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
    name = tr.facility_short_name(row["name_en"], row.get("name_zh"), row.get("acronym"))
    colour = FIELD_COLOURS.get(cell_text(row.get("field")), CHINA_HIGHLIGHT)
    figure.add_trace(
        go.Scatter(
            x=[lon], y=[lat], mode="markers+text", text=[escape_plotly(name)], textposition="top center",
            marker={"size": 13, "color": colour, "line": {"color": "#1F2933", "width": 1.5}},
            hovertemplate=tr("profile.map_hover", name=escape_plotly(tr.facility_name(row["name_en"], row.get("name_zh"))))
            + "<extra></extra>",
            showlegend=False, name=escape_plotly(name),
        )
    )
    # Equirectangular axes stretched so that a degree of longitude is as long as it is at this latitude.
    base_layout(figure, x_title=tr("profile.map_lon"), y_title=tr("profile.map_lat"))
    figure.update_xaxes(range=[min_x - MAP_MARGIN_DEGREES, max_x + MAP_MARGIN_DEGREES], showgrid=False,
                        zeroline=False, constrain="domain")
    figure.update_yaxes(range=[min_y - MAP_MARGIN_DEGREES, max_y + MAP_MARGIN_DEGREES], showgrid=False,
                        zeroline=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat)))
    figure.update_layout(height=460, plot_bgcolor="rgba(0,0,0,0)", margin={"l": 60})

    precision_value = cell_text(row.get("location_precision"))
    precision = tr.value("location_precision", precision_value) if precision_value else tr("profile.map_unknown_precision")
    not_known = tr("common.not_known")
    province_shown = tr.province(province, _province_zh(boundaries, province)) if province else ""
    alt_text = tr("profile.map_alt", name=name, lat=f"{lat:.2f}", lon=f"{lon:.2f}",
                  where=tr("profile.map_alt_in", province=province_shown) if province else "", precision=precision,
                  shaded=tr("profile.map_alt_shaded", province=province_shown) if province in outlines
                  else tr("common.full_stop"))
    data = pd.DataFrame(
        {
            tr("profile.map_column_facility"): [tr.facility_name(row["name_en"], row.get("name_zh"))
                                                if tr.is_chinese else cell_text(row["name_en"])],
            tr("profile.map_lat"): [lat],
            tr("profile.map_lon"): [lon],
            tr("profile.province"): [province_shown or not_known],
            tr("profile.location"): [cell_text(row.get("location")) or not_known],
            tr("profile.map_column_precision"): [precision],
            tr("profile.map_column_confidence"): [cell_text(row.get("coord_confidence")) or not_known],
        }
    )
    return Chart(
        slug=f"location-{row['id']}",
        title=tr("profile.map_title", name=name),
        figure=figure,
        source_line=source_line(split_ids(row["source_ids"]), sources, tr=tr),
        alt_text=alt_text,
        data=data,
        note=tr("profile.map_note"),
    )


def _province_zh(boundaries: dict, province: str) -> str | None:
    """The Chinese name the boundary file gives a province (its features carry name_en and name_zh)."""
    for feature in boundaries.get("features", []):
        properties = feature.get("properties", {})
        if properties.get("name_en") == province:
            return properties.get("name_zh")
    return None
