"""The province outlines' geometry, computed once per boundaries file: rings, label points, bounds, simplified outlines.

The map's Plotly figures, the deck's province labels and the profile's small map all draw
from one ``ProvinceGeometry``. Building it runs shapely over every province (the costly
part of a Map rerun before it was cached), so ``province_geometry`` keeps the result for
each boundaries object it has seen. It holds a reference to that object, so an ``id`` can
never be reused for another one while its entry lives; the catalogue builds its boundaries
once per load and never changes them.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

# Outlines are simplified to this tolerance (degrees, ~5 km) for the profile's small map: the
# shapes stay recognisable and the figure stays small enough to send to a phone.
SIMPLIFY_DEGREES = 0.05
_MAX_CACHED = 4

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class ProvinceGeometry:
    """What the charts need from the province polygons, keyed by the province's English name."""

    # Exterior rings, clockwise (Plotly's geo fill follows d3-geo's spherical winding; holes are left out).
    rings: dict[str, list[list[tuple[float, float]]]]
    # A point inside each province's largest polygon (for hover markers and name labels).
    label_points: dict[str, tuple[float, float]]
    # Bounds of every province's largest polygon: China at a glance, without the far-off islets.
    china_bounds: Bounds
    # Simplified outlines as (lons, lats) with None between rings, and the bounds of them all.
    simplified_outlines: dict[str, tuple[list, list]]
    simplified_bounds: Bounds
    # Each province's largest polygon's bounds (a map of one province shows all of it).
    province_bounds: dict[str, Bounds]


_cache: dict[int, tuple[dict, ProvinceGeometry]] = {}
_cache_lock = threading.Lock()


def province_geometry(boundaries: dict) -> ProvinceGeometry:
    """The geometry of a province FeatureCollection, computed on its first use and kept (a few at most)."""
    with _cache_lock:
        entry = _cache.get(id(boundaries))
        if entry is not None and entry[0] is boundaries:
            return entry[1]
    geometry = _compute(boundaries)
    with _cache_lock:
        while len(_cache) >= _MAX_CACHED:
            _cache.pop(next(iter(_cache)))
        _cache[id(boundaries)] = (boundaries, geometry)
    return geometry


def _compute(boundaries: dict) -> ProvinceGeometry:
    from shapely.geometry import Polygon, shape
    from shapely.geometry.polygon import orient

    rings: dict[str, list] = {}
    label_points: dict[str, tuple[float, float]] = {}
    province_bounds: dict[str, Bounds] = {}
    largest_boxes = []
    for feature in boundaries.get("features", []):
        name = feature["properties"]["name_en"]
        coordinates = feature["geometry"]["coordinates"]
        polygons = coordinates if feature["geometry"]["type"] == "MultiPolygon" else [coordinates]
        rings[name] = [list(orient(Polygon(polygon[0]), sign=-1.0).exterior.coords) for polygon in polygons]
        whole = shape(feature["geometry"])
        largest = max(getattr(whole, "geoms", [whole]), key=lambda part: part.area)
        point = largest.representative_point()
        label_points[name] = (round(point.x, 3), round(point.y, 3))
        largest_boxes.append(largest.bounds)
        province_bounds[name] = tuple(largest.bounds)
    china = (min(b[0] for b in largest_boxes), min(b[1] for b in largest_boxes),
             max(b[2] for b in largest_boxes), max(b[3] for b in largest_boxes)) if largest_boxes else (0, 0, 0, 0)
    outlines, outline_bounds = _simplified(boundaries)
    return ProvinceGeometry(rings, label_points, china, outlines, outline_bounds, province_bounds)


def _simplified(boundaries: dict) -> tuple[dict[str, tuple[list, list]], Bounds]:
    from shapely.geometry import shape

    outlines: dict[str, tuple[list, list]] = {}
    min_x = min_y = math.inf
    max_x = max_y = -math.inf
    for feature in boundaries.get("features", []):
        geometry = shape(feature["geometry"]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        lons: list = []
        lats: list = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.is_empty:
                continue
            xs, ys = polygon.exterior.coords.xy
            lons += [round(x, 2) for x in xs] + [None]
            lats += [round(y, 2) for y in ys] + [None]
            bx0, by0, bx1, by1 = polygon.bounds
            min_x, min_y, max_x, max_y = min(min_x, bx0), min(min_y, by0), max(max_x, bx1), max(max_y, by1)
        outlines[feature["properties"]["name_en"]] = (lons, lats)
    return outlines, (min_x, min_y, max_x, max_y)
