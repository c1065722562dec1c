"""The instance tables: every column, its type, range, default and meaning.

This is the single source of truth for the tables, as `SETTINGS` (settings.py) is for
instance.yaml: the loader validates against it and `docs/instance-format.md` describes it.
Every listed column must be present in its table (so a dropped column is always caught); a
column marked optional may be left blank in a row, and then its default applies.
"""

from __future__ import annotations

from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "number", "integer", "choice", or "ref:<table>"
    doc: str
    optional: bool = False  # may be blank in a row
    default: object = None
    min: float = -INF
    max: float = INF
    min_exclusive: bool = False
    choices: tuple[str, ...] = ()
    unit: str = ""  # a key into instance.yaml `units`, when the value carries a unit
    may_omit: bool = False  # the whole column may be left out of the file (then all blank)


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns whose combination must be unique
    required: bool = False  # must the file (or sheet) exist?
    extra_columns: bool = False  # unknown columns are errors unless allowed

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id(name: str, doc: str) -> Column:
    return Column(name, "text", doc)


def _ref(name: str, table: str, doc: str, optional: bool = False) -> Column:
    return Column(name, f"ref:{table}", doc, optional=optional)


def _amount(name: str, doc: str, unit: str, **kw) -> Column:
    return Column(name, "number", doc, min=0.0, unit=unit, **kw)


NAME_KINDS = ("chain", "segment", "resource", "talent", "stage", "infrastructure", "group")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "regions",
            "The places that can host segments: cities, provinces or parks.",
            (
                _id("region", "Identifier used by every other table."),
                Column("name", "text", "Name shown in reports.", optional=True),
                Column("group", "text", "Larger unit the region belongs to (e.g. province).",
                       optional=True, default=""),
                Column("lon", "number", "Longitude of the centroid, degrees.", optional=True,
                       min=-180.0, max=180.0),
                Column("lat", "number", "Latitude of the centroid, degrees.", optional=True,
                       min=-90.0, max=90.0),
                Column("max_segments", "integer", "Most segments the region may host (Smax).",
                       optional=True, min=0),
                Column("max_chains", "integer", "Most chains the region may take part in (Cmax).",
                       optional=True, min=0),
                Column("max_loss_share", "number",
                       "Largest share of its current value added the region may lose before it "
                       "is owed compensation (lambda). Blank: `policy.max_loss_share`.",
                       optional=True, min=0.0, max=1.0),
            ),
            key=("region",),
            required=True,
        ),
        Table(
            "distances",
            "Distances between regions; pairs not listed use the great-circle distance "
            "between their coordinates. Symmetric: one direction is enough.",
            (
                _ref("region_from", "regions", "One region."),
                _ref("region_to", "regions", "The other region."),
                _amount("distance", "Distance between the two.", "distance"),
            ),
            key=("region_from", "region_to"),
        ),
        Table(
            "chains",
            "Industry chains.",
            (
                _id("chain", "Identifier."),
                Column("name", "text", "Name shown in reports.", optional=True),
            ),
            key=("chain",),
            required=True,
        ),
        Table(
            "segments",
            "Segments (links of a chain: research, materials, components, assembly, services).",
            (
                _id("segment", "Identifier."),
                _ref("chain", "chains", "The chain the segment belongs to."),
                Column("name", "text", "Name shown in reports.", optional=True),
                Column("stage", "text", "Position in the chain, e.g. `research`, `materials`, "
                       "`components`, `assembly`, `services`.", optional=True, default=""),
                _amount("target_min", "Least total output of the segment over all regions (D-).",
                        "output"),
                _amount("target_max", "Most total output of the segment over all regions (D+); "
                        "equal to target_min for a fixed target.", "output"),
                _amount("min_scale", "Least output of one host (minimum efficient scale, m).",
                        "output", optional=True, default=0.0),
                _amount("value_added_rate", "Value added per unit of output (v); at most 1, "
                        "since value added is output less intermediate inputs.", "",
                        optional=True, default=0.0, max=1.0),
                _amount("weight", "Strategic weight in the duplication terms (w).", "",
                        optional=True, default=1.0),
                Column("max_hosts", "integer", "Most regions that may host the segment (Nmax).",
                       optional=True, min=1),
            ),
            key=("segment",),
            required=True,
        ),
        Table(
            "links",
            "Chain links: `supplier` supplies `user`. Within one chain the links must not form "
            "a cycle (a chain runs upstream to downstream).",
            (
                _ref("supplier", "segments", "The supplying segment (s)."),
                _ref("user", "segments", "The using segment (t)."),
                _amount("reach", "Farthest a supplier may be from its user (d). Blank: any "
                        "distance.", "distance", optional=True, default=INF),
                _amount("intensity", "Units of supplier output per unit of user output (a); "
                        "used by the flow form.", "", optional=True, default=0.0),
            ),
            key=("supplier", "user"),
        ),
        Table(
            "resource_availability",
            "What each region has of each resource (land, energy, emission room, capital...). "
            "A region with no row for a resource has none of it.",
            (
                _ref("region", "regions", "The region."),
                Column("resource", "text", "Resource identifier; its unit is in "
                       "`units.resources`."),
                _amount("available", "Amount available (U).", "resource"),
            ),
            key=("region", "resource"),
        ),
        Table(
            "resource_use",
            "Resource use per unit of output of each segment.",
            (
                _ref("segment", "segments", "The segment."),
                Column("resource", "text", "Resource identifier."),
                _amount("use", "Resource per unit of output (u).", ""),
            ),
            key=("segment", "resource"),
        ),
        Table(
            "talent_availability",
            "Talent each region has (R&D staff, engineers, skilled workers...). "
            "A region with no row for a talent type has none of it.",
            (
                _ref("region", "regions", "The region."),
                Column("talent", "text", "Talent type; its unit is in `units.talent`."),
                _amount("available", "Amount available (T).", "talent"),
            ),
            key=("region", "talent"),
        ),
        Table(
            "talent_use",
            "Talent needed per unit of output of each segment.",
            (
                _ref("segment", "segments", "The segment."),
                Column("talent", "text", "Talent type."),
                _amount("use", "Talent per unit of output (tau).", ""),
            ),
            key=("segment", "talent"),
        ),
        Table(
            "infrastructure_levels",
            "Infrastructure level of each region (port, rail hub, airport, science facility...). "
            "No row means level 0.",
            (
                _ref("region", "regions", "The region."),
                Column("infrastructure", "text", "Infrastructure type."),
                Column("level", "integer", "Level the region has (iota).", min=0),
            ),
            key=("region", "infrastructure"),
        ),
        Table(
            "infrastructure_requirements",
            "Infrastructure level a segment needs; a region below it cannot host the segment.",
            (
                _ref("segment", "segments", "The segment."),
                Column("infrastructure", "text", "Infrastructure type."),
                Column("level", "integer", "Level needed (rho).", min=0),
            ),
            key=("segment", "infrastructure"),
        ),
        Table(
            "current_layout",
            "Today's output of each segment in each region; pairs not listed have none.",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment."),
                _amount("output", "Current output (q0).", "output"),
                Column("basis", "choice",
                       "What placed this output in this region: `evidence` (observed presence: "
                       "development zones, listed firms, or the region's own statistics) or "
                       "`population` (a province's output split by population for want of "
                       "evidence). Blank: not stated. The column may be left out.",
                       optional=True, default="", choices=("evidence", "population"),
                       may_omit=True),
            ),
            key=("region", "segment"),
        ),
        Table(
            "costs",
            "Region-specific costs of a segment; pairs not listed cost nothing.",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment."),
                Column("unit_cost", "number", "Cost per unit of output (c); a negative value "
                       "rewards a suitable location.", optional=True, default=0.0,
                       unit="cost"),
                _amount("opening_cost", "Cost of a new host where there is none today (F).",
                        "cost", optional=True, default=0.0),
                _amount("closure_cost", "Cost of closing a host that exists today (Z): sunk "
                        "cost and path dependence.", "cost", optional=True, default=0.0),
            ),
            key=("region", "segment"),
        ),
        Table(
            "change_costs",
            "The cost of changing a host's output against today: growth builds new capacity, "
            "shrinkage strands capacity. Pairs not listed change for free.",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment."),
                _amount("growth_cost", "Cost per unit of output added above today's (above the "
                        "minimum scale for a new host, whose first minimum scale the "
                        "opening cost pays for) (e).", "cost", optional=True, default=0.0),
                _amount("shrink_cost", "Cost per unit of today's output given up, closure "
                        "included (z); a closure also pays the fixed `closure_cost`.", "cost",
                        optional=True, default=0.0),
            ),
            key=("region", "segment"),
        ),
        Table(
            "shrink_limits",
            "The most a kept host may shrink, as a share of today's output (a host may still "
            "close; `protected_hosts` keeps it). Overrides `policy.max_shrink`.",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment; blank: every segment of the region "
                     "without a row of its own.", optional=True),
                Column("max_shrink", "number", "Largest share of today's output the host may "
                       "lose while it stays a host.", min=0.0, max=1.0),
            ),
            key=("region", "segment"),
        ),
        Table(
            "protected_hosts",
            "Clusters protected by policy: the region must keep the segment (as `must`) at no "
            "less than a share of today's output.",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment."),
                Column("min_share", "number", "Least share of today's output the host keeps.",
                       min=0.0, max=1.0),
                Column("note", "text", "Why, in words.", optional=True, default=""),
            ),
            key=("region", "segment"),
        ),
        Table(
            "chain_entry_costs",
            "Cost of a region entering a chain in which it has no segment today (G).",
            (
                _ref("region", "regions", "The region."),
                _ref("chain", "chains", "The chain."),
                _amount("entry_cost", "Cost of setting up the cluster.", "cost"),
            ),
            key=("region", "chain"),
        ),
        Table(
            "policy",
            "Allocations fixed by policy: `must` (the region keeps or gets the segment) or "
            "`forbid` (it may not host it).",
            (
                _ref("region", "regions", "The region."),
                _ref("segment", "segments", "The segment."),
                Column("rule", "choice", "`must` or `forbid`.", choices=("must", "forbid")),
                Column("note", "text", "Why, in words.", optional=True, default=""),
            ),
            key=("region", "segment"),
        ),
        Table(
            "names",
            "Names shown in reports, in English and Chinese, for ids that have no name column "
            "of their own (resources, talent types, stages, infrastructure, groups) or to give "
            "chains and segments a second language. An id with no row is shown as it is.",
            (
                Column("kind", "choice", "What the id names.", choices=NAME_KINDS),
                Column("id", "text", "The id as the other tables write it."),
                Column("en", "text", "English name.", optional=True, default=""),
                Column("zh", "text", "Chinese name.", optional=True, default=""),
            ),
            key=("kind", "id"),
        ),
        Table(
            "min_shares",
            "Least share a region or a group keeps of a chain's output, or of total value "
            "added (a lever against polarisation). Name either a region or a group.",
            (
                _ref("region", "regions", "The region; blank when a group is named.",
                     optional=True),
                Column("group", "text", "A group (the `group` column of regions) or an area "
                       "(`areas`); blank when a region is named.", optional=True, default=""),
                _ref("chain", "chains", "The chain whose output is shared out; blank: total "
                     "value added (produced) over all chains.", optional=True),
                Column("min_share", "number", "Least share, 0 to 1 (0.12 = 12 %).",
                       min=0.0, max=1.0),
                Column("note", "text", "Why, in words.", optional=True, default=""),
            ),
            key=("region", "group", "chain"),
        ),
        Table(
            "areas",
            "Named sets of regions that `min_shares` can name like a group (e.g. the northern "
            "cities of a province). One row per region of an area.",
            (
                Column("area", "text", "Name of the area; not the name of a group."),
                _ref("region", "regions", "A region of the area."),
            ),
            key=("area", "region"),
        ),
        Table(
            "lagging_regions",
            "Regions designated as lagging: their loss floor has its own share (blank: no "
            "loss without compensation), they may be given a least gain of value added, and "
            "reports list them apart.",
            (
                _ref("region", "regions", "The lagging region."),
                _amount("min_gain", "Least gain of value added produced in the region over "
                        "today's, a hard limit. Blank: none.", "output", optional=True),
                Column("max_loss_share", "number", "Share of its current value added the "
                       "region may lose before it is owed compensation. Blank: 0.",
                       optional=True, default=0.0, min=0.0, max=1.0),
                Column("note", "text", "Why, in words.", optional=True, default=""),
            ),
            key=("region",),
        ),
        Table(
            "partnerships",
            "\"1+N\" partnerships with shared credit (co-built parks): a share of the value "
            "added of the partner's new output (beyond today's, segment by segment) is "
            "credited to the leader. Loss floors and compensation use the credited value added.",
            (
                _ref("leader", "regions", "The leading region, credited."),
                _ref("partner", "regions", "The partner region that hosts the new output."),
                Column("credit_share", "number", "Share of the value added of the partner's "
                       "new output credited to the leader (0.5 = half each).",
                       min=0.0, max=1.0),
                Column("note", "text", "Terms in words (e.g. the years agreed).",
                       optional=True, default=""),
            ),
            key=("leader", "partner"),
        ),
        Table(
            "population",
            "Population of each region, for measures per person (not used by the model). "
            "Measures per person are shown only when every region has a row.",
            (
                _ref("region", "regions", "The region."),
                _amount("population", "Residents, persons.", ""),
            ),
            key=("region",),
        ),
    )
}

# Objective terms, the unit key each is reported in, and what it counts.
OBJECTIVE_TERMS: dict[str, tuple[str, str]] = {
    "excess_hosts": ("hosts", "Hosts beyond the first of each segment, weighted by w."),
    "pairwise_overlap": ("region pairs", "Region pairs that host the same segment, weighted."),
    "cost": ("cost", "Unit, opening, closure, chain-entry, growth and shrinkage costs."),
    "linkage": ("output x distance", "Supplier output moved times distance (flow form)."),
    "compensation": ("output", "Value added owed to regions that lose beyond their floor."),
}


@dataclass
class Settings:
    """instance.yaml, parsed and defaulted: the fields `SETTINGS` (settings.py) declares."""

    name: str
    description: str
    units: dict
    objective_mode: str  # `weighted` or `lexicographic`
    weights: dict[str, float]
    order: list[str]
    tolerance: float
    time_limit: float | None
    mip_gap: float
    threads: int | None
    policy: dict
    workbook: str | None
    language: str  # the reports' default language: `en` or `zh`
