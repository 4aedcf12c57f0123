"""The two message catalogues agree, a reader's language is chosen from the link and the browser, and names show in it."""

import json
import re

import pytest

from china_bigscience import DATA_DIR
from china_bigscience.i18n import (
    CHINESE,
    ENGLISH,
    LANGUAGES,
    MessageError,
    Translator,
    choose_language,
    html_lang_script,
    language_links_html,
    link_label_table,
    link_labels,
    link_values,
    load_messages,
    parse_accept_language,
    placeholders,
    switched_query,
)

# Keys only Chinese has: the data package's English lives in datapackage.json itself.
CHINESE_ONLY_PREFIX = "datapackage."
HAN = re.compile(r"[\u4e00-\u9fff]")


def shared_keys(language):
    return {k for k in load_messages(language) if not k.startswith(CHINESE_ONLY_PREFIX)}


def test_both_catalogues_have_the_same_keys():
    english, chinese = shared_keys("en"), shared_keys("zh")
    assert sorted(english - chinese) == [], "keys missing in zh.toml"
    assert sorted(chinese - english) == [], "keys missing in en.toml"
    assert not any(k.startswith(CHINESE_ONLY_PREFIX) for k in load_messages("en"))


def test_messages_of_a_key_take_the_same_placeholders():
    english, chinese = load_messages("en"), load_messages("zh")
    # Amounts that Chinese text states in another unit, so its message takes another (also given) value.
    other_unit = {"overview.investment_value": ({"billions"}, {"yi"})}
    different = {k: (placeholders(english[k]), placeholders(chinese[k])) for k in shared_keys("en")
                 if placeholders(english[k]) != placeholders(chinese[k])}
    assert different == other_unit


def test_every_chinese_message_is_written_in_chinese_unless_it_is_a_name_code_or_format():
    """A key copied over from English untranslated is caught here; the exceptions are listed on purpose."""
    # Texts that are the same in both languages: codes, units and formats with no Chinese form.
    same_by_design = {
        "filter.years", "common.unit_space", "chart.export_footer", "common.facility_both",
        "page.explorer.confidence_mark", "timeline.hover_doi", "timeline.hover_arxiv",
        "profile.coordinates_value", "profile.predecessor_value", "downloads.readme_column",
        "compare.title_measure", "compare.column_measure", "profile.column_measure", "ni.journal_set_changes",
        "page.sources.confidence_item", "page.profile.confidence_mark", "page.profile.related",
        "timeline.peaks_reason", "compare.portfolio_hover", "maps.status_as_of", "compare.measure.energy_gev.unit", "timeline.milestone_column.DOI", "timeline.milestone_column.arXiv", "maps.size.uniform.unit", "maps.size.uniform.noun",
    }
    untranslated = [k for k, text in load_messages("zh").items()
                    if not HAN.search(text) and k not in same_by_design
                    and not k.startswith(("value.unit.", "value.confidence.", "plotly.month.", "plotly.dictionary.Produced"))
                    and text == load_messages("en").get(k)]
    assert untranslated == []


def test_every_column_of_the_data_package_has_a_chinese_description():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    chinese = load_messages("zh")
    missing = []
    for resource in descriptor["resources"]:
        for key in ("_title", "_description"):
            if f"datapackage.{resource['name']}.{key}" not in chinese:
                missing.append(f"{resource['name']}.{key}")
        for field in resource.get("schema", {}).get("fields", []):
            if f"datapackage.{resource['name']}.{field['name']}" not in chinese:
                missing.append(f"{resource['name']}.{field['name']}")
    assert missing == []
    # ...and no description of a column the package does not have (left behind after a rename).
    known = {f"datapackage.{r['name']}.{f['name']}" for r in descriptor["resources"]
             for f in r.get("schema", {}).get("fields", [])}
    known |= {f"datapackage.{r['name']}.{k}" for r in descriptor["resources"] for k in ("_title", "_description")}
    stale = sorted(k for k in chinese if k.startswith("datapackage.") and k.count(".") == 2
                   and k.split(".")[1] not in ("package", "confidence") and k not in known)
    assert stale == []


def test_every_value_of_a_controlled_list_has_a_display_name_in_both_languages():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    kinds = {("facilities", "field"): "field", ("facilities", "status"): "status", ("facilities", "funding"): "funding",
             ("facilities", "functional_type"): "functional_type", ("facilities", "location_precision"): "location_precision",
             ("milestones", "kind"): "milestone_kind", ("peers", "category"): "peer_category",
             ("nature_index", "scope"): "scope", ("research_spending", "indicator"): "indicator",
             ("provinces", "kind"): "province_kind"}
    missing = []
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            kind = kinds.get((resource["name"], field["name"]))
            for value in field.get("constraints", {}).get("enum", []) if kind else []:
                for language in LANGUAGES:
                    if f"value.{kind}.{value}" not in load_messages(language):
                        missing.append((language, kind, value))
    assert missing == []


def test_a_missing_key_or_placeholder_names_the_file_and_the_key():
    with pytest.raises(MessageError, match=r"locales/zh\.toml has no message 'no\.such\.key'"):
        CHINESE("no.such.key")
    with pytest.raises(MessageError, match=r"'chart\.page_zip': no value given for 'format'"):
        ENGLISH("chart.page_zip")


def test_messages_are_filled_in():
    assert ENGLISH("chart.page_zip", format="PNG") == "Download all charts on this page (PNG, ZIP)"
    assert CHINESE("chart.page_zip", format="PNG") == "下载本页全部图表（PNG，ZIP）"
    assert CHINESE("nav.overview") == "概览"


def test_translators_are_compared_by_language_so_caches_keep_languages_apart():
    assert Translator("zh") == CHINESE and Translator("zh") != ENGLISH
    assert repr(CHINESE) == "Translator('zh')"
    with pytest.raises(ValueError, match="'fr' is not one of en, zh"):
        Translator("fr")


def test_data_values_show_in_the_readers_language_and_stay_as_they_are_in_english():
    assert CHINESE.field("photon science") == "光子科学"
    assert CHINESE.status("under construction") == "在建"
    assert CHINESE.funding("CAS") == "中国科学院"
    assert ENGLISH.field("photon science") == "photon science"
    assert CHINESE.field("a field the catalogue does not know") == "a field the catalogue does not know"
    assert CHINESE.field(None) == "不详"
    assert CHINESE.entity("Chinese Academy of Sciences (CAS)") == "中国科学院"
    assert CHINESE.entity("United States") == "美国"


def test_facility_names_lead_with_the_readers_language():
    english, chinese = "Jiangmen Underground Neutrino Observatory", "江门中微子实验"
    assert ENGLISH.facility_name(english, chinese, "JUNO") == "JUNO: Jiangmen Underground Neutrino Observatory (江门中微子实验)"
    assert CHINESE.facility_name(english, chinese, "JUNO") == "江门中微子实验（JUNO：Jiangmen Underground Neutrino Observatory）"
    assert CHINESE.facility_name("Example Facility", None) == "Example Facility（数据中无中文名）"
    assert CHINESE.facility_name("Example Facility", float("nan")) == "Example Facility（数据中无中文名）"
    assert ENGLISH.facility_name("Example Facility", "") == "Example Facility"


def test_provinces_use_the_chinese_name_from_the_data():
    assert CHINESE.province("Sichuan", "四川省") == "四川省"
    assert CHINESE.province("Sichuan", None) == "Sichuan"
    assert ENGLISH.province("Sichuan", "四川省") == "Sichuan"


def test_a_translator_can_know_the_provinces_chinese_names(catalogue):
    chinese = CHINESE.with_provinces(catalogue.provinces)
    assert chinese.province("Guangdong") == "广东省" and chinese.province("Atlantis") == "Atlantis"
    assert ENGLISH.with_provinces(catalogue.provinces).province("Guangdong") == "Guangdong"
    assert chinese != CHINESE and chinese == CHINESE.with_provinces(catalogue.provinces)
    assert repr(chinese).startswith("Translator('zh', provinces=")


def test_numbers_are_plain_digits_with_units_in_the_readers_language():
    assert ENGLISH.quantity(2400, "m") == "2,400 m"
    assert CHINESE.quantity(2400, "m") == "2,400米"
    assert CHINESE.quantity(20000.0, "t") == "20,000吨"
    assert CHINESE.quantity(1.5, "km2", approximate=True) == "~1.5平方千米"
    assert CHINESE.quantity(None, "m") == "不详"
    assert ENGLISH.number(3.25) == "3.25" and ENGLISH.number(12345.5) == "12,345.5"
    assert CHINESE.number(7, decimals=1) == "7.0"
    # Budgets and R&D spending: Chinese official statistics state them in 亿元.
    assert ENGLISH.quantity(370.8, "CNY bn") == "370.8 CNY bn"
    assert CHINESE.quantity(370.8, "CNY bn") == "3,708亿元"


def test_plotly_gets_its_chinese_locale_inline_and_english_needs_none():
    assert ENGLISH.plotly_config() == {}
    config = CHINESE.plotly_config()
    assert config["locale"] == "zh-CN"
    locale = config["locales"]["zh-CN"]
    assert locale["dictionary"]["Download plot as a PNG"] == "将图表下载为 PNG"
    assert locale["dictionary"]["Produced with Plotly.js"] == "由 Plotly.js 制作"
    assert locale["format"]["months"][0] == "1月" and len(locale["format"]["days"]) == 7


@pytest.mark.parametrize(("link", "header", "locale", "expected"), [
    (None, None, None, "en"),
    ("zh", None, None, "zh"),
    ("zh-Hans", "en-GB", "en-GB", "zh"),
    ("en", "zh-CN,zh;q=0.9", "zh-CN", "en"),          # the link wins over the browser
    (None, "zh-CN,zh;q=0.9,en;q=0.8", None, "zh"),
    (None, "en-US,en;q=0.9,zh;q=0.8", None, "en"),
    (None, "fr-FR,fr;q=0.9,zh-TW;q=0.8,en;q=0.5", None, "zh"),  # the first language the dashboard has
    (None, "de;q=0.9,en;q=0.1,zh;q=0.5", None, "zh"),           # by quality, not by order
    (None, "fr-FR", None, "en"),
    (None, None, "zh-CN", "zh"),                       # no header: the browser's locale
    ("xx", None, None, "en"),                          # a language we do not have: as if the link said nothing
    (None, "zh;q=0", None, "en"),                      # q=0 means "not this one"
])
def test_language_comes_from_the_link_then_the_browser_then_english(link, header, locale, expected):
    assert choose_language(link, header, locale) == expected


def test_accept_language_is_read_best_first():
    assert parse_accept_language("en;q=0.5, zh-CN , zh;q=0.9") == [("zh-cn", 1.0), ("zh", 0.9), ("en", 0.5)]
    assert parse_accept_language("") == []


def test_the_page_language_script_uses_the_fixed_tag_never_the_link():
    assert html_lang_script("zh") == '<script>document.documentElement.lang = "zh-Hans";</script>'
    assert html_lang_script("en") == '<script>document.documentElement.lang = "en";</script>'
    assert html_lang_script('"></script><script>alert(1)') == '<script>document.documentElement.lang = "en";</script>'


def keys_used_in_code() -> tuple[set[str], set[str]]:
    """String literals of the code that look like message keys, and the fixed beginnings of keys built with f-strings."""
    import ast

    from china_bigscience import PROJECT_DIR

    files = [PROJECT_DIR / "dashboard.py", *PROJECT_DIR.glob("pages/*.py"), *PROJECT_DIR.glob("china_bigscience/**/*.py")]
    literals, prefixes = set(), set()
    key_like = re.compile(r"[a-z_]+(\.[A-Za-z0-9_ ]+)+")
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in in_fstrings and isinstance(node.value, str) and key_like.fullmatch(node.value):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                start = str(node.values[0].value)
                if re.fullmatch(r"[a-z_]+\.[a-z_.]*", start):
                    prefixes.add(start)
    return literals, prefixes


def test_every_message_is_used_by_the_code():
    """A message no code asks for is a leftover (or a typo in the code's key, which would fail at run time)."""
    literals, prefixes = keys_used_in_code()
    # Looked up by kind and value (Translator.value), or handed to Plotly and the data package as whole tables.
    by_table = ("value.", "plotly.", "datapackage.")
    unused = sorted(k for k in shared_keys("en") if not k.startswith(by_table) and k not in literals
                    and not any(k.startswith(p) for p in prefixes))
    assert unused == []


def test_every_key_the_code_asks_for_is_in_the_catalogues():
    literals, _ = keys_used_in_code()
    namespaces = {k.split(".")[0] for k in shared_keys("en")} - {"value", "plotly"}
    asked = {k for k in literals if k.split(".")[0] in namespaces}
    assert sorted(asked - shared_keys("en")) == []


def test_link_values_are_read_in_either_language_and_written_in_the_readers():
    table = link_label_table({"photon science": lambda v, t: t.field(v), "astronomy": lambda v, t: t.field(v)},
                             (ENGLISH, CHINESE))
    assert table["photon science"] == {"en": "photon science", "zh": "光子科学"}
    # A link made in Chinese, one made in English, and a hand-made one with an unknown value.
    assert link_values(["光子科学", "astronomy", "Atlantis"], table) == ["photon science", "astronomy", "Atlantis"]
    assert link_labels(["photon science", "astronomy"], table, "zh") == ["光子科学", "天文"]
    assert link_labels(["photon science", "Atlantis"], table, "en") == ["photon science", "Atlantis"]
    same = link_label_table({"2020": None}, (ENGLISH, CHINESE))
    assert link_values(["2020"], same) == ["2020"] and link_labels(["2020"], same, "zh") == ["2020"]


def test_the_language_switch_keeps_every_filter_in_the_other_languages_labels():
    tables = {"field": link_label_table({"photon science": lambda v, t: t.field(v)}, (ENGLISH, CHINESE))}
    params = {"field": ["photon science"], "q": ["JUNO"], "lang": ["en"]}
    assert switched_query(params, tables, "zh") == [("field", "光子科学"), ("q", "JUNO"), ("lang", "zh")]
    assert switched_query({"field": ["光子科学"], "lang": ["zh"]}, tables, "en") == [("field", "photon science")]


def test_the_language_links_mark_the_current_language_and_escape_the_query():
    html = language_links_html("en", {"en": "q=a", "zh": "q=%3Cb%3E&lang=zh"}, "Language")
    assert '<strong aria-current="true" lang="en">English</strong>' in html
    assert '<a href="?q=%3Cb%3E&amp;lang=zh" hreflang="zh-Hans" lang="zh-Hans" target="_self">中文</a>' in html
    assert '<nav aria-label="Language"' in html


def test_the_command_line_export_makes_every_chart_in_chinese(catalogue):
    from china_bigscience.__main__ import build_parser, collect_charts
    from china_bigscience.filters import FacilityFilter

    assert build_parser().parse_args(["export", "--lang", "zh"]).lang == "zh"
    chinese = CHINESE.with_provinces(catalogue.provinces)
    charts, problems = collect_charts(catalogue, FacilityFilter(provinces=("Sichuan",)), log=lambda _: None, tr=chinese)
    assert problems == [] and len(charts) > 10
    untitled = [chart.slug for chart in charts if not HAN.search(chart.title) or not HAN.search(chart.source_line)]
    assert untitled == []
    english, _ = collect_charts(catalogue, FacilityFilter(provinces=("Sichuan",)), log=lambda _: None)
    assert [chart.slug for chart in english] == [chart.slug for chart in charts]
    assert not any(HAN.search(chart.title) for chart in english)


def test_a_missing_acronym_is_not_written_as_na_in_chinese_headings():
    import pandas as pd

    from china_bigscience.i18n import translator

    heading = translator("zh").facility_name("Cold Seep Ecosystem Research Facility", "冷泉生态系统研究装置", pd.NA)
    assert "NA" not in heading and heading.startswith("冷泉生态系统研究装置")
    assert "<NA>" not in translator("en").facility_name("Cold Seep Ecosystem Research Facility", pd.NA, pd.NA)


# --- The language switch in the running app -----------------------------------------------------

def _chinese_link(at) -> str:
    """The sidebar's 中文 link of the last run, its query decoded."""
    from urllib.parse import unquote_plus

    navigation = [h.proto.body for h in at.get("html") if 'aria-label="Language"' in h.proto.body]
    assert len(navigation) == 1, navigation
    return unquote_plus(re.search(r'href="([^"]*)" hreflang="zh-Hans"', navigation[0]).group(1).replace("&amp;", "&"))


def test_the_language_link_carries_the_filter_just_chosen_and_the_pages_own_values(catalogue):
    # It was drawn before the filters were read: one change behind, and without the page's own link values.
    from streamlit.testing.v1 import AppTest

    from china_bigscience.nature_index import institution_years

    at = AppTest.from_file(str(DATA_DIR.parent / "dashboard.py"), default_timeout=90).run()
    at.multiselect(key="province").set_value(["Sichuan"]).run()
    assert "province=四川省" in _chinese_link(at)
    at.multiselect(key="province").set_value(["Sichuan", "Anhui"]).run()
    assert "province=四川省&province=安徽省" in _chinese_link(at)
    at.switch_page("pages/nature_index.py").run()
    assert not at.exception
    years = institution_years(catalogue.nature_index)
    assert len(years) > 1  # the page draws its year control, bound to the link
    assert f"ni-institution-year={years[-1]}" in _chinese_link(at)


def test_the_language_link_is_drawn_when_a_page_stops_early():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DATA_DIR.parent / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/profile.py").run()
    at.text_input(key="q").input("zzz-no-facility-matches").run()  # nothing to profile: the page stops after saying so
    assert not at.exception
    assert any("No facilities match" in info.value for info in at.info)
    assert "q=zzz-no-facility-matches" in _chinese_link(at)
