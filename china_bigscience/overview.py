"""The landing page's numbers and the seed article's claims, each computed from the tables with its evidence.

Nothing here is typed in: the deepest laboratory, the largest detector and the
year China passed the US are whatever the data says, so a corrected CSV
corrects the overview too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from china_bigscience.catalogue import Catalogue
from china_bigscience.i18n import ENGLISH, Translator, peer_names

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


def _label(row: pd.Series, tr: Translator = ENGLISH) -> str:
    return tr.facility_short_name(row["name_en"], row.get("name_zh"), row["acronym"]) if tr.is_chinese else (
        row["acronym"] if pd.notna(row["acronym"]) else row["name_en"])


def known_investment_cny_millions(facilities: pd.DataFrame) -> tuple[float, int, int]:
    """Sum of costs given in CNY (millions, nominal, mixed price years), how many facilities that covers, and how many are estimates."""
    in_cny = facilities[(facilities["cost_currency"] == "CNY") & facilities["cost_value"].notna()]
    estimates = int(in_cny["cost_is_estimate"].fillna(False).astype(bool).sum())
    return float(in_cny["cost_value"].sum()), len(in_cny), estimates


def headline_numbers(facilities: pd.DataFrame, tr: Translator = ENGLISH) -> list[Headline]:
    """The overview's numbers for the currently filtered facilities, in the reader's language."""
    status_counts = facilities["status"].value_counts()
    headlines = [
        Headline(tr("overview.facilities"), f"{len(facilities):,}", tr("overview.facilities_detail"), "pages/explorer.py"),
        Headline(tr("overview.provinces"), f"{facilities['province'].nunique():,}",
                 tr("overview.provinces_detail"), "pages/map.py"),
        Headline(tr("overview.operating"), f"{int(status_counts.get('operating', 0)):,}",
                 tr("overview.operating_detail", construction=f"{int(status_counts.get('under construction', 0)):,}",
                    planned=f"{int(status_counts.get('planned', 0)):,}"), "pages/timeline.py"),
    ]
    deepest = _top(facilities, "depth_m")
    headlines.append(Headline(
        tr("overview.deepest"),
        tr.quantity(deepest["depth_m"], "m") if deepest is not None else tr("common.not_known"),
        tr("overview.deepest_detail", name=_label(deepest, tr)) if deepest is not None else tr("overview.deepest_none"),
        "pages/compare.py",
    ))
    highest = _top(facilities, "altitude_m")
    headlines.append(Headline(
        tr("overview.highest"),
        tr.quantity(highest["altitude_m"], "m") if highest is not None else tr("common.not_known"),
        tr("overview.highest_detail", name=_label(highest, tr)) if highest is not None else tr("overview.highest_none"),
        "pages/compare.py",
    ))
    detectors = facilities[facilities["scale_unit"] == "t"]
    largest = _top(detectors, "scale_value")
    headlines.append(Headline(
        tr("overview.largest"),
        tr.quantity(largest["scale_value"], "t") if largest is not None else tr("common.not_known"),
        tr("overview.largest_detail", name=_label(largest, tr)) if largest is not None else tr("overview.largest_none"),
        "pages/compare.py",
    ))
    total, covered, estimates = known_investment_cny_millions(facilities)
    headlines.append(Headline(
        tr("overview.investment"),
        tr("overview.investment_value", billions=f"{total / 1000:,.1f}", yi=f"{total / 100:,.1f}") if covered else tr("common.not_known"),
        tr("overview.investment_detail", covered=covered, total=len(facilities))
        + (tr("overview.investment_estimates", count=estimates) if estimates else ""),
        "pages/compare.py",
        help=tr("overview.investment_help"),
    ))
    return headlines


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
    ids = tuple(s for row in (first, second) if row is not None for s in str(row["source_ids"]).split(";"))
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


def nature_index_claim(nature_index: pd.DataFrame, tr: Translator = ENGLISH) -> Claim:
    title = tr("overview.claim_ni")
    year, rows = nature_index_crossover(nature_index)
    if year is None:
        return Claim(title, tr("overview.claim_ni_none"), "",
                     holds=None if rows.empty else False)
    at = rows[rows["data_year"] == year].set_index("entity")
    years_with_both = rows.groupby("data_year")["entity"].nunique()
    earlier = [y for y in years_with_both[years_with_both == 2].index if y < year]
    when = tr("overview.claim_ni_first" if earlier else "overview.claim_ni_earliest", year=year)
    evidence = tr("overview.claim_ni_evidence", when=when, china=f"{at.loc['China', 'share']:,.0f}",
                  us=f"{at.loc['United States', 'share']:,.0f}", edition=at.loc["China", "edition"])
    nuance = tr("overview.claim_ni_nuance")
    ids = tuple(s for cell in at["source_ids"] for s in str(cell).split(";"))
    return Claim(title, evidence, nuance, ids, holds=(year == 2022))


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
    return Claim(title, evidence, nuance, tuple(str(row["source_ids"]).split(";")), holds=holds)


def seed_claims(catalogue: Catalogue, tr: Translator = ENGLISH) -> list[Claim]:
    """The seed article's checkable claims, each with the evidence from the data, in the reader's language."""
    peers = catalogue.peers.assign(name=peer_names(catalogue.peers, catalogue.facilities, tr))
    return [
        deepest_lab_claim(peers, tr),
        largest_scintillator_claim(peers, tr),
        nature_index_claim(catalogue.nature_index, tr),
        budget_claim(catalogue.research_spending, tr),
    ]
