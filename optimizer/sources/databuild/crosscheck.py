"""Cross-check the apportioned layout against seed 002, Table 1: the five largest manufacturing
industries (2-digit CIC divisions) of Shanghai, Jiangsu, Zhejiang and Anhui in 2020.

The layout is rebuilt at division level from the same product split the instances use
(province sector output 2017, national product mix, listed-firm tilt), so agreement here is
evidence about the apportioning, not about the chain definitions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.sources.databuild.layout import province_products_2017

# CIC 2017 manufacturing divisions -> the 153 products they make (first, last).
DIVISIONS: dict[str, tuple[str, tuple[int, int]]] = {
    "C13": ("农副食品加工业", (12, 18)), "C14": ("食品制造业", (19, 22)),
    "C15": ("酒、饮料和精制茶制造业", (23, 25)), "C16": ("烟草制品业", (26, 26)),
    "C17": ("纺织业", (27, 31)), "C18": ("纺织服装、服饰业", (32, 32)),
    "C19": ("皮革、毛皮、羽毛及其制品和制鞋业", (33, 34)), "C20": ("木材加工", (35, 35)),
    "C21": ("家具制造业", (36, 36)), "C22": ("造纸和纸制品业", (37, 37)),
    "C23": ("印刷和记录媒介复制业", (38, 38)),
    "C24": ("文教、工美、体育和娱乐用品制造业", (39, 40)),
    "C25": ("石油、煤炭及其他燃料加工业", (41, 42)),
    "C26": ("化学原料和化学制品制造业", (43, 49)),
    "C27": ("医药制造业", (50, 50)), "C28": ("化学纤维制造业", (51, 51)),
    "C29": ("橡胶和塑料制品业", (52, 53)), "C30": ("非金属矿物制品业", (54, 60)),
    "C31": ("黑色金属冶炼和压延加工业", (61, 63)), "C32": ("有色金属冶炼和压延加工业", (64, 65)),
    "C33": ("金属制品业", (66, 66)), "C34": ("通用设备制造业", (67, 73)),
    "C35": ("专用设备制造业", (74, 78)), "C36": ("汽车制造业", (79, 80)),
    "C37": ("铁路、船舶、航空航天和其他运输设备制造业", (81, 83)),
    "C38": ("电气机械和器材制造业", (84, 89)),
    "C39": ("计算机、通信和其他电子设备制造业", (90, 95)),
    "C40": ("仪器仪表制造业", (96, 96)), "C41": ("其他制造业", (97, 97)),
    "C42": ("废弃资源综合利用业", (98, 98)), "C43": ("金属制品、机械和设备修理业", (99, 99)),
}

# Seed 002, Table 1 (2020; from the provinces' 2021 statistical yearbooks). Anhui lists four.
SEED_TABLE_1: dict[str, tuple[str, ...]] = {
    "310000": ("C36", "C39", "C34", "C26", "C38"),
    "330000": ("C38", "C39", "C34", "C26", "C36"),
    "320000": ("C39", "C38", "C31", "C26", "C34"),
    "340000": ("C32", "C30", "C39", "C36"),
}


def division_output(raw: Path) -> pd.DataFrame:
    """Province x CIC division gross output (亿元, 2017) from the apportioned products."""
    products = province_products_2017(raw)
    out = {}
    for code, (_, (a, b)) in DIVISIONS.items():
        out[code] = products[[f"{i:03d}" for i in range(a, b + 1)]].sum(axis=1)
    return pd.DataFrame(out)


def compare(raw: Path) -> pd.DataFrame:
    """One row per YRD province: the seed's list, the layout's top five, and the overlap."""
    divisions = division_output(raw)
    rows = []
    for province, seed in SEED_TABLE_1.items():
        top = divisions.loc[province].sort_values(ascending=False).index[:5].tolist()
        shared = [d for d in seed if d in top]
        rows.append({"province_code": province, "seed_top": list(seed), "layout_top5": top,
                     "shared": shared, "agreement": f"{len(shared)}/{len(seed)}"})
    return pd.DataFrame(rows)
