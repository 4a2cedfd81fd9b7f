"""The Markdown block around each figure: the SVG, its caption in words with citations, and its data table."""

from __future__ import annotations

from collections import Counter

from .data import Figure, Result, Schedule
from .draw import draw_icons, draw_ledger, draw_over_time, draw_timeline, timeline_legend
from .words import doses_phrase, icons_words, result_words, when


def _cite(keys: tuple[str, ...] | list[str]) -> str:
    """mkdocs-bibtex citation syntax, one bracket for all keys."""
    unique = list(dict.fromkeys(keys))
    return "[" + "; ".join(f"@{k}" for k in unique) + "]" if unique else ""


def _results_table(results: tuple[Result, ...]) -> list[str]:
    """The numbers behind a results figure, arm by arm."""
    # Five columns, so the table fits the text column at desktop width (study, measure, time
    # point and source share the first cell).
    lines = [
        "| Study: what was counted, when | Group | People in group | Had it | Out of 100 |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        what = r.label or r.outcome.capitalize()
        for v in r.ordered:
            had = str(v.count) if v.count is not None else f"{v.percent_text()} (count not reported)"
            lines.append(
                f"| {r.trial.name}: {what} ({r.definition}), {r.timepoint} {_cite(r.cite)} "
                f"| {v.arm.label} ({v.arm.role}) "
                f"| {v.n if not v.arm.shared_n else f'{v.n} in both groups together'} | {had} | {v.per100} |"
            )
    notes = [f"{r.trial.name}, {r.label or r.outcome}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "Notes: " + " ".join(notes)]
    return lines


def _schedule_table(schedules: tuple[Schedule, ...]) -> list[str]:
    """The timeline as a table, one row per step."""
    lines = ["| Treatment | Week | Step | Source |", "| --- | --- | --- | --- |"]
    for s in schedules:
        for e in s.events:
            week = f"{e.week:g}" + (f" to {e.until:g}" if e.until is not None else "")
            lines.append(f"| {s.label} | {week} | {e.kind.capitalize()}: {e.label} | {_cite(e.cite or s.cite)} |")
    return lines


def _ledger_table(counts: dict[str, Counter[str]], verdicts: tuple[str, ...]) -> list[str]:
    """The verdict counts as a table: a row per verdict, a column per article (narrow enough for a desktop column)."""
    names = [f"Art. {article.removeprefix('source-').upper()}" for article in counts]
    lines = [
        "| Verdict | " + " | ".join(names) + " | All |",
        "| --- | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    for v in verdicts:
        row = [str(per.get(v, 0)) for per in counts.values()]
        lines.append(f"| {v.capitalize()} | " + " | ".join(row) + f" | {sum(per.get(v, 0) for per in counts.values())} |")
    lines.insert(0, "Art. A to Art. E are Articles A to E; a claim made by several articles counts in each one's column.\n")
    totals = [str(sum(per.values())) for per in counts.values()]
    lines.append("| All verdicts | " + " | ".join(totals) + f" | {sum(sum(per.values()) for per in counts.values())} |")
    return lines


def _wrapper(figure: Figure, svg: str) -> str:
    """The box around the SVG(s): several drawings wrap side by side; one wide drawing shrinks to fit.

    ``data-search-exclude``: the caption and table say in words what the drawing shows, so the
    drawing's own text stays out of the search index.
    """
    if figure.kind in ("icons", "timeline"):
        return f'<div class="kfig-row" data-search-exclude>{svg}</div>'
    return f'<div class="kfig-scroll" data-search-exclude>{svg}</div>'


def figure_markdown(figure: Figure, svg: str, words: str, cites: list[str], table: list[str], legend: str) -> str:
    """The figure block: SVG, caption with the comparison in words and citations, data table."""
    caption = f"**{figure.title}.** {words}"
    if figure.summary:
        caption += f" {figure.summary}"
    if cites:
        caption += f" {_cite(cites)}"
    details = ['??? note kfig-data "The numbers behind this figure"', ""] + ["    " + line if line else "" for line in table]
    return "\n".join(
        [
            f'<div class="kfig kfig--{figure.kind}" id="figure-{figure.id}" markdown="1">',
            _wrapper(figure, svg),
            f'<p class="kfig-legend">{legend}</p>' if legend else "",
            "",
            caption,
            "{ .kfig-caption }",
            "",
            *details,
            "",
            "</div>",
        ]
    )


ICON_LEGEND = (
    '<span class="kfig-key kfig-key--yes" aria-hidden="true"></span> solid figure: had the outcome; '
    '<span class="kfig-key kfig-key--no" aria-hidden="true"></span> outline: did not. '
    "Each block is 100 people like those in the trial."
)
TIME_LEGEND = (
    '<span class="kfig-key kfig-key--dot" aria-hidden="true"></span> solid circle: treatment; '
    '<span class="kfig-key kfig-key--square" aria-hidden="true"></span> hollow square: comparison group. '
    "Points are the time points the study reports; nothing is drawn between them."
)


def render_figure(figure: Figure, ledger: tuple[dict[str, Counter[str]], tuple[str, ...]] | None = None) -> str:
    """The Markdown block for one figure."""
    if figure.kind == "icons":
        svg = draw_icons(figure)
        words = icons_words(figure.results)
        cites = [k for r in figure.results for k in r.trial.cite + r.cite]
        return figure_markdown(figure, svg, words, cites, _results_table(figure.results), ICON_LEGEND)
    if figure.kind == "over-time":
        svg = draw_over_time(figure)
        words = " ".join(result_words(r) for r in figure.results)
        cites = [k for r in figure.results for k in r.cite]
        return figure_markdown(figure, svg, words, cites, _results_table(figure.results), TIME_LEGEND)
    if figure.kind == "timeline":
        svg = draw_timeline(figure)
        cites = [k for s in figure.schedules for k in s.cite + tuple(c for e in s.events for c in e.cite)]
        words = " ".join(
            f"{s.label}: {doses_phrase(s)}; " + "; ".join(f"{when(e.week)}, {e.label[0].lower() + e.label[1:]}" for e in s.events if e.kind != "dose") + "."
            for s in figure.schedules
        )
        return figure_markdown(figure, svg, words, cites, _schedule_table(figure.schedules), timeline_legend())
    assert ledger is not None
    counts, verdicts = ledger
    svg = draw_ledger(figure, counts, verdicts)
    totals = Counter()  # type: Counter[str]
    for per in counts.values():
        totals.update(per)
    words = "Across the five articles (a claim made by several articles counts once for each): " + ", ".join(f"{totals.get(v, 0)} {v}" for v in verdicts) + "."
    return figure_markdown(figure, svg, words, [], _ledger_table(counts, verdicts), "")
