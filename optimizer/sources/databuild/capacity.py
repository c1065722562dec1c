"""What regions have (R&D staff, sector workforces, CO2 room, industrial land) and what each
segment uses per unit of output.

- rd_fte (talent): observed provincial R&D full-time equivalents 2020, split to cities; only
  research segments draw on it, at the national ratio of R&D staff to R&D output.
- <group>_workers (talent): the workforce of the chain segments in a group of manufacturing
  sectors, at national persons per unit of output (2018 employment / 2018 output). A region
  has what its current hosts employ or its urban-population share of the province's, the
  larger, plus headroom; so today's layout fits and every city can grow or enter.
- co2 (resource): energy-related CO2 per unit of output from the CEADs inventories; a region's
  room is its current use or its city-inventory share of the province's current use, the
  larger, plus headroom.
- land (resource): a stated share of each region's area, or today's use plus headroom where
  a dense city already uses more; use per unit of output by stage.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.sources.databuild import sources
from optimizer.sources.databuild.chains import SEGMENTS
from optimizer.sources.databuild.layout import province_products_2017
from optimizer.sources.databuild.sources import sector_of

# R&D spending 2020 (亿元) of the cities seed 002 names, and of their provinces; a city's R&D
# staff is taken to follow its R&D spending within the province.
SEED_CITY_RD = {"320500": 761.59, "320100": 515.0, "330100": 578.8, "330200": 354.0}
SEED_PROVINCE_RD = {"320000": 3005.9, "330000": 1859.9}
# A provincial capital's R&D staff per urban resident relative to other cities, calibrated on
# seed 002: Hangzhou's share of Zhejiang's R&D spending implies 1.67, Nanjing's 1.38.
CAPITAL_RD_PREMIUM = 1.5

CO2_HEADROOM = 0.15  # room over today's use: growth allowed before the carbon peak
WORKFORCE_HEADROOM = 0.25  # workers a region can add in a sector group by training and hiring
INDUSTRIAL_LAND_SHARE = 0.03  # share of a region's area that is (or may become) industrial land
LAND_HEADROOM = 0.1  # where today's use already exceeds that share: room to densify
# Industrial land per 100 million CNY of output (km²): 1 km² per 100 亿元 for manufacturing,
# a benchmark close to Zhejiang's 亩均 output; heavier for bulk materials, far lighter for
# offices and laboratories.
LAND_PER_OUTPUT = {"research": 0.002, "services": 0.002, "materials": 0.015,
                   "equipment": 0.01, "components": 0.01, "manufacturing": 0.01,
                   "assembly": 0.01}

# Materials segments: process industry that sits where the heavy emitters are; their layout
# follows the city CO2 inventories rather than urban population.
HEAVY = ("nev_materials", "ic_materials", "bio_materials", "nmat_feedstock", "nmat_polymers",
         "nmat_inorganic", "nmat_metals", "hee_materials", "nee_materials")

# Workforce groups: 42-sector codes -> GB/T 4754 manufacturing divisions of the national
# employment table that they cover.
WORKFORCE_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "chemical_workers": {"12": ("C14", "C15", "C16", "C17"), "13": ("C18",)},
    "metal_workers": {"14": ("C19", "C20"), "15": ("C21",)},
    "machinery_workers": {"16": ("C22",), "17": ("C23",)},
    "vehicle_workers": {"18": ("C24", "C25")},
    "electrical_workers": {"19": ("C26",), "21": ("C28",)},
    "electronics_workers": {"20": ("C27",)},
}

# CEADs sector -> the 153 products it covers (manufacturing and the service groups).
CEADS_PRODUCTS: dict[str, tuple[int, int]] = {
    "Raw Chemical Materials and Chemical Products": (43, 49),
    "Medical and Pharmaceutical Products": (50, 50),
    "Chemical Fiber": (51, 51), "Rubber Products": (52, 52), "Plastic Products": (53, 53),
    "Nonmetal Mineral Products": (54, 60),
    "Smelting and Pressing of Ferrous Metals": (61, 63),
    "Smelting and Pressing of Nonferrous Metals": (64, 65), "Metal Products": (66, 66),
    "Ordinary Machinery": (67, 73), "Equipment for Special Purposes": (74, 78),
    "Transportation Equipment": (79, 83), "Electric Equipment and Machinery": (84, 89),
    "Electronic and Telecommunications Equipment": (90, 95),
    "Instruments, Meters, Cultural and Office Machinery": (96, 96),
}


def stage_of() -> dict[str, str]:
    return {s.key: s.stage for s in SEGMENTS}


def is_industrial(segment: str) -> bool:
    """Segments with factories: not research or services (offices and laboratories)."""
    return stage_of()[segment] not in ("research", "services")


def is_heavy(segment: str) -> bool:
    """Materials segments: process industry that sits where the heavy emitters are."""
    return segment in HEAVY


def main_sector(shares: pd.DataFrame, gross_output: pd.Series) -> pd.Series:
    """The 42-sector holding most of each segment's output."""
    weights = shares.mul(gross_output, axis=1)
    by_sector = weights.T.groupby(weights.columns.map(sector_of)).sum().T
    return by_sector.idxmax(axis=1)


def workforce_group(shares: pd.DataFrame, gross_output: pd.Series) -> pd.Series:
    """Industrial segment -> the workforce group of its main sector."""
    group_of = {k: g for g, sectors in WORKFORCE_GROUPS.items() for k in sectors}
    main = main_sector(shares, gross_output)
    return pd.Series({s: group_of[main[s]] for s in main.index if is_industrial(s)})


def workers_per_output(raw: Path) -> pd.Series:
    """Persons employed per 亿元 of output, by workforce group (national, 2018)."""
    emp = sources.national_employment_2018(raw)
    go = sources.national_output_2018_42(raw)
    return pd.Series({g: sum(emp[d] for ds in sectors.values() for d in ds) / sum(
        go[k] for k in sectors) for g, sectors in WORKFORCE_GROUPS.items()})


def city_rd_fte(raw: Path, cities: pd.DataFrame) -> pd.Series:
    """R&D FTE 2020 per city, splitting each province's observed total.

    Cities whose 2020 R&D spending seed 002 gives take that share of their province (staff
    taken to follow spending); the rest share what is left by urban population, with a
    provincial capital's weighted by CAPITAL_RD_PREMIUM (universities and institutes).
    """
    fte = sources.rd_fte_2020(raw)
    provs = sources.provinces(raw)
    names = dict(zip(provs["province_code"], provs["province_cn"], strict=True))
    out = {}
    for province, group in cities.groupby("province_code", sort=True):
        total = float(fte[names[province]])
        fixed = {c: SEED_CITY_RD[c] / SEED_PROVINCE_RD[province] for c in group["city_code"]
                 if c in SEED_CITY_RD}
        rest = group[~group["city_code"].isin(list(fixed))]
        weight = rest["urban"] * rest["city_code"].str.endswith("0100").map(
            {True: CAPITAL_RD_PREMIUM, False: 1.0})
        left = total * (1.0 - sum(fixed.values()))
        out.update({c: total * share for c, share in fixed.items()})
        out.update(dict(zip(rest["city_code"], left * weight / weight.sum(), strict=True)))
    region_of = dict(zip(cities["city_code"], cities["region"], strict=True))
    return pd.Series({region_of[c]: v for c, v in out.items()}).sort_index()


def rd_fte_per_output(raw: Path) -> float:
    """National R&D FTE per 亿元 of R&D output (product 136), 2020."""
    io = sources.io_table(raw)
    return float(sources.rd_fte_2020(raw)["全国"] / io.gross_output["136"])


def co2_intensity(raw: Path, shares: pd.DataFrame) -> pd.Series:
    """CO2 per 亿元 of output of each industrial segment (万吨 per 亿元): the 2017 inventories
    over the 2017 provincial output of the matching products, summed over provinces."""
    ceads = sources.ceads_province_2017(raw)
    sector = ceads["sector_en"].str.replace("\n", " ")
    products = province_products_2017(raw, refine=False).sum(axis=0)
    per_product = pd.Series(0.0, index=products.index)
    for name, (a, b) in CEADS_PRODUCTS.items():
        codes = [f"{i:03d}" for i in range(a, b + 1)]
        per_product[codes] = ceads.loc[sector == name, "co2"].sum() * 100.0 / products[
            codes].sum()
    weights = shares.mul(sources.io_table(raw).gross_output, axis=1)
    out = weights.mul(per_product, axis=1).sum(axis=1) / weights.sum(axis=1)
    return out[[s for s in out.index if is_industrial(s)]]


def city_co2_weights(raw: Path, cities: pd.DataFrame) -> pd.Series:
    """Each city's share of its province's CO2: the city inventory (latest 2017-2019) where
    there is one, else population times the province's per-capita inventory emissions."""
    found = match_inventory(raw, cities)
    out = {}
    for _, group in cities.groupby("province_code", sort=True):
        seen = [found.get(r) for r in group["region"]]
        known = [(v, p) for v, p in zip(seen, group["population"], strict=True) if v is not None]
        per_head = sum(v for v, _ in known) / sum(p for _, p in known) if known else 1.0
        values = [v if v is not None else per_head * p
                  for v, p in zip(seen, group["population"], strict=True)]
        total = sum(values)
        out.update({r: v / total for r, v in zip(group["region"], values, strict=True)})
    return pd.Series(out).sort_index()


def match_inventory(raw: Path, cities: pd.DataFrame) -> dict[str, float]:
    """Region -> CO2 of its city inventory entry. Labels are province short name + city short
    name ('江苏苏州', '湖北恩施州', '贵州黔东南'); a municipality is its own name ('上海')."""
    inventory = sources.ceads_cities(raw)
    provs = sources.provinces(raw)
    names = dict(zip(provs["province_cn"], provs["province_code"], strict=True))
    out: dict[str, float] = {}
    for label, co2 in zip(inventory["label"], inventory["co2"], strict=True):
        province = next((p for p in sorted(names, key=len, reverse=True)
                         if label.startswith(p)), None)
        if province is None:
            continue
        group = cities[cities["province_code"] == names[province]]
        stem = label[len(province):]
        for key in (stem, stem.removesuffix("州直属县"), stem.removesuffix("州")):
            hits = [r for r, n in zip(group["region"], group["name"], strict=True)
                    if (key and n.startswith(key)) or (not key and len(group) == 1)]
            if len(hits) == 1:
                out[hits[0]] = co2
                break
    return out


def land_use() -> pd.Series:
    return pd.Series({s: LAND_PER_OUTPUT[stage] for s, stage in stage_of().items()})


def use_by_region(current: pd.DataFrame, use: pd.Series) -> pd.Series:
    """Sum over a long layout (region, segment, output) of output x use per unit."""
    per = current["output"] * current["segment"].map(use).fillna(0.0)
    return per.groupby(current["region"]).sum()


def room(current_use: pd.Series, province_use: pd.Series, weights: pd.Series,
         province_of: pd.Series, headroom: float) -> pd.Series:
    """(1 + headroom) x max(region's current use, its weight share of its province's use).

    `weights` are shares within each province (they add to 1 per province); `province_of`
    maps each region to its province code.
    """
    apportioned = weights * province_of.map(province_use).fillna(0.0)
    today = current_use.reindex(weights.index).fillna(0.0)
    return (1.0 + headroom) * pd.concat([today, apportioned], axis=1).max(axis=1)


def urban_weights(regions: pd.DataFrame) -> pd.Series:
    """Each region's share of its province's urban population."""
    urban = regions.set_index("region")["urban"]
    province = regions.set_index("region")["province_code"]
    return urban / urban.groupby(province).transform("sum")
