"""Infrastructure: a region below a segment's required level cannot host it."""

import pytest

from optimizer.instance import load_instance
from optimizer.model import prepare
from tests.conftest import hosts

COSTLY_B = """
region,segment,unit_cost,opening_cost,closure_cost
b,s2,1,,
"""


def _port(micro):
    micro.table("costs", COSTLY_B).table("infrastructure_levels", """
region,infrastructure,level
b,port,2
c,port,1
""").table("infrastructure_requirements", """
segment,infrastructure,level
s2,port,2
""")


def test_requirement_sends_segment_to_the_only_capable_region(micro):
    _port(micro)
    res = micro.solve()
    assert hosts(res, "s2") == ["b"]
    assert res.terms["cost"]["value"] == pytest.approx(10)


def test_reasons_name_the_shortfall(micro):
    _port(micro)
    data = prepare(load_instance(micro.folder))
    assert data.excluded[("c", "s2")] == "needs port level 2 but has 1"
    assert data.excluded[("a", "s2")] == "needs port level 2 but has 0"


def test_switch_off_ignores_requirements(micro):
    _port(micro)
    micro.settings(policy={"benefit_sharing": False, "infrastructure": False})
    res = micro.solve()
    assert hosts(res, "s2") != ["b"]
    assert res.terms["cost"]["value"] == pytest.approx(0)
