"""The comparison charts: China against the world's peers, and China's own portfolio and known investment.

Unit tests build small tables here, so they hold whatever the real data says; a
few tests at the end check the real catalogue and the page in AppTest.
"""

import json

import pandas as pd
import pytest

from china_bigscience import DATA_DIR, PROJECT_DIR, comparisons, labels, portfolio
from china_bigscience.catalogue import _PANDAS_DTYPES, Catalogue, load_catalogue, read_descriptor
from china_bigscience.charts import CHINA_HIGHLIGHT, NOT_KNOWN, WORLD_COLOUR, escape_markdown
from china_bigscience.filters import FacilityFilter

DESCRIPTOR = read_descriptor()


@pytest.fixture(scope="module")
def real_catalogue():
    """The real, validated tables."""
    return load_catalogue()


def skip_unless_app_loads():
    """The pages need valid data; an invalid package fails here (and in test_catalogue.py), never skips."""
    load_catalogue()


def table(name: str, records: list[dict]) -> pd.DataFrame:
    """A frame with every column of ``name``'s schema, typed as the loader types it; missing cells are NA."""
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = pd.DataFrame.from_records(records).reindex(columns=[f["name"] for f in fields])
    for f in fields:
        dtype = "boolean" if f["type"] == "boolean" else _PANDAS_DTYPES[f["type"]]
        frame[f["name"]] = frame[f["name"]].astype(dtype)
    return frame


SOURCES = table("sources", [
    {"id": "lab_a", "publisher": "Lab A Press", "title": "A", "date": "2020", "kind": "primary", "seen_via": "publisher"},
    {"id": "lab_b", "publisher": "Lab B Press", "title": "B", "date": "2021-05", "kind": "primary", "seen_via": "publisher"},
    {"id": "cn", "publisher": "CAS News", "title": "C", "date": "2023", "kind": "news", "seen_via": "publisher"},
])

FACILITIES = table("facilities", [
    {"id": "deep_lab", "name_en": "Deep Lab", "acronym": "DL", "field": "astroparticle & neutrino", "province": "Sichuan",
     "status": "operating", "status_as_of": "2024", "funding": "central", "source_ids": "cn", "confidence": "h",
     "depth_m": 2400, "construction_start": 2009, "cost_value": 1000.0, "cost_currency": "CNY",
     "cost_price_year": 2019, "cost_is_estimate": False},
    {"id": "big_det", "name_en": "Big Detector", "acronym": "BD", "field": "astroparticle & neutrino",
     "province": "Guangdong", "status": "operating", "status_as_of": "2025", "funding": "CAS", "source_ids": "cn",
     "confidence": "h", "construction_start": 2015, "cost_value": 2000.0, "cost_currency": "CNY",
     "cost_price_year": 2015, "cost_is_estimate": True},
    {"id": "high_obs", "name_en": "High Observatory", "acronym": "HO", "field": "astronomy", "province": "Sichuan",
     "status": "operating", "status_as_of": "2023", "source_ids": "cn", "confidence": "h", "altitude_m": 4410,
     "construction_start": 2017, "cost_value": 150.0, "cost_currency": "USD"},
    {"id": "ring", "name_en": "<img src=x onerror=alert(1)>", "field": "photon science", "province": "Beijing",
     "status": "under construction", "status_as_of": "2025", "funding": "joint", "source_ids": "cn",
     "confidence": "m", "construction_start": 2019},
    {"id": "cmb_tel", "name_en": "Plateau Telescope", "acronym": "PT", "field": "astronomy", "province": "Tibet",
     "status": "under construction", "status_as_of": "2025", "source_ids": "cn", "confidence": "m",
     "altitude_m": 5250, "construction_start": 2016},
])

PEERS = table("peers", [
    {"id": "cn_deep", "name": "Deep Lab", "country": "China", "category": "underground laboratory",
     "facility_id": "deep_lab", "status": "operating", "depth_m": 2400, "depth_mwe": 6720,
     "muon_flux_per_m2_day": 0.30, "source_ids": "cn", "confidence": "h"},
    {"id": "ca_lab", "name": "North Lab", "country": "Canada", "category": "underground laboratory",
     "status": "operating", "depth_m": 2070, "depth_mwe": 6010, "muon_flux_per_m2_day": 0.27,
     "source_ids": "lab_a", "confidence": "h"},
    {"id": "it_lab", "name": "Mountain Lab", "country": "Italy", "category": "underground laboratory",
     "status": "operating", "depth_m": 1400, "depth_mwe": 3800, "muon_flux_per_m2_day": 29.7,
     "source_ids": "lab_b", "confidence": "h"},
    {"id": "kr_lab", "name": "New Lab", "country": "South Korea", "category": "underground laboratory",
     "status": "planned", "depth_m": 1000, "source_ids": "lab_b", "confidence": "m"},
    {"id": "xx_lab", "name": "Unknown Lab", "country": "Nowhere", "category": "underground laboratory",
     "status": "operating", "source_ids": "lab_b", "confidence": "l"},
    {"id": "cn_det", "name": "Big Detector", "country": "China", "category": "neutrino detector",
     "facility_id": "big_det", "status": "operating", "target_mass_t": 20000, "target_medium": "liquid scintillator",
     "source_ids": "cn", "confidence": "h"},
    {"id": "jp_det", "name": "Water Tank", "country": "Japan", "category": "neutrino detector",
     "status": "operating", "target_mass_t": 50000, "target_medium": "water", "source_ids": "lab_a", "confidence": "h"},
    {"id": "cn_obs", "name": "High Observatory", "country": "China", "category": "air-shower & gamma-ray observatory",
     "facility_id": "high_obs", "status": "operating", "altitude_m": 4410, "area_km2": 1.36,
     "source_ids": "cn", "confidence": "h"},
    {"id": "mx_obs", "name": "Volcano Array", "country": "Mexico", "category": "air-shower & gamma-ray observatory",
     "status": "operating", "altitude_m": 4100, "area_km2": 0.022, "source_ids": "lab_a", "confidence": "h"},
    {"id": "cn_ring", "name": "<img src=x onerror=alert(1)>", "country": "China", "category": "synchrotron light source",
     "facility_id": "ring", "status": "under construction", "energy_gev": 6.0, "emittance_pm": 34.0,
     "circumference_m": 1360.0, "source_ids": "cn", "confidence": "m"},
    {"id": "fr_ring", "name": "River Ring", "country": "France", "category": "synchrotron light source",
     "status": "operating", "energy_gev": 6.0, "emittance_pm": 133.0, "circumference_m": 844.0,
     "source_ids": "lab_b", "confidence": "h"},
])


def make_catalogue(facilities=FACILITIES, peers=PEERS, sources=SOURCES) -> Catalogue:
    empty = {name: table(name, []) for name in ("provinces", "milestones", "nature_index", "research_spending")}
    return Catalogue(facilities=facilities, peers=peers, sources=sources, descriptor=DESCRIPTOR, **empty)


def bars(chart):
    """(label, value, colour, hatched) for every bar of a horizontal bar chart."""
    out = []
    for trace in chart.figure.data:
        for label, value in zip(trace.y, trace.x):
            out.append((label, value, trace.marker.color, bool(trace.marker.pattern.shape)))
    return out


# --- Peer charts -----------------------------------------------------------------------------


def test_depth_chart_ranks_by_depth_highlights_china_and_marks_planned():
    chart = comparisons.peer_chart(make_catalogue(), "depth")
    drawn = bars(chart)
    values = {label: value for label, value, _, _ in drawn}
    assert values == {"Deep Lab": 2400, "North Lab": 2070, "Mountain Lab": 1400, "New Lab · planned": 1000}
    colours = {label: colour for label, _, colour, _ in drawn}
    assert colours["Deep Lab"] == CHINA_HIGHLIGHT and colours["North Lab"] == WORLD_COLOUR
    assert [hatched for label, _, _, hatched in drawn if label == "New Lab · planned"] == [True]
    # The deepest sits at the top: Plotly's category array is bottom-up.
    assert list(chart.figure.layout.yaxis.categoryarray)[-1] == "Deep Lab"
    assert chart.figure.layout.xaxis.title.text == "Rock overburden (m)"
    assert "deepest: Deep Lab (China), 2,400 m" in chart.alt_text
    assert "not known for 1: Unknown Lab" in chart.alt_text
    assert "Unknown Lab" in chart.data["Facility"].tolist()
    assert chart.data.loc[chart.data["Facility"] == "Unknown Lab", "Rock overburden (m)"].item() == NOT_KNOWN
    assert chart.source_line.startswith("Source: ") and "Lab A Press (2020)" in chart.source_line
    assert "CAS News (2023)" in chart.figure.data[0].customdata[0]  # each bar names its source


def test_depth_toggle_switches_to_water_equivalent():
    chart = comparisons.peer_chart(make_catalogue(), "depth", measure_column="depth_mwe")
    assert chart.figure.layout.xaxis.title.text == "Depth (m.w.e.)"
    assert {label for label, *_ in bars(chart)} == {"Deep Lab", "North Lab", "Mountain Lab"}
    assert "New Lab" in chart.note  # not drawn, said so


def test_ranking_note_says_when_muon_flux_reverses_the_order():
    chart = comparisons.peer_chart(make_catalogue(), "depth")
    assert "ranking depends on the measure" in chart.note
    assert "the deepest is Deep Lab (2,400 m)" in chart.note
    assert "lowest flux is North Lab (0.27 muons/m²/day" in chart.note

    no_swap = PEERS.copy()
    no_swap.loc[no_swap["id"] == "cn_deep", "muon_flux_per_m2_day"] = 0.1
    assert "depends on the measure" not in comparisons.peer_chart(make_catalogue(peers=no_swap), "depth").note


def test_muon_flux_chart_puts_the_lowest_flux_first_on_a_log_axis():
    chart = comparisons.peer_chart(make_catalogue(), "muon_flux")
    assert chart.figure.layout.xaxis.type == "log"
    assert list(chart.figure.layout.yaxis.categoryarray)[-1] == "North Lab"
    assert chart.figure.layout.xaxis.title.text == "Muon flux (muons/m²/day, log scale)"
    assert "Lower muon flux = better shielded" in chart.note


def test_global_filter_hides_chinese_rows_and_says_so():
    chart = comparisons.peer_chart(make_catalogue(), "depth", FacilityFilter(provinces=("Guangdong",)))
    labels = {label for label, *_ in bars(chart)}
    assert "Deep Lab" not in labels and "North Lab" in labels  # other countries stay as the yardstick
    assert "hidden by the sidebar filter: Deep Lab" in chart.note
    assert "no Chinese facility" in chart.alt_text


def test_altitude_chart_adds_chinese_facilities_without_a_peer_row():
    chart = comparisons.peer_chart(make_catalogue(), "altitude")
    values = {label: value for label, value, *_ in bars(chart)}
    assert values["PT · under construction"] == 5250  # from facilities.csv
    assert values["High Observatory"] == 4410
    assert "highest: PT (China), 5,250 m" in chart.alt_text
    area = comparisons.peer_chart(make_catalogue(), "altitude", measure_column="area_km2")
    assert area.figure.layout.xaxis.type == "log" and "km²" in area.figure.layout.xaxis.title.text


def test_data_strings_are_escaped_for_plotly():
    chart = comparisons.peer_chart(make_catalogue(), "light_source")
    labels = [label for label, *_ in bars(chart)]
    assert "&lt;img src=x onerror=alert(1)&gt; · under construction" in labels
    assert not any("<img" in label for label in labels)
    assert all("<img" not in str(trace.customdata) for trace in chart.figure.data)
    # The data table keeps the name as written; st.dataframe shows it as text.
    assert "<img src=x onerror=alert(1)>" in chart.data["Facility"].tolist()


def test_light_sources_default_to_emittance_lowest_first():
    chart = comparisons.peer_chart(make_catalogue(), "light_source")
    assert chart.slug == "light_source-emittance-pm"
    assert "lowest emittance" in chart.alt_text
    energy = comparisons.peer_chart(make_catalogue(), "light_source", measure_column="energy_gev")
    assert energy.figure.layout.xaxis.title.text == "Electron beam energy (GeV)"


def test_empty_comparison_returns_none():
    assert comparisons.peer_chart(make_catalogue(), "radio") is None


def test_china_profile_links_follow_the_filter():
    catalogue = make_catalogue()
    assert comparisons.china_profile_links(catalogue, "depth") == [("deep_lab", "Deep Lab")]
    assert comparisons.china_profile_links(catalogue, "depth", FacilityFilter(fields=("astronomy",))) == []


# --- Portfolio and investment -----------------------------------------------------------------


def test_portfolio_counts_match_the_table():
    chart = portfolio.portfolio_chart(FACILITIES, SOURCES, "province")
    counted = {}
    for trace in chart.figure.data:
        for label, value in zip(trace.y, trace.x):
            counted[label] = counted.get(label, 0) + value
    assert counted == FACILITIES["province"].value_counts().to_dict()
    assert chart.data["Total (facilities)"].sum() == len(FACILITIES)
    assert "most: Sichuan (2)" in chart.alt_text


def test_portfolio_by_funding_says_not_known():
    chart = portfolio.portfolio_chart(FACILITIES, SOURCES, "funding")
    assert NOT_KNOWN in chart.data["Funding source"].tolist()
    assert "funding source not known for 2" in chart.alt_text


def test_investment_sums_only_yuan_and_flags_estimates():
    chart = portfolio.investment_chart(FACILITIES, SOURCES)
    drawn = [trace for trace in chart.figure.data if trace.x != (None,)]
    total = sum(sum(trace.x) for trace in drawn)
    expected = FACILITIES.loc[FACILITIES["cost_currency"] == "CNY", "cost_value"].sum()
    assert total == expected
    hatched = [trace for trace in drawn if trace.marker.pattern.shape == "/"]
    assert [trace.name for trace in hatched] == ["Estimate or plan"]
    legend = [trace.name for trace in chart.figure.data if trace.showlegend]
    assert legend == ["Reported cost", "Estimate or plan"]
    assert "for 2 of 5 selected facilities" in chart.note
    assert "1 more has a cost only in another currency" in chart.note
    assert "2015–2019" in chart.note and "1 of the 2 are estimates" in chart.note
    assert "CNY million" in chart.figure.layout.xaxis.title.text


def test_empty_selection_gives_no_charts_for_the_portfolio():
    nothing = FACILITIES.iloc[0:0]
    assert portfolio.portfolio_chart(nothing, SOURCES) is None
    assert portfolio.investment_chart(nothing, SOURCES) is None


def test_page_charts_have_titles_units_sources_and_alt_texts():
    charts = comparisons.page_charts(make_catalogue(), FacilityFilter())
    slugs = [chart.slug for chart in charts]
    assert len(slugs) == len(set(slugs))
    assert "depth-depth-m" in slugs and "investment-by-field" in slugs and "portfolio-by-status" in slugs
    for chart in charts:
        assert chart.title and chart.alt_text and chart.source_line.startswith("Source:")
        assert not chart.data.empty
        assert chart.figure.layout.xaxis.title.text and "(" in chart.figure.layout.xaxis.title.text


# --- Real data and the page ----------------------------------------------------------------------


def test_real_catalogue_charts_match_the_peers_table(real_catalogue):
    charts = comparisons.page_charts(real_catalogue, FacilityFilter())
    assert charts
    depth = comparisons.peer_chart(real_catalogue, "depth")
    assert depth is not None, "the real peers table has underground laboratories with a depth"
    labs = real_catalogue.peers[(real_catalogue.peers["category"] == "underground laboratory")].dropna(subset=["depth_m"])
    tied_deepest = labs[labs["depth_m"] == labs["depth_m"].max()]["name"].map(labels.short_peer_name)
    assert any(f"deepest: {name} (" in depth.alt_text for name in tied_deepest)
    assert f"{labs['depth_m'].max():,.0f} m" in depth.alt_text
    assert len(bars(depth)) == len(labs)


def compare_page(**filters):
    """The compare page in AppTest, with sidebar filters set first (sidebar widgets are set on the frame's run)."""
    from streamlit.testing.v1 import AppTest

    skip_unless_app_loads()
    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=120)
    at.run()
    for key, value in filters.items():
        at.multiselect(key=key).set_value(value)
    at.run()
    at.switch_page("pages/compare.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_compare_page_renders_every_comparison(real_catalogue):
    """Each question, and each portfolio view, is a tab bound to the link; only the open tab builds its
    charts (on purpose: fewer charts in the first view). Opened one after another, they show every chart."""
    from streamlit.testing.v1 import AppTest

    expected = [escape_markdown(chart.title) for chart in comparisons.page_charts(real_catalogue, FacilityFilter())]
    first = compare_page()
    assert first.title[0].value == "Against the world"
    question_tabs = [tab.label for tab in first.tabs if tab.label.startswith("How ")]
    portfolio_tabs = [tab.label for tab in first.tabs if tab.label.startswith("By ")]
    assert len(question_tabs) == 5 and len(portfolio_tabs) == len(portfolio.PORTFOLIO_DIMENSIONS)
    seen = []
    views = [{"compare-section": label} for label in question_tabs] + [
        {"compare-portfolio-tab": label} for label in portfolio_tabs[1:]]
    for view in views:
        at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=120)
        at.query_params.update(view)
        at.run()
        at.switch_page("pages/compare.py").run()
        assert not at.exception, [e.value for e in at.exception]
        subheaders = [s.value for s in at.subheader]
        figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
        assert len(figures) == len(subheaders) <= 5  # the open question, one portfolio view, the investment
        assert all(f["layout"]["xaxis"]["title"]["text"] for f in figures)
        seen += [title for title in subheaders if title not in seen]
    assert sorted(seen) == sorted(expected)


def test_compare_page_says_which_chinese_rows_the_filter_hides(real_catalogue):
    peers = real_catalogue.peers
    linked = peers[peers["facility_id"].notna() & (peers["category"] == "underground laboratory")]
    facilities = real_catalogue.facilities.set_index("id")
    hidden_lab = linked.iloc[0]
    other_provinces = [p for p in real_catalogue.province_names
                       if p != facilities.loc[hidden_lab["facility_id"], "province"]
                       and (real_catalogue.facilities["province"] == p).any()]
    at = compare_page(province=[other_provinces[0]])
    notes = " ".join(caption.value for caption in at.caption)
    hidden_note = f"Chinese rows hidden by the sidebar filter: {labels.short_peer_name(hidden_lab['name'])}"
    assert escape_markdown(hidden_note) in notes


def test_compare_page_says_when_no_chinese_facility_matches(real_catalogue):
    empty = [p for p in real_catalogue.province_names if not (real_catalogue.facilities["province"] == p).any()]
    if not empty:
        pytest.skip("every province has a facility")
    at = compare_page(province=[empty[0]])
    assert any("No facilities match" in info.value for info in at.info)
    # The world's peers are still drawn as the yardstick.
    assert any("Underground laboratories" in s.value for s in at.subheader)


# --- Label margins set, not measured in the browser ---------------------------------------------

def test_tick_label_margins_fit_the_widest_label_in_either_script():
    from china_bigscience.charts import tick_label_margin_px

    assert tick_label_margin_px(["SNOLAB"]) < tick_label_margin_px(["Boulby Underground Laboratory"])
    # A Chinese character is as wide as the font, about twice a Latin letter.
    assert tick_label_margin_px(["中国锦屏地下实验室"]) > tick_label_margin_px(["CJPL-IIIII"])
    assert tick_label_margin_px(["x" * 500]) == 440 and tick_label_margin_px([]) == 16
    assert tick_label_margin_px(["<b>A</b> &amp; B"]) == tick_label_margin_px(["A & B"])  # as drawn, not as written


@pytest.mark.parametrize("language", ["en", "zh"])
def test_peer_charts_set_a_margin_for_their_names_instead_of_automargin(language, catalogue):
    from china_bigscience.charts import tick_label_margin_px
    from china_bigscience.i18n import Translator

    chart = comparisons.peer_chart(catalogue, "depth", tr=Translator(language))
    layout = chart.figure.layout
    assert layout.yaxis.automargin is False
    names = list(layout.yaxis.categoryarray)
    assert layout.margin.l == tick_label_margin_px(names) and layout.margin.l > 16 + 5 * max(len(n) for n in names)
