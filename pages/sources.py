"""Sources & methods: rendered from data/datapackage.json and sources.csv, so it never disagrees with the data."""

import pandas as pd
import streamlit as st

from china_bigscience import downloads, ui
from china_bigscience.charts import escape_markdown, markdown_link

catalogue = ui.get_catalogue()
tr = ui.translator()
descriptor = catalogue.descriptor
facilities = catalogue.facilities
not_known = tr("common.not_known")


def in_language(frame: pd.DataFrame) -> pd.DataFrame:
    """A summary table with its headers (and statuses, fields) in the reader's language."""
    headers = {column: tr(f"downloads.header.{column}") for column in frame.columns if tr.has(f"downloads.header.{column}")}
    headers |= {column: tr.status(column) for column in frame.columns if column in catalogue.statuses}
    shown = frame.rename(columns=headers)
    for column, kind in (("Field", "field"), ("Scope", "scope"), ("Quality", "quality")):
        if column in frame.columns:
            shown[headers[column]] = frame[column].map(lambda v, kind=kind: tr.value(kind, v))
    return shown


st.title(tr("page.sources.title"))
st.caption(tr("page.sources.intro"))
st.write(escape_markdown(tr.described("package.description", descriptor.get("description", ""))))

st.header(tr("page.sources.chosen_header"))
seed = next((s["title"] for s in descriptor.get("sources", []) if "path" not in s), "")
st.markdown(tr("page.sources.chosen", seed=escape_markdown(tr.described("package.seed", seed)),
               fields=escape_markdown(tr.join(tr.field(f) for f in catalogue.fields))))
fields_table = downloads.facilities_by_field(facilities, catalogue.fields)
st.markdown(tr("page.sources.holds", facilities=len(facilities), fields=facilities["field"].nunique(),
               provinces=facilities["province"].nunique(), sources=len(catalogue.sources)))
st.dataframe(in_language(fields_table), hide_index=True, width="stretch",
             alt=tr("page.sources.fields_alt", count=len(facilities)))

states = downloads.facilities_by_national_list(facilities, catalogue.fields)
on_list = int(states["on the list"].sum())
st.markdown(tr("page.sources.national_list", on_list=on_list, count=len(facilities)))
st.dataframe(in_language(states), hide_index=True, width="stretch",
             alt=tr("page.sources.national_list_alt", count=len(facilities)))

st.header(tr("page.sources.confidence_header"))
meanings = downloads.confidence_meanings(descriptor)
st.markdown(tr("page.sources.confidence_intro"))
for mark, meaning in meanings.items():
    st.markdown(tr("page.sources.confidence_item", mark=escape_markdown(mark),
                   meaning=escape_markdown(tr.confidence_meaning(mark, meaning))))
st.markdown(tr("page.sources.rows_per_mark"))
st.dataframe(in_language(downloads.confidence_counts(catalogue)), hide_index=True, width="stretch")
zh_field = catalogue.field_schema("facilities", "name_zh_confidence")
coord_field = catalogue.field_schema("facilities", "coord_confidence")
st.caption(escape_markdown(tr(
    "page.sources.single_marks",
    zh=tr.column_description("facilities", "name_zh_confidence", zh_field["description"]),
    coord=tr.column_description("facilities", "coord_confidence", coord_field["description"]))))

st.header(tr("page.sources.quality_header"))
quality = in_language(downloads.quality_counts(catalogue.sources))
st.markdown(tr("page.sources.quality_intro"))
for name, meaning in downloads.quality_meanings(descriptor).items():
    st.markdown(tr("page.sources.quality_item", name=escape_markdown(tr.value("quality", name)), meaning=escape_markdown(
        tr(f"downloads.quality_meaning.{name}") if tr.is_chinese else meaning)))
share = tr("downloads.header.Share")
st.dataframe(quality, hide_index=True, width="content",
             column_config={share: st.column_config.ProgressColumn(share, min_value=0.0, max_value=1.0, format="percent")},
             alt=tr("page.sources.quality_alt", count=len(catalogue.sources)))
st.caption(tr("page.sources.weakly_sourced"))

st.header(tr("page.sources.scope_header"))
scope_field = catalogue.field_schema("nature_index", "scope")
edition_field = catalogue.field_schema("nature_index", "edition")
st.markdown(escape_markdown(tr.column_description("nature_index", "scope", scope_field["description"])
                            + tr("common.sentence_space")
                            + tr.column_description("nature_index", "edition", edition_field["description"])))
st.markdown(tr("page.sources.scope_after"))
scopes = in_language(downloads.nature_index_scopes(catalogue.nature_index))
st.dataframe(scopes, hide_index=True, width="stretch",
             column_config={tr("downloads.header.First data year"): st.column_config.NumberColumn(format="%d"),
                            tr("downloads.header.Last data year"): st.column_config.NumberColumn(format="%d")})

st.header(tr("page.sources.boundaries_header"))
boundaries = catalogue.resource("province_boundaries")
st.info(escape_markdown(tr.resource_description("province_boundaries", boundaries.get("description", ""))),
        icon=":material/map:")
st.caption(escape_markdown(tr("page.sources.boundary_licence", licences=", ".join(
    lic.get("title", lic.get("name", "")) for lic in boundaries.get("licenses", [])))))

st.header(tr("page.sources.cite_header"))
licences = ", ".join(markdown_link(lic.get("title") or lic.get("name", ""), lic.get("path"))
                     for lic in descriptor.get("licenses", []))
st.markdown(tr("page.sources.cite", licences=licences))
citation = downloads.citation_text(descriptor, tr=tr)
st.code(citation, language=None, wrap_lines=True)
st.download_button("CITATION.txt", citation, file_name="CITATION.txt", mime="text/plain", on_click="ignore",
                   icon=":material/format_quote:", key="dl-citation")

st.header(tr("page.sources.correction_header"))
steps = downloads.CORRECTION_STEPS if not tr.is_chinese else [tr("downloads.correction_1"), tr("downloads.correction_2")]
for number, step in enumerate(steps, start=1):
    st.markdown(f"{number}. {step}")

st.header(tr("page.sources.package_header"))
summaries = downloads.resource_summaries(descriptor, catalogue)
if tr.is_chinese:
    name_of = {resource.get("path"): resource["name"] for resource in descriptor.get("resources", [])}
    names = [name_of.get(path, path) for path in summaries["File"]]
    summaries = summaries.assign(
        Title=[tr.resource_title(name, title) for name, title in zip(names, summaries["Title"])],
        Description=[tr.resource_description(name, text) for name, text in zip(names, summaries["Description"])])
summaries = in_language(summaries)
st.dataframe(summaries, hide_index=True, width="stretch",
             column_config={tr("downloads.header.Description"): st.column_config.TextColumn(width="large")})

st.subheader(tr("page.sources.columns_header"))
dictionary = downloads.field_dictionary(descriptor)
dictionary = dictionary.assign(Meaning=[tr.column_description(table, column, meaning) for table, column, meaning
                                        in zip(dictionary["Table"], dictionary["Column"], dictionary["Meaning"])])
for table_name, columns in dictionary.groupby("Table", sort=False):
    # Dynamic expanders: a table's dictionary is sent only when the reader opens it.
    box = st.expander(tr("page.sources.columns_expander", table=escape_markdown(table_name), count=len(columns)),
                      key=f"columns-{table_name}", on_change="rerun")
    if box.open:
        with box:
            st.dataframe(in_language(columns.drop(columns="Table")), hide_index=True, width="stretch",
                         column_config={tr("downloads.header.Meaning"): st.column_config.TextColumn(width="large")})

st.header(tr("page.sources.sources_header"))
usage = downloads.source_usage(catalogue)
st.caption(tr("page.sources.sources_caption", count=len(usage)))
st.dataframe(
    usage, hide_index=True, width="stretch", placeholder=not_known,
    alt=tr("page.sources.sources_alt", count=len(usage)),
    column_config={
        "url": st.column_config.LinkColumn("url", display_text=r"https?://([^/]+)"),
        "doi": st.column_config.LinkColumn("doi", display_text=r"https?://doi\.org/(.*)"),
        "title": st.column_config.TextColumn(width="large"),
        "quality": st.column_config.TextColumn(tr("page.sources.quality_column"), help=escape_markdown(
            tr.column_description("sources", "quality", catalogue.field_schema("sources", "quality")["description"]))),
        "quality_note": st.column_config.TextColumn(tr("page.sources.quality_note_column"), width="medium"),
    },
)
st.download_button(tr("page.sources.sources_csv"), downloads.csv_bytes(catalogue.sources),
                   file_name="china-bigscience_sources.csv", mime="text/csv", on_click="ignore",
                   icon=":material/download:", key="dl-sources-all")
