"""The Overview's headline numbers are honest: no planned or weakly sourced cost, no weakly sourced record, the official count cited."""

import pandas as pd

from china_bigscience import nature_index, overview
from china_bigscience.source_quality import weakly_sourced_values
from tests.small_catalogue import typed_table

FACILITIES = typed_table("facilities", [
    dict(id="built", name_en="Built Ring", acronym="BR", field="photon science", status="operating", status_as_of="2024",
         cost_value=1000.0, cost_currency="CNY", cost_is_estimate=False, altitude_m=4000, source_ids="a", confidence="h"),
    dict(id="building", name_en="Building Source", acronym="BS", field="neutron science", status="under construction",
         status_as_of="2025", cost_value=500.0, cost_currency="CNY", cost_is_estimate=True, source_ids="a", confidence="h"),
    dict(id="proposal", name_en="Proposed Collider", acronym="PC", field="particle physics", status="planned",
         status_as_of="2024", cost_value=36400.0, cost_currency="CNY", source_ids="a", confidence="h"),
    dict(id="rumour", name_en="Rumoured Laser", acronym="RL", field="fusion & plasma", status="operating",
         status_as_of="2015", cost_value=9000.0, cost_currency="CNY", altitude_m=5500, source_ids="w", confidence="m"),
    dict(id="dollars", name_en="Dollar Detector", acronym="DD", field="astroparticle & neutrino", status="operating",
         status_as_of="2025", cost_value=300.0, cost_currency="USD", source_ids="a", confidence="h"),
])
VALUE_SOURCES = typed_table("value_sources", [
    dict(facility_id="rumour", column="cost_value", source_ids="w", weakly_sourced=True),
    dict(facility_id="rumour", column="altitude_m", source_ids="w", weakly_sourced=True),
])


def headline(label, headlines):
    return next(h for h in headlines if h.label == label)


def test_known_investment_counts_only_approved_or_built_and_sourced_costs():
    investment = overview.known_investment(FACILITIES, weakly_sourced_values(VALUE_SOURCES))
    assert investment.total_cny_millions == 1500.0  # built + building; not the proposal, the rumour or the dollars
    assert set(investment.counted) == {"built", "building"} and investment.estimates == 1
    assert investment.left_out["planned, not approved or built"] == ("PC",)
    assert investment.left_out["cost only weakly sourced"] == ("RL",)
    assert investment.left_out["cost not in CNY"] == ("DD",)


def test_known_investment_headline_names_what_it_leaves_out():
    known = headline("Known investment", overview.headline_numbers(FACILITIES, VALUE_SOURCES))
    assert known.value == "CNY 1.5 bn"
    assert "2 approved or built facilities" in known.detail
    assert "planned, not approved or built: PC" in known.detail and "cost only weakly sourced: RL" in known.detail


def test_a_weakly_sourced_value_never_makes_a_headline():
    highest = headline("Highest observatory", overview.headline_numbers(FACILITIES, VALUE_SOURCES))
    assert highest.value == "4,000 m" and highest.detail.startswith("BR")
    # Without the marks, the weakly sourced 5,500 m would win.
    assert headline("Highest observatory", overview.headline_numbers(FACILITIES)).value == "5,500 m"


def test_real_known_investment_leaves_out_cepc_and_weak_costs(catalogue):
    investment = overview.known_investment(catalogue.facilities, weakly_sourced_values(catalogue.value_sources))
    assert "CEPC" in investment.left_out["planned, not approved or built"]
    counted = catalogue.facilities.set_index("id").loc[list(investment.counted)]
    assert set(counted["status"]) <= set(overview.APPROVED_OR_BUILT)
    assert (counted["cost_currency"] == "CNY").all()
    assert investment.total_cny_millions == counted["cost_value"].sum()
    weak = weakly_sourced_values(catalogue.value_sources)
    assert not {(i, "cost_value") for i in investment.counted} & weak


def test_official_count_is_cited_and_marked_weakly_sourced(catalogue):
    national = overview.national_count(catalogue.facilities, catalogue.sources)
    assert national.official == 77 and national.built_and_running == 32
    assert set(national.source_ids) <= set(catalogue.sources["id"])
    assert national.weakly_sourced  # both texts were seen only in copies
    assert national.in_catalogue == int(catalogue.facilities["on_national_list"].fillna(False).astype(bool).sum())
    assert "77 national major science and technology infrastructure facilities" in national.text()


def test_crossover_claim_checks_every_earlier_year(catalogue):
    claim = overview.nature_index_claim(catalogue.nature_index)
    assert claim.holds is True
    assert "first leads the US in data year 2022" in claim.evidence
    for year in (2016, 2017, 2018, 2021):
        assert str(year) in claim.evidence.split("Checked against every earlier year")[1]
    assert "2019–2020" in claim.nuance and "gap in the data" in claim.nuance
    # Computed independently: every 82-journal year before 2022 with both Shares has the US ahead.
    rows = catalogue.nature_index[(catalogue.nature_index["scope"] == overview.NATURAL_SCOPE)
                                  & (catalogue.nature_index["subject"] == "All subjects")
                                  & catalogue.nature_index["share"].notna()]
    wide = rows.pivot_table(index="data_year", columns="entity", values="share")[["China", "United States"]].dropna()
    assert (wide.loc[wide.index < 2022, "United States"] > wide.loc[wide.index < 2022, "China"]).all()
    assert len(wide.loc[wide.index < 2022]) >= 2


def test_crossover_claim_fails_when_china_led_earlier(catalogue):
    edited = catalogue.nature_index.copy()
    china_2017 = (edited["entity"] == "China") & (edited["data_year"] == 2017) & (edited["scope"] == overview.NATURAL_SCOPE)
    edited.loc[china_2017, "share"] = 30000.0
    claim = overview.nature_index_claim(edited)
    assert claim.holds is False and "data year 2017" in claim.evidence


def test_wfc_is_its_own_series_and_never_a_share(catalogue):
    wfc = catalogue.nature_index[catalogue.nature_index["scope"].str.contains("WFC")]
    assert set(wfc["data_year"]) == {2014}
    assert not nature_index.country_shares(catalogue.nature_index)["scope"].str.contains("WFC").any()
    assert all("WFC" not in lead.scope for lead in nature_index.china_us_leads(catalogue.nature_index))
    findings = nature_index.seed_claim_check(catalogue.nature_index, catalogue.sources).findings
    assert any("not comparable with Share" in f and "6,037" in f and "17,936" in f for f in findings)


def test_share_chart_leaves_missing_years_as_gaps(catalogue):
    chart = nature_index.share_chart(catalogue.nature_index, catalogue.sources)
    china_natural = [list(t.x) for t in chart.figure.data if t.name == f"China, {overview.NATURAL_SCOPE}"]
    assert [2016, 2017] in china_natural and [2022] in china_natural
    assert not any(2017 in x and 2022 in x for x in china_natural)
    assert nature_index.consecutive_runs([2016, 2017, 2022]) == [[2016, 2017], [2022]]


def test_health_science_shares_of_2022(catalogue):
    health = catalogue.nature_index[(catalogue.nature_index["scope"] == "health sciences (64 journals)")
                                    & (catalogue.nature_index["data_year"] == 2022)].set_index("entity")["share"]
    assert health["United States"] == 5352 and health["China"] == 1287
    assert pd.notna(health).all()
