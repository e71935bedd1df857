"""How long `kb import` takes for a whole book: a portable ZIP of N controlled pages (default 300) built by
tests/fixtures/bookstack/make_fixtures.py the way BookStack writes one, imported into an empty KB.

    .venv/bin/python benchmarks/import_bench.py [--pages 300] [--repeat 3]

Prints wall and CPU seconds per run (the machine is shared: CPU time is the steadier figure). Target: under 30 s
for 300 pages (issue 14).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tests/fixtures/bookstack/make_fixtures.py")
    fixtures = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fixtures
    spec.loader.exec_module(fixtures)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "book.zip"
        fixtures.build_zip(export, *fixtures.big_book(args.pages))
        for run in range(1, args.repeat + 1):
            project = Path(tmp) / f"kb{run}"
            project.mkdir()
            for name in ("mkdocs.yml", "hooks", "overrides", "data"):
                source = ROOT / name
                (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
            (project / "docs").mkdir()
            shutil.copy2(ROOT / "docs" / "authors.yml", project / "docs" / "authors.yml")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run([str(Path(sys.executable).parent / "kb"), "import", str(export), "--book", "big"],
                                    cwd=project, capture_output=True, text=True,
                                    env={**os.environ, "KB_TODAY": "2026-11-26"})
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            imported = result.stdout.count(" current)")  # articles, not the book's and chapters' indexes
            print(f"run {run}: {args.pages} pages, {imported} imported, exit {result.returncode}: "
                  f"{wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
