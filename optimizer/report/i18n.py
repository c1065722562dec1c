"""Report language: the words of every report in English and Chinese, names instead of codes,
and units in the planner's terms (亿元, 万吨, km², 人年).

Only the standard library and pandas: the terminal table and report.md use it too.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from optimizer.instance import Instance

LANGS = ("en", "zh")

TEXT: dict[str, tuple[str, str]] = {
    # titles and sections
    "report_title": ("{name}: industry-chain layout plan", "{name}：产业链布局优化方案"),
    "overview": ("Summary", "总体情况"),
    "one_map": ("The plan on one map", "一张图"),
    "tasks": ("Task list per region", "各地区任务清单"),
    "chain_maps": ("Each chain: today, optimised, change", "分产业链：现状、优化后与变化"),
    "roles": ("Each region's role", "各地区功能定位"),
    "links_map": ("Supplier–user links within reach", "上下游配套（运距范围内）"),
    "duplication": ("Duplication before and after", "重复建设：优化前后"),
    "value_added": ("Value added and compensation", "增加值与利益补偿"),
    "similarity": ("Structural similarity", "产业结构相似度"),
    "honesty": ("Status, data basis and assumptions", "求解状态、数据基础与假设"),
    "chains": ("Chain completeness", "产业链完整性"),
    "notes": ("Notes", "说明"),
    "files": ("Files", "文件"),
    # status
    "status": ("Solver status", "求解状态"),
    "status_optimal": ("optimal (proven within the gap)", "最优（在容差内已证明）"),
    "status_feasible": ("feasible, not proven optimal (stopped early)",
                        "可行解，未证明最优（提前停止）"),
    "status_infeasible": ("infeasible", "不可行"),
    "status_no_solution": ("no allocation found", "未找到方案"),
    "gap": ("relative gap", "相对间隙"),
    "objective": ("objective", "目标值"),
    "bound": ("bound", "下界"),
    "solver_time": ("solver time", "求解用时"),
    "basis": ("Today's layout rests on observed evidence (development zones, listed firms, own "
              "statistics) for {evidence} of its output, on a population split for "
              "{population}, and does not say for {unspecified}.",
              "现状产出：{evidence} 来自观测数据（开发区、上市公司、本地统计），"
              "{population} 按人口比例分摊，{unspecified} 未说明来源。"),
    "basis_missing": ("How much of today's layout is observed and how much apportioned is not "
                      "recorded for this run.", "本次结果未记录现状布局中观测与分摊的比例。"),
    "check_ok": ("Every objective term and limit was recomputed from the allocation and agrees "
                 "with the solver.", "目标各项与全部约束已按分配结果独立复算，与求解器一致。"),
    "check_failed": ("The re-check of this allocation failed; do not use the plan before the "
                     "cause is found:", "方案复核未通过，查明原因前请勿使用："),
    "scenario": ("Scenario", "情景"),
    "scenario_base": ("Base case: no scenario applied.", "基准情形：未设置情景。"),
    "scenario_changes": ("Changes to the base instance", "相对基准的改动"),
    "assumptions": ("Assumed parameters that move the answer", "影响结果的假设参数"),
    "data_caveat": ("About the data", "数据说明"),
    "findings": ("Why no allocation is possible", "无可行方案的原因"),
    # measures
    "measure": ("measure", "指标"),
    "today": ("today", "现状"),
    "optimised": ("optimised", "优化后"),
    "change": ("change", "变化"),
    "total_hosts": ("hosts (region-segment pairs)", "布点数（地区-环节）"),
    "excess_hosts": ("excess hosts", "重复布点数"),
    "pairwise_overlaps": ("region pairs sharing a segment", "同构地区对数"),
    "similarity_mean": ("mean structural similarity", "平均结构相似系数"),
    "similarity_max": ("max structural similarity", "最大结构相似系数"),
    "krugman_mean": ("mean Krugman index", "平均克鲁格曼指数"),
    "unhosted_segments": ("unhosted segments", "无承接地的环节"),
    "unsupplied_links": ("hosts with no supplier in reach", "运距内无配套的布点"),
    "value_added_total": ("value added", "增加值"),
    # task list
    "region": ("region", "地区"),
    "region_code": ("region code", "地区代码"),
    "segment": ("segment", "环节"),
    "segment_code": ("segment code", "环节代码"),
    "chain": ("chain", "产业链"),
    "chain_code": ("chain code", "产业链代码"),
    "action": ("action", "任务"),
    "items": ("segments, amount and change", "环节、规模与变化"),
    "output_today": ("output today", "现状产出"),
    "output_optimised": ("output optimised", "优化后产出"),
    "amount": ("change in output", "产出变化"),
    "pct": ("change %", "变化率"),
    "reason": ("reason", "原因"),
    "compensation": ("compensation owed", "应得补偿"),
    "va_today": ("value added today", "现状增加值"),
    "va_optimised": ("value added optimised", "优化后增加值"),
    "va_change": ("value added change", "增加值变化"),
    "keeps": ("keeps", "保留"), "grows": ("grows", "扩大"), "shrinks": ("shrinks", "压减"),
    "closes": ("closes", "退出"), "opens": ("opens", "新建"),
    "count_keeps": ("keeps", "保留数"), "count_grows": ("grows", "扩大数"),
    "count_shrinks": ("shrinks", "压减数"), "count_closes": ("closes", "退出数"),
    "count_opens": ("opens", "新建数"),
    "reason_moves_to": ("its output moves to {where}", "产能转移至{where}"),
    "reason_takes_from": ("takes over output from {where}", "承接{where}转出的产能"),
    "reason_absorbs": ("absorbs output from {where}", "承接{where}的产能"),
    "reason_gives": ("gives output to {where}", "向{where}转出产能"),
    "reason_binding": ("binding: {what}", "约束：{what}"),
    "reason_price": ("target price {value}", "目标影子价格 {value}"),
    "reason_none": ("", ""),
    # maps
    "map_today": ("today", "现状"), "map_optimised": ("optimised", "优化后"),
    "map_change": ("change", "变化"),
    "map_schematic": ("Schematic: the instance has no region outlines (regions.geojson); "
                      "regions are drawn as circles at their coordinates.",
                      "示意图：算例未提供行政区边界（regions.geojson），地区以其坐标处的圆点表示。"),
    "map_no_coords": ("No map: the instance has neither outlines nor coordinates.",
                      "无法绘图：算例既无边界也无坐标。"),
    "main_chain": ("main chain", "主导产业链"),
    "main_stage": ("main stage", "主导环节类型"),
    "no_output": ("no output in these chains", "无相关产出"),
    "one_map_caption": ("Fill: each region's main chain after optimisation. Triangle: value added "
                        "rises (green) or falls (red), sized by the change.",
                        "填色：优化后各地区的主导产业链。三角形：增加值上升（绿）或下降（红），大小表示变化幅度。"),
    "chain_map_caption": ("Output of {chain} per region ({unit}); change: optimised minus today.",
                          "{chain}各地区产出（{unit}）；变化＝优化后－现状。"),
    "role_caption": ("Fill: the chain with most of the region's output; label: its main stage.",
                     "填色：产出最多的产业链；标注：该链中的主导环节类型。"),
    "links_caption": ("{chain}, optimised: each line joins a user host to its nearest supplier "
                      "host within the link's reach.",
                      "{chain}（优化后）：每条线连接一个下游布点与运距范围内最近的上游布点。"),
    "hosts_chart": ("Regions hosting each segment", "各环节布点地区数"),
    "va_chart": ("Largest gains and losses of value added ({unit})",
                 "增加值增减最大的地区（{unit}）"),
    "top_pairs": ("Most similar region pairs, optimised", "优化后结构最相似的地区对"),
    "group_similarity": ("Similarity between groups (e.g. provinces)",
                         "分组（如省份）间结构相似度"),
    "pair": ("pair", "地区对"),
    "more_rows": ("{n} more rows in report.xlsx", "另有 {n} 行见 report.xlsx"),
    "segments": ("segments", "环节数"),
    "hosts_current": ("hosts today", "现状布点数"),
    "hosts_optimised": ("hosts optimised", "优化后布点数"),
    "unhosted_current": ("unhosted segments today", "现状无承接环节"),
    "unhosted_optimised": ("unhosted segments optimised", "优化后无承接环节"),
    "unsupplied_links_current": ("hosts without supplier today", "现状无配套布点"),
    "unsupplied_links_optimised": ("hosts without supplier optimised", "优化后无配套布点"),
    "complete_current": ("complete today", "现状完整"),
    "complete_optimised": ("complete optimised", "优化后完整"),
    "group_a": ("group", "分组"), "group_b": ("other group", "对比分组"),
    "similarity_current": ("similarity today", "现状相似系数"),
    "similarity_optimised": ("similarity optimised", "优化后相似系数"),
    "term_excess_hosts": ("excess hosts", "重复布点"),
    "term_pairwise_overlap": ("pairwise overlap", "同构地区对"),
    "term_cost": ("cost", "成本"), "term_linkage": ("linkage", "运距加权供给"),
    "term_compensation": ("compensation", "利益补偿"),
    "sheet_about": ("About", "说明"), "sheet_tasks": ("Tasks", "任务清单"),
    "sheet_regions": ("Regions", "地区汇总"), "sheet_measures": ("Measures", "指标"),
    "sheet_hosts": ("Hosts per segment", "环节布点"),
    "sheet_allocation": ("Allocation", "分配明细"),
    "sheet_chains": ("Chains", "产业链"), "sheet_assumptions": ("Assumptions", "假设参数"),
    "yes": ("yes", "是"), "no": ("no", "否"),
    "term": ("objective term", "目标项"), "value": ("value", "数值"), "unit": ("unit", "单位"),
    "setting": ("setting", "设置"), "what": ("what it does", "含义"),
    "generated": ("instance {instance} (hash {hash}), package {package}, HiGHS {highs}",
                  "算例 {instance}（哈希 {hash}），程序版本 {package}，HiGHS {highs}"),
}

STATUS_KEYS = {"optimal": "status_optimal", "feasible": "status_feasible",
               "infeasible": "status_infeasible", "no_solution": "status_no_solution"}

# Short units, recognised in the instance's unit descriptions.
UNIT_WORDS = (("亿元", ("100 million CNY", "亿元")),
              ("100 million CNY", ("100 million CNY", "亿元")),
              ("万吨", ("10,000 t", "万吨")), ("10,000 t", ("10,000 t", "万吨")),
              ("km²", ("km²", "km²")), ("hectare", ("ha", "公顷")),
              ("person-year", ("person-years", "人年")), ("persons", ("persons", "人")),
              ("km", ("km", "公里")))


def language(requested: str | None, summary: dict | None = None,
             instance: Instance | None = None) -> str:
    """--lang if given, else the run's recorded language, else the instance's, else English."""
    for value in (requested, (summary or {}).get("language"),
                  getattr(getattr(instance, "settings", None), "language", None)):
        if value in LANGS:
            return value
    return "en"


class Words:
    """The words and names of one report, in one language."""

    def __init__(self, lang: str, instance: Instance | None = None,
                 regions: pd.DataFrame | None = None):
        self.lang = lang if lang in LANGS else "en"
        self._i = LANGS.index(self.lang)
        self.names: dict[tuple[str, str], str] = {}
        self.units: dict = {}
        if instance is not None:
            self._from_instance(instance)
        elif regions is not None and "name" in regions:
            for r, n in zip(regions["region"].astype(str), regions["name"], strict=True):
                if isinstance(n, str) and n:
                    self.names[("region", r)] = n

    def _from_instance(self, instance: Instance) -> None:
        t = instance.tables
        self.units = instance.settings.units or {}
        for kind, table in (("region", "regions"), ("chain", "chains"),
                            ("segment", "segments")):
            frame = t[table]
            for key, name in zip(frame[kind].astype(str), frame["name"], strict=True):
                if isinstance(name, str) and name:
                    self.names[(kind, key)] = name
        names = t.get("names")
        if names is None or names.empty:
            return
        for kind, key, en, zh in zip(names["kind"], names["id"], names["en"], names["zh"],
                                     strict=True):
            chosen = zh if self.lang == "zh" and zh else en
            if chosen:
                self.names[(kind, str(key))] = chosen

    def __call__(self, key: str, **values: object) -> str:
        text = TEXT[key][self._i] if key in TEXT else key
        return text.format(**values) if values else text

    def name(self, kind: str, key: object) -> str:
        """The name of an id, or the id itself when it has none."""
        key = str(key)
        return self.names.get((kind, key), key)

    def status(self, status: str) -> str:
        return self(STATUS_KEYS[status]) if status in STATUS_KEYS else status

    def unit(self, key: str, sub: str | None = None) -> str:
        """A short unit: `output`, `cost`, or (`resources`|`talent`, id)."""
        text = self.units.get(key, "")
        if sub is not None:
            text = (text or {}).get(sub, "") if isinstance(text, dict) else ""
        for word, short in UNIT_WORDS:
            if word in str(text):
                return short[self._i]
        if key in ("output", "cost") and not text:
            return ""
        return str(text)

    def short_unit(self, text: str) -> str:
        """A unit description shortened to the planner's word for it (亿元, 万吨...)."""
        for word, short in UNIT_WORDS:
            if word in str(text) and " x " not in str(text):
                return short[self._i]
        return str(text)

    def join(self, items) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    def number(self, value: object, digits: int | None = None) -> str:
        return fmt_number(value, digits)

    def pct(self, value: object) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        return f"{value:+.0%}"


def fmt_number(value: object, digits: int | None = None) -> str:
    """Thousands separators; 3 decimals below 10, 1 below 10,000, none above."""
    if value is None or isinstance(value, str):
        return "" if value is None else value
    if isinstance(value, bool):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return "–"
    if digits is not None:
        return f"{number:,.{digits}f}"
    if number.is_integer():
        return f"{number:,.0f}"
    if abs(number) < 10:
        return f"{number:,.3f}"
    return f"{number:,.1f}" if abs(number) < 10_000 else f"{number:,.0f}"


# ---------------------------------------------------------------------------- many solves
# The words of the alternatives and trade-off front reports (optimizer/report/alternatives.py),
# kept in their own block.
TEXT.update({
    "alt_title": ("{name}: near-optimal alternatives", "{name}：近优备选方案"),
    "alt_lead": ("The optimum and {k} alternatives whose objective is at most {slack} above "
                 "it, each chosen so that its hosts differ as much as possible from those of "
                 "the optimum and of every alternative before it (the least number of host "
                 "decisions in which it differs is maximised).",
                 "最优方案及 {k} 个目标值不超过最优值 {slack} 的备选方案；"
                 "每个备选方案的布点与最优方案及此前各方案尽可能不同"
                 "（使与此前方案相差的最少布点决策数最大）。"),
    "alt_settled": ("{always} region-segment pairs are hosted in every layout and {never} in "
                    "none: these are settled within the slack. {choice} pairs are a choice: "
                    "some near-optimal layouts host them, others do not.",
                    "{always} 个地区-环节组合在所有方案中均布点，{never} 个均不布点："
                    "在该容差内可视为已定。{choice} 个组合为可选项："
                    "部分近优方案布点，部分不布点。"),
    "alt_stopped": ("Fewer alternatives than asked: {why}", "备选方案少于要求：{why}"),
    "alt_search": ("The search for each alternative's hosts is a MIP of its own; where it "
                   "stopped at the time limit, the alternative is still within the slack, but "
                   "another may differ more (its search gap is listed).",
                   "每个备选方案的布点搜索都是一个独立的混合整数规划；"
                   "如在时限处停止，该方案仍在容差之内，"
                   "但可能存在差异更大的方案（表中列出其搜索间隙）。"),
    "alt_table": ("The optimum and the alternatives", "最优方案与备选方案"),
    "alt_links": ("Each layout's own report (task list, maps):",
                  "各方案的详细报告（任务清单、地图）："),
    "robust_maps": ("What is settled and what is a choice", "已定与可选"),
    "robust_always_map": ("pairs hosted in every layout", "所有方案均布点的环节数"),
    "robust_choice_map": ("pairs that are a choice", "可选的环节数"),
    "robust_map_caption": ("Per region: left, the segments every near-optimal layout hosts "
                           "there; right, the segments some layouts host there and others do "
                           "not.",
                           "各地区：左图为所有近优方案都在该地区布点的环节数；"
                           "右图为部分方案布点、部分方案不布点的环节数。"),
    "robust_grid": ("Robustness map: region × segment", "稳健性图：地区 × 环节"),
    "robust_sheet": ("Robustness map", "稳健性图"),
    "sheet_alternatives": ("Alternatives", "备选方案"), "sheet_pairs": ("Pairs", "地区-环节组合"),
    "robust_grid_caption": ("Share of the layouts hosting each pair: dark green in every layout "
                            "(settled), orange in some (a choice within the slack), pale in "
                            "none; grey cannot host.",
                            "各组合在全部方案中布点的比例：深绿为全部方案均布点（已定），"
                            "橙色为部分方案布点（容差内可选），浅色为均不布点；"
                            "灰色为不能布点。"),
    "choice_pairs": ("Pairs that are a choice", "可选的地区-环节组合"),
    "alternative": ("layout", "方案"),
    "gap_to_optimum": ("above the optimum", "高于最优"),
    "hosts": ("hosts", "布点数"),
    "hosts_differ_from_optimum": ("hosts differing from the optimum", "与最优方案不同的布点"),
    "least_distance_to_earlier": ("least difference to earlier layouts",
                                  "与此前方案的最少差异"),
    "distance_search": ("search status", "搜索状态"),
    "distance_search_gap": ("search gap", "搜索间隙"),
    "hosts_added": ("hosts added", "新增布点"), "hosts_removed": ("hosts removed", "减少布点"),
    "robustness": ("settled?", "是否已定"), "share": ("share of layouts", "布点方案占比"),
    "layouts_hosting": ("layouts hosting", "布点方案数"),
    "hosted_today": ("hosted today", "现状布点"), "in_optimum": ("in the optimum", "最优方案布点"),
    "always": ("always", "均布点"), "never": ("never", "均不布点"), "choice": ("choice", "可选"),
    "front_title": ("{name}: {a} against {b}", "{name}：{a}与{b}的权衡"),
    "front_lead": ("{n} allocations between the two lexicographic optima: least {a} (first "
                   "point) to least {b} (last point). Each is the least {a} with {b} capped, "
                   "then the least {b} with {a} held, so no allocation has less of both.",
                   "两个字典序最优解之间的 {n} 个方案：从{a}最小（第一个点）"
                   "到{b}最小（最后一个点）。每个点先在{b}上限下使{a}最小，"
                   "再固定{a}使{b}最小，因此不存在两项都更小的方案。"),
    "front_weighted": ("The instance's weighted optimum (the star) has {a} {va} and {b} {vb}.",
                       "算例的加权最优解（星号）：{a} {va}，{b} {vb}。"),
    "front_held": ("The instance's other objective terms are held at most at the weighted "
                   "optimum's values ({held}), so the weighted optimum lies on the front.",
                   "其余目标项不超过加权最优解的取值（{held}），"
                   "因此加权最优解位于前沿上。"),
    "front_free": ("The instance's other objective terms are free along the front, so the "
                   "weighted optimum, which also pays for them, may lie above it.",
                   "其余目标项在前沿上不受限制，加权最优解同时计入这些项，"
                   "因此可能位于前沿上方。"),
    "front_limited": ("{n} of the points stopped at the time limit: they are the best "
                      "allocations found, not proven to lie on the front (largest gap {gap}).",
                      "{n} 个点在时限处停止：为已找到的最好方案，"
                      "未证明位于前沿上（最大间隙 {gap}）。"),
    "front_dropped": ("Caps that gave no new point:", "未得到新点的上限："),
    "front_chart": ("The trade-off front", "权衡前沿"),
    "front_points": ("The points", "各点"),
    "front_curve": ("trade-off front", "权衡前沿"),
    "front_star": ("the instance's weighted optimum", "算例的加权最优解"),
    "front_open": ("stopped at the time limit", "时限处停止"),
    "point": ("point", "点"), "kind": ("kind", "类型"), "cap": ("cap", "上限"),
    "weighted_objective": ("weighted objective", "加权目标值"), "mip_gap": ("gap", "间隙"),
    "end_first": ("least {a}", "{a}最小"), "interior": ("interior", "中间点"),
})
