"""Bad input never reaches a reader as a traceback, and data strings are never run as HTML.

- Seeded random combinations of filter values and URL parameters (valid, unknown and
  malformed) over every page, through AppTest.
- A fixture catalogue whose facility is named `<img src=x onerror=alert(1)>`: it must show
  as text everywhere (checked here in the rendered elements, and in a browser by
  test_browser_hostile_name).
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from china_bigscience import DATA_DIR
from china_bigscience.catalogue import load_catalogue
from china_bigscience.safe_text import escape_markdown
from china_bigscience.page_list import FILTER_LINK_PARAMS, PAGE_SCRIPTS
from china_bigscience.page_list import PAGES as PAGE_ENTRIES

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = list(PAGE_SCRIPTS)
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_ACRONYM = "![x](http://127.0.0.1:9/tracker.png)"
# An address no test server listens on: a request for it, or a link to it, can only come from a payload.
TRACKER = "http://127.0.0.1:9"
MARKDOWN = MarkdownIt("commonmark", {"html": True})
# What the pages' own Markdown draws; an <img>, <script> or <iframe> can only come from a payload.
PAGE_OWN_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote", "br", "h1", "h2", "h3", "hr"}

JUNK = ["Atlantis", "![x](http://127.0.0.1:9/p.png)", "[a](http://127.0.0.1:9/x)", "", " ", "<script>alert(1)</script>", "'; DROP TABLE x;--", "%00", "🙂", "9" * 40, "abc", "-1",
        "1984-2030-2040", "NaN", "None", "[]", "{}"]


def random_query(rng: random.Random, catalogue) -> dict:
    """A link a reader (or a bot) might open: some real values, some unknown, some malformed."""
    query: dict[str, object] = {}
    pools = {
        "province": catalogue.province_names,
        "field": catalogue.fields,
        "status": catalogue.statuses,
    }
    for key, pool in pools.items():
        if rng.random() < 0.6:
            values = rng.sample(pool, k=rng.randint(1, 3)) + ([rng.choice(JUNK)] if rng.random() < 0.3 else [])
            query[key] = values if len(values) > 1 else values[0]
    if rng.random() < 0.5:
        low = rng.randint(1950, 2035)
        query["years"] = rng.choice([[str(low), str(low + rng.randint(0, 20))], [rng.choice(JUNK)], [str(low)]])
    if rng.random() < 0.3:
        query["basis"] = rng.choice(["construction", "operation", rng.choice(JUNK)])
    if rng.random() < 0.4:
        query["q"] = rng.choice(["juno", "江门", "zzz", rng.choice(JUNK)])
    if rng.random() < 0.3:
        query["facility"] = rng.choice(["juno", "ghost", rng.choice(JUNK)])
    return query


@pytest.mark.parametrize("seed", range(24))
def test_random_links_over_every_page_never_raise(catalogue, seed):
    rng = random.Random(seed)
    query = random_query(rng, catalogue)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params.update(query)
    at.run()
    assert not at.exception, (query, [e.value for e in at.exception])
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (query, page, [e.value for e in at.exception])
        assert at.title, (query, page)


@pytest.fixture(scope="module")
def hostile_data_dir(tmp_path_factory) -> Path:
    """A copy of data/ in which JUNO's names are an HTML injection attempt."""
    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA_DIR, target)
    path = target / "facilities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == "juno":
            row["name_en"] = HOSTILE_NAME
            row["acronym"] = HOSTILE_ACRONYM
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    load_catalogue(target)  # the fixture itself is valid data
    return target


def markdown_sources(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown: texts, alerts, headings, button labels."""
    texts = [element.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                        "error", "success") for element in getattr(at, kind)]
    return texts + [button.label for button in at.button]


def assert_no_live_markup(at: AppTest, page: str, address: str = TRACKER) -> None:
    """Rendered as Streamlit's Markdown would be (CommonMark, raw HTML on): no image, no tag from the payloads, no link to ``address``."""
    for text in markdown_sources(at):
        rendered = MARKDOWN.render(text)
        assert "<img" not in rendered, (page, text)
        assert set(re.findall(r"<([a-z0-9]+)", rendered)) <= PAGE_OWN_TAGS, (page, text)
        assert f'href="{address}' not in rendered and f"src=\"{address}" not in rendered, (page, text)


def test_hostile_name_is_text_in_every_page(hostile_data_dir, monkeypatch):
    import china_bigscience.ui as ui

    monkeypatch.setattr(ui, "DATA_DIR", hostile_data_dir)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=120)
        at.query_params.update({"facility": "juno"})
        at.run()
        shown_escaped = []
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, page
            assert_no_live_markup(at, page)
            sources = markdown_sources(at)
            assert not any(HOSTILE_NAME in text for text in sources), page
            shown_escaped += [page for text in sources if escape_markdown(HOSTILE_NAME) in text]
        # The names are really on the pages (so the checks above looked at them), shown literally.
        assert "pages/profile.py" in shown_escaped
    finally:
        ui._cached_catalogue.clear()


# Every parameter a page reads (a prefix such as "compare-measure-" stands for one per comparison).
LINK_PARAMETERS = tuple(FILTER_LINK_PARAMS) + tuple(
    name + ("depth" if name.endswith("-") else "") for page in PAGE_ENTRIES for name in page.link_params)
CRAFTED = {
    "image": f"![x]({TRACKER}/tracker.png)",
    "link": f"[text]({TRACKER}/x)",
    "html": f'<img src="{TRACKER}/i.png" onerror=alert(1)>',
    "long": "![" + "y" * 3000 + f"]({TRACKER}/long.png)",
}


@pytest.mark.parametrize("payload", list(CRAFTED.values()), ids=list(CRAFTED))
def test_crafted_link_values_are_shown_as_text_on_every_page(payload):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params.update({key: payload for key in LINK_PARAMETERS})
    at.run()
    assert not at.exception
    # Each parameter is named in a notice, quoted literally and cut short.
    notices = " ".join(warning.value for warning in at.warning)
    for key in ("province", "field", "status", "years", "basis"):
        assert escape_markdown(f"link's {key}") in notices, (key, notices)
    assert all(len(warning.value) < 600 for warning in at.warning)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert_no_live_markup(at, page)


def test_broken_data_file_stops_the_app_naming_the_place(tmp_path, monkeypatch):
    import china_bigscience.ui as ui

    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    path = broken / "facilities.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[3]]))
    row[header.index("altitude_m")] = "very high"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines[:3])
        csv.writer(handle, lineterminator="\n").writerow(row)
        handle.writelines(lines[4:])
    monkeypatch.setattr(ui, "DATA_DIR", broken)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
        assert not at.exception
        assert at.error and "did not pass validation" in at.error[0].value
        shown = " ".join(block.value for block in at.code)
        assert "facilities.csv, row 4, column 'altitude_m': value 'very high'" in shown
    finally:
        ui._cached_catalogue.clear()


def test_a_broken_data_file_is_validated_once_per_state_of_the_files(tmp_path, monkeypatch):
    import china_bigscience.ui as ui

    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    facilities = broken / "facilities.csv"
    good_text = facilities.read_text(encoding="utf-8")
    facilities.write_text(good_text.replace(",", ";", 5), encoding="utf-8")
    validations = []
    real_validate = ui.validate_in_child_process
    monkeypatch.setattr(ui, "validate_in_child_process", lambda path: (validations.append(path), real_validate(path)))
    monkeypatch.setattr(ui, "DATA_DIR", broken)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
        assert at.error and "did not pass validation" in at.error[0].value
        for page in ("pages/map.py", "pages/timeline.py"):
            at.switch_page(page).run()
            assert at.error and "did not pass validation" in at.error[0].value
        AppTest.from_file(DASHBOARD, default_timeout=120).run()  # another reader
        assert len(validations) == 1, validations
        # Fixing the file is a new state: validated again, and the app works.
        facilities.write_text(good_text, encoding="utf-8")
        at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
        assert not at.error and not at.exception and at.title
        assert len(validations) == 2
    finally:
        ui._cached_catalogue.clear()


def test_a_validation_passed_in_setup_is_not_repeated_and_a_failure_never_noted(tmp_path, monkeypatch):
    """`make run` validates while it sets up (the validate command notes the pass): the server's first reader
    does not wait for a second validation. A broken file gets no note, so it is named at every start."""
    import china_bigscience.ui as ui
    from china_bigscience.__main__ import main
    from china_bigscience.validation_notes import data_files_state, passed_before, validate_unless_noted

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    assert main(["validate", "--data-dir", str(data)]) == 0
    assert passed_before(data, data_files_state(data))
    assert validate_unless_noted(data) is None  # a second `make run` does not validate it again
    validations = []
    monkeypatch.setattr(ui, "validate_in_child_process", validations.append)
    monkeypatch.setattr(ui, "DATA_DIR", data)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
        assert not at.error and not at.exception and at.title
        assert validations == []
    finally:
        ui._cached_catalogue.clear()
    facilities = data / "facilities.csv"
    facilities.write_text(facilities.read_text(encoding="utf-8").replace(",", ";", 5), encoding="utf-8")
    assert main(["validate", "--data-dir", str(data)]) == 1
    assert not passed_before(data, data_files_state(data))
