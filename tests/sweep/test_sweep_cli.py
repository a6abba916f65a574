"""The command line as a user meets it: bad input exits 2 before any work and changes nothing;
`r2p claims --sweep NAME --json` prints each claim with its share and interval."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from r2p.sweep import run_sweep

R2P = [sys.executable, "-m", "r2p.cli"]


def _r2p(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*R2P, *args], env=env, capture_output=True, text=True, timeout=300)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_input_exits_2_and_changes_nothing(
    sweep_warehouse: Path, tiny_config: Callable[..., Path], r2p_env: dict[str, str], tmp_path: Path
) -> None:
    before = _digest(sweep_warehouse)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\n"
        "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 3}}\n"
    )
    out = _r2p(["sweep", str(bad)], r2p_env)
    assert out.returncode == 2 and "allowed domain of perpetrator.growth" in out.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = _r2p(["sweep", str(tiny_config()), "--scheduler", f"tcp://127.0.0.1:{port}"], r2p_env)
    assert out.returncode == 2 and "cannot reach a Dask scheduler" in out.stderr
    out = _r2p(["claims", "--sweep", "never_ran", "--json"], r2p_env)
    assert out.returncode == 2 and "no sweep named 'never_ran'" in out.stderr
    assert _digest(sweep_warehouse) == before


def test_claims_json_and_html_report(
    sweep_warehouse: Path, tiny_config: Callable[..., Path], r2p_env: dict[str, str], tmp_path: Path
) -> None:
    run_sweep(tiny_config(name="clitiny", n=4, mc=8, weeks=12, chunk=16), show_progress=False, threads=1)
    claims = tmp_path / "mine.yaml"
    claims.write_text(
        "claims:\n"
        "  - {id: always, title: t, holds_if: 'deaths_civilian[status_quo] >= 0'}\n"
        "  - {id: never, title: t, holds_if: 'deaths_civilian[status_quo] < 0'}\n"
        "  - {id: slower_council_never_faster, title: t, holds_if: "
        "'weeks_to_first_coercion.mean[slow_council] >= 0'}\n"
    )
    report = tmp_path / "claims.html"
    out = _r2p(
        ["claims", "--sweep", "clitiny", "--claims", str(claims), "--json", "--out", str(report)], r2p_env
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by = {c["id"]: c for c in data["claims"]}
    assert data["sweep"] == "clitiny"
    assert by["always"]["share"] == 1.0 and by["never"]["share"] == 0.0
    assert 0 < by["always"]["ci_low"] < 1 == by["always"]["ci_high"]
    html = report.read_text()
    assert html.count("<img") >= 2 and "always" in html and "data:image/png;base64," in html
    out = _r2p(["sweep", "--parameters", "--json"], r2p_env)
    params = json.loads(out.stdout)["parameters"]
    assert params["perpetrator.growth"] == {
        "low": 0.0,
        "high": 1.0,
        "low_open": False,
        "high_open": False,
        "integer": False,
    }
    assert "status_quo" in json.loads(out.stdout)["regimes"]
