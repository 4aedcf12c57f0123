"""China's national list of major S&T infrastructure (国家重大科技基础设施): how a facility's place on it is said.

One home for the three states a reader can choose and see (on the list, not on the list, not known),
for the functional types of Chinese policy, and for the profile's sentence with its sources.
"""

from __future__ import annotations

import pandas as pd

from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.source_ids import split_ids

ON_LIST, OFF_LIST, NOT_KNOWN_STATE = "on the list", "not on the list", "not known"
# In the order the sidebar, the map legend and the tables show them.
NATIONAL_LIST_STATES = (ON_LIST, OFF_LIST, NOT_KNOWN_STATE)
NATIONAL_LIST_COLOURS = {ON_LIST: "#CC3311", OFF_LIST: "#0077BB", NOT_KNOWN_STATE: "#BBBBBB"}
# The Chinese policy term beside each functional type (the English is the data's value).
FUNCTIONAL_TYPE_ZH = {
    "dedicated facility": "专用设施",
    "public experimental platform": "公共实验平台",
    "public-good infrastructure": "公益基础设施",
}


def national_list_state(value: object) -> str:
    """'on the list' for True, 'not on the list' for False, 'not known' for an empty cell."""
    if value is None or (not isinstance(value, bool) and pd.isna(value)):
        return NOT_KNOWN_STATE
    return ON_LIST if bool(value) else OFF_LIST


def national_list_states(facilities: pd.DataFrame) -> pd.Series:
    """The state of every facility, indexed like ``facilities``."""
    return facilities["on_national_list"].map(national_list_state, na_action=None).astype("string")


def functional_type_label(value: object, tr: Translator = ENGLISH) -> str:
    """'public experimental platform (公共实验平台)' in English, '公共实验平台' in Chinese, or 'not known'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
        return tr.value("functional_type", NOT_KNOWN_STATE)
    if tr.is_chinese:
        return tr.value("functional_type", str(value))
    zh = FUNCTIONAL_TYPE_ZH.get(str(value))
    return f"{value} ({zh})" if zh else str(value)


# The profile's sentence for each state (message keys).
STATEMENT_KEYS = {ON_LIST: "national_list.statement_on", OFF_LIST: "national_list.statement_off",
                  NOT_KNOWN_STATE: "national_list.statement_not_known"}


def national_list_statement(row: pd.Series, tr: Translator = ENGLISH) -> str:
    """The profile's sentence on the list (plain text; the sources are listed by ``national_list_source_ids``)."""
    return tr(STATEMENT_KEYS[national_list_state(row.get("on_national_list"))])


def national_list_source_ids(row: pd.Series) -> list[str]:
    return split_ids(row.get("national_list_source_ids"))
