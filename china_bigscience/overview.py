"""The landing page's numbers and the seed article's claims, each computed from the tables with its evidence.

Nothing here is typed in: the deepest laboratory, the largest detector and the
year China passed the US are whatever the data says, so a corrected CSV
corrects the overview too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import format_value
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


@dataclass(frozen=True)
class Investment:
    """The 'known investment' sum and what it leaves out, by reason."""

    total_cny_millions: float
    counted: tuple[str, ...]  # facility ids in the sum
    estimates: int
    left_out: dict[str, tuple[str, ...]]  # reason -> facility labels

    def left_out_text(self) -> str:
        parts = [f"{reason}: {', '.join(labels)}" for reason, labels in self.left_out.items() if labels]
        return "; ".join(parts)


def known_investment(facilities: pd.DataFrame, weakly_sourced: frozenset[tuple[str, str]] = frozenset()) -> Investment:
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
        {reason: tuple(short_label(row) for _, row in frame.iterrows()) for reason, frame in reasons.items()},
    )


def headline_numbers(facilities: pd.DataFrame, value_sources: pd.DataFrame | None = None,
                     sources: pd.DataFrame | None = None) -> list[Headline]:
    """The overview's numbers for the currently filtered facilities; a weakly sourced value never makes a headline."""
    weak = weakly_sourced_values(value_sources) if value_sources is not None else frozenset()
    status_counts = facilities["status"].value_counts()
    headlines = [
        Headline("Facilities", f"{len(facilities):,}", "in the current selection", "pages/explorer.py"),
        Headline("Provinces", f"{facilities['province'].nunique():,}",
                 "provincial-level divisions with at least one", "pages/map.py"),
        Headline("Operating", f"{int(status_counts.get('operating', 0)):,}",
                 f"{int(status_counts.get('under construction', 0)):,} under construction, "
                 f"{int(status_counts.get('planned', 0)):,} planned", "pages/timeline.py"),
    ]
    deepest = _top(_without_weak(facilities, "depth_m", weak), "depth_m")
    headlines.append(Headline(
        "Deepest laboratory",
        format_value(deepest["depth_m"], "m") if deepest is not None else "not known",
        f"{short_label(deepest)}, rock overburden" if deepest is not None else "no underground site selected",
        "pages/compare.py",
    ))
    highest = _top(_without_weak(facilities, "altitude_m", weak), "altitude_m")
    headlines.append(Headline(
        "Highest observatory",
        format_value(highest["altitude_m"], "m") if highest is not None else "not known",
        f"{short_label(highest)}, above sea level" if highest is not None else "no high-altitude site selected",
        "pages/compare.py",
    ))
    detectors = _without_weak(facilities[facilities["scale_unit"] == "t"], "scale_value", weak)
    largest = _top(detectors, "scale_value")
    headlines.append(Headline(
        "Largest detector",
        format_value(largest["scale_value"], "t") if largest is not None else "not known",
        f"{short_label(largest)}, target mass" if largest is not None else "no detector with a known mass selected",
        "pages/compare.py",
    ))
    investment = known_investment(facilities, weak)
    covered = len(investment.counted)
    left_out = investment.left_out_text()
    headlines.append(Headline(
        "Known investment",
        f"CNY {investment.total_cny_millions / 1000:,.1f} bn" if covered else "not known",
        f"sum over the {covered} approved or built facilities with a sourced cost in CNY"
        + (f" ({investment.estimates} estimates)" if investment.estimates else "")
        + (f"; left out: {left_out}" if left_out else ""),
        "pages/compare.py",
        help="Nominal yuan in the year each figure was reported, not adjusted for inflation. Counts only facilities "
             "that were approved or built, and only costs with a primary or reputable source; planned projects, "
             "weakly sourced costs and costs given only in US dollars are left out. A lower bound: most facilities' "
             "costs are not known.",
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

    def text(self) -> str:
        return (f"China officially counts {self.official} national major science and technology infrastructure "
                f"facilities (国家重大科技基础设施) laid out, {self.built_and_running} of them built and running "
                f"(NDRC, September 2022; the 77 repeated by CCTV in 2025). This catalogue marks {self.in_catalogue} "
                f"of its facilities as on that national list.")


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


def deepest_lab_claim(peers: pd.DataFrame) -> Claim:
    labs = peers[peers["category"] == "underground laboratory"].dropna(subset=["depth_m"])
    labs = labs.sort_values("depth_m", ascending=False)
    if labs.empty:
        return Claim("CJPL is the world's deepest underground laboratory.", "No laboratory depths in the data.", "")
    first = labs.iloc[0]
    # The runner-up is the deepest laboratory of another country: CJPL-II under CJPL-I says nothing.
    others = labs[labs["country"] != first["country"]]
    second = others.iloc[0] if len(others) else None
    is_china = pd.notna(first["facility_id"])
    evidence = f"Deepest by vertical rock overburden: {first['name']}, {first['depth_m']:,.0f} m"
    if second is not None:
        evidence += f"; deepest elsewhere: {second['name']} ({second['country']}), {second['depth_m']:,.0f} m."
    nuance = ""
    fluxes = labs.dropna(subset=["muon_flux_per_m2_day"]).sort_values("muon_flux_per_m2_day")
    china_flux = fluxes[fluxes["facility_id"].notna()]
    world_flux = fluxes[fluxes["facility_id"].isna()]
    if not china_flux.empty and not world_flux.empty:
        best_china, best_world = china_flux.iloc[0], world_flux.iloc[0]
        ratio = max(best_china["muon_flux_per_m2_day"], best_world["muon_flux_per_m2_day"]) / min(
            best_china["muon_flux_per_m2_day"], best_world["muon_flux_per_m2_day"])
        verdict = "level with" if ratio <= LEVEL_FLUX_RATIO else (
            "lower than" if best_china["muon_flux_per_m2_day"] < best_world["muon_flux_per_m2_day"] else "higher than")
        nuance = (
            f"By measured muon flux, the measure that matters to experiments, {best_china['name']} "
            f"({best_china['muon_flux_per_m2_day']:.2f} muons/m²/day) is {verdict} {best_world['name']} "
            f"({best_world['muon_flux_per_m2_day']:.2f}): a mountain lab lets in more muons from the sides."
        )
    ids = tuple(s for row in (first, second) if row is not None for s in split_ids(row["source_ids"]))
    return Claim("CJPL is the world's deepest underground laboratory.", evidence, nuance, ids, holds=bool(is_china))


def largest_scintillator_claim(peers: pd.DataFrame) -> Claim:
    detectors = peers[peers["category"] == "neutrino detector"].dropna(subset=["target_mass_t"])
    scintillator = detectors[detectors["target_medium"].fillna("").str.contains("scintillator", case=False)]
    scintillator = scintillator.sort_values("target_mass_t", ascending=False)
    title = "JUNO is the largest liquid-scintillator neutrino detector."
    if scintillator.empty:
        return Claim(title, "No liquid-scintillator detectors in the data.", "")
    first = scintillator.iloc[0]
    evidence = f"Largest liquid-scintillator target: {first['name']}, {first['target_mass_t']:,.0f} t"
    if len(scintillator) > 1:
        second = scintillator.iloc[1]
        evidence += f"; next: {second['name']}, {second['target_mass_t']:,.0f} t ({first['target_mass_t'] / second['target_mass_t']:.0f}×)."
    bigger = detectors[(detectors["target_mass_t"] > first["target_mass_t"])].sort_values("target_mass_t")
    nuance = ""
    if not bigger.empty:
        nuance = "Detectors of other media are heavier: " + ", ".join(
            f"{row['name']} ({row['target_mass_t']:,.0f} t, {row['target_medium']})" for _, row in bigger.iterrows()
        ) + "."
    return Claim(title, evidence, nuance, tuple(split_ids(first["source_ids"])),
                 holds=bool(pd.notna(first["facility_id"])))


def nature_index_claim(nature_index: pd.DataFrame) -> Claim:
    title = "China overtook the US in the Nature Index in 2022."
    # One definition of "when did China overtake the US", shared with the Nature Index page.
    crossover = china_us_crossover(nature_index)
    if crossover is None:
        return Claim(title, "The data has no year in which China's Share exceeds the US's.", "",
                     holds=None if not china_us_leads(nature_index) else False)
    first = crossover.lead
    leads = [lead for lead in china_us_leads(nature_index) if lead.scope == first.scope]
    earlier = [lead for lead in leads if lead.data_year < first.data_year]
    how = (f"{first.china_share:,.0f} vs {first.us_share:,.0f}" if first.gap is not None else "by rank")
    evidence = (f"{first.scope[0].upper()}{first.scope[1:]}: China first leads the US in data year {first.data_year} "
                f"({how}, {first.edition}).")
    if earlier:
        checked = "; ".join(
            f"{lead.data_year} ({lead.us_share:,.0f} vs {lead.china_share:,.0f} Share)" if lead.gap is not None
            else f"{lead.data_year} (by rank)" for lead in earlier)
        evidence += f" Checked against every earlier year with both values: the US led in {checked}."
    else:
        evidence += " The data has no earlier year with both values, so this is the earliest year it can check."
    known_years = {lead.data_year for lead in leads}
    start = min(known_years)
    missing = [year for year in range(start, first.data_year) if year not in known_years]
    nuance = ""
    if missing:
        nuance = (f"No Share or rank of both countries is published for {_year_list(missing)}: a gap in the data, "
                  "not a tie. ")
    nuance += ("From data year 2023 Nature Index's headline ranking adds 64 health-science journals (145 in all), "
               "where the US leads, so the two series are not one line; the 2014 launch-set WFC is a different "
               "measure again: see the Nature Index page.")
    ids = tuple(dict.fromkeys(s for lead in [first, *earlier] for s in lead.source_ids))
    last_us = max((lead.data_year for lead in earlier), default=None)
    # The claim holds when 2022 is the first China lead and the US led in the last year before it with data.
    holds = first.data_year == 2022 and last_us is not None and not any(year > last_us for year in missing)
    return Claim(title, evidence, nuance, ids, holds=holds)


def _year_list(years: list[int]) -> str:
    """[2019, 2020, 2023] -> '2019–2020 and 2023'."""
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in consecutive_runs(years)]
    return " and ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " and " + parts[-1]


def budget_claim(research_spending: pd.DataFrame) -> Claim:
    title = "China raised its central science budget by 10% in 2024."
    rows = research_spending[(research_spending["indicator"] == "central government S&T budget")
                             & (research_spending["year"] == 2024)]
    if rows.empty:
        return Claim(title, "No 2024 central budget figure in the data.", "")
    row = rows.iloc[0]
    evidence = (f"2024 central-government science and technology budget: {format_value(row['value'], row['unit'])}"
                + (f", {row['change_pct']:+.0f}% on 2023." if pd.notna(row["change_pct"]) else "."))
    nuance = ("This is the central government's budget line, not China's total R&D spending (which includes "
              "local governments and companies).")
    holds = bool(pd.notna(row["change_pct"]) and round(float(row["change_pct"])) == 10)
    return Claim(title, evidence, nuance, tuple(split_ids(row["source_ids"])), holds=holds)


def seed_claims(catalogue: Catalogue) -> list[Claim]:
    """The seed article's checkable claims, each with the evidence from the data."""
    return [
        deepest_lab_claim(catalogue.peers),
        largest_scintillator_claim(catalogue.peers),
        nature_index_claim(catalogue.nature_index),
        budget_claim(catalogue.research_spending),
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
