"""China Big-Science Dashboard: the frame around every page.

Runs on every rerun before the page: sets up navigation, builds the global
filters in the sidebar (bound to the URL, so a copied link restores the view),
checks the link for values it cannot apply and says so, runs the page, and draws
the footer.
"""

from pathlib import Path

import streamlit as st

from china_bigscience import DASHBOARD_NAME, ui
from china_bigscience.charts import escape_markdown
from china_bigscience.filters import (
    COMPLETENESS_STEP,
    FUNCTIONAL_TYPE_CHOICES,
    SEARCH_MAX_CHARS,
    YEAR_BASES,
    FacilityFilter,
    read_filter_params,
)
from china_bigscience.i18n import Translator, link_values
from china_bigscience.national_list import NATIONAL_LIST_STATES, functional_type_label
from china_bigscience.page_list import PAGES

tr = Translator(ui.language())
st.set_page_config(
    page_title=tr("app.name"),
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),  # local: a Material icon here is fetched from Google
    layout="wide",
    initial_sidebar_state="auto",
    menu_items={"About": tr("app.about", name=tr("app.name"))},
)
ui.declare_page_language(tr)

def navigation():
    """The page list in the reader's language (the URL paths stay language-neutral)."""
    # One flat list, in page_list order: with sections ("Explore", "Look up") Streamlit 1.67 puts a <div>
    # between the <ul> and its <li> items, which screen readers and axe-core reject as list markup
    # (tests/test_accessibility.py).
    return st.navigation([st.Page(entry.script, title=tr(f"nav.{entry.name}"), icon=entry.icon, default=entry.default)
                          for entry in PAGES])


def sidebar_filters(catalogue, year_bounds: tuple[int, int]) -> tuple[FacilityFilter, st.delta_generator.DeltaGenerator]:
    """The global filters (drawn where it is called: the sidebar), bound to the link; on a session's first run the
    link is checked against them.

    Also returns the place of the language links, filled once the page has said its own link values."""
    tr = ui.translator()
    low_year, high_year = year_bounds
    # The link as the reader opened it, read before the bound widgets take (and silently drop) parts of it.
    first_run = ui.NOTICES_KEY not in st.session_state
    ui.remember_link_as_opened()
    link_params = {key: st.query_params.get_all(key) for key in (*ui.FILTER_KEYS, ui.DATA_VERSION_PARAM)} if first_run else {}
    # A bound widget writes its shown label into the link: read labels of either language as data values.
    tables = ui.bound_label_tables(catalogue)
    link_params = {key: link_values(values, tables[key]) if key in tables else values
                   for key, values in link_params.items()}
    ui.apply_link_corrections()
    st.markdown(f"**{tr('app.name')}**")
    language_box = st.container()
    st.caption(tr("sidebar.intro"))
    provinces = st.multiselect(
        tr("sidebar.province"), catalogue.province_names, key="province", bind="query-params",
        placeholder=tr("sidebar.province_placeholder"), format_func=tr.province,
    )
    fields = st.multiselect(tr("sidebar.field"), catalogue.fields, key="field", bind="query-params",
                            placeholder=tr("sidebar.field_placeholder"), format_func=tr.field)
    statuses = st.multiselect(tr("sidebar.status"), catalogue.statuses, key="status", bind="query-params",
                              placeholder=tr("sidebar.status_placeholder"), format_func=tr.status)
    basis = st.segmented_control(
        tr("sidebar.basis"), YEAR_BASES, key="basis", bind="query-params", default="construction",
        format_func=lambda b: tr.value("year_basis", b), help=tr("sidebar.basis_help"),
    ) or "construction"
    years = st.slider(
        tr("sidebar.years"), min_value=low_year, max_value=high_year, value=(low_year, high_year), key="years",
        bind="query-params", step=1,
    )
    text = st.text_input(
        tr("sidebar.search"), key="q", bind="query-params", placeholder=tr("sidebar.search_placeholder"),
        help=tr("sidebar.search_help"),
    )
    national = st.multiselect(
        tr("sidebar.national"), NATIONAL_LIST_STATES, key="national", bind="query-params",
        placeholder=tr("sidebar.national_placeholder"), format_func=lambda s: tr.value("national_list", s),
        help=tr("sidebar.national_help"),
    )
    functional_types = st.multiselect(
        tr("sidebar.ftype"), FUNCTIONAL_TYPE_CHOICES, key="ftype", bind="query-params",
        placeholder=tr("sidebar.ftype_placeholder"), format_func=lambda f: functional_type_label(f, tr),
        help=tr("sidebar.ftype_help"),
    )
    complete = st.slider(
        tr("sidebar.complete"), min_value=0, max_value=100, value=0, step=COMPLETENESS_STEP,
        key="complete", bind="query-params", help=tr("sidebar.complete_help"),
    )
    st.button(tr("sidebar.reset"), on_click=ui.reset_filters, icon=":material/restart_alt:", key="reset-sidebar")
    if first_run:
        # Tell the reader what of the link was not applied, and make the widgets show what was applied.
        reading = read_filter_params(
            link_params, provinces=catalogue.province_names, fields=catalogue.fields, statuses=catalogue.statuses,
            year_bounds=year_bounds, national_lists=NATIONAL_LIST_STATES, functional_types=FUNCTIONAL_TYPE_CHOICES,
            tr=tr,
        )
        version_notice = ui.data_version_notice(link_params[ui.DATA_VERSION_PARAM], ui.data_version(catalogue))
        if version_notice:
            reading.notices.append(version_notice)
        reading.notices += ui.unknown_link_params()
        ui.settle_link(reading, {"province": provinces, "field": fields, "status": statuses, "years": tuple(years),
                                 "basis": basis, "q": text, "national": national, "ftype": functional_types,
                                 "complete": complete}, year_bounds=year_bounds)
    year_range = None if tuple(sorted(years)) == year_bounds else (int(min(years)), int(max(years)))
    return FacilityFilter(
        provinces=tuple(provinces), fields=tuple(fields), statuses=tuple(statuses),
        year_range=year_range, year_basis=basis, text=text.strip()[:SEARCH_MAX_CHARS],
        national_list=tuple(national), functional_types=tuple(functional_types), min_completeness=int(complete or 0),
    ), language_box


def camera_format_control() -> None:
    """The chart camera's image format: outside the filters' fragment, since every page's charts read it."""
    st.divider()
    st.segmented_control(
        tr("sidebar.camera_format"), ["png", "svg"], key="camera_format", default="png",
        format_func=str.upper, persist_state="session", help=tr("sidebar.camera_format_help"),
    )


def link_notices() -> None:
    for notice in st.session_state[ui.NOTICES_KEY]:
        st.warning(escape_markdown(notice), icon=":material/link_off:")
    if st.session_state[ui.NOTICES_KEY]:
        st.button(tr("notice.dismiss"), key="dismiss-notices",
                  on_click=lambda: st.session_state.update({ui.NOTICES_KEY: []}))


def frame(page) -> None:
    ui.start_run()
    catalogue = ui.get_catalogue()
    year_bounds = ui.year_bounds(catalogue)
    full_run = {"now": True}

    def language_links(box) -> None:
        # Drawn last: the links carry this run's filter and the page's own link values (a page that stops
        # early draws them through ui.stop).
        with box:
            ui.language_switch(catalogue, tr)

    @st.fragment
    def filters_alone():
        """The filters as a fragment, for a page that does not read them: a change reruns the sidebar only."""
        shown = st.session_state.get(ui.FILTER_STATE_KEY)
        selection, box = sidebar_filters(catalogue, year_bounds)
        st.session_state[ui.FILTER_STATE_KEY] = selection
        if not full_run["now"]:  # rerun alone: the page's link values are those of the last full run
            language_links(box)
            if selection != shown and ui.share_box_open():
                st.rerun(scope="app")  # the open share box shows the link of the view, filters included
        return selection, box

    page_entry = {entry.url_path: entry for entry in PAGES}.get(page.url_path)
    with st.sidebar:
        if page_entry is not None and not page_entry.reads_filters:
            st.session_state[ui.FILTER_STATE_KEY], language_box = filters_alone()
        else:
            st.session_state[ui.FILTER_STATE_KEY], language_box = sidebar_filters(catalogue, year_bounds)
        camera_format_control()
    full_run["now"] = False
    ui.keep_data_version_in_link(catalogue)
    link_notices()

    ui.before_early_stop(lambda: language_links(language_box))
    page.run()
    ui.footer(catalogue, page.title)
    language_links(language_box)


page = navigation()
# Tells the pages they run inside this frame (see ui.require_frame). Cleared however the run ends: here
# after the page or an exception, and by ui.stop() before an early stop (after st.stop() Streamlit
# refuses session-state access), so a later bare page run cannot find it stale.
st.session_state[ui.FRAME_RUNNING_KEY] = True
try:
    frame(page)
finally:
    st.session_state.pop(ui.FRAME_RUNNING_KEY, None)
    st.session_state.pop(ui.BEFORE_EARLY_STOP_KEY, None)
