"""The dashboard's pages, in one place: the navigation, the tests, the benchmark and the scripts read this list.

Streamlit-free: ``dashboard.py`` turns each entry into an ``st.Page``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page: its script, where it lives in the URL, and how the navigation shows it."""

    script: str  # relative to the project root, as st.Page and AppTest.switch_page take it
    title: str
    icon: str
    section: str
    default: bool = False
    # The page's own link parameters (its bound widgets, and ?facility= on the profile); a name ending
    # in "-" is a prefix (one parameter per comparison).
    link_params: tuple[str, ...] = ()
    # Whether the page shows anything the sidebar filters select. A page that does not (country statistics,
    # the methods) is not rerun when a filter changes: only the sidebar is (dashboard.py).
    reads_filters: bool = True

    @property
    def name(self) -> str:
        """The script's stem ('nature_index'): the page's short name in scripts and benchmarks."""
        return self.script.rsplit("/", 1)[-1].removesuffix(".py")

    @property
    def url_path(self) -> str:
        """The page's path in the URL ('' for the default page, else its name, as Streamlit derives it)."""
        return "" if self.default else self.name


PAGES = (
    PageEntry("pages/overview.py", "Overview", ":material/dashboard:", "Explore", default=True),
    PageEntry("pages/map.py", "Map", ":material/map:", "Explore",
              link_params=("map_view", "map_asof_on", "map_asof_year", "map_size", "map_colour",
                           "map_province_measure")),
    PageEntry("pages/timeline.py", "Timeline", ":material/timeline:", "Explore",
              link_params=("timeline_group_by", "timeline_milestone_kinds", "as_of_year_slider",
                           "timeline_open_group", "timeline_section")),
    PageEntry("pages/compare.py", "Against the world", ":material/leaderboard:", "Explore",
              link_params=("compare-measure-", "compare-portfolio-tab", "compare-section")),
    PageEntry("pages/nature_index.py", "Nature Index", ":material/query_stats:", "Explore",
              link_params=("ni-institution-year",), reads_filters=False),
    PageEntry("pages/profile.py", "Facility profile", ":material/apartment:", "Look up", link_params=("facility",)),
    PageEntry("pages/explorer.py", "Data explorer", ":material/table_view:", "Look up", link_params=("explorer-tab",)),
    PageEntry("pages/sources.py", "Sources & methods", ":material/menu_book:", "Look up", reads_filters=False),
)
PAGE_SCRIPTS = tuple(page.script for page in PAGES)
# The sidebar's filters (dashboard.py), the data version, and Streamlit's own embedding options.
FILTER_LINK_PARAMS = ("province", "field", "status", "years", "basis", "q", "national", "ftype", "complete")
GLOBAL_LINK_PARAMS = (*FILTER_LINK_PARAMS, "data", "lang", "embed", "embed_options")


def is_link_param(name: str) -> bool:
    """Whether some page (or the sidebar) reads this link parameter."""
    if name in GLOBAL_LINK_PARAMS:
        return True
    return any(name == known or (known.endswith("-") and name.startswith(known))
               for page in PAGES for known in page.link_params)
