"""Data explorer: the filtered facilities as a sortable table, the other tables on tabs, and downloads with their sources."""

import pandas as pd
import streamlit as st

from china_bigscience import downloads, ui
from china_bigscience.charts import NOT_KNOWN, escape_markdown

catalogue = ui.get_catalogue()
tr = ui.translator()
NOT_KNOWN = tr("common.not_known")  # noqa: F811 (the placeholder of empty cells, in the reader's language)
selection = ui.current_filter()
tables = ui.cached_chart(downloads.filtered_tables, catalogue, selection)
filtered = tables["facilities"]

st.title(tr("page.explorer.title"))
st.caption(tr("page.explorer.intro"))


def column_config(table: str) -> dict:
    """Streamlit column settings built from the data package: labels with units, meanings as help, links as links."""
    config = {}
    for name, spec in downloads.column_specs(catalogue.descriptor, table, tr).items():
        if spec["kind"] == "year":
            config[name] = st.column_config.NumberColumn(spec["label"], help=spec["help"], format="%d")
        elif spec["kind"] == "number":
            config[name] = st.column_config.NumberColumn(spec["label"], help=spec["help"], format="localized")
        elif spec["kind"] == "link":
            config[name] = st.column_config.LinkColumn(spec["label"], help=spec["help"], display_text=r"https?://([^/]+)")
        else:
            config[name] = st.column_config.TextColumn(spec["label"], help=spec["help"])
    return config


def csv_button(label: str, frame: pd.DataFrame, table: str, key: str) -> None:
    # The bytes are made on click: making them on every rerun was a quarter of the page's script time.
    st.download_button(label, lambda: downloads.csv_bytes(frame), file_name=downloads.csv_file_name(table, selection),
                       mime="text/csv", on_click="ignore", icon=":material/download:", key=key)


st.caption(escape_markdown(tr("common.selection", selection=selection.describe(tr))))
left, right = st.columns(2)
with left:
    csv_button(tr("page.explorer.facilities_csv", count=len(filtered)), filtered, "facilities", "dl-facilities-csv")
with right:
    st.download_button(
        tr("page.explorer.zip"),
        data=lambda: downloads.data_zip(catalogue, selection, tr=tr),
        file_name=downloads.zip_file_name(selection), mime="application/zip", on_click="ignore",
        icon=":material/folder_zip:", key="dl-data-zip", help=tr("page.explorer.zip_help"),
    )

# Fixed names (no counts): the open tab is kept in the link by its name, which must not change with the filter.
tab_names = [tr(f"page.explorer.tab.{name}") for name in
             ("facilities", "milestones", "peers", "nature_index", "spending", "sources")]
tabs = st.tabs(tab_names, key="explorer-tab", bind="query-params")
ui.in_link("explorer-tab", st.session_state.get("explorer-tab"))


def facilities_tab() -> None:
    if filtered.empty:
        ui.empty_state(key="explorer-facilities")
    else:
        table = ui.cached_chart(downloads.explorer_facilities, filtered, catalogue.sources, catalogue.provinces,
                                catalogue.value_sources)
        table = ui.cached_chart(downloads.explorer_facilities_shown, table, filtered, tr)
        meanings = downloads.confidence_meanings(catalogue.descriptor)
        st.caption(escape_markdown(tr("page.explorer.confidence_marks", marks=tr("profile.detail_separator").join(
            tr("page.explorer.confidence_mark", mark=m, meaning=tr.confidence_meaning(m, t)) for m, t in meanings.items()))))
        specs = downloads.column_specs(catalogue.descriptor, "facilities", tr)
        header = {column: tr(f"downloads.explorer_column.{column}") for column in table.columns
                  if tr.has(f"downloads.explorer_column.{column}")}
        st.dataframe(
            table, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
            alt=tr("page.explorer.facilities_alt", count=len(table)),
            column_config={
                **{column: st.column_config.TextColumn(label) for column, label in header.items()},
                "Facility": st.column_config.TextColumn(header.get("Facility"), pinned=True, width=240, help=specs["name_en"]["help"]),
                "中文名": st.column_config.TextColumn(tr("page.explorer.chinese_name"), width=180, help=specs["name_zh"]["help"]),
                "Profile": st.column_config.LinkColumn(header.get("Profile"), display_text=tr("common.open_profile"),
                                                       help=tr("page.explorer.profile_help")),
                "Construction start": st.column_config.NumberColumn(header.get("Construction start"), format="%d",
                                                                    help=specs["construction_start"]["help"]),
                "First operation": st.column_config.NumberColumn(header.get("First operation"), format="%d",
                                                                 help=specs["first_operation"]["help"]),
                "Depth (m)": st.column_config.NumberColumn(header.get("Depth (m)"), format="localized",
                                                           help=specs["depth_m"]["help"]),
                "Altitude (m)": st.column_config.NumberColumn(header.get("Altitude (m)"), format="localized",
                                                              help=specs["altitude_m"]["help"]),
                "Cost (million)": st.column_config.NumberColumn(
                    header.get("Cost (million)"), format="localized",
                    help=specs["cost_value"]["help"] + tr("page.explorer.cost_help_extra")),
                "Status as of": st.column_config.TextColumn(header.get("Status as of"),
                                                            help=specs["status_as_of"]["help"]),
                "National list": st.column_config.TextColumn(header.get("National list"),
                                                             help=specs["on_national_list"]["help"]),
                "Functional type": st.column_config.TextColumn(header.get("Functional type"),
                                                               help=specs["functional_type"]["help"]),
                # Widths kept modest so the completeness bars show without scrolling sideways on a laptop.
                "Key facts known": st.column_config.ProgressColumn(
                    header.get("Key facts known"), min_value=0, max_value=100, format="%d%%",
                    help=tr("page.explorer.facts_known_help")),
                "Primary or reputable sources": st.column_config.ProgressColumn(
                    header.get("Primary or reputable sources"), min_value=0, max_value=100, format="%d%%",
                    help=tr("page.explorer.well_sourced_help")),
                "Weakly sourced facts": st.column_config.TextColumn(header.get("Weakly sourced facts"),
                                                                    help=tr("page.explorer.weakly_sourced_help")),
                "Confidence": st.column_config.TextColumn(header.get("Confidence"), help=specs["confidence"]["help"]),
                "Main source": st.column_config.LinkColumn(
                    header.get("Main source"), display_text=r"https?://([^/]+)", help=tr("page.explorer.main_source_help")),
                "Source ids": st.column_config.TextColumn(header.get("Source ids"), help=specs["source_ids"]["help"]),
            },
        )


def milestones_tab() -> None:
    milestones = downloads.explorer_milestones(tables["milestones"], filtered)
    if milestones.empty:
        ui.empty_state(tr("common.what_milestones"), key="explorer-milestones")
    else:
        config = column_config("milestones")
        config["facility"] = st.column_config.TextColumn(tr("downloads.explorer_column.Facility"), pinned=True)
        config["profile"] = st.column_config.LinkColumn(tr("downloads.explorer_column.Profile"),
                                                        display_text=tr("common.open_profile"))
        st.dataframe(downloads.with_repeated_texts_as_categories(milestones), hide_index=True, width="stretch",
                     placeholder=NOT_KNOWN, column_config=config, alt=tr("page.explorer.milestones_alt", count=len(milestones)))
        csv_button(tr("page.explorer.milestones_csv"), tables["milestones"], "milestones",
                   "dl-milestones-csv")


def peers_tab() -> None:
    st.caption(tr("page.explorer.peers_caption"))
    st.dataframe(downloads.with_repeated_texts_as_categories(catalogue.peers), hide_index=True, width="stretch", placeholder=NOT_KNOWN, column_config=column_config("peers"),
                 alt=tr("page.explorer.peers_alt", count=len(catalogue.peers)))
    csv_button(tr("page.explorer.peers_csv"), catalogue.peers, "peers", "dl-peers-csv")


def nature_index_tab() -> None:
    st.caption(tr("page.explorer.ni_caption"))
    st.dataframe(catalogue.nature_index, hide_index=True, width="stretch", placeholder=NOT_KNOWN, column_config=column_config("nature_index"),
                 alt=tr("page.explorer.ni_alt", count=len(catalogue.nature_index)))
    csv_button(tr("page.explorer.ni_csv"), catalogue.nature_index, "nature_index", "dl-nature-index-csv")


def spending_tab() -> None:
    st.caption(tr("page.explorer.spending_caption"))
    st.dataframe(catalogue.research_spending, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
                 column_config=column_config("research_spending"),
                 alt=tr("page.explorer.spending_alt", count=len(catalogue.research_spending)))
    csv_button(tr("page.explorer.spending_csv"), catalogue.research_spending, "research_spending", "dl-spending-csv")


def sources_tab() -> None:
    only_cited = st.toggle(tr("page.explorer.only_cited"), value=True, key="explorer-only-cited")
    shown_sources = tables["sources"] if only_cited else catalogue.sources
    if shown_sources.empty:
        st.info(tr("page.explorer.no_sources"))
    else:
        st.dataframe(downloads.explorer_sources(shown_sources), hide_index=True, width="stretch", placeholder=NOT_KNOWN,
                     column_config=column_config("sources"),
                     alt=tr("page.explorer.sources_alt", count=len(shown_sources)))
        csv_button(tr("page.explorer.sources_csv"), shown_sources, "sources", "dl-sources-csv")


# Bound tabs know which one is open: only its table is built and sent (at 30 times the catalogue the six
# tables together were 3.7 MB; the milestones alone 1.3 MB).
for tab, build in zip(tabs, (facilities_tab, milestones_tab, peers_tab, nature_index_tab, spending_tab, sources_tab)):
    if tab.open:
        with tab:
            build()
