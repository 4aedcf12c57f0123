"""The publication style of an exported chart: a copy of the screen figure restyled for print.

White background whatever the screen theme, the chart's title, a subtitle naming the active
filters, the note, the source line and "<dashboard> · <date>" at the foot, fonts that carry
Chinese, and a 16:9 size (taller only for a tall chart). ``export`` draws it.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import plotly.graph_objects as go

from china_bigscience.charts import FONT_FAMILY, Chart
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.safe_text import escape_plotly

# 16:9 at 1200 px wide suits a slide and a column; PNGs are drawn at twice that for sharp print.
EXPORT_WIDTH = 1200
EXPORT_HEIGHT = 675
PNG_SCALE = 2
# A chart whose own figure asks to be taller than this (a long list of facilities) keeps its extra height.
TALL_FIGURE_HEIGHT = 600
# ...up to this height (CSS px): Chromium refuses canvases over 32,767 px a side or 268 million pixels, and a
# PNG is drawn at PNG_SCALE, so 8,000 px (16,000 x 2,400 drawn) stays well inside. A taller chart is squeezed.
EXPORT_MAX_HEIGHT = 8000

TEXT_COLOUR = "#1F2933"
MUTED_TEXT_COLOUR = "#52606D"
GRID_COLOUR = "#E4E7EB"
AXIS_LINE_COLOUR = "#9AA5B1"

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def wrapped_lines(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` Latin characters; Chinese text (no spaces, each character twice as wide) by half."""
    text = str(text)
    if _CJK.search(text):
        return textwrap.wrap(text, width=max(width // 2, 10), break_long_words=True, break_on_hyphens=False) or [""]
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def _has_cartesian_traces(figure: go.Figure) -> bool:
    return any(hasattr(trace, "xaxis") for trace in figure.data)


def _x_axis_allowance(figure: go.Figure) -> int:
    """Pixels below the plot area that x tick labels and the x-axis title may need, so the footer clears them.

    Plotly's automargin grows the margin for tick labels but knows nothing of our footer, so we
    reserve the room ourselves: one line of ticks, a title line, and more for long category labels
    that Plotly will turn on their side.
    """
    if not _has_cartesian_traces(figure):
        return 12
    allowance = 34
    if any(axis.title.text for axis in _x_axes(figure)):
        allowance += 26
    categories: set[str] = set()
    for trace in figure.data:
        if not hasattr(trace, "xaxis") or getattr(trace, "orientation", None) == "h":
            continue
        values = getattr(trace, "x", None)
        if values is not None:
            categories.update(str(v) for v in values if isinstance(v, str))
    if categories:
        longest = max(len(label) for label in categories)
        room_per_label = (EXPORT_WIDTH - 200) / len(categories)
        if longest * 6.5 > room_per_label:
            # Plotly tilts crowded labels by 30 degrees, or stands them up when there are many.
            allowance += min(220, int(longest * (3.8 if len(categories) <= 20 else 6.8)))
    return allowance + 8


def _x_axes(figure: go.Figure) -> list:
    axes = []
    figure.for_each_xaxis(axes.append)
    return axes


def export_size(figure: go.Figure) -> tuple[int, int]:
    """Width and height (CSS px) of the exported image: 16:9, taller only when the chart itself is tall."""
    own_height = figure.layout.height
    if own_height and own_height > TALL_FIGURE_HEIGHT:
        return EXPORT_WIDTH, min(int(own_height) + 200, EXPORT_MAX_HEIGHT)
    return EXPORT_WIDTH, EXPORT_HEIGHT


def _footer_lines(chart: Chart, date: dt.date, tr: Translator = ENGLISH) -> list[str]:
    lines: list[str] = []
    if chart.note:
        lines += wrapped_lines(tr("chart.note", note=chart.note), 150)
    if chart.source_line:
        lines += wrapped_lines(chart.source_line, 150)
    lines.append(tr("chart.export_footer", name=tr("app.name"), date=date.isoformat()))
    return lines


def publication_figure(chart: Chart, *, subtitle: str = "", date: dt.date | None = None,
                       tr: Translator = ENGLISH) -> go.Figure:
    """A deep copy of ``chart.figure`` in the light publication style (the screen figure is left untouched)."""
    # to_dict() is already a deep copy; the chart's figure was validated when it was built, so it is not
    # validated again (deepcopy plus validation was most of a warm export's Python time).
    figure = go.Figure(chart.figure.to_dict(), _validate=False)
    date = date or dt.date.today()
    width, height = export_size(figure)

    title_lines = wrapped_lines(chart.title, 80)
    subtitle_lines = wrapped_lines(subtitle, 150) if subtitle else []
    footer_lines = _footer_lines(chart, date, tr)
    x_allowance = _x_axis_allowance(figure)

    top = 20 + 26 * len(title_lines) + 18 * len(subtitle_lines) + 18
    footer_height = 16 * len(footer_lines) + 10
    bottom = x_allowance + footer_height

    figure.update_layout(
        template="plotly_white",
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        font={"family": FONT_FAMILY, "color": TEXT_COLOUR, "size": 13},
        title={
            # Aligned with the plot's left edge, like the footer, whatever room the y-axis labels take.
            "text": "<b>" + "<br>".join(escape_plotly(line) for line in title_lines) + "</b>",
            "font": {"size": 20, "color": TEXT_COLOUR, "family": FONT_FAMILY},
            "x": 0, "xref": "paper", "xanchor": "left",
            "y": 1, "yref": "container", "yanchor": "top",
            "pad": {"t": 18},
            "automargin": False,
            "subtitle": {
                "text": "<br>".join(escape_plotly(line) for line in subtitle_lines),
                "font": {"size": 13, "color": MUTED_TEXT_COLOUR, "family": FONT_FAMILY},
            },
        },
        margin={"l": 70, "r": 30, "t": top, "b": bottom, "pad": 4, "autoexpand": True},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    # The screen puts a horizontal legend above the plot, where the title and subtitle now are.
    if figure.layout.showlegend is not False:
        figure.update_layout(
            legend={
                "orientation": "v", "x": 1.02, "xanchor": "left", "xref": "paper", "y": 1, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0)", "font": {"size": 12, "color": TEXT_COLOUR},
            }
        )
    figure.update_xaxes(automargin=True, gridcolor=GRID_COLOUR, linecolor=AXIS_LINE_COLOUR, zerolinecolor=GRID_COLOUR)
    figure.update_yaxes(automargin=True, gridcolor=GRID_COLOUR, linecolor=AXIS_LINE_COLOUR, zerolinecolor=GRID_COLOUR)
    figure.add_annotation(
        text="<br>".join(escape_plotly(line) for line in footer_lines),
        xref="paper", x=0, xanchor="left",
        yref="paper", y=0, yanchor="top", yshift=-x_allowance,
        align="left", showarrow=False,
        font={"size": 11, "color": MUTED_TEXT_COLOUR, "family": FONT_FAMILY},
    )
    _make_offline(figure)
    return figure


def _make_offline(figure: go.Figure) -> None:
    """Map subplots draw on a plain background: tile styles live online and the export has no network."""
    def plain_map(subplot) -> None:
        if not isinstance(subplot.style, dict):
            subplot.style = "white-bg"

    figure.for_each_map(plain_map)
