"""Rules on how well the data package's values are sourced, checked when the catalogue loads.

Each source in sources.csv has a quality class (primary, reputable, weak). The rules:

(a) weak sources are at most 10 % of all sources;
(b) every source has a quality and a title, and a date unless its quality_note says why it has none;
(c) no key figure of a facility rests only on weak sources, unless value_sources.csv marks it weakly
    sourced (such a value is then left out of headline numbers and checked claims);
(d) every row a checked claim of the Overview reads has at least one primary or reputable source.

value_sources.csv names the sources of single facility values whose support differs from the row's
``source_ids``, and keeps the other value where sources disagree. Like every rule of the loader, a
problem names the file, row, column and value, and what was expected.
"""

from __future__ import annotations

import pandas as pd

from china_bigscience.catalogue import Problem, split_ids

PRIMARY, REPUTABLE, WEAK = "primary", "reputable", "weak"
WEAK_SHARE_LIMIT = 0.10
# Key figures of a facility: where, how deep or high, how big, what it cost, when, and its status.
KEY_FACILITY_COLUMNS = (
    "province", "lat", "lon", "depth_m", "depth_mwe", "altitude_m", "scale_value", "cost_value",
    "construction_start", "first_operation", "acceptance_year", "decommissioned_year", "status",
)
# A source may lack a date only when its quality_note says why: the publisher gives none, or it was searched for.
NO_DATE_REASONS = ("gives no date", "date not known")


def qualities(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> quality class."""
    return dict(zip(sources["id"], sources["quality"]))


def only_weak(source_ids: list[str], quality_of: dict[str, str]) -> bool:
    """True when there are sources and every one of them is weak."""
    return bool(source_ids) and all(quality_of.get(source_id) == WEAK for source_id in source_ids)


def weakly_sourced_values(value_sources: pd.DataFrame) -> frozenset[tuple[str, str]]:
    """(facility id, column) of every value marked weakly sourced: never a headline or a checked claim."""
    if value_sources is None or value_sources.empty:
        return frozenset()
    marked = value_sources[value_sources["weakly_sourced"].fillna(False).astype(bool)]
    return frozenset(zip(marked["facility_id"], marked["column"]))


ValueSupport = dict[tuple[str, str], tuple[list[str], bool]]


def value_support_table(value_sources: pd.DataFrame) -> ValueSupport:
    """{(facility id, column): (source ids, marked weak)} of value_sources.csv's first row for each value, built
    once: a mask over the whole table per value took 0.87 s of the data's validation (476 values)."""
    first = value_sources.drop_duplicates(["facility_id", "column"])
    return {(facility_id, column): (split_ids(ids), bool(pd.notna(weak) and weak))
            for facility_id, column, ids, weak in zip(first["facility_id"], first["column"], first["source_ids"],
                                                      first["weakly_sourced"])}


def value_support(facility: pd.Series, column: str, support: ValueSupport) -> tuple[list[str], bool]:
    """The source ids of one facility value (its value_sources row, else the row's) and whether it is marked weak."""
    found = support.get((facility["id"], column))
    return found if found is not None else (split_ids(facility["source_ids"]), False)


def source_quality_problems(tables: dict[str, pd.DataFrame], paths: dict[str, str]) -> list[Problem]:
    """Every breach of rules (a) to (d), and of value_sources.csv's own consistency."""
    quality_of = qualities(tables["sources"])
    return (
        _weak_share_problems(tables["sources"], paths["sources"])
        + _source_record_problems(tables["sources"], paths["sources"])
        + _value_sources_problems(tables, paths, quality_of)
        + _key_figure_problems(tables, paths, quality_of)
        + _claim_row_problems(tables, paths, quality_of)
    )


def _weak_share_problems(sources: pd.DataFrame, path: str) -> list[Problem]:
    weak = int((sources["quality"] == WEAK).sum())
    if not len(sources) or weak <= WEAK_SHARE_LIMIT * len(sources):
        return []
    return [Problem(path, None, "quality", f"{weak} weak of {len(sources)} ({weak / len(sources):.1%})",
                    f"at most {WEAK_SHARE_LIMIT:.0%} of sources weak: find better sources, or drop values that only "
                    "weak sources support")]


def _source_record_problems(sources: pd.DataFrame, path: str) -> list[Problem]:
    problems = []
    for index, row in sources.iterrows():
        if pd.isna(row["quality"]):
            problems.append(Problem(path, index + 2, "quality", None, "a quality class (primary, reputable, weak)"))
        if pd.isna(row["title"]) or not str(row["title"]).strip():
            problems.append(Problem(path, index + 2, "title", row["title"], "the source's title"))
        note = "" if pd.isna(row["quality_note"]) else str(row["quality_note"])
        if pd.isna(row["date"]) and not any(reason in note for reason in NO_DATE_REASONS):
            problems.append(Problem(path, index + 2, "date", None,
                                    f"a date (year at least), or a quality_note saying why there is none "
                                    f"({' / '.join(repr(r) for r in NO_DATE_REASONS)})"))
    return problems


def _value_sources_problems(tables: dict[str, pd.DataFrame], paths: dict[str, str], quality_of: dict[str, str]) -> list[Problem]:
    value_sources, path = tables["value_sources"], paths["value_sources"]
    facilities = tables["facilities"].set_index("id")
    problems = []
    for index, row in value_sources.iterrows():
        place = (path, index + 2)
        for column in ("source_ids", "other_source_ids"):
            for source_id in split_ids(row[column]):
                if source_id not in quality_of:
                    problems.append(Problem(*place, column, source_id, "an id listed in sources.csv"))
        if row["facility_id"] not in facilities.index:
            continue  # reported by the foreign-key check
        if pd.isna(facilities.loc[row["facility_id"], row["column"]]):
            problems.append(Problem(*place, "column", row["column"],
                                    f"a column with a value in facilities.csv for {row['facility_id']}"))
        weak = only_weak(split_ids(row["source_ids"]), quality_of)
        marked = bool(pd.notna(row["weakly_sourced"]) and row["weakly_sourced"])
        if weak != marked:
            problems.append(Problem(*place, "weakly_sourced", marked,
                                    f"{str(weak).lower()}: its sources are {'all' if weak else 'not all'} weak"))
    return problems


def _key_figure_problems(tables: dict[str, pd.DataFrame], paths: dict[str, str], quality_of: dict[str, str]) -> list[Problem]:
    problems = []
    support = value_support_table(tables["value_sources"])
    for index, facility in tables["facilities"].iterrows():
        for column in KEY_FACILITY_COLUMNS:
            if pd.isna(facility[column]):
                continue
            source_ids, marked = value_support(facility, column, support)
            if only_weak(source_ids, quality_of) and not marked:
                problems.append(Problem(
                    paths["facilities"], index + 2, column, facility[column],
                    f"a primary or reputable source for {facility['id']}'s {column}, or a value_sources.csv row "
                    "marking it weakly sourced (its sources are all weak)"))
    return problems


def _claim_row_problems(tables: dict[str, pd.DataFrame], paths: dict[str, str], quality_of: dict[str, str]) -> list[Problem]:
    from china_bigscience.overview import claim_rows  # the Overview decides which rows its claims read

    problems = []
    for table, index in claim_rows(tables["peers"], tables["nature_index"], tables["research_spending"]):
        cell = tables[table].loc[index, "source_ids"]
        if only_weak(split_ids(cell), quality_of):
            problems.append(Problem(paths[table], int(index) + 2, "source_ids", cell,
                                    "at least one primary or reputable source: the Overview's checked claims read this row"))
    return problems
