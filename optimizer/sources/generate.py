"""Seeded synthetic instances, from tutorial size to national stress size, for benchmarks.

The structure imitates what real data look like, so that solver and build timings mean
something: chains are segment DAGs running research -> materials -> components -> assembly ->
services with a few cross-chain links; regions sit in metropolitan clusters inside a
China-like lon/lat box; sizes, resources and talent are heavy-tailed; today's layout
duplicates popular segments across many regions.

Feasible by construction: a reference layout is drawn first (every segment's target split
over hosts that meet its infrastructure needs and have a supplier host within each link's
reach, widening a reach when none does), then every capacity, cap and policy row is set with
headroom over that layout. The same seed always gives the same tables.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from optimizer.cli.types import at_least_one
from optimizer.errors import UserError
from optimizer.instance.geometry import great_circle_km
from optimizer.instance.settings import settings_dict
from optimizer.instance.tables import table_frame
from optimizer.results.files import refuse_existing
from optimizer.sources.writer import write_instance

__all__ = ["GeneratedInstance", "add_generate_command", "generate", "parse_size"]

STAGES = ("research", "materials", "components", "assembly", "services")
# Metropolitan clusters: name, centroid lon, lat, spread (degrees), pull on regions.
CLUSTERS = (
    ("yangtze_delta", 120.6, 31.2, 1.0, 1.0), ("pearl_river", 113.4, 22.9, 0.8, 0.9),
    ("jing_jin_ji", 116.6, 39.3, 1.0, 0.9), ("cheng_yu", 105.0, 30.1, 1.2, 0.7),
    ("middle_yangtze", 114.0, 30.2, 1.1, 0.6), ("shandong", 118.0, 36.3, 1.2, 0.6),
    ("central_plains", 113.6, 34.6, 1.0, 0.5), ("guanzhong", 108.9, 34.3, 0.9, 0.4),
    ("liaoning", 123.0, 41.3, 1.0, 0.4),
)
BOX = (100.0, 124.0, 22.0, 42.0)  # lon min, lon max, lat min, lat max
COASTAL = {"yangtze_delta", "pearl_river", "jing_jin_ji", "shandong", "liaoning"}
RESOURCES = {"land": "hectares of industrial land",
             "energy": "10,000 t of standard coal equivalent per year"}
TALENT = {"rd_staff": "R&D full-time-equivalent person-years",
          "engineers": "engineers (persons)"}
INFRASTRUCTURE = ("science", "port", "rail_hub", "airport")
# Per unit of output, by stage.
RESOURCE_USE = {"land": (0.02, 0.40, 0.20, 0.30, 0.03),
                "energy": (0.01, 0.35, 0.15, 0.10, 0.01)}
TALENT_USE = {"rd_staff": (15.0, 0.5, 2.0, 0.3, 0.5),
              "engineers": (3.0, 4.0, 10.0, 6.0, 1.0)}
WORKFORCE_USE = (0.2, 8.0, 12.0, 20.0, 3.0)  # the chain's own skilled workforce
STAGE_SCALE = (0.2, 0.8, 1.0, 1.5, 0.4)  # target relative to the chain's scale
VALUE_ADDED = (0.45, 0.18, 0.22, 0.15, 0.35)
# Reach of a link by the supplier's stage (km; inf = any distance).
REACH = (math.inf, 900.0, 600.0, 1200.0, math.inf)
SLACK = 1.3  # all regions together have this multiple of what the targets need
HEADROOM = 1.25  # capacities exceed the reference layout's use by at least this factor
# Objectives: the shipped instances' lexicographic order, or a weighted mix that also prices
# pairwise overlap (to exercise its tangent rows).
ORDER = ["excess_hosts", "compensation", "cost"]
WEIGHTS = {"excess_hosts": 1.0, "pairwise_overlap": 0.1, "cost": 0.001, "compensation": 0.001}
OBJECTIVES = ("lexicographic", "weighted")


class GeneratedInstance(NamedTuple):
    """Settings (as instance.yaml would hold them) and tables, ready for instance_from_frames."""

    settings: dict
    frames: dict[str, pd.DataFrame]


@dataclass
class _World:
    """Everything drawn so far, shared by the small steps below."""

    rng: np.random.Generator
    regions: list[str]
    cluster: list[str]
    lon: np.ndarray
    lat: np.ndarray
    size: np.ndarray
    dist: np.ndarray
    chains: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    chain_of: list[int] = field(default_factory=list)
    stage: list[int] = field(default_factory=list)
    target: np.ndarray = field(default_factory=lambda: np.zeros(0))
    min_scale: np.ndarray = field(default_factory=lambda: np.zeros(0))
    links: list[list] = field(default_factory=list)  # [supplier, user, reach, intensity]
    levels: dict[str, np.ndarray] = field(default_factory=dict)
    needs: dict[int, dict[str, int]] = field(default_factory=dict)
    reference: dict[tuple[int, int], float] = field(default_factory=dict)  # (r, s) -> output


def generate(regions: int, segments: int, seed: int, chains: int | None = None,
             objective: str = "lexicographic") -> GeneratedInstance:
    """A feasible instance of `regions` x `segments` (chains default to one per 8 segments).

    `objective` is `lexicographic` (excess hosts, then compensation, then cost: the shipped
    instances' order) or `weighted` (all four terms, pairwise overlap included).
    """
    if regions < 1 or segments < 1:
        raise UserError("a generated instance needs at least one region and one segment")
    if objective not in OBJECTIVES:
        raise UserError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    n_chains = chains if chains is not None else max(1, round(segments / 8))
    if not 1 <= n_chains <= segments:
        raise UserError(f"chains must be between 1 and the number of segments, got {n_chains}")
    world = _regions(np.random.default_rng(seed), regions)
    _segments(world, segments, n_chains)
    _links(world)
    _infrastructure(world)
    _reference_layout(world)
    frames = _frames(world)
    name = f"generated_{regions}x{segments}_s{seed}"
    settings = _settings(name, world.chains, regions, segments, seed, objective)
    return GeneratedInstance(settings, frames)


# --- regions -------------------------------------------------------------------------------

def _regions(rng: np.random.Generator, n: int) -> _World:
    """Clustered centroids; sizes lognormal with a large core city in each cluster."""
    k = int(np.clip(round(math.sqrt(n / 4)), 1, len(CLUSTERS)))
    clusters = CLUSTERS[:k]
    pull = np.array([c[4] for c in clusters])
    inside = rng.random(n) < 0.85
    which = rng.choice(k, size=n, p=pull / pull.sum())
    cores = min(k, n)
    which[:cores] = np.arange(cores)  # each cluster's first region is its core city
    inside[:cores] = True
    lon = np.empty(n)
    lat = np.empty(n)
    for i in range(n):
        _, clon, clat, spread, _ = clusters[which[i]]
        if i < k:
            lon[i], lat[i] = clon, clat
        elif inside[i]:
            lon[i], lat[i] = rng.normal(clon, spread), rng.normal(clat, spread * 0.8)
        else:
            lon[i], lat[i] = rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])
    lon = np.round(np.clip(lon, BOX[0], BOX[1]), 3)
    lat = np.round(np.clip(lat, BOX[2], BOX[3]), 3)
    size = rng.lognormal(0.0, 1.0, n) * np.where(inside, 1.0, 0.4)
    size[:cores] *= 6.0
    names = [f"r{i + 1:03d}" for i in range(n)]
    cluster = [clusters[which[i]][0] if inside[i] else "hinterland" for i in range(n)]
    return _World(rng, names, cluster, lon, lat, size, great_circle_km(lon, lat))


# --- chains, segments, links -------------------------------------------------------------

def _segments(w: _World, n: int, n_chains: int) -> None:
    """Split segments over chains; each chain covers its stages in order, extras mid-chain."""
    rng = w.rng
    counts = np.full(n_chains, n // n_chains)
    counts[: n % n_chains] += 1
    w.chains = [f"c{c + 1:02d}" for c in range(n_chains)]
    scale = rng.lognormal(math.log(800.0), 0.6, n_chains)
    targets, scales = [], []
    for c, count in enumerate(counts):
        for stage in _stages_of_chain(rng, int(count)):
            w.segments.append(f"c{c + 1:02d}_{STAGES[stage][:3]}{len(w.segments) + 1:03d}")
            w.chain_of.append(c)
            w.stage.append(stage)
            targets.append(scale[c] * STAGE_SCALE[stage] * rng.lognormal(0.0, 0.4))
            scales.append(rng.uniform(0.05, 0.25))
    w.target = np.round(np.array(targets), 1)
    w.min_scale = np.round(w.target * np.array(scales), 1)


def _stages_of_chain(rng: np.random.Generator, count: int) -> list[int]:
    """Every stage once, extra segments mostly in materials and components."""
    if count < len(STAGES):
        return sorted(rng.choice(len(STAGES), size=count, replace=False).tolist())
    extra = rng.choice(len(STAGES), size=count - len(STAGES), p=(0.1, 0.3, 0.35, 0.15, 0.1))
    return sorted([*range(len(STAGES)), *extra.tolist()])


def _links(w: _World) -> None:
    """Each segment after its chain's first stage gets 1-2 suppliers from the stage before;
    about one segment in 15 also draws on another chain's materials or components."""
    rng = w.rng
    by_chain_stage: dict[tuple[int, int], list[int]] = {}
    for s, (c, st) in enumerate(zip(w.chain_of, w.stage, strict=True)):
        by_chain_stage.setdefault((c, st), []).append(s)
    for s, (c, st) in enumerate(zip(w.chain_of, w.stage, strict=True)):
        earlier = [k for k in range(st) if (c, k) in by_chain_stage]
        if not earlier:
            continue
        pool = by_chain_stage[(c, earlier[-1])]
        for p in rng.choice(pool, size=min(len(pool), rng.integers(1, 3)), replace=False):
            w.links.append([int(p), s, _reach(rng, w.stage[int(p)]), _intensity(rng)])
    donors = [s for s in range(len(w.segments)) if w.stage[s] in (1, 2)]
    for s in range(len(w.segments)):
        if w.stage[s] >= 2 and len(w.chains) > 1 and rng.random() < 1 / 15:
            pool = [p for p in donors if w.chain_of[p] != w.chain_of[s] and w.stage[p] < w.stage[s]]
            if pool:
                p = int(rng.choice(pool))
                w.links.append([p, s, _reach(rng, w.stage[p]) * 1.5, _intensity(rng)])


def _reach(rng: np.random.Generator, stage: int) -> float:
    base = REACH[stage]
    return base if math.isinf(base) else float(round(base * rng.uniform(0.7, 1.5), -1))


def _intensity(rng: np.random.Generator) -> float:
    return float(round(rng.uniform(0.2, 0.6), 2))


# --- infrastructure ------------------------------------------------------------------------

def _infrastructure(w: _World) -> None:
    """Levels 0-3 follow size (science follows it most); ports only on the coast. Each
    requirement is lowered until at least a few regions meet it."""
    rng = w.rng
    n = len(w.regions)
    rank = np.argsort(np.argsort(-w.size * rng.lognormal(0.0, 0.5, n))) / max(n - 1, 1)
    coastal = np.array([c in COASTAL for c in w.cluster]) | (w.lon > 119.0)
    w.levels = {
        "science": np.digitize(rank, (0.08, 0.25, 0.55)).choose([3, 2, 1, 0]),
        "port": np.where(coastal, np.digitize(rank, (0.15, 0.5)).choose([3, 2, 1]), 0),
        "rail_hub": np.digitize(rank, (0.3, 0.7)).choose([2, 1, 0]),
        "airport": np.digitize(rank, (0.2, 0.6)).choose([2, 1, 0]),
    }
    enough = max(2, n // 10)
    for s, stage in enumerate(w.stage):
        wanted = _requirements(rng, stage)
        for infra, level in list(wanted.items()):
            while level > 0 and (w.levels[infra] >= level).sum() < enough:
                level -= 1
            wanted[infra] = level
        w.needs[s] = {k: v for k, v in wanted.items() if v > 0}


def _requirements(rng: np.random.Generator, stage: int) -> dict[str, int]:
    r = rng.random()
    if stage == 0:
        return {"science": 2 if r < 0.4 else 1}
    if stage == 1:
        return {"rail_hub": 1} if r < 0.5 else {}
    if stage == 2:
        return {"science": 1} if r < 0.3 else {}
    if stage == 3:
        return {"port": 1} if r < 0.5 else ({"rail_hub": 1} if r < 0.8 else {})
    return {"airport": 1} if r < 0.5 else {}


def _meets(w: _World, s: int) -> np.ndarray:
    ok = np.ones(len(w.regions), dtype=bool)
    for infra, level in w.needs[s].items():
        ok &= w.levels[infra] >= level
    return ok


# --- reference layout (what makes the instance feasible) -----------------------------------

def _reference_layout(w: _World) -> None:
    """Hosts for every segment, upstream first, each with a supplier host in reach."""
    order = sorted(range(len(w.segments)), key=lambda s: (w.stage[s], s))
    hosts_of: dict[int, list[int]] = {}
    for s in order:
        links_in = [link for link in w.links if link[1] == s]
        candidates = np.flatnonzero(_meets(w, s))
        supplied = [r for r in candidates if all(_near(w, r, hosts_of[link[0]], link[2])
                                                 for link in links_in)]
        pool = np.array(supplied) if supplied else candidates
        most = max(1, min(int(w.target[s] // max(w.min_scale[s], 1e-9)), len(pool)))
        k = int(min(most, 1 + w.rng.poisson(1.5)))
        p = w.size[pool] / w.size[pool].sum()
        chosen = sorted(w.rng.choice(pool, size=k, replace=False, p=p).tolist())
        for link in links_in:  # widen a reach that no supplier host meets
            for r in chosen:
                need = min(w.dist[r, q] for q in hosts_of[link[0]])
                if need > link[2]:
                    link[2] = float(math.ceil(need * 1.1 / 10) * 10)
        hosts_of[s] = chosen
        share = w.rng.dirichlet(np.ones(k))
        spare = w.target[s] - k * w.min_scale[s]
        for r, f in zip(chosen, share, strict=True):
            w.reference[(r, s)] = float(w.min_scale[s] + spare * f)


def _near(w: _World, r: int, hosts: list[int], reach: float) -> bool:
    return math.isinf(reach) or any(w.dist[r, q] <= reach for q in hosts)


# --- tables --------------------------------------------------------------------------------

def _frames(w: _World) -> dict[str, pd.DataFrame]:
    current = _current_layout(w)
    frames = {
        "regions": _regions_table(w),
        "chains": table_frame("chains", [{"chain": c, "name": f"Chain {c[1:]}"} for c in w.chains]),
        "segments": _segments_table(w),
        "links": table_frame("links", [
            {"supplier": w.segments[p], "user": w.segments[u],
             "reach": "" if math.isinf(d) else d, "intensity": a} for p, u, d, a in w.links]),
        "infrastructure_levels": table_frame("infrastructure_levels", [
            {"region": w.regions[r], "infrastructure": k, "level": int(v[r])}
            for k, v in w.levels.items() for r in range(len(w.regions)) if v[r] > 0]),
        "infrastructure_requirements": table_frame("infrastructure_requirements", [
            {"segment": w.segments[s], "infrastructure": k, "level": v}
            for s, need in w.needs.items() for k, v in need.items()]),
        "current_layout": table_frame("current_layout", [
            {"region": w.regions[r], "segment": w.segments[s], "output": q}
            for (r, s), q in sorted(current.items())]),
        "costs": _costs_table(w, current),
        "chain_entry_costs": _entry_costs_table(w, current),
        "policy": _policy_table(w, current),
    }
    frames.update(_capacity_tables(w, current))
    return frames


def _regions_table(w: _World) -> pd.DataFrame:
    """A few regions get caps on segments or chains, always above the reference layout."""
    rng = w.rng
    hosted: dict[int, set[int]] = {}
    for r, s in w.reference:
        hosted.setdefault(r, set()).add(s)
    rows = []
    for r, name in enumerate(w.regions):
        mine = hosted.get(r, set())
        row = {"region": name, "name": f"Region {r + 1}", "group": w.cluster[r],
               "lon": w.lon[r], "lat": w.lat[r]}
        if rng.random() < 0.1:
            row["max_segments"] = len(mine) + int(rng.integers(1, 4))
        if rng.random() < 0.05:
            row["max_chains"] = len({w.chain_of[s] for s in mine}) + 1
        rows.append(row)
    return table_frame("regions", rows)


def _segments_table(w: _World) -> pd.DataFrame:
    rng = w.rng
    count = np.zeros(len(w.segments), dtype=int)
    for _, s in w.reference:
        count[s] += 1
    rows = []
    for s, name in enumerate(w.segments):
        stage = w.stage[s]
        row = {"segment": name, "chain": w.chains[w.chain_of[s]], "name": "",
               "stage": STAGES[stage], "target_min": w.target[s], "target_max": w.target[s],
               "min_scale": w.min_scale[s],
               "value_added_rate": round(VALUE_ADDED[stage] * rng.uniform(0.8, 1.2), 3),
               "weight": 2.0 if stage in (0, 2) and rng.random() < 0.2 else 1.0}
        if rng.random() < 0.1:
            row["max_hosts"] = int(count[s] + rng.integers(1, 4))
        rows.append(row)
    return table_frame("segments", rows)


def _capacity_tables(w: _World, current: dict[tuple[int, int], float]
                     ) -> dict[str, pd.DataFrame]:
    """Use per unit by stage. Land, energy, R&D staff and engineers serve every chain; each
    chain also has its own skilled workforce, concentrated where the chain is today.
    Availability shares each total by size, never below the reference use times HEADROOM."""
    n_seg = len(w.segments)
    kinds = [("resource", name, np.array([rates[st] for st in w.stage]), 0.8, None)
             for name, rates in RESOURCE_USE.items()]
    kinds += [("talent", name, np.array([rates[st] for st in w.stage]), 1.3, None)
              for name, rates in TALENT_USE.items()]
    skilled = np.array([WORKFORCE_USE[st] for st in w.stage])
    kinds += [("talent", _workforce(chain), np.where(np.array(w.chain_of) == c, skilled, 0.0),
               1.0, c) for c, chain in enumerate(w.chains)]
    rows: dict[str, list[dict]] = {"resource_use": [], "resource_availability": [],
                                   "talent_use": [], "talent_availability": []}
    for kind, name, by_stage, tilt, chain in kinds:
        rate = np.round(by_stage * w.rng.lognormal(0.0, 0.3, n_seg), 4)
        rows[f"{kind}_use"] += [{"segment": w.segments[s], kind: name, "use": rate[s]}
                                for s in range(n_seg) if rate[s] > 0]
        presence = _presence(w, current, chain)
        rows[f"{kind}_availability"] += [
            {"region": w.regions[r], kind: name, "available": a}
            for r, a in enumerate(_availability(w, rate, tilt, presence)) if a > 0]
    return {name: table_frame(name, table) for name, table in rows.items()}


def _workforce(chain: str) -> str:
    return f"workers_{chain}"


def _presence(w: _World, current: dict[tuple[int, int], float], chain: int | None
              ) -> np.ndarray:
    """1 everywhere for shared kinds; for a chain's workforce, 3 where the chain is today."""
    boost = np.ones(len(w.regions))
    if chain is not None:
        for r, s in current:
            if w.chain_of[s] == chain:
                boost[r] = 3.0
    return boost


def _availability(w: _World, rate: np.ndarray, tilt: float, presence: np.ndarray
                  ) -> np.ndarray:
    need = np.zeros(len(w.regions))
    for (r, s), q in w.reference.items():
        need[r] += rate[s] * q
    total = float(rate @ w.target)
    share = w.size ** tilt * presence * w.rng.lognormal(0.0, 0.5, len(w.regions))
    share = np.minimum(share / share.sum(), 1 / math.sqrt(len(w.regions)))  # no giant
    base = SLACK * total * share / share.sum()
    return np.ceil(np.maximum(base, HEADROOM * need) * 10) / 10


def _current_layout(w: _World) -> dict[tuple[int, int], float]:
    """Today's hosts: most reference hosts plus a heavy-tailed crowd of duplicates."""
    rng = w.rng
    n = len(w.regions)
    current: dict[tuple[int, int], float] = {}
    for s in range(len(w.segments)):
        keep = [r for (r, t) in w.reference if t == s and rng.random() < 0.7]
        crowd = int(min(n * 0.6, rng.pareto(1.2) * 2))
        pool = np.flatnonzero(_meets(w, s) | (rng.random(n) < 0.05))
        p = w.size[pool] / w.size[pool].sum()
        extra = rng.choice(pool, size=min(crowd, len(pool)), replace=False, p=p).tolist()
        hosts = sorted(set(keep) | set(extra)) or [int(rng.choice(pool, p=p))]
        share = rng.dirichlet(np.ones(len(hosts)))
        for r, f in zip(hosts, share, strict=True):
            current[(r, s)] = round(float(w.target[s] * rng.uniform(0.8, 1.2) * f), 1) or 0.1
    return current


def _costs_table(w: _World, current: dict[tuple[int, int], float]) -> pd.DataFrame:
    """Costs for every pair that meets the infrastructure needs, and every current host."""
    rng = w.rng
    price = 0.7 + 0.3 * np.log1p(w.size) / np.log1p(w.size.max())  # dearer in big cities
    rows = []
    for s in range(len(w.segments)):
        base = rng.uniform(0.6, 1.4)
        meets = _meets(w, s)
        for r in range(len(w.regions)):
            if not meets[r] and (r, s) not in current:
                continue
            row = {"region": w.regions[r], "segment": w.segments[s],
                   "unit_cost": round(base * price[r] * rng.lognormal(0.0, 0.15), 3)}
            if (r, s) in current:
                row["closure_cost"] = round(0.2 * current[(r, s)] * rng.uniform(0.5, 1.5), 1)
            else:
                row["opening_cost"] = round(0.1 * w.target[s] * rng.lognormal(0.0, 0.5), 1)
            rows.append(row)
    return table_frame("costs", rows)


def _entry_costs_table(w: _World, current: dict[tuple[int, int], float]) -> pd.DataFrame:
    rng = w.rng
    present = {(r, w.chain_of[s]) for r, s in current}
    rows = [{"region": w.regions[r], "chain": w.chains[c],
             "entry_cost": round(float(rng.lognormal(math.log(20.0), 0.5)), 1)}
            for r in range(len(w.regions)) for c in range(len(w.chains))
            if (r, c) not in present and rng.random() < 0.3]
    return table_frame("chain_entry_costs", rows)


def _policy_table(w: _World, current: dict[tuple[int, int], float]) -> pd.DataFrame:
    """Must rows from the reference layout (today's hosts first); forbid rows outside it."""
    rng = w.rng
    n_rules = max(1, len(w.segments) // 10)
    kept = sorted(p for p in w.reference if p in current) or sorted(w.reference)
    must = [kept[i] for i in rng.choice(len(kept), size=min(n_rules, len(kept)), replace=False)]
    rows = [{"region": w.regions[r], "segment": w.segments[s], "rule": "must",
             "note": "national plan keeps this host"} for r, s in sorted(must)]
    forbidden: set[tuple[int, int]] = set()
    materials = [s for s in range(len(w.segments)) if w.stage[s] == 1]
    for _ in range(2 * n_rules if materials else 0):
        pair = (int(rng.integers(len(w.regions))), int(rng.choice(materials)))
        if pair not in w.reference and pair not in forbidden:
            forbidden.add(pair)
            rows.append({"region": w.regions[pair[0]], "segment": w.segments[pair[1]],
                         "rule": "forbid", "note": "ecological protection zone"})
    return table_frame("policy", rows)


def _settings(name: str, chains: list[str], regions: int, segments: int, seed: int,
              objective: str) -> dict:
    talent = dict(TALENT) | {_workforce(c): f"skilled workers of chain {c} (hundreds of persons)"
                             for c in chains}
    goal = {"mode": "weighted", "weights": dict(WEIGHTS)} if objective == "weighted" else {
        "mode": "lexicographic", "order": list(ORDER), "tolerance": 0.0}
    return settings_dict({
        "name": name,
        "description": f"Synthetic benchmark instance: {regions} regions, {segments} segments, "
                       f"seed {seed} (optimizer.sources.generate). Not data about any real place.",
        "units": {"output": "100 million CNY of gross output per year",
                  "cost": "100 million CNY", "distance": "km",
                  "resources": dict(RESOURCES), "talent": talent},
        "objective": goal,
        "solver": {"time_limit": 300, "mip_gap": 0.0001, "threads": None},
        "policy": {"chain_completeness": True, "supplier_reach": True, "flows": False,
                   "benefit_sharing": True, "max_loss_share": 0.3},
    })


# --- writing and the command line ----------------------------------------------------------

def parse_size(text: str) -> tuple[int, int]:
    """`60x40` -> (60 regions, 40 segments)."""
    try:
        regions, segments = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected REGIONSxSEGMENTS such as 60x40, got "
                                         f"{text!r}") from None
    if regions < 1 or segments < 1:
        raise argparse.ArgumentTypeError(f"sizes must be at least 1x1, got {text!r}")
    return regions, segments



def cmd_generate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    refuse_existing(out)  # before the draw, which takes a while at stress size
    generated = generate(args.regions, args.segments, args.seed, args.chains, args.objective)
    write_instance(out, *generated)
    f = generated.frames
    print(f"wrote {out}/: {len(f['regions'])} regions, {len(f['chains'])} chains, "
          f"{len(f['segments'])} segments, {len(f['links'])} links, "
          f"{len(f['current_layout'])} current hosts (seed {args.seed})")
    return 0


def add_generate_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """`optimizer generate --regions N --segments M --seed S --out DIR`."""
    g = subparsers.add_parser(
        "generate", help="write a seeded synthetic instance (benchmarks, stress tests)",
        description="Write a synthetic instance folder: clustered regions, chains as segment "
                    "DAGs, heavy-tailed capacities, a duplicated current layout; feasible by "
                    "construction. The same seed gives the same instance.")
    g.add_argument("--regions", type=at_least_one, required=True, metavar="N")
    g.add_argument("--segments", type=at_least_one, required=True, metavar="M")
    g.add_argument("--chains", type=at_least_one, metavar="C",
                   help="industry chains (default: one per 8 segments)")
    g.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    g.add_argument("--objective", choices=OBJECTIVES, default="lexicographic",
                   help="lexicographic like the shipped instances (default), or weighted with "
                        "pairwise overlap")
    g.add_argument("--out", required=True, metavar="DIR", help="new instance folder")
    g.set_defaults(func=cmd_generate)
    return g
