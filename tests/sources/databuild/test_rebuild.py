"""The shipped instances are exactly what the build makes from the raw data, and they load."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.instance import load_instance
from optimizer.model import prepare
from optimizer.sources.databuild import build_instances
from tests.sources.databuild.conftest import NAMES, SHIPPED


@pytest.mark.parametrize("name", NAMES)
def test_rebuild_is_byte_identical_to_shipped(built: Path, name: str) -> None:
    fresh, shipped = built / name, SHIPPED / name
    assert shipped.is_dir(), f"{shipped} is missing; run `python -m optimizer data build`"
    fresh_files = sorted(p.name for p in fresh.iterdir())
    missing = [f for f in fresh_files if not (shipped / f).is_file()]
    assert not missing, f"{name}: the shipped folder lacks {missing}"
    # other files (e.g. a scenarios.yaml written by hand) may sit beside the built ones, but a
    # table the build no longer makes would still be read by the loader
    stale = sorted(p.name for p in shipped.glob("*.csv") if not (fresh / p.name).exists())
    assert not stale, f"{name}: shipped tables the build does not make: {stale}"
    changed = [f for f in fresh_files if (fresh / f).read_bytes() != (shipped / f).read_bytes()]
    assert not changed, f"{name}: rebuilt files differ from the shipped ones: {changed}"


@pytest.mark.parametrize("name", NAMES)
def test_built_instance_loads_and_prepares(built: Path, name: str) -> None:
    inst = load_instance(built / name)
    assert inst.name == name
    data = prepare(inst)
    hosted = {s for _, s in data.eligible}
    assert hosted == set(inst.segments), "every segment must have some eligible region"


def test_build_is_deterministic(raw: Path, built: Path, tmp_path: Path) -> None:
    build_instances(raw, tmp_path, only=["jing_jin_ji"])
    for path in sorted((tmp_path / "jing_jin_ji").iterdir()):
        assert path.read_bytes() == (built / "jing_jin_ji" / path.name).read_bytes(), path.name


def test_only_rejects_unknown_names(raw: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown instance"):
        build_instances(raw, tmp_path, only=["atlantis"])


def test_only_builds_the_named_instance(raw: Path, tmp_path: Path) -> None:
    written = build_instances(raw, tmp_path, only=["jing_jin_ji"])
    assert written == [tmp_path / "jing_jin_ji"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jing_jin_ji"]
