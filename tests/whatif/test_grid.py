"""Sweep grids: every combination of the values, with `$value` filled in."""

from __future__ import annotations

import pytest

from optimizer.errors import InstanceError
from optimizer.whatif.grid import grid_points, read_grid


def test_grid_points_fill_in_each_value(write_yaml):
    path = write_yaml("""\
budget:
  values: [2, 4]
  policy: {change_budget: $value}
engineers:
  values: [1, 2]
  scale: {table: talent_availability, where: {talent: engineers}, column: available,
          by: $value}
""", "grid.yaml")
    points = grid_points(read_grid(path))
    assert [p.label for p in points] == ["budget=2+engineers=1", "budget=2+engineers=2",
                                         "budget=4+engineers=1", "budget=4+engineers=2"]
    assert points[3].overrides[0].spec == {"change_budget": 4}
    assert points[3].overrides[1].spec["by"] == 2


def test_grid_without_placeholder_is_refused(write_yaml):
    path = write_yaml("budget:\n  values: [1, 2]\n  policy: {change_budget: 3}\n", "grid.yaml")
    with pytest.raises(InstanceError, match=r"no override uses \$value"):
        read_grid(path)
