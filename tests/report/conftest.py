"""Shared fixtures of the report tests."""

from __future__ import annotations

import pytest

from optimizer.instance import load_instance
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
