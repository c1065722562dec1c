"""Fixtures for the data build: the raw data folder, and every instance built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.sources.databuild import SPECS, build_instances

REPO = Path(__file__).resolve().parents[3]
RAW = REPO.parent / "shared" / "data" / "raw"
SHIPPED = REPO / "instances"
NAMES = [s.name for s in SPECS]


@pytest.fixture(scope="session")
def raw() -> Path:
    if not (RAW / "SOURCES.md").is_file():
        pytest.skip(f"raw data not found at {RAW}: the instances cannot be rebuilt here")
    return RAW


@pytest.fixture(scope="session")
def built(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All shipped instances, rebuilt from the raw data into a temporary folder."""
    out = tmp_path_factory.mktemp("instances")
    build_instances(raw, out)
    return out
