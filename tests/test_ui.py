"""The shared memo of charts: equal inputs share a result, different inputs (even reordered rows) never do."""

import dataclasses
import json

import pandas as pd

from china_bigscience import ui
from china_bigscience.filters import FacilityFilter
from china_bigscience.ui import memo_key
from small_catalogue import small_catalogue


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
