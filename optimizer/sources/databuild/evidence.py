"""Observed presence of each segment in each city: development zones and listed firms.

Two sources, each blind where the other sees:
- zones (2018 catalogue): approved area of the zones whose 主导产业 name the segment. It sees
  unlisted champions (Chery in Wuhu) but is a self-description, silent on single-firm
  clusters (CATL's zone in Ningde lists no batteries).
- listed firms: employees of firms in the Tushare classes that make the segment's products.
  It sees champions whose zone is silent, but a firm counts where it is registered, not
  where its plants are, and unlisted firms are missing.

Each source is turned into the output it can account for: a zone's area for the segment over
the land a unit of output needs, a firm's employees times the output per worker. A city's
weight is the mean of the two sources' within-province shares, each counted with its coverage
(the output it accounts for over the province's amount, at most 1), so a source that sees a
cluster the other misses places it, and a thin source cannot outweigh a well-covered one.
With neither source in a province, urban population splits it. Nothing is tuned against a
list of cities.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from optimizer.sources.databuild import capacity, sources
from optimizer.sources.databuild.chains import SEGMENTS, Segment, chain_core
from optimizer.sources.databuild.layout import LISTED_PRODUCTS
from optimizer.sources.databuild.sources import _read_bom_csv

ZONES = "dev_zones_2018/DERIVED_zones_2018_city.csv"
FIRMS = "listed_firms_city/DERIVED_listed_firms_city_industry.csv"

# The catalogue's chain flags (SOURCES.md section 11), used by segments without own terms.
HA_PER_KM2 = 100.0
CHAIN_FLAG = {"nev": "seg_nev_auto", "ic": "seg_ic_electronics", "bio": "seg_biomedicine",
              "nmat": "seg_new_materials", "hee": "seg_high_end_equipment",
              "nee": "seg_new_energy_equipment"}
# Segments whose products a zone names in words of their own; the others (a chain's core
# assembly, its research and services) follow the chain flag.
SEGMENT_TERMS: dict[str, tuple[str, ...]] = {
    "nev_materials": ("有色", "铝", "镁", "锂", "合金", "塑料", "高分子"),
    "nev_battery": ("电池", "储能", "锂"),
    "nev_electronics": ("电子", "电机", "集成电路", "半导体", "芯片", "元器件"),
    "ic_materials": ("电子材料", "电子化学", "化工", "化学", "玻璃", "气体"),
    "bio_materials": ("化工", "化学", "原料药", "医药中间体"),
    "bio_pharma": ("医药", "制药", "药业", "中药", "生物医", "生物制", "生物技术", "生物工程",
                   "生物科技"),
    "bio_devices": ("医疗", "器械"),
    "nmat_feedstock": ("化工", "化学", "石化", "石油", "盐化", "煤化", "有色", "冶金", "冶炼",
                       "铝", "铜", "锌"),
    "nmat_polymers": ("高分子", "塑料", "橡胶", "精细化工", "化工新材料", "有机硅", "氟"),
    "nmat_inorganic": ("碳纤维", "石墨", "陶瓷", "玻纤", "纤维", "非金属", "碳材料"),
    "nmat_metals": ("有色", "铝", "铜", "稀土", "合金", "金属材料", "钛", "镁"),
    "hee_materials": ("钢", "金属制品", "冶金", "铸造", "锻造", "五金"),
    "hee_components": ("电机", "仪器", "仪表", "传感器", "电气", "自动化", "机电"),
    "hee_machinery": ("机床", "数控", "机器人", "智能制造", "智能装备", "精密", "机械",
                      "通用设备", "专用设备", "装备制造"),
    "hee_transport": ("轨道交通", "船舶", "造船", "海工", "海洋工程", "航空", "航天", "飞机",
                      "机车"),
    "nee_materials": ("光伏", "多晶硅", "硅", "石墨", "锂", "玻璃", "有色"),
    "nee_pv": ("光伏", "太阳能", "输变电", "输配电", "智能电网", "电力设备", "电缆", "线缆",
               "电气"),
    "nee_wind": ("风电", "风能", "核电", "能源装备", "发电设备", "电力装备", "动力装备"),
    "nee_battery": ("电池", "储能", "锂"),
}
# Phrases removed before matching: they contain a term but name something else.
EXCLUDED_PHRASES = ("电子商务", "航空物流", "航空港", "临空", "建筑材料", "装饰材料", "包装材料")


def zone_terms(segment: Segment) -> tuple[str, ...] | None:
    """The segment's own terms, or None when it follows its chain's flag."""
    return SEGMENT_TERMS.get(segment.key)


def names_segment(leading: str, terms: tuple[str, ...]) -> bool:
    """Does a zone's 主导产业 text name any of the terms (after the excluded phrases go)?"""
    text = leading
    for phrase in EXCLUDED_PHRASES:
        text = text.replace(phrase, "")
    return any(term in text for term in terms)


def leading_count(leading: str) -> int:
    """Number of leading industries a zone lists (items separated by 、, ， or ;)."""
    items = [x for x in leading.replace("，", "、").replace(";", "、").replace(",", "、")
             .split("、") if x.strip()]
    return max(len(items), 1)


@cache
def zone_evidence(raw: Path) -> pd.DataFrame:
    """City code x segment: hectares of zone area per leading industry naming the segment.

    A zone's approved area is shared equally among the industries it lists, so a zone of
    four industries lends a quarter of its land to each. Zones whose city assignment has low
    confidence are left out.
    """
    zones = _read_bom_csv(raw / ZONES, dtype=str, keep_default_na=False)
    # low confidence: a shared or province-level point with no name match (7 zones)
    zones = zones[(zones["city_code"] != "") & (zones["city_confidence"] != "low")]
    area = zones["核准面积_公顷"].astype(float)
    leading = zones["主导产业"]
    per_item = area / leading.map(leading_count)
    out = {}
    for seg in SEGMENTS:
        terms = zone_terms(seg)
        if terms is None:
            hit = zones[CHAIN_FLAG[seg.chain]] == "1"
        else:
            hit = leading.map(lambda text, t=terms: names_segment(text, t))
        out[seg.key] = per_item.where(hit, 0.0).groupby(zones["city_code"]).sum()
    return pd.DataFrame(out).fillna(0.0).sort_index()


def firm_products(segment: Segment) -> set[str]:
    """IO products whose listed makers evidence the segment: its own products, or for research
    and services (bought by the chain's factories) the chain's core products."""
    if segment.stage in ("research", "services"):
        return set(chain_core(segment.chain))
    return set(segment.core) | set(segment.purchases)


@cache
def firm_evidence(raw: Path) -> pd.DataFrame:
    """City code x segment: employees of listed firms making the segment's products.

    A firm whose Tushare class makes several products counts that fraction of its employees
    for each (as in the provincial tilt). The class is the 2026 one, else the 2024 one.
    """
    firms = _read_bom_csv(raw / FIRMS, dtype=str, keep_default_na=False)
    industry = firms["industry_tushare_2026"].where(firms["industry_tushare_2026"] != "",
                                                    firms["industry_tushare_2024"])
    employees = pd.to_numeric(firms["employees"], errors="coerce").fillna(0.0)
    keep = (firms["city_code"] != "") & industry.isin(list(LISTED_PRODUCTS)) & (employees > 0)
    firms, industry, employees = firms[keep], industry[keep], employees[keep]
    out = {}
    for seg in SEGMENTS:
        wanted = firm_products(seg)
        share = industry.map(lambda c, w=wanted: len(w.intersection(LISTED_PRODUCTS[c]))
                             / len(LISTED_PRODUCTS[c]))
        out[seg.key] = (employees * share).groupby(firms["city_code"]).sum()
    return pd.DataFrame(out).fillna(0.0).sort_index()


def output_per_worker(raw: Path) -> float:
    """亿元 of gross output per person employed, over the chains' manufacturing sectors (2018,
    national): turns a firm's employees into the output it can account for."""
    emp = sources.national_employment_2018(raw)
    go = sources.national_output_2018_42(raw)
    groups = capacity.WORKFORCE_GROUPS.values()
    return float(sum(go[k] for g in groups for k in g)
                 / sum(emp[d] for g in groups for ds in g.values() for d in ds))


def region_evidence(raw: Path, cities: pd.DataFrame, segment: str) -> list[pd.Series]:
    """The output (亿元) the segment's observed presence accounts for in each region (cities
    need `region`, `city_code`): [zones, firms]. Zones: hectares naming the segment over the
    land a unit of its output needs (capacity.LAND_PER_OUTPUT); firms: employees times
    output_per_worker."""
    index = cities["region"].to_numpy()
    zones, firms = (pd.Series(src[segment].reindex(cities["city_code"]).fillna(0.0).to_numpy(),
                              index=index) for src in (zone_evidence(raw), firm_evidence(raw)))
    ha_per_output = HA_PER_KM2 * float(capacity.land_use()[segment])
    return [zones / ha_per_output, firms * output_per_worker(raw)]
