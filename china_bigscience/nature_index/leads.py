"""Who led, China or the US, in each data year and journal set; the crossover year, the gap, the seed claim."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from china_bigscience.charts import format_number
from china_bigscience.countries import CHINA, US_NAMES, canonical_country
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.source_ids import split_ids
from china_bigscience.nature_index.common import (
    ALL_SUBJECTS,
    SEED_CLAIM_SOURCE_ID,
    SEED_CLAIM_TEXT,
    edition_year,
    is_share_scope,
    scope_order,
    share_rows,
)

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
            ids = tuple(s for cell in (china["source_ids"], us["source_ids"]) for s in split_ids(cell))
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


def crossover_year_and_rows(nature_index: pd.DataFrame) -> tuple[int | None, pd.DataFrame]:
    """"When did China overtake the US", answered once for every page: ``china_us_crossover``'s data year.

    Returns that year (None when China never leads) and the China and US rows behind the answer:
    for the crossover's journal set, each data year's row from the edition that decided who led,
    with the US under one spelling and ``share`` as floats. With no crossover, the China and US
    rows of every journal set (empty when the data has none).
    """
    rows = nature_index[(nature_index["entity_type"] == "country") & (nature_index["subject"] == ALL_SUBJECTS)].copy()
    rows["entity"] = rows["entity"].map(canonical_country)
    rows = rows[rows["entity"].isin([CHINA, US_NAMES[0]])]
    rows["share"] = rows["share"].astype("float64")
    crossover = china_us_crossover(nature_index)
    if crossover is None:
        return None, rows.reset_index(drop=True)
    deciding = {(lead.data_year, lead.edition) for lead in china_us_leads(nature_index)
                if lead.scope == crossover.lead.scope}
    used = [(int(year), edition) in deciding for year, edition in zip(rows["data_year"], rows["edition"])]
    in_scope = rows[(rows["scope"] == crossover.lead.scope) & pd.Series(used, index=rows.index, dtype=bool)]
    return crossover.lead.data_year, in_scope.sort_values(["data_year", "entity"]).reset_index(drop=True)


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


def signed(value: float) -> str:
    return f"{value:+,.0f}"


# --- The seed article's claim beside the data -------------------------------------------------


@dataclass(frozen=True)
class ClaimCheck:
    claim: str
    citation: str
    findings: list[str]


def seed_claim_check(nature_index: pd.DataFrame, sources: pd.DataFrame, tr: Translator = ENGLISH) -> ClaimCheck:
    """The article's sentence, cited, with what the table says about the crossover and the gap in each journal set.

    The sentence stays as the article wrote it (English) in both languages: it is a quotation.
    """
    indexed = sources.set_index("id")
    if SEED_CLAIM_SOURCE_ID in indexed.index:
        row = indexed.loc[SEED_CLAIM_SOURCE_ID]
        citation = f"{row['title']}, {row['publisher']}" + (f", {row['date']}" if pd.notna(row["date"]) else "")
    else:
        citation = tr("ni.citation_missing", id=SEED_CLAIM_SOURCE_ID)
    findings = []
    crossover = china_us_crossover(nature_index)
    if crossover is None:
        findings.append(tr("ni.check_none"))
    else:
        lead = crossover.lead
        how = (tr("ni.check_by_share", china=format_number(lead.china_share, tr=tr), us=format_number(lead.us_share, tr=tr))
               if lead.gap is not None else tr("ni.check_by_rank"))
        text = tr("ni.check_lead", year=lead.data_year, scope=tr.value("scope", lead.scope), edition=lead.edition, how=how)
        if crossover.previous_us_year is not None:
            text += tr("ni.check_us_led", year=crossover.previous_us_year)
        findings.append(text + tr("common.full_stop"))
    gaps = latest_gaps(nature_index)
    for scope in scope_order(nature_index):
        if scope in gaps:
            lead = gaps[scope]
            findings.append(tr("ni.check_gap", scope=tr.value("scope", scope), gap=signed(lead.gap), year=lead.data_year,
                               edition=lead.edition, derived=tr("ni.check_derived") if lead.derived else ""))
    if not gaps:
        findings.append(tr("ni.check_no_gap"))
    findings += wfc_findings(nature_index, tr)
    return ClaimCheck(SEED_CLAIM_TEXT, citation, findings)


def wfc_findings(nature_index: pd.DataFrame, tr: Translator = ENGLISH) -> list[str]:
    """China against the US on the launch set's WFC, said apart from Share because the two do not compare."""
    rows = nature_index.loc[~nature_index["scope"].map(is_share_scope).astype(bool)]
    rows = rows[(rows["entity_type"] == "country") & (rows["subject"] == ALL_SUBJECTS) & rows["share"].notna()].copy()
    rows["entity"] = rows["entity"].map(canonical_country)
    findings = []
    for (data_year, scope), group in rows.groupby(["data_year", "scope"]):
        values = group.set_index("entity")["share"]
        if {CHINA, US_NAMES[0]} <= set(values.index):
            findings.append(tr("ni.wfc_finding", scope=tr.value("scope", scope), year=int(data_year),
                               china=format_number(values[CHINA], tr=tr), us=format_number(values[US_NAMES[0]], tr=tr)))
    return findings


