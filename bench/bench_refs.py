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

``--scale`` instead measures the offline check at scale (issue 18, item 4): a bibliography of about
``--scale-mb`` MB (about 300 bytes an entry: 60 MB is some 200,000 entries), synthetic or made of the
real entries of ``--scale-corpus`` with renamed keys, checked at 1/4, 1/2 and the full size by
``sitecheck refs --bib FILE`` in a child process from ``--sitecheck SCRIPTS_DIR``; the figures are
wall time, peak RSS (``wait4``), entries per second and the exit status. Each run is bounded by
``--scale-timeout`` seconds and ``--scale-memory-gb`` of address space.

    .venv/bin/python bench/bench_refs.py --scale [--scale-mb 60] [--scale-corpus /work/corpus/bib] [--sitecheck DIR]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.refs.fakeservices import FakeServices, Fault, Work  # noqa: E402

from sitecheck.cli import main  # noqa: E402
from sitecheck.refs.sources import policies  # noqa: E402

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


def synthetic_entry(i: int) -> str:
    """One realistic entry of about 300 bytes: an article with a DOI, a book with an ISBN, a paper without one, a web page."""
    title = " ".join(WORDS[(i * k + k) % len(WORDS)] for k in range(1, 9)).capitalize()
    author = f"Author{i % 9973}, Ann and Second{i % 701}, Bo"
    kind = i % 4
    if kind == 0:
        return (f"@article{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n"
                f"  journal = {{Journal of Benchmark Psychiatry}},\n  year = {{{1990 + i % 35}}},\n  volume = {{{i % 90 + 1}}},\n"
                f"  pages = {{{i % 900 + 1}--{i % 900 + 9}}},\n  doi = {{10.5555/bench.{i}}}\n}}\n")  # fmt: skip
    if kind == 1:
        return (f"@book{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n  publisher = {{Benchmark Press}},\n"
                f"  address = {{Oxford}},\n  year = {{{1990 + i % 35}}},\n  isbn = {{{isbn13(978_000_000_000 + i)}}}\n}}\n")  # fmt: skip
    if kind == 2:
        return (f"@inproceedings{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n"
                f"  booktitle = {{Proceedings of the Benchmark Conference}},\n  year = {{{1990 + i % 35}}},\n"
                f"  pages = {{{i % 900 + 1}--{i % 900 + 9}}}\n}}\n")  # fmt: skip
    return (f"@misc{{s{i},\n  author = {{{author}}},\n  title = {{{title} {i}}},\n  year = {{{1990 + i % 35}}},\n"
            f"  howpublished = {{\\url{{https://www.who.int/publications/bench/{i}}}}},\n  note = {{Accessed 2024-01-0{i % 9 + 1}}}\n}}\n")  # fmt: skip


def isbn13(first12: int) -> str:
    """The ISBN-13 whose first twelve digits are ``first12``, with its check digit."""
    digits = f"{first12:012d}"
    total = sum(int(d) * (1 if n % 2 == 0 else 3) for n, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def real_entries(corpus: Path) -> list[str]:
    """The entries of every .bib file in ``corpus`` (text from one line-start ``@`` to the next); @string kept in front."""
    entries: list[str] = []
    for path in sorted(corpus.glob("*.bib")):
        text = path.read_text("utf-8", "replace")
        entries += [chunk if chunk.startswith("@") else "@" + chunk for chunk in re.split(r"(?m)^@", text)[1:]]
    return entries


def scale_file(path: Path, megabytes: float, corpus: Path | None) -> int:
    """Write a bibliography of about ``megabytes`` MB to ``path``; return its entry count."""
    target, size, count = int(megabytes * 1_000_000), 0, 0
    pool = real_entries(corpus) if corpus else []
    key = re.compile(r"^(@\s*\w+\s*[{(]\s*)([^,\s]*)")
    with path.open("w", encoding="utf-8") as out:
        while size < target:
            if pool:
                chunk = pool[count % len(pool)]
                if not re.match(r"@\s*(string|preamble|comment)", chunk, re.IGNORECASE):
                    chunk = key.sub(rf"\g<1>\g<2>-r{count // len(pool)}", chunk, count=1)
            else:
                chunk = synthetic_entry(count)
            size += len(chunk.encode()) + 1
            out.write(chunk + "\n")
            count += 1
    return count


def measured_run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float, memory_gb: float) -> tuple[float, int, int, str]:
    """Run ``cmd`` in a child: wall seconds, peak RSS in KiB, exit status (-9 when killed at the timeout), last line."""

    def limit() -> None:
        os.nice(10)
        cap = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        took = time.perf_counter() - started
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    code = os.waitstatus_to_exitcode(status)
    return took, usage.ru_maxrss, code, lines[-1][:200] if lines else ""


def scale_bench(megabytes: float, corpus: Path | None, scripts: Path, timeout: float, memory_gb: float) -> int:
    """Check 1/4, 1/2 and the full size offline; print time, peak RSS and throughput per size."""
    env = dict(os.environ, PYTHONPATH=str(scripts.resolve()), SITECHECK_TODAY="2026-12-06")
    source = f"real entries of {corpus}" if corpus else "synthetic entries"
    print(f"sitecheck refs --bib (offline) at scale, {source}, sitecheck from {scripts}")
    print(f"{'MB':>6}{'entries':>9}{'wall s':>9}{'peak RSS MB':>13}{'entries/s':>11}  exit  last line")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for fraction in (0.25, 0.5, 1.0):
            bib = Path(tmp) / "big.bib"
            entries = scale_file(bib, megabytes * fraction, corpus)
            size = bib.stat().st_size / 1e6
            cmd = [sys.executable, "-m", "sitecheck", "refs", "--bib", str(bib), "--format", "text"]
            took, rss, code, last = measured_run(cmd, Path(tmp), env, timeout, memory_gb)
            print(f"{size:>6.1f}{entries:>9}{took:>9.1f}{rss / 1024:>13.0f}{entries / took:>11.0f}  {code:>4}  {last}", flush=True)
            ok = ok and code in (0, 1) and (fraction < 1.0 or (took <= 60 and rss < 2**20))
    return 0 if ok else 1


def main_bench() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every answer")
    parser.add_argument("--storm", choices=[*STORMS, "none"], default="every-second", help="429 storm to run after")
    parser.add_argument("--storm-entries", type=int, default=40, help="entries in the storm run")
    parser.add_argument("--scale", action="store_true", help="measure the offline check at scale instead")
    parser.add_argument("--scale-mb", type=float, default=60.0, help="size of the full-size bibliography")
    parser.add_argument("--scale-corpus", type=Path, help="a folder of real .bib files to repeat (default: synthetic)")
    parser.add_argument("--sitecheck", type=Path, default=REPO / "scripts", help="scripts dir of the sitecheck under test")
    parser.add_argument("--scale-timeout", type=float, default=600.0, help="seconds allowed per scale run")
    parser.add_argument("--scale-memory-gb", type=float, default=3.0, help="address-space cap per scale run")
    args = parser.parse_args()
    if args.scale:
        return scale_bench(args.scale_mb, args.scale_corpus, args.sitecheck, args.scale_timeout, args.scale_memory_gb)
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
