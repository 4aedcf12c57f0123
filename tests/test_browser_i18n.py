"""The dashboard in Chinese, in headless Chromium: every page's text, the navigation, the page language, shared links.

"Chinese" is checked strictly: on every page with ?lang=zh, each piece of visible text
(sidebar, page, chart SVG) that has English words in it must be either text from the
data (names, sources, notes, which have no Chinese form in the data) or a code, unit or
acronym. Anything else is an untranslated string and is named in the failure.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from china_bigscience import DATA_DIR
from tools.browser import is_harmless, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {
    "": "概览", "map": "地图", "timeline": "时间线", "compare": "与世界比较", "nature_index": "自然指数",
    "profile?facility=juno": "装置档案", "explorer": "数据浏览器", "sources": "来源与方法",
}
# The page list is flat (no section headings: sectioned lists broke axe's list rules), so these are the pages.
NAVIGATION = ["概览", "地图", "时间线", "与世界比较", "自然指数", "装置档案", "数据浏览器", "来源与方法"]
HAN = re.compile(r"[\u4e00-\u9fff]")
# English words of 4+ letters, lower case or capitalised (acronyms such as JUNO or CJPL are names, not words).
ENGLISH_WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
ADDRESS = re.compile(r"\S+://\S+")
# File names, column names and domains (sources.csv, source_ids, nature.com): code, not prose.
CODE = re.compile(r"[A-Za-z0-9_./-]*[_/.][A-Za-z0-9_./-]*")
# Words that stay as they are in Chinese text: file formats, names of tools and standards, Streamlit's own chrome
# (Streamlit has no translation layer: streamlit#1353), and Plotly's watermark-free modebar has none left.
ALLOWED_WORDS = {
    "fullscreen", "http", "https", "json", "toml", "arxiv", "plotly", "streamlit", "carto", "secrets",
    "confidence", "name", "coord", "seen", "copy", "publisher",  # column names quoted as code: name_zh_confidence
    "sources", "facilities", "peers", "milestones", "provinces", "datapackage", "make", "test", "data",
    "issue", "pull", "request",
    "english",  # the language switch names each language in its own words
    "share", "adjusted",  # Nature Index's metric, named in Chinese text as “份额”（Share）
    "cnmaps", "james", "mitchell", "crow", "nature",  # a package's, an author's and a journal's name
}


def data_strings() -> list[str]:
    """Every text cell of the data package, longest first: names, places, notes and sources have no Chinese form.

    Also the package's own names: its id, its contributors and the titles of its licences.
    """
    from china_bigscience.nature_index import SEED_CLAIM_TEXT

    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    # The seed article's sentence is quoted as it was written (with a Chinese translation beside it).
    strings: set[str] = {descriptor.get("name", ""), SEED_CLAIM_TEXT}
    strings |= {c.get("title", "") for c in descriptor.get("contributors", [])}
    for resource in [descriptor, *descriptor.get("resources", [])]:
        strings |= {lic.get(key, "") for lic in resource.get("licenses", []) for key in ("title", "name")}
    from china_bigscience.labels import short_peer_name

    peers = pd.read_csv(DATA_DIR / "peers.csv", dtype=str, keep_default_na=False)
    strings |= {short_peer_name(name) for name in peers["name"]}  # the comparison charts' axis names
    for path in DATA_DIR.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            strings.update(v.strip() for v in frame[column] if v.strip())
            strings.update(part.strip() for v in frame[column] for part in v.split(";") if part.strip())
    return sorted(strings, key=len, reverse=True)


def untranslated(texts: list[str], from_data: list[str]) -> list[str]:
    """The pieces of text with English words that are neither data nor allowed words."""
    found = []
    for text in texts:
        rest = ADDRESS.sub(" ", text)
        # A chart axis shortens long data names to their first characters and an ellipsis: still the data's name.
        # Checked before whole values are taken out, which would cut a shortened name's start ('China …').
        for shortened in re.findall(r"[^\n]{6,}…", rest):
            if any(value.startswith(shortened[:-1]) for value in from_data):
                rest = rest.replace(shortened, " ")
        for value in from_data:
            if len(value) > 3 and value in rest:
                rest = rest.replace(value, " ")
        rest = CODE.sub(" ", rest)
        words = {w.lower() for w in ENGLISH_WORD.findall(rest.replace("_", " ")) if w.lower() not in ALLOWED_WORDS}
        if words:
            found.append(f"{text[:160]!r} -> {sorted(words)}")
    return found


def visible_texts(page) -> list[str]:
    """Text of each visible leaf element of the sidebar and the page, and of each chart's SVG text."""
    return page.evaluate("""() => {
        const out = [];
        const roots = document.querySelectorAll('[data-testid="stSidebar"], [data-testid="stMain"]');
        for (const root of roots) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const text = node.textContent.trim();
                const parent = node.parentElement;
                // Material icons are ligatures: their names ("dashboard") are glyphs, not words.
                if (!text || !parent || parent.closest('script, style, [data-testid="stIconMaterial"]')) continue;
                if (getComputedStyle(parent).fontFamily.includes('Material')) continue;
                const box = parent.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;
                out.push(text);
            }
        }
        return out;
    }""")


def new_page(browser, **context_options):
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, **context_options)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and not is_harmless(msg.text) and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return context, page


def open_page(page, url):
    page.goto(url)
    wait_for_app(page)
    page.wait_for_timeout(800)  # let Plotly draw its SVG text


def page_language(page, expected: str, timeout_ms: float = 15000) -> str:
    """<html lang> once the page's language script has run: st.html draws after its lazily loaded module,
    which can come after the script run has ended (seen under load)."""
    try:
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=expected, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - the assertion then shows what the page declares
        pass
    return page.evaluate("document.documentElement.lang")


def with_lang(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang=zh"


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_is_in_chinese_with_lang_zh(server, browser, path):
    context, page = new_page(browser, locale="en-GB")
    try:
        open_page(page, f"{server}/{with_lang(path)}")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page_language(page, "zh-Hans") == "zh-Hans"
        assert HAN.search(page.title()), page.title()
        sidebar = page.locator('[data-testid="stSidebarNav"]').inner_text()
        for title in NAVIGATION:
            assert title in sidebar, title
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
        assert PAGES[path] in heading or HAN.search(heading), heading
        assert untranslated(visible_texts(page), data_strings()) == []
        assert page.console_errors == [], page.console_errors
    finally:
        context.close()


def test_english_stays_the_default_and_marks_the_page_english(server, browser):
    context, page = new_page(browser, locale="en-GB")
    try:
        open_page(page, f"{server}/")
        assert page_language(page, "en") == "en"
        assert "Overview" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "lang=" not in page.url
    finally:
        context.close()


def test_a_chinese_browser_gets_chinese_and_a_link_that_keeps_it(server, browser):
    context, page = new_page(browser, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    try:
        open_page(page, f"{server}/map")
        assert "地图" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'zh'", timeout=15000)
    finally:
        context.close()


def test_a_copied_chinese_link_opens_in_chinese_in_a_new_browser(server, browser):
    context, page = new_page(browser, locale="en-GB")
    try:
        open_page(page, f"{server}/?lang=zh")
        page.locator('[data-testid="stSidebarNav"]').get_by_text("时间线").click()
        page.wait_for_function("() => location.pathname.endsWith('/timeline')", timeout=15000)
        wait_for_app(page)
        copied = page.url
        assert "lang=zh" in copied
    finally:
        context.close()
    fresh_context, fresh = new_page(browser, locale="en-US", extra_http_headers={"Accept-Language": "en-US,en"})
    try:
        open_page(fresh, copied)
        assert page_language(fresh, "zh-Hans") == "zh-Hans"
        assert "时间线" in fresh.locator('[data-testid="stMain"] h1').first.inner_text()
        assert "概览" in fresh.locator('[data-testid="stSidebarNav"]').inner_text()
    finally:
        fresh_context.close()


def test_switching_language_in_the_sidebar_switches_the_page_and_the_link(server, browser):
    context, page = new_page(browser, locale="en-GB")
    try:
        open_page(page, f"{server}/")
        page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
        page.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'zh'", timeout=15000)
        wait_for_app(page)
        assert "概览" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert page_language(page, "zh-Hans") == "zh-Hans"
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.wait_for_function("() => !new URL(location.href).searchParams.has('lang')", timeout=15000)
        wait_for_app(page)
        assert page_language(page, "en") == "en"
        assert "Overview" in page.locator('[data-testid="stSidebarNav"]').inner_text()
    finally:
        context.close()


@pytest.mark.parametrize(("query", "chinese_name"), [("tianyan", "中国天眼"), ("江門", "江门中微子实验")])
def test_pinyin_and_traditional_search_find_facilities_in_the_running_app(server, browser, query, chinese_name):
    context, page = new_page(browser, locale="en-GB")
    try:
        open_page(page, f"{server}/?lang=zh")
        search = page.get_by_placeholder("名称、中文、缩写、拼音、地点")
        search.fill(query)
        page.keyboard.press("Enter")
        page.wait_for_function("(q) => new URL(location.href).searchParams.get('q') === q", arg=query, timeout=15000)
        wait_for_app(page)
        # The Overview counts what the sidebar search selects: exactly one facility.
        assert page.locator('[data-testid="stMetric"]').first.inner_text().splitlines()[-1].strip() == "1"
        # A link with the search opens the profile menu on that one facility, the right one.
        open_page(page, f"{server}/profile?lang=zh&q={query}")
        assert chinese_name in page.locator('[data-testid="stMain"] h2').first.inner_text()
    finally:
        context.close()
