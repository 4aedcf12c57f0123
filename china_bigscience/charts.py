"""What every chart carries, and the one look they share.

A ``Chart`` is a Plotly figure plus what a reader needs to trust and reuse it:
a title, a source line, an ``alt`` text computed from the data, the data itself
(the "show data" table) and a slug for file names. Chart-building functions in
this package take DataFrames and return ``Chart`` objects; the pages lay them out
and the export module turns them into PNG, SVG or PDF bytes.
"""

from __future__ import annotations

import html
import numbers
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from china_bigscience import DASHBOARD_NAME, PROJECT_DIR
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.source_ids import split_ids, unique_ids
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
# A field is never told by its colour alone (WCAG 1.4.1). Stacked bars write the field's key (a letter, A to R,
# the same in every language and chart; one character fits a bar a year wide) on each segment with room for it,
# and the legend puts the key before the field's name.
FIELD_KEYS = {field: chr(ord("A") + number) for number, field in enumerate(FIELD_COLOURS)}
# Bars carry a fill pattern as well, which shows where a segment is too small for its key (a phone): eight
# patterns for eighteen fields, shared by a dark, a mid and a light colour, so each pattern and colour pair is unique.
FIELD_PATTERNS = {
    "particle physics": "", "photon science": "", "fusion & plasma": "",
    "nuclear physics": "/", "astroparticle & neutrino": "/",
    "engineering & materials": "\\", "information & networks": "\\",
    "space science & environment": "x", "energy": "x",
    "neutron science": "-", "agriculture & biodiversity": "-",
    "high magnetic field & extreme conditions": "|", "astronomy": "|",
    "life sciences & medicine": "+", "earth system": "+",
    "earth & ocean observation": ".", "time & frequency": ".", "computing": ".",
}
# Points (the static map) take a shape per field: eighteen Plotly symbols that all have a filled and an open
# form and stay distinct at map size; no triangles, which mark underground and high-altitude sites.
FIELD_SYMBOLS = {
    "particle physics": "circle",
    "astroparticle & neutrino": "diamond",
    "astronomy": "star",
    "photon science": "square",
    "neutron science": "cross",
    "fusion & plasma": "hexagram",
    "nuclear physics": "x",
    "high magnetic field & extreme conditions": "bowtie",
    "earth system": "hourglass",
    "computing": "square-x",
    "life sciences & medicine": "pentagon",
    "agriculture & biodiversity": "star-diamond",
    "earth & ocean observation": "diamond-wide",
    "space science & environment": "star-square",
    "engineering & materials": "hexagon",
    "energy": "diamond-tall",
    "information & networks": "circle-x",
    "time & frequency": "diamond-x",
}
STATUS_COLOURS = {
    "operating": "#117733",
    "under construction": "#DDCC77",
    "planned": "#88CCEE",
    "decommissioned": "#AAAAAA",
}
# A status is never told by its colour alone (WCAG 1.4.1): each has its own fill pattern as well.
STATUS_PATTERNS = {
    "operating": "",
    "under construction": "/",
    "planned": ".",
    "decommissioned": "x",
}
STATUS_PATTERN_COLOUR = "#1F2933"
FUNDING_COLOURS = {
    "central": "#332288",
    "CAS": "#44AA99",
    "local government": "#CC6677",
    "joint": "#DDCC77",
    "other": "#AAAAAA",
}
# Series drawn as lines (countries, spending indicators): every one 3:1 against both theme backgrounds,
# since a line cannot carry an outline (Tol colours, with darker or lighter stand-ins where his are too faint).
SERIES_COLOURS = ("#117733", "#999933", "#AA4499", "#009988", "#997700", "#D95F02", "#7570B3", "#BB5566")
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

    def __post_init__(self) -> None:
        outline_faint_marks(self.figure)


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


# Plotly draws tick labels at 12 px. A Latin letter of the chart font is at most ~0.62 em wide on average over a
# label, a Chinese character 1 em; the 16 px leave the tick's own gap and a margin of error.
TICK_FONT_PX = 12
LATIN_EM = 0.62


def tick_label_margin_px(labels: Iterable[str], *, most: int = 440) -> int:
    """A margin (px) that fits the widest of ``labels`` as Plotly draws tick labels, to set instead of automargin:
    automargin measures every label in the browser and lays the chart out again on each redraw (half of a
    Gantt's redraw, measured: 224 -> 106 ms). Capped at ``most``, beyond which Plotly cuts a label's start (the
    longest Chinese facility name with its acronym, 32 characters, takes 430 px, as automargin gave it)."""
    def width(label: str) -> float:
        text = re.sub(r"<[^>]+>", "", html.unescape(str(label)))
        return sum(TICK_FONT_PX if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM * TICK_FONT_PX for ch in text)

    return int(min(most, max((width(label) for label in labels), default=0) + 16))


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


def source_label(record: dict, tr: Translator = ENGLISH) -> str:
    """'Publisher (year)' of one source record."""
    year = str(record["date"])[:4] if record.get("date") else tr("common.n_d")
    return tr("chart.source_label", publisher=record["publisher"], year=year)


def source_line(source_ids: Iterable[str], sources: pd.DataFrame, *, limit: int = 4, tr: Translator = ENGLISH) -> str:
    """'Source: Publisher (year); Publisher (year); and N more' for the ids behind a chart."""
    ids = unique_ids(source_ids)
    records = source_records(sources)
    labels = []
    for source_id in ids:
        if source_id in records:
            label = source_label(records[source_id], tr)
            if label not in labels:
                labels.append(label)
    name = tr("app.name")
    if not labels:
        return tr("chart.source_default", name=name)
    shown = tr("profile.detail_separator").join(labels[:limit])
    more = tr("chart.source_more", count=len(labels) - limit) if len(labels) > limit else ""
    return tr("chart.source_line", sources=shown, more=more, name=name)


def names_text(names: Iterable[str], limit: int = 8, tr: Translator = ENGLISH) -> str:
    """'A, B, C and 5 more': a list of names of bounded length, for notes and alt texts that grow with the data."""
    names = list(names)
    if len(names) <= limit:
        return tr.join(names)
    return tr.join(names[:limit]) + tr("timeline.names_more", count=len(names) - limit)


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


# --- Marks that stand out in both themes ---------------------------------------------------------

def _theme_backgrounds() -> tuple[str, ...]:
    """The page backgrounds charts are drawn on: Streamlit's Plotly theme leaves the chart transparent."""
    themes = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    return tuple(themes[name]["backgroundColor"] for name in ("light", "dark"))


THEME_BACKGROUNDS = _theme_backgrounds()
# Mid grey: 4.5:1 on white and 4.1:1 on the dark background, so an outline in it makes any fill stand out.
MARK_OUTLINE = "#767676"
NON_TEXT_CONTRAST = 3.0  # WCAG 2.2, 1.4.11: marks a reader needs, against what surrounds them


def _rgb(colour: str) -> tuple[float, float, float, float] | None:
    """(r, g, b, alpha) of '#RGB', '#RRGGBB', 'rgb(...)', 'rgba(...)', 'white' or 'black'; None for anything else."""
    colour = colour.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour, colour)
    if re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", colour):
        digits = colour[1:] if len(colour) == 7 else "".join(d * 2 for d in colour[1:])
        return (*(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4)), 1.0)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", colour.replace(" ", ""))
    if match:
        parts = [float(v) for v in match.group(1).split(",")]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)
    return None


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two opaque colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [v / 255 for v in _rgb(colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def stands_out(colour: str) -> bool:
    """True when ``colour`` reaches 3:1 against the background of every theme."""
    return all(contrast_ratio(colour, background) >= NON_TEXT_CONTRAST for background in THEME_BACKGROUNDS)


def _visible_colours(value: object) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    parsed = [(v, _rgb(v)) for v in values if isinstance(v, str)]
    return [v for v, rgb in parsed if rgb is not None and rgb[3] > 0]


def outline_faint_marks(figure: go.Figure) -> go.Figure:
    """Give a mid-grey outline to every bar or marker whose fill does not stand out in both themes.

    Pale fills (sand, sky blue, grey) vanish on white and dark ones (indigo, wine) on the dark theme; an
    outline that stands out in both keeps each mark visible (WCAG 1.4.11) without changing the palette,
    which the legends and the field colours everywhere else rely on. Outlines that already stand out stay.
    """
    for trace in [*figure.data, *(t for frame in figure.frames or () for t in frame.data)]:
        marker = getattr(trace, "marker", None)
        if marker is None or (trace.type != "bar" and "markers" not in (getattr(trace, "mode", None) or "")):
            continue
        fills = _visible_colours(marker.color)
        if not fills or all(stands_out(c) for c in fills):
            continue
        line = marker.line
        outline = _visible_colours(line.color)
        widths = [w for w in (line.width if isinstance(line.width, (list, tuple)) else [line.width]) if w is not None]
        if outline and all(stands_out(c) for c in outline) and widths and min(widths) >= 0.5:
            continue
        trace.update(marker_line_color=MARK_OUTLINE, marker_line_width=max([1.0, *widths]))
    return figure


def status_marker(status: str) -> dict:
    """Plotly ``marker`` of a bar standing for ``status``: its colour and its pattern, drawn over the colour."""
    return {
        "color": STATUS_COLOURS.get(status, WORLD_COLOUR),
        "pattern": {"shape": STATUS_PATTERNS.get(status, ""), "fillmode": "overlay", "fgcolor": STATUS_PATTERN_COLOUR,
                    "size": 7, "solidity": 0.3},
    }


def _pattern_on(colour: str, shape: str) -> dict:
    """Plotly ``marker.pattern`` of ``shape`` over a bar of ``colour``, in the ink (white or dark) that reads on it."""
    ink = "#FFFFFF" if contrast_ratio(colour, "#FFFFFF") > contrast_ratio(colour, STATUS_PATTERN_COLOUR) \
        else STATUS_PATTERN_COLOUR
    return {"shape": shape, "fillmode": "overlay", "fgcolor": ink, "size": 7, "solidity": 0.3}


def field_pattern(field: str) -> dict:
    """Plotly ``marker.pattern`` of a bar standing for ``field``: its pattern, drawn in ink that reads on its colour."""
    return _pattern_on(FIELD_COLOURS.get(field, WORLD_COLOUR), FIELD_PATTERNS.get(field, ""))


# Who pays, told apart by pattern as well as colour (five types: one pattern each).
FUNDING_PATTERNS = {"central": "", "CAS": "/", "local government": ".", "joint": "x", "other": "-"}


def funding_pattern(funding: str) -> dict:
    """Plotly ``marker.pattern`` of a bar standing for a funding type (see ``field_pattern``)."""
    return _pattern_on(FUNDING_COLOURS.get(funding, WORLD_COLOUR), FUNDING_PATTERNS.get(funding, "|"))


def field_key_name(field: str, name: str) -> str:
    """A legend entry: the field's key, then ``name`` (the field in the reader's language): 'C astronomy'."""
    key = FIELD_KEYS.get(field)
    return f"{key} {name}" if key else name


# --- Bar charts' shared pieces (comparisons, portfolio, Nature Index, spending) -----------------

# Hatching marks bars of what does not (or no longer) run, and estimates.
HATCH = "/"
# Pixels per bar row, and the room taken by legend and axis, for figure heights that fit any count.
ROW_HEIGHT_PX = 26
CHROME_HEIGHT_PX = 130


def hatch_pattern(hatched: bool) -> dict:
    """White stripes over the bar's own colour: marks 'not operating' while the value label stays readable."""
    if not hatched:
        return {"shape": ""}
    return {"shape": HATCH, "fillmode": "overlay", "fgcolor": "white", "fgopacity": 0.55, "solidity": 0.35}


def plot_text(value: object) -> str:
    """Text for Plotly labels and hovers: Plotly renders a subset of HTML, so data is escaped to show as written."""
    return escape_plotly(value)


def row_source_text(cell: object, sources: pd.DataFrame, tr: Translator = ENGLISH) -> str:
    """'Publisher (year); Publisher (year)' for one row's source_ids, for hovers and data tables."""
    records = source_records(sources)
    labels = [source_label(records[i], tr) if i in records else i for i in split_ids(cell)]
    return tr("profile.detail_separator").join(labels) if labels else tr("common.not_known")


def format_number(value: object, unit: str = "", tr: Translator = ENGLISH) -> str:
    """format_value with sensible rounding for floats (0.27, 2,400, 1.36); ``unit`` is already in the reader's language."""
    if value is None or pd.isna(value):
        return tr("common.not_known")
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
    else:
        digits = 0 if abs(number) >= 100 else 1 if abs(number) >= 10 else 2 if abs(number) >= 0.1 else 3
        text = f"{number:,.{digits}f}"
    return f"{text}{tr('common.unit_space')}{unit}" if unit else text


def year_text(value: object, tr: Translator) -> str:
    """A year as plain digits ('2010', never '2,010'); 'not known' for a gap."""
    return tr("common.not_known") if value is None or pd.isna(value) else str(int(value))


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
