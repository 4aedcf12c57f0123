"""The running app in headless Chromium: what a person sees.

Starts `streamlit run dashboard.py` on a free 127.0.0.1 port once for the module
and drives it with Playwright through Debian's chromium. Not skipped in CI:
`make test` installs chromium first.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from china_bigscience.page_list import FILTER_LINK_PARAMS, PAGES
from tools.app_server import running_app
from tools.browser import is_harmless, wait_for_app

pytestmark = pytest.mark.browser

# Every page; the profile with a facility to show.
PAGE_PATHS = [page.url_path + ("?facility=juno" if page.name == "profile" else "") for page in PAGES]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and not is_harmless(msg.text) and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    # Offline by default: nothing may be fetched from anywhere but the app itself.
    page.on("request", lambda request: request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            or page.console_errors.append(f"external request: {request.url}"))
    yield page
    context.close()


def open_page(page, url):
    page.goto(url)
    wait_for_app(page)


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_draws_without_errors(server, page, path):
    open_page(page, f"{server}/{path}")
    assert page.locator('[data-testid="stException"]').count() == 0
    drawn = ('[data-testid="stPlotlyChart"] .main-svg, [data-testid="stDeckGlJsonChart"] canvas, '
             '[data-testid="stMetric"], [data-testid="stDataFrame"], [data-testid="stTable"]')
    page.locator(drawn).first.wait_for(timeout=30000)
    assert page.console_errors == [], page.console_errors


def test_filter_change_redraws(server, page):
    open_page(page, f"{server}/")
    before = page.locator('[data-testid="stMetric"]').first.inner_text()
    page.get_by_placeholder("Name, 中文, acronym, place").fill("JUNO")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'JUNO'", timeout=15000)
    wait_for_app(page)
    after = page.locator('[data-testid="stMetric"]').first.inner_text()
    assert before != after and after.splitlines()[-1].strip() == "1", (before, after)


def test_a_filter_change_on_a_page_it_does_not_change_keeps_the_links_and_the_other_pages_true(server, page):
    # There only the sidebar reruns (dashboard.py; timed in the benchmark): what is drawn outside it must not lag.
    open_page(page, f"{server}/nature_index")
    main_before = page.locator('[data-testid="stMain"] h1').first.inner_text()
    search = page.get_by_placeholder("Name, 中文, acronym, place")
    search.fill("JUNO")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'JUNO'", timeout=15000)
    wait_for_app(page)
    # The sidebar's language link carries the new search (the sidebar reran) ...
    expect(page.locator('[data-testid="stSidebar"] nav[aria-label="Language"] a[hreflang="zh-Hans"]')).to_have_attribute(
        "href", re.compile(r"q=JUNO"))
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == main_before
    # ... and the open share box shows the link of the view: opening it reruns the app, a change then too.
    page.get_by_text("Share or cite this view").click()
    wait_for_app(page)
    expect(page.locator('[data-testid="stMain"] [data-testid="stCode"]').first).to_contain_text("q=JUNO")
    search.fill("FAST")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'FAST'", timeout=15000)
    wait_for_app(page)
    expect(page.locator('[data-testid="stMain"] [data-testid="stCode"]').first).to_contain_text("q=FAST")
    # Another page then applies the filter chosen here.
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Overview").click()
    page.wait_for_function("() => !location.pathname.endsWith('/nature_index')", timeout=15000)
    wait_for_app(page)
    expect(page.locator('[data-testid="stMetric"]').first).to_contain_text("1")
    assert page.console_errors == [], page.console_errors


def test_copied_link_restores_filters_in_a_new_context(server, browser, page):
    open_page(page, f"{server}/?province=Sichuan")
    page.get_by_placeholder("Name, 中文, acronym, place").fill("lhaaso")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'lhaaso'", timeout=15000)
    wait_for_app(page)
    copied = page.url
    assert "province=Sichuan" in copied and "q=lhaaso" in copied

    other = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        fresh = other.new_page()
        open_page(fresh, copied)
        # The first run of a fresh session may be followed by the frame's own rerun: wait for the view to settle.
        expect(fresh.locator('[data-testid="stSidebar"]')).to_contain_text("Sichuan", timeout=20000)
        expect(fresh.get_by_placeholder("Name, 中文, acronym, place")).to_have_value("lhaaso", timeout=20000)
        wait_for_app(fresh)
        assert fresh.locator('[data-testid="stMetric"]').first.inner_text().splitlines()[-1].strip() == "1"
    finally:
        other.close()


def test_bad_link_value_shows_a_notice(server, page):
    open_page(page, f"{server}/?province=Atlantis&years=abc")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    text = " ".join(alerts)
    assert "Atlantis" in text and "abc" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == [], page.console_errors


def test_phone_width_collapses_the_sidebar(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        phone = context.new_page()
        open_page(phone, f"{server}/")
        sidebar = phone.locator('[data-testid="stSidebar"]')
        assert sidebar.get_attribute("data-collapsed") == "true"
        # Nothing wider than the screen: the page does not scroll sideways.
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
    finally:
        context.close()


def test_deep_links_on_a_fresh_server_run_inside_the_frame(browser):
    """The first visitors of a new server open deep links at the same time: each gets the frame and its filter.

    (Streamlit starts an app with a pages/ folder in its old pages-directory mode; see ui.require_frame.)
    """
    with running_app() as (base_url, _process):
        contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in range(3)]
        try:
            pages = [context.new_page() for context in contexts]
            links = ["timeline?province=Sichuan", "explorer?province=Beijing", "compare?province=Anhui"]
            for page, link in zip(pages, links):
                page.goto(f"{base_url}/{link}", wait_until="commit")
            for page, link in zip(pages, links):
                wait_for_app(page)
                province = link.split("=")[1]
                sidebar = page.locator('[data-testid="stSidebar"]')
                sidebar.get_by_text("Reset filters").wait_for(timeout=60000)  # the frame's sidebar is there
                assert province in sidebar.inner_text(), link
                assert f"Province: {province}" in page.locator('[data-testid="stMain"]').inner_text(), link
        finally:
            for context in contexts:
                context.close()


# An address no test server listens on: a request for it, or a link to it, can only come from a crafted link.
TRACKER = "http://127.0.0.1:9"
CRAFTED_LINKS = {
    "image": f"![x]({TRACKER}/tracker.png)",
    "link": f"[text]({TRACKER}/x)",
    "html": f'<img src="{TRACKER}/i.png">',
}
# Every parameter a page reads (a prefix such as "compare-measure-" stands for one per comparison).
LINK_PARAMETERS = tuple(FILTER_LINK_PARAMS) + tuple(
    name + ("depth" if name.endswith("-") else "") for page in PAGES for name in page.link_params if name != "facility")


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_crafted_links_draw_no_image_or_link_and_fetch_nothing(server, browser, path):
    """Every link parameter carries each payload at once; the page shows it as text and asks nothing of the address."""
    from urllib.parse import urlencode

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        asked = []
        page.on("request", lambda request: TRACKER.removeprefix("http://") in request.url and asked.append(request.url))
        for name, payload in CRAFTED_LINKS.items():
            query = urlencode({key: payload for key in LINK_PARAMETERS})
            open_page(page, f"{server}/{path}{'&' if '?' in path else '?'}{query}")
            page.wait_for_timeout(500)  # time for an image the page might have drawn to be requested
            assert page.locator('[data-testid="stException"]').count() == 0, (path, name)
            drawn = page.locator(f'img[src*="127.0.0.1:9"], a[href*="127.0.0.1:9"], [style*="127.0.0.1:9"]').count()
            assert drawn == 0, (path, name)
            # The notices quote the payload as text.
            alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
            assert payload[:8] in alerts, (path, name, alerts[:300])
        assert asked == [], (path, asked)
    finally:
        context.close()


def test_new_non_physics_profile_shows_national_list_completeness_and_source_quality(server, page):
    # The Shanghai protein science facility: life sciences, on the national list, added with the national facilities.
    open_page(page, f"{server}/profile?facility=protein_shanghai")
    bar = page.locator('[data-testid="stProgress"]')
    bar.wait_for(timeout=30000)
    assert bar.count() == 1 and "key facts known" in bar.inner_text()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "On China's national list of major S&T infrastructure (国家重大科技基础设施). Sources: " in text
    assert "life sciences & medicine" in text
    # The sources grid has a Quality column (the grid is a canvas: read its column header names).
    page.locator('[data-testid="stDataFrame"]').last.wait_for(timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == [], page.console_errors
