"""Where r2p finds its shipped data and keeps its warehouse."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Return the directory holding the shipped datasets (``$R2P_DATA_DIR`` or the repo's ``data/``)."""
    env = os.environ.get("R2P_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    # Editable/source install: src/r2p/.. /.. /data
    return (_PACKAGE_DIR.parents[1] / "data").resolve()


def home_dir() -> Path:
    """Return r2p's working directory (``$R2P_HOME``, else ``~/.local/share/r2p``); created if missing."""
    env = os.environ.get("R2P_HOME")
    base = Path(env).expanduser() if env else Path.home() / ".local" / "share" / "r2p"
    base.mkdir(parents=True, exist_ok=True)
    return base.resolve()


def default_warehouse_path() -> Path:
    """Return the default DuckDB warehouse file (``$R2P_WAREHOUSE`` or ``<home>/warehouse.duckdb``)."""
    env = os.environ.get("R2P_WAREHOUSE")
    if env:
        return Path(env).expanduser().resolve()
    return home_dir() / "warehouse.duckdb"
