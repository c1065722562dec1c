"""The allocation MIP built straight into highspy as arrays: the lower bound for building.

Same ModelData, same columns, rows and objective as `optimizer.model.build_model` hands to
HiGHS through Pyomo (the tests compare dimensions, nonzeros and optima), but assembled with
numpy: every family adds a block of (row, column, value) triplets, and one sort turns them
into the row-wise matrix HiGHS takes in a single `passModel`. Which rows exist is decided by
the same helpers the Pyomo families use, so the two cannot drift apart silently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from optimizer.instance.levers import refuse_levers
from optimizer.model.benefit_sharing import loss_floors
from optimizer.model.capacity import binding_mask
from optimizer.model.chain_completeness import reach_rows_needed
from optimizer.model.change import (
    change_prices,
    priced_hosts,
    protection_floors,
    shrink_floors,
)
from optimizer.model.data import ModelData
from optimizer.model.duplication import most_hosts
from optimizer.model.objective import used_terms, weighted
from optimizer.model.participation import capped_regions, chain_pairs, entry_costs
from optimizer.solve.solver import relative_gap, use_threads

INF = highspy.kHighsInf


@dataclass
class _Block:
    """Rows of one family: bounds, and triplets with row numbers local to the block."""

    lower: np.ndarray
    upper: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray


@dataclass
class _Term:
    """An objective term: constant + sum(coefs * x[cols])."""

    constant: float = 0.0
    cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    coefs: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class DirectModel:
    """The MIP inside a highspy.Highs, with what is needed to set objectives and read off."""

    highs: highspy.Highs
    terms: dict[str, _Term]
    num_col: int
    num_row: int
    num_nz: int
    host_cols: np.ndarray  # column of host[p] for p in data.eligible
    output_cols: np.ndarray


@dataclass
class DirectOutcome:
    status: str
    objective: float | None
    bound: float | None
    mip_gap: float | None
    nodes: int
    highs_seconds: float
    stages: list[dict]


class _Builder:
    """Columns are handed out family by family; rows are collected as blocks."""

    def __init__(self) -> None:
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.blocks: list[_Block] = []
        self.n = 0

    def columns(self, count: int, lower, upper, integer: bool = False) -> np.ndarray:
        cols = np.arange(self.n, self.n + count, dtype=np.int64)
        self.lower.append(np.broadcast_to(np.asarray(lower, float), (count,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, float), (count,)))
        self.integer.append(np.full(count, integer))
        self.n += count
        return cols

    def rows(self, lower, upper, rows, cols, vals) -> None:
        lower = np.atleast_1d(np.asarray(lower, float))
        upper = np.broadcast_to(np.asarray(upper, float), lower.shape)
        if len(lower):
            self.blocks.append(_Block(lower, upper, np.asarray(rows, np.int64),
                                      np.asarray(cols, np.int64), np.asarray(vals, float)))

    def csr(self) -> tuple[np.ndarray, ...]:
        """Row-wise matrix of every block, in block order; zero values dropped."""
        offsets = np.cumsum([0] + [len(b.lower) for b in self.blocks])
        rows = np.concatenate([b.rows + o for b, o in zip(self.blocks, offsets, strict=False)]
                              or [np.zeros(0, np.int64)])
        cols = np.concatenate([b.cols for b in self.blocks] or [np.zeros(0, np.int64)])
        vals = np.concatenate([b.vals for b in self.blocks] or [np.zeros(0)])
        keep = vals != 0
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, rows))
        n_rows = int(offsets[-1])
        start = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_rows))])
        lower = np.concatenate([b.lower for b in self.blocks] or [np.zeros(0)])
        upper = np.concatenate([b.upper for b in self.blocks] or [np.zeros(0)])
        return lower, upper, start, cols[order], vals[order]


def build_direct(data: ModelData) -> DirectModel:
    """The MIP of build_model(data), with the instance's first objective set."""
    refuse_levers(data.instance.tables, "the direct highspy baseline")
    b = _Builder()
    ix = _Index(data)
    host = b.columns(ix.n_pairs, 0.0, 1.0, integer=True)
    output = b.columns(ix.n_pairs, 0.0, ix.upper)
    terms: dict[str, _Term] = {}
    _targets(b, ix, output)
    _host_scale(b, ix, host, output)
    for switch, caps in (("resources", data.resources), ("talent", data.talent)):
        _capacity(b, ix, output, caps if data.policy[switch] else [])
    _completeness(b, ix, host)
    terms["linkage"] = _flows(b, ix, output)
    in_chain = _participation(b, ix, host)
    _policy(b, ix, host, in_chain)
    terms["compensation"] = _benefit_sharing(b, ix, output)
    terms.update(_duplication(b, ix, host))
    change = _change(b, ix, host, output)
    terms["cost"] = _cost(ix, host, output, in_chain, change)
    return _pass(b, terms, host, output, data)


class _Index:
    """Integer views of ModelData: pair p has region pair_r[p], segment pair_s[p]."""

    def __init__(self, data: ModelData):
        self.data = data
        self.seg_index = {s: i for i, s in enumerate(data.segments)}
        self.pair_index = {p: i for i, p in enumerate(data.eligible)}
        self.n_pairs = len(data.eligible)
        self.pair_r = np.fromiter((data.region_index[r] for r, _ in data.eligible), np.int64,
                                  self.n_pairs)
        self.pair_s = np.fromiter((self.seg_index[s] for _, s in data.eligible), np.int64,
                                  self.n_pairs)
        self.upper = np.fromiter((data.upper[p] for p in data.eligible), float, self.n_pairs)
        self.seg_col = lambda name: np.array([data.segment[s][name] for s in data.segments])

    def pairs(self, keys) -> np.ndarray:
        return np.fromiter((self.pair_index[p] for p in keys), np.int64)


def _group_rows(groups: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers 0.. for the kept group labels, and the row of each member."""
    labels = np.flatnonzero(keep)
    local = np.full(len(keep), -1, np.int64)
    local[labels] = np.arange(len(labels))
    return labels, local[groups]


def _targets(b: _Builder, ix: _Index, output: np.ndarray) -> None:
    has = np.bincount(ix.pair_s, minlength=len(ix.data.segments)) > 0
    labels, row = _group_rows(ix.pair_s, has)
    b.rows(ix.seg_col("target_min")[labels], ix.seg_col("target_max")[labels], row, output,
           np.ones(ix.n_pairs))


def _host_scale(b: _Builder, ix: _Index, host: np.ndarray, output: np.ndarray) -> None:
    m = ix.seg_col("min_scale")[ix.pair_s]
    with_min = np.flatnonzero(m > 0)
    k = len(with_min)
    b.rows(np.zeros(k), INF, np.repeat(np.arange(k), 2),
           np.column_stack([output[with_min], host[with_min]]).ravel(),
           np.column_stack([np.ones(k), -m[with_min]]).ravel())
    n = ix.n_pairs
    b.rows(np.full(n, -INF), 0.0, np.repeat(np.arange(n), 2),
           np.column_stack([output, host]).ravel(),
           np.column_stack([np.ones(n), -ix.upper]).ravel())


def _capacity(b: _Builder, ix: _Index, output: np.ndarray, caps: list) -> None:
    """One row per binding (region, kind), kinds in order of first appearance."""
    data = ix.data
    kinds = list(dict.fromkeys(c.kind for c in caps))
    n_reg = len(data.regions)
    for kind in kinds:
        cap_k = [c for c in caps if c.kind == kind]
        use = np.zeros(len(data.segments))
        for s, u in cap_k[0].use.items():
            use[ix.seg_index[s]] = u
        available = np.zeros(n_reg)
        for c in cap_k:
            available[data.region_index[c.region]] = c.available
        u = use[ix.pair_s]
        users = np.flatnonzero(u > 0)
        keep = binding_mask(ix.pair_r[users], u[users] * ix.upper[users], available,
                            data.elastic)
        order = np.array([data.region_index[c.region] for c in cap_k], np.int64)
        kept_regions = order[keep[order]]
        local = np.full(n_reg, -1, np.int64)
        local[kept_regions] = np.arange(len(kept_regions))
        members = users[local[ix.pair_r[users]] >= 0]
        b.rows(np.full(len(kept_regions), -INF), available[kept_regions],
               local[ix.pair_r[members]], output[members], u[members])


def _completeness(b: _Builder, ix: _Index, host: np.ndarray) -> None:
    data = ix.data
    if data.policy["chain_completeness"]:
        has = np.bincount(ix.pair_s, minlength=len(data.segments)) > 0
        labels, row = _group_rows(ix.pair_s, has)
        b.rows(np.ones(len(labels)), INF, row, host, np.ones(ix.n_pairs))
    if not data.policy["supplier_reach"]:
        return
    for (s, t), (users, suppliers, mask) in data.reach_masks.items():
        needed = reach_rows_needed(data, s, mask)
        mask = mask[needed]
        user_pairs = ix.pairs((r, t) for r in np.asarray(users, object)[needed])
        supplier_pairs = ix.pairs((q, s) for q in suppliers)
        k = len(user_pairs)
        ri, qi = np.nonzero(mask)
        b.rows(np.full(k, -INF), 0.0, np.concatenate([np.arange(k), ri]),
               np.concatenate([host[user_pairs], host[supplier_pairs[qi]]]),
               np.concatenate([np.ones(k), -np.ones(len(ri))]))


def _flows(b: _Builder, ix: _Index, output: np.ndarray) -> _Term:
    data = ix.data
    if not data.policy["flows"]:
        return _Term()
    intensity = {(s, t): a for s, t, _, a in data.links if a > 0}
    keys = [k for k in data.suppliers if k[:2] in intensity]
    arcs = [(s, t, r, q) for (s, t, r) in keys for q in data.suppliers[(s, t, r)]]
    flow = b.columns(len(arcs), 0.0, INF)
    key_row = {k: i for i, k in enumerate(keys)}
    arc_key = np.array([key_row[a[:3]] for a in arcs], np.int64)
    users = ix.pairs((r, t) for s, t, r in keys)
    a = np.array([intensity[k[:2]] for k in keys])
    b.rows(np.zeros(len(keys)), 0.0, np.concatenate([arc_key, np.arange(len(keys))]),
           np.concatenate([flow, output[users]]), np.concatenate([np.ones(len(arcs)), -a]))
    out_keys: dict[tuple[str, str], int] = {}
    arc_out = np.array([out_keys.setdefault((s, q), len(out_keys)) for s, _, _, q in arcs],
                       np.int64)
    suppliers = ix.pairs((q, s) for s, q in out_keys)
    n = len(out_keys)
    b.rows(np.full(n, -INF), 0.0, np.concatenate([arc_out, np.arange(n)]),
           np.concatenate([flow, output[suppliers]]),
           np.concatenate([np.ones(len(arcs)), -np.ones(n)]))
    dist = np.array([data.dist(r, q) for _, _, r, q in arcs])
    return _Term(0.0, flow, dist)


def _participation(b: _Builder, ix: _Index, host: np.ndarray) -> dict[tuple[str, str], int]:
    data = ix.data
    pairs = chain_pairs(data)
    cols = b.columns(len(pairs), 0.0, 1.0, integer=True)
    in_chain = dict(zip(pairs, cols.tolist(), strict=True))
    links = [i for i, (r, s) in enumerate(data.eligible) if (r, data.chain_of[s]) in in_chain]
    y = [in_chain[(data.eligible[i][0], data.chain_of[data.eligible[i][1]])] for i in links]
    k = len(links)
    b.rows(np.full(k, -INF), 0.0, np.repeat(np.arange(k), 2),
           np.column_stack([host[links], np.asarray(y, np.int64)]).ravel(),
           np.tile([1.0, -1.0], k))
    return in_chain


def _policy(b: _Builder, ix: _Index, host: np.ndarray, in_chain: dict) -> None:
    data = ix.data
    must = ix.pairs(p for p in sorted(data.must) if data.is_eligible(p))
    b.rows(np.ones(len(must)), 1.0, np.arange(len(must)), host[must], np.ones(len(must)))
    n_seg = len(data.segments)
    count = np.bincount(ix.pair_s, minlength=n_seg)
    cap = ix.seg_col("max_hosts")
    capped = np.flatnonzero(~np.isnan(cap) & (cap < count))
    _count_rows(b, ix.pair_s, capped, cap, host, n_seg)
    n_reg = len(data.regions)
    reg_cap = np.array([data.region[r]["max_segments"] for r in data.regions])
    count = np.bincount(ix.pair_r, minlength=n_reg)
    capped = np.flatnonzero(~np.isnan(reg_cap) & (reg_cap < count))
    _count_rows(b, ix.pair_r, capped, reg_cap, host, n_reg)
    chain_caps = capped_regions(data)
    row_of = {r: i for i, r in enumerate(chain_caps)}
    members = [(row_of[r], col) for (r, _), col in in_chain.items() if r in row_of]
    rows, cols = (np.array(x, np.int64) for x in zip(*members, strict=True)) if members \
        else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    b.rows(np.full(len(chain_caps), -INF), np.array(list(chain_caps.values()), float), rows,
           cols, np.ones(len(rows)))
    _change_budget(b, ix, host)


def _count_rows(b: _Builder, group: np.ndarray, capped: np.ndarray, cap: np.ndarray,
                host: np.ndarray, n_groups: int) -> None:
    """sum of host over a group <= its cap, for the capped groups in order."""
    local = np.full(n_groups, -1, np.int64)
    local[capped] = np.arange(len(capped))
    members = np.flatnonzero(local[group] >= 0)
    b.rows(np.full(len(capped), -INF), cap[capped], local[group[members]], host[members],
           np.ones(len(members)))


def _change_budget(b: _Builder, ix: _Index, host: np.ndarray) -> None:
    data = ix.data
    budget = data.policy["change_budget"]
    if budget is None:
        return
    current = np.zeros(ix.n_pairs, bool)
    held = [ix.pair_index[p] for p in data.current if data.is_eligible(p)]
    current[held] = True
    constant = len(data.current)  # each current host counts 1 unless it stays
    b.rows([-INF], budget - constant, np.zeros(ix.n_pairs, np.int64), host,
           np.where(current, -1.0, 1.0))


def _benefit_sharing(b: _Builder, ix: _Index, output: np.ndarray) -> _Term:
    data = ix.data
    floors = loss_floors(data)
    comp = b.columns(len(floors), 0.0, INF)
    local = np.full(len(data.regions), -1, np.int64)
    local[[data.region_index[r] for r in floors]] = np.arange(len(floors))
    members = np.flatnonzero(local[ix.pair_r] >= 0)
    va = ix.seg_col("value_added_rate")[ix.pair_s[members]]
    n = len(floors)
    b.rows(np.array(list(floors.values()), float), INF,
           np.concatenate([local[ix.pair_r[members]], np.arange(n)]),
           np.concatenate([output[members], comp]), np.concatenate([va, np.ones(n)]))
    return _Term(0.0, comp, np.ones(n))


def _duplication(b: _Builder, ix: _Index, host: np.ndarray) -> dict[str, _Term]:
    data = ix.data
    segs = np.flatnonzero(np.bincount(ix.pair_s, minlength=len(data.segments)) > 0)
    local = np.full(len(data.segments), -1, np.int64)
    local[segs] = np.arange(len(segs))
    weight = ix.seg_col("weight")[segs]
    excess = b.columns(len(segs), 0.0, INF)
    n = len(segs)
    b.rows(np.full(n, -1.0), INF, np.concatenate([np.arange(n), local[ix.pair_s]]),
           np.concatenate([excess, host]), np.concatenate([np.ones(n), -np.ones(ix.n_pairs)]))
    terms = {"excess_hosts": _Term(0.0, excess, weight), "pairwise_overlap": _Term()}
    if "pairwise_overlap" not in used_terms(data.instance.settings):
        return terms
    most = np.array([most_hosts(data, data.segments[s]) for s in segs])
    count = b.columns(n, 0.0, most.astype(float))
    overlap = b.columns(n, 0.0, INF)
    b.rows(np.zeros(n), 0.0, np.concatenate([local[ix.pair_s], np.arange(n)]),
           np.concatenate([host, count]), np.concatenate([np.ones(ix.n_pairs), -np.ones(n)]))
    seg_of = np.repeat(np.arange(n), np.maximum(most - 1, 0))
    k = np.concatenate([np.arange(1, m) for m in most] or [np.zeros(0)]).astype(float)
    t = len(k)
    b.rows(-k * (k + 1) / 2, INF, np.repeat(np.arange(t), 2),
           np.column_stack([overlap[seg_of], count[seg_of]]).ravel(),
           np.column_stack([np.ones(t), -k]).ravel())
    terms["pairwise_overlap"] = _Term(0.0, overlap, weight)
    return terms


def _change(b: _Builder, ix: _Index, host: np.ndarray, output: np.ndarray) -> _Term:
    """model/change.py: shrinkage columns and rows, max_shrink, protected shares; the growth
    and shrinkage costs as a term that joins `cost`."""
    data = ix.data
    prices = change_prices(data)
    kept = priced_hosts(data, prices)
    q0 = np.array([data.current[p] for p in kept], float)
    shrink = b.columns(len(kept), 0.0, q0)
    at = ix.pairs(kept)
    k = len(kept)
    b.rows(q0, INF, np.repeat(np.arange(k), 2), np.column_stack([output[at], shrink]).ravel(),
           np.ones(2 * k))
    floors = shrink_floors(data)
    at_f = ix.pairs(floors)
    n = len(floors)
    b.rows(np.zeros(n), INF, np.repeat(np.arange(n), 2),
           np.column_stack([output[at_f], host[at_f]]).ravel(),
           np.column_stack([np.ones(n), -np.array(list(floors.values()), float)]).ravel())
    protect = protection_floors(data)
    b.rows(np.array(list(protect.values()), float), INF, np.arange(len(protect)),
           output[ix.pairs(protect)], np.ones(len(protect)))
    constant, cols, coefs = 0.0, [], []
    shrink_of = dict(zip(kept, shrink, strict=True))
    for pair, (grow, strand) in prices.items():
        before = data.current.get(pair, 0.0)
        p = ix.pair_index.get(pair)
        if p is None:
            constant += strand * before if before > 0 else 0.0
        elif before > 0:
            constant -= grow * before
            cols += [output[p], shrink_of[pair]]
            coefs += [grow, grow + strand]
        elif grow:
            cols += [output[p], host[p]]
            coefs += [grow, -grow * data.segment[pair[1]]["min_scale"]]
    return _Term(constant, np.array(cols, np.int64), np.array(coefs, float))


def _cost(ix: _Index, host: np.ndarray, output: np.ndarray, in_chain: dict,
          change: _Term) -> _Term:
    data = ix.data
    table = data.instance.tables["costs"]
    constant, cols, coefs = change.constant, list(change.cols), list(change.coefs)
    for r, s, unit, opening, closure in zip(table["region"], table["segment"],
                                            table["unit_cost"], table["opening_cost"],
                                            table["closure_cost"], strict=True):
        p = ix.pair_index.get((r, s))
        current = (r, s) in data.current
        if current and closure > 0:
            constant += closure
            if p is not None:
                cols.append(host[p])
                coefs.append(-closure)
        if p is None:
            continue
        if unit != 0:
            cols.append(output[p])
            coefs.append(unit)
        if not current and opening > 0:
            cols.append(host[p])
            coefs.append(opening)
    for rc, g in entry_costs(data).items():
        if rc in in_chain:
            cols.append(in_chain[rc])
            coefs.append(g)
    return _Term(constant, np.array(cols, np.int64), np.array(coefs, float))


def _pass(b: _Builder, terms: dict[str, _Term], host: np.ndarray, output: np.ndarray,
          data: ModelData) -> DirectModel:
    lower, upper, start, index, value = b.csr()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = b.n, len(lower)
    lp.col_cost_ = np.zeros(b.n)
    lp.col_lower_ = np.concatenate(b.lower) if b.lower else np.zeros(0)
    lp.col_upper_ = np.concatenate(b.upper) if b.upper else np.zeros(0)
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = b.n, len(lower)
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    integer = np.concatenate(b.integer) if b.integer else np.zeros(0, bool)
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                       for i in integer]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    model = DirectModel(h, terms, b.n, len(lower), h.getNumNz(), host, output)
    settings = data.instance.settings
    first = used_terms(settings)[:1] if settings.objective_mode == "lexicographic" else None
    set_direct_objective(model, {t: 1.0 for t in first} if first is not None
                         else weighted(settings))
    return model


def _dense(model: DirectModel, weights: dict[str, float]) -> tuple[np.ndarray, float]:
    cost = np.zeros(model.num_col)
    offset = 0.0
    for name, w in weights.items():
        t = model.terms[name]
        np.add.at(cost, t.cols, w * t.coefs)
        offset += w * t.constant
    return cost, offset


def set_direct_objective(model: DirectModel, weights: dict[str, float]) -> None:
    cost, offset = _dense(model, {t: w for t, w in weights.items() if w != 0})
    h = model.highs
    h.changeColsCost(model.num_col, np.arange(model.num_col, dtype=np.int32), cost)
    h.changeObjectiveOffset(offset)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)


def solve_direct(model: DirectModel, data: ModelData, time_limit: float | None,
                 mip_gap: float, threads: int | None = None) -> DirectOutcome:
    """The same stages as AllocationSolver: weighted once, or one term at a time."""
    h = model.highs
    if threads is not None:
        use_threads(threads)
        h.setOptionValue("threads", threads)
    h.setOptionValue("mip_rel_gap", mip_gap)
    settings = data.instance.settings
    lexicographic = settings.objective_mode == "lexicographic"
    order = (used_terms(settings) or ["excess_hosts"]) if lexicographic else ["weighted"]
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    stages: list[dict] = []
    for name in order:
        set_direct_objective(model, {name: 1.0} if lexicographic else weighted(settings))
        if deadline is not None:
            h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1e-3))
        stage = _run(h, name)
        stages.append(stage)
        if stage["objective"] is None or not lexicographic:
            break
        _hold(model, name, stage["objective"], settings.tolerance)
    return _outcome(stages, h)


def _run(h: highspy.Highs, name: str) -> dict:
    before = h.getRunTime()
    h.run()
    info = h.getInfo()
    status = h.getModelStatus()
    found = info.primal_solution_status == 2
    optimal = status == highspy.HighsModelStatus.kOptimal
    objective = info.objective_function_value if found else None
    bound = info.mip_dual_bound if info.mip_node_count >= 0 else objective
    return {"objective_term": name, "status": "optimal" if optimal else (
        "feasible" if found else str(status).split(".")[-1]), "objective": objective,
        "bound": bound, "mip_gap": relative_gap(objective, bound),
        "nodes": max(info.mip_node_count, 0),
        "highs_seconds": h.getRunTime() - before}


def _hold(model: DirectModel, name: str, value: float, tolerance: float) -> None:
    """term <= value + slack, as solve.py adds between lexicographic stages."""
    t = model.terms[name]
    slack = tolerance * abs(value) + 1e-6 * max(1.0, abs(value))
    cols, inverse = np.unique(t.cols, return_inverse=True)
    coefs = np.bincount(inverse, weights=t.coefs, minlength=len(cols))
    model.highs.addRow(-INF, value + slack - t.constant, len(cols), cols.astype(np.int32),
                       coefs)



def combine_stages(stages: list[dict], seconds_key: str) -> tuple:
    """status, objective, bound, gap, nodes, seconds over a run's stages, as solve.py reports
    them: a later stage that fails leaves the earlier stage's allocation, `feasible`."""
    rank = {"optimal": 0, "feasible": 1}
    worst = max(stages, key=lambda s: rank.get(s["status"], 2))
    solved = [s for s in stages if s["objective"] is not None]
    last = solved[-1] if solved else stages[-1]
    gaps = [s["mip_gap"] for s in stages if s["mip_gap"] is not None]
    status = worst["status"]
    if status not in rank and len(solved) and len(stages) > 1:
        status = "feasible"
    return (status, last["objective"], last["bound"], max(gaps) if gaps else None,
            sum(s["nodes"] for s in stages), sum(s[seconds_key] for s in stages))


def _outcome(stages: list[dict], h: highspy.Highs) -> DirectOutcome:
    return DirectOutcome(*combine_stages(stages, "highs_seconds"), stages)


def direct_layout(model: DirectModel, data: ModelData) -> dict[tuple[str, str], float]:
    """The allocation in the incumbent, as results.layout reads it off the Pyomo model."""
    x = np.asarray(model.highs.getSolution().col_value)
    if len(x) < model.num_col:
        return {}
    return {p: max(float(x[o]), 0.0) for p, h, o in zip(data.eligible, model.host_cols,
                                                         model.output_cols, strict=True)
            if x[h] > 0.5}
