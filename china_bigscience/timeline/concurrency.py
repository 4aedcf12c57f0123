"""How many facilities were under construction at the same time: the counting rule, its prose and two charts."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import (
    FIELD_COLOURS, FIELD_KEYS, FUNDING_COLOURS, NOT_KNOWN, Chart, base_layout, field_key_name, field_pattern,
    funding_pattern, source_line,
)
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels
from china_bigscience.source_ids import frame_source_ids
from china_bigscience.timeline.common import (
    PHOTON_SCIENCE,
    UNKNOWN_COLOUR,
    names_text,
    plotly_text,
    records_of,
    year_of,
    year_spans_text,
)

UNDER_CONSTRUCTION_DEFINITION = ENGLISH("timeline.definition")  # the page shows it in the reader's language

# Why a facility is not counted: the English reason (kept in ``construction_years``) -> its catalogue key.
NOT_COUNTED_REASONS = {
    "planned: not started": "timeline.reason.planned",
    "construction start not known": "timeline.reason.no_start",
    "status date not known": "timeline.reason.no_status_date",
    "first operation not known": "timeline.reason.no_first_operation",
    "no year between construction start and first operation": "timeline.reason.no_years",
}


def reason_text(reason: str, tr: Translator = ENGLISH) -> str:
    """A ``not_counted_because`` reason in the reader's language."""
    return tr(NOT_COUNTED_REASONS[reason]) if reason in NOT_COUNTED_REASONS else reason


def construction_years(facilities: pd.DataFrame) -> pd.DataFrame:
    """The years in which each facility was under construction, and the facilities that cannot be counted.

    Definition (the one shown on the page as ``UNDER_CONSTRUCTION_DEFINITION``): a facility is
    *under construction in year Y* when ``construction_start <= Y < first_operation``. When its
    status is 'under construction', it counts up to and including the year of ``status_as_of``
    (the newest source on its status) and no further, whatever its planned first operation: the
    status is the newest evidence, and years no source covers are not extrapolated. Facilities
    with status 'planned' never count; neither do those with no known construction start, nor
    those no longer under construction whose first operation is not known (when construction
    ended is unknown).

    Returns one row per facility with: ``id``, ``label``, ``first_year`` and ``last_year``
    (inclusive, ``<NA>`` when not counted), ``counted`` and ``not_counted_because``.
    """
    rows = []
    records = records_of(facilities, ["id", "status", "construction_start", "first_operation", "status_as_of"])
    for row, label in zip(records, short_labels(facilities)):
        start, first_operation = row["construction_start"], row["first_operation"]
        first = last = None
        reason = ""
        if row["status"] == "planned":
            reason = "planned: not started"
        elif start is None:
            reason = "construction start not known"
        elif row["status"] == "under construction":
            status_year = year_of(row["status_as_of"])
            if status_year is None:
                reason = "status date not known"
            else:
                first, last = int(start), int(status_year)
        elif first_operation is not None:
            first, last = int(start), int(first_operation) - 1
        else:
            reason = "first operation not known"
        if first is not None and last < first:
            # Started and operating in the same year (or a status older than the start): no full year of construction.
            first = last = None
            reason = "no year between construction start and first operation"
        rows.append(
            {
                "id": row["id"],
                "label": label,
                "first_year": first,
                "last_year": last,
                "counted": first is not None,
                "not_counted_because": reason,
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "label", "first_year", "last_year", "counted", "not_counted_because"])
    frame["first_year"] = frame["first_year"].astype("Int64")
    frame["last_year"] = frame["last_year"].astype("Int64")
    return frame


def facilities_under_construction_by_year(facilities: pd.DataFrame) -> pd.DataFrame:
    """One row per facility and year it was under construction (see ``construction_years``).

    Columns: ``year``, ``id``, ``label``, ``field``, ``province``, ``funding``.
    """
    spans = construction_years(facilities).to_dict("records")
    records = records_of(facilities, ["field", "province", "funding"])
    rows = []
    for span, row in zip(spans, records):
        if not span["counted"]:
            continue
        for year in range(int(span["first_year"]), int(span["last_year"]) + 1):
            rows.append(
                {
                    "year": year,
                    "id": span["id"],
                    "label": span["label"],
                    "field": row["field"],
                    "province": row["province"] or NOT_KNOWN,
                    "funding": row["funding"] or NOT_KNOWN,
                }
            )
    return pd.DataFrame(rows, columns=["year", "id", "label", "field", "province", "funding"])


def count_under_construction(facilities: pd.DataFrame, by: str = "field") -> pd.DataFrame:
    """The number of facilities under construction in each year, split by ``by`` (a facilities column).

    Columns: ``year``, ``group``, ``count``, ``facilities`` (their labels). Only non-zero groups
    appear; years between the first and last counted year with nothing under construction
    appear with group ``None`` and count 0, so the year axis has no silent gaps.
    """
    per_facility_year = facilities_under_construction_by_year(facilities)
    columns = ["year", "group", "count", "facilities"]
    if per_facility_year.empty:
        return pd.DataFrame(columns=columns)
    counts = (
        per_facility_year.groupby(["year", by], sort=True)
        .agg(count=("id", "size"), facilities=("label", lambda labels: ", ".join(sorted(labels))))
        .reset_index()
        .rename(columns={by: "group"})
    )
    all_years = range(int(counts["year"].min()), int(counts["year"].max()) + 1)
    empty_years = sorted(set(all_years) - set(counts["year"]))
    if empty_years:
        gaps = pd.DataFrame({"year": empty_years, "group": None, "count": 0, "facilities": ""})
        counts = pd.concat([counts, gaps], ignore_index=True).sort_values(["year"], kind="stable")
    counts["year"] = counts["year"].astype(int)
    counts["count"] = counts["count"].astype(int)
    return counts[columns].reset_index(drop=True)


def totals_by_year(counts: pd.DataFrame) -> pd.Series:
    """Total count per year from ``count_under_construction`` output."""
    if counts.empty:
        return pd.Series(dtype=int)
    return counts.groupby("year")["count"].sum().astype(int)


def peak_years(counts: pd.DataFrame) -> tuple[int, list[int]]:
    """The highest number under construction at once, and every year it was reached."""
    totals = totals_by_year(counts)
    if totals.empty or totals.max() == 0:
        return 0, []
    peak = int(totals.max())
    return peak, [int(year) for year in totals.index[totals == peak]]


def _facilities_in_years(per_facility_year: pd.DataFrame, years: Sequence[int]) -> list[str]:
    return sorted(set(per_facility_year.loc[per_facility_year["year"].isin(years), "label"]))


def describe_peaks(facilities: pd.DataFrame, highlight_field: str = PHOTON_SCIENCE, tr: Translator = ENGLISH) -> str:
    """The peak years of the under-construction count, in words, computed from the data.

    Names the overall peak and its facilities, the peak of ``highlight_field`` (photon science
    by default), and how many selected facilities could not be counted and why.
    """
    per_facility_year = facilities_under_construction_by_year(facilities)
    spans = construction_years(facilities)
    if per_facility_year.empty:
        return tr("timeline.peaks_none", count=len(facilities))
    counts = count_under_construction(facilities, by="field")
    peak, years = peak_years(counts)
    if years:
        sentences = [tr("timeline.peaks_most", peak=peak, years=year_spans_text(years, tr),
                        names=names_text(_facilities_in_years(per_facility_year, years[:1]), tr=tr), year=years[0])]
    else:
        sentences = [tr("timeline.peaks_most_no_year", peak=peak)]
    highlighted = per_facility_year[per_facility_year["field"] == highlight_field]
    field_name = tr.field(highlight_field)
    if not highlighted.empty:
        field_peak, field_years = peak_years(count_under_construction(facilities[facilities["field"] == highlight_field]))
        at_peak = _facilities_in_years(highlighted, field_years[:1])
        sentences.append(tr("timeline.peaks_field", field=field_name[:1].upper() + field_name[1:], peak=field_peak,
                            years=year_spans_text(field_years, tr), names=names_text(at_peak, tr=tr),
                            year=field_years[0]))
        overlapping = sorted(set(highlighted["label"]))
        sentences.append(tr("timeline.peaks_overlapping", count=len(overlapping), field=field_name,
                            names=names_text(overlapping, limit=12, tr=tr)))
    not_counted = spans[~spans["counted"]]
    if len(not_counted):
        reasons = not_counted.groupby("not_counted_because")["label"].apply(list)
        detail = tr("profile.detail_separator").join(
            tr("timeline.peaks_reason", reason=reason_text(reason, tr), names=names_text(sorted(names), tr=tr))
            for reason, names in reasons.items())
        sentences.append(tr("timeline.peaks_not_counted", count=len(not_counted), total=len(spans), detail=detail))
    return tr("common.sentence_space").join(sentences)


KEY_HALO = "0 0 1px #FFFFFF, 0 0 1px #FFFFFF, 0 0 1px #FFFFFF"


def _stacked_years_figure(
    counts: pd.DataFrame, order: Sequence[str], colours: dict[str, str], *, highlight: str | None, legend_title: str,
    kind: str = "field", tr: Translator = ENGLISH,
) -> go.Figure:
    figure = go.Figure()
    groups = [group for group in order if group in set(counts["group"].dropna())]
    # The highlighted group sits at the bottom of every stack, in full colour, so its bars share a baseline.
    if highlight in groups:
        groups = [highlight] + [g for g in groups if g != highlight]
    for group in groups:
        rows = counts[counts["group"] == group]
        is_highlight = highlight is not None and group == highlight
        shown = tr("common.not_known") if group == NOT_KNOWN else tr.value(kind, group)
        marker = {
            "color": colours.get(group, UNKNOWN_COLOUR),
            "opacity": 1.0 if (highlight is None or is_highlight) else 0.45,
            "line": {"color": "#1F2933" if is_highlight else "rgba(0,0,0,0)", "width": 1.5 if is_highlight else 0},
        }
        name, labels = plotly_text(shown, tr), {}
        if kind == "field" and group in FIELD_KEYS:  # never by colour alone: its key on each segment, its pattern
            marker["pattern"] = field_pattern(group)
            name = field_key_name(group, name)
            labels = {"text": [FIELD_KEYS[group]] * len(rows), "textposition": "inside", "textangle": 0,
                      "insidetextanchor": "middle",
                      # A dark letter with a thin white halo reads on every fill, pale or opaque, in either theme.
                      "textfont": {"size": 9, "color": "#1F2933", "shadow": KEY_HALO}}
        elif kind == "funding":  # five types: a pattern each, shown in the legend too
            marker["pattern"] = funding_pattern(group)
        figure.add_trace(
            go.Bar(
                x=rows["year"],
                y=rows["count"],
                name=name + (tr("timeline.highlighted") if is_highlight else ""),
                marker=marker,
                customdata=[plotly_text(text) for text in rows["facilities"]],
                hovertemplate=tr("timeline.concurrency_hover", group=plotly_text(shown, tr)) + "<extra></extra>",
                **labels,
            )
        )
    figure.update_layout(barmode="stack", bargap=0.15, legend_title_text=legend_title, legend_traceorder="normal")
    if kind == "field":
        # Narrower gaps and a taller plot (the legend above it takes seven rows) leave room for a key in a segment
        # a year wide and one facility tall; a key that still does not fit (on a phone) is left out rather than
        # shrunk, and the pattern and the hover remain.
        figure.update_layout(bargap=0.08, height=560, uniformtext={"minsize": 8, "mode": "hide"})
    base_layout(figure, x_title=tr("timeline.column_year"), y_title=tr("timeline.concurrency_axis"))
    figure.update_yaxes(rangemode="tozero", dtick=1 if not counts.empty and totals_by_year(counts).max() <= 12 else None)
    return figure


def concurrency_by_field_chart(
    facilities: pd.DataFrame, sources: pd.DataFrame, *, field_order: Sequence[str] | None = None,
    highlight_field: str | None = PHOTON_SCIENCE, tr: Translator = ENGLISH,
) -> Chart | None:
    """Stacked bars: facilities under construction each year, by field, with ``highlight_field`` picked out.

    Returns None when no selected facility has known years of construction (the page says so in words).
    """
    counts = count_under_construction(facilities, by="field")
    if counts.empty:
        return None
    order = list(field_order or FIELD_COLOURS)
    order += [g for g in counts["group"].dropna().unique() if g not in order]
    highlight = highlight_field if highlight_field in set(counts["group"]) else None
    figure = _stacked_years_figure(counts, order, FIELD_COLOURS, highlight=highlight,
                                   legend_title=tr("timeline.column_field"), kind="field", tr=tr)
    peak, years = peak_years(counts)
    counted = construction_years(facilities)
    counted_ids = set(counted.loc[counted["counted"], "id"])
    first_year, last_year = int(counts["year"].min()), int(counts["year"].max())
    alt = tr("timeline.by_field_alt", first=first_year, last=last_year, count=len(counted_ids), peak=peak,
             years=year_spans_text(years, tr))
    if highlight:
        field_counts = counts[counts["group"] == highlight]
        field_peak = int(field_counts["count"].max())
        field_years = field_counts.loc[field_counts["count"] == field_peak, "year"].tolist()
        alt += tr("timeline.by_field_alt_highlight", field=tr.field(highlight), peak=field_peak,
                  years=year_spans_text(field_years, tr))
    data = _counts_table(counts, "field", tr("timeline.column_field"), tr)
    highlight_name = tr.field(highlight) if highlight else ""
    return Chart(
        slug="under-construction-by-field",
        title=tr("timeline.by_field_title"),
        figure=figure,
        source_line=source_line(frame_source_ids(facilities[facilities["id"].isin(counted_ids)]), sources, tr=tr),
        alt_text=alt + tr("common.full_stop"),
        data=data,
        note=(tr("timeline.by_field_note", field=highlight_name[:1].upper() + highlight_name[1:]) if highlight else ""),
    )


def _counts_table(counts: pd.DataFrame, kind: str, group_header: str, tr: Translator) -> pd.DataFrame:
    """The 'show data' table of a concurrency chart, in the reader's language."""
    data = counts.dropna(subset=["group"])
    return pd.DataFrame({
        tr("timeline.column_year"): data["year"].values,
        group_header: [tr("common.not_known") if g == NOT_KNOWN else tr.value(kind, g) for g in data["group"]],
        tr("timeline.concurrency_axis"): data["count"].values,
        tr("timeline.column_facilities"): data["facilities"].values,
    })


def describe_funding(facilities: pd.DataFrame, funding_types: Sequence[str], tr: Translator = ENGLISH) -> str:
    """Who paid for the facilities under construction, in words (the 'facility first' and local-government point)."""
    per_facility_year = facilities_under_construction_by_year(facilities)
    if per_facility_year.empty:
        return ""
    counted = per_facility_year.drop_duplicates("id")
    by_funding = counted["funding"].value_counts()
    parts = [tr("timeline.count_funding", count=int(by_funding[f]), funding=_funding_name(f, tr))
             for f in [*funding_types, NOT_KNOWN] if f in by_funding.index]
    text = tr("timeline.funding_counted", count=len(counted), parts=tr.join(parts))
    local = [f for f in ("local government", "joint") if f in funding_types]
    if local:
        counts = count_under_construction(facilities, by="funding")
        peak, years = peak_years(counts)
        in_peak = counts[(counts["year"] == years[0]) & counts["group"].isin(local)]["count"].sum() if years else 0
        if years:
            text += tr("timeline.funding_peak", year=years[0], count=int(in_peak), peak=peak,
                       how=tr("timeline.or").join(tr.funding(f) for f in local))
    return text


def _funding_name(funding: str, tr: Translator) -> str:
    return tr("common.not_known") if funding == NOT_KNOWN else tr.funding(funding)


def concurrency_by_funding_chart(
    facilities: pd.DataFrame, sources: pd.DataFrame, *, funding_types: Sequence[str] | None = None,
    tr: Translator = ENGLISH,
) -> Chart | None:
    """Stacked bars: facilities under construction each year, by who pays. None when nothing can be counted."""
    counts = count_under_construction(facilities, by="funding")
    if counts.empty:
        return None
    order = list(funding_types or FUNDING_COLOURS) + [NOT_KNOWN]
    figure = _stacked_years_figure(counts, order, FUNDING_COLOURS, highlight=None,
                                   legend_title=tr("timeline.who_pays"), kind="funding", tr=tr)
    peak, years = peak_years(counts)
    totals_by_funding = (
        facilities_under_construction_by_year(facilities).drop_duplicates("id")["funding"].value_counts()
    )
    funding_text = tr.join(tr("timeline.funding_count", funding=_funding_name(f, tr), count=int(totals_by_funding[f]))
                           for f in order if f in totals_by_funding.index)
    peak_split = counts[counts["year"] == years[0]] if years else counts.iloc[0:0]
    split_text = tr.join(tr("timeline.funding_count", funding=_funding_name(g, tr), count=int(c))
                         for g, c in zip(peak_split["group"], peak_split["count"]) if g is not None)
    first_year, last_year = int(counts["year"].min()), int(counts["year"].max())
    alt = (
        tr("timeline.by_funding_alt", first=first_year, last=last_year, totals=funding_text, peak=peak,
           years=year_spans_text(years, tr))
        + (tr("timeline.by_funding_alt_peak", year=years[0], split=split_text) if split_text else "")
        + tr("common.full_stop")
    )
    data = _counts_table(counts, "funding", tr("timeline.who_pays"), tr)
    counted_ids = set(facilities_under_construction_by_year(facilities)["id"])
    return Chart(
        slug="under-construction-by-funding",
        title=tr("timeline.by_funding_title"),
        figure=figure,
        source_line=source_line(frame_source_ids(facilities[facilities["id"].isin(counted_ids)]), sources, tr=tr),
        alt_text=alt,
        data=data,
        note=tr("timeline.by_funding_note"),
    )

