"""Map page: where the facilities are (points over offline province outlines) and how many each province has."""

import streamlit as st

from china_bigscience import labels, maps, profiles, ui

catalogue = ui.get_catalogue()
tr = ui.translator()
selection = ui.current_filter()
low_year, high_year = ui.year_bounds(catalogue)

st.title(tr("page.map.title"))
st.write(tr("page.map.intro"))


def view_label(view: str) -> str:
    return tr("page.map.view_facilities") if view == "facilities" else tr("page.map.view_provinces")


view = st.segmented_control(
    tr("page.map.view"), ["facilities", "provinces"], key="map_view", bind="query-params", default="facilities",
    format_func=view_label,
) or "facilities"
ui.in_link("map_view", view_label(view))

controls = st.columns(3)
with controls[0]:
    as_of_on = st.toggle(
        tr("page.map.as_of_toggle"), key="map_asof_on", bind="query-params", help=tr("page.map.as_of_help"),
    )
    as_of_year = (
        st.slider(tr("page.map.year"), low_year, high_year, value=high_year, step=1, key="map_asof_year",
                  bind="query-params")
        if as_of_on else None
    )
    ui.in_link("map_asof_on", "true" if as_of_on else None)
    ui.in_link("map_asof_year", as_of_year)

facilities = ui.cached_chart(maps.with_shown_status, ui.selected_facilities(catalogue), as_of_year)
if as_of_year is not None and selection.statuses:
    st.caption(tr("page.map.status_caption", year=as_of_year))

if facilities.empty:
    ui.empty_state(tr("common.what_facilities_as_of", year=as_of_year) if as_of_year is not None else None, key="map")

elif view == "facilities":
    with controls[1]:
        size_key = st.selectbox(
            tr("page.map.point_size"), list(maps.SIZE_MEASURES), key="map_size", bind="query-params",
            format_func=lambda k: maps.size_measure(k, tr).label, help=tr("page.map.point_size_help"),
        )
        ui.in_link("map_size", maps.size_measure(size_key, tr).label)
    with controls[2]:
        online = st.toggle(tr("page.map.online"), key="map_tiles", help=tr("page.map.online_help"))
        if online:
            st.caption(tr("page.map.carto_caption"))
    colour_by = st.segmented_control(
        tr("page.map.colour_points_by"), list(maps.COLOUR_BY), key="map_colour", bind="query-params", default="field",
        format_func=lambda c: maps.colour_by_label(c, tr), help=tr("page.map.colour_points_by_help"),
    ) or "field"
    ui.in_link("map_colour", maps.colour_by_label(colour_by, tr))
    measure = maps.size_measure(size_key, tr)
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
        facilities, catalogue.boundaries_geojson, measure=measure, as_of_year=as_of_year, colour_by=colour_by,
        online_basemap=online, carto_key=carto_key,
        boundaries_url=maps.STATIC_BOUNDARIES_URL if served else None,
        outline_images=maps.served_outline_images(catalogue.boundaries_path), tr=tr,
    )
    alt_text = ui.cached_chart(maps.map_alt_text, facilities, measure, as_of_year, colour_by, tr)
    st.subheader(tr("page.map.where_heading_as_of", year=as_of_year) if as_of_year is not None
                 else tr("page.map.where_heading"))
    event = st.pydeck_chart(
        deck, on_select="rerun", selection_mode="single-object", key="facility_map", alt=alt_text, height=540,
    )
    legend = ui.cached_chart(maps.legend_table, facilities, measure, colour_by, tr)
    st.image(maps.legend_svg(legend, tr=tr), alt=tr("page.map.legend_alt", entries="; ".join(
        f"{label} ({count})" for label, count in zip(legend["label"], legend["count"]))))
    st.caption(
        f"{maps.escape_markdown(maps.boundary_disclaimer(catalogue.descriptor, tr))}  \n"
        f"{maps.escape_markdown(maps.map_source_line(facilities, catalogue.sources, tr))}  \n"
        + tr("chart.map_description", text=maps.escape_markdown(alt_text))
    )

    # The keyboard's way to what a click on a point does (deck.gl's canvas takes no keyboard input).
    titles = ui.cached_chart(labels.display_names, ui.cached_chart(maps.located, facilities), tr)
    chosen_id = st.selectbox(
        tr("page.map.choose_facility"), sorted(titles, key=titles.get), format_func=titles.get, index=None,
        placeholder=tr("page.map.choose_facility_placeholder"), key="map_facility",
    )
    picked_id = maps.selected_facility_id(event) or chosen_id
    picked_province = maps.selected_province(event)
    if picked_id and picked_id in set(facilities["id"]):
        row = facilities[facilities["id"] == picked_id].iloc[0]
        st.subheader(tr("page.map.selected", name=maps.escape_markdown(labels.display_name(row, tr))),
                     anchor="selected-facility")
        facts = profiles.key_facts(row, catalogue.sources, descriptor=catalogue.descriptor,
                                  provinces=catalogue.provinces, value_sources=catalogue.value_sources, tr=tr)
        st.dataframe(facts, hide_index=True, width="stretch", height=35 * (len(facts) + 1) + 3)
        st.page_link("pages/profile.py", label=tr("page.map.open_full_profile"),
                     query_params={"facility": picked_id}, icon=":material/apartment:")
    elif picked_province:
        count = int((facilities["province"] == picked_province).sum())
        shown_province = maps.escape_markdown(tr.province(picked_province))
        st.write(tr("page.map.province_count_one" if count == 1 else "page.map.province_count",
                    province=shown_province, count=count))
        st.button(tr("page.map.show_only", province=shown_province), key="map_pick_province",
                  icon=":material/filter_alt:",
                  on_click=lambda name=picked_province: st.session_state.update({"province": [name]}))
    else:
        st.caption(tr("page.map.click_hint"))

    # A dynamic expander: the table (a row per facility) is built and sent only when opened.
    table_box = st.expander(tr("page.map.show_data"), icon=":material/table:", key="map-table", on_change="rerun")
    if table_box.open:
        with table_box:
            st.dataframe(ui.cached_chart(maps.map_table, facilities, as_of_year, tr), hide_index=True, width="stretch")

    st.divider()
    # deck.gl's canvas cannot be exported by Plotly's buttons: the same points, drawn by Plotly, can.
    if st.toggle(tr("page.map.static_toggle"), key="map_static"):
        export_chart = ui.cached_chart(maps.facility_points_chart,
            facilities, catalogue.boundaries_geojson, catalogue.sources, measure=measure, as_of_year=as_of_year,
            colour_by=colour_by, tr=tr,
        )
        ui.show_chart(export_chart, key="map-static")

else:
    with controls[1]:
        def measure_label(key: str) -> str:
            return tr("page.map.colour_count") if key == "count" else tr("page.map.colour_cost")

        province_measure = st.segmented_control(
            tr("page.map.colour_by"), list(maps.PROVINCE_MEASURES), key="map_province_measure", bind="query-params",
            default="count", format_func=measure_label,
        ) or "count"
        ui.in_link("map_province_measure", measure_label(province_measure))
    chart = ui.cached_chart(maps.province_choropleth_chart,
        facilities, catalogue.provinces, catalogue.boundaries_geojson, catalogue.sources, measure=province_measure,
        tr=tr,
    )
    map_column, table_column = st.columns([3, 2])
    with map_column:
        ui.show_chart(chart, key="map-provinces")
    with table_column:
        st.markdown(tr("page.map.the_numbers"))
        st.dataframe(chart.data, hide_index=True, width="stretch", height=520)
    st.caption(maps.escape_markdown(maps.boundary_disclaimer(catalogue.descriptor, tr)))

if not facilities.empty:
    # The ZIP's two Plotly maps are built when it is clicked, not on every rerun (they were most of a rerun).
    zip_size = st.session_state.get("map_size", "uniform")
    zip_province_measure = st.session_state.get("map_province_measure") or "count"
    zip_colour_by = st.session_state.get("map_colour") or "field"
    ui.page_zip_download(
        lambda: maps.page_charts(catalogue, selection, as_of_year=as_of_year, measure=zip_size,
                                 province_measure=zip_province_measure, colour_by=zip_colour_by, tr=tr),
        page_slug="map",
    )
