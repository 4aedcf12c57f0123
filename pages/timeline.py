"""Timeline: when each facility was built and operated, what it found, and how many were built at once."""

import functools

import streamlit as st

from china_bigscience import timeline, ui
from china_bigscience.charts import escape_markdown

catalogue = ui.get_catalogue()
selection = ui.current_filter()
facilities = ui.selected_facilities(catalogue)

st.title("Timeline")
st.markdown(
    "When each facility was built, when it began operating and what it found; and how many were under "
    "construction at the same time, the question behind the worry that facilities compete for the same "
    "skilled staff."
)
st.caption(f"Showing: {escape_markdown(selection.describe())}")

# The "as of" year is kept in st.session_state["as_of_year"], so the Map and Overview pages can show the
# facilities as they stood in that year. The slider and the typed year (easier on phones) both write it.
low_year, high_year = timeline.as_of_year_bounds(catalogue.facilities)
if timeline.AS_OF_YEAR_KEY not in st.session_state:
    # The slider is bound to the link: a linked year is the shared year from the first run on.
    linked_year = ui.linked_year("as_of_year_slider", (low_year, high_year), label="as-of year")
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
    group_by = group_column.segmented_control(
        "Group rows by", list(timeline.GROUPINGS), default="field", key="timeline_group_by", bind="query-params",
        help="Rows of the timeline are grouped by field or by province, and sorted by start year within a group.",
    ) or "field"
    ui.in_link("timeline_group_by", group_by)
    milestone_kinds = kinds_column.multiselect(
        "Milestones shown", milestone_kinds_all, default=milestone_kinds_all, key="timeline_milestone_kinds",
        bind="query-params",
        placeholder="No milestones",
    )
    ui.in_link("timeline_milestone_kinds", *milestone_kinds)
    slider_column, typed_column = st.columns([4, 1], vertical_alignment="bottom")
    slider_column.slider(
        "As of year", min_value=low_year, max_value=high_year, step=1, key="as_of_year_slider", bind="query-params",
        on_change=_keep_as_of_year, args=("as_of_year_slider",),
        help="The facilities as they stood in this year: used below, and on the Map and Overview pages.",
    )
    typed_column.number_input(
        "Type a year", min_value=low_year, max_value=high_year, step=1, key="as_of_year_typed",
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
        as_of_year=as_of_year, milestone_kinds=milestone_kinds, horizon_year=high_year,
    )
    charts.append(gantt)
    ui.show_chart(gantt, key="timeline-gantt")
    if len(facilities) > timeline.GANTT_MAX_ROWS:
        # Too many facilities for a row each: the chart above has a row per group, and one group opens here.
        group_sizes = dict(timeline.gantt_groups(facilities, group_by, group_order))
        opened = st.selectbox(
            f"Open a {group_by}: its facilities one by one", list(group_sizes), index=None,
            format_func=lambda group: f"{group} ({group_sizes[group]})", key="timeline_open_group",
            bind="query-params", placeholder=f"Choose a {group_by}",
        )
        ui.in_link("timeline_open_group", opened)
        if opened:
            members = timeline.facilities_in_group(facilities, group_by, opened)
            if len(members) < group_sizes[opened]:
                st.caption(escape_markdown(
                    f"The first {len(members)} of its {group_sizes[opened]} facilities by start year; narrow the "
                    "filters in the sidebar to see the others."))
            opened_gantt = ui.cached_chart(timeline.gantt_chart,
                members, catalogue.milestones, catalogue.sources, group_by=group_by, group_order=group_order,
                as_of_year=as_of_year, milestone_kinds=milestone_kinds, horizon_year=high_year, max_rows=None,
            )
            charts.append(opened_gantt)
            ui.show_chart(opened_gantt, key="timeline-gantt-group")

    profile_column, link_column = st.columns([2, 1], vertical_alignment="bottom")
    labels = dict(zip(facilities["id"], facilities["name_en"]))
    chosen = profile_column.selectbox(
        "Open a facility's profile", list(labels), format_func=lambda i: labels[i], index=None,
        placeholder="Choose a facility", key="timeline_profile",
    )
    if chosen:
        link_column.page_link("pages/profile.py", label="Open its profile", icon=":material/apartment:",
                              query_params={"facility": chosen})

    # A dynamic expander: the milestone table is built and sent only when opened.
    milestone_box = st.expander("Milestones: dates, references and sources", icon=":material/flag:",
                                key="timeline-milestones", on_change="rerun")
    if milestone_box.open:
        with milestone_box:
            milestones = ui.cached_chart(timeline.milestone_table, catalogue.milestones, facilities, catalogue.sources, milestone_kinds)
            if milestones.empty:
                st.write("No milestones recorded for the selected facilities and kinds.")
            else:
                st.dataframe(
                    milestones, hide_index=True, width="stretch",
                    column_config={
                        "DOI": st.column_config.LinkColumn("DOI", display_text=r"https://doi\.org/(.*)"),
                        "arXiv": st.column_config.LinkColumn("arXiv", display_text=r"https://arxiv\.org/abs/(.*)"),
                    },
                )

    # Fewer charts in the first view: the two other views are tabs bound to the link, and only the open one is
    # built and sent (the ZIP makes the other on click).
    concurrency_tab, as_of_tab = st.tabs(["Under construction at the same time", "Year by year"],
                                         key="timeline_section", bind="query-params")
    ui.in_link("timeline_section", st.session_state.get("timeline_section"))
    concurrency_charts = [
        functools.partial(timeline.concurrency_by_field_chart, facilities, catalogue.sources,
                          field_order=catalogue.fields),
        functools.partial(timeline.concurrency_by_funding_chart, facilities, catalogue.sources,
                          funding_types=catalogue.funding_types),
    ]
    as_of_charts = [functools.partial(timeline.as_of_chart, facilities, catalogue.sources, as_of_year,
                                      years=range(low_year, high_year + 1), field_order=catalogue.fields)]
    if concurrency_tab.open:
        with concurrency_tab:
            st.header("Under construction at the same time", anchor="concurrency")
            st.markdown(f"**How it is counted.** {timeline.UNDER_CONSTRUCTION_DEFINITION}")
            by_field = ui.cached_call(concurrency_charts[0])
            peaks_text = timeline.markdown_text(ui.cached_chart(timeline.describe_peaks, facilities))
            if by_field is None:
                st.info(peaks_text, icon=":material/event_busy:")
            else:
                chart_column, text_column = st.columns([3, 1])
                with chart_column:
                    ui.show_chart(by_field, key="timeline-by-field")
                with text_column.container(border=True):
                    st.markdown("**Peak years**")
                    st.markdown(peaks_text)

                by_funding = ui.cached_call(concurrency_charts[1])
                chart_column, text_column = st.columns([3, 1])
                with chart_column:
                    ui.show_chart(by_funding, key="timeline-by-funding")
                with text_column.container(border=True):
                    st.markdown("**Who pays**")
                    st.markdown(timeline.markdown_text(ui.cached_chart(timeline.describe_funding, facilities,
                                                                       catalogue.funding_types)))
    if as_of_tab.open:
        with as_of_tab:
            st.header("Year by year", anchor="as-of")
            as_of = ui.cached_call(as_of_charts[0])
            if as_of is None:
                st.info(f"None of the selected facilities had started by {as_of_year}.", icon=":material/event_busy:")
            else:
                ui.show_chart(as_of, key="timeline-as-of")
            st.caption("The Map and Overview pages show the facilities as they stood in the year chosen above.")
    charts += concurrency_charts + as_of_charts

    ui.page_zip_download(lambda: [chart() if callable(chart) else chart for chart in charts], page_slug="timeline")
