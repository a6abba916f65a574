"""Lazy access to the parts the dashboard shows, and an in-process cache of their results.

The dashboard runs on whatever of ``risk``, ``council``, ``law``, ``crisis`` and ``report``
is installed: ``part(name)`` imports one on first use and raises ``PartUnavailable``
(served as 503 with a message) when it is missing. ``cached(key, fn)`` computes an
expensive result (a forecast, a backtest) once per process; concurrent requests for the
same key wait for the first instead of computing it again.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")

PARTS = {
    "risk": "early-warning risk forecasts",
    "council": "the Security Council outlook",
    "law": "regimes (rules as data)",
    "crisis": "the crisis simulator",
    "report": "policy briefs",
}


class PartUnavailable(Exception):
    """A part of r2p the request needs is not installed (yet)."""

    def __init__(self, name: str, reason: str = "") -> None:
        self.name = name
        what = PARTS.get(name, name)
        msg = f"{what} (r2p.{name}) not available yet"
        super().__init__(f"{msg}: {reason}" if reason else msg)


_REQUIRED = {
    "risk": ("forecast", "country_risk", "backtest"),
    "council": ("load_model",),
    "law": ("regimes", "load_regime", "parse_regime"),
    "crisis": ("simulate",),
    "report": (),
}


def part(name: str) -> ModuleType:
    """Return the module ``r2p.<name>``; ``PartUnavailable`` if it is missing or incomplete."""
    try:
        module = importlib.import_module(f"r2p.{name}")
    except ImportError as exc:
        raise PartUnavailable(name, f"{type(exc).__name__}: {exc}") from None
    missing = [attr for attr in _REQUIRED.get(name, ()) if not hasattr(module, attr)]
    if missing:
        raise PartUnavailable(name, f"it does not export {', '.join(missing)} yet")
    return module


def available(name: str) -> bool:
    """Return True when ``r2p.<name>`` imports and exports what the dashboard uses."""
    try:
        part(name)
    except PartUnavailable:
        return False
    return True


_cache: dict[tuple[Any, ...], Any] = {}
_locks: dict[tuple[Any, ...], threading.Lock] = {}
_guard = threading.Lock()


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """Return ``compute()`` memoised under ``key`` for the life of the process (errors are not cached)."""
    if key in _cache:
        return _cache[key]  # type: ignore[no-any-return]
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        if key not in _cache:
            _cache[key] = compute()
        return _cache[key]  # type: ignore[no-any-return]


def is_cached(key: tuple[Any, ...]) -> bool:
    """Return True when ``key`` has a cached result."""
    return key in _cache


def clear_cache() -> None:
    """Forget every cached result (tests, or after the warehouse is rebuilt)."""
    with _guard:
        _cache.clear()
