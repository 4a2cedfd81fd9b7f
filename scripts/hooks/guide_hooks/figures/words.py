"""The data in words: numbers for ``[[kind:RESULT.ARM]]`` markers and each figure's comparison as a sentence."""

from __future__ import annotations

import math

from .data import ArmValue, Outcomes, Result, Schedule

NUMBER_KINDS: tuple[str, ...] = ("per100", "percent", "count", "compare")


def _arm_phrase(value: ArmValue) -> str:
    """'55 out of 100 with IV ketamine'."""
    return f"{value.per100} out of 100 with {value.arm.label}"


def compare_phrase(result: Result) -> str:
    """Every arm of a result in words, treatment first, comparator beside it."""
    parts = [_arm_phrase(v) for v in result.ordered]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return joined


def number_text(outcomes: Outcomes, kind: str, ref: str) -> str:
    """The text a number marker stands for; ValueError says what is wrong with the marker."""
    if kind not in NUMBER_KINDS:
        raise ValueError(f"unknown number kind '{kind}' (use one of: {', '.join(NUMBER_KINDS)})")
    result_id, _, arm_id = ref.partition(".")
    if result_id not in outcomes.results:
        raise ValueError(f"unknown result '{result_id}' (defined results: {', '.join(sorted(outcomes.results))})")
    result = outcomes.results[result_id]
    if kind == "compare":
        if arm_id:
            raise ValueError("[[compare:RESULT]] takes a result id without an arm")
        return compare_phrase(result)
    if arm_id not in {a.id for a in result.trial.arms}:
        arms = ", ".join(a.id for a in result.trial.arms)
        if not arm_id:
            raise ValueError(f"add an arm after the result id: '{result_id}.ARM' (arms: {arms})")
        raise ValueError(f"result '{result_id}' has no arm '{arm_id}' (arms: {arms})")
    value = result.value(arm_id)
    if kind == "per100":
        return f"{value.per100} out of 100"
    if kind == "percent":
        return value.percent_text()
    return value.count_text()


def result_words(result: Result) -> str:
    """One sentence: what was measured, when, and every arm out of 100."""
    what = {"response": "had a response", "remission": "were in remission", "relapse": "relapsed"}.get(
        result.outcome, f"had {result.label.lower() or 'this side effect'}"
    )
    return f"{result.trial.name}, {result.timepoint}: {compare_phrase(result)} {what}."


def icons_words(results: tuple[Result, ...]) -> str:
    """The comparison in words; side effects of one trial in one compact sentence."""
    trials = {r.trial.id for r in results}
    if len(trials) == 1 and all(r.outcome == "adverse event" for r in results) and len(results[0].values) == 2:
        first = results[0]
        treatment, comparator = first.ordered
        items = "; ".join(f"{(r.label or r.outcome).lower()}: {r.ordered[0].per100} compared with {r.ordered[1].per100}" for r in results)
        return f"Out of 100 people in {first.trial.name}, {first.timepoint}, with {treatment.arm.label} compared with {comparator.arm.label}: {items}."
    return " ".join(result_words(r) for r in results)


def doses_phrase(schedule: Schedule) -> str:
    """'6 doses in the first 3 weeks'."""
    weeks = [e.week for e in schedule.events if e.kind == "dose"]
    span = math.ceil(max(weeks)) if weeks else 0
    return f"{len(weeks)} doses in the first {span} week{'s' if span != 1 else ''}"


def when(week: float) -> str:
    """A time on the timeline in words: 'at the start', 'after about 4 weeks'."""
    if week < 0.5:
        return "at the start"
    rounded = round(week)
    return f"after about {rounded} week{'s' if rounded != 1 else ''}"
