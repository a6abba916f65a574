"""Fixtures of the dashboard tests: a real server on a free loopback port, and headless Chromium.

The server is the real application (``r2p.web.create_app``) on the session's test warehouse,
served by uvicorn in a background thread. Chromium is Debian's ``/usr/bin/chromium`` driven by
Playwright (``playwright install`` is never run); screenshots go to ``test-artifacts/web/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from webutil import CHROMIUM, CHROMIUM_ARGS, LiveServer


@pytest.fixture(scope="session")
def server(warm: None) -> Iterator[LiveServer]:  # noqa: ARG001
    """A running dashboard server (session-wide)."""
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def warm(warehouse: Path) -> None:  # noqa: ARG001
    """Compute the latest forecast, the backtests and the Council model once, before the tests that
    show them (minutes on a cold cache, milliseconds after). Not the veto backtest of the default
    2010 window: the tests use a short one (``webutil.VETO_TRAIN_UNTIL``)."""
    from r2p.web._app import warm_caches

    warm_caches(veto_backtest=False)


@pytest.fixture(scope="session")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client bound to the live server (long timeout: first forecasts are computed)."""
    with httpx.Client(base_url=server.url, timeout=600) as c:
        yield c


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (skipped, with the reason, if it is missing)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} is missing: run `make sysdeps` (scripts/system-deps.sh) to install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: LiveServer) -> Iterator[Any]:
    """A fresh browser page; console errors and page errors are collected on ``page.problems``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server.url)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.problems = problems
    yield pg
    context.close()
