"""Today's layout: output of each chain segment by province (observed sectors, apportioned
products), then by city, made sparse the way real clusters are.

Observed: gross output of 42 sectors in each province's 2017 IO table; provincial industrial
value added 2020. Apportioned: products within a sector (national 2020 product mix, tilted by
where listed firms of each product are registered), segments within products (chains.py),
cities within provinces (urban population; the city CO2 inventories for heavy materials), and
the 2017 -> 2020 scaling.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.sources.databuild import sources
from optimizer.sources.databuild.chains import product_shares, segment_output
from optimizer.sources.databuild.sources import SECTOR_BLOCKS, sector_of

# Tushare industry classes of listed firms -> the 153 products they make. A firm in a class
# with several products counts as a fraction of a firm in each.
LISTED_PRODUCTS: dict[str, tuple[str, ...]] = {
    "化学制药": ("050",), "生物制药": ("050",), "中成药": ("050",),
    "化工原料": ("043", "047", "048"),
    "农药化肥": ("044", "045"), "染料涂料": ("046",), "塑料": ("047", "053"), "化纤": ("051",),
    "日用化工": ("049",), "橡胶": ("052",), "矿物制品": ("060",), "玻璃": ("057",),
    "陶瓷": ("058",), "水泥": ("054",), "其他建材": ("055", "056"),
    "普钢": ("061", "062", "063"), "特种钢": ("061", "062"), "钢加工": ("062",),
    "铝": ("064", "065"), "铜": ("064", "065"), "铅锌": ("064",), "小金属": ("064", "065"),
    "黄金": ("064",), "汽车整车": ("079",), "汽车配件": ("080",), "运输设备": ("081",),
    "船舶": ("082",), "航空": ("083",), "摩托车": ("083",),
    "电气设备": ("084", "085", "086", "087", "089"), "家用电器": ("088",), "IT设备": ("090",),
    "通信设备": ("091",), "元器件": ("094",), "半导体": ("094",), "电器仪表": ("096",),
    "医疗保健": ("077",), "机床制造": ("068",), "机械基件": ("073",), "工程机械": ("074",),
    "化工机械": ("075",), "农用机械": ("076",), "专用机械": ("074", "075", "078"),
    "纺织机械": ("078",), "轻工机械": ("078",),
}
LISTED_PRIOR = 10.0  # pseudo-firms at the national mix added to each province and sector
LISTED_DAMPING = 0.5  # exponent on the location quotient: firm counts are not output
LISTED_SECTORS = ("12", "13", "14", "16", "17", "18", "19", "20")


def province_products_2017(raw: Path, refine: bool = True) -> pd.DataFrame:
    """Province x product gross output 2017 (亿元): each sector split by the national mix.

    With `refine`, listed-firm location quotients shift output among a sector's products
    that listed firms make; the sector total and its other products are unchanged.
    """
    io = sources.io_table(raw)
    go = sources.province_output_2017(raw).pivot(index="province_code", columns="sector_code",
                                                 values="gross_output")
    national = io.gross_output
    sector_total = national.groupby(national.index.map(sector_of)).sum()
    out = pd.DataFrame(index=go.index, columns=national.index, dtype=float)
    tilt = listed_tilt(raw) if refine else None
    for product in national.index:
        sector = sector_of(product)
        out[product] = go[sector] * national[product] / sector_total[sector]
    if tilt is not None:
        for sector in LISTED_SECTORS:
            cols = [p for p in _sector_products(sector) if p in tilt.columns]
            base = out[cols]
            weighted = base * tilt[cols].reindex(base.index).fillna(1.0)
            scale = (base.sum(axis=1) / weighted.sum(axis=1)).fillna(0.0)  # 0/0: no output
            out[cols] = weighted.mul(scale, axis=0)
    return out


def _sector_products(sector: str) -> list[str]:
    a, b = SECTOR_BLOCKS[sector]
    return [f"{i:03d}" for i in range(a, b + 1)]


def listed_tilt(raw: Path) -> pd.DataFrame:
    """Province x product location quotient of listed firms within each sector, smoothed.

    mix_p,i = (n_p,i + K m_i) / (n_p,k + K), with m_i the national mix of the sector's listed
    firms and K = LISTED_PRIOR; the tilt is (mix_p,i / m_i) ** LISTED_DAMPING, because a count
    of firms says little about their size. Products no listed firm makes get no column.
    """
    firms = sources.listed_firms(raw)
    provs = sources.provinces(raw)
    code_of = dict(zip(provs["province_cn"], provs["province_code"], strict=True))
    rows = []
    for province, industry in zip(firms["province"], firms["industry"], strict=True):
        products = LISTED_PRODUCTS.get(industry)
        if products and province in code_of:
            rows += [(code_of[province], p, 1.0 / len(products)) for p in products]
    counts = pd.DataFrame(rows, columns=["province_code", "product", "n"]).pivot_table(
        index="province_code", columns="product", values="n", aggfunc="sum", fill_value=0.0)
    counts = counts.reindex(sorted(code_of.values()), fill_value=0.0)
    tilt = pd.DataFrame(index=counts.index, dtype=float)
    for sector in LISTED_SECTORS:
        cols = [p for p in _sector_products(sector) if p in counts.columns]
        tilt[cols] = smoothed_quotient(counts[cols], LISTED_PRIOR, LISTED_DAMPING)
    return tilt.sort_index(axis=1)


def smoothed_quotient(counts: pd.DataFrame, prior: float, damping: float) -> pd.DataFrame:
    """Location quotient of counts (rows: places, columns: products of one sector), shrunk
    towards 1 by `prior` pseudo-counts at the overall mix and damped by an exponent."""
    mix = counts.sum(axis=0) / counts.sum(axis=None)
    local = (counts + prior * mix).div(counts.sum(axis=1) + prior, axis=0)
    return (local / mix) ** damping


def industrial_growth(raw: Path) -> pd.Series:
    """Province factor 2017 -> 2020: industrial value added 2020 (NBS) / 2017 (IO sectors 02-26).

    It also absorbs the 2018 economic-census revisions (e.g. Tianjin, Jilin, Shandong).
    """
    prov = sources.province_output_2017(raw)
    industry = prov[prov["sector_code"].astype(int).between(2, 26)]
    va2017 = industry.groupby("province_code")["value_added"].sum()
    return (sources.industrial_va_2020(raw) / va2017).sort_index()


def province_segments(raw: Path) -> pd.DataFrame:
    """Province x segment output 2020 (亿元), scaled so each segment sums to its national output.

    2017 provincial estimates are scaled by the province's industrial growth to 2020; the
    national 2020 IO table then fixes each segment's total (provincial tables add up to more
    than the national table), so only the provincial shares come from the provincial data.
    """
    io = sources.io_table(raw)
    shares = product_shares(io)
    products = province_products_2017(raw)
    grown = products.mul(industrial_growth(raw).reindex(products.index), axis=0)
    by_segment = grown.apply(lambda row: segment_output(shares, row), axis=1)
    national = segment_output(shares, io.gross_output)
    return by_segment.div(by_segment.sum(axis=0), axis=1).mul(national, axis=1)


def split_to_cities(amount: float, weights: pd.Series, threshold: float) -> pd.Series:
    """Split a province's output among its cities by weight, dropping crumbs below `threshold`.

    The smallest city below the threshold gives its share up to the remaining cities, pro
    rata, one at a time, until every kept city reaches it; so no city is dropped that would
    reach the threshold once smaller crumbs are merged. If none would, the largest-weight city
    takes it all; an amount below the threshold is dropped entirely (no real cluster that
    small). Ties go to the first city in index order.
    """
    if amount < threshold or amount <= 0 or weights.sum() <= 0:
        return pd.Series(0.0, index=weights.index)
    keep = weights > 0
    while True:
        part = amount * weights.where(keep, 0.0) / weights[keep].sum()
        small = keep & (part < threshold)
        if not small.any():
            return part.where(keep, 0.0)
        if small.sum() == keep.sum():
            top = weights[keep].idxmax()
            return pd.Series(np.where(weights.index == top, amount, 0.0), index=weights.index)
        keep[part[small].idxmin()] = False


def city_layout(province_output: pd.DataFrame, weights: dict[str, pd.Series],
                cities: pd.DataFrame, min_scale: pd.Series) -> pd.DataFrame:
    """Long table region, segment, output: every province's segments split to its cities.

    `weights` maps each segment to a city weight (urban population, or the CO2 inventory for
    heavy materials); crumbs below the segment's min_scale are merged (split_to_cities).
    """
    rows = []
    for province, group in cities.groupby("province_code", sort=True):
        if province not in province_output.index:
            continue
        members = group["region"].to_numpy()
        for segment, amount in province_output.loc[province].items():
            w = weights[segment].reindex(members).fillna(0.0)
            part = split_to_cities(float(amount), w, float(min_scale[segment]))
            rows += [(r, segment, q) for r, q in part.items() if q > 0]
    return pd.DataFrame(rows, columns=["region", "segment", "output"])


def province_layout(province_output: pd.DataFrame, regions: pd.Series,
                    min_scale: pd.Series) -> pd.DataFrame:
    """Long table for province regions: provinces below a segment's min_scale are dropped."""
    rows = []
    for province, region in regions.items():
        for segment, amount in province_output.loc[province].items():
            if amount >= min_scale[segment] and amount > 0:
                rows.append((region, segment, float(amount)))
    return pd.DataFrame(rows, columns=["region", "segment", "output"])


def combine(amount: float, zones: pd.Series, firms: pd.Series) -> pd.Series:
    """City weights (adding to 1) from the output zones and firms account for in a province.

    Each source's within-province shares count with the weight of its coverage: the output
    it accounts for over the province's amount, at most 1. A source that sees a cluster the
    other misses places it; one small observation cannot outweigh a well-covered source.
    All zeros: the province has no evidence for the segment (or no amount).
    """
    if amount <= 0:
        return pd.Series(0.0, index=zones.index)
    parts = [(min(1.0, s.sum() / amount), s / s.sum()) for s in (zones, firms) if s.sum() > 0]
    if not parts:
        return pd.Series(0.0, index=zones.index)
    return sum(c * share for c, share in parts) / sum(c for c, _ in parts)


def split_province(amount: float, evidence: list[pd.Series], fallback: pd.Series,
                   threshold: float) -> tuple[pd.Series, str]:
    """One province's amount of a segment over its (eligible) cities, and the basis used.

    `evidence` is [zone-implied, firm-implied output] per city (`combine`); only when neither
    has any does `fallback` (urban population) decide. Crumbs below `threshold` are merged
    as in split_to_cities.
    """
    weights = combine(amount, *evidence)
    basis = "evidence"
    if weights.sum() <= 0:
        weights, basis = fallback, "population"
    return split_to_cities(amount, weights, threshold), basis


def observed_city_layout(province_output: pd.DataFrame,
                         evidence: dict[str, list[pd.Series]], fallback: pd.Series,
                         eligible: dict[str, set[str]], cities: pd.DataFrame,
                         min_scale: pd.Series) -> pd.DataFrame:
    """Long table region, segment, output, basis: provinces split to cities by evidence.

    `evidence` maps each segment to its per-region sources (zones, firms); `eligible` maps a
    segment with an infrastructure requirement to the regions meeting it, so today's layout
    never puts a segment where the model could not keep it. A province with no eligible city
    keeps all its cities (the requirement is then reported as unmet by today's layout).
    """
    rows = []
    for province, group in cities.groupby("province_code", sort=True):
        if province not in province_output.index:
            continue
        members = group["region"].to_numpy()
        for segment, amount in province_output.loc[province].items():
            allowed = [r for r in members if r in eligible.get(segment, set(members))]
            kept = allowed or list(members)
            part, basis = split_province(
                float(amount), [src.reindex(kept).fillna(0.0) for src in evidence[segment]],
                fallback.reindex(kept).fillna(0.0), float(min_scale[segment]))
            rows += [(r, segment, q, basis) for r, q in part.items() if q > 0]
    return pd.DataFrame(rows, columns=["region", "segment", "output", "basis"])
