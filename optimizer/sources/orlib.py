"""OR-Library problems read and written as ordinary instances of the planner's model.

Each benchmark problem becomes an instance (`instance_from_frames`, so it passes the same
validation as a planner's files); bench/orlib.py solves them by the product's own path to
prove it exact. Only the cost term is optimised, with a zero MIP gap.

Generalised assignment (gap1-gap12: m agents, n jobs, cost c_ij, use a_ij, capacity b_i)
  - regions = agents, segments = jobs, one chain;
  - every job has target_min = target_max = 1, min_scale = 1 and max_hosts = 1, so
    output[i, j] = host[i, j] in {0, 1} and each job has exactly one agent;
  - unit_cost[i, j] = c_ij (-c_ij to maximise; the objective is negated back when reported);
  - the GAP's use depends on agent and job while `resource_use` depends on segment only, so
    each agent i gets its own resource `cap_<i>`: job j uses a_ij of it per unit of output,
    agent i has b_i of it and every other agent has sum_j a_ij, which no set of 0/1 outputs
    can exceed. Agent i's row is then exactly sum_j a_ij x_ij <= b_i; the other rows can
    never bind (the model drops them as slack), and pairs with a_ij > b_i get no variable,
    as they are infeasible in the GAP too.

Capacitated facility location (cap41-cap134: m facilities, n customers, split supply)
  - regions = facilities, segments = customers (demand d_j > 0), one chain;
  - target_min = target_max = d_j, no min_scale and no max_hosts: demand may be split;
  - unit_cost[i, j] = (cost of serving all of j from i) / d_j, so the cost is linear in the
    share served;
  - the chain-entry cost of facility i is its fixed cost; with no current layout every
    entry is paid, and host <= in_chain with output <= min(d_j, s_i) host is the strong
    (disaggregated) formulation;
  - one resource `capacity`, used at 1 per unit of output, of which facility i has s_i;
    `capacitated=False` switches it off (`policy.resources: false`): the uncapacitated
    problem. Customers with zero demand cost nothing either way and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optimizer.errors import UserError
from optimizer.instance import Instance, instance_from_frames
from optimizer.instance.settings import settings_dict
from optimizer.instance.tables import table_frame

__all__ = ["CapProblem", "GapProblem", "OrLibFormatError", "cap_instance", "gap_instance",
           "read_cap", "read_gap"]

TIME_LIMIT = 3600.0  # seconds per problem: generous, so a run ends proven optimal
MIP_GAP = 0.0  # published optima are exact; HiGHS's absolute gap (1e-6) still applies

_OFF = {"supplier_reach": False, "flows": False, "talent": False, "infrastructure": False,
        "benefit_sharing": False, "change_budget": None}


class OrLibFormatError(UserError):
    """An OR-Library file that does not hold the numbers its format promises."""


@dataclass(frozen=True)
class GapProblem:
    name: str  # OR-Library's notation, e.g. "c515-1"
    cost: np.ndarray  # m x n, row = agent
    use: np.ndarray  # m x n resource used by job j at agent i
    capacity: np.ndarray  # m


@dataclass(frozen=True)
class CapProblem:
    name: str  # the file stem, e.g. "cap41"
    capacity: np.ndarray  # m
    fixed_cost: np.ndarray  # m
    demand: np.ndarray  # n
    cost: np.ndarray  # m x n, cost of serving all of customer j's demand from facility i


class _Tokens:
    """Whitespace-separated numbers read in order, as OR-Library files are meant to be read."""

    def __init__(self, path: Path):
        self.source = path.name
        self.items = path.read_text(encoding="utf-8").split()
        self.pos = 0

    def take(self, count: int, what: str) -> np.ndarray:
        if self.pos + count > len(self.items):
            raise OrLibFormatError(f"{self.source}: the file ends while reading {what} "
                                   f"(needs {count} numbers, {len(self.items) - self.pos} left)")
        chunk = self.items[self.pos:self.pos + count]
        try:
            values = np.array([float(x) for x in chunk])
        except ValueError:
            bad = next(x for x in chunk if not _is_number(x))
            raise OrLibFormatError(f"{self.source}: {what}: {bad!r} is not a number") from None
        if not np.isfinite(values).all():
            raise OrLibFormatError(f"{self.source}: {what}: numbers must be finite")
        self.pos += count
        return values

    def count(self, what: str) -> int:
        value = float(self.take(1, what)[0])
        if not value.is_integer() or value < 1:
            raise OrLibFormatError(f"{self.source}: {what} must be a whole number >= 1, "
                                   f"got {value:g}")
        return int(value)

    def finish(self) -> None:
        if self.pos != len(self.items):
            raise OrLibFormatError(f"{self.source}: {len(self.items) - self.pos} numbers left "
                                   "over after the last problem; is this the right format?")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_gap(path: Path) -> list[GapProblem]:
    """Every problem of a gap*.txt file: P, then per problem m n, costs, uses, capacities."""
    tokens = _Tokens(Path(path))
    problems = []
    for k in range(1, tokens.count("the number of problems") + 1):
        m, n = tokens.count(f"problem {k}: agents"), tokens.count(f"problem {k}: jobs")
        cost = tokens.take(m * n, f"problem {k}: costs").reshape(m, n)
        use = tokens.take(m * n, f"problem {k}: resource uses").reshape(m, n)
        capacity = tokens.take(m, f"problem {k}: capacities")
        if (use < 0).any() or (capacity < 0).any():
            raise OrLibFormatError(f"{tokens.source}: problem {k}: uses and capacities must "
                                   "not be negative")
        problems.append(GapProblem(f"c{m}{n}-{k}", cost, use, capacity))
    tokens.finish()
    return problems


def read_cap(path: Path) -> CapProblem:
    """One cap*.txt file: m n, m (capacity, fixed cost), then per customer demand and m costs."""
    path = Path(path)
    tokens = _Tokens(path)
    m, n = tokens.count("facilities"), tokens.count("customers")
    facilities = tokens.take(2 * m, "capacities and fixed costs").reshape(m, 2)
    rows = tokens.take(n * (m + 1), "demands and costs").reshape(n, m + 1)
    tokens.finish()
    if (facilities < 0).any() or (rows[:, 0] < 0).any():
        raise OrLibFormatError(f"{path.name}: capacities, fixed costs and demands must not "
                               "be negative")
    return CapProblem(path.stem, facilities[:, 0], facilities[:, 1], rows[:, 0], rows[:, 1:].T)


def _settings(name: str, description: str, resources: dict[str, str], policy: dict) -> dict:
    """Cost only (duplication weighted 0), exact gap, no thread cap, a generous time limit."""
    return settings_dict({
        "name": name,
        "description": description,
        "units": {"output": "benchmark units of output", "cost": "benchmark cost units",
                  "distance": "not used (no links)", "resources": resources},
        "objective": {"mode": "weighted", "weights": {"cost": 1.0, "excess_hosts": 0.0}},
        "solver": {"time_limit": TIME_LIMIT, "mip_gap": MIP_GAP, "threads": None},
        "policy": {**_OFF, **policy},
    })


def gap_instance(problem: GapProblem, maximize: bool = False) -> Instance:
    """The GAP as an instance of the product's model (mapping in the module docstring)."""
    m, n = problem.cost.shape
    agents = [f"agent_{i + 1}" for i in range(m)]
    jobs = [f"job_{j + 1}" for j in range(n)]
    sign = -1.0 if maximize else 1.0
    resource_amounts = problem.use.sum(axis=1)  # never binds for an agent other than its own
    frames = {
        "regions": table_frame("regions", [{"region": a} for a in agents]),
        "chains": table_frame("chains", [{"chain": "gap"}]),
        "segments": table_frame("segments", [
            {"segment": s, "chain": "gap", "target_min": 1, "target_max": 1, "min_scale": 1,
             "max_hosts": 1} for s in jobs]),
        "costs": table_frame("costs", [
            {"region": agents[i], "segment": jobs[j], "unit_cost": sign * problem.cost[i, j]}
            for i in range(m) for j in range(n)]),
        "resource_use": table_frame("resource_use", [
            {"segment": jobs[j], "resource": f"cap_{i + 1}", "use": problem.use[i, j]}
            for i in range(m) for j in range(n) if problem.use[i, j] > 0]),
        "resource_availability": table_frame("resource_availability", [
            {"region": agents[k], "resource": f"cap_{i + 1}",
             "available": problem.capacity[i] if k == i else resource_amounts[i]}
            for i in range(m) for k in range(m)]),
    }
    units = {f"cap_{i + 1}": f"capacity of agent {i + 1}" for i in range(m)}
    sense = "maximised" if maximize else "minimised"
    return instance_from_frames(
        _settings(problem.name, f"OR-Library GAP {problem.name}, {sense}", units,
                  {"resources": True, "chain_completeness": True}), frames)


def cap_instance(problem: CapProblem, capacitated: bool = True) -> Instance:
    """The facility location problem as an instance (mapping in the module docstring)."""
    m = len(problem.capacity)
    facilities = [f"facility_{i + 1}" for i in range(m)]
    served = [j for j, d in enumerate(problem.demand) if d > 0]
    customers = {j: f"customer_{j + 1}" for j in served}
    frames = {
        "regions": table_frame("regions", [{"region": f} for f in facilities]),
        "chains": table_frame("chains", [{"chain": "customers"}]),
        "segments": table_frame("segments", [
            {"segment": customers[j], "chain": "customers", "target_min": problem.demand[j],
             "target_max": problem.demand[j]} for j in served]),
        "costs": table_frame("costs", [
            {"region": facilities[i], "segment": customers[j],
             "unit_cost": problem.cost[i, j] / problem.demand[j]}
            for i in range(m) for j in served]),
        "chain_entry_costs": table_frame("chain_entry_costs", [
            {"region": facilities[i], "chain": "customers", "entry_cost": problem.fixed_cost[i]}
            for i in range(m)]),
        "resource_use": table_frame("resource_use", [
            {"segment": customers[j], "resource": "capacity", "use": 1} for j in served]),
        "resource_availability": table_frame("resource_availability", [
            {"region": facilities[i], "resource": "capacity", "available": problem.capacity[i]}
            for i in range(m)]),
    }
    kind = "capacitated" if capacitated else "uncapacitated"
    return instance_from_frames(
        _settings(problem.name, f"OR-Library {problem.name}, {kind} facility location",
                  {"capacity": "units of demand a facility can serve"},
                  {"resources": capacitated, "chain_completeness": True}), frames)
