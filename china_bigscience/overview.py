"""The landing page's numbers and the seed article's claims, each computed from the tables with its evidence.

Nothing here is typed in: the deepest laboratory, the largest detector and the
year China passed the US are whatever the data says, so a corrected CSV
corrects the overview too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import format_value  # noqa: F401 (kept for callers that format like the overview)
from china_bigscience.i18n import ENGLISH, Translator, peer_names
from china_bigscience.labels import short_label
from china_bigscience.nature_index import CHINA, US_NAMES, china_us_crossover, china_us_leads, consecutive_runs
from china_bigscience.source_ids import split_ids
from china_bigscience.source_quality import WEAK, weakly_sourced_values

# Muon fluxes within this ratio of each other are reported as "level": the measurements'
# own uncertainties (CJPL-II: ±10 %) are of this order.
LEVEL_FLUX_RATIO = 1.25

NATURAL_SCOPE = "natural sciences (82 journals)"
# Statuses of facilities that were approved or built: planned projects (CEPC, for one, is not approved) have
# costs that are proposals, not investment.
APPROVED_OR_BUILT = ("operating", "under construction", "decommissioned")

# China's official count of national major S&T infrastructure facilities (国家重大科技基础设施): NDRC, 26 Sep 2022,
# "我国布局建设的77个国家重大科技基础设施中,32个已建成运行", repeated by CCTV in 2025. A statement, not a table
# value, so it is kept here with its sources; both texts were seen only in copies.
OFFICIAL_NATIONAL_FACILITY_COUNT = 77
OFFICIAL_BUILT_AND_RUNNING = 32
OFFICIAL_COUNT_SOURCE_IDS = ("ndrc_2022_09_26_press_conference_77_facilities", "cctv_2025_xinwen_lianbo_77_facilities")


@dataclass(frozen=True)
class Headline:
    """One headline number with where it is explained."""

    label: str
    value: str
    detail: str
    page: str  # the page that explains it
    help: str = ""


@dataclass(frozen=True)
class Claim:
    """A claim of the seed article, what the data shows about it, and the nuance."""

    claim: str
    evidence: str
    nuance: str
    source_ids: tuple[str, ...] = field(default_factory=tuple)
    holds: bool | None = None  # None: the data cannot tell


def _top(facilities: pd.DataFrame, column: str) -> pd.Series | None:
    known = facilities.dropna(subset=[column])
    if known.empty:
        return None
    return known.loc[known[column].idxmax()]


def _label(row: pd.Series, tr: Translator = ENGLISH) -> str:
    if tr.is_chinese:
        return tr.facility_short_name(row["name_en"], row.get("name_zh"), row["acronym"])
    return short_label(row)


@dataclass(frozen=True)
class Investment:
    """The 'known investment' sum and what it leaves out, by reason."""

    total_cny_millions: float
    counted: tuple[str, ...]  # facility ids in the sum
    estimates: int
    left_out: dict[str, tuple[str, ...]]  # reason -> facility labels

    def left_out_text(self, tr: Translator = ENGLISH) -> str:
        parts = [tr("common.mark_meaning", mark=tr(LEFT_OUT_KEYS[reason]), meaning=tr.join(labels))
                 for reason, labels in self.left_out.items() if labels]
        return tr("profile.detail_separator").join(parts)


# Why a cost is left out of the known investment (the reasons are the keys of Investment.left_out).
LEFT_OUT_KEYS = {"planned, not approved or built": "overview.left_out_planned",
                 "cost only weakly sourced": "overview.left_out_weak",
                 "cost not in CNY": "overview.left_out_currency"}


def known_investment(facilities: pd.DataFrame, weakly_sourced: frozenset[tuple[str, str]] = frozenset(),
                     tr: Translator = ENGLISH) -> Investment:
    """Sum of costs in CNY (millions, nominal) of approved or built facilities whose cost has a primary or reputable source."""
    costed = facilities[facilities["cost_value"].notna()]
    reasons = {
        # Every planned facility is named, costed or not: a proposal is not an investment.
        "planned, not approved or built": facilities[~facilities["status"].isin(APPROVED_OR_BUILT)],
        "cost only weakly sourced": costed.loc[costed["status"].isin(APPROVED_OR_BUILT)
                                               & costed["id"].map(lambda i: (i, "cost_value") in weakly_sourced).astype(bool)],
    }
    counted_pool = costed.drop(index=[i for frame in reasons.values() for i in frame.index if i in costed.index])
    reasons["cost not in CNY"] = counted_pool[counted_pool["cost_currency"] != "CNY"]
    in_cny = counted_pool[counted_pool["cost_currency"] == "CNY"]
    estimates = int(in_cny["cost_is_estimate"].fillna(False).astype(bool).sum())
    return Investment(
        float(in_cny["cost_value"].sum()), tuple(in_cny["id"]), estimates,
        {reason: tuple(_label(row, tr) for _, row in frame.iterrows()) for reason, frame in reasons.items()},
    )


def headline_numbers(facilities: pd.DataFrame, value_sources: pd.DataFrame | None = None,
                     sources: pd.DataFrame | None = None, tr: Translator = ENGLISH) -> list[Headline]:
    """The overview's numbers for the currently filtered facilities; a weakly sourced value never makes a headline."""
    weak = weakly_sourced_values(value_sources) if value_sources is not None else frozenset()
    status_counts = facilities["status"].value_counts()
    headlines = [
        Headline(tr("overview.facilities"), f"{len(facilities):,}", tr("overview.facilities_detail"), "pages/explorer.py"),
        Headline(tr("overview.provinces"), f"{facilities['province'].nunique():,}",
                 tr("overview.provinces_detail"), "pages/map.py"),
        Headline(tr("overview.operating"), f"{int(status_counts.get('operating', 0)):,}",
                 tr("overview.operating_detail", construction=f"{int(status_counts.get('under construction', 0)):,}",
                    planned=f"{int(status_counts.get('planned', 0)):,}"), "pages/timeline.py"),
    ]
    deepest = _top(_without_weak(facilities, "depth_m", weak), "depth_m")
    headlines.append(Headline(
        tr("overview.deepest"),
        tr.quantity(deepest["depth_m"], "m") if deepest is not None else tr("common.not_known"),
        tr("overview.deepest_detail", name=_label(deepest, tr)) if deepest is not None else tr("overview.deepest_none"),
        "pages/compare.py",
    ))
    highest = _top(_without_weak(facilities, "altitude_m", weak), "altitude_m")
    headlines.append(Headline(
        tr("overview.highest"),
        tr.quantity(highest["altitude_m"], "m") if highest is not None else tr("common.not_known"),
        tr("overview.highest_detail", name=_label(highest, tr)) if highest is not None else tr("overview.highest_none"),
        "pages/compare.py",
    ))
    detectors = _without_weak(facilities[facilities["scale_unit"] == "t"], "scale_value", weak)
    largest = _top(detectors, "scale_value")
    headlines.append(Headline(
        tr("overview.largest"),
        tr.quantity(largest["scale_value"], "t") if largest is not None else tr("common.not_known"),
        tr("overview.largest_detail", name=_label(largest, tr)) if largest is not None else tr("overview.largest_none"),
        "pages/compare.py",
    ))
    investment = known_investment(facilities, weak, tr)
    covered = len(investment.counted)
    left_out = investment.left_out_text(tr)
    total = investment.total_cny_millions
    headlines.append(Headline(
        tr("overview.investment"),
        tr("overview.investment_value", billions=f"{total / 1000:,.1f}", yi=f"{total / 100:,.1f}") if covered
        else tr("common.not_known"),
        tr("overview.investment_detail", covered=covered)
        + (tr("overview.investment_estimates", count=investment.estimates) if investment.estimates else "")
        + (tr("overview.investment_left_out", left_out=left_out) if left_out else ""),
        "pages/compare.py",
        help=tr("overview.investment_help"),
    ))
    return headlines


def _without_weak(facilities: pd.DataFrame, column: str, weak: frozenset[tuple[str, str]]) -> pd.DataFrame:
    """The rows whose ``column`` value is not marked weakly sourced."""
    marked = facilities["id"].map(lambda facility_id: (facility_id, column) in weak).astype(bool)
    return facilities.loc[~marked]


@dataclass(frozen=True)
class NationalCount:
    """The official count of national major S&T infrastructure facilities, and how many of them the catalogue holds."""

    official: int
    built_and_running: int
    in_catalogue: int
    source_ids: tuple[str, ...]
    weakly_sourced: bool

    def text(self, tr: Translator = ENGLISH) -> str:
        return tr("overview.national_count", official=self.official, built=self.built_and_running,
                  in_catalogue=self.in_catalogue)


def national_count(facilities: pd.DataFrame, sources: pd.DataFrame) -> NationalCount:
    """The official 77, cited, and the count of catalogue rows marked on the national list (all facilities, unfiltered)."""
    on_list = facilities["on_national_list"].fillna(False).astype(bool) if "on_national_list" in facilities else []
    qualities = dict(zip(sources["id"], sources["quality"]))
    weak = all(qualities.get(source_id) == WEAK for source_id in OFFICIAL_COUNT_SOURCE_IDS)
    return NationalCount(OFFICIAL_NATIONAL_FACILITY_COUNT, OFFICIAL_BUILT_AND_RUNNING, int(sum(on_list)),
                         OFFICIAL_COUNT_SOURCE_IDS, weak)


def _peer(peers: pd.DataFrame, facility_id: str) -> pd.Series | None:
    rows = peers[peers["facility_id"] == facility_id]
    return None if rows.empty else rows.iloc[0]


def deepest_lab_claim(peers: pd.DataFrame, tr: Translator = ENGLISH) -> Claim:
    labs = peers[peers["category"] == "underground laboratory"].dropna(subset=["depth_m"])
    labs = labs.sort_values("depth_m", ascending=False)
    if labs.empty:
        return Claim(tr("overview.claim_deepest"), tr("overview.claim_deepest_none"), "")
    first = labs.iloc[0]
    # The runner-up is the deepest laboratory of another country: CJPL-II under CJPL-I says nothing.
    others = labs[labs["country"] != first["country"]]
    second = others.iloc[0] if len(others) else None
    is_china = pd.notna(first["facility_id"])
    evidence = tr("overview.claim_deepest_evidence", name=first["name"], depth=f"{first['depth_m']:,.0f}")
    if second is not None:
        evidence += tr("overview.claim_deepest_next", name=second["name"], country=tr.value("country", second["country"]),
                       depth=f"{second['depth_m']:,.0f}")
    nuance = ""
    fluxes = labs.dropna(subset=["muon_flux_per_m2_day"]).sort_values("muon_flux_per_m2_day")
    china_flux = fluxes[fluxes["facility_id"].notna()]
    world_flux = fluxes[fluxes["facility_id"].isna()]
    if not china_flux.empty and not world_flux.empty:
        best_china, best_world = china_flux.iloc[0], world_flux.iloc[0]
        ratio = max(best_china["muon_flux_per_m2_day"], best_world["muon_flux_per_m2_day"]) / min(
            best_china["muon_flux_per_m2_day"], best_world["muon_flux_per_m2_day"])
        verdict = "level" if ratio <= LEVEL_FLUX_RATIO else (
            "lower" if best_china["muon_flux_per_m2_day"] < best_world["muon_flux_per_m2_day"] else "higher")
        nuance = tr(f"overview.claim_flux_{verdict}", china=best_china["name"], other=best_world["name"],
                    china_flux=f"{best_china['muon_flux_per_m2_day']:.2f}",
                    other_flux=f"{best_world['muon_flux_per_m2_day']:.2f}")
    ids = tuple(s for row in (first, second) if row is not None for s in split_ids(row["source_ids"]))
    return Claim(tr("overview.claim_deepest"), evidence, nuance, ids, holds=bool(is_china))


def largest_scintillator_claim(peers: pd.DataFrame, tr: Translator = ENGLISH) -> Claim:
    detectors = peers[peers["category"] == "neutrino detector"].dropna(subset=["target_mass_t"])
    scintillator = detectors[detectors["target_medium"].fillna("").str.contains("scintillator", case=False)]
    scintillator = scintillator.sort_values("target_mass_t", ascending=False)
    title = tr("overview.claim_juno")
    if scintillator.empty:
        return Claim(title, tr("overview.claim_juno_none"), "")
    first = scintillator.iloc[0]
    evidence = tr("overview.claim_juno_evidence", name=first["name"], mass=f"{first['target_mass_t']:,.0f}")
    if len(scintillator) > 1:
        second = scintillator.iloc[1]
        evidence += tr("overview.claim_juno_next", name=second["name"], mass=f"{second['target_mass_t']:,.0f}",
                       ratio=f"{first['target_mass_t'] / second['target_mass_t']:.0f}")
    bigger = detectors[(detectors["target_mass_t"] > first["target_mass_t"])].sort_values("target_mass_t")
    nuance = ""
    if not bigger.empty:
        nuance = tr("overview.claim_juno_heavier", detectors=tr.join(
            tr("overview.claim_juno_detector", name=row["name"], mass=f"{row['target_mass_t']:,.0f}",
               medium=row["target_medium"]) for _, row in bigger.iterrows()))
    return Claim(title, evidence, nuance, tuple(split_ids(first["source_ids"])),
                 holds=bool(pd.notna(first["facility_id"])))


def nature_index_claim(nature_index: pd.DataFrame, tr: Translator = ENGLISH) -> Claim:
    title = tr("overview.claim_ni")
    # One definition of "when did China overtake the US", shared with the Nature Index page.
    crossover = china_us_crossover(nature_index)
    if crossover is None:
        return Claim(title, tr("overview.claim_ni_none"), "",
                     holds=None if not china_us_leads(nature_index) else False)
    first = crossover.lead
    leads = [lead for lead in china_us_leads(nature_index) if lead.scope == first.scope]
    earlier = [lead for lead in leads if lead.data_year < first.data_year]
    how = (tr("overview.ni_versus", china=f"{first.china_share:,.0f}", us=f"{first.us_share:,.0f}")
           if first.gap is not None else tr("overview.ni_by_rank"))
    scope = tr.value("scope", first.scope)
    evidence = tr("overview.ni_first", scope=scope[:1].upper() + scope[1:], year=first.data_year, how=how,
                  edition=first.edition)
    if earlier:
        checked = tr("profile.detail_separator").join(
            tr("overview.ni_year_share", year=lead.data_year, us=f"{lead.us_share:,.0f}", china=f"{lead.china_share:,.0f}")
            if lead.gap is not None else tr("overview.ni_year_rank", year=lead.data_year) for lead in earlier)
        evidence += tr("overview.ni_checked", checked=checked)
    else:
        evidence += tr("overview.ni_earliest")
    known_years = {lead.data_year for lead in leads}
    start = min(known_years)
    missing = [year for year in range(start, first.data_year) if year not in known_years]
    nuance = ""
    if missing:
        nuance = tr("overview.ni_missing", years=_year_list(missing, tr))
    nuance += tr("overview.claim_ni_nuance")
    ids = tuple(dict.fromkeys(s for lead in [first, *earlier] for s in lead.source_ids))
    last_us = max((lead.data_year for lead in earlier), default=None)
    # The claim holds when 2022 is the first China lead and the US led in the last year before it with data.
    holds = first.data_year == 2022 and last_us is not None and not any(year > last_us for year in missing)
    return Claim(title, evidence, nuance, ids, holds=holds)


def _year_list(years: list[int], tr: Translator = ENGLISH) -> str:
    """[2019, 2020, 2023] -> '2019–2020 and 2023'."""
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in consecutive_runs(years)]
    return tr("common.and").join(parts) if len(parts) <= 2 else tr.join(parts[:-1]) + tr("common.and") + parts[-1]


def budget_claim(research_spending: pd.DataFrame, tr: Translator = ENGLISH) -> Claim:
    title = tr("overview.claim_budget")
    rows = research_spending[(research_spending["indicator"] == "central government S&T budget")
                             & (research_spending["year"] == 2024)]
    if rows.empty:
        return Claim(title, tr("overview.claim_budget_none"), "")
    row = rows.iloc[0]
    evidence = (tr("overview.claim_budget_evidence", value=tr.quantity(row["value"], row["unit"]))
                + (tr("overview.claim_budget_change", change=f"{row['change_pct']:+.0f}")
                   if pd.notna(row["change_pct"]) else tr("common.full_stop")))
    nuance = tr("overview.claim_budget_nuance")
    holds = bool(pd.notna(row["change_pct"]) and round(float(row["change_pct"])) == 10)
    return Claim(title, evidence, nuance, tuple(split_ids(row["source_ids"])), holds=holds)


def seed_claims(catalogue: Catalogue, tr: Translator = ENGLISH) -> list[Claim]:
    """The seed article's checkable claims, each with the evidence from the data, in the reader's language."""
    peers = catalogue.peers.assign(name=peer_names(catalogue.peers, catalogue.facilities, tr))
    return [
        deepest_lab_claim(peers, tr),
        largest_scintillator_claim(peers, tr),
        nature_index_claim(catalogue.nature_index, tr),
        budget_claim(catalogue.research_spending, tr),
    ]


def claim_rows(peers: pd.DataFrame, nature_index: pd.DataFrame, research_spending: pd.DataFrame) -> list[tuple[str, int]]:
    """(table, row index) of every row a checked claim reads, so validation can demand a non-weak source for each."""
    used: list[tuple[str, int]] = []
    labs = peers[peers["category"] == "underground laboratory"].dropna(subset=["depth_m"]).sort_values("depth_m", ascending=False)
    if not labs.empty:
        used.append(("peers", labs.index[0]))
        others = labs[labs["country"] != labs.iloc[0]["country"]]
        if len(others):
            used.append(("peers", others.index[0]))
        fluxes = labs.dropna(subset=["muon_flux_per_m2_day"]).sort_values("muon_flux_per_m2_day")
        for part in (fluxes[fluxes["facility_id"].notna()], fluxes[fluxes["facility_id"].isna()]):
            if len(part):
                used.append(("peers", part.index[0]))
    detectors = peers[(peers["category"] == "neutrino detector")
                      & peers["target_medium"].fillna("").str.contains("scintillator", case=False)].dropna(subset=["target_mass_t"])
    used += [("peers", index) for index in detectors.sort_values("target_mass_t", ascending=False).index[:2]]
    countries = nature_index[(nature_index["entity_type"] == "country") & (nature_index["subject"] == "All subjects")
                             & (nature_index["scope"] == NATURAL_SCOPE)
                             & nature_index["entity"].isin([CHINA, *US_NAMES])]
    used += [("nature_index", index) for index in countries.index]
    budget = research_spending[(research_spending["indicator"] == "central government S&T budget")
                               & (research_spending["year"] == 2024)]
    used += [("research_spending", index) for index in budget.index[:1]]
    return list(dict.fromkeys(used))
