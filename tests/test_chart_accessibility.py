"""What axe cannot check, without a browser: colour contrast of the themes and the charts, colour never alone,
and a data-built description and a table beside every chart.

Contrast follows WCAG 2.2: text 4.5:1 (1.4.3), marks and controls 3:1 against what is next to them (1.4.11).
The charts are drawn on the page's own background (Streamlit's Plotly theme), so every mark must stand out
against both themes' backgrounds: by its fill, or by an outline that does.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pandas as pd
import pytest

from china_bigscience import PROJECT_DIR, charts as palette
from china_bigscience.filters import FacilityFilter

THEMES = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
BACKGROUNDS = {name: THEMES[name]["backgroundColor"] for name in ("light", "dark")}
TEXT, MARKS = 4.5, 3.0


# --- Contrast, as WCAG defines it --------------------------------------------------------------

def rgb(colour: str) -> tuple[float, float, float]:
    """'#RRGGBB', '#RGB', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' as 0-255 floats (alpha dropped; see `is_visible`)."""
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))
    named = {"white": (255.0, 255.0, 255.0), "black": (0.0, 0.0, 0.0)}
    if colour.lower() in named:
        return named[colour.lower()]
    numbers = re.findall(r"[\d.]+", colour)
    return tuple(float(n) for n in numbers[:3])


def alpha(colour: str) -> float:
    match = re.match(r"rgba\(([^)]*)\)", colour.replace(" ", ""))
    return float(match.group(1).split(",")[3]) if match else 1.0


def mix(colour: str, background: str, opacity: float) -> str:
    """``colour`` drawn at ``opacity`` over ``background`` (how Streamlit fades text for captions)."""
    fg, bg = rgb(colour), rgb(background)
    r, g, b = (round(opacity * f + (1 - opacity) * k) for f, k in zip(fg, bg))
    return f"#{r:02X}{g:02X}{b:02X}"


def luminance(colour: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_matches_known_values():
    """The formula, checked against published pairs (WebAIM's checker gives these)."""
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast("#797F85", "#FFFFFF") == pytest.approx(4.04, abs=0.01)  # what axe measured on our captions
    assert mix("#1F2933", "#FFFFFF", 0.6) == "#797F85"  # and how Streamlit arrived at that grey


# --- The two themes ----------------------------------------------------------------------------

@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_text_reads_on_its_backgrounds(theme):
    colours = THEMES[theme]
    for background in (colours["backgroundColor"], colours["secondaryBackgroundColor"]):
        assert contrast(colours["textColor"], background) >= TEXT, (theme, background)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_captions_read_on_the_background(theme):
    """Captions and help text are the text colour at 60 % (Streamlit's fadedText60): they are text, so 4.5:1,
    on the page and in the sidebar."""
    colours = THEMES[theme]
    for background in (colours["backgroundColor"], colours["secondaryBackgroundColor"]):
        caption = mix(colours["textColor"], background, 0.6)
        assert contrast(caption, background) >= TEXT, (theme, background, caption)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_primary_colour_reads_as_text_on_both_backgrounds(theme):
    """Slider values are drawn in the primary colour as text; sliders, toggles and focus rings are marks in it."""
    colours = THEMES[theme]
    for background in (colours["backgroundColor"], colours["secondaryBackgroundColor"]):
        assert contrast(colours["primaryColor"], background) >= TEXT, (theme, background, colours["primaryColor"])


def test_light_primary_colour_carries_white_text():
    """Selected multiselect chips are white text on the primary colour (hard-coded in Streamlit 1.67).

    Not asserted for the dark theme: white text needs a primary of luminance <= 0.18, text on the dark
    sidebar needs >= 0.25, so no colour serves both; the chips are the one allowed axe violation there
    (tests/test_accessibility.py, ALLOWED; streamlit/streamlit#12801).
    """
    assert contrast("#FFFFFF", THEMES["light"]["primaryColor"]) >= TEXT


# --- The charts --------------------------------------------------------------------------------

@cache
def page_charts(selection: FacilityFilter = FacilityFilter()) -> tuple:
    """Every chart every page draws for ``selection`` on the real data (the image export's list of page modules)."""
    from china_bigscience import __main__ as cli
    from china_bigscience.catalogue import load_catalogue

    found, problems = cli.collect_charts(load_catalogue(), selection, log=lambda line: None)
    assert not problems, problems
    return tuple(found)


def chart_ids() -> list[str]:
    return [chart.slug for chart in page_charts()]


def flat(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None]
    return [value]


def colours_of(value) -> list[str]:
    """The colour strings in a Plotly colour property (numbers there are a colour scale's values, not colours)."""
    return [v for v in flat(value) if isinstance(v, str) and v]


def is_visible(colour: str) -> bool:
    return alpha(colour) > 0


def mark_problems(trace) -> list[str]:
    """Why this trace's marks do not stand out 3:1 against both themes' backgrounds (empty when they do).

    Context drawn without data (outlines with no hover and no legend entry) is decoration, not a mark.
    """
    problems = []
    if getattr(trace, "hoverinfo", None) in ("skip", "none") and trace.showlegend is False:
        return problems

    def stands_out(colour: str) -> bool:
        return all(contrast(colour, background) >= MARKS for background in BACKGROUNDS.values())

    marker = getattr(trace, "marker", None)
    outline = [c for c in colours_of(marker.line.color) if is_visible(c)] if marker is not None and "line" in marker else []
    width = max([w for w in flat(marker.line.width) if isinstance(w, (int, float))] or [0]) if outline else 0
    outlined = bool(outline) and width >= 0.5 and all(stands_out(c) for c in outline)
    fills = [c for c in colours_of(marker.color) if is_visible(c)] if marker is not None else []
    for colour in fills:
        if not stands_out(colour) and not outlined:
            problems.append(f"{trace.name!r}: fill {colour} without an outline that stands out")
    mode = getattr(trace, "mode", None) or ""
    line = getattr(trace, "line", None)
    if "lines" in mode and line is not None:
        for colour in colours_of(line.color):
            if is_visible(colour) and not stands_out(colour):
                problems.append(f"{trace.name!r}: line {colour}")
    return problems


def test_every_chart_mark_stands_out_against_both_theme_backgrounds():
    problems = {chart.slug: mark_problems(trace) for chart in page_charts() for trace in chart.figure.data}
    problems = {slug: found for slug, found in problems.items() if found}
    assert not problems, problems


def test_chart_annotations_are_readable_in_both_themes():
    """Text a chart sets its own colour for (annotations) must read on both backgrounds; the rest is theme text."""
    problems = []
    for chart in page_charts():
        for annotation in chart.figure.layout.annotations:
            colour = annotation.font.color
            if colour is None:
                continue  # drawn in the theme's text colour, tested above
            for theme, background in BACKGROUNDS.items():
                if contrast(colour, background) < TEXT:
                    problems.append((chart.slug, annotation.text, colour, theme))
    assert not problems, problems


def test_palette_constants_are_tested_here():
    """Every colour constant of the palette module reaches the mark test (a new palette cannot slip past it)."""
    drawn = {c.upper() for chart in page_charts() for trace in chart.figure.data
             for c in colours_of(getattr(getattr(trace, "marker", None), "color", None))
             + colours_of(getattr(getattr(trace, "line", None), "color", None))}
    used_on_pages = {"STATUS_COLOURS", "FIELD_COLOURS", "FUNDING_COLOURS"}
    for name in used_on_pages:
        constant = {c.upper() for c in getattr(palette, name).values()}
        assert constant & drawn, name


# --- Never by colour alone ---------------------------------------------------------------------

def category_of(trace, mapping: dict[str, str]) -> str | None:
    """The status or field (a key of ``mapping``) a trace stands for by its name and colour, if any."""
    name = str(trace.name or "").replace("&amp;", "&")
    if name[:2] in {f"{key} " for key in palette.FIELD_KEYS.values()}:
        name = name[2:]  # a field's key before its name ("C astronomy")
    name = name.lower()
    for category, colour in mapping.items():
        if name.startswith(category.lower()) and colour.upper() in {c.upper() for c in colours_of(trace.marker.color)}:
            return category
    return None


def signature(trace) -> tuple:
    """What tells a trace's marks apart other than colour: symbol, pattern, dash, and a bar's thickness."""
    marker = trace.marker
    symbol = tuple(flat(getattr(marker, "symbol", None))) if "symbol" in marker else ()
    pattern = tuple(flat(marker.pattern.shape)) if "pattern" in marker else ()
    dash = (trace.line.dash,) if "line" in trace and getattr(trace.line, "dash", None) else ()
    thickness = tuple(flat(trace.width)) if trace.type == "bar" else ()
    return symbol, tuple(p for p in pattern if p), dash, thickness


def labelled_on_the_marks(trace) -> bool:
    mode = getattr(trace, "mode", None) or ""
    if "text" in mode:
        return True
    return bool(flat(getattr(trace, "texttemplate", None))) or (
        getattr(trace, "text", None) is not None and getattr(trace, "textposition", None) not in (None, "none"))


def colour_alone(palette_name: str) -> dict:
    """Charts where two categories of ``palette_name`` differ by colour only: {chart: {(category, category)}}."""
    problems = {}
    for chart in page_charts():
        by_category = {}
        for trace in chart.figure.data:
            if "marker" not in trace:
                continue
            category = category_of(trace, getattr(palette, palette_name))
            if category is not None:
                by_category.setdefault(category, []).append(trace)
        if len(by_category) < 2:
            continue
        unlabelled = {c: {signature(t) for t in traces} for c, traces in by_category.items()
                      if not all(labelled_on_the_marks(t) for t in traces)}
        seen: dict[tuple, str] = {}
        for category, signatures in unlabelled.items():
            for sig in signatures:
                if sig in seen and seen[sig] != category:
                    problems.setdefault(chart.slug, set()).add((seen[sig], category))
                seen.setdefault(sig, category)
    return problems


def test_status_is_never_shown_by_colour_alone():
    """In a chart with two or more statuses, each differs from the others in shape, pattern, dash or thickness
    as well, or carries its name on its marks."""
    assert not colour_alone("STATUS_COLOURS")


def test_who_pays_is_never_shown_by_colour_alone():
    assert not colour_alone("FUNDING_COLOURS")


def test_field_is_never_shown_by_colour_alone():
    """Eighteen fields: the stacked bars write each field's key (A to R) on its segments, the static map gives each
    field its own shape (charts.FIELD_KEYS, charts.FIELD_SYMBOLS)."""
    assert not colour_alone("FIELD_COLOURS")


def test_every_field_has_its_own_key_shape_and_pattern_and_colour_pair():
    """One table each, covering every field: a key and a map shape no other field has (no triangle: those mark
    underground and high-altitude sites), and a bar pattern that with the colour is unique."""
    fields = set(palette.FIELD_COLOURS)
    assert set(palette.FIELD_KEYS) == set(palette.FIELD_SYMBOLS) == set(palette.FIELD_PATTERNS) == fields
    assert len(set(palette.FIELD_KEYS.values())) == len(set(palette.FIELD_SYMBOLS.values())) == len(fields)
    assert not [s for s in palette.FIELD_SYMBOLS.values() if s.startswith("triangle")]
    assert len({(palette.FIELD_PATTERNS[f], palette.FIELD_COLOURS[f]) for f in fields}) == len(fields)


def test_the_stacked_bars_by_field_show_the_key_on_every_segment_and_in_the_legend():
    chart = next(c for c in page_charts() if c.slug == "under-construction-by-field")
    for trace in chart.figure.data:
        field = category_of(trace, palette.FIELD_COLOURS)
        assert field is not None, trace.name
        key = palette.FIELD_KEYS[field]
        assert list(trace.text) == [key] * len(trace.y) and trace.textposition == "inside"
        assert trace.name.startswith(f"{key} ") and trace.marker.pattern.shape == palette.FIELD_PATTERNS[field]


def test_the_map_legend_names_every_field_and_site_kind_drawn(catalogue):
    """The deck.gl map colours points by field and writes the field's letter on each point: its legend says in
    words which letter and colour is which field, and underground and high-altitude sites also differ in shape."""
    import json

    from china_bigscience import maps
    from china_bigscience.charts import FIELD_KEYS, field_key_name

    facilities = maps.with_shown_status(catalogue.facilities)
    legend = maps.legend_table(facilities, maps.SIZE_MEASURES["uniform"])
    drawn_fields = set(maps.located(facilities)["field"].dropna())
    assert {field_key_name(field, field) for field in drawn_fields} <= set(legend["label"])
    assert len(set(legend["symbol"])) >= 2  # not one shape in different colours

    deck = json.loads(maps.facility_deck(facilities, catalogue.boundaries_geojson).to_json())
    keyed = [point for layer in deck["layers"] if layer["id"].startswith(maps.common.FIELD_KEY_LAYER_ID)
             for point in layer["data"]]
    assert {point["key"] for point in keyed} == {FIELD_KEYS[field] for field in drawn_fields}
    assert len(keyed) == len(maps.located(facilities))  # a letter on every point


# --- A description built from the data, and a table, beside every chart ------------------------

def cell_texts(data: pd.DataFrame) -> set[str]:
    texts = set()
    for value in data.to_numpy().ravel():
        if isinstance(value, str) and value.strip():
            texts.add(value.strip())
        elif isinstance(value, (int, float)) and not pd.isna(value):
            texts.update({f"{value:,.0f}", f"{value:g}", f"{value:,.1f}"})
    return texts


@pytest.mark.parametrize("slug", chart_ids())
def test_every_chart_has_a_data_built_description_and_a_table(slug):
    chart = next(c for c in page_charts() if c.slug == slug)
    assert not chart.data.empty, "the table twin ('Show data') is empty"
    assert len(chart.alt_text) >= 40 and chart.alt_text != chart.title
    # Built from the data: it quotes a value or a name from the chart's own table.
    mentioned = [text for text in cell_texts(chart.data) if len(text) >= 2 and text in chart.alt_text]
    assert mentioned, (chart.alt_text, chart.data.head())


def test_descriptions_follow_the_filter(catalogue):
    province = catalogue.facilities["province"].value_counts().index[0]
    everything = {c.slug: c.alt_text for c in page_charts()}
    one = {c.slug: c.alt_text for c in page_charts(FacilityFilter(provinces=(province,)))}
    follows = [slug for slug in one if slug in everything and one[slug] != everything[slug]]
    assert "facility-map" in follows and "timeline-gantt-by-field" in follows, follows


def test_each_chart_on_a_page_gets_its_description_and_its_table():
    """On the page (AppTest): every Plotly chart carries its alt text and has its own "Show data" expander."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_DIR / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    drawn = at.get("plotly_chart")
    assert drawn and all(chart.proto.alt for chart in drawn)
    tables = [e for e in at.expander if e.label == "Show data"]
    assert len(tables) == len(drawn)
    descriptions = [c.value for c in at.caption if "**Chart description:**" in c.value]
    assert len(descriptions) == len(drawn)


# --- Legends that cannot overlap -----------------------------------------------------------------

def label_width_px(text: str, font_size: float) -> float:
    """A generous width of one line of legend text: 0.6 em a Latin letter, 1 em a Chinese character."""
    import unicodedata

    plain = re.sub(r"<[^>]+>", "", text.replace("&amp;", "&"))
    return sum((1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) * font_size for ch in plain)


LEGEND_SYMBOL_PX = 40  # the sample line or marker, and the gap before the text


def test_fixed_width_legend_entries_are_wide_enough_for_their_longest_label():
    """A horizontal legend with entries of a set width overlaps when a label is longer than that width
    (the Timeline's "Not re-checked since its source" ran into "Date not known")."""
    problems = []
    for chart in page_charts():
        legend = chart.figure.layout.legend
        if legend.entrywidth is None or (legend.entrywidthmode or "pixels") != "pixels":
            continue
        font_size = (legend.font.size if legend.font and legend.font.size else None) or 12
        names = [t.name for t in chart.figure.data if t.name and t.showlegend is not False]
        names += [t.legendgrouptitle.text for t in chart.figure.data if t.legendgrouptitle and t.legendgrouptitle.text]
        needed = max(label_width_px(name, font_size) for name in names) + LEGEND_SYMBOL_PX
        if legend.entrywidth < needed:
            problems.append((chart.slug, legend.entrywidth, round(needed)))
    assert not problems, problems


def test_the_gantt_legend_is_a_grid_of_measured_columns():
    """The Gantt's seventeen entries: a horizontal legend in "normal" order, which Plotly lays out as a grid whose
    columns are as wide as the widest entry as drawn (as many as fit). Grouped order stacked each legend group in
    a column of its own (one tall column); group titles in a grid sit apart from their group."""
    gantts = [chart for chart in page_charts() if chart.slug.startswith("timeline-gantt")]
    assert gantts
    for chart in gantts:
        legend = chart.figure.layout.legend
        assert legend.orientation == "h" and legend.traceorder == "normal" and legend.entrywidth is None
        assert not [t.name for t in chart.figure.data if t.legendgrouptitle and t.legendgrouptitle.text]
        assert legend.title.text and legend.title.side == "top"  # the toolbar's row
