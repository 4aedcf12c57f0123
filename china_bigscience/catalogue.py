"""Load every table in ``data/`` and validate it against ``data/datapackage.json``.

One description (the Frictionless data package) drives three things: the
per-cell checks done by the ``frictionless`` validator, the pandas dtypes of the
loaded tables, and the cross-table rules below (sources resolve, milestones
name a facility, coordinates fall inside the named province, years are in
order). A broken cell fails loading with a message naming the file, the row,
the column, the value and what was expected. The rules on source quality (few
weak sources; no key figure or Overview claim on weak sources alone) are in
``source_quality``.

Row numbers are the file's line numbers with the header as row 1, so "row 5"
is what a person sees on line 5 of the CSV in an editor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from china_bigscience import DATA_DIR
from china_bigscience.source_ids import split_ids  # noqa: F401 (catalogue.split_ids is used by callers)

TABLE_NAMES = (
    "provinces",
    "sources",
    "facilities",
    "milestones",
    "peers",
    "nature_index",
    "research_spending",
    "value_sources",
)

# China's extent (including the South China Sea islands), for the coarse
# "inside China" coordinate check.
CHINA_BOUNDS = {"lat": (3.0, 54.0), "lon": (73.0, 136.0)}

# How far (km) a point may lie outside its province's simplified polygon,
# by how precisely the point is known. A city-level point on a coastal city
# can fall just outside a simplified outline; a site-level point may not.
PROVINCE_TOLERANCE_KM = {"site": 5, "town": 10, "county": 20, "city": 25, "region": 50}

_PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "string",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one row) of one data file."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column '{self.column}'"
        if self.value is None and self.column is None:
            return f"{place}: {self.expected}"
        return f"{place}: value {self.value!r}: {self.expected}"


class DataValidationError(ValueError):
    """Raised when a data file breaks its schema or a cross-table rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:25])
        more = f"\n... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")


@dataclass(frozen=True)
class Catalogue:
    """All tables of the data package, typed and validated."""

    provinces: pd.DataFrame
    sources: pd.DataFrame
    facilities: pd.DataFrame
    milestones: pd.DataFrame
    peers: pd.DataFrame
    nature_index: pd.DataFrame
    research_spending: pd.DataFrame
    descriptor: dict = field(repr=False)
    data_dir: Path = DATA_DIR
    # Per-value sources (value_sources.csv); a catalogue built in code may leave it out.
    value_sources: pd.DataFrame = field(default_factory=lambda: _empty_table("value_sources"))

    def resource(self, name: str) -> dict:
        """The datapackage.json description of one resource."""
        for resource in self.descriptor["resources"]:
            if resource["name"] == name:
                return resource
        raise KeyError(name)

    def field_enum(self, table: str, column: str) -> list[str]:
        """The controlled list of a column, in the order the schema gives it."""
        for column_schema in self.resource(table)["schema"]["fields"]:
            if column_schema["name"] == column:
                return list(column_schema.get("constraints", {}).get("enum", []))
        raise KeyError(f"{table}.{column}")

    def field_schema(self, table: str, column: str) -> dict:
        for column_schema in self.resource(table)["schema"]["fields"]:
            if column_schema["name"] == column:
                return column_schema
        raise KeyError(f"{table}.{column}")

    @property
    def boundaries_path(self) -> Path:
        return self.data_dir / self.resource("province_boundaries")["path"]

    @cached_property
    def boundaries_geojson(self) -> dict:
        return json.loads(self.boundaries_path.read_text(encoding="utf-8"))

    @property
    def fields(self) -> list[str]:
        return self.field_enum("facilities", "field")

    @property
    def statuses(self) -> list[str]:
        return self.field_enum("facilities", "status")

    @property
    def funding_types(self) -> list[str]:
        return self.field_enum("facilities", "funding")

    @property
    def province_names(self) -> list[str]:
        return self.provinces["name_en"].tolist()


def _empty_table(name: str) -> pd.DataFrame:
    """An empty, typed table of one resource of the real data package."""
    resource = _tabular_resources(read_descriptor())[name]
    fields = resource["schema"]["fields"]
    return pd.DataFrame({f["name"]: pd.Series(dtype=_PANDAS_DTYPES[f["type"]] if f["type"] != "boolean" else "boolean")
                         for f in fields})


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    return json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))


def _tabular_resources(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r for r in descriptor["resources"] if r.get("profile") == "tabular-data-resource"}


def _schema_problems(descriptor: dict, data_dir: Path) -> list[Problem]:
    """Cell- and row-level problems found by the frictionless validator."""
    from frictionless import Package  # imported here: it is slow to import and only needed once

    package = Package(descriptor, basepath=str(data_dir))
    report = package.validate()
    problems = []
    for task in report.tasks:
        file_name = Path(task.place).name
        for error in task.errors:
            problems.append(
                Problem(
                    file=file_name,
                    row=getattr(error, "row_number", None),
                    column=getattr(error, "field_name", None) or ", ".join(getattr(error, "field_names", None) or []) or None,
                    value=getattr(error, "cell", None) or (", ".join(map(str, error.field_cells)) if getattr(error, "field_cells", None) else None),
                    expected=error.note or error.title,
                )
            )
    return problems


def _read_table(resource: dict, data_dir: Path) -> pd.DataFrame:
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_DTYPES[f["type"]] for f in fields if f["type"] != "boolean"}
    frame = pd.read_csv(
        Path(data_dir) / resource["path"],
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        true_values=["true", "True", "TRUE"],
        false_values=["false", "False", "FALSE"],
    )
    for f in fields:
        if f["type"] == "boolean":
            frame[f["name"]] = frame[f["name"]].astype("boolean")
    # Column order is the schema's, whatever the file's.
    return frame[[f["name"] for f in fields]]


def _cross_table_problems(tables: dict[str, pd.DataFrame], descriptor: dict, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    paths = {name: r["path"] for name, r in _tabular_resources(descriptor).items()}
    known_sources = set(tables["sources"]["id"])
    facility_ids = set(tables["facilities"]["id"])

    for name, frame in tables.items():
        if "source_ids" not in frame.columns:
            continue
        for index, cell in frame["source_ids"].items():
            for source_id in split_ids(cell):
                if source_id not in known_sources:
                    problems.append(
                        Problem(paths[name], index + 2, "source_ids", source_id, "an id listed in sources.csv")
                    )

    for table, column in (("milestones", "facility_id"), ("peers", "facility_id"), ("facilities", "predecessor_id")):
        for index, value in tables[table][column].items():
            if pd.notna(value) and value not in facility_ids:
                problems.append(Problem(paths[table], index + 2, column, value, "an id in facilities.csv"))

    facilities = tables["facilities"]
    year_order = [
        ("construction_start", "first_operation"),
        ("construction_start", "acceptance_year"),
        ("first_operation", "decommissioned_year"),
        ("construction_start", "decommissioned_year"),
    ]
    for index, row in facilities.iterrows():
        for earlier, later in year_order:
            if pd.notna(row[earlier]) and pd.notna(row[later]) and row[later] < row[earlier]:
                problems.append(
                    Problem(
                        paths["facilities"], index + 2, later, int(row[later]),
                        f"a year not before {earlier} ({int(row[earlier])})",
                    )
                )
        has_lat, has_lon = pd.notna(row["lat"]), pd.notna(row["lon"])
        if has_lat != has_lon:
            problems.append(Problem(paths["facilities"], index + 2, "lon" if has_lat else "lat", None,
                                    "both lat and lon, or neither"))
        if has_lat and has_lon and pd.isna(row["location_precision"]):
            problems.append(Problem(paths["facilities"], index + 2, "location_precision", None,
                                    "a precision (site, town, county, city, region) for the coordinates"))
        for axis in ("lat", "lon"):
            low, high = CHINA_BOUNDS[axis]
            if pd.notna(row[axis]) and not low <= row[axis] <= high:
                problems.append(Problem(paths["facilities"], index + 2, axis, float(row[axis]),
                                        f"a {axis} inside China's bounds ({low} to {high})"))

    problems += _province_polygon_problems(facilities, paths["facilities"], data_dir, descriptor)
    return problems


def _province_polygon_problems(facilities: pd.DataFrame, file_name: str, data_dir: Path, descriptor: dict) -> list[Problem]:
    """Each located facility lies in (or, within its precision, near) its named province."""
    boundaries = [r for r in descriptor["resources"] if r["name"] == "province_boundaries"]
    path = Path(data_dir) / boundaries[0]["path"] if boundaries else None
    if path is None or not path.exists():
        return [Problem(boundaries[0]["path"] if boundaries else "provinces.geojson", None, None, None,
                        "the province boundary file described in datapackage.json")]
    from shapely.geometry import Point, shape

    polygons = {
        feature["properties"]["name_en"]: shape(feature["geometry"])
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]
    }
    problems = []
    for index, row in facilities.iterrows():
        if pd.isna(row["province"]) or pd.isna(row["lat"]) or pd.isna(row["lon"]):
            continue
        polygon = polygons.get(row["province"])
        if polygon is None:
            continue  # an unknown province name is reported by the foreign-key check
        point = Point(float(row["lon"]), float(row["lat"]))
        # One degree is ~111 km; distance in degrees is good enough for a tolerance check.
        distance_km = polygon.distance(point) * 111.0
        tolerance_km = PROVINCE_TOLERANCE_KM.get(row["location_precision"], 0)
        if distance_km > tolerance_km:
            problems.append(
                Problem(file_name, index + 2, "lat", f"{row['lat']}, {row['lon']}",
                        f"a point inside {row['province']} (it lies ~{distance_km:.0f} km outside; "
                        f"'{row['location_precision']}' precision allows {tolerance_km} km)")
            )
    return problems


def load_catalogue(data_dir: Path | str = DATA_DIR, *, validate: bool = True) -> Catalogue:
    """Read, validate and type every table. Raises DataValidationError naming each bad cell."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    resources = _tabular_resources(descriptor)
    missing = [r["path"] for r in resources.values() if not (data_dir / r["path"]).exists()]
    if missing:
        raise DataValidationError([Problem(path, None, None, None, "this file, described in datapackage.json") for path in missing])
    if validate:
        problems = _schema_problems(descriptor, data_dir)
        if problems:
            raise DataValidationError(problems)
    tables = {name: _read_table(resources[name], data_dir) for name in TABLE_NAMES}
    if validate:
        from china_bigscience.source_quality import source_quality_problems  # it reads the Overview's claim rows

        paths = {name: r["path"] for name, r in resources.items()}
        problems = _cross_table_problems(tables, descriptor, data_dir) + source_quality_problems(tables, paths)
        if problems:
            raise DataValidationError(problems)
    return Catalogue(descriptor=descriptor, data_dir=data_dir, **tables)
