"""Sources & methods: rendered from data/datapackage.json and sources.csv, so it never disagrees with the data."""

import streamlit as st

from china_bigscience import downloads, ui
from china_bigscience.charts import NOT_KNOWN, escape_markdown, markdown_link

catalogue = ui.get_catalogue()
descriptor = catalogue.descriptor
facilities = catalogue.facilities

st.title("Sources & methods")
st.caption("Where every number comes from, what every column means, how sure we are, and how to cite or correct it.")
st.write(escape_markdown(descriptor.get("description", "")))

st.header("How facilities were chosen")
seed = next((s["title"] for s in descriptor.get("sources", []) if "path" not in s), "")
st.markdown(
    f"The catalogue started from the facilities named in the seed article ({escape_markdown(seed)}) and adds other "
    "large research facilities in China of the same kinds that the compilers could document in a citable source, "
    f"in these fields: {escape_markdown(', '.join(catalogue.fields))}. A facility is listed only with at least one "
    "source in `sources.csv` (a test enforces it); planned facilities are listed when a source describes them, "
    "and marked as planned. World peers (`peers.csv`) are the facilities abroad that are usually compared with them."
)
fields_table = downloads.facilities_by_field(facilities, catalogue.fields)
st.markdown(
    f"Today the catalogue holds **{len(facilities)} facilities** in **{facilities['field'].nunique()} fields** "
    f"and **{facilities['province'].nunique()} provincial-level divisions**, citing "
    f"**{len(catalogue.sources)} sources**. By field and status:"
)
st.dataframe(fields_table, hide_index=True, width="stretch",
             alt=f"Table of facility counts by field and status for {len(facilities)} facilities.")

st.header("What the confidence marks mean")
meanings = downloads.confidence_meanings(descriptor)
st.markdown("Every row of every table carries a confidence mark in its `confidence` column:")
for mark, meaning in meanings.items():
    st.markdown(f"- **{escape_markdown(mark)}**: {escape_markdown(meaning)}")
st.markdown("Rows per mark, by table:")
st.dataframe(downloads.confidence_counts(catalogue), hide_index=True, width="stretch")
zh_field = catalogue.field_schema("facilities", "name_zh_confidence")
coord_field = catalogue.field_schema("facilities", "coord_confidence")
st.caption(escape_markdown(f"Some single values carry their own mark: name_zh_confidence ({zh_field['description']}) "
                           f"and coord_confidence ({coord_field['description']})"))

st.header("Nature Index: the scope break")
scope_field = catalogue.field_schema("nature_index", "scope")
edition_field = catalogue.field_schema("nature_index", "edition")
st.markdown(escape_markdown(f"{scope_field['description']} {edition_field['description']}"))
st.markdown("Values from different journal scopes (and editions) are therefore not directly comparable. "
            "The data holds these scopes:")
st.dataframe(downloads.nature_index_scopes(catalogue.nature_index), hide_index=True, width="stretch",
             column_config={"First data year": st.column_config.NumberColumn(format="%d"),
                            "Last data year": st.column_config.NumberColumn(format="%d")})

st.header("Map boundaries")
boundaries = catalogue.resource("province_boundaries")
st.info(escape_markdown(boundaries.get("description", "")), icon=":material/map:")
st.caption(escape_markdown("Boundary licence: " + ", ".join(
    lic.get("title", lic.get("name", "")) for lic in boundaries.get("licenses", []))))

st.header("How to cite")
licences = ", ".join(markdown_link(lic.get("title") or lic.get("name", ""), lic.get("path"))
                     for lic in descriptor.get("licenses", []))
st.markdown(f"The data are published under {licences}. Cite the dashboard, the data and, for any value you use, "
            "its original source.")
citation = downloads.citation_text(descriptor)
st.code(citation, language=None, wrap_lines=True)
st.download_button("CITATION.txt", citation, file_name="CITATION.txt", mime="text/plain", on_click="ignore",
                   icon=":material/format_quote:", key="dl-citation")

st.header("How to report a correction")
for number, step in enumerate(downloads.CORRECTION_STEPS, start=1):
    st.markdown(f"{number}. {step}")

st.header("The data package")
st.dataframe(downloads.resource_summaries(descriptor, catalogue), hide_index=True, width="stretch",
             column_config={"Description": st.column_config.TextColumn(width="large")})

st.subheader("What each column means")
dictionary = downloads.field_dictionary(descriptor)
for table_name, columns in dictionary.groupby("Table", sort=False):
    # Dynamic expanders: a table's dictionary is sent only when the reader opens it.
    box = st.expander(f"{escape_markdown(table_name)}: {len(columns)} columns", key=f"columns-{table_name}",
                      on_change="rerun")
    if box.open:
        with box:
            st.dataframe(columns.drop(columns="Table"), hide_index=True, width="stretch",
                         column_config={"Meaning": st.column_config.TextColumn(width="large")})

st.header("Sources")
usage = downloads.source_usage(catalogue)
st.caption(f"{len(usage)} sources. 'seen_via = copy' means the compilers read a republished copy; the source is then "
           "cited by its publisher, title and date, without the copy's address.")
st.dataframe(
    usage, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
    alt=f"Table of {len(usage)} sources with publisher, title, date, address and how many rows cite each.",
    column_config={
        "url": st.column_config.LinkColumn("url", display_text=r"https?://([^/]+)"),
        "doi": st.column_config.LinkColumn("doi", display_text=r"https?://doi\.org/(.*)"),
        "title": st.column_config.TextColumn(width="large"),
    },
)
st.download_button("Sources (CSV)", downloads.csv_bytes(catalogue.sources), file_name="china-bigscience_sources.csv",
                   mime="text/csv", on_click="ignore", icon=":material/download:", key="dl-sources-all")
