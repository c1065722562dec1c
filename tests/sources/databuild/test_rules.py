"""The apportioning rules on inputs small enough to check by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.sources.databuild import capacity, layout, sources
from optimizer.sources.databuild.build import duplication_weights
from optimizer.sources.databuild.chains import SEGMENTS, link_intensities, product_shares
from optimizer.sources.databuild.crosscheck import compare
from optimizer.sources.databuild.regions import city_regions
from optimizer.sources.writer import fmt


def test_split_keeps_cities_above_the_threshold() -> None:
    part = layout.split_to_cities(100.0, pd.Series({"a": 5.0, "b": 3.0, "c": 2.0}), 25.0)
    # c's 20 is a crumb: a and b share all 100 in the ratio 5:3
    assert part.to_dict() == {"a": 62.5, "b": 37.5, "c": 0.0}


def test_split_without_crumbs_is_proportional() -> None:
    part = layout.split_to_cities(100.0, pd.Series({"a": 1.0, "b": 1.0}), 10.0)
    assert part.to_dict() == {"a": 50.0, "b": 50.0}


def test_split_gives_all_to_the_largest_when_every_part_is_a_crumb() -> None:
    part = layout.split_to_cities(30.0, pd.Series({"a": 1.0, "b": 2.0, "c": 1.0}), 20.0)
    assert part.to_dict() == {"a": 0.0, "b": 30.0, "c": 0.0}


def test_split_drops_an_amount_below_the_threshold() -> None:
    part = layout.split_to_cities(5.0, pd.Series({"a": 1.0}), 10.0)
    assert part.to_dict() == {"a": 0.0}


def test_split_repeats_until_every_kept_city_reaches_the_threshold() -> None:
    # first pass drops c (10); then b's share 100*3/9 = 33.3 < 35 drops b too
    part = layout.split_to_cities(100.0, pd.Series({"a": 6.0, "b": 3.0, "c": 1.0}), 35.0)
    assert part.to_dict() == {"a": 100.0, "b": 0.0, "c": 0.0}


def test_room_is_headroom_over_the_larger_of_today_and_the_share() -> None:
    today = pd.Series({"x": 10.0})
    province_use = pd.Series({"P": 40.0})
    weights = pd.Series({"x": 0.5, "y": 0.5})
    province_of = pd.Series({"x": "P", "y": "P"})
    room = capacity.room(today, province_use, weights, province_of, headroom=0.25)
    # x: max(10, 20) * 1.25; y hosts nothing today: its share 20 * 1.25
    assert room.to_dict() == {"x": 25.0, "y": 25.0}
    today = pd.Series({"x": 36.0})
    assert capacity.room(today, province_use, weights, province_of, 0.0)["x"] == 36.0


def test_smoothed_quotient_shrinks_towards_one() -> None:
    counts = pd.DataFrame({"p1": [3.0, 1.0], "p2": [1.0, 3.0]}, index=["A", "B"])
    lq = layout.smoothed_quotient(counts, prior=4.0, damping=1.0)
    # mix is 1/2 each; A: (3 + 2) / (4 + 4) = 0.625 -> LQ 1.25
    assert lq.loc["A", "p1"] == pytest.approx(1.25)
    assert lq.loc["A", "p2"] == pytest.approx(0.75)
    damped = layout.smoothed_quotient(counts, prior=4.0, damping=0.5)
    assert damped.loc["A", "p1"] == pytest.approx(1.25 ** 0.5)


def test_duplication_weights_average_one() -> None:
    w = duplication_weights(pd.Series({"a": 10.0, "b": 30.0}))
    assert w.to_dict() == {"a": 0.5, "b": 1.5}


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (1.5, 2, "1.5"), (2.0, 2, "2"), (0.123456, 4, "0.1235"), (-0.0001, 2, "0"),
    (None, 2, ""), (float("nan"), 2, ""), (12, 2, "12"), ("abc", 2, "abc")])
def test_fmt_is_fixed_and_trimmed(value: object, decimals: int, text: str) -> None:
    assert fmt(value, decimals) == text


def test_sector_blocks_match_the_42_sector_table(raw: Path) -> None:
    io = sources.io_table(raw)
    frame = pd.read_csv(raw / "ionet_io/china_2020_42.csv", dtype={"Code": str})
    go42 = frame[frame["Origin"] == "Domestic"].set_index("Code")["GO"] / sources.WAN_PER_YI
    summed = io.gross_output.groupby(io.gross_output.index.map(sources.sector_of)).sum()
    assert (summed - go42.reindex(summed.index)).abs().max() < 1e-3


def test_product_claims_never_exceed_output(raw: Path) -> None:
    shares = product_shares(sources.io_table(raw))
    total = shares.sum(axis=0)
    assert (total <= 1 + 1e-9).all() and (shares >= 0).all(axis=None)
    for product in {p for s in SEGMENTS for p in s.core}:
        assert total[product] == pytest.approx(1.0), product


def test_intensity_of_a_single_product_link_is_a_direct_requirement(raw: Path) -> None:
    io = sources.io_table(raw)
    a = link_intensities(io, product_shares(io))
    # auto parts (080, whole) -> vehicle assembly (079, whole): a = z_080,079 / x_079
    assert a[("nev_parts", "nev_assembly")] == pytest.approx(
        io.z.loc["080", "079"] / io.gross_output["079"])


def test_seed_named_cities_take_their_rd_share(raw: Path) -> None:
    cities = city_regions(raw, ["320000"])
    fte = capacity.city_rd_fte(raw, cities)
    jiangsu = sources.rd_fte_2020(raw)["江苏"]
    assert fte.sum() == pytest.approx(jiangsu)
    assert fte["js_320500"] == pytest.approx(jiangsu * 761.59 / 3005.9)


def test_layout_agrees_with_seed_002_table_1(raw: Path) -> None:
    result = compare(raw).set_index("province_code")
    assert result["shared"].map(len).sum() == 16  # of 19 industries the seed lists
    assert result.loc["310000", "agreement"] == "5/5"
