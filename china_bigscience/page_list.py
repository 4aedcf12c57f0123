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
    PageEntry("pages/map.py", "Map", ":material/map:", "Explore"),
    PageEntry("pages/timeline.py", "Timeline", ":material/timeline:", "Explore"),
    PageEntry("pages/compare.py", "Against the world", ":material/leaderboard:", "Explore"),
    PageEntry("pages/nature_index.py", "Nature Index", ":material/query_stats:", "Explore"),
    PageEntry("pages/profile.py", "Facility profile", ":material/apartment:", "Look up"),
    PageEntry("pages/explorer.py", "Data explorer", ":material/table_view:", "Look up"),
    PageEntry("pages/sources.py", "Sources & methods", ":material/menu_book:", "Look up"),
)
PAGE_SCRIPTS = tuple(page.script for page in PAGES)
