"""Downloads carry their provenance: a CSV safe to open in a spreadsheet, and a ZIP whose CSVs equal the filtered tables, with their datapackage.json, README and CITATION."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from china_bigscience import downloads
from china_bigscience.filters import FacilityFilter, filter_facilities
from small_catalogue import small_catalogue

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"


@pytest.fixture(scope="module")
def small():
    return small_catalogue()


def read_back(data: bytes) -> pd.DataFrame:
    """A downloaded CSV as text cells, gaps as NA, the way a reader's tool would see it."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's cells as the CSV writes them."""
    return read_back(frame.to_csv(index=False).encode("utf-8"))


# --- formula neutralising -------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", "+41 22", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://evil.example","x")'])
def test_formula_like_cells_get_an_apostrophe(cell):
    assert downloads.neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["a=b", "JUNO", "2024-05", "", "中文", 5, -3.5, None])
def test_other_cells_are_left_alone(cell):
    assert downloads.neutralise_cell(cell) == cell


def test_csv_neutralises_text_but_keeps_negative_numbers():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "ok"], "altitude_m": pd.array([-154, 4410], dtype="Int64"),
                          "note": [None, "@here"]})
    text = downloads.csv_bytes(frame).decode("utf-8")
    assert text.splitlines() == ["name,altitude_m,note", "'=cmd|' /C calc'!A0,-154,", "ok,4410,'@here"]


def test_formula_like_cell_of_the_fixture_is_neutralised_in_the_facilities_csv(small):
    back = read_back(downloads.csv_bytes(small.facilities)).set_index("id")
    assert back.loc["bigdetector", "notes"] == "'" + small.facilities.set_index("id").loc["bigdetector", "notes"]
    assert back.loc["hostile", "operator"] == "'@SUM(A1:A3)"
    assert back.loc["plannedring", "notes"] == "'-site not chosen"


# --- the ZIP ---------------------------------------------------------------------------------

def open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def test_zip_holds_the_filtered_tables_and_their_provenance(small):
    selection = FacilityFilter(provinces=("Sichuan", "Guangdong"))
    archive = open_zip(downloads.data_zip(small, selection, accessed=dt.date(2026, 11, 28)))
    assert sorted(archive.namelist()) == sorted(["facilities.csv", "milestones.csv", "value_sources.csv", "sources.csv",
                                                 "provinces.csv", "datapackage.json", "README.txt", "CITATION.txt"])
    facilities = read_back(archive.read("facilities.csv"))
    expected = filter_facilities(small.facilities, selection)
    # The CSV equals the filtered table, cell for cell (formula-like cells carry their apostrophe).
    pd.testing.assert_frame_equal(facilities, as_text(downloads.neutralise_formulas(expected)))
    assert facilities["id"].tolist() == ["deeplab", "bigdetector"]

    milestones = read_back(archive.read("milestones.csv"))
    assert set(milestones["facility_id"]) == {"deeplab", "bigdetector"} and len(milestones) == 3
    sources = read_back(archive.read("sources.csv"))
    assert sources["id"].tolist() == ["src_a", "src_b"]  # only the cited ones, not src_c or src_unused


def test_zip_datapackage_describes_only_what_it_holds(small):
    archive = open_zip(downloads.data_zip(small, FacilityFilter(statuses=("planned",))))
    package = json.loads(archive.read("datapackage.json"))
    assert sorted(r["name"] for r in package["resources"]) == sorted(downloads.ZIP_TABLES)
    assert "Status: planned" in package["description"]
    assert package["licenses"] == small.descriptor["licenses"]
    facilities_fields = next(r for r in package["resources"] if r["name"] == "facilities")["schema"]["fields"]
    assert [f["name"] for f in facilities_fields] == list(small.facilities.columns)


def test_zip_package_validates_with_frictionless(small, tmp_path):
    from frictionless import Package

    selection = FacilityFilter(provinces=("Sichuan",))
    open_zip(downloads.data_zip(small, selection)).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_real_data_zip_validates_with_frictionless(catalogue, tmp_path):
    """The ZIP a reader downloads from the real data (all facilities, and one province) is a valid data package."""
    from frictionless import Package

    province = catalogue.facilities["province"].value_counts().index[0]
    for name, selection in (("all", FacilityFilter()), ("one", FacilityFilter(provinces=(province,)))):
        target = tmp_path / name
        archive = open_zip(downloads.data_zip(catalogue, selection))
        archive.extractall(target)
        report = Package(str(target / "datapackage.json")).validate()
        assert report.valid, (name, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        facilities = read_back(archive.read("facilities.csv"))
        assert len(facilities) == len(filter_facilities(catalogue.facilities, selection)) > 0


def test_readme_and_citation(small):
    selection = FacilityFilter(fields=("astronomy",))
    archive = open_zip(downloads.data_zip(small, selection, accessed=dt.date(2026, 11, 28)))
    readme = archive.read("README.txt").decode("utf-8")
    assert "Selection: Field: astronomy" in readme
    assert "facilities.csv: 1 rows" in readme
    assert "depth_m (integer [m])" in readme  # every column with its unit, from datapackage.json
    assert "h: seen in a source and not contradicted" in readme
    assert "apostrophe" in readme
    citation = archive.read("CITATION.txt").decode("utf-8")
    assert small.descriptor["licenses"][0]["name"] in citation
    assert f"version {small.descriptor['version']}" in citation
    assert "Accessed 2026-11-28" in citation


def test_empty_selection_still_gives_a_valid_zip(small):
    archive = open_zip(downloads.data_zip(small, FacilityFilter(text="nothing matches this")))
    assert read_back(archive.read("facilities.csv")).empty
    assert list(read_back(archive.read("facilities.csv")).columns) == list(small.facilities.columns)


# --- provenance shown on the Sources page --------------------------------------------------

def test_field_dictionary_covers_every_column_of_every_table(small):
    dictionary = downloads.field_dictionary(small.descriptor)
    for name in ("facilities", "milestones", "peers", "nature_index", "research_spending", "sources"):
        documented = dictionary[dictionary["Table"] == f"{name}.csv"]["Column"].tolist()
        assert documented == list(getattr(small, name).columns)
    depth = dictionary[(dictionary["Table"] == "facilities.csv") & (dictionary["Column"] == "depth_m")].iloc[0]
    assert depth["Unit"] == "m" and depth["Meaning"]


def test_confidence_meanings_are_read_from_the_schema(small):
    assert list(downloads.confidence_meanings(small.descriptor)) == ["h", "m", "l"]


def test_nature_index_scope_break_is_computed(small):
    scopes = downloads.nature_index_scopes(small.nature_index)
    assert scopes["First data year"].tolist() == [2022, 2023]
    assert scopes["Scope"].iloc[1].startswith("natural + health")


def test_explorer_table_keeps_numbers_numeric_and_links_safe(small):
    table = downloads.explorer_facilities(small.facilities, small.sources, small.provinces).set_index("Facility")
    assert table.loc["Deep Test Laboratory", "Depth (m)"] == 2400
    assert pd.isna(table.loc["Planned Test Ring", "Depth (m)"])
    assert table.loc["Planned Test Ring", "中文名"] == "not known"
    assert table.loc["Deep Test Laboratory", "Profile"] == "profile?facility=deeplab"
    assert table.loc["Deep Test Laboratory", "Main source"] == "https://example.org/a"
    assert pd.isna(table.loc["Planned Test Ring", "Main source"])  # its only source has a javascript: address


# --- the real catalogue and the pages -------------------------------------------------------

def test_real_zip_equals_the_real_filtered_table(catalogue):
    selection = FacilityFilter(fields=(catalogue.facilities["field"].iloc[0],))
    archive = open_zip(downloads.data_zip(catalogue, selection))
    expected = filter_facilities(catalogue.facilities, selection)
    pd.testing.assert_frame_equal(read_back(archive.read("facilities.csv")),
                                  as_text(downloads.neutralise_formulas(expected)))
    cited = set(read_back(archive.read("sources.csv"))["id"])
    assert cited and all(s in cited for cell in expected["source_ids"] for s in cell.split(";"))


def run_page(page: str, **widgets) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
    at.run()
    at.switch_page(page).run()
    for key, value in widgets.items():
        at.multiselect(key=key).set_value(value).run()
    return at


def test_explorer_shows_the_filtered_facilities(catalogue):
    province = catalogue.facilities["province"].dropna().iloc[0]
    at = run_page("pages/explorer.py", province=[province])
    assert not at.exception
    assert at.title[0].value == "Data explorer"
    expected = filter_facilities(catalogue.facilities, FacilityFilter(provinces=(province,)))
    table = at.dataframe[0].value
    assert sorted(table["Facility"]) == sorted(expected["name_en"])
    assert set(table["Profile"]) == {f"profile?facility={fid}" for fid in expected["id"]}
    # Fixed tab names: the open tab is kept in the link by its name (the count is on the download button).
    assert [tab.label for tab in at.tabs] == [
        "Facilities", "Milestones", "World peers", "Nature Index", "Research spending", "Sources"]
    assert any(f"Filtered facilities, {len(expected)} rows" in button.label for button in at.get("download_button"))


def test_explorer_builds_only_the_open_tab(catalogue):
    # The first view sends the facilities table alone; the link's tab is the one built.
    at = run_page("pages/explorer.py")
    assert not at.exception
    assert [frame.value.shape[0] for frame in at.dataframe] == [len(catalogue.facilities)]
    linked = AppTest.from_file(str(DASHBOARD), default_timeout=90)
    linked.query_params["explorer-tab"] = "Milestones"
    linked.run()
    linked.switch_page("pages/explorer.py").run()
    assert not linked.exception
    assert len(linked.dataframe) == 1
    assert {"date", "event", "facility"} <= set(linked.dataframe[0].value.columns)


def test_repeated_texts_go_to_the_grid_as_categories_with_the_same_values(catalogue):
    table = downloads.explorer_facilities(catalogue.facilities, catalogue.sources, catalogue.provinces,
                                          catalogue.value_sources)
    compact = downloads.with_repeated_texts_as_categories(table)
    assert isinstance(compact["Field"].dtype, pd.CategoricalDtype)
    assert isinstance(compact["Province"].dtype, pd.CategoricalDtype)
    assert not isinstance(compact["Facility"].dtype, pd.CategoricalDtype)  # one name a row: nothing repeats
    assert list(compact.columns) == list(table.columns)
    pd.testing.assert_frame_equal(compact.astype(object), table.astype(object))


def test_explorer_empty_selection_says_so():
    at = run_page("pages/explorer.py")
    at.text_input(key="q").input("zzz-no-facility-matches").run()
    assert not at.exception
    assert any("No facilities match" in info.value for info in at.info)


def test_sources_page_is_rendered_from_the_data_package(catalogue):
    at = run_page("pages/sources.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    for heading in ("How facilities were chosen", "What the confidence marks mean", "Nature Index: the scope break",
                    "Map boundaries", "How to cite", "How to report a correction", "Sources"):
        assert heading in headers
    sources_table = at.dataframe[-1].value
    assert len(sources_table) == len(catalogue.sources)
    assert any(f"**{len(catalogue.facilities)} facilities**" in m.value for m in at.markdown)
    # The citation block is built from the real datapackage.json: its version, licence and today's date.
    citation = at.code[0].value
    descriptor = catalogue.descriptor
    assert f"version {descriptor['version']}" in citation and f"Licence: {descriptor['licenses'][0]['name']}" in citation
    assert f"Accessed {dt.date.today().isoformat()}" in citation


# --- source quality, the national list and completeness in the downloads ---------------------

def test_readme_explains_the_quality_classes_with_counts(small):
    selection = FacilityFilter(provinces=("Sichuan", "Guangdong"))
    readme = open_zip(downloads.data_zip(small, selection)).read("README.txt").decode()
    # The bundled sources are src_a (primary) and src_b (reputable).
    assert "primary (1 of these sources): the publisher's or institution's own page" in readme
    assert "reputable (1 of these sources):" in readme and "weak (0 of these sources):" in readme


def test_zip_sources_include_national_list_and_value_sources(small):
    from dataclasses import replace

    from small_catalogue import typed_table

    facilities = small.facilities.copy()
    facilities.loc[facilities["id"] == "bigdetector", "national_list_source_ids"] = "src_c"
    value_sources = typed_table("value_sources", [
        dict(facility_id="deeplab", column="cost_value", source_ids="src_a", weakly_sourced=False,
             other_value="120", other_source_ids="src_unused"),
        dict(facility_id="hostile", column="status", source_ids="src_c", weakly_sourced=False),
    ])
    catalogue = replace(small, facilities=facilities, value_sources=value_sources)
    archive = open_zip(downloads.data_zip(catalogue, FacilityFilter(provinces=("Sichuan", "Guangdong"))))
    sources = read_back(archive.read("sources.csv"))
    assert sources["id"].tolist() == ["src_a", "src_b", "src_c", "src_unused"]
    assert {"quality", "quality_note"} <= set(sources.columns)
    bundled_values = read_back(archive.read("value_sources.csv"))
    assert bundled_values["facility_id"].tolist() == ["deeplab"]  # hostile is not in the selection


def test_explorer_table_carries_national_list_and_completeness(small):
    table = downloads.explorer_facilities(small.facilities, small.sources, small.provinces).set_index("Facility")
    assert table.loc["Deep Test Laboratory", "Key facts known"] == 100
    assert table.loc["Planned Test Ring", "Key facts known"] == 17  # 1 of 6: the hand count in test_completeness.py
    assert table.loc["Deep Test Laboratory", "Primary or reputable sources"] == 100
    assert set(table["National list"]) == {"not known"}
    assert table.loc["Deep Test Laboratory", "Functional type"] == "not known"


def test_source_quality_counts(catalogue):
    counts = downloads.quality_counts(catalogue.sources).set_index("Quality")
    assert counts["Sources"].sum() == len(catalogue.sources)
    assert counts.loc["weak", "Sources"] == int((catalogue.sources["quality"] == "weak").sum())


def test_facilities_by_national_list_adds_up(catalogue):
    table = downloads.facilities_by_national_list(catalogue.facilities, catalogue.fields)
    assert list(table.columns) == ["Field", "on the list", "not on the list", "not known", "all"]
    assert table["all"].sum() == len(catalogue.facilities)
    assert table["on the list"].sum() == int(catalogue.facilities["on_national_list"].fillna(False).astype(bool).sum())


def test_explorer_shows_the_data_values_in_the_readers_language(small):
    from china_bigscience.i18n import Translator

    table = downloads.explorer_facilities(small.facilities, small.sources, small.provinces)
    chinese = Translator("zh")
    shown = downloads.explorer_facilities_shown(table, small.facilities, chinese)
    assert shown["Field"].astype(str).tolist() == [chinese.field(v) for v in table["Field"]]
    assert shown["Status"].astype(str).tolist() == [chinese.status(v) for v in table["Status"]]
    english = downloads.explorer_facilities_shown(table, small.facilities)
    assert english["Field"].astype(str).tolist() == table["Field"].tolist()  # English: the data's own values
