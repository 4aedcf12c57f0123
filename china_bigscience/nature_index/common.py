"""What the Nature Index modules share: names, colours, editions, journal sets and country Shares."""

from __future__ import annotations

import re

import pandas as pd

from china_bigscience.charts import CHINA_HIGHLIGHT, SERIES_COLOURS, WORLD_COLOUR
from china_bigscience.countries import CHINA, US_NAMES, canonical_country
from china_bigscience.i18n import ENGLISH

ALL_SUBJECTS = "All subjects"
US_COLOUR = "#0077BB"  # Paul Tol's "vibrant" blue: stands apart from the China highlight for colour-blind readers
# Other countries: series colours that stand out in both themes, none of them China's or the US's.
OTHER_COUNTRY_COLOURS = SERIES_COLOURS
SCOPE_DASHES = ("solid", "dot", "dash", "dashdot")
# The Nature Index 2015 Global measured output in weighted fractional count (WFC), not Share: its values are
# their own series and never enter a Share chart, a crossover or a gap.
NOT_SHARE_MARKER = "WFC"
CAS_NAME_PATTERN = re.compile(r"^\s*Chinese Academy of Sciences\b", re.IGNORECASE)  # not UCAS

SHARE_EXPLAINER = ENGLISH("ni.share_explainer")  # the page shows it in the reader's language

# The seed article's sentence, shown as its claim (cited), not as a data point.
SEED_CLAIM_SOURCE_ID = "nature_index_2024_big_science_bet"
SEED_CLAIM_TEXT = (
    "After overtaking the United States in natural-science output in the Nature Index in 2022, "
    "China is now almost 5,000 Share ahead."
)
CHROME_HEIGHT = 130  # pixels of legend and axes around the rows of a chart


def edition_year(edition: object) -> int:
    """The year in an edition's name ('2024 Research Leaders' -> 2024); 0 if it has none, so it sorts first."""
    match = re.search(r"(19|20)\d{2}", str(edition))
    return int(match.group(0)) if match else 0


def country_colour(country: str, others: list[str]) -> str:
    if country == CHINA:
        return CHINA_HIGHLIGHT
    if country == US_NAMES[0]:
        return US_COLOUR
    return OTHER_COUNTRY_COLOURS[others.index(country) % len(OTHER_COUNTRY_COLOURS)] if country in others else WORLD_COLOUR


def is_share_scope(scope: object) -> bool:
    """True for journal sets measured in Share (or its older name, fractional count); False for WFC."""
    return NOT_SHARE_MARKER not in str(scope)


def share_rows(nature_index: pd.DataFrame) -> pd.DataFrame:
    """The rows whose ``share`` column holds a Share (not a WFC)."""
    return nature_index.loc[nature_index["scope"].map(is_share_scope).astype(bool)]


def consecutive_runs(years: list[int]) -> list[list[int]]:
    """[2016, 2017, 2022] -> [[2016, 2017], [2022]]: a year with no value breaks the line."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def scope_order(nature_index: pd.DataFrame) -> list[str]:
    """Journal sets in the order of the data years they cover."""
    spans = nature_index.groupby("scope")["data_year"].agg(["min", "max"]).sort_values(["min", "max"])
    return list(spans.index)


def latest_edition_rows(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per ``keys``: the one from the newest edition (a later edition may revise a value)."""
    if rows.empty:
        return rows
    ordered = rows.assign(_edition_year=rows["edition"].map(edition_year)).sort_values(["_edition_year", "edition"])
    return ordered.groupby(keys, as_index=False, sort=False).last().drop(columns="_edition_year")


def country_shares(nature_index: pd.DataFrame) -> pd.DataFrame:
    """Countries' all-subject Share by data year and scope, newest edition per point."""
    shares = share_rows(nature_index)
    rows = shares[
        (shares["entity_type"] == "country")
        & (shares["subject"] == ALL_SUBJECTS)
        & shares["share"].notna()
    ].copy()
    rows["entity"] = rows["entity"].map(canonical_country)
    return latest_edition_rows(rows, ["entity", "data_year", "scope"]).sort_values(["entity", "scope", "data_year"])


