"""Plain text from a guide page's Markdown, for measuring reading grade (Flesch-Kincaid).

Markup would distort the measure: URLs and citation keys count as long words, table cells and list
items without a full stop run together into one endless sentence. So, before measuring:

* front matter, HTML comments, raw HTML tags, code, abbreviation definitions and attribute lists
  are removed, and so are citations (``[@key]``) and footnote markers;
* links keep their text, emphasis markers go, admonition openers keep only their title;
* headings, list items, table cells and admonition titles count as sentences of their own (a full
  stop is added where they lack one); table separator rows are dropped.
"""

from __future__ import annotations

import re
from statistics import median

import textstat

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
CITATION = re.compile(r"\s*\[@[^\]]*\]")
FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
ATTR_LIST = re.compile(r"\{:?\s*[#.][^}]*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:.*$", re.MULTILINE)
ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"([^"]*)")?\s*$')
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")
EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
END = re.compile(r"[.!?:;]['\")\]]*$")


def _sentence(text: str) -> str:
    """The text with a full stop added when it does not already end a sentence."""
    text = text.strip()
    return text if not text or END.search(text) else text + "."


def plain_text(markdown: str) -> str:
    """The reader-visible prose of a Markdown page, one sentence-like unit per line."""
    text = FRONT_MATTER.sub("", markdown)
    text = FENCE.sub("", COMMENT.sub("", text))
    text = ABBREVIATION.sub("", text)
    lines: list[str] = []
    for raw in text.splitlines():
        admonition = ADMONITION.match(raw)
        if admonition:
            lines.append(_sentence(admonition.group(1) or ""))
            continue
        if TABLE_SEPARATOR.match(raw):
            continue
        line = INLINE_CODE.sub("", raw)
        line = CITATION.sub("", FOOTNOTE.sub("", line))
        line = IMAGE.sub(r"\1", line)
        line = REF_LINK.sub(r"\1", LINK.sub(r"\1", line))
        line = TAG.sub(" ", ATTR_LIST.sub("", line))
        line = EMPHASIS.sub(r"\2", line)
        if line.strip().startswith("|"):
            lines.extend(_sentence(cell) for cell in line.strip().strip("|").split("|"))
        elif HEADING.match(line) or LIST_MARKER.match(line):
            lines.append(_sentence(LIST_MARKER.sub("", HEADING.sub("", line))))
        else:
            lines.append(" ".join(line.split()))
    paragraphs = "\n".join(lines)
    # A blank line ends a paragraph: close a paragraph that has no final full stop.
    return "\n".join(_sentence(p.replace("\n", " ")) for p in re.split(r"\n\s*\n", paragraphs) if p.strip())


def grade(markdown: str) -> float:
    """Flesch-Kincaid grade of a page's prose."""
    return float(textstat.flesch_kincaid_grade(plain_text(markdown)))


def site_median(grades: dict[str, float]) -> float:
    """The median grade over the measured pages."""
    return float(median(grades.values()))
