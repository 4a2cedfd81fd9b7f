"""Opt-in checks against the real doi.org, Crossref, NCBI and DataCite (SITECHECK_LIVE=1; run weekly).

They pin down that the real services still answer in the shapes the fakes imitate. They need
the network, so they are skipped unless SITECHECK_LIVE=1 (set SITECHECK_MAILTO to be polite).
"""

from __future__ import annotations

import os

import pytest

from tests.refs.conftest import Project

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("SITECHECK_LIVE") != "1", reason="talks to the real services; set SITECHECK_LIVE=1"),
]

LIVE_BIB = r"""@article{berman2000,
  author  = {Berman, Robert M. and Cappiello, Angela and Anand, Amit and Oren, Dan A. and Heninger, George R. and Charney, Dennis S. and Krystal, John H.},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  volume  = {47},
  pages   = {351--354},
  doi     = {10.1016/S0006-3223(99)00230-9},
  pmid    = {10686270}
}

@article{berman-altered,
  author  = {Berman, Robert M.},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2004},
  volume  = {52},
  doi     = {10.1016/S0006-3223(99)00230-9}
}

@article{invented,
  author  = {Smith, John},
  title   = {Ketamine Rewires the Depressed Brain},
  journal = {Biological Psychiatry},
  year    = {2019},
  doi     = {10.1016/j.biopsych.2099.01.001},
  pmid    = {99999999}
}

@article{wakefield1998,
  author  = {Wakefield, A. J. and others},
  title   = {Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children},
  journal = {The Lancet},
  year    = {1998},
  volume  = {351},
  pages   = {637--641},
  doi     = {10.1016/S0140-6736(97)11096-0}
}

@article{duman-as-cited,
  author  = {Duman, R. S. and Aghajanian, G. K.},
  title   = {Synaptic dysfunction in depression: potential therapeutic targets},
  journal = {Science},
  year    = {2012},
  volume  = {338},
  pages   = {68--72}
}

@article{lau2013-invented,
  author  = {Lau, B. K. and others},
  title   = {The effects of ketamine on brain activity in major depression},
  journal = {Biological Psychiatry},
  year    = {2013},
  volume  = {74},
  pages   = {259--267}
}

@misc{zenodo,
  doi   = {10.5281/zenodo.3833824}
}
"""


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the real services with the default timeouts (undo the test suite's local-only settings)."""
    for name in ("DOI", "CROSSREF", "NCBI", "DATACITE"):
        monkeypatch.delenv(f"SITECHECK_{name}_URL", raising=False)
    for name in ("SITECHECK_HTTP_TIMEOUT", "SITECHECK_MAX_RETRY_SECONDS", "SITECHECK_HTTP_BACKOFF"):
        monkeypatch.delenv(name, raising=False)
    if os.environ.get("SITECHECK_LIVE_MAILTO"):
        monkeypatch.setenv("SITECHECK_MAILTO", os.environ["SITECHECK_LIVE_MAILTO"])


def test_real_services_classify_known_entries(project: Project, live: None) -> None:
    """Real, altered, invented, retracted, found-by-search and unfindable entries, against the real registries."""
    project.bib(LIVE_BIB)
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "cache"))
    entries = {e["key"]: e for e in run.data["entries"]}
    assert {k: e["status"] for k, e in entries.items()} == {
        "berman2000": "verified",
        "berman-altered": "mismatch",
        "invented": "not_found",
        "wakefield1998": "retracted",
        "duman-as-cited": "verified",
        "lau2013-invented": "unverifiable",
        "zenodo": "verified",
    }, {k: e["reason"] for k, e in entries.items()}
    assert {f["field"] for f in entries["berman-altered"]["fields"]} >= {"year", "volume"}
    assert "10.1126/science.1222939" in (entries["duman-as-cited"]["suggestion"] or "").lower()
    assert entries["zenodo"]["source"] == "datacite"


def test_real_cache_round_trip(project: Project, live: None) -> None:
    """A second run against the real services is answered from the cache alone."""
    project.bib(LIVE_BIB.split("\n\n")[0] + "\n")
    cache = str(project.root / "cache")
    first = project.run("--online", "--format", "json", "--cache-dir", cache)
    second = project.run("--offline", "--format", "json", "--cache-dir", cache)
    assert first.statuses() == second.statuses() == {"berman2000": "verified"}
    assert second.data["refs"]["requests"] == {}
