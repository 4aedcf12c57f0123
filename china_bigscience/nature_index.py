"""China against the US and others in the Nature Index, China's R&D spending, and the seed article's claim beside the data.

Nature Index values come from several editions and journal sets: natural
sciences (82 journals, up to data year 2022), natural + health sciences (145
journals, from data year 2023), health sciences (64 journals) and the 2015
launch set, measured in weighted fractional count (WFC) rather than Share. A
line across a break would compare unlike things, so each journal set is its own
trace, the break is drawn, a year with no published value stays a gap, and WFC
is kept out of the Share comparisons altogether. The crossover year and the
latest gap are computed from the table, never typed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import CHINA_HIGHLIGHT, NOT_KNOWN, WORLD_COLOUR, Chart, base_layout, format_value, source_line
from china_bigscience.comparisons import format_number, plot_text, row_source_text
from china_bigscience.filters import FacilityFilter

ALL_SUBJECTS = "All subjects"
CHINA = "China"
# Spellings of the US that a curator may use; the first is the one the data package's own rows use.
US_NAMES = ("United States", "United States of America", "USA", "US")
US_COLOUR = "#0077BB"  # Paul Tol's "vibrant" blue: stands apart from the China highlight for colour-blind readers
# Other countries: Tol "muted" colours not used for China or the US.
OTHER_COUNTRY_COLOURS = ("#117733", "#999933", "#AA4499", "#44AA99", "#882255", "#DDCC77", "#88CCEE", "#332288")
SCOPE_DASHES = ("solid", "dot", "dash", "dashdot")
# The Nature Index 2015 Global measured output in weighted fractional count (WFC), not Share: its values are
# their own series and never enter a Share chart, a crossover or a gap.
NOT_SHARE_MARKER = "WFC"
CAS_NAME_PATTERN = re.compile(r"^\s*Chinese Academy of Sciences\b", re.IGNORECASE)  # not UCAS

SHARE_EXPLAINER = (
    "**Share** is a fractional count: each article in the Nature Index journals adds up to 1, split equally among "
    "its authors' countries and institutions, so it measures contribution, not just participation. "
    "**Adjusted Share** rescales a year's Share to a base year's total number of articles, so that its percentage "
    "changes show real gains or losses rather than growth in the journals' output; Nature Index quotes all "
    "year-on-year changes in adjusted Share."
)

# The seed article's sentence, shown as its claim (cited), not as a data point.
SEED_CLAIM_SOURCE_ID = "nature_index_2024_big_science_bet"
SEED_CLAIM_TEXT = (
    "After overtaking the United States in natural-science output in the Nature Index in 2022, "
    "China is now almost 5,000 Share ahead."
)
CENTRAL_BUDGET_INDICATOR = "central government S&T budget"
CHROME_HEIGHT = 130  # pixels of legend and axes around the rows of a chart


def edition_year(edition: object) -> int:
    """The year in an edition's name ('2024 Research Leaders' -> 2024); 0 if it has none, so it sorts first."""
    match = re.search(r"(19|20)\d{2}", str(edition))
    return int(match.group(0)) if match else 0


def canonical_country(name: object) -> str:
    """'United States' for any of the US spellings; other names as they are."""
    return US_NAMES[0] if str(name) in US_NAMES else str(name)


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


# --- Crossover and gap -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lead:
    """Who led in one data year and journal set, and how we know."""

    data_year: int
    scope: str
    edition: str
    leader: str
    basis: str  # "Share" or "rank"
    china_share: float | None
    us_share: float | None
    derived: bool
    source_ids: tuple[str, ...]

    @property
    def gap(self) -> float | None:
        if self.china_share is None or self.us_share is None:
            return None
        return self.china_share - self.us_share


def china_us_leads(nature_index: pd.DataFrame) -> list[Lead]:
    """For each data year and journal set: who led, from Shares when both are known, else from ranks."""
    shares = share_rows(nature_index)
    rows = shares[(shares["entity_type"] == "country") & (shares["subject"] == ALL_SUBJECTS)].copy()
    rows["entity"] = rows["entity"].map(canonical_country)
    rows = rows[rows["entity"].isin([CHINA, US_NAMES[0]])]
    leads: list[Lead] = []
    for (data_year, scope), year_rows in rows.groupby(["data_year", "scope"]):
        decided = None
        # Newest edition first: it may revise older values.
        for edition in sorted(year_rows["edition"].unique(), key=lambda e: (edition_year(e), e), reverse=True):
            pair = year_rows[year_rows["edition"] == edition].set_index("entity")
            if not {CHINA, US_NAMES[0]} <= set(pair.index):
                continue
            china, us = pair.loc[CHINA], pair.loc[US_NAMES[0]]
            ids = tuple(s for cell in (china["source_ids"], us["source_ids"]) for s in str(cell).split(";"))
            derived = bool(pd.notna(china["is_derived"]) and china["is_derived"]) or bool(
                pd.notna(us["is_derived"]) and us["is_derived"])
            if pd.notna(china["share"]) and pd.notna(us["share"]):
                leader = CHINA if china["share"] > us["share"] else US_NAMES[0]
                decided = Lead(int(data_year), scope, edition, leader, "Share", float(china["share"]),
                               float(us["share"]), derived, ids)
            elif (pd.notna(china["rank"]) and pd.notna(us["rank"])) or _ranked_first(china) or _ranked_first(us):
                # Both ranks, or one country ranked first (the other's rank not published).
                china_first = _ranked_first(china) or (pd.notna(us["rank"]) and pd.notna(china["rank"])
                                                       and bool(china["rank"] < us["rank"]))
                leader = CHINA if china_first else US_NAMES[0]
                decided = Lead(int(data_year), scope, edition, leader, "rank", None, None, derived, ids)
            if decided:
                break
        if decided:
            leads.append(decided)
    return sorted(leads, key=lambda lead: (lead.data_year, lead.scope))


def _ranked_first(row: pd.Series) -> bool:
    return bool(pd.notna(row["rank"]) and row["rank"] == 1)


@dataclass(frozen=True)
class Crossover:
    """The first data year China led the US in a journal set, and the last year before it that the US led."""

    lead: Lead
    previous_us_year: int | None


def china_us_crossover(nature_index: pd.DataFrame) -> Crossover | None:
    """The earliest year in which China leads in any journal set (with the US-led year before it, if in the data)."""
    found = []
    leads = china_us_leads(nature_index)
    for scope in {lead.scope for lead in leads}:
        in_scope = [lead for lead in leads if lead.scope == scope]
        for index, lead in enumerate(in_scope):
            if lead.leader == CHINA and all(earlier.leader != CHINA for earlier in in_scope[:index]):
                us_years = [earlier.data_year for earlier in in_scope[:index] if earlier.leader != CHINA]
                found.append(Crossover(lead, max(us_years) if us_years else None))
                break
    return min(found, key=lambda c: c.lead.data_year) if found else None


def latest_gaps(nature_index: pd.DataFrame) -> dict[str, Lead]:
    """Per journal set: the latest data year with both China's and the US's Share (one edition)."""
    gaps: dict[str, Lead] = {}
    for lead in china_us_leads(nature_index):
        if lead.gap is not None and (lead.scope not in gaps or lead.data_year > gaps[lead.scope].data_year):
            gaps[lead.scope] = lead
    return gaps


def latest_gap(nature_index: pd.DataFrame) -> Lead | None:
    """The most recent China–US Share gap in the data, whatever the journal set."""
    gaps = latest_gaps(nature_index)
    return max(gaps.values(), key=lambda lead: lead.data_year) if gaps else None


def _signed(value: float) -> str:
    return f"{value:+,.0f}"


# --- Charts ----------------------------------------------------------------------------------


def share_chart(nature_index: pd.DataFrame, sources: pd.DataFrame) -> Chart | None:
    """Share by data year per country, one trace per journal set, the break drawn, crossover and gap annotated."""
    shares = country_shares(nature_index)
    if shares.empty:
        return None
    scopes = scope_order(shares)
    countries = list(dict.fromkeys([c for c in (CHINA, US_NAMES[0]) if c in set(shares["entity"])]
                                   + sorted(shares.groupby("entity")["share"].max().sort_values(ascending=False).index)))
    others = [c for c in countries if c not in (CHINA, US_NAMES[0])]
    figure = go.Figure()
    for country in countries:
        for scope_index, scope in enumerate(scopes):
            series = shares[(shares["entity"] == country) & (shares["scope"] == scope)].sort_values("data_year")
            # One trace per run of consecutive years: a year with no published value stays a gap, not a line.
            for run_index, run in enumerate(consecutive_runs(series["data_year"].astype(int).tolist())):
                _add_share_trace(figure, series[series["data_year"].isin(run)], country, scope, scope_index,
                                 others, sources, show_legend=run_index == 0)
    # The break between journal sets: a dashed line half-way between the last year of one and the first of the next.
    spans = shares.groupby("scope")["data_year"].agg(["min", "max"])
    breaks = []
    for earlier, later in zip(scopes, scopes[1:]):
        position = (spans.loc[earlier, "max"] + spans.loc[later, "min"]) / 2
        breaks.append((float(position), earlier, later))
        figure.add_vline(x=float(position), line={"dash": "dash", "color": "#555555", "width": 1})
        figure.add_annotation(x=float(position), y=1, yref="paper", yanchor="bottom", showarrow=False,
                              text=f"journal set changes<br>{plot_text(_short_scope(earlier))} → {plot_text(_short_scope(later))}",
                              font={"size": 11})
    crossover = china_us_crossover(nature_index)
    if crossover and crossover.lead.china_share is not None:
        figure.add_annotation(x=crossover.lead.data_year, y=crossover.lead.china_share, ax=25, ay=-55,
                              text=f"China ahead from {crossover.lead.data_year}<br>({plot_text(_short_scope(crossover.lead.scope))})",
                              showarrow=True, arrowhead=2, font={"size": 11})
    gap = latest_gap(nature_index)
    if gap and (crossover is None or gap.data_year != crossover.lead.data_year or gap.scope != crossover.lead.scope):
        # A bracket from the US value to China's, with the gap written beside it.
        bracket_x = gap.data_year + 0.12
        figure.add_shape(type="line", xref="x", yref="y", x0=bracket_x, x1=bracket_x, y0=gap.us_share, y1=gap.china_share,
                         line={"color": "#555555", "width": 2})
        figure.add_annotation(x=bracket_x, y=(gap.china_share + gap.us_share) / 2, xanchor="left", showarrow=False,
                              text=f" gap {gap.data_year}:<br> {_signed(gap.gap)}" + ("<br> (derived)" if gap.derived else ""),
                              align="left", font={"size": 11})
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
                   f"{format_number(gap.us_share)}, {_signed(gap.gap)} Share ({gap.edition})")
    note = ("Solid and dotted lines are different journal sets and are not joined; a year with no published Share "
            "is a gap in the line, not joined across; open markers are values the "
            "compilers derived from published figures. Each point is from the newest edition that gives it "
            "(see the edition in the hover and the table).")
    data = pd.DataFrame({
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
    return Chart("nature-index-share-china-us", "Nature Index Share: China, the US and other leading countries",
                 figure, source_line(shares["source_ids"], sources), "; ".join(alt) + ".", data, note)


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
        alt.append(f"{year}: " + ", ".join(f"{r['entity']} {r['adjusted_share_change_pct']:+.1f} %"
                                           for _, r in in_year.iterrows()))
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
            "source_ids": ";".join(dict.fromkeys(s for cell in ordered["source_ids"] for s in str(cell).split(";"))),
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
               f"{row['leader']} leads {subject} ({row['data_year']})" for subject, row in latest.iterrows()) + ".")
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
            f"{row['entity']} ({format_value(row['rank'])})" for _, row in ranked_only.iterrows()) + "."
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


# --- R&D spending --------------------------------------------------------------------------------


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
        for _, row in same_year.iterrows():
            alt.append(f"{row['indicator']} {int(row['year'])}: {row['change_pct']:+.1f} %")
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


# --- The seed article's claim beside the data -------------------------------------------------


@dataclass(frozen=True)
class ClaimCheck:
    claim: str
    citation: str
    findings: list[str]


def seed_claim_check(nature_index: pd.DataFrame, sources: pd.DataFrame) -> ClaimCheck:
    """The article's sentence, cited, with what the table says about the crossover and the gap in each journal set."""
    indexed = sources.set_index("id")
    if SEED_CLAIM_SOURCE_ID in indexed.index:
        row = indexed.loc[SEED_CLAIM_SOURCE_ID]
        citation = f"{row['title']}, {row['publisher']}" + (f", {row['date']}" if pd.notna(row["date"]) else "")
    else:
        citation = f"source '{SEED_CLAIM_SOURCE_ID}' (not found in sources.csv)"
    findings = []
    crossover = china_us_crossover(nature_index)
    if crossover is None:
        findings.append("The data has no data year in which China leads the US.")
    else:
        lead = crossover.lead
        text = f"China first leads the US in data year {lead.data_year} ({lead.scope}, {lead.edition}"
        text += f": {format_number(lead.china_share)} vs {format_number(lead.us_share)} Share)" if lead.gap is not None else ", by rank)"
        if crossover.previous_us_year is not None:
            text += f"; the US led in {crossover.previous_us_year}"
        findings.append(text + ".")
    gaps = latest_gaps(nature_index)
    for scope in scope_order(nature_index):
        if scope in gaps:
            lead = gaps[scope]
            findings.append(
                f"Latest gap on the {scope} basis: {_signed(lead.gap)} Share in {lead.data_year} "
                f"({lead.edition}{'; derived by the compilers' if lead.derived else ''}).")
    if not gaps:
        findings.append("The data has no year with both China's and the US's Share.")
    findings += wfc_findings(nature_index)
    return ClaimCheck(SEED_CLAIM_TEXT, citation, findings)


def wfc_findings(nature_index: pd.DataFrame) -> list[str]:
    """China against the US on the launch set's WFC, said apart from Share because the two do not compare."""
    rows = nature_index.loc[~nature_index["scope"].map(is_share_scope).astype(bool)]
    rows = rows[(rows["entity_type"] == "country") & (rows["subject"] == ALL_SUBJECTS) & rows["share"].notna()].copy()
    rows["entity"] = rows["entity"].map(canonical_country)
    findings = []
    for (data_year, scope), group in rows.groupby(["data_year", "scope"]):
        values = group.set_index("entity")["share"]
        if {CHINA, US_NAMES[0]} <= set(values.index):
            findings.append(f"{scope}, data year {int(data_year)} (not comparable with Share): China "
                            f"{format_number(values[CHINA])} vs US {format_number(values[US_NAMES[0]])}.")
    return findings


def page_charts(catalogue: Catalogue, selection: FacilityFilter | None = None) -> list[Chart]:
    """Every chart of the Nature Index page with default settings (the facility filter does not apply here)."""
    ni, sources = catalogue.nature_index, catalogue.sources
    charts = [
        share_chart(ni, sources),
        adjusted_share_change_chart(ni, sources),
        subject_leadership_chart(ni, sources),
        institutions_chart(ni, sources),
        spending_levels_chart(catalogue.research_spending, sources),
        spending_change_chart(catalogue.research_spending, sources),
    ]
    return [chart for chart in charts if chart is not None]
