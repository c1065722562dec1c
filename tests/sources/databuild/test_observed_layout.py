"""Today's layout in the shipped city instances rests on observed presence wherever there is any."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.instance import load_instance
from optimizer.sources.databuild import evidence, regions


@pytest.mark.parametrize("name", ["yangtze_delta", "jing_jin_ji", "national"])
def test_population_only_where_the_province_has_no_evidence(raw: Path, built: Path,
                                                             name: str) -> None:
    inst = load_instance(built / name)
    cur = inst.tables["current_layout"]
    assert set(cur["basis"]) <= {"evidence", "population"}, "every row states its basis"
    cities = regions.city_regions(raw).set_index("region")
    for segment, rows in cur[cur["basis"] == "population"].groupby("segment"):
        provinces = set(cities.loc[rows["region"], "province_code"])
        members = cities[cities["province_code"].isin(provinces)
                         & cities.index.isin(eligible(inst, segment))].reset_index()
        zones, firms = evidence.region_evidence(raw, members, segment)
        assert zones.sum() + firms.sum() == 0, f"{segment} has evidence in {provinces}"


def eligible(inst, segment: str) -> set[str]:
    """Regions meeting every infrastructure requirement of the segment."""
    lv = inst.tables["infrastructure_levels"]
    has = {(r, i): v for r, i, v in zip(lv["region"], lv["infrastructure"], lv["level"],
                                        strict=True)}
    req = inst.tables["infrastructure_requirements"]
    req = req[req["segment"] == segment]
    return {r for r in inst.regions
            if all(has.get((r, i), 0) >= v for i, v in zip(req["infrastructure"],
                                                          req["level"], strict=True))}

def test_the_yangtze_delta_rests_mostly_on_evidence(built: Path) -> None:
    cur = load_instance(built / "yangtze_delta").tables["current_layout"]
    share = cur.loc[cur["basis"] == "evidence", "output"].sum() / cur["output"].sum()
    assert share > 0.95
