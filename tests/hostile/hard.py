"""A hard instance for limit and interrupt tests: a type-D generalised assignment problem.

Type D (Chu and Beasley) couples cost and resource use inversely, which keeps branch and bound
busy for minutes at 20 regions x 200 segments; written out as an ordinary instance folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml


def write_hard_instance(folder: Path, regions: int = 20, segments: int = 200,
                        seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    use = rng.integers(1, 101, size=(regions, segments))
    cost = 111 - use + rng.integers(-10, 11, size=(regions, segments))
    capacity = np.floor(0.8 * use.sum(axis=1) / regions)
    names = [f"r{i:02d}" for i in range(regions)]
    jobs = [f"s{j:03d}" for j in range(segments)]
    folder.mkdir(parents=True)
    tables = {
        "regions": pd.DataFrame({"region": names, "name": "", "group": "", "lon": "",
                                 "lat": "", "max_segments": "", "max_chains": "",
                                 "max_loss_share": ""}),
        "chains": pd.DataFrame({"chain": ["all"], "name": [""]}),
        "segments": pd.DataFrame({"segment": jobs, "chain": "all", "name": "", "stage": "",
                                  "target_min": 1, "target_max": 1, "min_scale": 1,
                                  "value_added_rate": "", "weight": "", "max_hosts": 1}),
        # one resource per region: its own capacity binds, the others are plentiful
        "resource_availability": pd.DataFrame(
            [(r, f"cap_{k}", capacity[i] if i == k else use[k].sum())
             for i, r in enumerate(names) for k in range(regions)],
            columns=["region", "resource", "available"]),
        "resource_use": pd.DataFrame(
            [(s, f"cap_{k}", use[k, j]) for j, s in enumerate(jobs) for k in range(regions)],
            columns=["segment", "resource", "use"]),
        "costs": pd.DataFrame(
            [(r, s, cost[i, j], "", "") for i, r in enumerate(names) for j, s in enumerate(jobs)],
            columns=["region", "segment", "unit_cost", "opening_cost", "closure_cost"]),
    }
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    settings = {
        "name": "hard_gap", "units": {"output": "jobs", "cost": "cost", "distance": "km",
                                      "resources": {f"cap_{k}": "units" for k in range(regions)}},
        "objective": {"mode": "weighted", "weights": {"cost": 1, "excess_hosts": 0}},
        "solver": {"time_limit": 600, "mip_gap": 0},
        "policy": {"supplier_reach": False, "benefit_sharing": False},
    }
    (folder / "instance.yaml").write_text(yaml.safe_dump(settings))
    return folder
