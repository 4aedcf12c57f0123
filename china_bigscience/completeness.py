"""How complete and how well sourced each facility's record is, as MERIL shows a completeness bar.

Completeness counts the key facts of ``KEY_FACTS`` that a facility's row knows, out of those that
apply to it: a depth or altitude applies to the fields sited for it (underground or high up) and to any
facility that records one; a construction start to every facility that is not merely planned; a first
operation to facilities that operate or have operated. Sourcing counts the facility's own sources (its
row's ``source_ids``, its per-value sources in value_sources.csv and its national-list sources) by
quality class. Both are plain counts, so a reader can check them by hand on the profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from china_bigscience.cells import is_known
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.source_ids import unique_ids

PRIMARY, REPUTABLE, WEAK = "primary", "reputable", "weak"
QUALITY_CLASSES = (PRIMARY, REPUTABLE, WEAK)

# Fields whose sites are chosen for their depth or altitude, so the depth or altitude is a key fact.
DEPTH_OR_ALTITUDE_FIELDS = ("astroparticle & neutrino", "astronomy")
STARTED_STATUSES = ("under construction", "operating", "decommissioned")
OPERATED_STATUSES = ("operating", "decommissioned")


@dataclass(frozen=True)
class KeyFact:
    """A key fact: its name for readers and the columns of facilities.csv that hold it (any one known = known)."""

    name: str
    columns: tuple[str, ...]
    all_columns: bool = False  # True when every column is needed (a point needs both coordinates)


# The one list of key facts. Completeness, its tests and the profile read it.
KEY_FACTS = (
    KeyFact("location", ("lat", "lon"), all_columns=True),
    KeyFact("depth or altitude", ("depth_m", "depth_mwe", "altitude_m")),
    KeyFact("scale", ("scale_value",)),
    KeyFact("cost", ("cost_value",)),
    KeyFact("construction start", ("construction_start",)),
    KeyFact("first operation", ("first_operation",)),
    KeyFact("status", ("status",)),
    KeyFact("operator", ("operator",)),
    KeyFact("funding", ("funding",)),
)
FACT_OF_COLUMN = {column: fact.name for fact in KEY_FACTS for column in fact.columns}


def fact_known(row: pd.Series, fact: KeyFact) -> bool:
    found = [is_known(row.get(column)) for column in fact.columns]
    return all(found) if fact.all_columns else any(found)


def fact_applies(row: pd.Series, fact: KeyFact) -> bool:
    """Whether ``fact`` is expected of this facility (see the module's first paragraph)."""
    if fact.name == "depth or altitude":
        return row.get("field") in DEPTH_OR_ALTITUDE_FIELDS or fact_known(row, fact)
    if fact.name == "construction start":
        return row.get("status") in STARTED_STATUSES or fact_known(row, fact)
    if fact.name == "first operation":
        return row.get("status") in OPERATED_STATUSES or fact_known(row, fact)
    return True


def applicable_facts(row: pd.Series) -> list[KeyFact]:
    return [fact for fact in KEY_FACTS if fact_applies(row, fact)]


def facts_known_share(facilities: pd.DataFrame) -> pd.Series:
    """Share (0 to 1) of each facility's applicable key facts that are known, indexed like ``facilities``."""
    def share(row: pd.Series) -> float:
        facts = applicable_facts(row)
        return sum(fact_known(row, fact) for fact in facts) / len(facts)

    if facilities.empty:
        return pd.Series(dtype=float, index=facilities.index)
    return facilities.apply(share, axis=1).astype(float)


def facility_source_ids(row: pd.Series, value_sources: pd.DataFrame | None = None) -> list[str]:
    """The facility's own sources: its row, its per-value sources and its national-list sources, once each."""
    cells = [row.get("source_ids")]
    if value_sources is not None and not value_sources.empty:
        cells += value_sources.loc[value_sources["facility_id"] == row["id"], "source_ids"].tolist()
    cells.append(row.get("national_list_source_ids"))
    return unique_ids(cells)


def weakly_sourced_facts(row: pd.Series, value_sources: pd.DataFrame | None) -> list[str]:
    """Key facts of the facility that value_sources.csv marks weakly sourced, in ``KEY_FACTS`` order."""
    if value_sources is None or value_sources.empty:
        return []
    own = value_sources[(value_sources["facility_id"] == row["id"])
                        & value_sources["weakly_sourced"].fillna(False).astype(bool)]
    marked = {FACT_OF_COLUMN.get(column, column) for column in own["column"]}
    return [fact.name for fact in KEY_FACTS if fact.name in marked] + sorted(marked - set(FACT_OF_COLUMN.values()))


def facility_completeness(
    facilities: pd.DataFrame, sources: pd.DataFrame, value_sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per facility: key facts applicable, known and missing; sources by quality class; weakly sourced facts.

    ``completeness`` is facts_known / facts_applicable (0 to 1); the ``*_share`` columns are each class's
    share of the facility's sources (empty when it has none).
    """
    quality_of = dict(zip(sources["id"], sources["quality"]))
    # Each facility's own value_sources rows, split once: a mask over the whole table per facility made this
    # quadratic (6 s for the Data explorer at 30 times the catalogue).
    own_value_sources = ({} if value_sources is None or value_sources.empty
                         else dict(tuple(value_sources.groupby("facility_id", sort=False))))
    records = []
    for _, row in facilities.iterrows():
        facts = applicable_facts(row)
        known = [fact.name for fact in facts if fact_known(row, fact)]
        own = own_value_sources.get(row["id"])
        source_ids = facility_source_ids(row, own)
        counts = {quality: sum(quality_of.get(s) == quality for s in source_ids) for quality in QUALITY_CLASSES}
        total = len(source_ids)
        records.append({
            "id": row["id"],
            "facts_applicable": len(facts),
            "facts_known": len(known),
            "completeness": len(known) / len(facts),
            "missing_facts": "; ".join(fact.name for fact in facts if fact.name not in known),
            "sources": total,
            **counts,
            **{f"{quality}_share": (counts[quality] / total if total else None) for quality in QUALITY_CLASSES},
            "weakly_sourced_facts": "; ".join(weakly_sourced_facts(row, own)),
        })
    columns = ["id", "facts_applicable", "facts_known", "completeness", "missing_facts", "sources",
               *QUALITY_CLASSES, *(f"{q}_share" for q in QUALITY_CLASSES), "weakly_sourced_facts"]
    return pd.DataFrame(records, columns=columns)


def whole_percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole percent, halves rounded up (5 of 8 is 63 %, as a reader counts)."""
    return (200 * int(part) + int(whole)) // (2 * int(whole))


def percent(record: dict | pd.Series) -> int:
    """The share of key facts known in whole percent."""
    return whole_percent(record["facts_known"], record["facts_applicable"])


def fact_names(names: str, tr: Translator = ENGLISH) -> str:
    """Key facts as stored ('cost; scale') in running text in the reader's language ('cost, scale', '造价、规模')."""
    return tr.join(tr.value("key_fact", name) for name in names.split("; ") if name)


def completeness_sentence(record: dict | pd.Series, tr: Translator = ENGLISH) -> str:
    """'7 of 9 key facts known (78%); not known: cost, scale.' for the profile's bar."""
    text = tr("completeness.known", known=int(record["facts_known"]), applicable=int(record["facts_applicable"]),
              percent=percent(record))
    missing = record["missing_facts"]
    return text + (tr("completeness.missing", facts=fact_names(missing, tr)) if missing else tr("common.full_stop"))


def sourcing_sentence(record: dict | pd.Series, tr: Translator = ENGLISH) -> str:
    """'5 sources of its facts: 3 primary, 2 reputable, 0 weak.'"""
    total = int(record["sources"])
    if not total:
        return tr("completeness.no_sources")
    classes = tr.join(tr("completeness.class_count", count=int(record[quality]), quality=tr.value("quality", quality))
                      for quality in QUALITY_CLASSES)
    return tr(f"completeness.sources.{'one' if total == 1 else 'other'}", count=total, classes=classes)


def key_fact_names(tr: Translator = ENGLISH) -> list[str]:
    return [tr.value("key_fact", fact.name) for fact in KEY_FACTS]

