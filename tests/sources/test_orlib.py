"""OR-Library files read, refused when malformed, and written as instances of the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from optimizer.sources.orlib import (
    MIP_GAP,
    CapProblem,
    OrLibFormatError,
    cap_instance,
    gap_instance,
    read_cap,
    read_gap,
)

GAP_TEXT = """2
2 3
1 2 3
4 5 6
2 1 1
1 2 2
3 2
1 2
7 9
2 3
4
"""

CAP_TEXT = """2 3
10 100.
 8 50.
4 40. 80.
2 10 20
6 60 30.0
"""


def test_read_gap_hand_written(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(GAP_TEXT)
    first, second = read_gap(path)
    assert (first.name, second.name) == ("c23-1", "c12-2")
    np.testing.assert_array_equal(first.cost, [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(first.use, [[2, 1, 1], [1, 2, 2]])
    np.testing.assert_array_equal(first.capacity, [3, 2])
    np.testing.assert_array_equal(second.cost, [[7, 9]])
    np.testing.assert_array_equal(second.use, [[2, 3]])
    np.testing.assert_array_equal(second.capacity, [4])


def test_read_cap_hand_written(tmp_path: Path) -> None:
    path = tmp_path / "capx.txt"
    path.write_text(CAP_TEXT)
    p = read_cap(path)
    assert p.name == "capx"
    np.testing.assert_array_equal(p.capacity, [10, 8])
    np.testing.assert_array_equal(p.fixed_cost, [100, 50])
    np.testing.assert_array_equal(p.demand, [4, 2, 6])
    np.testing.assert_array_equal(p.cost, [[40, 10, 60], [80, 20, 30]])


@pytest.mark.parametrize(("text", "message"), [
    ("1 1\ncapacity 5\n3 7\n", "is not a number"),
    (GAP_TEXT.rsplit("\n", 2)[0], "ends while reading"),
    (GAP_TEXT + "1\n", "left over"),
])
def test_readers_reject_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    reader = read_cap if "capacity" in text else read_gap
    with pytest.raises(OrLibFormatError, match=message):
        reader(path)


def test_a_gap_becomes_an_instance_that_optimises_cost_alone_exactly(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(GAP_TEXT)
    instance = gap_instance(read_gap(path)[0], maximize=True)
    settings = instance.settings
    assert settings.objective_mode == "weighted" and settings.mip_gap == MIP_GAP == 0.0
    assert {t: w for t, w in settings.weights.items() if w} == {"cost": 1.0}
    assert instance.regions == ["agent_1", "agent_2"]
    costs = instance.tables["costs"].set_index(["region", "segment"])["unit_cost"]
    assert costs[("agent_2", "job_3")] == -6  # maximised: the cost is negated


def test_capacities_switch_off_as_a_policy() -> None:
    problem = CapProblem("capx", np.array([10.0, 8.0]), np.array([100.0, 50.0]),
                         np.array([4.0, 0.0]), np.array([[40.0, 10.0], [80.0, 20.0]]))
    assert cap_instance(problem).settings.policy["resources"] is True
    open_ = cap_instance(problem, capacitated=False)
    assert open_.settings.policy["resources"] is False
    assert open_.segments == ["customer_1"]  # no demand, no segment
