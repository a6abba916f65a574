"""Sweep tests run against their own copy of the test warehouse (sweeps write to it), so they
never contend for DuckDB's single writer lock with other parts' tests."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def sweep_warehouse(warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the built warehouse; ``R2P_WAREHOUSE`` points at it for this test."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, path)
    monkeypatch.setenv("R2P_WAREHOUSE", str(path))
    yield path


TINY = """\
name: {name}
seed: 11
regimes:
  - status_quo
  - name: slow_council
    base: status_quo
    set: {{regime.council.deliberation_weeks: 12}}
scenarios:
  - {{target: RWA, year: 1994}}
parameters:  # deliberately not in alphabetical order: file order is the Sobol order
  regime.council.first_session_weeks: {{dist: triangular, low: 0, mode: 2, high: 8}}
  perpetrator.growth: {{dist: uniform, low: 0.05, high: 0.25}}
sampling: {{method: saltelli, n: {n}}}
mc_draws: {mc}
weeks: {weeks}
chunk_rows: {chunk}
"""


def _tiny_config(
    folder: Path,
    name: str = "tiny",
    n: int = 2,
    mc: int = 16,
    weeks: int = 20,
    chunk: int = 2,
    extra: str = "",
) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(TINY.format(name=name, n=n, mc=mc, weeks=weeks, chunk=chunk) + textwrap.dedent(extra))
    return path


@pytest.fixture
def tiny_config(tmp_path: Path) -> Callable[..., Path]:
    """``tiny_config(name=, n=, mc=, weeks=, chunk=)`` writes a tiny sweep file (2 arms × 1 scenario ×
    n·4 parameter rows) under tmp_path and returns its path."""
    return lambda **kw: _tiny_config(tmp_path, **kw)


@pytest.fixture
def r2p_env(sweep_warehouse: Path) -> dict[str, str]:
    """Environment for an ``r2p`` subprocess using the test's private warehouse."""
    env = dict(os.environ)
    env["R2P_WAREHOUSE"] = str(sweep_warehouse)
    env["NO_COLOR"] = "1"
    return env
