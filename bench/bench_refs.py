"""Benchmark `sitecheck refs --online`: a cold run against rate limits, and a warm run from the cache.

Starts a local fake of doi.org, Crossref, NCBI and DataCite that adds LATENCY to every answer,
generates a bibliography of N entries (DOI+PMID, DOI only, PMID only, and no identifier at all),
runs the check cold (empty cache) and warm, and compares the cold time with the floor the
services' published rate limits set: for each service, requests ÷ allowed requests per second;
services run in parallel, so the floor is the largest of those.

Then a 429 storm on the first ``--storm-entries`` entries: every service answers
``429 Retry-After: 1`` to every second request (``--storm every-second``) or beyond one request a
second (``1-per-second``); the run must finish with the same verdicts as the calm run, only slower.

    .venv/bin/python bench/bench_refs.py [--entries 300] [--latency 0.1] [--storm every-second] [--storm-entries 40]

``--offline-scale N`` instead times the offline check of a generated N-entry bibliography (about
300 bytes an entry, like a reference manager's export: 200,000 entries are about 60 MB) in a
child process, with a quarter of it first to show the cost grows linearly (above 20,000 entries
pybtex's own strict parse runs only for a pybtex consumer, so keep both sizes above that); it prints wall and CPU
seconds and the peak resident memory, and fails above 60 s of CPU or 1 GB:

    .venv/bin/python bench/bench_refs.py --offline-scale 200000
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.refs.fakeservices import FakeServices, Fault, Work  # noqa: E402

from mkdocs_sitecheck.cli import main  # noqa: E402
from mkdocs_sitecheck.refs.sources import policies  # noqa: E402

STORMS = {
    "every-second": Fault(status=429, retry_after="1", every=2),
    "1-per-second": Fault(status=429, retry_after="1", per_second=1),
}

WORDS = (
    "ketamine esketamine depression infusion glutamate synaptic plasticity remission relapse suicidal ideation "
    "adolescent maintenance randomized trial cohort response biomarkers inflammation neuroimaging placebo dose"
).split()


def generate(n: int) -> tuple[list[Work], str]:
    """N works and a bibliography citing each one: 2/3 DOI+PMID, 2/15 DOI only, 1/10 PMID only, 1/10 no identifier."""
    works, entries = [], []
    for i in range(n):
        title = " ".join(WORDS[(i * k + k) % len(WORDS)] for k in range(1, 8)).capitalize() + f" study {i}"
        kind = ("doi+pmid", "doi+pmid", "doi+pmid", "doi+pmid", "doi+pmid", "doi+pmid", "doi+pmid", "doi+pmid",
                "doi+pmid", "doi+pmid", "doi", "doi", "pmid", "pmid", "none")[i % 15]  # fmt: skip
        doi = f"10.5555/bench.{i}" if "doi" in kind else None
        pmid = str(30000000 + i) if "pmid" in kind or kind == "none" else None
        if kind == "none":
            doi = f"10.5555/bench.{i}"
        work = Work(
            title=title, authors=[("Ann", f"Author{i}"), ("Bo", "Second")], year=2000 + i % 24,
            journal="Journal of Benchmark Psychiatry", abbrev="J Bench Psychiatry", volume=str(i % 90 + 1),
            pages=f"{i + 1}-{i + 9}", doi=doi, pmid=pmid,
        )  # fmt: skip
        works.append(work)
        pairs = (("doi", doi), ("pmid", pmid)) if kind != "none" else ()
        ids = "".join(f"  {name} = {{{value}}},\n" for name, value in pairs if value)
        entries.append(
            f"@article{{bench{i},\n  author = {{Author{i}, Ann and Second, Bo}},\n  title = {{{title}}},\n"
            f"  journal = {{Journal of Benchmark Psychiatry}},\n  year = {{{work.year}}},\n"
            f"  volume = {{{work.volume}}},\n"
            f"  pages = {{{i + 1}--{i + 9}}},\n{ids}}}\n"
        )
    return works, "\n".join(entries)


def run(root: Path, cache: Path, *extra: str) -> tuple[float, int, str]:
    """One `sitecheck refs --online` run in-process: seconds, exit status, summary line."""
    out = io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out):
        code = main(["refs", "--online", "--config", str(root / "mkdocs.yml"), "--cache-dir", str(cache), *extra])
    return time.perf_counter() - started, code, out.getvalue().strip().splitlines()[-1]


def storm_run(root: Path, fake: FakeServices, bib: str, entries: int, storm: str) -> tuple[str, bool]:
    """A calm and a throttled run on the first ``entries`` entries: the report line, and whether verdicts match."""
    (root / "refs.bib").write_text("\n@".join(bib.split("\n@")[:entries]))
    calm, _, calm_summary = run(root, root / "calm-cache")
    fake.counts.clear()
    for service in ("doi", "crossref", "ncbi", "datacite"):
        fake.fail(service, Fault(**vars(STORMS[storm])))
    took, code, summary = run(root, root / "storm-cache")
    fake.faults.clear()
    same = summary == calm_summary
    line = (
        f"429 storm ({storm}, Retry-After 1 s, {entries} entries): {took:.1f} s (calm {calm:.1f} s), "
        f"{sum(fake.counts.values())} requests, exit {code}; verdicts {'the same' if same else 'DIFFERENT'}: {summary}"
    )
    return line, same


def floor(counts: dict[str, int]) -> tuple[float, dict[str, float]]:
    """The time the rate limits alone impose: per service requests ÷ rate; services in parallel."""
    limits = policies(polite=True, ncbi_key=bool(os.environ.get("NCBI_API_KEY")))
    per_service = {service: counts.get(service, 0) / limits[service].rate for service in limits}
    return max(per_service.values()), per_service


def scale_entries(n: int) -> str:
    """N distinct journal articles with a DOI, a volume, an issue and pages (~300 bytes each)."""
    rows = []
    for i in range(n):
        title = " ".join(WORDS[(i * k + k) % len(WORDS)] for k in range(1, 8)).capitalize()
        rows.append(
            f"@article{{key{i},\n  author = {{Author{i}, Ann and Second, Bo}},\n  title = {{{title} {{RCT}} number {i}}},\n"
            f"  journal = {{J Bench Psychiatry}},\n  year = {{{1990 + i % 30}}},\n  volume = {{{i % 90 + 1}}},\n"
            f"  number = {{{i % 12 + 1}}},\n  pages = {{{i % 500 + 1}--{i % 500 + 9}}},\n  doi = {{10.5555/bench.{i}}},\n}}\n"
        )
    return "\n".join(rows)


def offline_run(path: Path) -> tuple[float, float, int, str]:
    """`sitecheck refs --bib PATH` in a child process: wall seconds, CPU seconds, peak RSS (KB), last line."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs_sitecheck", "refs", "--bib", str(path)], capture_output=True, text=True, cwd=path.parent)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = (done.stdout.strip().splitlines() or [done.stderr.strip()])[-1]
    return wall, cpu, after.ru_maxrss, last


def offline_scale(n: int) -> int:
    """Time the offline check of N entries and of N/4, and judge it against 60 s of CPU and 1 GB."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = []
        for count in (n // 4, n):
            path = Path(tmp) / f"scale{count}.bib"
            path.write_text(scale_entries(count), encoding="utf-8")
            size = path.stat().st_size
            wall, cpu, rss, last = offline_run(path)
            figures.append((count, cpu))
            print(f"{count:>8} entries, {size / 1e6:5.1f} MB: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {rss / 1024:6.0f} MB; {last}")
    (small, small_cpu), (large, large_cpu) = figures
    ratio = (large_cpu / large) / (small_cpu / small) if small_cpu else 0.0
    print(f"CPU per entry at {large} vs {small} entries: {ratio:.2f}x (1.0 = linear; the small run carries start-up cost)")
    peak_mb = rss / 1024
    return 0 if large_cpu <= 60 and peak_mb <= 1024 else 1


def main_bench() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    parser.add_argument("--storm", choices=[*STORMS, "none"], default="every-second", help="429 storm to run after")
    parser.add_argument("--storm-entries", type=int, default=40, help="entries in the storm run")
    parser.add_argument("--offline-scale", type=int, metavar="N", help="time the offline check of N entries instead")
    args = parser.parse_args()
    if args.offline_scale:
        return offline_scale(args.offline_scale)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    works, bib = generate(args.entries)
    fake = FakeServices(server, works, latency=args.latency)
    os.environ.update(fake.env())
    os.environ.setdefault("SITECHECK_MAILTO", "bench@example.org")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text("site_name: bench\nplugins:\n  - bibtex:\n      bib_file: refs.bib\n")
        (root / "refs.bib").write_text(bib)
        cold, cold_code, cold_summary = run(root, root / "cache")
        counts = {
            "doi.org": fake.counts["doi"],
            "crossref": fake.counts["crossref"] - fake.searches["crossref"],
            "crossref-search": fake.searches["crossref"],
            "ncbi": fake.counts["ncbi"],
            "datacite": fake.counts["datacite"],
        }
        warm, warm_code, warm_summary = run(root, root / "cache")
        warm_requests = sum(fake.counts.values()) - sum(counts.values())
        storm_line, storm_same = "", True
        if args.storm != "none":
            storm_line, storm_same = storm_run(root, fake, bib, args.storm_entries, args.storm)
    server.stop()

    bound, per_service = floor(counts)
    limits = policies(polite=True, ncbi_key=bool(os.environ.get("NCBI_API_KEY")))
    print(f"sitecheck refs --online: {args.entries} entries, {args.latency * 1000:.0f} ms latency per request")
    print(f"{'service':<16}{'requests':>9}{'rate/s':>8}{'floor s':>9}")
    for service, seconds in per_service.items():
        print(f"{service:<16}{counts[service]:>9}{limits[service].rate:>8g}{seconds:>9.1f}")
    print(f"floor (services in parallel): {bound:.1f} s")
    print(f"cold: {cold:.2f} s = {cold / bound:.2f} x floor (target <= 1.3)  exit {cold_code}: {cold_summary}")
    print(f"warm: {warm:.2f} s from the cache (target < 1 s), {warm_requests} requests  exit {warm_code}: {warm_summary}")
    if storm_line:
        print(storm_line)
    return 0 if cold / bound <= 1.3 and warm < 1 and warm_requests == 0 and storm_same else 1


if __name__ == "__main__":
    raise SystemExit(main_bench())
