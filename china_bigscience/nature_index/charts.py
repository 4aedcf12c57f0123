"""The Nature Index charts: Share across the journal-set break, adjusted-Share changes, subjects, institutions."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from china_bigscience.charts import (
    CHINA_HIGHLIGHT, NOT_KNOWN, WORLD_COLOUR, Chart, base_layout, format_number, format_value, plot_text, row_source_text,
    source_line,
)
from china_bigscience.countries import CHINA, US_NAMES, canonical_country
from china_bigscience.i18n import ENGLISH, Translator
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


def share_chart(nature_index: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> Chart | None:
    """Share by data year per country, one trace per journal set, the break drawn, crossover and gap annotated."""
    shares = country_shares(nature_index)
    if shares.empty:
        return None
    scopes = scope_order(shares)
    countries = list(dict.fromkeys([c for c in (CHINA, US_NAMES[0]) if c in set(shares["entity"])]
                                   + sorted(shares.groupby("entity")["share"].max().sort_values(ascending=False).index)))
    figure = go.Figure()
    _add_share_lines(figure, shares, countries, scopes, sources, tr)
    breaks = _draw_scope_breaks(figure, shares, scopes, tr)
    crossover = china_us_crossover(nature_index)
    gap = latest_gap(nature_index)
    _annotate_crossover_and_gap(figure, crossover, gap, tr)
    years = shares["data_year"].astype(int)
    figure.update_xaxes(dtick=1, range=[years.min() - 0.6, years.max() + 0.8])
    figure.update_layout(height=480, legend={"y": -0.25, "yanchor": "top"})
    base_layout(figure, x_title=tr("ni.share_x"), y_title=tr("ni.share_y"))
    figure.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"}, margin={"t": 60})

    alt = [tr("ni.share_alt", count=len(countries), countries=tr.join(tr.entity(c) for c in countries),
              first=years.min(), last=years.max())]
    for position, earlier, later in breaks:
        alt.append(tr("ni.share_alt_break", before=int(position - 0.5), earlier=tr.value("scope", earlier),
                      after=int(position + 0.5), later=tr.value("scope", later)))
    if crossover:
        alt.append(tr("ni.share_alt_crossover", year=crossover.lead.data_year,
                      scope=tr.value("scope", crossover.lead.scope)))
    if gap:
        alt.append(tr("ni.share_alt_gap", year=gap.data_year, china=format_number(gap.china_share, tr=tr),
                      us=format_number(gap.us_share, tr=tr), gap=signed(gap.gap), edition=gap.edition))
    return Chart("nature-index-share-china-us", tr("ni.share_title"),
                 figure, source_line(shares["source_ids"], sources, tr=tr),
                 tr("profile.detail_separator").join(alt) + tr("common.full_stop"),
                 _share_table(shares, sources, tr), tr("ni.share_note"))


def _add_share_lines(figure: go.Figure, shares: pd.DataFrame, countries: list[str], scopes: list[str],
                     sources: pd.DataFrame, tr: Translator = ENGLISH) -> None:
    """One line per country and journal set: China and the US bold, derived values as open markers."""
    others = [c for c in countries if c not in (CHINA, US_NAMES[0])]
    for country in countries:
        for scope_index, scope in enumerate(scopes):
            series = shares[(shares["entity"] == country) & (shares["scope"] == scope)].sort_values("data_year")
            # One trace per run of consecutive years: a year with no published value stays a gap, not a line.
            for run_index, run in enumerate(consecutive_runs(series["data_year"].astype(int).tolist())):
                _add_share_trace(figure, series[series["data_year"].isin(run)], country, scope, scope_index,
                                 others, sources, show_legend=run_index == 0, tr=tr)


def _add_share_trace(figure: go.Figure, part: pd.DataFrame, country: str, scope: str, scope_index: int,
                     others: list[str], sources: pd.DataFrame, show_legend: bool, tr: Translator = ENGLISH) -> None:
    """One line of consecutive data years for one country and journal set."""
    derived = part["is_derived"].fillna(False).astype(bool)
    figure.add_scatter(
        x=part["data_year"].astype(int), y=part["share"].astype(float),
        mode="lines+markers",
        name=tr("ni.line_name", country=plot_text(tr.entity(country)), scope=plot_text(tr.value("scope", scope))),
        legendgroup=country, showlegend=show_legend,
        line={"color": country_colour(country, others), "dash": SCOPE_DASHES[scope_index % len(SCOPE_DASHES)],
              "width": 3 if country in (CHINA, US_NAMES[0]) else 1.5},
        marker={"symbol": ["circle-open" if d else "circle" for d in derived], "size": 9},
        customdata=list(zip(
            [plot_text(e) for e in part["edition"]],
            [plot_text(tr.value("scope", scope))] * len(part),
            [tr("ni.derived") if d else tr("common.no") for d in derived],
            [plot_text(row_source_text(cell, sources, tr)) for cell in part["source_ids"]],
        )),
        hovertemplate=tr("ni.share_hover", country=plot_text(tr.entity(country))) + "<extra></extra>",
    )


def _draw_scope_breaks(figure: go.Figure, shares: pd.DataFrame, scopes: list[str],
                       tr: Translator = ENGLISH) -> list[tuple[float, str, str]]:
    """A dashed line half-way between the last year of one journal set and the first of the next."""
    spans = shares.groupby("scope")["data_year"].agg(["min", "max"])
    breaks = []
    for earlier, later in zip(scopes, scopes[1:]):
        position = (spans.loc[earlier, "max"] + spans.loc[later, "min"]) / 2
        breaks.append((float(position), earlier, later))
        figure.add_vline(x=float(position), line={"dash": "dash", "color": "#555555", "width": 1})
        figure.add_annotation(x=float(position), y=1, yref="paper", yanchor="bottom", showarrow=False,
                              text=tr("ni.journal_set_changes", earlier=plot_text(_short_scope(earlier, tr)),
                                      later=plot_text(_short_scope(later, tr))),
                              font={"size": 11})
    return breaks


def _annotate_crossover_and_gap(figure: go.Figure, crossover: Crossover | None, gap: Lead | None,
                                tr: Translator = ENGLISH) -> None:
    if crossover and crossover.lead.china_share is not None:
        figure.add_annotation(x=crossover.lead.data_year, y=crossover.lead.china_share, ax=25, ay=-55,
                              text=tr("ni.china_ahead", year=crossover.lead.data_year,
                                      scope=plot_text(_short_scope(crossover.lead.scope, tr))),
                              showarrow=True, arrowhead=2, font={"size": 11})
    if gap and (crossover is None or gap.data_year != crossover.lead.data_year or gap.scope != crossover.lead.scope):
        # A bracket from the US value to China's, with the gap written beside it.
        bracket_x = gap.data_year + 0.12
        figure.add_shape(type="line", xref="x", yref="y", x0=bracket_x, x1=bracket_x, y0=gap.us_share, y1=gap.china_share,
                         line={"color": "#555555", "width": 2})
        figure.add_annotation(x=bracket_x, y=(gap.china_share + gap.us_share) / 2, xanchor="left", showarrow=False,
                              text=tr("ni.gap", year=gap.data_year, gap=signed(gap.gap))
                              + (tr("ni.gap_derived") if gap.derived else ""),
                              align="left", font={"size": 11})


def _share_table(shares: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    return pd.DataFrame({
        tr("ni.column_country"): shares["entity"].map(tr.entity).values,
        tr("ni.column_data_year"): shares["data_year"].astype(int).values,
        tr("ni.column_share"): [format_number(v, tr=tr) for v in shares["share"]],
        tr("ni.column_rank"): [_plain(v, tr) for v in shares["rank"]],
        tr("ni.column_journal_set"): shares["scope"].map(lambda s: tr.value("scope", s)).values,
        tr("ni.column_edition"): shares["edition"].values,
        tr("ni.column_derived"): shares["is_derived"].fillna(False).astype(bool).map(
            {True: tr("common.yes"), False: tr("common.no")}).values,
        tr("ni.column_source"): [row_source_text(cell, sources, tr) for cell in shares["source_ids"]],
        tr("ni.column_notes"): shares["notes"].fillna("").values,
    })


def _plain(value: object, tr: Translator) -> str:
    """A rank or count as digits ('1', '2,400'); 'not known' for a gap."""
    return tr("common.not_known") if value is None or pd.isna(value) else format_value(value)


def _short_scope(scope: str, tr: Translator = ENGLISH) -> str:
    """'natural + health sciences (145 journals)' -> '145 journals' for annotations on a phone."""
    match = re.search(r"\((\d+) journals\)", scope)
    return tr("ni.journals", count=match.group(1)) if match else tr.value("scope", scope)


def adjusted_share_change_chart(nature_index: pd.DataFrame, sources: pd.DataFrame,
                                tr: Translator = ENGLISH) -> Chart | None:
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
            name=plot_text(tr.entity(country)), marker={"color": country_colour(country, others)},
            text=[f"{v:+.1f}" for v in part["adjusted_share_change_pct"]], textposition="outside",
            customdata=list(zip([plot_text(e) for e in part["edition"]],
                                [plot_text(tr.value("scope", s)) for s in part["scope"]],
                                [plot_text(row_source_text(c, sources, tr)) for c in part["source_ids"]])),
            hovertemplate=tr("ni.change_hover", country=plot_text(tr.entity(country))) + "<extra></extra>",
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in years])
    figure.add_hline(y=0, line={"color": "#555555", "width": 1})
    figure.update_layout(barmode="group", height=440)
    base_layout(figure, x_title=tr("ni.column_data_year"), y_title=tr("ni.change_y"))
    figure.update_traces(cliponaxis=False)

    alt = [tr("ni.change_alt", count=len(countries), first=years[0], last=years[-1])]
    for year in years:
        in_year = rows[rows["data_year"] == year].sort_values("adjusted_share_change_pct", ascending=False)
        alt.append(tr("ni.change_alt_year", year=year, values=tr.join(
            tr("ni.entity_change", entity=tr.entity(entity), change=f"{change:+.1f}")
            for entity, change in zip(in_year["entity"], in_year["adjusted_share_change_pct"]))))
    data = pd.DataFrame({
        tr("ni.column_country"): rows["entity"].map(tr.entity).values,
        tr("ni.column_data_year"): rows["data_year"].astype(int).values,
        tr("ni.column_change"): [f"{v:+.1f}" for v in rows["adjusted_share_change_pct"]],
        tr("ni.column_journal_set"): rows["scope"].map(lambda s: tr.value("scope", s)).values,
        tr("ni.column_edition"): rows["edition"].values,
        tr("ni.column_source"): [row_source_text(cell, sources, tr) for cell in rows["source_ids"]],
    })
    return Chart("nature-index-adjusted-share-change", tr("ni.change_title"),
                 figure, source_line(rows["source_ids"], sources, tr=tr),
                 tr("profile.detail_separator").join(alt) + tr("common.full_stop"), data, tr("ni.change_note"))


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


def subject_leadership_chart(nature_index: pd.DataFrame, sources: pd.DataFrame,
                             tr: Translator = ENGLISH) -> Chart | None:
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
            x=part["data_year"], y=[plot_text(tr.value("subject", s)) for s in part["subject"]], mode="markers+text",
            name=tr("ni.leads", country=plot_text(tr.entity(country))),
            marker={"symbol": "square", "size": 18, "color": country_colour(country, others)},
            text=[plot_text(_initials(country))] * len(part), textfont={"color": "white", "size": 8},
            customdata=list(zip(
                [plot_text(tr.entity(r) if r else tr("common.not_known")) for r in part["runner_up"]],
                [format_number(v, tr=tr) for v in part["leader_share"]],
                [format_number(v, tr=tr) for v in part["runner_up_share"]],
                [plot_text(e) for e in part["edition"]], [tr(f"ni.basis.{b}") for b in part["basis"]],
                [plot_text(row_source_text(c, sources, tr)) for c in part["source_ids"]])),
            hovertemplate=tr("ni.leads_hover", country=plot_text(tr.entity(country))) + "<extra></extra>",
        )
    years = sorted(leaders["data_year"].unique())
    subjects = sorted(leaders["subject"].unique())
    figure.update_xaxes(dtick=1, range=[min(years) - 0.7, max(years) + 0.7])
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(tr.value("subject", s)) for s in subjects][::-1],
                        automargin=True)
    figure.update_layout(height=CHROME_HEIGHT + 44 * len(subjects))
    base_layout(figure, x_title=tr("ni.column_data_year"), y_title=None)

    # Each subject's latest known leader: subjects' latest years differ.
    latest = leaders.sort_values("data_year").groupby("subject").last()
    alt = tr("ni.subjects_alt", count=len(subjects), first=years[0], last=years[-1], leaders=tr("profile.detail_separator").join(
        tr("ni.subjects_alt_row", country=tr.entity(row["leader"]), subject=tr.value("subject", subject),
           year=row["data_year"]) for subject, row in latest.iterrows()))
    data = pd.DataFrame({
        tr("ni.column_subject"): leaders["subject"].map(lambda s: tr.value("subject", s)).values,
        tr("ni.column_data_year"): leaders["data_year"].values,
        tr("ni.column_leader"): leaders["leader"].map(tr.entity).values,
        tr("ni.column_leader_share"): [format_number(v, tr=tr) for v in leaders["leader_share"]],
        tr("ni.column_runner_up"): [tr.entity(v) if isinstance(v, str) else tr("common.not_known")
                                    for v in leaders["runner_up"]],
        tr("ni.column_runner_up_share"): [format_number(v, tr=tr) for v in leaders["runner_up_share"]],
        tr("ni.column_decided_by"): [tr(f"ni.basis.{b}") for b in leaders["basis"]],
        tr("ni.column_journal_set"): leaders["scope"].map(lambda s: tr.value("scope", s)).values,
        tr("ni.column_edition"): leaders["edition"].values,
        tr("ni.column_source"): [row_source_text(c, sources, tr) for c in leaders["source_ids"]],
    })
    return Chart("nature-index-subject-leaders", tr("ni.subjects_title"), figure,
                 source_line(leaders["source_ids"], sources, tr=tr), alt, data, tr("ni.subjects_note"))



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


def institutions_chart(nature_index: pd.DataFrame, sources: pd.DataFrame, data_year: int | None = None,
                       tr: Translator = ENGLISH) -> Chart | None:
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
        x=rows["share"].astype(float), y=[plot_text(tr.entity(e)) for e in rows["entity"]], orientation="h",
        marker={"color": colours}, text=[format_number(v, tr=tr) for v in rows["share"]], textposition="auto",
        showlegend=False,
        customdata=list(zip([plot_text(tr.entity(c)) for c in rows["country"]], [_plain(r, tr) for r in rows["rank"]],
                            [format_number(v, tr=tr) for v in rows["count"]],
                            [f"{v:+.1f} %" if pd.notna(v) else tr("common.not_known")
                             for v in rows["adjusted_share_change_pct"]],
                            [plot_text(row_source_text(c, sources, tr)) for c in rows["source_ids"]])),
        hovertemplate=tr("ni.institution_hover") + "<extra></extra>",
    )
    figure.update_yaxes(categoryorder="array", categoryarray=[plot_text(tr.entity(e)) for e in rows["entity"]][::-1],
                        automargin=True)
    figure.update_layout(height=CHROME_HEIGHT + 28 * len(rows))
    base_layout(figure, x_title=tr("ni.institutions_x", year=data_year), y_title=None)

    alt = tr("ni.institutions_alt", count=len(rows), year=data_year, edition=edition)
    if cas.any():
        cas_row = rows[cas].iloc[0]
        position = int(rows.index[cas][0]) + 1
        alt += tr("ni.institutions_alt_cas", name=tr.entity(cas_row["entity"]), ordinal=_ordinal(position, tr),
                  share=format_number(cas_row["share"], tr=tr))
        if position == 1 and len(rows) > 1:
            alt += tr("ni.institutions_alt_times", times=f"{cas_row['share'] / rows.iloc[1]['share']:.1f}",
                      next=tr.entity(rows.iloc[1]["entity"]))
    alt += tr("ni.institutions_alt_chinese", count=int(chinese.sum()), total=len(rows))
    data = _institution_table(rows, data_year, sources, tr)
    ranked_only = nature_index[(nature_index["entity_type"] == "institution")
                               & (nature_index["subject"] == ALL_SUBJECTS) & (nature_index["data_year"] == data_year)
                               & (nature_index["edition"] == edition) & nature_index["share"].isna()]
    ranked_only = ranked_only.sort_values("rank")
    if not ranked_only.empty:
        data = pd.concat([data, _institution_table(ranked_only, data_year, sources, tr)], ignore_index=True)
    note = tr("ni.institutions_note", edition=edition)
    if not ranked_only.empty:
        note += tr("ni.institutions_unranked", names=tr.join(
            tr("ni.entity_rank", entity=tr.entity(entity), rank=_plain(rank, tr))
            for entity, rank in zip(ranked_only["entity"], ranked_only["rank"])))
    return Chart(f"nature-index-institutions-{data_year}", tr("ni.institutions_title", year=data_year), figure,
                 source_line(rows["source_ids"], sources, tr=tr), alt, data, note)


def _institution_table(rows: pd.DataFrame, data_year: int, sources: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The 'show data' rows of institutions ('not known' for a Share the edition ranks but does not give)."""
    not_known = tr("common.not_known")
    return pd.DataFrame({
        tr("ni.column_institution"): rows["entity"].map(tr.entity).values,
        tr("ni.column_country"): rows["country"].map(tr.entity).values,
        tr("ni.column_share_year", year=data_year): [format_number(v, tr=tr) for v in rows["share"]],
        tr("ni.column_rank"): [_plain(v, tr) for v in rows["rank"]],
        tr("ni.column_count"): [_plain(v, tr) for v in rows["count"]],
        tr("ni.column_change"): [f"{v:+.1f}" if pd.notna(v) else not_known for v in rows["adjusted_share_change_pct"]],
        tr("ni.column_edition"): rows["edition"].values,
        tr("ni.column_journal_set"): rows["scope"].map(lambda s: tr.value("scope", s)).values,
        tr("ni.column_source"): [row_source_text(c, sources, tr) for c in rows["source_ids"]],
    })


def cas_rank_history(nature_index: pd.DataFrame) -> pd.DataFrame:
    """CAS's rank and Share per data year (newest edition), for the sentence beside the chart."""
    rows = nature_index[(nature_index["entity_type"] == "institution") & (nature_index["subject"] == ALL_SUBJECTS)
                        & is_cas(nature_index["entity"])]
    rows = latest_edition_rows(rows, ["data_year"]).sort_values("data_year")
    return rows[["data_year", "rank", "share", "edition", "scope", "source_ids"]].reset_index(drop=True)


def cas_summary(nature_index: pd.DataFrame, tr: Translator = ENGLISH) -> str:
    history = cas_rank_history(nature_index).dropna(subset=["rank"])
    if history.empty:
        return tr("ni.cas_none")
    ranks = history["rank"].astype(int)
    years = history["data_year"].astype(int)
    if (ranks == 1).all():
        return tr("ni.cas_first", first=years.min(), last=years.max(), count=len(history))
    return tr("ni.cas_ranks", ranks=tr.join(
        tr("ni.cas_rank", year=year, ordinal=_ordinal(rank, tr)) for year, rank in zip(years, ranks)))


def _ordinal(number: int, tr: Translator = ENGLISH) -> str:
    """'1st', '22nd' (第1, 第22)."""
    if tr.is_chinese:
        return tr("ni.ordinal", n=number)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


