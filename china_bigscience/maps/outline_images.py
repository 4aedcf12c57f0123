"""The province outlines as images: drawn once by the build step, shown by the deck as bitmaps.

Why images: in a browser without a GPU (headless Chromium, a remote desktop, many office laptops)
deck.gl draws the outline paths (10,800 segments) in software on every redraw, and a Map filter
change took 1.7 s, 1.3 s of it for the outlines (``bench/map_layer_costs.py``); a bitmap is one
textured quad. The fill stays a vector layer (cheap), and so do the points and names.

An image is sharp at one zoom, so there are two kinds, and the deck picks the ones its first view
needs (``images_for_view``): China (and its outlying islands) at national levels 2, 3 and 4, each
drawn for half a zoom level more; and, for each province whose own view opens closer than the
last level, a crop around that view, drawn with the land's fill so that it hides the softer
national lines beneath it. A reader who zooms in by hand sees softer lines; the vector outlines
remain for the online base map and for a stale or missing build (``served_outline_images``).

Written by ``make static`` (``write_outline_images``) into ``static/outlines/`` with a manifest
that names the boundaries file's SHA-256; the app only reads them.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from china_bigscience.geography import province_geometry
from china_bigscience.maps.common import (
    PROVINCE_FILL_OFFLINE,
    PROVINCE_LINE,
    STATIC_DIR,
    inverse_mercator_y,
    mercator_y,
    world_px_per_radian,
    write_file_atomically,
)
from china_bigscience.maps.view import fit_view

OUTLINE_DIR_NAME = "outlines"
MANIFEST_NAME = "outlines.json"
# Relative, like STATIC_BOUNDARIES_URL (resolves under a server.baseUrlPath too).
OUTLINE_URL_PREFIX = f"app/static/{OUTLINE_DIR_NAME}/"
# Bump when the drawing changes, so that `make static` redraws images of unchanged boundaries.
DRAWING_VERSION = 3
# The national images' levels: a view at zoom z shows level floor(z) (clamped), drawn for zoom level + HEADROOM.
# China opens at 2.0; level 4 is 1,984 px wide (12 MB as a texture), the largest a browser is asked to hold.
NATIONAL_LEVELS = (2, 3, 4)
# Every image is drawn for this many zoom levels more than the view it is for: shown at 0.7x, it stays sharp for a
# reader's first scroll and on a screen of pixel ratio 1.5.
HEADROOM = 0.5
# A province's crop covers what a wide map shows at the province's own zoom.
CROP_VIEW_PX = (1600, 900)
# Lines are drawn this many times larger and scaled down: anti-aliased 1 px lines (PIL draws none).
SUPERSAMPLE = 3
PALETTE_COLOURS = 32

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class OutlineImage:
    """One image of the outlines: its file in ``static/outlines/``, its (west, south, east, north) in degrees, its size
    in px, the zoom it is drawn for (one image px per screen px), and the province whose view it is a crop for
    (empty for the national images)."""

    file: str
    bounds: Bounds
    size: tuple[int, int]
    zoom: float
    province: str = ""

    @property
    def url(self) -> str:
        return OUTLINE_URL_PREFIX + self.file


def _rings(boundaries: dict):
    """Every ring (exterior and holes) of every province, as [lon, lat] pairs."""
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            yield from polygon


def _ring_bounds(ring) -> Bounds:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _image_at(file: str, west: float, east: float, top_y: float, bottom_y: float, zoom: float,
              province: str = "") -> OutlineImage:
    """The image covering ``west``-``east`` and Mercator ``top_y``-``bottom_y``, one px per screen px at ``zoom``; its south edge is
    moved to the whole pixel its height rounds to, so the bounds given to deck.gl match the pixels exactly."""
    px_per_radian = world_px_per_radian(zoom)
    width = max(1, round(math.radians(east - west) * px_per_radian))
    height = max(1, round((top_y - bottom_y) * px_per_radian))
    east = west + math.degrees(width / px_per_radian)
    south = inverse_mercator_y(top_y - height / px_per_radian)
    return OutlineImage(file, (round(west, 6), round(south, 6), round(east, 6), round(inverse_mercator_y(top_y), 6)),
                        (width, height), round(zoom, 4), province)


def outline_image_plan(boundaries: dict) -> list[OutlineImage]:
    """The images to draw for ``boundaries``: China and the outlying islands at each level, and the province crops."""
    geometry = province_geometry(boundaries)
    west, south, east, north = geometry.china_bounds
    outside = [_ring_bounds(ring) for ring in _rings(boundaries)
               if not _inside(_ring_bounds(ring), geometry.china_bounds)]
    plan = []
    for level in NATIONAL_LEVELS:
        zoom = level + HEADROOM
        plan.append(_image_at(f"china-z{level}.png", west, east, mercator_y(north), mercator_y(south), zoom))
        if outside:
            plan.append(_image_at(f"islands-z{level}.png", min(b[0] for b in outside), max(b[2] for b in outside),
                                  mercator_y(max(b[3] for b in outside)), mercator_y(min(b[1] for b in outside)), zoom))
    for province, province_bounds in sorted(geometry.province_bounds.items()):
        view = fit_view(province_bounds)
        if view["zoom"] <= NATIONAL_LEVELS[-1] + HEADROOM:
            continue
        view_density = world_px_per_radian(view["zoom"])
        half_w = math.degrees(CROP_VIEW_PX[0] / 2 / view_density)
        centre_y, half_h = mercator_y(view["latitude"]), CROP_VIEW_PX[1] / 2 / view_density
        plan.append(_image_at(f"province-{_slug(province)}.png", view["longitude"] - half_w, view["longitude"] + half_w,
                              centre_y + half_h, centre_y - half_h, view["zoom"] + HEADROOM, province))
    return plan


def images_for_view(images: Sequence[OutlineImage], zoom: float, provinces: Collection[str]) -> list[OutlineImage]:
    """What a deck opening at ``zoom`` on ``provinces`` (those it shows whole) draws: the national level its zoom
    falls in, and the crops of those provinces drawn for at most one zoom level more (beyond it, lines thin out)."""
    national = [image for image in images if not image.province]
    if not national:
        return []
    levels = sorted({image.zoom for image in national})
    level = max([z for z in levels if z - HEADROOM <= zoom] or levels[:1])
    crops = [image for image in images if image.province in provinces and image.zoom - 1 <= zoom]
    return [image for image in national if image.zoom == level] + crops


def _inside(inner: Bounds, outer: Bounds) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())


def draw_outlines(boundaries: dict, image: OutlineImage):
    """A PIL image (RGBA) of ``boundaries`` within ``image.bounds``, in Web Mercator (what deck.gl's BitmapLayer assumes
    for lon/lat bounds): lines 1 px wide in the province line colour on a transparent ground; a province crop also
    fills the land, so that it covers the national image's lines beneath it."""
    from PIL import Image, ImageDraw  # Pillow comes with Streamlit; only the build step draws

    west, south, east, north = image.bounds
    width, height = image.size
    scale = width / math.radians(east - west) * SUPERSAMPLE
    top = mercator_y(north)
    rings = [ring for ring in _rings(boundaries) if _overlaps(_ring_bounds(ring), image.bounds)]
    paths = [[(math.radians(lon - west) * scale, (top - mercator_y(lat)) * scale) for lon, lat in ring]
             for ring in rings]
    picture = Image.new("RGBA", (width * SUPERSAMPLE, height * SUPERSAMPLE), (*PROVINCE_LINE[:3], 0))
    pen = ImageDraw.Draw(picture)
    if image.province:
        for path in paths:  # holes too are land: every hole in a province is another province
            pen.polygon(path, fill=tuple(PROVINCE_FILL_OFFLINE))
    for path in paths:
        pen.line(path, fill=tuple(PROVINCE_LINE), width=SUPERSAMPLE, joint="curve")
    # Averaged with premultiplied alpha ("RGBa"), so the transparent ground's colour does not bleed into the edges.
    return picture.convert("RGBa").resize((width, height), Image.Resampling.BOX).convert("RGBA")


def _palette(picture):
    """``picture`` with 32 colours (alpha included): the land, the line and their blends need no more, and the files
    are a third of their RGBA size (4.0 -> 1.5 MB for all of them)."""
    from PIL import Image

    return picture.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)


def _overlaps(a: Bounds, b: Bounds) -> bool:
    return a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]


def _fingerprint(source: Path) -> str:
    return f"{hashlib.sha256(Path(source).read_bytes()).hexdigest()}:{DRAWING_VERSION}"


def _read_manifest(static_dir: Path) -> dict | None:
    try:
        return json.loads((Path(static_dir) / OUTLINE_DIR_NAME / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_outline_images(source: Path, static_dir: Path = STATIC_DIR) -> Path:
    """Draw the images of ``source`` (the data package's boundaries) and their manifest, unless they are current.

    The manifest is written last: until it names the new boundaries, the app draws vector outlines.
    """
    folder = Path(static_dir) / OUTLINE_DIR_NAME
    manifest_path = folder / MANIFEST_NAME
    fingerprint = _fingerprint(source)
    manifest = _read_manifest(static_dir)
    if manifest and manifest.get("fingerprint") == fingerprint and all(
            (folder / entry["file"]).exists() for entry in manifest.get("images", [])):
        return manifest_path
    boundaries = json.loads(Path(source).read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    plan = outline_image_plan(boundaries)
    for image in plan:
        png = io.BytesIO()
        _palette(draw_outlines(boundaries, image)).save(png, format="PNG", optimize=True)
        write_file_atomically(folder / image.file, png.getvalue())
    for stale in set(folder.glob("*.png")) - {folder / image.file for image in plan}:
        stale.unlink()
    text = json.dumps({"fingerprint": fingerprint, "images": [
        {"file": i.file, "bounds": list(i.bounds), "size": list(i.size), "zoom": i.zoom, "province": i.province}
        for i in plan]},
        ensure_ascii=False, indent=1)
    write_file_atomically(manifest_path, text.encode("utf-8"))
    return manifest_path


@lru_cache(maxsize=4)
def _served(source: str, source_mtime: float, static_dir: str, manifest_mtime: float) -> tuple[OutlineImage, ...]:
    manifest = _read_manifest(Path(static_dir))
    if not manifest or manifest.get("fingerprint") != _fingerprint(Path(source)):
        return ()
    try:
        images = tuple(OutlineImage(entry["file"], tuple(entry["bounds"]), tuple(entry["size"]), entry["zoom"],
                                    entry.get("province", "")) for entry in manifest.get("images", []))
    except (KeyError, TypeError):  # a manifest of another shape: drawn as vectors until `make static` rewrites it
        return ()
    folder = Path(static_dir) / OUTLINE_DIR_NAME
    return images if images and all((folder / image.file).exists() for image in images) else ()


def served_outline_images(source: Path, static_dir: Path = STATIC_DIR) -> tuple[OutlineImage, ...]:
    """The outline images served for ``source``, or () when they are missing or drawn from other boundaries
    (the deck then draws the outlines as vectors). Read once per change of either file."""
    manifest = Path(static_dir) / OUTLINE_DIR_NAME / MANIFEST_NAME
    try:
        return _served(str(source), Path(source).stat().st_mtime, str(static_dir), manifest.stat().st_mtime)
    except OSError:
        return ()
