"""regions.geojson: one outline per region, checked; errors name the file and the feature."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer.cli.main import main
from optimizer.instance import geometry, load_instance
from tests.conftest import REPO
from tests.instance.conftest import problems

REGIONS = ["portcity", "rivertown", "lakeview", "harbourbay", "hillside"]


def square(x: float) -> list[list[list[float]]]:
    return [[[x, 30.0], [x + 1, 30.0], [x + 1, 31.0], [x, 31.0], [x, 30.0]]]


def feature(region: object, geom: dict | None = None) -> dict:
    return {"type": "Feature", "properties": {"region": region},
            "geometry": geom or {"type": "Polygon", "coordinates": square(100.0)}}


def write(folder: Path, features: list[dict]) -> None:
    data = {"type": "FeatureCollection", "features": features}
    (folder / geometry.GEOMETRY_FILE).write_text(json.dumps(data), encoding="utf-8")


def test_without_the_file_there_is_no_geometry(tutorial) -> None:
    (tutorial / "regions.geojson").unlink(missing_ok=True)  # the tutorial ships illustrative ones
    assert load_instance(tutorial).geometry is None


def test_one_shape_per_region_loads_as_polygons_of_rings(tutorial) -> None:
    multi = {"type": "MultiPolygon", "coordinates": [square(0.0), square(5.0)]}
    write(tutorial, [feature(r) for r in REGIONS[:-1]] + [feature(REGIONS[-1], multi)])
    shapes = load_instance(tutorial).geometry
    assert sorted(shapes) == sorted(REGIONS)
    assert shapes["portcity"] == [[[(100.0, 30.0), (101.0, 30.0), (101.0, 31.0),
                                    (100.0, 31.0), (100.0, 30.0)]]]
    assert len(shapes["hillside"]) == 2


@pytest.mark.parametrize(("features", "expected"), [
    ([feature(r) for r in REGIONS] + [feature("atlantis")],
     "feature 5: region 'atlantis' is not in regions.csv"),
    ([feature(r) for r in REGIONS] + [feature("lakeview")],
     "feature 5: region 'lakeview' has a second shape"),
    ([feature(r) for r in REGIONS[:-1]], "has no shape for 1 region(s): hillside"),
    ([feature(r) for r in REGIONS[:-1]] + [feature("hillside", {
        "type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]})],
     "feature 4: region 'hillside': position [200, 0] is outside"),
    ([feature(r) for r in REGIONS[:-1]] + [feature("hillside", {
        "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]})],
     "feature 4: region 'hillside': a ring must end where it starts"),
    ([feature(r) for r in REGIONS[:-1]] + [feature("hillside", {
        "type": "Point", "coordinates": [0, 0]})],
     "feature 4: region 'hillside': geometry must be a Polygon or MultiPolygon"),
    ([feature(r) for r in REGIONS[:-1]] + [feature(None)],
     "feature 4: expected `properties.region`"),
])
def test_bad_outlines_name_the_file_and_feature(tutorial, features, expected, capsys) -> None:
    write(tutorial, features)
    found = problems(tutorial)
    assert any(p.startswith(f"regions.geojson: {expected}") for p in found), found
    assert main(["validate", str(tutorial)]) == 2
    err = capsys.readouterr().err
    assert "regions.geojson" in err and "Traceback" not in err


def test_not_json_and_too_large_are_refused(tutorial, monkeypatch) -> None:
    (tutorial / geometry.GEOMETRY_FILE).write_text("{not json", encoding="utf-8")
    assert any("is not JSON text" in p for p in problems(tutorial))
    write(tutorial, [feature(r) for r in REGIONS])
    monkeypatch.setattr(geometry, "MAX_BYTES", 100)
    assert any("bytes; at most 100 are read" in p for p in problems(tutorial))


def test_shipped_national_outlines_are_small_and_complete() -> None:
    folder = REPO / "instances" / "national"
    assert (folder / geometry.GEOMETRY_FILE).stat().st_size < 1_000_000
    inst = load_instance(folder)
    assert set(inst.geometry) == set(inst.regions)


def test_a_scenario_keeps_the_outlines(tutorial) -> None:
    from optimizer.instance.scenarios import load_with_scenario

    write(tutorial, [feature(r) for r in REGIONS])
    (tutorial / "scenarios.yaml").write_text(
        "more_land:\n  scale: {table: resource_availability, column: available, by: 2}\n",
        encoding="utf-8")
    inst = load_with_scenario(tutorial, "more_land")
    assert sorted(inst.geometry) == sorted(REGIONS)
