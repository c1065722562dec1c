"""Names in English and Chinese for the ids of the shipped instances (the `names` table).

Reports put these in front of planners instead of codes. The English names of chains and
segments are those of optimizer/sources/databuild/chains.py; the Chinese ones are the terms the
national strategic-emerging-industry catalogue and planning documents use for them.
"""

from __future__ import annotations

import pandas as pd

from optimizer.sources.databuild.chains import CHAINS, SEGMENTS

CHAIN_ZH = {
    "nev": "新能源与智能网联汽车", "ic": "集成电路与电子信息", "bio": "生物医药",
    "nmat": "新材料", "hee": "高端装备与机器人", "nee": "新能源装备（光伏、风电、电池）",
}

SEGMENT_ZH = {
    "nev_rd": "整车研发与设计", "nev_materials": "电池金属、轻合金与高分子材料",
    "nev_battery": "动力电池", "nev_electronics": "车规芯片、电机与汽车电子",
    "nev_parts": "汽车零部件与系统", "nev_assembly": "整车制造",
    "nev_services": "汽车工程、信息与商务服务",
    "ic_rd": "芯片设计与电子研发", "ic_materials": "电子化学品、特种气体与玻璃基板",
    "ic_equipment": "半导体与电子专用设备", "ic_components": "芯片、显示与电子元器件",
    "ic_devices": "计算机、手机与通信设备", "ic_services": "信息、工程与商务服务",
    "bio_rd": "新药研发与临床研究", "bio_materials": "原料药、中间体与精细化工",
    "bio_pharma": "药品与生物制品", "bio_devices": "医疗器械与设备",
    "bio_services": "医药流通、CRO与商务服务",
    "nmat_rd": "材料研发", "nmat_feedstock": "基础化工与有色原料",
    "nmat_polymers": "先进高分子与专用化学品", "nmat_inorganic": "碳材料、石墨、陶瓷与高性能纤维",
    "nmat_metals": "先进有色合金与压延材", "nmat_services": "检验检测、认证与科技服务",
    "hee_rd": "装备研发与设计", "hee_materials": "特钢与金属制品",
    "hee_components": "电机、驱动、传感器与仪器仪表",
    "hee_machinery": "数控机床、机器人与精密零部件",
    "hee_transport": "轨道交通、船舶与航空航天装备", "hee_services": "工程安装与维修服务",
    "nee_rd": "能源技术研发", "nee_materials": "多晶硅、光伏玻璃、石墨与电池金属",
    "nee_pv": "光伏电池、逆变器与电网电缆设备", "nee_wind": "风电机组与发电设备",
    "nee_battery": "电池与储能", "nee_services": "电力工程、信息与商务服务",
}

OTHER = {
    "resource": {"co2": ("Energy-related CO2 emissions", "能源相关二氧化碳排放"),
                 "land": ("Industrial land", "工业用地")},
    "talent": {"rd_fte": ("R&D personnel", "研发人员"),
               "chemical_workers": ("Chemical industry workforce", "化工行业从业人员"),
               "metal_workers": ("Metal industry workforce", "金属行业从业人员"),
               "machinery_workers": ("Machinery industry workforce", "机械行业从业人员"),
               "vehicle_workers": ("Vehicle industry workforce", "汽车行业从业人员"),
               "electrical_workers": ("Electrical industry workforce", "电气行业从业人员"),
               "electronics_workers": ("Electronics industry workforce", "电子行业从业人员")},
    "stage": {"research": ("Research", "研发"), "materials": ("Materials", "材料"),
              "components": ("Components", "零部件"), "equipment": ("Equipment", "装备"),
              "manufacturing": ("Manufacturing", "制造"), "assembly": ("Assembly", "组装"),
              "services": ("Services", "服务")},
    "infrastructure": {"airport": ("Airport", "机场"), "port": ("Port", "港口"),
                       "rail_hub": ("Rail hub", "铁路枢纽"),
                       "science": ("Science facilities", "科研设施")},
    "group": {
        "anhui": ("Anhui", "安徽"), "beijing": ("Beijing", "北京"),
        "chongqing": ("Chongqing", "重庆"), "fujian": ("Fujian", "福建"),
        "gansu": ("Gansu", "甘肃"), "guangdong": ("Guangdong", "广东"),
        "guangxi": ("Guangxi", "广西"), "guizhou": ("Guizhou", "贵州"),
        "hainan": ("Hainan", "海南"), "hebei": ("Hebei", "河北"),
        "heilongjiang": ("Heilongjiang", "黑龙江"), "henan": ("Henan", "河南"),
        "hubei": ("Hubei", "湖北"), "hunan": ("Hunan", "湖南"),
        "innermongolia": ("Inner Mongolia", "内蒙古"), "jiangsu": ("Jiangsu", "江苏"),
        "jiangxi": ("Jiangxi", "江西"), "jilin": ("Jilin", "吉林"),
        "liaoning": ("Liaoning", "辽宁"), "ningxia": ("Ningxia", "宁夏"),
        "qinghai": ("Qinghai", "青海"), "shaanxi": ("Shaanxi", "陕西"),
        "shandong": ("Shandong", "山东"), "shanghai": ("Shanghai", "上海"),
        "shanxi": ("Shanxi", "山西"), "sichuan": ("Sichuan", "四川"),
        "tianjin": ("Tianjin", "天津"), "tibet": ("Tibet", "西藏"),
        "xinjiang": ("Xinjiang", "新疆"), "yunnan": ("Yunnan", "云南"),
        "zhejiang": ("Zhejiang", "浙江"), "east": ("East", "东部"),
        "central": ("Central", "中部"), "west": ("West", "西部"),
        "northeast": ("Northeast", "东北")},
}


def names_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The `names` rows for every id the instance's tables use, sorted."""
    rows = [("chain", c.key, c.name, CHAIN_ZH[c.key]) for c in CHAINS]
    rows += [("segment", s.key, s.name, SEGMENT_ZH[s.key]) for s in SEGMENTS]
    used = {
        "resource": _ids(tables, ("resource_availability", "resource_use"), "resource"),
        "talent": _ids(tables, ("talent_availability", "talent_use"), "talent"),
        "stage": {s.stage for s in SEGMENTS},
        "infrastructure": _ids(tables, ("infrastructure_levels", "infrastructure_requirements"),
                               "infrastructure"),
        "group": set(tables["regions"]["group"].dropna().astype(str)) - {""},
    }
    for kind, ids in used.items():
        rows += [(kind, i, *OTHER[kind][i]) for i in sorted(ids)]
    return pd.DataFrame(rows, columns=["kind", "id", "en", "zh"])


def _ids(tables: dict[str, pd.DataFrame], names: tuple[str, ...], column: str) -> set[str]:
    return {str(v) for n in names if n in tables for v in tables[n][column]}
