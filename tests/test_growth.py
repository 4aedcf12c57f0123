"""Bounds that keep every page drawable when the catalogue is 30 times larger (bench/synthetic.py).

Sizes, never timings: the number of Gantt rows, the length of notes and alt texts, the figure JSON a page
sends, the height of an exported image. The timings are the benchmark's (bench/run_benchmarks.py).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from bench.synthetic import write_synthetic_catalogue
from china_bigscience import comparisons, export, maps, nature_index, publication, timeline
from china_bigscience.catalogue import load_catalogue
from china_bigscience.charts import Chart
from china_bigscience.filters import FacilityFilter
from china_bigscience.timeline.gantt import LABELLED_ROWS_MAX

# What one page may send (the budget), and what its notes and descriptions may say.
PAGE_BUDGET_BYTES = 1_500_000
NOTE_MAX_CHARS = 1_500
ALT_MAX_CHARS = 1_000


@pytest.fixture(scope="module")
def catalogue_30x(tmp_path_factory):
    return load_catalogue(write_synthetic_catalogue(tmp_path_factory.mktemp("synthetic-30x"), factor=30),
                          validate=False)


def figure_bytes(*charts: Chart | None) -> int:
    return sum(len(chart.figure.to_json()) for chart in charts if chart is not None)


def test_the_synthetic_catalogue_grows_facilities_not_countries(catalogue_30x, catalogue):
    assert len(catalogue_30x.facilities) == 30 * len(catalogue.facilities)
    assert len(catalogue_30x.milestones) == 30 * len(catalogue.milestones)
    assert catalogue_30x.nature_index.equals(catalogue.nature_index)
    assert catalogue_30x.research_spending.equals(catalogue.research_spending)


def test_a_gantt_of_many_facilities_has_one_row_per_group(catalogue_30x):
    facilities = catalogue_30x.facilities
    for group_by in timeline.GROUPINGS:
        chart = timeline.gantt_chart(facilities, catalogue_30x.milestones, catalogue_30x.sources, group_by=group_by,
                                     group_order=catalogue_30x.fields if group_by == "field" else None,
                                     as_of_year=2020)
        (heatmap,) = chart.figure.data
        assert isinstance(heatmap, go.Heatmap)
        assert len(heatmap.y) == facilities[group_by].fillna("not known").nunique()
        assert figure_bytes(chart) < 100_000
        assert len(chart.alt_text) <= ALT_MAX_CHARS and len(chart.note) <= NOTE_MAX_CHARS


def test_the_real_catalogue_keeps_its_row_per_facility(catalogue):
    assert len(catalogue.facilities) <= timeline.GANTT_MAX_ROWS
    chart = timeline.gantt_chart(catalogue.facilities, catalogue.milestones, catalogue.sources)
    assert not any(isinstance(trace, go.Heatmap) for trace in chart.figure.data)
    assert chart.figure.layout.yaxis.tickvals is not None  # few rows: every label written


def test_an_opened_group_draws_each_facility_up_to_the_cap(catalogue_30x):
    facilities = catalogue_30x.facilities
    biggest = facilities["province"].value_counts().index[0]
    assert (facilities["province"] == biggest).sum() > timeline.GANTT_OPEN_MAX_ROWS
    members = timeline.facilities_in_group(facilities, "province", biggest)
    assert len(members) == timeline.GANTT_OPEN_MAX_ROWS
    starts = members["construction_start"].fillna(members["first_operation"])
    assert starts.dropna().is_monotonic_increasing  # the earliest first, as the Gantt orders rows

    chart = timeline.gantt_chart(members, catalogue_30x.milestones, catalogue_30x.sources, group_by="province",
                                 as_of_year=2020, max_rows=None)
    rows = chart.figure.layout.yaxis.categoryarray
    assert len(rows) == timeline.GANTT_OPEN_MAX_ROWS + 1  # and the group's header row
    assert len(rows) > LABELLED_ROWS_MAX
    # Beyond that many rows Plotly lays out (and thins) the labels itself.
    assert chart.figure.layout.yaxis.tickvals is None and chart.figure.layout.yaxis.automargin is False
    assert not [note for note in chart.figure.layout.annotations if note.text.startswith("<b>")]  # no header notes
    assert figure_bytes(chart) < 1_000_000


def test_successor_links_are_one_trace(catalogue_30x):
    facilities = catalogue_30x.facilities
    with_predecessor = facilities[facilities["predecessor_id"].notna()]
    chosen = facilities[facilities["id"].isin(with_predecessor["id"]) | facilities["id"].isin(with_predecessor["predecessor_id"])]
    assert len(with_predecessor) > 1
    chart = timeline.gantt_chart(chosen, catalogue_30x.milestones, catalogue_30x.sources, max_rows=None)
    links = [trace for trace in chart.figure.data if trace.name == "Replaced by its successor"]
    assert len(links) == 1
    breaks = sum(value is None for value in links[0].x)
    assert breaks == len(links[0].x) // 3  # two points per link, a None between links


def test_phase_counts_agree_with_the_bars_year_by_year(catalogue):
    facilities = catalogue.facilities
    counts = timeline.phase_counts_by_group(facilities, "field", horizon_year=2026)
    bars, _ = timeline.gantt_segments(facilities, 2026)
    operating = bars[bars["phase"].isin(["operation", "operation_since"])]
    field_of = dict(zip(facilities["id"], facilities["field"]))
    for year in (1990, 2010, 2020, 2026):
        # Independently: a facility operates in a year when one of its operation bars covers it.
        covering = operating[(operating["start"] <= year) & (operating["end"] > year)]
        expected = pd.Series([field_of[i] for i in covering["id"].unique()]).value_counts()
        counted = counts[counts["year"] == year].set_index("group")["operating"]
        counted = counted[counted > 0]
        assert counted.sort_index().to_dict() == expected.sort_index().to_dict()


def _swaps_by_nested_loops(rows: pd.DataFrame, measure, other) -> int:
    """The pairs the ranking note counts, found the slow, obvious way."""
    both = rows.dropna(subset=[measure.column, other.column])

    def leads(a, b, m):
        return a[m.column] < b[m.column] if m.lower_is_better else a[m.column] > b[m.column]

    def leader(m):
        return both.sort_values(m.column, ascending=m.lower_is_better, kind="stable").iloc[0]["id"]

    leaders = {leader(measure), leader(other)}
    count = 0
    for chinese in both[both["is_china"]].to_dict("records"):
        for peer in both[~both["is_china"]].to_dict("records"):
            if (leads(chinese, peer, measure) != leads(chinese, peer, other)
                    and chinese[other.column] != peer[other.column] and {chinese["id"], peer["id"]} != leaders):
                count += 1
    return count


def test_the_ranking_note_names_two_pairs_and_counts_the_others(catalogue_30x):
    comparison = comparisons.COMPARISONS["depth"]
    rows = comparisons.comparison_rows(catalogue_30x, comparison)
    depth, flux = comparisons.PEER_MEASURES["depth_m"], comparisons.PEER_MEASURES["muon_flux_per_m2_day"]
    note = comparisons._ranking_note(rows, depth, flux)
    total = _swaps_by_nested_loops(rows, depth, flux)
    assert total > comparisons.SWAPS_NAMED
    assert note.count("but not by") == comparisons.SWAPS_NAMED
    assert f"and {total - comparisons.SWAPS_NAMED} more such pairs" in note


def test_compare_charts_stay_bounded(catalogue_30x):
    charts = comparisons.page_charts(catalogue_30x, FacilityFilter())
    assert figure_bytes(*charts) < PAGE_BUDGET_BYTES
    for chart in charts:
        assert len(chart.note) <= NOTE_MAX_CHARS, chart.slug
        assert len(chart.alt_text) <= ALT_MAX_CHARS, chart.slug
        bars = sum(len(trace.y) for trace in chart.figure.data if isinstance(trace, go.Bar))
        if chart.slug.split("-")[0] in comparisons.COMPARISONS:
            assert bars <= comparisons.PEER_TOP_ROWS + comparisons.PEER_CHINA_ROWS, chart.slug
            assert len(chart.data) > bars  # the table keeps every row
    for key in comparisons.COMPARISONS:
        assert len(comparisons.china_profile_links(catalogue_30x, key)) <= comparisons.PEER_CHINA_ROWS


def test_each_page_first_view_fits_the_budget_at_30x(catalogue_30x):
    cat, everyone = catalogue_30x, FacilityFilter()
    facilities = cat.facilities
    first_timeline_view = [
        timeline.gantt_chart(facilities, cat.milestones, cat.sources, group_order=cat.fields, as_of_year=2020),
        timeline.concurrency_by_field_chart(facilities, cat.sources, field_order=cat.fields),
        timeline.concurrency_by_funding_chart(facilities, cat.sources, funding_types=cat.funding_types),
    ]
    assert figure_bytes(*first_timeline_view) < PAGE_BUDGET_BYTES
    low, high = timeline.as_of_year_bounds(facilities)
    assert figure_bytes(timeline.as_of_chart(facilities, cat.sources, 2020, years=range(low, high + 1),
                                             field_order=cat.fields)) < PAGE_BUDGET_BYTES
    assert figure_bytes(*nature_index.page_charts(cat, everyone)) < PAGE_BUDGET_BYTES
    deck = maps.facility_deck(maps.with_shown_status(facilities, None), cat.boundaries_geojson)
    assert len(deck.to_json()) < PAGE_BUDGET_BYTES
    for chart in maps.page_charts(cat, everyone):
        assert figure_bytes(chart) < PAGE_BUDGET_BYTES, chart.slug
        assert len(chart.alt_text) <= ALT_MAX_CHARS


def test_a_tall_chart_exports_within_chromiums_canvas_limits():
    figure = go.Figure(go.Bar(x=[1], y=["a"])).update_layout(height=60_000)
    width, height = publication.export_size(figure)
    assert height == publication.EXPORT_MAX_HEIGHT
    # Chromium: at most 32,767 px a side and 268,435,456 px in all, at the PNG's scale.
    assert height * export.PNG_SCALE <= 32_767
    assert width * export.PNG_SCALE * height * export.PNG_SCALE <= 268_435_456


def test_the_same_input_gives_the_same_figure_bytes(catalogue):
    """Streamlit resends (and the browser redraws) an element only when its bytes change."""
    def built():
        return [
            timeline.gantt_chart(catalogue.facilities, catalogue.milestones, catalogue.sources),
            *comparisons.page_charts(catalogue, FacilityFilter()),
            *nature_index.page_charts(catalogue),
        ]

    first, second = built(), built()
    assert [chart.figure.to_json() for chart in first] == [chart.figure.to_json() for chart in second]


def test_the_timeline_page_of_a_large_catalogue_opens_a_group_and_keeps_it_in_the_link(tmp_path, monkeypatch):
    from pathlib import Path
    from urllib.parse import parse_qs

    from streamlit.testing.v1 import AppTest

    import china_bigscience.ui as ui

    dashboard = str(Path(__file__).resolve().parent.parent / "dashboard.py")
    data_dir = write_synthetic_catalogue(tmp_path / "synthetic-3x", factor=3)  # past GANTT_MAX_ROWS
    monkeypatch.setattr(ui, "DATA_DIR", data_dir)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(dashboard, default_timeout=300).run()
        at.switch_page("pages/timeline.py").run()
        assert not at.exception
        drawn = [element.proto.id for element in at.get("plotly_chart")]
        # The grouped Gantt and the open tab's two charts; the closed "Year by year" tab is not built.
        assert len(drawn) == 3
        assert at.selectbox(key="timeline_open_group").value is None
        at.selectbox(key="timeline_open_group").set_value("astronomy").run()
        assert not at.exception
        assert len(at.get("plotly_chart")) == 4  # and the opened group's own Gantt
        at.session_state[ui.SHARE_BOX_KEY] = True  # the share box opened (its link is built only then)
        at.run()
        link = next(block.value for block in at.code if "timeline_open_group=" in block.value)
        assert parse_qs(link.split("?", 1)[1])["timeline_open_group"] == ["astronomy"]
        at.segmented_control(key="timeline_group_by").set_value("province").run()
        assert not at.exception
    finally:
        ui._cached_catalogue.clear()
