"""The Streamlit helpers: the shared memo of charts (equal inputs share a result, different inputs, even reordered rows, never do), the frame workaround and its flag."""

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from china_bigscience import DATA_DIR, ui
from china_bigscience.filters import FacilityFilter
from china_bigscience.memo_keys import memo_key
from small_catalogue import small_catalogue

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_memo_key_tells_arguments_apart():
    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert memo_key((frame, "field")) != memo_key((frame, "province"))
    assert memo_key((frame, "field")) == memo_key((frame.copy(), "field"))
    changed = frame.copy()
    changed.loc[0, "a"] = 9
    assert memo_key((changed,)) != memo_key((frame,))
    assert memo_key({"x": [1, 2]}) != memo_key({"x": [1, 3]})
    assert memo_key(FacilityFilter(text="江门")) != memo_key(FacilityFilter(text="江"))


def test_memo_key_sees_row_order():
    # The same rows with the same index labels in another order draw another chart (the old hash summed rows).
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    assert memo_key(frame) != memo_key(frame.iloc[::-1])


def test_catalogues_are_keyed_by_content_not_identity():
    first = small_catalogue()
    assert memo_key(first) == memo_key(first) == memo_key(small_catalogue())
    renamed = first.facilities.copy()
    renamed.loc[0, "name_en"] = "Another name"
    other = dataclasses.replace(first, facilities=renamed)
    assert memo_key(other) != memo_key(first)


def test_geojson_is_keyed_by_content():
    geojson = {"type": "FeatureCollection", "features": [{"geometry": list(range(1_000))}]}
    assert memo_key(geojson) == memo_key(json.loads(json.dumps(geojson)))
    assert memo_key(geojson) != memo_key({"type": "FeatureCollection", "features": []})


def test_cached_chart_never_serves_one_catalogues_result_for_another():
    def names(catalogue):
        return tuple(catalogue.facilities["name_en"])

    first = small_catalogue()
    renamed = first.facilities.copy()
    renamed.loc[0, "name_en"] = "Another name"
    other = dataclasses.replace(first, facilities=renamed)
    assert ui.cached_chart(names, first) == names(first)
    assert ui.cached_chart(names, other) == names(other) != names(first)
    assert ui.cached_chart(names, first) is ui.cached_chart(names, small_catalogue())


def test_remembered_tables_are_keyed_by_content_and_told_apart():
    from china_bigscience.memo_keys import remember_content_digest

    table = pd.DataFrame({"id": ["a", "b"], "value": [1, 2]})
    same = remember_content_digest(table.copy())
    other = remember_content_digest(pd.DataFrame({"id": ["a", "b"], "value": [1, 3]}))
    assert memo_key(same) == memo_key(remember_content_digest(table.copy()))
    assert memo_key(same) != memo_key(other)


def test_a_remembered_table_is_found_by_identity_while_it_lives_and_forgotten_after(monkeypatch):
    import gc

    from china_bigscience import memo_keys

    table = memo_keys.remember_content_digest(pd.DataFrame({"id": ["a"], "value": [1]}))
    key = memo_key(table)
    hashed = []
    monkeypatch.setattr(pd.util, "hash_pandas_object", lambda *a, **k: hashed.append(1))
    assert memo_key(table) == key and not hashed  # looked up, not hashed again
    assert memo_keys.remember_content_digest(table) is table and not hashed  # remembered once
    table_id = id(table)
    del table
    gc.collect()
    assert table_id not in memo_keys._derived_digests


def test_a_remembered_table_freed_while_its_thread_holds_the_digest_lock_does_not_hang():
    import threading

    from china_bigscience import memo_keys

    table = memo_keys.remember_content_digest(pd.DataFrame({"id": ["a"]}))
    table_id = id(table)
    freed = threading.Event()

    def free_under_the_lock():
        nonlocal table
        with memo_keys._digests_lock:
            table = None  # the last reference: its finaliser runs here, in a thread that holds the lock
        freed.set()

    threading.Thread(target=free_under_the_lock, daemon=True).start()
    if not freed.wait(10):
        memo_keys._digests_lock.release()  # let the stuck thread go, so that the tests after this one can run
        raise AssertionError("the finaliser waited for a lock its own thread held")
    assert table_id not in memo_keys._derived_digests


def test_a_memoised_table_is_digested_once_when_made(monkeypatch):
    from china_bigscience import memo_keys

    def as_of(frame, year):
        return frame.assign(year=year)

    ui._memoised.clear()
    made = ui.cached_chart(as_of, pd.DataFrame({"id": ["a", "b"]}), 2020)
    assert memo_keys._catalogue_table_digest(made) is not None  # the next call's key needs no hashing of it
    assert ui.cached_chart(as_of, pd.DataFrame({"id": ["a", "b"]}), 2020) is made


def test_a_selection_is_made_and_hashed_once_for_the_server(monkeypatch):
    catalogue = small_catalogue()
    ui._memoised.clear()
    first = ui.selected_facilities(catalogue)
    hashed = []
    monkeypatch.setattr(pd.util, "hash_pandas_object", lambda *a, **k: hashed.append(1))
    assert ui.selected_facilities(catalogue) is first  # a later run (or reader) with the same filter
    assert ui.cached_chart(len, first) == len(first) and not hashed  # charts keyed on it find it by identity


def _run_lookups_script():
    import streamlit as st

    from china_bigscience import ui

    statted = []
    original = ui.data_files_state
    ui.data_files_state = lambda data_dir: statted.append(1) or original(data_dir)
    try:
        ui.start_run()
        # _cached_catalogue, what get_catalogue reads (get_catalogue would ask for dashboard.py's frame first).
        tables = [ui.selected_facilities(ui._cached_catalogue()) for _ in range(3)]
        translators = [ui.translator() for _ in range(3)]
    finally:
        ui.data_files_state = original
    st.write(f"statted {len(statted)}; one table {all(t is tables[0] for t in tables)}; "
             f"one translator {all(t is translators[0] for t in translators)}")


def test_a_run_looks_up_the_catalogue_translator_and_selection_once():
    # Each lookup statted every data file: a dozen per run, 40 ms of a warm rerun.
    at = AppTest.from_function(_run_lookups_script, default_timeout=120).run()
    assert not at.exception
    assert at.markdown[0].value == "statted 1; one table True; one translator True"
    at.run()  # the next run checks the data files again
    assert at.markdown[0].value == "statted 1; one table True; one translator True"


def test_frame_workaround_fails_loudly_when_streamlit_drops_the_attribute(monkeypatch):
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.raises(RuntimeError, match="no PagesManager.uses_pages_directory.*requirements.txt"):
        ui.leave_pages_directory_mode()
    assert "uses_pages_directory" not in vars(PagesManager)  # not silently re-created


def test_frame_flag_is_cleared_after_an_early_stop(tmp_path, monkeypatch):
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    (broken / "facilities.csv").write_text("id,name_en\nbroken,Broken\n", encoding="utf-8")
    monkeypatch.setattr(ui, "DATA_DIR", broken)
    ui._cached_catalogue.clear()
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
        assert at.error and "did not pass validation" in at.error[0].value  # the frame stopped early (st.stop)
        assert ui.FRAME_RUNNING_KEY not in at.session_state
    finally:
        ui._cached_catalogue.clear()


def test_frame_flag_is_cleared_after_a_normal_run():
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not at.exception and at.title
    assert ui.FRAME_RUNNING_KEY not in at.session_state


def test_frame_flag_is_cleared_when_a_page_stops_early():
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["facility"] = "no_such_place"
    at.run()
    at.switch_page("pages/profile.py").run()
    assert at.error and not at.exception  # the profile stopped after its "no facility" message
    assert ui.FRAME_RUNNING_KEY not in at.session_state
