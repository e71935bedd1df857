"""Writes that cannot be half done: every file a `kb` command writes goes through `write_text` or
`write_bytes` here.

The new content goes to a temporary file in the same folder (same file system, so the rename is atomic),
is flushed to disk, and then replaces the target with `os.replace`. A kill, a full disk or a power cut
leaves either the old file or the new one, never an empty or truncated one. At worst a temporary file is
left beside it; its name ends in `TEMP_MARK` and starts with a dot, so MkDocs and the KB never read it
as a page, and `kb check` reports it (`is_temporary`). A symlink is replaced by the file, never written
through, so no write can leave its folder by a link.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from pathlib import Path

TEMP_MARK = ".kb-tmp"  # .<name>.kb-tmp<random>: never ends in .md, hidden from MkDocs
_DEFAULT_MODE = 0o666


def write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` atomically, keeping the file's permissions and, where the process may,
    its owner (new files follow the umask)."""
    write_bytes(path, text.encode(encoding))


def write_bytes(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data` atomically; raises OSError (read-only folder, full disk) with the target
    untouched and no temporary file left behind."""
    target = Path(path)
    mode, owner = _mode_for(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_MARK, dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
        os.chmod(temporary, mode)  # mkstemp creates 0600: keep what the author's file had
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            _keep_owner(temporary, owner)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)
    _clear_leftovers(target, keep=Path(temporary).name)


def is_temporary(name: str) -> bool:
    """A temporary file this module writes, left behind when its process was killed before the rename."""
    return name.startswith(".") and name.endswith(TEMP_MARK)


# Helper functions


def _mode_for(target: Path) -> tuple[int, tuple[int, int] | None]:
    """The permissions and (uid, gid) the new file takes from the old one (not from what a symlink points at)."""
    try:
        found = target.lstat()
    except FileNotFoundError:
        found = None
    if found is None or not stat.S_ISREG(found.st_mode):  # a new file, or one replacing a link
        umask = os.umask(0)
        os.umask(umask)
        return _DEFAULT_MODE & ~umask, None
    return stat.S_IMODE(found.st_mode), (found.st_uid, found.st_gid)


def _keep_owner(temporary: str, owner: tuple[int, int]) -> None:
    """root editing an author's file leaves it theirs; anyone else cannot give a file away, and need not."""
    try:
        os.chown(temporary, *owner)
    except PermissionError:
        pass


def _clear_leftovers(target: Path, keep: str) -> None:
    """Temporary files of earlier writes of `target` that were killed before their rename: the target is
    now whole and newer than any of them, so a retry leaves the folder clean."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_MARK}"):
        if stale.name != keep:
            stale.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot open or sync a folder, which only costs durability."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
