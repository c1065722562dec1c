"""What the shipped instances must say about the places they describe."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.instance import load_instance


def _tables(built: Path, name: str) -> dict[str, pd.DataFrame]:
    return load_instance(built / name).tables


@pytest.mark.parametrize(("name", "count"), [("yangtze_delta", 41), ("jing_jin_ji", 13),
                                             ("provinces", 31)])
def test_region_counts(built: Path, name: str, count: int) -> None:
    assert len(_tables(built, name)["regions"]) == count


def test_national_covers_the_prefecture_level_units(built: Path) -> None:
    assert 340 <= len(_tables(built, "national")["regions"]) <= 369


def test_six_chains_of_four_to_eight_segments(built: Path) -> None:
    seg = _tables(built, "yangtze_delta")["segments"]
    sizes = seg.groupby("chain").size()
    assert len(sizes) >= 6 and sizes.between(4, 8).all()


def test_current_layout_is_sparse_and_duplicated(built: Path) -> None:
    t = _tables(built, "yangtze_delta")
    cur = t["current_layout"].merge(t["segments"], on="segment")
    assert (cur["output"] >= cur["min_scale"] - 1e-6).all(), "no host below its minimum scale"
    hosts = cur.groupby("segment").size()
    assert hosts.min() >= 2, "every segment is duplicated today"
    assert len(cur) < 0.5 * len(t["regions"]) * len(t["segments"]), "layout is sparse"


@pytest.mark.parametrize("name", ["yangtze_delta", "jing_jin_ji", "provinces", "national"])
def test_today_fits_talent_and_co2(built: Path, name: str) -> None:
    """Capacities start from today's use, so the current layout is within every limit
    except land (an area-based endowment) -- which it also fits."""
    t = _tables(built, name)
    cur = t["current_layout"]
    for avail, use, col in (("talent_availability", "talent_use", "talent"),
                            ("resource_availability", "resource_use", "resource")):
        need = cur.merge(t[use], on="segment")
        need = (need["output"] * need["use"]).groupby([need["region"], need[col]]).sum()
        have = t[avail].set_index(["region", col])["available"]
        ratio = need / have.reindex(need.index)
        assert (ratio <= 1.0 + 1e-6).all(), ratio[ratio > 1].head().to_dict()


def test_targets_add_to_national_output(built: Path) -> None:
    """The 31 provinces hold all of each segment's national output; cities of the nation too."""
    prov = _tables(built, "provinces")["segments"].set_index("segment")["target_min"]
    nat = _tables(built, "national")["segments"].set_index("segment")["target_min"]
    assert (prov - nat).abs().max() < 0.02
