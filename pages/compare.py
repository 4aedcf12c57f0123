"""Against the world: China's facilities beside their peers by depth, altitude and size, and China's own portfolio."""

import functools

import streamlit as st

from china_bigscience import comparisons, portfolio, ui
from china_bigscience.charts import escape_markdown
from china_bigscience.comparisons import COMPARISONS
from china_bigscience.portfolio import PORTFOLIO_DIMENSIONS

catalogue = ui.get_catalogue()
tr = ui.translator()
selection = ui.current_filter()

st.title(tr("page.compare.title"))
st.markdown(tr("page.compare.intro"))
st.caption(escape_markdown(tr("page.compare.caption", selection=selection.describe(tr))))

# The measure toggles each comparison offers, in the order of COMPARISONS[...].measures (the first is the default).
MEASURE_LABEL_KEYS = {
    "depth_m": "page.compare.measure_depth_m", "depth_mwe": "page.compare.measure_depth_mwe",
    "altitude_m": "page.compare.measure_altitude_m", "area_km2": "page.compare.measure_area_km2",
    "emittance_pm": "page.compare.measure_emittance_pm", "energy_gev": "page.compare.measure_energy_gev",
    "circumference_m": "page.compare.measure_circumference_m",
}
SECTIONS = [
    ("depth", "page.compare.section_depth"),
    ("muon_flux", None),
    ("altitude", "page.compare.section_altitude"),
    ("neutrino", "page.compare.section_neutrino"),
    ("light_source", "page.compare.section_light_source"),
    ("radio", "page.compare.section_radio"),
]


def measure_label(column: str) -> str:
    return tr(MEASURE_LABEL_KEYS[column]) if column in MEASURE_LABEL_KEYS else comparisons.peer_measure(column, tr).label


charts = []
# One tab per question, bound to the link; only the open tab's charts are built and sent (the first view had
# eight Plotly charts). The ZIP makes the others when it is clicked.
TAB_LABEL_KEYS = {
    "depth": "page.compare.tab_depth", "altitude": "page.compare.tab_altitude",
    "neutrino": "page.compare.tab_neutrino", "light_source": "page.compare.tab_light_source",
    "radio": "page.compare.tab_radio",
}
HEADINGS = [(key, heading) for key, heading in SECTIONS if heading]
section_tabs = dict(zip([key for key, _ in HEADINGS],
                        st.tabs([tr(TAB_LABEL_KEYS[key]) for key, _ in HEADINGS], key="compare-section",
                                bind="query-params")))
ui.in_link("compare-section", st.session_state.get("compare-section"))
tab_of, current = {}, None
for key, heading in SECTIONS:
    current = key if heading else current
    tab_of[key] = section_tabs[current]

for key, heading in SECTIONS:
    comparison = comparisons.comparison_words(COMPARISONS[key], tr)
    tab = tab_of[key]
    if not tab.open:
        measure_column = st.session_state.get(f"compare-measure-{key}") or comparison.measures[0]
        charts.append(functools.partial(comparisons.peer_chart, catalogue, key, selection,
                                        measure_column=measure_column, tr=tr))
        continue
    with tab:
        if heading:
            st.header(tr(heading), anchor=f"section-{key}")
        measure = comparison.measures[0]
        if len(comparison.measures) > 1:
            measure = st.segmented_control(
                tr("page.compare.measure"), comparison.measures, default=comparison.measures[0], required=True,
                format_func=measure_label, key=f"compare-measure-{key}", bind="query-params",
            )
            ui.in_link(f"compare-measure-{key}", measure_label(measure))
        chart = ui.cached_chart(comparisons.peer_chart, catalogue, key, selection, measure_column=measure, tr=tr)
        if chart is None:
            st.info(escape_markdown(tr("page.compare.no_values", noun=comparison.noun,
                                       measure=comparisons.peer_measure(measure, tr).label)))
            continue
        charts.append(chart)
        ui.show_chart(chart, key=chart.slug)
        links = ui.cached_chart(comparisons.china_profile_links, catalogue, key, selection)
        if links:
            with st.container(horizontal=True):
                for facility_id, label in links:
                    st.page_link("pages/profile.py", label=tr("common.profile_link", name=escape_markdown(label)),
                                 icon=":material/apartment:", query_params={"facility": facility_id})

st.header(tr("page.compare.portfolio_header"), anchor="section-portfolio")
facilities = ui.selected_facilities(catalogue)
if facilities.empty:
    ui.empty_state(key="compare-portfolio")
else:
    st.caption(tr("page.compare.portfolio_count", count=len(facilities)))
    tabs = st.tabs([tr("page.compare.by_dimension", label=portfolio.dimension_label(dimension, tr))
                    for dimension in PORTFOLIO_DIMENSIONS], key="compare-portfolio-tab", bind="query-params")
    ui.in_link("compare-portfolio-tab", st.session_state.get("compare-portfolio-tab"))
    # Bound tabs know which one is open: only its chart is built and sent; the ZIP makes the others on click.
    for tab, dimension in zip(tabs, PORTFOLIO_DIMENSIONS):
        if tab.open:
            with tab:
                chart = ui.cached_chart(portfolio.portfolio_chart, facilities, catalogue.sources, dimension, tr)
                charts.append(chart)
                ui.show_chart(chart, key=chart.slug)
        else:
            charts.append(functools.partial(portfolio.portfolio_chart, facilities, catalogue.sources, dimension, tr))
    investment = ui.cached_chart(portfolio.investment_chart, facilities, catalogue.sources, tr)
    if investment is None:
        st.info(tr("page.compare.no_cost"))
    else:
        charts.append(investment)
        ui.show_chart(investment, key=investment.slug)

st.divider()
ui.page_zip_download(lambda: [chart() if callable(chart) else chart for chart in charts], page_slug="compare")
