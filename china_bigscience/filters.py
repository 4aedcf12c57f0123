"""The global filters: what a reader chose, how it is read from a link, and how it selects facilities.

A ``FacilityFilter`` is plain data. Pages never filter by hand: they call
``filter_facilities`` (and ``milestones_for``) with the one filter that the
sidebar in ``dashboard.py`` built from the widgets bound to the URL.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from slugify import slugify as _library_slugify

from china_bigscience.completeness import facts_known_share
from china_bigscience.i18n import ENGLISH, Translator
from china_bigscience.national_list import FUNCTIONAL_TYPE_ZH, NATIONAL_LIST_STATES, NOT_KNOWN_STATE, national_list_states
from china_bigscience.safe_text import shorten

YEAR_BASES = ("construction", "operation")
# How the sidebar shows each basis; a bound widget writes this label into the link.
YEAR_BASIS_LABELS = {"construction": "construction start", "operation": "first operation"}
YEAR_BASIS_COLUMN = {"construction": "construction_start", "operation": "first_operation"}
SEARCH_COLUMNS = ("id", "name_en", "name_zh", "acronym", "location", "operator")
# Longer search texts are cut in subtitles and captions (the search itself uses all of it, up to SEARCH_MAX_CHARS).
SEARCH_SHOWN_CHARS = 60
# The functional types a reader can choose: the schema's three and "not known" (an empty cell).
FUNCTIONAL_TYPE_CHOICES = (*FUNCTIONAL_TYPE_ZH, NOT_KNOWN_STATE)
# The minimum-completeness filter moves in steps of this many percent (the sidebar's slider and a link alike).
COMPLETENESS_STEP = 10
# File-name slugs keep letters, digits, "-" and "_" (the filter slug joins its parts with "_").
SLUG_DISALLOWED = r"[^-a-z0-9_]+"


@dataclass(frozen=True)
class FacilityFilter:
    """A reader's selection. Empty tuples and ``None`` mean "no restriction"."""

    provinces: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_range: tuple[int, int] | None = None
    year_basis: str = "construction"
    text: str = ""
    national_list: tuple[str, ...] = ()  # of national_list.NATIONAL_LIST_STATES
    functional_types: tuple[str, ...] = ()  # of FUNCTIONAL_TYPE_CHOICES
    min_completeness: int = 0  # percent of a facility's key facts that must be known (completeness.py)

    def __post_init__(self) -> None:
        # A range is always (earlier, later): a reversed pair would select nothing.
        if self.year_range is not None and self.year_range[0] > self.year_range[1]:
            object.__setattr__(self, "year_range", (self.year_range[1], self.year_range[0]))

    @property
    def is_default(self) -> bool:
        return self == FacilityFilter(year_basis=self.year_basis)

    def describe(self, tr: Translator = ENGLISH) -> str:
        """One line for subtitles, captions and file names' readers: what is selected (in the reader's language)."""
        parts = []
        if self.provinces:
            parts.append(tr("filter.province", values=tr.join(tr.province(p) for p in self.provinces)))
        if self.fields:
            parts.append(tr("filter.field", values=tr.join(tr.field(f) for f in self.fields)))
        if self.statuses:
            parts.append(tr("filter.status", values=tr.join(tr.status(s) for s in self.statuses)))
        if self.year_range:
            basis = tr.value("year_basis", self.year_basis)
            parts.append(tr("filter.years", basis=basis[:1].upper() + basis[1:], low=self.year_range[0],
                            high=self.year_range[1]))
        if self.text:
            parts.append(tr("filter.search", text=shorten(self.text, SEARCH_SHOWN_CHARS)))
        if self.national_list:
            parts.append(tr("filter.national", values=tr.join(tr.value("national_list", v) for v in self.national_list)))
        if self.functional_types:
            parts.append(tr("filter.ftype", values=tr.join(tr.value("functional_type", v) for v in self.functional_types)))
        if self.min_completeness:
            parts.append(tr("filter.complete", percent=self.min_completeness))
        return tr("profile.detail_separator").join(parts) if parts else tr("filter.all")

    def slug(self) -> str:
        """A short file-name-safe summary of the filter ('sichuan', 'photon-science_2010-2020')."""
        parts = [*self.provinces, *self.fields, *self.statuses]
        if self.year_range:
            parts.append(f"{self.year_range[0]}-{self.year_range[1]}")
        if self.text:
            parts.append(self.text)
        parts += [f"list-{state}" for state in self.national_list] + list(self.functional_types)
        if self.min_completeness:
            parts.append(f"complete-{self.min_completeness}")
        return slugify("_".join(parts)) or "all"


def slugify(text: str) -> str:
    """A file-name-safe ASCII slug, Chinese transliterated ('江门' -> 'jiang-men'), at most 80 characters."""
    return _library_slugify(text, max_length=80, word_boundary=False, regex_pattern=SLUG_DISALLOWED).strip("-_")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def search_mask(facilities: pd.DataFrame, text: str) -> pd.Series:
    """True for rows whose English or Chinese name, acronym, id, place or operator contains ``text``.

    Chinese readers' ways in work too (see ``search_text``): pinyin ("tianyan" finds 中国天眼),
    traditional characters ("江門" finds 江门) and tone marks.
    """
    from china_bigscience.search_text import search_mask as reader_search_mask

    return reader_search_mask(facilities, text)


def filter_year_bounds(facilities: pd.DataFrame) -> tuple[int, int]:
    """The span of the year filter: the earliest construction start to the latest known or planned year.

    The one rule for the sidebar, the link checker and the CLI. From the data alone (not today's
    date), so a link's year range keeps its meaning until the data changes; a link carries the data
    version to tell when it has.
    """
    years = pd.concat([facilities["construction_start"], facilities["first_operation"]]).dropna()
    if years.empty:
        return 1980, 2030
    return int(years.min()), int(years.max())


def filter_facilities(facilities: pd.DataFrame, selection: FacilityFilter) -> pd.DataFrame:
    """The facilities that match every part of ``selection`` (unknown years drop out only when years are narrowed)."""
    mask = pd.Series(True, index=facilities.index)
    if selection.provinces:
        mask &= facilities["province"].isin(selection.provinces)
    if selection.fields:
        mask &= facilities["field"].isin(selection.fields)
    if selection.statuses:
        mask &= facilities["status"].isin(selection.statuses)
    if selection.year_range:
        years = facilities[YEAR_BASIS_COLUMN[selection.year_basis]]
        low, high = selection.year_range
        mask &= years.between(low, high).fillna(False).astype(bool)
    if selection.text:
        mask &= search_mask(facilities, selection.text)
    if selection.national_list:
        mask &= national_list_states(facilities).isin(selection.national_list).astype(bool)
    if selection.functional_types:
        mask &= facilities["functional_type"].fillna(NOT_KNOWN_STATE).isin(selection.functional_types).astype(bool)
    if selection.min_completeness:
        # Compared in whole percent, as the reader sees it (7 of 10 known is 70 %, not 69.99…).
        mask &= (facts_known_share(facilities) * 100).round(6) >= selection.min_completeness
    return facilities[mask]


def milestones_for(milestones: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the given (already filtered) facilities."""
    return milestones[milestones["facility_id"].isin(facilities["id"])]


def facilities_as_of(facilities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Facilities as they stood in ``year``: those whose construction had started (or that operated) by then.

    A facility with no known construction start counts from its first operation; one with
    neither (planned, not started) is left out. Facilities decommissioned before ``year`` drop out.
    """
    started = facilities["construction_start"].fillna(facilities["first_operation"])
    existed = (started <= year).fillna(False).astype(bool)
    ended = (facilities["decommissioned_year"] < year).fillna(False).astype(bool)
    return facilities[existed & ~ended]


def status_as_of(facilities: pd.DataFrame, year: int) -> pd.Series:
    """What each facility was in ``year``: under construction, operating or decommissioned (None if not yet begun)."""

    def one(row: pd.Series) -> str | None:
        if pd.notna(row["decommissioned_year"]) and row["decommissioned_year"] <= year:
            return "decommissioned"
        if pd.notna(row["first_operation"]) and row["first_operation"] <= year:
            return "operating"
        if pd.notna(row["construction_start"]) and row["construction_start"] <= year:
            return "under construction"
        return None

    return facilities.apply(one, axis=1)


# --- Reading a shared link ------------------------------------------------------------------

# A longer search text from a link is cut to this many characters (with a notice).
SEARCH_MAX_CHARS = 200
# A value quoted back in a notice is cut to this many characters.
QUOTED_CHARS = 60


@dataclass
class LinkReading:
    """The part of a link's filter parameters that is applied, and a notice for each value that was not (or was changed).

    ``values`` holds only the keys the link gave; a key that is missing (or whose value was
    not applied) means that filter's default.
    """

    values: dict[str, object] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def quoted(values: Sequence[str]) -> str:
    """Link values as a reader typed them, each quoted and cut short: "'Atlantis', 'Mars'"."""
    return ", ".join(repr(shorten(value, QUOTED_CHARS)) for value in values)


def read_filter_params(
    params: Mapping[str, Sequence[str]],
    *,
    provinces: Sequence[str],
    fields: Sequence[str],
    statuses: Sequence[str],
    year_bounds: tuple[int, int],
    national_lists: Sequence[str] = NATIONAL_LIST_STATES,
    functional_types: Sequence[str] = FUNCTIONAL_TYPE_CHOICES,
    tr: Translator = ENGLISH,
) -> LinkReading:
    """Check the filter parameters of a URL (each key maps to all its values), the way the sidebar's bound widgets read them.

    - names (``province``, ``field``, ``status``, ``national``, ``ftype``): unknown ones and repeats are dropped,
      with a notice;
    - ``complete``: one whole percentage from 0 to 100 in steps of ``COMPLETENESS_STEP``;
    - ``years``: exactly two whole years within ``year_bounds`` (``?years=2000&years=2010``);
      anything else is ignored with a notice, and a reversed pair is applied in order, with a notice;
    - ``basis``: one of ``YEAR_BASES``, given once;
    - ``q``: given once (the last is used otherwise), at most ``SEARCH_MAX_CHARS`` characters (cut otherwise).

    Each notice names the parameter and quotes the value (cut short); the text is plain, not
    Markdown, and is escaped where it is shown. Never raises.
    """
    reading = LinkReading()
    for key, allowed in (("province", provinces), ("field", fields), ("status", statuses),
                         ("national", national_lists), ("ftype", functional_types)):
        _read_names(reading, key, [v for v in params.get(key, []) if v != ""], allowed, tr)
    _read_years(reading, [v for v in params.get("years", []) if v != ""], year_bounds, tr)
    _read_basis(reading, [v for v in params.get("basis", []) if v != ""], tr)
    _read_complete(reading, [v for v in params.get("complete", []) if v != ""], tr)
    _read_search(reading, list(params.get("q", [])), tr)
    return reading


def _read_names(reading: LinkReading, key: str, raw: Sequence[str], allowed: Sequence[str], tr: Translator) -> None:
    """Known names kept in order; unknown ones and repeats dropped, each kind with one notice."""
    allowed_set = set(allowed)
    good, bad, repeated = [], [], []
    for value in raw:
        if value not in allowed_set:
            bad.append(value)
        elif value in good:
            repeated.append(value)
        else:
            good.append(value)
    if good:
        reading.values[key] = good
    if bad:
        reading.notices.append(tr("notice.bad_values", label=tr(f"notice.label_{key}"), values=quoted(bad)))
    if repeated:
        reading.notices.append(tr("notice.repeated", label=tr(f"notice.label_{key}"), values=quoted(repeated)))


def _read_years(reading: LinkReading, raw: Sequence[str], bounds: tuple[int, int], tr: Translator) -> None:
    if not raw:
        return
    years, problem = _parse_years(raw, bounds)
    if problem:
        reading.notices.append(tr("notice.bad_years", values=quoted(raw), problem=tr(problem[0], **problem[1]),
                                  low=bounds[0], high=bounds[1]))
        return
    if years != (int(raw[0]), int(raw[1])):
        reading.notices.append(tr("notice.reversed_years", values=quoted(raw), low=years[0], high=years[1]))
    reading.values["years"] = years


def _read_basis(reading: LinkReading, raw: Sequence[str], tr: Translator) -> None:
    # The sidebar writes the label ("first operation"); a hand-made link may use the name ("operation").
    by_label = {label: name for name, label in YEAR_BASIS_LABELS.items()}
    basis = [by_label.get(v, v) for v in raw]
    if len(basis) > 1:
        reading.notices.append(tr("notice.repeated_basis", values=quoted(basis)))
    elif basis and basis[0] not in YEAR_BASES:
        reading.notices.append(tr("notice.bad_basis", value=quoted(basis),
                                  allowed=tr.join(tr.value("year_basis", b) for b in YEAR_BASES)))
    elif basis:
        reading.values["basis"] = basis[0]


def _read_complete(reading: LinkReading, raw: Sequence[str], tr: Translator) -> None:
    if not raw:
        return
    value = raw[-1].strip()
    if len(raw) == 1 and value.isdigit() and int(value) <= 100 and int(value) % COMPLETENESS_STEP == 0:
        reading.values["complete"] = int(value)
    else:
        reading.notices.append(tr("notice.bad_complete", values=quoted(raw), step=COMPLETENESS_STEP))


def _read_search(reading: LinkReading, texts: Sequence[str], tr: Translator) -> None:
    if not texts:
        return
    text = texts[-1]
    if len(texts) > 1:
        reading.notices.append(tr("notice.repeated_search", values=quoted(texts)))
    if len(text) > SEARCH_MAX_CHARS:
        reading.notices.append(tr("notice.long_search", length=len(text), limit=SEARCH_MAX_CHARS))
        text = text[:SEARCH_MAX_CHARS]
    if text:
        reading.values["q"] = text


def _parse_years(raw: Sequence[str], bounds: tuple[int, int]) -> tuple[tuple[int, int] | None, tuple[str, dict] | None]:
    """``(low, high)`` and no problem, or no years and what is wrong with them (a message key and its values)."""
    if len(raw) != 2:
        return None, ("notice.years_two", {"low": bounds[0], "high": bounds[1]})
    if not all(value.strip().isdigit() for value in raw):
        return None, ("notice.years_whole", {})
    low, high = sorted(int(value) for value in raw)
    if low < bounds[0] or high > bounds[1]:
        return None, ("notice.years_span", {"low": bounds[0], "high": bounds[1]})
    return (low, high), None
