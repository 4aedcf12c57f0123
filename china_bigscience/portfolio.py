"""China's own portfolio: the selected facilities counted by field, province, status or funding, and the
known investment by field, as ``Chart`` objects (the comparison page's second half).

Builders return ``None`` when there is nothing to draw, so that the page can say so in words.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import (
    CHROME_HEIGHT_PX,
    FIELD_COLOURS,
    FUNDING_COLOURS,
    NOT_KNOWN,
    ROW_HEIGHT_PX,
    STATUS_COLOURS,
    WORLD_COLOUR,
    Chart,
    base_layout,
    capitalised,
    format_number,
    hatch_pattern,
    plot_text,
    row_source_text,
    source_line,
    status_marker,
    year_text,
)
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.labels import short_labels


PORTFOLIO_DIMENSIONS = {
    "field": ("field", "field", FIELD_COLOURS),
    "province": ("province", "province", None),
    "status": ("status", "status", STATUS_COLOURS),
    "funding": ("funding", "funding source", FUNDING_COLOURS),
}


def dimension_label(dimension: str, tr: Translator = ENGLISH) -> str:
    """'field', 'funding source' (领域, 出资方): the words for a portfolio dimension."""
    return tr(f"compare.dimension.{dimension}")


def _group_name(dimension: str, value: str, tr: Translator) -> str:
    """A group's display name: field, status and funding values translated, provinces in Chinese from provinces.csv."""
    if value == NOT_KNOWN:
        return tr("common.not_known")
    if dimension == "province":
        return tr.province(value)
    return tr.value(dimension, value)


def portfolio_chart(facilities: pd.DataFrame, sources: pd.DataFrame, dimension: str = "field",
                    tr: Translator = ENGLISH) -> Chart | None:
    """Count of the selected Chinese facilities by field, province, status or funding, stacked by status."""
    if facilities.empty:
        return None
    column, _, _ = PORTFOLIO_DIMENSIONS[dimension]
    label = dimension_label(dimension, tr)
    frame = facilities.assign(
        group=facilities[column].fillna(NOT_KNOWN).astype(str),
        status_group=facilities["status"].astype(str),
        label=short_labels(facilities, tr),
    )
    shown = {g: _group_name(dimension, g, tr) for g in frame["group"].unique()}
    totals = frame["group"].value_counts()
    order = sorted(totals.index, key=lambda g: (g == NOT_KNOWN, -totals[g], g))
    figure = go.Figure()
    for status in [s for s in STATUS_COLOURS if s in set(frame["status_group"])]:
        part = frame[frame["status_group"] == status]
        counts = part.groupby("group")["label"].agg(["count", lambda names: ", ".join(names)])
        counts.columns = ["count", "names"]
        counts = counts.reindex([g for g in order if g in counts.index])
        status_name = tr.status(status)
        figure.add_bar(
            y=[plot_text(shown[g]) for g in counts.index], x=counts["count"], orientation="h", name=status_name,
            marker=status_marker(status),
            customdata=[plot_text(_shorten(n)) for n in counts["names"]],
            hovertemplate=tr("compare.portfolio_hover", status=status_name) + "<extra></extra>",
        )
    figure.update_layout(barmode="stack", height=CHROME_HEIGHT_PX + ROW_HEIGHT_PX * len(order),
                         legend={"traceorder": "normal"})
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(shown[g]) for g in order][::-1],
                        automargin=True)
    figure.update_xaxes(dtick=1 if totals.max() <= 10 else None)
    base_layout(figure, x_title=tr("compare.portfolio_axis"), y_title=None)

    status_table = frame.pivot_table(index="group", columns="status_group", values="id", aggfunc="count", fill_value=0)
    status_table = status_table.reindex(order)
    data = pd.DataFrame({capitalised(label): [shown[g] for g in status_table.index]})
    for status in status_table.columns:
        data[tr("compare.portfolio_column_status", status=capitalised(tr.status(status)))] = \
            status_table[status].astype(int).values
    data[tr("compare.portfolio_column_total")] = status_table.sum(axis=1).astype(int).values
    data[tr("compare.portfolio_column_facilities")] = [tr.join(frame.loc[frame["group"] == g, "label"]) for g in order]

    top = order[0] if order[0] != NOT_KNOWN or len(order) == 1 else order[1]
    alt = tr("compare.portfolio_alt", count=len(frame), label=label, groups=len(order), top=shown[top],
             top_count=totals[top])
    if NOT_KNOWN in totals.index:
        alt += tr("compare.portfolio_alt_unknown", label=label, count=totals[NOT_KNOWN])
    status_counts = frame["status_group"].value_counts()
    alt += tr("profile.detail_separator") + tr.join(
        tr("compare.count_status", count=count, status=tr.status(status)) for status, count in status_counts.items()
    ) + tr("common.full_stop")
    return Chart(
        slug=f"portfolio-by-{dimension}",
        title=tr("compare.portfolio_title", label=label),
        figure=figure,
        source_line=source_line(frame["source_ids"], sources, tr=tr),
        alt_text=alt,
        data=data,
    )


def _shorten(names: str, limit: int = 120) -> str:
    return names if len(names) <= limit else names[:limit].rsplit(",", 1)[0] + ", …"


def investment_chart(facilities: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> Chart | None:
    """Known cost by field: sum of CNY costs (million, nominal, mixed price years), estimates hatched."""
    if facilities.empty:
        return None
    costed = facilities[facilities["cost_value"].notna()]
    in_cny = costed[costed["cost_currency"] == "CNY"].copy()
    other_currency = costed[costed["cost_currency"] != "CNY"]
    if in_cny.empty:
        return None
    in_cny["estimate"] = in_cny["cost_is_estimate"].fillna(False).astype(bool)
    in_cny["label"] = short_labels(in_cny, tr)
    totals = in_cny.groupby("field")["cost_value"].sum().sort_values(ascending=False)
    figure = go.Figure()
    for estimate, name in ((False, tr("compare.investment_reported")), (True, tr("compare.investment_estimate"))):
        part = in_cny[in_cny["estimate"] == estimate]
        if part.empty:
            continue
        # Bars take their field's colour; the legend shows only what the hatching means, in neutral grey.
        figure.add_bar(x=[None], y=[None], orientation="h", name=name, showlegend=True, hoverinfo="skip",
                       marker={"color": WORLD_COLOUR, "pattern": hatch_pattern(estimate)})
        sums = part.groupby("field").agg(total=("cost_value", "sum"), count=("id", "count"),
                                         names=("label", lambda n: ", ".join(n)))
        sums = sums.reindex([f for f in totals.index if f in sums.index])
        figure.add_bar(
            y=[plot_text(tr.field(f)) for f in sums.index], x=sums["total"].astype(float), orientation="h", name=name,
            showlegend=False,
            marker={"color": [FIELD_COLOURS.get(f, WORLD_COLOUR) for f in sums.index],
                    "pattern": hatch_pattern(estimate)},
            customdata=list(zip(sums["count"], [plot_text(_shorten(n)) for n in sums["names"]])),
            hovertemplate=tr("compare.investment_hover", name=name) + "<extra></extra>",
        )
    figure.update_layout(barmode="stack", height=CHROME_HEIGHT_PX + ROW_HEIGHT_PX * len(totals), showlegend=True)
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(tr.field(f)) for f in totals.index][::-1],
                        automargin=True)
    base_layout(figure, x_title=tr("compare.investment_axis"), y_title=None)

    years = in_cny["cost_price_year"].dropna()
    price_years = f"{int(years.min())}–{int(years.max())}" if len(years) else tr("common.not_known")
    estimates = int(in_cny["estimate"].sum())
    other = ""
    if len(other_currency):
        other = tr("compare.investment_note_other_one" if len(other_currency) == 1 else "compare.investment_note_other",
                   count=len(other_currency))
    note = tr("compare.investment_note", count=len(in_cny), total=len(facilities), other=other, years=price_years,
              estimates=estimates)
    alt = tr("compare.investment_alt", count=len(in_cny), total=len(facilities), leader=tr.field(totals.index[0]),
             leader_value=f"{totals.iloc[0]:,.0f}", sum=f"{totals.sum():,.0f}", estimates=estimates)
    field_column, facility_column = tr("compare.column_field"), tr("compare.column_facility")
    data = pd.DataFrame({
        facility_column: in_cny["label"].values,
        field_column: in_cny["field"].astype(str).map(tr.field).values,
        tr("compare.investment_column_cost"): [format_number(v, tr=tr) for v in in_cny["cost_value"]],
        tr("compare.investment_column_price_year"): [year_text(v, tr) for v in in_cny["cost_price_year"]],
        tr("compare.investment_column_estimate"): in_cny["estimate"].map({True: tr("common.yes"),
                                                                          False: tr("common.no")}).values,
        tr("compare.column_source"): [row_source_text(cell, sources, tr) for cell in in_cny["source_ids"]],
        tr("compare.investment_column_note"): in_cny["cost_note"].fillna("").astype(str).values,
    }).sort_values([field_column, facility_column])
    return Chart(
        slug="investment-by-field",
        title=tr("compare.investment_title"),
        figure=figure,
        source_line=source_line(in_cny["source_ids"], sources, tr=tr),
        alt_text=alt,
        data=data,
        note=note,
    )
