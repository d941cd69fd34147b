"""Bar charts as inline SVG, drawn on the server: the product runs on intranets, so no CDN and no
JavaScript. Every piece of text goes through `format_html` (which escapes it) before the markup is marked
safe; numbers are formatted here. Each chart carries a `<title>` and a `<desc>` listing the data
for screen readers, and each bar segment its own `<title>` (a tooltip) and `data-` attributes."""

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 28, 26
TICKS = 4


@dataclass
class Series:
    name: str
    values: list[int]
    colour: str


def _n(value: float) -> str:
    """A coordinate, formatted before format_html (which would escape a float into a string)."""
    return f"{value:.1f}"


def nice_max(value: int, ticks: int = TICKS) -> int:
    """The smallest 1-2-5 step times `ticks` that reaches `value` (at least `ticks`)."""
    if value <= ticks:
        return ticks
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            return int(step * ticks)
    return int(10 * magnitude * ticks)  # not reached


def bar_chart(*, chart_id: str, title: str, labels: list[str], series: list[Series]) -> SafeString:
    """One bar per label; several series are stacked bottom-up in the given order."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = nice_max(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.6
    scale = plot_h / top

    def y(value: float) -> float:
        return TOP + plot_h - value * scale

    summary = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {s.values[i]}" for s in series)
        for i, label in enumerate(labels)
    )
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
            'role="img" aria-labelledby="{}-title {}-desc" width="100%" '
            'preserveAspectRatio="xMidYMid meet">',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, summary),
    ]
    for tick in range(TICKS + 1):
        value = top * tick // TICKS
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e4e7ec"/>'
                '<text x="{}" y="{}" font-size="10" text-anchor="end" fill="#667085">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _n(y(value)),
                _n(y(value)),
                LEFT - 4,
                _n(y(value) + 3),
                value,
            )
        )
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar_w) / 2
        base = 0
        for s in series:
            value = s.values[i]
            if value:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                        'data-month="{}" data-series="{}" data-value="{}">'
                        "<title>{} · {}: {}</title></rect>",
                        _n(x),
                        _n(y(base + value)),
                        _n(bar_w),
                        _n(value * scale),
                        s.colour,
                        label,
                        s.name,
                        value,
                        label,
                        s.name,
                        value,
                    )
                )
            base += value
        if totals[i]:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
                    _n(x + bar_w / 2),
                    _n(y(totals[i]) - 3),
                    totals[i],
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#667085">{}</text>',
                _n(x + bar_w / 2),
                HEIGHT - 8,
                label,
            )
        )
    if len(series) > 1:
        legend_x = LEFT
        for s in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="6" width="10" height="10" fill="{}"/>'
                    '<text x="{}" y="15" font-size="11">{}</text>',
                    legend_x,
                    s.colour,
                    legend_x + 14,
                    s.name,
                )
            )
            legend_x += 24 + 12 * len(s.name)
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    # Each part is escaped SafeString from format_html; joining keeps them safe.
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


def trend_charts(months) -> list[dict]:
    """The dashboard's three trend charts, each with the numbers as a table for `<details>`."""
    labels = [m.label for m in months]
    specs = [
        (
            "chart-received",
            _("Requests received per month"),
            [Series(_("Received"), [m.received for m in months], "#1d4ed8")],
        ),
        (
            "chart-answered",
            _("Requests answered per month, on time and late"),
            [
                Series(_("On time"), [m.answered_on_time for m in months], "#079455"),
                Series(_("Late"), [m.answered_late for m in months], "#b42318"),
            ],
        ),
        (
            "chart-published",
            _("Proactive items published per month"),
            [Series(_("Published"), [m.published for m in months], "#8f1d1d")],
        ),
    ]
    return [
        {
            "id": chart_id,
            "title": title,
            "svg": bar_chart(chart_id=chart_id, title=title, labels=labels, series=series),
            "headers": [s.name for s in series],
            "rows": [(label, [s.values[i] for s in series]) for i, label in enumerate(labels)],
        }
        for chart_id, title, series in specs
    ]
