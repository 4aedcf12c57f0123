"""Chinese readers find facilities by pinyin, traditional characters, tone marks, 中文, English and acronyms."""

import pandas as pd
import pytest

from china_bigscience.search_text import fold, pinyin_key, search_mask, to_simplified


def found_ids(frame, query, provinces=None):
    return set(frame[search_mask(frame, query, provinces)]["id"])


@pytest.fixture(scope="module")
def provinces_zh(catalogue):
    return dict(zip(catalogue.provinces["name_en"], catalogue.provinces["name_zh"]))


@pytest.mark.parametrize("query", ["tianyan", "Tianyan", "tian yan", "Tiānyǎn", "zhongguotianyan", "中国天眼", "中國天眼", "FAST"])
def test_fast_is_found_as_tianyan_in_pinyin_characters_and_acronym(catalogue, query):
    assert "fast" in found_ids(catalogue.facilities, query)


@pytest.mark.parametrize("query", ["江門", "江門中微子實驗", "jiangmen", "江门", "JUNO", "juno"])
def test_juno_is_found_in_traditional_and_simplified_characters(catalogue, query):
    assert "juno" in found_ids(catalogue.facilities, query)


def test_pinyin_finds_a_name_whose_english_says_nothing_of_it(catalogue):
    # 上海光源 is the Shanghai Synchrotron Radiation Facility: "guangyuan" is only in the pinyin of its Chinese name.
    facilities = catalogue.facilities
    ssrf = facilities[facilities["id"] == "ssrf"].iloc[0]
    assert "guangyuan" not in " ".join(str(v) for v in ssrf.drop("name_zh").values).lower()
    assert "ssrf" in found_ids(facilities, "shanghai guangyuan")
    assert "ssrf" in found_ids(facilities, "上海光源")


def test_provinces_are_found_by_their_chinese_names(catalogue, provinces_zh):
    sichuan = set(catalogue.facilities.loc[catalogue.facilities["province"] == "Sichuan", "id"])
    assert sichuan and found_ids(catalogue.facilities, "四川", provinces_zh) >= sichuan


def test_the_sidebar_search_finds_a_province_by_its_chinese_name_without_being_given_the_names(catalogue):
    """The sidebar and the link's ``q`` reach the search through ``filters`` without the catalogue's provinces."""
    from china_bigscience.filters import FacilityFilter, filter_facilities

    sichuan = set(catalogue.facilities.loc[catalogue.facilities["province"] == "Sichuan", "id"])
    found = set(filter_facilities(catalogue.facilities, FacilityFilter(text="四川"))["id"])
    assert sichuan and found >= sichuan
    assert found_ids(catalogue.facilities, "广东") >= set(
        catalogue.facilities.loc[catalogue.facilities["province"] == "Guangdong", "id"])


def test_a_query_that_matches_nothing_finds_nothing_and_an_empty_one_everything(catalogue):
    assert found_ids(catalogue.facilities, "xqzv") == set()
    assert found_ids(catalogue.facilities, "  ") == set(catalogue.facilities["id"])


def test_one_letter_is_not_searched_as_pinyin():
    frame = pd.DataFrame({"id": ["a"], "name_en": ["Alpha"], "name_zh": ["中国"], "acronym": [None],
                          "location": [""], "operator": [""], "province": [""]})
    assert found_ids(frame, "z") == set()  # 'z' of 'zhongguo' would match almost any Chinese name
    assert found_ids(frame, "zhong") == {"a"}


def test_facilities_without_a_chinese_name_are_still_found_in_english():
    frame = pd.DataFrame({"id": ["x"], "name_en": ["Example Light Source"], "name_zh": [None], "acronym": ["ELS"],
                          "location": ["Hefei"], "operator": ["USTC"], "province": ["Anhui"]})
    assert found_ids(frame, "light source") == {"x"} and found_ids(frame, "els") == {"x"}


def test_the_folding_helpers():
    assert to_simplified("國家天文臺") == "国家天文台"
    assert to_simplified("FAST") == "FAST"
    assert pinyin_key("中国天眼") == "zhongguotianyan"
    assert pinyin_key("绿色") == "lvse"
    assert fold("  Tiānyǎn ") == "tianyan"


def test_the_warm_up_builds_the_catalogues_haystacks_once_in_the_background(catalogue, monkeypatch):
    import threading

    from china_bigscience import search_text

    monkeypatch.setattr(search_text, "_WARM_UP_STARTED", threading.Event())
    search_text._HAYSTACKS.clear()
    search_text.warm_up_in_background(catalogue.facilities, delay_s=0)
    search_text.warm_up_in_background(catalogue.facilities, delay_s=0)  # once per process
    warmers = [t for t in threading.enumerate() if t.name == "search-warm-up"]
    assert len(warmers) <= 1
    for thread in warmers:
        thread.join(timeout=30)
    assert any(entry[0] is catalogue.facilities for entry in search_text._HAYSTACKS.values())
