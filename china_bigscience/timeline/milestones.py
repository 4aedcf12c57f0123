"""The milestones of the timeline: their points on the year axis, hover text, sources and table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from china_bigscience.charts import NOT_KNOWN, source_records
from china_bigscience.filters import milestones_for
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels
from china_bigscience.source_ids import split_ids
from china_bigscience.timeline.common import is_known, fractional_year, plotly_text

def milestone_sources_text(source_ids: object, sources: pd.DataFrame, tr: Translator = ENGLISH) -> str:
    """'Publisher, “Title” (date)' for each source of one row, joined by semicolons."""
    records = source_records(sources)
    texts = []
    for source_id in split_ids(source_ids):
        source = records.get(source_id)
        if source is None:
            texts.append(source_id)
        else:
            texts.append(tr("timeline.source_text", publisher=source["publisher"], title=source["title"],
                            date=source["date"] or tr("common.n_d")))
    return tr("profile.detail_separator").join(texts)


def milestone_points(milestones: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The milestones with a date on the axis: facility, x, the row as a plain dict, and its sources in words."""
    x = milestones["date"].map(fractional_year)
    dated = milestones[x.notna()]
    return pd.DataFrame({
        "facility_id": dated["facility_id"].tolist(),
        "x": x[x.notna()].astype(float).tolist(),
        "row": dated.to_dict("records"),
        "sources": [milestone_sources_text(cell, sources, tr) for cell in dated["source_ids"]],
    }, columns=["facility_id", "x", "row", "sources"])


def milestone_hover(row: Mapping[str, object], sources_text: str, facility_label: str,
                    tr: Translator = ENGLISH) -> str:
    """Hover of one milestone: date, facility, event, reference with DOI/arXiv, source (all escaped)."""
    lines = [f"<b>{plotly_text(facility_label, tr)}</b> · {plotly_text(row['date'], tr)} · "
             f"{plotly_text(tr.value('milestone_kind', row['kind']), tr)}"
             + (tr("timeline.hover_planned") if is_known(row.get("is_planned")) and bool(row["is_planned"]) else ""),
             plotly_text(row["event"], tr)]
    if is_known(row.get("reference")):
        lines.append(tr("timeline.hover_reference", text=plotly_text(row["reference"], tr)))
    if is_known(row.get("doi")):
        lines.append(tr("timeline.hover_doi", text=plotly_text(row["doi"], tr)))
    if is_known(row.get("arxiv")):
        lines.append(tr("timeline.hover_arxiv", text=plotly_text(row["arxiv"], tr)))
    lines.append(tr("timeline.hover_source", text=plotly_text(sources_text or tr("common.not_known"), tr)))
    return "<br>".join(wrap_hover(line) for line in lines)


def wrap_hover(text: str, width: int = 70) -> str:
    """Break long hover lines at spaces so the hover box stays on a phone screen."""
    words, lines, current = text.split(" "), [], ""
    for word in words:
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


def milestone_table(milestones: pd.DataFrame, facilities: pd.DataFrame, sources: pd.DataFrame,
                    kinds: Sequence[str] | None = None, tr: Translator = ENGLISH) -> pd.DataFrame:
    """The milestones of the selected facilities, newest first, with reference links and sources.

    Column names stay English (the page's column settings refer to them); ``milestone_table_labels``
    gives their headers in the reader's language.
    """
    return _milestone_table(milestones, facilities, sources, kinds, tr)


MILESTONE_TABLE_COLUMNS = ("Date", "Facility", "Kind", "Event", "Planned", "Reference", "DOI", "arXiv", "Source")


def milestone_table_labels(tr: Translator = ENGLISH) -> dict[str, str]:
    """{column: header in the reader's language} of ``milestone_table``."""
    return {column: tr(f"timeline.milestone_column.{column}") for column in MILESTONE_TABLE_COLUMNS}


def _milestone_table(milestones: pd.DataFrame, facilities: pd.DataFrame, sources: pd.DataFrame,
                     kinds: Sequence[str] | None, tr: Translator) -> pd.DataFrame:
    """The milestones of the selected facilities, newest first, with reference links and sources."""
    rows = milestones_for(milestones, facilities)
    if kinds is not None:
        rows = rows[rows["kind"].isin(kinds)]
    label_of = dict(zip(facilities["id"], short_labels(facilities)))
    table = pd.DataFrame(
        {
            "Date": rows["date"].tolist(),
            "Facility": [label_of.get(i, i) for i in rows["facility_id"]],
            "Kind": [tr.value("milestone_kind", k) for k in rows["kind"]],
            "Event": rows["event"].tolist(),
            "Planned": [tr("common.yes") if is_known(p) and bool(p) else "" for p in rows["is_planned"]],
            "Reference": rows["reference"].fillna("").tolist(),
            "DOI": [f"https://doi.org/{d}" if is_known(d) else None for d in rows["doi"]],
            "arXiv": [f"https://arxiv.org/abs/{a}" if is_known(a) else None for a in rows["arxiv"]],
            "Source": [milestone_sources_text(cell, sources, tr) for cell in rows["source_ids"]],
        }
    )
    return table.sort_values("Date", ascending=False, kind="stable").reset_index(drop=True)

