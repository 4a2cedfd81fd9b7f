"""What reference checkers get wrong in practice, against the local fakes of the registries:
a real DOI dressed with invented metadata, a DataCite-only DOI, arXiv version suffixes, and
services that fail in ways that look like "not found"."""

from __future__ import annotations

import pytest

from tests.refs.conftest import Project
from tests.refs.fakeservices import FakeServices, Work

# A paper as arXiv registers it with DataCite (one DOI per paper, none per version).
ARXIV = Work(
    title="Sparse Attention Patterns in Long Clinical Notes", authors=[("Ada", "Quist"), ("Ben", "Rao")],
    year=2021, journal="arXiv", doi="10.48550/arXiv.2101.00001", registry="datacite",
)  # fmt: skip


def online(project: Project, bib: str) -> tuple[list[str], dict[str, str], int]:
    """Run `refs --online` on one bibliography: the text lines (without the summary), statuses, exit code."""
    project.bib(bib)
    text = project.run("--online", "--cache-dir", str(project.root / "c"))
    data = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    return text.lines()[:-1], data.statuses(), text.code


def test_a_real_doi_with_an_invented_title_and_authors_is_a_mismatch_never_verified(project: Project, fake: FakeServices) -> None:
    """The DOI resolves, but the title and authors written beside it belong to no such paper."""
    lines, statuses, code = online(
        project,
        """@article{dressed,
  author  = {Smithers, Jane and Okafor, Chidi},
  title   = {Ketamine Microdosing Cures Depression in Ninety Percent of Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  doi     = {10.1016/S0006-3223(99)00230-9}
}
""",
    )
    assert statuses == {"dressed": "mismatch"}
    assert lines == [
        "refs.bib:1:1: REF022 'dressed' does not match its record: Crossref record differs: title 'Ketamine Microdosing "
        "Cures Depression in Ninety Percent of Patients' (record: 'Antidepressant effects of ketamine in depressed "
        "patients'); first author 'Smithers' (record: 'Berman')",
        "refs.bib:1:1: REF023 'dressed': minor differences: authors 'Okafor' (record: 'Berman, Cappiello, Anand, Oren, Heninger, Charney, ...')",
    ]
    assert code == 1


def test_the_right_title_with_invented_authors_is_a_mismatch(project: Project, fake: FakeServices) -> None:
    """A correct title does not make invented authors pass."""
    _, statuses, _ = online(
        project,
        """@article{wrong-authors,
  author  = {Smithers, Jane and Okafor, Chidi and Lindqvist, Mats},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  doi     = {10.1016/S0006-3223(99)00230-9}
}
""",
    )
    assert statuses == {"wrong-authors": "mismatch"}


def test_datacite_answers_when_crossref_has_no_record_and_its_metadata_is_compared(project: Project, fake: FakeServices) -> None:
    """A DataCite DOI (Crossref: 'Resource not found.') is judged on DataCite's record: an invented title is a mismatch."""
    fake.works.append(ARXIV)
    _, statuses, _ = online(
        project,
        """@misc{real-preprint,
  author = {Quist, Ada and Rao, Ben},
  title  = {Sparse Attention Patterns in Long Clinical Notes},
  year   = {2021},
  doi    = {10.48550/arXiv.2101.00001}
}

@misc{invented-preprint,
  author = {Quist, Ada},
  title  = {A Universal Cure for Treatment-Resistant Depression},
  year   = {2021},
  doi    = {10.48550/arXiv.2101.00001}
}
""",
    )
    assert statuses == {"real-preprint": "verified", "invented-preprint": "mismatch"}
    assert fake.counts["crossref"] == 1 and fake.counts["datacite"] == 1  # one lookup each, shared by both entries


def test_an_arxiv_version_suffix_in_a_doi_is_looked_up_without_it_and_reported(project: Project, fake: FakeServices) -> None:
    """``…2101.00001v2`` is not registered: the paper is found without the suffix, with the DOI to write."""
    fake.works.append(ARXIV)
    lines, statuses, code = online(
        project,
        """@misc{versioned,
  author = {Quist, Ada and Rao, Ben},
  title  = {Sparse Attention Patterns in Long Clinical Notes},
  year   = {2021},
  doi    = {10.48550/arXiv.2101.00001v2}
}
""",
    )
    assert statuses == {"versioned": "verified"}
    assert lines == [
        "refs.bib:1:1: REF041 'versioned': DOI 10.48550/arXiv.2101.00001v2 carries an arXiv version suffix; arXiv's DOI "
        "names the paper: write doi = {10.48550/arXiv.2101.00001}"
    ]
    assert code == 0


def test_an_arxiv_eprint_with_a_version_is_checked_through_its_doi(project: Project, fake: FakeServices) -> None:
    """An entry with only ``eprint = {2101.00001v3}`` is verified against the paper's DataCite record."""
    fake.works.append(ARXIV)
    _, statuses, _ = online(
        project,
        """@misc{eprint-only,
  author        = {Quist, Ada and Rao, Ben},
  title         = {Sparse Attention Patterns in Long Clinical Notes},
  year          = {2021},
  eprint        = {2101.00001v3},
  archiveprefix = {arXiv}
}
""",
    )
    assert statuses == {"eprint-only": "verified"}


@pytest.mark.parametrize(
    ("service", "body", "content_type"),
    [
        ("doi", "<html><body>404 Not Found (proxy)</body></html>", "text/html"),
        ("crossref", "<html><body>Not Found</body></html>", "text/html"),
    ],
)
def test_a_404_that_is_not_the_registry_s_own_answer_is_could_not_check_not_not_found(
    project: Project, fake: FakeServices, service: str, body: str, content_type: str
) -> None:
    """A proxy's or gateway's 404 page says nothing about the DOI: the entry is incomplete (exit 3), never not_found."""
    fake.fail_with_body(service, 404, body, content_type)
    _, statuses, code = online(
        project,
        """@article{berman2000,
  author  = {Berman, Robert M.},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  doi     = {10.1016/S0006-3223(99)00230-9}
}
""",
    )
    assert statuses == {"berman2000": "incomplete"}
    assert code == 3
