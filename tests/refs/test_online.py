"""`sitecheck refs --online` end to end against local fakes of doi.org, Crossref, NCBI and DataCite."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mkdocs_sitecheck import __version__
from tests.refs.bibs import ENTRIES, PAGES, bib_text
from tests.refs.conftest import CLOSED, Project, all_down
from tests.refs.fakeservices import FakeServices, Fault

DOI_ENTRIES = [k for k, (text, _) in ENTRIES.items() if "doi " in text and "pmid" not in text]


@pytest.fixture(autouse=True)
def _pages_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake entry pages live on 127.0.0.1, so these tests opt in to private URLs, as a user must
    (tests/refs/test_urlguard.py shows what happens without it)."""
    monkeypatch.setenv("SITECHECK_ALLOW_PRIVATE_URLS", "1")


def setup(project: Project, fake: FakeServices, keys: list[str] | None = None) -> None:
    """Write the bibliography (all entries, or some) and serve the pages it links to."""
    for name, (status, content_type, body) in PAGES.items():
        fake.add_page(name, status, body, content_type)
    project.bib(bib_text(keys, fake.server.url_for("/pages")))


def test_classifies_real_altered_invented_and_retracted_entries(project: Project, fake: FakeServices) -> None:
    """Every entry gets the one status its record warrants."""
    setup(project, fake)
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "cache"))
    assert run.statuses() == {key: status for key, (_, status) in ENTRIES.items()}
    assert run.code == 1
    assert run.data["refs"]["unacknowledged_flags"] == [
        "berman-altered", "berman-retitled", "berman-wrong-pmid", "invented-doi", "invented-pmid", "retracted2015",
        "retracted-pmid", "lau2013-invented", "page-gone", "ack-wrong",
    ]  # fmt: skip
    assert run.data["refs"]["acknowledged"] == ["ack-kept"]


@pytest.mark.parametrize(
    ("key", "lines"),
    [
        ("berman2000", ["sitecheck: no problems found (refs.bib, 1 entry online: 1 verified)"]),
        ("zarate2006", ["sitecheck: no problems found (refs.bib, 1 entry online: 1 verified)"]),
        ("berman-altered", ["refs.bib:1:1: REF022 'berman-altered' does not match its record: Crossref record differs: "
                            "year '2003' (record: '2000'); volume '48' (record: '47')"]),
        ("berman-wrong-pmid", ["refs.bib:1:1: REF022 'berman-wrong-pmid' does not match its record: PubMed record differs: "
                               "pmid '23042884' (record: 'belongs to DOI 10.1126/science.1222939'); title 'Antidepressant "
                               "Effects of Ketamine in Depressed Patients' (record: 'Synaptic Dysfunction in Depression: "
                               "Potential Therapeutic Targets.'); first author 'Berman' (record: 'Duman'); year '2000' "
                               "(record: '2012'); journal 'Biological Psychiatry' (record: 'Science')"]),
        ("duman-online-year", ["refs.bib:1:1: REF023 'duman-online-year': minor differences: year '2011' (record: '2012')"]),
        ("invented-doi", ["refs.bib:1:1: REF021 'invented-doi' was not found: DOI 10.1016/j.biopsych.2099.01.001 is not "
                          "registered (doi.org: handle not found)"]),
        ("invented-pmid", ["refs.bib:1:1: REF021 'invented-pmid' was not found: PMID 99999998 does not exist (PubMed: "
                           "cannot get document summary)"]),
        ("retracted2015", ["refs.bib:1:1: REF024 'retracted2015' is retracted: Crossref lists a retraction notice "
                           "10.5555/jad.2016.notice (2016-03-01) for 10.5555/jad.2015.001"]),
        ("retracted-pmid", ["refs.bib:1:1: REF024 'retracted-pmid' is retracted: PubMed 25800001 has publication type "
                            "'Retracted Publication'"]),
        ("concern2019", ["refs.bib:1:1: REF025 'concern2019': Crossref lists an expression of concern "
                         "(10.5555/lanpsy.2020.eoc) for 10.5555/lanpsy.2019.002",
                         "refs.bib:1:1: REF026 'concern2019': Crossref lists a correction (10.5555/lanpsy.2019.corr) "
                         "for 10.5555/lanpsy.2019.002"]),
        ("nometa2020", ["refs.bib:1:1: REF029 'nometa2020': DOI 10.3390/nometa.2020 is registered but neither Crossref "
                        "nor DataCite has metadata"]),
        ("duman-as-cited", ["refs.bib:1:1: REF028 'duman-as-cited': found by search (matches Crossref "
                            "10.1126/science.1222939 and PubMed 23042884); add doi = {10.1126/science.1222939}, "
                            "pmid = {23042884}"]),
        ("page-gone", ["refs.bib:1:1: REF021 'page-gone' was not found: its URL answers HTTP 404 and no registry has the work"]),
        ("ack-stale", ["refs.bib:7:1: REF031 'ack-stale' is verified now (matches PubMed 10686270); remove its verification "
                       "field so the site stops showing it as 'Not verified (unverifiable)'"]),
        ("ack-wrong", ["refs.bib:1:1: REF021 'ack-wrong' was not found: DOI 10.1016/j.biopsych.2099.01.002 is not registered "
                       "(doi.org: handle not found)",
                       "refs.bib:7:1: REF031 'ack-wrong': verification says unverifiable but the check found not_found; "
                       "update the field to what is true now"]),
    ],
)  # fmt: skip
def test_exact_findings_per_entry(project: Project, fake: FakeServices, key: str, lines: list[str]) -> None:
    """The text report says what was found, where, and what the record says."""
    setup(project, fake, [key])
    run = project.run("--online", "--cache-dir", str(project.root / "cache"))
    shown = run.lines() if lines[-1].startswith("sitecheck:") else run.lines()[:-1]
    assert shown == lines


def test_json_entry_carries_fields_record_and_source(project: Project, fake: FakeServices) -> None:
    """A mismatch lists each field with what the entry and the record say."""
    setup(project, fake, ["berman-altered", "duman-as-cited"])
    altered, found = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c")).data["entries"]
    assert (altered["status"], altered["source"], altered["acknowledged"]) == ("mismatch", "crossref", False)
    assert altered["fields"] == [
        {"field": "year", "entry": "2003", "record": "2000", "severity": "error", "source": "crossref"},
        {"field": "volume", "entry": "48", "record": "47", "severity": "error", "source": "crossref"},
    ]
    assert altered["record"]["doi"] == "10.1016/s0006-3223(99)00230-9" and altered["record"]["pages"] == "351-354"
    assert altered["record"]["authors"][:2] == ["Berman", "Cappiello"]
    assert (found["status"], found["suggestion"]) == ("verified", "doi = {10.1126/science.1222939}, pmid = {23042884}")


def test_429_retry_after_is_honoured(project: Project, fake: FakeServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 429 with Retry-After: 1 is retried (not reported) and the run reports the throttling.

    How long the fetcher holds the service is tested exactly, on a virtual clock, in test_http.py.
    """
    monkeypatch.setenv("SITECHECK_MAX_RETRY_SECONDS", "5")
    setup(project, fake, ["berman-altered", "zarate2006"])
    fake.fail("crossref", Fault(status=429, times=1, retry_after="1"))
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    assert run.statuses() == {"berman-altered": "mismatch", "zarate2006": "verified"}
    assert fake.counts["crossref"] == 3
    assert run.data["refs"]["throttling"]["crossref"]["throttled"] == 1


def test_outage_makes_entries_incomplete_never_another_status(project: Project, fake: FakeServices) -> None:
    """With Crossref answering 503, entries that need it are incomplete (exit 3); the others are judged."""
    setup(project, fake, ["berman-altered", "murrough2013", "invented-doi", "lau2013-invented", "duman-as-cited"])
    fake.fail("crossref", Fault(status=503))
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    assert run.code == 3
    assert run.statuses() == {
        "berman-altered": "incomplete",
        "murrough2013": "verified",  # PMID only: PubMed answers
        "invented-doi": "not_found",  # doi.org says the DOI does not exist; Crossref is never asked
        "lau2013-invented": "incomplete",  # PubMed has nothing, and Crossref's search could not answer
        "duman-as-cited": "verified",  # PubMed's search found it confidently
    }
    berman = run.data["entries"][0]
    assert berman["reason"].startswith("not checked: Crossref: HTTP 503; gave up after ")
    assert run.data["refs"]["incomplete"] == ["berman-altered", "lau2013-invented"]
    codes = {(f["code"], f["line"]) for f in run.data["findings"]}
    assert ("REF027", berman["line"]) in codes


@pytest.mark.parametrize(
    ("service", "fault", "key", "reason"),
    [
        ("ncbi", Fault(malformed=True), "murrough2013",
         "not checked: NCBI E-utilities: malformed response (HTTP 200, not JSON: '<html><body>Gateway error page</body></html>')"),
        ("datacite", Fault(slow=3.0), "dataset2021", "not checked: DataCite: timed out after 1 s; gave up after "),
        ("doi", Fault(status=500), "berman-altered", "not checked: doi.org: HTTP 500; gave up after "),
        ("crossref", Fault(status=400), "zarate2006", "not checked: Crossref: HTTP 400"),
    ],
)  # fmt: skip
def test_bad_answers_are_incomplete_with_the_reason(project: Project, fake: FakeServices, service: str, fault: Fault, key: str, reason: str) -> None:
    """Malformed, slow and failing answers are reported as incomplete, saying what failed."""
    setup(project, fake, [key])
    fake.fail(service, fault)
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    (entry,) = run.data["entries"]
    assert (run.code, entry["status"]) == (3, "incomplete")
    assert entry["reason"].startswith(reason)


def test_every_service_down_exits_3_with_every_entry_incomplete(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing answering (connection refused everywhere, pages included): exit 3, every entry incomplete."""
    all_down(monkeypatch)
    project.bib(bib_text(None, CLOSED + "/pages"))
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    assert run.code == 3
    assert set(run.statuses().values()) == {"incomplete"}
    assert all("connection failed" in e["reason"] for e in run.data["entries"])
    assert run.data["refs"]["incomplete"] == list(ENTRIES)


def test_every_service_503_exits_3(project: Project, fake: FakeServices) -> None:
    """All four services in an outage: every entry that needs them is incomplete."""
    keys = [k for k in ENTRIES if not k.startswith("page-")]
    setup(project, fake, keys)
    for service in ("doi", "crossref", "ncbi", "datacite"):
        fake.fail(service, Fault(status=503))
    run = project.run("--online", "--cache-dir", str(project.root / "c"))
    assert run.code == 3
    assert run.lines()[-1].endswith(f"(refs.bib, {len(keys)} entries online: {len(keys)} incomplete)")
    assert sum(line.split()[1] == "REF027" for line in run.lines()) == len(keys)


def test_warm_cache_makes_no_requests_and_offline_reads_it(project: Project, fake: FakeServices) -> None:
    """A second run is served from the cache; --offline gives the same verdicts without the network."""
    setup(project, fake)
    cache = str(project.root / "cache")
    cold = project.run("--online", "--format", "json", "--cache-dir", cache)
    asked = sum(fake.counts.values())
    warm = project.run("--online", "--format", "json", "--cache-dir", cache)
    assert sum(fake.counts.values()) == asked
    assert warm.statuses() == cold.statuses()
    assert warm.data["refs"]["requests"] == {}
    assert warm.data["refs"]["cache"]["misses"] == 0 and warm.data["refs"]["cache"]["hits"] > len(ENTRIES)
    for service in ("doi", "crossref", "ncbi", "datacite", "pages"):
        fake.fail(service, Fault(status=503))
    offline = project.run("--offline", "--format", "json", "--cache-dir", cache)
    assert offline.statuses() == cold.statuses()
    assert sum(fake.counts.values()) == asked
    assert offline.data["refs"]["mode"] == "online, from the cache only"


def test_offline_without_cache_is_incomplete(project: Project) -> None:
    """--offline with nothing cached judges nothing: every entry incomplete, exit 3, no request made."""
    project.bib(bib_text(["berman2000", "lau2013-invented"]))
    run = project.run("--offline", "--format", "json", "--cache-dir", str(project.root / "empty"))
    assert run.code == 3
    assert [e["reason"] for e in run.data["entries"]] == [
        "not checked: doi.org: not in the cache (--offline); NCBI E-utilities: not in the cache (--offline)",
        "not checked: Crossref search: not in the cache (--offline); NCBI E-utilities: not in the cache (--offline)",
    ]
    assert not (project.root / "empty").exists()


def test_errors_are_never_cached(project: Project, fake: FakeServices) -> None:
    """After an outage the next run asks again and judges the entry."""
    setup(project, fake, ["zarate2006"])
    cache = str(project.root / "cache")
    fake.fail("crossref", Fault(status=503))
    assert project.run("--online", "--format", "json", "--cache-dir", cache).statuses() == {"zarate2006": "incomplete"}
    del fake.faults["crossref"]
    assert project.run("--online", "--format", "json", "--cache-dir", cache).statuses() == {"zarate2006": "verified"}


def test_not_found_answers_are_cached_for_a_day(project: Project, fake: FakeServices) -> None:
    """A not-found answer is cached, with a one-day expiry."""
    setup(project, fake, ["invented-doi"])
    cache = project.root / "cache"
    project.run("--online", "--cache-dir", str(cache))
    (stored,) = [json.loads(p.read_text()) for p in cache.rglob("*.json")]
    assert (stored["found"], stored["value"]) == (False, False)
    assert stored["expires"] - stored["stored"] == 24 * 3600


def test_corrupt_cache_file_is_ignored_with_a_warning(project: Project, fake: FakeServices) -> None:
    """A damaged cache file never crashes a run: it is re-fetched, and stderr says so."""
    setup(project, fake, ["zarate2006"])
    cache = project.root / "cache"
    project.run("--online", "--cache-dir", str(cache))
    for path in cache.rglob("*.json"):
        path.write_text('{"key": "trunc')
    command = [sys.executable, "-m", "mkdocs_sitecheck", "refs", "--online", "--format", "json", "--cache-dir", str(cache)]
    result = subprocess.run(command, cwd=project.root, capture_output=True, text=True, timeout=60, check=False)
    data = json.loads(result.stdout)
    assert (result.returncode, [e["status"] for e in data["entries"]]) == (0, ["verified"])
    assert result.stderr.count("sitecheck: warning: ignoring unreadable cache file ") == 2
    assert len(data["refs"]["cache"]["warnings"]) == 2


def test_pmids_are_fetched_in_one_batch_and_requests_identify_sitecheck(project: Project, fake: FakeServices) -> None:
    """PubMed summaries come 200 to a request; every request carries mailto / tool / email and the User-Agent."""
    setup(project, fake, ["murrough2013", "invented-pmid", "retracted-pmid", "ack-stale"])
    project.run("--online", "--cache-dir", str(project.root / "c"))
    summaries = [r for r, _ in fake.server.log if r.path.endswith("esummary.fcgi")]
    assert len(summaries) == 1
    assert summaries[0].args["id"] == "23982301,99999998,25800001,10686270"
    assert (summaries[0].args["tool"], summaries[0].args["email"]) == ("sitecheck", "tests@example.org")
    agents = {r.headers.get("User-Agent") for r, _ in fake.server.log}
    assert agents == {f"sitecheck/{__version__} (+mailto:tests@example.org)"}


def test_ncbi_api_key_is_sent(project: Project, fake: FakeServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """NCBI_API_KEY goes to E-utilities as api_key (and only there)."""
    monkeypatch.setenv("NCBI_API_KEY", "k123")
    setup(project, fake, ["murrough2013", "zarate2006"])
    project.run("--online", "--cache-dir", str(project.root / "c"))
    keys = {r.path.split("/")[1]: r.args.get("api_key") for r, _ in fake.server.log}
    assert keys == {"ncbi": "k123", "doi": None, "crossref": None}


def test_unreachable_default_is_closed_port(project: Project) -> None:
    """Guard: without the fake, tests point every service at a closed local port, never the internet."""
    project.bib(bib_text(["berman2000"]))
    run = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "c"))
    assert run.code == 3
    assert run.data["refs"]["services"] == {"doi": CLOSED, "crossref": CLOSED, "ncbi": CLOSED, "datacite": CLOSED}


STORM_KEYS = ["berman2000", "berman-altered", "invented-doi", "invented-pmid", "retracted2015", "murrough2013",
              "duman-as-cited", "lau2013-invented"]  # fmt: skip
STORMS = {
    # The storm; on this small set the old fixed-rate fetcher also got through.
    "every-second-request": (Fault(status=429, retry_after="1", every=2), STORM_KEYS),
    # A service allowing one request a second: the old fetcher left 5 of 23 entries incomplete.
    "over-1-per-second": (Fault(status=429, retry_after="1", per_second=1), None),
}


@pytest.mark.parametrize(("storm", "keys"), list(STORMS.values()), ids=list(STORMS))
def test_a_429_storm_slows_the_run_down_and_changes_no_verdict(
    project: Project, fake: FakeServices, monkeypatch: pytest.MonkeyPatch, storm: Fault, keys: list[str] | None
) -> None:
    """Every service answers ``429 Retry-After: 1`` to every second request, or beyond 1 a second:
    the same verdicts as a calm run.

    Only an outage may make an entry incomplete; throttling only makes the run slower. The run
    uses the default 60 s retry budget (time, not attempts) and reports how it adapted.
    """
    monkeypatch.setenv("SITECHECK_MAX_RETRY_SECONDS", "60")
    setup(project, fake, keys)
    calm = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "calm"))
    calm_requests = sum(fake.counts.values())
    for service in ("doi", "crossref", "ncbi", "datacite"):
        fake.fail(service, Fault(**vars(storm)))
    fake.counts.clear()
    stormy = project.run("--online", "--format", "json", "--cache-dir", str(project.root / "storm"))
    assert stormy.statuses() == calm.statuses()
    assert "incomplete" not in stormy.statuses().values()
    assert stormy.code == calm.code == 1
    throttled = stormy.data["refs"]["throttling"]
    assert throttled and all(t["lowest_rate"] < t["ceiling"] for t in throttled.values())  # it slowed down
    storm_requests = sum(fake.counts.values())
    assert storm_requests <= 3 * calm_requests  # a 429 or two per success at most: no herd of retries
