"""The timeline: concurrency counts match a hand count, the Gantt draws what is known and marks what is not,
the "as of year" view drops facilities not yet started, and the page shows it all and follows the filters."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from china_bigscience import DATA_DIR, PROJECT_DIR
from china_bigscience.catalogue import _PANDAS_DTYPES, Catalogue, read_descriptor
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.labels import short_labels
from china_bigscience.timeline import (
    UNDER_CONSTRUCTION_DEFINITION,
    as_of_chart,
    concurrency_by_field_chart,
    concurrency_by_funding_chart,
    construction_years,
    count_under_construction,
    describe_funding,
    describe_peaks,
    facilities_in_year,
    fractional_year,
    gantt_chart,
    gantt_segments,
    markdown_text,
    milestone_table,
    page_charts,
    peak_years,
    plotly_text,
    totals_by_year,
    year_spans_text,
)

DESCRIPTOR = read_descriptor()
HOSTILE = "<img src=x onerror=alert(1)>"


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """``rows`` with every column of the schema's resource, typed as the loader types them."""
    fields = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)["schema"]["fields"]
    frame = pd.DataFrame([{f["name"]: row.get(f["name"]) for f in fields} for row in rows],
                         columns=[f["name"] for f in fields])
    for f in fields:
        frame[f["name"]] = frame[f["name"]].astype(_PANDAS_DTYPES[f["type"]])
    return frame


def facility(id_, field, status, status_as_of="2026", **values) -> dict:
    return dict(id=id_, name_en=f"Facility {id_}", acronym=id_.upper(), field=field, status=status,
                status_as_of=status_as_of, source_ids="s1", confidence="h", **values)


# Hand count (U = under construction):
#   d 1984–1987; a 2004–2008; e 2004–2007; b 2015–2020; c 2018–2026 (status year); j 2020–2023 (status year).
#   Not counted: f (start unknown), g (planned), h (first operation unknown), i (same-year start and operation).
FIXTURE = [
    facility("a", "photon science", "operating", construction_start=2004, first_operation=2009, funding="joint",
             province="Shanghai"),
    facility("b", "photon science", "operating", construction_start=2015, first_operation=2021, funding="central",
             province="Shanghai"),
    facility("c", "photon science", "under construction", construction_start=2018, first_operation=2025,
             funding="joint", province="Shanghai"),
    facility("d", "particle physics", "decommissioned", construction_start=1984, first_operation=1988,
             decommissioned_year=2004, funding="central", province="Beijing"),
    facility("e", "particle physics", "operating", construction_start=2004, first_operation=2008,
             predecessor_id="d", funding="central", province="Beijing"),
    facility("f", "astronomy", "operating", first_operation=2016, funding="joint", province="Guizhou"),
    facility("g", "particle physics", "planned"),
    facility("h", "astronomy", "operating", construction_start=2011, funding="CAS", province="Hebei"),
    facility("i", "computing", "operating", construction_start=2010, first_operation=2010, funding="central",
             province="Tianjin"),
    facility("j", "fusion & plasma", "under construction", status_as_of="2023", construction_start=2020,
             funding="local government", province="Anhui"),
]
HAND_COUNT = {**{y: 1 for y in range(1984, 1988)}, **{y: 0 for y in range(1988, 2004)},
              2004: 2, 2005: 2, 2006: 2, 2007: 2, 2008: 1, **{y: 0 for y in range(2009, 2015)},
              2015: 1, 2016: 1, 2017: 1, 2018: 2, 2019: 2, 2020: 3, 2021: 2, 2022: 2, 2023: 2,
              2024: 1, 2025: 1, 2026: 1}

MILESTONES = [
    dict(facility_id="a", date="2007-12-24", kind="first light", event="First light", source_ids="s1",
         confidence="h"),
    dict(facility_id="e", date="2013", kind="discovery", event="A new particle", doi="10.1103/test.110.252001",
         arxiv="1303.5949", reference="Test et al., Phys. Rev. Lett. 110 (2013)", source_ids="s2", confidence="h"),
    dict(facility_id="c", date="2027", kind="first operation", event="Planned first lasing", is_planned=True,
         source_ids="s1", confidence="m"),
]
SOURCES = [
    dict(id="s1", publisher="Test Publisher", title="A report", date="2024-05-01", kind="primary",
         seen_via="publisher"),
    dict(id="s2", publisher="Journal Press", title="A paper", date="2013", kind="primary", seen_via="publisher"),
]


@pytest.fixture
def facilities() -> pd.DataFrame:
    return table("facilities", FIXTURE)


@pytest.fixture
def milestones() -> pd.DataFrame:
    return table("milestones", MILESTONES)


@pytest.fixture
def sources() -> pd.DataFrame:
    return table("sources", SOURCES)


# --- Under construction at the same time -----------------------------------------------------

def test_concurrency_counts_equal_the_hand_count(facilities):
    totals = totals_by_year(count_under_construction(facilities))
    assert totals.to_dict() == HAND_COUNT


def test_concurrency_split_by_field_and_by_funding(facilities):
    by_field = count_under_construction(facilities, by="field")
    in_2020 = by_field[by_field["year"] == 2020].set_index("group")["count"].to_dict()
    assert in_2020 == {"photon science": 2, "fusion & plasma": 1}
    by_funding = count_under_construction(facilities, by="funding")
    in_2004 = by_funding[by_funding["year"] == 2004].set_index("group")["count"].to_dict()
    assert in_2004 == {"central": 1, "joint": 1}
    # The facilities behind each count are named (for the hover and the data table).
    photon_2019 = by_field[(by_field["year"] == 2019) & (by_field["group"] == "photon science")]
    assert photon_2019["facilities"].iloc[0] == "B, C"


def test_not_counted_facilities_say_why(facilities):
    spans = construction_years(facilities).set_index("id")
    assert not spans["counted"][["f", "g", "h", "i"]].any()
    assert spans.loc["f", "not_counted_because"] == "construction start not known"
    assert spans.loc["g", "not_counted_because"] == "planned: not started"
    assert spans.loc["h", "not_counted_because"] == "first operation not known"
    # Still under construction: counted through the year of its newest source, not its planned opening.
    assert (spans.loc["c", "first_year"], spans.loc["c", "last_year"]) == (2018, 2026)
    assert (spans.loc["j", "first_year"], spans.loc["j", "last_year"]) == (2020, 2023)


def test_peak_years_are_computed_and_named(facilities):
    peak, years = peak_years(count_under_construction(facilities))
    assert (peak, years) == (3, [2020])
    text = describe_peaks(facilities)
    assert "Most facilities under construction at the same time: 3, in 2020 (B, C, J in 2020)" in text
    assert "Photon science: 2 at once, in 2018–2020" in text
    assert "Not counted (4 of 10)" in text


def test_year_spans_text():
    assert year_spans_text([2019, 2008, 2011, 2012, 2013]) == "2008, 2011–2013 and 2019"
    assert year_spans_text([2020]) == "2020"


def test_concurrency_chart_picks_out_photon_science(facilities, sources):
    chart = concurrency_by_field_chart(facilities, sources)
    bars = [trace for trace in chart.figure.data if trace.type == "bar"]
    # Photon science is the first trace, so it sits at the bottom of every stack, outlined and opaque.
    assert bars[0].name.startswith("D photon science")  # the field's key, then its name
    assert bars[0].marker.opacity == 1.0 and bars[0].marker.line.width > 0
    assert all(trace.marker.opacity < 1 for trace in bars[1:])
    assert sum(sum(trace.y) for trace in bars) == sum(HAND_COUNT.values())
    layout = chart.figure.layout
    assert layout.yaxis.title.text == "Facilities under construction (number)"
    assert layout.xaxis.title.text == "Year"
    assert "peak: 3 at once in 2020" in chart.alt_text
    assert "photon science (highlighted, at the bottom of each bar): at most 2 at once, in 2018–2020" in chart.alt_text
    assert chart.source_line.startswith("Source: Test Publisher (2024)")
    assert "Facilities under construction (number)" in chart.data.columns


def test_funding_chart_and_text(facilities, sources):
    chart = concurrency_by_funding_chart(facilities, sources, funding_types=["central", "CAS", "local government",
                                                                             "joint", "other"])
    names = [trace.name for trace in chart.figure.data]
    assert names == ["central", "local government", "joint"]
    assert "peak 3 in 2020 (2020: central 1, joint 1, local government 1)" in chart.alt_text
    text = describe_funding(facilities, ["central", "CAS", "local government", "joint", "other"])
    assert text.startswith("Of the 6 facilities counted, by who pays: 3 central, 1 local government, 2 joint.")
    assert "In 2020, the first peak year, 2 of the 3 under construction were paid for by local government or joint funding" in text


def test_nothing_countable_gives_no_chart_and_says_so(facilities, sources):
    uncountable = facilities[facilities["id"].isin(["f", "g", "h"])]
    assert concurrency_by_field_chart(uncountable, sources) is None
    assert concurrency_by_funding_chart(uncountable, sources) is None
    assert describe_peaks(uncountable).startswith("None of the 3 selected facilities has known years of construction")


# --- The Gantt chart -------------------------------------------------------------------------

def test_gantt_has_one_bar_per_facility_with_a_known_start(facilities, milestones, sources):
    chart = gantt_chart(facilities, milestones, sources)
    bar_rows = {}
    for trace in chart.figure.data:
        if trace.type == "bar":
            for label, base, length in zip(trace.y, trace.base, trace.x):
                bar_rows.setdefault(label, []).append((base, base + length))
    known_start = facilities[(facilities["construction_start"].notna() | facilities["first_operation"].notna())
                             & (facilities["status"] != "planned")]
    assert set(bar_rows) == set(short_labels(known_start))
    for label, pieces in bar_rows.items():
        pieces.sort()
        # The pieces of one facility join up into one bar: construction, then operation.
        assert all(a_end == b_start for (_, a_end), (b_start, _) in zip(pieces, pieces[1:])), label
        assert all(end > start for start, end in pieces), label


def test_gantt_phases_follow_the_dates(facilities):
    bars, marks = gantt_segments(facilities)
    by_id = {i: rows.set_index("phase")[["start", "end"]].to_dict("index") for i, rows in bars.groupby("id")}
    assert by_id["d"] == {"construction": {"start": 1984, "end": 1988}, "operation": {"start": 1988, "end": 2004}}
    assert by_id["c"] == {"construction": {"start": 2018, "end": 2027}}  # through 2026, the status year
    assert by_id["a"]["operation"] == {"start": 2009, "end": 2027}  # operating through the status year
    assert set(by_id["h"]) == {"undated"}  # it stood from 2011, when it began operating is not known
    # Under construction at its newest source (2023): counted to 2023, then dotted to the newest status year of all.
    assert by_id["j"] == {"construction": {"start": 2020, "end": 2024},
                          "construction_since": {"start": 2024, "end": 2027}}
    texts = marks.groupby("id")["text"].apply(list).to_dict()
    assert texts["f"] == ["start not known"]
    assert texts["g"] == ["planned; dates not known"]
    assert texts["h"] == ["first operation not known"]


def test_unknown_dates_do_not_break_the_chart(milestones, sources):
    undated = table("facilities", [facility("x", "astronomy", "operating"), facility("y", "computing", "planned"),
                                   facility("z", "astronomy", "under construction", status_as_of="2025")])
    chart = gantt_chart(undated, milestones, sources)
    figure = chart.figure
    assert not [trace for trace in figure.data if trace.type == "bar"]
    mark_text = " ".join(t for trace in figure.data if trace.type == "scatter" and trace.text for t in trace.text)
    assert "dates not known" in mark_text and "start not known" in mark_text
    assert "3 with no drawable dates (marked not known)" in chart.alt_text
    json.dumps(figure.to_plotly_json(), default=str)  # serialisable: no NaN widths or bases
    assert set(chart.data["Construction start (year)"]) == {"not known"}


def test_gantt_groups_rows_under_headers_and_sorts_by_start(facilities, milestones, sources):
    by_field = gantt_chart(facilities, milestones, sources, group_by="field",
                           group_order=["particle physics", "photon science"])
    categories = list(by_field.figure.layout.yaxis.categoryarray)
    assert categories[:5] == ["<b>Particle physics</b>", "D", "E", "G", "<b>Photon science</b>"]
    by_province = gantt_chart(facilities, milestones, sources, group_by="province")
    categories = list(by_province.figure.layout.yaxis.categoryarray)
    assert "<b>SHANGHAI</b>" in categories and "<b>NOT KNOWN</b>" in categories
    assert by_province.title.endswith("grouped by province")
    with pytest.raises(ValueError):
        gantt_chart(facilities, milestones, sources, group_by="colour")


def test_milestones_share_the_axis_and_hover_gives_reference_and_source(facilities, milestones, sources):
    chart = gantt_chart(facilities, milestones, sources)
    discovery = next(trace for trace in chart.figure.data if trace.name == "discovery")
    assert discovery.y == ("E",) and discovery.x == (2013.5,)
    hover = discovery.hovertext[0]
    assert "DOI: 10.1103/test.110.252001" in hover and "arXiv: 1303.5949" in hover
    assert "Journal Press" in hover and "A paper" in hover
    planned = next(trace for trace in chart.figure.data if trace.name == "first operation")
    assert planned.marker.symbol[0].endswith("-open")  # a planned milestone is drawn hollow
    only_discoveries = gantt_chart(facilities, milestones, sources, milestone_kinds=["discovery"])
    legend = [t.name for t in only_discoveries.figure.data if t.legendgroup == "milestones"]
    assert legend == ["<b>Milestones</b>", "discovery"]  # the legend's header, then the kind
    assert "3 milestones marked" in chart.alt_text
    assert "Journal Press (2013)" in chart.source_line


def test_predecessor_is_joined_to_successor(facilities, milestones, sources):
    chart = gantt_chart(facilities, milestones, sources)
    link = next(trace for trace in chart.figure.data if trace.name == "Replaced by its successor")
    assert link.y == ("D", "E") and link.x == (2004.0, 2004.0)


def test_data_strings_are_escaped_in_the_figure(sources, milestones):
    hostile = table("facilities", [dict(facility("q", "astronomy", "operating", construction_start=2000,
                                                 first_operation=2003), acronym=HOSTILE, name_en=HOSTILE)])
    chart = gantt_chart(hostile, milestones, sources)
    spec = json.dumps(chart.figure.to_plotly_json(), default=str)
    assert "<img" not in spec and "&lt;img src=x onerror=alert(1)&gt;" in spec
    assert plotly_text("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert markdown_text("**bold** [a](b)") == r"\*\*bold\*\* \[a\]\(b\)"


def test_milestone_table_links_references(facilities, milestones, sources):
    rows = milestone_table(milestones, facilities, sources)
    discovery = rows[rows["Kind"] == "discovery"].iloc[0]
    assert discovery["DOI"] == "https://doi.org/10.1103/test.110.252001"
    assert discovery["arXiv"] == "https://arxiv.org/abs/1303.5949"
    assert discovery["Source"] == "Journal Press, “A paper” (2013)"
    assert list(rows["Date"]) == sorted(rows["Date"], reverse=True)


def test_fractional_year():
    assert fractional_year("2013") == 2013.5
    assert fractional_year("2013-07") == pytest.approx(2013 + 6.5 / 12)
    assert 2007.97 < fractional_year("2007-12-24") < 2008
    assert fractional_year(None) is None


# --- As of year ------------------------------------------------------------------------------

def test_as_of_year_removes_facilities_not_yet_started(facilities):
    in_2000 = facilities_in_year(facilities, 2000)
    assert set(in_2000["id"]) == {"d"}
    in_2004 = facilities_in_year(facilities, 2004).set_index("id")["status_in_year"].to_dict()
    assert in_2004 == {"a": "under construction", "d": "decommissioned", "e": "under construction"}
    in_2016 = facilities_in_year(facilities, 2016).set_index("id")["status_in_year"].to_dict()
    assert "d" not in in_2016 and in_2016["f"] == "operating" and in_2016["b"] == "under construction"
    # Still under construction in its newest source: never shown as operating, whatever the plan said.
    assert facilities_in_year(facilities, 2026).set_index("id").loc["c", "status_in_year"] == "under construction"
    assert "g" not in set(facilities_in_year(facilities, 2026)["id"])  # planned: not started


def test_as_of_chart_opens_on_the_year_and_plays_through_all(facilities, sources):
    chart = as_of_chart(facilities, sources, 2010, years=range(1984, 2027))
    figure = chart.figure
    assert len(figure.frames) == 2026 - 1984 + 1
    assert figure.layout.sliders[0].active == 2010 - 1984
    assert figure.layout.updatemenus[0].buttons[0].label == "▶"
    shown = sum(sum(trace.x) for trace in figure.data)
    assert shown == len(facilities_in_year(facilities, 2010)) == len(chart.data)
    assert chart.title == "Facilities as they stood in 2010"
    assert figure.layout.xaxis.title.text == "Facilities (number)"
    assert f"the {shown} selected facilities standing in 2010" in chart.alt_text
    assert as_of_chart(facilities, sources, 1950, years=[1950]) is None


# --- The page's charts -----------------------------------------------------------------------

def small_catalogue(facilities, milestones, sources) -> Catalogue:
    real_tables = {name: table(name, []) for name in ("peers", "nature_index", "research_spending")}
    provinces = pd.read_csv(DATA_DIR / "provinces.csv")
    return Catalogue(provinces=provinces, sources=sources, facilities=facilities, milestones=milestones,
                     descriptor=DESCRIPTOR, **real_tables)


def test_page_charts_are_complete(facilities, milestones, sources):
    charts = page_charts(small_catalogue(facilities, milestones, sources), FacilityFilter())
    assert [c.slug for c in charts] == ["timeline-gantt-by-field", "under-construction-by-field",
                                        "under-construction-by-funding", "as-of-2026"]
    for chart in charts:
        assert chart.title and chart.alt_text and chart.source_line.startswith("Source:")
        assert not chart.data.empty
        assert chart.figure.layout.xaxis.title.text


def test_page_charts_follow_the_filter(facilities, milestones, sources):
    catalogue = small_catalogue(facilities, milestones, sources)
    charts = page_charts(catalogue, FacilityFilter(fields=("photon science",)))
    assert len(charts[0].data) == 3
    assert charts[1].data["Field"].unique().tolist() == ["photon science"]
    assert page_charts(catalogue, FacilityFilter(text="no such facility")) == []


def test_the_boundary_years_follow_the_definition_shown():
    """"construction start ≤ Y < first operation": the start year counts, the year of first operation does not."""
    rows = construction_years(table("facilities", [
        facility("x", "astronomy", "operating", construction_start=2000, first_operation=2005),
        facility("y", "astronomy", "operating", construction_start=2003, first_operation=2004),
    ])).set_index("id")
    assert (rows.loc["x", "first_year"], rows.loc["x", "last_year"]) == (2000, 2004)
    assert (rows.loc["y", "first_year"], rows.loc["y", "last_year"]) == (2003, 2003)
    assert totals_by_year(count_under_construction(table("facilities", [
        facility("x", "astronomy", "operating", construction_start=2000, first_operation=2005)]))).get(2005, 0) == 0


# --- The real catalogue ----------------------------------------------------------------------

needs_data = pytest.mark.skipif(not (DATA_DIR / "facilities.csv").exists(), reason="data/facilities.csv not written yet")


@needs_data
def test_real_catalogue_charts_build(catalogue):
    charts = page_charts(catalogue, FacilityFilter())
    assert charts and charts[0].slug == "timeline-gantt-by-field"
    gantt = charts[0]
    assert len(gantt.data) == len(catalogue.facilities)
    for chart in charts:
        json.dumps(chart.figure.to_plotly_json(), default=str)


@needs_data
def test_real_photon_science_concurrency_is_consistent(catalogue):
    photon = filter_facilities(catalogue.facilities, FacilityFilter(fields=("photon science",)))
    counts = count_under_construction(photon)
    spans = construction_years(photon)
    expected = sum(int(r.last_year) - int(r.first_year) + 1 for r in spans.itertuples() if r.counted)
    assert counts["count"].sum() == expected


# --- The page, through AppTest ---------------------------------------------------------------

def timeline_page(**filters):
    """The timeline page run from dashboard.py, with the global filters given as link parameters.

    Filters go in through the link (as a shared URL would): with st.navigation, this AppTest
    version drops the main script's sidebar widgets from the element tree after a rerun, so
    setting them as widgets does not survive ``switch_page``.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=90)
    at.query_params.update(filters)
    at.run()
    at.switch_page("pages/timeline.py").run()
    return at


@needs_data
def test_page_shows_the_charts_and_the_definition(catalogue):
    at = timeline_page()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Timeline"
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("When each facility was built") for s in subheaders)
    assert "Facilities under construction at the same time, by field" in subheaders
    assert "Facilities under construction at the same time, by who pays" in subheaders
    texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "under construction in a year Y" in texts and UNDER_CONSTRUCTION_DEFINITION in texts
    assert "Most facilities under construction at the same time" in texts
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar_labels = {y for trace in figure["data"] if trace["type"] == "bar" for y in trace["y"]}
    assert bar_labels  # the Gantt draws bars
    assert at.session_state["as_of_year"] == max(int(str(v)[:4]) for v in catalogue.facilities["status_as_of"])


@needs_data
def test_page_follows_the_field_filter(catalogue):
    at = timeline_page(field="photon science")
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[1].proto.spec)
    names = {trace["name"] for trace in figure["data"]}
    assert names == {"D photon science (highlighted)"}  # the field's key, then its name
    photon = filter_facilities(catalogue.facilities, FacilityFilter(fields=("photon science",)))
    counted = construction_years(photon)
    drawn = figure["data"][0]["y"]
    if isinstance(drawn, dict):  # Plotly's typed-array encoding
        drawn = np.frombuffer(base64.b64decode(drawn["bdata"]), dtype=drawn["dtype"]).tolist()
    assert sum(drawn) == int((counted["last_year"] - counted["first_year"] + 1).sum()) > 0


@needs_data
def test_page_says_so_when_nothing_matches():
    at = timeline_page(q="no such facility xyz")
    assert not at.exception
    assert any("No facilities match" in info.value for info in at.info)
    assert not at.get("plotly_chart")


@needs_data
def test_typed_as_of_year_is_shared(catalogue):
    # The year-by-year view is the second tab (bound to the link): only an open tab builds its chart.
    at = timeline_page(timeline_section="Year by year")
    assert "Facilities under construction at the same time, by field" not in [s.value for s in at.subheader]
    low = int(at.number_input(key="as_of_year_typed").min)
    at.number_input(key="as_of_year_typed").set_value(low + 10).run()
    assert not at.exception
    assert at.session_state["as_of_year"] == low + 10
    assert at.slider(key="as_of_year_slider").value == low + 10
    assert any(s.value == f"Facilities as they stood in {low + 10}" for s in at.subheader)


def test_the_gantt_sets_a_margin_for_its_row_labels_instead_of_automargin(catalogue):
    # automargin measured ~100 row labels in the browser on every redraw: half of the Gantt's redraw time.
    from china_bigscience.charts import tick_label_margin_px
    from china_bigscience.timeline import gantt_chart

    figure = gantt_chart(catalogue.facilities, catalogue.milestones, catalogue.sources, group_by="field",
                         group_order=catalogue.fields, as_of_year=2020, horizon_year=2026).figure
    assert figure.layout.yaxis.automargin is False
    assert figure.layout.margin.l == tick_label_margin_px(figure.layout.yaxis.ticktext) > 60
