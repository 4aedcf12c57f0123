"""A synthetic data package 10x-100x larger than data/, for the scale benchmark: generated into a temp dir, never shipped.

Every real row is copied `factor - 1` more times with its ids suffixed (``juno`` -> ``juno_s07``), its
names marked "(synthetic 7)", located points jittered to another spot inside the same province,
and measured quantities scaled by up to +-10 %. Foreign keys (milestones, peers, predecessors) follow
the suffix, so the copy is a consistent catalogue; sources are reused as they are. Only what grows with
the catalogue is multiplied (facilities, their milestones, peers and per-value sources): the Nature Index
and research spending tables are country statistics, and inventing "(synthetic 7)" countries would
overstate the Nature Index page (one trace and legend entry per country), so they are copied unchanged. The result passes
``load_catalogue()``: the point is to time the app on big tables, not to publish numbers.

    python bench/synthetic.py --factor 100          # prints the directory it wrote
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from china_bigscience import DATA_DIR  # noqa: E402

# How far (degrees) a copied point may move before we check it is still inside its province.
JITTER_DEGREES = 0.3
JITTER_ATTEMPTS = 25
# Measured quantities that get a small random scale, so copies are not identical bars.
SCALED_NUMBERS = {
    "facilities": ("depth_m", "depth_mwe", "altitude_m", "scale_value", "cost_value"),
    "peers": ("depth_m", "depth_mwe", "muon_flux_per_m2_day", "target_mass_t", "energy_gev", "circumference_m",
              "emittance_pm", "altitude_m", "area_km2", "aperture_m"),
}
INTEGER_COLUMNS = {"depth_m", "depth_mwe", "altitude_m", "count"}
# Country statistics: more facilities do not make more countries, so these files are copied as they are.
GROWS_WITH_COUNTRIES = ("nature_index.csv", "research_spending.csv")


def _read_raw(path: Path) -> pd.DataFrame:
    """Every cell as the text in the file, so unchanged cells are written back exactly."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _suffix(value: str, copy: int) -> str:
    return f"{value}_s{copy:02d}" if value else value


def _label(value: str, copy: int) -> str:
    return f"{value} (synthetic {copy})" if value else value


def _scaled(value: str, column: str, rng: random.Random) -> str:
    if not value:
        return value
    number = float(value) * rng.uniform(0.9, 1.1)
    if column in INTEGER_COLUMNS:
        return str(max(0, round(number)))
    return f"{number:.4g}"


def _province_polygons(data_dir: Path) -> dict:
    from shapely.geometry import shape

    geojson = json.loads((data_dir / "provinces.geojson").read_text(encoding="utf-8"))
    return {feature["properties"]["name_en"]: shape(feature["geometry"]) for feature in geojson["features"]}


def _jittered_point(lat: str, lon: str, province: str, polygons: dict, rng: random.Random) -> tuple[str, str]:
    """Another point inside the same province (or the original point if no nearby one is found)."""
    from shapely.geometry import Point

    if not lat or not lon:
        return lat, lon
    polygon = polygons.get(province)
    for _ in range(JITTER_ATTEMPTS):
        new_lat = float(lat) + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
        new_lon = float(lon) + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
        if polygon is None:  # no province (a site at sea): stay within a tenth of the jitter
            new_lat = float(lat) + (new_lat - float(lat)) / 10
            new_lon = float(lon) + (new_lon - float(lon)) / 10
            return f"{new_lat:.4f}", f"{new_lon:.4f}"
        if polygon.contains(Point(new_lon, new_lat)):
            return f"{new_lat:.4f}", f"{new_lon:.4f}"
    return lat, lon


def _copies(frame: pd.DataFrame, factor: int, change_copy) -> pd.DataFrame:
    frames = [frame]
    for copy in range(1, factor):
        copied = frame.copy()
        change_copy(copied, copy)
        frames.append(copied)
    return pd.concat(frames, ignore_index=True)


def write_synthetic_catalogue(out_dir: Path, *, factor: int = 100, seed: int = 20240601,
                              data_dir: Path = DATA_DIR) -> Path:
    """Write a data package `factor` times the size of `data_dir` into `out_dir`; return `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    polygons = _province_polygons(data_dir)

    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = f"SYNTHETIC {factor}x benchmark copy of: {descriptor.get('title', 'the data package')}"
    (out_dir / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    for unchanged in ("provinces.csv", "provinces.geojson", "sources.csv", *GROWS_WITH_COUNTRIES):
        shutil.copyfile(data_dir / unchanged, out_dir / unchanged)
    (out_dir / "SYNTHETIC.txt").write_text(
        f"Generated by bench/synthetic.py (factor {factor}, seed {seed}) for benchmarks only. Not real data.\n",
        encoding="utf-8",
    )

    def scale(copied: pd.DataFrame, table: str) -> None:
        for column in SCALED_NUMBERS.get(table, ()):
            copied[column] = [_scaled(value, column, rng) for value in copied[column]]

    def change_facility(copied: pd.DataFrame, copy: int) -> None:
        copied["id"] = [_suffix(value, copy) for value in copied["id"]]
        copied["predecessor_id"] = [_suffix(value, copy) for value in copied["predecessor_id"]]
        copied["name_en"] = [_label(value, copy) for value in copied["name_en"]]
        points = [_jittered_point(lat, lon, province, polygons, rng)
                  for lat, lon, province in zip(copied["lat"], copied["lon"], copied["province"])]
        copied["lat"] = [lat for lat, _ in points]
        copied["lon"] = [lon for _, lon in points]
        scale(copied, "facilities")

    def change_milestone(copied: pd.DataFrame, copy: int) -> None:
        copied["facility_id"] = [_suffix(value, copy) for value in copied["facility_id"]]

    def change_peer(copied: pd.DataFrame, copy: int) -> None:
        copied["id"] = [_suffix(value, copy) for value in copied["id"]]
        copied["facility_id"] = [_suffix(value, copy) for value in copied["facility_id"]]
        copied["name"] = [_label(value, copy) for value in copied["name"]]
        scale(copied, "peers")

    changes = {
        "facilities": change_facility, "milestones": change_milestone, "peers": change_peer,
        "value_sources": change_milestone,  # keyed by facility_id, like the milestones
    }
    for table, change in changes.items():
        frame = _read_raw(data_dir / f"{table}.csv")
        _copies(frame, factor, change).to_csv(out_dir / f"{table}.csv", index=False)
    return out_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--out", type=Path, help="directory to write (default: a new temp dir)")
    parser.add_argument("--check", action="store_true", help="load the result with load_catalogue() and print sizes")
    args = parser.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="china-bigscience-synthetic-"))
    write_synthetic_catalogue(out_dir, factor=args.factor)
    print(out_dir)
    if args.check:
        from china_bigscience.catalogue import load_catalogue

        catalogue = load_catalogue(out_dir)
        print({name: len(getattr(catalogue, name)) for name in ("facilities", "milestones", "peers", "nature_index",
                                                                "research_spending", "sources")})


if __name__ == "__main__":
    main()
