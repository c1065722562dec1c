"""Readers for the raw public data: each returns a tidy table keyed by official codes.

Every reader takes the raw folder and the path inside it, so that provenance (DATA.md) can
name exactly the file each number came from. Province keys are 6-digit NBS codes throughout.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

IO_TABLE = "ionet_io/china_2020_153.csv"
CENSUS = "census_city/census_city_2010-2020_v1.csv"
CENTROIDS = "census_city/DERIVED_city_centroids.csv"
RD_LABOUR = "techme_sty/RDLaborHour.csv"
CEADS_PROVINCE = "ceads_co2/DERIVED_ceads_province_sector_co2_2017_2019.csv"
CEADS_CITY = "ceads_co2/The_Emission_Inventories_for_290_Chinese_Cities_from_1997_to_2019.xlsx"
LISTED = "listed_firms/stock_basic.csv"
PROVINCE_IO = "chnio_prov_io/DERIVED_province_sector_output_2012_2017.csv"
GDP = "nbs_prov_exports/DERIVED_gdp_by_sector_2019_2024_long.csv"
EMPLOYMENT = "nbs_prov_exports/DERIVED_urban_unit_employment_by_section_2024_long.csv"
NATIONAL_EMPLOYMENT = "ionet_io/china_employment.csv"
IO_TABLE_2018_42 = "ionet_io/china_2018_42.csv"

PRODUCTS = [f"{i:03d}" for i in range(1, 154)]
# 2-digit sector of the NBS 42-sector list (2017/2020 codes) holding each 153-product code:
# products first..last belong to the sector. Checked against china_2020_42.csv by tests.
SECTOR_BLOCKS: dict[str, tuple[int, int]] = {
    "01": (1, 5), "02": (6, 6), "03": (7, 7), "04": (8, 9), "05": (10, 11), "06": (12, 26),
    "07": (27, 31), "08": (32, 34), "09": (35, 36), "10": (37, 40), "11": (41, 42),
    "12": (43, 53), "13": (54, 60), "14": (61, 65), "15": (66, 66), "16": (67, 73),
    "17": (74, 78), "18": (79, 83), "19": (84, 89), "20": (90, 95), "21": (96, 96),
    "22": (97, 98), "23": (99, 99), "24": (100, 100), "25": (101, 101), "26": (102, 102),
    "27": (103, 108), "28": (109, 110), "29": (111, 122), "30": (123, 124),
    "31": (125, 129), "32": (130, 132), "33": (133, 133), "34": (134, 135), "35": (136, 136),
    "36": (137, 138), "37": (139, 141), "38": (142, 143), "39": (144, 144), "40": (145, 146),
    "41": (147, 151), "42": (152, 153),
}
WAN_PER_YI = 1e4  # 10,000 CNY (万元) per 100 million CNY (亿元)


def sector_of(product: str) -> str:
    """The 42-sector code that holds a 153-product code."""
    n = int(product)
    return next(code for code, (a, b) in SECTOR_BLOCKS.items() if a <= n <= b)


class IOTable:
    """The 2020 national 153-product table in 亿元: flows Z, gross output, value added."""

    def __init__(self, z: pd.DataFrame, gross_output: pd.Series, value_added: pd.Series,
                 depreciation: pd.Series, names: pd.Series):
        self.z = z
        self.gross_output = gross_output
        self.value_added = value_added
        self.depreciation = depreciation
        self.names = names


@cache
def io_table(raw: Path) -> IOTable:
    """Read the 153-product table; flows and totals converted from 万元 to 亿元."""
    frame = pd.read_csv(raw / IO_TABLE, dtype={"Code": str}).set_index("Code")
    z = frame.loc[PRODUCTS, PRODUCTS].astype(float) / WAN_PER_YI
    gross = frame.loc[PRODUCTS, "GO"].astype(float) / WAN_PER_YI
    va = frame.loc["TVA", PRODUCTS].astype(float) / WAN_PER_YI
    dep = frame.loc["VA003", PRODUCTS].astype(float) / WAN_PER_YI
    names = frame.loc[PRODUCTS, "DescriptionInChinese"]
    return IOTable(z, gross, va, dep, names)


def _read_bom_csv(path: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(path.read_text(encoding="utf-8-sig")), **kw)


@cache
def cities(raw: Path) -> pd.DataFrame:
    """Prefecture-level units: codes, names, 2020 population, urban population, centroid, area.

    Units without a 2020 population (the Xinjiang Corps cities) and Hong Kong and Macao (no
    provincial statistics) are left out: nothing could be apportioned to them.
    """
    cen = _read_bom_csv(raw / CENTROIDS, dtype={"city_code": str, "province_code": str})
    census = _read_bom_csv(raw / CENSUS, dtype={"city_code": str, "province_code": str},
                           usecols=["city_code", "popu_urban_2020"])
    frame = cen.merge(census, on="city_code", how="left")
    frame = frame[frame["popu_2020"].notna() & ~frame["province_code"].isin(["810000", "820000"])]
    frame = frame.copy()
    frame["popu_2020"] = frame["popu_2020"].astype(float)
    frame["area_km2"] = frame["area_deg2_approx"] * _km2_per_deg2(frame["centroid_lat"])
    frame["urban_2020"] = _fill_urban(frame)
    return frame.sort_values("city_code").reset_index(drop=True)


def _km2_per_deg2(lat: pd.Series) -> pd.Series:
    """A degree of latitude is 111.32 km; a degree of longitude shrinks with cos(lat)."""
    return 111.32 ** 2 * np.cos(np.radians(lat))


def _fill_urban(frame: pd.DataFrame) -> pd.Series:
    """Urban population; where blank, total population times the national urban share."""
    urban = frame["popu_urban_2020"].astype(float)
    known = urban.notna()
    share = urban[known].sum() / frame.loc[known, "popu_2020"].sum()
    return urban.where(known, frame["popu_2020"] * share)


@cache
def provinces(raw: Path) -> pd.DataFrame:
    """The 31 provinces: code, Chinese name, English slug and short name."""
    out = pd.read_csv(raw / PROVINCE_IO, dtype={"province_code": str})
    out = out[out["year"] == 2017][["province_code", "province_cn", "province_en"]]
    out = out.drop_duplicates().sort_values("province_code").reset_index(drop=True)
    out["slug"] = out["province_en"].str.lower().str.replace(r"[^a-z]", "", regex=True)
    return out


@cache
def province_output_2017(raw: Path) -> pd.DataFrame:
    """Gross output and value added by province and 42-sector code, 2017, in 亿元."""
    frame = pd.read_csv(raw / PROVINCE_IO, dtype={"province_code": str, "sector_code": str})
    frame = frame[frame["year"] == 2017]
    out = frame[["province_code", "sector_code"]].copy()
    out["gross_output"] = frame["gross_output_wan_cny"] / WAN_PER_YI
    out["value_added"] = frame["value_added_wan_cny"] / WAN_PER_YI
    return out.reset_index(drop=True)


@cache
def industrial_va_2020(raw: Path) -> pd.Series:
    """Provincial 工业增加值 2020 (亿元), by province code."""
    frame = pd.read_csv(raw / GDP, dtype={"province_code": str})
    sel = frame[(frame["year"] == 2020) & (frame["indicator_cn"] == "工业增加值")]
    return sel.set_index("province_code")["value"].astype(float).sort_index()


@cache
def national_employment_2018(raw: Path) -> pd.Series:
    """National employment 2018 by GB/T 4754 division code (e.g. 'C27'), persons."""
    frame = pd.read_csv(raw / NATIONAL_EMPLOYMENT, dtype={"Code": str})
    return (frame.set_index("Code")["2018"].astype(float) * 1e4).sort_index()


@cache
def national_output_2018_42(raw: Path) -> pd.Series:
    """National gross output 2018 of domestic production by 42-sector code, 亿元."""
    frame = pd.read_csv(raw / IO_TABLE_2018_42, dtype={"Code": str})
    dom = frame[frame["Origin"] == "Domestic"].set_index("Code")
    return (dom["GO"].astype(float) / WAN_PER_YI).sort_index()


@cache
def rd_fte_2020(raw: Path) -> pd.Series:
    """R&D personnel full-time equivalent 2020 (person-years) by province short name."""
    frame = pd.read_csv(raw / RD_LABOUR)
    frame = frame[(frame["year"] == 2020) & (frame["variables"] == "v4_zh_qsdl_hj")]
    names = frame["province"].str.replace(r"\s+", "", regex=True)
    return pd.Series(frame["value"].astype(float).to_numpy(), index=names).sort_index()


@cache
def ceads_province_2019(raw: Path) -> pd.DataFrame:
    """CEADs provincial CO2 2019 by sector: Scope 1 plus purchased heat and electricity (Mt)."""
    frame = pd.read_csv(raw / CEADS_PROVINCE)
    frame = frame[frame["year"] == 2019].copy()
    frame["co2"] = frame[["scope1_total_MtCO2", "scope2_heat_MtCO2",
                          "scope2_electricity_MtCO2"]].sum(axis=1)
    return frame[["province_en", "sector_en", "co2", "scope1_total_MtCO2"]].reset_index(drop=True)


@cache
def ceads_province_2017(raw: Path) -> pd.DataFrame:
    """As ceads_province_2019, for 2017 (the year of the provincial IO tables)."""
    frame = pd.read_csv(raw / CEADS_PROVINCE)
    frame = frame[frame["year"] == 2017].copy()
    frame["co2"] = frame[["scope1_total_MtCO2", "scope2_heat_MtCO2",
                          "scope2_electricity_MtCO2"]].sum(axis=1)
    return frame[["province_en", "sector_en", "co2"]].reset_index(drop=True)


@cache
def ceads_cities(raw: Path) -> pd.DataFrame:
    """City CO2 totals (Mt): the latest of 2017-2019 per city, keyed by the inventory label.

    The label is province short name + city short name, e.g. '江苏苏州'; municipalities are
    their own name ('上海').
    """
    import openpyxl

    book = openpyxl.load_workbook(raw / CEADS_CITY, read_only=True, data_only=True)
    rows = list(book["emission matrix"].iter_rows(values_only=True))
    book.close()
    header = [str(h) for h in rows[0]]
    years = [header.index(y) for y in ("2019", "2018", "2017")]
    out = []
    for row in rows[1:]:
        value = next((row[i] for i in years if row[i] is not None), None)
        if row[0] and value is not None:
            out.append((str(row[0]), float(value)))
    return pd.DataFrame(out, columns=["label", "co2"]).sort_values("label").reset_index(drop=True)


@cache
def listed_firms(raw: Path) -> pd.DataFrame:
    """Listed firms: registration province (short name; 深圳 folded into 广东) and industry."""
    frame = _read_bom_csv(raw / LISTED, dtype=str)
    area = frame["area"].replace({"深圳": "广东", "内蒙": "内蒙古"})
    return pd.DataFrame({"province": area, "industry": frame["industry"]}).reset_index(drop=True)
