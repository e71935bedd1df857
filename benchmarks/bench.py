"""Benchmarks: what the KB's features cost over a plain Material site, at a given size and as the KB grows.

    .venv/bin/python benchmarks/bench.py [--n 1000] [--repeat 3] [--sizes 300,1000,3000] [--no-serve]

For each size it generates a synthetic KB (benchmarks/synthetic.py) in a temporary folder, then measures,
side by side within each repeat (so that the machine's load hits both alike):
  - the internal KB build (`mkdocs build --strict`) against a plain Material build of the same Markdown
    (same theme features, plugins and Markdown extensions; no KB hooks, overrides or extra.kb);
  - `kb check` over the corpus;
  - the public build with PDFs: cold (empty PDF cache) and again with nothing changed;
  - the peak memory (max RSS) of every one of those processes;
and, once per size, how long `mkdocs serve` takes to show an edit to one article (plain and --dirty).
It prints a table of medians, spreads (min-max) and ratios. Ratios count: this machine is noisy.
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

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
TODAY = date(2026, 11, 26)
PDF_SUMMARY = re.compile(r"PDFs: (\d+) rendered, (\d+) reused(?:, (\d+) failed)? \((\d+) articles, ([\d.]+) s\)")
MEASURES = ("plain", "kb", "check", "publish_cold", "publish_warm")
LABELS = {"plain": "plain Material build", "kb": "internal KB build", "check": "kb check",
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
            results.append(measure(n, workdir / f"kb-{n}", args.repeat, not args.no_serve, args.serve_timeout))
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


def measure(n: int, project: Path, repeat: int, serve: bool, serve_timeout: float) -> SizeResult:
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
        "kb": (mkdocs + ["--strict", "-d", "site-internal"], {"KB_AUDIENCE": "internal"}),
        "check": ([str(BIN / "kb"), "check", "-f", "mkdocs.yml"], {}),
        "publish_cold": (mkdocs + ["--strict", "-d", "site-public"], {"KB_AUDIENCE": "public"}),
        "publish_warm": (mkdocs + ["--strict", "-d", "site-public"], {"KB_AUDIENCE": "public"}),
    }
    for r in range(repeat):
        # The two builds compared swap places each repeat, so drift in the machine's load favours neither.
        order = ["plain", "kb"] if r % 2 == 0 else ["kb", "plain"]
        for name in [*order, "check", "publish_cold", "publish_warm"]:
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
        for mode in ("full", "dirty"):
            try:
                result.serve[mode] = measure_serve(project, env, mode == "dirty", serve_timeout)
            except TimeoutError as exc:
                result.serve[mode] = f"not measured: {exc}"
            print(f"  mkdocs serve ({mode}): {result.serve[mode]}", flush=True)
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


# mkdocs serve


def measure_serve(project: Path, env: dict[str, str], dirty: bool, timeout: float) -> dict[str, float]:
    """Start `mkdocs serve`, wait for it, edit one article twice, and time until each edit is served."""
    port = _free_port()
    args = [str(BIN / "mkdocs"), "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    article = next(p for p in sorted((project / "docs" / "email-delivery").glob("*.md")) if p.name != "index.md")
    url = f"http://127.0.0.1:{port}/email-delivery/{article.stem}/"
    original = article.read_text(encoding="utf-8")
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        server = subprocess.Popen(args, cwd=project, env={**env, "KB_AUDIENCE": "internal"},
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(url, None, deadline, server)
            out = {"startup_s": time.perf_counter() - started}
            time.sleep(1.0)  # let the watcher settle after the first build
            for attempt in (1, 2):
                marker = f"bench-edit-{attempt}-{time.time_ns()}"
                edited = time.perf_counter()
                article.write_text(original + f"\nEdited by the benchmark: {marker}\n", encoding="utf-8")
                _wait_for(url, marker, deadline, server)
                out[f"edit{attempt}_s"] = time.perf_counter() - edited
                time.sleep(1.0)
            return out
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            article.write_text(original, encoding="utf-8")


def _wait_for(url: str, marker: str | None, deadline: float, server: subprocess.Popen) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise TimeoutError(f"mkdocs serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if marker is None or marker in response.read().decode("utf-8", "replace"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not show {'the edit' if marker else 'up'} in time")


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


def kb_ratios(result: SizeResult, what: str = "wall") -> list[float]:
    """KB build over plain build, within each repeat."""
    return [getattr(k, what) / getattr(p, what) for k, p in zip(result.runs["kb"], result.runs["plain"])]


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
    for name in MEASURES:
        runs = result.runs[name]
        walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
        rows.append(f"| {LABELS[name]} | {_median(walls):.2f} | {_spread(walls)} | {_median(cpus):.2f} | "
                    f"{_spread(cpus)} | {_median(walls) * 1000 / n:.2f} | {_median(cpus) * 1000 / n:.2f} | "
                    f"{max(r.rss_mib for r in runs):.0f} |")
    wall, cpu = kb_ratios(result), kb_ratios(result, "cpu")
    cold = [p for p in result.pdfs if p["run"] == "publish_cold"]
    lines = [f"\n### N = {n} ({result.pages} Markdown pages, {len(result.runs['kb'])} repeats)\n",
             f"{result.machine}\n", *rows, "",
             f"- KB build / plain Material build: **{_median(wall):.3f}×** wall ({_spread(wall, '{:.3f}')}), "
             f"{_median(cpu):.3f}× CPU ({_spread(cpu, '{:.3f}')})",
             f"- PDFs cold: {cold[0]['rendered'] if cold else 0} rendered, **{_median(pdf_rate(result)):.1f} "
             f"articles/s** wall ({_spread(pdf_rate(result), '{:.1f}')}), {_median(pdf_cpu_rate(result)):.1f}/s "
             f"on {os.cpu_count()} cores of our own (CPU time); unchanged: **{warm_rendered(result)} rendered**"]
    for mode, serve in result.serve.items():
        if isinstance(serve, dict):
            lines.append(f"- mkdocs serve{' --dirty' if mode == 'dirty' else ''}: first build "
                         f"{serve['startup_s']:.1f} s; an edit to one article shows after "
                         f"{serve['edit1_s']:.1f} s, then {serve['edit2_s']:.1f} s")
        else:
            lines.append(f"- mkdocs serve{' --dirty' if mode == 'dirty' else ''}: {serve}")
    return "\n".join(lines)


def growth_table(results: list[SizeResult]) -> str:
    rows = ["\n### Growth: seconds per 1,000 articles, wall (CPU), medians\n",
            "| N | plain build | KB build | KB / plain | kb check | PDFs/s cold | rendered when unchanged "
            "| peak RSS KB build | peak RSS publish | serve: edit shown |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        def per(name: str) -> str:  # wall (CPU)
            wall, cpu = (_median([getattr(x, what) for x in r.runs[name]]) * 1000 / r.n for what in ("wall", "cpu"))
            return f"{wall:.2f} ({cpu:.2f})"
        serve = r.serve.get("full")
        shown = f"{serve['edit2_s']:.1f} s" if isinstance(serve, dict) else "–"
        rows.append(f"| {r.n} | {per('plain')} | {per('kb')} | {_median(kb_ratios(r)):.3f}× "
                    f"({_median(kb_ratios(r, 'cpu')):.3f}×) | {per('check')} | {_median(pdf_rate(r)):.1f} "
                    f"({_median(pdf_cpu_rate(r)):.1f}) | {warm_rendered(r)} | "
                    f"{max(x.rss_mib for x in r.runs['kb']):.0f} MiB | "
                    f"{max(x.rss_mib for x in r.runs['publish_cold'] + r.runs['publish_warm']):.0f} MiB | {shown} |")
    return "\n".join(rows)


def targets_table(results: list[SizeResult]) -> str:
    """Each target judged on wall time, and on CPU time: on a machine others load, the wall time of a
    single-threaded process is its CPU time plus waiting for a core."""
    def at(n: int) -> SizeResult:
        return min(results, key=lambda r: abs(r.n - n))

    at1000, largest = at(1000), max(results, key=lambda r: r.n)
    ratio, cpu_ratio = _median(kb_ratios(at1000)), _median(kb_ratios(at1000, "cpu"))
    check = _median([x.wall for x in at1000.runs["check"]]) * 1000 / at1000.n
    check_cpu = _median([x.cpu for x in at1000.runs["check"]]) * 1000 / at1000.n
    rate, cpu_rate = _median(pdf_rate(at1000)), _median(pdf_cpu_rate(at1000))
    warm = max(warm_rendered(r) for r in results)
    peak = max(x.rss_mib for name in MEASURES for x in largest.runs[name])
    mark = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    return "\n".join([
        "\n### Targets\n", "| target | wall time | | CPU time | |", "|---|---|---|---|---|",
        f"| internal build ≤ 1.10 × plain Material (N = {at1000.n}) | {ratio:.3f}× | {mark(ratio <= 1.10)} "
        f"| {cpu_ratio:.3f}× | {mark(cpu_ratio <= 1.10)} |",
        f"| kb check < 1 s per 1,000 articles (N = {at1000.n}) | {check:.2f} s | {mark(check < 1.0)} "
        f"| {check_cpu:.2f} s | {mark(check_cpu < 1.0)} |",
        f"| PDFs ≥ 10 articles/s cold (N = {at1000.n}) | {rate:.1f}/s | {mark(rate >= 10)} "
        f"| {cpu_rate:.1f}/s | {mark(cpu_rate >= 10)} |",
        f"| 0 PDFs rendered when nothing changed (every size) | {warm} | {mark(warm == 0)} | | |",
        f"| peak memory < 1 GiB (N = {largest.n}) | {peak:.0f} MiB | {mark(peak < 1024)} | | |",
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
