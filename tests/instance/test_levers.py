"""The tables against polarisation: bad rows named by file, row and column; usable in
scenarios."""

from __future__ import annotations

import pytest

from optimizer.instance import load_instance
from optimizer.instance.scenarios import apply_scenario
from tests.conftest import REPO
from tests.instance.conftest import problems


@pytest.mark.parametrize(("table", "text", "expect"), [
    ("min_shares", "region,group,chain,min_share,note\nhillside,West,ev,0.1,",
     "min_shares.csv, row 2, column 'region': name either a region or a group"),
    ("min_shares", "region,group,chain,min_share,note\n,North,ev,0.1,",
     "min_shares.csv, row 2, column 'group': unknown group or area 'North'"),
    ("min_shares", "region,group,chain,min_share,note\nhillside,,ev,1.2,",
     "min_shares.csv, row 2, column 'min_share': is 1.2; expected at least 0 and at most 1"),
    ("min_shares", "region,group,chain,min_share,note\n,West,,0.1,\n,West,,0.2,",
     "min_shares.csv, row 3, column 'region': repeats the row 2"),
    ("areas", "area,region\nWest,portcity",
     "areas.csv, row 2, column 'area': 'West' is already a group"),
    ("partnerships", "leader,partner,credit_share,note\nportcity,portcity,0.5,",
     "partnerships.csv, row 2, column 'partner': region 'portcity' cannot be its own partner"),
    ("partnerships", "leader,partner,credit_share,note\nportcity,hillside,0.6,\n"
                     "rivertown,hillside,0.6,",
     "partnerships.csv, row 3, column 'credit_share': the shares of 'hillside'"),
    ("lagging_regions", "region,min_gain,max_loss_share,note\nnowhere,1,,",
     "lagging_regions.csv, row 2, column 'region': unknown region 'nowhere'"),
])
def test_bad_rows_are_named(tutorial, table, text, expect):
    (tutorial / f"{table}.csv").write_text(text + "\n", encoding="utf-8")
    found = problems(tutorial)
    assert any(p.startswith(expect) for p in found), found


def test_levers_in_a_scenario(tutorial):
    (tutorial / "scenarios.yaml").write_text("""\
levers:
  add_row:
    - {table: min_shares, row: {group: West, chain: ev, min_share: 0.2}}
    - {table: lagging_regions, row: {region: harbourbay, min_gain: 1}}
    - {table: partnerships, row: {leader: rivertown, partner: lakeview, credit_share: 0.5}}
""", encoding="utf-8")
    changed = apply_scenario(load_instance(tutorial), "levers")
    added = {name: changed.tables[name].iloc[len(load_instance(tutorial).tables[name]):]
             for name in ("min_shares", "lagging_regions", "partnerships")}
    assert added["min_shares"][["region", "group", "min_share"]].values.tolist() == [
        ["", "West", 0.2]]
    assert added["lagging_regions"][["region", "min_gain"]].values.tolist() == [
        ["harbourbay", 1.0]]
    assert added["partnerships"][["leader", "partner"]].values.tolist() == [
        ["rivertown", "lakeview"]]


def test_yangtze_delta_scenarios_apply_and_name_the_intended_cities():
    from optimizer.instance.scenarios import read_scenarios

    folder = REPO / "instances" / "yangtze_delta"
    base = load_instance(folder)
    for name in read_scenarios(folder / "scenarios.yaml"):
        assert apply_scenario(base, name).name == f"yangtze_delta+{name}"
    names = base.tables["regions"].set_index("region")["name"]
    north = apply_scenario(base, "north_jiangsu_share").tables["areas"]
    assert set(names[north["region"]]) == {"徐州市", "连云港市", "宿迁市", "淮安市", "盐城市"}
    partners = apply_scenario(base, "shanghai_anhui_1n").tables["partnerships"]
    assert set(partners["leader"]) == {"sh_310100"}
    assert set(base.tables["regions"].set_index("region").loc[partners["partner"], "group"]) \
        == {"anhui"}
    lagging = apply_scenario(base, "anhui_empty_cities_gain").tables["lagging_regions"]
    today = set(r for r, _ in base.current_output())
    anhui = base.tables["regions"].query("group == 'anhui'")["region"]
    assert set(lagging["region"]) == set(anhui) - today and len(lagging) == 5
