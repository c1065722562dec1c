"""The instance: settings and tables, loaded, validated and ready for the model."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from optimizer.errors import InstanceError, Problem
from optimizer.instance.geometry import read_geometry
from optimizer.instance.schema import Settings
from optimizer.instance.settings import SETTINGS_FILE, parse_settings, read_settings
from optimizer.instance.tables import ROW, read_tables, type_tables
from optimizer.instance.validate import check_instance

__all__ = ["Instance", "instance_from_frames", "load_instance"]


@dataclass
class Instance:
    """A validated instance. Tables are typed DataFrames in the schema's columns."""

    settings: Settings
    tables: dict[str, pd.DataFrame]
    folder: Path | None = None
    content_hash: str = ""
    # region -> polygons (rings of (lon, lat), exterior first) from regions.geojson, or None
    geometry: dict[str, list[list[list[tuple[float, float]]]]] | None = None

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def regions(self) -> list[str]:
        return self.tables["regions"]["region"].tolist()

    @property
    def segments(self) -> list[str]:
        return self.tables["segments"]["segment"].tolist()

    @property
    def chains(self) -> list[str]:
        return self.tables["chains"]["chain"].tolist()

    def chain_of(self) -> dict[str, str]:
        seg = self.tables["segments"]
        return dict(zip(seg["segment"], seg["chain"], strict=True))

    def current_output(self) -> dict[tuple[str, str], float]:
        cur = self.tables["current_layout"]
        return {(r, s): q for r, s, q in zip(cur["region"], cur["segment"], cur["output"],
                                             strict=True) if q > 0}


def load_instance(folder: str | Path) -> Instance:
    """Load and validate an instance folder; raise InstanceError listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InstanceError([Problem(str(folder), None, None,
                                     "is not a folder; give the instance folder holding "
                                     f"{SETTINGS_FILE}")])
    problems: list[Problem] = []
    settings = read_settings(folder, problems)
    if settings is None:  # still check the tables: a YAML error must not hide theirs
        if any(p.suffix.lower() == ".csv" for p in folder.iterdir()):
            check_instance(None, read_tables(folder, None, problems), problems)
        raise InstanceError(problems)
    tables = read_tables(folder, settings.workbook, problems)
    check_instance(settings, tables, problems)
    geometry = None if problems else read_geometry(
        folder, tables["regions"]["region"].tolist(), problems)
    if problems:
        raise InstanceError(problems)
    return Instance(settings, tables, folder, _content_hash(folder, settings),
                    geometry=geometry)


def instance_from_frames(settings: dict, frames: dict[str, pd.DataFrame]) -> Instance:
    """Build an instance in memory (adapters, generators) through the same checks as files.

    `frames` maps table names to DataFrames with the schema's columns; values may be numbers
    or text, and absent tables are empty. The typed tables of another Instance round-trip:
    their row numbers are dropped and an unlimited reach goes back to a blank.
    """
    problems: list[Problem] = []
    parsed = parse_settings(settings, Path("."), problems)
    as_text = {name: _as_text(frame.drop(columns=[ROW], errors="ignore"))
               for name, frame in frames.items()}
    tables = type_tables(as_text, None, problems)
    check_instance(parsed, tables, problems)
    if problems:
        raise InstanceError(problems)
    return Instance(parsed, tables)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    blank = frame.isna() | frame.isin([math.inf])
    return frame.astype(object).where(~blank, "").astype(str)


def _content_hash(folder: Path, settings: Settings) -> str:
    """A hash of the files that make the instance, to tie results to their input."""
    digest = hashlib.sha256()
    names = [SETTINGS_FILE, settings.workbook] if settings.workbook else None
    files = sorted(folder.glob("*.csv")) if names is None else [folder / n for n in names]
    if names is None:
        files = [folder / SETTINGS_FILE, *files]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
