"""Every number a figure draws equals its data: the SVG is parsed, never trusted."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from mkdocs.exceptions import PluginError

from guide_hooks.figures import draw, hook, render
from guide_hooks.figures.data import Figure, Outcomes

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """One SVG, or several side by side, as an element tree (fails on malformed markup)."""
    root = ET.fromstring(f"<figures>{svg}</figures>")  # noqa: S314 - our own build output, not untrusted input
    return root[0] if len(root) == 1 else root


def classes(element: ET.Element) -> set[str]:
    """An element's class names."""
    return set((element.get("class") or "").split())


def texts(element: ET.Element) -> list[str]:
    """Each <text> element's words, tspans joined by a space."""
    return [" ".join("".join(t.itertext()).split()) for t in element.iter(f"{SVG_NS}text")]


def icon_figures(outcomes: Outcomes) -> list[Figure]:
    """The real data's icon-array figures."""
    return [f for f in outcomes.figures.values() if f.kind == "icons"]


def test_there_are_figures_of_every_kind(outcomes: Outcomes) -> None:
    """The data defines icon arrays, an over-time figure, a timeline and the ledger summary."""
    assert {f.kind for f in outcomes.figures.values()} == {"icons", "over-time", "timeline", "ledger"}


def test_icon_arrays_draw_exactly_the_data(outcomes: Outcomes) -> None:
    """In every panel, the solid people, the printed number and the data's 'out of 100' agree."""
    panels = 0
    for figure in icon_figures(outcomes):
        root = parse(draw.draw_icons(figure))
        drawn = {(g.attrib["data-result"], g.attrib["data-arm"]): g for g in root.iter(f"{SVG_NS}g") if "kfig-panel" in classes(g)}
        expected = {(r.id, v.arm.id): v.per100 for r in figure.results for v in r.values}
        assert set(drawn) == set(expected), figure.id
        for key, group in drawn.items():
            parts = {next(iter(classes(g))): g for g in group.iter(f"{SVG_NS}g") if classes(g) & {"kfig-yes", "kfig-no"}}
            solid = len(list(parts["kfig-yes"].iter(f"{SVG_NS}use")))
            hollow = len(list(parts["kfig-no"].iter(f"{SVG_NS}use")))
            positions = {(u.get("x"), u.get("y")) for u in group.iter(f"{SVG_NS}use")}
            assert len(positions) == 100, "every person has a place of their own"
            assert (solid, hollow) == (expected[key], 100 - expected[key]), (figure.id, key)
            assert f"{expected[key]} out of 100" in texts(group), (figure.id, key)
            panels += 1
    assert panels >= 20


def test_comparator_is_drawn_beside_the_treatment(outcomes: Outcomes) -> None:
    """Every icon-array row shows the treatment panel first and its comparator to the right of it."""
    for figure in icon_figures(outcomes):
        root = parse(draw.draw_icons(figure))
        for result in figure.results:
            groups = [g for g in root.iter(f"{SVG_NS}g") if g.get("data-result") == result.id and "kfig-panel" in classes(g)]
            roles = ["treatment" if "kfig-role-treatment" in classes(g) else "comparator" for g in groups]
            assert roles[0] == "treatment" and "comparator" in roles[1:], (figure.id, result.id)
            xs = [float(next(g.iter(f"{SVG_NS}text")).attrib["x"]) for g in groups]
            assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_over_time_points_sit_at_their_values(outcomes: Outcomes) -> None:
    """Each point's height and label equal its data; no line joins points of different time points."""
    figure = next(f for f in outcomes.figures.values() if f.kind == "over-time")
    root = parse(draw.draw_over_time(figure))
    grid = {float(line.attrib["y1"]) for line in root.iter(f"{SVG_NS}line") if "kfig-grid" in classes(line)}
    top, bottom = min(grid), max(grid)
    seen = 0
    for group in root.iter(f"{SVG_NS}g"):
        if "kfig-datum" not in classes(group):
            continue
        value = figures_value(outcomes, group.get("data-result"), group.get("data-arm"))
        mark = next(e for e in group if e.tag in (f"{SVG_NS}circle", f"{SVG_NS}rect"))
        y = float(mark.attrib["cy"]) if mark.tag.endswith("circle") else float(mark.attrib["y"]) + float(mark.attrib["height"]) / 2
        assert y == pytest.approx(bottom - (bottom - top) * value / 100)
        assert texts(group) == [str(value)]
        seen += 1
    assert seen == sum(len(r.values) for r in figure.results)
    assert not list(root.iter(f"{SVG_NS}polyline"))
    assert not [p for p in root.iter(f"{SVG_NS}path") if "kfig-yes" in classes(p)]


def figures_value(outcomes: Outcomes, result_id: str | None, arm_id: str | None) -> int:
    """The data's out-of-100 value for one arm of one result."""
    assert result_id is not None and arm_id is not None, "every drawn value names its result and arm"
    return outcomes.results[result_id].value(arm_id).per100


def test_timeline_draws_each_scheduled_step(outcomes: Outcomes) -> None:
    """The timeline has one mark per scheduled step, at its week."""
    figure = next(f for f in outcomes.figures.values() if f.kind == "timeline")
    root = parse(draw.draw_timeline(figure))
    drawn = Counter(g.get("data-kind") for g in root.iter(f"{SVG_NS}g") if "kfig-event" in classes(g))
    expected = Counter(e.kind for s in figure.schedules for e in s.events)
    assert drawn == expected
    weeks = sorted(float(g.attrib["data-week"]) for g in root.iter(f"{SVG_NS}g") if g.get("data-kind") == "dose")
    assert weeks == sorted(e.week for s in figure.schedules for e in s.events if e.kind == "dose")
    assert len([s for s in figure.schedules if "label" in s.label.lower() or "esketamine" in s.label.lower()]) == 1


def test_ledger_summary_counts_the_real_ledger(outcomes: Outcomes, ledger_counts: tuple[dict[str, Counter[str]], tuple[str, ...]]) -> None:
    """Each cell of the ledger summary shows, and draws, the number of claims with that verdict."""
    figure = next(f for f in outcomes.figures.values() if f.kind == "ledger")
    counts, verdicts = ledger_counts
    root = parse(draw.draw_ledger(figure, counts, verdicts))
    cells = [g for g in root.iter(f"{SVG_NS}g") if "kfig-cell" in classes(g)]
    assert len(cells) == len(counts) * len(verdicts)
    for cell in cells:
        expected = counts[cell.attrib["data-article"]].get(cell.attrib["data-verdict"], 0)
        assert int(cell.attrib["data-count"]) == expected
        assert len(list(cell.iter(f"{SVG_NS}rect"))) == expected
        assert texts(cell) == [str(expected) if expected else "–"]
    assert sum(sum(c.values()) for c in counts.values()) >= 25


def test_every_figure_is_accessible_and_self_contained(outcomes: Outcomes, ledger_counts: tuple[dict[str, Counter[str]], tuple[str, ...]]) -> None:
    """role=img with a title and a description, no script, no external reference, no colour-only key."""
    for figure in outcomes.figures.values():
        block = render.render_figure(figure, ledger_counts if figure.kind == "ledger" else None)
        svgs = re.findall(r'<svg class="kfig-svg[ "].*?</svg>', block, re.DOTALL)
        keys = [s for s in re.findall(r"<svg.*?</svg>", block, re.DOTALL) if s not in svgs]
        assert all('aria-hidden="true"' in s for s in keys), "a key's shapes are decoration beside their words"
        caption = block.split("{ .kfig-caption }")[0].rsplit("</div>", 1)[-1]
        assert len(caption) > 40, figure.id
        assert svgs, figure.id
        ids = []
        for svg in svgs:
            root = parse(svg)
            assert root.get("role") == "img"
            title = root.find(f"{SVG_NS}title")
            assert title is not None and title.text and root.find(f"{SVG_NS}title") is root[0]
            # Read once: the <title> names the drawing and nothing describes it again (Chromium
            # reads a <title> that aria-labelledby points to as the description as well).
            assert root.find(f"{SVG_NS}desc") is None
            assert root.get("aria-describedby") is None and root.get("aria-labelledby") is None
            assert title.text not in caption and len(title.text) < 140, (figure.id, title.text)
            outside = svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
            assert "<script" not in svg and "http" not in outside
            assert " href=" not in svg, "plain href on <use> breaks Material's instant navigation"
            ids += [e.get("id") for e in root.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), "ids inside a figure must be unique on the page"
        assert "The numbers behind this figure" in block
        assert "[@" in block or figure.kind == "ledger"


def test_citations_under_each_figure_are_its_sources(outcomes: Outcomes) -> None:
    """A results figure cites every key behind each number it draws."""
    for figure in icon_figures(outcomes):
        block = render.render_figure(figure)
        for result in figure.results:
            for key in result.cite:
                assert f"@{key}" in block, (figure.id, key)


def test_number_markers_print_the_data(outcomes: Outcomes) -> None:
    """Markers on a page become the numbers in the data, comparator included."""
    text = "A [[per100:elektd-response.ketamine]] B [[percent:elektd-response.ect]] C [[compare:elektd-response]]"
    out = hook.expand(text, outcomes, "docs/x.md")
    assert out == (
        "A 55 out of 100 B 41.2% C 55 out of 100 with IV ketamine (twice a week for 3 weeks) and 41 out of 100 with ECT (three times a week for 3 weeks)"
    )
    assert hook.expand("[[count:transform-response-day2.esketamine]]", outcomes, "x") == "55 of 318"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ok\n<!-- figure: nosuch -->\n", "docs/p.md:2: unknown figure 'nosuch' (figures in data/outcomes.yml: "),
        ("x\n\n[[per100:nosuch.arm]]", "docs/p.md:3: [[per100:nosuch.arm]]: unknown result 'nosuch'"),
        (
            "[[per100:elektd-response.placebo]]",
            "docs/p.md:1: [[per100:elektd-response.placebo]]: result 'elektd-response' has no arm 'placebo' (arms: ketamine, ect)",
        ),
        ("[[percent:elektd-response]]", "docs/p.md:1: [[percent:elektd-response]]: add an arm after the result id"),
        ("[[tally:elektd-response]]", "docs/p.md:1: [[tally:elektd-response]]: unknown number kind 'tally'"),
    ],
)
def test_bad_markers_stop_the_build_with_page_and_line(outcomes: Outcomes, text: str, message: str) -> None:
    """A marker that names nothing in the data is an error at its page and line."""
    with pytest.raises(PluginError) as caught:
        hook.expand(text, outcomes, "docs/p.md")
    assert str(caught.value).startswith(message)


def test_timeline_lanes_fit_a_phone_and_label_every_step(outcomes: Outcomes) -> None:
    """One narrow drawing per schedule (a 390 px phone's column), and every step that is not a dose numbered and listed."""
    figure = next(f for f in outcomes.figures.values() if f.kind == "timeline")
    root = parse(draw.draw_timeline(figure))
    lanes = list(root) if root.tag != f"{SVG_NS}svg" else [root]
    assert len(lanes) == len(figure.schedules)
    for lane, schedule in zip(lanes, figure.schedules):
        assert float(lane.attrib["width"]) <= 330, "a lane must fit the text column of a 390 px phone"
        steps = [e for e in schedule.events if e.kind != "dose"]
        words = " ".join(texts(lane))
        for number, step in enumerate(steps, 1):
            marks = [g for g in lane.iter(f"{SVG_NS}g") if g.get("data-kind") == step.kind and texts(g) == [str(number)]]
            assert marks, (schedule.id, number, step.label)
            assert " ".join(step.label.split()[:3]) in words, (schedule.id, step.label)


def test_side_effects_of_one_trial_are_one_compact_drawing(outcomes: Outcomes) -> None:
    """Side effects counted in one trial are one drawing of rows, under 110 units a side effect."""
    figures = [f for f in icon_figures(outcomes) if all(r.outcome == "adverse event" for r in f.results)]
    assert len(figures) >= 2
    for figure in figures:
        root = parse(draw.draw_icons(figure))
        assert root.tag == f"{SVG_NS}svg", f"{figure.id}: one drawing, not one per side effect"
        height = float(root.attrib["viewBox"].split()[3])
        assert height < 110 * len(figure.results) + 60, (figure.id, height)
        assert float(root.attrib["width"]) <= 330
