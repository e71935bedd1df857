"""Edits that cannot be half done: `kb revise` and `kb approve` killed (or refused by a full disk) at each of
their writes leave every article whole, `kb check` says truthfully whether and how a command was cut short,
and running the same command again finishes it. The half-states older versions left are found too, and a
read-only docs/ is an error message."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_project, run_kb
from kb import frontmatter
from test_rules import CASES

STRACE = shutil.which("strace") or "/usr/bin/strace"
TODAY = "2026-11-20"
ARTICLE = "docs/it/10.001-reset-password.md"
ARCHIVE = "docs/it/10.001-reset-password/v1.0.md"
REVISE = ("revise", "10.001", "--change", "Cover MFA resets", "--author", "neil")
APPROVE = ("approve", "10.001", "--by", "Jo Marsh")
needs_strace = pytest.mark.skipif(not Path(STRACE).exists(), reason="strace missing: run 'make test' as root")


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> dict[str, Path]:
    """The KB before `kb revise`, after it (= before `kb approve`), and after `kb approve`, run whole."""
    root = tmp_path_factory.mktemp("atomic")
    project = copy_project(root / "before-revise", with_docs=False)
    (project / ARTICLE).parent.mkdir(parents=True)
    (project / ARTICLE).write_text(CASES[0]["article"], encoding="utf-8")
    out = {"revise": project}
    for name, command, following in (("revise", REVISE, "approve"), ("approve", APPROVE, "done")):
        copy = root / f"before-{following}"
        shutil.copytree(out[name], copy)
        result = run_kb(copy, *command, today=TODAY)
        assert result.returncode == 0, result.stderr
        out[following] = copy
    return out


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project / "docs").as_posix(): p.read_bytes()
            for p in sorted((project / "docs").rglob("*")) if p.is_file() and "assets" not in p.parts}


def run_interrupted(project: Path, command: tuple[str, ...], inject: str) -> subprocess.CompletedProcess[str]:
    """`kb COMMAND` under strace, which injects `inject` (e.g. write:signal=SIGKILL:when=2) into it."""
    env = {**os.environ, "KB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"inject={inject}", str(BIN / "kb"), *command],
                          capture_output=True, text=True, env=env, cwd=project, timeout=60)


def count_calls(project: Path, command: tuple[str, ...], syscall: str) -> int:
    """How many times a whole run of `command` makes `syscall` (the points at which it can be killed)."""
    scratch = project.parent / f"count-{project.name}"
    shutil.copytree(project, scratch)
    log = scratch.parent / f"{scratch.name}.strace"
    env = {**os.environ, "KB_TODAY": TODAY, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([STRACE, "-f", "-qq", "-o", str(log), "-e", f"trace={syscall}", str(BIN / "kb"), *command],
                   capture_output=True, env=env, cwd=scratch, check=True, timeout=60)
    shutil.rmtree(scratch)
    return sum(f" {syscall}(" in line for line in log.read_text().splitlines())


def assert_interruption_is_safe(tmp_path: Path, states: dict[str, Path], name: str, inject: str) -> str:
    """Interrupt `kb NAME` with `inject`; check every article is whole, kb check is truthful, and a retry
    ends in exactly the state of an uninterrupted run. Returns which state the interruption left."""
    command = REVISE if name == "revise" else APPROVE
    before, after = states[name], states["approve" if name == "revise" else "done"]
    old, new = snapshot(before), snapshot(after)
    project = tmp_path / f"{name}-{inject.replace(':', '-').replace('=', '')}"
    shutil.copytree(before, project)
    result = run_interrupted(project, command, inject)
    assert "Traceback" not in result.stderr, result.stderr
    now = snapshot(project)
    leftovers = [path for path in now if path.rsplit("/", 1)[-1].startswith(".")]
    for path, content in now.items():
        if path in leftovers:
            continue
        assert content in (old.get(path), new.get(path)), f"{inject}: {path} is neither the old nor the new file"
        if path.endswith(".md") and path != "index.md":
            assert content.strip(), f"{inject}: {path} is empty"
            read = frontmatter.read(path, content.decode("utf-8"))
            assert read.data and not read.problems, f"{inject}: {path} does not parse"
    state = "old" if {k: v for k, v in now.items() if k not in leftovers} == old else \
        "new" if {k: v for k, v in now.items() if k not in leftovers} == new else "half"
    checked = run_kb(project, "check", today=TODAY)
    assert "Traceback" not in checked.stderr
    if state == "half":
        assert checked.returncode == 1, f"{inject}: kb check passes a half-done {name}:\n{checked.stdout}"
        assert f"a 'kb {name}' was interrupted; run 'kb {name} 10.001" in checked.stdout, checked.stdout
    else:
        assert checked.returncode == 0, f"{inject}: kb check fails a whole state ({state}):\n{checked.stdout}"
    if leftovers:
        assert "temporary file left by an interrupted kb command" in checked.stdout, checked.stdout
    retried = run_kb(project, *command, today=TODAY)
    assert "Traceback" not in retried.stderr
    if state == "new":  # done before the kill (while printing): the retry says there is nothing to do
        assert retried.returncode == 1 and "Error:" in retried.stderr
    else:
        assert retried.returncode == 0, f"{inject}: the retry failed: {retried.stderr}"
    assert snapshot(project) == new, f"{inject}: the retry did not end where an uninterrupted {name} ends"
    assert run_kb(project, "check", "--strict", today=TODAY).returncode == 0
    return state


@pytest.mark.slow
@needs_strace
@pytest.mark.parametrize("name", ["revise", "approve"])
def test_killed_at_its_first_file_write(tmp_path, states, name):
    """The quick case: old kb emptied the file it was writing here."""
    assert assert_interruption_is_safe(tmp_path, states, name, "write:signal=SIGKILL:when=1") == "old"


@needs_strace
@pytest.mark.parametrize("name", ["approve", pytest.param("revise", marks=pytest.mark.slow)])
def test_killed_between_its_two_files(tmp_path, states, name):
    """The second rename never happens: the first file is new, the second old. kb check says so, and how to
    finish; the same command finishes it."""
    assert assert_interruption_is_safe(tmp_path, states, name, "rename:signal=SIGKILL:when=2") == "half"


@pytest.mark.slow
@needs_strace
@pytest.mark.parametrize("name", ["revise", "approve"])
@pytest.mark.parametrize("syscall, action", [("write", "signal=SIGKILL"), ("fsync", "signal=SIGKILL"),
                                             ("rename", "signal=SIGKILL"), ("write", "error=ENOSPC")])
def test_interrupted_at_every_write(tmp_path, states, name, syscall, action):
    """Every point at which the command can be killed, or find the disk full."""
    calls = count_calls(states[name], REVISE if name == "revise" else APPROVE, syscall)
    assert calls >= 2
    seen = {assert_interruption_is_safe(tmp_path, states, name, f"{syscall}:{action}:when={n}")
            for n in range(1, calls + 1)}
    assert "old" in seen


def test_a_full_disk_is_a_message_and_changes_nothing(tmp_path, states, monkeypatch):
    """In-process: the disk fills while the archive is flushed."""
    from click.testing import CliRunner

    from kb.cli import main

    project = tmp_path / "kb"
    shutil.copytree(states["revise"], project)
    before = snapshot(project)

    def full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.chdir(project)
    monkeypatch.setenv("KB_TODAY", TODAY)
    result = CliRunner().invoke(main, list(REVISE))
    assert result.exit_code == 1 and "No space left on device" in result.output and "nothing was changed" in result.output
    assert not isinstance(result.exception, OSError)
    assert snapshot(project) == before


# Half-states an older kb could leave: kb check names each, and the retry finishes it


def half_state(tmp_path: Path, states: dict[str, Path], state: str) -> Path:
    project = tmp_path / state
    if state == "revise archived, article not":  # older revise killed between its two writes
        shutil.copytree(states["revise"], project)
        (project / ARCHIVE).parent.mkdir()
        shutil.copy(states["approve"] / ARCHIVE, project / ARCHIVE)
    elif state == "approve wrote the article first":  # older approve: two current versions
        shutil.copytree(states["approve"], project)
        shutil.copy(states["done"] / ARTICLE, project / ARTICLE)
    elif state == "emptied article":  # older write_text killed after its truncating open
        shutil.copytree(states["approve"], project)
        (project / ARTICLE).write_bytes(b"")
    elif state == "temporary file":
        shutil.copytree(states["approve"], project)
        (project / ARTICLE).with_name(".10.001-reset-password.md.x1y2z3.kb-tmp").write_text("---\n")
    return project


@pytest.mark.parametrize("state, finding, retry", [
    ("revise archived, article not", "it/10.001-reset-password/v1.0.md:5: document_control.version: archives version "
     "1.0, which it/10.001-reset-password.md still is: a 'kb revise' was interrupted", REVISE),
    ("approve wrote the article first", "it/10.001-reset-password/v1.0.md:6: document_control.status: is current, and "
     "so is it/10.001-reset-password.md (version 1.1): a 'kb approve' was interrupted", APPROVE),
    ("emptied article", "it/10.001-reset-password.md: file: is empty (0 bytes)", None),
    ("temporary file", "it/.10.001-reset-password.md.x1y2z3.kb-tmp: file: warning: is a temporary file", APPROVE),
])
def test_older_half_states_are_found_and_finished(tmp_path, states, state, finding, retry):
    project = half_state(tmp_path, states, state)
    checked = run_kb(project, "check", "--strict", today=TODAY)
    assert checked.returncode == 1 and finding in checked.stdout, checked.stdout
    if retry is None:
        return
    retried = run_kb(project, *retry, today=TODAY)
    assert retried.returncode == 0, retried.stderr
    if state == "approve wrote the article first":
        assert "was already approved; 1 earlier version(s) left current by an interrupted approve" in retried.stdout
    finished = states["approve" if retry == REVISE else "done"]
    assert snapshot(project) == snapshot(finished)


# A docs/ that cannot be written


def in_read_only_docs(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """`kb COMMAND` with docs/ mounted read-only (a private mount namespace: nothing else sees it)."""
    script = 'mount --bind docs docs && mount -o remount,bind,ro docs && exec "$@"'
    env = {**os.environ, "KB_TODAY": TODAY, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", str(BIN / "kb"), *command],
                          capture_output=True, text=True, env=env, cwd=project, timeout=60)


@pytest.mark.parametrize("command", [REVISE, pytest.param(APPROVE, marks=pytest.mark.slow), pytest.param(
    ("import", str(ROOT / "tests/fixtures/bookstack/72.101-html-export.html"), "--book", "imported"),
    marks=pytest.mark.slow)])
def test_a_read_only_docs_folder_is_a_message(tmp_path, states, command):
    project = tmp_path / "kb"
    shutil.copytree(states["approve" if command == APPROVE else "revise"], project)
    probe = in_read_only_docs(project, "--help")
    if probe.returncode != 0:
        pytest.skip(f"cannot mount docs/ read-only here: {probe.stderr.strip()}")
    before = snapshot(project)
    result = in_read_only_docs(project, *command)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "Read-only file system" in result.stderr and "docs/" in result.stderr, result.stderr
    assert snapshot(project) == before
