"""Facility search that works for Chinese readers too: pinyin, traditional characters, English, 中文 and acronyms.

A reader may type "tianyan" or "tian yan" (the pinyin of 天眼) for FAST, "江門" (traditional)
for JUNO's 江门, "Tiānyǎn" with tone marks, or plain English and acronyms. Each facility
gets two haystacks: its text (names, acronym, id, place, operator, province in both
languages), folded to simplified characters and lower case; and the toneless pinyin of its
Chinese names, without spaces. A query matches when it is in the first, or (for a query
of Latin letters) when it is in the second with its spaces removed.

The data's own Chinese text is looked up in ``search_keys.json`` (its simplified form and pinyin,
written from data/ by ``make static`` and tested to be current): pypinyin's phrase dictionary
(59 MB) and OpenCC's tables (27 MB) were a third of the server's memory, and are now loaded only
for text the table does not hold, such as a query typed in Chinese.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

# Columns searched as text, in both scripts where the data has them.
TEXT_COLUMNS = ("id", "name_en", "name_zh", "acronym", "location", "operator", "province")
# Columns whose Chinese characters are also searched by their pinyin.
PINYIN_COLUMNS = ("name_zh",)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# {text: [simplified, pinyin key]} of every Chinese text in the data package (see the module's docstring).
SEARCH_KEYS_PATH = Path(__file__).with_name("search_keys.json")
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
def _search_keys() -> dict[str, list[str]]:
    try:
        return json.loads(SEARCH_KEYS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a missing or broken table only costs memory: the libraries answer
        return {}


@functools.cache
def _converter():
    from opencc_purepy import OpenCC  # imported on first use: see the module's docstring

    return OpenCC("t2s")


@functools.lru_cache(maxsize=20_000)
def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones ('江門中微子實驗' -> '江门中微子实验'); other text unchanged."""
    if not _CJK.search(text):
        return text
    known = _search_keys().get(text)
    return known[0] if known else _converter().convert(text)


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
    if not _CJK.search(text):
        return ""
    known = _search_keys().get(text)
    return known[1] if known else _pinyin_key_of(to_simplified(text))


def _pinyin_key_of(simplified: str) -> str:
    from pypinyin import Style, lazy_pinyin  # imported on first use: see the module's docstring
    from pypinyin.seg.mmseg import seg

    # Words, not single characters: pypinyin reads a word by its phrase dictionary, and a run it does not hold
    # whole by characters, so each run is first cut into words by pypinyin's own segmenter (重庆市 is
    # chongqing shi, 长短波 chang duan bo; character by character they were zhong… and zhang…).
    words = [word for run in re.findall(f"{_CJK.pattern}+", simplified) for word in seg.cut(run)]
    syllables = lazy_pinyin(words, style=Style.NORMAL, v_to_u=False)
    return "".join(syllables).lower()


def search_keys_text(texts: Iterable[str]) -> str:
    """The exact text of ``search_keys.json`` for these data texts: the Chinese ones with their keys, sorted."""
    # Each text as the data has it and as ``fold`` looks it up (after NFKC).
    chinese = sorted({form for text in texts if _CJK.search(str(text))
                      for form in (str(text), unicodedata.normalize("NFKC", str(text)))})
    keys = {}
    for text in chinese:
        simplified = _converter().convert(text)
        keys[text] = [simplified, _pinyin_key_of(simplified)]
    lines = [f"{json.dumps(text, ensure_ascii=False)}: {json.dumps(pair, ensure_ascii=False)}" for text, pair in keys.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"  # one text a line: a data change shows as a readable diff


def write_search_keys(texts: Iterable[str], path: Path = SEARCH_KEYS_PATH) -> Path:
    """Write ``search_keys.json`` if it is missing or stale (a build step: ``make static``)."""
    text = search_keys_text(texts)
    if not (path.exists() and path.read_text(encoding="utf-8") == text):
        path.write_text(text, encoding="utf-8")
        _search_keys.cache_clear()
    return path


def data_search_texts(facilities: pd.DataFrame, province_names_zh: Mapping[str, str]) -> list[str]:
    """Every text of the data that a search folds or turns into pinyin (the cells of the searched columns)."""
    columns = [c for c in dict.fromkeys((*TEXT_COLUMNS, *PINYIN_COLUMNS)) if c in facilities.columns]
    cells = facilities[columns].stack().dropna().astype(str).tolist()
    return cells + [str(name) for name in province_names_zh.values() if name]


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
    # Each cell is folded on its own, so the data's texts are found in the search-keys table.
    text_haystack = text.map(fold).agg(" ".join, axis=1)
    pinyin_columns = [c for c in PINYIN_COLUMNS if c in facilities.columns]
    pinyin_haystack = (
        facilities[pinyin_columns].fillna("").astype(str).map(pinyin_key).agg("".join, axis=1)
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
    """Build the catalogue's haystacks once per process, shortly after the first page: the first reader's
    first search took 0.6 s longer than any later one (then mostly loading pypinyin and OpenCC, which the
    search-keys table now spares; folding every facility's text remains)."""
    if _WARM_UP_STARTED.is_set():
        return
    _WARM_UP_STARTED.set()

    def warm() -> None:
        time.sleep(delay_s)
        search_mask(facilities, "warm up")

    threading.Thread(target=warm, name="search-warm-up", daemon=True).start()
