"""Talent: the R&D staff a region's hosts need stay within its pool."""

import pytest

from tests.conftest import output


def test_talent_pool_binds_with_unequal_rates(micro):
    micro.settings(objective={"mode": "lexicographic", "order": ["cost"]})
    micro.table("talent_availability", """
region,talent,available
a,rd,15
b,rd,1000
c,rd,1000
""").table("talent_use", """
segment,talent,use
s1,rd,1
s2,rd,2
""").table("costs", """
region,segment,unit_cost,opening_cost,closure_cost
b,s1,1,,
b,s2,1,,
c,s1,1,,
c,s2,1,,
""")
    res = micro.solve()
    # max s1 + s2 at a subject to s1 + 2 s2 <= 15, s1, s2 <= 10: s1 = 10, s2 = 2.5
    assert output(res, "a", "s1") == 10
    assert output(res, "a", "s2") == 2.5
    assert res.terms["cost"]["value"] == pytest.approx(7.5)
