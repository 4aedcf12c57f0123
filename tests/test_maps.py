"""The map page: the deck, the province choropleth and the export map follow the data and the filters, offline.

Most tests use small fixture tables built here (shaped by data/datapackage.json), so they do not
depend on the real data's contents; a few check the real catalogue, the running page (AppTest)
and, marked ``browser``, the page in headless Chromium with every non-local address blocked.
"""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from china_bigscience import DATA_DIR, PROJECT_DIR, maps, profiles
from china_bigscience.catalogue import _PANDAS_DTYPES, read_descriptor
from china_bigscience.charts import NOT_KNOWN
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.geography import province_geometry

DESCRIPTOR = read_descriptor()
BOUNDARIES = json.loads((DATA_DIR / "provinces.geojson").read_text(encoding="utf-8"))
XSS_NAME = "<img src=x onerror=alert(1)>"


def fixture_table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with every column of ``name`` in the data package, typed as the catalogue types it."""
    fields = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)["schema"]["fields"]
    frame = pd.DataFrame([{f["name"]: row.get(f["name"]) for f in fields} for row in rows],
                         columns=[f["name"] for f in fields])
    for f in fields:
        frame[f["name"]] = frame[f["name"]].astype("boolean" if f["type"] == "boolean" else _PANDAS_DTYPES[f["type"]])
    return frame


FACILITY_ROWS = [
    dict(id="deep_lab", name_en="Deep Lab", name_zh="深实验室", acronym="DL", field="astroparticle & neutrino",
         province="Sichuan", location="Jinping", lat=28.15, lon=101.71, location_precision="site",
         coord_confidence="h", depth_m=2400, depth_mwe=6720, construction_start=2009, first_operation=2010,
         status="operating", status_as_of="2025", source_ids="src_a", confidence="h",
         cost_value=500.0, cost_currency="CNY", cost_is_estimate=True, cost_price_year=2010),
    dict(id="high_array", name_en="High Array", name_zh="高阵列", acronym="HA", field="astroparticle & neutrino",
         province="Sichuan", location="Daocheng", lat=29.35, lon=100.14, location_precision="town",
         coord_confidence="l", altitude_m=4410, construction_start=2017, first_operation=2021,
         status="operating", status_as_of="2025", source_ids="src_b", confidence="h",
         cost_value=1200.0, cost_currency="CNY"),
    dict(id="ring", name_en=XSS_NAME, field="photon science", province="Beijing", location="Huairou",
         lat=40.4, lon=116.6, location_precision="county", coord_confidence="m", construction_start=2019,
         status="under construction", status_as_of="2025", source_ids="src_a;src_b", confidence="m",
         cost_value=60.0, cost_currency="USD"),
    dict(id="offshore", name_en="Offshore Buoy", name_zh="海上浮标", field="earth system", location="South China Sea",
         construction_start=2015, first_operation=2016, status="decommissioned", decommissioned_year=2020,
         status_as_of="2021", source_ids="src_b", confidence="l"),
    dict(id="planned_one", name_en="Planned One", name_zh="规划一", field="particle physics", province="Hebei",
         location="Qinhuangdao", lat=39.9, lon=119.6, location_precision="city", coord_confidence="l",
         status="planned", status_as_of="2025", source_ids="src_a", confidence="l"),
]
SOURCE_ROWS = [
    dict(id="src_a", publisher="Publisher A", title="A", date="2024-05-01", kind="primary", seen_via="publisher"),
    dict(id="src_b", publisher="Publisher B", title="B", date="2023", kind="news", seen_via="copy"),
]


@pytest.fixture
def small():
    """A catalogue-like object with the five fixture facilities and the real provinces and outlines."""
    provinces = pd.read_csv(DATA_DIR / "provinces.csv", dtype={"name_en": "string", "name_zh": "string", "kind": "string"})
    return SimpleNamespace(
        facilities=fixture_table("facilities", FACILITY_ROWS), sources=fixture_table("sources", SOURCE_ROWS),
        provinces=provinces, boundaries_geojson=BOUNDARIES, descriptor=DESCRIPTOR,
    )


def deck_json(facilities, **options) -> dict:
    return json.loads(maps.facility_deck(maps.with_shown_status(facilities), BOUNDARIES, **options).to_json())


def layer(deck: dict, layer_id: str) -> dict:
    return next(item for item in deck["layers"] if item["id"] == layer_id)


# --- The deck ---------------------------------------------------------------------------------

def test_deck_is_offline_and_draws_one_point_per_located_facility(small):
    deck = deck_json(small.facilities)
    assert "mapProvider" not in deck and "cartocdn" not in json.dumps(deck)
    provinces = layer(deck, maps.PROVINCE_LAYER_ID)
    assert provinces["@@type"] == "GeoJsonLayer" and provinces["data"] == maps.STATIC_BOUNDARIES_URL
    points = layer(deck, maps.FACILITY_LAYER_ID)["data"]
    assert sorted(p["id"] for p in points) == ["deep_lab", "high_array", "planned_one", "ring"]  # offshore has no point
    assert all(isinstance(p["lon"], float) and isinstance(p["title"], str) and p["details"] for p in points)
    # Every layer has an id (Streamlit's selection needs it) and literal strings stay literal.
    assert all(item.get("id") for item in deck["layers"])
    assert layer(deck, maps.FACILITY_LAYER_ID)["radiusUnits"] == "pixels"


def test_facility_points_carry_only_what_the_layer_and_tooltip_read(small):
    # Every key is sent once per point (2,250 at 30 times the catalogue): field names, site kinds and a second
    # colour per point made the 30x deck 1.41 MB; the ring's colour is the fill's, made opaque in the browser.
    facility_layer = layer(deck_json(small.facilities, measure=maps.SIZE_MEASURES["cost"]), maps.FACILITY_LAYER_ID)
    assert all(set(point) == {"id", "lon", "lat", "radius", "fill", "title", "details"} for point in facility_layer["data"])
    assert facility_layer["getLineColor"] == "@@=[fill[0], fill[1], fill[2], 255]"
    hollow = next(point for point in facility_layer["data"] if point["id"] == "planned_one")
    assert hollow["fill"][3] == 0  # not known: drawn as a ring only, in the colour of its field


def test_deck_follows_the_filter(small):
    only_sichuan = filter_facilities(small.facilities, FacilityFilter(provinces=("Sichuan",)))
    points = layer(deck_json(only_sichuan), maps.FACILITY_LAYER_ID)["data"]
    assert {p["id"] for p in points} == {"deep_lab", "high_array"}
    photon = filter_facilities(small.facilities, FacilityFilter(fields=("photon science",)))
    assert [p["id"] for p in layer(deck_json(photon), maps.FACILITY_LAYER_ID)["data"]] == ["ring"]


def test_every_tooltip_field_is_present_on_every_pickable_object(small):
    deck = deck_json(small.facilities)
    # deck.gl has one tooltip template for all layers and leaves {name} as text when a property is missing.
    fields = {name.strip("{}") for name in re.findall(r"\{\w+\}", maps.TOOLTIP["html"])}
    assert fields == {"title", "details"}
    for item in deck["layers"]:
        if item.get("pickable"):
            for obj in item["data"]:
                assert fields <= set(obj), (item["id"], obj)
    for feature in maps.boundaries_for_map(BOUNDARIES)["features"]:
        assert fields <= set(feature["properties"])


def test_tooltip_says_names_field_place_status_depth_altitude_year_and_precision(small):
    rows = maps.with_shown_status(small.facilities).set_index("id", drop=False)
    deep = maps.tooltip_details(rows.loc["deep_lab"])
    assert "深实验室 · DL" in deep and "Field: astroparticle & neutrino" in deep and "Jinping, Sichuan" in deep
    assert "Status: operating (as of 2025)" in deep and "2,400 m underground" in deep and "First operation: 2010" in deep
    assert "Map point" not in deep  # an exact, confirmed site needs no caveat
    high = maps.tooltip_details(rows.loc["high_array"])
    assert "Altitude: 4,410 m above sea level" in high and "town level, not the exact site" in high
    ring = maps.tooltip_details(rows.loc["ring"])
    assert f"First operation: {NOT_KNOWN}" in ring


def test_tooltip_text_is_not_pre_escaped_because_streamlit_escapes_it(small):
    # Streamlit 1.67 HTML-escapes every value it interpolates into an html tooltip; escaping here too
    # would show "&lt;img" to the reader.
    points = layer(deck_json(small.facilities), maps.FACILITY_LAYER_ID)["data"]
    assert any(p["title"] == XSS_NAME for p in points)


def test_underground_and_high_altitude_sites_get_their_own_shapes(small):
    deck = deck_json(small.facilities)
    glyphs = {(g["lon"], g["glyph"]) for g in layer(deck, maps.SITE_KIND_LAYER_ID)["data"]}
    assert glyphs == {(101.71, "▼"), (100.14, "▲")}
    assert layer(deck, maps.SITE_KIND_LAYER_ID)["characterSet"] == "▼▲"


def test_sizing_by_cost_uses_cny_only_and_draws_unknowns_hollow(small):
    points = {p["id"]: p for p in layer(deck_json(small.facilities, measure=maps.SIZE_MEASURES["cost"]),
                                        maps.FACILITY_LAYER_ID)["data"]}
    assert points["high_array"]["radius"] == maps.POINT_RADIUS_RANGE_PX[1]  # the largest CNY cost
    assert points["deep_lab"]["radius"] < points["high_array"]["radius"]
    assert points["ring"]["fill"][3] == 0  # a USD cost is not compared with CNY ones
    assert points["planned_one"]["fill"][3] == 0
    uniform = layer(deck_json(small.facilities), maps.FACILITY_LAYER_ID)["data"]
    assert {p["radius"] for p in uniform} == {maps.POINT_RADIUS_PX}


def test_online_tiles_only_when_asked_and_with_the_key_given(small):
    deck = deck_json(small.facilities, online_basemap=True, carto_key="KEY123")
    assert deck["mapProvider"] == "carto" and deck["cartoKey"] == "KEY123"
    assert "mapProvider" not in deck_json(small.facilities)


def test_view_starts_on_china_and_fits_the_points(small):
    everything = deck_json(small.facilities)["initialViewState"]
    assert 95 < everything["longitude"] < 120 and 25 < everything["latitude"] < 40
    # One facility: not zoomed in on its point alone, but on its whole province, with the point in view.
    deep_lab = filter_facilities(small.facilities, FacilityFilter(text="Deep Lab"))
    one = deck_json(deep_lab)["initialViewState"]
    west, south, east, north = visible_bounds(one, maps.ASSUMED_MAP_PX)
    assert one["zoom"] < maps.MAX_FIT_ZOOM
    assert west < float(deep_lab["lon"].iloc[0]) < east and south < float(deep_lab["lat"].iloc[0]) < north
    empty = deck_json(small.facilities.iloc[0:0])["initialViewState"]
    west, south, east, north = maps.china_bounds(BOUNDARIES)
    assert west < empty["longitude"] < east and south < empty["latitude"] < north and empty["zoom"] < 5


def test_fit_view_contains_the_bounds():
    bounds = (100.0, 22.0, 117.0, 41.0)
    view = maps.fit_view(bounds)
    width, height = maps.ASSUMED_MAP_PX
    scale = 512 * 2 ** view["zoom"]
    span_x = (bounds[2] - bounds[0]) / 360 * scale
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    span_y = (y(bounds[3]) - y(bounds[1])) / (2 * math.pi) * scale
    assert span_x <= width and span_y <= height


def test_as_of_year_shows_then_status_and_drops_later_facilities(small):
    in_2018 = maps.with_shown_status(small.facilities, 2018).set_index("id")
    assert set(in_2018.index) == {"deep_lab", "high_array", "offshore"}
    assert in_2018.loc["high_array", "status_shown"] == "under construction"
    assert "Status: under construction in 2018" in maps.tooltip_details(
        in_2018.reset_index().iloc[list(in_2018.index).index("high_array")], 2018
    )
    assert "as of 2018" in maps.map_alt_text(in_2018.reset_index(), as_of_year=2018)


# --- Words and tables -------------------------------------------------------------------------

def test_alt_text_is_computed_from_the_data(small):
    text = maps.map_alt_text(small.facilities)
    assert text.startswith("Map of 4 facilities in 3 provinces")
    assert "Sichuan (2)" in text and "1 underground and 1 high altitude" in text
    assert "1 facility has no coordinates" in text
    by_cost = maps.map_alt_text(small.facilities, maps.SIZE_MEASURES["cost"])
    assert "Largest reported cost: High Array, 1,200 CNY million" in by_cost
    assert maps.map_alt_text(small.facilities.iloc[0:0]).startswith("Map of China with no facilities")


def test_map_table_lists_every_facility_with_units_and_not_known(small):
    table = maps.map_table(maps.with_shown_status(small.facilities))
    assert len(table) == len(small.facilities)
    assert {"Depth (m)", "Altitude (m)", "First operation (year)", "Latitude (°N)"} <= set(table.columns)
    offshore = table[table["Facility"] == "Offshore Buoy"].iloc[0]
    assert offshore["Province"] == NOT_KNOWN and offshore["Map point"].startswith("not on the map")


def test_legend_lists_fields_shapes_and_unknown_sizes_and_escapes_labels(small):
    legend = maps.legend_table(small.facilities, maps.SIZE_MEASURES["cost"])
    assert legend.loc[legend["symbol"] == "circle", "count"].sum() == 4
    assert set(legend["symbol"]) >= {"underground", "high altitude", "ring"}
    tricky = pd.DataFrame([{"symbol": "circle", "colour": "#000000", "label": XSS_NAME, "count": 1}])
    svg = maps.legend_svg(tricky)
    assert "<img" not in svg and "&lt;img" in svg


def test_key_facts_are_the_profiles_rows_in_the_profiles_words(small):
    # One wording for one fact: the Map's panel shows the profile's own rows (value and detail), plus sources.
    row = maps.with_shown_status(small.facilities).iloc[0]
    facts = profiles.key_facts(row, small.sources, descriptor=DESCRIPTOR).set_index("Fact")
    profile = profiles.profile_facts(row, descriptor=DESCRIPTOR).set_index("Fact")
    assert facts.loc["Cost", "Value"] == "~500 million CNY" and facts.loc["Cost", "Detail"].startswith("in 2010 prices")
    assert facts.loc["Depth", "Value"] == profile.loc["Depth", "Value"] == "2,400 m overburden; 6,720 m.w.e."
    shared = facts.index.drop("Sources")
    assert facts.loc[shared].equals(profile.loc[shared])
    assert facts.loc["Operator", "Value"] == NOT_KNOWN and "Publisher A (2024)" in facts.loc["Sources", "Value"]


def test_maps_offers_the_one_markdown_escaper():
    assert maps.escape_markdown("**x** <img> :red[y]") == r"\*\*x\*\* \<img\> \:red\[y\]"


def test_boundary_disclaimer_comes_from_the_data_package():
    text = maps.boundary_disclaimer(DESCRIPTOR)
    assert "dispute" in text and "MIT" in text


def test_selection_parsing():
    event = {"selection": {"indices": {"facilities": [0]}, "objects": {"facilities": [{"id": "juno"}]}}}
    assert maps.selected_facility_id(event) == "juno"
    assert maps.selected_facility_id({"selection": {"indices": {}, "objects": {}}}) is None
    assert maps.selected_facility_id(None) is None
    label = {"selection": {"objects": {maps.PROVINCE_LABEL_LAYER_ID: [{"name_en": "Sichuan"}]}}}
    assert maps.selected_province(label) == "Sichuan"


# --- Choropleth and export figure -------------------------------------------------------------

def test_choropleth_counts_add_up_to_the_facilities_shown(small):
    by_province = maps.facilities_by_province(small.facilities, small.provinces)
    assert by_province["facilities"].sum() == len(small.facilities)
    assert by_province.set_index("province").loc[maps.NO_PROVINCE_LABEL, "facilities"] == 1
    assert len(by_province) == len(small.provinces) + 1
    chart = maps.province_choropleth_chart(small.facilities, small.provinces, BOUNDARIES, small.sources)
    assert chart.data["Facilities (count)"].sum() == len(small.facilities)
    assert "5 facilities in 3 of 34 provinces" in chart.alt_text


def test_choropleth_cost_sums_cny_only(small):
    chart = maps.province_choropleth_chart(small.facilities, small.provinces, BOUNDARIES, small.sources, measure="cost")
    row = chart.data.set_index("Province").loc["Sichuan"]
    assert row["Known reported cost (CNY million)"] == "1,700"
    assert chart.data.set_index("Province").loc["Beijing", "Known reported cost (CNY million)"] == NOT_KNOWN
    assert "CNY million" in chart.figure.data[-1].marker.colorbar.title.text


def _assert_offline_geo(figure):
    geo = figure.layout.geo
    for layer_name in ("showland", "showocean", "showlakes", "showrivers", "showcountries", "showcoastlines", "showsubunits"):
        assert getattr(geo, layer_name) is False, layer_name
    for trace in figure.data:
        # plotly.js fetches its CDN topojson for any trace with a locationmode (a Choropleth always has one).
        assert trace.type == "scattergeo" and trace.locationmode is None and trace.locations is None


def test_plotly_figures_need_no_topojson(small):
    charts = maps.page_charts(small, FacilityFilter())
    assert [c.slug for c in charts] == ["facility-map", "province-facilities"]
    for chart in charts:
        _assert_offline_geo(chart.figure)
        assert chart.title and chart.source_line.startswith("Source: Publisher") and chart.alt_text and not chart.data.empty


def test_export_map_hover_is_escaped_and_legend_has_fields_and_shapes(small):
    chart = maps.page_charts(small, FacilityFilter())[0]
    names = [t.name for t in chart.figure.data if t.showlegend is not False]
    assert "astroparticle &amp; neutrino" in names and "underground site" in names and "high altitude site" in names
    hover = " ".join(" ".join(t.hovertext or []) for t in chart.figure.data)
    assert XSS_NAME not in hover and "&lt;img src=x" in hover


def test_page_charts_follow_the_filter_and_the_as_of_year(small):
    charts = maps.page_charts(small, FacilityFilter(provinces=("Sichuan",)), as_of_year=2018)
    assert len(charts[0].data) == 2 and charts[0].title.endswith("as of 2018")
    assert charts[1].data["Facilities (count)"].sum() == 2


# --- Files served to the browser --------------------------------------------------------------

def test_static_boundaries_are_the_data_packages_with_tooltip_fields():
    served = PROJECT_DIR / "static" / maps.STATIC_BOUNDARIES_NAME
    assert served.exists(), "static/provinces.geojson is missing: run maps.write_static_boundaries(DATA_DIR / 'provinces.geojson')"
    assert served.read_text(encoding="utf-8") == maps.static_boundaries_text(BOUNDARIES), (
        "static/provinces.geojson is stale: rebuild it with maps.write_static_boundaries"
    )


def test_write_static_boundaries_rewrites_only_when_stale(tmp_path):
    target = maps.write_static_boundaries(DATA_DIR / "provinces.geojson", tmp_path)
    stamp = target.stat().st_mtime_ns
    maps.write_static_boundaries(DATA_DIR / "provinces.geojson", tmp_path)
    assert target.stat().st_mtime_ns == stamp
    target.write_text("{}", encoding="utf-8")
    maps.write_static_boundaries(DATA_DIR / "provinces.geojson", tmp_path)
    assert json.loads(target.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert [p.name for p in tmp_path.iterdir()] == [maps.STATIC_BOUNDARIES_NAME]  # no temporary file left behind


def test_the_page_check_of_the_static_file_only_reads(tmp_path):
    source = DATA_DIR / "provinces.geojson"
    assert maps.ensure_static_boundaries(source, tmp_path) is False
    assert list(tmp_path.iterdir()) == []  # a missing file is reported, not written from the page
    maps.write_static_boundaries(source, tmp_path)
    assert maps.ensure_static_boundaries(source, tmp_path) is True
    stale = tmp_path / maps.STATIC_BOUNDARIES_NAME
    stale.write_text("{}", encoding="utf-8")
    assert maps.ensure_static_boundaries(source, tmp_path) is False
    assert stale.read_text(encoding="utf-8") == "{}"
    assert "make static" in maps.STATIC_BOUNDARIES_MISSING


def test_province_geometry_is_computed_once_per_boundaries():
    first = province_geometry(BOUNDARIES)
    assert province_geometry(BOUNDARIES) is first
    copy = json.loads(json.dumps(BOUNDARIES))
    other = province_geometry(copy)
    assert other is not first and other.label_points == first.label_points
    assert maps.china_bounds(BOUNDARIES) == first.china_bounds


# --- The real catalogue -----------------------------------------------------------------------

def test_real_catalogue_choropleth_adds_up(catalogue):
    facilities = maps.with_shown_status(catalogue.facilities)
    chart = maps.province_choropleth_chart(facilities, catalogue.provinces, catalogue.boundaries_geojson, catalogue.sources)
    assert chart.data["Facilities (count)"].sum() == len(catalogue.facilities)
    deck = json.loads(maps.facility_deck(facilities, catalogue.boundaries_geojson).to_json())
    drawn = layer(deck, maps.FACILITY_LAYER_ID)["data"]
    assert len(drawn) == int((catalogue.facilities["lat"].notna() & catalogue.facilities["lon"].notna()).sum())


def test_real_catalogue_page_charts_have_sources_and_alt_text(catalogue):
    charts = {chart.slug: chart for chart in maps.page_charts(catalogue, FacilityFilter())}
    for chart in charts.values():
        assert chart.source_line.startswith("Source: ") and "Data:" in chart.source_line
    # Each description counts what its chart draws: located points on the map, every facility in the choropleth.
    facilities = catalogue.facilities
    drawn = len(maps.located(facilities))
    map_alt = charts["facility-map"].alt_text
    assert map_alt.startswith(f"Map of {drawn} facilities in "), map_alt
    # Facilities without coordinates are owned up to (and only then).
    unlocated = len(facilities) - drawn
    assert ("not drawn" in map_alt) == (unlocated > 0) and (f"{unlocated} facilit" in map_alt) == (unlocated > 0)
    provinces_with_any = facilities["province"].dropna().nunique()
    assert f"{len(facilities)} facilities in {provinces_with_any} of " in charts["province-facilities"].alt_text


# --- The page (AppTest) -----------------------------------------------------------------------

def _map_page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/map.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _deck(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_page_draws_the_deck_with_every_facility_and_follows_the_province_filter(catalogue):
    at = _map_page()
    assert at.title[0].value == "Map"
    assert any(s.value.startswith("Where the facilities are") for s in at.subheader)
    points = layer(_deck(at), maps.FACILITY_LAYER_ID)["data"]
    assert len(points) == len(maps.located(catalogue.facilities))
    assert at.get("deck_gl_json_chart")[0].proto.alt.startswith("Map of")
    at.multiselect(key="province").set_value(["Sichuan"]).run()
    points = layer(_deck(at), maps.FACILITY_LAYER_ID)["data"]
    sichuan = catalogue.facilities[catalogue.facilities["province"] == "Sichuan"]
    assert {p["id"] for p in points} == set(maps.located(sichuan)["id"])


def test_page_says_so_when_nothing_matches(catalogue):
    at = _map_page()
    at.text_input(key="q").set_value("no such facility xyz").run()
    assert not at.exception
    assert not at.get("deck_gl_json_chart")
    assert any("No facilities" in info.value for info in at.info)


def test_page_province_view_table_adds_up(catalogue):
    at = _map_page()
    at.segmented_control(key="map_view").set_value("provinces").run()
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert all(trace["type"] == "scattergeo" for trace in figure["data"])
    table = at.dataframe[0].value
    assert table["Facilities (count)"].sum() == len(catalogue.facilities)


def test_page_as_of_year(catalogue):
    at = _map_page()
    at.toggle(key="map_asof_on").set_value(True).run()
    at.slider(key="map_asof_year").set_value(2000).run()
    assert not at.exception
    points = layer(_deck(at), maps.FACILITY_LAYER_ID)["data"]
    # Worked out here row by row, not with the function the page calls: begun by 2000 (construction, else first
    # operation), not decommissioned before 2000, and with coordinates.
    expected = set()
    for row in catalogue.facilities.to_dict("records"):
        begun = row["construction_start"] if pd.notna(row["construction_start"]) else row["first_operation"]
        gone = pd.notna(row["decommissioned_year"]) and row["decommissioned_year"] < 2000
        if pd.notna(begun) and begun <= 2000 and not gone and pd.notna(row["lat"]) and pd.notna(row["lon"]):
            expected.add(row["id"])
    assert {p["id"] for p in points} == expected
    assert "bepc" in expected and "juno" not in expected  # BEPC began in 1984, JUNO in 2015


# --- In a real browser, with no network -------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
OFFLINE_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import urllib.request

        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.browser
def test_browser_draws_the_map_offline_and_shows_a_tooltip(server, catalogue):
    from playwright.sync_api import sync_playwright

    facilities = maps.with_shown_status(catalogue.facilities)
    deck = json.loads(maps.facility_deck(facilities, catalogue.boundaries_geojson).to_json())
    view = deck["initialViewState"]
    # A point no other point hides, so the hover finds it.
    points = layer(deck, maps.FACILITY_LAYER_ID)["data"]
    lonlat = [(p["lon"], p["lat"]) for p in points]
    point = next(p for p in points if lonlat.count((p["lon"], p["lat"])) == 1)
    mercator = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        outside, geojson = [], []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith((server, "data:", "blob:")) else None)
        page.on("response", lambda r: geojson.append(r.status) if r.url.endswith(maps.STATIC_BOUNDARIES_NAME) else None)
        started = time.perf_counter()
        page.goto(f"{server}/map")
        canvas = page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=120_000)
        page.wait_for_selector("text=Filters apply on every page", timeout=120_000)
        while not geojson and time.perf_counter() - started < 120:
            page.wait_for_timeout(200)
        drawn_after = time.perf_counter() - started
        page.wait_for_timeout(2000)
        box = canvas.bounding_box()
        scale = 512 * 2 ** view["zoom"]
        x = box["x"] + box["width"] / 2 + (point["lon"] - view["longitude"]) / 360 * scale
        y = box["y"] + box["height"] / 2 - (mercator(point["lat"]) - mercator(view["latitude"])) / (2 * math.pi) * scale
        page.mouse.move(x, y)
        tooltip = page.wait_for_selector(".deck-tooltip", state="visible", timeout=20_000).inner_text()
        page.mouse.move(x + 1, y)
        page.mouse.click(x, y)
        page.wait_for_selector("text=Open the full profile of this facility", timeout=120_000)
        browser.close()
    print(f"map page: canvas and outlines after {drawn_after:.1f} s")
    assert geojson == [200]
    assert point["title"] in tooltip and "Field:" in tooltip
    # Only the page icon (set in dashboard.py) may ask for a Google font file; the map asks for nothing.
    assert [url for url in outside if "fonts.gstatic.com" not in url] == []


# --- A one-province map keeps its context ------------------------------------------------------

def visible_bounds(view: dict, size_px: tuple[int, int]) -> tuple[float, float, float, float]:
    """(west, south, east, north) a web-Mercator view of ``size_px`` shows (deck.gl: 512 px per world at zoom 0)."""
    scale = 512 * 2 ** view["zoom"]
    half_lon = size_px[0] / 2 / scale * 360
    mercator = math.log(math.tan(math.pi / 4 + math.radians(view["latitude"]) / 2))
    half_y = size_px[1] / 2 / scale * 2 * math.pi
    to_lat = lambda y: math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)  # noqa: E731
    return (view["longitude"] - half_lon, to_lat(mercator - half_y), view["longitude"] + half_lon, to_lat(mercator + half_y))


@pytest.mark.parametrize("province", ["Tibet", "Guizhou"])
def test_a_one_province_map_shows_the_whole_province(catalogue, province):
    """Filtered to one province, the map still shows all of that province (and so its neighbours' edges and its
    name), not a few points on a blank field."""
    from shapely.geometry import shape

    points = maps.located(filter_facilities(catalogue.facilities, FacilityFilter(provinces=(province,))))
    assert len(points) >= 1
    view = maps.initial_view(points, catalogue.boundaries_geojson)
    west, south, east, north = visible_bounds(view, maps.ASSUMED_MAP_PX)
    feature = next(f for f in catalogue.boundaries_geojson["features"] if f["properties"]["name_en"] == province)
    outline = max(getattr(shape(feature["geometry"]), "geoms", [shape(feature["geometry"])]), key=lambda p: p.area)
    p_west, p_south, p_east, p_north = outline.bounds
    assert west <= p_west and east >= p_east and south <= p_south and north >= p_north, (view, outline.bounds)


# --- colouring by national-list status --------------------------------------------------------

def national_list_fixture() -> pd.DataFrame:
    from small_catalogue import small_catalogue

    facilities = small_catalogue().facilities.copy()
    facilities["on_national_list"] = facilities["on_national_list"].astype("boolean")
    facilities.loc[facilities["id"] == "deeplab", "on_national_list"] = True
    facilities.loc[facilities["id"] == "bigdetector", "on_national_list"] = False
    return facilities  # hostile: not known; plannedring has no coordinates


def test_points_and_legend_coloured_by_national_list():
    from china_bigscience.national_list import NATIONAL_LIST_COLOURS

    facilities = national_list_fixture()
    points = {p["id"]: p for p in maps.deck_points(facilities, maps.SIZE_MEASURES["uniform"], colour_by="national list")}
    # The colour (the ring draws the fill's colour at full opacity, also on a hollow point).
    assert points["deeplab"]["fill"][:3] == maps.common.rgb(NATIONAL_LIST_COLOURS["on the list"])[:3]
    assert points["bigdetector"]["fill"][:3] == maps.common.rgb(NATIONAL_LIST_COLOURS["not on the list"])[:3]
    assert points["hostile"]["fill"][:3] == maps.common.rgb(NATIONAL_LIST_COLOURS["not known"])[:3]
    assert "National list: on the list" in points["deeplab"]["details"]
    legend = maps.legend_table(facilities, colour_by="national list")
    circles = legend[legend["symbol"] == "circle"]
    assert circles["label"].tolist() == ["national list: on the list", "national list: not on the list",
                                         "national list: not known"]
    assert circles["count"].tolist() == [1, 1, 1]
    assert "coloured by national list" in maps.map_alt_text(facilities, colour_by="national list")


def test_field_colouring_unchanged_and_covers_every_field_of_the_schema():
    from china_bigscience.charts import FIELD_COLOURS

    facilities = national_list_fixture()
    legend = maps.legend_table(facilities)
    assert legend[legend["symbol"] == "circle"]["label"].tolist() == ["B astroparticle & neutrino", "C astronomy"]
    fields = next(f for f in read_descriptor()["resources"] if f["name"] == "facilities")["schema"]["fields"]
    enum = next(f for f in fields if f["name"] == "field")["constraints"]["enum"]
    assert len(enum) >= 12 and set(enum) <= set(FIELD_COLOURS)
    assert len(set(FIELD_COLOURS[f] for f in enum)) == len(enum)  # one colour each


def test_export_map_coloured_by_national_list(catalogue):
    chart = maps.facility_points_chart(catalogue.facilities, catalogue.boundaries_geojson, catalogue.sources,
                                       colour_by="national list")
    names = [trace.name for trace in chart.figure.data if trace.mode == "markers" and trace.lon and trace.lon[0] is not None]
    assert names[0] == "on the list" and set(names) <= {"on the list", "not on the list", "not known"}
    assert chart.figure.layout.legend.title.text == "National list"


def test_facilities_drawn_at_the_same_point_each_name_the_others_in_their_tooltip(small):
    """City-level points coincide and a tooltip shows only the top point: each says who else is drawn there."""
    from china_bigscience.i18n import Translator

    facilities = small.facilities.copy()
    facilities.loc[facilities["id"] == "high_array", ["lat", "lon"]] = [28.15, 101.71]  # onto Deep Lab's point
    points = {p["id"]: p for p in maps.deck.deck_points(maps.with_shown_status(facilities), maps.SIZE_MEASURES["uniform"])}
    assert points["deep_lab"]["details"].endswith("Same map point as: HA")
    assert points["high_array"]["details"].endswith("Same map point as: DL")
    assert "Same map point" not in points["planned_one"]["details"]
    chinese = maps.deck.deck_points(maps.with_shown_status(facilities), maps.SIZE_MEASURES["uniform"],
                                    tr=Translator("zh"))
    assert [p["details"].splitlines()[-1] for p in chinese if p["id"] == "deep_lab"] == ["与以下设施画在同一点：HA"]
