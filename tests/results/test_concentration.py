"""Concentration measures against hand computations on a three-region layout.

Regions a, b, c on the equator 111 km apart; groups g1 = {a, b}, g2 = {c}. Chains c1 (s1 -> s2,
value-added rate 0.5 each) and c2 (s3, rate 1). The layout measured:
    a: s1 6          b: s1 2, s2 4          c: s2 4, s3 4
"""

import pytest

from optimizer.instance import load_instance
from optimizer.results.concentration import concentration_measures, gini, hhi, top_share
from optimizer.results.measures import layout_measures

LAYOUT = {("a", "s1"): 6.0, ("b", "s1"): 2.0, ("b", "s2"): 4.0, ("c", "s2"): 4.0,
          ("c", "s3"): 4.0}


def _instance(micro, reach: str = "150", population: bool = True):
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,A,g1,0,0,,,
b,B,g1,1,0,,,
c,C,g2,2,0,,,
""")
    micro.table("chains", "chain,name\nc1,One\nc2,Two")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,0,20,0,0.5,1,
s2,c1,,,0,20,0,0.5,1,
s3,c2,,,0,20,0,1,1,
""")
    micro.table("links", f"supplier,user,reach,intensity\ns1,s2,{reach},")
    if population:
        micro.table("population", "region,population\na,1\nb,3\nc,2")
    return load_instance(micro.folder)


def test_hand_computed_figures(micro):
    m = concentration_measures(_instance(micro), LAYOUT)
    # output per region 6, 6, 8 of 20: shares .3 .3 .4, HHI .09 + .09 + .16
    assert m["hhi_output_regions"] == pytest.approx(0.34)
    # groups: g1 = 12, g2 = 8: .36 + .16
    assert m["hhi_output_groups"] == pytest.approx(0.52)
    assert m["top1_region_share"] == pytest.approx(0.4)
    assert m["top3_region_share"] == pytest.approx(1.0)
    # value added a 3, b 1 + 2 = 3, c 2 + 4 = 6: sum |xi - xj| over ordered pairs 12,
    # G = 12 / (2 * 3 regions * 12) = 1/6
    assert m["gini_value_added"] == pytest.approx(1 / 6)
    # per person: y = 3/1, 3/3, 6/2 = 3, 1, 3 with weights 1, 3, 2 (W 6, sum w y 12);
    # sum w_i w_j |y_i - y_j| = 2 * (1*3*2 + 3*2*2) = 36; G = 36 / (2 * 6 * 12) = 0.25
    assert m["gini_value_added_per_person"] == pytest.approx(0.25)
    # s1 in a supplies s2 in b (111 km), s1 in b supplies s2 in c: two centres
    assert m["supply_centres"] == 2
    c1 = m["concentration_by_chain"]["c1"]
    # c1: a 6, b 6, c 4 of 16: .375^2 * 2 + .25^2
    assert c1["hhi_regions"] == pytest.approx(0.34375)
    assert c1["hhi_groups"] == pytest.approx(0.75**2 + 0.25**2)
    c2 = m["concentration_by_chain"]["c2"]
    assert (c2["hhi_regions"], c2["top1_share"], c2["top_region"]) == (1.0, 1.0, "c")


def test_reach_too_short_leaves_no_supply_centre(micro):
    # at 100 km a's s1 reaches no other host of s2 (b is 111 km away), nor does b's reach c
    m = concentration_measures(_instance(micro, reach="100"), LAYOUT)
    assert m["supply_centres"] == 0


def test_without_population_no_per_person_gini(micro):
    assert concentration_measures(_instance(micro, population=False),
                                  LAYOUT)["gini_value_added_per_person"] is None


def test_in_layout_measures(micro):
    m = layout_measures(_instance(micro), LAYOUT)
    assert m["hhi_output_regions"] == pytest.approx(0.34)


def test_building_blocks():
    assert hhi([1, 1, 1, 1]) == pytest.approx(0.25)
    assert hhi([0, 0]) is None
    assert top_share([1, 5, 2, 2], 1) == pytest.approx(0.5)
    assert gini([1, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)  # (n - 1) / n when one holds all
