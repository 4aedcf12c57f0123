"""Overview: what the dashboard is, headline numbers for the current filter, and the seed article's claims checked."""

import streamlit as st

from china_bigscience import overview, ui
from china_bigscience.charts import escape_markdown, source_line

catalogue = ui.get_catalogue()
selection = ui.current_filter()
facilities = ui.selected_facilities(catalogue)

st.title("China's big-science facilities")
st.markdown(
    "Where China's large research facilities are, how deep, high and big they are, when they were built and who "
    "pays, set against the world's and against China's rise in the Nature Index. "
    "Every number comes with its source; what is not known says so."
)
st.caption(f"Showing: {escape_markdown(selection.describe())}")

if facilities.empty:
    ui.empty_state(key="overview")
else:
    headlines = overview.headline_numbers(facilities, catalogue.value_sources, catalogue.sources)
    for row_start in range(0, len(headlines), 4):
        columns = st.columns(4)
        for column, headline in zip(columns, headlines[row_start:row_start + 4]):
            with column.container(border=True):
                st.metric(headline.label, headline.value, help=headline.help or None)
                st.caption(escape_markdown(headline.detail))
                st.page_link(headline.page, label="Where this comes from", icon=":material/arrow_forward:")

national = overview.national_count(catalogue.facilities, catalogue.sources)
with st.container(border=True):
    st.markdown(escape_markdown(national.text()))
    st.caption(escape_markdown(source_line(national.source_ids, catalogue.sources)
                               + (" Weakly sourced: NDRC's and CCTV's own texts were not found; both were seen only "
                                  "in copies." if national.weakly_sourced else "")))

st.header("What the data shows", anchor="claims")
st.caption("The claims of “China's big-science bet” (Nature Index 2024 China supplement), checked against the "
           "tables. These use all facilities and peers, whatever the filter.")
for claim in overview.seed_claims(catalogue):
    marker = {True: ":material/check_circle:", False: ":material/error:", None: ":material/help:"}[claim.holds]
    with st.container(border=True):
        st.markdown(f"{marker} **{claim.claim}**")
        st.markdown(escape_markdown(claim.evidence))
        if claim.nuance:
            st.caption(escape_markdown(claim.nuance))
        if claim.source_ids:
            st.caption(escape_markdown(source_line(claim.source_ids, catalogue.sources)))
