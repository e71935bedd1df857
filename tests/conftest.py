"""Shared fixtures: build the real site (or a small fixture KB) with MkDocs, serve it on 127.0.0.1, and drive
it with Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
TODAY = "2026-11-26"  # date-sensitive tests pin KB_TODAY


def run_mkdocs(project: Path, site_dir: Path, *, audience: str = "internal", today: str = TODAY,
               strict: bool = True, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` of `project` into `site_dir`, as `make build` runs it."""
    env = {**os.environ, "KB_AUDIENCE": audience, "KB_TODAY": today, "NO_MKDOCS_2_WARNING": "1",
           **(extra_env or {})}
    # no -q: MkDocs' quiet mode drops warnings before --strict can count them
    args = [str(BIN / "mkdocs"), "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.insert(2, "--strict")
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=project)


def run_kb(project: Path, *args: str, today: str = TODAY, extra_env: dict[str, str] | None = None,
           input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KB_TODAY": today, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    return subprocess.run([str(BIN / "kb"), *args], capture_output=True, text=True, env=env, cwd=project,
                          input=input)


def copy_project(dest: Path, *, with_docs: bool = True) -> Path:
    """A copy of this repository's site sources (mkdocs.yml, hooks, overrides, data, docs) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "hooks", "overrides", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    if with_docs:
        shutil.copytree(ROOT / "docs", dest / "docs")
    else:
        (dest / "docs").mkdir()
        shutil.copy2(ROOT / "docs" / "authors.yml", dest / "docs" / "authors.yml")
        shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
        (dest / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build the real repository once per (audience, today) and hand out the site folder."""
    cache: dict[tuple[str, str], Path] = {}

    def build(audience: str = "internal", today: str = TODAY) -> Path:
        key = (audience, today)
        if key not in cache:
            site = tmp_path_factory.mktemp(f"site-{audience}")
            result = run_mkdocs(ROOT, site, audience=audience, today=today)
            assert result.returncode == 0, result.stderr
            cache[key] = site
        return cache[key]

    return build


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """serve(site_dir) -> base URL of a static server on 127.0.0.1 for that folder."""
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def start(site: Path) -> str:
        if site not in servers:
            handler = functools.partial(_QuietHandler, directory=str(site))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[site] = server
        return f"http://127.0.0.1:{servers[site].server_port}"

    yield start
    for server in servers.values():
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: no browser download."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make test' (installs Debian's chromium) "
                    "or set KB_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
