"""Worker processes shared by every part: how many (``R2P_JOBS``) and running a pool to the end.

Parts that fit or simulate independent pieces (risk backtest windows, case calibrations) run them in
a ``concurrent.futures`` process pool; results never depend on how many processes there are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Executor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from r2p.errors import R2PInputError

K = TypeVar("K", bound=Hashable)


def cpu_count() -> int:
    """Return the number of CPUs (at least 1)."""
    return max(1, os.cpu_count() or 1)


def jobs_from_env(default: int) -> int:
    """Return ``$R2P_JOBS`` (processes, ≥ 1) if set, else ``default``; a bad value is an ``R2PInputError``."""
    raw = os.environ.get("R2P_JOBS")
    if raw is None:
        return default
    try:
        jobs = int(raw)
    except ValueError:
        raise R2PInputError(f"R2P_JOBS must be a whole number of processes, got {raw!r}.") from None
    if jobs < 1:
        raise R2PInputError(f"R2P_JOBS must be at least 1, got {jobs}.")
    return jobs


def run_in_pool(pool: Executor, fn: Callable[[K], Any], keys: Iterable[K],
                done: Callable[[K, Any], None] | None = None) -> tuple[dict[K, Any], bool]:
    """Run ``fn(key)`` for every key in ``pool``; return ``({key: result}, broken)`` and shut the pool down.

    ``done(key, result)`` is called as each finishes. If a worker cannot start or dies (a script that
    calls r2p at import time without ``if __name__ == "__main__":`` breaks every spawned worker), the
    results finished so far are returned with ``broken`` True, for the caller to do the rest itself.
    Any other error of ``fn`` is raised.
    """
    results: dict[K, Any] = {}
    try:
        futures = {pool.submit(fn, k): k for k in keys}
        for fut in as_completed(futures):
            key = futures[fut]
            results[key] = fut.result()
            if done:
                done(key, results[key])
    except BrokenProcessPool:
        return results, True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results, False
