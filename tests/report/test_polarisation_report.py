"""A run with a partnership and a lagging region: their tables, and their sections in every
report (report.md, report.html, report.xlsx, report.docx) in both languages, by name."""

import html
import shutil

import docx
import openpyxl
import pandas as pd
import pytest

from optimizer.report import write_visual_reports
from optimizer.report.text import run_documents
from optimizer.results.record import write_run


@pytest.fixture
def levers_run(micro, tmp_path):
    micro.table("regions", """
region,name,group,lon,lat,max_segments,max_chains,max_loss_share
a,Alpha,,0,0,,,0
b,Beta,,1,0,,,
c,Gamma,,2,0,,,
""")
    micro.table("names", "kind,id,en,zh\nsegment,s1,Cells,电芯\nsegment,s2,Packs,电池包\n"
                "chain,c1,Batteries,电池")
    micro.table("current_layout", "region,segment,output\na,s1,10\na,s2,10")
    micro.table("costs", "region,segment,unit_cost,opening_cost,closure_cost\na,s1,1,,\n"
                "b,s2,1,,\nc,s2,1,,")
    micro.table("partnerships", "leader,partner,credit_share,note\na,b,1,co-built park")
    micro.table("lagging_regions", "region,min_gain,max_loss_share,note\nb,4,,")
    micro.settings(policy={"benefit_sharing": True},
                   objective={"mode": "weighted", "weights": {
                       "excess_hosts": 10, "cost": 1, "compensation": 3}})
    results = micro.solve()
    out = tmp_path / "run"
    write_run(out, results, extra={"instance_folder": str(micro.folder)},
              documents=run_documents(visual=False))
    return results, out


def test_tables(levers_run):
    _, out = levers_run
    # s1 moves to b (b gains 5, its least gain 4); all of b's new value added is a's credit
    partnerships = pd.read_csv(out / "partnerships.csv")
    assert partnerships.loc[0, "moved_segments"] == "s1 (10)"
    assert partnerships.loc[0, "credited_to_leader"] == pytest.approx(5)
    lagging = pd.read_csv(out / "lagging_regions.csv").set_index("region")
    assert lagging.loc["b", "gain"] == pytest.approx(5)
    regions = pd.read_csv(out / "regions.csv").set_index("region")
    assert bool(regions.loc["b", "lagging"]) and not bool(regions.loc["a", "lagging"])


@pytest.mark.parametrize("lang, words", [
    ("en", {"concentration": "Concentration, today against optimised",
            "lagging": "Lagging regions", "partnerships": '"1+N" partnerships',
            "moved": "Cells (10)", "gain": "least gain asked", "sheet": "Lagging regions"}),
    ("zh", {"concentration": "产业集中度：现状与优化后", "lagging": "欠发达地区",
            "partnerships": "“1+N”结对合作", "moved": "电芯 (10)", "gain": "最低增量要求",
            "sheet": "欠发达地区"}),
])
def test_every_report_shows_the_levers_by_name(levers_run, tmp_path, lang, words):
    _, out = levers_run
    folder = tmp_path / lang
    shutil.copytree(out, folder)
    write_visual_reports(folder, lang=lang)
    page = (folder / "report.html").read_text(encoding="utf-8")
    for key in ("concentration", "lagging", "partnerships"):
        assert f">{html.escape(words[key])}</h2>" in page, key
    lagging = page.split(f">{words['lagging']}</h2>")[1].split("</section>")[0]
    assert "Beta" in lagging and words["gain"] in lagging and ">b<" not in lagging
    partners = page.split(f">{html.escape(words['partnerships'])}</h2>")[1].split("</section>")[0]
    assert "Alpha" in partners and words["moved"] in partners and "s1 (10)" not in partners
    document = docx.Document(folder / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {words["lagging"], words["partnerships"], words["concentration"]} <= set(headings)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Beta", "Alpha", words["moved"]} <= cells
    book = openpyxl.load_workbook(folder / "report.xlsx")
    sheet = book[words["sheet"]]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row[header[1]] == "Beta" and isinstance(row[header[-1]], int | float)


def test_report_md_has_the_sections(levers_run):
    _, out = levers_run
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Concentration, today against optimised", "## Lagging regions",
                    '## "1+N" partnerships'):
        assert heading in report
    lagging = report.split("## Lagging regions")[1].split("## ")[0]
    assert "| Beta |" in lagging and "| b |" not in lagging
