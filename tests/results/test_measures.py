"""Measures checked against hand computation on a two-region, two-segment layout."""

import math

import pytest

from optimizer.instance import load_instance
from optimizer.results.measures import (
    krugman_matrix,
    layout_matrix,
    layout_measures,
    location_quotients,
    output_moved,
    similarity_matrix,
    supply_shortfalls,
    unsupplied_links,
)
from optimizer.results.tables import change_of, change_pct

# a makes 10 of s1; b makes 5 of s1 and 5 of s2
LAYOUT = {("a", "s1"): 10.0, ("b", "s1"): 5.0, ("b", "s2"): 5.0}


@pytest.fixture
def inst(micro):
    return load_instance(micro.folder)


def test_similarity_by_hand(inst):
    sim = similarity_matrix(layout_matrix(inst, LAYOUT))
    # (10*5 + 0*5) / sqrt(100 * 50) = 50 / 70.71
    assert sim.loc["a", "b"] == pytest.approx(1 / math.sqrt(2))
    assert list(sim.index) == ["a", "b"]  # c produces nothing and is left out


def test_krugman_by_hand(inst):
    k = krugman_matrix(layout_matrix(inst, LAYOUT))
    assert k.loc["a", "b"] == pytest.approx(1.0)  # |1 - .5| + |0 - .5|


def test_location_quotients_by_hand(inst):
    lq = location_quotients(layout_matrix(inst, LAYOUT))
    # area shares: s1 15/20, s2 5/20
    assert lq.loc["a", "s1"] == pytest.approx(1 / 0.75)
    assert lq.loc["b", "s2"] == pytest.approx(0.5 / 0.25)
    assert lq.loc["c", "s1"] == 0


def test_headline_measures(inst):
    m = layout_measures(inst, LAYOUT)
    assert m["hosts_per_segment"] == {"s1": 2, "s2": 1}
    assert m["excess_hosts"] == 1 and m["pairwise_overlaps"] == 1
    assert m["similarity_mean"] == pytest.approx(1 / math.sqrt(2))
    assert m["krugman_mean"] == pytest.approx(1.0)
    assert m["value_added_total"] == pytest.approx(10.0)
    assert m["unhosted_segments"] == []


def test_three_regions_mean_and_max(inst):
    layout = {("a", "s1"): 1.0, ("b", "s1"): 1.0, ("c", "s2"): 1.0}
    m = layout_measures(inst, layout)
    assert m["similarity_mean"] == pytest.approx(1 / 3)  # pairs: 1, 0, 0
    assert m["similarity_max"] == pytest.approx(1.0)
    assert m["pairwise_overlaps"] == 1
    assert m["unhosted_segments"] == []


def test_unsupplied_links_by_distance(micro):
    micro.table("links", "supplier,user,reach,intensity\ns1,s2,150,")
    inst = load_instance(micro.folder)
    layout = {("a", "s1"): 10.0, ("c", "s2"): 10.0}  # 222 km apart
    assert unsupplied_links(inst, layout) == [("s1", "s2", "c")]
    layout[("b", "s1")] = 1.0  # b is 111 km from c
    assert unsupplied_links(inst, layout) == []


def test_group_similarity_by_hand(micro):
    from optimizer.results import Results
    from optimizer.results.tables import group_similarity_table
    from optimizer.solve.solver import SolveOutcome

    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,g1,0,0,,,
b,,g1,1,0,,,
c,,g2,2,0,,,
""").table("current_layout", "region,segment,output\na,s1,10\nb,s2,10\nc,s1,5")
    inst = load_instance(micro.folder)
    res = Results(inst, SolveOutcome("optimal", ""), {("c", "s1"): 5.0, ("a", "s2"): 7.0})
    row = group_similarity_table(res).iloc[0]
    # today g1 = (10, 10), g2 = (5, 0): 50 / (sqrt(200) * 5); optimised g1 = (0, 7): disjoint
    assert (row["group_a"], row["group_b"]) == ("g1", "g2")
    assert row["similarity_current"] == pytest.approx(1 / math.sqrt(2))
    assert row["similarity_optimised"] == pytest.approx(0.0)


@pytest.mark.parametrize(("reach", "layout", "expected"), [
    # b needs 0.5 x 5 = 2.5 of s1 and makes 5 itself: covered
    ("50", LAYOUT, []),
    # b makes 2 itself; a's 10 lies 111 km away, beyond the 50 km reach: 0.5 short
    ("50", {("a", "s1"): 10.0, ("b", "s1"): 2.0, ("b", "s2"): 5.0}, [("s1", "s2", "b", 0.5)]),
    # b makes none: 2.5 short within 50 km, covered by a's 10 with no reach limit
    ("50", {("a", "s1"): 10.0, ("b", "s2"): 5.0}, [("s1", "s2", "b", 2.5)]),
    ("", {("a", "s1"): 10.0, ("b", "s2"): 5.0}, []),
])
def test_supply_shortfall_by_hand(micro, reach, layout, expected):
    micro.table("links", f"supplier,user,reach,intensity\ns1,s2,{reach},0.5")
    inst = load_instance(micro.folder)
    found = supply_shortfalls(inst, layout)
    assert [f[:3] for f in found] == [e[:3] for e in expected]
    assert [f[3] for f in found] == pytest.approx([e[3] for e in expected])
    assert layout_measures(inst, layout)["supply_shortfall"] == pytest.approx(
        sum(e[3] for e in expected))


def test_output_moved_by_hand(micro):
    micro.table("current_layout", "region,segment,output\na,s1,12\nc,s2,5")
    inst = load_instance(micro.folder)
    # a 12 -> 10 (2), b new 5 + 5 (10), c 5 -> 0 (5): (2 + 10 + 5) / 2 = 8.5
    assert layout_measures(inst, LAYOUT)["output_moved"] == pytest.approx(8.5)
    assert layout_measures(inst, inst.current_output())["output_moved"] == 0


def test_output_moved_is_summed_exactly_whatever_the_order(micro):
    # 1e16 + 1 + 1 left to right loses both ones (1e16 + 2 in the other order): the moved output
    # must not depend on the order in which hosts are visited, so it is summed exactly
    micro.table("current_layout", "region,segment,output\na,s1,0\nc,s2,0")
    inst = load_instance(micro.folder)
    moves = {("a", "s1"): 1e16, ("b", "s1"): 1.0, ("b", "s2"): 1.0}
    assert 1e16 + 1.0 + 1.0 != 1.0 + 1.0 + 1e16
    for order in (list(moves), list(reversed(moves))):
        layout = {p: moves[p] for p in order}
        assert output_moved(inst, layout) == 0.5 * (1e16 + 2.0)


@pytest.mark.parametrize(("current", "output", "change", "pct"), [
    (None, 5.0, "new", None), (5.0, None, "closed", -100.0), (200.0, 200.1, "kept", 0.05),
    (200.0, 250.0, "grown", 25.0), (200.0, 150.0, "shrunk", -25.0)])
def test_change_labels(current, output, change, pct):
    # within 0.1 % of today's output a host is kept; change_pct always gives the figure
    assert change_of(current, output) == change
    assert change_pct(current, output) == (pytest.approx(pct) if pct is not None else None)
