"""The console's SVG charts: a legend of long names wraps onto rows inside the chart."""

from __future__ import annotations

import re

from cherha.server.admin.charts import PLOT_LEFT, WIDTH, Series, bar_chart, line_chart

LONG = [
    Series(f"Послуга {n} з дуже довгою назвою", f"Service {n} with a very long name", [1, 2])
    for n in range(1, 6)
]


def view_height(svg: str) -> int:
    found = re.search(r'viewBox="0 0 960 (\d+)"', svg)
    assert found is not None
    return int(found.group(1))


def test_a_legend_of_long_names_wraps_and_the_chart_grows_to_hold_it() -> None:
    for draw in (bar_chart, line_chart):
        one = str(draw("c", "t", ["a", "b"], LONG[:1]))
        five = str(draw("c", "t", ["a", "b"], LONG))
        height, grown = view_height(one), view_height(five)
        entries = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="14" height="14"', five)
        assert len(entries) == 5
        rows = sorted({float(y) for _x, y in entries})
        assert len(rows) > 1
        assert grown == height + 20 * (len(rows) - 1)
        assert max(rows) + 14 <= grown
        for x, _y in entries:
            assert float(x) >= PLOT_LEFT
            assert float(x) + 34 + 7.2 * len(LONG[0].name) <= WIDTH
