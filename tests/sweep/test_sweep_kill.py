"""A sweep killed at any moment (SIGKILL, mid-way) and restarted with the same command resumes:
it recomputes no finished chunk and its results equal an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from r2p.sweep import read_sweep

R2P = [sys.executable, "-m", "r2p.cli"]


def _chunks_done(warehouse: Path, name: str) -> int:
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return -1  # the sweep holds the write lock for a commit right now
    try:
        row = con.execute("select chunks_done from sweep_catalog where name = ?", [name]).fetchone()
        return int(row[0]) if row else 0
    except duckdb.Error:
        return 0
    finally:
        con.close()


def test_sigkill_mid_sweep_then_resume(
    sweep_warehouse: Path, tiny_config: Callable[..., Path], r2p_env: dict[str, str]
) -> None:
    cfg = tiny_config(name="killme", n=4, mc=200, weeks=52, chunk=1)  # 2 × 16 rows = 32 chunks
    proc = subprocess.Popen(
        [*R2P, "sweep", str(cfg), "--no-progress", "--in-process"],
        env=r2p_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    done = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            done = _chunks_done(sweep_warehouse, "killme")
            if done >= 4:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"sweep ended before it could be killed: {proc.communicate()}"
        os.killpg(proc.pid, signal.SIGKILL)  # at an arbitrary moment, maybe mid-commit
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    stored = read_sweep("killme")[1]
    committed = stored["chunk_id"].nunique()
    assert 4 <= committed < 32
    # every committed chunk is whole: one row per chunk here (chunk=1)
    assert len(stored) == committed
    out = subprocess.run(
        [*R2P, "sweep", str(cfg), "--json", "--in-process"],
        env=r2p_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["chunks_skipped"] == committed
    assert summary["chunks_run"] == 32 - committed
    resumed = read_sweep("killme")[1]
    assert len(resumed) == 32 and not resumed.duplicated(["regime", "scenario", "draw_id"]).any()
    # equal to an uninterrupted run of the same sweep (in a fresh process too: same code on disk)
    whole = cfg.with_name("whole.yaml")
    whole.write_text(cfg.read_text().replace("name: killme", "name: whole"))
    out = subprocess.run(
        [*R2P, "sweep", str(whole), "--json", "--in-process"],
        env=r2p_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["chunks_run"] == 32
    cols = [c for c in resumed.columns if c != "chunk_id"]
    key = ["regime", "scenario", "draw_id"]
    pd.testing.assert_frame_equal(
        resumed[cols].sort_values(key).reset_index(drop=True),
        read_sweep("whole")[1][cols].sort_values(key).reset_index(drop=True),
    )
