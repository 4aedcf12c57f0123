"""Overview: what the dashboard is, headline numbers for the current filter, and the seed article's claims checked."""

import streamlit as st

from china_bigscience import overview, ui
from china_bigscience.charts import escape_markdown, source_line

catalogue = ui.get_catalogue()
tr = ui.translator()
selection = ui.current_filter()
facilities = ui.selected_facilities(catalogue)

st.title(tr("page.overview.title"))
st.markdown(tr("page.overview.intro"))
st.caption(escape_markdown(tr("common.showing", selection=selection.describe(tr))))

if facilities.empty:
    ui.empty_state(key="overview")
else:
    headlines = ui.cached_chart(overview.headline_numbers, facilities, catalogue.value_sources, catalogue.sources, tr)
    for row_start in range(0, len(headlines), 4):
        columns = st.columns(4)
        for column, headline in zip(columns, headlines[row_start:row_start + 4]):
            with column.container(border=True):
                st.metric(headline.label, headline.value, help=headline.help or None)
                st.caption(escape_markdown(headline.detail))
                st.page_link(headline.page, label=tr("page.overview.where_from"), icon=":material/arrow_forward:")

national = ui.cached_chart(overview.national_count, catalogue.facilities, catalogue.sources)
with st.container(border=True):
    st.markdown(escape_markdown(national.text(tr)))
    st.caption(escape_markdown(source_line(national.source_ids, catalogue.sources, tr=tr)
                               + (tr("overview.national_weak") if national.weakly_sourced else "")))

st.header(tr("page.overview.claims_header"), anchor="claims")
st.caption(tr("page.overview.claims_caption"))
for claim in ui.cached_chart(overview.seed_claims, catalogue, tr):
    marker = {True: ":material/check_circle:", False: ":material/error:", None: ":material/help:"}[claim.holds]
    # One text element for the claim and its evidence, one for its notes: every element is a React subtree the
    # browser renders before the page's first paint.
    notes = [escape_markdown(claim.nuance)] if claim.nuance else []
    if claim.source_ids:
        notes.append(escape_markdown(source_line(claim.source_ids, catalogue.sources, tr=tr)))
    with st.container(border=True):
        st.markdown(f"{marker} **{escape_markdown(claim.claim)}**\n\n{escape_markdown(claim.evidence)}")
        if notes:
            st.caption("  \n".join(notes))
