"""Shared fixtures: tiny instances written in the instance format itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from optimizer.instance import load_instance
from optimizer.results import Results
from optimizer.solve.run import optimise

# the tutorial, scenario files and one shared sweep, used by what-if, report and CLI tests
pytest_plugins = ["tests.scenario_fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


class Micro:
    """A copy of tests/fixtures/micro that a test reshapes table by table."""

    def __init__(self, folder: Path):
        self.folder = folder

    def table(self, name: str, csv: str) -> Micro:
        (self.folder / f"{name}.csv").write_text(csv.strip() + "\n", encoding="utf-8")
        return self

    def settings(self, **changes) -> Micro:
        path = self.folder / "instance.yaml"
        data = yaml.safe_load(path.read_text())
        for key, value in changes.items():
            section, _, leaf = key.partition("__")
            if leaf:
                data.setdefault(section, {})[leaf] = value
            else:
                data[section] = value
        path.write_text(yaml.safe_dump(data))
        return self

    def solve(self) -> Results:
        return optimise(load_instance(self.folder))


@pytest.fixture
def micro(tmp_path: Path) -> Micro:
    folder = tmp_path / "micro"
    shutil.copytree(FIXTURES / "micro", folder)
    return Micro(folder)


def output(results: Results, region: str, segment: str) -> float:
    return round(results.layout.get((region, segment), 0.0), 6)


def hosts(results: Results, segment: str) -> list[str]:
    return sorted(r for r, s in results.layout if s == segment)
