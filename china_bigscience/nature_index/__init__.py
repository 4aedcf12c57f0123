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

from china_bigscience import spending
from china_bigscience.catalogue import Catalogue
from china_bigscience.charts import Chart
from china_bigscience.countries import CHINA, US_NAMES, canonical_country
from china_bigscience.filters import FacilityFilter
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.nature_index.charts import (
    adjusted_share_change_chart,
    cas_rank_history,
    cas_summary,
    institution_years,
    institutions_chart,
    is_cas,
    share_chart,
    subject_leaders,
    subject_leadership_chart,
)
from china_bigscience.nature_index.common import (
    ALL_SUBJECTS,
    CAS_NAME_PATTERN,
    CHROME_HEIGHT,
    OTHER_COUNTRY_COLOURS,
    SCOPE_DASHES,
    SEED_CLAIM_SOURCE_ID,
    SEED_CLAIM_TEXT,
    SHARE_EXPLAINER,
    US_COLOUR,
    consecutive_runs,
    country_colour,
    country_shares,
    edition_year,
    is_share_scope,
    latest_edition_rows,
    scope_order,
    share_rows,
)
from china_bigscience.nature_index.leads import (
    ClaimCheck,
    Crossover,
    Lead,
    china_us_crossover,
    china_us_leads,
    crossover_year_and_rows,
    latest_gap,
    latest_gaps,
    seed_claim_check,
    wfc_findings,
)

__all__ = [
    "ALL_SUBJECTS", "CAS_NAME_PATTERN", "CHINA", "CHROME_HEIGHT", "ClaimCheck", "Crossover", "Lead",
    "OTHER_COUNTRY_COLOURS", "SCOPE_DASHES", "SEED_CLAIM_SOURCE_ID", "SEED_CLAIM_TEXT", "SHARE_EXPLAINER",
    "US_COLOUR", "US_NAMES", "adjusted_share_change_chart", "canonical_country", "cas_rank_history", "cas_summary",
    "china_us_crossover", "china_us_leads", "consecutive_runs", "country_colour", "country_shares", "crossover_year_and_rows",
    "edition_year", "institution_years", "is_share_scope", "institutions_chart", "is_cas", "latest_edition_rows", "latest_gap",
    "latest_gaps", "page_charts", "scope_order", "seed_claim_check", "share_chart", "share_rows", "subject_leaders",
    "subject_leadership_chart", "wfc_findings",
]


def page_charts(catalogue: Catalogue, selection: FacilityFilter | None = None, tr: Translator = ENGLISH) -> list[Chart]:
    """Every chart of the Nature Index page with default settings (the facility filter does not apply here)."""
    ni, sources = catalogue.nature_index, catalogue.sources
    charts = [
        share_chart(ni, sources, tr),
        adjusted_share_change_chart(ni, sources, tr),
        subject_leadership_chart(ni, sources, tr),
        institutions_chart(ni, sources, tr=tr),
        spending.spending_levels_chart(catalogue.research_spending, sources, tr),
        spending.spending_change_chart(catalogue.research_spending, sources, tr),
    ]
    return [chart for chart in charts if chart is not None]
