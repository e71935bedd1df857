"""kb.atomic: a write either happens whole or not at all, and keeps the file's permissions."""

from __future__ import annotations

import os

import pytest

from kb import atomic


def test_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    atomic.write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        atomic.write_text(tmp_path / "new.md", "x")
    finally:
        os.umask(old)
    assert oct((tmp_path / "new.md").stat().st_mode & 0o777) == oct(0o640)


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failure):
    target = tmp_path / "a.md"
    target.write_text("the author's draft", encoding="utf-8")

    def fail(descriptor):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)  # the disk fills while the new content is flushed
    with pytest.raises(type(failure)):
        atomic.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "the author's draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_temporary_names_are_never_pages():
    assert atomic.is_temporary(".65.043-x.md.abc123" + atomic.TEMP_MARK)
    assert not atomic.is_temporary("65.043-x.md")
    assert not (".65.043-x.md.abc" + atomic.TEMP_MARK).endswith(".md")


def test_a_write_clears_what_a_killed_write_of_the_same_file_left(tmp_path):
    target = tmp_path / "a.md"
    stale = tmp_path / (".a.md.x1y2z3" + atomic.TEMP_MARK)
    other = tmp_path / (".b.md.x1y2z3" + atomic.TEMP_MARK)
    stale.write_text("half")
    other.write_text("half")
    atomic.write_text(target, "whole")
    assert not stale.exists() and other.exists()  # another file's leftover is not this write's to clear


def test_a_symlink_is_replaced_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not the KB's", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    link = tmp_path / "docs" / "a.md"
    link.symlink_to(outside)
    atomic.write_text(link, "new")
    assert outside.read_text(encoding="utf-8") == "not the KB's"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to someone else")
def test_root_keeps_the_authors_ownership(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 65534, 65534)
    atomic.write_text(target, "new")
    assert (target.stat().st_uid, target.stat().st_gid) == (65534, 65534)
