"""Turn each entry's outcome and acknowledgement into findings and the JSON ``entries`` item."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from mkdocs_sitecheck.bib import BibEntry
from mkdocs_sitecheck.codes import finding, policy_note, registry
from mkdocs_sitecheck.findings import Finding
from mkdocs_sitecheck.refs.model import FLAG_CODES, FLAG_PHRASES, Identifiers, Outcome, Status
from mkdocs_sitecheck.refs.offline import Acknowledgement


def is_acknowledged(outcome: Outcome, ack: Acknowledgement | None) -> bool:
    """Whether the entry's acknowledgement covers what was found (or nothing contradicts it yet)."""
    if ack is None:
        return False
    return outcome.status is ack.status or outcome.status in (Status.UNCHECKED, Status.INCOMPLETE)


def entry_findings(entry: BibEntry, outcome: Outcome, ack: Acknowledgement | None, path: str) -> list[Finding]:
    """The status flag (or its acknowledgement), stale acknowledgements, and the outcome's notes."""
    key, status, reason = entry.key, outcome.status, outcome.reason
    at = entry.line
    found: list[Finding] = []
    flag = FLAG_CODES.get(status)
    if flag and ack is not None and ack.status is status:
        message = f"'{key}' {FLAG_PHRASES[status]} ({reason}); acknowledged: {ack.reason}"
        found.append(finding(path, at, 1, "REF030", message))
    elif flag:
        marker = policy_note(flag) if registry()[flag].policy else ""
        found.append(finding(path, at, 1, flag, f"'{key}' {FLAG_PHRASES[status]}: {reason}{marker}"))
        if ack is not None:
            message = f"'{key}': verification says {ack.status.value} but the check found {status.value}; update the field to what is true now"
            found.append(finding(path, ack.line, 1, "REF031", message))
    elif status is Status.VERIFIED and ack is not None:
        message = f"'{key}' is verified now ({reason}); remove its verification field so the site stops showing it as 'Not verified ({ack.status.value})'"
        found.append(finding(path, ack.line, 1, "REF031", message))
    elif ack is not None:
        why = "not checked offline" if status is Status.UNCHECKED else "not checked this run"
        message = f"'{key}' is acknowledged as {ack.status.value} ({why}): {ack.reason}"
        found.append(finding(path, at, 1, "REF030", message))
    if status is Status.INCOMPLETE:
        found.append(finding(path, at, 1, "REF027", f"'{key}' {reason}"))
    for note in outcome.notes:
        found.append(finding(path, at, 1, note.code, f"'{key}': {note.message}"))
    return found


def entry_json(entry: BibEntry, found: Identifiers, outcome: Outcome, ack: Acknowledgement | None) -> dict[str, Any]:
    """One item of the JSON ``entries`` list."""
    return {
        "key": entry.key,
        "line": entry.line,
        "status": outcome.status.value,
        "acknowledged": is_acknowledged(outcome, ack),
        "acknowledgement": ack.as_dict() if ack else None,
        "reason": outcome.reason,
        "fields": [d.as_dict() for d in outcome.fields],
        "record": outcome.record.summary() if outcome.record else None,
        "source": outcome.source,
        "suggestion": outcome.suggestion,
        "identifiers": found.as_dict(),
        "type": entry.entry_type,
    }


def status_counts(outcomes: list[Outcome]) -> dict[str, int]:
    """How many entries have each status, in a fixed order, zeros left out."""
    counts = Counter(o.status for o in outcomes)
    return {s.value: counts[s] for s in Status if counts[s]}


def checked_line(path: str, mode: str, outcomes: list[Outcome], acknowledged: list[bool]) -> str:
    """The summary's '(…)' text: ``refs.bib, 46 entries offline: 11 unverifiable (10 acknowledged), 35 unchecked``."""
    counts = status_counts(outcomes)
    acked = Counter(o.status for o, a in zip(outcomes, acknowledged) if a and o.status in FLAG_CODES)
    parts = ", ".join(f"{n} {s}" + (f" ({acked[Status(s)]} acknowledged)" if acked[Status(s)] else "") for s, n in counts.items())
    total = len(outcomes)
    return f"{path}, {total} {'entry' if total == 1 else 'entries'} {mode}: {parts or 'nothing to check'}"


def codes_used(findings: list[Finding]) -> dict[str, str]:
    """The meaning of every REF code in the findings (for a self-explanatory JSON report)."""
    codes = registry()
    return {f.code: codes[f.code].summary for f in sorted(findings, key=lambda f: f.code) if f.code in codes}


_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029])[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe for one output line: line breaks become ``\\n``, other control characters ``\\xNN``.

    A value from the .bib file may hold a newline (one finding must stay one line), a NUL or a
    terminal escape sequence (which must not reach the terminal raw).
    """
    text = _LINE_BREAKS.sub(lambda m: "\\n", text).replace("\t", " ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def printable_findings(findings: list[Finding]) -> list[Finding]:
    """Every finding with its message and suggestion made :func:`printable`."""
    return [dataclasses.replace(f, message=printable(f.message), suggestion=printable(f.suggestion) if f.suggestion else f.suggestion) for f in findings]
