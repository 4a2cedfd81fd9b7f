"""Normalisers and matchers: LaTeX, HTML, names, pages, journals, titles (table-driven)."""

from __future__ import annotations

import pytest

from mkdocs_sitecheck.refs.normalise import (
    CLOSE,
    DIFFERENT,
    SAME,
    SUBTITLE,
    compare_titles,
    first_page,
    journals_match,
    latex_to_text,
    norm_text,
    page_problem,
    parse_name,
    pubmed_surname,
    split_authors,
    surnames_match,
    year_of,
)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Caf\'{e}", "Café"),
        (r"Caf\'e", "Café"),
        (r"{\'e}cole", "école"),
        (r"na\"{\i}ve", "naïve"),
        (r"na\"\i ve", "naïve"),
        (r"M{\"u}ller", "Müller"),
        (r"\v{S}koda", "Škoda"),
        (r"\c{c}a \c c", "ça ç"),
        (r"{\L}\'od\'z", "Łódź"),
        (r"Sm{\o}rgrav", "Smørgrav"),
        (r"Stra{\ss}e", "Straße"),
        (r"\~{n}and\~n", "ñandñ"),
        (r"\AA{}ngstr\"om", "Ångström"),
        (r"An {N}-methyl-{D}-aspartate Antagonist", "An N-methyl-D-aspartate Antagonist"),
        (r"{{JAMA} Psychiatry}", "JAMA Psychiatry"),
        (r"5\% of \$10 \& more \{x\}", "5% of $10 & more {x}"),
        (r"pages 1--2 --- a~b", "pages 1–2 — a b"),
        (r"\emph{In vivo} study of \textit{BDNF}", "In vivo study of BDNF"),
        (r"$\alpha$-synuclein and \alpha cells", "alpha-synuclein and alpha cells"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    """LaTeX accents, special letters, escapes, braces, dashes and commands become plain Unicode."""
    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Antidepressant Effects of Ketamine.", "antidepressant effects of ketamine"),
        ("<i>In vivo</i> CO<sub>2</sub> &amp; O<sub>2</sub>", "in vivo co2 and o2"),
        ('<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>α</mml:mi></mml:math>-Synuclein', "alpha synuclein"),
        (r"$\beta$-Amyloid", "beta amyloid"),
        ("Ketamine &lt;24 h &gt; placebo", "ketamine 24 h placebo"),
        (r"R{\'e}sum{\'e}: \"Uber St\"orungen", "resume uber storungen"),
        ("Ærøskøbing Œuvre", "aeroskobing oeuvre"),
        ("[Ketamine in depression].", "ketamine in depression"),
    ],
)
def test_norm_text(raw: str, normal: str) -> None:
    """Titles compare after markup, accents, case and punctuation are normalised away."""
    assert norm_text(raw) == normal


@pytest.mark.parametrize(
    ("entry", "records", "verdict"),
    [
        ("Antidepressant Effects of Ketamine", ["Antidepressant effects of ketamine."], SAME),
        (
            "Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression",
            ["Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression: A Two-Site Randomized Controlled Trial"],
            SUBTITLE,
        ),
        ("Synaptic Dysfunction in Depression: Potential Therapeutic Targets", ["Synaptic dysfunction in depression"], SUBTITLE),
        ("Taming the Ketamine Tiger. 1965", ["Taming the ketamine tiger"], SUBTITLE),
        (r"A Trial of an {N}-methyl-{D}-aspartate Antagonist", ["A Trial of an <i>N</i>-methyl-<scp>d</scp>-aspartate Antagonist"], SAME),
        ("Ketamine for treatment resistant depression: a review", ["Ketamine for treatment-resistant depression: a meta-analysis"], CLOSE),
        ("Antidepressant effects of ketamine in depressed patient", ["Antidepressant effects of ketamine in depressed patients"], CLOSE),
        ("Ketamine infusions reverse suicidal ideation", ["Antidepressant effects of ketamine in depressed patients"], DIFFERENT),
        ("Anything", [], DIFFERENT),
    ],
)
def test_compare_titles(entry: str, records: list[str], verdict: str) -> None:
    """Same after normalising; a missing subtitle is tolerated; small edits are 'close'; else different."""
    assert compare_titles(entry, records)[0] == verdict


@pytest.mark.parametrize(
    ("name", "last", "corporate", "others"),
    [
        ("Berman, Robert M.", "Berman", False, False),
        ("Robert M. Berman", "Berman", False, False),
        ("Zarate, Jr., Carlos A.", "Zarate", False, False),
        ("Carlos A. Zarate Jr.", "Zarate", False, False),
        ("John Smith III", "Smith", False, False),
        ("van der Berg, Jan", "van der Berg", False, False),
        ("Jan van der Berg", "van der Berg", False, False),
        ("Ludwig van Beethoven", "van Beethoven", False, False),
        ("Jean de La Fontaine", "de La Fontaine", False, False),
        (r"M{\"u}ller, Hans", "Müller", False, False),
        ("{World Health Organization (WHO)}", "World Health Organization (WHO)", True, False),
        ("{U.S. Food and Drug Administration}", "U.S. Food and Drug Administration", True, False),
        ("others", "", False, True),
        ("Duman", "Duman", False, False),
    ],
)
def test_parse_name(name: str, last: str, corporate: bool, others: bool) -> None:
    """BibTeX name forms, particles, suffixes, organisations and 'others'."""
    parsed = parse_name(name)
    assert (parsed.last, parsed.corporate, parsed.others) == (last, corporate, others)


def test_split_authors_respects_braces() -> None:
    """'and' inside braces is part of an organisation's name."""
    names = split_authors("{U.S. Food and Drug Administration} and Smith, J. AND others")
    assert [(n.last, n.corporate, n.others) for n in names] == [
        ("U.S. Food and Drug Administration", True, False),
        ("Smith", False, False),
        ("", False, True),
    ]


@pytest.mark.parametrize(
    ("medline", "surname"),
    [("Berman RM", "Berman"), ("Zarate CA Jr", "Zarate"), ("van der Berg J", "van der Berg"), ("Al-Jurdi RK", "Al-Jurdi"),
     ("Krystal JH 2nd", "Krystal"), ("WHO", "WHO")],
)  # fmt: skip
def test_pubmed_surname(medline: str, surname: str) -> None:
    """MEDLINE 'Surname Initials [Suffix]' names."""
    assert pubmed_surname(medline) == surname


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Al Jurdi", "Al-Jurdi", True),
        ("van der Berg", "Berg", True),
        ("van der Berg", "Van Der Berg", True),
        (r"M{\"u}ller", "Muller", True),
        ("Müller", "Mueller", False),
        ("García Márquez", "Garcia", True),
        ("Li", "Ali", False),
        ("Berman", "Krystal", False),
    ],
)
def test_surnames_match(a: str, b: str, same: bool) -> None:
    """Particles, accents, hyphens and compound surnames aside; no substring matches."""
    assert surnames_match(a, b) is same


@pytest.mark.parametrize(
    ("pages", "problem", "first"),
    [
        ("351--354", None, "351"),
        ("351-4", None, "351"),
        ("1134--42", None, "1134"),
        ("854 - 64", None, "854"),
        ("e0123456", None, "e0123456"),
        ("S12--S19", None, "s12"),
        ("xii--xv", None, "xii"),
        ("12--19, 22--25", None, "12"),
        ("351--34", "'351--34' ends before it starts", "351"),
        ("S12--T19", "'S12--T19' starts and ends with different prefixes", "s12"),
        ("12 to 19", "'12 to 19' is not a page, an article number or a range like 12--19", "12 to 19"),
    ],
)
def test_pages(pages: str, problem: str | None, first: str) -> None:
    """Ranges must ascend (MEDLINE's abbreviated '351-4' is 351-354); article numbers are fine."""
    assert (page_problem(pages), first_page(pages)) == (problem, first)


@pytest.mark.parametrize(
    ("entry", "record", "same"),
    [
        ("Biological Psychiatry", "Biological psychiatry", True),
        ("Biol Psychiatry", "Biological Psychiatry", True),
        ("Biol. Psychiatry", "Biological Psychiatry", True),
        ("Am J Psychiatry", "The American Journal of Psychiatry", True),
        ("N Engl J Med", "New England Journal of Medicine", True),
        ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the United States of America", True),
        ("PNAS", "Proceedings of the National Academy of Sciences", True),
        ("NEJM", "The New England Journal of Medicine", True),
        ("{JAMA} Psychiatry", "JAMA Psychiatry", True),
        ("Lancet Psychiatry", "The Lancet Psychiatry", True),
        ("Journal of Clinical Psychiatry", "The Journal of Clinical Psychiatry", True),
        ("Nature", "Science", False),
        ("Journal of Psychiatry", "Journal of Psychiatry Research", False),
        ("Biological Psychiatry", "Biological Psychology", False),
    ],
)
def test_journals_match(entry: str, record: str, same: bool) -> None:
    """Full names, ISO/MEDLINE abbreviations and acronyms match; other journals do not."""
    assert journals_match(entry, [record]) is same


@pytest.mark.parametrize(("value", "year"), [("2019", 2019), (" 2019 ", 2019), ("2019-05-01", 2019), ("2019a", None), ("n.d.", None)])
def test_year_of(value: str, year: int | None) -> None:
    """Years are four digits, or the start of a YYYY-MM-DD date."""
    assert year_of(value) == year
