"""Timeline: when each facility was built and operated, what it found, and how many were built at once."""

import functools

import streamlit as st

from china_bigscience import timeline, ui
from china_bigscience.charts import escape_markdown

catalogue = ui.get_catalogue()
tr = ui.translator()
selection = ui.current_filter()
facilities = ui.selected_facilities(catalogue)

st.title(tr("page.timeline.title"))
st.markdown(tr("page.timeline.intro"))
st.caption(escape_markdown(tr("common.showing", selection=selection.describe(tr))))

# The "as of" year is kept in st.session_state["as_of_year"], so the Map and Overview pages can show the
# facilities as they stood in that year. The slider and the typed year (easier on phones) both write it.
low_year, high_year = timeline.as_of_year_bounds(catalogue.facilities)
if timeline.AS_OF_YEAR_KEY not in st.session_state:
    # The slider is bound to the link: a linked year is the shared year from the first run on.
    linked_year = ui.linked_year("as_of_year_slider", (low_year, high_year), label=tr("page.timeline.as_of"))
    if linked_year is not None:
        st.session_state[timeline.AS_OF_YEAR_KEY] = linked_year
as_of_year = min(max(int(st.session_state.get(timeline.AS_OF_YEAR_KEY, high_year)), low_year), high_year)
st.session_state[timeline.AS_OF_YEAR_KEY] = as_of_year
st.session_state["as_of_year_slider"] = as_of_year
st.session_state["as_of_year_typed"] = as_of_year


def _keep_as_of_year(widget_key: str) -> None:
    st.session_state[timeline.AS_OF_YEAR_KEY] = int(st.session_state[widget_key])


milestone_kinds_all = catalogue.field_enum("milestones", "kind")
with st.container(border=True):
    group_column, kinds_column = st.columns([1, 2])
    group_label = {"field": tr("page.timeline.group_field"), "province": tr("page.timeline.group_province")}
    group_by = group_column.segmented_control(
        tr("page.timeline.group_by"), list(timeline.GROUPINGS), default="field", key="timeline_group_by",
        bind="query-params", format_func=group_label.get, help=tr("page.timeline.group_by_help"),
    ) or "field"
    ui.in_link("timeline_group_by", group_label[group_by])
    milestone_kinds = kinds_column.multiselect(
        tr("page.timeline.milestones_shown"), milestone_kinds_all, default=milestone_kinds_all,
        key="timeline_milestone_kinds", bind="query-params", format_func=lambda k: tr.value("milestone_kind", k),
        placeholder=tr("page.timeline.no_milestones"),
    )
    ui.in_link("timeline_milestone_kinds", *(tr.value("milestone_kind", k) for k in milestone_kinds))
    slider_column, typed_column = st.columns([4, 1], vertical_alignment="bottom")
    slider_column.slider(
        tr("page.timeline.as_of"), min_value=low_year, max_value=high_year, step=1, key="as_of_year_slider",
        bind="query-params", on_change=_keep_as_of_year, args=("as_of_year_slider",),
        help=tr("page.timeline.as_of_help"),
    )
    typed_column.number_input(
        tr("page.timeline.type_year"), min_value=low_year, max_value=high_year, step=1, key="as_of_year_typed",
        on_change=_keep_as_of_year, args=("as_of_year_typed",),
    )
ui.in_link("as_of_year_slider", as_of_year)

if facilities.empty:
    ui.empty_state(key="timeline")
else:
    charts = []
    group_order = catalogue.fields if group_by == "field" else None
    gantt = ui.cached_chart(timeline.gantt_chart,
        facilities, catalogue.milestones, catalogue.sources, group_by=group_by, group_order=group_order,
        as_of_year=as_of_year, milestone_kinds=milestone_kinds, horizon_year=high_year, tr=tr,
    )
    charts.append(gantt)
    ui.show_chart(gantt, key="timeline-gantt")
    if len(facilities) > timeline.GANTT_MAX_ROWS:
        # Too many facilities for a row each: the chart above has a row per group, and one group opens here.
        group_sizes = dict(timeline.gantt_groups(facilities, group_by, group_order))
        group_name = tr.field if group_by == "field" else tr.province
        opened = st.selectbox(
            tr("page.timeline.open_group", group=group_label[group_by]), list(group_sizes), index=None,
            format_func=lambda group: f"{group_name(group)} ({group_sizes[group]})", key="timeline_open_group",
            bind="query-params", placeholder=tr("page.timeline.choose_group", group=group_label[group_by]),
        )
        ui.in_link("timeline_open_group", group_name(opened) if opened else None)
        if opened:
            members = timeline.facilities_in_group(facilities, group_by, opened)
            if len(members) < group_sizes[opened]:
                st.caption(escape_markdown(tr("page.timeline.open_group_first", shown=len(members),
                                              count=group_sizes[opened])))
            opened_gantt = ui.cached_chart(timeline.gantt_chart,
                members, catalogue.milestones, catalogue.sources, group_by=group_by, group_order=group_order,
                as_of_year=as_of_year, milestone_kinds=milestone_kinds, horizon_year=high_year, max_rows=None, tr=tr,
            )
            charts.append(opened_gantt)
            ui.show_chart(opened_gantt, key="timeline-gantt-group")

    profile_column, link_column = st.columns([2, 1], vertical_alignment="bottom")
    labels = dict(zip(facilities["id"], [tr.facility_name(en, zh) if tr.is_chinese else en
                                         for en, zh in zip(facilities["name_en"], facilities["name_zh"])]))
    chosen = profile_column.selectbox(
        tr("page.timeline.open_profile"), list(labels), format_func=lambda i: labels[i], index=None,
        placeholder=tr("common.choose_facility"), key="timeline_profile",
    )
    if chosen:
        link_column.page_link("pages/profile.py", label=tr("page.timeline.open_its_profile"), icon=":material/apartment:",
                              query_params={"facility": chosen})

    # A dynamic expander: the milestone table is built and sent only when opened.
    milestone_box = st.expander(tr("page.timeline.milestones_expander"), icon=":material/flag:",
                                key="timeline-milestones", on_change="rerun")
    if milestone_box.open:
        with milestone_box:
            milestones = ui.cached_chart(timeline.milestone_table, catalogue.milestones, facilities,
                                         catalogue.sources, milestone_kinds, tr)
            if milestones.empty:
                st.write(tr("page.timeline.no_milestones_recorded"))
            else:
                headers = timeline.milestone_table_labels(tr)
                config = {column: st.column_config.TextColumn(header) for column, header in headers.items()}
                config["DOI"] = st.column_config.LinkColumn(headers["DOI"], display_text=r"https://doi\.org/(.*)")
                config["arXiv"] = st.column_config.LinkColumn(headers["arXiv"],
                                                              display_text=r"https://arxiv\.org/abs/(.*)")
                st.dataframe(milestones, hide_index=True, width="stretch", column_config=config)

    # Fewer charts in the first view: the two other views are tabs bound to the link, and only the open one is
    # built and sent (the ZIP makes the other on click).
    concurrency_tab, as_of_tab = st.tabs([tr("page.timeline.concurrency_header"), tr("page.timeline.year_by_year")],
                                         key="timeline_section", bind="query-params")
    ui.in_link("timeline_section", st.session_state.get("timeline_section"))
    concurrency_charts = [
        functools.partial(timeline.concurrency_by_field_chart, facilities, catalogue.sources,
                          field_order=catalogue.fields, tr=tr),
        functools.partial(timeline.concurrency_by_funding_chart, facilities, catalogue.sources,
                          funding_types=catalogue.funding_types, tr=tr),
    ]
    as_of_charts = [functools.partial(timeline.as_of_chart, facilities, catalogue.sources, as_of_year,
                                      years=range(low_year, high_year + 1), field_order=catalogue.fields, tr=tr)]
    if concurrency_tab.open:
        with concurrency_tab:
            st.header(tr("page.timeline.concurrency_header"), anchor="concurrency")
            st.markdown(tr("page.timeline.how_counted", definition=tr("timeline.definition")))
            by_field = ui.cached_call(concurrency_charts[0])
            peaks_text = timeline.markdown_text(ui.cached_chart(timeline.describe_peaks, facilities, tr=tr))
            if by_field is None:
                st.info(peaks_text, icon=":material/event_busy:")
            else:
                # The peak years run to many lines (each peak names its facilities): below the chart, full width,
                # not in a narrow column that would leave the chart's column half empty beside it.
                ui.show_chart(by_field, key="timeline-by-field")
                with st.container(border=True):
                    st.markdown(tr("page.timeline.peak_years"))
                    st.markdown(peaks_text)

                by_funding = ui.cached_call(concurrency_charts[1])
                chart_column, text_column = st.columns([3, 1])
                with chart_column:
                    ui.show_chart(by_funding, key="timeline-by-funding")
                with text_column.container(border=True):
                    st.markdown(tr("page.timeline.who_pays"))
                    st.markdown(timeline.markdown_text(ui.cached_chart(timeline.describe_funding, facilities,
                                                                       catalogue.funding_types, tr)))
    if as_of_tab.open:
        with as_of_tab:
            st.header(tr("page.timeline.year_by_year"), anchor="as-of")
            as_of = ui.cached_call(as_of_charts[0])
            if as_of is None:
                st.info(tr("page.timeline.none_started", year=as_of_year), icon=":material/event_busy:")
            else:
                ui.show_chart(as_of, key="timeline-as-of")
            st.caption(tr("page.timeline.map_overview_caption"))
    charts += concurrency_charts + as_of_charts

    ui.page_zip_download(lambda: [chart() if callable(chart) else chart for chart in charts], page_slug="timeline")
