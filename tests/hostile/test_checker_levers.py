"""The independent checker sees the least shares and least gains of the tutorial."""

import pandas as pd

from optimizer.instance import load_instance
from tests.conftest import REPO
from tests.hostile.checker import _polarisation

TUTORIAL = REPO / "instances" / "tutorial"


def test_checker_flags_a_broken_share_and_gain():
    inst = load_instance(TUTORIAL)  # its areas.csv: delta = portcity, rivertown
    inst.tables["min_shares"] = pd.DataFrame({"region": ["", ""], "group": ["East", "delta"],
                                              "chain": ["ev", ""], "min_share": [0.5, 0.3]})
    inst.tables["lagging_regions"] = pd.DataFrame({"region": ["hillside"], "min_gain": [10.0]})
    # all of the EV chain in harbourbay (South), nothing in hillside: East keeps 0 of ev,
    # the delta 0 of value added, and hillside gains 0 - 108 < 10
    layout = {("harbourbay", s): 100.0 for s in inst.segments}
    found = _polarisation(inst, layout)
    assert any(f.startswith("East below its least share of ev") for f in found), found
    assert any(f.startswith("delta below its least share of value added") for f in found)
    assert any(f.startswith("lagging hillside gains less than 10") for f in found)
    today = inst.current_output()
    assert not any("East" in f for f in _polarisation(inst, today))  # 1,100 of 2,000 today
