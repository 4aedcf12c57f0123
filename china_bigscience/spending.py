"""China's research spending: money by year (GERD and budgets) and the published year-on-year changes.

Pure functions over the catalogue's ``research_spending`` table; the Nature Index page draws
them beside the Nature Index charts.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import CHINA_HIGHLIGHT, NOT_KNOWN, Chart, base_layout, source_line
from china_bigscience.comparisons import format_number, plot_text, row_source_text
from china_bigscience.countries import CHINA, canonical_country

CENTRAL_BUDGET_INDICATOR = "central government S&T budget"


def china_spending(research_spending: pd.DataFrame) -> pd.DataFrame:
    return research_spending[research_spending["country"].astype(str).map(canonical_country) == CHINA]


def spending_levels_chart(research_spending: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
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
    palette = (CHINA_HIGHLIGHT, "#332288", "#44AA99", "#DDCC77", "#AA4499", "#999933")
    for index, indicator in enumerate(indicators):
        part = rows[rows["indicator"] == indicator]
        budget = part["is_budget"].fillna(False).astype(bool)
        figure.add_scatter(
            x=part["year"].astype(int), y=part["value"].astype(float), mode="lines+markers", name=plot_text(indicator),
            line={"color": palette[index % len(palette)]},
            marker={"size": 9, "symbol": ["circle-open" if b else "circle" for b in budget]},
            customdata=list(zip(["budget (plan)" if b else "outturn" for b in budget],
                                [f"{v:+.1f} %" if pd.notna(v) else NOT_KNOWN for v in part["change_pct"]],
                                [plot_text(row_source_text(c, sources)) for c in part["source_ids"]])),
            hovertemplate=(f"<b>{plot_text(indicator)}</b> %{{x}}: %{{y:,.1f}} {plot_text(unit)} (%{{customdata[0]}})"
                           "<br>Change on previous year: %{customdata[1]}<br>Source: %{customdata[2]}<extra></extra>"),
        )
    values = rows["value"].astype(float)
    log_axis = values.min() > 0 and values.max() / values.min() > 20
    figure.update_yaxes(type="log" if log_axis else "linear")
    if log_axis:
        ticks = _one_two_five_ticks(values.min(), values.max())
        figure.update_yaxes(tickvals=ticks, ticktext=[f"{t:,g}" for t in ticks])
    figure.update_xaxes(dtick=2 if rows["year"].max() - rows["year"].min() > 10 else 1)
    figure.update_layout(height=460)
    base_layout(figure, x_title="Year", y_title=f"{unit}, nominal" + (", log scale" if log_axis else ""))
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})

    alt = [f"Line chart of China's R&D spending and science budgets in {unit} ({int(rows['year'].min())}–"
           f"{int(rows['year'].max())}), {len(indicators)} measures"]
    for indicator in indicators:
        latest = rows[rows["indicator"] == indicator].iloc[-1]
        alt.append(f"{indicator} {int(latest['year'])}: {format_number(latest['value'], unit)}")
    data = _spending_table(china_spending(research_spending), sources)
    return Chart("china-research-spending", "China's R&D spending and science budgets", figure,
                 source_line(rows["source_ids"], sources), "; ".join(alt) + ".", data,
                 "Open markers: budgets (plans); filled: outturns. Nominal yuan, not adjusted for inflation. "
                 "GERD counts all sectors (companies, universities, institutes); the budgets are government lines.")


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


def spending_change_chart(research_spending: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """Year-on-year change of each spending measure, the latest central S&T budget rise annotated."""
    rows = china_spending(research_spending).dropna(subset=["change_pct"])
    if rows.empty:
        return None
    # A second figure for the same measure and year (preliminary, then final) gets its own bar beside the first.
    rows = rows.assign(figure_number=rows.groupby(["indicator", "year"]).cumcount()).sort_values(["year", "indicator"])
    years = sorted(rows["year"].astype(int).unique())
    indicators = list(dict.fromkeys(rows["indicator"]))
    palette = (CHINA_HIGHLIGHT, "#332288", "#44AA99", "#DDCC77", "#AA4499", "#999933")
    figure = go.Figure()
    for (index, indicator), figure_number in [((i, ind), n) for i, ind in enumerate(indicators)
                                              for n in sorted(rows.loc[rows["indicator"] == ind, "figure_number"].unique())]:
        part = rows[(rows["indicator"] == indicator) & (rows["figure_number"] == figure_number)]
        budget = part["is_budget"].fillna(False).astype(bool)
        name = plot_text(indicator) + (", later published figure" if figure_number else "")
        figure.add_bar(
            x=[str(int(y)) for y in part["year"]], y=part["change_pct"].astype(float), name=name,
            legendgroup=indicator, opacity=0.6 if figure_number else 1.0,
            marker={"color": palette[index % len(palette)],
                    "pattern": {"shape": ["/" if b else "" for b in budget], "fillmode": "overlay",
                                "fgcolor": "white", "fgopacity": 0.55, "solidity": 0.35}},
            text=[f"{v:+.1f}" for v in part["change_pct"]], textposition="outside",
            customdata=list(zip(["budget (plan)" if b else "outturn" for b in budget],
                                [plot_text(row_source_text(c, sources)) for c in part["source_ids"]])),
            hovertemplate=(f"<b>{plot_text(indicator)}</b> %{{x}}: %{{y:+.1f}} % (%{{customdata[0]}})"
                           "<br>Source: %{customdata[1]}<extra></extra>"),
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in years])
    figure.add_hline(y=0, line={"color": "#555555", "width": 1})
    figure.update_traces(cliponaxis=False)
    figure.update_layout(barmode="group", height=460)
    base_layout(figure, x_title="Year", y_title="Change on the previous year (%)")
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
    rise = central_budget_rise(research_spending)
    alt = [f"Grouped bar chart of the year-on-year change of {len(indicators)} Chinese spending measures, {years[0]}–{years[-1]}"]
    if rise is not None:
        alt.append(f"central government S&T budget {int(rise['year'])}: {rise['change_pct']:+.1f} %")
        same_year = rows[(rows["year"] == rise["year"]) & (rows["indicator"] != CENTRAL_BUDGET_INDICATOR)]
        alt += [f"{indicator} {int(year)}: {change:+.1f} %"
                for indicator, year, change in zip(same_year["indicator"], same_year["year"], same_year["change_pct"])]
    data = _spending_table(rows, sources)
    return Chart("china-research-spending-change", "How fast China's science spending grows, by measure", figure,
                 source_line(rows["source_ids"], sources), "; ".join(alt) + ".", data,
                 "Hatched: budgets (plans). The central budget, all-government spending and GERD are different "
                 "measures: compare the bars of one year to see which rise a headline means.")


def central_budget_rise(research_spending: pd.DataFrame) -> pd.Series | None:
    """The latest central-government S&T budget row with a published change."""
    rows = china_spending(research_spending)
    rows = rows[(rows["indicator"] == CENTRAL_BUDGET_INDICATOR) & rows["change_pct"].notna()].sort_values("year")
    return None if rows.empty else rows.iloc[-1]


def _spending_table(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    rows = rows.sort_values(["indicator", "year"])
    return pd.DataFrame({
        "Measure": rows["indicator"].values, "Year": rows["year"].astype(int).values,
        "Value": [format_number(v) for v in rows["value"]], "Unit": rows["unit"].values,
        "Change on previous year (%)": [f"{v:+.1f}" if pd.notna(v) else NOT_KNOWN for v in rows["change_pct"]],
        "Budget or outturn": rows["is_budget"].map(lambda b: "budget" if b is True else ("outturn" if b is False else NOT_KNOWN)).values,
        "Source": [row_source_text(c, sources) for c in rows["source_ids"]],
        "Notes": rows["notes"].fillna("").values,
    })

