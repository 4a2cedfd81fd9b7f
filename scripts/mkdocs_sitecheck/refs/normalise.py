"""Normalise titles, names, pages, journals and years so a .bib entry and a registry record compare fairly."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass

# --- LaTeX and HTML to plain text -------------------------------------------------------------

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331", "t": "\u0361",
}  # fmt: skip
_LETTERS = {
    "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø",
    "l": "ł", "L": "Ł", "i": "i", "j": "j",
}  # fmt: skip
_BASE = r"(?:\\[ij](?![A-Za-z])\s*|[A-Za-z])"  # a dotless i/j control word eats the space after it
_SYMBOL_ACCENT = re.compile(r"\\([`'^\"~=.])\s*(?:\{\s*(" + _BASE + r")\s*\}|(" + _BASE + r"))")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdbt])(?:\s*\{\s*(" + _BASE + r")\s*\}|\s+(" + _BASE + r"))")
_SPECIAL_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s*")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_PROTECT = {char: chr(0xE000 + i) for i, char in enumerate("&%$#_{}")}  # private-use stand-ins
_RESTORE = {ord(stand_in): char for char, stand_in in _PROTECT.items()}
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?(\s*)")
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")


def latex_to_text(text: str) -> str:
    """Turn BibTeX/LaTeX markup into plain Unicode: accents, special letters, escapes, braces, dashes."""
    text = _SYMBOL_ACCENT.sub(lambda m: _accent(m.group(1), m.group(2) or m.group(3)), text)
    text = _LETTER_ACCENT.sub(lambda m: _accent(m.group(1), m.group(2) or m.group(3)), text)
    text = _SPECIAL_LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _ESCAPED.sub(lambda m: _PROTECT[m.group(1)], text)  # keep \$ \{ \} through the next steps
    text = _COMMAND.sub(_command, text)
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ").replace("$", "")
    text = text.replace("{", "").replace("}", "").translate(_RESTORE)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _command(match: re.Match[str]) -> str:
    """``\\alpha`` -> ``alpha``; any other command name goes (``\\emph{x}`` -> ``{x}``)."""
    name, space = match.group(1), match.group(2)
    return name + (" " if space else "") if name in _GREEK else ""


def _accent(mark: str, letter: str) -> str:
    """A letter with a combining accent (``\\'e`` -> é; ``\\'\\i`` -> í)."""
    letter = letter.strip()
    base = letter[1:] if letter.startswith("\\") else letter
    return unicodedata.normalize("NFC", base + _ACCENTS[mark])


def html_to_text(text: str) -> str:
    """Strip HTML and MathML tags (keeping their text) and decode entities."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
}  # fmt: skip
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}
    | {"&": " and "}
    | {char: f" {name} " for name, char in _GREEK.items()}
    | {"ς": " sigma ", "µ": " mu "}
)


def fold(text: str) -> str:
    """Case-fold and strip accents: ``Ærø`` -> ``aero``; Greek letters become their names."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_FOLD)


def plain(text: str) -> str:
    """Markup-free text: LaTeX and HTML removed."""
    return html_to_text(latex_to_text(text))


def norm_text(text: str) -> str:
    """Compare form: plain, folded, punctuation as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(plain(text))).split())


# --- Titles -------------------------------------------------------------------------------------

_SUBTITLE = re.compile(r"\s*(?::|\.\s|\?\s|!\s|\s[-\u2013\u2014]\s)\s*")


def main_title(title: str) -> str:
    """The title before its subtitle (split at ``:``, ``. ``, ``? ``, ``! `` or a spaced dash)."""
    return _SUBTITLE.split(plain(title), maxsplit=1)[0]


SAME, SUBTITLE, CLOSE, DIFFERENT = "same", "subtitle", "close", "different"


def compare_titles(entry_title: str, record_titles: list[str]) -> tuple[str, str]:
    """How an entry's title compares with a record's titles, and the closest one.

    ``same`` after normalising; ``subtitle`` when one lacks the other's subtitle; ``close`` for
    small differences (≥ 0.9 similar, or the same main title with another subtitle); else ``different``.
    """
    entry_full, entry_main = norm_text(entry_title), norm_text(main_title(entry_title))
    ranked: list[tuple[int, float, str, str]] = []
    for candidate in record_titles:
        full, main = norm_text(candidate), norm_text(main_title(candidate))
        if entry_full == full:
            return SAME, candidate
        if entry_full == main or full == entry_main:
            ranked.append((3, 1.0, SUBTITLE, candidate))
            continue
        ratio = difflib.SequenceMatcher(None, entry_full, full).ratio()
        close = ratio >= 0.9 or (entry_main == main and len(main.split()) >= 3)
        ranked.append((2, ratio, CLOSE, candidate) if close else (1, ratio, DIFFERENT, candidate))
    if not ranked:
        return DIFFERENT, ""
    _, _, verdict, best = max(ranked, key=lambda r: (r[0], r[1]))
    return verdict, best


def title_similarity(entry_title: str, record_titles: list[str]) -> float:
    """0..1: how alike the entry's title is to the closest record title (for ranking candidates)."""
    entry_full = norm_text(entry_title)
    return max((difflib.SequenceMatcher(None, entry_full, norm_text(t)).ratio() for t in record_titles), default=0.0)


# --- Names ----------------------------------------------------------------------------------------

SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "2nd", "3rd"}
PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "la", "le", "ter", "ten",
    "al", "el", "dos", "das", "do", "st", "bin", "ibn", "zu", "y", "e", "af", "av",
}  # fmt: skip
OTHERS = {"others", "et al", "et al."}


@dataclass(frozen=True)
class Name:
    """A parsed author: surname (with particles) and whether it is an organisation or ``others``."""

    last: str
    corporate: bool = False
    others: bool = False


def split_top(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split at a separator that is outside braces."""
    parts, depth, start = [], 0, 0
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = separator.match(text, pos)
            if match and match.end() > pos:
                parts.append(text[start:pos])
                start = pos = match.end()
                continue
        pos += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r",")
_SPACE = re.compile(r"\s+")


def split_authors(field_value: str) -> list[Name]:
    """Parse a BibTeX ``author`` field: ``Last, First and First von Last and {Org} and others``."""
    if not field_value.strip():
        return []
    return [parse_name(name) for name in split_top(" ".join(field_value.split()), _AND) if name]


def parse_name(name: str) -> Name:
    """One BibTeX name: ``von Last, Jr, First``, ``von Last, First`` or ``First von Last``."""
    if name.strip().lower() in OTHERS:
        return Name("", others=True)
    stripped = name.strip()
    if stripped.startswith("{") and stripped.endswith("}") and split_top(stripped[1:-1], _COMMA) == [stripped[1:-1]]:
        return Name(latex_to_text(stripped[1:-1]), corporate=True)
    parts = split_top(stripped, _COMMA)
    if len(parts) > 1:
        return Name(latex_to_text(parts[0]))
    words = [w for w in split_top(stripped, _SPACE) if w]
    while len(words) > 1 and _bare(words[-1]) in SUFFIXES:
        words.pop()
    if len(words) == 1:
        return Name(latex_to_text(words[0]))
    von = next((i for i, w in enumerate(words[:-1]) if w[:1].islower()), None)
    last = words[von:] if von is not None else words[-1:]
    return Name(latex_to_text(" ".join(last)))


def _bare(word: str) -> str:
    """A word without braces and dots, lower-cased (``Jr.`` -> ``jr``)."""
    return word.strip("{}").rstrip(".").lower()


def pubmed_surname(name: str) -> str:
    """The surname in a MEDLINE author name: ``Zarate CA Jr`` -> ``Zarate``; ``van der Berg J`` -> ``van der Berg``."""
    words = name.split()
    while len(words) > 1 and _bare(words[-1]) in SUFFIXES:
        words.pop()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}", words[-1]):
        words.pop()
    return " ".join(words)


def surname_tokens(last: str) -> tuple[str, ...]:
    """Folded surname words without particles (``van der Berg`` -> ``('berg',)``; ``Al-Jurdi`` -> ``('jurdi',)``)."""
    words = [w for w in re.split(r"[\W_\d]+", fold(latex_to_text(last))) if w]
    core = tuple(w for w in words if w not in PARTICLES)
    return core or tuple(words)


def surnames_match(a: str, b: str) -> bool:
    """Whether two surnames name the same person's family name (particles, accents, hyphens aside)."""
    ta, tb = surname_tokens(a), surname_tokens(b)
    if not ta or not tb:
        return False
    return "".join(ta) == "".join(tb) or set(ta) <= set(tb) or set(tb) <= set(ta)


# --- Pages, years, journals ---------------------------------------------------------------------

_DASH = r"(?:-{1,3}|[\u2010-\u2015])"
_PAGE = r"([A-Za-z]*)(\d+)([A-Za-z]*)"
_RANGE = re.compile(rf"^\s*{_PAGE}\s*{_DASH}\s*{_PAGE}\s*$")
_SINGLE = re.compile(rf"^\s*{_PAGE}\s*$")
_ROMAN = re.compile(r"^\s*[ivxlcdm]+(?:\s*" + _DASH + r"\s*[ivxlcdm]+)?\s*$", re.IGNORECASE)
# One page or article number as journals print them: 351, e0123456, S12, 04DH06, 72310W,
# 155:1 (ACM's article:page), C3-27 (section-page), 73+ (and following), xii+340.
_TOKEN = re.compile(r"^(?:[ivxlcdm]+(?:_[ivxlcdm]+)*|[\w.:/]*\d[\w.:/]*|[A-Za-z]+-\d+|[A-Za-z]*\d+-[\w]+)(?:\+(?:[\w.:/]*\d[\w.:/]*)?)?$", re.IGNORECASE)
_ROMAN_TOKEN = re.compile(r"^[ivxlcdm]+(?:\+\d+)?$", re.IGNORECASE)
_WIDE_DASH = re.compile(r"\s*(?:-{2,3}|[\u2010-\u2015])\s*")
_TAIL_NUMBER = re.compile(r"^(.*?)(\d+)$")


def expand_last_page(first: str, last: str) -> str:
    """MEDLINE writes ``351-4`` for 351–354: restore the dropped leading digits."""
    return first[: len(first) - len(last)] + last if len(last) < len(first) else last


def _page_range(part: str) -> tuple[str, str] | None:
    """``(first, last)`` of a range written with ``--``, an en dash, or one ``-`` between page tokens."""
    pieces = _WIDE_DASH.split(part)
    if len(pieces) == 2:
        return pieces[0].strip(), pieces[1].strip()
    if len(pieces) == 1 and part.count("-") == 1:
        first, last = (p.strip() for p in part.split("-"))
        if _TOKEN.match(first) and _TOKEN.match(last) and not _TOKEN.match(part.replace(" ", "")):
            return first, last
        if all(re.fullmatch(r"[A-Za-z]*\d+|[ivxlcdm]+", t, re.IGNORECASE) for t in (first, last)):
            return first, last
    return None


# biblatex's \psq/\psqq ("and the following pages") and the printed f./ff.
_FOLLOWING = re.compile(r"\s*(?:\\psqq?|ff?\.)\s*$")


def page_problem(pages: str) -> str | None:
    """Why a ``pages`` value is not pages, article numbers or ascending ranges; None when it is fine."""
    for part in re.split(r"\s*[,;]\s*", pages.replace("~", " ").strip()):
        part = _FOLLOWING.sub("", part.strip())
        part = re.sub(r"\{([^{}]*)\}", lambda m: m.group(1).replace("-", "_"), part)  # {I-II}: a protected hyphen
        part = re.sub(r"(?<=\w)\([A-Za-z]{1,3}\)$", "", part)  # C6(L): a newspaper edition letter
        if re.fullmatch(r"[\w.:/]*\d[\w.:/]*\s*(?:-{1,3}|\u2013)", part):
            continue  # an open-ended range, 123-- (biblatex)
        if not part or _ROMAN.match(part) or _SINGLE.match(part) or _TOKEN.match(part):
            continue
        span = _page_range(part)
        if span is None or not all(_TOKEN.match(t) for t in span):
            return f"'{part}' is not a page, an article number or a range like 12--19"
        if problem := _range_problem(part, *span):
            return problem
    return None


def _range_problem(part: str, first: str, last: str) -> str | None:
    """A range whose numbers run backwards, or whose letter prefixes differ (S12--T19)."""
    a, b = _TAIL_NUMBER.match(first), _TAIL_NUMBER.match(last)
    if not a or not b or _ROMAN_TOKEN.match(first) or _ROMAN_TOKEN.match(last):
        return None
    prefix1, prefix2 = a.group(1), b.group(1)
    if prefix1.isalpha() and prefix2.isalpha() and prefix1.lower() != prefix2.lower():
        return f"'{part}' starts and ends with different prefixes"
    same_prefix = prefix1.lower() == prefix2.lower() or not prefix2
    if same_prefix and int(expand_last_page(a.group(2), b.group(2))) < int(a.group(2)):
        return f"'{part}' ends before it starts"
    return None


def first_page(pages: str) -> str:
    """The first page of a ``pages`` value, folded (``S12--S19`` -> ``s12``); '' when there is none."""
    part = re.split(r"\s*[,;]\s*", pages.strip())[0] if pages.strip() else ""
    match = _RANGE.match(part) or _SINGLE.match(part)
    if match:
        return "".join(match.groups()[:3]).lower()
    span = _page_range(part)
    if span:
        return span[0].lower()
    return re.split(_DASH, part)[0].strip().lower()


def year_of(text: str) -> int | None:
    """The four-digit year in a ``year`` or ``date`` value, or None."""
    match = re.fullmatch(r"\s*(\d{4})(?:-\d{2}(?:-\d{2})?)?\s*", text)
    return int(match.group(1)) if match else None


# biblatex's date field (ISO 8601-2 / EDTF level 1): a date or a range, open ends, approximate
# (~), uncertain (?), both (%), unspecified digits (19XX), BCE (-0044), times and seasons.
# Older EDTF drafts (which Zotero's Better BibLaTeX and biber's tests still use) wrote u for X,
# ?~ for %, y-prefixed long years, and 'unknown'/'open' range ends.
_EDTF_PART = r"(?:\d{2}|XX|uu)"
_EDTF_QUALIFIER = r"(?:[~?%]|\?~|~\?)?"
_EDTF_TIME = r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_EDTF_DATE = rf"{_EDTF_QUALIFIER}[+-]?\d{{4}}(?:-{_EDTF_PART}(?:-{_EDTF_PART})?)?{_EDTF_QUALIFIER}{_EDTF_TIME}"
_EDTF_UNSPECIFIED = r"\d{2}(?:XX|uu)|\d{3}[Xu]"  # 19XX; 199u is the older EDTF draft's form
_EDTF_LONG_YEAR = r"[Yy]-?\d{5,}"
_EDTF_ONE = rf"(?:{_EDTF_DATE}|{_EDTF_UNSPECIFIED}|{_EDTF_LONG_YEAR})"
_EDTF_END = rf"(?:{_EDTF_ONE}|\.\.|unknown|open)"
_BIBLATEX_DATE = re.compile(rf"^(?:{_EDTF_ONE}(?:/{_EDTF_END}?)?|{_EDTF_END}?/{_EDTF_ONE})$")
# A year as BibTeX styles sort and print it: digits (old or BCE years too), a letter suffix, or a span.
_YEAR_VALUE = re.compile(r"^[+-]?\d{1,4}[a-z]?(?:\s*(?:-{1,3}|/|\u2013)\s*\d{2,4}[a-z]?)?$")
_NOOPSORT = re.compile(r"\{?\\noopsort\s*\{[^{}]*\}\}?")


def date_value_problem(name: str, value: str) -> str | None:
    """Why a ``year`` or biblatex ``date`` value is neither; None when it is one."""
    text = _NOOPSORT.sub("", value)
    text = re.sub(r"[{}]", "", text).strip()
    if name == "date" or name.endswith("date"):
        if _BIBLATEX_DATE.match(text) and _months_and_days_exist(text):
            return None
        return f"{name} '{value}' is not a biblatex date (YYYY, YYYY-MM-DD, a range like 1997/1998, ~1900 or 19XX)"
    if _YEAR_VALUE.match(text) or _BIBLATEX_DATE.match(text):
        return None
    if "\\" in value and latest_year(value) is not None:
        return None  # sorting tricks like xampl.bib's {\noopsort{1973a}}{\switchargs{--90}{1968}}
    return f"year '{value}' is not a year (digits, like 2019; for 'in press' use pubstate = {{inpress}})"


def _months_and_days_exist(text: str) -> bool:
    """Months 01-12 (or EDTF seasons 21-24) and days 01-31 in every date of a value."""
    for month, day in re.findall(r"(?<![\d:])\d{4}-(\d{2})(?:-(\d{2}))?", text):
        if not (1 <= int(month) <= 12 or 21 <= int(month) <= 24) or (day and not 1 <= int(day) <= 31):
            return False
    return True


def latest_year(value: str) -> int | None:
    """The largest year a ``year``/``date`` value names (for the 'in the future' check), or None."""
    years = [int(y) for y in re.findall(r"(?<![\d-])\d{4}(?!\d)", _NOOPSORT.sub("", value))]
    return max(years) if years else None


JOURNAL_STOPWORDS = {"the", "of", "and", "for", "in", "on", "de", "la", "der", "und", "et"}


def journal_words(name: str) -> list[str]:
    """A journal name as folded significant words (``The Journal of Clin. Psychiatry`` -> journal clin psychiatry)."""
    return [w for w in norm_text(name).split() if w not in JOURNAL_STOPWORDS]


def journals_match(entry: str, record_names: list[str]) -> bool:
    """Whether an entry's journal is one of the record's names, in full, abbreviated or as an acronym."""
    words = journal_words(entry)
    if not words:
        return True
    for name in record_names:
        other = journal_words(name)
        if not other:
            continue
        if words == other or _abbreviates(words, other) or _abbreviates(other, words):
            return True
        if len(words) == 1 and len(words[0]) >= 3 and "".join(w[0] for w in other).startswith(words[0]):
            return True  # JAMA, NEJM, PNAS, BMJ
    return False


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Whether each short word abbreviates the matching full word (``natl`` for ``national``, ``j`` for ``journal``)."""
    return len(short) == len(full) and all(_abbreviation(s, f) for s, f in zip(short, full))


def _abbreviation(short: str, full: str) -> bool:
    """``short`` starts like ``full`` and its letters appear in ``full`` in order."""
    if not short or short[0] != full[0]:
        return False
    rest = iter(full[1:])
    return all(char in rest for char in short[1:])


# Years that are valid but not a plain number, printed as written by BibTeX, pybtex and biblatex:
# an era (535 BCE), an approximate, copyright or phonogram year (c. 1200, c1991, p1988), a
# bracketed year ([1998]), an open range (1939--), a year with a note (1865（清同治四年）,
# 1970 (impressão 1994), 1985 印刷), or a regnal year as law reports cite it (1 Edw. VII, 6 & 7 Geo. V).
_ODD_YEAR = re.compile(
    r"^(?:(?:c\.?|ca\.|circa|p|AD|A\.D\.)\s*)?\[?\d{3,4}\]?"
    r"(?:\s*(?:BCE|BC|B\.C\.|B\.C\.E\.|CE|C\.E\.|AD|A\.D\.|\?|-{1,2})|\s*[（(][^()（）]*[)）]|\s+\S.*)?$"
    r"|^\d{1,4}\s*(?:BCE|BC|B\.C\.|B\.C\.E\.|CE|C\.E\.|AD|A\.D\.)$"
    r"|^\d{1,2}(?:\s*&\s*\d{1,2})?\s+[A-Z][a-z]{1,5}\.?\s+[IVX]{1,5}$"
)


def odd_year(value: str) -> bool:
    """Whether a ``year`` value is an era, approximate, bracketed or regnal year (valid, not a plain number)."""
    return bool(_ODD_YEAR.match(re.sub(r"[{}]", "", value).strip()))
