"""Two builds of one commit with one KB_TODAY are byte-identical; `mkdocs serve` never rebuilds itself."""

from __future__ import annotations

import filecmp
import os
import re
import socket
import subprocess
import time
from datetime import datetime
from pathlib import Path

from conftest import BIN, ROOT, TODAY, copy_project, run_mkdocs
import pytest

pytestmark = pytest.mark.slow  # builds whole sites twice


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".pdf"}


def test_two_builds_are_byte_identical(tmp_path):
    for audience in ("internal", "public"):
        first, second = tmp_path / f"{audience}-1", tmp_path / f"{audience}-2"
        assert run_mkdocs(ROOT, first, audience=audience).returncode == 0
        time.sleep(1.1)  # a clock that leaked into the output would now differ
        assert run_mkdocs(ROOT, second, audience=audience).returncode == 0
        a, b = files_of(first), files_of(second)
        assert sorted(a) == sorted(b)
        different = [name for name in a if a[name] != b[name]]
        assert different == [], different
        assert "search/search_index.json" in a and "sitemap.xml" in a


def test_source_date_epoch_is_respected(tmp_path):
    site = tmp_path / "site"
    epoch = "1767225600"  # 2026-01-01
    assert run_mkdocs(ROOT, site, extra_env={"SOURCE_DATE_EPOCH": epoch}).returncode == 0
    assert _gzip_mtime(site / "sitemap.xml.gz") == int(epoch)
    site2 = tmp_path / "site2"
    assert run_mkdocs(ROOT, site2).returncode == 0  # KB_TODAY pins it
    assert _gzip_mtime(site2 / "sitemap.xml.gz") == int(datetime.fromisoformat(TODAY + "T00:00:00+00:00").timestamp())
    # the sitemap's lastmod is when each article last changed, whatever the build date
    assert (site / "sitemap.xml").read_bytes() == (site2 / "sitemap.xml").read_bytes()


def _gzip_mtime(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[4:8], "little")  # RFC 1952: MTIME, bytes 4-7


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_does_not_rebuild_itself(tmp_path):
    project = copy_project(tmp_path / "kb")
    env = {**os.environ, "KB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-f", str(project / "mkdocs.yml"),
                                   "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"],
                                  cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 60
            while "Serving on" not in log.read_text() and time.time() < deadline:
                time.sleep(0.3)
            assert "Serving on" in log.read_text(), log.read_text()
            time.sleep(6)  # anything a build wrote under a watched folder would have triggered a rebuild by now
            builds = len(re.findall(r"Documentation built in", log.read_text()))
            assert builds == 1, log.read_text()
            assert filecmp.dircmp(project / "docs", ROOT / "docs").diff_files == []
        finally:
            server.terminate()
            server.wait(timeout=20)
