"""The province outlines drawn as images (``maps.outline_images``): what the deck shows, and the files it shows.

The Map's outlines are bitmaps because software WebGL drew the vector paths in 1.3 s per filter change
(``bench/map_layer_costs.py``); these tests pin that the images are current, drawn where the provinces are, and
chosen for the view the deck opens on.
"""

from __future__ import annotations

import json

import pytest

from china_bigscience import DATA_DIR, maps
from china_bigscience.filters import FacilityFilter, filter_facilities
from china_bigscience.maps import outline_images
from china_bigscience.maps.common import PROVINCE_FILL_OFFLINE, PROVINCE_LINE, mercator_y

SERVED = maps.served_outline_images(DATA_DIR / "provinces.geojson")


def deck_layers(catalogue, selection: FacilityFilter = FacilityFilter(), **options) -> list[dict]:
    facilities = maps.with_shown_status(filter_facilities(catalogue.facilities, selection))
    deck = maps.facility_deck(facilities, catalogue.boundaries_geojson, outline_images=SERVED, **options)
    return json.loads(deck.to_json())["layers"]


def bitmaps(layers: list[dict]) -> list[dict]:
    return [item for item in layers if item["@@type"] == "BitmapLayer"]


def test_the_served_images_are_drawn_from_the_data_packages_boundaries():
    assert SERVED, "static/outlines/ is missing or stale: rebuild it with `make static`"
    folder = maps.STATIC_DIR / outline_images.OUTLINE_DIR_NAME
    assert {image.file for image in SERVED} == {path.name for path in folder.glob("*.png")}  # none left over
    levels = sorted(image.zoom for image in SERVED if image.file.startswith("china-"))
    assert levels == [level + outline_images.HEADROOM for level in outline_images.NATIONAL_LEVELS]


def test_china_opens_on_its_national_image_and_the_paths_are_not_drawn(catalogue):
    layers = deck_layers(catalogue)
    provinces = next(item for item in layers if item["id"] == maps.PROVINCE_LAYER_ID)
    assert provinces["stroked"] is False and provinces["filled"] is True
    shown = bitmaps(layers)
    assert [item["image"] for item in shown] == ["app/static/outlines/china-z2.png", "app/static/outlines/islands-z2.png"]
    # Under the names and points, over the fill.
    ids = [item["id"] for item in layers]
    assert ids.index(maps.PROVINCE_LAYER_ID) < ids.index(shown[0]["id"]) < ids.index(maps.PROVINCE_LABEL_LAYER_ID)
    assert all(item["pickable"] is False for item in shown)


def test_a_province_opens_on_its_own_crop_and_a_closer_national_level(catalogue):
    shown = bitmaps(deck_layers(catalogue, FacilityFilter(provinces=("Beijing",))))
    crop = next(image for image in SERVED if image.province == "Beijing")
    assert [item["image"] for item in shown] == ["app/static/outlines/china-z4.png",
                                                 "app/static/outlines/islands-z4.png", crop.url]
    assert shown[-1]["bounds"] == list(crop.bounds)


def test_the_online_base_map_and_a_missing_build_draw_vector_outlines(catalogue):
    for layers in (deck_layers(catalogue, online_basemap=True),
                   json.loads(maps.facility_deck(maps.with_shown_status(catalogue.facilities),
                                                 catalogue.boundaries_geojson).to_json())["layers"]):
        assert not bitmaps(layers)
        assert next(item for item in layers if item["id"] == maps.PROVINCE_LAYER_ID)["stroked"] is True


def test_images_for_view_picks_the_level_of_the_zoom_and_crops_that_stay_sharp():
    national = [outline_images.OutlineImage(f"china-z{z}.png", (0, 0, 1, 1), (1, 1), z + 0.5) for z in (2, 3, 4)]
    crop = outline_images.OutlineImage("province-x.png", (0, 0, 1, 1), (1, 1), 6.8, "X")
    images = national + [crop]
    assert [i.file for i in outline_images.images_for_view(images, 1.0, set())] == ["china-z2.png"]
    assert [i.file for i in outline_images.images_for_view(images, 3.9, {"X"})] == ["china-z3.png"]
    assert [i.file for i in outline_images.images_for_view(images, 5.8, {"X"})] == ["china-z4.png", "province-x.png"]
    assert [i.file for i in outline_images.images_for_view(images, 6.3, set())] == ["china-z4.png"]
    assert outline_images.images_for_view([], 5.0, {"X"}) == []


SQUARE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name_en": "Square"},
          "geometry": {"type": "Polygon", "coordinates": [[[100, 30], [110, 30], [110, 40], [100, 40], [100, 30]]]}}]}


@pytest.mark.parametrize("province", ["", "Square"])
def test_drawn_lines_fall_where_the_boundary_is_in_web_mercator(province):
    image = outline_images._image_at("t.png", 95, 115, mercator_y(45), mercator_y(25), 5.0, province)
    picture = outline_images.draw_outlines(SQUARE, image)
    assert picture.size == image.size and picture.mode == "RGBA"
    west, south, east, north = image.bounds
    width, height = image.size

    def pixel(lon, lat):
        x = (lon - west) / (east - west) * width
        y = (mercator_y(north) - mercator_y(lat)) / (mercator_y(north) - mercator_y(south)) * height
        return picture.getpixel((min(int(x), width - 1), min(int(y), height - 1)))

    # On the west edge at 35N, and on the north edge (where Mercator's stretch would put a linear guess wrong).
    for lon, lat in ((100, 35), (105, 40)):
        r, g, b, alpha = pixel(lon, lat)
        assert alpha > 100 and (r, g, b) == pytest.approx(PROVINCE_LINE[:3], abs=3)
    assert pixel(97, 35)[3] == 0  # outside the province: transparent
    inside = pixel(105, 35)
    if province:  # a crop fills the land, to cover the national lines beneath it
        assert inside == tuple(PROVINCE_FILL_OFFLINE)
    else:
        assert inside[3] == 0


def test_write_outline_images_draws_once_and_the_served_check_follows_the_source(tmp_path):
    source = tmp_path / "provinces.geojson"
    source.write_text(json.dumps(SQUARE), encoding="utf-8")
    static = tmp_path / "static"
    manifest = outline_images.write_outline_images(source, static)
    served = outline_images.served_outline_images(source, static)
    assert served and all((static / "outlines" / image.file).exists() for image in served)
    stamp = manifest.stat().st_mtime_ns
    outline_images.write_outline_images(source, static)
    assert manifest.stat().st_mtime_ns == stamp  # current: not redrawn
    changed = json.loads(json.dumps(SQUARE))
    changed["features"][0]["geometry"]["coordinates"][0][1] = [111, 30]
    source.write_text(json.dumps(changed), encoding="utf-8")
    assert outline_images.served_outline_images(source, static) == ()  # stale: the deck draws vectors
    outline_images.write_outline_images(source, static)
    assert outline_images.served_outline_images(source, static)
    assert not list((static / "outlines").glob(".*.tmp"))  # no temporary file left behind
