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
    assert FacilityFilter(text="江门").slug() == "all"  # non-ASCII search text does not break file names


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


@pytest.mark.parametrize("raw", [["abc"], ["1900", "2000"], ["2000", "2010", "2020"], ["20x0"]])
def test_malformed_years_are_ignored_with_a_notice(raw):
    reading = read_filter_params({"years": raw}, **LINK_VOCAB)
    assert "years" not in reading.values
    assert reading.notices and repr(raw[0]) in reading.notices[0]


@pytest.mark.parametrize("raw,expected", [(["2000", "2010"], (2000, 2010)), (["2010-2000"], (2000, 2010)), (["2015"], (2015, 2015))])
def test_good_years_are_read(raw, expected):
    assert read_filter_params({"years": raw}, **LINK_VOCAB).values["years"] == expected


def test_empty_link_gives_nothing_and_no_notice():
    reading = read_filter_params({}, **LINK_VOCAB)
    assert reading.values == {} and reading.notices == []
