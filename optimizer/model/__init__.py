"""The allocation MIP: what its families read (`prepare`, model/data.py) and how it is built
(`build_model`, `FAMILIES` and `declared_rows`, model/build.py).

model/build.py loads Pyomo and every family; it is imported when one of its names is first
asked for, so `validate`, which needs only `prepare`, starts without Pyomo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from optimizer.model.data import ModelData, prepare

if TYPE_CHECKING:
    from optimizer.model.build import FAMILIES, build_model, declared_rows

__all__ = ["FAMILIES", "ModelData", "build_model", "declared_rows", "prepare"]
BUILT = {"FAMILIES", "build_model", "declared_rows"}


def __getattr__(name: str):
    if name in BUILT:
        from optimizer.model import build

        return getattr(build, name)
    raise AttributeError(f"module 'optimizer.model' has no attribute {name!r}")
