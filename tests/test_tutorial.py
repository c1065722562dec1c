"""The tutorial's optimum is the one docs/tutorial.md reasons out by hand."""

import pytest

from optimizer.instance import load_instance
from optimizer.solve.run import optimise
from tests.conftest import REPO


@pytest.fixture(scope="module")
def result():
    return optimise(load_instance(REPO / "instances" / "tutorial"))


def test_terms_as_reasoned(result):
    assert result.outcome.status == "optimal"
    assert result.terms["excess_hosts"]["value"] == 1  # only wafer_fab needs two hosts
    assert result.terms["compensation"]["value"] == pytest.approx(0)
    assert result.terms["cost"]["value"] == pytest.approx(80 + 80 + 120 + 30)


def test_allocation_as_reasoned(result):
    hosts = {s: sorted(r for r, q in result.layout if q == s) for s in result.instance.segments}
    assert hosts == {
        "ev_assembly": ["rivertown"], "battery_cells": ["lakeview"],
        "battery_materials": ["hillside"], "ic_design": ["portcity"],
        "wafer_fab": ["hillside", "portcity"], "packaging_test": ["harbourbay"],
    }


def test_current_layout_measures(result):
    now = result.measures()["current"]
    assert (now["total_hosts"], now["excess_hosts"], now["pairwise_overlaps"]) == (14, 8, 11)
    assert now["unsupplied_links"] == 1
