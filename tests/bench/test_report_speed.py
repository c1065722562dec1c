"""`bench reports` times each report alone; the figures are timings, so only their shape is
checked here (no timing is a pass or fail)."""

from optimizer.bench.report_speed import reports_alone
from tests.scenario_fixtures import TUTORIAL


def test_each_report_is_timed_alone(reported_run):
    steps = reports_alone(reported_run, TUTORIAL)
    assert list(steps) == ["read", "plan", "md", "html", "xlsx", "docx", "total"]
    assert all(v >= 0 for v in steps.values())
    assert steps["total"] >= max(v for k, v in steps.items() if k != "total")
