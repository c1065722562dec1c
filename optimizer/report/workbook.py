"""report.xlsx as planners use it: names next to codes, numbers stored as numbers with number
formats, filters and frozen headers on every table, charts where a chart says more, and a
first sheet that explains every column of every sheet.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from optimizer.report.page import levers_of, measure_table, named_chains
from optimizer.report.plan import (
    Plan,
    assumptions,
    basis_line,
    scenario_lines,
    status_line,
    verification_lines,
)
from optimizer.results.files import FORMULA_START

HEADER_FILL = PatternFill("solid", fgColor="4C78A8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60

# column key -> (English, Chinese) explanation
DOCS: dict[str, tuple[str, str]] = {
    "region_code": ("Region id used in the instance's tables.", "算例表格中的地区代码。"),
    "region": ("Region name.", "地区名称。"),
    "action": ("What the region does with the segment: keeps, grows, shrinks, closes, opens.",
               "该地区对该环节的任务：保留、扩大、压减、退出、新建。"),
    "segment_code": ("Segment id.", "环节代码。"), "segment": ("Segment name.", "环节名称。"),
    "chain_code": ("Chain id.", "产业链代码。"), "chain": ("Chain name.", "产业链名称。"),
    "output_today": ("Today's output of the segment in the region ({output}).",
                     "该地区该环节现状产出（{output}）。"),
    "output_optimised": ("Output in the optimised layout ({output}).",
                         "优化方案中的产出（{output}）。"),
    "amount": ("Optimised minus today ({output}).", "优化后减现状（{output}）。"),
    "pct": ("Change as a share of today's output; blank for a new host.",
            "变化占现状产出的比例；新建布点为空。"),
    "reason": ("Why: where output moves to or comes from, and binding limits or target "
               "prices (shadow prices) when the run recorded them.",
               "原因：产能转出或承接的地区；如有影子价格，列出起约束作用的限制与目标价格。"),
    "va_today": ("Value added today ({output}).", "现状增加值（{output}）。"),
    "va_optimised": ("Value added in the optimised layout ({output}).",
                     "优化后增加值（{output}）。"),
    "va_change": ("Value added, optimised minus today ({output}).",
                  "增加值变化，优化后减现状（{output}）。"),
    "compensation": ("Value added owed to the region under benefit sharing, beyond the loss it "
                     "must bear ({output}); in the task list, the region's, on each of its rows.",
                     "按利益共享规则应补偿给该地区的增加值（{output}）；任务清单中每行为所在地区的补偿额。"),
    "count_opens": ("Segments the region opens.", "新建环节数。"),
    "count_grows": ("Segments the region grows.", "扩大环节数。"),
    "count_keeps": ("Segments the region keeps as they are.", "保持不变的环节数。"),
    "count_shrinks": ("Segments the region shrinks.", "压减环节数。"),
    "count_closes": ("Segments the region closes.", "退出环节数。"),
    "measure": ("Duplication or completeness measure.", "重复建设或完整性指标。"),
    "today": ("Today's layout.", "现状布局。"), "optimised": ("Optimised layout.", "优化布局。"),
    "change": ("Optimised minus today.", "优化后减现状。"),
    "hosts_today": ("Regions hosting the segment today.", "现状布点地区数。"),
    "hosts_optimised": ("Regions hosting the segment after optimisation.", "优化后布点地区数。"),
    "setting": ("Setting of instance.yaml.", "instance.yaml 中的设置。"),
    "layout": ("Today's layout or the optimised one.", "现状布局或优化布局。"),
    "hhi_output_regions": ("Herfindahl index of output over regions: the sum of squared shares "
                           "(1 = all in one region); on a chain's row, that chain's.",
                           "各地区产出份额平方和（1 表示集中于一地）；产业链行为该链的数值。"),
    "hhi_output_groups": ("The same over groups (e.g. provinces).",
                          "按分组（如省份）计算的同一指数。"),
    "top1_region_share": ("Share of output in the largest region.", "最大地区的产出份额。"),
    "top3_region_share": ("Share of output in the three largest regions.",
                          "前三大地区的产出份额。"),
    "gini_value_added": ("Gini coefficient of value added over regions (0 = even).",
                         "地区间增加值基尼系数（0 表示均衡）。"),
    "gini_value_added_per_person": ("Gini coefficient of value added per person, over people.",
                                    "按人口加权的人均增加值基尼系数。"),
    "supply_centres": ("Regions supplying a host of another region within reach.",
                       "为运距内其他地区布点供货的地区数。"),
    "top_region": ("The chain's largest region.", "该产业链产出最大的地区。"),
    "value_added_current": ("Value added today ({output}).", "现状增加值（{output}）。"),
    "value_added_optimised": ("Value added produced in the region, optimised ({output}).",
                              "优化后本地产出的增加值（{output}）。"),
    "value_added_credited": ("Value added credited to the region after \"1+N\" shares "
                             "({output}).", "计入“1+N”分成后的增加值（{output}）。"),
    "gain": ("Value added produced, optimised minus today ({output}).",
             "本地增加值增量，优化后减现状（{output}）。"),
    "min_gain": ("The least gain the instance asks of the region ({output}).",
                 "算例要求的最低增量（{output}）。"),
    "leader": ("The region leading the partnership.", "牵头地区。"),
    "partner": ("The region it partners with.", "合作地区。"),
    "credit_share": ("Share of the partner's new value added credited to the leader.",
                     "合作地区新增增加值计入牵头地区的比例。"),
    "moved_segments": ("Segments the leader gave up and the partner took up (output moved).",
                       "牵头地区让出、合作地区承接的环节（转移产出）。"),
    "moved_output": ("Output moved from leader to partner ({output}).",
                     "由牵头地区转至合作地区的产出（{output}）。"),
    "partner_new_output": ("The partner's output beyond today ({output}).",
                           "合作地区超出现状的新增产出（{output}）。"),
    "partner_new_value_added": ("Value added of that new output ({output}).",
                                "新增产出的增加值（{output}）。"),
    "credited_to_leader": ("The leader's credit from it ({output}).",
                           "计入牵头地区的部分（{output}）。"),
    "kept_by_partner": ("What the partner keeps of it ({output}).",
                        "合作地区保留的部分（{output}）。"),
    "leader_value_added_change": ("The leader's value added produced, optimised minus today "
                                  "({output}).", "牵头地区本地增加值变化（{output}）。"),
    "leader_credited_value_added_change": ("The leader's credited value added, optimised minus "
                                           "today ({output}).",
                                           "牵头地区计入增加值变化（{output}）。"),
    "partner_credited_value_added_change": ("The partner's credited value added, optimised "
                                            "minus today ({output}).",
                                            "合作地区计入增加值变化（{output}）。"),
    "limit": ("The binding limit, in words (a resource or talent limit by what is short).",
              "起作用的约束（资源或人才约束以其短缺项命名）。"),
    "place": ("The region, segment or chain it applies to.", "约束所对应的地区、环节或产业链。"),
    "shadow_price": ("Change in the objective if the limit rose by one unit, the hosts fixed; "
                     "negative: the plan would be cheaper.",
                     "布点不变时该约束放宽一个单位目标值的变化；负值表示方案成本下降。"),
    "meaning": ("The price as a sentence, with its units.", "影子价格的文字说明（含单位）。"),
    "value": ("Its value.", "取值。"),
}
EXTRA_WORDS = {"hosts_today": ("hosts today", "现状布点数"),
               "hosts_optimised": ("hosts optimised", "优化后布点数")}


def planner_workbook(plan: Plan) -> bytes:
    """The workbook as bytes (the caller writes it atomically). Written in openpyxl's
    write-only mode: rows stream out once, with their formats, instead of being kept as cell
    objects and formatted in a second pass."""
    w = plan.words
    sheets = [(title, frame) for title, frame in _sheets(plan)
              if frame is not None and not frame.empty]
    docs = [(_title(title), _label(str(key), w), _doc(key, w))
            for title, frame in sheets for key in frame.columns]
    book = Workbook(write_only=True)
    _about(book.create_sheet(w("sheet_about")), plan, docs)
    for title, frame in sheets:
        ws = book.create_sheet(_title(title))
        _write_table(ws, frame, w)
        _chart(ws, title, frame, plan)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheets(plan: Plan) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet after the first, in the order a planner reads them."""
    w = plan.words
    sheets: list[tuple[str, pd.DataFrame]] = []
    if plan.solved:
        sheets.append((w("sheet_tasks"), plan.tasks))
        sheets.append((w("sheet_regions"), _regions(plan)))
    sheets.append((w("sheet_measures"), measure_table(plan)))
    if plan.solved:
        sheets.append((w("sheet_hosts"), _hosts(plan)))
        sheets.append((w("sheet_allocation"), _allocation(plan)))
    if "chains" in plan.tables:
        sheets.append((w("sheet_chains"), named_chains(plan, translate=False)))
    sheets += [(w(part.sheet_key), part.sheet) for part in levers_of(plan) if part.sheet_key]
    sheets.append((w("sheet_assumptions"), assumptions(plan.summary, plan.instance, w)))
    return sheets


def _regions(plan: Plan) -> pd.DataFrame:
    """The region summary, then every resource and talent column of regions.csv."""
    regions = plan.tables.get("regions")
    if regions is None:
        return plan.region_summary
    extra = regions.set_index(regions["region"].astype(str))
    extra = extra[[c for c in extra.columns if c.endswith(("_used", "_available",
                                                           "_use_share"))]]
    return plan.region_summary.join(extra, on="region_code")


def _title(text: str) -> str:
    for ch in "[]:*?/\\":
        text = text.replace(ch, "_")
    return text[:31]


SUFFIXES = (("_use_share", ("{x}: share used", "{x}使用率"),
             ("Share of the region's {x} that the optimised layout uses.",
              "优化布局使用的{x}占该地区可用量的比例。")),
            ("_available", ("{x}: available", "{x}可用量"),
             ("{x} the region has ({unit}).", "该地区{x}可用量（{unit}）。")),
            ("_used", ("{x}: used", "{x}使用量"),
             ("{x} the optimised layout uses ({unit}).", "优化布局的{x}使用量（{unit}）。")))


def _limit(key: str, w) -> tuple[str, str] | None:
    """Label and explanation of a resource or talent column of regions.csv (land_used...)."""
    i = 0 if w.lang == "en" else 1
    for suffix, label, doc in SUFFIXES:
        if key.endswith(suffix):
            base = key[: -len(suffix)]
            kind = "resource" if ("resource", base) in w.names or base in (
                w.units.get("resources") or {}) else "talent"
            unit = w.unit("resources" if kind == "resource" else "talent", base)
            name = w.name(kind, base)
            return label[i].format(x=name), doc[i].format(x=name, unit=unit)
    return None


def _label(key: str, w) -> str:
    if key in EXTRA_WORDS:
        return EXTRA_WORDS[key][0 if w.lang == "en" else 1]
    limit = _limit(key, w)
    return limit[0] if limit else w(key)


def _doc(key: str, w) -> str:
    unit = {"output": w.unit("output") or "output unit"}
    if key in DOCS:
        return DOCS[key][0 if w.lang == "en" else 1].format(**unit)
    limit = _limit(str(key), w)
    if limit:
        return limit[1]
    return {"en": f"Column {key} of the run's CSV table.",
            "zh": f"结果 CSV 表中的 {key} 列。"}[w.lang]


def _hosts(plan: Plan) -> pd.DataFrame:
    w = plan.words
    measures = plan.summary.get("measures") or {}
    cur = (measures.get("current") or {}).get("hosts_per_segment") or {}
    opt = (measures.get("optimised") or {}).get("hosts_per_segment") or {}
    return pd.DataFrame([{"segment_code": s, "segment": w.name("segment", s),
                          "hosts_today": cur.get(s, 0), "hosts_optimised": opt.get(s, 0)}
                         for s in dict.fromkeys([*cur, *opt])])


def _allocation(plan: Plan) -> pd.DataFrame:
    w = plan.words
    a = plan.tables["allocation"]
    return pd.DataFrame({
        "region_code": a["region"].astype(str),
        "region": [w.name("region", r) for r in a["region"]],
        "segment_code": a["segment"].astype(str),
        "segment": [w.name("segment", s) for s in a["segment"]],
        "chain": [w.name("chain", c) for c in a["chain"]],
        "output_today": a["current_output"].astype(float),
        "output_optimised": a["output"].astype(float),
        "va_optimised": a["value_added"].astype(float),
        "action": [w(x) for x in plan.tasks.set_index(["region_code", "segment_code"])
                   .reindex(list(zip(a["region"].astype(str), a["segment"].astype(str),
                                     strict=True)))["action"].fillna("keeps")],
    })


def _write_table(ws, frame: pd.DataFrame, w) -> None:
    """Widths and frozen header first (write-only sheets write them before the rows), then
    the header, rows with numbers as numbers in their formats, and a filter."""
    labels = [_label(str(c), w) for c in frame.columns]
    if "action" in frame.columns and frame["action"].isin(["keeps", "grows", "shrinks",
                                                           "closes", "opens"]).all():
        frame = frame.assign(action=frame["action"].map(w))
    formats = [_format(frame[c], str(c)) for c in frame.columns]
    for j, (label, column) in enumerate(zip(labels, frame.columns, strict=True), start=1):
        width = max(_width(label), 6, _column_width(frame[column]))
        ws.column_dimensions[get_column_letter(j)].width = min(width + 2, MAX_WIDTH)
    ws.freeze_panes = "C2" if len(frame.columns) > 3 and str(frame.columns[0]).endswith(
        "_code") else "A2"
    ws.append([_styled(ws, label, header=True) for label in labels])
    for rec in frame.astype(object).to_numpy().tolist():
        ws.append([_styled(ws, _cell(v), number_format=f) for v, f in zip(rec, formats,
                                                                          strict=True)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{len(frame) + 1}"


def _styled(ws, value: object, number_format: str | None = None, header: bool = False):
    """A cell as written: a header styled, a number in its format, and text that starts like
    a formula kept as text (Excel shows it, never runs it)."""
    if not header and not (number_format and isinstance(value, int | float)) and not (
            isinstance(value, str) and value.startswith(FORMULA_START)):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if header:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    elif isinstance(value, str):
        cell.data_type, cell.quotePrefix = "s", True
    else:
        cell.number_format = number_format
    return cell


def _column_width(series: pd.Series) -> int:
    """The widest value of a column as shown (CJK characters count twice), at most MAX_WIDTH."""
    values = series.dropna()
    if values.empty:
        return 0
    if pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
        return _width(float(values.abs().max())) + 1
    text = values.astype(str)
    return int(min((text.str.len() + text.str.count("[\u2e80-\uffff]")).max(), MAX_WIDTH))


def _cell(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _format(series: pd.Series, name: str) -> str | None:
    if series.dtype == bool or not pd.api.types.is_numeric_dtype(series):
        return None
    if name == "pct" or name.endswith("_share"):
        return "0.0%"
    if name.startswith(("count_", "hosts_")):
        return "#,##0"
    values = series.dropna()
    if not values.empty and values.abs().max() < 10:
        return "#,##0.000"
    return "#,##0.0"


def _width(value: object) -> int:
    text = "" if value is None else (f"{value:,.1f}" if isinstance(value, float) else str(value))
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _chart(ws, title: str, frame: pd.DataFrame, plan: Plan) -> None:
    """Bar charts where they say more than the numbers: hosts per segment, value-added change."""
    columns = list(frame.columns)
    if "hosts_today" in columns:
        chart = BarChart()
        chart.type, chart.title = "bar", title
        chart.height, chart.width = max(8, 0.45 * len(frame)), 18
        data = Reference(ws, min_col=columns.index("hosts_today") + 1, max_col=columns.index(
            "hosts_optimised") + 1, min_row=1, max_row=len(frame) + 1)
        cats = Reference(ws, min_col=columns.index("segment") + 1, min_row=2,
                         max_row=len(frame) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        ws.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")
    elif "va_change" in columns:
        chart = BarChart()
        chart.type, chart.title = "bar", plan.words("va_change")
        chart.height, chart.width = max(8, 0.4 * len(frame)), 16
        chart.legend = None
        col = columns.index("va_change") + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=len(frame) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=columns.index("region") + 1, min_row=2,
                                       max_row=len(frame) + 1))
        ws.add_chart(chart, f"{get_column_letter(len(columns) + 2)}2")


def _about(ws, plan: Plan, docs: list[tuple[str, str, str]]) -> None:
    """The first sheet: what the run is, how far to trust it, and every column explained."""
    w, s = plan.words, plan.summary
    head, changes = scenario_lines(s, w)
    lines = [w("report_title", name=s.get("instance", "")), status_line(s, w),
             *verification_lines(s, w), basis_line(s, w), head, *changes, ""]
    start = len(lines) + 1
    for column, width in (("A", 22), ("B", 24), ("C", 90)):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{start + 1}"
    title = WriteOnlyCell(ws, value=lines[0])
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for text in lines[1:]:
        ws.append([text])
    header = ("sheet", "column", "meaning") if w.lang == "en" else ("工作表", "列", "含义")
    ws.append([_styled(ws, text, header=True) for text in header])
    for row in docs:
        ws.append(list(row))
    ws.auto_filter.ref = f"A{start}:C{start + len(docs)}"
