"""Test-session set-up: one shared r2p home (and warehouse) for all workers, built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # One home for the whole session, shared by xdist workers (the build is locked).
    if "R2P_TEST_HOME" not in os.environ:
        base = Path(os.environ.get("TMPDIR", "/tmp")) / f"r2p-test-home-{os.getuid()}"
        os.environ["R2P_TEST_HOME"] = str(base)
    os.environ["R2P_HOME"] = os.environ["R2P_TEST_HOME"]
    os.environ.pop("R2P_WAREHOUSE", None)
    os.environ.pop("R2P_DATA_DIR", None)
    os.environ.setdefault("NO_COLOR", "1")
    os.environ.setdefault("COLUMNS", "200")


@pytest.fixture(scope="session")
def warehouse() -> Path:
    """Return the path of the shared, up-to-date test warehouse."""
    from r2p.data import ensure_warehouse

    return ensure_warehouse()
