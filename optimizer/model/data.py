"""What the constraint families read: eligible pairs, tight bounds, distances, neighbourhoods.

Pairs that can never host (forbidden, infrastructure too low, too little resource or talent
for the minimum scale, no supplier in reach) get no variables at all; each keeps the reason,
so that an impossible instance can be explained in the planner's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from optimizer.instance import Instance
from optimizer.instance.geometry import great_circle_km
from optimizer.model.infrastructure import infrastructure_shortfalls

Pair = tuple[str, str]  # (region, segment)
EPS = 1e-9


@dataclass(frozen=True)
class Pruning:
    """Which limits the model enforces without rows of their own, which keeps it small and its
    big-M tight. The explanation of an impossible instance (optimizer/solve/explain.py) needs
    every limit as a row it can relax, so it prepares with KEEP_EVERY_ROW."""

    capacity_bounds: bool  # resources and talent tighten M_rs; a pair that cannot reach its
    #                        minimum scale on one stock gets no variables
    unsupplied_pairs: bool  # a user pair with no possible supplier in reach gets no variables
    implied_rows: bool  # capacity rows with one possible user (its M_rs enforces them) and
    #                     reach rows that completeness implies are left out


PRUNE = Pruning(capacity_bounds=True, unsupplied_pairs=True, implied_rows=True)
KEEP_EVERY_ROW = Pruning(capacity_bounds=False, unsupplied_pairs=False, implied_rows=False)


@dataclass
class Capacity:
    """One resource or talent row: region r has `available` of `kind`, used by segments."""

    region: str
    kind: str
    available: float
    use: dict[str, float]  # segment -> use per unit of output


@dataclass
class ModelData:
    instance: Instance
    regions: list[str]
    segments: list[str]
    chain_of: dict[str, str]
    segment: dict[str, dict]  # segment -> its row (target_min, target_max, min_scale, ...)
    region: dict[str, dict]  # region -> its row (max_segments, max_chains, max_loss_share)
    current: dict[Pair, float]
    must: set[Pair]
    eligible: list[Pair] = field(default_factory=list)
    upper: dict[Pair, float] = field(default_factory=dict)  # tight M_rs
    excluded: dict[Pair, str] = field(default_factory=dict)  # why a pair cannot host
    resources: list[Capacity] = field(default_factory=list)
    talent: list[Capacity] = field(default_factory=list)
    links: list[tuple[str, str, float, float]] = field(default_factory=list)  # s, t, reach, a
    suppliers: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    # (s, t) -> (users of t, possible hosts of s, mask[user, host]: host within reach)
    reach_masks: dict[tuple[str, str], tuple[list[str], list[str], np.ndarray]] = field(
        default_factory=dict)
    distance: np.ndarray | None = None
    region_index: dict[str, int] = field(default_factory=dict)
    pruning: Pruning = PRUNE

    @property
    def policy(self) -> dict:
        return self.instance.settings.policy

    def eligible_regions(self, segment: str) -> list[str]:
        return self._by_segment.get(segment, [])

    def eligible_segments(self, region: str) -> list[str]:
        return self._by_region.get(region, [])

    def is_eligible(self, pair: Pair) -> bool:
        return pair in self._eligible_set

    def index(self) -> None:
        self._eligible_set = set(self.eligible)
        self._by_segment: dict[str, list[str]] = {}
        self._by_region: dict[str, list[str]] = {}
        for r, s in self.eligible:
            self._by_segment.setdefault(s, []).append(r)
            self._by_region.setdefault(r, []).append(s)

    def dist(self, a: str, b: str) -> float:
        assert self.distance is not None
        return float(self.distance[self.region_index[a], self.region_index[b]])


def prepare(instance: Instance, pruning: Pruning = PRUNE) -> ModelData:
    """Derive everything the model needs from a validated instance, pruned as `pruning` says."""
    t = instance.tables
    policy_rows = t["policy"]
    data = ModelData(
        instance=instance,
        regions=instance.regions,
        segments=instance.segments,
        chain_of=instance.chain_of(),
        segment=t["segments"].set_index("segment").to_dict("index"),
        region=t["regions"].set_index("region").to_dict("index"),
        current=instance.current_output(),
        must={(r, s) for r, s, rule in zip(policy_rows["region"], policy_rows["segment"],
                                           policy_rows["rule"], strict=True) if rule == "must"}
        | set(protected_shares(t)),
        pruning=pruning,
    )
    data.region_index = {r: i for i, r in enumerate(data.regions)}
    data.resources = _capacities(t["resource_availability"], t["resource_use"], "resource",
                                 data.regions)
    data.talent = _capacities(t["talent_availability"], t["talent_use"], "talent", data.regions)
    data.links = [(s, u, reach, a) for s, u, reach, a in
                  zip(t["links"]["supplier"], t["links"]["user"], t["links"]["reach"],
                      t["links"]["intensity"], strict=True)]
    if any(reach < math.inf for _, _, reach, _ in data.links) or data.policy["flows"]:
        data.distance = distance_matrix(instance, data.regions)
    _exclude_impossible_pairs(data, policy_rows)
    return data


def protected_shares(tables: dict) -> dict[Pair, float]:
    """(region, segment) -> least share of today's output a protected host keeps; each such
    host is also a `must` (model/change.py adds the share)."""
    t = tables["protected_hosts"]
    return dict(zip(zip(t["region"], t["segment"], strict=True), t["min_share"], strict=True))


def _capacities(availability, use, column: str, regions: list[str]) -> list[Capacity]:
    """One Capacity per (region, kind) that some segment uses; missing availability is zero."""
    use_by_kind: dict[str, dict[str, float]] = {}
    for s, k, u in zip(use["segment"], use[column], use["use"], strict=True):
        if u > 0:
            use_by_kind.setdefault(k, {})[s] = u
    have = {(r, k): a for r, k, a in zip(availability["region"], availability[column],
                                         availability["available"], strict=True)}
    return [Capacity(r, k, have.get((r, k), 0.0), users)
            for k, users in use_by_kind.items() for r in regions]


def distance_matrix(instance: Instance, regions: list[str]) -> np.ndarray:
    """Great-circle km between centroids, overridden by the distances table."""
    reg = instance.tables["regions"].set_index("region").loc[regions]
    dist = great_circle_km(reg["lon"].to_numpy(float), reg["lat"].to_numpy(float))
    index = {r: i for i, r in enumerate(regions)}
    d = instance.tables["distances"]
    for a, b, km in zip(d["region_from"], d["region_to"], d["distance"], strict=True):
        dist[index[a], index[b]] = dist[index[b], index[a]] = km
    np.fill_diagonal(dist, 0.0)
    return dist


def _exclude_impossible_pairs(data: ModelData, policy_rows) -> None:
    excluded = data.excluded
    for r, s, rule in zip(policy_rows["region"], policy_rows["segment"], policy_rows["rule"],
                          strict=True):
        if rule == "forbid":
            excluded[(r, s)] = "policy forbids it"
    if data.policy["infrastructure"]:
        for pair, reason in infrastructure_shortfalls(data.instance).items():
            excluded.setdefault(pair, reason)
    bounds = _upper_bounds(data)
    for pair, (bound, reason) in bounds.items():
        if pair in excluded:
            continue
        m = data.segment[pair[1]]["min_scale"]
        if bound < max(m, EPS):
            excluded[pair] = str(reason) + (f", below the minimum scale {m:g}" if m > 0 else "")
        else:
            data.upper[pair] = bound
    data.eligible = [p for p in data.upper if p not in excluded]
    data.index()
    if data.links and data.policy["supplier_reach"] and data.pruning.unsupplied_pairs:
        _exclude_unsupplied(data)
    else:
        _collect_suppliers(data)


class _Reason:
    """Why a bound is what it is; worded only when a pair is excluded (most never are)."""

    __slots__ = ("cap", "segment", "value")

    def __init__(self, segment: str, value: float, cap: Capacity | None = None):
        self.segment, self.value, self.cap = segment, value, cap

    def __str__(self) -> str:
        if self.cap is None:
            return f"the target of {self.segment} is at most {self.value:g}"
        return (f"its {self.cap.kind} ({self.cap.available:g}) supports at most "
                f"{self.value:g} output of {self.segment}")


def _upper_bounds(data: ModelData) -> dict[Pair, tuple[float, _Reason]]:
    """M_rs: the least of the target and what each resource and talent row allows."""
    targets = {s: (data.segment[s]["target_max"],
                   _Reason(s, data.segment[s]["target_max"])) for s in data.segments}
    bounds = {(r, s): targets[s] for r in data.regions for s in data.segments}
    rows = (data.resources if data.policy["resources"] else []) + (
        data.talent if data.policy["talent"] else []) if data.pruning.capacity_bounds else []
    for cap in rows:
        for s, u in cap.use.items():
            allowed = cap.available / u
            if allowed < bounds[(cap.region, s)][0]:
                bounds[(cap.region, s)] = (allowed, _Reason(s, allowed, cap))
    return bounds


def _exclude_unsupplied(data: ModelData) -> None:
    """Drop user hosts with no eligible supplier in reach, until nothing changes."""
    while True:
        _collect_suppliers(data)
        dropped = False
        for (s, t, r), near in data.suppliers.items():
            if not near and (r, t) not in data.excluded:
                reach = next(d for a, b, d, _ in data.links if (a, b) == (s, t))
                data.excluded[(r, t)] = (f"no region that can host its supplier {s} lies within "
                                         f"reach ({reach:g})")
                dropped = True
        if not dropped:
            return
        data.eligible = [p for p in data.eligible if p not in data.excluded]
        data.index()


def _collect_suppliers(data: ModelData) -> None:
    """For each link s -> t and each region r able to host t: the suppliers of s in reach.

    Computed per link as one boolean matrix (users of t x possible hosts of s), kept in
    `reach_masks` for builders that work on arrays, and spelled out as lists in `suppliers`.
    """
    data.suppliers = {}
    data.reach_masks = {}
    for s, t, reach, _ in data.links:
        hosts_s = data.eligible_regions(s)
        users = data.eligible_regions(t)
        if math.isinf(reach) or not users or not hosts_s:
            mask = np.ones((len(users), len(hosts_s)), dtype=bool)
        else:
            rows = [data.region_index[r] for r in users]
            cols = [data.region_index[q] for q in hosts_s]
            mask = data.distance[np.ix_(rows, cols)] <= reach + EPS
        data.reach_masks[(s, t)] = (users, hosts_s, mask)
        names = np.array(hosts_s, dtype=object)
        for r, near in zip(users, mask, strict=True):
            data.suppliers[(s, t, r)] = hosts_s if near.all() else names[near].tolist()
