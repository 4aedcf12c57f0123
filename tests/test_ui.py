"""The shared chart cache keys: equal inputs share a figure, different inputs never do."""

import pandas as pd

from china_bigscience.ui import _fingerprint


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
