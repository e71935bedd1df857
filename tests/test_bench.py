"""The benchmark runs end to end on a tiny KB. It proves the script works; it asserts no timings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the benchmark end to end


def test_benchmark_runs_at_tiny_size(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--n", "12", "--repeat", "1",
         "--serve-timeout", "120", "--workdir", str(tmp_path / "work"), "--json", str(tmp_path / "bench.json")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for label in ("plain Material build", "plain Material build, search only", "internal KB build", "kb check", "public build + PDFs, cold",
                  "public build + PDFs, unchanged", "### Growth", "### Targets"):
        assert label in out, out
    # a publish with nothing changed renders no PDF again
    assert "unchanged: **0 rendered**" in out, out
    assert "make serve: first build" in out or "make serve: not measured" in out, out
    # both ratios the targets name, each said to be met or not
    assert "plain Material build, search only" in out and out.count("× | met |") + out.count("× | **not met** |") >= 2, out
    assert not (tmp_path / "work").exists()  # the generated corpus is cleaned up
    # the saved results print the same tables again, sizes combined
    report = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--report",
                             str(tmp_path / "bench.json")], capture_output=True, text=True, timeout=60)
    assert report.returncode == 0, report.stderr
    assert "### N = 12" in report.stdout and "### Targets" in report.stdout
