"""pymdownx.snippets, as its preprocessor runs: ``--8<--`` files inlined, ``auto_append`` files added.

Every line of the result remembers where it came from (the page, or an included file and its
line), so a broken link inside an included file is reported at that file's line. The rules
follow ``pymdownx.snippets.SnippetPreprocessor.parse_snippets``: single-line and block markers,
``;`` escapes, line ranges (``file:3:9``), named sections (``file:name``), nesting without
loops, the marker line's indentation given to every included line, and URLs left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_sitecheck.links.resolve import kind_of
from mkdocs_sitecheck.project import shown_path

RE_ALL = re.compile(
    r"""^(?P<space>[ \t]*)(?P<escape>;*)(?P<all>(?P<inline_marker>-{1,}8<-{1,}[ \t]+)"""
    r"""(?P<snippet>(?:"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?'))(?![ \t])|(?P<block_marker>-{1,}8<-{1,})(?![ \t]))$"""
)
RE_BLOCK_LINE = re.compile(r"^(?P<space>[ \t]*)(?P<snippet>.*?)$")
RE_SECTION = re.compile(
    r"(?i)^(?P<pre>.*?)(?P<escape>;*)(?P<inline_marker>-{1,}8<-{1,}[ \t]+)"
    r"(?P<section>\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\])(?P<post>.*?)$"
)
RE_FILE = re.compile(r"(?i)(.*?)(?:((?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*)|(:[a-z][-_0-9a-z]*))?$")

Origin = tuple[str | None, int, int]  # (included file as reported, or None for the page; line; column shift)


@dataclass
class Missing:
    """A ``--8<--`` file that is in no base path: where the marker is (page line, or included file)."""

    name: str
    origin: Origin
    col: int


@dataclass
class Included:
    """A page after snippets ran: its lines, where each came from, and the markers that found nothing."""

    lines: list[str]
    origins: list[Origin]
    missing: list[Missing] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # reported paths of every file included
    appended: set[str] = field(default_factory=set)  # reported paths of auto_append files


class Snippets:
    """One site's snippet settings; expands pages (files are read once per run)."""

    def __init__(self, bases: list[Path], auto_append: list[str], report: PathNamer, tab_length: int = 4) -> None:
        self.bases = bases
        self.auto_append = auto_append
        self.report = report
        self.tab_length = tab_length
        self.cache: dict[Path, list[str] | None] = {}

    def find(self, name: str, extra_bases: tuple[Path, ...] = ()) -> Path | None:
        """``get_snippet_path``: the first base folder holding ``name``, or a base that is that file."""
        for base in (*self.bases, *extra_bases):
            if base.is_dir():
                candidate = base / name
                if candidate.is_file():
                    return candidate.resolve()
            elif base.is_file():
                candidate = base.parent / name
                if candidate.is_file() and candidate.resolve() == base.resolve():
                    return candidate.resolve()
        return None

    def read(self, path: Path) -> list[str] | None:
        """A snippet file's lines as snippets reads them (a final newline gives a last empty line)."""
        if path not in self.cache:
            try:
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                self.cache[path] = None
            else:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                lines = text.split("\n")
                self.cache[path] = lines
        return self.cache[path]

    def expand(self, text: str, page_dir: Path | None = None) -> Included:
        """The page with every snippet inlined and the auto_append files added at its end."""
        lines = text.split("\n")
        origins: list[Origin] = [(None, i + 1, 0) for i in range(len(lines))]
        if self.auto_append:
            block = ["", "", "-8<-", "\n\n".join(self.auto_append), "-8<-", ""]
            block = "\n".join(block).split("\n")
            lines = lines + block
            origins = origins + [(None, 0, 0)] * len(block)  # line 0: not a place in the page
        result = Included([], [])
        extra = (page_dir,) if page_dir is not None else ()
        first_added = len(text.split("\n")) if self.auto_append else -1
        self._parse(lines, origins, set(), False, result, extra, first_added)
        return result

    def _parse(
        self,
        lines: list[str],
        origins: list[Origin],
        seen: set[Path],
        is_section: bool,
        out: Included,
        extra: tuple[Path, ...],
        first_added: int = -1,
    ) -> None:
        """``parse_snippets``: copy lines to ``out``, inlining the files that markers name."""
        block = False
        for index, line in enumerate(lines):
            origin = origins[index]
            inline = False
            m = RE_ALL.match(line)
            if m:
                if m.group("escape"):
                    out.lines.append(line.replace(";", "", 1))
                    out.origins.append(origin)
                    continue
                if block and m.group("inline_marker"):
                    continue
                if m.group("inline_marker"):
                    inline = True
                else:
                    block = not block
                    continue
            elif not block:
                if not is_section:
                    m2 = RE_SECTION.match(line)
                    if m2 and m2.group("escape"):
                        line = m2.group("pre") + m2.group("escape").replace(";", "", 1) + m2.group("inline_marker") + m2.group("section") + m2.group("post")
                        m2 = None
                    if m2 is not None:
                        continue
                out.lines.append(line)
                out.origins.append(origin)
                continue
            if block and not inline:
                m = RE_BLOCK_LINE.match(line)
            if m is None:
                continue
            space = m.group("space").expandtabs(self.tab_length)
            raw = m.group("snippet")
            path = raw[1:-1].strip() if inline else raw.strip()
            if not inline and not path:
                out.lines.append("")
                out.origins.append(origin)
                continue
            if path.startswith(";"):
                continue
            fm = RE_FILE.match(path)
            name = "" if fm is None else fm.group(1).strip()
            if not name or kind_of(name) == "external":
                continue
            found = self.find(name, extra)
            col = line.find(name) + 1 if name in line else len(space) + 1
            is_appended = 0 <= first_added <= index
            if found is None:
                if not is_appended:  # a missing auto_append file is reported once, in mkdocs.yml
                    out.missing.append(Missing(name, origin, col))
                continue
            if found in seen:
                continue
            content = self.read(found)
            if content is None:
                continue
            reported = self.report(found)
            (out.appended if is_appended else out.files).add(reported)
            s_lines = list(content)
            s_origins: list[Origin] = [(reported, i + 1, len(space)) for i in range(len(s_lines))]
            section = None
            if fm is not None and fm.group(2):
                picked: list[int] = []
                total = len(s_lines)
                for nums in fm.group(2)[1:].split(","):
                    span = nums.split(":")
                    st = int(span[0]) if span[0] else None
                    start = st if st is None or st < 0 else max(0, st - 1)
                    en = int(span[1]) if len(span) > 1 and span[1] else None
                    if start is not None and start < 0:
                        start = min(max(total + start, 0), total)
                    if en is not None and en < 0:
                        en = min(max(total + 1 + en, 0), total)
                    picked.extend(range(total)[slice(start, en)])
                s_lines = [s_lines[i] for i in picked]
                s_origins = [s_origins[i] for i in picked]
            elif fm is not None and fm.group(3):
                section = fm.group(3)[1:]
                s_lines, s_origins = _section(section, s_lines, s_origins)
            if not s_lines:
                continue
            sub = Included([], [])
            self._parse(s_lines, s_origins, seen | {found}, section is not None, sub, extra)
            out.lines.extend(space + text for text in sub.lines)
            out.origins.extend(sub.origins)
            out.missing.extend(sub.missing)
            (out.appended if is_appended else out.files).update(sub.files | sub.appended)


def _section(name: str, lines: list[str], origins: list[Origin]) -> tuple[list[str], list[Origin]]:
    """``extract_section``: the lines between ``--8<-- [start:name]`` and ``[end:name]``."""
    kept: list[str] = []
    kept_origins: list[Origin] = []
    inside = False
    for line, origin in zip(lines, origins, strict=True):
        m = RE_SECTION.match(line)
        if m is not None and m.group("escape"):
            line = m.group("pre") + m.group("escape").replace(";", "", 1) + m.group("inline_marker") + m.group("section") + m.group("post")
            m = None
        if m is not None and m.group("name") == name:
            if m.group("type") == "start":
                inside = True
                continue
            if inside:
                break
            continue
        if m is not None:
            continue
        if inside:
            kept.append(line)
            kept_origins.append(origin)
    return kept, kept_origins


class PathNamer:
    """Turns an included file's absolute path into the path findings report (relative to the root)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, path: Path) -> str:
        """The reported path."""
        return shown_path(path, self.root)
