"""The dashboard in English or Chinese: message catalogues, display names of data values, and number formats.

One TOML catalogue per language (``locales/en.toml``, ``locales/zh.toml``), keyed with
dotted names (``sidebar.province.label``). A ``Translator`` is a plain value chosen per
reader and passed to whatever draws text: one server serves every reader at once, so
there is no process-wide "current language" (the trap of ``gettext.install``).

Data and links stay language-neutral: a field is ``photon science`` in the CSV and in
``?field=photon+science`` whichever language shows it; only its display name changes.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from china_bigscience.cells import cell_text, is_known

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
# BCP 47 tags for <html lang>: the Chinese here is written in simplified characters.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# Plotly's locale name for each language (its modebar texts and number/date formats).
PLOTLY_LOCALE = {"en": "en", "zh": "zh-CN"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# Kinds of data value that have display names: [value.<kind>] tables of each catalogue.
VALUE_KINDS = ("field", "status", "funding", "milestone_kind", "confidence", "location_precision",
               "province_kind", "functional_type", "unit", "country", "year_basis")

# Amounts that Chinese sources (the National Bureau of Statistics, the Ministry of Finance) state in
# another unit: in Chinese text they are shown in that unit, converted ('370.8 CNY bn' is 3,708亿元).
CHINESE_TEXT_UNITS = {"CNY bn": (10, "亿元")}

_PLACEHOLDER = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?:[:!][^}]*)?}")


class MessageError(KeyError):
    """A key that a catalogue does not have, or a message whose placeholders were not all given."""


def _flatten(table: Mapping, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise ValueError(f"{name}: a message must be text, not {type(value).__name__} ({value!r})")
    return flat


@functools.cache
def load_messages(language: str, locales_dir: Path = LOCALES_DIR) -> dict[str, str]:
    """``locales/<language>.toml`` as {dotted key: message}. Read once per server."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    path = locales_dir / f"{language}.toml"
    with path.open("rb") as handle:
        try:
            return _flatten(tomllib.load(handle))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: {error}") from error


def placeholders(message: str) -> set[str]:
    """The ``{name}`` fields of a message (``{{`` and ``}}`` are literal braces)."""
    return set(_PLACEHOLDER.findall(message.replace("{{", "").replace("}}", "")))


@dataclass(frozen=True)
class Translator:
    """The texts of one language. ``t("sidebar.search.label")``, ``t("notice.years", values="'abc'")``.

    Frozen and compared by language, so a chart cached for one language is never served in the other.
    """

    language: str = DEFAULT_LANGUAGE
    # (English name, Chinese name) of each province, from provinces.csv: see ``with_provinces``.
    province_names: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")

    def __repr__(self) -> str:
        if not self.province_names:
            return f"Translator({self.language!r})"
        return f"Translator({self.language!r}, provinces={hash(self.province_names):x})"

    def with_provinces(self, provinces) -> Translator:
        """This translator, knowing the provinces' Chinese names (a provinces.csv table with name_en, name_zh)."""
        pairs = tuple((str(en), str(zh)) for en, zh in zip(provinces["name_en"], provinces["name_zh"]) if is_known(zh))
        return Translator(self.language, pairs)

    @property
    def messages(self) -> dict[str, str]:
        return load_messages(self.language)

    @property
    def is_chinese(self) -> bool:
        return self.language == "zh"

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]

    def __call__(self, key: str, /, **fields: object) -> str:
        try:
            message = self.messages[key]
        except KeyError:
            raise MessageError(f"locales/{self.language}.toml has no message {key!r}") from None
        if not fields and not placeholders(message):
            return message
        try:
            return message.format(**fields)
        except (KeyError, IndexError) as error:
            raise MessageError(f"locales/{self.language}.toml, {key!r}: no value given for {error}") from None

    def has(self, key: str) -> bool:
        return key in self.messages

    # --- Display names of data values (the data keeps the English value) -----------------------

    def value(self, kind: str, value: object) -> str:
        """The display name of one data value (``value("field", "photon science")`` is 光子科学 in Chinese).

        A value the catalogue does not list (a new field in the data) shows as it is in the data.
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("common.not_known")
        return self.messages.get(f"value.{kind}.{value}", str(value))

    def field(self, value: object) -> str:
        return self.value("field", value)

    def status(self, value: object) -> str:
        return self.value("status", value)

    def funding(self, value: object) -> str:
        return self.value("funding", value)

    def unit(self, unit: object) -> str:
        return self.value("unit", unit) if unit else ""

    def join(self, items) -> str:
        """A list in running text: 'a, b, c' or '甲、乙、丙'."""
        return self("common.list_separator").join(str(item) for item in items)

    def entity(self, name: object) -> str:
        """A Nature Index entity (institution or country) in the reader's language, as in the data when unlisted."""
        key = f"value.entity.{name}"
        return self.messages[key] if key in self.messages else self.value("country", name)

    # --- The data package's own descriptions ------------------------------------------------
    # English is datapackage.json itself; Chinese is [datapackage.*] of zh.toml (en.toml does not
    # repeat the English, so the descriptor stays the one place the English is written).

    def described(self, key: str, english: object) -> str:
        """``english`` (from datapackage.json) in English mode; its translation ``datapackage.<key>`` otherwise."""
        if not self.is_chinese:
            return "" if english is None else str(english)
        return self.messages.get(f"datapackage.{key}", "" if english is None else str(english))

    def column_description(self, resource: str, field: str, english: object) -> str:
        return self.described(f"{resource}.{field}", english)

    def resource_title(self, resource: str, english: object) -> str:
        return self.described(f"{resource}._title", english)

    def resource_description(self, resource: str, english: object) -> str:
        return self.described(f"{resource}._description", english)

    def confidence_meaning(self, mark: str, english: object) -> str:
        return self.described(f"confidence.{mark}", english)

    # --- Names that exist in two languages in the data -------------------------------------

    def province(self, name_en: object, name_zh: object = None) -> str:
        """A province's name: the Chinese one (given, or from provinces.csv) in Chinese mode when the data has it."""
        if not self.is_chinese:
            return str(name_en)
        if is_known(name_zh):
            return str(name_zh)
        return dict(self.province_names).get(str(name_en), str(name_en))

    def facility_name(self, name_en: object, name_zh: object = None, acronym: object = None) -> str:
        """Both names, the reader's language first, for menus and headings.

        English: 'JUNO: Jiangmen Underground Neutrino Observatory (江门中微子实验)'.
        Chinese: '江门中微子实验（JUNO：Jiangmen Underground Neutrino Observatory）'.
        A facility with no Chinese name in the data says so in Chinese mode instead of inventing one.
        """
        english, chinese, short = cell_text(name_en), cell_text(name_zh), cell_text(acronym)
        english_label = f"{short}: {english}" if short and short != english else english
        if not self.is_chinese:
            return f"{english_label} ({chinese})" if chinese else english_label
        if chinese:
            return self("common.facility_both", chinese=chinese, english=f"{short}：{english}" if short and short != english else english)
        return self("common.facility_no_chinese_name", name=english_label)

    def facility_short_name(self, name_en: object, name_zh: object = None, acronym: object = None) -> str:
        """One name for tight places (chart rows, menus): the Chinese name in Chinese mode, else the acronym or English name."""
        if self.is_chinese and is_known(name_zh):
            return cell_text(name_zh)
        return cell_text(acronym) or cell_text(name_en)

    # --- Numbers -------------------------------------------------------------------------

    def number(self, value: object, *, decimals: int | None = None) -> str:
        """Plain digits with thousands separators ('2,400'), 'not known' (不详) for a gap."""
        if value is None or (not isinstance(value, str) and _is_nan(value)):
            return self("common.not_known")
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            number = float(value)
            if decimals is not None:
                return f"{number:,.{decimals}f}"
            if number.is_integer():
                return f"{int(number):,}"
            return f"{number:,.10g}" if abs(number) >= 1000 else f"{number:.10g}"
        return str(value)

    def quantity(self, value: object, unit: str = "", *, decimals: int | None = None, approximate: bool = False) -> str:
        """A number with its unit in the reader's language: '2,400 m' or '2,400 米'; '~' marks an estimate."""
        if self.is_chinese and unit in CHINESE_TEXT_UNITS and isinstance(value, numbers.Number) and not _is_nan(value):
            factor, shown = CHINESE_TEXT_UNITS[unit]
            return f"{'~' if approximate else ''}{self.number(round(float(value) * factor, 6), decimals=decimals)}{shown}"
        text = self.number(value, decimals=decimals)
        if text == self("common.not_known"):
            return text
        if unit:
            shown = self.unit(unit)
            text = f"{text}{self('common.unit_space')}{shown}"
        return f"~{text}" if approximate else text

    def plotly_config(self) -> dict:
        """Plotly config entries for this language: the locale, registered inline (nothing is fetched).

        plotly.js ships its translations as separate locale scripts that neither plotly.py nor
        Streamlit bundles; plotly.js also accepts a locale's dictionary and formats in
        ``config.locales``, which is what this gives it.
        """
        if not self.is_chinese:
            return {}
        locale = PLOTLY_LOCALE[self.language]
        dictionary = {key[len("plotly.dictionary."):]: text
                      for key, text in self.messages.items() if key.startswith("plotly.dictionary.")}
        months = [self(f"plotly.month.{n}") for n in range(1, 13)]
        days = [self(f"plotly.day.{n}") for n in range(7)]
        formats = {
            "days": days, "shortDays": days, "months": months, "shortMonths": months,
            "date": "%Y-%m-%d", "decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""],
        }
        return {"locale": locale, "locales": {locale: {"dictionary": dictionary, "format": formats}}}


def peer_names(peers, facilities, tr: Translator):
    """The name column of peers.csv for display: China's own facilities by their Chinese name in Chinese mode.

    peers.csv names every facility in English; a row that is one of China's facilities
    (``facility_id``) shows as '江门中微子实验（JUNO）' to a Chinese reader, others as in the data.
    """
    if not tr.is_chinese or "facility_id" not in peers.columns:
        return peers["name"]
    by_id = facilities.set_index("id")
    def one(row) -> str:
        facility_id = row["facility_id"]
        if is_known(facility_id) and facility_id in by_id.index and is_known(by_id.at[facility_id, "name_zh"]):
            chinese, acronym = cell_text(by_id.at[facility_id, "name_zh"]), cell_text(by_id.at[facility_id, "acronym"])
            return f"{chinese}（{acronym}）" if acronym else chinese
        return str(row["name"])
    return peers.apply(one, axis=1)


def _is_nan(value: object) -> bool:
    if value is pd.NA:  # pandas' missing value: bool(NA != NA) raises, so the test below would call it present
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


@functools.cache
def translator(language: str = DEFAULT_LANGUAGE) -> Translator:
    return Translator(language)


ENGLISH = Translator("en")
CHINESE = Translator("zh")


# --- Which language a reader gets ----------------------------------------------------------------

def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """'zh-CN,zh;q=0.9,en;q=0.8' as [('zh-cn', 1.0), ('zh', 0.9), ('en', 0.8)], best first."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((tag, quality, position))
    ranges.sort(key=lambda item: (-item[1], item[2]))
    return [(tag, quality) for tag, quality, _ in ranges]


def _language_of_tag(tag: str) -> str | None:
    primary = tag.lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def choose_language(link_value: str | None, accept_language: str | None = None,
                    browser_locale: str | None = None) -> str:
    """The reader's language: the link's ``?lang=`` if it names one we have, else the browser's wish, else English.

    The browser's wish is its Accept-Language header (the first of its languages we have), or,
    without that header, the locale the browser reports (``st.context.locale``).
    """
    chosen = _language_of_tag(link_value or "")
    if chosen:
        return chosen
    for tag, _ in parse_accept_language(accept_language):
        chosen = _language_of_tag(tag)
        if chosen:
            return chosen
        if tag == "*":
            break
    if not accept_language and browser_locale:
        return _language_of_tag(browser_locale) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


# --- Links: Streamlit writes a bound widget's *label* into the URL -----------------------------------
# A multiselect of fields bound to ``?field=`` writes "光子科学" in Chinese and "photon science" in English
# (format_func's text, not the option). So that a link works in both languages, the frame reads every bound
# value in either language's label (or as the data value) and hands the widgets the labels of the reader's.


def link_label_table(options: Mapping[str, object], translators: tuple[Translator, ...]) -> dict[str, dict[str, str]]:
    """{option: {language: label}} for one bound widget, from a function option -> label per translator.

    ``options`` maps each data value to a callable ``(value, translator) -> label``, or to None for
    "the value is its own label in every language".
    """
    table = {}
    for value, label_of in options.items():
        table[str(value)] = {t.language: (str(value) if label_of is None else str(label_of(value, t))) for t in translators}
    return table


def link_values(raw: list[str], table: Mapping[str, Mapping[str, str]]) -> list[str]:
    """A bound parameter's raw link values as data values: labels of any language (or values) -> values.

    A value no language knows is kept as it is, so that the link check can name it in its notice.
    """
    by_label: dict[str, str] = {}
    for value, labels in table.items():
        by_label[value] = value
        for label in labels.values():
            by_label.setdefault(label, value)
    return [by_label.get(item, item) for item in raw]


def link_labels(values: list[str], table: Mapping[str, Mapping[str, str]], language: str) -> list[str]:
    """Data values as the labels a widget bound in ``language`` reads from the link."""
    return [table[value][language] if value in table else value for value in values]


def switched_query(params: Mapping[str, list[str]], tables: Mapping[str, Mapping[str, Mapping[str, str]]],
                   language: str) -> list[tuple[str, str]]:
    """The query of the same view in ``language``: bound values relabelled, ``lang`` set (English: left out).

    The language switch is a plain link to this query, so the page loads afresh in the other
    language with every filter kept (a bound widget cannot change its labels within a session).
    """
    pairs = []
    for key, values in params.items():
        if key == "lang":
            continue
        shown = link_labels(link_values(list(values), tables[key]), tables[key], language) if key in tables else values
        pairs += [(key, value) for value in shown]
    if language != DEFAULT_LANGUAGE:
        pairs.append(("lang", language))
    return pairs


def language_links_html(current: str, queries: Mapping[str, str], label: str) -> str:
    """The sidebar's language switch: the other language as a link (hreflang), the current one marked as current.

    ``queries`` maps each language to its already URL-encoded query (``urllib.parse.urlencode``).
    """
    import html

    items = []
    for language in LANGUAGES:
        name, tag = LANGUAGE_NAMES[language], HTML_LANG[language]
        if language == current:
            items.append(f'<strong aria-current="true" lang="{tag}">{html.escape(name)}</strong>')
        else:
            href = html.escape("?" + queries[language], quote=True)
            items.append(f'<a href="{href}" hreflang="{tag}" lang="{tag}" target="_self">{html.escape(name)}</a>')
    return (f'<nav aria-label="{html.escape(label, quote=True)}" style="font-size:0.95rem">'
            + " · ".join(items) + "</nav>")


def html_lang_script(language: str) -> str:
    """A tiny script that declares the page's language and is run by ``st.html(..., unsafe_allow_javascript=True)``.

    Streamlit 1.67 writes ``<html lang="en">`` into every page and offers no setting for it
    (streamlit#15726); WCAG 3.1.1 wants the real language, so the page sets it itself. The
    tag comes from the fixed HTML_LANG table, never from the link.
    """
    tag = HTML_LANG[language if language in LANGUAGES else DEFAULT_LANGUAGE]
    return f'<script>document.documentElement.lang = "{tag}";</script>'
