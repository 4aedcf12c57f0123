"""Completeness and sourcing of each facility, against counts made by hand on the small catalogue."""

import pandas as pd

from china_bigscience import completeness
from tests.small_catalogue import small_catalogue, typed_table

# Hand-counted from tests/small_catalogue.py (applicable facts, known facts, what is missing):
# deeplab      astroparticle, operating: all 9 apply, all 9 known.
# bigdetector  astroparticle, operating: all 9 apply; the cost is not known.
# plannedring  particle physics, planned: no depth/altitude, construction start or first operation expected,
#              so 6 apply (location, scale, cost, status, operator, funding); only the status is known.
# hostile      astronomy, under construction: 8 apply (not first operation); location, status, operator known.
EXPECTED = {
    "deeplab": (9, 9, ""),
    "bigdetector": (9, 8, "cost"),
    "plannedring": (6, 1, "location; scale; cost; operator; funding"),
    "hostile": (8, 3, "depth or altitude; scale; cost; construction start; funding"),
}


def with_weak_source_and_value_sources():
    catalogue = small_catalogue()
    sources = pd.concat([catalogue.sources, typed_table("sources", [
        dict(id="src_weak", publisher="A blog", title="A blog post", date="2020", kind="reference",
             seen_via="copy", quality="weak")])], ignore_index=True)
    facilities = catalogue.facilities.copy()
    facilities.loc[facilities["id"] == "bigdetector", "national_list_source_ids"] = "src_b;src_a"
    value_sources = typed_table("value_sources", [
        dict(facility_id="deeplab", column="depth_m", source_ids="src_weak", weakly_sourced=True),
        dict(facility_id="deeplab", column="cost_value", source_ids="src_weak;src_a", weakly_sourced=False),
    ])
    return facilities, sources, value_sources


def test_facts_counted_as_by_hand():
    catalogue = small_catalogue()
    table = completeness.facility_completeness(catalogue.facilities, catalogue.sources).set_index("id")
    for facility_id, (applicable, known, missing) in EXPECTED.items():
        row = table.loc[facility_id]
        assert (row["facts_applicable"], row["facts_known"], row["missing_facts"]) == (applicable, known, missing)
        assert row["completeness"] == known / applicable


def test_share_for_the_filter_agrees_with_the_table():
    catalogue = small_catalogue()
    shares = completeness.facts_known_share(catalogue.facilities)
    expected = [EXPECTED[fid][1] / EXPECTED[fid][0] for fid in catalogue.facilities["id"]]
    assert shares.tolist() == expected


def test_sources_counted_by_quality_with_value_and_list_sources():
    facilities, sources, value_sources = with_weak_source_and_value_sources()
    table = completeness.facility_completeness(facilities, sources, value_sources).set_index("id")
    # deeplab: its row cites src_a (primary), src_b (reputable); value_sources add src_weak (weak), src_a again.
    deeplab = table.loc["deeplab"]
    assert (deeplab["sources"], deeplab["primary"], deeplab["reputable"], deeplab["weak"]) == (3, 1, 1, 1)
    assert deeplab["weak_share"] == 1 / 3
    assert deeplab["weakly_sourced_facts"] == "depth or altitude"  # only the depth row is marked weak
    # bigdetector: src_a on its row, src_b (and src_a again) as national-list sources.
    assert (table.loc["bigdetector", "sources"], table.loc["bigdetector", "reputable"]) == (2, 1)
    assert table.loc["hostile", "weakly_sourced_facts"] == ""


def test_sentences_say_the_counts():
    record = {"facts_known": 8, "facts_applicable": 9, "missing_facts": "cost",
              "sources": 2, "primary": 1, "reputable": 1, "weak": 0}
    assert completeness.completeness_sentence(record) == "8 of 9 key facts known (89%); not known: cost."
    assert completeness.sourcing_sentence(record) == "2 sources of its facts: 1 primary, 1 reputable, 0 weak."


def test_sentences_in_chinese_name_the_facts_and_quality_classes_in_chinese():
    from china_bigscience.i18n import Translator

    zh = Translator("zh")
    record = {"facts_known": 7, "facts_applicable": 9, "missing_facts": "scale; cost",
              "sources": 2, "primary": 1, "reputable": 1, "weak": 0}
    assert completeness.completeness_sentence(record, zh) == "9 项关键信息中已知 7 项（78%）；不详：规模、造价。"
    assert completeness.sourcing_sentence(record, zh) == "其信息共有 2 个来源：主要来源 1 个、可靠的二手来源 1 个、薄弱来源 0 个。"
    assert completeness.key_fact_names(zh)[:3] == ["位置", "深度或海拔", "规模"]


def test_key_facts_are_columns_of_the_schema():
    catalogue = small_catalogue()
    for fact in completeness.KEY_FACTS:
        for column in fact.columns:
            assert column in catalogue.facilities.columns, (fact.name, column)


def test_percent_rounds_halves_up():
    assert [completeness.percent({"facts_known": k, "facts_applicable": n}) for k, n in ((5, 8), (1, 6), (8, 9), (0, 7), (7, 7))] \
        == [63, 17, 89, 0, 100]
