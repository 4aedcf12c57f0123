"""The timeline: when each facility was built and operated, what it found, and how many were built at once.

Pure functions over the catalogue's DataFrames, one module per view:

- ``concurrency``: the number of facilities under construction in each year (by field, with
  photon science easy to pick out, and by who pays), and the peak years of that count as text;
- ``gantt``: the Gantt chart, with the milestones on the same time axis, and its table; its bars and
  row order are ``gantt_rows``; above ``GANTT_MAX_ROWS`` facilities ``gantt_groups`` draws one row per
  group (field or province) instead;
- ``milestones``: milestone points, hover text and the milestone table;
- ``as_of_chart``: the "as of year" view (the rule itself is ``china_bigscience.as_of``), with animation frames;
- ``common``: the helpers and the phase palette they share.

This module gathers their public names (``timeline.gantt_chart`` and so on) and the page's charts.
"""

from __future__ import annotations

from collections.abc import Sequence

from china_bigscience.as_of import facilities_in_year
from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import Chart
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.timeline.as_of_chart import (
    AS_OF_YEAR_KEY,
    as_of_chart,
    as_of_year_bounds,
    default_as_of_year,
    status_counts_by_year,
)
from china_bigscience.timeline.common import (
    GROUPINGS,
    MILESTONE_SYMBOLS,
    PHASE_COLOURS,
    PHASE_LABELS,
    PHOTON_SCIENCE,
    STATUSES_IN_YEAR,
    fractional_year,
    markdown_text,
    plotly_text,
    year_of,
    year_spans_text,
)
from china_bigscience.timeline.concurrency import (
    UNDER_CONSTRUCTION_DEFINITION,
    concurrency_by_field_chart,
    concurrency_by_funding_chart,
    construction_years,
    count_under_construction,
    describe_funding,
    describe_peaks,
    facilities_under_construction_by_year,
    peak_years,
    totals_by_year,
)
from china_bigscience.timeline.gantt import gantt_chart, gantt_table
from china_bigscience.timeline.gantt_groups import (
    facilities_in_group,
    gantt_groups,
    gantt_groups_chart,
    phase_counts_by_group,
)
from china_bigscience.timeline.gantt_rows import GANTT_MAX_ROWS, GANTT_OPEN_MAX_ROWS, gantt_row_order, gantt_segments
from china_bigscience.timeline.milestones import (
    milestone_hover,
    milestone_sources_text,
    milestone_table,
    milestone_table_labels,
)

__all__ = [
    "AS_OF_YEAR_KEY", "GANTT_MAX_ROWS", "GANTT_OPEN_MAX_ROWS", "GROUPINGS", "MILESTONE_SYMBOLS", "PHASE_COLOURS", "PHASE_LABELS", "PHOTON_SCIENCE",
    "STATUSES_IN_YEAR", "UNDER_CONSTRUCTION_DEFINITION", "as_of_chart", "as_of_year_bounds",
    "concurrency_by_field_chart", "concurrency_by_funding_chart", "construction_years", "count_under_construction",
    "default_as_of_year", "describe_funding", "describe_peaks", "facilities_in_year",
    "facilities_in_group", "facilities_under_construction_by_year", "fractional_year", "gantt_chart",
    "gantt_groups", "gantt_groups_chart", "gantt_row_order", "phase_counts_by_group",
    "gantt_segments", "gantt_table", "markdown_text", "milestone_hover", "milestone_sources_text", "milestone_table",
    "milestone_table_labels",
    "page_charts", "peak_years", "plotly_text", "status_counts_by_year", "totals_by_year", "year_of",
    "year_spans_text",
]


def page_charts(catalogue: Catalogue, selection: FacilityFilter, *, group_by: str = "field",
                as_of_year: int | None = None, milestone_kinds: Sequence[str] | None = None,
                tr: Translator = ENGLISH) -> list[Chart]:
    """Every chart of the timeline page for ``selection`` (default controls unless given): for export and the ZIP."""
    facilities = filter_facilities(catalogue.facilities, selection)
    if as_of_year is None:
        as_of_year = default_as_of_year(catalogue.facilities)
    low, high = as_of_year_bounds(catalogue.facilities)
    charts = [
        gantt_chart(facilities, catalogue.milestones, catalogue.sources, group_by=group_by,
                    group_order=catalogue.fields if group_by == "field" else None,
                    as_of_year=as_of_year, milestone_kinds=milestone_kinds,
                    horizon_year=default_as_of_year(catalogue.facilities), tr=tr),
        concurrency_by_field_chart(facilities, catalogue.sources, field_order=catalogue.fields, tr=tr),
        concurrency_by_funding_chart(facilities, catalogue.sources, funding_types=catalogue.funding_types, tr=tr),
        as_of_chart(facilities, catalogue.sources, as_of_year, years=range(low, high + 1), field_order=catalogue.fields,
                    tr=tr),
    ]
    return [chart for chart in charts if chart is not None]
