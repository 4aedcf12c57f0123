"""Facility profile: one facility fully, reachable as ?facility=<id>."""

import streamlit as st

from china_bigscience import completeness, downloads, labels, profiles, ui
from china_bigscience.charts import NOT_KNOWN, escape_markdown, shorten

PICK_KEY = "profile_facility"


def follow_link() -> None:
    """Keep the link in step with the menu, so a copied address opens this facility."""
    chosen = st.session_state.get(PICK_KEY)
    if chosen:
        st.query_params["facility"] = chosen
    else:
        st.query_params.pop("facility", None)


catalogue = ui.get_catalogue()
facilities = catalogue.facilities
known_ids = set(facilities["id"])
filtered = ui.selected_facilities(catalogue)

st.title("Facility profile")
st.caption("Every recorded fact about one facility, its milestones, its nearest world peers and every source, "
           "with its confidence. Unknown facts say “not known”.")

# Read the link before drawing the menu: the menu only knows the ids it lists, and a reader who
# followed a broken link must be told which id was not found.
requested = st.query_params.get("facility")
unknown_request = bool(requested) and requested not in known_ids

# The menu lists the facilities the sidebar filters select, plus the linked one whatever the filters.
shown_ids = set(filtered["id"]) | ({requested} if requested in known_ids else set())
options = profiles.facility_options(facilities[facilities["id"].isin(shown_ids)])
menu_labels = {row["id"]: labels.menu_label(row) for row in facilities.to_dict("records")}

if unknown_request:
    st.error(f"No facility has the id “{escape_markdown(shorten(requested))}”. Search for it below, or pick one from the menu.",
             icon=":material/search_off:")
    search = st.text_input("Search facilities", value=requested, key="profile_search",
                           placeholder="Name, 中文, acronym, place")
    suggestions = profiles.suggest_facilities(facilities, search)
    if suggestions.empty:
        st.write("Nothing matches that search.")
    for row in suggestions.to_dict("records"):
        st.page_link("pages/profile.py", label=escape_markdown(labels.menu_label(row)),
                     query_params={"facility": row["id"]}, icon=":material/apartment:")

if not options:
    ui.empty_state("facilities", key="profile")
    ui.stop()

if requested in known_ids and st.session_state.get(PICK_KEY) != requested:
    st.session_state[PICK_KEY] = requested
facility_id = st.selectbox(
    "Facility", options, index=None if unknown_request else 0, key=PICK_KEY, on_change=follow_link,
    format_func=lambda fid: menu_labels.get(fid, fid), placeholder="Choose a facility",
    help="The list follows the sidebar filters. A link with ?facility=<id> opens any facility.",
)
if facility_id is None:
    ui.stop()

profile = profiles.facility_profile(catalogue, facility_id)
row = profile.row
st.header(escape_markdown(profile.heading), anchor="facility")
st.caption(escape_markdown(f"{row['field']} · {row['status']} as of {row['status_as_of']} · id {facility_id}"))
if row["confidence"] == "l":
    st.warning("This facility's row is from memory and not verified against a source: treat its values with care.",
               icon=":material/warning:")

facts = profile.facts.set_index("Fact")
st.write(escape_markdown(facts.loc["National list", "Value"] + " " + facts.loc["National list", "Detail"]).strip())

record = profile.completeness
st.progress(float(record["completeness"]), text=escape_markdown("Completeness: " + completeness.completeness_sentence(record)))
weak_facts = record["weakly_sourced_facts"]
st.caption(escape_markdown(completeness.sourcing_sentence(record)
                           + (f" Weakly sourced (only weak sources): {weak_facts.replace('; ', ', ')}." if weak_facts else "")
                           + " Key facts: " + ", ".join(completeness.key_fact_names()) + "."))

st.subheader("Facts")
# A table rather than a grid so that long values wrap; its cells render Markdown, hence the escaping.
st.table(profile.facts.map(escape_markdown), hide_index=True)
st.download_button("Download these facts (CSV)", downloads.csv_bytes(profile.facts),
                   file_name=f"china-bigscience_profile_{facility_id}.csv", mime="text/csv",
                   on_click="ignore", icon=":material/download:", key="profile-csv")

related = [(profile.predecessor_id, "Predecessor")] + [(fid, "Successor") for fid in profile.successor_ids]
for related_id, relation in related:
    if related_id:
        related_row = facilities[facilities["id"] == related_id].iloc[0]
        st.page_link("pages/profile.py", label=f"{relation}: {escape_markdown(labels.menu_label(related_row))}",
                     query_params={"facility": related_id}, icon=":material/link:")

if profile.location is not None:
    ui.show_chart(profile.location, key=f"profile-map-{facility_id}")
else:
    st.subheader("Location")
    st.write("Location not known: no coordinates are recorded for this facility (it may not be sited yet).")

st.subheader("Milestones")
if profile.milestones.empty:
    st.write("No milestones are recorded for this facility.")
else:
    st.dataframe(profile.milestones, hide_index=True, width="stretch", placeholder=NOT_KNOWN)

st.subheader("Nearest world peers")
if not profile.peer_comparisons:
    st.write("This facility is not in the world comparison data (peers.csv).")
for comparison in profile.peer_comparisons:
    measure = profiles.measure_label(comparison.measure, comparison.unit) if comparison.measure else ""
    own = "not known" if comparison.own_value is None else f"{comparison.own_value:,.10g} {comparison.unit}"
    st.markdown(f"**{escape_markdown(comparison.category.capitalize())}**: compared by {escape_markdown(measure)}; "
                f"this facility: {escape_markdown(own)}.")
    if comparison.note:
        st.write(escape_markdown(comparison.note))
    if not comparison.peers.empty:
        st.dataframe(comparison.peers, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
                     column_config={column: st.column_config.NumberColumn(format="localized")
                                    for column in comparison.peers.columns if "(" in column and "year" not in column})
st.page_link("pages/compare.py", label="Compare with the world", icon=":material/leaderboard:")

st.subheader("Sources")
st.caption("Every source behind this profile, its quality, what it supports and the confidence of the rows that "
           "cite it.  \n**Quality** " + escape_markdown("; ".join(
               f"{name}: {meaning}" for name, meaning in downloads.quality_meanings(catalogue.descriptor).items()))
           + ".  \n**Confidence** " + " ".join(f"{mark}: {meaning}." for mark, meaning in downloads.confidence_meanings(catalogue.descriptor).items()))
st.dataframe(profile.sources, hide_index=True, width="stretch", placeholder=NOT_KNOWN,
             column_config={"Link": st.column_config.LinkColumn("Link", display_text=r"https?://([^/]+)")})
