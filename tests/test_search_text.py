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


def test_the_search_keys_table_holds_every_chinese_text_of_the_data(catalogue):
    from china_bigscience import search_text

    expected = search_text.search_keys_text(
        search_text.data_search_texts(catalogue.facilities, search_text.data_province_names()))
    assert search_text.SEARCH_KEYS_PATH.read_text(encoding="utf-8") == expected, (
        "china_bigscience/search_keys.json is stale: rebuild it with `make static`")


def test_the_table_gives_what_the_libraries_give_including_a_phrase_reading():
    from china_bigscience import search_text

    keys = dict(__import__("json").loads(search_text.search_keys_text(["重庆", "重庆市", "长短波授时系统", "江門中微子實驗"])))
    assert keys["重庆"] == ["重庆", "chongqing"]  # the phrase dictionary's reading, not zhong
    assert keys["重庆市"][1] == "chongqingshi"  # a run cut into words (重庆 + 市) before it is read
    assert keys["长短波授时系统"][1].startswith("changduanbo")  # not zhang, as 长 alone reads
    assert keys["江門中微子實驗"] == ["江门中微子实验", "jiangmenzhongweizishiyan"]


def test_an_english_search_of_the_data_loads_neither_pinyin_nor_opencc():
    """pypinyin's phrases (59 MB) and OpenCC (27 MB) were a third of the server's memory: the data's texts are
    looked up in search_keys.json, so only a query typed in Chinese loads OpenCC, and nothing here pypinyin."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from china_bigscience.catalogue import load_catalogue\n"
        "from china_bigscience.search_text import search_mask\n"
        "facilities = load_catalogue(validate=False).facilities\n"
        "assert search_mask(facilities, 'tianyan').sum() >= 1\n"
        "assert search_mask(facilities, 'IHEP').sum() >= 1\n"
        "print(sorted(m for m in ('pypinyin', 'opencc_purepy') if m in sys.modules))\n"
        "assert search_mask(facilities, '中國天眼').sum() >= 1\n"  # a query in Chinese: OpenCC folds it
        "print(sorted(m for m in ('pypinyin', 'opencc_purepy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=__import__("pathlib").Path(__file__).resolve().parents[1])
    assert result.stdout.split("\n")[:2] == ["[]", "['opencc_purepy']"], result.stdout + result.stderr


def test_pinyin_reads_a_name_by_its_words(catalogue):
    """长 in 长短波 is chang: read character by character it was zhang, and "changduanbo" found nothing."""
    assert "bpl_bpm_timing" in found_ids(catalogue.facilities, "changduanbo")
    assert "bpl_bpm_timing" in found_ids(catalogue.facilities, "chang duan bo shou shi")
