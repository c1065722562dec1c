"""Shadow prices in the planner's words: every row family has a name in both languages, and a
price row reads as a sentence with names and units, never a model row name."""

from __future__ import annotations

import pandas as pd
import pytest

from optimizer.model import declared_rows
from optimizer.report.i18n import LIMITS, Words
from optimizer.report.prices import price_notes, price_table, reading, short_reading

# the families shadow_prices.csv names beyond the model's rows: a stock by kind, a target by side
PRICED = {"resource", "talent", "target_min", "target_max", "lexicographic_hold"}


def test_every_row_family_has_a_planners_name_in_both_languages():
    families = {row.name for row in declared_rows()}
    assert len(families) > 20
    assert families - set(LIMITS) == set()  # a family declared later needs its name here
    for family in families | PRICED:
        en, zh = LIMITS[family]
        assert en and zh and "_" not in en and family not in zh, family


@pytest.fixture
def words() -> dict[str, Words]:
    out = {}
    for lang in ("en", "zh"):
        w = Words(lang)
        w.units = {"output": "100 million CNY (亿元)", "cost": "100 million CNY (亿元)",
                   "resources": {"land": "km² of industrial land"},
                   "talent": {"rd_fte": "R&D personnel, person-years"}}
        w.names |= {("region", "sz"): "苏州市", ("segment", "cells"): "Cells" if lang == "en"
                    else "电芯", ("resource", "land"): "land" if lang == "en" else "土地"}
        out[lang] = w
    return out


PRICES = pd.DataFrame([
    {"limit": "resource", "region": "sz", "segment": "", "item": "land", "shadow_price": -3.21},
    {"limit": "shrink_def", "region": "sz", "segment": "cells", "item": "",
     "shadow_price": 0.0044},
    {"limit": "loss_floor", "region": "sz", "segment": "", "item": "", "shadow_price": 120.0},
    {"limit": "target", "region": "", "segment": "cells", "item": "", "shadow_price": 0.0}])


def test_a_price_reads_as_a_sentence_with_names_and_units(words):
    rows = PRICES.to_dict("records")
    assert reading(rows[0], words["en"], "亿元") == \
        "land (苏州市): one more km² would save 3.21 亿元"
    assert reading(rows[0], words["zh"], "亿元") == \
        "土地（苏州市）：每增加 1 km²，目标值减少 3.21 亿元"
    assert reading(rows[1], words["en"], "亿元") == \
        "today's output of a host (苏州市, Cells): one more 亿元 would cost 0.0044 亿元"
    assert reading(rows[1], words["zh"], "亿元") == \
        "现有产出（苏州市·电芯）：每增加 1 亿元，目标值增加 0.0044 亿元"
    assert short_reading(rows[2], words["zh"], "亿元") == "地区损失底线（每亿元 +120 亿元）"
    assert short_reading(rows[2], words["en"], "亿元", named=False) == "+120 亿元 per 亿元"


def test_the_price_table_is_named_largest_first_and_skips_zero_prices(words):
    summary = {"shadow_prices": {"status": "optimal", "objective_unit": "亿元", "stage": None}}
    table = price_table(PRICES, summary, words["zh"])
    assert table["limit"].tolist() == ["地区损失底线", "土地", "现有产出"]
    assert table["place"].tolist() == ["苏州市", "苏州市", "苏州市·电芯"]
    assert not table["meaning"].str.contains("shrink_def|loss_floor|_").any()
    note = price_notes(summary, PRICES, words["en"])[0]
    assert "The 3 largest of 3 binding limits" in note
    empty = price_notes(summary, PRICES.head(0), words["en"])
    assert empty == ["No limit binds: with these hosts, one more unit of any limit would not "
                     "change the objective."]
