"""The observed-presence split and the outline simplification, on inputs checked by hand."""

from __future__ import annotations

import pandas as pd

from optimizer.sources.databuild import boundaries, layout
from optimizer.sources.databuild.evidence import leading_count, names_segment


def series(**values: float) -> pd.Series:
    return pd.Series(values, dtype=float)


def test_each_source_counts_with_its_coverage() -> None:
    zones = series(a=0.0, b=30.0, c=10.0)
    firms = series(a=20.0, b=0.0, c=0.0)
    # of 100, zones account for 40 (coverage 0.4; shares b 3/4, c 1/4), firms for 20
    # (coverage 0.2; a all): a = 0.2/0.6, b = 0.4*0.75/0.6, c = 0.4*0.25/0.6
    w = layout.combine(100.0, zones, firms)
    assert w.round(9).to_dict() == {"a": round(1 / 3, 9), "b": 0.5, "c": round(1 / 6, 9)}


def test_coverage_is_at_most_one() -> None:
    # zones account for 300 of 100: coverage 1 (a 2/3, b 1/3); firms 50: coverage 0.5 (c)
    w = layout.combine(100.0, series(a=200.0, b=100.0, c=0.0), series(a=0.0, b=0.0, c=50.0))
    assert w.round(9).to_dict() == {"a": round(4 / 9, 9), "b": round(2 / 9, 9),
                                    "c": round(1 / 3, 9)}


def test_one_source_alone_places_everything_by_its_shares() -> None:
    w = layout.combine(100.0, series(a=0.0, b=0.0), series(a=3.0, b=1.0))
    assert w.round(9).to_dict() == {"a": 0.75, "b": 0.25}


def test_population_only_where_neither_source_has_evidence() -> None:
    urban = series(a=1.0, b=3.0)
    part, basis = layout.split_province(100.0, [series(a=0.0, b=0.0), series(a=0.0, b=0.0)],
                                        urban, 10.0)
    assert basis == "population" and part.to_dict() == {"a": 25.0, "b": 75.0}
    part, basis = layout.split_province(100.0, [series(a=1.0, b=0.0), series(a=0.0, b=0.0)],
                                        urban, 10.0)
    assert basis == "evidence" and part.to_dict() == {"a": 100.0, "b": 0.0}


def test_observed_layout_keeps_a_segment_where_its_requirement_is_met() -> None:
    cities = pd.DataFrame({"region": ["a", "b"], "province_code": ["P", "P"]})
    out = pd.DataFrame({"s": [100.0]}, index=["P"])
    evidence = {"s": [series(a=9.0, b=1.0), series(a=0.0, b=0.0)]}
    # zones favour a 9:1, but only b meets the requirement: b takes all, on evidence
    got = layout.observed_city_layout(out, evidence, series(a=1.0, b=1.0), {"s": {"b"}},
                                      cities, pd.Series({"s": 5.0}))
    assert got.values.tolist() == [["b", "s", 100.0, "evidence"]]


def test_zone_terms_skip_phrases_that_name_something_else() -> None:
    assert names_segment("汽车、电子信息", ("电子",))
    assert not names_segment("电子商务、物流", ("电子",))
    assert not names_segment("航空物流、商贸", ("航空",))
    assert leading_count("汽车及零部件、新材料、电气") == 3


def test_simplify_drops_a_shared_vertex_on_both_sides() -> None:
    # two unit squares share the edge x=1 with a near-straight vertex (1, 0.5001) on it;
    # both rings hold it, so both must drop it, leaving no gap between them
    left = [[[(0.0, 0.0), (1.0, 0.0), (1.0001, 0.5), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]]
    right = [[[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0001, 0.5), (1.0, 0.0)]]]
    out = boundaries.simplify({"L": left, "R": right})
    assert (1.0001, 0.5) not in out["L"][0][0] and (1.0001, 0.5) not in out["R"][0][0]
    # the corners (three or more neighbours, or large triangles) stay
    assert out["L"][0][0] == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]


def test_geojson_text_is_one_sorted_feature_per_line() -> None:
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    text = boundaries.geojson_text({"b": [[ring]], "a": [[ring], [ring]]})
    lines = text.splitlines()
    assert '"region":"a"' in lines[1] and '"MultiPolygon"' in lines[1]
    assert '"region":"b"' in lines[2] and '"Polygon"' in lines[2]


def test_crumbs_go_one_at_a_time_so_a_near_miss_survives() -> None:
    # 100 over weights 33, 33, 30, 4 with threshold 31: c (30) and d (4) are both below it,
    # but once d's 4 is merged c has 100 * 30 / 96 = 31.25 and stays; dropping both at once
    # would have given a and b 50 each
    part = layout.split_to_cities(100.0, pd.Series({"a": 33.0, "b": 33.0, "c": 30.0,
                                                    "d": 4.0}), 31.0)
    assert part.round(4).to_dict() == {"a": 34.375, "b": 34.375, "c": 31.25, "d": 0.0}
