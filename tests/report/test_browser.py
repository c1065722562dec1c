"""The HTML reports as a browser shows them: headless Chromium renders the charts and tables.

A probe script (added to a copy of the page, never to the report itself) records what the
browser rendered into the DOM, which Chromium's --dump-dom prints. A screenshot of each page
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

from tests.scenario_fixtures import ARTIFACTS

BROWSER = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed (Debian: "
                                "apt-get install chromium chromium-driver); CI installs it")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
PROBE = """<script>
window.addEventListener('load', () => {
  const images = [...document.images].map(i => [i.alt, i.naturalWidth, i.naturalHeight,
                                                 i.complete]);
  const tables = [...document.querySelectorAll('table')].map(t => t.tBodies[0].rows.length);
  const headings = [...document.querySelectorAll('h2')].map(h => h.textContent);
  const svgs = [...document.querySelectorAll('svg.map, svg.chart')].map(s => {
    const box = s.getBoundingClientRect();
    return [s.getAttribute('aria-label'), box.width, box.height,
            s.querySelectorAll('use').length];
  });
  document.body.setAttribute('data-probe', JSON.stringify({images, tables, headings, svgs}));
});
</script>"""


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


def check_rendered(found: dict, min_images: int, headings: set[str]) -> None:
    assert len(found["images"]) >= min_images, found
    for alt, width, height, complete in found["images"]:
        assert complete and width > 0 and height > 0, f"chart {alt!r} did not render"
    assert found["tables"] and all(rows > 0 for rows in found["tables"]), found["tables"]
    assert headings <= set(found["headings"])


def check_maps(found: dict, regions: int, at_least: int) -> None:
    """Every map and chart has a size on screen; every map draws every region."""
    assert len(found["svgs"]) >= at_least, found["svgs"]
    for label, width, height, _ in found["svgs"]:
        assert width > 100 and height > 50, f"{label!r} was not laid out"
    maps = [uses for _, _, _, uses in found["svgs"] if uses]
    assert maps and all(uses == regions for uses in maps)


def test_single_report_renders(reported_run, tmp_path):
    found = probe(reported_run / "report.html", tmp_path)
    check_rendered(found, 0, {"Summary", "Task list per region", "Each region's role",
                              "Chain completeness", "Status, data basis and assumptions"})
    check_maps(found, regions=5, at_least=12)
    screenshot(reported_run / "report.html", "report-single.png")


def test_single_report_in_chinese_renders(reported_run, tmp_path):
    from optimizer.report import write_visual_reports

    copy = tmp_path / "zh"
    shutil.copytree(reported_run, copy)
    for name in ("report.html", "report.xlsx", "report.docx"):
        (copy / name).unlink()
    write_visual_reports(copy, lang="zh")
    found = probe(copy / "report.html", tmp_path)
    check_rendered(found, 0, {"总体情况", "各地区任务清单", "分产业链：现状、优化后与变化",
                              "求解状态、数据基础与假设"})
    check_maps(found, regions=5, at_least=12)
    screenshot(copy / "report.html", "report-single-zh.png")


def test_comparison_report_renders(tutorial_sweep, tmp_path):
    out, _ = tutorial_sweep
    page = out / "comparison" / "report.html"
    found = probe(page, tmp_path)
    check_rendered(found, 8, {"Runs", "Measures side by side", "Charts",
                              "What changes per region", "Chain completeness"})
    screenshot(page, "report-comparison.png")
