"""The app frame and the overview page, run through Streamlit's AppTest (no browser, no server)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.page_list import PAGE_SCRIPTS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")

PAGES = list(PAGE_SCRIPTS)


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    if query:
        at.query_params.update(query)
    return at


def metric_value(at: AppTest, label: str) -> str:
    for metric in at.metric:
        if metric.label == label:
            return metric.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def test_overview_default_shows_all_facilities(catalogue):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "China's big-science facilities"
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"
    headers = [h.value for h in at.header]
    assert "What the data shows" in headers


def test_every_page_runs_with_default_filters():
    at = app().run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, f"{page} has no title"
        # The footer with the sources link is on every page.
        assert any("cited sources" in caption.value for caption in at.caption), page


@pytest.mark.parametrize(
    "selection",
    [
        {"province": ["Sichuan"]},
        {"field": ["photon science"], "province": ["Beijing", "Shanghai"]},
        {"status": ["under construction"]},
        {"q": "江门"},
    ],
)
def test_filter_combinations_change_the_counts(catalogue, selection):
    at = app().run()
    for key, value in selection.items():
        if key == "q":
            at.text_input(key="q").input(value)
        else:
            at.multiselect(key=key).set_value(value)
    at.run()
    assert not at.exception
    expected = filter_facilities(
        catalogue.facilities,
        FacilityFilter(
            provinces=tuple(selection.get("province", ())), fields=tuple(selection.get("field", ())),
            statuses=tuple(selection.get("status", ())), text=selection.get("q", ""),
        ),
    )
    assert 0 < len(expected) < len(catalogue.facilities)
    assert metric_value(at, "Facilities") == f"{len(expected):,}"


def test_filters_survive_a_page_change():
    at = app().run()
    at.multiselect(key="province").set_value(["Sichuan"]).run()
    at.switch_page("pages/explorer.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.multiselect(key="province").value == ["Sichuan"]


def test_nothing_matches_says_so_and_offers_reset(catalogue):
    at = app().run()
    at.text_input(key="q").input("no such facility anywhere").run()
    assert not at.exception
    assert any("No facilities match" in info.value for info in at.info)
    reset = [b for b in at.button if b.label == "Reset filters" and b.key != "reset-sidebar"]
    assert reset
    reset[0].click().run()
    assert at.text_input(key="q").value == ""
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"


def test_link_values_restore_filters():
    at = app({"province": "Sichuan"}).run()
    assert not at.exception
    assert at.multiselect(key="province").value == ["Sichuan"]
    assert not at.warning


@pytest.mark.parametrize(
    "query,named",
    [({"province": "Atlantis"}, "'Atlantis'"), ({"years": "abc"}, "'abc'"), ({"field": "alchemy"}, "'alchemy'")],
)
def test_bad_link_values_are_ignored_with_a_notice(catalogue, query, named):
    at = app(query).run()
    assert not at.exception
    # Notices are Markdown-escaped; read them as a person sees them.
    assert any(named in w.value.replace("\\", "") for w in at.warning), [w.value for w in at.warning]
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"


@pytest.mark.parametrize("years", [["2015"], ["2010-2000"], ["abc", "2000"], ["1000", "2010"]])
def test_year_links_the_slider_cannot_read_are_named_and_all_years_shown(catalogue, years):
    at = app({"years": years}).run()
    assert not at.exception
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert len(notices) == 1 and "link's years value" in notices[0] and "All years" in notices[0], notices
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"


def test_reversed_year_link_is_applied_in_order_with_a_notice(catalogue):
    at = app({"years": ["2010", "2000"]}).run()
    assert not at.exception
    assert at.slider(key="years").value == (2000, 2010)
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert len(notices) == 1 and "reversed; applied as 2000–2010" in notices[0]
    started = catalogue.facilities["construction_start"]
    expected = int(started.between(2000, 2010).sum())
    assert expected > 0
    assert metric_value(at, "Facilities") == f"{expected:,}"
    # The notice stays for the session; another rerun keeps the corrected range.
    at.run()
    assert at.slider(key="years").value == (2000, 2010)


def test_seed_claims_are_checked_from_the_data():
    at = app().run()
    # Data strings are shown Markdown-escaped; read them as a person sees them.
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "world's deepest underground laboratory" in text
    assert "Natural sciences (82 journals)" in text


# --- The whole view in the link -------------------------------------------------------------------

def open_share_box(at: AppTest) -> AppTest:
    """The footer's share box opened, as a click does (its link and citation are built only while it is open)."""
    from china_bigscience.ui import SHARE_BOX_KEY

    if not any(block.value.startswith("Accessed") or "data=" in block.value for block in at.code):
        at.session_state[SHARE_BOX_KEY] = True
        at.run()
    return at


def test_the_share_box_is_built_only_when_opened():
    # Its st.code blocks load the browser's syntax highlighter (1.5 MB of JavaScript): not on every first view.
    at = app().run()
    assert not at.code
    assert open_share_box(at).code


def share_link_of(at: AppTest) -> str:
    open_share_box(at)
    links = [block.value for block in at.code if "data=" in block.value and block.value.split("?", 1)[0].count(" ") == 0]
    assert links, [block.value for block in at.code]
    return links[0]


def open_link(link: str, page: str) -> AppTest:
    from urllib.parse import parse_qs

    at = app(parse_qs(link.split("?", 1)[1], keep_blank_values=True)).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_the_share_link_restores_the_timeline_view():
    at = app({"province": "Sichuan"}).run()
    at.switch_page("pages/timeline.py").run()
    at.segmented_control(key="timeline_group_by").set_value("province").run()
    at.multiselect(key="timeline_milestone_kinds").set_value(["discovery", "record"]).run()
    low = int(at.slider(key="as_of_year_slider").min)
    at.slider(key="as_of_year_slider").set_value(low + 5).run()
    link = share_link_of(at)
    fresh = open_link(link, "pages/timeline.py")
    assert fresh.multiselect(key="province").value == ["Sichuan"]
    assert fresh.segmented_control(key="timeline_group_by").value == "province"
    assert fresh.multiselect(key="timeline_milestone_kinds").value == ["discovery", "record"]
    assert fresh.slider(key="as_of_year_slider").value == low + 5
    assert not fresh.warning


def test_the_share_link_restores_a_compare_measure_and_the_nature_index_year():
    from china_bigscience.comparisons import COMPARISONS

    key, comparison = next((k, c) for k, c in COMPARISONS.items() if len(c.measures) > 1)
    widget_key = f"compare-measure-{key}"
    at = app().run()
    at.switch_page("pages/compare.py").run()
    at.segmented_control(key=widget_key).set_value(comparison.measures[-1]).run()
    fresh = open_link(share_link_of(at), "pages/compare.py")
    assert fresh.segmented_control(key=widget_key).value == comparison.measures[-1]

    at.switch_page("pages/nature_index.py").run()
    years = [int(option) for option in at.segmented_control(key="ni-institution-year").options]
    assert len(years) > 1
    at.segmented_control(key="ni-institution-year").set_value(years[0]).run()
    fresh = open_link(share_link_of(at), "pages/nature_index.py")
    assert fresh.segmented_control(key="ni-institution-year").value == years[0]


def test_the_share_link_writes_the_year_range_and_the_data_version_even_at_their_defaults(catalogue):
    from china_bigscience import ui

    at = app().run()
    link = share_link_of(at)
    low, high = ui.year_bounds(catalogue)
    assert f"years={low}&years={high}" in link
    assert f"data={catalogue.descriptor['version']}" in link
    # The bounds come from the data, not from today's date.
    years = catalogue.facilities[["construction_start", "first_operation"]].stack()
    assert (low, high) == (int(years.min()), int(years.max()))


def test_the_citation_holds_the_link_the_data_version_and_the_date(catalogue):
    import datetime as dt

    at = open_share_box(app({"province": "Sichuan"}).run())
    citation = next(block.value for block in at.code if "Accessed" in block.value and "Overview" in block.value)
    assert share_link_of(at) in citation
    assert f"version {catalogue.descriptor['version']}" in citation
    assert dt.date.today().isoformat() in citation and "Province: Sichuan" in citation


def test_a_link_from_another_data_version_opens_with_a_notice(catalogue):
    at = app({"data": "0.0.1-old"}).run()
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert len(notices) == 1 and "made with version '0.0.1-old'" in notices[0], notices
    assert not app({"data": catalogue.descriptor["version"]}).run().warning


def test_an_unknown_parameter_and_a_page_value_that_cannot_be_applied_are_named():
    at = app({"colour": "red", "timeline_group_by": "nonsense"}).run()
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert notices == ["The link's parameter 'colour' is not a setting of this dashboard and was ignored."]
    at.switch_page("pages/timeline.py").run()
    shown = [w.value.replace("\\", "") for w in at.warning]
    assert "The link's timeline_group_by value 'nonsense' could not be applied here; showing 'field'." in shown
    assert at.segmented_control(key="timeline_group_by").value == "field"


def test_a_valid_page_value_from_the_link_gives_no_notice():
    at = app({"timeline_group_by": "province", "as_of_year_slider": "2010"}).run()
    at.switch_page("pages/timeline.py").run()
    assert not at.warning
    assert at.segmented_control(key="timeline_group_by").value == "province"
    assert at.slider(key="as_of_year_slider").value == 2010


def test_national_list_and_completeness_links_restore_the_filters(catalogue):
    at = app({"national": "on the list", "complete": "70"}).run()
    assert not at.exception
    assert at.multiselect(key="national").value == ["on the list"]
    assert at.slider(key="complete").value == 70
    assert not at.warning
    expected = filter_facilities(catalogue.facilities, FacilityFilter(national_list=("on the list",), min_completeness=70))
    assert 0 < len(expected) < len(catalogue.facilities)
    assert metric_value(at, "Facilities") == f"{len(expected):,}"


@pytest.mark.parametrize("query,named", [({"national": "maybe"}, "'maybe'"), ({"complete": "75"}, "'75'"),
                                         ({"ftype": "castle"}, "'castle'")])
def test_bad_national_list_and_completeness_links_are_named(catalogue, query, named):
    at = app(query).run()
    assert not at.exception
    assert any(named in w.value.replace("\\", "") for w in at.warning), [w.value for w in at.warning]
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"


def test_functional_type_filter_and_reset(catalogue):
    at = app().run()
    at.multiselect(key="ftype").set_value(["public experimental platform"]).run()
    assert not at.exception
    expected = int((catalogue.facilities["functional_type"] == "public experimental platform").sum())
    assert metric_value(at, "Facilities") == f"{expected:,}"
    at.button(key="reset-sidebar").click().run()
    assert at.multiselect(key="ftype").value == [] and at.slider(key="complete").value == 0
    assert metric_value(at, "Facilities") == f"{len(catalogue.facilities):,}"


def test_sources_page_shows_quality_classes_and_the_national_list(catalogue):
    at = app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert "How good the sources are" in [h.value for h in at.header]
    quality = next(frame.value for frame in at.dataframe if list(frame.value.columns) == ["Quality", "Sources", "Share"])
    assert quality["Sources"].sum() == len(catalogue.sources)
    usage = next(frame.value for frame in at.dataframe if "cited by facilities" in frame.value.columns)
    assert list(usage.columns[:2]) == ["id", "quality"]
    on_list = int(catalogue.facilities["on_national_list"].fillna(False).astype(bool).sum())
    assert any(f"{on_list} of the {len(catalogue.facilities)} facilities" in m.value for m in at.markdown)


def test_pages_said_not_to_read_the_filters_do_not():
    # Their filter change reruns only the sidebar (dashboard.py): a page reading the filter would go stale.
    from china_bigscience.page_list import PAGES

    readers = ("current_filter", "selected_facilities", "shown_filter", "FILTER_STATE_KEY", "filtered=True")
    unfiltered = [entry for entry in PAGES if not entry.reads_filters]
    assert {entry.name for entry in unfiltered} == {"nature_index", "sources"}
    for entry in unfiltered:
        source = (Path(__file__).resolve().parent.parent / entry.script).read_text(encoding="utf-8")
        assert not [word for word in readers if word in source], entry.script
