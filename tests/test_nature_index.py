"""The Nature Index page: China vs the US across the journal-set break, adjusted-Share changes, subjects, CAS, spending.

Unit tests build small tables here; the crossover year and the gap they expect
are computed from those tables in the test, so a changed table changes them.
"""

import json

import pandas as pd
import pytest

from china_bigscience import DATA_DIR, PROJECT_DIR, nature_index, spending
from china_bigscience.catalogue import _PANDAS_DTYPES, Catalogue, load_catalogue, read_descriptor

DESCRIPTOR = read_descriptor()


@pytest.fixture(scope="module")
def real_catalogue():
    """The real, validated tables."""
    return load_catalogue()


def skip_unless_app_loads():
    """The pages need valid data; an invalid package fails here (and in test_catalogue.py), never skips."""
    load_catalogue()

NATURAL = "natural sciences (82 journals)"
NATURAL_HEALTH = "natural + health sciences (145 journals)"


def table(name: str, records: list[dict]) -> pd.DataFrame:
    """A frame with every column of ``name``'s schema, typed as the loader types it; missing cells are NA."""
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = pd.DataFrame.from_records(records).reindex(columns=[f["name"] for f in fields])
    for f in fields:
        dtype = "boolean" if f["type"] == "boolean" else _PANDAS_DTYPES[f["type"]]
        frame[f["name"]] = frame[f["name"]].astype(dtype)
    return frame


def ni(entity, year, edition, scope, share=None, rank=None, change=None, subject="All subjects",
       entity_type="country", country=None, derived=False, source="ni_a"):
    return {"entity": entity, "entity_type": entity_type, "country": country or entity, "subject": subject,
            "data_year": year, "edition": edition, "scope": scope, "share": share, "rank": rank,
            "adjusted_share_change_pct": change, "is_derived": derived, "source_ids": source, "confidence": "h"}


SOURCES = table("sources", [
    {"id": "ni_a", "publisher": "Nature Index", "title": "Annual Tables", "date": "2023-06", "kind": "primary",
     "seen_via": "copy"},
    {"id": "ni_b", "publisher": "Nature Index", "title": "Research Leaders", "date": "2025-06", "kind": "primary",
     "seen_via": "copy"},
    {"id": "nature_index_2024_big_science_bet", "publisher": "Nature", "title": "China's big-science bet",
     "date": "2024", "kind": "news", "seen_via": "copy"},
    {"id": "mof", "publisher": "Ministry of Finance", "title": "Budget", "date": "2024-03", "kind": "primary",
     "seen_via": "copy"},
])

NATURE_INDEX = table("nature_index", [
    ni("China", 2021, "2022 Annual Tables", NATURAL, rank=2, change=14.4),
    ni("United States", 2021, "2022 Annual Tables", NATURAL, rank=1, change=-6.2),
    ni("China", 2022, "2023 Annual Tables", NATURAL, share=19373.35, rank=1),
    ni("United States", 2022, "2023 Annual Tables", NATURAL, share=17610.47, rank=2),
    ni("China", 2023, "2024 Research Leaders", NATURAL_HEALTH, share=23171.84, rank=1, change=13.6),
    ni("United States", 2023, "2024 Research Leaders", NATURAL_HEALTH, rank=2, change=-7.1),
    ni("India", 2023, "2024 Research Leaders", NATURAL_HEALTH, share=1494.27, rank=9, change=14.5),
    ni("China", 2023, "2025 Research Leaders", NATURAL_HEALTH, share=23580.0, derived=True, source="ni_b"),
    ni("United States", 2023, "2025 Research Leaders", NATURAL_HEALTH, share=21170.0, derived=True, source="ni_b"),
    ni("China", 2024, "2025 Research Leaders", NATURAL_HEALTH, share=32122.0, rank=1, change=17.4, source="ni_b"),
    ni("United States", 2024, "2025 Research Leaders", NATURAL_HEALTH, share=22083.0, rank=2, change=-10.1,
       source="ni_b"),
    ni("China", 2023, "2024 Research Leaders", NATURAL_HEALTH, subject="Chemistry", rank=1),
    ni("United States", 2023, "2024 Research Leaders", NATURAL_HEALTH, subject="Chemistry", rank=2),
    ni("United States", 2023, "2024 Research Leaders", NATURAL_HEALTH, subject="Biological sciences", rank=1),
    ni("China", 2022, "2023 Annual Tables", NATURAL, subject="Chemistry", share=6000.0),
    ni("United States", 2022, "2023 Annual Tables", NATURAL, subject="Chemistry", share=5000.0),
    ni("Chinese Academy of Sciences", 2024, "2025 Research Leaders", NATURAL_HEALTH, share=2776.90, rank=1,
       entity_type="institution", country="China", change=6.2, source="ni_b"),
    ni("Harvard University", 2024, "2025 Research Leaders", NATURAL_HEALTH, share=1155.19, rank=2,
       entity_type="institution", country="United States", source="ni_b"),
    ni("University of Chinese Academy of Sciences", 2024, "2025 Research Leaders", NATURAL_HEALTH, share=793.59,
       rank=6, entity_type="institution", country="China", source="ni_b"),
    ni("Chinese Academy of Sciences", 2023, "2024 Research Leaders", NATURAL_HEALTH, share=2243.22, rank=1,
       entity_type="institution", country="China"),
])

SPENDING = table("research_spending", [
    {"indicator": "gross R&D expenditure (GERD)", "country": "China", "year": 2023, "value": 3330.0,
     "unit": "CNY bn", "change_pct": 8.1, "is_budget": False, "source_ids": "mof", "confidence": "h"},
    {"indicator": "gross R&D expenditure (GERD)", "country": "China", "year": 2024, "value": 3613.0,
     "unit": "CNY bn", "change_pct": 8.3, "is_budget": False, "source_ids": "mof", "confidence": "h"},
    {"indicator": "central government S&T budget", "country": "China", "year": 2024, "value": 370.8,
     "unit": "CNY bn", "change_pct": 10.0, "is_budget": True, "source_ids": "mof", "confidence": "h"},
    {"indicator": "GERD as share of GDP", "country": "China", "year": 2024, "value": 2.68, "unit": "%",
     "is_budget": False, "source_ids": "mof", "confidence": "h"},
])


def make_catalogue(nature=NATURE_INDEX, spending=SPENDING) -> Catalogue:
    empty = {name: table(name, []) for name in ("provinces", "milestones", "facilities", "peers")}
    return Catalogue(nature_index=nature, research_spending=spending, sources=SOURCES, descriptor=DESCRIPTOR, **empty)


def expected_crossover(frame: pd.DataFrame) -> int:
    """Computed here independently: the first year with both Shares in one edition where China's is larger."""
    rows = frame[(frame["entity_type"] == "country") & (frame["subject"] == "All subjects") & frame["share"].notna()]
    wide = rows.pivot_table(index=["data_year", "edition"], columns="entity", values="share")[["China", "United States"]].dropna()
    return int(wide[wide["China"] > wide["United States"]].index.get_level_values(0).min())


# --- Crossover and gap --------------------------------------------------------------------------


def test_crossover_year_is_computed_from_the_table():
    crossover = nature_index.china_us_crossover(NATURE_INDEX)
    assert crossover.lead.data_year == expected_crossover(NATURE_INDEX)
    assert crossover.lead.scope == NATURAL
    assert crossover.previous_us_year == 2021  # the US led by rank that year

    earlier = NATURE_INDEX.copy()
    earlier.loc[(earlier["data_year"] == 2021) & (earlier["entity"] == "China"), "rank"] = 1
    earlier.loc[(earlier["data_year"] == 2021) & (earlier["entity"] == "United States"), "rank"] = 2
    assert nature_index.china_us_crossover(earlier).lead.data_year == 2021


def test_latest_gap_uses_one_edition_and_is_computed():
    gap = nature_index.latest_gap(NATURE_INDEX)
    latest = NATURE_INDEX[(NATURE_INDEX["subject"] == "All subjects") & (NATURE_INDEX["data_year"] == 2024)
                          & (NATURE_INDEX["entity_type"] == "country")].set_index("entity")["share"]
    assert gap.data_year == 2024
    assert gap.gap == pytest.approx(latest["China"] - latest["United States"])
    per_scope = nature_index.latest_gaps(NATURE_INDEX)
    assert per_scope[NATURAL].data_year == 2022
    assert per_scope[NATURAL].gap == pytest.approx(19373.35 - 17610.47)


def test_share_chart_draws_the_scope_break_and_separate_traces():
    chart = nature_index.share_chart(NATURE_INDEX, SOURCES)
    china_traces = [t for t in chart.figure.data if t.legendgroup == "China"]
    assert {t.name for t in china_traces} == {f"China, {NATURAL}", f"China, {NATURAL_HEALTH}"}
    assert list(china_traces[0].x) == [2022] and list(china_traces[1].x) == [2023, 2024]
    breaks = [s for s in chart.figure.layout.shapes if s.yref != "y"]  # full-height lines, not the gap bracket
    assert [line.x0 for line in breaks] == [2022.5]
    texts = " ".join(a.text for a in chart.figure.layout.annotations)
    assert "journal set changes" in texts
    assert f"China ahead from {expected_crossover(NATURE_INDEX)}" in texts
    assert "gap 2024:<br> +10,039" in texts
    bracket = [s for s in chart.figure.layout.shapes if s.x0 == s.x1 and s.x0 > 2024]
    assert (bracket[0].y0, bracket[0].y1) == (22083.0, 32122.0)
    # Each point says which edition it is from; the 2023 point is the newest edition's (derived) value.
    assert china_traces[1].customdata[0][0] == "2025 Research Leaders"
    assert list(china_traces[1].y) == [23580.0, 32122.0]
    assert china_traces[1].marker.symbol[0] == "circle-open"
    assert "Share (fractional article count)" == chart.figure.layout.yaxis.title.text
    assert "China first ahead of the US in 2022" in chart.alt_text
    assert "Nature Index (2023)" in chart.source_line


def test_adjusted_share_changes_are_their_own_chart():
    chart = nature_index.adjusted_share_change_chart(NATURE_INDEX, SOURCES)
    india = next(t for t in chart.figure.data if t.name == "India")
    assert list(india.y) == [14.5] and list(india.x) == ["2023"]
    assert "(%)" in chart.figure.layout.yaxis.title.text
    assert "2023: India +14.5 %, China +13.6 %" in chart.alt_text
    assert set(chart.data["Country"]) == {"China", "United States", "India"}


def test_subject_leaders_by_rank_and_by_share():
    leaders = nature_index.subject_leaders(NATURE_INDEX).set_index(["subject", "data_year"])
    assert leaders.loc[("Chemistry", 2023), "leader"] == "China"
    assert leaders.loc[("Chemistry", 2023), "basis"] == "rank"
    assert leaders.loc[("Biological sciences", 2023), "leader"] == "United States"
    assert leaders.loc[("Chemistry", 2022), "basis"] == "Share"
    chart = nature_index.subject_leadership_chart(NATURE_INDEX, SOURCES)
    assert "China leads Chemistry (2023)" in chart.alt_text
    assert "United States leads Biological sciences (2023)" in chart.alt_text


def test_institutions_highlight_cas_not_ucas():
    chart = nature_index.institutions_chart(NATURE_INDEX, SOURCES)
    assert chart.title == "Leading institutions, data year 2024"
    colours = dict(zip(chart.figure.data[0].y, chart.figure.data[0].marker.color))
    assert colours["Chinese Academy of Sciences"] != colours["University of Chinese Academy of Sciences"]
    assert "Chinese Academy of Sciences is 1st with 2,776.90" in chart.alt_text or \
        "Chinese Academy of Sciences is 1st with 2,777" in chart.alt_text
    assert "2.4 times the next (Harvard University)" in chart.alt_text
    older = nature_index.institutions_chart(NATURE_INDEX, SOURCES, data_year=2023)
    assert len(older.data) == 1
    assert "first among institutions in every data year in the data (2023–2024" in nature_index.cas_summary(NATURE_INDEX)


def test_spending_charts_and_the_central_budget_rise():
    rise = spending.central_budget_rise(SPENDING)
    assert (int(rise["year"]), float(rise["change_pct"])) == (2024, 10.0)
    levels = spending.spending_levels_chart(SPENDING, SOURCES)
    assert {t.name for t in levels.figure.data} == {"gross R&amp;D expenditure (GERD)", "central government S&amp;T budget"}
    assert levels.figure.layout.yaxis.title.text.startswith("CNY bn")
    change = spending.spending_change_chart(SPENDING, SOURCES)
    assert "central government S&T budget 2024: +10.0 %" in change.alt_text
    assert "gross R&D expenditure (GERD) 2024: +8.3 %" in change.alt_text
    assert "Ministry of Finance (2024)" in change.source_line


def test_seed_claim_is_cited_and_set_against_the_data():
    check = nature_index.seed_claim_check(NATURE_INDEX, SOURCES)
    assert check.citation.startswith("China's big-science bet, Nature, 2024")
    assert check.findings[0].startswith("China first leads the US in data year 2022")
    assert any("natural + health sciences (145 journals) basis: +10,039 Share in 2024" in f for f in check.findings)
    # The findings come from the table, not from the claim: with China's 2024 Share lowered, the gap follows.
    lowered = NATURE_INDEX.copy()
    lowered.loc[(lowered["entity"] == "China") & (lowered["data_year"] == 2024), "share"] = 22000.0
    findings = nature_index.seed_claim_check(lowered, SOURCES).findings
    assert any("natural + health sciences (145 journals) basis: -83 Share in 2024" in f for f in findings), findings
    missing = nature_index.seed_claim_check(NATURE_INDEX, SOURCES[SOURCES["id"] != "nature_index_2024_big_science_bet"])
    assert "not found in sources.csv" in missing.citation


def test_empty_tables_give_no_charts():
    catalogue = make_catalogue(table("nature_index", []), table("research_spending", []))
    assert nature_index.page_charts(catalogue) == []
    assert nature_index.china_us_crossover(catalogue.nature_index) is None


def test_page_charts_have_titles_units_sources_and_alt_texts():
    charts = nature_index.page_charts(make_catalogue())
    assert len(charts) == 6
    for chart in charts:
        assert chart.title and chart.alt_text and chart.source_line.startswith("Source:") and not chart.data.empty
        assert chart.figure.layout.xaxis.title.text


# --- Real data and the page ----------------------------------------------------------------------


def test_real_crossover_matches_the_table(real_catalogue):
    crossover = nature_index.china_us_crossover(real_catalogue.nature_index)
    shares = real_catalogue.nature_index.copy()
    shares["entity"] = shares["entity"].map(nature_index.canonical_country)
    # The real tables hold a China-US crossover on the Share basis (data year 2022 in the 2023 Annual Tables).
    assert crossover is not None and crossover.lead.basis == "Share", crossover
    year_rows = shares[(shares["data_year"] == crossover.lead.data_year) & (shares["subject"] == "All subjects")
                       & (shares["edition"] == crossover.lead.edition) & (shares["scope"] == crossover.lead.scope)]
    by_country = year_rows.set_index("entity")["share"]
    assert by_country["China"] > by_country["United States"]
    assert (by_country["China"], by_country["United States"]) == (crossover.lead.china_share, crossover.lead.us_share)
    # ... and in the year before it, on the same basis, the United States ranked first.
    before = shares[(shares["data_year"] == crossover.previous_us_year) & (shares["subject"] == "All subjects")
                    & (shares["scope"] == crossover.lead.scope) & (shares["entity"] == "United States")]
    assert (before["rank"] == 1).any(), before
    assert nature_index.page_charts(real_catalogue)


def test_nature_index_page_renders():
    from streamlit.testing.v1 import AppTest

    skip_unless_app_loads()

    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=120)
    at.run()
    at.multiselect(key="province").set_value(["Sichuan"])  # the facility filter does not apply to this page
    at.run()
    at.switch_page("pages/nature_index.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "China and the world in the Nature Index"
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert figures
    share = figures[0]
    assert any("journal set changes" in a.get("text", "") for a in share["layout"].get("annotations", []))
    assert any("almost 5,000 Share ahead" in m.value for m in at.markdown)
    assert len(figures) == len(nature_index.page_charts(load_catalogue()))
    assert any("do not apply to this page" in caption.value for caption in at.caption)


# --- One answer to "when did China overtake the US" ---------------------------------------------


def test_one_crossover_answer_whatever_the_spelling_or_the_basis():
    # The Overview's claim and this page read the same function; the two cases where their old rules disagreed:
    # the US spelled "USA", and China ranked first in a year with no published Shares.
    usa = NATURE_INDEX.assign(entity=NATURE_INDEX["entity"].replace({"United States": "USA"}))
    by_rank = NATURE_INDEX.copy()
    by_rank.loc[(by_rank["data_year"] == 2021) & (by_rank["entity"] == "China"), "rank"] = 1
    by_rank.loc[(by_rank["data_year"] == 2021) & (by_rank["entity"] == "United States"), "rank"] = 2
    for frame, expected in ((NATURE_INDEX, expected_crossover(NATURE_INDEX)), (usa, expected_crossover(NATURE_INDEX)),
                            (by_rank, 2021)):
        year, rows = nature_index.crossover_year_and_rows(frame)
        assert year == nature_index.china_us_crossover(frame).lead.data_year == expected
        at = rows[rows["data_year"] == year].set_index("entity")
        assert set(at.index) == {"China", "United States"} and at["scope"].nunique() == 1
    year, rows = nature_index.crossover_year_and_rows(NATURE_INDEX)
    at = rows[rows["data_year"] == year].set_index("entity")
    assert at.loc["China", "share"] > at.loc["United States", "share"]


def test_no_crossover_gives_no_year_and_keeps_the_rows():
    us_ahead = NATURE_INDEX.copy()
    china = us_ahead["entity"] == "China"
    us_ahead.loc[china, "share"] = 1.0
    us_ahead.loc[china, "rank"] = 9
    year, rows = nature_index.crossover_year_and_rows(us_ahead)
    assert year is None and nature_index.china_us_crossover(us_ahead) is None
    assert set(rows["entity"]) == {"China", "United States"}
