"""Disk caches of fitted models and derived inputs, shared by every part.

``cached_pickle`` builds an object at most once per cache file, even when several
processes (pytest workers, a dashboard and a CLI run) ask for it at the same
time: the builder holds an exclusive lock, the others wait and then read. Writes
are atomic (temporary file, then rename), so a killed build leaves no torn file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``<path>.lock`` for the ``with`` block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _load(path: Path) -> tuple[bool, object]:
    if not path.is_file():
        return False, None
    try:
        with open(path, "rb") as fh:
            return True, pickle.load(fh)
    except Exception:  # a torn or foreign file: rebuild it
        path.unlink(missing_ok=True)
        return False, None


def save_pickle(path: Path, obj: object) -> None:
    """Write ``obj`` to ``path`` atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def cached_pickle(path: Path, build: Callable[[], T]) -> T:
    """Return the object pickled at ``path``, building and storing it (once, under a lock) if absent."""
    found, obj = _load(path)
    if found:
        return obj  # type: ignore[return-value]
    with file_lock(path):
        found, obj = _load(path)  # another process may have built it while we waited
        if found:
            return obj  # type: ignore[return-value]
        built = build()
        save_pickle(path, built)
        return built
