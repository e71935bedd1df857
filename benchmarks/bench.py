"""Benchmarks: what the KB's features cost over a plain Material site, at a given size and as the KB grows.

    .venv/bin/python benchmarks/bench.py [--n 1000] [--repeat 3] [--sizes 300,1000,3000] [--no-serve]

For each size it generates a synthetic KB (benchmarks/synthetic.py) in a temporary folder, then measures,
side by side within each repeat (so that the machine's load hits both alike):
  - the internal KB build (`mkdocs build --strict`) against a plain Material build of the same Markdown
    (same theme features, plugins and Markdown extensions; no KB hooks, overrides or extra.kb), and against a
    plain Material build with the search plugin only (no other plugin, no Markdown extension);
  - `kb check` over the corpus;
  - the public build with PDFs: cold (empty PDF cache) and again with nothing changed;
  - the peak memory (max RSS) of every one of those processes;
and, once per size, how long `make serve` takes to show an edit to one article on its page, the home page and
its other version's page. It prints a table of medians, spreads (min-max) and ratios, and whether the targets
are met. Ratios count: this machine is noisy. --builds-only measures the three builds alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
TODAY = date(2026, 11, 26)
PDF_SUMMARY = re.compile(r"PDFs: (\d+) rendered, (\d+) reused(?:, (\d+) failed)? \((\d+) articles, ([\d.]+) s\)")
MEASURES = ("plain", "plain_search", "kb", "check", "publish_cold", "publish_warm")
BUILDS = ("plain", "plain_search", "kb")
LABELS = {"plain": "plain Material build", "plain_search": "plain Material build, search only",
          "kb": "internal KB build", "check": "kb check",
          "publish_cold": "public build + PDFs, cold", "publish_warm": "public build + PDFs, unchanged"}


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak memory, and what it printed."""
    wall: float
    cpu: float
    rss_mib: float
    returncode: int
    output: str = field(repr=False, default="")


@dataclass
class SizeResult:
    n: int
    pages: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    pdfs: list[dict[str, float]] = field(default_factory=list)  # per publish run: rendered, reused, seconds
    serve: dict[str, dict[str, float] | str] = field(default_factory=dict)
    machine: str = ""  # the machine and its load when this size was measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or 1000), help="articles (default 1000)")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("REPEAT") or 3), help="repeats (default 3)")
    parser.add_argument("--sizes", help="comma-separated sizes for the growth table, e.g. 300,1000,3000")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--builds-only", action="store_true",
                        help="measure the three builds only (no kb check, publish or serve)")
    parser.add_argument("--serve-timeout", type=float, default=600.0,
                        help="give the serve measurement up after this many seconds (default 600)")
    parser.add_argument("--workdir", type=Path, help="where the corpora go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--json", type=Path, help="also write the raw results here (after each size)")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON",
                        help="measure nothing: print the tables of earlier --json results, sizes combined")
    args = parser.parse_args(argv)
    if args.report:
        results = sorted((load_result(item) for path in args.report
                          for item in json.loads(path.read_text(encoding="utf-8"))), key=lambda r: r.n)
        for result in results:
            print(size_table(result))
        print(growth_table(results))
        print(targets_table(results))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.n]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    print(machine(), flush=True)
    results = []
    try:
        for n in sizes:
            results.append(measure(n, workdir / f"kb-{n}", args.repeat, not (args.no_serve or args.builds_only),
                                   args.serve_timeout, args.builds_only))
            print(size_table(results[-1]), flush=True)
            if args.json:
                args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(growth_table(results))
    print(targets_table(results))
    return 0


def load_result(data: dict) -> SizeResult:
    runs = {name: [Run(**run) for run in items] for name, items in data["runs"].items()}
    return SizeResult(data["n"], data["pages"], runs, data["pdfs"], data["serve"], data.get("machine", ""))


def measure(n: int, project: Path, repeat: int, serve: bool, serve_timeout: float,
            builds_only: bool = False) -> SizeResult:
    print(f"\n## N = {n}: generating the corpus in {project}", flush=True)
    counts = synthetic.make_project(project, n, TODAY)
    write_plain_config(project)
    result = SizeResult(n, sum(1 for _ in (project / "docs").rglob("*.md")), machine=machine())
    print(f"{counts} ({result.pages} Markdown pages)", flush=True)
    env = {**os.environ, "KB_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("KB_PDF", None)
    mkdocs = [str(BIN / "mkdocs"), "build"]
    commands = {
        "plain": (mkdocs + ["-f", "mkdocs-plain.yml", "-d", "site-plain"], {}),
        "plain_search": (mkdocs + ["-f", "mkdocs-plain-search.yml", "-d", "site-plain-search"], {}),
        "kb": (mkdocs + ["--strict", "-d", "site-internal"], {"KB_AUDIENCE": "internal"}),
        "check": ([str(BIN / "kb"), "check", "-f", "mkdocs.yml"], {}),
        "publish_cold": (mkdocs + ["--strict", "-d", "site-public"], {"KB_AUDIENCE": "public"}),
        "publish_warm": (mkdocs + ["--strict", "-d", "site-public"], {"KB_AUDIENCE": "public"}),
    }
    for r in range(repeat):
        # The builds compared take turns at going first, so drift in the machine's load favours none of them.
        order = list(BUILDS[r % 3:] + BUILDS[:r % 3])
        for name in order if builds_only else [*order, "check", "publish_cold", "publish_warm"]:
            if name == "publish_cold":
                shutil.rmtree(project / ".cache" / "pdf", ignore_errors=True)
            args, extra = commands[name]
            run = run_child(args, project, {**env, **extra})
            if run.returncode != 0:
                raise SystemExit(f"{name} failed ({run.returncode}):\n{run.output[-4000:]}")
            result.runs.setdefault(name, []).append(run)
            if name.startswith("publish"):
                found = PDF_SUMMARY.findall(run.output)
                if not found:
                    raise SystemExit(f"{name}: no PDF summary in the build's log:\n{run.output[-2000:]}")
                rendered, reused, failed, total, seconds = found[-1]
                result.pdfs.append({"run": name, "rendered": int(rendered), "reused": int(reused),
                                    "failed": int(failed or 0), "articles": int(total), "seconds": float(seconds)})
            print(f"  repeat {r + 1}: {LABELS[name]:32} {run.wall:7.2f} s wall {run.cpu:7.2f} s CPU "
                  f"{run.rss_mib:6.0f} MiB", flush=True)
    if serve:
        try:
            result.serve["make serve"] = measure_serve(project, env, serve_timeout)
        except TimeoutError as exc:
            result.serve["make serve"] = f"not measured: {exc}"
        print(f"  make serve: {result.serve['make serve']}", flush=True)
    result.machine += "; load average {:.2f} {:.2f} {:.2f} at the end".format(*os.getloadavg())
    return result


def run_child(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command; its own rusage (os.wait4) gives CPU time and peak RSS, its children's included."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, text[-4000:])


def write_plain_config(project: Path) -> None:
    """mkdocs-plain.yml: the KB's mkdocs.yml less what makes it the KB (hooks, overrides, extra.kb, kb.*
    Markdown extensions); theme features, plugins and every other Markdown extension stay the same."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_KeepTags)
    config.pop("hooks", None)
    config.get("theme", {}).pop("custom_dir", None)
    kb = (config.get("extra") or {}).pop("kb", None) or {}
    if (kb.get("sites") or {}).get("internal"):  # the KB build's own site_url, so both write the same sitemap
        config["site_url"] = kb["sites"]["internal"]
    config["markdown_extensions"] = [
        ext for ext in config.get("markdown_extensions", [])
        if not str(next(iter(ext)) if isinstance(ext, dict) else ext).startswith("kb.")]
    (project / "mkdocs-plain.yml").write_text(yaml.dump(config, Dumper=_KeepTagsDumper, sort_keys=False),
                                              encoding="utf-8")
    # mkdocs-plain-search.yml: the same theme and features with the search plugin alone and MkDocs' own Markdown
    config["plugins"] = [plugin for plugin in config.get("plugins", [])
                         if (next(iter(plugin)) if isinstance(plugin, dict) else plugin) == "search"]
    config.pop("markdown_extensions", None)
    (project / "mkdocs-plain-search.yml").write_text(yaml.dump(config, Dumper=_KeepTagsDumper, sort_keys=False),
                                                     encoding="utf-8")


# make serve


def measure_serve(project: Path, env: dict[str, str], timeout: float, edits: int = 2) -> dict[str, Any]:
    """Start `make serve`'s command on a free port, edit one article's latest change `edits` times, and time
    until its page, the home page (recent changes) and its other version's page (version list) all show it.
    Returns seconds (startup_s, edit<i>_s: the slowest of the three pages) and the pages each rebuild rendered."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        server = subprocess.Popen(serve_command(port), cwd=project, env={**env, "KB_AUDIENCE": "internal"},
                                  stdout=log, stderr=subprocess.STDOUT)
        article = original = None
        try:
            home = _wait_for(base, "Recently changed", deadline, server)
            out: dict[str, Any] = {"startup_s": time.perf_counter() - started}
            article, archive = _revised_article(project, home)
            original = article.read_text(encoding="utf-8")
            urls = {"article": base + _page_url(project, article), "home": base,
                    "other version": base + _page_url(project, archive)}
            last = [line for line in original.splitlines() if line.lstrip().startswith("- {date")][-1]
            time.sleep(1.0)  # let the watcher settle after the first build
            for attempt in range(1, edits + 1):
                marker = f"bench-edit-{attempt}-{time.time_ns()}"
                edited, cpu = time.perf_counter(), _cpu_seconds(server.pid)
                article.write_text(original.replace(last, re.sub(r"change: [^}]*", f"change: {marker}", last)),
                                   encoding="utf-8")
                for url in urls.values():
                    _wait_for(url, marker, deadline, server)
                out[f"edit{attempt}_s"] = time.perf_counter() - edited
                out[f"edit{attempt}_cpu_s"] = _cpu_seconds(server.pid) - cpu  # the server's, for the rebuild
                time.sleep(1.0)
            log.seek(0)
            out["rendered"] = [f"{done} of {total}" for done, total in re.findall(
                r"Serve: \d+ file\(s\) changed, (\d+) of (\d+) page", log.read().decode("utf-8", "replace"))]
            return out
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if article is not None and original is not None:
                article.write_text(original, encoding="utf-8")


def serve_command(port: int) -> list[str]:
    """The Makefile's `serve` recipe, on another port of 127.0.0.1."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    args = recipe.replace("$(VENV)/bin/", str(BIN) + "/").split()
    return [f"127.0.0.1:{port}" if re.fullmatch(r"127\.0\.0\.1:\d+", arg) else arg for arg in args]


def _revised_article(project: Path, home: str) -> tuple[Path, Path]:
    """An article listed in the home page's recent changes that has an archived version, and that version."""
    recent = home.split("Recently changed", 1)[1]
    for href in re.findall(r'<a href="([^"]+)">\d', recent):
        folder = project / "docs" / href.strip("./").rstrip("/")
        if folder.is_dir() and any(folder.glob("v*.md")):
            return folder.parent / f"{folder.name}.md", sorted(folder.glob("v*.md"))[-1]
    raise TimeoutError("no revised article among the home page's recent changes")


def _page_url(project: Path, source: Path) -> str:
    return source.relative_to(project / "docs").with_suffix("").as_posix() + "/"


def _wait_for(url: str, marker: str | None, deadline: float, server: subprocess.Popen) -> str:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise TimeoutError(f"mkdocs serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode("utf-8", "replace")
                if marker is None or marker in text:
                    return text
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not show {'the edit' if marker else 'up'} in time")


def _cpu_seconds(pid: int) -> float:
    """CPU time a running process has used so far (Linux /proc): on a shared machine, what a rebuild costs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Reports


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Machine: {os.cpu_count()} CPUs ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB RAM, "
            f"load average {load} at start; Python {sys.version.split()[0]}")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(min(values))}–{fmt.format(max(values))}" if len(values) > 1 else "–"


def kb_ratios(result: SizeResult, what: str = "wall", plain: str = "plain") -> list[float]:
    """KB build over a plain build (`plain` or `plain_search`), within each repeat."""
    return [getattr(k, what) / getattr(p, what) for k, p in zip(result.runs["kb"], result.runs.get(plain, []))]


def pdf_rate(result: SizeResult) -> list[float]:
    """PDFs rendered per second of PDF rendering, in the cold runs."""
    return [p["rendered"] / p["seconds"] for p in result.pdfs if p["run"] == "publish_cold" and p["seconds"]]


def pdf_cpu_rate(result: SizeResult) -> list[float]:
    """PDFs per second the machine's cores would render if they were ours alone: the CPU time of a cold
    publish less that of the unchanged one (same build, no rendering) is the rendering's, spread over the cores."""
    cold = [p for p in result.pdfs if p["run"] == "publish_cold"]
    pairs = zip(cold, result.runs["publish_cold"], result.runs["publish_warm"])
    return [p["rendered"] / ((c.cpu - w.cpu) / (os.cpu_count() or 1)) for p, c, w in pairs if c.cpu > w.cpu]


def warm_rendered(result: SizeResult) -> int:
    return max((int(p["rendered"]) for p in result.pdfs if p["run"] == "publish_warm"), default=-1)


def size_table(result: SizeResult) -> str:
    n, rows = result.n, []
    rows.append("| measure | median wall s | spread | median CPU s | spread | wall s per 1,000 | CPU s per 1,000 "
                "| peak RSS MiB |")
    rows.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in (m for m in MEASURES if m in result.runs):
        runs = result.runs[name]
        walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
        rows.append(f"| {LABELS[name]} | {_median(walls):.2f} | {_spread(walls)} | {_median(cpus):.2f} | "
                    f"{_spread(cpus)} | {_median(walls) * 1000 / n:.2f} | {_median(cpus) * 1000 / n:.2f} | "
                    f"{max(r.rss_mib for r in runs):.0f} |")
    wall, cpu = kb_ratios(result), kb_ratios(result, "cpu")
    search_cpu = kb_ratios(result, "cpu", "plain_search")
    cold = [p for p in result.pdfs if p["run"] == "publish_cold"]
    lines = [f"\n### N = {n} ({result.pages} Markdown pages, {len(result.runs['kb'])} repeats)\n",
             f"{result.machine}\n", *rows, "",
             f"- KB build / plain Material build (same plugins and extensions): **{_median(cpu):.3f}× CPU** "
             f"({_spread(cpu, '{:.3f}')}), {_median(wall):.3f}× wall ({_spread(wall, '{:.3f}')})",
             f"- KB build / plain Material build, search only: **{_median(search_cpu):.3f}× CPU** "
             f"({_spread(search_cpu, '{:.3f}')})"]
    if "publish_cold" not in result.runs:
        return "\n".join(lines)
    lines += [f"- PDFs cold: {cold[0]['rendered'] if cold else 0} rendered, **{_median(pdf_rate(result)):.1f} "
             f"articles/s** wall ({_spread(pdf_rate(result), '{:.1f}')}), {_median(pdf_cpu_rate(result)):.1f}/s "
             f"on {os.cpu_count()} cores of our own (CPU time); unchanged: **{warm_rendered(result)} rendered**"]
    for mode, serve in result.serve.items():
        if isinstance(serve, dict):
            lines.append(f"- {mode}: first build {serve['startup_s']:.1f} s; an edit to one article shows on its "
                         f"page, the home page and its other version's after {serve['edit1_s']:.1f} s, then "
                         f"{serve['edit2_s']:.1f} s wall ({serve.get('edit1_cpu_s', float('nan')):.1f} s, "
                         f"{serve.get('edit2_cpu_s', float('nan')):.1f} s of the server's CPU; pages rendered: "
                         f"{', '.join(serve.get('rendered', []))})")
        else:
            lines.append(f"- {mode}: {serve}")
    return "\n".join(lines)


def growth_table(results: list[SizeResult]) -> str:
    if any("publish_cold" not in r.runs for r in results):
        return ""  # --builds-only
    rows = ["\n### Growth: seconds per 1,000 articles, wall (CPU), medians\n",
            "| N | plain build | KB build | KB / plain | KB / search only | kb check | PDFs/s cold "
            "| rendered when unchanged | peak RSS KB build | peak RSS publish | make serve: edit shown |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        def per(name: str) -> str:  # wall (CPU)
            wall, cpu = (_median([getattr(x, what) for x in r.runs[name]]) * 1000 / r.n for what in ("wall", "cpu"))
            return f"{wall:.2f} ({cpu:.2f})"
        serve = r.serve.get("make serve")
        shown = f"{serve['edit2_s']:.1f} s" if isinstance(serve, dict) else "–"
        rows.append(f"| {r.n} | {per('plain')} | {per('kb')} | {_median(kb_ratios(r)):.3f}× "
                    f"({_median(kb_ratios(r, 'cpu')):.3f}×) | ({_median(kb_ratios(r, 'cpu', 'plain_search')):.3f}×) "
                    f"| {per('check')} | {_median(pdf_rate(r)):.1f} "
                    f"({_median(pdf_cpu_rate(r)):.1f}) | {warm_rendered(r)} | "
                    f"{max(x.rss_mib for x in r.runs['kb']):.0f} MiB | "
                    f"{max(x.rss_mib for x in r.runs['publish_cold'] + r.runs['publish_warm']):.0f} MiB | {shown} |")
    return "\n".join(rows)


def targets_table(results: list[SizeResult]) -> str:
    """Each target, judged on CPU time (medians of the per-repeat ratios): on a machine others load, the wall
    time of a single-threaded process is its CPU time plus waiting for a core. Wall time is shown beside it."""
    def at(n: int) -> SizeResult:
        return min(results, key=lambda r: abs(r.n - n))

    at1000, largest = at(1000), max(results, key=lambda r: r.n)
    ratio, cpu_ratio = _median(kb_ratios(at1000)), _median(kb_ratios(at1000, "cpu"))
    search, cpu_search = (_median(kb_ratios(at1000, what, "plain_search")) for what in ("wall", "cpu"))
    mark = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    rows = ["\n### Targets (judged on CPU time; make serve on wall time)\n", "| target | CPU time | | wall time |",
            "|---|---|---|---|",
            f"| internal build ≤ 1.10 × plain Material, same plugins and extensions (N = {at1000.n}) "
            f"| {cpu_ratio:.3f}× | {mark(cpu_ratio <= 1.10)} | {ratio:.3f}× |",
            f"| internal build ≤ 1.25 × plain Material, search only (N = {at1000.n}) "
            f"| {cpu_search:.3f}× | {mark(cpu_search <= 1.25)} | {search:.3f}× |"]
    serve = at1000.serve.get("make serve")
    if isinstance(serve, dict):
        # judged on what the author waits for, the wall time; the server's CPU time is shown beside it
        cpu = max(serve.get("edit1_cpu_s", float("inf")), serve.get("edit2_cpu_s", float("inf")))
        shown = max(serve["edit1_s"], serve["edit2_s"])
        rows.append(f"| make serve shows an edit in < 3 s (N = {at1000.n}; article, home and other version) "
                    f"| {cpu:.1f} s | {mark(shown < 3.0)} | {serve['edit1_s']:.1f} s, {serve['edit2_s']:.1f} s |")
    if "publish_cold" not in at1000.runs:
        return "\n".join(rows)
    check = _median([x.wall for x in at1000.runs["check"]]) * 1000 / at1000.n
    check_cpu = _median([x.cpu for x in at1000.runs["check"]]) * 1000 / at1000.n
    rate, cpu_rate = _median(pdf_rate(at1000)), _median(pdf_cpu_rate(at1000))
    warm = max(warm_rendered(r) for r in results)
    peak = max(x.rss_mib for name in MEASURES for x in largest.runs[name])
    return "\n".join(rows + [
        f"| kb check < 1 s per 1,000 articles (N = {at1000.n}) | {check_cpu:.2f} s | {mark(check_cpu < 1.0)} "
        f"| {check:.2f} s |",
        f"| PDFs ≥ 10 articles/s cold (N = {at1000.n}) | {cpu_rate:.1f}/s | {mark(cpu_rate >= 10)} | {rate:.1f}/s |",
        f"| 0 PDFs rendered when nothing changed (every size) | {warm} | {mark(warm == 0)} | |",
        f"| peak memory < 1 GiB (N = {largest.n}) | {peak:.0f} MiB | {mark(peak < 1024)} | |",
    ])


# YAML that keeps MkDocs' tags (!ENV, !!python/name:...) as they are


class _Tagged:
    def __init__(self, tag: str, value: object) -> None:
        self.tag, self.value = tag, value


class _KeepTags(yaml.SafeLoader):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node))
    if isinstance(node, yaml.MappingNode):
        return _Tagged(node.tag, loader.construct_mapping(node))
    return _Tagged(node.tag, loader.construct_scalar(node))


_KeepTags.add_multi_constructor("!", _construct_tagged)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _KeepTagsDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_KeepTagsDumper.add_representer(_Tagged, _represent_tagged)


if __name__ == "__main__":
    sys.exit(main())
