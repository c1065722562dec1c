"""Pre-solve checks: certain impossibilities said in the planner's terms, before HiGHS runs."""

from tests.conftest import Micro


def _findings(micro: Micro) -> list[str]:
    res = micro.solve()
    assert res.outcome.status == "infeasible"
    assert res.outcome.message.endswith("(found before solving)")
    assert res.outcome.stages == []  # HiGHS never ran
    return res.findings


def test_targets_exceed_total_availability(micro):
    micro.table("resource_availability", "region,resource,available\na,land,5\nb,land,5\nc,land,5")
    micro.table("resource_use", "segment,resource,use\ns1,land,1\ns2,land,1")
    assert _findings(micro) == [
        "The targets need 20 ha of resource 'land' in all, but the regions have only 15: "
        "a shortfall of 5."]


def test_segment_no_region_can_host(micro):
    micro.table("infrastructure_requirements", "segment,infrastructure,level\ns2,port,1")
    micro.table("infrastructure_levels", "region,infrastructure,level\na,rail,1")
    assert _findings(micro) == [
        "No region can host segment s2 (Downstream): 3 regions: needs port level 1 but has 0."]


def test_reach_strands_every_user(micro):
    micro.table("links", "supplier,user,reach,intensity\ns1,s2,50,")
    micro.table("policy", "region,segment,rule,note\nb,s1,forbid,\nc,s1,forbid,\na,s2,forbid,")
    found = _findings(micro)
    assert len(found) == 1 and found[0].startswith("No region can host segment s2")
    assert "no region that can host its supplier s1 lies within reach (50)" in found[0]


def test_must_where_not_allowed(micro):
    micro.table("infrastructure_requirements", "segment,infrastructure,level\ns1,port,1")
    micro.table("infrastructure_levels", "region,infrastructure,level\nb,port,1")
    micro.table("policy", "region,segment,rule,note\na,s1,must,")
    assert _findings(micro) == [
        "Policy says a must host s1 (Upstream), but needs port level 1 but has 0."]


def test_musts_over_caps(micro):
    micro.table("policy", "region,segment,rule,note\na,s1,must,\nb,s1,must,\na,s2,must,")
    micro.table("segments", """
segment,chain,name,stage,target_min,target_max,min_scale,value_added_rate,weight,max_hosts
s1,c1,,,10,10,0,0.5,1,1
s2,c1,,,10,10,0,0.5,1,
""")
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,1,,
b,,,1,0,,,
c,,,2,0,,,
""")
    assert _findings(micro) == [
        "Policy requires 2 hosts of s1, but at most 1 are allowed (max_hosts).",
        "Policy requires a to host 2 segments, but its max_segments is 1."]


def test_change_budget_below_forced_changes(micro):
    micro.table("current_layout", "region,segment,output\na,s1,10\nb,s2,10")
    micro.table("policy", "region,segment,rule,note\na,s1,forbid,\nc,s2,must,")
    micro.settings(policy={"benefit_sharing": False, "change_budget": 1})
    assert _findings(micro) == [
        "The change budget allows 1 changes, but 2 are forced: 1 current hosts can no longer "
        "host (e.g. a / s1: policy forbids it) and 1 must-host pairs are new."]
