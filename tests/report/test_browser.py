"""The HTML reports as a browser shows them: headless Chromium renders the charts and tables.

A probe script (added to a copy of the page, never to the report itself) records what the
browser rendered into the DOM, which Chromium's --dump-dom prints: the sections, tables, maps
and, on a Chinese page, any English word of the reports left in it. A screenshot of each page
is kept in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from optimizer.report.i18n import TEXT
from tests.scenario_fixtures import ARTIFACTS, SWEEP_SCENARIOS

BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed (Debian: "
                                "apt-get install chromium chromium-driver); CI installs it")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
PROBE = """<script>
window.addEventListener('load', () => {
  const tables = [...document.querySelectorAll('table')].map(t => t.tBodies[0].rows.length);
  const headings = [...document.querySelectorAll('h2')].map(h => h.textContent);
  const svgs = [...document.querySelectorAll('svg.map, svg.chart')].map(s => {
    const box = s.getBoundingClientRect();
    return [s.getAttribute('aria-label'), box.width, box.height,
            s.querySelectorAll('use').length];
  });
  const words = [...document.querySelectorAll('h1, h2, h3, nav, th, td, figcaption, svg text')]
    .map(e => e.textContent).join('\\n');
  document.body.setAttribute('data-probe', JSON.stringify({tables, headings, svgs, words}));
});
</script>"""
# English words of the reports that a Chinese page must not show (names are data, and the
# instance's own descriptions are not probed: the probe reads headings, tables and captions)
ENGLISH = sorted({en for en, zh in TEXT.values() if en != zh and "{" not in en
                  and (" " in en or len(en) >= 5)})


def chromium(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120, check=False)


def probe(page: Path, tmp_path: Path) -> dict:
    copy = tmp_path / f"probe-{page.parent.name}.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    done = chromium("--virtual-time-budget=10000", "--dump-dom", copy.as_uri())
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, f"the page did not finish loading in Chromium: {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)  # a test artefact, replaced on every run
    chromium("--window-size=1280,5200", f"--screenshot={target}", page.as_uri())
    assert target.is_file() and target.stat().st_size > 20_000, "screenshot missing or blank"
    return target


def check_rendered(found: dict, headings: set[str]) -> None:
    assert found["tables"] and all(rows > 0 for rows in found["tables"]), found["tables"]
    assert headings <= set(found["headings"]), found["headings"]


def check_maps(found: dict, regions: int, at_least: int) -> None:
    """Every map and chart has a size on screen; every map draws every region."""
    assert len(found["svgs"]) >= at_least, found["svgs"]
    for label, width, height, _ in found["svgs"]:
        assert width > 100 and height > 50, f"{label!r} was not laid out"
    maps = [uses for _, _, _, uses in found["svgs"] if uses]
    assert maps and all(uses == regions for uses in maps)


def check_chinese(found: dict) -> None:
    """No English word of the reports is left; the scenarios' names and descriptions are data,
    as written in their file, and are not counted."""
    words = found["words"].replace("\u200b", "")  # a run's name may wrap after "_"
    for name, scenario in yaml.safe_load(SWEEP_SCENARIOS).items():
        words = words.replace(scenario.get("description", ""), "").replace(name, "")
    left = [en for en in ENGLISH if re.search(rf"(?<![\w-]){re.escape(en)}(?![\w-])", words)]
    assert not left, f"English left on a Chinese page: {left}"


def rebuilt_in(folder: Path, tmp_path: Path, lang: str) -> Path:
    """A copy of a run or comparison folder with its reports written again in `lang`."""
    from optimizer.report import write_visual_reports

    copy = tmp_path / f"{folder.name}-{lang}"
    shutil.copytree(folder, copy)
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink(missing_ok=True)
    write_visual_reports(copy, lang=lang)
    return copy


SINGLE = {"en": {"Summary", "Task list per region", "Each region's role", "Chain completeness",
                  "Status, data basis and assumptions", "Concentration, today against optimised"},
          "zh": {"总体情况", "各地区任务清单", "分产业链：现状、优化后与变化",
                  "求解状态、数据基础与假设", "产业集中度：现状与优化后"}}
COMPARISON = {"en": {"Runs", "Measures side by side", "Where value added moves, run by run",
                     "What changes per region", "Chain completeness"},
              "zh": {"方案", "指标对比", "各方案增加值变化分布", "各地区变化", "产业链完整性"}}


def shown_in(folder: Path, tmp_path: Path, lang: str) -> Path:
    """The report page of a folder in `lang`: as written (the tutorial's own language is
    English), else written again."""
    return folder / "report.html" if lang == "en" else \
        rebuilt_in(folder, tmp_path, lang) / "report.html"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_single_report_renders(reported_run, tmp_path, lang):
    page = shown_in(reported_run, tmp_path, lang)
    found = probe(page, tmp_path)
    check_rendered(found, SINGLE[lang])
    check_maps(found, regions=5, at_least=12)
    if lang == "zh":
        check_chinese(found)
    screenshot(page, f"report-single-{lang}.png")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_comparison_report_renders(tutorial_sweep, tmp_path, lang):
    out, _ = tutorial_sweep
    page = shown_in(out / "comparison", tmp_path, lang)
    found = probe(page, tmp_path)
    check_rendered(found, COMPARISON[lang])
    check_maps(found, regions=5, at_least=5)  # one map per run but the reference
    if lang == "zh":
        check_chinese(found)
    screenshot(page, f"report-comparison-{lang}.png")


def test_coordination_page_in_chinese_renders(game, tmp_path):
    from optimizer.report.coordination import coordination_page

    run, summary = game
    page = tmp_path / "coordination" / "report.html"
    page.parent.mkdir()
    page.write_text(coordination_page(run, summary, "zh"), encoding="utf-8")
    found = probe(page, tmp_path)
    check_rendered(found, {"协同红利与转移支付", "各组分摊", "各联盟单独规划"})
    assert [s for s in found["svgs"] if s[1] > 300 and s[2] > 100], found["svgs"]  # the chart
    check_chinese(found)
    screenshot(page, "report-coordination-zh.png")


@pytest.fixture(scope="module")
def many_solves(tmp_path_factory) -> dict[str, Path]:
    """The tutorial's alternatives and its front, written in Chinese by the commands."""
    from optimizer.cli.main import main
    from tests.scenario_fixtures import TUTORIAL

    base = tmp_path_factory.mktemp("many")
    common = ["--threads", "1", "--lang", "zh"]
    assert main(["alternatives", str(TUTORIAL), "--count", "2", "--slack", "0.2",
                 "--out", str(base / "alternatives"), *common]) == 0
    assert main(["pareto", str(TUTORIAL), "--terms", "excess_hosts,cost", "--points", "3",
                 "--out", str(base / "front"), *common]) == 0
    return {"alternatives": base / "alternatives", "front": base / "front"}


@pytest.mark.parametrize(("kind", "headings", "charts"), [
    ("alternatives", {"最优方案与备选方案", "已定与可选", "稳健性图：地区 × 环节"}, 2),
    ("front", {"权衡前沿", "各点"}, 1),
])
def test_many_solves_pages_in_chinese_render(many_solves, tmp_path, kind, headings, charts):
    page = many_solves[kind] / "report.html"
    found = probe(page, tmp_path)
    check_rendered(found, headings)
    assert len(found["svgs"]) >= charts, found["svgs"]
    for label, width, height, _ in found["svgs"]:
        assert width > 100 and height > 50, f"{label!r} was not laid out"
    check_chinese(found)
    written = page.read_text(encoding="utf-8")
    assert "the same point" not in written
    assert "<td>yes</td>" not in written and "<td>no</td>" not in written
    screenshot(page, f"report-{kind}-zh.png")
