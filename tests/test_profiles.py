"""Facility profiles: every fact with its unit or 'not known', nearest world peers, every source with its confidence, an offline map; the page handles any id."""

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from china_bigscience import labels, profiles
from china_bigscience.charts import NOT_KNOWN
from china_bigscience.filters import FacilityFilter
from small_catalogue import HOSTILE_NAME, small_catalogue


DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
PICK_KEY = "profile_facility"  # the key of the facility menu in pages/profile.py


@pytest.fixture(scope="module")
def small():
    return small_catalogue()


def fact(profile, name):
    facts = profile.facts.set_index("Fact")
    return facts.loc[name, "Value"], facts.loc[name, "Detail"]


# --- facts ------------------------------------------------------------------------------------

def test_facts_carry_units_and_estimate_marks(small):
    profile = profiles.facility_profile(small, "deeplab")
    assert fact(profile, "Depth")[0] == "2,400 m overburden; 6,720 m.w.e."
    assert fact(profile, "Cost")[0] == "~100 million CNY"
    assert "in 2010 prices" in fact(profile, "Cost")[1]
    assert fact(profile, "Scale")[0] == "300,000 m3"
    assert fact(profile, "Province")[0] == "Sichuan (四川省)"
    assert fact(profile, "Construction start")[0] == "2009"
    assert fact(profile, "Status as of")[0] == "2024-01"


def test_gaps_say_not_known(small):
    profile = profiles.facility_profile(small, "plannedring")
    for name in ("Chinese name", "Province", "Coordinates", "Depth or altitude", "Construction start",
                 "First operation", "National acceptance", "Operator", "Funding", "Scale", "Cost"):
        assert fact(profile, name)[0] == NOT_KNOWN, name
    assert profile.location is None
    assert fact(profile, "Decommissioned")[0] == "not decommissioned"
    # Every fact has a value: nothing is blank or NaN.
    assert profile.facts["Value"].map(lambda v: isinstance(v, str) and v != "").all()


def test_confidence_marks_are_explained_from_the_schema(small):
    profile = profiles.facility_profile(small, "plannedring")
    value, _ = fact(profile, "Confidence of this row")
    assert value.startswith("l: from memory")


def test_predecessor_and_successor_are_linked(small):
    assert profiles.facility_profile(small, "hostile").predecessor_id == "deeplab"
    assert profiles.facility_profile(small, "deeplab").successor_ids == ["hostile"]


def test_unknown_id_has_no_profile(small):
    assert profiles.facility_profile(small, "no_such_facility") is None


# --- milestones, peers, sources -----------------------------------------------------------------

def test_milestones_in_date_order_with_confidence(small):
    milestones = profiles.facility_profile(small, "deeplab").milestones
    assert milestones["Date"].tolist() == ["2009-05", "2010-12"]
    assert milestones["Confidence"].str[0].tolist() == ["h", "m"]


def test_nearest_world_peers_by_the_groups_measure(small):
    [comparison] = profiles.facility_profile(small, "deeplab").peer_comparisons
    assert comparison.category == "underground laboratory"
    assert comparison.measure == "depth_m" and comparison.unit == "m"
    assert comparison.own_value == 2400
    # Nearest by depth ratio to 2,400 m: 2,070, 1,480, 1,400 (not 1,000). China's own row and the lab of unknown
    # depth are left out.
    assert comparison.peers["Peer"].tolist() == ["Snow Lab", "Mine Lab", "Mountain Lab"]
    assert comparison.peers["Depth (m)"].tolist() == [2070, 1480, 1400]
    assert comparison.peers["Difference (m)"].tolist() == [-330, -920, -1000]


def test_nearness_is_on_a_ratio_scale(small):
    [comparison] = profiles.facility_profile(small, "bigdetector").peer_comparisons
    # 50,000 t is 2.5 times 20,000 t; 1,000 t is a twentieth: the bigger tank is nearer, though further in tonnes.
    assert comparison.peers["Peer"].tolist() == ["Water Tank", "Small Detector"]


def test_peers_for_a_facility_outside_the_comparison_data(small):
    assert profiles.facility_profile(small, "plannedring").peer_comparisons == []


def test_peer_note_when_no_world_peer_has_the_measure():
    peers = pd.DataFrame({
        "id": ["a", "b"], "name": ["A", "B"], "country": ["China", "Chile"], "category": ["radio telescope"] * 2,
        "facility_id": ["fa", None], "status": ["operating"] * 2, "first_operation": [2016, None],
        "aperture_m": [500.0, None], "confidence": ["h", "h"], "source_ids": ["s", "s"],
    })
    [comparison] = profiles.nearest_peers(peers, "fa", units={"aperture_m": "m"})
    assert comparison.peers.empty and "Aperture (m)" in comparison.note


def test_sources_list_every_citing_row_with_its_confidence(small):
    sources = profiles.facility_profile(small, "deeplab").sources.set_index("Source id")
    assert set(sources.index) == {"src_a", "src_b"}
    assert "milestone 2009-05 (groundbreaking)" in sources.loc["src_a", "Supports"]
    assert "peer comparison (underground laboratory)" in sources.loc["src_a", "Supports"]
    assert sources.loc["src_b", "Confidence"].startswith("h:") and "m:" in sources.loc["src_b", "Confidence"]
    # A javascript: address never becomes a link.
    assert sources.loc["src_a", "Link"] == "https://example.org/a"
    assert pd.isna(sources.loc["src_b", "Link"])


# --- the map ------------------------------------------------------------------------------------

def test_location_map_is_offline_labelled_and_sourced(small):
    chart = profiles.facility_profile(small, "deeplab").location
    figure = chart.figure
    assert figure.layout.xaxis.title.text == "Longitude (degrees east)"
    assert figure.layout.yaxis.title.text == "Latitude (degrees north)"
    assert all(trace.type == "scatter" for trace in figure.data)  # no geo/tile traces: nothing to download
    assert figure.data[-1].x == (101.71,) and figure.data[-1].y == (28.15,)
    assert "28.15° N, 101.71° E" in chart.alt_text and "Sichuan" in chart.alt_text
    assert chart.source_line.startswith("Source: Test Publisher (2024); Other Publisher (2023)")
    assert chart.data.loc[0, "Latitude (degrees north)"] == 28.15


def test_map_escapes_names_for_plotly_labels(small):
    chart = profiles.facility_profile(small, "hostile").location
    spec = chart.figure.to_json()
    assert "<img" not in spec and "&lt;img" in spec


def test_escape_markdown_keeps_hostile_text_literal():
    escaped = profiles.escape_markdown(HOSTILE_NAME)
    assert "<" not in escaped.replace("\\<", "")
    assert profiles.escape_markdown("**bold** :red[x] $1$") == "\\*\\*bold\\*\\* \\:red\\[x\\] \\$1\\$"


def test_suggestions_for_a_mistyped_id(small):
    assert profiles.suggest_facilities(small.facilities, "deep")["id"].tolist() == ["deeplab"]
    assert "deeplab" in profiles.suggest_facilities(small.facilities, "deeplb")["id"].tolist()
    assert profiles.suggest_facilities(small.facilities, "").empty


def test_page_charts_follow_the_filter(small):
    charts = profiles.page_charts(small, FacilityFilter(provinces=("Guangdong",)))
    assert [c.slug for c in charts] == ["location-bigdetector"]
    assert profiles.page_charts(small, FacilityFilter(provinces=("Hainan",))) == []


# --- the real catalogue ---------------------------------------------------------------------

def test_every_real_facility_has_a_complete_profile(catalogue):
    for facility_id in catalogue.facilities["id"]:
        profile = profiles.facility_profile(catalogue, facility_id)
        assert len(profile.sources) >= 1, facility_id
        assert profile.sources["Publisher"].ne(NOT_KNOWN).all(), facility_id
        assert profile.facts["Value"].map(lambda v: isinstance(v, str) and v != "").all(), facility_id
        if profile.location is not None:
            assert profile.location.alt_text and profile.location.source_line.startswith("Source:")


def app_on_profile(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
    at.run()
    if query:
        at.query_params.update(query)
    at.switch_page("pages/profile.py").run()
    return at


def dataframe_by_columns(at: AppTest, first_columns: list[str]) -> pd.DataFrame:
    for frame in at.dataframe:
        if list(frame.value.columns[: len(first_columns)]) == first_columns:
            return frame.value
    raise AssertionError(f"no table starting with {first_columns}")


def test_every_real_facility_profile_page_renders_with_its_sources(catalogue):
    at = app_on_profile()
    for facility_id in catalogue.facilities["id"]:
        at.query_params["facility"] = facility_id
        at.run()
        assert not at.exception, (facility_id, [e.value for e in at.exception])
        assert at.selectbox(key=PICK_KEY).value == facility_id
        assert [s.value for s in at.subheader].count("Sources") == 1
        sources = dataframe_by_columns(at, ["Source id", "Quality"])
        expected = set(profiles.facility_profile(catalogue, facility_id).sources["Source id"])
        assert set(sources["Source id"]) == expected and expected, facility_id


def test_unknown_id_in_the_link_is_named_and_searchable():
    at = app_on_profile({"facility": "no_such_place"})
    assert not at.exception
    # The message names the id (Markdown-escaped, so it shows literally).
    assert any(profiles.escape_markdown("no_such_place") in error.value for error in at.error)
    assert at.text_input(key="profile_search").value == "no_such_place"
    assert at.selectbox(key=PICK_KEY).value is None
    assert not [s for s in at.subheader if s.value == "Facts"]


def test_choosing_a_facility_puts_it_in_the_link(catalogue):
    at = app_on_profile()
    located = catalogue.facilities[catalogue.facilities["lat"].notna() & catalogue.facilities["lon"].notna()]
    target = sorted(located["id"])[-1]
    at.selectbox(key=PICK_KEY).set_value(target).run()
    assert not at.exception
    assert at.query_params["facility"] in ([target], target)
    # A located facility gets its small locator map.
    assert at.get("plotly_chart"), target
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["xaxis"]["title"]["text"] == "Longitude (degrees east)"


# --- the pages on the small made-up data (hostile names, gaps) ---------------------------------

@pytest.fixture
def small_data_app(tmp_path, monkeypatch):
    """AppTest factory whose catalogue is the small made-up one, written to CSV files and loaded as the app does."""
    from china_bigscience import ui
    from small_catalogue import write_small_data

    data_dir = tmp_path / "data"
    write_small_data(data_dir)
    monkeypatch.setattr(ui, "DATA_DIR", data_dir)
    ui._cached_catalogue.clear()
    yield app_on_profile
    ui._cached_catalogue.clear()


def test_hostile_names_show_as_text(small_data_app):
    at = small_data_app({"facility": "hostile"})
    assert not at.exception
    heading = at.header[0].value
    # Every Markdown/HTML character is escaped, so the name is shown literally, never as an element.
    assert heading == profiles.escape_markdown(labels.menu_label(
        small_catalogue().facilities.set_index("id", drop=False).loc["hostile"]))
    assert "<img" not in heading.replace("\\<img", "")
    facts = at.table[0].value.set_index("Fact")
    assert facts.loc["English name", "Value"] == profiles.escape_markdown(HOSTILE_NAME)


def test_unsited_facility_says_location_not_known(small_data_app):
    at = small_data_app({"facility": "plannedring"})
    assert not at.exception
    assert not at.get("plotly_chart")
    assert any("Location not known" in m.value for m in at.markdown)


# --- source quality, weakly sourced values, the national list, completeness ------------------

def small_with_value_sources():
    """The small catalogue with deeplab on the national list and its depth resting only on a weak source."""
    from dataclasses import replace

    from small_catalogue import typed_table

    catalogue = small_catalogue()
    sources = pd.concat([catalogue.sources, typed_table("sources", [
        dict(id="src_weak", publisher="A Blog", title="A blog post", date="2020", kind="reference",
             seen_via="copy", quality="weak")])], ignore_index=True)
    facilities = catalogue.facilities.copy()
    facilities["on_national_list"] = facilities["on_national_list"].astype("boolean")
    facilities.loc[facilities["id"] == "deeplab", ["on_national_list", "national_list_source_ids"]] = [True, "src_b"]
    facilities.loc[facilities["id"] == "bigdetector", "on_national_list"] = False
    value_sources = typed_table("value_sources", [
        dict(facility_id="deeplab", column="depth_m", source_ids="src_weak", weakly_sourced=True),
        dict(facility_id="deeplab", column="cost_value", source_ids="src_a", weakly_sourced=False, other_value="120",
             other_source_ids="src_b"),
    ])
    return replace(catalogue, sources=sources, facilities=facilities, value_sources=value_sources)


def test_a_value_resting_only_on_weak_sources_is_marked():
    profile = profiles.facility_profile(small_with_value_sources(), "deeplab")
    value, detail = fact(profile, "Depth")
    assert value == "2,400 m overburden; 6,720 m.w.e. (weakly sourced)"
    assert detail.startswith("Weakly sourced: only weak sources support this value")
    cost, cost_detail = fact(profile, "Cost")
    assert cost == "~100 million CNY" and cost_detail.startswith("Another source gives 120 (src_b); both are kept.")
    assert "weakly sourced" not in fact(profile, "Scale")[0]
    assert profile.completeness["weakly_sourced_facts"] == "depth or altitude"


def test_national_list_statement_names_its_sources():
    catalogue = small_with_value_sources()
    on = profiles.facility_profile(catalogue, "deeplab")
    assert fact(on, "National list") == (
        "On China's national list of major S&T infrastructure (国家重大科技基础设施).",
        "Sources: Other Publisher (2023, reputable)")
    assert fact(profiles.facility_profile(catalogue, "bigdetector"), "National list")[0].startswith("Not on China's")
    assert fact(profiles.facility_profile(catalogue, "hostile"), "National list")[0].startswith("Not known whether")
    assert fact(on, "Functional type")[0] == NOT_KNOWN


def test_profile_sources_carry_quality_and_what_they_support():
    profile = profiles.facility_profile(small_with_value_sources(), "deeplab")
    sources = profile.sources.set_index("Source id")
    assert sources.loc["src_a", "Quality"] == "primary" and sources.loc["src_b", "Quality"] == "reputable"
    assert sources.loc["src_weak", "Quality"] == "weak"
    assert "value: depth_m" in sources.loc["src_weak", "Supports"]
    assert "national list" in sources.loc["src_b", "Supports"]
    assert "other value: cost_value" in sources.loc["src_b", "Supports"]


def test_profile_page_shows_completeness_national_list_and_quality(tmp_path, monkeypatch):
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
    at.query_params["facility"] = "ssrf"
    at.switch_page("pages/profile.py").run()
    assert not at.exception
    texts = [m.value.replace("\\", "") for m in at.markdown]  # read the escaped Markdown as a person sees it
    assert any(t.startswith("On China's national list of major S&T infrastructure") for t in texts), texts[:8]
    bars = at.get("progress")
    assert len(bars) == 1 and "key facts known" in bars[0].proto.text
    sources = at.dataframe[-1].value
    assert "Quality" in sources.columns and set(sources["Quality"]) <= {"primary", "reputable", "weak"}
