"""Accessible SVG charts rendered on the server, so pages and (later) PDF reports show the same picture.

Each chart is an `<svg role="img">` with a title and a description; templates put the same numbers in a
table next to it (`components/chart.html`), so screen-reader users and people who print get the data too.
No JavaScript, no external fonts: text uses the page's system font.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ["#0b4f8a", "#b35900", "#217a3c", "#7a2c8f", "#a3123a", "#00727a", "#5c5c00", "#4a4a4a"]
_ids = count(1)


@dataclass
class Chart:
    title: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def fmt(value: float | Decimal | int, places: int = 0) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def nice_ticks(lo: float, hi: float, count: int = 6, integer: bool = False) -> list[float]:
    """Round axis ticks covering lo..hi: steps of 1, 2, 2.5 or 5 times a power of ten (whole numbers for counts),
    so an axis reads 0, 500, 1.000 … instead of 0, 508,25, 1.016,5 …"""
    import math

    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_label(value: float) -> str:
    return fmt(value, 0 if float(value).is_integer() else (1 if (value * 10).is_integer() else 2))


def _open(width: int, height: int, title: str, desc: str, interactive: bool = False) -> tuple[str, str]:
    """An image for assistive technology; a group when it holds links, which an image may not contain."""
    n = next(_ids)
    role = "group" if interactive else "img"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="chart-t{n} chart-d{n}" class="chart-svg" font-family="inherit" font-size="13">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _text(
    x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", fill: str = "#1b1b1b", size: int = 0
) -> str:
    sized = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}"{sized}>'
        f"{escape(text)}</text>"
    )


def bar_chart(title: str, items: Sequence[tuple[str, float]], unit: str = "", value_header: str = "") -> Chart:
    """Horizontal bars: one label and one value per bar."""
    label_w, bar_w, row_h = 230, 330, 28
    height = max(1, len(items)) * row_h + 10
    top = max([v for _, v in items] + [1])
    desc = "; ".join(f"{label}: {fmt(v)}{unit}" for label, v in items)
    head, tail = _open(label_w + bar_w + 90, height, title, desc)
    parts = [head]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        w = bar_w * value / top if top else 0
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(_text(label_w - 8, y + 18, short, "end"))
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}"/>')
        parts.append(_text(label_w + w + 6, y + 18, f"{fmt(value)}{unit}"))
    parts.append(tail)
    return Chart(title, mark_safe("".join(parts)), ["", value_header], [[lbl, f"{fmt(v)}{unit}"] for lbl, v in items])


def grouped_bars(
    title: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: str = "",
    axis: str = "",
    integer: bool = False,
) -> Chart:
    """Vertical bars grouped by category (e.g. years), one colour per series, with a legend. The value axis has
    round ticks and names its unit (`axis`, e.g. "EUR" or "VZÄ"); `integer` for counts."""
    width, height, left, bottom, top_pad = 640, 300, 78, 40, 46
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    ticks = nice_ticks(0, max([v for _, values in series for v in values] + [1]), integer=integer)
    top = ticks[-1]
    slot = plot_w / max(1, len(groups))
    bar = slot * 0.8 / max(1, len(series))
    desc = "; ".join(
        f"{g}: " + ", ".join(f"{name} {fmt(values[i])}{unit}" for name, values in series) for i, g in enumerate(groups)
    )
    head, tail = _open(width, height, title, desc)
    parts = [head]
    for value in ticks:
        y = top_pad + plot_h - plot_h * value / top
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(_text(left - 6, y + 4, _tick_label(value), "end", fill="#4a4a4a"))
    if axis or unit.strip():
        parts.append(_text(left - 6, top_pad - 10, axis or unit.strip(), "end", "bold", "#4a4a4a"))
    for i, group in enumerate(groups):
        x0 = left + i * slot + slot * 0.1
        for j, (_name, values) in enumerate(series):
            h = plot_h * values[i] / top if top else 0
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
        parts.append(_text(left + i * slot + slot / 2, height - bottom + 18, group, "middle"))
    for j, (name, _values) in enumerate(series):
        x = left + j * 150
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(_text(x + 20, 20, name))
    parts.append(tail)
    rows = [[g] + [f"{fmt(values[i])}{unit}" for _n, values in series] for i, g in enumerate(groups)]
    return Chart(title, mark_safe("".join(parts)), [""] + [n for n, _v in series], rows)


def line_chart(
    title: str,
    points: Sequence[tuple[date, float]],
    *,
    baseline: float | None = None,
    target: float | None = None,
    unit: str = "",
    integer: bool = False,
) -> Chart:
    """Readings over time, with dashed lines for baseline and target; round ticks (whole ones for counts)."""
    width, height, left, bottom, top_pad = 640, 260, 70, 36, 16
    plot_w, plot_h = width - left - 20, height - bottom - top_pad
    values = [v for _, v in points] + [v for v in (baseline, target) if v is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    ticks = nice_ticks(min(lo, 0) if lo >= 0 else lo, hi, integer=integer)
    places = 0 if integer else 2
    lo, hi = ticks[0], ticks[-1]
    span = hi - lo
    days = [d.toordinal() for d, _ in points]
    d0, d1 = (min(days), max(days)) if days else (0, 1)
    d1 = d1 if d1 != d0 else d0 + 1

    def xy(d: int, v: float) -> tuple[float, float]:
        return left + plot_w * (d - d0) / (d1 - d0), top_pad + plot_h - plot_h * (v - lo) / span

    desc_parts = [f"{d:%d.%m.%Y}: {fmt(v, places)}{unit}" for d, v in points]
    if baseline is not None:
        desc_parts.insert(0, _("Ausgangswert %(value)s") % {"value": f"{fmt(baseline, 2)}{unit}"})
    if target is not None:
        desc_parts.append(_("Zielwert %(value)s") % {"value": f"{fmt(target, 2)}{unit}"})
    head, tail = _open(width, height, title, "; ".join(desc_parts))
    parts = [head]
    for value in ticks:
        _x, y = xy(d0, value)
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(_text(left - 6, y + 4, _tick_label(value), "end", fill="#4a4a4a"))
    if unit.strip():
        parts.append(_text(left - 6, top_pad - 4, unit.strip(), "end", "bold", "#4a4a4a"))
    for line, colour, label in ((baseline, "#4a4a4a", _("Ausgangswert")), (target, "#217a3c", _("Zielwert"))):
        if line is not None:
            _x, y = xy(d0, line)
            parts.append(
                f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                f'stroke-dasharray="6 4" stroke-width="2"/>'
            )
            parts.append(_text(width - 22, y - 5, label, "end", fill=colour))
    if points:
        coords = [xy(d.toordinal(), v) for d, v in points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="3"/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{PALETTE[0]}"/>')
        for day in _date_ticks(points[0][0], points[-1][0]):
            x, _y = xy(day.toordinal(), lo)
            axis_y = top_pad + plot_h
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_y}" y2="{axis_y + 5}" stroke="#8a939c"/>')
            parts.append(_text(x, height - 10, f"{day:%d.%m.%Y}" if day.day != 1 else f"{day:%m/%Y}", "middle"))
    parts.append(tail)
    rows = [[f"{d:%d.%m.%Y}", f"{fmt(v, places)}{unit}"] for d, v in points]
    return Chart(title, mark_safe("".join(parts)), ["", ""], rows)


def _date_ticks(first: date, last: date, most: int = 5) -> list[date]:
    """Dates for the time axis that do not crowd: the first and last reading, or whole months in between."""
    if (last - first).days < 62:
        return [first] if first == last else [first, last]
    months = (last.year - first.year) * 12 + last.month - first.month
    step = max(1, -(-months // (most - 1)))
    ticks = []
    for n in range(1, months + 1, step):  # the first of each month after the first reading, every `step`
        index = first.month - 1 + n
        ticks.append(date(first.year + index // 12, index % 12 + 1, 1))
    return ticks[:most] or [first, last]


@dataclass
class Bubble:
    label: str
    x: float  # 0..1
    y: float  # 0..1
    size: float  # any positive scale; area is proportional
    href: str = ""
    key: str = ""


LABEL_SIZE = 11


def _label_width(text: str, size: float = LABEL_SIZE) -> float:
    """A generous estimate of the width of bold system-font text (digits and capitals are the widest)."""
    return len(text) * size * 0.68 + 6


def _label_box(x: float, y: float, text: str, size: float = LABEL_SIZE) -> tuple[float, float, float, float]:
    """Where a label's text lies (left, top, right, bottom), centred on x with its baseline at y."""
    w = _label_width(text, size)
    return x - w / 2, y - size - 1, x + w / 2, y + 4


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def place_labels(
    anchors: Sequence[tuple[float, float, float, str]], bounds: tuple[float, float, float, float]
) -> list[tuple[float, float]]:
    """A position for each label (x, y of its text) next to its point, so that no two labels overlap and none
    leaves `bounds`: tried in rings of eight directions, nearest first. `anchors`: (x, y, radius, text)."""
    placed: list[tuple[float, float, float, float]] = []
    result: list[tuple[float, float]] = []
    spilled = 0
    directions = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
    for x, y, r, text in anchors:
        spot = None
        for ring in range(12):
            distance = r + 6 + ring * 12
            for dx, dy in directions:
                w = _label_width(text)
                cx = x + dx * (distance + (w / 2 if dx else 0))
                cy = y + dy * distance + 4
                box = _label_box(cx, cy, text)
                inside = box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
                if inside and not any(_overlap(box, other) for other in placed):
                    spot = (cx, cy)
                    placed.append(box)
                    break
            if spot:
                break
        if spot is None:  # a crowded chart: below the plot, in rows, still never covering another label
            spot = (bounds[0] + 50 + (spilled % 6) * 90, bounds[3] + 60 + (spilled // 6) * 16)
            placed.append(_label_box(*spot, text))
            spilled += 1
        result.append(spot)
    return result


def bubble_matrix(
    title: str, bubbles: Sequence[Bubble], x_label: str, y_label: str, quadrants: Sequence[str] = ()
) -> Chart:
    """A 2×2 matrix (e.g. value vs effort); bubble area proportional to `size`. Each bubble is named by its key
    (or number), placed where no label covers another; `quadrants` names the four fields (top left, top right,
    bottom left, bottom right). The same keys lead the table beside it."""
    width, pad = 880, 60
    plot = width - 2 * pad
    plot_h = 480
    names = [b.key or str(i) for i, b in enumerate(bubbles, 1)]
    biggest = max([b.size for b in bubbles] + [1])
    anchors = [
        (
            pad + plot * min(1, max(0, b.x)),
            pad + plot_h - plot_h * min(1, max(0, b.y)),
            6 + 22 * (b.size / biggest) ** 0.5,
        )
        for b in bubbles
    ]
    bounds = (pad + 2, pad + 2, pad + plot - 2, pad + plot_h - 2)
    spots = place_labels([(x, y, r, n) for (x, y, r), n in zip(anchors, names, strict=True)], bounds)
    height = int(max([pad + plot_h + 44] + [ly + 8 for _lx, ly in spots]))
    desc = "; ".join(f"{n}: {b.label}" for n, b in zip(names, bubbles, strict=True))
    head, tail = _open(width, height, title, desc, interactive=any(b.href for b in bubbles))
    parts = [
        head,
        f'<rect x="{pad}" y="{pad}" width="{plot}" height="{plot_h}" fill="#fff" stroke="#8a939c"/>',
        f'<line x1="{pad + plot / 2}" x2="{pad + plot / 2}" y1="{pad}" y2="{pad + plot_h}" stroke="#d0d7de"/>',
        f'<line x1="{pad}" x2="{pad + plot}" y1="{pad + plot_h / 2}" y2="{pad + plot_h / 2}" stroke="#d0d7de"/>',
        _text(pad + plot / 2, pad + plot_h + 34, x_label, "middle", "bold"),
        f'<text x="18" y="{pad + plot_h / 2}" text-anchor="middle" font-weight="bold" fill="#1b1b1b" '
        f'transform="rotate(-90 18 {pad + plot_h / 2})">{escape(y_label)}</text>',
    ]
    corners = [
        (pad + 6, pad - 8, "start"),
        (pad + plot - 6, pad - 8, "end"),
        (pad + 6, pad + plot_h + 16, "start"),
        (pad + plot - 6, pad + plot_h + 16, "end"),
    ]
    for (qx, qy, anchor), name in zip(corners, quadrants, strict=False):
        parts.append(_text(qx, qy, name, anchor, "bold", "#4a4a4a"))
    for i, (cx, cy, r) in enumerate(anchors):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity=".25" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    for (cx, cy, _r), (lx, ly), name, b in zip(anchors, spots, names, bubbles, strict=True):
        label = f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{lx:.1f}" y2="{ly - 4:.1f}" stroke="#8a939c"/>' + _text(
            lx, ly, name, "middle", "bold"
        )
        if b.href:
            label = f'<a href="{escape(b.href)}" aria-label="{escape(name)}: {escape(b.label)}">{label}</a>'
        parts.append(label)
    parts.append(tail)
    rows = [[n, b.label, fmt(b.x * 100) + " %", fmt(b.y * 100) + " %"] for n, b in zip(names, bubbles, strict=True)]
    return Chart(title, mark_safe("".join(parts)), [_("Schlüssel"), _("Projekt"), x_label, y_label], rows)


@dataclass
class Span:
    group: str
    label: str
    start: date
    end: date
    href: str = ""


def timeline(title: str, spans: Sequence[Span], start_year: int, end_year: int) -> Chart:
    """A roadmap: one bar per item from start to end, grouped under their heading, years on the axis."""
    left, width, row_h = 260, 900, 24
    first, last = date(start_year, 1, 1).toordinal(), date(end_year, 12, 31).toordinal()
    plot = width - left - 10
    rows: list[tuple[str, Span | None]] = []
    current = None
    for s in spans:
        if s.group != current:
            rows.append((s.group, None))
            current = s.group
        rows.append((s.label, s))
    height = 30 + len(rows) * row_h
    head, tail = _open(
        width,
        height,
        title,
        interactive=any(s.href for s in spans),
        desc=_("%(n)s Vorhaben von %(start)s bis %(end)s") % {"n": len(spans), "start": start_year, "end": end_year},
    )
    parts = [head]
    years = list(range(start_year, end_year + 1))
    for year in years:
        x = left + plot * (date(year, 1, 1).toordinal() - first) / (last - first)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{height}" stroke="#d0d7de"/>')
        parts.append(_text(x + 4, 15, str(year), weight="bold"))
    for i, (label, span) in enumerate(rows):
        y = 26 + i * row_h
        if span is None:
            parts.append(_text(4, y + 16, label if len(label) <= 36 else label[:35] + "…", weight="bold"))
            continue
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(_text(16, y + 16, short))
        s0 = min(max(span.start.toordinal(), first), last)
        s1 = min(max(span.end.toordinal(), first), last)
        x0 = left + plot * (s0 - first) / (last - first)
        w = max(3.0, plot * (s1 - s0) / (last - first))
        bar = f'<rect x="{x0:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{PALETTE[0]}"/>'
        if span.href:
            bar = f'<a href="{escape(span.href)}" aria-label="{escape(label)}">{bar}</a>'
        parts.append(bar)
    parts.append(tail)
    table = [[s.group, s.label, f"{s.start:%d.%m.%Y}", f"{s.end:%d.%m.%Y}"] for s in spans]
    return Chart(title, mark_safe("".join(parts)), ["", "", "", ""], table)


LIGHT_COLOURS = {"green": "#217a3c", "yellow": "#c99700", "red": "#a3123a"}
LIGHT_LETTERS = {"green": "✓", "yellow": "!", "red": "×"}  # shape as well as colour


def light_history(
    title: str, dimensions: Sequence[str], reports: Sequence[tuple[date, Sequence[tuple[str, str]]]]
) -> Chart:
    """Traffic lights over time: one row per dimension, one dot per report (oldest left), each dot also carrying
    a sign (✓ ! ×) so the chart does not rely on colour alone. `reports`: (date, [(light value, label), …])."""
    left, row_h, top = 170, 34, 28
    width = max(640, left + 80 * len(reports) + 20)
    step = min(90.0, (width - left - 20) / max(1, len(reports)))
    height = top + row_h * len(dimensions) + 10
    desc = "; ".join(
        f"{day:%d.%m.%Y}: " + ", ".join(f"{d} {label}" for d, (_v, label) in zip(dimensions, lights, strict=True))
        for day, lights in reports
    )
    head, tail = _open(width, height, title, desc)
    parts = [head]
    for i, (day, _lights) in enumerate(reports):
        parts.append(_text(left + step * i + step / 2, 16, f"{day:%d.%m.%y}", "middle"))
    for r, dimension in enumerate(dimensions):
        y = top + row_h * r + row_h / 2
        parts.append(_text(left - 10, y + 5, dimension, "end", weight="bold"))
        for i, (_day, lights) in enumerate(reports):
            value = lights[r][0]
            x = left + step * i + step / 2
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{LIGHT_COLOURS.get(value, "#888")}"/>')
            ink = "#1b1b1b" if value == "yellow" else "#ffffff"  # contrast on the yellow dot
            parts.append(_text(x, y + 5, LIGHT_LETTERS.get(value, "?"), "middle", "bold", ink))
    parts.append(tail)
    rows = [[f"{day:%d.%m.%Y}", *(label for _v, label in lights)] for day, lights in reports]
    return Chart(title, mark_safe("".join(parts)), [_("Stand"), *dimensions], rows)


def radar_chart(
    title: str, axes: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], top: float = 5
) -> Chart:
    """A spider chart: one axis per dimension (0 at the centre, `top` at the rim), one outlined polygon per
    series (e.g. this year, last year, the network's average), each in its own colour and dash pattern."""
    import math

    # Room for the axis names on both sides (they may be two lines of ~18 characters), the legend to the right.
    size, centre_x, centre, radius = 460, 320.0, 230.0, 150.0
    legend_x = int(centre_x + radius + 150)
    n = max(3, len(axes))

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, top)) / top
        return centre_x + r * math.cos(angle), centre + r * math.sin(angle)

    def lines(text: str, width: int = 18) -> list[str]:
        words, rows = text.split(), [""]
        for word in words:
            rows[-1:] = [rows[-1] + " " + word] if rows[-1] and len(rows[-1]) + len(word) < width else [rows[-1], word]
        return [r.strip() for r in rows if r.strip()]

    desc = "; ".join(
        f"{label}: " + ", ".join(f"{a} {fmt(v, 1)}" for a, v in zip(axes, values, strict=True))
        for label, values in series
    )
    longest = max([len(label) for label, _v in series] + [10])
    head, tail = _open(legend_x + 60 + int(longest * 7.8), size, title, desc)
    parts = [head]
    for ring in range(1, int(top) + 1):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#d0d7de"/>')
    for i, axis in enumerate(axes):
        x, y = point(i, top)
        parts.append(f'<line x1="{centre_x}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        lx, ly = point(i, top * 1.14)
        anchor = "middle" if abs(lx - centre_x) < 20 else ("start" if lx > centre_x else "end")
        rows_of_label = lines(axis)
        shift = -8 * (len(rows_of_label) - 1) if ly < centre else 0
        for k, row in enumerate(rows_of_label):
            parts.append(_text(lx, ly + 4 + shift + 16 * k, row, anchor, weight="bold"))
    dashes = ["", "6 4", "2 3", "10 3 2 3"]
    for k, (label, values) in enumerate(series):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        colour = PALETTE[k % len(PALETTE)]
        dash = f' stroke-dasharray="{dashes[k % len(dashes)]}"' if dashes[k % len(dashes)] else ""
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        ly = 24 + 22 * k
        parts.append(
            f'<line x1="{legend_x}" y1="{ly}" x2="{legend_x + 30}" y2="{ly}" stroke="{colour}" stroke-width="3"{dash}/>'
        )
        parts.append(_text(legend_x + 36, ly + 4, label))
    parts.append(tail)
    rows = [[axis, *(fmt(values[i], 1) for _label, values in series)] for i, axis in enumerate(axes)]
    return Chart(title, mark_safe("".join(parts)), ["", *(label for label, _v in series)], rows)
