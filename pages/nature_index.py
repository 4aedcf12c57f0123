"""Nature Index: China against the US and others by Share, subjects, CAS, and China's R&D spending."""

import streamlit as st

from china_bigscience import nature_index, spending, ui
from china_bigscience.charts import escape_markdown, format_value, source_line

catalogue = ui.get_catalogue()
ni, sources, spending_rows = catalogue.nature_index, catalogue.sources, catalogue.research_spending

st.title("China and the world in the Nature Index")
st.markdown(
    "How China's output in high-quality journals compares with the US and other leading countries, which subjects "
    "each leads, where the Chinese Academy of Sciences stands, and what China spends on research."
)
st.caption("The sidebar filters select facilities and do not apply to this page.")

# Nothing here depends on the sidebar filter (filtered=False): the charts' elements stay byte-identical when
# it changes, so Streamlit's message cache skips them and the browser does not redraw them.
charts = []

st.header("China and the US, by Share", anchor="share")
share = ui.cached_chart(nature_index.share_chart, ni, sources)
if share is None:
    st.info("The data has no country Shares yet.")
else:
    chart_column, text_column = st.columns([3, 1])
    with chart_column:
        charts.append(share)
        ui.show_chart(share, key=share.slug, filtered=False)
    with text_column:
        st.markdown(nature_index.SHARE_EXPLAINER)
        check = ui.cached_chart(nature_index.seed_claim_check, ni, sources)
        with st.container(border=True):
            st.markdown("**What the seed article says**")
            st.markdown(f"> {escape_markdown(check.claim)}")
            st.caption(f"Claim cited from: {escape_markdown(check.citation)}. Shown as the article's claim, not as data.")
            st.markdown("**What the data says**")
            for finding in check.findings:
                st.markdown(f"- {escape_markdown(finding)}")

changes = ui.cached_chart(nature_index.adjusted_share_change_chart, ni, sources)
if changes is not None:
    charts.append(changes)
    ui.show_chart(changes, key=changes.slug, filtered=False)

st.header("Who leads which subject", anchor="subjects")
subjects = ui.cached_chart(nature_index.subject_leadership_chart, ni, sources)
if subjects is None:
    st.info("The data does not say which country leads any subject.")
else:
    charts.append(subjects)
    ui.show_chart(subjects, key=subjects.slug, filtered=False)

st.header("The Chinese Academy of Sciences among institutions", anchor="institutions")
years = nature_index.institution_years(ni)
if not years:
    st.info("The data has no institution Shares yet.")
else:
    st.markdown(escape_markdown(ui.cached_chart(nature_index.cas_summary, ni)))
    year = years[-1]
    if len(years) > 1:
        year = st.segmented_control("Data year", years, default=years[-1], required=True, key="ni-institution-year",
                                    bind="query-params")
        ui.in_link("ni-institution-year", year)
    institutions = ui.cached_chart(nature_index.institutions_chart, ni, sources, year)
    charts.append(institutions)
    ui.show_chart(institutions, key="nature-index-institutions", filtered=False)

st.header("China's R&D spending", anchor="spending")
rise = spending.central_budget_rise(spending_rows)
if rise is not None:
    st.metric(
        f"Central government S&T budget, {int(rise['year'])}",
        format_value(rise["value"], rise["unit"]),
        delta=f"{rise['change_pct']:+.1f} % on {int(rise['year']) - 1}",
        help="The central government's budget line for science and technology"
             + (" (a budget, i.e. a plan)" if rise["is_budget"] is True else "")
             + ". Not the same as total R&D spending (GERD), which includes companies and local governments.",
    )
    st.caption(escape_markdown(source_line([rise["source_ids"]], sources)))
levels = ui.cached_chart(spending.spending_levels_chart, spending_rows, sources)
growth = ui.cached_chart(spending.spending_change_chart, spending_rows, sources)
if levels is None and growth is None:
    st.info("The data has no spending figures yet.")
for chart in (levels, growth):
    if chart is not None:
        charts.append(chart)
        ui.show_chart(chart, key=chart.slug, filtered=False)

st.divider()
ui.page_zip_download(charts, page_slug="nature-index", filtered=False)
