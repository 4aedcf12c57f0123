"""What every chart carries, and the one look they share.

A ``Chart`` is a Plotly figure plus what a reader needs to trust and reuse it:
a title, a source line, an ``alt`` text computed from the data, the data itself
(the "show data" table) and a slug for file names. Chart-building functions in
this package take DataFrames and return ``Chart`` objects; the pages lay them out
and the export module turns them into PNG, SVG or PDF bytes.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from china_bigscience import DASHBOARD_NAME
from china_bigscience.source_ids import unique_ids
# The escapers live in safe_text; chart modules and pages have long imported them from here.
from china_bigscience.safe_text import escape_markdown, escape_plotly, markdown_link, shorten  # noqa: F401

# Paul Tol's "muted" qualitative scheme (colour-blind safe), plus pale grey for the tenth field;
# the eight fields beyond physics and astronomy take colours from Tol's "vibrant", "light" and "dark"
# schemes (eighteen colours cannot all be told apart; the legend and tooltips name the field).
# One place for the field colours: the map, the timeline and every chart use this mapping.
FIELD_COLOURS = {
    "particle physics": "#332288",
    "astroparticle & neutrino": "#88CCEE",
    "astronomy": "#44AA99",
    "photon science": "#CC6677",
    "neutron science": "#117733",
    "fusion & plasma": "#DDCC77",
    "nuclear physics": "#882255",
    "high magnetic field & extreme conditions": "#AA4499",
    "earth system": "#999933",
    "computing": "#AAAAAA",
    "life sciences & medicine": "#EE3377",
    "agriculture & biodiversity": "#BBCC33",
    "earth & ocean observation": "#0077BB",
    "space science & environment": "#225555",
    "engineering & materials": "#663333",
    "energy": "#EE7733",
    "information & networks": "#FFAABB",
    "time & frequency": "#AA7744",
}
STATUS_COLOURS = {
    "operating": "#117733",
    "under construction": "#DDCC77",
    "planned": "#88CCEE",
    "decommissioned": "#AAAAAA",
}
FUNDING_COLOURS = {
    "central": "#332288",
    "CAS": "#44AA99",
    "local government": "#CC6677",
    "joint": "#DDCC77",
    "other": "#AAAAAA",
}
CHINA_HIGHLIGHT = "#CC3311"
WORLD_COLOUR = "#7F8C99"
NOT_KNOWN = "not known"

FONT_FAMILY = "Noto Sans, Noto Sans CJK SC, Arial, sans-serif"

@dataclass
class Chart:
    """A figure with its title, source line, alt text and data."""

    slug: str
    title: str
    figure: go.Figure
    source_line: str
    alt_text: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str = ""


def base_layout(figure: go.Figure, *, x_title: str | None = None, y_title: str | None = None) -> go.Figure:
    """Apply the shared look: fonts that carry Chinese, axis titles with units, compact margins, no title (the page shows it)."""
    figure.update_layout(
        font={"family": FONT_FAMILY},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    if x_title is not None:
        figure.update_xaxes(title_text=x_title)
    if y_title is not None:
        figure.update_yaxes(title_text=y_title)
    return figure


_SOURCE_RECORDS: dict[int, tuple[pd.DataFrame, dict[str, dict]]] = {}


def source_records(sources: pd.DataFrame) -> dict[str, dict]:
    """sources.csv as {id: row dict}, built once per sources table.

    Chart functions look sources up row by row; a pandas ``.loc`` per lookup made that
    the slowest part of drawing a page, so the mapping is built once and reused.
    """
    cached = _SOURCE_RECORDS.get(id(sources))
    if cached is not None and cached[0] is sources:
        return cached[1]
    frame = sources if "id" in sources.columns else sources.reset_index()
    records = {}
    for record in frame.to_dict("records"):
        records[str(record["id"])] = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in record.items()}
    if len(_SOURCE_RECORDS) > 16:  # tables of tests and benchmarks come and go
        _SOURCE_RECORDS.clear()
    _SOURCE_RECORDS[id(sources)] = (sources, records)  # keeps the table alive, so its id is not reused
    return records


def source_label(record: dict) -> str:
    """'Publisher (year)' of one source record."""
    year = str(record["date"])[:4] if record.get("date") else "n.d."
    return f"{record['publisher']} ({year})"


def source_line(source_ids: Iterable[str], sources: pd.DataFrame, *, limit: int = 4) -> str:
    """'Source: Publisher (year); Publisher (year); and N more' for the ids behind a chart."""
    ids = unique_ids(source_ids)
    records = source_records(sources)
    labels = []
    for source_id in ids:
        if source_id in records:
            label = source_label(records[source_id])
            if label not in labels:
                labels.append(label)
    if not labels:
        return f"Source: {DASHBOARD_NAME} data"
    shown = "; ".join(labels[:limit])
    more = f"; and {len(labels) - limit} more (see Sources page)" if len(labels) > limit else ""
    return f"Source: {shown}{more}. Data: {DASHBOARD_NAME}."


def names_text(names: Iterable[str], limit: int = 8) -> str:
    """'A, B, C and 5 more': a list of names of bounded length, for notes and alt texts that grow with the data."""
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def format_value(value: object, unit: str = "", *, approximate: bool = False) -> str:
    """A cell for people: 'not known' for gaps, thousands separators, the unit, '~' for estimates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_KNOWN
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        value = float(value)  # numpy and pandas scalars too, so 2400 shows as "2,400"
        if value.is_integer():
            value = int(value)
    text = f"{value:,}" if isinstance(value, (int, float)) else str(value)
    if unit:
        text = f"{text} {unit}"
    return f"~{text}" if approximate else text


def empty_chart(slug: str, title: str, message: str) -> Chart:
    """A chart that says in words why there is nothing to draw."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    base_layout(figure)
    return Chart(slug=slug, title=title, figure=figure, source_line="", alt_text=message, data=pd.DataFrame())
