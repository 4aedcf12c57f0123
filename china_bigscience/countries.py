"""Country names as the data spells them: one canonical spelling for the US, and China's name."""

from __future__ import annotations

CHINA = "China"
# Spellings of the US that a curator may use; the first is the one the data package's own rows use.
US_NAMES = ("United States", "United States of America", "USA", "US")


def canonical_country(name: object) -> str:
    """'United States' for any of the US spellings; other names as they are."""
    return US_NAMES[0] if str(name) in US_NAMES else str(name)
