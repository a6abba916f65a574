"""`r2p serve` as a user runs it: it prints where to open, answers on loopback, refuses bad addresses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from webutil import free_port

pytestmark = pytest.mark.xdist_group("elastic_net_backtest")

R2P = [str(Path(sys.executable).parent / "r2p")]  # the installed entry point, as a user runs it


def test_serve_answers_on_loopback_and_stops(warehouse: Path) -> None:  # noqa: ARG001
    port = free_port()
    proc = subprocess.Popen([*R2P, "serve", "--port", str(port)], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=5).json()
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert status is not None and "risk" in status["parts"]
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200 and "world-map" in page.text
        cases = f"http://127.0.0.1:{port}/api/cases"
        assert httpx.get(cases, headers={"Host": f"localhost:{port}"}, timeout=30).status_code == 200
        # A page elsewhere that rebinds its own name to 127.0.0.1 gets nothing.
        rebound = httpx.get(cases, headers={"Host": "evil.example:80"}, timeout=30)
        assert rebound.status_code == 400 and "loopback" in rebound.json()["error"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err


def test_serve_refuses_a_bad_port_and_a_busy_one() -> None:
    res = subprocess.run([*R2P, "serve", "--port", "70000"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "out of range" in res.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        busy = s.getsockname()[1]
        res = subprocess.run([*R2P, "serve", "--port", str(busy)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2 and "cannot listen" in res.stderr and "Traceback" not in res.stderr
