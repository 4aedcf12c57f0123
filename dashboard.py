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
    YEAR_BASIS_LABELS,
    FacilityFilter,
    read_filter_params,
)
from china_bigscience.national_list import NATIONAL_LIST_STATES, functional_type_label
from china_bigscience.page_list import PAGES

st.set_page_config(
    page_title=DASHBOARD_NAME,
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),  # local: a Material icon here is fetched from Google
    layout="wide",
    initial_sidebar_state="auto",
    menu_items={"About": f"{DASHBOARD_NAME}: cited data on China's big-science facilities. See the Sources page."},
)


def navigation():
    sections: dict[str, list] = {}
    for entry in PAGES:
        sections.setdefault(entry.section, []).append(
            st.Page(entry.script, title=entry.title, icon=entry.icon, default=entry.default)
        )
    return st.navigation(sections)


def sidebar_filters(catalogue, year_bounds: tuple[int, int]) -> FacilityFilter:
    """The global filters, bound to the link; on a session's first run the link is checked against them."""
    low_year, high_year = year_bounds
    # The link as the reader opened it, read before the bound widgets take (and silently drop) parts of it.
    first_run = ui.NOTICES_KEY not in st.session_state
    ui.remember_link_as_opened()
    link_params = {key: st.query_params.get_all(key) for key in (*ui.FILTER_KEYS, ui.DATA_VERSION_PARAM)} if first_run else {}
    ui.apply_link_corrections()
    with st.sidebar:
        st.markdown(f"**{DASHBOARD_NAME}**")
        st.caption("Filters apply on every page and are kept in the link.")
        provinces = st.multiselect(
            "Province", catalogue.province_names, key="province", bind="query-params",
            placeholder="All provinces",
        )
        fields = st.multiselect("Field", catalogue.fields, key="field", bind="query-params", placeholder="All fields")
        statuses = st.multiselect("Status", catalogue.statuses, key="status", bind="query-params",
                                  placeholder="Any status")
        basis = st.segmented_control(
            "Years of", YEAR_BASES, key="basis", bind="query-params", default="construction",
            format_func=YEAR_BASIS_LABELS.get,
            help="Which year the year range applies to. Facilities with that year unknown drop out when you narrow "
                 "the range.",
        ) or "construction"
        years = st.slider(
            "Years", min_value=low_year, max_value=high_year, value=(low_year, high_year), key="years",
            bind="query-params", step=1,
        )
        text = st.text_input(
            "Search", key="q", bind="query-params", placeholder="Name, 中文, acronym, place",
            help="Matches English and Chinese names, acronyms, places and operators: 'juno', '江门' and 'JUNO' all "
                 "find JUNO.",
        )
        national = st.multiselect(
            "National list", NATIONAL_LIST_STATES, key="national", bind="query-params", placeholder="Any",
            help="Whether a facility is on China's national list of major S&T infrastructure (国家重大科技基础设施), "
                 "as its sources say; 'not known' where no source says.",
        )
        functional_types = st.multiselect(
            "Functional type", FUNCTIONAL_TYPE_CHOICES, key="ftype", bind="query-params", placeholder="Any type",
            format_func=functional_type_label,
            help="The functional type Chinese policy gives a national facility, where a source supports it.",
        )
        complete = st.slider(
            "Key facts known (at least, %)", min_value=0, max_value=100, value=0, step=COMPLETENESS_STEP,
            key="complete", bind="query-params",
            help="Completeness: the share of a facility's key facts (location, depth or altitude where it matters, "
                 "scale, cost, construction start, first operation, status, operator, funding) that are known.",
        )
        st.button("Reset filters", on_click=ui.reset_filters, icon=":material/restart_alt:", key="reset-sidebar")
        st.divider()
        st.segmented_control(
            "Chart images save as", ["png", "svg"], key="camera_format", default="png",
            format_func=str.upper, persist_state="session",
            help="Format of each chart's camera button (top right of a chart) and of the page's ZIP of charts.",
        )
    if first_run:
        # Tell the reader what of the link was not applied, and make the widgets show what was applied.
        reading = read_filter_params(
            link_params, provinces=catalogue.province_names, fields=catalogue.fields, statuses=catalogue.statuses,
            year_bounds=year_bounds, national_lists=NATIONAL_LIST_STATES, functional_types=FUNCTIONAL_TYPE_CHOICES,
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
    )


def link_notices() -> None:
    for notice in st.session_state[ui.NOTICES_KEY]:
        st.warning(escape_markdown(notice), icon=":material/link_off:")
    if st.session_state[ui.NOTICES_KEY]:
        st.button("Dismiss", key="dismiss-notices", on_click=lambda: st.session_state.update({ui.NOTICES_KEY: []}))


def frame(page) -> None:
    ui.start_link_values()
    catalogue = ui.get_catalogue()
    year_bounds = ui.year_bounds(catalogue)
    st.session_state[ui.FILTER_STATE_KEY] = sidebar_filters(catalogue, year_bounds)
    ui.keep_data_version_in_link(catalogue)
    link_notices()
    page.run()
    ui.footer(catalogue, page.title)


page = navigation()
# Tells the pages they run inside this frame (see ui.require_frame). Cleared however the run ends: here
# after the page or an exception, and by ui.stop() before an early stop (after st.stop() Streamlit
# refuses session-state access), so a later bare page run cannot find it stale.
st.session_state[ui.FRAME_RUNNING_KEY] = True
try:
    frame(page)
finally:
    st.session_state.pop(ui.FRAME_RUNNING_KEY, None)
