"""Bar charts as SVG markup, drawn on the server: no script, no style attribute (the CSP forbids both),
no fonts or images from anywhere — the browser draws the Chinese labels with its own fonts."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from xietong.console import messages as words
from xietong.core.numbers import format_fen
from xietong.orders.messages import yuan

WIDTH, BAR_AREA, ROW = 640, 400, 28


@dataclass(frozen=True)
class Bar:
    label: str
    fen: int


def bars(title: str, rows: list[Bar], *, series: tuple[str, ...] = ("#2f6fb0",)) -> str:
    """Horizontal bars, one row per label, the amount written after each bar (yuan)."""
    top = max((abs(row.fen) for row in rows), default=0) or 1
    height = ROW * len(rows) + 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
    ]
    for index, row in enumerate(rows):
        y = 10 + index * ROW
        width = round(BAR_AREA * max(row.fen, 0) / top)
        parts.append(
            f'<text x="110" y="{y + 16}" text-anchor="end" font-size="13">{escape(row.label)}</text>'
            f'<rect x="118" y="{y + 3}" width="{width}" height="18" fill="{series[0]}"/>'
            f'<text x="{124 + width}" y="{y + 16}" font-size="12">{format_fen(row.fen)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def columns(title: str, labels: list[str], series: dict[str, list[int]], colours: tuple[str, ...] = ("#2f6fb0", "#e08a2c")) -> str:
    """Grouped columns, one group per label (months), one colour per series, with a legend."""
    top = max((v for values in series.values() for v in values), default=0) or 1
    plot_h, base, left = 180, 210, 10
    group = (WIDTH - left * 2) / max(len(labels), 1)
    bar_w = max(group / (len(series) + 1), 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} 250" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - left}" y2="{base}" stroke="#999"/>',
    ]
    for s, (name, values) in enumerate(series.items()):
        colour = colours[s % len(colours)]
        for i, value in enumerate(values):
            h = round(plot_h * max(value, 0) / top)
            x = left + i * group + bar_w * (s + 0.5)
            parts.append(f'<rect x="{x:.1f}" y="{base - h}" width="{bar_w:.1f}" height="{h}" fill="{colour}">'
                         f'<title>{escape(labels[i])} {escape(name)} {yuan(value)}</title></rect>')
        parts.append(f'<rect x="{left + s * 110}" y="4" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + s * 110 + 16}" y="15" font-size="12">{escape(name)}</text>')
    for i, label in enumerate(labels):
        x = left + i * group + group / 2
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="10">{escape(label)}</text>')
    parts.append(f'<text x="{WIDTH - left}" y="15" text-anchor="end" font-size="11">{words.highest(top)}</text>')
    parts.append("</svg>")
    return "".join(parts)
