"""How a facility (or a peer) is named on screen: one rule for each kind of label, used by every chart and page.

- ``short_labels``: chart rows and hover lists. The acronym, else the name (Chinese for a Chinese reader); the id is
  added where two would clash, so every row has its own label.
- ``display_name``: titles and tooltips. The English name (the id when it has none); ``display_names`` by id.
- ``menu_label``: menus, links and headings. 'JUNO: Jiangmen Underground Neutrino Observatory (江门中微子实验)';
  ``menu_labels`` by id.
- ``short_peer_name``: the axis of a comparison, for peers named in free text ('… (JUNO)' -> 'JUNO').
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from china_bigscience.cells import cell_text
from china_bigscience.charts import NOT_KNOWN
from china_bigscience.i18n import ENGLISH, Translator


def short_labels(facilities: pd.DataFrame, tr: Translator = ENGLISH) -> pd.Series:
    """Short, unique row labels: the acronym (or the name), with the id added when two would clash.

    A facility without an acronym is named in the reader's language: a Chinese reader gets its
    Chinese name (the English one when the data has none), not a cut English name.
    """
    names = facilities["name_en"]
    if tr.is_chinese and "name_zh" in facilities:
        chinese = facilities["name_zh"].where(facilities["name_zh"].astype("string").str.strip().fillna("") != "")
        names = chinese.fillna(names)
    labels = facilities["acronym"].fillna(names).astype(str).str.strip()
    labels = labels.where(labels != "", names.astype(str))
    duplicated = labels.duplicated(keep=False)
    return labels.where(~duplicated, labels + " (" + facilities["id"].astype(str) + ")")


def short_label(row: pd.Series) -> str:
    """One facility's short label: its acronym, else its English name (not made unique: see ``short_labels``)."""
    return cell_text(row.get("acronym")) or cell_text(row.get("name_en")) or cell_text(row.get("id")) or NOT_KNOWN


def display_name(row: pd.Series, tr: Translator = ENGLISH) -> str:
    """The facility's English name (in Chinese: both names, Chinese first); its id when the name is missing."""
    english = cell_text(row.get("name_en")) or cell_text(row.get("id"))
    if tr.is_chinese and english:
        return tr.facility_name(english, row.get("name_zh"))
    return english or tr("common.not_known")


def display_names(facilities: pd.DataFrame, tr: Translator = ENGLISH) -> dict[str, str]:
    """``display_name`` of each facility, by id."""
    return _by_id(facilities, display_name, tr)


def menu_labels(facilities: pd.DataFrame, tr: Translator = ENGLISH) -> dict[str, str]:
    """``menu_label`` of each facility, by id."""
    return _by_id(facilities, menu_label, tr)


def _by_id(facilities: pd.DataFrame, label, tr: Translator) -> dict[str, str]:
    # Only the name columns are turned into rows: the whole table's rows were 25-90 ms of a rerun.
    columns = [column for column in ("id", "name_en", "name_zh", "acronym") if column in facilities]
    return {row["id"]: label(row, tr) for row in facilities[columns].to_dict("records")}


def menu_label(row: Mapping[str, object], tr: Translator = ENGLISH) -> str:
    """'JUNO: Jiangmen Underground Neutrino Observatory (江门中微子实验)' for menus and headings.

    In Chinese the Chinese name leads: '江门中微子实验（JUNO：Jiangmen Underground Neutrino Observatory）'.
    """
    return tr.facility_name(row["name_en"], row.get("name_zh"), row.get("acronym"))


def short_peer_name(name: str) -> str:
    """The name a chart axis can carry on a phone: the acronym in brackets, or the name before a long bracket.

    'Jiangmen Underground Neutrino Observatory (JUNO)' -> 'JUNO'; 'PETRA III (upgrade to PETRA IV)' -> 'PETRA III';
    names without brackets stay whole. The full name stays in the hover and the data table.
    """
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", str(name))
    if not match:
        return str(name)
    outer, inner = match.group(1).strip(" ,"), match.group(2).strip()
    if inner and not re.search(r"\s", inner) and len(inner) <= 14 and any(ch.isupper() for ch in inner):
        return inner
    if outer and len(outer) <= 30:
        return outer
    return str(name)
