"""The one home of each naming rule and of the source-id splitter: what each returns at its edges."""

from __future__ import annotations

import pandas as pd

from china_bigscience import labels
from china_bigscience.charts import NOT_KNOWN
from china_bigscience.source_ids import frame_source_ids, split_ids, unique_ids
from small_catalogue import typed_table


def test_short_labels_are_unique_and_never_blank():
    facilities = typed_table("facilities", [
        dict(id="a", name_en="Alpha Ring", acronym="AR"),
        dict(id="b", name_en="Another Ring", acronym="AR"),
        dict(id="c", name_en="Gamma Lab", acronym=" "),
        dict(id="d", name_en="Delta Lab"),
    ])
    assert labels.short_labels(facilities).tolist() == ["AR (a)", "AR (b)", "Gamma Lab", "Delta Lab"]


def test_short_labels_name_a_facility_without_acronym_in_chinese_for_a_chinese_reader():
    from china_bigscience.i18n import Translator

    facilities = typed_table("facilities", [
        dict(id="a", name_en="Alpha Ring", acronym="AR", name_zh="阿尔法环"),
        dict(id="c", name_en="Gamma Lab", acronym=" ", name_zh="伽马实验室"),
        dict(id="d", name_en="Delta Lab", name_zh="德尔塔实验室"),
        dict(id="e", name_en="Epsilon Lab"),  # no Chinese name in the data: the English one, never blank
    ])
    chinese = Translator("zh")
    assert labels.short_labels(facilities, chinese).tolist() == ["AR", "伽马实验室", "德尔塔实验室", "Epsilon Lab"]
    assert labels.short_labels(facilities).tolist() == ["AR", "Gamma Lab", "Delta Lab", "Epsilon Lab"]


def test_display_and_menu_labels():
    row = pd.Series({"id": "juno", "name_en": "Jiangmen Underground Neutrino Observatory", "acronym": "JUNO",
                     "name_zh": "江门中微子实验"})
    assert labels.menu_label(row) == "JUNO: Jiangmen Underground Neutrino Observatory (江门中微子实验)"
    assert labels.display_name(row) == "Jiangmen Underground Neutrino Observatory"
    assert labels.display_name(pd.Series({"id": "x", "name_en": pd.NA})) == "x"
    assert labels.display_name(pd.Series({"id": None, "name_en": None})) == NOT_KNOWN
    assert labels.short_peer_name("Jiangmen Underground Neutrino Observatory (JUNO)") == "JUNO"
    assert labels.short_peer_name("PETRA III (upgrade to PETRA IV)") == "PETRA III"


def test_source_ids_skip_missing_cells_and_blanks():
    assert split_ids(pd.NA) == [] and split_ids(None) == [] and split_ids(float("nan")) == []
    assert split_ids(" a ; ;b") == ["a", "b"]
    assert unique_ids(["a;b", pd.NA, "b;c"]) == ["a", "b", "c"]
    frame = pd.DataFrame({"source_ids": pd.array(["x;y", pd.NA], dtype="string")})
    assert frame_source_ids(frame, pd.DataFrame({"other": [1]}), frame) == ["x", "y"]


def test_one_rule_for_a_missing_cell():
    """None, NaN, NaT, pd.NA and blank text are missing everywhere (labels, profiles, maps, timeline, completeness)."""
    import math

    from china_bigscience.cells import cell_text, is_known

    for missing in (None, math.nan, pd.NA, pd.NaT, "", "   "):
        assert not is_known(missing) and cell_text(missing) == ""
    for present in (0, 0.0, False, "x", 2024, [1]):
        assert is_known(present)
    assert cell_text("  JUNO ") == "JUNO"


def test_display_names_by_id_follow_display_name():
    from china_bigscience.i18n import Translator

    facilities = typed_table("facilities", [dict(id="a", name_en="Alpha Ring", name_zh="阿尔法环"),
                                            dict(id="b", name_en=None)])
    assert labels.display_names(facilities) == {"a": "Alpha Ring", "b": "b"}
    chinese = Translator("zh")
    assert labels.display_names(facilities, chinese) == {
        row["id"]: labels.display_name(row, chinese) for _, row in facilities.iterrows()}
    assert labels.menu_labels(facilities, chinese) == {
        row["id"]: labels.menu_label(row, chinese) for _, row in facilities.iterrows()}
