"""The "as of year" rule: one function decides which facilities stood in a year and what each was, for the Map
and the Timeline alike."""

from __future__ import annotations

import pandas as pd

from china_bigscience import maps, timeline
from china_bigscience.as_of import facilities_in_year
from small_catalogue import typed_table

FACILITIES = typed_table("facilities", [
    # Still under construction at its newest source (2024), planned to open in 2025: overdue, not open.
    dict(id="overdue", name_en="Overdue Ring", field="photon science", construction_start=2019, first_operation=2025,
         status="under construction", status_as_of="2024", source_ids="s"),
    dict(id="open", name_en="Open Lab", field="photon science", construction_start=2010, first_operation=2015,
         status="operating", status_as_of="2024", source_ids="s"),
    dict(id="closed", name_en="Closed Lab", field="photon science", construction_start=1990, first_operation=1995,
         decommissioned_year=2020, status="decommissioned", status_as_of="2021", source_ids="s"),
    dict(id="plan", name_en="Planned Array", field="astronomy", construction_start=2020, first_operation=2030,
         status="planned", status_as_of="2024", source_ids="s"),
    dict(id="late", name_en="Late Starter", field="astronomy", construction_start=2027,
         status="under construction", status_as_of="2024", source_ids="s"),
])


def statuses(frame: pd.DataFrame, column: str) -> dict[str, str]:
    return dict(zip(frame["id"], frame[column]))


def test_the_rule_by_hand():
    assert statuses(facilities_in_year(FACILITIES, 2026), "status_in_year") == {
        "overdue": "under construction",  # after its planned opening, still not operating
        "open": "operating",
    }
    assert statuses(facilities_in_year(FACILITIES, 2020), "status_in_year") == {
        "overdue": "under construction", "open": "operating", "closed": "decommissioned",
    }
    assert statuses(facilities_in_year(FACILITIES, 2012), "status_in_year") == {
        "open": "under construction", "closed": "operating",
    }
    assert facilities_in_year(FACILITIES, 1980).empty


def test_map_and_timeline_say_the_same_of_every_facility_in_every_year():
    for year in range(1988, 2031):
        on_the_map = statuses(maps.with_shown_status(FACILITIES, year), "status_shown")
        on_the_timeline = statuses(timeline.facilities_in_year(FACILITIES, year), "status_in_year")
        assert on_the_map == on_the_timeline, year
    chart = timeline.as_of_chart(FACILITIES, typed_table("sources", []), 2026, years=[2026])
    assert dict(zip(chart.data["Facility"], chart.data["Status in 2026"]))["Overdue Ring"] == "under construction"
    assert maps.map_table(maps.with_shown_status(FACILITIES, 2026), 2026).set_index("Facility").loc[
        "Overdue Ring", "Status in 2026"] == "under construction"
