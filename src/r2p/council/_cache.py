"""On-disk cache of derived council tables and fitted models.

Files live under ``r2p.data.home_dir()/"cache"/"council"`` and are keyed by the
warehouse fingerprint, ``CODE_VERSION`` and the parameters, so a new data
snapshot or a code change never reads a stale file. Always safe to delete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from r2p.data import cached_pickle, home_dir
from r2p.data._warehouse import fingerprint

#: Bump when cleaning, features or the model change so old cache files are ignored.
CODE_VERSION = "council-16"

T = TypeVar("T")

# Objects ``memoised`` has built or loaded in this process, by cache name.
_MEMO: dict[str, Any] = {}


def cache_dir() -> Path:
    """Return (creating it) the council cache folder."""
    path = home_dir() / "cache" / "council"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_key(name: str, **params: Any) -> str:
    """Return a file-name-safe key for ``name`` under the current data fingerprint and code version."""
    text = repr((fingerprint(), CODE_VERSION, sorted(params.items())))
    return f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def cached(name: str, build: Callable[[], T], **params: Any) -> T:
    """Return the pickled object for ``(name, params)`` from disk, building and storing it if absent."""
    return cached_pickle(cache_dir() / f"{cache_key(name, **params)}.pkl", build)


def memoised(name: str, build: Callable[[], T]) -> T:
    """Return ``cached(name, build)``, kept in memory after its first call in this process.

    For the tables every council model reads (vote design, GA alignment, GA roll calls naming a
    state). The copy in memory lasts as long as the process: unlike the disk file it is not
    re-keyed when the warehouse changes. ``_MEMO.clear()`` forgets every copy.
    """
    if name not in _MEMO:
        _MEMO[name] = cached(name, build)
    return _MEMO[name]
