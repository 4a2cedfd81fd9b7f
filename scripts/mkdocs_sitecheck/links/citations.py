"""Citation keys as mkdocs-bibtex 4.4 finds them, checked against refs.bib.

mkdocs-bibtex looks at the raw Markdown of a page, code included: every ``[...]`` on one line
is split on ``;``, parts that start like an e-mail address are dropped, and each remaining part
that matches ``prefix @key, suffix`` cites ``key`` (``[\\w-]+``). We use the same grammar
(our own copy, not its internals) so that we agree on what is a citation, but we do not count
citations in code: there mkdocs-bibtex rewrites the text, which is reported as CIT005 instead.

Keys are matched exactly; pybtex looks keys up case-insensitively, so a key that differs only in
case still renders, and is a warning (CIT004) so the text stays consistent with refs.bib.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mkdocs_sitecheck.bib import CITABLE_KEY
from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding
from mkdocs_sitecheck.suggest import closest

CITATION_BLOCK = re.compile(r"\[(.*?)\]")
CITATION = re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>[\w-]+)(?:,\s*(?P<suffix>[^;]+))?")
EMAIL = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")
_KEY_TAIL = re.compile(r"[^\s,;\]\[]+")
GROUP_MARKER = re.compile(r"^<!--\s*bibliography:\s*(?P<keyword>[\w-]+)\s*-->\s*$", re.MULTILINE)


class Citation(NamedTuple):
    """One ``@key`` in a citation block: the key mkdocs-bibtex reads and what was written."""

    key: str
    offset: int  # of the '@' within the block's text
    written: str  # the key as written, up to a space, ',', ';' or ']'


class Cite(NamedTuple):
    """A citation found on a page, with its place and whether it sits in code."""

    key: str
    written: str
    line: int
    col: int
    in_code: bool


def parse_block(text: str) -> list[Citation]:
    """The citations mkdocs-bibtex reads in the text between ``[`` and ``]``."""
    citations = []
    offset = 0
    for part in text.split(";"):
        start = offset
        offset += len(part) + 1
        if EMAIL.match(part):
            continue
        m = CITATION.match(part)
        if m:
            at = m.start("key") - 1
            tail = _KEY_TAIL.match(part, m.start("key"))
            written = tail.group(0) if tail else m.group("key")
            citations.append(Citation(m.group("key"), start + at, written))
    return citations


def find_citations(
    lines: list[str],
    skip_lines: set[int],
    code_lines: set[int],
    code_spans: dict[int, list[tuple[int, int]]],
) -> list[Cite]:
    """Every citation on a page's lines (1-based), marked when it sits in a code block or span."""
    found = []
    for index, text in enumerate(lines):
        if "@" not in text or "[" not in text:
            continue
        line = index + 1
        if line in skip_lines:
            continue
        for block in CITATION_BLOCK.finditer(text):
            citations = parse_block(block.group(1))
            if not citations:
                continue
            in_code = line in code_lines or any(lo <= block.start() < hi for lo, hi in code_spans.get(line, ()))
            for c in citations:
                found.append(Cite(c.key, c.written, line, block.start(1) + c.offset + 1, in_code))
    return found


def check_citation(cite: Cite, path: str, keys: set[str], folded: dict[str, str]) -> Finding | None:
    """CIT001/CIT002/CIT004 for one citation outside code, or None when refs.bib has the key."""
    if cite.written != cite.key:
        bad = cite.written[len(cite.key)]
        near = closest(cite.written, (k for k in keys if CITABLE_KEY.match(k)))
        return finding(
            path,
            cite.line,
            cite.col,
            "CIT002",
            f"citation key '@{cite.written}' contains '{bad}', which mkdocs-bibtex cannot parse: "
            f"it reads '@{cite.key}' (keys may hold only letters, digits, '_' and '-')",
            f"@{near}" if near else None,
        )
    if cite.key in keys:
        return None
    if cite.key.lower() in folded:
        actual = folded[cite.key.lower()]
        return finding(
            path,
            cite.line,
            cite.col,
            "CIT004",
            f"citation key '@{cite.key}' differs in case from the refs.bib entry '{actual}'",
            f"@{actual}",
        )
    near = closest(cite.key, keys)
    return finding(
        path,
        cite.line,
        cite.col,
        "CIT001",
        f"citation key '@{cite.key}' is not in the bibliography; mkdocs-bibtex drops it from the page",
        f"@{near}" if near else None,
    )


def code_citation(cite: Cite, path: str) -> Finding:
    """CIT005: a citation-like block in code, which mkdocs-bibtex rewrites anyway."""
    return finding(
        path,
        cite.line,
        cite.col,
        "CIT005",
        f"'@{cite.key}' in code looks like a citation: mkdocs-bibtex rewrites it there too (write it without the '@' or outside brackets)",
    )
