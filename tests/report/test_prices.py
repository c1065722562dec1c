"""Shadow prices in the planner's words: every row family has a name in both languages, and a
price row reads as a sentence with names and units, never a model row name."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo
import pytest

from optimizer.instance import load_instance
from optimizer.model import build_model, prepare
from optimizer.report.i18n import LIMITS, Words
from optimizer.report.prices import price_notes, price_table, reading, short_reading


def every_lever(micro):
    """The micro instance with every policy lever and table that adds rows to the model."""
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,g,0,0,2,1,0.5
b,B,g,1,0,2,1,
c,C,h,2,0,2,1,
""")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,Upstream,materials,10,20,1,0.5,1,2
s2,c1,Downstream,assembly,10,20,1,0.5,1,2
""")
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10\nb,s2,5")
    micro.table("links", "supplier,user,reach,intensity\ns1,s2,150,0.5")
    micro.table("resource_use", "segment,resource,use\ns1,land,1")
    micro.table("resource_availability", "region,resource,available\na,land,30\nb,land,30\n"
                "c,land,30")
    micro.table("talent_use", "segment,talent,use\ns2,rd,1")
    micro.table("talent_availability", "region,talent,available\na,rd,30\nb,rd,30\nc,rd,30")
    micro.table("policy", "region,segment,rule,note\nc,s1,must,")
    micro.table("shrink_limits", "region,segment,max_shrink\na,,0.5")
    micro.table("protected_hosts", "region,segment,min_share,note\na,s2,0.9,")
    micro.table("min_shares", "region,group,chain,min_share,note\nb,,c1,0.1,")
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nb,1,,")
    micro.table("partnerships", "leader,partner,credit_share,note\na,c,0.5,")
    micro.settings(policy={"benefit_sharing": True, "flows": True, "change_budget": 3},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 1, "pairwise_overlap": 1, "cost": 1,
                       "compensation": 1}})
    return load_instance(micro.folder)


def test_every_row_family_has_a_planners_name_in_both_languages(micro):
    model = build_model(prepare(every_lever(micro)))
    families = {c.local_name for c in model.component_objects(pyo.Constraint)}
    assert len(families) > 20  # the levers above did add their rows
    assert families - set(LIMITS) == set()
    for family in families | {"lexicographic_hold"}:
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
