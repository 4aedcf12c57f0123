"""China's research spending: money by year (GERD and budgets) and the published year-on-year changes.

Pure functions over the catalogue's ``research_spending`` table; the Nature Index page draws
them beside the Nature Index charts.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import (
    CHINA_HIGHLIGHT, NOT_KNOWN, SERIES_COLOURS, Chart, base_layout, format_number, plot_text, row_source_text, source_line,
)
from china_bigscience.countries import CHINA, canonical_country
from china_bigscience.i18n import CHINESE_TEXT_UNITS, ENGLISH, Translator

CENTRAL_BUDGET_INDICATOR = "central government S&T budget"


def china_spending(research_spending: pd.DataFrame) -> pd.DataFrame:
    return research_spending[research_spending["country"].astype(str).map(canonical_country) == CHINA]


def _kind(budget: bool, tr: Translator) -> str:
    return tr("ni.budget_plan") if budget else tr("ni.outturn")


def spending_levels_chart(research_spending: pd.DataFrame, sources: pd.DataFrame,
                          tr: Translator = ENGLISH) -> Chart | None:
    """China's spending in money (GERD, budgets) by year; budgets as open markers; percent indicators left out."""
    rows = china_spending(research_spending).dropna(subset=["value"])
    rows = rows[~rows["unit"].astype(str).str.contains("%")]
    if rows.empty:
        return None
    unit = rows["unit"].mode().iloc[0]  # one axis, one unit: rows in another unit stay in the table of their own
    # A year can have a preliminary and a final figure; the line takes the later row of the file (all are in the table).
    rows = rows[rows["unit"] == unit].drop_duplicates(["indicator", "year"], keep="last").sort_values(["indicator", "year"])
    figure = go.Figure()
    indicators = list(dict.fromkeys(rows.sort_values("value", ascending=False)["indicator"]))
    palette = (CHINA_HIGHLIGHT, *SERIES_COLOURS)
    for index, indicator in enumerate(indicators):
        part = rows[rows["indicator"] == indicator]
        budget = part["is_budget"].fillna(False).astype(bool)
        figure.add_scatter(
            x=part["year"].astype(int), y=part["value"].astype(float), mode="lines+markers",
            name=plot_text(tr.value("indicator", indicator)),
            line={"color": palette[index % len(palette)]},
            marker={"size": 9, "symbol": ["circle-open" if b else "circle" for b in budget]},
            customdata=list(zip([_kind(b, tr) for b in budget],
                                [f"{v:+.1f} %" if pd.notna(v) else tr("common.not_known") for v in part["change_pct"]],
                                [plot_text(row_source_text(c, sources, tr)) for c in part["source_ids"]])),
            hovertemplate=tr("ni.spending_hover", indicator=plot_text(tr.value("indicator", indicator)),
                             unit=plot_text(tr.unit(unit))) + "<extra></extra>",
        )
    values = rows["value"].astype(float)
    log_axis = values.min() > 0 and values.max() / values.min() > 20
    figure.update_yaxes(type="log" if log_axis else "linear")
    if log_axis:
        ticks = _one_two_five_ticks(values.min(), values.max())
        figure.update_yaxes(tickvals=ticks, ticktext=[f"{t:,g}" for t in ticks])
    figure.update_xaxes(dtick=2 if rows["year"].max() - rows["year"].min() > 10 else 1)
    figure.update_layout(height=460)
    base_layout(figure, x_title=tr("ni.column_year"),
                y_title=tr("ni.spending_y", unit=tr.unit(unit)) + (tr("ni.log_scale") if log_axis else ""))
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})

    alt = [tr("ni.spending_alt", unit=tr.unit(unit), first=int(rows["year"].min()), last=int(rows["year"].max()),
              count=len(indicators))]
    for indicator in indicators:
        latest = rows[rows["indicator"] == indicator].iloc[-1]
        alt.append(tr("ni.spending_alt_latest", indicator=tr.value("indicator", indicator), year=int(latest["year"]),
                      value=_amount(latest["value"], unit, tr)))
    data = _spending_table(china_spending(research_spending), sources, tr)
    return Chart("china-research-spending", tr("ni.spending_title"), figure,
                 source_line(rows["source_ids"], sources, tr=tr),
                 tr("profile.detail_separator").join(alt) + tr("common.full_stop"), data, tr("ni.spending_note"))


def _amount(value: float, unit: str, tr: Translator) -> str:
    """An amount for text: in Chinese, in the unit Chinese statistics use ('3,613 CNY bn' is 36,130亿元)."""
    if tr.is_chinese and unit in CHINESE_TEXT_UNITS:
        factor, chinese_unit = CHINESE_TEXT_UNITS[unit]
        return format_number(float(value) * factor, chinese_unit, tr)
    return format_number(value, tr.unit(unit), tr)


def _one_two_five_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks spanning [low, high] for a log axis, labelled in full (no '2 5' minor digits)."""
    import math

    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for step in (1, 2, 5):
            tick = step * 10 ** power
            if low / 2 <= tick <= high * 2:
                ticks.append(float(tick))
    return ticks


def spending_change_chart(research_spending: pd.DataFrame, sources: pd.DataFrame,
                          tr: Translator = ENGLISH) -> Chart | None:
    """Year-on-year change of each spending measure, the latest central S&T budget rise annotated."""
    rows = china_spending(research_spending).dropna(subset=["change_pct"])
    if rows.empty:
        return None
    # A second figure for the same measure and year (preliminary, then final) gets its own bar beside the first.
    rows = rows.assign(figure_number=rows.groupby(["indicator", "year"]).cumcount()).sort_values(["year", "indicator"])
    years = sorted(rows["year"].astype(int).unique())
    indicators = list(dict.fromkeys(rows["indicator"]))
    palette = (CHINA_HIGHLIGHT, *SERIES_COLOURS)
    figure = go.Figure()
    for (index, indicator), figure_number in [((i, ind), n) for i, ind in enumerate(indicators)
                                              for n in sorted(rows.loc[rows["indicator"] == ind, "figure_number"].unique())]:
        part = rows[(rows["indicator"] == indicator) & (rows["figure_number"] == figure_number)]
        budget = part["is_budget"].fillna(False).astype(bool)
        name = plot_text(tr.value("indicator", indicator)) + (tr("ni.later_figure") if figure_number else "")
        figure.add_bar(
            x=[str(int(y)) for y in part["year"]], y=part["change_pct"].astype(float), name=name,
            legendgroup=indicator, opacity=0.6 if figure_number else 1.0,
            marker={"color": palette[index % len(palette)],
                    "pattern": {"shape": ["/" if b else "" for b in budget], "fillmode": "overlay",
                                "fgcolor": "white", "fgopacity": 0.55, "solidity": 0.35}},
            text=[f"{v:+.1f}" for v in part["change_pct"]], textposition="outside",
            customdata=list(zip([_kind(b, tr) for b in budget],
                                [plot_text(row_source_text(c, sources, tr)) for c in part["source_ids"]])),
            hovertemplate=tr("ni.growth_hover", indicator=plot_text(tr.value("indicator", indicator)))
            + "<extra></extra>",
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in years])
    figure.add_hline(y=0, line={"color": "#555555", "width": 1})
    figure.update_traces(cliponaxis=False)
    figure.update_layout(barmode="group", height=460)
    base_layout(figure, x_title=tr("ni.column_year"), y_title=tr("ni.growth_y"))
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
    rise = central_budget_rise(research_spending)
    alt = [tr("ni.growth_alt", count=len(indicators), first=years[0], last=years[-1])]
    if rise is not None:
        alt.append(tr("ni.indicator_change", indicator=tr.value("indicator", CENTRAL_BUDGET_INDICATOR),
                      year=int(rise["year"]), change=f"{rise['change_pct']:+.1f}"))
        same_year = rows[(rows["year"] == rise["year"]) & (rows["indicator"] != CENTRAL_BUDGET_INDICATOR)]
        alt += [tr("ni.indicator_change", indicator=tr.value("indicator", indicator), year=int(year),
                   change=f"{change:+.1f}")
                for indicator, year, change in zip(same_year["indicator"], same_year["year"], same_year["change_pct"])]
    data = _spending_table(rows, sources, tr)
    return Chart("china-research-spending-change", tr("ni.growth_title"), figure,
                 source_line(rows["source_ids"], sources, tr=tr),
                 tr("profile.detail_separator").join(alt) + tr("common.full_stop"), data, tr("ni.growth_note"))


def central_budget_rise(research_spending: pd.DataFrame) -> pd.Series | None:
    """The latest central-government S&T budget row with a published change."""
    rows = china_spending(research_spending)
    rows = rows[(rows["indicator"] == CENTRAL_BUDGET_INDICATOR) & rows["change_pct"].notna()].sort_values("year")
    return None if rows.empty else rows.iloc[-1]


def _spending_table(rows: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    rows = rows.sort_values(["indicator", "year"])
    not_known = tr("common.not_known")
    return pd.DataFrame({
        tr("ni.column_indicator"): rows["indicator"].map(lambda i: tr.value("indicator", i)).values,
        tr("ni.column_year"): rows["year"].astype(int).values,
        tr("ni.column_value"): [format_number(v, tr=tr) for v in rows["value"]],
        tr("ni.column_unit"): rows["unit"].map(tr.unit).values,
        tr("ni.column_growth"): [f"{v:+.1f}" if pd.notna(v) else not_known for v in rows["change_pct"]],
        tr("ni.column_budget"): rows["is_budget"].map(
            lambda b: tr("ni.budget") if b is True else (tr("ni.outturn") if b is False else not_known)).values,
        tr("ni.column_source"): [row_source_text(c, sources, tr) for c in rows["source_ids"]],
        tr("ni.column_notes"): rows["notes"].fillna("").values,
    })

