"""A small, made-up catalogue built in code, for tests that must not depend on the real data's contents.

Tables get every column of data/datapackage.json with the dtypes the loader gives,
so functions see exactly what they see in the app. The values are invented.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from china_bigscience.catalogue import _PANDAS_DTYPES, Catalogue, read_descriptor

DESCRIPTOR = read_descriptor()
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def typed_table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table of ``rows`` with all of the resource's columns (missing cells empty), typed like the loader's."""
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
    columns = resource["schema"]["fields"]
    frame = pd.DataFrame([{c["name"]: row.get(c["name"]) for c in columns} for row in rows],
                         columns=[c["name"] for c in columns])
    for column in columns:
        frame[column["name"]] = frame[column["name"]].astype(_PANDAS_DTYPES[column["type"]])
    return frame


FACILITIES = [
    dict(id="deeplab", name_en="Deep Test Laboratory", name_zh="深测实验室", name_zh_confidence="h", acronym="DTL",
         field="astroparticle & neutrino", province="Sichuan", location="Test Mountain", lat=28.15, lon=101.71,
         location_precision="site", coord_confidence="h", depth_m=2400, depth_mwe=6720, construction_start=2009,
         first_operation=2010, status="operating", status_as_of="2024-01", operator="Test University",
         funding="joint", funding_note="University and a hydropower company", scale_value=300000, scale_unit="m3",
         cost_value=100.0, cost_currency="CNY", cost_price_year=2010, cost_is_estimate=True,
         source_ids="src_a;src_b", confidence="h"),
    dict(id="bigdetector", name_en="Big Test Detector", name_zh="大探测器", acronym="BTD",
         field="astroparticle & neutrino", province="Guangdong", location="Test County", lat=22.12, lon=112.52,
         location_precision="site", coord_confidence="m", depth_m=700, construction_start=2015,
         first_operation=2025, status="operating", status_as_of="2025-08", operator="Test Institute",
         funding="CAS", scale_value=20000, scale_unit="t", source_ids="src_a", confidence="m",
         notes="=HYPERLINK(\"http://evil.example\",\"click\")"),
    dict(id="plannedring", name_en="Planned Test Ring", field="particle physics", status="planned",
         status_as_of="2024", source_ids="src_b", confidence="l", notes="-site not chosen"),
    dict(id="hostile", name_en=HOSTILE_NAME, name_zh="<b>粗</b>", acronym="**bold**", field="astronomy",
         province="Beijing", lat=40.0, lon=116.3, location_precision="city", status="under construction",
         status_as_of="2025", operator="@SUM(A1:A3)", source_ids="src_c", confidence="m",
         predecessor_id="deeplab"),
]

MILESTONES = [
    dict(facility_id="deeplab", date="2009-05", kind="groundbreaking", event="Excavation began", source_ids="src_a",
         confidence="h"),
    dict(facility_id="deeplab", date="2010-12", kind="first operation", event="Laboratory opened",
         source_ids="src_b", confidence="m"),
    dict(facility_id="bigdetector", date="2025-08-26", kind="first operation", event="+Data taking started",
         doi="10.0000/test", source_ids="src_a", confidence="h"),
]

PEERS = [
    dict(id="p_deeplab", name="Deep Test Laboratory", country="China", category="underground laboratory",
         facility_id="deeplab", status="operating", depth_m=2400, source_ids="src_a", confidence="h"),
    dict(id="p_snow", name="Snow Lab", country="Canada", category="underground laboratory", status="operating",
         first_operation=2012, depth_m=2070, source_ids="src_b", confidence="h"),
    dict(id="p_mountain", name="Mountain Lab", country="Italy", category="underground laboratory",
         status="operating", first_operation=1987, depth_m=1400, source_ids="src_b", confidence="h"),
    dict(id="p_mine", name="Mine Lab", country="USA", category="underground laboratory", status="operating",
         depth_m=1480, source_ids="src_b", confidence="m"),
    dict(id="p_shallow", name="Shallow Lab", country="Japan", category="underground laboratory",
         status="operating", depth_m=1000, source_ids="src_b", confidence="m"),
    dict(id="p_unknown", name="Unknown-depth Lab", country="Spain", category="underground laboratory",
         status="operating", source_ids="src_b", confidence="l"),
    dict(id="p_big", name="Big Test Detector", country="China", category="neutrino detector",
         facility_id="bigdetector", status="operating", target_mass_t=20000, source_ids="src_a", confidence="h"),
    dict(id="p_water", name="Water Tank", country="Japan", category="neutrino detector", status="operating",
         target_mass_t=50000, source_ids="src_b", confidence="h"),
    dict(id="p_small", name="Small Detector", country="Japan", category="neutrino detector", status="operating",
         target_mass_t=1000, source_ids="src_b", confidence="h"),
]

SOURCES = [
    dict(id="src_a", publisher="Test Publisher", title="A test article", date="2024-03-01",
         url="https://example.org/a", kind="primary", seen_via="publisher", quality="primary"),
    dict(id="src_b", publisher="Other Publisher", title="Another article", date="2023", url="javascript:alert(1)",
         kind="news", seen_via="publisher", quality="reputable"),
    dict(id="src_c", publisher="=Formula Press", title="<script>alert(1)</script>", kind="reference",
         seen_via="copy", quality="reputable", quality_note="the publisher gives no date"),
    dict(id="src_unused", publisher="Nobody", title="Never cited", kind="reference", seen_via="copy",
         quality="primary", quality_note="the publisher gives no date"),
]

NATURE_INDEX = [
    dict(entity="China", entity_type="country", country="China", subject="All subjects", data_year=2022,
         edition="2023 Annual Tables", scope="natural sciences (82 journals)", share=19373.0, source_ids="src_a",
         confidence="h"),
    dict(entity="China", entity_type="country", country="China", subject="All subjects", data_year=2023,
         edition="2024 Research Leaders", scope="natural + health sciences (145 journals)", share=22152.0,
         source_ids="src_a", confidence="h"),
]

RESEARCH_SPENDING = [
    dict(indicator="gross R&D expenditure (GERD)", country="China", year=2023, value=3330.0, unit="CNY bn",
         source_ids="src_a", confidence="h"),
]


def small_catalogue() -> Catalogue:
    provinces = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "provinces.csv", dtype={"adcode": "Int64"})
    provinces = provinces.astype({"name_en": "string", "name_zh": "string", "kind": "string"})
    return Catalogue(
        provinces=provinces,
        sources=typed_table("sources", SOURCES),
        facilities=typed_table("facilities", FACILITIES),
        milestones=typed_table("milestones", MILESTONES),
        peers=typed_table("peers", PEERS),
        nature_index=typed_table("nature_index", NATURE_INDEX),
        research_spending=typed_table("research_spending", RESEARCH_SPENDING),
        descriptor=DESCRIPTOR,
    )


def write_small_data(target: Path) -> None:
    """Write the small catalogue as CSV files beside a copy of datapackage.json and the province files."""
    import shutil

    source_dir = Path(__file__).resolve().parent.parent / "data"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.json", "provinces.csv", "provinces.geojson"):
        shutil.copy(source_dir / name, target / name)
    catalogue = small_catalogue()
    for name in ("sources", "facilities", "milestones", "peers", "nature_index", "research_spending", "value_sources"):
        frame = getattr(catalogue, name)
        frame.to_csv(target / f"{name}.csv", index=False)
