"""The coordination page in both languages: groups by name, the reading and rule in words."""

from __future__ import annotations

import re

import pytest

from optimizer.instance import load_instance
from optimizer.report.coordination import coordination_page
from optimizer.solve.solver import SolveOptions
from optimizer.whatif.coordinate import Settings, coordinate, summary_dict

OPTIONS = SolveOptions(time_limit=60, mip_gap=0.0, threads=1)


@pytest.fixture
def game(micro):
    """Three provinces of one city each, named in both languages (the hand-checked game of
    tests/whatif/test_coordinate.py: Shapley 2, 2.5, 2.5 lies in the core)."""
    micro.settings(objective={"mode": "weighted", "weights": {"excess_hosts": 1.0, "cost": 1.0}})
    micro.table("regions", "region,name,group,lon,lat,max_segments,max_chains,max_loss_share\n"
                "a,A,pa,0,0,,,\nb,B,pb,1,0,,,\nc,C,pc,2,0,,,")
    micro.table("segments", "segment,chain,name,stage,target_min,target_max,min_scale,"
                "value_added_rate,weight,max_hosts\ns1,c1,Only segment,assembly,30,30,1,0.5,10,")
    micro.table("current_layout", "region,segment,output\na,s1,10\nb,s1,10\nc,s1,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\n"
                "a,s1,,,3\nb,s1,,,4\nc,s1,,,5")
    micro.table("names", "kind,id,en,zh\ngroup,pa,Province A,甲省\ngroup,pb,Province B,乙省\n"
                "group,pc,Province C,丙省")
    run = coordinate(load_instance(micro.folder), Settings(workers=1), OPTIONS)
    return run, summary_dict(run)


def visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page.split("<body>")[1])


def test_the_page_in_chinese_names_groups_and_says_the_rule_in_words(game):
    run, summary = game
    text = visible(coordination_page(run, summary, "zh"))
    assert "协同规划红利" in text and "建议分摊规则：Shapley 分摊" in text
    assert "甲省" in text and "乙省+丙省" in text and "单独规划成本" in text
    assert "丙省向" in text  # the reading names who pays whom
    for code in ("pa", "pb+pc", "shapley_share", "cost_alone", "core_nearest", "Pa", "Pc"):
        assert not re.search(rf"\b{re.escape(code)}\b", text), code


def test_the_page_in_english(game):
    run, summary = game
    page = coordination_page(run, summary, "en")
    assert 'lang="en"' in page and "the coordination dividend" in page
    text = visible(page)
    assert "Province A" in text and "Recommended split: the Shapley split" in text
    assert "cost alone" in text and "甲省" not in text
