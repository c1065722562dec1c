"""The planner's deliverables read back: task list, names and language, maps, docx, workbook."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import zlib
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from optimizer.instance import load_instance
from optimizer.instance.geometry import parse_geometry
from optimizer.report import maps, write_visual_reports
from optimizer.report.i18n import Words, language
from optimizer.report.plan import actions, task_table
from optimizer.report.raster import png_map
from tests.conftest import REPO

TUTORIAL = REPO / "instances" / "tutorial"


def rebuilt(run: Path, tmp_path: Path, lang: str | None = None, summary: dict | None = None,
            extra: dict[str, str] | None = None) -> Path:
    """A copy of a run folder with its reports written again (after optional changes)."""
    copy = tmp_path / f"run-{lang}"
    shutil.copytree(run, copy)
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink(missing_ok=True)
    if summary:
        path = copy / "summary.json"
        path.write_text(json.dumps(json.loads(path.read_text()) | summary), encoding="utf-8")
    for name, text in (extra or {}).items():
        (copy / name).write_text(text, encoding="utf-8")
    write_visual_reports(copy, lang=lang)
    return copy


# ---------------------------------------------------------------------------- task list


def allocation(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "segment", "chain", "output", "value_added",
                                       "current_output", "change"])


def test_resized_is_split_by_direction_and_new_labels_pass_through():
    a = allocation([("a", "s", "c", 150, 0, 100, "resized"), ("b", "s", "c", 50, 0, 100,
                                                               "resized"),
                    ("c", "s", "c", 100, 0, 100, "resized"), ("d", "s", "c", 120, 0, 100,
                                                              "grown"),
                    ("e", "s", "c", 0, 0, 100, "closed"), ("f", "s", "c", 30, 0, 0, "new"),
                    ("g", "s", "c", 80, 0, 100, "shrunk"), ("h", "s", "c", 100, 0, 100, "kept")])
    assert actions(a).tolist() == ["grows", "shrinks", "keeps", "grows", "closes", "opens",
                                   "shrinks", "keeps"]


def test_task_reasons_say_where_output_goes_and_quote_shadow_prices():
    # region x closes s (100 -> 0); y grows s by 60 and z opens s with 40: the closure's
    # output moves to y and z (largest first); y and z take it over from x.
    a = allocation([("x", "s", "c", 0, 0, 100, "closed"), ("y", "s", "c", 160, 0, 100, "grown"),
                    ("z", "s", "c", 40, 0, 0, "new")])
    shadow = pd.DataFrame([
        {"limit": "resource", "region": "y", "segment": "", "item": "land", "shadow_price": 2.5},
        {"limit": "shrink_def", "region": "y", "segment": "s", "item": "", "shadow_price": -0.02},
        {"limit": "target", "region": "", "segment": "s", "item": "", "shadow_price": 0.7}])
    words = Words("en")
    words.units = {"output": "100 million CNY (亿元)", "resources": {"land": "hectare of land"}}
    words.names[("resource", "land")] = "Industrial land"
    tasks = task_table(a, shadow, words, "亿元").set_index("region_code")
    assert tasks.loc["x", "action"] == "closes"
    assert tasks.loc["x", "reason"].endswith("its output moves to y, z")
    assert tasks.loc["y", "action"] == "grows" and tasks.loc["y", "pct"] == pytest.approx(0.6)
    reason = tasks.loc["y", "reason"]
    assert "binding: today's output of a host (−0.02 亿元 per 亿元)" in reason
    assert "binding: Industrial land (+2.50 亿元 per ha)" in reason
    assert "target price: +0.7 亿元 per 亿元" in reason
    assert "shrink_def" not in reason and "land in" not in reason
    assert "absorbs output from x" in tasks.loc["y", "reason"]
    assert tasks.loc["z", "reason"].endswith("takes over output from x")
    assert np.isnan(tasks.loc["z", "pct"])  # no output today: no percentage


# ---------------------------------------------------------------------------- language


def test_language_comes_from_the_flag_then_the_run_then_the_instance():
    yrd = load_instance(REPO / "instances" / "yangtze_delta")
    assert yrd.settings.language == "zh"
    assert language(None, {}, yrd) == "zh"
    assert language("en", {"language": "zh"}, yrd) == "en"
    assert language(None, {"language": "en"}, yrd) == "en"
    zh, en = Words("zh", yrd), Words("en", yrd)
    assert zh.name("segment", "nev_battery") == "动力电池"
    assert en.name("segment", "nev_battery") == "Power batteries"
    assert zh.name("region", "js_320200") == en.name("region", "js_320200") == "无锡市"
    assert zh.name("talent", "rd_fte") == "研发人员"
    assert (zh.unit("output"), zh.unit("resources", "co2"), zh.unit("resources", "land"),
            zh.unit("talent", "rd_fte")) == ("亿元", "万吨", "km²", "人年")


def test_every_name_of_the_shipped_instances_has_both_languages():
    for name in ("yangtze_delta", "jing_jin_ji", "provinces", "national"):
        inst = load_instance(REPO / "instances" / name)
        names = inst.tables["names"]
        assert (names["en"] != "").all() and (names["zh"] != "").all(), name
        for kind, table, column in (("chain", "chains", "chain"),
                                    ("segment", "segments", "segment"),
                                    ("resource", "resource_use", "resource"),
                                    ("talent", "talent_use", "talent")):
            assert set(inst.tables[table][column]) <= set(names.loc[names["kind"] == kind,
                                                                    "id"]), (name, kind)


def test_markdown_in_chinese_uses_names_not_codes(tmp_path):
    from optimizer.cli.main import main

    out = tmp_path / "zh"
    assert main(["solve", str(TUTORIAL), "--out", str(out), "--lang", "zh"]) == 0
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "各地区任务清单" in text and "晶圆制造" in text and "新能源汽车" in text
    tasks = text.split("## 各地区任务清单")[1].split("## ")[0]
    assert "| 地区 | 任务 | 环节、规模与变化 | 原因 | 应得补偿 |" in tasks
    for code in ("wafer_fab", "battery_cells", "ic_design", "| ev |"):
        assert code not in text.split("## 产业链完整性")[0], code
    assert json.loads((out / "summary.json").read_text())["language"] == "zh"
    assert "一、总体情况" in [p.text for p in docx.Document(out / "report.docx").paragraphs]


# ---------------------------------------------------------------------------- maps


def square(x: float, y: float, side: float) -> list[list[float]]:
    return [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]


def test_geometry_reads_polygons_and_multipolygons():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region": "a"},
         "geometry": {"type": "Polygon", "coordinates": [square(120, 30, 1)]}},
        {"type": "Feature", "properties": {"region": "b"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[square(121, 30, 1)],
                                                             [square(122, 30, 0.5)]]}}]}

    class Stub:  # outlines as the loader reads regions.geojson
        geometry = parse_geometry(collection, ["a", "b"], [])
    found = maps.region_geometry(Stub())
    assert set(found) == {"a", "b"} and len(found["a"]) == 1 and len(found["b"]) == 2
    drawn = maps.canvas(Stub(), {"a": "A", "b": "B"}, ["a", "b"], {})
    assert not drawn.schematic and drawn.shapes["b"].count("M") == 2
    svg = maps.choropleth(drawn, {"a": "#ff0000"}, {}, "t", [("#ff0000", "red")])
    assert svg.count("<use ") == 2 and 'fill="#ff0000"' in svg and f'fill="{maps.EMPTY}"' in svg

    class Loaded:  # the loader's own form: region -> polygons -> rings -> (lon, lat)
        geometry = {"a": [[[(120.0, 30.0), (121.0, 30.0), (121.0, 31.0), (120.0, 30.0)]]]}
    assert maps.region_geometry(Loaded()) == {"a": [[[(120.0, 30.0), (121.0, 30.0),
                                                       (121.0, 31.0), (120.0, 30.0)]]]}
    tutorial = load_instance(TUTORIAL)
    assert tutorial.geometry is not None
    assert set(maps.region_geometry(tutorial)) == set(tutorial.regions)


def test_without_outlines_the_map_is_a_labelled_schematic(reported_run, tmp_path):
    copy = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, copy)
    (copy / "regions.geojson").unlink()
    inst = load_instance(copy)
    coords = dict(zip(inst.tables["regions"]["region"], zip(inst.tables["regions"]["lon"],
                                                            inst.tables["regions"]["lat"],
                                                            strict=True), strict=True))
    drawn = maps.canvas(inst, {}, inst.regions, coords)
    assert drawn.schematic and len(drawn.centres) == 5
    assert "<circle id=" in maps.definitions(drawn)


def test_map_labels_neither_overlap_nor_leave_the_map():
    # a and b share a centre line 4 units apart: b's name goes left of its centre; c, a third
    # at the same place, has no room left and is not named; d sits at the right edge
    drawn = maps.Canvas(["a", "b", "c", "d"], {"a": "Alpha", "b": "Beta", "c": "Gamma",
                                               "d": "Delta"}, width=200.0, height=100.0,
                        centres={"a": (100, 50), "b": (100, 54), "c": (100, 52),
                                 "d": (195, 10)}, ids={r: r for r in "abcd"})
    svg = maps.choropleth(drawn, {}, {}, "t", [], label=["a", "b", "c", "d"])
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)">(\w+)</text>', svg)
    assert [name for _, _, name in labels] == ["Alpha", "Beta", "Delta"]
    x = {name: float(left) for left, _, name in labels}
    assert x["Alpha"] == 100 and x["Beta"] < 100 - 20  # left of its centre
    assert x["Delta"] + maps.text_width("Delta", maps.LABEL_SIZE) <= 200  # inside the map
    assert maps.most({"a": 1.0, "b": -3.0, "c": 0.0, "d": 2.0}, 3) == ["b", "d", "a"]


def test_raster_fills_the_inside_of_a_ring():
    drawn = maps.Canvas(["a"], {}, width=40.0, height=40.0, centres={"a": (20, 20)},
                        rings={"a": [[(10, 10), (30, 10), (30, 30), (10, 30)]]})
    png = png_map(drawn, {"a": "#ff0000"})
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])
    start = png.index(b"IDAT") + 4
    length = struct.unpack(">I", png[start - 8:start - 4])[0]
    raw = np.frombuffer(zlib.decompress(png[start:start + length]), np.uint8)
    image = raw.reshape(height, 1 + 3 * width)[:, 1:].reshape(height, width, 3)
    red = (image == [255, 0, 0]).all(axis=2).sum()
    # the square is 20 x 20 units at 2 px per unit: 1,600 px, less its grey outline
    assert 1400 <= red <= 1600


# ---------------------------------------------------------------------------- docx, workbook


def test_docx_follows_the_report_order_and_holds_the_task_list(reported_run, tmp_path):
    basis = {"current_layout_basis": {"evidence": 0.25, "population": 0.7,
                                      "unspecified": 0.05}}
    folder = rebuilt(reported_run, tmp_path, "zh", basis)
    document = docx.Document(folder / "report.docx")
    texts = [p.text for p in document.paragraphs]
    order = [texts.index(h) for h in ("一、总体情况", "二、优化方案一张图", "三、各地区任务清单",
                                      "四、增加值变化与利益补偿", "五、数据基础、假设与说明")]
    assert order == sorted(order)
    assert any("25.0% 来自观测数据" in t and "70.0% 按人口比例分摊" in t for t in texts)
    assert len(document.inline_shapes) == 1  # the one map
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Rivertown", "新建", "退出"} <= cells
    assert any("晶圆制造" in c for c in cells)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "25.0% 来自观测数据" in page and 'lang="zh-CN"' in page


def test_workbook_explains_every_column_and_stores_numbers(reported_run):
    book = openpyxl.load_workbook(reported_run / "report.xlsx")
    about = book["About"]
    rows = [tuple(c.value for c in row) for row in about.iter_rows()]
    explained = {(r[0], r[1]) for r in rows if r[0] and r[1] and r[2]}
    for sheet in book.worksheets[1:]:
        for cell in sheet[1]:
            assert (sheet.title, cell.value) in explained, (sheet.title, cell.value)
    tasks = book["Tasks"]
    header = [c.value for c in tasks[1]]
    assert header[:3] == ["region code", "region", "action"]
    assert {"reason", "compensation owed", "change %"} <= set(header)
    col = {h: i for i, h in enumerate(header)}
    values = list(tasks.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(v[col["output today"]], int | float) for v in values)
    assert {v[col["action"]] for v in values} <= {"keeps", "grows", "shrinks", "closes", "opens"}
    assert tasks.auto_filter.ref == f"A1:{tasks.cell(1, len(header)).column_letter}" \
                                    f"{len(values) + 1}"
    assert book["Hosts per segment"]._charts and book["Regions"]._charts


def test_workbook_bytes_have_a_planner_sheet_in_chinese(reported_run, tmp_path):
    folder = rebuilt(reported_run, tmp_path, "zh")
    book = openpyxl.load_workbook(io.BytesIO((folder / "report.xlsx").read_bytes()))
    assert book.sheetnames[:3] == ["说明", "任务清单", "地区汇总"]
    assert [c.value for c in book["任务清单"][1]][:3] == ["地区代码", "地区", "任务"]


def test_comparison_names_segments_and_chains(tutorial_sweep):
    out, _ = tutorial_sweep
    page = (out / "comparison" / "report.html").read_text(encoding="utf-8")
    assert "New-energy vehicles" in page and "Integrated circuits" in page
    changes = page.split("What changes per region</h2>")[1].split("</table>")[0]
    assert "Wafer fabrication" in changes or "Packaging and testing" in changes
    assert "wafer_fab" not in changes and "packaging_test" not in changes


def test_the_links_map_shows_the_chain_asked_for(reported_run, tmp_path):
    from optimizer.errors import UserError

    copy = tmp_path / "links"
    shutil.copytree(reported_run, copy)
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink()
    with pytest.raises(UserError, match="not a chain"):
        write_visual_reports(copy, chain="steel")
    write_visual_reports(copy, chain="ic")
    page = (copy / "report.html").read_text(encoding="utf-8")
    links = page.split("Supplier–user links within reach</h2>")[1].split("</section>")[0]
    assert "Integrated circuits, optimised" in links


def test_a_failed_recheck_is_shown_first(reported_run, tmp_path):
    check = {"verification": {"ok": False, "objective_recomputed": 1.0,
                              "objective_solver": 2.0, "problems": ["land in hillside exceeded"]}}
    folder = rebuilt(reported_run, tmp_path, "en", check)
    page = (folder / "report.html").read_text(encoding="utf-8")
    summary = page.split("</section>")[0]
    assert "re-check of this allocation failed" in summary
    assert "land in hillside exceeded" in summary
    texts = [p.text for p in docx.Document(folder / "report.docx").paragraphs]
    assert texts.index("land in hillside exceeded") < texts.index("2. The plan on one map")
