"""Map page: where the facilities are (points over offline province outlines) and how many each province has."""

import streamlit as st

from china_bigscience import labels, maps, profiles, ui

catalogue = ui.get_catalogue()
selection = ui.current_filter()
low_year, high_year = ui.year_bounds(catalogue)

st.title("Map")
st.write(
    "Where China's big-science facilities are, coloured by field. Hover over a point for its names and key "
    "figures; click it for its facts. The sidebar filters apply here too."
)

view = st.segmented_control(
    "View", ["facilities", "provinces"], key="map_view", bind="query-params", default="facilities",
    format_func=lambda v: "Facilities" if v == "facilities" else "By province",
) or "facilities"
ui.in_link("map_view", "Facilities" if view == "facilities" else "By province")

controls = st.columns(3)
with controls[0]:
    as_of_on = st.toggle(
        "Show the map as of a year", key="map_asof_on", bind="query-params",
        help="Facilities whose construction had begun by that year, with the status they had then.",
    )
    as_of_year = (
        st.slider("Year", low_year, high_year, value=high_year, step=1, key="map_asof_year", bind="query-params")
        if as_of_on else None
    )
    ui.in_link("map_asof_on", "true" if as_of_on else None)
    ui.in_link("map_asof_year", as_of_year)

facilities = ui.cached_chart(maps.with_shown_status, ui.selected_facilities(catalogue), as_of_year)
if as_of_year is not None and selection.statuses:
    st.caption("The status filter in the sidebar applies to today's status; the map shows each facility's status in "
               f"{as_of_year}.")

if facilities.empty:
    ui.empty_state("facilities" + (f" as of {as_of_year}" if as_of_year is not None else ""), key="map")

elif view == "facilities":
    with controls[1]:
        size_key = st.selectbox(
            "Point size", list(maps.SIZE_MEASURES), key="map_size", bind="query-params",
            format_func=lambda k: maps.SIZE_MEASURES[k].label,
            help="Point area proportional to the value. A hollow ring means the value is not known for that facility.",
        )
        ui.in_link("map_size", maps.SIZE_MEASURES[size_key].label)
    with controls[2]:
        online = st.toggle("Online street map (CARTO)", key="map_tiles", help=(
            "Off by default: the map draws its own province outlines and needs no internet. On: tiles come from "
            "CARTO's servers."))
        if online:
            st.caption("CARTO has watermarked keyless tiles since August 2026 and has announced keys for its vector "
                       "styles too. Set `carto_api_key` in Streamlit secrets to use a key.")
    measure = maps.SIZE_MEASURES[size_key]
    carto_key = None
    if online:
        try:
            carto_key = st.secrets.get("carto_api_key")
        except Exception:  # no secrets file at all: keyless tiles
            carto_key = None
    served = maps.ensure_static_boundaries(catalogue.boundaries_path)
    if not served:
        st.caption(maps.STATIC_BOUNDARIES_MISSING)
    deck = ui.cached_chart(maps.facility_deck,
        facilities, catalogue.boundaries_geojson, measure=measure, as_of_year=as_of_year,
        online_basemap=online, carto_key=carto_key,
        boundaries_url=maps.STATIC_BOUNDARIES_URL if served else None,
    )
    alt_text = ui.cached_chart(maps.map_alt_text, facilities, measure, as_of_year)
    st.subheader("Where the facilities are" + (f", as of {as_of_year}" if as_of_year is not None else ""))
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", key="facility_map", alt=alt_text, height=540,
    )
    st.image(maps.legend_svg(ui.cached_chart(maps.legend_table, facilities, measure)))
    st.caption(
        f"{maps.escape_markdown(maps.boundary_disclaimer(catalogue.descriptor))}  \n"
        f"{maps.escape_markdown(maps.map_source_line(facilities, catalogue.sources))}  \n"
        f"**Map description:** {maps.escape_markdown(alt_text)}"
    )

    picked_id = maps.selected_facility_id(event)
    picked_province = maps.selected_province(event)
    if picked_id and picked_id in set(facilities["id"]):
        row = facilities[facilities["id"] == picked_id].iloc[0]
        st.subheader(f"Selected: {maps.escape_markdown(labels.display_name(row))}", anchor="selected-facility")
        facts = profiles.key_facts(row, catalogue.sources, descriptor=catalogue.descriptor,
                                  provinces=catalogue.provinces)
        st.dataframe(facts, hide_index=True, width="stretch", height=35 * (len(facts) + 1) + 3)
        st.page_link("pages/profile.py", label="Open the full profile of this facility",
                     query_params={"facility": picked_id}, icon=":material/apartment:")
    elif picked_province:
        count = int((facilities["province"] == picked_province).sum())
        st.write(f"{maps.escape_markdown(picked_province)}: {count} facilit{'y' if count == 1 else 'ies'} in the "
                 "current selection.")
        st.button(f"Show only {maps.escape_markdown(picked_province)}", key="map_pick_province", icon=":material/filter_alt:",
                  on_click=lambda name=picked_province: st.session_state.update({"province": [name]}))
    else:
        st.caption("Click a point to see its key facts here.")

    # A dynamic expander: the table (a row per facility) is built and sent only when opened.
    table_box = st.expander("Show data: every facility on the map", icon=":material/table:", key="map-table",
                            on_change="rerun")
    if table_box.open:
        with table_box:
            st.dataframe(ui.cached_chart(maps.map_table, facilities, as_of_year), hide_index=True, width="stretch")

    st.divider()
    # deck.gl's canvas cannot be exported by Plotly's buttons: the same points, drawn by Plotly, can.
    if st.toggle("Show a static version of this map for download (PNG/SVG)", key="map_static"):
        export_chart = ui.cached_chart(maps.facility_points_chart,
            facilities, catalogue.boundaries_geojson, catalogue.sources, measure=measure, as_of_year=as_of_year,
        )
        ui.show_chart(export_chart, key="map-static")

else:
    with controls[1]:
        province_measure = st.segmented_control(
            "Colour provinces by", list(maps.PROVINCE_MEASURES), key="map_province_measure", bind="query-params",
            default="count", format_func=lambda k: "Number of facilities" if k == "count" else "Known cost (CNY)",
        ) or "count"
        ui.in_link("map_province_measure", "Number of facilities" if province_measure == "count" else "Known cost (CNY)")
    chart = ui.cached_chart(maps.province_choropleth_chart,
        facilities, catalogue.provinces, catalogue.boundaries_geojson, catalogue.sources, measure=province_measure,
    )
    map_column, table_column = st.columns([3, 2])
    with map_column:
        ui.show_chart(chart, key="map-provinces")
    with table_column:
        st.markdown("**The numbers**")
        st.dataframe(chart.data, hide_index=True, width="stretch", height=520)
    st.caption(maps.escape_markdown(maps.boundary_disclaimer(catalogue.descriptor)))

if not facilities.empty:
    # The ZIP's two Plotly maps are built when it is clicked, not on every rerun (they were most of a rerun).
    zip_size = st.session_state.get("map_size", "uniform")
    zip_province_measure = st.session_state.get("map_province_measure") or "count"
    ui.page_zip_download(
        lambda: maps.page_charts(catalogue, selection, as_of_year=as_of_year, measure=zip_size,
                                 province_measure=zip_province_measure),
        page_slug="map",
    )
