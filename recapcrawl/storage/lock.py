"""One writer at a time: a crawl holds an exclusive lock on ``<archive>.lock`` while it runs.

The lock is the operating system's (``flock``), so a crawl that is killed releases it at once and
the next crawl can resume.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class ArchiveBusy(RuntimeError):
    """Another crawl is writing to this archive."""


_HELD: dict[Path, ArchiveLock] = {}  # the locks this process holds, by lock file


class ArchiveLock:
    """``with ArchiveLock(db_path): ...`` — raises ``ArchiveBusy`` when another process holds it.

    ``ArchiveLock.held_here(db_path)``: the lock this process already holds on that archive, if any (a
    crawl started by ``recapcrawl crawl``, which takes the lock first, works under it).
    """

    def __init__(self, db_path: str | Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self.fd: int | None = None

    def acquire(self) -> ArchiveLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise ArchiveBusy(
                f"another crawl (pid {holder}) is writing to {str(self.path)[:-5]}; wait for it to finish"
                " or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        _HELD[self.path.resolve()] = self
        return self

    @classmethod
    def held_here(cls, db_path: str | Path) -> ArchiveLock | None:
        return _HELD.get(Path(f"{db_path}.lock").resolve())

    def release(self) -> None:
        if self.fd is not None:
            if _HELD.get(self.path.resolve()) is self:
                del _HELD[self.path.resolve()]
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
