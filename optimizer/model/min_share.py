"""Least shares against polarisation: a region, a group or an area keeps at least a share of a
chain's output, or of total value added (`min_shares`).

    sum_{r in A} sum_{s in chain} x[r, s]  >=  share * sum_r sum_{s in chain} x[r, s]
    sum_{r in A} VA[r]                     >=  share * sum_r VA[r]     (blank chain)

Both sides move with the allocation, so the limit stays a share however targets flex. Value
added here is what is produced in the area: the lever is about where production goes, and a
"1+N" credit (partnerships.py) only settles who is compensated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from optimizer.model.data import ModelData
from optimizer.model.family import Family, Gap, Lever, Relaxation, Row


@dataclass(frozen=True)
class MinShare:
    area: str  # the region or group named, for messages
    regions: tuple[str, ...]
    chain: str  # "" for total value added
    share: float

    @property
    def what(self) -> str:
        return f"{self.chain} output" if self.chain else "value added"


def min_share_rows(data: ModelData) -> list[MinShare]:
    t = data.instance.tables
    group = t["regions"].set_index("region")["group"]
    rows = []
    for region, grp, chain, share in zip(t["min_shares"]["region"], t["min_shares"]["group"],
                                         t["min_shares"]["chain"], t["min_shares"]["min_share"],
                                         strict=True):
        regions = (region,) if region else tuple(group.index[group == grp]) + tuple(
            t["areas"].loc[t["areas"]["area"] == grp, "region"])
        rows.append(MinShare(region or grp, regions, chain, float(share)))
    return rows


def _tell(gap: Gap, m: pyo.ConcreteModel, data: ModelData) -> str:
    row = min_share_rows(data)[gap.index[0]]
    return (f"{row.area} falls {gap.amount:,.4g} short of its least share ({row.share:g}) of "
            f"{row.what}")


MIN_SHARE = Row("min_share", "i", "`sum_{r in A} sum_{s in chain} output >= share sum_r sum_{s in "
                "chain} output`, or the same in value added",
                relax=Relaxation(Lever.SHARES, "output or value added", _tell))


def add_min_share(m: pyo.ConcreteModel, data: ModelData) -> None:
    rows = min_share_rows(data)

    def chain_output(regions, chain: str):
        return pyo.quicksum(m.output[r, s] for r in regions for s in data.eligible_segments(r)
                            if data.chain_of[s] == chain)

    def rule(m, i):
        row = rows[i]
        if row.share <= 0:
            return pyo.Constraint.Skip
        if row.chain:
            return chain_output(row.regions, row.chain) >= row.share * chain_output(
                data.regions, row.chain)
        total = pyo.quicksum(data.segment[s]["value_added_rate"] * m.output[r, s]
                             for r, s in m.PAIRS)
        return pyo.quicksum(data.segment[s]["value_added_rate"] * m.output[r, s]
                            for r in row.regions for s in data.eligible_segments(r)
                            ) >= row.share * total

    MIN_SHARE.add(m, range(len(rows)), rule)


def share_shortfalls(data: ModelData, layout: dict[tuple[str, str], float],
                     tolerance: float = 1e-6) -> list[str]:
    """Least shares the allocation misses, recomputed from it alone (verify.violations)."""
    found = []
    for row in min_share_rows(data):
        def amount(regions, row=row) -> float:
            return sum(q * (1.0 if row.chain else data.segment[s]["value_added_rate"])
                       for (r, s), q in layout.items()
                       if r in regions and (not row.chain or data.chain_of[s] == row.chain))

        mine, total = amount(set(row.regions)), amount(set(data.regions))
        if mine < row.share * total - tolerance * max(1.0, total):
            found.append(f"{row.area} has {mine:,.6g} of {total:,.6g} {row.what}, below its "
                         f"least share {row.share:g}")
    return found


FAMILY = Family("least shares", add_min_share, (MIN_SHARE,))
