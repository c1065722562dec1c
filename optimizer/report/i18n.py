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
    "objective_terms": ("objective terms", "目标各项"),
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
    "chg_set": ("set", "设定"), "chg_scale": ("scale", "按比例调整"),
    "chg_add_row": ("add a row", "新增一行"), "chg_remove_rows": ("remove rows", "删除行"),
    "chg_must": ("must host", "必须布局"), "chg_forbid": ("may not host", "禁止布局"),
    "chg_release": ("released from must or forbid", "解除必须或禁止"),
    "chg_add_host": ("add a host", "新增布点"),
    "chg_upgrade": ("infrastructure upgraded", "基础设施升级"),
    "chg_drop_region": ("regions left out", "移除地区"),
    "chg_drop_chain": ("chains left out", "移除产业链"),
    "chg_drop_segment": ("segments left out", "移除环节"),
    "chg_policy": ("policy", "政策开关"), "chg_settings": ("settings", "参数设置"),
    "chg_unread": ("({path} could not be read)", "（无法读取 {path}）"),
    "chg_key_table": ("table", "表"), "chg_key_column": ("column", "列"),
    "chg_key_where": ("where", "条件"), "chg_key_by": ("by", "倍数"),
    "chg_key_to": ("to", "设为"), "chg_key_level": ("level", "等级"),
    "chg_key_note": ("note", "说明"), "chg_key_output": ("output", "产出"),
    "chg_key_row": ("row", "行"), "group": ("group", "分组"),
    "infrastructure": ("infrastructure", "基础设施"), "talent": ("talent", "人才"),
    "resource": ("resource", "资源"),
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
    "output_moved": ("output moved between hosts", "转移产出"),
    "supply_shortfall": ("input need beyond supply in reach", "运距内供给缺口"),
    "weighted_excess_hosts": ("weighted excess hosts", "加权重复布点数"),
    # concentration and the levers against polarisation (docs/measures.md)
    "concentration": ("Concentration, today against optimised", "产业集中度：现状与优化后"),
    "concentration_note": ("HHI: the sum of squared output shares (1 = one holder); the shares of "
                           "the largest region and of the three largest; the Gini of value added "
                           "over regions (0 = even); regions supplying a host of another region "
                           "in reach (more = more centres).",
                           "HHI：各地区产出份额的平方和（1 表示完全集中于一地）；"
                           "最大地区与前三大地区的份额；地区间增加值基尼系数（0 表示均衡）；"
                           "为运距内其他地区布点供货的地区数（越多表示中心越多）。"),
    "hhi_output_regions": ("HHI of output across regions", "地区产出 HHI"),
    "hhi_output_groups": ("HHI of output across groups", "分组产出 HHI"),
    "top1_region_share": ("share of the largest region", "最大地区份额"),
    "top3_region_share": ("share of the 3 largest regions", "前三大地区份额"),
    "gini_value_added": ("Gini of value added (regions)", "增加值基尼系数（地区）"),
    "gini_value_added_per_person": ("Gini of value added per person", "人均增加值基尼系数"),
    "supply_centres": ("regions supplying others in reach", "对外配套地区数"),
    "hhi_regions": ("HHI across regions", "地区 HHI"), "hhi_groups": ("HHI across groups",
                                                                    "分组 HHI"),
    "top1_share": ("share of the largest region", "最大地区份额"),
    "top_region": ("largest region", "最大地区"),
    "top3_share": ("share of the 3 largest", "前三大份额"),
    "lagging": ("Lagging regions", "欠发达地区"),
    "lagging_note": ("Value added today, produced after and credited after (with \"1+N\" "
                     "partnerships); the gain in value added produced against the least gain "
                     "asked; and the compensation owed.",
                     "现状增加值、优化后本地产出的增加值与计入合作分成后的增加值；本地增加值增量与"
                     "要求的最低增量；以及应得补偿。"),
    "value_added_current": ("value added today", "现状增加值"),
    "value_added_optimised": ("value added produced, optimised", "优化后本地增加值"),
    "value_added_credited": ("value added credited, optimised", "优化后计入增加值"),
    "gain": ("gain", "增量"), "min_gain": ("least gain asked", "最低增量要求"),
    "partnerships": ("\"1+N\" partnerships", "“1+N”结对合作"),
    "partnerships_note": ("Per partnership: the segments the leader gave up and the partner took "
                          "up (output moved), the value added of the partner's new output, and "
                          "who is credited with it.",
                          "每对合作：牵头地区让出、合作地区承接的环节（转移产出），合作地区新增产出的"
                          "增加值，以及分成归属。"),
    "leader": ("leader", "牵头地区"), "partner": ("partner", "合作地区"),
    "credit_share": ("leader's credit share", "牵头方分成比例"),
    "moved_segments": ("segments moved (output)", "转移环节（产出）"),
    "moved_output": ("output moved", "转移产出"),
    "partner_new_output": ("partner's new output", "合作方新增产出"),
    "partner_new_value_added": ("partner's new value added", "合作方新增增加值"),
    "credited_to_leader": ("credited to the leader", "计入牵头方"),
    "kept_by_partner": ("kept by the partner", "合作方保留"),
    "leader_value_added_change": ("leader's value added change", "牵头方增加值变化"),
    "leader_credited_value_added_change": ("leader's credited change", "牵头方计入增加值变化"),
    "partner_credited_value_added_change": ("partner's credited change",
                                            "合作方计入增加值变化"),
    # shadow prices: what one more unit of a binding limit is worth
    "prices": ("Shadow prices: what each binding limit is worth", "影子价格：各约束的边际价值"),
    "prices_note": ("With every host decision fixed as in the plan, the change in the objective "
                    "({unit}) if a binding limit rose by one unit; negative means the plan would "
                    "be cheaper. The {n} largest of {total} binding limits (all in "
                    "shadow_prices.csv).",
                    "在方案布点不变的前提下，某一起约束作用的限制放宽一个单位时目标值（{unit}）"
                    "的变化；负值表示方案成本下降。下表列出 {total} 个起作用约束中最大的 {n} 个"
                    "（全部见 shadow_prices.csv）。"),
    "prices_stage": ("In lexicographic mode these are the prices of the {stage} stage.",
                     "字典序模式下，此为“{stage}”阶段的影子价格。"),
    "prices_none": ("No limit binds: with these hosts, one more unit of any limit would not "
                    "change the objective.",
                    "无起作用的约束：在现有布点下，放宽任一限制都不改变目标值。"),
    "prices_not_priced": ("No shadow prices for this run: {why}", "本次未计算影子价格：{why}"),
    "limit": ("limit", "约束"), "place": ("where", "对象"), "shadow_price": ("shadow price",
                                                                        "影子价格"),
    "meaning": ("meaning", "含义"),
    "price_reading": ("{name}{place}: one more {per} would {effect} {amount}",
                      "{name}{place}：每增加 1 {per}，目标值{effect} {amount}"),
    "price_cost": ("cost", "增加"), "price_save": ("save", "减少"),
    "price_short": ("{name} ({value} per {per})", "{name}（每{per} {value}）"),
    "price_value": ("{value} per {per}", "每{per} {value}"),
    "per_unit": ("unit", "单位"),
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
    "reason_price": ("target price: {value}", "目标影子价格：{value}"),
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
    "sheet_concentration": ("Concentration", "产业集中度"),
    "sheet_lagging": ("Lagging regions", "欠发达地区"),
    "sheet_partnerships": ("1+N partnerships", "结对合作"),
    "sheet_prices": ("Shadow prices", "影子价格"), "layout": ("layout", "布局"),
    "yes": ("yes", "是"), "no": ("no", "否"),
    "term": ("objective term", "目标项"), "value": ("value", "数值"), "unit": ("unit", "单位"),
    "setting": ("setting", "设置"), "what": ("what it does", "含义"),
    # the comparison of runs
    "compare_title": ("Scenario comparison", "情景比较"),
    "compare_subtitle": ("{n} runs compared; changes are measured against {reference}. "
                         "Generated {created}.",
                         "共比较 {n} 个方案，变化均相对于“{reference}”。生成于 {created}。"),
    "runs": ("Runs", "方案"), "run": ("run", "方案"),
    "measures_side": ("Measures side by side", "指标对比"),
    "best_note": ("Green marks the best run on each line: lower is better, except for the "
                  "Krugman index, value added and the regions supplying others.",
                  "绿色标出每行最优的方案：除克鲁格曼指数、增加值与对外配套地区数外，数值越低越好。"),
    "best": ("best", "最优"), "best_on": ("best on {measure}: {runs}", "{measure}最优：{runs}"),
    "all_equal": ("all equal", "全部相同"),
    "va_maps": ("Where value added moves, run by run", "各方案增加值变化分布"),
    "va_maps_note": ("Each map: a run's value added per region, minus the reference run's; "
                     "green gains, red losses.",
                     "每张图为一个方案各地区增加值减去参照方案的差值；绿色为增加，红色为减少。"),
    "va_map_caption": ("{run} against {reference} ({unit})", "{run}相对“{reference}”（{unit}）"),
    "no_reference_layout": ("{run} has no allocation, so changes against it cannot be drawn.",
                            "“{run}”无可行方案，无法绘制相对它的变化。"),
    "va_no_change": ("No region's value added changes.", "各地区增加值均无变化。"),
    "short_optimal": ("optimal", "最优"), "short_feasible": ("feasible", "可行"),
    "short_infeasible": ("infeasible", "不可行"), "short_no_solution": ("no allocation", "无解"),
    "short_current": ("today", "现状"), "short_failed": ("failed", "失败"),
    "map_no_instance": ("No maps: the runs' instance was not found.",
                        "无地图：未找到方案对应的算例。"),
    "hosts_per_run": ("Regions hosting each segment, run by run", "各方案各环节布点地区数"),
    "region_changes": ("What changes per region", "各地区变化"),
    "note": ("note", "备注"), "segments_added": ("segments added", "新增环节"),
    "segments_removed": ("segments removed", "退出环节"),
    "used_change": ("{what} used, change", "{what}使用量变化"),
    "complete_word": ("complete", "完整"), "incomplete": ("incomplete", "不完整"),
    "unhosted_list": ("unhosted: {what}", "缺失环节：{what}"),
    "unsupplied_count": ("{n} hosts without a supplier in reach", "{n} 个布点运距内无配套"),
    "csheet_runs": ("runs", "方案"), "csheet_measures": ("measures", "指标"),
    "csheet_hosts": ("hosts", "布点数"), "csheet_regions": ("regions", "地区"),
    "csheet_chains": ("chains", "产业链"), "csheet_allocation": ("allocation", "分配"),
    # coordination between groups of regions (`coordinate`)
    "coord_title": ("{name}: the coordination dividend", "{name}：协同规划红利"),
    "coord_subtitle": ("{n} coalitions solved ({mode}) in {seconds} s.",
                       "共求解 {n} 个联盟（{mode}），用时 {seconds} 秒。"),
    "coord_mode_exact": ("every coalition", "全部联盟"),
    "coord_mode_sampled": ("joining orders sampled", "抽样加入顺序"),
    "coord_reading": ("The dividend and who pays whom", "协同红利与转移支付"),
    "coord_rule": ("Recommended split: {rule}, because {why}.",
                   "建议分摊规则：{rule}。理由：{why}。"),
    "rule_shapley": ("the Shapley split", "Shapley 分摊"),
    "rule_core_nearest_shapley": ("the core split nearest Shapley", "最接近 Shapley 的核心分摊"),
    "rule_least_core": ("the least-core split", "最小核心分摊"),
    "why_shapley": ("the Shapley split lies in the core: no group or coalition of groups would "
                    "pay less planning alone, and each group pays its average marginal cost",
                    "Shapley 分摊位于核心内：任何地区组或其联盟单独规划都不会更省，"
                    "各组承担其平均边际成本"),
    "why_core": ("the Shapley split is outside the core (coalition {coalition} would pay "
                 "{amount} less alone); the core point nearest it keeps every coalition no "
                 "worse off than alone",
                 "Shapley 分摊不在核心内（联盟 {coalition} 单独规划可少付 {amount}）；"
                 "最接近它的核心分摊使任何联盟都不比单独规划差"),
    "why_least_core": ("the core is empty: no split leaves every coalition as well off as "
                       "alone; the least-core point asks no coalition for more than {epsilon} "
                       "above its cost alone, the smallest such excess",
                       "核心为空：没有任何分摊能使所有联盟都不比单独规划差；最小核心分摊使任何联盟"
                       "多付不超过 {epsilon}，为可能的最小超额"),
    "coord_chart": ("Per group: what it would pay planning alone, what its regions bear in the "
                    "coordinated plan, and its fair share (what it pays after transfers).",
                    "各组：单独规划的成本、协同方案中其地区承担的成本，以及公平分摊（转移支付后"
                    "实际承担）。"),
    "coord_bar_alone": ("alone", "单独规划"), "coord_bar_borne": ("borne in the plan",
                                                              "协同方案中承担"),
    "coord_bar_share": ("fair share", "公平分摊"),
    "coord_sum_alone": ("each group planning alone, summed", "各组单独规划成本之和"),
    "coord_together": ("planning together", "协同规划成本"),
    "coord_dividend": ("coordination dividend", "协同红利"),
    "coord_shapley_in_core": ("Shapley split in the core", "Shapley 分摊位于核心内"),
    "coord_core_empty": ("core empty", "核心为空"),
    "coord_epsilon": ("least-core epsilon", "最小核心 ε"),
    "coord_uncertainty": ("largest uncertainty of a coalition value (MIP gap)",
                          "联盟成本的最大不确定性（MIP 间隙）"),
    "coord_decided": ("core question decided at this gap", "在此间隙下核心判断是否确定"),
    "coord_undecided": ("no: within the coalition values' MIP-gap uncertainty; re-run with a "
                        "smaller --gap", "否：差异在联盟成本的 MIP 间隙不确定性之内，"
                        "请以更小的 --gap 重新计算"),
    "coord_solved": ("coalitions solved", "已求解联盟"),
    "coord_solved_value": ("{n} ({mode}), largest gap {gap}", "{n} 个（{mode}），最大间隙 {gap}"),
    "coord_time": ("time", "用时"),
    "coord_time_value": ("{seconds} s on {workers} worker(s)", "{seconds} 秒，{workers} 个进程"),
    "coord_orders": ("joining orders sampled", "抽样的加入顺序数"),
    "coord_groups": ("Per group", "各组分摊"),
    "coord_coalitions": ("Every coalition planning alone", "各联盟单独规划"),
    "coord_col_group": ("group", "地区组"), "coord_col_regions": ("regions", "地区数"),
    "coord_col_cost_alone": ("cost alone", "单独规划成本"),
    "coord_col_borne_in_coordinated_plan": ("borne in the coordinated plan", "协同方案中承担"),
    "coord_col_shapley_share": ("Shapley share", "Shapley 分摊"),
    "coord_col_shapley_half_width_95": ("Shapley ± (95 %)", "Shapley ±（95%）"),
    "coord_col_core_point": ("core point", "核心分摊"),
    "coord_col_recommended_share": ("recommended share", "建议分摊"),
    "coord_col_transfer": ("transfer (+ pays, − receives)", "转移支付（正为支付，负为收取）"),
    "coord_col_net_cost": ("net cost", "净成本"),
    "coord_col_gain_vs_alone": ("gain against planning alone", "较单独规划节省"),
    "coord_col_coalition": ("coalition", "联盟"), "coord_col_value": ("cost v(S)", "成本 v(S)"),
    "coord_col_bought": ("segments bought in", "外购环节"),
    "coord_col_dropped": ("chains left", "放弃的产业链"),
    "coord_col_parts": ("planned in parts", "分拆规划"),
    "coord_incomplete_buy_in": ("A coalition that cannot make a segment of its chains alone (no "
                                "region able to host it; or, if its regions cannot build the "
                                "rest within their resources and talent, every segment it does "
                                "not make today) buys it from outside at no modelled price, so "
                                "its cost is a lower bound.",
                                "联盟无法自行生产的环节（无地区可承接；或其地区资源与人才不足以补齐其余"
                                "环节时，所有现状未生产的环节）按零成本从外部购入，因此其成本为下界。"),
    "coord_incomplete_drop_chain": ("A coalition leaves every chain it cannot complete alone: "
                                    "it makes none of that chain and pays for closing its "
                                    "hosts.", "联盟放弃无法独立补齐的产业链：不再生产该链，"
                                              "并承担关闭其布点的成本。"),
    "coord_duplication": ("A coalition's excess hosts are priced against the whole area: each "
                          "host of a segment counts its weight, less the coalition's share of "
                          "today's output of it, so the groups' separate plans put together are "
                          "charged exactly the area's excess hosts.",
                          "联盟的重复布点按全区域计价：每个布点计入该环节权重，减去联盟在该环节现状"
                          "产出中的份额，使各组单独方案合计恰好等于全区域的重复布点。"),
    "coord_in_parts": ("A coalition that cannot plan as one even after its rule takes the "
                       "cheapest split into two coalitions planning alone.",
                       "按规则处理后仍无法整体规划的联盟，取拆分为两个单独规划联盟的最低成本方案。"),
    # instance.yaml settings and objective terms, as the assumptions table names them
    "set_objective.mode": ("objective: mode", "目标：模式"),
    "set_objective.order": ("objective: order of the terms", "目标：各项优先次序"),
    "set_objective.weights": ("objective: weight of {term}", "目标：{term}权重"),
    "set_solver.mip_gap": ("solver: relative gap accepted", "求解：可接受相对间隙"),
    "set_solver.time_limit": ("solver: time limit (s)", "求解：时间上限（秒）"),
    "set_policy.chain_completeness": ("every segment of a chain hosted", "产业链环节须齐全"),
    "set_policy.supplier_reach": ("a supplier within reach of every user host",
                                  "下游布点须有运距内上游配套"),
    "set_policy.flows": ("supply flows within reach (flow form)", "按运距内供货流量建模"),
    "set_policy.resources": ("resource limits", "资源约束"),
    "set_policy.talent": ("talent limits", "人才约束"),
    "set_policy.infrastructure": ("infrastructure requirements", "基础设施要求"),
    "set_policy.benefit_sharing": ("benefit sharing (loss floors, compensation)",
                                   "利益共享（损失底线与补偿）"),
    "set_policy.max_loss_share": ("share of value added a region may lose uncompensated",
                                  "地区可承受的增加值损失比例"),
    "set_policy.change_budget": ("most hosts that may change", "布点调整数量上限"),
    "set_policy.max_shrink": ("most a kept host may shrink", "保留布点最大压减比例"),
    "mode_weighted": ("weighted sum", "加权求和"),
    "mode_lexicographic": ("lexicographic (one term after another)", "字典序（逐项优化）"),
    "generated": ("instance {instance} (hash {hash}), package {package}, HiGHS {highs}",
                  "算例 {instance}（哈希 {hash}），程序版本 {package}，HiGHS {highs}"),
}

# Every row family of the model (its Pyomo constraint name; shadow_prices.csv's `limit`) in
# the planner's words. A test builds the model with every lever on and checks that each family
# has a name here, so a family added later cannot reach a report as a bare code.
LIMITS: dict[str, tuple[str, str]] = {
    "target": ("the output target of a segment", "环节产出目标"),
    "target_min": ("a segment's least output target", "环节产出下限"),
    "target_max": ("a segment's most output", "环节产出上限"),
    "resource": ("a region's resource stock", "地区资源存量"),
    "resource_limit": ("a region's resource stock", "地区资源存量"),
    "talent": ("a region's talent pool", "地区人才存量"),
    "talent_limit": ("a region's talent pool", "地区人才存量"),
    "min_scale": ("the minimum economic scale of a host", "布点最小经济规模"),
    "max_scale": ("the most a host can make", "布点最大产能"),
    "shrink_def": ("today's output of a host", "现有产出"),
    "max_shrink": ("the most a kept host may shrink", "保留布点最大压减幅度"),
    "protected_share": ("a protected host's share of today's output", "受保护布点的保底产出"),
    "loss_floor": ("a region's loss floor", "地区损失底线"),
    "min_gain": ("a lagging region's least gain", "欠发达地区最低增量"),
    "min_share": ("a least share of output or value added", "最低份额要求"),
    "supplier_capacity": ("a supplier's output for its users", "上游配套供给能力"),
    "supply_covers_use": ("supply within reach covers use", "运距内供需平衡"),
    "segment_hosted": ("every segment of a chain hosted", "产业链环节齐全"),
    "supplier_in_reach": ("a supplier within reach", "运距内有上游配套"),
    "in_chain_if_hosting": ("a host takes part in its chain", "布点计入所属产业链"),
    "must_host": ("a host required by policy", "政策指定布点"),
    "max_hosts": ("the most hosts of a segment", "环节最多布点数"),
    "max_segments": ("the most segments in a region", "地区最多环节数"),
    "max_chains": ("the most chains in a region", "地区最多产业链数"),
    "change_budget": ("the most hosts that may change", "布点调整数量上限"),
    "new_output_beyond_today": ("a partner's new output (\"1+N\")", "合作地区新增产出（“1+N”）"),
    "new_output_if_grows": ("a partner's growth switch (\"1+N\")", "合作地区扩产判定（“1+N”）"),
    "new_output_at_most": ("a partner's new output cap (\"1+N\")", "合作地区新增产出上限（“1+N”）"),
    "excess_def": ("count of excess hosts", "重复布点计数"),
    "hosts_count_def": ("count of hosts", "布点计数"),
    "overlap_tangent": ("count of region pairs sharing a segment", "同构地区对计数"),
    "lexicographic_hold": ("an earlier objective held at its optimum", "前序目标保持最优"),
}

# What each objective term counts, in Chinese; the English is the instance schema's own
# (summary.json carries it as `what`).
TERMS_ZH: dict[str, str] = {
    "excess_hosts": "各环节第一个布点之外的布点数（加权）。",
    "pairwise_overlap": "布局同一环节的地区对数（加权）。",
    "cost": "单位成本、新建、退出、进入产业链、扩产与压减成本。",
    "linkage": "上游供货量乘以运距（流量模型）。",
    "compensation": "地区损失超出底线部分应得的增加值补偿。",
}

STATUS_KEYS = {"optimal": "status_optimal", "feasible": "status_feasible",
               "infeasible": "status_infeasible", "no_solution": "status_no_solution"}

# Short units, recognised in the instance's unit descriptions. 亿元 (100 million CNY) stays 亿元
# in English too, as planning documents in English write it.
UNIT_WORDS = (("亿元", ("亿元", "亿元")), ("100 million CNY", ("亿元", "亿元")),
              ("万吨", ("10,000 t", "万吨")), ("10,000 t", ("10,000 t", "万吨")),
              ("km²", ("km²", "km²")), ("hectare", ("ha", "公顷")),
              ("person-year", ("person-years", "人年")), ("persons", ("persons", "人")),
              ("region pairs", ("region pairs", "对")), ("hosts", ("hosts", "个")),
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

    def columns(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A table with its column keys in the report's words."""
        return frame.rename(columns={c: self(c) for c in frame.columns})

    def name(self, kind: str, key: object) -> str:
        """The name of an id, or the id itself when it has none."""
        key = str(key)
        return self.names.get((kind, key), key)

    def limit(self, family: str) -> str:
        """A row family (shadow_prices.csv's `limit`) in the planner's words."""
        return LIMITS[family][self._i] if family in LIMITS else family.replace("_", " ")

    def setting(self, key: str) -> str:
        """An instance.yaml setting (objective.weights.cost...) in words; unknown ones as
        they are written."""
        if key.startswith("objective.weights."):
            term = key.removeprefix("objective.weights.")
            return self("set_objective.weights", term=self(f"term_{term}"))
        return self(f"set_{key}") if f"set_{key}" in TEXT else key

    def status(self, status: str) -> str:
        return self(STATUS_KEYS[status]) if status in STATUS_KEYS else status

    def short_status(self, status: object) -> str:
        """A solver status in a table cell: one word ("optimal", "最优")."""
        return self(f"short_{status}") if f"short_{status}" in TEXT else str(status)

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
        """A unit description shortened to the planner's word for it (亿元, 万吨...); a
        product 'A x km' to '亿元·km'."""
        if " x " in str(text):
            return "·".join(self.short_unit(part) for part in str(text).split(" x ", 1))
        for word, short in UNIT_WORDS:
            if word in str(text):
                return short[self._i]
        return str(text)

    def join(self, items) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)

    @property
    def semi(self) -> str:
        """The separator between clauses: '；' in Chinese."""
        return "；" if self.lang == "zh" else "; "

    def number(self, value: object, digits: int | None = None) -> str:
        return fmt_number(value, digits)

    def pct(self, value: object) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        text = f"{abs(value):.1%}" if abs(value) < 0.01 else f"{abs(value):.0%}"
        return ("−" if value < 0 else "+") + text


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
    "dropped_no_allocation": ("no allocation ({status})", "无方案（{status}）"),
    "dropped_repeat": ("the same point as another cap gave", "与另一上限所得的点相同"),
    "dropped_dominated": ("dominated by a point with less {a} and no more {b} (a stage stopped "
                          "before optimality)",
                          "被{a}更少且{b}不更多的点支配（某阶段未达最优即停止）"),
    "front_chart": ("The trade-off front", "权衡前沿"),
    "front_points": ("The points", "各点"),
    "front_curve": ("trade-off front", "权衡前沿"),
    "front_star": ("the instance's weighted optimum", "算例的加权最优解"),
    "front_open": ("stopped at the time limit", "时限处停止"),
    "point": ("point", "点"), "kind": ("kind", "类型"), "cap": ("cap", "上限"),
    "weighted_objective": ("weighted objective", "加权目标值"), "mip_gap": ("gap", "间隙"),
    "end_first": ("least {a}", "{a}最小"), "interior": ("interior", "中间点"),
})
