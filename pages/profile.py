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
tr = ui.translator()
facilities = catalogue.facilities
known_ids = set(facilities["id"])
filtered = ui.selected_facilities(catalogue)

st.title(tr("page.profile.title"))
st.caption(tr("page.profile.intro"))

# Read the link before drawing the menu: the menu only knows the ids it lists, and a reader who
# followed a broken link must be told which id was not found.
requested = st.query_params.get("facility")
unknown_request = bool(requested) and requested not in known_ids

# The menu lists the facilities the sidebar filters select, plus the linked one whatever the filters.
shown_ids = set(filtered["id"]) | ({requested} if requested in known_ids else set())
options = profiles.facility_options(facilities[facilities["id"].isin(shown_ids)])
menu_labels = ui.cached_chart(labels.menu_labels, facilities, tr)

if unknown_request:
    st.error(tr("page.profile.unknown_id", id=escape_markdown(shorten(requested))), icon=":material/search_off:")
    search = st.text_input(tr("page.profile.search"), value=requested, key="profile_search",
                           placeholder=tr("sidebar.search_placeholder"))
    suggestions = profiles.suggest_facilities(facilities, search)
    if suggestions.empty:
        st.write(tr("page.profile.nothing_matches"))
    for row in suggestions.to_dict("records"):
        st.page_link("pages/profile.py", label=escape_markdown(labels.menu_label(row, tr)),
                     query_params={"facility": row["id"]}, icon=":material/apartment:")

if not options:
    ui.empty_state(key="profile")
    ui.stop()

if requested in known_ids and st.session_state.get(PICK_KEY) != requested:
    st.session_state[PICK_KEY] = requested
facility_id = st.selectbox(
    tr("page.profile.facility"), options, index=None if unknown_request else 0, key=PICK_KEY, on_change=follow_link,
    format_func=lambda fid: menu_labels.get(fid, fid), placeholder=tr("common.choose_facility"),
    help=tr("page.profile.list_help"),
)
if facility_id is None:
    ui.stop()

profile = ui.cached_chart(profiles.facility_profile, catalogue, facility_id, tr)
row = profile.row
not_known = tr("common.not_known")
st.header(escape_markdown(profile.heading), anchor="facility")
st.caption(escape_markdown(tr("page.profile.caption", field=tr.field(row["field"]), status=tr.status(row["status"]),
                              as_of=row["status_as_of"], id=facility_id)))
if row["confidence"] == "l":
    st.warning(tr("page.profile.memory_warning"), icon=":material/warning:")

facts = profile.facts.set_index(tr("profile.fact"))
national = facts.loc[tr("profile.national_list")]
st.write(escape_markdown(national[tr("profile.fact_value")] + tr("common.sentence_space")
                         + national[tr("profile.fact_detail")]).strip())

record = profile.completeness
st.progress(float(record["completeness"]), text=escape_markdown(
    tr("page.profile.completeness", sentence=completeness.completeness_sentence(record, tr))))
weak_facts = record["weakly_sourced_facts"]
st.caption(escape_markdown(
    completeness.sourcing_sentence(record, tr)
    + (tr("page.profile.weakly_sourced_facts", facts=completeness.fact_names(weak_facts, tr)) if weak_facts else "")
    + tr("page.profile.key_facts", facts=tr.join(completeness.key_fact_names(tr)))))

st.subheader(tr("page.profile.facts"))
# A table rather than a grid so that long values wrap; its cells render Markdown, hence the escaping.
st.table(profile.facts.map(escape_markdown), hide_index=True)
st.download_button(tr("page.profile.download_facts"), downloads.csv_bytes(profile.facts),
                   file_name=f"china-bigscience_profile_{facility_id}.csv", mime="text/csv",
                   on_click="ignore", icon=":material/download:", key="profile-csv")

related = ([(profile.predecessor_id, tr("page.profile.predecessor"))]
           + [(fid, tr("page.profile.successor")) for fid in profile.successor_ids])
for related_id, relation in related:
    if related_id:
        related_row = facilities[facilities["id"] == related_id].iloc[0]
        st.page_link("pages/profile.py",
                     label=tr("page.profile.related", relation=relation,
                              name=escape_markdown(labels.menu_label(related_row, tr))),
                     query_params={"facility": related_id}, icon=":material/link:")

if profile.location is not None:
    ui.show_chart(profile.location, key=f"profile-map-{facility_id}", filtered=False)  # one facility, whatever the filter
else:
    st.subheader(tr("page.profile.location"))
    st.write(tr("page.profile.location_not_known"))

st.subheader(tr("page.profile.milestones"))
if profile.milestones.empty:
    st.write(tr("page.profile.no_milestones"))
else:
    st.dataframe(profile.milestones, hide_index=True, width="stretch", placeholder=not_known)

st.subheader(tr("page.profile.peers"))
if not profile.peer_comparisons:
    st.write(tr("page.profile.not_in_peers"))
for comparison in profile.peer_comparisons:
    measure = profiles.measure_label(comparison.measure, comparison.unit, tr) if comparison.measure else ""
    own = not_known if comparison.own_value is None else tr.quantity(comparison.own_value, comparison.unit)
    category = tr.value("peer_category", comparison.category)
    st.markdown(tr("page.profile.compared_by", category=escape_markdown(category[:1].upper() + category[1:]),
                   measure=escape_markdown(measure), own=escape_markdown(own)))
    if comparison.note:
        st.write(escape_markdown(comparison.note))
    if not comparison.peers.empty:
        st.dataframe(comparison.peers, hide_index=True, width="stretch", placeholder=not_known,
                     column_config={column: st.column_config.NumberColumn(format="localized")
                                    for column in comparison.peers.columns[4:6]})
st.page_link("pages/compare.py", label=tr("page.profile.compare_link"), icon=":material/leaderboard:")

st.subheader(tr("page.profile.sources"))
meanings = profiles.translated_meanings(catalogue.descriptor, tr)
quality = tr("profile.detail_separator").join(
    tr("page.profile.quality_mark", name=tr.value("quality", name),
       meaning=tr(f"downloads.quality_meaning.{name}") if tr.is_chinese else meaning)
    for name, meaning in downloads.quality_meanings(catalogue.descriptor).items())
confidence = tr("common.sentence_space").join(
    tr("page.profile.confidence_mark", mark=mark, meaning=meaning) for mark, meaning in meanings.items())
st.caption(escape_markdown(tr("page.profile.sources_caption"))
           + f"  \n**{escape_markdown(tr('page.profile.sources_quality'))}** {escape_markdown(quality)}"
           + tr("common.full_stop")
           + f"  \n**{escape_markdown(tr('page.profile.sources_confidence'))}** {escape_markdown(confidence)}")
link_column = profiles.source_column("Link", tr)
st.dataframe(profile.sources, hide_index=True, width="stretch", placeholder=not_known,
             column_config={link_column: st.column_config.LinkColumn(link_column, display_text=r"https?://([^/]+)")})
