"""Regions of each instance (cities or provinces) and their infrastructure levels.

Infrastructure is a set of documented lists, not measured capacity: ports from the coast and
the Yangtze, hubs from the administrative rank, science from the national science centres and
the R&D staff a city has.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.sources.databuild import sources

# Two-letter province abbreviations (the ISO 3166-2:CN letters), used in city identifiers.
ABBREV = {
    "110000": "bj", "120000": "tj", "130000": "he", "140000": "sx", "150000": "nm",
    "210000": "ln", "220000": "jl", "230000": "hl", "310000": "sh", "320000": "js",
    "330000": "zj", "340000": "ah", "350000": "fj", "360000": "jx", "370000": "sd",
    "410000": "ha", "420000": "hb", "430000": "hn", "440000": "gd", "450000": "gx",
    "460000": "hi", "500000": "cq", "510000": "sc", "520000": "gz", "530000": "yn",
    "540000": "xz", "610000": "sn", "620000": "gs", "630000": "qh", "640000": "nx",
    "650000": "xj",
}
# NBS's four economic regions, used as the group of each province.
MACRO_REGION = {
    **dict.fromkeys(["110000", "120000", "130000", "310000", "320000", "330000", "350000",
                     "370000", "440000", "460000"], "east"),
    **dict.fromkeys(["140000", "340000", "360000", "410000", "420000", "430000"], "central"),
    **dict.fromkeys(["150000", "450000", "500000", "510000", "520000", "530000", "540000",
                     "610000", "620000", "630000", "640000", "650000"], "west"),
    **dict.fromkeys(["210000", "220000", "230000"], "northeast"),
}
SUB_PROVINCIAL = ("210200", "330200", "350200", "370200", "440300")  # 计划单列市
# Comprehensive national science centres: Beijing (Huairou), Shanghai (Zhangjiang) and Hefei
# are named in the seed documents; the Greater Bay Area centre (Shenzhen) was approved in 2020.
SCIENCE_CENTRES = ("110100", "310100", "340100", "440300")
SCIENCE_FTE = 50_000.0  # R&D FTE from which a city counts as a science base (level 1)
# Port level 2: hub ports, the port cities with the largest cargo throughput in 2020
# (Ministry of Transport ranking; Ningbo-Zhoushan is one port over two cities).
HUB_PORTS = ("310100", "330200", "330900", "130200", "440100", "370200", "320500", "120100",
             "371100", "370600", "210200", "450700", "350200", "440300", "320700")
# Port level 1: every other prefecture-level unit on the sea coast or on the Yangtze's
# deep-water reach (Nanjing downstream to the sea, and the main river ports upstream).
COASTAL = (
    "210600", "210700", "210800", "211100", "211400", "130300", "130900", "370500", "370700",
    "371000", "371600", "320900", "320600", "330300", "330400", "331000", "330600", "350100",
    "350300", "350500", "350600", "350900", "440400", "440500", "440700", "440800", "440900",
    "441300", "441500", "441700", "441900", "442000", "445100", "445200", "450500", "450600",
    "460100", "460200", "460300", "460400", "469002", "469005", "469006", "469007", "469023",
    "469024", "469026", "469027", "469028",
)
RIVER = (
    "320100", "320200", "320400", "321000", "321100", "321200", "340200", "340500", "340700",
    "340800", "341700", "360400", "420100", "420200", "420500", "420700", "421000", "421100",
    "421200", "430600", "500100", "510500", "511500",
)


def city_regions(raw: Path, provinces: list[str] | None = None) -> pd.DataFrame:
    """Cities of the given provinces (all when None), with the attributes the build uses."""
    cities = sources.cities(raw)
    if provinces is not None:
        cities = cities[cities["province_code"].isin(provinces)]
    out = pd.DataFrame({
        "region": [f"{ABBREV[p]}_{c}" for p, c in zip(cities["province_code"],
                                                        cities["city_code"], strict=True)],
        "name": cities["city"].to_numpy(),
        "group": cities["province_code"].map(province_slugs(raw)).to_numpy(),
        "lon": cities["centroid_lon"].to_numpy(),
        "lat": cities["centroid_lat"].to_numpy(),
        "province_code": cities["province_code"].to_numpy(),
        "city_code": cities["city_code"].to_numpy(),
        "population": cities["popu_2020"].to_numpy(),
        "urban": cities["urban_2020"].to_numpy(),
        "area_km2": cities["area_km2"].to_numpy(),
    })
    return out.sort_values("region").reset_index(drop=True)


def province_slugs(raw: Path) -> dict[str, str]:
    provs = sources.provinces(raw)
    return dict(zip(provs["province_code"], provs["slug"], strict=True))


def province_regions(raw: Path) -> pd.DataFrame:
    """The 31 provinces; coordinates are the population-weighted mean of their city centroids."""
    cities = city_regions(raw)
    provs = sources.provinces(raw)
    rows = []
    for code, slug in zip(provs["province_code"], provs["slug"], strict=True):
        group = cities[cities["province_code"] == code]
        w = group["population"] / group["population"].sum()
        rows.append({
            "region": slug, "name": provs.loc[provs["province_code"] == code,
                                               "province_cn"].iloc[0],
            "group": MACRO_REGION[code], "lon": float((group["lon"] * w).sum()),
            "lat": float((group["lat"] * w).sum()), "province_code": code,
            "city_code": "", "population": float(group["population"].sum()),
            "urban": float(group["urban"].sum()), "area_km2": float(group["area_km2"].sum()),
        })
    return pd.DataFrame(rows).sort_values("region").reset_index(drop=True)


def city_infrastructure(regions: pd.DataFrame, rd_fte: pd.Series) -> pd.DataFrame:
    """Levels of port, rail_hub, airport and science for city regions (no row = level 0)."""
    rows = []
    for region, code, fte in zip(regions["region"], regions["city_code"],
                                 rd_fte.reindex(regions["region"]).fillna(0.0), strict=True):
        capital = code.endswith("0100")
        hub = capital or code in SUB_PROVINCIAL
        levels = {
            "port": 2 if code in HUB_PORTS else 1 if code in COASTAL + RIVER else 0,
            "rail_hub": 2 if capital else 0,
            "airport": 2 if hub else 0,
            "science": 2 if code in SCIENCE_CENTRES else 1 if hub or fte >= SCIENCE_FTE else 0,
        }
        rows += [(region, k, v) for k, v in levels.items() if v > 0]
    return pd.DataFrame(rows, columns=["region", "infrastructure", "level"])


def province_infrastructure(regions: pd.DataFrame, cities: pd.DataFrame,
                            city_levels: pd.DataFrame) -> pd.DataFrame:
    """A province has the highest level any of its cities has."""
    province_of = dict(zip(cities["region"], cities["province_code"], strict=True))
    slug_of = dict(zip(regions["province_code"], regions["region"], strict=True))
    levels = city_levels.assign(region=city_levels["region"].map(province_of).map(slug_of))
    best = levels.groupby(["region", "infrastructure"], as_index=False)["level"].max()
    return best.sort_values(["region", "infrastructure"]).reset_index(drop=True)
