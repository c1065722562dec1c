"""Scenario tests change the tutorial as loaded; helpers to apply a scenario written inline."""

from __future__ import annotations

import pytest

from optimizer.errors import InstanceError
from optimizer.instance import Instance, load_instance
from optimizer.instance.scenarios import apply_scenario
from tests.scenario_fixtures import TUTORIAL


@pytest.fixture(scope="session")
def tutorial() -> Instance:
    """The tutorial instance itself (tests/instance/conftest.py gives a folder copy)."""
    return load_instance(TUTORIAL)


def apply(tutorial, write_yaml, text: str, name: str = "s"):
    """The tutorial with scenario `name` of `text` applied."""
    return apply_scenario(tutorial, name, write_yaml(text))


def value(instance, table: str, column: str, **where):
    """The one cell of `column` in the row matching `where`."""
    frame = instance.tables[table]
    for key, val in where.items():
        frame = frame[frame[key] == val]
    assert len(frame) == 1, f"{len(frame)} rows match {where}"
    return frame[column].iloc[0]


def refused(tutorial, write_yaml, text: str, name: str = "s") -> list:
    """The problems applying scenario `name` of `text` raises."""
    with pytest.raises(InstanceError) as info:
        apply(tutorial, write_yaml, text, name)
    return info.value.problems
