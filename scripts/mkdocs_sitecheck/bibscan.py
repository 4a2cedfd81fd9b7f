"""A streaming BibTeX tokenizer that reads braces, quotes, ``#`` and ``@string`` as BibTeX and pybtex do.

BibTeX counts every ``{`` and ``}`` (a backslash does not escape a brace: ``\\{x\\}`` is a
balanced group), ends a quoted value at a ``"`` outside braces, joins parts with ``#`` and
expands ``@string`` macros and the month abbreviations. Text between entries is ignored; so
are ``@comment`` and ``@preamble``. A broken entry is reported with its line and reason, and
reading resumes at the next line that starts with ``@``: one bad entry never hides the rest.

One pass over the text, cost linear in its length (no backtracking regular expressions).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

# BibTeX's (plain.bst's) month macros; a value that uses one keeps it readable for the checks.
MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip
_AT = re.compile(r"@[ \t\r\n]*([A-Za-z][^\s{}()\"#%',=@]*)[ \t\r\n]*([{(])?")
_LINE_AT = re.compile(r"\n[ \t]*@")
_SPACE = re.compile(r"(?:\s|%[^\n]*)*")  # whitespace, and % comments inside an entry (pybtex, biber)
_NAME = re.compile(r"[^\s{}()\"#%',=@]+")
# The common case in one step: ``, name = {plain}`` / ``"plain"`` / ``2000`` up to the next ',' or closing brace.
_FAST_FIELD = re.compile(
    r"[ \t\r\n]*,[ \t\r\n]*([^\s{}()\"#%',=@]+)[ \t\r\n]*=[ \t\r\n]*"
    r"(?:\{([^{}]*)\}|\"([^\"{}]*)\"|([0-9]+))[ \t\r\n]*(?=[,})])"
)
_BARE_PERCENT = re.compile(r"(?<!\\)%")
# Fields pandoc reads verbatim (a '%' in braces is kept there), and fields no citation style prints
# (a braced value cut short there changes nothing on the page).
_VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc"})
_UNPRINTED = frozenset({"annote", "annotation", "abstract", "keywords", "comment", "review", "verification", "mendeley-tags"})
_FIELD_START = re.compile(r"[^\s{}()\"#%',=@]+\s*=")
_KEY = {"{": re.compile(r"[^\s,}]*"), "(": re.compile(r"[^\s,)]*")}
_NUMBER = re.compile(r"[0-9]+")
_BRACE = re.compile(r"[{}]|\n[ \t]*@[A-Za-z]+[ \t]*[{(]")  # a brace, or a new entry (the value ran on)
_QUOTED = re.compile(r"[{}\"]|\n[ \t]*@[A-Za-z]+[ \t]*[{(]")


@dataclass
class RawEntry:
    """One entry as read: type (lower case), key, 1-based line, fields in order with their lines.

    ``raw`` holds the source text of a value that was not one braced or quoted string (``"1~" # jun``).
    ``problems`` are (line, code, reason) of what was read past: a repeated field (REF001), a
    missing comma between two fields (REF004; the fields after it are still read).
    """

    entry_type: str
    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] | None = None
    problems: list[tuple[int, str, str]] | None = None
    repeats: dict[str, tuple[int, int]] | None = None  # a repeated field: (index in problems, times given)


@dataclass
class Failure:
    """A block that could not be read: 1-based line of its ``@`` and a one-line reason."""

    line: int
    reason: str


class ScanError(Exception):
    """The entry being read is broken at ``pos``."""

    def __init__(self, reason: str, pos: int, *, here: bool = True) -> None:
        super().__init__(reason)
        self.reason, self.pos, self.here = reason, pos, here


class Scanner:
    """Read a .bib text entry by entry (``entries()`` yields RawEntry and Failure in file order)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.macros: dict[str, str] = dict(MONTH_MACROS)
        self._line_pos = 0
        self._line = 1

    def line_at(self, pos: int) -> int:
        """The 1-based line of ``pos``, counted from the last position asked (so reading stays linear)."""
        if pos < self._line_pos:
            self._line -= self.text.count("\n", pos, self._line_pos)
        else:
            self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def entries(self) -> Iterator[RawEntry | Failure]:
        """Every entry and every failure, in file order."""
        text, pos = self.text, 0
        while (at := text.find("@", pos)) != -1:
            match = _AT.match(text, at)
            if not match or not match.group(2):
                pos = at + 1  # an @ in text between entries (an e-mail address): BibTeX ignores it too
                continue
            kind, opener = match.group(1).lower(), match.group(2)
            line = self.line_at(at)
            try:
                if kind == "comment":
                    pos = self._skip_group(match.end(), opener)
                    continue
                if kind == "preamble":
                    pos = self._skip_group(match.end(), opener)
                    continue
                if kind == "string":
                    pos = self._string(match.end(), opener)
                    continue
                entry, pos = self._entry(kind, line, match.end(), opener)
            except ScanError as error:
                yield Failure(self.line_at(error.pos) if error.here else line, error.reason)
                pos = self._resync(at, error.pos)
                continue
            yield entry

    def _resync(self, start: int, failed_at: int) -> int:
        """Where reading resumes after a broken entry: the next line that starts with '@'."""
        nxt = _LINE_AT.search(self.text, start + 1)
        return nxt.end() - 1 if nxt else len(self.text)

    def _closer(self, opener: str) -> str:
        """``}`` for ``{``, ``)`` for ``(``."""
        return "}" if opener == "{" else ")"

    def _skip_group(self, pos: int, opener: str) -> int:
        """Skip a ``@comment{...}`` or ``@preamble{...}`` body (braces balanced)."""
        if opener == "{":
            return self._braced(pos)[1]
        end = self.text.find(")", pos)
        if end == -1:
            raise ScanError("the closing ')' is missing", len(self.text), here=False)
        return end + 1

    def _space(self, pos: int) -> int:
        """Skip whitespace and ``%`` comments."""
        return _SPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def _string(self, pos: int, opener: str) -> int:
        """``@string{name = value}``: define a macro."""
        pos = self._space(pos)
        name = _NAME.match(self.text, pos)
        if not name:
            raise ScanError("@string needs a name = value", pos)
        pos = self._space(name.end())
        if self.text.startswith("=", pos):
            value, _, pos = self._value(self._space(pos + 1))
            self.macros[name.group().lower()] = value
        pos = self._space(pos)
        if not self.text.startswith(self._closer(opener), pos):
            raise ScanError(f"@string {name.group()}: expected '{self._closer(opener)}'", pos)
        return pos + 1

    def _entry(self, kind: str, line: int, pos: int, opener: str) -> tuple[RawEntry, int]:
        """An entry: key, then ``name = value`` fields separated by commas, then its closing brace."""
        text, closer = self.text, self._closer(opener)
        pos = self._space(pos)
        key_match = _KEY[opener].match(text, pos)
        key = key_match.group() if key_match else ""
        pos = self._space(key_match.end() if key_match else pos)
        entry = RawEntry(sys.intern(kind), key, line)
        if text.startswith(closer, pos):
            return entry, pos + 1
        if not text.startswith(",", pos):
            found = text[pos : pos + 1] or "the end of the file"
            raise ScanError(f"expected ',' after the entry key '{key}', but found {found}", pos)
        while True:
            while fast := _FAST_FIELD.match(text, pos):  # ", name = {plain}" without nested braces
                value = fast.group(fast.lastindex or 2)
                name, field_line = sys.intern(fast.group(1).lower()), self.line_at(fast.start(1))
                if "%" in value:
                    self._percent(entry, name, field_line, value, quoted=fast.lastindex == 3)
                self._add(entry, name, value, None, field_line)
                pos = fast.end()
            pos = self._space(pos)
            if text.startswith(closer, pos):
                return entry, pos + 1
            if text.startswith(",", pos):
                pos = self._space(pos + 1)
                if text.startswith(closer, pos):
                    return entry, pos + 1
            pos = self._field(entry, pos, closer)

    def _field(self, entry: RawEntry, pos: int, closer: str) -> int:
        """One ``name = value`` field read the long way (nested braces, ``#``, macros, comments); the position after it."""
        text = self.text
        name_match = _NAME.match(text, pos)
        if not name_match:
            if pos >= len(text) or text.startswith("@", pos):
                raise ScanError(f"the entry's closing '{closer}' is missing", pos, here=False)
            raise ScanError(f"expected a field name or the entry's closing '{closer}', found '{text[pos]}'", pos)
        name = sys.intern(name_match.group().lower())
        field_line = self.line_at(pos)
        pos = self._space(name_match.end())
        if not text.startswith("=", pos):
            raise ScanError(f"field '{name}': expected '=' after the field name", pos)
        start = self._space(pos + 1)
        value, raw, pos = self._value(start)
        if "%" in value:
            self._percent(entry, name, field_line, value, quoted=self.text.startswith('"', start) or '"' in (raw or ""))
        self._add(entry, name, value, raw, field_line)
        after = self._space(pos)
        if text.startswith(",", after) or text.startswith(closer, after):
            return pos
        if _FIELD_START.match(text, after):
            problem = (field_line, "REF004", f"{name} is followed by another field without a comma; add the missing comma")
            entry.problems = [*(entry.problems or []), problem]
            return after
        if after >= len(text) or text.startswith("@", after):
            raise ScanError(f"the entry's closing '{closer}' is missing", after, here=False)
        raise ScanError(f"a ',' between fields or the entry's closing '{closer}' is missing after field '{name}'", after)

    def _percent(self, entry: RawEntry, name: str, line: int, value: str, *, quoted: bool) -> None:
        """A '%' that pandoc reads as a comment (REF035): BibTeX, biber and pybtex keep it as text."""
        if not _BARE_PERCENT.search(value) or (not quoted and (name in _VERBATIM or name in _UNPRINTED)):
            return
        if quoted:
            why = (
                f"{name} has a '%' in a quoted value: pandoc reads it as a comment, loses the closing quote and fails "
                "or drops the entries after it; write \\% (or put a URL in braces)"
            )
        else:
            why = f"{name} has a '%': pandoc reads it as a comment and cuts the value there; write \\%"
        entry.problems = [*(entry.problems or []), (line, "REF035", why)]

    def _add(self, entry: RawEntry, name: str, value: str, raw: str | None, line: int) -> None:
        """Keep the first value of a field, as BibTeX does; a repeat is a problem."""
        if name in entry.fields:
            _repeated(entry, name, line)
            return
        entry.fields[name] = value
        entry.field_lines[name] = line
        if raw is not None:
            if entry.raw is None:
                entry.raw = {}
            entry.raw[name] = raw

    def _value(self, pos: int) -> tuple[str, str | None, int]:
        """A value: parts joined by ``#``. Returns the value, its raw text when it is not one string, and the end."""
        start, parts, plain = pos, [], True
        while True:
            part, pos, literal = self._part(pos)
            parts.append(part)
            plain = plain and literal
            after = self._space(pos)
            if not self.text.startswith("#", after):
                break
            plain = False
            pos = self._space(after + 1)
        if plain:
            return parts[0], None, pos
        return "".join(parts), self.text[start:pos], pos

    def _part(self, pos: int) -> tuple[str, int, bool]:
        """One value part: ``{braced}``, ``"quoted"``, a number or a macro name; and whether it is literal (no macro)."""
        text = self.text
        char = text[pos : pos + 1]
        if char == "{":
            end = self._braced(pos + 1)[1]
            return text[pos + 1 : end - 1], end, True
        if char == '"':
            end = self._quoted(pos + 1)
            return text[pos + 1 : end - 1], end, True
        if number := _NUMBER.match(text, pos):
            return number.group(), number.end(), True
        if name := _NAME.match(text, pos):
            macro = name.group()
            return self.macros.get(macro.lower(), macro), name.end(), False
        found = char or "the end of the file"
        raise ScanError(f'expected a value ({{...}}, "...", a number or a @string name), found {found}', pos)

    def _braced(self, pos: int) -> tuple[int, int]:
        """From just after a '{': (depth 0, the position after its matching '}')."""
        depth = 1
        for match in _BRACE.finditer(self.text, pos):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return 0, match.end()
            else:
                raise ScanError("a field value's closing '}' is missing (the next entry starts inside it)", match.start(), here=False)
        raise ScanError("a field value's closing '}' is missing", len(self.text), here=False)

    def _quoted(self, pos: int) -> int:
        """From just after a '"': the position after the closing '"' (a '"' inside braces is text)."""
        depth = 0
        for match in _QUOTED.finditer(self.text, pos):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    raise ScanError("unbalanced braces in a quoted value (a '}' without its '{')", match.start())
            elif char == '"':
                if depth == 0:
                    return match.end()
            else:
                raise ScanError("a field value's closing '\"' is missing (the next entry starts inside it)", match.start(), here=False)
        raise ScanError("a field value's closing '\"' is missing", len(self.text), here=False)


def _repeated(entry: RawEntry, name: str, line: int) -> None:
    """A field given again: one REF001 per field name, at its first repeat, saying how often it is given.

    pybtex's strict parser (mkdocs-bibtex) raises DuplicateField; BibTeX keeps the first value (and warns
    only when its style reads the field), biber and pandoc keep the last, silently.
    """
    problems = entry.problems = entry.problems or []
    repeats = entry.repeats = entry.repeats or {}
    index, times = repeats.get(name, (len(problems), 1))
    count = "twice" if times + 1 == 2 else f"{times + 1} times"
    message = f"field '{name}' appears {count}: pybtex stops on it (DuplicateField), BibTeX keeps the first value, biber and pandoc the last; keep one"
    if index == len(problems):
        problems.append((line, "REF001", message))
    else:
        problems[index] = (problems[index][0], "REF001", message)
    repeats[name] = (index, times + 1)
