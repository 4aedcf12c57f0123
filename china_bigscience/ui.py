"""The package's only Streamlit module: cached loading, the global filter state, and shared widgets.

Pages import from here to get the catalogue, the reader's current selection and
the "chart with its title, source, alt text, data and downloads" block, so that
every chart on every page behaves the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from china_bigscience import DATA_DIR, FILE_PREFIX, PROJECT_DIR
from china_bigscience.catalogue import Catalogue, DataValidationError, Problem, load_catalogue
from china_bigscience.charts import Chart, escape_markdown
from china_bigscience.validation_notes import data_files_state, passed_before
from china_bigscience.i18n import (
    ENGLISH,
    LANGUAGES,
    Translator,
    choose_language,
    html_lang_script,
    language_links_html,
    link_label_table,
    switched_query,
)
from china_bigscience.memo_keys import digest_once, memo_key, remember_content_digest
from china_bigscience.page_list import FILTER_LINK_PARAMS
from china_bigscience.filters import (
    FUNCTIONAL_TYPE_CHOICES,
    FacilityFilter,
    LinkReading,
    filter_facilities,
    filter_year_bounds,
    quoted,
    slugify,
)
from china_bigscience.national_list import NATIONAL_LIST_STATES, functional_type_label

FILTER_STATE_KEY = "facility_filter"
FILTER_KEYS = FILTER_LINK_PARAMS  # the sidebar's bound widgets, one home in page_list
NOTICES_KEY = "link_notices"
# Set by dashboard.py while it runs the page: a page that runs without it was started bare (see require_frame).
FRAME_RUNNING_KEY = "_frame_running"


def validate_in_child_process(data_dir: Path) -> None:
    """Run the full validation (frictionless, shapely) in a child process; raise DataValidationError on failure.

    The validator and what it allocates stay out of the long-lived server: measured here,
    validating in-process left the server ~50 MB larger for its whole life.
    """
    result = subprocess.run(
        [sys.executable, "-m", "china_bigscience", "validate", "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=600, cwd=PROJECT_DIR,
    )
    if result.returncode != 0:
        raise DataValidationError([Problem(str(data_dir), None, None, None,
                                           (result.stderr or result.stdout).strip() or "a valid data package")])


@st.cache_resource(show_spinner="Loading and checking the data…", max_entries=4)
def _catalogue_or_error(data_dir: str, state: tuple) -> Catalogue | DataValidationError:
    """Validate once per state of the data files, and keep the outcome: the catalogue, or the error.

    A state validated before (by `make run`'s setup, or by an earlier server) is not validated again
    (validation_notes). The error is kept (returned, not raised) because Streamlit does not cache a raised
    exception: a broken file would otherwise start a validator child process on every page view of every reader.
    """
    if not passed_before(Path(data_dir), state):
        try:
            validate_in_child_process(Path(data_dir))  # the child notes a pass
        except DataValidationError as error:
            return error
    return load_catalogue(data_dir, validate=False)


# What a run looks up once, kept in the session for the rest of that run: dashboard.py starts each full run afresh
# (start_run). The catalogue and the Translator were looked up a dozen times per run (every chart's camera
# names and download buttons ask), each time statting every data file: 40 ms of a warm rerun (profiled).
RUN_MEMO_KEY = "_this_run"


def _once_per_run(name: str, compute):
    memo = st.session_state.get(RUN_MEMO_KEY)
    if memo is None:  # a page run alone (tests), outside the frame
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def _cached_catalogue() -> Catalogue:
    """The validated catalogue of DATA_DIR in its current state (raises its DataValidationError, validated once)."""
    outcome = _once_per_run("catalogue", lambda: _catalogue_or_error(str(DATA_DIR), data_files_state(DATA_DIR)))
    if isinstance(outcome, DataValidationError):
        raise outcome
    return outcome


_cached_catalogue.clear = _catalogue_or_error.clear  # tests switch DATA_DIR and start afresh


def require_frame() -> None:
    """Make sure the page runs inside dashboard.py's frame (navigation, filters, footer).

    Because the design keeps page scripts in ``pages/``, Streamlit treats the app as an
    old-style "pages directory" app until some session has run ``st.navigation``: the
    first visitor of a deep link (``/map?province=Sichuan``) on a fresh server, and every
    AppTest run, would get the bare page script without the frame and its filters. A page
    that finds itself in that mode switches Streamlit to navigation mode and reruns, which
    runs dashboard.py (and so the requested page inside it).
    """
    # Ask "did the frame run?", not "is Streamlit in pages-directory mode?": when several sessions
    # open deep links at once on a fresh server, one of them switches the mode while the others
    # are already running their bare page scripts, and those must rerun too.
    if not st.session_state.get(FRAME_RUNNING_KEY):
        leave_pages_directory_mode()
        st.rerun()


def leave_pages_directory_mode() -> None:
    """Switch Streamlit out of its "pages directory" mode, through the private attribute 1.67 has.

    Fails loudly if that attribute is gone (a Streamlit upgrade): assigning it anyway would only
    create a new attribute that Streamlit never reads, and every deep link would rerun forever.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if "uses_pages_directory" not in vars(PagesManager):
        raise RuntimeError(
            f"Streamlit {st.__version__} has no PagesManager.uses_pages_directory, which ui.require_frame needs "
            "to run pages inside dashboard.py. Install the Streamlit version pinned in requirements.txt, or "
            "rename pages/ so Streamlit never enters its pages-directory mode and delete require_frame."
        )
    PagesManager.uses_pages_directory = False


# --- The reader's language -----------------------------------------------------------------

LANGUAGE_KEY = "_language"
LANGUAGE_PARAM = "lang"


def language() -> str:
    """The session's language: the link's ?lang=, else what the browser asks for, else English (chosen once).

    A Chinese browser opening a link without ?lang= gets Chinese, and ?lang=zh is added to the
    link, so that the address it copies opens in Chinese for anyone.
    """
    if LANGUAGE_KEY not in st.session_state:
        link_value = st.query_params.get(LANGUAGE_PARAM)
        headers = st.context.headers
        chosen = choose_language(link_value, headers.get("Accept-Language") if headers else None, st.context.locale)
        st.session_state[LANGUAGE_KEY] = chosen
    chosen = st.session_state[LANGUAGE_KEY]
    # Every run: moving to another page drops parameters no widget is bound to, and the link must keep it.
    if chosen != ENGLISH.language and st.query_params.get(LANGUAGE_PARAM) != chosen:
        st.query_params[LANGUAGE_PARAM] = chosen
    return chosen


@st.cache_resource(show_spinner=False, max_entries=8)
def _translator(language_code: str, _provinces: pd.DataFrame, provinces_key: str) -> Translator:
    return Translator(language_code).with_provinces(_provinces)


def translator() -> Translator:
    """The session's Translator, knowing the provinces' Chinese names (one per language and data version)."""
    try:
        provinces = _cached_catalogue().provinces
    except DataValidationError:
        return Translator(language())
    return _once_per_run("translator", lambda: _translator(
        language(), provinces, str(len(provinces)) + str(provinces.iloc[:, 0].tolist())))


def declare_page_language(tr: Translator) -> None:
    """<html lang> of the page (Streamlit writes "en" and offers no setting: streamlit#15726)."""
    st.html(html_lang_script(tr.language), unsafe_allow_javascript=True)


def bound_label_tables(catalogue: Catalogue) -> dict[str, dict[str, dict[str, str]]]:
    """For each sidebar filter bound to the link: {value: {language: label}} (bound widgets write the label)."""
    translators = tuple(Translator(code).with_provinces(catalogue.provinces) for code in LANGUAGES)
    return {
        "province": link_label_table({p: lambda v, t: t.province(v) for p in catalogue.province_names}, translators),
        "field": link_label_table({f: lambda v, t: t.field(v) for f in catalogue.fields}, translators),
        "status": link_label_table({s: lambda v, t: t.status(v) for s in catalogue.statuses}, translators),
        "basis": link_label_table({b: lambda v, t: t.value("year_basis", v) for b in ("construction", "operation")},
                                  translators),
        "national": link_label_table({s: lambda v, t: t.value("national_list", v) for s in NATIONAL_LIST_STATES},
                                     translators),
        "ftype": link_label_table({f: lambda v, t: functional_type_label(v, t) for f in FUNCTIONAL_TYPE_CHOICES},
                                  translators),
    }


def language_switch(catalogue: Catalogue, tr: Translator) -> None:
    """English · 中文 in the sidebar: links to this same view in the other language (filters kept)."""
    params = view_params(catalogue, translated_page_params=False)
    tables = bound_label_tables(catalogue)
    queries = {code: urlencode(switched_query(params, tables, code), doseq=True) for code in LANGUAGES}
    st.html(language_links_html(tr.language, queries, tr("sidebar.language")))


def get_catalogue() -> Catalogue:
    """The validated catalogue, loaded once per server. A data error stops the page with the error's place named."""
    require_frame()
    try:
        catalogue = _cached_catalogue()
    except DataValidationError as error:
        st.error(Translator(language())("app.validation_failed"))
        st.code(str(error), language=None)
        stop()
        raise  # unreachable: st.stop() raises
    digest_once(catalogue)  # once per catalogue: its tables are then keyed without hashing them again
    from streamlit import runtime

    if runtime.exists():  # a real server (not AppTest): have the image engine ready before the first download
        from china_bigscience import export, search_text

        export.warm_up_in_background()
        search_text.warm_up_in_background(catalogue.facilities)
    return catalogue


BEFORE_EARLY_STOP_KEY = "_before_early_stop"


def before_early_stop(draw: Callable[[], None]) -> None:
    """What the frame draws after the page (the language links), also drawn when the page stops early."""
    st.session_state[BEFORE_EARLY_STOP_KEY] = draw


def stop() -> None:
    """``st.stop()`` for the frame and its pages: draws what the frame draws last, and clears the frame flag.

    After ``st.stop()`` Streamlit refuses every session-state access of the run (it raises
    StopException at each one), so dashboard.py's ``finally`` cannot clear the flag then.
    """
    draw = st.session_state.pop(BEFORE_EARLY_STOP_KEY, None)
    if draw is not None:
        draw()
    st.session_state.pop(FRAME_RUNNING_KEY, None)
    st.stop()


def year_bounds(catalogue: Catalogue) -> tuple[int, int]:
    """The span of the year filter (see filters.filter_year_bounds)."""
    return filter_year_bounds(catalogue.facilities)


# How many results the memo keeps, and for how long: a bound on memory (one Gantt of 3,800 facilities is
# about 11 MB of figure JSON), while the few views readers actually share stay warm.
MEMO_MAX_ENTRIES = 64
MEMO_TTL = dt.timedelta(hours=1)


@st.cache_resource(max_entries=MEMO_MAX_ENTRIES, ttl=MEMO_TTL, show_spinner=False)
def _memoised(function_name: str, key: str, _function, _args: tuple, _kwargs: dict):
    result = _function(*_args, **_kwargs)
    # A memoised table is often the input of the next memoised call (the Map's facilities as of a year, the
    # Explorer's filtered tables): digested now, once, its later keys are found by identity instead of hashing it
    # on every rerun (60 ms of a Map rerun).
    for table in (result.values() if isinstance(result, dict) else (result,)):
        if isinstance(table, pd.DataFrame):
            remember_content_digest(table)
    return result


def cached_chart(function, *args, **kwargs):
    """``function(*args, **kwargs)`` (a chart, a table, a text), computed once per distinct input for the whole server.

    Building Plotly figures is the slowest part of a rerun; most reruns (a click elsewhere,
    coming back to a page, another reader with the same filter) ask for a figure already made.
    Streamlit's ``st.cache_resource`` keeps the results (at most ``MEMO_MAX_ENTRIES``, each for
    ``MEMO_TTL``), keyed by the function's name and ``memo_key`` of its arguments. It is the
    resource cache, not ``st.cache_data``, because ``cache_data`` pickles the result on every hit
    and rebuilding a Plotly figure from a pickle costs about what building it does. So the result
    is shared between sessions and must not be mutated: ``show_chart`` never does, and the image
    export works on a deep copy.
    """
    name = f"{function.__module__}.{function.__qualname__}"
    return _memoised(name, memo_key((args, kwargs)), function, args, kwargs)


def cached_call(call: functools.partial):
    """``cached_chart`` of a prepared call: a page lists its charts as calls once, builds (cached) only those
    shown, and hands the list to ``page_zip_download``, which makes the rest on click."""
    return cached_chart(call.func, *call.args, **call.keywords)


def current_filter() -> FacilityFilter:
    """The selection built by dashboard.py on this rerun (the default when a page runs alone, as in tests)."""
    return st.session_state.get(FILTER_STATE_KEY, FacilityFilter())


def selected_facilities(catalogue: Catalogue) -> pd.DataFrame:
    """The facilities the sidebar selects, memoised like a chart: one table per selection for the whole server,
    digested once when made for the charts' keys (hashing it in each chart's key, then once per run, was 20-90 ms of
    a warm rerun). Never modify it: it is shared, and it is the key's content."""
    selection = current_filter()

    def select() -> pd.DataFrame:
        digest_once(catalogue)  # registers the catalogue's tables: the key finds its facilities by identity
        return cached_chart(filter_facilities, catalogue.facilities, selection)

    return _once_per_run(f"selected:{id(catalogue)}:{selection!r}", select)


def reset_filters() -> None:
    """Callback of the "Reset filters" buttons: every bound widget back to its default (and out of the URL)."""
    catalogue = _cached_catalogue()
    st.session_state["province"] = []
    st.session_state["field"] = []
    st.session_state["status"] = []
    st.session_state["years"] = year_bounds(catalogue)
    st.session_state["basis"] = "construction"
    st.session_state["q"] = ""
    st.session_state["national"] = []
    st.session_state["ftype"] = []
    st.session_state["complete"] = 0


LINK_CORRECTIONS_KEY = "_link_corrections"
FILTER_DEFAULTS = {"province": [], "field": [], "status": [], "basis": "construction", "q": "", "national": [],
                   "ftype": [], "complete": 0}


def settle_link(reading: LinkReading, applied: dict[str, object], *, year_bounds: tuple[int, int]) -> None:
    """Keep the link's notices for this session, and make the sidebar apply exactly what the reading kept.

    Streamlit's bound widgets read a link their own way (a reversed year pair is taken as is, a
    repeated search keeps the last). Where a widget took something else than ``reading.values``,
    its value is corrected on an immediate rerun (a widget's value cannot change once it is drawn),
    so the page never shows a selection that the notices do not describe.
    """
    st.session_state[NOTICES_KEY] = reading.notices
    defaults = {**FILTER_DEFAULTS, "years": tuple(year_bounds)}
    corrections = {}
    for key, default in defaults.items():
        wanted = reading.values.get(key, default)
        wanted = tuple(wanted) if key == "years" else wanted
        if applied[key] != wanted:
            corrections[key] = wanted
    if corrections:
        st.session_state[LINK_CORRECTIONS_KEY] = corrections
        st.rerun()


def apply_link_corrections() -> None:
    """Before the sidebar's widgets are drawn: the values settle_link asked for on the run before."""
    for key, value in st.session_state.pop(LINK_CORRECTIONS_KEY, {}).items():
        st.session_state[key] = value


def linked_year(key: str, bounds: tuple[int, int], *, label: str) -> int | None:
    """A page's year from the link (``?key=2010``), or None; a value it cannot use is named in a notice on the page."""
    raw = [value for value in st.query_params.get_all(key) if value != ""]
    if not raw:
        return None
    value = raw[-1].strip()
    if len(raw) == 1 and value.isdigit() and bounds[0] <= int(value) <= bounds[1]:
        return int(value)
    st.warning(escape_markdown(translator()("notice.bad_year", label=label, values=quoted(raw), low=bounds[0],
                                            high=bounds[1])), icon=":material/link_off:")
    return None


def empty_state(what: str | None = None, *, key: str = "empty") -> None:
    """Say that nothing matches, what is selected, and offer the way back (``what``: already in the reader's language)."""
    tr = translator()
    selection = current_filter()
    st.info(
        escape_markdown(tr("common.empty_state", what=what or tr("common.what_facilities"),
                           selection=selection.describe(tr))),
        icon=":material/filter_alt_off:",
    )
    st.button(tr("common.reset_filters"), key=f"reset-{key}", on_click=reset_filters, icon=":material/restart_alt:")


def shown_filter(filtered: bool = True) -> FacilityFilter:
    """The filter a chart shows: the reader's, or (``filtered=False``, a page the sidebar does not select, such
    as the Nature Index) none. Exports are named after it; and a chart the filter does not change keeps the
    same element, so Streamlit neither resends nor redraws it when the filter changes."""
    return current_filter() if filtered else FacilityFilter()


def export_file_name(chart: Chart, extension: str, *, filtered: bool = True) -> str:
    """'china-bigscience_underground-labs-depth_sichuan.png': the chart and the filter, never 'newplot.png'."""
    return f"{FILE_PREFIX}_{chart.slug}_{shown_filter(filtered).slug()}.{extension}"


def plotly_config(chart: Chart, image_format: str = "png", tr: Translator = ENGLISH, *, filtered: bool = True) -> dict:
    """Plotly's own camera button (named after the chart and filter, twice the screen scale) and its locale."""
    return {
        **tr.plotly_config(),
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": image_format,
            "filename": export_file_name(chart, image_format, filtered=filtered).rsplit(".", 1)[0],
            "scale": 2,
        },
    }


def show_chart(chart: Chart, *, key: str, height: int | None = None, downloads: bool = True,
               filtered: bool = True) -> None:
    """Title, figure, alt text, source line, "show data" table and image downloads of one chart.

    ``filtered=False``: the sidebar filter does not select this chart's data (exports say so by their name).
    """
    # Titles, notes and descriptions carry data strings: escaped so they show as typed, never as Markdown or HTML.
    tr = translator()
    st.subheader(escape_markdown(chart.title), anchor=chart.slug)
    if chart.note:
        st.caption(escape_markdown(chart.note))
    image_format = st.session_state.get("camera_format") or "png"
    figure = chart.figure
    if height:
        figure = go.Figure(figure).update_layout(height=height)  # a copy: the chart may be shared by the cache
    st.plotly_chart(figure, key=f"chart-{key}", config=plotly_config(chart, image_format, tr, filtered=filtered),
                    width="stretch",
                    alt=chart.alt_text or chart.title)
    st.caption(f"{escape_markdown(chart.source_line)}  \n{tr('chart.description', text=escape_markdown(chart.alt_text))}")
    columns = st.columns([3, 2]) if downloads else [st.container()]
    with columns[0]:
        # A dynamic expander: the table is built and sent only once the reader opens it (every chart has one).
        data_box = st.expander(tr("chart.show_data"), icon=":material/table:", key=f"data-{key}", on_change="rerun")
        if data_box.open:
            with data_box:
                if chart.data.empty:
                    st.write(tr("chart.no_data"))
                else:
                    st.dataframe(chart.data, hide_index=True, width="stretch")
    if downloads:
        with columns[1]:
            image_downloads(chart, key=key, filtered=filtered)


def image_downloads(chart: Chart, *, key: str, filtered: bool = True) -> None:
    """Server-side PNG/SVG/PDF in the light publication template, made only when clicked."""
    from china_bigscience import export

    tr = translator()
    if export.find_browser() is None:
        st.caption(tr("export.no_browser"))
        return
    subtitle = shown_filter(filtered).describe(tr) if filtered else ""
    buttons = st.columns(3)
    for column, image_format in zip(buttons, ("png", "svg", "pdf")):
        with column:
            st.download_button(
                image_format.upper(),
                data=lambda fmt=image_format: export.reader_chart_image(chart, fmt, subtitle=subtitle, tr=tr),
                file_name=export_file_name(chart, image_format, filtered=filtered),
                mime=export.MIME_TYPES[image_format],
                key=f"dl-{key}-{image_format}",
                on_click="ignore",
                icon=":material/download:",
                help=tr("chart.download_help", format=image_format.upper()),
            )


def page_zip_download(charts: list[Chart] | Callable[[], list[Chart]], *, page_slug: str,
                      filtered: bool = True) -> None:
    """One button for "all charts on this page" as a ZIP of images.

    ``charts`` may be a function that makes them: it then runs only when the button is clicked, so a page
    does not build, on every rerun, charts that only the ZIP needs (the Map's two Plotly maps, tabs not open).
    """
    from china_bigscience import export

    if (not callable(charts) and not charts) or export.find_browser() is None:
        return
    # Read the filter now: the callable runs on click, outside this script run, where session state is not there.
    tr = translator()
    subtitle = shown_filter(filtered).describe(tr) if filtered else ""
    name_suffix = shown_filter(filtered).slug()
    image_format = st.session_state.get("camera_format") or "png"
    st.download_button(
        tr("chart.page_zip", format=image_format.upper()),
        data=lambda: export.reader_charts_zip([chart for chart in (charts() if callable(charts) else charts)
                                               if chart is not None],
                                              image_format, subtitle=subtitle, name_suffix=name_suffix, tr=tr),
        file_name=f"{FILE_PREFIX}_{page_slug}_{name_suffix}_{image_format}.zip",
        mime="application/zip",
        key=f"zip-{page_slug}",
        on_click="ignore",
        icon=":material/folder_zip:",
    )


DATA_VERSION_PARAM = "data"


def data_version(catalogue: Catalogue) -> str:
    return str(catalogue.descriptor.get("version", ""))


def data_version_notice(linked: Sequence[str], current: str) -> str | None:
    """The notice for a link made with another version of the data (None if it is the same, or not said)."""
    linked = [value for value in linked if value != ""]
    if not linked or linked[-1] == current:
        return None
    return translator()("notice.data_version", linked=quoted(linked[-1:]), current=current)


def keep_data_version_in_link(catalogue: Catalogue) -> None:
    """Every link of the dashboard says which version of the data it shows."""
    version = data_version(catalogue)
    if st.query_params.get(DATA_VERSION_PARAM) != version:
        st.query_params[DATA_VERSION_PARAM] = version


LINK_VALUES_KEY = "_link_values"


def start_run() -> None:
    """At the start of each full run (dashboard.py): the page's own bound values are registered anew, and what a run
    looks up once (the catalogue, the Translator, the selected facilities) is looked up again."""
    st.session_state[LINK_VALUES_KEY] = {}
    st.session_state[RUN_MEMO_KEY] = {}


LINK_OPENED_KEY = "_link_as_opened"


def remember_link_as_opened() -> None:
    """On a session's first run (dashboard.py): the link's page parameters, to check when their page draws."""
    if LINK_OPENED_KEY not in st.session_state:
        st.session_state[LINK_OPENED_KEY] = {key: st.query_params.get_all(key) for key in st.query_params}


def unknown_link_params() -> list[str]:
    """A notice for each parameter of the opened link that no page reads (a typo, or a link from elsewhere)."""
    from china_bigscience.page_list import is_link_param

    unknown = [key for key in st.session_state.get(LINK_OPENED_KEY, {}) if not is_link_param(key)]
    return [translator()("notice.unknown_param", key=quoted([key])) for key in unknown]


def in_link(key: str, *values: object) -> None:
    """Register a page's bound widget value for the share link, as the widget writes it (its shown label).

    The first time, the value is also checked against the link the session opened with: a bound
    widget silently drops a value it cannot use, so the reader is told here, next to the control.
    """
    # No values at all (an emptied multiselect) is written "key=", which a bound widget reads as "none".
    written = [str(value) for value in values if value is not None] if values else [""]
    st.session_state.setdefault(LINK_VALUES_KEY, {})[key] = written
    opened = st.session_state.get(LINK_OPENED_KEY, {}).pop(key, None)
    if opened is not None and [v for v in opened if v != ""] != [v for v in written if v != ""]:
        tr = translator()
        shown = quoted(written) if any(written) else tr("notice.none")
        st.warning(escape_markdown(tr("notice.not_applied", key=key, values=quoted(opened) or tr("notice.none"),
                                      shown=shown)), icon=":material/link_off:")


# Page widgets bound to the link whose written label depends on the language: the language switch leaves
# them out (the page opens them at their defaults) rather than hand the other language a label it cannot read.
LANGUAGE_DEPENDENT_PAGE_PARAMS = ("map_view", "map_size", "map_colour", "map_province_measure", "timeline_group_by",
                                  "timeline_milestone_kinds", "compare-measure-", "compare-portfolio-tab",
                                  "explorer-tab")


def view_params(catalogue: Catalogue, *, translated_page_params: bool = True) -> dict[str, list[str]]:
    """The link parameters of this view, the global filters as data values (see ``share_link``)."""
    selection = current_filter()
    params: dict[str, list[str]] = {
        "province": list(selection.provinces), "field": list(selection.fields), "status": list(selection.statuses),
        "years": [str(year) for year in (selection.year_range or year_bounds(catalogue))],
        "basis": [selection.year_basis] if selection.year_basis != "construction" else [],
        "q": [selection.text] if selection.text else [],
        "national": list(selection.national_list), "ftype": list(selection.functional_types),
        "complete": [str(selection.min_completeness)] if selection.min_completeness else [],
    }
    for key, values in st.session_state.get(LINK_VALUES_KEY, {}).items():
        if translated_page_params or not key.startswith(LANGUAGE_DEPENDENT_PAGE_PARAMS):
            params[key] = values
    for key in PAGE_PARAMS:  # set by links, not by widgets (the profile's facility)
        if key in st.query_params and key not in params:
            params[key] = st.query_params.get_all(key)
    params[DATA_VERSION_PARAM] = [data_version(catalogue)]
    return {k: v for k, v in params.items() if v}


def share_link(catalogue: Catalogue) -> str:
    """The address of this view: every bound value, the year range written out, the data version and the language.

    Built from the values themselves (Streamlit's server-side copy of the URL is not refreshed when a
    widget changes on the same page). The year range is explicit even at its default, so the link
    means the same range after the data (and so the default range) grows. Bound widgets read the
    label they show, so the global filters are written in the reader's language (with ?lang=).
    """
    tr = translator()
    query = switched_query(view_params(catalogue), bound_label_tables(catalogue), tr.language)
    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(query, doseq=True)}"


PAGE_PARAMS = ("facility",)


SHARE_BOX_KEY = "share-box"


def share_box_open() -> bool:
    """Whether the reader has the footer's share box open (its expander's state)."""
    return bool(st.session_state.get(SHARE_BOX_KEY))


def share_box(catalogue: Catalogue, page_title: str) -> None:
    """"Copy link" and "Copy citation" of the view (st.code blocks: their copy button needs nothing online)."""
    from china_bigscience import downloads

    tr = translator()
    # The expander tracks its state and reruns the app when opened: on a page where a filter change reruns only
    # the sidebar (dashboard.py), the link is redrawn before the reader sees it, and at once if it is open.
    # Its content is built and sent only while it is open: st.code loads the browser's syntax highlighter (1.5 MB
    # of JavaScript, Prism registering every language: 0.8-1.4 s of a fresh page load's CPU, profiled), which the
    # first view of most pages needs for nothing else.
    box = st.expander(tr("share.title"), icon=":material/share:", key=SHARE_BOX_KEY, on_change="rerun")
    if not box.open:
        return
    link = share_link(catalogue)
    with box:
        st.caption(tr("share.link"))
        st.code(link, language=None, wrap_lines=True)
        st.caption(tr("share.citation"))
        st.code(downloads.view_citation(catalogue.descriptor, page_title=page_title,
                                        selection=current_filter().describe(tr), address=link, tr=tr),
                language=None, wrap_lines=True)


def footer(catalogue: Catalogue, page_title: str = "") -> None:
    """Share box, sources line, licence, "as of" date and a link to the Sources page: on every page."""
    descriptor = catalogue.descriptor
    licence = descriptor["licenses"][0]
    as_of = catalogue.facilities["status_as_of"].dropna().max()
    tr = translator()
    st.divider()
    share_box(catalogue, page_title or tr("app.name"))
    left, right = st.columns([4, 1])
    left.caption(escape_markdown(tr(
        "footer.text", name=tr("app.name"), facilities=len(catalogue.facilities), sources=len(catalogue.sources),
        as_of=as_of, licence=licence["name"])))
    with right:
        st.page_link("pages/sources.py", label=tr("footer.sources_link"), icon=":material/menu_book:")


def slug(text: str) -> str:
    return slugify(text)
