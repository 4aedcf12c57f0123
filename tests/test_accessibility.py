"""Accessibility in a real browser: axe-core on every page in both themes, the keyboard, and narrow screens.

axe-core (bundled by axe-playwright-python, so nothing is fetched) runs the WCAG 2.0-2.2 A/AA rules on every
page in the light and the dark theme; a serious or critical violation fails, unless it is in ALLOWED (markup of
Streamlit's own that the app cannot change), and an ALLOWED entry that no longer occurs fails too, so the list
only shrinks. What axe cannot judge is tested here by hand: a Tab walk through the sidebar and a page, the map's
keyboard path to each facility (both in English and in Chinese, by the catalogue's names for the controls), and
that no page scrolls sideways on a phone. Chart colours, "never by colour alone" and alt texts are checked
without a browser in test_chart_accessibility.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from china_bigscience.i18n import translator
from tools.browser import wait_for_app

pytestmark = pytest.mark.browser

PAGE_PATHS = {
    "overview": "",
    "map": "map",
    "timeline": "timeline",
    "compare": "compare",
    "nature_index": "nature_index",
    "profile": "profile?facility=juno",
    "explorer": "explorer",
    "sources": "sources",
    "filtered": "?province=Sichuan&status=operating",  # a shared link: the sidebar shows its choices as chips
}
THEMES = ("light", "dark")  # Streamlit follows the browser's prefers-color-scheme (config.toml has both themes)
# Interface languages, as link parameters.
LANGUAGES = {"en": {}, "zh": {"lang": "zh"}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Allowed:
    """A violation in Streamlit's own markup that the app cannot avoid (matched on the node's target and HTML)."""

    rule: str
    node_pattern: str
    reason: str
    upstream: str

    def matches(self, rule: str, node: dict) -> bool:
        """Matched on the node's selector, its HTML and axe's summary (which names the colours), in that order."""
        described = " ".join(map(str, node["target"])) + " " + node["html"] + " " + node.get("failureSummary", "")
        return rule == self.rule and re.search(self.node_pattern, described.replace("\n", " ")) is not None


# Each entry must still occur somewhere (test_every_allowed_violation_still_occurs), or it is taken out.
ALLOWED: tuple[Allowed, ...] = (
    Allowed(
        rule="color-contrast",
        node_pattern=r"^span\[title=.*foreground color: #ffffff, background color: #f07f6b",
        reason="Selected multiselect chips, dark theme: Streamlit 1.67 draws them as white text on the primary "
               "colour, hard-coded. The dark primary (#F07F6B) is also the colour of slider values as text on the "
               "dark backgrounds, which needs it lighter than white text allows (tests/test_chart_accessibility.py).",
        upstream="https://github.com/streamlit/streamlit/issues/12801",
    ),
)


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    drawn = ('[data-testid="stPlotlyChart"] .main-svg, [data-testid="stDeckGlJsonChart"] canvas, '
             '[data-testid="stMetric"], [data-testid="stDataFrame"], [data-testid="stTable"]')
    page.locator(drawn).first.wait_for(timeout=30000)
    page.wait_for_timeout(1000)  # Plotly and deck.gl finish drawing after the script run
    return page


@pytest.fixture(scope="module")
def axe_scan(server, browser):
    """scan(theme, language, page) -> the serious and critical violations there, scanned once per module."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    contexts = {}

    @cache
    def scan(theme: str, language: str, name: str) -> tuple[tuple[str, dict], ...]:
        if (theme, language) not in contexts:
            contexts[theme, language] = browser.new_context(viewport={"width": 1300, "height": 900}, color_scheme=theme)
        query = "&".join(f"{k}={v}" for k, v in LANGUAGES[language].items())
        path = PAGE_PATHS[name]
        url = f"{server}/{path}" + (("&" if "?" in path else "?") + query if query else "")
        page = open_page(contexts[theme, language], url)
        try:
            background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
            assert background == {"light": "rgb(255, 255, 255)", "dark": "rgb(17, 20, 24)"}[theme], background
            response = axe.run(page, options=AXE_OPTIONS).response
        finally:
            page.close()
        return tuple((v["id"], node) for v in response["violations"] if v["impact"] in FAILING_IMPACTS
                     for node in v["nodes"])

    yield scan
    for context in contexts.values():
        context.close()


def describe(found: list[tuple[str, dict]]) -> str:
    return "\n".join(f"{rule}: {' '.join(map(str, node['target']))[-120:]}  {node['html'][:120]}  "
                     f"{node.get('failureSummary', '').splitlines()[-1:] }" for rule, node in found)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", list(PAGE_PATHS))
def test_page_has_no_serious_axe_violations(axe_scan, name, theme, language):
    found = [(rule, node) for rule, node in axe_scan(theme, language, name)
             if not any(allowed.matches(rule, node) for allowed in ALLOWED)]
    assert not found, f"{len(found)} serious/critical axe violations on {name} ({theme}, {language}):\n{describe(found)}"


def test_every_allowed_violation_still_occurs(axe_scan):
    everything = [found for theme in THEMES for language in LANGUAGES for name in PAGE_PATHS
                  for found in axe_scan(theme, language, name)]
    stale = [allowed for allowed in ALLOWED if not any(allowed.matches(rule, node) for rule, node in everything)]
    assert not stale, f"no longer needed, take them out of ALLOWED: {stale}"


# --- The keyboard -----------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement;
  let label = e.getAttribute('aria-label') || '';
  if (!label && e.labels && e.labels.length) label = e.labels[0].innerText;
  const text = (e.innerText || '').split('\\n').filter(Boolean).pop() || '';
  return {label: (label || text).trim(), sidebar: !!e.closest('[data-testid="stSidebar"]'), tag: e.tagName};
}"""


def tab_walk(page, presses: int) -> list[dict]:
    """What Tab focuses, ``presses`` times from the top of a freshly opened page."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def tab_to(page, label: str, limit: int = 100) -> None:
    """Press Tab until the control named ``label`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["label"] == label:
            return
    raise AssertionError(f"Tab never reached {label!r}")


def in_order(names: list[str], walk: list[dict]) -> list[str]:
    """The names not found in the walk in this order (each after the one before it)."""
    labels = [step["label"] for step in walk]
    missing, position = [], 0
    for name in names:
        try:
            position = labels.index(name, position) + 1
        except ValueError:
            missing.append(name)
    return missing


def in_language(url: str, language: str) -> str:
    """``url`` with the interface language's link parameters (none for English)."""
    query = "&".join(f"{k}={v}" for k, v in LANGUAGES[language].items())
    return url + (("&" if "?" in url else "?") + query if query else "")


def sidebar_controls(language: str) -> list[str]:
    """The sidebar's controls in reading order, named as the reader's language names them (the catalogue's words)."""
    tr = translator(language)
    pages = [tr(f"nav.{name}") for name in
             ("overview", "map", "timeline", "compare", "nature_index", "profile", "explorer", "sources")]
    years = tr("sidebar.years")
    return pages + [tr("sidebar.province"), tr("sidebar.field"), tr("sidebar.status"),
                    tr("value.year_basis.construction"),
                    f"{years} — start", f"{years} — end",  # Streamlit names a range slider's two thumbs in English
                    tr("sidebar.search"), tr("sidebar.reset"), "PNG"]


def timeline_controls(language: str) -> list[str]:
    tr = translator(language)
    return [tr("page.timeline.group_field"), tr("page.timeline.milestones_shown"), tr("page.timeline.as_of"),
            tr("page.timeline.type_year"), tr("plotly.dictionary.Download plot as a PNG"), tr("chart.show_data"),
            "PNG", "SVG", "PDF", tr("page.timeline.open_profile"), tr("page.timeline.milestones_expander")]


def test_the_english_control_names_are_the_ones_readers_see():
    """The walk's names come from the catalogue; in English they are these (what the walk found before Chinese)."""
    assert sidebar_controls("en") == [
        "Overview", "Map", "Timeline", "Against the world", "Nature Index", "Facility profile", "Data explorer",
        "Sources & methods", "Province", "Field", "Status", "construction start", "Years — start", "Years — end",
        "Search", "Reset filters", "PNG"]
    assert timeline_controls("en") == [
        "field", "Milestones shown", "As of year", "Type a year", "Download plot as a PNG", "Show data", "PNG", "SVG",
        "PDF", "Open a facility's profile", "Milestones: dates, references and sources"]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_tab_reaches_every_sidebar_control_and_the_timeline_controls_in_reading_order(server, browser, language):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = open_page(context, in_language(f"{server}/timeline", language))
        walk = tab_walk(page, 60)
        assert walk[0]["label"] == "Skip to main content"
        sidebar = [step for step in walk if step["sidebar"]]
        expected = sidebar_controls(language)
        assert not in_order(expected, sidebar), (in_order(expected, sidebar), sidebar)
        main = [step for step in walk if not step["sidebar"]]
        expected = timeline_controls(language)
        assert not in_order(expected, main), (in_order(expected, main), main)
        # The sidebar comes before the page, so a keyboard reader meets the filters first.
        last_sidebar = max(i for i, step in enumerate(walk) if step["sidebar"])
        assert walk[last_sidebar + 1:] and not any(step["sidebar"] for step in walk[last_sidebar + 1:])
    finally:
        context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_keyboard_alone_sets_and_resets_a_filter(server, browser, language):
    tr = translator(language)
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = open_page(context, in_language(f"{server}/", language))
        tab_to(page, tr("sidebar.search"))
        page.keyboard.type("JUNO")
        page.keyboard.press("Enter")
        page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'JUNO'", timeout=15000)
        wait_for_app(page)
        assert page.locator('[data-testid="stMetric"]').first.inner_text().splitlines()[-1].strip() == "1"
        tab_to(page, tr("sidebar.reset"), limit=20)  # past the national-list, type and completeness filters
        page.keyboard.press("Enter")
        page.wait_for_function("() => !new URL(location.href).searchParams.has('q')", timeout=15000)
        wait_for_app(page)
        assert page.locator('[data-testid="stMetric"]').first.inner_text().splitlines()[-1].strip() != "1"
        assert LANGUAGES[language].get("lang") == page.evaluate("() => new URL(location.href).searchParams.get('lang')")
    finally:
        context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_map_has_a_keyboard_path_to_a_facility(server, browser, catalogue, language):
    """Beside the map, a selectbox opens a facility's key facts and its profile link, with no pointer.

    (That it lists every drawn facility is checked in AppTest: the browser only renders the visible options.)
    The Chinese name of JUNO carries its English name too, so "Jiangmen" finds it in either language.
    """
    from china_bigscience.labels import display_name

    tr = translator(language)
    juno = catalogue.facilities[catalogue.facilities["id"] == "juno"].iloc[0]
    selected = tr("page.map.selected", name=display_name(juno, tr))
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = open_page(context, in_language(f"{server}/map", language))
        tab_to(page, tr("page.map.choose_facility"))
        page.keyboard.type("Jiangmen")
        page.keyboard.press("Enter")
        page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=selected, timeout=30000)
        wait_for_app(page)
        link = page.get_by_role("link", name=tr("page.map.open_full_profile"))
        assert "facility=juno" in link.get_attribute("href")
    finally:
        context.close()


# --- Narrow screens ---------------------------------------------------------------------------

@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("name", list(PAGE_PATHS))
def test_no_page_scrolls_sideways_on_a_phone(server, browser, name, width):
    """WCAG 1.4.10 Reflow: at 320 CSS px nothing but a chart or a map may need scrolling in two directions."""
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    try:
        page = open_page(context, f"{server}/{PAGE_PATHS[name]}")
        too_wide = page.evaluate("""() => {
          const limit = document.documentElement.clientWidth + 1;
          return [...document.querySelectorAll('[data-testid="stMain"] *')]
            .filter(e => !e.closest('[data-testid="stPlotlyChart"], [data-testid="stDeckGlJsonChart"], '
                                     + '[data-testid="stDataFrame"], [data-testid="stTable"]'))
            .filter(e => e.getBoundingClientRect().right > limit && getComputedStyle(e).visibility !== 'hidden')
            .filter(e => {  // inside a box that scrolls or clips on its own (a tab bar) and itself fits: fine
              for (let box = e.parentElement; box && box.getAttribute('data-testid') !== 'stMain'; box = box.parentElement) {
                if (getComputedStyle(box).overflowX !== 'visible' && box.getBoundingClientRect().right <= limit) return false;
              }
              return true;
            })
            .map(e => (e.getAttribute('data-testid') || e.tagName) + ': ' + (e.innerText || '').slice(0, 60));
        }""")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1 and not too_wide, (overflow, too_wide[:10])
    finally:
        context.close()


# --- Layout: no column left empty beside another ----------------------------------------------

COLUMN_CONTENT = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stHorizontalBlock"]')]
  .filter(row => row.getBoundingClientRect().height > 0)
  .map(row => [...row.querySelectorAll(':scope > [data-testid="stColumn"]')].map(column => {
      const top = column.getBoundingClientRect().top;
      const parts = [...column.querySelectorAll('[data-testid="stElementContainer"], [data-testid="stLayoutWrapper"]')]
        .map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
      return {width: column.getBoundingClientRect().width,
              content: parts.length ? Math.max(...parts.map(r => r.bottom)) - top : 0,
              text: (column.innerText || '').slice(0, 50)};
  }))
  .filter(columns => columns.length > 1)"""


def test_the_main_column_of_a_row_is_never_left_half_empty(server, browser):
    """Beside a side column (text, controls), the widest column's content reaches at least as far down, give or
    take 200 px: a tall explainer beside a short chart leaves a wide empty column (the Nature Index page did)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    problems = []
    try:
        for name, path in PAGE_PATHS.items():
            page = open_page(context, f"{server}/{path}")
            for columns in page.evaluate(COLUMN_CONTENT):
                widest = max(columns, key=lambda c: c["width"])
                tallest = max(columns, key=lambda c: c["content"])
                # Only a main column beside a narrower side column: columns of equal width hold peers.
                if widest["width"] > 1.2 * tallest["width"] and tallest["content"] - widest["content"] > 200:
                    problems.append((name, widest["text"], round(widest["content"]), tallest["text"],
                                     round(tallest["content"])))
            page.close()
    finally:
        context.close()
    assert not problems, problems
