"""Facility search that works for Chinese readers too: pinyin, traditional characters, English, 中文 and acronyms.

A reader may type "tianyan" or "tian yan" (the pinyin of 天眼) for FAST, "江門" (traditional)
for JUNO's 江门, "Tiānyǎn" with tone marks, or plain English and acronyms. Each facility
gets two haystacks: its text (names, acronym, id, place, operator, province in both
languages), folded to simplified characters and lower case; and the toneless pinyin of its
Chinese names, without spaces. A query matches when it is in the first, or (for a query
of Latin letters) when it is in the second with its spaces removed.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import unicodedata
from collections.abc import Mapping

import pandas as pd
from opencc_purepy import OpenCC
from pypinyin import Style, lazy_pinyin

# Columns searched as text, in both scripts where the data has them.
TEXT_COLUMNS = ("id", "name_en", "name_zh", "acronym", "location", "operator", "province")
# Columns whose Chinese characters are also searched by their pinyin.
PINYIN_COLUMNS = ("name_zh",)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_QUERY = re.compile(r"[a-z0-9' ]+")


@functools.cache
def data_province_names() -> dict[str, str]:
    """English -> Chinese province names from the data package's provinces.csv ({} if it has none).

    The sidebar search and the link's ``q`` reach ``search_mask`` through ``filters`` without the
    catalogue, so the Chinese province names are read here: "四川" must find the facilities in Sichuan.
    """
    from china_bigscience import DATA_DIR

    path = DATA_DIR / "provinces.csv"
    if not path.exists():
        return {}
    provinces = pd.read_csv(path, usecols=["name_en", "name_zh"], dtype=str, keep_default_na=False)
    return dict(zip(provinces["name_en"], provinces["name_zh"]))


@functools.cache
def _converter() -> OpenCC:
    return OpenCC("t2s")


@functools.lru_cache(maxsize=20_000)
def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones ('江門中微子實驗' -> '江门中微子实验'); other text unchanged."""
    if not _CJK.search(text):
        return text
    return _converter().convert(text)


def _strip_marks(text: str) -> str:
    """'Tiānyǎn' -> 'Tianyan': tone marks and other accents dropped (NFKD, combining marks removed)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """The form both a query and a haystack are compared in: NFKC, simplified characters, no accents, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    return _strip_marks(to_simplified(text)).casefold().strip()


@functools.lru_cache(maxsize=20_000)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Chinese characters in ``text``, run together: '中国天眼' -> 'zhongguotianyan'.

    Characters that are not Chinese are left out, so '500米口径球面射电望远镜' gives
    'mikoujingqiumianshediànwangyuanjing' without the digits (they are in the text haystack).
    ü is written 'v', as pinyin keyboards type it.
    """
    simplified = to_simplified(text)
    syllables = lazy_pinyin([char for char in simplified if _CJK.match(char)], style=Style.NORMAL, v_to_u=False)
    return "".join(syllables).lower()


# Haystacks of the last few facility tables searched, by identity: the catalogue's table is
# searched on every rerun that has a search text, and folding and pinyin are the slow part.
_HAYSTACKS: dict[tuple[int, int], tuple[pd.DataFrame, tuple[pd.Series, pd.Series]]] = {}


def facility_haystacks(facilities: pd.DataFrame,
                       province_names_zh: Mapping[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """(text haystack, pinyin haystack) of each facility row, indexed like ``facilities``."""
    key = (id(facilities), id(province_names_zh))
    cached = _HAYSTACKS.get(key)
    if cached is not None and cached[0] is facilities:
        return cached[1]
    haystacks = _build_haystacks(facilities, province_names_zh)
    if len(_HAYSTACKS) > 16:  # tables of tests and benchmarks come and go
        _HAYSTACKS.clear()
    _HAYSTACKS[key] = (facilities, haystacks)  # keeps the table alive, so its id is not reused
    return haystacks


def _build_haystacks(facilities: pd.DataFrame,
                     province_names_zh: Mapping[str, str] | None) -> tuple[pd.Series, pd.Series]:
    columns = [c for c in TEXT_COLUMNS if c in facilities.columns]
    text = facilities[columns].fillna("").astype(str)
    if province_names_zh and "province" in facilities.columns:
        text = text.assign(province_zh=facilities["province"].map(province_names_zh).fillna(""))
    text_haystack = text.agg(" ".join, axis=1).map(fold)
    pinyin_columns = [c for c in PINYIN_COLUMNS if c in facilities.columns]
    pinyin_haystack = (
        facilities[pinyin_columns].fillna("").astype(str).agg(" ".join, axis=1).map(pinyin_key)
        if pinyin_columns else pd.Series("", index=facilities.index)
    )
    return text_haystack, pinyin_haystack


def search_mask(facilities: pd.DataFrame, query: str,
                province_names_zh: Mapping[str, str] | None = None) -> pd.Series:
    """True for the facilities that ``query`` finds (English, 中文 simplified or traditional, pinyin, acronym, place)."""
    needle = fold(query)
    if not needle:
        return pd.Series(True, index=facilities.index)
    if province_names_zh is None:
        province_names_zh = data_province_names()
    text_haystack, pinyin_haystack = facility_haystacks(facilities, province_names_zh)
    found = text_haystack.str.contains(needle, regex=False)
    if _LATIN_QUERY.fullmatch(needle):
        syllables = needle.replace(" ", "").replace("'", "").replace("ü", "v")
        if len(syllables) >= 2:
            found |= pinyin_haystack.str.contains(syllables, regex=False)
    return found


_WARM_UP_STARTED = threading.Event()


def warm_up_in_background(facilities: pd.DataFrame, delay_s: float = 2.0) -> None:
    """Load the pinyin and traditional-character tables and the catalogue's haystacks once per process,
    shortly after the first page: the first reader's first search took 0.6 s longer than any later one
    (pypinyin's dictionary and OpenCC's tables load on first use)."""
    if _WARM_UP_STARTED.is_set():
        return
    _WARM_UP_STARTED.set()

    def warm() -> None:
        time.sleep(delay_s)
        search_mask(facilities, "warm up")

    threading.Thread(target=warm, name="search-warm-up", daemon=True).start()

