"""Controls that had no test: the camera format, "Dismiss", "Reset filters", the Compare and Nature Index
controls, clicks on the map, and a profile's predecessor and successor links (AppTest, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from china_bigscience import labels, maps
from china_bigscience.comparisons import COMPARISONS
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.i18n import ENGLISH

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    if query:
        at.query_params.update(query)
    return at.run()


def on_page(page: str, query: dict | None = None, **state) -> AppTest:
    at = app(query)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def facilities_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Facilities")


# --- The sidebar -------------------------------------------------------------------------------

def test_camera_format_svg_reaches_every_chart_and_the_page_zip():
    at = on_page("pages/timeline.py", camera_format="svg")
    configs = [json.loads(chart.proto.config)["toImageButtonOptions"] for chart in at.get("plotly_chart")]
    assert configs and all(c["format"] == "svg" and not c["filename"].endswith(".svg") for c in configs)
    assert any(b.label == "Download all charts on this page (SVG, ZIP)" for b in at.get("download_button"))
    at.segmented_control(key="camera_format").set_value("png").run()
    configs = [json.loads(chart.proto.config)["toImageButtonOptions"] for chart in at.get("plotly_chart")]
    assert {c["format"] for c in configs} == {"png"}


def test_dismiss_clears_the_link_notices_for_good():
    at = app({"province": "Atlantis"})
    assert any("'Atlantis'" in w.value.replace("\\", "") for w in at.warning)  # notices are Markdown-escaped
    at.button(key="dismiss-notices").click().run()
    assert not at.warning and not [b for b in at.button if b.key == "dismiss-notices"]
    at.text_input(key="q").input("JUNO").run()  # a later rerun does not bring them back
    assert not at.warning and not at.exception


def test_reset_filters_in_the_sidebar_restores_every_filter(catalogue):
    at = app()
    everything = facilities_metric(at)
    at.multiselect(key="province").set_value(["Sichuan"])
    at.multiselect(key="status").set_value(["operating"])
    at.segmented_control(key="basis").set_value("operation")
    at.text_input(key="q").input("lhaaso").run()
    assert facilities_metric(at) == "1"
    at.button(key="reset-sidebar").click().run()
    assert at.multiselect(key="province").value == [] and at.multiselect(key="status").value == []
    assert at.text_input(key="q").value == "" and at.segmented_control(key="basis").value == "construction"
    assert facilities_metric(at) == everything == f"{len(catalogue.facilities):,}"
    assert not [k for k in ("province", "status", "q", "basis") if k in at.query_params]


# --- Compare and Nature Index ------------------------------------------------------------------

@pytest.mark.parametrize("key", [k for k, c in COMPARISONS.items() if len(c.measures) > 1])
def test_compare_measure_toggle_redraws_with_the_other_measure(key):
    # Only the open tab builds its charts (on purpose): open the comparison's tab through the link.
    tab_key = "depth" if key == "muon_flux" else key
    at = on_page("pages/compare.py", {"compare-section": ENGLISH(f"page.compare.tab_{tab_key}")})
    control = at.segmented_control(key=f"compare-measure-{key}")
    first, second = control.options[:2]

    def axis_titles():
        return [json.loads(c.proto.spec)["layout"].get("xaxis", {}).get("title", {}).get("text", "")
                for c in at.get("plotly_chart")]

    before = axis_titles()
    control.set_value(COMPARISONS[key].measures[1]).run()
    assert not at.exception
    after = axis_titles()
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert len(changed) == 1, (first, second, changed)  # this chart, and no other


def test_nature_index_data_year_picks_the_institutions_year():
    at = on_page("pages/nature_index.py")
    control = at.segmented_control(key="ni-institution-year")
    years = [int(y) for y in control.options]
    assert control.value == max(years) and len(years) > 1

    def institutions_title() -> str:
        return next(s.value for s in at.subheader if "institution" in s.value.lower())

    assert str(max(years)) in institutions_title()
    control.set_value(min(years)).run()
    assert not at.exception
    assert str(min(years)) in institutions_title() and str(max(years)) not in institutions_title()


# --- Clicks on the map -------------------------------------------------------------------------

def click_on_map(layer_id: str, picked: dict) -> dict:
    """The selection state Streamlit gives the page when a reader clicks one object of a deck layer."""
    return {"selection": {"indices": {layer_id: [0]}, "objects": {layer_id: [picked]}}}


def test_clicking_a_facility_shows_its_facts_and_profile_link(catalogue):
    row = catalogue.facilities.set_index("id").loc["juno"]
    at = on_page("pages/map.py", facility_map=click_on_map(maps.FACILITY_LAYER_ID, {"id": "juno"}))
    assert f"Selected: {maps.escape_markdown(row['name_en'])}" in [s.value for s in at.subheader]
    links = [p.proto for p in at.get("page_link") if p.proto.label == "Open the full profile of this facility"]
    assert [link.query_string for link in links] == ["facility=juno"]


def test_clicking_a_province_label_offers_to_filter_to_it(catalogue):
    at = on_page("pages/map.py", facility_map=click_on_map(maps.PROVINCE_LABEL_LAYER_ID, {"name_en": "Sichuan"}))
    count = int((catalogue.facilities["province"] == "Sichuan").sum())
    assert any(f"Sichuan: {count} facilities" in m.value for m in at.markdown)
    at.button(key="map_pick_province").click().run()
    assert not at.exception
    assert at.multiselect(key="province").value == ["Sichuan"]
    points = maps.located(filter_facilities(catalogue.facilities, FacilityFilter(provinces=("Sichuan",))))
    drawn = next(layer for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
                 if layer["id"] == maps.FACILITY_LAYER_ID)["data"]
    assert {p["id"] for p in drawn} == set(points["id"]) and len(drawn) == count


def test_a_click_on_a_facility_the_filter_hides_shows_nothing_stale():
    at = on_page("pages/map.py", {"province": "Beijing"}, facility_map=click_on_map(maps.FACILITY_LAYER_ID, {"id": "juno"}))
    assert not [s for s in at.subheader if s.value.startswith("Selected:")]
    assert any("Click a point to see its key facts here." in c.value for c in at.caption)


# --- Profile links -----------------------------------------------------------------------------

@pytest.mark.parametrize("facility,relation,other", [("bepcii", "Predecessor", "bepc"), ("bepc", "Successor", "bepcii")])
def test_profile_links_to_its_predecessor_and_successor(catalogue, facility, relation, other):
    assert catalogue.facilities.set_index("id").loc["bepcii", "predecessor_id"] == "bepc"  # the data this relies on
    at = on_page("pages/profile.py", {"facility": facility})
    links = [p.proto for p in at.get("page_link") if p.proto.label.startswith(f"{relation}: ")]
    assert [(link.page, link.query_string) for link in links] == [("profile", f"facility={other}")]
    assert catalogue.facilities.set_index("id").loc[other, "acronym"] in links[0].label


def test_the_map_lists_every_drawn_facility_for_keyboard_readers(catalogue):
    """Beside the map, a selectbox offers every facility drawn (the keyboard's way to what a click does)."""
    at = on_page("pages/map.py", {"province": "Sichuan"})
    chooser = at.selectbox(key="map_facility")
    drawn = maps.located(filter_facilities(catalogue.facilities, FacilityFilter(provinces=("Sichuan",))))
    assert sorted(chooser.options) == sorted(drawn["name_en"])
    picked = drawn[drawn["name_en"] == chooser.options[0]].iloc[0]
    chooser.set_value(picked["id"]).run()
    assert f"Selected: {maps.escape_markdown(labels.display_name(picked))}" in [s.value for s in at.subheader]
    links = [p.proto for p in at.get("page_link") if p.proto.label == "Open the full profile of this facility"]
    assert [link.query_string for link in links] == [f"facility={picked['id']}"]


def test_a_filter_change_leaves_the_profile_chart_unchanged():
    """The profile's chart shows one facility whatever the filter: its element must stay the same, spec and camera
    options, or the browser draws it anew on every filter change (it did: 290 ms of each change)."""
    at = on_page("pages/profile.py", {"facility": "juno"})
    before = [(chart.proto.spec, chart.proto.config) for chart in at.get("plotly_chart")]
    at.text_input(key="q").input("JUNO").run()
    assert not at.exception
    assert before and [(chart.proto.spec, chart.proto.config) for chart in at.get("plotly_chart")] == before
