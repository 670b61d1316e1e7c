"""Charts drawn on the server as SVG: bars, lines and a heat map, in Ukrainian and English.

No script and no style attribute (the console's Content-Security-Policy allows neither inline):
shapes carry presentation attributes only. Every chart is an `<svg role="img">` with a title
and a description, each mark has a `<title>` with its value (a tooltip), and the table beside
the chart holds the same numbers for a screen reader.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#0b4f9c", "#b45309", "#17612b", "#6d28d9", "#a4161a", "#0e7490", "#854d0e", "#374151")
"""Colours with at least 4.5:1 contrast on white, told apart also by their legend's order."""
WIDTH = 960
PLOT_TOP = 40
PLOT_LEFT = 64
PLOT_RIGHT = 20
LABEL_SPACE = 84
"""Below the plot: room for a category label of 16 characters at 35°."""


@dataclass(frozen=True, slots=True)
class Series:
    uk: str
    en: str
    values: Sequence[float | None]

    @property
    def name(self) -> str:
        return self.uk if self.uk == self.en else f"{self.uk} / {self.en}"


def _svg(chart_id: str, title: str, description: str, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">'
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _nice_max(value: float) -> float:
    """A round top for the axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return step * power
    return 10.0 * power


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"


def _axes(top_value: float, plot_height: int, unit: str) -> list[str]:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = PLOT_TOP + plot_height - plot_height * i / 4
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{WIDTH - PLOT_RIGHT}" y2="{y:.1f}" '
            f'stroke="#d4d4d4" stroke-width="1"/>'
            f'<text x="{PLOT_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#333333">'
            f"{escape(_fmt(value))}</text>"
        )
    if unit:
        parts.append(f'<text x="8" y="{PLOT_TOP - 14}" fill="#333333">{escape(unit)}</text>')
    return parts


LEGEND_ROW = 20


def _legend_rows(series: Sequence[Series]) -> list[list[tuple[int, float]]]:
    """Each series' (index, x) in the legend, wrapped into rows that fit the chart's width
    (service names are long: on one row they ran off the chart)."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = float(PLOT_LEFT)
    for index, s in enumerate(series):
        width = 34 + 7.2 * len(s.name)
        if rows[-1] and x + width > WIDTH - PLOT_RIGHT:
            rows.append([])
            x = float(PLOT_LEFT)
        rows[-1].append((index, x))
        x += width
    return rows


def _legend(series: Sequence[Series], rows: list[list[tuple[int, float]]], y: float) -> list[str]:
    parts = []
    for row_index, row in enumerate(rows):
        row_y = y + LEGEND_ROW * row_index
        for index, x in row:
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{row_y - 11:.1f}" width="14" height="14" fill="{colour}"/>'
                f'<text x="{x + 20:.1f}" y="{row_y:.1f}" fill="#1a1a1a">'
                f"{escape(series[index].name)}</text>"
            )
    return parts


def _category_labels(categories: Sequence[str], step: float, baseline: float) -> list[str]:
    every = max(1, math.ceil(len(categories) / 24))
    parts = []
    for index, label in enumerate(categories):
        if index % every:
            continue
        x = PLOT_LEFT + step * (index + 0.5)
        text = label if len(label) <= 16 else label[:15] + "…"
        parts.append(
            f'<text x="{x:.1f}" y="{baseline + 16:.1f}" text-anchor="end" fill="#333333" '
            f'transform="rotate(-35 {x:.1f} {baseline + 16:.1f})">{escape(text)}</text>'
        )
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    height: int = 320,
) -> Markup:
    """Grouped bars: one group per category, one bar per series."""
    plot_height = height - PLOT_TOP - LABEL_SPACE - 24
    top = _nice_max(max((v or 0.0 for s in series for v in s.values), default=0.0))
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(1, len(categories))
    bar = max(1.0, step * 0.8 / max(1, len(series)))
    baseline = PLOT_TOP + plot_height
    body = _axes(top, plot_height, unit)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        for c_index, value in enumerate(s.values):
            if value is None:
                continue
            h = plot_height * value / top
            x = PLOT_LEFT + step * c_index + step * 0.1 + bar * s_index
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{baseline - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(categories[c_index])}: '
                f"{escape(s.name)} {escape(_fmt(value))}</title></rect>"
            )
    body.append(
        f'<line x1="{PLOT_LEFT}" y1="{baseline}" x2="{WIDTH - PLOT_RIGHT}" y2="{baseline}" '
        f'stroke="#1a1a1a" stroke-width="1"/>'
    )
    body += _category_labels(categories, step, baseline)
    rows = _legend_rows(series)
    body += _legend(series, rows, height - 10)
    height += LEGEND_ROW * (len(rows) - 1)
    return _svg(chart_id, title, _describe(categories, series), height, body)


def line_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    height: int = 320,
) -> Markup:
    """Lines through the categories (hours of the day, days); a gap where a value is missing."""
    plot_height = height - PLOT_TOP - LABEL_SPACE - 24
    top = _nice_max(max((v or 0.0 for s in series for v in s.values), default=0.0))
    step = (WIDTH - PLOT_LEFT - PLOT_RIGHT) / max(1, len(categories))
    baseline = PLOT_TOP + plot_height
    body = _axes(top, plot_height, unit)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        dash = "" if s_index == 0 else f' stroke-dasharray="{4 + 2 * s_index} 3"'
        runs: list[list[tuple[float, float]]] = [[]]
        marks = []
        for c_index, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = PLOT_LEFT + step * (c_index + 0.5)
            y = baseline - plot_height * value / top
            runs[-1].append((x, y))
            marks.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(categories[c_index])}: {escape(s.name)} "
                f"{escape(_fmt(value))}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                body.append(
                    f'<polyline class="line" points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash}/>'
                )
        body += marks
    body.append(
        f'<line x1="{PLOT_LEFT}" y1="{baseline}" x2="{WIDTH - PLOT_RIGHT}" y2="{baseline}" '
        f'stroke="#1a1a1a" stroke-width="1"/>'
    )
    body += _category_labels(categories, step, baseline)
    rows = _legend_rows(series)
    body += _legend(series, rows, height - 10)
    height += LEGEND_ROW * (len(rows) - 1)
    return _svg(chart_id, title, _describe(categories, series), height, body)


def heat_map(
    chart_id: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
) -> Markup:
    """A grid of cells shaded by value (darker is more), each with its number written in."""
    cell_w = (WIDTH - 150 - PLOT_RIGHT) / max(1, len(columns))
    cell_h = 34
    height = 40 + cell_h * len(rows) + 30
    top = max((v for row in values for v in row), default=0.0) or 1.0
    body = []
    for c_index, label in enumerate(columns):
        x = 150 + cell_w * (c_index + 0.5)
        body.append(
            f'<text x="{x:.1f}" y="30" text-anchor="middle" fill="#333333">{escape(label)}</text>'
        )
    for r_index, label in enumerate(rows):
        y = 40 + cell_h * r_index
        body.append(
            f'<text x="142" y="{y + 22:.1f}" text-anchor="end" fill="#1a1a1a">{escape(label)}</text>'
        )
        for c_index, value in enumerate(values[r_index]):
            x = 150 + cell_w * c_index
            share = value / top
            # From near white to the console's blue; text flips to white on the dark half.
            red, green, blue = (
                round(246 - (246 - 11) * share),
                round(248 - (248 - 79) * share),
                round(250 - (250 - 156) * share),
            )
            ink = "#ffffff" if share > 0.5 else "#1a1a1a"
            body.append(
                f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{cell_h - 2}" fill="rgb({red},{green},{blue})">'
                f"<title>{escape(label)} {escape(columns[c_index])}: {escape(_fmt(value))}</title></rect>"
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + 21:.1f}" text-anchor="middle" '
                f'fill="{ink}" font-size="12">{escape(_fmt(value)) if value else ""}</text>'
            )
    description = f"{len(rows)} × {len(columns)}; найбільше / most: {_fmt(top)}"
    return _svg(chart_id, title, description, height, body)


def _describe(categories: Sequence[str], series: Sequence[Series]) -> str:
    parts = []
    for s in series:
        present = [(c, v) for c, v in zip(categories, s.values, strict=True) if v is not None]
        if not present:
            continue
        peak = max(present, key=lambda p: p[1])
        parts.append(f"{s.name}: найбільше / most {_fmt(peak[1])} ({peak[0]})")
    return "; ".join(parts) or "немає даних / no data"
