"""The coordination page in both languages: groups by name, the reading and rule in words
(the `game` fixture is in tests/report/conftest.py)."""

from __future__ import annotations

import re

from optimizer.report.coordination import coordination_page


def visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page.split("<body>")[1])


def test_the_page_in_chinese_names_groups_and_says_the_rule_in_words(game):
    run, summary = game
    text = visible(coordination_page(run, summary, "zh"))
    assert "协同规划红利" in text and "建议分摊规则：Shapley 分摊" in text
    assert "甲省" in text and "乙省+丙省" in text and "单独规划成本" in text
    assert "丙省向" in text  # the reading names who pays whom
    for code in ("pa", "pb+pc", "shapley_share", "cost_alone", "core_nearest", "Pa", "Pc"):
        assert not re.search(rf"\b{re.escape(code)}\b", text), code


def test_the_page_in_english(game):
    run, summary = game
    page = coordination_page(run, summary, "en")
    assert 'lang="en"' in page and "the coordination dividend" in page
    text = visible(page)
    assert "Province A" in text and "Recommended split: the Shapley split" in text
    assert "cost alone" in text and "甲省" not in text
