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

# Muon fluxes within this ratio of each other are reported as "level": the measurements'
# own uncertainties (CJPL-II: ±10 %) are of this order.
LEVEL_FLUX_RATIO = 1.25


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


def _label(row: pd.Series) -> str:
    return row["acronym"] if pd.notna(row["acronym"]) else row["name_en"]


def known_investment_cny_millions(facilities: pd.DataFrame) -> tuple[float, int, int]:
    """Sum of costs given in CNY (millions, nominal, mixed price years), how many facilities that covers, and how many are estimates."""
    in_cny = facilities[(facilities["cost_currency"] == "CNY") & facilities["cost_value"].notna()]
    estimates = int(in_cny["cost_is_estimate"].fillna(False).astype(bool).sum())
    return float(in_cny["cost_value"].sum()), len(in_cny), estimates


def headline_numbers(facilities: pd.DataFrame) -> list[Headline]:
    """The overview's numbers for the currently filtered facilities."""
    status_counts = facilities["status"].value_counts()
    headlines = [
        Headline("Facilities", f"{len(facilities):,}", "in the current selection", "pages/explorer.py"),
        Headline("Provinces", f"{facilities['province'].nunique():,}",
                 "provincial-level divisions with at least one", "pages/map.py"),
        Headline("Operating", f"{int(status_counts.get('operating', 0)):,}",
                 f"{int(status_counts.get('under construction', 0)):,} under construction, "
                 f"{int(status_counts.get('planned', 0)):,} planned", "pages/timeline.py"),
    ]
    deepest = _top(facilities, "depth_m")
    headlines.append(Headline(
        "Deepest laboratory",
        format_value(deepest["depth_m"], "m") if deepest is not None else "not known",
        f"{_label(deepest)}, rock overburden" if deepest is not None else "no underground site selected",
        "pages/compare.py",
    ))
    highest = _top(facilities, "altitude_m")
    headlines.append(Headline(
        "Highest observatory",
        format_value(highest["altitude_m"], "m") if highest is not None else "not known",
        f"{_label(highest)}, above sea level" if highest is not None else "no high-altitude site selected",
        "pages/compare.py",
    ))
    detectors = facilities[facilities["scale_unit"] == "t"]
    largest = _top(detectors, "scale_value")
    headlines.append(Headline(
        "Largest detector",
        format_value(largest["scale_value"], "t") if largest is not None else "not known",
        f"{_label(largest)}, target mass" if largest is not None else "no detector with a known mass selected",
        "pages/compare.py",
    ))
    total, covered, estimates = known_investment_cny_millions(facilities)
    headlines.append(Headline(
        "Known investment",
        f"CNY {total / 1000:,.1f} bn" if covered else "not known",
        f"sum over the {covered} of {len(facilities)} facilities with a cost in CNY"
        + (f" ({estimates} estimates)" if estimates else ""),
        "pages/compare.py",
        help="Nominal yuan in the year each figure was reported, not adjusted for inflation; costs given only in "
             "US dollars are left out. A lower bound: most facilities' costs are not known.",
    ))
    return headlines


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
    ids = tuple(s for row in (first, second) if row is not None for s in str(row["source_ids"]).split(";"))
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
    return Claim(title, evidence, nuance, tuple(str(first["source_ids"]).split(";")),
                 holds=bool(pd.notna(first["facility_id"])))


def nature_index_crossover(nature_index: pd.DataFrame, scope: str = "natural sciences (82 journals)") -> tuple[int | None, pd.DataFrame]:
    """First data year in which China's Share exceeds the US's, within one scope, taking each year's latest edition.

    Returns (year or None, the China/US rows used)."""
    countries = nature_index[
        (nature_index["entity_type"] == "country")
        & (nature_index["subject"] == "All subjects")
        & (nature_index["scope"] == scope)
        & nature_index["share"].notna()
        & nature_index["entity"].isin(["China", "United States"])
    ].copy()
    if countries.empty:
        return None, countries
    # One value per country and data year: the latest edition that published it.
    countries = countries.sort_values("edition").groupby(["entity", "data_year"], as_index=False).last()
    wide = countries.pivot(index="data_year", columns="entity", values="share").dropna()
    if not {"China", "United States"} <= set(wide.columns):
        return None, countries
    ahead = wide[wide["China"] > wide["United States"]]
    return (int(ahead.index.min()) if not ahead.empty else None), countries


def nature_index_claim(nature_index: pd.DataFrame) -> Claim:
    title = "China overtook the US in the Nature Index in 2022."
    year, rows = nature_index_crossover(nature_index)
    if year is None:
        return Claim(title, "The data has no year in which China's natural-science Share exceeds the US's.", "",
                     holds=None if rows.empty else False)
    at = rows[rows["data_year"] == year].set_index("entity")
    years_with_both = rows.groupby("data_year")["entity"].nunique()
    earlier = [y for y in years_with_both[years_with_both == 2].index if y < year]
    when = (f"first exceeds the US's in data year {year}" if earlier else
            f"exceeds the US's in data year {year}, the earliest year for which the data has both Shares")
    evidence = (
        f"Natural sciences (82 journals): China's Share {when} "
        f"({at.loc['China', 'share']:,.0f} vs {at.loc['United States', 'share']:,.0f}, "
        f"{at.loc['China', 'edition']})."
    )
    nuance = ("From data year 2023 Nature Index's headline ranking adds 64 health-science journals (145 in all), "
              "where the US leads, so the two series are not one line: see the Nature Index page.")
    ids = tuple(s for cell in at["source_ids"] for s in str(cell).split(";"))
    return Claim(title, evidence, nuance, ids, holds=(year == 2022))


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
    return Claim(title, evidence, nuance, tuple(str(row["source_ids"]).split(";")), holds=holds)


def seed_claims(catalogue: Catalogue) -> list[Claim]:
    """The seed article's checkable claims, each with the evidence from the data."""
    return [
        deepest_lab_claim(catalogue.peers),
        largest_scintillator_claim(catalogue.peers),
        nature_index_claim(catalogue.nature_index),
        budget_claim(catalogue.research_spending),
    ]
