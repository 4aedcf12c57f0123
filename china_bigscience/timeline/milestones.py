"""The milestones of the timeline: their points on the year axis, hover text, sources and table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from china_bigscience.charts import NOT_KNOWN, source_records
from china_bigscience.filters import milestones_for
from china_bigscience.labels import short_labels
from china_bigscience.source_ids import split_ids
from china_bigscience.timeline.common import is_known, fractional_year, plotly_text

def milestone_sources_text(source_ids: object, sources: pd.DataFrame) -> str:
    """'Publisher, “Title” (date)' for each source of one row, joined by semicolons."""
    records = source_records(sources)
    texts = []
    for source_id in split_ids(source_ids):
        source = records.get(source_id)
        if source is None:
            texts.append(source_id)
        else:
            texts.append(f"{source['publisher']}, “{source['title']}” ({source['date'] or 'n.d.'})")
    return "; ".join(texts)


def milestone_points(milestones: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The milestones with a date on the axis: facility, x, the row as a plain dict, and its sources in words."""
    x = milestones["date"].map(fractional_year)
    dated = milestones[x.notna()]
    return pd.DataFrame({
        "facility_id": dated["facility_id"].tolist(),
        "x": x[x.notna()].astype(float).tolist(),
        "row": dated.to_dict("records"),
        "sources": [milestone_sources_text(cell, sources) for cell in dated["source_ids"]],
    }, columns=["facility_id", "x", "row", "sources"])


def milestone_hover(row: Mapping[str, object], sources_text: str, facility_label: str) -> str:
    """Hover of one milestone: date, facility, event, reference with DOI/arXiv, source (all escaped)."""
    lines = [f"<b>{plotly_text(facility_label)}</b> · {plotly_text(row['date'])} · {plotly_text(row['kind'])}"
             + (" (planned)" if is_known(row.get("is_planned")) and bool(row["is_planned"]) else ""),
             plotly_text(row["event"])]
    if is_known(row.get("reference")):
        lines.append("Reference: " + plotly_text(row["reference"]))
    if is_known(row.get("doi")):
        lines.append("DOI: " + plotly_text(row["doi"]))
    if is_known(row.get("arxiv")):
        lines.append("arXiv: " + plotly_text(row["arxiv"]))
    lines.append("Source: " + plotly_text(sources_text or NOT_KNOWN))
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
                    kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """The milestones of the selected facilities, newest first, with reference links and sources."""
    rows = milestones_for(milestones, facilities)
    if kinds is not None:
        rows = rows[rows["kind"].isin(kinds)]
    label_of = dict(zip(facilities["id"], short_labels(facilities)))
    table = pd.DataFrame(
        {
            "Date": rows["date"].tolist(),
            "Facility": [label_of.get(i, i) for i in rows["facility_id"]],
            "Kind": rows["kind"].tolist(),
            "Event": rows["event"].tolist(),
            "Planned": ["yes" if is_known(p) and bool(p) else "" for p in rows["is_planned"]],
            "Reference": rows["reference"].fillna("").tolist(),
            "DOI": [f"https://doi.org/{d}" if is_known(d) else None for d in rows["doi"]],
            "arXiv": [f"https://arxiv.org/abs/{a}" if is_known(a) else None for a in rows["arxiv"]],
            "Source": [milestone_sources_text(cell, sources) for cell in rows["source_ids"]],
        }
    )
    return table.sort_values("Date", ascending=False, kind="stable").reset_index(drop=True)

