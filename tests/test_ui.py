"""The Streamlit helpers: chart cache keys, the frame workaround and its flag."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from china_bigscience import DATA_DIR, ui
from china_bigscience.ui import _fingerprint

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_fingerprint_tells_arguments_apart():
    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert _fingerprint((frame, "field")) != _fingerprint((frame, "province"))
    assert _fingerprint((frame, "field")) == _fingerprint((frame.copy(), "field"))
    changed = frame.copy()
    changed.loc[0, "a"] = 9
    assert _fingerprint((changed,)) != _fingerprint((frame,))
    assert _fingerprint({"x": [1, 2]}) != _fingerprint({"x": [1, 3]})


def test_fingerprint_of_large_geojson_is_by_identity():
    geojson = {"type": "FeatureCollection", "features": [{"geometry": list(range(10_000))}]}
    assert _fingerprint(geojson) == _fingerprint(geojson)
    assert _fingerprint(geojson) != _fingerprint(dict(geojson))


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
