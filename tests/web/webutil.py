"""Helpers of the dashboard tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = os.environ.get("R2P_CHROMIUM", "/usr/bin/chromium")
#: The veto backtest's first training window in the dashboard tests: its last three years are scored,
#: seconds to compute (the page's default, 2010, takes about a minute of CPU on a cold cache).
VETO_TRAIN_UNTIL = 2022
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The dashboard served by uvicorn in a background thread on 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        import uvicorn

        from r2p.web import create_app

        self.app = create_app()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="r2p-web-test-server", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def part_available(name: str) -> bool:
    """Return True when r2p.<name> is installed with what the dashboard uses."""
    from r2p.web._parts import available

    return available(name)


def needs(name: str) -> Any:
    """Skip marker for a test of a part that has not landed yet, saying so."""
    reason = f"r2p.{name} is not available in this tree yet"
    return pytest.mark.skipif(not part_available(name), reason=reason)


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/web/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
