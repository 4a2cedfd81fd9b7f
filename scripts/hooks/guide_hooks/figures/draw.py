"""SVG drawing: icon arrays, values over time, the course timeline and the ledger summary.

Figures are drawn with no script, font or request to anyone else: shapes and text in SVG that
take their colours from Material's CSS variables (light, dark and print), with a filled versus
hollow shape (not colour alone) marking who had the outcome.
"""

from __future__ import annotations

import html
import zlib
from collections import Counter

from .data import ROLES, Figure, Result, Schedule
from .words import doses_phrase, when


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
    spans = "".join(f'<tspan x="{x:g}" dy="{0 if i == 0 else step:g}">{esc(line)}</tspan>' for i, line in enumerate(lines))
    return f'<text class="{cls}" x="{x:g}" y="{y:g}" text-anchor="{anchor}">{spans}</text>'


PERSON = "M5,0.4a2.2,2.2 0 1,1 0,4.4a2.2,2.2 0 1,1 0,-4.4zM1.2,11.6v-3.2q0,-2.6 3.8,-2.6q3.8,0 3.8,2.6v3.2z"


def _icon_array(symbol: str, x: float, y: float, filled: int, cell: float) -> str:
    """100 people in a 10 by 10 grid, row by row: the first ``filled`` solid, the rest hollow.

    Each person is a ``<use>`` of one symbol, in a solid or a hollow group, to keep pages light.
    ``xlink:href``, not ``href``: Material's instant navigation rewrites every ``[href]`` on the
    page and fails on SVG ``<use>``, whose ``href`` property is read-only.
    """
    people = [f'<use xlink:href="#{symbol}" x="{x + col * cell:g}" y="{y + row * cell:g}"/>' for row, col in (divmod(i, 10) for i in range(100))]
    return (
        f'<g class="kfig-array" data-filled="{filled}"><g class="kfig-yes">{"".join(people[:filled])}</g><g class="kfig-no">{"".join(people[filled:])}</g></g>'
    )


def _svg(prefix: str, width: float, height: float, name: str, body: str, defs: str = "", kind: str = "") -> str:
    """An accessible inline SVG: role=img, named by its <title>, with nothing else read out.

    The name is short: the figure's words follow in its caption, so screen readers read them
    once. No <desc>, and no aria-labelledby: Chromium reads a <title> that aria-labelledby points
    to as the description too, so the name was read twice.
    """
    return (
        f'<svg class="kfig-svg{f" kfig-svg--{kind}" if kind else ""}" id="{prefix}-svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" focusable="false">'
        f"<title>{esc(name)}</title>"
        f"<defs>{defs}</defs>{body}</svg>"
    )


def chart_name(title: str) -> str:
    """The accessible name of a drawing whose numbers are in the caption below it."""
    return f"Chart: {title}. Its numbers are in the text below."


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
    return _svg(prefix, width, height, chart_name(heading), "".join(pieces), defs)


def side_effect_rows(results: tuple[Result, ...]) -> bool:
    """True for side effects counted in one two-arm trial: drawn as compact rows, one per side effect."""
    return len(results) > 1 and len({r.trial.id for r in results}) == 1 and all(r.outcome == "adverse event" and len(r.values) == 2 for r in results)


def _icon_rows(prefix: str, figure: Figure) -> str:
    """Side effects of one trial in one SVG: a row per side effect, the two groups' 100 people side by side."""
    scale = 0.6  # the person symbol's 12-unit grid, drawn smaller: a 72-unit block of 100
    block = 12 * 10 * scale
    label_w, col_w, gap = 84.0, 104.0, 6.0
    xs = [label_w + 8, label_w + 8 + col_w + gap]
    width = xs[1] + col_w + 6
    symbol = f"kp-{zlib.crc32(prefix.encode()) % 100000}"
    first = figure.results[0]
    pieces = []
    head_lines = max(len(_wrap(v.arm.label, 14)) for v in first.values)
    for x, value in zip(xs, first.ordered):
        pieces.append(_text(x, 14, _wrap(value.arm.label, 14), "kfig-label", step=13))
    y = 14.0 + 13 * head_lines + 4
    for result in figure.results:
        heading = result.label or result.outcome.capitalize()
        lines = _wrap(heading, 15)
        row_h = max(block + 18, 14 * len(lines) + 4)
        pieces.append(f'<line class="kfig-grid" x1="4" x2="{width - 4:g}" y1="{y:g}" y2="{y:g}"/>')
        pieces.append(_text(6, y + 16, lines, "kfig-label"))
        for x, value in zip(xs, result.ordered):
            pieces.append(
                f'<g class="kfig-panel kfig-role-{value.arm.role}" data-result="{result.id}" data-arm="{value.arm.id}" '
                f'data-per100="{value.per100}">'
                + _text(x, y + block + 20, [f"{value.per100} out of 100"], "kfig-number")
                + f'<g transform="translate({x:g},{y + 6:g}) scale({scale:g})">'
                + _icon_array(symbol, 0, 0, value.per100, 12)
                + "</g></g>"
            )
        y += row_h + 10
    defs = f'<path id="{symbol}" d="{PERSON}"/>'
    return _svg(prefix, width, y, chart_name(figure.title), "".join(pieces), defs, kind="rows")


def draw_icons(figure: Figure) -> str:
    """Side effects of one trial: one compact SVG of rows. Otherwise one small SVG per result
    (so they wrap side by side on wide screens and stack on phones)."""
    if side_effect_rows(figure.results):
        return _icon_rows(f"kfig-{figure.id}", figure)
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
    return _svg(prefix, width, height, chart_name(figure.title), "".join(parts))


EVENT_SHAPES = {
    "assessment": "M0,-7L7,0L0,7L-7,0z",  # diamond
    "dose": "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z",  # circle
    "review": "M0,-7L7,6L-7,6z",  # triangle
    "decision": "M-6,-6h12v12h-12z",  # square
}


DOSE_RADIUS = 3.6  # doses half a week apart stay apart on a phone-width lane
TIMELINE_WIDTH = 310.0  # fits a 390 px phone's text column; two lanes sit side by side on a desktop


def _lane(prefix: str, schedule: Schedule, weeks: int) -> str:
    """One schedule as its own narrow SVG: weeks across, shapes on the line, numbered steps listed below it.

    Labels never sit on the line (where they collided and were cut off at the edge): each step
    that is not a dose gets a number above its shape and a line of text, wrapped, under the axis.
    """
    left, right = 14.0, 14.0
    week_w = (TIMELINE_WIDTH - left - right) / weeks
    heading = _wrap(schedule.label, 36)
    parts = [_text(left - 8, 16, heading, "kfig-heading", step=16)]
    top = 16 + 16 * len(heading)
    parts.append(_text(left - 8, top + 2, ["Weeks from the start of treatment"], "kfig-axis"))
    ticks_y = top + 20
    axis_y = ticks_y + 34
    for week in range(weeks + 1):
        x = left + week * week_w
        parts.append(f'<line class="kfig-grid" x1="{x:g}" x2="{x:g}" y1="{ticks_y + 4:g}" y2="{axis_y + 10:g}"/>')
        if week % 2 == 0 or weeks <= 8:
            parts.append(_text(x, ticks_y, [str(week)], "kfig-axis", "middle"))
    parts.append(f'<line class="kfig-axisline" x1="{left:g}" x2="{TIMELINE_WIDTH - right:g}" y1="{axis_y:g}" y2="{axis_y:g}"/>')
    notes: list[str] = []
    last_x = -100.0
    below = False
    for event in schedule.events:
        x = left + event.week * week_w
        if event.kind == "dose":
            parts.append(
                f'<g class="kfig-event" data-kind="dose" data-week="{event.week:g}">'
                f'<circle class="kfig-yes" cx="{x:g}" cy="{axis_y:g}" r="{DOSE_RADIUS:g}"/></g>'
            )
            continue
        notes.append(f"{when(event.week)[0].upper()}{when(event.week)[1:]}: {event.label}")
        # A step close to the one before has its number under the line, so the two never touch.
        below = x - last_x < 14 and not below
        number_y = axis_y + (22 if below else -12)
        last_x = x
        if event.kind == "period":
            end = left + (event.until if event.until is not None else weeks) * week_w
            shape = f'<rect class="kfig-period" x="{x:g}" y="{axis_y - 5:g}" width="{max(end - x, 4):g}" height="10"/>'
            number_x = x + 8
        else:
            shape = f'<path class="kfig-mark" transform="translate({x:g},{axis_y:g})" d="{EVENT_SHAPES[event.kind]}"/>'
            number_x = x
        parts.append(
            f'<g class="kfig-event" data-kind="{event.kind}" data-week="{event.week:g}">{shape}'
            + _text(number_x, number_y, [str(len(notes))], "kfig-number", "middle")
            + "</g>"
        )
    y = axis_y + 40
    for number, note in enumerate(notes, 1):
        lines = _wrap(note, 44)
        parts.append(_text(left - 8, y, [f"{number}"], "kfig-number"))
        parts.append(_text(left + 8, y, lines, "kfig-small", step=14))
        y += 14 * len(lines) + 6
    parts.append(_text(left - 8, y + 4, [f"Doses (solid circles): {doses_phrase(schedule)}."], "kfig-small"))
    return _svg(prefix, TIMELINE_WIDTH, y + 14, chart_name(schedule.label), "".join(parts))


def draw_timeline(figure: Figure) -> str:
    """One narrow SVG per schedule (side by side on wide screens, stacked on phones)."""
    return "".join(_lane(f"kfig-{figure.id}-{i}", s, figure.weeks) for i, s in enumerate(figure.schedules, 1))


TIMELINE_KEY = (
    ("assessment", "assessment"),
    ("dose", "one dose (infusion or spray session)"),
    ("review", "check: is it helping?"),
    ("decision", "decision about what comes next"),
)


def timeline_legend() -> str:
    """The shapes' key, in HTML under the lanes (each shape drawn small, hidden from screen readers)."""
    items = []
    for kind, words in TIMELINE_KEY:
        cls = "kfig-yes" if kind == "dose" else "kfig-mark"
        items.append(
            f'<span class="kfig-keyitem"><svg class="kfig-keyshape" viewBox="-8 -8 16 16" aria-hidden="true" focusable="false">'
            f'<path class="{cls}" d="{EVENT_SHAPES[kind]}"/></svg> {esc(words)}</span>'
        )
    items.append(
        '<span class="kfig-keyitem"><svg class="kfig-keyshape kfig-keyshape--wide" viewBox="0 -8 28 16" aria-hidden="true" '
        'focusable="false"><rect class="kfig-period" x="0" y="-5" width="28" height="10"/></svg> '
        "a stretch of time with no fixed schedule</span>"
    )
    return " ".join(items)


def draw_ledger(figure: Figure, counts: dict[str, Counter[str]], verdicts: tuple[str, ...]) -> str:
    """Articles down, verdicts across: each cell a number and that many small squares."""
    prefix = f"kfig-{figure.id}"
    left, col, row, top = 78.0, 42.0, 50.0, 112.0
    width = left + col * len(verdicts) + 8
    parts = []
    for j, verdict in enumerate(verdicts):
        x = left + col * j + col / 2
        parts.append(f'<text class="kfig-small" transform="translate({x - 6:g},{top - 8:g}) rotate(-90)">{esc(verdict.capitalize())}</text>')
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
    return _svg(prefix, width, height, chart_name(figure.title), "".join(parts))
