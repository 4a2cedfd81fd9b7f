"""What mkdocs-bibtex's parser (pybtex, strict mode) rejects or silently drops, at its line.

mkdocs-bibtex reads the bibliography with ``pybtex.database.parse_file`` in pybtex's default
strict mode: the first undefined ``@string`` macro, over-deep braces, unbalanced braces in a
quoted value, a repeated field or a syntax error stops the site build. pybtex itself is asked
(with its errors captured rather than raised, so every one is found, not only the first); a
``}`` that closes an entry before its last field is found by comparing where pybtex ends the
entry with the text that follows. Without pybtex installed this check is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Text between entries that still looks like a field: ``, year = 2000}`` after a stray '}'.
_LEFTOVER_FIELD = re.compile(r"\s*,?\s*([A-Za-z][\w:.+-]*)\s*=\s*\S")
_REPEATED_ENTRY = "repeated bibliography entry"
_REPEATED_FIELD = re.compile(r"entry with key \S+ has a duplicate \S+ field")


@dataclass(frozen=True)
class ParserProblem:
    """One thing pybtex rejects, at a 1-based line (0 when pybtex gives none), with the entry key if known.

    ``start`` is the line of the ``@`` that begins the command pybtex was reading (0 when unknown).
    """

    line: int
    message: str
    key: str | None = None
    start: int = 0


def pybtex_problems(text: str) -> list[ParserProblem] | None:
    """Every error pybtex reports on ``text`` and every entry it ends early; None without pybtex."""
    try:
        import pybtex.errors
        from pybtex.database.input import bibtex
    except ImportError:
        return None
    problems: list[ParserProblem] = []
    ends: list[tuple[str | None, int]] = []

    class _Probe(bibtex.Parser):
        """pybtex's Parser, remembering where each command ends."""

        def parse_string(self, text: str) -> Any:
            """pybtex's own loop, plus the end of every command."""
            self.unnamed_entry_counter = 1
            self.command_start = 0
            scanner = bibtex.LowLevelParser(
                text,
                keyless_entries=self.keyless_entries,
                handle_error=self.handle_error,
                want_entry=self.data.want_entry,
                filename=self.filename,
                macros=self.macros,
            )
            for command in scanner:
                kind = command[0].lower()
                ends.append((command[1][0] if kind not in ("string", "preamble") else None, scanner.pos))
                if kind == "preamble":
                    self.process_preamble(*command[1])
                elif kind != "string":
                    self.process_entry(command[0], *command[1])
            return self.data

    with pybtex.errors.capture() as captured:
        try:
            _Probe().parse_string(text)
        except Exception as exc:  # noqa: BLE001 - whatever stops pybtex stops the build
            captured.append(exc)
    for error in captured:
        message = str(error).strip()
        if message.startswith(_REPEATED_ENTRY) or _REPEATED_FIELD.match(message):
            continue  # reported as a duplicate key (REF013) or a repeated field (REF001)
        line = int(getattr(error, "lineno", 0) or 0)
        key = None
        if match := re.match(r"entry with key (\S+) has a duplicate", message):
            key = match.group(1)
        context = getattr(error, "error_context_info", None)
        start = text.count("\n", 0, context[0]) + 1 if context and isinstance(context[0], int) else 0
        problems.append(ParserProblem(line, _plain(message), key, start))
    problems += _ended_early(text, ends)
    return problems


@lru_cache(maxsize=4096)
def plain_style_verdict(entry_type: str, fields: frozenset[str]) -> tuple[str, tuple[str, ...]] | None:
    """What pybtex's plain style (mkdocs-bibtex without a csl_file) says of an entry of this type with these fields.

    ``("missing", fields)``: the fields it stops for, one FieldIsMissing after another;
    ``("type", ())``: it has no template for the type; None: it formats it (or pybtex is not installed).
    The verdict depends only on the type and which fields are present, so pybtex is asked once per shape.
    """
    try:
        from pybtex.database import Entry, Person
        from pybtex.style.formatting.plain import Style
        from pybtex.style.template import FieldIsMissing
    except ImportError:
        return None
    missing: list[str] = []
    for _ in range(12):
        have = fields | set(missing)
        people = {"author", "editor"} & have
        entry = Entry(entry_type, fields={name: "1" for name in have - people})
        for role in sorted(people):
            entry.add_person(Person("Doe, Jane"), role)
        try:
            Style().format_entry("", entry)
        except FieldIsMissing as exc:
            if exc.field_name in missing:
                break
            missing.append(exc.field_name)
            continue
        except AttributeError:
            return ("type", ())
        except Exception as exc:  # noqa: BLE001 - whatever stops the style stops the page
            return ("error", (str(exc),))
        break
    return ("missing", tuple(missing)) if missing else None


def _ended_early(text: str, ends: list[tuple[str | None, int]]) -> list[ParserProblem]:
    """Entries closed by a '}' before their last field: pybtex keeps the entry and drops the rest."""
    found = []
    for key, end in ends:
        if key is None:
            continue
        stop = text.find("@", end)
        if match := _LEFTOVER_FIELD.match(text, end, stop if stop != -1 else len(text)):
            line = text.count("\n", 0, end - 1) + 1
            found.append(
                ParserProblem(
                    line,
                    f"a '}}' here closes entry '{key}' early: BibTeX, biber, pybtex and pandoc all silently drop "
                    f"everything after it, starting with field '{match.group(1)}'; remove the extra '}}'",
                    key,
                    text.count("\n", 0, text.rfind("@", 0, end)) + 1,
                )
            )
    return found


def _plain(message: str) -> str:
    """pybtex's message with its ``syntax error in line N:`` prefix dropped (the line is in the finding)."""
    message = re.sub(r"^syntax error in line \d+:\s*", "", message)
    if match := re.match(r"undefined string in line \d+: (.+)$", message):
        name = match.group(1)
        return f"undefined @string macro '{name}': define it with @string{{{name} = {{...}}}} before its first use, or put the value in braces"
    if message == "too many nested braces":
        return "braces nested more than 100 deep (pybtex's limit); remove the extra braces"
    if message.endswith(" expected"):
        return f"pybtex (mkdocs-bibtex) stops here: {message} (look for a missing ',' between fields, a '%' comment inside the entry, or a stray character)"
    if message == "unbalanced braces":
        return "unbalanced braces in a quoted value (a stray '{' or '}'); balance them or use a braced value"
    return message
