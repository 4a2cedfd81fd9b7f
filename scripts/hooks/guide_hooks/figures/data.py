"""data/outcomes.yml: the model of trials, results, schedules and figures, and its validation.

data/outcomes.yml is the one place for trial-arm numbers. It has four lists:

``trials``     id, name, design, cite and ``arms`` (id, label, n, role: treatment | comparator)
``results``    id, trial, outcome (response | remission | relapse | adverse event), definition,
               timepoint, cite and ``arms``: for every arm of the trial, ``count`` and/or
               ``percent`` (and ``n`` when the result's denominator differs from the arm's)
``schedules``  treatment schedules for the course timeline (events in weeks, each cited)
``figures``    id, kind (icons | over-time | timeline | ledger), title, and what each draws

Everything is checked when the build starts. A missing field, an unknown trial, arm or citation
key, a count larger than its arm's n, or a percentage that does not match count/n stops the
build with ``data/outcomes.yml:LINE:COL: what is wrong; how to fix it``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError

from mkdocs_sitecheck.api import UsageError, load_yaml

from ..paths import shown

DATA_FILE = Path("data") / "outcomes.yml"
OUTCOMES: tuple[str, ...] = ("response", "remission", "relapse", "adverse event")
ROLES: tuple[str, ...] = ("treatment", "comparator")
KINDS: tuple[str, ...] = ("icons", "over-time", "timeline", "ledger")
EVENT_KINDS: tuple[str, ...] = ("assessment", "dose", "review", "decision", "period")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TRIAL_FIELDS = ("id", "name", "design", "cite", "arms")
TRIAL_OPTIONAL = ("n_total",)
ARM_FIELDS = ("id", "label", "role")
ARM_OPTIONAL = ("n",)
RESULT_FIELDS = ("id", "trial", "outcome", "definition", "timepoint", "cite", "arms")
RESULT_OPTIONAL = ("note", "label")
RESULT_ARM_FIELDS = ("arm",)
RESULT_ARM_OPTIONAL = ("count", "percent", "n")
SCHEDULE_FIELDS = ("id", "label", "cite", "events")
EVENT_FIELDS = ("week", "kind", "label")
EVENT_OPTIONAL = ("until", "cite")
FIGURE_FIELDS = ("id", "kind", "title")
FIGURE_OPTIONAL = ("results", "schedules", "summary", "weeks")


# ---------------------------------------------------------------------------------------------
# Reading YAML with line numbers
# ---------------------------------------------------------------------------------------------


class Node(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys are in the file."""

    line: int = 0
    column: int = 0
    key_lines: dict[str, tuple[int, int]]


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings are Nodes carrying their line and column."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Node:
    """Build a Node, recording where the mapping and each key start."""
    mapping = Node(loader.construct_mapping(node, deep=True))
    mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
    mapping.key_lines = {str(key.value): (key.start_mark.line + 1, key.start_mark.column + 1) for key, _ in node.value}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class DataError(PluginError):
    """A problem in data/outcomes.yml, reported as ``file:line:col: message``."""


def place(path: Path, node: Any, key: str | None = None) -> str:
    """``file:line:col`` of ``node`` (of ``key`` in it when given), or the file alone when the line is unknown."""
    line, column = 0, 0
    if isinstance(node, Node):
        line, column = node.key_lines.get(key or "", (node.line, node.column))
    return f"{shown(path)}:{line}:{column}" if line else shown(path)


def _fail(path: Path, node: Any, message: str, key: str | None = None) -> DataError:
    """An error that names the file and the line (of ``key`` when given) in it."""
    return DataError(f"{place(path, node, key)}: {message}")


# ---------------------------------------------------------------------------------------------
# The data model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arm:
    """One arm of a trial."""

    id: str
    label: str
    n: int
    role: str
    shared_n: bool = False

    @property
    def n_text(self) -> str:
        """The group size as a reader should read it."""
        return f"{self.n} in both groups together" if self.shared_n else str(self.n)


@dataclass(frozen=True)
class Trial:
    """A trial or pooled analysis with its arms."""

    id: str
    name: str
    design: str
    cite: tuple[str, ...]
    arms: tuple[Arm, ...]

    def arm(self, arm_id: str) -> Arm:
        """The arm with this id."""
        return next(a for a in self.arms if a.id == arm_id)


@dataclass(frozen=True)
class ArmValue:
    """One arm's number for one result: a count of n, a percentage, or both."""

    arm: Arm
    n: int
    count: int | None
    percent: Decimal | None

    @property
    def rate(self) -> Decimal:
        """The percentage: as reported, else computed from count/n."""
        if self.percent is not None:
            return self.percent
        assert self.count is not None
        return Decimal(self.count * 100) / Decimal(self.n)

    @property
    def per100(self) -> int:
        """Out of 100 people, rounded half up (what the icon array draws)."""
        return int(self.rate.quantize(Decimal(1), rounding="ROUND_HALF_UP"))

    def percent_text(self) -> str:
        """The percentage as reported, or count/n to one decimal."""
        value = self.percent if self.percent is not None else self.rate.quantize(Decimal("0.1"))
        return f"{value}%"

    def count_text(self) -> str:
        """'108 of 195', or '55.4% of 195' when only the percentage is known."""
        if self.count is not None:
            return f"{self.count} of {self.n}"
        return f"{self.percent_text()} of {self.n}"


@dataclass(frozen=True)
class Result:
    """One outcome of one trial at one time point, for every arm."""

    id: str
    trial: Trial
    outcome: str
    definition: str
    timepoint: str
    cite: tuple[str, ...]
    values: tuple[ArmValue, ...]
    label: str = ""
    note: str = ""

    def value(self, arm_id: str) -> ArmValue:
        """The number for one arm."""
        return next(v for v in self.values if v.arm.id == arm_id)

    @property
    def ordered(self) -> tuple[ArmValue, ...]:
        """Treatment arms first, then comparators (the order figures draw them)."""
        return tuple(sorted(self.values, key=lambda v: ROLES.index(v.arm.role)))


@dataclass(frozen=True)
class Event:
    """One step on a treatment schedule, in weeks from the start."""

    week: float
    kind: str
    label: str
    until: float | None
    cite: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    """A treatment schedule drawn as one lane of the course timeline."""

    id: str
    label: str
    cite: tuple[str, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Figure:
    """A figure a page places with ``<!-- figure: ID -->``."""

    id: str
    kind: str
    title: str
    summary: str
    results: tuple[Result, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    weeks: int = 12


@dataclass
class Outcomes:
    """Everything in data/outcomes.yml, validated."""

    trials: dict[str, Trial] = field(default_factory=dict)
    results: dict[str, Result] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _named(node: Any, kind: str, index: int) -> str:
    """'result 'elektd-response'' when the entry has an id, else 'result 3' (its position)."""
    entry_id = node.get("id") if isinstance(node, dict) else None
    return f"{kind} '{entry_id}'" if isinstance(entry_id, str) and entry_id.strip() else f"{kind} {index}"


class Reader:
    """Validates one data file; every check raises ``error`` (DataError here) naming the line.

    Another data file's reader (the option grid's) subclasses it with its own ``error``.
    """

    error: type[PluginError] = DataError

    def __init__(self, path: Path, bib_keys: set[str]) -> None:
        self.path = path
        self.bib_keys = bib_keys

    def fail(self, node: Any, message: str, key: str | None = None) -> PluginError:
        """This reader's error, naming the file and the line (of ``key`` when given) of ``node``."""
        return self.error(f"{place(self.path, node, key)}: {message}")

    def unique(self, nodes: list[Any], ids: list[str], what: str) -> None:
        """Stop on an id used twice in one list."""
        seen: set[str] = set()
        for node, item_id in zip(nodes, ids, strict=True):
            if item_id in seen:
                raise self.fail(node, f"{what} '{item_id}': the id is used more than once", "id")
            seen.add(item_id)

    def fields(self, node: Any, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Node:
        """A mapping with every required field and no unknown ones."""
        if not isinstance(node, Node):
            raise self.fail(node, f"{what}: expected a mapping of fields, got {type(node).__name__}")
        missing = [name for name in required if name not in node or node[name] is None]
        if missing:
            raise self.fail(node, f"{what}: missing field(s) {', '.join(missing)} (required: {', '.join(required)})")
        unknown = sorted(set(node) - set(required) - set(optional))
        if unknown:
            allowed = ", ".join(required + optional)
            raise self.fail(node, f"{what}: unknown field(s) {', '.join(unknown)} (allowed: {allowed})", unknown[0])
        return node

    def text(self, node: Node, what: str, name: str) -> str:
        """A non-empty string field."""
        value = node.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"{what}: field '{name}' must be non-empty text, got {value!r}", name)
        return " ".join(value.split())

    def ident(self, node: Node, what: str, name: str = "id") -> str:
        """An id: lower-case letters, digits and hyphens."""
        value = self.text(node, what, name)
        if not ID.match(value):
            raise self.fail(node, f"{what}: field '{name}' is {value!r}; use lower-case letters, digits and hyphens", name)
        return value

    def count(self, node: Node, what: str, name: str, minimum: int = 0) -> int:
        """A whole number at least ``minimum``."""
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(node, f"{what}: field '{name}' must be a whole number >= {minimum}, got {value!r}", name)
        return value

    def cites(self, node: Node, what: str, name: str = "cite") -> tuple[str, ...]:
        """One or more citation keys, each defined in refs.bib."""
        value = node.get(name)
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            raise self.fail(node, f"{what}: field '{name}' must be a refs.bib key or a list of keys, got {value!r}", name)
        absent = [k for k in keys if k not in self.bib_keys]
        if absent:
            raise self.fail(
                node,
                f"{what}: citation key(s) {', '.join(absent)} not found in refs.bib; add the entry or correct the key",
                name,
            )
        return tuple(k.strip() for k in keys)

    def items(self, data: Node, name: str, required: bool = True) -> list[Any]:
        """A top-level list."""
        value = data.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise self.fail(data, f"top-level '{name}' must be a non-empty list", name)
        return value

    def trial(self, node: Any, index: int) -> Trial:
        """One trial and its arms."""
        what = _named(node, "trial", index)
        node = self.fields(node, what, TRIAL_FIELDS, TRIAL_OPTIONAL)
        trial_id = self.ident(node, what)
        what = f"trial '{trial_id}'"
        total = self.count(node, what, "n_total", 1) if "n_total" in node else None
        raw_arms = node["arms"]
        if not isinstance(raw_arms, list) or len(raw_arms) < 2:
            raise _fail(self.path, node, f"{what}: 'arms' must list at least two arms (a treatment and its comparator)", "arms")
        arms: list[Arm] = []
        for raw in raw_arms:
            arm_node = self.fields(raw, f"{what}, arm", ARM_FIELDS, ARM_OPTIONAL)
            arm_id = self.ident(arm_node, f"{what}, arm")
            arm_what = f"{what}, arm '{arm_id}'"
            if total is None and "n" not in arm_node:
                raise _fail(
                    self.path,
                    arm_node,
                    f"{arm_what}: missing field n (people in the arm; or give the trial's n_total when the source gives only the number in all arms together)",
                )
            if total is not None and "n" in arm_node:
                raise _fail(self.path, arm_node, f"{arm_what}: give either the arm's n or the trial's n_total, not both", "n")
            role = self.text(arm_node, arm_what, "role")
            if role not in ROLES:
                raise _fail(self.path, arm_node, f"{arm_what}: role {role!r} must be one of: {', '.join(ROLES)}", "role")
            if any(a.id == arm_id for a in arms):
                raise _fail(self.path, arm_node, f"{arm_what}: the arm id is used twice in this trial", "id")
            n = total if total is not None else self.count(arm_node, arm_what, "n", 1)
            arms.append(Arm(arm_id, self.text(arm_node, arm_what, "label"), n, role, total is not None))
        if {a.role for a in arms} != set(ROLES):
            raise _fail(self.path, node, f"{what}: needs at least one treatment arm and one comparator arm", "arms")
        return Trial(trial_id, self.text(node, what, "name"), self.text(node, what, "design"), self.cites(node, what), tuple(arms))

    def percent(self, node: Node, what: str) -> Decimal | None:
        """An optional percentage between 0 and 100, kept with its reported decimals."""
        value = node.get("percent")
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if isinstance(value, bool) or not number.is_finite() or not 0 <= number <= 100:
            raise _fail(self.path, node, f"{what}: 'percent' must be a number from 0 to 100, got {value!r}", "percent")
        return number

    def arm_value(self, node: Any, trial: Trial, what: str) -> ArmValue:
        """One arm's count and/or percentage, checked against its n."""
        node = self.fields(node, f"{what}, arm", RESULT_ARM_FIELDS, RESULT_ARM_OPTIONAL)
        arm_id = self.text(node, f"{what}, arm", "arm")
        if arm_id not in {a.id for a in trial.arms}:
            known = ", ".join(a.id for a in trial.arms)
            raise _fail(self.path, node, f"{what}: trial '{trial.id}' has no arm '{arm_id}' (its arms: {known})", "arm")
        arm = trial.arm(arm_id)
        what = f"{what}, arm '{arm_id}'"
        n = self.count(node, what, "n", 1) if "n" in node else arm.n
        if n > arm.n:
            raise _fail(
                self.path,
                node,
                f"{what}: n {n} is larger than the arm's n ({arm.n}) in trial '{trial.id}'; a result's n counts the people it was measured in",
                "n",
            )
        count = self.count(node, what, "count") if "count" in node else None
        percent = self.percent(node, what)
        if count is None and percent is None:
            raise _fail(self.path, node, f"{what}: give 'count' (people out of n) or 'percent' as the source reports it")
        if count is not None and count > n:
            raise _fail(self.path, node, f"{what}: count {count} is larger than the arm's n ({n}); check both against the source", "count")
        if count is not None and percent is not None:
            exact = Decimal(count * 100) / Decimal(n)
            exponent = percent.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
            if abs(exact - percent) > tolerance:
                computed = exact.quantize(Decimal(1) / (Decimal(10) ** places)) if places else exact.quantize(Decimal(1))
                raise _fail(
                    self.path,
                    node,
                    f"{what}: percent {percent} does not match count/n = {count}/{n} = {computed}%; correct the count, the n or the percentage",
                    "percent",
                )
        return ArmValue(arm, n, count, percent)

    def result(self, node: Any, index: int, trials: dict[str, Trial]) -> Result:
        """One result: an outcome in every arm of a trial."""
        what = _named(node, "result", index)
        node = self.fields(node, what, RESULT_FIELDS, RESULT_OPTIONAL)
        result_id = self.ident(node, what)
        what = f"result '{result_id}'"
        trial_id = self.text(node, what, "trial")
        if trial_id not in trials:
            raise _fail(self.path, node, f"{what}: unknown trial '{trial_id}' (define it under 'trials')", "trial")
        trial = trials[trial_id]
        outcome = self.text(node, what, "outcome")
        if outcome not in OUTCOMES:
            raise _fail(self.path, node, f"{what}: outcome {outcome!r} must be one of: {', '.join(OUTCOMES)}", "outcome")
        raw = node["arms"]
        if not isinstance(raw, list):
            raise _fail(self.path, node, f"{what}: 'arms' must be a list with one entry per arm", "arms")
        values = [self.arm_value(item, trial, what) for item in raw]
        given = [v.arm.id for v in values]
        repeated = sorted({a for a in given if given.count(a) > 1})
        if repeated:
            raise _fail(self.path, node, f"{what}: arm(s) {', '.join(repeated)} given more than once", "arms")
        absent = [a.id for a in trial.arms if a.id not in given]
        if absent:
            raise _fail(
                self.path,
                node,
                f"{what}: no number for arm(s) {', '.join(absent)} of trial '{trial.id}'; every arm is needed so the comparator is always shown",
                "arms",
            )
        return Result(
            id=result_id,
            trial=trial,
            outcome=outcome,
            definition=self.text(node, what, "definition"),
            timepoint=self.text(node, what, "timepoint"),
            cite=self.cites(node, what),
            values=tuple(values),
            label=self.text(node, what, "label") if "label" in node else "",
            note=self.text(node, what, "note") if "note" in node else "",
        )

    def week(self, node: Node, what: str, name: str) -> float:
        """A week number from 0 to 52."""
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 52:
            raise _fail(self.path, node, f"{what}: '{name}' must be a number of weeks from 0 to 52, got {value!r}", name)
        return float(value)

    def schedule(self, node: Any, index: int) -> Schedule:
        """A treatment schedule for the timeline."""
        what = _named(node, "schedule", index)
        node = self.fields(node, what, SCHEDULE_FIELDS)
        schedule_id = self.ident(node, what)
        what = f"schedule '{schedule_id}'"
        raw = node["events"]
        if not isinstance(raw, list) or not raw:
            raise _fail(self.path, node, f"{what}: 'events' must be a non-empty list", "events")
        events = []
        for item in raw:
            event_node = self.fields(item, f"{what}, event", EVENT_FIELDS, EVENT_OPTIONAL)
            kind = self.text(event_node, f"{what}, event", "kind")
            if kind not in EVENT_KINDS:
                raise _fail(self.path, event_node, f"{what}: event kind {kind!r} must be one of: {', '.join(EVENT_KINDS)}", "kind")
            start = self.week(event_node, f"{what}, event", "week")
            until = self.week(event_node, f"{what}, event", "until") if "until" in event_node else None
            if until is not None and until < start:
                raise _fail(self.path, event_node, f"{what}: event ends (until {until:g}) before it starts (week {start:g})", "until")
            cites = self.cites(event_node, f"{what}, event") if "cite" in event_node else ()
            events.append(Event(start, kind, self.text(event_node, f"{what}, event", "label"), until, cites))
        return Schedule(schedule_id, self.text(node, what, "label"), self.cites(node, what), tuple(events))

    def figure(self, node: Any, index: int, outcomes: Outcomes) -> Figure:
        """A figure definition whose results and schedules exist."""
        what = _named(node, "figure", index)
        node = self.fields(node, what, FIGURE_FIELDS, FIGURE_OPTIONAL)
        figure_id = self.ident(node, what)
        what = f"figure '{figure_id}'"
        kind = self.text(node, what, "kind")
        if kind not in KINDS:
            raise _fail(self.path, node, f"{what}: kind {kind!r} must be one of: {', '.join(KINDS)}", "kind")
        results = self.refs(node, what, "results", outcomes.results, needed=kind in ("icons", "over-time"))
        schedules = self.refs(node, what, "schedules", outcomes.schedules, needed=kind == "timeline")
        if kind == "over-time":
            trials = {r.trial.id for r in results}
            if len(trials) != 1:
                raise _fail(self.path, node, f"{what}: an over-time figure shows one trial; these results come from {', '.join(sorted(trials))}", "results")
        weeks = self.count(node, what, "weeks", 1) if "weeks" in node else 12
        summary = self.text(node, what, "summary") if "summary" in node else ""
        return Figure(figure_id, kind, self.text(node, what, "title"), summary, tuple(results), tuple(schedules), weeks)

    def refs(self, node: Node, what: str, name: str, known: dict[str, Any], needed: bool) -> list[Any]:
        """A list of ids that must exist in ``known``."""
        value = node.get(name)
        if value is None:
            if needed:
                raise _fail(self.path, node, f"{what}: this kind of figure needs '{name}'")
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _fail(self.path, node, f"{what}: '{name}' must be a non-empty list of ids", name)
        unknown = [v for v in value if v not in known]
        if unknown:
            raise _fail(self.path, node, f"{what}: unknown {name[:-1]} id(s) {', '.join(unknown)}", name)
        return [known[v] for v in value]


def load_outcomes(path: Path, bib_keys: set[str]) -> Outcomes:
    """Read and validate the outcomes file; any problem raises DataError with file:line:col."""
    missing = "the outcomes data file is missing (figures and numbers are read from it)"
    try:
        data = load_yaml(path, missing=missing, loader=LineLoader)
    except UsageError as exc:
        raise DataError(str(exc).replace(str(path), shown(path), 1)) from None
    if not isinstance(data, Node):
        raise DataError(f"{shown(path)}:1:1: expected a mapping with 'trials', 'results', 'schedules' and 'figures'")
    reader = Reader(path, bib_keys)
    unknown = sorted(set(data) - {"trials", "results", "schedules", "figures"})
    if unknown:
        raise _fail(path, data, f"unknown top-level key(s) {', '.join(unknown)} (allowed: trials, results, schedules, figures)", unknown[0])
    out = Outcomes()
    raw_trials = reader.items(data, "trials")
    trials = [reader.trial(node, i) for i, node in enumerate(raw_trials, 1)]
    reader.unique(raw_trials, [item.id for item in trials], "trial")
    out.trials = {t.id: t for t in trials}
    raw_results = reader.items(data, "results")
    results = [reader.result(node, i, out.trials) for i, node in enumerate(raw_results, 1)]
    reader.unique(raw_results, [item.id for item in results], "result")
    out.results = {r.id: r for r in results}
    raw_schedules = reader.items(data, "schedules", required=False)
    schedules = [reader.schedule(node, i) for i, node in enumerate(raw_schedules, 1)]
    reader.unique(raw_schedules, [item.id for item in schedules], "schedule")
    out.schedules = {s.id: s for s in schedules}
    raw_figures = reader.items(data, "figures", required=False)
    figures = [reader.figure(node, i, out) for i, node in enumerate(raw_figures, 1)]
    reader.unique(raw_figures, [item.id for item in figures], "figure")
    out.figures = {f.id: f for f in figures}
    return out
