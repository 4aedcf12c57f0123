"""The map as Plotly figures: the points for export and the province choropleth, with every base layer off."""

from __future__ import annotations


import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from china_bigscience.safe_text import escape_plotly
from china_bigscience.charts import FIELD_SYMBOLS, NOT_KNOWN, Chart, base_layout, source_line
from china_bigscience.geography import province_geometry
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import display_name
from china_bigscience.maps.common import (
    CHOROPLETH_COLOURSCALE,
    CHOROPLETH_ZERO_COLOUR,
    HIGH_ALTITUDE,
    NO_PROVINCE_LABEL,
    PROVINCE_MEASURES,
    SITE_KIND_GLYPHS,
    SITE_KIND_PLOTLY_SYMBOLS,
    SIZE_MEASURES,
    province_measure,
    UNDERGROUND,
    SizeMeasure,
    colour_by_label,
    colour_group_label,
    colour_groups,
    format_cell,
    plotly_text,
)
from china_bigscience.maps.view import china_bounds, points_bounds
from china_bigscience.maps.words import (
    located,
    map_alt_text,
    map_source_line,
    map_table,
    point_radii,
    site_kind,
    size_values,
    tooltip_details,
    top_provinces,
    with_shown_status,
)

# --- Plotly figures (export and choropleth) -------------------------------------------------

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


def _outline_trace(boundaries: dict, *, fill: str = "#EEECE4", tr: Translator = ENGLISH) -> go.Scattergeo:
    lons, lats = [], []
    for rings in province_geometry(boundaries).rings.values():
        ring_lons, ring_lats = _ring_lines(rings)
        lons += ring_lons
        lats += ring_lats
    return go.Scattergeo(
        lon=lons, lat=lats, mode="lines", fill="toself", fillcolor=fill,
        line={"color": "#8C8C8C", "width": 0.6}, hoverinfo="skip", showlegend=False, name=tr("maps.outlines"),
    )


def facility_points_chart(
    facilities: pd.DataFrame,
    boundaries: dict,
    sources: pd.DataFrame,
    *,
    measure: SizeMeasure = SIZE_MEASURES["uniform"],
    as_of_year: int | None = None,
    colour_by: str = "field",
    tr: Translator = ENGLISH,
) -> Chart:
    """The map's points on a Plotly geo figure: what the PNG/SVG export of the map draws (fully offline)."""
    shown = facilities if "status_shown" in facilities.columns else with_shown_status(facilities, as_of_year)
    points = located(shown)
    title = tr("maps.static_title_as_of", year=as_of_year) if as_of_year is not None else tr("maps.static_title")
    figure = go.Figure()
    figure.add_trace(_outline_trace(boundaries, tr=tr))
    values = size_values(points, measure)
    diameters = point_radii(values, measure) * 2
    kinds = site_kind(points) if len(points) else pd.Series(dtype=object)
    groups, group_colours = colour_groups(points, colour_by)
    for group, colour in group_colours.items():
        of_field = points[groups == group]
        # Plotly's legend shows the first point's symbol: put a filled one first where there is one.
        unsized = values[of_field.index].isna() if measure.column is not None else pd.Series(False, of_field.index)
        of_field = of_field.iloc[unsized.astype(int).to_numpy().argsort(kind="stable")]
        symbols = []
        for index in of_field.index:
            # Coloured by field, a point takes its field's shape too (never colour alone); the site kind is a glyph.
            symbol = FIELD_SYMBOLS.get(str(points.at[index, "field"]), "circle") if colour_by == "field" else "circle"
            if measure.column is not None and pd.isna(values[index]):
                symbol += "-open"
            symbols.append(symbol)
        hover = [
            f"<b>{plotly_text(display_name(row, tr), tr)}</b><br>"
            + escape_plotly(tooltip_details(row, as_of_year, tr)).replace("\n", "<br>")
            for row in of_field.to_dict("records")
        ]
        figure.add_trace(go.Scattergeo(
            lon=of_field["lon"].astype(float).tolist(), lat=of_field["lat"].astype(float).tolist(),
            mode="markers", name=escape_plotly(colour_group_label(group, colour_by, tr)),
            marker={
                "color": colour, "size": diameters[of_field.index].round(1).tolist(),
                "symbol": symbols, "line": {"color": "#333333", "width": 0.6}, "opacity": 0.9,
            },
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        ))
    # Underground and high-altitude sites: ▼ or ▲ just above the point (as on the interactive map), drawn by
    # invisible markers of the point's size so that the glyph clears it; then their legend entries.
    marked = kinds[kinds.isin(list(SITE_KIND_GLYPHS))] if len(kinds) else kinds
    if len(marked):
        figure.add_trace(go.Scattergeo(
            lon=points.loc[marked.index, "lon"].astype(float).tolist(),
            lat=points.loc[marked.index, "lat"].astype(float).tolist(),
            mode="markers+text", text=[SITE_KIND_GLYPHS[kind] for kind in marked], textposition="top center",
            textfont={"size": 12, "color": "#191919"}, name=tr("maps.site_kinds"),
            marker={"size": diameters[marked.index].round(1).tolist(), "color": "rgba(0,0,0,0)"},
            hoverinfo="skip", showlegend=False,
        ))
    for kind in (UNDERGROUND, HIGH_ALTITUDE):
        if len(kinds) and (kinds == kind).any():
            figure.add_trace(go.Scattergeo(
                lon=[None], lat=[None], mode="markers", name=tr(f"maps.site_kind.{kind}"),
                marker={"symbol": SITE_KIND_PLOTLY_SYMBOLS[kind], "color": "#555555", "size": 11},
                hoverinfo="skip",
            ))
    bounds = points_bounds(points) if len(points) else china_bounds(boundaries)
    _geo_layout(figure, bounds)
    base_layout(figure)
    figure.update_layout(height=560, legend={"title": {"text": colour_by_label(colour_by, tr)}})
    size_note = "" if measure.column is None else (
        tr("maps.static_note_size", noun=measure.noun, unit=measure.unit)
        + (tr("maps.static_note_currency") if measure.currency else tr("common.full_stop"))
    )
    return Chart(
        slug="facility-map" + (f"-{as_of_year}" if as_of_year is not None else ""),
        title=title,
        figure=figure,
        source_line=map_source_line(shown, sources, tr),
        alt_text=map_alt_text(shown, measure, as_of_year, colour_by, tr),
        data=map_table(shown, as_of_year, tr),
        note=(tr(f"maps.static_note_by.{colour_by}") + size_note).strip(),
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


def province_table(by_province: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The numbers beside the choropleth, with readable column names and units (provinces with none at the end)."""
    ordered = by_province.sort_values(["facilities", "province"], ascending=[False, True])
    return pd.DataFrame({
        tr("maps.column_province"): [tr("maps.no_province") if p == NO_PROVINCE_LABEL else p for p in ordered["province"]],
        tr("maps.column_chinese_name"): ordered["name_zh"],
        tr("maps.table_facilities"): ordered["facilities"],
        tr("maps.table_cost"): [
            format_cell(round(v, 1)) if pd.notna(v) else tr("common.not_known") for v in ordered["cost"]
        ],
        tr("maps.table_costed"): ordered["costed"],
    }).reset_index(drop=True)


def province_choropleth_chart(
    facilities: pd.DataFrame,
    provinces: pd.DataFrame,
    boundaries: dict,
    sources: pd.DataFrame,
    *,
    measure: str = "count",
    tr: Translator = ENGLISH,
) -> Chart:
    """Facilities (or known reported cost in CNY) per province, as filled province polygons."""
    title, colour_title = province_measure(measure, tr)
    by_province = facilities_by_province(facilities, provinces)
    value_column = "facilities" if measure == "count" else "cost"
    values = by_province.set_index("province")[value_column]
    top = values.max() if values.notna().any() else 0
    top = float(top) if pd.notna(top) and top > 0 else 1.0
    rings = province_geometry(boundaries).rings
    centres = province_geometry(boundaries).label_points
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
        tr("maps.choropleth_hover", name=escape_plotly(p), name_zh=escape_plotly(str(zh.get(p, ""))),
           count=int(counts.get(p, 0)),
           cost=format_cell(round(costs.get(p), 1), tr.unit("CNY million")) if pd.notna(costs.get(p)) else tr("common.not_known"))
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
    note = tr("maps.choropleth_note_cost") if measure == "cost" else tr("maps.choropleth_note_count")
    return Chart(
        slug=f"province-{'facilities' if measure == 'count' else 'cost'}",
        title=title,
        figure=figure,
        source_line=source_line(facilities["source_ids"].dropna(), sources, tr=tr),
        alt_text=_choropleth_alt_text(facilities, provinces, by_province, measure, tr),
        data=province_table(by_province, tr),
        note=note,
    )


def _choropleth_alt_text(facilities: pd.DataFrame, provinces: pd.DataFrame, by_province: pd.DataFrame,
                         measure: str, tr: Translator = ENGLISH) -> str:
    total = int(by_province["facilities"].sum())
    with_any = int((by_province.loc[by_province["province"] != NO_PROVINCE_LABEL, "facilities"] > 0).sum())
    if measure == "count":
        alt = tr(f"maps.choropleth_alt_count.{'one' if total == 1 else 'other'}", total=total, provinces=with_any,
                 of=len(provinces))
        alt += tr("maps.choropleth_alt_most", top=top_provinces(facilities, tr=tr)) if with_any else tr("common.full_stop")
    else:
        costed = by_province[by_province["cost"].notna() & (by_province["province"] != NO_PROVINCE_LABEL)]
        alt = tr("maps.choropleth_alt_cost", count=len(costed))
        if len(costed):
            best = costed.sort_values("cost", ascending=False).iloc[0]
            alt += tr("maps.choropleth_alt_highest", province=tr.province(best["province"]),
                      value=format_cell(round(best["cost"], 1), tr.unit("CNY million")))
        alt += tr("maps.choropleth_alt_costed", costed=int(by_province["costed"].sum()), total=total)
    unplaced = int(by_province.loc[by_province["province"] == NO_PROVINCE_LABEL, "facilities"].sum())
    if unplaced:
        alt += tr(f"maps.choropleth_alt_unplaced.{'one' if unplaced == 1 else 'other'}", count=unplaced)
    return alt


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
