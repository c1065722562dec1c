"""`bench seeds`: the share of output two solves place in different cities."""

from __future__ import annotations

import json

import pytest

from optimizer.bench.seeds import moved_share
from optimizer.cli.main import main


def test_moved_share_by_hand():
    # 3 of a's s1 go to b: 3 moved out of 20
    a = {("a", "s1"): 10.0, ("b", "s1"): 10.0}
    b = {("a", "s1"): 7.0, ("b", "s1"): 13.0}
    assert moved_share(a, b) == pytest.approx((3.0, 0.15))
    assert moved_share(a, a) == (0.0, 0.0)


def test_seeds_command_runs(capsys):
    assert main(["bench", "seeds", "--instances", "tutorial", "--seeds", "1,2", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert [r["seed"] for r in row["runs"]] == [1, 2]
    assert all(r["status"] == "optimal" for r in row["runs"])
    assert 0 <= row["moved_share"] <= 1 and row["total_output"] > 0


def test_one_seed_is_refused(capsys):
    assert main(["bench", "seeds", "--instances", "tutorial", "--seeds", "1"]) == 2
