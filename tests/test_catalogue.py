"""The data package validates, and each validation rule names the file, row, column and value at fault."""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from china_bigscience.catalogue import DataValidationError, load_catalogue, split_ids
from china_bigscience.charts import FIELD_COLOURS


def edit_cell(data_dir: Path, file_name: str, row_id: str, column: str, value: str, key: str = "id") -> int:
    """Set one cell of a CSV in place; returns the row number (header = row 1) that was edited."""
    path = data_dir / file_name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fieldnames = list(rows[0].keys())
    for number, row in enumerate(rows, start=2):
        if row[key] == row_id:
            row[column] = value
            edited = number
            break
    else:
        raise AssertionError(f"{row_id} not in {file_name}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return edited


def load_error(data_dir: Path) -> str:
    with pytest.raises(DataValidationError) as caught:
        load_catalogue(data_dir)
    return str(caught.value)


def test_real_data_validates(catalogue):
    assert len(catalogue.facilities) >= 70
    assert catalogue.facilities["id"].is_unique
    assert len(catalogue.milestones) > 0
    assert len(catalogue.peers) > 0
    assert len(catalogue.nature_index) > 0
    assert len(catalogue.sources) > 0


def test_fields_go_beyond_physics_and_each_has_one_colour(catalogue):
    assert len(catalogue.fields) >= 12
    assert set(catalogue.fields) == set(FIELD_COLOURS)
    assert len(set(FIELD_COLOURS.values())) == len(FIELD_COLOURS)
    assert {"life sciences & medicine", "earth & ocean observation", "engineering & materials"} <= set(
        catalogue.facilities["field"]
    )


def test_national_list_claims_name_sources_that_resolve(catalogue):
    known = set(catalogue.sources["id"])
    facilities = catalogue.facilities
    on_list = facilities[facilities["on_national_list"].fillna(False).astype(bool)]
    assert len(on_list) >= 50
    for _, row in facilities.iterrows():
        ids = split_ids(row["national_list_source_ids"])
        assert set(ids) <= known, row["id"]
        if pd.notna(row["on_national_list"]):
            assert ids, f"{row['id']} says on_national_list={row['on_national_list']} without a source"


def test_columns_are_typed(catalogue):
    facilities = catalogue.facilities
    assert str(facilities["construction_start"].dtype) == "Int64"
    assert str(facilities["lat"].dtype) == "Float64"
    assert str(facilities["cost_is_estimate"].dtype) == "boolean"


def test_every_facility_cites_a_source_that_resolves(catalogue):
    known = set(catalogue.sources["id"])
    for _, row in catalogue.facilities.iterrows():
        ids = split_ids(row["source_ids"])
        assert ids, f"{row['id']} has no source"
        assert set(ids) <= known


# Addresses of mirrors and aggregators that republished the texts the fact sheets were built from.
# Sources seen there are cited by their original publisher, title and date instead.
MIRROR_HOSTS = [
    "oaltena.net", "sagapedia.com", "gruenauge.com", "lazybrains.com", "exbulletin.com", "pressreader.com",
    "docslib.org", "arxiv-vanity.com", "invest-un.com", "bastillepost.com", "hz061.com", "badgirlfriendsrock.com",
    "mrloyacano.net", "feifmx.com", "worldviewthainews.com", "germanvogel.com", "tamilaifm.com", "qoo10",
    "crbcnews.com", "cyprusnews.eu", "383tm.com", "tajdwx.cn", "wanpiaopiao.cn", "maomilingyang.com",
    "oksanjose.com", "kapianwang.com", "strainsbyadams.com", "adannews.com", "homsy-staging", "lboro-test-vufind",
    "dqyhjzz.cn", "taptechnews.com", "myglobalnews.net", "biofera.org", "urdupoint.com", "tnpump.com",
    "pulsestacks.com", "bliptext.com", "infogalactic.com", "handwiki.org", "owiki.org", "nearbywiki.org",
    "wikiwand.com", "hx.cz", "readit.plus", "techzonedaily.com", "myworldfix.com", "blisty.cz", "sugaku.net",
    "arcxiv.org", "ar5iv", "synapsesocial.com", "gayaone.com", "riemnews.com", "hubbyandwifey.com", "busyday.net",
    "cnkeywords.net", "netbuybay.com", "newscenter.com.ng", "spacetoday.net", "libguides.com", "bioreports.net",
    "worldkings.org", "studylib.net", "yourwisdomtips.com", "notably.news", "clateway.com",
    "window-to-china.eu", "defence.pk",
]


def test_no_source_uses_a_mirror_address(catalogue):
    urls = catalogue.sources["url"].dropna()
    offenders = [url for url in urls if any(host in url for host in MIRROR_HOSTS)]
    assert offenders == []
    assert not any(re.match(r"https?://\d+\.\d+\.\d+\.\d+", url) for url in urls), "bare IP addresses are mirrors"


def test_every_source_is_identifiable(catalogue):
    sources = catalogue.sources
    assert sources["publisher"].notna().all() and sources["title"].notna().all()
    copies = sources[sources["seen_via"] == "copy"]
    # A copy is cited without the copy's address: only a DOI/arXiv address of the original may stand there.
    for _, row in copies.dropna(subset=["url"]).iterrows():
        assert re.match(r"https://(doi\.org|arxiv\.org|en\.wikipedia\.org)/", row["url"]), row["id"]


# --- seed-article facts -------------------------------------------------------------------

def facility(catalogue, facility_id):
    return catalogue.facilities.set_index("id").loc[facility_id]


def test_juno_facts(catalogue):
    juno = facility(catalogue, "juno")
    assert juno["province"] == "Guangdong"
    assert juno["depth_m"] == 700
    assert juno["scale_value"] == 20000 and juno["scale_unit"] == "t"
    assert juno["construction_start"] == 2015 and juno["first_operation"] == 2025
    assert "江门" in juno["name_zh"]


def test_cjpl_is_deepest_by_rock_overburden(catalogue):
    cjpl = facility(catalogue, "cjpl")
    assert cjpl["province"] == "Sichuan" and cjpl["depth_m"] == 2400
    assert catalogue.facilities["depth_m"].max() == 2400
    assert facility(catalogue, "cjpl2")["first_operation"] == 2023


def test_bepc_keeps_groundbreaking_and_first_collisions(catalogue):
    bepc = facility(catalogue, "bepc")
    assert bepc["province"] == "Beijing"
    assert bepc["construction_start"] == 1984 and bepc["first_operation"] == 1988
    assert bepc["status"] == "decommissioned" and bepc["decommissioned_year"] == 2004
    assert facility(catalogue, "bepcii")["predecessor_id"] == "bepc"


def test_beijing_and_sichuan_facilities(catalogue):
    assert facility(catalogue, "earthlab")["province"] == "Beijing"
    assert facility(catalogue, "heps")["province"] == "Beijing"
    lhaaso = facility(catalogue, "lhaaso")
    assert lhaaso["province"] == "Sichuan" and lhaaso["altitude_m"] == 4410


def test_seed_milestones_present(catalogue):
    milestones = catalogue.milestones
    def has(facility_id, year):
        rows = milestones[milestones["facility_id"] == facility_id]
        return rows["date"].str.startswith(str(year)).any()
    assert has("bepcii", 2013)      # Zc(3900) tetraquark candidate
    assert has("lhaaso", 2022)      # GRB 221009A (detected Oct 2022, published 2023)
    assert has("juno", 2025)        # physics data taking
    assert has("cjpl2", 2023)       # scientific operation
    assert has("heps", 2019)        # construction start (the 2024 first light was seen only in an unattributed copy)
    assert has("daya_bay", 2012)    # theta13


def test_unknown_values_stay_empty(catalogue):
    # CEPC has no chosen site: no invented coordinates or province.
    cepc = facility(catalogue, "cepc")
    assert pd.isna(cepc["lat"]) and pd.isna(cepc["province"]) and cepc["status"] == "planned"


# --- each rule has a failing fixture that names the place ---------------------------------

def test_bad_number_names_file_row_column_value(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "juno", "lat", "north")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'lat': value 'north'" in message


def test_value_outside_controlled_list(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "fast", "field", "alchemy")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'field': value 'alchemy'" in message
    assert "astronomy" in message  # says what was expected


def test_unknown_province(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "fast", "province", "Atlantis")
    message = load_error(data_copy)
    assert "facilities.csv" in message and f"row {row}" in message and "Atlantis" in message


def test_unresolved_source_id(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "heps", "source_ids", "no_such_source")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'source_ids': value 'no_such_source'" in message


def test_milestone_of_unknown_facility(data_copy):
    path = data_copy / "milestones.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = next(csv.reader([lines[1]]))
    first[header.index("facility_id")] = "ghost"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(first)
    message = load_error(data_copy)
    assert f"milestones.csv, row {len(lines) + 1}, column 'facility_id'" in message and "ghost" in message


def test_coordinates_outside_named_province(data_copy):
    # Move JUNO's site-precision point to Beijing while it still says Guangdong.
    edit_cell(data_copy, "facilities.csv", "juno", "lat", "39.9")
    row = edit_cell(data_copy, "facilities.csv", "juno", "lon", "116.4")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'lat'" in message and "inside Guangdong" in message


def test_coordinates_outside_china(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "fast", "lon", "10.0")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'lon': value 10.0" in message


def test_years_out_of_order(data_copy):
    row = edit_cell(data_copy, "facilities.csv", "fast", "first_operation", "2001")
    message = load_error(data_copy)
    assert f"facilities.csv, row {row}, column 'first_operation': value 2001" in message
    assert "construction_start" in message


def test_missing_file(data_copy):
    (data_copy / "peers.csv").unlink()
    assert "peers.csv" in load_error(data_copy)
