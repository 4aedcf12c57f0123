"""Against the world: China's facilities beside their peers by depth, altitude and size, and China's own portfolio."""

import functools

import streamlit as st

from china_bigscience import comparisons, ui
from china_bigscience.charts import escape_markdown
from china_bigscience.comparisons import COMPARISONS, PEER_MEASURES, PORTFOLIO_DIMENSIONS

catalogue = ui.get_catalogue()
selection = ui.current_filter()

st.title("Against the world")
st.markdown(
    "The seed article's claims are comparisons: deepest, largest, highest, first. Here China's facilities "
    "(in red) stand beside their peers; hatched bars are not yet (or no longer) operating. Hover a bar for its "
    "source."
)
st.caption(f"Showing: {escape_markdown(selection.describe())}. The sidebar filter selects China's rows; other countries' rows "
           "always stay, as the yardstick.")

# The measure toggles each comparison offers, in the order of COMPARISONS[...].measures (the first is the default).
MEASURE_LABELS = {
    "depth_m": "rock (m)", "depth_mwe": "water equivalent (m.w.e.)",
    "altitude_m": "altitude (m)", "area_km2": "area (km²)",
    "emittance_pm": "emittance (pm rad)", "energy_gev": "energy (GeV)", "circumference_m": "circumference (m)",
}
SECTIONS = [
    ("depth", "How deep: underground laboratories"),
    ("muon_flux", None),
    ("altitude", "How high: high-altitude observatories"),
    ("neutrino", "How big: neutrino detectors"),
    ("light_source", "How bright: synchrotron light sources"),
    ("radio", "How wide: radio dishes"),
]

charts = []
# One tab per question, bound to the link; only the open tab's charts are built and sent (the first view had
# eight Plotly charts). The ZIP makes the others when it is clicked.
HEADINGS = [(key, heading) for key, heading in SECTIONS if heading]
section_tabs = dict(zip([key for key, _ in HEADINGS],
                        st.tabs([heading.split(":")[0] for _, heading in HEADINGS], key="compare-section",
                                bind="query-params")))
ui.in_link("compare-section", st.session_state.get("compare-section"))
tab_of, current = {}, None
for key, heading in SECTIONS:
    current = key if heading else current
    tab_of[key] = section_tabs[current]

for key, heading in SECTIONS:
    comparison = COMPARISONS[key]
    tab = tab_of[key]
    if not tab.open:
        measure_column = st.session_state.get(f"compare-measure-{key}") or comparison.measures[0]
        charts.append(functools.partial(comparisons.peer_chart, catalogue, key, selection,
                                        measure_column=measure_column))
        continue
    with tab:
        if heading:
            st.header(heading, anchor=f"section-{key}")
        measure = comparison.measures[0]
        if len(comparison.measures) > 1:
            measure = st.segmented_control(
                "Measure", comparison.measures, default=comparison.measures[0], required=True,
                format_func=lambda column: MEASURE_LABELS.get(column, PEER_MEASURES[column].label),
                key=f"compare-measure-{key}", bind="query-params",
            )
            ui.in_link(f"compare-measure-{key}", MEASURE_LABELS.get(measure, PEER_MEASURES[measure].label))
        chart = ui.cached_chart(comparisons.peer_chart, catalogue, key, selection, measure_column=measure)
        if chart is None:
            st.info(f"The data has no {comparison.noun} with a known {PEER_MEASURES[measure].label}.")
            continue
        charts.append(chart)
        ui.show_chart(chart, key=chart.slug)
        links = comparisons.china_profile_links(catalogue, key, selection)
        if links:
            with st.container(horizontal=True):
                for facility_id, label in links:
                    st.page_link("pages/profile.py", label=f"{escape_markdown(label)}: profile",
                                 icon=":material/apartment:", query_params={"facility": facility_id})

st.header("China's own portfolio", anchor="section-portfolio")
facilities = ui.selected_facilities(catalogue)
if facilities.empty:
    ui.empty_state(key="compare-portfolio")
else:
    st.caption(f"{len(facilities)} Chinese facilities in the selection.")
    tabs = st.tabs([f"By {label}" for _, label, _ in PORTFOLIO_DIMENSIONS.values()], key="compare-portfolio-tab",
                   bind="query-params")
    ui.in_link("compare-portfolio-tab", st.session_state.get("compare-portfolio-tab"))
    # Bound tabs know which one is open: only its chart is built and sent; the ZIP makes the others on click.
    for tab, dimension in zip(tabs, PORTFOLIO_DIMENSIONS):
        if tab.open:
            with tab:
                chart = ui.cached_chart(comparisons.portfolio_chart, facilities, catalogue.sources, dimension)
                charts.append(chart)
                ui.show_chart(chart, key=chart.slug)
        else:
            charts.append(functools.partial(comparisons.portfolio_chart, facilities, catalogue.sources, dimension))
    investment = ui.cached_chart(comparisons.investment_chart, facilities, catalogue.sources)
    if investment is None:
        st.info("No facility in the selection has a known cost in yuan.")
    else:
        charts.append(investment)
        ui.show_chart(investment, key=investment.slug)

st.divider()
ui.page_zip_download(lambda: [chart() if callable(chart) else chart for chart in charts], page_slug="compare")
