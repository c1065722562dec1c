"""YAML a hostile user could write, in instance.yaml, scenarios and grids (class 9 of issue 9).

Each ends in exit 2 naming the file and line, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from optimizer.cli.main import main
from optimizer.errors import InstanceError
from optimizer.instance import load_instance
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"
LAUGHS = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                   + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]"
                      for p, n in zip("abcdefgh", "bcdefghi", strict=True)]) + "\n"
HOSTILE = {
    "billion_laughs": (LAUGHS, "expands to more than"),
    "duplicate_key": ("name: one\nname: two\n", "written twice (first at line 1)"),
    "python_tag": ("name: !!python/object/apply:os.system ['true']\n", "the tag"),
    "binary_tag": ("name: !!binary aGVsbG8=\n", "the tag 'tag:yaml.org,2002:binary'"),
    "set_tag": ("name: !!set {a, b}\n", "the tag 'tag:yaml.org,2002:set'"),
    "custom_tag": ("name: !mine x\n", "the tag '!mine'"),
    "nul_escape": ('name: "x\\0y"\n', "control character '\\x00'"),
    "raw_nul": ("name: x\0y\n", "not valid YAML"),
    "deep": ("name: " + "[" * 3000 + "]" * 3000 + "\n", "not valid YAML"),
    "bad_int_tag": ("name: !!int abc\n", "not valid YAML"),
    "huge": ("name: x\ndescription: '" + "x" * (3 * 2**20) + "'\n", "are refused"),
}


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TUTORIAL, tmp_path / "tutorial"))


def _exit_and_error(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_instance_yaml(tutorial, case, capsys):
    text, expect = HOSTILE[case]
    (tutorial / "instance.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    code, err = _exit_and_error(["validate", str(tutorial)], capsys)
    assert time.perf_counter() - start < 30
    assert code == 2 and "Traceback" not in err
    assert "instance.yaml" in err and expect in err, err


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_scenario_file(tutorial, case, capsys):
    text, expect = HOSTILE[case]
    scenarios = tutorial / "mine.yaml"
    scenarios.write_text(text.replace("name:", "s:", 1), encoding="utf-8")
    code, err = _exit_and_error(["solve", str(tutorial), "--scenario", "s", "--scenarios-file",
                                 str(scenarios), "--out", str(tutorial.parent / "out")], capsys)
    assert code == 2 and "Traceback" not in err and "mine.yaml" in err, err
    assert not (tutorial.parent / "out").exists()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_grid_file(tutorial, case, capsys):
    text, _ = HOSTILE[case]
    grid = tutorial.parent / "grid.yaml"
    grid.write_text(text.replace("name:", "budget:", 1), encoding="utf-8")
    code, err = _exit_and_error(["sweep", str(tutorial), "--grid", str(grid), "--out",
                                 str(tutorial.parent / "sweep"), "--quiet"], capsys)
    assert code == 2 and "Traceback" not in err and "grid.yaml" in err, err


def test_nested_duplicate_key_in_a_scenario(tutorial):
    from optimizer.instance.scenarios import read_scenarios

    path = tutorial / "scenarios.yaml"
    path.write_text("s:\n  scale: {table: talent_availability, column: available, by: 2, "
                    "by: 3}\n")
    with pytest.raises(InstanceError) as err:
        read_scenarios(path)
    assert "column 'by': is written twice" in str(err.value)


def test_dates_stay_text(tutorial):
    """A date is read as the text it is: a name, or a number cell that refuses it."""
    path = tutorial / "instance.yaml"
    path.write_text(path.read_text().replace("name: tutorial", "name: 2024-01-01"))
    assert load_instance(tutorial).name == "2024-01-01"
    (tutorial / "scenarios.yaml").write_text(
        "s:\n  set: {table: segments, column: target_min, to: 2024-01-01}\n"
        "units:\n  settings: {units.output: 2024-01-01}\n")
    from optimizer.instance.scenarios import apply_scenario

    with pytest.raises(InstanceError) as err:
        apply_scenario(load_instance(tutorial), "s")
    assert "'2024-01-01'; expected a finite number" in str(err.value)
    changed = apply_scenario(load_instance(tutorial), "units")
    assert changed.settings.units["output"] == "2024-01-01"
