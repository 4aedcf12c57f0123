"""Data explorer: the filtered facilities as a sortable table, the other tables on tabs, and downloads with their sources."""

import pandas as pd
import streamlit as st

from china_bigscience import downloads, ui
from china_bigscience.charts import NOT_KNOWN, escape_markdown

catalogue = ui.get_catalogue()
selection = ui.current_filter()
tables = downloads.filtered_tables(catalogue, selection)
filtered = tables["facilities"]
milestones = downloads.explorer_milestones(tables["milestones"], filtered)

st.title("Data explorer")
st.caption("The tables behind the dashboard. The facilities and milestones follow the sidebar filters; click a column "
           "header to sort. Downloads carry their sources, column descriptions and a citation.")


def column_config(table: str) -> dict:
    """Streamlit column settings built from the data package: labels with units, meanings as help, links as links."""
    config = {}
    for name, spec in downloads.column_specs(catalogue.descriptor, table).items():
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
    st.download_button(label, downloads.csv_bytes(frame), file_name=downloads.csv_file_name(table, selection),
                       mime="text/csv", on_click="ignore", icon=":material/download:", key=key)


st.caption(f"Selection: {escape_markdown(selection.describe())}")
left, right = st.columns(2)
with left:
    csv_button(f"Filtered facilities, {len(filtered)} rows (CSV)", filtered, "facilities", "dl-facilities-csv")
with right:
    st.download_button(
        "Filtered data with sources, README and citation (ZIP)",
        data=lambda: downloads.data_zip(catalogue, selection),
        file_name=downloads.zip_file_name(selection), mime="application/zip", on_click="ignore",
        icon=":material/folder_zip:", key="dl-data-zip",
        help="facilities.csv, milestones.csv and sources.csv cut to the filters, with provinces.csv, "
             "the matching part of datapackage.json, README.txt and CITATION.txt.",
    )

# Fixed names (no counts): the open tab is kept in the link by its name, which must not change with the filter.
tab_names = ["Facilities", "Milestones", "World peers", "Nature Index", "Research spending", "Sources"]
facilities_tab, milestones_tab, peers_tab, nature_tab, spending_tab, sources_tab = st.tabs(
    tab_names, key="explorer-tab", bind="query-params")
ui.in_link("explorer-tab", st.session_state.get("explorer-tab"))

with facilities_tab:
    if filtered.empty:
        ui.empty_state("facilities", key="explorer-facilities")
    else:
        table = downloads.explorer_facilities(filtered, catalogue.sources, catalogue.provinces, catalogue.value_sources)
        st.caption("Confidence marks: "
                   + "; ".join(f"{escape_markdown(m)} = {escape_markdown(t)}" for m, t in downloads.confidence_meanings(catalogue.descriptor).items()))
        specs = downloads.column_specs(catalogue.descriptor, "facilities")
        st.dataframe(
            table, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
            alt=f"Table of {len(table)} facilities with English and Chinese names, field, province, status, national "
                "list, functional type, share of key facts known, share of primary or reputable sources, years, "
                "depth, altitude, cost, operator, funding, confidence and sources.",
            column_config={
                # Widths kept modest so the completeness bars show without scrolling sideways on a laptop.
                "Facility": st.column_config.TextColumn("Facility", pinned=True, width=240, help=specs["name_en"]["help"]),
                "中文名": st.column_config.TextColumn("中文名 (Chinese name)", width=180, help=specs["name_zh"]["help"]),
                "Profile": st.column_config.LinkColumn("Profile", display_text="Open profile",
                                                       help="The facility's full profile, with every source"),
                "Construction start": st.column_config.NumberColumn(format="%d", help=specs["construction_start"]["help"]),
                "First operation": st.column_config.NumberColumn(format="%d", help=specs["first_operation"]["help"]),
                "Depth (m)": st.column_config.NumberColumn(format="localized", help=specs["depth_m"]["help"]),
                "Altitude (m)": st.column_config.NumberColumn(format="localized", help=specs["altitude_m"]["help"]),
                "Cost (million)": st.column_config.NumberColumn(
                    format="localized", help=specs["cost_value"]["help"] + " Currency in the next column; "
                    "estimates and price years are in the downloads and on the profile."),
                "Status as of": st.column_config.TextColumn(help=specs["status_as_of"]["help"]),
                "National list": st.column_config.TextColumn(help=specs["on_national_list"]["help"]),
                "Functional type": st.column_config.TextColumn(help=specs["functional_type"]["help"]),
                "Key facts known": st.column_config.ProgressColumn(
                    "Key facts known", min_value=0, max_value=100, format="%d%%",
                    help="Completeness: the share of the facility's key facts that are known (location, depth or "
                         "altitude where it matters, scale, cost, construction start, first operation, status, "
                         "operator, funding). The profile names the missing ones."),
                "Primary or reputable sources": st.column_config.ProgressColumn(
                    "Primary or reputable sources", min_value=0, max_value=100, format="%d%%",
                    help="Share of the facility's own sources (row, per-value and national-list sources) that are "
                         "primary or reputable; the rest are weak."),
                "Weakly sourced facts": st.column_config.TextColumn(
                    help="Key facts that rest only on weak sources (value_sources.csv); they are left out of headline "
                         "numbers."),
                "Confidence": st.column_config.TextColumn(help=specs["confidence"]["help"]),
                "Main source": st.column_config.LinkColumn(
                    "Main source", display_text=r"https?://([^/]+)",
                    help="The first cited source with an address; all of them are in 'Source ids' and on the profile."),
                "Source ids": st.column_config.TextColumn(help=specs["source_ids"]["help"]),
            },
        )

with milestones_tab:
    if milestones.empty:
        ui.empty_state("milestones", key="explorer-milestones")
    else:
        config = column_config("milestones")
        config["facility"] = st.column_config.TextColumn("facility", pinned=True)
        config["profile"] = st.column_config.LinkColumn("profile", display_text="Open profile")
        st.dataframe(milestones, hide_index=True, width="stretch", placeholder=NOT_KNOWN, column_config=config,
                     alt=f"Table of {len(milestones)} milestones of the filtered facilities, in date order.")
        csv_button("These milestones (CSV)", tables["milestones"], "milestones",
                   "dl-milestones-csv")

with peers_tab:
    st.caption("World facilities to compare China's with. Not affected by the sidebar filters.")
    st.dataframe(catalogue.peers, hide_index=True, width="stretch", placeholder=NOT_KNOWN, column_config=column_config("peers"),
                 alt=f"Table of {len(catalogue.peers)} world peer facilities with their comparison measures.")
    csv_button("World peers (CSV)", catalogue.peers, "peers", "dl-peers-csv")

with nature_tab:
    st.caption("Nature Index figures by country or institution. Not affected by the sidebar filters; "
               "see Sources & methods for the journal-scope break.")
    st.dataframe(catalogue.nature_index, hide_index=True, width="stretch", placeholder=NOT_KNOWN, column_config=column_config("nature_index"),
                 alt=f"Table of {len(catalogue.nature_index)} Nature Index values.")
    csv_button("Nature Index (CSV)", catalogue.nature_index, "nature_index", "dl-nature-index-csv")

with spending_tab:
    st.caption("China's research spending. Not affected by the sidebar filters.")
    st.dataframe(catalogue.research_spending, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
                 column_config=column_config("research_spending"),
                 alt=f"Table of {len(catalogue.research_spending)} research-spending values.")
    csv_button("Research spending (CSV)", catalogue.research_spending, "research_spending", "dl-spending-csv")

with sources_tab:
    only_cited = st.toggle("Only the sources cited by the filtered facilities and their milestones", value=True,
                           key="explorer-only-cited")
    shown_sources = tables["sources"] if only_cited else catalogue.sources
    if shown_sources.empty:
        st.info("No sources are cited by the filtered facilities.")
    else:
        st.dataframe(downloads.explorer_sources(shown_sources), hide_index=True, width="stretch", placeholder=NOT_KNOWN,
                     column_config=column_config("sources"),
                     alt=f"Table of {len(shown_sources)} sources with publisher, title, date and address.")
        csv_button("These sources (CSV)", shown_sources, "sources", "dl-sources-csv")
