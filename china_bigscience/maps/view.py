"""The view a map opens on: China, or the points shown with the whole of their provinces when they are few."""

from __future__ import annotations

import math

import pandas as pd

from china_bigscience.geography import province_geometry
from china_bigscience.maps.common import ASSUMED_MAP_PX, MAX_FIT_ZOOM, inverse_mercator_y, mercator_y


def fit_view(bounds: tuple[float, float, float, float], *, padding: float = 0.06,
             size_px: tuple[int, int] = ASSUMED_MAP_PX, max_zoom: float = MAX_FIT_ZOOM) -> dict:
    """Centre and zoom of a web-Mercator view that shows ``(west, south, east, north)`` with some padding."""
    west, south, east, north = bounds
    width_px, height_px = size_px
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_lon = max(east - west, 1e-6)
    span_y = max(mercator_y(north) - mercator_y(south), 1e-6)
    # deck.gl's world is 512 px wide at zoom 0.
    zoom_x = math.log2(usable_w * 360 / (512 * span_lon))
    zoom_y = math.log2(usable_h * 2 * math.pi / (512 * span_y))
    zoom = max(min(zoom_x, zoom_y, max_zoom), 1.0)
    centre_lat = inverse_mercator_y((mercator_y(north) + mercator_y(south)) / 2)
    return {"longitude": round((west + east) / 2, 4), "latitude": round(centre_lat, 4), "zoom": round(zoom, 2)}


def china_bounds(boundaries: dict) -> tuple[float, float, float, float]:
    """Bounds of the largest polygon of every province: China at a glance, without the far-off islets."""
    return province_geometry(boundaries).china_bounds


def points_bounds(points: pd.DataFrame) -> tuple[float, float, float, float]:
    return (float(points["lon"].min()), float(points["lat"].min()), float(points["lon"].max()), float(points["lat"].max()))


# Up to this many provinces, a selection's map shows each of them whole (beyond it the points alone decide).
WHOLE_PROVINCES_UP_TO = 3


def provinces_shown_whole(points: pd.DataFrame, boundaries: dict) -> list[str]:
    """The provinces of ``points`` that the first view shows whole: all of them when there are few, else none."""
    whole_provinces = province_geometry(boundaries).province_bounds
    provinces = [name for name in points["province"].dropna().unique() if name in whole_provinces]
    return provinces if len(provinces) <= WHOLE_PROVINCES_UP_TO else []


def initial_view(points: pd.DataFrame, boundaries: dict) -> dict:
    """Start on China; with a selection, fit the points shown, and the whole of their provinces when few.

    Fitting the points alone zoomed a one-province selection in on a few dots over a blank field; with
    their province in view the reader sees where they are: the province, its name and its neighbours.
    """
    if points.empty:
        return fit_view(china_bounds(boundaries), padding=0.02)
    whole_provinces = province_geometry(boundaries).province_bounds
    boxes = [points_bounds(points)] + [whole_provinces[name] for name in provinces_shown_whole(points, boundaries)]
    return fit_view((min(b[0] for b in boxes), min(b[1] for b in boxes),
                     max(b[2] for b in boxes), max(b[3] for b in boxes)))
