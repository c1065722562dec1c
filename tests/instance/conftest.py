"""Shared pieces for the instance tests: a copy of the tutorial to break, and its problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.errors import InstanceError
from optimizer.instance import load_instance
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"


def problems(folder: Path) -> list[str]:
    """Every problem loading `folder` reports, as the user reads them."""
    with pytest.raises(InstanceError) as err:
        load_instance(folder)
    return [str(p) for p in err.value.problems]


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TUTORIAL, tmp_path / "tutorial"))
