"""Lagging regions, as designated in `lagging_regions`: read once for the families that treat
them apart (their loss floor in benefit_sharing.py, their least gain in min_gain.py)."""

from __future__ import annotations

import math

from optimizer.model.data import ModelData


def lagging_regions(data: ModelData) -> dict[str, dict]:
    """Region -> its row (min_gain, max_loss_share, note); read once per model."""
    if "_lagging" not in data.__dict__:
        table = data.instance.tables["lagging_regions"]
        data.__dict__["_lagging"] = table.set_index("region").drop(
            columns="_row", errors="ignore").to_dict("index")
    return data.__dict__["_lagging"]


def lagging_loss_share(data: ModelData, region: str) -> float | None:
    """The designated loss share of a lagging region (0 unless given), else None."""
    row = lagging_regions(data).get(region)
    if row is None:
        return None
    share = row["max_loss_share"]
    return 0.0 if share is None or math.isnan(share) else float(share)
