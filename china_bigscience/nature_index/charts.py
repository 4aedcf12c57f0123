"""The Nature Index charts: Share across the journal-set break, adjusted-Share changes, subjects, institutions."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import CHINA_HIGHLIGHT, NOT_KNOWN, WORLD_COLOUR, Chart, base_layout, format_value, source_line
from china_bigscience.comparisons import format_number, plot_text, row_source_text
from china_bigscience.countries import CHINA, US_NAMES, canonical_country
from china_bigscience.source_ids import unique_ids
from china_bigscience.nature_index.common import (
    ALL_SUBJECTS,
    CAS_NAME_PATTERN,
    CHROME_HEIGHT,
    SCOPE_DASHES,
    consecutive_runs,
    country_colour,
    country_shares,
    edition_year,
    latest_edition_rows,
    scope_order,
)
from china_bigscience.nature_index.leads import Crossover, Lead, signed, china_us_crossover, latest_gap

# --- Charts ----------------------------------------------------------------------------------


def share_chart(nature_index: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """Share by data year per country, one trace per journal set, the break drawn, crossover and gap annotated."""
    shares = country_shares(nature_index)
    if shares.empty:
        return None
    scopes = scope_order(shares)
    countries = list(dict.fromkeys([c for c in (CHINA, US_NAMES[0]) if c in set(shares["entity"])]
                                   + sorted(shares.groupby("entity")["share"].max().sort_values(ascending=False).index)))
    figure = go.Figure()
    _add_share_lines(figure, shares, countries, scopes, sources)
    breaks = _draw_scope_breaks(figure, shares, scopes)
    crossover = china_us_crossover(nature_index)
    gap = latest_gap(nature_index)
    _annotate_crossover_and_gap(figure, crossover, gap)
    years = shares["data_year"].astype(int)
    figure.update_xaxes(dtick=1, range=[years.min() - 0.6, years.max() + 0.8])
    figure.update_layout(height=480, legend={"y": -0.25, "yanchor": "top"})
    base_layout(figure, x_title="Data year (calendar year of the articles)", y_title="Share (fractional article count)")
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"}, margin={"t": 60})

    alt = [f"Line chart of Nature Index Share by data year for {len(countries)} countries "
           f"({', '.join(countries)}), {years.min()}–{years.max()}, one line per journal set"]
    for position, earlier, later in breaks:
        alt.append(f"the journal set changes between {int(position - 0.5)} ({earlier}) and {int(position + 0.5)} ({later})")
    if crossover:
        alt.append(f"China first ahead of the US in {crossover.lead.data_year} ({crossover.lead.scope})")
    if gap:
        alt.append(f"latest gap {gap.data_year}: China {format_number(gap.china_share)}, US "
                   f"{format_number(gap.us_share)}, {signed(gap.gap)} Share ({gap.edition})")
    note = ("Solid and dotted lines are different journal sets and are not joined; a year with no published Share "
            "is a gap in the line, not joined across; open markers are values the "
            "compilers derived from published figures. Each point is from the newest edition that gives it "
            "(see the edition in the hover and the table).")
    return Chart("nature-index-share-china-us", "Nature Index Share: China, the US and other leading countries",
                 figure, source_line(shares["source_ids"], sources), "; ".join(alt) + ".",
                 _share_table(shares, sources), note)


def _add_share_lines(figure: go.Figure, shares: pd.DataFrame, countries: list[str], scopes: list[str],
                     sources: pd.DataFrame) -> None:
    """One line per country and journal set: China and the US bold, derived values as open markers."""
    others = [c for c in countries if c not in (CHINA, US_NAMES[0])]
    for country in countries:
        for scope_index, scope in enumerate(scopes):
            series = shares[(shares["entity"] == country) & (shares["scope"] == scope)].sort_values("data_year")
            # One trace per run of consecutive years: a year with no published value stays a gap, not a line.
            for run_index, run in enumerate(consecutive_runs(series["data_year"].astype(int).tolist())):
                _add_share_trace(figure, series[series["data_year"].isin(run)], country, scope, scope_index,
                                 others, sources, show_legend=run_index == 0)


def _add_share_trace(figure: go.Figure, part: pd.DataFrame, country: str, scope: str, scope_index: int,
                     others: list[str], sources: pd.DataFrame, show_legend: bool) -> None:
    """One line of consecutive data years for one country and journal set."""
    derived = part["is_derived"].fillna(False).astype(bool)
    figure.add_scatter(
        x=part["data_year"].astype(int), y=part["share"].astype(float),
        mode="lines+markers", name=f"{plot_text(country)}, {plot_text(scope)}",
        legendgroup=country, showlegend=show_legend,
        line={"color": country_colour(country, others), "dash": SCOPE_DASHES[scope_index % len(SCOPE_DASHES)],
              "width": 3 if country in (CHINA, US_NAMES[0]) else 1.5},
        marker={"symbol": ["circle-open" if d else "circle" for d in derived], "size": 9},
        customdata=list(zip(
            [plot_text(e) for e in part["edition"]],
            [plot_text(scope)] * len(part),
            ["yes (computed by the compilers)" if d else "no" for d in derived],
            [plot_text(row_source_text(cell, sources)) for cell in part["source_ids"]],
        )),
        hovertemplate=(f"<b>{plot_text(country)}</b> %{{x}}: Share %{{y:,.0f}}<br>Edition: %{{customdata[0]}}"
                       "<br>Journals: %{customdata[1]}<br>Derived: %{customdata[2]}"
                       "<br>Source: %{customdata[3]}<extra></extra>"),
    )


def _draw_scope_breaks(figure: go.Figure, shares: pd.DataFrame, scopes: list[str]) -> list[tuple[float, str, str]]:
    """A dashed line half-way between the last year of one journal set and the first of the next."""
    spans = shares.groupby("scope")["data_year"].agg(["min", "max"])
    breaks = []
    for earlier, later in zip(scopes, scopes[1:]):
        position = (spans.loc[earlier, "max"] + spans.loc[later, "min"]) / 2
        breaks.append((float(position), earlier, later))
        figure.add_vline(x=float(position), line={"dash": "dash", "color": "#555555", "width": 1})
        figure.add_annotation(x=float(position), y=1, yref="paper", yanchor="bottom", showarrow=False,
                              text=f"journal set changes<br>{plot_text(_short_scope(earlier))} → {plot_text(_short_scope(later))}",
                              font={"size": 11})
    return breaks


def _annotate_crossover_and_gap(figure: go.Figure, crossover: Crossover | None, gap: Lead | None) -> None:
    if crossover and crossover.lead.china_share is not None:
        figure.add_annotation(x=crossover.lead.data_year, y=crossover.lead.china_share, ax=25, ay=-55,
                              text=f"China ahead from {crossover.lead.data_year}<br>({plot_text(_short_scope(crossover.lead.scope))})",
                              showarrow=True, arrowhead=2, font={"size": 11})
    if gap and (crossover is None or gap.data_year != crossover.lead.data_year or gap.scope != crossover.lead.scope):
        # A bracket from the US value to China's, with the gap written beside it.
        bracket_x = gap.data_year + 0.12
        figure.add_shape(type="line", xref="x", yref="y", x0=bracket_x, x1=bracket_x, y0=gap.us_share, y1=gap.china_share,
                         line={"color": "#555555", "width": 2})
        figure.add_annotation(x=bracket_x, y=(gap.china_share + gap.us_share) / 2, xanchor="left", showarrow=False,
                              text=f" gap {gap.data_year}:<br> {signed(gap.gap)}" + ("<br> (derived)" if gap.derived else ""),
                              align="left", font={"size": 11})


def _share_table(shares: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Country": shares["entity"].values,
        "Data year": shares["data_year"].astype(int).values,
        "Share": [format_number(v) for v in shares["share"]],
        "Rank": [format_value(v) for v in shares["rank"]],
        "Journal set": shares["scope"].values,
        "Edition": shares["edition"].values,
        "Derived": shares["is_derived"].fillna(False).astype(bool).map({True: "yes", False: "no"}).values,
        "Source": [row_source_text(cell, sources) for cell in shares["source_ids"]],
        "Notes": shares["notes"].fillna("").values,
    })


def _short_scope(scope: str) -> str:
    """'natural + health sciences (145 journals)' -> '145 journals' for annotations on a phone."""
    match = re.search(r"\((\d+) journals\)", scope)
    return f"{match.group(1)} journals" if match else scope


def adjusted_share_change_chart(nature_index: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """Published % changes of adjusted Share by country and data year: no absolute values are invented."""
    rows = nature_index[(nature_index["entity_type"] == "country") & (nature_index["subject"] == ALL_SUBJECTS)
                        & nature_index["adjusted_share_change_pct"].notna()].copy()
    if rows.empty:
        return None
    rows["entity"] = rows["entity"].map(canonical_country)
    rows = latest_edition_rows(rows, ["entity", "data_year", "scope"]).sort_values(["data_year", "entity"])
    countries = list(dict.fromkeys([c for c in (CHINA, US_NAMES[0]) if c in set(rows["entity"])]
                                   + sorted(set(rows["entity"]))))
    others = [c for c in countries if c not in (CHINA, US_NAMES[0])]
    years = sorted(rows["data_year"].astype(int).unique())
    figure = go.Figure()
    for country in countries:
        part = rows[rows["entity"] == country]
        figure.add_bar(
            x=[str(int(y)) for y in part["data_year"]], y=part["adjusted_share_change_pct"].astype(float),
            name=plot_text(country), marker={"color": country_colour(country, others)},
            text=[f"{v:+.1f}" for v in part["adjusted_share_change_pct"]], textposition="outside",
            customdata=list(zip([plot_text(e) for e in part["edition"]], [plot_text(s) for s in part["scope"]],
                                [plot_text(row_source_text(c, sources)) for c in part["source_ids"]])),
            hovertemplate=(f"<b>{plot_text(country)}</b> %{{x}}: %{{y:+.1f}} % adjusted Share"
                           "<br>Edition: %{customdata[0]}<br>Journals: %{customdata[1]}"
                           "<br>Source: %{customdata[2]}<extra></extra>"),
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in years])
    figure.add_hline(y=0, line={"color": "#555555", "width": 1})
    figure.update_layout(barmode="group", height=440)
    base_layout(figure, x_title="Data year", y_title="Change in adjusted Share on the previous year (%)")
    figure.update_traces(cliponaxis=False)

    alt = [f"Grouped bar chart of the published year-on-year change in adjusted Share for {len(countries)} countries, "
           f"data years {years[0]}–{years[-1]}"]
    for year in years:
        in_year = rows[rows["data_year"] == year].sort_values("adjusted_share_change_pct", ascending=False)
        alt.append(f"{year}: " + ", ".join(f"{entity} {change:+.1f} %" for entity, change
                                           in zip(in_year["entity"], in_year["adjusted_share_change_pct"])))
    data = pd.DataFrame({
        "Country": rows["entity"].values,
        "Data year": rows["data_year"].astype(int).values,
        "Change in adjusted Share (%)": [f"{v:+.1f}" for v in rows["adjusted_share_change_pct"]],
        "Journal set": rows["scope"].values,
        "Edition": rows["edition"].values,
        "Source": [row_source_text(cell, sources) for cell in rows["source_ids"]],
    })
    note = ("Only the published percentage changes are known for most of these country-years; the chart does not "
            "turn them into Shares.")
    return Chart("nature-index-adjusted-share-change", "Change in adjusted Share, by country and data year",
                 figure, source_line(rows["source_ids"], sources), "; ".join(alt) + ".", data, note)


def subject_leaders(nature_index: pd.DataFrame) -> pd.DataFrame:
    """Per subject and data year: which country leads (rank 1, or the largest Share among those given) and who follows."""
    rows = nature_index[(nature_index["entity_type"] == "country") & (nature_index["subject"] != ALL_SUBJECTS)].copy()
    columns = ["subject", "data_year", "leader", "leader_share", "runner_up", "runner_up_share", "basis",
               "edition", "scope", "source_ids"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["entity"] = rows["entity"].map(canonical_country)
    rows = latest_edition_rows(rows, ["entity", "subject", "data_year", "scope"])
    records = []
    for (subject, data_year, scope), group in rows.groupby(["subject", "data_year", "scope"]):
        ranked = group.dropna(subset=["rank"]).sort_values("rank")
        shared = group.dropna(subset=["share"]).sort_values("share", ascending=False)
        if not ranked.empty and ranked.iloc[0]["rank"] == 1:
            # The runner-up: ranked second, else the largest Share given for another country.
            rest = pd.concat([ranked.iloc[1:], shared[shared["entity"] != ranked.iloc[0]["entity"]]])
            ordered, basis = pd.concat([ranked.iloc[:1], rest.drop_duplicates("entity")]), "rank"
        elif len(shared) >= 2:
            ordered, basis = shared, "Share"
        else:
            continue  # one country's value alone does not say who leads
        first = ordered.iloc[0]
        second = ordered.iloc[1] if len(ordered) > 1 else None
        records.append({
            "subject": subject, "data_year": int(data_year), "leader": first["entity"],
            "leader_share": first["share"],
            "runner_up": second["entity"] if second is not None else None,
            "runner_up_share": second["share"] if second is not None else None,
            "basis": basis, "edition": first["edition"], "scope": scope,
            "source_ids": ";".join(unique_ids(ordered["source_ids"])),
        })
    return pd.DataFrame(records, columns=columns).sort_values(["data_year", "subject"]).reset_index(drop=True)


def subject_leadership_chart(nature_index: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """A grid of subject by data year, each cell coloured by the leading country."""
    leaders = subject_leaders(nature_index)
    if leaders.empty:
        return None
    countries = list(dict.fromkeys([c for c in (CHINA, US_NAMES[0]) if c in set(leaders["leader"])]
                                   + sorted(set(leaders["leader"]))))
    others = [c for c in countries if c not in (CHINA, US_NAMES[0])]
    figure = go.Figure()
    for country in countries:
        part = leaders[leaders["leader"] == country]
        figure.add_scatter(
            x=part["data_year"], y=[plot_text(s) for s in part["subject"]], mode="markers+text",
            name=f"{plot_text(country)} leads", marker={"symbol": "square", "size": 18, "color": country_colour(country, others)},
            text=[plot_text(_initials(country))] * len(part), textfont={"color": "white", "size": 8},
            customdata=list(zip(
                [plot_text(r if r else NOT_KNOWN) for r in part["runner_up"]],
                [format_number(v) for v in part["leader_share"]],
                [format_number(v) for v in part["runner_up_share"]],
                [plot_text(e) for e in part["edition"]], part["basis"],
                [plot_text(row_source_text(c, sources)) for c in part["source_ids"]])),
            hovertemplate=(f"<b>%{{y}}, %{{x}}: {plot_text(country)} leads</b> (by %{{customdata[4]}})"
                           "<br>Share: %{customdata[1]}; next: %{customdata[0]}, %{customdata[2]}"
                           "<br>Edition: %{customdata[3]}<br>Source: %{customdata[5]}<extra></extra>"),
        )
    years = sorted(leaders["data_year"].unique())
    subjects = sorted(leaders["subject"].unique())
    figure.update_xaxes(dtick=1, range=[min(years) - 0.7, max(years) + 0.7])
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(s) for s in subjects][::-1], automargin=True)
    figure.update_layout(height=CHROME_HEIGHT + 44 * len(subjects))
    base_layout(figure, x_title="Data year", y_title=None)

    # Each subject's latest known leader: subjects' latest years differ.
    latest = leaders.sort_values("data_year").groupby("subject").last()
    alt = (f"Grid of {len(subjects)} Nature Index subjects by data year ({years[0]}–{years[-1]}), coloured by the "
           "leading country; latest known: " + "; ".join(
               f"{leader} leads {subject} ({year})"
               for subject, leader, year in zip(latest.index, latest["leader"], latest["data_year"])) + ".")
    data = pd.DataFrame({
        "Subject": leaders["subject"].values, "Data year": leaders["data_year"].values,
        "Leader": leaders["leader"].values, "Leader's Share": [format_number(v) for v in leaders["leader_share"]],
        "Runner-up": leaders["runner_up"].fillna(NOT_KNOWN).values,
        "Runner-up's Share": [format_number(v) for v in leaders["runner_up_share"]],
        "Decided by": leaders["basis"].values, "Journal set": leaders["scope"].values,
        "Edition": leaders["edition"].values,
        "Source": [row_source_text(c, sources) for c in leaders["source_ids"]],
    })
    return Chart("nature-index-subject-leaders", "Which country leads each subject", figure,
                 source_line(leaders["source_ids"], sources), alt, data,
                 "Decided by rank 1 where the edition gives ranks, else by the larger of the Shares given.")



def _initials(country: str) -> str:
    if country == US_NAMES[0]:
        return "US"
    if country == CHINA:
        return "CN"
    words = country.split()
    return "".join(w[0] for w in words[:2]).upper() if len(words) > 1 else country[:2].upper()


def is_cas(entities: pd.Series) -> pd.Series:
    return entities.astype(str).str.match(CAS_NAME_PATTERN)


def institution_years(nature_index: pd.DataFrame) -> list[int]:
    rows = nature_index[(nature_index["entity_type"] == "institution") & (nature_index["subject"] == ALL_SUBJECTS)
                        & nature_index["share"].notna()]
    return sorted(int(y) for y in rows["data_year"].unique())


def institutions_chart(nature_index: pd.DataFrame, sources: pd.DataFrame, data_year: int | None = None) -> Chart | None:
    """Leading institutions by Share in one data year (newest edition), CAS and Chinese institutions highlighted."""
    years = institution_years(nature_index)
    if not years:
        return None
    data_year = data_year if data_year in years else years[-1]
    rows = nature_index[(nature_index["entity_type"] == "institution") & (nature_index["subject"] == ALL_SUBJECTS)
                        & (nature_index["data_year"] == data_year) & nature_index["share"].notna()]
    # One edition only: values of the same year differ between editions.
    edition = max(rows["edition"].unique(), key=lambda e: (edition_year(e), e))
    rows = rows[rows["edition"] == edition].sort_values("share", ascending=False).reset_index(drop=True)
    cas = is_cas(rows["entity"])
    chinese = rows["country"].astype(str).map(canonical_country) == CHINA
    colours = [CHINA_HIGHLIGHT if c else ("#E8A396" if z else WORLD_COLOUR) for c, z in zip(cas, chinese)]
    figure = go.Figure()
    figure.add_bar(
        x=rows["share"].astype(float), y=[plot_text(e) for e in rows["entity"]], orientation="h",
        marker={"color": colours}, text=[format_number(v) for v in rows["share"]], textposition="auto",
        showlegend=False,
        customdata=list(zip([plot_text(c) for c in rows["country"]], [format_value(r) for r in rows["rank"]],
                            [format_number(v) for v in rows["count"]],
                            [f"{v:+.1f} %" if pd.notna(v) else NOT_KNOWN for v in rows["adjusted_share_change_pct"]],
                            [plot_text(row_source_text(c, sources)) for c in rows["source_ids"]])),
        hovertemplate=("<b>%{y}</b> (%{customdata[0]})<br>Share %{x:,.2f}; rank %{customdata[1]}; Count %{customdata[2]}"
                       "<br>Change in adjusted Share: %{customdata[3]}<br>Source: %{customdata[4]}<extra></extra>"),
    )
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(e) for e in rows["entity"]][::-1], automargin=True)
    figure.update_layout(height=CHROME_HEIGHT + 28 * len(rows))
    base_layout(figure, x_title=f"Share in {data_year} (fractional article count)", y_title=None)

    alt = f"Bar chart of {len(rows)} institutions by Nature Index Share in {data_year} ({edition})"
    if cas.any():
        cas_row = rows[cas].iloc[0]
        position = int(rows.index[cas][0]) + 1
        alt += f"; {cas_row['entity']} is {_ordinal(position)} with {format_number(cas_row['share'])}"
        if position == 1 and len(rows) > 1:
            alt += f", {cas_row['share'] / rows.iloc[1]['share']:.1f} times the next ({rows.iloc[1]['entity']})"
    alt += f"; {int(chinese.sum())} of the {len(rows)} are Chinese."
    data = pd.DataFrame({
        "Institution": rows["entity"].values, "Country": rows["country"].values,
        f"Share {data_year}": [format_number(v) for v in rows["share"]],
        "Rank": [format_value(v) for v in rows["rank"]], "Count (articles)": [format_value(v) for v in rows["count"]],
        "Change in adjusted Share (%)": [f"{v:+.1f}" if pd.notna(v) else NOT_KNOWN for v in rows["adjusted_share_change_pct"]],
        "Edition": rows["edition"].values, "Journal set": rows["scope"].values,
        "Source": [row_source_text(c, sources) for c in rows["source_ids"]],
    })
    ranked_only = nature_index[(nature_index["entity_type"] == "institution")
                               & (nature_index["subject"] == ALL_SUBJECTS) & (nature_index["data_year"] == data_year)
                               & (nature_index["edition"] == edition) & nature_index["share"].isna()]
    ranked_only = ranked_only.sort_values("rank")
    if not ranked_only.empty:
        data = pd.concat([data, pd.DataFrame({
            "Institution": ranked_only["entity"].values, "Country": ranked_only["country"].values,
            f"Share {data_year}": NOT_KNOWN, "Rank": [format_value(v) for v in ranked_only["rank"]],
            "Count (articles)": [format_value(v) for v in ranked_only["count"]],
            "Change in adjusted Share (%)": [f"{v:+.1f}" if pd.notna(v) else NOT_KNOWN
                                             for v in ranked_only["adjusted_share_change_pct"]],
            "Edition": ranked_only["edition"].values, "Journal set": ranked_only["scope"].values,
            "Source": [row_source_text(c, sources) for c in ranked_only["source_ids"]],
        })], ignore_index=True)
    note = (f"Only the institutions in the data for {edition}, not the full table. Dark red: Chinese Academy of "
            "Sciences; light red: other Chinese institutions.")
    if not ranked_only.empty:
        note += " Ranked, Share not known (in the table, not drawn): " + ", ".join(
            f"{entity} ({format_value(rank)})" for entity, rank in zip(ranked_only["entity"], ranked_only["rank"])) + "."
    return Chart(f"nature-index-institutions-{data_year}", f"Leading institutions, data year {data_year}", figure,
                 source_line(rows["source_ids"], sources), alt, data, note)


def cas_rank_history(nature_index: pd.DataFrame) -> pd.DataFrame:
    """CAS's rank and Share per data year (newest edition), for the sentence beside the chart."""
    rows = nature_index[(nature_index["entity_type"] == "institution") & (nature_index["subject"] == ALL_SUBJECTS)
                        & is_cas(nature_index["entity"])]
    rows = latest_edition_rows(rows, ["data_year"]).sort_values("data_year")
    return rows[["data_year", "rank", "share", "edition", "scope", "source_ids"]].reset_index(drop=True)


def cas_summary(nature_index: pd.DataFrame) -> str:
    history = cas_rank_history(nature_index).dropna(subset=["rank"])
    if history.empty:
        return "The data has no rank for the Chinese Academy of Sciences."
    ranks = history["rank"].astype(int)
    years = history["data_year"].astype(int)
    if (ranks == 1).all():
        return (f"The Chinese Academy of Sciences ranks first among institutions in every data year in the data "
                f"({years.min()}–{years.max()}, {len(history)} years).")
    return "Chinese Academy of Sciences' rank: " + ", ".join(
        f"{year}: {_ordinal(rank)}" for year, rank in zip(years, ranks)) + "."


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


