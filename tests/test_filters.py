"""The global filters select the right facilities, and a shared link's bad values become notices."""

import pandas as pd
import pytest

from china_bigscience.filters import (
    FacilityFilter,
    facilities_as_of,
    filter_facilities,
    read_filter_params,
    status_as_of,
)


@pytest.mark.parametrize("text", ["江门", "juno", "JUNO", "Jiangmen", "  Juno "])
def test_search_finds_juno_in_english_chinese_and_acronym(catalogue, text):
    found = filter_facilities(catalogue.facilities, FacilityFilter(text=text.strip()))
    assert "juno" in set(found["id"])


def test_search_by_chinese_name_of_jinping(catalogue):
    found = filter_facilities(catalogue.facilities, FacilityFilter(text="锦屏"))
    assert {"cjpl", "cjpl2"} <= set(found["id"])


def test_province_filter(catalogue):
    found = filter_facilities(catalogue.facilities, FacilityFilter(provinces=("Sichuan",)))
    assert {"cjpl", "cjpl2", "lhaaso"} <= set(found["id"])
    assert (found["province"] == "Sichuan").all()


def test_combined_filters_are_anded(catalogue):
    found = filter_facilities(
        catalogue.facilities, FacilityFilter(provinces=("Beijing",), fields=("photon science",))
    )
    assert set(found["id"]) >= {"heps"}
    assert (found["field"] == "photon science").all() and (found["province"] == "Beijing").all()


def test_year_range_on_construction_and_operation(catalogue):
    by_construction = filter_facilities(catalogue.facilities, FacilityFilter(year_range=(1984, 1984)))
    assert "bepc" in set(by_construction["id"])
    by_operation = filter_facilities(
        catalogue.facilities, FacilityFilter(year_range=(1988, 1988), year_basis="operation")
    )
    assert "bepc" in set(by_operation["id"])
    # A facility with the year unknown is not invented into a narrowed range.
    assert by_operation["first_operation"].notna().all()


def test_no_match_is_an_empty_frame_with_columns(catalogue):
    found = filter_facilities(catalogue.facilities, FacilityFilter(text="no such facility xyz"))
    assert found.empty and list(found.columns) == list(catalogue.facilities.columns)


def test_default_filter_keeps_everything(catalogue):
    assert len(filter_facilities(catalogue.facilities, FacilityFilter())) == len(catalogue.facilities)
    assert FacilityFilter().is_default and not FacilityFilter(text="x").is_default


def test_describe_and_slug():
    selection = FacilityFilter(provinces=("Sichuan",), fields=("photon science",), year_range=(2010, 2020))
    assert "Province: Sichuan" in selection.describe()
    assert selection.slug() == "sichuan_photon-science_2010-2020"
    assert FacilityFilter().slug() == "all"
    assert FacilityFilter(text="江门").slug() == "jiang-men"  # Chinese search text is transliterated, not dropped


def test_as_of_year_removes_facilities_not_yet_started(catalogue):
    in_2000 = facilities_as_of(catalogue.facilities, 2000)
    assert "juno" not in set(in_2000["id"])  # ground broken 2015
    assert "bepc" in set(in_2000["id"])
    in_2010 = facilities_as_of(catalogue.facilities, 2010)
    assert "bepc" not in set(in_2010["id"])  # decommissioned 2004
    statuses = status_as_of(catalogue.facilities.set_index("id", drop=False), 2020)
    assert statuses["juno"] == "under construction" and statuses["fast"] == "operating"


LINK_VOCAB = dict(provinces=["Sichuan", "Beijing"], fields=["astronomy"], statuses=["operating"], year_bounds=(1984, 2030))


def test_link_with_unknown_province_keeps_the_good_values():
    reading = read_filter_params({"province": ["Atlantis", "Sichuan"]}, **LINK_VOCAB)
    assert reading.values["province"] == ["Sichuan"]
    assert len(reading.notices) == 1 and "'Atlantis'" in reading.notices[0]


# The formats a bound slider does not read (one value, "2010-2000", "2000,2010") are ignored with a notice
# (they were read as "good" before, while the app silently dropped them).
@pytest.mark.parametrize("raw", [["abc"], ["1900", "2000"], ["2000", "2010", "2020"], ["20x0"], ["2015"], ["2010-2000"],
                                 ["2000,2010"], ["2000.5", "2010"], ["-1", "2000"]])
def test_malformed_years_are_ignored_with_a_notice(raw):
    reading = read_filter_params({"years": raw}, **LINK_VOCAB)
    assert "years" not in reading.values
    assert len(reading.notices) == 1 and repr(raw[0]) in reading.notices[0]
    assert "All years (1984–2030) are shown" in reading.notices[0]


def test_good_years_are_read_without_notice():
    reading = read_filter_params({"years": ["2000", "2010"]}, **LINK_VOCAB)
    assert reading.values["years"] == (2000, 2010) and reading.notices == []


def test_reversed_years_are_applied_in_order_with_a_notice():
    reading = read_filter_params({"years": ["2010", "2000"]}, **LINK_VOCAB)
    assert reading.values["years"] == (2000, 2010)
    assert len(reading.notices) == 1 and "reversed; applied as 2000–2010" in reading.notices[0]


def test_a_filter_never_keeps_a_reversed_range():
    assert FacilityFilter(year_range=(2010, 2000)).year_range == (2000, 2010)


def test_repeated_names_are_used_once_with_a_notice():
    reading = read_filter_params({"province": ["Sichuan", "Sichuan", "Beijing"]}, **LINK_VOCAB)
    assert reading.values["province"] == ["Sichuan", "Beijing"]
    assert reading.notices == ["The link's province value(s) 'Sichuan' are given more than once; used once."]


def test_repeated_basis_and_search_are_named():
    reading = read_filter_params({"basis": ["operation", "construction"], "q": ["juno", "lhaaso"]}, **LINK_VOCAB)
    assert "basis" not in reading.values and reading.values["q"] == "lhaaso"
    assert len(reading.notices) == 2
    assert "basis value is given more than once" in reading.notices[0]
    assert "the last one is used" in reading.notices[1]


def test_too_long_search_is_cut_and_quoted_values_are_short():
    long = "x" * 5000
    reading = read_filter_params({"q": [long], "province": [long]}, **LINK_VOCAB)
    assert reading.values["q"] == "x" * 200
    assert any("5000 characters long; only its first 200 are used" in n for n in reading.notices)
    assert all(len(notice) < 200 for notice in reading.notices)
    assert all("\n" not in notice for notice in read_filter_params({"province": ["a\nb"]}, **LINK_VOCAB).notices)


def test_empty_link_gives_nothing_and_no_notice():
    reading = read_filter_params({}, **LINK_VOCAB)
    assert reading.values == {} and reading.notices == []


def test_year_bounds_come_from_the_data_only():
    from china_bigscience.filters import filter_year_bounds

    facilities = pd.DataFrame({"construction_start": [1990, None, 2001], "first_operation": [1995, 2034, None]})
    assert filter_year_bounds(facilities) == (1990, 2034)  # a planned 2034 counts; today's date does not


# --- National list, functional type and completeness ----------------------------------------

def test_national_list_filter_selects_each_state(catalogue):
    facilities = catalogue.facilities
    on = filter_facilities(facilities, FacilityFilter(national_list=("on the list",)))
    unknown = filter_facilities(facilities, FacilityFilter(national_list=("not known",)))
    off = filter_facilities(facilities, FacilityFilter(national_list=("not on the list",)))
    assert set(on["id"]) == set(facilities.loc[facilities["on_national_list"].fillna(False).astype(bool), "id"])
    assert set(unknown["id"]) == set(facilities.loc[facilities["on_national_list"].isna(), "id"])
    assert len(on) + len(unknown) + len(off) == len(facilities)
    assert len(on) > 0 and len(unknown) > 0


def test_functional_type_filter_keeps_not_known_as_a_choice(catalogue):
    facilities = catalogue.facilities
    typed = filter_facilities(facilities, FacilityFilter(functional_types=("public experimental platform",)))
    assert (typed["functional_type"] == "public experimental platform").all() and len(typed) > 0
    unknown = filter_facilities(facilities, FacilityFilter(functional_types=("not known",)))
    assert unknown["functional_type"].isna().all()
    assert len(unknown) == int(facilities["functional_type"].isna().sum())


def test_minimum_completeness_against_the_hand_count():
    from tests.small_catalogue import small_catalogue

    facilities = small_catalogue().facilities
    # deeplab 9/9, bigdetector 8/9 (89 %), hostile 3/8 (38 %), plannedring 1/6 (17 %): see test_completeness.py.
    assert set(filter_facilities(facilities, FacilityFilter(min_completeness=90))["id"]) == {"deeplab"}
    assert set(filter_facilities(facilities, FacilityFilter(min_completeness=30))["id"]) == {"deeplab", "bigdetector", "hostile"}
    assert len(filter_facilities(facilities, FacilityFilter(min_completeness=0))) == 4
    assert FacilityFilter(min_completeness=50).describe() == "Key facts known: at least 50%"


def test_new_link_values_are_checked():
    reading = read_filter_params({"national": ["on the list", "maybe"], "ftype": ["dedicated facility", "castle"],
                                  "complete": ["70"]}, **LINK_VOCAB)
    assert reading.values == {"national": ["on the list"], "ftype": ["dedicated facility"], "complete": 70}
    assert len(reading.notices) == 2
    assert "national list value(s) 'maybe'" in reading.notices[0]
    assert "functional type value(s) 'castle'" in reading.notices[1]


@pytest.mark.parametrize("raw", [["75"], ["110"], ["abc"], ["50", "60"], ["-10"]])
def test_bad_completeness_in_a_link_is_ignored_with_a_notice(raw):
    reading = read_filter_params({"complete": raw}, **LINK_VOCAB)
    assert "complete" not in reading.values
    assert len(reading.notices) == 1 and repr(raw[0]) in reading.notices[0]


def test_a_chinese_search_names_its_files_in_pinyin_not_all():
    assert FacilityFilter(text="江门").slug() == "jiang-men"
    assert FacilityFilter(provinces=("Sichuan",), fields=("photon science",), year_range=(2010, 2020)).slug() == (
        "sichuan_photon-science_2010-2020")
    assert FacilityFilter().slug() == "all"


def test_new_filters_describe_themselves_and_their_link_notices_in_chinese():
    from china_bigscience.i18n import Translator

    zh = Translator("zh")
    selection = FacilityFilter(national_list=("on the list", "not known"), functional_types=("dedicated facility",),
                               min_completeness=50)
    assert selection.describe(zh) == "国家重大科技基础设施名单：在名单上、不详；功能类型：专用设施；关键信息完整度：至少 50%"
    reading = read_filter_params({"national": ["maybe"], "complete": ["55"]}, **LINK_VOCAB, tr=zh)
    assert reading.values == {}
    assert "国家重大科技基础设施名单" in reading.notices[0] and "'maybe'" in reading.notices[0]
    assert "'55'" in reading.notices[1] and "以 10 为步长" in reading.notices[1]


def test_national_list_and_functional_type_labels_of_either_language_read_back_as_data_values(catalogue):
    from china_bigscience import ui
    from china_bigscience.i18n import link_values

    tables = ui.bound_label_tables(catalogue)
    assert link_values(["在名单上", "not known"], tables["national"]) == ["on the list", "not known"]
    assert link_values(["公共实验平台", "public experimental platform (公共实验平台)", "castle"], tables["ftype"]) == [
        "public experimental platform", "public experimental platform", "castle"]
