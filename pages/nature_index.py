"""Nature Index: China against the US and others by Share, subjects, CAS, and China's R&D spending."""

import streamlit as st

from china_bigscience import nature_index, spending, ui
from china_bigscience.charts import escape_markdown, source_line

catalogue = ui.get_catalogue()
tr = ui.translator()
ni, sources, spending_rows = catalogue.nature_index, catalogue.sources, catalogue.research_spending

st.title(tr("page.nature_index.title"))
st.markdown(tr("page.nature_index.intro"))
st.caption(tr("page.nature_index.filters_caption"))

# Nothing here depends on the sidebar filter (filtered=False): the charts' elements stay byte-identical when
# it changes, so Streamlit's message cache skips them and the browser does not redraw them.
charts = []

st.header(tr("page.nature_index.share_header"), anchor="share")
share = ui.cached_chart(nature_index.share_chart, ni, sources, tr)
if share is None:
    st.info(tr("page.nature_index.no_shares"))
else:
    # The chart takes the full width and the two texts sit side by side under it: beside the chart, the
    # long explainer and the claim box outgrew it and left a wide empty column below the chart.
    charts.append(share)
    ui.show_chart(share, key=share.slug, filtered=False)
    explainer_column, claim_column = st.columns(2)
    with explainer_column:
        st.markdown(tr("ni.share_explainer"))
    with claim_column:
        check = ui.cached_chart(nature_index.seed_claim_check, ni, sources, tr)
        with st.container(border=True):
            st.markdown(tr("page.nature_index.seed_says"))
            # The article's sentence as it wrote it (a quotation), with a translation in Chinese.
            st.markdown(f"> {escape_markdown(check.claim)}")
            if tr("ni.seed_claim_translation"):
                st.caption(tr("ni.seed_claim_translation"))
            st.caption(escape_markdown(tr("page.nature_index.claim_cited", citation=check.citation)))
            st.markdown(tr("page.nature_index.data_says"))
            for finding in check.findings:
                st.markdown(f"- {escape_markdown(finding)}")

changes = ui.cached_chart(nature_index.adjusted_share_change_chart, ni, sources, tr)
if changes is not None:
    charts.append(changes)
    ui.show_chart(changes, key=changes.slug, filtered=False)

st.header(tr("page.nature_index.subjects_header"), anchor="subjects")
subjects = ui.cached_chart(nature_index.subject_leadership_chart, ni, sources, tr)
if subjects is None:
    st.info(tr("page.nature_index.no_subjects"))
else:
    charts.append(subjects)
    ui.show_chart(subjects, key=subjects.slug, filtered=False)

st.header(tr("page.nature_index.institutions_header"), anchor="institutions")
years = nature_index.institution_years(ni)
if not years:
    st.info(tr("page.nature_index.no_institutions"))
else:
    st.markdown(escape_markdown(ui.cached_chart(nature_index.cas_summary, ni, tr)))
    year = years[-1]
    if len(years) > 1:
        year = st.segmented_control(tr("page.nature_index.data_year"), years, default=years[-1], required=True,
                                    key="ni-institution-year", bind="query-params")
        ui.in_link("ni-institution-year", year)
    institutions = ui.cached_chart(nature_index.institutions_chart, ni, sources, year, tr)
    charts.append(institutions)
    ui.show_chart(institutions, key="nature-index-institutions", filtered=False)

st.header(tr("page.nature_index.spending_header"), anchor="spending")
rise = spending.central_budget_rise(spending_rows)
if rise is not None:
    st.metric(
        tr("page.nature_index.budget_metric", year=int(rise["year"])),
        tr.quantity(rise["value"], rise["unit"]),
        delta=tr("page.nature_index.budget_delta", change=f"{rise['change_pct']:+.1f}", previous=int(rise["year"]) - 1),
        help=tr("page.nature_index.budget_help",
                plan=tr("page.nature_index.budget_plan") if rise["is_budget"] is True else ""),
    )
    st.caption(escape_markdown(source_line([rise["source_ids"]], sources, tr=tr)))
levels = ui.cached_chart(spending.spending_levels_chart, spending_rows, sources, tr)
growth = ui.cached_chart(spending.spending_change_chart, spending_rows, sources, tr)
if levels is None and growth is None:
    st.info(tr("page.nature_index.no_spending"))
for chart in (levels, growth):
    if chart is not None:
        charts.append(chart)
        ui.show_chart(chart, key=chart.slug, filtered=False)

st.divider()
ui.page_zip_download(charts, page_slug="nature-index", filtered=False)
