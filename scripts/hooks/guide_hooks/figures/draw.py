"""SVG drawing: icon arrays, values over time, the course timeline and the ledger summary.

Figures are drawn with no script, font or request to anyone else: shapes and text in SVG that
take their colours from Material's CSS variables (light, dark and print), with a filled versus
hollow shape (not colour alone) marking who had the outcome.
"""

from __future__ import annotations

import html
import zlib
from collections import Counter

from .data import ROLES, Figure, Result
from .words import doses_phrase, result_words


def esc(text: str) -> str:
    """Text escaped for SVG/HTML."""
    return html.escape(text, quote=True)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to at most ``width`` characters a line."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, lines: list[str], cls: str, anchor: str = "start", step: float = 14) -> str:
    """A multi-line SVG text element."""
    spans = "".join(
        f'<tspan x="{x:g}" dy="{0 if i == 0 else step:g}">{esc(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" text-anchor="{anchor}">{spans}</text>'


PERSON = "M5,0.4a2.2,2.2 0 1,1 0,4.4a2.2,2.2 0 1,1 0,-4.4zM1.2,11.6v-3.2q0,-2.6 3.8,-2.6q3.8,0 3.8,2.6v3.2z"


def _icon_array(symbol: str, x: float, y: float, filled: int, cell: float) -> str:
    """100 people in a 10 by 10 grid, row by row: the first ``filled`` solid, the rest hollow.

    Each person is a ``<use>`` of one symbol, in a solid or a hollow group, to keep pages light.
    ``xlink:href``, not ``href``: Material's instant navigation rewrites every ``[href]`` on the
    page and fails on SVG ``<use>``, whose ``href`` property is read-only.
    """
    people = [
        f'<use xlink:href="#{symbol}" x="{x + col * cell:g}" y="{y + row * cell:g}"/>'
        for row, col in (divmod(i, 10) for i in range(100))
    ]
    return (
        f'<g class="kfig-array" data-filled="{filled}">'
        f'<g class="kfig-yes">{"".join(people[:filled])}</g>'
        f'<g class="kfig-no">{"".join(people[filled:])}</g></g>'
    )


def _svg(prefix: str, width: float, height: float, label: str, body: str, defs: str = "") -> str:
    """An accessible inline SVG: role=img, a name, a title and a description."""
    return (
        f'<svg class="kfig-svg" id="{prefix}-svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" focusable="false">'
        f'<title id="{prefix}-title">{esc(label)}</title><desc id="{prefix}-desc">{esc(label)}</desc>'
        f"<defs>{defs}</defs>{body}</svg>"
    )


def _icon_pair(prefix: str, result: Result) -> str:
    """One result as its own SVG: a heading, then each arm's 100 people, treatment first."""
    cell = 12.0  # the person symbol is drawn on a 12-unit grid
    panel = cell * 10
    symbol = f"kp-{zlib.crc32(prefix.encode()) % 100000}"
    gap = 24.0
    width = 10 + len(result.values) * panel + (len(result.values) - 1) * gap + 10
    heading = result.label or f"{result.outcome.capitalize()}, {result.timepoint}"
    lines = _wrap(heading, int(width / 8.6))
    pieces = [_text(10, 20, lines, "kfig-heading")]
    y = 20 + 15 * len(lines)
    label_lines = max(len(_wrap(v.arm.label, int(panel / 6.8))) for v in result.values)
    for i, value in enumerate(result.ordered):
        x = 10 + i * (panel + gap)
        role = "kfig-role-" + value.arm.role
        pieces.append(
            f'<g class="kfig-panel {role}" data-result="{result.id}" data-arm="{value.arm.id}" data-per100="{value.per100}">'
            + _text(x, y + 10, _wrap(value.arm.label, int(panel / 6.8)), "kfig-label", step=13)
            + _icon_array(symbol, x, y + 6 + 13 * label_lines, value.per100, cell)
            + _text(x, y + 6 + 13 * label_lines + panel + 16, [f"{value.per100} out of 100"], "kfig-number")
            + "</g>"
        )
    height = y + 6 + 13 * label_lines + panel + 26
    defs = f'<path id="{symbol}" d="{PERSON}"/>'
    return _svg(prefix, width, height, f"{heading}. {result_words(result)}", "".join(pieces), defs)


def draw_icons(figure: Figure) -> str:
    """One small SVG per result (so they wrap side by side on wide screens and stack on phones)."""
    return "".join(_icon_pair(f"kfig-{figure.id}-{i}", r) for i, r in enumerate(figure.results, 1))


def _marker(kind: str, x: float, y: float, role: str) -> str:
    """A data point: a filled circle for treatment, a hollow square for the comparator."""
    if role == "treatment":
        return f'<circle class="kfig-point kfig-yes" cx="{x:g}" cy="{y:g}" r="6"/>'
    return f'<rect class="kfig-point kfig-no" x="{x - 5.5:g}" y="{y - 5.5:g}" width="11" height="11"/>'


def draw_over_time(figure: Figure) -> str:
    """Out-of-100 values at the time points the source reports: points only, no line between them."""
    prefix = f"kfig-{figure.id}"
    results = figure.results
    trial = results[0].trial
    left, top, plot_h = 44.0, 78.0, 200.0
    col = 110.0
    longest = max(len(a.label) for a in trial.arms)
    width = max(left + col * len(results) + 16, left + 24 + 6.8 * longest)
    height = top + plot_h + 64
    parts = []
    for tick in (0, 25, 50, 75, 100):
        ty = top + plot_h - plot_h * tick / 100
        parts.append(f'<line class="kfig-grid" x1="{left:g}" x2="{width - 10:g}" y1="{ty:g}" y2="{ty:g}"/>')
        parts.append(_text(left - 6, ty + 4, [str(tick)], "kfig-axis", "end"))
    parts.append(_text(4, 14, ["Out of 100 people"], "kfig-axis"))
    # Legend: shape and words, never colour alone, one line per group.
    for k, arm in enumerate(sorted(trial.arms, key=lambda a: ROLES.index(a.role))):
        parts.append(_marker("legend", left + 6, 28 + 18 * k, arm.role))
        parts.append(_text(left + 18, 32 + 18 * k, [arm.label], "kfig-label"))
    for i, result in enumerate(results):
        cx = left + col * i + col / 2
        parts.append(_text(cx, top + plot_h + 18, _wrap(result.timepoint, 14), "kfig-axis", "middle", 13))
        for j, value in enumerate(result.ordered):
            px = cx + (-14 if j == 0 else 14)
            py = top + plot_h - plot_h * value.per100 / 100
            parts.append(
                f'<g class="kfig-datum" data-result="{result.id}" data-arm="{value.arm.id}" data-per100="{value.per100}">'
                + _marker("point", px, py, value.arm.role)
                + _text(px + (-10 if j == 0 else 10), py + 4, [str(value.per100)], "kfig-number", "end" if j == 0 else "start")
                + "</g>"
            )
    label = (
        f"{figure.title}. " + " ".join(result_words(r) for r in results)
        + " Only the time points the study reports are shown; nothing is drawn between them."
    )
    return _svg(prefix, width, height, label, "".join(parts))


EVENT_SHAPES = {
    "assessment": "M0,-7L7,0L0,7L-7,0z",  # diamond
    "dose": "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z",  # circle
    "review": "M0,-7L7,6L-7,6z",  # triangle
    "decision": "M-6,-6h12v12h-12z",  # square
}


def _place(taken: list[tuple[float, float, int]], start: float, end: float, rows: int) -> int:
    """The first label row in which [start, end] overlaps no label already placed."""
    for row in range(rows):
        if all(end < a or start > b for a, b, r in taken if r == row):
            taken.append((start, end, row))
            return row
    taken.append((start, end, rows - 1))
    return rows - 1


def draw_timeline(figure: Figure) -> str:
    """One lane per schedule, weeks across: assessment, doses, reviews and decisions as shapes."""
    prefix = f"kfig-{figure.id}"
    left, right, lane_h, week_w, top = 24.0, 24.0, 150.0, 48.0, 44.0
    width = left + week_w * figure.weeks + right
    parts = [_text(left, 14, ["Weeks from the start of treatment"], "kfig-axis")]
    bottom = top + lane_h * len(figure.schedules)
    for week in range(figure.weeks + 1):
        x = left + week * week_w
        parts.append(f'<line class="kfig-grid" x1="{x:g}" x2="{x:g}" y1="{top - 6:g}" y2="{bottom:g}"/>')
        parts.append(_text(x, top - 10, [str(week)], "kfig-axis", "middle"))
    for lane, schedule in enumerate(figure.schedules):
        y0 = top + lane * lane_h
        parts.append(_text(left + 2, y0 + 20, [schedule.label], "kfig-heading"))
        axis_y = y0 + 46
        parts.append(f'<line class="kfig-axisline" x1="{left:g}" x2="{width - right:g}" y1="{axis_y:g}" y2="{axis_y:g}"/>')
        taken: list[tuple[float, float, int]] = []
        for event in schedule.events:
            x = left + event.week * week_w
            if event.kind == "period":
                end = left + (event.until if event.until is not None else figure.weeks) * week_w
                lines = _wrap(event.label, max(int((end - x) / 6.6), 12))
                row = _place(taken, x, end, 3)
                parts.append(
                    f'<g class="kfig-event" data-kind="period"><rect class="kfig-period" x="{x:g}" y="{axis_y - 6:g}" '
                    f'width="{max(end - x, 4):g}" height="12"/>'
                    + _text(x + 2, axis_y + 26 + 28 * row, lines, "kfig-small", step=12)
                    + "</g>"
                )
                continue
            cls = "kfig-yes" if event.kind == "dose" else "kfig-mark"
            parts.append(
                f'<g class="kfig-event" data-kind="{event.kind}" data-week="{event.week:g}">'
                f'<path class="{cls}" transform="translate({x:g},{axis_y:g})" d="{EVENT_SHAPES[event.kind]}"/></g>'
            )
            if event.kind != "dose":
                lines = _wrap(event.label, 18)
                span = 6.2 * max(len(line) for line in lines)
                start = max(x - span / 2, 2.0)
                row = _place(taken, start, start + span, 3)
                parts.append(_text(start, axis_y + 26 + 28 * row, lines, "kfig-small", step=12))
    legend_y = bottom + 20
    keys = (
        ("assessment", "assessment"),
        ("dose", "one dose (infusion or spray session)"),
        ("review", "check: is it helping?"),
        ("decision", "decision about what comes next"),
    )
    for i, (kind, words) in enumerate(keys):
        lx = left
        ly = legend_y + i * 22
        cls = "kfig-yes" if kind == "dose" else "kfig-mark"
        parts.append(f'<path class="{cls}" transform="translate({lx + 7:g},{ly:g})" d="{EVENT_SHAPES[kind]}"/>')
        parts.append(_text(lx + 20, ly + 4, [words], "kfig-small"))
    parts.append(
        f'<rect class="kfig-period" x="{left:g}" y="{legend_y + 82:g}" width="28" height="10"/>'
        + _text(left + 34, legend_y + 91, ["a stretch of time with no fixed schedule"], "kfig-small")
    )
    height = legend_y + 104
    label = f"{figure.title}. " + " ".join(f"{s.label}: {doses_phrase(s)}." for s in figure.schedules)
    return _svg(prefix, width, height, label, "".join(parts))



def draw_ledger(figure: Figure, counts: dict[str, Counter[str]], verdicts: tuple[str, ...]) -> str:
    """Articles down, verdicts across: each cell a number and that many small squares."""
    prefix = f"kfig-{figure.id}"
    left, col, row, top = 78.0, 42.0, 50.0, 112.0
    width = left + col * len(verdicts) + 8
    parts = []
    for j, verdict in enumerate(verdicts):
        x = left + col * j + col / 2
        parts.append(
            f'<text class="kfig-small" transform="translate({x - 6:g},{top - 8:g}) rotate(-90)">{esc(verdict.capitalize())}</text>'
        )
    for i, (article, per) in enumerate(counts.items()):
        y = top + row * i
        parts.append(f'<line class="kfig-grid" x1="4" x2="{width - 4:g}" y1="{y:g}" y2="{y:g}"/>')
        name = f"Article {article.removeprefix('source-').upper()}"
        parts.append(_text(6, y + 20, [name], "kfig-label"))
        parts.append(_text(6, y + 36, [f"{sum(per.values())} claims"], "kfig-small"))
        for j, verdict in enumerate(verdicts):
            x = left + col * j
            count = per.get(verdict, 0)
            squares = "".join(
                f'<rect class="{"kfig-yes" if count else "kfig-no"}" x="{x + 4 + (k % 5) * 6.5:g}" y="{y + 26 + (k // 5) * 6.5:g}" width="5" height="5"/>'
                for k in range(count)
            )
            parts.append(
                f'<g class="kfig-cell" data-article="{article}" data-verdict="{verdict}" data-count="{count}">'
                + _text(x + 4, y + 20, [str(count) if count else "–"], "kfig-number")
                + squares
                + "</g>"
            )
    height = top + row * len(counts) + 6
    words = "; ".join(
        f"Article {a.removeprefix('source-').upper()}: "
        + ", ".join(f"{per.get(v, 0)} {v}" for v in verdicts if per.get(v, 0))
        for a, per in counts.items()
    )
    label = f"{figure.title}. {words}."
    return _svg(prefix, width, height, label, "".join(parts))

