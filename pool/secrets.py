"""Secrets kept in the data dir when no setting gives them (the cookie secret, the audit key).

A secret file is readable by the service's user only (mode 0600) and appears atomically:
written to a private draft, then linked (first writer wins, so several workers starting at
once agree) or renamed over the old one (a replacement, e.g. a rotated key). Nothing here
logs a secret."""

import os
import secrets
from pathlib import Path


def _draft(path: Path, value: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(value)
        out.flush()
        os.fsync(out.fileno())
    return draft


def kept_secret(path: Path, *, nbytes: int = 32) -> str:
    """The secret in `path`, generated there (hex, `nbytes` random bytes) if there is none
    yet. Concurrent first calls agree: the first file to appear wins."""
    if not path.exists():
        draft = _draft(path, secrets.token_hex(nbytes))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def write_secret(path: Path, value: str) -> None:
    """Put `value` in `path` (mode 0600), replacing what was there in one atomic rename."""
    draft = _draft(path, value)
    try:
        os.replace(draft, path)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def move_secret(source: Path, target: Path) -> None:
    """Rename `source` over `target` (atomic), durably."""
    os.replace(source, target)
    _sync_dir(target.parent)


def _sync_dir(directory: Path) -> None:
    """Make a rename durable (a crash right after it must not bring the old file back)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
