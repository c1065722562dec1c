"""Assemble the shipped instances from the raw data and write them deterministically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from optimizer.instance.geometry import GEOMETRY_FILE
from optimizer.instance.settings import settings_dict
from optimizer.sources.databuild import (
    boundaries,
    capacity,
    evidence,
    layout,
    parameters,
    regions,
    sources,
)
from optimizer.sources.databuild.chains import (
    CHAINS,
    SEGMENTS,
    link_intensities,
    product_shares,
    segment_output,
    value_added_rates,
)
from optimizer.sources.databuild.names import names_table
from optimizer.sources.databuild.provenance import data_md
from optimizer.sources.databuild.sources import IOTable
from optimizer.sources.writer import write_instance


@dataclass(frozen=True)
class Spec:
    """One shipped instance: which regions, and the settings that differ between instances."""

    name: str
    title: str
    level: str  # "city" or "province"
    provinces: tuple[str, ...] | None  # province codes; None: all 31
    time_limit: float
    mip_gap: float
    flows: bool = True  # the flow form: supply in reach covers use (DATA.md)


SPECS = (
    Spec("yangtze_delta", "Yangtze River Delta: the 41 prefecture-level cities of Shanghai, "
         "Jiangsu, Zhejiang and Anhui", "city", ("310000", "320000", "330000", "340000"),
         60.0, 1e-4),
    Spec("jing_jin_ji", "Beijing-Tianjin-Hebei: Beijing, Tianjin and the 11 cities of Hebei",
         "city", ("110000", "120000", "130000"), 60.0, 1e-4),
    Spec("provinces", "China's 31 provinces (mainland)", "province", None, 60.0, 1e-4),
    Spec("national", "Every prefecture-level unit of mainland China with 2020 census data",
         "city", None, 120.0, 1e-3),
)
MAX_LOSS_SHARE = 0.5  # a region may lose half its value added before it is owed compensation
COMPENSATION_YEARS = 2.0  # compensation is paid for two years (the 50/50-for-two-years rule)
RESEARCH_NEEDS = {"research": ("science", 1), "services": ("science", 1)}
# Segments exempt from their stage's need: hee_services is mostly repair and installation of
# machinery (product 099), done where the machines are, not in a science base.
NEED_EXEMPT = ("hee_services",)
# Needs of single segments beyond their stage's. None today: ships need a port, but
# hee_transport bundles them with rail and aerospace equipment, which are built inland
# (Zhuzhou, Xi'an, Chengdu), and bulk feedstock (nmat_feedstock) is made inland as well
# (coal chemicals, smelting in Xinjiang, Inner Mongolia, Yunnan), so a port would close them.
SEGMENT_NEEDS: dict[str, tuple[str, int]] = {}


@dataclass
class Context:
    """What every table of one instance is computed from."""

    raw: Path
    spec: Spec
    io: IOTable
    shares: pd.DataFrame  # segment x product
    national: pd.Series  # national 2020 output per segment
    scale: pd.Series  # min_scale per segment
    opening: pd.Series  # opening cost per segment
    province_output: pd.DataFrame  # area provinces x segments, 2020
    regions: pd.DataFrame  # the instance's regions with build attributes
    cities: pd.DataFrame  # the area's cities (also for province instances)
    current: pd.DataFrame = field(default_factory=pd.DataFrame)
    facts: dict = field(default_factory=dict)  # figures DATA.md reports

    @property
    def city_level(self) -> bool:
        return self.spec.level == "city"

    @property
    def province_of(self) -> pd.Series:
        return self.regions.set_index("region")["province_code"]


@dataclass
class Built:
    """One instance ready to write: settings, tables and the context they came from."""

    spec: Spec
    settings: dict
    tables: dict[str, pd.DataFrame]
    context: Context
    geometry: str = ""  # regions.geojson text


def build_instances(raw: Path, out: Path, only: list[str] | None = None) -> list[Path]:
    """Build the shipped instances from `raw` into `out/<name>/`; return the folders written.

    Same input, same bytes: rows are sorted, floats have fixed formats and nothing records
    when or where the build ran.
    """
    raw, out = Path(raw), Path(out)
    unknown = sorted(set(only or []) - {s.name for s in SPECS})
    if unknown:
        raise ValueError(f"unknown instance(s) {unknown}; choose from "
                         f"{[s.name for s in SPECS]}")
    written = []
    for spec in SPECS:
        if only and spec.name not in only:
            continue
        built = build(raw, spec)
        folder = out / spec.name
        write_instance(folder, built.settings, built.tables, canonical=True, update=True,
                       files={"DATA.md": data_md(built).rstrip("\n") + "\n",
                              GEOMETRY_FILE: built.geometry})
        written.append(folder)
    return written


def build(raw: Path, spec: Spec) -> Built:
    """All tables of one instance, in memory."""
    ctx = _context(Path(raw), spec)
    ctx.current = _current(ctx)
    tables = {
        "regions": ctx.regions[["region", "name", "group", "lon", "lat"]],
        "chains": pd.DataFrame([(c.key, c.name) for c in CHAINS], columns=["chain", "name"]),
        "segments": _segments(ctx),
        "links": _links(ctx),
        "current_layout": ctx.current,
        **_talent(ctx),
        **_resources(ctx),
        **_infrastructure(ctx),
        **_costs(ctx),
        "population": ctx.regions[["region", "population"]],  # for measures per person
    }
    tables["names"] = names_table(tables)
    shapes = boundaries.region_shapes(ctx.raw, ctx.regions, spec.level)
    return Built(spec, _settings(ctx), tables, ctx, boundaries.geojson_text(shapes))


def _context(raw: Path, spec: Spec) -> Context:
    io = sources.io_table(raw)
    shares = product_shares(io)
    national = segment_output(shares, io.gross_output)
    scale = parameters.min_scale(national)
    provinces = list(spec.provinces) if spec.provinces else None
    cities = regions.city_regions(raw, provinces)
    table = cities if spec.level == "city" else regions.province_regions(raw)
    in_area = sorted(set(table["province_code"]))
    return Context(raw=raw, spec=spec, io=io, shares=shares, national=national, scale=scale,
                   opening=parameters.opening_cost(io, shares, scale),
                   province_output=layout.province_segments(raw).loc[in_area],
                   regions=table, cities=cities)


def _current(ctx: Context) -> pd.DataFrame:
    """Today's layout: provinces' segment output, split to cities where the regions are cities."""
    if ctx.city_level:
        urban = capacity.urban_weights(ctx.regions)
        found = {s.key: evidence.region_evidence(ctx.raw, ctx.regions, s.key) for s in SEGMENTS}
        cur = layout.observed_city_layout(ctx.province_output, found, urban, _eligible(ctx),
                                          ctx.regions, ctx.scale)
    else:
        names = pd.Series(ctx.regions["region"].to_numpy(),
                          index=ctx.regions["province_code"].to_numpy())
        # province rows are the provinces' own (IO-table) output: observed, not split
        cur = layout.province_layout(ctx.province_output, names, ctx.scale).assign(
            basis="evidence")
    return cur.sort_values(["region", "segment"]).reset_index(drop=True)


def _segments(ctx: Context) -> pd.DataFrame:
    targets = ctx.province_output.sum(axis=0)
    va = value_added_rates(ctx.io, ctx.shares)
    weight = duplication_weights(ctx.opening)
    rows = [{"segment": s.key, "chain": s.chain, "name": s.name, "stage": s.stage,
             "target_min": targets[s.key], "target_max": targets[s.key],
             "min_scale": ctx.scale[s.key], "value_added_rate": va[s.key],
             "weight": weight[s.key], "max_hosts": None} for s in SEGMENTS]
    return pd.DataFrame(rows)


def duplication_weights(opening: pd.Series) -> pd.Series:
    """w_s: the opening cost of a minimum-scale host relative to the mean over segments, so a
    duplicate weighs what it ties up in duplicated fixed assets; rounded to 4 decimals so the
    objective uses exactly the numbers the file shows."""
    return (opening / opening.mean()).round(4)


def duplicate_value(opening: pd.Series) -> float:
    """亿元 per weighted duplicate host: the mean opening cost of a minimum-scale host."""
    return round(float(opening.mean()), 2)


def _links(ctx: Context) -> pd.DataFrame:
    intensity = link_intensities(ctx.io, ctx.shares)
    reach = parameters.link_reach()
    return pd.DataFrame([{"supplier": s, "user": t, "reach": reach[(s, t)], "intensity": a}
                         for (s, t), a in intensity.items()])


def _talent(ctx: Context) -> dict[str, pd.DataFrame]:
    """R&D staff for research segments; sector workforces for the industrial segments."""
    research = [s.key for s in SEGMENTS if s.stage == "research"]
    per_fte = pd.Series(capacity.rd_fte_per_output(ctx.raw), index=research)
    use = [(s, "rd_fte", u) for s, u in per_fte.items()]
    avail = [(r, "rd_fte", v) for r, v in _rd_fte(ctx, per_fte).items()]
    groups = capacity.workforce_group(ctx.shares, ctx.io.gross_output)
    per_worker = capacity.workers_per_output(ctx.raw)
    weights = capacity.urban_weights(ctx.regions) if ctx.city_level else _ones(ctx)
    for group in sorted(set(groups)):
        group_use = pd.Series({s: per_worker[group] for s in groups.index if groups[s] == group})
        use += [(s, group, u) for s, u in group_use.items()]
        pool = capacity.room(capacity.use_by_region(ctx.current, group_use),
                             (ctx.province_output[group_use.index] * group_use).sum(axis=1),
                             weights, ctx.province_of, capacity.WORKFORCE_HEADROOM)
        avail += [(r, group, v) for r, v in pool.items()]
    ctx.facts.update({"workforce_group": groups, "workers_per_output": per_worker,
                      "rd_fte_per_output": float(per_fte.iloc[0])})
    return {"talent_availability": pd.DataFrame(avail, columns=["region", "talent", "available"]),
            "talent_use": pd.DataFrame(use, columns=["segment", "talent", "use"])}


def _rd_fte(ctx: Context, per_fte: pd.Series) -> pd.Series:
    """Observed R&D FTE (split to cities), raised where today's research needs more at the
    national staff-to-output ratio (plus the workforce headroom)."""
    if ctx.city_level:
        observed = capacity.city_rd_fte(ctx.raw, ctx.cities).reindex(ctx.regions["region"])
    else:
        by_name = sources.rd_fte_2020(ctx.raw)
        names = dict(zip(sources.provinces(ctx.raw)["province_code"],
                         sources.provinces(ctx.raw)["province_cn"], strict=True))
        observed = ctx.province_of.map(names).map(by_name)
    needed = (1.0 + capacity.WORKFORCE_HEADROOM) * capacity.use_by_region(ctx.current, per_fte)
    ctx.facts["rd_fte_observed"] = observed
    return pd.concat([observed, needed.reindex(observed.index).fillna(0.0)], axis=1).max(axis=1)


def _ones(ctx: Context) -> pd.Series:
    return pd.Series(1.0, index=ctx.regions["region"].to_numpy())


def _resources(ctx: Context) -> dict[str, pd.DataFrame]:
    """CO2 room (inventory-based) and industrial land (area-based)."""
    co2_use = capacity.co2_intensity(ctx.raw, ctx.shares)
    weights = capacity.city_co2_weights(ctx.raw, ctx.regions) if ctx.city_level else _ones(ctx)
    co2 = capacity.room(capacity.use_by_region(ctx.current, co2_use),
                        (ctx.province_output[co2_use.index] * co2_use).sum(axis=1), weights,
                        ctx.province_of, capacity.CO2_HEADROOM)
    land_use = capacity.land_use()
    share = pd.Series((ctx.regions["area_km2"] * capacity.INDUSTRIAL_LAND_SHARE).to_numpy(),
                      index=ctx.regions["region"].to_numpy())
    built_up = (1.0 + capacity.LAND_HEADROOM) * capacity.use_by_region(ctx.current, land_use)
    land = pd.concat([share, built_up.reindex(share.index).fillna(0.0)], axis=1).max(axis=1)
    avail = [(r, "co2", v) for r, v in co2.items()] + [(r, "land", v) for r, v in land.items()]
    use = [(s, "co2", u) for s, u in co2_use.items()] + [
        (s, "land", u) for s, u in land_use.items()]
    ctx.facts.update({"co2_use": co2_use})
    return {"resource_availability": pd.DataFrame(avail,
                                                  columns=["region", "resource", "available"]),
            "resource_use": pd.DataFrame(use, columns=["segment", "resource", "use"])}


def _infrastructure_levels(ctx: Context) -> pd.DataFrame:
    fte = capacity.city_rd_fte(ctx.raw, ctx.cities)
    levels = regions.city_infrastructure(ctx.cities, fte)
    if not ctx.city_level:
        levels = regions.province_infrastructure(ctx.regions, ctx.cities, levels)
    return levels


def requirements() -> pd.DataFrame:
    """segment, infrastructure, level: what each segment needs (see RESEARCH_NEEDS)."""
    needs = [(s.key, *RESEARCH_NEEDS[s.stage]) for s in SEGMENTS
             if s.stage in RESEARCH_NEEDS and s.key not in NEED_EXEMPT]
    needs += [(s, infra, level) for s, (infra, level) in SEGMENT_NEEDS.items()]
    return pd.DataFrame(needs, columns=["segment", "infrastructure", "level"])


def _eligible(ctx: Context) -> dict[str, set[str]]:
    """Segment -> regions meeting all its infrastructure requirements (listed segments only)."""
    levels = _infrastructure_levels(ctx)
    has = {(r, i): v for r, i, v in zip(levels["region"], levels["infrastructure"],
                                        levels["level"], strict=True)}
    out: dict[str, set[str]] = {}
    for seg, group in requirements().groupby("segment"):
        out[seg] = {r for r in ctx.regions["region"]
                    if all(has.get((r, i), 0) >= v for i, v in zip(
                        group["infrastructure"], group["level"], strict=True))}
    return out


def _infrastructure(ctx: Context) -> dict[str, pd.DataFrame]:
    return {"infrastructure_levels": _infrastructure_levels(ctx),
            "infrastructure_requirements": requirements()}


def _costs(ctx: Context) -> dict[str, pd.DataFrame]:
    """Opening cost for every pair, entry cost per chain, growth and shrinkage per unit; no
    fixed closure cost (closing strands today's output, which shrink_cost prices per unit)."""
    ratio = parameters.capital_output_ratio(ctx.io, ctx.shares)
    rows = []
    for r in ctx.regions["region"]:
        for s in SEGMENTS:
            rows.append({"region": r, "segment": s.key, "unit_cost": None,
                         "opening_cost": ctx.opening[s.key], "closure_cost": None})
    entry = parameters.entry_cost(ctx.opening)
    entries = [{"region": r, "chain": c.key, "entry_cost": entry[c.key]}
               for r in ctx.regions["region"] for c in CHAINS]
    ctx.facts.update({"capital_output_ratio": ratio, "entry_cost": entry})
    return {"costs": pd.DataFrame(rows), "change_costs": _change_costs(ctx, ratio),
            "chain_entry_costs": pd.DataFrame(entries)}


def _change_costs(ctx: Context, ratio: pd.Series) -> pd.DataFrame:
    """Growth and shrinkage per unit for every pair, from the capital-output ratio and the
    rank of the region's cluster of the segment today (parameters.cluster_rank)."""
    names = list(ctx.regions["region"])
    chain_of = {s.key: s.chain for s in SEGMENTS}
    rows = []
    for s in SEGMENTS:
        for rank, r in enumerate(parameters.cluster_rank(ctx.current, names, s.key, chain_of)):
            factor = parameters.agglomeration_factor(rank, len(names))
            rows.append({"region": r, "segment": s.key,
                         "growth_cost": parameters.growth_cost(ratio[s.key], factor),
                         "shrink_cost": parameters.shrink_cost(ratio[s.key], factor)})
    return pd.DataFrame(rows)


def _settings(ctx: Context) -> dict:
    spec = ctx.spec
    return settings_dict({
        "name": spec.name,
        "language": "zh",
        "description": f"{spec.title}. Six strategic industry chains built from China's 2020 "
                       "national input-output table; today's layout: provincial output from the "
                       "2017 provincial tables, split to cities by observed development zones "
                       "and listed firms (population only where neither is seen; column "
                       "basis). Built by optimizer.sources.databuild; see DATA.md.",
        "units": {
            "output": "100 million CNY (亿元) of gross output per year, 2020 prices",
            "cost": "100 million CNY (亿元), one-off",
            "distance": "km",
            "resources": {"co2": "10,000 t (万吨) of energy-related CO2 per year",
                          "land": "km² of industrial land"},
            "talent": {"rd_fte": "R&D personnel, full-time-equivalent person-years",
                       **{g: f"persons employed in the chains' {g.split('_')[0]} industries"
                          for g in capacity.WORKFORCE_GROUPS}},
        },
        "objective": {"mode": "weighted",
                      "weights": {"excess_hosts": duplicate_value(ctx.opening),
                                  "pairwise_overlap": 0.0, "cost": 1.0, "linkage": 0.0,
                                  "compensation": COMPENSATION_YEARS}},
        "solver": {"time_limit": spec.time_limit, "mip_gap": spec.mip_gap},
        "policy": {"chain_completeness": True, "supplier_reach": True, "flows": spec.flows,
                   "resources": True, "talent": True, "infrastructure": True,
                   "benefit_sharing": True, "max_loss_share": MAX_LOSS_SHARE,
                   "change_budget": None},
    })
