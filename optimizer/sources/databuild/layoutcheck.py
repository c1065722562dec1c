"""Cross-checks of today's layout, written into each DATA.md so a reader can judge it.

- evidence coverage: of the cities with zone or firm evidence for a segment, the share that
  host it today (the rest lost their part as a sub-scale crumb or fail its requirement);
- Table 1 of seed 002 (the YRD provinces' largest industries);
- empty cities under a population split and under the observed split;
- the largest city-segment hosts, with the evidence behind each;
- today's output where a segment's infrastructure requirement is not met (should be none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from optimizer.sources.databuild import capacity, crosscheck, evidence, layout
from optimizer.sources.databuild.chains import SEGMENTS

if TYPE_CHECKING:  # pragma: no cover
    from optimizer.sources.databuild.build import Built

TOP_HOSTS = 10


def population_layout(built: Built) -> pd.DataFrame:
    """The layout the old rule gave: urban population (CO2 inventory for heavy materials)."""
    ctx = built.context
    urban = capacity.urban_weights(ctx.regions)
    co2 = capacity.city_co2_weights(ctx.raw, ctx.regions)
    weights = {s.key: co2 if capacity.is_heavy(s.key) else urban for s in SEGMENTS}
    return layout.city_layout(ctx.province_output, weights, ctx.regions, ctx.scale)


def _evidence(built: Built) -> dict[str, pd.DataFrame]:
    ctx = built.context
    out = {}
    for seg in SEGMENTS:
        zones, firms = evidence.region_evidence(ctx.raw, ctx.regions, seg.key)
        out[seg.key] = pd.DataFrame({"zone_output": zones, "firm_output": firms})
    return out


def coverage_table(built: Built, found: dict[str, pd.DataFrame]) -> str:
    cur = built.tables["current_layout"]
    lines = ["| segment | cities with evidence | of them hosting today | share |",
             "|---|---|---|---|"]
    for seg in SEGMENTS:
        ev = found[seg.key]
        with_ev = set(ev.index[(ev["zone_output"] > 0) | (ev["firm_output"] > 0)])
        hosting = with_ev & set(cur.loc[cur["segment"] == seg.key, "region"])
        share = f"{len(hosting) / len(with_ev):.0%}" if with_ev else "-"
        lines.append(f"| `{seg.key}` | {len(with_ev)} | {len(hosting)} | {share} |")
    return "\n".join(lines)


def table1_text(built: Built) -> str:
    provinces = set(built.context.regions["province_code"])
    rows = crosscheck.compare(built.context.raw)
    rows = rows[rows["province_code"].isin(provinces)]
    if rows.empty:
        return "Not applicable: Table 1 covers the YRD provinces only, none of which is here."
    lines = ["| province | seed 002 top industries | layout's top five | agreement |",
             "|---|---|---|---|"]
    shared = total = 0
    for r in rows.itertuples(index=False):
        lines.append(f"| {r.province_code} | {', '.join(r.seed_top)} | "
                     f"{', '.join(r.layout_top5)} | {r.agreement} |")
        shared, total = shared + len(r.shared), total + len(r.seed_top)
    return (f"Agreement {shared} of {total} (provincial, so the city split does not change "
            "it):\n\n" + "\n".join(lines))


def empty_text(built: Built) -> str:
    regions = built.tables["regions"]
    now = built.tables["current_layout"]
    before = population_layout(built)
    names = regions.set_index("region")["name"]
    empty_now = sorted(set(regions["region"]) - set(now["region"]))
    return (f"Cities hosting nothing today: {len(set(regions['region']) - set(before['region']))}"
            f" of {len(regions)} under a population split (urban population, city CO2 for "
            "heavy materials, the same crumb rule), "
            f"{len(empty_now)} under the observed split"
            + (f": {', '.join(names[r] for r in empty_now)}." if len(empty_now) <= 40 else "."))


def top_hosts_table(built: Built, found: dict[str, pd.DataFrame]) -> str:
    cur = built.tables["current_layout"].sort_values(["output", "region", "segment"],
                                                     ascending=[False, True, True])
    names = built.tables["regions"].set_index("region")["name"]
    lines = ["Evidence columns: the output (亿元) that the zones naming the segment (area over "
             "the land a unit needs) and the listed firms (employees times output per worker) "
             "account for in the city, before the province's amount is split.", "",
             "| region | segment | output (亿元) | basis | zones' evidence | firms' evidence |",
             "|---|---|---|---|---|---|"]
    for r in cur.head(TOP_HOSTS).itertuples(index=False):
        ev = found[r.segment].loc[r.region]
        lines.append(f"| {names[r.region]} `{r.region}` | `{r.segment}` | {r.output:,.0f} | "
                     f"{r.basis} | {ev['zone_output']:,.0f} | {ev['firm_output']:,.0f} |")
    return "\n".join(lines)


def basis_text(built: Built) -> str:
    cur = built.tables["current_layout"]
    share = cur.groupby("basis")["output"].sum() / cur["output"].sum()
    fallback = sorted(set(cur.loc[cur["basis"] == "population", "segment"]))
    return (f"Basis of today's output: evidence {share.get('evidence', 0.0):.1%}, population "
            f"{share.get('population', 0.0):.1%}"
            + (f" (segments with a population split somewhere: {', '.join(fallback)})."
               if fallback else "."))


def requirement_text(built: Built) -> str:
    t = built.tables
    levels = t["infrastructure_levels"]
    has = {(r, i): v for r, i, v in zip(levels["region"], levels["infrastructure"],
                                        levels["level"], strict=True)}
    unmet = 0.0
    for seg, infra, level in t["infrastructure_requirements"].itertuples(index=False):
        rows = t["current_layout"][t["current_layout"]["segment"] == seg]
        unmet += float(rows.loc[[has.get((r, infra), 0) < level for r in rows["region"]],
                                "output"].sum())
    return (f"Today's output where a segment's infrastructure requirement is not met: "
            f"{unmet:,.0f} 亿元 (the split only uses cities that meet it).")


def crosscheck_md(built: Built) -> str:
    """The DATA.md section; city instances get the city checks."""
    parts = ["## Cross-checks of today's layout", "", basis_text(built), "",
             requirement_text(built), "", "### Seed 002, Table 1", "", table1_text(built)]
    if built.spec.level == "city":
        found = _evidence(built)
        parts += ["", "### Empty cities", "", empty_text(built), "",
                  "### Cities with evidence that host the segment today", "",
                  "A city with evidence may host nothing when its part is below the "
                  "segment's min_scale (merged into larger hosts of the province) or when "
                  "it fails the segment's infrastructure requirement.", "",
                  coverage_table(built, found), "",
                  f"### The {TOP_HOSTS} largest hosts", "", top_hosts_table(built, found)]
    return "\n".join(parts)
