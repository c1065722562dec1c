"""A run with a partnership and a lagging region writes their tables and report sections."""

import pandas as pd
import pytest

from optimizer.report.single import html_report, read_solve_folder
from optimizer.report.text import write_results


def test_tables_and_sections(micro, tmp_path):
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,,,0,0,,,0
b,,,1,0,,,
c,,,2,0,,,
""")
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\na,s1,1,,\n"
                "b,s2,1,,\nc,s2,1,,")
    micro.table("partnerships", "leader,partner,credit_share,note\na,b,1,co-built park")
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nb,4,,")
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 10, "cost": 1, "compensation": 3}})
    results = micro.solve()
    out = tmp_path / "run"
    write_results(results, out)
    # s1 moves to b (b gains 5, its least gain 4); all of b's new value added is a's credit
    partnerships = pd.read_csv(out / "partnerships.csv")
    assert partnerships.loc[0, "moved_segments"] == "s1 (10)"
    assert partnerships.loc[0, "credited_to_leader"] == pytest.approx(5)
    lagging = pd.read_csv(out / "lagging_regions.csv").set_index("region")
    assert lagging.loc["b", "gain"] == pytest.approx(5)
    regions = pd.read_csv(out / "regions.csv").set_index("region")
    assert bool(regions.loc["b", "lagging"]) and not bool(regions.loc["a", "lagging"])
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Concentration, current against optimised", "## Lagging regions",
                    '## "1+N" partnerships'):
        assert heading in report
    page = html_report(read_solve_folder(out))
    assert "1+N" in page and "HHI of output across regions" in page
